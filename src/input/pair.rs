//! The two sides made comparable: both compiled (in parallel), imports
//! demoted where the other side only imports a file, two single files paired
//! whatever their names, and each file's workspace module recorded.

use std::path::PathBuf;

use crate::input::error::InputError;
use crate::input::Input;
use crate::schema::{Schema, Side};

/// An import not found at a git revision: a missing root, not a broken schema.
pub(crate) fn explain(e: InputError, input: &Input, includes: &[PathBuf]) -> InputError {
    match input {
        Input::Git(g) => crate::input::git::explain_missing_import(e, g, includes),
        _ => e,
    }
}

/// Records the module of each input file of a workspace.
pub(crate) fn assign_modules(
    input: &Input,
    schema: &mut Schema,
    includes: &[PathBuf],
) -> Result<(), InputError> {
    match input {
        Input::Workspace(ws) => {
            let side = schema.side;
            schema.module_of = crate::input::plan_workspace(side, ws, includes)?.2;
        }
        Input::Git(g) if !g.modules.is_empty() => {
            schema.module_of = crate::input::git::plan_modules(schema.side, g)?.2;
        }
        _ => {}
    }
    Ok(())
}

/// Makes the old side comparable with the new: a descriptor set does not say
/// which of its files were imports, so a file the new side only imports is
/// an import here too; and two single files are compared with each other
/// whatever their names.
pub(crate) fn pair_old(old: &Input, new: &Input, old_schema: &mut Schema, new_schema: &Schema) {
    old_schema.demote_imports_of(new_schema);
    if old.is_single_file() && new.is_single_file() {
        let o = old_schema
            .target_files()
            .next()
            .map(|(_, f)| f.name.clone());
        let n = new_schema
            .target_files()
            .next()
            .map(|(_, f)| f.name.clone());
        if let (Some(o), Some(n)) = (o, n) {
            old_schema.rename_file(&o, &n);
        }
    }
}

/// Compiles both sides completely (in parallel), paired as `crate::check` pairs
/// them: what the round trip needs (every message, and the descriptor pools).
pub fn compile_pair(
    old: &Input,
    new: &Input,
    includes: &[PathBuf],
) -> Result<(Schema, Schema), InputError> {
    let (old_schema, new_schema) = std::thread::scope(|s| {
        let o = s.spawn(|| crate::input::compile(Side::Old, old, includes));
        let n = crate::input::compile(Side::New, new, includes);
        let o = o.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
        (o, n)
    });
    let mut old_schema = old_schema?;
    let mut new_schema = new_schema?;
    new_schema.demote_imports_of(&old_schema);
    pair_old(old, new, &mut old_schema, &new_schema);
    assign_modules(old, &mut old_schema, includes)?;
    assign_modules(new, &mut new_schema, includes)?;
    Ok((old_schema, new_schema))
}
