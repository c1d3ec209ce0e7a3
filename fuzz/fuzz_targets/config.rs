//! Configuration text → configuration → rule selection: never a panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use protocheck::Config;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for (name, parse) in [
        ("protocheck.toml", Config::from_toml as fn(&Path, &str) -> _),
        ("buf.yaml", Config::from_buf_yaml),
    ] {
        if let Ok(config) = parse(Path::new(name), text) {
            let _ = config.select(None);
            let _ = config.select(Some(protocheck::Level::Wire));
        }
    }
});
