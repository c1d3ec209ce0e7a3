//! The outcome of a check ([`Report`]) and its renderings, one per
//! `--format`:
//!
//! | format | writer | for |
//! | --- | --- | --- |
//! | `text` | [`text::write_text`] (feature `text`) | people: miette diagnostics with snippets of both versions |
//! | `short` | [`write_short`] | people and scripts: `path:line:col: RULE_ID message` |
//! | `json` | [`write_json`], [`write_json_pairs`] | programs: a documented, versioned ([`JSON_VERSION`]) document |
//! | `sarif` | [`sarif::write`] | GitHub code scanning and other SARIF viewers |
//! | `github` | [`github::write`] | GitHub Actions annotations |
//! | `junit` | [`junit::write`] | GitLab, Jenkins test reports |
//! | `gitlab` | [`gitlab::write`] | GitLab code quality |
//! | `markdown` | [`markdown::write`] | a pull-request comment |
//!
//! The CI formats take several [`Pair`]s, one per comparison, so that
//! checking NEW against several old versions gives one document. Every
//! writer takes a `&mut dyn Write` and returns only its I/O errors.
//!
//! ```
//! use protocheck::{Check, report};
//!
//! let r = Check::new("fixtures/order/new_reuse").against("fixtures/order/old").run()?.reports.remove(0);
//! let mut out = Vec::new();
//! report::write_short(&r, &mut out)?;
//! assert!(String::from_utf8(out)?.starts_with(
//!     "fixtures/order/new_reuse/shop/order.proto:8:3: FIELD_SAME_TYPE "
//! ));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use crate::engine::finding::{Finding, JsonFinding, Severity};
use crate::rules::Level;
use crate::schema::{Schema, Side};

pub mod github;
pub mod gitlab;
pub mod junit;
pub mod markdown;
pub mod sarif;
#[cfg(feature = "text")]
pub mod text;

/// One comparison's report, with what NEW was checked against when there
/// are several (`--against` given more than once): what the CI formats
/// take, a slice of them per document.
#[derive(Debug, Clone, Copy)]
pub struct Pair<'a> {
    /// The old side as the user named it (`git:v1.0.0`); `None` when there
    /// is only one comparison.
    pub against: Option<&'a str>,
    /// The comparison's report.
    pub report: &'a Report,
}

impl<'a> Pair<'a> {
    /// The only comparison of a run.
    pub fn single(report: &'a Report) -> Self {
        Pair {
            against: None,
            report,
        }
    }
}

/// A rule's doc comment as Markdown (one leading space dropped per line).
pub(crate) fn rule_doc(doc: &str) -> String {
    let mut s = String::new();
    for line in doc.lines() {
        s.push_str(line.strip_prefix(' ').unwrap_or(line));
        s.push('\n');
    }
    s.trim_end().to_owned()
}

/// A stable identity for a finding that survives lines moving: SHA-256 over
/// the comparison, rule, file, element and message, in hex.
pub(crate) fn fingerprint(against: Option<&str>, f: &Finding) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for part in [
        against.unwrap_or(""),
        f.rule,
        &f.location.file,
        &f.element,
        &f.message,
    ] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The version of the JSON document; bumped on incompatible changes.
pub const JSON_VERSION: u32 = 1;

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    level: Option<Level>,
    rule_set: &'a str,
    breaking: bool,
    summary: JsonSummary,
    findings: Vec<JsonFinding<'a>>,
}

#[derive(Serialize)]
struct JsonSummary {
    errors: usize,
    warnings: usize,
    infos: usize,
    old_files: usize,
    new_files: usize,
    rules: BTreeMap<&'static str, usize>,
}

/// The JSON document of one comparison; `extra` adds a `"roundtrip"` value
/// to each finding (the evidence of `--roundtrip`).
fn json_doc<'a>(
    report: &'a Report,
    extra: &dyn Fn(&Finding) -> Option<serde_json::Value>,
) -> JsonReport<'a> {
    let mut rules = BTreeMap::new();
    for f in &report.findings {
        *rules.entry(f.rule).or_insert(0) += 1;
    }
    JsonReport {
        version: JSON_VERSION,
        level: report.level,
        rule_set: &report.rule_set,
        breaking: report.is_breaking(),
        summary: JsonSummary {
            errors: report.errors(),
            warnings: report.warnings(),
            infos: report.infos(),
            old_files: report.old_files,
            new_files: report.new_files,
            rules,
        },
        findings: report
            .findings
            .iter()
            .map(|f| {
                let mut json = JsonFinding::from(f);
                json.roundtrip = extra(f);
                json
            })
            .collect(),
    }
}

/// Writes the report as one JSON document (see the README for the schema):
/// `{"version", "level", "rule_set", "breaking", "summary", "findings"}`,
/// each finding as [`Finding`]'s `Serialize` writes it.
pub fn write_json(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    write_json_with(report, out, &|_| None)
}

/// [`write_json`], with an `extra` value added to each finding as
/// `"roundtrip"` (the round-trip evidence of `--roundtrip`).
pub fn write_json_with(
    report: &Report,
    out: &mut dyn Write,
    extra: &dyn Fn(&Finding) -> Option<serde_json::Value>,
) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &json_doc(report, extra))?;
    writeln!(out)
}

#[derive(Serialize)]
struct JsonPairs<'a> {
    version: u32,
    breaking: bool,
    pairs: Vec<JsonPair<'a>>,
}

