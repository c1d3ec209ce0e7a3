//! Compiling a side with protoc, for `.proto` files protox cannot parse:
//! those written with `edition = "…"`. protoc writes a descriptor set with
//! source info and imports, which goes through the same validation and model
//! builder as a descriptor set given on the command line.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use miette::{LabeledSpan, NamedSource};

use crate::input::descriptor_set;
use crate::input::error::{CompileError, InputError};
use crate::schema::span::SourceText;
use crate::schema::{FileSource, Schema, Side};

/// The edition a file declares (`edition = "2023";` as its first statement),
/// if it uses editions.
pub fn edition_of(text: &str) -> Option<String> {
    let mut s = text.trim_start_matches('\u{feff}');
    loop {
        s = s.trim_start();
        if let Some(rest) = s.strip_prefix("//") {
            s = rest.split_once('\n').map_or("", |(_, r)| r);
        } else if let Some(rest) = s.strip_prefix("/*") {
            s = rest.split_once("*/").map_or("", |(_, r)| r);
        } else {
            break;
        }
    }
    let rest = s.strip_prefix("edition")?;
    if rest.starts_with(|c: char| c.is_alphanumeric() || c == '_') {
        return None;
    }
    let rest = rest.trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|&c| c == '"' || c == '\'')?;
    let rest = &rest[1..];
    Some(rest[..rest.find(quote)?].to_owned())
}

/// Where protoc is: `--protoc`, else `PROTOC` (as prost-build reads it), else
/// `protoc` on `PATH`, else the protoc bundled with this build (written once
/// to a per-user cache directory; see [`bundled`]). Returns the path and where
/// it came from.
pub fn locate(explicit: Option<&Path>) -> Option<(PathBuf, &'static str)> {
    if let Some(p) = explicit {
        return Some((p.to_path_buf(), "--protoc"));
    }
    if let Some(p) = std::env::var_os("PROTOC").filter(|p| !p.is_empty()) {
        return Some((PathBuf::from(p), "PROTOC"));
    }
    let exe = format!("protoc{}", std::env::consts::EXE_SUFFIX);
    let on_path = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(&exe))
            .find(|p| is_executable(p))
    });
    if let Some(p) = on_path {
        return Some((p, "PATH"));
    }
    bundled().ok().map(|p| (p, "bundled"))
}

/// Whether this build carries its own protoc (the `vendored-protoc`
/// feature, on a platform protoc-bin-vendored has a protoc for).
pub fn has_bundled() -> bool {
    cfg!(protocheck_vendored_protoc)
}

/// The protoc bundled with this build: protoc-bin-vendored's (protoc 36.2)
/// with its well-known types, written on first use to
/// `<cache>/protocheck/protoc-<key>/` (the cache is `$XDG_CACHE_HOME`, else
/// `~/.cache`; `~/Library/Caches` on macOS; `%LOCALAPPDATA%` on Windows;
/// `PROTOCHECK_CACHE_DIR` overrides it), atomically: the files go to a
/// temporary directory beside it that is then renamed into place, so a
/// concurrent run sees all of it or none.
pub fn bundled() -> std::io::Result<PathBuf> {
    bundled_in(&cache_dir()?)
}

#[cfg(protocheck_vendored_protoc)]
mod vendored {
    include!(concat!(env!("OUT_DIR"), "/vendored_protoc.rs"));
}

/// [`bundled`] under `cache` (which is created if needed).
#[cfg(protocheck_vendored_protoc)]
pub fn bundled_in(cache: &Path) -> std::io::Result<PathBuf> {
    let dir = cache.join(format!("protoc-{}", vendored::KEY));
    let exe = dir.join(vendored::EXE);
    if is_complete(&dir) {
        return Ok(exe);
    }
    std::fs::create_dir_all(cache)?;
    let tmp = tempfile::Builder::new()
        .prefix(".protoc-")
        .tempdir_in(cache)?;
    for (name, bytes) in vendored::FILES {
        let path = tmp.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, bytes)?;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            tmp.path().join(vendored::EXE),
            std::fs::Permissions::from_mode(0o755),
        )?;
    }
    let staged = tmp.keep();
    match std::fs::rename(&staged, &dir) {
        Ok(()) => Ok(exe),
        // Another run put it there first, or a broken copy is in the way.
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staged);
            if is_complete(&dir) {
                return Ok(exe);
            }
            if dir.exists() {
                // Incomplete (changed by hand): replace it.
                let aside = cache.join(format!(".protoc-old-{}", std::process::id()));
                std::fs::rename(&dir, &aside)?;
                let _ = std::fs::remove_dir_all(&aside);
                return bundled_in(cache);
            }
            Err(e)
        }
    }
}

