//! The library's entry point: [`Check`], one comparison of NEW against one or
//! more old versions, decided as the command decides it (which inputs, buf
//! workspaces, configuration discovery, an old side that does not exist
//! yet, the round trip's evidence). [`snapshot`] and [`run_roundtrip`] are the
//! entry points of the command's other two jobs.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::workspace::{self, Workspace};
use crate::config::Config;
use crate::error::Error;
use crate::input::error::InputError;
use crate::input::git::GitError;
use crate::input::{Input, MemoryFiles};
use crate::pipeline::{self, Options};
use crate::report::{Pair, Report};
use crate::roundtrip::{self, RoundTrip, RoundTripError};
use crate::rules::Level;
use crate::schema::{Schema, Side};

/// One side of a comparison, as a user names it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Source {
    /// As on the command line: a `.proto` file, a directory of them (a buf
    /// workspace when it holds a `buf.yaml` or `buf.work.yaml`), a binary
    /// descriptor set, or `git:REF:PATH` (for an old side `git:REF` alone
    /// takes NEW's path).
    Arg(PathBuf),
    /// An input already classified.
    Input(Input),
}

impl From<&str> for Source {
    fn from(s: &str) -> Source {
        Source::Arg(PathBuf::from(s))
    }
}

impl From<String> for Source {
    fn from(s: String) -> Source {
        Source::Arg(PathBuf::from(s))
    }
}

impl From<&Path> for Source {
    fn from(p: &Path) -> Source {
        Source::Arg(p.to_path_buf())
    }
}

impl From<PathBuf> for Source {
    fn from(p: PathBuf) -> Source {
        Source::Arg(p)
    }
}

impl From<Input> for Source {
    fn from(i: Input) -> Source {
        Source::Input(i)
    }
}

impl From<MemoryFiles> for Source {
    fn from(m: MemoryFiles) -> Source {
        Source::Input(Input::Memory(Arc::new(m)))
    }
}

impl Source {
    /// How the source is shown in a report (`git:v1.0.0`, `proto/`).
    pub fn label(&self) -> String {
        match self {
            Source::Arg(p) => p.display().to_string(),
            Source::Input(Input::Memory(_)) => "(in memory)".to_owned(),
            Source::Input(i) => i.path().display().to_string(),
        }
    }

    fn arg(&self) -> Option<&Path> {
        match self {
            Source::Arg(p) => Some(p),
            Source::Input(_) => None,
        }
    }
}

/// Where the rules and ignores come from.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub enum ConfigChoice {
    /// `protocheck.toml`, else `buf.yaml`, in NEW's directory or a parent, as
    /// the command looks for it (in a buf workspace, each module's own
    /// `buf.yaml` unless a `protocheck.toml` applies).
    #[default]
    Discover,
    /// This `protocheck.toml` or `buf.yaml`.
    File(PathBuf),
    /// This configuration.
    Given(Config),
    /// No configuration: the level alone decides.
    Ignore,
}

/// A check of NEW against one or more old versions: the one entry point.
///
/// Build it, then [`run`](Check::run) it:
///
/// ```
/// use protocheck::{Check, Level};
///
/// let outcome = Check::new("fixtures/order/new_reuse")
///     .against("fixtures/order/old")
///     .level(Level::Wire)
///     .run()
///     .unwrap();
/// assert!(outcome.is_breaking());
/// let report = &outcome.reports[0];
/// assert_eq!(report.findings[0].rule, "FIELD_WIRE_COMPATIBLE_TYPE");
/// ```
///
/// Sources can be paths, `git:` revisions, descriptor sets or files held
/// in memory ([`MemoryFiles`]).
#[derive(Debug, Clone)]
pub struct Check {
    new: Source,
    /// NEW is the current directory, or the buf workspace it lies in.
    upwards: bool,
    against: Vec<Source>,
    level: Option<Level>,
    config: ConfigChoice,
    includes: Vec<PathBuf>,
    protoc: Option<PathBuf>,
    deny_warnings: bool,
    full: bool,
    exclude_imports: bool,
    roundtrip: bool,
    compat: Option<crate::registry::Mode>,
}

/// What a [`Check`] found.
#[derive(Debug)]
#[non_exhaustive]
pub struct Outcome {
    /// One report per old version, in the order they were given (in Schema
    /// Registry mode, newest first: the last given first).
    pub reports: Vec<Report>,
    /// How each old version was named (as [`Check::against`] got it).
    pub labels: Vec<String>,
    /// The round trip's evidence, when asked for and possible (one old
    /// version with descriptors on both sides).
    pub roundtrip: Option<RoundTrip>,
    /// Things the user should know that are not findings: an old side that
    /// does not exist yet, deps that were not needed, why there is no round
    /// trip. The reports' own notes and warnings are on each report.
    pub notes: Vec<String>,
}

