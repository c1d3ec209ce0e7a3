//! Where the registry and the bytes disagree: changes it lets through that
//! lose or corrupt data, and (in FORWARD and FULL) changes it refuses though
//! no reader breaks. Each note is an info: it never changes the exit code.

use prost_types::field_descriptor_proto::Label;

use super::diff::{scalar_group, written_label, DiffType, Target};
use super::modes::{Direction, Mode};
use super::{build, message_path, messages, Build};
use crate::engine::finding::{Audience, Finding, RegistryInfo, Severity};
use crate::schema::{Cardinality, Field, Kind, Schema};

/// A note's rule ID: the registry accepts a change that readers feel.
pub const LETS_THROUGH: &str = "REGISTRY_LETS_THROUGH";
/// A note's rule ID: the registry refuses a change no reader feels.
pub const REFUSES_SAFE: &str = "REGISTRY_REFUSES_SAFE";

pub fn notes(
    old: &Schema,
    new: &Schema,
    mode: Mode,
    version: Option<&str>,
    pairs: &[(usize, usize)],
) -> Vec<Finding> {
    let mut n = Notes {
        old,
        new,
        version,
        out: Vec::new(),
    };
    for &(of, nf) in pairs {
        for (oi, om) in old
            .messages
            .iter()
            .enumerate()
            .filter(|(_, m)| m.file == of && !m.is_map_entry)
        {
            let Some(ni) = new.messages.iter().position(|m| {
                m.file == nf && !m.is_map_entry && m.nested_name_str() == om.nested_name_str()
            }) else {
                continue;
            };
            n.message(oi, ni);
        }
    }
    if mode.directions().contains(&Direction::Forward) {
        n.refused_safe();
    }
    n.out
}

struct Notes<'a> {
    old: &'a Schema,
    new: &'a Schema,
    version: Option<&'a str>,
    out: Vec<Finding>,
}

