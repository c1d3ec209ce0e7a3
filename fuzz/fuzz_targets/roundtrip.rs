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
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use protocheck::roundtrip::{self, Options};
use protocheck::{compile_pair, Input, Schema};

struct Fixture {
    old: Schema,
    new: Schema,
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
        Fixture { old, new, dir }
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
    let message = if tag & 4 != 0 { "fz.P3" } else { "fz.P2" };
    let path = f.dir.path().join(format!("sample.{ext}"));
    if std::fs::write(&path, sample).is_err() {
        return;
    }
    let options = Options {
        messages: vec![message.to_owned()],
        samples: vec![path],
        ..Options::default()
    };
    match roundtrip::run(&f.old, &f.new, &options) {
        Ok(rt) => {
            // Rendering walks every result: it must not panic either.
            let mut out = Vec::new();
            let _ = roundtrip::render::write_text(&rt, &mut out, 100);
            let _ = roundtrip::render::write_json(&rt, &mut out);
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
});
