//! What a change does, and to whom: a finding's [`Consequence`] is the one
//! place its message's claim and its audiences ("who breaks") come from, so
//! the two cannot disagree. Here too: what a change of a field's type does
//! to the data already written and to JSON clients.

use crate::engine::finding::Audience;
use crate::engine::{At, Cx, RawFinding};
use crate::rules::words::{encoding_words, type_words};
use crate::schema::{Field, Kind};

/// What a change does to whom: the clause a finding's message ends with,
/// and the audiences that clause says are hurt. A finding reported with
/// [`report`] lists exactly these audiences (those of them its rule
/// declares: a rule's `affects` is the upper bound, and documents the rule).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consequence {
    claim: String,
    affects: Vec<Audience>,
}

impl Consequence {
    /// `claim` hurts exactly `who`.
    pub fn new(claim: impl Into<String>, who: &[Audience]) -> Self {
        let mut affects = who.to_vec();
        affects.sort();
        affects.dedup();
        Consequence {
            claim: claim.into(),
            affects,
        }
    }

    /// The clause, as the message says it.
    pub fn claim(&self) -> &str {
        &self.claim
    }

    /// Whom it hurts.
    pub fn affects(&self) -> &[Audience] {
        &self.affects
    }

    /// The same claim, also hurting the readers `other` hurts (for a JSON
    /// claim whose binary consequence is reported beside it).
    pub fn with_readers_of(mut self, other: &Consequence) -> Self {
        let readers = [Audience::NewReadersOfOldData, Audience::OldReadersOfNewData];
        self.affects.extend(
            other
                .affects
                .iter()
                .copied()
                .filter(|a| readers.contains(a)),
        );
        self.affects.sort();
        self.affects.dedup();
        self
    }
}

/// Reports `subject: claim` with the consequence's audiences.
pub fn report<'c>(
    cx: &'c mut Cx,
    at: At,
    subject: impl std::fmt::Display,
    c: &Consequence,
) -> &'c mut RawFinding {
    cx.report(at, format!("{subject}: {}", c.claim()))
        .affecting(c.affects())
}

/// Whether a reader compiled with `read`'s type misreads (loses, changes or
/// fails on) some value that a writer with `written`'s type can write.
fn misreads(written: &Field, read: &Field) -> bool {
    use Kind::*;
    let (w, r) = (written.kind, read.kind);
    if w == r {
        return matches!(w, Enum | Message | Group) && written.type_name != read.type_name;
    }
    if w.wire_type() != r.wire_type() {
        return true;
    }
    // The same wire type: harmless only where every value of the written
    // type reads as itself.
    !matches!(
        (w, r),
        (String, Bytes)
            | (Sint32, Sint64)
            | (Int32, Int64)
            | (Uint32, Int64 | Uint64)
            | (Bool, Int32 | Int64 | Uint32 | Uint64)
            | (Enum, Int32 | Int64)
    )
}

/// What a change of a field's type does: to new readers of old data when
/// they misread what old writers wrote, to old readers of new data when
/// they misread what new writers write, to JSON clients, and to generated
/// code, whose accessor changes type.
pub fn type_change(old: &Field, new: &Field) -> Consequence {
    let mut who = vec![Audience::JsonClients, Audience::GeneratedCode];
    if misreads(old, new) {
        who.push(Audience::NewReadersOfOldData);
    }
    if misreads(new, old) {
        who.push(Audience::OldReadersOfNewData);
    }
    Consequence::new(type_change_claim(old, new), &who)
}

/// What a type change does to JSON clients, where the JSON form changes.
pub fn json_change(old: &Field, new: &Field) -> Option<Consequence> {
    json_change_claim(old, new).map(|c| Consequence::new(c, &[Audience::JsonClients]))
}

/// What a type change does to data already written and to data new
/// writers write, in one clause.
fn type_change_claim(old: &Field, new: &Field) -> String {
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
        (String, Bytes) => "old strings read as the same bytes, but old readers reject or mangle bytes from new writers that are not valid UTF-8, and generated code changes type".to_owned(),
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
        (Sint32 | Sint64, Sint32 | Sint64) => widened(o, n),
        (Sint32 | Sint64, _) | (_, Sint32 | Sint64) => format!(
            "{} and {} encode numbers differently (zigzag vs two's complement): -5 written as {} is read as garbage",
            o.name(),
            n.name(),
            o.name()
        ),
        (Bool, Int32 | Int64 | Uint32 | Uint64) => format!(
            "true and false are read as the {} 1 and 0, but old readers read every non-zero value that new writers write as true",
            n.name()
        ),
        (Bool, _) => format!("true and false are read as the {} 1 and 0", n.name()),
        (_, Bool) => format!("every {} other than 0 is read as true", o.name()),
        (Enum, Int32 | Int64) => format!(
            "enum numbers are read as plain {} values, but old readers take numbers that new writers write and the enum lacks for unknown values",
            n.name()
        ),
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
        _ => widened(o, n),
    }
}

/// A 32-bit integer type widened to its 64-bit kin.
fn widened(o: Kind, n: Kind) -> String {
    format!(
        "{} values keep their meaning when read as {}, but old readers truncate {} values beyond 32 bits that new writers write, and generated code changes type",
        o.name(),
        n.name(),
        n.name()
    )
}

/// [`json_change`]'s clause.
fn json_change_claim(old: &Field, new: &Field) -> Option<String> {
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
