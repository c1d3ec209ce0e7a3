//! Terminal conventions: a closed pipe (`protocheck … | head -0`) ends
//! quietly for every format and subcommand, results go to stdout and errors
//! to stderr.

use std::process::{Command, Stdio};

/// Runs protocheck with stdout a pipe whose reader is already closed.
fn into_closed_pipe(args: &[&str]) -> (i32, String) {
    let (reader, writer) = os_pipe::pipe().unwrap();
    drop(reader);
    let out = Command::new(assert_cmd::cargo::cargo_bin("protocheck"))
        .args(args)
        .env_remove("NO_COLOR")
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    (
        out.status.code().expect("exited, not killed by SIGPIPE"),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn a_closed_pipe_ends_quietly_for_every_format() {
    let formats = [
        "text", "short", "json", "sarif", "github", "junit", "gitlab", "markdown",
    ];
    for format in formats {
        for (new, code) in [
            ("fixtures/order/new_reuse", 1),
            ("fixtures/order/new_add", 0),
        ] {
            let (got, err) = into_closed_pipe(&["fixtures/order/old", new, "--format", format]);
            assert_eq!(got, code, "{format} {new}: {err}");
            assert!(err.is_empty(), "{format} {new}: stderr: {err}");
        }
    }
}

#[test]
fn a_closed_pipe_ends_quietly_for_every_subcommand() {
    for args in [
        &["rules"][..],
        &["rules", "--level", "wire"],
        &["explain", "FIELD_SAME_TYPE"],
        &["snapshot", "fixtures/order/old", "-o", "-"],
        &["--help"],
        &["--version"],
        &["snapshot", "--help"],
    ] {
        let (code, err) = into_closed_pipe(args);
        assert_eq!(code, 0, "{args:?}: {err}");
        assert!(err.is_empty(), "{args:?}: stderr: {err}");
    }
}

#[test]
fn errors_go_to_stderr_and_nothing_to_stdout() {
    for args in [
        &["fixtures/nope", "fixtures/order/old"][..],
        &[
            "fixtures/order/old",
            "fixtures/order/new_add",
            "--format",
            "sarif",
            "-I",
            "nope",
        ],
        &["snapshot", "fixtures/nope", "-o", "-"],
        &["explain", "NOPE"],
    ] {
        let out = Command::new(assert_cmd::cargo::cargo_bin("protocheck"))
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?}");
    }
}
