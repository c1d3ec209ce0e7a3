//! SARIF 2.1.0, as GitHub code scanning and other SARIF viewers read it: the
//! rule catalogue with its docs in `tool.driver.rules`, and one result per
//! finding with its rule, level, place in the new file, and the old place as a
//! related location. One run per comparison.

use std::collections::BTreeMap;
use std::io::{self, Write};

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use serde::Serialize;

use super::{fingerprint, rule_doc, Pair};
use crate::engine::finding::{Audience, Finding, Location, Severity};
use crate::rules::{self, Level, RuleMeta};

/// The schema the document declares.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    #[serde(skip_serializing_if = "Option::is_none")]
    automation_details: Option<AutomationDetails>,
    /// Our columns count characters.
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
    properties: RunProperties<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RunProperties<'a> {
    rule_set: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    against: Option<&'a str>,
    breaking: bool,
}

#[derive(Serialize)]
struct AutomationDetails {
    id: String,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleProperties {
    /// The levels the rule belongs to, and who it protects.
    tags: Vec<String>,
    levels: Vec<Level>,
    affects: &'static [Audience],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    /// None for a rule outside the catalogue (a Schema Registry difference
    /// type under `--compat`).
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    locations: Vec<SarifLocation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<SarifLocation>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix>,
    properties: ResultProperties<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix {
    description: Text,
    artifact_changes: Vec<ArtifactChange>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement {
    deleted_region: Region,
    inserted_content: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultProperties<'a> {
    element: &'a str,
    element_kind: crate::engine::finding::ElementKind,
    affects: &'a [Audience],
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
    /// `{"revision": "main"}` for a file read at a git revision.
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<serde_json::Value>,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<usize>,
}

/// The SARIF level of a severity.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Characters a path keeps as they are in a URI reference: everything but
/// controls, space, non-ASCII and the delimiters that would end a path.
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// A file path as a URI reference: relative paths stay relative (a first
/// segment with a colon, as in `main:proto/a.proto`, gets a `./` so it is not
/// read as a scheme); absolute paths become `file://` URIs.
pub fn path_uri(path: &str) -> String {
    let encoded = utf8_percent_encode(path, PATH).to_string();
    if path.starts_with('/') {
        return format!("file://{encoded}");
    }
    let first = encoded.split('/').next().unwrap_or_default();
    if first.contains(':') {
        format!("./{encoded}")
    } else {
        encoded
    }
}

/// A place as SARIF has it. A finding about a whole file (a deleted one) has
/// no line of its own: it gets the file's first line, as GitHub code scanning
/// requires a `region.startLine`.
fn physical(loc: &Location) -> PhysicalLocation {
    let region = match loc.span {
        Some(s) => Region {
            start_line: s.line,
            start_column: Some(s.column),
            end_line: Some(s.end_line),
            // SARIF's end column is exclusive, as ours.
            end_column: Some(if s.end_line == s.line {
                s.end_column.max(s.column)
            } else {
                s.end_column
            }),
        },
        None => Region {
            start_line: 1,
            start_column: None,
            end_line: None,
            end_column: None,
        },
    };
    PhysicalLocation {
        artifact_location: ArtifactLocation {
            uri: path_uri(&loc.path),
        },
        region: Some(region),
        properties: loc
            .revision
            .as_ref()
            .map(|r| serde_json::json!({ "revision": r })),
    }
}

/// `FIELD_SAME_TYPE` → `FieldSameType`.
fn pascal(id: &str) -> String {
    id.split('_')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(first) => first.to_string() + &c.as_str().to_lowercase(),
                None => String::new(),
            }
        })
        .collect()
}

/// The first paragraph of the doc's `# What` section.
fn what(doc: &str) -> String {
    let mut lines = Vec::new();
    let mut inside = false;
    for line in doc.lines() {
        let line = line.trim();
        if line == "# What" {
            inside = true;
            continue;
        }
        if inside {
            if line.is_empty() || line.starts_with('#') {
                break;
            }
            lines.push(line);
        }
    }
    lines.join(" ")
}

fn rule(meta: &RuleMeta) -> Rule {
    let doc = rule_doc(meta.doc);
    let levels: Vec<Level> = meta.levels.to_vec();
    let mut tags: Vec<String> = vec!["protobuf".into(), "breaking-change".into()];
    tags.extend(levels.iter().map(|l| format!("level:{}", l.name())));
    let what = what(meta.doc);
    Rule {
        id: meta.id,
        name: pascal(meta.id),
        short_description: Text {
            text: meta.summary.to_owned(),
        },
        full_description: Text {
            text: if what.is_empty() {
                meta.summary.to_owned()
            } else {
                what
            },
        },
        help: Help {
            text: doc.clone(),
            markdown: doc,
        },
        default_configuration: Configuration {
            level: level(meta.severity),
        },
        properties: RuleProperties {
            tags,
            levels,
            affects: meta.affects,
        },
    }
}

