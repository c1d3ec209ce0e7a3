use crate::engine::finding::Audience::{self, *};
use crate::engine::fix::Suggestion;
use crate::engine::{Cx, FieldPair, Part};
use crate::rules::consequence::{self, Consequence};
use crate::rules::field_fixes;
use crate::rules::words;
use crate::schema::{Cardinality, Field, Schema, Syntax};

rule! {
    /// # What
    /// A field keeps its cardinality: optional with explicit presence, optional
    /// with implicit presence, required, repeated or map. Adding or removing
    /// proto3 `optional` counts (implicit ↔ explicit presence); it is not a
    /// oneof change. With editions, presence is the resolved `field_presence`
    /// feature of the field or its file (LEGACY_REQUIRED is required).
    /// Extensions are checked too; the key and value fields of map entries
    /// are not.
    ///
    /// # Why
    /// Generated code differs for each cardinality: presence adds `has_…` and
    /// `clear_…` accessors (and an `Option`/pointer type in some languages),
    /// repeated and map fields are lists and maps. Changing between them
    /// breaks code that uses the field even when the bytes stay readable.
    /// Moves between singular, required and repeated also misread data; see
    /// FIELD_WIRE_COMPATIBLE_CARDINALITY.
    ///
    /// # Example
    /// ```proto
    /// // old (proto3)                 // new
    /// int32 count = 2;                optional int32 count = 2;
    /// string tag = 4;                 repeated string tag = 4;
    /// ```
    ///
    /// # Fix
    /// Keep the declaration as it was. If the field needs another shape, keep
    /// it and add a new field under a new name and number (at the wire
    /// levels, moving it to a new number and reserving the old one also
    /// passes).
    FieldSameCardinality {
        id: "FIELD_SAME_CARDINALITY",
        levels: [File, Package],
        affects: [GeneratedCode, NewReadersOfOldData, OldReadersOfNewData, JsonClients],
        summary: "a field keeps its cardinality (presence, required, repeated, map)",
    }
    impl {
        fn check_field(&self, cx: &mut Cx, p: &FieldPair) {
            check(cx, p, |c| c);
        }
    }
}

/// Reports a cardinality change of a field pair when `group` puts the old and
/// the new cardinality apart. Map-entry key and value fields are skipped: the
/// compiler generates them.
pub(super) fn check<G: PartialEq>(cx: &mut Cx, p: &FieldPair, group: fn(Cardinality) -> G) {
    let (Some(old), Some(new)) = (p.old, p.new) else {
        return;
    };
    if p.old_message.is_map_entry && p.new_message.is_map_entry {
        return;
    }
    let (oc, nc) = (old.cardinality, new.cardinality);
    if oc == nc || group(oc) == group(nc) {
        return;
    }
    let subject = format!(
        "{} changed cardinality from \"{oc}\" to \"{nc}\"",
        p.describe()
    );
    let fix = help(cx, p, old, new);
    let c = cardinality_change(oc, nc);
    consequence::report(cx, p.at(Part::Feature(&[1], &Part::Label)), subject, &c).suggest(fix);
}

