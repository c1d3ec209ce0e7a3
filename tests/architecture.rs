//! The layout is the architecture: every folder of `src/` is a stage, and a
//! stage names only the stages beneath it (ARCHITECTURE.md). This test reads
//! every `crate::…` path in `src/` and fails on one that points up or into the
//! crate root (where the public API and the top-level error live).

use std::path::Path;

/// Bottom to top. `files` is the shared reading of user files; the crate root
/// (`lib.rs`, `error.rs`, `check.rs`, `pipeline.rs`) and the binary
/// (`src/bin/`) sit above them all.
const STAGES: &[&str] = &[
    "files",
    "schema",
    "engine",
    "rules",
    "registry",
    "config",
    "input",
    "report",
    "roundtrip",
];

fn stage_of(rel: &Path) -> Option<usize> {
    let first = rel.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    STAGES.iter().position(|s| *s == name)
}

/// The first path segment after every `crate::` in the code (comments
/// skipped), with brace groups (`crate::{a, b::c}`) expanded.
fn crate_refs(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let code = match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        };
        let mut rest = code;
        while let Some(i) = rest.find("crate::") {
            let before = rest[..i].chars().last();
            rest = &rest[i + "crate::".len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
                continue; // `$crate::` in a macro or `foo_crate::`
            }
            if let Some(group) = rest.strip_prefix('{') {
                let end = group.find('}').unwrap_or(group.len());
                for item in group[..end].split(',') {
                    let head = item.trim().split("::").next().unwrap_or("").trim();
                    if !head.is_empty() {
                        out.push((n + 1, head.to_owned()));
                    }
                }
            } else {
                let head: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                out.push((n + 1, head));
            }
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn no_stage_imports_a_stage_above_it() {
    let src = Path::new("src");
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let mut wrong = Vec::new();
    let mut seen = 0;
    for path in &files {
        let rel = path.strip_prefix(src).unwrap();
        let Some(own) = stage_of(rel) else { continue };
        seen += 1;
        let text = std::fs::read_to_string(path).unwrap();
        for (line, head) in crate_refs(&text) {
            match STAGES.iter().position(|s| *s == head) {
                Some(to) if to <= own => {}
                Some(_) => wrong.push(format!(
                    "{}:{line}: stage '{}' names 'crate::{head}', a stage above it",
                    path.display(),
                    STAGES[own]
                )),
                None => wrong.push(format!(
                    "{}:{line}: stage '{}' names 'crate::{head}' in the crate root; name the stage that defines it",
                    path.display(),
                    STAGES[own]
                )),
            }
        }
    }
    assert!(seen > 50, "only {seen} files of stages found under src/");
    assert!(
        wrong.is_empty(),
        "{} imports run up:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn every_folder_of_src_is_a_stage() {
    for e in std::fs::read_dir("src").unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_str().unwrap().to_owned();
        if p.is_dir() {
            // src/bin/: the command, above the library (it uses what is public).
            assert!(
                STAGES.contains(&name.as_str()) || name == "bin",
                "src/{name}/ is not a stage in STAGES"
            );
        } else {
            let stem = name.strip_suffix(".rs").unwrap();
            assert!(
                STAGES.contains(&stem) || ["lib", "error", "check", "pipeline"].contains(&stem),
                "src/{name} is neither a stage nor the crate root"
            );
        }
    }
}

#[test]
fn the_binary_is_small() {
    let lines = std::fs::read_to_string("src/bin/protocheck/main.rs")
        .unwrap()
        .lines()
        .count();
    assert!(lines < 250, "src/bin/protocheck/main.rs has {lines} lines");
}

#[test]
fn the_checker_sees_imports() {
    let refs = crate_refs("use crate::{schema::Side, engine};\nlet x = crate::rules::ALL; // crate::report\n$crate::x");
    let heads: Vec<&str> = refs.iter().map(|(_, h)| h.as_str()).collect();
    assert_eq!(heads, ["schema", "engine", "rules"]);
}
