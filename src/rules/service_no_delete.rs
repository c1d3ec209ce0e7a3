use crate::engine::{Cx, FileMemberPair, Member, Part};

rule! {
    /// # What
    /// Every service of a file is still declared in that same file. Services
    /// pair by name within the file, so moving one to another file counts as a
    /// deletion.
    ///
    /// # Why
    /// Generated code is laid out per file: server implementations and client
    /// stubs import the service's generated module, and break when it is
    /// deleted or moved. A service deleted outright also fails every call to
    /// it.
    ///
    /// # Example
    /// ```proto
    /// // old shop/order.proto      // new shop/order.proto
    /// service Orders { ... }       // Orders moved to shop/orders_api.proto
    /// ```
    ///
    /// # Fix
    /// Restore the service. To allow moves within a package, check at
    /// `--level package`.
    ServiceNoDelete {
        id: "SERVICE_NO_DELETE",
        levels: [File],
        affects: [GeneratedCode],
        summary: "no service is deleted from a file",
    }
    impl {
        fn check_file_member(&self, cx: &mut Cx, p: &FileMemberPair) {
            let (Member::Service(_), None) = (p.old, p.new) else { return };
            let full_name = p.old.full_name();
            let moved = cx
                .new
                .target_services()
                .find(|(_, s)| s.full_name == full_name)
                .map(|(_, s)| cx.new.files[s.file].name.clone());
            let msg = format!(
                "service \"{}\" was deleted from file \"{}\"",
                p.nested_name, p.new_file.name
            );
            let help = match moved {
                Some(to) => format!(
                    "it moved to \"{to}\": servers and clients whose generated code imports \"{}\" for it break; keep it where it was, or check at --level package if moves within a package are fine for you",
                    p.old_file.name
                ),
                None => format!(
                    "restore the service (no automatic edit: protocheck does not copy a deleted declaration back; copy it from the old file): its generated stubs disappear and calls to \"/{full_name}/…\" fail; to retire it, keep it and mark it `option deprecated = true;` until no client uses it"
                ),
            };
            cx.report(p.at(Part::Name), msg).help(help);
        }
    }
}
