//! Descriptor sets say what their sources say.
//!
//! Every fixture tree (proto2, proto3 and editions) is compiled with protoc
//! into two descriptor sets: one with source info and imports, one with
//! neither (for the editions trees built by protoc too; for the others the
//! first one stripped, which the editions trees show to be the same). Checked against each other, they must give the findings the
//! `.proto` trees give (`tests/fixtures.rs`), at every level: with source
//! info at the same lines and columns, without it naming the element.
//!
//! These tests need an editions-capable protoc, found as protocheck finds it
//! (`PROTOC`, else `protoc` on `PATH`, else the bundled protoc).

mod common;

use common::{cases, protoc, walk};

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use protocheck::rules::Level;
use protocheck::{check_paths, check_schemas, Finding, Input, Options, Schema, Side};

fn trees(case: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(case)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.is_dir() && {
                let n = p.file_name().unwrap().to_string_lossy();
                n == "old" || n.starts_with("new")
            }
        })
        .collect();
    v.sort();
    v
}

/// Import names of the `.proto` files of a tree.
fn names(tree: &Path) -> Vec<String> {
    let mut v: Vec<String> = walk(tree)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "proto"))
        .map(|p| {
            p.strip_prefix(tree)
                .unwrap()
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect();
    v.sort();
    v
}

/// `protoc -o out` over every file of the tree.
fn build(tree: &Path, out: &Path, source_info: bool, imports: bool) {
    let mut cmd = Command::new(protoc());
    cmd.arg(format!("--proto_path={}", tree.display()))
        .arg(format!("--descriptor_set_out={}", out.display()));
    if source_info {
        cmd.arg("--include_source_info");
    }
    if imports {
        cmd.arg("--include_imports");
    }
    let output = cmd.args(names(tree)).output().unwrap();
    assert!(
        output.status.success(),
        "protoc failed on {}: {}",
        tree.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Both sets of a tree: (with source info and imports, with neither).
struct Sets {
    full: PathBuf,
    bare: PathBuf,
}

/// The fields of a message as (field number, the field's bytes with its key),
/// and for length-delimited fields their payload.
fn fields(mut b: &[u8]) -> Vec<(u32, Vec<u8>, Vec<u8>)> {
    use prost::encoding::{decode_key, decode_varint, WireType};
    let mut out = Vec::new();
    while !b.is_empty() {
        let start = b;
        let (tag, wire) = decode_key(&mut b).unwrap();
        let mut payload = Vec::new();
        match wire {
            WireType::Varint => {
                decode_varint(&mut b).unwrap();
            }
            WireType::LengthDelimited => {
                let n = decode_varint(&mut b).unwrap() as usize;
                payload = b[..n].to_vec();
                b = &b[n..];
            }
            WireType::SixtyFourBit => b = &b[8..],
            WireType::ThirtyTwoBit => b = &b[4..],
            other => panic!("unexpected wire type {other:?}"),
        }
        out.push((tag, start[..start.len() - b.len()].to_vec(), payload));
    }
    out
}

/// The files of a set, each re-encoded without source info (field 9) and
/// keeping only the tree's own files: what protoc writes without
/// `--include_source_info` and `--include_imports`.
fn strip(set: &[u8], own: &[String]) -> Vec<Vec<u8>> {
    fields(set)
        .into_iter()
        .filter(|(tag, _, _)| *tag == 1)
        .filter_map(|(_, _, file)| {
            let parts = fields(&file);
            let name = parts.iter().find(|(t, _, _)| *t == 1)?;
            own.contains(&String::from_utf8(name.2.clone()).unwrap())
                .then(|| {
                    parts
                        .into_iter()
                        .filter(|(t, _, _)| *t != 9)
                        .flat_map(|(_, raw, _)| raw)
                        .collect()
                })
        })
        .collect()
}

fn encode_set(files: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    for f in files {
        out.push(0x0a);
        prost::encoding::encode_varint(f.len() as u64, &mut out);
        out.extend(f);
    }
    out
}

/// Builds both sets of every fixture tree: the full one with protoc, the
/// bare one by stripping it. For the editions trees protoc also builds the
/// bare set, which must hold the same files.
fn build_all(tmp: &Path) -> Vec<(PathBuf, Sets)> {
    let jobs: Vec<(PathBuf, Sets)> = cases()
        .iter()
        .flat_map(|c| trees(c))
        .enumerate()
        .map(|(i, tree)| {
            let sets = Sets {
                full: tmp.join(format!("{i}-full.binpb")),
                bare: tmp.join(format!("{i}-bare.pb")),
            };
            (tree, sets)
        })
        .collect();
    // Two at a time: protoc is a process per set.
    std::thread::scope(|s| {
        for chunk in jobs.chunks(jobs.len().div_ceil(2)) {
            s.spawn(move || {
                for (tree, sets) in chunk {
                    build(tree, &sets.full, true, true);
                    let mut stripped = strip(&std::fs::read(&sets.full).unwrap(), &names(tree));
                    stripped.sort();
                    if tree.to_string_lossy().contains("editions_") {
                        build(tree, &sets.bare, false, false);
                        let mut made = fields(&std::fs::read(&sets.bare).unwrap())
                            .into_iter()
                            .map(|(_, _, f)| f)
                            .collect::<Vec<_>>();
                        made.sort();
                        assert!(
                            made == stripped,
                            "{}: stripping differs from protoc",
                            tree.display()
                        );
                    }
                    std::fs::write(&sets.bare, encode_set(&stripped)).unwrap();
                }
            });
        }
    });
    jobs
}

/// What a finding says, and where when `positions`.
fn key(f: &Finding, positions: bool) -> String {
    let at = |l: &protocheck::Location| match (positions, l.span) {
        (true, Some(s)) => format!(
            "{}:{}:{}-{}:{}",
            l.file, s.line, s.column, s.end_line, s.end_column
        ),
        _ => l.file.clone(),
    };
    format!(
        "{} {:?} {} @ {} (old {}): {} | {}",
        f.rule,
        f.severity,
        f.element,
        at(&f.location),
        f.old_location.as_ref().map(at).unwrap_or_default(),
        f.message,
        match (&f.fix, f.help.as_deref()) {
            (Some(_), Some(h)) => format!("{FIX}{h}"),
            (_, h) => h.unwrap_or_default().to_owned(),
        }
    )
}

/// Marks a help rendered from a machine-applicable fix.
const FIX: &str = "fix: ";

/// A fix's help quotes the new and old text, which only sources have: where
/// the sources give a finding a fix, the sets must give the same finding,
/// with a help of their own (in words) and no fix.
fn without_text_fixes(got: &[String], want: &[String]) -> (Vec<String>, Vec<String>) {
    let head = |k: &str| k.split_once(" | ").map_or(k, |(h, _)| h).to_owned();
    let fixed: BTreeSet<String> = want
        .iter()
        .filter(|k| k.contains(&format!(" | {FIX}")))
        .map(|k| head(k))
        .collect();
    let strip = |v: &[String]| -> Vec<String> {
        v.iter()
            .map(|k| {
                if fixed.contains(&head(k)) && !k.ends_with(" | ") {
                    head(k) + " | (a help)"
                } else {
                    k.clone()
                }
            })
            .collect()
    };
    (strip(got), strip(want))
}

/// Compiles (or loads) each input once.
struct Schemas(std::collections::HashMap<PathBuf, (Schema, Schema)>);

impl Schemas {
    fn get(&mut self, path: &Path) {
        self.0.entry(path.to_path_buf()).or_insert_with(|| {
            let compile = |side| {
                let input = Input::from_path(side, path).unwrap();
                protocheck::input::compile(side, &input, &[])
                    .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()))
            };
            (compile(Side::Old), compile(Side::New))
        });
    }

    fn keys(&mut self, old: &Path, new: &Path, level: Level, positions: bool) -> Vec<String> {
        let options = Options {
            level: Some(level),
            ..Options::default()
        };
        self.get(old);
        self.get(new);
        let (o, n) = (&self.0[old].0, &self.0[new].1);
        let report = check_schemas(o, n, &options).unwrap();
        let mut v: Vec<String> = report.findings.iter().map(|f| key(f, positions)).collect();
        v.sort();
        v
    }
}

#[test]
fn descriptor_sets_give_the_findings_of_their_sources() {
    let tmp = tempfile::tempdir().unwrap();
    let built = build_all(tmp.path());
    let sets = |tree: &Path| &built.iter().find(|(t, _)| t == tree).unwrap().1;
    let mut schemas = Schemas(Default::default());
    let mut failures = Vec::new();
    let mut compared = 0;
    for case in cases() {
        let old = case.join("old");
        for new in trees(&case).into_iter().filter(|t| t != &old) {
            let (os, ns) = (sets(&old), sets(&new));
            for level in Level::ALL {
                let from_source = schemas.keys(&old, &new, level, true);
                let unplaced = schemas.keys(&old, &new, level, false);
                let checks = [
                    (
                        "sets with source info",
                        schemas.keys(&os.full, &ns.full, level, true),
                        &from_source,
                    ),
                    (
                        "sets without source info",
                        schemas.keys(&os.bare, &ns.bare, level, false),
                        &unplaced,
                    ),
                    (
                        "old set without source info, new sources",
                        schemas.keys(&os.bare, &new, level, false),
                        &unplaced,
                    ),
                    (
                        "old sources, new set with source info",
                        schemas.keys(&old, &ns.full, level, true),
                        &from_source,
                    ),
                ];
                for (what, got, want) in checks {
                    compared += 1;
                    let (got, want) = without_text_fixes(&got, want);
                    if got != want {
                        let (want, got) = (want.join("\n"), got.join("\n"));
                        failures.push(format!(
                            "{} at {level}, {what}:\n{}",
                            new.display(),
                            similar::TextDiff::from_lines(&want, &got)
                                .unified_diff()
                                .header("from the sources", "from the sets")
                        ));
                    }
                }
            }
        }
    }
    assert!(compared > 600, "only {compared} comparisons");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn findings_without_source_info_name_the_element() {
    let tmp = tempfile::tempdir().unwrap();
    let case = Path::new("fixtures/editions_field_presence");
    let (old, new) = (tmp.path().join("old.pb"), tmp.path().join("new.pb"));
    build(&case.join("old"), &old, false, false);
    build(&case.join("new"), &new, false, false);
    let report = check_paths(&old, &new, &Options::default()).unwrap();
    assert!(!report.findings.is_empty());
    for f in &report.findings {
        assert!(
            !f.location.source_info && f.location.span.is_none(),
            "{f:?}"
        );
        assert_eq!(f.location.path, "shop/v1/order.proto");
        assert!(
            f.position()
                .starts_with("shop/v1/order.proto (shop.v1.Order."),
            "{}",
            f.position()
        );
        assert!(f.position().ends_with(", no source info)"));
    }
}

/// The round trip's JSON document for two inputs, or its error.
fn round_trip_json(old: &Path, new: &Path) -> String {
    let compile = |side, path: &Path| {
        let input = Input::from_path(side, path).unwrap();
        protocheck::input::compile(side, &input, &[])
            .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()))
    };
    let (mut o, n) = (compile(Side::Old, old), compile(Side::New, new));
    // Single-file inputs pair whatever their names, as the check does.
    o.demote_imports_of(&n);
    match protocheck::roundtrip::run(&o, &n, &protocheck::roundtrip::Options::default()) {
        Ok(rt) => {
            let mut out = Vec::new();
            protocheck::roundtrip::render::write_json(&rt, &mut out).unwrap();
            String::from_utf8(out).unwrap()
        }
        Err(e) => format!("error: {e}"),
    }
}

