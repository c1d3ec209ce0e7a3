//! Editions files as descriptors a `prost_reflect::DescriptorPool` accepts,
//! for the round trip (encoding and decoding sample messages).
//!
//! prost-reflect 0.16 knows only proto2 and proto3 (and panics on a file
//! whose syntax is `editions`), so each editions file is *lowered*: given the
//! syntax whose rules fit it, and its resolved features written the way that
//! syntax says them: explicit presence as proto3 `optional` (a synthetic
//! oneof), `LEGACY_REQUIRED` as `required`, the repeated field encoding as an
//! explicit `[packed = …]`, `DELIMITED` as a group. What a syntax can only
//! say per file (closed enums, implicit presence under proto2, UTF-8
//! checking) goes into [`Semantics`], which the round trip's reader consults
//! before the syntax. proto2 and proto3 files pass through unchanged.

use std::collections::{HashMap, HashSet};

use prost_reflect::{DescriptorPool, EnumDescriptor, Syntax as ReflectSyntax};
use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::{
    DescriptorProto, EnumDescriptorProto, FieldDescriptorProto, FieldOptions, FileDescriptorProto,
    FileDescriptorSet, OneofDescriptorProto,
};

use crate::schema::features::{RepeatedFieldEncoding, Utf8Validation};
use crate::schema::{Cardinality, Field, Kind, Schema, Syntax};

/// A pool of one side's descriptors, editions files lowered. `files` are the
/// descriptors `schema` was built from (already validated).
pub(crate) fn pool(
    files: &[FileDescriptorProto],
    schema: &Schema,
) -> Result<DescriptorPool, String> {
    let mut file: Vec<FileDescriptorProto> = files
        .iter()
        .map(|f| {
            if f.syntax() == "editions" {
                lower_file(f, schema)
            } else {
                f.clone()
            }
        })
        .collect();
    // A set built without its imports: the well-known types are known here;
    // an import only options need (features, custom options) is dropped;
    // any other missing file is an error the user can fix.
    let mut present: HashSet<String> = file.iter().map(|f| f.name().to_owned()).collect();
    let mut i = 0;
    while i < file.len() {
        for dep in file[i].dependency.clone() {
            if present.contains(&dep) {
                continue;
            }
            if let Some(wkt) = DescriptorPool::global().get_file_by_name(&dep) {
                present.insert(dep);
                file.push(wkt.file_descriptor_proto().clone());
            }
        }
        i += 1;
    }
    let mut defined = HashSet::new();
    for f in &file {
        for m in &f.message_type {
            define_message(&mut defined, &join(f.package(), m.name()), m);
        }
        for e in &f.enum_type {
            defined.insert(join(f.package(), e.name()));
        }
    }
    for f in &mut file {
        let missing: Vec<String> = f
            .dependency
            .iter()
            .filter(|d| !present.contains(*d))
            .cloned()
            .collect();
        let Some(first) = missing.first() else {
            continue;
        };
        if !references_resolve(f, &defined) {
            return Err(format!(
                "it lacks \"{first}\", which \"{}\" imports (build the set with its imports: `protoc --include_imports`)",
                f.name()
            ));
        }
        drop_imports(f, &present);
    }
    // Imports before the files that use them, as a pool is built.
    let order = dependency_order(&file);
    let file = order.into_iter().map(|i| file[i].clone()).collect();
    DescriptorPool::from_file_descriptor_set(FileDescriptorSet { file }).map_err(|e| e.to_string())
}

/// What the editions files of a schema decide per element (see the module
/// doc); empty for a schema without editions files.
pub(crate) fn semantics(schema: &Schema) -> Semantics {
    let mut sem = Semantics::default();
    let editions = |file: usize| {
        schema
            .files
            .get(file)
            .is_some_and(|f| matches!(f.syntax, Syntax::Editions(_)))
    };
    for e in schema.enums.iter().filter(|e| editions(e.file)) {
        sem.closed.insert(e.full_name.clone(), e.closed);
    }
    let mut add = |f: &Field| {
        sem.implicit.insert(
            f.full_name.clone(),
            f.cardinality == Cardinality::OptionalImplicit,
        );
        sem.utf8.insert(
            f.full_name.clone(),
            f.features.utf8_validation == Utf8Validation::Verify,
        );
    };
    for m in schema.messages.iter().filter(|m| editions(m.file)) {
        m.fields.iter().for_each(&mut add);
        m.extensions.iter().for_each(&mut add);
    }
    for (i, f) in schema.files.iter().enumerate() {
        if editions(i) {
            f.extensions.iter().for_each(&mut add);
        }
    }
    sem
}

