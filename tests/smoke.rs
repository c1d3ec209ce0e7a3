//! A bounded smoke test of the four entry points the fuzz targets drive
//! (`fuzz/`), run by `cargo test` on every change: plausible inputs, broken
//! ones and junk each end in a verdict or a clear error, never a panic.
//!
//! - proto sources: a pair of generated schemas (one or two files, a change
//!   between them, sometimes mutated text) → check at every level;
//! - descriptor sets: arbitrary bytes and mutated valid sets → check, both
//!   ways;
//! - samples: mutated valid messages (binary, JSON, text) and junk → round
//!   trip between the schemas of `tests/data/roundtrip`;
//! - configuration: mutated valid `protocheck.toml` and `buf.yaml` files →
//!   loading, rule selection at every level, and a check under it.
//!
//! An error must have a message, and its diagnostic as the command line
//! renders it must name the file it is about (the side's input for a check).
//! Runs are deterministic (a fixed seed, no failure persistence);
//! `PROPTEST_CASES=N` runs N cases of each part instead of the defaults;
//! `SMOKE_ERRORS=1` prints every error (with `--nocapture`).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use miette::{GraphicalReportHandler, GraphicalTheme};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config as ProptestConfig, RngSeed, TestRunner};
use prost::Message as _;
use prost_types::descriptor_proto::ReservedRange;
use prost_types::{DescriptorProto, FieldDescriptorProto, FileDescriptorProto, FileDescriptorSet};
use protocheck::roundtrip::{self, synth, wire};
use protocheck::{
    check_paths, check_schemas, compile_pair, Config, Input, Level, Options, Schema, Side,
};

fn config(default_cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default_cases),
        rng_seed: RngSeed::Fixed(0x5eed_cafe),
        failure_persistence: None,
        max_shrink_iters: 500,
        ..ProptestConfig::default()
    }
}

/// Runs the cases of `strategy` through `check`, which says whether the
/// input ended in a verdict (else in a clear error), and prints the tally.
/// Both must occur, in at least a tenth of the runs each: a generator that
/// makes only junk, or only valid inputs, would smoke nothing.
fn smoke<S: Strategy>(
    name: &str,
    default_cases: u32,
    strategy: S,
    check: impl Fn(&S::Value) -> Result<Tally, TestCaseError>,
) {
    let total = std::sync::Mutex::new(Tally::default());
    let mut runner = TestRunner::new(config(default_cases));
    let result = runner.run(&strategy, |v| {
        let t = check(&v)?;
        total.lock().unwrap().add(t);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
    let t = total.into_inner().unwrap();
    let runs = t.verdicts + t.errors;
    eprintln!("{name}: {} verdicts, {} errors", t.verdicts, t.errors);
    assert!(
        t.verdicts * 10 >= runs && t.errors * 10 >= runs,
        "{name}: {} verdicts and {} errors: the inputs are not varied enough",
        t.verdicts,
        t.errors
    );
}

/// How many runs ended in a verdict and how many in an error.
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    verdicts: usize,
    errors: usize,
}

impl Tally {
    fn of<T, E>(r: &Result<T, E>) -> Tally {
        match r {
            Ok(_) => Tally {
                verdicts: 1,
                errors: 0,
            },
            Err(_) => Tally {
                verdicts: 0,
                errors: 1,
            },
        }
    }

    fn add(&mut self, other: Tally) {
        self.verdicts += other.verdicts;
        self.errors += other.errors;
    }
}

/// The error as the command line shows it.
fn rendered(e: &dyn miette::Diagnostic) -> String {
    let mut s = String::new();
    let handler =
        GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor()).with_width(1000);
    handler.render_report(&mut s, e).unwrap();
    s
}

/// A clear error: a message, and the diagnostic names `file`.
fn clear(e: &dyn miette::Diagnostic, file: &Path) -> Result<(), TestCaseError> {
    let msg = e.to_string();
    if std::env::var_os("SMOKE_ERRORS").is_some() {
        eprintln!("error: {msg}");
    }
    prop_assert!(!msg.trim().is_empty(), "an empty message: {e:?}");
    let shown = rendered(e);
    let name = file.display().to_string();
    prop_assert!(
        shown.contains(&name),
        "the error does not name {name}:\n{shown}"
    );
    Ok(())
}

// ---------------------------------------------------------------------------
// Text and byte mutations.

#[derive(Debug, Clone)]
enum Mutation {
    Truncate(Index),
    Delete(Index, usize),
    Insert(Index, Vec<u8>),
    Flip(Index, u8),
    Duplicate(Index, usize),
}

fn apply(bytes: &mut Vec<u8>, muts: &[Mutation]) {
    for m in muts {
        let len = bytes.len();
        let at = |i: &Index| if len == 0 { 0 } else { i.index(len + 1) };
        match m {
            Mutation::Truncate(i) => bytes.truncate(at(i)),
            Mutation::Delete(i, n) => {
                let a = at(i);
                let b = (a + n).min(len);
                bytes.drain(a..b);
            }
            Mutation::Insert(i, b) => {
                let a = at(i);
                bytes.splice(a..a, b.iter().copied());
            }
            Mutation::Flip(i, x) => {
                if len > 0 {
                    bytes[i.index(len)] ^= x.max(&1);
                }
            }
            Mutation::Duplicate(i, n) => {
                let a = at(i);
                let b = (a + n).min(len);
                let part = bytes[a..b].to_vec();
                bytes.splice(b..b, part);
            }
        }
    }
}

/// Mutations that insert `tokens` (or any bytes).
fn mutation(tokens: &'static [&'static [u8]]) -> impl Strategy<Value = Mutation> {
    prop_oneof![
        1 => any::<Index>().prop_map(Mutation::Truncate),
        2 => (any::<Index>(), 1..24usize).prop_map(|(i, n)| Mutation::Delete(i, n)),
        3 => (any::<Index>(), prop::sample::select(tokens))
            .prop_map(|(i, t)| Mutation::Insert(i, t.to_vec())),
        1 => (any::<Index>(), prop::collection::vec(any::<u8>(), 1..6))
            .prop_map(|(i, b)| Mutation::Insert(i, b)),
        2 => (any::<Index>(), any::<u8>()).prop_map(|(i, x)| Mutation::Flip(i, x)),
        1 => (any::<Index>(), 1..40usize).prop_map(|(i, n)| Mutation::Duplicate(i, n)),
    ]
}

