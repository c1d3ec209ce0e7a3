//! protocheck tells you, before you merge, whether a change to your `.proto`
//! files is safe for the data and the clients already in production.
//!
//! It compiles the old and the new schema, pairs every file, message, field,
//! enum value, service and method, and reports each unsafe change with a
//! stable rule ID (buf's vocabulary), where it is in both versions, who breaks,
//! and the fix.
//!
//! ```
//! use protocheck::{check_paths, Level, Options};
//!
//! let options = Options { level: Some(Level::File), ..Options::default() };
//! let report = check_paths(
//!     "fixtures/order/old",
//!     "fixtures/order/new_reuse",
//!     &options,
//! ).unwrap();
//! assert!(report.is_breaking());
//! let rules: Vec<&str> = report.findings.iter().map(|f| f.rule).collect();
//! assert_eq!(rules, ["FIELD_SAME_TYPE", "FIELD_SAME_JSON_NAME", "FIELD_SAME_NAME"]);
//! ```

// Input must never make the library panic: no unwrap/expect outside tests.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod check;
pub mod config;
pub mod engine;
pub mod error;
pub(crate) mod files;
pub mod input;
mod pipeline;
pub mod report;
pub mod roundtrip;
pub mod rules;
pub mod schema;

pub use check::{run_roundtrip, snapshot, Check, ConfigChoice, Outcome, Snapshot, Source};
pub use config::{Config, Selection};
pub use engine::finding::{Audience, Finding, Location, Severity};
pub use error::Error;
#[doc(hidden)]
pub use input::pair::compile_pair;
pub use input::Input;
pub use pipeline::{check, check_each, check_paths, check_schemas, Options};
pub use report::{Report, Sources};
pub use rules::Level;
pub use schema::{Schema, Side};
