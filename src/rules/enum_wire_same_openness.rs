use crate::engine::finding::Audience::*;
use crate::engine::{Cx, EnumPair};
use crate::rules::consequence::{self, Consequence};

rule! {
    /// # What
    /// Warns when an enum changes between open (proto3) and closed (proto2, or
    /// `enum_type = CLOSED`), at the levels where buf's ENUM_SAME_TYPE does not
    /// apply.
    ///
    /// # Why
    /// A closed enum rejects numbers it does not know: the parser moves such a
    /// value into the unknown fields and the field reads as its default. An open
    /// enum keeps the number. After the change, values that old writers or newer
    /// peers send are silently dropped from the field (or start appearing), and
    /// repeated fields lose elements.
    ///
    /// # Example
    /// ```proto
    /// // old: syntax = "proto3"     // new: syntax = "proto2"
    /// enum Status { ... }           enum Status { ... }
    /// ```
    ///
    /// # Fix
    /// Keep the enum's openness; with editions, set `features.enum_type`
    /// explicitly to the old behaviour.
    EnumWireSameOpenness {
        id: "ENUM_WIRE_SAME_OPENNESS",
        levels: [WireJson, Wire],
        affects: [NewReadersOfOldData, OldReadersOfNewData],
        severity: Warning,
        protocheck_only: true,
        summary: "an enum stays open or closed (unknown values would move to unknown fields)",
    }
    impl {
        fn check_enum(&self, cx: &mut Cx, p: &EnumPair) {
            let (Some(old), Some(new)) = (p.old, p.new) else { return };
            if old.closed == new.closed {
                return;
            }
            let word = |closed: bool| if closed { "closed" } else { "open" };
            let c = if new.closed {
                Consequence::new(
                    "values it does not know now go to unknown fields and the field reads as its default",
                    &[NewReadersOfOldData],
                )
            } else {
                Consequence::new(
                    "values it does not know are now kept in the field, where old readers dropped them",
                    &[OldReadersOfNewData],
                )
            };
            consequence::report(
                cx,
                p.at(super::enum_same_type::ENUM_TYPE),
                format!(
                    "enum \"{}\" changed from {} to {}",
                    new.full_name,
                    word(old.closed),
                    word(new.closed)
                ),
                &c,
            )
            .help("keep the enum's openness (with editions: `option features.enum_type = ...;` on the enum)");
        }
    }
}
