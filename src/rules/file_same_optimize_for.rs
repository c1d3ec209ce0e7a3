use crate::engine::{Cx, FilePair};
use crate::rules::file_option::FileOption;

rule! {
    /// # What
    /// A file present at the same path on both sides keeps the value of
    /// `option optimize_for`. The effective value is compared: an unset option
    /// has its default, `SPEED`, so writing the default out, or dropping an
    /// option that held it, is not a change.
    ///
    /// # Why
    /// It selects the generated code: `SPEED` and `CODE_SIZE` build on the full
    /// runtime, `LITE_RUNTIME` on the lite one, without descriptors or
    /// reflection. Switching to lite breaks code that uses reflection, and a
    /// file that is not lite may not import a lite one, so importers stop
    /// compiling; the other way round changes the classes' base type.
    ///
    /// # Example
    /// ```proto
    /// // old shop/order.proto: no optimize_for option (so SPEED)
    /// // new shop/order.proto
    /// option optimize_for = LITE_RUNTIME;
    /// ```
    ///
    /// # Fix
    /// Restore the old value (remove the option if the old file left it
    /// unset). If the generated code must change, do it in a new package
    /// version and migrate callers to it.
    FileSameOptimizeFor {
        id: "FILE_SAME_OPTIMIZE_FOR",
        levels: [File, Package],
        affects: [GeneratedCode],
        summary: "a file keeps its optimize_for option",
    }
    impl {
        fn check_file(&self, cx: &mut Cx, p: &FilePair) {
            FileOption {
                name: "optimize_for",
                number: 9,
                value: |o| o.optimize_for().as_str_name().to_owned(),
                breaks: "the generated C++ and Java code changes runtime and API, breaking code that relies on it",
            }
            .check(cx, p);
        }
    }
}