fn define_message(defined: &mut HashSet<String>, full_name: &str, m: &DescriptorProto) {
    for n in &m.nested_type {
        define_message(defined, &join(full_name, n.name()), n);
    }
    for e in &m.enum_type {
        defined.insert(join(full_name, e.name()));
    }
    defined.insert(full_name.to_owned());
}

/// Whether every type a file's fields, extensions and methods name is
/// defined (so a missing import can only have served its options).
fn references_resolve(f: &FileDescriptorProto, defined: &HashSet<String>) -> bool {
    fn known(defined: &HashSet<String>, name: Option<&str>) -> bool {
        name.is_none_or(|n| n.is_empty() || defined.contains(n.trim_start_matches('.')))
    }
    fn field_ok(defined: &HashSet<String>, x: &FieldDescriptorProto) -> bool {
        known(defined, x.type_name.as_deref()) && known(defined, x.extendee.as_deref())
    }
    fn message_ok(defined: &HashSet<String>, m: &DescriptorProto) -> bool {
        m.field
            .iter()
            .chain(&m.extension)
            .all(|x| field_ok(defined, x))
            && m.nested_type.iter().all(|n| message_ok(defined, n))
    }
    f.message_type.iter().all(|m| message_ok(defined, m))
        && f.extension.iter().all(|x| field_ok(defined, x))
        && f.service.iter().flat_map(|s| &s.method).all(|m| {
            known(defined, m.input_type.as_deref()) && known(defined, m.output_type.as_deref())
        })
}

/// Removes the imports of files not in `present`, keeping the public and
/// weak import indices pointing at the same files.
fn drop_imports(f: &mut FileDescriptorProto, present: &HashSet<String>) {
    let mut new_index = Vec::with_capacity(f.dependency.len());
    let mut kept = Vec::new();
    for d in f.dependency.drain(..) {
        if present.contains(&d) {
            new_index.push(i32::try_from(kept.len()).ok());
            kept.push(d);
        } else {
            new_index.push(None);
        }
    }
    f.dependency = kept;
    let remap = |v: &mut Vec<i32>| {
        *v = v
            .iter()
            .filter_map(|&i| {
                usize::try_from(i)
                    .ok()
                    .and_then(|i| new_index.get(i).copied().flatten())
            })
            .collect();
    };
    remap(&mut f.public_dependency);
    remap(&mut f.weak_dependency);
}

/// Indices of `files` with every file after the files it imports.
fn dependency_order(files: &[FileDescriptorProto]) -> Vec<usize> {
    let index: std::collections::HashMap<&str, usize> = files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.name(), i))
        .collect();
    let mut done = vec![false; files.len()];
    let mut order = Vec::with_capacity(files.len());
    for start in 0..files.len() {
        // Iterative depth-first walk: (file, next dependency to visit).
        let mut stack = vec![(start, 0usize)];
        while let Some(&mut (i, ref mut next)) = stack.last_mut() {
            if done[i] {
                stack.pop();
                continue;
            }
            match files[i].dependency.get(*next) {
                Some(dep) => {
                    *next += 1;
                    if let Some(&d) = index.get(dep.as_str()) {
                        if !done[d] && !stack.iter().any(|&(s, _)| s == d) {
                            stack.push((d, 0));
                        }
                    }
                }
                None => {
                    done[i] = true;
                    order.push(i);
                    stack.pop();
                }
            }
        }
    }
    order
}

fn join(scope: &str, name: &str) -> String {
    if scope.is_empty() {
        name.to_owned()
    } else {
        format!("{scope}.{name}")
    }
}

fn lower_file(f: &FileDescriptorProto, schema: &Schema) -> FileDescriptorProto {
    let mut out = f.clone();
    // proto3 says presence per field; it needs every enum to start at zero
    // (closed enums need not), so a file with one that does not is proto2.
    let proto3 = enums_start_at_zero(&f.enum_type, &f.message_type);
    out.syntax = Some(if proto3 { "proto3" } else { "proto2" }.to_owned());
    let package = f.package();
    for m in &mut out.message_type {
        lower_message(m, &join(package, m.name()), schema, proto3);
    }
    for x in &mut out.extension {
        let model = schema.file(f.name()).and_then(|file| {
            file.extensions
                .iter()
                .find(|e| e.full_name == join(package, x.name()))
        });
        lower_field(x, model, proto3);
    }
    out
}

