//! Sample bytes → round trip between a fixed old and new schema: a round
//! trip or a typed error, never a panic.
//!
//! The first byte picks the sample's format (binary for 0 and 1, proto3 JSON
//! for 2, text format for 3, in its low two bits) and the message type (bit
//! 2: `fz.P3`, else `fz.P2`); the rest is the sample. The schemas
//! (`tests/data/roundtrip/{old,new}`, shared with `tests/smoke.rs`) hold every scalar type, packed and unpacked
//! repeated fields, nested and recursive messages, maps, oneofs, open and
//! closed enums, proto2 groups, required fields, defaults and extensions, and
//! the new version breaks them in every way the wire reader distinguishes
//! (numbers reused with another wire type, encoding changes, widening and
//! narrowing, a group turned into a message, string ↔ bytes, closed enum
//! values removed, required fields added), so decode failures are reached.
//!
//! Bit 3 of the first byte picks instead an editions pair (message `m.M` of
//! `tests/data/editions_mixed.proto`, with a value added to its closed enum),
//! compiled with protoc when one is found (`PROTOC`, else `PATH`): the
//! descriptors lowered for prost-reflect and the per-element semantics get
//! the same treatment.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use protocheck::roundtrip::{self, Options};
use protocheck::{compile_pair, Input, Schema};

struct Fixture {
    old: Schema,
    new: Schema,
    /// The editions pair, when a protoc was found.
    editions: Option<(Schema, Schema)>,
    dir: tempfile::TempDir,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let schemas = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/data/roundtrip");
        let (old, new) = compile_pair(
            &Input::Dir(schemas.join("old")),
            &Input::Dir(schemas.join("new")),
            &[],
        )
        .expect("the fuzz schemas compile");
        let dir = tempfile::tempdir().expect("a temporary directory");
        let text = std::fs::read_to_string(schemas.join("../editions_mixed.proto"))
            .expect("tests/data/editions_mixed.proto");
        let write = |side: &str, text: &str| {
            let path = dir.path().join(side).join("m.proto");
            std::fs::create_dir_all(dir.path().join(side)).expect("a directory");
            std::fs::write(&path, text).expect("a schema file");
            Input::File(path)
        };
        let (eo, en) = (
            write("old", &text),
            write(
                "new",
                &text.replace("ONE = 1; TWO = 2;", "ONE = 1; TWO = 2; THREE = 3;"),
            ),
        );
        let editions = protocheck::input::protoc::locate(None)
            .map(|_| compile_pair(&eo, &en, &[]).expect("the editions schemas compile"));
        Fixture {
            old,
            new,
            editions,
            dir,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&tag, sample)) = data.split_first() else {
        return;
    };
    let f = fixture();
    let ext = match tag & 3 {
        0 | 1 => "binpb",
        2 => "json",
        _ => "txtpb",
    };
    let (old, new, message) = match &f.editions {
        Some((o, n)) if tag & 8 != 0 => (o, n, "m.M"),
        _ => (
            &f.old,
            &f.new,
            if tag & 4 != 0 { "fz.P3" } else { "fz.P2" },
        ),
    };
    let path = f.dir.path().join(format!("sample.{ext}"));
    if std::fs::write(&path, sample).is_err() {
        return;
    }
    let mut options = Options::default();
    options.messages = vec![message.to_owned()];
    options.samples = vec![path];
    match roundtrip::run(old, new, &options) {
        Ok(rt) => {
            // Rendering walks every result: it must not panic either.
            let mut out = Vec::new();
            let _ = roundtrip::render::write_text(&rt, &mut out, 100);
            let _ = roundtrip::render::write_json(&rt, &mut out);
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
});
