use crate::engine::{Cx, FilePair, Part};

rule! {
    /// # What
    /// A file present at the same path on both sides keeps its `package`.
    ///
    /// # Why
    /// The package is the first part of every fully-qualified name the file
    /// declares. Changing it renames every message, enum, service and
    /// extension: readers that resolve types by name (`Any` type URLs, gRPC
    /// method paths such as `/shop.Orders/Get`) no longer find them, the JSON
    /// names of extensions and `@type` URLs change, and generated code moves.
    ///
    /// # Example
    /// ```proto
    /// // old shop/order.proto      // new shop/order.proto
    /// package shop;                package shop.v1;
    /// ```
    ///
    /// # Fix
    /// Restore the old package. To move to a new package, copy the file to a
    /// new path under the new package, keep the old one, and migrate callers.
    FileSamePackage {
        id: "FILE_SAME_PACKAGE",
        levels: [File, Package, WireJson, Wire],
        affects: [NewReadersOfOldData, OldReadersOfNewData, JsonClients, GeneratedCode],
        summary: "a file keeps its package",
    }
    impl {
        fn check_file(&self, cx: &mut Cx, p: &FilePair) {
            let (Some(old), Some(new)) = (p.old, p.new) else { return };
            if old.package == new.package {
                return;
            }
            let words = |pkg: &str| {
                if pkg.is_empty() {
                    "no package".to_owned()
                } else {
                    format!("\"{pkg}\"")
                }
            };
            let restore = if old.package.is_empty() {
                "remove the package statement".to_owned()
            } else {
                format!("restore `package {};`", old.package)
            };
            cx.report(
                p.at(Part::Package),
                format!(
                    "file \"{}\" changed package from {} to {}",
                    p.name,
                    words(&old.package),
                    words(&new.package)
                ),
            )
            .help(format!(
                "{restore}: every type in the file is renamed, so readers that look types up by name (Any, gRPC method paths, JSON extension names) and generated code break; to move to a new package, add a new file and keep this one"
            ));
        }
    }
}
