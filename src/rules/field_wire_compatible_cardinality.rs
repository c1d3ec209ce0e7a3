use crate::engine::{Cx, FieldPair};
use crate::rules::field_same_cardinality;
use crate::schema::Cardinality;

rule! {
    /// # What
    /// A field's cardinality changes only within a group that reads the same
    /// bytes: {optional with explicit presence, optional with implicit
    /// presence}, {required}, {repeated, map}. Adding or removing proto3
    /// `optional` is fine here; moving between singular, required and
    /// repeated is not. Extensions are checked too.
    ///
    /// # Why
    /// A reader that expects one value keeps only the last of a list (and may
    /// drop a packed list as unknown); a list reader sees at most one element
    /// where many were meant. A required field that one side does not know
    /// about makes the other side reject the message.
    ///
    /// # Example
    /// ```proto
    /// // old                          // new
    /// string sku = 2;                 repeated string sku = 2;    // breaks
    /// int32 on_hand = 1;              optional int32 on_hand = 1; // fine on the wire
    /// ```
    ///
    /// # Fix
    /// Keep the old cardinality, or move the field to a new number and reserve
    /// the old number (and the old name, if no field uses it any more).
    FieldWireCompatibleCardinality {
        id: "FIELD_WIRE_COMPATIBLE_CARDINALITY",
        levels: [Wire],
        affects: [NewReadersOfOldData, OldReadersOfNewData],
        summary: "a field's cardinality changes only to one read from the same bytes",
    }
    impl {
        fn check_field(&self, cx: &mut Cx, p: &FieldPair) {
            field_same_cardinality::check(cx, p, wire_group);
        }
    }
}

/// Cardinalities whose values are read from the same bytes.
fn wire_group(c: Cardinality) -> u8 {
    match c {
        Cardinality::OptionalExplicit | Cardinality::OptionalImplicit => 1,
        Cardinality::Required => 2,
        Cardinality::Repeated | Cardinality::Map => 3,
    }
}
