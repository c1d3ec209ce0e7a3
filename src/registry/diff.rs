//! The registry's diff of one subject (one `.proto` file) against another
//! version of it, over protocheck's compiled model.
//!
//! What it does, as the registry does it: types are paired by simple name
//! within their scope (messages and enums apart), fields by number across the
//! whole message (oneof members included), oneofs by name, enum values by
//! number. Scalars fall into groups and a change inside a group is no
//! difference at all. Labels are compared only when both sides write one.
//! Syntax, services, options, `reserved`, extensions and comments are never
//! read. Types of other files matter only through the fields that use them.

use std::collections::HashSet;

use prost_types::field_descriptor_proto::Label;

use crate::schema::{Cardinality, Field, Kind, Message, Schema, Syntax};

/// The registry's difference types, with whether each is compatible.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DiffType {
    PackageChanged,
    MessageAdded,
    MessageRemoved,
    MessageMoved,
    EnumAdded,
    EnumRemoved,
    EnumConstAdded,
    EnumConstRemoved,
    EnumConstChanged,
    FieldAdded,
    FieldRemoved,
    FieldNameChanged,
    FieldKindChanged,
    FieldScalarKindChanged,
    FieldNamedTypeChanged,
    FieldNumericLabelChanged,
    FieldStringOrBytesLabelChanged,
    RequiredFieldAdded,
    RequiredFieldRemoved,
    OneofAdded,
    OneofRemoved,
    OneofFieldAdded,
    OneofFieldRemoved,
    OneofFieldMovedToTopLevel,
    MultipleFieldsMovedToOneof,
    FieldMovedToExistingOneof,
}

impl DiffType {
    pub const ALL: [DiffType; 26] = [
        DiffType::PackageChanged,
        DiffType::MessageAdded,
        DiffType::MessageRemoved,
        DiffType::MessageMoved,
        DiffType::EnumAdded,
        DiffType::EnumRemoved,
        DiffType::EnumConstAdded,
        DiffType::EnumConstRemoved,
        DiffType::EnumConstChanged,
        DiffType::FieldAdded,
        DiffType::FieldRemoved,
        DiffType::FieldNameChanged,
        DiffType::FieldKindChanged,
        DiffType::FieldScalarKindChanged,
        DiffType::FieldNamedTypeChanged,
        DiffType::FieldNumericLabelChanged,
        DiffType::FieldStringOrBytesLabelChanged,
        DiffType::RequiredFieldAdded,
        DiffType::RequiredFieldRemoved,
        DiffType::OneofAdded,
        DiffType::OneofRemoved,
        DiffType::OneofFieldAdded,
        DiffType::OneofFieldRemoved,
        DiffType::OneofFieldMovedToTopLevel,
        DiffType::MultipleFieldsMovedToOneof,
        DiffType::FieldMovedToExistingOneof,
    ];

