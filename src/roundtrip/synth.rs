//! Deterministic sample messages: every field set with a value that shows
//! what a reader does with it (negative numbers, values past 32 bits,
//! non-ASCII strings, bytes that are not UTF-8, an enum value the reader does
//! not know), each oneof case in turn, and a message with only the required
//! fields set (so proto2 defaults and required fields show). A seeded random
//! mode gives arbitrary messages for property tests.

use prost_reflect::Kind;

use super::wire::{FieldInfo, Msg, MsgType, Slot, Val};

/// A writer's message with a name for reports.
#[derive(Debug, Clone)]
pub struct Synthesized {
    /// What the sample is, for reports (`every field`, `required fields only`).
    pub name: String,
    /// The message.
    pub msg: Msg,
}

/// How deep nested messages are filled in.
const MAX_NESTING: usize = 3;

/// The samples a writer of `writer` produces; `reader` (the same type in the
/// other version) steers the choice of enum values toward ones it lacks.
pub fn samples(writer: &MsgType, reader: Option<&MsgType>) -> Vec<Synthesized> {
    let cases = oneof_cases(writer);
    let mut out = Vec::new();
    for k in 0..cases.max(1) {
        let msg = fill(
            writer,
            reader,
            k,
            0,
            &mut vec![writer.full_name().to_owned()],
        );
        let name = if cases <= 1 {
            "every field".to_owned()
        } else {
            let chosen: Vec<String> = oneofs(writer)
                .iter()
                .map(|(o, members)| format!("{o} = {}", members[k.min(members.len() - 1)].name))
                .collect();
            format!("every field, {}", chosen.join(", "))
        };
        out.push(Synthesized { name, msg });
    }
    if needs_minimal(writer) || reader.is_some_and(needs_minimal) {
        out.push(Synthesized {
            name: "required fields only".to_owned(),
            msg: minimal(writer, &mut vec![writer.full_name().to_owned()]),
        });
    }
    if let Some(msg) = reader.and_then(|r| not_utf8(writer, r)) {
        out.push(Synthesized {
            name: "strings that are not UTF-8".to_owned(),
            msg,
        });
    }
    out
}

/// A message whose strings that the writer does not check for UTF-8, but
/// the reader does, hold bytes that are not UTF-8 (a proto2 or editions
/// `utf8_validation = NONE` writer can produce them); `None` if there are no
/// such strings.
fn not_utf8(writer: &MsgType, reader: &MsgType) -> Option<Msg> {
    let mut msg = minimal(writer, &mut vec![writer.full_name().to_owned()]);
    let mut oneofs_set = Vec::new();
    let mut any = false;
    for f in writer.fields.values() {
        let checked_by_reader = reader
            .field(f.number)
            .is_some_and(|r| matches!(r.kind, Kind::String) && r.utf8);
        if !matches!(f.kind, Kind::String) || f.utf8 || f.map || !checked_by_reader {
            continue;
        }
        if let Some(o) = &f.oneof {
            if oneofs_set.contains(o) {
                continue;
            }
            oneofs_set.push(o.clone());
        }
        let v = Val::Str(b"\xff\xfe not UTF-8".to_vec());
        let slot = if f.list {
            Slot::List(vec![v])
        } else {
            Slot::One(v)
        };
        msg.fields.insert(f.number, slot);
        any = true;
    }
    any.then_some(msg)
}

/// proto2 messages (and editions messages with required fields) have
/// defaults and required fields worth a sample of their own.
fn needs_minimal(t: &MsgType) -> bool {
    !t.is_proto3() || t.fields.values().any(|f| f.required)
}

/// The real oneofs of a message with their members in number order.
fn oneofs(t: &MsgType) -> Vec<(String, Vec<&FieldInfo>)> {
    let mut v: Vec<(String, Vec<&FieldInfo>)> = Vec::new();
    for f in t.fields.values() {
        if let Some(o) = &f.oneof {
            match v.iter_mut().find(|(n, _)| n == o) {
                Some((_, m)) => m.push(f),
                None => v.push((o.clone(), vec![f])),
            }
        }
    }
    v
}

fn oneof_cases(t: &MsgType) -> usize {
    oneofs(t).iter().map(|(_, m)| m.len()).max().unwrap_or(1)
}

