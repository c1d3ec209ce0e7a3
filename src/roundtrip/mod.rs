//! The round trip: proves on real bytes what a schema change does to old and
//! new readers.
//!
//! For each message type in both versions (or the chosen ones), a writer of
//! one version produces sample messages (synthesized, or given as files), a
//! reader of the other version reads the bytes, re-serializes what it read,
//! and the writer reads that again. Every field gets an [`Outcome`] per
//! direction: the value read is the same, converted, kept as an unknown field
//! (and re-serialized byte for byte), dropped, rejected for its wire type, or
//! the whole message fails to decode. The same samples also go through the
//! proto3 JSON mapping (the writer's canonical JSON parsed by the reader).
//!
//! The reader follows protobuf's reference runtimes (C++, Java, Go, Python),
//! with its own wire-level reader ([`wire`]); what prost does with the same
//! bytes is checked separately with prost-reflect's decoder and reported next
//! to it, because prost rejects a whole message where the reference runtimes
//! keep a mismatched field as an unknown field.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use miette::{Diagnostic, NamedSource, SourceSpan};
use prost_reflect::{DescriptorPool, DynamicMessage, MessageDescriptor};
use serde::Serialize;

use crate::input::error::InputError;
use crate::input::Input;
use crate::schema::{Schema, Side};

mod compare;
pub mod inspect;
pub mod json;
pub mod render;
pub mod sample;
pub mod synth;
pub mod wire;

use crate::schema::lower::Semantics;
use compare::At;
use wire::{hex, MsgType};

/// Which version writes and which reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// Old code wrote the data (stored data, old clients); new code reads it.
    OldToNew,
    /// New code wrote the data; old code (not yet upgraded) reads it.
    NewToOld,
}

impl Direction {
    /// Both directions, old writer first.
    pub const BOTH: [Direction; 2] = [Direction::OldToNew, Direction::NewToOld];

    /// The side that writes.
    pub fn writer(self) -> Side {
        match self {
            Direction::OldToNew => Side::Old,
            Direction::NewToOld => Side::New,
        }
    }

    /// The side that reads.
    pub fn reader(self) -> Side {
        match self {
            Direction::OldToNew => Side::New,
            Direction::NewToOld => Side::Old,
        }
    }

    /// `old writer → new reader`
    pub fn describe(self) -> String {
        format!("{} writer → {} reader", self.writer(), self.reader())
    }

    /// `old → new`
    pub fn arrow(self) -> String {
        format!("{} → {}", self.writer(), self.reader())
    }
}

/// What a reader makes of one field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The reader holds the value that was written.
    Same,
    /// The writer has no such field: the reader sees its default.
    Absent,
    /// The reader keeps the field as an unknown field and re-serializes it
    /// (byte for byte, which the round trip checks).
    UnknownPreserved,
    /// The reader holds a different value (written and read values shown).
    Converted,
    /// The reader loses (part of) the value.
    Dropped,
    /// The reader expects another wire type: the reference runtimes keep the
    /// record as an unknown field and the application sees the default; prost
    /// rejects the whole message.
    WireTypeMismatch,
    /// The whole message fails to decode (the reason is given).
    DecodeError,
}

impl Outcome {
    /// The kebab-case name, as in JSON (`unknown-preserved`).
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Same => "same",
            Outcome::Absent => "absent",
            Outcome::UnknownPreserved => "unknown-preserved",
            Outcome::Converted => "converted",
            Outcome::Dropped => "dropped",
            Outcome::WireTypeMismatch => "wire-type-mismatch",
            Outcome::DecodeError => "decode-error",
        }
    }

    /// Whether data is lost or changed (what makes `roundtrip` exit 1).
    pub fn is_loss(self) -> bool {
        matches!(
            self,
            Outcome::Converted
                | Outcome::Dropped
                | Outcome::WireTypeMismatch
                | Outcome::DecodeError
        )
    }

    /// Severity order for merging results of several samples.
    pub fn rank(self) -> u8 {
        self as u8
    }
}

