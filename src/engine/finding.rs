//! Findings: what a rule reports, with resolved locations on both sides.
//!
//! A [`Finding`] is one unsafe change: the rule that saw it, how serious it
//! is ([`Severity`]), who it hurts ([`Audience`]), where it is in the new and
//! in the old schema ([`Location`]), and how to fix it (in words, and as
//! [`Fix`] edits when one can be made mechanically).

use std::fmt;

use serde::{Serialize, Serializer};

use crate::schema::span::Span;

/// How serious a finding is: errors make the check fail, warnings do not
/// (unless `--deny-warnings`, [`Report::deny_warnings`]), infos explain why a
/// change was accepted.
///
/// Ordered from most to least serious (`Error < Warning < Info`). It
/// displays and serializes in lower case, as in `--format json`:
///
/// ```
/// use protocheck::Severity;
///
/// assert_eq!(Severity::Warning.to_string(), "warning");
/// assert_eq!(serde_json::to_string(&Severity::Error).unwrap(), r#""error""#);
/// ```
///
/// [`Report::deny_warnings`]: crate::Report::deny_warnings
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// An unsafe change: the check fails (exit code 1).
    Error,
    /// A change that may be unsafe: reported, but the check fails only
    /// under `deny_warnings`.
    Warning,
    /// Not a problem: why a change that looks unsafe was accepted (at the
    /// wire level, for example, a type change with the same encoding).
    Info,
}

impl Severity {
    /// The lower-case name, as in JSON and [`Display`](fmt::Display):
    /// `error`, `warning` or `info`.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Who is hurt by a change ("who breaks").
///
/// A finding lists the audiences its message names (`"affects"` in JSON,
/// `breaks:` in text), a subset of its rule's [`RuleMeta::affects`]. It
/// serializes in kebab case (`"new-readers-of-old-data"`) and displays in
/// words (`new readers of old data`). More audiences may be added, so a
/// `match` needs a wildcard arm.
///
/// [`RuleMeta::affects`]: crate::engine::rule::RuleMeta::affects
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Audience {
    /// New code reading data that old code wrote (stored data, old clients).
    NewReadersOfOldData,
    /// Old code reading data that new code writes (not-yet-upgraded services).
    OldReadersOfNewData,
    /// Clients that speak the proto3 JSON mapping.
    JsonClients,
    /// Code generated from the schema (it stops compiling or changes meaning).
    GeneratedCode,
}

impl Audience {
    /// The audience in words, as in text output: `new readers of old data`,
    /// `old readers of new data`, `JSON clients`, `generated code`.
    pub fn describe(self) -> &'static str {
        match self {
            Audience::NewReadersOfOldData => "new readers of old data",
            Audience::OldReadersOfNewData => "old readers of new data",
            Audience::JsonClients => "JSON clients",
            Audience::GeneratedCode => "generated code",
        }
    }
}

impl fmt::Display for Audience {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// What kind of schema element a finding is about ([`Finding::element_kind`]).
///
/// Serializes in kebab case (`"enum-value"`), as `"element_kind"` in JSON.
/// More kinds may be added, so a `match` needs a wildcard arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ElementKind {
    /// A `.proto` file.
    File,
    /// A package (all files that declare it).
    Package,
    /// A message, nested or not (map entries included).
    Message,
    /// A field of a message (an extension is [`ElementKind::Extension`]).
    Field,
    /// A oneof, real or synthetic (proto3 `optional`).
    Oneof,
    /// An enum.
    Enum,
    /// A value of an enum.
    EnumValue,
    /// A service.
    Service,
    /// A method (RPC) of a service.
    Method,
    /// An extension field (`extend … { … }`).
    Extension,
}

/// A place in one version of the schema.
///
/// In a finding's JSON its fields are flattened (`path`, `file`, `line`,
/// `column`, … and `old_path`, `old_file`, `old_line`, … for the old side);
/// serialized on its own it is `{"path", "file", "span", "source_info"}`
/// with `"revision"` when there is one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Location {
    /// The file as shown to the user (its path on disk where there is one).
    pub path: String,
    /// The file's import name (`shop/order.proto`).
    pub file: String,
    /// Where in the file; `None` when there is no source info or the element
    /// has no place of its own (a deleted file).
    pub span: Option<Span>,
    /// Whether the file came with source info (a descriptor set may not): without
    /// it there are no lines and columns, only the element's name.
    pub source_info: bool,
    /// For a file read at a git revision (`--against git:main`), the
    /// revision; `path` is then the file's path in the repository.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revision: Option<String>,
}

/// One change to a file of the new schema: replace the text at `span` with
/// `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Edit {
    /// The file as shown to the user (as [`Location::path`]).
    pub path: String,
    /// The file's import name.
    pub file: String,
    /// The region replaced; empty (end = start) for an insertion. Its byte
    /// `offset` and `len` index the file's text as read.
    pub span: Span,
    /// The text that takes its place.
    pub replacement: String,
}

