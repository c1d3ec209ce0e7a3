use crate::engine::{Cx, FieldPair};
use crate::rules::field_same_cardinality;
use crate::schema::Cardinality;

rule! {
    /// # What
    /// A field's cardinality changes only within a group that reads the same
    /// bytes and the same JSON: {optional with explicit presence, optional
    /// with implicit presence}, {required}, {repeated}, {map}. Unlike the
    /// binary-only rule, repeated ↔ map is a break. Extensions are checked
    /// too.
    ///
    /// # Why
    /// Besides the binary problems of FIELD_WIRE_COMPATIBLE_CARDINALITY, JSON
    /// writes a map as an object (`{"a": 1}`) and a repeated field as an array
    /// (`[{"key": "a", "value": 1}]`), so JSON clients of either side fail to
    /// parse what the other sends.
    ///
    /// # Example
    /// ```proto
    /// // old                                    // new
    /// repeated LabelsEntry labels = 3;          map<string, string> labels = 3;
    /// ```
    ///
    /// # Fix
    /// Keep the old cardinality, or move the field to a new name and number
    /// and reserve the old number and name.
    FieldWireJsonCompatibleCardinality {
        id: "FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY",
        levels: [WireJson],
        affects: [NewReadersOfOldData, OldReadersOfNewData, JsonClients],
        summary: "a field's cardinality changes only to one with the same binary and JSON form",
    }
    impl {
        fn check_field(&self, cx: &mut Cx, p: &FieldPair) {
            field_same_cardinality::check(cx, p, wire_json_group);
        }
    }
}

/// Cardinalities with the same bytes and the same JSON form.
fn wire_json_group(c: Cardinality) -> u8 {
    match c {
        Cardinality::OptionalExplicit | Cardinality::OptionalImplicit => 1,
        Cardinality::Required => 2,
        Cardinality::Repeated => 3,
        Cardinality::Map => 4,
    }
}