    /// The registry's name of the type (its `errorType`).
    pub fn name(self) -> &'static str {
        match self {
            DiffType::PackageChanged => "PACKAGE_CHANGED",
            DiffType::MessageAdded => "MESSAGE_ADDED",
            DiffType::MessageRemoved => "MESSAGE_REMOVED",
            DiffType::MessageMoved => "MESSAGE_MOVED",
            DiffType::EnumAdded => "ENUM_ADDED",
            DiffType::EnumRemoved => "ENUM_REMOVED",
            DiffType::EnumConstAdded => "ENUM_CONST_ADDED",
            DiffType::EnumConstRemoved => "ENUM_CONST_REMOVED",
            DiffType::EnumConstChanged => "ENUM_CONST_CHANGED",
            DiffType::FieldAdded => "FIELD_ADDED",
            DiffType::FieldRemoved => "FIELD_REMOVED",
            DiffType::FieldNameChanged => "FIELD_NAME_CHANGED",
            DiffType::FieldKindChanged => "FIELD_KIND_CHANGED",
            DiffType::FieldScalarKindChanged => "FIELD_SCALAR_KIND_CHANGED",
            DiffType::FieldNamedTypeChanged => "FIELD_NAMED_TYPE_CHANGED",
            DiffType::FieldNumericLabelChanged => "FIELD_NUMERIC_LABEL_CHANGED",
            DiffType::FieldStringOrBytesLabelChanged => "FIELD_STRING_OR_BYTES_LABEL_CHANGED",
            DiffType::RequiredFieldAdded => "REQUIRED_FIELD_ADDED",
            DiffType::RequiredFieldRemoved => "REQUIRED_FIELD_REMOVED",
            DiffType::OneofAdded => "ONEOF_ADDED",
            DiffType::OneofRemoved => "ONEOF_REMOVED",
            DiffType::OneofFieldAdded => "ONEOF_FIELD_ADDED",
            DiffType::OneofFieldRemoved => "ONEOF_FIELD_REMOVED",
            DiffType::OneofFieldMovedToTopLevel => "ONEOF_FIELD_MOVED_TO_TOP_LEVEL",
            DiffType::MultipleFieldsMovedToOneof => "MULTIPLE_FIELDS_MOVED_TO_ONEOF",
            DiffType::FieldMovedToExistingOneof => "FIELD_MOVED_TO_EXISTING_ONEOF",
        }
    }

    /// Whether the registry lets the change through (its compatible set).
    pub fn is_compatible(self) -> bool {
        !matches!(
            self,
            DiffType::PackageChanged
                | DiffType::MessageRemoved
                | DiffType::FieldKindChanged
                | DiffType::FieldScalarKindChanged
                | DiffType::FieldNamedTypeChanged
                | DiffType::FieldNumericLabelChanged
                | DiffType::RequiredFieldAdded
                | DiffType::RequiredFieldRemoved
                | DiffType::OneofFieldRemoved
                | DiffType::MultipleFieldsMovedToOneof
                | DiffType::FieldMovedToExistingOneof
        )
    }

    pub fn from_name(name: &str) -> Option<DiffType> {
        DiffType::ALL.into_iter().find(|t| t.name() == name)
    }
}

/// An element of one side of the diff, by index into that side's schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    File(usize),
    Message(usize),
    Enum(usize),
    /// Enum index, value index.
    EnumValue(usize, usize),
    /// Message index, field index.
    Field(usize, usize),
    /// Message index, oneof index.
    Oneof(usize, usize),
}

/// One difference, as the registry's diff raises it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub kind: DiffType,
    /// The registry's path: `#/` + message names, oneof name, number.
    pub path: String,
    /// The element on the side the diff starts from (the registry's
    /// "original"), if it is there.
    pub original: Option<Target>,
    /// The element on the side the diff goes to ("update"), if it is there.
    pub update: Option<Target>,
    /// The nearest enclosing element on the update side (for a place to
    /// show what is gone).
    pub update_context: Target,
    /// The nearest enclosing element on the original side.
    pub original_context: Target,
    /// Raised while comparing the body of a type from another file.
    pub nested: bool,
}

/// Diffs file `o_file` of `original` against file `u_file` of `update`.
pub fn diff(original: &Schema, o_file: usize, update: &Schema, u_file: usize) -> Vec<Difference> {
    let mut d = Differ {
        o: original,
        u: update,
        o_file,
        u_file,
        out: Vec::new(),
        visiting: HashSet::new(),
        nested: false,
    };
    let (of, uf) = (&original.files[o_file], &update.files[u_file]);
    if of.package != uf.package {
        d.push(
            DiffType::PackageChanged,
            "#/".to_owned(),
            Some(Target::File(o_file)),
            Some(Target::File(u_file)),
            Target::File(o_file),
            Target::File(u_file),
        );
    }
    d.types(
        "#/",
        (&of.messages, &uf.messages),
        (&of.enums, &uf.enums),
        (Target::File(o_file), Target::File(u_file)),
    );
    d.out
}

