//! The second oracle: Google's protobuf runtime (the Python `protobuf`
//! package, upb backend, pinned to [`PROTOBUF`]) given the round trip's bytes
//! and JSON, compared field by field with what the round trip reports.
//!
//! The test obtains what it needs itself: a venv under the cargo target dir
//! (`python3 -m venv`, then pip installs the pinned `protobuf`; reused while
//! it holds that version), and descriptor sets built by the protoc the other
//! tests use (`PROTOC`, else `PATH`). One Python process serves a whole batch.
//!
//! What is compared, per sample and direction:
//! - whether the reader rejects the whole message;
//! - what the writer's and the reader's application sees, field by field
//!   (values, defaults of unset fields), and the unknown fields;
//! - the reader's re-serialization, byte for byte, and whether the writer
//!   gets its message back;
//! - each field's outcome against those facts as the runtime gives them;
//! - JSON: whether a strict parser rejects the writer's document, and per key
//!   what a strict and a lenient parser make of it (the outcome, and the
//!   value read).
//!
//! Where the runtime is laxer than the ProtoJSON spec, the round trip keeps
//! its stricter verdict and the difference is counted under the spec rule
//! ([`SPEC_RULES`]); every other difference is reported.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use prost_reflect::Kind;
use protocheck::roundtrip::{inspect, Direction, Outcome, RoundTrip, Run};
use protocheck::{Schema, Side};
use serde_json::{json, Value};

/// The pinned version of Google's runtime.
pub const PROTOBUF: &str = "7.36.2";

/// The ProtoJSON rules the runtime does not enforce, where the round trip
/// keeps its stricter verdict (a rejected value).
pub const SPEC_RULES: [(&str, &str); 5] = [
    (
        "bool-is-not-a-number",
        "ProtoJSON: a float or double field takes a JSON number or one of \"NaN\", \"Infinity\", \"-Infinity\"; `true` is not a number (Python's parser reads it as 1.0)",
    ),
    (
        "bytes-are-base64",
        "ProtoJSON: a bytes field takes base64 (standard or URL-safe, padding optional); a string that is not base64 is not a value (Python's parser decodes it anyway)",
    ),
    (
        "message-is-an-object",
        "ProtoJSON: a message field takes a JSON object (or null); a string is not a message (Python's parser takes its characters for keys and, ignoring unknown fields, reads an empty message)",
    ),
    (
        "enum-takes-an-integer",
        "ProtoJSON: an enum field takes a value's name or an integer; `true` and 12.5 are neither (Python's parser reads them with int(): 1 and 12)",
    ),
    (
        "map-order",
        "the encoding spec: a map's order is not kept (upb re-serializes it in hash-table order); a list read as a map may come back to its writer reordered, which protocheck does not count as a change",
    ),
];

/// The venv's Python, set up once per test binary.
pub fn python() -> &'static Path {
    static PY: OnceLock<PathBuf> = OnceLock::new();
    PY.get_or_init(setup)
}

fn ready(py: &Path) -> bool {
    Command::new(py)
        .args([
            "-c",
            "import google.protobuf as g; from google.protobuf.internal import api_implementation as a; print(g.__version__, a.Type())",
        ])
        .output()
        .is_ok_and(|o| {
            o.status.success() && String::from_utf8_lossy(&o.stdout).trim() == format!("{PROTOBUF} upb")
        })
}

