//! JUnit XML, which GitLab merge requests and Jenkins show as test results:
//! a test suite per comparison and a test case per finding. Errors (and
//! warnings under `--deny-warnings`) are failures; other findings pass with
//! their text in `system-out`. A comparison with no finding is one passing
//! test, so a clean run still shows up.

use std::io::{self, Write};

use serde::Serialize;

use super::{summary_line, Pair};
use crate::engine::finding::{Finding, Severity};

#[derive(Serialize)]
#[serde(rename = "testsuites")]
struct TestSuites {
    #[serde(rename = "@name")]
    name: &'static str,
    #[serde(rename = "@tests")]
    tests: usize,
    #[serde(rename = "@failures")]
    failures: usize,
    #[serde(rename = "@errors")]
    errors: usize,
    testsuite: Vec<TestSuite>,
}

#[derive(Serialize)]
struct TestSuite {
    #[serde(rename = "@name")]
    name: String,
    #[serde(rename = "@tests")]
    tests: usize,
    #[serde(rename = "@failures")]
    failures: usize,
    #[serde(rename = "@errors")]
    errors: usize,
    #[serde(rename = "@skipped")]
    skipped: usize,
    testcase: Vec<TestCase>,
}

#[derive(Serialize)]
struct TestCase {
    #[serde(rename = "@name")]
    name: String,
    #[serde(rename = "@classname")]
    classname: String,
    #[serde(rename = "@file", skip_serializing_if = "Option::is_none")]
    file: Option<String>,
    #[serde(rename = "@line", skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    failure: Option<Failure>,
    #[serde(rename = "system-out", skip_serializing_if = "Option::is_none")]
    system_out: Option<String>,
}

#[derive(Serialize)]
struct Failure {
    #[serde(rename = "@message")]
    message: String,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "$text")]
    text: String,
}

/// The finding in full: where, rule, message, fix and the old place.
fn details(f: &Finding) -> String {
    let mut s = format!("{}: {} {}", f.position(), f.rule, f.message);
    if let Some(h) = &f.help {
        s.push_str(&format!("\nfix: {h}"));
    }
    if let Some(o) = &f.old_location {
        let at = match o.span {
            Some(sp) => format!("{}:{}:{}{}", o.path, sp.line, sp.column, o.at_revision()),
            None => format!("{}{}", o.path, o.at_revision()),
        };
        match &f.old_text {
            Some(t) => s.push_str(&format!("\nwas: `{t}` at {at}")),
            None => s.push_str(&format!("\nwas at {at}")),
        }
    }
    let affects: Vec<&str> = f.affects.iter().map(|a| a.describe()).collect();
    s.push_str(&format!("\nbreaks: {}", affects.join(", ")));
    s
}

fn case(pair: &Pair, f: &Finding) -> TestCase {
    let fails = f.severity == Severity::Error
        || (f.severity == Severity::Warning && pair.report.deny_warnings);
    let path = &f.location.path;
    let classname = path.strip_suffix(".proto").unwrap_or(path).to_owned();
    let at = match f.location.span {
        Some(s) => format!(" at {}:{}", s.line, s.column),
        None => String::new(),
    };
    let sev = match f.severity {
        Severity::Error => "",
        Severity::Warning => " (warning)",
        Severity::Info => " (info)",
    };
    TestCase {
        name: format!("{}{sev}: {}{at}", f.rule, f.element),
        classname,
        file: Some(path.clone()),
        line: f.location.span.map(|s| s.line),
        failure: fails.then(|| Failure {
            message: f.message.clone(),
            kind: f.rule,
            text: details(f),
        }),
        system_out: (!fails).then(|| details(f)),
    }
}

fn suite(pair: &Pair) -> TestSuite {
    let name = match pair.against {
        Some(a) => format!("protocheck against {a}"),
        None => "protocheck".to_owned(),
    };
    let mut cases: Vec<TestCase> = pair.report.findings.iter().map(|f| case(pair, f)).collect();
    if cases.is_empty() {
        cases.push(TestCase {
            name: summary_line(pair.report),
            classname: "protocheck".to_owned(),
            file: None,
            line: None,
            failure: None,
            system_out: None,
        });
    }
    let failures = cases.iter().filter(|c| c.failure.is_some()).count();
    TestSuite {
        name,
        tests: cases.len(),
        failures,
        errors: 0,
        skipped: 0,
        testcase: cases,
    }
}

/// Writes one JUnit XML document with a test suite per comparison.
pub fn write(pairs: &[Pair], out: &mut dyn Write) -> io::Result<()> {
    let suites: Vec<TestSuite> = pairs.iter().map(suite).collect();
    let doc = TestSuites {
        name: "protocheck",
        tests: suites.iter().map(|s| s.tests).sum(),
        failures: suites.iter().map(|s| s.failures).sum(),
        errors: 0,
        testsuite: suites,
    };
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let mut ser = quick_xml::se::Serializer::new(&mut xml);
    ser.indent(' ', 2);
    doc.serialize(ser).map_err(io::Error::other)?;
    xml.push('\n');
    out.write_all(xml.as_bytes())
}