#[derive(Serialize)]
struct JsonPair<'a> {
    against: Option<&'a str>,
    #[serde(flatten)]
    report: JsonReport<'a>,
}

/// Writes several comparisons as one JSON document: `{"version", "breaking",
/// "pairs": [{"against", …the single-comparison document…}]}`.
pub fn write_json_pairs(pairs: &[Pair], out: &mut dyn Write) -> io::Result<()> {
    let doc = JsonPairs {
        version: JSON_VERSION,
        breaking: pairs.iter().any(|p| p.report.is_breaking()),
        pairs: pairs
            .iter()
            .map(|p| JsonPair {
                against: p.against,
                report: json_doc(p.report, &|_| None),
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

/// Writes `path:line:col: RULE_ID message`, one line per finding.
pub fn write_short(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for f in &report.findings {
        let sev = match f.severity {
            Severity::Error => "",
            Severity::Warning => " (warning)",
            Severity::Info => " (info)",
        };
        writeln!(out, "{}: {}{sev} {}", f.position(), f.rule, f.message)?;
    }
    Ok(())
}

/// The closing line of text output: `3 breaking changes at level file (1
/// file old, 1 file new)`.
pub fn summary_line(report: &Report) -> String {
    let files = |n: usize| {
        if n == 1 {
            "1 file".to_owned()
        } else {
            format!("{n} files")
        }
    };
    let compared = format!(
        "{} old, {} new",
        files(report.old_files),
        files(report.new_files)
    );
    let (e, w) = (report.errors(), report.warnings());
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {many}")
        }
    };
    // "at level file", "under the rules of buf.yaml".
    let rules = if report.rule_set.starts_with("level ") {
        format!("at {}", report.rule_set)
    } else {
        format!("under {}", report.rule_set)
    };
    match (e, w) {
        (0, 0) => format!("no breaking changes {rules} ({compared})"),
        (0, w) => format!(
            "no breaking changes {rules}, {} ({compared})",
            plural(w, "warning", "warnings")
        ),
        (e, 0) => format!(
            "{} {rules} ({compared})",
            plural(e, "breaking change", "breaking changes"),
        ),
        (e, w) => format!(
            "{}, {} {rules} ({compared})",
            plural(e, "breaking change", "breaking changes"),
            plural(w, "warning", "warnings"),
        ),
    }
}

/// The outcome of a check: the findings, the rules they were found under,
/// and the file texts they point into (for rendering).
///
/// [`is_breaking`](Report::is_breaking) is the CLI's exit code 1. Read the
/// fields; reports are made by the check, and more fields may be added.
///
/// ```
/// use protocheck::{Check};
///
/// let r = Check::new("fixtures/order/new_reuse").against("fixtures/order/old").run()?.reports.remove(0);
/// assert!(r.is_breaking());
/// assert_eq!((r.errors(), r.warnings(), r.infos()), (3, 0, 0));
/// assert_eq!(r.rule_set, "level file");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Report {
    /// Sorted by path, line, column and rule.
    pub findings: Vec<Finding>,
    /// The level in force, when the rules are exactly one level's.
    pub level: Option<Level>,
    /// The rules in force, in words: "level file", "the rules of buf.yaml".
    pub rule_set: String,
    /// Whether warnings count as breaking.
    pub deny_warnings: bool,
    /// Notes about the configuration (deprecated rule IDs expanded).
    pub notes: Vec<String>,
    /// Problems in the configuration that did not stop the check (an ignore
    /// path that matches no file).
    pub warnings: Vec<String>,
    /// How many input files the old side had.
    pub old_files: usize,
    /// How many input files the new side had.
    pub new_files: usize,
    /// The text of every file a finding points into, for snippets.
    pub sources: Sources,
}

/// The texts of the files findings point into, by side and by the path a
/// [`Location`](crate::Location) shows: what renderers quote snippets from.
#[derive(Debug, Clone, Default)]
pub struct Sources(std::collections::HashMap<(Side, String), std::sync::Arc<str>>);

impl Sources {
    /// The text of the file shown as `path` on `side`, if a finding points
    /// into it and its text was read (a descriptor set has none).
    pub fn get(&self, side: Side, path: &str) -> Option<&std::sync::Arc<str>> {
        self.0.get(&(side, path.to_owned()))
    }

    pub(crate) fn add(&mut self, schema: &Schema, file: &str) {
        if let Some(f) = schema.file(file) {
            if let Some(src) = f.source() {
                // Keyed as findings show the path: a file at a git revision
                // by its path in the repository.
                let shown = match &f.revision {
                    Some(r) => f
                        .display_path
                        .strip_prefix(&format!("{r}:"))
                        .unwrap_or(&f.display_path)
                        .to_owned(),
                    None => f.display_path.clone(),
                };
                self.0
                    .entry((schema.side, shown))
                    .or_insert_with(|| src.text().clone());
            }
        }
    }
}

impl Report {
    /// Whether any finding is an error (or a warning under `deny_warnings`):
    /// the exit code 1 case.
    pub fn is_breaking(&self) -> bool {
        self.findings
            .iter()
            .any(|f| f.is_error() || (self.deny_warnings && f.severity == Severity::Warning))
    }

    /// How many findings are errors.
    pub fn errors(&self) -> usize {
        self.findings.iter().filter(|f| f.is_error()).count()
    }

    /// How many findings are warnings.
    pub fn warnings(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Warning)
            .count()
    }

    /// Findings that explain an accepted change.
    pub fn infos(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Info)
            .count()
    }
}
