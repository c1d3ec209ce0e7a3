use crate::engine::{Cx, FileMemberPair, Member, Part};

rule! {
    /// # What
    /// Every enum of a file is still declared in that same file, nested enums
    /// included. Enums pair by their name within the file (`Order.Status`), so
    /// moving one to another file, or out of its message, counts as a deletion.
    ///
    /// # Why
    /// Generated code is laid out per file (C++ headers, Python modules, Java
    /// outer classes). Deleting or moving an enum breaks every import of it.
    ///
    /// # Example
    /// ```proto
    /// // old shop/order.proto      // new shop/order.proto
    /// enum Status { ... }          // Status moved to shop/status.proto
    /// message Order { }            message Order { }
    /// ```
    ///
    /// # Fix
    /// Restore the enum. To allow moves within a package, check at
    /// `--level package`; to allow deleting unused enums, `--level wire`.
    EnumNoDelete {
        id: "ENUM_NO_DELETE",
        levels: [File],
        affects: [GeneratedCode],
        summary: "no enum is deleted from a file",
    }
    impl {
        fn check_file_member(&self, cx: &mut Cx, p: &FileMemberPair) {
            let (Member::Enum(_), None) = (p.old, p.new) else { return };
            let moved = cx
                .new
                .enum_(p.old.full_name())
                .map(|e| cx.new.files[e.file].name.clone());
            let msg = format!(
                "enum \"{}\" was deleted from file \"{}\"",
                p.nested_name, p.new_file.name
            );
            let help = match moved {
                Some(to) => format!(
                    "it moved to \"{to}\": generated code that imports \"{}\" for it breaks; keep it where it was, or check at --level package if moves within a package are fine for you",
                    p.old_file.name
                ),
                None => "restore the enum (no automatic edit: protocheck does not copy a deleted declaration back; copy it from the old file); code generated from this file loses it".to_owned(),
            };
            cx.report(p.at(Part::Name), msg).help(help);
        }
    }
}