/// What a cardinality change does, and to whom.
fn cardinality_change(old: Cardinality, new: Cardinality) -> Consequence {
    use Cardinality::*;
    let (claim, who): (&str, &[Audience]) = match (old, new) {
        (OptionalImplicit, OptionalExplicit) => (
            "the bytes are unchanged, but generated code gains presence accessors (has_…/clear_…) and in some languages a different field type",
            &[GeneratedCode],
        ),
        // Old readers with presence see "unset" where new writers meant zero.
        (OptionalExplicit, OptionalImplicit) => (
            "generated code loses its presence accessors (has_…), and a value explicitly set to zero is no longer sent or told apart from unset",
            &[OldReadersOfNewData, GeneratedCode],
        ),
        (_, Required) => (
            "readers now reject messages that lack the field, and old writers may leave it out",
            &[NewReadersOfOldData, GeneratedCode],
        ),
        (Required, _) => (
            "old readers reject messages that lack the field, which new writers may now send",
            &[OldReadersOfNewData, GeneratedCode],
        ),
        (Repeated, Map) | (Map, Repeated) => (
            "the bytes are the same (a map is a list of entry messages), but JSON writes a map as an object and a repeated field as an array, and generated code changes type",
            &[JsonClients, GeneratedCode],
        ),
        (OptionalExplicit | OptionalImplicit, Repeated | Map) => (
            "old readers expect one value and keep only the last of several that new writers write (packed lists may be dropped as unknown), and generated code changes type",
            // JSON writes one value as itself and several as an array.
            &[OldReadersOfNewData, JsonClients, GeneratedCode],
        ),
        (Repeated | Map, _) => (
            "lists written before are cut down to their last element when read as one value, and generated code changes type",
            &[NewReadersOfOldData, JsonClients, GeneratedCode],
        ),
        _ => ("generated code changes type", &[GeneratedCode]),
    };
    Consequence::new(claim, who)
}

/// The declaration as written in its file: `optional int32 a = 1;` in
/// proto2, `int32 a = 1;` for proto3 implicit presence.
fn declaration(schema: &Schema, f: &Field, number: u32) -> String {
    let d = words::declaration(f, number);
    let proto2 = schema
        .files
        .get(f.file)
        .is_some_and(|file| file.syntax == Syntax::Proto2);
    if proto2 && f.cardinality == Cardinality::OptionalExplicit && f.oneof.is_none() {
        format!("optional {d}")
    } else {
        d
    }
}

fn help(cx: &Cx, p: &FieldPair, old: &Field, new: &Field) -> Suggestion {
    use Cardinality::*;
    let decl = declaration(cx.old, old, p.number);
    let words = |s: String| Suggestion::new(&s, Vec::new(), "");
    if p.extension {
        return words(format!(
            "keep `{decl}`; to give the extension another shape, declare a new extension under an unused number of the extendee's extension ranges"
        ));
    }
    // Writes the old declaration back; `tail` says why.
    let keep = |tail: &str| match field_fixes::revert_field(cx, p) {
        Some(edit) => Suggestion::new("keep the declaration as it was", vec![edit], tail),
        None => Suggestion::new(&format!("keep `{decl}`"), Vec::new(), tail),
    };
    match (old.cardinality, new.cardinality) {
        (_, Required) => keep(
            ": a field that old writers may leave out cannot become required; check for it in application code instead",
        ),
        (Required, _) => keep(
            "; relax it only once every reader has been rebuilt from a schema where the field is not required",
        ),
        (OptionalImplicit, OptionalExplicit) | (OptionalExplicit, OptionalImplicit) => {
            let (old_file, new_file) = (&cx.old.files[old.file], &cx.new.files[new.file]);
            if old.oneof.is_some() != new.oneof.is_some() {
                let place = match old.oneof.and_then(|i| p.old_message.oneofs.get(i)) {
                    Some(o) => format!("in oneof \"{}\"", o.name),
                    None => "outside any oneof".to_owned(),
                };
                words(format!("keep `{decl}` {place}: oneof members always track presence"))
            } else if new_file.edition.is_editions() {
                let presence = if old.cardinality == OptionalExplicit { "EXPLICIT" } else { "IMPLICIT" };
                words(format!(
                    "set `[features.field_presence = {presence}]` on the field: a singular field's presence follows the `field_presence` feature of the field, else of its file"
                ))
            } else if old_file.syntax != new_file.syntax {
                words(format!(
                    "keep `{decl}` in a {} file: presence of plain singular fields follows the file's syntax",
                    old_file.syntax
                ))
            } else if new.proto3_optional {
                keep("; if presence tracking is needed, keep this field and add an `optional` one under a new name and number")
            } else {
                keep(": code that calls its has_… accessor stops compiling without `optional`")
            }
        }
        _ => field_fixes::reused_number_fix(cx, p).unwrap_or_else(|| keep("")),
    }
}
