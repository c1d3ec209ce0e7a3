//! Hostile and broken inputs: every one ends in a verdict (0/1) or a clear
//! error (2) naming the side and the file; never a panic or a hang.

use std::path::Path;

use assert_cmd::Command;

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
}

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["--no-config"];
    all.extend(args);
    run_args(dir, &all)
}

/// Runs the binary with exactly `args`. A hang fails the test rather than
/// blocking it forever (the limit is far above any normal run).
fn run_args(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("protocheck")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    let (o, e) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert!(!e.contains("panicked"), "panic: {e}");
    assert!(!e.contains("internal error"), "internal error: {e}");
    (out.status.code().expect("killed by a signal"), o, e)
}

const OK: &str = "syntax = \"proto3\";\npackage p;\nmessage M {\n  int32 a = 1;\n}\n";

fn pair(new: &[u8]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "old/a.proto", OK.as_bytes());
    write(tmp.path(), "new/a.proto", new);
    tmp
}

#[test]
fn random_bytes_and_non_utf8_are_errors_naming_the_file() {
    // Deterministic junk: a simple LCG.
    let mut x: u32 = 12345;
    let junk: Vec<u8> = (0..4096)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            (x >> 16) as u8
        })
        .collect();
    let t = pair(&junk);
    let (code, out, err) = run(t.path(), &["old", "new"]);
    assert_eq!(code, 2, "{out}");
    assert!(
        err.contains("new file \"new/a.proto\" is not valid UTF-8")
            || err.contains("new schema does not compile"),
        "{err}"
    );
    let t = pair(b"syntax = \"proto3\";\nmessage M { string \xff\xfe = 1; }\n");
    let (code, _, err) = run(t.path(), &["old", "new"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("new file \"new/a.proto\" is not valid UTF-8"),
        "{err}"
    );
    let t = pair(b"\x00\x01\x02 message { {{{ ;;; = = 99999999999999999999");
    let (code, _, err) = run(t.path(), &["old", "new"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("new schema does not compile: new/a.proto:1:"),
        "{err}"
    );
}

#[test]
fn import_cycles_and_duplicate_definitions_are_errors() {
    let t = pair(OK.as_bytes());
    write(
        t.path(),
        "new/b.proto",
        b"syntax = \"proto3\";\nimport \"c.proto\";\n",
    );
    write(
        t.path(),
        "new/c.proto",
        b"syntax = \"proto3\";\nimport \"b.proto\";\n",
    );
    let (code, _, err) = run(t.path(), &["old", "new"]);
    assert_eq!(code, 2);
    assert!(err.contains("new schema does not compile"), "{err}");
    assert!(err.contains("cycle"), "{err}");

    let t = pair(OK.as_bytes());
    write(t.path(), "new/b.proto", OK.as_bytes());
    let (code, _, err) = run(t.path(), &["old", "new"]);
    assert_eq!(code, 2);
    assert!(err.contains("new schema does not compile: new/b.proto:3:9: name 'p.M' is already defined in 'a.proto'"), "{err}");
    // Without skipping unchanged files, the compiler says the same.
    let (code, _, err) = run(t.path(), &["old", "new", "--full"]);
    assert_eq!(code, 2);
    assert!(err.contains("new/b.proto:3:9"), "{err}");
}

#[test]
fn field_numbers_at_the_limits() {
    let t = pair(b"syntax = \"proto3\";\npackage p;\nmessage M {\n  int32 a = 1;\n  int32 z = 536870911;\n}\n");
    let (code, out, err) = run(t.path(), &["old", "new", "--format", "short"]);
    assert_eq!((code, out.as_str()), (0, ""), "{err}");
    let t = pair(b"syntax = \"proto3\";\npackage p;\nmessage M {\n  int32 a = 1;\n  int32 z = 536870912;\n}\n");
    let (code, _, err) = run(t.path(), &["old", "new"]);
    assert_eq!(code, 2);
    assert!(err.contains("new/a.proto:5:"), "{err}");
    let t = pair(
        b"syntax = \"proto3\";\npackage p;\nmessage M {\n  int32 a = 1;\n  int32 r = 19500;\n}\n",
    );
    let (code, _, err) = run(t.path(), &["old", "new"]);
    assert_eq!(code, 2);
    assert!(err.contains("new/a.proto:5:"), "{err}");
    assert!(err.contains("invalid field number '19500'"), "{err}");
}

#[test]
fn deep_nesting_is_an_error_and_long_type_chains_are_fine() {
    let n = 3000;
    let nested = format!(
        "syntax = \"proto3\";\n{}int32 x = 1;\n{}",
        (0..n)
            .map(|i| format!("message M{i} {{\n"))
            .collect::<String>(),
        "}\n".repeat(n)
    );
    let t = pair(nested.as_bytes());
    let (code, _, err) = run(t.path(), &["old", "new"]);
    assert_eq!(code, 2);
    assert!(err.contains("recursion limit"), "{err}");

    // A chain of 5,000 message types whose head is renamed: compared
    // structurally at the wire level without exhausting the stack.
    let chain = |head: &str| {
        let mut s = format!("syntax = \"proto3\";\npackage c;\nmessage Top {{ {head} first = 1; }}\nmessage {head} {{ C1 next = 1; }}\n");
        for i in 1..5000 {
            s.push_str(&format!("message C{i} {{ C{} next = 1; }}\n", i + 1));
        }
        s.push_str("message C5000 { int32 end = 1; }\n");
        s
    };
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "old/a.proto", chain("Head").as_bytes());
    write(t.path(), "new/a.proto", chain("Start").as_bytes());
    let (code, out, _) = run(
        t.path(),
        &["old", "new", "--level", "wire", "--format", "short"],
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("wire-identical"), "{out}");
}

