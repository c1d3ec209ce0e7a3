use crate::engine::{Cx, FilePair};
use crate::rules::file_option::FileOption;

rule! {
    /// # What
    /// A file present at the same path on both sides keeps the value of
    /// `option java_multiple_files`. The effective value is compared: an unset
    /// option has its default, `false`, so writing the default out, or dropping
    /// an option that held it, is not a change.
    ///
    /// # Why
    /// It decides whether each message, enum and service becomes its own
    /// top-level Java class or a nested class of the file's outer class.
    /// Changing it moves every generated class, so Java imports and qualified
    /// names break.
    ///
    /// # Example
    /// ```proto
    /// // old shop/order.proto: no java_multiple_files option (so false)
    /// // new shop/order.proto
    /// option java_multiple_files = true;
    /// ```
    ///
    /// # Fix
    /// Restore the old value (remove the option if the old file left it
    /// unset). If the generated code must change, do it in a new package
    /// version and migrate callers to it.
    FileSameJavaMultipleFiles {
        id: "FILE_SAME_JAVA_MULTIPLE_FILES",
        levels: [File, Package],
        affects: [GeneratedCode],
        summary: "a file keeps its java_multiple_files option",
    }
    impl {
        fn check_file(&self, cx: &mut Cx, p: &FilePair) {
            FileOption {
                name: "java_multiple_files",
                number: 10,
                value: |o| o.java_multiple_files().to_string(),
                breaks: "every generated Java class moves in or out of the outer class, breaking Java imports",
            }
            .check(cx, p);
        }
    }
}