fn result<'a>(pair: &Pair<'a>, f: &'a Finding) -> SarifResult<'a> {
    let rule_index = rules::ALL.iter().position(|r| r.meta().id == f.rule);
    let mut text = f.message.clone();
    if let Some(h) = &f.help {
        text.push_str("\nfix: ");
        text.push_str(h);
    }
    let related = f
        .old_location
        .as_ref()
        .map(|o| {
            let what = match (&f.old_text, &pair.against) {
                (Some(t), _) => format!("in the old schema: `{t}`"),
                (None, Some(a)) => format!("in the old schema ({a})"),
                (None, None) => "in the old schema".to_owned(),
            };
            SarifLocation {
                id: Some(1),
                physical_location: physical(o),
                message: Some(Text { text: what }),
            }
        })
        .into_iter()
        .collect();
    let mut fingerprints = BTreeMap::new();
    fingerprints.insert("protocheck/v1", fingerprint(pair.against, f));
    let fixes = f
        .fix
        .iter()
        .map(|fix| {
            let mut changes: Vec<ArtifactChange> = Vec::new();
            for e in &fix.edits {
                let replacement = Replacement {
                    deleted_region: Region {
                        start_line: e.span.line,
                        start_column: Some(e.span.column),
                        end_line: Some(e.span.end_line),
                        end_column: Some(e.span.end_column),
                    },
                    inserted_content: Text {
                        text: e.replacement.clone(),
                    },
                };
                let uri = path_uri(&e.path);
                match changes.iter_mut().find(|c| c.artifact_location.uri == uri) {
                    Some(c) => c.replacements.push(replacement),
                    None => changes.push(ArtifactChange {
                        artifact_location: ArtifactLocation { uri },
                        replacements: vec![replacement],
                    }),
                }
            }
            SarifFix {
                description: Text {
                    text: f.help.clone().unwrap_or_default(),
                },
                artifact_changes: changes,
            }
        })
        .collect();
    SarifResult {
        fixes,
        rule_id: f.rule,
        rule_index,
        level: level(f.severity),
        message: Text { text },
        locations: vec![SarifLocation {
            id: None,
            physical_location: physical(&f.location),
            message: None,
        }],
        related_locations: related,
        partial_fingerprints: fingerprints,
        properties: ResultProperties {
            element: &f.element,
            element_kind: f.element_kind,
            affects: &f.affects,
            help: f.help.as_deref(),
        },
    }
}

/// Writes one SARIF 2.1.0 log with a run per comparison.
pub fn write(pairs: &[Pair], out: &mut dyn Write) -> io::Result<()> {
    let several = pairs.len() > 1;
    let runs = pairs
        .iter()
        .map(|pair| Run {
            tool: Tool {
                driver: Driver {
                    name: "protocheck",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    rules: rules::ALL.iter().map(|r| rule(r.meta())).collect(),
                },
            },
            // GitHub keeps one analysis per category: give each comparison its own.
            automation_details: pair.against.filter(|_| several).map(|a| AutomationDetails {
                id: format!("protocheck/against {a}/"),
            }),
            column_kind: "unicodeCodePoints",
            results: pair
                .report
                .findings
                .iter()
                .map(|f| result(pair, f))
                .collect(),
            properties: RunProperties {
                rule_set: &pair.report.rule_set,
                against: pair.against,
                breaking: pair.report.is_breaking(),
            },
        })
        .collect();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs,
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(path_uri("proto/shop/order.proto"), "proto/shop/order.proto");
        assert_eq!(path_uri("my dir/a#b.proto"), "my%20dir/a%23b.proto");
        assert_eq!(path_uri("main:proto/a.proto"), "./main:proto/a.proto");
        assert_eq!(path_uri("/abs/é.proto"), "file:///abs/%C3%A9.proto");
    }

    #[test]
    fn rule_names_and_descriptions() {
        assert_eq!(pascal("FIELD_SAME_TYPE"), "FieldSameType");
        let m = rules::by_id("FIELD_SAME_TYPE").unwrap().meta();
        assert!(what(m.doc).starts_with("A field keeps its type"));
    }
}
