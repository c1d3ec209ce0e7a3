//! The checker and the bytes agree. proptest generates a schema (a message
//! with fields of every kind and cardinality, a oneof, an enum in its own file,
//! proto2 or proto3), mutates it, checks the two versions at level wire, and
//! round-trips synthesized and random messages in both directions:
//!
//! - when the check reports no finding that concerns today's data, every
//!   field in both directions is `same`, `absent` or `unknown-preserved`, and
//!   what passes through the reader comes back unchanged (unknown fields byte
//!   for byte);
//! - every such finding shows in the round trip of its field (or, for an
//!   enum, of a field of that enum type): a value converted, dropped,
//!   rejected, or moved to the unknown fields by a reader that knows the
//!   field.
//!
//! Findings that guard against future reuse do not change today's bytes and
//! are only held to the first half: FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED,
//! ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED, RESERVED_*_NO_DELETE,
//! FIELD_SAME_ONEOF when no writer can set two members of the reader's oneof
//! together (a lone member, a renamed oneof), FIELD_SAME_DEFAULT on a field
//! that is required in both versions (a valid message always sets it), and
//! FIELD_WIRE_COMPATIBLE_TYPE between two open enums when the new one lacks
//! numbers of the old (open enums keep the number: a deleted value).
//!
//! A bounded sample of cases ([`ORACLE_SAMPLE`], drawn with a fixed seed:
//! their schemas, synthesized and random messages, both directions) also
//! goes through Google's protobuf runtime, as
//! `tests/roundtrip_oracle.rs` does for the listed cases: what it reads of the
//! same bytes and JSON must be what the round trip says (`tests/oracle`).
//!
//! `PROPTEST_CASES=N` runs more cases (CI runs the default below),
//! `ORACLE_SAMPLE=N` and `ORACLE_SEED=S` draw N others for Google's runtime;
//! `RT_STATS=1` prints the findings of each case (with `--nocapture`).

mod oracle;

use std::fmt::Write as _;
use std::path::Path;
use std::sync::Mutex;

use proptest::prelude::*;
use proptest::test_runner::{RngAlgorithm, TestError, TestRng, TestRunner};
use protocheck::roundtrip::{self, Direction, Outcome, RoundTrip};
use protocheck::{compile_pair, Finding, Input, Level, Options, Severity, Side};

