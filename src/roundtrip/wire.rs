//! The wire level: records as they are in the bytes, and a reader and writer
//! driven by a message descriptor, with the semantics of protobuf's reference
//! runtimes (C++, Java, Go, Python) rather than prost's.
//!
//! The reader never gives up on a single field: a record whose wire type the
//! reader does not expect is kept as an unknown field (as the reference
//! runtimes do), and what happened is noted as an [`Event`] on the message, so
//! every field gets its own outcome. Failures that make the reference runtimes
//! reject the whole message (invalid UTF-8 in a proto3 string, a nested
//! message that does not parse, a missing required field) are events too.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use crate::schema::lower::Semantics;
use prost::encoding::{decode_key, encode_key, encode_varint, WireType};
use prost_reflect::{
    Cardinality, EnumDescriptor, ExtensionDescriptor, FieldDescriptor, Kind, MessageDescriptor,
    Syntax,
};

/// How deep groups and nested messages may go before the bytes are rejected.
const MAX_DEPTH: u32 = 64;

/// One field record as it is on the wire.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The field number of its key.
    pub number: u32,
    /// The wire type of its key.
    pub wire_type: WireType,
    /// The whole record: key, payload and, for a group, its end tag.
    pub raw: Vec<u8>,
    /// The value as the wire type carries it.
    pub payload: Payload,
}

/// A record's payload, by wire type.
#[derive(Debug, Clone, PartialEq)]
pub enum Payload {
    /// Wire type 0.
    Varint(u64),
    /// Wire type 1: the eight bytes, little-endian.
    Fixed64(u64),
    /// Wire type 5: the four bytes, little-endian.
    Fixed32(u32),
    /// Wire type 2: the bytes after the length.
    Len(Vec<u8>),
    /// The bytes between the start and the end tag.
    Group(Vec<u8>),
}

/// Bytes that are not a sequence of records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireError {
    /// Offset into the bytes that were being parsed.
    pub offset: usize,
    /// What is wrong there.
    pub reason: String,
}

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.reason, self.offset)
    }
}

/// The name of a wire type as the protobuf documentation spells it, with the
/// fixed-width types named by the scalar that uses them.
pub fn wire_name(w: WireType) -> &'static str {
    match w {
        WireType::Varint => "varint",
        WireType::SixtyFourBit => "fixed64",
        WireType::LengthDelimited => "length-delimited",
        WireType::StartGroup => "start-group",
        WireType::EndGroup => "end-group",
        WireType::ThirtyTwoBit => "fixed32",
    }
}

/// `1d 00 00 48 41`
pub fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 3);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(&format!("{b:02x}"));
    }
    s
}

fn decode_reason(e: prost::DecodeError) -> String {
    let s = e.to_string();
    s.strip_prefix("failed to decode Protobuf message: ")
        .unwrap_or(&s)
        .to_owned()
}

enum Item {
    Record(Record),
    EndGroup(u32),
}

/// Reads a varint as the reference runtimes do (C++, Java, upb): at most ten
/// bytes, bits past the 64th ignored (prost and Go reject a tenth byte over
/// 1).
fn decode_varint(s: &mut &[u8]) -> Result<u64, String> {
    let mut v: u64 = 0;
    for i in 0..10 {
        let Some(&b) = s.get(i) else {
            return Err("invalid varint".to_owned());
        };
        v |= u64::from(b & 0x7f).checked_shl(7 * i as u32).unwrap_or(0);
        if b < 0x80 {
            *s = &s[i + 1..];
            return Ok(v);
        }
    }
    Err("invalid varint".to_owned())
}

/// Splits bytes into records.
pub fn parse(buf: &[u8]) -> Result<Vec<Record>, WireError> {
    let mut pos = 0;
    let mut out = Vec::new();
    while pos < buf.len() {
        let at = pos;
        match read_item(buf, &mut pos, 0)? {
            Item::Record(r) => out.push(r),
            Item::EndGroup(n) => {
                return Err(WireError {
                    offset: at,
                    reason: format!("end-group tag for field {n} outside any group"),
                })
            }
        }
    }
    Ok(out)
}

