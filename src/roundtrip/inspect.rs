//! What the round trip's own reader makes of bytes and JSON, in a form that
//! does not depend on any runtime: the tree the oracle test
//! (`tests/roundtrip_oracle.rs`) holds against Google's protobuf runtime.
//!
//! A message is `{"f": {NUMBER: value}, "d": {NUMBER: default}, "u":
//! [[NUMBER, WIRE TYPE, data]]}`: `f` the fields the application sees as
//! set (an implicit-presence zero is not set), `d` what it sees of each
//! unset singular scalar field (its default), `u` the unknown fields in
//! arrival order. A value is `{"b": bool}`, `{"i": "decimal"}` (every
//! integer type), `{"e": number}`, `{"f32": "bits"}`, `{"f64": "bits"}`,
//! `{"s": "hex"}`, `{"y": "hex"}` or a message; a repeated field is an
//! array; a map an array of `[key, value]` sorted by key. Unknown data is
//! `"v:decimal"`, `"4:hex"`, `"8:hex"`, `"l:hex"` or, for a group, an array of
//! records.

use prost::Message as _;
use prost_reflect::{DeserializeOptions, DynamicMessage, Kind};
use serde_json::{json, Map, Value};

use super::wire::{self, Msg, MsgType, Payload, Slot, Val};
use super::RoundTripError;
use crate::schema::Schema;

/// What the reader of `schema` makes of `bytes` as message type `message`.
#[derive(Debug, Clone)]
pub struct Inspection {
    /// Why the reader rejects the whole message (the reference runtimes'
    /// reasons: invalid UTF-8 in a proto3 string, a missing required field).
    pub error: Option<String>,
    /// The message as read (see the module documentation).
    pub tree: Value,
    /// The reader's re-serialization, when it accepts the message.
    pub reencoded: Option<Vec<u8>>,
}

fn msg_type(schema: &Schema, message: &str) -> Result<MsgType, RoundTripError> {
    let pool = schema
        .pool
        .clone()
        .ok_or_else(|| RoundTripError::NoDescriptors {
            side: schema.side,
            reason: schema.pool_problem.clone(),
        })?;
    let desc = pool
        .get_message_by_name(message)
        .ok_or_else(|| RoundTripError::UnknownMessage {
            side: schema.side,
            name: message.to_owned(),
            help: None,
        })?;
    let sem = std::sync::Arc::new(crate::schema::lower::semantics(schema));
    Ok(MsgType::new(&desc, &sem))
}

/// Reads `bytes` as `message` of `schema` with the round trip's reader.
pub fn inspect(schema: &Schema, message: &str, bytes: &[u8]) -> Result<Inspection, RoundTripError> {
    let ty = msg_type(schema, message)?;
    let msg = match wire::read(&ty, bytes) {
        Ok(m) => m,
        Err(e) => {
            return Ok(Inspection {
                error: Some(e.to_string()),
                tree: Value::Null,
                reencoded: None,
            })
        }
    };
    let error = msg.fatal();
    let reencoded = error.is_none().then(|| wire::write(&ty, &msg));
    Ok(Inspection {
        error,
        tree: tree(&ty, &msg),
        reencoded,
    })
}

/// Parses `text` (proto3 JSON) as `message` of `schema` the way the round
/// trip's JSON leg does (unknown keys and enum names rejected when
/// `strict`, skipped otherwise): the message read, or why it is rejected.
pub fn inspect_json(
    schema: &Schema,
    message: &str,
    text: &str,
    strict: bool,
) -> Result<Result<Value, String>, RoundTripError> {
    let ty = msg_type(schema, message)?;
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => return Ok(Err(e.to_string())),
    };
    let value = super::json::read_as(&ty.desc, &value);
    let options = DeserializeOptions::new().deny_unknown_fields(strict);
    Ok(
        match DynamicMessage::deserialize_with_options(ty.desc.clone(), value, &options) {
            Ok(m) => match wire::read(&ty, &m.encode_to_vec()) {
                Ok(msg) => Ok(tree(&ty, &msg)),
                Err(e) => Err(e.to_string()),
            },
            Err(e) => Err(e.to_string()),
        },
    )
}