/// Whether every bundled file is in `dir` with its size.
#[cfg(protocheck_vendored_protoc)]
fn is_complete(dir: &Path) -> bool {
    vendored::FILES.iter().all(|(name, bytes)| {
        std::fs::metadata(dir.join(name))
            .is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
    })
}

/// [`bundled`] under `cache`: this build has no bundled protoc.
#[cfg(not(protocheck_vendored_protoc))]
pub fn bundled_in(_cache: &Path) -> std::io::Result<PathBuf> {
    Err(std::io::Error::new(
        std::io::ErrorKind::NotFound,
        "this build of protocheck has no bundled protoc",
    ))
}

/// The per-user cache directory for protocheck's files.
fn cache_dir() -> std::io::Result<PathBuf> {
    let var = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(dir) = var("PROTOCHECK_CACHE_DIR") {
        return Ok(dir);
    }
    let base = if cfg!(windows) {
        var("LOCALAPPDATA")
    } else if cfg!(target_os = "macos") {
        var("HOME").map(|h| h.join("Library").join("Caches"))
    } else {
        var("XDG_CACHE_HOME").or_else(|| var("HOME").map(|h| h.join(".cache")))
    };
    base.map(|b| b.join("protocheck")).ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "no cache directory: set HOME, XDG_CACHE_HOME or PROTOCHECK_CACHE_DIR",
        )
    })
}

#[cfg(unix)]
fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(p: &Path) -> bool {
    p.is_file()
}

/// Compiles `names` (import names under `roots`) with protoc; with
/// `keep_pool`, the schema keeps a descriptor pool for the round trip.
pub fn compile(
    side: Side,
    protoc: &Path,
    origin: &'static str,
    roots: &[PathBuf],
    names: &[String],
    keep_pool: bool,
) -> Result<Schema, InputError> {
    compile_shown(
        side,
        protoc,
        origin,
        roots,
        names,
        keep_pool,
        &HashMap::new(),
    )
}

/// [`compile`], showing the files named in `shown` (import name → how to
/// show it) under that name instead of their path on disk (files of a git
/// revision, written out for protoc).
pub(crate) fn compile_shown(
    side: Side,
    protoc: &Path,
    origin: &'static str,
    roots: &[PathBuf],
    names: &[String],
    keep_pool: bool,
    shown: &HashMap<String, String>,
) -> Result<Schema, InputError> {
    let bytes = run(side, protoc, origin, roots, names, shown)?;
    let files = descriptor_set::decode(&bytes).map_err(|problem| InputError::ProtocFailed {
        side,
        protoc: protoc.to_path_buf(),
        message: format!("its output {problem}"),
    })?;
    let targets: HashSet<String> = names.iter().cloned().collect();
    let sources = Roots {
        dirs: absolute_roots(roots),
        shown,
    };
    let mut known = HashMap::new();
    for (f, _) in &files {
        if let Some(src) = sources.find(f.name()) {
            known.insert(f.name().to_owned(), src);
        }
    }
    Ok(Schema::from_files_with_pool(
        side, files, &targets, &known, keep_pool,
    ))
}

fn absolute_roots(roots: &[PathBuf]) -> Vec<PathBuf> {
    roots
        .iter()
        .map(|r| std::path::absolute(r).unwrap_or_else(|_| r.clone()))
        .collect()
}

/// Runs protoc on `names` and returns the descriptor set it wrote, with
/// source info and imports.
pub fn descriptor_set(
    side: Side,
    protoc: &Path,
    origin: &'static str,
    roots: &[PathBuf],
    names: &[String],
) -> Result<Vec<u8>, InputError> {
    run(side, protoc, origin, roots, names, &HashMap::new())
}

fn run(
    side: Side,
    protoc: &Path,
    origin: &'static str,
    roots: &[PathBuf],
    names: &[String],
    shown: &HashMap<String, String>,
) -> Result<Vec<u8>, InputError> {
    let unusable = |source: std::io::Error| InputError::ProtocUnusable {
        side,
        protoc: protoc.to_path_buf(),
        origin,
        source,
    };
    check_reachable(side, roots, names, shown)?;
    let tmp = tempfile::tempdir().map_err(unusable)?;
    let out = tmp.path().join("schema.binpb");
    // protoc runs in an empty directory, so a name can only resolve under
    // the roots; the roots are made absolute for that.
    let roots = absolute_roots(roots);
    // A relative path would be ambiguous once the directory changes.
    let program = if protoc.components().count() > 1 {
        std::path::absolute(protoc).unwrap_or_else(|_| protoc.to_path_buf())
    } else {
        protoc.to_path_buf()
    };
    let mut cmd = Command::new(program);
    cmd.current_dir(tmp.path())
        .arg("--include_imports")
        .arg("--include_source_info")
        .arg(format!("--descriptor_set_out={}", out.display()));
    for root in &roots {
        cmd.arg(format!("--proto_path={}", root.display()));
    }
    // As prost-build: PROTOC_INCLUDE holds the well-known types.
    if let Some(inc) = std::env::var_os("PROTOC_INCLUDE").filter(|p| !p.is_empty()) {
        cmd.arg(format!("--proto_path={}", PathBuf::from(inc).display()));
    }
    cmd.args(names);
    let output = cmd.output().map_err(unusable)?;
    let sources = Roots {
        dirs: roots.clone(),
        shown,
    };
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(failure(side, protoc, &stderr, &sources, output.status));
    }
    std::fs::read(&out).map_err(unusable)
}