fn mutations(tokens: &'static [&'static [u8]]) -> impl Strategy<Value = Vec<Mutation>> {
    prop::collection::vec(mutation(tokens), 1..4)
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

// ---------------------------------------------------------------------------
// (a) Proto sources → check at every level.

const SCALARS: [&str; 15] = [
    "double", "float", "int32", "int64", "uint32", "uint64", "sint32", "sint64", "fixed32",
    "fixed64", "sfixed32", "sfixed64", "bool", "string", "bytes",
];

#[rustfmt::skip]
const PROTO_TOKENS: &[&[u8]] = &[
    b"message ", b"enum ", b"{", b"}", b";", b" = ", b"repeated ", b"optional ", b"required ",
    b"map<", b">", b",", b"oneof o ", b"reserved ", b"import \"b.proto\";\n",
    b"syntax = \"proto2\";\n", b"syntax = \"proto3\";\n", b"package q;\n", b"0", b"-1", b"19000",
    b"536870912", b"4294967296", b" [packed = true]", b" [default = 5]", b" [json_name = \"x\"]",
    b"group ", b"extend M { int32 x = 100; }", b"extensions 100 to max;", b"option ", b"(", b")",
    b"\\", b"\"", b"/*", b"//", b"\n", b"\xc3\xa9", b"\0", b"stream ", b"rpc R(M) returns (M);",
    b"service S { ", b"max", b" to ", b".", b"google.protobuf.Any ", b"M ", b"E ", b"a", b"1e9",
    b"0x10", b"'", b"edition",
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Syntax {
    None,
    Proto2,
    Proto3,
}

#[derive(Debug, Clone, PartialEq)]
enum Ty {
    Scalar(usize),
    /// The file's enum E.
    Enum,
    /// A message of the file (modulo their number).
    Msg(usize),
    /// A map from a key type (index into `MAP_KEYS`) to a value.
    Map(usize, Box<Ty>),
    Timestamp,
    /// b.proto's first message, from a.proto.
    Imported,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Label {
    None,
    Optional,
    Required,
    Repeated,
}

#[derive(Debug, Clone, PartialEq)]
struct Field {
    label: Label,
    ty: Ty,
    name: usize,
    /// The step from the previous field's number: numbers are distinct.
    gap: u32,
    /// Set by a change: a number that may collide or be out of range.
    number: Option<u32>,
    oneof: bool,
}

#[derive(Debug, Clone, PartialEq)]
struct Message {
    fields: Vec<Field>,
    /// Numbers reserved after the last field.
    reserved: u32,
    nested_enum: bool,
}

#[derive(Debug, Clone, PartialEq)]
struct File {
    syntax: Syntax,
    package: Option<&'static str>,
    messages: Vec<Message>,
    /// Enum E's values: steps between numbers (the first is 0).
    values: Vec<u32>,
    service: bool,
}

const NAMES: [&str; 8] = [
    "id", "name", "total", "items", "kind", "when", "child", "data",
];
const MSGS: [&str; 3] = ["M", "N", "O"];
const MAP_KEYS: [&str; 6] = ["int32", "int64", "uint32", "string", "bool", "sfixed64"];
const PACKAGES: [&str; 3] = ["p", "p.v1", "q"];

fn ty() -> impl Strategy<Value = Ty> {
    let leaf = prop_oneof![
        8 => (0..SCALARS.len()).prop_map(Ty::Scalar),
        2 => Just(Ty::Enum),
        2 => (0..MSGS.len()).prop_map(Ty::Msg),
        1 => Just(Ty::Timestamp),
        1 => Just(Ty::Imported),
    ];
    prop_oneof![
        9 => leaf.clone(),
        1 => ((0..MAP_KEYS.len()), leaf).prop_map(|(k, v)| Ty::Map(k, Box::new(v))),
    ]
}

fn label() -> impl Strategy<Value = Label> {
    prop_oneof![
        Just(Label::None),
        Just(Label::Optional),
        Just(Label::Required),
        Just(Label::Repeated)
    ]
}

fn field() -> impl Strategy<Value = Field> {
    (
        label(),
        ty(),
        0..NAMES.len(),
        1..4u32,
        prop::bool::weighted(0.15),
    )
        .prop_map(|(label, ty, name, gap, oneof)| Field {
            label,
            ty,
            name,
            gap,
            number: None,
            oneof,
        })
}

fn message() -> impl Strategy<Value = Message> {
    (
        prop::collection::vec(field(), 0..6),
        0..3u32,
        prop::bool::weighted(0.2),
    )
        .prop_map(|(fields, reserved, nested_enum)| Message {
            fields,
            reserved,
            nested_enum,
        })
}

fn syntax() -> impl Strategy<Value = Syntax> {
    prop_oneof![
        1 => Just(Syntax::None),
        2 => Just(Syntax::Proto2),
        3 => Just(Syntax::Proto3),
    ]
}

fn file() -> impl Strategy<Value = File> {
    (
        syntax(),
        prop::option::of(prop::sample::select(&PACKAGES[..])),
        prop::collection::vec(message(), 1..4),
        prop::collection::vec(1..3u32, 1..4),
        prop::bool::weighted(0.2),
    )
        .prop_map(|(syntax, package, messages, values, service)| File {
            syntax,
            package,
            messages,
            values,
            service,
        })
}

/// Renders a file as a valid schema, whatever its fields: labels follow the
/// syntax, names and numbers are distinct, types exist. `other` is b.proto
/// when this is a.proto.
fn render(f: &File, name: &str, other: Option<&File>) -> String {
    let proto3 = f.syntax == Syntax::Proto3;
    let sfx = suffix(name);
    let mut s = String::new();
    match f.syntax {
        Syntax::None => {}
        Syntax::Proto2 => s.push_str("syntax = \"proto2\";\n"),
        Syntax::Proto3 => s.push_str("syntax = \"proto3\";\n"),
    }
    if let Some(p) = f.package {
        s.push_str(&format!("package {p};\n"));
    }
    if other.is_some() {
        s.push_str("import \"b.proto\";\n");
    }
    s.push_str("import \"google/protobuf/timestamp.proto\";\n");
    let leaf = |t: &Ty| type_name(t, f, other, sfx);
    for (i, m) in f.messages.iter().enumerate() {
        s.push_str(&format!("message {}{sfx} {{\n", MSGS[i]));
        let mut oneof = Vec::new();
        let mut number = 0;
        for (k, fd) in m.fields.iter().enumerate() {
            number += fd.gap;
            let n = fd.number.unwrap_or(number);
            let field_name = format!("{}_{k}", NAMES[fd.name]);
            let line = match &fd.ty {
                Ty::Map(key, v) => {
                    format!("map<{}, {}> {field_name} = {n};", MAP_KEYS[*key], leaf(v))
                }
                t => {
                    let label = match (fd.label, proto3) {
                        _ if fd.oneof => "",
                        (Label::Repeated, _) => "repeated ",
                        (Label::Required, false) => "required ",
                        (Label::None, true) => "",
                        _ => "optional ",
                    };
                    format!("{label}{} {field_name} = {n};", leaf(t))
                }
            };
            if fd.oneof && !matches!(fd.ty, Ty::Map(..)) {
                oneof.push(line);
            } else {
                s.push_str(&format!("  {line}\n"));
            }
        }
        if !oneof.is_empty() {
            s.push_str("  oneof choice {\n");
            for line in oneof {
                s.push_str(&format!("    {line}\n"));
            }
            s.push_str("  }\n");
        }
        for r in 1..=m.reserved {
            s.push_str(&format!("  reserved {};\n", number + r));
        }
        if m.nested_enum {
            s.push_str("  enum Inner { INNER_ZERO = 0; INNER_ONE = 1; }\n");
        }
        s.push_str("}\n");
    }
    s.push_str(&format!("enum E{sfx} {{\n"));
    let mut n = 0;
    for (i, step) in f.values.iter().enumerate() {
        if i > 0 {
            n += step;
        }
        s.push_str(&format!(
            "  E{sfx}_{} = {n};\n",
            NAMES[i % NAMES.len()].to_uppercase()
        ));
    }
    s.push_str("}\n");
    if f.service {
        s.push_str(&format!(
            "service S{sfx} {{\n  rpc Get(M{sfx}) returns (M{sfx});\n  rpc Watch(stream M{sfx}) returns (stream M{sfx});\n}}\n"
        ));
    }
    s
}

fn type_name(t: &Ty, f: &File, other: Option<&File>, sfx: &str) -> String {
    match t {
        Ty::Scalar(k) => SCALARS[*k].to_owned(),
        Ty::Enum => format!("E{sfx}"),
        Ty::Msg(i) => format!("{}{sfx}", MSGS[i % f.messages.len()]),
        Ty::Map(_, v) => type_name(v, f, other, sfx),
        Ty::Timestamp => "google.protobuf.Timestamp".to_owned(),
        Ty::Imported => match other {
            Some(b) => match b.package {
                Some(p) => format!(".{p}.MB"),
                None => ".MB".to_owned(),
            },
            None => format!("M{sfx}"),
        },
    }
}

/// Types of b.proto end in B, so both files can share a package.
fn suffix(file: &str) -> &'static str {
    if file == "b.proto" {
        "B"
    } else {
        ""
    }
}

/// A change to a schema: most are valid, some are not (a number out of
/// range or taken twice, a syntax its enums cannot have).
#[derive(Debug, Clone)]
enum Change {
    FieldType(Index, Index, Ty),
    FieldNumber(Index, Index, u32),
    FieldLabel(Index, Index, Label),
    DeleteField(Index, Index),
    AddField(Index, Field),
    DeleteMessage(Index),
    Syntax(Syntax),
    EnumValue(Index, u32),
    Package(Option<&'static str>),
    Oneof(Index, Index),
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        3 => (any::<Index>(), any::<Index>(), ty()).prop_map(|(m, f, t)| Change::FieldType(m, f, t)),
        2 => (any::<Index>(), any::<Index>(), prop_oneof![
            4 => 1..12u32,
            1 => prop::sample::select(&[0u32, 18999, 19000, 536_870_911, 536_870_912][..]),
        ]).prop_map(|(m, f, n)| Change::FieldNumber(m, f, n)),
        2 => (any::<Index>(), any::<Index>(), label()).prop_map(|(m, f, l)| Change::FieldLabel(m, f, l)),
        2 => (any::<Index>(), any::<Index>()).prop_map(|(m, f)| Change::DeleteField(m, f)),
        2 => (any::<Index>(), field()).prop_map(|(m, f)| Change::AddField(m, f)),
        1 => any::<Index>().prop_map(Change::DeleteMessage),
        1 => syntax().prop_map(Change::Syntax),
        1 => (any::<Index>(), 1..3u32).prop_map(|(v, n)| Change::EnumValue(v, n)),
        1 => prop::option::of(prop::sample::select(&PACKAGES[..])).prop_map(Change::Package),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(m, f)| Change::Oneof(m, f)),
    ]
}

fn change_file(f: &mut File, c: &Change) {
    let msgs = f.messages.len();
    let field = |f: &mut File, m: &Index, i: &Index| -> Option<(usize, usize)> {
        let m = m.index(msgs);
        let n = f.messages[m].fields.len();
        (n > 0).then(|| (m, i.index(n)))
    };
    match c {
        Change::FieldType(m, i, t) => {
            if let Some((m, i)) = field(f, m, i) {
                f.messages[m].fields[i].ty = t.clone();
            }
        }
        Change::FieldNumber(m, i, n) => {
            if let Some((m, i)) = field(f, m, i) {
                f.messages[m].fields[i].number = Some(*n);
            }
        }
        Change::FieldLabel(m, i, l) => {
            if let Some((m, i)) = field(f, m, i) {
                f.messages[m].fields[i].label = *l;
            }
        }
        Change::DeleteField(m, i) => {
            if let Some((m, i)) = field(f, m, i) {
                // The next field keeps its number.
                let gone = f.messages[m].fields.remove(i);
                if let Some(next) = f.messages[m].fields.get_mut(i) {
                    next.gap += gone.gap;
                }
            }
        }
        Change::AddField(m, new) => f.messages[m.index(msgs)].fields.push(new.clone()),
        Change::DeleteMessage(m) => {
            if msgs > 1 {
                f.messages.remove(m.index(msgs));
            }
        }
        Change::Syntax(s) => f.syntax = *s,
        Change::EnumValue(v, n) => {
            let i = v.index(f.values.len());
            f.values[i] = *n;
        }
        Change::Package(p) => f.package = *p,
        Change::Oneof(m, i) => {
            if let Some((m, i)) = field(f, m, i) {
                f.messages[m].fields[i].oneof ^= true;
            }
        }
    }
}

#[derive(Debug, Clone)]
struct ProtoCase {
    /// a.proto, and b.proto (which a.proto imports) if there are two.
    old: Vec<File>,
    /// (file index, change)
    changes: Vec<(Index, Change)>,
    old_text: Option<Vec<Mutation>>,
    new_text: Option<Vec<Mutation>>,
    /// Compare a.proto with a.proto instead of the directories.
    single: bool,
}

fn proto_case() -> impl Strategy<Value = ProtoCase> {
    (
        prop::collection::vec(file(), 1..3),
        prop::collection::vec((any::<Index>(), change()), 0..4),
        prop::option::weighted(0.2, mutations(PROTO_TOKENS)),
        prop::option::weighted(0.2, mutations(PROTO_TOKENS)),
        prop::bool::weighted(0.2),
    )
        .prop_map(|(old, changes, old_text, new_text, single)| ProtoCase {
            old,
            changes,
            old_text,
            new_text,
            single,
        })
}

fn tree(dir: &Path, files: &[File], muts: Option<&Vec<Mutation>>) {
    for (i, f) in files.iter().enumerate() {
        let (name, other) = match i {
            0 => ("a.proto", files.get(1)),
            _ => ("b.proto", None),
        };
        let mut text = render(f, name, other).into_bytes();
        // Text mutations hit a.proto.
        if let (0, Some(m)) = (i, muts) {
            apply(&mut text, m);
        }
        write(&dir.join(name), &text);
    }
}

fn check_sources(case: &ProtoCase) -> Result<Tally, TestCaseError> {
    let tmp = tempfile::tempdir().unwrap();
    let mut new = case.old.clone();
    for (i, c) in &case.changes {
        let n = new.len();
        change_file(&mut new[i.index(n)], c);
    }
    let (old_dir, new_dir) = (tmp.path().join("old"), tmp.path().join("new"));
    tree(&old_dir, &case.old, case.old_text.as_ref());
    tree(&new_dir, &new, case.new_text.as_ref());
    let (o, n) = if case.single {
        (old_dir.join("a.proto"), new_dir.join("a.proto"))
    } else {
        (old_dir, new_dir)
    };
    let mut tally = Tally::default();
    let mut first_error: Option<String> = None;
    for level in Level::ALL {
        let options = Options {
            level: Some(level),
            ..Options::default()
        };
        let result = check_paths(&o, &n, &options);
        tally.add(Tally::of(&result));
        match result {
            Ok(report) => {
                prop_assert!(
                    first_error.is_none(),
                    "an error at one level only: {first_error:?}"
                );
                // A single file's imports (its siblings) are compared too.
                let (od, nd) = if case.single {
                    (o.parent().unwrap(), n.parent().unwrap())
                } else {
                    (o.as_path(), n.as_path())
                };
                for f in &report.findings {
                    prop_assert!(!f.message.is_empty());
                    located(&f.location, &[od, nd])?;
                    if let Some(l) = &f.old_location {
                        located(l, &[od])?;
                    }
                }
                all_formats(&report)?;
            }
            Err(e) => {
                let side = e.side();
                prop_assert!(side.is_some(), "an input error names no side: {e}");
                let input = if side == Some(Side::Old) { &o } else { &n };
                // A single file's error may be in a file it imports.
                let input = if case.single {
                    input.parent().unwrap()
                } else {
                    input
                };
                clear(&e, input)?;
                // The same error whatever the level.
                let msg = e.to_string();
                if let Some(first) = &first_error {
                    prop_assert_eq!(first, &msg);
                }
                first_error = Some(msg);
            }
        }
    }
    Ok(tally)
}

/// A finding's place is in a file of one of `inputs`, within its lines.
fn located(l: &protocheck::Location, inputs: &[&Path]) -> Result<(), TestCaseError> {
    let path = Path::new(&l.path);
    prop_assert!(
        inputs.iter().any(|i| path.starts_with(i)),
        "{} is in none of {inputs:?}",
        l.path
    );
    if let Some(span) = l.span {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let lines = text.lines().count().max(1);
        prop_assert!(
            span.line >= 1 && span.line <= lines && span.column >= 1,
            "{}:{}:{} is outside the file ({lines} lines)",
            l.path,
            span.line,
            span.column
        );
    }
    Ok(())
}

/// Every format renders the report.
fn all_formats(report: &protocheck::Report) -> Result<(), TestCaseError> {
    use protocheck::report::{self, text, Pair};
    let pairs = [Pair {
        against: None,
        report,
    }];
    let mut out = Vec::new();
    let written = text::write_text(report, &mut out, text::TextOptions::default())
        .and_then(|()| report::write_short(report, &mut out))
        .and_then(|()| report::write_json(report, &mut out))
        .and_then(|()| report::sarif::write(&pairs, &mut out))
        .and_then(|()| report::github::write(&pairs, &mut out))
        .and_then(|()| report::junit::write(&pairs, &mut out))
        .and_then(|()| report::gitlab::write(&pairs, &mut out))
        .and_then(|()| {
            report::markdown::write(
                &pairs,
                &mut out,
                &report::markdown::MarkdownOptions::default(),
            )
        });
    prop_assert!(written.is_ok(), "{written:?}");
    Ok(())
}

#[test]
fn proto_sources_end_in_a_verdict_or_a_clear_error() {
    smoke(
        "proto_sources_end_in_a_verdict_or_a_clear_error",
        500,
        proto_case(),
        check_sources,
    );
}

// ---------------------------------------------------------------------------
// (b) Descriptor sets → check, both ways.

/// Valid sets: a rich schema and a small one (with source info and buf's
/// import markers), and a buf image.
fn valid_sets() -> &'static [Vec<u8>] {
    static SETS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    SETS.get_or_init(|| {
        let snapshot = |dir: &str| {
            protocheck::input::snapshot::from_input(&Input::Dir(PathBuf::from(dir)), &[], None)
                .unwrap()
                .0
        };
        vec![
            snapshot("tests/data/roundtrip/old"),
            snapshot("fixtures/order/old"),
            std::fs::read("tests/data/descriptor_sets/buf_image.binpb").unwrap(),
        ]
    })
}

