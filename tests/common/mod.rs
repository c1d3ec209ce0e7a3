//! Helpers shared by the test binaries that walk the fixtures or run protoc.
// Each test binary uses only some of these.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The protoc the tool itself would use (`PROTOC`, `PATH`, else the bundled one).
pub fn protoc() -> PathBuf {
    protocheck::input::protoc::locate(None)
        .map(|(p, _)| p)
        .expect("no protoc: this build has no bundled protoc and none is in PROTOC or on PATH")
}

/// Every fixture case (a directory of `fixtures/` with an `old` tree), sorted.
pub fn cases() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir("fixtures")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("old").is_dir())
        .collect();
    v.sort();
    v
}

/// The `new*` trees of a fixture case, sorted.
pub fn new_trees(case: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(case)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() && p.file_name().unwrap().to_string_lossy().starts_with("new"))
        .collect();
    v.sort();
    v
}

/// Every file under `dir`, sorted.
pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// The command, without the environment that would change its output
/// (`NO_COLOR`, `COLUMNS`).
pub fn protocheck() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("protocheck").unwrap();
    c.env_remove("NO_COLOR").env_remove("COLUMNS");
    c
}

/// Runs the command: exit code, stdout, stderr.
pub fn run(args: &[&str]) -> (i32, String, String) {
    let out = protocheck().args(args).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}
