//! Every case under `fixtures/<case>/` has an `old/` tree and one or more
//! `new*/` trees. For each new tree, `<new>.expected` lists the findings at
//! every level, with locations on both sides and, on the line below each,
//! whom it breaks. Every tree is also checked
//! against itself and must report nothing.
//!
//! `UPDATE_EXPECT=1 cargo test --test fixtures` rewrites the expectations;
//! review the diff before committing it. The `editions_*` cases are compiled
//! with protoc (`PROTOC`, else `protoc` on `PATH`, else the bundled protoc).

mod common;

use common::{cases, new_trees};

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex};

use protocheck::rules::{self, Level};
use protocheck::{check_paths, check_schemas, Finding, Input, Options, Report, Schema, Side};

/// Each tree is compiled once per side (editions trees go through protoc).
fn schema(tree: &Path, side: Side) -> Arc<Schema> {
    type Cache = Mutex<HashMap<(PathBuf, Side), Arc<Schema>>>;
    static CACHE: LazyLock<Cache> = LazyLock::new(Default::default);
    let key = (tree.to_path_buf(), side);
    if let Some(s) = CACHE.lock().unwrap().get(&key) {
        return s.clone();
    }
    let input = Input::from_path(side, tree).unwrap();
    let mut schema = protocheck::input::compile(side, &input, &[])
        .unwrap_or_else(|e| panic!("{}: {e}", tree.display()));
    // Imported files are compared too, as the CLI and buf compare them.
    schema.promote_imports();
    let schema = Arc::new(schema);
    CACHE.lock().unwrap().insert(key, schema.clone());
    schema
}

fn run(old: &Path, new: &Path, level: Level) -> Report {
    let options = Options {
        level: Some(level),
        ..Options::default()
    };
    check_schemas(&schema(old, Side::Old), &schema(new, Side::New), &options)
        .unwrap_or_else(|e| panic!("{} vs {}: {e}", old.display(), new.display()))
}

fn loc(case: &Path, l: &protocheck::Location) -> String {
    let prefix = format!("{}/", case.display());
    let path = l.path.strip_prefix(&prefix).unwrap_or(&l.path);
    match l.span {
        Some(s) => format!(
            "{path}:{}:{}-{}:{}",
            s.line, s.column, s.end_line, s.end_column
        ),
        None => path.to_owned(),
    }
}

fn line(case: &Path, f: &Finding) -> String {
    let old = f
        .old_location
        .as_ref()
        .map(|o| format!(" (old {})", loc(case, o)))
        .unwrap_or_default();
    let severity = match f.severity {
        protocheck::Severity::Error => "",
        protocheck::Severity::Warning => " warning",
        protocheck::Severity::Info => " info",
    };
    let breaks: Vec<&str> = f.affects.iter().map(|a| a.describe()).collect();
    format!(
        "{}{severity} {}{old}: {}\n  breaks: {}",
        f.rule,
        loc(case, &f.location),
        f.message,
        breaks.join(", ")
    )
}

