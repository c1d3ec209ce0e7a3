use crate::engine::{Cx, FilePair};
use crate::rules::file_option::FileOption;
use crate::rules::words;

rule! {
    /// # What
    /// A file present at the same path on both sides keeps the value of
    /// `option java_outer_classname`. The effective value is compared: an unset
    /// option has its default, `""`, so writing the default out, or dropping an
    /// option that held it, is not a change.
    ///
    /// # Why
    /// It names the Java class that wraps the file's generated code. Java code
    /// refers to it (and, without `java_multiple_files`, to every message
    /// through it), so renaming it breaks that code. The option is compared as
    /// written: unset counts as `""`, even though protoc then derives a class
    /// name from the file name.
    ///
    /// # Example
    /// ```proto
    /// // old shop/order.proto
    /// option java_outer_classname = "OrderProto";
    /// // new shop/order.proto
    /// option java_outer_classname = "OrderProtos";
    /// ```
    ///
    /// # Fix
    /// Restore the old value (remove the option if the old file left it
    /// unset). If the generated code must change, do it in a new package
    /// version and migrate callers to it.
    FileSameJavaOuterClassname {
        id: "FILE_SAME_JAVA_OUTER_CLASSNAME",
        levels: [File, Package],
        affects: [GeneratedCode],
        summary: "a file keeps its java_outer_classname option",
    }
    impl {
        fn check_file(&self, cx: &mut Cx, p: &FilePair) {
            FileOption {
                name: "java_outer_classname",
                number: 8,
                value: |o| words::quoted(o.java_outer_classname()),
                breaks: "the generated Java outer class is renamed, breaking Java code that names it",
            }
            .check(cx, p);
        }
    }
}
