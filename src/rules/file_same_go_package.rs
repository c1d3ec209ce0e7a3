use crate::engine::{Cx, FilePair};
use crate::rules::file_option::FileOption;
use crate::rules::words;

rule! {
    /// # What
    /// A file present at the same path on both sides keeps the value of
    /// `option go_package`. The effective value is compared: an unset option has
    /// its default, `""`, so writing the default out, or dropping an option that
    /// held it, is not a change.
    ///
    /// # Why
    /// It is the Go import path (and package name) of the generated code.
    /// Changing it moves the generated package, so every Go import of it
    /// breaks; adding it where it was unset changes the import path too.
    ///
    /// # Example
    /// ```proto
    /// // old shop/order.proto
    /// option go_package = "example.com/shop/orderpb";
    /// // new shop/order.proto
    /// option go_package = "example.com/shop/v2/orderpb";
    /// ```
    ///
    /// # Fix
    /// Restore the old value (remove the option if the old file left it
    /// unset). If the generated code must change, do it in a new package
    /// version and migrate callers to it.
    FileSameGoPackage {
        id: "FILE_SAME_GO_PACKAGE",
        levels: [File, Package],
        affects: [GeneratedCode],
        summary: "a file keeps its go_package option",
    }
    impl {
        fn check_file(&self, cx: &mut Cx, p: &FilePair) {
            FileOption {
                name: "go_package",
                number: 11,
                value: |o| words::quoted(o.go_package()),
                breaks: "the generated Go package moves, and every Go import of it breaks",
            }
            .check(cx, p);
        }
    }
}