/// Every field of `t` set; `base` varies the values (elements of a list of
/// messages differ from each other).
fn fill(
    t: &MsgType,
    reader: Option<&MsgType>,
    case: usize,
    base: usize,
    stack: &mut Vec<String>,
) -> Msg {
    let mut msg = Msg::default();
    let groups = oneofs(t);
    for f in t.fields.values() {
        if let Some(o) = &f.oneof {
            // `oneofs` groups every field of a oneof, so the group exists.
            let Some((_, members)) = groups.iter().find(|(n, _)| n == o) else {
                continue;
            };
            let chosen = members.get(case.min(members.len().saturating_sub(1)));
            if chosen.is_none_or(|m| m.number != f.number) {
                continue;
            }
        }
        let rf = reader.and_then(|r| r.field(f.number));
        if let Some(slot) = field_value(f, rf, case, base, stack) {
            msg.fields.insert(f.number, slot);
        }
    }
    msg
}

fn minimal(t: &MsgType, stack: &mut Vec<String>) -> Msg {
    let mut msg = Msg::default();
    for f in t.fields.values().filter(|f| f.required) {
        let v = match &f.kind {
            Kind::Message(m) => {
                if stack.iter().any(|s| s == m.full_name()) {
                    continue;
                }
                stack.push(m.full_name().to_owned());
                let inner = minimal(&t.sibling(m), stack);
                stack.pop();
                Val::Msg(Box::new(inner))
            }
            k => scalar(k, &f.name, f.number, 0),
        };
        msg.fields.insert(f.number, Slot::One(v));
    }
    msg
}

fn field_value(
    f: &FieldInfo,
    reader: Option<&FieldInfo>,
    case: usize,
    base: usize,
    stack: &mut Vec<String>,
) -> Option<Slot> {
    if let Kind::Message(m) = &f.kind {
        if f.map {
            let key = m.get_field(1)?.kind();
            let value = FieldInfo::of_field(&m.get_field(2)?, &f.sem);
            let reader_value = reader.and_then(|r| match &r.kind {
                Kind::Message(rm) if r.map => {
                    rm.get_field(2).map(|v| FieldInfo::of_field(&v, &r.sem))
                }
                _ => None,
            });
            // The entries' enum values are chosen as a list's elements are.
            let values = match &value.kind {
                Kind::Enum(en) => {
                    let as_list = FieldInfo {
                        list: true,
                        ..value.clone()
                    };
                    enum_values(en, reader_value.as_ref(), &as_list)
                }
                _ => Vec::new(),
            };
            let mut entries = Vec::new();
            for i in 0..2 {
                let mut e = Msg::default();
                e.fields.insert(1, Slot::One(scalar(&key, "key", 1, i)));
                let v = match &value.kind {
                    Kind::Message(_) => single(&value, None, case, stack, base + i)?,
                    Kind::Enum(_) => {
                        Val::Enum(values.get(i).or(values.first()).copied().unwrap_or(0))
                    }
                    k => scalar(k, &f.name, 2, base + i),
                };
                e.fields.insert(2, Slot::One(v));
                entries.push(Val::Msg(Box::new(e)));
            }
            return Some(Slot::List(entries));
        }
        if stack.len() > MAX_NESTING || stack.iter().any(|s| s == m.full_name()) {
            return None;
        }
    }
    if f.list {
        let n = match &f.kind {
            Kind::Message(_) => 2,
            Kind::Enum(e) => enum_values(e, reader, f).len(),
            _ => 3,
        };
        let mut vs = Vec::new();
        for i in 0..n {
            vs.push(single(f, reader, case, stack, base + i)?);
        }
        return Some(Slot::List(vs));
    }
    single(f, reader, case, stack, base).map(Slot::One)
}

fn single(
    f: &FieldInfo,
    reader: Option<&FieldInfo>,
    case: usize,
    stack: &mut Vec<String>,
    i: usize,
) -> Option<Val> {
    Some(match &f.kind {
        Kind::Message(m) => {
            if stack.len() > MAX_NESTING || stack.iter().any(|s| s == m.full_name()) {
                return None;
            }
            stack.push(m.full_name().to_owned());
            let reader_type = reader.and_then(FieldInfo::message_type);
            let inner = fill(
                &MsgType::new(m, &f.sem),
                reader_type.as_ref(),
                case,
                i,
                stack,
            );
            stack.pop();
            Val::Msg(Box::new(inner))
        }
        Kind::Enum(e) => {
            let values = enum_values(e, reader, f);
            if f.list {
                Val::Enum(values[i % values.len()])
            } else {
                Val::Enum(values[0])
            }
        }
        k => scalar(k, &f.name, f.number, i),
    })
}

