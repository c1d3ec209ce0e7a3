use crate::engine::{Cx, OneofPair, Part};

rule! {
    /// # What
    /// Every real oneof of a message is still there, by name. Renaming a
    /// oneof counts as a deletion. The synthetic oneofs that proto3 `optional`
    /// creates are ignored: removing `optional` is a presence change
    /// (FIELD_SAME_CARDINALITY), not a deleted oneof.
    ///
    /// # Why
    /// Generated code names the oneof's case enum and accessors after it
    /// (`payment_case()`, `PaymentCase`), so code that switches on it stops
    /// compiling. JSON and the binary format do not see oneof names.
    ///
    /// # Example
    /// ```proto
    /// // old                          // new
    /// oneof payment {                 oneof method {
    ///   string card = 2;                string card = 2;
    /// }                               }
    /// ```
    ///
    /// # Fix
    /// Restore the oneof under its old name.
    OneofNoDelete {
        id: "ONEOF_NO_DELETE",
        levels: [File, Package],
        affects: [GeneratedCode],
        summary: "no oneof is deleted from a message",
    }
    impl {
        fn check_oneof(&self, cx: &mut Cx, p: &OneofPair) {
            let (Some(old), None) = (p.old, p.new) else { return };
            if old.synthetic {
                return;
            }
            cx.report(
                p.at(Part::Name),
                format!(
                    "oneof \"{}\" was deleted from message \"{}\"",
                    old.name, p.new_message.full_name
                ),
            )
            .help(format!(
                "restore `oneof {} {{ … }}` (no automatic edit: its fields would have to move back inside it, which protocheck does not do): generated code names its case enum and accessors after it",
                old.name
            ));
        }
    }
}