const SCALARS: [&str; 15] = [
    "double", "float", "int32", "int64", "uint32", "uint64", "sint32", "sint64", "fixed32",
    "fixed64", "sfixed32", "sfixed64", "bool", "string", "bytes",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum K {
    Scalar(usize),
    Enum,
    /// Another enum with E's numbers under other names.
    EnumTwin,
    Sub,
    /// Same shape as Sub under another name (wire-identical).
    Twin,
    /// Another shape.
    Other,
    Map,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    /// proto3 plain / proto2 `optional`.
    Plain,
    /// proto3 `optional`.
    Explicit,
    Repeated,
    Required,
}

#[derive(Debug, Clone)]
struct Field {
    number: u32,
    name: String,
    kind: K,
    label: Label,
    oneof: bool,
    default: Option<String>,
    packed: Option<bool>,
}

#[derive(Debug, Clone)]
struct Spec {
    proto2: bool,
    enum_proto2: bool,
    /// (name, number); the first is ZERO = 0.
    values: Vec<(String, i32)>,
    enum_reserved: Vec<i32>,
    fields: Vec<Field>,
    reserved: Vec<u32>,
    oneof_name: String,
}

impl Spec {
    fn field(&self, number: u32) -> Option<&Field> {
        self.fields.iter().find(|f| f.number == number)
    }

    fn render(&self) -> (String, String) {
        let mut e = String::new();
        let syntax = |p2: bool| if p2 { "proto2" } else { "proto3" };
        writeln!(
            e,
            "syntax = \"{}\";\npackage p;\nenum E {{",
            syntax(self.enum_proto2)
        )
        .unwrap();
        for (n, v) in &self.values {
            writeln!(e, "  {n} = {v};").unwrap();
        }
        if !self.enum_reserved.is_empty() {
            let r: Vec<String> = self.enum_reserved.iter().map(i32::to_string).collect();
            writeln!(e, "  reserved {};", r.join(", ")).unwrap();
        }
        e.push_str("}\nenum F {\n");
        for (n, v) in &self.values {
            writeln!(e, "  F_{n} = {v};").unwrap();
        }
        e.push_str("}\n");
        let mut m = String::new();
        writeln!(
            m,
            "syntax = \"{}\";\npackage p;\nimport \"p/e.proto\";\n\
             message Sub {{ optional int32 a = 1; optional string b = 2; }}\n\
             message Twin {{ optional int32 a = 1; optional string b = 2; }}\n\
             message Other {{ optional sint32 a = 1; optional bytes b = 2; }}\n\
             message M {{",
            syntax(self.proto2)
        )
        .unwrap();
        let decl = |f: &Field| {
            let ty = match f.kind {
                K::Scalar(i) => SCALARS[i].to_owned(),
                K::Enum => "E".to_owned(),
                K::EnumTwin => "F".to_owned(),
                K::Sub => "Sub".to_owned(),
                K::Twin => "Twin".to_owned(),
                K::Other => "Other".to_owned(),
                K::Map => "map<string, int32>".to_owned(),
            };
            let label = match (f.label, self.proto2, f.oneof, f.kind) {
                (_, _, true, _) | (_, _, _, K::Map) => "",
                (Label::Repeated, ..) => "repeated ",
                (Label::Required, ..) => "required ",
                (Label::Explicit, false, ..) => "optional ",
                (_, true, ..) => "optional ",
                _ => "",
            };
            let mut opts = Vec::new();
            if let Some(d) = &f.default {
                opts.push(format!("default = {d}"));
            }
            if let Some(p) = f.packed {
                opts.push(format!("packed = {p}"));
            }
            let opts = if opts.is_empty() {
                String::new()
            } else {
                format!(" [{}]", opts.join(", "))
            };
            format!("{label}{ty} {} = {}{opts};", f.name, f.number)
        };
        for f in self.fields.iter().filter(|f| !f.oneof) {
            writeln!(m, "  {}", decl(f)).unwrap();
        }
        let members: Vec<&Field> = self.fields.iter().filter(|f| f.oneof).collect();
        if !members.is_empty() {
            writeln!(m, "  oneof {} {{", self.oneof_name).unwrap();
            for f in members {
                writeln!(m, "    {}", decl(f)).unwrap();
            }
            m.push_str("  }\n");
        }
        if !self.reserved.is_empty() {
            let r: Vec<String> = self.reserved.iter().map(u32::to_string).collect();
            writeln!(m, "  reserved {};", r.join(", ")).unwrap();
        }
        m.push_str("}\n");
        (m, e)
    }

    /// Makes the declaration valid after a change: drops what the new kind,
    /// label or syntax does not allow.
    fn fix(&mut self) {
        let proto2 = self.proto2;
        if !proto2 {
            // proto3 messages can only use open enums.
            self.enum_proto2 = false;
        }
        for f in &mut self.fields {
            if f.kind == K::Map {
                f.label = Label::Repeated;
                f.oneof = false;
            }
            if f.oneof {
                f.label = Label::Plain;
            }
            if !proto2 && f.label == Label::Required {
                f.label = Label::Plain;
            }
            if f.label == Label::Required && f.oneof {
                f.oneof = false;
            }
            let scalar_like = matches!(f.kind, K::Scalar(_) | K::Enum);
            let singular = f.label != Label::Repeated;
            if !(proto2 && scalar_like && singular) {
                f.default = None;
            }
            if let Some(d) = &f.default {
                if !default_fits(f.kind, d, &self.values) {
                    f.default = None;
                }
            }
            let packable =
                matches!(f.kind, K::Scalar(i) if i < 13) || matches!(f.kind, K::Enum | K::EnumTwin);
            if !(packable && f.label == Label::Repeated) {
                f.packed = None;
            }
        }
    }
}

fn default_fits(k: K, d: &str, values: &[(String, i32)]) -> bool {
    match k {
        K::Scalar(i) => match SCALARS[i] {
            "string" | "bytes" => d.starts_with('"'),
            "bool" => d == "true" || d == "false",
            "double" | "float" => d.parse::<f64>().is_ok(),
            "uint32" | "uint64" | "fixed32" | "fixed64" => d.parse::<u32>().is_ok(),
            _ => d.parse::<i32>().is_ok(),
        },
        K::Enum => values.iter().any(|(n, _)| n == d),
        _ => false,
    }
}

fn default_for(k: K, values: &[(String, i32)], pick: usize) -> Option<String> {
    Some(match k {
        K::Scalar(i) => match SCALARS[i] {
            "string" | "bytes" => ["\"x\"", "\"hé\""][pick % 2].to_owned(),
            "bool" => ["true", "false"][pick % 2].to_owned(),
            "double" | "float" => ["1.5", "-2"][pick % 2].to_owned(),
            "uint32" | "uint64" | "fixed32" | "fixed64" => ["7", "300"][pick % 2].to_owned(),
            _ => ["-3", "7"][pick % 2].to_owned(),
        },
        K::Enum => values[pick % values.len()].0.clone(),
        _ => return None,
    })
}

fn kind() -> impl Strategy<Value = K> {
    prop_oneof![
        6 => (0..SCALARS.len()).prop_map(K::Scalar),
        1 => Just(K::Enum),
        1 => Just(K::Sub),
        1 => Just(K::Map),
    ]
}

fn label() -> impl Strategy<Value = Label> {
    prop_oneof![
        Just(Label::Plain),
        Just(Label::Explicit),
        Just(Label::Repeated),
        Just(Label::Required)
    ]
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        any::<bool>(),
        any::<bool>(),
        proptest::collection::vec((kind(), label(), any::<bool>(), any::<u8>()), 1..6),
        1..4usize,
    )
        .prop_map(|(proto2, enum_proto2, fields, nvalues)| {
            let values: Vec<(String, i32)> =
                (0..=nvalues as i32).map(|i| (format!("V{i}"), i)).collect();
            let mut s = Spec {
                proto2,
                enum_proto2,
                values: values.clone(),
                enum_reserved: Vec::new(),
                fields: Vec::new(),
                reserved: Vec::new(),
                oneof_name: "choice".to_owned(),
            };
            for (i, (kind, label, oneof, pick)) in fields.into_iter().enumerate() {
                let number = i as u32 + 1;
                s.fields.push(Field {
                    number,
                    name: format!("f{number}"),
                    kind,
                    label,
                    oneof: oneof && pick % 3 == 0,
                    default: (pick % 4 == 1)
                        .then(|| default_for(kind, &values, pick as usize))
                        .flatten(),
                    packed: (pick % 5 == 2).then_some(pick % 2 == 0),
                });
            }
            s.fix();
            s
        })
}

