//! Findings: what a rule reports, with resolved locations on both sides.

use std::fmt;

use serde::Serialize;

use crate::schema::span::Span;

/// How serious a finding is: errors make the check fail, warnings do not
/// (unless `--deny-warnings`), infos explain why a change was accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

/// Who is hurt by a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
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

/// What kind of schema element a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ElementKind {
    File,
    Package,
    Message,
    Field,
    Oneof,
    Enum,
    EnumValue,
    Service,
    Method,
    Extension,
}

/// A place in one version of the schema.
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

/// One change to a file of the new schema.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Edit {
    /// The file as shown to the user (as [`Location::path`]).
    pub path: String,
    /// The file's import name.
    pub file: String,
    /// The region replaced; empty (end = start) for an insertion.
    pub span: Span,
    /// The text that takes its place.
    pub replacement: String,
}

/// A machine-applicable fix: the edits that the finding's help describes.
/// Applied together to the new files (they never overlap), the new schema
/// compiles and the finding is gone at the level that reported it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Fix {
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
    #[serde(rename = "type")]
    pub kind: Option<&'static str>,
    pub path: String,
    pub message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

/// One unsafe change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule ID, e.g. `FIELD_SAME_TYPE`.
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    /// The concrete fix, in words.
    pub help: Option<String>,
    /// The fix as edits of the new files, when one can be made mechanically
    /// (the help is rendered from the same edits).
    pub fix: Option<Fix>,
    pub affects: Vec<Audience>,
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
