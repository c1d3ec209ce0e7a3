//! Binary `FileDescriptorSet` inputs (`protoc -o`, `buf build -o`): decoding
//! that keeps what `prost_types` drops (the edition and `features`), and the
//! validation every set passes before it is used.
//!
//! A set is decoded twice from the same bytes: once as
//! `prost_types::FileDescriptorSet`, once as the overlay below, which mirrors
//! the descriptor tree but keeps only `edition`, the `features` of each
//! element's options, and buf's image marker for imported files. Both go to
//! `Schema::from_files`, the one model builder every input ends in.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use prost::Message as _;
use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::{DescriptorProto, FileDescriptorProto, FileDescriptorSet};

use crate::input::error::InputError;
use crate::schema::features::{Edition, FeatureSet};
use crate::schema::overlay::{FileOverlay, MessageOverlay, SetOverlay};
use crate::schema::{Schema, Side};

/// One decoded file of a set.
pub(crate) type SetFile = (FileDescriptorProto, FileOverlay);

/// Whether bytes look like a binary `FileDescriptorSet`: they decode as one,
/// with at least one file, every file named. Used to recognise a descriptor
/// set whatever its file name.
pub fn looks_like_descriptor_set(bytes: &[u8]) -> bool {
    // Field 1 (`file`), length-delimited, is the only field a set has.
    if bytes.first() != Some(&0x0a) {
        return false;
    }
    match FileDescriptorSet::decode(bytes) {
        Ok(set) => !set.file.is_empty() && set.file.iter().all(|f| !f.name().is_empty()),
        Err(_) => false,
    }
}

/// Decodes and validates a set. The error is a short clause about the set
/// ("is not a FileDescriptorSet: …", "is inconsistent: …").
pub(crate) fn decode(bytes: &[u8]) -> Result<Vec<SetFile>, String> {
    let set = FileDescriptorSet::decode(bytes)
        .map_err(|e| format!("is not a binary FileDescriptorSet ({e})"))?;
    let overlay = SetOverlay::decode(bytes)
        .map_err(|e| format!("is not a binary FileDescriptorSet ({e})"))?;
    if set.file.is_empty() {
        return Err("holds no files".to_owned());
    }
    if set.file.len() != overlay.file.len() {
        return Err("is not a binary FileDescriptorSet (its files could not be read)".to_owned());
    }
    let files: Vec<SetFile> = set.file.into_iter().zip(overlay.file).collect();
    validate(&files).map_err(|e| format!("is inconsistent: {e}"))?;
    Ok(files)
}

/// Which files of a set are checked: those a buf image does not mark as
/// imports, less the well-known types (`google/protobuf/…`), which protox
/// provides and which are never a project's own. Returns the names and
/// whether they were inferred (no buf markers).
pub(crate) fn targets(files: &[SetFile]) -> (HashSet<String>, bool) {
    let marked = files.iter().any(|(_, o)| o.buf_extension.is_some());
    let names = files
        .iter()
        .filter(|(f, o)| {
            if marked {
                !o.buf_extension
                    .as_ref()
                    .is_some_and(|b| b.is_import.unwrap_or(false))
            } else {
                !is_well_known(f.name())
            }
        })
        .map(|(f, _)| f.name().to_owned())
        .collect();
    (names, !marked)
}

/// `google/protobuf/*.proto`: the well-known types and descriptor.proto,
/// with the features files of protoc's include directory.
pub(crate) fn is_well_known(name: &str) -> bool {
    name.strip_prefix("google/protobuf/")
        .is_some_and(|rest| !rest.contains('/') || rest.starts_with("compiler/"))
}

/// Loads a descriptor-set input.
pub fn load(side: Side, path: &Path) -> Result<Schema, InputError> {
    load_with(side, path, false)
}

