//! Human output: one miette diagnostic per changed element. Findings about the
//! same element (a reused field number, say) are told together as one story,
//! each still with its rule ID.

use std::collections::HashMap;
use std::fmt;
use std::io::{self, Write};
use std::sync::Arc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode,
};

use crate::finding::{ElementKind, Finding, Severity};
use crate::schema::Side;
use crate::Report;

/// How to draw text output.
#[derive(Debug, Clone, Copy)]
pub struct TextOptions {
    pub color: bool,
    pub width: usize,
}

impl Default for TextOptions {
    fn default() -> Self {
        TextOptions {
            color: false,
            width: 100,
        }
    }
}

#[derive(Debug)]
struct Diag {
    code: String,
    message: String,
    severity: miette::Severity,
    source: Option<NamedSource<Arc<str>>>,
    labels: Vec<LabeledSpan>,
    help: Option<String>,
    related: Vec<Diag>,
}

impl fmt::Display for Diag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Diag {}

impl Diagnostic for Diag {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.code.is_empty()).then(|| Box::new(&self.code) as Box<dyn fmt::Display>)
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.source.is_none() || self.labels.is_empty() {
            return None;
        }
        Some(Box::new(self.labels.iter().cloned()))
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|d| d as &dyn Diagnostic)))
    }
}

/// Groups findings by the element they are about, in report order.
fn groups(findings: &[Finding]) -> Vec<Vec<&Finding>> {
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut out: Vec<Vec<&Finding>> = Vec::new();
    for f in findings {
        match index.get(f.subject.as_str()) {
            Some(&i) => out[i].push(f),
            None => {
                index.insert(&f.subject, out.len());
                out.push(vec![f]);
            }
        }
    }
    out
}

/// The one-line story of several findings about one element.
pub fn story(group: &[&Finding]) -> Option<String> {
    let first = group.first()?;
    if group.len() < 2 {
        return None;
    }
    let has = |id: &str| group.iter().any(|f| f.rule == id);
    if first.element_kind == ElementKind::Field {
        let mut parts = first.subject.splitn(3, ':').skip(1);
        let (message, number) = (parts.next()?, parts.next()?);
        let retyped = has("FIELD_SAME_TYPE")
            || has("FIELD_WIRE_COMPATIBLE_TYPE")
            || has("FIELD_WIRE_JSON_COMPATIBLE_TYPE");
        let renamed = has("FIELD_SAME_NAME") || has("FIELD_SAME_JSON_NAME");
        let deleted = group.iter().all(|f| f.rule.starts_with("FIELD_NO_DELETE"));
        return Some(if retyped && renamed {
            format!("field number {number} of message \"{message}\" reused with a different name and type")
        } else if renamed
            && group
                .iter()
                .all(|f| f.rule.starts_with("FIELD_SAME_") && f.rule.contains("NAME"))
        {
            format!("field number {number} of message \"{message}\" renamed")
        } else if deleted {
            format!(
                "field number {number} deleted from message \"{message}\" without a reservation"
            )
        } else {
            format!(
                "field number {number} of message \"{message}\" changed in {} ways",
                group.len()
            )
        });
    }
    Some(format!(
        "{} changes to {} \"{}\"",
        group.len(),
        kind_words(first.element_kind),
        first.element
    ))
}

fn kind_words(k: ElementKind) -> &'static str {
    match k {
        ElementKind::File => "file",
        ElementKind::Package => "package",
        ElementKind::Message => "message",
        ElementKind::Field => "field",
        ElementKind::Oneof => "oneof",
        ElementKind::Enum => "enum",
        ElementKind::EnumValue => "enum value",
        ElementKind::Service => "service",
        ElementKind::Method => "method",
        ElementKind::Extension => "extension",
    }
}

