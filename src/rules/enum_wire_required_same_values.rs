use crate::engine::finding::Audience::*;
use crate::engine::{Cx, EnumValuePair, Part};
use crate::rules::consequence::{self, Consequence};
use crate::schema::{Kind, Schema};

rule! {
    /// # What
    /// Warns when a closed enum (proto2) that is the type of a `required`
    /// field gains or loses a value number. buf accepts both: adding a value is
    /// routine, and a deleted number may be reserved.
    ///
    /// # Why
    /// A reader puts a value its closed enum does not know into the unknown
    /// fields, so the field is not set. For a required field that makes the
    /// whole message invalid, and the reference runtimes reject it: old
    /// readers reject every message in which new writers use an added value,
    /// and new readers reject old data that holds a deleted one.
    ///
    /// # Example
    /// ```proto
    /// // old                               // new
    /// enum Status {                        enum Status {
    ///   STATUS_UNKNOWN = 0;                  STATUS_UNKNOWN = 0;
    ///   STATUS_DONE = 1;                     STATUS_DONE = 1;
    /// }                                      STATUS_RETRY = 2;   // breaks old readers
    /// message Job {                        }
    ///   required Status status = 1;
    /// }
    /// ```
    ///
    /// # Fix
    /// Deploy the new schema to every reader before any writer uses an added
    /// value; keep deleted values (mark them `[deprecated = true]`); or make
    /// the field `optional`.
    EnumWireRequiredSameValues {
        id: "ENUM_WIRE_REQUIRED_SAME_VALUES",
        levels: [WireJson, Wire],
        affects: [OldReadersOfNewData, NewReadersOfOldData],
        severity: Warning,
        protocheck_only: true,
        summary: "a closed enum that a required field uses keeps the same value numbers",
    }
    impl {
        fn check_enum_value(&self, cx: &mut Cx, p: &EnumValuePair) {
            let added = p.old.is_empty() && !p.new.is_empty();
            let deleted = !p.old.is_empty() && p.new.is_empty();
            // The readers that meet the unknown value: old ones for an added
            // value, new ones for a deleted one.
            let (reader, reader_enum, values) = if added {
                (cx.old, p.old_enum, &p.new)
            } else if deleted {
                (cx.new, p.new_enum, &p.old)
            } else {
                return;
            };
            if !reader_enum.closed {
                return;
            }
            let Some(field) = required_user(reader, &reader_enum.full_name) else {
                return;
            };
            let names: Vec<String> = values.iter().map(|v| format!("\"{}\"", v.name)).collect();
            let (what, who, help) = if added {
                (
                    "was added to",
                    Consequence::new(
                        "old readers reject every message in which new writers set it",
                        &[OldReadersOfNewData],
                    ),
                    format!(
                        "deploy the new schema to every reader before any writer uses {}, or make \"{field}\" optional first",
                        names.join(", ")
                    ),
                )
            } else {
                (
                    "was deleted from",
                    Consequence::new(
                        "new readers reject old data that holds it",
                        &[NewReadersOfOldData],
                    ),
                    format!("keep {} in the enum and mark it `[deprecated = true]`", names.join(", ")),
                )
            };
            consequence::report(
                cx,
                p.at(Part::Whole),
                format!(
                    "enum value {} {} {what} closed enum \"{}\", the type of required field \"{field}\"",
                    p.number,
                    names.join(", "),
                    reader_enum.full_name
                ),
                &who,
            )
            .help(help);
        }
    }
}

/// A required field of the enum type, by full name.
fn required_user(s: &Schema, enum_name: &str) -> Option<String> {
    s.messages
        .iter()
        .flat_map(|m| m.fields.iter())
        .find(|f| {
            f.label == prost_types::field_descriptor_proto::Label::Required
                && f.kind == Kind::Enum
                && f.type_name.as_deref() == Some(enum_name)
        })
        .map(|f| f.full_name.clone())
}
