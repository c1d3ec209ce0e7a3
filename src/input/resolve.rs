//! Loading `.proto` files and resolving their type names as protoc does.
//!
//! prost-reflect looks a partly-qualified name's first component up among
//! every package loaded so far, and accepts a type from any file imported
//! transitively. protoc looks only at what the file can see: its own symbols,
//! those of its direct imports and, through them, of their public imports
//! (a package counts only if one of those files is in it or below it). So
//! every file is parsed, its imports loaded first, and every type reference
//! (field types, extendees, method input and output types, custom option
//! names) resolved here with protoc's rules over the visible symbols; the
//! compiler then only sees fully-qualified names. The same walk checks what
//! protoc checks and prost-reflect does not (see [`check_file`]), and runs
//! without a compiler over files that are only parsed (see `crate::input::prune`).

use std::collections::{HashMap, HashSet};

use prost_types::{
    uninterpreted_option::NamePart, DescriptorProto, EnumDescriptorProto, FieldDescriptorProto,
    FileDescriptorProto, UninterpretedOption,
};

/// What a name is, as far as resolution is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Package,
    Message,
    Enum,
    EnumValue,
    Field,
    Oneof,
    Service,
    Method,
    Extension,
}

impl Kind {
    fn is_type(self) -> bool {
        matches!(self, Kind::Message | Kind::Enum)
    }

    /// A name that can have names inside it.
    fn is_aggregate(self) -> bool {
        matches!(
            self,
            Kind::Message | Kind::Enum | Kind::Service | Kind::Package
        )
    }
}

/// Something protoc rejects: in `file` (an import name), at `path` in its
/// descriptor (the nearest located element is shown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub file: String,
    pub path: Vec<i32>,
    pub message: String,
    pub help: Option<String>,
}

struct FileInfo {
    name: String,
    package: String,
    proto3: bool,
    deps: Vec<u32>,
    public: Vec<u32>,
}

/// Every name defined by the files added so far.
#[derive(Default)]
pub(crate) struct Symbols {
    defs: HashMap<Box<str>, (Kind, u32), Fast>,
    /// Extension ranges of the messages that have some (end exclusive).
    extension_ranges: HashMap<Box<str>, Vec<(i32, i32)>, Fast>,
    files: Vec<FileInfo>,
}

impl Symbols {
    /// Room for about `names` names.
    pub(crate) fn with_capacity(names: usize) -> Symbols {
        Symbols {
            defs: HashMap::with_capacity_and_hasher(names, Fast::default()),
            ..Symbols::default()
        }
    }

    /// Adds a file whose imports (`deps`, in the order of its `import`
    /// statements) were added before. Gives its index, or the first name it
    /// defines again.
    pub(crate) fn add_file(
        &mut self,
        fd: &FileDescriptorProto,
        deps: Vec<u32>,
    ) -> Result<u32, Problem> {
        let index = self.files.len() as u32;
        let public = fd
            .public_dependency
            .iter()
            .filter_map(|&i| deps.get(usize::try_from(i).ok()?).copied())
            .collect();
        self.files.push(FileInfo {
            name: fd.name().to_owned(),
            package: fd.package().to_owned(),
            proto3: fd.syntax() == "proto3",
            deps,
            public,
        });
        let mut adder = Adder {
            symbols: self,
            file: index,
            problem: None,
        };
        let pkg = fd.package();
        if !pkg.is_empty() {
            let mut end = 0;
            for part in pkg.split('.') {
                end += part.len();
                adder.add(pkg[..end].to_owned(), Kind::Package, &[2], &[]);
                end += 1;
            }
        }
        let prefix = scope_prefix(pkg);
        for (i, m) in fd.message_type.iter().enumerate() {
            adder.message(&prefix, m, &[4, i as i32]);
        }
        for (i, e) in fd.enum_type.iter().enumerate() {
            adder.enumeration(&prefix, e, &[5, i as i32]);
        }
        for (i, s) in fd.service.iter().enumerate() {
            let full = cat(&prefix, s.name());
            let path = [6, i as i32];
            adder.add(full.clone(), Kind::Service, &path, &[]);
            for (j, m) in s.method.iter().enumerate() {
                adder.add(
                    cat(&full, &cat(".", m.name())),
                    Kind::Method,
                    &[6, i as i32, 2, j as i32],
                    &[],
                );
            }
        }
        for (i, x) in fd.extension.iter().enumerate() {
            adder.add(cat(&prefix, x.name()), Kind::Extension, &[7, i as i32], &[]);
        }
        match adder.problem {
            Some(p) => Err(p),
            None => Ok(index),
        }
    }

    /// The files `index` sees through chains of public imports beyond its
    /// direct imports' own (`a` imports `b`, which publicly imports `c`,
    /// which publicly imports `d`: `d`). protoc sees them; prost-reflect
    /// follows one level only.
    fn deep_public(&self, index: u32) -> Vec<u32> {
        let info = &self.files[index as usize];
        let mut near: HashSet<u32> = info.deps.iter().copied().collect();
        for &d in &info.deps {
            near.extend(&self.files[d as usize].public);
        }
        let mut out = Vec::new();
        let mut seen = near.clone();
        let mut stack: Vec<u32> = near.iter().copied().collect();
        while let Some(f) = stack.pop() {
            for &p in &self.files[f as usize].public {
                if seen.insert(p) {
                    out.push(p);
                    stack.push(p);
                }
            }
        }
        out.sort_unstable();
        out
    }

