use crate::engine::{Cx, FieldPair, Part};
use crate::rules::reserved;

rule! {
    /// # What
    /// A field may be deleted only if its number is reserved in the message.
    ///
    /// # Why
    /// Old writers keep producing the number. If a later change reuses it for a
    /// field of another type, new readers misread that data (the classic
    /// `float total = 3` → `int64 total_cents = 3` corruption). Reserving the
    /// number makes the compiler refuse any reuse.
    ///
    /// # Example
    /// ```proto
    /// // old                       // new
    /// message Order {              message Order {
    ///   float total = 3;           }
    /// }
    /// ```
    ///
    /// # Fix
    /// Add `reserved 3;` (and `reserved "total";` for JSON clients).
    FieldNoDeleteUnlessNumberReserved {
        id: "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED",
        levels: [WireJson, Wire],
        affects: [NewReadersOfOldData],
        summary: "a deleted field's number is reserved",
    }
    impl {
        fn check_field(&self, cx: &mut Cx, p: &FieldPair) {
            // Deleting an extension is EXTENSION_NO_DELETE's business.
            let (Some(old), None, false) = (p.old, p.new, p.extension) else { return };
            if p.new_message.is_reserved_number(p.number) {
                return;
            }
            let fix = reserved::reserve_in_message(
                p.new_message,
                &[p.number],
                &[],
                &crate::engine::fix::reserve_number(p.number),
                "reserve the number",
                " so it can never be reused with another type",
            );
            cx.report(
                p.at(Part::Whole),
                format!(
                    "field {} \"{}\" was deleted from message \"{}\" without reserving the number {}",
                    p.number, old.name, p.new_message.full_name, p.number
                ),
            )
            .suggest(fix);
        }
    }
}
