//! The old schema as it is at a git revision (`git:REF:PATH`, `--against
//! git:REF`), read straight from the object database and compiled from memory:
//! the working tree and the index are never touched.
//!
//! It runs git's plumbing (`rev-parse`, `ls-tree`, one `cat-file --batch` for
//! the file contents), so it sees exactly what the user's git sees: worktrees,
//! alternates, partial and shallow clones, sha256 repositories, `safe.directory`.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::{Arc, Mutex};

use miette::Diagnostic;
use protox::file::{File, FileResolver};

use crate::input::error::InputError;
use crate::input::{self, Compiled};
use crate::schema::span::SourceText;
use crate::schema::{FileSource, Side};

/// A schema at a git revision: a `.proto` file or a directory of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitInput {
    /// As the user wrote it, e.g. `git:main:proto`.
    pub spec: String,
    /// The repository's top-level directory.
    pub repo: PathBuf,
    /// The revision as the user named it (`main`, `v1.0.0`, `HEAD~1`).
    pub rev: String,
    /// The commit it names.
    pub commit: String,
    /// The path inside the repository, `/`-separated; empty for its root.
    pub path: String,
    /// Whether `path` is a directory at that revision.
    pub is_dir: bool,
    /// When `path` is a buf workspace: its modules (paths relative to it).
    pub modules: Vec<GitModule>,
}

/// A module of a buf workspace read at a git revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitModule {
    /// Relative to the workspace, `/`-separated; `.` for the workspace itself.
    pub path: String,
    /// Workspace-relative directories the module is limited to.
    pub includes: Vec<String>,
    /// Workspace-relative directories left out.
    pub excludes: Vec<String>,
}

/// Why an input at a git revision (`git:REV`, `git:REV:PATH`) could not be
/// read; wrapped by [`InputError::Git`].
///
/// protocheck runs the user's `git` (plumbing only: `rev-parse`, `ls-tree`,
/// `cat-file`), so these are git's failures, with a help line each. More
/// variants may be added.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[non_exhaustive]
pub enum GitError {
    /// git could not be run (it is not installed or not on `PATH`).
    #[error("cannot run git for {side} input \"{spec}\": {message}")]
    #[diagnostic(
        code(protocheck::input::git::unavailable),
        help("install git, or pass the old schema as a directory or a file")
    )]
    NoGit {
        /// Which schema (old or new) the input belongs to.
        side: Side,
        /// The input as the user wrote it (`git:main:proto`).
        spec: String,
        /// What git printed, or why it could not be run.
        message: String,
    },

    /// The directory the spec names is not inside a git repository.
    #[error("{side} input \"{spec}\": \"{}\" is not in a git repository", dir.display())]
    #[diagnostic(
        code(protocheck::input::git::not_a_repository),
        help("run protocheck inside the repository, or pass the old schema as a path")
    )]
    NotARepository {
        /// Which schema (old or new) the input belongs to.
        side: Side,
        /// The input as the user wrote it (`git:main:proto`).
        spec: String,
        /// The directory git was run in.
        dir: PathBuf,
    },

    /// The revision names no commit in the repository (a shallow clone may not have it).
    #[error("{side} input \"{spec}\": unknown git revision \"{rev}\" in \"{}\"{}", repo.display(), if *shallow { " (a shallow clone)" } else { "" })]
    #[diagnostic(code(protocheck::input::git::unknown_revision), help("{help}"))]
    UnknownRevision {
        /// Which schema (old or new) the input belongs to.
        side: Side,
        /// The input as the user wrote it (`git:main:proto`).
        spec: String,
        /// The revision as the user named it (`main`, `v1.0.0`, `HEAD~1`).
        rev: String,
        /// The repository's top-level directory.
        repo: PathBuf,
        /// Whether the repository is a shallow clone (the commit may exist upstream).
        shallow: bool,
        /// What to do: fetch the revision, deepen the clone, check the name.
        help: String,
    },

    /// The path does not exist at the revision.
    #[error("{side} input \"{spec}\": \"{path}\" does not exist at git revision \"{rev}\"")]
    #[diagnostic(code(protocheck::input::git::no_such_path))]
    NoSuchPath {
        /// Which schema (old or new) the input belongs to.
        side: Side,
        /// The input as the user wrote it (`git:main:proto`).
        spec: String,
        /// The revision as the user named it (`main`, `v1.0.0`, `HEAD~1`).
        rev: String,
        /// The path inside the repository, `/`-separated.
        path: String,
    },

    /// The path lies outside the repository.
    #[error("{side} input \"{spec}\": \"{}\" is outside the git repository \"{}\"", path.display(), repo.display())]
    #[diagnostic(code(protocheck::input::git::outside_repository))]
    OutsideRepository {
        /// Which schema (old or new) the input belongs to.
        side: Side,
        /// The input as the user wrote it (`git:main:proto`).
        spec: String,
        /// The path as given.
        path: PathBuf,
        /// The repository's top-level directory.
        repo: PathBuf,
    },

    /// The path at the revision is neither a `.proto` file nor a directory.
    #[error("{side} input \"{spec}\": \"{path}\" at git revision \"{rev}\" is not a .proto file or a directory")]
    #[diagnostic(code(protocheck::input::git::not_proto))]
    NotProto {
        /// Which schema (old or new) the input belongs to.
        side: Side,
        /// The input as the user wrote it (`git:main:proto`).
        spec: String,
        /// The revision as the user named it (`main`, `v1.0.0`, `HEAD~1`).
        rev: String,
        /// The path inside the repository, `/`-separated.
        path: String,
    },

    /// A file at the revision imports a file that none of the import roots read there holds.
    #[error(transparent)]
    #[diagnostic(transparent)]
    MissingRoot(Box<MissingRoot>),

    /// A git command failed in another way.
    #[error("{side} input \"{spec}\": git {command} failed: {message}")]
    #[diagnostic(code(protocheck::input::git::failed))]
    Failed {
        /// Which schema (old or new) the input belongs to.
        side: Side,
        /// The input as the user wrote it (`git:main:proto`).
        spec: String,
        /// The git subcommand that failed (`ls-tree`, `cat-file`).
        command: String,
        /// What git printed, or why it could not be run.
        message: String,
    },
}

