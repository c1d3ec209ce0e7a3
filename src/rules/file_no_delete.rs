use crate::engine::{Cx, FilePair, Part};

rule! {
    /// # What
    /// Every file of the old schema still exists at the same path. Files pair
    /// by path, so renaming or moving a file counts as a deletion.
    ///
    /// # Why
    /// Other .proto files import it by path, and generated code is laid out per
    /// file: imports of the generated module break.
    ///
    /// # Example
    /// ```text
    /// old: shop/order.proto        new: shop/orders.proto
    /// ```
    ///
    /// # Fix
    /// Restore the file. If its types moved within the package, check at
    /// `--level package`.
    FileNoDelete {
        id: "FILE_NO_DELETE",
        levels: [File],
        affects: [GeneratedCode],
        summary: "no file is deleted",
    }
    impl {
        fn check_file(&self, cx: &mut Cx, p: &FilePair) {
            let (Some(_), None) = (p.old, p.new) else { return };
            cx.report(p.at(Part::Whole), format!("file \"{}\" was deleted", p.name))
                .help("restore the file, or import it again where it was imported if it was only an import (no automatic edit: edits apply to files of the new schema, and this one is not in it): generated code and other .proto files import it by path; if its types moved within the package, check at --level package");
        }
    }
}
