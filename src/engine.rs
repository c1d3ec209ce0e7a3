//! Pairs old and new elements once and runs the rules over the pairs.
//!
//! Keys, as buf uses them: files by path; messages, enums and services by
//! fully-qualified name; for the per-file deletion rules, messages, enums and
//! services by their name within a file of the same path; fields by number;
//! enum values by number; oneofs and methods by name.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::finding::{ElementKind, Finding, Location};
use crate::rules::{Rule, RuleMeta};
use crate::schema::{Enum, EnumValue, Field, File, Message, Method, Oneof, Schema, Service};

/// Which token of an element a finding points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The whole declaration.
    Whole,
    Name,
    Number,
    /// A field's type (`int64`, `shop.Money`) or label.
    Type,
    Label,
    JsonName,
    /// A message's or enum's `reserved` statements.
    Reserved,
    /// A file's `package` statement.
    Package,
    /// A method's request or response type.
    Input,
    Output,
}

/// An element's place in one schema, resolved to a [`Location`] only when a
/// finding is kept.
#[derive(Debug, Clone)]
struct Anchor {
    file: usize,
    path: Vec<i32>,
    /// Sub-paths to try in order before the element itself.
    suffixes: &'static [&'static [i32]],
}

impl Anchor {
    fn new(file: usize, path: &[i32], suffixes: &'static [&'static [i32]]) -> Self {
        Anchor {
            file,
            path: path.to_vec(),
            suffixes,
        }
    }

    /// A file-level place: its package statement, else its syntax statement.
    fn file(file: usize) -> Self {
        Anchor {
            file,
            path: Vec::new(),
            suffixes: &[&[2], &[12]],
        }
    }
}

/// Where a finding is, on both sides, and what it is about.
#[derive(Debug, Clone)]
pub struct At {
    kind: ElementKind,
    element: String,
    subject: String,
    new: Option<Anchor>,
    old: Option<Anchor>,
    /// For a deleted file: its name on the old side.
    old_file: Option<usize>,
    /// Whole declarations, for showing the old and new text.
    new_decl: Option<Anchor>,
    old_decl: Option<Anchor>,
}

/// A finding before its locations are resolved.
#[derive(Debug)]
pub struct RawFinding {
    meta: &'static RuleMeta,
    message: String,
    help: Option<String>,
    at: At,
}

impl RawFinding {
    /// Sets the concrete fix.
    pub fn help(&mut self, help: impl Into<String>) -> &mut Self {
        self.help = Some(help.into());
        self
    }
}

/// What a rule sees: both schemas and a place to report.
pub struct Cx<'a> {
    pub old: &'a Schema,
    pub new: &'a Schema,
    rule: &'static RuleMeta,
    out: Vec<RawFinding>,
}

impl<'a> Cx<'a> {
    /// Reports a finding of the running rule.
    pub fn report(&mut self, at: At, message: impl Into<String>) -> &mut RawFinding {
        self.out.push(RawFinding {
            meta: self.rule,
            message: message.into(),
            help: None,
            at,
        });
        let last = self.out.len() - 1;
        &mut self.out[last]
    }
}

fn field_suffixes(part: Part) -> &'static [&'static [i32]] {
    match part {
        Part::Name => &[&[1]],
        Part::Number => &[&[3]],
        Part::Type => &[&[6], &[5]],
        Part::Label => &[&[4], &[6], &[5]],
        Part::JsonName => &[&[10], &[1]],
        _ => &[],
    }
}

fn message_suffixes(part: Part) -> &'static [&'static [i32]] {
    match part {
        Part::Name => &[&[1]],
        Part::Reserved => &[&[9], &[10], &[1]],
        _ => &[],
    }
}

fn enum_suffixes(part: Part) -> &'static [&'static [i32]] {
    match part {
        Part::Name => &[&[1]],
        Part::Reserved => &[&[4], &[5], &[1]],
        _ => &[],
    }
}

/// A file of the same path on both sides, or on one.
pub struct FilePair<'a> {
    pub name: &'a str,
    pub old: Option<&'a File>,
    pub new: Option<&'a File>,
    old_idx: Option<usize>,
    new_idx: Option<usize>,
}