impl GitError {
    /// Which schema (old or new) the input belongs to.
    pub fn side(&self) -> Side {
        match self {
            GitError::NoGit { side, .. }
            | GitError::NotARepository { side, .. }
            | GitError::UnknownRevision { side, .. }
            | GitError::NoSuchPath { side, .. }
            | GitError::OutsideRepository { side, .. }
            | GitError::NotProto { side, .. }
            | GitError::Failed { side, .. } => *side,
            GitError::MissingRoot(m) => m.side,
        }
    }
}

impl From<GitError> for InputError {
    fn from(e: GitError) -> Self {
        InputError::Git(Box::new(e))
    }
}

/// An import the schema at a revision cannot find: a root is missing.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{side} input \"{spec}\": {location}imports \"{import}\", which is under none of the import roots read at git revision \"{rev}\" ({roots})")]
#[diagnostic(code(protocheck::input::git::missing_root), help("{help}"))]
pub struct MissingRoot {
    /// Which schema (old or new) the input belongs to.
    pub side: Side,
    /// The input as the user wrote it (`git:main:proto`).
    pub spec: String,
    /// The revision as the user named it.
    pub rev: String,
    /// `REV:path:line:col: ` of the importing file.
    pub location: String,
    /// The import that was not found (`shop/money.proto`).
    pub import: String,
    /// The import roots read at the revision, listed for the message.
    pub roots: String,
    /// Which root to add (an `--include`, a workspace module).
    pub help: String,
    /// The importing file's text, for the diagnostic's snippet.
    #[source_code]
    pub source_code: Option<miette::NamedSource<Arc<str>>>,
    /// The place of the import in `source_code`.
    #[label(collection)]
    pub labels: Vec<miette::LabeledSpan>,
}

/// Runs git commands for one input, turning failures into [`GitError`]s.
struct Git<'a> {
    side: Side,
    spec: &'a str,
    dir: PathBuf,
}