impl Outcome {
    /// Whether any report is breaking (the exit code 1 case).
    pub fn is_breaking(&self) -> bool {
        self.reports.iter().any(Report::is_breaking)
    }

    /// The reports with what each was checked against (named only when there
    /// are several), as the renderers of [`crate::report`] take them.
    pub fn pairs(&self) -> Vec<Pair<'_>> {
        let several = self.reports.len() > 1;
        self.reports
            .iter()
            .zip(&self.labels)
            .map(|(report, label)| Pair {
                against: several.then_some(label.as_str()),
                report,
            })
            .collect()
    }
}

impl Check {
    /// A check of `new`; give at least one old version with [`against`](Check::against).
    pub fn new(new: impl Into<Source>) -> Check {
        Check {
            new: new.into(),
            upwards: false,
            against: Vec::new(),
            level: None,
            config: ConfigChoice::default(),
            includes: Vec::new(),
            protoc: None,
            deny_warnings: false,
            full: false,
            exclude_imports: false,
            roundtrip: false,
            compat: None,
        }
    }

    /// A check of the current directory, or of the buf workspace it lies in
    /// (a `buf.yaml` or `buf.work.yaml` here or in a parent): what the
    /// command checks when no NEW is given.
    pub fn current_dir() -> Check {
        Check {
            upwards: true,
            ..Check::new(".")
        }
    }

    /// An old version to check NEW against; call it again for more (each
    /// gives a report; NEW is compiled once).
    pub fn against(mut self, old: impl Into<Source>) -> Check {
        self.against.push(old.into());
        self
    }

    /// buf's rule set to apply (default: the configuration's, else `file`).
    pub fn level(mut self, level: Level) -> Check {
        self.level = Some(level);
        self
    }

    /// Where the configuration comes from (default: discovered from NEW).
    pub fn config(mut self, config: ConfigChoice) -> Check {
        self.config = config;
        self
    }

    /// Adds an import root for both sides.
    pub fn include(mut self, dir: impl Into<PathBuf>) -> Check {
        self.includes.push(dir.into());
        self
    }

    /// The protoc for files that use editions (default: `PROTOC`, `protoc` on
    /// `PATH`, else the bundled one).
    pub fn protoc(mut self, protoc: impl Into<PathBuf>) -> Check {
        self.protoc = Some(protoc.into());
        self
    }

    /// Counts warnings as breaking.
    pub fn deny_warnings(mut self, yes: bool) -> Check {
        self.deny_warnings = yes;
        self
    }

    /// Compiles every file, also those unchanged on both sides.
    pub fn full(mut self, yes: bool) -> Check {
        self.full = yes;
        self
    }

    /// Compares only the input files, not the files they import (buf's
    /// `--exclude-imports`).
    pub fn exclude_imports(mut self, yes: bool) -> Check {
        self.exclude_imports = yes;
        self
    }

    /// Adds the round trip's evidence (one old version only): both sides are
    /// compiled whole, and sample messages show what readers see.
    pub fn roundtrip(mut self, yes: bool) -> Check {
        self.roundtrip = yes;
        self
    }

    /// The Confluent Schema Registry's verdict under this compatibility
    /// level instead of buf's rules (the command's `--compat`); it cannot be
    /// combined with [`level`](Check::level). Without it, a `protocheck.toml`
    /// with `compat = "…"` and no level asks for it too.
    pub fn compat(mut self, mode: crate::registry::Mode) -> Check {
        self.compat = Some(mode);
        self
    }