fn read_item(buf: &[u8], pos: &mut usize, depth: u32) -> Result<Item, WireError> {
    let start = *pos;
    let mut s = &buf[*pos..];
    let before = s.len();
    let (number, wire_type) = decode_key(&mut s).map_err(|e| WireError {
        offset: start,
        reason: decode_reason(e),
    })?;
    *pos += before - s.len();
    let need = |pos: usize, n: usize| -> Result<(), WireError> {
        if buf.len() - pos < n {
            Err(WireError {
                offset: start,
                reason: format!(
                    "field {number} needs {n} more bytes, {} left",
                    buf.len() - pos
                ),
            })
        } else {
            Ok(())
        }
    };
    let varint = |pos: &mut usize| -> Result<u64, WireError> {
        let mut s = &buf[*pos..];
        let before = s.len();
        let v = decode_varint(&mut s).map_err(|e| WireError {
            offset: *pos,
            reason: format!("field {number}: {e}"),
        })?;
        *pos += before - s.len();
        Ok(v)
    };
    let payload = match wire_type {
        WireType::Varint => Payload::Varint(varint(pos)?),
        WireType::SixtyFourBit => {
            need(*pos, 8)?;
            let mut b = [0u8; 8];
            b.copy_from_slice(&buf[*pos..*pos + 8]);
            *pos += 8;
            Payload::Fixed64(u64::from_le_bytes(b))
        }
        WireType::ThirtyTwoBit => {
            need(*pos, 4)?;
            let mut b = [0u8; 4];
            b.copy_from_slice(&buf[*pos..*pos + 4]);
            *pos += 4;
            Payload::Fixed32(u32::from_le_bytes(b))
        }
        WireType::LengthDelimited => {
            let len = varint(pos)?;
            let len = usize::try_from(len).unwrap_or(usize::MAX);
            need(*pos, len)?;
            let body = buf[*pos..*pos + len].to_vec();
            *pos += len;
            Payload::Len(body)
        }
        WireType::StartGroup => {
            if depth >= MAX_DEPTH {
                return Err(WireError {
                    offset: start,
                    reason: "groups nested too deeply".to_owned(),
                });
            }
            let body_start = *pos;
            loop {
                if *pos >= buf.len() {
                    return Err(WireError {
                        offset: start,
                        reason: format!("group {number} has no end-group tag"),
                    });
                }
                let item_start = *pos;
                match read_item(buf, pos, depth + 1)? {
                    Item::Record(_) => {}
                    Item::EndGroup(n) if n == number => {
                        break Payload::Group(buf[body_start..item_start].to_vec());
                    }
                    Item::EndGroup(n) => {
                        return Err(WireError {
                            offset: item_start,
                            reason: format!("end-group tag for field {n} inside group {number}"),
                        })
                    }
                }
            }
        }
        WireType::EndGroup => return Ok(Item::EndGroup(number)),
    };
    Ok(Item::Record(Record {
        number,
        wire_type,
        raw: buf[start..*pos].to_vec(),
        payload,
    }))
}

/// A value as a reader holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    /// `bool`.
    Bool(bool),
    /// `int32`, `sint32`, `sfixed32`.
    I32(i32),
    /// `int64`, `sint64`, `sfixed64`.
    I64(i64),
    /// `uint32`, `fixed32`.
    U32(u32),
    /// `uint64`, `fixed64`.
    U64(u64),
    /// `float`.
    F32(f32),
    /// `double`.
    F64(f64),
    /// A string's bytes (a proto2 reader does not check UTF-8).
    Str(Vec<u8>),
    /// `bytes`.
    Bytes(Vec<u8>),
    /// An enum value's number.
    Enum(i32),
    /// A message or group.
    Msg(Box<Msg>),
}

/// A field's value: one, or a list (maps are lists of entry messages).
#[derive(Debug, Clone, PartialEq)]
pub enum Slot {
    /// A singular field's value.
    One(Val),
    /// A repeated or map field's values, in order.
    List(Vec<Val>),
}

/// A message as a reader holds it, with what happened while reading it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Msg {
    /// Known fields by number (the order a reference runtime writes them in).
    pub fields: BTreeMap<u32, Slot>,
    /// Records the reader keeps without understanding them, in arrival order.
    pub unknown: Vec<Record>,
    /// Every record of each number as it arrived, concatenated.
    pub raw: BTreeMap<u32, Vec<u8>>,
    /// What the reader did besides storing values, in order.
    pub events: Vec<Event>,
}

/// Something a reader did with a record other than store its value.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// The record's wire type is not the one the field's type uses; the
    /// record was kept as an unknown field.
    WireTypeMismatch {
        /// The field number.
        number: u32,
        /// The wire type that arrived.
        found: WireType,
        /// The wire type the field's type uses.
        expected: WireType,
        /// The record as it arrived.
        raw: Vec<u8>,
        /// Its payload.
        payload: Payload,
    },
    /// A closed enum does not know the value; it was kept as an unknown field.
    ClosedEnumUnknown {
        /// The field number.
        number: u32,
        /// The value the enum does not know.
        value: i32,
    },
    /// A later member of the same oneof cleared this field.
    OneofCleared {
        /// The field number.
        number: u32,
        /// The number of the member that cleared it.
        by: u32,
    },
    /// A singular field arrived several times; the last wins (messages merge).
    Repeated {
        /// The field number.
        number: u32,
        /// How many times it arrived.
        count: usize,
    },
    /// Fatal for the whole message in the reference runtimes.
    InvalidUtf8 {
        /// The field number.
        number: u32,
    },
    /// A record of the field could not be read as its type: fatal for the message.
    Malformed {
        /// The field number.
        number: u32,
        /// Why it could not be read.
        reason: String,
    },
    /// A proto2 required field is missing: fatal for the message in the reference runtimes.
    MissingRequired {
        /// The field number.
        number: u32,
        /// The field's name.
        name: String,
    },
}

impl Event {
    /// The field number the event is about.
    pub fn number(&self) -> u32 {
        match self {
            Event::WireTypeMismatch { number, .. }
            | Event::ClosedEnumUnknown { number, .. }
            | Event::OneofCleared { number, .. }
            | Event::Repeated { number, .. }
            | Event::InvalidUtf8 { number }
            | Event::Malformed { number, .. }
            | Event::MissingRequired { number, .. } => *number,
        }
    }