/// One field's outcome in one direction.
#[derive(Debug, Clone, Serialize)]
pub struct FieldResult {
    /// Field names from the message down, e.g. `shipping.city` (the writer's
    /// names where it has the field).
    pub path: String,
    /// The field numbers along the path.
    pub numbers: Vec<u32>,
    /// The field's own number.
    pub number: u32,
    /// Which side wrote and which read.
    pub direction: Direction,
    /// What the reader made of the field.
    pub outcome: Outcome,
    /// Index of the sample that shows it (see `samples`).
    pub sample: usize,
    /// The field as the writer declares it (`float total`), if it has it.
    pub writer_field: Option<String>,
    /// The writer's type of the field (`float`, `shop.Money`).
    pub writer_type: Option<String>,
    /// The field of that number as the reader declares it, if it has one.
    pub reader_field: Option<String>,
    /// The reader's type of the field.
    pub reader_type: Option<String>,
    /// The value written, as text format shows it.
    pub written: Option<String>,
    /// What the reader's application sees.
    pub read: Option<String>,
    /// The wire type of the written records, and the one the reader expects
    /// (on a mismatch).
    pub wire_type: Option<&'static str>,
    /// The wire type the reader expects, on a mismatch.
    pub expected_wire_type: Option<&'static str>,
    /// `fixed32 0x41480000`: the mismatched record as the reader meets it.
    pub arrives_as: Option<String>,
    /// The written records of this field, in hex.
    pub bytes: Option<String>,
    /// What the writer reads back after the reader re-serialized the message.
    pub returned: Option<String>,
    /// Whether the value the writer reads back equals the value it wrote.
    pub returned_same: Option<bool>,
    /// Whether the field's records came back byte for byte.
    pub bytes_identical: Option<bool>,
    /// For a field a oneof member cleared: that member's number.
    pub cleared_by: Option<u32>,
    /// Why, when the outcome needs a reason.
    pub reason: Option<String>,
    /// The outcome in one sentence.
    pub explanation: String,
    /// What other runtimes do, and how the schema could have avoided it.
    pub notes: Vec<String>,
    /// The JSON leg of the same field, when a JSON reader does not read the
    /// value as written (merged results only).
    pub json: Option<json::JsonField>,
}

impl FieldResult {
    fn new(direction: Direction, at: &At, number: u32) -> FieldResult {
        FieldResult {
            path: at.names.join("."),
            numbers: at.numbers.clone(),
            number,
            direction,
            outcome: Outcome::Same,
            sample: 0,
            writer_field: None,
            writer_type: None,
            reader_field: None,
            reader_type: None,
            written: None,
            read: None,
            wire_type: None,
            expected_wire_type: None,
            arrives_as: None,
            bytes: None,
            returned: None,
            returned_same: None,
            bytes_identical: None,
            cleared_by: None,
            reason: None,
            explanation: String::new(),
            notes: Vec::new(),
            json: None,
        }
    }

    /// Whether the reader has a field of this number (an unknown-preserved
    /// result then means a closed enum did not know the value).
    pub fn reader_knows_field(&self) -> bool {
        self.reader_field.is_some()
    }
}

/// A sample message of one writer.
#[derive(Debug, Clone, Serialize)]
pub struct SampleInfo {
    /// Its index, as `sample` of a [`Run`] or a [`FieldResult`] names it.
    pub index: usize,
    /// `every field`, `required fields only`, or the file's path.
    pub name: String,
    /// `synthesized`, `random` or `file`.
    pub source: &'static str,
}

/// One sample through one direction.
#[derive(Debug, Clone, Serialize)]
pub struct Run {
    /// Which sample ([`SampleInfo::index`]).
    pub sample: usize,
    /// The writer's message in text format.
    pub message: String,
    /// The bytes the writer wrote, in hex.
    pub written: String,
    /// The reader's re-serialization, in hex (none when it rejects the message).
    pub reencoded: Option<String>,
    /// Whether the writer got its message back unchanged.
    pub returned_same: Option<bool>,
    /// Why the reference runtimes reject the whole message.
    pub decode_error: Option<String>,
    /// Why prost (prost-reflect's decoder) rejects it.
    pub prost_error: Option<String>,
    /// Every field's outcome in this run.
    pub fields: Vec<FieldResult>,
    /// The same sample through the proto3 JSON mapping.
    pub json: json::JsonRun,
    /// The message as the writer wrote it, in protobuf text format (one
    /// field a line), for the text output's diff; not in the JSON.
    #[serde(skip)]
    pub as_written: Option<String>,
    /// The message as the reader's application sees it, likewise; none when
    /// the reader rejects it or it cannot be shown.
    #[serde(skip)]
    pub as_read: Option<String>,
}

