use crate::engine::{Cx, FieldPair, Part};
use crate::schema::{Field, Kind};

rule! {
    /// # What
    /// A string field keeps whether generated Java code checks it for valid
    /// UTF-8. That is on when the file sets `java_string_check_utf8 = true`
    /// (or `(pb.java).utf8_validation = VERIFY`), and otherwise follows the
    /// field's UTF-8 validation: on in proto3, off in proto2, the resolved
    /// `utf8_validation` feature with editions. So setting the option in a
    /// proto3 file changes nothing, and in a proto2 file it does. Extensions
    /// are checked too.
    ///
    /// # Why
    /// With the check on, Java parsers throw on invalid UTF-8 and setters
    /// reject it; with it off, Java accepts any bytes. Java services start
    /// rejecting data they accepted before, or the reverse.
    ///
    /// # Example
    /// ```proto
    /// // old a.proto (proto2)         // new a.proto
    ///                                 option java_string_check_utf8 = true;
    /// optional string name = 1;       optional string name = 1;
    /// ```
    ///
    /// # Fix
    /// Restore the file's `java_string_check_utf8` option (or its syntax) as
    /// it was.
    FieldSameJavaUtf8Validation {
        id: "FIELD_SAME_JAVA_UTF8_VALIDATION",
        levels: [File, Package],
        affects: [GeneratedCode, NewReadersOfOldData],
        summary: "a string field keeps its Java UTF-8 validation",
    }
    impl {
        fn check_field(&self, cx: &mut Cx, p: &FieldPair) {
            let (Some(old), Some(new)) = (p.old, p.new) else { return };
            if old.kind != Kind::String || new.kind != Kind::String {
                return;
            }
            let (a, b) = (java_verifies(old), java_verifies(new));
            if a == b {
                return;
            }
            let word = |v: bool| if v { "VERIFY" } else { "NONE" };
            let file = &cx.new.files[new.file];
            let effect = if b {
                "Java now rejects strings that are not valid UTF-8"
            } else {
                "Java no longer rejects strings that are not valid UTF-8"
            };
            let editions = new.features.edition.is_editions();
            let fix = match (old.java_utf8, new.java_utf8) {
                _ if editions => format!(
                    "set `[features.(pb.java).utf8_validation = {}]` on the field{}",
                    if a { "VERIFY" } else { "DEFAULT" },
                    if a { "" } else { " and keep its `utf8_validation` as it was" }
                ),
                (false, true) => format!(
                    "remove `option java_string_check_utf8 = true;` from \"{}\"",
                    file.name
                ),
                (true, false) => format!(
                    "restore `option java_string_check_utf8 = true;` in \"{}\"",
                    file.name
                ),
                _ if b => format!(
                    "keep the field in a {} file, as it was in \"{}\"",
                    cx.old.files[old.file].syntax,
                    cx.old.files[old.file].name
                ),
                _ => format!(
                    "set `option java_string_check_utf8 = true;` in \"{}\" to keep Java's check, or keep the field in a {} file",
                    file.name,
                    cx.old.files[old.file].syntax
                ),
            };
            cx.report(
                p.at(Part::Feature(&[1001, 2], &Part::Whole)),
                format!(
                    "{} changed Java UTF-8 validation from \"{}\" to \"{}\": {effect}",
                    p.describe(),
                    word(a),
                    word(b)
                ),
            )
            .help(fix);
        }
    }
}

/// Whether generated Java code checks the string for UTF-8.
fn java_verifies(f: &Field) -> bool {
    f.java_utf8 || f.utf8_validation
}