fn diagnostic(report: &Report, group: &[&Finding]) -> Diag {
    let first = group[0];
    let code = group.iter().map(|f| f.rule).collect::<Vec<_>>().join(", ");
    let severity = match group.iter().map(|f| f.severity).min() {
        Some(Severity::Error) => miette::Severity::Error,
        Some(Severity::Warning) => miette::Severity::Warning,
        _ => miette::Severity::Advice,
    };
    let story = story(group);
    let message = match &story {
        Some(s) => {
            let mut m = s.clone();
            for f in group {
                m.push_str(&format!("\n{}: {}", f.rule, f.message));
            }
            m
        }
        None => first.message.clone(),
    };
    let affects = {
        let mut a: Vec<_> = group
            .iter()
            .flat_map(|f| f.affects.iter().copied())
            .collect();
        a.sort();
        a.dedup();
        a.iter()
            .map(|a| a.describe())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut message = format!("{message}\nbreaks: {affects}");

    let source = report
        .sources
        .get(Side::New, &first.location.path)
        .map(|t| NamedSource::new(&first.location.path, t.clone()).with_language("protobuf"));
    // Without the file's text (a descriptor set) there is no snippet: say
    // where, as well as there is a place to say.
    if source.is_none() {
        if let Some(at) = place(&first.location, &first.element, "new") {
            message.push_str(&format!("\nat {at}"));
        }
    }
    if let Some(old) = first.old_location.as_ref() {
        if report.sources.get(Side::Old, &old.path).is_none() {
            if let Some(at) = place(old, &first.element, "old") {
                message.push_str(&format!("\nwas at {at}"));
            }
        }
    }
    let mut labels: Vec<(usize, usize, Vec<&str>)> = Vec::new();
    for f in group {
        if f.location.path != first.location.path {
            continue;
        }
        if let Some(s) = f.location.span {
            match labels.iter_mut().find(|l| (l.0, l.1) == (s.offset, s.len)) {
                Some(l) => l.2.push(f.rule),
                None => labels.push((s.offset, s.len, vec![f.rule])),
            }
        }
    }
    let labels = labels
        .into_iter()
        .map(|(off, len, rules)| LabeledSpan::new(Some(rules.join(", ")), off, len))
        .collect();

    let mut helps: Vec<&str> = Vec::new();
    for f in group {
        if let Some(h) = &f.help {
            if !helps.contains(&h.as_str()) {
                helps.push(h);
            }
        }
    }
    if story.as_deref().is_some_and(|s| s.contains("reused")) {
        helps.truncate(1);
    }
    let help = (!helps.is_empty()).then(|| helps.join("\n"));

    let mut related = Vec::new();
    let old = group
        .iter()
        .find(|f| f.old_text.is_some())
        .copied()
        .unwrap_or(first);
    if let Some(loc) = &old.old_location {
        if let (Some(span), Some(text)) = (loc.span, report.sources.get(Side::Old, &loc.path)) {
            let what = match &old.old_text {
                Some(t) => format!("in the old schema: `{t}`"),
                None => "in the old schema".to_owned(),
            };
            related.push(Diag {
                code: String::new(),
                message: what,
                severity: miette::Severity::Advice,
                source: Some(
                    NamedSource::new(format!("{}{}", loc.path, loc.at_revision()), text.clone())
                        .with_language("protobuf"),
                ),
                labels: vec![LabeledSpan::new(
                    Some("was".to_owned()),
                    span.offset,
                    span.len,
                )],
                help: None,
                related: Vec::new(),
            });
        }
    }
    Diag {
        code,
        message,
        severity,
        source,
        labels,
        help,
        related,
    }
}

/// `path:line:col`, or the element and its file when the schema has no
/// source info; `None` for a place with no position of its own.
fn place(l: &crate::finding::Location, element: &str, side: &str) -> Option<String> {
    match l.span {
        Some(s) => Some(format!(
            "{}:{}:{}{}",
            l.path,
            s.line,
            s.column,
            l.at_revision()
        )),
        None if !l.source_info && element != l.file => Some(format!(
            "{element} in {}{} (the {side} schema has no source info)",
            l.path,
            l.at_revision()
        )),
        None if !l.source_info => Some(format!(
            "{}{} (the {side} schema has no source info)",
            l.path,
            l.at_revision()
        )),
        None => None,
    }
}

/// Writes one diagnostic per changed element, then the summary line.
pub fn write_text(report: &Report, out: &mut dyn Write, options: TextOptions) -> io::Result<()> {
    write_text_with(report, out, options, &|_| None)
}

/// [`write_text`], with `extra` text (e.g. round-trip evidence) written under
/// each diagnostic; it gets the findings the diagnostic tells.
pub fn write_text_with(
    report: &Report,
    out: &mut dyn Write,
    options: TextOptions,
    extra: &dyn Fn(&[&Finding]) -> Option<String>,
) -> io::Result<()> {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(options.width)
        .with_context_lines(1);
    for group in groups(&report.findings) {
        let diag = diagnostic(report, &group);
        let mut s = String::new();
        handler
            .render_report(&mut s, &diag)
            .map_err(io::Error::other)?;
        writeln!(out, "{s}")?;
        if let Some(e) = extra(&group) {
            writeln!(out, "{e}")?;
        }
    }
    writeln!(out, "{}", super::summary_line(report))
}