#[test]
fn the_same_file_under_two_include_roots_resolves_to_the_first() {
    let t = tempfile::tempdir().unwrap();
    let dep = |n: &str| format!("syntax = \"proto3\";\npackage dep;\nmessage D {{ {n} v = 1; }}\n");
    write(t.path(), "inc1/dep.proto", dep("int32").as_bytes());
    write(t.path(), "inc2/dep.proto", dep("string").as_bytes());
    let user = b"syntax = \"proto3\";\nimport \"dep.proto\";\nmessage U { dep.D d = 1; }\n";
    write(t.path(), "old/u.proto", user);
    write(t.path(), "new/u.proto", user);
    let (code, out, err) = run(t.path(), &["old", "new", "-I", "inc1", "-I", "inc2"]);
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn a_directory_named_like_a_proto_file_is_walked_not_read() {
    let t = pair(OK.as_bytes());
    std::fs::create_dir_all(t.path().join("new/odd.proto")).unwrap();
    write(
        t.path(),
        "new/odd.proto/inner.proto",
        b"syntax = \"proto3\";\npackage q;\n",
    );
    let (code, out, err) = run(t.path(), &["old", "new", "--format", "short"]);
    assert_eq!((code, out.as_str()), (0, ""), "{err}");
}

fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success(), "mkfifo {}", path.display());
}

#[cfg(unix)]
fn symlink(target: impl AsRef<Path>, link: &Path) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

// The tests run as root, where `chmod 000` reads fine: these inputs fail
// for anyone.

