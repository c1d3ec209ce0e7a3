use crate::engine::{Cx, FieldPair, Part};
use crate::rules::reserved;

rule! {
    /// # What
    /// A field may be deleted only if its name is reserved in the message.
    ///
    /// # Why
    /// JSON clients key values by name. If the name is later given to another
    /// field, JSON written by old clients lands in the wrong field. Reserving
    /// the name makes the compiler refuse any reuse.
    ///
    /// # Example
    /// ```proto
    /// // old                       // new
    /// message Order {              message Order {
    ///   float total = 3;             reserved 3;
    /// }                            }
    /// ```
    ///
    /// # Fix
    /// Add `reserved "total";`.
    FieldNoDeleteUnlessNameReserved {
        id: "FIELD_NO_DELETE_UNLESS_NAME_RESERVED",
        levels: [WireJson],
        affects: [JsonClients],
        summary: "a deleted field's name is reserved",
    }
    impl {
        fn check_field(&self, cx: &mut Cx, p: &FieldPair) {
            // Deleting an extension is EXTENSION_NO_DELETE's business.
            let (Some(old), None, false) = (p.old, p.new, p.extension) else { return };
            if p.new_message.is_reserved_name(&old.name) {
                return;
            }
            let fix = reserved::reserve_in_message(
                p.new_message,
                &[],
                &[&old.name],
                &crate::engine::fix::reserve_name(&cx.new.files[p.new_message.file], &old.name),
                "reserve the name",
                " so JSON written under it is never read into another field",
            );
            cx.report(
                p.at(Part::Whole),
                format!(
                    "field {} \"{}\" was deleted from message \"{}\" without reserving the name \"{}\"",
                    p.number, old.name, p.new_message.full_name, old.name
                ),
            )
            .suggest(fix);
        }
    }
}
