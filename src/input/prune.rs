//! Skipping unchanged files.
//!
//! A file whose bytes are identical on both sides, and whose imports are
//! (transitively) unchanged too, compiles to identical descriptors on both
//! sides, so no rule can report anything about it. Nor can it matter to the
//! pairing of other files' elements: an element's full name is unique within a
//! schema, so an element of a changed file cannot be found in an unchanged one
//! on the other side (it would be there on both sides). Such files are parsed
//! (to learn their imports and package, and to report syntax errors) but not
//! compiled; only their packages and their number are kept, for the
//! package-level rules and the summary, and the names they define: a changed
//! file that defines one of those again is an error the compiler would have
//! reported ([`check_duplicates`]).

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::input::error::{CompileError, InputError};
use crate::input::resolve::{LoadError, Loader, Problem, Symbols, Unit};
use crate::input::{self, Input};
use crate::schema::span::SourceText;
use crate::schema::{FileSource, Schema, Side};

/// Which input files each side must compile.
#[derive(Debug, Default)]
pub(crate) struct Pruned {
    pub old_compile: HashSet<String>,
    pub new_compile: HashSet<String>,
    /// Unchanged files: (import name, package).
    pub unchanged: Vec<(String, String)>,
    /// Fully-qualified names defined by unchanged files, and where.
    pub unchanged_names: HashMap<String, String>,
}

struct Parsed {
    imports: Vec<String>,
    package: String,
    names: Vec<String>,
    /// What checking the file needs: its outline, or the parsed file
    /// (without its source info) if it has a problem of its own.
    unit: Unit,
}

/// The unchanged files, parsed, still to be checked (see [`Unchanged::check`]).
pub(crate) struct Unchanged {
    roots: Vec<PathBuf>,
    /// What checking each file needs, by import name.
    units: HashMap<String, Unit>,
    /// About how many names they and their imports define.
    capacity: usize,
}

/// Both sides are directories: decides what to compile, and gives the
/// unchanged files to check (which can be done while the rest compiles).
/// `None` for other inputs.
pub(crate) fn plan(
    old: &Input,
    new: &Input,
    includes: &[PathBuf],
) -> Result<Option<(Pruned, Unchanged)>, InputError> {
    let (Input::Dir(old_dir), Input::Dir(new_dir)) = (old, new) else {
        return Ok(None);
    };
    let (_, old_names) = input::plan(Side::Old, old, includes)?;
    let (_, new_names) = input::plan(Side::New, new, includes)?;
    let new_set: HashSet<&str> = new_names.iter().map(String::as_str).collect();
    let common: Vec<&String> = old_names
        .iter()
        .filter(|n| new_set.contains(n.as_str()))
        .collect();

    let mut identical: HashMap<&str, Parsed> = common
        .par_iter()
        .filter_map(|name| same_file(old_dir, new_dir, name).map(|p| (name.as_str(), p)))
        .collect();

    // Everything that is not identical is dirty, and so is every file that
    // imports a dirty file, directly or not.
    let mut importers: HashMap<&str, Vec<&str>> = HashMap::new();
    for (name, parsed) in &identical {
        for import in &parsed.imports {
            importers.entry(import.as_str()).or_default().push(name);
        }
    }
    let mut dirty: HashSet<&str> = old_names
        .iter()
        .chain(&new_names)
        .map(String::as_str)
        .filter(|n| !identical.contains_key(n))
        .collect();
    let mut queue: VecDeque<&str> = dirty.iter().copied().collect();
    while let Some(name) = queue.pop_front() {
        for &importer in importers.get(name).map(Vec::as_slice).unwrap_or_default() {
            if dirty.insert(importer) {
                queue.push_back(importer);
            }
        }
    }

    identical.retain(|name, _| !dirty.contains(name));
    let roots = input::dir_roots(new_dir, includes);
    // Fields and enum values are names too: several per type name.
    let capacity = identical.values().map(|p| p.names.len() * 6).sum();
    let mut unchanged: Vec<(String, String)> = Vec::new();
    let mut unchanged_names = HashMap::new();
    let mut units = HashMap::with_capacity(identical.len());
    for (name, p) in identical {
        unchanged.push((name.to_owned(), p.package));
        for n in p.names {
            unchanged_names.insert(n, name.to_owned());
        }
        units.insert(name.to_owned(), p.unit);
    }
    unchanged.sort();
    let keep = |names: &[String]| -> HashSet<String> {
        names
            .iter()
            .filter(|n| dirty.contains(n.as_str()))
            .cloned()
            .collect()
    };
    Ok(Some((
        Pruned {
            old_compile: keep(&old_names),
            new_compile: keep(&new_names),
            unchanged,
            unchanged_names,
        },
        Unchanged {
            roots,
            units,
            capacity,
        },
    )))
}