#[derive(Debug, Clone)]
enum Mutation {
    Retype(usize, K),
    /// Another kind with the same wire type (the subtle changes).
    Regroup(usize, u8),
    Relabel(usize, Label),
    Delete(usize, bool),
    Add(K, Label),
    Rename(usize),
    ToggleOneof(usize),
    Renumber(usize),
    Default(usize, u8),
    TogglePacked(usize),
    RenameOneof,
    EnumAdd,
    EnumDelete(bool),
    EnumRename,
    EnumFlipSyntax,
    Unreserve,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let i = 0..8usize;
    prop_oneof![
        4 => (i.clone(), prop_oneof![kind(), Just(K::Twin), Just(K::Other), Just(K::Enum), Just(K::EnumTwin)])
            .prop_map(|(i, k)| Mutation::Retype(i, k)),
        4 => (i.clone(), any::<u8>()).prop_map(|(i, p)| Mutation::Regroup(i, p)),
        2 => (i.clone(), label()).prop_map(|(i, l)| Mutation::Relabel(i, l)),
        2 => (i.clone(), any::<bool>()).prop_map(|(i, r)| Mutation::Delete(i, r)),
        1 => (kind(), label()).prop_map(|(k, l)| Mutation::Add(k, l)),
        1 => i.clone().prop_map(Mutation::Rename),
        2 => i.clone().prop_map(Mutation::ToggleOneof),
        1 => i.clone().prop_map(Mutation::Renumber),
        1 => (i.clone(), any::<u8>()).prop_map(|(i, p)| Mutation::Default(i, p)),
        1 => i.clone().prop_map(Mutation::TogglePacked),
        1 => Just(Mutation::RenameOneof),
        1 => Just(Mutation::EnumAdd),
        1 => any::<bool>().prop_map(Mutation::EnumDelete),
        1 => Just(Mutation::EnumRename),
        1 => Just(Mutation::EnumFlipSyntax),
        1 => Just(Mutation::Unreserve),
    ]
}

