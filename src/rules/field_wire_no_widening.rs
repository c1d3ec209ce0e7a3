use crate::engine::{Cx, FieldPair, Part};
use crate::schema::Kind;

rule! {
    /// # What
    /// Warns when a field's type gets wider while staying wire-compatible:
    /// 32-bit to 64-bit integers (int32 → int64, uint32 → uint64, sint32 →
    /// sint64, or across signedness), bool to an integer, or string to bytes.
    /// buf's wire level accepts these, and new readers read old data correctly.
    ///
    /// # Why
    /// Data flows both ways while a change rolls out. Once new writers use the
    /// wider range, readers still on the old schema cannot hold their values:
    /// they truncate integers to the low 32 bits (5000000000 reads as
    /// 705032704), read every non-zero number as true, or meet bytes that are
    /// not UTF-8 in a string (proto3 readers reject the whole message; in
    /// proto2, Java reads U+FFFD in their place). The mirror image of
    /// FIELD_WIRE_NO_NARROWING.
    ///
    /// # Example
    /// ```proto
    /// // old                       // new
    /// int32 views = 2;             int64 views = 2;
    /// ```
    ///
    /// # Fix
    /// Roll the new schema out to every reader before any writer sends values
    /// the old type cannot hold; or add a new field with a new number.
    FieldWireNoWidening {
        id: "FIELD_WIRE_NO_WIDENING",
        levels: [WireJson, Wire],
        affects: [OldReadersOfNewData],
        severity: Warning,
        protocheck_only: true,
        summary: "a field's type does not get wider (32 → 64 bits, bool → integer, string → bytes)",
    }
    impl {
        fn check_field(&self, cx: &mut Cx, p: &FieldPair) {
            let (Some(old), Some(new)) = (p.old, p.new) else { return };
            let widened = matches!(
                (old.kind, new.kind),
                (Kind::Int32 | Kind::Uint32, Kind::Int64 | Kind::Uint64)
                    | (Kind::Sint32, Kind::Sint64)
                    | (Kind::Bool, Kind::Int32 | Kind::Int64 | Kind::Uint32 | Kind::Uint64)
                    | (Kind::String, Kind::Bytes)
            );
            if !widened {
                return;
            }
            let effect = if old.kind == Kind::Bool {
                "old readers read every non-zero value that new writers write as true".to_owned()
            } else if old.kind == Kind::String {
                if old.utf8_validation {
                    "old readers reject every message in which new writers put bytes that are not UTF-8".to_owned()
                } else {
                    "old readers take bytes that are not UTF-8 for a string (Java reads U+FFFD in their place)".to_owned()
                }
            } else {
                format!(
                    "old readers truncate {} values beyond 32 bits that new writers write (5000000000 becomes 705032704)",
                    new.kind.name()
                )
            };
            cx.report(
                p.at(Part::Type),
                format!(
                    "{} widened from \"{}\" to \"{}\": {effect}",
                    p.describe(),
                    old.kind.name(),
                    new.kind.name()
                ),
            )
            .help(format!(
                "deploy the new schema to every reader before any writer sends values that \"{}\" cannot hold",
                old.kind.name()
            ));
        }
    }
}