/// The file's imports and package if it has the same bytes on both sides and
/// parses; anything else (different, unreadable, not UTF-8, a syntax error)
/// is left to the compiler, which reports it properly.
fn same_file(old_dir: &Path, new_dir: &Path, name: &str) -> Option<Parsed> {
    let a = crate::files::read_file(&old_dir.join(name)).ok()?;
    let b = crate::files::read_file(&new_dir.join(name)).ok()?;
    if a != b {
        return None;
    }
    let text = String::from_utf8(a).ok()?;
    let mut fd = protox_parse::parse(name, &text).ok()?;
    // Only its names are needed: a problem is located by parsing again.
    fd.source_code_info = None;
    crate::input::resolve::slim(&mut fd);
    let mut names = Vec::new();
    let prefix = if fd.package().is_empty() {
        String::new()
    } else {
        format!("{}.", fd.package())
    };
    collect_names(&prefix, &fd.message_type, &mut names);
    for e in &fd.enum_type {
        names.push(format!("{prefix}{}", e.name()));
    }
    for s in &fd.service {
        names.push(format!("{prefix}{}", s.name()));
    }
    for x in &fd.extension {
        names.push(format!("{prefix}{}", x.name()));
    }
    let package = fd.package().to_owned();
    let imports = fd.dependency.clone();
    let unit = match crate::input::resolve::outline(&mut fd) {
        Some(o) => Unit::Outline(o),
        None => Unit::Whole(Box::new(fd)),
    };
    Some(Parsed {
        package,
        imports,
        names,
        unit,
    })
}

impl Unchanged {
    /// Checks the unchanged files (the same on both sides, so the new side's
    /// are checked) as protoc would compile them, without compiling them:
    /// their imports are loaded (missing and cyclic imports are errors), the
    /// names of all of them and their imports collected (a name defined twice
    /// is an error), and every type name in them resolved.
    pub(crate) fn check(self) -> Result<(), InputError> {
        check_unchanged(&self.roots, self.units, self.capacity)
    }
}

