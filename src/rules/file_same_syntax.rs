use crate::engine::{Cx, FilePair, Part};
use crate::schema::Syntax;

rule! {
    /// # What
    /// A file present at the same path on both sides keeps its syntax: proto2
    /// (also when no `syntax` statement is written), proto3 or editions. A move
    /// from one edition to another is not a syntax change.
    ///
    /// # Why
    /// The syntax sets the defaults of the whole file: field presence, whether
    /// enums are open or closed, UTF-8 checking of strings, the JSON mapping.
    /// Generated code changes with them (has-methods appear or disappear,
    /// unknown enum values are kept or dropped), even where each field looks
    /// the same.
    ///
    /// # Example
    /// ```proto
    /// // old shop/order.proto      // new shop/order.proto
    /// syntax = "proto2";           syntax = "proto3";
    /// ```
    ///
    /// # Fix
    /// Restore the old syntax. To migrate, write the new version of the schema
    /// in a new file or package and move callers over.
    FileSameSyntax {
        id: "FILE_SAME_SYNTAX",
        levels: [File, Package],
        affects: [GeneratedCode],
        summary: "a file keeps its syntax",
    }
    impl {
        fn check_file(&self, cx: &mut Cx, p: &FilePair) {
            let (Some(old), Some(new)) = (p.old, p.new) else { return };
            // As buf: proto2, proto3 or editions; edition 2023 → 2024 is
            // not a syntax change.
            let kind = |s: &Syntax| match s {
                Syntax::Proto2 => "proto2",
                Syntax::Proto3 => "proto3",
                Syntax::Editions(_) => "editions",
            };
            if kind(&old.syntax) == kind(&new.syntax) {
                return;
            }
            let (before, after) = (old.syntax.to_string(), new.syntax.to_string());
            let restore = match &old.syntax {
                Syntax::Editions(e) => format!("restore `edition = \"{e}\";`"),
                _ => format!("restore `syntax = \"{before}\";`"),
            };
            let help = if matches!(new.syntax, Syntax::Editions(_)) {
                format!(
                    "a migration to editions keeps the bytes and JSON the same when every field, enum and message keeps its resolved features (protocheck reports each one that does not); generated code can still change, so rebuild the code that uses \"{}\", or {restore}",
                    p.name
                )
            } else {
                format!(
                    "{restore}: the syntax sets field presence, open or closed enums and UTF-8 checking for the whole file, and the generated code changes with them"
                )
            };
            cx.report(
                p.at(Part::Syntax),
                format!("file \"{}\" changed syntax from {before} to {after}", p.name),
            )
            .help(help);
        }
    }
}