    /// Whether the reference runtimes reject the whole message.
    pub fn is_fatal(&self) -> bool {
        matches!(
            self,
            Event::InvalidUtf8 { .. } | Event::Malformed { .. } | Event::MissingRequired { .. }
        )
    }
}

impl Msg {
    /// Why the reference runtimes reject this message (or one nested in it).
    pub fn fatal(&self) -> Option<String> {
        self.fatal_at("")
    }

    fn fatal_at(&self, prefix: &str) -> Option<String> {
        for e in &self.events {
            let why = match e {
                Event::InvalidUtf8 { number } => {
                    format!("{prefix}field {number}: string is not valid UTF-8")
                }
                Event::Malformed { number, reason } => {
                    format!("{prefix}field {number}: not a valid message: {reason}")
                }
                Event::MissingRequired { number, name } => {
                    format!("{prefix}required field {number} (\"{name}\") is missing")
                }
                _ => continue,
            };
            return Some(why);
        }
        for (n, slot) in &self.fields {
            let vals: &[Val] = match slot {
                Slot::One(v) => std::slice::from_ref(v),
                Slot::List(v) => v,
            };
            for v in vals {
                if let Val::Msg(m) = v {
                    if let Some(w) = m.fatal_at(&format!("{prefix}field {n}: ")) {
                        return Some(w);
                    }
                }
            }
        }
        None
    }

    /// The value of the field of that number, if it was read.
    pub fn get(&self, number: u32) -> Option<&Slot> {
        self.fields.get(&number)
    }
}

/// What a reader knows about a field (regular or extension).
#[derive(Debug, Clone)]
pub struct FieldInfo {
    /// The field number.
    pub number: u32,
    /// `total`, or `[shop.gift_wrap]` for an extension.
    pub name: String,
    /// The JSON name.
    pub json_name: String,
    /// The type, as prost-reflect has it.
    pub kind: Kind,
    /// Whether it is repeated (maps too).
    pub list: bool,
    /// Whether it is a map.
    pub map: bool,
    /// Whether a writer packs it.
    pub packed: bool,
    /// A proto2 group: the value is between start- and end-group tags.
    pub group: bool,
    /// Whether it is proto2 `required`.
    pub required: bool,
    /// proto3 singular scalar without `optional`: written only when not zero.
    pub implicit: bool,
    /// The real (non-synthetic) oneof it is in.
    pub oneof: Option<String>,
    /// Strings are checked for UTF-8 when parsed (proto3).
    pub utf8: bool,
    /// Value a reader sees when the field is absent (singular non-message).
    pub default: Option<Val>,
    /// Its enum type is closed (values it does not declare become unknown
    /// fields).
    pub closed: bool,
    /// What its side's editions files decide per element.
    pub sem: Arc<Semantics>,
}

impl FieldInfo {
    /// What a reader knows about a regular field.
    pub fn of_field(fd: &FieldDescriptor, sem: &Arc<Semantics>) -> FieldInfo {
        let proto3 = fd.parent_file().syntax() == Syntax::Proto3;
        let list = fd.is_list();
        let map = fd.is_map();
        let oneof = fd
            .containing_oneof()
            .filter(|o| !o.is_synthetic())
            .map(|o| o.name().to_owned());
        let kind = fd.kind();
        FieldInfo {
            number: fd.number(),
            name: fd.name().to_owned(),
            json_name: fd.json_name().to_owned(),
            list,
            map,
            packed: packed(fd.field_descriptor_proto(), &kind, list, proto3),
            group: fd.is_group(),
            required: fd.cardinality() == Cardinality::Required,
            implicit: !list
                && !map
                && sem
                    .implicit
                    .get(fd.full_name())
                    .copied()
                    .unwrap_or(!fd.supports_presence()),
            oneof,
            utf8: sem.utf8.get(fd.full_name()).copied().unwrap_or(proto3),
            default: (!list && !map)
                .then(|| from_reflect(&fd.default_value()))
                .flatten(),
            closed: matches!(&kind, Kind::Enum(e) if sem.is_closed(e)),
            kind,
            sem: sem.clone(),
        }
    }

    /// What a reader knows about an extension.
    pub fn of_extension(xd: &ExtensionDescriptor, sem: &Arc<Semantics>) -> FieldInfo {
        let proto3 = xd.parent_file().syntax() == Syntax::Proto3;
        let list = xd.is_list();
        let map = xd.is_map();
        let kind = xd.kind();
        FieldInfo {
            number: xd.number(),
            name: format!("[{}]", xd.full_name()),
            json_name: format!("[{}]", xd.full_name()),
            list,
            map,
            packed: packed(xd.field_descriptor_proto(), &kind, list, proto3),
            group: xd.is_group(),
            required: false,
            implicit: false,
            oneof: None,
            utf8: sem.utf8.get(xd.full_name()).copied().unwrap_or(proto3),
            default: (!list && !map)
                .then(|| from_reflect(&xd.default_value()))
                .flatten(),
            closed: matches!(&kind, Kind::Enum(e) if sem.is_closed(e)),
            kind,
            sem: sem.clone(),
        }
    }