    /// Runs the check.
    pub fn run(&self) -> Result<Outcome, Error> {
        let mut notes = Vec::new();
        let new_arg = self.new.arg();
        let workspace = workspace_at(&self.new, &self.includes, self.upwards)?;
        let new = new_side(&self.new, workspace.as_ref())?;
        // Where NEW is in the working tree: configuration is looked for
        // from there, and `git:REF` alone takes this path.
        let new_path = match (&new, new_arg) {
            (Input::Git(g), _) => g.repo.join(&g.path),
            (Input::Workspace(ws), _) => ws.root.clone(),
            (_, Some(a)) => a.to_path_buf(),
            (i, None) => i.path().to_path_buf(),
        };
        let config = match &self.config {
            ConfigChoice::Ignore if workspace.is_some() => Some(Config::default()),
            ConfigChoice::Ignore => None,
            ConfigChoice::Given(c) => Some(c.clone()),
            ConfigChoice::File(path) => Some(Config::load(path)?),
            // Each module of a workspace has its own configuration, unless
            // a protocheck.toml applies (it takes precedence over buf.yaml).
            ConfigChoice::Discover if matches!(new, Input::Memory(_)) => None,
            ConfigChoice::Discover if workspace.is_some() => {
                Config::discover(&new_path)?.filter(|c| !c.is_yaml())
            }
            ConfigChoice::Discover => Config::discover(&new_path)?,
        };
        let options = Options {
            level: self.level,
            config,
            // The files of deps found in buf's cache are import roots of both sides.
            includes: with_dep_roots(&self.includes, &workspace.iter().collect::<Vec<_>>()),
            deny_warnings: self.deny_warnings,
            full: self.full,
            protoc: self.protoc.clone(),
            exclude_imports: self.exclude_imports,
            workspace: workspace.clone(),
        };
        // `git:REF` where there is nothing old yet (no commit, or NEW's
        // path not at REF) is an empty old schema: `None` here.
        let mut olds = Vec::new();
        for source in &self.against {
            let old = match source {
                Source::Arg(a) => match classify(Side::Old, a, Some(&new_path)) {
                    Ok(i) => i,
                    Err(e) => match nothing_old(a, &e) {
                        Some(note) => {
                            notes.push(note);
                            olds.push(None);
                            continue;
                        }
                        None => return Err(e.into()),
                    },
                },
                Source::Input(i) => i.clone(),
            };
            olds.push(Some(match &workspace {
                Some(ws) => crate::input::workspace::old_side(old, ws, &self.includes)?,
                None => old,
            }));
        }
        if olds.is_empty() {
            return Err(Error::from(crate::config::ConfigError {
                message: "nothing to check against: give an old version".to_owned(),
                path: None,
                source_code: None,
                labels: Vec::new(),
                help: Some("pass OLD NEW, or NEW --against OLD (a path or git:REF)".to_owned()),
            }));
        }
        // Schema Registry mode: --compat, else `compat` of protocheck.toml
        // unless a level asks for buf's rules.
        let compat = match (self.compat, self.level) {
            (Some(mode), Some(_)) => {
                return Err(crate::registry::Error::WithLevel { mode }.into());
            }
            (Some(mode), None) => Some(mode),
            (None, Some(_)) => None,
            (None, None) => options.config.as_ref().and_then(|c| c.compat),
        };
        if let Some(mode) = compat {
            return self.run_registry(mode, olds, &new, &options, notes);
        }
        if self.roundtrip && olds.len() > 1 {
            notes.push(
                "--roundtrip shows evidence for one comparison; ignored with several --against"
                    .to_owned(),
            );
        }
        // The old sides that are workspaces of their own.
        let old_workspaces: Vec<Arc<Workspace>> = olds
            .iter()
            .filter_map(|o| match o {
                Some(Input::Workspace(w)) if Some(w) != workspace.as_ref() => Some(w.clone()),
                _ => None,
            })
            .collect();
        let checked = if olds.iter().any(Option::is_none) {
            if self.roundtrip {
                notes.push("no round trip: there is no old schema".to_owned());
            }
            check_some_empty(&olds, &new, &options).map(|r| (r, None))
        } else {
            let olds: Vec<Input> = olds.into_iter().flatten().collect();
            if self.roundtrip && olds.len() == 1 {
                check_with_roundtrip(&olds[0], &new, &options, &mut notes)
                    .map(|(r, rt)| (vec![r], rt))
            } else if olds.len() == 1 {
                pipeline::check(&olds[0], &new, &options).map(|r| (vec![r], None))
            } else {
                pipeline::check_each(&olds, &new, &options).map(|r| (r, None))
            }
        };
        // Deps neither cached nor given: an error only if an import did not resolve.
        let (reports, roundtrip) =
            checked.map_err(|e| explain_deps(e, workspace.as_deref(), &old_workspaces))?;
        for ws in workspace.iter().chain(&old_workspaces) {
            notes.extend(ws.unneeded_deps());
        }
        Ok(Outcome {
            reports,
            labels: self.against.iter().map(Source::label).collect(),
            roundtrip,
            notes,
        })
    }
}

