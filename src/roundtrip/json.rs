//! The proto3 JSON mapping: the writer's canonical JSON (JSON names, defaults
//! left out, 64-bit integers as strings, enums by name) parsed by the reader.
//! A renamed field or a changed `json_name` is a key the reader does not know;
//! a changed type is a value it may reject.

use prost_reflect::{DeserializeOptions, DynamicMessage, MessageDescriptor, SerializeOptions};
use serde::Serialize;
use serde_json::Value;

use super::{Direction, Outcome};

/// The JSON leg of one sample in one direction.
#[derive(Debug, Clone, Serialize)]
pub struct JsonRun {
    /// The writer's JSON.
    pub written: Option<String>,
    /// Why the writer produced no JSON.
    pub error: Option<String>,
    /// Why a strict parser (the default in protobuf's runtimes, which reject
    /// unknown keys) rejects the whole document.
    pub strict_error: Option<String>,
    pub fields: Vec<JsonField>,
}

/// What the reader makes of one key of the writer's JSON.
#[derive(Debug, Clone, Serialize)]
pub struct JsonField {
    /// The key as written.
    pub name: String,
    /// The writer's field number.
    pub number: Option<u32>,
    pub direction: Direction,
    pub outcome: Outcome,
    pub sample: usize,
    /// The value as written (JSON).
    pub written: String,
    /// The value the reader holds, re-serialized as JSON.
    pub read: Option<String>,
    /// The reader's JSON name for the same field number, when the key is not
    /// one it accepts (a rename or a `json_name` change).
    pub reader_name: Option<String>,
    pub explanation: String,
}

impl JsonField {
    /// Whether a JSON client loses or misreads the value: a changed value, a
    /// rejected value, or a field the reader has under another name.
    pub fn is_loss(&self) -> bool {
        match self.outcome {
            Outcome::Dropped => self.reader_name.is_some(),
            o => o.is_loss(),
        }
    }
}

/// Runs the writer's JSON for `bytes` through the reader.
pub fn run(
    d: Direction,
    writer: &MessageDescriptor,
    reader: &MessageDescriptor,
    bytes: &[u8],
    sample: usize,
) -> JsonRun {
    let (ws, rs) = (d.writer(), d.reader());
    let failed = |e: String| JsonRun {
        written: None,
        error: Some(e),
        strict_error: None,
        fields: Vec::new(),
    };
    let wmsg = match DynamicMessage::decode(writer.clone(), bytes) {
        Ok(m) => m,
        // JSON strings are Unicode: a string that is not UTF-8 has no JSON.
        Err(e) if e.to_string().contains("UTF-8") => {
            return failed(format!(
                "none for this sample: the {ws} writer's message has a string that is not UTF-8, which JSON cannot carry"
            ))
        }
        Err(e) => {
            return failed(format!(
                "the {ws} writer cannot decode its own message: {e}"
            ))
        }
    };
    let wjson = match serde_json::to_value(&wmsg) {
        Ok(v) => v,
        Err(e) => return failed(format!("the {ws} writer cannot write it as JSON: {e}")),
    };
    // Enum values compare by number: a number the writer has no name for
    // and the name the reader gives it are the same value.
    let wnum = by_numbers(&wmsg).unwrap_or(Value::Null);
    let strict_error = DynamicMessage::deserialize(reader.clone(), wjson.clone())
        .err()
        .map(|e| e.to_string());
    let mut fields = Vec::new();
    if let Value::Object(obj) = &wjson {
        for (key, value) in obj {
            let number = writer
                .get_field_by_json_name(key)
                .or_else(|| writer.get_field_by_name(key))
                .map(|f| f.number())
                .or_else(|| {
                    key.strip_prefix('[')
                        .and_then(|k| k.strip_suffix(']'))
                        .and_then(|k| writer.get_extension_by_full_name(k))
                        .map(|x| x.number())
                });
            let mut f = JsonField {
                name: key.clone(),
                number,
                direction: d,
                outcome: Outcome::Same,
                sample,
                written: value.to_string(),
                read: None,
                reader_name: None,
                explanation: String::new(),
            };
            let known = reader
                .get_field_by_json_name(key)
                .or_else(|| reader.get_field_by_name(key));
            let writer_kind = writer
                .get_field_by_json_name(key)
                .or_else(|| writer.get_field_by_name(key))
                .map(|f| f.kind());
            let retyped = match (&known, &writer_kind) {
                (Some(rf), Some(wk)) => category(&rf.kind()) != category(wk),
                _ => false,
            };
            let known_json_name = match &known {
                Some(rf) => Some(rf.json_name().to_owned()),
                None => key
                    .strip_prefix('[')
                    .and_then(|k| k.strip_suffix(']'))
                    .and_then(|k| reader.get_extension_by_full_name(k))
                    .map(|_| key.clone()),
            };
            let Some(reader_key) = known_json_name else {
                f.outcome = Outcome::Dropped;
                f.reader_name = number
                    .and_then(|n| reader.get_field(n))
                    .map(|rf| rf.json_name().to_owned());
                f.explanation = match &f.reader_name {
                    Some(other) => format!(
                        "the {rs} reader calls field {} \"{other}\" in JSON and does not accept \"{key}\": strict parsers (the default in protobuf's runtimes) reject the whole message, lenient ones drop the value",
                        number.unwrap_or_default()
                    ),
                    None => format!(
                        "the {rs} reader has no JSON field \"{key}\": strict parsers (the default in protobuf's runtimes) reject the whole message, lenient ones drop the value"
                    ),
                };
                fields.push(f);
                continue;
            };
            let mut one = serde_json::Map::new();
            one.insert(key.clone(), value.clone());
            let lenient = DeserializeOptions::new().deny_unknown_fields(false);
            match DynamicMessage::deserialize_with_options(
                reader.clone(),
                Value::Object(one),
                &lenient,
            ) {
                Err(e) => {
                    f.outcome = Outcome::DecodeError;
                    f.explanation = format!(
                        "the {rs} reader rejects {key} = {value}, and with it the whole message: {e}"
                    );
                }
                Ok(m) => {
                    let back = serde_json::to_value(&m).unwrap_or(Value::Null);
                    let got = back.get(&reader_key).cloned();
                    let got_num = by_numbers(&m)
                        .ok()
                        .and_then(|b| b.get(&reader_key).cloned());
                    let value_num = wnum.get(key).unwrap_or(value);
                    let equal = got_num.as_ref().is_some_and(|g| same(value_num, g));
                    f.read = Some(match &got {
                        Some(v) => v.to_string(),
                        None => "the default".to_owned(),
                    });
                    if equal && retyped {
                        f.outcome = Outcome::Converted;
                        f.explanation = format!(
                            "the {rs} reader reads the same JSON text {value} as {} where the {ws} writer meant {}",
                            known.as_ref().map(|rf| category_name(&rf.kind())).unwrap_or_default(),
                            writer_kind.as_ref().map(category_name).unwrap_or_default(),
                        );
                    } else if equal {
                        f.outcome = Outcome::Same;
                        f.explanation = format!("the {rs} reader reads {key} = {value}");
                    } else {
                        f.outcome = Outcome::Converted;
                        f.explanation = format!(
                            "{ws} {key} = {value} is read by the {rs} reader as {}",
                            f.read.as_deref().unwrap_or_default()
                        );
                    }
                }
            }
            fields.push(f);
        }
    }
    JsonRun {
        written: Some(wjson.to_string()),
        error: None,
        strict_error,
        fields,
    }
}