/// Both runs of every sample in one direction, with the outcomes merged
/// (per field the most serious one over all samples).
#[derive(Debug, Clone, Serialize)]
pub struct DirectionReport {
    /// Which side wrote and which read.
    pub direction: Direction,
    /// The side that wrote.
    pub writer: Side,
    /// The side that read.
    pub reader: Side,
    /// One run per sample.
    pub runs: Vec<Run>,
    /// Per field, the most serious outcome over all runs.
    pub fields: Vec<FieldResult>,
    /// Per field, the most serious JSON outcome over all runs.
    pub json_fields: Vec<json::JsonField>,
}

/// The round trip of one message type.
#[derive(Debug, Clone, Serialize)]
pub struct MessageReport {
    /// The message type's full name.
    pub message: String,
    /// The samples each side wrote.
    pub samples: BTreeMap<Side, Vec<SampleInfo>>,
    /// Old writer → new reader, then new writer → old reader.
    pub directions: Vec<DirectionReport>,
}

/// The round trip of every compared message type: what [`run`] returns,
/// and what [`render`] writes (as text or as JSON) and the check's
/// `--roundtrip` attaches to findings.
#[derive(Debug, Clone, Serialize)]
pub struct RoundTrip {
    /// One report per message type compared, in name order.
    pub messages: Vec<MessageReport>,
    /// Samples that only one side could read, and similar remarks.
    pub notes: Vec<String>,
}

impl RoundTrip {
    /// Whether any field, in either direction, is lost or changed in binary
    /// or JSON.
    pub fn has_loss(&self) -> bool {
        self.messages.iter().any(|m| {
            m.directions.iter().any(|d| {
                d.fields.iter().any(|f| f.outcome.is_loss())
                    || d.json_fields.iter().any(json::JsonField::is_loss)
            })
        })
    }

    /// The report of the message type of that full name, if it was compared.
    pub fn message(&self, name: &str) -> Option<&MessageReport> {
        self.messages.iter().find(|m| m.message == name)
    }

    /// Number of merged field results per outcome (binary).
    pub fn counts(&self) -> BTreeMap<Outcome, usize> {
        let mut c = BTreeMap::new();
        for m in &self.messages {
            for d in &m.directions {
                for f in &d.fields {
                    *c.entry(f.outcome).or_insert(0) += 1;
                }
            }
        }
        c
    }
}

impl RoundTrip {
    /// Number of merged JSON results per outcome.
    pub fn json_counts(&self) -> BTreeMap<Outcome, usize> {
        let mut c = BTreeMap::new();
        for d in self.messages.iter().flat_map(|m| &m.directions) {
            for f in &d.json_fields {
                *c.entry(f.outcome).or_insert(0) += 1;
            }
        }
        c
    }
}

impl MessageReport {
    /// The report of one direction.
    pub fn direction(&self, d: Direction) -> Option<&DirectionReport> {
        self.directions.iter().find(|x| x.direction == d)
    }
}

/// What to round-trip. The default: every message type of both versions,
/// with synthesized samples only.
///
/// Make one with `Default` and set the fields that matter:
///
/// ```
/// let mut options = protocheck::roundtrip::Options::default();
/// options.messages = vec!["shop.Order".to_owned()];
/// ```
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Options {
    /// Full names of the message types; empty: every message type defined in
    /// the input files of both versions.
    pub messages: Vec<String>,
    /// Sample files (JSON, text format or binary) of the writer's message,
    /// used instead of synthesized samples.
    pub samples: Vec<PathBuf>,
    /// Also run this many random messages per direction (seeded, so runs
    /// repeat); for property tests.
    pub random_samples: usize,
    /// The seed of the random samples (the same seed gives the same samples).
    pub seed: u64,
}

