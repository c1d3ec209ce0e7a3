//! Checks a schema held as text against the one it replaces, as a program
//! or a test that generates `.proto` files would: `cargo run --example
//! in_memory`. Exits 1 when the change breaks, like the command.

use protocheck::{Check, Level, MemoryFiles};

const OLD: &str = r#"
syntax = "proto3";
package shop;
message Order {
  string id = 1;
  float total = 3;
}
"#;

const NEW: &str = r#"
syntax = "proto3";
package shop;
message Order {
  string id = 1;
  int64 total_cents = 3;
  string coupon_code = 4;
}
"#;

fn main() {
    let old = MemoryFiles::new().with("shop/order.proto", OLD);
    let new = MemoryFiles::new().with("shop/order.proto", NEW);
    let outcome = match Check::new(new).against(old).level(Level::Wire).run() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("protocheck: {e}");
            std::process::exit(2);
        }
    };
    for f in &outcome.reports[0].findings {
        println!("{} {}: {}", f.position(), f.rule, f.message);
        for who in &f.affects {
            println!("  breaks {who}");
        }
        if let Some(help) = &f.help {
            println!("  fix: {help}");
        }
    }
    std::process::exit(i32::from(outcome.is_breaking()));
}