impl Check {
    /// [`Check::run`] in Schema Registry mode: one report per old version,
    /// newest first.
    fn run_registry(
        &self,
        mode: crate::registry::Mode,
        olds: Vec<Option<Input>>,
        new: &Input,
        options: &Options,
        mut notes: Vec<String>,
    ) -> Result<Outcome, Error> {
        let labels: Vec<String> = self.against.iter().map(Source::label).collect();
        if self.roundtrip && olds.len() == 1 {
            if let Some(old) = &olds[0] {
                let (o, n) = crate::input::pair::compile_pair(old, new, &options.includes)?;
                let rep = pipeline::registry_report(&o, &n, mode, &labels[0], options);
                let rt = match roundtrip::run(&o, &n, &roundtrip::Options::default()) {
                    Ok(rt) => Some(rt),
                    Err(e @ RoundTripError::NoDescriptors { .. }) => {
                        notes.push(format!("no round trip: {e}"));
                        None
                    }
                    Err(e) => return Err(e.into()),
                };
                return Ok(Outcome {
                    reports: vec![rep],
                    labels,
                    roundtrip: rt,
                    notes,
                });
            }
            notes.push("no round trip: there is no old schema".to_owned());
        }
        let (labels, reports) = pipeline::check_registry(&olds, new, options, mode, &labels)?
            .into_iter()
            .map(|(i, r)| (labels.get(i).cloned().unwrap_or_default(), r))
            .unzip();
        Ok(Outcome {
            reports,
            labels,
            roundtrip: None,
            notes,
        })
    }
}

/// A compiled snapshot of one schema: a binary `FileDescriptorSet` with
/// source info and imports, to use later as an old side.
#[derive(Debug)]
#[non_exhaustive]
pub struct Snapshot {
    /// The descriptor set.
    pub bytes: Vec<u8>,
    /// How many input files and imported files it holds.
    pub inputs: usize,
    /// How many imported files it holds.
    pub imports: usize,
    /// Notes, as [`Outcome::notes`].
    pub notes: Vec<String>,
}

/// Compiles `input` (a buf workspace read as the check reads it) into a
/// [`Snapshot`].
pub fn snapshot(input: impl Into<Source>, includes: &[PathBuf]) -> Result<Snapshot, Error> {
    let source = input.into();
    let ws = workspace_at(&source, includes, false)?;
    let inp = new_side(&source, ws.as_ref())?;
    let includes = with_dep_roots(includes, &ws.iter().collect::<Vec<_>>());
    let (bytes, inputs, imports) = crate::input::snapshot::from_input(&inp, &includes, None)
        .map_err(|e| explain_deps(e.into(), ws.as_deref(), &[]))?;
    Ok(Snapshot {
        bytes,
        inputs,
        imports,
        notes: ws.iter().flat_map(|w| w.unneeded_deps()).collect(),
    })
}

/// Round-trips sample messages between `old` and `new` (buf workspaces read
/// as the check reads them), returning the evidence and notes.
pub fn run_roundtrip(
    old: impl Into<Source>,
    new: impl Into<Source>,
    includes: &[PathBuf],
    options: &roundtrip::Options,
) -> Result<(RoundTrip, Vec<String>), Error> {
    let (old, new) = (old.into(), new.into());
    let ws = workspace_at(&new, includes, false)?;
    let old = match &old {
        Source::Arg(a) => classify(Side::Old, a, new.arg())?,
        Source::Input(i) => i.clone(),
    };
    let old = match &ws {
        Some(ws) => crate::input::workspace::old_side(old, ws, includes)?,
        None => old,
    };
    let new = new_side(&new, ws.as_ref())?;
    let old_ws = match &old {
        Input::Workspace(w) if Some(w) != ws.as_ref() => Some(w.clone()),
        _ => None,
    };
    let workspaces: Vec<&Arc<Workspace>> = ws.iter().chain(&old_ws).collect();
    let includes = with_dep_roots(includes, &workspaces);
    let rt = roundtrip::run_inputs(&old, &new, &includes, options)
        .map_err(|e| explain_deps(e.into(), ws.as_deref(), old_ws.as_slice()))?;
    let notes = workspaces.iter().flat_map(|w| w.unneeded_deps()).collect();
    Ok((rt, notes))
}

fn is_git(arg: &Path) -> bool {
    arg.to_str().is_some_and(|s| s.starts_with("git:"))
}

/// A path from the command line, or `git:…` read from the repository
/// ([`Input::from_arg`], for any path, UTF-8 or not).
fn classify(side: Side, arg: &Path, new: Option<&Path>) -> Result<Input, InputError> {
    match arg.to_str() {
        Some(s) => Input::from_arg(side, s, new),
        None => Input::from_path(side, arg),
    }
}

