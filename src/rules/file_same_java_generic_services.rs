use crate::engine::{Cx, FilePair};
use crate::rules::file_option::FileOption;

rule! {
    /// # What
    /// A file present at the same path on both sides keeps the value of
    /// `option java_generic_services`. The effective value is compared: an unset
    /// option has its default, `false`, so writing the default out, or dropping
    /// an option that held it, is not a change.
    ///
    /// # Why
    /// With the option, protoc generates abstract Java service classes for the
    /// file's services. Turning it off deletes them, so every implementation or
    /// stub built on them stops compiling.
    ///
    /// # Example
    /// ```proto
    /// // old shop/order.proto
    /// option java_generic_services = true;
    /// // new shop/order.proto
    /// option java_generic_services = false;
    /// ```
    ///
    /// # Fix
    /// Restore the old value (remove the option if the old file left it
    /// unset). If the generated code must change, do it in a new package
    /// version and migrate callers to it.
    FileSameJavaGenericServices {
        id: "FILE_SAME_JAVA_GENERIC_SERVICES",
        levels: [File, Package],
        affects: [GeneratedCode],
        summary: "a file keeps its java_generic_services option",
    }
    impl {
        fn check_file(&self, cx: &mut Cx, p: &FilePair) {
            FileOption {
                name: "java_generic_services",
                number: 17,
                value: |o| o.java_generic_services().to_string(),
                breaks: "Java service classes generated from the file appear or disappear, breaking code built on them",
            }
            .check(cx, p);
        }
    }
}