/// Why a round trip could not run: the roundtrip stage's error, wrapped by
/// [`crate::Error::RoundTrip`]. More variants may be added.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[non_exhaustive]
pub enum RoundTripError {
    /// A side has no descriptors to encode and decode with (a schema built without them, or a descriptor set missing imports).
    #[error("the {side} schema has no descriptors to encode messages with{}", reason.as_ref().map(|r| format!(": {r}")).unwrap_or_default())]
    #[diagnostic(
        code(protocheck::roundtrip::no_descriptors),
        help("the round trip needs every file's descriptors: compile from .proto files, or pass a descriptor set built with its imports")
    )]
    NoDescriptors {
        /// Which schema (old or new).
        side: Side,
        /// Why there are none, where known.
        reason: Option<String>,
    },

    /// A message type asked for (`Options::messages`) is not in one of the schemas.
    #[error("message \"{name}\" is not in the {side} schema")]
    #[diagnostic(code(protocheck::roundtrip::unknown_message))]
    UnknownMessage {
        /// Which schema (old or new).
        side: Side,
        /// The full name asked for.
        name: String,
        /// The closest names that exist, where there are some.
        #[help]
        help: Option<String>,
    },

    /// A sample file could not be read.
    #[error("cannot read sample \"{}\": {source}", path.display())]
    #[diagnostic(code(protocheck::roundtrip::sample_unreadable))]
    SampleRead {
        /// The sample file as given.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },

    /// A sample's message type is not known: several types are compared and the file does not say.
    #[error("sample \"{}\": which message type is it?", path.display())]
    #[diagnostic(
        code(protocheck::roundtrip::sample_type),
        help("pass exactly one --message FULL.NAME, or start a .txtpb file with `# proto-message: FULL.NAME`")
    )]
    SampleType {
        /// The sample file as given.
        path: PathBuf,
    },

    /// A sample file's extension names no known format (`.json`, `.txtpb`, `.binpb`).
    #[error("sample \"{}\" has an unknown format", path.display())]
    #[diagnostic(
        code(protocheck::roundtrip::sample_format),
        help("name it .json (proto3 JSON), .txtpb (text format) or .binpb (binary)")
    )]
    SampleFormat {
        /// The sample file as given.
        path: PathBuf,
    },

    /// A sample is not a valid message of its writer's type.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Sample(Box<SampleError>),

    /// The inputs could not be read or compiled.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Input(Box<InputError>),
}

/// A sample that is not a valid message of its writer's type.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("bad sample: {path}{location}: {message}")]
#[diagnostic(code(protocheck::roundtrip::bad_sample))]
pub struct SampleError {
    /// The file as given.
    pub path: String,
    /// `:line:col`, ` at byte N`, or empty.
    pub location: String,
    /// What is wrong (the parser's or decoder's message).
    pub message: String,
    /// The 1-based line of the error in a text sample, where known.
    pub line: Option<usize>,
    /// The 1-based column of the error in a text sample, where known.
    pub column: Option<usize>,
    /// The sample's text, for the diagnostic's snippet.
    #[source_code]
    pub source_code: Option<NamedSource<String>>,
    /// The place of the error in `source_code`.
    #[label("here")]
    pub span: Option<SourceSpan>,
    /// How to fix it, where protocheck knows.
    #[help]
    pub help: Option<String>,
}

impl From<InputError> for RoundTripError {
    fn from(e: InputError) -> Self {
        RoundTripError::Input(Box::new(e))
    }
}

impl RoundTripError {
    /// Which side (old or new) the error is about, where it is about one.
    pub fn side(&self) -> Option<Side> {
        match self {
            RoundTripError::NoDescriptors { side, .. }
            | RoundTripError::UnknownMessage { side, .. } => Some(*side),
            RoundTripError::Input(e) => e.side(),
            _ => None,
        }
    }
}

/// Compiles both inputs (in parallel), pairing two single files whatever
/// their names, as the check does.
pub fn compile_pair(
    old: &Input,
    new: &Input,
    includes: &[PathBuf],
) -> Result<(Schema, Schema), RoundTripError> {
    Ok(crate::input::pair::compile_pair(old, new, includes)?)
}

/// Round-trips samples of every message type in both schemas (or the chosen
/// ones) in both directions.
pub fn run(old: &Schema, new: &Schema, options: &Options) -> Result<RoundTrip, RoundTripError> {
    let pool = |s: &Schema| -> Result<DescriptorPool, RoundTripError> {
        s.pool.clone().ok_or_else(|| RoundTripError::NoDescriptors {
            side: s.side,
            reason: s.pool_problem.clone(),
        })
    };
    let (old_pool, new_pool) = (pool(old)?, pool(new)?);
    let sems = [
        Arc::new(crate::schema::lower::semantics(old)),
        Arc::new(crate::schema::lower::semantics(new)),
    ];
    let user = sample::load_all(&options.samples, &options.messages)?;
    let mut chosen = options.clone();
    if chosen.messages.is_empty() {
        // Samples name their message types; round-trip those.
        for s in &user {
            if !chosen.messages.contains(&s.message) {
                chosen.messages.push(s.message.clone());
            }
        }
    }
    let names = message_names(old, new, &old_pool, &new_pool, &chosen)?;
    let mut notes = Vec::new();
    if names.is_empty() {
        notes.push(
            "no message type is defined in both the old and the new schema: nothing to round-trip"
                .to_owned(),
        );
    }
    let mut messages = Vec::new();
    for name in names {
        let (Some(od), Some(nd)) = (
            old_pool.get_message_by_name(&name),
            new_pool.get_message_by_name(&name),
        ) else {
            continue;
        };
        let mine: Vec<&sample::UserSample> = user.iter().filter(|s| s.message == name).collect();
        messages.push(message(
            &name,
            [&od, &nd],
            &sems,
            &mine,
            options,
            &mut notes,
        )?);
    }
    Ok(RoundTrip { messages, notes })
}