impl Git<'_> {
    fn command(&self) -> Command {
        let mut c = Command::new("git");
        c.arg("-C").arg(&self.dir);
        c.stdin(Stdio::null());
        c
    }

    /// Runs git; `Ok(None)` when it exits non-zero.
    fn try_run<S: AsRef<OsStr>>(&self, args: &[S]) -> Result<Option<Vec<u8>>, GitError> {
        let out = self
            .command()
            .args(args)
            .output()
            .map_err(|e| GitError::NoGit {
                side: self.side,
                spec: self.spec.to_owned(),
                message: e.to_string(),
            })?;
        Ok(out.status.success().then_some(out.stdout))
    }

    fn run<S: AsRef<OsStr>>(&self, args: &[S]) -> Result<Vec<u8>, GitError> {
        let out = self
            .command()
            .args(args)
            .output()
            .map_err(|e| GitError::NoGit {
                side: self.side,
                spec: self.spec.to_owned(),
                message: e.to_string(),
            })?;
        if out.status.success() {
            Ok(out.stdout)
        } else {
            Err(self.failed(args, &out.stderr))
        }
    }

    fn failed<S: AsRef<OsStr>>(&self, args: &[S], stderr: &[u8]) -> GitError {
        let command = args
            .iter()
            .take(1)
            .map(|a| a.as_ref().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join(" ");
        let message = String::from_utf8_lossy(stderr).trim().to_owned();
        GitError::Failed {
            side: self.side,
            spec: self.spec.to_owned(),
            command,
            message: if message.is_empty() {
                "no message".to_owned()
            } else {
                message
            },
        }
    }
}

/// Splits `git:REF:PATH` (or `git:REF`) into the revision and the path.
/// Revisions never contain `:` in protocheck's notation; use the commit id
/// for revision expressions that do.
pub fn split_spec(spec: &str) -> Option<(&str, Option<&str>)> {
    let rest = spec.strip_prefix("git:")?;
    Some(match rest.split_once(':') {
        Some((rev, path)) => (rev, Some(path)),
        None => (rest, None),
    })
}

/// Resolves `..` and `.` without touching the file system.
fn normalize(parts: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in parts {
        match p.as_str() {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            _ => out.push(p),
        }
    }
    out
}

fn components(path: &Path) -> Vec<String> {
    path.components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            Component::ParentDir => Some("..".to_owned()),
            _ => None,
        })
        .collect()
}

/// The repository that contains `dir`, as its top-level directory.
fn toplevel(git: &Git) -> Result<PathBuf, GitError> {
    match git.try_run(&["rev-parse", "--show-toplevel"])? {
        Some(out) => {
            let top = String::from_utf8_lossy(&out).trim().to_owned();
            if top.is_empty() {
                // A bare repository or the inside of .git.
                return Err(GitError::NotARepository {
                    side: git.side,
                    spec: git.spec.to_owned(),
                    dir: git.dir.clone(),
                });
            }
            Ok(PathBuf::from(top))
        }
        None => Err(GitError::NotARepository {
            side: git.side,
            spec: git.spec.to_owned(),
            dir: git.dir.clone(),
        }),
    }
}

/// A path on disk as a `/`-separated path inside the repository at `top`.
fn repo_relative(git: &Git, top: &Path, path: &Path) -> Result<String, GitError> {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    };
    // Canonicalize the longest existing ancestor, so symlinked checkouts
    // (macOS /tmp, say) still match git's top level.
    let mut existing = abs.as_path();
    let mut tail: Vec<String> = Vec::new();
    let base = loop {
        if let Ok(c) = std::fs::canonicalize(existing) {
            break c;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                tail.push(name.to_string_lossy().into_owned());
                existing = parent;
            }
            _ => break existing.to_path_buf(),
        }
    };
    tail.reverse();
    let top = std::fs::canonicalize(top).unwrap_or_else(|_| top.to_path_buf());
    let mut parts = components(&base);
    parts.extend(tail);
    let parts = normalize(parts);
    let top_parts = normalize(components(&top));
    if parts.len() < top_parts.len() || parts[..top_parts.len()] != top_parts[..] {
        return Err(GitError::OutsideRepository {
            side: git.side,
            spec: git.spec.to_owned(),
            path: path.to_path_buf(),
            repo: top,
        });
    }
    Ok(parts[top_parts.len()..].join("/"))
}