/// A machine-applicable fix: the edits that the finding's help describes.
/// Applied together to the new files (they never overlap), the new schema
/// compiles and the finding is gone at the level that reported it.
///
/// ```
/// use protocheck::{Check};
///
/// let report = Check::new("fixtures/order/new_reuse").against("fixtures/order/old").run()?.reports.remove(0);
/// let fix = report.findings.iter().find_map(|f| f.fix.as_ref()).expect("a fix");
/// let edit = &fix.edits[0];
/// let text = std::fs::read_to_string(&edit.path)?;
/// let fixed = fix.apply(&edit.path, &text).expect("the edits fit the file");
/// assert_ne!(fixed, text);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Fix {
    /// The edits, possibly in several files; they never overlap.
    pub edits: Vec<Edit>,
}

impl Fix {
    /// Applies the edits that concern the file `path` to its `text`; `None`
    /// if an edit does not fit the text.
    pub fn apply(&self, path: &str, text: &str) -> Option<String> {
        let mut edits: Vec<&Edit> = self.edits.iter().filter(|e| e.path == path).collect();
        edits.sort_by_key(|e| std::cmp::Reverse(e.span.offset));
        let mut out = text.to_owned();
        for e in edits {
            let (start, end) = (e.span.offset, e.span.offset + e.span.len);
            if end > out.len() || !out.is_char_boundary(start) || !out.is_char_boundary(end) {
                return None;
            }
            out.replace_range(start..end, &e.replacement);
        }
        Some(out)
    }
}

/// What the Schema Registry makes of a finding (`--compat`): its difference
/// type, its `#/…` path, the description it prints (none for notes), and the
/// registered version compared with (transitive modes).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct RegistryInfo {
    /// The registry's difference type (`FIELD_SCALAR_KIND_CHANGED`); `None`
    /// for protocheck's notes on what the registry lets through or refuses.
    #[serde(rename = "type")]
    pub kind: Option<&'static str>,
    /// The registry's `#/…` path of the element (`#/Order/3`).
    pub path: String,
    /// The line the registry prints for this difference.
    pub message: Option<String>,
    /// In transitive modes, the version (as given to `--against`) the
    /// difference is against.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

/// One unsafe change.
/// One unsafe change (or, at severity [`Info`](Severity::Info), a change
/// accepted and why), as a rule reported it.
///
/// Findings come sorted in a [`Report`](crate::Report) (by new path, line,
/// column, rule and message) and are unique within it. Read the fields; they
/// are built by the check only, and more may be added.
///
/// A finding serializes to exactly the object of `--format json`'s
/// `"findings"` array: the locations flattened (`path`, `line`, …,
/// `old_path`, `old_line`, …), `fix.edits` with lines and columns.
///
/// ```
/// use protocheck::{Check, Severity};
///
/// let report = Check::new("fixtures/order/new_reuse").against("fixtures/order/old").run()?.reports.remove(0);
/// let f = &report.findings[0];
/// assert_eq!((f.rule, f.severity), ("FIELD_SAME_TYPE", Severity::Error));
/// assert_eq!(f.element, "shop.Order.total_cents");
/// assert_eq!(f.position(), "fixtures/order/new_reuse/shop/order.proto:8:3");
///
/// let json = serde_json::to_value(f)?;
/// assert_eq!(json["rule"], "FIELD_SAME_TYPE");
/// assert_eq!(json["line"], 8);
/// assert_eq!(json["old_line"], 8);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Finding {
    /// The rule ID, e.g. `FIELD_SAME_TYPE` (buf's IDs, plus protocheck's
    /// own checks).
    pub rule: &'static str,
    /// The rule's severity, or the one the rule chose for this change.
    pub severity: Severity,
    /// What changed and what it does, one sentence without a final period:
    /// `field 3 of message "shop.Order" changed type from "float" to "int64"`.
    pub message: String,
    /// The concrete fix, in words.
    pub help: Option<String>,
    /// The fix as edits of the new files, when one can be made mechanically
    /// (the help is rendered from the same edits).
    pub fix: Option<Fix>,
    /// Who the change hurts, as the message says: a subset of the rule's
    /// [`RuleMeta::affects`](crate::engine::rule::RuleMeta::affects), in its
    /// order; empty for an info.
    pub affects: Vec<Audience>,
    /// What kind of element [`element`](Finding::element) names.
    pub element_kind: ElementKind,
    /// The element, e.g. `shop.Order.total` (the old name if it is gone).
    pub element: String,
    /// Findings with the same subject are about the same element and are
    /// presented together as one story.
    pub subject: String,
    /// Where in the new schema: the element, or its nearest surviving parent.
    /// For a deleted file, the old file with no span.
    pub location: Location,
    /// Where the element was in the old schema.
    pub old_location: Option<Location>,
    /// The old declaration as written, when it is short.
    pub old_text: Option<String>,
    /// What the element became, in words (for stories), e.g. the new declaration.
    pub new_text: Option<String>,
    /// In Schema Registry mode, what the registry says.
    pub registry: Option<RegistryInfo>,
}