/// The enum numbers to write, most telling first: one the reader does not
/// know if there is one; for an open enum a number nobody declared when the
/// reader's enum is closed (or for lists, always); then the declared values.
fn enum_values(
    e: &prost_reflect::EnumDescriptor,
    reader: Option<&FieldInfo>,
    f: &FieldInfo,
) -> Vec<i32> {
    let mut declared: Vec<i32> = Vec::new();
    for v in e.values() {
        if !declared.contains(&v.number()) {
            declared.push(v.number());
        }
    }
    let reader_enum = reader.and_then(|r| match &r.kind {
        Kind::Enum(re) => Some(re.clone()),
        _ => None,
    });
    let open = !f.closed;
    // A number neither side declares.
    let reader_max = reader_enum
        .as_ref()
        .and_then(|re| re.values().map(|v| v.number()).max())
        .unwrap_or(0);
    let undeclared = declared
        .iter()
        .max()
        .copied()
        .unwrap_or(0)
        .max(reader_max)
        .saturating_add(1);
    let reader_closed = reader.is_some_and(|r| reader_enum.is_some() && r.closed);
    let mut out = Vec::new();
    if let Some(re) = &reader_enum {
        if let Some(&n) = declared.iter().find(|&&n| re.get_value(n).is_none()) {
            out.push(n);
        }
    }
    if open && (reader_closed || f.list) {
        out.push(undeclared);
    }
    // The last declared value is usually a non-default one.
    for &n in declared.iter().rev() {
        if !out.contains(&n) {
            out.push(n);
        }
    }
    // A zero is not written under implicit presence: an open enum with no
    // other value writes a number nobody declared instead.
    if out.first().is_none_or(|&n| n == 0) && open && !f.list {
        out.insert(0, undeclared);
    }
    if out.is_empty() {
        out.push(0);
    }
    if f.list {
        out.truncate(4);
    } else {
        out.truncate(1);
    }
    out
}

/// Distinctive values per kind; `i` picks the element of a list.
pub fn scalar(k: &Kind, name: &str, number: u32, i: usize) -> Val {
    let i = i % 3;
    match k {
        Kind::Int32 => Val::I32([-5, 150, i32::MAX][i]),
        Kind::Int64 => Val::I64([-5_000_000_000, 7, i64::MAX][i]),
        Kind::Uint32 => Val::U32([4_000_000_000, 1, 300][i]),
        Kind::Uint64 => Val::U64([10_000_000_000_000_000_000, 2, 5_000_000_000][i]),
        Kind::Sint32 => Val::I32([-7, 64, i32::MIN][i]),
        Kind::Sint64 => Val::I64([-7_000_000_000, 3, i64::MIN][i]),
        Kind::Fixed32 => Val::U32([4_000_000_001, 5, 65_536][i]),
        Kind::Fixed64 => Val::U64([10_000_000_000_000_000_001, 6, 4_294_967_296][i]),
        Kind::Sfixed32 => Val::I32([-9, 10, i32::MAX][i]),
        Kind::Sfixed64 => Val::I64([-9_000_000_000, 11, -1][i]),
        Kind::Float => Val::F32([12.5, -0.25, 3.0e9][i]),
        Kind::Double => Val::F64([3_000_000_000.5, -0.001, 1e300][i]),
        Kind::Bool => Val::Bool([true, false, true][i]),
        Kind::String => Val::Str(
            match i {
                0 => format!("{name}-ü"),
                1 => "ß".to_owned(),
                _ => "✓".to_owned(),
            }
            .into_bytes(),
        ),
        Kind::Bytes => Val::Bytes(match i {
            0 => vec![0xff, 0xfe, 0x00, number as u8],
            1 => vec![0x01],
            _ => vec![0x80, 0x81],
        }),
        Kind::Enum(_) => Val::Enum(0),
        Kind::Message(_) => Val::Msg(Box::default()),
    }
}

/// A small deterministic generator (splitmix64).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator whose sequence the seed fixes.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next number of the sequence.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next_u64() % n
        }
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// An arbitrary valid message of `t`: fields present or not, lists of any
/// length, any values (zeros included), one case (or none) per oneof.
pub fn random(t: &MsgType, rng: &mut Rng) -> Msg {
    random_depth(t, rng, 0)
}

