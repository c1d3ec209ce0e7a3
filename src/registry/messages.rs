//! What each difference is called: the registry's description (the string
//! it prints in `{errorType:…, description:…}`), protocheck's own account of
//! the change, and the fix that keeps the registry happy.

use super::diff::{DiffType, Difference, Target};
use super::modes::Direction;
use crate::schema::{Field, Schema};

/// The registry's description. Its two placeholders are the sides of the
/// diff: "new"/"old" in the backward part, "old"/"new" in the forward part
/// (the same diff with the roles swapped).
pub fn description(kind: DiffType, path: &str, direction: Direction) -> String {
    let (u, o) = match direction {
        Direction::Backward => ("new", "old"),
        Direction::Forward => ("old", "new"),
    };
    match kind {
        DiffType::PackageChanged => format!(
            "The package at path '{path}' in the {u} schema does not match the package in the {o} schema"
        ),
        DiffType::MessageAdded => {
            format!("The {u} schema has a message at path '{path}' that is missing from the {o} schema")
        }
        DiffType::MessageRemoved => {
            format!("The {o} schema has a message at path '{path}' that is missing from the {u} schema")
        }
        DiffType::MessageMoved => format!(
            "The message at path '{path}' in the {u} schema has a different index than in the {o} schema"
        ),
        DiffType::EnumAdded => {
            format!("The {u} schema has an enum at path '{path}' that is missing from the {o} schema")
        }
        DiffType::EnumRemoved => {
            format!("The {o} schema has an enum at path '{path}' that is missing from the {u} schema")
        }
        DiffType::EnumConstAdded => format!(
            "The {u} schema has an enum constant at path '{path}' that is missing from the {o} schema"
        ),
        DiffType::EnumConstRemoved => format!(
            "The {o} schema has an enum constant at path '{path}' that is missing from the {u} schema"
        ),
        DiffType::EnumConstChanged => format!(
            "The name of the enum constant at path '{path}' in the {u} schema does not match its name in the {o} schema"
        ),
        DiffType::FieldAdded => {
            format!("The {u} schema has a field at path '{path}' that is missing from the {o} schema")
        }
        DiffType::FieldRemoved => {
            format!("The {o} schema has a field at path '{path}' that is missing from the {u} schema")
        }
        DiffType::FieldNameChanged => format!(
            "The name of the field at path '{path}' in the {u} schema does not match its name in the {o} schema"
        ),
        DiffType::FieldKindChanged => format!(
            "The kind of the field at path '{path}' in the {u} schema does not match its kind in the {o} schema"
        ),
        DiffType::FieldScalarKindChanged => format!(
            "The kind of a SCALAR field at path '{path}' in the {u} schema does not match its kind in the {o} schema"
        ),
        DiffType::FieldNamedTypeChanged => format!(
            "The type of a MESSAGE field at path '{path}' in the {u} schema does not match its type in the {o} schema"
        ),
        DiffType::FieldNumericLabelChanged => format!(
            "The label of a NUMERIC field at path '{path}' in the {u} schema does not match its label in the {o} schema"
        ),
        DiffType::FieldStringOrBytesLabelChanged => format!(
            "The label of a STRING or BYTES field at path '{path}' in the {u} schema does not match its label in the {o} schema"
        ),
        DiffType::RequiredFieldAdded => format!(
            "The {u} schema has a required field at path '{path}' that is missing from the {o} schema"
        ),
        DiffType::RequiredFieldRemoved => format!(
            "The {o} schema has a required field at path '{path}' that is missing from the {u} schema"
        ),
        DiffType::OneofAdded => {
            format!("The {u} schema has a oneof at path '{path}' that is missing from the {o} schema")
        }
        DiffType::OneofRemoved => {
            format!("The {o} schema has a oneof at path '{path}' that is missing from the {u} schema")
        }
        DiffType::OneofFieldAdded => format!(
            "The {u} schema has a oneof field at path '{path}' that is missing from the {o} schema"
        ),
        DiffType::OneofFieldRemoved => format!(
            "The {o} schema has a oneof field at path '{path}' that is missing from the {u} schema"
        ),
        DiffType::OneofFieldMovedToTopLevel => format!(
            "The oneof field at path '{path}' in the {o} schema is a top-level field in the {u} schema"
        ),
        DiffType::MultipleFieldsMovedToOneof => format!(
            "Multiple top-level fields of the {o} schema are in the oneof at path '{path}' in the {u} schema"
        ),
        DiffType::FieldMovedToExistingOneof => format!(
            "Fields of the {o} schema are moved to the existing oneof at path '{path}' in the {u} schema"
        ),
    }
}