impl Notes<'_> {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        rule: &'static str,
        kind: Option<DiffType>,
        path: String,
        ot: (Option<Target>, Target),
        nt: (Option<Target>, Target),
        message: String,
        help: String,
        affects: Vec<Audience>,
    ) {
        let registry = RegistryInfo {
            kind: kind.map(DiffType::name),
            path,
            message: None,
            version: self.version.map(str::to_owned),
        };
        self.out.push(build(
            Build {
                rule,
                severity: Severity::Info,
                message,
                help,
                affects,
                registry,
                package: false,
                fix: None,
            },
            (self.old, ot.0, ot.1),
            (self.new, nt.0, nt.1),
        ));
    }

    fn message(&mut self, oi: usize, ni: usize) {
        let (o, n) = (self.old, self.new);
        let (om, nm) = (&o.messages[oi], &n.messages[ni]);
        let path = message_path(o, oi);
        let ctx = (Target::Message(oi), Target::Message(ni));
        for (fi, f) in om.fields.iter().enumerate() {
            let ot = Target::Field(oi, fi);
            match nm.fields.iter().position(|g| g.number == f.number) {
                Some(gi) => {
                    let g = &nm.fields[gi];
                    self.pair(&path, f, g, ot, Target::Field(ni, gi), ctx);
                }
                None => {
                    let moved = nm
                        .fields
                        .iter()
                        .position(|g| g.name == f.name && om.field(g.number).is_none());
                    match moved {
                        Some(gi) => {
                            let g = &nm.fields[gi];
                            self.push(
                                LETS_THROUGH,
                                Some(DiffType::FieldRemoved),
                                format!("{path}/{}", f.number),
                                (Some(ot), ctx.0),
                                (Some(Target::Field(ni, gi)), ctx.1),
                                format!(
                                    "field \"{}\" of message \"{}\" was renumbered from {} to {}: the \
                                     registry sees a field removed and one added and accepts both, \
                                     but the bytes are keyed by number: new readers do not find the \
                                     value old data holds under {}, old readers do not find new \
                                     data's under {}",
                                    f.name, nm.full_name, f.number, g.number, f.number, g.number
                                ),
                                format!(
                                    "keep the field under number {}: a number is the field's identity on \
                                     the wire",
                                    f.number
                                ),
                                vec![Audience::NewReadersOfOldData, Audience::OldReadersOfNewData],
                            );
                        }
                        None if !nm.is_reserved_number(f.number) && !self.refused_removal(f) => {
                            self.push(
                                LETS_THROUGH,
                                Some(if f.oneof.is_some() {
                                    DiffType::OneofRemoved
                                } else {
                                    DiffType::FieldRemoved
                                }),
                                format!("{path}/{}", f.number),
                                (Some(ot), ctx.0),
                                (None, ctx.1),
                                format!(
                                    "field {} \"{}\" of message \"{}\" was deleted without `reserved \
                                     {};`: the registry never reads `reserved` and accepts this, and it \
                                     will also accept a later version that reuses number {} with \
                                     another type; only a *_TRANSITIVE mode compares that version \
                                     with this one, where data under {} was written",
                                    f.number, f.name, nm.full_name, f.number, f.number, f.number
                                ),
                                format!(
                                    "add `reserved {}; reserved \"{}\";` to message \"{}\" so that \
                                     protoc refuses any reuse of the number and the name",
                                    f.number, f.name, nm.name
                                ),
                                vec![Audience::NewReadersOfOldData],
                            );
                        }
                        None => {}
                    }
                }
            }
        }
    }

    /// A deleted field the registry already refuses (a member of a oneof
    /// that stays, or a required field): no note on top.
    fn refused_removal(&self, f: &Field) -> bool {
        f.oneof.is_some() && {
            // Refused as ONEOF_FIELD_REMOVED unless the whole oneof went.
            let m = f.parent.map(|p| &self.old.messages[p]);
            let x = m.and_then(|m| f.oneof.map(|i| &m.oneofs[i].name));
            let nm = m.and_then(|m| {
                self.new
                    .messages
                    .iter()
                    .find(|n| n.full_name == m.full_name)
            });
            match (m, x, nm) {
                (Some(m), Some(x), Some(nm)) => {
                    nm.oneofs.iter().any(|y| &y.name == x)
                        || m.fields.iter().any(|g| {
                            g.oneof.map(|i| &m.oneofs[i].name) == Some(x)
                                && nm.field(g.number).is_some()
                        })
                }
                _ => false,
            }
        } || f.label == Label::Required
    }

    /// A field of the same number on both sides.
    fn pair(
        &mut self,
        path: &str,
        f: &Field,
        g: &Field,
        ot: Target,
        nt: Target,
        ctx: (Target, Target),
    ) {
        let (o, n) = (self.old, self.new);
        let p = format!("{path}/{}", f.number);
        let at = ((Some(ot), ctx.0), (Some(nt), ctx.1));
        let maps = f.cardinality == Cardinality::Map || g.cardinality == Cardinality::Map;
        // A type change inside one scalar group: no difference for the registry.
        let (gf, gg) = (scalar_group(f.kind), scalar_group(g.kind));
        let other_enum = f.kind == Kind::Enum && g.kind == Kind::Enum && f.type_name != g.type_name;
        if !maps && gf.is_some() && gf == gg && (f.kind != g.kind || other_enum) {
            let renamed = f.name != g.name;
            let what = if renamed {
                format!(
                    "number {} of message \"{}\" was reused: `{} {}` became `{} {}`",
                    f.number,
                    n.messages[msg(nt)].full_name,
                    messages::field_type(o, f),
                    f.name,
                    messages::field_type(n, g),
                    g.name
                )
            } else {
                format!(
                    "field {} \"{}\" of message \"{}\" changed type from {} to {}",
                    f.number,
                    g.name,
                    n.messages[msg(nt)].full_name,
                    f.type_display(),
                    g.type_display()
                )
            };
            self.push(
                LETS_THROUGH,
                renamed.then_some(DiffType::FieldNameChanged),
                p.clone(),
                at.0,
                at.1,
                format!(
                    "{what}; the registry accepts any change inside a scalar group, but {}",
                    consequence(f.kind, g.kind, other_enum)
                ),
                "keep the old type and add the new field under a new number".to_owned(),
                vec![Audience::NewReadersOfOldData, Audience::OldReadersOfNewData],
            );
        }
        // The same inside a map's key or value.
        if f.cardinality == Cardinality::Map && g.cardinality == Cardinality::Map {
            let entry = |s: &'_ Schema, x: &Field, n: u32| {
                x.type_name
                    .as_deref()
                    .and_then(|t| s.message(t))
                    .and_then(|e| e.field(n))
                    .map(|e| (e.kind, e.type_name.clone(), e.type_display()))
            };
            for (num, part) in [(1, "key"), (2, "value")] {
                let (Some((ka, ta, da)), Some((kb, tb, db))) = (entry(o, f, num), entry(n, g, num))
                else {
                    continue;
                };
                let group = scalar_group(ka);
                let other_enum = ka == Kind::Enum && kb == Kind::Enum && ta != tb;
                if group.is_some() && group == scalar_group(kb) && (ka != kb || other_enum) {
                    self.push(
                        LETS_THROUGH,
                        None,
                        p.clone(),
                        at.0,
                        at.1,
                        format!(
                            "the {part} type of map field {} \"{}\" of message \"{}\" changed from {da} \
                             to {db}; the registry accepts any change inside a scalar group, but {}",
                            g.number,
                            g.name,
                            n.messages[msg(nt)].full_name,
                            consequence(ka, kb, other_enum)
                        ),
                        "keep the map's types and add a new map field under a new number".to_owned(),
                        vec![Audience::NewReadersOfOldData, Audience::OldReadersOfNewData],
                    );
                }
            }
        }
        // Singular ↔ repeated where one side writes no label (proto3): the
        // registry compares no label.
        let (lf, lg) = (written_label(o, f), written_label(n, g));
        let rep = |c: Cardinality| c == Cardinality::Repeated;
        if !maps && rep(f.cardinality) != rep(g.cardinality) && (lf.is_none() || lg.is_none()) {
            let numeric = !matches!(
                g.kind,
                Kind::String | Kind::Bytes | Kind::Message | Kind::Group
            );
            let effect = if numeric {
                "a packed repeated number is one length-delimited record, which a singular \
                 reader cannot read as its number (it keeps it as an unknown field): the value \
                 is lost to it"
            } else {
                "a singular reader keeps only the last of several values"
            };
            self.push(
                LETS_THROUGH,
                None,
                p.clone(),
                at.0,
                at.1,
                format!(
                    "field {} \"{}\" of message \"{}\" changed from `{}` to `{}`: the registry \
                     compares labels only where both versions write one, and a proto3 singular \
                     field has none, so it sees no change; on the wire {effect}",
                    g.number,
                    g.name,
                    n.messages[msg(nt)].full_name,
                    messages::field_type(o, f),
                    messages::field_type(n, g),
                ),
                "keep the field's cardinality and add the repeated field under a new number"
                    .to_owned(),
                vec![if rep(g.cardinality) {
                    Audience::OldReadersOfNewData
                } else {
                    Audience::NewReadersOfOldData
                }],
            );
        }
        // optional ↔ required on strings and bytes: a compatible label change
        // for the registry, a parse failure for readers that require it.
        if matches!(g.kind, Kind::String | Kind::Bytes)
            && lf.is_some()
            && lg.is_some()
            && lf != lg
            && (lf == Some(Label::Required) || lg == Some(Label::Required))
        {
            let to_required = lg == Some(Label::Required);
            self.push(
                LETS_THROUGH,
                Some(DiffType::FieldStringOrBytesLabelChanged),
                p,
                at.0,
                at.1,
                format!(
                    "field {} \"{}\" of message \"{}\" changed from `{}` to `{}`: the registry \
                     accepts label changes of string and bytes fields, but {}",
                    g.number,
                    g.name,
                    n.messages[msg(nt)].full_name,
                    messages::field_type(o, f),
                    messages::field_type(n, g),
                    if to_required {
                        "new readers reject old data that lacks the field"
                    } else {
                        "old readers reject new data that lacks the field"
                    }
                ),
                "keep the field's label".to_owned(),
                vec![if to_required {
                    Audience::NewReadersOfOldData
                } else {
                    Audience::OldReadersOfNewData
                }],
            );
        }
    }

    /// FORWARD refusals without a wire reason: a new message type, a new
    /// member of an existing oneof.
    fn refused_safe(&mut self) {
        let (o, n) = (self.old, self.new);
        for (_, d) in super::differences(o, n, Direction::Forward) {
            // In the swapped diff the original side is the new schema.
            let (text, help) = match d.kind {
                DiffType::MessageRemoved => (
                    "the registry's FORWARD check refuses this new message type although no \
                     old reader is hurt: old readers never meet a type they do not know",
                    "declare the new message in a file of its own and import it, or check this \
                     subject with BACKWARD",
                ),
                DiffType::OneofFieldRemoved => (
                    "the registry's FORWARD check refuses this new member of an existing oneof, \
                     although old readers only see the oneof unset and keep the value as an \
                     unknown field",
                    "declare the member in a new oneof of its own, or check this subject with \
                     BACKWARD",
                ),
                _ => continue,
            };
            let Some(nt) = d.original else { continue };
            self.push(
                REFUSES_SAFE,
                Some(d.kind),
                d.path.clone(),
                (None, d.update_context),
                (Some(nt), d.original_context),
                format!("{}: {text}", messages::describe(n, nt)),
                help.to_owned(),
                vec![Audience::OldReadersOfNewData],
            );
        }
    }
}

fn msg(t: Target) -> usize {
    match t {
        Target::Field(m, _) | Target::Message(m) | Target::Oneof(m, _) => m,
        _ => 0,
    }
}

/// What a change inside a scalar group does to values.
fn consequence(from: Kind, to: Kind, other_enum: bool) -> &'static str {
    use Kind::*;
    if other_enum {
        return "the numbers written mean the values of the other enum";
    }
    match (from, to) {
        (String, Bytes) => {
            "old readers (string) reject new data that is not valid UTF-8 (proto3) or misread it"
        }
        (Bytes, String) => "new readers (string) reject old bytes that are not valid UTF-8",
        (_, Bool) | (Bool, _) => {
            "every non-zero number reads as true, and bool readers lose the value"
        }
        (Enum, _) | (_, Enum) => {
            "numbers without an enum value become unknown values (proto2 readers drop them)"
        }
        (Fixed32, Sfixed32) | (Sfixed32, Fixed32) | (Fixed64, Sfixed64) | (Sfixed64, Fixed64) => {
            "values with the high bit set change sign"
        }
        _ => "values outside the narrower type's range are truncated or change sign",
    }
}
