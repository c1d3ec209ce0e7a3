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

use crate::engine::finding::{ElementKind, Finding, Severity};
use crate::report::Report;
use crate::schema::Side;

/// How to draw text output. The default: no color, 100 columns.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct TextOptions {
    /// Whether to use ANSI colors and styles.
    pub color: bool,
    /// The width to wrap messages and snippets at, in columns.
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
    source: Option<NamedSource<Snippets>>,
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

fn diagnostic(report: &Report, group: &[&Finding], texts: &mut Texts) -> Diag {
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
        .map(|t| {
            NamedSource::new(
                &first.location.path,
                texts.get(Side::New, &first.location.path, t),
            )
            .with_language("protobuf")
        });
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
    // Several helps are separate pieces of advice: each on its own line,
    // marked, so that wrapped they do not read as one run-on sentence.
    let help = match helps.len() {
        0 => None,
        1 => Some(helps[0].to_owned()),
        _ => Some(
            helps
                .iter()
                .map(|h| format!("• {h}"))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
    };

    let mut related = Vec::new();
    let old = group
        .iter()
        .find(|f| f.old_text.is_some())
        .copied()
        .unwrap_or(first);
    if let Some(loc) = &old.old_location {
        if let (Some(span), Some(text)) = (loc.span, report.sources.get(Side::Old, &loc.path)) {
            let what = match &old.old_text {
                Some(t) => format!("`{t}`"),
                None => "here in the old schema".to_owned(),
            };
            related.push(Diag {
                code: String::new(),
                message: what,
                severity: miette::Severity::Advice,
                source: Some(
                    NamedSource::new(
                        format!("{}{}", loc.path, loc.at_revision()),
                        texts.get(Side::Old, &loc.path, text),
                    )
                    .with_language("protobuf"),
                ),
                labels: vec![LabeledSpan::new(
                    Some("old".to_owned()),
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
fn place(l: &crate::engine::finding::Location, element: &str, side: &str) -> Option<String> {
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

/// Writes one diagnostic per changed element (findings about one element
/// are told together), with snippets of the new and the old file where their
/// text is in [`Report::sources`], then the summary line. Needs the `text`
/// feature (on with the default `cli`).
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
    // The old place is shown under its own plain "was:" line.
    let mut was_theme = theme.clone();
    was_theme.characters.advice = "was:".to_owned();
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(options.width)
        .with_context_lines(1);
    let was_handler = GraphicalReportHandler::new_themed(was_theme)
        .with_width(options.width)
        .with_context_lines(1);
    let mut texts = Texts::default();
    for group in groups(&report.findings) {
        let mut diag = diagnostic(report, &group, &mut texts);
        let related = std::mem::take(&mut diag.related);
        let mut s = String::new();
        handler
            .render_report(&mut s, &diag)
            .map_err(io::Error::other)?;
        for old in &related {
            s.push('\n');
            was_handler
                .render_report(&mut s, old)
                .map_err(io::Error::other)?;
        }
        writeln!(out, "{s}")?;
        if let Some(e) = extra(&group) {
            writeln!(out, "{e}")?;
        }
    }
    writeln!(out, "{}", super::summary_line(report))
}

/// The line starts of each file a snippet is shown from, computed once per
/// file: miette's own `SourceCode` for text scans from the start of the file
/// for every snippet, which made a report of many findings in one large file
/// quadratic.
#[derive(Default)]
struct Texts(std::collections::HashMap<(Side, String), Snippets>);

impl Texts {
    fn get(&mut self, side: Side, path: &str, text: &Arc<str>) -> Snippets {
        self.0
            .entry((side, path.to_owned()))
            .or_insert_with(|| Snippets::new(text.clone()))
            .clone()
    }
}

/// A file's text with its line starts (lines end at `\n`, `\r\n` or `\r`,
/// as miette counts them), read a few lines at a time.
#[derive(Debug, Clone)]
struct Snippets {
    text: Arc<str>,
    starts: Arc<[usize]>,
}

impl Snippets {
    fn new(text: Arc<str>) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                    i += 1;
                    starts.push(i + 1);
                }
                b'\r' | b'\n' => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        Snippets {
            text,
            starts: starts.into(),
        }
    }

    /// The 0-based line holding byte `offset`.
    fn line_of(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }
}

impl SourceCode for Snippets {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        // Hand miette only the lines around the span, then move what it
        // read back to the file's lines and offsets.
        // miette takes the span to end at its last byte (the byte before an
        // empty span).
        let end_byte = (span.offset() + span.len()).saturating_sub(1);
        let first = self
            .line_of(span.offset().min(end_byte))
            .saturating_sub(context_lines_before);
        let last = self.line_of(end_byte.max(span.offset()));
        let start = self.starts[first];
        let end = self
            .starts
            .get(last + context_lines_after + 2)
            .copied()
            .unwrap_or(self.text.len());
        let window = self.text.as_bytes().get(start..end);
        let window = window.ok_or(miette::MietteError::OutOfBounds)?;
        if span.offset() < start {
            return Err(miette::MietteError::OutOfBounds);
        }
        let local = miette::SourceSpan::new((span.offset() - start).into(), span.len());
        let read = window.read_span(&local, context_lines_before, context_lines_after)?;
        Ok(Box::new(miette::MietteSpanContents::new(
            read.data(),
            miette::SourceSpan::new((read.span().offset() + start).into(), read.span().len()),
            read.line() + first,
            read.column(),
            read.line_count() + first,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn same(text: &str, offset: usize, len: usize, before: usize, after: usize) {
        let snippets = Snippets::new(Arc::from(text));
        let span = miette::SourceSpan::new(offset.into(), len);
        let theirs = text.as_bytes().read_span(&span, before, after);
        let ours = snippets.read_span(&span, before, after);
        match (theirs, ours) {
            (Ok(t), Ok(o)) => {
                assert_eq!(
                    t.data(),
                    o.data(),
                    "{text:?} {offset}+{len} {before}/{after}"
                );
                assert_eq!(t.span(), o.span());
                assert_eq!(t.line(), o.line());
                assert_eq!(t.column(), o.column());
                assert_eq!(t.line_count(), o.line_count());
            }
            (Err(_), Err(_)) => {}
            (t, o) => panic!(
                "{text:?} {offset}+{len}: miette {:?}, ours {:?}",
                t.is_ok(),
                o.is_ok()
            ),
        };
    }

    #[test]
    fn snippets_read_what_miette_reads() {
        let text = "syntax = \"proto3\";\r\n\nmessage A {\r  int32 a = 1;\n}\n\nmessage B {}";
        for offset in 0..=text.len() {
            for len in 0..4 {
                for before in 0..3 {
                    for after in 0..3 {
                        same(text, offset, len, before, after);
                    }
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]
        #[test]
        fn snippets_read_what_miette_reads_on_any_lines(
            text in "[ab\r\n]{0,40}",
            offset in 0usize..45,
            len in 0usize..6,
            before in 0usize..3,
            after in 0usize..3,
        ) {
            // Spans inside the text, as findings' are (miette's own reader
            // panics on others).
            prop_assume!(offset + len <= text.len());
            same(&text, offset, len, before, after);
        }
    }
}
