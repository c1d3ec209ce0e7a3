//! Editions and descriptor sets on the command line: inputs, protoc, bad sets,
//! and what findings say without source info.
//!
//! protoc is found as protocheck finds it (`PROTOC`, else `protoc` on
//! `PATH`, else the protoc bundled with the build).

mod common;

use common::protoc;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use prost::Message as _;
use serde_json::Value;

fn protocheck() -> Command {
    let mut c = Command::cargo_bin("protocheck").unwrap();
    c.env_remove("NO_COLOR");
    c
}

fn output(c: &mut Command) -> (i32, String, String) {
    let out = c.output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn run(args: &[&str]) -> (i32, String, String) {
    output(protocheck().args(args))
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    path
}

/// `protoc -o out` over one file of a tree.
fn build(tree: &str, file: &str, out: &Path, source_info: bool) {
    let mut cmd = std::process::Command::new(protoc());
    cmd.arg(format!("--proto_path={tree}"))
        .arg(format!("--descriptor_set_out={}", out.display()))
        .arg("--include_imports");
    if source_info {
        cmd.arg("--include_source_info");
    }
    let status = cmd.arg(file).status().unwrap();
    assert!(status.success());
}

const IMAGE: &str = "tests/data/descriptor_sets/buf_image.binpb";
const BUF_NO_SOURCE: &str = "tests/data/descriptor_sets/buf_no_source_info.binpb";

#[test]
fn buf_images_and_sets_check_like_their_sources() {
    // A buf image marks google/protobuf/timestamp.proto as an import; a plain
    // set does not, and the well-known types are left out anyway.
    for set in [IMAGE, BUF_NO_SOURCE] {
        let (code, out, err) = run(&[
            "fixtures/editions_migration_proto3/old",
            set,
            "--format",
            "short",
        ]);
        assert_eq!(code, 1, "{err}");
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 1, "{out}");
        assert!(lines[0].contains("FILE_SAME_SYNTAX"), "{out}");
        if set == IMAGE {
            assert!(lines[0].starts_with("shop/v1/order.proto:1:1: "), "{out}");
        } else {
            assert!(
                lines[0].starts_with("shop/v1/order.proto (no source info): "),
                "{out}"
            );
        }
    }
    let (code, out, _) = run(&[BUF_NO_SOURCE, IMAGE, "--format", "short"]);
    assert_eq!((code, out.as_str()), (0, ""));
}

