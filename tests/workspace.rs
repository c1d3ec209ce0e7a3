//! buf workspaces through the binary: `tests/data/buf_workspace/{old,new}`
//! is committed to a git repository built here, the working tree then holds
//! `new`, and `protocheck --against git:main` from the root and from a
//! subdirectory (and with two directories) must give buf 1.75's findings,
//! which `buf-findings.jsonl` holds (see tests/data/README.md).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;
use serde_json::Value;

const DATA: &str = "tests/data/buf_workspace";

fn isolate(c: &mut Process) {
    for k in ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "NO_COLOR"] {
        c.env_remove(k);
    }
    c.env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com");
}

fn git(dir: &Path, args: &[&str]) {
    let mut c = Process::new("git");
    isolate(&mut c);
    let out = c.arg("-C").arg(dir).args(args).output().unwrap();
    assert!(out.status.success(), "git {args:?}: {out:?}");
}

fn copy(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

fn dep() -> PathBuf {
    std::fs::canonicalize(Path::new(DATA).join("dep")).unwrap()
}

/// A repository whose `main` holds `old` and whose working tree holds `new`.
fn repo() -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    copy(&Path::new(DATA).join("old"), d);
    git(d, &["init", "-q", "-b", "main"]);
    git(d, &["add", "-A"]);
    git(d, &["commit", "-q", "-m", "old"]);
    for top in ["proto", "vendor", "buf.yaml"] {
        let p = d.join(top);
        if p.is_dir() {
            std::fs::remove_dir_all(p).unwrap();
        } else {
            std::fs::remove_file(p).unwrap();
        }
    }
    copy(&Path::new(DATA).join("new"), d);
    t
}

fn protocheck(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let mut c = Command::cargo_bin("protocheck").unwrap();
    for k in ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "NO_COLOR"] {
        c.env_remove(k);
    }
    // No dep is ever found in the user's own buf cache.
    c.env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("BUF_CACHE_DIR", dir.join("no-buf-cache"));
    let out = c.current_dir(dir).args(args).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// buf's findings as (rule, path, line); no path for a deleted file.
fn buf_findings(name: &str) -> BTreeSet<(String, String, u64)> {
    std::fs::read_to_string(Path::new(DATA).join(name))
        .unwrap()
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            let path = v["path"].as_str().unwrap_or_default().to_owned();
            let line = if path.is_empty() {
                0
            } else {
                v["start_line"].as_u64().unwrap()
            };
            (v["type"].as_str().unwrap().to_owned(), path, line)
        })
        .collect()
}

/// protocheck's JSON findings the same way, paths made relative to `base`.
fn findings(json: &str, strip: &str) -> BTreeSet<(String, String, u64)> {
    let v: Value = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"));
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let rule = f["rule"].as_str().unwrap().to_owned();
            match f["line"].as_u64() {
                None => (rule, String::new(), 0),
                Some(line) => {
                    let p = f["path"].as_str().unwrap();
                    (rule, p.strip_prefix(strip).unwrap_or(p).to_owned(), line)
                }
            }
        })
        .collect()
}