/// Resolves `rev` to a commit id, or says why it cannot.
fn resolve_commit(git: &Git, top: &Path, rev: &str) -> Result<String, GitError> {
    let peeled = format!("{rev}^{{commit}}");
    if let Some(out) = git.try_run(&[
        "rev-parse",
        "--verify",
        "--quiet",
        "--end-of-options",
        &peeled,
    ])? {
        let id = String::from_utf8_lossy(&out).trim().to_owned();
        if !id.is_empty() {
            return Ok(id);
        }
    }
    let shallow = git
        .try_run(&["rev-parse", "--is-shallow-repository"])?
        .is_some_and(|o| String::from_utf8_lossy(&o).trim() == "true");
    let full = "or clone with full history (actions/checkout: `fetch-depth: 0`; GitLab CI: `GIT_DEPTH: 0`)";
    let relative = rev.contains('~') || rev.contains('^');
    let help = match rev.split_once('/') {
        _ if shallow && relative => format!(
            "this clone has only part of the history: deepen it (`git fetch --deepen=50`), {full}"
        ),
        Some((remote, branch)) if !branch.is_empty() && shallow => format!(
            "this clone has only part of the history: fetch the branch \
             (`git fetch --depth=1 {remote} +refs/heads/{branch}:refs/remotes/{remote}/{branch}`), {full}"
        ),
        Some((remote, branch)) if !branch.is_empty() => format!(
            "fetch it first (`git fetch {remote} {branch}`); `git branch -a` and `git tag` list what exists"
        ),
        _ if shallow => format!(
            "this clone has only part of the history: fetch a tag with `git fetch --depth=1 origin tag {rev}`, \
             a branch with `git fetch --depth=1 origin +refs/heads/{rev}:refs/remotes/origin/{rev}` \
             (then use `git:origin/{rev}`), {full}"
        ),
        _ => "`git branch -a` and `git tag` list the names that exist; any revision `git rev-parse` accepts works".to_owned(),
    };
    Err(GitError::UnknownRevision {
        side: git.side,
        spec: git.spec.to_owned(),
        rev: rev.to_owned(),
        repo: top.to_path_buf(),
        shallow,
        help,
    })
}

impl GitInput {
    /// `git:REF:PATH` (PATH as git reads `REF:PATH`: from the repository's
    /// root, or from the current directory when it starts with `./` or
    /// `../`), or `git:REF` with the path of `default_path` (NEW's path on
    /// disk, for `--against git:REF`).
    pub fn parse(
        side: Side,
        spec: &str,
        default_path: Option<&Path>,
    ) -> Result<GitInput, InputError> {
        let Some((rev, path)) = split_spec(spec) else {
            return Err(InputError::Git(Box::new(GitError::Failed {
                side,
                spec: spec.to_owned(),
                command: "input".to_owned(),
                message: "expected git:REF or git:REF:PATH".to_owned(),
            })));
        };
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        // The repository is the one holding NEW, or the current directory.
        let dir = match (path, default_path) {
            (None, Some(p)) => {
                let d = if p.is_dir() {
                    p.to_path_buf()
                } else {
                    p.parent()
                        .filter(|d| !d.as_os_str().is_empty())
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|| PathBuf::from("."))
                };
                if d.is_dir() {
                    d
                } else {
                    cwd.clone()
                }
            }
            _ => cwd.clone(),
        };
        let git = Git {
            side,
            spec,
            dir: dir.clone(),
        };
        if rev.is_empty() {
            return Err(GitError::UnknownRevision {
                side,
                spec: spec.to_owned(),
                rev: String::new(),
                repo: dir,
                shallow: false,
                help: "name a branch, a tag or a commit: `git:main`, `git:v1.0.0:proto`".to_owned(),
            }
            .into());
        }
        let top = toplevel(&git)?;
        let git = Git {
            side,
            spec,
            dir: top.clone(),
        };
        let rel = match (path, default_path) {
            (Some(p), _)
                if p.starts_with("./") || p.starts_with("../") || p == "." || p == ".." =>
            {
                repo_relative(&git, &top, &cwd.join(p))?
            }
            (Some(p), _) => normalize(p.split('/').map(str::to_owned)).join("/"),
            (None, Some(p)) => repo_relative(&git, &top, p)?,
            (None, None) => String::new(),
        };
        let commit = resolve_commit(&git, &top, rev)?;
        let object = if rel.is_empty() {
            format!("{commit}^{{tree}}")
        } else {
            format!("{commit}:{rel}")
        };
        let kind = git
            .try_run(&["cat-file", "-t", "--end-of-options", &object])?
            .map(|o| String::from_utf8_lossy(&o).trim().to_owned());
        let is_dir = match kind.as_deref() {
            Some("tree") => true,
            Some("blob") if rel.ends_with(".proto") => false,
            Some(_) => {
                return Err(GitError::NotProto {
                    side,
                    spec: spec.to_owned(),
                    rev: rev.to_owned(),
                    path: rel,
                }
                .into())
            }
            None => {
                return Err(GitError::NoSuchPath {
                    side,
                    spec: spec.to_owned(),
                    rev: rev.to_owned(),
                    path: if rel.is_empty() { ".".to_owned() } else { rel },
                }
                .into())
            }
        };
        Ok(GitInput {
            spec: spec.to_owned(),
            repo: top,
            rev: rev.to_owned(),
            commit,
            path: rel,
            is_dir,
            modules: Vec::new(),
        })
    }

    /// How a file at this revision is shown: `REV:path`, as `git show` takes it.
    pub fn display(&self, repo_path: &str) -> String {
        format!("{}:{repo_path}", self.rev)
    }

    fn git(&self, side: Side) -> Git<'_> {
        Git {
            side,
            spec: &self.spec,
            dir: self.repo.clone(),
        }
    }

    /// Blobs beneath `path` at the commit: repo path → object id.
    fn list(&self, side: Side, path: &str) -> Result<Vec<(String, String)>, GitError> {
        let mut args = vec![
            "ls-tree".to_owned(),
            "-r".to_owned(),
            "-z".to_owned(),
            "--full-tree".to_owned(),
            self.commit.clone(),
        ];
        if !path.is_empty() {
            args.push("--".to_owned());
            args.push(path.to_owned());
        }
        let out = self.git(side).run(&args)?;
        let mut files = Vec::new();
        for entry in out.split(|&b| b == 0) {
            let entry = String::from_utf8_lossy(entry);
            let Some((meta, name)) = entry.split_once('\t') else {
                continue;
            };
            let mut meta = meta.split(' ');
            let (Some(mode), Some(kind), Some(id)) = (meta.next(), meta.next(), meta.next()) else {
                continue;
            };
            // Regular files only: symlinks (120000) and submodules are skipped.
            if kind == "blob" && (mode == "100644" || mode == "100755") {
                files.push((name.to_owned(), id.to_owned()));
            }
        }
        Ok(files)
    }
}

