//! Configuration files: protocheck.toml and buf.yaml, found by walking up from
//! the new input, or given with --config.

use std::path::Path;

use assert_cmd::Command;

fn write(dir: &Path, name: &str, text: &str) {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("protocheck")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// old/ and new/ trees: field 3 deleted and reserved, field 4 renamed,
/// field 5 int32 → int64, and a file in an unstable package deleted.
fn project() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    write(
        t,
        "old/shop/v1/order.proto",
        "syntax = \"proto3\";\npackage shop.v1;\nmessage Order {\n  string id = 1;\n  float total = 3;\n  string note = 4;\n  int32 count = 5;\n}\n",
    );
    write(
        t,
        "new/shop/v1/order.proto",
        "syntax = \"proto3\";\npackage shop.v1;\nmessage Order {\n  string id = 1;\n  reserved 3;\n  reserved \"total\";\n  string remark = 4;\n  int64 count = 5;\n}\n",
    );
    write(
        t,
        "old/shop/v1alpha1/draft.proto",
        "syntax = \"proto3\";\npackage shop.v1alpha1;\nmessage Draft {\n  string id = 1;\n}\n",
    );
    tmp
}

fn rules_of(out: &str) -> Vec<String> {
    out.lines()
        .filter_map(|l| l.split_whitespace().nth(1))
        .map(str::to_owned)
        .collect()
}

#[test]
fn without_configuration_the_level_is_file() {
    let p = project();
    let (code, out, _) = run(p.path(), &["old", "new", "--format", "short"]);
    assert_eq!(code, 1);
    assert_eq!(
        rules_of(&out),
        [
            "FIELD_NO_DELETE",
            "FIELD_SAME_JSON_NAME",
            "FIELD_SAME_NAME",
            "FIELD_SAME_TYPE",
            "FILE_NO_DELETE"
        ]
    );
}

#[test]
fn protocheck_toml_level_use_except_and_ignores() {
    let p = project();
    let t = p.path();
    write(t, "protocheck.toml", "level = \"wire\"\n");
    let (code, out, _) = run(t, &["old", "new", "--format", "short"]);
    // Only the warning that old readers truncate int64 values (exit 0).
    assert_eq!(
        (code, rules_of(&out)),
        (0, vec!["FIELD_WIRE_NO_WIDENING".to_owned()])
    );
    // --level on the command line wins over the file.
    let (code, _, _) = run(t, &["old", "new", "--level", "file"]);
    assert_eq!(code, 1);

    write(
        t,
        "protocheck.toml",
        "use = [\"FILE\"]\nexcept = [\"FIELD_NO_DELETE\", \"wire-json\"]\n",
    );
    let (_, out, _) = run(t, &["old", "new", "--format", "short"]);
    // wire-json's rules (name, json name) are removed too.
    assert_eq!(rules_of(&out), ["FIELD_SAME_TYPE", "FILE_NO_DELETE"]);

    write(
        t,
        "protocheck.toml",
        "ignore = [\"shop/v1alpha1\"]\n[ignore_only]\nFIELD_SAME_TYPE = [\"shop/v1/order.proto\"]\nWIRE_JSON = [\"shop/v1\"]\n",
    );
    let (_, out, _) = run(t, &["old", "new", "--format", "short"]);
    // The deleted file is ignored through its old location.
    assert_eq!(rules_of(&out), ["FIELD_NO_DELETE"]);
}

#[test]
fn ignore_unstable_packages_drops_deleted_unstable_files() {
    let p = project();
    let t = p.path();
    write(t, "protocheck.toml", "ignore_unstable_packages = true\n");
    let (_, out, _) = run(t, &["old", "new", "--format", "short"]);
    assert!(!out.contains("FILE_NO_DELETE"), "{out}");
    assert!(out.contains("FIELD_NO_DELETE"), "{out}");
}

