//! Errors that stop a check: each says which side (old or new) and which file.

use std::path::PathBuf;
use std::sync::Arc;

use miette::{Diagnostic, LabeledSpan, NamedSource};

use crate::schema::Side;

#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum Error {
    #[error("{side} input \"{}\" does not exist", path.display())]
    #[diagnostic(code(protocheck::input::missing))]
    Missing { side: Side, path: PathBuf },

    #[error("include directory \"{}\" does not exist", path.display())]
    #[diagnostic(code(protocheck::input::missing_include))]
    MissingInclude { path: PathBuf },

    #[error("cannot read {side} input \"{}\": {source}", path.display())]
    #[diagnostic(code(protocheck::input::unreadable))]
    Read {
        side: Side,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{side} input \"{}\" is not a .proto file or a directory", path.display())]
    #[diagnostic(
        code(protocheck::input::not_proto),
        help("pass a .proto file or a directory that contains .proto files")
    )]
    NotProto { side: Side, path: PathBuf },

    #[error("no .proto files under {side} directory \"{}\"", path.display())]
    #[diagnostic(code(protocheck::input::empty))]
    NoProtoFiles { side: Side, path: PathBuf },

    #[error("{side} file \"{}\" is not valid UTF-8", path.display())]
    #[diagnostic(code(protocheck::input::not_utf8))]
    NotUtf8 { side: Side, path: PathBuf },

    #[error(transparent)]
    #[diagnostic(transparent)]
    Compile(Box<CompileError>),

    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(Box<crate::config::ConfigError>),

    #[error(transparent)]
    #[diagnostic(transparent)]
    RoundTrip(Box<crate::roundtrip::RoundTripError>),
}

impl From<crate::config::ConfigError> for Error {
    fn from(e: crate::config::ConfigError) -> Self {
        Error::Config(Box::new(e))
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

impl From<CompileError> for Error {
    fn from(e: CompileError) -> Self {
        Error::Compile(Box::new(e))
    }
}

impl Error {
    /// Which side the error is about, where it is about one.
    pub fn side(&self) -> Option<Side> {
        match self {
            Error::Missing { side, .. }
            | Error::Read { side, .. }
            | Error::NotProto { side, .. }
            | Error::NoProtoFiles { side, .. }
            | Error::NotUtf8 { side, .. } => Some(*side),
            Error::Compile(c) => Some(c.side),
            Error::RoundTrip(r) => match &**r {
                crate::roundtrip::RoundTripError::NoDescriptors { side }
                | crate::roundtrip::RoundTripError::UnknownMessage { side, .. } => Some(*side),
                _ => None,
            },
            Error::MissingInclude { .. } | Error::Config(_) => None,
        }
    }
}
