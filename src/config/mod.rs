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

pub mod workspace;

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use miette::{Diagnostic, LabeledSpan, NamedSource};
use serde::Deserialize;

use crate::engine::finding::Finding;
use crate::rules::{self, Level, Rule};
use crate::schema::Schema;

/// Which rule set the configuration speaks: buf's config versions differ in
/// which rules exist and which levels they belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleSetVersion {
    /// `version: v1beta1`.
    V1Beta1,
    /// `version: v1` (and a `buf.yaml` without a version).
    V1,
    /// `version: v2`, and every `protocheck.toml`.
    V2,
}

/// A configuration problem, pointing into the file: the config stage's
/// error (an unknown rule ID, a bad key, a workspace whose modules overlap),
/// wrapped by [`crate::Error::Config`].
///
/// As a [`miette::Diagnostic`] it carries the file's text and a label on the
/// offending value.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(protocheck::config))]
pub struct ConfigError {
    /// What is wrong, with the file and place (`invalid configuration protocheck.toml:3:9: …`).
    pub message: String,
    /// The configuration file, as given, when the problem is in one.
    pub path: Option<String>,
    /// The file's text, for the diagnostic's snippet.
    #[source_code]
    pub source_code: Option<Arc<NamedSource<Arc<str>>>>,
    /// The places in `source_code` the diagnostic points at.
    #[label(collection)]
    pub labels: Vec<LabeledSpan>,
    /// How to fix it, where protocheck knows (the closest rule ID to a misspelt one).
    #[help]
    pub help: Option<String>,
}

/// A value from the file with where it was written.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The value as written (a rule ID, a level).
    pub value: String,
    /// Its byte range in the configuration file, for diagnostics.
    pub span: Option<Range<usize>>,
}