/// [`run`] on two inputs, compiled here.
pub fn run_inputs(
    old: &Input,
    new: &Input,
    includes: &[PathBuf],
    options: &Options,
) -> Result<RoundTrip, RoundTripError> {
    let (o, n) = compile_pair(old, new, includes)?;
    run(&o, &n, options)
}

fn message_names(
    old: &Schema,
    new: &Schema,
    old_pool: &DescriptorPool,
    new_pool: &DescriptorPool,
    options: &Options,
) -> Result<Vec<String>, RoundTripError> {
    if !options.messages.is_empty() {
        for name in &options.messages {
            for (side, pool) in [(Side::Old, old_pool), (Side::New, new_pool)] {
                if pool.get_message_by_name(name).is_none() {
                    let best = pool
                        .all_messages()
                        .map(|m| m.full_name().to_owned())
                        .max_by(|a, b| {
                            strsim::jaro_winkler(name, a).total_cmp(&strsim::jaro_winkler(name, b))
                        })
                        .filter(|b| strsim::jaro_winkler(name, b) > 0.7);
                    return Err(RoundTripError::UnknownMessage {
                        side,
                        name: name.clone(),
                        help: best.map(|b| format!("did you mean \"{b}\"?")),
                    });
                }
            }
        }
        return Ok(options.messages.clone());
    }
    let in_new: std::collections::HashSet<&str> = new
        .target_messages()
        .filter(|(_, m)| !m.is_map_entry)
        .map(|(_, m)| m.full_name.as_str())
        .collect();
    // By file name, then as declared: the same order whatever order the
    // files came in (a descriptor set need not be sorted).
    let mut names: Vec<(&str, String)> = old
        .target_messages()
        .filter(|(_, m)| !m.is_map_entry && in_new.contains(m.full_name.as_str()))
        .map(|(_, m)| (old.files[m.file].name.as_str(), m.full_name.clone()))
        .collect();
    names.sort_by(|a, b| a.0.cmp(b.0));
    Ok(names.into_iter().map(|(_, n)| n).collect())
}

/// The samples one writer produces: (info, bytes, the message as text).
struct WriterSample {
    info: SampleInfo,
    bytes: Vec<u8>,
}