fn apply(old: &Spec, muts: &[Mutation]) -> Spec {
    let mut s = old.clone();
    for m in muts {
        let n = s.fields.len();
        let pick = |i: &usize| if n == 0 { None } else { Some(i % n) };
        match m {
            Mutation::Retype(i, k) => {
                if let Some(i) = pick(i) {
                    s.fields[i].kind = *k;
                }
            }
            Mutation::Regroup(i, p) => {
                if let Some(i) = pick(i) {
                    let groups: [&[&str]; 5] = [
                        &["int32", "int64", "uint32", "uint64", "bool", "enum"],
                        &["sint32", "sint64"],
                        &["fixed32", "sfixed32", "float"],
                        &["fixed64", "sfixed64", "double"],
                        &["string", "bytes"],
                    ];
                    let name = match s.fields[i].kind {
                        K::Scalar(k) => SCALARS[k],
                        K::Enum => "enum",
                        _ => "",
                    };
                    if let Some(g) = groups.iter().find(|g| g.contains(&name)) {
                        let to = g[*p as usize % g.len()];
                        s.fields[i].kind = match SCALARS.iter().position(|x| *x == to) {
                            Some(k) => K::Scalar(k),
                            None => K::Enum,
                        };
                    }
                }
            }
            Mutation::Relabel(i, l) => {
                if let Some(i) = pick(i) {
                    s.fields[i].label = *l;
                    if *l != Label::Plain {
                        s.fields[i].oneof = false;
                    }
                }
            }
            Mutation::Delete(i, reserve) => {
                if let Some(i) = pick(i) {
                    let f = s.fields.remove(i);
                    if *reserve {
                        s.reserved.push(f.number);
                    }
                }
            }
            Mutation::Add(k, l) => {
                let number = next_number(&s);
                let mut name = format!("f{number}");
                while s.fields.iter().any(|f| f.name == name) {
                    name.push_str("_new");
                }
                s.fields.push(Field {
                    number,
                    name,
                    kind: *k,
                    label: *l,
                    oneof: false,
                    default: None,
                    packed: None,
                });
            }
            Mutation::Rename(i) => {
                if let Some(i) = pick(i) {
                    s.fields[i].name.push_str("_renamed");
                }
            }
            Mutation::ToggleOneof(i) => {
                if let Some(i) = pick(i) {
                    let f = &mut s.fields[i];
                    f.oneof = !f.oneof;
                    if f.oneof {
                        f.label = Label::Plain;
                    }
                }
            }
            Mutation::Renumber(i) => {
                if let Some(i) = pick(i) {
                    let number = next_number(&s);
                    s.fields[i].number = number;
                }
            }
            Mutation::Default(i, p) => {
                if let Some(i) = pick(i) {
                    let k = s.fields[i].kind;
                    s.fields[i].default = if p % 3 == 0 {
                        None
                    } else {
                        default_for(k, &s.values, *p as usize)
                    };
                }
            }
            Mutation::TogglePacked(i) => {
                if let Some(i) = pick(i) {
                    let f = &mut s.fields[i];
                    f.packed = match f.packed {
                        None => Some(s.proto2),
                        Some(_) => None,
                    };
                }
            }
            Mutation::RenameOneof => s.oneof_name = "choice_renamed".to_owned(),
            Mutation::EnumAdd => {
                let next = s.values.iter().map(|v| v.1).max().unwrap_or(0) + 1;
                let next = (next..).find(|n| !s.enum_reserved.contains(n)).unwrap();
                s.values.push((format!("V{next}"), next));
            }
            Mutation::EnumDelete(reserve) => {
                if s.values.len() > 1 {
                    let (_, n) = s.values.pop().unwrap();
                    if *reserve {
                        s.enum_reserved.push(n);
                    }
                }
            }
            Mutation::EnumRename => {
                if let Some(v) = s.values.last_mut() {
                    if v.1 != 0 {
                        v.0.push_str("_RENAMED");
                    }
                }
            }
            Mutation::EnumFlipSyntax => s.enum_proto2 = !s.enum_proto2,
            Mutation::Unreserve => {
                s.reserved.clear();
                s.enum_reserved.clear();
            }
        }
        s.fix();
    }
    // Deleted enum values must not stay as field defaults.
    let values = s.values.clone();
    for f in &mut s.fields {
        if f.kind == K::Enum
            && f.default
                .as_ref()
                .is_some_and(|d| !values.iter().any(|(n, _)| n == d))
        {
            f.default = None;
        }
    }
    s
}

