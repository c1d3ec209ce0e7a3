use crate::engine::{Cx, FilePair};
use crate::rules::file_option::FileOption;
use crate::rules::words;

rule! {
    /// # What
    /// A file present at the same path on both sides keeps the value of
    /// `option java_package`. The effective value is compared: an unset option
    /// has its default, `""`, so writing the default out, or dropping an option
    /// that held it, is not a change.
    ///
    /// # Why
    /// It is the Java package of the generated classes. Changing it moves every
    /// class, so every Java import of them breaks. The option is compared as
    /// written: unset counts as `""`, even though protoc then uses the proto
    /// package.
    ///
    /// # Example
    /// ```proto
    /// // old shop/order.proto
    /// option java_package = "com.example.shop";
    /// // new shop/order.proto
    /// option java_package = "com.example.shop.orders";
    /// ```
    ///
    /// # Fix
    /// Restore the old value (remove the option if the old file left it
    /// unset). If the generated code must change, do it in a new package
    /// version and migrate callers to it.
    FileSameJavaPackage {
        id: "FILE_SAME_JAVA_PACKAGE",
        levels: [File, Package],
        affects: [GeneratedCode],
        summary: "a file keeps its java_package option",
    }
    impl {
        fn check_file(&self, cx: &mut Cx, p: &FilePair) {
            FileOption {
                name: "java_package",
                number: 1,
                value: |o| words::quoted(o.java_package()),
                breaks: "the generated Java classes move to another package, breaking every Java import of them",
            }
            .check(cx, p);
        }
    }
}
