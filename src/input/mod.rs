//! Inputs: a .proto file or a directory of them, plus include roots, compiled
//! with protox into a [`Schema`] (with protoc where files use editions); or a
//! binary descriptor set.

pub mod descriptor_set;
pub mod error;
pub mod git;
pub mod pair;
pub(crate) mod pools;
pub mod protoc;
pub(crate) mod prune;
pub(crate) mod resolve;
pub mod snapshot;
pub mod workspace;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use miette::{Diagnostic, LabeledSpan, NamedSource};
use protox::file::{ChainFileResolver, File, FileResolver, GoogleFileResolver};

use crate::input::error::{CompileError, InputError};
use crate::input::resolve::{LoadError, Loader};
use crate::schema::span::{LocationIndex, Reread, SourceText};
use crate::schema::{FileSource, Schema, Side};

/// One side of a comparison as the user named it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A single `.proto` file.
    File(PathBuf),
    /// A directory: every `.proto` file beneath it is an input, named relative to it.
    Dir(PathBuf),
    /// A file or directory at a git revision (`git:REF:PATH`).
    Git(crate::input::git::GitInput),
    /// A binary `FileDescriptorSet` (`protoc -o`, `buf build -o`).
    DescriptorSet(PathBuf),
    /// A buf workspace: every module's files, named relative to their module root.
    Workspace(Arc<crate::config::workspace::Workspace>),
    /// `.proto` files held in memory, by import name (a schema a build
    /// script or a test has as text). Their imports resolve among them, then
    /// in the include roots.
    Memory(Arc<MemoryFiles>),
}

/// `.proto` files held in memory: import name (`shop/order.proto`) → text.
///
/// ```
/// use protocheck::input::{Input, MemoryFiles};
///
/// let files: MemoryFiles = [("shop/order.proto", "syntax = \"proto3\"; message Order {}")]
///     .into_iter()
///     .collect();
/// let input = Input::Memory(files.into());
/// assert!(!input.is_single_file());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemoryFiles {
    files: std::collections::BTreeMap<String, String>,
}

impl MemoryFiles {
    /// No files yet.
    pub fn new() -> MemoryFiles {
        MemoryFiles::default()
    }

    /// Adds (or replaces) the file `name` with `text`.
    pub fn with(mut self, name: impl Into<String>, text: impl Into<String>) -> MemoryFiles {
        self.files.insert(name.into(), text.into());
        self
    }

    /// The import names, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// The text of the file `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.files.get(name).map(String::as_str)
    }
}

impl<N: Into<String>, T: Into<String>> FromIterator<(N, T)> for MemoryFiles {
    fn from_iter<I: IntoIterator<Item = (N, T)>>(iter: I) -> MemoryFiles {
        MemoryFiles {
            files: iter
                .into_iter()
                .map(|(n, t)| (n.into(), t.into()))
                .collect(),
        }
    }
}

/// File name extensions taken for descriptor sets without looking inside.
const DESCRIPTOR_SET_EXTENSIONS: [&str; 5] = ["binpb", "pb", "desc", "bin", "protoset"];