    /// Resolves every type name of file `index` (as added) in place to a
    /// fully-qualified one, and checks what protoc checks; the first problem
    /// found is returned.
    pub(crate) fn resolve(&self, index: u32, fd: &mut FileDescriptorProto) -> Result<(), Problem> {
        let mut r = self.resolver(index);
        r.walk(fd);
        match r.problem {
            Some(p) => Err(p),
            None => Ok(()),
        }
    }
}

impl Symbols {
    /// A resolver for file `index`: what it can see.
    fn resolver(&self, index: u32) -> Resolver<'_> {
        let mut visible = HashSet::default();
        visible.insert(index);
        let mut stack: Vec<u32> = self.files[index as usize].deps.clone();
        while let Some(f) = stack.pop() {
            if visible.insert(f) {
                stack.extend(&self.files[f as usize].public);
            }
        }
        let mut packages = HashSet::default();
        for &f in &visible {
            let pkg = self.files[f as usize].package.as_str();
            if pkg.is_empty() {
                continue;
            }
            packages.insert(pkg);
            for (i, _) in pkg.match_indices('.') {
                packages.insert(&pkg[..i]);
            }
        }
        Resolver {
            symbols: self,
            file: index,
            proto3: self.files[index as usize].proto3,
            visible,
            packages,
            problem: None,
            record: None,
            in_message: false,
        }
    }
}

impl Resolver<'_> {
    fn walk(&mut self, fd: &mut FileDescriptorProto) {
        let r = self;
        let pkg = fd.package().to_owned();
        let prefix = scope_prefix(&pkg);
        for (i, m) in fd.message_type.iter_mut().enumerate() {
            r.message(&prefix, m, &[4, i as i32]);
        }
        for (i, e) in fd.enum_type.iter_mut().enumerate() {
            r.enumeration(&prefix, e, &[5, i as i32]);
        }
        for (i, x) in fd.extension.iter_mut().enumerate() {
            r.field(&prefix, x, &[7, i as i32]);
        }
        for (i, s) in fd.service.iter_mut().enumerate() {
            let full = cat(&prefix, s.name());
            let path = [6, i as i32];
            if let Some(o) = &mut s.options {
                r.options(&full, &mut o.uninterpreted_option, &path, 3);
            }
            for (j, m) in s.method.iter_mut().enumerate() {
                let method = cat(&full, &cat(".", m.name()));
                let path = [6, i as i32, 2, j as i32];
                for (tag, name) in [(2, &mut m.input_type), (3, &mut m.output_type)] {
                    if let Some(n) = name {
                        if let Some(full) = r.message_type(n, &method, &path, tag) {
                            *n = full;
                        }
                    }
                }
                if let Some(o) = &mut m.options {
                    r.options(&method, &mut o.uninterpreted_option, &path, 4);
                }
            }
        }
        if let Some(o) = &mut fd.options {
            r.options(&format!("{pkg}.dummy"), &mut o.uninterpreted_option, &[], 8);
        }
    }
}

/// `a` followed by `b`, without the formatting machinery (this runs for
/// every name of every file).
fn cat(a: &str, b: &str) -> String {
    let mut s = String::with_capacity(a.len() + b.len());
    s.push_str(a);
    s.push_str(b);
    s
}

/// Names are hashed by the million, and come from local files: foldhash's
/// fast hasher, not std's SipHash.
type Fast = foldhash::fast::FixedState;

fn scope_prefix(pkg: &str) -> String {
    if pkg.is_empty() {
        String::new()
    } else {
        format!("{pkg}.")
    }
}

fn join(path: &[i32], more: &[i32]) -> Vec<i32> {
    let mut p = Vec::with_capacity(path.len() + more.len());
    p.extend_from_slice(path);
    p.extend_from_slice(more);
    p
}

struct Adder<'a> {
    symbols: &'a mut Symbols,
    file: u32,
    problem: Option<Problem>,
}

impl Adder<'_> {
    /// Adds `name`, defined by the element at `path` + `more`.
    fn add(&mut self, name: String, kind: Kind, path: &[i32], more: &[i32]) {
        // Built to its exact length: boxing it does not copy.
        let name = name.into_boxed_str();
        if let Some((old_kind, old_file)) = self.symbols.defs.get(&name) {
            if kind == Kind::Package && *old_kind == Kind::Package {
                return;
            }
            if self.problem.is_none() {
                let message = if *old_file == self.file {
                    format!("name '{name}' is defined twice")
                } else {
                    format!(
                        "name '{name}' is already defined in '{}'",
                        self.symbols.files[*old_file as usize].name
                    )
                };
                let mut name_path = join(path, more);
                if kind != Kind::Package {
                    name_path.push(1);
                }
                self.problem = Some(Problem {
                    file: self.symbols.files[self.file as usize].name.clone(),
                    path: name_path,
                    message,
                    help: None,
                });
            }
            return;
        }
        self.symbols.defs.insert(name, (kind, self.file));
    }

    fn message(&mut self, prefix: &str, m: &DescriptorProto, path: &[i32]) {
        let full = cat(prefix, m.name());
        self.add(full.clone(), Kind::Message, path, &[]);
        if !m.extension_range.is_empty() {
            self.symbols.extension_ranges.insert(
                full.as_str().into(),
                m.extension_range
                    .iter()
                    .map(|r| (r.start(), r.end()))
                    .collect(),
            );
        }
        let inner = format!("{full}.");
        for (i, f) in m.field.iter().enumerate() {
            self.add(cat(&inner, f.name()), Kind::Field, path, &[2, i as i32]);
        }
        for (i, o) in m.oneof_decl.iter().enumerate() {
            self.add(cat(&inner, o.name()), Kind::Oneof, path, &[8, i as i32]);
        }
        for (i, n) in m.nested_type.iter().enumerate() {
            self.message(&inner, n, &join(path, &[3, i as i32]));
        }
        for (i, e) in m.enum_type.iter().enumerate() {
            self.enumeration(&inner, e, &join(path, &[4, i as i32]));
        }
        for (i, x) in m.extension.iter().enumerate() {
            self.add(cat(&inner, x.name()), Kind::Extension, path, &[6, i as i32]);
        }
    }

    fn enumeration(&mut self, prefix: &str, e: &EnumDescriptorProto, path: &[i32]) {
        self.add(cat(prefix, e.name()), Kind::Enum, path, &[]);
        // Enum values are siblings of their enum (C++ scoping).
        for (i, v) in e.value.iter().enumerate() {
            self.add(cat(prefix, v.name()), Kind::EnumValue, path, &[2, i as i32]);
        }
    }
}

