//! Fixes for a changed or deleted field: write the old declaration back,
//! rename it back, or move a reused number's new field elsewhere; and which
//! levels such a fix must pass.

use crate::engine::fix::{self, redeclare, ProposedEdit, Suggestion, Target};
use crate::engine::{Cx, FieldPair};
use crate::rules::reserved::reserve_both;
use crate::rules::words::is_editions;
use crate::rules::Level;
use crate::schema::{Cardinality, Field, Kind, Message};

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
