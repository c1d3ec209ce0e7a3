use crate::engine::{Cx, FilePair};
use crate::rules::file_option::FileOption;
use crate::rules::words;

rule! {
    /// # What
    /// A file present at the same path on both sides keeps the value of
    /// `option php_namespace`. The effective value is compared: an unset option
    /// has its default, `""`, so writing the default out, or dropping an option
    /// that held it, is not a change.
    ///
    /// # Why
    /// It is the PHP namespace of the generated classes (when unset, one
    /// derived from the package). Changing it moves every class, breaking `use`
    /// statements and autoloading.
    ///
    /// # Example
    /// ```proto
    /// // old shop/order.proto
    /// option php_namespace = "Shop\\Orders";
    /// // new shop/order.proto
    /// option php_namespace = "Acme\\Shop\\Orders";
    /// ```
    ///
    /// # Fix
    /// Restore the old value (remove the option if the old file left it
    /// unset). If the generated code must change, do it in a new package
    /// version and migrate callers to it.
    FileSamePhpNamespace {
        id: "FILE_SAME_PHP_NAMESPACE",
        levels: [File, Package],
        affects: [GeneratedCode],
        summary: "a file keeps its php_namespace option",
    }
    impl {
        fn check_file(&self, cx: &mut Cx, p: &FilePair) {
            FileOption {
                name: "php_namespace",
                number: 41,
                value: |o| words::quoted(o.php_namespace()),
                breaks: "the generated PHP classes move to another namespace, breaking `use` statements and autoloading",
            }
            .check(cx, p);
        }
    }
}
