//! Wording and small computations the rules share.

use std::ops::Range;

use prost_types::FileOptions;

use crate::engine::fix::{self, redeclare, ProposedEdit, Suggestion, Target};
use crate::engine::{Cx, FieldPair, FilePair, Part};
use crate::rules::Level;
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
    use crate::schema::features::{FieldPresence, MessageEncoding};
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
                .is_written(crate::schema::features::Feature::FieldPresence) =>
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

/// `reserved 3; reserved "total";` (names as identifiers under editions).
pub fn reserve_both(file: &crate::schema::File, old: &Field) -> String {
    format!(
        "{} {}",
        fix::reserve_number(old.number),
        fix::reserve_name(file, &old.name)
    )
}

/// Which checks a fix proposed by the running rule must pass: every level
/// the rule is in, so the strictest of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Passes {
    /// file or package: generated code must keep compiling, so no field may go.
    Code,
    /// wire-json: a field may go if its number and name are reserved.
    WireJson,
    /// wire: a field may go if its number is reserved.
    Wire,
}

pub fn passes(cx: &Cx) -> Passes {
    let levels = cx.levels();
    if levels
        .iter()
        .any(|l| matches!(l, Level::File | Level::Package))
    {
        Passes::Code
    } else if levels.contains(&Level::WireJson) {
        Passes::WireJson
    } else {
        Passes::Wire
    }
}

/// The oneof a field is declared in, by name (synthetic ones of proto3
/// `optional` excluded).
fn real_oneof<'m>(m: &'m Message, f: &Field) -> Option<&'m str> {
    if f.proto3_optional {
        return None;
    }
    f.oneof
        .and_then(|i| m.oneofs.get(i))
        .map(|o| o.name.as_str())
}

/// Whether the old declaration can be written back in place of the new one:
/// the same file syntax, the same oneof, every type it names still defined.
fn restorable(cx: &Cx, p: &FieldPair, old: &Field, new: &Field) -> bool {
    !p.extension
        && cx.old.files.get(old.file).map(|f| &f.syntax)
            == cx.new.files.get(new.file).map(|f| &f.syntax)
        && real_oneof(p.old_message, old) == real_oneof(p.new_message, new)
        && fix::types_exist(cx.old, cx.new, old)
}

/// Whether the number now holds another kind of field (its type or
/// cardinality changed), not just a renamed one.
pub fn reused(p: &FieldPair) -> bool {
    let (Some(old), Some(new)) = (p.old, p.new) else {
        return false;
    };
    old.kind != new.kind || old.type_name != new.type_name || old.cardinality != new.cardinality
}

/// The new declaration with the old name, when no other field has it now.
pub fn rename_back(cx: &Cx, p: &FieldPair) -> Option<ProposedEdit> {
    let (old, new) = (p.old?, p.new?);
    let taken =
        p.new_message.fields.iter().any(|f| {
            f.number != new.number && (f.name == old.name || f.json_name == old.json_name)
        });
    if p.extension || taken || p.new_message.is_reserved_name(&old.name) {
        return None;
    }
    let now = fix::one_line(cx.new.files.get(new.file)?, &new.path)?;
    let back = redeclare(cx.new, new, new.number, Some(&old.name))?;
    Some(ProposedEdit::replace(
        Target::new(new.file, &new.path),
        now,
        back,
    ))
}

/// Replaces the new declaration of a field with the old one as written.
pub fn revert_field(cx: &Cx, p: &FieldPair) -> Option<ProposedEdit> {
    let (old, new) = (p.old?, p.new?);
    if !restorable(cx, p, old, new) {
        return None;
    }
    let was = fix::one_line(cx.old.files.get(old.file)?, &old.path)?;
    let now = fix::one_line(cx.new.files.get(new.file)?, &new.path)?;
    Some(ProposedEdit::replace(
        Target::new(new.file, &new.path),
        now,
        was,
    ))
}