impl Input {
    /// Classifies a path from the command line.
    pub fn from_path(side: Side, path: impl Into<PathBuf>) -> Result<Input, InputError> {
        let path = path.into();
        let meta = std::fs::metadata(&path).map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => InputError::Missing {
                side,
                path: path.clone(),
            },
            _ => InputError::Read {
                side,
                path: path.clone(),
                source,
            },
        })?;
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default();
        if meta.is_dir() {
            Ok(Input::Dir(path))
        } else if !meta.is_file() {
            Err(InputError::NotRegular {
                side,
                kind: kind_of(meta.file_type()),
                path,
            })
        } else if meta.len() > MAX_FILE {
            Err(InputError::TooLarge {
                side,
                path,
                size: meta.len(),
            })
        } else if ext == "proto" {
            Ok(Input::File(path))
        } else if DESCRIPTOR_SET_EXTENSIONS.contains(&ext) {
            Ok(Input::DescriptorSet(path))
        } else {
            // Any other file is a descriptor set if its content is one.
            let bytes = read_file(&path).map_err(|e| e.into_error(side, &path))?;
            if crate::input::descriptor_set::looks_like_descriptor_set(&bytes) {
                Ok(Input::DescriptorSet(path))
            } else {
                Err(InputError::NotProto { side, path })
            }
        }
    }

    /// Classifies an argument: `git:REF:PATH` (or `git:REF`, taking the path
    /// of `new` for `--against git:REF`) is read from git, anything else is a path.
    pub fn from_arg(side: Side, arg: &str, new: Option<&Path>) -> Result<Input, InputError> {
        if arg.starts_with("git:") {
            Ok(Input::Git(crate::input::git::GitInput::parse(
                side, arg, new,
            )?))
        } else {
            Input::from_path(side, arg)
        }
    }

    /// The path as given; for a git input, the path inside the repository.
    pub fn path(&self) -> &Path {
        match self {
            Input::File(p) | Input::Dir(p) | Input::DescriptorSet(p) => p,
            Input::Workspace(w) => &w.root,
            Input::Git(g) => Path::new(&g.path),
            Input::Memory(_) => Path::new(""),
        }
    }

    /// Whether this is one `.proto` file (two single files pair whatever
    /// their names).
    pub fn is_single_file(&self) -> bool {
        match self {
            Input::File(_) => true,
            Input::Dir(_) | Input::DescriptorSet(_) | Input::Workspace(_) | Input::Memory(_) => {
                false
            }
            Input::Git(g) => !g.is_dir,
        }
    }
}

use crate::files::{kind_of, read_file, ReadFailure, MAX_FILE};

impl ReadFailure {
    /// As an input error of `side`.
    pub(crate) fn into_error(self, side: Side, path: &Path) -> InputError {
        let path = path.to_path_buf();
        match self {
            ReadFailure::Missing => InputError::Missing { side, path },
            ReadFailure::Dir => InputError::Read {
                side,
                path,
                source: std::io::Error::other("a directory, not a file"),
            },
            ReadFailure::NotRegular(kind) => InputError::NotRegular { side, path, kind },
            ReadFailure::TooLarge(size) => InputError::TooLarge { side, path, size },
            ReadFailure::Io(source) => InputError::Read { side, path, source },
        }
    }
}

/// Why `-I path`, which is not a directory, cannot be an include root.
pub(crate) fn include_error(path: &Path) -> InputError {
    InputError::MissingInclude {
        path: path.to_path_buf(),
        problem: if path.exists() {
            "is not a directory"
        } else {
            "does not exist"
        },
    }
}

/// Reads files by import name from a list of roots, remembering each file's
/// text and path so findings and errors can show them.
struct RootsResolver {
    /// Files held in memory, looked up before the roots.
    memory: Option<Arc<MemoryFiles>>,
    roots: Vec<PathBuf>,
    /// Hand files to the compiler with only the source info of their options
    /// (the rest would be copied twice into its pool for nothing), large
    /// files without any (see [`LARGE_FILE`]); `stripped` is set when that
    /// happened.
    strip_large: bool,
    /// Keep the source info kept aside whole, comments and all (snapshots
    /// do); otherwise only its spans are kept (all the model needs).
    comments: bool,
    stripped: Arc<std::sync::atomic::AtomicBool>,
    seen: Arc<Mutex<HashMap<String, FileSource>>>,
    failure: Arc<Mutex<Option<InputError>>>,
    side: Side,
}

