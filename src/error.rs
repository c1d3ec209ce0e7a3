//! The crate's error: whichever stage stopped the check, with that stage's
//! diagnostic (file, line and column where there is one).

use miette::Diagnostic;

use crate::config::ConfigError;
use crate::input::error::InputError;
use crate::roundtrip::RoundTripError;
use crate::schema::Side;

/// Why a check could not be made (the exit code 2 case). Each variant wraps
/// the error of the stage that stopped, and shows as that error does.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[non_exhaustive]
pub enum Error {
    /// An input could not be read or compiled.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Input(Box<InputError>),

    /// A configuration file (`protocheck.toml`, `buf.yaml`) or option is wrong.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(Box<ConfigError>),

    /// The round trip could not run.
    #[error(transparent)]
    #[diagnostic(transparent)]
    RoundTrip(Box<RoundTripError>),

    /// Schema Registry mode (`--compat`) was asked for in a way it cannot run.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Registry(Box<crate::registry::Error>),
}

impl From<crate::registry::Error> for Error {
    fn from(e: crate::registry::Error) -> Self {
        Error::Registry(Box::new(e))
    }
}

impl From<InputError> for Error {
    fn from(e: InputError) -> Self {
        match e {
            // One place for every configuration problem, wherever it was met.
            InputError::Config(c) => Error::Config(c),
            e => Error::Input(Box::new(e)),
        }
    }
}

impl From<ConfigError> for Error {
    fn from(e: ConfigError) -> Self {
        Error::Config(Box::new(e))
    }
}

impl From<RoundTripError> for Error {
    fn from(e: RoundTripError) -> Self {
        match e {
            RoundTripError::Input(i) => Error::from(*i),
            e => Error::RoundTrip(Box::new(e)),
        }
    }
}

impl Error {
    /// Which side (old or new) the error is about, where it is about one.
    pub fn side(&self) -> Option<Side> {
        match self {
            Error::Input(e) => e.side(),
            Error::RoundTrip(e) => e.side(),
            Error::Config(_) | Error::Registry(_) => None,
        }
    }
}