fn setup() -> PathBuf {
    let base = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let venv = base.join(format!("oracle-venv-protobuf-{PROTOBUF}"));
    let py = venv.join("bin").join("python");
    if ready(&py) {
        return py;
    }
    let need = "the oracle test needs python3 with its venv module to install Google's protobuf runtime (Debian/Ubuntu: apt-get install python3 python3-venv)";
    match Command::new("python3").arg("--version").output() {
        Ok(o) if o.status.success() => {}
        _ => panic!("{need}: python3 was not found on PATH"),
    }
    std::fs::create_dir_all(base).unwrap();
    let tmp = base.join(format!("oracle-venv-tmp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let out = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&tmp)
        .output()
        .unwrap();
    if !out.status.success() {
        let _ = std::fs::remove_dir_all(&tmp);
        panic!(
            "{need}: `python3 -m venv` failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    let tmp_py = tmp.join("bin").join("python");
    let out = Command::new(&tmp_py)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            &format!("protobuf=={PROTOBUF}"),
        ])
        .output()
        .unwrap();
    if !out.status.success() || !ready(&tmp_py) {
        panic!(
            "the oracle test could not install protobuf {PROTOBUF} (upb) into {}: {}",
            tmp.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    let _ = std::fs::remove_dir_all(&venv);
    if std::fs::rename(&tmp, &venv).is_err() {
        // Another process got there first.
        let _ = std::fs::remove_dir_all(&tmp);
    }
    assert!(ready(&py), "the venv at {} does not work", venv.display());
    py
}

/// The `.proto` files under `root`, as import names.
fn proto_names(root: &Path) -> Vec<String> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "proto") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(root, &mut files);
    let mut names: Vec<String> = files
        .iter()
        .map(|p| {
            p.strip_prefix(root)
                .unwrap()
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect();
    names.sort();
    names
}

/// A descriptor set of every `.proto` file under `root`, built by protoc.
pub fn descriptor_set(root: &Path) -> Vec<u8> {
    let protoc = protocheck::input::protoc::locate(None)
        .map(|(p, _)| p)
        .expect("the oracle test needs protoc: set PROTOC or put protoc on PATH (.ci/run installs one from grpcio-tools)");
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("set.binpb");
    let run = Command::new(&protoc)
        .arg(format!("-I{}", root.display()))
        .arg("--include_imports")
        .arg(format!("-o{}", out.display()))
        .args(proto_names(root))
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "protoc failed on {}: {}",
        root.display(),
        String::from_utf8_lossy(&run.stderr)
    );
    std::fs::read(out).unwrap()
}

/// Jobs for one Python process.
#[derive(Default)]
pub struct Batch {
    pools: Vec<String>,
    jobs: Vec<Value>,
}

impl Batch {
    pub fn pool(&mut self, set: &[u8]) -> usize {
        self.pools.push(plain_hex(set));
        self.pools.len() - 1
    }

    fn push(&mut self, job: Value) -> usize {
        self.jobs.push(job);
        self.jobs.len() - 1
    }

    pub fn binary(
        &mut self,
        pool: usize,
        message: &str,
        bytes: &[u8],
        back: Option<usize>,
    ) -> usize {
        let mut j = json!({"binary": plain_hex(bytes), "pool": pool, "message": message});
        if let Some(b) = back {
            j["back"] = json!(b);
        }
        self.push(j)
    }

    pub fn json(&mut self, pool: usize, message: &str, text: &str, strict: bool) -> usize {
        self.push(json!({"json": text, "pool": pool, "message": message, "strict": strict}))
    }

    /// Runs every job in one Python process.
    pub fn run(self) -> Vec<Value> {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/oracle/oracle.py");
        let mut child = Command::new(python())
            .arg(script)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let input = json!({"pools": self.pools, "jobs": self.jobs}).to_string();
        let mut stdin = child.stdin.take().unwrap();
        let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
        let out = child.wait_with_output().unwrap();
        writer.join().unwrap().unwrap();
        assert!(
            out.status.success(),
            "the oracle failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(doc["version"], PROTOBUF);
        assert_eq!(doc["implementation"], "upb");
        let results = doc["results"].as_array().unwrap().clone();
        assert_eq!(results.len(), self.jobs.len());
        results
    }
}

fn plain_hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn unhex(s: &str) -> Vec<u8> {
    s.split_whitespace()
        .map(|b| u8::from_str_radix(b, 16).unwrap())
        .collect()
}

/// One pair of versions with its round trip.
pub struct Case {
    pub name: String,
    /// Old, new: compiled by protocheck (with descriptor pools).
    pub schemas: [Schema; 2],
    /// Old, new: built by protoc.
    pub sets: [Vec<u8>; 2],
    pub rt: RoundTrip,
}

/// What a comparison found.
#[derive(Default, Debug)]
pub struct Tally {
    pub runs: usize,
    /// Field results held against the runtime's facts.
    pub fields: usize,
    pub json_keys: usize,
    /// Differences: each fails the test.
    pub diffs: Vec<String>,
    /// Where the runtime is laxer than the spec: rule → instances.
    pub spec: BTreeMap<&'static str, Vec<String>>,
}

struct RunJobs {
    case: usize,
    message: String,
    direction: Direction,
    run: usize,
    writer: usize,
    reader: usize,
    strict: Option<usize>,
    keys: Vec<(usize, usize, usize)>,
}

fn idx(side: Side) -> usize {
    if side == Side::Old {
        0
    } else {
        1
    }
}

/// Holds every case's round trip against the runtime, in one Python process.
pub fn check(cases: &[Case]) -> Tally {
    let mut batch = Batch::default();
    let mut plans = Vec::new();
    for (ci, c) in cases.iter().enumerate() {
        let pools = [batch.pool(&c.sets[0]), batch.pool(&c.sets[1])];
        for m in &c.rt.messages {
            for d in &m.directions {
                let (w, r) = (pools[idx(d.writer)], pools[idx(d.reader)]);
                for (ri, run) in d.runs.iter().enumerate() {
                    let bytes = unhex(&run.written);
                    let writer = batch.binary(w, &m.message, &bytes, None);
                    let reader = batch.binary(r, &m.message, &bytes, Some(w));
                    let strict = run
                        .json
                        .written
                        .as_ref()
                        .map(|t| batch.json(r, &m.message, t, true));
                    let mut keys = Vec::new();
                    for jf in &run.json.fields {
                        let one = one_key(&jf.name, &jf.written);
                        keys.push((
                            batch.json(w, &m.message, &one, true),
                            batch.json(r, &m.message, &one, true),
                            batch.json(r, &m.message, &one, false),
                        ));
                    }
                    plans.push(RunJobs {
                        case: ci,
                        message: m.message.clone(),
                        direction: d.direction,
                        run: ri,
                        writer,
                        reader,
                        strict,
                        keys,
                    });
                }
            }
        }
    }
    let results = batch.run();
    let mut tally = Tally::default();
    for p in &plans {
        let c = &cases[p.case];
        let m = c.rt.message(&p.message).unwrap();
        let run = &m.direction(p.direction).unwrap().runs[p.run];
        compare_run(c, p, run, &results, &mut tally);
    }
    tally
}

fn one_key(key: &str, written: &str) -> String {
    let mut o = serde_json::Map::new();
    o.insert(key.to_owned(), serde_json::from_str(written).unwrap());
    Value::Object(o).to_string()
}

fn compare_run(c: &Case, p: &RunJobs, run: &Run, results: &[Value], t: &mut Tally) {
    t.runs += 1;
    let (ws, rs) = (p.direction.writer(), p.direction.reader());
    let at = format!(
        "{}: {} {} sample {}",
        c.name,
        p.message,
        p.direction.arrow(),
        run.sample
    );
    let bytes = unhex(&run.written);
    let ours_w = inspect::inspect(&c.schemas[idx(ws)], &p.message, &bytes).unwrap();
    let ours_r = inspect::inspect(&c.schemas[idx(rs)], &p.message, &bytes).unwrap();
    let (py_w, py_r) = (&results[p.writer], &results[p.reader]);
    let py_rejects =
        |v: &Value| !v["error"].is_null() || v["missing"].as_array().is_some_and(|m| !m.is_empty());
    let diff = |t: &mut Tally, what: String| t.diffs.push(format!("{at}: {what}"));
    // The writer reads its own bytes alike.
    if py_rejects(py_w) {
        diff(
            t,
            format!("the runtime's {ws} writer rejects its own bytes: {py_w}"),
        );
        return;
    }
    tree_diff(
        &ours_w.tree,
        &py_w["tree"],
        &format!("{ws} writer's view"),
        &mut |w| diff(t, w),
    );
    // Whole-message rejection.
    if run.decode_error.is_some() != py_rejects(py_r) {
        diff(
            t,
            format!(
                "whole message: ours {:?}, the runtime {}",
                run.decode_error,
                if py_rejects(py_r) {
                    format!("rejects it ({} {})", py_r["error"], py_r["missing"])
                } else {
                    "accepts it".to_owned()
                }
            ),
        );
    }
    if run.decode_error.is_none() && !py_rejects(py_r) {
        tree_diff(
            &ours_r.tree,
            &py_r["tree"],
            &format!("{rs} reader's view"),
            &mut |w| diff(t, w),
        );
        let ours = run.reencoded.as_deref().map(unhex).unwrap_or_default();
        let theirs = py_r["reencoded"].as_str().unwrap_or_default();
        let reader_desc = c.schemas[idx(rs)]
            .pool
            .as_ref()
            .and_then(|pool| pool.get_message_by_name(&p.message))
            .unwrap();
        if records(&ours, &reader_desc) != records(&unhex_plain(theirs), &reader_desc) {
            diff(
                t,
                format!(
                    "re-serialized bytes: ours {}, the runtime's {theirs}",
                    plain_hex(&ours)
                ),
            );
        }
        // Values as the application sees them (a field not set reads as
        // its default): the round trip compares values, not presence.
        // A field that came back only as an unknown field did not come back.
        let back_unknown = py_r["back"]["u"].as_array().is_some_and(|u| {
            u.iter()
                .any(|r| !py_w["tree"]["f"][r[0].to_string()].is_null())
        });
        // A list the reader holds as a map comes back in the map's order
        // (upb: its hash table's, which varies between processes): compared
        // as a set, under the name "map-order".
        let unordered = |v: Value| -> Value {
            let Value::Object(mut o) = v else { return v };
            for (k, x) in o.iter_mut() {
                let is_map = k
                    .parse::<u32>()
                    .ok()
                    .and_then(|n| reader_desc.get_field(n))
                    .is_some_and(|f| f.is_map());
                if let (true, Value::Array(a)) = (is_map, x) {
                    a.sort_by_key(|e| e.to_string());
                }
            }
            Value::Object(o)
        };
        let (back, wrote) = (seen_values(&py_r["back"]), seen_values(&py_w["tree"]));
        let back_same = unordered(back.clone()) == unordered(wrote.clone()) && !back_unknown;
        if back_same && back != wrote {
            t.spec
                .entry("map-order")
                .or_default()
                .push(format!("{at}: a list read as a map came back reordered"));
        }
        if run.returned_same != Some(back_same) {
            diff(
                t,
                format!(
                    "the writer gets its message back: ours {:?}, the runtime {back_same} (it reads back {}{}, having written {}; bytes {}, re-serialized {})",
                    run.returned_same,
                    seen_values(&py_r["back"]),
                    py_r.get("back_error").map(|e| format!(" {e}")).unwrap_or_default(),
                    seen_values(&py_w["tree"]),
                    run.written,
                    run.reencoded.as_deref().unwrap_or_default()
                ),
            );
        }
    }
    // Each field's outcome against the runtime's facts.
    for f in &run.fields {
        t.fields += 1;
        // In a message the reader rejects, the other fields show what a
        // reader would see of them; the rejection itself is compared above.
        if py_rejects(py_r) {
            continue;
        }
        if f.outcome == Outcome::DecodeError {
            diff(
                t,
                format!(
                    "{} ({:?}): decode-error ({}), but the runtime accepts the message",
                    f.path, f.numbers, f.explanation
                ),
            );
            continue;
        }
        let (Some(wh), Some(rh)) = (
            holder(&py_w["tree"], &f.numbers),
            holder(&py_r["tree"], &f.numbers),
        ) else {
            // Inside a list of messages: the trees above cover it.
            continue;
        };
        let n = f.number.to_string();
        let seen = |h: &Value| -> Value {
            if !h["f"][&n].is_null() {
                h["f"][&n].clone()
            } else {
                h["d"][&n].clone()
            }
        };
        let (wv, rv) = (seen(wh), seen(rh));
        let in_unknown = rh["u"]
            .as_array()
            .is_some_and(|u| u.iter().any(|r| r[0] == json!(f.number)));
        let ok = match f.outcome {
            // A later member of the reader's oneof cleared it: the reader
            // holds that member instead (whatever the value).
            Outcome::Dropped if f.cleared_by.is_some() => {
                let by = f.cleared_by.unwrap_or_default().to_string();
                rh["f"][&n].is_null() && !rh["f"][&by].is_null()
            }
            Outcome::Same => same(&wv, &rv, false),
            Outcome::Converted | Outcome::Dropped => !same(&wv, &rv, false),
            Outcome::Absent => rh["f"][&n].is_null(),
            Outcome::UnknownPreserved => in_unknown,
            // A list or map may keep the elements that did match.
            Outcome::WireTypeMismatch => {
                in_unknown && (rh["f"][&n].is_null() || rh["f"][&n].is_array())
            }
            Outcome::DecodeError => unreachable!(),
        };
        if !ok {
            diff(
                t,
                format!(
                    "{} ({:?}): {} ({}), but the runtime's writer sees {wv} and its reader {rv}{}",
                    f.path,
                    f.numbers,
                    f.outcome.name(),
                    f.explanation,
                    if in_unknown {
                        " (with it in the unknown fields)"
                    } else {
                        ""
                    }
                ),
            );
        }
    }
    compare_json(c, p, run, results, t, &at);
}

fn compare_json(c: &Case, p: &RunJobs, run: &Run, results: &[Value], t: &mut Tally, at: &str) {
    let (ws, rs) = (p.direction.writer(), p.direction.reader());
    let Some(strict) = p.strict else { return };
    let mut lax = false;
    let reader_desc = c.schemas[idx(rs)]
        .pool
        .as_ref()
        .and_then(|pool| pool.get_message_by_name(&p.message))
        .unwrap();
    for (jf, &(w1, rs1, rl1)) in run.json.fields.iter().zip(&p.keys) {
        t.json_keys += 1;
        let (pw, pstrict, plenient) = (&results[w1], &results[rs1], &results[rl1]);
        let here = format!("{at}: JSON {} = {}", jf.name, jf.written);
        if !pw["error"].is_null() {
            t.diffs.push(format!(
                "{here}: the runtime's {ws} writer rejects its own JSON: {}",
                pw["error"]
            ));
            continue;
        }
        // The reader's field for the key: (number, kind).
        let rf = reader_desc
            .get_field_by_json_name(&jf.name)
            .or_else(|| reader_desc.get_field_by_name(&jf.name))
            .map(|f| (f.number(), f.kind()))
            .or_else(|| {
                reader_desc
                    .get_extension_by_json_name(&jf.name)
                    .map(|x| (x.number(), x.kind()))
            });
        let expected = if !plenient["error"].is_null() {
            Outcome::DecodeError
        } else if !pstrict["error"].is_null() {
            Outcome::Dropped
        } else {
            let wv = only_field(&pw["tree"]);
            let rv = rf
                .as_ref()
                .map(|(n, _)| {
                    let n = n.to_string();
                    let f = &plenient["tree"]["f"][&n];
                    if f.is_null() {
                        plenient["tree"]["d"][&n].clone()
                    } else {
                        f.clone()
                    }
                })
                .unwrap_or(Value::Null);
            if same(&wv, &rv, true) {
                Outcome::Same
            } else {
                Outcome::Converted
            }
        };
        if jf.outcome == expected {
            if jf.outcome == Outcome::Dropped && jf.strict_error.is_none() {
                t.diffs.push(format!(
                    "{here}: dropped without the strict parse error (the runtime's: {})",
                    pstrict["error"]
                ));
            }
        } else if jf.outcome == Outcome::DecodeError {
            match spec_rule(rf.as_ref().map(|f| f.1.clone()), &jf.written) {
                Some(rule) => {
                    lax = true;
                    t.spec.entry(rule).or_default().push(format!(
                        "{here}: the runtime reads it ({}), protocheck keeps decode-error",
                        expected.name()
                    ));
                }
                None => t.diffs.push(format!(
                    "{here}: ours decode-error ({}), the runtime {}",
                    jf.explanation,
                    expected.name()
                )),
            }
        } else {
            t.diffs.push(format!(
                "{here}: ours {} ({}), the runtime {} (strict: {}, lenient: {})",
                jf.outcome.name(),
                jf.explanation,
                expected.name(),
                pstrict["error"],
                plenient["error"]
            ));
        }
        // The value read, where both read one.
        if plenient["error"].is_null() && jf.outcome != Outcome::DecodeError {
            let ours = inspect::inspect_json(
                &c.schemas[idx(rs)],
                &p.message,
                &one_key(&jf.name, &jf.written),
                false,
            )
            .unwrap();
            match ours {
                Ok(tree) => tree_diff(
                    &tree,
                    &plenient["tree"],
                    &format!("JSON {}: the {rs} reader's view", jf.name),
                    &mut |w| t.diffs.push(format!("{at}: {w}")),
                ),
                Err(e) => t.diffs.push(format!(
                    "{here}: ours cannot read it leniently ({e}), the runtime can"
                )),
            }
        }
    }
    let theirs = !results[strict]["error"].is_null();
    let ours = run.json.strict_error.is_some();
    if ours != theirs && !(ours && lax) {
        t.diffs.push(format!(
            "{at}: strict JSON parse of {}: ours {:?}, the runtime {}",
            run.json.written.as_deref().unwrap_or_default(),
            run.json.strict_error,
            results[strict]["error"]
        ));
    }
}

/// The spec rule under which the round trip's rejection stands where the
/// runtime reads the value (looking into lists, maps and nested messages).
fn spec_rule(kind: Option<Kind>, written: &str) -> Option<&'static str> {
    let v: Value = serde_json::from_str(written).ok()?;
    rule_in(&kind?, &v)
}

fn rule_in(kind: &Kind, v: &Value) -> Option<&'static str> {
    if let Value::Array(a) = v {
        return a.iter().find_map(|x| rule_in(kind, x));
    }
    match kind {
        Kind::Double | Kind::Float if v.is_boolean() => Some(SPEC_RULES[0].0),
        Kind::Bytes if v.as_str().is_some_and(|s| !is_base64(s)) => Some(SPEC_RULES[1].0),
        Kind::Enum(_) if v.is_boolean() || v.as_f64().is_some_and(|f| f.fract() != 0.0) => {
            Some(SPEC_RULES[3].0)
        }
        Kind::Message(m) if m.is_map_entry() => {
            let vk = m.map_entry_value_field().kind();
            v.as_object()?.values().find_map(|x| rule_in(&vk, x))
        }
        Kind::Message(_) if v.is_string() => Some(SPEC_RULES[2].0),
        Kind::Message(m) => v.as_object()?.iter().find_map(|(k, x)| {
            let f = m
                .get_field_by_json_name(k)
                .or_else(|| m.get_field_by_name(k))?;
            rule_in(&f.kind(), x)
        }),
        _ => None,
    }
}

/// RFC 4648 base64, standard or URL-safe alphabet, padding optional.
fn is_base64(s: &str) -> bool {
    let body = s.trim_end_matches('=');
    let pad = s.len() - body.len();
    body.bytes()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'-' | b'_'))
        && pad <= 2
        && body.len() % 4 != 1
        && (pad == 0 || s.len() % 4 == 0)
}