fn random_depth(t: &MsgType, rng: &mut Rng, depth: usize) -> Msg {
    let mut msg = Msg::default();
    let groups = oneofs(t);
    let chosen: Vec<Option<u32>> = groups
        .iter()
        .map(|(_, m)| {
            let k = rng.below(m.len() as u64 + 1) as usize;
            m.get(k).map(|f| f.number)
        })
        .collect();
    for f in t.fields.values() {
        if let Some(o) = &f.oneof {
            let Some(idx) = groups.iter().position(|(n, _)| n == o) else {
                continue;
            };
            if chosen.get(idx).copied().flatten() != Some(f.number) {
                continue;
            }
        } else if !f.required && !rng.chance(70) {
            continue;
        }
        if matches!(f.kind, Kind::Message(_)) && depth >= MAX_NESTING {
            continue;
        }
        if f.map {
            let Kind::Message(m) = &f.kind else { continue };
            let (Some(kf), Some(vf)) = (m.get_field(1), m.get_field(2)) else {
                continue;
            };
            let (kf, vf) = (
                FieldInfo::of_field(&kf, &t.sem),
                FieldInfo::of_field(&vf, &t.sem),
            );
            let mut entries: Vec<Val> = Vec::new();
            for _ in 0..rng.below(3) {
                let key = random_value(&kf, rng, depth + 1);
                if entries
                    .iter()
                    .any(|e| matches!(e, Val::Msg(m) if m.fields.get(&1) == Some(&Slot::One(key.clone()))))
                {
                    continue;
                }
                let mut e = Msg::default();
                e.fields.insert(1, Slot::One(key));
                e.fields
                    .insert(2, Slot::One(random_value(&vf, rng, depth + 1)));
                entries.push(Val::Msg(Box::new(e)));
            }
            msg.fields.insert(f.number, Slot::List(entries));
        } else if f.list {
            let n = rng.below(4);
            let vs = (0..n).map(|_| random_value(f, rng, depth + 1)).collect();
            msg.fields.insert(f.number, Slot::List(vs));
        } else {
            msg.fields
                .insert(f.number, Slot::One(random_value(f, rng, depth + 1)));
        }
    }
    msg
}

fn random_value(f: &FieldInfo, rng: &mut Rng, depth: usize) -> Val {
    let small = rng.chance(40);
    let r = rng.next_u64();
    let r = if small { r % 300 } else { r };
    let zero = rng.chance(10);
    match &f.kind {
        Kind::Int32 | Kind::Sint32 | Kind::Sfixed32 => Val::I32(if zero { 0 } else { r as i32 }),
        Kind::Int64 | Kind::Sint64 | Kind::Sfixed64 => Val::I64(if zero { 0 } else { r as i64 }),
        Kind::Uint32 | Kind::Fixed32 => Val::U32(if zero { 0 } else { r as u32 }),
        Kind::Uint64 | Kind::Fixed64 => Val::U64(if zero { 0 } else { r }),
        Kind::Float => Val::F32(if zero {
            0.0
        } else {
            (r % 100_000) as f32 / 8.0 - 1000.0
        }),
        Kind::Double => Val::F64(if zero {
            0.0
        } else {
            (r as i64) as f64 / 1024.0
        }),
        Kind::Bool => Val::Bool(r % 2 == 1),
        Kind::String => {
            let alphabet = ["a", "Z", "0", " ", "é", "ß", "✓", "😀"];
            let n = if zero { 0 } else { rng.below(6) };
            let s: String = (0..n)
                .map(|_| alphabet[rng.below(alphabet.len() as u64) as usize])
                .collect();
            Val::Str(s.into_bytes())
        }
        Kind::Bytes => {
            let n = if zero { 0 } else { rng.below(5) };
            Val::Bytes((0..n).map(|_| rng.next_u64() as u8).collect())
        }
        Kind::Enum(e) => {
            let declared: Vec<i32> = e.values().map(|v| v.number()).collect();
            let open = !f.closed;
            if open && rng.chance(15) {
                Val::Enum(r as i32 % 1000)
            } else if declared.is_empty() {
                Val::Enum(0)
            } else {
                Val::Enum(declared[rng.below(declared.len() as u64) as usize])
            }
        }
        Kind::Message(m) => Val::Msg(Box::new(random_depth(&MsgType::new(m, &f.sem), rng, depth))),
    }
}