    /// The message type of a message, group or map field, read with this
    /// field's side's semantics.
    pub fn message_type(&self) -> Option<MsgType> {
        match &self.kind {
            Kind::Message(m) => Some(MsgType::new(m, &self.sem)),
            _ => None,
        }
    }

    /// The wire type values of this field's type use.
    pub fn wire_type(&self) -> WireType {
        if self.group {
            WireType::StartGroup
        } else {
            kind_wire_type(&self.kind)
        }
    }

    /// Whether its type may be packed (repeated scalars and enums).
    pub fn is_packable(&self) -> bool {
        self.list && !matches!(self.kind, Kind::String | Kind::Bytes | Kind::Message(_))
    }

    /// `float`, `int64`, `shop.Money`, `map<string, int32>`, `repeated string`.
    pub fn type_display(&self) -> String {
        if self.map {
            if let Kind::Message(entry) = &self.kind {
                let k = entry.get_field(1).map(|f| kind_name(&f.kind()));
                let v = entry.get_field(2).map(|f| kind_name(&f.kind()));
                if let (Some(k), Some(v)) = (k, v) {
                    return format!("map<{k}, {v}>");
                }
            }
        }
        let base = kind_name(&self.kind);
        if self.list {
            format!("repeated {base}")
        } else {
            base
        }
    }

    /// Its enum, when that enum is closed.
    pub fn closed_enum(&self) -> Option<EnumDescriptor> {
        match &self.kind {
            Kind::Enum(e) if self.closed => Some(e.clone()),
            _ => None,
        }
    }
}

/// Whether a list is written packed: `[packed = …]`, else the syntax's
/// default (proto3 packs). Read from the descriptor rather than
/// `FieldDescriptor::is_packed`, which in a protox-built pool ignores an
/// explicit `[packed = false]` (prost-reflect 0.16 with protox 0.10).
fn packed(
    proto: &prost_types::FieldDescriptorProto,
    kind: &Kind,
    list: bool,
    proto3: bool,
) -> bool {
    let packable = !matches!(kind, Kind::String | Kind::Bytes | Kind::Message(_));
    list && packable
        && proto
            .options
            .as_ref()
            .and_then(|o| o.packed)
            .unwrap_or(proto3)
}

/// The wire type a kind's values use (a group field says so itself).
pub fn kind_wire_type(k: &Kind) -> WireType {
    match k {
        Kind::Double | Kind::Fixed64 | Kind::Sfixed64 => WireType::SixtyFourBit,
        Kind::Float | Kind::Fixed32 | Kind::Sfixed32 => WireType::ThirtyTwoBit,
        Kind::String | Kind::Bytes | Kind::Message(_) => WireType::LengthDelimited,
        _ => WireType::Varint,
    }
}

/// `int64`, `shop.Money`, `shop.Status`.
pub fn kind_name(k: &Kind) -> String {
    match k {
        Kind::Double => "double".into(),
        Kind::Float => "float".into(),
        Kind::Int32 => "int32".into(),
        Kind::Int64 => "int64".into(),
        Kind::Uint32 => "uint32".into(),
        Kind::Uint64 => "uint64".into(),
        Kind::Sint32 => "sint32".into(),
        Kind::Sint64 => "sint64".into(),
        Kind::Fixed32 => "fixed32".into(),
        Kind::Fixed64 => "fixed64".into(),
        Kind::Sfixed32 => "sfixed32".into(),
        Kind::Sfixed64 => "sfixed64".into(),
        Kind::Bool => "bool".into(),
        Kind::String => "string".into(),
        Kind::Bytes => "bytes".into(),
        Kind::Message(m) => m.full_name().to_owned(),
        Kind::Enum(e) => e.full_name().to_owned(),
    }
}

fn from_reflect(v: &prost_reflect::Value) -> Option<Val> {
    use prost_reflect::Value as V;
    Some(match v {
        V::Bool(b) => Val::Bool(*b),
        V::I32(x) => Val::I32(*x),
        V::I64(x) => Val::I64(*x),
        V::U32(x) => Val::U32(*x),
        V::U64(x) => Val::U64(*x),
        V::F32(x) => Val::F32(*x),
        V::F64(x) => Val::F64(*x),
        V::String(s) => Val::Str(s.as_bytes().to_vec()),
        V::Bytes(b) => Val::Bytes(b.to_vec()),
        V::EnumNumber(n) => Val::Enum(*n),
        V::Message(_) | V::List(_) | V::Map(_) => return None,
    })
}

/// A message type as a reader or writer sees it: its fields and the
/// extensions its pool knows, by number.
#[derive(Debug, Clone)]
pub struct MsgType {
    /// The message's descriptor.
    pub desc: MessageDescriptor,
    /// Its fields and the extensions its pool knows, by number.
    pub fields: BTreeMap<u32, FieldInfo>,
    /// What its side's editions files decide per element.
    pub sem: Arc<Semantics>,
}

impl MsgType {
    /// The type of `desc`, with its side's semantics.
    pub fn new(desc: &MessageDescriptor, sem: &Arc<Semantics>) -> MsgType {
        let mut fields = BTreeMap::new();
        for f in desc.fields() {
            fields.insert(f.number(), FieldInfo::of_field(&f, sem));
        }
        for x in desc.extensions() {
            fields
                .entry(x.number())
                .or_insert_with(|| FieldInfo::of_extension(&x, sem));
        }
        MsgType {
            desc: desc.clone(),
            fields,
            sem: sem.clone(),
        }
    }

