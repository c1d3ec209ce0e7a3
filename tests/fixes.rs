//! Every fix protocheck proposes works when followed. For every fixture
//! (`fixtures/<case>/{old,new*}`, see tests/fixtures.rs) and every level,
//! each finding that carries a machine-applicable fix has it applied to a
//! copy of the new tree, by line and column as `--format json` gives it; the
//! result must compile with protoc (`PROTOC`, else `protoc` on `PATH`), and
//! checking it again at the same level must no longer report the finding
//! and report nothing that was not reported before. Then all the fixes of
//! one rule are applied together (they must not overlap) and the result must
//! compile and clear every one of them.

mod common;

use common::{cases, new_trees, protoc, walk};

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use protocheck::engine::finding::Fix;
use protocheck::rules::Level;
use protocheck::{check_paths, Finding, Options};

fn copy_tree(from: &Path, to: &Path) {
    for f in walk(from) {
        let dest = to.join(f.strip_prefix(from).unwrap());
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::copy(&f, dest).unwrap();
    }
}

/// The byte offset of a 1-based line and character column.
fn offset(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum();
    let rest = &text[start..];
    start
        + rest
            .char_indices()
            .nth(column - 1)
            .map_or(rest.len(), |(i, _)| i)
}

/// Applies the fix to the files of `tree` (a copy of the new tree `new`),
/// using only what the JSON contract gives: path, lines, columns, text.
fn apply(fix: &Fix, new: &Path, tree: &Path) -> Result<(), String> {
    let mut paths: Vec<&str> = fix.edits.iter().map(|e| e.path.as_str()).collect();
    paths.sort_unstable();
    paths.dedup();
    for path in paths {
        let rel = Path::new(path)
            .strip_prefix(new)
            .map_err(|_| format!("edit of {path}, outside {}", new.display()))?;
        let file = tree.join(rel);
        let mut text = std::fs::read_to_string(&file).map_err(|e| format!("{path}: {e}"))?;
        let mut edits: Vec<_> = fix
            .edits
            .iter()
            .filter(|e| e.path == path)
            .map(|e| {
                let a = offset(&text, e.span.line, e.span.column);
                let b = offset(&text, e.span.end_line, e.span.end_column);
                (a, b, e.replacement.clone())
            })
            .collect();
        // The same edit twice (two fixes that agree) is made once; edits
        // that overlap cannot all be made.
        edits.sort();
        edits.dedup();
        for w in edits.windows(2) {
            if w[1].0 < w[0].1 {
                return Err(format!(
                    "{path}: edits overlap at bytes {}..{}",
                    w[1].0, w[0].1
                ));
            }
        }
        edits.sort_by_key(|e| std::cmp::Reverse(e.0));
        for (a, b, with) in edits {
            text.replace_range(a..b, &with);
        }
        std::fs::write(&file, text).unwrap();
    }
    Ok(())
}

fn compiles(tree: &Path) -> Result<(), String> {
    let names: Vec<String> = walk(tree)
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "proto"))
        .map(|p| p.strip_prefix(tree).unwrap().to_string_lossy().into_owned())
        .collect();
    let out = Command::new(protoc())
        .arg(format!("--proto_path={}", tree.display()))
        .arg("--descriptor_set_out=/dev/null")
        .args(&names)
        .output()
        .unwrap();
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

/// What identifies a finding across two runs: the rule, its element by its
/// key (a field by number), and its severity.
fn key(f: &Finding) -> String {
    format!("{} {:?} {}", f.rule, f.severity, f.subject)
}

fn check(old: &Path, new: &Path, level: Level) -> Vec<Finding> {
    let options = Options {
        level: Some(level),
        ..Options::default()
    };
    check_paths(old, new, &options)
        .unwrap_or_else(|e| panic!("{} vs {}: {e}", old.display(), new.display()))
        .findings
}