#[test]
fn a_descriptor_set_is_recognised_by_its_content() {
    let tmp = tempfile::tempdir().unwrap();
    let renamed = write(tmp.path(), "schema.out", std::fs::read(IMAGE).unwrap());
    let (code, out, err) = run(&[
        "fixtures/editions_migration_proto3/new_2023",
        renamed.to_str().unwrap(),
        "--format",
        "short",
    ]);
    assert_eq!((code, out.as_str(), err.as_str()), (0, "", ""));
    let junk = write(tmp.path(), "schema.dat", [0x0a, 0x05, 0xff, 0xff]);
    let (code, _, err) = run(&[IMAGE, junk.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.contains("is not a .proto file, a descriptor set or a directory"),
        "{err}"
    );
}

#[test]
fn bad_descriptor_sets_exit_2_and_say_what_is_wrong() {
    let tmp = tempfile::tempdir().unwrap();
    let image = std::fs::read(IMAGE).unwrap();
    let cut = write(tmp.path(), "cut.binpb", &image[..image.len() / 2]);
    let empty = write(tmp.path(), "empty.pb", b"");
    let text = write(tmp.path(), "text.desc", b"syntax = \"proto3\";\n");

    // A field whose type no file of the (complete) set defines.
    let dangling = prost_types::FileDescriptorSet {
        file: vec![prost_types::FileDescriptorProto {
            name: Some("a.proto".into()),
            package: Some("p".into()),
            syntax: Some("proto3".into()),
            message_type: vec![prost_types::DescriptorProto {
                name: Some("M".into()),
                field: vec![prost_types::FieldDescriptorProto {
                    name: Some("m".into()),
                    number: Some(1),
                    label: Some(1),
                    r#type: Some(11),
                    type_name: Some(".p.Nope".into()),
                    ..Default::default()
                }],
                ..Default::default()
            }],
            ..Default::default()
        }],
    };
    let dangling = write(tmp.path(), "dangling.binpb", dangling.encode_to_vec());

    // An editions file of an edition protocheck does not know (2026).
    let mut file = prost_types::FileDescriptorProto {
        name: Some("e.proto".into()),
        syntax: Some("editions".into()),
        ..Default::default()
    }
    .encode_to_vec();
    file.extend([0x70, 0xea, 0x07]); // edition (14) = 1002
    let mut set = vec![0x0a];
    prost::encoding::encode_varint(file.len() as u64, &mut set);
    set.extend(file);
    let future = write(tmp.path(), "future.binpb", set);

    let cases: [(&Path, &str); 5] = [
        (&cut, "is not a binary FileDescriptorSet ("),
        (&empty, "holds no files"),
        (&text, "is not a binary FileDescriptorSet ("),
        (
            &dangling,
            "is inconsistent: field \"p.M.m\" refers to \"p.Nope\", which no file of the set defines",
        ),
        (
            &future,
            "is inconsistent: file \"e.proto\" uses edition 2026, which protocheck does not know (it knows 2023 and 2024)",
        ),
    ];
    for (path, want) in cases {
        let (code, out, err) = run(&[IMAGE, path.to_str().unwrap()]);
        assert_eq!(code, 2, "{}: {err}", path.display());
        assert!(out.is_empty());
        let head = format!("new descriptor set \"{}\" ", path.display());
        assert!(err.contains(&head), "{err}");
        assert!(err.contains(want), "{err}");
        assert!(!err.contains("internal error"), "{err}");
        // The old side says so too.
        let (code, _, err) = run(&[path.to_str().unwrap(), IMAGE]);
        assert_eq!(code, 2);
        assert!(err.contains("old descriptor set"), "{err}");
    }
}

#[test]
fn without_protoc_the_bundled_one_is_written_once_and_used() {
    assert!(
        protocheck::input::protoc::has_bundled(),
        "the tests build for a platform protoc-bin-vendored has a protoc for"
    );
    let empty = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let run_bundled = || {
        output(
            protocheck()
                .args([
                    "fixtures/editions_enum_type/old",
                    "fixtures/editions_enum_type/new",
                    "--format",
                    "short",
                ])
                .env_remove("PROTOC")
                .env("PATH", empty.path())
                .env("PROTOCHECK_CACHE_DIR", cache.path()),
        )
    };
    let (code, first, err) = run_bundled();
    assert_eq!(code, 1, "{err}");
    assert_eq!(first.matches("ENUM_SAME_TYPE").count(), 2, "{first}");
    let dirs: Vec<PathBuf> = std::fs::read_dir(cache.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(dirs.len(), 1, "one directory, no leftovers: {dirs:?}");
    let exe = dirs[0]
        .join("bin")
        .join(format!("protoc{}", std::env::consts::EXE_SUFFIX));
    let version = std::process::Command::new(&exe)
        .arg("--version")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        "libprotoc 36.2"
    );
    assert!(dirs[0]
        .join("include/google/protobuf/descriptor.proto")
        .is_file());
    let written = std::fs::metadata(&exe).unwrap().modified().unwrap();
    let (code, second, _) = run_bundled();
    assert_eq!((code, &second), (1, &first));
    assert_eq!(
        std::fs::metadata(&exe).unwrap().modified().unwrap(),
        written,
        "written once"
    );
}

#[test]
fn editions_sources_without_protoc_exit_2_saying_what_to_do() {
    let empty = tempfile::tempdir().unwrap();
    // The bundled protoc cannot be written: its cache is under a file.
    let blocker = write(empty.path(), "not-a-directory", "");
    let (code, out, err) = output(
        protocheck()
            .args([
                "fixtures/editions_enum_type/old",
                "fixtures/editions_enum_type/new",
            ])
            .env_remove("PROTOC")
            .env("PATH", empty.path())
            .env("PROTOCHECK_CACHE_DIR", blocker.join("cache")),
    );
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty());
    assert!(
        err.contains("old file \"fixtures/editions_enum_type/old/paint/v1/color.proto\" uses edition 2023, which protocheck compiles with protoc, and no protoc was found"),
        "{err}"
    );
    for hint in [
        "--protoc",
        "PROTOC",
        "PATH",
        "grpcio-tools",
        "buf build -o",
        "PROTOCHECK_CACHE_DIR",
    ] {
        assert!(err.contains(hint), "{hint}: {err}");
    }

    let (code, _, err) = run(&[
        "fixtures/editions_enum_type/old",
        "fixtures/editions_enum_type/new",
        "--protoc",
        "/nonexistent/protoc",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains(
            "cannot run protoc \"/nonexistent/protoc\" (from --protoc) for the old schema"
        ),
        "{err}"
    );
    let (code, _, err) = output(
        protocheck()
            .args([
                "fixtures/editions_enum_type/old",
                "fixtures/editions_enum_type/new",
            ])
            .env("PROTOC", "/nonexistent/protoc"),
    );
    assert_eq!(code, 2);
    assert!(err.contains("(from PROTOC)"), "{err}");

    // proto2/proto3 sources never need protoc.
    let (code, _, err) = output(
        protocheck()
            .args(["fixtures/order/old", "fixtures/order/new_add"])
            .env_remove("PROTOC")
            .env("PATH", empty.path()),
    );
    assert_eq!(code, 0, "{err}");
}

#[test]
fn protoc_is_found_on_path_and_with_the_flag() {
    let bin = tempfile::tempdir().unwrap();
    // The wrapper leaves a mark, so it is known to be the protoc that ran
    // (and not the bundled one).
    let mark = bin.path().join("ran");
    let script = format!(
        "#!/bin/sh\n: > \"{}\"\nexec \"{}\" \"$@\"\n",
        mark.display(),
        protoc().display()
    );
    let wrapper = write(bin.path(), "protoc", script);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let args = [
        "fixtures/editions_enum_type/old",
        "fixtures/editions_enum_type/new",
        "--format",
        "short",
    ];
    let (code, on_path, err) = output(
        protocheck()
            .args(args)
            .env_remove("PROTOC")
            .env("PATH", bin.path()),
    );
    assert_eq!(code, 1, "{err}");
    assert!(on_path.contains("ENUM_SAME_TYPE"), "{on_path}");
    assert!(mark.exists(), "protoc on PATH wins over the bundled one");
    std::fs::remove_file(&mark).unwrap();
    let (code, flagged, err) = output(
        protocheck()
            .args(args)
            .args(["--protoc", wrapper.to_str().unwrap()])
            .env("PROTOC", "/nonexistent/protoc"),
    );
    assert_eq!(code, 1, "{err}");
    assert_eq!(flagged, on_path);
    assert!(mark.exists(), "--protoc wins");
    std::fs::remove_file(&mark).unwrap();
    let (code, _, err) = output(
        protocheck()
            .args(args)
            .env("PROTOC", &wrapper)
            .env("PATH", "/nonexistent"),
    );
    assert_eq!(code, 1, "{err}");
    assert!(mark.exists(), "PROTOC wins over the bundled protoc");
    // A relative --protoc is taken from where protocheck runs.
    let here = std::env::current_dir().unwrap();
    let (old, new) = (
        here.join("fixtures/editions_enum_type/old"),
        here.join("fixtures/editions_enum_type/new"),
    );
    let (code, relative, err) = output(
        protocheck()
            .current_dir(bin.path())
            .args([old.to_str().unwrap(), new.to_str().unwrap()])
            .args(["--format", "json", "--protoc", "./protoc"])
            .env_remove("PROTOC"),
    );
    assert_eq!(code, 1, "{err}");
    assert!(relative.contains("ENUM_SAME_TYPE"), "{relative}");
}

#[test]
fn editions_compile_errors_point_into_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "old/shop/a.proto",
        "edition = \"2023\";\npackage shop;\nmessage A {\n  Missing m = 1;\n}\n",
    );
    let old = tmp.path().join("old");
    let (code, out, err) = run(&[old.to_str().unwrap(), "fixtures/editions_enum_type/new"]);
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty());
    let at = format!("{}:4:3: ", old.join("shop/a.proto").display());
    assert!(err.contains("old schema does not compile: "), "{err}");
    assert!(err.contains(&at), "{err}");
    assert!(err.contains("\"Missing\" is not defined."), "{err}");
    assert!(err.contains("Missing m = 1;"), "snippet: {err}");
}

