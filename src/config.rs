//! Configuration: `protocheck.toml`, or the `breaking:` section of a
//! `buf.yaml` (v1beta1, v1, v2) read with buf's meaning.
//!
//! ```toml
//! # protocheck.toml
//! level = "wire-json"            # or: use = ["FILE"], rule IDs and levels
//! except = ["FIELD_NO_DELETE"]   # rule IDs or levels removed after `use`
//! ignore = ["shop/v1alpha1"]     # files or directories (import paths)
//! ignore_unstable_packages = true
//! [ignore_only]
//! FIELD_SAME_NAME = ["shop/v1/legacy.proto"]
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use miette::{Diagnostic, LabeledSpan, NamedSource};
use serde::Deserialize;

use crate::error::Error;
use crate::finding::Finding;
use crate::rules::{self, Level, Rule};
use crate::schema::Schema;

/// Which rule set the configuration speaks: buf's config versions differ in
/// which rules exist and which levels they belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleSetVersion {
    V1Beta1,
    V1,
    V2,
}

/// A configuration problem, pointing into the file.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(protocheck::config))]
pub struct ConfigError {
    pub message: String,
    pub path: Option<String>,
    #[source_code]
    pub source_code: Option<NamedSource<Arc<str>>>,
    #[label(collection)]
    pub labels: Vec<LabeledSpan>,
    #[help]
    pub help: Option<String>,
}

/// A value from the file with where it was written.
#[derive(Debug, Clone)]
pub struct Entry {
    pub value: String,
    pub span: Option<Range<usize>>,
}

/// A parsed configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it came from, if any.
    pub path: Option<PathBuf>,
    text: Option<Arc<str>>,
    pub version: RuleSetVersion,
    /// `level = …` (protocheck.toml only); `use` wins if both are given.
    pub level: Option<Entry>,
    pub use_: Vec<Entry>,
    pub except: Vec<Entry>,
    /// Files or directories, as import paths.
    pub ignore: Vec<String>,
    pub ignore_only: Vec<(Entry, Vec<String>)>,
    pub ignore_unstable_packages: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            path: None,
            text: None,
            version: RuleSetVersion::V2,
            level: None,
            use_: Vec::new(),
            except: Vec::new(),
            ignore: Vec::new(),
            ignore_only: Vec::new(),
            ignore_unstable_packages: false,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlConfig {
    level: Option<toml::Spanned<String>>,
    #[serde(rename = "use", default)]
    use_: Vec<toml::Spanned<String>>,
    #[serde(default)]
    except: Vec<toml::Spanned<String>>,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    ignore_only: BTreeMap<toml::Spanned<String>, Vec<String>>,
    #[serde(default)]
    ignore_unstable_packages: bool,
}

#[derive(Deserialize, Default)]
struct BufBreaking {
    #[serde(rename = "use", default)]
    use_: Vec<String>,
    #[serde(default)]
    except: Vec<String>,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    ignore_only: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    ignore_unstable_packages: bool,
}

#[derive(Deserialize)]
struct BufModule {
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    breaking: Option<BufBreaking>,
}

#[derive(Deserialize)]
struct BufYaml {
    version: Option<String>,
    #[serde(default)]
    breaking: Option<BufBreaking>,
    #[serde(default)]
    modules: Vec<BufModule>,
}

/// The deprecated buf IDs and what they stand for now.
pub const DEPRECATED: &[(&str, &[&str])] = &[
    ("FIELD_SAME_CTYPE", &["FIELD_SAME_CPP_STRING_TYPE"]),
    (
        "FIELD_SAME_LABEL",
        &[
            "FIELD_SAME_CARDINALITY",
            "FIELD_WIRE_COMPATIBLE_CARDINALITY",
            "FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY",
        ],
    ),
    (
        "FILE_SAME_JAVA_STRING_CHECK_UTF8",
        &["FIELD_SAME_JAVA_UTF8_VALIDATION"],
    ),
    ("FILE_SAME_PHP_GENERIC_SERVICES", &[]),
    ("MESSAGE_SAME_MESSAGE_SET_WIRE_FORMAT", &[]),
];

/// Rules that only buf v2 has.
const V2_ONLY: &[&str] = &[
    "EXTENSION_NO_DELETE",
    "PACKAGE_EXTENSION_NO_DELETE",
    "FIELD_SAME_DEFAULT",
];

/// Rules that buf v1beta1 lacks (on top of [`V2_ONLY`]).
const NOT_IN_V1BETA1: &[&str] = &[
    "FIELD_WIRE_COMPATIBLE_TYPE",
    "FIELD_WIRE_JSON_COMPATIBLE_TYPE",
];

