//! The input stage's errors: a file that cannot be read or does not
//! compile, a protoc that cannot run, a bad descriptor set or snapshot. Each
//! says which side (old or new) and which file.

use std::path::PathBuf;
use std::sync::Arc;

use miette::{Diagnostic, LabeledSpan, NamedSource};

use crate::config::ConfigError;
use crate::input::git::GitError;
use crate::schema::Side;

#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum InputError {
    #[error("{side} input \"{}\" does not exist", path.display())]
    #[diagnostic(code(protocheck::input::missing))]
    Missing { side: Side, path: PathBuf },

    #[error("include directory \"{}\" {problem}", path.display())]
    #[diagnostic(code(protocheck::input::missing_include))]
    MissingInclude {
        path: PathBuf,
        /// `does not exist` or `is not a directory`.
        problem: &'static str,
    },

    #[error("cannot read {side} input \"{}\": {source}", path.display())]
    #[diagnostic(code(protocheck::input::unreadable))]
    Read {
        side: Side,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{side} input \"{}\" is {kind}, not a regular file", path.display())]
    #[diagnostic(
        code(protocheck::input::not_regular),
        help("protocheck reads regular files only (reading a named pipe or a device could block or never end): pass a .proto file, a directory or a descriptor set")
    )]
    NotRegular {
        side: Side,
        path: PathBuf,
        /// What it is instead: "a named pipe", "a socket", "a character device"…
        kind: &'static str,
    },

    #[error("{side} input \"{}\" is too large ({size} bytes; the limit is {} bytes)", path.display(), crate::files::MAX_FILE)]
    #[diagnostic(code(protocheck::input::too_large))]
    TooLarge {
        side: Side,
        path: PathBuf,
        size: u64,
    },

    #[error("{side} input \"{}\" is not a .proto file, a descriptor set or a directory", path.display())]
    #[diagnostic(
        code(protocheck::input::not_proto),
        help("pass a .proto file, a directory that contains .proto files, or a binary FileDescriptorSet (`protoc -o`, `buf build -o`)")
    )]
    NotProto { side: Side, path: PathBuf },

    #[error("{side} descriptor set \"{}\" {problem}", path.display())]
    #[diagnostic(
        code(protocheck::input::descriptor_set),
        help("pass a binary FileDescriptorSet as written by `protoc --descriptor_set_out` (`-o`) or `buf build -o`")
    )]
    DescriptorSet {
        side: Side,
        path: PathBuf,
        /// What is wrong, as a clause: "is not a binary FileDescriptorSet (…)".
        problem: String,
    },

    #[error("{side} file \"{}\" uses edition {edition}, which protocheck compiles with protoc, and no protoc was found", path.display())]
    #[diagnostic(
        code(protocheck::input::no_protoc),
        help("install an editions-capable protoc and put it on PATH, set PROTOC to it, or pass --protoc PATH; `pip install grpcio-tools` ships one, run as `python3 -m grpc_tools.protoc` (a two-line wrapper script can put it on PATH as `protoc`); or pass a descriptor set built with `protoc -o` or `buf build -o` instead. (protocheck's own protoc is bundled only in builds for Linux, macOS and Windows, and is written on first use to a cache directory: HOME, XDG_CACHE_HOME or PROTOCHECK_CACHE_DIR must name a writable one)")
    )]
    NoProtoc {
        side: Side,
        /// The editions file that needs protoc.
        path: PathBuf,
        edition: String,
    },

    #[error("cannot run protoc \"{}\" (from {origin}) for the {side} schema: {source}", protoc.display())]
    #[diagnostic(
        code(protocheck::input::protoc),
        help("pass an executable protoc with --protoc PATH or the PROTOC environment variable")
    )]
    ProtocUnusable {
        side: Side,
        protoc: PathBuf,
        /// `--protoc`, `PROTOC` or `PATH`.
        origin: &'static str,
        #[source]
        source: std::io::Error,
    },

    #[error("protoc \"{}\" failed on the {side} schema: {message}", protoc.display())]
    #[diagnostic(code(protocheck::input::protoc_failed))]
    ProtocFailed {
        side: Side,
        protoc: PathBuf,
        message: String,
    },

    #[error("no .proto files under {side} directory \"{}\"", path.display())]
    #[diagnostic(code(protocheck::input::empty))]
    NoProtoFiles { side: Side, path: PathBuf },

    #[error("{side} file \"{}\" is not valid UTF-8", path.display())]
    #[diagnostic(code(protocheck::input::not_utf8))]
    NotUtf8 { side: Side, path: PathBuf },

    #[error("{side} snapshot \"{}\" is not a descriptor set: {message}", path.display())]
    #[diagnostic(
        code(protocheck::input::bad_snapshot),
        help("write snapshots with `protocheck snapshot INPUT -o FILE`")
    )]
    BadSnapshot {
        side: Side,
        path: PathBuf,
        message: String,
    },

    #[error("{side} in-memory file name \"{name}\" is not an import path")]
    #[diagnostic(
        code(protocheck::input::memory_name),
        help("name in-memory files as they are imported: relative, `/`-separated, ending in .proto, with no `.` or `..` parts (`shop/order.proto`)")
    )]
    MemoryName { side: Side, name: String },

    #[error(transparent)]
    #[diagnostic(transparent)]
    Compile(Box<CompileError>),

    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(Box<ConfigError>),

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
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{side} schema does not compile: {location}{message}")]
#[diagnostic(code(protocheck::compile))]
pub struct CompileError {
    pub side: Side,
    /// `path:line:col: `, or `path: `, or empty when the compiler named no file.
    pub location: String,
    pub message: String,
    /// The failing file's path as shown, where the compiler named one.
    pub path: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    #[source_code]
    pub source_code: Option<NamedSource<Arc<str>>>,
    #[label(collection)]
    pub labels: Vec<LabeledSpan>,
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
