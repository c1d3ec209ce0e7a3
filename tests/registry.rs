//! Schema Registry mode (`--compat`) and buf's CSR category.
//!
//! Every `fixtures/registry_<case>/<new>.registry` says, written by hand from
//! what the registry's checker does, which differences its diff raises in
//! each direction (compared as multisets), which notes protocheck adds under
//! FULL, and buf's verdict with the CSR category. The verdict of every mode is
//! derived from those lists and checked too; every tree compared with itself
//! gives nothing.

mod common;
use common::{protocheck, run};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use protocheck::registry::{self, Direction, Mode};
use protocheck::{Input, Level, Options, Schema, Severity, Side};
use serde_json::Value;

fn compile(old: &Path, new: &Path) -> (Schema, Schema) {
    let o = Input::from_path(Side::Old, old).unwrap();
    let n = Input::from_path(Side::New, new).unwrap();
    protocheck::compile_pair(&o, &n, &[])
        .unwrap_or_else(|e| panic!("{} vs {}: {e}", old.display(), new.display()))
}

fn registry_cases() -> Vec<PathBuf> {
    common::cases()
        .into_iter()
        .filter(|c| {
            c.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("registry_")
        })
        .collect()
}

/// The sections of a `.registry` file: name → lines (comments dropped).
fn expectation(file: &Path) -> BTreeMap<String, Vec<String>> {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut section = String::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        if let Some(rest) = line.strip_prefix('[') {
            let (name, tail) = rest.split_once(']').unwrap();
            section = name.to_owned();
            let entry = out.entry(section.clone()).or_default();
            if !tail.trim().is_empty() {
                entry.push(tail.trim().to_owned());
            }
        } else {
            out.entry(section.clone())
                .or_default()
                .push(line.trim().to_owned());
        }
    }
    out
}

fn differences(o: &Schema, n: &Schema, d: Direction) -> Vec<String> {
    let mut v: Vec<String> = registry::differences(o, n, d)
        .into_iter()
        .map(|(file, x)| {
            let mark = if x.kind.is_compatible() { "" } else { "! " };
            format!("{mark}{} {file} {}", x.kind.name(), x.path)
        })
        .collect();
    v.sort();
    v
}