/// Rules whose levels differ in buf v1beta1.
const V1BETA1_LEVELS: &[(&str, &[Level])] = &[
    (
        "FIELD_SAME_TYPE",
        &[Level::File, Level::Package, Level::WireJson, Level::Wire],
    ),
    (
        "FIELD_SAME_CARDINALITY",
        &[Level::File, Level::Package, Level::WireJson, Level::Wire],
    ),
    ("FILE_SAME_PACKAGE", &[Level::File]),
];

/// Is this one of buf's IDs (rather than one protocheck adds)?
fn is_buf_rule(id: &str) -> bool {
    rules::by_id(id).is_some_and(|r| !r.meta().protocheck_only)
}

impl RuleSetVersion {
    /// Whether a rule exists in this version.
    pub fn has(self, id: &str) -> bool {
        if !is_buf_rule(id) {
            return rules::by_id(id).is_some();
        }
        match self {
            RuleSetVersion::V2 => true,
            RuleSetVersion::V1 => !V2_ONLY.contains(&id),
            RuleSetVersion::V1Beta1 => !V2_ONLY.contains(&id) && !NOT_IN_V1BETA1.contains(&id),
        }
    }

    /// The levels a rule belongs to in this version.
    pub fn levels(self, rule: &dyn Rule) -> &'static [Level] {
        let m = rule.meta();
        if self == RuleSetVersion::V1Beta1 {
            if let Some((_, l)) = V1BETA1_LEVELS.iter().find(|(id, _)| *id == m.id) {
                return l;
            }
        }
        m.levels
    }

    /// Deprecated IDs this version still accepts.
    fn accepts_deprecated(self, id: &str) -> bool {
        match self {
            RuleSetVersion::V2 => id == "MESSAGE_SAME_MESSAGE_SET_WIRE_FORMAT",
            _ => true,
        }
    }
}

/// The rules to run and the findings to drop.
#[derive(Clone)]
pub struct Selection {
    pub rules: Vec<&'static dyn Rule>,
    /// Describes the choice for the summary line: "level file", "protocheck.toml".
    pub describe: String,
    /// The single level in force, when the selection is exactly a level.
    pub level: Option<Level>,
    ignore: Vec<String>,
    ignore_only: BTreeMap<&'static str, Vec<String>>,
    ignore_unstable_packages: bool,
    /// Things worth telling the user (deprecated IDs expanded).
    pub notes: Vec<String>,
}

impl std::fmt::Debug for Selection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ids: Vec<&str> = self.rules.iter().map(|r| r.meta().id).collect();
        f.debug_struct("Selection")
            .field("rules", &ids)
            .field("describe", &self.describe)
            .field("ignore", &self.ignore)
            .field("ignore_only", &self.ignore_only)
            .field("ignore_unstable_packages", &self.ignore_unstable_packages)
            .finish()
    }
}

impl Selection {
    /// Every rule of one level, nothing ignored.
    pub fn level(level: Level) -> Selection {
        Selection {
            rules: rules::for_level(level),
            describe: format!("level {level}"),
            level: Some(level),
            ignore: Vec::new(),
            ignore_only: BTreeMap::new(),
            ignore_unstable_packages: false,
            notes: Vec::new(),
        }
    }

    /// Drops the findings the configuration ignores. A finding is dropped if
    /// its new or its old location is ignored, so deleted files can be ignored.
    pub fn filter(&self, findings: &mut Vec<Finding>, old: &Schema, new: &Schema) {
        if self.ignore.is_empty() && self.ignore_only.is_empty() && !self.ignore_unstable_packages {
            return;
        }
        findings.retain(|f| {
            let mut files = vec![(new, f.location.file.as_str())];
            if let Some(o) = &f.old_location {
                files.push((old, o.file.as_str()));
            }
            !files.iter().any(|&(schema, file)| {
                under_any(file, &self.ignore)
                    || self
                        .ignore_only
                        .get(f.rule)
                        .is_some_and(|paths| under_any(file, paths))
                    || (self.ignore_unstable_packages
                        && schema
                            .file(file)
                            .is_some_and(|fd| is_unstable_package(&fd.package)))
            })
        });
    }
}

/// `file` is `path` or lies beneath it.
fn under_any(file: &str, paths: &[String]) -> bool {
    paths.iter().any(|p| {
        let p = p.trim_end_matches('/');
        p.is_empty() || p == "." || file == p || file.starts_with(&format!("{p}/"))
    })
}

