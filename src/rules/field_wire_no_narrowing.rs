use crate::engine::{Cx, FieldPair, Part};
use crate::schema::Kind;

rule! {
    /// # What
    /// Warns when a field's integer type gets narrower while staying
    /// wire-compatible: 64-bit to 32-bit (int64 → int32, uint64 → uint32,
    /// sint64 → sint32), or any integer to bool. buf's wire level accepts these.
    ///
    /// # Why
    /// The bytes still parse, so nothing fails: values are silently corrupted.
    /// A new reader truncates old 64-bit values to their low 32 bits
    /// (5000000000 reads as 705032704), and bool collapses every non-zero
    /// number to true. protobuf's own guidance calls this truncation out.
    ///
    /// # Example
    /// ```proto
    /// // old                       // new
    /// int64 views = 2;             int32 views = 2;
    /// ```
    ///
    /// # Fix
    /// Keep the wider type. If the range really shrank, add a new field with a
    /// new number, migrate writers, and reserve the old number.
    FieldWireNoNarrowing {
        id: "FIELD_WIRE_NO_NARROWING",
        levels: [WireJson, Wire],
        affects: [NewReadersOfOldData],
        severity: Warning,
        protocheck_only: true,
        summary: "a field's integer type does not get narrower (64 → 32 bits, or to bool)",
    }
    impl {
        fn check_field(&self, cx: &mut Cx, p: &FieldPair) {
            let (Some(old), Some(new)) = (p.old, p.new) else { return };
            let narrowed = matches!(
                (old.kind, new.kind),
                (Kind::Int64 | Kind::Uint64, Kind::Int32 | Kind::Uint32)
                    | (Kind::Sint64, Kind::Sint32)
                    | (Kind::Int32 | Kind::Int64 | Kind::Uint32 | Kind::Uint64, Kind::Bool)
            );
            if !narrowed {
                return;
            }
            let effect = if new.kind == Kind::Bool {
                "every non-zero value is read as true".to_owned()
            } else {
                format!(
                    "{} values beyond 32 bits are truncated when read as {} (5000000000 becomes 705032704)",
                    old.kind.name(),
                    new.kind.name()
                )
            };
            cx.report(
                p.at(Part::Type),
                format!(
                    "{} narrowed from \"{}\" to \"{}\": {effect}",
                    p.describe(),
                    old.kind.name(),
                    new.kind.name()
                ),
            )
            .help(format!(
                "keep \"{}\"; if the range really shrank, add a field with a new number and reserve {}",
                old.kind.name(),
                p.number
            ));
        }
    }
}
