use crate::engine::{Cx, FilePair};
use crate::rules::file_option::FileOption;
use crate::rules::words;

rule! {
    /// # What
    /// A file present at the same path on both sides keeps the value of
    /// `option ruby_package`. The effective value is compared: an unset option
    /// has its default, `""`, so writing the default out, or dropping an option
    /// that held it, is not a change.
    ///
    /// # Why
    /// It is the Ruby module of the generated classes (when unset, one derived
    /// from the package). Changing it moves every class, breaking Ruby code
    /// that names them.
    ///
    /// # Example
    /// ```proto
    /// // old shop/order.proto
    /// option ruby_package = "Shop::Orders";
    /// // new shop/order.proto
    /// option ruby_package = "Acme::Shop::Orders";
    /// ```
    ///
    /// # Fix
    /// Restore the old value (remove the option if the old file left it
    /// unset). If the generated code must change, do it in a new package
    /// version and migrate callers to it.
    FileSameRubyPackage {
        id: "FILE_SAME_RUBY_PACKAGE",
        levels: [File, Package],
        affects: [GeneratedCode],
        summary: "a file keeps its ruby_package option",
    }
    impl {
        fn check_file(&self, cx: &mut Cx, p: &FilePair) {
            FileOption {
                name: "ruby_package",
                number: 45,
                value: |o| words::quoted(o.ruby_package()),
                breaks: "the generated Ruby classes move to another module, breaking Ruby code that names them",
            }
            .check(cx, p);
        }
    }
}
