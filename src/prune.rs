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
//! package-level rules and the summary.

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::Error;
use crate::input::{self, Input};
use crate::schema::Side;

/// Which input files each side must compile.
#[derive(Debug, Default)]
pub(crate) struct Pruned {
    pub old_compile: HashSet<String>,
    pub new_compile: HashSet<String>,
    /// Unchanged files: (import name, package).
    pub unchanged: Vec<(String, String)>,
}

struct Parsed {
    imports: Vec<String>,
    package: String,
}

/// Both sides are directories: decides what to compile. `None` for other inputs.
pub(crate) fn plan(
    old: &Input,
    new: &Input,
    includes: &[PathBuf],
) -> Result<Option<Pruned>, Error> {
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

    let identical: HashMap<&str, Parsed> = common
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

    let mut unchanged: Vec<(String, String)> = identical
        .iter()
        .filter(|(name, _)| !dirty.contains(*name))
        .map(|(name, p)| ((*name).to_owned(), p.package.clone()))
        .collect();
    unchanged.sort();
    let keep = |names: &[String]| -> HashSet<String> {
        names
            .iter()
            .filter(|n| dirty.contains(n.as_str()))
            .cloned()
            .collect()
    };
    Ok(Some(Pruned {
        old_compile: keep(&old_names),
        new_compile: keep(&new_names),
        unchanged,
    }))
}

/// The file's imports and package if it has the same bytes on both sides and
/// parses; anything else (different, unreadable, not UTF-8, a syntax error)
/// is left to the compiler, which reports it properly.
fn same_file(old_dir: &Path, new_dir: &Path, name: &str) -> Option<Parsed> {
    let a = std::fs::read(old_dir.join(name)).ok()?;
    let b = std::fs::read(new_dir.join(name)).ok()?;
    if a != b {
        return None;
    }
    let text = String::from_utf8(a).ok()?;
    let fd = protox_parse::parse(name, &text).ok()?;
    Some(Parsed {
        package: fd.package().to_owned(),
        imports: fd.dependency,
    })
}
