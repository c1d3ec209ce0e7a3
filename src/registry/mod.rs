//! Schema Registry mode (`--compat MODE`): the verdict the Confluent Schema
//! Registry gives when a protobuf schema is registered under a subject whose
//! compatibility level is MODE, computed locally, with protocheck's locations,
//! who breaks, a fix that the registry accepts, and notes where the registry
//! and the bytes on the wire disagree.
//!
//! One subject is one `.proto` file: its imports resolve types and matter
//! only through the fields that use them (an imported file is its own subject,
//! judged when it is itself registered). Files pair by name, each its own
//! subject. BACKWARD is the registry's diff from the old version to the new,
//! FORWARD the same diff with the roles swapped, FULL both (forward part
//! first). The stage reads only the compiled model ([`crate::schema`]) and
//! produces [`Finding`]s.
//!
//! ```
//! use protocheck::registry::{self, Mode};
//! use protocheck::{compile_pair, Input, Side};
//!
//! use std::path::Path;
//!
//! let old = Input::from_path(Side::Old, Path::new("fixtures/registry_transitive/old")).unwrap();
//! let new = Input::from_path(Side::New, Path::new("fixtures/registry_transitive/new_v3")).unwrap();
//! let (old, new) = compile_pair(&old, &new, &[]).unwrap();
//! let outcome = registry::check(&old, &new, Mode::Backward, None);
//! let refused: Vec<_> = outcome
//!     .findings
//!     .iter()
//!     .filter(|f| f.is_error())
//!     .map(|f| (f.rule, f.registry.as_ref().unwrap().path.as_str()))
//!     .collect();
//! assert_eq!(refused, [("FIELD_SCALAR_KIND_CHANGED", "#/Metric/2")]);
//! ```

mod diff;
mod explain;
mod fixes;
mod messages;
mod modes;
mod notes;

pub use diff::{scalar_group, DiffType, Difference, Target};
pub use explain::explain;
pub use modes::{Direction, Mode};
pub use notes::{LETS_THROUGH, REFUSES_SAFE};

use crate::engine::finding::{Audience, ElementKind, Finding, Location, RegistryInfo, Severity};
use crate::schema::Schema;

/// Why a check in Schema Registry mode could not run.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum Error {
    #[error("--compat {mode} compares against one version, and {given} were given")]
    #[diagnostic(
        code(protocheck::registry::one_version),
        help("pass exactly one --against (the subject's latest version), or use --compat {mode}-transitive to check against every version given")
    )]
    OneVersion { mode: Mode, given: usize },

    #[error("--compat and --level answer different questions and cannot be combined")]
    #[diagnostic(
        code(protocheck::registry::with_level),
        help("--compat {mode} gives the Schema Registry's verdict; --level gives buf's rules (`--level csr` is buf's CSR category, stricter than the registry): drop one of them")
    )]
    WithLevel { mode: Mode },

    #[error("--compat {mode} needs an old version to compare with")]
    #[diagnostic(
        code(protocheck::registry::no_version),
        help("pass the subject's registered version(s) with --against (a file, a directory or git:REF)")
    )]
    NoVersion { mode: Mode },
}

/// Checks that `given` old versions suit `mode`: the non-transitive modes
/// compare with exactly one (the latest), the others with at least one.
pub fn require_versions(mode: Mode, given: usize) -> Result<(), Error> {
    if given == 0 {
        return Err(Error::NoVersion { mode });
    }
    if !mode.is_transitive() && mode != Mode::None && given != 1 {
        return Err(Error::OneVersion { mode, given });
    }
    Ok(())
}

/// The subjects two versions have in common: pairs of file indices (old,
/// new), by file name; and the names of files only one side has.
pub struct Subjects {
    pub pairs: Vec<(usize, usize)>,
    /// Files of the new version that are not in the old one: new subjects,
    /// whose first registration nothing can refuse.
    pub new_only: Vec<String>,
    /// Files of the old version that the new one no longer has.
    pub old_only: Vec<String>,
}

pub fn subjects(old: &Schema, new: &Schema) -> Subjects {
    let mut s = Subjects {
        pairs: Vec::new(),
        new_only: Vec::new(),
        old_only: Vec::new(),
    };
    for (ni, nf) in new.target_files() {
        match old.target_file_index(&nf.name) {
            Some(oi) => s.pairs.push((oi, ni)),
            None => s.new_only.push(nf.name.clone()),
        }
    }
    for (_, of) in old.target_files() {
        if new.target_file_index(&of.name).is_none() {
            s.old_only.push(of.name.clone());
        }
    }
    s
}

