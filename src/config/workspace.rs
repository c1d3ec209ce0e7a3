//! buf workspaces as buf reads them: the module roots of a v2 `buf.yaml`
//! (`modules[].path`, `includes`, `excludes`), of a v1 `buf.work.yaml`
//! (`directories`, each with its own `buf.yaml`), of a v1beta1 `buf.yaml`
//! (`build.roots`, `build.excludes`), or the directory of a v1 `buf.yaml`;
//! each module's breaking configuration; and `deps:`, found in buf's module
//! cache or left to `-I`.
//!
//! Files are named by their import path (relative to their module root).
//! Paths in a `buf.yaml` are relative to the directory that holds it: for v2
//! the workspace, for a v1 module's own `buf.yaml` the module.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use crate::config::{module_relative, normalize_rel, Config, ConfigError};

/// One module: a root that import paths are relative to.
#[derive(Debug, Clone)]
pub struct Module {
    /// Relative to the workspace directory, `/`-separated; `.` for the directory itself.
    pub path: String,
    /// Workspace-relative directories the module is limited to (none: all of it).
    pub includes: Vec<String>,
    /// Workspace-relative directories left out of the module.
    pub excludes: Vec<String>,
    /// The module's breaking configuration (ignore paths relative to the module).
    pub config: Config,
}

impl Module {
    /// Whether the file at `rel` (relative to the module root) belongs to the module.
    pub fn keeps(&self, rel: &str) -> bool {
        keeps(&self.path, &self.includes, &self.excludes, rel)
    }
}

/// Whether the file at `rel` (relative to the module at `path`) belongs to it.
pub(crate) fn keeps(path: &str, includes: &[String], excludes: &[String], rel: &str) -> bool {
    let ws = if path == "." {
        rel.to_owned()
    } else {
        format!("{path}/{rel}")
    };
    let under = |dir: &String| dir == "." || ws == *dir || ws.starts_with(&format!("{dir}/"));
    !excludes.iter().any(under) && (includes.is_empty() || includes.iter().any(under))
}

/// A buf workspace on disk: its modules (import roots, each with its own
/// breaking configuration) and the roots of its `deps:`.
///
/// Two workspaces are equal when they come from the same file.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// The directory holding the `buf.yaml` or `buf.work.yaml`, as reached
    /// from the current directory.
    pub root: PathBuf,
    /// That file.
    pub file: PathBuf,
    /// The modules, in the order the file lists them.
    pub modules: Vec<Module>,
    /// Directories that hold the files of `deps:` (from buf's cache).
    pub dep_roots: Vec<PathBuf>,
    /// Top-level ignore paths of the buf.yaml that lie in no module.
    pub unplaced_ignores: Vec<String>,
    /// `deps:` that buf's cache does not hold and no `-I` was given for:
    /// (the buf.yaml, the dep). As buf does, they are an error only when an
    /// import does not resolve (see [`Workspace::missing_dep_error`]).
    pub missing_deps: Vec<(PathBuf, String)>,
}

impl PartialEq for Workspace {
    fn eq(&self, other: &Self) -> bool {
        self.root == other.root && self.file == other.file
    }
}

impl Eq for Workspace {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BufWork {
    #[allow(dead_code)]
    version: Option<String>,
    #[serde(default)]
    directories: Vec<String>,
}

/// The workspace file in `dir` itself: `buf.work.yaml`, else `buf.yaml`.
pub fn file_in(dir: &Path) -> Option<PathBuf> {
    ["buf.work.yaml", "buf.yaml"]
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.is_file())
}