#[test]
fn fixtures_match_their_expectations() {
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut failures = String::new();
    for case in cases() {
        let old = case.join("old");
        for new in new_trees(&case) {
            let mut got = String::new();
            for level in Level::ALL {
                writeln!(got, "[{level}]").unwrap();
                for f in &run(&old, &new, level).findings {
                    writeln!(got, "{}", line(&case, f)).unwrap();
                }
            }
            let file = case.join(format!(
                "{}.expected",
                new.file_name().unwrap().to_string_lossy()
            ));
            let want = std::fs::read_to_string(&file).unwrap_or_default();
            if got != want {
                if update {
                    std::fs::write(&file, &got).unwrap();
                } else {
                    let diff = similar::TextDiff::from_lines(&want, &got);
                    writeln!(
                        failures,
                        "{}:\n{}",
                        file.display(),
                        diff.unified_diff().header("expected", "got")
                    )
                    .unwrap();
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "fixtures differ from expectations:\n{failures}"
    );
}

#[test]
fn every_tree_checked_against_itself_reports_nothing() {
    for case in cases() {
        let mut trees = vec![case.join("old")];
        trees.extend(new_trees(&case));
        for tree in trees {
            for level in Level::ALL {
                let report = run(&tree, &tree, level);
                assert!(
                    report.findings.is_empty(),
                    "{} vs itself at {level}: {:?}",
                    tree.display(),
                    report.findings
                );
            }
        }
    }
}

#[test]
fn every_rule_has_a_fixture_that_fires_it() {
    for rule in rules::ALL {
        let id = rule.meta().id;
        let case = Path::new("fixtures").join(id.to_lowercase());
        let expected: String = new_trees(&case)
            .iter()
            .map(|n| {
                std::fs::read_to_string(case.join(format!(
                    "{}.expected",
                    n.file_name().unwrap().to_string_lossy()
                )))
                .unwrap_or_default()
            })
            .collect();
        // The rule must fire at each of its levels, and only there.
        for level in Level::ALL {
            let header = format!("[{level}]");
            let mut current = "";
            let fires = expected.lines().any(|l| {
                if l.starts_with('[') {
                    current = l;
                    return false;
                }
                current == header
                    && (l.starts_with(&format!("{id} "))
                        || l.starts_with(&format!("{id} warning ")))
            });
            assert_eq!(
                fires,
                rule.meta().in_level(level),
                "{id} at level {level} in {}",
                case.display()
            );
        }
    }
}

#[test]
fn skipping_unchanged_files_changes_nothing() {
    for case in cases() {
        let old = case.join("old");
        for new in new_trees(&case) {
            for level in Level::ALL {
                let run_with = |full: bool| {
                    let options = Options {
                        level: Some(level),
                        full,
                        ..Options::default()
                    };
                    let r = check_paths(&old, &new, &options).unwrap();
                    (r.findings, r.old_files, r.new_files)
                };
                assert_eq!(
                    run_with(false),
                    run_with(true),
                    "{} at {level}",
                    new.display()
                );
            }
        }
    }
}

#[test]
fn a_changed_import_makes_unchanged_importers_checked() {
    let tmp = tempfile::tempdir().unwrap();
    let w = |p: &str, s: &str| {
        let p = tmp.path().join(p);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, s).unwrap();
    };
    // order.proto is byte-identical on both sides, but the Money it uses
    // changed from a message to an enum of the same name.
    let order = "syntax = \"proto3\";\npackage shop;\nimport \"shop/money.proto\";\nmessage Order {\n  Money total = 1;\n}\n";
    w("old/shop/order.proto", order);
    w("new/shop/order.proto", order);
    w(
        "old/shop/money.proto",
        "syntax = \"proto3\";\npackage shop;\nmessage Money {\n  int64 units = 1;\n}\n",
    );
    w(
        "new/shop/money.proto",
        "syntax = \"proto3\";\npackage shop;\nenum Money {\n  MONEY_UNSPECIFIED = 0;\n}\n",
    );
    // An unrelated unchanged file keeps its package alive.
    w(
        "old/shop/other.proto",
        "syntax = \"proto3\";\npackage shop;\nmessage Other {}\n",
    );
    w(
        "new/shop/other.proto",
        "syntax = \"proto3\";\npackage shop;\nmessage Other {}\n",
    );
    let options = Options {
        level: Some(Level::Package),
        ..Options::default()
    };
    let r = check_paths(tmp.path().join("old"), tmp.path().join("new"), &options).unwrap();
    let rules: Vec<&str> = r.findings.iter().map(|f| f.rule).collect();
    assert!(rules.contains(&"FIELD_SAME_TYPE"), "{rules:?}");
    assert!(rules.contains(&"PACKAGE_MESSAGE_NO_DELETE"), "{rules:?}");
    assert!(!rules.contains(&"PACKAGE_NO_DELETE"), "{rules:?}");
    assert_eq!((r.old_files, r.new_files), (3, 3));
}
