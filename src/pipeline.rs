//! The pipeline, top to bottom: read and compile both sides (`input`), pair
//! their elements and run the selected rules (`engine`, `rules`), drop what
//! the configuration ignores (`config`), and gather the findings with the
//! source text they point into (`report`).

use std::path::{Path, PathBuf};

use crate::config::{Config, Selection};
use crate::error::Error;
use crate::input::{self, Input};
use crate::report::{Report, Sources};
use crate::rules::{self, Level};
use crate::schema::{Schema, Side};
use crate::{config, engine};

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
    /// Compare only the input files, not the files they import (buf's
    /// `--exclude-imports`). By default imports are compared too, as buf does.
    pub exclude_imports: bool,
    /// NEW is this buf workspace: each module is checked with its own
    /// configuration (unless `config` is given).
    pub workspace: Option<std::sync::Arc<config::workspace::Workspace>>,
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

/// Compiles both sides (in parallel) and checks them.
pub fn check(old: &Input, new: &Input, options: &Options) -> Result<Report, Error> {
    // A bad configuration is reported before any compiling.
    options.selection()?;
    // Two directories: files unchanged on both sides are not compiled.
    let (pruned, unchanged) = match options.full {
        true => (None, None),
        false => match input::prune::plan(old, new, &options.includes)? {
            Some((pruned, unchanged)) => (Some(pruned), Some(unchanged)),
            None => (None, None),
        },
    };
    let only = |side: Side| {
        pruned.as_ref().map(|p| match side {
            Side::Old => &p.old_compile,
            Side::New => &p.new_compile,
        })
    };
    // On rayon's threads, which reuse the memory the parallel parsing above
    // freed (a thread of its own would take memory anew).
    let protoc = options.protoc.as_deref();
    // The unchanged files are checked while the others compile: neither
    // needs the other, and the check alone would leave a core idle.
    let (checked, (old_schema, new_schema)) = rayon::join(
        move || unchanged.map_or(Ok(()), input::prune::Unchanged::check),
        || {
            rayon::join(
                || {
                    input::compile_only(
                        Side::Old,
                        old,
                        &options.includes,
                        only(Side::Old),
                        protoc,
                        false,
                    )
                },
                || {
                    input::compile_only(
                        Side::New,
                        new,
                        &options.includes,
                        only(Side::New),
                        protoc,
                        false,
                    )
                },
            )
        },
    );
    checked?;
    let mut old_schema = old_schema.map_err(|e| input::pair::explain(e, old, &options.includes))?;
    let mut new_schema = new_schema?;
    if let Some(p) = &pruned {
        input::prune::check_duplicates(&old_schema, p)?;
        input::prune::check_duplicates(&new_schema, p)?;
        for schema in [&mut old_schema, &mut new_schema] {
            schema.unchanged_files = p.unchanged.len();
            schema.unchanged_packages = p.unchanged.iter().map(|(_, pkg)| pkg.clone()).collect();
        }
    }
    new_schema.demote_imports_of(&old_schema);
    input::pair::pair_old(old, new, &mut old_schema, &new_schema);
    input::pair::assign_modules(old, &mut old_schema, &options.includes)?;
    input::pair::assign_modules(new, &mut new_schema, &options.includes)?;
    if !options.exclude_imports {
        // Input files skipped as unchanged and compiled only as imports of
        // changed ones stay imports: they are the same on both sides.
        let inputs: std::collections::HashSet<String> = pruned
            .as_ref()
            .map(|p| {
                p.unchanged
                    .iter()
                    .map(|(n, _)| n.clone())
                    .chain(p.old_compile.iter().cloned())
                    .chain(p.new_compile.iter().cloned())
                    .collect()
            })
            .unwrap_or_default();
        let mut o = old_schema.promote_imports_except(&inputs);
        let mut n = new_schema.promote_imports_except(&inputs);
        o.sort();
        n.sort();
        // An import compiled on one side only may be imported by a file
        // that was not compiled: compare the whole schemas then.
        if pruned.is_some() && o != n {
            let full = Options {
                full: true,
                ..options.clone()
            };
            return check(old, new, &full);
        }
    }
    let report = check_schemas(&old_schema, &new_schema, options);
    // Freeing the two models is hundreds of thousands of deallocations:
    // done on another thread while the caller renders the report.
    rayon::spawn(move || drop((old_schema, new_schema, pruned)));
    report
}

