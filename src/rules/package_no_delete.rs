use crate::engine::{Cx, PackagePair, Part};
use crate::rules::words;

rule! {
    /// # What
    /// Every package of the old schema is still declared by at least one file.
    /// Files may be renamed, split or merged freely; only the package
    /// disappearing altogether is reported, once, instead of one finding per
    /// type.
    ///
    /// # Why
    /// Code generated for the package (a Go package, a Java package, a Python
    /// module tree) disappears with it, so everything importing it breaks, and
    /// readers that look its types up by name (`Any`, gRPC method paths) no
    /// longer find them.
    ///
    /// # Example
    /// ```text
    /// old: shop/v1/order.proto (package shop.v1)
    /// new: shop/v2/order.proto (package shop.v2)   // no file declares shop.v1
    /// ```
    ///
    /// # Fix
    /// Keep the old package's files alongside the new package until no caller
    /// uses them.
    PackageNoDelete {
        id: "PACKAGE_NO_DELETE",
        levels: [Package],
        affects: [GeneratedCode],
        summary: "no package is deleted",
    }
    impl {
        fn check_package(&self, cx: &mut Cx, p: &PackagePair) {
            if p.old_files.is_empty() || !p.new_files.is_empty() {
                return;
            }
            let files: Vec<String> = p.old_files.iter().map(|f| format!("\"{}\"", f.name)).collect();
            cx.report(p.at(Part::Whole), format!("{} was deleted", words::package_words(p.name)))
                .help(format!(
                    "no file declares it any more (before: {}); restore them, under any path (no automatic edit: which path is yours to choose), until nothing imports the code generated for the package or looks its types up by name",
                    files.join(", ")
                ));
        }
    }
}