/// One `git cat-file --batch` process, asked for one object at a time.
struct CatFile {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
}

impl CatFile {
    fn start(repo: &Path) -> std::io::Result<CatFile> {
        let mut child = Command::new("git")
            .arg("-C")
            .arg(repo)
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let stdin = child
            .stdin
            .take()
            .ok_or_else(|| std::io::Error::other("no stdin"))?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| std::io::Error::other("no stdout"))?;
        Ok(CatFile {
            child,
            stdin: Some(stdin),
            stdout: BufReader::new(stdout),
        })
    }

    /// The contents of a blob, or `None` if it is missing.
    fn read(&mut self, id: &str) -> std::io::Result<Option<Vec<u8>>> {
        let stdin = self
            .stdin
            .as_mut()
            .ok_or_else(|| std::io::Error::other("git cat-file is closed"))?;
        writeln!(stdin, "{id}")?;
        stdin.flush()?;
        let mut header = String::new();
        if self.stdout.read_line(&mut header)? == 0 {
            return Err(std::io::Error::other("git cat-file ended early"));
        }
        let mut parts = header.split_whitespace();
        let (_, kind, size) = (parts.next(), parts.next(), parts.next());
        if kind == Some("missing") || kind == Some("ambiguous") {
            return Ok(None);
        }
        let size: usize = size
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| std::io::Error::other(format!("unexpected reply: {}", header.trim())))?;
        let mut data = vec![0; size];
        self.stdout.read_exact(&mut data)?;
        let mut newline = [0u8; 1];
        self.stdout.read_exact(&mut newline)?;
        Ok(Some(data))
    }
}

impl Drop for CatFile {
    fn drop(&mut self) {
        // Closing its input ends git; reap it.
        drop(self.stdin.take());
        let _ = self.child.wait();
    }
}

/// Where import names are looked up, in order.
pub(crate) enum Root {
    /// A directory at the revision: import name → (repo path, object id).
    Tree(HashMap<String, (String, String)>),
    /// A directory on disk (an include root outside the repository, or one
    /// the revision does not have).
    Disk(PathBuf),
}

struct GitResolver {
    input: GitInput,
    roots: Vec<Root>,
    cat: Mutex<Option<CatFile>>,
    seen: Arc<Mutex<HashMap<String, FileSource>>>,
    failure: Arc<Mutex<Option<InputError>>>,
    side: Side,
}

impl GitResolver {
    fn fail(&self, err: InputError) -> protox::Error {
        let msg = err.to_string();
        input::lock(&self.failure).get_or_insert(err);
        protox::Error::new(std::io::Error::other(msg))
    }