/// How the registry classifies a field's type.
#[derive(Debug, Clone, PartialEq, Eq)]
enum FieldType {
    /// A scalar (enums included) in its group.
    Scalar(u8, Kind),
    /// A message, by index into its side's schema.
    Message(usize),
    /// A map: key and value.
    Map(Box<FieldType>, Box<FieldType>),
    /// A type that did not resolve (cannot happen after compiling).
    Unknown,
}

/// The registry's scalar groups: a change inside one is no difference.
pub fn scalar_group(kind: Kind) -> Option<u8> {
    Some(match kind {
        Kind::Int32 | Kind::Int64 | Kind::Uint32 | Kind::Uint64 | Kind::Bool | Kind::Enum => 0,
        Kind::Sint32 | Kind::Sint64 => 1,
        Kind::String | Kind::Bytes => 2,
        Kind::Fixed32 | Kind::Sfixed32 => 3,
        Kind::Fixed64 | Kind::Sfixed64 => 4,
        Kind::Float => 5,
        Kind::Double => 6,
        Kind::Message | Kind::Group => return None,
    })
}

/// The label as written in the source, if any: proto3 singular fields, oneof
/// members and maps have none, so the registry compares no label for them.
pub fn written_label(schema: &Schema, field: &Field) -> Option<Label> {
    if field.cardinality == Cardinality::Map || field.oneof.is_some() {
        return None;
    }
    if field.cardinality == Cardinality::Repeated {
        return Some(Label::Repeated);
    }
    match schema.files[field.file].syntax {
        Syntax::Proto2 => Some(field.label),
        Syntax::Proto3 if field.proto3_optional => Some(Label::Optional),
        _ => None,
    }
}

/// A message's simple name within its package (`Outer.Inner`): what the
/// registry compares for message-typed fields.
fn local_name(m: &Message) -> &str {
    m.nested_name_str()
}

struct Differ<'a> {
    o: &'a Schema,
    u: &'a Schema,
    o_file: usize,
    u_file: usize,
    out: Vec<Difference>,
    /// Pairs of types of other files being compared (recursion guard).
    visiting: HashSet<(usize, usize)>,
    nested: bool,
}

impl<'a> Differ<'a> {
    fn push(
        &mut self,
        kind: DiffType,
        path: String,
        original: Option<Target>,
        update: Option<Target>,
        original_context: Target,
        update_context: Target,
    ) {
        self.out.push(Difference {
            kind,
            path,
            original,
            update,
            update_context,
            original_context,
            nested: self.nested,
        });
    }

    /// Messages and enums of one scope (`prefix` ends with `/`).
    fn types(
        &mut self,
        prefix: &str,
        msgs: (&[usize], &[usize]),
        enums: (&[usize], &[usize]),
        ctx: (Target, Target),
    ) {
        let (o, u) = (self.o, self.u);
        let om: Vec<usize> = msgs
            .0
            .iter()
            .copied()
            .filter(|&i| !o.messages[i].is_map_entry)
            .collect();
        let um: Vec<usize> = msgs
            .1
            .iter()
            .copied()
            .filter(|&i| !u.messages[i].is_map_entry)
            .collect();
        for (pos, &oi) in om.iter().enumerate() {
            let name = &o.messages[oi].name;
            let path = format!("{prefix}{name}");
            match um.iter().position(|&ui| &u.messages[ui].name == name) {
                None => self.push(
                    DiffType::MessageRemoved,
                    path,
                    Some(Target::Message(oi)),
                    None,
                    ctx.0,
                    ctx.1,
                ),
                Some(upos) => {
                    let ui = um[upos];
                    if upos != pos {
                        self.push(
                            DiffType::MessageMoved,
                            path.clone(),
                            Some(Target::Message(oi)),
                            Some(Target::Message(ui)),
                            ctx.0,
                            ctx.1,
                        );
                    }
                    self.message(&path, oi, ui);
                }
            }
        }
        for &ui in &um {
            let name = &u.messages[ui].name;
            if !om.iter().any(|&oi| &o.messages[oi].name == name) {
                self.push(
                    DiffType::MessageAdded,
                    format!("{prefix}{name}"),
                    None,
                    Some(Target::Message(ui)),
                    ctx.0,
                    ctx.1,
                );
            }
        }
        for &oi in enums.0 {
            let name = &o.enums[oi].name;
            let path = format!("{prefix}{name}");
            match enums.1.iter().find(|&&ui| &u.enums[ui].name == name) {
                None => self.push(
                    DiffType::EnumRemoved,
                    path,
                    Some(Target::Enum(oi)),
                    None,
                    ctx.0,
                    ctx.1,
                ),
                Some(&ui) => self.enum_(&path, oi, ui),
            }
        }
        for &ui in enums.1 {
            let name = &u.enums[ui].name;
            if !enums.0.iter().any(|&oi| &o.enums[oi].name == name) {
                self.push(
                    DiffType::EnumAdded,
                    format!("{prefix}{name}"),
                    None,
                    Some(Target::Enum(ui)),
                    ctx.0,
                    ctx.1,
                );
            }
        }
    }

