//! The command line as a user runs it: exit codes, formats, inputs, errors.

mod common;
use common::{protocheck, run};

use std::path::Path;

use serde_json::Value;

const OLD: &str = "fixtures/order/old";

fn order(case: &str) -> String {
    format!("fixtures/order/new_{case}")
}

#[test]
fn seed_scenario_exit_codes_at_every_level() {
    // (case, level, expected exit code)
    let table = [
        ("add", "file", 0),
        ("add", "package", 0),
        ("add", "wire-json", 0),
        ("add", "wire", 0),
        ("reuse", "file", 1),
        ("reuse", "package", 1),
        ("reuse", "wire-json", 1),
        ("reuse", "wire", 1),
        ("reserve", "file", 1),
        ("reserve", "package", 1),
        ("reserve", "wire-json", 0),
        ("reserve", "wire", 0),
        ("delete", "file", 1),
        ("delete", "wire-json", 1),
        ("delete", "wire", 1),
    ];
    for (case, level, code) in table {
        let (got, out, err) = run(&[OLD, &order(case), "--level", level]);
        assert_eq!(got, code, "{case} at {level}:\n{out}\n{err}");
    }
}

#[test]
fn default_level_is_file() {
    let (code, out, _) = run(&[OLD, &order("reserve"), "--format", "short"]);
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "fixtures/order/new_reserve/shop/order.proto:5:9: FIELD_NO_DELETE field 3 \"total\" was deleted from message \"shop.Order\"\n"
    );
}

#[test]
fn reuse_text_tells_one_story_with_every_rule_id() {
    let (code, out, err) = run(&[OLD, &order("reuse")]);
    assert_eq!(code, 1, "{err}");
    assert!(err.is_empty(), "results go to stdout, stderr had: {err}");
    for needle in [
        "FIELD_SAME_TYPE, FIELD_SAME_JSON_NAME, FIELD_SAME_NAME",
        "field number 3 of message \"shop.Order\" reused with a different name and type",
        "FIELD_SAME_TYPE: field 3 of message \"shop.Order\" changed type from \"float\" to \"int64\": data",
        "written as float (32-bit fixed) can no longer be read as int64 (varint)",
        "FIELD_SAME_NAME: field 3 of message \"shop.Order\" changed name from \"total\" to \"total_cents\"",
        "[fixtures/order/new_reuse/shop/order.proto:8:3]",
        "int64 total_cents = 3;",
        "\n  was: `float total = 3;`\n",
        "[fixtures/order/old/shop/order.proto:8:3]",
        "with `float total = 3;`, then add `int64 total_cents = 4;` after it;",
        "this keeps every reader",
        "3 breaking changes at level file (1 file old, 1 file new)",
    ] {
        assert!(out.contains(needle), "missing {needle:?} in:\n{out}");
    }
    // The story is told once, not three times.
    assert_eq!(
        out.matches("reused with a different name and type").count(),
        1
    );
    assert!(!out.contains('\u{1b}'), "no colour when not on a terminal");
    assert!(!out.contains("Advice"), "{out}");
}

