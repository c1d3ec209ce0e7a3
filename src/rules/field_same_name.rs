use crate::engine::fix::Suggestion;
use crate::engine::{Cx, FieldPair, Part};
use crate::rules::field_fixes;

rule! {
    /// # What
    /// The field with a given number keeps its name.
    ///
    /// # Why
    /// Generated code names accessors after the field, so a rename breaks every
    /// caller. The proto3 JSON mapping and text format key values by name, so
    /// JSON clients and stored text protos no longer match. On the binary wire
    /// a rename alone is harmless; a rename is often a sign that the number was
    /// reused for something else.
    ///
    /// # Example
    /// ```proto
    /// // old                       // new
    /// float total = 3;             int64 total_cents = 3;
    /// ```
    ///
    /// # Fix
    /// Keep the old name. If the field now means something else, keep the old
    /// field and declare the new one beside it under a new name and number
    /// (deleting the old one, even reserved, fails FIELD_NO_DELETE here).
    FieldSameName {
        id: "FIELD_SAME_NAME",
        levels: [File, Package, WireJson],
        affects: [GeneratedCode, JsonClients],
        summary: "the field with a given number keeps its name",
    }
    impl {
        fn check_field(&self, cx: &mut Cx, p: &FieldPair) {
            let (Some(old), Some(new)) = (p.old, p.new) else { return };
            // Extensions are known by their fully-qualified name.
            let (o, n) = if p.extension {
                (&old.full_name, &new.full_name)
            } else {
                (&old.name, &new.name)
            };
            if o == n {
                return;
            }
            let lead = format!("keep the name \"{}\" for number {}", old.name, p.number);
            let tail = "; if the field's meaning changed, keep it and declare the new field under a new name and number";
            let fix = if field_fixes::reused(p) {
                field_fixes::reused_number_fix(cx, p)
            } else {
                None
            }
            .unwrap_or_else(|| match field_fixes::rename_back(cx, p) {
                Some(edit) => Suggestion::new(&lead, vec![edit], tail),
                None => Suggestion::new(&lead, Vec::new(), tail),
            });
            cx.report(
                p.at(Part::Name),
                format!("{} changed name from \"{o}\" to \"{n}\"", p.describe()),
            )
            .suggest(fix);
        }
    }
}
