//! `reserved` statements: writing them, and adding them to a message or an
//! enum as a fix.

use crate::engine::fix::{self, ProposedEdit, Suggestion, Target};
use crate::schema::{Enum, Field, Message};

/// `reserved 3; reserved "total";` (names as identifiers under editions).
pub fn reserve_both(file: &crate::schema::File, old: &Field) -> String {
    format!(
        "{} {}",
        fix::reserve_number(old.number),
        fix::reserve_name(file, &old.name)
    )
}

/// Adds `statement` (a `reserved` one) to a message, unless the new message
/// still uses what it reserves (then protoc would reject it, and the edit is
/// left out with the reason).
pub fn reserve_in_message(
    m: &Message,
    numbers: &[u32],
    names: &[&str],
    statement: &str,
    lead: &str,
    tail: &str,
) -> Suggestion {
    let clash = m
        .fields
        .iter()
        .find(|f| numbers.contains(&f.number) || names.contains(&f.name.as_str()));
    match clash {
        None => Suggestion::new(
            lead,
            vec![ProposedEdit::append(
                Target::new(m.file, &m.path),
                format!("message \"{}\"", m.name),
                statement,
            )],
            tail,
        ),
        Some(f) => Suggestion::new(
            &format!(
                "{lead} (no automatic edit: field {} \"{}\" of message \"{}\" uses it now, and a reserved number or name cannot be in use; give that field another number or name first, then add `{statement}`)",
                f.number, f.name, m.name
            ),
            Vec::new(),
            tail,
        ),
    }
}

/// [`reserve_in_message`] for an enum.
pub fn reserve_in_enum(
    e: &Enum,
    numbers: &[i32],
    names: &[&str],
    statement: &str,
    lead: &str,
    tail: &str,
) -> Suggestion {
    let clash = e
        .values
        .iter()
        .find(|v| numbers.contains(&v.number) || names.contains(&v.name.as_str()));
    match clash {
        None => Suggestion::new(
            lead,
            vec![ProposedEdit::append(
                Target::new(e.file, &e.path),
                format!("enum \"{}\"", e.name),
                statement,
            )],
            tail,
        ),
        Some(v) => Suggestion::new(
            &format!(
                "{lead} (no automatic edit: value {} \"{}\" of enum \"{}\" uses it now, and a reserved number or name cannot be in use; give that value another number or name first, then add `{statement}`)",
                v.number, v.name, e.name
            ),
            Vec::new(),
            tail,
        ),
    }
}

/// `reserved "A", "B";` (identifiers under editions).
pub fn reserve_names(file: &crate::schema::File, names: &[&str]) -> String {
    let editions = matches!(file.syntax, crate::schema::Syntax::Editions(_));
    let words: Vec<String> = names
        .iter()
        .map(|n| {
            if editions {
                (*n).to_owned()
            } else {
                format!("\"{n}\"")
            }
        })
        .collect();
    format!("reserved {};", words.join(", "))
}
