use crate::engine::{Cx, FilePair};
use crate::rules::file_option::FileOption;
use crate::rules::words;

rule! {
    /// # What
    /// A file present at the same path on both sides keeps the value of
    /// `option php_class_prefix`. The effective value is compared: an unset
    /// option has its default, `""`, so writing the default out, or dropping an
    /// option that held it, is not a change.
    ///
    /// # Why
    /// This prefix starts every generated PHP class name. Changing it renames
    /// every class, breaking PHP code that uses them.
    ///
    /// # Example
    /// ```proto
    /// // old shop/order.proto
    /// option php_class_prefix = "Shop";
    /// // new shop/order.proto
    /// option php_class_prefix = "Acme";
    /// ```
    ///
    /// # Fix
    /// Restore the old value (remove the option if the old file left it
    /// unset). If the generated code must change, do it in a new package
    /// version and migrate callers to it.
    FileSamePhpClassPrefix {
        id: "FILE_SAME_PHP_CLASS_PREFIX",
        levels: [File, Package],
        affects: [GeneratedCode],
        summary: "a file keeps its php_class_prefix option",
    }
    impl {
        fn check_file(&self, cx: &mut Cx, p: &FilePair) {
            FileOption {
                name: "php_class_prefix",
                number: 40,
                value: |o| words::quoted(o.php_class_prefix()),
                breaks: "every generated PHP class is renamed, breaking PHP code that uses them",
            }
            .check(cx, p);
        }
    }
}