/// Adds `statement` (a `reserved` one) to a message, unless the new message
/// still uses what it reserves (then protoc would reject it, and the edit is
/// left out with the reason).
pub fn reserve_in_message(
    m: &Message,
    numbers: &[u32],
    names: &[&str],
    statement: &str,
    lead: &str,
    tail: &str,
) -> Suggestion {
    let clash = m
        .fields
        .iter()
        .find(|f| numbers.contains(&f.number) || names.contains(&f.name.as_str()));
    match clash {
        None => Suggestion::new(
            lead,
            vec![ProposedEdit::append(
                Target::new(m.file, &m.path),
                format!("message \"{}\"", m.name),
                statement,
            )],
            tail,
        ),
        Some(f) => Suggestion::new(
            &format!(
                "{lead} (no automatic edit: field {} \"{}\" of message \"{}\" uses it now, and a reserved number or name cannot be in use; give that field another number or name first, then add `{statement}`)",
                f.number, f.name, m.name
            ),
            Vec::new(),
            tail,
        ),
    }
}

/// [`reserve_in_message`] for an enum.
pub fn reserve_in_enum(
    e: &Enum,
    numbers: &[i32],
    names: &[&str],
    statement: &str,
    lead: &str,
    tail: &str,
) -> Suggestion {
    let clash = e
        .values
        .iter()
        .find(|v| numbers.contains(&v.number) || names.contains(&v.name.as_str()));
    match clash {
        None => Suggestion::new(
            lead,
            vec![ProposedEdit::append(
                Target::new(e.file, &e.path),
                format!("enum \"{}\"", e.name),
                statement,
            )],
            tail,
        ),
        Some(v) => Suggestion::new(
            &format!(
                "{lead} (no automatic edit: value {} \"{}\" of enum \"{}\" uses it now, and a reserved number or name cannot be in use; give that value another number or name first, then add `{statement}`)",
                v.number, v.name, e.name
            ),
            Vec::new(),
            tail,
        ),
    }
}

/// `reserved "A", "B";` (identifiers under editions).
pub fn reserve_names(file: &crate::schema::File, names: &[&str]) -> String {
    let editions = matches!(file.syntax, crate::schema::Syntax::Editions(_));
    let words: Vec<String> = names
        .iter()
        .map(|n| {
            if editions {
                (*n).to_owned()
            } else {
                format!("\"{n}\"")
            }
        })
        .collect();
    format!("reserved {};", words.join(", "))
}

/// Writes a deleted field's old declaration back into its message, when it
/// fits there as it was (the same syntax, not in a oneof, its types still
/// defined, its number and name free).
pub fn restore_field(cx: &Cx, p: &FieldPair) -> Option<ProposedEdit> {
    let old = p.old?;
    let m = p.new_message;
    let free = m.field(old.number).is_none()
        && !m.is_reserved_number(old.number)
        && !m.is_reserved_name(&old.name)
        && !m
            .fields
            .iter()
            .any(|f| f.name == old.name || f.json_name == old.json_name);
    let same_syntax = cx.old.files.get(old.file).map(|f| &f.syntax)
        == cx.new.files.get(m.file).map(|f| &f.syntax);
    if p.extension
        || !free
        || !same_syntax
        || real_oneof(p.old_message, old).is_some()
        || old.cardinality == Cardinality::Map && !fix::types_exist(cx.old, cx.new, old)
        || !fix::types_exist(cx.old, cx.new, old)
    {
        return None;
    }
    let was = fix::one_line(cx.old.files.get(old.file)?, &old.path)?;
    Some(ProposedEdit::append(
        Target::new(m.file, &m.path),
        format!("message \"{}\"", m.name),
        was,
    ))
}

