use crate::engine::{Cx, MessagePair, Part};

rule! {
    /// # What
    /// A message whose JSON mapping is fully supported (resolved `json_format`
    /// ALLOW, as in every proto3 file) keeps it. Moving a message to proto2
    /// (LEGACY_BEST_EFFORT), or setting `option features.json_format =
    /// LEGACY_BEST_EFFORT;` on it, an enclosing message or its editions file,
    /// is flagged; the reverse is fine.
    ///
    /// # Why
    /// ALLOW guarantees that the message has a valid, conflict-free JSON form
    /// (for example, no two fields share a JSON name). Under best effort the
    /// compiler no longer checks this, so JSON clients may get a form that is
    /// ambiguous or that some runtimes refuse.
    ///
    /// # Example
    /// ```proto
    /// // old a.proto                  // new a.proto
    /// syntax = "proto3";              syntax = "proto2";
    /// message Profile { … }           message Profile { … }
    /// ```
    ///
    /// # Fix
    /// Keep the file in proto3 (or keep `json_format = ALLOW`).
    MessageSameJsonFormat {
        id: "MESSAGE_SAME_JSON_FORMAT",
        levels: [File, Package, WireJson],
        affects: [JsonClients],
        summary: "a message keeps full JSON support (json_format ALLOW)",
    }
    impl {
        fn check_message(&self, cx: &mut Cx, p: &MessagePair) {
            let (Some(old), Some(new)) = (p.old, p.new) else { return };
            if !old.json_format_allow || new.json_format_allow {
                return;
            }
            let file = &cx.new.files[new.file];
            let why = if new.features.edition.is_editions() {
                new.features.origin(crate::schema::features::Feature::JsonFormat)
            } else {
                format!("file \"{}\" is now {}", file.name, file.syntax)
            };
            cx.report(
                p.at(Part::Feature(&[6], &Part::Name)),
                format!(
                    "message \"{}\" changed JSON format from \"ALLOW\" to \"LEGACY_BEST_EFFORT\" ({why}): its JSON form is no longer guaranteed to be valid",
                    new.full_name
                ),
            )
            .help(if new.features.edition.is_editions() {
                format!(
                    "set `option features.json_format = ALLOW;` in message \"{}\" (or remove the option that turns it off) so it keeps a checked JSON mapping",
                    new.name
                )
            } else {
                format!(
                    "keep \"{}\" in proto3 so the message keeps a checked JSON mapping",
                    file.name
                )
            });
        }
    }
}
