//! The check shared by FIELD_WIRE_COMPATIBLE_TYPE and
//! FIELD_WIRE_JSON_COMPATIBLE_TYPE, and the comparisons of enum and message
//! types it rests on.

use crate::engine::{Cx, FieldPair, Part};
use crate::rules::consequence::{json_change, report, type_change, Consequence};
use crate::rules::field_fixes::reused_number_fix;
use crate::rules::words::type_words;
use crate::schema::{Cardinality, Enum, Field, Kind, Schema};

/// Enums whose short names match and whose old values all survive under the
/// same numbers: buf's wire-level exception for a renamed enum type.
pub fn enum_is_compatible_subset(old: &Schema, new: &Schema, o: &Field, n: &Field) -> bool {
    let (Some(ot), Some(nt)) = (&o.type_name, &n.type_name) else {
        return false;
    };
    let (Some(oe), Some(ne)) = (old.enum_(ot), new.enum_(nt)) else {
        return false;
    };
    oe.name == ne.name && is_subset(oe, ne)
}

/// Whether a field's enum type can change to another enum on the wire: the
/// new enum keeps every number of the old one and its openness (values are
/// numbers on the wire; names only matter to JSON and generated code).
pub fn enum_keeps_numbers(old: &Schema, new: &Schema, o: &Field, n: &Field) -> Result<(), String> {
    let (Some(ot), Some(nt)) = (&o.type_name, &n.type_name) else {
        return Err("an enum type is not known".to_owned());
    };
    let (Some(oe), Some(ne)) = (old.enum_(ot), new.enum_(nt)) else {
        return Err(format!("enum \"{ot}\" or \"{nt}\" is not defined"));
    };
    if oe.closed != ne.closed {
        return Err(format!(
            "\"{ot}\" is {} but \"{nt}\" is {}",
            if oe.closed { "closed" } else { "open" },
            if ne.closed { "closed" } else { "open" }
        ));
    }
    for v in &oe.values {
        if !ne.values.iter().any(|w| w.number == v.number) {
            return Err(format!(
                "enum value {} \"{}\" of \"{ot}\" is missing from \"{nt}\"",
                v.number, v.name
            ));
        }
    }
    Ok(())
}

fn is_subset(old: &Enum, new: &Enum) -> bool {
    old.values.iter().all(|v| {
        new.values
            .iter()
            .any(|w| w.name == v.name && w.number == v.number)
    })
}

/// The check shared by FIELD_WIRE_COMPATIBLE_TYPE and
/// FIELD_WIRE_JSON_COMPATIBLE_TYPE. `scalars_compatible` says which kinds read
/// each other's values; enums may be renamed if their short name stays and
/// every old value survives; message types may be renamed or moved if they
/// are structurally identical (then an info says why; beyond buf, see buf
/// #2318, #609, #2167). With `json`, names count in that comparison.
pub fn check_wire_type(
    cx: &mut Cx,
    p: &FieldPair,
    json: bool,
    scalars_compatible: fn(Kind, Kind) -> bool,
) {
    let (Some(old), Some(new)) = (p.old, p.new) else {
        return;
    };
    let mut differs = None;
    let compatible = match (old.kind, new.kind) {
        (Kind::Enum, Kind::Enum) => {
            if old.type_name == new.type_name || enum_is_compatible_subset(cx.old, cx.new, old, new)
            {
                true
            } else if json {
                false
            } else {
                // Beyond buf: on the wire, another enum that keeps every
                // number (and its openness) reads the same bytes.
                match enum_keeps_numbers(cx.old, cx.new, old, new) {
                    Ok(()) => {
                        cx.report(
                            p.at(Part::Type),
                            format!(
                                "{} changed type from {} to {}, which keeps every number and its openness: accepted on the wire",
                                p.describe(),
                                type_words(old),
                                type_words(new)
                            ),
                        )
                        .severity(crate::engine::finding::Severity::Info)
                        .help("nothing to do here; --level wire-json still reports the change, because JSON uses value names, and file and package report FIELD_SAME_TYPE");
                        true
                    }
                    Err(why) => {
                        differs = Some(why);
                        false
                    }
                }
            }
        }
        (Kind::Message, Kind::Message) | (Kind::Group, Kind::Group) => {
            match (&old.type_name, &new.type_name) {
                (a, b) if a == b => true,
                (Some(a), Some(b)) => match structurally_identical(cx.old, cx.new, a, b, json) {
                    Ok(()) => {
                        let same = if json {
                            "has the same fields, names and JSON names (recursively)"
                        } else {
                            "is wire-identical (same numbers and types, recursively)"
                        };
                        cx.report(
                            p.at(Part::Type),
                            format!(
                                "{} changed type from {} to {}, which {same}: accepted",
                                p.describe(),
                                type_words(old),
                                type_words(new)
                            ),
                        )
                        .severity(crate::engine::finding::Severity::Info)
                        .help("nothing to do here; --level file and package still report FIELD_SAME_TYPE, because generated code changes");
                        true
                    }
                    Err(why) => {
                        differs = Some(why);
                        false
                    }
                },
                _ => false,
            }
        }
        (a, b) => a == b || scalars_compatible(a, b),
    };
    if compatible {
        return;
    }
    let wire = type_change(old, new);
    let consequence = match json.then(|| json_change(old, new)).flatten() {
        // The binary side, where the wire check accepts it, is reported on
        // its own (FIELD_WIRE_NO_WIDENING, NO_NARROWING, SAME_SIGNEDNESS);
        // its readers are hurt all the same.
        Some(j) => j.with_readers_of(&wire),
        None => wire,
    };
    let subject = format!(
        "{} changed type from {} to {}",
        p.describe(),
        type_words(old),
        type_words(new),
    );
    let mut claim = consequence.claim().to_owned();
    if let Some(why) = differs {
        claim = format!("{claim} ({why})");
    }
    let fix = reused_number_fix(cx, p);
    let f = report(
        cx,
        p.at(Part::Type),
        subject,
        &Consequence::new(claim, consequence.affects()),
    );
    if let Some(s) = fix {
        f.suggest(s);
    }
}