#[test]
fn descriptor_sets_round_trip_like_their_sources() {
    // Every fixture, proto2, proto3 and editions: the round trip from the
    // sets (editions files lowered for the pool, see src/lower.rs) is the
    // round trip from the sources, byte for byte and word for word.
    let tmp = tempfile::tempdir().unwrap();
    let built = build_all(tmp.path());
    let sets = |tree: &Path| &built.iter().find(|(t, _)| t == tree).unwrap().1;
    let mut failures = Vec::new();
    let mut compared = 0;
    for case in cases() {
        let old = case.join("old");
        for new in trees(&case).into_iter().filter(|t| t != &old) {
            let want = round_trip_json(&old, &new);
            assert!(!want.starts_with("error"), "{}: {want}", new.display());
            let (os, ns) = (sets(&old), sets(&new));
            for (what, o, n) in [
                ("sets with source info", &os.full, &ns.full),
                ("sets without source info", &os.bare, &ns.bare),
            ] {
                compared += 1;
                let got = round_trip_json(o, n);
                if got != want {
                    failures.push(format!(
                        "{} from {what}:\n{}",
                        new.display(),
                        similar::TextDiff::from_lines(&want, &got)
                            .unified_diff()
                            .context_radius(2)
                            .header("from the sources", "from the sets")
                    ));
                }
            }
        }
    }
    assert!(compared > 150, "only {compared} comparisons");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// (direction, field, outcome) of every merged binary result that is not
/// `same`, for one message type.
fn outcomes(old: &Path, new: &Path, message: &str) -> Vec<String> {
    let doc: serde_json::Value = serde_json::from_str(&round_trip_json(old, new)).unwrap();
    let m = doc["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["message"] == message)
        .unwrap_or_else(|| panic!("no {message} in {doc}"));
    let mut v = Vec::new();
    for d in m["directions"].as_array().unwrap() {
        for f in d["fields"].as_array().unwrap() {
            if f["outcome"] != "same" {
                v.push(format!(
                    "{} {} {}",
                    d["direction"].as_str().unwrap(),
                    f["path"].as_str().unwrap(),
                    f["outcome"].as_str().unwrap()
                ));
            }
        }
    }
    v
}

#[test]
fn editions_feature_changes_show_in_the_round_trip() {
    let tmp = tempfile::tempdir().unwrap();
    let cases: [(&str, &str, &[&str]); 7] = [
        // (case, message, outcomes other than `same`); the new tree is `new`
        // unless the case name says otherwise after a slash.
        // LEGACY_REQUIRED moved from priority to note: the required-only
        // sample of each writer lacks the reader's required field.
        (
            "editions_field_presence",
            "shop.v1.Order",
            &[
                "old-to-new note decode-error",
                "new-to-old priority decode-error",
            ],
        ),
        // Color became closed, Shade open: a number the reader's closed enum
        // does not declare is kept as an unknown field.
        (
            "editions_enum_type",
            "paint.v1.Palette",
            &[
                "old-to-new color unknown-preserved",
                "new-to-old shade unknown-preserved",
            ],
        ),
        // DELIMITED is a group on the wire: the other encoding is a wire-type
        // mismatch in both directions.
        (
            "editions_message_encoding",
            "shop.v1.Cart",
            &[
                "old-to-new first wire-type-mismatch",
                "old-to-new gift wire-type-mismatch",
                "new-to-old first wire-type-mismatch",
                "new-to-old gift wire-type-mismatch",
            ],
        ),
        // A writer that does not check UTF-8 writes what a checking reader
        // rejects.
        (
            "editions_utf8_validation",
            "shop.v1.Customer",
            &[
                "old-to-new legacy_code decode-error",
                "new-to-old name decode-error",
            ],
        ),
        // Packed and expanded lists are read either way.
        ("editions_repeated_field_encoding", "shop.v1.Stats", &[]),
        ("editions_2024", "shop.v1.Profile", &[]),
        ("editions_migration_proto3/new_2023", "shop.v1.Order", &[]),
    ];
    for (case, message, want) in cases {
        let (case, tree) = case.split_once('/').unwrap_or((case, "new"));
        let dir = Path::new("fixtures").join(case);
        let (old, new) = (dir.join("old"), dir.join(tree));
        let (o, n) = (
            tmp.path().join(format!("{case}-old.pb")),
            tmp.path().join(format!("{case}-new.pb")),
        );
        build(&old, &o, false, true);
        build(&new, &n, false, true);
        for (what, a, b) in [("sources", &old, &new), ("sets", &o, &n)] {
            let mut got = outcomes(a, b, message);
            got.sort();
            let mut want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
            want.sort();
            assert_eq!(got, want, "{case} from {what}");
        }
    }
}

#[test]
fn editions_files_lowered_to_proto2_keep_per_element_semantics() {
    // An enum that starts at 1 makes the file proto2 for prost-reflect; its
    // implicit-presence fields, open enum and UTF-8 checks still come from
    // the resolved features. Adding a value to the closed enum: old readers
    // keep the new number as an unknown field, in fields, lists and
    // extensions alike.
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string("tests/data/editions_mixed.proto").unwrap();
    let old = tmp.path().join("old/m.proto");
    let new = tmp.path().join("new/m.proto");
    for (path, text) in [
        (&old, text.clone()),
        (
            &new,
            text.replace("ONE = 1; TWO = 2;", "ONE = 1; TWO = 2; THREE = 3;"),
        ),
    ] {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    assert_eq!(outcomes(&old, &old, "m.M"), Vec::<String>::new());
    assert_eq!(
        outcomes(&old, &new, "m.M"),
        [
            "new-to-old c unknown-preserved",
            "new-to-old cs unknown-preserved",
            "new-to-old [m.cext] unknown-preserved",
        ]
    );
    // Nothing else is rejected: the open enum, the implicit-presence field
    // and the groups are read as written.
    let doc = round_trip_json(&old, &new);
    assert!(!doc.contains("\"outcome\": \"decode-error\""), "{doc}");
}
