use crate::engine::finding::Audience::*;
use crate::engine::{Cx, EnumPair, Part};
use crate::rules::consequence::{self, Consequence};
use crate::schema::features::Feature;
use crate::schema::Enum;

/// "closed" or "open", with what makes it so: `closed (proto2)`,
/// `open (edition 2023)`, ``closed (`features.enum_type`)``.
fn kind_words(e: &Enum) -> String {
    format!(
        "{} ({})",
        if e.closed { "closed" } else { "open" },
        e.features.origin(Feature::EnumType)
    )
}

/// Points at `option features.enum_type` where the enum sets it.
pub(super) const ENUM_TYPE: Part = Part::Feature(&[2], &Part::Name);

rule! {
    /// # What
    /// An enum stays open or stays closed. Enums declared in proto2 files are
    /// closed, enums declared in proto3 files are open, so moving an enum
    /// between a proto2 and a proto3 file (or changing the file's syntax)
    /// changes its type. With editions, the resolved `enum_type` feature
    /// decides (OPEN by default; `option features.enum_type = CLOSED;` on the
    /// enum or the file). Enums pair by fully-qualified name.
    ///
    /// # Why
    /// The two kinds treat numbers they do not know differently. A closed enum
    /// field that reads an unknown number moves it to the unknown fields, so the
    /// field looks unset; an open enum field keeps the number. After closed →
    /// open, old (closed) readers drop numbers that new writers may now set;
    /// after open → closed, new readers drop numbers that old writers stored.
    /// Generated code changes as well (e.g. Java's `UNRECOGNIZED` constant, and
    /// proto3 messages may only use open enums, so they stop compiling).
    ///
    /// # Example
    /// ```proto
    /// // old paint/color.proto     // new paint/color.proto
    /// syntax = "proto2";           syntax = "proto3";
    /// enum Color {                 enum Color {
    ///   COLOR_UNSPECIFIED = 0;       COLOR_UNSPECIFIED = 0;
    ///   COLOR_RED = 1;               COLOR_RED = 1;
    /// }                            }
    /// ```
    ///
    /// # Fix
    /// Keep the enum in a file of its old syntax. If the other kind is needed,
    /// declare a new enum under a new name and migrate fields to it.
    EnumSameType {
        id: "ENUM_SAME_TYPE",
        levels: [File, Package],
        affects: [NewReadersOfOldData, OldReadersOfNewData, GeneratedCode],
        summary: "an enum stays open or stays closed",
    }
    impl {
        fn check_enum(&self, cx: &mut Cx, p: &EnumPair) {
            let (Some(old), Some(new)) = (p.old, p.new) else { return };
            if old.closed == new.closed {
                return;
            }
            let c = if old.closed {
                Consequence::new(
                    "old readers move numbers they do not know to unknown fields, while new writers may now set any number",
                    &[OldReadersOfNewData, GeneratedCode],
                )
            } else {
                Consequence::new(
                    "new readers move numbers missing from the enum to unknown fields, so stored values can vanish",
                    &[NewReadersOfOldData, GeneratedCode],
                )
            };
            consequence::report(
                cx,
                p.at(ENUM_TYPE),
                format!(
                    "enum \"{}\" changed from {} to {}",
                    new.full_name,
                    kind_words(old),
                    kind_words(new)
                ),
                &c,
            )
            .help(if new.features.edition.is_editions() {
                format!(
                    "set `option features.enum_type = {};` in enum \"{}\" to keep it {}; if a {} enum is needed, declare a new enum under another name and move fields to it",
                    old.features.enum_type,
                    new.name,
                    if old.closed { "closed" } else { "open" },
                    if new.closed { "closed" } else { "open" }
                )
            } else {
                format!(
                    "keep enum \"{}\" in a {} file; if a {} enum is needed, declare a new enum under another name and move fields to it",
                    new.name,
                    if old.closed { "proto2" } else { "proto3" },
                    if new.closed { "closed" } else { "open" }
                )
            });
        }
    }
}
