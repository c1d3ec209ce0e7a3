use crate::engine::{Cx, EnumValuePair, Part};
use crate::rules::reserved;

rule! {
    /// # What
    /// An enum value number may be deleted only if the enum reserves it.
    /// Values pair by number, so a number is deleted when no value, alias
    /// included, has it any more.
    ///
    /// # Why
    /// Old writers keep producing the number. If a later change reuses it for a
    /// value with another meaning, new readers misread that data. Reserving the
    /// number makes the compiler refuse any reuse.
    ///
    /// # Example
    /// ```proto
    /// // old                       // new
    /// enum Size {                  enum Size {
    ///   SIZE_UNSPECIFIED = 0;        SIZE_UNSPECIFIED = 0;
    ///   SIZE_SMALL = 1;            }
    /// }
    /// ```
    ///
    /// # Fix
    /// Add `reserved 1;` (and `reserved "SIZE_SMALL";` for JSON clients).
    EnumValueNoDeleteUnlessNumberReserved {
        id: "ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED",
        levels: [WireJson, Wire],
        affects: [NewReadersOfOldData],
        summary: "a deleted enum value's number is reserved",
    }
    impl {
        fn check_enum_value(&self, cx: &mut Cx, p: &EnumValuePair) {
            if p.old.is_empty() || !p.new.is_empty() || p.new_enum.is_reserved_number(p.number) {
                return;
            }
            let names: Vec<String> = p.old.iter().map(|v| format!("\"{}\"", v.name)).collect();
            let fix = reserved::reserve_in_enum(
                p.new_enum,
                &[p.number],
                &[],
                &crate::engine::fix::reserve_number(p.number),
                "reserve the number",
                " so it can never be reused with another meaning",
            );
            cx.report(
                p.at(Part::Whole),
                format!(
                    "enum value {} {} was deleted from enum \"{}\" without reserving the number {}",
                    p.number,
                    names.join(", "),
                    p.new_enum.full_name,
                    p.number
                ),
            )
            .suggest(fix);
        }
    }
}