#[rustfmt::skip]
const SET_TOKENS: &[&[u8]] = &[
    b"\n", b"\x0a\x00", b"\x12", b"\x1a\x02", b"\x08\x01", b"\xff\xff\xff\xff\x0f", b"\x80",
    b"\x00",
];

#[derive(Debug, Clone)]
enum SetInput {
    Junk(Vec<u8>),
    /// Bytes flipped, cut, inserted.
    Mutated(Index, Vec<Mutation>),
    /// Decoded, edited and encoded again: well-formed protobuf whose
    /// content is wrong in the ways the validation must catch.
    Edited(Index, Vec<Edit>),
}

/// An edit of a descriptor set: file, message (in pre-order, nested ones
/// too), field, value.
#[derive(Debug, Clone)]
enum Edit {
    FieldNumber(Index, Index, Index, i32),
    FieldType(Index, Index, Index, i32),
    FieldTypeName(Index, Index, Index, &'static str),
    FieldLabel(Index, Index, Index, i32),
    FieldOneof(Index, Index, Index, i32),
    FieldName(Index, Index, Index, &'static str),
    FieldDefault(Index, Index, Index, &'static str),
    FieldJsonName(Index, Index, Index, &'static str),
    Extendee(Index, Index, &'static str),
    MessageName(Index, Index, &'static str),
    MapEntry(Index, Index),
    Reserved(Index, Index, i32, i32),
    RemoveMessage(Index, Index),
    RemoveFile(Index),
    DuplicateFile(Index),
    FileName(Index, &'static str),
    Syntax(Index, &'static str),
    Dependency(Index, &'static str),
    Package(Index, &'static str),
    EnumValue(Index, Index, i32),
    EnumValuesCleared(Index, Index),
    Location(Index, Index, Vec<i32>, Vec<i32>),
    MethodInput(Index, &'static str),
}

const SET_NAMES: &[&str] = &["", "x", "a.b", "1x", "P2", "Sub", "Order", "é", "x y"];
#[rustfmt::skip]
const SET_TYPES: &[&str] = &[
    "", ".fz.P2", "fz.P2", ".nope.X", ".fz.Closed", ".fz.P2.Sub", ".fz.P3", ".fz.Open",
    ".shop.Order", ".google.protobuf.Timestamp", ".fz.P3.MStrEntry", ".",
];
#[rustfmt::skip]
const SET_FILES: &[&str] = &[
    "", "p2.proto", "p3.proto", "shop/order.proto", "missing.proto",
    "google/protobuf/timestamp.proto", "../x.proto",
];
#[rustfmt::skip]
const SET_NUMBERS: &[i32] = &[
    -1, 0, 1, 2, 3, 5, 19000, 536_870_911, 536_870_912, i32::MAX, i32::MIN,
];
#[rustfmt::skip]
const SET_DEFAULTS: &[&str] = &[
    "", "abc", "1", "-1", "inf", "nan", "C_TWO", "\\xff", "true", "99999999999999999999",
];

fn edit() -> impl Strategy<Value = Edit> {
    let i = || any::<Index>();
    let n = || prop::sample::select(SET_NUMBERS);
    let name = || prop::sample::select(SET_NAMES);
    prop_oneof![
        (i(), i(), i(), n()).prop_map(|(f, m, k, v)| Edit::FieldNumber(f, m, k, v)),
        (i(), i(), i(), -1..20i32).prop_map(|(f, m, k, v)| Edit::FieldType(f, m, k, v)),
        (i(), i(), i(), prop::sample::select(SET_TYPES))
            .prop_map(|(f, m, k, v)| Edit::FieldTypeName(f, m, k, v)),
        (i(), i(), i(), -1..5i32).prop_map(|(f, m, k, v)| Edit::FieldLabel(f, m, k, v)),
        (i(), i(), i(), -2..4i32).prop_map(|(f, m, k, v)| Edit::FieldOneof(f, m, k, v)),
        (i(), i(), i(), name()).prop_map(|(f, m, k, v)| Edit::FieldName(f, m, k, v)),
        (i(), i(), i(), prop::sample::select(SET_DEFAULTS))
            .prop_map(|(f, m, k, v)| Edit::FieldDefault(f, m, k, v)),
        (i(), i(), i(), name()).prop_map(|(f, m, k, v)| Edit::FieldJsonName(f, m, k, v)),
        (i(), i(), prop::sample::select(SET_TYPES)).prop_map(|(f, k, v)| Edit::Extendee(f, k, v)),
        (i(), i(), name()).prop_map(|(f, m, v)| Edit::MessageName(f, m, v)),
        (i(), i()).prop_map(|(f, m)| Edit::MapEntry(f, m)),
        (i(), i(), n(), n()).prop_map(|(f, m, a, b)| Edit::Reserved(f, m, a, b)),
        (i(), i()).prop_map(|(f, m)| Edit::RemoveMessage(f, m)),
        i().prop_map(Edit::RemoveFile),
        i().prop_map(Edit::DuplicateFile),
        (i(), prop::sample::select(SET_FILES)).prop_map(|(f, v)| Edit::FileName(f, v)),
        (
            i(),
            prop::sample::select(&["", "proto2", "proto3", "editions", "proto4"][..])
        )
            .prop_map(|(f, v)| Edit::Syntax(f, v)),
        (i(), prop::sample::select(SET_FILES)).prop_map(|(f, v)| Edit::Dependency(f, v)),
        (
            i(),
            prop::sample::select(&["", "fz", "shop", "a..b", ".x"][..])
        )
            .prop_map(|(f, v)| Edit::Package(f, v)),
        (i(), i(), n()).prop_map(|(f, e, v)| Edit::EnumValue(f, e, v)),
        (i(), i()).prop_map(|(f, e)| Edit::EnumValuesCleared(f, e)),
        (
            i(),
            i(),
            prop::collection::vec(-2..40i32, 0..5),
            prop::collection::vec(prop::sample::select(SET_NUMBERS), 0..5)
        )
            .prop_map(|(f, l, p, s)| Edit::Location(f, l, p, s)),
        (i(), prop::sample::select(SET_TYPES)).prop_map(|(f, v)| Edit::MethodInput(f, v)),
    ]
}

/// Pre-order paths of the messages of a file (nested ones too).
fn message_paths(msgs: &[DescriptorProto], prefix: &[usize], out: &mut Vec<Vec<usize>>) {
    for (i, m) in msgs.iter().enumerate() {
        let mut p = prefix.to_vec();
        p.push(i);
        out.push(p.clone());
        message_paths(&m.nested_type, &p, out);
    }
}

fn message_at<'a>(msgs: &'a mut [DescriptorProto], path: &[usize]) -> &'a mut DescriptorProto {
    let m = &mut msgs[path[0]];
    if path.len() == 1 {
        m
    } else {
        message_at(&mut m.nested_type, &path[1..])
    }
}

fn edit_set(set: &mut FileDescriptorSet, e: &Edit) {
    let files = set.file.len();
    if files == 0 {
        return;
    }
    let file = |i: &Index| i.index(files);
    // The message `m` of file `f`, if it has any.
    fn message<'a>(fd: &'a mut FileDescriptorProto, m: &Index) -> Option<&'a mut DescriptorProto> {
        let mut paths = Vec::new();
        message_paths(&fd.message_type, &[], &mut paths);
        if paths.is_empty() {
            return None;
        }
        let p = paths[m.index(paths.len())].clone();
        Some(message_at(&mut fd.message_type, &p))
    }
    fn field<'a>(
        fd: &'a mut FileDescriptorProto,
        m: &Index,
        k: &Index,
    ) -> Option<&'a mut FieldDescriptorProto> {
        let msg = message(fd, m)?;
        let n = msg.field.len();
        (n > 0).then(|| &mut msg.field[k.index(n)])
    }
    match e {
        Edit::FieldNumber(f, m, k, v) => {
            if let Some(x) = field(&mut set.file[file(f)], m, k) {
                x.number = Some(*v);
            }
        }
        Edit::FieldType(f, m, k, v) => {
            if let Some(x) = field(&mut set.file[file(f)], m, k) {
                x.r#type = Some(*v);
            }
        }
        Edit::FieldTypeName(f, m, k, v) => {
            if let Some(x) = field(&mut set.file[file(f)], m, k) {
                x.type_name = Some((*v).to_owned());
            }
        }
        Edit::FieldLabel(f, m, k, v) => {
            if let Some(x) = field(&mut set.file[file(f)], m, k) {
                x.label = Some(*v);
            }
        }
        Edit::FieldOneof(f, m, k, v) => {
            if let Some(x) = field(&mut set.file[file(f)], m, k) {
                x.oneof_index = (*v >= -1).then_some(*v);
            }
        }
        Edit::FieldName(f, m, k, v) => {
            if let Some(x) = field(&mut set.file[file(f)], m, k) {
                x.name = Some((*v).to_owned());
            }
        }
        Edit::FieldDefault(f, m, k, v) => {
            if let Some(x) = field(&mut set.file[file(f)], m, k) {
                x.default_value = Some((*v).to_owned());
            }
        }
        Edit::FieldJsonName(f, m, k, v) => {
            if let Some(x) = field(&mut set.file[file(f)], m, k) {
                x.json_name = Some((*v).to_owned());
            }
        }
        Edit::Extendee(f, k, v) => {
            let fd = &mut set.file[file(f)];
            let n = fd.extension.len();
            if n > 0 {
                fd.extension[k.index(n)].extendee = Some((*v).to_owned());
            }
        }
        Edit::MessageName(f, m, v) => {
            if let Some(x) = message(&mut set.file[file(f)], m) {
                x.name = Some((*v).to_owned());
            }
        }
        Edit::MapEntry(f, m) => {
            if let Some(x) = message(&mut set.file[file(f)], m) {
                let o = x.options.get_or_insert_with(Default::default);
                o.map_entry = Some(!o.map_entry());
            }
        }
        Edit::Reserved(f, m, a, b) => {
            if let Some(x) = message(&mut set.file[file(f)], m) {
                x.reserved_range.push(ReservedRange {
                    start: Some(*a),
                    end: Some(*b),
                });
            }
        }
        Edit::RemoveMessage(f, m) => {
            let fd = &mut set.file[file(f)];
            if !fd.message_type.is_empty() {
                let i = m.index(fd.message_type.len());
                fd.message_type.remove(i);
            }
        }
        Edit::RemoveFile(f) => {
            set.file.remove(file(f));
        }
        Edit::DuplicateFile(f) => {
            let copy = set.file[file(f)].clone();
            set.file.push(copy);
        }
        Edit::FileName(f, v) => set.file[file(f)].name = Some((*v).to_owned()),
        Edit::Syntax(f, v) => set.file[file(f)].syntax = Some((*v).to_owned()),
        Edit::Dependency(f, v) => set.file[file(f)].dependency.push((*v).to_owned()),
        Edit::Package(f, v) => set.file[file(f)].package = Some((*v).to_owned()),
        Edit::EnumValue(f, e, v) => {
            let fd = &mut set.file[file(f)];
            let n = fd.enum_type.len();
            if n > 0 {
                if let Some(value) = fd.enum_type[e.index(n)].value.first_mut() {
                    value.number = Some(*v);
                }
            }
        }
        Edit::EnumValuesCleared(f, e) => {
            let fd = &mut set.file[file(f)];
            let n = fd.enum_type.len();
            if n > 0 {
                fd.enum_type[e.index(n)].value.clear();
            }
        }
        Edit::Location(f, l, path, span) => {
            let fd = &mut set.file[file(f)];
            if let Some(info) = fd.source_code_info.as_mut() {
                let n = info.location.len();
                if n > 0 {
                    let loc = &mut info.location[l.index(n)];
                    loc.path = path.clone();
                    loc.span = span.clone();
                }
            }
        }
        Edit::MethodInput(f, v) => {
            let fd = &mut set.file[file(f)];
            if let Some(m) = fd.service.first_mut().and_then(|s| s.method.first_mut()) {
                m.input_type = Some((*v).to_owned());
            }
        }
    }
}

fn set_input() -> impl Strategy<Value = SetInput> {
    prop_oneof![
        1 => prop::collection::vec(any::<u8>(), 0..300).prop_map(SetInput::Junk),
        2 => (any::<Index>(), mutations(SET_TOKENS)).prop_map(|(i, m)| SetInput::Mutated(i, m)),
        5 => (any::<Index>(), prop::collection::vec(edit(), 1..3)).prop_map(|(i, e)| SetInput::Edited(i, e)),
    ]
}

fn check_set(input: &SetInput, against: usize) -> Result<Tally, TestCaseError> {
    let sets = valid_sets();
    let bytes = match input {
        SetInput::Junk(b) => b.clone(),
        SetInput::Mutated(i, m) => {
            let mut b = sets[i.index(sets.len())].clone();
            apply(&mut b, m);
            b
        }
        SetInput::Edited(i, edits) => {
            // Not the buf image: its editions files would lose their edition
            // (prost-types does not know the field).
            let mut set = FileDescriptorSet::decode(sets[i.index(2)].as_slice()).unwrap();
            for e in edits {
                edit_set(&mut set, e);
            }
            set.encode_to_vec()
        }
    };
    let tmp = tempfile::tempdir().unwrap();
    let set = tmp.path().join("set.binpb");
    write(&set, &bytes);
    let src = PathBuf::from(["tests/data/roundtrip/new", "fixtures/order/new_reuse"][against]);
    let mut tally = Tally::default();
    for (old, new) in [(&set, &src), (&src, &set), (&set, &set)] {
        let result = check_paths(old, new, &Options::default());
        tally.add(Tally::of(&result));
        match result {
            Ok(report) => all_formats(&report)?,
            Err(e) => {
                // The sources are valid: the error is about the set.
                let side = e.side();
                prop_assert!(side.is_some(), "an input error names no side: {e}");
                let input = if side == Some(Side::Old) { old } else { new };
                prop_assert_eq!(input, &set, "an error about the valid side: {}", e);
                clear(&e, &set)?;
            }
        }
    }
    Ok(tally)
}

#[test]
fn descriptor_sets_end_in_a_verdict_or_a_clear_error() {
    smoke(
        "descriptor_sets_end_in_a_verdict_or_a_clear_error",
        600,
        (set_input(), 0..2usize),
        |(input, against)| check_set(input, *against),
    );
}

// ---------------------------------------------------------------------------
// (c) Samples → round trip.

fn schemas() -> &'static (Schema, Schema) {
    static SCHEMAS: OnceLock<(Schema, Schema)> = OnceLock::new();
    SCHEMAS.get_or_init(|| {
        compile_pair(
            &Input::Dir(PathBuf::from("tests/data/roundtrip/old")),
            &Input::Dir(PathBuf::from("tests/data/roundtrip/new")),
            &[],
        )
        .unwrap()
    })
}

const MESSAGES: [&str; 2] = ["fz.P2", "fz.P3"];

/// Valid samples of each message in each format: synthesized and random
/// messages (binary), and hand-written JSON and text.
fn valid_samples(message: usize, format: usize) -> Vec<Vec<u8>> {
    let (old, _) = schemas();
    let desc = old
        .pool
        .as_ref()
        .unwrap()
        .get_message_by_name(MESSAGES[message])
        .unwrap();
    match format {
        0 => {
            let ty = wire::MsgType::new(&desc, &Default::default());
            let mut v: Vec<Vec<u8>> = synth::samples(&ty, None)
                .iter()
                .map(|s| wire::write(&ty, &s.msg))
                .collect();
            let mut rng = synth::Rng::new(7);
            v.extend((0..3).map(|_| wire::write(&ty, &synth::random(&ty, &mut rng))));
            v
        }
        1 => vec![[
            r#"{"fRequired": 1, "fInt32": -5, "fUint64": "18446744073709551615", "g": {"gA": 1, "gB": ["x"]}, "rg": [{"rgA": "3"}], "fClosed": "C_TWO", "rClosed": ["C_BIG", 2], "mClosed": {"a": "C_NEG"}, "[fz.x_int]": 5, "[fz.x_sub]": {"name": "n"}, "oSub": {"name": "s", "e": "C_TWO"}, "fBytes": "AP8=", "fDouble": "NaN", "p3": {"fString": "x", "mMsg": {"-1": {"b": "y"}}}}"#,
            r#"{"fInt32": -5, "fUint64": "10000000000000000000", "fBytes": "//4=", "fOpen": "O_TWO", "rPacked": [1, -2], "mStr": {"k": 3}, "mMsg": {"-5": {"a": 1, "b": "x", "c": ["1"]}}, "mEnum": {"true": "O_ONE", "false": 7}, "oStr": "s", "inner": {"c": ["1", "2"]}, "rDouble": ["NaN", "Infinity", 1e300], "fOpt": 0, "recursive": {"fBool": true}}"#,
        ][message]
            .as_bytes()
            .to_vec()],
        _ => vec![[
            "f_required: 1 f_int32: -5 f_uint64: 18446744073709551615 G { g_a: 1 g_b: \"x\" } RG { rg_a: 3 } f_closed: C_TWO r_closed: [C_BIG, C_NEG] m_closed { key: \"a\" value: C_TWO } [fz.x_int]: 5 [fz.x_sub] { name: \"n\" } o_sub { name: \"s\" } f_bytes: \"\\000\\377\" p3 { f_string: \"x\" }",
            "f_int32: -5 f_bytes: \"\\377\\376\" f_open: O_TWO r_packed: [1, -2] m_str { key: \"k\" value: 3 } m_msg { key: -5 value { a: 1 b: \"x\" } } m_enum { key: true value: O_ONE } o_str: \"s\" inner { c: [1, 2] } r_double: [inf, nan] recursive { f_bool: true }",
        ][message]
            .as_bytes()
            .to_vec()],
    }
}

#[rustfmt::skip]
const SAMPLE_TOKENS: &[&[u8]] = &[
    b"\x08", b"\x10\x01", b"\x1a\x00", b"\xa3\x01", b"\xa4\x01", b"\x0c",
    b"\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", b"\"", b"{", b"}", b"[", b"]", b":", b",", b"null",
    b"\"fInt32\": ", b"\"NaN\"", b"1e999", b"-0", b"\\u0000", b"f_int32: ", b"[fz.x_int]: ", b"<",
    b">", b"#", b"\n", b"\xc3\xa9", b"\"\\xff\"",
];

#[derive(Debug, Clone)]
struct SampleCase {
    message: usize,
    format: usize,
    seed: Index,
    input: SampleInput,
}

#[derive(Debug, Clone)]
enum SampleInput {
    Valid,
    Junk(Vec<u8>),
    Mutated(Vec<Mutation>),
}

fn sample_case() -> impl Strategy<Value = SampleCase> {
    (
        0..2usize,
        0..3usize,
        any::<Index>(),
        prop_oneof![
            1 => Just(SampleInput::Valid),
            1 => prop::collection::vec(any::<u8>(), 0..200).prop_map(SampleInput::Junk),
            4 => mutations(SAMPLE_TOKENS).prop_map(SampleInput::Mutated),
        ],
    )
        .prop_map(|(message, format, seed, input)| SampleCase {
            message,
            format,
            seed,
            input,
        })
}

fn check_sample(case: &SampleCase) -> Result<Tally, TestCaseError> {
    let valid = valid_samples(case.message, case.format);
    let mut bytes = valid[case.seed.index(valid.len())].clone();
    match &case.input {
        SampleInput::Valid => {}
        SampleInput::Junk(b) => bytes = b.clone(),
        SampleInput::Mutated(m) => apply(&mut bytes, m),
    }
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp
        .path()
        .join(["sample.binpb", "sample.json", "sample.txtpb"][case.format]);
    write(&path, &bytes);
    let (old, new) = schemas();
    let options = {
        let mut o = roundtrip::Options::default();
        o.messages = vec![MESSAGES[case.message].to_owned()];
        o.samples = vec![path.clone()];
        o
    };
    let result = roundtrip::run(old, new, &options);
    let tally = Tally::of(&result);
    match result {
        Ok(rt) => {
            prop_assert_eq!(rt.messages.len(), 1);
            let mut out = Vec::new();
            roundtrip::render::write_text(&rt, &mut out, 100).unwrap();
            roundtrip::render::write_json(&rt, &mut out).unwrap();
            if matches!(case.input, SampleInput::Valid) {
                // Valid samples of the old version: the old writer's
                // round trip ran.
                prop_assert!(!rt.messages[0].directions.is_empty());
            }
        }
        Err(e) => {
            prop_assert!(
                !matches!(case.input, SampleInput::Valid),
                "a valid sample was refused: {}",
                rendered(&e)
            );
            clear(&e, &path)?;
        }
    }
    Ok(tally)
}

#[test]
fn samples_end_in_a_round_trip_or_a_clear_error() {
    smoke(
        "samples_end_in_a_round_trip_or_a_clear_error",
        1000,
        sample_case(),
        check_sample,
    );
}

// ---------------------------------------------------------------------------
// (d) Configuration → loading, selection, and a check under it.

const TOML_SEEDS: &[&str] = &[
    "level = \"wire\"\n",
    "use = [\"FILE\"]\nexcept = [\"FIELD_SAME_NAME\", \"FIELD_SAME_JSON_NAME\"]\nignore = [\"shop/legacy.proto\", \"shop\"]\nignore_unstable_packages = true\n\n[ignore_only]\nFIELD_SAME_TYPE = [\"shop/order.proto\"]\nFIELD_NO_DELETE = [\"shop\"]\n",
    "use = [\"WIRE_JSON\", \"FIELD_SAME_CTYPE\", \"ENUM_VALUE_NO_DELETE\"]\nlevel = \"package\"\n",
];

const YAML_SEEDS: &[&str] = &[
    "version: v1\nbreaking:\n  use:\n    - WIRE_JSON\n  except:\n    - FIELD_SAME_NAME\n  ignore:\n    - shop/v1alpha1\n  ignore_only:\n    FIELD_SAME_TYPE:\n      - shop/order.proto\n  ignore_unstable_packages: true\n",
    "version: v1beta1\nbreaking:\n  use: [WIRE]\n",
    "version: v2\nmodules:\n  - path: proto\n    breaking:\n      use: [FILE]\n      ignore: [proto/shop]\n",
    "version: v2\nbreaking:\n  use: [PACKAGE, FIELD_SAME_TYPE]\n  except: [FILE_SAME_GO_PACKAGE]\n",
];

#[rustfmt::skip]
const CONFIG_TOKENS: &[&[u8]] = &[
    b"\"", b"[", b"]", b"=", b"\n", b":", b"- ", b"  ", b"{", b"}", b",", b"#", b"'", b"\t",
    b"FILE", b"WIRE", b"PACKAGE", b"WIRE_JSON", b"FIELD_SAME_TYPE", b"FIELD_SAME_CTYPE", b"NOPE",
    b"v1", b"v2", b"v1beta1", b"v3", b"use", b"except", b"ignore", b"ignore_only", b"level",
    b"true", b"1", b"breaking:", b"modules:", b"&a", b"*a", b"!!binary", b"\xc3\xa9",
    b"\xef\xbb\xbf",
];

fn reuse_schemas() -> &'static (Schema, Schema) {
    static SCHEMAS: OnceLock<(Schema, Schema)> = OnceLock::new();
    SCHEMAS.get_or_init(|| {
        compile_pair(
            &Input::Dir(PathBuf::from("fixtures/order/old")),
            &Input::Dir(PathBuf::from("fixtures/order/new_delete")),
            &[],
        )
        .unwrap()
    })
}

#[derive(Debug, Clone)]
struct ConfigCase {
    yaml: bool,
    seed: Index,
    input: ConfigInput,
}

#[derive(Debug, Clone)]
enum ConfigInput {
    Junk(String),
    Mutated(Vec<Mutation>),
}

fn config_case() -> impl Strategy<Value = ConfigCase> {
    (
        any::<bool>(),
        any::<Index>(),
        prop_oneof![
            1 => "[ -~\n]{0,80}".prop_map(ConfigInput::Junk),
            5 => mutations(CONFIG_TOKENS).prop_map(ConfigInput::Mutated),
        ],
    )
        .prop_map(|(yaml, seed, input)| ConfigCase { yaml, seed, input })
}

fn check_config(case: &ConfigCase) -> Result<Tally, TestCaseError> {
    let seeds = if case.yaml { YAML_SEEDS } else { TOML_SEEDS };
    let bytes = match &case.input {
        ConfigInput::Junk(s) => s.as_bytes().to_vec(),
        ConfigInput::Mutated(m) => {
            let mut b = seeds[case.seed.index(seeds.len())].as_bytes().to_vec();
            apply(&mut b, m);
            b
        }
    };
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join(if case.yaml {
        "buf.yaml"
    } else {
        "protocheck.toml"
    });
    write(&path, &bytes);
    let config = match Config::load(&path) {
        Ok(c) => c,
        Err(e) => {
            clear(&e, &path)?;
            return Ok(Tally {
                verdicts: 0,
                errors: 1,
            });
        }
    };
    let mut tally = Tally::default();
    let (old, new) = reuse_schemas();
    for level in [None, Some(Level::File), Some(Level::Wire)] {
        let options = Options {
            level,
            config: Some(config.clone()),
            ..Options::default()
        };
        let selected = config.select(level);
        tally.add(Tally::of(&selected));
        match selected {
            Ok(_) => match check_schemas(old, new, &options) {
                Ok(report) => all_formats(&report)?,
                Err(e) => prop_assert!(false, "selected, then refused: {e}"),
            },
            Err(e) => {
                clear(&e, &path)?;
                prop_assert!(check_schemas(old, new, &options).is_err());
            }
        }
    }
    Ok(tally)
}

#[test]
fn configurations_load_or_give_a_clear_error() {
    smoke(
        "configurations_load_or_give_a_clear_error",
        1000,
        config_case(),
        check_config,
    );
}

/// The valid inputs behind the mutations are valid: the smoke starts from
/// real schemas, sets, samples and configurations.
#[test]
fn the_seeds_are_valid() {
    for set in valid_sets() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("set.binpb");
        std::fs::write(&p, set).unwrap();
        protocheck::input::descriptor_set::load(Side::Old, &p).unwrap();
    }
    let (old, new) = schemas();
    for (message, name) in MESSAGES.iter().enumerate() {
        for format in 0..3 {
            for (i, bytes) in valid_samples(message, format).iter().enumerate() {
                let tmp = tempfile::tempdir().unwrap();
                let path = tmp.path().join(["s.binpb", "s.json", "s.txtpb"][format]);
                std::fs::write(&path, bytes).unwrap();
                let options = {
                    let mut o = roundtrip::Options::default();
                    o.messages = vec![name.to_string()];
                    o.samples = vec![path];
                    o
                };
                if let Err(e) = roundtrip::run(old, new, &options) {
                    panic!("{} sample {i} in format {format}: {}", name, rendered(&e));
                }
            }
        }
    }
    for (seeds, name) in [(TOML_SEEDS, "protocheck.toml"), (YAML_SEEDS, "buf.yaml")] {
        for s in seeds {
            let c = match name {
                "buf.yaml" => Config::from_buf_yaml(Path::new(name), s),
                _ => Config::from_toml(Path::new(name), s),
            }
            .unwrap();
            c.select(None).unwrap();
        }
    }
}
