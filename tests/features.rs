//! With `default-features = false` the library pulls in neither the CLI
//! (clap) nor miette's terminal renderer, so build scripts stay light.

use std::process::Command;

/// The crates `cargo tree` lists for the library's normal dependencies.
fn tree(extra: &[&str]) -> String {
    let out = Command::new(env!("CARGO"))
        .args(["tree", "--offline", "-e", "normal", "--prefix", "none"])
        .args([
            "--manifest-path",
            concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"),
        ])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "cargo tree: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn has(tree: &str, krate: &str) -> bool {
    tree.lines()
        .any(|l| l.split_whitespace().next() == Some(krate))
}

/// clap, and the crates miette's graphical renderer (`fancy`) brings.
const CLI_STACK: [&str; 4] = ["clap", "owo-colors", "supports-color", "textwrap"];

#[test]
fn no_default_features_means_no_cli_and_no_terminal_renderer() {
    let lean = tree(&["--no-default-features"]);
    for krate in CLI_STACK {
        assert!(
            !has(&lean, krate),
            "{krate} without default features:\n{lean}"
        );
    }
    assert!(has(&lean, "protox") && has(&lean, "miette"));
    // Nor the bundled protoc (build dependencies, one crate per platform).
    let lean_build = tree(&["--no-default-features", "-e", "build"]);
    assert!(
        !lean_build.contains("protoc-bin-vendored"),
        "protoc-bin-vendored without default features:\n{lean_build}"
    );
    assert!(tree(&["-e", "build"]).contains("protoc-bin-vendored-linux-x86_64"));
    // The default build has them, so the check above can fail.
    let full = tree(&[]);
    for krate in CLI_STACK {
        assert!(has(&full, krate), "{krate} with default features");
    }
}
