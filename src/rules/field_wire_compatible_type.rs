use crate::engine::{Cx, FieldPair};
use crate::rules::compatible_type;
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
    /// Keep the old type, or move the field to a new number and reserve the old
    /// one: `int64 nanos = 4; reserved 3;` (reserve the old name too only if
    /// no field uses it any more: `reserved "total";`).
    FieldWireCompatibleType {
        id: "FIELD_WIRE_COMPATIBLE_TYPE",
        levels: [Wire],
        affects: [NewReadersOfOldData, OldReadersOfNewData],
        summary: "a field's type changes only to one with the same binary encoding",
    }
    impl {
        fn check_field(&self, cx: &mut Cx, p: &FieldPair) {
            compatible_type::check_wire_type(cx, p, false, compatible);
        }
    }
}

fn compatible(a: Kind, b: Kind) -> bool {
    // string → bytes reads the same bytes; bytes → string may not be UTF-8.
    (a, b) == (Kind::String, Kind::Bytes) || group(a).is_some() && group(a) == group(b)
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
