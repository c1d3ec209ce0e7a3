use crate::engine::{Cx, FilePair};
use crate::rules::file_option::FileOption;
use crate::rules::words;

rule! {
    /// # What
    /// A file present at the same path on both sides keeps the value of
    /// `option php_metadata_namespace`. The effective value is compared: an unset
    /// option has its default, `""`, so writing the default out, or dropping an
    /// option that held it, is not a change.
    ///
    /// # Why
    /// It is the namespace of the generated PHP metadata class, which registers
    /// the file's descriptors. Changing it moves the class, breaking code and
    /// autoloading that name it.
    ///
    /// # Example
    /// ```proto
    /// // old shop/order.proto
    /// option php_metadata_namespace = "Shop\\Metadata";
    /// // new shop/order.proto
    /// option php_metadata_namespace = "Acme\\Shop\\Metadata";
    /// ```
    ///
    /// # Fix
    /// Restore the old value (remove the option if the old file left it
    /// unset). If the generated code must change, do it in a new package
    /// version and migrate callers to it.
    FileSamePhpMetadataNamespace {
        id: "FILE_SAME_PHP_METADATA_NAMESPACE",
        levels: [File, Package],
        affects: [GeneratedCode],
        summary: "a file keeps its php_metadata_namespace option",
    }
    impl {
        fn check_file(&self, cx: &mut Cx, p: &FilePair) {
            FileOption {
                name: "php_metadata_namespace",
                number: 44,
                value: |o| words::quoted(o.php_metadata_namespace()),
                breaks: "the generated PHP metadata class moves, breaking code and autoloading that name it",
            }
            .check(cx, p);
        }
    }
}