/// The one field a one-key document sets (or its default), else null.
fn only_field(tree: &Value) -> Value {
    let f = tree["f"].as_object().unwrap();
    match f.values().next() {
        Some(v) => v.clone(),
        None => Value::Null,
    }
}

/// What the application sees of each known field of a message tree: its
/// value, else its default (unknown fields left out).
fn seen_values(tree: &Value) -> Value {
    let mut all = tree["d"].as_object().cloned().unwrap_or_default();
    for (k, v) in tree["f"].as_object().into_iter().flatten() {
        all.insert(k.clone(), v.clone());
    }
    Value::Object(all)
}

/// The message holding the field at `numbers` (None inside a list).
fn holder<'a>(tree: &'a Value, numbers: &[u32]) -> Option<&'a Value> {
    let mut h = tree;
    for n in &numbers[..numbers.len().saturating_sub(1)] {
        let next = &h["f"][n.to_string()];
        if !next.is_object() {
            return None;
        }
        h = next;
    }
    Some(h)
}

/// Whether two values mean the same, as the round trip judges it: integers
/// and bools by value across their types, an enum only as an enum, strings
/// and bytes by their bytes, messages field by field; floats by their bits
/// in binary (a float is never an integer there), by value in JSON (where
/// both are JSON numbers).
pub fn same(a: &Value, b: &Value, json: bool) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        // One value written in a list, read by a singular field.
        (Value::Array(x), y) if x.len() == 1 && !y.is_array() => same(&x[0], y, json),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q, json))
        }
        (Value::Object(x), Value::Object(y)) if x.contains_key("f") && y.contains_key("f") => {
            let (fx, fy) = (x["f"].as_object().unwrap(), y["f"].as_object().unwrap());
            fx.len() == fy.len()
                && fx
                    .iter()
                    .all(|(k, v)| fy.get(k).is_some_and(|w| same(v, w, json)))
        }
        (Value::Object(_), Value::Object(_)) if !json && (is_float(a) || is_float(b)) => {
            ["f32", "f64"]
                .iter()
                .any(|t| a.get(*t).is_some() && a.get(*t) == b.get(*t))
        }
        (Value::Object(_), Value::Object(_)) => match (num(a), num(b)) {
            (Some(x), Some(y)) => x == y,
            _ => {
                // A string that is not UTF-8 is not text: Python's runtime
                // hands it over as bytes, Java reads U+FFFD in its place.
                let text = |v: &Value| match (v.get("s"), v.get("y")) {
                    (Some(Value::String(h)), _) if !utf8(h) => {
                        Some(json!(format!("not UTF-8: {h}")))
                    }
                    (s, y) => s.or(y).cloned(),
                };
                match (a.get("e"), b.get("e")) {
                    (Some(x), Some(y)) => x == y,
                    (None, None) => text(a).is_some() && text(a) == text(b),
                    _ => false,
                }
            }
        },
        _ => false,
    }
}