impl FileResolver for RootsResolver {
    fn open_file(&self, name: &str) -> Result<File, protox::Error> {
        let Some((display_path, text, path)) = self.read(name)? else {
            return Err(protox::Error::file_not_found(name));
        };
        let mut source = FileSource {
            display_path,
            revision: None,
            // Without comments (a check), the text is dropped once the file
            // has compiled and read again if a finding points into it.
            reread: path
                .filter(|_| !self.comments)
                .map(|p| Reread::new(p, &text)),
            text: Some(SourceText::new(text.as_str())),
            source_info: None,
            locations: None,
        };
        let file = if self.strip_large {
            // Parse errors still come with their span: parse first. The
            // descriptor is moved out, not cloned: its source info is
            // most of it (hundreds of MB for a file of tens of MB).
            File::from_source(name, &text).map(|parsed| {
                let mut fd = prost_types::FileDescriptorProto::from(parsed);
                source.source_info = fd.source_code_info.take().map(|mut info| {
                    if text.len() <= LARGE_FILE {
                        // prost-reflect only needs the locations of
                        // options (it rewrites their paths): the rest
                        // waits here, a placeholder marking each one
                        // it has (see `restore_source_info`).
                        let (options, rest) = split_option_locations(info);
                        fd.source_code_info = Some(options);
                        info = rest;
                    }
                    // Parsing grew it by doubling: give back the slack.
                    info.location.shrink_to_fit();
                    info
                });
                if !self.comments {
                    // Only the model needs it: its spans are all it
                    // keeps, in a fraction of the memory.
                    source.locations = source
                        .source_info
                        .take()
                        .map(|info| Arc::new(LocationIndex::new(Some(info))));
                }
                self.stripped
                    .store(true, std::sync::atomic::Ordering::Relaxed);
                File::from_file_descriptor_proto(fd)
            })
        } else {
            File::from_source(name, &text)
        };
        lock(&self.seen).insert(name.to_owned(), source);
        file
    }
}

