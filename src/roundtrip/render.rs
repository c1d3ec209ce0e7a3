//! Round-trip output: text for people, one JSON document for programs, and
//! the evidence shown under each finding of a check (`--roundtrip`).

use std::collections::BTreeMap;
use std::io::{self, Write};

use prost_reflect::text_format::FormatOptions;
use prost_reflect::DynamicMessage;
use serde::Serialize;
use similar::{ChangeTag, TextDiff};

use super::wire::{self, MsgType};
use super::{FieldResult, MessageReport, Outcome, RoundTrip};
use crate::engine::finding::{ElementKind, Finding};

/// The version of the round-trip JSON document.
pub const JSON_VERSION: u32 = 1;

#[derive(Serialize)]
struct Doc<'a> {
    version: u32,
    /// Whether any value is lost or changed (exit code 1).
    loss: bool,
    summary: BTreeMap<&'static str, usize>,
    /// The JSON leg's merged results per outcome.
    json_summary: BTreeMap<&'static str, usize>,
    notes: &'a [String],
    messages: &'a [MessageReport],
}

/// Writes the round trip as one JSON document (schema in the README).
pub fn write_json(rt: &RoundTrip, out: &mut dyn Write) -> io::Result<()> {
    let summary = rt
        .counts()
        .into_iter()
        .map(|(o, n)| (o.name(), n))
        .collect();
    let json_summary = rt
        .json_counts()
        .into_iter()
        .map(|(o, n)| (o.name(), n))
        .collect();
    let doc = Doc {
        version: JSON_VERSION,
        loss: rt.has_loss(),
        summary,
        json_summary,
        notes: &rt.notes,
        messages: &rt.messages,
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

/// Word-wraps `text` to `width` columns: `first` starts the first line,
/// `indent` the others.
pub fn wrap(text: &str, width: usize, first: &str, indent: &str) -> String {
    let mut out = String::new();
    let mut line = first.to_owned();
    let mut len = first.chars().count();
    let mut empty = true;
    // `name = value` stays on one line.
    let mut words: Vec<String> = Vec::new();
    let mut parts = text.split(' ').peekable();
    while let Some(w) = parts.next() {
        match (w, words.last_mut()) {
            ("=", Some(prev)) => {
                prev.push_str(" =");
                if let Some(next) = parts.next() {
                    prev.push(' ');
                    prev.push_str(next);
                }
            }
            _ => words.push(w.to_owned()),
        }
    }
    for word in &words {
        let wl = word.chars().count();
        if !empty && len + 1 + wl > width {
            out.push_str(line.trim_end());
            out.push('\n');
            line = indent.to_owned();
            len = indent.chars().count();
            empty = true;
        }
        if !empty {
            line.push(' ');
            len += 1;
        }
        line.push_str(word);
        len += wl;
        empty = false;
    }
    out.push_str(line.trim_end());
    out.push('\n');
    out
}

/// `order_id (1)`, `shipping.city (5.2)`
fn label(f: &FieldResult) -> String {
    let nums: Vec<String> = f.numbers.iter().map(u32::to_string).collect();
    let name = if f.path.is_empty() {
        format!("field {}", f.number)
    } else {
        f.path.clone()
    };
    format!("{name} ({})", nums.join("."))
}

fn counts_words(fields: &[FieldResult]) -> String {
    let mut c: BTreeMap<Outcome, usize> = BTreeMap::new();
    for f in fields {
        *c.entry(f.outcome).or_default() += 1;
    }
    if c.is_empty() {
        return "no fields".to_owned();
    }
    c.iter()
        .map(|(o, n)| format!("{n} {}", o.name()))
        .collect::<Vec<_>>()
        .join(", ")
}

const COL: usize = 22;

fn outcome_lines(f: &FieldResult, width: usize, indent: &str, sample_name: Option<&str>) -> String {
    let mut head = format!("{indent}{:<w$}", f.outcome.name(), w = COL - 1);
    head.push(' ');
    let hang = format!("{indent}{}", " ".repeat(COL));
    let mut text = format!("{}: {}", label(f), f.explanation);
    if let Some(s) = sample_name {
        text.push_str(&format!(" [sample: {s}]"));
    }
    let mut s = wrap(&text, width, &head, &hang);
    for n in &f.notes {
        s.push_str(&wrap(n, width, &format!("{hang}· "), &format!("{hang}  ")));
    }
    s
}

/// Writes the round trip for people.
pub fn write_text(rt: &RoundTrip, out: &mut dyn Write, width: usize) -> io::Result<()> {
    for note in &rt.notes {
        write!(out, "{}", wrap(&format!("note: {note}"), width, "", "  "))?;
    }
    for m in &rt.messages {
        writeln!(out, "message {}", m.message)?;
        for d in &m.directions {
            writeln!(out)?;
            writeln!(
                out,
                "  {}: {}",
                d.direction.describe(),
                counts_words(&d.fields)
            )?;
            let samples = m
                .samples
                .get(&d.writer)
                .map(Vec::as_slice)
                .unwrap_or_default();
            let name_of = |i: usize| samples.get(i).map(|s| s.name.as_str());
            if let Some(first) = d.runs.first() {
                let what = match name_of(first.sample) {
                    Some(n) if samples.len() > 1 || !n.starts_with("every field") => {
                        format!("{} writes ({n}): {}", d.writer, first.message)
                    }
                    _ => format!("{} writes {}", d.writer, first.message),
                };
                write!(out, "{}", wrap(&what, width, "    ", "      "))?;
                let bytes = if first.written.is_empty() {
                    "bytes: none (empty message)".to_owned()
                } else {
                    format!("bytes: {}", super::clip_hex_to(&first.written, 64))
                };
                write!(out, "{}", wrap(&bytes, width, "    ", "      "))?;
                if let (Some(a), Some(b)) = (&first.as_written, &first.as_read) {
                    write!(
                        out,
                        "{}",
                        text_diff(a, b, &d.writer.to_string(), &d.reader.to_string())
                    )?;
                }
                if d.runs.len() > 1 {
                    let others: Vec<&str> = d.runs[1..]
                        .iter()
                        .filter_map(|r| name_of(r.sample))
                        .collect();
                    write!(
                        out,
                        "{}",
                        wrap(
                            &format!("also: {}", others.join("; ")),
                            width,
                            "    ",
                            "      "
                        )
                    )?;
                }
            }
            // Each reason once, with the samples it happened to.
            let mut failures: Vec<(&str, Vec<&str>)> = Vec::new();
            for r in &d.runs {
                if let Some(e) = &r.decode_error {
                    let n = name_of(r.sample).unwrap_or_default();
                    match failures.iter_mut().find(|(x, _)| *x == e.as_str()) {
                        Some((_, v)) => v.push(n),
                        None => failures.push((e, vec![n])),
                    }
                }
            }
            for (e, names) in failures {
                let mut t = format!("the {} reader rejects the whole message: {e}", d.reader);
                if d.runs.len() > 1 {
                    if names.len() == d.runs.len() {
                        t.push_str(" [every sample]");
                    } else {
                        t.push_str(&format!(" [sample: {}]", names.join("; ")));
                    }
                }
                write!(out, "{}", wrap(&t, width, "    ", "      "))?;
            }
            let same: Vec<String> = d
                .fields
                .iter()
                .filter(|f| f.outcome == Outcome::Same && f.notes.is_empty())
                .map(label)
                .collect();
            if !same.is_empty() {
                let head = format!("    {:<w$} ", "same", w = COL - 1);
                let hang = format!("    {}", " ".repeat(COL));
                write!(out, "{}", wrap(&same.join(", "), width, &head, &hang))?;
            }
            for f in d
                .fields
                .iter()
                .filter(|f| f.outcome != Outcome::Same || !f.notes.is_empty())
            {
                let sample = (f.sample != 0).then(|| name_of(f.sample)).flatten();
                write!(out, "{}", outcome_lines(f, width, "    ", sample))?;
            }
            let json_same: Vec<&str> = d
                .json_fields
                .iter()
                .filter(|f| f.outcome == Outcome::Same)
                .map(|f| f.name.as_str())
                .collect();
            if !json_same.is_empty() {
                let head = format!("    {:<w$} ", "JSON same", w = COL - 1);
                let hang = format!("    {}", " ".repeat(COL));
                write!(out, "{}", wrap(&json_same.join(", "), width, &head, &hang))?;
            }
            for f in d.json_fields.iter().filter(|f| f.outcome != Outcome::Same) {
                let head = format!(
                    "    {:<w$} ",
                    format!("JSON {}", f.outcome.name()),
                    w = COL - 1
                );
                let hang = format!("    {}", " ".repeat(COL));
                write!(
                    out,
                    "{}",
                    wrap(
                        &format!("{}: {}", f.name, f.explanation),
                        width,
                        &head,
                        &hang
                    )
                )?;
            }
            for r in &d.runs {
                if let Some(e) = &r.json.error {
                    write!(
                        out,
                        "{}",
                        wrap(&format!("JSON: {e}"), width, "    ", "      ")
                    )?;
                }
            }
        }
        writeln!(out)?;
    }
    writeln!(out, "{}", summary_line(rt))
}

/// A message as the application holding it sees it, in protobuf text format
/// with one field a line; records it keeps only as unknown fields follow as
/// comments (`# 3: unknown, fixed32 0x41480000`). `None` when the message
/// cannot be rebuilt for printing.
pub(super) fn text_view(t: &MsgType, m: &wire::Msg) -> Option<String> {
    // The unknown records are left out of what is printed as fields: one of
    // a known number (a wire-type mismatch) would not decode.
    let known = wire::Msg {
        unknown: Vec::new(),
        ..m.clone()
    };
    let bytes = wire::write(t, &known);
    let msg = DynamicMessage::decode(t.desc.clone(), bytes.as_slice()).ok()?;
    let mut text =
        utf8_unescaped(&msg.to_text_format_with_options(&FormatOptions::new().pretty(true)));
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    for u in &m.unknown {
        text.push_str(&format!(
            "# {}: unknown, {}\n",
            u.number,
            super::compare::show_payload(u.wire_type, &u.payload)
        ));
    }
    Some(text)
}

/// Text format with octal escapes (`\\303\\274`) of non-ASCII bytes that
/// spell valid UTF-8 written as the characters (`ü`), as Go's text format
/// and protoc's `--decode` do; other escapes are kept.
fn utf8_unescaped(text: &str) -> String {
    let b = text.as_bytes();
    let octal = |i: usize| -> Option<u8> {
        let d = b.get(i + 1..i + 4)?;
        (b[i] == b'\\' && d.iter().all(|c| (b'0'..=b'7').contains(c)))
            .then(|| {
                u8::try_from(
                    (d[0] - b'0') as u32 * 64 + (d[1] - b'0') as u32 * 8 + (d[2] - b'0') as u32,
                )
                .ok()
            })
            .flatten()
    };
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        // A backslash escaping a backslash is not the start of an escape.
        if b[i] == b'\\' && b.get(i + 1) == Some(&b'\\') {
            out.push_str("\\\\");
            i += 2;
            continue;
        }
        let mut run = Vec::new();
        let mut j = i;
        while let Some(v) = octal(j).filter(|v| *v >= 0x80) {
            run.push(v);
            j += 4;
        }
        match std::str::from_utf8(&run) {
            Ok(chars) if !run.is_empty() => {
                out.push_str(chars);
                i = j;
            }
            _ => {
                let c = text[i..].chars().next().unwrap_or_default();
                out.push(c);
                i += c.len_utf8().max(1);
            }
        }
    }
    out
}

/// The message as written and as read, as a diff of their text format:
/// lines the reader sees differently marked `-` (as written) and `+` (as
/// read), a few unchanged lines around them; nothing when they are the
/// same.
pub fn text_diff(written: &str, read: &str, writer: &str, reader: &str) -> String {
    if written == read {
        return String::new();
    }
    let diff = TextDiff::from_lines(written, read);
    let mut s = format!("    as written (-, {writer}) and as read (+, {reader}):\n");
    for (i, group) in diff.grouped_ops(2).iter().enumerate() {
        if i > 0 {
            s.push_str("      …\n");
        }
        for op in group {
            for change in diff.iter_changes(op) {
                let mark = match change.tag() {
                    ChangeTag::Delete => '-',
                    ChangeTag::Insert => '+',
                    ChangeTag::Equal => ' ',
                };
                let line = change.value().trim_end_matches('\n');
                s.push_str(&format!("    {mark} {line}\n"));
            }
        }
    }
    s
}

/// The closing line: how many fields lost or changed anything.
pub fn summary_line(rt: &RoundTrip) -> String {
    let messages = match rt.messages.len() {
        0 => "no message type".to_owned(),
        1 => "1 message type".to_owned(),
        n => format!("{n} message types"),
    };
    let mut losses: BTreeMap<&'static str, usize> = BTreeMap::new();
    for m in &rt.messages {
        for d in &m.directions {
            for f in d.fields.iter().filter(|f| f.outcome.is_loss()) {
                *losses.entry(f.outcome.name()).or_default() += 1;
            }
            let json = d.json_fields.iter().filter(|f| f.is_loss()).count();
            if json > 0 {
                *losses.entry("JSON").or_default() += json;
            }
        }
    }
    if losses.is_empty() {
        // Kept as unknown fields: passed on byte for byte, but the reader's
        // application does not see them (a new field, or a number a closed
        // enum lacks, which then reads as the default).
        let unknown: usize = rt
            .messages
            .iter()
            .flat_map(|m| &m.directions)
            .flat_map(|d| &d.fields)
            .filter(|f| f.outcome == Outcome::UnknownPreserved)
            .count();
        return match unknown {
            0 => format!("round trip of {messages}, both directions: nothing lost or changed"),
            n => format!(
                "round trip of {messages}, both directions: nothing lost or changed; {n} {} kept only as unknown fields (passed on byte for byte, not seen by the reader)",
                if n == 1 { "value" } else { "values" }
            ),
        };
    }
    let total: usize = losses.values().sum();
    let parts: Vec<String> = losses.iter().map(|(k, n)| format!("{n} {k}")).collect();
    format!(
        "round trip of {messages}, both directions: {total} {} lost or changed ({})",
        if total == 1 { "value" } else { "values" },
        parts.join(", ")
    )
}

/// The round-trip results that bear on a finding: the field's results in
/// both directions for a field finding; the message's failures for a message
/// finding; the results of fields of that enum type for an enum finding.
pub fn evidence_for<'a>(rt: &'a RoundTrip, f: &Finding) -> Vec<&'a FieldResult> {
    let all = |m: &'a MessageReport| m.directions.iter().flat_map(|d| d.fields.iter());
    match f.element_kind {
        ElementKind::Field | ElementKind::Extension => {
            let mut parts = f.subject.splitn(3, ':').skip(1);
            let (Some(message), Some(number)) = (parts.next(), parts.next()) else {
                return Vec::new();
            };
            let Ok(number) = number.parse::<u32>() else {
                return Vec::new();
            };
            rt.message(message)
                .map(|m| {
                    all(m)
                        .filter(|r| {
                            r.numbers.first() == Some(&number)
                                || (r.numbers.len() == 1 && r.cleared_by == Some(number))
                        })
                        .collect()
                })
                .unwrap_or_default()
        }
        ElementKind::Message => rt
            .message(&f.element)
            .map(|m| all(m).filter(|r| r.outcome.is_loss()).collect())
            .unwrap_or_default(),
        ElementKind::Enum | ElementKind::EnumValue => {
            let enum_name = match f.element_kind {
                ElementKind::Enum => f.element.as_str(),
                _ => f.element.rsplit_once('.').map_or("", |(e, _)| e),
            };
            let of_enum = |t: &Option<String>| {
                t.as_deref().is_some_and(|t| {
                    t == enum_name || t.strip_prefix("repeated ") == Some(enum_name)
                })
            };
            rt.messages
                .iter()
                .flat_map(all)
                .filter(|r| r.numbers.len() == 1)
                .filter(|r| of_enum(&r.writer_type) || of_enum(&r.reader_type))
                .filter(|r| r.outcome != Outcome::Same || !r.notes.is_empty() || r.json.is_some())
                .collect()
        }
        _ => Vec::new(),
    }
}

