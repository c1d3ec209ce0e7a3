//! Inputs: a .proto file or a directory of them, plus include roots, compiled
//! with protox into a [`Schema`].

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use miette::{Diagnostic, LabeledSpan, NamedSource};
use protox::file::{ChainFileResolver, File, FileResolver, GoogleFileResolver};

use crate::error::{CompileError, Error};
use crate::schema::{FileSource, Schema, Side};
use crate::span::SourceText;

/// One side of a comparison as the user named it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A single `.proto` file.
    File(PathBuf),
    /// A directory: every `.proto` file beneath it is an input, named relative to it.
    Dir(PathBuf),
}

impl Input {
    /// Classifies a path from the command line.
    pub fn from_path(side: Side, path: impl Into<PathBuf>) -> Result<Input, Error> {
        let path = path.into();
        let meta = std::fs::metadata(&path).map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => Error::Missing {
                side,
                path: path.clone(),
            },
            _ => Error::Read {
                side,
                path: path.clone(),
                source,
            },
        })?;
        if meta.is_dir() {
            Ok(Input::Dir(path))
        } else if path.extension().is_some_and(|e| e == "proto") {
            Ok(Input::File(path))
        } else {
            Err(Error::NotProto { side, path })
        }
    }

    pub fn path(&self) -> &Path {
        match self {
            Input::File(p) | Input::Dir(p) => p,
        }
    }
}

/// Reads files by import name from a list of roots, remembering each file's
/// text and path so findings and errors can show them.
struct RootsResolver {
    roots: Vec<PathBuf>,
    seen: Arc<Mutex<HashMap<String, FileSource>>>,
    failure: Arc<Mutex<Option<Error>>>,
    side: Side,
}

