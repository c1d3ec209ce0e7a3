//! The README's rule table is generated from the registry; this keeps it so.
//! `UPDATE_EXPECT=1 cargo test --test readme` rewrites it.

use protocheck::rules::{self, Level};

fn table() -> String {
    let mut s = String::from(
        "| rule | file | package | wire-json | wire | csr | checks that… |\n|---|---|---|---|---|---|---|\n",
    );
    for r in rules::ALL {
        let m = r.meta();
        let mark = |l: Level| if m.in_level(l) { "✓" } else { "" };
        s.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} | {} |\n",
            m.id,
            mark(Level::File),
            mark(Level::Package),
            mark(Level::WireJson),
            mark(Level::Wire),
            mark(Level::Csr),
            m.summary
        ));
    }
    s
}

#[test]
fn readme_rule_table_matches_the_registry() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let (head, rest) = readme
        .split_once("<!-- rules:start -->\n")
        .expect("start marker");
    let (current, tail) = rest.split_once("<!-- rules:end -->").expect("end marker");
    let want = table();
    if current != want {
        if std::env::var_os("UPDATE_EXPECT").is_some() {
            std::fs::write(
                "README.md",
                format!("{head}<!-- rules:start -->\n{want}<!-- rules:end -->{tail}"),
            )
            .unwrap();
        } else {
            panic!(
                "README rule table is stale; run UPDATE_EXPECT=1 cargo test --test readme\n{want}"
            );
        }
    }
}

/// The README's example of text output is the real output.
#[test]
fn readme_text_example_is_the_real_output() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let start = readme
        .find("What `new_reuse` prints")
        .expect("the example's heading");
    let block = &readme[start..];
    let block = &block[block.find("```text\n").unwrap() + 8..];
    let block = &block[..block.find("```").unwrap()];
    let out = assert_cmd::Command::cargo_bin("protocheck")
        .unwrap()
        .args(["fixtures/order/old", "fixtures/order/new_reuse"])
        .env_remove("COLUMNS")
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(block, String::from_utf8(out.stdout).unwrap());
}
