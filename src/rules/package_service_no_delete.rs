use crate::engine::{Cx, Part, ServicePair};
use crate::rules::words;

rule! {
    /// # What
    /// Every service of a package is still declared somewhere in that package.
    /// Services pair by fully-qualified name, so moving one to another file of
    /// the same package is fine. Only packages that still exist are checked; a
    /// package deleted as a whole is `PACKAGE_NO_DELETE`.
    ///
    /// # Why
    /// Code generated for the package loses the service's stubs, so servers
    /// and clients built on them break, and every call to the service fails.
    ///
    /// # Example
    /// ```proto
    /// // old shop/order.proto      // new shop/order.proto (and no other file
    /// service Orders { ... }       //   of package shop declares Orders)
    /// ```
    ///
    /// # Fix
    /// Restore the service in any file of the package. To retire it, keep it,
    /// mark it `option deprecated = true;`, and delete it once no client calls
    /// it.
    PackageServiceNoDelete {
        id: "PACKAGE_SERVICE_NO_DELETE",
        levels: [Package],
        affects: [GeneratedCode],
        summary: "no service is deleted from a package",
    }
    impl {
        fn check_service(&self, cx: &mut Cx, p: &ServicePair) {
            let (Some(old), None) = (p.old, p.new) else { return };
            let package = &cx.old.files[old.file].package;
            if !cx.new.has_package(package) {
                return;
            }
            cx.report(
                p.at(Part::Name),
                format!(
                    "service \"{}\" was deleted from {}",
                    old.name,
                    words::package_words(package)
                ),
            )
            .help(format!(
                "restore it in any file of the package (no automatic edit: which file is yours to choose): its generated stubs disappear and calls to \"/{}/…\" fail; to retire it, keep it with `option deprecated = true;` until no client calls it",
                old.full_name
            ));
        }
    }
}
