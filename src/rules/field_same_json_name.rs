use crate::engine::fix::Suggestion;
use crate::engine::{Cx, FieldPair, Part};
use crate::rules::field_fixes;

rule! {
    /// # What
    /// The field with a given number keeps its JSON name: the `json_name`
    /// option, or the lowerCamelCase name the compiler derives from the field
    /// name. A plain rename therefore changes it too.
    ///
    /// # Why
    /// The proto3 JSON mapping writes each field under its JSON name. Clients
    /// that send or parse JSON (REST gateways, browsers, logs) stop seeing the
    /// value: old readers drop the new key, new readers miss the old one.
    ///
    /// # Example
    /// ```proto
    /// // old                       // new
    /// float total = 3;             float total_cents = 3;   // "total" → "totalCents"
    /// ```
    ///
    /// # Fix
    /// Keep the old JSON name, e.g. `float total_cents = 3 [json_name = "total"];`,
    /// or keep the old field and add a new one under a new name and number.
    FieldSameJsonName {
        id: "FIELD_SAME_JSON_NAME",
        levels: [File, Package, WireJson],
        affects: [JsonClients],
        summary: "the field with a given number keeps its JSON name",
    }
    impl {
        fn check_field(&self, cx: &mut Cx, p: &FieldPair) {
            // Extensions have no JSON name of their own: JSON writes "[full.name]".
            let (Some(old), Some(new), false) = (p.old, p.new, p.extension) else { return };
            if old.json_name == new.json_name {
                return;
            }
            let lead = format!("JSON clients still use \"{}\": keep it", old.json_name);
            let tail = format!(
                " (or set it explicitly: `[json_name = \"{}\"]`)",
                old.json_name
            );
            let fix = if field_fixes::reused(p) {
                field_fixes::reused_number_fix(cx, p)
            } else {
                None
            }
            .unwrap_or_else(|| match field_fixes::revert_field(cx, p) {
                Some(edit) => Suggestion::new(&lead, vec![edit], &tail),
                None => Suggestion::new(&lead, Vec::new(), &tail),
            });
            cx.report(
                p.at(Part::JsonName),
                format!(
                    "field {} of message \"{}\" changed JSON name from \"{}\" to \"{}\"",
                    p.number, p.new_message.full_name, old.json_name, new.json_name
                ),
            )
            .suggest(fix);
        }
    }
}