/// The evidence as text, to go under a finding.
pub fn evidence_text(results: &[&FieldResult], width: usize) -> Option<String> {
    if results.is_empty() {
        return None;
    }
    let mut s = String::from("  round trip (protocheck roundtrip):\n");
    for f in results {
        let head = format!(
            "    {}  {:<w$} ",
            f.direction.arrow(),
            f.outcome.name(),
            w = COL - 3
        );
        let hang = " ".repeat(head.chars().count());
        s.push_str(&wrap(
            &format!("{}: {}", label(f), f.explanation),
            width,
            &head,
            &hang,
        ));
        for n in &f.notes {
            s.push_str(&wrap(n, width, &format!("{hang}· "), &format!("{hang}  ")));
        }
        if let Some(j) = &f.json {
            let head = format!(
                "    {}  {:<w$} ",
                f.direction.arrow(),
                format!("JSON {}", j.outcome.name()),
                w = COL - 3
            );
            s.push_str(&wrap(
                &format!("{}: {}", j.name, j.explanation),
                width,
                &head,
                &hang,
            ));
        }
    }
    Some(s)
}

/// The check's JSON document with each finding's round-trip evidence added
/// as `"roundtrip"` (an array of field results).
pub fn write_check_json(
    report: &crate::report::Report,
    rt: &RoundTrip,
    out: &mut dyn Write,
) -> io::Result<()> {
    crate::report::write_json_with(report, out, &|f| {
        serde_json::to_value(evidence_for(rt, f)).ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_texts_have_no_diff() {
        assert_eq!(text_diff("a: 1\nb: 2\n", "a: 1\nb: 2\n", "old", "new"), "");
    }

    #[test]
    fn changed_lines_are_marked_with_context_around_them() {
        let written = "a: 1\nb: 2\nc: 3\nd: 4\ne: 5\nf: 6\n";
        let read = "a: 1\nb: 2\nc: 3\nd: 4\ne: 5\nf: 7\n";
        assert_eq!(
            text_diff(written, read, "old", "new"),
            "    as written (-, old) and as read (+, new):\n      d: 4\n      e: 5\n    - f: 6\n    + f: 7\n"
        );
    }

    #[test]
    fn utf8_octal_escapes_become_characters_and_others_stay() {
        assert_eq!(utf8_unescaped(r#"s: "a-\303\274""#), "s: \"a-ü\"");
        // Not UTF-8 on its own: kept.
        assert_eq!(utf8_unescaped(r#"b: "\377\001""#), r#"b: "\377\001""#);
        // An escaped backslash followed by digits is not an escape.
        assert_eq!(utf8_unescaped(r#"s: "\\303""#), r#"s: "\\303""#);
    }
}
