use crate::engine::{Cx, FileMemberPair, Member, Part};

rule! {
    /// # What
    /// Every message of a file is still declared in that same file, nested
    /// messages (and map entries) included. Messages pair by their name within
    /// the file, so moving one to another file counts as a deletion.
    ///
    /// # Why
    /// Generated code is laid out per file (C++ headers, Python modules, Java
    /// outer classes). Deleting or moving a message breaks every import of it.
    ///
    /// # Example
    /// ```proto
    /// // old shop/order.proto      // new shop/order.proto
    /// message Order { }            message Order { }
    /// message Refund { }           // Refund moved to shop/refund.proto
    /// ```
    ///
    /// # Fix
    /// Restore the message. To allow moves within a package, check at
    /// `--level package`; to allow deleting unused messages, `--level wire`.
    MessageNoDelete {
        id: "MESSAGE_NO_DELETE",
        levels: [File],
        affects: [GeneratedCode],
        summary: "no message is deleted from a file",
    }
    impl {
        fn check_file_member(&self, cx: &mut Cx, p: &FileMemberPair) {
            let (Member::Message(_), None) = (p.old, p.new) else { return };
            let moved = cx
                .new
                .message(p.old.full_name())
                .map(|m| cx.new.files[m.file].name.clone());
            let msg = format!(
                "message \"{}\" was deleted from file \"{}\"",
                p.nested_name, p.new_file.name
            );
            let help = match moved {
                Some(to) => format!(
                    "it moved to \"{to}\": generated code that imports \"{}\" for it breaks; keep it where it was, or check at --level package if moves within a package are fine for you",
                    p.old_file.name
                ),
                None => "restore the message (no automatic edit: protocheck does not copy a deleted declaration back; copy it from the old file); code generated from this file loses it".to_owned(),
            };
            cx.report(p.at(Part::Name), msg).help(help);
        }
    }
}