/// The registry's differences of one direction, per subject, compatible
/// ones included: `(file name, difference)`. Targets index into the
/// diff's original side (`old` for backward, `new` for forward) and update
/// side.
pub fn differences(old: &Schema, new: &Schema, direction: Direction) -> Vec<(String, Difference)> {
    let mut out = Vec::new();
    for (oi, ni) in subjects(old, new).pairs {
        let name = new.files[ni].name.clone();
        let list = match direction {
            Direction::Backward => diff::diff(old, oi, new, ni),
            Direction::Forward => diff::diff(new, ni, old, oi),
        };
        out.extend(list.into_iter().map(|d| (name.clone(), d)));
    }
    out
}

/// What a check in Schema Registry mode found.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Errors (what the registry refuses; infos under NONE) and notes (infos).
    pub findings: Vec<Finding>,
    /// Remarks for the summary (new subjects, files no longer there).
    pub remarks: Vec<String>,
}

/// Checks `new` against one registered version `old` as the registry does
/// under `mode`. `version` names the old version in each finding (for the
/// transitive modes).
pub fn check(old: &Schema, new: &Schema, mode: Mode, version: Option<&str>) -> Outcome {
    let mut out = Outcome::default();
    let subjects = subjects(old, new);
    for n in &subjects.new_only {
        out.remarks.push(format!(
            "\"{n}\" is a new subject: its first registration is never refused"
        ));
    }
    for o in &subjects.old_only {
        out.remarks.push(format!(
            "\"{o}\" is not in the new version: that subject is not checked"
        ));
    }
    // NONE checks nothing; protocheck shows what FULL would refuse, as infos.
    let directions: &[Direction] = match mode {
        Mode::None => &[Direction::Forward, Direction::Backward],
        m => m.directions(),
    };
    for &direction in directions {
        for (subject, d) in differences(old, new, direction) {
            if d.kind.is_compatible() {
                continue;
            }
            let mut f = finding(old, new, &d, direction, version, &subject);
            if mode == Mode::None {
                f.severity = Severity::Info;
                f.message = format!(
                    "{} (NONE accepts every change; FULL would refuse this one)",
                    f.message
                );
            }
            out.findings.push(f);
        }
    }
    out.findings
        .extend(notes::notes(old, new, mode, version, &subjects.pairs));
    out
}

/// Which schema holds each side of a difference of `direction`, as (old
/// side, new side) targets.
fn sides(
    d: &Difference,
    direction: Direction,
) -> ((Option<Target>, Target), (Option<Target>, Target)) {
    match direction {
        Direction::Backward => (
            (d.original, d.original_context),
            (d.update, d.update_context),
        ),
        Direction::Forward => (
            (d.update, d.update_context),
            (d.original, d.original_context),
        ),
    }
}

fn finding(
    old: &Schema,
    new: &Schema,
    d: &Difference,
    direction: Direction,
    version: Option<&str>,
    subject: &str,
) -> Finding {
    let ((ot, octx), (nt, nctx)) = sides(d, direction);
    let description = messages::description(d.kind, &d.path, direction);
    let mut message = messages::account(d, (old, ot), (new, nt), direction);
    if d.nested {
        message = format!(
            "{message} (a type of another file: the registry compares its body because a field \
             of subject \"{subject}\" uses it and that file changed)"
        );
    }
    let help = format!(
        "{}. The registry prints: {}",
        messages::help(d, (old, ot), (new, nt), version.is_some()),
        messages::registry_line(d.kind, &description)
    );
    let package = d.kind == DiffType::PackageChanged;
    build(
        Build {
            rule: d.kind.name(),
            severity: Severity::Error,
            message,
            help,
            affects: vec![match direction {
                Direction::Backward => Audience::NewReadersOfOldData,
                Direction::Forward => Audience::OldReadersOfNewData,
            }],
            registry: RegistryInfo {
                kind: Some(d.kind.name()),
                path: d.path.clone(),
                message: Some(description),
                version: version.map(str::to_owned),
            },
            package,
            fix: fixes::fix(d, (old, ot), (new, nt, nctx), version.is_some()),
        },
        (old, ot, octx),
        (new, nt, nctx),
    )
}

/// What a finding says, before its places are resolved.
pub(crate) struct Build {
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    pub help: String,
    pub affects: Vec<Audience>,
    pub registry: RegistryInfo,
    /// Point at the `package` statement rather than the whole file.
    pub package: bool,
    pub fix: Option<crate::engine::finding::Fix>,
}

