//! `protocheck roundtrip` and `--roundtrip`: what old and new readers see of
//! real bytes, field by field.

mod common;
use common::run;

use std::path::Path;

use protocheck::roundtrip::{self, Direction, FieldResult, Outcome, RoundTrip};
use protocheck::{compile_pair, Input};
use serde_json::Value;

/// Text with its line wrapping undone, to search for sentences.
fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn write(dir: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let p = dir.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

/// Round-trips two versions of one file `t.proto`.
fn roundtrip(old: &str, new: &str, messages: &[&str]) -> RoundTrip {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("old"), &[("t.proto", old)]);
    write(&dir.path().join("new"), &[("t.proto", new)]);
    let (o, n) = compile_pair(
        &Input::Dir(dir.path().join("old")),
        &Input::Dir(dir.path().join("new")),
        &[],
    )
    .unwrap();
    roundtrip::run(&o, &n, &{
        let mut o = roundtrip::Options::default();
        o.messages = messages.iter().map(|m| m.to_string()).collect();
        o
    })
    .unwrap()
}

/// The merged result of a field path (`a.b`) in one direction.
fn field<'a>(rt: &'a RoundTrip, message: &str, d: Direction, path: &str) -> &'a FieldResult {
    let m = rt
        .message(message)
        .unwrap_or_else(|| panic!("no {message}"));
    m.direction(d)
        .unwrap()
        .fields
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| {
            panic!(
                "no {path} in {message} {d:?}: {:#?}",
                m.direction(d).unwrap().fields
            )
        })
}

const OLD: &str = "fixtures/order/old";

// The seed scenario, as the three questions it answers.

#[test]
fn seed_old_reader_keeps_coupon_code_as_unknown_field_4_byte_for_byte() {
    let (code, out, err) = run(&["roundtrip", OLD, "fixtures/order/new_add"]);
    assert_eq!(code, 0, "{out}{err}");
    let text = flat(&out);
    for needle in [
        "new writer → old reader: 3 same, 1 unknown-preserved",
        "coupon_code (4): the old reader has no field 4, so it keeps \"coupon_code-ü\" as unknown field 4 (length-delimited: 22 0e 63 6f 75 70 6f 6e 5f 63 6f 64 65 2d c3 bc) and re-serializes it byte for byte",
        "round trip of 1 message type, both directions: nothing lost or changed",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{out}");
    }
}

#[test]
fn seed_new_reader_of_old_data_sees_coupon_code_empty() {
    let (_, out, _) = run(&["roundtrip", OLD, "fixtures/order/new_add"]);
    let text = flat(&out);
    for needle in [
        "old writer → new reader: 3 same, 1 absent",
        "old writes {order_id: \"order_id-ü\", user_id: \"user_id-ü\", total: 12.5}",
        "same order_id (1), user_id (2), total (3)",
        "absent coupon_code (4): old data has no field 4, so the new reader sees coupon_code empty (\"\")",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{out}");
    }
}

#[test]
fn seed_reused_number_3_arrives_with_the_wrong_wire_type() {
    let (code, out, err) = run(&["roundtrip", OLD, "fixtures/order/new_reuse"]);
    assert_eq!(code, 1, "a value is lost: {out}{err}");
    let text = flat(&out);
    for needle in [
        "wire-type-mismatch total (3): the old float 12.5 arrives as fixed32 0x41480000 (1d 00 00 48 41) where a varint is expected (the new field is int64 total_cents)",
        "protobuf's reference runtimes (C++, Java, Go, Python) keep it as unknown field 3: the application sees total_cents = 0, and re-serializing passes it on byte for byte",
        "prost rejects the whole message: failed to decode Protobuf message: invalid wire type: ThirtyTwoBit (expected Varint)",
        "number 3 was reused (old: `float total`, new: `int64 total_cents`): `reserved 3;` in the new schema, with total_cents under a new number, would have prevented it",
        "the new int64 -5000000000 arrives as varint 18446744068709551616 (18 80 9c e8 af ed ff ff ff ff 01) where a fixed32 value is expected (the old field is float total)",
        "prost rejects the whole message: failed to decode Protobuf message: invalid wire type: Varint (expected ThirtyTwoBit)",
        "JSON dropped total: the new reader calls field 3 \"totalCents\" in JSON and does not accept \"total\"",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{out}");
    }
}

#[test]
fn seed_deleted_and_reserved_fields_stay_unknown_and_the_unreserved_one_says_so() {
    let (code, reserve, _) = run(&["roundtrip", OLD, "fixtures/order/new_reserve"]);
    assert_eq!(code, 0);
    let (code, delete, _) = run(&["roundtrip", OLD, "fixtures/order/new_delete"]);
    assert_eq!(code, 0);
    let kept = "unknown-preserved total (3): the new reader has no field 3, so it keeps 12.5 as unknown field 3 (fixed32: 1d 00 00 48 41) and re-serializes it byte for byte";
    assert!(flat(&reserve).contains(kept), "{reserve}");
    assert!(flat(&delete).contains(kept), "{delete}");
    let warn = "number 3 is not reserved in the new schema: a field added later as 3 would misread this data; `reserved 3;` prevents that";
    assert!(flat(&delete).contains(warn), "{delete}");
    assert!(!flat(&reserve).contains(warn), "{reserve}");
    assert!(flat(&reserve)
        .contains("absent total (3): new data has no field 3, so the old reader sees total = 0"));
}

