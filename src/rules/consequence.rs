//! What a change of a field's type does to the data already written and to
//! JSON clients, in words.

use crate::rules::words::{encoding_words, type_words};
use crate::schema::{Field, Kind};

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
