use crate::engine::{Cx, EnumValuePair, Part};
use crate::rules::reserved;

rule! {
    /// # What
    /// An enum value number may be deleted only if every name it had (aliases
    /// included) is reserved in the enum.
    ///
    /// # Why
    /// JSON clients send and read enum values by name. If a deleted name is
    /// later given to another number, JSON written by old clients is read as
    /// the wrong value. Reserving the names makes the compiler refuse any
    /// reuse.
    ///
    /// # Example
    /// ```proto
    /// // old                       // new
    /// enum Size {                  enum Size {
    ///   SIZE_UNSPECIFIED = 0;        SIZE_UNSPECIFIED = 0;
    ///   SIZE_SMALL = 1;              reserved 1;
    /// }                            }
    /// ```
    ///
    /// # Fix
    /// Add `reserved "SIZE_SMALL";`.
    EnumValueNoDeleteUnlessNameReserved {
        id: "ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED",
        levels: [WireJson],
        affects: [JsonClients],
        summary: "a deleted enum value's names are reserved",
    }
    impl {
        fn check_enum_value(&self, cx: &mut Cx, p: &EnumValuePair) {
            if p.old.is_empty() || !p.new.is_empty() {
                return;
            }
            let unreserved_names: Vec<&str> = p
                .old
                .iter()
                .filter(|v| !p.new_enum.reserved_names.contains(&v.name))
                .map(|v| v.name.as_str())
                .collect();
            let unreserved: Vec<String> =
                unreserved_names.iter().map(|n| format!("\"{n}\"")).collect();
            if unreserved.is_empty() {
                return;
            }
            let names: Vec<String> = p.old.iter().map(|v| format!("\"{}\"", v.name)).collect();
            let plural = if unreserved.len() == 1 { "" } else { "s" };
            let fix = reserved::reserve_in_enum(
                p.new_enum,
                &[],
                &unreserved_names,
                &reserved::reserve_names(&cx.new.files[p.new_enum.file], &unreserved_names),
                &format!("reserve the name{plural}"),
                &format!(
                    " so JSON written under th{} name{plural} is never read as another value",
                    if unreserved.len() == 1 { "at" } else { "ose" }
                ),
            );
            cx.report(
                p.at(Part::Whole),
                format!(
                    "enum value {} {} was deleted from enum \"{}\" without reserving the name{plural} {}",
                    p.number,
                    names.join(", "),
                    p.new_enum.full_name,
                    unreserved.join(", ")
                ),
            )
            .suggest(fix);
        }
    }
}
