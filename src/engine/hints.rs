//! Rename and move hints. buf reports a renamed or moved element as a
//! deletion; when an element that disappeared reappears with the same shape
//! under another name, number, file or package, protocheck says so, and the
//! fix says what to do instead.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::engine::fix::{ProposedEdit, Suggestion, Target};
use crate::engine::{Gone, RawFinding};
use crate::schema::{Cardinality, Enum, File, Message, Schema, Service};

struct Hint {
    what: String,
    fix: Suggestion,
}

/// A fix in words only.
fn words(s: String) -> Suggestion {
    Suggestion::new(&s, Vec::new(), "")
}

/// Adds "looks like …" to every finding about an element that reappears.
pub(crate) fn add(old: &Schema, new: &Schema, out: &mut [RawFinding]) {
    let mut cache: HashMap<Gone, Option<Hint>> = HashMap::new();
    let mut added: Option<Added> = None;
    for f in out.iter_mut() {
        let Some(gone) = f.at.gone.clone() else {
            continue;
        };
        let hint = cache.entry(gone).or_insert_with_key(|g| {
            let added = added.get_or_insert_with(|| Added::new(old, new));
            find(old, new, g, added)
        });
        if let Some(h) = hint {
            f.message = format!("{}; looks like {}", f.message, h.what);
            f.help = Some(h.fix.help.clone());
            f.edits = h.fix.edits.clone();
        }
    }
}

fn last(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

/// What a message looks like, regardless of its name and package.
fn message_shape(m: &Message) -> Option<Vec<String>> {
    if m.fields.is_empty() || m.is_map_entry {
        return None;
    }
    let mut v: Vec<String> = m
        .fields
        .iter()
        .map(|f| {
            format!(
                "{}:{}:{}:{}:{}",
                f.number,
                f.name,
                f.kind.name(),
                f.type_name.as_deref().map(last).unwrap_or_default(),
                matches!(f.cardinality, Cardinality::Repeated | Cardinality::Map)
            )
        })
        .collect();
    v.sort();
    Some(v)
}

fn enum_shape(e: &Enum) -> Option<Vec<(i32, String)>> {
    if e.values.is_empty() {
        return None;
    }
    let mut v: Vec<(i32, String)> = e
        .values
        .iter()
        .map(|v| (v.number, v.name.clone()))
        .collect();
    v.sort();
    Some(v)
}

/// Elements that only the new schema has, indexed by shape.
struct Added<'s> {
    messages: HashMap<Vec<String>, Vec<&'s Message>>,
    enums: HashMap<Vec<(i32, String)>, Vec<&'s Enum>>,
    /// The first (by name) of the new input files that were not input
    /// files before, for each shape.
    files: HashMap<BTreeSet<String>, &'s File>,
    /// The first (in order) of the services only the new side has, for
    /// each set of method names.
    services: HashMap<BTreeSet<&'s str>, &'s Service>,
}

/// What a file looks like, regardless of its name: the names of its
/// top-level messages, enums and services.
fn file_shape(s: &Schema, f: &File) -> BTreeSet<String> {
    let mut v: BTreeSet<String> = f
        .messages
        .iter()
        .map(|&i| s.messages[i].name.clone())
        .collect();
    v.extend(f.enums.iter().map(|&i| s.enums[i].name.clone()));
    v.extend(f.services.iter().map(|&i| s.services[i].name.clone()));
    v
}

impl<'s> Added<'s> {
    fn new(old: &Schema, new: &'s Schema) -> Self {
        let mut messages: HashMap<Vec<String>, Vec<&Message>> = HashMap::new();
        for (_, m) in new.target_messages() {
            if old.message(&m.full_name).is_none() {
                if let Some(shape) = message_shape(m) {
                    messages.entry(shape).or_default().push(m);
                }
            }
        }
        let mut enums: HashMap<Vec<(i32, String)>, Vec<&Enum>> = HashMap::new();
        for (_, e) in new.target_enums() {
            if old.enum_(&e.full_name).is_none() {
                if let Some(shape) = enum_shape(e) {
                    enums.entry(shape).or_default().push(e);
                }
            }
        }
        let mut files: HashMap<BTreeSet<String>, &File> = HashMap::new();
        for (_, f) in new.target_files() {
            if old.target_file_index(&f.name).is_none() {
                files.entry(file_shape(new, f)).or_insert(f);
            }
        }
        let old_services: HashSet<&str> = old
            .target_services()
            .map(|(_, s)| s.full_name.as_str())
            .collect();
        let mut services: HashMap<BTreeSet<&str>, &Service> = HashMap::new();
        for (_, s) in new.target_services() {
            if !old_services.contains(s.full_name.as_str()) {
                let methods = s.methods.iter().map(|m| m.name.as_str()).collect();
                services.entry(methods).or_insert(s);
            }
        }
        Added {
            messages,
            enums,
            files,
            services,
        }
    }
}

fn moved_or_renamed(old: &str, new: &str) -> &'static str {
    if last(old) == last(new) {
        "moved"
    } else {
        "renamed"
    }
}

/// The hint for an element `name` that reappears as `to`: moved or renamed,
/// and `fix`, why and how to keep the old one.
fn reappeared(name: &str, to: &str, fix: String) -> Hint {
    Hint {
        what: format!("\"{name}\" was {} to \"{to}\"", moved_or_renamed(name, to)),
        fix: words(fix),
    }
}

