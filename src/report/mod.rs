//! Rendering a [`Report`]: `text` (miette diagnostics, feature `text`),
//! `short` (one line per finding) and `json` (a documented public contract).

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use crate::finding::{Audience, ElementKind, Finding, Severity};
use crate::rules::Level;
use crate::Report;

#[cfg(feature = "text")]
pub mod text;

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

#[derive(Serialize)]
struct JsonFinding<'a> {
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
    old_path: Option<&'a str>,
    old_file: Option<&'a str>,
    old_line: Option<usize>,
    old_column: Option<usize>,
    old_end_line: Option<usize>,
    old_end_column: Option<usize>,
    old_text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    roundtrip: Option<serde_json::Value>,
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
            old_path: old.map(|o| o.path.as_str()),
            old_file: old.map(|o| o.file.as_str()),
            old_line: old_span.map(|s| s.line),
            old_column: old_span.map(|s| s.column),
            old_end_line: old_span.map(|s| s.end_line),
            old_end_column: old_span.map(|s| s.end_column),
            old_text: f.old_text.as_deref(),
            roundtrip: None,
        }
    }
}

/// Writes the report as one JSON document (see the README for the schema).
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
    let mut rules = BTreeMap::new();
    for f in &report.findings {
        *rules.entry(f.rule).or_insert(0) += 1;
    }
    let doc = JsonReport {
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
            .map(|f| JsonFinding {
                roundtrip: extra(f),
                ..JsonFinding::from(f)
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

/// The closing line of text output.
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
    match (e, w) {
        (0, 0) => format!("no breaking changes at {} ({compared})", report.rule_set),
        (0, w) => format!(
            "no breaking changes at {}, {} ({compared})",
            report.rule_set,
            plural(w, "warning", "warnings")
        ),
        (e, 0) => format!(
            "{} at {} ({compared})",
            plural(e, "breaking change", "breaking changes"),
            report.rule_set
        ),
        (e, w) => format!(
            "{}, {} at {} ({compared})",
            plural(e, "breaking change", "breaking changes"),
            plural(w, "warning", "warnings"),
            report.rule_set
        ),
    }
}