fn is_float(v: &Value) -> bool {
    v.get("f32").is_some() || v.get("f64").is_some()
}

fn utf8(hex: &str) -> bool {
    std::str::from_utf8(&unhex_plain(hex)).is_ok()
}

fn unhex_plain(h: &str) -> Vec<u8> {
    (0..h.len() / 2)
        .map(|i| u8::from_str_radix(&h[2 * i..2 * i + 2], 16).unwrap())
        .collect()
}

/// The top-level records of a serialization, with each run of map entries
/// sorted: a runtime writes a map in its own order (upb: its hash table's).
fn records(bytes: &[u8], desc: &prost_reflect::MessageDescriptor) -> Vec<String> {
    let Ok(recs) = protocheck::roundtrip::wire::parse(bytes) else {
        return vec![format!("not records: {}", plain_hex(bytes))];
    };
    let mut out: Vec<String> = Vec::new();
    let mut run_start = 0;
    for (i, r) in recs.iter().enumerate() {
        if i > 0 && recs[i - 1].number != r.number {
            run_start = out.len();
        }
        out.push(plain_hex(&r.raw));
        if desc.get_field(r.number).is_some_and(|f| f.is_map()) {
            out[run_start..].sort();
        }
    }
    out
}

#[derive(PartialEq, Debug)]
enum Num {
    Int(i128),
    Float(f64),
}