    fn enum_(&mut self, path: &str, oi: usize, ui: usize) {
        let (oe, ue) = (&self.o.enums[oi], &self.u.enums[ui]);
        let ctx = (Target::Enum(oi), Target::Enum(ui));
        // The first value of each number (aliases share one).
        let first =
            |values: &[crate::schema::EnumValue], n: i32| values.iter().position(|v| v.number == n);
        for (vi, v) in oe.values.iter().enumerate() {
            if first(&oe.values, v.number) != Some(vi) {
                continue;
            }
            let p = format!("{path}/{}", v.number);
            match first(&ue.values, v.number) {
                None => self.push(
                    DiffType::EnumConstRemoved,
                    p,
                    Some(Target::EnumValue(oi, vi)),
                    None,
                    ctx.0,
                    ctx.1,
                ),
                Some(wi) if ue.values[wi].name != v.name => self.push(
                    DiffType::EnumConstChanged,
                    p,
                    Some(Target::EnumValue(oi, vi)),
                    Some(Target::EnumValue(ui, wi)),
                    ctx.0,
                    ctx.1,
                ),
                Some(_) => {}
            }
        }
        for (wi, w) in ue.values.iter().enumerate() {
            if first(&ue.values, w.number) == Some(wi) && first(&oe.values, w.number).is_none() {
                self.push(
                    DiffType::EnumConstAdded,
                    format!("{path}/{}", w.number),
                    None,
                    Some(Target::EnumValue(ui, wi)),
                    ctx.0,
                    ctx.1,
                );
            }
        }
    }