fn message(
    name: &str,
    [old, new]: [&MessageDescriptor; 2],
    [old_sem, new_sem]: &[Arc<Semantics>; 2],
    user: &[&sample::UserSample],
    options: &Options,
    notes: &mut Vec<String>,
) -> Result<MessageReport, RoundTripError> {
    let types = [
        (Side::Old, MsgType::new(old, old_sem)),
        (Side::New, MsgType::new(new, new_sem)),
    ];
    let ty = |side: Side| &types[if side == Side::Old { 0 } else { 1 }].1;
    let mut samples = BTreeMap::new();
    let mut directions = Vec::new();
    // Samples per writer side.
    let mut per_side: BTreeMap<Side, Vec<WriterSample>> = BTreeMap::new();
    if !user.is_empty() {
        let mut failures = Vec::new();
        for s in user {
            let mut ok = 0;
            let mut errs = Vec::new();
            for side in [Side::Old, Side::New] {
                match sample::encode(s, &ty(side).desc) {
                    Ok(bytes) => {
                        ok += 1;
                        let list = per_side.entry(side).or_default();
                        list.push(WriterSample {
                            info: SampleInfo {
                                index: list.len(),
                                name: s.path.display().to_string(),
                                source: "file",
                            },
                            bytes,
                        });
                    }
                    Err(e) => errs.push((side, e)),
                }
            }
            match (ok, errs.len()) {
                (0, _) => failures.push(errs),
                (_, 0) => {}
                _ => {
                    for (side, e) in errs {
                        notes.push(format!(
                            "sample \"{}\" is not a valid {side} {name} ({}): it is only used as the other version's data",
                            s.path.display(),
                            e.message
                        ));
                    }
                }
            }
        }
        if let Some(errs) = failures.into_iter().next() {
            // Neither version reads it: report the error that got furthest.
            let best = errs
                .into_iter()
                .max_by_key(|(_, e)| (e.line, e.column, e.location.clone()))
                .map(|(_, e)| e);
            if let Some(mut e) = best {
                e.help
                    .get_or_insert_with(|| format!("neither the old nor the new {name} reads it"));
                return Err(RoundTripError::Sample(e));
            }
        }
    } else {
        for side in [Side::Old, Side::New] {
            let other = ty(if side == Side::Old {
                Side::New
            } else {
                Side::Old
            });
            let list = per_side.entry(side).or_default();
            for s in synth::samples(ty(side), Some(other)) {
                list.push(WriterSample {
                    info: SampleInfo {
                        index: list.len(),
                        name: s.name,
                        source: "synthesized",
                    },
                    bytes: wire::write(ty(side), &s.msg),
                });
            }
        }
    }
    if options.random_samples > 0 {
        for side in [Side::Old, Side::New] {
            let mut rng =
                synth::Rng::new(options.seed ^ if side == Side::Old { 0 } else { 0x5151 });
            let list = per_side.entry(side).or_default();
            for i in 0..options.random_samples {
                let msg = synth::random(ty(side), &mut rng);
                list.push(WriterSample {
                    info: SampleInfo {
                        index: list.len(),
                        name: format!("random #{}", i + 1),
                        source: "random",
                    },
                    bytes: wire::write(ty(side), &msg),
                });
            }
        }
    }
    for d in Direction::BOTH {
        let (w, r) = (ty(d.writer()), ty(d.reader()));
        let list = per_side.remove(&d.writer()).unwrap_or_default();
        let mut runs = Vec::new();
        for s in &list {
            runs.push(run_one(d, w, r, s)?);
        }
        samples.insert(d.writer(), list.into_iter().map(|s| s.info).collect());
        let mut fields = merge(runs.iter().flat_map(|r| r.fields.iter().cloned()));
        let json_fields = json::merge(runs.iter().flat_map(|r| r.json.fields.iter().cloned()));
        // The evidence under a finding carries the JSON leg of its field.
        for f in fields.iter_mut().filter(|f| f.numbers.len() == 1) {
            f.json = json_fields
                .iter()
                .find(|j| j.number == Some(f.number) && j.outcome != Outcome::Same)
                .cloned();
        }
        directions.push(DirectionReport {
            direction: d,
            writer: d.writer(),
            reader: d.reader(),
            runs,
            fields,
            json_fields,
        });
    }
    Ok(MessageReport {
        message: name.to_owned(),
        samples,
        directions,
    })
}

/// Per field path, the most serious result (the earliest sample on a tie).
fn merge(all: impl Iterator<Item = FieldResult>) -> Vec<FieldResult> {
    let mut by: BTreeMap<Vec<u32>, FieldResult> = BTreeMap::new();
    for r in all {
        match by.get(&r.numbers) {
            Some(prev) if prev.outcome.rank() >= r.outcome.rank() => {}
            _ => {
                by.insert(r.numbers.clone(), r);
            }
        }
    }
    by.into_values().collect()
}