/// The workspace that `dir` is in: the nearest `buf.work.yaml` in it or
/// its parents, else the nearest `buf.yaml`. The root keeps the form of
/// `dir` (`../..` from a subdirectory of a relative path).
pub fn find_upwards(dir: &Path) -> Option<PathBuf> {
    let abs = std::fs::canonicalize(dir).ok()?;
    let mut work = None;
    let mut yaml = None;
    let mut up = PathBuf::new();
    let mut d = Some(abs.as_path());
    while let Some(cur) = d {
        let rel = if up.as_os_str().is_empty() {
            dir.to_path_buf()
        } else {
            dir.join(&up)
        };
        if work.is_none() && cur.join("buf.work.yaml").is_file() {
            work = Some(rel.join("buf.work.yaml"));
        }
        if yaml.is_none() && cur.join("buf.yaml").is_file() {
            yaml = Some(rel.join("buf.yaml"));
        }
        up.push("..");
        d = cur.parent();
    }
    // A v2 buf.yaml is a workspace of its own; a buf.work.yaml above a v1
    // buf.yaml makes that a module of it.
    match (work, yaml) {
        (Some(w), Some(y)) if is_v2(&y) && depth(&y) < depth(&w) => Some(y),
        (Some(w), _) => Some(w),
        (None, y) => y,
    }
}

fn depth(p: &Path) -> usize {
    p.components()
        .filter(|c| matches!(c, std::path::Component::ParentDir))
        .count()
}

fn is_v2(p: &Path) -> bool {
    std::fs::read_to_string(p).is_ok_and(|t| {
        t.lines()
            .any(|l| l.trim_start().starts_with("version:") && l.contains("v2"))
    })
}

fn config_error(file: &Path, message: String, help: Option<String>) -> ConfigError {
    ConfigError {
        message,
        path: Some(file.display().to_string()),
        source_code: None,
        labels: Vec::new(),
        help,
    }
}

fn clean(p: &Path) -> PathBuf {
    let s = p.to_string_lossy();
    PathBuf::from(s.strip_prefix("./").unwrap_or(&s).to_owned())
}

