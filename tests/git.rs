//! `--against git:REF` and `git:REF:PATH` on a real repository built in a
//! temporary directory, with several commits and tags, a shallow clone, and
//! the working tree checked to be untouched.

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;
use serde_json::Value;

/// Runs git (or protocheck) away from the user's configuration and any
/// repository the tests themselves run in.
fn isolate(c: &mut Process) {
    for k in [
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_INDEX_FILE",
        "GIT_OBJECT_DIRECTORY",
        "NO_COLOR",
    ] {
        c.env_remove(k);
    }
    c.env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .env("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z");
}

fn git(dir: &Path, args: &[&str]) -> String {
    let mut c = Process::new("git");
    isolate(&mut c);
    let out = c.arg("-C").arg(dir).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

fn write(dir: &Path, name: &str, text: &str) {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn protocheck(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let mut c = Command::cargo_bin("protocheck").unwrap();
    for k in ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "NO_COLOR"] {
        c.env_remove(k);
    }
    c.env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1");
    let out = c.current_dir(dir).args(args).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn order(extra: &str, tag_type: &str) -> String {
    format!(
        "syntax = \"proto3\";\npackage shop;\n\nimport \"shop/money.proto\";\nimport \"vendor/common.proto\";\n\n\
         message Order {{\n  string order_id = 1;\n  string user_id = 2;\n  float total = 3;\n  \
         Money price = 4;\n  vendor.{tag_type} tag = 5;\n{extra}}}\n"
    )
}

const MONEY: &str =
    "syntax = \"proto3\";\npackage shop;\n\nmessage Money {\n  int64 units = 1;\n}\n";
const LEGACY: &str =
    "syntax = \"proto3\";\npackage shop;\n\nmessage Refund {\n  string id = 1;\n}\n";

fn vendor(name: &str) -> String {
    format!("syntax = \"proto3\";\npackage vendor;\n\nmessage {name} {{\n  string name = 1;\n}}\n")
}

/// The history:
/// - v1.0.0: `Order` with fields 1–5 (5 is a `vendor.Tag` from the include
///   root `third_party`), `shop/money.proto`, `shop/legacy.proto`;
/// - v1.1.0: adds `coupon_code = 6`; the vendored `Tag` is renamed `Label`;
/// - HEAD: deletes `shop/legacy.proto`;
/// - working tree (uncommitted): `coupon_code` removed, `note = 7` added.
struct Repo {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
}

fn repo() -> Repo {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("repo");
    std::fs::create_dir(&dir).unwrap();
    git(&dir, &["init", "-q", "-b", "main"]);
    write(&dir, "proto/shop/order.proto", &order("", "Tag"));
    write(&dir, "proto/shop/money.proto", MONEY);
    write(&dir, "proto/shop/legacy.proto", LEGACY);
    write(&dir, "third_party/vendor/common.proto", &vendor("Tag"));
    write(&dir, "README.md", "shop\n");
    git(&dir, &["add", "-A"]);
    git(&dir, &["commit", "-q", "-m", "v1.0.0"]);
    git(&dir, &["tag", "v1.0.0"]);
    write(
        &dir,
        "proto/shop/order.proto",
        &order("  string coupon_code = 6;\n", "Label"),
    );
    write(&dir, "third_party/vendor/common.proto", &vendor("Label"));
    git(&dir, &["commit", "-q", "-am", "coupons"]);
    git(&dir, &["tag", "-a", "v1.1.0", "-m", "release 1.1.0"]);
    std::fs::remove_file(dir.join("proto/shop/legacy.proto")).unwrap();
    git(&dir, &["commit", "-q", "-am", "drop legacy"]);
    write(
        &dir,
        "proto/shop/order.proto",
        &order("  string note = 7;\n", "Label"),
    );
    Repo { _tmp: tmp, dir }
}

/// What a command must not change: status, index and every file's bytes.
fn state(dir: &Path) -> (String, Vec<u8>, String) {
    let status = git(dir, &["status", "--porcelain=v1", "-uall"]);
    let index = std::fs::read(dir.join(".git/index")).unwrap();
    let order = std::fs::read_to_string(dir.join("proto/shop/order.proto")).unwrap();
    (status, index, order)
}

fn rules(doc: &Value) -> Vec<String> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn against_a_tag_reads_the_old_schema_and_its_includes_at_that_revision() {
    let r = repo();
    let before = state(&r.dir);
    // At the wire level the renamed vendored type is wire-identical: accepted.
    // The old schema only compiles if third_party is read at v1.0.0 too
    // (its `vendor.Tag` no longer exists on disk).
    let (code, out, err) = protocheck(
        &r.dir,
        &[
            "proto",
            "-I",
            "third_party",
            "--against",
            "git:v1.0.0",
            "--level",
            "wire",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0, "{out}{err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(rules(&doc), ["FIELD_WIRE_COMPATIBLE_TYPE"]);
    assert_eq!(doc["findings"][0]["severity"], "info");
    assert_eq!(doc["findings"][0]["old_path"], "proto/shop/order.proto");
    assert_eq!(doc["findings"][0]["old_revision"], "v1.0.0");
    assert_eq!(doc["findings"][0]["old_line"], 12);
    assert_eq!(
        state(&r.dir),
        before,
        "the working tree and index are untouched"
    );
}

#[test]
fn against_a_later_tag_finds_what_the_working_tree_broke() {
    let r = repo();
    let before = state(&r.dir);
    let (code, out, err) = protocheck(
        &r.dir,
        &[
            "proto",
            "-I",
            "third_party",
            "--against",
            "git:v1.1.0",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 1, "{err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(rules(&doc), ["FILE_NO_DELETE", "FIELD_NO_DELETE"]);
    // A deleted file is where it was in the repository, with the revision
    // apart and no line.
    let deleted = &doc["findings"][0];
    assert_eq!(deleted["path"], "proto/shop/legacy.proto");
    assert_eq!(deleted["revision"], "v1.1.0");
    assert_eq!(deleted["line"], Value::Null);
    let field = &doc["findings"][1];
    assert_eq!(field["path"], "proto/shop/order.proto");
    assert_eq!(field["old_path"], "proto/shop/order.proto");
    assert_eq!(field["old_revision"], "v1.1.0");
    assert_eq!(field["old_text"], "string coupon_code = 6;");
    assert_eq!(field["old_line"], 13);
    // The text output shows the old declaration from the revision.
    let (_, text, _) = protocheck(
        &r.dir,
        &["proto", "-I", "third_party", "--against", "git:v1.1.0"],
    );
    assert!(
        text.contains("[proto/shop/order.proto (at v1.1.0):13:3]"),
        "{text}"
    );
    assert!(text.contains("string coupon_code = 6;"), "{text}");
    assert_eq!(state(&r.dir), before);
}

#[test]
fn any_revision_names_the_same_commit() {
    let r = repo();
    let sha = git(&r.dir, &["rev-parse", "v1.1.0^{commit}"]);
    let short = &sha[..10];
    let against = |rev: &str| {
        let (code, out, err) = protocheck(
            &r.dir,
            &[
                "proto",
                "-I",
                "third_party",
                "--against",
                rev,
                "--format",
                "short",
            ],
        );
        assert_eq!(code, 1, "{rev}: {err}");
        out.lines()
            .filter(|l| l.contains("FIELD_NO_DELETE"))
            .count()
    };
    for rev in [
        "git:v1.1.0".to_owned(),
        "git:HEAD~1".to_owned(),
        "git:main~1".to_owned(),
        format!("git:{sha}"),
        format!("git:{short}"),
    ] {
        assert_eq!(against(&rev), 1, "{rev}");
    }
    // OLD given positionally, with its path.
    let (code, out, _) = protocheck(
        &r.dir,
        &[
            "git:v1.1.0:proto",
            "proto",
            "-I",
            "third_party",
            "--format",
            "short",
        ],
    );
    assert_eq!(code, 1);
    assert!(
        out.contains("FIELD_NO_DELETE field 6 \"coupon_code\""),
        "{out}"
    );
    // `git:REF` alone takes NEW's path.
    let (code, out2, _) = protocheck(
        &r.dir,
        &[
            "git:v1.1.0",
            "proto",
            "-I",
            "third_party",
            "--format",
            "short",
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(out, out2);
}

#[test]
fn paths_are_read_as_git_reads_them_from_a_subdirectory() {
    let r = repo();
    let sub = r.dir.join("proto");
    let inc = r.dir.join("third_party");
    let inc = inc.to_str().unwrap();
    // `.` in proto/ is the repository's proto/.
    let (code, out, err) = protocheck(
        &sub,
        &[
            ".",
            "-I",
            inc,
            "--against",
            "git:v1.1.0",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 1, "{err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(rules(&doc), ["FILE_NO_DELETE", "FIELD_NO_DELETE"]);
    // `git:REF:./` is relative to the current directory, `git:REF:proto` to
    // the repository's root; both name the same tree.
    for spec in ["git:v1.1.0:./", "git:v1.1.0:proto"] {
        let (code, out2, err) = protocheck(&sub, &[spec, ".", "-I", inc, "--format", "json"]);
        assert_eq!(code, 1, "{spec}: {err}");
        assert_eq!(out, out2, "{spec}");
    }
}

#[test]
fn single_files_at_a_revision() {
    let r = repo();
    let (code, out, err) = protocheck(
        &r.dir,
        &[
            "git:v1.1.0:proto/shop/order.proto",
            "proto/shop/order.proto",
            "-I",
            "proto",
            "-I",
            "third_party",
            "--format",
            "short",
        ],
    );
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        out,
        "proto/shop/order.proto:7:9: FIELD_NO_DELETE field 6 \"coupon_code\" was deleted from message \"shop.Order\"\n"
    );
}

#[test]
fn several_against_values_report_each_pair() {
    let r = repo();
    let args = [
        "proto",
        "-I",
        "third_party",
        "--level",
        "wire",
        "--against",
        "git:v1.0.0",
        "--against",
        "git:v1.1.0",
    ];
    let (code, out, err) = protocheck(&r.dir, &[&args[..], &["--format", "json"]].concat());
    assert_eq!(code, 1, "{err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["breaking"], true);
    let pairs = doc["pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), 2);
    assert_eq!(pairs[0]["against"], "git:v1.0.0");
    assert_eq!(pairs[0]["breaking"], false);
    assert_eq!(pairs[1]["against"], "git:v1.1.0");
    assert_eq!(pairs[1]["breaking"], true);
    assert_eq!(rules(&pairs[1]), ["FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED"]);

    let (code, text, _) = protocheck(&r.dir, &args);
    assert_eq!(code, 1);
    assert!(text.contains("== against git:v1.0.0"), "{text}");
    assert!(text.contains("== against git:v1.1.0"), "{text}");
    assert!(
        text.ends_with("breaking changes against 1 of 2 versions\n"),
        "{text}"
    );

    let (_, short, _) = protocheck(&r.dir, &[&args[..], &["--format", "short"]].concat());
    assert!(short
        .lines()
        .all(|l| l.ends_with("(against git:v1.0.0)") || l.ends_with("(against git:v1.1.0)")));

    let (_, junit, _) = protocheck(&r.dir, &[&args[..], &["--format", "junit"]].concat());
    let xml = roxmltree::Document::parse(&junit).unwrap();
    let suites: Vec<&str> = xml
        .descendants()
        .filter(|n| n.has_tag_name("testsuite"))
        .map(|n| n.attribute("name").unwrap())
        .collect();
    assert_eq!(
        suites,
        [
            "protocheck against git:v1.0.0",
            "protocheck against git:v1.1.0"
        ]
    );

    let (_, md, _) = protocheck(&r.dir, &[&args[..], &["--format", "markdown"]].concat());
    assert!(
        md.starts_with("### ❌ protocheck: breaking changes against 1 of 2 versions"),
        "{md}"
    );

    // A file only at a revision is named by its repository path, with the
    // revision as a property.
    let (_, sarif, _) = protocheck(
        &r.dir,
        &[
            "proto",
            "-I",
            "third_party",
            "--against",
            "git:v1.0.0",
            "--against",
            "git:v1.1.0",
            "--format",
            "sarif",
        ],
    );
    let doc: Value = serde_json::from_str(&sarif).unwrap();
    assert_eq!(doc["runs"].as_array().unwrap().len(), 2);
    let physical = &doc["runs"][1]["results"][0]["locations"][0]["physicalLocation"];
    assert_eq!(
        physical["artifactLocation"]["uri"], "proto/shop/legacy.proto",
        "{physical}"
    );
    assert_eq!(physical["properties"]["revision"], "v1.1.0", "{physical}");
}

#[test]
fn unknown_revisions_paths_and_places_exit_2() {
    let r = repo();
    let (code, out, err) = protocheck(&r.dir, &["proto", "--against", "git:v9"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("unknown git revision \"v9\""), "{err}");
    assert!(err.contains("git tag"), "{err}");

    let (code, _, err) = protocheck(&r.dir, &["proto", "--against", "git:origin/main"]);
    assert_eq!(code, 2);
    assert!(err.contains("git fetch origin main"), "{err}");

    let (code, _, err) = protocheck(&r.dir, &["proto", "--against", "git:v1.0.0:protos"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("\"protos\" does not exist at git revision \"v1.0.0\""),
        "{err}"
    );

    let (code, _, err) = protocheck(&r.dir, &["proto", "--against", "git:v1.0.0:README.md"]);
    assert_eq!(code, 2);
    assert!(err.contains("is not a .proto file or a directory"), "{err}");

    let (code, _, err) = protocheck(&r.dir, &["proto", "--against", "git:"]);
    assert_eq!(code, 2);
    assert!(err.contains("name a branch, a tag or a commit"), "{err}");

    // Outside any repository.
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "p/a.proto", "syntax = \"proto3\";\n");
    let (code, _, err) = protocheck(outside.path(), &["p", "--against", "git:main"]);
    assert_eq!(code, 2);
    assert!(err.contains("is not in a git repository"), "{err}");

    // With --against, only NEW may be given.
    let (code, _, err) = protocheck(&r.dir, &["proto", "proto", "--against", "git:v1.0.0"]);
    assert_eq!(code, 2);
    assert!(err.contains("with --against, give only NEW"), "{err}");
}

#[test]
fn shallow_clones_work_once_the_revision_is_fetched() {
    let r = repo();
    git(&r.dir, &["commit", "-q", "-am", "note"]);
    let tmp = tempfile::tempdir().unwrap();
    let clone = tmp.path().join("clone");
    let url = format!("file://{}", r.dir.display());
    git(
        tmp.path(),
        &[
            "clone",
            "-q",
            "--depth",
            "1",
            "--no-tags",
            &url,
            clone.to_str().unwrap(),
        ],
    );
    let args = [
        "proto",
        "-I",
        "third_party",
        "--against",
        "git:v1.1.0",
        "--format",
        "short",
    ];
    let (code, _, err) = protocheck(&clone, &args);
    assert_eq!(code, 2);
    assert!(err.contains("(a shallow clone)"), "{err}");
    assert!(
        err.contains("git fetch --depth=1 origin tag v1.1.0"),
        "{err}"
    );
    assert!(err.contains("fetch-depth: 0"), "{err}");

    let (code, _, err) = protocheck(
        &clone,
        &["proto", "-I", "third_party", "--against", "git:HEAD~1"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("--deepen"), "{err}");

    git(
        &clone,
        &["fetch", "-q", "--depth=1", "origin", "tag", "v1.1.0"],
    );
    let (code, out, err) = protocheck(&clone, &args);
    assert_eq!(code, 1, "{err}");
    assert!(
        out.contains("FIELD_NO_DELETE field 6 \"coupon_code\""),
        "{out}"
    );
    assert_eq!(
        git(&clone, &["rev-parse", "--is-shallow-repository"]),
        "true"
    );
}

#[test]
fn new_defaults_to_the_current_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    git(dir, &["init", "-q", "-b", "main"]);
    write(
        dir,
        "a.proto",
        "syntax = \"proto3\";\nmessage A {\n  int32 x = 1;\n}\n",
    );
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "one"]);
    let (code, out, _) = protocheck(dir, &["--against", "git:HEAD"]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "no breaking changes at level file (1 file old, 1 file new)\n"
    );
    write(
        dir,
        "a.proto",
        "syntax = \"proto3\";\nmessage A {\n  int64 x = 1;\n}\n",
    );
    let (code, out, _) = protocheck(dir, &["--against", "git:HEAD", "--format", "short"]);
    assert_eq!(code, 1);
    assert!(out.starts_with("a.proto:3:3: FIELD_SAME_TYPE"), "{out}");
}

#[test]
fn two_revisions_compare_with_each_other() {
    let r = repo();
    // v1.0.0 → v1.1.0: the vendored type was renamed (file level: a type
    // change; wire level: wire-identical, accepted) and a field was added.
    let (code, out, err) = protocheck(
        &r.dir,
        &[
            "git:v1.0.0:proto",
            "git:v1.1.0:proto",
            "-I",
            "third_party",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 1, "{err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    // The imported vendor file is compared too, as buf does: `Tag` is gone.
    assert_eq!(rules(&doc), ["FIELD_SAME_TYPE", "MESSAGE_NO_DELETE"]);
    assert_eq!(doc["findings"][0]["path"], "proto/shop/order.proto");
    assert_eq!(doc["findings"][0]["revision"], "v1.1.0");
    assert_eq!(doc["findings"][0]["old_path"], "proto/shop/order.proto");
    assert_eq!(doc["findings"][0]["old_revision"], "v1.0.0");
    let (code, _, err) = protocheck(
        &r.dir,
        &[
            "git:v1.1.0:proto",
            "--against",
            "git:v1.0.0",
            "-I",
            "third_party",
            "--level",
            "wire",
        ],
    );
    assert_eq!(code, 0, "{err}");
}

#[test]
fn editions_files_at_a_revision_compile_with_protoc() {
    // protox cannot parse editions: the revision's files are written out for
    // protoc, and findings and errors still name them as REV:path. Needs an
    // editions-capable protoc: PROTOC, PATH, else the bundled one.
    assert!(
        protocheck::input::protoc::locate(None).is_some(),
        "no protoc: this build has no bundled protoc and none is in PROTOC or on PATH"
    );
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    git(dir, &["init", "-q", "-b", "main"]);
    let enum_ = |extra: &str| {
        format!(
            "edition = \"2023\";\npackage paint;\n\nenum Color {{\n{extra}  COLOR_UNSPECIFIED = 0;\n  COLOR_RED = 1;\n}}\n\nmessage Palette {{\n  Color color = 1;\n}}\n"
        )
    };
    write(dir, "proto/paint/color.proto", &enum_(""));
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-qm", "open"]);
    write(
        dir,
        "proto/paint/color.proto",
        &enum_("  option features.enum_type = CLOSED;\n"),
    );
    let tree = |dir: &Path| {
        (
            git(dir, &["status", "--porcelain=v1", "-uall"]),
            std::fs::read(dir.join(".git/index")).unwrap(),
        )
    };
    let (code, out, err) = protocheck(dir, &["--against", "git:main", "proto", "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(rules(&doc), ["ENUM_SAME_TYPE"]);
    let f = &doc["findings"][0];
    assert_eq!(f["path"], "proto/paint/color.proto", "{f}");
    assert_eq!(f["old_path"], "proto/paint/color.proto", "{f}");
    assert_eq!(f["old_revision"], "main", "{f}");
    assert_eq!(f["old_line"], 4, "{f}");
    // The round trip works on it too: binary readers keep the number the
    // closed enum lacks as an unknown field, JSON readers reject it (as
    // Google's runtime does), which is a loss.
    let (code, out, err) = protocheck(dir, &["roundtrip", "git:main:proto", "proto"]);
    assert_eq!(code, 1, "{err}");
    assert!(out.contains("unknown-preserved"), "{out}");
    assert!(out.contains("JSON decode-error"), "{out}");
    // A compile error at the revision names the file there.
    write(
        dir,
        "proto/paint/bad.proto",
        "edition = \"2023\";\nmessage X { int32 a = 1 }\n",
    );
    git(dir, &["add", "proto/paint/bad.proto"]);
    git(dir, &["commit", "-qm", "bad"]);
    std::fs::remove_file(dir.join("proto/paint/bad.proto")).unwrap();
    let before = tree(dir);
    let (code, _, err) = protocheck(dir, &["--against", "git:main", "proto", "--color", "never"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("main:proto/paint/bad.proto:2:"), "{err}");
    assert!(!err.contains("/tmp"), "{err}");
    // Neither the work tree nor the index was touched.
    assert_eq!(tree(dir), before, "the work tree was touched");
}

/// Names resolve as protoc resolves them at a revision too: `c.proto` sees
/// package `x.config.core` (imported), not `x.extensions.config.core`.
#[test]
fn names_at_a_revision_resolve_as_protoc_does() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    git(dir, &["init", "-q", "-b", "main"]);
    write(
        dir,
        "proto/a.proto",
        "syntax = \"proto3\";\npackage x.extensions.config.core;\nmessage Other {}\n",
    );
    write(
        dir,
        "proto/b.proto",
        "syntax = \"proto3\";\npackage x.config.core;\nmessage DataSource {}\n",
    );
    let c = |field: &str| {
        format!(
            "syntax = \"proto3\";\npackage x.extensions.tls;\nimport \"b.proto\";\n\
             message M {{\n  {field}\n}}\n"
        )
    };
    write(dir, "proto/c.proto", &c("config.core.DataSource d = 1;"));
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "one"]);
    let (code, out, err) = protocheck(dir, &["proto", "--against", "git:main", "--no-config"]);
    assert_eq!(code, 0, "{out}{err}");
    write(dir, "proto/c.proto", &c("string d = 1;"));
    let (code, out, err) = protocheck(
        dir,
        &[
            "proto",
            "--against",
            "git:main",
            "--no-config",
            "--format",
            "short",
        ],
    );
    assert_eq!(code, 1, "{err}");
    assert!(out.contains("x.config.core.DataSource"), "{out}");
}