fn run_one(
    d: Direction,
    w: &MsgType,
    r: &MsgType,
    s: &WriterSample,
) -> Result<Run, RoundTripError> {
    let bad_sample = |e: wire::WireError| {
        RoundTripError::Sample(Box::new(SampleError {
            path: s.info.name.clone(),
            location: format!(" at byte {}", e.offset),
            message: e.reason.clone(),
            line: None,
            column: None,
            source_code: None,
            span: None,
            help: None,
        }))
    };
    let wm = wire::read(w, &s.bytes).map_err(bad_sample)?;
    let rm = wire::read(r, &s.bytes).map_err(bad_sample)?;
    let decode_error = rm.fatal();
    let prost_error = DynamicMessage::decode(r.desc.clone(), s.bytes.as_slice())
        .err()
        .map(|e| e.to_string());
    let mut fields = Vec::new();
    compare::compare(d, w, &wm, r, &rm, &At::root(), &mut fields);
    let mut reencoded = None;
    let mut returned_same = None;
    if decode_error.is_none() {
        let again = wire::write(r, &rm);
        let back = wire::read(w, &again).map_err(bad_sample)?;
        let mut back_results = Vec::new();
        compare::compare(d, w, &wm, w, &back, &At::root(), &mut back_results);
        returned_same = Some(back_results.iter().all(|b| !b.outcome.is_loss()));
        for f in &mut fields {
            if f.written.is_none() || f.writer_field.is_none() {
                continue;
            }
            let mine: Vec<&FieldResult> = back_results
                .iter()
                .filter(|b| b.numbers.starts_with(&f.numbers))
                .collect();
            f.returned_same = Some(mine.iter().all(|b| !b.outcome.is_loss()));
            f.returned = Some(match compare::lookup(w, &back, &f.numbers) {
                Some((fi, slot)) => compare::show_slot(&fi, slot),
                None => "not set".to_owned(),
            });
            let field_raw = |m: &wire::Msg| -> Option<Vec<u8>> {
                compare::holder(w, m, &f.numbers).and_then(|h| h.raw.get(&f.number).cloned())
            };
            if matches!(
                f.outcome,
                Outcome::UnknownPreserved | Outcome::WireTypeMismatch
            ) {
                f.bytes_identical = field_raw(&wm).map(|a| Some(a) == field_raw(&back));
            }
        }
        reencoded = Some(hex(&again));
    }
    for f in &mut fields {
        f.sample = s.info.index;
        explain(f, r, prost_error.as_deref());
    }
    let json = json::run(d, &w.desc, &r.desc, &r.sem, &s.bytes, s.info.index);
    let as_written = render::text_view(w, &wm);
    let as_read = decode_error
        .is_none()
        .then(|| render::text_view(r, &rm))
        .flatten();
    Ok(Run {
        sample: s.info.index,
        message: compare::show_msg_full(w, &wm),
        written: hex(&s.bytes),
        reencoded,
        returned_same,
        decode_error,
        prost_error,
        fields,
        json,
        as_written,
        as_read,
    })
}

/// At most 24 bytes of hex, then how many there are.
fn clip_hex(h: &str) -> String {
    clip_hex_to(h, 24)
}

/// At most `max` bytes of hex, then how many there are.
pub(crate) fn clip_hex_to(h: &str, max: usize) -> String {
    let bytes: Vec<&str> = h.split(' ').collect();
    if bytes.len() <= max {
        h.to_owned()
    } else {
        format!("{} … ({} bytes)", bytes[..max - 4].join(" "), bytes.len())
    }
}

/// `a varint`, `a fixed32 value`
fn a_wire(w: &str) -> String {
    match w {
        "varint" => "a varint".to_owned(),
        "fixed32" | "fixed64" => format!("a {w} value"),
        "length-delimited" => "a length-delimited value".to_owned(),
        other => format!("a {other}"),
    }
}

fn sees(name: &str, read: &str) -> String {
    if read.starts_with("empty") || read.starts_with("not set") {
        format!("{name} {read}")
    } else {
        format!("{name} = {read}")
    }
}

