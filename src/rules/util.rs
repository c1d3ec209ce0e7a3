//! Wording and small computations the rules share.

use std::ops::Range;

use prost_types::FileOptions;

use crate::engine::{Cx, FieldPair, FilePair, Part};
use crate::schema::{Cardinality, Enum, Field, Kind, Message, Schema};

/// The type as a user reads it: `float`, `shop.Money`, `enum shop.Color`.
pub fn type_words(f: &Field) -> String {
    match (&f.kind, &f.type_name) {
        (Kind::Enum, Some(t)) => format!("enum \"{t}\""),
        (Kind::Message, Some(t)) => format!("message \"{t}\""),
        // Editions have no groups: a message field with DELIMITED encoding.
        (Kind::Group, Some(t)) if is_editions(f) => {
            format!("message \"{t}\" (delimited encoding)")
        }
        (Kind::Group, Some(t)) => format!("group \"{t}\""),
        (k, _) => format!("\"{}\"", k.name()),
    }
}

/// Whether the field is declared in a file written with `edition = "…"`.
pub fn is_editions(f: &Field) -> bool {
    f.features.edition.is_editions()
}

/// What a type change does to data already written, in one clause.
pub fn type_change_consequence(old: &Field, new: &Field) -> String {
    use Kind::*;
    let (o, n) = (old.kind, new.kind);
    let (ow, nw) = (o.wire_type(), n.wire_type());
    if matches!((o, n), (Message, Group) | (Group, Message)) && old.type_name == new.type_name {
        return format!(
            "a message written {} does not match the {} encoding readers now expect: it is dropped as unknown or fails to decode",
            encoding_words(old),
            encoding_words(new)
        );
    }
    if ow != nw {
        return format!(
            "data written as {} ({ow}) can no longer be read as {} ({nw})",
            o.name(),
            n.name()
        );
    }
    let signed = |k: Kind| matches!(k, Int32 | Int64 | Sint32 | Sint64 | Sfixed32 | Sfixed64);
    let bits = |k: Kind| match k {
        Int32 | Uint32 | Sint32 | Fixed32 | Sfixed32 | Float => 32,
        _ => 64,
    };
    match (o, n) {
        (Enum, Enum) | (Message, Message) | (Group, Group) => format!(
            "values are read as {} instead of {}",
            type_words(new),
            type_words(old)
        ),
        (String, Bytes) => "the bytes are the same, but generated code changes type".to_owned(),
        // Length-delimited both, but a string is rarely a valid message.
        (String | Bytes, Message) => format!(
            "{} values are parsed as {}: unless the bytes happen to be a valid one, readers fail to decode the whole message",
            o.name(),
            type_words(new)
        ),
        (Message, Bytes) => {
            "the message's encoded bytes are read as opaque bytes: readers no longer see its fields"
                .to_owned()
        }
        (Message, String) => "the message's encoded bytes are read as a string, which they rarely are: readers that check UTF-8 fail to decode the whole message".to_owned(),
        (Bytes, String) => "bytes that are not valid UTF-8 fail to decode as a string".to_owned(),
        // sint32 and sint64 are both zigzag: only the width differs.
        (Sint32 | Sint64, Sint32 | Sint64) if bits(o) > bits(n) => format!(
            "{} values beyond 32 bits are silently truncated when read as {}",
            o.name(),
            n.name()
        ),
        (Sint32 | Sint64, Sint32 | Sint64) => format!(
            "{} values keep their meaning on the wire, but generated code changes type",
            o.name()
        ),
        (Sint32 | Sint64, _) | (_, Sint32 | Sint64) => format!(
            "{} and {} encode numbers differently (zigzag vs two's complement): -5 written as {} is read as garbage",
            o.name(),
            n.name(),
            o.name()
        ),
        (Bool, _) => format!("true and false are read as the {} 1 and 0", n.name()),
        (_, Bool) => format!("every {} other than 0 is read as true", o.name()),
        (Enum, _) => format!("enum numbers are read as plain {} values", n.name()),
        (_, Enum) => format!("{} values are read as enum numbers, unknown ones kept as numbers", o.name()),
        (Float | Double, _) | (_, Float | Double) => format!(
            "the same {ow} bits are reinterpreted: a {} is read as an unrelated {}",
            o.name(),
            n.name()
        ),
        _ if bits(o) > bits(n) => format!(
            "{} values beyond 32 bits are silently truncated when read as {}",
            o.name(),
            n.name()
        ),
        _ if signed(o) != signed(n) => format!(
            "negative values are read as large positive numbers or the reverse (-1 becomes {})",
            if bits(n) == 32 { "4294967295" } else { "18446744073709551615" }
        ),
        _ => format!(
            "{} values keep their meaning on the wire, but generated code changes type",
            o.name()
        ),
    }
}

