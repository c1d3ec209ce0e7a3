//! Checking files with prost-reflect's descriptor pool without holding every
//! file in one pool.
//!
//! The pool checks what our loader does not (field numbers, reserved ranges,
//! JSON names, defaults, options...) and interprets options; the descriptors
//! it gives back are what the model is built from. It also keeps two copies
//! of every file plus an index of every element: several times the size of
//! the descriptors, most of a large check's memory. But what it checks about
//! a file needs only that file and its imports, direct or not (the one check
//! across unrelated files, a name defined twice, is the loader's, over all of
//! them). So unless the caller wants the pool itself (the round trip), files
//! go into a pool until it holds about [`BATCH_ELEMENTS`] elements; then a new
//! pool starts, into which each file's imports are added again (as the first
//! pool gave them back) before the file itself. Imports that pool after pool
//! needs again (`google/protobuf/descriptor.proto`, a project's common types)
//! are kept in a base pool, and new pools start as a copy of it: copying a
//! pool is cheaper than adding its files again.

use std::collections::HashMap;

use prost_reflect::{DescriptorError, DescriptorPool};
use prost_types::{DescriptorProto, FileDescriptorProto};

/// About how many messages, fields, enums, values, services and methods a
/// pool holds before the next file starts a new one (twice as many while the
/// files come from one directory): a few tens of MB of pool, and few enough
/// pools that adding imports again stays cheap.
const BATCH_ELEMENTS: usize = 20_000;

/// The files checked so far, as the pool gave them back, in the order they
/// were added (imports first).
pub(crate) struct Pools {
    /// One pool for everything, kept (no batches).
    keep: bool,
    pool: DescriptorPool,
    /// How many elements the current pool holds.
    elements: usize,
    /// Whether each file (by index into `files`) is in the current pool.
    in_pool: Vec<bool>,
    /// What new pools start from: the files added again to two pools.
    base: DescriptorPool,
    in_base: Vec<bool>,
    base_elements: usize,
    /// How many pools each file was added to again.
    again: Vec<u8>,
    files: Vec<FileDescriptorProto>,
    /// Each file's imports, as indices into `files`.
    imports: Vec<Vec<usize>>,
    index: HashMap<String, usize>,
    /// How many pools were started after the first.
    restarts: usize,
}

impl Pools {
    /// `keep`: one pool, which [`Pools::finish`] gives back.
    pub(crate) fn new(keep: bool) -> Pools {
        Pools {
            keep,
            pool: DescriptorPool::new(),
            elements: 0,
            in_pool: Vec::new(),
            base: DescriptorPool::new(),
            in_base: Vec::new(),
            base_elements: 0,
            again: Vec::new(),
            files: Vec::new(),
            imports: Vec::new(),
            index: HashMap::new(),
            restarts: 0,
        }
    }

    /// Checks a file whose imports were added before, and keeps it.
    pub(crate) fn add(&mut self, fd: FileDescriptorProto) -> Result<(), DescriptorError> {
        let imports: Vec<usize> = fd
            .dependency
            .iter()
            .filter_map(|d| self.index.get(d).copied())
            .collect();
        let elements = count_elements(&fd);
        // A new pool starts between directories where it can: files of one
        // directory import each other, and all of a directory's files in
        // one pool are added once.
        let dir = fd.name().rsplit_once('/').map_or("", |(d, _)| d);
        let full = match self.files.last() {
            Some(last) if last.name().rsplit_once('/').map_or("", |(d, _)| d) == dir => {
                self.elements + elements > 2 * BATCH_ELEMENTS
            }
            _ => self.elements + elements > BATCH_ELEMENTS,
        };
        if !self.keep && self.elements > self.base_elements && full {
            self.pool = self.base.clone();
            self.in_pool.clone_from(&self.in_base);
            self.elements = self.base_elements;
            self.restarts += 1;
        }
        for &i in &imports {
            self.bring(i)?;
        }
        let name = fd.name().to_owned();
        self.pool.add_file_descriptor_proto(fd)?;
        self.elements += elements;
        let back = self
            .pool
            .get_file_by_name(&name)
            .map(|f| f.file_descriptor_proto().clone())
            .unwrap_or_default();
        self.index.insert(name, self.files.len());
        self.files.push(back);
        self.imports.push(imports);
        self.in_pool.push(true);
        self.in_base.push(false);
        self.again.push(0);
        Ok(())
    }

    /// Adds file `i` (a file checked before) and its imports to the current
    /// pool if they are not in it. Those wanted by a second pool after their
    /// own are likely wanted by every pool: they go into the base too (which
    /// stays well below a pool's size, or every pool would be full from the
    /// start).
    fn bring(&mut self, i: usize) -> Result<(), DescriptorError> {
        let mut added = Vec::new();
        self.elements += add_with_imports(
            &self.files,
            &self.imports,
            &mut self.pool,
            &mut self.in_pool,
            i,
            &mut added,
        )?;
        for k in added {
            self.again[k] = self.again[k].saturating_add(1);
            if self.again[k] >= 2 && !self.in_base[k] && self.base_elements < BATCH_ELEMENTS / 4 {
                self.base_elements += add_with_imports(
                    &self.files,
                    &self.imports,
                    &mut self.base,
                    &mut self.in_base,
                    k,
                    &mut Vec::new(),
                )?;
            }
        }
        Ok(())
    }