impl Workspace {
    /// Reads the workspace described by `file` (a `buf.yaml` or `buf.work.yaml`).
    /// `includes` are the `-I` directories: with one, deps missing from buf's
    /// cache are taken to be there.
    pub fn load(file: &Path, includes: &[PathBuf]) -> Result<Workspace, ConfigError> {
        let root = clean(file.parent().unwrap_or(Path::new(".")));
        let root = if root.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            root
        };
        let mut modules = Vec::new();
        let mut unplaced_ignores = Vec::new();
        // (the buf.yaml, its deps, its directory relative to the workspace)
        let mut dep_sources: Vec<(PathBuf, Vec<String>, PathBuf)> = Vec::new();
        if file.file_name().is_some_and(|n| n == "buf.work.yaml") {
            let text = std::fs::read_to_string(file).map_err(|e| {
                config_error(
                    file,
                    format!("cannot read \"{}\": {e}", file.display()),
                    None,
                )
            })?;
            let work: BufWork = serde_yaml_ng::from_str(&text).map_err(|e| {
                let (line, col) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
                config_error(
                    file,
                    format!("invalid buf.work.yaml {}:{line}:{col}: {e}", file.display()),
                    Some("a buf.work.yaml holds `version: v1` and `directories:`".to_owned()),
                )
            })?;
            if work.directories.is_empty() {
                return Err(config_error(
                    file,
                    format!("{} lists no directories", file.display()),
                    Some("list the module roots under `directories:`".to_owned()),
                ));
            }
            for dir in &work.directories {
                let dir = normalize_rel(dir);
                let mdir = root.join(&dir);
                if !mdir.is_dir() {
                    return Err(config_error(
                        file,
                        format!(
                            "directory \"{dir}\" listed in {} does not exist",
                            file.display()
                        ),
                        None,
                    ));
                }
                let yaml = mdir.join("buf.yaml");
                let config = if yaml.is_file() {
                    Config::load(&yaml)?
                } else {
                    Config::default()
                };
                let layout = config.layout.clone().unwrap_or_default();
                dep_sources.push((yaml.clone(), layout.deps.clone(), mdir.clone()));
                if layout.modules.is_empty() {
                    modules.push(Module {
                        path: dir.clone(),
                        includes: Vec::new(),
                        excludes: Vec::new(),
                        config,
                    });
                }
                for m in layout.modules {
                    let join = |p: &String| {
                        if dir == "." {
                            p.clone()
                        } else if p == "." {
                            dir.clone()
                        } else {
                            format!("{dir}/{p}")
                        }
                    };
                    modules.push(Module {
                        path: join(&m.path),
                        includes: m.includes.iter().map(join).collect(),
                        excludes: m.excludes.iter().map(join).collect(),
                        config: m.config,
                    });
                }
            }
        } else {
            let config = Config::load(file)?;
            let layout = config.layout.clone().unwrap_or_default();
            unplaced_ignores = layout.unplaced.clone();
            dep_sources.push((file.to_path_buf(), layout.deps.clone(), root.clone()));
            for m in layout.modules {
                modules.push(Module {
                    path: m.path,
                    includes: m.includes,
                    excludes: m.excludes,
                    config: m.config,
                });
            }
        }
        for m in &modules {
            let dir = root.join(&m.path);
            if !dir.is_dir() {
                return Err(config_error(
                    file,
                    format!(
                        "module \"{}\" of {} does not exist (\"{}\")",
                        m.path,
                        file.display(),
                        dir.display()
                    ),
                    None,
                ));
            }
        }
        let mut dep_roots = Vec::new();
        let mut missing_deps = Vec::new();
        for (yaml, deps, dir) in dep_sources {
            for dep in deps {
                match cached_dep(&dir, &dep) {
                    Some(d) => dep_roots.push(d),
                    None if !includes.is_empty() => {}
                    None => missing_deps.push((yaml.clone(), dep)),
                }
            }
        }
        Ok(Workspace {
            root,
            file: clean(file),
            modules,
            dep_roots,
            unplaced_ignores,
            missing_deps,
        })
    }

    /// The error to give when an import does not resolve while a dep is
    /// neither cached nor given with `-I`: it names the dep (where the
    /// buf.yaml lists it), the two ways out, and the other missing deps.
    /// `None` when no dep is missing.
    pub fn missing_dep_error(&self) -> Option<ConfigError> {
        let (yaml, dep) = self.missing_deps.first()?;
        let mut c = missing_dep(yaml, dep);
        let others: Vec<String> = self.missing_deps[1..]
            .iter()
            .map(|(_, d)| format!("\"{d}\""))
            .collect();
        if !others.is_empty() {
            c.message
                .push_str(&format!(" (nor are {})", others.join(", ")));
        }
        Some(c)
    }

    /// Notes for deps that were missing but not needed: every import
    /// resolved without them (buf, too, needs a dep only for its files).
    pub fn unneeded_deps(&self) -> Vec<String> {
        self.missing_deps
            .iter()
            .map(|(yaml, dep)| {
                format!(
                    "dep \"{dep}\" ({}) is not in buf's module cache and no -I was given; every import resolved without it",
                    yaml.display()
                )
            })
            .collect()
    }

    /// Which module a workspace-relative path is in.
    pub fn module_at(&self, ws_path: &str) -> Option<usize> {
        self.modules
            .iter()
            .enumerate()
            .filter(|(_, m)| module_relative(&m.path, ws_path).is_some())
            .max_by_key(|(_, m)| m.path.len())
            .map(|(i, _)| i)
    }
}

/// The error for a dep that buf's cache does not hold and no `-I` supplies.
fn missing_dep(yaml: &Path, dep: &str) -> ConfigError {
    let text = std::fs::read_to_string(yaml).unwrap_or_default();
    let span = text.find(dep).map(|i| i..i + dep.len());
    let (line, col) = span.as_ref().map_or((1, 1), |s| {
        let before = &text[..s.start];
        (
            before.matches('\n').count() + 1,
            before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
        )
    });
    ConfigError {
        message: format!(
            "dep \"{dep}\" ({}:{line}:{col}) is not in buf's module cache ({})",
            yaml.display(),
            cache_dir()
                .map(|d| d.join("v3/modules").display().to_string())
                .unwrap_or_else(|| "no cache directory".to_owned())
        ),
        path: Some(yaml.display().to_string()),
        source_code: Some(Arc::new(miette::NamedSource::new(
            yaml.display().to_string(),
            Arc::<str>::from(text.as_str()),
        ))),
        labels: span
            .map(|s| vec![miette::LabeledSpan::new(Some("this dep".to_owned()), s.start, s.len())])
            .unwrap_or_default(),
        help: Some(
            "fill buf's cache once (`buf dep update` then `buf build`, with buf.lock beside the buf.yaml), \
             or give the directory holding the dep's .proto files with -I DIR"
                .to_owned(),
        ),
    }
}

