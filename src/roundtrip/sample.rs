//! Sample messages from files: proto3 JSON (`.json`), text format (`.txtpb`,
//! `.textproto`, `.pbtxt`) or binary (`.binpb`, `.pb`, `.bin`). A sample is
//! the writer's message: it is parsed with each version's descriptor, and a
//! version that cannot read it does not write it.

use std::path::{Path, PathBuf};

use miette::{Diagnostic, NamedSource, SourceSpan};
use prost::Message;
use prost_reflect::{DynamicMessage, MessageDescriptor};

use super::{wire, RoundTripError, SampleError};

/// The format of a sample file, from its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// proto3 JSON (`.json`).
    Json,
    /// Protobuf text format (`.txtpb`, `.textproto`, `.pbtxt`, `.textpb`).
    Text,
    /// The binary encoding (`.binpb`, `.pb`, `.bin`).
    Binary,
}

/// A sample file, read.
#[derive(Debug, Clone)]
pub struct UserSample {
    /// The file as given.
    pub path: PathBuf,
    /// The message type's full name.
    pub message: String,
    /// Its format, from its extension.
    pub format: Format,
    /// The file's contents.
    pub bytes: Vec<u8>,
}

impl UserSample {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }
}

/// Reads every sample. Each is of the one `--message` given, or (text
/// format) of the type its `# proto-message:` line names.
pub fn load_all(paths: &[PathBuf], messages: &[String]) -> Result<Vec<UserSample>, RoundTripError> {
    paths.iter().map(|p| load(p, messages)).collect()
}

fn load(path: &Path, messages: &[String]) -> Result<UserSample, RoundTripError> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let format = match ext.as_str() {
        "json" => Format::Json,
        "txtpb" | "textproto" | "pbtxt" | "textpb" => Format::Text,
        "binpb" | "pb" | "bin" => Format::Binary,
        _ => {
            return Err(RoundTripError::SampleFormat {
                path: path.to_path_buf(),
            })
        }
    };
    let bytes = crate::files::read_file(path).map_err(|e| RoundTripError::SampleRead {
        path: path.to_path_buf(),
        source: e.into_io(),
    })?;
    let header = if format == Format::Text {
        String::from_utf8_lossy(&bytes).lines().find_map(|l| {
            l.trim()
                .strip_prefix('#')
                .map(str::trim)
                .and_then(|c| c.strip_prefix("proto-message:"))
                .map(|m| m.trim().trim_start_matches('.').to_owned())
        })
    } else {
        None
    };
    let message = match (messages, header) {
        ([one], _) => one.clone(),
        (_, Some(h)) => h,
        _ => {
            return Err(RoundTripError::SampleType {
                path: path.to_path_buf(),
            })
        }
    };
    Ok(UserSample {
        path: path.to_path_buf(),
        message,
        format,
        bytes,
    })
}

/// The sample as `desc` writes it (binary).
pub fn encode(s: &UserSample, desc: &MessageDescriptor) -> Result<Vec<u8>, Box<SampleError>> {
    let shown = s.path.display().to_string();
    match s.format {
        Format::Binary => {
            // A binary sample is taken as is, as long as it is records.
            wire::parse(&s.bytes).map_err(|e| {
                Box::new(SampleError {
                    path: shown.clone(),
                    location: format!(" at byte {}", e.offset),
                    message: e.reason.clone(),
                    line: None,
                    column: None,
                    source_code: None,
                    span: None,
                    help: Some("a .binpb sample is one serialized message".to_owned()),
                })
            })?;
            Ok(s.bytes.clone())
        }
        Format::Json => {
            let text = std::str::from_utf8(&s.bytes).map_err(|e| {
                at_offset(
                    &shown,
                    &s.text(),
                    e.valid_up_to(),
                    "not valid UTF-8".to_owned(),
                )
            })?;
            let mut de = serde_json::Deserializer::from_str(text);
            let msg = DynamicMessage::deserialize(desc.clone(), &mut de)
                .and_then(|m| de.end().map(|()| m))
                .map_err(|e| {
                    let mut off = offset_of(text, e.line(), e.column());
                    let mut len = 0;
                    // serde_json stops after an unknown key: point at the key.
                    let s = e.to_string();
                    if let Some(name) = s
                        .strip_prefix("unrecognized field name '")
                        .and_then(|r| r.split('\'').next())
                    {
                        let quoted = format!("\"{name}\"");
                        let upto = (off + 1).min(text.len());
                        if let Some(start) = text[..upto].rfind(&quoted) {
                            off = start;
                            len = quoted.len();
                        }
                    }
                    at_span(&shown, text, off, len, json_message(&e, desc))
                })?;
            Ok(msg.encode_to_vec())
        }
        Format::Text => {
            let text = std::str::from_utf8(&s.bytes).map_err(|e| {
                at_offset(
                    &shown,
                    &s.text(),
                    e.valid_up_to(),
                    "not valid UTF-8".to_owned(),
                )
            })?;
            let msg = DynamicMessage::parse_text_format(desc.clone(), text).map_err(|e| {
                let (off, len) = e
                    .labels()
                    .and_then(|mut l| l.next())
                    .map(|l| (l.offset(), l.len()))
                    .unwrap_or((0, 0));
                at_span(&shown, text, off, len, e.to_string())
            })?;
            Ok(msg.encode_to_vec())
        }
    }
}

fn json_message(e: &serde_json::Error, desc: &MessageDescriptor) -> String {
    let s = e.to_string();
    // serde_json appends " at line L column C"; the location is ours.
    let s = match s.rfind(" at line ") {
        Some(i) => s[..i].to_owned(),
        None => s,
    };
    format!("{s} (as {})", desc.full_name())
}

/// Byte offset of serde_json's 1-based line and column.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut off = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            return (off + column.saturating_sub(1)).min(text.len());
        }
        off += l.len();
    }
    text.len()
}

fn at_offset(path: &str, text: &str, offset: usize, message: String) -> Box<SampleError> {
    at_span(path, text, offset, 0, message)
}

/// A diagnostic pointing at `len` bytes from `offset` (at least one character).
fn at_span(path: &str, text: &str, offset: usize, len: usize, message: String) -> Box<SampleError> {
    // serde_json's column can fall inside a multi-byte character.
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit_once('\n')
        .map_or(before, |(_, l)| l)
        .chars()
        .count()
        + 1;
    let len = if len > 0 && offset + len <= text.len() {
        len
    } else {
        text[offset..].chars().next().map_or(0, char::len_utf8)
    };
    Box::new(SampleError {
        path: path.to_owned(),
        location: format!(":{line}:{column}"),
        message,
        line: Some(line),
        column: Some(column),
        source_code: Some(NamedSource::new(path, text.to_owned())),
        span: Some(SourceSpan::from((offset, len))),
        help: None,
    })
}