#[test]
fn seed_json_output_names_outcome_number_and_direction() {
    let (code, out, _) = run(&[
        "roundtrip",
        OLD,
        "fixtures/order/new_reuse",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["loss"], true);
    let m = &doc["messages"][0];
    assert_eq!(m["message"], "shop.Order");
    let d = &m["directions"][0];
    assert_eq!(d["direction"], "old-to-new");
    let f = d["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["number"] == 3)
        .unwrap();
    assert_eq!(f["direction"], "old-to-new");
    assert_eq!(f["outcome"], "wire-type-mismatch");
    assert_eq!(f["written"], "12.5");
    assert_eq!(f["read"], "0");
    assert_eq!(f["wire_type"], "fixed32");
    assert_eq!(f["expected_wire_type"], "varint");
    assert_eq!(f["arrives_as"], "fixed32 0x41480000");
    assert_eq!(f["bytes"], "1d 00 00 48 41");
    assert_eq!(f["bytes_identical"], true);
    assert_eq!(f["returned"], "12.5");
    assert_eq!(
        d["runs"][0]["written"],
        "0a 0b 6f 72 64 65 72 5f 69 64 2d c3 bc 12 0a 75 73 65 72 5f 69 64 2d c3 bc 1d 00 00 48 41"
    );
    assert_eq!(
        d["runs"][0]["prost_error"],
        "failed to decode Protobuf message: invalid wire type: ThirtyTwoBit (expected Varint)"
    );
    assert_eq!(d["runs"][0]["decode_error"], Value::Null);
}

// Every scalar type change, old writer → new reader, in binary and in the
// proto3 JSON mapping. Old writes double 3000000000.5, float 12.5, int32 -5,
// int64 -5000000000, uint32 4000000000, uint64 10000000000000000000,
// sint32 -7, sint64 -7000000000, fixed32 4000000001,
// fixed64 10000000000000000001, sfixed32 -9, sfixed64 -9000000000, bool
// true, string "v-ü", bytes ff fe 00 01.

const KINDS: [&str; 15] = [
    "double", "float", "int32", "int64", "uint32", "uint64", "sint32", "sint64", "fixed32",
    "fixed64", "sfixed32", "sfixed64", "bool", "string", "bytes",
];

/// S same, C converted, W wire-type-mismatch, D decode-error; rows are the
/// writer's type, columns the reader's, in the order of KINDS.
const BINARY: &str = "
double   S W W W W W W W W C W C W W W
float    W S W W W W W W C W C W W W W
int32    W W S S C C C C W W W W C W W
int64    W W C S C C C C W W W W C W W
uint32   W W C S S S C C W W W W C W W
uint64   W W C C C S C C W W W W C W W
sint32   W W C C C C S S W W W W C W W
sint64   W W C C C C C S W W W W C W W
fixed32  W C W W W W W W S W C W W W W
fixed64  C W W W W W W W W S W C W W W
sfixed32 W C W W W W W W C W S W W W W
sfixed64 C W W W W W W W W C W S W W W
bool     W W S S S S C C W W W W S W W
string   W W W W W W W W W W W W W S S
bytes    W W W W W W W W W W W W W D S
";

const JSON: &str = "
double   S C D D D D D D D D D D D D D
float    S S D D D D D D D D D D D D D
int32    S S S S D D S S D D S S D D D
int64    S S D S D D D S D D D S D C C
uint32   S S D S S S D S S S D S D D D
uint64   S C D D D S D D D S D D D C C
sint32   S S S S D D S S D D S S D D D
sint64   S S D S D D D S D D D S D C C
fixed32  S C D S S S D S S S D S D D D
fixed64  C C D D D S D D D S D D D C C
sfixed32 S S S S D D S S D D S S D D D
sfixed64 S C D S D D D S D D D S D C C
bool     D D D D D D D D D D D D S D D
string   D D D D D D D D D D D D D S D
bytes    D D D D D D D D D D D D D C S
";

fn letter(o: &str) -> &'static str {
    match o {
        "same" => "S",
        "converted" => "C",
        "wire-type-mismatch" => "W",
        "decode-error" => "D",
        "dropped" => "X",
        other => panic!("unexpected outcome {other}"),
    }
}

fn title(s: &str) -> String {
    let mut c = s.chars();
    c.next().unwrap().to_uppercase().chain(c).collect()
}

#[test]
fn every_scalar_type_change_pair_in_binary_and_json() {
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
        write(&dir.path().join(side), &[("mx.proto", &src)]);
    }
    let old = dir.path().join("old");
    let new = dir.path().join("new");
    let (code, out, err) = run(&[
        "roundtrip",
        old.to_str().unwrap(),
        new.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    let mut binary = String::from("\n");
    let mut json = String::from("\n");
    for a in KINDS {
        binary.push_str(&format!("{a:<8}"));
        json.push_str(&format!("{a:<8}"));
        for b in KINDS {
            let name = format!("mx.{}To{}", title(a), title(b));
            let m = doc["messages"]
                .as_array()
                .unwrap()
                .iter()
                .find(|m| m["message"] == name.as_str())
                .unwrap();
            let d = &m["directions"][0];
            assert_eq!(d["direction"], "old-to-new");
            let f = &d["fields"][0];
            assert_eq!(
                (f["number"].as_u64(), f["path"].as_str()),
                (Some(1), Some("v"))
            );
            binary.push(' ');
            binary.push_str(letter(f["outcome"].as_str().unwrap()));
            let j = &d["json_fields"][0];
            assert_eq!(j["name"], "v");
            json.push(' ');
            json.push_str(letter(j["outcome"].as_str().unwrap()));
        }
        binary.push('\n');
        json.push('\n');
    }
    assert_eq!(binary, BINARY, "binary outcomes");
    assert_eq!(json, JSON, "JSON outcomes");
}

#[test]
fn converted_values_show_what_each_side_holds() {
    let rt = roundtrip(
        "syntax = \"proto3\"; package t; message M { int32 a = 1; int64 b = 2; uint32 c = 3; sfixed32 d = 4; float e = 5; }",
        "syntax = \"proto3\"; package t; message M { sint32 a = 1; int32 b = 2; int32 c = 3; fixed32 d = 4; fixed32 e = 5; }",
        &[],
    );
    let d = Direction::OldToNew;
    let expect = [
        ("a", "-5", "-2147483646"),
        ("b", "-5000000000", "-705032704"),
        ("c", "4000000000", "-294967296"),
        ("d", "-9", "4294967287"),
        ("e", "12.5", "1095237632"),
    ];
    for (path, written, read) in expect {
        let f = field(&rt, "t.M", d, path);
        assert_eq!(f.outcome, Outcome::Converted, "{path}");
        assert_eq!(f.written.as_deref(), Some(written), "{path}");
        assert_eq!(f.read.as_deref(), Some(read), "{path}");
    }
    let a = field(&rt, "t.M", d, "a");
    assert_eq!(
        a.explanation,
        "old int32 -5 is read by the new reader as sint32 -2147483646; re-serialized, it comes back to the old writer unchanged"
    );
    // int64 → int32 truncates for good: the writer gets the truncated value back.
    let b = field(&rt, "t.M", d, "b");
    assert_eq!(b.returned.as_deref(), Some("-705032704"));
    assert_eq!(b.returned_same, Some(false));
}

#[test]
fn unknown_fields_nested_and_top_level_come_back_byte_for_byte() {
    let rt = roundtrip(
        "syntax = \"proto3\"; package t; message Addr { string city = 1; string zip = 2; } message M { Addr home = 1; repeated sint64 marks = 2; }",
        "syntax = \"proto3\"; package t; message Addr { string city = 1; } message M { Addr home = 1; }",
        &["t.M"],
    );
    let zip = field(&rt, "t.M", Direction::OldToNew, "home.zip");
    assert_eq!(zip.outcome, Outcome::UnknownPreserved);
    assert_eq!(zip.numbers, [1, 2]);
    assert_eq!(zip.bytes.as_deref(), Some("12 06 7a 69 70 2d c3 bc"));
    assert_eq!(zip.bytes_identical, Some(true));
    assert_eq!(zip.returned.as_deref(), Some("\"zip-ü\""));
    let marks = field(&rt, "t.M", Direction::OldToNew, "marks");
    assert_eq!(marks.outcome, Outcome::UnknownPreserved);
    assert_eq!(marks.wire_type, Some("length-delimited"), "packed");
    assert_eq!(marks.bytes_identical, Some(true));
    assert!(!marks.reader_knows_field());
    assert_eq!(
        field(&rt, "t.M", Direction::OldToNew, "home.city").outcome,
        Outcome::Same
    );
    // The other way round, the old reader sees the fields empty.
    assert_eq!(
        field(&rt, "t.M", Direction::NewToOld, "marks").outcome,
        Outcome::Absent
    );
}

#[test]
fn oneofs_every_case_in_turn_and_members_that_clear_each_other() {
    let rt = roundtrip(
        "syntax = \"proto3\"; package t; message M { string email = 1; string phone = 2; oneof pay { string card = 3; string iban = 4; } }",
        "syntax = \"proto3\"; package t; message M { oneof contact { string email = 1; string phone = 2; } oneof pay { string card = 3; string iban = 4; } }",
        &[],
    );
    let m = rt.message("t.M").unwrap();
    let names: Vec<&str> = m.samples[&protocheck::Side::Old]
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(
        names,
        ["every field, pay = card", "every field, pay = iban"]
    );
    // Old data sets both; the new reader keeps the last member only.
    let email = field(&rt, "t.M", Direction::OldToNew, "email");
    assert_eq!(email.outcome, Outcome::Dropped);
    assert_eq!(email.cleared_by, Some(2));
    assert_eq!(
        email.reason.as_deref(),
        Some("the reader has it in oneof \"contact\" with \"phone\" (2), which comes later in the data and clears it")
    );
    assert_eq!(email.returned.as_deref(), Some("not set"));
    assert_eq!(
        field(&rt, "t.M", Direction::OldToNew, "phone").outcome,
        Outcome::Same
    );
    // Each case of "pay" went through on its own.
    for path in ["card", "iban"] {
        assert_eq!(
            field(&rt, "t.M", Direction::OldToNew, path).outcome,
            Outcome::Same
        );
        assert_eq!(
            field(&rt, "t.M", Direction::NewToOld, path).outcome,
            Outcome::Same
        );
    }
    // New writers set one member of "contact" at a time: old readers are fine.
    assert_eq!(
        field(&rt, "t.M", Direction::NewToOld, "email").outcome,
        Outcome::Same
    );
}

#[test]
fn maps_compare_entry_by_entry_and_read_like_repeated_entries() {
    let rt = roundtrip(
        "syntax = \"proto3\"; package t; message M { map<string, int32> counts = 1; map<int64, string> names = 2; }",
        "syntax = \"proto3\"; package t; message M { map<string, sint32> counts = 1; message NamesEntry { int64 key = 1; string value = 2; } repeated NamesEntry names = 2; }",
        &["t.M"],
    );
    let v = field(&rt, "t.M", Direction::OldToNew, "counts.value");
    assert_eq!(v.outcome, Outcome::Converted);
    assert_eq!(
        (v.written.as_deref(), v.read.as_deref()),
        (Some("-5"), Some("-2147483646"))
    );
    assert_eq!(
        field(&rt, "t.M", Direction::OldToNew, "counts.key").outcome,
        Outcome::Same
    );
    for d in Direction::BOTH {
        assert_eq!(field(&rt, "t.M", d, "names.key").outcome, Outcome::Same);
        assert_eq!(field(&rt, "t.M", d, "names.value").outcome, Outcome::Same);
    }
    let run = &rt
        .message("t.M")
        .unwrap()
        .direction(Direction::OldToNew)
        .unwrap()
        .runs[0];
    assert!(
        run.message.contains("counts: {\"key-ü\": -5, \"ß\": 150}"),
        "{}",
        run.message
    );
}

#[test]
fn enums_unknown_values_open_and_closed() {
    // proto2: closed enums. The new reader lacks SHIPPED (2).
    let rt = roundtrip(
        "syntax = \"proto2\"; package t; enum S { NEW = 0; PAID = 1; SHIPPED = 2; } message M { optional S s = 1; repeated S all = 2; optional S typed = 3; }",
        "syntax = \"proto2\"; package t; enum S { NEW = 0; PAID = 1; } message M { optional S s = 1; repeated S all = 2; optional int32 typed = 3; }",
        &["t.M"],
    );
    let s = field(&rt, "t.M", Direction::OldToNew, "s");
    assert_eq!(s.outcome, Outcome::UnknownPreserved);
    assert!(s.reader_knows_field());
    assert_eq!(s.written.as_deref(), Some("SHIPPED (2)"));
    assert_eq!(s.read.as_deref(), Some("NEW (0)"));
    assert_eq!(
        s.explanation,
        "the reader's enum t.S is closed and has no value 2: it keeps it as unknown field 1; the application sees s = NEW (0), and the reader re-serializes it byte for byte"
    );
    assert!(s
        .notes
        .iter()
        .any(|n| n.contains("prost treats every enum as open")));
    // In a list, the unknown value comes back after the known ones.
    let all = field(&rt, "t.M", Direction::OldToNew, "all");
    assert_eq!(all.outcome, Outcome::UnknownPreserved);
    assert_eq!(
        all.written.as_deref(),
        Some("[SHIPPED (2), PAID (1), NEW (0)]")
    );
    assert_eq!(all.read.as_deref(), Some("[PAID (1), NEW (0)]"));
    assert_eq!(
        all.returned.as_deref(),
        Some("[PAID (1), NEW (0), SHIPPED (2)]")
    );
    assert_eq!(all.returned_same, Some(false));
    // An enum read as a plain integer is another kind of value.
    let typed = field(&rt, "t.M", Direction::OldToNew, "typed");
    assert_eq!(typed.outcome, Outcome::Converted);
    assert_eq!(
        (typed.written.as_deref(), typed.read.as_deref()),
        (Some("SHIPPED (2)"), Some("2"))
    );

    // proto3: open enums keep numbers they have no name for.
    let rt = roundtrip(
        "syntax = \"proto3\"; package t; enum S { NEW = 0; PAID = 1; SHIPPED = 2; } message M { S s = 1; }",
        "syntax = \"proto3\"; package t; enum S { NEW = 0; PAID = 1; } message M { S s = 1; }",
        &["t.M"],
    );
    let s = field(&rt, "t.M", Direction::OldToNew, "s");
    assert_eq!(s.outcome, Outcome::Same);
    assert_eq!(s.read.as_deref(), Some("2 (no such value in t.S)"));
    assert_eq!(
        s.notes,
        ["the new enum t.S has no value 2: an open enum keeps the number, but generated code shows it as unrecognized"]
    );
}

#[test]
fn packed_and_unpacked_lists_read_alike_but_lists_and_single_values_do_not() {
    let rt = roundtrip(
        "syntax = \"proto3\"; package t; message M { repeated int32 a = 1; repeated int32 b = 2 [packed = false]; repeated string c = 3; int32 d = 4; }",
        "syntax = \"proto3\"; package t; message M { repeated int32 a = 1 [packed = false]; repeated int32 b = 2; string c = 3; repeated int32 d = 4; }",
        &[],
    );
    let m = rt.message("t.M").unwrap();
    for d in Direction::BOTH {
        for path in ["a", "b"] {
            let f = field(&rt, "t.M", d, path);
            assert_eq!(f.outcome, Outcome::Same, "{path} {d:?}");
            assert_eq!(f.written.as_deref(), Some("[-5, 150, 2147483647]"));
            assert_eq!(f.returned_same, Some(true));
        }
    }
    // Old writes a packed (one length-delimited record), b unpacked (three varints).
    let written = &m.direction(Direction::OldToNew).unwrap().runs[0].written;
    assert!(
        written.starts_with("0a 11 fb ff ff ff ff ff ff ff ff 01 96 01 ff ff ff ff 07 10 fb ff ff ff ff ff ff ff ff 01 10 96 01 10 ff ff ff ff 07"),
        "{written}"
    );
    let c = field(&rt, "t.M", Direction::OldToNew, "c");
    assert_eq!(c.outcome, Outcome::Dropped);
    assert_eq!(
        c.reason.as_deref(),
        Some("the reader's field holds one value: of the 3 written it keeps only the last")
    );
    assert_eq!(c.read.as_deref(), Some("\"✓\""));
    let d = field(&rt, "t.M", Direction::OldToNew, "d");
    assert_eq!(d.outcome, Outcome::Converted);
    assert_eq!(d.read.as_deref(), Some("[-5]"));
    // The new reader writes it back packed, which the old singular reader
    // cannot read: the value does not come back.
    assert_eq!(d.returned_same, Some(false));
}

#[test]
fn proto2_defaults_required_fields_groups_and_extensions() {
    let rt = roundtrip(
        "syntax = \"proto2\"; package t;
         message M {
           optional int32 limit = 1 [default = 10];
           optional string id = 2;
           optional group Item = 3 { optional string sku = 1; optional sint32 qty = 2; }
           extensions 100 to 199;
         }
         extend M { optional string note = 100; }",
        "syntax = \"proto2\"; package t;
         message M {
           optional int32 limit = 1 [default = 20];
           required string id = 2;
           optional group Item = 3 { optional string sku = 1; optional sint64 qty = 2; }
           extensions 100 to 199;
         }
         extend M { optional bytes note = 100; }",
        &["t.M"],
    );
    let m = rt.message("t.M").unwrap();
    let names: Vec<&str> = m.samples[&protocheck::Side::Old]
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(names, ["every field", "required fields only"]);
    let limit = field(&rt, "t.M", Direction::OldToNew, "limit");
    assert_eq!(limit.outcome, Outcome::Converted);
    assert_eq!(limit.sample, 1, "shown by the sample that leaves it unset");
    assert_eq!(limit.written.as_deref(), Some("not set (default 10)"));
    assert_eq!(limit.read.as_deref(), Some("20"));
    let id = field(&rt, "t.M", Direction::OldToNew, "id");
    assert_eq!(id.outcome, Outcome::DecodeError);
    assert_eq!(
        id.reason.as_deref(),
        Some("required field 2 (\"id\") is missing, so the reader rejects the whole message")
    );
    let runs = &m.direction(Direction::OldToNew).unwrap().runs;
    assert_eq!(runs[0].decode_error, None);
    assert_eq!(
        runs[1].decode_error.as_deref(),
        Some("required field 2 (\"id\") is missing")
    );
    let qty = field(&rt, "t.M", Direction::OldToNew, "item.qty");
    assert_eq!(qty.numbers, [3, 2]);
    assert_eq!(
        qty.outcome,
        Outcome::Same,
        "sint32 -7 reads as sint64 -7 inside the group"
    );
    let note = field(&rt, "t.M", Direction::OldToNew, "[t.note]");
    assert_eq!(note.outcome, Outcome::Same);
    assert_eq!(note.written.as_deref(), Some("\"[t.note]-ü\""));
}

#[test]
fn json_leg_shows_renames_and_json_name_changes() {
    let rt = roundtrip(
        "syntax = \"proto3\"; package t; message M { string user_id = 1; string note = 2; int64 big = 3; }",
        "syntax = \"proto3\"; package t; message M { string owner_id = 1; string note = 2 [json_name = \"remark\"]; int32 big = 3; }",
        &[],
    );
    let d = rt
        .message("t.M")
        .unwrap()
        .direction(Direction::OldToNew)
        .unwrap();
    let by = |k: &str| d.json_fields.iter().find(|f| f.name == k).unwrap();
    let user = by("userId");
    assert_eq!(user.outcome, Outcome::Dropped);
    assert_eq!(user.reader_name.as_deref(), Some("ownerId"));
    assert!(user.is_loss());
    assert!(user.explanation.starts_with(
        "the new reader calls field 1 \"ownerId\" in JSON and does not accept \"userId\""
    ));
    // Readers accept the proto name too: old JSON's "note" still reads, but
    // the new writer's "remark" does not.
    assert_eq!(by("note").outcome, Outcome::Same);
    let nd = rt
        .message("t.M")
        .unwrap()
        .direction(Direction::NewToOld)
        .unwrap();
    let remark = nd.json_fields.iter().find(|f| f.name == "remark").unwrap();
    assert_eq!(remark.outcome, Outcome::Dropped);
    assert_eq!(remark.reader_name.as_deref(), Some("note"));
    let big = by("big");
    assert_eq!(big.outcome, Outcome::DecodeError);
    assert!(
        big.explanation.contains("\"-5000000000\""),
        "{}",
        big.explanation
    );
    // The binary leg is fine for the renames.
    assert_eq!(
        field(&rt, "t.M", Direction::OldToNew, "user_id").outcome,
        Outcome::Same
    );
    // A strict parser (the default) rejects the whole document.
    assert!(d.runs[0].json.strict_error.is_some());
}

// Samples from files.

fn sample_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            (
                "order.json",
                "{\"orderId\": \"o-1\", \"userId\": \"u-1\", \"total\": 99.5}\n",
            ),
            (
                "order.txtpb",
                "# proto-message: shop.Order\norder_id: \"o-2\"\ntotal: 7.25\n",
            ),
            ("bad.json", "{\n  \"orderId\": \"o-1\",\n  \"totl\": 3\n}\n"),
            ("bad.txtpb", "order_id: \"o-3\"\ntotl: 3\n"),
            ("bad.binpb", "\u{0a}\u{05}ab"),
            ("sample.yaml", "orderId: x\n"),
        ],
    );
    std::fs::write(
        dir.path().join("order.binpb"),
        [0x0a, 0x03, b'o', b'-', b'3', 0x1d, 0, 0, 0x48, 0x41],
    )
    .unwrap();
    dir
}

