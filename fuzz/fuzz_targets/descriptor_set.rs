//! Descriptor-set bytes → validated load → check against a fixed schema,
//! both ways, and a round trip of the set against itself (which builds a
//! descriptor pool from it, editions files lowered): a verdict or a typed
//! error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use protocheck::{check_paths, Input, Options};

const SCHEMA: &str = "syntax = \"proto2\";\npackage shop;\nmessage Order {\n  optional string id = 1;\n  repeated int64 items = 2;\n  extensions 100 to 200;\n}\nenum Color { RED = 0; BLUE = 1; }\n";

fuzz_target!(|data: &[u8]| {
    let Ok(dir) = tempfile::tempdir() else { return };
    let set = dir.path().join("set.binpb");
    let src = dir.path().join("src");
    if std::fs::write(&set, data).is_err()
        || std::fs::create_dir_all(src.join("shop")).is_err()
        || std::fs::write(src.join("shop/order.proto"), SCHEMA).is_err()
    {
        return;
    }
    let options = Options::default();
    let _ = check_paths(&set, &src, &options);
    let _ = check_paths(&src, &set, &options);
    if check_paths(&set, &set, &options).is_ok() {
        let input = Input::DescriptorSet(set.clone());
        let rt = {
            let mut o = protocheck::roundtrip::Options::default();
            o.random_samples = 2;
            o
        };
        let _ = protocheck::roundtrip::run_inputs(&input, &input, &[], &rt);
    }
});