fn enums_start_at_zero(enums: &[EnumDescriptorProto], messages: &[DescriptorProto]) -> bool {
    enums
        .iter()
        .all(|e| e.value.first().is_none_or(|v| v.number() == 0))
        && messages
            .iter()
            .all(|m| enums_start_at_zero(&m.enum_type, &m.nested_type))
}

fn lower_message(m: &mut DescriptorProto, full_name: &str, schema: &Schema, proto3: bool) {
    let model = schema.message(full_name);
    let mut taken: HashSet<String> = m
        .field
        .iter()
        .map(|f| f.name().to_owned())
        .chain(m.oneof_decl.iter().map(|o| o.name().to_owned()))
        .chain(m.nested_type.iter().map(|n| n.name().to_owned()))
        .chain(m.enum_type.iter().map(|e| e.name().to_owned()))
        .collect();
    let mut synthetic = Vec::new();
    let real_oneofs = m.oneof_decl.len();
    for f in &mut m.field {
        let field = model.and_then(|mm| mm.field(f.number() as u32));
        let explicit = lower_field(f, field, proto3);
        if proto3 && explicit && f.oneof_index.is_none() {
            // As protoc names them: `_name`, with more `X`s in front until
            // the name is free.
            let mut name = format!("_{}", f.name());
            while taken.contains(&name) {
                name.insert(0, 'X');
            }
            taken.insert(name.clone());
            f.proto3_optional = Some(true);
            f.oneof_index = i32::try_from(real_oneofs + synthetic.len()).ok();
            synthetic.push(OneofDescriptorProto {
                name: Some(name),
                options: None,
            });
        }
    }
    m.oneof_decl.extend(synthetic);
    for x in &mut m.extension {
        let x_model = model.and_then(|mm| {
            mm.extensions
                .iter()
                .find(|e| e.full_name == join(full_name, x.name()))
        });
        lower_field(x, x_model, proto3);
    }
    for n in &mut m.nested_type {
        let name = join(full_name, n.name());
        lower_message(n, &name, schema, proto3);
    }
}

/// Writes a field's resolved features as its descriptor's label, type and
/// options. Returns whether it is a singular field (not a message) with
/// explicit presence, which proto3 marks `optional`.
fn lower_field(f: &mut FieldDescriptorProto, model: Option<&Field>, proto3: bool) -> bool {
    let Some(model) = model else { return false };
    let mut explicit = false;
    match model.cardinality {
        Cardinality::Required => f.set_label(Label::Required),
        Cardinality::Repeated => {
            let packable = !matches!(
                model.kind,
                Kind::String | Kind::Bytes | Kind::Message | Kind::Group
            );
            if packable {
                let packed =
                    model.features.repeated_field_encoding == RepeatedFieldEncoding::Packed;
                f.options.get_or_insert_with(FieldOptions::default).packed = Some(packed);
            }
        }
        Cardinality::OptionalExplicit => {
            explicit = !matches!(model.kind, Kind::Message | Kind::Group) && f.extendee.is_none()
        }
        Cardinality::OptionalImplicit | Cardinality::Map => {}
    }
    if model.kind == Kind::Group && f.r#type() == Type::Message {
        f.set_type(Type::Group);
    }
    explicit && proto3
}

/// What an editions file decides per element that the descriptors a pool is
/// built from say only per file, through their syntax: which enums are
/// closed, which fields have implicit presence, which strings are checked for
/// UTF-8. Filled for the files of one side that were lowered from editions
/// (see `crate::schema::lower`); every other element follows its file's syntax.
#[derive(Debug, Default)]
pub struct Semantics {
    /// Enum full name → closed.
    pub(crate) closed: HashMap<String, bool>,
    /// Field or extension full name → implicit presence.
    pub(crate) implicit: HashMap<String, bool>,
    /// Field or extension full name → strings checked for UTF-8.
    pub(crate) utf8: HashMap<String, bool>,
}

impl Semantics {
    /// Whether a reader keeps values the enum does not declare as unknown
    /// fields.
    pub fn is_closed(&self, e: &EnumDescriptor) -> bool {
        self.closed
            .get(e.full_name())
            .copied()
            .unwrap_or(e.parent_file().syntax() == ReflectSyntax::Proto2)
    }
}
