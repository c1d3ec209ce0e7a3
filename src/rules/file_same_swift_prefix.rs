use crate::engine::{Cx, FilePair};
use crate::rules::file_option::FileOption;
use crate::rules::words;

rule! {
    /// # What
    /// A file present at the same path on both sides keeps the value of
    /// `option swift_prefix`. The effective value is compared: an unset option
    /// has its default, `""`, so writing the default out, or dropping an option
    /// that held it, is not a change.
    ///
    /// # Why
    /// This prefix starts every generated Swift type name. Changing it renames
    /// every type, breaking Swift code that uses them.
    ///
    /// # Example
    /// ```proto
    /// // old shop/order.proto
    /// option swift_prefix = "Shop";
    /// // new shop/order.proto
    /// option swift_prefix = "SHP";
    /// ```
    ///
    /// # Fix
    /// Restore the old value (remove the option if the old file left it
    /// unset). If the generated code must change, do it in a new package
    /// version and migrate callers to it.
    FileSameSwiftPrefix {
        id: "FILE_SAME_SWIFT_PREFIX",
        levels: [File, Package],
        affects: [GeneratedCode],
        summary: "a file keeps its swift_prefix option",
    }
    impl {
        fn check_file(&self, cx: &mut Cx, p: &FilePair) {
            FileOption {
                name: "swift_prefix",
                number: 39,
                value: |o| words::quoted(o.swift_prefix()),
                breaks: "every generated Swift type is renamed, breaking Swift code that uses them",
            }
            .check(cx, p);
        }
    }
}