    fn message(&mut self, path: &str, oi: usize, ui: usize) {
        let (o, u) = (self.o, self.u);
        let (om, um) = (&o.messages[oi], &u.messages[ui]);
        let ctx = (Target::Message(oi), Target::Message(ui));
        self.types(
            &format!("{path}/"),
            (&om.messages, &um.messages),
            (&om.enums, &um.enums),
            ctx,
        );
        // Oneofs by name (the synthetic ones of proto3 `optional` are labels
        // in the registry's parse tree, not oneofs).
        let real = |m: &'a Message| {
            m.oneofs
                .iter()
                .enumerate()
                .filter(|(_, x)| !x.synthetic)
                .collect::<Vec<_>>()
        };
        let (oo, uo) = (real(om), real(um));
        for (i, x) in &oo {
            if !uo.iter().any(|(_, y)| y.name == x.name) {
                self.push(
                    DiffType::OneofRemoved,
                    format!("{path}/{}", x.name),
                    Some(Target::Oneof(oi, *i)),
                    None,
                    ctx.0,
                    ctx.1,
                );
            }
        }
        for (i, y) in &uo {
            if !oo.iter().any(|(_, x)| x.name == y.name) {
                self.push(
                    DiffType::OneofAdded,
                    format!("{path}/{}", y.name),
                    None,
                    Some(Target::Oneof(ui, *i)),
                    ctx.0,
                    ctx.1,
                );
            }
        }
        let oneof_name = |m: &'a Message, f: &Field| -> Option<&'a str> {
            f.oneof
                .and_then(|i| m.oneofs.get(i))
                .map(|x| x.name.as_str())
        };
        // Fields by number, across the whole message.
        for (fi, f) in om.fields.iter().enumerate() {
            if um.field(f.number).is_some() {
                continue;
            }
            let target = Some(Target::Field(oi, fi));
            match oneof_name(om, f) {
                Some(x) => {
                    // Silent when the whole oneof went away with its members.
                    let oneof_survives = uo.iter().any(|(_, y)| y.name == x);
                    let member_survives = om
                        .fields
                        .iter()
                        .any(|g| oneof_name(om, g) == Some(x) && um.field(g.number).is_some());
                    if oneof_survives || member_survives {
                        self.push(
                            DiffType::OneofFieldRemoved,
                            format!("{path}/{x}/{}", f.number),
                            target,
                            None,
                            ctx.0,
                            ctx.1,
                        );
                    }
                }
                None => {
                    let kind = if f.label == Label::Required {
                        DiffType::RequiredFieldRemoved
                    } else {
                        DiffType::FieldRemoved
                    };
                    self.push(
                        kind,
                        format!("{path}/{}", f.number),
                        target,
                        None,
                        ctx.0,
                        ctx.1,
                    );
                }
            }
        }
        for (fi, f) in um.fields.iter().enumerate() {
            if om.field(f.number).is_some() {
                continue;
            }
            let target = Some(Target::Field(ui, fi));
            match oneof_name(um, f) {
                Some(y) => self.push(
                    DiffType::OneofFieldAdded,
                    format!("{path}/{y}/{}", f.number),
                    None,
                    target,
                    ctx.0,
                    ctx.1,
                ),
                None => {
                    let kind = if f.label == Label::Required {
                        DiffType::RequiredFieldAdded
                    } else {
                        DiffType::FieldAdded
                    };
                    self.push(
                        kind,
                        format!("{path}/{}", f.number),
                        None,
                        target,
                        ctx.0,
                        ctx.1,
                    );
                }
            }
        }
        for (fi, f) in om.fields.iter().enumerate() {
            let Some(gi) = um.fields.iter().position(|g| g.number == f.number) else {
                continue;
            };
            let g = &um.fields[gi];
            let (ot, ut) = (Target::Field(oi, fi), Target::Field(ui, gi));
            let p = format!("{path}/{}", f.number);
            if f.name != g.name {
                self.push(
                    DiffType::FieldNameChanged,
                    p.clone(),
                    Some(ot),
                    Some(ut),
                    ctx.0,
                    ctx.1,
                );
            }
            let (ft, gt) = (self.field_type(o, f), self.field_type(u, g));
            self.compare_types(path, &p, &ft, &gt, (ot, ut));
            if let (FieldType::Scalar(_, k), FieldType::Scalar(..)) = (&ft, &gt) {
                let (lf, lg) = (written_label(o, f), written_label(u, g));
                if let (Some(lf), Some(lg)) = (lf, lg) {
                    if lf != lg {
                        let kind = if matches!(k, Kind::String | Kind::Bytes) {
                            DiffType::FieldStringOrBytesLabelChanged
                        } else {
                            DiffType::FieldNumericLabelChanged
                        };
                        self.push(kind, p.clone(), Some(ot), Some(ut), ctx.0, ctx.1);
                    }
                }
            }
            if let (Some(x), None) = (oneof_name(om, f), oneof_name(um, g)) {
                self.push(
                    DiffType::OneofFieldMovedToTopLevel,
                    format!("{path}/{x}/{}", f.number),
                    Some(ot),
                    Some(ut),
                    ctx.0,
                    ctx.1,
                );
            }
        }
        // Oneofs that now hold fields from more than one former group (a
        // oneof, or a lone field).
        for (yi, y) in &uo {
            let mut top = 0usize;
            let mut oneofs: Vec<&str> = Vec::new();
            for g in um.fields.iter().filter(|g| g.oneof == Some(*yi)) {
                let Some(f) = om.field(g.number) else {
                    continue;
                };
                match oneof_name(om, f) {
                    None => top += 1,
                    Some(x) if !oneofs.contains(&x) => oneofs.push(x),
                    Some(_) => {}
                }
            }
            let kind = if top >= 2 {
                DiffType::MultipleFieldsMovedToOneof
            } else if top + oneofs.len() > 1 {
                DiffType::FieldMovedToExistingOneof
            } else {
                continue;
            };
            self.push(
                kind,
                format!("{path}/{}", y.name),
                None,
                Some(Target::Oneof(ui, *yi)),
                ctx.0,
                ctx.1,
            );
        }
    }

    fn field_type(&self, schema: &Schema, f: &Field) -> FieldType {
        if f.cardinality == Cardinality::Map {
            let entry = f.type_name.as_deref().and_then(|t| schema.message(t));
            let part = |n: u32| {
                entry
                    .and_then(|e| e.field(n))
                    .map(|x| self.field_type(schema, x))
                    .unwrap_or(FieldType::Unknown)
            };
            return FieldType::Map(Box::new(part(1)), Box::new(part(2)));
        }
        match scalar_group(f.kind) {
            Some(g) => FieldType::Scalar(g, f.kind),
            None => f
                .type_name
                .as_deref()
                .and_then(|t| schema.message_index(t))
                .map(FieldType::Message)
                .unwrap_or(FieldType::Unknown),
        }
    }

    /// Compares two field types at `path` (a field, or a map's key/value).
    fn compare_types(
        &mut self,
        msg_path: &str,
        path: &str,
        a: &FieldType,
        b: &FieldType,
        at: (Target, Target),
    ) {
        let ctx = self.field_context(at);
        let push = |d: &mut Self, kind| {
            d.push(kind, path.to_owned(), Some(at.0), Some(at.1), ctx.0, ctx.1)
        };
        match (a, b) {
            (FieldType::Scalar(x, _), FieldType::Scalar(y, _)) => {
                if x != y {
                    push(self, DiffType::FieldScalarKindChanged);
                }
            }
            (FieldType::Message(x), FieldType::Message(y)) => {
                let (mx, my) = (&self.o.messages[*x], &self.u.messages[*y]);
                if local_name(mx) != local_name(my) {
                    push(self, DiffType::FieldNamedTypeChanged);
                } else if (mx.file != self.o_file || my.file != self.u_file)
                    && self.visiting.insert((*x, *y))
                {
                    // A type of another file (another subject): its body is
                    // diffed when it is not the same version on both sides.
                    let saved = std::mem::take(&mut self.out);
                    let nested = std::mem::replace(&mut self.nested, true);
                    self.message(&format!("{msg_path}/{}", local_name(my)), *x, *y);
                    self.nested = nested;
                    let sub = std::mem::replace(&mut self.out, saved);
                    self.visiting.remove(&(*x, *y));
                    let breaks = sub.iter().any(|d| !d.kind.is_compatible());
                    self.out.extend(sub);
                    if breaks {
                        push(self, DiffType::FieldNamedTypeChanged);
                    }
                }
            }
            (FieldType::Map(ka, va), FieldType::Map(kb, vb)) => {
                self.compare_types(msg_path, path, ka, kb, at);
                self.compare_types(msg_path, path, va, vb, at);
            }
            (FieldType::Unknown, _) | (_, FieldType::Unknown) => {}
            _ => push(self, DiffType::FieldKindChanged),
        }
    }

    fn field_context(&self, at: (Target, Target)) -> (Target, Target) {
        let msg = |t: Target| match t {
            Target::Field(m, _) => Target::Message(m),
            t => t,
        };
        (msg(at.0), msg(at.1))
    }
}
