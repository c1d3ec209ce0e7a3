//! GitLab code quality: a JSON array of Code Climate issues, which a merge
//! request shows in its widget and on the diff's lines.

use std::collections::HashSet;
use std::io::{self, Write};

use serde::Serialize;

use super::{fingerprint, Pair};
use crate::engine::finding::Severity;

#[derive(Serialize)]
struct Issue<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    check_name: &'static str,
    description: String,
    content: Content,
    categories: [&'static str; 1],
    fingerprint: String,
    severity: &'static str,
    location: IssueLocation<'a>,
}

#[derive(Serialize)]
struct Content {
    body: String,
}

#[derive(Serialize)]
struct IssueLocation<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

/// GitLab's severity for a finding: breaking changes are `major`, lossy
/// changes `minor` (`major` under `--deny-warnings`), explanations `info`.
fn severity(s: Severity, deny_warnings: bool) -> &'static str {
    match s {
        Severity::Error => "major",
        Severity::Warning if deny_warnings => "major",
        Severity::Warning => "minor",
        Severity::Info => "info",
    }
}

/// A path as GitLab matches it against the repository: relative, no `./`.
fn repo_path(p: &str) -> &str {
    let mut p = p;
    while let Some(rest) = p.strip_prefix("./") {
        p = rest;
    }
    p
}

/// Writes the issues of every comparison as one JSON array.
pub fn write(pairs: &[Pair], out: &mut dyn Write) -> io::Result<()> {
    let mut seen = HashSet::new();
    let mut issues = Vec::new();
    for pair in pairs {
        for f in &pair.report.findings {
            // Two findings with the same identity (the same rule firing twice
            // on one element) still need distinct fingerprints.
            let base = fingerprint(pair.against, f);
            let mut fp = base.clone();
            let mut n = 1;
            while !seen.insert(fp.clone()) {
                n += 1;
                fp = format!("{base}-{n}");
            }
            let mut description = match pair.against {
                Some(a) => format!("{}: {} (against {a})", f.rule, f.message),
                None => format!("{}: {}", f.rule, f.message),
            };
            if f.severity == Severity::Info {
                description.push_str(" (accepted)");
            }
            if let Some(r) = &f.location.revision {
                description.push_str(&format!(" (at git revision {r})"));
            }
            let mut body = String::new();
            if let Some(h) = &f.help {
                body.push_str(&format!("Fix: {h}\n\n"));
            }
            if let (Some(o), Some(t)) = (&f.old_location, &f.old_text) {
                body.push_str(&format!("Was `{t}` in {}{}.\n\n", o.path, o.at_revision()));
            }
            let affects: Vec<&str> = f.affects.iter().map(|a| a.describe()).collect();
            body.push_str(&format!("Breaks: {}.", affects.join(", ")));
            let (begin, end) = f
                .location
                .span
                .map(|s| (s.line, s.end_line.max(s.line)))
                .unwrap_or((1, 1));
            issues.push(Issue {
                kind: "issue",
                check_name: f.rule,
                description,
                content: Content { body },
                categories: ["Compatibility"],
                fingerprint: fp,
                severity: severity(f.severity, pair.report.deny_warnings),
                location: IssueLocation {
                    path: repo_path(&f.location.path),
                    lines: Lines { begin, end },
                },
            });
        }
    }
    serde_json::to_writer_pretty(&mut *out, &issues)?;
    writeln!(out)
}