/// buf's cache directory: `$BUF_CACHE_DIR`, else `$XDG_CACHE_HOME/buf`,
/// else `~/.cache/buf` (`~/Library/Caches/buf` on macOS, `%LocalAppData%\buf` on Windows).
pub fn cache_dir() -> Option<PathBuf> {
    let var = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(d) = var("BUF_CACHE_DIR") {
        return Some(d);
    }
    if let Some(d) = var("XDG_CACHE_HOME") {
        return Some(d.join("buf"));
    }
    if cfg!(windows) {
        return var("LOCALAPPDATA").map(|d| d.join("buf"));
    }
    let home = var("HOME")?;
    if cfg!(target_os = "macos") {
        Some(home.join("Library/Caches/buf"))
    } else {
        Some(home.join(".cache/buf"))
    }
}

/// The files of `dep` (`registry/owner/name[:label]`) in buf's cache, at the
/// commit `buf.lock` (in `dir`) pins: buf 1.75 keeps a module at
/// `v3/modules/<digest type>/<registry>/<owner>/<name>/<commit>/files/`, whole
/// once `info.json` beside `files/` is written.
pub fn cached_dep(dir: &Path, dep: &str) -> Option<PathBuf> {
    let name = dep.split(':').next()?.trim();
    let (commit, digest_type) = locked(dir, name)?;
    let base = cache_dir()?.join("v3").join("modules");
    let mut types = vec![digest_type];
    for t in ["b5", "b4"] {
        if !types.iter().any(|x| x == t) {
            types.push(t.to_owned());
        }
    }
    types.into_iter().find_map(|t| {
        let d = base.join(t).join(name).join(&commit);
        (d.join("info.json").is_file() && d.join("files").is_dir()).then(|| d.join("files"))
    })
}

/// The commit (dashless) and digest type `buf.lock` pins for a dep.
fn locked(dir: &Path, name: &str) -> Option<(String, String)> {
    let text = std::fs::read_to_string(dir.join("buf.lock")).ok()?;
    let lock: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).ok()?;
    let deps = lock.get("deps")?.as_sequence()?;
    for d in deps {
        let m: BTreeMap<String, String> = d
            .as_mapping()?
            .iter()
            .filter_map(|(k, v)| Some((k.as_str()?.to_owned(), v.as_str()?.to_owned())))
            .collect();
        let full = match m.get("name") {
            Some(n) => n.clone(),
            None => format!(
                "{}/{}/{}",
                m.get("remote")?,
                m.get("owner")?,
                m.get("repository")?
            ),
        };
        if full == name {
            let commit = m.get("commit")?.replace('-', "");
            let digest_type = match m.get("digest").and_then(|d| d.split_once(':')) {
                Some(("shake256", _)) => "b4".to_owned(),
                Some((t, _)) => t.to_owned(),
                None => "b5".to_owned(),
            };
            return Some((commit, digest_type));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module(path: &str, includes: &[&str], excludes: &[&str]) -> Module {
        Module {
            path: path.to_owned(),
            includes: includes.iter().map(|s| s.to_string()).collect(),
            excludes: excludes.iter().map(|s| s.to_string()).collect(),
            config: Config::default(),
        }
    }

    #[test]
    fn excludes_and_includes_are_workspace_relative() {
        let m = module("proto", &[], &["proto/acme/scratch"]);
        assert!(m.keeps("acme/a.proto"));
        assert!(!m.keeps("acme/scratch/b.proto"));
        assert!(m.keeps("acme/scratchy/b.proto"));
        let m = module(".", &["a"], &[]);
        assert!(m.keeps("a/x.proto"));
        assert!(!m.keeps("b/x.proto"));
    }
}
