//! The public API as a library user meets it: only items the crate
//! documents (no hidden modules).

use protocheck::{Check, ConfigChoice, Error, InputError, Level, MemoryFiles, Side, Source};

const OLD: &str = "syntax = \"proto3\";\npackage shop;\nmessage Order {\n  float total = 3;\n}\n";
const NEW: &str = "syntax = \"proto3\";\npackage shop;\nmessage Order {\n  int64 total = 3;\n}\n";

#[test]
fn memory_schemas_are_checked_with_places() {
    let old = MemoryFiles::new().with("shop/order.proto", OLD);
    let new = MemoryFiles::new().with("shop/order.proto", NEW);
    let outcome = Check::new(new).against(old).run().unwrap();
    assert!(outcome.is_breaking());
    let f = &outcome.reports[0].findings[0];
    assert_eq!(f.rule, "FIELD_SAME_TYPE");
    assert_eq!(f.position(), "shop/order.proto:4:3");
    // Nothing of the working directory's configuration applies to text.
    assert_eq!(outcome.reports[0].rule_set, "level file");
}

#[test]
fn memory_imports_resolve_among_the_files() {
    let common = "syntax = \"proto3\";\npackage shop;\nmessage Money { int64 units = 1; }\n";
    let order = "syntax = \"proto3\";\npackage shop;\nimport \"shop/money.proto\";\nmessage Order { Money total = 1; }\n";
    let files = MemoryFiles::new()
        .with("shop/money.proto", common)
        .with("shop/order.proto", order);
    let outcome = Check::new(files.clone()).against(files).run().unwrap();
    assert!(outcome.reports[0].findings.is_empty());
    assert_eq!(outcome.reports[0].new_files, 2);
}

#[test]
fn a_broken_memory_schema_is_an_error_naming_the_file() {
    let old = MemoryFiles::new().with("a.proto", OLD);
    let new = MemoryFiles::new().with(
        "a.proto",
        "syntax = \"proto3\";\nmessage Order { Missing m = 1; }\n",
    );
    let e = Check::new(new).against(old).run().unwrap_err();
    assert_eq!(e.side(), Some(Side::New));
    let text = e.to_string();
    assert!(text.contains("a.proto:2:"), "{text}");
}

#[test]
fn memory_names_must_be_import_paths() {
    for bad in [
        "/etc/passwd.proto",
        "../up.proto",
        "a//b.proto",
        "no_suffix",
        "./a.proto",
    ] {
        let files = MemoryFiles::new().with(bad, OLD);
        let e = Check::new(files.clone()).against(files).run().unwrap_err();
        match e {
            Error::Input(i) => assert!(
                matches!(*i, InputError::MemoryName { ref name, .. } if name == bad),
                "{bad}: {i}"
            ),
            other => panic!("{bad}: {other}"),
        }
    }
}

#[test]
fn several_old_versions_give_one_report_each() {
    let outcome = Check::new("fixtures/order/new_add")
        .against("fixtures/order/old")
        .against("fixtures/order/new_reuse")
        .level(Level::Wire)
        .config(ConfigChoice::Ignore)
        .run()
        .unwrap();
    assert_eq!(outcome.reports.len(), 2);
    assert!(!outcome.reports[0].is_breaking());
    assert!(outcome.reports[1].is_breaking());
    let pairs = outcome.pairs();
    assert_eq!(pairs[1].against, Some("fixtures/order/new_reuse"));
    let mut json = Vec::new();
    protocheck::report::write_json_pairs(&pairs, &mut json).unwrap();
    assert!(String::from_utf8(json)
        .unwrap()
        .contains("FIELD_WIRE_COMPATIBLE_TYPE"));
}

#[test]
fn a_snapshot_is_an_old_side() {
    let snap = protocheck::snapshot("fixtures/order/old", &[]).unwrap();
    assert_eq!(snap.inputs, 1);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.binpb");
    std::fs::write(&path, &snap.bytes).unwrap();
    let outcome = Check::new("fixtures/order/new_reuse")
        .against(Source::from(path.as_path()))
        .level(Level::Wire)
        .run()
        .unwrap();
    assert!(outcome.is_breaking());
}

#[test]
fn no_old_version_is_an_error_not_a_pass() {
    let e = Check::new("fixtures/order/old").run().unwrap_err();
    assert!(e.to_string().contains("nothing to check against"), "{e}");
}

#[test]
fn memory_schemas_with_editions_go_to_protoc_and_keep_their_names() {
    let old = "edition = \"2023\";\npackage shop;\nmessage Order {\n  int32 n = 1;\n}\n";
    let new = "edition = \"2023\";\npackage shop;\nmessage Order {\n  int32 n = 1 [features.field_presence = IMPLICIT];\n}\n";
    let outcome = Check::new(MemoryFiles::new().with("shop/e.proto", new))
        .against(MemoryFiles::new().with("shop/e.proto", old))
        .run()
        .unwrap();
    let f = &outcome.reports[0].findings[0];
    assert_eq!(f.rule, "FIELD_SAME_CARDINALITY");
    assert!(
        f.position().starts_with("shop/e.proto:4:"),
        "{}",
        f.position()
    );
}