    fn blob(&self, id: &str) -> Result<Option<Vec<u8>>, InputError> {
        let mut cat = input::lock(&self.cat);
        if cat.is_none() {
            *cat = Some(
                CatFile::start(&self.input.repo).map_err(|e| GitError::NoGit {
                    side: self.side,
                    spec: self.input.spec.clone(),
                    message: e.to_string(),
                })?,
            );
        }
        let Some(c) = cat.as_mut() else {
            return Ok(None);
        };
        c.read(id).map_err(|e| {
            GitError::Failed {
                side: self.side,
                spec: self.input.spec.clone(),
                command: "cat-file".to_owned(),
                message: e.to_string(),
            }
            .into()
        })
    }

    fn found(&self, name: &str, display: String, bytes: Vec<u8>) -> Result<File, protox::Error> {
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(_) => {
                return Err(self.fail(InputError::NotUtf8 {
                    side: self.side,
                    path: PathBuf::from(display),
                }))
            }
        };
        input::lock(&self.seen).insert(
            name.to_owned(),
            FileSource {
                revision: display
                    .starts_with(&format!("{}:", self.input.rev))
                    .then(|| self.input.rev.clone()),
                display_path: display,
                text: Some(SourceText::new(text.as_str())),
                reread: None,
                source_info: None,
                locations: None,
            },
        );
        File::from_source(name, &text)
    }
}

impl FileResolver for GitResolver {
    fn open_file(&self, name: &str) -> Result<File, protox::Error> {
        for root in &self.roots {
            match root {
                Root::Tree(files) => {
                    let Some((repo_path, id)) = files.get(name) else {
                        continue;
                    };
                    match self.blob(id) {
                        Ok(Some(bytes)) => {
                            return self.found(name, self.input.display(repo_path), bytes)
                        }
                        // Not in this (partial) clone: try the next root.
                        Ok(None) => continue,
                        Err(e) => return Err(self.fail(e)),
                    }
                }
                Root::Disk(dir) => {
                    let path = dir.join(name);
                    match crate::files::read_file(&path) {
                        Ok(bytes) => return self.found(name, input::display(&path), bytes),
                        Err(
                            crate::files::ReadFailure::Missing | crate::files::ReadFailure::Dir,
                        ) => continue,
                        Err(e) => return Err(self.fail(e.into_error(self.side, &path))),
                    }
                }
            }
        }
        Err(protox::Error::file_not_found(name))
    }
}

/// A compile error of the schema at the revision that is an import not
/// found: the schema is not at fault, a root is missing. Says which roots
/// were read and how to add the missing one.
pub(crate) fn explain_missing_import(
    e: InputError,
    g: &GitInput,
    includes: &[PathBuf],
) -> InputError {
    let InputError::Compile(c) = e else {
        return e;
    };
    let import = c
        .message
        .strip_prefix("import '")
        .and_then(|m| m.strip_suffix("' not found"))
        .map(str::to_owned);
    let Some(import) = import else {
        return InputError::Compile(c);
    };
    let join = |p: &str| match (g.path.as_str(), p) {
        ("", p) => p.to_owned(),
        (base, ".") => base.to_owned(),
        (base, p) => format!("{base}/{p}"),
    };
    let mut roots: Vec<String> = if g.modules.is_empty() {
        vec![format!(
            "\"{}\"",
            if g.path.is_empty() { "." } else { &g.path }
        )]
    } else {
        g.modules
            .iter()
            .map(|m| format!("\"{}\"", join(&m.path)))
            .collect()
    };
    roots.extend(includes.iter().map(|i| format!("-I \"{}\"", i.display())));
    let c = *c;
    InputError::Git(Box::new(GitError::MissingRoot(Box::new(MissingRoot {
        side: c.side,
        spec: g.spec.clone(),
        rev: g.rev.clone(),
        location: c.location,
        import: import.clone(),
        roots: roots.join(", "),
        help: format!(
            "the schema at \"{}\" is not at fault: the directory \"{import}\" is relative to is not a root. \
             If it is in the repository, pass that directory with -I DIR (it is read at the revision too); \
             if it belongs to another module of a buf workspace, run protocheck in the workspace (where buf.yaml is), \
             which reads every module; if it is a buf dep, pass its files with -I DIR or fill buf's cache",
            g.rev
        ),
        source_code: c.source_code,
        labels: c.labels,
    }))))
}

/// Import name of `repo_path` under the directory `prefix` (empty: the root).
fn under(prefix: &str, repo_path: &str) -> Option<String> {
    if prefix.is_empty() {
        return Some(repo_path.to_owned());
    }
    repo_path
        .strip_prefix(prefix)
        .and_then(|r| r.strip_prefix('/'))
        .map(str::to_owned)
}

