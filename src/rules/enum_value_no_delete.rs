use crate::engine::{Cx, EnumValuePair, Part};

rule! {
    /// # What
    /// Every number an enum had still has at least one value. Values pair by
    /// number, so renaming a value is ENUM_VALUE_SAME_NAME, not a deletion.
    ///
    /// # Why
    /// Generated code loses the constant, and JSON clients can no longer send
    /// or read its name. Data holding the number still arrives: open enums keep
    /// it as an unrecognised number, closed (proto2) enums move it to unknown
    /// fields.
    ///
    /// # Example
    /// ```proto
    /// // old                       // new
    /// enum Color {                 enum Color {
    ///   RED = 0;                     RED = 0;
    ///   BLUE = 2;                  }
    /// }
    /// ```
    ///
    /// # Fix
    /// Keep the value and mark it `[deprecated = true]`; if it must go,
    /// reserve it (`reserved 2; reserved "BLUE";`) and check at `--level wire-json`.
    EnumValueNoDelete {
        id: "ENUM_VALUE_NO_DELETE",
        levels: [File, Package],
        affects: [GeneratedCode, JsonClients],
        summary: "no enum value number is deleted",
    }
    impl {
        fn check_enum_value(&self, cx: &mut Cx, p: &EnumValuePair) {
            if p.old.is_empty() || !p.new.is_empty() {
                return;
            }
            let names: Vec<String> = p.old.iter().map(|v| format!("\"{}\"", v.name)).collect();
            // Names another value has now cannot be reserved.
            let free: Vec<&str> = p
                .old
                .iter()
                .map(|v| v.name.as_str())
                .filter(|n| !p.new_enum.values.iter().any(|v| v.name == *n))
                .collect();
            let mut reserve = crate::engine::fix::reserve_number(p.number);
            if !free.is_empty() {
                reserve.push(' ');
                reserve.push_str(&crate::rules::reserved::reserve_names(
                    &cx.new.files[p.new_enum.file],
                    &free,
                ));
            }
            cx.report(
                p.at(Part::Whole),
                format!(
                    "enum value {} {} was deleted from enum \"{}\"",
                    p.number,
                    names.join(", "),
                    p.new_enum.full_name
                ),
            )
            .help(format!(
                "keep the value and mark it `[deprecated = true]`; if the deletion is intended, reserve it (`{reserve}`) and check at --level wire-json"
            ));
        }
    }
}
