//! protocheck tells you, before you merge, whether a change to your `.proto`
//! files is safe for the data and the clients already in production.
//!
//! It compiles the old and the new schema, pairs every file, message, field,
//! enum value, service and method, and reports each unsafe change with a
//! stable rule ID (buf's vocabulary and levels), where it is in both
//! versions, who breaks, and the fix.
//!
//! # The entry point
//!
//! [`Check`] runs one check as the `protocheck` command does: NEW against
//! one or more old versions, each a path (a `.proto` file, a directory, a buf
//! workspace, a descriptor set), a `git:REF[:PATH]` revision, or files held
//! in memory. It returns an [`Outcome`] with one [`Report`] per old version;
//! [`report`] renders reports in every format the command prints.
//!
//! ```
//! use protocheck::{Check, Level};
//!
//! let outcome = Check::new("fixtures/order/new_reuse")
//!     .against("fixtures/order/old")
//!     .level(Level::File)
//!     .run()
//!     .unwrap();
//! assert!(outcome.is_breaking());
//! let rules: Vec<&str> = outcome.reports[0].findings.iter().map(|f| f.rule).collect();
//! assert_eq!(rules, ["FIELD_SAME_TYPE", "FIELD_SAME_JSON_NAME", "FIELD_SAME_NAME"]);
//! ```
//!
//! Schemas a program holds as text are [`MemoryFiles`]:
//!
//! ```
//! use protocheck::{Check, Level, MemoryFiles};
//!
//! let old = MemoryFiles::new().with("shop.proto", "syntax = \"proto3\"; message Order { float total = 3; }");
//! let new = MemoryFiles::new().with("shop.proto", "syntax = \"proto3\"; message Order { int64 total = 3; }");
//! let outcome = Check::new(new).against(old).level(Level::Wire).run().unwrap();
//! let finding = &outcome.reports[0].findings[0];
//! assert_eq!(finding.rule, "FIELD_WIRE_COMPATIBLE_TYPE");
//! assert_eq!(finding.location.path, "shop.proto");
//! ```
//!
//! A build script that fails when `proto/` breaks the released schema (a
//! snapshot written by `protocheck snapshot proto -o proto.lock.binpb`):
//!
//! ```no_run
//! use protocheck::{Check, ConfigChoice, Level};
//!
//! let outcome = Check::new("proto")
//!     .against("proto.lock.binpb")
//!     .level(Level::WireJson)
//!     .config(ConfigChoice::Ignore)
//!     .run()
//!     .unwrap_or_else(|e| panic!("protocheck: {e}"));
//! for f in outcome.reports.iter().flat_map(|r| &r.findings) {
//!     println!("cargo:warning={}: {} {}", f.position(), f.rule, f.message);
//! }
//! assert!(!outcome.is_breaking(), "the schema breaks the released one");
//! ```
//!
//! Errors are [`Error`]: which stage stopped ([`InputError`],
//! [`ConfigError`], [`RoundTripError`]), with a [`miette`] diagnostic that
//! names the side, the file, and the line and column.
//!
//! # Debug builds of a dependent
//!
//! protocheck spends most of a check compiling schemas; unoptimized, as a
//! debug build compiles dependencies, that runs several times slower (2.4 s
//! instead of 0.6 s on a 1 MB schema). Add to your workspace's root
//! `Cargo.toml` (measurements in `docs/library.md`, "Debug builds"):
//!
//! ```toml
//! [profile.dev.package.protocheck-cli]
//! opt-level = 3
//! [profile.dev.package.protox]
//! opt-level = 3
//! [profile.dev.package.protox-parse]
//! opt-level = 3
//! [profile.dev.package.prost-reflect]
//! opt-level = 3
//! [profile.dev.package.prost]
//! opt-level = 3
//! ```
//!
//! # Layout
//!
//! The crate is a pipeline of stages, one folder each (see ARCHITECTURE.md):
//! input → schema → engine → rules → report, with config and roundtrip
//! beside them. Modules not shown here are the stages' insides; they are
//! public for the command and the tests, and not part of the API.

#![deny(missing_docs)]
// Input must never make the library panic: no unwrap/expect outside tests.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod check;
#[doc(hidden)]
pub mod config;
#[doc(hidden)]
pub mod engine;
mod error;
pub(crate) mod files;
#[doc(hidden)]
pub mod input;
mod pipeline;
#[doc(hidden)]
pub mod registry;
pub mod report;
#[doc(hidden)]
pub mod roundtrip;
#[doc(hidden)]
pub mod rules;
#[doc(hidden)]
pub mod schema;

pub use check::{run_roundtrip, snapshot, Check, ConfigChoice, Outcome, Snapshot, Source};
pub use config::{Config, ConfigError};
pub use engine::finding::{Audience, Edit, ElementKind, Finding, Fix, Location, Severity};
pub use error::Error;
pub use input::error::{CompileError, InputError};
pub use input::git::GitError;
pub use input::{Input, MemoryFiles};
pub use registry::Mode as Compat;
pub use report::{Report, Sources};
pub use roundtrip::{Options as RoundTripOptions, RoundTrip, RoundTripError, SampleError};
pub use rules::Level;
pub use schema::Side;

// What the command and the tests use below the public API.
#[doc(hidden)]
pub use config::Selection;
#[doc(hidden)]
pub use input::pair::compile_pair;
#[doc(hidden)]
pub use pipeline::{
    check, check_each, check_paths, check_registry, check_schemas, registry_report, Options,
};
#[doc(hidden)]
pub use schema::Schema;
