//! Fails the build when `proto/` breaks the released schema in
//! `proto.lock.binpb`. After a release, refresh the snapshot with
//! `protocheck snapshot proto -o proto.lock.binpb`.

use protocheck::{Check, ConfigChoice, Level};

fn main() {
    println!("cargo:rerun-if-changed=proto");
    println!("cargo:rerun-if-changed=proto.lock.binpb");

    let outcome = Check::new("proto")
        .against("proto.lock.binpb")
        .level(Level::WireJson)
        .config(ConfigChoice::Ignore)
        .run()
        .unwrap_or_else(|e| fail(&e));
    let report = &outcome.reports[0];
    // Lossy changes (warnings) and explanations show up as cargo warnings.
    for f in report.findings.iter().filter(|f| !f.is_error()) {
        println!("cargo:warning={}: {} {}", f.position(), f.rule, f.message);
    }
    if outcome.is_breaking() {
        for f in report.findings.iter().filter(|f| f.is_error()) {
            eprintln!("{}: {} {}", f.position(), f.rule, f.message);
            if let Some(help) = &f.help {
                eprintln!("  fix: {help}");
            }
        }
        eprintln!("{}", protocheck::report::summary_line(report));
        std::process::exit(1);
    }
}

fn fail(e: &protocheck::Error) -> ! {
    eprintln!("protocheck: {e}");
    std::process::exit(1);
}