/// [`load`]; with `keep_pool`, the schema keeps a descriptor pool for the
/// round trip.
pub fn load_with(side: Side, path: &Path, keep_pool: bool) -> Result<Schema, InputError> {
    let bytes = crate::files::read_file(path).map_err(|e| e.into_error(side, path))?;
    let files = decode(&bytes).map_err(|problem| InputError::DescriptorSet {
        side,
        path: path.to_path_buf(),
        problem,
    })?;
    let (targets, inferred) = targets(&files);
    if targets.is_empty() {
        return Err(InputError::DescriptorSet {
            side,
            path: path.to_path_buf(),
            problem: "holds only imported files and well-known types, nothing to check".to_owned(),
        });
    }
    let mut schema =
        Schema::from_files_with_pool(side, files, &targets, &HashMap::new(), keep_pool);
    schema.inferred_targets = inferred;
    Ok(schema)
}

/// What the model builder and the rules rely on, checked once: names,
/// numbers, labels and types are present and valid, every type reference is
/// fully qualified and, where its file is in the set, names a message or enum
/// of the right kind; no name is defined twice; editions are known.
fn validate(files: &[SetFile]) -> Result<(), String> {
    let mut names = HashSet::new();
    // Fully-qualified name → is a message (else an enum, service or extension).
    let mut defined: HashMap<String, Def> = HashMap::new();
    for (f, o) in files {
        let name = f.name();
        if name.is_empty() {
            return Err("a file has no name".to_owned());
        }
        if !names.insert(name) {
            return Err(format!("file \"{name}\" appears twice"));
        }
        match f.syntax() {
            "" | "proto2" | "proto3" => {}
            "editions" => match o.edition {
                Some(n) if Edition::from_number(n).is_some_and(Edition::is_editions) => {}
                Some(n) => {
                    return Err(format!(
                        "file \"{name}\" uses edition {}, which protocheck does not know (it knows 2023 and 2024)",
                        Edition::number_name(n)
                    ))
                }
                None => return Err(format!("editions file \"{name}\" names no edition")),
            },
            other => return Err(format!("file \"{name}\" has unknown syntax \"{other}\"")),
        }
        for &d in f.public_dependency.iter().chain(&f.weak_dependency) {
            if usize::try_from(d).map_or(true, |d| d >= f.dependency.len()) {
                return Err(format!(
                    "file \"{name}\" lists import number {d}, but has {} imports",
                    f.dependency.len()
                ));
            }
        }
        let package = f.package();
        let scope = |n: &str| {
            if package.is_empty() {
                n.to_owned()
            } else {
                format!("{package}.{n}")
            }
        };
        for m in &f.message_type {
            define_message(&mut defined, name, &scope(m.name()), m)?;
        }
        for e in &f.enum_type {
            define(&mut defined, name, &scope(e.name()), Def::Enum)?;
            check_enum(name, e)?;
        }
        for s in &f.service {
            define(&mut defined, name, &scope(s.name()), Def::Other)?;
            for m in &s.method {
                if m.name().is_empty() {
                    return Err(format!("a method of service \"{}\" has no name", s.name()));
                }
            }
        }
        for x in &f.extension {
            define(&mut defined, name, &scope(x.name()), Def::Other)?;
        }
        check_features(name, o)?;
    }
    let present: HashSet<&str> = files.iter().map(|(f, _)| f.name()).collect();
    for (f, _) in files {
        // Type references are checked where the file's imports are all in
        // the set (a set built without --include_imports lacks them).
        let complete = f.dependency.iter().all(|d| present.contains(d.as_str()));
        let package = f.package();
        for m in &f.message_type {
            check_message_refs(f.name(), &join(package, m.name()), m, &defined, complete)?;
        }
        for x in &f.extension {
            check_field(f.name(), package, x, 0, &defined, complete, true)?;
        }
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Def {
    Message,
    Enum,
    Other,
}

fn join(scope: &str, name: &str) -> String {
    if scope.is_empty() {
        name.to_owned()
    } else {
        format!("{scope}.{name}")
    }
}

fn define(
    defined: &mut HashMap<String, Def>,
    file: &str,
    full_name: &str,
    def: Def,
) -> Result<(), String> {
    let last = full_name.rsplit('.').next().unwrap_or_default();
    if last.is_empty() {
        return Err(format!("an element of file \"{file}\" has no name"));
    }
    if defined.insert(full_name.to_owned(), def).is_some() {
        return Err(format!("\"{full_name}\" is defined twice"));
    }
    Ok(())
}

fn define_message(
    defined: &mut HashMap<String, Def>,
    file: &str,
    full_name: &str,
    m: &DescriptorProto,
) -> Result<(), String> {
    define(defined, file, full_name, Def::Message)?;
    for n in &m.nested_type {
        define_message(defined, file, &join(full_name, n.name()), n)?;
    }
    for e in &m.enum_type {
        define(defined, file, &join(full_name, e.name()), Def::Enum)?;
        check_enum(file, e)?;
    }
    for x in &m.extension {
        define(defined, file, &join(full_name, x.name()), Def::Other)?;
    }
    for o in &m.oneof_decl {
        if o.name().is_empty() {
            return Err(format!("a oneof of message \"{full_name}\" has no name"));
        }
    }
    Ok(())
}

fn check_enum(file: &str, e: &prost_types::EnumDescriptorProto) -> Result<(), String> {
    if e.value.iter().any(|v| v.name().is_empty()) {
        return Err(format!(
            "a value of enum \"{}\" in file \"{file}\" has no name",
            e.name()
        ));
    }
    Ok(())
}

fn check_message_refs(
    file: &str,
    full_name: &str,
    m: &DescriptorProto,
    defined: &HashMap<String, Def>,
    complete: bool,
) -> Result<(), String> {
    for f in &m.field {
        let oneofs = m.oneof_decl.len();
        check_field(file, full_name, f, oneofs, defined, complete, false)?;
    }
    for x in &m.extension {
        check_field(file, full_name, x, 0, defined, complete, true)?;
    }
    for n in &m.nested_type {
        check_message_refs(file, &join(full_name, n.name()), n, defined, complete)?;
    }
    Ok(())
}

fn check_field(
    file: &str,
    scope: &str,
    f: &prost_types::FieldDescriptorProto,
    oneofs: usize,
    defined: &HashMap<String, Def>,
    complete: bool,
    extension: bool,
) -> Result<(), String> {
    let what = format!("field \"{}\"", join(scope, f.name()));
    if f.name().is_empty() {
        return Err(format!(
            "a field of \"{scope}\" in file \"{file}\" has no name"
        ));
    }
    if !(1..=536_870_911).contains(&f.number()) {
        return Err(format!(
            "{what} has number {}, outside 1 to 536870911",
            f.number()
        ));
    }
    if let Some(l) = f.label {
        Label::try_from(l).map_err(|_| format!("{what} has unknown label {l}"))?;
    }
    let ty = match f.r#type {
        Some(t) => Type::try_from(t).map_err(|_| format!("{what} has unknown type {t}"))?,
        None => return Err(format!("{what} has no type (the set is not linked)")),
    };
    if let Some(i) = f.oneof_index {
        if extension || usize::try_from(i).map_or(true, |i| i >= oneofs) {
            return Err(format!(
                "{what} is in oneof number {i}, which does not exist"
            ));
        }
    }
    if extension {
        match f.extendee.as_deref() {
            Some(e) if e.starts_with('.') && e.len() > 1 => {
                let target = &e[1..];
                if complete && defined.get(target).is_some_and(|d| *d != Def::Message) {
                    return Err(format!(
                        "extension {what} extends \"{target}\", which is not a message"
                    ));
                }
            }
            Some(e) => {
                return Err(format!(
                    "extension {what} extends \"{e}\", which is not a fully-qualified name"
                ))
            }
            None => return Err(format!("extension {what} names no message it extends")),
        }
    }
    let want = match ty {
        Type::Message | Type::Group => Def::Message,
        Type::Enum => Def::Enum,
        _ => return Ok(()),
    };
    let type_name = match f.type_name.as_deref() {
        Some(t) if t.starts_with('.') && t.len() > 1 => &t[1..],
        Some(t) if !t.is_empty() => {
            return Err(format!(
            "{what} refers to \"{t}\", which is not a fully-qualified name (the set is not linked)"
        ))
        }
        _ => {
            return Err(format!(
                "{what} has a message or enum type but no type name"
            ))
        }
    };
    match defined.get(type_name) {
        Some(&d) if d == want => Ok(()),
        Some(_) => Err(format!(
            "{what} refers to \"{type_name}\", which is not {}",
            if want == Def::Enum {
                "an enum"
            } else {
                "a message"
            }
        )),
        None if complete => Err(format!(
            "{what} refers to \"{type_name}\", which no file of the set defines"
        )),
        None => Ok(()),
    }
}

/// Feature values must be known enum numbers.
fn check_features(file: &str, o: &FileOverlay) -> Result<(), String> {
    let bad = |f: Option<&FeatureSet>| f.and_then(FeatureSet::invalid_value);
    let report = |(option, v): (&str, i32)| {
        Err(format!(
            "file \"{file}\" sets {option} to {v}, which is not one of its values"
        ))
    };
    if let Some(b) = bad(o.options.as_ref().and_then(|x| x.features.as_ref())) {
        return report(b);
    }
    fn in_message(m: &MessageOverlay) -> Option<(&'static str, i32)> {
        let bad = |f: Option<&FeatureSet>| f.and_then(FeatureSet::invalid_value);
        bad(m.features())
            .or_else(|| {
                m.field
                    .iter()
                    .chain(&m.extension)
                    .find_map(|f| bad(f.features()))
            })
            .or_else(|| {
                m.oneof_decl
                    .iter()
                    .find_map(|x| bad(x.options.as_ref().and_then(|o| o.features.as_ref())))
            })
            .or_else(|| m.enum_type.iter().find_map(|e| bad(e.features())))
            .or_else(|| m.nested_type.iter().find_map(in_message))
    }
    let found = o
        .message_type
        .iter()
        .find_map(in_message)
        .or_else(|| o.enum_type.iter().find_map(|e| bad(e.features())))
        .or_else(|| o.extension.iter().find_map(|x| bad(x.features())));
    match found {
        Some(b) => report(b),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(files: Vec<FileDescriptorProto>) -> Vec<u8> {
        FileDescriptorSet { file: files }.encode_to_vec()
    }

    fn file(name: &str) -> FileDescriptorProto {
        FileDescriptorProto {
            name: Some(name.into()),
            package: Some("p".into()),
            syntax: Some("proto3".into()),
            ..Default::default()
        }
    }

    fn field(
        name: &str,
        number: i32,
        ty: Type,
        type_name: Option<&str>,
    ) -> prost_types::FieldDescriptorProto {
        prost_types::FieldDescriptorProto {
            name: Some(name.into()),
            number: Some(number),
            label: Some(Label::Optional as i32),
            r#type: Some(ty as i32),
            type_name: type_name.map(Into::into),
            ..Default::default()
        }
    }

    fn with_message(
        mut f: FileDescriptorProto,
        fields: Vec<prost_types::FieldDescriptorProto>,
    ) -> FileDescriptorProto {
        f.message_type.push(DescriptorProto {
            name: Some("M".into()),
            field: fields,
            ..Default::default()
        });
        f
    }

    #[test]
    fn garbage_and_truncation_are_rejected() {
        assert!(decode(b"not a descriptor set").is_err());
        let good = set(vec![with_message(
            file("a.proto"),
            vec![field("x", 1, Type::Int32, None)],
        )]);
        assert!(decode(&good).is_ok());
        for cut in 1..good.len() {
            assert!(decode(&good[..cut]).is_err(), "cut at {cut} accepted");
        }
        assert_eq!(decode(&[]).unwrap_err(), "holds no files");
    }

    #[test]
    fn inconsistencies_are_named() {
        let dup = set(vec![file("a.proto"), file("a.proto")]);
        assert_eq!(
            decode(&dup).unwrap_err(),
            "is inconsistent: file \"a.proto\" appears twice"
        );
        let missing = set(vec![with_message(
            file("a.proto"),
            vec![field("m", 1, Type::Message, Some(".p.Nope"))],
        )]);
        assert_eq!(
            decode(&missing).unwrap_err(),
            "is inconsistent: field \"p.M.m\" refers to \"p.Nope\", which no file of the set defines"
        );
        let wrong_kind = set(vec![with_message(
            file("a.proto"),
            vec![field("m", 1, Type::Enum, Some(".p.M"))],
        )]);
        assert!(decode(&wrong_kind)
            .unwrap_err()
            .ends_with("which is not an enum"));
        let zero = set(vec![with_message(
            file("a.proto"),
            vec![field("z", 0, Type::Int32, None)],
        )]);
        assert!(decode(&zero)
            .unwrap_err()
            .contains("outside 1 to 536870911"));
        let relative = set(vec![with_message(
            file("a.proto"),
            vec![field("m", 1, Type::Message, Some("M"))],
        )]);
        assert!(decode(&relative)
            .unwrap_err()
            .contains("not a fully-qualified name"));
    }

    #[test]
    fn sets_without_imports_are_accepted() {
        let mut f = with_message(
            file("a.proto"),
            vec![field(
                "t",
                1,
                Type::Message,
                Some(".google.protobuf.Timestamp"),
            )],
        );
        f.dependency.push("google/protobuf/timestamp.proto".into());
        assert!(decode(&set(vec![f])).is_ok());
    }

    #[test]
    fn unknown_editions_are_refused() {
        let mut f = file("a.proto");
        f.syntax = Some("editions".into());
        let mut bytes = set(vec![f]);
        // Append `edition = 1002` (2026) to the file: field 14, varint.
        let file_len = bytes[1] as usize;
        bytes.extend([0x70, 0xea, 0x07]);
        bytes[1] = (file_len + 3) as u8;
        assert!(decode(&bytes).unwrap_err().contains("edition 2026"));
    }

    /// Every prefix of a real set (a buf image with editions, imports and
    /// source info), and every byte changed of a smaller one: decoding either
    /// refuses it or gives a schema every rule can run on. Never a panic.
    #[test]
    fn damaged_sets_never_panic() {
        let good = include_bytes!("../../tests/data/descriptor_sets/buf_image.binpb");
        let rules = crate::rules::ALL;
        let schema = |side, files: Vec<SetFile>| {
            let (targets, _) = super::targets(&files);
            Schema::from_files(side, files, &targets, &HashMap::new())
        };
        let old = schema(Side::Old, decode(good).unwrap());
        let check = |bytes: &[u8]| {
            if let Ok(files) = decode(bytes) {
                crate::engine::run(&old, &schema(Side::New, files), rules);
            }
        };
        for cut in 0..good.len() {
            check(&good[..cut]);
        }
        // Every byte of the smaller set without source info, changed.
        let small = include_bytes!("../../tests/data/descriptor_sets/buf_no_source_info.binpb");
        let mut bytes = small.to_vec();
        for i in 0..bytes.len() {
            let original = bytes[i];
            for v in [0x00, 0x01, 0x7f, 0xff] {
                bytes[i] = v;
                check(&bytes);
            }
            bytes[i] = original;
        }
    }

    #[test]
    fn well_known_types_are_not_targets() {
        assert!(is_well_known("google/protobuf/timestamp.proto"));
        assert!(is_well_known("google/protobuf/compiler/plugin.proto"));
        assert!(!is_well_known("google/api/http.proto"));
        assert!(!is_well_known("shop/google/protobuf/x.proto"));
    }
}
