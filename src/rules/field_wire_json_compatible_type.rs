use crate::engine::{Cx, FieldPair};
use crate::rules::compatible_type;
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
    /// Keep the old field and add the new one beside it under a new name and
    /// number, or move it to a new name and number and reserve the old ones:
    /// `int64 nanos_v2 = 4; reserved 3; reserved "nanos";` (a name in use
    /// cannot be reserved).
    FieldWireJsonCompatibleType {
        id: "FIELD_WIRE_JSON_COMPATIBLE_TYPE",
        levels: [WireJson],
        affects: [NewReadersOfOldData, OldReadersOfNewData, JsonClients],
        summary: "a field's type changes only to one with the same binary and JSON encoding",
    }
    impl {
        fn check_field(&self, cx: &mut Cx, p: &FieldPair) {
            compatible_type::check_wire_type(cx, p, true, compatible);
        }
    }
}

fn compatible(a: Kind, b: Kind) -> bool {
    group(a).is_some() && group(a) == group(b)
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
