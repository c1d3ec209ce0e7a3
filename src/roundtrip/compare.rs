//! Per-field outcomes: what a reader sees of each field a writer wrote, and
//! what the writer gets back after the reader re-serializes the message.

use prost::encoding::WireType;
use prost_reflect::Kind;

use super::wire::{self, hex, wire_name, Event, FieldInfo, Msg, MsgType, Payload, Slot, Val};
use super::{Direction, FieldResult, Outcome};

/// Where in the message a comparison is.
#[derive(Clone)]
pub(crate) struct At {
    pub names: Vec<String>,
    pub numbers: Vec<u32>,
}

impl At {
    pub fn root() -> At {
        At {
            names: Vec::new(),
            numbers: Vec::new(),
        }
    }

    fn child(&self, name: &str, number: u32) -> At {
        let mut a = self.clone();
        a.names.push(name.to_owned());
        a.numbers.push(number);
        a
    }
}

/// Compares what the writer wrote (`wm`, as the writer reads its own bytes)
/// with what the reader made of the same bytes (`rm`).
pub(crate) fn compare(
    direction: Direction,
    w: &MsgType,
    wm: &Msg,
    r: &MsgType,
    rm: &Msg,
    at: &At,
    out: &mut Vec<FieldResult>,
) {
    let mut numbers: Vec<u32> = wm.fields.keys().copied().collect();
    numbers.extend(r.fields.keys().copied());
    numbers.extend(w.fields.keys().copied());
    numbers.sort_unstable();
    numbers.dedup();
    for n in numbers {
        let (wf, rf) = (w.field(n), r.field(n));
        let wv = wm.get(n);
        let rv = rm.get(n);
        let name = wf.or(rf).map(|f| f.name.as_str()).unwrap_or_default();
        let here = at.child(name, n);
        let events: Vec<&Event> = rm.events.iter().filter(|e| e.number() == n).collect();
        let mut res = FieldResult::new(direction, &here, n);
        if let Some(f) = wf {
            res.writer_field = Some(f.name.clone());
            res.writer_type = Some(f.type_display());
        }
        if let Some(f) = rf {
            res.reader_field = Some(f.name.clone());
            res.reader_type = Some(f.type_display());
        }
        match (wf, rf) {
            (None, None) => continue,
            (Some(wf), None) => {
                let Some(wv) = wv else { continue };
                res.outcome = Outcome::UnknownPreserved;
                res.written = Some(show_slot(wf, wv));
                set_wire(&mut res, wm, n);
                out.push(res);
            }
            (None, Some(rf)) => {
                if wm.raw.contains_key(&n) {
                    // The writer carried it without knowing it: not its data.
                    continue;
                }
                if events
                    .iter()
                    .any(|e| matches!(e, Event::MissingRequired { .. }))
                {
                    res.outcome = Outcome::DecodeError;
                    res.reason = Some(format!(
                        "required field {n} (\"{}\") is missing, so the reader rejects the whole message",
                        rf.name
                    ));
                } else {
                    res.outcome = Outcome::Absent;
                }
                res.read = Some(show_absent(rf));
                out.push(res);
            }
            (Some(wf), Some(rf)) => {
                let Some(wv) = wv else {
                    // Not written: the reader sees its default, or rejects a
                    // message that lacks a required field.
                    if events
                        .iter()
                        .any(|e| matches!(e, Event::MissingRequired { .. }))
                    {
                        res.outcome = Outcome::DecodeError;
                        res.written = Some(format!("not set{}", default_words(wf)));
                        res.read = Some(show_absent(rf));
                        res.reason = Some(format!(
                            "required field {n} (\"{}\") is missing, so the reader rejects the whole message",
                            rf.name
                        ));
                        out.push(res);
                    } else if let (Some(a), Some(b)) = (&wf.default, &rf.default) {
                        if !vals_same(a, b) {
                            res.outcome = Outcome::Converted;
                            res.written = Some(format!("not set{}", default_words(wf)));
                            res.read = Some(show_val(&rf.kind, b));
                            res.reason =
                                Some("the two versions have different defaults for it".to_owned());
                            out.push(res);
                        }
                    }
                    continue;
                };
                res.written = Some(show_slot(wf, wv));
                set_wire(&mut res, wm, n);
                res.read = Some(match rv {
                    Some(s) => show_slot(rf, s),
                    None => show_absent(rf),
                });
                if let Some(Event::WireTypeMismatch {
                    found,
                    expected,
                    payload,
                    ..
                }) = events
                    .iter()
                    .find(|e| matches!(e, Event::WireTypeMismatch { .. }))
                {
                    res.outcome = Outcome::WireTypeMismatch;
                    set_wire(&mut res, wm, n);
                    res.wire_type = Some(wire_name(*found));
                    res.expected_wire_type = Some(wire_name(*expected));
                    res.arrives_as = Some(if rf.map {
                        // Inside an entry: the reader keeps the whole entry.
                        format!("a map entry with {}", show_payload(*found, payload))
                    } else {
                        show_payload(*found, payload)
                    });
                    out.push(res);
                    continue;
                }
                if let Some(e) = events.iter().find(|e| e.is_fatal()) {
                    res.outcome = Outcome::DecodeError;
                    res.reason = Some(match e {
                        Event::InvalidUtf8 { .. } => "the bytes are not valid UTF-8, and the reader checks strings (proto3, or utf8_validation = VERIFY): it rejects the whole message".to_owned(),
                        Event::Malformed { reason, .. } => format!(
                            "the bytes are not a valid {}: {reason}; the reader rejects the whole message",
                            rf.type_display()
                        ),
                        _ => "the reader rejects the whole message".to_owned(),
                    });
                    set_wire(&mut res, wm, n);
                    out.push(res);
                    continue;
                }
                if let Some(by) = events.iter().find_map(|e| match e {
                    Event::OneofCleared { by, .. } => Some(*by),
                    _ => None,
                }) {
                    res.outcome = Outcome::Dropped;
                    res.cleared_by = Some(by);
                    let other = r.field(by).map(|f| f.name.as_str()).unwrap_or_default();
                    res.reason = Some(format!(
                        "the reader has it in oneof \"{}\" with \"{other}\" ({by}), which comes later in the data and clears it",
                        rf.oneof.as_deref().unwrap_or_default()
                    ));
                    out.push(res);
                    continue;
                }
                let unknown_enum: Vec<i32> = events
                    .iter()
                    .filter_map(|e| match e {
                        Event::ClosedEnumUnknown { value, .. } => Some(*value),
                        _ => None,
                    })
                    .collect();
                if !unknown_enum.is_empty() {
                    res.outcome = Outcome::UnknownPreserved;
                    set_wire(&mut res, wm, n);
                    let list: Vec<String> = unknown_enum.iter().map(i32::to_string).collect();
                    // A map's enum is its entries' value type.
                    let enum_kind = match &rf.kind {
                        Kind::Message(entry) if rf.map => entry.map_entry_value_field().kind(),
                        k => k.clone(),
                    };
                    res.reason = Some(format!(
                        "the reader's enum {} is closed and has no value {}: it keeps {} as unknown field {n}{}",
                        wire::kind_name(&enum_kind),
                        list.join(", "),
                        if unknown_enum.len() == 1 { "it" } else { "them" },
                        if rf.map { " (the whole map entry)" } else { "" }
                    ));
                    res.notes.push(
                        "prost treats every enum as open and keeps the number in the field"
                            .to_owned(),
                    );
                    out.push(res);
                    continue;
                }
                let Some(rv) = rv else {
                    // Not held: the reader sees its default, which may be
                    // what was written (a zero under implicit presence).
                    if let (Slot::One(a), Some(d)) = (wv, &rf.default) {
                        res.outcome = if vals_same(a, d) {
                            Outcome::Same
                        } else {
                            Outcome::Converted
                        };
                        out.push(res);
                        continue;
                    }
                    if matches!(wv, Slot::List(l) if l.is_empty()) {
                        res.outcome = Outcome::Same;
                        out.push(res);
                        continue;
                    }
                    res.outcome = Outcome::Dropped;
                    res.reason = Some("the reader keeps nothing of it".to_owned());
                    out.push(res);
                    continue;
                };
                compare_slots(direction, wf, wv, rf, rv, &here, res, out);
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn compare_slots(
    direction: Direction,
    wf: &FieldInfo,
    wv: &Slot,
    rf: &FieldInfo,
    rv: &Slot,
    here: &At,
    mut res: FieldResult,
    out: &mut Vec<FieldResult>,
) {
    match (wv, rv) {
        (Slot::One(a), Slot::One(b)) => {
            if let (Val::Msg(a), Val::Msg(b), Some(wt), Some(rt)) =
                (a, b, wire::sub_type(wf), wire::sub_type(rf))
            {
                compare(direction, &wt, a, &rt, b, here, out);
                return;
            }
            res.outcome = if vals_same(a, b) {
                Outcome::Same
            } else {
                Outcome::Converted
            };
            not_utf8(wf, rf, std::slice::from_ref(b), &mut res);
            enum_note(rf, std::slice::from_ref(b), &mut res);
            out.push(res);
        }
        (Slot::List(a), Slot::One(b)) => {
            if a.len() == 1 {
                compare_slots(
                    direction,
                    wf,
                    &Slot::One(a[0].clone()),
                    rf,
                    &Slot::One(b.clone()),
                    here,
                    res,
                    out,
                );
                return;
            }
            res.outcome = Outcome::Dropped;
            res.reason = Some(match b {
                Val::Msg(_) => format!(
                    "the reader's field is a single message: it merges the {} messages written into one",
                    a.len()
                ),
                _ => format!(
                    "the reader's field holds one value: of the {} written it keeps only the last",
                    a.len()
                ),
            });
            out.push(res);
        }
        (Slot::One(_), Slot::List(_)) => {
            res.outcome = Outcome::Converted;
            res.reason = Some("the reader's field is repeated: it reads a list of one".to_owned());
            out.push(res);
        }
        (Slot::List(a), Slot::List(b)) => {
            let msgs = a.iter().chain(b).all(|v| matches!(v, Val::Msg(_)));
            if msgs && a.len() == b.len() {
                if let (Some(wt), Some(rt)) = (wire::sub_type(wf), wire::sub_type(rf)) {
                    // Element by element; the worst result per nested field.
                    let mut nested: Vec<FieldResult> = Vec::new();
                    for (x, y) in a.iter().zip(b) {
                        if let (Val::Msg(x), Val::Msg(y)) = (x, y) {
                            let mut one = Vec::new();
                            compare(direction, &wt, x, &rt, y, here, &mut one);
                            for r in one {
                                match nested.iter_mut().find(|n| n.numbers == r.numbers) {
                                    Some(n) if r.outcome.rank() > n.outcome.rank() => *n = r,
                                    Some(_) => {}
                                    None => nested.push(r),
                                }
                            }
                        }
                    }
                    out.extend(nested);
                    return;
                }
            }
            let same = a.len() == b.len() && a.iter().zip(b).all(|(x, y)| vals_same(x, y));
            res.outcome = if same {
                Outcome::Same
            } else {
                Outcome::Converted
            };
            if !same && a.len() != b.len() {
                res.reason = Some(format!("{} values written, {} read", a.len(), b.len()));
            }
            not_utf8(wf, rf, b, &mut res);
            enum_note(rf, b, &mut res);
            out.push(res);
        }
    }
}

/// Bytes read as a proto2 string that are not UTF-8: nothing rejects them,
/// but runtimes disagree on the text.
fn not_utf8(wf: &FieldInfo, rf: &FieldInfo, read: &[Val], res: &mut FieldResult) {
    if !(matches!(wf.kind, Kind::Bytes) && matches!(rf.kind, Kind::String)) {
        return;
    }
    let bad = read
        .iter()
        .any(|v| matches!(v, Val::Str(b) if std::str::from_utf8(b).is_err()));
    if bad && res.outcome == Outcome::Same {
        res.outcome = Outcome::Converted;
        res.reason = Some(
            "the bytes are not UTF-8: a proto2 string does not check, so C++ and Go keep the bytes, Java reads U+FFFD in their place, and prost rejects the message"
                .to_owned(),
        );
    }
}

/// Notes enum numbers an open enum keeps without having a name for them.
fn enum_note(rf: &FieldInfo, read: &[Val], res: &mut FieldResult) {
    let Kind::Enum(e) = &rf.kind else { return };
    let mut nameless: Vec<String> = Vec::new();
    for v in read {
        if let Val::Enum(n) = v {
            if e.get_value(*n).is_none() && !nameless.contains(&n.to_string()) {
                nameless.push(n.to_string());
            }
        }
    }
    if nameless.is_empty() {
        return;
    }
    let (rs, one) = (res.direction.reader(), nameless.len() == 1);
    res.notes.push(format!(
        "the {rs} enum {} has no value {}: an open enum keeps the number{}, but generated code shows it as unrecognized",
        e.full_name(),
        nameless.join(", "),
        if one { "" } else { "s" }
    ));
}

fn set_wire(res: &mut FieldResult, wm: &Msg, n: u32) {
    if let Some(raw) = wm.raw.get(&n) {
        res.bytes = Some(hex(raw));
        if let Ok(recs) = wire::parse(raw) {
            if let Some(r) = recs.first() {
                res.wire_type = Some(wire_name(r.wire_type));
            }
        }
    }
}

/// Whether a reader holds the same value the writer wrote. Integers (and
/// bools) compare as numbers across their types; an enum only equals an
/// enum; floats compare by bits; strings and bytes by their bytes.
pub fn vals_same(a: &Val, b: &Val) -> bool {
    match (a, b) {
        (Val::Enum(x), Val::Enum(y)) => x == y,
        (Val::F32(x), Val::F32(y)) => x.to_bits() == y.to_bits(),
        (Val::F64(x), Val::F64(y)) => x.to_bits() == y.to_bits(),
        (Val::Str(x) | Val::Bytes(x), Val::Str(y) | Val::Bytes(y)) => x == y,
        (Val::Msg(x), Val::Msg(y)) => msgs_same(x, y),
        _ => match (int(a), int(b)) {
            (Some(x), Some(y)) => x == y,
            _ => false,
        },
    }
}

fn msgs_same(a: &Msg, b: &Msg) -> bool {
    a.fields.len() == b.fields.len()
        && a.fields.iter().all(|(n, x)| match (x, b.fields.get(n)) {
            (Slot::One(x), Some(Slot::One(y))) => vals_same(x, y),
            (Slot::List(x), Some(Slot::List(y))) => {
                x.len() == y.len() && x.iter().zip(y).all(|(p, q)| vals_same(p, q))
            }
            _ => false,
        })
}

fn int(v: &Val) -> Option<i128> {
    Some(match v {
        Val::Bool(b) => i128::from(*b),
        Val::I32(x) => i128::from(*x),
        Val::I64(x) => i128::from(*x),
        Val::U32(x) => i128::from(*x),
        Val::U64(x) => i128::from(*x),
        _ => return None,
    })
}

fn default_words(f: &FieldInfo) -> String {
    match &f.default {
        Some(d) => format!(" (default {})", show_val(&f.kind, d)),
        None => String::new(),
    }
}

/// What a reader sees of a field that is not in the data.
pub fn show_absent(f: &FieldInfo) -> String {
    if f.map || f.list {
        return "empty".to_owned();
    }
    match (&f.kind, &f.default) {
        (Kind::Message(_), _) => "not set".to_owned(),
        (Kind::String | Kind::Bytes, Some(d)) if wire::is_zero(d) => "empty (\"\")".to_owned(),
        (k, Some(d)) => show_val(k, d),
        (_, None) => "not set".to_owned(),
    }
}

/// `fixed32 0x41480000`, `varint 18446744073709551611`.
pub fn show_payload(w: WireType, p: &Payload) -> String {
    match p {
        Payload::Varint(v) => format!("varint {v}"),
        Payload::Fixed32(v) => format!("fixed32 {v:#010x}"),
        Payload::Fixed64(v) => format!("fixed64 {v:#018x}"),
        Payload::Len(b) => format!("{} ({} bytes)", wire_name(w), b.len()),
        Payload::Group(b) => format!("group ({} bytes)", b.len()),
    }
}

pub fn show_slot(f: &FieldInfo, s: &Slot) -> String {
    match s {
        Slot::One(v) => show_val(&f.kind, v),
        Slot::List(vs) if f.map => {
            let items: Vec<String> = vs
                .iter()
                .map(|e| match e {
                    Val::Msg(m) => {
                        let (kf, vf) = match &f.kind {
                            Kind::Message(entry) => (entry.get_field(1), entry.get_field(2)),
                            _ => (None, None),
                        };
                        let part = |n: u32, fd: Option<prost_reflect::FieldDescriptor>| match (
                            m.fields.get(&n),
                            fd,
                        ) {
                            (Some(Slot::One(v)), Some(fd)) => show_val(&fd.kind(), v),
                            // Not written (a zero under implicit presence):
                            // readers see the default.
                            (None, Some(fd)) => match FieldInfo::of_field(&fd, &f.sem).default {
                                Some(d) => show_val(&fd.kind(), &d),
                                None if fd.kind().as_message().is_some() => "{}".to_owned(),
                                None => "?".to_owned(),
                            },
                            _ => "?".to_owned(),
                        };
                        format!("{}: {}", part(1, kf), part(2, vf))
                    }
                    _ => "?".to_owned(),
                })
                .collect();
            clip(format!("{{{}}}", items.join(", ")))
        }
        Slot::List(vs) => {
            let items: Vec<String> = vs.iter().map(|v| show_val(&f.kind, v)).collect();
            clip(format!("[{}]", items.join(", ")))
        }
    }
}

fn clip(s: String) -> String {
    const MAX: usize = 90;
    if s.chars().count() <= MAX {
        return s;
    }
    let mut t: String = s.chars().take(MAX - 1).collect();
    t.push('…');
    t
}

/// A value as protobuf's text format would show it, with enum numbers.
pub fn show_val(k: &Kind, v: &Val) -> String {
    match v {
        Val::Bool(b) => b.to_string(),
        Val::I32(x) => x.to_string(),
        Val::I64(x) => x.to_string(),
        Val::U32(x) => x.to_string(),
        Val::U64(x) => x.to_string(),
        Val::F32(x) => x.to_string(),
        Val::F64(x) => x.to_string(),
        Val::Str(b) => match std::str::from_utf8(b) {
            Ok(s) => format!("{s:?}"),
            Err(_) => format!("{} (not UTF-8)", quote_bytes(b)),
        },
        Val::Bytes(b) => quote_bytes(b),
        Val::Enum(n) => match k {
            Kind::Enum(e) => match e.get_value(*n) {
                Some(ev) => format!("{} ({n})", ev.name()),
                None => format!("{n} (no such value in {})", e.full_name()),
            },
            _ => n.to_string(),
        },
        Val::Msg(m) => match k {
            // Only names and types are shown: no semantics needed.
            Kind::Message(d) => show_msg(&MsgType::new(d, &Default::default()), m),
            _ => "{…}".to_owned(),
        },
    }
}

/// `{sku: "sku-ü", qty: -5}`
pub fn show_msg(t: &MsgType, m: &Msg) -> String {
    clip(show_msg_full(t, m))
}

/// [`show_msg`] without the length limit at the top.
pub fn show_msg_full(t: &MsgType, m: &Msg) -> String {
    let mut parts = Vec::new();
    for (n, s) in &m.fields {
        match t.field(*n) {
            Some(f) => parts.push(format!("{}: {}", f.name, show_slot(f, s))),
            None => parts.push(format!("{n}: ?")),
        }
    }
    for u in &m.unknown {
        parts.push(format!(
            "{}: <unknown {}>",
            u.number,
            wire_name(u.wire_type)
        ));
    }
    format!("{{{}}}", parts.join(", "))
}

/// `"\xff\xfe\x00\x04"`, as protobuf's text format escapes bytes.
fn quote_bytes(b: &[u8]) -> String {
    let mut s = String::from("\"");
    for &c in b {
        if c.is_ascii_graphic() && c != b'"' && c != b'\\' || c == b' ' {
            s.push(c as char);
        } else {
            s.push_str(&format!("\\x{c:02x}"));
        }
    }
    s.push('"');
    s
}

/// The field found at a number path in a message (lists: their first element).
pub(crate) fn lookup<'a>(
    t: &MsgType,
    m: &'a Msg,
    numbers: &[u32],
) -> Option<(FieldInfo, &'a Slot)> {
    let (&first, rest) = numbers.split_first()?;
    let f = t.field(first)?.clone();
    let slot = m.get(first)?;
    if rest.is_empty() {
        return Some((f, slot));
    }
    let inner = match slot {
        Slot::One(Val::Msg(x)) => x,
        Slot::List(v) => match v.first() {
            Some(Val::Msg(x)) => x,
            _ => return None,
        },
        _ => return None,
    };
    lookup(&wire::sub_type(&f)?, inner, rest)
}

/// The message that holds the field at a number path.
pub(crate) fn holder<'a>(t: &MsgType, m: &'a Msg, numbers: &[u32]) -> Option<&'a Msg> {
    match numbers.len() {
        0 => None,
        1 => Some(m),
        _ => {
            let parent = &numbers[..numbers.len() - 1];
            match lookup(t, m, parent)?.1 {
                Slot::One(Val::Msg(x)) => Some(x),
                Slot::List(v) => match v.first() {
                    Some(Val::Msg(x)) => Some(x),
                    _ => None,
                },
                _ => None,
            }
        }
    }
}