struct Resolver<'a> {
    symbols: &'a Symbols,
    file: u32,
    proto3: bool,
    visible: HashSet<u32, Fast>,
    packages: HashSet<&'a str, Fast>,
    problem: Option<Problem>,
    /// Outlining ([`Outline`]): references are recorded here instead of
    /// resolved; the checks that need no other file run as usual.
    record: Option<Refs>,
    /// The field being walked is a message's own (not an extension).
    in_message: bool,
}

/// Why a name did not resolve.
#[derive(Default)]
struct Miss {
    /// Defined in a file that is not imported: (full name, file index).
    undeclared: Option<(String, u32)>,
    /// The first component was found, the rest not there.
    resolved_to: Option<String>,
}

impl Resolver<'_> {
    fn fail(&mut self, path: Vec<i32>, message: String, help: Option<String>) {
        if self.problem.is_none() {
            self.problem = Some(Problem {
                file: self.symbols.files[self.file as usize].name.clone(),
                path,
                message,
                help,
            });
        }
    }

    /// protoc's `FindSymbol`: a name this file can see.
    fn find(&self, name: &str, miss: &mut Miss) -> Option<Kind> {
        if self.packages.contains(name) {
            return Some(Kind::Package);
        }
        match self.symbols.defs.get(name) {
            Some((kind, file)) if *kind != Kind::Package && self.visible.contains(file) => {
                Some(*kind)
            }
            Some((_, file)) => {
                miss.undeclared = Some((name.to_owned(), *file));
                None
            }
            None => None,
        }
    }

    /// protoc's `LookupSymbol`: `name` as written, looked up from the
    /// innermost scope of `relative_to` (the full name of the element that
    /// refers to it) outwards. With `types_only`, a simple name that is not
    /// a message or enum is passed over. Gives the full name with a leading
    /// dot.
    fn lookup(
        &self,
        name: &str,
        relative_to: &str,
        types_only: bool,
    ) -> Result<(String, Kind), Miss> {
        self.lookup_in(name, scope_of(relative_to), types_only)
    }

    /// [`Self::lookup`] from `scope` (`relative_to` without its last
    /// component).
    fn lookup_in(
        &self,
        name: &str,
        mut scope: &str,
        types_only: bool,
    ) -> Result<(String, Kind), Miss> {
        let mut miss = Miss::default();
        if let Some(full) = name.strip_prefix('.') {
            return match self.find(full, &mut miss) {
                Some(kind) => Ok((name.to_owned(), kind)),
                None => Err(miss),
            };
        }
        let first = name.split('.').next().unwrap_or_default();
        let mut buf = String::with_capacity(scope.len() + name.len() + 2);
        loop {
            buf.clear();
            buf.push('.');
            if scope.is_empty() {
                buf.push_str(name);
                return match self.find(&buf[1..], &mut miss) {
                    Some(kind) => Ok((buf, kind)),
                    None => Err(miss),
                };
            }
            buf.push_str(scope);
            buf.push('.');
            buf.push_str(first);
            if let Some(kind) = self.find(&buf[1..], &mut miss) {
                if first.len() < name.len() {
                    if kind.is_aggregate() {
                        buf.push_str(&name[first.len()..]);
                        return match self.find(&buf[1..], &mut miss) {
                            Some(kind) => Ok((buf, kind)),
                            None => {
                                miss.resolved_to = Some(buf[1..].to_owned());
                                Err(miss)
                            }
                        };
                    }
                } else if !types_only || kind.is_type() {
                    return Ok((buf, kind));
                }
            }
            scope = scope.rfind('.').map_or("", |d| &scope[..d]);
        }
    }

    fn not_found(&mut self, name: &str, miss: Miss, path: Vec<i32>) {
        let this = &self.symbols.files[self.file as usize].name;
        let help = miss.undeclared.as_ref().map(|(full, f)| {
            format!(
                "'{full}' is defined in '{}', which is not imported by '{this}'",
                self.symbols.files[*f as usize].name
            )
        });
        match miss.resolved_to {
            Some(to) => self.fail(
                path,
                format!("'{name}' resolves to '{to}', which is not defined"),
                Some(help.unwrap_or_else(|| {
                    "the innermost scope that defines the name's first component is searched; \
                     a leading '.' starts from the outermost scope"
                        .to_owned()
                })),
            ),
            None => self.fail(path, format!("name '{name}' is not defined"), help),
        }
    }

    /// A message type for an extendee or a method's input or output:
    /// the fully-qualified name, with a leading dot.
    fn message_type(
        &mut self,
        name: &str,
        relative_to: &str,
        path: &[i32],
        tag: i32,
    ) -> Option<String> {
        if let Some(refs) = &mut self.record {
            refs.push(name, scope_of(relative_to), What::Message);
            return None;
        }
        match self.lookup(name, relative_to, false) {
            Ok((full, Kind::Message)) => Some(full),
            Ok((full, _)) => {
                self.fail(
                    join(path, &[tag]),
                    format!("'{}' is not a message type", &full[1..]),
                    None,
                );
                None
            }
            Err(miss) => {
                self.not_found(name, miss, join(path, &[tag]));
                None
            }
        }
    }

    fn message(&mut self, prefix: &str, m: &mut DescriptorProto, path: &[i32]) {
        let full = cat(prefix, m.name());
        let inner = format!("{full}.");
        self.check_message(m, path);
        if let Some(o) = &mut m.options {
            self.options(&full, &mut o.uninterpreted_option, path, 7);
        }
        for (i, f) in m.field.iter_mut().enumerate() {
            // Nothing to resolve in most fields (a scalar, no options).
            if f.type_name.is_none() && f.options.is_none() && f.extendee.is_none() {
                continue;
            }
            self.in_message = true;
            self.field(&inner, f, &join(path, &[2, i as i32]));
            self.in_message = false;
            if self.record.is_some() {
                continue;
            }
            if let Some(t) = f.type_name.as_deref().and_then(|t| t.strip_prefix('.')) {
                self.check_open_enum(t, &full, path, [2, i as i32, 6]);
            }
        }
        for (i, x) in m.extension.iter_mut().enumerate() {
            self.field(&inner, x, &join(path, &[6, i as i32]));
        }
        for (i, o) in m.oneof_decl.iter_mut().enumerate() {
            if let Some(opts) = &mut o.options {
                let name = cat(&inner, o.name.as_deref().unwrap_or_default());
                self.options(
                    &name,
                    &mut opts.uninterpreted_option,
                    &join(path, &[8, i as i32]),
                    2,
                );
            }
        }
        for (i, r) in m.extension_range.iter_mut().enumerate() {
            if let Some(opts) = &mut r.options {
                self.options(
                    &full,
                    &mut opts.uninterpreted_option,
                    &join(path, &[5, i as i32]),
                    3,
                );
            }
        }
        for (i, n) in m.nested_type.iter_mut().enumerate() {
            self.message(&inner, n, &join(path, &[3, i as i32]));
        }
        for (i, e) in m.enum_type.iter_mut().enumerate() {
            self.enumeration(&inner, e, &join(path, &[4, i as i32]));
        }
    }

    fn enumeration(&mut self, prefix: &str, e: &mut EnumDescriptorProto, path: &[i32]) {
        let full = cat(prefix, e.name());
        self.check_enum(e, path);
        if let Some(o) = &mut e.options {
            self.options(&full, &mut o.uninterpreted_option, path, 3);
        }
        for (i, v) in e.value.iter_mut().enumerate() {
            let name = cat(prefix, v.name());
            if let Some(o) = &mut v.options {
                self.options(
                    &name,
                    &mut o.uninterpreted_option,
                    &join(path, &[2, i as i32]),
                    3,
                );
            }
        }
    }

    /// What protoc checks in a message and prost-reflect does not: fields
    /// that use a reserved name or number, and JSON name conflicts (an
    /// error in proto3; in proto2 only between two custom names, as protoc
    /// only warns when a default name is involved).
    fn check_message(&mut self, m: &DescriptorProto, path: &[i32]) {
        if m.field.len() < 2 && m.reserved_name.is_empty() && m.reserved_range.is_empty() {
            return;
        }
        let mut numbers: Vec<(i32, usize)> = m
            .field
            .iter()
            .enumerate()
            .map(|(i, f)| (f.number(), i))
            .collect();
        numbers.sort_unstable();
        for pair in numbers.windows(2) {
            if pair[0].0 == pair[1].0 {
                let i = pair[0].1.max(pair[1].1);
                self.fail(
                    join(path, &[2, i as i32, 3]),
                    format!("field number '{}' is already used", pair[0].0),
                    None,
                );
            }
        }
        for (i, f) in m.field.iter().enumerate() {
            let at = |tag| join(path, &[2, i as i32, tag]);
            if m.reserved_name.iter().any(|r| r == f.name()) {
                self.fail(
                    at(1),
                    format!("field name '{}' is reserved", f.name()),
                    None,
                );
            }
            let n = f.number();
            if m.reserved_range
                .iter()
                .any(|r| r.start() <= n && n < r.end())
            {
                self.fail(at(3), format!("field number {n} is reserved"), None);
            }
        }
        // Default names conflicting: an error only in proto3; with custom
        // names too (a second pass only if there are any).
        if self.proto3 {
            self.json_conflicts(m, path, false);
        }
        if m.field.iter().any(|f| f.json_name.is_some()) {
            self.json_conflicts(m, path, true);
        }
    }

    fn json_conflicts(&mut self, m: &DescriptorProto, path: &[i32], custom: bool) {
        let mut names: HashMap<std::borrow::Cow<'_, str>, (usize, bool), Fast> =
            HashMap::with_capacity_and_hasher(m.field.len(), Fast::default());
        for (i, f) in m.field.iter().enumerate() {
            let (name, is_custom) = match &f.json_name {
                Some(j) if custom => (std::borrow::Cow::Borrowed(j.as_str()), true),
                _ if !f.name().contains('_') => (std::borrow::Cow::Borrowed(f.name()), false),
                _ => (
                    std::borrow::Cow::Owned(crate::schema::default_json_name(f.name())),
                    false,
                ),
            };
            if let Some(&(first, first_custom)) = names.get(&name) {
                if self.proto3 || (is_custom && first_custom) {
                    let kind = |c| if c { "custom" } else { "default" };
                    self.fail(
                        join(path, &[2, i as i32, 1]),
                        format!(
                            "the {} JSON name of field '{}' ('{name}') conflicts with the {} JSON name of field '{}'",
                            kind(is_custom),
                            f.name(),
                            kind(first_custom),
                            m.field[first].name()
                        ),
                        None,
                    );
                }
            } else {
                names.insert(name, (i, is_custom));
            }
        }
    }

    /// Enum values that use a reserved name or number.
    fn check_enum(&mut self, e: &EnumDescriptorProto, path: &[i32]) {
        for (i, v) in e.value.iter().enumerate() {
            let at = |tag| join(path, &[2, i as i32, tag]);
            if e.reserved_name.iter().any(|r| r == v.name()) {
                self.fail(
                    at(1),
                    format!("enum value name '{}' is reserved", v.name()),
                    None,
                );
            }
            let n = v.number();
            // Enum reserved ranges include their end.
            if e.reserved_range
                .iter()
                .any(|r| r.start() <= n && n <= r.end())
            {
                self.fail(
                    at(2),
                    format!("enum value '{}' uses reserved number {n}", v.name()),
                    None,
                );
            }
        }
    }

    /// A proto3 message cannot use a closed enum (one from a proto2 file).
    fn check_open_enum(&mut self, type_name: &str, message: &str, path: &[i32], more: [i32; 3]) {
        if !self.proto3 {
            return;
        }
        if let Some((Kind::Enum, file)) = self.symbols.defs.get(type_name) {
            if !self.symbols.files[*file as usize].proto3 {
                self.fail(
                    join(path, &more),
                    format!(
                        "enum '{type_name}' is closed (defined in a proto2 file) and cannot be used in proto3 message '{message}'"
                    ),
                    None,
                );
            }
        }
    }

    /// A field or an extension declared in scope `prefix`.
    fn field(&mut self, prefix: &str, f: &mut FieldDescriptorProto, path: &[i32]) {
        let full = if f.extendee.is_some() || f.options.is_some() {
            cat(prefix, f.name())
        } else {
            String::new()
        };
        if let Some(refs) = &mut self.record {
            if let Some(extendee) = &f.extendee {
                refs.push(extendee, scope_of(&full), What::Extendee(f.number()));
            }
            if let Some(type_name) = &f.type_name {
                let scope = prefix.strip_suffix('.').unwrap_or(prefix);
                let open = self.proto3 && self.in_message;
                refs.push(type_name, scope, What::Type { open });
            }
        } else if let Some(extendee) = &f.extendee {
            if let Some(name) = self.message_type(&extendee.clone(), &full, path, 2) {
                let n = f.number();
                let declared = self
                    .symbols
                    .extension_ranges
                    .get(&name[1..])
                    .is_some_and(|r| r.iter().any(|&(start, end)| start <= n && n < end));
                if !declared {
                    self.fail(
                        join(path, &[3]),
                        format!(
                            "'{}' does not declare {n} as an extension number",
                            &name[1..]
                        ),
                        None,
                    );
                }
                f.extendee = Some(name);
            }
        }
        if let (None, Some(type_name)) = (&self.record, &f.type_name) {
            let scope = prefix.strip_suffix('.').unwrap_or(prefix);
            match self.lookup_in(type_name, scope, true) {
                Ok((name, kind)) if kind.is_type() => f.type_name = Some(name),
                Ok((name, _)) => self.fail(
                    join(path, &[6]),
                    format!("'{}' is not a message or enum type", &name[1..]),
                    None,
                ),
                Err(miss) => {
                    let name = type_name.clone();
                    self.not_found(&name, miss, join(path, &[6]));
                }
            }
        }
        if let Some(o) = &mut f.options {
            self.options(&full, &mut o.uninterpreted_option, path, 8);
        }
    }

    /// Custom option names (`(foo.bar)`) of the element at `path`, whose
    /// options are field `tag` of it, looked up from `relative_to`.
    fn options(
        &mut self,
        relative_to: &str,
        options: &mut [UninterpretedOption],
        path: &[i32],
        tag: i32,
    ) {
        for (i, option) in options.iter_mut().enumerate() {
            for part in &mut option.name {
                let NamePart {
                    name_part,
                    is_extension: true,
                } = part
                else {
                    continue;
                };
                if let Some(refs) = &mut self.record {
                    refs.push(name_part, scope_of(relative_to), What::Extension);
                    continue;
                }
                match self.lookup(name_part, relative_to, false) {
                    Ok((full, Kind::Extension)) => *name_part = full,
                    Ok((full, _)) => {
                        let at = join(path, &[tag, 999, i as i32]);
                        self.fail(at, format!("'{}' is not an extension", &full[1..]), None)
                    }
                    Err(miss) => {
                        let name = name_part.clone();
                        self.not_found(&name, miss, join(path, &[tag, 999, i as i32]));
                    }
                }
            }
        }
    }
}

