//! The CI files we ship are valid for their CI (validated against the
//! GitHub workflow and GitLab CI schemas in tests/data) and their protocheck
//! commands do what they say, run with bash in a real clone whose origin has
//! the base branch.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn yaml(path: &str) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_yaml_ng::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Validates `doc`, and checks that the schema rejects it with `broken`
/// applied, so a schema that accepts anything cannot pass.
fn validate(schema: &str, doc: &Value, what: &str, broken: impl FnOnce(&mut Value)) {
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(schema).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}:\n{}", errors.join("\n"));
    let mut bad = doc.clone();
    broken(&mut bad);
    assert!(
        !validator.is_valid(&bad),
        "{what}: the schema accepts a broken file"
    );
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
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
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A clone of an origin whose `main` has the old order schema, with the
/// working tree changed to `fixtures/order/<new>`.
fn clone_with_change(tmp: &Path, new: &str) -> PathBuf {
    let origin = tmp.join("origin.git");
    let seed = tmp.join("seed");
    let work = tmp.join("work");
    std::fs::create_dir_all(seed.join("proto/shop")).unwrap();
    git(
        tmp,
        &[
            "init",
            "-q",
            "--bare",
            "-b",
            "main",
            origin.to_str().unwrap(),
        ],
    );
    git(&seed, &["init", "-q", "-b", "main"]);
    std::fs::copy(
        "fixtures/order/old/shop/order.proto",
        seed.join("proto/shop/order.proto"),
    )
    .unwrap();
    git(&seed, &["add", "-A"]);
    git(&seed, &["commit", "-q", "-m", "base"]);
    git(&seed, &["push", "-q", origin.to_str().unwrap(), "main"]);
    git(
        tmp,
        &[
            "clone",
            "-q",
            origin.to_str().unwrap(),
            work.to_str().unwrap(),
        ],
    );
    std::fs::copy(
        format!("fixtures/order/{new}/shop/order.proto"),
        work.join("proto/shop/order.proto"),
    )
    .unwrap();
    work
}

