//! The input stage's errors: a file that cannot be read or does not
//! compile, a protoc that cannot run, a bad descriptor set or snapshot. Each
//! says which side (old or new) and which file.

use std::path::PathBuf;
use std::sync::Arc;

use miette::{Diagnostic, LabeledSpan, NamedSource};

use crate::config::ConfigError;
use crate::input::git::GitError;
use crate::schema::Side;

/// Why an input could not be read or compiled into a [`Schema`]: the
/// input stage's error, wrapped by [`crate::Error::Input`].
///
/// Most messages name the side (`old input "…" does not exist`),
/// and [`side`](InputError::side) returns it; the diagnostic code
/// (`protocheck::input::…`) and help come through [`miette::Diagnostic`].
/// More variants may be added.
///
/// [`Schema`]: crate::Schema
#[derive(Debug, thiserror::Error, Diagnostic)]
#[non_exhaustive]
pub enum InputError {
    /// An input path (file or directory) does not exist.
    #[error("{side} input \"{}\" does not exist", path.display())]
    #[diagnostic(code(protocheck::input::missing))]
    Missing {
        /// Which schema (old or new) the input belongs to.
        side: Side,
        /// The input as given, or the file in it that failed.
        path: PathBuf,
    },

    /// An include directory (`--include`, `Options::includes`, a workspace's roots) is missing or is not a directory.
    #[error("include directory \"{}\" {problem}", path.display())]
    #[diagnostic(code(protocheck::input::missing_include))]
    MissingInclude {
        /// The include directory as given.
        path: PathBuf,
        /// `does not exist` or `is not a directory`.
        problem: &'static str,
    },

    /// An input file or directory could not be read.
    #[error("cannot read {side} input \"{}\": {source}", path.display())]
    #[diagnostic(code(protocheck::input::unreadable))]
    Read {
        /// Which schema (old or new) the input belongs to.
        side: Side,
        /// The input as given, or the file in it that failed.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },

    /// An input is a named pipe, a socket or a device, which protocheck will not read.
    #[error("{side} input \"{}\" is {kind}, not a regular file", path.display())]
    #[diagnostic(
        code(protocheck::input::not_regular),
        help("protocheck reads regular files only (reading a named pipe or a device could block or never end): pass a .proto file, a directory or a descriptor set")
    )]
    NotRegular {
        /// Which schema (old or new) the input belongs to.
        side: Side,
        /// The input as given, or the file in it that failed.
        path: PathBuf,
        /// What it is instead: "a named pipe", "a socket", "a character device"…
        kind: &'static str,
    },

    /// An input file is larger than protocheck reads (2 GiB less one byte, the
    /// most a protobuf message can hold).
    #[error("{side} input \"{}\" is too large ({size} bytes; the limit is {} bytes)", path.display(), crate::files::MAX_FILE)]
    #[diagnostic(code(protocheck::input::too_large))]
    TooLarge {
        /// Which schema (old or new) the input belongs to.
        side: Side,
        /// The input as given, or the file in it that failed.
        path: PathBuf,
        /// The file's size in bytes.
        size: u64,
    },

    /// An input file is neither a `.proto` file nor a descriptor set.
    #[error("{side} input \"{}\" is not a .proto file, a descriptor set or a directory", path.display())]
    #[diagnostic(
        code(protocheck::input::not_proto),
        help("pass a .proto file, a directory that contains .proto files, or a binary FileDescriptorSet (`protoc -o`, `buf build -o`)")
    )]
    NotProto {
        /// Which schema (old or new) the input belongs to.
        side: Side,
        /// The input as given, or the file in it that failed.
        path: PathBuf,
    },

    /// A descriptor set that cannot be decoded or is not self-contained.
    #[error("{side} descriptor set \"{}\" {problem}", path.display())]
    #[diagnostic(
        code(protocheck::input::descriptor_set),
        help("pass a binary FileDescriptorSet as written by `protoc --descriptor_set_out` (`-o`) or `buf build -o`")
    )]
    DescriptorSet {
        /// Which schema (old or new) the input belongs to.
        side: Side,
        /// The input as given, or the file in it that failed.
        path: PathBuf,
        /// What is wrong, as a clause: "is not a binary FileDescriptorSet (…)".
        problem: String,
    },

    /// An editions file needs protoc (protox does not compile editions) and none was found.
    #[error("{side} file \"{}\" uses edition {edition}, which protocheck compiles with protoc, and no protoc was found", path.display())]
    #[diagnostic(
        code(protocheck::input::no_protoc),
        help("install an editions-capable protoc and put it on PATH, set PROTOC to it, or pass --protoc PATH; `pip install grpcio-tools` ships one, run as `python3 -m grpc_tools.protoc` (a two-line wrapper script can put it on PATH as `protoc`); or pass a descriptor set built with `protoc -o` or `buf build -o` instead. (protocheck's own protoc is bundled only in builds for Linux, macOS and Windows, and is written on first use to a cache directory: HOME, XDG_CACHE_HOME or PROTOCHECK_CACHE_DIR must name a writable one)")
    )]
    NoProtoc {
        /// Which schema (old or new) the input belongs to.
        side: Side,
        /// The editions file that needs protoc.
        path: PathBuf,
        /// The edition the file declares (`2023`).
        edition: String,
    },

    /// The protoc found could not be run.
    #[error("cannot run protoc \"{}\" (from {origin}) for the {side} schema: {source}", protoc.display())]
    #[diagnostic(
        code(protocheck::input::protoc),
        help("pass an executable protoc with --protoc PATH or the PROTOC environment variable")
    )]
    ProtocUnusable {
        /// Which schema (old or new) the input belongs to.
        side: Side,
        /// The protoc that was tried.
        protoc: PathBuf,
        /// `--protoc`, `PROTOC` or `PATH`.
        origin: &'static str,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },

    /// protoc ran and rejected the schema.
    #[error("protoc \"{}\" failed on the {side} schema: {message}", protoc.display())]
    #[diagnostic(code(protocheck::input::protoc_failed))]
    ProtocFailed {
        /// Which schema (old or new) the input belongs to.
        side: Side,
        /// The protoc that was tried.
        protoc: PathBuf,
        /// What protoc printed on standard error, trimmed.
        message: String,
    },

    /// An input directory holds no `.proto` file.
    #[error("no .proto files under {side} directory \"{}\"", path.display())]
    #[diagnostic(code(protocheck::input::empty))]
    NoProtoFiles {
        /// Which schema (old or new) the input belongs to.
        side: Side,
        /// The input as given, or the file in it that failed.
        path: PathBuf,
    },

    /// A `.proto` file is not UTF-8.
    #[error("{side} file \"{}\" is not valid UTF-8", path.display())]
    #[diagnostic(code(protocheck::input::not_utf8))]
    NotUtf8 {
        /// Which schema (old or new) the input belongs to.
        side: Side,
        /// The input as given, or the file in it that failed.
        path: PathBuf,
    },

    /// A snapshot (`protocheck snapshot`) that is not a readable descriptor set.
    #[error("{side} snapshot \"{}\" is not a descriptor set: {message}", path.display())]
    #[diagnostic(
        code(protocheck::input::bad_snapshot),
        help("write snapshots with `protocheck snapshot INPUT -o FILE`")
    )]
    BadSnapshot {
        /// Which schema (old or new) the input belongs to.
        side: Side,
        /// The input as given, or the file in it that failed.
        path: PathBuf,
        /// Why it could not be decoded.
        message: String,
    },

    #[error("{side} in-memory file name \"{name}\" is not an import path")]
    #[diagnostic(
        code(protocheck::input::memory_name),
        help("name in-memory files as they are imported: relative, `/`-separated, ending in .proto, with no `.` or `..` parts (`shop/order.proto`)")
    )]
    MemoryName { side: Side, name: String },

    /// The schema does not compile (a syntax or a type error), with the compiler's diagnostic.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Compile(Box<CompileError>),

    /// The configuration or workspace file that lays out the input is invalid.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(Box<ConfigError>),

    /// An input read at a git revision (`git:REV`) could not be read.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Git(Box<GitError>),
}

