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

use std::path::{Path, PathBuf};

pub mod config;
pub mod descriptor_set;
pub mod engine;
pub mod error;
pub mod features;
pub mod finding;
pub mod git;
mod hints;
pub mod input;
mod lower;
pub mod protoc;
mod prune;
pub mod report;
mod resolve;
pub mod roundtrip;
pub mod rules;
pub mod schema;
pub mod snapshot;
pub mod span;

pub use config::{Config, Selection};
pub use error::Error;
pub use finding::{Audience, Finding, Location, Severity};
pub use input::Input;
pub use rules::Level;
pub use schema::{Schema, Side};

/// How to check.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Which of buf's rule sets to apply. Overrides the configuration's
    /// `use`/`level`; with neither, `file` (the strictest).
    pub level: Option<Level>,
    /// A `protocheck.toml` or `buf.yaml` (see [`Config::discover`]).
    pub config: Option<Config>,
    /// Extra import roots, shared by both sides.
    pub includes: Vec<PathBuf>,
    /// Count warnings as breaking.
    pub deny_warnings: bool,
    /// Compile every file, even those unchanged on both sides (slower; those
    /// are otherwise parsed and their names resolved and checked, so the
    /// result differs only for errors that only compiling finds).
    pub full: bool,
    /// The protoc that compiles files written with `edition = "…"` (protox
    /// cannot); without it, the `PROTOC` environment variable, else `protoc`
    /// on `PATH`.
    pub protoc: Option<PathBuf>,
}

impl Options {
    /// The rules to run and the findings to drop.
    pub fn selection(&self) -> Result<Selection, Error> {
        match &self.config {
            Some(c) => Ok(c.select(self.level)?),
            None => Ok(Selection::level(self.level.unwrap_or_default())),
        }
    }
}

/// The outcome of a check.
#[derive(Debug, Clone)]
pub struct Report {
    /// Sorted by path, line, column and rule.
    pub findings: Vec<Finding>,
    /// The level in force, when the rules are exactly one level's.
    pub level: Option<Level>,
    /// The rules in force, in words: "level file", "the rules of buf.yaml".
    pub rule_set: String,
    /// Whether warnings count as breaking.
    pub deny_warnings: bool,
    /// Notes about the configuration (deprecated rule IDs expanded).
    pub notes: Vec<String>,
    /// How many input files each side had.
    pub old_files: usize,
    pub new_files: usize,
    /// The text of every file a finding points into, for snippets.
    pub sources: Sources,
}

/// File texts by side and displayed path.
#[derive(Debug, Clone, Default)]
pub struct Sources(std::collections::HashMap<(Side, String), std::sync::Arc<str>>);

impl Sources {
    pub fn get(&self, side: Side, path: &str) -> Option<&std::sync::Arc<str>> {
        self.0.get(&(side, path.to_owned()))
    }

    fn add(&mut self, schema: &Schema, file: &str) {
        if let Some(f) = schema.file(file) {
            if let Some(src) = &f.source {
                self.0
                    .entry((schema.side, f.display_path.clone()))
                    .or_insert_with(|| src.text().clone());
            }
        }
    }
}

impl Report {
    /// Whether any finding is an error (or a warning under `deny_warnings`):
    /// the exit code 1 case.
    pub fn is_breaking(&self) -> bool {
        self.findings
            .iter()
            .any(|f| f.is_error() || (self.deny_warnings && f.severity == Severity::Warning))
    }

    pub fn errors(&self) -> usize {
        self.findings.iter().filter(|f| f.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Warning)
            .count()
    }

    /// Findings that explain an accepted change.
    pub fn infos(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Info)
            .count()
    }
}

/// Compiles both sides (in parallel) and checks them.
pub fn check(old: &Input, new: &Input, options: &Options) -> Result<Report, Error> {
    // A bad configuration is reported before any compiling.
    options.selection()?;
    // Two directories: files unchanged on both sides are not compiled.
    let pruned = if options.full {
        None
    } else {
        prune::plan(old, new, &options.includes)?
    };
    let only = |side: Side| {
        pruned.as_ref().map(|p| match side {
            Side::Old => &p.old_compile,
            Side::New => &p.new_compile,
        })
    };
    let (old_schema, new_schema) = std::thread::scope(|s| {
        let protoc = options.protoc.as_deref();
        let o = s.spawn(move || {
            input::compile_only(
                Side::Old,
                old,
                &options.includes,
                only(Side::Old),
                protoc,
                false,
            )
        });
        let n = input::compile_only(
            Side::New,
            new,
            &options.includes,
            only(Side::New),
            protoc,
            false,
        );
        let o = o.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
        (o, n)
    });
    let mut old_schema = old_schema?;
    let mut new_schema = new_schema?;
    if let Some(p) = &pruned {
        prune::check_duplicates(&old_schema, p)?;
        prune::check_duplicates(&new_schema, p)?;
        for schema in [&mut old_schema, &mut new_schema] {
            schema.unchanged_files = p.unchanged.len();
            schema.unchanged_packages = p.unchanged.iter().map(|(_, pkg)| pkg.clone()).collect();
        }
    }
    new_schema.demote_imports_of(&old_schema);
    pair_old(old, new, &mut old_schema, &new_schema);
    check_schemas(&old_schema, &new_schema, options)
}

