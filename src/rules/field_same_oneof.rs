use crate::engine::{Cx, FieldPair, Part};
use crate::schema::{Field, Message};

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
            let (msg, help) = match (before, after) {
                (None, None) => return,
                (Some(a), Some(b)) if a == b => return,
                (Some(a), Some(b)) => (
                    format!(
                        "{} moved from oneof \"{a}\" to oneof \"{b}\": it now clears the members of \"{b}\" instead of those of \"{a}\"",
                        p.describe()
                    ),
                    format!("keep \"{}\" in oneof \"{a}\"", old.name),
                ),
                (None, Some(b)) => (
                    format!(
                        "{} moved into oneof \"{b}\": {}",
                        p.describe(),
                        match others(p.new_message, new) {
                            0 => "as its only member it reads the same bytes, but generated code changes (oneof case accessors) and members added later will clear it".to_owned(),
                            n => format!("it now clears, and is cleared by, {}, so data that set several of them keeps only the last", members(n)),
                        }
                    ),
                    format!(
                        "keep \"{}\" outside the oneof; to offer it as a choice, add a new member under an unused number (e.g. {}) and deprecate this field",
                        old.name,
                        p.new_message.next_free_number()
                    ),
                ),
                (Some(a), None) => (
                    format!(
                        "{} moved out of oneof \"{a}\": {}",
                        p.describe(),
                        match others(p.old_message, old) {
                            0 => "the bytes stay readable, but generated code changes (oneof case accessors)".to_owned(),
                            n => format!("old readers still treat it as a member, so when new writers set it together with {}, old readers keep only the last", members(n)),
                        }
                    ),
                    format!(
                        "keep \"{}\" in oneof \"{a}\"; if it must stand alone, keep it there and add a new field under a new name and an unused number (e.g. {})",
                        old.name,
                        p.new_message.next_free_number()
                    ),
                ),
            };
            cx.report(p.at(Part::Whole), msg).help(help);
        }
    }
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