/// Drops what resolving and checking a file do not read: the values of its
/// options (only their names are resolved). Files that are only checked
/// are kept this way until all are loaded.
pub(crate) fn slim(fd: &mut FileDescriptorProto) {
    fn values(options: &mut [UninterpretedOption]) {
        for o in options {
            o.identifier_value = None;
            o.string_value = None;
            o.aggregate_value = None;
        }
    }
    fn message(m: &mut DescriptorProto) {
        if let Some(o) = &mut m.options {
            values(&mut o.uninterpreted_option);
        }
        for f in m.field.iter_mut().chain(&mut m.extension) {
            f.default_value = None;
            if let Some(o) = &mut f.options {
                values(&mut o.uninterpreted_option);
            }
        }
        m.nested_type.iter_mut().for_each(message);
        m.enum_type.iter_mut().for_each(enumeration);
    }
    fn enumeration(e: &mut EnumDescriptorProto) {
        if let Some(o) = &mut e.options {
            values(&mut o.uninterpreted_option);
        }
        for v in &mut e.value {
            if let Some(o) = &mut v.options {
                values(&mut o.uninterpreted_option);
            }
        }
    }
    if let Some(o) = &mut fd.options {
        values(&mut o.uninterpreted_option);
    }
    fd.message_type.iter_mut().for_each(message);
    fd.enum_type.iter_mut().for_each(enumeration);
    for x in &mut fd.extension {
        x.default_value = None;
        if let Some(o) = &mut x.options {
            values(&mut o.uninterpreted_option);
        }
    }
    for s in &mut fd.service {
        if let Some(o) = &mut s.options {
            values(&mut o.uninterpreted_option);
        }
        for m in &mut s.method {
            if let Some(o) = &mut m.options {
                values(&mut o.uninterpreted_option);
            }
        }
    }
}

