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
    let out = Command::cargo_bin("protocheck")
        .unwrap()
        .current_dir(dir)
        .arg("--no-config")
        .args(args)
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
