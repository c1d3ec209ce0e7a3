//! `protocheck explain` for the registry's difference types and the notes
//! of Schema Registry mode.

use super::diff::DiffType;
use super::notes::{LETS_THROUGH, REFUSES_SAFE};

/// When the registry's diff raises a type (old → new), and what the same
/// edit gives under FORWARD (the swapped diff).
fn raised(t: DiffType) -> (&'static str, &'static str) {
    match t {
        DiffType::PackageChanged => (
            "the file's package differs (path `#/`)",
            "PACKAGE_CHANGED, refused",
        ),
        DiffType::MessageAdded => (
            "a message name appears, top level or nested (map entries never count)",
            "MESSAGE_REMOVED, refused",
        ),
        DiffType::MessageRemoved => (
            "a message name disappears, top level or nested; renaming a message is a removal \
             and an addition",
            "MESSAGE_ADDED, accepted",
        ),
        DiffType::MessageMoved => (
            "a message's position among its sibling messages changed",
            "MESSAGE_MOVED, accepted",
        ),
        DiffType::EnumAdded => ("an enum name appears", "ENUM_REMOVED, accepted"),
        DiffType::EnumRemoved => (
            "an enum name disappears (renaming one is a removal and an addition)",
            "ENUM_ADDED, accepted",
        ),
        DiffType::EnumConstAdded => (
            "an enum value number appears",
            "ENUM_CONST_REMOVED, accepted",
        ),
        DiffType::EnumConstRemoved => (
            "an enum value number disappears",
            "ENUM_CONST_ADDED, accepted",
        ),
        DiffType::EnumConstChanged => (
            "an enum value number keeps its place under another name",
            "ENUM_CONST_CHANGED, accepted",
        ),
        DiffType::FieldAdded => (
            "a field number appears outside any oneof (`reserved` is never read)",
            "FIELD_REMOVED, accepted",
        ),
        DiffType::FieldRemoved => (
            "a field number disappears outside any oneof (`reserved` is never read)",
            "FIELD_ADDED, accepted",
        ),
        DiffType::FieldNameChanged => (
            "a field number keeps its place under another name",
            "FIELD_NAME_CHANGED, accepted",
        ),
        DiffType::FieldKindChanged => (
            "a field moves between the kinds scalar (enums included), message and map",
            "FIELD_KIND_CHANGED, refused",
        ),
        DiffType::FieldScalarKindChanged => (
            "a scalar field moves to another scalar group: {int32, int64, uint32, uint64, bool, \
             every enum}, {sint32, sint64}, {string, bytes}, {fixed32, sfixed32}, {fixed64, \
             sfixed64}, {float}, {double} (a change inside a group is no difference at all)",
            "FIELD_SCALAR_KIND_CHANGED, refused",
        ),
        DiffType::FieldNamedTypeChanged => (
            "a message-typed field names a type of another local name, or a type of the same name \
             whose body, in another file that changed, has a refused difference",
            "FIELD_NAMED_TYPE_CHANGED, refused",
        ),
        DiffType::FieldNumericLabelChanged => (
            "a numeric or enum field's label changes where both versions write one (a proto3 \
             singular field and a oneof member write none)",
            "FIELD_NUMERIC_LABEL_CHANGED, refused",
        ),
        DiffType::FieldStringOrBytesLabelChanged => (
            "a string or bytes field's label changes where both versions write one",
            "FIELD_STRING_OR_BYTES_LABEL_CHANGED, accepted",
        ),
        DiffType::RequiredFieldAdded => (
            "a proto2 `required` field appears",
            "REQUIRED_FIELD_REMOVED, refused",
        ),
        DiffType::RequiredFieldRemoved => (
            "a proto2 `required` field disappears",
            "REQUIRED_FIELD_ADDED, refused",
        ),
        DiffType::OneofAdded => ("a oneof name appears", "ONEOF_REMOVED, accepted"),
        DiffType::OneofRemoved => (
            "a oneof name disappears (renaming one is a removal and an addition)",
            "ONEOF_ADDED, accepted",
        ),
        DiffType::OneofFieldAdded => (
            "a new field number appears inside a oneof",
            "ONEOF_FIELD_REMOVED, refused",
        ),
        DiffType::OneofFieldRemoved => (
            "a member of a oneof disappears while its oneof or another of its members stays (a \
             oneof deleted whole is silent)",
            "ONEOF_FIELD_ADDED, accepted",
        ),
        DiffType::OneofFieldMovedToTopLevel => (
            "a member is taken out of its oneof",
            "FIELD_MOVED_TO_EXISTING_ONEOF, refused",
        ),
        DiffType::MultipleFieldsMovedToOneof => (
            "a oneof now holds two or more fields that were at top level",
            "ONEOF_FIELD_MOVED_TO_TOP_LEVEL, accepted",
        ),
        DiffType::FieldMovedToExistingOneof => (
            "a oneof now holds existing fields from more than one former group (a oneof, or a \
             lone top-level field)",
            "accepted if the fields leave the oneof; refused for a move between two oneofs \
             that both stay",
        ),
    }
}

/// The text of `protocheck explain ID`, for a difference type or a note.
pub fn explain(id: &str) -> Option<String> {
    let id = id.to_ascii_uppercase();
    if id == LETS_THROUGH {
        return Some(format!(
            "{LETS_THROUGH} (info, Schema Registry mode)\n\n\
             The registry accepts a change that readers feel: a type change or a number reused \
             inside one scalar group (int64 -> int32 truncates, bytes -> string rejects \
             non-UTF-8, enum -> another enum changes meanings), a field deleted without \
             `reserved` (a later version can reuse the number, and only a transitive mode \
             compares it with the version where the old type lived), a proto3 singular field \
             made `repeated` (no label is compared), `optional` <-> `required` on strings and \
             bytes, a field renumbered. A note never changes the exit code.\n"
        ));
    }
    if id == REFUSES_SAFE {
        return Some(format!(
            "{REFUSES_SAFE} (info, Schema Registry mode)\n\n\
             Under FORWARD and FULL the registry runs its diff with the roles swapped, so adding \
             a message type reads as MESSAGE_REMOVED and adding a member to an existing oneof as \
             ONEOF_FIELD_REMOVED, and both are refused although no old reader breaks: declare \
             the new message in a file of its own and import it, or the new member in a oneof of \
             its own. A note never changes the exit code.\n"
        ));
    }
    let t = DiffType::from_name(&id)?;
    let (when, forward) = raised(t);
    Some(format!(
        "{} (a Schema Registry difference type; {} in BACKWARD)\n\n\
         Raised by the registry's protobuf diff, old -> new, when {when}.\n\
         The same edit under FORWARD (the diff with the roles swapped): {forward}.\n\n\
         protocheck reports it under --compat with its #/ path, both locations, who breaks, a \
         fix the registry accepts and the description the registry prints. See the README, \
         \"Kafka and Schema Registry\".\n",
        t.name(),
        if t.is_compatible() {
            "accepted"
        } else {
            "refused"
        }
    ))
}