fn tree_root(files: &[(String, String)], prefix: &str) -> Root {
    Root::Tree(
        files
            .iter()
            .filter_map(|(p, id)| under(prefix, p).map(|n| (n, (p.clone(), id.clone()))))
            .collect(),
    )
}

/// Compiles the schema at the revision. Include roots inside the repository
/// are read at the revision too; others (and ones the revision lacks) from disk.
pub fn compile_descriptors(
    side: Side,
    g: &GitInput,
    includes: &[PathBuf],
) -> Result<Compiled, InputError> {
    compile_descriptors_with(side, g, includes, true)
}

/// [`compile_descriptors`], giving back the descriptor pool only with
/// `keep_pool` (see `crate::input::pools`).
pub(crate) fn compile_descriptors_with(
    side: Side,
    g: &GitInput,
    includes: &[PathBuf],
    keep_pool: bool,
) -> Result<Compiled, InputError> {
    let (names, roots) = plan(side, g, includes)?;
    let seen = Arc::new(Mutex::new(HashMap::new()));
    let failure = Arc::new(Mutex::new(None));
    let resolver = GitResolver {
        input: g.clone(),
        roots,
        cat: Mutex::new(None),
        seen: seen.clone(),
        failure: failure.clone(),
        side,
    };
    input::run_compiler(side, resolver, names, seen, failure, keep_pool)
}