/// The fix for a field number reused with another meaning (type, name,
/// cardinality, default), for the checks the running rule must pass:
/// - file and package: keep the old field as it was and add the new one
///   under a new number (and a new name if it kept the old one);
/// - wire-json: move the new field to a new number and name, and reserve
///   the old number and name;
/// - wire: move it to a new number and reserve the old number (and the old
///   name if it changed anyway).
pub fn reused_number_fix(cx: &Cx, p: &FieldPair) -> Option<Suggestion> {
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
        return Some(Suggestion::new(
            &format!(
                "set `[features.message_encoding = {encoding}]` on the field (or its file) as it was: data already written keeps its encoding"
            ),
            Vec::new(),
            "",
        ));
    }
    if p.extension {
        return Some(Suggestion::new(
            &format!(
                "keep the extension as it was and declare the new one under an unused number of the extendee's extension ranges (no automatic edit: the ranges are the extendee's); extension {} stays readable by every reader",
                p.number
            ),
            Vec::new(),
            "",
        ));
    }
    // Each reused number of the message gets its own new number, so the
    // fixes of several fields can be applied together.
    let earlier = p
        .new_message
        .fields
        .iter()
        .filter(|f| f.number < p.number)
        .filter(|f| {
            p.old_message.field(f.number).is_some_and(|o| {
                o.kind != f.kind || o.type_name != f.type_name || o.cardinality != f.cardinality
            })
        })
        .count();
    let number = fix::free_number(p.old_message, p.new_message)
        .and_then(|n| n.checked_add(u32::try_from(earlier).ok()?))
        .filter(|&n| n <= 536_870_911 && !(19000..20000).contains(&n));
    let same_name = old.name == new.name || old.json_name == new.json_name;
    let fresh = fix::fresh_name(p.old_message, p.new_message, &new.name);
    let new_name = if same_name {
        Some(fresh.as_str())
    } else {
        None
    };
    let shown_name = new_name.unwrap_or(&new.name);
    let old_json = &old.json_name;
    let new_json = if same_name {
        // The new field's JSON name, once renamed.
        crate::schema::default_json_name(&fresh)
    } else {
        new.json_name.clone()
    };
    let n = number.map_or("an unused number".to_owned(), |n| n.to_string());
    let keep_words = format!(
        "this keeps every reader: old readers of new data and new readers of old data still find field {} as long as writers fill both fields, JSON clients keep \"{old_json}\" and see \"{new_json}\" beside it, and generated code keeps its accessor and gains one for \"{shown_name}\"",
        p.number
    );
    let renumber_words = |renamed: bool| {
        format!(
            "old readers of new data no longer see the value (they keep field {n} as an unknown field), new readers of old data ignore what was written under {}, {}",
            p.number,
            if renamed {
                format!("JSON clients must send and read \"{new_json}\" instead of \"{old_json}\", and generated code renames the accessor")
            } else {
                format!("JSON clients keep the key \"{old_json}\", and generated code keeps the accessor's name with the new type")
            }
        )
    };
    let new_file = cx.new.files.get(new.file)?;
    let message = Target::new(p.new_message.file, &p.new_message.path);
    let in_message = format!("message \"{}\"", p.new_message.name);
    let now = fix::one_line(new_file, &new.path);
    let json_clash = new.explicit_json_name && new.json_name == old.json_name;
    match passes(cx) {
        Passes::Code => {
            let edits = (|| {
                let number = number?;
                if json_clash {
                    return None;
                }
                let revert = revert_field(cx, p)?;
                let add = redeclare(cx.new, new, number, new_name)?;
                Some(vec![
                    revert,
                    ProposedEdit::insert_after(Target::new(new.file, &new.path), "", add),
                ])
            })();
            let also = if old.name != new.name {
                format!(
                    ". Moving the new field to a new number instead, with `{}`, passes only --level wire-json and wire: {}",
                    reserve_both(new_file, old),
                    renumber_words(true)
                )
            } else {
                format!(
                    ". Moving it to a new number with only `{}` instead passes only --level wire: {}; with a new name as well and `{}`, it also passes --level wire-json, but JSON clients must switch from \"{old_json}\" to \"{new_json}\" and generated code renames the accessor",
                    fix::reserve_number(p.number),
                    renumber_words(false),
                    reserve_both(new_file, old)
                )
            };
            Some(match edits {
                Some(edits) => Suggestion::new(
                    "keep the old field as it was and add the new one under a new number",
                    edits,
                    &format!("; {keep_words}{also}"),
                ),
                None => Suggestion::new(
                    &format!(
                        "keep field {} as it was and declare the new one as \"{shown_name}\" under {n} (no automatic edit: the old declaration cannot be written back as it was); {keep_words}",
                        p.number
                    ),
                    Vec::new(),
                    &also,
                ),
            })
        }
        Passes::WireJson | Passes::Wire => {
            let wire = passes(cx) == Passes::Wire;
            // Under wire-json the old name is reserved too, so the new field
            // needs another; under wire it keeps its name.
            let rename = if wire { None } else { new_name };
            let reserve_name = !wire || old.name != new.name;
            let reserved = if reserve_name {
                format!(
                    "{} {}",
                    fix::reserve_number(p.number),
                    fix::reserve_name(new_file, &old.name)
                )
            } else {
                fix::reserve_number(p.number)
            };
            let renamed = rename.is_some() || old.name != new.name;
            let edits = (|| {
                let number = number?;
                if rename.is_none() && reserve_name && old.name == new.name {
                    return None;
                }
                let add = redeclare(cx.new, new, number, rename)?;
                Some(vec![
                    ProposedEdit::replace(Target::new(new.file, &new.path), now.clone()?, add),
                    ProposedEdit::append(message.clone(), in_message.clone(), reserved.clone()),
                ])
            })();
            let lead = if rename.is_some() {
                "move the new field to a new number and name, and reserve the old ones"
            } else if reserve_name {
                "move the new field to a new number, and reserve the old number and name"
            } else {
                "move the new field to a new number, and reserve only the old number (the name stays in use)"
            };
            let mut tail = format!(
                "; {}. Keeping field {} as it was and adding the new one beside it under a new name instead keeps every reader and passes every level",
                renumber_words(renamed),
                p.number
            );
            if !wire && old.name == new.name {
                tail.push_str(&format!(
                    "; moving it to a new number with only `{}` keeps the name \"{old_json}\" for JSON clients and generated code, but passes only --level wire",
                    fix::reserve_number(p.number)
                ));
            }
            Some(match edits {
                Some(edits) => Suggestion::new(lead, edits, &tail),
                None => Suggestion::new(
                    &format!("{lead} (no automatic edit here): `{reserved}`"),
                    Vec::new(),
                    &tail,
                ),
            })
        }
    }
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
        let unset = before == (self.value)(&default);
        let tail = format!(": {}", self.breaks);
        let fix = match self.edit(cx, p, unset, &before) {
            Some(edit) if unset => Suggestion::new(
                &format!("remove the option (the default is {before})"),
                vec![edit],
                &tail,
            ),
            Some(edit) => Suggestion::new("restore the old value", vec![edit], &tail),
            None if unset => Suggestion::new(
                &format!(
                    "remove `option {} = {after};` (the default is {before})",
                    self.name
                ),
                Vec::new(),
                &tail,
            ),
            None => Suggestion::new(
                &format!("restore `option {} = {before};`", self.name),
                Vec::new(),
                &tail,
            ),
        };
        cx.report(
            p.at(Part::Option(self.number)),
            format!(
                "file \"{}\" changed option \"{}\" from {before} to {after}",
                p.name, self.name
            ),
        )
        .suggest(fix);
    }

    /// Rewrites (or deletes) the option's statement in the new file, or adds
    /// it after the package (or syntax) statement.
    fn edit(&self, cx: &Cx, p: &FilePair, unset: bool, before: &str) -> Option<ProposedEdit> {
        let idx = p.new_index()?;
        let file = cx.new.files.get(idx)?;
        let statement = format!("option {} = {before};", self.name);
        if let Some(now) = fix::text_of(file, &[8, self.number]) {
            if !(now.starts_with("option") && now.ends_with(';')) {
                return None;
            }
            let with = if unset { String::new() } else { statement };
            return Some(ProposedEdit::replace(
                Target::new(idx, &[8, self.number]),
                now,
                with,
            ));
        }
        if unset {
            return None;
        }
        [[2], [12], [14]].iter().find_map(|path| {
            let after = fix::one_line(file, path)?;
            Some(ProposedEdit::insert_after(
                Target::new(idx, path),
                after,
                statement.clone(),
            ))
        })
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
    let tail = format!(
        "; to offer the {} variant, add it as a new method, e.g. `{}`",
        if streams(new) { "streaming" } else { "unary" },
        signature(
            &format!(
                "{}{}",
                new.name,
                if streams(new) { "Stream" } else { "Unary" }
            ),
            new
        )
    );
    let fix = streaming_fix(cx, p, &signature(&old.name, old), &tail);
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
    .suggest(fix);
}

