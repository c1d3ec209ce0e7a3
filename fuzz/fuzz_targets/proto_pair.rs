//! A pair of .proto sources (split at the first 0x00 byte) → check at every
//! level: a verdict or a typed error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use protocheck::{check_paths, Level, Options};

fuzz_target!(|data: &[u8]| {
    let (old, new) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, data),
    };
    let Ok(dir) = tempfile::tempdir() else { return };
    let write = |side: &str, bytes: &[u8]| {
        let d = dir.path().join(side);
        std::fs::create_dir_all(&d).ok();
        std::fs::write(d.join("a.proto"), bytes).ok();
        d
    };
    let (o, n) = (write("old", old), write("new", new));
    for level in Level::ALL {
        let options = Options {
            level: Some(level),
            ..Options::default()
        };
        let _ = check_paths(&o, &n, &options);
    }
});
