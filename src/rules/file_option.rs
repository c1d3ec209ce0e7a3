//! The `FILE_SAME_<OPTION>` rules' shared check of one file option.

use prost_types::FileOptions;

use crate::engine::fix::{self, ProposedEdit, Suggestion, Target};
use crate::engine::{Cx, FilePair, Part};

/// One field of `FileOptions`, compared by the `FILE_SAME_<OPTION>` rules.
pub struct FileOption {
    /// The option as written after `option`, e.g. `java_package`.
    pub name: &'static str,
    /// Its field number in `FileOptions` (where findings point).
    pub number: i32,
    /// Its effective value written as in a .proto file: an unset option has
    /// descriptor.proto's default (`""`, `false`, `true` for
    /// `cc_enable_arenas`, `SPEED` for `optimize_for`).
    pub value: fn(&FileOptions) -> String,
    /// What changing it breaks, as a clause for the help text.
    pub breaks: &'static str,
}

impl FileOption {
    /// Reports a change of the effective value in a file present on both sides.
    pub fn check(&self, cx: &mut Cx, p: &FilePair) {
        let (Some(old), Some(new)) = (p.old, p.new) else {
            return;
        };
        let default = FileOptions::default();
        let value = |o: &Option<FileOptions>| (self.value)(o.as_ref().unwrap_or(&default));
        let (before, after) = (value(&old.options), value(&new.options));
        if before == after {
            return;
        }
        let unset = before == (self.value)(&default);
        let tail = format!(": {}", self.breaks);
        let fix = match self.edit(cx, p, unset, &before) {
            Some(edit) if unset => Suggestion::new(
                &format!("remove the option (the default is {before})"),
                vec![edit],
                &tail,
            ),
            Some(edit) => Suggestion::new("restore the old value", vec![edit], &tail),
            None if unset => Suggestion::new(
                &format!(
                    "remove `option {} = {after};` (the default is {before})",
                    self.name
                ),
                Vec::new(),
                &tail,
            ),
            None => Suggestion::new(
                &format!("restore `option {} = {before};`", self.name),
                Vec::new(),
                &tail,
            ),
        };
        cx.report(
            p.at(Part::Option(self.number)),
            format!(
                "file \"{}\" changed option \"{}\" from {before} to {after}",
                p.name, self.name
            ),
        )
        .suggest(fix);
    }

    /// Rewrites (or deletes) the option's statement in the new file, or adds
    /// it after the package (or syntax) statement.
    fn edit(&self, cx: &Cx, p: &FilePair, unset: bool, before: &str) -> Option<ProposedEdit> {
        let idx = p.new_index()?;
        let file = cx.new.files.get(idx)?;
        let statement = format!("option {} = {before};", self.name);
        if let Some(now) = fix::text_of(file, &[8, self.number]) {
            if !(now.starts_with("option") && now.ends_with(';')) {
                return None;
            }
            let with = if unset { String::new() } else { statement };
            return Some(ProposedEdit::replace(
                Target::new(idx, &[8, self.number]),
                now,
                with,
            ));
        }
        if unset {
            return None;
        }
        [[2], [12], [14]].iter().find_map(|path| {
            let after = fix::one_line(file, path)?;
            Some(ProposedEdit::insert_after(
                Target::new(idx, path),
                after,
                statement.clone(),
            ))
        })
    }
}