/// Whether two message types read the same bytes the same way: the same field
/// numbers, each with the same kind and the same repeated-ness, enums keeping
/// every old number, nested messages alike recursively. With `json`, names and
/// JSON names must match too. Returns why not, if not.
pub fn structurally_identical(
    old: &Schema,
    new: &Schema,
    a: &str,
    b: &str,
    json: bool,
) -> Result<(), String> {
    // A work list, not recursion: type chains can be long. A pair already
    // compared (or under comparison, for recursive types) is assumed alike.
    let mut seen: std::collections::HashSet<(&str, &str)> = std::collections::HashSet::new();
    let mut todo = vec![(a, b)];
    while let Some((a, b)) = todo.pop() {
        if !seen.insert((a, b)) {
            continue;
        }
        let (Some(ma), Some(mb)) = (old.message(a), new.message(b)) else {
            return Err(format!("\"{a}\" or \"{b}\" is not defined"));
        };
        if ma.fields.len() != mb.fields.len() {
            return Err(format!(
                "\"{a}\" has {} fields and \"{b}\" has {}",
                ma.fields.len(),
                mb.fields.len()
            ));
        }
        for fa in &ma.fields {
            let Some(fb) = mb.field(fa.number) else {
                return Err(format!(
                    "field {} of \"{a}\" is missing from \"{b}\"",
                    fa.number
                ));
            };
            let repeated = |c: Cardinality| matches!(c, Cardinality::Repeated | Cardinality::Map);
            if fa.kind != fb.kind || repeated(fa.cardinality) != repeated(fb.cardinality) {
                return Err(format!(
                    "field {} is {} in \"{a}\" but {} in \"{b}\"",
                    fa.number,
                    type_words(fa),
                    type_words(fb)
                ));
            }
            if json && (fa.name != fb.name || fa.json_name != fb.json_name) {
                return Err(format!(
                    "field {} is named \"{}\" in \"{a}\" but \"{}\" in \"{b}\"",
                    fa.number, fa.name, fb.name
                ));
            }
            match (fa.kind, &fa.type_name, &fb.type_name) {
                (Kind::Message | Kind::Group, Some(ta), Some(tb)) => todo.push((ta, tb)),
                (Kind::Enum, Some(ta), Some(tb)) => {
                    let (Some(ea), Some(eb)) = (old.enum_(ta), new.enum_(tb)) else {
                        return Err(format!("enum \"{ta}\" or \"{tb}\" is not defined"));
                    };
                    for v in &ea.values {
                        let kept = eb
                            .values
                            .iter()
                            .any(|w| w.number == v.number && (!json || w.name == v.name));
                        if !kept {
                            return Err(format!(
                                "enum value {} \"{}\" of \"{ta}\" is missing from \"{tb}\"",
                                v.number, v.name
                            ));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    Ok(())
}