    /// Another message type of the same side.
    pub fn sibling(&self, desc: &MessageDescriptor) -> MsgType {
        MsgType::new(desc, &self.sem)
    }

    /// The field or extension of that number.
    pub fn field(&self, number: u32) -> Option<&FieldInfo> {
        self.fields.get(&number)
    }

    /// The message's full name.
    pub fn full_name(&self) -> &str {
        self.desc.full_name()
    }

    /// Whether its file is proto3.
    pub fn is_proto3(&self) -> bool {
        self.desc.parent_file().syntax() == Syntax::Proto3
    }
}

/// The message type of a message or group field.
pub fn sub_type(f: &FieldInfo) -> Option<MsgType> {
    f.message_type()
}

/// Reads bytes as `ty`, the way a reference runtime does (see the module
/// doc). Fails only when the bytes are not records at all.
pub fn read(ty: &MsgType, bytes: &[u8]) -> Result<Msg, WireError> {
    read_depth(ty, bytes, 0)
}

fn read_depth(ty: &MsgType, bytes: &[u8], depth: u32) -> Result<Msg, WireError> {
    let records = parse(bytes)?;
    let mut msg = Msg::default();
    let mut seen: BTreeMap<u32, usize> = BTreeMap::new();
    for rec in records {
        msg.raw
            .entry(rec.number)
            .or_default()
            .extend_from_slice(&rec.raw);
        let Some(f) = ty.field(rec.number) else {
            msg.unknown.push(rec);
            continue;
        };
        let expected = f.wire_type();
        let packed_ok = f.is_packable() && rec.wire_type == WireType::LengthDelimited;
        if rec.wire_type != expected && !packed_ok {
            msg.events.push(Event::WireTypeMismatch {
                number: rec.number,
                found: rec.wire_type,
                expected,
                raw: rec.raw.clone(),
                payload: rec.payload.clone(),
            });
            msg.unknown.push(rec);
            continue;
        }
        *seen.entry(rec.number).or_default() += 1;
        // Values carried by this record.
        let mut values = Vec::new();
        if packed_ok {
            if let Payload::Len(body) = &rec.payload {
                match unpack(f, body) {
                    Ok(v) => values = v,
                    Err(reason) => {
                        msg.events.push(Event::Malformed {
                            number: rec.number,
                            reason,
                        });
                        continue;
                    }
                }
            }
        } else {
            match scalar(f, &rec.payload, depth, &mut msg.events, rec.number) {
                Some(v) => values.push(v),
                None => continue,
            }
        }
        // A map entry with anything it keeps as an unknown field (a value a
        // closed enum does not know, a key or value of another wire type)
        // goes to the unknown fields whole, as upb (Google's runtime behind
        // Python, PHP and Ruby) and, for closed enums, every reference
        // runtime does.
        if f.map {
            if let Some(Val::Msg(entry)) = values.first() {
                if !entry.unknown.is_empty() {
                    let event = entry.events.iter().find_map(|e| match e {
                        Event::ClosedEnumUnknown { value, .. } => Some(Event::ClosedEnumUnknown {
                            number: rec.number,
                            value: *value,
                        }),
                        Event::WireTypeMismatch {
                            found,
                            expected,
                            payload,
                            ..
                        } => Some(Event::WireTypeMismatch {
                            number: rec.number,
                            found: *found,
                            expected: *expected,
                            raw: rec.raw.clone(),
                            payload: payload.clone(),
                        }),
                        _ => None,
                    });
                    msg.events.extend(event);
                    msg.unknown.push(rec);
                    continue;
                }
            }
        }
        // Closed enums keep values they do not know as unknown fields.
        if let Some(e) = f.closed_enum() {
            // The varints as they came, one per value: an unknown value is
            // kept as its whole varint (as the reference runtimes keep it).
            let varints: Vec<u64> = match &rec.payload {
                Payload::Varint(u) => vec![*u],
                Payload::Len(body) => {
                    let mut s = body.as_slice();
                    std::iter::from_fn(|| {
                        (!s.is_empty())
                            .then(|| decode_varint(&mut s).ok())
                            .flatten()
                    })
                    .collect()
                }
                _ => Vec::new(),
            };
            let mut known = Vec::new();
            for (i, v) in values.into_iter().enumerate() {
                let n = match v {
                    Val::Enum(n) if e.get_value(n).is_none() => n,
                    v => {
                        known.push(v);
                        continue;
                    }
                };
                msg.events.push(Event::ClosedEnumUnknown {
                    number: rec.number,
                    value: n,
                });
                let varint = varints.get(i).copied().unwrap_or(n as i64 as u64);
                let mut raw = Vec::new();
                encode_key(rec.number, WireType::Varint, &mut raw);
                encode_varint(varint, &mut raw);
                msg.unknown.push(Record {
                    number: rec.number,
                    wire_type: WireType::Varint,
                    raw,
                    payload: Payload::Varint(varint),
                });
            }
            values = known;
            if values.is_empty() {
                continue;
            }
        }
        store(ty, f, &mut msg, values);
    }
    for (&number, &count) in &seen {
        if count > 1 {
            if let Some(f) = ty.field(number) {
                if !f.list && !f.map {
                    msg.events.push(Event::Repeated { number, count });
                }
            }
        }
    }
    for f in ty.fields.values() {
        if f.required && !msg.fields.contains_key(&f.number) {
            msg.events.push(Event::MissingRequired {
                number: f.number,
                name: f.name.clone(),
            });
        }
    }
    Ok(msg)
}

