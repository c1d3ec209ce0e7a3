use crate::engine::finding::Audience::*;
use crate::engine::fix::{self, ProposedEdit, Suggestion, Target};
use crate::engine::{Cx, FieldPair, Part};
use crate::rules::consequence::{self, Consequence};
use crate::schema::{Cardinality, Field, Message, Syntax};

rule! {
    /// # What
    /// A field stays in the same real oneof, or stays outside any oneof:
    /// moving it into a oneof, out of one, or into another oneof is flagged.
    /// The synthetic oneofs of proto3 `optional` fields do not count: adding or
    /// removing `optional` is a presence change (FIELD_SAME_CARDINALITY).
    /// Extensions cannot be in oneofs and are skipped.
    ///
    /// # Why
    /// Members of a oneof clear each other: a reader that sees the field as a
    /// oneof member drops the other members written next to it, and a writer
    /// that sets several once-independent fields loses all but the last.
    /// Generated code changes too (oneof case enums, accessors). Moving a lone
    /// field into a new oneof is harmless on the wire, but buf flags it at
    /// every level and so does protocheck.
    ///
    /// # Example
    /// ```proto
    /// // old                          // new
    /// string email = 2;               oneof contact {
    ///                                   string email = 2;
    ///                                 }
    /// ```
    ///
    /// # Fix
    /// Keep the field where it was. If it must join a oneof, keep it and add a
    /// new field under a new name and number inside the oneof.
    FieldSameOneof {
        id: "FIELD_SAME_ONEOF",
        levels: [File, Package, WireJson, Wire],
        affects: [NewReadersOfOldData, OldReadersOfNewData, GeneratedCode],
        summary: "a field stays in the same oneof, or outside any oneof",
    }
    impl {
        fn check_field(&self, cx: &mut Cx, p: &FieldPair) {
            if p.extension {
                return;
            }
            let (Some(old), Some(new)) = (p.old, p.new) else { return };
            let before = oneof_name(p.old_message, old);
            let after = oneof_name(p.new_message, new);
            let (subject, c, help) = match (before, after) {
                (None, None) => return,
                (Some(a), Some(b)) if a == b => return,
                (Some(a), Some(b)) => (
                    format!("{} moved from oneof \"{a}\" to oneof \"{b}\"", p.describe()),
                    Consequence::new(
                        format!("it now clears the members of \"{b}\" instead of those of \"{a}\""),
                        &[NewReadersOfOldData, OldReadersOfNewData, GeneratedCode],
                    ),
                    format!("keep \"{}\" in oneof \"{a}\"", old.name),
                ),
                (None, Some(b)) => (
                    format!("{} moved into oneof \"{b}\"", p.describe()),
                    match others(p.new_message, new) {
                        0 => Consequence::new(
                            "as its only member it reads the same bytes, but generated code changes (oneof case accessors) and members added later will clear it",
                            &[GeneratedCode],
                        ),
                        // Old writers could set it beside the others.
                        n => Consequence::new(
                            format!("it now clears, and is cleared by, {}, so data that set several of them keeps only the last", members(n)),
                            &[NewReadersOfOldData, GeneratedCode],
                        ),
                    },
                    format!(
                        "keep \"{}\" outside the oneof; to offer it as a choice, add a new member under an unused number (e.g. {}) and deprecate this field",
                        old.name,
                        p.new_message.next_free_number()
                    ),
                ),
                (Some(a), None) => (
                    format!("{} moved out of oneof \"{a}\"", p.describe()),
                    match others(p.old_message, old) {
                        0 => Consequence::new(
                            "the bytes stay readable, but generated code changes (oneof case accessors)",
                            &[GeneratedCode],
                        ),
                        n => Consequence::new(
                            format!("old readers still treat it as a member, so when new writers set it together with {}, old readers keep only the last", members(n)),
                            &[OldReadersOfNewData, GeneratedCode],
                        ),
                    },
                    format!(
                        "keep \"{}\" in oneof \"{a}\"; if it must stand alone, keep it there and add a new field under a new name and an unused number (e.g. {})",
                        old.name,
                        p.new_message.next_free_number()
                    ),
                ),
            };
            let fix = match move_back(cx, p, before) {
                Some(edits) => Suggestion::new(
                    &format!("move \"{}\" back where it was", old.name),
                    edits,
                    &format!(" ({help})"),
                ),
                None => {
                    let gone = before.filter(|a| !p.new_message.oneofs.iter().any(|o| o.name == *a));
                    let why = match gone {
                        Some(a) => format!(
                            " (no automatic edit: oneof \"{a}\" no longer exists, and declaring it again moves all its members at once)"
                        ),
                        None => " (no automatic edit: the declaration spans several lines or needs a label it cannot have in a oneof)".to_owned(),
                    };
                    Suggestion::new(&help, Vec::new(), &why)
                }
            };
            consequence::report(cx, p.at(Part::Whole), subject, &c).suggest(fix);
        }
    }
}

