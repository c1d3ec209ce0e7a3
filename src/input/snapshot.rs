//! Snapshots: a compiled schema saved as a binary `FileDescriptorSet`, kept in
//! the repository and used later as the old side (the lock-file workflow of
//! protolock and buf images).
//!
//! A snapshot holds every file with its source info, imports included (well-known
//! types too), dependencies before the files that import them, so `protoc
//! --descriptor_set_in` reads it. Imported files carry buf's image marker
//! (`buf_extension.is_import`, field 8042 of buf's `ImageFile`), so buf reads it
//! as an image and readers can tell the inputs from their imports; tools that do
//! not know the marker skip it as an unknown field.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use prost::Message;
use prost_types::FileDescriptorProto;

use crate::input::error::InputError;
use crate::input::Compiled;
use crate::schema::{Schema, Side};

/// buf's `ImageFileExtension`, the part protocheck writes and reads.
#[derive(Clone, PartialEq, prost::Message)]
struct ImageFileExtension {
    #[prost(bool, optional, tag = "1")]
    is_import: Option<bool>,
}

/// The fields of buf's `ImageFile` beyond `FileDescriptorProto`: encoded after
/// a file's own bytes, they merge into the same message.
#[derive(Clone, PartialEq, prost::Message)]
struct ImageFileTail {
    #[prost(message, optional, tag = "8042")]
    buf_extension: Option<ImageFileExtension>,
}

/// Reads a file's name and marker, skipping the rest.
#[derive(Clone, PartialEq, prost::Message)]
struct ImageFileHead {
    #[prost(string, optional, tag = "1")]
    name: Option<String>,
    #[prost(message, optional, tag = "8042")]
    buf_extension: Option<ImageFileExtension>,
}

#[derive(Clone, PartialEq, prost::Message)]
struct ImageHeads {
    #[prost(message, repeated, tag = "1")]
    file: Vec<ImageFileHead>,
}

/// Encodes compiled descriptors as a snapshot.
pub fn encode(compiled: &Compiled) -> Vec<u8> {
    let mut out = Vec::new();
    for fd in &compiled.files {
        let mut file = fd.encode_to_vec();
        // Appending the tail's fields to the file message merges them in.
        file.extend(
            ImageFileTail {
                buf_extension: Some(ImageFileExtension {
                    is_import: Some(!compiled.targets.contains(fd.name())),
                }),
            }
            .encode_to_vec(),
        );
        prost::encoding::bytes::encode(1, &file, &mut out);
    }
    out
}

/// A snapshot of any input: descriptors compiled by protox, or for editions
/// sources (which protox cannot parse) the set protoc writes, with the
/// imports marked. Returns the bytes and how many files were inputs and
/// imports.
pub fn from_input(
    input: &crate::input::Input,
    includes: &[std::path::PathBuf],
    protoc: Option<&Path>,
) -> Result<(Vec<u8>, usize, usize), InputError> {
    match crate::input::compile_descriptors(Side::New, input, includes) {
        Ok(compiled) => {
            let inputs = compiled.targets.len();
            Ok((encode(&compiled), inputs, compiled.files.len() - inputs))
        }
        Err(InputError::NoProtoc {
            side,
            path,
            edition,
        }) if !matches!(input, crate::input::Input::Git(_)) => {
            let Some((protoc, origin)) = crate::input::protoc::locate(protoc) else {
                return Err(InputError::NoProtoc {
                    side,
                    path,
                    edition,
                });
            };
            let (roots, names) = crate::input::plan(side, input, includes)?;
            let set = crate::input::protoc::descriptor_set(side, &protoc, origin, &roots, &names)?;
            let targets: std::collections::HashSet<String> = names.into_iter().collect();
            let (bytes, files) =
                mark_imports(&set, &targets).map_err(|e| InputError::BadSnapshot {
                    side,
                    path: path.clone(),
                    message: format!("protoc's output does not decode: {e}"),
                })?;
            Ok((bytes, targets.len(), files - targets.len()))
        }
        Err(e) => Err(e),
    }
}

