//! `protocheck snapshot`: a descriptor set with source info and imports,
//! decoded back with prost-types and compared with what the compiler gives,
//! and used as the old side through `snapshot::load`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;
use prost::Message;
use prost_types::FileDescriptorSet;
use protocheck::input::snapshot;
use protocheck::rules::Level;
use protocheck::{check_paths, check_schemas, input, Input, Options, Side};

fn protocheck(dir: Option<&Path>, args: &[&str]) -> (i32, Vec<u8>, String) {
    let mut c = Command::cargo_bin("protocheck").unwrap();
    if let Some(d) = dir {
        c.current_dir(d);
    }
    c.env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("GIT_DIR");
    let out = c.args(args).output().unwrap();
    (
        out.status.code().unwrap(),
        out.stdout,
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn write(dir: &Path, name: &str, text: &str) {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

#[test]
fn a_snapshot_is_the_compiled_descriptor_set_with_source_info() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("schema.binpb");
    let (code, stdout, err) = protocheck(
        None,
        &[
            "snapshot",
            "fixtures/order/old",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        String::from_utf8(stdout).unwrap(),
        format!("wrote {}: 1 file, 0 imports\n", out.display())
    );
    let bytes = std::fs::read(&out).unwrap();
    let set = FileDescriptorSet::decode(bytes.as_slice()).unwrap();
    let want = protox::compile(["shop/order.proto"], ["fixtures/order/old"]).unwrap();
    assert_eq!(set, want);
    assert!(set.file[0].source_code_info.is_some());

    // `-o -` writes the same bytes to stdout.
    let (code, stdout, _) = protocheck(None, &["snapshot", "fixtures/order/old", "-o", "-"]);
    assert_eq!(code, 0);
    assert_eq!(stdout, bytes);
}

#[test]
fn a_snapshot_of_a_large_file_keeps_its_source_info() {
    // Files over 256 KB are compiled without source info, which is put back
    // afterwards: a snapshot used to be written before that, without it.
    let tmp = tempfile::tempdir().unwrap();
    let mut text = String::from("syntax = \"proto3\";\npackage big;\n");
    for i in 0..6000 {
        text.push_str(&format!(
            "message M{i} {{\n  string name = 1;\n  int64 value = 2;\n}}\n"
        ));
    }
    assert!(text.len() > 256 * 1024);
    write(tmp.path(), "src/big.proto", &text);
    let out = tmp.path().join("big.binpb");
    let src = tmp.path().join("src");
    let (code, _, err) = protocheck(
        None,
        &[
            "snapshot",
            src.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{err}");
    let set = FileDescriptorSet::decode(std::fs::read(&out).unwrap().as_slice()).unwrap();
    let want = protox::compile(["big.proto"], [&src]).unwrap();
    assert!(set.file[0].source_code_info.is_some());
    assert_eq!(set, want);
}

#[test]
fn imports_are_included_first_and_marked() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("proto");
    write(
        &dir,
        "shop/order.proto",
        "syntax = \"proto3\";\npackage shop;\nimport \"google/protobuf/timestamp.proto\";\n\
         import \"shop/money.proto\";\nmessage Order {\n  google.protobuf.Timestamp at = 1;\n  Money price = 2;\n}\n",
    );
    write(
        &dir,
        "shop/money.proto",
        "syntax = \"proto3\";\npackage shop;\nmessage Money {\n  int64 units = 1;\n}\n",
    );
    let out = tmp.path().join("schema.binpb");
    let (code, stdout, err) = protocheck(
        None,
        &[
            "snapshot",
            dir.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(String::from_utf8(stdout)
        .unwrap()
        .ends_with(": 2 files, 1 import\n"));
    let bytes = std::fs::read(&out).unwrap();
    let set = FileDescriptorSet::decode(bytes.as_slice()).unwrap();
    let names: Vec<&str> = set.file.iter().map(|f| f.name()).collect();
    let mut seen = HashSet::new();
    for f in &set.file {
        for dep in &f.dependency {
            assert!(
                seen.contains(dep.as_str()),
                "{} before its import {dep}: {names:?}",
                f.name()
            );
        }
        seen.insert(f.name());
        if f.name().starts_with("shop/") {
            assert!(f.source_code_info.is_some(), "{} has source info", f.name());
        }
    }
    assert_eq!(names.len(), 3);
    assert!(names.contains(&"google/protobuf/timestamp.proto"));
    let back = snapshot::decode(&bytes).unwrap();
    let targets: HashSet<&str> = back.targets.iter().map(String::as_str).collect();
    assert_eq!(
        targets,
        HashSet::from(["shop/order.proto", "shop/money.proto"])
    );
    // The same set as the library's compile.
    let compiled = input::compile_descriptors(Side::New, &Input::Dir(dir.clone()), &[]).unwrap();
    assert_eq!(set.file, compiled.files);
}

/// Every fixture's old tree as a snapshot gives the same findings, at the same
/// places, as the tree itself.
#[test]
fn a_snapshot_checks_like_its_source() {
    let tmp = tempfile::tempdir().unwrap();
    let mut cases: Vec<PathBuf> = std::fs::read_dir("fixtures")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("old").is_dir())
        .collect();
    cases.sort();
    let mut compared = 0;
    for case in cases {
        let old = case.join("old");
        // Editions trees go through protoc (PROTOC, as CI provides it).
        let (bytes, _, _) = snapshot::from_input(&Input::Dir(old.clone()), &[], None).unwrap();
        let file = tmp.path().join("s.binpb");
        snapshot::write_file(&file, &bytes).unwrap();
        let mut old_schema = snapshot::load(Side::Old, &file).unwrap();
        // Imports are compared, as `check_paths` compares them.
        old_schema.promote_imports();
        for entry in std::fs::read_dir(&case).unwrap() {
            let new = entry.unwrap().path();
            if !(new.is_dir()
                && new
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("new"))
            {
                continue;
            }
            for level in Level::ALL {
                let options = Options {
                    level: Some(level),
                    ..Options::default()
                };
                let want = check_paths(&old, &new, &options).unwrap();
                let mut new_schema =
                    input::compile(Side::New, &Input::from_path(Side::New, &new).unwrap(), &[])
                        .unwrap();
                new_schema.promote_imports();
                let got = check_schemas(&old_schema, &new_schema, &options).unwrap();
                // Lines and columns; a snapshot has no text for byte offsets.
                let at = |s: Option<protocheck::schema::span::Span>| {
                    s.map(|s| (s.line, s.column, s.end_line, s.end_column))
                };
                let key = |r: &protocheck::Report| -> Vec<_> {
                    r.findings
                        .iter()
                        .map(|f| {
                            (
                                f.rule,
                                f.message.clone(),
                                at(f.location.span),
                                f.old_location
                                    .as_ref()
                                    .map(|o| (o.file.clone(), at(o.span))),
                            )
                        })
                        .collect()
                };
                assert_eq!(key(&got), key(&want), "{} at {level}", new.display());
                compared += 1;
            }
        }
    }
    assert!(compared > 200);
}

#[test]
fn a_snapshot_of_a_git_revision_equals_one_of_its_checkout() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    let git = |args: &[&str]| {
        let out = Process::new("git")
            .arg("-C")
            .arg(&repo)
            .args(args)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env_remove("GIT_DIR")
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    std::fs::create_dir(&repo).unwrap();
    git(&["init", "-q", "-b", "main"]);
    let v1 = std::fs::read_to_string("fixtures/order/old/shop/order.proto").unwrap();
    write(&repo, "proto/shop/order.proto", &v1);
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "v1"]);
    git(&["tag", "v1"]);
    write(
        &repo,
        "proto/shop/order.proto",
        &std::fs::read_to_string("fixtures/order/new_reuse/shop/order.proto").unwrap(),
    );
    let (code, from_git, err) = protocheck(Some(&repo), &["snapshot", "git:v1:proto", "-o", "-"]);
    assert_eq!(code, 0, "{err}");
    let (_, from_dir, _) = protocheck(None, &["snapshot", "fixtures/order/old", "-o", "-"]);
    assert_eq!(from_git, from_dir);
}

#[test]
fn snapshot_errors_exit_2() {
    let (code, out, err) = protocheck(None, &["snapshot", "fixtures/nope", "-o", "-"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("does not exist"), "{err}");
    let (code, _, err) = protocheck(
        None,
        &[
            "snapshot",
            "fixtures/order/old",
            "-o",
            "/nonexistent-dir/s.binpb",
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("cannot write the snapshot"), "{err}");
    let (code, _, _) = protocheck(None, &["snapshot", "fixtures/order/old"]);
    assert_eq!(code, 2, "-o is required");
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("bad.binpb");
    std::fs::write(&bad, b"\x0a\xff\xff").unwrap();
    let err = snapshot::load(Side::Old, &bad).unwrap_err();
    assert!(
        err.to_string().starts_with("old descriptor set ")
            && err
                .to_string()
                .contains("is not a binary FileDescriptorSet"),
        "{err}"
    );
}

/// The build-script example's committed snapshot is what `protocheck snapshot`
/// writes for its proto/ today (so the example builds, and CI's edit of it
/// is what breaks).
#[test]
fn the_example_snapshot_is_current() {
    let dir = Path::new("examples/build-script");
    let compiled =
        input::compile_descriptors(Side::New, &Input::Dir(dir.join("proto")), &[]).unwrap();
    let committed = std::fs::read(dir.join("proto.lock.binpb")).unwrap();
    assert!(
        snapshot::encode(&compiled) == committed,
        "refresh it: (cd examples/build-script && protocheck snapshot proto -o proto.lock.binpb)"
    );
}

/// The lock-file workflow end to end: snapshot now, check later changes
/// against the snapshot from the command line.
#[test]
fn a_snapshot_is_usable_as_old_on_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let lock = tmp.path().join("schema.binpb");
    let (code, out, err) = protocheck(
        None,
        &[
            "snapshot",
            "fixtures/order/old",
            "-o",
            lock.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(String::from_utf8_lossy(&out).contains("1 file"));
    let (code, out, err) = protocheck(
        None,
        &[
            lock.to_str().unwrap(),
            "fixtures/order/new_reuse",
            "--format",
            "short",
        ],
    );
    assert_eq!(code, 1, "{err}");
    let out = String::from_utf8(out).unwrap();
    let rules: Vec<&str> = out
        .lines()
        .filter_map(|l| l.split_whitespace().nth(1))
        .collect();
    assert_eq!(
        rules,
        ["FIELD_SAME_TYPE", "FIELD_SAME_JSON_NAME", "FIELD_SAME_NAME"],
        "{out}"
    );
    assert!(
        out.starts_with("fixtures/order/new_reuse/shop/order.proto:8:3:"),
        "{out}"
    );
    let (code, out, _) = protocheck(
        None,
        &[
            "fixtures/order/new_add",
            "--against",
            lock.to_str().unwrap(),
            "--format",
            "short",
        ],
    );
    assert_eq!((code, out.as_slice()), (0, &b""[..]));
}
