//! The round trip held against Google's own runtime (the Python `protobuf`
//! package, upb backend): the 15×15 scalar matrix, enums (open and closed,
//! unknown numbers and names), oneofs, maps, packed and unpacked lists,
//! groups, proto2 defaults and required fields, extensions, and the seed
//! scenario (`fixtures/order`), compared field by field with what the
//! runtime does with the same bytes and JSON (see `tests/oracle/mod.rs`).
//!
//! The test sets up its own venv with the pinned `protobuf` under the cargo
//! target dir (python3 with venv is needed; it says so when missing) and
//! builds descriptor sets with protoc (`PROTOC`, else `PATH`).
//! `ORACLE_FIXTURES=all` holds every fixture against the runtime, not only
//! the editions ones (146 pairs, about a minute in debug).

mod oracle;

use std::path::Path;

use oracle::{Case, Tally, SPEC_RULES};
use protocheck::roundtrip;
use protocheck::{compile_pair, Input};

fn case_dirs(name: &str, old: &Path, new: &Path) -> Case {
    let (o, n) = compile_pair(&Input::Dir(old.into()), &Input::Dir(new.into()), &[])
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let rt = roundtrip::run(&o, &n, &roundtrip::Options::default()).unwrap();
    Case {
        name: name.to_owned(),
        schemas: [o, n],
        sets: [oracle::descriptor_set(old), oracle::descriptor_set(new)],
        rt,
    }
}

fn case(name: &str, old: &str, new: &str) -> Case {
    let dir = tempfile::tempdir().unwrap();
    for (side, src) in [("old", old), ("new", new)] {
        std::fs::create_dir_all(dir.path().join(side)).unwrap();
        std::fs::write(dir.path().join(side).join("t.proto"), src).unwrap();
    }
    case_dirs(name, &dir.path().join("old"), &dir.path().join("new"))
}

/// Fails with every difference; prints what was compared and the spec
/// exceptions.
fn assert_agrees(cases: &[Case], tally: &Tally) {
    let fields: usize = cases
        .iter()
        .flat_map(|c| &c.rt.messages)
        .flat_map(|m| &m.directions)
        .map(|d| d.fields.len())
        .sum();
    eprintln!(
        "oracle: {} cases, {} runs, {} field results ({} merged), {} JSON keys; {} differences",
        cases.len(),
        tally.runs,
        tally.fields,
        fields,
        tally.json_keys,
        tally.diffs.len()
    );
    for (rule, text) in SPEC_RULES {
        if let Some(list) = tally.spec.get(rule) {
            eprintln!("spec rule {rule} ({text}): {} values", list.len());
        }
    }
    assert!(tally.runs > 0 && tally.fields > 0);
    assert!(
        tally.diffs.is_empty(),
        "the round trip and Google's runtime differ:\n{}",
        tally.diffs.join("\n")
    );
}

const KINDS: [&str; 15] = [
    "double", "float", "int32", "int64", "uint32", "uint64", "sint32", "sint64", "fixed32",
    "fixed64", "sfixed32", "sfixed64", "bool", "string", "bytes",
];

fn title(s: &str) -> String {
    let mut c = s.chars();
    c.next().unwrap().to_uppercase().chain(c).collect()
}

#[test]
fn scalar_matrix_agrees_with_googles_runtime() {
    let dir = tempfile::tempdir().unwrap();
    for side in ["old", "new"] {
        let mut src = String::from("syntax = \"proto3\";\npackage mx;\n");
        for a in KINDS {
            for b in KINDS {
                let t = if side == "old" { a } else { b };
                src.push_str(&format!(
                    "message {}To{} {{ {t} v = 1; }}\n",
                    title(a),
                    title(b)
                ));
            }
        }
        std::fs::create_dir_all(dir.path().join(side)).unwrap();
        std::fs::write(dir.path().join(side).join("mx.proto"), src).unwrap();
    }
    let cases = [case_dirs(
        "scalar matrix",
        &dir.path().join("old"),
        &dir.path().join("new"),
    )];
    let tally = oracle::check(&cases);
    assert_agrees(&cases, &tally);
    // 225 pairs, both directions: every field of every pair compared.
    assert!(tally.fields >= 450, "{}", tally.fields);
    // The runtime's leniency the matrix meets, each under its spec rule:
    // `true` read into a double or float, a string that is not base64 read
    // into bytes.
    let spec = |rule: &str| tally.spec.get(rule).map_or(0, Vec::len);
    assert!(spec("bool-is-not-a-number") > 0, "{:?}", tally.spec);
    assert!(spec("bytes-are-base64") > 0, "{:?}", tally.spec);
}

