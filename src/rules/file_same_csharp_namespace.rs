use crate::engine::{Cx, FilePair};
use crate::rules::file_option::FileOption;
use crate::rules::words;

rule! {
    /// # What
    /// A file present at the same path on both sides keeps the value of
    /// `option csharp_namespace`. The effective value is compared: an unset
    /// option has its default, `""`, so writing the default out, or dropping an
    /// option that held it, is not a change.
    ///
    /// # Why
    /// The generated C# classes live in this namespace (when unset, one derived
    /// from the package). Changing it moves every class, so `using` directives
    /// and qualified names in C# code break.
    ///
    /// # Example
    /// ```proto
    /// // old shop/order.proto
    /// option csharp_namespace = "Shop.Orders";
    /// // new shop/order.proto
    /// option csharp_namespace = "Acme.Shop.Orders";
    /// ```
    ///
    /// # Fix
    /// Restore the old value (remove the option if the old file left it
    /// unset). If the generated code must change, do it in a new package
    /// version and migrate callers to it.
    FileSameCsharpNamespace {
        id: "FILE_SAME_CSHARP_NAMESPACE",
        levels: [File, Package],
        affects: [GeneratedCode],
        summary: "a file keeps its csharp_namespace option",
    }
    impl {
        fn check_file(&self, cx: &mut Cx, p: &FilePair) {
            FileOption {
                name: "csharp_namespace",
                number: 37,
                value: |o| words::quoted(o.csharp_namespace()),
                breaks: "the generated C# classes move to another namespace, breaking `using` directives and qualified names",
            }
            .check(cx, p);
        }
    }
}