impl From<ConfigError> for InputError {
    fn from(e: ConfigError) -> Self {
        InputError::Config(Box::new(e))
    }
}

/// A schema that does not compile, pointing into the file that failed.
///
/// As a [`miette::Diagnostic`] it carries the file's text and a label on the
/// error, so a graphical handler shows the line; `path`, `line` and
/// `column` give the same place as data.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{side} schema does not compile: {location}{message}")]
#[diagnostic(code(protocheck::compile))]
pub struct CompileError {
    /// Which schema (old or new) failed.
    pub side: Side,
    /// `path:line:col: `, or `path: `, or empty when the compiler named no file.
    pub location: String,
    /// The compiler's message, without location.
    pub message: String,
    /// The failing file's path as shown, where the compiler named one.
    pub path: Option<String>,
    /// The 1-based line of the error, where the compiler gave one.
    pub line: Option<usize>,
    /// The 1-based column of the error, where the compiler gave one.
    pub column: Option<usize>,
    /// The failing file's text, for the diagnostic's snippet.
    #[source_code]
    pub source_code: Option<NamedSource<Arc<str>>>,
    /// The places in `source_code` the diagnostic points at.
    #[label(collection)]
    pub labels: Vec<LabeledSpan>,
    /// How to fix it, where protocheck knows (an import to add, a file that protox cannot compile).
    #[help]
    pub help: Option<String>,
}

impl From<CompileError> for InputError {
    fn from(e: CompileError) -> Self {
        InputError::Compile(Box::new(e))
    }
}

impl InputError {
    /// Which side the error is about, where it is about one.
    pub fn side(&self) -> Option<Side> {
        match self {
            InputError::Missing { side, .. }
            | InputError::Read { side, .. }
            | InputError::NotRegular { side, .. }
            | InputError::TooLarge { side, .. }
            | InputError::NotProto { side, .. }
            | InputError::NoProtoFiles { side, .. }
            | InputError::NotUtf8 { side, .. }
            | InputError::BadSnapshot { side, .. }
            | InputError::DescriptorSet { side, .. }
            | InputError::NoProtoc { side, .. }
            | InputError::ProtocUnusable { side, .. }
            | InputError::ProtocFailed { side, .. }
            | InputError::MemoryName { side, .. } => Some(*side),
            InputError::Compile(c) => Some(c.side),
            InputError::Git(g) => Some(g.side()),
            InputError::MissingInclude { .. } | InputError::Config(_) => None,
        }
    }
}