/// Applies every fix of one new tree at one level; returns how many were
/// applied and what failed.
fn check_tree(old: &Path, new: &Path, level: Level, tmp: &Path) -> (usize, Vec<String>) {
    let mut failures = Vec::new();
    let mut applied = 0;
    let before = check(old, new, level);
    let keys: BTreeSet<String> = before.iter().map(key).collect();
    for f in &before {
        let Some(fix) = &f.fix else { continue };
        applied += 1;
        let what = format!(
            "{} at {level}: {} {}\n  help: {}\n  edits: {:?}",
            new.display(),
            f.rule,
            f.message,
            f.help.as_deref().unwrap_or(""),
            fix.edits
        );
        // The words quote every edit's text.
        let help = f.help.as_deref().unwrap_or("");
        for e in &fix.edits {
            if !help.contains(e.replacement.trim()) {
                failures.push(format!("{what}\n  the help does not quote the edit"));
            }
        }
        let tree = tmp.join(format!("{level}-{applied}"));
        copy_tree(new, &tree);
        if let Err(e) = apply(fix, new, &tree) {
            failures.push(format!("{what}\n  cannot apply: {e}"));
            continue;
        }
        if let Err(e) = compiles(&tree) {
            failures.push(format!("{what}\n  protoc rejects the result:\n{e}"));
            continue;
        }
        let after = check(old, &tree, level);
        // Two findings may share an element: the exact one must go.
        if let Some(a) = after
            .iter()
            .find(|a| key(a) == key(f) && a.message == f.message)
        {
            failures.push(format!("{what}\n  still reported: {}", a.message));
        }
        for a in &after {
            if !keys.contains(&key(a)) {
                failures.push(format!(
                    "{what}\n  new finding after the fix: {} {}",
                    a.rule, a.message
                ));
            }
        }
    }
    // All the fixes of one rule applied together: they must not overlap,
    // and the result must compile and clear every one of them.
    let mut rules: Vec<&str> = before
        .iter()
        .filter(|f| f.fix.is_some())
        .map(|f| f.rule)
        .collect();
    rules.sort_unstable();
    rules.dedup();
    for rule in rules {
        let fixed: Vec<&Finding> = before
            .iter()
            .filter(|f| f.rule == rule && f.fix.is_some())
            .collect();
        if fixed.len() < 2 {
            continue;
        }
        let what = format!(
            "{} at {level}: the {} fixes of {rule} together",
            new.display(),
            fixed.len()
        );
        let all = Fix {
            edits: fixed
                .iter()
                .flat_map(|f| f.fix.as_ref().unwrap().edits.iter().cloned())
                .collect(),
        };
        let tree = tmp.join(format!("{level}-{rule}-all"));
        copy_tree(new, &tree);
        if let Err(e) = apply(&all, new, &tree) {
            failures.push(format!("{what}\n  cannot apply: {e}"));
            continue;
        }
        if let Err(e) = compiles(&tree) {
            failures.push(format!("{what}\n  protoc rejects the result:\n{e}"));
            continue;
        }
        let after = check(old, &tree, level);
        for f in &fixed {
            if after
                .iter()
                .any(|a| key(a) == key(f) && a.message == f.message)
            {
                failures.push(format!("{what}\n  still reported: {}", f.message));
            }
        }
        for a in &after {
            if !keys.contains(&key(a)) {
                failures.push(format!(
                    "{what}\n  new finding after the fixes: {} {}",
                    a.rule, a.message
                ));
            }
        }
    }
    (applied, failures)
}

#[test]
fn every_suggested_fix_compiles_and_clears_its_finding() {
    let tmp = tempfile::tempdir().unwrap();
    let mut jobs = Vec::new();
    for case in cases() {
        for new in new_trees(&case) {
            for level in Level::ALL {
                jobs.push((case.join("old"), new.clone(), level));
            }
        }
    }
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results = std::sync::Mutex::new((0, Vec::new()));
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some((old, new, level)) = jobs.get(i) else {
                    break;
                };
                let dir = tmp.path().join(i.to_string());
                let (n, f) = check_tree(old, new, *level, &dir);
                let mut r = results.lock().unwrap();
                r.0 += n;
                r.1.extend(f);
            });
        }
    });
    let (applied, mut failures) = results.into_inner().unwrap();
    failures.sort();
    eprintln!("{applied} suggested fixes applied and re-checked");
    // Today's fixtures carry about 350 fixes: far fewer means fixes were lost.
    assert!(
        applied >= 300,
        "only {applied} suggested fixes in the fixtures"
    );
    assert!(
        failures.is_empty(),
        "{} of {applied} fixes do not work:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
