use crate::engine::{Cx, MessagePair, Part};

rule! {
    /// # What
    /// A message does not turn on `no_standard_descriptor_accessor`. Only the
    /// change from unset or `false` to `true` is flagged.
    ///
    /// # Why
    /// With the option set, protoc's C++ and Java generators omit the
    /// message's static `descriptor()` / `getDescriptor()` accessor, so code
    /// that calls it stops compiling. The wire and JSON forms are unaffected.
    ///
    /// # Example
    /// ```proto
    /// // old                          // new
    /// message Event {                 message Event {
    ///                                   option no_standard_descriptor_accessor = true;
    /// }                               }
    /// ```
    ///
    /// # Fix
    /// Remove the option (or set it to `false`).
    MessageNoRemoveStandardDescriptorAccessor {
        id: "MESSAGE_NO_REMOVE_STANDARD_DESCRIPTOR_ACCESSOR",
        levels: [File, Package],
        affects: [GeneratedCode],
        summary: "a message keeps its standard descriptor accessor",
    }
    impl {
        fn check_message(&self, cx: &mut Cx, p: &MessagePair) {
            let (Some(old), Some(new)) = (p.old, p.new) else { return };
            let set = |m: &crate::schema::Message| {
                m.options
                    .as_ref()
                    .is_some_and(|o| o.no_standard_descriptor_accessor())
            };
            if set(old) || !set(new) {
                return;
            }
            cx.report(
                p.at(Part::Option(2)),
                format!(
                    "message \"{}\" changed option \"no_standard_descriptor_accessor\" from \"false\" to \"true\": generated C++ and Java code loses its descriptor accessor",
                    new.full_name
                ),
            )
            .help("remove `option no_standard_descriptor_accessor = true;`: code that calls the message's descriptor accessor stops compiling");
        }
    }
}
