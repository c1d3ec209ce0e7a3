use crate::engine::{Cx, EnumPair, Part};

rule! {
    /// # What
    /// An enum whose JSON format was `ALLOW` keeps it. proto3 enums resolve to
    /// `ALLOW`, proto2 enums to `LEGACY_BEST_EFFORT`; with editions the
    /// `json_format` feature of the enum, its messages or its file decides.
    /// Only the change away from `ALLOW` is reported. Enums pair by
    /// fully-qualified name.
    ///
    /// # Why
    /// `ALLOW` promises that the enum has a well-defined proto3 JSON mapping:
    /// the compiler rejects value names that would clash in JSON. Under
    /// `LEGACY_BEST_EFFORT` that check is gone, so the names JSON clients send
    /// and read may later become ambiguous and be mapped on a best-effort basis.
    ///
    /// # Example
    /// ```proto
    /// // old paint/color.proto     // new paint/color.proto
    /// syntax = "proto3";           syntax = "proto2";
    /// enum Color {                 enum Color {
    ///   COLOR_UNSPECIFIED = 0;       COLOR_UNSPECIFIED = 0;
    /// }                            }
    /// ```
    ///
    /// # Fix
    /// Keep the enum in a proto3 file (or, under editions, set
    /// `option features.json_format = ALLOW;`).
    EnumSameJsonFormat {
        id: "ENUM_SAME_JSON_FORMAT",
        levels: [File, Package, WireJson],
        affects: [JsonClients],
        summary: "an enum with JSON format ALLOW keeps it",
    }
    impl {
        fn check_enum(&self, cx: &mut Cx, p: &EnumPair) {
            let (Some(old), Some(new)) = (p.old, p.new) else { return };
            if !old.json_format_allow || new.json_format_allow {
                return;
            }
            cx.report(
                p.at(Part::Feature(&[6], &Part::Name)),
                format!(
                    "enum \"{}\" changed JSON format from \"ALLOW\" to \"LEGACY_BEST_EFFORT\"{}: its JSON mapping is no longer checked",
                    new.full_name,
                    if new.features.edition.is_editions() {
                        format!(" ({})", new.features.origin(crate::schema::features::Feature::JsonFormat))
                    } else {
                        String::new()
                    }
                ),
            )
            .help(if new.features.edition.is_editions() {
                format!(
                    "set `option features.json_format = ALLOW;` in enum \"{}\" (or remove the option that turns it off)",
                    new.name
                )
            } else {
                format!(
                    "keep enum \"{}\" in a proto3 file, where its JSON format is ALLOW",
                    new.name
                )
            });
        }
    }
}