/// Runs a CI shell line with protocheck on PATH; returns its exit code.
fn sh(dir: &Path, line: &str, env: &[(&str, String)]) -> (i32, String) {
    let bin = assert_cmd::cargo::cargo_bin("protocheck");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("bash")
        .args(["-e", "-c", line])
        .current_dir(dir)
        .env("PATH", path)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("GIT_DIR")
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

fn runs_protocheck(line: &str) -> bool {
    line.contains("protocheck ") && !line.contains("cargo install")
}

#[test]
fn the_github_workflow_is_valid_and_its_steps_work() {
    let wf = yaml("docs/ci/github-actions.yml");
    validate(
        "tests/data/github-workflow-schema.json",
        &wf,
        "docs/ci/github-actions.yml",
        |w| w["jobs"]["breaking"]["runs-on"] = Value::from(42),
    );
    let steps = wf["jobs"]["breaking"]["steps"].as_array().unwrap();
    for (case, breaking) in [("new_reuse", true), ("new_add", false)] {
        let tmp = tempfile::tempdir().unwrap();
        let work = clone_with_change(tmp.path(), case);
        let summary = tmp.path().join("summary.md");
        let mut ran = 0;
        for step in steps {
            let Some(run) = step["run"].as_str() else {
                continue;
            };
            if !runs_protocheck(run) {
                continue;
            }
            let mut env = vec![
                ("PROTO", wf["env"]["PROTO"].as_str().unwrap().to_owned()),
                ("GITHUB_STEP_SUMMARY", summary.display().to_string()),
            ];
            if let Some(e) = step["env"].as_object() {
                for (k, v) in e {
                    let v = v
                        .as_str()
                        .unwrap()
                        .replace("${{ github.base_ref }}", "main");
                    env.push((if k == "BASE" { "BASE" } else { "OTHER" }, v));
                }
            }
            let (code, out) = sh(&work, run, &env);
            let name = step["name"].as_str().unwrap();
            if name.starts_with("Check") {
                assert_eq!(code, i32::from(breaking), "{name} ({case}): {out}");
                assert_eq!(
                    out.contains("::error file=proto/shop/order.proto,line=8"),
                    breaking,
                    "{out}"
                );
            } else {
                assert_eq!(code, 0, "{name} ({case}): {out}");
            }
            ran += 1;
        }
        assert_eq!(ran, 3);
        let md = std::fs::read_to_string(&summary).unwrap();
        assert!(
            md.starts_with(if breaking {
                "### ❌ protocheck"
            } else {
                "### ✅ protocheck"
            }),
            "{md}"
        );
        let sarif: Value =
            serde_json::from_str(&std::fs::read_to_string(work.join("protocheck.sarif")).unwrap())
                .unwrap();
        let results = sarif["runs"][0]["results"].as_array().unwrap();
        assert_eq!(results.len(), if breaking { 3 } else { 0 });
        if breaking {
            let old = &results[0]["relatedLocations"][0]["physicalLocation"];
            assert_eq!(
                old["artifactLocation"]["uri"], "proto/shop/order.proto",
                "{old}"
            );
            assert_eq!(old["properties"]["revision"], "origin/main", "{old}");
        }
    }
}

#[test]
fn the_gitlab_job_is_valid_and_writes_its_reports() {
    let ci = yaml("docs/ci/gitlab-ci.yml");
    validate(
        "tests/data/gitlab-ci-schema.json",
        &ci,
        "docs/ci/gitlab-ci.yml",
        |c| c["protocheck"]["artifacts"]["when"] = Value::from("sometimes"),
    );
    let job = &ci["protocheck"];
    let tmp = tempfile::tempdir().unwrap();
    let work = clone_with_change(tmp.path(), "new_reuse");
    let env = vec![
        (
            "PROTO",
            job["variables"]["PROTO"].as_str().unwrap().to_owned(),
        ),
        ("CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "main".to_owned()),
    ];
    let lines: Vec<&str> = job["before_script"]
        .as_array()
        .unwrap()
        .iter()
        .chain(job["script"].as_array().unwrap())
        .map(|l| l.as_str().unwrap())
        .filter(|l| !l.contains("cargo install"))
        .collect();
    let codes: Vec<i32> = lines.iter().map(|l| sh(&work, l, &env).0).collect();
    // The fetch and the code quality report pass; the JUnit line fails the job.
    assert_eq!(codes, [0, 0, 1]);
    let reports = &job["artifacts"]["reports"];
    let quality = work.join(reports["codequality"].as_str().unwrap());
    let issues: Value = serde_json::from_str(&std::fs::read_to_string(quality).unwrap()).unwrap();
    assert_eq!(issues.as_array().unwrap().len(), 3);
    assert_eq!(issues[0]["location"]["path"], "proto/shop/order.proto");
    let junit = std::fs::read_to_string(work.join(reports["junit"].as_str().unwrap())).unwrap();
    let doc = roxmltree::Document::parse(&junit).unwrap();
    assert_eq!(doc.root_element().attribute("failures"), Some("3"));
}

#[test]
fn the_pre_commit_hook_is_well_formed_and_runs() {
    let hooks = yaml(".pre-commit-hooks.yaml");
    let hooks = hooks.as_array().unwrap();
    assert_eq!(hooks.len(), 1);
    let hook = &hooks[0];
    for key in ["id", "name", "entry", "language"] {
        assert!(hook[key].is_string(), "pre-commit requires `{key}`");
    }
    assert_eq!(hook["language"], "rust");
    assert_eq!(hook["pass_filenames"], false);
    let files = hook["files"].as_str().unwrap();
    assert_eq!(files, "\\.proto$");
    let tmp = tempfile::tempdir().unwrap();
    let work = clone_with_change(tmp.path(), "new_reuse");
    // As pre-commit runs it: the entry, then the user's args.
    let line = format!("{} proto --format short", hook["entry"].as_str().unwrap());
    let (code, out) = sh(&work, &line, &[]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("proto/shop/order.proto:8:3: FIELD_SAME_TYPE"),
        "{out}"
    );
    git(&work, &["commit", "-q", "-am", "reuse"]);
    let (code, out) = sh(&work, &line, &[]);
    assert_eq!(code, 0, "committed: nothing left to check: {out}");
}
