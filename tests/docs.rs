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
    line.contains("protocheck ") && !line.contains("install protocheck-cli")
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
        .filter(|l| !l.contains("install --quiet protocheck-cli"))
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
    assert_eq!(hook["language"], "python");
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

    // A schema directory that is new: nothing old to break.
    std::fs::create_dir_all(work.join("proto2/shop")).unwrap();
    std::fs::copy(
        "fixtures/order/new_reuse/shop/order.proto",
        work.join("proto2/shop/order.proto"),
    )
    .unwrap();
    git(&work, &["add", "-A"]);
    let new_dir = format!("{} proto2", hook["entry"].as_str().unwrap());
    let (code, out) = sh(&work, &new_dir, &[]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("note: \"git:HEAD\": \"proto2\" does not exist at git revision \"HEAD\", so nothing old can break: checked against an empty old schema"),
        "{out}"
    );
    assert!(out.contains("(0 files old, 1 file new)"), "{out}");

    // The first commit of a repository: no HEAD yet.
    let fresh = tmp.path().join("fresh");
    std::fs::create_dir_all(fresh.join("proto/shop")).unwrap();
    git(&fresh, &["init", "-q", "-b", "main"]);
    std::fs::copy(
        "fixtures/order/old/shop/order.proto",
        fresh.join("proto/shop/order.proto"),
    )
    .unwrap();
    git(&fresh, &["add", "-A"]);
    let (code, out) = sh(&fresh, &line, &[]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("the repository has no commits yet"), "{out}");
    // Something else still fails: a schema that does not compile.
    std::fs::write(
        fresh.join("proto/shop/order.proto"),
        "syntax = \"proto3\";\nmessage {\n",
    )
    .unwrap();
    let (code, out) = sh(&fresh, &line, &[]);
    assert_eq!(code, 2, "{out}");
    // git:REF:PATH names its path: a missing one stays an error.
    let (code, out) = sh(&work, "protocheck proto2 --against git:HEAD:proto2", &[]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("does not exist at git revision"), "{out}");
}

/// `${{ … }}` in an action's `env` and `if`, as GitHub evaluates them for
/// the few expressions action.yml uses.
fn expand(
    text: &str,
    inputs: &Value,
    outputs: &std::collections::HashMap<String, String>,
) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${{") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find("}}").unwrap() + start;
        let expr = rest[start + 3..end].trim();
        let value = if let Some(name) = expr.strip_prefix("inputs.") {
            inputs[name].as_str().unwrap().to_owned()
        } else if expr == "github.base_ref" {
            outputs["github.base_ref"].clone()
        } else if let Some(name) = expr.strip_prefix("steps.against.outputs.") {
            outputs[name].clone()
        } else if expr == "runner.temp" {
            outputs["runner.temp"].clone()
        } else {
            panic!("action.yml uses an expression this test does not know: {expr}")
        };
        out.push_str(&value);
        rest = &rest[end + 2..];
    }
    out + rest
}

fn key_values(path: &Path) -> std::collections::HashMap<String, String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