impl FilePair<'_> {
    pub fn at(&self, part: Part) -> At {
        let suffixes: &'static [&'static [i32]] = match part {
            Part::Package => &[&[2], &[12]],
            _ => &[&[2], &[12]],
        };
        At {
            kind: ElementKind::File,
            element: self.name.to_owned(),
            subject: format!("file:{}", self.name),
            new: self.new_idx.map(|f| Anchor::new(f, &[], suffixes)),
            old: self.old_idx.map(|f| Anchor::new(f, &[], suffixes)),
            old_file: self.old_idx,
            new_decl: None,
            old_decl: None,
        }
    }
}

/// A message, enum or service of a file present on both sides, paired by its
/// name within the file (for the per-file deletion rules).
pub struct FileMemberPair<'a> {
    pub nested_name: &'a str,
    pub old_file: &'a File,
    pub new_file: &'a File,
    pub old: Member<'a>,
    pub new: Option<Member<'a>>,
    /// The deepest enclosing message that still exists in the new file.
    new_parent: Option<&'a Message>,
    new_file_idx: usize,
}

#[derive(Clone, Copy)]
pub enum Member<'a> {
    Message(&'a Message),
    Enum(&'a Enum),
    Service(&'a Service),
}

impl Member<'_> {
    pub fn kind(&self) -> ElementKind {
        match self {
            Member::Message(_) => ElementKind::Message,
            Member::Enum(_) => ElementKind::Enum,
            Member::Service(_) => ElementKind::Service,
        }
    }

    fn file_and_path(&self) -> (usize, &[i32]) {
        match self {
            Member::Message(m) => (m.file, &m.path),
            Member::Enum(e) => (e.file, &e.path),
            Member::Service(s) => (s.file, &s.path),
        }
    }

    pub fn full_name(&self) -> &str {
        match self {
            Member::Message(m) => &m.full_name,
            Member::Enum(e) => &e.full_name,
            Member::Service(s) => &s.full_name,
        }
    }
}

impl FileMemberPair<'_> {
    pub fn at(&self, _part: Part) -> At {
        let (old_file, old_path) = self.old.file_and_path();
        let new = match (self.new, self.new_parent) {
            (Some(n), _) => {
                let (f, p) = n.file_and_path();
                Anchor::new(f, p, &[&[1]])
            }
            (None, Some(parent)) => Anchor::new(parent.file, &parent.path, &[&[1]]),
            (None, None) => Anchor::file(self.new_file_idx),
        };
        At {
            kind: self.old.kind(),
            element: self.old.full_name().to_owned(),
            subject: format!("member:{}:{}", self.old_file.name, self.nested_name),
            new: Some(new),
            old: Some(Anchor::new(old_file, old_path, &[&[1]])),
            old_file: None,
            new_decl: None,
            old_decl: None,
        }
    }
}

/// Messages paired by fully-qualified name.
pub struct MessagePair<'a> {
    pub old: Option<&'a Message>,
    pub new: Option<&'a Message>,
    /// Where a deleted message's nearest surviving parent is.
    new_parent: Option<Anchor>,
}

impl MessagePair<'_> {
    pub fn at(&self, part: Part) -> At {
        let any = self
            .new
            .or(self.old)
            .map(|m| m.full_name.clone())
            .unwrap_or_default();
        let suffixes = message_suffixes(part);
        At {
            kind: ElementKind::Message,
            subject: format!("message:{any}"),
            element: any,
            new: self
                .new
                .map(|m| Anchor::new(m.file, &m.path, suffixes))
                .or_else(|| self.new_parent.clone()),
            old: self.old.map(|m| Anchor::new(m.file, &m.path, suffixes)),
            old_file: None,
            new_decl: None,
            old_decl: None,
        }
    }
}

/// Fields of a message present on both sides, paired by number.
pub struct FieldPair<'a> {
    pub number: u32,
    pub old_message: &'a Message,
    pub new_message: &'a Message,
    pub old: Option<&'a Field>,
    pub new: Option<&'a Field>,
}

impl FieldPair<'_> {
    pub fn at(&self, part: Part) -> At {
        let suffixes = field_suffixes(part);
        let name = self
            .new
            .or(self.old)
            .map(|f| f.name.as_str())
            .unwrap_or_default();
        let side = |m: &Message, f: Option<&Field>, suffixes| match f {
            Some(f) => Anchor::new(m.file, &f.path, suffixes),
            None => Anchor::new(m.file, &m.path, &[&[1]]),
        };
        At {
            kind: ElementKind::Field,
            element: format!("{}.{name}", self.new_message.full_name),
            subject: format!("field:{}:{}", self.new_message.full_name, self.number),
            new: Some(side(self.new_message, self.new, suffixes)),
            // On the old side, the whole declaration: where the field was.
            old: Some(side(self.old_message, self.old, &[])),
            old_file: None,
            new_decl: self
                .new
                .map(|f| Anchor::new(self.new_message.file, &f.path, &[])),
            old_decl: self
                .old
                .map(|f| Anchor::new(self.old_message.file, &f.path, &[])),
        }
    }
}