#[test]
fn samples_in_json_text_and_binary_are_the_writers_messages() {
    let dir = sample_tree();
    let p = |n: &str| dir.path().join(n).to_string_lossy().into_owned();
    let (code, out, err) = run(&[
        "roundtrip",
        OLD,
        "fixtures/order/new_reuse",
        "--message",
        "shop.Order",
        "--sample",
        &p("order.json"),
        "--sample",
        &p("order.txtpb"),
        "--sample",
        &p("order.binpb"),
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    let m = &doc["messages"][0];
    let old_samples: Vec<&str> = m["samples"]["old"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["source"].as_str().unwrap())
        .collect();
    assert_eq!(old_samples, ["file", "file", "file"]);
    let runs = m["directions"][0]["runs"].as_array().unwrap();
    let messages: Vec<&str> = runs
        .iter()
        .map(|r| r["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        messages,
        [
            "{order_id: \"o-1\", user_id: \"u-1\", total: 99.5}",
            "{order_id: \"o-2\", total: 7.25}",
            "{order_id: \"o-3\", total: 12.5}"
        ]
    );
    // The JSON sample uses "total", which the new version does not have: it
    // is only the old writer's message, as a note says.
    let notes = doc["notes"].as_array().unwrap();
    assert!(
        notes.iter().any(|n| n
            .as_str()
            .unwrap()
            .contains("order.json\" is not a valid new shop.Order")),
        "{notes:?}"
    );
}

#[test]
fn a_bad_sample_exits_2_naming_file_line_and_column() {
    let dir = sample_tree();
    let p = |n: &str| dir.path().join(n).to_string_lossy().into_owned();
    let args = |f: &str| {
        vec![
            "roundtrip".to_owned(),
            OLD.to_owned(),
            "fixtures/order/new_add".to_owned(),
            "--message".to_owned(),
            "shop.Order".to_owned(),
            "--sample".to_owned(),
            p(f),
        ]
    };
    let go = |f: &str| {
        let a = args(f);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        run(&a)
    };
    let (code, out, err) = go("bad.json");
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains(&format!("{}:3:3: ", p("bad.json"))), "{err}");
    assert!(err.contains("totl"), "{err}");
    let (code, _, err) = go("bad.txtpb");
    assert_eq!(code, 2);
    assert!(err.contains(&format!("{}:2:1: ", p("bad.txtpb"))), "{err}");
    assert!(err.contains("totl"), "{err}");
    assert!(err.contains("totl: 3"), "snippet: {err}");
    let (code, _, err) = go("bad.binpb");
    assert_eq!(code, 2);
    assert!(
        err.contains(&format!("{} at byte 0: ", p("bad.binpb"))),
        "{err}"
    );
    let (code, _, err) = go("sample.yaml");
    assert_eq!(code, 2);
    assert!(err.contains("has an unknown format"), "{err}");
    let (code, _, err) = go("missing.json");
    assert_eq!(code, 2);
    assert!(err.contains("cannot read sample"), "{err}");
    // Without --message, a JSON sample does not say what it is.
    let (code, _, err) = run(&[
        "roundtrip",
        OLD,
        "fixtures/order/new_add",
        "--sample",
        &p("order.json"),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("which message type is it?"), "{err}");
}

#[test]
fn a_json_error_inside_a_multibyte_character_is_an_error_not_a_panic() {
    // Found by fuzz/fuzz_targets/roundtrip.rs (its first byte picks JSON):
    // serde_json's column fell inside U+07AD, and slicing there panicked.
    let input = std::fs::read("tests/data/fuzz/roundtrip-json-column-inside-char").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let sample = dir.path().join("s.json");
    std::fs::write(&sample, &input[1..]).unwrap();
    let (code, out, err) = run(&[
        "roundtrip",
        OLD,
        "fixtures/order/new_add",
        "--message",
        "shop.Order",
        "--sample",
        sample.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty());
    assert!(err.contains(&format!("{}:1:", sample.display())), "{err}");
    assert!(
        !err.contains("panicked") && !err.contains("internal error"),
        "{err}"
    );
}

#[test]
fn unknown_message_exits_2_and_nothing_in_common_is_a_note() {
    let (code, _, err) = run(&[
        "roundtrip",
        OLD,
        "fixtures/order/new_add",
        "--message",
        "shop.Ordr",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("message \"shop.Ordr\" is not in the old schema"),
        "{err}"
    );
    assert!(err.contains("did you mean \"shop.Order\"?"), "{err}");
    let (code, out, _) = run(&["roundtrip", OLD, "fixtures/enum_same_type/old"]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "note: no message type is defined in both the old and the new schema: nothing to round-trip\nround trip of no message type, both directions: nothing lost or changed\n"
    );
    // The check with --roundtrip still runs.
    let (code, out, _) = run(&[
        "fixtures/enum_value_no_delete/old",
        "fixtures/enum_value_no_delete/new",
        "--roundtrip",
        "--format",
        "short",
    ]);
    assert_eq!(code, 1);
    assert!(out.contains("ENUM_VALUE_NO_DELETE"), "{out}");
    let (code, _, err) = run(&["roundtrip", OLD, "fixtures/nope"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("new input \"fixtures/nope\" does not exist"),
        "{err}"
    );
}

#[test]
fn a_schema_without_descriptors_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[(
            "a.proto",
            "syntax = \"proto3\"; package a; message A { int32 x = 1; }",
        )],
    );
    let (o, mut n) = compile_pair(
        &Input::File(dir.path().join("a.proto")),
        &Input::File(dir.path().join("a.proto")),
        &[],
    )
    .unwrap();
    n.pool = None;
    let err = roundtrip::run(&o, &n, &roundtrip::Options::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the new schema has no descriptors to encode messages with"
    );
}

// --roundtrip on the check.

#[test]
fn check_with_roundtrip_adds_evidence_under_each_finding_and_keeps_the_exit_code() {
    let (code, out, err) = run(&[
        OLD,
        "fixtures/order/new_reuse",
        "--roundtrip",
        "--level",
        "wire",
    ]);
    assert_eq!(code, 1, "{err}");
    let text = flat(&out);
    let finding = text.find("FIELD_WIRE_COMPATIBLE_TYPE").unwrap();
    let evidence = text.find("round trip (protocheck roundtrip):").unwrap();
    assert!(finding < evidence);
    assert!(text.contains("old → new wire-type-mismatch total (3): the old float 12.5 arrives as fixed32 0x41480000"), "{out}");
    assert!(
        text.contains("new → old wire-type-mismatch total_cents (3):"),
        "{out}"
    );
    assert!(
        text.ends_with("1 breaking change at level wire (1 file old, 1 file new)"),
        "{out}"
    );

    let (code, out, _) = run(&[OLD, "fixtures/order/new_add", "--roundtrip"]);
    assert_eq!(code, 0);
    assert!(
        !out.contains("round trip"),
        "no finding, no evidence: {out}"
    );

    let (code, out, _) = run(&[
        OLD,
        "fixtures/order/new_delete",
        "--roundtrip",
        "--level",
        "wire",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let doc: Value = serde_json::from_str(&out).unwrap();
    let ev = doc["findings"][0]["roundtrip"].as_array().unwrap();
    let outcomes: Vec<(&str, &str)> = ev
        .iter()
        .map(|r| {
            (
                r["direction"].as_str().unwrap(),
                r["outcome"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        outcomes,
        [
            ("old-to-new", "unknown-preserved"),
            ("new-to-old", "absent")
        ]
    );
    // Without --roundtrip the document has no such key.
    let (_, out, _) = run(&[
        OLD,
        "fixtures/order/new_delete",
        "--level",
        "wire",
        "--format",
        "json",
    ]);
    assert!(!out.contains("\"roundtrip\""));
}

// The README shows real output.

fn readme_block<'a>(readme: &'a str, name: &str) -> (&'a str, &'a str, &'a str) {
    let start = format!("<!-- {name}:start -->\n");
    let end = format!("<!-- {name}:end -->");
    let (head, rest) = readme.split_once(&start).expect("start marker");
    let (block, tail) = rest.split_once(&end).expect("end marker");
    (head, block, tail)
}

#[test]
fn readme_roundtrip_output_is_real() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let (head, current, tail) = readme_block(&readme, "roundtrip");
    let (code, out, _) = run(&["roundtrip", OLD, "fixtures/order/new_reuse"]);
    assert_eq!(code, 1);
    let want = format!(
        "```text\n$ protocheck roundtrip fixtures/order/old fixtures/order/new_reuse\n{out}```\n"
    );
    if current != want {
        if std::env::var_os("UPDATE_EXPECT").is_some() {
            std::fs::write(
                "README.md",
                format!("{head}<!-- roundtrip:start -->\n{want}<!-- roundtrip:end -->{tail}"),
            )
            .unwrap();
        } else {
            panic!("README round-trip output is stale; run UPDATE_EXPECT=1 cargo test --test roundtrip\n{want}");
        }
    }
    // The --roundtrip excerpt is real output, line for line and in order.
    let (_, excerpt, _) = readme_block(&readme, "roundtrip-check");
    let (code, out, _) = run(&[
        OLD,
        "fixtures/order/new_delete",
        "--level",
        "wire",
        "--roundtrip",
    ]);
    assert_eq!(code, 1);
    let mut rest = out.as_str();
    for line in excerpt.lines() {
        if line.starts_with("```") || line.starts_with('$') || line == "…" {
            continue;
        }
        let at = rest
            .find(line)
            .unwrap_or_else(|| panic!("README line not in the output: {line:?}\n{out}"));
        rest = &rest[at + line.len()..];
    }
}

#[test]
fn maps_of_enums_write_telling_values_and_unwritten_keys_show_their_default() {
    // Synthesizing a map of enums indexed past the one value it chose: a
    // panic on any enum-valued map.
    let rt = roundtrip(
        "syntax = \"proto2\"; package t; enum C { A = 0; B = 1; D = 2; } message M { map<string, C> closed = 1; }",
        "syntax = \"proto2\"; package t; enum C { A = 0; B = 1; } message M { map<string, C> closed = 1; }",
        &["t.M"],
    );
    // As the reference runtimes do, the entry whose value the closed enum
    // lacks goes to the unknown fields whole (Google's runtime agrees:
    // tests/roundtrip_oracle.rs).
    let v = field(&rt, "t.M", Direction::OldToNew, "closed");
    assert_eq!(v.outcome, Outcome::UnknownPreserved, "{v:#?}");
    assert_eq!(v.read.as_deref(), Some("{\"ß\": B (1)}"), "{v:#?}");
    assert_eq!(
        v.reason.as_deref(),
        Some("the reader's enum t.C is closed and has no value 2: it keeps it as unknown field 1 (the whole map entry)")
    );
    let run = &rt
        .message("t.M")
        .unwrap()
        .direction(Direction::OldToNew)
        .unwrap()
        .runs[0];
    assert!(
        run.message
            .contains("closed: {\"key-ü\": D (2), \"ß\": B (1)}"),
        "{}",
        run.message
    );

    // proto3: the key false is not written, and readers see false.
    let open = "syntax = \"proto3\"; package t; enum O { Z = 0; P = 1; } message M { map<bool, O> open = 1; }";
    let rt = roundtrip(open, open, &["t.M"]);
    let run = &rt
        .message("t.M")
        .unwrap()
        .direction(Direction::OldToNew)
        .unwrap()
        .runs[0];
    assert!(
        run.message
            .contains("open: {true: 2 (no such value in t.O), false: P (1)}"),
        "{}",
        run.message
    );
    for d in Direction::BOTH {
        assert_eq!(field(&rt, "t.M", d, "open.key").outcome, Outcome::Same);
        assert_eq!(field(&rt, "t.M", d, "open.value").outcome, Outcome::Same);
    }
}

#[test]
fn a_string_turned_message_is_explained_as_the_bytes_show_it() {
    // Both are length-delimited, but the checker used to say that string
    // values "keep their meaning on the wire".
    let old = "syntax = \"proto3\"; package t; message In { sint32 a = 1; } message M { string s = 1; In m = 2; }";
    let new = "syntax = \"proto3\"; package t; message In { sint32 a = 1; } message M { In s = 1; string m = 2; }";
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("old"), &[("t.proto", old)]);
    write(&dir.path().join("new"), &[("t.proto", new)]);
    let options = protocheck::Options {
        level: Some(protocheck::Level::Wire),
        ..protocheck::Options::default()
    };
    let report =
        protocheck::check_paths(dir.path().join("old"), dir.path().join("new"), &options).unwrap();
    let messages: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| f.rule == "FIELD_WIRE_COMPATIBLE_TYPE")
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(
        messages,
        [
            "field 1 of message \"t.M\" changed type from \"string\" to message \"t.In\": string values are parsed as message \"t.In\": unless the bytes happen to be a valid one, readers fail to decode the whole message",
            "field 2 of message \"t.M\" changed type from message \"t.In\" to \"string\": the message's encoded bytes are read as a string, which they rarely are: readers that check UTF-8 fail to decode the whole message",
        ]
    );
    // What the bytes do.
    let rt = roundtrip(old, new, &["t.M"]);
    assert_eq!(
        field(&rt, "t.M", Direction::OldToNew, "s").outcome,
        Outcome::DecodeError
    );
}

#[test]
fn values_kept_only_as_unknown_fields_are_counted_in_the_summary() {
    // new_add adds coupon_code = 4: old readers keep it as an unknown field.
    // (--color is accepted by every subcommand.)
    let (code, out, err) = run(&[
        "roundtrip",
        OLD,
        "fixtures/order/new_add",
        "--color",
        "never",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("both directions: nothing lost or changed; 1 value kept only as unknown fields (passed on byte for byte, not seen by the reader)"),
        "{out}"
    );
    // --roundtrip with a format that has no place for the evidence says so.
    let (code, _, err) = run(&[
        OLD,
        "fixtures/order/new_delete",
        "--roundtrip",
        "--format",
        "sarif",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("note: --roundtrip evidence is shown in text and json output only"),
        "{err}"
    );
}

#[test]
fn an_enum_name_the_reader_lacks_is_dropped_in_json_everywhere_it_is_summarized() {
    // Google's runtime rejects the whole message with a strict parser and
    // leaves the field unset with a lenient one (tests/roundtrip_oracle.rs).
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("old"),
        &[("t.proto", "syntax = \"proto3\"; package rt; enum Status { NEW = 0; PAID = 1; SHIPPED = 2; } message Order { Status status = 1; }")],
    );
    write(
        &dir.path().join("new"),
        &[("t.proto", "syntax = \"proto3\"; package rt; enum Status { NEW = 0; PAID = 1; reserved 2; } message Order { Status status = 1; }")],
    );
    let (old, new) = (dir.path().join("old"), dir.path().join("new"));
    let (old, new) = (old.to_str().unwrap(), new.to_str().unwrap());
    // Text: the JSON line, and the summary counts it as a loss (exit 1).
    let (code, out, err) = run(&["roundtrip", old, new]);
    assert_eq!(code, 1, "{out}{err}");
    let text = flat(&out);
    for needle in [
        "JSON dropped status: the new reader does not accept status = \"SHIPPED\" (unrecognized enum value 'SHIPPED'): strict parsers (the default in protobuf's runtimes) reject the whole message, lenient ones drop the value and read the default",
        "both directions: 1 value lost or changed (1 JSON)",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{out}");
    }
    // JSON: the outcome, the strict error, the JSON summary.
    let (code, out, _) = run(&["roundtrip", old, new, "--format", "json"]);
    assert_eq!(code, 1);
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["loss"], true);
    assert_eq!(doc["json_summary"]["dropped"], 1);
    let d = &doc["messages"][0]["directions"][0];
    assert_eq!(d["direction"], "old-to-new");
    let j = &d["json_fields"][0];
    assert_eq!(
        (
            &j["name"],
            &j["outcome"],
            &j["strict_error"],
            &j["reader_has_key"]
        ),
        (
            &Value::from("status"),
            &Value::from("dropped"),
            &Value::from("unrecognized enum value 'SHIPPED'"),
            &Value::from(true)
        )
    );
    assert_eq!(d["fields"][0]["json"]["outcome"], "dropped");
    // The check's evidence, text and JSON, under the deleted value.
    // Binary readers keep the number (reserved), JSON readers lose the name:
    // level wire-json says so.
    let (code, out, _) = run(&[old, new, "--level", "wire-json", "--roundtrip"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        flat(&out).contains(
            "old → new JSON dropped status: the new reader does not accept status = \"SHIPPED\""
        ),
        "{out}"
    );
    let (_, out, _) = run(&[
        old,
        new,
        "--level",
        "wire-json",
        "--roundtrip",
        "--format",
        "json",
    ]);
    let doc: Value = serde_json::from_str(&out).unwrap();
    let finding = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED")
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        finding["roundtrip"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["json"]["outcome"] == "dropped"
                && r["json"]["strict_error"] == "unrecognized enum value 'SHIPPED'"),
        "{finding:#}"
    );
}

// The text output shows the first sample as written and as read, in
// protobuf text format, as a diff.

#[test]
fn text_output_diffs_the_sample_as_written_and_as_read() {
    let (code, out, _) = run(&["roundtrip", OLD, "fixtures/order/new_reuse"]);
    assert_eq!(code, 1);
    // The old float arrives where the new reader expects a varint: it keeps
    // the record as unknown field 3, and sees no total.
    let want = "    as written (-, old) and as read (+, new):\n      order_id: \"order_id-ü\"\n      user_id: \"user_id-ü\"\n    - total: 12.5\n    + # 3: unknown, fixed32 0x41480000\n";
    assert!(out.contains(want), "{out}");
    // And the other way: the new int64 is unknown to the old reader.
    assert!(
        out.contains("as written (-, new) and as read (+, old):"),
        "{out}"
    );
    assert!(out.contains("    - total_cents: -5000000000\n"), "{out}");
    assert!(
        out.contains("    + # 3: unknown, varint 18446744068709551616\n"),
        "{out}"
    );
}

#[test]
fn text_output_has_no_diff_where_the_reader_sees_what_was_written() {
    // The same schema on both sides: every value reads as written.
    let (code, out, _) = run(&["roundtrip", OLD, OLD]);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("as written"), "{out}");
    assert!(!out.contains("\n    - "), "{out}");
    assert!(!out.contains("\n    + "), "{out}");
    // A field added in the new schema: the new reader sees exactly what the
    // old writer wrote (no diff); only the old reader, which lacks field 4,
    // sees it differently.
    let (_, out, _) = run(&["roundtrip", OLD, "fixtures/order/new_add"]);
    let (to_new, to_old) = out.split_once("new writer → old reader").unwrap();
    assert!(!to_new.contains("as written"), "{out}");
    assert!(
        to_old.contains("as written (-, new) and as read (+, old):"),
        "{out}"
    );
    assert!(
        to_old.contains("    - coupon_code: \"coupon_code-ü\"\n"),
        "{out}"
    );
    assert!(
        to_old.contains("    + # 4: unknown, length-delimited (14 bytes)\n"),
        "{out}"
    );
}

#[test]
fn json_output_has_no_text_diff() {
    let (_, out, _) = run(&[
        "roundtrip",
        OLD,
        "fixtures/order/new_reuse",
        "--format",
        "json",
    ]);
    assert!(
        !out.contains("as_written") && !out.contains("as_read"),
        "{out}"
    );
}