/// buf's unstable packages: the last component is `v1alpha`, `v2beta3`,
/// `v1test…`, `v1p1beta1`…, and there are at least two components.
pub fn is_unstable_package(package: &str) -> bool {
    let parts: Vec<&str> = package.split('.').collect();
    if parts.len() < 2 {
        return false;
    }
    let last = parts[parts.len() - 1];
    let Some(rest) = last.strip_prefix('v') else {
        return false;
    };
    let (major, rest) = split_number(rest);
    if major.is_none_or(|n| n < 1) {
        return false;
    }
    if rest.starts_with("test") {
        return true;
    }
    let alpha_beta = |s: &str| {
        let s = s.strip_prefix("alpha").or_else(|| s.strip_prefix("beta"));
        s.is_some_and(|tail| tail.is_empty() || split_number(tail) == (split_number(tail).0, ""))
    };
    if alpha_beta(rest) {
        return true;
    }
    if let Some(p) = rest.strip_prefix('p') {
        let (minor, tail) = split_number(p);
        return minor.is_some_and(|n| n >= 1) && alpha_beta(tail);
    }
    false
}

fn split_number(s: &str) -> (Option<u64>, &str) {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    (s[..end].parse().ok(), &s[end..])
}

impl Config {
    /// Looks for `protocheck.toml`, then `buf.yaml`, in `start` and its parents.
    pub fn discover(start: &Path) -> Result<Option<Config>, Error> {
        let start = if start.is_dir() {
            start.to_path_buf()
        } else {
            start.parent().map(Path::to_path_buf).unwrap_or_default()
        };
        let start = std::fs::canonicalize(&start).unwrap_or(start);
        for name in ["protocheck.toml", "buf.yaml"] {
            let mut dir = Some(start.as_path());
            while let Some(d) = dir {
                let candidate = d.join(name);
                // Anything by that name but a directory is the configuration
                // (a named pipe is refused by `load`, not silently skipped).
                if candidate.metadata().is_ok_and(|m| !m.is_dir()) {
                    return Config::load(&candidate).map(Some);
                }
                dir = d.parent();
            }
        }
        Ok(None)
    }