/// Checks NEW against several old versions (every release tag, say),
/// compiling NEW once: one report per old input, in order.
pub fn check_each(olds: &[Input], new: &Input, options: &Options) -> Result<Vec<Report>, Error> {
    options.selection()?;
    let (old_schemas, new_schema) = std::thread::scope(|s| {
        let o = s.spawn(|| {
            olds.iter()
                .map(|old| {
                    (
                        old,
                        input::compile_with(
                            Side::Old,
                            old,
                            &options.includes,
                            options.protoc.as_deref(),
                        ),
                    )
                })
                .map(|(old, r)| r.map_err(|e| input::pair::explain(e, old, &options.includes)))
                .collect::<Result<Vec<_>, _>>()
        });
        let n = input::compile_with(Side::New, new, &options.includes, options.protoc.as_deref());
        let o = o.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
        (o, n)
    });
    let old_schemas = old_schemas?;
    let mut new_schema = new_schema?;
    input::pair::assign_modules(new, &mut new_schema, &options.includes)?;
    if !options.exclude_imports {
        new_schema.promote_imports();
    }
    olds.iter()
        .zip(old_schemas)
        .map(|(old, mut old_schema)| {
            input::pair::pair_old(old, new, &mut old_schema, &new_schema);
            input::pair::assign_modules(old, &mut old_schema, &options.includes)?;
            if !options.exclude_imports {
                old_schema.promote_imports();
            }
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
    let mut warnings = Vec::new();
    let mut notes = selection.notes.clone();
    let mut describe = selection.describe.clone();
    let mut level = selection.level;
    let mut findings;
    match options.workspace.as_deref() {
        Some(ws) if options.config.is_none() && !ws.modules.is_empty() => {
            // Each module with its own configuration; a finding stands if a
            // module that sees its file (as one of its own, or one it
            // imports, unless imports are excluded) runs the rule and does
            // not ignore it.
            let selections = ws
                .modules
                .iter()
                .map(|m| m.config.select(options.level))
                .collect::<Result<Vec<_>, _>>()?;
            let mut rules: Vec<&'static dyn rules::Rule> = Vec::new();
            for sel in &selections {
                for n in &sel.notes {
                    if !notes.contains(n) {
                        notes.push(n.clone());
                    }
                }
                for r in &sel.rules {
                    if !rules.iter().any(|x| x.meta().id == r.meta().id) {
                        rules.push(*r);
                    }
                }
            }
            rules.sort_by_key(|r| {
                rules::ALL
                    .iter()
                    .position(|x| x.meta().id == r.meta().id)
                    .unwrap_or(usize::MAX)
            });
            let first = &selections[0];
            if selections.iter().all(|s| s.describe == first.describe) {
                describe = first.describe.clone();
                level = first.level;
            } else {
                describe = format!("the rules of each module of {}", ws.file.display());
                level = None;
            }
            let seen = |schema: &Schema| -> Vec<std::collections::HashSet<String>> {
                (0..ws.modules.len())
                    .map(|i| {
                        let own = schema
                            .module_of
                            .iter()
                            .filter(|(_, &m)| m == i)
                            .map(|(n, _)| n.clone());
                        if options.exclude_imports {
                            own.collect()
                        } else {
                            own.flat_map(|n| schema.import_closure(&n)).collect()
                        }
                    })
                    .collect()
            };
            let (seen_old, seen_new) = (seen(old), seen(new));
            let mut all = engine::run(old, new, &rules);
            all.retain(|f| {
                let mut modules: Vec<usize> = (0..ws.modules.len())
                    .filter(|&i| {
                        seen_new[i].contains(&f.location.file)
                            || seen_old[i].contains(&f.location.file)
                            || f.old_location
                                .as_ref()
                                .is_some_and(|o| seen_old[i].contains(&o.file))
                    })
                    .collect();
                if modules.is_empty() {
                    modules = (0..ws.modules.len()).collect();
                }
                modules
                    .iter()
                    .any(|&i| selections[i].runs(f.rule) && !selections[i].ignores(f, old, new))
            });
            findings = all;
            for p in &ws.unplaced_ignores {
                warnings.push(format!(
                    "ignore path \"{p}\" ({}) is in no module and matches no file",
                    ws.file.display()
                ));
            }
            for (i, m) in ws.modules.iter().enumerate() {
                let files = seen_old[i]
                    .iter()
                    .chain(seen_new[i].iter())
                    .map(String::as_str);
                for w in m.config.unmatched_ignores(files) {
                    let w = format!("{w} (module \"{}\")", m.path);
                    if !warnings.contains(&w) {
                        warnings.push(w);
                    }
                }
            }
        }
        _ => {
            findings = engine::run(old, new, &selection.rules);
            selection.filter(&mut findings, old, new);
            if let Some(config) = &options.config {
                let names: Vec<&str> = old
                    .target_files()
                    .chain(new.target_files())
                    .map(|(_, f)| f.name.as_str())
                    .collect();
                warnings = config.unmatched_ignores(names.iter().copied());
                // Files skipped as unchanged are not in the schemas: an
                // ignore path is only known to match nothing when every
                // file was compiled.
                if old.unchanged_files > 0 {
                    warnings.clear();
                }
            }
        }
    }
    let mut sources = Sources::default();
    for f in &findings {
        sources.add(new, &f.location.file);
        if let Some(o) = &f.old_location {
            sources.add(old, &o.file);
        }
    }
    Ok(Report {
        findings,
        level,
        rule_set: describe,
        deny_warnings: options.deny_warnings,
        notes,
        warnings,
        old_files: old.input_files(),
        new_files: new.input_files(),
        sources,
    })
}

/// Schema Registry mode (`--compat MODE`): checks NEW against each old
/// version as the registry would under `mode`. `versions` names each old
/// input as the user gave it (oldest first); the reports come back newest
/// first, each with the index of its old input. An old version that is
/// `None` has nothing yet: NEW's files are new subjects there.
pub fn check_registry(
    olds: &[Option<Input>],
    new: &Input,
    options: &Options,
    mode: crate::registry::Mode,
    versions: &[String],
) -> Result<Vec<(usize, Report)>, Error> {
    crate::registry::require_versions(mode, olds.len())?;
    let mut out = Vec::new();
    for (i, old) in olds.iter().enumerate().rev() {
        // No old version (`git:REF` before the file existed): every file is
        // a new subject, whose first registration nothing refuses.
        let (o, n) = match old {
            Some(old) => crate::input::pair::compile_pair(old, new, &options.includes)?,
            None => (
                Schema::empty(Side::Old),
                input::compile_with(Side::New, new, &options.includes, options.protoc.as_deref())?,
            ),
        };
        let against = versions.get(i).map(String::as_str).unwrap_or_default();
        out.push((i, registry_report(&o, &n, mode, against, options)));
    }
    Ok(out)
}

/// The report of one comparison in Schema Registry mode (see [`crate::registry`]).
/// `against` names the old version as the user gave it: in the summary, and
/// in each finding under a transitive mode.
pub fn registry_report(
    old: &Schema,
    new: &Schema,
    mode: crate::registry::Mode,
    against: &str,
    options: &Options,
) -> Report {
    let version = (mode.is_transitive() && !against.is_empty()).then_some(against);
    let outcome = crate::registry::check(old, new, mode, version);
    let mut findings = outcome.findings;
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let mut sources = Sources::default();
    for f in &findings {
        sources.add(new, &f.location.file);
        if let Some(o) = &f.old_location {
            sources.add(old, &o.file);
        }
    }
    let against = if against.is_empty() {
        String::new()
    } else {
        format!(" against {against}")
    };
    Report {
        findings,
        level: None,
        rule_set: format!("Schema Registry mode {}{against}", mode.registry_name()),
        deny_warnings: options.deny_warnings,
        notes: outcome.remarks,
        warnings: Vec::new(),
        old_files: old.input_files(),
        new_files: new.input_files(),
        sources,
    }
}