/// Runs action.yml's steps as GitHub would, in a clone: every `run` step
/// with bash (`-e -o pipefail`, GitHub's bash), the install step and the
/// SARIF upload excepted (protocheck from this build is on PATH, the SARIF
/// file is checked instead). Returns the check's exit code and the summary.
fn run_action(work: &Path, base_ref: &str, with: &[(&str, &str)]) -> (i32, String, String) {
    let action = yaml("action.yml");
    let mut inputs = serde_json::Map::new();
    for (name, spec) in action["inputs"].as_object().unwrap() {
        inputs.insert(name.clone(), spec["default"].clone());
    }
    for (k, v) in with {
        assert!(inputs.contains_key(*k), "action.yml has no input {k}");
        inputs.insert((*k).to_owned(), Value::from(*v));
    }
    let inputs = Value::Object(inputs);
    let tmp = tempfile::tempdir().unwrap();
    let summary = tmp.path().join("summary.md");
    let mut outputs = std::collections::HashMap::new();
    outputs.insert("runner.temp".to_owned(), tmp.path().display().to_string());
    outputs.insert("github.base_ref".to_owned(), base_ref.to_owned());
    let mut log = String::new();
    let mut code = -1;
    for step in action["runs"]["steps"].as_array().unwrap() {
        let name = step["name"].as_str().unwrap();
        if let Some(cond) = step["if"].as_str() {
            let (lhs, rhs) = cond.split_once(" == ").unwrap();
            let lhs = expand(&format!("${{{{ {lhs} }}}}"), &inputs, &outputs);
            if lhs != rhs.trim_matches('\'') {
                continue;
            }
        }
        if let Some(uses) = step["uses"].as_str() {
            assert!(
                uses.starts_with("github/codeql-action/upload-sarif@"),
                "{uses}"
            );
            let file = expand(
                step["with"]["sarif_file"].as_str().unwrap(),
                &inputs,
                &outputs,
            );
            let sarif: Value =
                serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
            assert_eq!(sarif["version"], "2.1.0");
            continue;
        }
        let run = step["run"].as_str().unwrap();
        if name == "Install protocheck" {
            assert!(run.contains("\"protocheck-cli==$VERSION\""), "{run}");
            continue;
        }
        let output_file = tmp.path().join(format!("output-{name}"));
        let mut env = vec![
            ("GITHUB_OUTPUT", output_file.display().to_string()),
            ("GITHUB_STEP_SUMMARY", summary.display().to_string()),
            ("RUNNER_TEMP", tmp.path().display().to_string()),
        ];
        if let Some(e) = step["env"].as_object() {
            for (k, v) in e {
                env.push((
                    Box::leak(k.clone().into_boxed_str()),
                    expand(v.as_str().unwrap(), &inputs, &outputs),
                ));
            }
        }
        let bin = assert_cmd::cargo::cargo_bin("protocheck");
        let path = format!(
            "{}:{}",
            bin.parent().unwrap().display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let out = Command::new("bash")
            .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", run])
            .current_dir(work)
            .env("PATH", path)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env_remove("GIT_DIR")
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .output()
            .unwrap();
        log.push_str(&String::from_utf8_lossy(&out.stdout));
        log.push_str(&String::from_utf8_lossy(&out.stderr));
        let step_code = out.status.code().unwrap();
        if step["id"] == "against" {
            outputs.extend(key_values(&output_file));
        }
        if name == "Check" {
            code = step_code;
            assert_eq!(
                key_values(&output_file)["exit-code"],
                step_code.to_string(),
                "the exit-code output"
            );
        } else {
            assert_eq!(step_code, 0, "{name}: {log}");
        }
    }
    (
        code,
        std::fs::read_to_string(&summary).unwrap_or_default(),
        log,
    )
}

#[test]
fn the_action_checks_against_the_base_and_writes_its_reports() {
    let action = yaml("action.yml");
    let version = action["inputs"]["version"]["default"].as_str().unwrap();
    assert_eq!(
        version,
        env!("CARGO_PKG_VERSION"),
        "the action installs the version it is released with"
    );
    for (case, breaking) in [("new_reuse", true), ("new_add", false)] {
        let tmp = tempfile::tempdir().unwrap();
        let work = clone_with_change(tmp.path(), case);
        let (code, summary, log) =
            run_action(&work, "main", &[("input", "proto"), ("sarif", "true")]);
        assert_eq!(code, i32::from(breaking), "{log}");
        assert_eq!(
            log.contains("::error file=proto/shop/order.proto,line=8"),
            breaking,
            "{log}"
        );
        assert!(
            summary.starts_with(if breaking {
                "### ❌ protocheck"
            } else {
                "### ✅ protocheck"
            }),
            "{summary}"
        );
    }
    // A shallow checkout without the base branch: the action fetches it;
    // level and extra arguments are passed on.
    let tmp = tempfile::tempdir().unwrap();
    let work = clone_with_change(tmp.path(), "new_reuse");
    git(&work, &["update-ref", "-d", "refs/remotes/origin/main"]);
    let (code, summary, log) = run_action(
        &work,
        "main",
        &[
            ("input", "proto"),
            ("level", "wire"),
            ("args", "--deny-warnings --no-config"),
            ("format", "short"),
            ("summary", "false"),
        ],
    );
    assert_eq!(code, 1, "{log}");
    assert!(
        log.contains("proto/shop/order.proto:8:3: FIELD_WIRE_COMPATIBLE_TYPE"),
        "{log}"
    );
    assert!(!log.contains("FIELD_SAME_NAME"), "level wire: {log}");
    assert!(summary.is_empty());
    // Outside a pull request, against the previous commit.
    git(&work, &["commit", "-q", "-am", "reuse"]);
    let (code, _, log) = run_action(&work, "", &[("input", "proto"), ("summary", "false")]);
    assert_eq!(code, 1, "against HEAD~1, the base: {log}");
    assert!(
        log.contains("at proto/shop/order.proto:8:3 (at HEAD~1)"),
        "{log}"
    );
}

#[test]
fn the_action_workflow_and_the_release_workflow_are_valid() {
    let schema = "tests/data/github-workflow-schema.json";
    let wf = yaml("docs/ci/github-action.yml");
    validate(schema, &wf, "docs/ci/github-action.yml", |w| {
        w["jobs"]["breaking"]["runs-on"] = Value::from(42)
    });
    // It uses this action, at the version this build is, with its inputs.
    let action = yaml("action.yml");
    let step = wf["jobs"]["breaking"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("protocheck/protocheck@"))
        })
        .expect("a step that uses the action");
    assert_eq!(
        step["uses"],
        format!("protocheck/protocheck@v{}", env!("CARGO_PKG_VERSION"))
    );
    for key in step["with"].as_object().unwrap().keys() {
        assert!(action["inputs"].get(key).is_some(), "no input {key}");
    }
    let release = yaml(".github/workflows/release.yml");
    validate(schema, &release, ".github/workflows/release.yml", |w| {
        w["on"] = Value::from(42)
    });
    // Every platform the issue names, for the wheels and the binaries.
    for job in ["wheels", "binaries"] {
        let targets: Vec<&str> = release["jobs"][job]["strategy"]["matrix"]["include"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["target"].as_str().unwrap())
            .collect();
        for t in [
            "x86_64-unknown-linux-gnu",
            "aarch64-unknown-linux-gnu",
            "x86_64-apple-darwin",
            "aarch64-apple-darwin",
            "x86_64-pc-windows-msvc",
        ] {
            assert!(targets.contains(&t), "{job}: {t}");
        }
    }
}
