//! Fails the build when `proto/` breaks the released schema in
//! `proto.lock.binpb`. After a release, refresh the snapshot with
//! `protocheck snapshot proto -o proto.lock.binpb`.

use protocheck::{check_schemas, input, snapshot, Input, Level, Options, Side};

fn main() {
    println!("cargo:rerun-if-changed=proto");
    println!("cargo:rerun-if-changed=proto.lock.binpb");

    let released = snapshot::load(Side::Old, "proto.lock.binpb").unwrap_or_else(|e| fail(&e));
    let current = Input::from_path(Side::New, "proto")
        .and_then(|i| input::compile(Side::New, &i, &[]))
        .unwrap_or_else(|e| fail(&e));
    let options = Options {
        level: Some(Level::WireJson),
        ..Options::default()
    };
    let report = check_schemas(&released, &current, &options).unwrap_or_else(|e| fail(&e));
    // Lossy changes (warnings) and explanations show up as cargo warnings.
    for f in report.findings.iter().filter(|f| !f.is_error()) {
        println!("cargo:warning={}: {} {}", f.position(), f.rule, f.message);
    }
    if report.is_breaking() {
        for f in report.findings.iter().filter(|f| f.is_error()) {
            eprintln!("{}: {} {}", f.position(), f.rule, f.message);
            if let Some(help) = &f.help {
                eprintln!("  fix: {help}");
            }
        }
        eprintln!("{}", protocheck::report::summary_line(&report));
        std::process::exit(1);
    }
}

fn fail(e: &protocheck::Error) -> ! {
    eprintln!("protocheck: {e}");
    std::process::exit(1);
}