/// Oneofs of a message present on both sides, paired by name.
pub struct OneofPair<'a> {
    pub old_message: &'a Message,
    pub new_message: &'a Message,
    pub old: Option<&'a Oneof>,
    pub new: Option<&'a Oneof>,
}

impl OneofPair<'_> {
    pub fn at(&self, _part: Part) -> At {
        let name = self
            .new
            .or(self.old)
            .map(|o| o.name.as_str())
            .unwrap_or_default();
        let side = |m: &Message, o: Option<&Oneof>| match o {
            Some(o) => Anchor::new(m.file, &o.path, &[&[1]]),
            None => Anchor::new(m.file, &m.path, &[&[1]]),
        };
        At {
            kind: ElementKind::Oneof,
            element: format!("{}.{name}", self.new_message.full_name),
            subject: format!("oneof:{}:{name}", self.new_message.full_name),
            new: Some(side(self.new_message, self.new)),
            old: Some(side(self.old_message, self.old)),
            old_file: None,
            new_decl: None,
            old_decl: None,
        }
    }
}

/// Enums paired by fully-qualified name.
pub struct EnumPair<'a> {
    pub old: Option<&'a Enum>,
    pub new: Option<&'a Enum>,
    new_parent: Option<Anchor>,
}

impl EnumPair<'_> {
    pub fn at(&self, part: Part) -> At {
        let any = self
            .new
            .or(self.old)
            .map(|e| e.full_name.clone())
            .unwrap_or_default();
        let suffixes = enum_suffixes(part);
        At {
            kind: ElementKind::Enum,
            subject: format!("enum:{any}"),
            element: any,
            new: self
                .new
                .map(|e| Anchor::new(e.file, &e.path, suffixes))
                .or_else(|| self.new_parent.clone()),
            old: self.old.map(|e| Anchor::new(e.file, &e.path, suffixes)),
            old_file: None,
            new_decl: None,
            old_decl: None,
        }
    }
}

/// The values of an enum present on both sides that share a number
/// (several with `allow_alias`).
pub struct EnumValuePair<'a> {
    pub number: i32,
    pub old_enum: &'a Enum,
    pub new_enum: &'a Enum,
    pub old: Vec<&'a EnumValue>,
    pub new: Vec<&'a EnumValue>,
}

impl EnumValuePair<'_> {
    pub fn at(&self, part: Part) -> At {
        let suffixes: &'static [&'static [i32]] = match part {
            Part::Name => &[&[1]],
            Part::Number => &[&[2]],
            _ => &[],
        };
        let side = |e: &Enum, v: Option<&&EnumValue>| match v {
            Some(v) => Anchor::new(e.file, &v.path, suffixes),
            None => Anchor::new(e.file, &e.path, &[&[1]]),
        };
        let name = self
            .new
            .first()
            .or(self.old.first())
            .map(|v| v.name.as_str())
            .unwrap_or_default();
        At {
            kind: ElementKind::EnumValue,
            element: format!("{}.{name}", self.new_enum.full_name),
            subject: format!("enum-value:{}:{}", self.new_enum.full_name, self.number),
            new: Some(side(self.new_enum, self.new.first())),
            old: Some(side(self.old_enum, self.old.first())),
            old_file: None,
            new_decl: self
                .new
                .first()
                .map(|v| Anchor::new(self.new_enum.file, &v.path, &[])),
            old_decl: self
                .old
                .first()
                .map(|v| Anchor::new(self.old_enum.file, &v.path, &[])),
        }
    }
}

/// Services paired by fully-qualified name.
pub struct ServicePair<'a> {
    pub old: Option<&'a Service>,
    pub new: Option<&'a Service>,
    new_file: Option<usize>,
}