/// Why loading stopped.
#[derive(Debug)]
pub(crate) enum LoadError {
    /// From the file resolver, the parser or the compiler.
    Protox(protox::Error),
    /// Found while loading or resolving.
    At(Problem),
}

impl From<protox::Error> for LoadError {
    fn from(e: protox::Error) -> Self {
        LoadError::Protox(e)
    }
}

impl From<Problem> for LoadError {
    fn from(p: Problem) -> Self {
        LoadError::At(p)
    }
}

/// Opens a file by import name: its parsed descriptor.
pub(crate) type Open<'a, F> = dyn FnMut(&str) -> Result<F, protox::Error> + 'a;

/// Loads files and their imports (imports first), as protoc does, with the
/// names in them resolved.
pub(crate) struct Loader<'a, F = FileDescriptorProto> {
    open: Box<Open<'a, F>>,
    /// Files given extra imports (see [`Symbols::deep_public`]) so that
    /// prost-reflect sees what protoc sees: their own number of imports.
    pub widened: HashMap<String, usize>,
    pub symbols: Symbols,
    loaded: HashMap<String, u32>,
    /// Resolve each file as it is loaded (otherwise the caller does, with
    /// [`Symbols::resolve`], once all are loaded).
    resolve_now: bool,
}

impl<'a, F: Loadable> Loader<'a, F> {
    pub(crate) fn new(
        open: impl FnMut(&str) -> Result<F, protox::Error> + 'a,
        resolve_now: bool,
        symbols: Symbols,
    ) -> Self {
        Loader {
            open: Box::new(open),
            widened: HashMap::new(),
            symbols,
            loaded: HashMap::new(),
            resolve_now,
        }
    }

