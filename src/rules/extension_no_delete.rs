use crate::engine::{Cx, FileMemberPair, Member, Part};

rule! {
    /// # What
    /// Every extension of a file is still declared in that same file, whether
    /// at top level or inside a message. Extensions pair by their name within
    /// the file (`gift_wrap`, `Order.gift_wrap`), so moving one to another file
    /// or scope counts as a deletion.
    ///
    /// # Why
    /// Generated code is laid out per file, and an extension's accessor lives
    /// in the module generated from the file that declares it: code that uses
    /// it breaks when it is deleted or moved. Deleted outright, its values
    /// become unknown fields, and JSON that names it (`"[shop.gift_wrap]"`) no
    /// longer parses.
    ///
    /// # Example
    /// ```proto
    /// // old shop/gift.proto                 // new shop/gift.proto
    /// extend Order { bool gift_wrap = 100; } // deleted
    /// ```
    ///
    /// # Fix
    /// Restore the extension. To allow moves within a package, check at
    /// `--level package`.
    ExtensionNoDelete {
        id: "EXTENSION_NO_DELETE",
        levels: [File],
        affects: [GeneratedCode],
        summary: "no extension is deleted from a file",
    }
    impl {
        fn check_file_member(&self, cx: &mut Cx, p: &FileMemberPair) {
            let (Member::Extension(old), None) = (p.old, p.new) else { return };
            let moved = cx
                .new
                .target_extensions()
                .find(|(_, x)| x.full_name == old.full_name)
                .map(|(_, x)| cx.new.files[x.file].name.clone());
            let msg = format!(
                "extension \"{}\" of \"{}\" was deleted from file \"{}\"",
                p.nested_name,
                old.extendee_name(),
                p.new_file.name
            );
            let help = match moved {
                Some(to) => format!(
                    "it moved to \"{to}\": generated code that imports \"{}\" for it breaks; keep it where it was, or check at --level package if moves within a package are fine for you",
                    p.old_file.name
                ),
                None => format!(
                    "restore the extension (no automatic edit: protocheck does not copy a deleted declaration back; copy it from the old file): code generated from this file loses it, its values are no longer recognised, and JSON naming \"[{}]\" no longer parses",
                    old.full_name
                ),
            };
            cx.report(p.at(Part::Name), msg).help(help);
        }
    }
}