fn store(ty: &MsgType, f: &FieldInfo, msg: &mut Msg, values: Vec<Val>) {
    if f.list || f.map {
        let list = match msg.fields.entry(f.number).or_insert(Slot::List(Vec::new())) {
            Slot::List(l) => l,
            slot => {
                *slot = Slot::List(Vec::new());
                match slot {
                    Slot::List(l) => l,
                    Slot::One(_) => unreachable!(),
                }
            }
        };
        if f.map {
            // A later entry with the same key replaces the earlier one.
            for v in values {
                let key = match &v {
                    Val::Msg(m) => m.fields.get(&1).cloned(),
                    _ => None,
                };
                if let Some(pos) = list
                    .iter()
                    .position(|e| matches!(e, Val::Msg(m) if m.fields.get(&1).cloned() == key))
                {
                    list[pos] = v;
                } else {
                    list.push(v);
                }
            }
        } else {
            list.extend(values);
        }
        return;
    }
    let Some(v) = values.into_iter().last() else {
        return;
    };
    // A oneof member clears the other members that were set before it.
    if let Some(o) = &f.oneof {
        let others: Vec<u32> = ty
            .fields
            .values()
            .filter(|g| g.number != f.number && g.oneof.as_ref() == Some(o))
            .map(|g| g.number)
            .filter(|n| msg.fields.contains_key(n))
            .collect();
        for n in others {
            msg.fields.remove(&n);
            msg.events.push(Event::OneofCleared {
                number: n,
                by: f.number,
            });
        }
    }
    let merged = match (msg.fields.remove(&f.number), v) {
        // Occurrences of a singular message field merge.
        (Some(Slot::One(Val::Msg(mut a))), Val::Msg(b)) => {
            merge(&mut a, *b);
            Val::Msg(a)
        }
        (_, v) => v,
    };
    msg.fields.insert(f.number, Slot::One(merged));
}

/// Protobuf's merge: scalars of `b` replace, lists append, messages merge.
fn merge(a: &mut Msg, b: Msg) {
    for (n, slot) in b.fields {
        match (a.fields.remove(&n), slot) {
            (Some(Slot::List(mut x)), Slot::List(y)) => {
                x.extend(y);
                a.fields.insert(n, Slot::List(x));
            }
            (Some(Slot::One(Val::Msg(mut x))), Slot::One(Val::Msg(y))) => {
                merge(&mut x, *y);
                a.fields.insert(n, Slot::One(Val::Msg(x)));
            }
            (_, s) => {
                a.fields.insert(n, s);
            }
        }
    }
    a.unknown.extend(b.unknown);
    for (n, r) in b.raw {
        a.raw.entry(n).or_default().extend(r);
    }
    a.events.extend(b.events);
}

fn unpack(f: &FieldInfo, body: &[u8]) -> Result<Vec<Val>, String> {
    let mut out = Vec::new();
    let mut s = body;
    while !s.is_empty() {
        let payload = match f.wire_type() {
            WireType::Varint => Payload::Varint(decode_varint(&mut s)?),
            WireType::ThirtyTwoBit => {
                if s.len() < 4 {
                    return Err("packed fixed32 values end early".to_owned());
                }
                let mut b = [0u8; 4];
                b.copy_from_slice(&s[..4]);
                s = &s[4..];
                Payload::Fixed32(u32::from_le_bytes(b))
            }
            WireType::SixtyFourBit => {
                if s.len() < 8 {
                    return Err("packed fixed64 values end early".to_owned());
                }
                let mut b = [0u8; 8];
                b.copy_from_slice(&s[..8]);
                s = &s[8..];
                Payload::Fixed64(u64::from_le_bytes(b))
            }
            _ => return Err("not a packable type".to_owned()),
        };
        if let Some(v) = number_value(&f.kind, &payload) {
            out.push(v);
        }
    }
    Ok(out)
}