#[test]
fn text_width_follows_columns_else_100() {
    let longest = |out: &str| out.lines().map(|l| l.chars().count()).max().unwrap();
    let (_, wide, _) = run(&[OLD, &order("reuse")]);
    assert!(longest(&wide) <= 100 && longest(&wide) > 90, "{wide}");
    let out = protocheck()
        .args([OLD, &order("reuse")])
        .env("COLUMNS", "60")
        .output()
        .unwrap();
    let narrow = String::from_utf8(out.stdout).unwrap();
    assert!(longest(&narrow) <= 60, "{narrow}");
    assert!(narrow.contains("FIELD_SAME_TYPE"), "{narrow}");
    let out = protocheck()
        .args(["roundtrip", OLD, &order("reuse")])
        .env("COLUMNS", "70")
        .output()
        .unwrap();
    let rt = String::from_utf8(out.stdout).unwrap();
    // Every line but the closing summary.
    let body: String = rt
        .lines()
        .filter(|l| !l.starts_with("round trip of"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(longest(&body) <= 70, "{rt}");
}

#[test]
fn completions_for_every_shell_and_a_man_page() {
    for (shell, needle) in [
        ("bash", "complete -F _protocheck"),
        ("zsh", "#compdef protocheck"),
        ("fish", "complete -c protocheck"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[protocheck]"),
    ] {
        let (code, out, err) = run(&["completions", shell]);
        assert_eq!(code, 0, "{shell}: {err}");
        assert!(out.contains(needle), "{shell}: {out}");
        assert!(out.contains("against"), "{shell}");
        assert!(out.contains("roundtrip"), "{shell}");
    }
    let (code, _, err) = run(&["completions", "tcsh"]);
    assert_eq!(code, 2);
    assert!(err.contains("invalid value 'tcsh'"), "{err}");
    let (code, man, _) = run(&["man"]);
    assert_eq!(code, 0);
    assert!(man.contains(".TH protocheck 1"), "{man}");
    assert!(man.contains("\\-\\-against"), "{man}");
    assert!(man.contains("Exit codes"), "{man}");
    // The bash script is valid bash.
    let tmp = tempfile::tempdir().unwrap();
    let (_, bash, _) = run(&["completions", "bash"]);
    std::fs::write(tmp.path().join("c.bash"), bash).unwrap();
    let status = std::process::Command::new("bash")
        .arg("-n")
        .arg(tmp.path().join("c.bash"))
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn a_misspelt_subcommand_is_not_taken_as_a_path() {
    for (typo, meant) in [
        ("explian", "explain"),
        ("rule", "rules"),
        ("snapshto", "snapshot"),
        ("completion", "completions"),
        ("roundtip", "roundtrip"),
    ] {
        let (code, out, err) = run(&[typo, "FIELD_SAME_TYPE"]);
        assert_eq!(code, 2, "{typo}: {err}");
        assert!(out.is_empty());
        assert!(
            err.contains(&format!(
                "\"{typo}\" is neither a subcommand nor a file or directory; did you mean `protocheck {meant}`?"
            )),
            "{typo}: {err}"
        );
        assert!(!err.contains("does not exist"), "{err}");
    }
    // A file or directory of that name is a path, as always.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("rule/shop")).unwrap();
    std::fs::copy(
        "fixtures/order/old/shop/order.proto",
        tmp.path().join("rule/shop/order.proto"),
    )
    .unwrap();
    let out = protocheck()
        .current_dir(tmp.path())
        .args(["rule", "rule"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    // A path that is far from every subcommand keeps its own error.
    let (code, _, err) = run(&["schemas", &order("add")]);
    assert_eq!(code, 2);
    assert!(err.contains("\"schemas\" does not exist"), "{err}");
}

#[test]
fn version_names_the_commit_and_the_protoc_in_use() {
    let (code, out, err) = run(&["--version"]);
    assert_eq!(code, 0, "{err}");
    let first = out.lines().next().unwrap();
    assert!(
        first.starts_with(&format!("protocheck {}", env!("CARGO_PKG_VERSION"))),
        "{out}"
    );
    if std::path::Path::new(".git").exists() {
        assert!(first.contains("(commit "), "{out}");
    }
    let protoc = out.lines().nth(1).unwrap();
    assert!(protoc.starts_with("protoc: libprotoc "), "{out}");
    let (_, short, _) = run(&["-V"]);
    assert_eq!(short, out);
    let out = protocheck()
        .args(["--version", "--protoc", "/nonexistent/protoc"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("protoc: \"/nonexistent/protoc\" (from --protoc) does not run:"),
        "{text}"
    );
}

#[test]
fn help_lists_the_exit_codes() {
    let (code, out, _) = run(&["--help"]);
    assert_eq!(code, 0);
    for line in [
        "Exit codes:",
        "0  no breaking change at the chosen level",
        "1  breaking changes found",
        "2  could not check",
    ] {
        assert!(out.contains(line), "{line}: {out}");
    }
}

#[test]
fn colour_on_request_only() {
    let (_, out, _) = run(&[OLD, &order("reuse"), "--color", "always"]);
    assert!(out.contains('\u{1b}'));
    let (_, out, _) = run(&[OLD, &order("reuse"), "--color", "never"]);
    assert!(!out.contains('\u{1b}'));
}

#[test]
fn compatible_text_says_so() {
    let (code, out, _) = run(&[OLD, &order("add")]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "no breaking changes at level file (1 file old, 1 file new)\n"
    );
}

#[test]
fn short_format_is_one_line_per_finding() {
    let (code, out, _) = run(&[
        OLD,
        &order("delete"),
        "--level",
        "wire-json",
        "--format",
        "short",
    ]);
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "fixtures/order/new_delete/shop/order.proto:5:9: FIELD_NO_DELETE_UNLESS_NAME_RESERVED field 3 \"total\" was deleted from message \"shop.Order\" without reserving the name \"total\"\n\
         fixtures/order/new_delete/shop/order.proto:5:9: FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED field 3 \"total\" was deleted from message \"shop.Order\" without reserving the number 3\n"
    );
}

#[test]
fn json_document_carries_locations_on_both_sides() {
    let (code, out, _) = run(&[OLD, &order("reuse"), "--format", "json"]);
    assert_eq!(code, 1);
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["level"], "file");
    assert_eq!(doc["breaking"], true);
    assert_eq!(doc["summary"]["errors"], 3);
    assert_eq!(doc["summary"]["warnings"], 0);
    assert_eq!(doc["summary"]["rules"]["FIELD_SAME_TYPE"], 1);
    let findings = doc["findings"].as_array().unwrap();
    let rules: Vec<&str> = findings
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        ["FIELD_SAME_TYPE", "FIELD_SAME_JSON_NAME", "FIELD_SAME_NAME"]
    );
    let t = &findings[0];
    assert_eq!(t["path"], "fixtures/order/new_reuse/shop/order.proto");
    assert_eq!(t["file"], "shop/order.proto");
    assert_eq!(
        (t["line"].as_u64(), t["column"].as_u64()),
        (Some(8), Some(3))
    );
    assert_eq!(
        (t["end_line"].as_u64(), t["end_column"].as_u64()),
        (Some(8), Some(8))
    );
    assert_eq!(t["old_path"], "fixtures/order/old/shop/order.proto");
    assert_eq!(
        (t["old_line"].as_u64(), t["old_column"].as_u64()),
        (Some(8), Some(3))
    );
    assert_eq!(t["old_text"], "float total = 3;");
    assert_eq!(t["severity"], "error");
    assert_eq!(t["element_kind"], "field");
    assert_eq!(t["element"], "shop.Order.total_cents");
    assert!(t["help"]
        .as_str()
        .unwrap()
        .contains("reserved 3; reserved \"total\";"));
    let affects: Vec<&str> = t["affects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert!(affects.contains(&"new-readers-of-old-data"));
    assert_eq!(findings[2]["column"], 9);

    let (code, out, _) = run(&[OLD, &order("add"), "--format", "json"]);
    assert_eq!(code, 0);
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["breaking"], false);
    assert_eq!(doc["findings"].as_array().unwrap().len(), 0);
}

#[test]
fn deleted_file_has_no_line_in_the_new_schema() {
    let (code, out, _) = run(&[
        "fixtures/file_no_delete/old",
        "fixtures/file_no_delete/new",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let doc: Value = serde_json::from_str(&out).unwrap();
    let f = &doc["findings"][0];
    assert_eq!(f["rule"], "FILE_NO_DELETE");
    assert_eq!(f["line"], Value::Null);
    assert_eq!(
        f["old_path"],
        "fixtures/file_no_delete/old/shop/refund.proto"
    );
    let (_, text, _) = run(&["fixtures/file_no_delete/old", "fixtures/file_no_delete/new"]);
    assert!(
        text.contains("file \"shop/refund.proto\" was deleted"),
        "{text}"
    );
}

fn write(dir: &Path, name: &str, text: &str) {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

#[test]
fn parse_errors_name_side_file_line_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "bad/shop/order.proto",
        "syntax = \"proto3\";\npackage shop;\nmessage Order {\n  string a = ;\n}\n",
    );
    let bad = tmp.path().join("bad");
    let bad = bad.to_str().unwrap();
    let (code, out, err) = run(&[OLD, bad]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains(&format!("new schema does not compile: {bad}/shop/order.proto:4:14: expected an integer, but found ';'")), "{err}");
    assert!(err.contains("string a = ;"), "the snippet is shown: {err}");
    let (code, _, err) = run(&[bad, OLD]);
    assert_eq!(code, 2);
    assert!(err.contains("old schema does not compile"), "{err}");
}

#[test]
fn semantic_errors_and_missing_imports_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "dup.proto",
        "syntax = \"proto3\";\nmessage M {\n  string a = 1;\n  string b = 1;\n}\n",
    );
    write(
        tmp.path(),
        "imp.proto",
        "syntax = \"proto3\";\nimport \"missing/dep.proto\";\n",
    );
    let dup = tmp.path().join("dup.proto");
    let (code, _, err) = run(&[OLD, dup.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("dup.proto:4:"), "{err}");
    assert!(err.contains("field number '1' is already used"), "{err}");
    let imp = tmp.path().join("imp.proto");
    let (code, _, err) = run(&[imp.to_str().unwrap(), OLD]);
    assert_eq!(code, 2);
    assert!(err.contains("old schema does not compile"), "{err}");
    assert!(
        err.contains("import 'missing/dep.proto' not found"),
        "{err}"
    );
}

#[test]
fn bad_arguments_and_inputs_exit_2() {
    let (code, _, err) = run(&["fixtures/nope", OLD]);
    assert_eq!(code, 2);
    assert!(
        err.contains("old input \"fixtures/nope\" does not exist"),
        "{err}"
    );
    let (code, _, _) = run(&[OLD]);
    assert_eq!(code, 2);
    let (code, _, err) = run(&[OLD, &order("add"), "--level", "strict"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown level"), "{err}");
    let (code, _, err) = run(&[OLD, "Cargo.toml"]);
    assert_eq!(code, 2);
    assert!(
        err.contains(
            "new input \"Cargo.toml\" is not a .proto file, a descriptor set or a directory"
        ),
        "{err}"
    );
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "notes.txt", "hello");
    let (code, _, err) = run(&[tmp.path().to_str().unwrap(), OLD]);
    assert_eq!(code, 2);
    assert!(err.contains("no .proto files under old directory"), "{err}");
    let (code, _, err) = run(&[OLD, &order("add"), "-I", "fixtures/nope"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("include directory \"fixtures/nope\" does not exist"),
        "{err}"
    );
}

#[test]
fn two_single_files_pair_whatever_their_names() {
    let tmp = tempfile::tempdir().unwrap();
    let old = "syntax = \"proto3\";\npackage shop;\nmessage Order {\n  float total = 3;\n}\n";
    write(tmp.path(), "old.proto", old);
    write(
        tmp.path(),
        "new.proto",
        &old.replace("float total", "int64 total"),
    );
    let (code, out, _) = run(&[
        tmp.path().join("old.proto").to_str().unwrap(),
        tmp.path().join("new.proto").to_str().unwrap(),
        "--format",
        "short",
    ]);
    assert_eq!(code, 1);
    assert!(out.contains("new.proto:4:3: FIELD_SAME_TYPE"), "{out}");
    assert_eq!(out.lines().count(), 1, "{out}");
}

#[test]
fn includes_and_well_known_types_resolve() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    write(
        t,
        "vendor/common/money.proto",
        "syntax = \"proto3\";\npackage common;\nmessage Money { int64 units = 1; }\n",
    );
    // A vendored descriptor.proto newer than protox can parse must not win
    // over the built-in copy.
    write(
        t,
        "vendor/google/protobuf/descriptor.proto",
        "syntax = \"proto2\";\npackage google.protobuf;\nmessage FieldOptions {\n  extensions 536000000 [declaration = {number: 536000000}];\n}\n",
    );
    let body = "syntax = \"proto3\";\npackage shop;\nimport \"common/money.proto\";\nimport \"google/protobuf/timestamp.proto\";\nimport \"google/protobuf/descriptor.proto\";\nmessage Order {\n  common.Money total = 1;\n  google.protobuf.Timestamp at = 2;\n}\n";
    write(t, "old/shop/order.proto", body);
    write(
        t,
        "new/shop/order.proto",
        &body.replace(
            "common.Money total = 1;",
            "common.Money total = 1;\n  string note = 3;",
        ),
    );
    // Non-.proto files are ignored.
    write(t, "new/README.md", "not a schema");
    let p = |s: &str| t.join(s).to_str().unwrap().to_owned();
    let (code, out, err) = run(&[&p("old"), &p("new"), "-I", &p("vendor")]);
    assert_eq!(code, 0, "{out}{err}");
    // Without the include the import is missing.
    let (code, _, err) = run(&[&p("old"), &p("new")]);
    assert_eq!(code, 2);
    assert!(err.contains("common/money.proto"), "{err}");
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_not_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    write(
        t,
        "s/a.proto",
        "syntax = \"proto3\";\nmessage A { int32 x = 1; }\n",
    );
    std::os::unix::fs::symlink(t.join("s"), t.join("s/loop")).unwrap();
    let s = t.join("s");
    let (code, out, err) = run(&[s.to_str().unwrap(), s.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("1 file old, 1 file new"), "{out}");
    // A link to the parent directory reaches the same file again (as
    // s/up/s/a.proto): it is still one file, under its shortest name.
    std::fs::remove_file(t.join("s/loop")).unwrap();
    std::os::unix::fs::symlink("..", t.join("s/up")).unwrap();
    let (code, out, err) = run(&[s.to_str().unwrap(), s.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("1 file old, 1 file new"), "{out}");
}

#[test]
fn columns_count_characters_not_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    write(
        t,
        "old/a.proto",
        "syntax = \"proto3\";\nmessage A {\n  /* café ☕ */ float total = 3;\n}\n",
    );
    write(
        t,
        "new/a.proto",
        "syntax = \"proto3\";\nmessage A {\n  /* café ☕ */ int64 total = 3;\n}\n",
    );
    let (code, out, _) = run(&[
        t.join("old").to_str().unwrap(),
        t.join("new").to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let doc: Value = serde_json::from_str(&out).unwrap();
    let f = &doc["findings"][0];
    // `int64` starts at character 16 of the line (byte 19).
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(3), Some(16))
    );
    assert_eq!(f["end_column"], 21);
    assert_eq!(f["old_text"], "float total = 3;");
}

#[test]
fn help_and_version_exit_0() {
    assert_eq!(run(&["--help"]).0, 0);
    let (code, out, _) = run(&["--version"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("protocheck "));
}

#[test]
fn warnings_are_reported_but_pass_unless_denied() {
    let args = [
        "fixtures/field_wire_no_narrowing/old",
        "fixtures/field_wire_no_narrowing/new",
        "--level",
        "wire",
    ];
    let (code, out, _) = run(&args);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("FIELD_WIRE_NO_NARROWING"), "{out}");
    assert!(
        out.contains("no breaking changes at level wire, 4 warnings"),
        "{out}"
    );
    let (code, out, _) = run(&[&args[..], &["--format", "json"]].concat());
    assert_eq!(code, 0);
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["breaking"], false);
    assert_eq!(doc["summary"]["warnings"], 4);
    assert_eq!(doc["findings"][0]["severity"], "warning");
    let (code, out, _) = run(&[&args[..], &["--deny-warnings", "--format", "json"]].concat());
    assert_eq!(code, 1);
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["breaking"], true);
}

#[test]
fn rules_lists_every_rule_and_explain_prints_its_doc() {
    let (code, out, _) = run(&["rules"]);
    assert_eq!(code, 0);
    for r in protocheck::rules::ALL {
        assert!(
            out.contains(r.meta().id),
            "{} missing from `rules`",
            r.meta().id
        );
    }
    let (_, wire, _) = run(&["rules", "--level", "wire"]);
    assert!(wire.contains("FIELD_WIRE_COMPATIBLE_TYPE"));
    assert!(!wire.contains("FIELD_SAME_NAME "));
    let (code, out, _) = run(&["explain", "FIELD_SAME_TYPE"]);
    assert_eq!(code, 0);
    for needle in [
        "levels: file, package",
        "# What",
        "# Why",
        "# Example",
        "# Fix",
        "reserved 3;",
    ] {
        assert!(out.contains(needle), "{needle:?} in {out}");
    }
    let (code, _, err) = run(&["explain", "FIELD_SAME_TYP"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean \"FIELD_SAME_TYPE\"?"), "{err}");
    let (code, _, err) = run(&["explain", "FIELD_SAME_LABEL"]);
    assert_eq!(code, 2);
    assert!(err.contains("deprecated"), "{err}");
}

/// A schema over the size at which files are compiled without source info.
fn large_schema(last_field: &str) -> String {
    let mut s = String::from("syntax = \"proto3\";\npackage big;\nimport \"google/protobuf/descriptor.proto\";\nextend google.protobuf.FieldOptions { string note = 50001; }\n");
    for i in 0..3000 {
        s.push_str(&format!(
            "message M{i} {{\n  string name = 1 [(note) = \"n{i}\", deprecated = false];\n  int64 value = 2;\n}}\n"
        ));
    }
    s.push_str(&format!("message Last {{\n  {last_field}\n}}\n"));
    assert!(s.len() > 256 * 1024);
    s
}

#[test]
fn large_files_keep_exact_locations_and_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    write(t, "old/big.proto", &large_schema("float total = 3;"));
    write(t, "new/big.proto", &large_schema("int64 total = 3;"));
    let p = |s: &str| t.join(s).to_str().unwrap().to_owned();
    let (code, out, err) = run(&[&p("old"), &p("new"), "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    let f = &doc["findings"][0];
    assert_eq!(f["rule"], "FIELD_SAME_TYPE");
    let line = large_schema("").lines().count() as u64 - 1;
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(line), Some(3))
    );
    assert_eq!(f["old_text"], "float total = 3;");

    write(t, "new/big.proto", &large_schema("Missing total = 3;"));
    let (code, _, err) = run(&[&p("old"), &p("new")]);
    assert_eq!(code, 2);
    assert!(
        err.contains(&format!(
            "big.proto:{line}:3: name 'Missing' is not defined"
        )),
        "{err}"
    );
}