/// What a type change does to JSON clients, where the JSON form changes.
pub fn json_change_consequence(old: &Field, new: &Field) -> Option<String> {
    use Kind::*;
    let int64 = |k: Kind| matches!(k, Int64 | Uint64 | Sint64 | Fixed64 | Sfixed64);
    let int32 = |k: Kind| matches!(k, Int32 | Uint32 | Sint32 | Fixed32 | Sfixed32);
    let (o, n) = (old.kind, new.kind);
    Some(match (o, n) {
        _ if (int32(o) && int64(n)) || (int64(o) && int32(n)) => {
            "JSON writes 64-bit integers as strings (\"5\") and 32-bit ones as numbers (5)"
                .to_owned()
        }
        (String, Bytes) | (Bytes, String) => {
            "JSON writes bytes as base64 and strings as text".to_owned()
        }
        (Enum, Enum) => format!(
            "JSON clients send and read value names of {} instead of {}",
            type_words(new),
            type_words(old)
        ),
        (Bool, _) | (_, Bool) => "JSON writes bools as true/false, not numbers".to_owned(),
        (Enum, _) | (_, Enum) => "JSON writes enums as names, not numbers".to_owned(),
        _ => return None,
    })
}

/// `length-prefixed` or `delimited (group)`.
fn encoding_words(f: &Field) -> &'static str {
    if f.kind == Kind::Group {
        "delimited (group)"
    } else {
        "length-prefixed"
    }
}

/// How the field would be declared under another number.
pub fn declaration(f: &Field, number: u32) -> String {
    if is_editions(f) {
        return editions_declaration(f, number);
    }
    let label = match f.cardinality {
        Cardinality::Repeated => "repeated ",
        Cardinality::Required => "required ",
        Cardinality::OptionalExplicit if f.proto3_optional => "optional ",
        _ => "",
    };
    let ty = match &f.type_name {
        Some(t) if f.cardinality != Cardinality::Map => t.clone(),
        Some(_) => "map<…>".to_owned(),
        None => f.kind.name().to_owned(),
    };
    format!("{label}{ty} {} = {number};", f.name)
}

/// [`declaration`] in an editions file: no `optional` or `required`
/// keywords, features where the field's differ from the file's.
fn editions_declaration(f: &Field, number: u32) -> String {
    use crate::features::{FieldPresence, MessageEncoding};
    let ty = match &f.type_name {
        Some(t) if f.cardinality != Cardinality::Map => t.clone(),
        Some(_) => "map<…>".to_owned(),
        None => f.kind.name().to_owned(),
    };
    let label = if f.cardinality == Cardinality::Repeated {
        "repeated "
    } else {
        ""
    };
    let mut options = Vec::new();
    // Written presence is repeated (it may come from the file); the
    // default is left out.
    let presence = match f.cardinality {
        Cardinality::Required => Some(FieldPresence::LegacyRequired),
        _ if matches!(f.kind, Kind::Message | Kind::Group) || f.oneof.is_some() => None,
        Cardinality::OptionalExplicit | Cardinality::OptionalImplicit
            if f.features
                .is_written(crate::features::Feature::FieldPresence) =>
        {
            Some(f.features.field_presence)
        }
        _ => None,
    };
    if let Some(p) = presence {
        options.push(format!("features.field_presence = {p}"));
    }
    if f.kind == Kind::Group && f.features.message_encoding == MessageEncoding::Delimited {
        options.push("features.message_encoding = DELIMITED".to_owned());
    }
    let options = if options.is_empty() {
        String::new()
    } else {
        format!(" [{}]", options.join(", "))
    };
    format!("{label}{ty} {} = {number}{options};", f.name)
}