    /// Loads `name` and what it imports; `done` gets each newly loaded file
    /// (its index and descriptor), every import before its importer.
    pub(crate) fn load(
        &mut self,
        name: &str,
        done: &mut dyn FnMut(u32, F) -> Result<(), LoadError>,
    ) -> Result<(), LoadError> {
        let mut stack = Vec::new();
        self.load_from(name, None, &mut stack, done).map(|_| ())
    }

    fn load_from(
        &mut self,
        name: &str,
        importer: Option<(&str, usize)>,
        stack: &mut Vec<String>,
        done: &mut dyn FnMut(u32, F) -> Result<(), LoadError>,
    ) -> Result<u32, LoadError> {
        if let Some(&i) = self.loaded.get(name) {
            return Ok(i);
        }
        let at = |file: &str, i: usize, message: String| Problem {
            file: file.to_owned(),
            path: vec![3, i as i32],
            message,
            help: None,
        };
        if let Some(start) = stack.iter().position(|n| n == name) {
            let mut cycle = stack[start..].join("' -> '");
            cycle.push_str(&format!("' -> '{name}"));
            let message = format!("import cycle: '{cycle}'");
            return Err(match importer {
                Some((file, i)) => at(file, i, message).into(),
                None => Problem {
                    file: name.to_owned(),
                    path: Vec::new(),
                    message,
                    help: None,
                }
                .into(),
            });
        }
        let mut fd = match (self.open)(name) {
            Ok(fd) => fd,
            Err(e) if e.is_file_not_found() => {
                return Err(match importer {
                    Some((file, i)) => at(file, i, format!("import '{name}' not found")).into(),
                    None => e.into(),
                })
            }
            Err(e) => return Err(e.into()),
        };
        stack.push(name.to_owned());
        let imports = fd.imports().to_vec();
        let mut deps = Vec::with_capacity(imports.len());
        let mut seen = HashSet::new();
        for (i, dep) in imports.iter().enumerate() {
            if !seen.insert(dep.as_str()) {
                return Err(at(
                    fd.file_name(),
                    i,
                    format!("import '{dep}' was listed twice"),
                )
                .into());
            }
            deps.push(self.load_from(dep, Some((fd.file_name(), i)), stack, done)?);
        }
        stack.pop();
        let index = match fd.add_to(&mut self.symbols, deps.clone())? {
            Some(index) => index,
            // A name defined again: the whole file tells where.
            None => {
                fd = (self.open)(name)?;
                fd.add_to(&mut self.symbols, deps)?.ok_or_else(|| Problem {
                    file: name.to_owned(),
                    path: Vec::new(),
                    message: format!("a name in '{name}' is already defined"),
                    help: None,
                })?
            }
        };
        if self.resolve_now {
            if let Some(fd) = fd.descriptor() {
                self.symbols.resolve(index, fd)?;
                let deep = self.symbols.deep_public(index);
                if !deep.is_empty() {
                    self.widened.insert(name.to_owned(), fd.dependency.len());
                    for d in deep {
                        fd.dependency
                            .push(self.symbols.files[d as usize].name.clone());
                    }
                }
            }
        }
        self.loaded.insert(name.to_owned(), index);
        done(index, fd)?;
        Ok(index)
    }
}

