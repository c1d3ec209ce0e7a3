use crate::engine::{Cx, FieldPair, Part};
use crate::finding::Severity;
use crate::rules::util;
use crate::schema::Kind;

rule! {
    /// # What
    /// A field's type may change only within a group that shares both the
    /// binary encoding and the JSON form: {int32, uint32}, {int64, uint64},
    /// {fixed32, sfixed32}, {fixed64, sfixed64}; an enum may be renamed if its
    /// short name stays and every old value keeps its number. Everything else,
    /// string→bytes included, must stay as it was.
    ///
    /// # Why
    /// JSON writes 64-bit integers as strings and 32-bit ones as numbers,
    /// bytes as base64 and strings as text, so a change the binary format
    /// tolerates still breaks JSON clients.
    ///
    /// # Example
    /// ```proto
    /// // old                       // new
    /// int32 count = 4;             int64 count = 4;   // JSON: 5 becomes "5"
    /// ```
    ///
    /// # Fix
    /// Keep the old type, or add a field with a new number and reserve the old
    /// number and name.
    FieldWireJsonCompatibleType {
        id: "FIELD_WIRE_JSON_COMPATIBLE_TYPE",
        levels: [WireJson],
        affects: [NewReadersOfOldData, OldReadersOfNewData, JsonClients],
        summary: "a field's type changes only to one with the same binary and JSON encoding",
    }
    impl {
        fn check_field(&self, cx: &mut Cx, p: &FieldPair) {
            let (Some(old), Some(new)) = (p.old, p.new) else { return };
            let mut differs = None;
            let compatible = match (old.kind, new.kind) {
                (Kind::Enum, Kind::Enum) => {
                    old.type_name == new.type_name
                        || util::enum_is_compatible_subset(cx.old, cx.new, old, new)
                }
                (Kind::Message, Kind::Message) | (Kind::Group, Kind::Group) => {
                    if old.type_name == new.type_name {
                        true
                    } else if let (Some(a), Some(b)) = (&old.type_name, &new.type_name) {
                        // Beyond buf: a renamed or moved type with the same
                        // shape reads the same bytes (buf #2318, #609, #2167).
                        match util::structurally_identical(cx.old, cx.new, a, b, true) {
                            Ok(()) => {
                                cx.report(
                                    p.at(Part::Type),
                                    format!(
                                        "{} changed type from {} to {}, which has the same fields, names and JSON names (recursively): accepted",
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
                util::json_change_consequence(old, new)
                    .unwrap_or_else(|| util::type_change_consequence(old, new))
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

fn group(k: Kind) -> Option<u8> {
    match k {
        Kind::Int32 | Kind::Uint32 => Some(1),
        Kind::Int64 | Kind::Uint64 => Some(2),
        Kind::Fixed32 | Kind::Sfixed32 => Some(3),
        Kind::Fixed64 | Kind::Sfixed64 => Some(4),
        _ => None,
    }
}
