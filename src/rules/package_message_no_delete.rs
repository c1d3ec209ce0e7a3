use crate::engine::{Cx, MessagePair, Part};
use crate::rules::words;

rule! {
    /// # What
    /// Every message of a package is still declared somewhere in that package,
    /// nested messages (and map entries) included. Messages pair by
    /// fully-qualified name, so moving one to another file of the same package
    /// is fine. Only packages that still exist are checked; a package deleted
    /// as a whole is `PACKAGE_NO_DELETE`.
    ///
    /// # Why
    /// Code generated for the package loses the message, so everything using
    /// it breaks; readers that look it up by name (`Any`) no longer find it.
    ///
    /// # Example
    /// ```proto
    /// // old shop/order.proto      // new shop/order.proto (and no other file
    /// message Order { }            //   of package shop declares Refund)
    /// message Refund { }           message Order { }
    /// ```
    ///
    /// # Fix
    /// Restore the message in any file of the package. To allow deleting unused
    /// messages, check at `--level wire-json` or `--level wire`.
    PackageMessageNoDelete {
        id: "PACKAGE_MESSAGE_NO_DELETE",
        levels: [Package],
        affects: [GeneratedCode],
        summary: "no message is deleted from a package",
    }
    impl {
        fn check_message(&self, cx: &mut Cx, p: &MessagePair) {
            let (Some(old), None) = (p.old, p.new) else { return };
            let package = &cx.old.files[old.file].package;
            if !cx.new.has_package(package) {
                return;
            }
            cx.report(
                p.at(Part::Name),
                format!(
                    "message \"{}\" was deleted from {}",
                    old.nested_name,
                    words::package_words(package)
                ),
            )
            .help(format!(
                "restore it in any file of the package (no automatic edit: which file is yours to choose): code generated for the package loses \"{}\", and readers that look it up by name (Any) fail",
                old.full_name
            ));
        }
    }
}
