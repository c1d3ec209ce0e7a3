use crate::engine::fix::Suggestion;
use crate::engine::{Cx, FieldPair, Part};
use crate::rules::field_fixes;
use crate::rules::reserved;
use crate::rules::words;

rule! {
    /// # What
    /// No field is deleted from a message that still exists, even when its
    /// number and name are reserved.
    ///
    /// # Why
    /// Generated code loses the field's accessors, so code that uses them stops
    /// compiling. The wire levels accept a deletion whose number (and, for
    /// JSON, name) is reserved; see FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED.
    ///
    /// # Example
    /// ```proto
    /// // old                                  // new
    /// message Order {                         message Order {
    ///   float total = 3;                        reserved 3; reserved "total";
    /// }                                       }
    /// ```
    ///
    /// # Fix
    /// Keep the field and mark it `[deprecated = true]`. If deleting it is
    /// intended, reserve its number and name and check at `--level wire-json`.
    FieldNoDelete {
        id: "FIELD_NO_DELETE",
        levels: [File, Package],
        affects: [GeneratedCode],
        summary: "no field is deleted from a message",
    }
    impl {
        fn check_field(&self, cx: &mut Cx, p: &FieldPair) {
            // Deleting an extension is EXTENSION_NO_DELETE's business.
            let (Some(old), None, false) = (p.old, p.new, p.extension) else { return };
            // A name another field has now cannot be reserved.
            let file = &cx.new.files[p.new_message.file];
            let (reserve, level) = if p.new_message.fields.iter().any(|f| f.name == old.name) {
                (crate::engine::fix::reserve_number(old.number), "wire")
            } else {
                (reserved::reserve_both(file, old), "wire-json")
            };
            let fix = match field_fixes::restore_field(cx, p) {
                Some(edit) => Suggestion::new(
                    "keep the field",
                    vec![edit],
                    &format!(
                        " (mark it `[deprecated = true]` if nothing should use it): generated code loses its accessors; if the deletion is intended, reserve it instead (`{}`) and check at --level {}",
                        reserve, level
                    ),
                ),
                None => Suggestion::new(
                    &format!(
                        "keep the field and mark it `[deprecated = true]` (no automatic edit: `{}` cannot be written back as it was here): generated code loses its accessors; if the deletion is intended, reserve it (`{}`) and check at --level {}",
                        words::declaration(old, old.number),
                        reserve,
                        level
                    ),
                    Vec::new(),
                    "",
                ),
            };
            cx.report(
                p.at(Part::Whole),
                format!(
                    "field {} \"{}\" was deleted from message \"{}\"",
                    p.number, old.name, p.new_message.full_name
                ),
            )
            .suggest(fix);
        }
    }
}