/// Compiles the schema at the revision with protoc (for editions files,
/// which protox cannot parse): the `.proto` files of each root at the
/// revision are written to a temporary directory for protoc, and shown as
/// `REV:path`. `only` keeps just those input files.
pub(crate) fn compile_with_protoc(
    side: Side,
    g: &GitInput,
    includes: &[PathBuf],
    only: Option<&std::collections::HashSet<String>>,
    (protoc, origin): (&Path, &'static str),
    keep_pool: bool,
) -> Result<crate::schema::Schema, InputError> {
    let (mut names, roots) = plan(side, g, includes)?;
    if let Some(only) = only {
        names.retain(|n| only.contains(n));
    }
    let unusable = |source: std::io::Error| InputError::ProtocUnusable {
        side,
        protoc: protoc.to_path_buf(),
        origin,
        source,
    };
    let tmp = tempfile::tempdir().map_err(unusable)?;
    let resolver = GitResolver {
        input: g.clone(),
        roots: Vec::new(),
        cat: Mutex::new(None),
        seen: Arc::new(Mutex::new(HashMap::new())),
        failure: Arc::new(Mutex::new(None)),
        side,
    };
    let mut dirs: Vec<PathBuf> = Vec::new();
    // Import name → `REV:path`, for the names whose first root (as protoc
    // searches them) is the revision's tree.
    let mut shown: HashMap<String, String> = HashMap::new();
    for (i, root) in roots.iter().enumerate() {
        match root {
            Root::Disk(dir) => dirs.push(dir.clone()),
            Root::Tree(files) => {
                let dir = tmp.path().join(i.to_string());
                for (name, (repo_path, id)) in files {
                    if !name.ends_with(".proto") || shown.contains_key(name) {
                        continue;
                    }
                    if dirs.iter().any(|d| d.join(name).is_file()) {
                        continue;
                    }
                    // Not in this (partial) clone: protoc will say so.
                    let Some(bytes) = resolver.blob(id)? else {
                        continue;
                    };
                    let path = dir.join(name);
                    if let Some(parent) = path.parent() {
                        std::fs::create_dir_all(parent).map_err(unusable)?;
                    }
                    std::fs::write(&path, bytes).map_err(unusable)?;
                    shown.insert(name.clone(), g.display(repo_path));
                }
                dirs.push(dir);
            }
        }
    }
    let mut schema = crate::input::protoc::compile_shown(
        side, protoc, origin, &dirs, &names, keep_pool, &shown,
    )?;
    let prefix = format!("{}:", g.rev);
    for f in &mut schema.files {
        if f.display_path.starts_with(&prefix) {
            f.revision = Some(g.rev.clone());
        }
    }
    Ok(schema)
}

/// A workspace's files, its roots, and the module of each file.
pub(crate) type ModulePlan = (Vec<String>, Vec<Root>, HashMap<String, usize>);

/// A workspace at the revision: its files, one root per module, and the
/// module of each file.
pub(crate) fn plan_modules(side: Side, g: &GitInput) -> Result<ModulePlan, InputError> {
    let files = g.list(side, &g.path)?;
    let mut names = Vec::new();
    let mut roots = Vec::new();
    let mut module_of = HashMap::new();
    for (i, m) in g.modules.iter().enumerate() {
        let prefix = match (g.path.as_str(), m.path.as_str()) {
            (p, ".") => p.to_owned(),
            ("", m) => m.to_owned(),
            (p, m) => format!("{p}/{m}"),
        };
        for (p, _) in &files {
            if !p.ends_with(".proto") {
                continue;
            }
            let Some(name) = under(&prefix, p) else {
                continue;
            };
            if crate::config::workspace::keeps(&m.path, &m.includes, &m.excludes, &name)
                && !module_of.contains_key(&name)
            {
                module_of.insert(name.clone(), i);
                names.push(name);
            }
        }
        roots.push(tree_root(&files, &prefix));
    }
    names.sort();
    if names.is_empty() {
        return Err(InputError::NoProtoFiles {
            side,
            path: PathBuf::from(g.display(&g.path)),
        });
    }
    Ok((names, roots, module_of))
}

/// The input files and the roots to find them and their imports in.
fn plan(
    side: Side,
    g: &GitInput,
    includes: &[PathBuf],
) -> Result<(Vec<String>, Vec<Root>), InputError> {
    for inc in includes {
        if !inc.is_dir() {
            return Err(input::include_error(inc));
        }
    }
    let git = g.git(side);
    let mut include_roots = Vec::new();
    for inc in includes {
        let root = match repo_relative(&git, &g.repo, inc) {
            Ok(rel) => {
                let files = g.list(side, &rel)?;
                if files.is_empty() {
                    Root::Disk(inc.clone())
                } else {
                    tree_root(&files, &rel)
                }
            }
            Err(_) => Root::Disk(inc.clone()),
        };
        include_roots.push((inc, root));
    }
    let (names, mut roots) = if g.is_dir && !g.modules.is_empty() {
        let (names, roots, _) = plan_modules(side, g)?;
        (names, roots)
    } else if g.is_dir {
        let files = g.list(side, &g.path)?;
        let mut names: Vec<String> = files
            .iter()
            .filter(|(p, _)| p.ends_with(".proto"))
            .filter_map(|(p, _)| under(&g.path, p))
            .collect();
        names.sort();
        if names.is_empty() {
            return Err(InputError::NoProtoFiles {
                side,
                path: PathBuf::from(g.display(&g.path)),
            });
        }
        (names, vec![tree_root(&files, &g.path)])
    } else {
        // A file under an include root is named relative to that root, as
        // protoc does; otherwise relative to its directory.
        let parent = g.path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        let mut name = under(parent, &g.path).unwrap_or_else(|| g.path.clone());
        let mut own_root = true;
        for inc in includes {
            if let Ok(rel) = repo_relative(&git, &g.repo, inc) {
                if let Some(n) = under(&rel, &g.path) {
                    name = n;
                    own_root = false;
                    break;
                }
            }
        }
        let roots = if own_root {
            let siblings = g.list(side, parent)?;
            vec![tree_root(&siblings, parent)]
        } else {
            Vec::new()
        };
        (vec![name], roots)
    };
    roots.extend(include_roots.into_iter().map(|(_, r)| r));
    Ok((names, roots))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_split_at_the_first_colon() {
        assert_eq!(split_spec("git:main"), Some(("main", None)));
        assert_eq!(
            split_spec("git:v1.0:proto/a.proto"),
            Some(("v1.0", Some("proto/a.proto")))
        );
        assert_eq!(split_spec("git:HEAD~1:"), Some(("HEAD~1", Some(""))));
        assert_eq!(split_spec("proto"), None);
    }

    #[test]
    fn paths_normalize_lexically() {
        let n = |s: &str| normalize(s.split('/').map(str::to_owned)).join("/");
        assert_eq!(n("./a/../b/c"), "b/c");
        assert_eq!(n("a//b/"), "a/b");
        assert_eq!(n(".."), "");
    }

    #[test]
    fn import_names_under_a_prefix() {
        assert_eq!(
            under("proto", "proto/a/b.proto").as_deref(),
            Some("a/b.proto")
        );
        assert_eq!(under("proto", "protos/a.proto"), None);
        assert_eq!(under("", "a.proto").as_deref(), Some("a.proto"));
    }
}