#[test]
fn editions_sources_use_include_roots_and_single_files() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "inc/common/money.proto",
        "edition = \"2023\";\npackage common;\nmessage Money { int64 units = 1; }\n",
    );
    let old = write(
        tmp.path(),
        "old/order.proto",
        "edition = \"2023\";\npackage shop;\nimport \"common/money.proto\";\nmessage Order {\n  common.Money total = 1;\n  int32 count = 2;\n}\n",
    );
    let new = write(
        tmp.path(),
        "new/order_v2.proto",
        "edition = \"2023\";\npackage shop;\nimport \"common/money.proto\";\nmessage Order {\n  common.Money total = 1;\n  int32 count = 2 [features.field_presence = IMPLICIT];\n}\n",
    );
    let inc = tmp.path().join("inc");
    let (code, out, err) = run(&[
        old.to_str().unwrap(),
        new.to_str().unwrap(),
        "-I",
        inc.to_str().unwrap(),
        "--format",
        "short",
    ]);
    assert_eq!(code, 1, "{err}");
    let want = format!(
        "{}:6:20: FIELD_SAME_CARDINALITY field 2 of message \"shop.Order\" changed cardinality",
        new.display()
    );
    assert!(out.starts_with(&want), "{out}");
    assert_eq!(out.lines().count(), 1, "{out}");
}

