//! The formats CI systems read, each parsed back with a real parser: SARIF
//! validated against the published SARIF 2.1.0 schema, JUnit with an XML
//! parser, GitLab code quality and JSON with serde_json, markdown with a
//! CommonMark parser, GitHub workflow commands with the runner's rules.
//! Every fixture at every level goes through every format.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use protocheck::report::markdown::MarkdownOptions;
use protocheck::report::{self, Pair};
use protocheck::rules::{self, Level};
use protocheck::{check_paths, Options, Report, Severity};
use serde::Deserialize;
use serde_json::Value;

/// Every `fixtures/<case>/new*` tree against its `old/` at every level, and
/// the lossy-change fixture with `--deny-warnings`.
fn reports() -> Vec<(String, Report)> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir("fixtures")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("old").is_dir())
        .collect();
    cases.sort();
    let mut out = Vec::new();
    for case in cases {
        let mut news: Vec<PathBuf> = std::fs::read_dir(&case)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_dir() && p.file_name().unwrap().to_string_lossy().starts_with("new"))
            .collect();
        news.sort();
        for new in news {
            for level in Level::ALL {
                let options = Options {
                    level: Some(level),
                    ..Options::default()
                };
                let r = check_paths(case.join("old"), &new, &options).unwrap();
                out.push((format!("{} at {level}", new.display()), r));
            }
        }
    }
    let options = Options {
        level: Some(Level::Wire),
        deny_warnings: true,
        ..Options::default()
    };
    let r = check_paths(
        "fixtures/field_wire_no_narrowing/old",
        "fixtures/field_wire_no_narrowing/new",
        &options,
    )
    .unwrap();
    out.push(("narrowing, warnings denied".to_owned(), r));
    out
}

fn render(f: fn(&[Pair], &mut dyn std::io::Write) -> std::io::Result<()>, r: &Report) -> String {
    let mut buf = Vec::new();
    f(&[Pair::single(r)], &mut buf).unwrap();
    String::from_utf8(buf).unwrap()
}

fn fails(r: &Report, s: Severity) -> bool {
    s == Severity::Error || (s == Severity::Warning && r.deny_warnings)
}

fn sarif_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string("tests/data/sarif-schema-2.1.0.json").unwrap();
    // The published schema's two patterns for language tags have a stray `]`,
    // a literal in JavaScript's regex dialect but an error in Rust's: escape it
    // (the same language), leaving the file as published.
    let stray = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
    assert_eq!(text.matches(stray).count(), 2);
    let text = text.replace(stray, r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$""#);
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

fn assert_valid_sarif(validator: &jsonschema::Validator, doc: &Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what}: invalid SARIF:\n{}",
        errors.join("\n")
    );
}

#[test]
fn sarif_is_valid_for_every_fixture_and_carries_rule_level_and_both_locations() {
    let validator = sarif_validator();
    let mut checked_deleted_file = false;
    for (what, r) in reports() {
        let doc: Value = serde_json::from_str(&render(report::sarif::write, &r)).unwrap();
        assert_valid_sarif(&validator, &doc, &what);
        assert_eq!(doc["version"], "2.1.0");
        let run = &doc["runs"][0];
        let driver_rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), r.findings.len(), "{what}");
        for (res, f) in results.iter().zip(&r.findings) {
            assert_eq!(res["ruleId"], f.rule, "{what}");
            let index = res["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(driver_rules[index]["id"], f.rule, "{what}");
            let level = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "note",
            };
            assert_eq!(res["level"], level, "{what}");
            assert!(res["message"]["text"]
                .as_str()
                .unwrap()
                .starts_with(&f.message));
            let loc = &res["locations"][0]["physicalLocation"];
            assert!(!loc["artifactLocation"]["uri"].as_str().unwrap().is_empty());
            match f.location.span {
                Some(s) => {
                    assert_eq!(loc["region"]["startLine"], s.line, "{what}");
                    assert_eq!(loc["region"]["startColumn"], s.column, "{what}");
                }
                None => {
                    // A whole-file finding points at the first line, no column.
                    assert_eq!(loc["region"]["startLine"], 1, "{what}");
                    assert!(loc["region"].get("startColumn").is_none(), "{what}");
                    checked_deleted_file = true;
                }
            }
            match (&f.old_location, res.get("relatedLocations")) {
                (Some(o), Some(rel)) => {
                    let rel = &rel[0]["physicalLocation"];
                    assert_eq!(
                        rel["artifactLocation"]["uri"],
                        report::sarif::path_uri(&o.path)
                    );
                    if let Some(s) = o.span {
                        assert_eq!(rel["region"]["startLine"], s.line, "{what}");
                    }
                }
                (None, None) => {}
                (o, rel) => panic!("{what}: old location {o:?} but related {rel:?}"),
            }
            assert_eq!(
                res["partialFingerprints"]["protocheck/v1"]
                    .as_str()
                    .unwrap()
                    .len(),
                64
            );
        }
    }
    assert!(checked_deleted_file, "a finding with no line was checked");
}