/// A parsed configuration: `protocheck.toml`, or the `breaking:` section of
/// a `buf.yaml`, with buf's meaning for each version.
///
/// A configuration says which rules run ([`Config::select`] turns it into a
/// [`Selection`]) and which findings are dropped. The default runs the
/// `file` level, nothing ignored.
///
/// ```
/// use std::path::Path;
/// use protocheck::{Config, Level};
///
/// let config = Config::from_toml(
///     Path::new("protocheck.toml"),
///     "level = \"wire\"\nexcept = [\"FIELD_WIRE_NO_NARROWING\"]\n",
/// )?;
/// let selection = config.select(None)?;
/// assert_eq!(selection.level, None); // a level less one rule
/// assert!(!selection.runs("FIELD_WIRE_NO_NARROWING"));
/// assert!(selection.runs("FIELD_WIRE_COMPATIBLE_TYPE"));
/// assert!(config.select(Some(Level::Package))?.runs("FIELD_SAME_NAME"));
/// # Ok::<(), protocheck::config::ConfigError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it came from, if any.
    pub path: Option<PathBuf>,
    text: Option<Arc<str>>,
    /// The rule set the file speaks (buf's config version; `V2` for protocheck.toml).
    pub version: RuleSetVersion,
    /// `level = …` (protocheck.toml only); `use` wins if both are given.
    pub level: Option<Entry>,
    /// `use:` — rule IDs and levels (buf's categories) to run.
    pub use_: Vec<Entry>,
    /// `except:` — rule IDs and levels removed from those `use` chooses.
    pub except: Vec<Entry>,
    /// Files or directories, as import paths.
    pub ignore: Vec<String>,
    /// `ignore_only:` — a rule ID or level, and the paths it is ignored under.
    pub ignore_only: Vec<(Entry, Vec<String>)>,
    /// `ignore_unstable_packages: true`: findings in alpha, beta and test packages (`foo.v1alpha1`, `foo.v1test`) are dropped.
    pub ignore_unstable_packages: bool,
    /// `disable_builtin: true`: none of the built-in rules run.
    pub disable_builtin: bool,
    /// For a buf.yaml: its modules and deps.
    pub layout: Option<Box<BufLayout>>,
    /// `compat = "…"` (protocheck.toml only): Schema Registry mode.
    pub compat: Option<crate::registry::Mode>,
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
            disable_builtin: false,
            layout: None,
            compat: None,
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
    compat: Option<toml::Spanned<String>>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
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
    #[serde(default)]
    disable_builtin: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BufModule {
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    #[allow(dead_code)]
    name: Option<String>,
    #[serde(default)]
    includes: Vec<String>,
    #[serde(default)]
    excludes: Vec<String>,
    /// Lint settings: not protocheck's business, but checked to be a mapping.
    #[serde(default)]
    #[allow(dead_code)]
    lint: Option<BTreeMap<String, serde_yaml_ng::Value>>,
    #[serde(default)]
    breaking: Option<BufBreaking>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct BufBuild {
    #[serde(default)]
    roots: Vec<String>,
    #[serde(default)]
    excludes: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BufYaml {
    version: Option<String>,
    #[serde(default)]
    #[allow(dead_code)]
    name: Option<String>,
    #[serde(default)]
    deps: Vec<String>,
    #[serde(default)]
    build: Option<BufBuild>,
    #[serde(default)]
    #[allow(dead_code)]
    lint: Option<BTreeMap<String, serde_yaml_ng::Value>>,
    #[serde(default)]
    breaking: Option<BufBreaking>,
    #[serde(default)]
    modules: Vec<BufModule>,
    #[serde(default)]
    plugins: Option<serde_yaml_ng::Value>,
    #[serde(default)]
    policies: Option<serde_yaml_ng::Value>,
}

/// The keys each section of a buf.yaml may hold (for did-you-mean).
const BUF_YAML_KEYS: &[&str] = &[
    "version",
    "name",
    "deps",
    "build",
    "lint",
    "breaking",
    "modules",
    "plugins",
    "policies",
    "use",
    "except",
    "ignore",
    "ignore_only",
    "ignore_unstable_packages",
    "disable_builtin",
    "path",
    "includes",
    "excludes",
    "roots",
];

/// One module of a buf workspace, as its buf.yaml describes it.
#[derive(Debug, Clone)]
pub struct ModuleLayout {
    /// The module root, `/`-separated, relative to the directory holding the
    /// buf.yaml (or buf.work.yaml); `.` for that directory itself.
    pub path: String,
    /// Only files under these directories (relative to the workspace) belong to the module.
    pub includes: Vec<String>,
    /// Files under these directories (relative to the workspace) are left out.
    pub excludes: Vec<String>,
    /// The module's breaking configuration, paths relative to the module root.
    pub config: Config,
}

/// What a buf.yaml says about where the files are: its modules and deps.
#[derive(Debug, Clone, Default)]
pub struct BufLayout {
    /// The modules (`modules:` of a v2 buf.yaml; one for a v1 buf.yaml).
    pub modules: Vec<ModuleLayout>,
    /// `deps:` entries, e.g. `buf.build/googleapis/googleapis`.
    pub deps: Vec<String>,
    /// Top-level ignore paths that lie in no module (they match nothing).
    pub unplaced: Vec<String>,
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

/// The rules to run and the findings to drop: a [`Config`] resolved
/// ([`Config::select`]), or one level's rules ([`Selection::level`]).
#[derive(Clone)]
pub struct Selection {
    /// The rules that run, in ID order.
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
        findings.retain(|f| !self.ignores(f, old, new));
    }

    /// Whether the configuration ignores this finding (at its new or its old location).
    pub fn ignores(&self, f: &Finding, old: &Schema, new: &Schema) -> bool {
        let mut files = vec![(new, f.location.file.as_str())];
        if let Some(o) = &f.old_location {
            files.push((old, o.file.as_str()));
        }
        files.iter().any(|&(schema, file)| {
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
    }

    /// Whether the rule runs.
    pub fn runs(&self, rule: &str) -> bool {
        self.rules.iter().any(|r| r.meta().id == rule)
    }
}

impl Config {
    /// The ignore paths that match none of `files` (import names), with the
    /// place they are written, for a warning.
    pub fn unmatched_ignores<'a>(
        &self,
        files: impl Iterator<Item = &'a str> + Clone,
    ) -> Vec<String> {
        let mut out = Vec::new();
        let text = self.text.as_deref().unwrap_or_default();
        let mut paths: Vec<&String> = self.ignore.iter().collect();
        for (_, v) in &self.ignore_only {
            paths.extend(v.iter());
        }
        for p in paths {
            let list = std::slice::from_ref(p);
            if files.clone().any(|f| under_any(f, list)) {
                continue;
            }
            let place = match find(text, p.as_str()) {
                Some(s) => {
                    let (line, col) = line_col(text, s.start);
                    format!(
                        "{}:{line}:{col}",
                        self.path
                            .as_ref()
                            .map(|p| p.display().to_string())
                            .unwrap_or_default()
                    )
                }
                None => self.name(),
            };
            out.push(format!("ignore path \"{p}\" ({place}) matches no file"));
        }
        out
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
    pub fn discover(start: &Path) -> Result<Option<Config>, ConfigError> {
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
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let fail = |message: String| ConfigError {
            message,
            path: Some(path.display().to_string()),
            source_code: None,
            labels: Vec::new(),
            help: None,
        };
        let bytes = crate::files::read_file(path).map_err(|e| {
            fail(match e {
                crate::files::ReadFailure::Io(e) => {
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
    ) -> ConfigError {
        ConfigError {
            message,
            path: Some(path.display().to_string()),
            source_code: Some(Arc::new(NamedSource::new(
                path.display().to_string(),
                Arc::from(text),
            ))),
            labels: span
                .map(|s| vec![LabeledSpan::new(Some(label.to_owned()), s.start, s.len())])
                .unwrap_or_default(),
            help,
        }
    }

    /// Parses the text of a `protocheck.toml`; `path` is named in errors and
    /// kept as [`Config::path`].
    pub fn from_toml(path: &Path, text: &str) -> Result<Config, ConfigError> {
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
        let compat = match &raw.compat {
            Some(c) => Some(c.get_ref().parse::<crate::registry::Mode>().map_err(|e| {
                let (line, col) = line_col(text, c.span().start);
                Config::error_at(
                    path,
                    text,
                    format!("invalid configuration {}:{line}:{col}: {e}", path.display()),
                    Some(c.span()),
                    "not a compatibility mode",
                    None,
                )
            })?),
            None => None,
        };
        Ok(Config {
            compat,
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
            disable_builtin: false,
            layout: None,
        })
    }

    /// Parses the text of a `buf.yaml` (v1beta1, v1 or v2): its `breaking:`
    /// section, and its modules and deps for the workspace; `path` is named in
    /// errors and kept as [`Config::path`].
    pub fn from_buf_yaml(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let raw: BufYaml = serde_yaml_ng::from_str(text).map_err(|e| yaml_error(path, text, &e))?;
        for (key, value) in [("plugins", &raw.plugins), ("policies", &raw.policies)] {
            if value.is_some() {
                let span = find_key(text, key);
                let (line, col) = span.clone().map_or((1, 1), |s| line_col(text, s.start));
                return Err(Config::error_at(
                    path,
                    text,
                    format!(
                        "\"{key}\" in {}:{line}:{col} is not supported: protocheck runs only the built-in rules",
                        path.display()
                    ),
                    span,
                    "not supported",
                    Some(format!(
                        "remove \"{key}\" to check with the built-in rules alone, or run `buf breaking` for the {key}"
                    )),
                ));
            }
        }
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
        // What becomes of an ignore path outside the module: an error (a
        // module's own section, as buf), dropped (the top-level section
        // applied to another module), or kept as written (the configuration
        // of a directory that is not read as a workspace: it then matches
        // nothing, and says so).
        #[derive(Clone, Copy, PartialEq)]
        enum Outside {
            Error,
            Drop,
            Keep,
        }
        let make = |b: &BufBreaking,
                    module: &str,
                    outside: Outside|
         -> Result<Config, ConfigError> {
            let mut ignore = Vec::new();
            let strip = |p: &String| -> Result<Option<String>, ConfigError> {
                match module_relative(module, p) {
                    Some(rel) => Ok(Some(rel)),
                    None if outside == Outside::Keep => Ok(Some(p.clone())),
                    None if outside == Outside::Error => {
                        let span = find(text, p);
                        let (line, col) = span.clone().map_or((1, 1), |s| line_col(text, s.start));
                        Err(Config::error_at(
                            path,
                            text,
                            format!(
                                "ignore path \"{p}\" in {}:{line}:{col} is not in the module \"{module}\"",
                                path.display()
                            ),
                            span,
                            "outside the module",
                            Some(format!(
                                "paths in buf.yaml are relative to its directory: write \"{module}/{p}\" for a path inside the module"
                            )),
                        ))
                    }
                    None => Ok(None),
                }
            };
            for p in &b.ignore {
                if let Some(rel) = strip(p)? {
                    ignore.push(rel);
                }
            }
            let mut ignore_only = Vec::new();
            for (k, v) in &b.ignore_only {
                let mut paths = Vec::new();
                for p in v {
                    if let Some(rel) = strip(p)? {
                        paths.push(rel);
                    }
                }
                ignore_only.push((
                    Entry {
                        span: find(text, k),
                        value: k.clone(),
                    },
                    paths,
                ));
            }
            let entry = |v: &String| Entry {
                span: find(text, v),
                value: v.clone(),
            };
            Ok(Config {
                path: Some(path.to_path_buf()),
                text: Some(Arc::from(text)),
                version,
                level: None,
                use_: b.use_.iter().map(entry).collect(),
                except: b.except.iter().map(entry).collect(),
                ignore,
                ignore_only,
                ignore_unstable_packages: b.ignore_unstable_packages,
                disable_builtin: b.disable_builtin,
                layout: None,
                compat: None,
            })
        };
        let top = raw.breaking.clone().unwrap_or_default();
        let build = raw.build.unwrap_or_default();
        let mut modules = Vec::new();
        match version {
            RuleSetVersion::V2 => {
                if raw.modules.is_empty() {
                    modules.push(ModuleLayout {
                        path: ".".to_owned(),
                        includes: Vec::new(),
                        excludes: Vec::new(),
                        config: make(&top, ".", Outside::Drop)?,
                    });
                }
                for m in &raw.modules {
                    let mpath = normalize_rel(m.path.as_deref().unwrap_or("."));
                    let config = match &m.breaking {
                        Some(b) => make(b, &mpath, Outside::Error)?,
                        None => make(&top, &mpath, Outside::Drop)?,
                    };
                    modules.push(ModuleLayout {
                        path: mpath,
                        includes: m.includes.iter().map(|p| normalize_rel(p)).collect(),
                        excludes: m.excludes.iter().map(|p| normalize_rel(p)).collect(),
                        config,
                    });
                }
            }
            RuleSetVersion::V1 => modules.push(ModuleLayout {
                path: ".".to_owned(),
                includes: Vec::new(),
                excludes: build.excludes.iter().map(|p| normalize_rel(p)).collect(),
                config: make(&top, ".", Outside::Drop)?,
            }),
            RuleSetVersion::V1Beta1 => {
                let roots: Vec<String> = if build.roots.is_empty() {
                    vec![".".to_owned()]
                } else {
                    build.roots.iter().map(|r| normalize_rel(r)).collect()
                };
                for root in &roots {
                    // v1beta1 paths are relative to a root; written with
                    // the root in front, they are taken as well.
                    let mut config = make(&top, root, Outside::Drop)?;
                    let rel = |p: &String| module_relative(root, p).unwrap_or_else(|| p.clone());
                    config.ignore = top.ignore.iter().map(rel).collect();
                    for (e, paths) in &mut config.ignore_only {
                        *paths = top
                            .ignore_only
                            .get(&e.value)
                            .map(|v| v.iter().map(rel).collect())
                            .unwrap_or_default();
                    }
                    let excludes = build
                        .excludes
                        .iter()
                        .map(|p| match module_relative(root, p) {
                            Some(_) => normalize_rel(p),
                            None => join_rel(root, p),
                        })
                        .collect();
                    modules.push(ModuleLayout {
                        path: root.clone(),
                        includes: Vec::new(),
                        excludes,
                        config,
                    });
                }
            }
        }
        // Without a workspace, the configuration of the top level wins,
        // else that of the first module that has a section.
        let mut config = match (
            &raw.breaking,
            modules.iter().find(|m| {
                raw.modules.iter().any(|r| {
                    r.breaking.is_some()
                        && normalize_rel(r.path.as_deref().unwrap_or(".")) == m.path
                })
            }),
        ) {
            (None, Some(m)) => m.config.clone(),
            _ => make(
                &top,
                modules.first().map_or(".", |m| m.path.as_str()),
                Outside::Keep,
            )?,
        };
        let unplaced = if version == RuleSetVersion::V2 {
            top.ignore
                .iter()
                .chain(top.ignore_only.values().flatten())
                .filter(|p| {
                    !modules
                        .iter()
                        .any(|m| module_relative(&m.path, p).is_some())
                })
                .cloned()
                .collect()
        } else {
            Vec::new()
        };
        config.layout = Some(Box::new(BufLayout {
            modules,
            unplaced,
            deps: raw.deps,
        }));
        Ok(config)
    }

    fn name(&self) -> String {
        self.path
            .as_ref()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "configuration".to_owned())
    }

    fn unknown(&self, e: &Entry, candidates: &[String]) -> ConfigError {
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
    fn expand(&self, e: &Entry, notes: &mut Vec<String>) -> Result<Vec<&'static str>, ConfigError> {
        // buf.yaml v1 and v1beta1 have no CSR category.
        let level = e
            .value
            .parse::<Level>()
            .ok()
            .filter(|l| *l != Level::Csr || self.version == RuleSetVersion::V2);
        if let Some(level) = level {
            return Ok(rules::ALL
                .iter()
                .filter(|r| {
                    self.version.has(r.meta().id)
                        && match level {
                            Level::Csr => r.meta().in_level(level),
                            l => self.version.levels(**r).contains(&l),
                        }
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

    /// Whether it was read from a YAML file (a `buf.yaml`).
    pub fn is_yaml(&self) -> bool {
        self.path
            .as_ref()
            .and_then(|p| p.extension())
            .is_some_and(|e| e == "yaml" || e == "yml")
    }

    /// Resolves the rules to run. `level` (from the command line) replaces
    /// `use` and `level` of the file; `except` and the ignores still apply.
    pub fn select(&self, level: Option<Level>) -> Result<Selection, ConfigError> {
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
        if self.disable_builtin && level.is_none() {
            notes.push(format!(
                "{} sets disable_builtin: none of the built-in rules runs, so nothing is checked",
                self.name()
            ));
        }
        let chosen = if self.disable_builtin && level.is_none() {
            Vec::new()
        } else {
            chosen
        };
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
            _ if chosen.is_empty() => {
                format!("no rules ({} disables the built-in ones)", self.name())
            }
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

/// `a/b` from `./a/b/`; `.` for the directory itself.
pub(crate) fn normalize_rel(p: &str) -> String {
    let parts: Vec<&str> = p
        .split('/')
        .filter(|c| !c.is_empty() && *c != ".")
        .collect();
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}

fn join_rel(root: &str, p: &str) -> String {
    if root == "." {
        normalize_rel(p)
    } else {
        normalize_rel(&format!("{root}/{p}"))
    }
}

/// `p` (relative to the workspace) relative to the module at `module`, if it is inside it.
pub(crate) fn module_relative(module: &str, p: &str) -> Option<String> {
    let p = normalize_rel(p);
    if module == "." {
        return Some(p);
    }
    if p == module {
        return Some(".".to_owned());
    }
    p.strip_prefix(&format!("{module}/")).map(str::to_owned)
}

/// A buf.yaml that serde refused: an unknown key gets a did-you-mean.
fn yaml_error(path: &Path, text: &str, e: &serde_yaml_ng::Error) -> ConfigError {
    let loc = e.location();
    let (line, col) = loc
        .as_ref()
        .map(|l| (l.line(), l.column()))
        .unwrap_or((1, 1));
    let msg = e.to_string();
    let unknown = msg
        .split_once("unknown field `")
        .and_then(|(_, rest)| rest.split_once('`'))
        .map(|(field, rest)| (field.to_owned(), rest.to_owned()));
    if let Some((field, rest)) = unknown {
        let section = msg
            .split_once(": unknown field")
            .map(|(s, _)| s.trim().to_owned())
            .filter(|s| !s.is_empty() && !s.contains(' '));
        let expected: Vec<String> = rest
            .split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_owned)
            .collect();
        let candidates: Vec<&str> = if expected.is_empty() {
            BUF_YAML_KEYS.to_vec()
        } else {
            expected.iter().map(String::as_str).collect()
        };
        let best = candidates
            .iter()
            .map(|c| (strsim::jaro_winkler(&field, c), *c))
            .filter(|(score, _)| *score > 0.7)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, c)| c);
        let span = loc
            .as_ref()
            .map(|l| l.index()..l.index() + field.len().max(1));
        let wher = section
            .map(|s| format!(" under \"{s}\""))
            .unwrap_or_default();
        return Config::error_at(
            path,
            text,
            format!(
                "unknown key \"{field}\"{wher} in {}:{line}:{col}",
                path.display()
            ),
            span,
            "unknown key",
            Some(match best {
                Some(b) => format!(
                    "did you mean \"{b}\"? buf refuses unknown keys too; the keys here are {}",
                    candidates.join(", ")
                ),
                None => format!(
                    "buf refuses unknown keys too; the keys here are {}",
                    candidates.join(", ")
                ),
            }),
        );
    }
    Config::error_at(
        path,
        text,
        format!("invalid buf.yaml {}:{line}:{col}: {e}", path.display()),
        loc.map(|l| l.index()..l.index() + 1),
        "here",
        None,
    )
}

/// Where `key:` is written at the start of a line.
fn find_key(text: &str, key: &str) -> Option<Range<usize>> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with(&format!("{key}:")) {
            let start = offset + (line.len() - trimmed.len());
            return Some(start..start + key.len());
        }
        offset += line.len();
    }
    None
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