fn notes(o: &Schema, n: &Schema) -> Vec<String> {
    let mut v: Vec<String> = registry::check(o, n, Mode::Full, None)
        .findings
        .into_iter()
        .filter(|f| f.severity == Severity::Info)
        .map(|f| {
            format!(
                "{} {} {}",
                f.rule,
                f.location.file,
                f.registry.as_ref().unwrap().path
            )
        })
        .collect();
    v.sort();
    v
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn difference_lists_equal_the_registrys_per_direction() {
    let mut failures = String::new();
    let mut compared = 0;
    for case in registry_cases() {
        let old = case.join("old");
        for new in common::new_trees(&case) {
            let file = case.join(format!(
                "{}.registry",
                new.file_name().unwrap().to_string_lossy()
            ));
            let want = expectation(&file);
            let (o, n) = compile(&old, &new);
            for (section, got) in [
                ("backward", differences(&o, &n, Direction::Backward)),
                ("forward", differences(&o, &n, Direction::Forward)),
                ("notes", notes(&o, &n)),
            ] {
                let want = sorted(want.get(section).cloned().unwrap_or_default());
                if got != want {
                    failures.push_str(&format!(
                        "{} [{section}]\n  want: {want:#?}\n  got:  {got:#?}\n",
                        file.display()
                    ));
                }
            }
            compared += 1;
        }
    }
    assert!(compared >= 25, "only {compared} registry fixtures");
    assert!(failures.is_empty(), "{failures}");
}

#[test]
fn every_difference_type_is_covered_in_both_directions() {
    let mut seen = std::collections::BTreeSet::new();
    for case in registry_cases() {
        for new in common::new_trees(&case) {
            let want = expectation(&case.join(format!(
                "{}.registry",
                new.file_name().unwrap().to_string_lossy()
            )));
            for section in ["backward", "forward"] {
                for line in want.get(section).into_iter().flatten() {
                    let ty = line.trim_start_matches("! ").split(' ').next().unwrap();
                    seen.insert((section, ty.to_owned()));
                }
            }
        }
    }
    for t in registry::DiffType::ALL {
        for section in ["backward", "forward"] {
            assert!(
                seen.contains(&(section, t.name().to_owned())),
                "no fixture raises {} in the {section} diff",
                t.name()
            );
        }
    }
}

#[test]
fn verdict_of_every_mode_follows_from_the_differences() {
    for case in registry_cases() {
        let old = case.join("old");
        for new in common::new_trees(&case) {
            let want = expectation(&case.join(format!(
                "{}.registry",
                new.file_name().unwrap().to_string_lossy()
            )));
            let refuses = |s: &str| {
                want.get(s)
                    .into_iter()
                    .flatten()
                    .any(|l| l.starts_with('!'))
            };
            let (o, n) = compile(&old, &new);
            for (mode, expect) in [
                (Mode::Backward, refuses("backward")),
                (Mode::Forward, refuses("forward")),
                (Mode::Full, refuses("backward") || refuses("forward")),
                (Mode::None, false),
            ] {
                let out = registry::check(&o, &n, mode, None);
                let errors = out
                    .findings
                    .iter()
                    .filter(|f| f.severity == Severity::Error)
                    .count();
                assert_eq!(errors > 0, expect, "{} under {mode}", new.display());
                // Each error is one of the registry's refusals, with its string.
                for f in out.findings.iter().filter(|f| f.is_error()) {
                    let r = f.registry.as_ref().unwrap();
                    assert_eq!(r.kind, Some(f.rule));
                    let msg = r.message.as_deref().unwrap();
                    assert!(msg.contains(&format!("'{}'", r.path)), "{msg}");
                    assert!(f.help.as_deref().unwrap().contains("errorType"));
                }
            }
        }
    }
}

#[test]
fn every_tree_against_itself_has_no_difference_and_no_note() {
    for case in registry_cases() {
        let mut trees = common::new_trees(&case);
        trees.push(case.join("old"));
        for tree in trees {
            let (o, n) = compile(&tree, &tree);
            for d in [Direction::Backward, Direction::Forward] {
                assert_eq!(
                    differences(&o, &n, d),
                    Vec::<String>::new(),
                    "{}",
                    tree.display()
                );
            }
            for mode in Mode::ALL {
                let out = registry::check(&o, &n, mode, None);
                assert!(out.findings.is_empty(), "{} under {mode}", tree.display());
            }
        }
    }
}

#[test]
fn csr_level_gives_bufs_verdict() {
    for case in registry_cases() {
        let old = case.join("old");
        for new in common::new_trees(&case) {
            let want = expectation(&case.join(format!(
                "{}.registry",
                new.file_name().unwrap().to_string_lossy()
            )));
            let expect = want["csr"][0] == "breaks";
            let options = Options {
                level: Some(Level::Csr),
                ..Options::default()
            };
            let report = protocheck::check_paths(&old, &new, &options).unwrap();
            assert_eq!(
                report.is_breaking(),
                expect,
                "{} at level csr: {:#?}",
                new.display(),
                report.findings.iter().map(|f| f.rule).collect::<Vec<_>>()
            );
            for f in &report.findings {
                assert!(protocheck::rules::CSR.contains(&f.rule), "{}", f.rule);
            }
        }
    }
}

#[test]
fn csr_is_bufs_32_rules() {
    assert_eq!(protocheck::rules::CSR.len(), 32);
    for id in protocheck::rules::CSR {
        assert!(protocheck::rules::by_id(id).is_some(), "{id}");
    }
    assert_eq!(protocheck::rules::for_level(Level::Csr).len(), 32);
    assert_eq!("CSR".parse::<Level>(), Ok(Level::Csr));
}

const T: &str = "fixtures/registry_transitive";

#[test]
fn transitive_story_delete_then_reuse() {
    let (v1, v2, v3) = (
        format!("{T}/old"),
        format!("{T}/new_v2"),
        format!("{T}/new_v3"),
    );
    // v3 against the latest (v2): the number is free there.
    let (code, out, err) = run(&["--compat", "backward", &v3, "--against", &v2]);
    assert_eq!(code, 0, "{out}{err}");
    // Against every version: v1 still has `int32 b = 2`.
    let (code, out, err) = run(&[
        "--compat",
        "backward-transitive",
        &v3,
        "--against",
        &v1,
        "--against",
        &v2,
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    let pairs = doc["pairs"].as_array().unwrap();
    // Newest first.
    assert_eq!(pairs[0]["against"], v2.as_str());
    assert_eq!(pairs[0]["breaking"], false);
    assert_eq!(pairs[1]["against"], v1.as_str());
    assert_eq!(pairs[1]["breaking"], true);
    let errors: Vec<&Value> = pairs[1]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .collect();
    assert_eq!(errors.len(), 1);
    let r = &errors[0]["registry"];
    assert_eq!(r["type"], "FIELD_SCALAR_KIND_CHANGED");
    assert_eq!(r["path"], "#/Metric/2");
    assert_eq!(r["version"], v1.as_str());
    assert_eq!(
        r["message"],
        "The kind of a SCALAR field at path '#/Metric/2' in the new schema does not match its kind in the old schema"
    );
    assert_eq!(errors[0]["line"], 7);
    assert_eq!(errors[0]["old_line"], 7);
    // FORWARD_TRANSITIVE: the same story the other way round.
    let (code, _, _) = run(&[
        "--compat",
        "forward-transitive",
        &v3,
        "--against",
        &v1,
        "--against",
        &v2,
    ]);
    assert_eq!(code, 1);
    let (code, _, _) = run(&["--compat", "forward", &v3, "--against", &v2]);
    assert_eq!(code, 0);
    // The text names the mode and each version.
    let (code, out, _) = run(&[
        "--compat",
        "BACKWARD_TRANSITIVE",
        &v3,
        "--against",
        &v1,
        "--against",
        &v2,
        "--color",
        "never",
    ]);
    assert_eq!(code, 1);
    let at_v2 = out.find(&format!("== against {v2}")).unwrap();
    let at_v1 = out.find(&format!("== against {v1}")).unwrap();
    assert!(at_v2 < at_v1, "newest first:\n{out}");
    assert!(
        out.contains("Schema Registry mode BACKWARD_TRANSITIVE against"),
        "{out}"
    );
    assert!(
        out.contains("breaking changes against 1 of 2 versions"),
        "{out}"
    );
}

#[test]
fn non_transitive_modes_take_one_version() {
    let (code, _, err) = run(&[
        "--compat",
        "full",
        &format!("{T}/new_v3"),
        "--against",
        &format!("{T}/old"),
        "--against",
        &format!("{T}/new_v2"),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("full-transitive"), "{err}");
}

#[test]
fn compat_and_level_together_is_an_error() {
    let (code, _, err) = run(&[
        "--compat",
        "backward",
        "--level",
        "wire",
        &format!("{T}/old"),
        &format!("{T}/new_v3"),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("--level"), "{err}");
}

#[test]
fn unknown_mode_is_an_error() {
    let (code, _, err) = run(&["--compat", "backwards", "a", "b"]);
    assert_eq!(code, 2);
    assert!(err.contains("backward-transitive"), "{err}");
}

#[test]
fn none_reports_but_exits_zero() {
    let (code, out, _) = run(&[
        "--compat",
        "none",
        &format!("{T}/old"),
        &format!("{T}/new_v3"),
        "--format",
        "short",
    ]);
    assert_eq!(code, 0);
    assert!(out.contains("FIELD_SCALAR_KIND_CHANGED (info)"), "{out}");
}

#[test]
fn forward_refuses_a_new_message_with_a_note() {
    let case = "fixtures/registry_message_added";
    let old = format!("{case}/old");
    let new = format!("{case}/new");
    let (code, _, _) = run(&["--compat", "backward", &old, &new]);
    assert_eq!(code, 0);
    let (code, out, _) = run(&["--compat", "forward", &old, &new, "--format", "json"]);
    assert_eq!(code, 1);
    let doc: Value = serde_json::from_str(&out).unwrap();
    let rules: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["MESSAGE_REMOVED", "REGISTRY_REFUSES_SAFE"]);
    let f = &doc["findings"][0];
    assert_eq!(f["affects"][0], "old-readers-of-new-data");
    assert!(f["registry"].get("version").is_none());
    assert!(f["help"].as_str().unwrap().contains("file of its own"));
}

#[test]
fn compat_from_protocheck_toml_and_level_overrides_it() {
    let dir = tempfile::tempdir().unwrap();
    let case = Path::new("fixtures/registry_message_added");
    for tree in ["old", "new"] {
        let to = dir.path().join(tree).join("shop");
        std::fs::create_dir_all(&to).unwrap();
        std::fs::copy(
            case.join(tree).join("shop/cart.proto"),
            to.join("cart.proto"),
        )
        .unwrap();
    }
    std::fs::write(dir.path().join("protocheck.toml"), "compat = \"Forward\"\n").unwrap();
    let old = dir.path().join("old");
    let new = dir.path().join("new");
    let args = [old.to_str().unwrap(), new.to_str().unwrap()];
    let (code, out, err) = run(&args);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("Schema Registry mode FORWARD"), "{out}");
    // --level asks for buf's rules instead: adding a message is fine there.
    let (code, _, _) = run(&[args[0], args[1], "--level", "file"]);
    assert_eq!(code, 0);
    std::fs::write(
        dir.path().join("protocheck.toml"),
        "compat = \"sideways\"\n",
    )
    .unwrap();
    let (code, _, err) = run(&args);
    assert_eq!(code, 2);
    assert!(err.contains("sideways"), "{err}");
}

#[test]
fn csr_in_buf_yaml_v2() {
    let dir = tempfile::tempdir().unwrap();
    let case = Path::new("fixtures/registry_fields");
    for tree in ["old", "new"] {
        let to = dir.path().join(tree).join("shop");
        std::fs::create_dir_all(&to).unwrap();
        std::fs::copy(
            case.join(tree).join("shop/order.proto"),
            to.join("order.proto"),
        )
        .unwrap();
    }
    let yaml = dir.path().join("buf.yaml");
    std::fs::write(&yaml, "version: v2\nbreaking:\n  use: [CSR]\n").unwrap();
    let old = dir.path().join("old");
    let new = dir.path().join("new");
    let base = [
        old.to_str().unwrap(),
        new.to_str().unwrap(),
        "--config",
        yaml.to_str().unwrap(),
        "--format",
        "json",
    ];
    let (code, out, err) = run(&base);
    assert_eq!(code, 1, "{out}{err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    let mut rules: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    rules.sort();
    rules.dedup();
    assert_eq!(
        rules,
        [
            "FIELD_NO_DELETE",
            "FIELD_NO_DELETE_UNLESS_NAME_RESERVED",
            "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED",
            "FIELD_SAME_JSON_NAME",
            "FIELD_SAME_NAME"
        ]
    );
    // `except: [CSR]` on top of FILE leaves FILE's other rules.
    std::fs::write(
        &yaml,
        "version: v2\nbreaking:\n  use: [FILE]\n  except: [CSR]\n",
    )
    .unwrap();
    let (code, out, _) = run(&base);
    assert_eq!(code, 0, "{out}");
    // buf.yaml v1 has no CSR category.
    std::fs::write(&yaml, "version: v1\nbreaking:\n  use: [CSR]\n").unwrap();
    let (code, _, err) = run(&base);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn roundtrip_evidence_in_registry_mode() {
    let case = "fixtures/registry_scalar_groups";
    let (code, out, err) = run(&[
        "--compat",
        "backward",
        "--roundtrip",
        &format!("{case}/old"),
        &format!("{case}/new"),
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    let findings = doc["findings"].as_array().unwrap();
    assert!(
        findings.iter().any(|f| f.get("roundtrip").is_some()),
        "{out}"
    );
}

#[test]
fn directories_pair_files_each_its_own_subject() {
    let case = "fixtures/registry_imports";
    let (code, out, err) = run(&[
        "--compat",
        "backward",
        &format!("{case}/old"),
        &format!("{case}/new_repackaged"),
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(
        err.contains("\"common/amount.proto\" is a new subject"),
        "{err}"
    );
    assert!(
        err.contains("\"shop/money.proto\" is not in the new version"),
        "{err}"
    );
}

fn copy_tree(from: &Path, to: &Path) {
    for f in common::walk(from) {
        let rel = f.strip_prefix(from).unwrap();
        std::fs::create_dir_all(to.join(rel).parent().unwrap()).unwrap();
        std::fs::copy(&f, to.join(rel)).unwrap();
    }
}

#[test]
fn every_registry_fix_compiles_and_the_registry_accepts_it() {
    let tmp = tempfile::tempdir().unwrap();
    let mut applied = 0;
    let mut failures = String::new();
    for case in registry_cases() {
        let old = case.join("old");
        for new in common::new_trees(&case) {
            let (o, n) = compile(&old, &new);
            for mode in [
                Mode::Backward,
                Mode::Forward,
                Mode::Full,
                Mode::BackwardTransitive,
                Mode::FullTransitive,
            ] {
                // A transitive check names the version (and moves a changed
                // field to a new number instead of keeping the old one).
                let version = mode.is_transitive().then_some("v1");
                for f in registry::check(&o, &n, mode, version).findings {
                    let Some(fix) = f.fix.as_ref() else { continue };
                    applied += 1;
                    let dir = tmp.path().join(applied.to_string());
                    copy_tree(&new, &dir);
                    for e in &fix.edits {
                        let p = dir.join(&e.file);
                        let text = std::fs::read_to_string(&p).unwrap();
                        let fixed = fix.apply(&e.path, &text).unwrap();
                        std::fs::write(&p, fixed).unwrap();
                    }
                    let fixed_new = Input::from_path(Side::New, &dir).unwrap();
                    let fixed_old = Input::from_path(Side::Old, &old).unwrap();
                    let what = format!(
                        "{} under {mode}: {} at {}",
                        new.display(),
                        f.rule,
                        f.registry.as_ref().unwrap().path
                    );
                    match protocheck::compile_pair(&fixed_old, &fixed_new, &[]) {
                        Err(e) => failures.push_str(&format!("{what}: does not compile: {e}\n")),
                        Ok((o2, n2)) => {
                            let again = registry::check(&o2, &n2, mode, version);
                            if let Some(g) = again.findings.iter().find(|g| {
                                g.is_error()
                                    && g.rule == f.rule
                                    && g.registry.as_ref().unwrap().path
                                        == f.registry.as_ref().unwrap().path
                            }) {
                                failures
                                    .push_str(&format!("{what}: still refused: {}\n", g.message));
                            }
                        }
                    }
                }
            }
        }
    }
    assert!(applied >= 20, "only {applied} fixes");
    assert!(failures.is_empty(), "{applied} fixes applied:\n{failures}");
}

#[test]
fn every_format_renders_registry_findings() {
    let case = "fixtures/registry_nested";
    for format in [
        "text", "short", "json", "sarif", "github", "junit", "gitlab", "markdown",
    ] {
        let (code, out, err) = run(&[
            "--compat",
            "full",
            &format!("{case}/old"),
            &format!("{case}/new"),
            "--format",
            format,
            "--color",
            "never",
        ]);
        assert_eq!(code, 1, "{format}: {err}");
        assert!(
            out.contains("FIELD_SCALAR_KIND_CHANGED"),
            "{format}:\n{out}"
        );
    }
    let (_, out, _) = run(&[
        "--compat",
        "full",
        &format!("{case}/old"),
        &format!("{case}/new"),
        "--format",
        "sarif",
    ]);
    let doc: Value = serde_json::from_str(&out).unwrap();
    for r in doc["runs"][0]["results"].as_array().unwrap() {
        // Not one of the catalogue's rules: no index into it.
        assert!(r.get("ruleIndex").is_none(), "{r}");
    }
}

#[test]
fn explain_knows_every_difference_type_and_note() {
    let ids = registry::DiffType::ALL
        .iter()
        .map(|t| t.name())
        .chain([registry::LETS_THROUGH, registry::REFUSES_SAFE]);
    for id in ids {
        let (code, out, err) = run(&["explain", &id.to_lowercase()]);
        assert_eq!(code, 0, "{id}: {err}");
        assert!(out.starts_with(id), "{out}");
    }
}

/// git with no user configuration and a fixed identity.
fn git(dir: &Path, args: &[&str]) {
    let mut c = std::process::Command::new("git");
    for k in [
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_INDEX_FILE",
        "GIT_OBJECT_DIRECTORY",
    ] {
        c.env_remove(k);
    }
    let out = c
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The README's CI example: the working tree against the release tags.
#[test]
fn working_tree_against_release_tags() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    let proto = repo.join("proto");
    std::fs::create_dir_all(&proto).unwrap();
    git(repo, &["init", "-q"]);
    for (tree, tag) in [("old", "v1.0.0"), ("new_v2", "v1.1.0")] {
        std::fs::copy(
            Path::new(T).join(tree).join("ev/metric.proto"),
            proto.join("metric.proto"),
        )
        .unwrap();
        git(repo, &["add", "."]);
        git(repo, &["commit", "-qm", tag]);
        git(repo, &["tag", tag]);
    }
    std::fs::copy(
        Path::new(T).join("new_v3/ev/metric.proto"),
        proto.join("metric.proto"),
    )
    .unwrap();
    let out = protocheck()
        .current_dir(repo)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .args([
            "proto",
            "--compat",
            "backward-transitive",
            "--against=git:v1.0.0",
            "--against=git:v1.1.0",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc["pairs"][0]["against"], "git:v1.1.0");
    assert_eq!(doc["pairs"][0]["breaking"], false);
    assert_eq!(doc["pairs"][1]["against"], "git:v1.0.0");
    let f = &doc["pairs"][1]["findings"][0];
    assert_eq!(f["registry"]["version"], "git:v1.0.0");
    assert_eq!(f["old_revision"], "v1.0.0");
    // The latest release only: the number is free there.
    let out = protocheck()
        .current_dir(repo)
        .args(["proto", "--compat", "backward", "--against=git:v1.1.0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

/// Any two single-file trees of the fixtures, compared as one subject in
/// every mode: no panic, and every fix applies to the text it was made for.
#[test]
fn unrelated_pairs_never_panic() {
    let mut files = Vec::new();
    for case in registry_cases() {
        let mut trees = common::new_trees(&case);
        trees.push(case.join("old"));
        for tree in trees {
            let all = common::walk(&tree);
            if all.len() == 1 {
                files.push(all[0].clone());
            }
        }
    }
    assert!(files.len() > 20);
    let mut checked = 0;
    for a in &files {
        for b in &files {
            let (o, n) = compile(a, b);
            for mode in Mode::ALL {
                let version = mode.is_transitive().then_some("v");
                for f in registry::check(&o, &n, mode, version).findings {
                    if let Some(fix) = &f.fix {
                        for e in &fix.edits {
                            let text = std::fs::read_to_string(b).unwrap();
                            assert!(fix.apply(&e.path, &text).is_some(), "{}", b.display());
                        }
                    }
                }
            }
            checked += 1;
        }
    }
    assert!(checked > 400);
}

/// The library's entry point asks for the same mode.
#[test]
fn check_builder_compat() {
    let outcome = protocheck::Check::new(format!("{T}/new_v3"))
        .against(format!("{T}/old"))
        .against(format!("{T}/new_v2"))
        .compat(protocheck::Compat::BackwardTransitive)
        .run()
        .unwrap();
    assert!(outcome.is_breaking());
    assert_eq!(outcome.labels, [format!("{T}/new_v2"), format!("{T}/old")]);
    assert!(!outcome.reports[0].is_breaking());
    assert!(outcome.reports[1].is_breaking());
    let err = protocheck::Check::new(format!("{T}/new_v3"))
        .against(format!("{T}/old"))
        .compat(protocheck::Compat::Backward)
        .level(Level::Wire)
        .run()
        .unwrap_err();
    assert!(err.to_string().contains("--level"), "{err}");
}