/// The message as a runtime-independent tree.
pub fn tree(ty: &MsgType, m: &Msg) -> Value {
    let mut f = Map::new();
    let mut d = Map::new();
    for (n, info) in &ty.fields {
        match m.fields.get(n) {
            Some(Slot::One(v)) if !(info.implicit && wire::is_zero(v)) => {
                f.insert(n.to_string(), value(info, v));
            }
            Some(Slot::List(vs)) if !vs.is_empty() => {
                f.insert(n.to_string(), list(info, vs));
            }
            _ => {
                if !info.list && !info.map {
                    if let Some(v) = &info.default {
                        d.insert(n.to_string(), value(info, v));
                    }
                }
            }
        }
    }
    let u: Vec<Value> = m
        .unknown
        .iter()
        .map(|r| record(r.number, r.wire_type as u8, &r.payload))
        .collect();
    json!({"f": f, "d": d, "u": u})
}

fn list(info: &wire::FieldInfo, vs: &[Val]) -> Value {
    if !info.map {
        return Value::Array(vs.iter().map(|v| value(info, v)).collect());
    }
    let Kind::Message(entry) = &info.kind else {
        return Value::Null;
    };
    let ety = MsgType::new(entry, &info.sem);
    let (Some(kf), Some(vf)) = (ety.field(1), ety.field(2)) else {
        return Value::Null;
    };
    // Keys are unique (a later entry replaces an earlier one); a key or
    // value not written is its default.
    let mut entries: Vec<(String, Value)> = Vec::new();
    for e in vs {
        let Val::Msg(em) = e else { continue };
        let part = |f: &wire::FieldInfo| match em.fields.get(&f.number) {
            Some(Slot::One(v)) => value(f, v),
            _ => match &f.default {
                Some(v) => value(f, v),
                None => json!({"f": {}, "d": {}, "u": []}),
            },
        };
        let (k, v) = (part(kf), part(vf));
        let key = k.to_string();
        entries.retain(|(x, _)| *x != key);
        entries.push((key, json!([k, v])));
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    Value::Array(entries.into_iter().map(|(_, v)| v).collect())
}

fn value(info: &wire::FieldInfo, v: &Val) -> Value {
    match v {
        Val::Bool(b) => json!({"b": b}),
        Val::I32(x) => json!({"i": x.to_string()}),
        Val::I64(x) => json!({"i": x.to_string()}),
        Val::U32(x) => json!({"i": x.to_string()}),
        Val::U64(x) => json!({"i": x.to_string()}),
        Val::F32(x) => json!({"f32": format!("{:08x}", x.to_bits())}),
        Val::F64(x) => json!({"f64": format!("{:016x}", x.to_bits())}),
        Val::Str(b) => json!({"s": plain_hex(b)}),
        Val::Bytes(b) => json!({"y": plain_hex(b)}),
        Val::Enum(n) => json!({"e": n}),
        Val::Msg(m) => match wire::sub_type(info) {
            Some(t) => tree(&t, m),
            None => Value::Null,
        },
    }
}

fn record(number: u32, wire_type: u8, p: &Payload) -> Value {
    let data = match p {
        Payload::Varint(v) => json!(format!("v:{v}")),
        Payload::Fixed32(v) => json!(format!("4:{v:08x}")),
        Payload::Fixed64(v) => json!(format!("8:{v:016x}")),
        Payload::Len(b) => json!(format!("l:{}", plain_hex(b))),
        Payload::Group(b) => Value::Array(
            wire::parse(b)
                .unwrap_or_default()
                .iter()
                .map(|r| record(r.number, r.wire_type as u8, &r.payload))
                .collect(),
        ),
    };
    json!([number, wire_type, data])
}

fn plain_hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}
