//! Reading a buf workspace (`crate::config::workspace` says where its modules
//! are): the old side of a workspace check, and what a missing dep has to do
//! with an import that does not resolve.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::workspace::{file_in, Module, Workspace};
use crate::input::error::InputError;
use crate::input::git::{GitError, GitModule};
use crate::input::Input;

impl From<&Module> for GitModule {
    /// The module's place, without its configuration (for the old side at a
    /// git revision).
    fn from(m: &Module) -> GitModule {
        GitModule {
            path: m.path.clone(),
            includes: m.includes.clone(),
            excludes: m.excludes.clone(),
        }
    }
}

/// An error of a check of workspace `ws`, with what its missing deps have to
/// do with it: an import that does not resolve while a dep is neither cached
/// nor given with `-I` is the dep's error, naming the dep (where the buf.yaml
/// lists it), the two ways out, and the import.
pub fn explain(ws: &Workspace, e: InputError) -> InputError {
    let unresolved = match &e {
        InputError::Compile(c) => is_unresolved_import(&c.message),
        InputError::Git(g) => matches!(**g, GitError::MissingRoot(_)),
        _ => false,
    };
    if !unresolved {
        return e;
    }
    let Some(mut c) = ws.missing_dep_error() else {
        return e;
    };
    c.message
        .push_str(&format!(", and an import does not resolve: {e}"));
    InputError::from(c)
}

/// Whether a compiler's message is about an import that was not found.
fn is_unresolved_import(message: &str) -> bool {
    let m = message.to_lowercase();
    m.contains("not found") || m.contains("does not exist") || m.contains("no such file")
}

/// The old side of a workspace check: a directory with a buf.yaml or
/// buf.work.yaml of its own is read as its own workspace; the same directory
/// at a git revision, or a directory without one, with NEW's modules.
pub fn old_side(old: Input, new: &Workspace, includes: &[PathBuf]) -> Result<Input, InputError> {
    match old {
        Input::Dir(dir) => match file_in(&dir) {
            Some(f) => Ok(Input::Workspace(Arc::new(Workspace::load(&f, includes)?))),
            None => Ok(Input::Workspace(Arc::new(Workspace {
                root: dir,
                // NEW's missing deps are NEW's to report.
                missing_deps: Vec::new(),
                ..new.clone()
            }))),
        },
        // The workspace's own directory at the revision (`git:REF`, or
        // `git:REF:PATH` naming it): read with its modules.
        Input::Git(mut g) if g.is_dir && is_repo_path(&new.root, &g.repo, &g.path) => {
            g.modules = new.modules.iter().map(GitModule::from).collect();
            Ok(Input::Git(g))
        }
        other => Ok(other),
    }
}

/// Whether `dir` on disk is the directory `path` of the repository at `repo`.
fn is_repo_path(dir: &Path, repo: &Path, path: &str) -> bool {
    let (Ok(dir), Ok(repo)) = (std::fs::canonicalize(dir), std::fs::canonicalize(repo)) else {
        return false;
    };
    dir.strip_prefix(&repo).is_ok_and(|rel| {
        let rel: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        rel.join("/") == path
    })
}