/// The line the registry prints for one incompatible difference.
pub fn registry_line(kind: DiffType, description: &str) -> String {
    format!(
        "{{errorType:\"{}\", description:\"{description}\"}}",
        kind.name()
    )
}

/// An element of one version, named for a person.
pub fn describe(schema: &Schema, t: Target) -> String {
    match t {
        Target::File(f) => format!("file \"{}\"", schema.files[f].name),
        Target::Message(m) => format!("message \"{}\"", schema.messages[m].full_name),
        Target::Enum(e) => format!("enum \"{}\"", schema.enums[e].full_name),
        Target::EnumValue(e, v) => {
            let en = &schema.enums[e];
            format!(
                "value {} ({}) of enum \"{}\"",
                en.values[v].name, en.values[v].number, en.full_name
            )
        }
        Target::Field(m, f) => {
            let msg = &schema.messages[m];
            format!(
                "field {} \"{}\" of message \"{}\"",
                msg.fields[f].number, msg.fields[f].name, msg.full_name
            )
        }
        Target::Oneof(m, o) => format!(
            "oneof \"{}\" of message \"{}\"",
            schema.messages[m].oneofs[o].name, schema.messages[m].full_name
        ),
    }
}

pub fn field(schema: &Schema, t: Option<Target>) -> Option<&Field> {
    match t? {
        Target::Field(m, f) => schema.messages[m].fields.get(f),
        _ => None,
    }
}

/// A field's type as written: `int64`, `repeated string`, `map<…>`, `shop.Money`.
pub fn field_type(schema: &Schema, f: &Field) -> String {
    use crate::schema::Cardinality;
    if f.cardinality == Cardinality::Map {
        let entry = f.type_name.as_deref().and_then(|t| schema.message(t));
        let part = |n: u32| {
            entry
                .and_then(|e| e.field(n))
                .map(|x| x.type_display())
                .unwrap_or_default()
        };
        return format!("map<{}, {}>", part(1), part(2));
    }
    let label = match super::diff::written_label(schema, f) {
        Some(prost_types::field_descriptor_proto::Label::Repeated) => "repeated ",
        Some(prost_types::field_descriptor_proto::Label::Required) => "required ",
        Some(prost_types::field_descriptor_proto::Label::Optional) => "optional ",
        None => "",
    };
    format!("{label}{}", f.type_display())
}