#[test]
fn sarif_rules_are_the_catalogue_with_docs() {
    let r = check_paths(
        "fixtures/order/old",
        "fixtures/order/new_add",
        &Options::default(),
    )
    .unwrap();
    let doc: Value = serde_json::from_str(&render(report::sarif::write, &r)).unwrap();
    let driver = &doc["runs"][0]["tool"]["driver"];
    assert_eq!(driver["name"], "protocheck");
    let list = driver["rules"].as_array().unwrap();
    assert_eq!(list.len(), rules::ALL.len());
    for (json, rule) in list.iter().zip(rules::ALL) {
        let m = rule.meta();
        assert_eq!(json["id"], m.id);
        assert_eq!(json["shortDescription"]["text"], m.summary);
        let help = json["help"]["markdown"].as_str().unwrap();
        for part in ["# What", "# Why", "# Example", "# Fix"] {
            assert!(help.contains(part), "{} help lacks {part}", m.id);
        }
        let level = if m.severity == Severity::Warning {
            "warning"
        } else {
            "error"
        };
        assert_eq!(json["defaultConfiguration"]["level"], level);
    }
    assert_eq!(doc["runs"][0]["results"].as_array().unwrap().len(), 0);
}

#[test]
fn sarif_with_several_comparisons_has_a_run_each_with_its_own_category() {
    let a = check_paths(
        "fixtures/order/old",
        "fixtures/order/new_reuse",
        &Options::default(),
    )
    .unwrap();
    let b = check_paths(
        "fixtures/order/new_add",
        "fixtures/order/new_reuse",
        &Options::default(),
    )
    .unwrap();
    let pairs = [
        Pair {
            against: Some("git:v1.0.0"),
            report: &a,
        },
        Pair {
            against: Some("git:v1.1.0"),
            report: &b,
        },
    ];
    let mut buf = Vec::new();
    report::sarif::write(&pairs, &mut buf).unwrap();
    let mut doc: Value = serde_json::from_slice(&buf).unwrap();
    let validator = sarif_validator();
    assert_valid_sarif(&validator, &doc, "two runs");
    let runs = doc["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2);
    assert_eq!(
        runs[0]["automationDetails"]["id"],
        "protocheck/against git:v1.0.0/"
    );
    assert_eq!(
        runs[1]["automationDetails"]["id"],
        "protocheck/against git:v1.1.0/"
    );
    // The validator does reject what the schema forbids.
    doc["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!validator.is_valid(&doc));
}

/// One parsed workflow command.
#[derive(Debug)]
struct Command_ {
    name: String,
    props: Vec<(String, String)>,
    message: String,
}

/// Parses `::name k=v,k=v::message` as the Actions runner does, decoding
/// its escapes.
fn parse_command(line: &str) -> Command_ {
    let unescape = |s: &str| {
        s.replace("%0D", "\r")
            .replace("%0A", "\n")
            .replace("%3A", ":")
            .replace("%2C", ",")
            .replace("%25", "%")
    };
    let rest = line.strip_prefix("::").expect("starts with ::");
    let (head, message) = rest.split_once("::").expect("has a second ::");
    let (name, props) = head.split_once(' ').unwrap_or((head, ""));
    let props = props
        .split(',')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').expect("key=value");
            (k.to_owned(), unescape(v))
        })
        .collect();
    Command_ {
        name: name.to_owned(),
        props,
        message: unescape(message),
    }
}

#[test]
fn github_commands_parse_back_to_the_findings() {
    for (what, r) in reports() {
        let out = render(report::github::write, &r);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), r.findings.len(), "{what}");
        for (line, f) in lines.iter().zip(&r.findings) {
            let c = parse_command(line);
            let want = if fails(&r, f.severity) {
                "error"
            } else if f.severity == Severity::Warning {
                "warning"
            } else {
                "notice"
            };
            assert_eq!(c.name, want, "{what}: {line}");
            let prop = |k: &str| c.props.iter().find(|(p, _)| p == k).map(|(_, v)| v.clone());
            assert_eq!(prop("file").as_deref(), Some(f.location.path.as_str()));
            assert_eq!(prop("title").as_deref(), Some(f.rule));
            match f.location.span {
                Some(s) => {
                    assert_eq!(prop("line"), Some(s.line.to_string()));
                    assert_eq!(prop("col"), Some(s.column.to_string()));
                    assert_eq!(prop("endLine"), Some(s.end_line.to_string()));
                    assert_eq!(prop("endColumn"), Some(s.end_column.to_string()));
                }
                None => assert_eq!(prop("line"), None),
            }
            assert!(c.message.starts_with(&f.message), "{what}: {line}");
            if let Some(h) = &f.help {
                assert!(c.message.contains(&format!("\nfix: {h}")));
            }
        }
    }
}