fn find(old: &Schema, new: &Schema, gone: &Gone, added: &Added) -> Option<Hint> {
    match gone {
        Gone::Message(name) => {
            let m = old.message(name)?;
            let to = added.messages.get(&message_shape(m)?)?.first()?;
            Some(reappeared(
                name,
                &to.full_name,
                format!(
                    "keep \"{name}\": fields, RPCs and google.protobuf.Any type URLs refer to a message by its full name; declare \"{}\" alongside it if you need the new name, and deprecate the old one",
                    to.full_name
                ),
            ))
        }
        Gone::Enum(name) => {
            let e = old.enum_(name)?;
            let to = added.enums.get(&enum_shape(e)?)?.first()?;
            Some(reappeared(
                name,
                &to.full_name,
                format!(
                    "keep \"{name}\": fields refer to an enum by its full name; declare \"{}\" alongside it if you need the new name",
                    to.full_name
                ),
            ))
        }
        Gone::Field { message, number } => {
            let (om, nm) = (old.message(message)?, new.message(message)?);
            let f = om.field(*number)?;
            let to = nm.fields.iter().find(|n| {
                om.field(n.number).is_none()
                    && n.kind == f.kind
                    && (n.name == f.name || n.json_name == f.json_name)
            })?;
            Some(Hint {
                what: format!(
                    "field \"{}\" was renumbered from {number} to {}",
                    f.name, to.number
                ),
                fix: {
                    let lead = format!("give \"{}\" back its number {number}", to.name);
                    let tail = format!(
                        ": readers find values by number, so new readers lose what old writers wrote under {number}, and old readers drop what is written under {}",
                        to.number
                    );
                    let edit = (!nm.is_reserved_number(*number))
                        .then(|| {
                            let was =
                                crate::engine::fix::one_line(new.files.get(to.file)?, &to.path)?;
                            let now = crate::engine::fix::redeclare(new, to, *number, None)?;
                            Some(ProposedEdit::replace(
                                Target::new(to.file, &to.path),
                                was,
                                now,
                            ))
                        })
                        .flatten();
                    match edit {
                        Some(e) => Suggestion::new(&lead, vec![e], &tail),
                        None => words(format!("{lead}{tail}")),
                    }
                },
            })
        }
        Gone::EnumValue { enum_, number } => {
            let (oe, ne) = (old.enum_(enum_)?, new.enum_(enum_)?);
            let names: HashSet<&str> = oe
                .values
                .iter()
                .filter(|v| v.number == *number)
                .map(|v| v.name.as_str())
                .collect();
            let to = ne.values.iter().find(|v| {
                names.contains(v.name.as_str()) && !oe.values.iter().any(|o| o.number == v.number)
            })?;
            Some(Hint {
                what: format!(
                    "enum value \"{}\" was renumbered from {number} to {}",
                    to.name, to.number
                ),
                fix: {
                    let lead = format!("give \"{}\" back its number {number}", to.name);
                    let tail = format!(
                        ": enum values travel as numbers, so data written with {number} no longer means \"{}\"",
                        to.name
                    );
                    let edit = (!ne.is_reserved_number(*number))
                        .then(|| {
                            let file = new.files.get(ne.file)?;
                            let was = crate::engine::fix::one_line(file, &to.path)?;
                            let decl = file.span(&to.path)?;
                            let mut num_path = to.path.clone();
                            num_path.push(2);
                            let num = file.span(&num_path)?;
                            let start = num.offset.checked_sub(decl.offset)?;
                            let now = crate::engine::fix::splice(
                                &was,
                                vec![(start, start + num.len, number.to_string())],
                            )?;
                            Some(ProposedEdit::replace(
                                Target::new(ne.file, &to.path),
                                was,
                                now,
                            ))
                        })
                        .flatten();
                    match edit {
                        Some(e) => Suggestion::new(&lead, vec![e], &tail),
                        None => words(format!("{lead}{tail}")),
                    }
                },
            })
        }
        Gone::File(name) => {
            let want = file_shape(old, old.file(name)?);
            if want.is_empty() {
                return None;
            }
            let to = added.files.get(&want)?;
            Some(Hint {
                what: format!("file \"{name}\" was renamed to \"{}\"", to.name),
                fix: words(format!(
                    "keep \"{name}\": other .proto files import it by path and generated code is laid out per file; if only the path changed and that is fine for you, --level package accepts it"
                )),
            })
        }
        Gone::Service(name) => {
            let os = old
                .target_services()
                .map(|(_, s)| s)
                .find(|s| &s.full_name == name)?;
            let methods: BTreeSet<&str> = os.methods.iter().map(|m| m.name.as_str()).collect();
            if methods.is_empty() {
                return None;
            }
            let to = added.services.get(&methods)?;
            Some(reappeared(
                name,
                &to.full_name,
                format!(
                    "keep \"{name}\": clients call /{name}/Method; serve \"{}\" alongside it until every client has moved",
                    to.full_name
                ),
            ))
        }
        Gone::Method { service, name } => {
            let os = old
                .target_services()
                .map(|(_, s)| s)
                .find(|s| &s.full_name == service)?;
            let ns = new
                .target_services()
                .map(|(_, s)| s)
                .find(|s| &s.full_name == service)?;
            let om = os.methods.iter().find(|m| &m.name == name)?;
            let to = ns.methods.iter().find(|m| {
                !os.methods.iter().any(|o| o.name == m.name)
                    && m.input_type == om.input_type
                    && m.output_type == om.output_type
                    && m.client_streaming == om.client_streaming
                    && m.server_streaming == om.server_streaming
            })?;
            Some(Hint {
                what: format!("RPC \"{name}\" was renamed to \"{}\"", to.name),
                fix: words(format!(
                    "keep \"{name}\": clients call /{service}/{name}; serve \"{}\" alongside it until every client has moved",
                    to.name
                )),
            })
        }
    }
}