/// Reads, as protoc will, the input files and every file they import
/// (found as protoc finds them, first root first), so a named pipe, a device
/// or an unreadable file is reported by name instead of blocking or failing
/// protoc. Imports are found by a scan for `import "…";`; a name that
/// resolves nowhere is left for protoc to report.
fn check_reachable(
    side: Side,
    roots: &[PathBuf],
    names: &[String],
    shown: &HashMap<String, String>,
) -> Result<(), InputError> {
    let mut seen: HashSet<String> = names.iter().cloned().collect();
    let mut queue: Vec<String> = names.to_vec();
    while let Some(name) = queue.pop() {
        let Some(path) = roots
            .iter()
            .map(|r| r.join(&name))
            .find(|p| std::fs::symlink_metadata(p).is_ok())
        else {
            continue;
        };
        let bytes = match crate::files::read_file(&path) {
            Ok(b) => b,
            // protoc says "not found" itself, with the importing line.
            Err(crate::files::ReadFailure::Missing) => continue,
            Err(e) => {
                let shown = shown.get(&name).map_or(path.clone(), PathBuf::from);
                return Err(e.into_error(side, &shown));
            }
        };
        for import in imports(&String::from_utf8_lossy(&bytes)) {
            if seen.insert(import.clone()) {
                queue.push(import);
            }
        }
    }
    Ok(())
}

/// The names in `import "…";` statements (also `import public`/`weak`),
/// outside comments.
fn imports(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim_start();
        let Some(rest) = line.strip_prefix("import") else {
            continue;
        };
        let rest = rest.trim_start();
        let rest = rest
            .strip_prefix("public")
            .or_else(|| rest.strip_prefix("weak"))
            .unwrap_or(rest)
            .trim_start();
        let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        if let Some((name, _)) = rest[1..].split_once(quote) {
            out.push(name.to_owned());
        }
    }
    out
}

/// Finds files by import name under the roots, first root first (as protoc).
struct Roots<'a> {
    dirs: Vec<PathBuf>,
    shown: &'a HashMap<String, String>,
}

impl Roots<'_> {
    fn find(&self, name: &str) -> Option<FileSource> {
        self.dirs.iter().find_map(|root| {
            let path = root.join(name);
            let text = String::from_utf8(crate::files::read_file(&path).ok()?).ok()?;
            Some(FileSource {
                display_path: self
                    .shown
                    .get(name)
                    .or_else(|| {
                        // protoc names files by their path on disk in errors.
                        let rel = path.strip_prefix(root).ok()?;
                        self.shown.get(rel.to_str()?)
                    })
                    .cloned()
                    .unwrap_or_else(|| display(&path)),
                revision: None,
                text: Some(SourceText::with_tab_columns(text)),
                reread: None,
                source_info: None,
                locations: None,
            })
        })
    }
}

/// The path as the user would write it: relative to the working directory
/// when it is under it.
fn display(path: &Path) -> String {
    let rel = std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf());
    rel.to_string_lossy().into_owned()
}

