//! Build facts for `protocheck --version` (the git commit), and, with the
//! `vendored-protoc` feature, the target's protoc and well-known types from
//! protoc-bin-vendored, embedded so that a binary or wheel built here carries
//! protoc itself and refers to no path of the build machine.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rustc-check-cfg=cfg(protocheck_vendored_protoc)");
    commit();
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let generated = out.join("vendored_protoc.rs");
    let code = if env::var_os("CARGO_FEATURE_VENDORED_PROTOC").is_some() {
        match vendored() {
            Some((bin, include)) => {
                println!("cargo:rustc-cfg=protocheck_vendored_protoc");
                embed(&bin, &include)
            }
            None => {
                println!(
                    "cargo:warning=protoc-bin-vendored has no protoc for {}-{}: this build has no bundled protoc (editions files need --protoc, PROTOC or protoc on PATH)",
                    target("OS"),
                    target("ARCH")
                );
                String::new()
            }
        }
    } else {
        String::new()
    };
    fs::write(&generated, code).expect("write vendored_protoc.rs");
}

fn target(what: &str) -> String {
    env::var(format!("CARGO_CFG_TARGET_{what}")).unwrap_or_default()
}

/// The commit being built, when this is a git checkout.
fn commit() {
    let dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let git = |args: &[&str]| {
        Command::new("git")
            .arg("-C")
            .arg(&dir)
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
    };
    let commit = git(&["rev-parse", "--short=12", "HEAD"]).unwrap_or_default();
    if !commit.is_empty() {
        // Rebuild when HEAD moves (a new commit or another branch).
        if let Some(head) = git(&["rev-parse", "--git-path", "HEAD"]) {
            let head = dir.join(head);
            println!("cargo:rerun-if-changed={}", head.display());
            if let Ok(text) = fs::read_to_string(&head) {
                if let Some(r) = text.trim().strip_prefix("ref: ") {
                    if let Some(p) = git(&["rev-parse", "--git-path", r]) {
                        println!("cargo:rerun-if-changed={}", dir.join(p).display());
                    }
                }
            }
        }
    }
    let dirty = !commit.is_empty()
        && git(&["status", "--porcelain", "--untracked-files=no"]).is_some_and(|s| !s.is_empty());
    println!(
        "cargo:rustc-env=PROTOCHECK_COMMIT={commit}{}",
        if dirty { "-modified" } else { "" }
    );
}

/// Without the feature, none.
#[cfg(not(feature = "vendored-protoc"))]
fn vendored() -> Option<(PathBuf, PathBuf)> {
    None
}

/// The target's protoc and include directory.
#[cfg(feature = "vendored-protoc")]
fn vendored() -> Option<(PathBuf, PathBuf)> {
    let (bin, include) = match (target("OS").as_str(), target("ARCH").as_str()) {
        ("linux", "x86_64") => (
            protoc_bin_vendored_linux_x86_64::protoc_bin_path(),
            protoc_bin_vendored_linux_x86_64::include_path(),
        ),
        ("linux", "aarch64") => (
            protoc_bin_vendored_linux_aarch_64::protoc_bin_path(),
            protoc_bin_vendored_linux_aarch_64::include_path(),
        ),
        ("linux", "x86") => (
            protoc_bin_vendored_linux_x86_32::protoc_bin_path(),
            protoc_bin_vendored_linux_x86_32::include_path(),
        ),
        ("linux", "powerpc64") if target("ENDIAN") == "little" => (
            protoc_bin_vendored_linux_ppcle_64::protoc_bin_path(),
            protoc_bin_vendored_linux_ppcle_64::include_path(),
        ),
        ("linux", "s390x") => (
            protoc_bin_vendored_linux_s390_64::protoc_bin_path(),
            protoc_bin_vendored_linux_s390_64::include_path(),
        ),
        ("macos", "x86_64") => (
            protoc_bin_vendored_macos_x86_64::protoc_bin_path(),
            protoc_bin_vendored_macos_x86_64::include_path(),
        ),
        ("macos", "aarch64") => (
            protoc_bin_vendored_macos_aarch_64::protoc_bin_path(),
            protoc_bin_vendored_macos_aarch_64::include_path(),
        ),
        // A 32-bit protoc, which 64-bit Windows (x86_64 and, emulated,
        // aarch64) runs.
        ("windows", _) => (
            protoc_bin_vendored_win32::protoc_bin_path(),
            protoc_bin_vendored_win32::include_path(),
        ),
        _ => return None,
    };
    Some((bin, include))
}

/// Rust source embedding protoc and the .proto files under `include`, with
/// a key (a hash of everything) naming the cache directory they go to.
fn embed(bin: &Path, include: &Path) -> String {
    let exe = if target("OS") == "windows" {
        "protoc.exe"
    } else {
        "protoc"
    };
    let mut files = vec![(format!("bin/{exe}"), bin.to_path_buf())];
    let mut stack = vec![include.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).expect("read the include directory") {
            let path = entry.expect("read the include directory").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "proto") {
                let rel = path.strip_prefix(include).expect("under include");
                let rel: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                files.push((format!("include/{}", rel.join("/")), path));
            }
        }
    }
    files.sort();
    // FNV-1a over names and contents: a new protoc gets a new directory.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (name, path) in &files {
        let bytes = fs::read(path).expect("read a vendored file");
        for b in name.bytes().chain(bytes) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        println!("cargo:rerun-if-changed={}", path.display());
    }
    let mut code = String::from("/// Files of the bundled protoc, relative to its directory.\n");
    code.push_str("pub(crate) const FILES: &[(&str, &[u8])] = &[\n");
    for (name, path) in &files {
        writeln!(
            code,
            "    ({name:?}, include_bytes!({:?})),",
            path.display().to_string()
        )
        .expect("write to a String");
    }
    code.push_str("];\n");
    writeln!(
        code,
        "/// Names the cache directory: protoc-bin-vendored's version and a hash of the files.\npub(crate) const KEY: &str = \"3.3.0-{hash:016x}\";\n/// The executable, relative to the directory.\npub(crate) const EXE: &str = \"bin/{exe}\";"
    )
    .expect("write to a String");
    code
}