impl ServicePair<'_> {
    pub fn at(&self, _part: Part) -> At {
        let any = self
            .new
            .or(self.old)
            .map(|s| s.full_name.clone())
            .unwrap_or_default();
        At {
            kind: ElementKind::Service,
            subject: format!("service:{any}"),
            element: any,
            new: self
                .new
                .map(|s| Anchor::new(s.file, &s.path, &[&[1]]))
                .or_else(|| self.new_file.map(Anchor::file)),
            old: self.old.map(|s| Anchor::new(s.file, &s.path, &[&[1]])),
            old_file: None,
            new_decl: None,
            old_decl: None,
        }
    }
}

/// Methods of a service present on both sides, paired by name.
pub struct MethodPair<'a> {
    pub old_service: &'a Service,
    pub new_service: &'a Service,
    pub old: Option<&'a Method>,
    pub new: Option<&'a Method>,
}

impl MethodPair<'_> {
    pub fn at(&self, part: Part) -> At {
        let suffixes: &'static [&'static [i32]] = match part {
            Part::Name => &[&[1]],
            Part::Input => &[&[2]],
            Part::Output => &[&[3]],
            _ => &[],
        };
        let name = self
            .new
            .or(self.old)
            .map(|m| m.name.as_str())
            .unwrap_or_default();
        let side = |s: &Service, m: Option<&Method>| match m {
            Some(m) => Anchor::new(s.file, &m.path, suffixes),
            None => Anchor::new(s.file, &s.path, &[&[1]]),
        };
        At {
            kind: ElementKind::Method,
            element: format!("{}.{name}", self.new_service.full_name),
            subject: format!("method:{}:{name}", self.new_service.full_name),
            new: Some(side(self.new_service, self.new)),
            old: Some(side(self.old_service, self.old)),
            old_file: None,
            new_decl: self
                .new
                .map(|m| Anchor::new(self.new_service.file, &m.path, &[])),
            old_decl: self
                .old
                .map(|m| Anchor::new(self.old_service.file, &m.path, &[])),
        }
    }
}

