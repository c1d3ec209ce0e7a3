use crate::engine::finding::Audience::*;
use crate::engine::{Cx, FieldPair, Part};
use crate::rules::consequence::{self, Consequence};
use crate::schema::Kind;

rule! {
    /// # What
    /// A string field keeps its UTF-8 validation (the resolved
    /// `utf8_validation` feature): VERIFY in proto3 and by default in
    /// editions, NONE in proto2, or what `features.utf8_validation` on the
    /// field or its editions file says. Moving a field between proto2 and
    /// proto3 files changes it. Extensions are checked too.
    ///
    /// # Why
    /// With VERIFY, parsers in most languages reject a message whose string is
    /// not valid UTF-8; with NONE they accept it. After the change one side
    /// accepts data the other rejects.
    ///
    /// # Example
    /// ```proto
    /// // old a.proto                  // new a.proto
    /// syntax = "proto3";              syntax = "proto2";
    /// string name = 1;                optional string name = 1;
    /// ```
    ///
    /// # Fix
    /// Keep the file's syntax (with editions, set
    /// `[features.utf8_validation = …]` as it resolved before). If strings
    /// must carry arbitrary bytes, use a new `bytes` field.
    FieldSameUtf8Validation {
        id: "FIELD_SAME_UTF8_VALIDATION",
        levels: [File, Package],
        affects: [NewReadersOfOldData, OldReadersOfNewData],
        summary: "a string field keeps its UTF-8 validation",
    }
    impl {
        fn check_field(&self, cx: &mut Cx, p: &FieldPair) {
            let (Some(old), Some(new)) = (p.old, p.new) else { return };
            if old.kind != Kind::String || new.kind != Kind::String {
                return;
            }
            let (a, b) = (old.utf8_validation, new.utf8_validation);
            if a == b {
                return;
            }
            let word = |v: bool| if v { "VERIFY" } else { "NONE" };
            let c = if b {
                Consequence::new(
                    "parsers now reject strings that are not valid UTF-8, which old writers could send",
                    &[NewReadersOfOldData],
                )
            } else {
                Consequence::new(
                    "parsers no longer reject strings that are not valid UTF-8, and old readers fail on such strings from new writers",
                    &[OldReadersOfNewData],
                )
            };
            let old_file = &cx.old.files[old.file];
            let fix = if new.features.edition.is_editions() {
                format!(
                    "set `[features.utf8_validation = {}]` on the field (or remove the option that changed it)",
                    old.features.utf8_validation
                )
            } else {
                format!("keep the field in a {} file, as it was in \"{}\"", old_file.syntax, old_file.name)
            };
            consequence::report(
                cx,
                p.at(Part::Feature(&[4], &Part::Type)),
                format!(
                    "{} changed UTF-8 validation from \"{}\" to \"{}\"",
                    p.describe(),
                    word(a),
                    word(b)
                ),
                &c,
            )
            .help(format!(
                "{fix}; if it must carry arbitrary bytes, add a new `bytes` field"
            ));
        }
    }
}
