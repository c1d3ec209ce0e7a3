//! What the wheel and the release ship besides the binary: the manual page
//! and shell completions under `packaging/wheel.data/data/share/`, which
//! must be what the command generates (`UPDATE_EXPECT=1 cargo test --test
//! packaging` rewrites them), and package metadata that agrees with
//! Cargo.toml.

use assert_cmd::Command;

const SHARE: &str = "packaging/wheel.data/data/share";

fn generated(args: &[&str]) -> String {
    let out = Command::cargo_bin("protocheck")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_shipped_man_page_and_completions_are_current() {
    for (path, args) in [
        ("man/man1/protocheck.1", &["man"][..]),
        (
            "bash-completion/completions/protocheck",
            &["completions", "bash"],
        ),
        ("zsh/site-functions/_protocheck", &["completions", "zsh"]),
        (
            "fish/vendor_completions.d/protocheck.fish",
            &["completions", "fish"],
        ),
    ] {
        let path = format!("{SHARE}/{path}");
        let want = generated(args);
        if std::env::var_os("UPDATE_EXPECT").is_some() {
            std::fs::write(&path, &want).unwrap();
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "{path} is not what `protocheck {}` prints: run UPDATE_EXPECT=1 cargo test --test packaging",
            args.join(" ")
        );
    }
}

#[test]
fn the_python_package_is_the_cargo_package() {
    let cargo: toml::Table = std::fs::read_to_string("Cargo.toml")
        .unwrap()
        .parse()
        .unwrap();
    let py: toml::Table = std::fs::read_to_string("pyproject.toml")
        .unwrap()
        .parse()
        .unwrap();
    let package = &cargo["package"];
    assert_eq!(py["project"]["name"], package["name"]);
    assert_eq!(py["project"]["description"], package["description"]);
    assert_eq!(py["project"]["license"], package["license"]);
    // The version is Cargo.toml's, read by maturin.
    assert_eq!(
        py["project"]["dynamic"].as_array().unwrap(),
        &[toml::Value::from("version")]
    );
    assert_eq!(py["tool"]["maturin"]["bindings"].as_str(), Some("bin"));
    assert_eq!(cargo["lib"]["name"].as_str(), Some("protocheck"));
    assert_eq!(cargo["bin"][0]["name"].as_str(), Some("protocheck"));
}

#[test]
fn the_npm_packages_are_the_cargo_package() {
    let cargo: toml::Table = std::fs::read_to_string("Cargo.toml")
        .unwrap()
        .parse()
        .unwrap();
    let npm: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("npm/protocheck-cli/package.json").unwrap())
            .unwrap();
    let package = &cargo["package"];
    assert_eq!(npm["name"], package["name"].as_str().unwrap());
    assert_eq!(npm["version"], package["version"].as_str().unwrap());
    assert_eq!(npm["description"], package["description"].as_str().unwrap());
    assert_eq!(npm["bin"]["protocheck"], "bin/protocheck.js");
    // One optional dependency per platform the release builds, at this
    // version, named as the launcher looks them up.
    let release: serde_json::Value =
        serde_yaml_ng::from_str(&std::fs::read_to_string(".github/workflows/release.yml").unwrap())
            .unwrap();
    let mut built: Vec<String> = release["jobs"]["binaries"]["strategy"]["matrix"]["include"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            format!(
                "protocheck-cli-{}",
                m["npm"].as_str().unwrap().replace(' ', "-")
            )
        })
        .collect();
    built.sort();
    let deps = npm["optionalDependencies"].as_object().unwrap();
    let mut names: Vec<String> = deps.keys().cloned().collect();
    names.sort();
    assert_eq!(names, built);
    for v in deps.values() {
        assert_eq!(v, package["version"].as_str().unwrap());
    }
    let launcher = std::fs::read_to_string("npm/protocheck-cli/bin/protocheck.js").unwrap();
    assert!(launcher.contains("`protocheck-cli-${process.platform}-${process.arch}`"));
}
