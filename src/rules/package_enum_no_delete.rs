use crate::engine::{Cx, EnumPair, Part};
use crate::rules::words;

rule! {
    /// # What
    /// Every enum of a package is still declared somewhere in that package,
    /// nested enums included. Enums pair by fully-qualified name, so moving one
    /// to another file of the same package is fine. Only packages that still
    /// exist are checked; a package deleted as a whole is `PACKAGE_NO_DELETE`.
    ///
    /// # Why
    /// Code generated for the package loses the enum, so everything using it
    /// breaks.
    ///
    /// # Example
    /// ```proto
    /// // old shop/order.proto      // new shop/order.proto (and no other file
    /// enum Status { ... }          //   of package shop declares Status)
    /// message Order { }            message Order { }
    /// ```
    ///
    /// # Fix
    /// Restore the enum in any file of the package. To allow deleting unused
    /// enums, check at `--level wire-json` or `--level wire`.
    PackageEnumNoDelete {
        id: "PACKAGE_ENUM_NO_DELETE",
        levels: [Package],
        affects: [GeneratedCode],
        summary: "no enum is deleted from a package",
    }
    impl {
        fn check_enum(&self, cx: &mut Cx, p: &EnumPair) {
            let (Some(old), None) = (p.old, p.new) else { return };
            let package = &cx.old.files[old.file].package;
            if !cx.new.has_package(package) {
                return;
            }
            cx.report(
                p.at(Part::Name),
                format!(
                    "enum \"{}\" was deleted from {}",
                    old.nested_name,
                    words::package_words(package)
                ),
            )
            .help(format!(
                "restore it in any file of the package (no automatic edit: which file is yours to choose): code generated for the package loses \"{}\"",
                old.full_name
            ));
        }
    }
}