fn next_number(s: &Spec) -> u32 {
    (1..)
        .find(|n| s.field(*n).is_none() && !s.reserved.contains(n))
        .unwrap()
}

fn write(dir: &Path, spec: &Spec) {
    let (m, e) = spec.render();
    std::fs::create_dir_all(dir.join("p")).unwrap();
    std::fs::write(dir.join("p/m.proto"), m).unwrap();
    std::fs::write(dir.join("p/e.proto"), e).unwrap();
}

/// Rules whose findings are about today's data.
fn concerns_data(f: &Finding, old: &Spec, new: &Spec) -> bool {
    if f.severity == Severity::Info {
        return false;
    }
    let n = field_number(f).unwrap_or(0);
    let required = |s: &Spec| s.field(n).is_some_and(|x| x.label == Label::Required);
    match f.rule {
        // A valid message always sets a required field: its default only
        // shows in code that builds or partially parses messages.
        "FIELD_SAME_DEFAULT" => !(required(old) && required(new)),
        // An open enum keeps numbers it has no name for: a type change to an
        // open enum that lacks some numbers is a deleted value, not lost data.
        "FIELD_WIRE_COMPATIBLE_TYPE"
            if [old, new].iter().all(|s| {
                !s.enum_proto2
                    && s.field(n)
                        .is_some_and(|x| matches!(x.kind, K::Enum | K::EnumTwin))
            }) =>
        {
            false
        }
        "FIELD_WIRE_COMPATIBLE_TYPE"
        | "FIELD_WIRE_COMPATIBLE_CARDINALITY"
        | "MESSAGE_SAME_REQUIRED_FIELDS"
        | "FIELD_WIRE_NO_NARROWING"
        | "FIELD_WIRE_NO_WIDENING"
        | "FIELD_WIRE_SAME_SIGNEDNESS"
        | "ENUM_WIRE_SAME_OPENNESS"
        | "ENUM_WIRE_REQUIRED_SAME_VALUES" => true,
        "FIELD_SAME_ONEOF" => clash(old, new, n) || clash(new, old, n),
        _ => false,
    }
}

/// Whether the writer can set field `n` together with another member of the
/// reader's oneof that holds `n`.
fn clash(writer: &Spec, reader: &Spec, n: u32) -> bool {
    !partners(writer, reader, n).is_empty()
}

/// The members of the reader's oneof holding `n` that the writer can set
/// together with `n`.
fn partners(writer: &Spec, reader: &Spec, n: u32) -> Vec<u32> {
    let (Some(wn), Some(rn)) = (writer.field(n), reader.field(n)) else {
        return Vec::new();
    };
    if !rn.oneof {
        return Vec::new();
    }
    reader
        .fields
        .iter()
        .filter(|m| m.oneof && m.number != n)
        .filter(|m| match writer.field(m.number) {
            Some(wm) => !(wm.oneof && wn.oneof),
            None => false,
        })
        .map(|m| m.number)
        .collect()
}

fn field_number(f: &Finding) -> Option<u32> {
    f.subject.rsplit(':').next()?.parse().ok()
}

fn clean(r: &roundtrip::FieldResult) -> bool {
    match r.outcome {
        Outcome::Same => r.returned_same != Some(false),
        Outcome::Absent => true,
        // A closed enum's unknown value comes back after the known ones.
        Outcome::UnknownPreserved if r.reader_knows_field() => true,
        Outcome::UnknownPreserved => r.bytes_identical == Some(true),
        _ => false,
    }
}

fn shows(r: &roundtrip::FieldResult) -> bool {
    r.outcome.is_loss() || (r.outcome == Outcome::UnknownPreserved && r.reader_knows_field())
}

fn results(rt: &RoundTrip) -> Vec<&roundtrip::FieldResult> {
    rt.messages
        .iter()
        .filter(|m| m.message == "p.M")
        .flat_map(|m| m.directions.iter().flat_map(|d| d.runs.iter()))
        .flat_map(|r| r.fields.iter())
        .collect()
}