/// What the user changed, old → new, in protocheck's words. `old` and `new`
/// are the difference's elements on the old and new side.
pub fn account(
    d: &Difference,
    old: (&Schema, Option<Target>),
    new: (&Schema, Option<Target>),
    direction: Direction,
) -> String {
    let (os, ot) = old;
    let (ns, nt) = new;
    let name = |s: &Schema, t: Option<Target>| t.map(|t| describe(s, t));
    let gone = || name(os, ot).unwrap_or_default();
    let added = || name(ns, nt).unwrap_or_default();
    let changed = |what: &str| {
        let (Some(o), Some(n)) = (field(os, ot), field(ns, nt)) else {
            return format!("{what} changed");
        };
        format!(
            "{} changed {what} from `{} {}` to `{} {}`",
            name(ns, nt).unwrap_or_default(),
            field_type(os, o),
            o.name,
            field_type(ns, n),
            n.name
        )
    };
    let verdict = if d.kind.is_compatible() {
        "the registry accepts this"
    } else {
        match direction {
            Direction::Backward => {
                "the registry refuses this under BACKWARD and FULL (and their transitive forms)"
            }
            Direction::Forward => {
                "the registry refuses this under FORWARD and FULL (and their transitive forms)"
            }
        }
    };
    let what = match d.kind {
        DiffType::PackageChanged => {
            let p = |s: &Schema, t: Option<Target>| match t {
                Some(Target::File(f)) => s.files[f].package.clone(),
                _ => String::new(),
            };
            format!(
                "the package changed from \"{}\" to \"{}\"",
                p(os, ot),
                p(ns, nt)
            )
        }
        DiffType::MessageAdded
        | DiffType::MessageRemoved
        | DiffType::EnumAdded
        | DiffType::EnumRemoved
        | DiffType::EnumConstAdded
        | DiffType::EnumConstRemoved
        | DiffType::FieldAdded
        | DiffType::FieldRemoved
        | DiffType::RequiredFieldAdded
        | DiffType::RequiredFieldRemoved
        | DiffType::OneofAdded
        | DiffType::OneofRemoved
        | DiffType::OneofFieldAdded
        | DiffType::OneofFieldRemoved => match (ot, nt) {
            (Some(_), None) => format!("{} was deleted", gone()),
            (None, Some(_)) => format!("{} was added", added()),
            _ => format!("{} changed", added()),
        },
        DiffType::MessageMoved => format!(
            "{} moved to another position among its sibling messages",
            added()
        ),
        DiffType::EnumConstChanged => {
            let n = |s: &Schema, t: Option<Target>| match t {
                Some(Target::EnumValue(e, v)) => s.enums[e].values[v].name.clone(),
                _ => String::new(),
            };
            format!(
                "{} was renamed from {}",
                name(ns, nt).unwrap_or_default(),
                n(os, ot)
            )
        }
        DiffType::FieldNameChanged => changed("its name"),
        DiffType::FieldKindChanged => {
            format!(
                "{} (a scalar, a message and a map are different kinds)",
                changed("kind")
            )
        }
        DiffType::FieldScalarKindChanged => {
            format!("{} (different scalar groups)", changed("type"))
        }
        DiffType::FieldNamedTypeChanged if same_type_name(os, ot, ns, nt) => {
            let ty = field(ns, nt)
                .and_then(|f| f.type_name.as_deref())
                .unwrap_or_default();
            let file = ns
                .message(ty)
                .map(|m| ns.files[m.file].name.as_str())
                .unwrap_or_default();
            format!(
                "{}: its type \"{ty}\" keeps its name, but its body in \"{file}\" changed \
                 incompatibly",
                name(ns, nt).unwrap_or_default()
            )
        }
        DiffType::FieldNamedTypeChanged => {
            format!("{} (another message type)", changed("type"))
        }
        DiffType::FieldNumericLabelChanged | DiffType::FieldStringOrBytesLabelChanged => {
            changed("label")
        }
        DiffType::OneofFieldMovedToTopLevel => {
            format!("{} was taken out of its oneof", added())
        }
        DiffType::MultipleFieldsMovedToOneof | DiffType::FieldMovedToExistingOneof => {
            let from = |s: &Schema, t: Option<Target>| t.map(|t| describe(s, t));
            match (ot, nt) {
                (None, Some(_)) => format!(
                    "{} now holds fields that were not together in one oneof",
                    from(ns, nt).unwrap_or_default()
                ),
                _ => format!(
                    "fields of {} are now in other oneofs or at top level",
                    from(os, ot).unwrap_or_default()
                ),
            }
        }
    };
    format!("{what}; {verdict}")
}