/// Makes the old side comparable with the new: a descriptor set does not say
/// which of its files were imports, so a file the new side only imports is
/// an import here too; and two single files are compared with each other
/// whatever their names.
fn pair_old(old: &Input, new: &Input, old_schema: &mut Schema, new_schema: &Schema) {
    old_schema.demote_imports_of(new_schema);
    if old.is_single_file() && new.is_single_file() {
        let o = old_schema
            .target_files()
            .next()
            .map(|(_, f)| f.name.clone());
        let n = new_schema
            .target_files()
            .next()
            .map(|(_, f)| f.name.clone());
        if let (Some(o), Some(n)) = (o, n) {
            old_schema.rename_file(&o, &n);
        }
    }
}

/// Compiles both sides completely (in parallel), paired as [`check`] pairs
/// them: what the round trip needs (every message, and the descriptor pools).
pub fn compile_pair(
    old: &Input,
    new: &Input,
    includes: &[PathBuf],
) -> Result<(Schema, Schema), Error> {
    let (old_schema, new_schema) = std::thread::scope(|s| {
        let o = s.spawn(|| input::compile(Side::Old, old, includes));
        let n = input::compile(Side::New, new, includes);
        let o = o.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
        (o, n)
    });
    let mut old_schema = old_schema?;
    let mut new_schema = new_schema?;
    new_schema.demote_imports_of(&old_schema);
    pair_old(old, new, &mut old_schema, &new_schema);
    Ok((old_schema, new_schema))
}

/// Checks NEW against several old versions (every release tag, say),
/// compiling NEW once: one report per old input, in order.
pub fn check_each(olds: &[Input], new: &Input, options: &Options) -> Result<Vec<Report>, Error> {
    options.selection()?;
    let (old_schemas, new_schema) = std::thread::scope(|s| {
        let o = s.spawn(|| {
            olds.iter()
                .map(|old| {
                    input::compile_with(
                        Side::Old,
                        old,
                        &options.includes,
                        options.protoc.as_deref(),
                    )
                })
                .collect::<Result<Vec<_>, _>>()
        });
        let n = input::compile_with(Side::New, new, &options.includes, options.protoc.as_deref());
        let o = o.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
        (o, n)
    });
    let old_schemas = old_schemas?;
    let new_schema = new_schema?;
    olds.iter()
        .zip(old_schemas)
        .map(|(old, mut old_schema)| {
            pair_old(old, new, &mut old_schema, &new_schema);
            check_schemas(&old_schema, &new_schema, options)
        })
        .collect()
}

/// [`check`] with inputs given as paths (a `.proto` file or a directory each).
pub fn check_paths(
    old: impl AsRef<Path>,
    new: impl AsRef<Path>,
    options: &Options,
) -> Result<Report, Error> {
    let old = Input::from_path(Side::Old, old.as_ref())?;
    let new = Input::from_path(Side::New, new.as_ref())?;
    check(&old, &new, options)
}

/// Checks two compiled schemas.
pub fn check_schemas(old: &Schema, new: &Schema, options: &Options) -> Result<Report, Error> {
    let selection = options.selection()?;
    let mut findings = engine::run(old, new, &selection.rules);
    selection.filter(&mut findings, old, new);
    let mut sources = Sources::default();
    for f in &findings {
        sources.add(new, &f.location.file);
        if let Some(o) = &f.old_location {
            sources.add(old, &o.file);
        }
    }
    Ok(Report {
        findings,
        level: selection.level,
        rule_set: selection.describe,
        deny_warnings: options.deny_warnings,
        notes: selection.notes,
        old_files: old.input_files(),
        new_files: new.input_files(),
        sources,
    })
}