/// Puts a method's old streaming back: its declaration, when it is one line
/// with no body, rewritten with the types as the new file writes them and
/// the old `stream` markers; else the words alone.
fn streaming_fix(cx: &Cx, p: &crate::engine::MethodPair, was: &str, tail: &str) -> Suggestion {
    let edit = (|| {
        let (old, new) = (p.old?, p.new?);
        let svc = p.new_service;
        let file = cx.new.files.get(svc.file)?;
        let now = fix::one_line(file, &new.path)?;
        if !now.trim_end().ends_with(';') || now.contains('{') {
            return None;
        }
        let mut input = new.path.clone();
        input.push(2);
        let mut output = new.path.clone();
        output.push(3);
        let (i, o) = (fix::text_of(file, &input)?, fix::text_of(file, &output)?);
        let stream = |s: bool| if s { "stream " } else { "" };
        let back = format!(
            "rpc {}({}{i}) returns ({}{o});",
            new.name,
            stream(old.client_streaming),
            stream(old.server_streaming)
        );
        Some(ProposedEdit::replace(
            Target::new(svc.file, &new.path),
            now,
            back,
        ))
    })();
    match edit {
        Some(e) => Suggestion::new("keep the method's old streaming", vec![e], tail),
        None => Suggestion::new(&format!("keep `{was}` as it was"), Vec::new(), tail),
    }
}