/// `reserved 3; reserved "total";`
pub fn reserve_both(old: &Field) -> String {
    format!("reserved {}; reserved \"{}\";", old.number, old.name)
}

/// The fix for a field number reused with another meaning.
pub fn new_number_help(p: &FieldPair) -> Option<String> {
    let (old, new) = (p.old?, p.new?);
    if matches!(
        (old.kind, new.kind),
        (Kind::Message, Kind::Group) | (Kind::Group, Kind::Message)
    ) && old.type_name == new.type_name
        && is_editions(new)
    {
        let encoding = if old.kind == Kind::Group {
            "DELIMITED"
        } else {
            "LENGTH_PREFIXED"
        };
        return Some(format!(
            "set `[features.message_encoding = {encoding}]` on the field (or its file) as it was: data already written keeps its encoding"
        ));
    }
    Some(format!(
        "declare the new field under an unused number, e.g. `{}`, and reserve the old number and name so they are never reused: `{}`",
        declaration(new, p.new_message.next_free_number()),
        reserve_both(old)
    ))
}

/// Enums whose short names match and whose old values all survive under the
/// same numbers: buf's wire-level exception for a renamed enum type.
pub fn enum_is_compatible_subset(old: &Schema, new: &Schema, o: &Field, n: &Field) -> bool {
    let (Some(ot), Some(nt)) = (&o.type_name, &n.type_name) else {
        return false;
    };
    let (Some(oe), Some(ne)) = (old.enum_(ot), new.enum_(nt)) else {
        return false;
    };
    oe.name == ne.name && is_subset(oe, ne)
}

/// Whether a field's enum type can change to another enum on the wire: the
/// new enum keeps every number of the old one and its openness (values are
/// numbers on the wire; names only matter to JSON and generated code).
pub fn enum_keeps_numbers(old: &Schema, new: &Schema, o: &Field, n: &Field) -> Result<(), String> {
    let (Some(ot), Some(nt)) = (&o.type_name, &n.type_name) else {
        return Err("an enum type is not known".to_owned());
    };
    let (Some(oe), Some(ne)) = (old.enum_(ot), new.enum_(nt)) else {
        return Err(format!("enum \"{ot}\" or \"{nt}\" is not defined"));
    };
    if oe.closed != ne.closed {
        return Err(format!(
            "\"{ot}\" is {} but \"{nt}\" is {}",
            if oe.closed { "closed" } else { "open" },
            if ne.closed { "closed" } else { "open" }
        ));
    }
    for v in &oe.values {
        if !ne.values.iter().any(|w| w.number == v.number) {
            return Err(format!(
                "enum value {} \"{}\" of \"{ot}\" is missing from \"{nt}\"",
                v.number, v.name
            ));
        }
    }
    Ok(())
}

fn is_subset(old: &Enum, new: &Enum) -> bool {
    old.values.iter().all(|v| {
        new.values
            .iter()
            .any(|w| w.name == v.name && w.number == v.number)
    })
}

/// The parts of `old` not covered by any of `new` (ranges end-exclusive).
pub fn uncovered(old: &[Range<u64>], new: &[Range<u64>]) -> Vec<Range<u64>> {
    let mut cover: Vec<Range<u64>> = new.iter().filter(|r| r.start < r.end).cloned().collect();
    cover.sort_by_key(|r| r.start);
    let mut out = Vec::new();
    for r in old {
        let mut start = r.start;
        for c in &cover {
            if c.end <= start || c.start >= r.end {
                continue;
            }
            if c.start > start {
                out.push(start..c.start);
            }
            start = start.max(c.end);
            if start >= r.end {
                break;
            }
        }
        if start < r.end {
            out.push(start..r.end);
        }
    }
    out
}