#[test]
fn every_format_works_without_source_info() {
    let tmp = tempfile::tempdir().unwrap();
    let (old, new) = (tmp.path().join("old.pb"), tmp.path().join("new.pb"));
    build(
        "fixtures/editions_enum_type/old",
        "paint/v1/color.proto",
        &old,
        false,
    );
    build(
        "fixtures/editions_enum_type/new",
        "paint/v1/color.proto",
        &new,
        false,
    );
    let (old, new) = (old.to_str().unwrap(), new.to_str().unwrap());

    let (code, out, _) = run(&[old, new, "--format", "short"]);
    assert_eq!(code, 1);
    assert!(out.starts_with("paint/v1/color.proto (paint.v1.Color, no source info): ENUM_SAME_TYPE enum \"paint.v1.Color\" changed from open (edition 2023) to closed (`features.enum_type = CLOSED`)"), "{out}");

    let (code, out, _) = run(&[old, new, "--format", "json"]);
    assert_eq!(code, 1);
    let doc: Value = serde_json::from_str(&out).unwrap();
    let findings = doc["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 2);
    for f in findings {
        assert_eq!(f["path"], "paint/v1/color.proto");
        assert_eq!(f["line"], Value::Null);
        assert_eq!(f["old_line"], Value::Null);
        assert_eq!(f["source_info"], false);
        assert_eq!(f["old_source_info"], false);
    }
    assert_eq!(findings[0]["element"], "paint.v1.Color");

    let (code, out, _) = run(&[old, new, "--color", "never"]);
    assert_eq!(code, 1);
    assert!(
        out.contains(
            "at paint.v1.Color in paint/v1/color.proto (the new schema has no source info)"
        ),
        "{out}"
    );
    assert!(
        out.contains(
            "was at paint.v1.Color in paint/v1/color.proto (the old schema has no source info)"
        ),
        "{out}"
    );
    assert!(
        out.contains("help: set `option features.enum_type = OPEN;`"),
        "{out}"
    );

    // With source info but without the text, positions are still given.
    let full = tmp.path().join("full.pb");
    build(
        "fixtures/editions_enum_type/new",
        "paint/v1/color.proto",
        &full,
        true,
    );
    let (code, out, _) = run(&[old, full.to_str().unwrap(), "--color", "never"]);
    assert_eq!(code, 1);
    assert!(out.contains("at paint/v1/color.proto:6:3"), "{out}");
}

#[test]
fn a_plain_set_leaves_out_what_the_other_side_only_imports() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "inc/common/money.proto",
        "syntax = \"proto3\";\npackage common;\nmessage Money { int64 units = 1; }\n",
    );
    let order = "syntax = \"proto3\";\npackage shop;\nimport \"common/money.proto\";\nmessage Order {\n  common.Money total = 1;\n}\n";
    write(tmp.path(), "src/shop/order.proto", order);
    let set = tmp.path().join("old.binpb");
    let status = std::process::Command::new(protoc())
        .arg(format!("--proto_path={}", tmp.path().join("src").display()))
        .arg(format!("--proto_path={}", tmp.path().join("inc").display()))
        .arg("--include_imports")
        .arg(format!("--descriptor_set_out={}", set.display()))
        .arg("shop/order.proto")
        .status()
        .unwrap();
    assert!(status.success());
    let (src, inc) = (tmp.path().join("src"), tmp.path().join("inc"));
    // The set holds common/money.proto too; the sources only import it.
    let (code, out, err) = run(&[
        set.to_str().unwrap(),
        src.to_str().unwrap(),
        "-I",
        inc.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["summary"]["old_files"], 1);
    assert_eq!(doc["summary"]["new_files"], 1);
    // Set against set, both hold it and both check it: nothing changed.
    let (code, out, _) = run(&[
        set.to_str().unwrap(),
        set.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["summary"]["old_files"], 2);
}

#[test]
fn the_round_trip_runs_on_editions_sources_and_sets() {
    let tmp = tempfile::tempdir().unwrap();
    let case = "fixtures/editions_field_presence";
    let (old_set, new_set) = (tmp.path().join("old.pb"), tmp.path().join("new.pb"));
    build(
        &format!("{case}/old"),
        "shop/v1/order.proto",
        &old_set,
        false,
    );
    build(
        &format!("{case}/new"),
        "shop/v1/order.proto",
        &new_set,
        true,
    );
    let sources = [format!("{case}/old"), format!("{case}/new")];
    let sets = [
        old_set.to_string_lossy().into_owned(),
        new_set.to_string_lossy().into_owned(),
    ];
    for [old, new] in [&sources, &sets] {
        // LEGACY_REQUIRED moved from priority (4) to note (3).
        let (code, out, err) = run(&["roundtrip", old, new]);
        assert_eq!(code, 1, "{err}");
        assert!(
            out.contains(
                "the new reader rejects the whole message: required field 3 (\"note\") is missing"
            ),
            "{out}"
        );
        assert!(
            out.contains("the old reader rejects the whole message: required field 4 (\"priority\") is missing"),
            "{out}"
        );
        // The check shows the same evidence under its finding.
        let (code, out, err) = run(&[old, new, "--roundtrip", "--color", "never"]);
        assert_eq!(code, 1, "{err}");
        assert!(!err.contains("no round trip"), "{err}");
        assert!(out.contains("round trip (protocheck roundtrip):"), "{out}");
        assert!(out.contains("decode-error"), "{out}");
    }
}

/// A group of findings with several helps shows each as its own marked
/// line, never one run-on sentence.
#[test]
fn several_helps_of_one_group_are_separate() {
    let (code, out, _) = run(&[
        "fixtures/editions_field_presence/old",
        "fixtures/editions_field_presence/new",
        "--color",
        "never",
    ]);
    assert_eq!(code, 1);
    let help = out
        .split("help: ")
        .skip(1)
        .find(|h| h.starts_with("• ") && h.contains("LEGACY_REQUIRED"))
        .expect(&out);
    let help = &help[..help.find("\n\n").unwrap_or(help.len())];
    let marks: Vec<&str> = help
        .lines()
        .filter(|l| l.trim_start().starts_with("• "))
        .collect();
    assert_eq!(marks.len(), 2, "{help}");
    assert!(help.starts_with("• "), "{help}");
}