#[test]
fn junit_is_xml_with_a_test_per_finding_and_failures_for_breaking_ones() {
    for (what, r) in reports() {
        let xml = render(report::junit::write, &r);
        let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{what}: {e}"));
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "testsuites");
        let suites: Vec<_> = root
            .children()
            .filter(|n| n.has_tag_name("testsuite"))
            .collect();
        assert_eq!(suites.len(), 1);
        let cases: Vec<_> = suites[0]
            .children()
            .filter(|n| n.has_tag_name("testcase"))
            .collect();
        let failures = r.findings.iter().filter(|f| fails(&r, f.severity)).count();
        assert_eq!(cases.len(), r.findings.len().max(1), "{what}");
        let failed: Vec<_> = cases
            .iter()
            .filter_map(|c| c.children().find(|n| n.has_tag_name("failure")))
            .collect();
        assert_eq!(failed.len(), failures, "{what}");
        let attr = |n: roxmltree::Node, a: &str| n.attribute(a).unwrap().parse::<usize>().unwrap();
        assert_eq!(attr(root, "tests"), cases.len());
        assert_eq!(attr(root, "failures"), failures);
        assert_eq!(attr(suites[0], "failures"), failures);
        for (case, f) in cases.iter().zip(&r.findings) {
            assert_eq!(case.attribute("file"), Some(f.location.path.as_str()));
            assert_eq!(
                case.attribute("line").map(|l| l.parse::<usize>().unwrap()),
                f.location.span.map(|s| s.line)
            );
            assert!(case.attribute("name").unwrap().starts_with(f.rule));
            if let Some(failure) = case.children().find(|n| n.has_tag_name("failure")) {
                assert_eq!(failure.attribute("type"), Some(f.rule));
                assert_eq!(failure.attribute("message"), Some(f.message.as_str()));
                assert!(failure.text().unwrap().contains(&f.message));
            }
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
enum GitlabSeverity {
    Info,
    Minor,
    Major,
    Critical,
    Blocker,
}

/// The fields GitLab requires of a code quality issue.
#[derive(Deserialize)]
struct GitlabIssue {
    description: String,
    check_name: String,
    fingerprint: String,
    severity: GitlabSeverity,
    location: GitlabLocation,
}

#[derive(Deserialize)]
struct GitlabLocation {
    path: String,
    lines: GitlabLines,
}

#[derive(Deserialize)]
struct GitlabLines {
    begin: u64,
}

#[test]
fn gitlab_code_quality_has_every_required_field() {
    for (what, r) in reports() {
        let out = render(report::gitlab::write, &r);
        let issues: Vec<GitlabIssue> =
            serde_json::from_str(&out).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(issues.len(), r.findings.len(), "{what}");
        let mut fingerprints = HashSet::new();
        for (i, f) in issues.iter().zip(&r.findings) {
            assert_eq!(i.check_name, f.rule);
            assert!(i.description.contains(&f.message));
            assert!(
                fingerprints.insert(i.fingerprint.clone()),
                "{what}: duplicate fingerprint"
            );
            assert!(!i.location.path.starts_with("./") && !i.location.path.starts_with('/'));
            assert_eq!(
                i.location.lines.begin,
                f.location.span.map(|s| s.line as u64).unwrap_or(1)
            );
            let major = matches!(i.severity, GitlabSeverity::Major);
            assert_eq!(major, fails(&r, f.severity), "{what}");
            let _ = matches!(
                i.severity,
                GitlabSeverity::Info
                    | GitlabSeverity::Minor
                    | GitlabSeverity::Critical
                    | GitlabSeverity::Blocker
            );
        }
    }
}

/// The rows of every table in a markdown document, as plain text cells, and
/// every link destination.
fn markdown_tables(md: &str) -> (Vec<Vec<String>>, Vec<String>, Vec<String>) {
    use pulldown_cmark::{Event, Options as MdOptions, Parser, Tag, TagEnd};
    let mut rows = Vec::new();
    let mut links = Vec::new();
    let mut headings = Vec::new();
    let mut row: Option<Vec<String>> = None;
    let mut cell: Option<String> = None;
    let mut heading: Option<String> = None;
    for event in Parser::new_ext(md, MdOptions::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::TableRow) | Event::Start(Tag::TableHead) => row = Some(Vec::new()),
            Event::End(TagEnd::TableRow) | Event::End(TagEnd::TableHead) => rows.extend(row.take()),
            Event::Start(Tag::TableCell) => cell = Some(String::new()),
            Event::End(TagEnd::TableCell) => {
                if let (Some(r), Some(c)) = (row.as_mut(), cell.take()) {
                    r.push(c);
                }
            }
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::End(TagEnd::Heading(_)) => headings.extend(heading.take()),
            Event::Start(Tag::Link { dest_url, .. }) => links.push(dest_url.to_string()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(c) = cell.as_mut() {
                    c.push_str(&t);
                }
                if let Some(h) = heading.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::InlineHtml(h) | Event::Html(h) => {
                if let Some(c) = cell.as_mut() {
                    if h.as_ref() == "<br>" {
                        c.push('\n');
                    } else {
                        c.push_str(&h);
                    }
                }
            }
            _ => {}
        }
    }
    (rows, links, headings)
}

#[test]
fn markdown_is_a_summary_and_a_table_linking_to_lines() {
    let options = MarkdownOptions::default();
    for (what, r) in reports() {
        let mut buf = Vec::new();
        report::markdown::write(&[Pair::single(&r)], &mut buf, &options).unwrap();
        let md = String::from_utf8(buf).unwrap();
        let (rows, links, headings) = markdown_tables(&md);
        assert_eq!(headings.len(), 1, "{what}");
        assert!(
            headings[0].contains(&report::summary_line(&r)),
            "{what}: {}",
            headings[0]
        );
        if r.findings.is_empty() {
            assert!(rows.is_empty());
            continue;
        }
        assert_eq!(rows.len(), r.findings.len() + 1, "{what}");
        assert_eq!(rows[0], ["", "rule", "where", "change"]);
        for ((row, f), link) in rows[1..].iter().zip(&r.findings).zip(&links) {
            assert_eq!(row.len(), 4, "{what}: {row:?}");
            assert_eq!(row[1], f.rule);
            let want_link = match f.location.span {
                Some(s) => format!("{}#L{}", report::sarif::path_uri(&f.location.path), s.line),
                None => report::sarif::path_uri(&f.location.path),
            };
            assert_eq!(link, &want_link);
            // The message reads back as written (code spans lose their backticks).
            assert!(
                row[3].starts_with(&f.message.replace('`', "")),
                "{what}: {:?} vs {:?}",
                row[3],
                f.message
            );
        }
    }
}

#[test]
fn markdown_links_use_the_given_base() {
    let r = check_paths(
        "fixtures/order/old",
        "fixtures/order/new_reuse",
        &Options::default(),
    )
    .unwrap();
    let mut buf = Vec::new();
    let options = {
        let mut o = MarkdownOptions::default();
        o.link_base = Some("https://example.com/o/r/blob/abc/".to_owned());
        o
    };
    report::markdown::write(&[Pair::single(&r)], &mut buf, &options).unwrap();
    let (_, links, _) = markdown_tables(&String::from_utf8(buf).unwrap());
    assert_eq!(
        links[0],
        "https://example.com/o/r/blob/abc/fixtures/order/new_reuse/shop/order.proto#L8"
    );
}

fn cli(args: &[&str], envs: &[(&str, &str)]) -> (i32, String) {
    let mut c = Command::cargo_bin("protocheck").unwrap();
    for k in [
        "GITHUB_SERVER_URL",
        "GITHUB_REPOSITORY",
        "GITHUB_SHA",
        "CI_PROJECT_URL",
        "CI_COMMIT_SHA",
    ] {
        c.env_remove(k);
    }
    c.envs(envs.iter().copied());
    let out = c.args(args).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

#[test]
fn every_format_from_the_command_line_with_the_same_exit_codes() {
    let old = "fixtures/order/old";
    for (new, code) in [
        ("fixtures/order/new_reuse", 1),
        ("fixtures/order/new_add", 0),
    ] {
        for format in [
            "text", "short", "json", "sarif", "github", "junit", "gitlab", "markdown",
        ] {
            let (got, out) = cli(&[old, new, "--format", format], &[]);
            assert_eq!(got, code, "{format} {new}:\n{out}");
            match format {
                "json" | "sarif" | "gitlab" => {
                    serde_json::from_str::<Value>(&out).unwrap();
                }
                "junit" => {
                    roxmltree::Document::parse(&out).unwrap();
                }
                _ => {}
            }
        }
    }
}

#[test]
fn markdown_links_follow_the_ci() {
    let args = [
        "fixtures/order/old",
        "fixtures/order/new_reuse",
        "--format",
        "markdown",
    ];
    let (_, out) = cli(
        &args,
        &[
            ("GITHUB_SERVER_URL", "https://github.com"),
            ("GITHUB_REPOSITORY", "acme/shop"),
            ("GITHUB_SHA", "abc123"),
        ],
    );
    assert!(
        out.contains("(https://github.com/acme/shop/blob/abc123/fixtures/order/new_reuse/shop/order.proto#L8)"),
        "{out}"
    );
    let (_, out) = cli(
        &args,
        &[
            ("CI_PROJECT_URL", "https://gitlab.com/acme/shop"),
            ("CI_COMMIT_SHA", "abc123"),
        ],
    );
    assert!(
        out.contains("(https://gitlab.com/acme/shop/-/blob/abc123/fixtures/order/new_reuse/shop/order.proto#L8)"),
        "{out}"
    );
    let (_, out) = cli(
        &[&args[..], &["--link-base", "https://x.test/b"]].concat(),
        &[],
    );
    assert!(out.contains("(https://x.test/b/fixtures/order/new_reuse/shop/order.proto#L8)"));
}

#[test]
fn paths_with_spaces_and_colons_stay_valid_everywhere() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = |name: &str, body: &str| {
        let d = tmp.path().join(name);
        std::fs::create_dir_all(d.join("a b")).unwrap();
        std::fs::write(
            d.join("a b/x:y.proto"),
            format!("syntax = \"proto3\";\npackage p;\nmessage M {{ {body} }}\n"),
        )
        .unwrap();
        d
    };
    let old = dir("old", "map<string, int32> m = 1;");
    let new = dir("new", "map<string, int64> m = 1;");
    let r = check_paths(&old, &new, &Options::default()).unwrap();
    assert!(r.is_breaking());
    let doc: Value = serde_json::from_str(&render(report::sarif::write, &r)).unwrap();
    assert_valid_sarif(&sarif_validator(), &doc, "odd paths");
    let uri = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"]
        .as_str()
        .unwrap();
    assert!(
        uri.starts_with("file:///") && uri.ends_with("/a%20b/x:y.proto"),
        "{uri}"
    );
    let mut buf = Vec::new();
    report::markdown::write(&[Pair::single(&r)], &mut buf, &MarkdownOptions::default()).unwrap();
    let (rows, _, _) = markdown_tables(&String::from_utf8(buf).unwrap());
    assert!(rows[1..].iter().all(|r| r.len() == 4), "{rows:?}");
    let xml = render(report::junit::write, &r);
    roxmltree::Document::parse(&xml).unwrap();
    let gh = render(report::github::write, &r);
    let c = parse_command(gh.lines().next().unwrap());
    assert!(c
        .props
        .iter()
        .any(|(k, v)| k == "file" && v.ends_with("a b/x:y.proto")));
    let _ = Path::new(&old);
}

/// `Finding`'s `Serialize` is the finding object of `--format json`: the
/// same value for every finding of every fixture at every level (through the
/// library's JSON writer), and for the command line's output.
#[test]
fn a_finding_serializes_as_in_json_output() {
    let mut compared = 0;
    let mut with_fix = 0;
    for (what, r) in reports() {
        let mut buf = Vec::new();
        report::write_json(&r, &mut buf).unwrap();
        let doc: Value = serde_json::from_slice(&buf).unwrap();
        let written = doc["findings"].as_array().unwrap();
        assert_eq!(written.len(), r.findings.len(), "{what}");
        for (f, w) in r.findings.iter().zip(written) {
            assert_eq!(&serde_json::to_value(f).unwrap(), w, "{what}: {}", f.rule);
            compared += 1;
            with_fix += usize::from(!w["fix"].is_null());
        }
    }
    assert!(
        compared > 500 && with_fix > 20,
        "{compared} findings, {with_fix} with a fix"
    );

    let (old, new) = ("fixtures/order/old", "fixtures/order/new_reuse");
    let (code, out) = cli(&[old, new, "--format", "json"], &[]);
    assert_eq!(code, 1);
    let doc: Value = serde_json::from_str(&out).unwrap();
    let r = check_paths(old, new, &Options::default()).unwrap();
    assert_eq!(doc["findings"], serde_json::to_value(&r.findings).unwrap());
}

#[test]
fn severity_displays_as_in_json() {
    for s in [Severity::Error, Severity::Warning, Severity::Info] {
        assert_eq!(
            serde_json::to_value(s).unwrap(),
            Value::String(s.to_string())
        );
    }
}