fn check(old: &Spec, new: &Spec, seed: u64) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("old"), old);
    write(&dir.path().join("new"), new);
    let o = Input::Dir(dir.path().join("old"));
    let n = Input::Dir(dir.path().join("new"));
    let (os, ns) = match compile_pair(&o, &n, &[]) {
        Ok(p) => p,
        Err(e) => {
            let (om, oe) = old.render();
            let (nm, ne) = new.render();
            panic!("generated schema does not compile: {e}\n--- old\n{oe}{om}--- new\n{ne}{nm}");
        }
    };
    let options = Options {
        level: Some(Level::Wire),
        ..Options::default()
    };
    let report = protocheck::check_schemas(&os, &ns, &options).unwrap();
    let rt = roundtrip::run(&os, &ns, &{
        let mut o = roundtrip::Options::default();
        o.messages = vec!["p.M".to_owned()];
        o.random_samples = 4;
        o.seed = seed;
        o
    })
    .unwrap();
    let all = results(&rt);
    let describe = || {
        let (om, oe) = old.render();
        let (nm, ne) = new.render();
        let findings: Vec<String> = report
            .findings
            .iter()
            .map(|f| format!("{} {:?}: {}", f.rule, f.severity, f.message))
            .collect();
        let mut text = Vec::new();
        roundtrip::render::write_text(&rt, &mut text, 120).unwrap();
        format!(
            "--- old\n{oe}{om}--- new\n{ne}{nm}--- findings at level wire\n{}\n--- round trip\n{}",
            findings.join("\n"),
            String::from_utf8_lossy(&text)
        )
    };
    let data: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| concerns_data(f, old, new))
        .collect();
    if std::env::var_os("RT_STATS").is_some() {
        let rules: Vec<&str> = report.findings.iter().map(|f| f.rule).collect();
        eprintln!(
            "STAT data={} findings={:?} results={}",
            data.len(),
            rules,
            all.len()
        );
    }
    if data.is_empty() {
        if let Some(bad) = all.iter().find(|r| !clean(r)) {
            return Err(TestCaseError::fail(format!(
                "no finding about today's data, but {} {} in {:?}: {}\n{}",
                bad.path,
                bad.outcome.name(),
                bad.direction,
                bad.explanation,
                describe()
            )));
        }
    }
    let synthesized: Vec<&roundtrip::FieldResult> = rt
        .messages
        .iter()
        .filter(|m| m.message == "p.M")
        .flat_map(|m| {
            m.directions.iter().flat_map(|d| {
                let samples = m.samples.get(&d.writer).cloned().unwrap_or_default();
                d.runs
                    .iter()
                    .filter(move |r| {
                        samples
                            .get(r.sample)
                            .is_some_and(|s| s.source == "synthesized")
                    })
                    .flat_map(|r| r.fields.iter())
            })
        })
        .collect();
    for f in &data {
        let enum_rule = matches!(
            f.rule,
            "ENUM_WIRE_SAME_OPENNESS" | "ENUM_WIRE_REQUIRED_SAME_VALUES"
        );
        let shown = if enum_rule {
            synthesized.iter().any(|r| {
                let enum_typed =
                    |t: &Option<String>| t.as_deref().is_some_and(|t| t.ends_with("p.E"));
                (enum_typed(&r.writer_type) || enum_typed(&r.reader_type)) && shows(r)
            })
        } else {
            let n = field_number(f);
            // Two members written together: the loss shows on either (the
            // one cleared, or one the reader cannot read at all).
            let mut fields = vec![n.unwrap_or(0)];
            if f.rule == "FIELD_SAME_ONEOF" {
                let n = n.unwrap_or(0);
                fields.extend(partners(old, new, n));
                fields.extend(partners(new, old, n));
            }
            synthesized.iter().any(|r| {
                (fields.contains(&r.numbers[0]) || (r.numbers.len() == 1 && r.cleared_by == n))
                    && shows(r)
            })
        };
        // An openness change is only visible where a field uses the enum.
        let uses_enum = old
            .fields
            .iter()
            .any(|x| x.kind == K::Enum && new.field(x.number).is_some_and(|y| y.kind == K::Enum));
        if enum_rule && !uses_enum {
            continue;
        }
        if !shown {
            return Err(TestCaseError::fail(format!(
                "{} reported, but the round trip shows no loss or change: {}\n{}",
                f.rule,
                f.message,
                describe()
            )));
        }
    }
    let _ = (Direction::OldToNew, Side::Old);
    Ok(())
}