/// The message's JSON with enums as numbers.
fn by_numbers(m: &DynamicMessage) -> Result<Value, serde_json::Error> {
    m.serialize_with_options(
        serde_json::value::Serializer,
        &SerializeOptions::new().use_enum_numbers(true),
    )
}

/// Kinds whose JSON text means different things: the same text read as
/// another of these is another value (base64 read as a string, a string read
/// as an enum name).
fn category(k: &prost_reflect::Kind) -> u8 {
    use prost_reflect::Kind as K;
    match k {
        K::String => 1,
        K::Bytes => 2,
        K::Enum(_) => 3,
        K::Message(_) => 4,
        _ => 0,
    }
}

fn category_name(k: &prost_reflect::Kind) -> &'static str {
    match category(k) {
        1 => "a string",
        2 => "bytes (base64)",
        3 => "an enum name",
        4 => "a message",
        _ => "a number",
    }
}

/// JSON values that mean the same protobuf value: numbers compare by value
/// whether or not they are quoted (64-bit integers are strings).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        _ => match (number(a), number(b)) {
            (Some(x), Some(y)) => x == y,
            _ => a == b,
        },
    }
}

/// An integer or a float's bits, from a JSON number or numeric string.
fn number(v: &Value) -> Option<Num> {
    let s = match v {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        _ => return None,
    };
    if let Ok(i) = s.parse::<i128>() {
        return Some(Num::Int(i));
    }
    match s.parse::<f64>() {
        Ok(f) if f.fract() == 0.0 && f.abs() < 1e30 => Some(Num::Int(f as i128)),
        Ok(f) => Some(Num::Float(f.to_bits())),
        Err(_) => None,
    }
}

#[derive(PartialEq)]
enum Num {
    Int(i128),
    Float(u64),
}

/// Per key, the most serious result over all samples.
pub fn merge(all: impl Iterator<Item = JsonField>) -> Vec<JsonField> {
    let mut out: Vec<JsonField> = Vec::new();
    for f in all {
        match out.iter_mut().find(|o| o.name == f.name) {
            Some(o) if f.outcome.rank() > o.outcome.rank() => *o = f,
            Some(_) => {}
            None => out.push(f),
        }
    }
    out.sort_by_key(|f| (f.number, f.name.clone()));
    out
}