/// `3`, `3 to 5`, `3 to max`, joined with commas (end-exclusive input).
pub fn ranges_words(ranges: &[Range<u64>], max: u64) -> String {
    ranges
        .iter()
        .map(|r| {
            let last = r.end - 1;
            if r.start == last {
                r.start.to_string()
            } else if last >= max {
                format!("{} to max", r.start)
            } else {
                format!("{} to {last}", r.start)
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The message's reserved ranges as u64 ranges.
pub fn message_reserved(m: &Message) -> Vec<Range<u64>> {
    m.reserved_ranges
        .iter()
        .map(|r| u64::from(r.start)..u64::from(r.end))
        .collect()
}

/// One field of `FileOptions`, compared by the `FILE_SAME_<OPTION>` rules.
pub struct FileOption {
    /// The option as written after `option`, e.g. `java_package`.
    pub name: &'static str,
    /// Its field number in `FileOptions` (where findings point).
    pub number: i32,
    /// Its effective value written as in a .proto file: an unset option has
    /// descriptor.proto's default (`""`, `false`, `true` for
    /// `cc_enable_arenas`, `SPEED` for `optimize_for`).
    pub value: fn(&FileOptions) -> String,
    /// What changing it breaks, as a clause for the help text.
    pub breaks: &'static str,
}

impl FileOption {
    /// Reports a change of the effective value in a file present on both sides.
    pub fn check(&self, cx: &mut Cx, p: &FilePair) {
        let (Some(old), Some(new)) = (p.old, p.new) else {
            return;
        };
        let default = FileOptions::default();
        let value = |o: &Option<FileOptions>| (self.value)(o.as_ref().unwrap_or(&default));
        let (before, after) = (value(&old.options), value(&new.options));
        if before == after {
            return;
        }
        let undo = if before == (self.value)(&default) {
            format!(
                "remove `option {} = {after};` (the default is {before})",
                self.name
            )
        } else {
            format!("restore `option {} = {before};`", self.name)
        };
        cx.report(
            p.at(Part::Option(self.number)),
            format!(
                "file \"{}\" changed option \"{}\" from {before} to {after}",
                p.name, self.name
            ),
        )
        .help(format!("{undo}: {}", self.breaks));
    }
}

/// `package "shop"`, or the empty package said in words.
pub fn package_words(package: &str) -> String {
    if package.is_empty() {
        "the empty package (files with no package statement)".to_owned()
    } else {
        format!("package \"{package}\"")
    }
}

/// A string as a .proto literal: `"com.shop"`.
pub fn quoted(s: &str) -> String {
    format!("{s:?}")
}

/// Which end of a method streams.
#[derive(Clone, Copy)]
pub enum StreamEnd {
    Request,
    Response,
}

/// The check shared by RPC_SAME_CLIENT_STREAMING and
/// RPC_SAME_SERVER_STREAMING: one end of a method changed between a single
/// message and a stream.
pub fn check_streaming(cx: &mut Cx, p: &crate::engine::MethodPair, end: StreamEnd) {
    let (Some(old), Some(new)) = (p.old, p.new) else {
        return;
    };
    let streams = |m: &crate::schema::Method| match end {
        StreamEnd::Request => m.client_streaming,
        StreamEnd::Response => m.server_streaming,
    };
    if streams(old) == streams(new) {
        return;
    }
    let (part, verb, words): (Part, &str, fn(bool) -> &'static str) = match end {
        StreamEnd::Request => (Part::ClientStreaming, "", |s| {
            if s {
                "a request stream"
            } else {
                "a single request"
            }
        }),
        StreamEnd::Response => (Part::ServerStreaming, "returning ", |s| {
            if s {
                "a response stream"
            } else {
                "a single response"
            }
        }),
    };
    let signature = |name: &str, m: &crate::schema::Method| {
        let stream = |s: bool| if s { "stream " } else { "" };
        format!(
            "rpc {name}({}{}) returns ({}{});",
            stream(m.client_streaming),
            m.input_type,
            stream(m.server_streaming),
            m.output_type
        )
    };
    cx.report(
        p.at(part),
        format!(
            "method \"{}\" of service \"{}\" changed from {verb}{} to {}",
            new.name,
            p.new_service.full_name,
            words(streams(old)),
            words(streams(new))
        ),
    )
    .help(format!(
        "keep `{}` as it was and add the {} variant as a new method, e.g. `{}`",
        signature(&old.name, old),
        if streams(new) { "streaming" } else { "unary" },
        signature(
            &format!(
                "{}{}",
                new.name,
                if streams(new) { "Stream" } else { "Unary" }
            ),
            new
        )
    ));
}

/// The check shared by FIELD_WIRE_COMPATIBLE_TYPE and
/// FIELD_WIRE_JSON_COMPATIBLE_TYPE. `scalars_compatible` says which kinds read
/// each other's values; enums may be renamed if their short name stays and
/// every old value survives; message types may be renamed or moved if they
/// are structurally identical (then an info says why; beyond buf, see buf
/// #2318, #609, #2167). With `json`, names count in that comparison.
pub fn check_wire_type(
    cx: &mut Cx,
    p: &FieldPair,
    json: bool,
    scalars_compatible: fn(Kind, Kind) -> bool,
) {
    let (Some(old), Some(new)) = (p.old, p.new) else {
        return;
    };
    let mut differs = None;
    let compatible = match (old.kind, new.kind) {
        (Kind::Enum, Kind::Enum) => {
            if old.type_name == new.type_name || enum_is_compatible_subset(cx.old, cx.new, old, new)
            {
                true
            } else if json {
                false
            } else {
                // Beyond buf: on the wire, another enum that keeps every
                // number (and its openness) reads the same bytes.
                match enum_keeps_numbers(cx.old, cx.new, old, new) {
                    Ok(()) => {
                        cx.report(
                            p.at(Part::Type),
                            format!(
                                "{} changed type from {} to {}, which keeps every number and its openness: accepted on the wire",
                                p.describe(),
                                type_words(old),
                                type_words(new)
                            ),
                        )
                        .severity(crate::finding::Severity::Info)
                        .help("nothing to do here; --level wire-json still reports the change, because JSON uses value names, and file and package report FIELD_SAME_TYPE");
                        true
                    }
                    Err(why) => {
                        differs = Some(why);
                        false
                    }
                }
            }
        }
        (Kind::Message, Kind::Message) | (Kind::Group, Kind::Group) => {
            match (&old.type_name, &new.type_name) {
                (a, b) if a == b => true,
                (Some(a), Some(b)) => match structurally_identical(cx.old, cx.new, a, b, json) {
                    Ok(()) => {
                        let same = if json {
                            "has the same fields, names and JSON names (recursively)"
                        } else {
                            "is wire-identical (same numbers and types, recursively)"
                        };
                        cx.report(
                            p.at(Part::Type),
                            format!(
                                "{} changed type from {} to {}, which {same}: accepted",
                                p.describe(),
                                type_words(old),
                                type_words(new)
                            ),
                        )
                        .severity(crate::finding::Severity::Info)
                        .help("nothing to do here; --level file and package still report FIELD_SAME_TYPE, because generated code changes");
                        true
                    }
                    Err(why) => {
                        differs = Some(why);
                        false
                    }
                },
                _ => false,
            }
        }
        (a, b) => a == b || scalars_compatible(a, b),
    };
    if compatible {
        return;
    }
    let consequence = if json {
        json_change_consequence(old, new).unwrap_or_else(|| type_change_consequence(old, new))
    } else {
        type_change_consequence(old, new)
    };
    let mut msg = format!(
        "{} changed type from {} to {}: {consequence}",
        p.describe(),
        type_words(old),
        type_words(new),
    );
    if let Some(why) = differs {
        msg = format!("{msg} ({why})");
    }
    let help = new_number_help(p);
    let f = cx.report(p.at(Part::Type), msg);
    if let Some(h) = help {
        f.help(h);
    }
}

/// Whether two message types read the same bytes the same way: the same field
/// numbers, each with the same kind and the same repeated-ness, enums keeping
/// every old number, nested messages alike recursively. With `json`, names and
/// JSON names must match too. Returns why not, if not.
pub fn structurally_identical(
    old: &Schema,
    new: &Schema,
    a: &str,
    b: &str,
    json: bool,
) -> Result<(), String> {
    // A work list, not recursion: type chains can be long. A pair already
    // compared (or under comparison, for recursive types) is assumed alike.
    let mut seen: std::collections::HashSet<(&str, &str)> = std::collections::HashSet::new();
    let mut todo = vec![(a, b)];
    while let Some((a, b)) = todo.pop() {
        if !seen.insert((a, b)) {
            continue;
        }
        let (Some(ma), Some(mb)) = (old.message(a), new.message(b)) else {
            return Err(format!("\"{a}\" or \"{b}\" is not defined"));
        };
        if ma.fields.len() != mb.fields.len() {
            return Err(format!(
                "\"{a}\" has {} fields and \"{b}\" has {}",
                ma.fields.len(),
                mb.fields.len()
            ));
        }
        for fa in &ma.fields {
            let Some(fb) = mb.field(fa.number) else {
                return Err(format!(
                    "field {} of \"{a}\" is missing from \"{b}\"",
                    fa.number
                ));
            };
            let repeated = |c: Cardinality| matches!(c, Cardinality::Repeated | Cardinality::Map);
            if fa.kind != fb.kind || repeated(fa.cardinality) != repeated(fb.cardinality) {
                return Err(format!(
                    "field {} is {} in \"{a}\" but {} in \"{b}\"",
                    fa.number,
                    type_words(fa),
                    type_words(fb)
                ));
            }
            if json && (fa.name != fb.name || fa.json_name != fb.json_name) {
                return Err(format!(
                    "field {} is named \"{}\" in \"{a}\" but \"{}\" in \"{b}\"",
                    fa.number, fa.name, fb.name
                ));
            }
            match (fa.kind, &fa.type_name, &fb.type_name) {
                (Kind::Message | Kind::Group, Some(ta), Some(tb)) => todo.push((ta, tb)),
                (Kind::Enum, Some(ta), Some(tb)) => {
                    let (Some(ea), Some(eb)) = (old.enum_(ta), new.enum_(tb)) else {
                        return Err(format!("enum \"{ta}\" or \"{tb}\" is not defined"));
                    };
                    for v in &ea.values {
                        let kept = eb
                            .values
                            .iter()
                            .any(|w| w.number == v.number && (!json || w.name == v.name));
                        if !kept {
                            return Err(format!(
                                "enum value {} \"{}\" of \"{ta}\" is missing from \"{tb}\"",
                                v.number, v.name
                            ));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::single_range_in_vec_init)]
    fn uncovered_counts_numbers_not_literal_ranges() {
        // Growing a range is fine.
        assert!(uncovered(&[1..4], &[1..5]).is_empty());
        // Splitting a range into two that cover the same numbers is fine.
        assert!(uncovered(&[1..10], &[1..5, 5..10]).is_empty());
        // Shrinking it uncovers numbers.
        assert_eq!(uncovered(&[1..10], &[2..5, 7..9]), vec![1..2, 5..7, 9..10]);
        assert_eq!(
            ranges_words(&[1..2, 5..7, 9..(1 << 29)], (1 << 29) - 1),
            "1, 5 to 6, 9 to max"
        );
    }
}
