use crate::engine::{Cx, FieldPair, Part};
use crate::finding::Severity;
use crate::rules::util;
use crate::schema::Kind;

rule! {
    /// # What
    /// A field's type may change only within a group that shares an encoding:
    /// {int32, int64, uint32, uint64, bool}, {sint32, sint64}, {fixed32,
    /// sfixed32}, {fixed64, sfixed64}; string may become bytes; an enum may be
    /// renamed if its short name stays and every old value keeps its number.
    /// Every other kind stands alone, and message types must keep their name.
    /// Beyond buf, another message type with the same shape, or another enum
    /// that keeps every number (and its openness), is accepted with an info
    /// finding, because the bytes read the same.
    ///
    /// # Why
    /// Readers parse the bytes with the type they know. Outside these groups
    /// the wire type differs, or the same bytes are decoded by other rules
    /// (zigzag vs two's complement), and old data is misread or rejected.
    ///
    /// # Example
    /// ```proto
    /// // old                       // new
    /// float total = 3;             int64 total_cents = 3;   // breaks
    /// int32 count = 4;             int64 count = 4;         // fine on the wire
    /// ```
    ///
    /// # Fix
    /// Keep the old type, or add a field with a new number and reserve the old
    /// one: `reserved 3; reserved "total";`.
    FieldWireCompatibleType {
        id: "FIELD_WIRE_COMPATIBLE_TYPE",
        levels: [Wire],
        affects: [NewReadersOfOldData, OldReadersOfNewData],
        summary: "a field's type changes only to one with the same binary encoding",
    }
    impl {
        fn check_field(&self, cx: &mut Cx, p: &FieldPair) {
            let (Some(old), Some(new)) = (p.old, p.new) else { return };
            let mut differs = None;
            let compatible = match (old.kind, new.kind) {
                (Kind::String, Kind::Bytes) => true,
                (Kind::Enum, Kind::Enum) => {
                    if old.type_name == new.type_name
                        || util::enum_is_compatible_subset(cx.old, cx.new, old, new)
                    {
                        true
                    } else {
                        // Beyond buf: another enum that keeps every number
                        // reads the same bytes.
                        match util::enum_keeps_numbers(cx.old, cx.new, old, new) {
                            Ok(()) => {
                                cx.report(
                                    p.at(Part::Type),
                                    format!(
                                        "{} changed type from {} to {}, which keeps every number and its openness: accepted on the wire",
                                        p.describe(),
                                        util::type_words(old),
                                        util::type_words(new)
                                    ),
                                )
                                .severity(Severity::Info)
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
                    if old.type_name == new.type_name {
                        true
                    } else if let (Some(a), Some(b)) = (&old.type_name, &new.type_name) {
                        // Beyond buf: a renamed or moved type with the same
                        // shape reads the same bytes (buf #2318, #609, #2167).
                        match util::structurally_identical(cx.old, cx.new, a, b, false) {
                            Ok(()) => {
                                cx.report(
                                    p.at(Part::Type),
                                    format!(
                                        "{} changed type from {} to {}, which is wire-identical (same numbers and types, recursively): accepted",
                                        p.describe(),
                                        util::type_words(old),
                                        util::type_words(new)
                                    ),
                                )
                                .severity(Severity::Info)
                                .help("nothing to do here; --level file and package still report FIELD_SAME_TYPE, because generated code changes");
                                true
                            }
                            Err(why) => {
                                differs = Some(why);
                                false
                            }
                        }
                    } else {
                        false
                    }
                }
                (a, b) if a == b => true,
                (a, b) => group(a).is_some() && group(a) == group(b),
            };
            if compatible {
                return;
            }
            let msg = format!(
                "{} changed type from {} to {}: {}",
                p.describe(),
                util::type_words(old),
                util::type_words(new),
                util::type_change_consequence(old, new)
            );
            let msg = match differs {
                Some(why) => format!("{msg} ({why})"),
                None => msg,
            };
            let help = util::new_number_help(p);
            let f = cx.report(p.at(Part::Type), msg);
            if let Some(h) = help {
                f.help(h);
            }
        }
    }
}

/// Kinds that read each other's bytes; `None` for kinds that stand alone.
fn group(k: Kind) -> Option<u8> {
    match k {
        Kind::Int32 | Kind::Int64 | Kind::Uint32 | Kind::Uint64 | Kind::Bool => Some(1),
        Kind::Sint32 | Kind::Sint64 => Some(2),
        Kind::Fixed32 | Kind::Sfixed32 => Some(3),
        Kind::Fixed64 | Kind::Sfixed64 => Some(4),
        _ => None,
    }
}
