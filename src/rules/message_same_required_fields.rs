use std::collections::BTreeSet;

use prost_types::field_descriptor_proto::Label;

use crate::engine::finding::Audience::*;
use crate::engine::{Cx, FieldPair, MessagePair, Part};
use crate::rules::consequence::{self, Consequence};
use crate::schema::Message;

rule! {
    /// # What
    /// A message keeps exactly the same set of `required` field numbers: no
    /// required field is deleted or made optional, and none is added. This is
    /// the one rule where an addition breaks.
    ///
    /// # Why
    /// Parsers reject a message in which a required field is missing. A
    /// required field that only the new schema has is missing from everything
    /// old writers send; one that only the old schema has is missing from
    /// everything new writers send, so old readers fail.
    ///
    /// # Example
    /// ```proto
    /// // old (proto2)                 // new
    /// required int32 qty = 2;         optional int32 qty = 2;
    ///                                 required string owner = 4;
    /// ```
    ///
    /// # Fix
    /// Keep `required` where it was and add new fields as `optional`; enforce
    /// presence in application code instead.
    MessageSameRequiredFields {
        id: "MESSAGE_SAME_REQUIRED_FIELDS",
        levels: [File, Package, WireJson, Wire],
        affects: [NewReadersOfOldData, OldReadersOfNewData],
        summary: "a message keeps the same set of required fields",
    }
    impl {
        fn check_message(&self, cx: &mut Cx, p: &MessagePair) {
            let (Some(old), Some(new)) = (p.old, p.new) else { return };
            let (before, after) = (required(old), required(new));
            for &n in before.difference(&after) {
                let field = locate(old, new, n);
                let name = &old.field(n).map(|f| f.name.clone()).unwrap_or_default();
                let editions = new.features.edition.is_editions();
                let (what, help) = match new.field(n) {
                    Some(_) if editions => (
                        "is no longer required",
                        format!("keep \"{name}\" `[features.field_presence = LEGACY_REQUIRED]`: old readers reject messages without it"),
                    ),
                    Some(_) => (
                        "is no longer required",
                        format!("keep \"{name}\" `required`: old readers reject messages without it"),
                    ),
                    None => (
                        "was deleted",
                        format!("restore `required` field \"{name}\" {n}: old readers reject messages without it"),
                    ),
                };
                let c = Consequence::new(
                    "old readers reject messages that new writers send without it",
                    &[OldReadersOfNewData],
                );
                consequence::report(
                    cx,
                    field.at(Part::Feature(&[1], &Part::Label)),
                    format!(
                        "required field {n} \"{name}\" of message \"{}\" {what}",
                        new.full_name
                    ),
                    &c,
                )
                .help(help);
            }
            for &n in after.difference(&before) {
                let field = locate(old, new, n);
                let name = &new.field(n).map(|f| f.name.clone()).unwrap_or_default();
                let was = if old.field(n).is_some() { "became required" } else { "was added as required" };
                let c = Consequence::new(
                    "new readers reject everything old writers send without it",
                    &[NewReadersOfOldData],
                );
                consequence::report(
                    cx,
                    field.at(Part::Feature(&[1], &Part::Label)),
                    format!("field {n} \"{name}\" of message \"{}\" {was}", new.full_name),
                    &c,
                )
                .help(if new.features.edition.is_editions() {
                    format!("declare \"{name}\" without `features.field_presence = LEGACY_REQUIRED` and check for it in application code")
                } else {
                    format!("declare \"{name}\" `optional` and check for it in application code")
                });
            }
        }
    }
}

/// Numbers of the fields declared `required`.
fn required(m: &Message) -> BTreeSet<u32> {
    m.fields
        .iter()
        .filter(|f| f.label == Label::Required)
        .map(|f| f.number)
        .collect()
}

/// The field with this number on both sides, for pointing at it (or at the
/// message where it is gone).
fn locate<'a>(old: &'a Message, new: &'a Message, number: u32) -> FieldPair<'a> {
    FieldPair {
        number,
        old_message: old,
        new_message: new,
        old: old.field(number),
        new: new.field(number),
        extension: false,
    }
}