/// A numeric payload read as `kind`, with the truncation rules of the
/// reference runtimes (a varint read as a 32-bit type keeps its low 32 bits).
pub fn number_value(kind: &Kind, p: &Payload) -> Option<Val> {
    Some(match (kind, p) {
        (Kind::Int32, Payload::Varint(v)) => Val::I32(*v as i32),
        (Kind::Int64, Payload::Varint(v)) => Val::I64(*v as i64),
        (Kind::Uint32, Payload::Varint(v)) => Val::U32(*v as u32),
        (Kind::Uint64, Payload::Varint(v)) => Val::U64(*v),
        (Kind::Sint32, Payload::Varint(v)) => {
            let n = *v as u32;
            Val::I32(((n >> 1) as i32) ^ -((n & 1) as i32))
        }
        (Kind::Sint64, Payload::Varint(v)) => Val::I64(((v >> 1) as i64) ^ -((v & 1) as i64)),
        (Kind::Bool, Payload::Varint(v)) => Val::Bool(*v != 0),
        (Kind::Enum(_), Payload::Varint(v)) => Val::Enum(*v as i32),
        (Kind::Fixed32, Payload::Fixed32(v)) => Val::U32(*v),
        (Kind::Sfixed32, Payload::Fixed32(v)) => Val::I32(*v as i32),
        (Kind::Float, Payload::Fixed32(v)) => Val::F32(f32::from_bits(*v)),
        (Kind::Fixed64, Payload::Fixed64(v)) => Val::U64(*v),
        (Kind::Sfixed64, Payload::Fixed64(v)) => Val::I64(*v as i64),
        (Kind::Double, Payload::Fixed64(v)) => Val::F64(f64::from_bits(*v)),
        _ => return None,
    })
}

fn scalar(
    f: &FieldInfo,
    p: &Payload,
    depth: u32,
    events: &mut Vec<Event>,
    number: u32,
) -> Option<Val> {
    match (&f.kind, p) {
        (Kind::String, Payload::Len(b)) => {
            if f.utf8 && std::str::from_utf8(b).is_err() {
                events.push(Event::InvalidUtf8 { number });
            }
            Some(Val::Str(b.clone()))
        }
        (Kind::Bytes, Payload::Len(b)) => Some(Val::Bytes(b.clone())),
        (Kind::Message(m), Payload::Len(b) | Payload::Group(b)) => {
            if depth >= MAX_DEPTH {
                events.push(Event::Malformed {
                    number,
                    reason: "messages nested too deeply".to_owned(),
                });
                return None;
            }
            match read_depth(&MsgType::new(m, &f.sem), b, depth + 1) {
                Ok(inner) => Some(Val::Msg(Box::new(inner))),
                Err(e) => {
                    events.push(Event::Malformed {
                        number,
                        reason: e.to_string(),
                    });
                    None
                }
            }
        }
        (k, p) => number_value(k, p),
    }
}

/// Whether a value is its type's zero (not written under implicit presence).
pub fn is_zero(v: &Val) -> bool {
    match v {
        Val::Bool(b) => !b,
        Val::I32(x) => *x == 0,
        Val::I64(x) => *x == 0,
        Val::U32(x) => *x == 0,
        Val::U64(x) => *x == 0,
        Val::F32(x) => x.to_bits() == 0,
        Val::F64(x) => x.to_bits() == 0,
        Val::Str(b) | Val::Bytes(b) => b.is_empty(),
        Val::Enum(n) => *n == 0,
        Val::Msg(_) => false,
    }
}

/// Writes a message the way a reference runtime serializes it: known fields
/// in number order, then the unknown fields as they arrived.
pub fn write(ty: &MsgType, msg: &Msg) -> Vec<u8> {
    let mut out = Vec::new();
    write_into(ty, msg, &mut out);
    out
}

fn write_into(ty: &MsgType, msg: &Msg, out: &mut Vec<u8>) {
    for (&n, slot) in &msg.fields {
        let Some(f) = ty.field(n) else { continue };
        match slot {
            Slot::One(v) => {
                if f.implicit && is_zero(v) {
                    continue;
                }
                write_value(f, n, v, out);
            }
            Slot::List(vs) => {
                if vs.is_empty() {
                    continue;
                }
                if f.packed && f.is_packable() {
                    let mut body = Vec::new();
                    for v in vs {
                        write_payload(&f.kind, v, &mut body);
                    }
                    encode_key(n, WireType::LengthDelimited, out);
                    encode_varint(body.len() as u64, out);
                    out.extend_from_slice(&body);
                } else {
                    for v in vs {
                        write_value(f, n, v, out);
                    }
                }
            }
        }
    }
    for r in &msg.unknown {
        out.extend_from_slice(&r.raw);
    }
}

fn write_value(f: &FieldInfo, n: u32, v: &Val, out: &mut Vec<u8>) {
    if let Val::Msg(m) = v {
        let Some(sub) = sub_type(f) else { return };
        let mut body = Vec::new();
        if f.map {
            // A map entry always carries its key and value, zero or not
            // (as the reference runtimes write it).
            for k in [1, 2] {
                let Some(kf) = sub.field(k) else { continue };
                let value = match (m.fields.get(&k), &kf.default) {
                    (Some(Slot::One(x)), _) => x.clone(),
                    (_, Some(d)) => d.clone(),
                    _ => Val::Msg(Box::default()),
                };
                write_value(kf, k, &value, &mut body);
            }
        } else {
            write_into(&sub, m, &mut body);
        }
        if f.group {
            encode_key(n, WireType::StartGroup, out);
            out.extend_from_slice(&body);
            encode_key(n, WireType::EndGroup, out);
        } else {
            encode_key(n, WireType::LengthDelimited, out);
            encode_varint(body.len() as u64, out);
            out.extend_from_slice(&body);
        }
        return;
    }
    encode_key(n, f.wire_type(), out);
    write_payload(&f.kind, v, out);
}