    /// Reads a `protocheck.toml` or a `buf.yaml` (by its name or extension).
    pub fn load(path: &Path) -> Result<Config, Error> {
        let fail = |message: String| {
            Error::from(ConfigError {
                message,
                path: Some(path.display().to_string()),
                source_code: None,
                labels: Vec::new(),
                help: None,
            })
        };
        let bytes = crate::input::read_file(path).map_err(|e| {
            fail(match e {
                crate::input::ReadFailure::Io(e) => {
                    format!("cannot read configuration \"{}\": {e}", path.display())
                }
                e => format!("configuration \"{}\" {e}", path.display()),
            })
        })?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let valid = e.as_bytes().get(..e.utf8_error().valid_up_to());
            let valid = valid
                .and_then(|v| std::str::from_utf8(v).ok())
                .unwrap_or("");
            let (line, col) = line_col(valid, valid.len());
            fail(format!(
                "invalid configuration {}:{line}:{col}: not valid UTF-8",
                path.display()
            ))
        })?;
        let is_yaml = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
        if is_yaml {
            Config::from_buf_yaml(path, &text)
        } else {
            Config::from_toml(path, &text)
        }
    }

    fn error_at(
        path: &Path,
        text: &str,
        message: String,
        span: Option<Range<usize>>,
        label: &str,
        help: Option<String>,
    ) -> Error {
        Error::from(ConfigError {
            message,
            path: Some(path.display().to_string()),
            source_code: Some(NamedSource::new(
                path.display().to_string(),
                Arc::from(text),
            )),
            labels: span
                .map(|s| vec![LabeledSpan::new(Some(label.to_owned()), s.start, s.len())])
                .unwrap_or_default(),
            help,
        })
    }

    pub fn from_toml(path: &Path, text: &str) -> Result<Config, Error> {
        let raw: TomlConfig = toml::from_str(text).map_err(|e| {
            let (line, col) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
            Config::error_at(
                path,
                text,
                format!(
                    "invalid configuration {}:{line}:{col}: {}",
                    path.display(),
                    e.message().trim()
                ),
                e.span(),
                "here",
                None,
            )
        })?;
        let entry = |s: toml::Spanned<String>| Entry {
            span: Some(s.span()),
            value: s.into_inner(),
        };
        Ok(Config {
            path: Some(path.to_path_buf()),
            text: Some(Arc::from(text)),
            version: RuleSetVersion::V2,
            level: raw.level.map(entry),
            use_: raw.use_.into_iter().map(entry).collect(),
            except: raw.except.into_iter().map(entry).collect(),
            ignore: raw.ignore,
            ignore_only: raw
                .ignore_only
                .into_iter()
                .map(|(k, v)| (entry(k), v))
                .collect(),
            ignore_unstable_packages: raw.ignore_unstable_packages,
        })
    }

    pub fn from_buf_yaml(path: &Path, text: &str) -> Result<Config, Error> {
        let raw: BufYaml = serde_yaml_ng::from_str(text).map_err(|e| {
            let loc = e.location();
            let (line, col) = loc
                .as_ref()
                .map(|l| (l.line(), l.column()))
                .unwrap_or((1, 1));
            Config::error_at(
                path,
                text,
                format!("invalid buf.yaml {}:{line}:{col}: {e}", path.display()),
                loc.map(|l| l.index()..l.index() + 1),
                "here",
                None,
            )
        })?;
        let version = match raw.version.as_deref() {
            Some("v1beta1") => RuleSetVersion::V1Beta1,
            Some("v1") | None => RuleSetVersion::V1,
            Some("v2") => RuleSetVersion::V2,
            Some(other) => {
                // A value folded over lines is not in the text as such: point
                // at the key then.
                let span = find(text, other).or_else(|| find(text, "version"));
                let (line, col) = span.clone().map_or((1, 1), |s| line_col(text, s.start));
                return Err(Config::error_at(
                    path,
                    text,
                    format!(
                        "unknown buf.yaml version \"{other}\" in {}:{line}:{col}",
                        path.display()
                    ),
                    span,
                    "here",
                    Some("buf.yaml versions are v1beta1, v1 and v2".to_owned()),
                ));
            }
        };
        // v2 workspaces may configure breaking per module; the top level wins,
        // else the first module that has a section.
        let (breaking, module_root) = match raw.breaking {
            Some(b) => (b, None),
            None => raw
                .modules
                .into_iter()
                .find_map(|m| m.breaking.map(|b| (b, m.path)))
                .unwrap_or_default(),
        };
        let strip = |p: String| match &module_root {
            Some(root) => p
                .strip_prefix(&format!("{}/", root.trim_end_matches('/')))
                .map(str::to_owned)
                .unwrap_or(p),
            None => p,
        };
        let entry = |v: String| Entry {
            span: find(text, &v),
            value: v,
        };
        Ok(Config {
            path: Some(path.to_path_buf()),
            text: Some(Arc::from(text)),
            version,
            level: None,
            use_: breaking.use_.into_iter().map(entry).collect(),
            except: breaking.except.into_iter().map(entry).collect(),
            ignore: breaking.ignore.into_iter().map(strip).collect(),
            ignore_only: breaking
                .ignore_only
                .into_iter()
                .map(|(k, v)| (entry(k), v.into_iter().map(strip).collect()))
                .collect(),
            ignore_unstable_packages: breaking.ignore_unstable_packages,
        })
    }

    fn name(&self) -> String {
        self.path
            .as_ref()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "configuration".to_owned())
    }

    fn unknown(&self, e: &Entry, candidates: &[String]) -> Error {
        let best = candidates
            .iter()
            .map(|c| {
                (
                    strsim::jaro_winkler(&e.value.to_uppercase(), &c.to_uppercase()),
                    c,
                )
            })
            .filter(|(score, _)| *score > 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, c)| c.clone());
        let path = self.path.clone().unwrap_or_default();
        let text = self.text.as_deref().unwrap_or_default();
        let (line, col) = e
            .span
            .clone()
            .map(|s| line_col(text, s.start))
            .unwrap_or((1, 1));
        Config::error_at(
            &path,
            text,
            format!(
                "unknown rule or level \"{}\" in {}:{line}:{col}",
                e.value,
                path.display()
            ),
            e.span.clone(),
            "not a rule ID or level",
            Some(match best {
                Some(b) => format!("did you mean \"{b}\"? `protocheck rules` lists them all"),
                None => "`protocheck rules` lists the rule IDs; levels are file, package, wire-json and wire".to_owned(),
            }),
        )
    }

    /// Expands one `use`/`except`/`ignore_only` entry into rule IDs.
    fn expand(&self, e: &Entry, notes: &mut Vec<String>) -> Result<Vec<&'static str>, Error> {
        if let Ok(level) = e.value.parse::<Level>() {
            return Ok(rules::ALL
                .iter()
                .filter(|r| {
                    self.version.has(r.meta().id) && self.version.levels(**r).contains(&level)
                })
                .map(|r| r.meta().id)
                .collect());
        }
        if let Some(r) = rules::by_id(&e.value).filter(|r| self.version.has(r.meta().id)) {
            return Ok(vec![r.meta().id]);
        }
        // protocheck.toml accepts every deprecated ID, to ease moving over.
        let protocheck_toml = !self.is_yaml();
        if let Some((id, replacements)) = DEPRECATED.iter().find(|(id, _)| *id == e.value) {
            if protocheck_toml || self.version.accepts_deprecated(id) {
                notes.push(if replacements.is_empty() {
                    format!(
                        "{} names the deprecated rule {id}, which checks nothing; dropped",
                        self.name()
                    )
                } else {
                    format!(
                        "{} names the deprecated rule {id}; using {} instead",
                        self.name(),
                        replacements.join(", ")
                    )
                });
                return Ok(replacements
                    .iter()
                    .filter_map(|r| rules::by_id(r))
                    .map(|r| r.meta().id)
                    .collect());
            }
        }
        let mut candidates: Vec<String> = rules::ALL
            .iter()
            .map(|r| r.meta().id.to_owned())
            .filter(|id| self.version.has(id))
            .collect();
        candidates.extend(
            Level::ALL
                .iter()
                .flat_map(|l| [l.name().to_owned(), l.buf_name().to_owned()]),
        );
        Err(self.unknown(e, &candidates))
    }

    fn is_yaml(&self) -> bool {
        self.path
            .as_ref()
            .and_then(|p| p.extension())
            .is_some_and(|e| e == "yaml" || e == "yml")
    }

    /// Resolves the rules to run. `level` (from the command line) replaces
    /// `use` and `level` of the file; `except` and the ignores still apply.
    pub fn select(&self, level: Option<Level>) -> Result<Selection, Error> {
        let mut notes = Vec::new();
        let chosen: Vec<Entry> = match (level, &self.level) {
            (Some(l), _) => vec![Entry {
                value: l.name().to_owned(),
                span: None,
            }],
            (None, _) if !self.use_.is_empty() => self.use_.clone(),
            (None, Some(l)) => vec![l.clone()],
            (None, None) => vec![Entry {
                value: Level::File.name().to_owned(),
                span: None,
            }],
        };
        let mut ids: BTreeSet<&'static str> = BTreeSet::new();
        for e in &chosen {
            ids.extend(self.expand(e, &mut notes)?);
        }
        for e in &self.except {
            for id in self.expand(e, &mut notes)? {
                ids.remove(id);
            }
        }
        let mut ignore_only: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
        for (e, paths) in &self.ignore_only {
            for id in self.expand(e, &mut notes)? {
                ignore_only
                    .entry(id)
                    .or_default()
                    .extend(paths.iter().cloned());
            }
        }
        let single_level = if chosen.len() == 1 && self.except.is_empty() {
            chosen[0].value.parse::<Level>().ok()
        } else {
            None
        };
        let describe = match single_level {
            Some(l) if level.is_some() || self.path.is_none() => format!("level {l}"),
            Some(l) => format!("level {l} ({})", self.name()),
            None => format!("the rules of {}", self.name()),
        };
        Ok(Selection {
            rules: rules::ALL
                .iter()
                .copied()
                .filter(|r| ids.contains(r.meta().id))
                .collect(),
            describe,
            level: single_level,
            ignore: self.ignore.clone(),
            ignore_only,
            ignore_unstable_packages: self.ignore_unstable_packages,
            notes,
        })
    }
}

fn find(text: &str, needle: &str) -> Option<Range<usize>> {
    text.find(needle).map(|i| i..i + needle.len())
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unstable_packages_follow_buf() {
        for p in [
            "foo.v1alpha",
            "foo.v1alpha1",
            "foo.v2beta3",
            "foo.v1test",
            "foo.v1testfoo",
            "a.b.v1p1beta1",
            "foo.v1p2alpha",
        ] {
            assert!(is_unstable_package(p), "{p}");
        }
        for p in [
            "foo.v1",
            "v1alpha1",
            "foo.v0alpha1",
            "foo.v0",
            "foo.bar",
            "foo.v1alphax",
            "foo.v1p0beta1",
            "foo.valpha1",
        ] {
            assert!(!is_unstable_package(p), "{p}");
        }
    }

    #[test]
    fn ignores_match_files_and_directories() {
        let paths = vec!["shop/v1alpha".to_owned(), "a.proto".to_owned()];
        assert!(under_any("shop/v1alpha/x.proto", &paths));
        assert!(under_any("a.proto", &paths));
        assert!(!under_any("shop/v1alphax/x.proto", &paths));
        assert!(!under_any("b/a.proto", &paths));
    }
}