/// The buf workspace a NEW source is, read as the check reads it: a
/// directory holding a buf.yaml or buf.work.yaml, or with `upwards` one here
/// or in a parent (NEW is the current directory); `None` for any other source.
fn workspace_at(
    source: &Source,
    includes: &[PathBuf],
    upwards: bool,
) -> Result<Option<Arc<Workspace>>, Error> {
    let file = match source.arg() {
        Some(a) if is_git(a) => None,
        Some(a) if upwards => workspace::find_upwards(a),
        Some(a) if a.is_dir() => workspace::file_in(a),
        _ => None,
    };
    Ok(match file {
        Some(f) => Some(Arc::new(Workspace::load(&f, includes)?)),
        None => None,
    })
}

/// NEW as an input: its workspace when it is one, else the source classified.
fn new_side(source: &Source, ws: Option<&Arc<Workspace>>) -> Result<Input, InputError> {
    Ok(match (ws, source) {
        (Some(ws), _) => Input::Workspace(ws.clone()),
        (None, Source::Arg(a)) => classify(Side::New, a, None)?,
        (None, Source::Input(i)) => i.clone(),
    })
}

/// `-I` and the deps' roots of `workspaces`.
fn with_dep_roots(includes: &[PathBuf], workspaces: &[&Arc<Workspace>]) -> Vec<PathBuf> {
    let mut all = includes.to_vec();
    for ws in workspaces {
        for d in &ws.dep_roots {
            if !all.contains(d) {
                all.push(d.clone());
            }
        }
    }
    all
}

/// An error of a check, explained by the deps of the workspaces involved
/// that are neither in buf's cache nor given with `-I`.
fn explain_deps(e: Error, new: Option<&Workspace>, olds: &[Arc<Workspace>]) -> Error {
    let Error::Input(e) = e else {
        return e;
    };
    let e = match new {
        Some(ws) => crate::input::workspace::explain(ws, *e),
        None => *e,
    };
    olds.iter()
        .fold(e, |e, ws| crate::input::workspace::explain(ws, e))
        .into()
}

/// Why `git:REF` (NEW's path at REF) has nothing old, when that is so: the
/// repository has no commits yet, or the path did not exist at REF. The
/// check then runs against an empty old schema. `git:REF:PATH`, which names
/// its path, keeps its error.
fn nothing_old(arg: &Path, e: &InputError) -> Option<String> {
    let spec = arg.to_str()?;
    if spec.strip_prefix("git:")?.contains(':') {
        return None;
    }
    let InputError::Git(g) = e else {
        return None;
    };
    match &**g {
        GitError::UnknownRevision { rev, .. } if rev == "HEAD" => Some(format!(
            "\"{spec}\": the repository has no commits yet, so nothing old can break: checked against an empty old schema"
        )),
        GitError::NoSuchPath { rev, path, .. } => Some(format!(
            "\"{spec}\": \"{path}\" does not exist at git revision \"{rev}\", so nothing old can break: checked against an empty old schema"
        )),
        _ => None,
    }
}

/// The check when some OLD is empty (`None`): NEW against each.
fn check_some_empty(
    olds: &[Option<Input>],
    new: &Input,
    options: &Options,
) -> Result<Vec<Report>, Error> {
    options.selection()?;
    let new_schema =
        crate::input::compile_with(Side::New, new, &options.includes, options.protoc.as_deref())?;
    let empty = Schema::empty(Side::Old);
    olds.iter()
        .map(|old| match old {
            Some(old) => pipeline::check(old, new, options),
            None => pipeline::check_schemas(&empty, &new_schema, options),
        })
        .collect()
}

/// The check with round-trip evidence: both sides compiled whole.
fn check_with_roundtrip(
    old: &Input,
    new: &Input,
    options: &Options,
    notes: &mut Vec<String>,
) -> Result<(Report, Option<RoundTrip>), Error> {
    options.selection()?;
    let (mut o, mut n) = crate::input::pair::compile_pair(old, new, &options.includes)?;
    if !options.exclude_imports {
        o.promote_imports();
        n.promote_imports();
    }
    let rep = pipeline::check_schemas(&o, &n, options)?;
    // Without descriptors (a schema from a source that has none) the check
    // still runs, without the evidence.
    let rt = match roundtrip::run(&o, &n, &roundtrip::Options::default()) {
        Ok(rt) => Some(rt),
        Err(e @ RoundTripError::NoDescriptors { .. }) => {
            notes.push(format!("no round trip: {e}"));
            None
        }
        Err(e) => return Err(e.into()),
    };
    Ok((rep, rt))
}