/// A finding at `new` (its element, else its context) and `old`.
pub(crate) fn build(
    b: Build,
    old: (&Schema, Option<Target>, Target),
    new: (&Schema, Option<Target>, Target),
) -> Finding {
    let (os, ot, octx) = old;
    let (ns, nt, nctx) = new;
    let (kind, element) = match (nt, ot) {
        (Some(t), _) => element(ns, t),
        (None, Some(t)) => element(os, t),
        (None, None) => element(ns, nctx),
    };
    let subject = match nt.or(ot) {
        Some(Target::Field(..)) => {
            let number = messages::field(ns, nt)
                .or_else(|| messages::field(os, ot))
                .map(|f| f.number)
                .unwrap_or_default();
            let msg = match (nt, ot) {
                (Some(Target::Field(m, _)), _) => ns.messages[m].full_name.clone(),
                (_, Some(Target::Field(m, _))) => os.messages[m].full_name.clone(),
                _ => String::new(),
            };
            format!("field:{msg}:{number}")
        }
        Some(Target::Message(_)) => format!("message:{element}"),
        _ => format!("registry:{}", b.registry.path),
    };
    // An element's whole declaration; a context (what holds an element that
    // is not on this side) by its name only.
    let place = |s: &Schema, t: Option<Target>, ctx: Target| {
        let (file, mut path) = place(s, t.unwrap_or(ctx));
        if b.package && matches!(t, Some(Target::File(_))) {
            path = vec![2];
        } else if t.is_none() && matches!(ctx, Target::Message(_) | Target::Enum(_)) {
            path.push(1);
        }
        location(s, file, &path)
    };
    Finding {
        rule: b.rule,
        severity: b.severity,
        message: b.message,
        help: Some(b.help),
        fix: b.fix,
        affects: b.affects,
        element_kind: kind,
        element,
        subject,
        location: place(ns, nt, nctx),
        old_location: Some(place(os, ot, octx)),
        old_text: ot.and_then(|t| messages::declaration(os, t)),
        new_text: nt.and_then(|t| messages::declaration(ns, t)),
        registry: Some(b.registry),
    }
}

fn element(s: &Schema, t: Target) -> (ElementKind, String) {
    match t {
        Target::File(f) => (ElementKind::File, s.files[f].name.clone()),
        Target::Message(m) => (ElementKind::Message, s.messages[m].full_name.clone()),
        Target::Enum(e) => (ElementKind::Enum, s.enums[e].full_name.clone()),
        Target::EnumValue(e, v) => (
            ElementKind::EnumValue,
            format!("{}.{}", s.enums[e].full_name, s.enums[e].values[v].name),
        ),
        Target::Field(m, f) => (
            ElementKind::Field,
            s.messages[m].fields[f].full_name.clone(),
        ),
        Target::Oneof(m, o) => (
            ElementKind::Oneof,
            format!(
                "{}.{}",
                s.messages[m].full_name, s.messages[m].oneofs[o].name
            ),
        ),
    }
}

/// The file and descriptor path of an element.
fn place(s: &Schema, t: Target) -> (usize, Vec<i32>) {
    match t {
        Target::File(f) => (f, Vec::new()),
        Target::Message(m) => (s.messages[m].file, s.messages[m].path.clone()),
        Target::Enum(e) => (s.enums[e].file, s.enums[e].path.clone()),
        Target::EnumValue(e, v) => (s.enums[e].file, s.enums[e].values[v].path.clone()),
        Target::Field(m, f) => (s.messages[m].file, s.messages[m].fields[f].path.clone()),
        Target::Oneof(m, o) => (s.messages[m].file, s.messages[m].oneofs[o].path.clone()),
    }
}

fn location(s: &Schema, file: usize, path: &[i32]) -> Location {
    let f = &s.files[file];
    let (shown, revision) = match &f.revision {
        Some(rev) => (
            f.display_path
                .strip_prefix(&format!("{rev}:"))
                .unwrap_or(&f.display_path)
                .to_owned(),
            Some(rev.clone()),
        ),
        None => (f.display_path.clone(), None),
    };
    Location {
        path: shown,
        file: f.name.clone(),
        span: if path.is_empty() { None } else { f.span(path) },
        source_info: f.has_source_info(),
        revision,
    }
}

/// The registry's path of a message: `#/Outer/Inner`.
pub(crate) fn message_path(s: &Schema, m: usize) -> String {
    format!("#/{}", s.messages[m].nested_name_str().replace('.', "/"))
}