/// Calls every rule on every pair and returns the findings, sorted by path,
/// line, column and rule.
pub fn run(old: &Schema, new: &Schema, rules: &[&dyn Rule]) -> Vec<Finding> {
    let mut cx = Cx {
        old,
        new,
        rule: match rules.first() {
            Some(r) => r.meta(),
            None => return Vec::new(),
        },
        out: Vec::new(),
    };
    macro_rules! each {
        ($hook:ident, $pair:expr) => {{
            let pair = $pair;
            for r in rules {
                cx.rule = r.meta();
                r.$hook(&mut cx, &pair);
            }
        }};
    }

    // Files by path.
    let names: BTreeSet<&str> = old
        .target_files()
        .chain(new.target_files())
        .map(|(_, f)| f.name.as_str())
        .collect();
    for name in &names {
        let old_idx = old.file_index(name).filter(|&i| old.files[i].is_target);
        let new_idx = new.file_index(name).filter(|&i| new.files[i].is_target);
        each!(
            check_file,
            FilePair {
                name,
                old: old_idx.map(|i| &old.files[i]),
                new: new_idx.map(|i| &new.files[i]),
                old_idx,
                new_idx,
            }
        );
    }

    // Members of same-path files, by name within the file.
    let mut new_by_nested: HashMap<(usize, &str), &Message> = HashMap::new();
    for (_, m) in new.target_messages() {
        new_by_nested.insert((m.file, m.nested_name.as_str()), m);
    }
    let mut new_enums_by_nested: HashMap<(usize, &str), &Enum> = HashMap::new();
    for (_, e) in new.target_enums() {
        new_enums_by_nested.insert((e.file, e.nested_name.as_str()), e);
    }
    let same_file = |f: usize| -> Option<usize> {
        new.file_index(&old.files[f].name)
            .filter(|&i| new.files[i].is_target)
    };
    let surviving_parent = |new_file: usize, mut parent: Option<usize>| -> Option<&Message> {
        while let Some(p) = parent {
            if let Some(m) = new_by_nested.get(&(new_file, old.messages[p].nested_name.as_str())) {
                return Some(m);
            }
            parent = old.messages[p].parent;
        }
        None
    };
    for (_, m) in old.target_messages() {
        let Some(nf) = same_file(m.file) else {
            continue;
        };
        let found = new_by_nested.get(&(nf, m.nested_name.as_str())).copied();
        each!(
            check_file_member,
            FileMemberPair {
                nested_name: &m.nested_name,
                old_file: &old.files[m.file],
                new_file: &new.files[nf],
                old: Member::Message(m),
                new: found.map(Member::Message),
                new_parent: surviving_parent(nf, m.parent),
                new_file_idx: nf,
            }
        );
    }
    for (_, e) in old.target_enums() {
        let Some(nf) = same_file(e.file) else {
            continue;
        };
        let found = new_enums_by_nested
            .get(&(nf, e.nested_name.as_str()))
            .copied();
        each!(
            check_file_member,
            FileMemberPair {
                nested_name: &e.nested_name,
                old_file: &old.files[e.file],
                new_file: &new.files[nf],
                old: Member::Enum(e),
                new: found.map(Member::Enum),
                new_parent: surviving_parent(nf, e.parent),
                new_file_idx: nf,
            }
        );
    }
    for (_, s) in old.target_services() {
        let Some(nf) = same_file(s.file) else {
            continue;
        };
        let found = new.files[nf]
            .services
            .iter()
            .map(|&i| &new.services[i])
            .find(|n| n.name == s.name);
        each!(
            check_file_member,
            FileMemberPair {
                nested_name: &s.name,
                old_file: &old.files[s.file],
                new_file: &new.files[nf],
                old: Member::Service(s),
                new: found.map(Member::Service),
                new_parent: None,
                new_file_idx: nf,
            }
        );
    }

    // Messages by fully-qualified name, then their fields and oneofs.
    let deleted_parent = |file: usize, parent: Option<usize>| -> Option<Anchor> {
        let mut p = parent;
        while let Some(i) = p {
            if let Some(m) = new.message(&old.messages[i].full_name) {
                return Some(Anchor::new(m.file, &m.path, &[&[1]]));
            }
            p = old.messages[i].parent;
        }
        same_file(file).map(Anchor::file)
    };
    for (_, om) in old.target_messages() {
        let nm = new.message(&om.full_name);
        each!(
            check_message,
            MessagePair {
                old: Some(om),
                new: nm,
                new_parent: if nm.is_none() {
                    deleted_parent(om.file, om.parent)
                } else {
                    None
                },
            }
        );
        if let Some(nm) = nm {
            pair_message_contents(&mut cx, rules, om, nm);
        }
    }
    for (_, nm) in new.target_messages() {
        if old.message(&nm.full_name).is_none() {
            each!(
                check_message,
                MessagePair {
                    old: None,
                    new: Some(nm),
                    new_parent: None,
                }
            );
        }
    }

    // Enums by fully-qualified name, then their values by number.
    for (_, oe) in old.target_enums() {
        let ne = new.enum_(&oe.full_name);
        each!(
            check_enum,
            EnumPair {
                old: Some(oe),
                new: ne,
                new_parent: if ne.is_none() {
                    deleted_parent(oe.file, oe.parent)
                } else {
                    None
                },
            }
        );
        if let Some(ne) = ne {
            let mut numbers: BTreeMap<i32, (Vec<&EnumValue>, Vec<&EnumValue>)> = BTreeMap::new();
            for v in &oe.values {
                numbers.entry(v.number).or_default().0.push(v);
            }
            for v in &ne.values {
                numbers.entry(v.number).or_default().1.push(v);
            }
            for (number, (o, n)) in numbers {
                each!(
                    check_enum_value,
                    EnumValuePair {
                        number,
                        old_enum: oe,
                        new_enum: ne,
                        old: o,
                        new: n,
                    }
                );
            }
        }
    }
    for (_, ne) in new.target_enums() {
        if old.enum_(&ne.full_name).is_none() {
            each!(
                check_enum,
                EnumPair {
                    old: None,
                    new: Some(ne),
                    new_parent: None,
                }
            );
        }
    }

    // Services by fully-qualified name, then methods by name.
    let new_services: HashMap<&str, &Service> = new
        .target_services()
        .map(|(_, s)| (s.full_name.as_str(), s))
        .collect();
    let old_services: HashMap<&str, &Service> = old
        .target_services()
        .map(|(_, s)| (s.full_name.as_str(), s))
        .collect();
    for (_, os) in old.target_services() {
        let ns = new_services.get(os.full_name.as_str()).copied();
        each!(
            check_service,
            ServicePair {
                old: Some(os),
                new: ns,
                new_file: if ns.is_none() {
                    same_file(os.file)
                } else {
                    None
                },
            }
        );
        if let Some(ns) = ns {
            for om in &os.methods {
                let nm = ns.methods.iter().find(|m| m.name == om.name);
                each!(
                    check_method,
                    MethodPair {
                        old_service: os,
                        new_service: ns,
                        old: Some(om),
                        new: nm,
                    }
                );
            }
            for nm in &ns.methods {
                if !os.methods.iter().any(|m| m.name == nm.name) {
                    each!(
                        check_method,
                        MethodPair {
                            old_service: os,
                            new_service: ns,
                            old: None,
                            new: Some(nm),
                        }
                    );
                }
            }
        }
    }
    for (_, ns) in new.target_services() {
        if !old_services.contains_key(ns.full_name.as_str()) {
            each!(
                check_service,
                ServicePair {
                    old: None,
                    new: Some(ns),
                    new_file: None,
                }
            );
        }
    }

    let mut findings: Vec<Finding> = cx.out.into_iter().map(|r| resolve(old, new, r)).collect();
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings.dedup();
    findings
}

