use crate::engine::{Cx, ExtensionPair, Part};
use crate::rules::words;

rule! {
    /// # What
    /// Every extension of a package is still declared somewhere in that
    /// package, at top level or inside a message. Extensions pair by
    /// fully-qualified name, so moving one to another file of the same package
    /// is fine. Only packages that still exist are checked; a package deleted
    /// as a whole is `PACKAGE_NO_DELETE`.
    ///
    /// # Why
    /// Code generated for the package loses the extension's accessor, so code
    /// using it breaks. Its values become unknown fields, and JSON that names
    /// it (`"[shop.gift_wrap]"`) no longer parses.
    ///
    /// # Example
    /// ```proto
    /// // old shop/gift.proto                 // new shop/gift.proto
    /// extend Order { bool gift_wrap = 100; } // deleted, in no other file
    /// ```
    ///
    /// # Fix
    /// Restore the extension in any file of the package.
    PackageExtensionNoDelete {
        id: "PACKAGE_EXTENSION_NO_DELETE",
        levels: [Package],
        affects: [GeneratedCode],
        summary: "no extension is deleted from a package",
    }
    impl {
        fn check_extension(&self, cx: &mut Cx, p: &ExtensionPair) {
            let (Some(old), None) = (p.old, p.new) else { return };
            if !cx.new.has_package(p.package) {
                return;
            }
            cx.report(
                p.at(Part::Name),
                format!(
                    "extension \"{}\" of \"{}\" was deleted from {}",
                    old.nested_name(),
                    old.extendee_name(),
                    words::package_words(p.package)
                ),
            )
            .help(format!(
                "restore it in any file of the package (no automatic edit: which file is yours to choose): code generated for the package loses it, and JSON naming \"[{}]\" no longer parses",
                p.full_name
            ));
        }
    }
}