/// The fix that keeps the registry happy, in words.
pub fn help(
    d: &Difference,
    old: (&Schema, Option<Target>),
    new: (&Schema, Option<Target>),
    transitive: bool,
) -> String {
    let (os, ot) = old;
    let (ns, nt) = new;
    let decl = |s: &Schema, t: Option<Target>| t.and_then(|t| declaration(s, t));
    let restore = || match decl(os, ot) {
        Some(text) => format!("restore `{text}` in the new file"),
        None => format!(
            "restore {} in the new file",
            ot.map(|t| describe(os, t)).unwrap_or_default()
        ),
    };
    let next = || match (ot, nt) {
        (Some(Target::Field(om, _)), Some(Target::Field(nm, _))) => os.messages[om]
            .next_free_number()
            .max(ns.messages[nm].next_free_number()),
        _ => 0,
    };
    let keep_and_add = || {
        let old_decl = decl(os, ot)
            .map(|t| format!("`{t}`"))
            .unwrap_or_else(|| ot.map(|t| describe(os, t)).unwrap_or_default());
        format!(
            "keep {old_decl} as it was and declare the new field under a number never used \
             before ({}); the registry compares fields by number, so a new number is a new \
             field (FIELD_ADDED, accepted in every mode)",
            next()
        )
    };
    match d.kind {
        DiffType::PackageChanged => "keep the old package: a schema in another package is \
            another subject's first version; register it under a new subject (a new topic \
            or a new record name) instead"
            .to_owned(),
        DiffType::MessageRemoved => match (ot, nt) {
            (Some(_), None) => format!(
                "{} (it may stay unused; mark it `option deprecated = true;`): the registry pairs \
                 messages by name, so a deleted or renamed message is refused",
                restore()
            ),
            _ => "the registry's FORWARD check refuses every new message type in the file, \
                  although no old reader is hurt: declare the new message in a file of its own \
                  and import it (that file is its own subject, registered first), or use BACKWARD"
                .to_owned(),
        },
        DiffType::FieldNamedTypeChanged if same_type_name(os, ot, ns, nt) => {
            "the message type keeps its name but its body changed in the file that declares it \
             (another subject, registered in a new version): the differences reported at the \
             type's path in this subject are what the registry refuses; undo them in that file, \
             or declare a new message type and a new field for it"
                .to_owned()
        }
        DiffType::FieldKindChanged
        | DiffType::FieldScalarKindChanged
        | DiffType::FieldNamedTypeChanged
        | DiffType::FieldNumericLabelChanged
            if transitive =>
        {
            let number = field(ns, nt).map(|f| f.number).unwrap_or_default();
            format!(
                "this version still has the old field under number {number}: move the new field \
                 to a number never used before ({}) and add `reserved {number};` so that no later \
                 version reuses it; the registry sees a field removed and one added, accepted in \
                 every mode",
                next()
            )
        }
        DiffType::FieldKindChanged
        | DiffType::FieldScalarKindChanged
        | DiffType::FieldNamedTypeChanged
        | DiffType::FieldNumericLabelChanged => keep_and_add(),
        DiffType::RequiredFieldAdded => match (ot, nt) {
            (None, Some(_)) => "declare the new field `optional`, not `required`: data written \
                                before has no value for it"
                .to_owned(),
            _ => format!(
                "{}: readers that require it reject data without it",
                restore()
            ),
        },
        DiffType::RequiredFieldRemoved => match (ot, nt) {
            (Some(_), None) => format!(
                "{}: old readers require it and reject data without it",
                restore()
            ),
            _ => "declare the new field `optional`, not `required`".to_owned(),
        },
        DiffType::OneofFieldRemoved => match (ot, nt) {
            (Some(_), None) => format!(
                "{} inside its oneof (the registry refuses deleting a member of a oneof that \
                 stays; deleting the whole oneof passes)",
                restore()
            ),
            _ => "the registry's FORWARD check refuses a new member in an existing oneof: declare \
                  it in a oneof of its own (a new oneof passes) or as a top-level field"
                .to_owned(),
        },
        DiffType::MultipleFieldsMovedToOneof | DiffType::FieldMovedToExistingOneof => {
            "keep each existing field where it was (in its oneof, or at top level); to offer a \
             new alternative, add a new field under a new number to the oneof"
                .to_owned()
        }
        _ => "nothing to do: the registry accepts this change".to_owned(),
    }
}

/// Whether two message-typed fields name types of the same local name.
fn same_type_name(os: &Schema, ot: Option<Target>, ns: &Schema, nt: Option<Target>) -> bool {
    let local = |s: &Schema, f: Option<&Field>| {
        f.and_then(|f| f.type_name.as_deref())
            .and_then(|t| s.message(t))
            .map(|m| m.nested_name_str().to_owned())
    };
    let (a, b) = (local(os, field(os, ot)), local(ns, field(ns, nt)));
    a.is_some() && a == b
}

/// The declaration of an element as written, when it is one short line.
pub fn declaration(schema: &Schema, t: Target) -> Option<String> {
    let (file, path) = super::place(schema, t);
    let file = &schema.files[file];
    let span = file.span(&path)?;
    let text = file.source()?.text();
    let s = text.get(span.offset..span.offset + span.len)?;
    (span.line == span.end_line && s.len() <= 160).then(|| s.to_owned())
}