impl FileResolver for RootsResolver {
    fn open_file(&self, name: &str) -> Result<File, protox::Error> {
        for root in &self.roots {
            let path = root.join(name);
            let bytes = match std::fs::read(&path) {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) if path.is_dir() => {
                    let _ = e;
                    continue;
                }
                Err(source) => {
                    let err = Error::Read {
                        side: self.side,
                        path: path.clone(),
                        source,
                    };
                    let msg = err.to_string();
                    lock(&self.failure).get_or_insert(err);
                    return Err(protox::Error::new(std::io::Error::other(msg)));
                }
            };
            let text = match String::from_utf8(bytes) {
                Ok(t) => t,
                Err(_) => {
                    let err = Error::NotUtf8 {
                        side: self.side,
                        path: path.clone(),
                    };
                    let msg = err.to_string();
                    lock(&self.failure).get_or_insert(err);
                    return Err(protox::Error::new(std::io::Error::other(msg)));
                }
            };
            lock(&self.seen).insert(
                name.to_owned(),
                FileSource {
                    display_path: display(&path),
                    text: Some(SourceText::new(text.as_str())),
                },
            );
            return File::from_source(name, &text);
        }
        Err(protox::Error::file_not_found(name))
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn display(path: &Path) -> String {
    let s = path.to_string_lossy();
    s.strip_prefix("./").unwrap_or(&s).to_owned()
}

/// Finds the input files and the roots to resolve names against.
fn plan(
    side: Side,
    input: &Input,
    includes: &[PathBuf],
) -> Result<(Vec<PathBuf>, Vec<String>), Error> {
    for inc in includes {
        if !inc.is_dir() {
            return Err(Error::MissingInclude { path: inc.clone() });
        }
    }
    match input {
        Input::File(path) => {
            // A file under an include root is named relative to that root, as protoc does.
            for inc in includes {
                if let Ok(rel) = path.strip_prefix(inc) {
                    if let Some(name) = import_name(rel) {
                        return Ok((includes.to_vec(), vec![name]));
                    }
                }
            }
            let parent = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .map(Path::to_path_buf)
                .unwrap_or_else(|| PathBuf::from("."));
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let mut roots = vec![parent];
            roots.extend(includes.iter().cloned());
            Ok((roots, vec![name]))
        }
        Input::Dir(dir) => {
            let mut names = Vec::new();
            for entry in walkdir::WalkDir::new(dir).follow_links(true) {
                let entry = match entry {
                    Ok(e) => e,
                    // A symlink loop is skipped, never followed.
                    Err(e) if e.loop_ancestor().is_some() => continue,
                    Err(e) => {
                        let path = e.path().unwrap_or(dir).to_path_buf();
                        return Err(Error::Read {
                            side,
                            path,
                            source: e
                                .into_io_error()
                                .unwrap_or_else(|| std::io::Error::other("walk failed")),
                        });
                    }
                };
                if entry.file_type().is_file()
                    && entry.path().extension().is_some_and(|e| e == "proto")
                {
                    if let Some(name) = entry.path().strip_prefix(dir).ok().and_then(import_name) {
                        names.push(name);
                    }
                }
            }
            if names.is_empty() {
                return Err(Error::NoProtoFiles {
                    side,
                    path: dir.clone(),
                });
            }
            names.sort();
            names.dedup();
            let mut roots = vec![dir.clone()];
            roots.extend(includes.iter().cloned());
            Ok((roots, names))
        }
    }
}

/// `a/b/c.proto` from a relative path, or `None` if it is not a plain relative path.
fn import_name(rel: &Path) -> Option<String> {
    let mut parts = Vec::new();
    for c in rel.components() {
        match c {
            std::path::Component::Normal(s) => parts.push(s.to_str()?.to_owned()),
            std::path::Component::CurDir => {}
            _ => return None,
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// Compiles one side. Well-known types come from protox's built-in copies,
/// which win over any vendored `google/protobuf/*.proto`.
pub fn compile(side: Side, input: &Input, includes: &[PathBuf]) -> Result<Schema, Error> {
    let (roots, names) = plan(side, input, includes)?;
    let seen = Arc::new(Mutex::new(HashMap::new()));
    let failure = Arc::new(Mutex::new(None));
    let mut chain = ChainFileResolver::new();
    chain.add(GoogleFileResolver::new());
    chain.add(RootsResolver {
        roots,
        seen: seen.clone(),
        failure: failure.clone(),
        side,
    });
    let mut compiler = protox::Compiler::with_file_resolver(chain);
    compiler.include_imports(true).include_source_info(true);
    for name in &names {
        if let Err(err) = compiler.open_file(name) {
            if let Some(e) = lock(&failure).take() {
                return Err(e);
            }
            return Err(compile_error(side, &err, &lock(&seen)).into());
        }
    }
    let fds = compiler.file_descriptor_set();
    let targets: HashSet<String> = names.into_iter().collect();
    let sources = std::mem::take(&mut *lock(&seen));
    let mut schema = Schema::from_descriptors(side, fds.file, &targets, &sources);
    schema.pool = Some(compiler.descriptor_pool());
    Ok(schema)
}

/// Re-wraps a protox error so that it names the file on disk, the side, and
/// the line and column.
fn compile_error(
    side: Side,
    err: &protox::Error,
    seen: &HashMap<String, FileSource>,
) -> CompileError {
    let message = err.to_string();
    let file = err
        .file()
        .and_then(|name| seen.get(name).map(|s| (name, s)));
    let labels: Vec<LabeledSpan> = err.labels().map(|l| l.collect()).unwrap_or_default();
    let mut related_help: Vec<String> = err
        .related()
        .map(|r| r.map(|d| d.to_string()).collect())
        .unwrap_or_default();
    related_help.retain(|m| m != &message);
    let help = (!related_help.is_empty()).then(|| related_help.join("; "));
    match file {
        Some((_, src)) => {
            let text = src.text.clone();
            // The error is where the primary label is, else at the last one
            // ("defined again here" after "first defined here").
            let at = labels.iter().find(|l| l.primary()).or(labels.last());
            let pos = match (&text, at) {
                (Some(t), Some(l)) => Some(t.line_col(l.offset())),
                _ => None,
            };
            let location = match pos {
                Some((line, col)) => format!("{}:{line}:{col}: ", src.display_path),
                None => format!("{}: ", src.display_path),
            };
            CompileError {
                side,
                location,
                message,
                path: Some(src.display_path.clone()),
                line: pos.map(|p| p.0),
                column: pos.map(|p| p.1),
                source_code: text.map(|t| {
                    NamedSource::new(src.display_path.clone(), t.text().clone())
                        .with_language("protobuf")
                }),
                labels,
                help,
            }
        }
        None => CompileError {
            side,
            location: err.file().map(|f| format!("{f}: ")).unwrap_or_default(),
            message,
            path: err.file().map(str::to_owned),
            line: None,
            column: None,
            source_code: None,
            labels: Vec::new(),
            help,
        },
    }
}