fn pair_message_contents(cx: &mut Cx, rules: &[&dyn Rule], om: &Message, nm: &Message) {
    let mut numbers: BTreeMap<u32, (Option<&Field>, Option<&Field>)> = BTreeMap::new();
    for f in &om.fields {
        numbers.entry(f.number).or_default().0 = Some(f);
    }
    for f in &nm.fields {
        numbers.entry(f.number).or_default().1 = Some(f);
    }
    for (number, (o, n)) in numbers {
        let pair = FieldPair {
            number,
            old_message: om,
            new_message: nm,
            old: o,
            new: n,
        };
        for r in rules {
            cx.rule = r.meta();
            r.check_field(cx, &pair);
        }
    }
    let mut names: BTreeMap<&str, (Option<&Oneof>, Option<&Oneof>)> = BTreeMap::new();
    for o in &om.oneofs {
        names.entry(o.name.as_str()).or_default().0 = Some(o);
    }
    for o in &nm.oneofs {
        names.entry(o.name.as_str()).or_default().1 = Some(o);
    }
    for (_, (o, n)) in names {
        let pair = OneofPair {
            old_message: om,
            new_message: nm,
            old: o,
            new: n,
        };
        for r in rules {
            cx.rule = r.meta();
            r.check_oneof(cx, &pair);
        }
    }
}

fn locate(schema: &Schema, a: &Anchor) -> Location {
    let file = &schema.files[a.file];
    let mut span = a.suffixes.iter().find_map(|suffix| {
        let mut p = a.path.clone();
        p.extend_from_slice(suffix);
        file.span(&p)
    });
    let mut p = a.path.clone();
    while span.is_none() && !p.is_empty() {
        span = file.span(&p);
        p.truncate(p.len().saturating_sub(2));
    }
    if span.is_none() {
        span = file
            .span(&[2])
            .or_else(|| file.span(&[12]))
            .or_else(|| file.source.as_ref().map(|s| s.span_of(0, 0)));
    }
    Location {
        path: file.display_path.clone(),
        file: file.name.clone(),
        span,
    }
}

/// The declaration's text when it fits on one short line.
fn decl_text(schema: &Schema, a: &Anchor) -> Option<String> {
    let file = &schema.files[a.file];
    let span = file.span(&a.path)?;
    let text = file.source.as_ref()?.text();
    let s = text.get(span.offset..span.offset + span.len)?;
    (span.line == span.end_line && s.len() <= 160).then(|| s.to_owned())
}

fn resolve(old: &Schema, new: &Schema, r: RawFinding) -> Finding {
    let at = r.at;
    let old_location = at.old.as_ref().map(|a| locate(old, a));
    let location = match (&at.new, at.old_file) {
        (Some(a), _) => locate(new, a),
        (None, Some(f)) => Location {
            path: old.files[f].display_path.clone(),
            file: old.files[f].name.clone(),
            span: None,
        },
        (None, None) => old_location.clone().unwrap_or(Location {
            path: String::new(),
            file: String::new(),
            span: None,
        }),
    };
    Finding {
        rule: r.meta.id,
        severity: r.meta.severity,
        message: r.message,
        help: r.help,
        affects: r.meta.affects.to_vec(),
        element_kind: at.kind,
        element: at.element,
        subject: at.subject,
        location,
        old_location,
        old_text: at.old_decl.as_ref().and_then(|a| decl_text(old, a)),
        new_text: at.new_decl.as_ref().and_then(|a| decl_text(new, a)),
    }
}