    /// The files as the pool gave them back, in order, and the pool if it
    /// was kept.
    pub(crate) fn finish(self) -> (Vec<FileDescriptorProto>, Option<DescriptorPool>) {
        (self.files, self.keep.then_some(self.pool))
    }
}

/// Adds file `i` of `files` to `pool`, its imports (`imports[i]`) first,
/// each only if `present` says it is missing; lists the files added in
/// `added` and gives how many elements they have.
fn add_with_imports(
    files: &[FileDescriptorProto],
    imports: &[Vec<usize>],
    pool: &mut DescriptorPool,
    present: &mut [bool],
    i: usize,
    added: &mut Vec<usize>,
) -> Result<usize, DescriptorError> {
    if present[i] {
        return Ok(0);
    }
    // Imports form no cycle (the loader rejects them): the recursion ends,
    // and is as deep as the chain of imports.
    let mut elements = 0;
    for &k in &imports[i] {
        elements += add_with_imports(files, imports, pool, present, k, added)?;
    }
    pool.add_file_descriptor_proto(files[i].clone())?;
    present[i] = true;
    added.push(i);
    Ok(elements + count_elements(&files[i]))
}

/// How many elements (messages, fields, enums, enum values, services,
/// methods, extensions) a file defines: what a pool's size grows with.
fn count_elements(fd: &FileDescriptorProto) -> usize {
    fn message(m: &DescriptorProto) -> usize {
        1 + m.field.len()
            + m.extension.len()
            + m.enum_type.iter().map(|e| 1 + e.value.len()).sum::<usize>()
            + m.nested_type.iter().map(message).sum::<usize>()
    }
    1 + fd.message_type.iter().map(message).sum::<usize>()
        + fd.enum_type
            .iter()
            .map(|e| 1 + e.value.len())
            .sum::<usize>()
        + fd.service.iter().map(|s| 1 + s.method.len()).sum::<usize>()
        + fd.extension.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, imports: &[&str], body: &str) -> FileDescriptorProto {
        let mut fd = protox_parse::parse(name, body).expect("parses");
        fd.dependency = imports.iter().map(|s| (*s).to_owned()).collect();
        fd
    }

    #[test]
    fn a_new_pool_gets_the_imports_again() {
        let mut pools = Pools::new(false);
        let base = file(
            "base.proto",
            &[],
            "syntax = \"proto3\"; package b; message Base { int32 x = 1; }",
        );
        pools.add(base).expect("base is valid");
        // Enough files (of 500 fields each, each in a directory of its own)
        // to start three pools after the first, each using base.proto.
        let n = 3 * BATCH_ELEMENTS / 500 + 3;
        for i in 0..n {
            let fields: String = (1..=500).map(|n| format!("b.Base f{n} = {n}; ")).collect();
            let text = format!(
                "syntax = \"proto3\"; package p{i}; import \"base.proto\"; message M {{ {fields} }}"
            );
            let mut fd = file(&format!("d{i}/f.proto"), &["base.proto"], &text);
            for f in &mut fd.message_type[0].field {
                f.type_name = Some(".b.Base".to_owned());
                f.set_type(prost_types::field_descriptor_proto::Type::Message);
            }
            pools.add(fd).expect("each file is valid in its pool");
        }
        assert_eq!(pools.restarts, 3);
        // Added again to the second and third pools: the fourth starts with it.
        assert_eq!(pools.again[0], 2);
        assert!(pools.in_base[0]);
        let (files, pool) = pools.finish();
        assert!(pool.is_none());
        assert_eq!(files.len(), n + 1);
        assert_eq!(files[n].message_type[0].field[499].type_name(), ".b.Base");
    }

    #[test]
    fn files_of_one_directory_share_a_pool_up_to_twice_the_size() {
        let mut pools = Pools::new(false);
        for i in 0..(BATCH_ELEMENTS / 500 + 3) {
            let fields: String = (1..=500).map(|n| format!("int32 f{n} = {n}; ")).collect();
            let text = format!("syntax = \"proto3\"; package p{i}; message M {{ {fields} }}");
            pools
                .add(file(&format!("same/f{i}.proto"), &[], &text))
                .expect("valid");
        }
        assert_eq!(pools.restarts, 0);
    }

    #[test]
    fn a_problem_in_a_later_pool_is_still_found() {
        let mut pools = Pools::new(false);
        pools.elements = BATCH_ELEMENTS;
        let bad = file(
            "bad.proto",
            &[],
            "syntax = \"proto3\"; message M { int32 a = 1; int32 b = 1; }",
        );
        let err = pools.add(bad).expect_err("field number used twice");
        assert!(
            err.to_string().contains("number '1' is already used"),
            "{err}"
        );
    }

    #[test]
    fn a_kept_pool_holds_every_file() {
        let mut pools = Pools::new(true);
        pools.elements = BATCH_ELEMENTS;
        pools
            .add(file("a.proto", &[], "syntax = \"proto3\"; message A {}"))
            .expect("valid");
        pools
            .add(file("b.proto", &[], "syntax = \"proto3\"; message B {}"))
            .expect("valid");
        let (_, pool) = pools.finish();
        assert_eq!(pool.expect("kept").files().len(), 2);
    }
}
