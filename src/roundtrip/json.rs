//! The proto3 JSON mapping: the writer's canonical JSON (JSON names, defaults
//! left out, 64-bit integers as strings, enums by name) parsed by the reader.
//! A renamed field or a changed `json_name` is a key the reader does not know;
//! a changed type is a value it may reject.

use prost_reflect::{DeserializeOptions, DynamicMessage, MessageDescriptor, SerializeOptions};
use serde::Serialize;
use serde_json::Value;

use super::{Direction, Outcome};
use crate::schema::lower::Semantics;

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
    /// What the reader makes of each key.
    pub fields: Vec<JsonField>,
}

/// What the reader makes of one key of the writer's JSON.
#[derive(Debug, Clone, Serialize)]
pub struct JsonField {
    /// The key as written.
    pub name: String,
    /// The writer's field number.
    pub number: Option<u32>,
    /// Which side wrote and which read.
    pub direction: Direction,
    /// What the reader made of the key.
    pub outcome: Outcome,
    /// Which sample ([`SampleInfo::index`](super::SampleInfo::index)).
    pub sample: usize,
    /// The value as written (JSON).
    pub written: String,
    /// The value the reader holds, re-serialized as JSON.
    pub read: Option<String>,
    /// The reader's JSON name for the same field number, when the key is not
    /// one it accepts (a rename or a `json_name` change).
    pub reader_name: Option<String>,
    /// Whether the reader accepts the key (it may still drop the value: an
    /// enum name it does not know).
    pub reader_has_key: bool,
    /// Why a strict parser rejects this key and its value (an unknown key,
    /// an enum name the reader does not know); lenient parsers, which ignore
    /// unknown fields, drop what it names.
    pub strict_error: Option<String>,
    /// The outcome in one sentence.
    pub explanation: String,
}

impl JsonField {
    /// Whether a JSON client loses or misreads the value: a changed value, a
    /// rejected value, a value the reader drops (an enum name it does not
    /// know), or a field the reader has under another name.
    pub fn is_loss(&self) -> bool {
        match self.outcome {
            Outcome::Dropped => self.reader_name.is_some() || self.reader_has_key,
            o => o.is_loss(),
        }
    }
}