fn num(v: &Value) -> Option<Num> {
    if let Some(b) = v.get("b").and_then(Value::as_bool) {
        return Some(Num::Int(i128::from(b)));
    }
    if let Some(i) = v.get("i").and_then(Value::as_str) {
        return Some(Num::Int(i.parse().unwrap()));
    }
    let f = if let Some(h) = v.get("f32").and_then(Value::as_str) {
        f64::from(f32::from_bits(u32::from_str_radix(h, 16).unwrap()))
    } else {
        f64::from_bits(u64::from_str_radix(v.get("f64")?.as_str()?, 16).unwrap())
    };
    if f.fract() == 0.0 && f.abs() < 1e30 {
        Some(Num::Int(f as i128))
    } else {
        Some(Num::Float(f))
    }
}

/// Reports where two message trees differ, field by field.
fn tree_diff(ours: &Value, theirs: &Value, what: &str, out: &mut dyn FnMut(String)) {
    for part in ["f", "d"] {
        let (a, b) = (&ours[part], &theirs[part]);
        let mut keys: Vec<&String> = a.as_object().into_iter().flat_map(|o| o.keys()).collect();
        keys.extend(b.as_object().into_iter().flat_map(|o| o.keys()));
        keys.sort_by_key(|k| k.parse::<u32>().unwrap_or(0));
        keys.dedup();
        for k in keys {
            if a[k] != b[k] {
                let label = if part == "f" {
                    "field"
                } else {
                    "default of field"
                };
                out(format!(
                    "{what}: {label} {k}: ours {}, the runtime's {}",
                    a[k], b[k]
                ));
            }
        }
    }
    if ours["u"] != theirs["u"] {
        out(format!(
            "{what}: unknown fields: ours {}, the runtime's {}",
            ours["u"], theirs["u"]
        ));
    }
}