#[test]
fn unknown_rule_is_exit_2_with_did_you_mean_pointing_into_the_file() {
    let p = project();
    let t = p.path();
    write(
        t,
        "protocheck.toml",
        "level = \"file\"\nexcept = [\"FIELD_SAME_TYP\"]\n",
    );
    let (code, out, err) = run(t, &["old", "new"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.contains("unknown rule or level \"FIELD_SAME_TYP\""),
        "{err}"
    );
    assert!(err.contains("protocheck.toml:2:11"), "{err}");
    assert!(err.contains("did you mean \"FIELD_SAME_TYPE\"?"), "{err}");
    assert!(
        err.contains("except = [\"FIELD_SAME_TYP\"]"),
        "snippet shown: {err}"
    );

    write(t, "protocheck.toml", "levle = \"wire\"\n");
    let (code, _, err) = run(t, &["old", "new"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown field `levle`"), "{err}");
    assert!(err.contains("protocheck.toml:1:1"), "{err}");
}

#[test]
fn buf_yaml_v1_is_read_with_bufs_meaning() {
    let p = project();
    let t = p.path();
    write(
        t,
        "new/buf.yaml",
        "version: v1\nbreaking:\n  use:\n    - WIRE_JSON\n  ignore:\n    - shop/v1alpha1\n",
    );
    let (code, out, _) = run(t, &["old", "new", "--format", "short"]);
    assert_eq!(code, 1);
    assert_eq!(
        rules_of(&out),
        [
            "FIELD_SAME_JSON_NAME",
            "FIELD_SAME_NAME",
            "FIELD_WIRE_JSON_COMPATIBLE_TYPE",
            "FIELD_WIRE_NO_WIDENING"
        ]
    );
    // A protocheck.toml takes precedence over buf.yaml.
    write(t, "protocheck.toml", "level = \"wire\"\n");
    let (code, _, _) = run(t, &["old", "new"]);
    assert_eq!(code, 0);
}

#[test]
fn buf_yaml_v1beta1_keeps_field_same_type_at_wire() {
    let p = project();
    let t = p.path();
    write(
        t,
        "new/buf.yaml",
        "version: v1beta1\nbreaking:\n  use: [WIRE]\n",
    );
    let (_, out, _) = run(t, &["old", "new", "--format", "short"]);
    assert!(
        rules_of(&out).contains(&"FIELD_SAME_TYPE".to_owned()),
        "{out}"
    );
    write(t, "new/buf.yaml", "version: v1\nbreaking:\n  use: [WIRE]\n");
    let (code, out, _) = run(t, &["old", "new", "--format", "short"]);
    assert_eq!(
        (code, rules_of(&out)),
        (0, vec!["FIELD_WIRE_NO_WIDENING".to_owned()])
    );
    // FIELD_WIRE_COMPATIBLE_TYPE does not exist in v1beta1.
    write(
        t,
        "new/buf.yaml",
        "version: v1beta1\nbreaking:\n  use: [FIELD_WIRE_COMPATIBLE_TYPE]\n",
    );
    let (code, _, err) = run(t, &["old", "new"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("unknown rule or level \"FIELD_WIRE_COMPATIBLE_TYPE\""),
        "{err}"
    );
}

#[test]
fn buf_yaml_v2_module_section_and_deprecated_ids() {
    let p = project();
    let t = p.path();
    write(
        t,
        "buf.yaml",
        "version: v2\nmodules:\n  - path: new\n    breaking:\n      use: [FILE]\n      except: [FIELD_SAME_NAME, FIELD_SAME_JSON_NAME]\n      ignore: [new/shop/v1alpha1]\n",
    );
    let (code, out, _) = run(t, &["old", "new", "--format", "short"]);
    assert_eq!(code, 1);
    assert_eq!(rules_of(&out), ["FIELD_NO_DELETE", "FIELD_SAME_TYPE"]);
    // buf v2 dropped FIELD_SAME_LABEL; v1 expands it.
    write(
        t,
        "buf.yaml",
        "version: v2\nbreaking:\n  except: [FIELD_SAME_LABEL]\n",
    );
    let (code, _, err) = run(t, &["old", "new"]);
    assert_eq!(code, 2);
    assert!(err.contains("FIELD_SAME_LABEL"), "{err}");
    write(
        t,
        "buf.yaml",
        "version: v1\nbreaking:\n  except: [FILE_SAME_PHP_GENERIC_SERVICES]\n",
    );
    let (code, _, err) = run(t, &["old", "new"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("note: buf.yaml names the deprecated rule FILE_SAME_PHP_GENERIC_SERVICES"),
        "{err}"
    );
}

#[test]
fn explicit_config_and_no_config() {
    let p = project();
    let t = p.path();
    write(t, "elsewhere/strict.toml", "level = \"wire\"\n");
    write(t, "protocheck.toml", "level = \"file\"\n");
    let (code, _, _) = run(t, &["old", "new", "--config", "elsewhere/strict.toml"]);
    assert_eq!(code, 0);
    write(t, "protocheck.toml", "use = [\"NOPE\"]\n");
    let (code, _, _) = run(t, &["old", "new", "--no-config"]);
    assert_eq!(code, 1);
    let (code, _, err) = run(t, &["old", "new", "--config", "missing.toml"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("configuration \"missing.toml\" does not exist"),
        "{err}"
    );
    std::fs::write(
        t.join("latin1.yaml"),
        b"version: v2\nbreaking:\n  use: [WIRE] # caf\xe9\n",
    )
    .unwrap();
    let (code, _, err) = run(t, &["old", "new", "--config", "latin1.yaml"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("invalid configuration latin1.yaml:3:20: not valid UTF-8"),
        "{err}"
    );
}

#[test]
fn an_unknown_buf_yaml_version_names_the_file_and_line() {
    let p = project();
    let t = p.path();
    write(t, "new/buf.yaml", "# comment\nversion: v3\n");
    let (code, _, err) = run(t, &["old", "new"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown buf.yaml version \"v3\" in"), "{err}");
    assert!(err.contains("new/buf.yaml:2:10"), "{err}");
    // Folded over two lines, the value is not in the text as such: the key is.
    write(t, "new/buf.yaml", "version: v1\n  u\n");
    let (code, _, err) = run(t, &["old", "new"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("unknown buf.yaml version \"v1 u\" in"),
        "{err}"
    );
    assert!(err.contains("new/buf.yaml:1:1"), "{err}");
}

#[test]
fn the_summary_reads_under_the_rules_of_a_configuration() {
    let p = project();
    let t = p.path();
    write(
        t,
        "buf.yaml",
        "version: v2\nbreaking:\n  use:\n    - FIELD_SAME_NAME\n    - FIELD_SAME_TYPE\n",
    );
    let (code, out, err) = run(t, &["old", "new"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        out.ends_with("2 breaking changes under the rules of buf.yaml (2 files old, 1 file new)\n"),
        "{out}"
    );
}
