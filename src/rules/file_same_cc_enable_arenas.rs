use crate::engine::{Cx, FilePair};
use crate::rules::file_option::FileOption;

rule! {
    /// # What
    /// A file present at the same path on both sides keeps the value of
    /// `option cc_enable_arenas`. The effective value is compared: an unset
    /// option has its default, `true`, so writing the default out, or dropping an
    /// option that held it, is not a change.
    ///
    /// # Why
    /// C++ code that allocates the file's messages on an arena relies on the
    /// arena support this option turns on; C++ runtimes that honour it generate
    /// different classes without it, so such callers stop compiling.
    ///
    /// # Example
    /// ```proto
    /// // old shop/order.proto: no cc_enable_arenas option (so true)
    /// // new shop/order.proto
    /// option cc_enable_arenas = false;
    /// ```
    ///
    /// # Fix
    /// Restore the old value (remove the option if the old file left it
    /// unset). If the generated code must change, do it in a new package
    /// version and migrate callers to it.
    FileSameCcEnableArenas {
        id: "FILE_SAME_CC_ENABLE_ARENAS",
        levels: [File, Package],
        affects: [GeneratedCode],
        summary: "a file keeps its cc_enable_arenas option",
    }
    impl {
        fn check_file(&self, cx: &mut Cx, p: &FilePair) {
            FileOption {
                name: "cc_enable_arenas",
                number: 31,
                value: |o| o.cc_enable_arenas().to_string(),
                breaks: "the C++ code generated from the file changes, and callers that allocate its messages on an arena may stop compiling",
            }
            .check(cx, p);
        }
    }
}
