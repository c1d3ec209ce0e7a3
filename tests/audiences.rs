//! "Who breaks" agrees with what the message says: every finding of every
//! fixture, at every level, lists the audiences its message's claim names
//! and none that the claim rules out. Both come from one consequence (see
//! `src/rules/consequence.rs`); this keeps the wording honest too.

mod common;

use common::{cases, new_trees};

use protocheck::rules::{self, Level};
use protocheck::{check_paths, Audience, Finding, Options, Severity};

use Audience::*;

/// Phrases that say the bytes read as before: the finding hurts no reader
/// (unless it names one elsewhere).
const SAME_BYTES: &[&str] = &[
    "keep their meaning on the wire",
    "the bytes are the same",
    "the bytes are unchanged",
    "reads the same bytes",
    "the bytes stay readable",
];

/// Phrases that name a reader side, and the audience each needs.
const NAMES: &[(&str, Audience)] = &[
    ("old readers", OldReadersOfNewData),
    ("new writers", OldReadersOfNewData),
    ("new readers", NewReadersOfOldData),
    ("old writers", NewReadersOfOldData),
    ("written before", NewReadersOfOldData),
    ("stored values", NewReadersOfOldData),
    ("json", JsonClients),
    ("generated code", GeneratedCode),
    ("accessor", GeneratedCode),
];

/// Phrases that say some reader misreads or fails: at least one reader side.
const HARM: &[&str] = &[
    "fail to decode",
    "fails to decode",
    "fail on",
    "reinterpreted",
    "can no longer be read",
    "read as garbage",
    "truncate",
    "reject",
    "keeps only the last",
    "keep only the last",
    "unknown fields",
    "large positive numbers",
    "read as negative",
];

/// What is wrong with a finding's audiences, if anything.
fn inconsistency(f: &Finding) -> Option<String> {
    // The claim follows the subject; a subject names the element, not a
    // consequence.
    let claim = f
        .message
        .split_once(": ")
        .map_or(f.message.as_str(), |(_, c)| c)
        .to_lowercase();
    let bound = rules::by_id(f.rule)?.meta().affects;
    let has = |a: Audience| f.affects.contains(&a);
    let readers = has(NewReadersOfOldData) || has(OldReadersOfNewData);
    let names_reader = ["old readers", "new readers", "new writers", "old writers"]
        .iter()
        .any(|p| claim.contains(p));
    if let Some(p) = SAME_BYTES.iter().find(|p| claim.contains(**p)) {
        if readers && !names_reader {
            return Some(format!("says \"{p}\" but lists a reader"));
        }
    }
    for (phrase, a) in NAMES {
        if claim.contains(phrase) && bound.contains(a) && !has(*a) {
            return Some(format!("says \"{phrase}\" but does not list {a}"));
        }
    }
    if let Some(p) = HARM.iter().find(|p| claim.contains(**p)) {
        let bound_readers =
            bound.contains(&NewReadersOfOldData) || bound.contains(&OldReadersOfNewData);
        if bound_readers && !readers {
            return Some(format!("says \"{p}\" but lists no reader"));
        }
    }
    for a in &f.affects {
        if !bound.contains(a) {
            return Some(format!("lists {a}, which its rule does not declare"));
        }
    }
    None
}

#[test]
fn every_findings_audiences_match_its_claim() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in cases() {
        let old = case.join("old");
        for new in new_trees(&case) {
            for level in Level::ALL {
                let options = Options {
                    level: Some(level),
                    ..Options::default()
                };
                let report = check_paths(&old, &new, &options)
                    .unwrap_or_else(|e| panic!("{}: {e}", new.display()));
                for f in &report.findings {
                    // An info explains why a change was accepted: it breaks
                    // nobody, and its audiences are the rule's.
                    if f.severity == Severity::Info {
                        continue;
                    }
                    checked += 1;
                    if let Some(why) = inconsistency(f) {
                        let who: Vec<&str> = f.affects.iter().map(|a| a.describe()).collect();
                        failures.push(format!(
                            "{} [{level}] {}: {why}\n  message: {}\n  breaks: {}",
                            new.display(),
                            f.rule,
                            f.message,
                            who.join(", ")
                        ));
                    }
                }
            }
        }
    }
    assert!(checked > 500, "only {checked} findings checked");
    assert!(
        failures.is_empty(),
        "{} findings whose audiences disagree with their message:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_claims_checker_catches_the_old_disagreement() {
    // FIELD_SAME_TYPE int32 → int64 before its consequence was the single
    // source: a message saying the values keep their meaning on the wire,
    // listing new readers of old data.
    // `Finding` is non-exhaustive: vary a real one.
    let mut old = sample();
    old.affects = vec![NewReadersOfOldData, OldReadersOfNewData, GeneratedCode];
    old.message = "field 1 of message \"a.B\" changed type from \"int32\" to \"int64\": int32 values keep their meaning on the wire, but generated code changes type".to_owned();
    assert!(inconsistency(&old).is_some());
    let mut now = sample();
    now.affects = vec![OldReadersOfNewData, GeneratedCode];
    now.message = "field 1 of message \"a.B\" changed type from \"int32\" to \"int64\": int32 values keep their meaning when read as int64, but old readers truncate int64 values beyond 32 bits that new writers write, and generated code changes type".to_owned();
    assert_eq!(inconsistency(&now), None);
    let mut silent = sample();
    silent.affects = vec![GeneratedCode];
    silent.message = "field 1 of message \"a.B\" changed type from \"int64\" to \"int32\": int64 values beyond 32 bits are silently truncated when read as int32".to_owned();
    assert!(inconsistency(&silent).is_some());
}

/// A finding of FIELD_SAME_TYPE to vary.
fn sample() -> Finding {
    let report = check_paths(
        std::path::Path::new("fixtures/order/old"),
        std::path::Path::new("fixtures/order/new_reuse"),
        &Options::default(),
    )
    .unwrap();
    report
        .findings
        .into_iter()
        .find(|f| f.rule == "FIELD_SAME_TYPE")
        .unwrap()
}
