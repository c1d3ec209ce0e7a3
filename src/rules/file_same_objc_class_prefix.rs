use crate::engine::{Cx, FilePair};
use crate::rules::file_option::FileOption;
use crate::rules::words;

rule! {
    /// # What
    /// A file present at the same path on both sides keeps the value of
    /// `option objc_class_prefix`. The effective value is compared: an unset
    /// option has its default, `""`, so writing the default out, or dropping an
    /// option that held it, is not a change.
    ///
    /// # Why
    /// Objective-C has no namespaces: this prefix starts every generated class
    /// name. Changing it renames every class, breaking Objective-C (and Swift)
    /// code that uses them.
    ///
    /// # Example
    /// ```proto
    /// // old shop/order.proto
    /// option objc_class_prefix = "SHP";
    /// // new shop/order.proto
    /// option objc_class_prefix = "SHO";
    /// ```
    ///
    /// # Fix
    /// Restore the old value (remove the option if the old file left it
    /// unset). If the generated code must change, do it in a new package
    /// version and migrate callers to it.
    FileSameObjcClassPrefix {
        id: "FILE_SAME_OBJC_CLASS_PREFIX",
        levels: [File, Package],
        affects: [GeneratedCode],
        summary: "a file keeps its objc_class_prefix option",
    }
    impl {
        fn check_file(&self, cx: &mut Cx, p: &FilePair) {
            FileOption {
                name: "objc_class_prefix",
                number: 36,
                value: |o| words::quoted(o.objc_class_prefix()),
                breaks: "every generated Objective-C class is renamed, breaking code that uses them",
            }
            .check(cx, p);
        }
    }
}
