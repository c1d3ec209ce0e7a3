use crate::engine::{Cx, FieldPair, Part};
use crate::schema::Kind;

rule! {
    /// # What
    /// Warns when a field changes between a signed and an unsigned integer type
    /// that shares its encoding: int32 ↔ uint32, int64 ↔ uint64 (and across
    /// those), fixed32 ↔ sfixed32, fixed64 ↔ sfixed64. buf's wire level accepts
    /// these. uint32 → int64 is not flagged: every uint32 fits in an int64.
    ///
    /// # Why
    /// The bytes parse, but negative numbers change meaning: -1 written as an
    /// int32 is read as 4294967295 by a uint32 reader, and 4294967295 written as
    /// a uint32 is read as -1. Nothing fails; values are silently wrong.
    ///
    /// # Example
    /// ```proto
    /// // old                       // new
    /// int32 balance = 4;           uint32 balance = 4;
    /// ```
    ///
    /// # Fix
    /// Keep the signedness. If negative values can never occur, document it and
    /// accept the warning; otherwise add a new field with a new number.
    FieldWireSameSignedness {
        id: "FIELD_WIRE_SAME_SIGNEDNESS",
        levels: [WireJson, Wire],
        affects: [NewReadersOfOldData, OldReadersOfNewData],
        severity: Warning,
        protocheck_only: true,
        summary: "a field's integer type keeps its signedness (int32 ↔ uint32, fixed32 ↔ sfixed32, …)",
    }
    impl {
        fn check_field(&self, cx: &mut Cx, p: &FieldPair) {
            let (Some(old), Some(new)) = (p.old, p.new) else { return };
            // (width, signed) of the plain varint integers.
            let varint = |k: Kind| match k {
                Kind::Int32 => Some((32, true)),
                Kind::Int64 => Some((64, true)),
                Kind::Uint32 => Some((32, false)),
                Kind::Uint64 => Some((64, false)),
                _ => None,
            };
            let fixed = |k: Kind| match k {
                Kind::Sfixed32 => Some((32, true)),
                Kind::Fixed32 => Some((32, false)),
                Kind::Sfixed64 => Some((64, true)),
                Kind::Fixed64 => Some((64, false)),
                _ => None,
            };
            let changed = match (varint(old.kind), varint(new.kind)) {
                // Signed to unsigned always reinterprets negatives; unsigned to
                // signed only when the signed type is not wider (a uint32 fits
                // in an int64).
                (Some((_, true)), Some((_, false))) => true,
                (Some((wa, false)), Some((wb, true))) => wb <= wa,
                (Some(_), Some(_)) => false,
                _ => matches!(
                    (fixed(old.kind), fixed(new.kind)),
                    (Some((wa, sa)), Some((wb, sb))) if wa == wb && sa != sb
                ),
            };
            if !changed {
                return;
            }
            let example = if matches!(old.kind, Kind::Int32 | Kind::Int64 | Kind::Sfixed32 | Kind::Sfixed64) {
                "-1 written before is read as a large positive number"
            } else {
                "large values written before are read as negative numbers"
            };
            cx.report(
                p.at(Part::Type),
                format!(
                    "{} changed signedness from \"{}\" to \"{}\": {example}",
                    p.describe(),
                    old.kind.name(),
                    new.kind.name()
                ),
            )
            .help(format!(
                "keep \"{}\", or add a field with a new number if values of the other sign must be stored",
                old.kind.name()
            ));
        }
    }
}