impl Location {
    /// ` (at REV)` for a file read at a git revision, else nothing: what a
    /// place shown to a person adds after the path.
    pub fn at_revision(&self) -> String {
        match &self.revision {
            Some(r) => format!(" (at {r})"),
            None => String::new(),
        }
    }
}

impl Finding {
    /// Whether the severity is [`Severity::Error`].
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:col` of the new location, or `path` alone; without source
    /// info, `path (element, no source info)`.
    pub fn position(&self) -> String {
        let at = self.location.at_revision();
        let p = match self.location.span {
            Some(s) => format!("{}:{}:{}", self.location.path, s.line, s.column),
            None if !self.location.source_info && self.element != self.location.file => {
                format!("{} ({}, no source info)", self.location.path, self.element)
            }
            None if !self.location.source_info => {
                format!("{} (no source info)", self.location.path)
            }
            None => self.location.path.clone(),
        };
        format!("{p}{at}")
    }

    pub(crate) fn sort_key(&self) -> impl Ord + '_ {
        let span = self.location.span.map(|s| (s.line, s.column));
        (&self.location.path, span, self.rule, &self.message)
    }
}

impl Serialize for Finding {
    /// The object of `--format json`'s `"findings"` array (see [`Finding`]).
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        JsonFinding::from(self).serialize(serializer)
    }
}

/// A finding as JSON: the one shape of [`Finding`]'s `Serialize` and of the
/// report's JSON writer, which adds `roundtrip`.
#[derive(Serialize)]
pub(crate) struct JsonFinding<'a> {
    rule: &'static str,
    severity: Severity,
    message: &'a str,
    help: Option<&'a str>,
    affects: &'a [Audience],
    element_kind: ElementKind,
    element: &'a str,
    path: &'a str,
    file: &'a str,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    revision: Option<&'a str>,
    old_path: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    old_revision: Option<&'a str>,
    old_file: Option<&'a str>,
    old_line: Option<usize>,
    old_column: Option<usize>,
    old_end_line: Option<usize>,
    old_end_column: Option<usize>,
    old_text: Option<&'a str>,
    source_info: bool,
    old_source_info: Option<bool>,
    fix: Option<JsonFix<'a>>,
    /// The round-trip evidence of `--roundtrip`, added by the report writer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) roundtrip: Option<serde_json::Value>,
    /// What the Schema Registry makes of it (`--compat`).
    #[serde(skip_serializing_if = "Option::is_none")]
    registry: Option<&'a RegistryInfo>,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    path: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    replacement: &'a str,
}

impl<'a> From<&'a Finding> for JsonFinding<'a> {
    fn from(f: &'a Finding) -> Self {
        let span = f.location.span;
        let old = f.old_location.as_ref();
        let old_span = old.and_then(|o| o.span);
        JsonFinding {
            rule: f.rule,
            severity: f.severity,
            message: &f.message,
            help: f.help.as_deref(),
            affects: &f.affects,
            element_kind: f.element_kind,
            element: &f.element,
            path: &f.location.path,
            file: &f.location.file,
            line: span.map(|s| s.line),
            column: span.map(|s| s.column),
            end_line: span.map(|s| s.end_line),
            end_column: span.map(|s| s.end_column),
            revision: f.location.revision.as_deref(),
            old_path: old.map(|o| o.path.as_str()),
            old_revision: old.and_then(|o| o.revision.as_deref()),
            old_file: old.map(|o| o.file.as_str()),
            old_line: old_span.map(|s| s.line),
            old_column: old_span.map(|s| s.column),
            old_end_line: old_span.map(|s| s.end_line),
            old_end_column: old_span.map(|s| s.end_column),
            old_text: f.old_text.as_deref(),
            source_info: f.location.source_info,
            old_source_info: old.map(|o| o.source_info),
            fix: f.fix.as_ref().map(|fix| JsonFix {
                edits: fix
                    .edits
                    .iter()
                    .map(|e| JsonEdit {
                        path: &e.path,
                        file: &e.file,
                        line: e.span.line,
                        column: e.span.column,
                        end_line: e.span.end_line,
                        end_column: e.span.end_column,
                        replacement: &e.replacement,
                    })
                    .collect(),
            }),
            roundtrip: None,
            registry: f.registry.as_ref(),
        }
    }
}