/// The value as a 64-bit two's complement pattern (floats: their bits).
fn bits(v: &Val) -> u64 {
    match v {
        Val::Bool(b) => u64::from(*b),
        Val::I32(x) | Val::Enum(x) => *x as i64 as u64,
        Val::I64(x) => *x as u64,
        Val::U32(x) => u64::from(*x),
        Val::U64(x) => *x,
        Val::F32(x) => u64::from(x.to_bits()),
        Val::F64(x) => x.to_bits(),
        Val::Str(_) | Val::Bytes(_) | Val::Msg(_) => 0,
    }
}

/// A value's payload (no key) as `kind` encodes it.
fn write_payload(kind: &Kind, v: &Val, out: &mut Vec<u8>) {
    let b = bits(v);
    match kind {
        Kind::Sint32 => {
            let x = b as i32;
            encode_varint(u64::from(((x << 1) ^ (x >> 31)) as u32), out)
        }
        Kind::Sint64 => {
            let x = b as i64;
            encode_varint(((x << 1) ^ (x >> 63)) as u64, out)
        }
        Kind::Fixed32 | Kind::Sfixed32 | Kind::Float => {
            out.extend_from_slice(&(b as u32).to_le_bytes())
        }
        Kind::Fixed64 | Kind::Sfixed64 | Kind::Double => out.extend_from_slice(&b.to_le_bytes()),
        Kind::String | Kind::Bytes => {
            if let Val::Str(x) | Val::Bytes(x) = v {
                encode_varint(x.len() as u64, out);
                out.extend_from_slice(x);
            }
        }
        Kind::Message(_) => {}
        _ => encode_varint(b, out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_split_with_groups_and_raw_bytes() {
        // 1: varint 150; 2: group { 3: "hi" }; 5: fixed32
        let bytes = [
            0x08, 0x96, 0x01, 0x13, 0x1a, 0x02, b'h', b'i', 0x14, 0x2d, 1, 2, 3, 4,
        ];
        let recs = parse(&bytes).unwrap();
        assert_eq!(recs.len(), 3);
        assert_eq!(recs[0].payload, Payload::Varint(150));
        assert_eq!(recs[1].wire_type, WireType::StartGroup);
        assert_eq!(
            recs[1].payload,
            Payload::Group(vec![0x1a, 0x02, b'h', b'i'])
        );
        assert_eq!(recs[1].raw, bytes[3..9]);
        assert_eq!(recs[2].payload, Payload::Fixed32(0x0403_0201));
    }

    #[test]
    fn malformed_bytes_say_where() {
        let e = parse(&[0x08, 0x96, 0x01, 0x12, 0x05, b'a']).unwrap_err();
        assert_eq!(
            e.to_string(),
            "field 2 needs 5 more bytes, 1 left at byte 3"
        );
        let e = parse(&[0x08, 0x96, 0x0a, 0x05]).unwrap_err();
        assert_eq!(e.to_string(), "invalid tag value: 0 at byte 3");
        let e = parse(&[0x13, 0x1c]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "end-group tag for field 3 inside group 2 at byte 1"
        );
        let e = parse(&[0x13]).unwrap_err();
        assert_eq!(e.to_string(), "group 2 has no end-group tag at byte 0");
        let e = parse(&[0x0c]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "end-group tag for field 1 outside any group at byte 0"
        );
        assert!(
            parse(&[0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])
                .is_err()
        );
        let deep = vec![0x0b; 100];
        assert!(parse(&deep)
            .unwrap_err()
            .reason
            .contains("nested too deeply"));
    }

    #[test]
    fn numbers_are_read_as_the_reference_runtimes_do() {
        let v = |k: Kind, p: Payload| number_value(&k, &p).unwrap();
        let minus5 = Payload::Varint(-5i64 as u64);
        assert_eq!(v(Kind::Int32, minus5.clone()), Val::I32(-5));
        assert_eq!(v(Kind::Uint32, minus5.clone()), Val::U32(4_294_967_291));
        assert_eq!(v(Kind::Sint32, minus5.clone()), Val::I32(-2_147_483_646));
        assert_eq!(v(Kind::Bool, minus5), Val::Bool(true));
        assert_eq!(
            v(Kind::Int32, Payload::Varint(5_000_000_000)),
            Val::I32(705_032_704)
        );
        assert_eq!(v(Kind::Sint64, Payload::Varint(13)), Val::I64(-7));
        assert_eq!(
            v(Kind::Fixed32, Payload::Fixed32(0x4148_0000)),
            Val::U32(1_095_237_632)
        );
        assert_eq!(
            v(Kind::Float, Payload::Fixed32(0x4148_0000)),
            Val::F32(12.5)
        );
        assert_eq!(number_value(&Kind::Int32, &Payload::Fixed32(1)), None);
    }

    #[test]
    fn zigzag_and_fixed_values_are_written_by_kind() {
        let mut out = Vec::new();
        write_payload(&Kind::Sint32, &Val::I32(-7), &mut out);
        write_payload(&Kind::Sint64, &Val::I64(-7), &mut out);
        write_payload(&Kind::Sfixed32, &Val::I32(-9), &mut out);
        write_payload(&Kind::Int32, &Val::I32(-1), &mut out);
        assert_eq!(hex(&out), "0d 0d f7 ff ff ff ff ff ff ff ff ff ff ff ff 01");
    }
}