/// Fills in the sentence and the notes of a result.
fn explain(f: &mut FieldResult, reader: &MsgType, prost_error: Option<&str>) {
    let (ws, rs) = (f.direction.writer(), f.direction.reader());
    let n = f.number;
    let wtype = f.writer_type.clone().unwrap_or_default();
    let rtype = f.reader_type.clone().unwrap_or_default();
    let rname = f.reader_field.clone().unwrap_or_default();
    let written = f.written.clone().unwrap_or_default();
    let read = f.read.clone().unwrap_or_default();
    let passed_on = match (f.bytes_identical, f.returned_same) {
        (Some(true), _) => "re-serializes it byte for byte".to_owned(),
        (Some(false), Some(true)) => "re-serializes it (same value, other bytes)".to_owned(),
        (Some(false), _) => format!(
            "re-serializes it changed: the {ws} writer gets back {}",
            f.returned.as_deref().unwrap_or("nothing")
        ),
        (None, _) => "cannot re-serialize it, because it rejects the whole message".to_owned(),
    };
    let back = match (f.returned_same, &f.returned) {
        (Some(true), _) => format!("; re-serialized, it comes back to the {ws} writer unchanged"),
        (Some(false), Some(v)) => format!("; re-serialized, the {ws} writer gets back {v}"),
        _ => String::new(),
    };
    f.explanation = match f.outcome {
        Outcome::Same => format!("the {rs} reader reads {read}"),
        Outcome::Absent => format!(
            "{ws} data has no field {n}, so the {rs} reader sees {}",
            sees(&rname, &read)
        ),
        Outcome::UnknownPreserved if !f.reader_knows_field() => {
            let mut s = format!(
                "the {rs} reader has no field {n}, so it keeps {written} as unknown field {n} ({}",
                f.wire_type.unwrap_or("?")
            );
            if let Some(b) = &f.bytes {
                s.push_str(&format!(": {}", clip_hex(b)));
            }
            s.push_str(&format!(") and {passed_on}"));
            s
        }
        Outcome::UnknownPreserved => format!(
            "{}; the application sees {}, and the reader {passed_on}",
            f.reason.clone().unwrap_or_default(),
            sees(&rname, &read)
        ),
        Outcome::Converted if written.starts_with("not set") => format!(
            "{ws} data does not set it{}: the {rs} reader sees {}",
            written.strip_prefix("not set").unwrap_or_default(),
            sees(&rname, &read)
        ),
        Outcome::Converted => {
            let mut s = format!("{ws} {wtype} {written} is read by the {rs} reader as {rtype} {read}");
            if let Some(r) = &f.reason {
                s.push_str(&format!(" ({r})"));
            }
            s.push_str(&back);
            s
        }
        Outcome::Dropped => format!(
            "{ws} {wtype} {written}: {}{back}",
            f.reason.clone().unwrap_or_default()
        ),
        Outcome::WireTypeMismatch => format!(
            "the {ws} {wtype} {written} arrives as {}{} where {} is expected (the {rs} field is {rtype} {rname})",
            f.arrives_as.clone().unwrap_or_default(),
            f.bytes
                .as_deref()
                .map(|b| format!(" ({})", clip_hex(b)))
                .unwrap_or_default(),
            a_wire(f.expected_wire_type.unwrap_or("?")),
        ),
        Outcome::DecodeError => f
            .reason
            .clone()
            .unwrap_or_else(|| "the reader rejects the whole message".to_owned()),
    };
    let mut notes = Vec::new();
    match f.outcome {
        Outcome::WireTypeMismatch => {
            let kept = match f.bytes_identical {
                Some(true) => "re-serializing passes it on byte for byte",
                _ => "re-serializing passes it on",
            };
            let in_entry = f
                .arrives_as
                .as_deref()
                .is_some_and(|a| a.starts_with("a map entry"));
            notes.push(if in_entry {
                // Checked against upb (tests/roundtrip_oracle.rs) only.
                format!(
                    "Google's runtime behind Python, PHP and Ruby (upb) keeps the whole entry as unknown field {n}: the application sees {}, and {kept}",
                    sees(&rname, &read)
                )
            } else {
                format!(
                    "protobuf's reference runtimes (C++, Java, Go, Python) keep it as unknown field {n}: the application sees {}, and {kept}",
                    sees(&rname, &read)
                )
            });
            notes.push(match prost_error {
                Some(e) => format!("prost rejects the whole message: {e}"),
                None => "prost reads the message".to_owned(),
            });
        }
        Outcome::DecodeError => {
            if let Some(e) = prost_error {
                notes.push(format!("prost rejects it too: {e}"));
            }
        }
        Outcome::UnknownPreserved if !f.reader_knows_field() => {
            notes.push(
                "prost-generated structs skip unknown fields: a prost service that passes this message on drops it"
                    .to_owned(),
            );
            let reserved = reader.desc.reserved_ranges().any(|r| r.contains(&n));
            if rs == Side::New && !reserved && f.numbers.len() == 1 {
                notes.push(format!(
                    "number {n} is not reserved in the new schema: a field added later as {n} would misread this data; `reserved {n};` prevents that"
                ));
            }
        }
        _ => {}
    }
    // A number reused for another field.
    if f.outcome.is_loss() {
        if let (Some(w), Some(r)) = (&f.writer_field, &f.reader_field) {
            if w != r {
                let (old_decl, new_decl) = if ws == Side::Old {
                    (format!("{wtype} {w}"), format!("{rtype} {r}"))
                } else {
                    (format!("{rtype} {r}"), format!("{wtype} {w}"))
                };
                let new_name = if ws == Side::Old { r } else { w };
                notes.push(format!(
                    "number {n} was reused (old: `{old_decl}`, new: `{new_decl}`): `reserved {n};` in the new schema, with {new_name} under a new number, would have prevented it; each version would keep the other's field as an unknown field"
                ));
            }
        }
    }
    f.notes.extend(notes);
}