impl Problem {
    /// As a compile error of `side`, in the file shown as `display_path`
    /// whose text is `text`: the span of the nearest located element of the
    /// problem's path (the file is parsed again for it).
    pub(crate) fn into_error(
        self,
        side: crate::schema::Side,
        display_path: &str,
        text: Option<&crate::schema::span::SourceText>,
    ) -> crate::input::error::CompileError {
        let span = text.and_then(|t| {
            let fd = protox_parse::parse(&self.file, t.text()).ok()?;
            let info = fd.source_code_info?;
            let mut path = self.path.as_slice();
            loop {
                if let Some(loc) = info.location.iter().find(|l| l.path == path) {
                    return t.span_from_proto(&loc.span);
                }
                path = path.split_last()?.1;
            }
        });
        crate::input::error::CompileError {
            side,
            location: match span {
                Some(s) => format!("{display_path}:{}:{}: ", s.line, s.column),
                None => format!("{display_path}: "),
            },
            message: self.message,
            path: Some(display_path.to_owned()),
            line: span.map(|s| s.line),
            column: span.map(|s| s.column),
            source_code: text.map(|t| {
                miette::NamedSource::new(display_path, t.text().clone()).with_language("protobuf")
            }),
            labels: span
                .map(|s| {
                    vec![miette::LabeledSpan::new(
                        Some("found here".to_owned()),
                        s.offset,
                        s.len,
                    )]
                })
                .unwrap_or_default(),
            help: self.help,
        }
    }
}

/// `relative_to` without its last component: where a name used by it is
/// looked up from.
fn scope_of(relative_to: &str) -> &str {
    relative_to.rfind('.').map_or("", |d| &relative_to[..d])
}

/// A message's extension ranges (end exclusive).
type Ranges = Vec<(i32, i32)>;

/// What a recorded reference must resolve to.
#[derive(Debug, Clone, Copy)]
enum What {
    /// A field's type; `open`: a proto3 message's own field (a closed enum
    /// is an error).
    Type { open: bool },
    /// An extendee, with the extension's number.
    Extendee(i32),
    /// A method's input or output.
    Message,
    /// A custom option's name.
    Extension,
}

/// The type names a file uses, each with the scope it is looked up from.
#[derive(Debug, Default)]
struct Refs {
    /// Scopes, each once in a row.
    scopes: Vec<Box<str>>,
    refs: Vec<(Box<str>, u32, What)>,
}

impl Refs {
    fn push(&mut self, name: &str, scope: &str, what: What) {
        if self.scopes.last().is_none_or(|s| **s != *scope) {
            self.scopes.push(scope.into());
        }
        let scope = self.scopes.len() as u32 - 1;
        self.refs.push((name.into(), scope, what));
    }
}

/// What checking an unchanged file needs, far smaller than its descriptor:
/// the names it defines and the names it uses. Made only of a file that
/// has no problem of its own (see [`outline`]); a file with one is kept
/// whole, and so is a file whose names or references fail, to report the
/// problem exactly as [`Symbols::add_file`] and [`Symbols::resolve`] do.
#[derive(Debug)]
pub(crate) struct Outline {
    name: String,
    package: String,
    proto3: bool,
    dependency: Vec<String>,
    public_dependency: Vec<i32>,
    defs: Vec<(Box<str>, Kind)>,
    extension_ranges: Vec<(Box<str>, Ranges)>,
    refs: Refs,
}