#[cfg(unix)]
#[test]
fn named_pipes_are_refused_without_being_opened() {
    let t = pair(OK.as_bytes());
    // In a directory, next to a good file: an error, not skipped.
    mkfifo(&t.path().join("new/b.proto"));
    let (code, _, err) = run(t.path(), &["old", "new"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("new input \"new/b.proto\" is a named pipe, not a regular file"),
        "{err}"
    );
    let (code, _, err) = run(t.path(), &["new", "old"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("old input \"new/b.proto\" is a named pipe"),
        "{err}"
    );
    // Given directly, as a .proto file or a descriptor set; and an import
    // that resolves to one under an include root.
    mkfifo(&t.path().join("set.binpb"));
    mkfifo(&t.path().join("pipe"));
    for (args, what) in [
        (["old/a.proto", "new/b.proto"], "new input \"new/b.proto\""),
        (["new/b.proto", "old/a.proto"], "old input \"new/b.proto\""),
        (["set.binpb", "old"], "old input \"set.binpb\""),
        (["old", "pipe"], "new input \"pipe\""),
    ] {
        let (code, _, err) = run(t.path(), &args);
        assert_eq!(code, 2, "{args:?}");
        assert!(
            err.contains(&format!("{what} is a named pipe, not a regular file")),
            "{args:?}: {err}"
        );
    }
    std::fs::create_dir(t.path().join("inc")).unwrap();
    mkfifo(&t.path().join("inc/dep.proto"));
    write(
        t.path(),
        "imp/a.proto",
        b"syntax = \"proto3\";\nimport \"dep.proto\";\n",
    );
    let (code, _, err) = run(t.path(), &["old", "imp", "-I", "inc"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("new input \"inc/dep.proto\" is a named pipe"),
        "{err}"
    );
    // As the configuration, given or found; as a round-trip sample.
    let (code, _, err) = run_args(t.path(), &["--config", "pipe", "old", "old"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("configuration \"pipe\" is a named pipe, not a regular file"),
        "{err}"
    );
    mkfifo(&t.path().join("old/protocheck.toml"));
    let (code, _, err) = run_args(t.path(), &["old", "old"]);
    assert_eq!(code, 2);
    assert!(err.contains("protocheck.toml\" is a named pipe"), "{err}");
    std::fs::remove_file(t.path().join("old/protocheck.toml")).unwrap();
    let (code, _, err) = run_args(
        t.path(),
        &[
            "roundtrip",
            "old",
            "old",
            "--message",
            "p.M",
            "--sample",
            "set.binpb",
        ],
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("cannot read sample \"set.binpb\": a named pipe, not a regular file"),
        "{err}"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn files_that_fail_to_read_are_errors_naming_them() {
    // /proc/self/mem is a regular file whose read fails (EIO at offset 0).
    let t = pair(OK.as_bytes());
    symlink("/proc/self/mem", &t.path().join("new/b.proto"));
    symlink("/proc/self/mem", &t.path().join("mem.binpb"));
    symlink("/proc/self/mem", &t.path().join("mem.toml"));
    for (args, what) in [
        (vec!["old", "new"], "cannot read new input \"new/b.proto\""),
        (
            vec!["old/a.proto", "new/b.proto"],
            "cannot read new input \"new/b.proto\"",
        ),
        (
            vec!["mem.binpb", "old"],
            "cannot read old input \"mem.binpb\"",
        ),
    ] {
        let (code, _, err) = run(t.path(), &args);
        assert_eq!(code, 2, "{args:?}");
        assert!(err.contains(what), "{args:?}: {err}");
        assert!(err.contains("os error 5"), "{args:?}: {err}");
    }
    let (code, _, err) = run_args(t.path(), &["--config", "mem.toml", "old", "old"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("cannot read configuration \"mem.toml\""),
        "{err}"
    );
    // A device is never read, endless or not.
    symlink("/dev/zero", &t.path().join("zero.proto"));
    let (code, _, err) = run(t.path(), &["old", "zero.proto"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("new input \"zero.proto\" is a character device, not a regular file"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn broken_symlinks_are_ignored_unless_named_proto() {
    let t = pair(OK.as_bytes());
    // To nothing, and to itself (a loop of one link; loops of directories
    // are tests/cli.rs's).
    symlink("/nonexistent", &t.path().join("new/README"));
    symlink("self", &t.path().join("new/self"));
    let (code, out, err) = run(t.path(), &["old", "new", "--format", "short"]);
    assert_eq!((code, out.as_str()), (0, ""), "{err}");
    symlink("c.proto", &t.path().join("new/c.proto"));
    let (code, _, err) = run(t.path(), &["old", "new"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("cannot read new input \"new/c.proto\": Too many levels of symbolic links"),
        "{err}"
    );
    std::fs::remove_file(t.path().join("new/c.proto")).unwrap();
    symlink("/nonexistent", &t.path().join("new/b.proto"));
    let (code, _, err) = run(t.path(), &["old", "new"]);
    assert_eq!(code, 2);
    assert!(
        err.contains(
            "cannot read new input \"new/b.proto\": a symbolic link to \"/nonexistent\", which does not exist"
        ),
        "{err}"
    );
}

#[test]
fn files_beyond_the_protobuf_limit_are_refused_unread() {
    // A sparse file: 3 GiB on paper, no blocks on disk, never read.
    let t = pair(OK.as_bytes());
    let f = std::fs::File::create(t.path().join("huge.proto")).unwrap();
    f.set_len(3 << 30).unwrap();
    let (code, _, err) = run(t.path(), &["old", "huge.proto"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("new input \"huge.proto\" is too large (3221225472 bytes; the limit is 2147483647 bytes)"),
        "{err}"
    );
    std::fs::rename(t.path().join("huge.proto"), t.path().join("new/huge.proto")).unwrap();
    let (code, _, err) = run(t.path(), &["old", "new"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("new input \"new/huge.proto\" is too large"),
        "{err}"
    );
}

#[test]
fn a_truncated_file_is_an_error_at_its_end() {
    // protox gives "reached end of file" no place; the end of the file is one.
    let t = pair(b"syntax = \"proto3\";\npackage p;\nmessage M {\n  int32 a");
    let (code, _, err) = run(t.path(), &["old", "new"]);
    assert_eq!(code, 2);
    assert!(
        err.contains(
            "new schema does not compile: new/a.proto:4:10: expected '=', but reached end of file"
        ),
        "{err}"
    );
    assert!(err.contains("╭─[new/a.proto:4:10]"), "{err}");
}

/// A schema of `n` messages of 20 fields, behind a comment of 60,000 lines;
/// `change` makes field 7 of that message a string. Returns the text and the
/// line of that field.
fn big_schema(n: usize, change: Option<usize>) -> (String, usize) {
    let mut s = String::from("syntax = \"proto3\";\npackage big;\n\n/*\n");
    for _ in 0..60_000 {
        s.push_str("  a very long comment that goes on and on, as generated files' headers do\n");
    }
    s.push_str("*/\n");
    let mut line = s.matches('\n').count() + 1;
    let mut changed_line = 0;
    for i in 0..n {
        s.push_str(&format!("message M{i:05} {{\n"));
        line += 1;
        for j in 1..=20 {
            let ty = if change == Some(i) && j == 7 {
                changed_line = line;
                "string"
            } else {
                ["string", "int64", "double"][j % 3]
            };
            s.push_str(&format!("  {ty} field_{j:02} = {j};\n"));
            line += 1;
        }
        s.push_str("}\n");
        line += 1;
    }
    (s, changed_line)
}

#[test]
fn a_schema_of_tens_of_megabytes_is_checked_with_exact_locations() {
    let start = std::time::Instant::now();
    let n = 36_000;
    let (old, _) = big_schema(n, None);
    let (new, line) = big_schema(n, Some(34_567));
    assert!(old.len() > 20_000_000, "{} bytes", old.len());
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "old/big.proto", old.as_bytes());
    write(t.path(), "new/big.proto", new.as_bytes());
    let (code, out, err) = run(t.path(), &["old", "new", "--format", "short"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        out,
        format!(
            "new/big.proto:{line}:3: FIELD_SAME_TYPE field 7 of message \"big.M34567\" changed type from \"int64\" to \"string\": data written as int64 (varint) can no longer be read as string (length-delimited)\n"
        )
    );
    eprintln!(
        "{} MB: {:.1} s",
        old.len() / 1_000_000,
        start.elapsed().as_secs_f64()
    );
}

/// A descriptor set of `n` messages of 20 fields with source info (field j
/// of message i on line 22·i + j + 1); `change` makes field 7 of that
/// message a string.
fn big_set(n: usize, change: Option<usize>) -> Vec<u8> {
    use prost::Message as _;
    use prost_types::field_descriptor_proto::{Label, Type};
    use prost_types::source_code_info::Location;
    use prost_types::{
        DescriptorProto, FieldDescriptorProto, FileDescriptorProto, FileDescriptorSet,
        SourceCodeInfo,
    };
    let loc = |path: Vec<i32>, span: Vec<i32>| Location {
        path,
        span,
        ..Location::default()
    };
    let mut locations = vec![loc(vec![], vec![0, 0, (n * 22) as i32, 0])];
    let messages = (0..n)
        .map(|i| {
            let first = (i * 22) as i32;
            locations.push(loc(vec![4, i as i32], vec![first, 0, first + 21, 1]));
            let field = (1..=20)
                .map(|j| {
                    locations.push(loc(vec![4, i as i32, 2, j - 1], vec![first + j, 2, 30]));
                    let ty = if change == Some(i) && j == 7 {
                        Type::String
                    } else {
                        [Type::String, Type::Int64, Type::Double][j as usize % 3]
                    };
                    FieldDescriptorProto {
                        name: Some(format!("field_{j:02}")),
                        number: Some(j),
                        label: Some(Label::Optional as i32),
                        r#type: Some(ty as i32),
                        json_name: Some(format!("field{j:02}")),
                        ..FieldDescriptorProto::default()
                    }
                })
                .collect();
            DescriptorProto {
                name: Some(format!("M{i:05}")),
                field,
                ..DescriptorProto::default()
            }
        })
        .collect();
    FileDescriptorSet {
        file: vec![FileDescriptorProto {
            name: Some("big.proto".to_owned()),
            package: Some("big".to_owned()),
            syntax: Some("proto3".to_owned()),
            message_type: messages,
            source_code_info: Some(SourceCodeInfo {
                location: locations,
            }),
            ..FileDescriptorProto::default()
        }],
    }
    .encode_to_vec()
}

#[test]
fn a_descriptor_set_of_tens_of_megabytes_is_checked_with_exact_locations() {
    let start = std::time::Instant::now();
    let n = 24_000;
    let old = big_set(n, None);
    let new = big_set(n, Some(12_345));
    assert!(old.len() > 20_000_000, "{} bytes", old.len());
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "old.binpb", &old);
    write(t.path(), "new.binpb", &new);
    let (code, out, err) = run(t.path(), &["old.binpb", "new.binpb", "--format", "short"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        out,
        format!(
            "big.proto:{}:3: FIELD_SAME_TYPE field 7 of message \"big.M12345\" changed type from \"int64\" to \"string\": data written as int64 (varint) can no longer be read as string (length-delimited)\n",
            12_345 * 22 + 7 + 1
        )
    );
    eprintln!(
        "{} MB: {:.1} s",
        old.len() / 1_000_000,
        start.elapsed().as_secs_f64()
    );
}

#[test]
fn a_named_pipe_imported_by_an_editions_file_is_refused_before_protoc_runs() {
    // Editions files go to protoc, which would block on the pipe: protocheck
    // reads the imports first, as protoc will find them.
    assert!(
        protocheck::input::protoc::locate(None).is_some(),
        "no protoc: this build has no bundled protoc and none is in PROTOC or on PATH"
    );
    let t = tempfile::tempdir().unwrap();
    let ed = b"edition = \"2023\";\npackage p;\nimport \"dep/pipe.proto\";\nmessage M {\n  int32 a = 1;\n}\n";
    write(t.path(), "old/a.proto", OK.as_bytes());
    write(t.path(), "new/a.proto", ed);
    std::fs::create_dir_all(t.path().join("inc/dep")).unwrap();
    mkfifo(&t.path().join("inc/dep/pipe.proto"));
    let (code, _, err) = run(t.path(), &["old", "new", "-I", "inc"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("new input \"inc/dep/pipe.proto\" is a named pipe, not a regular file"),
        "{err}"
    );
}

#[test]
fn an_include_that_is_not_a_directory_says_so() {
    let t = pair(OK.as_bytes());
    write(t.path(), "file", b"x");
    let (code, _, err) = run(t.path(), &["old", "new", "-I", "file"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("include directory \"file\" is not a directory"),
        "{err}"
    );
}

/// Two identical trees: nothing is compiled (every file is unchanged), yet
/// what protoc would reject in them still ends in exit 2 at the place.
#[test]
fn identical_broken_trees_are_errors() {
    let cases: [(&[(&str, &str)], &str); 9] = [
        (
            &[
                ("a.proto", "syntax = \"proto3\";\nimport \"b.proto\";\n"),
                ("b.proto", "syntax = \"proto3\";\nimport \"a.proto\";\n"),
            ],
            "/b.proto:2:1: import cycle: 'a.proto' -> 'b.proto' -> 'a.proto'",
        ),
        (
            &[("a.proto", "syntax = \"proto3\";\nimport \"gone.proto\";\n")],
            "/a.proto:2:1: import 'gone.proto' not found",
        ),
        (
            &[("a.proto", OK), ("b.proto", OK)],
            "/b.proto:3:9: name 'p.M' is already defined in 'a.proto'",
        ),
        (
            &[(
                "a.proto",
                "syntax = \"proto3\";\npackage p;\nmessage M {\n  Nope n = 1;\n}\n",
            )],
            "/a.proto:4:3: name 'Nope' is not defined",
        ),
        (
            &[(
                "a.proto",
                "syntax = \"proto2\";\npackage p;\nmessage M {\n  extensions 10 to 20;\n}\nextend M {\n  optional int32 x = 5;\n}\n",
            )],
            "/a.proto:7:22: 'p.M' does not declare 5 as an extension number",
        ),
        (
            &[(
                "a.proto",
                "syntax = \"proto3\";\npackage p;\nmessage M {\n  int32 a = 1 [(M) = 1];\n}\n",
            )],
            "/a.proto:4:16: 'p.M' is not an extension",
        ),
        (
            &[
                ("e.proto", "syntax = \"proto2\";\npackage p;\nenum E {\n  A = 0;\n}\n"),
                (
                    "a.proto",
                    "syntax = \"proto3\";\npackage p;\nimport \"e.proto\";\nmessage M {\n  E e = 1;\n}\n",
                ),
            ],
            "/a.proto:5:3: enum 'p.E' is closed",
        ),
        (
            &[(
                "a.proto",
                "syntax = \"proto3\";\npackage p;\nmessage M {\n  reserved 1;\n  int32 a = 1;\n}\n",
            )],
            "/a.proto:5:13: field number 1 is reserved",
        ),
        (
            &[(
                "a.proto",
                "syntax = \"proto3\";\npackage p;\nenum E {\n  A = 0;\n}\nmessage M {}\nservice S {\n  rpc R(E) returns (M);\n}\n",
            )],
            "/a.proto:8:9: 'p.E' is not a message type",
        ),
    ];
    for (files, expected) in cases {
        let t = tempfile::tempdir().unwrap();
        for side in ["old", "new"] {
            for (name, text) in files {
                write(t.path(), &format!("{side}/{name}"), text.as_bytes());
            }
        }
        let (code, out, err) = run(t.path(), &["old", "new"]);
        assert_eq!(code, 2, "{expected}: {out}{err}");
        assert!(err.contains(expected), "{expected}: {err}");
    }
}

/// protoc's name resolution: a partly-qualified name's first component is
/// looked up only among what the file can see. Package
/// `x.extensions.config.core` exists but is not imported by c.proto, so
/// `config.core.DataSource` is `x.config.core.DataSource`.
#[test]
fn partly_qualified_names_resolve_as_protoc_does() {
    let t = tempfile::tempdir().unwrap();
    let files = [
        (
            "a.proto",
            "syntax = \"proto3\";\npackage x.extensions.config.core;\nmessage Other {}\n",
        ),
        (
            "b.proto",
            "syntax = \"proto3\";\npackage x.config.core;\nmessage DataSource {}\n",
        ),
        (
            "c.proto",
            "syntax = \"proto3\";\npackage x.extensions.tls;\nimport \"b.proto\";\n\
             message M {\n  config.core.DataSource d = 1;\n}\n",
        ),
    ];
    for side in ["old", "new"] {
        for (name, text) in files {
            write(t.path(), &format!("{side}/{name}"), text.as_bytes());
        }
    }
    for args in [&["old", "new"][..], &["old", "new", "--full"]] {
        let (code, out, err) = run(t.path(), args);
        assert_eq!(code, 0, "{out}{err}");
    }
    // The field's type changes: the finding names the resolved types.
    write(
        t.path(),
        "new/c.proto",
        b"syntax = \"proto3\";\npackage x.extensions.tls;\nimport \"b.proto\";\n\
          message M {\n  string d = 1;\n}\n",
    );
    let (code, out, err) = run(t.path(), &["old", "new"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("x.config.core.DataSource"), "{out}");
    // Importing the other package instead: the name now resolves into it,
    // where nothing defines it, as protoc says.
    write(
        t.path(),
        "new/c.proto",
        b"syntax = \"proto3\";\npackage x.extensions.tls;\nimport \"a.proto\";\n\
          message M {\n  config.core.DataSource d = 1;\n}\n",
    );
    let (code, _, err) = run(t.path(), &["old", "new"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(
            "new/c.proto:5:3: 'config.core.DataSource' resolves to \
             'x.extensions.config.core.DataSource', which is not defined"
        ),
        "{err}"
    );
}

/// A chain of public imports is followed to its end, as protoc does:
/// d.proto imports c.proto, which publicly imports b.proto, which publicly
/// imports a.proto, so d.proto sees a.proto's types.
#[test]
fn chains_of_public_imports_are_followed() {
    let t = tempfile::tempdir().unwrap();
    let files = [
        (
            "a.proto",
            "syntax = \"proto3\";\npackage p;\nmessage A {}\n",
        ),
        (
            "b.proto",
            "syntax = \"proto3\";\npackage p;\nimport public \"a.proto\";\n",
        ),
        (
            "c.proto",
            "syntax = \"proto3\";\npackage p;\nimport public \"b.proto\";\n",
        ),
        (
            "d.proto",
            "syntax = \"proto3\";\npackage p;\nimport \"c.proto\";\nmessage D {\n  A a = 1;\n}\n",
        ),
    ];
    for side in ["old", "new"] {
        for (name, text) in files {
            write(t.path(), &format!("{side}/{name}"), text.as_bytes());
        }
    }
    for args in [&["old", "new"][..], &["old", "new", "--full"]] {
        let (code, out, err) = run(t.path(), args);
        assert_eq!(code, 0, "{out}{err}");
    }
}