/// protoc's first error as a diagnostic pointing into the file; the other
/// lines become help.
fn failure(
    side: Side,
    protoc: &Path,
    stderr: &str,
    sources: &Roots,
    status: std::process::ExitStatus,
) -> InputError {
    let lines: Vec<&str> = stderr
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty() && !l.contains(": warning: "))
        .collect();
    let Some(first) = lines.first() else {
        return InputError::ProtocFailed {
            side,
            protoc: protoc.to_path_buf(),
            message: format!("it exited with {status} and printed no error"),
        };
    };
    let rest: Vec<String> = lines[1..].iter().map(|l| (*l).to_owned()).collect();
    let help = (!rest.is_empty()).then(|| rest.join("\n"));
    match parse_error_line(first) {
        Some((name, Some((line, col)), message)) => {
            let src = sources.find(&name);
            let display_path = src
                .as_ref()
                .map_or(name.clone(), |s| s.display_path.clone());
            let text = src.and_then(|s| s.text);
            let labels = text
                .as_ref()
                .map(|t| {
                    let off = t.offset_of_line_col(line, col);
                    vec![LabeledSpan::new_primary_with_span(
                        Some("here".to_owned()),
                        (off, 0),
                    )]
                })
                .unwrap_or_default();
            let column = text
                .as_ref()
                .map(|t| t.line_col(t.offset_of_line_col(line, col)).1)
                .unwrap_or(col);
            CompileError {
                side,
                location: format!("{display_path}:{line}:{column}: "),
                message,
                path: Some(display_path.clone()),
                line: Some(line),
                column: Some(column),
                source_code: text.map(|t| {
                    NamedSource::new(display_path, t.text().clone()).with_language("protobuf")
                }),
                labels,
                help,
            }
            .into()
        }
        Some((name, None, message)) => {
            let display_path = sources.find(&name).map_or(name, |s| s.display_path);
            CompileError {
                side,
                location: format!("{display_path}: "),
                message,
                path: Some(display_path),
                line: None,
                column: None,
                source_code: None,
                labels: Vec::new(),
                help,
            }
            .into()
        }
        None => InputError::ProtocFailed {
            side,
            protoc: protoc.to_path_buf(),
            message: lines.join("\n"),
        },
    }
}

/// A line of protoc's errors: the file, the 1-based line and column where
/// given, and the message.
type ErrorLine = (String, Option<(usize, usize)>, String);

/// `name:line:col: message` or `name: message`.
fn parse_error_line(l: &str) -> Option<ErrorLine> {
    // The name may itself hold colons (Windows paths); the numbers follow it.
    let mut parts = l.splitn(4, ':');
    let name = parts.next()?.to_owned();
    let second = parts.next()?;
    if let (Ok(line), Some(col)) = (second.parse::<usize>(), parts.next()) {
        if let Ok(col) = col.parse::<usize>() {
            let message = parts.next()?.trim().to_owned();
            return Some((name, Some((line, col)), message));
        }
    }
    let message = l[name.len() + 1..].trim().to_owned();
    (!name.contains(' ') && name.ends_with(".proto")).then_some((name, None, message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editions_are_recognised_after_comments() {
        assert_eq!(edition_of("edition = \"2023\";").as_deref(), Some("2023"));
        assert_eq!(
            edition_of("// c\n/* block\n */\n  edition='2024';\nmessage M {}").as_deref(),
            Some("2024")
        );
        assert_eq!(edition_of("syntax = \"proto3\";"), None);
        assert_eq!(edition_of("editions = \"2023\";"), None);
        assert_eq!(edition_of("message edition {}"), None);
    }

    #[cfg(protocheck_vendored_protoc)]
    #[test]
    fn the_bundled_protoc_is_written_whole_once_even_by_concurrent_runs() {
        let cache = tempfile::tempdir().unwrap();
        let paths: Vec<PathBuf> = std::thread::scope(|s| {
            let runs: Vec<_> = (0..4)
                .map(|_| s.spawn(|| bundled_in(cache.path()).unwrap()))
                .collect();
            runs.into_iter().map(|r| r.join().unwrap()).collect()
        });
        assert!(paths.windows(2).all(|w| w[0] == w[1]));
        let entries: Vec<_> = std::fs::read_dir(cache.path()).unwrap().collect();
        assert_eq!(entries.len(), 1, "no staging directory left behind");
        let out = Command::new(&paths[0]).arg("--version").output().unwrap();
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).trim(),
            "libprotoc 36.2"
        );
        // A copy damaged by hand is replaced.
        std::fs::write(&paths[0], b"truncated").unwrap();
        assert_eq!(bundled_in(cache.path()).unwrap(), paths[0]);
        assert!(is_complete(paths[0].parent().unwrap().parent().unwrap()));
        let out = Command::new(&paths[0]).arg("--version").output().unwrap();
        assert!(out.status.success());
    }

    #[test]
    fn protoc_error_lines_are_parsed() {
        assert_eq!(
            parse_error_line("shop/a.proto:5:3: \"Foo\" is not defined."),
            Some((
                "shop/a.proto".to_owned(),
                Some((5, 3)),
                "\"Foo\" is not defined.".to_owned()
            ))
        );
        assert_eq!(
            parse_error_line("shop/a.proto: File not found."),
            Some((
                "shop/a.proto".to_owned(),
                None,
                "File not found.".to_owned()
            ))
        );
        assert_eq!(parse_error_line("protoc: something odd"), None);
    }
}