/// The edits that put the field back in its old oneof (`was`), or out of
/// any: its declaration (one line) is taken out of where it is and added
/// where it was; a oneof left with no member is removed. `None` when that
/// cannot be done as written, or the old oneof no longer exists.
fn move_back(cx: &Cx, p: &FieldPair, was: Option<&str>) -> Option<Vec<ProposedEdit>> {
    let new = p.new?;
    let m = p.new_message;
    let file = cx.new.files.get(new.file)?;
    let decl = fix::one_line(file, &new.path)?;
    let proto2 = matches!(file.syntax, Syntax::Proto2);
    // The real oneof it is in now (a proto3 `optional` field's is not one).
    let now = new
        .oneof
        .and_then(|i| m.oneofs.get(i))
        .filter(|o| !o.synthetic);
    // The declaration as it is written where it goes.
    let moved = match was {
        Some(_) => {
            let bare = decl.strip_prefix("optional ").unwrap_or(&decl);
            if bare.starts_with("required ") || bare.starts_with("repeated ") {
                return None;
            }
            bare.to_owned()
        }
        // Out of a oneof, a field keeps presence only as `optional`, as it
        // had it before if it was a proto3 `optional` field.
        None if proto2
            || (matches!(file.syntax, Syntax::Proto3)
                && p.old
                    .is_some_and(|f| f.cardinality == Cardinality::OptionalExplicit)) =>
        {
            format!("optional {decl}")
        }
        None => decl.clone(),
    };
    let mut edits = Vec::new();
    // Out of where it is: the oneof with it, if it is its only member.
    match now {
        Some(o) if others(m, new) == 0 => {
            let whole = fix::text_of(file, &o.path)?;
            edits.push(ProposedEdit::replace(
                Target::new(new.file, &o.path),
                whole,
                "",
            ));
        }
        _ => edits.push(ProposedEdit::replace(
            Target::new(new.file, &new.path),
            decl.clone(),
            "",
        )),
    }
    // Into where it was.
    match was {
        None => edits.push(ProposedEdit::append(
            Target::new(m.file, &m.path),
            format!("message \"{}\"", m.name),
            moved,
        )),
        Some(a) => match m.oneofs.iter().find(|o| o.name == a && !o.synthetic) {
            Some(o) => edits.push(ProposedEdit::append(
                Target::new(m.file, &o.path),
                format!("oneof \"{a}\""),
                moved,
            )),
            // The oneof is gone (ONEOF_NO_DELETE): declaring it again is one
            // edit for all its members, not one per member.
            None => return None,
        },
    }
    Some(edits)
}

/// The real (non-synthetic) oneof a field belongs to.
fn oneof_name<'a>(m: &'a Message, f: &Field) -> Option<&'a str> {
    f.oneof
        .and_then(|i| m.oneofs.get(i))
        .filter(|o| !o.synthetic)
        .map(|o| o.name.as_str())
}

/// How many other fields share the field's oneof.
fn others(m: &Message, f: &Field) -> usize {
    m.fields
        .iter()
        .filter(|g| g.number != f.number && g.oneof.is_some() && g.oneof == f.oneof)
        .count()
}

fn members(n: usize) -> String {
    if n == 1 {
        "the other member".to_owned()
    } else {
        format!("the {n} other members")
    }
}