/// Re-encodes a descriptor set file by file, byte for byte (so fields this
/// crate does not model, such as editions features, survive), adding buf's
/// import marker to each file. Returns the bytes and the number of files.
pub fn mark_imports(
    set: &[u8],
    targets: &std::collections::HashSet<String>,
) -> Result<(Vec<u8>, usize), String> {
    #[derive(Clone, PartialEq, prost::Message)]
    struct Name {
        #[prost(string, optional, tag = "1")]
        name: Option<String>,
    }
    let mut buf = set;
    let mut out = Vec::with_capacity(set.len() + 64);
    let mut files = 0;
    while !buf.is_empty() {
        let (tag, wire_type) = prost::encoding::decode_key(&mut buf).map_err(|e| e.to_string())?;
        if tag != 1 || wire_type != prost::encoding::WireType::LengthDelimited {
            prost::encoding::skip_field(wire_type, tag, &mut buf, Default::default())
                .map_err(|e| e.to_string())?;
            continue;
        }
        let len = prost::encoding::decode_varint(&mut buf).map_err(|e| e.to_string())?;
        let len = usize::try_from(len)
            .ok()
            .filter(|&l| l <= buf.len())
            .ok_or("a file's length runs past the end")?;
        let (file, rest) = buf.split_at(len);
        buf = rest;
        let name = Name::decode(file)
            .map_err(|e| e.to_string())?
            .name
            .unwrap_or_default();
        let mut file = file.to_vec();
        file.extend(
            ImageFileTail {
                buf_extension: Some(ImageFileExtension {
                    is_import: Some(!targets.contains(&name)),
                }),
            }
            .encode_to_vec(),
        );
        prost::encoding::bytes::encode(1, &file, &mut out);
        files += 1;
    }
    Ok((out, files))
}

/// A snapshot read back: the descriptors and which files were inputs.
#[derive(Debug)]
pub struct Snapshot {
    /// The file descriptors, imports first.
    pub files: Vec<FileDescriptorProto>,
    /// The input files. A set with no markers at all (from protoc, say)
    /// counts every file as an input.
    pub targets: HashSet<String>,
}

/// Decodes a snapshot (or any binary `FileDescriptorSet`).
pub fn decode(bytes: &[u8]) -> Result<Snapshot, prost::DecodeError> {
    let set = prost_types::FileDescriptorSet::decode(bytes)?;
    let heads = ImageHeads::decode(bytes)?;
    let marked = heads.file.iter().any(|f| f.buf_extension.is_some());
    let targets = if marked {
        heads
            .file
            .iter()
            .filter(|f| !f.buf_extension.as_ref().is_some_and(|x| x.is_import()))
            .filter_map(|f| f.name.clone())
            .collect()
    } else {
        set.file.iter().map(|f| f.name().to_owned()).collect()
    };
    Ok(Snapshot {
        files: set.file,
        targets,
    })
}

/// Reads a snapshot from disk as one side's schema. Findings in it have lines
/// and columns from its source info but no source text to show.
pub fn load(side: Side, path: impl AsRef<Path>) -> Result<Schema, InputError> {
    // A snapshot is a descriptor set: validated, editions features kept,
    // and buf's import marks say which files were inputs.
    crate::input::descriptor_set::load(side, path.as_ref())
}

/// Writes `bytes` to `path` through a temporary file in the same directory,
/// so a reader never sees half a snapshot.
pub fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut tmp: PathBuf = path.to_path_buf();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "snapshot".to_owned());
    tmp.set_file_name(format!(".{name}.tmp{}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn markers_round_trip_and_plain_sets_count_every_file() {
        let file = |name: &str| FileDescriptorProto {
            name: Some(name.to_owned()),
            ..Default::default()
        };
        let compiled = Compiled {
            pool: None,
            files: vec![file("dep.proto"), file("a.proto")],
            targets: ["a.proto".to_owned()].into_iter().collect(),
            sources: HashMap::new(),
        };
        let bytes = encode(&compiled);
        let back = decode(&bytes).unwrap();
        assert_eq!(back.files, compiled.files);
        assert_eq!(back.targets, compiled.targets);

        let plain = prost_types::FileDescriptorSet {
            file: compiled.files.clone(),
        }
        .encode_to_vec();
        let back = decode(&plain).unwrap();
        assert_eq!(back.targets.len(), 2);
        assert!(decode(b"\x0a\xff").is_err());
    }
}