/// The outline of a parsed file, or `None` if the file has a problem of
/// its own (a name defined twice in it, a reserved name or number used, a
/// JSON name conflict...).
pub(crate) fn outline(fd: &mut FileDescriptorProto) -> Option<Outline> {
    let mut own = Symbols::default();
    own.add_file(fd, Vec::new()).ok()?;
    let mut r = Resolver {
        symbols: &own,
        file: 0,
        proto3: fd.syntax() == "proto3",
        visible: HashSet::default(),
        packages: HashSet::default(),
        problem: None,
        record: Some(Refs::default()),
        in_message: false,
    };
    r.walk(fd);
    if r.problem.is_some() {
        return None;
    }
    let refs = r.record.take().unwrap_or_default();
    let proto3 = r.proto3;
    Some(Outline {
        name: fd.name().to_owned(),
        package: fd.package().to_owned(),
        proto3,
        dependency: std::mem::take(&mut fd.dependency),
        public_dependency: std::mem::take(&mut fd.public_dependency),
        defs: own.defs.into_iter().map(|(n, (k, _))| (n, k)).collect(),
        extension_ranges: own.extension_ranges.into_iter().collect(),
        refs,
    })
}

impl Outline {
    pub(crate) fn name(&self) -> &str {
        &self.name
    }
}

impl Symbols {
    /// [`Self::add_file`] for an outline: `None` (and nothing added) if one
    /// of its names is defined already.
    fn add_outline(&mut self, o: &mut Outline, deps: Vec<u32>) -> Option<u32> {
        for (name, kind) in &o.defs {
            if let Some((old, _)) = self.defs.get(name) {
                if !(*kind == Kind::Package && *old == Kind::Package) {
                    return None;
                }
            }
        }
        let index = self.files.len() as u32;
        let public = o
            .public_dependency
            .iter()
            .filter_map(|&i| deps.get(usize::try_from(i).ok()?).copied())
            .collect();
        self.files.push(FileInfo {
            name: o.name.clone(),
            package: std::mem::take(&mut o.package),
            proto3: o.proto3,
            deps,
            public,
        });
        for (name, kind) in std::mem::take(&mut o.defs) {
            self.defs.entry(name).or_insert((kind, index));
        }
        self.extension_ranges
            .extend(std::mem::take(&mut o.extension_ranges));
        Some(index)
    }

    /// Whether every name outline `o` (added as file `index`) uses resolves
    /// as [`Self::resolve`] requires.
    pub(crate) fn outline_resolves(&self, index: u32, o: &Outline) -> bool {
        let mut r = self.resolver(index);
        for (name, scope, what) in &o.refs.refs {
            let scope = &o.refs.scopes[*scope as usize];
            let ok = match (
                *what,
                r.lookup_in(name, scope, matches!(what, What::Type { .. })),
            ) {
                (_, Err(_)) => false,
                (What::Type { open }, Ok((full, kind))) => {
                    if open && kind == Kind::Enum {
                        r.check_open_enum(&full[1..], "", &[], [0; 3]);
                    }
                    kind.is_type() && r.problem.is_none()
                }
                (What::Extendee(n), Ok((full, kind))) => {
                    kind == Kind::Message
                        && self
                            .extension_ranges
                            .get(&full[1..])
                            .is_some_and(|r| r.iter().any(|&(start, end)| start <= n && n < end))
                }
                (What::Message, Ok((_, kind))) => kind == Kind::Message,
                (What::Extension, Ok((_, kind))) => kind == Kind::Extension,
            };
            if !ok {
                return false;
            }
        }
        true
    }
}

/// A file as the [`Loader`] loads it.
pub(crate) trait Loadable {
    fn file_name(&self) -> &str;
    fn imports(&self) -> &[String];
    /// Adds its names; `Ok(None)`: open the file again, whole, to add it.
    fn add_to(&mut self, symbols: &mut Symbols, deps: Vec<u32>) -> Result<Option<u32>, Problem>;
    fn descriptor(&mut self) -> Option<&mut FileDescriptorProto>;
}

impl Loadable for FileDescriptorProto {
    fn file_name(&self) -> &str {
        self.name()
    }
    fn imports(&self) -> &[String] {
        &self.dependency
    }
    fn add_to(&mut self, symbols: &mut Symbols, deps: Vec<u32>) -> Result<Option<u32>, Problem> {
        symbols.add_file(self, deps).map(Some)
    }
    fn descriptor(&mut self) -> Option<&mut FileDescriptorProto> {
        Some(self)
    }
}

/// A file kept whole or as an outline.
#[derive(Debug)]
pub(crate) enum Unit {
    Whole(Box<FileDescriptorProto>),
    Outline(Outline),
}

impl Loadable for Unit {
    fn file_name(&self) -> &str {
        match self {
            Unit::Whole(fd) => fd.name(),
            Unit::Outline(o) => &o.name,
        }
    }
    fn imports(&self) -> &[String] {
        match self {
            Unit::Whole(fd) => &fd.dependency,
            Unit::Outline(o) => &o.dependency,
        }
    }
    fn add_to(&mut self, symbols: &mut Symbols, deps: Vec<u32>) -> Result<Option<u32>, Problem> {
        match self {
            Unit::Whole(fd) => symbols.add_file(fd, deps).map(Some),
            Unit::Outline(o) => Ok(symbols.add_outline(o, deps)),
        }
    }
    fn descriptor(&mut self) -> Option<&mut FileDescriptorProto> {
        match self {
            Unit::Whole(fd) => Some(fd),
            Unit::Outline(_) => None,
        }
    }
}