#[test]
fn a_v2_workspace_against_git_main_gives_bufs_findings_from_the_root_and_a_subdirectory() {
    let t = repo();
    let d = t.path();
    let dep = dep();
    let dep = dep.to_str().unwrap();
    let expected = buf_findings("buf-findings.jsonl");
    let (code, out, err) = protocheck(d, &["--against", "git:main", "-I", dep, "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(findings(&out, ""), expected, "{err}");
    // The deleted file is named by its repository path, with the revision.
    let v: Value = serde_json::from_str(&out).unwrap();
    let deleted = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"] == "acme/orders/v1/archive.proto")
        .unwrap();
    assert_eq!(deleted["path"], "proto/acme/orders/v1/archive.proto");
    assert_eq!(deleted["revision"], "main");
    assert!(!err.contains("warning"), "{err}");

    // From a subdirectory the whole workspace is checked (buf refuses to
    // build a directory inside a module; protocheck finds the workspace).
    let sub = d.join("proto/acme");
    let (code, out, err) = protocheck(
        &sub,
        &["--against", "git:main", "-I", dep, "--format", "json"],
    );
    assert_eq!(code, 1, "{err}");
    assert_eq!(findings(&out, "../../"), expected, "{err}");

    // Two directories: each holds its buf.yaml.
    let (code, out, err) = protocheck(
        Path::new("."),
        &[
            &format!("{DATA}/old"),
            &format!("{DATA}/new"),
            "-I",
            dep,
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 1, "{err}");
    assert_eq!(findings(&out, &format!("{DATA}/new/")), expected, "{err}");

    // --exclude-imports, as buf spells it: files only imported by a module
    // (the well-known type no longer imported, another module's files) are
    // left out, as buf leaves them out.
    let (code, out, err) = protocheck(
        d,
        &[
            "--against",
            "git:main",
            "-I",
            dep,
            "--format",
            "json",
            "--exclude-imports",
        ],
    );
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        findings(&out, ""),
        buf_findings("buf-findings-exclude-imports.jsonl"),
        "{err}"
    );
}

#[test]
fn a_dep_neither_cached_nor_given_is_exit_2_naming_it_and_both_ways_out() {
    let t = repo();
    let (code, out, err) = protocheck(t.path(), &["--against", "git:main"]);
    assert_eq!(code, 2, "{out}");
    assert!(err.contains("dep \"buf.build/acme/common\""), "{err}");
    assert!(err.contains("buf.yaml:13:5"), "{err}");
    assert!(err.contains("buf dep update"), "{err}");
    assert!(err.contains("-I DIR"), "{err}");
}

#[test]
fn a_dep_is_read_from_bufs_module_cache_at_the_commit_buf_lock_pins() {
    let t = repo();
    let d = t.path();
    let commit = "0123456789abcdef0123456789abcdef";
    std::fs::write(
        d.join("buf.lock"),
        format!(
            "# Generated by buf. DO NOT EDIT.\nversion: v2\ndeps:\n  - name: buf.build/acme/common\n    commit: {commit}\n    digest: b5:00\n"
        ),
    )
    .unwrap();
    let cached = d
        .join("no-buf-cache/v3/modules/b5/buf.build/acme/common")
        .join(commit);
    copy(&dep(), &cached.join("files"));
    std::fs::write(cached.join("info.json"), "{}").unwrap();
    let (code, out, err) = protocheck(d, &["--against", "git:main", "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        findings(&out, ""),
        buf_findings("buf-findings.jsonl"),
        "{err}"
    );
}

fn write_yaml(d: &Path, text: &str) {
    std::fs::write(d.join("buf.yaml"), text).unwrap();
}

#[test]
fn buf_yaml_keys_are_all_handled() {
    let t = repo();
    let d = t.path();
    let dep = dep();
    let dep = dep.to_str().unwrap();
    let base = std::fs::read_to_string(d.join("buf.yaml")).unwrap();

    // An unknown key: exit 2 with did-you-mean, pointing into the file.
    write_yaml(d, &base.replace("  ignore_only:", "  ignore_onyl:"));
    let (code, _, err) = protocheck(d, &["--against", "git:main", "-I", dep]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("unknown key \"ignore_onyl\""), "{err}");
    assert!(err.contains("buf.yaml:19:3"), "{err}");
    assert!(err.contains("did you mean \"ignore_only\"?"), "{err}");

    // plugins and policies are not supported: exit 2 with the place.
    for key in ["plugins", "policies"] {
        write_yaml(d, &format!("{base}{key}:\n  - plugin: x\n"));
        let (code, _, err) = protocheck(d, &["--against", "git:main", "-I", dep]);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains(&format!("\"{key}\" in ")), "{err}");
        assert!(err.contains("buf.yaml:22:1"), "{err}");
        assert!(err.contains("not supported"), "{err}");
    }

    // disable_builtin: no built-in rule runs in the modules it covers; the
    // module with a section of its own still runs its rules, on its files
    // and on the files it imports (buf 1.75 reports the same nine findings:
    // all but the deleted archive.proto, which only the first module sees).
    write_yaml(
        d,
        &base.replace(
            "  use:\n    - FILE\n  ignore:",
            "  use:\n    - FILE\n  disable_builtin: true\n  ignore:",
        ),
    );
    let (code, out, err) = protocheck(d, &["--against", "git:main", "-I", dep, "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("disable_builtin"), "{err}");
    assert_eq!(
        findings(&out, ""),
        buf_findings("buf-findings.jsonl"),
        "{err}"
    );
    let v: Value = serde_json::from_str(&out).unwrap();
    let files: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(files.len(), 9, "{files:?}");
    assert!(
        !files.contains(&"acme/orders/v1/archive.proto"),
        "{files:?}"
    );

    // An ignore path that matches no file is a warning.
    write_yaml(
        d,
        &base.replace("    - proto/acme/legacy", "    - proto/acme/legacyy"),
    );
    let (_, _, err) = protocheck(d, &["--against", "git:main", "-I", dep]);
    assert!(
        err.contains("warning: ignore path \"acme/legacyy\""),
        "{err}"
    );
    assert!(err.contains("matches no file"), "{err}");
    write_yaml(
        d,
        &base.replace("    - proto/acme/legacy", "    - protos/acme/legacy"),
    );
    let (_, _, err) = protocheck(d, &["--against", "git:main", "-I", dep]);
    assert!(
        err.contains("warning: ignore path \"protos/acme/legacy\" (buf.yaml) is in no module"),
        "{err}"
    );

    // A module-level ignore path outside the module: buf refuses it too.
    write_yaml(
        d,
        &base.replace(
            "        - vendor/partner/partner/beta",
            "        - partner/beta",
        ),
    );
    let (code, _, err) = protocheck(d, &["--against", "git:main", "-I", dep]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("is not in the module \"vendor/partner\""),
        "{err}"
    );
}

#[test]
fn buf_work_yaml_and_v1beta1_roots_name_files_by_import_path() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    let file = |p: &str, body: &str| {
        let p = d.join(p);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, body).unwrap();
    };
    for side in ["old", "new"] {
        let ty = if side == "old" { "int32" } else { "int64" };
        file(
            &format!("{side}/buf.work.yaml"),
            "version: v1\ndirectories:\n  - a\n  - b\n",
        );
        file(
            &format!("{side}/a/buf.yaml"),
            "version: v1\nbreaking:\n  use: [FILE]\n  ignore: [x/skip]\n",
        );
        file(
            &format!("{side}/a/x/v1/a.proto"),
            &format!("syntax = \"proto3\";\npackage x.v1;\nmessage A {{ {ty} n = 1; }}\n"),
        );
        file(
            &format!("{side}/a/x/skip/s.proto"),
            &format!("syntax = \"proto3\";\npackage x.skip;\nmessage S {{ {ty} n = 1; }}\n"),
        );
        file(
            &format!("{side}/b/y/b.proto"),
            &format!("syntax = \"proto3\";\npackage y;\nimport \"x/v1/a.proto\";\nmessage B {{ x.v1.A a = 1; {ty} m = 2; }}\n"),
        );
    }
    let (code, out, err) = protocheck(d, &["old", "new", "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    let got = findings(&out, "new/");
    let want: BTreeSet<(String, String, u64)> = [
        ("FIELD_SAME_TYPE", "a/x/v1/a.proto", 3),
        ("FIELD_SAME_TYPE", "b/y/b.proto", 4),
    ]
    .iter()
    .map(|(r, p, l)| (r.to_string(), p.to_string(), *l))
    .collect();
    assert_eq!(got, want, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let files: BTreeSet<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, BTreeSet::from(["x/v1/a.proto", "y/b.proto"]));

    // v1beta1: build.roots and build.excludes.
    for side in ["old", "new"] {
        std::fs::remove_file(d.join(format!("{side}/buf.work.yaml"))).unwrap();
        std::fs::remove_file(d.join(format!("{side}/a/buf.yaml"))).unwrap();
        file(
            &format!("{side}/buf.yaml"),
            "version: v1beta1\nbuild:\n  roots: [a, b]\n  excludes: [a/x/skip]\n",
        );
    }
    let (code, out, err) = protocheck(d, &["old", "new", "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(findings(&out, "new/"), want, "{err}");
}

#[test]
fn an_import_the_old_side_cannot_find_names_the_missing_root_not_the_schema() {
    let t = repo();
    let d = t.path();
    let empty = d.join("empty");
    std::fs::create_dir(&empty).unwrap();
    let (code, _, err) = protocheck(d, &["--against", "git:main", "-I", "empty"]);
    assert_eq!(code, 2, "{err}");
    assert!(!err.contains("does not compile"), "{err}");
    assert!(
        err.contains(
            "imports \"acme/common/v1/money.proto\", which is under none of the import roots read at git revision \"main\" (\"proto\", \"vendor/partner\", -I \"empty\")"
        ),
        "{err}"
    );
    assert!(err.contains("pass its files with -I DIR"), "{err}");
}

/// `protocheck snapshot` and `protocheck roundtrip` read a workspace as the
/// check does: module roots, files by import path, deps.
#[test]
fn snapshot_and_roundtrip_read_a_workspace_as_the_check_does() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    copy(Path::new(DATA), d);
    let dep = d.join("dep");
    let (dep, snap) = (dep.to_str().unwrap(), d.join("old.pb"));

    let (code, out, err) = protocheck(
        d,
        &["snapshot", "old", "-I", dep, "-o", snap.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{out}{err}");
    let set = protocheck::input::snapshot::decode(&std::fs::read(&snap).unwrap()).unwrap();
    let mut targets: Vec<&str> = set.targets.iter().map(String::as_str).collect();
    targets.sort_unstable();
    assert_eq!(
        targets,
        [
            "acme/billing/v1/invoice.proto",
            "acme/legacy/old_api.proto",
            "acme/orders/v1/archive.proto",
            "acme/orders/v1/order.proto",
            "partner/beta/preview.proto",
            "partner/v1/feed.proto",
        ],
        "files by import path, the module's excludes left out"
    );
    assert!(set
        .files
        .iter()
        .any(|f| f.name() == "acme/common/v1/money.proto"));

    // The snapshot is the old side of a check of the workspace.
    let (code, out, err) = protocheck(
        d,
        &["--against", "old.pb", "new", "-I", dep, "--format", "json"],
    );
    assert_eq!(code, 1, "{err}");
    assert!(
        findings(&out, "new/").contains(&(
            "FIELD_SAME_TYPE".to_owned(),
            "proto/acme/orders/v1/order.proto".to_owned(),
            12
        )),
        "{out}"
    );

    // Without the dep: exit 2 naming it, for both commands.
    let (code, _, err) = protocheck(d, &["snapshot", "new", "-o", "new.pb"]);
    assert_eq!(code, 2);
    assert!(err.contains("dep \"buf.build/acme/common\""), "{err}");
    let (code, _, err) = protocheck(d, &["roundtrip", "old", "new"]);
    assert_eq!(code, 2);
    assert!(err.contains("dep \"buf.build/acme/common\""), "{err}");

    let (code, out, err) = protocheck(
        d,
        &["roundtrip", "old", "new", "-I", dep, "--format", "json"],
    );
    assert_eq!(code, 1, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let names: Vec<&str> = v["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["message"].as_str().unwrap())
        .collect();
    for m in ["acme.orders.v1.Order", "acme.billing.v1.Invoice"] {
        assert!(names.contains(&m), "{names:?}");
    }
    // The old side from its own snapshot works the same.
    let (code, _, err) = protocheck(d, &["roundtrip", "old.pb", "new", "-I", dep]);
    assert_eq!(code, 1, "{err}");
}

/// As buf does, a dep that is neither cached nor given is needed only for
/// its files: when every import resolves without it, a note, not an error.
#[test]
fn a_dep_no_file_imports_is_a_note_not_an_error() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    for side in ["old", "new"] {
        let dir = d.join(side);
        std::fs::create_dir_all(&dir).unwrap();
        write_yaml(&dir, "version: v2\ndeps:\n  - buf.build/acme/unused\n");
        std::fs::write(
            dir.join("m.proto"),
            "syntax = \"proto3\";\npackage m;\nmessage M { int32 a = 1; }\n",
        )
        .unwrap();
    }
    for args in [
        &["--against", "old", "new"][..],
        &["snapshot", "new", "-o", "new.pb"],
        &["roundtrip", "old", "new"],
    ] {
        let (code, out, err) = protocheck(d, args);
        assert_eq!(code, 0, "{args:?}: {out}{err}");
        assert!(
            err.contains("note: dep \"buf.build/acme/unused\"")
                && err.contains("every import resolved without it"),
            "{args:?}: {err}"
        );
    }
}