/// How many cases go through Google's runtime, drawn with a fixed seed (the
/// same cases every run, so CI does not depend on the draw).
const ORACLE_SAMPLE: usize = 16;
const ORACLE_SEED: u64 = 17;

fn strategy() -> impl Strategy<Value = (Spec, Vec<Mutation>, u64)> {
    (
        spec(),
        proptest::collection::vec(mutation(), 1..3),
        any::<u64>(),
    )
}

fn fail(result: Result<(), TestError<(Spec, Vec<Mutation>, u64)>>) {
    match result {
        Ok(()) => {}
        Err(TestError::Fail(why, (old, muts, seed))) => panic!(
            "Test failed: {why}.\nminimal failing input: old = {old:?}, muts = {muts:?}, seed = {seed}"
        ),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn checker_at_level_wire_and_round_trip_agree() {
    let cases: u32 = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(512);
    let config = ProptestConfig {
        cases,
        max_shrink_iters: 2000,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    let mut runner = TestRunner::new(config.clone());
    fail(runner.run(&strategy(), |(old, muts, seed)| {
        let new = apply(&old, &muts);
        check(&old, &new, seed)
    }));
    // The oracle's sample: `ORACLE_SAMPLE=N` draws more, `ORACLE_SEED=S`
    // draws others.
    let env = |k: &str| std::env::var(k).ok().and_then(|v| v.parse::<u64>().ok());
    let sample_size = env("ORACLE_SAMPLE").unwrap_or(ORACLE_SAMPLE as u64) as u32;
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&env("ORACLE_SEED").unwrap_or(ORACLE_SEED).to_le_bytes());
    let mut drawn = TestRunner::new_with_rng(
        ProptestConfig {
            cases: sample_size,
            ..config
        },
        TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes),
    );
    let sample: Mutex<Vec<(Spec, Spec, u64)>> = Mutex::new(Vec::new());
    fail(drawn.run(&strategy(), |(old, muts, seed)| {
        let new = apply(&old, &muts);
        check(&old, &new, seed)?;
        sample.lock().unwrap().push((old, new, seed));
        Ok(())
    }));
    against_googles_runtime(&sample.into_inner().unwrap());
}

/// The sampled cases' round trips (synthesized and random messages) held
/// against Google's runtime, in one batch.
fn against_googles_runtime(sample: &[(Spec, Spec, u64)]) {
    let dirs: Vec<tempfile::TempDir> = sample
        .iter()
        .map(|_| tempfile::tempdir().unwrap())
        .collect();
    let mut cases = Vec::new();
    let mut texts = Vec::new();
    for ((old, new, seed), dir) in sample.iter().zip(&dirs) {
        let (od, nd) = (dir.path().join("old"), dir.path().join("new"));
        write(&od, old);
        write(&nd, new);
        let (os, ns) = compile_pair(&Input::Dir(od.clone()), &Input::Dir(nd.clone()), &[]).unwrap();
        let rt = roundtrip::run(&os, &ns, &{
            let mut o = roundtrip::Options::default();
            o.messages = vec!["p.M".to_owned()];
            o.random_samples = 4;
            o.seed = *seed;
            o
        })
        .unwrap();
        let (om, oe) = old.render();
        let (nm, ne) = new.render();
        let name = format!("case {}", cases.len() + 1);
        texts.push(format!(
            "--- {name} (seed {seed}) old\n{oe}{om}--- {name} new\n{ne}{nm}"
        ));
        cases.push(oracle::Case {
            name,
            schemas: [os, ns],
            sets: [oracle::descriptor_set(&od), oracle::descriptor_set(&nd)],
            rt,
        });
    }
    let tally = oracle::check(&cases);
    eprintln!(
        "oracle: {} sampled cases, {} runs, {} field results, {} JSON keys; {} differences",
        cases.len(),
        tally.runs,
        tally.fields,
        tally.json_keys,
        tally.diffs.len()
    );
    assert!(tally.runs > 0);
    assert!(
        tally.diffs.is_empty(),
        "the round trip and Google's runtime differ:\n{}\n{}",
        tally.diffs.join("\n"),
        texts.join("")
    );
}