#[test]
fn listed_cases_agree_with_googles_runtime() {
    let cases = [
        case(
            "closed enums",
            "syntax = \"proto2\"; package t; enum S { NEW = 0; PAID = 1; SHIPPED = 2; } message M { optional S s = 1; repeated S all = 2; optional S typed = 3; repeated S packed = 4 [packed = true]; map<string, S> by = 5; }",
            "syntax = \"proto2\"; package t; enum S { NEW = 0; PAID = 1; } message M { optional S s = 1; repeated S all = 2; optional int32 typed = 3; repeated S packed = 4 [packed = true]; map<string, S> by = 5; }",
        ),
        case(
            "open enums",
            "syntax = \"proto3\"; package rt; enum Status { NEW = 0; PAID = 1; SHIPPED = 2; } message Order { Status status = 1; repeated Status all = 2; map<string, Status> by = 3; optional Status maybe = 4; }",
            "syntax = \"proto3\"; package rt; enum Status { NEW = 0; PAID = 1; } message Order { Status status = 1; repeated Status all = 2; map<string, Status> by = 3; optional Status maybe = 4; }",
        ),
        case(
            "integers read as a closed enum",
            "syntax = \"proto2\"; package t; message M { optional int32 a = 1; repeated int32 b = 2 [packed = true]; optional uint32 c = 3; repeated int64 d = 4; }",
            "syntax = \"proto2\"; package t; enum E { Z = 0; ONE = 1; } message M { optional E a = 1; repeated E b = 2 [packed = true]; optional E c = 3; repeated E d = 4; }",
        ),
        case(
            "open to closed enum",
            "syntax = \"proto3\"; package t; enum S { NEW = 0; PAID = 1; SHIPPED = 2; } message M { S s = 1; repeated S all = 2; }",
            "syntax = \"proto2\"; package t; enum S { NEW = 0; PAID = 1; } message M { optional S s = 1; repeated S all = 2; }",
        ),
        case(
            "oneofs",
            "syntax = \"proto3\"; package t; message M { string email = 1; string phone = 2; oneof pay { string card = 3; string iban = 4; int32 points = 5; } }",
            "syntax = \"proto3\"; package t; message M { oneof contact { string email = 1; string phone = 2; } oneof pay { string card = 3; string iban = 4; } int32 points = 5; }",
        ),
        case(
            "maps",
            "syntax = \"proto3\"; package t; message V { int32 a = 1; } message M { map<string, int32> counts = 1; map<int64, string> names = 2; map<string, V> vs = 3; map<bool, bytes> flags = 4; }",
            "syntax = \"proto3\"; package t; message V { sint32 a = 1; } message M { map<string, sint32> counts = 1; message NamesEntry { int64 key = 1; string value = 2; } repeated NamesEntry names = 2; map<string, V> vs = 3; map<int32, bytes> flags = 4; }",
        ),
        case(
            "packed and unpacked lists",
            "syntax = \"proto3\"; package t; message M { repeated int32 a = 1; repeated int32 b = 2 [packed = false]; repeated string c = 3; int32 d = 4; repeated double e = 5; repeated sint64 f = 6; }",
            "syntax = \"proto3\"; package t; message M { repeated int32 a = 1 [packed = false]; repeated int32 b = 2; string c = 3; repeated int32 d = 4; repeated double e = 5 [packed = false]; repeated sint32 f = 6; }",
        ),
        case(
            "proto2 defaults, required fields, groups and extensions",
            "syntax = \"proto2\"; package t;
             message M {
               optional int32 limit = 1 [default = 10];
               optional string id = 2;
               optional group Item = 3 { optional string sku = 1; optional sint32 qty = 2; }
               repeated group Line = 4 { optional int64 n = 1; }
               optional string tag = 6 [default = \"x\"];
               extensions 100 to 199;
             }
             extend M { optional string note = 100; repeated int32 marks = 101; }",
            "syntax = \"proto2\"; package t;
             message M {
               optional int32 limit = 1 [default = 20];
               required string id = 2;
               optional group Item = 3 { optional string sku = 1; optional sint64 qty = 2; }
               repeated group Line = 4 { optional int32 n = 1; }
               required string tag = 6;
               extensions 100 to 199;
             }
             extend M { optional bytes note = 100; repeated sint32 marks = 101; }",
        ),
        case(
            "proto2 and proto3 strings and bytes",
            "syntax = \"proto2\"; package t; message M { optional bytes raw = 1; optional string text = 2; optional int32 zero = 3; }",
            "syntax = \"proto3\"; package t; message M { string raw = 1; bytes text = 2; int32 zero = 3; }",
        ),
        case(
            "a message turned map, lists turned single",
            "syntax = \"proto3\"; package t; message Sub { optional int32 a = 1; optional string b = 2; } message M { Sub f5 = 5; repeated string one = 6; map<string, int32> m = 7; }",
            "syntax = \"proto3\"; package t; message Sub { optional int32 a = 1; optional string b = 2; } message M { map<string, int32> f5 = 5; string one = 6; Sub m = 7; }",
        ),
        case(
            "a message turned enum",
            "syntax = \"proto3\"; package t; message Sub { optional int32 a = 1; optional string b = 2; } enum E { V0 = 0; V1 = 1; } message M { optional bytes f1 = 1; optional Sub f2 = 2; sfixed32 f3 = 3; E f4 = 4; }",
            "syntax = \"proto3\"; package t; message Sub { optional int32 a = 1; optional string b = 2; } enum E { V0 = 0; V1 = 1; } message M { optional bytes f1 = 1; optional E f2 = 2; sfixed32 f3 = 3; E f4 = 4; repeated int32 f5 = 5; }",
        ),
        case(
            "nested messages and unknown fields",
            "syntax = \"proto3\"; package t; message Addr { string city = 1; string zip = 2; fixed64 geo = 3; } message M { Addr home = 1; repeated Addr past = 2; repeated sint64 marks = 3; }",
            "syntax = \"proto3\"; package t; message Addr { string city = 1; } message M { Addr home = 1; repeated Addr past = 2; }",
        ),
    ];
    let tally = oracle::check(&cases);
    assert_agrees(&cases, &tally);
}

#[test]
fn the_unknown_enum_name_is_dropped_as_the_runtime_drops_it() {
    let cases = [case(
        "enum name",
        "syntax = \"proto3\"; package rt; enum Status { NEW = 0; PAID = 1; SHIPPED = 2; } message Order { Status status = 1; }",
        "syntax = \"proto3\"; package rt; enum Status { NEW = 0; PAID = 1; } message Order { Status status = 1; }",
    )];
    let tally = oracle::check(&cases);
    assert_agrees(&cases, &tally);
    let d = cases[0].rt.messages[0]
        .direction(roundtrip::Direction::OldToNew)
        .unwrap();
    let status = d.json_fields.iter().find(|f| f.name == "status").unwrap();
    assert_eq!(status.outcome, roundtrip::Outcome::Dropped);
    assert!(status.is_loss());
    assert_eq!(
        status.strict_error.as_deref(),
        Some("unrecognized enum value 'SHIPPED'")
    );
}

#[test]
fn seed_scenario_agrees_with_googles_runtime() {
    let root = Path::new("fixtures/order");
    let mut cases = Vec::new();
    for new in ["new_add", "new_delete", "new_reserve", "new_reuse"] {
        cases.push(case_dirs(
            &format!("fixtures/order old → {new}"),
            &root.join("old"),
            &root.join(new),
        ));
    }
    let tally = oracle::check(&cases);
    assert_agrees(&cases, &tally);
}

#[test]
fn editions_fixtures_agree_with_googles_runtime() {
    // Features decide per element what syntax decided per file: closed enums,
    // field presence, delimited encoding, packed lists, UTF-8 checks, JSON
    // format. Every editions fixture, old against each new tree
    // (`ORACLE_FIXTURES=all`: every fixture).
    let all = std::env::var("ORACLE_FIXTURES").is_ok_and(|v| v == "all");
    let mut cases = Vec::new();
    let mut fixtures: Vec<_> = std::fs::read_dir("fixtures")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| all || n.to_string_lossy().starts_with("editions_"))
        })
        .collect();
    fixtures.sort();
    for fixture in fixtures {
        let mut news: Vec<_> = std::fs::read_dir(&fixture)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_dir() && p.file_name().unwrap().to_string_lossy().starts_with("new"))
            .collect();
        news.sort();
        for new in news {
            cases.push(case_dirs(
                &format!(
                    "{} old → {}",
                    fixture.display(),
                    new.file_name().unwrap().to_string_lossy()
                ),
                &fixture.join("old"),
                &new,
            ));
        }
    }
    assert!(cases.len() >= 19, "{}", cases.len());
    let tally = oracle::check(&cases);
    assert_agrees(&cases, &tally);
}