impl RootsResolver {
    /// The file `name`: from memory, else from the first root that has it,
    /// as (its path as shown, its text, its path on disk); `None` if no root
    /// has it.
    #[allow(clippy::type_complexity)]
    fn read(&self, name: &str) -> Result<Option<(String, String, Option<PathBuf>)>, protox::Error> {
        if let Some(text) = self.memory.as_ref().and_then(|m| m.get(name)) {
            return Ok(Some((name.to_owned(), text.to_owned(), None)));
        }
        for root in &self.roots {
            let path = root.join(name);
            let bytes = match read_file(&path) {
                Ok(b) => b,
                Err(ReadFailure::Missing | ReadFailure::Dir) => continue,
                Err(e) => {
                    let err = e.into_error(self.side, Path::new(&display(&path)));
                    let msg = err.to_string();
                    lock(&self.failure).get_or_insert(err);
                    return Err(protox::Error::new(std::io::Error::other(msg)));
                }
            };
            return match String::from_utf8(bytes) {
                Ok(text) => Ok(Some((display(&path), text, Some(path)))),
                Err(_) => {
                    let err = InputError::NotUtf8 {
                        side: self.side,
                        path: path.clone(),
                    };
                    let msg = err.to_string();
                    lock(&self.failure).get_or_insert(err);
                    Err(protox::Error::new(std::io::Error::other(msg)))
                }
            };
        }
        Ok(None)
    }
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

pub(crate) fn display(path: &Path) -> String {
    let s = path.to_string_lossy();
    s.strip_prefix("./").unwrap_or(&s).to_owned()
}

/// Files larger than this are compiled without their source info and get it
/// back afterwards: prost-reflect rewrites source paths for every option it
/// resolves by scanning all of a file's locations, which is quadratic (about
/// 2 s for googleapis' 4 MB compute.proto, 40 ms without). Options in such
/// files are then located at their element.
const LARGE_FILE: usize = 256 * 1024;

/// Finds the input files and the roots to resolve names against.
pub(crate) fn plan(
    side: Side,
    input: &Input,
    includes: &[PathBuf],
) -> Result<(Vec<PathBuf>, Vec<String>), InputError> {
    for inc in includes {
        if !inc.is_dir() {
            return Err(include_error(inc));
        }
    }
    match input {
        Input::DescriptorSet(path) => Ok((Vec::new(), vec![display(path)])),
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
        Input::Git(_) => unreachable!("git inputs are planned by crate::input::git"),
        Input::Dir(dir) => {
            let names = proto_names(side, dir)?;
            if names.is_empty() {
                return Err(InputError::NoProtoFiles {
                    side,
                    path: dir.clone(),
                });
            }
            Ok((dir_roots(dir, includes), names))
        }
        Input::Workspace(ws) => {
            let (roots, names, _) = plan_workspace(side, ws, includes)?;
            Ok((roots, names))
        }
        Input::Memory(m) => Ok((includes.to_vec(), memory_names(side, m)?)),
    }
}

/// Where a directory input's imports are looked up: the directory, then the
/// include roots.
pub(crate) fn dir_roots(dir: &Path, includes: &[PathBuf]) -> Vec<PathBuf> {
    let mut roots = vec![dir.to_path_buf()];
    roots.extend(includes.iter().cloned());
    roots
}

/// The import names of files held in memory, each checked to be an import
/// path (so none can be written outside a directory it is joined to).
fn memory_names(side: Side, m: &MemoryFiles) -> Result<Vec<String>, InputError> {
    let names: Vec<String> = m.names().map(str::to_owned).collect();
    if let Some(bad) = names.iter().find(|n| !is_import_name(n)) {
        return Err(InputError::MemoryName {
            side,
            name: bad.clone(),
        });
    }
    if names.is_empty() {
        return Err(InputError::MemoryName {
            side,
            name: String::new(),
        });
    }
    Ok(names)
}

/// A workspace's roots, its files, and the module of each file.
pub(crate) type WorkspacePlan = (Vec<PathBuf>, Vec<String>, HashMap<String, usize>);

/// A workspace's roots (its modules, then its deps, then `includes`), its
/// files, and the module of each.
pub(crate) fn plan_workspace(
    side: Side,
    ws: &crate::config::workspace::Workspace,
    includes: &[PathBuf],
) -> Result<WorkspacePlan, InputError> {
    let mut module_of: HashMap<String, usize> = HashMap::new();
    let mut names = Vec::new();
    for (i, m) in ws.modules.iter().enumerate() {
        let dir = ws.root.join(&m.path);
        for name in proto_names(side, &dir)? {
            if !m.keeps(&name) {
                continue;
            }
            if let Some(&j) = module_of.get(&name) {
                return Err(InputError::from(crate::config::ConfigError {
                    message: format!(
                        "{side} file \"{name}\" is in two modules of {}: \"{}\" and \"{}\"",
                        ws.file.display(),
                        ws.modules[j].path,
                        m.path
                    ),
                    path: Some(ws.file.display().to_string()),
                    source_code: None,
                    labels: Vec::new(),
                    help: Some(
                        "an import path must name one file: exclude one of them, or move it"
                            .to_owned(),
                    ),
                }));
            }
            module_of.insert(name.clone(), i);
            names.push(name);
        }
    }
    if names.is_empty() {
        return Err(InputError::NoProtoFiles {
            side,
            path: ws.root.clone(),
        });
    }
    names.sort();
    let mut roots: Vec<PathBuf> = ws.modules.iter().map(|m| ws.root.join(&m.path)).collect();
    roots.extend(ws.dep_roots.iter().cloned());
    roots.extend(includes.iter().cloned());
    Ok((roots, names, module_of))
}

/// The `.proto` files beneath `dir`, by import name relative to it.
fn proto_names(side: Side, dir: &PathBuf) -> Result<Vec<String>, InputError> {
    // One import name per file: a file reached again through a
    // symbolic link (one to a parent directory, say) keeps its
    // shortest name.
    let mut found: Vec<(PathBuf, String)> = Vec::new();
    let mut through_link = false;
    for entry in walkdir::WalkDir::new(dir).follow_links(true) {
        let entry = match entry {
            Ok(e) => e,
            // A symlink loop is skipped, never followed.
            Err(e) if e.loop_ancestor().is_some() => continue,
            // A symbolic link that leads nowhere (to nothing, or
            // round in a circle) is ignored like any other
            // non-.proto file; under a .proto name it is an error.
            Err(e)
                if e.path().is_some_and(|p| {
                    p.extension().is_none_or(|x| x != "proto") && p.is_symlink()
                }) =>
            {
                continue
            }
            Err(e) => {
                let path = e.path().unwrap_or(dir).to_path_buf();
                let dangling = e
                    .io_error()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound);
                let source = match std::fs::read_link(&path) {
                    Ok(target) if dangling => std::io::Error::new(
                        std::io::ErrorKind::NotFound,
                        format!(
                            "a symbolic link to \"{}\", which does not exist",
                            target.display()
                        ),
                    ),
                    _ => e
                        .into_io_error()
                        .unwrap_or_else(|| std::io::Error::other("walk failed")),
                };
                return Err(InputError::Read { side, path, source });
            }
        };
        through_link |= entry.path_is_symlink();
        let t = entry.file_type();
        let is_proto = entry.path().extension().is_some_and(|e| e == "proto");
        if is_proto && !t.is_file() && !t.is_dir() {
            // Never opened: reading a named pipe blocks.
            return Err(InputError::NotRegular {
                side,
                path: entry.into_path(),
                kind: kind_of(t),
            });
        }
        if t.is_file() && is_proto {
            if let Some(name) = entry.path().strip_prefix(dir).ok().and_then(import_name) {
                found.push((entry.into_path(), name));
            }
        }
    }
    // Without a symbolic link on the way, every path is another file:
    // canonicalizing them (several system calls each) is only needed then.
    let mut names: Vec<String> = if !through_link {
        found.into_iter().map(|(_, name)| name).collect()
    } else {
        let mut by_file: HashMap<PathBuf, String> = HashMap::new();
        for (path, name) in found {
            let file = std::fs::canonicalize(&path).unwrap_or(path);
            let key = |n: &str| (n.matches('/').count(), n.to_owned());
            match by_file.get(&file) {
                Some(kept) if key(kept) <= key(&name) => {}
                _ => {
                    by_file.insert(file, name);
                }
            }
        }
        by_file.into_values().collect()
    };
    names.sort();
    names.dedup();
    Ok(names)
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
/// which win over any vendored `google/protobuf/*.proto`. Files written with
/// `edition = "…"` need protoc, found as [`compile_with`] says.
pub fn compile(side: Side, input: &Input, includes: &[PathBuf]) -> Result<Schema, InputError> {
    compile_with(side, input, includes, None)
}

/// [`compile`], with the protoc to use for editions files: `protoc` if given,
/// else the `PROTOC` environment variable, else `protoc` on `PATH`. A
/// descriptor set is decoded and validated instead.
pub fn compile_with(
    side: Side,
    input: &Input,
    includes: &[PathBuf],
    protoc: Option<&Path>,
) -> Result<Schema, InputError> {
    compile_only(side, input, includes, None, protoc, true)
}

/// Compiles one side, checking only the named input files when `only` is
/// given (the others may still be compiled as their imports). The descriptor
/// pool is kept on the schema only with `keep_pool` (the round trip needs it,
/// the check does not, and freeing it before the model is built lowers the
/// peak memory).
pub(crate) fn compile_only(
    side: Side,
    input: &Input,
    includes: &[PathBuf],
    only: Option<&HashSet<String>>,
    protoc: Option<&Path>,
    keep_pool: bool,
) -> Result<Schema, InputError> {
    if let Input::DescriptorSet(path) = input {
        return crate::input::descriptor_set::load_with(side, path, keep_pool);
    }
    // The model keeps no comments: they are dropped as each file is read.
    match compile_descriptors_only(side, input, includes, only, false, keep_pool) {
        Ok(c) => {
            let Compiled {
                files,
                targets,
                sources,
                pool,
            } = c;
            let pool = if keep_pool {
                pool
            } else {
                drop(pool);
                None
            };
            let mut schema = Schema::from_descriptors(side, files, &targets, &sources);
            schema.pool = pool;
            Ok(schema)
        }
        // protox does not parse editions: such a side goes to protoc (a git
        // revision's files are written out for it).
        Err(InputError::NoProtoc {
            side,
            path,
            edition,
        }) => {
            let Some((protoc, origin)) = crate::input::protoc::locate(protoc) else {
                return Err(InputError::NoProtoc {
                    side,
                    path,
                    edition,
                });
            };
            if let Input::Memory(m) = input {
                return compile_memory_with_protoc(
                    side,
                    m,
                    includes,
                    only,
                    (&protoc, origin),
                    keep_pool,
                );
            }
            if let Input::Git(g) = input {
                return crate::input::git::compile_with_protoc(
                    side,
                    g,
                    includes,
                    only,
                    (&protoc, origin),
                    keep_pool,
                );
            }
            let (roots, mut names) = plan(side, input, includes)?;
            if let Some(only) = only {
                names.retain(|n| only.contains(n));
            }
            crate::input::protoc::compile(side, &protoc, origin, &roots, &names, keep_pool)
        }
        Err(e) => Err(e),
    }
}

/// Whether `name` is an import path: relative, `/`-separated, ending in
/// `.proto`, with no empty, `.` or `..` part.
fn is_import_name(name: &str) -> bool {
    name.ends_with(".proto")
        && !name.contains(['\\', ':'])
        && name
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

/// Files in memory that use editions, compiled by protoc from a temporary
/// directory and shown by their import names.
fn compile_memory_with_protoc(
    side: Side,
    m: &MemoryFiles,
    includes: &[PathBuf],
    only: Option<&HashSet<String>>,
    (protoc, origin): (&Path, &'static str),
    keep_pool: bool,
) -> Result<Schema, InputError> {
    let unusable = |source: std::io::Error| InputError::ProtocUnusable {
        side,
        protoc: protoc.to_path_buf(),
        origin,
        source,
    };
    let tmp = tempfile::tempdir().map_err(unusable)?;
    let mut shown = HashMap::new();
    let mut names = memory_names(side, m)?;
    for name in &names {
        let path = tmp.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(unusable)?;
        }
        std::fs::write(&path, m.get(name).unwrap_or_default()).map_err(unusable)?;
        shown.insert(name.clone(), name.clone());
    }
    if let Some(only) = only {
        names.retain(|n| only.contains(n));
    }
    let mut roots = vec![tmp.path().to_path_buf()];
    roots.extend(includes.iter().cloned());
    crate::input::protoc::compile_shown(side, protoc, origin, &roots, &names, keep_pool, &shown)
}

/// What compiling one side gives before it becomes a [`Schema`]: the
/// descriptors (with source info, imports first), which of them were inputs,
/// and each file's path and text.
#[derive(Debug)]
pub struct Compiled {
    /// The file descriptors, imports before the files that import them.
    pub files: Vec<prost_types::FileDescriptorProto>,
    /// The import names of the input files (the others are only imported).
    pub targets: HashSet<String>,
    /// Each file's display path, revision and text, by import name.
    pub sources: HashMap<String, FileSource>,
    /// protox's descriptor pool, for encoding and decoding sample messages.
    pub pool: Option<prost_reflect::DescriptorPool>,
}

/// Compiles one side to descriptors with protox (`.proto` sources on disk or
/// at a git revision). Editions files, which protox cannot parse, give
/// [`InputError::NoProtoc`].
pub fn compile_descriptors(
    side: Side,
    input: &Input,
    includes: &[PathBuf],
) -> Result<Compiled, InputError> {
    compile_descriptors_only(side, input, includes, None, true, true)
}

fn compile_descriptors_only(
    side: Side,
    input: &Input,
    includes: &[PathBuf],
    only: Option<&HashSet<String>>,
    comments: bool,
    keep_pool: bool,
) -> Result<Compiled, InputError> {
    match input {
        Input::Git(g) => {
            return crate::input::git::compile_descriptors_with(side, g, includes, keep_pool)
        }
        Input::DescriptorSet(path) => {
            return Err(InputError::NotProto {
                side,
                path: path.clone(),
            })
        }
        Input::File(_) | Input::Dir(_) | Input::Workspace(_) | Input::Memory(_) => {}
    }
    let (roots, names) = match (input, only) {
        // The directory was listed when `only` was chosen from it: it is not
        // walked again (thousands of system calls in a large tree).
        (Input::Dir(dir), Some(only)) => {
            let mut names: Vec<String> = only.iter().cloned().collect();
            names.sort();
            (dir_roots(dir, includes), names)
        }
        _ => {
            let (roots, mut names) = plan(side, input, includes)?;
            if let Some(only) = only {
                names.retain(|n| only.contains(n));
            }
            (roots, names)
        }
    };
    let memory = match input {
        Input::Memory(m) => Some(m.clone()),
        _ => None,
    };
    let compile = |strip_large, comments| {
        compile_roots(
            side,
            memory.clone(),
            &roots,
            &names,
            strip_large,
            comments,
            keep_pool,
        )
    };
    let mut compiled = match compile(true, comments) {
        // A compile error while a large file was given without its source
        // info: compile again with it, for a diagnostic that points into it.
        Err((e @ InputError::NoProtoc { .. }, _)) => Err(e),
        Err((_, true)) => compile(false, true).map_err(|(e, _)| e),
        other => other.map_err(|(e, _)| e),
    }?;
    // Files were compiled without (most of) their source info: the
    // descriptors get it back (moved, not copied), as snapshots and the model
    // need it.
    for fd in &mut compiled.files {
        if let Some(src) = compiled.sources.get_mut(fd.name()) {
            if let Some(aside) = src.source_info.take() {
                fd.source_code_info = Some(restore_source_info(aside, fd.source_code_info.take()));
            }
        }
    }
    Ok(compiled)
}

/// Splits a file's source info into the locations of options (paths through
/// `uninterpreted_option`, field 999; a path that has 999 as an index is
/// taken too, which does no harm), which the compiler rewrites to the options'
/// resolved paths, and the rest, in which a placeholder (no path, no span)
/// stands for each location taken.
fn split_option_locations(
    info: prost_types::SourceCodeInfo,
) -> (prost_types::SourceCodeInfo, prost_types::SourceCodeInfo) {
    let mut options = Vec::new();
    let mut rest = info.location;
    for loc in &mut rest {
        if loc.path.contains(&999) {
            options.push(std::mem::take(loc));
        }
    }
    let options = prost_types::SourceCodeInfo { location: options };
    (options, prost_types::SourceCodeInfo { location: rest })
}

/// Puts the locations the compiler had (in their order, with their paths as
/// it rewrote them) back in place of the placeholders of `aside`: the source
/// info the compiler would have produced given all of it.
fn restore_source_info(
    mut aside: prost_types::SourceCodeInfo,
    compiled: Option<prost_types::SourceCodeInfo>,
) -> prost_types::SourceCodeInfo {
    let Some(compiled) = compiled else {
        return aside;
    };
    let mut kept = compiled.location.into_iter();
    for loc in &mut aside.location {
        if loc.span.is_empty() {
            match kept.next() {
                Some(k) => *loc = k,
                None => break,
            }
        }
    }
    // Real locations always have a span: what is left of the placeholders
    // (none, unless the compiler dropped locations) goes.
    aside.location.retain(|l| !l.span.is_empty());
    aside.location.extend(kept);
    aside
}

/// Compiles `names` from `roots`; on failure, also says whether a large file
/// was given without its source info.
fn compile_roots(
    side: Side,
    memory: Option<Arc<MemoryFiles>>,
    roots: &[PathBuf],
    names: &[String],
    strip_large: bool,
    comments: bool,
    keep_pool: bool,
) -> Result<Compiled, (InputError, bool)> {
    let stripped = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let seen = Arc::new(Mutex::new(HashMap::new()));
    let failure = Arc::new(Mutex::new(None));
    let resolver = RootsResolver {
        memory,
        roots: roots.to_vec(),
        strip_large,
        comments,
        stripped: stripped.clone(),
        seen: seen.clone(),
        failure: failure.clone(),
        side,
    };
    run_compiler(side, resolver, names.to_vec(), seen, failure, keep_pool)
        .map_err(|e| (e, stripped.load(std::sync::atomic::Ordering::Relaxed)))
}

/// Compiles `names` through `resolver`, which records each file it opens in
/// `seen` and the first error of its own in `failure`. A file that protox
/// cannot parse because it uses editions gives [`InputError::NoProtoc`]. Files
/// are loaded and their names resolved as protoc does ([`crate::input::resolve`]);
/// prost-reflect builds the descriptors from fully-qualified names.
pub(crate) fn run_compiler(
    side: Side,
    resolver: impl FileResolver + 'static,
    names: Vec<String>,
    seen: Arc<Mutex<HashMap<String, FileSource>>>,
    failure: Arc<Mutex<Option<InputError>>>,
    keep_pool: bool,
) -> Result<Compiled, InputError> {
    let mut chain = ChainFileResolver::new();
    chain.add(GoogleFileResolver::new());
    chain.add(resolver);
    let mut pools = crate::input::pools::Pools::new(keep_pool);
    let mut loader = Loader::new(
        |name: &str| {
            chain
                .open_file(name)
                .map(prost_types::FileDescriptorProto::from)
        },
        true,
        crate::input::resolve::Symbols::default(),
    );
    let mut add = |_, fd: prost_types::FileDescriptorProto| -> Result<(), LoadError> {
        let name = fd.name().to_owned();
        pools.add(fd).map_err(|e| {
            let text = e
                .file()
                .and_then(|f| lock(&seen).get(f).and_then(|s| s.text.clone()));
            let e = match text {
                Some(t) => e.with_source_code(t.text()),
                None => e,
            };
            LoadError::Protox(e.into())
        })?;
        // Compiled: its text can be read again when needed.
        if let Some(src) = lock(&seen).get_mut(&name) {
            if src.reread.is_some() {
                src.text = None;
            }
        }
        Ok(())
    };
    for name in &names {
        let Err(err) = loader.load(name, &mut add) else {
            continue;
        };
        if let Some(e) = lock(&failure).take() {
            return Err(e);
        }
        let err = match err {
            LoadError::Protox(err) => err,
            LoadError::At(problem) => {
                let seen = lock(&seen);
                let src = seen.get(&problem.file);
                let display = src.map_or(problem.file.clone(), |s| s.display_path.clone());
                let text = src.and_then(|s| s.text.as_ref());
                return Err(problem.into_error(side, &display, text).into());
            }
        };
        let editions = err.file().and_then(|name| {
            let seen = lock(&seen);
            let src = seen.get(name)?;
            let edition = crate::input::protoc::edition_of(src.text.as_ref()?.text())?;
            Some((src.display_path.clone(), edition))
        });
        if let Some((path, edition)) = editions {
            return Err(InputError::NoProtoc {
                side,
                path: PathBuf::from(path),
                edition,
            });
        }
        return Err(compile_error(side, &err, &lock(&seen)).into());
    }
    // Imports added for prost-reflect's sake are not the file's.
    let widened = std::mem::take(&mut loader.widened);
    drop(loader);
    let (mut files, pool) = pools.finish();
    for fd in &mut files {
        if let Some(&n) = widened.get(fd.name()) {
            fd.dependency.truncate(n);
        }
    }
    let targets: HashSet<String> = names.into_iter().collect();
    let sources = std::mem::take(&mut *lock(&seen));
    Ok(Compiled {
        files,
        targets,
        sources,
        pool,
    })
}

/// Re-wraps a protox error so that it names the file on disk, the side, and
/// the line and column.
pub(crate) fn compile_error(
    side: Side,
    err: &protox::Error,
    seen: &HashMap<String, FileSource>,
) -> CompileError {
    let message = err.to_string();
    let file = err
        .file()
        .and_then(|name| seen.get(name).map(|s| (name, s)));
    let mut labels: Vec<LabeledSpan> = err.labels().map(|l| l.collect()).unwrap_or_default();
    // The one parse error protox gives no place, "reached end of file", is
    // at the end of the file.
    if labels.is_empty() && err.is_parse() {
        if let Some(text) = file.and_then(|(_, s)| s.text.as_ref()) {
            labels.push(LabeledSpan::new(
                Some("the file ends here".to_owned()),
                text.text().len(),
                0,
            ));
        }
    }
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