fn check_unchanged(
    roots: &[PathBuf],
    mut parsed: HashMap<String, Unit>,
    capacity: usize,
) -> Result<(), InputError> {
    use protox::file::FileResolver;
    let google = protox::file::GoogleFileResolver::new();
    let mut names: Vec<String> = parsed.keys().cloned().collect();
    names.sort_unstable();
    let parse = |name: &str| -> Result<prost_types::FileDescriptorProto, protox::Error> {
        for root in roots {
            let Ok(bytes) = crate::files::read_file(&root.join(name)) else {
                continue;
            };
            let text = String::from_utf8(bytes).map_err(|_| {
                protox::Error::new(std::io::Error::other(format!(
                    "'{}' is not UTF-8",
                    input::display(&root.join(name))
                )))
            })?;
            return protox_parse::parse(name, &text).map_err(protox::Error::from);
        }
        Err(protox::Error::file_not_found(name))
    };
    // A file opened a second time is wanted whole (see `Loader`): it is
    // parsed again.
    let open = |name: &str| -> Result<Unit, protox::Error> {
        // As when compiling: protox's well-known types come first.
        if let Ok(file) = google.open_file(name) {
            return Ok(Unit::Whole(Box::new(file.into())));
        }
        if let Some(unit) = parsed.remove(name) {
            return Ok(unit);
        }
        parse(name).map(|fd| Unit::Whole(Box::new(fd)))
    };
    let mut loader = Loader::new(open, false, Symbols::with_capacity(capacity));
    let mut loaded: Vec<(u32, Unit)> = Vec::new();
    let mut result = Ok(());
    for name in &names {
        result = loader.load(name, &mut |i, unit| {
            loaded.push((i, unit));
            Ok(())
        });
        if result.is_err() {
            break;
        }
    }
    if result.is_ok() {
        let symbols = &loader.symbols;
        result = loaded
            .into_par_iter()
            .map(|(i, unit)| match unit {
                Unit::Whole(mut fd) => symbols.resolve(i, &mut fd),
                Unit::Outline(o) if symbols.outline_resolves(i, &o) => Ok(()),
                // The whole file tells what and where.
                Unit::Outline(o) => {
                    let name = o.name();
                    let mut fd = parse(name).map_err(|e| Problem {
                        file: name.to_owned(),
                        path: Vec::new(),
                        message: format!("cannot be read again: {e}"),
                        help: None,
                    })?;
                    symbols.resolve(i, &mut fd)
                }
            })
            .find_first(Result::is_err)
            .unwrap_or(Ok(()))
            .map_err(LoadError::At);
    }
    let Err(err) = result else {
        return Ok(());
    };
    // The file the error is in, as shown and with its text.
    let source = |name: &str| {
        roots.iter().find_map(|root| {
            let path = root.join(name);
            let text = String::from_utf8(crate::files::read_file(&path).ok()?).ok()?;
            Some(FileSource {
                display_path: input::display(&path),
                text: Some(SourceText::new(text)),
                reread: None,
                source_info: None,
                locations: None,
                revision: None,
            })
        })
    };
    Err(match err {
        LoadError::At(problem) => {
            let src = source(&problem.file);
            let display = src
                .as_ref()
                .map_or(problem.file.clone(), |s| s.display_path.clone());
            let text = src.as_ref().and_then(|s| s.text.as_ref());
            problem.into_error(Side::New, &display, text).into()
        }
        LoadError::Protox(err) => {
            let seen: HashMap<String, FileSource> = err
                .file()
                .and_then(|f| Some((f.to_owned(), source(f)?)))
                .into_iter()
                .collect();
            input::compile_error(Side::New, &err, &seen).into()
        }
    })
}

fn collect_names(prefix: &str, messages: &[prost_types::DescriptorProto], out: &mut Vec<String>) {
    for m in messages {
        let full = format!("{prefix}{}", m.name());
        for e in &m.enum_type {
            out.push(format!("{full}.{}", e.name()));
        }
        for x in &m.extension {
            out.push(format!("{full}.{}", x.name()));
        }
        collect_names(&format!("{full}."), &m.nested_type, out);
        out.push(full);
    }
}

/// A changed file that defines a name an unchanged file defines too: the
/// error a full compile would report.
pub(crate) fn check_duplicates(schema: &Schema, pruned: &Pruned) -> Result<(), InputError> {
    let defined = schema
        .target_messages()
        .map(|(_, m)| (m.file, m.full_name.as_str(), m.path.as_slice()))
        .chain(
            schema
                .target_enums()
                .map(|(_, e)| (e.file, e.full_name.as_str(), e.path.as_slice())),
        )
        .chain(
            schema
                .target_services()
                .map(|(_, s)| (s.file, s.full_name.as_str(), s.path.as_slice())),
        )
        .chain(
            schema
                .target_extensions()
                .map(|(f, x)| (f, x.full_name.as_str(), x.path.as_slice())),
        );
    for (file, name, path) in defined {
        let Some(other) = pruned.unchanged_names.get(name) else {
            continue;
        };
        let f = &schema.files[file];
        let mut name_path = path.to_vec();
        name_path.push(1);
        let span = f.span(&name_path).or_else(|| f.span(path));
        let message = format!("name '{name}' is already defined in '{other}'");
        return Err(CompileError {
            side: schema.side,
            location: match span {
                Some(s) => format!("{}:{}:{}: ", f.display_path, s.line, s.column),
                None => format!("{}: ", f.display_path),
            },
            message,
            path: Some(f.display_path.clone()),
            line: span.map(|s| s.line),
            column: span.map(|s| s.column),
            source_code: f.source().map(|t| {
                miette::NamedSource::new(f.display_path.clone(), t.text().clone())
                    .with_language("protobuf")
            }),
            labels: span
                .map(|s| {
                    vec![miette::LabeledSpan::new(
                        Some("defined again here".to_owned()),
                        s.offset,
                        s.len,
                    )]
                })
                .unwrap_or_default(),
            help: None,
        }
        .into());
    }
    Ok(())
}