/// Runs the writer's JSON for `bytes` through the reader.
pub fn run(
    d: Direction,
    writer: &MessageDescriptor,
    reader: &MessageDescriptor,
    reader_sem: &Semantics,
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
    let strict_error = DynamicMessage::deserialize(reader.clone(), read_as(reader, &wjson))
        .err()
        .map(|e| e.to_string());
    let mut fields = Vec::new();
    if let Value::Object(obj) = &wjson {
        for (key, value) in obj {
            // The writer's value as its own JSON says it (normalized: a
            // timestamp's negative nanos carried into its seconds).
            let mut mine = serde_json::Map::new();
            mine.insert(key.clone(), value.clone());
            let wvalue = DynamicMessage::deserialize(writer.clone(), Value::Object(mine))
                .unwrap_or_else(|_| wmsg.clone());
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
                reader_has_key: false,
                strict_error: None,
                explanation: String::new(),
            };
            let known = reader
                .get_field_by_json_name(key)
                .or_else(|| reader.get_field_by_name(key));
            let extension = |d: &MessageDescriptor| {
                key.strip_prefix('[')
                    .and_then(|k| k.strip_suffix(']'))
                    .and_then(|k| d.get_extension_by_full_name(k))
                    .map(|x| x.kind())
            };
            let writer_kind = writer
                .get_field_by_json_name(key)
                .or_else(|| writer.get_field_by_name(key))
                .map(|f| f.kind())
                .or_else(|| extension(writer));
            let reader_kind = known
                .as_ref()
                .map(|f| f.kind())
                .or_else(|| extension(reader));
            let retyped = match (&reader_kind, &writer_kind) {
                (Some(rk), Some(wk)) => category(rk) != category(wk),
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
            // Google's parsers read a quoted integer as an enum's number, as
            // they read one for every integer type.
            let value_read = match known.as_ref().and_then(|rf| quoted_enum_numbers(rf, value)) {
                Some(Err(e)) => {
                    f.outcome = Outcome::DecodeError;
                    f.reader_has_key = true;
                    f.explanation = format!(
                        "the {rs} reader rejects {key} = {value}, and with it the whole message: {e}"
                    );
                    fields.push(f);
                    continue;
                }
                Some(Ok(v)) => v,
                _ => value.clone(),
            };
            let value = &value_read;
            let mut one = serde_json::Map::new();
            one.insert(key.clone(), value.clone());
            let one = Value::Object(one);
            // What a strict parser (unknown keys and enum names rejected)
            // says of this key alone.
            f.strict_error = DynamicMessage::deserialize(reader.clone(), one.clone())
                .err()
                .map(|e| e.to_string());
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
            f.reader_has_key = true;
            if let Some(e) = closed_unknown(known.as_ref(), value, reader_sem) {
                // Parsers reject a number a closed enum does not declare,
                // whether or not they ignore unknown fields.
                f.outcome = Outcome::DecodeError;
                f.strict_error = None;
                f.explanation = format!(
                    "the {rs} reader rejects {key} = {value}, and with it the whole message: {e}"
                );
                fields.push(f);
                continue;
            }
            let lenient = DeserializeOptions::new().deny_unknown_fields(false);
            match DynamicMessage::deserialize_with_options(reader.clone(), one, &lenient) {
                Err(e) => {
                    f.strict_error = None;
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
                    let same_text = got_num.as_ref().is_some_and(|g| same(value_num, g));
                    // The values themselves, kind and all (a nested string
                    // read as bytes is another value).
                    let field_value = |msg: &DynamicMessage, d: &MessageDescriptor| match d
                        .get_field_by_json_name(key)
                        .or_else(|| d.get_field_by_name(key))
                    {
                        Some(fd) => Some(msg.get_field(&fd).into_owned()),
                        None => key
                            .strip_prefix('[')
                            .and_then(|k| k.strip_suffix(']'))
                            .and_then(|k| d.get_extension_by_full_name(k))
                            .map(|x| msg.get_extension(&x).into_owned()),
                    };
                    // What each side's application sees (a default where
                    // the JSON left a zero out).
                    let equal = match (field_value(&wvalue, writer), field_value(&m, reader)) {
                        (Some(a), Some(b)) => values_same(&a, &b),
                        _ => same_text,
                    };
                    f.read = Some(match &got {
                        Some(v) => v.to_string(),
                        None => "the default".to_owned(),
                    });
                    if let Some(e) = &f.strict_error {
                        // The lenient parser skipped what the strict one
                        // rejects: an enum name the reader does not know
                        // (here or in a nested message), or a nested key.
                        f.outcome = Outcome::Dropped;
                        f.explanation = format!(
                            "the {rs} reader does not accept {key} = {value} ({e}): strict parsers (the default in protobuf's runtimes) reject the whole message, lenient ones drop the value and read {}",
                            f.read.as_deref().unwrap_or_default()
                        );
                    } else if equal {
                        f.outcome = Outcome::Same;
                        f.explanation = format!("the {rs} reader reads {key} = {value}");
                    } else if same_text && retyped {
                        f.outcome = Outcome::Converted;
                        f.explanation = format!(
                            "the {rs} reader reads the same JSON text {value} as {} where the {ws} writer meant {}",
                            reader_kind.as_ref().map(category_name).unwrap_or_default(),
                            writer_kind.as_ref().map(category_name).unwrap_or_default(),
                        );
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
    // A value rejected whatever the options is rejected by a strict parser.
    let strict_error = strict_error.or_else(|| {
        fields
            .iter()
            .find(|f| f.outcome == Outcome::DecodeError)
            .map(|f| f.explanation.clone())
    });
    JsonRun {
        written: Some(wjson.to_string()),
        error: None,
        strict_error,
        fields,
    }
}

/// The enum field (or map value) of `field`, if it has one.
fn enum_of(field: &prost_reflect::FieldDescriptor) -> Option<prost_reflect::EnumDescriptor> {
    use prost_reflect::Kind as K;
    match field.kind() {
        K::Enum(e) => Some(e),
        K::Message(entry) if field.is_map() => match entry.map_entry_value_field().kind() {
            K::Enum(e) => Some(e),
            _ => None,
        },
        _ => None,
    }
}

/// `value` for an enum field with its quoted integers ("285") as numbers,
/// which is how Google's parsers read them (`None`: nothing to change); an
/// integer out of an enum's 32-bit range is an error.
pub(crate) fn quoted_enum_numbers(
    field: &prost_reflect::FieldDescriptor,
    value: &Value,
) -> Option<Result<Value, String>> {
    enum_of(field)?;
    let one = |v: &Value| -> Result<Option<Value>, String> {
        let s = match v {
            Value::String(s) => s.clone(),
            // An integer written as a float (-989.0) is an integer.
            Value::Number(n) if n.as_i64().is_none() && n.as_u64().is_none() => match n.as_f64() {
                Some(f) if f.fract() == 0.0 && f.abs() < 1e18 => (f as i64).to_string(),
                _ => return Ok(None),
            },
            _ => return Ok(None),
        };
        let digits = s.strip_prefix('-').unwrap_or(&s);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(None);
        }
        s.parse::<i32>()
            .map(|n| Some(Value::from(n)))
            .map_err(|_| format!("value out of range: {s}"))
    };
    let mut changed = false;
    let mut map = |v: &Value| -> Result<Value, String> {
        Ok(match one(v)? {
            Some(n) => {
                changed = true;
                n
            }
            None => v.clone(),
        })
    };
    let out = match value {
        Value::Array(a) => a
            .iter()
            .map(&mut map)
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        Value::Object(o) if field.is_map() => o
            .iter()
            .map(|(k, v)| map(v).map(|v| (k.clone(), v)))
            .collect::<Result<serde_json::Map<_, _>, _>>()
            .map(Value::Object),
        v => map(v),
    };
    match out {
        Err(e) => Some(Err(e)),
        Ok(v) if changed => Some(Ok(v)),
        Ok(_) => None,
    }
}

/// The writer's document as the reader's parser reads it: quoted integers
/// of enum fields as numbers.
pub(crate) fn read_as(reader: &MessageDescriptor, doc: &Value) -> Value {
    let Value::Object(o) = doc else {
        return doc.clone();
    };
    let mut out = o.clone();
    for (k, v) in out.iter_mut() {
        let field = reader
            .get_field_by_json_name(k)
            .or_else(|| reader.get_field_by_name(k));
        if let Some(Ok(n)) = field.and_then(|f| quoted_enum_numbers(&f, v)) {
            *v = n;
        }
    }
    Value::Object(out)
}

/// Why a reader whose field (or map value) is a closed enum rejects `value`:
/// a number the enum does not declare.
fn closed_unknown(
    field: Option<&prost_reflect::FieldDescriptor>,
    value: &Value,
    sem: &Semantics,
) -> Option<String> {
    let field = field?;
    let e = enum_of(field)?;
    if !sem.is_closed(&e) {
        return None;
    }
    let values: Vec<&Value> = match value {
        Value::Array(a) => a.iter().collect(),
        Value::Object(o) if field.is_map() => o.values().collect(),
        v => vec![v],
    };
    let bad = values.iter().find_map(|v| {
        v.as_i64()
            .filter(|n| i32::try_from(*n).map_or(true, |n| e.get_value(n).is_none()))
    })?;
    Some(format!(
        "the enum {} is closed and has no value {bad}",
        e.full_name()
    ))
}

/// Whether two values mean the same: integers, bools and floats by value
/// across their types, an enum only as an enum, strings and bytes by their
/// bytes, messages field by field, lists element by element, maps entry by
/// entry.
pub(crate) fn values_same(a: &prost_reflect::Value, b: &prost_reflect::Value) -> bool {
    use prost_reflect::Value as V;
    match (a, b) {
        (V::EnumNumber(x), V::EnumNumber(y)) => x == y,
        (V::EnumNumber(_), _) | (_, V::EnumNumber(_)) => false,
        (V::String(x), V::String(y)) => x == y,
        (V::Bytes(x), V::Bytes(y)) => x == y,
        (V::String(x), V::Bytes(y)) | (V::Bytes(y), V::String(x)) => x.as_bytes() == y.as_ref(),
        (V::List(x), V::List(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| values_same(p, q))
        }
        (V::Map(x), V::Map(y)) => {
            x.len() == y.len()
                && x.iter().all(|(k, v)| {
                    y.iter().any(|(l, w)| {
                        values_same(&k.clone().into(), &l.clone().into()) && values_same(v, w)
                    })
                })
        }
        (V::Message(x), V::Message(y)) => {
            let fx: Vec<(u32, &prost_reflect::Value)> =
                x.fields().map(|(f, v)| (f.number(), v)).collect();
            let fy: Vec<(u32, &prost_reflect::Value)> =
                y.fields().map(|(f, v)| (f.number(), v)).collect();
            fx.len() == fy.len()
                && fx
                    .iter()
                    .all(|(n, v)| fy.iter().any(|(m, w)| m == n && values_same(v, w)))
        }
        _ => match (scalar_number(a), scalar_number(b)) {
            (Some(x), Some(y)) => x == y,
            _ => false,
        },
    }
}

/// A number's value: an integer, or a float's bits when it is not one.
fn scalar_number(v: &prost_reflect::Value) -> Option<Num> {
    use prost_reflect::Value as V;
    let f = match v {
        V::Bool(b) => return Some(Num::Int(i128::from(*b))),
        V::I32(x) => return Some(Num::Int(i128::from(*x))),
        V::I64(x) => return Some(Num::Int(i128::from(*x))),
        V::U32(x) => return Some(Num::Int(i128::from(*x))),
        V::U64(x) => return Some(Num::Int(i128::from(*x))),
        V::F32(x) => f64::from(*x),
        V::F64(x) => *x,
        _ => return None,
    };
    Some(if f.fract() == 0.0 && f.abs() < 1e30 {
        Num::Int(f as i128)
    } else {
        Num::Float(f.to_bits())
    })
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