/// How a method in file `file` of `schema` names the message `full`: relative
/// to the package when the type is in it (a service has no nested types, so
/// the package's scope finds it), else fully qualified; `None` when the
/// message does not exist or the file can see it neither in itself nor in
/// a file it imports.
pub fn method_type_name(schema: &Schema, file: usize, full: &str) -> Option<String> {
    let f = schema.files.get(file)?;
    let m = schema.message(full)?;
    if m.is_map_entry {
        return None;
    }
    let home = &schema.files.get(m.file)?.name;
    if m.file != file && !f.imports.iter().any(|i| i == home) {
        return None;
    }
    Some(if f.package.is_empty() {
        full.to_owned()
    } else {
        match full.strip_prefix(&format!("{}.", f.package)) {
            Some(rest) => rest.to_owned(),
            None => format!(".{full}"),
        }
    })
}

/// The fix of a changed request (`field` 2) or response (3) type: put the
/// old type back when that message still exists and the method's file can
/// name it (it is in the file or in a file it imports); else say why there
/// is no edit.
pub fn keep_method_type(cx: &Cx, p: &crate::engine::MethodPair, field: i32) -> Suggestion {
    let (role, verb) = if field == 2 {
        ("request", "takes")
    } else {
        ("response", "returns")
    };
    let (was, now) = match (p.old, p.new) {
        (Some(old), Some(new)) if field == 2 => (old.input_type.as_str(), new.input_type.as_str()),
        (Some(old), Some(new)) => (old.output_type.as_str(), new.output_type.as_str()),
        _ => ("", ""),
    };
    let tail = format!(
        "; evolve it by adding fields, and if \"{now}\" is needed, add a new method that {verb} it"
    );
    match restore_method_type(cx, p, field) {
        Some(edit) => Suggestion::new(
            &format!("keep \"{was}\" as the {role} type"),
            vec![edit],
            &tail,
        ),
        None => Suggestion::new(
            &format!(
                "keep \"{was}\" as the {role} type (no automatic edit: {})",
                match cx.new.message(was) {
                    Some(m) => format!(
                        "\"{}\" does not import \"{}\", which declares it",
                        cx.new.files[p.new_service.file].name, cx.new.files[m.file].name
                    ),
                    None => "it no longer exists in the new schema".to_owned(),
                }
            ),
            Vec::new(),
            &tail,
        ),
    }
}

/// Puts a method's old request (`field` 2) or response (3) type back, when
/// that message still exists and the method's file can name it; else `None`.
fn restore_method_type(cx: &Cx, p: &crate::engine::MethodPair, field: i32) -> Option<ProposedEdit> {
    let (old, new) = (p.old?, p.new?);
    let (was, now) = match field {
        2 => (&old.input_type, &new.input_type),
        _ => (&old.output_type, &new.output_type),
    };
    let svc = p.new_service;
    let file = cx.new.files.get(svc.file)?;
    let name = method_type_name(cx.new, svc.file, was)?;
    let mut path = new.path.clone();
    path.push(field);
    let written = fix::text_of(file, &path)?;
    if written.contains('\n') || now == was {
        return None;
    }
    Some(ProposedEdit::replace(
        Target::new(svc.file, &path),
        written,
        name,
    ))
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
                        .severity(crate::engine::finding::Severity::Info)
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
                        .severity(crate::engine::finding::Severity::Info)
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
    let fix = reused_number_fix(cx, p);
    let f = cx.report(p.at(Part::Type), msg);
    if let Some(s) = fix {
        f.suggest(s);
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
