//! Pairs old and new elements once and runs the rules over the pairs.
//!
//! Keys, as buf uses them: files by path; messages, enums and services by
//! fully-qualified name; for the per-file deletion rules, messages, enums and
//! services by their name within a file of the same path; fields by number;
//! enum values by number; oneofs and methods by name.

pub mod finding;
pub(crate) mod fix;
pub(crate) mod hints;
pub mod rule;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;

use crate::engine::finding::{Audience, ElementKind, Finding, Location, Severity};
use crate::engine::rule::{Rule, RuleMeta};
use crate::schema::{Enum, EnumValue, Field, File, Message, Method, Oneof, Schema, Service};

/// Which token of an element a finding points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The whole declaration.
    Whole,
    /// The name.
    Name,
    /// A field's or enum value's number.
    Number,
    /// A field's type (`int64`, `shop.Money`) or label.
    Type,
    /// A field's label (`optional`, `repeated`, `required`).
    Label,
    /// A field's `json_name` option.
    JsonName,
    /// A message's or enum's `reserved` statements.
    Reserved,
    /// A file's `package` statement.
    Package,
    /// A method's request or response type.
    Input,
    /// A method's response type.
    Output,
    /// A method's request `stream` marker.
    ClientStreaming,
    /// A method's response `stream` marker.
    ServerStreaming,
    /// A file's `syntax`/`edition` statement.
    Syntax,
    /// A message's extension ranges.
    ExtensionRanges,
    /// A field's `default` option.
    Default,
    /// An option by its field number in the element's options message
    /// (`java_package` is 1 in `FileOptions`).
    Option(i32),
    /// A feature set on the element (`option features.enum_type = CLOSED;`,
    /// by its path inside `FeatureSet`), else the other part.
    Feature(&'static [i32], &'static Part),
}

/// The kind of element a path belongs to, for turning a [`Part`] into sub-paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Elem {
    File,
    Message,
    Field,
    Oneof,
    Enum,
    EnumValue,
    Service,
    Method,
}

/// Sub-paths (of `SourceCodeInfo`) to try for a part of an element, best first.
fn suffixes(elem: Elem, part: Part) -> Vec<Vec<i32>> {
    use Elem as E;
    let v = |xs: &[&[i32]]| xs.iter().map(|x| x.to_vec()).collect();
    match (elem, part) {
        (_, Part::Whole) => Vec::new(),
        (_, Part::Feature(path, or)) => {
            // `options` of the element, then `features` in those options.
            let options: &[i32] = match elem {
                E::File => &[8, 50],
                E::Message => &[7, 12],
                E::Field => &[8, 21],
                E::Oneof => &[2, 1],
                E::Enum => &[3, 7],
                E::EnumValue => &[3, 2],
                E::Service => &[3, 34],
                E::Method => &[4, 33],
            };
            let mut out = vec![[options, path].concat()];
            out.extend(suffixes(elem, *or));
            out
        }
        (E::File, Part::Syntax) => v(&[&[12], &[2]]),
        (E::File, Part::Package) => v(&[&[2], &[12]]),
        // Anything else about a file (a deleted top-level element, an option
        // that is not set) is at its start, as buf reports it.
        (E::File, Part::Option(n)) => v(&[&[8, n]]),
        (E::File, _) => Vec::new(),
        (E::Message, Part::Option(n)) => v(&[&[7, n], &[1]]),
        (E::Field, Part::Option(n)) => v(&[&[8, n], &[1]]),
        (E::Oneof, Part::Option(n)) => v(&[&[2, n], &[1]]),
        (E::Enum | E::EnumValue | E::Service, Part::Option(n)) => v(&[&[3, n], &[1]]),
        (E::Method, Part::Option(n)) => v(&[&[4, n], &[1]]),
        (E::Field, Part::Number) => v(&[&[3]]),
        (E::EnumValue, Part::Number) => v(&[&[2]]),
        (E::Field, Part::Type) => v(&[&[6], &[5]]),
        (E::Field, Part::Label) => v(&[&[4], &[6], &[5]]),
        (E::Field, Part::JsonName) => v(&[&[10], &[1]]),
        (E::Field, Part::Default) => v(&[&[7], &[1]]),
        (E::Message, Part::Reserved) => v(&[&[9], &[10], &[1]]),
        (E::Enum, Part::Reserved) => v(&[&[4], &[5], &[1]]),
        (E::Message, Part::ExtensionRanges) => v(&[&[5], &[1]]),
        (E::Method, Part::Input) => v(&[&[2], &[1]]),
        (E::Method, Part::Output) => v(&[&[3], &[1]]),
        (E::Method, Part::ClientStreaming) => v(&[&[5], &[2], &[1]]),
        (E::Method, Part::ServerStreaming) => v(&[&[6], &[3], &[1]]),
        _ => v(&[&[1]]),
    }
}

/// An element's place in one schema, resolved to a [`Location`] only when a
/// finding is kept.
#[derive(Debug, Clone)]
struct Anchor {
    file: usize,
    path: Vec<i32>,
    /// Sub-paths to try in order before the element itself.
    suffixes: Vec<Vec<i32>>,
}

impl Anchor {
    fn new(file: usize, path: &[i32], elem: Elem, part: Part) -> Self {
        Anchor {
            file,
            path: path.to_vec(),
            suffixes: suffixes(elem, part),
        }
    }

    /// The file itself: its first line.
    fn file(file: usize) -> Self {
        Anchor::new(file, &[], Elem::File, Part::Whole)
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
    /// The element is gone from the new schema: what to look for elsewhere.
    pub(crate) gone: Option<Gone>,
}

/// An element of the old schema that the new one lacks, by its key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Gone {
    File(String),
    Message(String),
    Enum(String),
    Service(String),
    Field { message: String, number: u32 },
    EnumValue { enum_: String, number: i32 },
    Method { service: String, name: String },
}

/// A finding before its locations are resolved.
#[derive(Debug)]
pub struct RawFinding {
    meta: &'static RuleMeta,
    pub(crate) message: String,
    pub(crate) help: Option<String>,
    /// The edits the help was rendered from, if it proposes any.
    pub(crate) edits: Vec<crate::engine::fix::ProposedEdit>,
    severity: Option<Severity>,
    /// Whom this finding breaks, when its consequence says fewer than the
    /// rule's `affects` (which bounds it).
    affects: Option<Vec<Audience>>,
    pub(crate) at: At,
}

impl RawFinding {
    /// Overrides the rule's severity for this finding (e.g. an info that
    /// explains why a change was accepted).
    pub fn severity(&mut self, severity: Severity) -> &mut Self {
        self.severity = Some(severity);
        self
    }

    /// Sets the concrete fix, in words only: no mechanical edit.
    pub fn help(&mut self, help: impl Into<String>) -> &mut Self {
        self.help = Some(help.into());
        self.edits.clear();
        self
    }

    /// Sets whom this finding breaks, from its consequence; audiences the
    /// rule does not declare are left out.
    pub(crate) fn affecting(&mut self, who: &[Audience]) -> &mut Self {
        self.affects = Some(who.to_vec());
        self
    }

    /// Sets the fix as edits and the help rendered from them.
    pub(crate) fn suggest(&mut self, s: crate::engine::fix::Suggestion) -> &mut Self {
        self.help = Some(s.help);
        self.edits = s.edits;
        self
    }
}

/// What a rule sees: both schemas and a place to report.
pub struct Cx<'a> {
    /// The old schema.
    pub old: &'a Schema,
    /// The new schema.
    pub new: &'a Schema,
    rule: &'static RuleMeta,
    out: Vec<RawFinding>,
}

impl<'a> Cx<'a> {
    /// The levels of the running rule: a fix it proposes must pass at each.
    pub fn levels(&self) -> &'static [crate::engine::rule::Level] {
        self.rule.levels
    }

    /// Reports a finding of the running rule.
    pub fn report(&mut self, at: At, message: impl Into<String>) -> &mut RawFinding {
        self.out.push(RawFinding {
            meta: self.rule,
            message: message.into(),
            help: None,
            edits: Vec::new(),
            severity: None,
            affects: None,
            at,
        });
        let last = self.out.len() - 1;
        &mut self.out[last]
    }
}

/// A file of the same path on both sides, or on one.
pub struct FilePair<'a> {
    /// The file's import name (`shop/order.proto`).
    pub name: &'a str,
    /// The element in the old schema, if it is there.
    pub old: Option<&'a File>,
    /// The element in the new schema, if it is there.
    pub new: Option<&'a File>,
    old_idx: Option<usize>,
    new_idx: Option<usize>,
}

impl FilePair<'_> {
    /// The index of the new file in the new schema.
    pub fn new_index(&self) -> Option<usize> {
        self.new_idx
    }

    fn gone(&self) -> Option<Gone> {
        (self.old.is_some() && self.new.is_none()).then(|| Gone::File(self.name.to_owned()))
    }

    /// Where a finding about this pair points: `part` of the new element (or
    /// its nearest surviving parent) and of the old one.
    pub fn at(&self, part: Part) -> At {
        At {
            kind: ElementKind::File,
            element: self.name.to_owned(),
            subject: format!("file:{}", self.name),
            new: self.new_idx.map(|f| Anchor::new(f, &[], Elem::File, part)),
            old: self.old_idx.map(|f| Anchor::new(f, &[], Elem::File, part)),
            old_file: self.old_idx,
            new_decl: None,
            old_decl: None,
            gone: self.gone(),
        }
    }
}

/// A package present on either side (among the input files).
pub struct PackagePair<'a> {
    /// The package.
    pub name: &'a str,
    /// Input files of the package on each side.
    pub old_files: Vec<&'a File>,
    /// The new side's input files of the package.
    pub new_files: Vec<&'a File>,
    old_first: Option<usize>,
    new_first: Option<usize>,
}

impl PackagePair<'_> {
    fn gone(&self) -> Option<Gone> {
        None
    }

    /// Where a finding about this pair points: `part` of the new element (or
    /// its nearest surviving parent) and of the old one.
    pub fn at(&self, _part: Part) -> At {
        At {
            kind: ElementKind::Package,
            element: self.name.to_owned(),
            subject: format!("package:{}", self.name),
            new: self.new_first.map(Anchor::file),
            old: self.old_first.map(Anchor::file),
            old_file: self.old_first,
            new_decl: None,
            old_decl: None,
            gone: self.gone(),
        }
    }
}

/// A message, enum, service or extension of a file present on both sides,
/// paired by its name within the file (for the per-file deletion rules).
pub struct FileMemberPair<'a> {
    /// The member's name within its package (`Outer.Inner`).
    pub nested_name: &'a str,
    /// Its file in the old schema.
    pub old_file: &'a File,
    /// The file of the same path in the new schema.
    pub new_file: &'a File,
    /// The member in the old file.
    pub old: Member<'a>,
    /// The member of the same name in the new file, if any.
    pub new: Option<Member<'a>>,
    /// The deepest enclosing message that still exists in the new file.
    new_parent: Option<&'a Message>,
    new_file_idx: usize,
    old_file_idx: usize,
}

/// A member of a file that the per-file deletion rules follow.
#[derive(Clone, Copy)]
pub enum Member<'a> {
    /// A message.
    Message(&'a Message),
    /// An enum.
    Enum(&'a Enum),
    /// A service.
    Service(&'a Service),
    /// An extension field.
    Extension(&'a Field),
}

impl Member<'_> {
    /// The kind of element it is.
    pub fn kind(&self) -> ElementKind {
        match self {
            Member::Message(_) => ElementKind::Message,
            Member::Enum(_) => ElementKind::Enum,
            Member::Service(_) => ElementKind::Service,
            Member::Extension(_) => ElementKind::Extension,
        }
    }

    fn path_and_elem(&self) -> (&[i32], Elem) {
        match self {
            Member::Message(m) => (&m.path, Elem::Message),
            Member::Enum(e) => (&e.path, Elem::Enum),
            Member::Service(s) => (&s.path, Elem::Service),
            Member::Extension(f) => (&f.path, Elem::Field),
        }
    }

    /// Its fully-qualified name.
    pub fn full_name(&self) -> &str {
        match self {
            Member::Message(m) => &m.full_name,
            Member::Enum(e) => &e.full_name,
            Member::Service(s) => &s.full_name,
            Member::Extension(f) => &f.full_name,
        }
    }
}

impl FileMemberPair<'_> {
    fn gone(&self) -> Option<Gone> {
        match (self.new, self.old) {
            (Some(_), _) | (None, Member::Extension(_)) => None,
            (None, Member::Message(m)) => Some(Gone::Message(m.full_name.clone())),
            (None, Member::Enum(e)) => Some(Gone::Enum(e.full_name.clone())),
            (None, Member::Service(s)) => Some(Gone::Service(s.full_name.clone())),
        }
    }

    /// Where a finding about this pair points: `part` of the new element (or
    /// its nearest surviving parent) and of the old one.
    pub fn at(&self, part: Part) -> At {
        let (old_path, old_elem) = self.old.path_and_elem();
        let new = match (self.new, self.new_parent) {
            (Some(n), _) => {
                let (p, e) = n.path_and_elem();
                Anchor::new(self.new_file_idx, p, e, part)
            }
            (None, Some(parent)) => {
                Anchor::new(self.new_file_idx, &parent.path, Elem::Message, Part::Name)
            }
            (None, None) => Anchor::file(self.new_file_idx),
        };
        At {
            kind: self.old.kind(),
            element: self.old.full_name().to_owned(),
            subject: format!("member:{}:{}", self.old_file.name, self.nested_name),
            new: Some(new),
            old: Some(Anchor::new(self.old_file_idx, old_path, old_elem, part)),
            old_file: None,
            new_decl: None,
            old_decl: None,
            gone: self.gone(),
        }
    }
}

/// Messages paired by fully-qualified name.
pub struct MessagePair<'a> {
    /// The element in the old schema, if it is there.
    pub old: Option<&'a Message>,
    /// The element in the new schema, if it is there.
    pub new: Option<&'a Message>,
    /// Where a deleted message's nearest surviving parent is.
    new_parent: Option<Anchor>,
}

impl MessagePair<'_> {
    fn gone(&self) -> Option<Gone> {
        match (self.old, self.new) {
            (Some(o), None) => Some(Gone::Message(o.full_name.clone())),
            _ => None,
        }
    }

    /// Where a finding about this pair points: `part` of the new element (or
    /// its nearest surviving parent) and of the old one.
    pub fn at(&self, part: Part) -> At {
        let any = self
            .new
            .or(self.old)
            .map(|m| m.full_name.clone())
            .unwrap_or_default();
        At {
            kind: ElementKind::Message,
            subject: format!("message:{any}"),
            element: any,
            new: self
                .new
                .map(|m| Anchor::new(m.file, &m.path, Elem::Message, part))
                .or_else(|| self.new_parent.clone()),
            old: self
                .old
                .map(|m| Anchor::new(m.file, &m.path, Elem::Message, part)),
            old_file: None,
            new_decl: None,
            old_decl: None,
            gone: self.gone(),
        }
    }
}

/// Fields of a message present on both sides, paired by number; or
/// extensions of such a message, paired by extendee and number.
pub struct FieldPair<'a> {
    /// The field number both sides are paired by.
    pub number: u32,
    /// The message the fields belong to (for extensions: the extendee).
    pub old_message: &'a Message,
    /// The message (or extendee) in the new schema.
    pub new_message: &'a Message,
    /// The element in the old schema, if it is there.
    pub old: Option<&'a Field>,
    /// The element in the new schema, if it is there.
    pub new: Option<&'a Field>,
    /// Whether these are extensions (declared with `extend`).
    pub extension: bool,
}

impl FieldPair<'_> {
    fn gone(&self) -> Option<Gone> {
        (self.old.is_some() && self.new.is_none() && !self.extension).then(|| Gone::Field {
            message: self.new_message.full_name.clone(),
            number: self.number,
        })
    }

    /// "field 3 of message \"shop.Order\"" or "extension 100 of message \"…\"".
    pub fn describe(&self) -> String {
        format!(
            "{} {} of message \"{}\"",
            if self.extension { "extension" } else { "field" },
            self.number,
            self.new_message.full_name
        )
    }

    /// Where a finding about this pair points: `part` of the new element (or
    /// its nearest surviving parent) and of the old one.
    pub fn at(&self, part: Part) -> At {
        let name = self
            .new
            .or(self.old)
            .map(|f| f.name.as_str())
            .unwrap_or_default();
        // A field lives in its message's file; an extension where it is declared.
        let side = |m: &Message, f: Option<&Field>, part| match f {
            Some(f) => Anchor::new(f.file, &f.path, Elem::Field, part),
            None => Anchor::new(m.file, &m.path, Elem::Message, Part::Name),
        };
        let element = match self.new.or(self.old) {
            Some(f) if self.extension => f.full_name.clone(),
            _ => format!("{}.{name}", self.new_message.full_name),
        };
        let kind = if self.extension {
            ElementKind::Extension
        } else {
            ElementKind::Field
        };
        At {
            kind,
            element,
            subject: format!(
                "{}:{}:{}",
                if self.extension { "extension" } else { "field" },
                self.new_message.full_name,
                self.number
            ),
            new: Some(side(self.new_message, self.new, part)),
            // On the old side, the whole declaration: where the field was.
            old: Some(side(self.old_message, self.old, Part::Whole)),
            old_file: None,
            new_decl: self
                .new
                .map(|f| Anchor::new(f.file, &f.path, Elem::Field, Part::Whole)),
            old_decl: self
                .old
                .map(|f| Anchor::new(f.file, &f.path, Elem::Field, Part::Whole)),
            gone: self.gone(),
        }
    }
}

/// Extensions paired by fully-qualified name (for the package-level rule).
pub struct ExtensionPair<'a> {
    /// The extension's full name both sides are paired by.
    pub full_name: &'a str,
    /// The element in the old schema, if it is there.
    pub old: Option<&'a Field>,
    /// The element in the new schema, if it is there.
    pub new: Option<&'a Field>,
    /// The package of the extension.
    pub package: &'a str,
    new_parent: Option<Anchor>,
}

impl ExtensionPair<'_> {
    fn gone(&self) -> Option<Gone> {
        None
    }

    /// Where a finding about this pair points: `part` of the new element (or
    /// its nearest surviving parent) and of the old one.
    pub fn at(&self, part: Part) -> At {
        At {
            kind: ElementKind::Extension,
            element: self.full_name.to_owned(),
            subject: format!("extension-name:{}", self.full_name),
            new: self
                .new
                .map(|f| Anchor::new(f.file, &f.path, Elem::Field, part))
                .or_else(|| self.new_parent.clone()),
            old: self
                .old
                .map(|f| Anchor::new(f.file, &f.path, Elem::Field, Part::Whole)),
            old_file: None,
            new_decl: None,
            old_decl: None,
            gone: self.gone(),
        }
    }
}

/// Oneofs of a message present on both sides, paired by name.
pub struct OneofPair<'a> {
    /// The message in the old schema.
    pub old_message: &'a Message,
    /// The message in the new schema.
    pub new_message: &'a Message,
    /// The element in the old schema, if it is there.
    pub old: Option<&'a Oneof>,
    /// The element in the new schema, if it is there.
    pub new: Option<&'a Oneof>,
}

impl OneofPair<'_> {
    fn gone(&self) -> Option<Gone> {
        None
    }

    /// Where a finding about this pair points: `part` of the new element (or
    /// its nearest surviving parent) and of the old one.
    pub fn at(&self, part: Part) -> At {
        let name = self
            .new
            .or(self.old)
            .map(|o| o.name.as_str())
            .unwrap_or_default();
        let side = |m: &Message, o: Option<&Oneof>| match o {
            Some(o) => Anchor::new(m.file, &o.path, Elem::Oneof, part),
            None => Anchor::new(m.file, &m.path, Elem::Message, Part::Name),
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
            gone: self.gone(),
        }
    }
}

/// Enums paired by fully-qualified name.
pub struct EnumPair<'a> {
    /// The element in the old schema, if it is there.
    pub old: Option<&'a Enum>,
    /// The element in the new schema, if it is there.
    pub new: Option<&'a Enum>,
    new_parent: Option<Anchor>,
}

impl EnumPair<'_> {
    fn gone(&self) -> Option<Gone> {
        match (self.old, self.new) {
            (Some(o), None) => Some(Gone::Enum(o.full_name.clone())),
            _ => None,
        }
    }

    /// Where a finding about this pair points: `part` of the new element (or
    /// its nearest surviving parent) and of the old one.
    pub fn at(&self, part: Part) -> At {
        let any = self
            .new
            .or(self.old)
            .map(|e| e.full_name.clone())
            .unwrap_or_default();
        At {
            kind: ElementKind::Enum,
            subject: format!("enum:{any}"),
            element: any,
            new: self
                .new
                .map(|e| Anchor::new(e.file, &e.path, Elem::Enum, part))
                .or_else(|| self.new_parent.clone()),
            old: self
                .old
                .map(|e| Anchor::new(e.file, &e.path, Elem::Enum, part)),
            old_file: None,
            new_decl: None,
            old_decl: None,
            gone: self.gone(),
        }
    }
}

/// The values of an enum present on both sides that share a number
/// (several with `allow_alias`).
pub struct EnumValuePair<'a> {
    /// The number both sides are paired by.
    pub number: i32,
    /// The enum in the old schema.
    pub old_enum: &'a Enum,
    /// The enum in the new schema.
    pub new_enum: &'a Enum,
    /// The old enum's values with that number (aliases share one).
    pub old: Vec<&'a EnumValue>,
    /// The new enum's values with that number.
    pub new: Vec<&'a EnumValue>,
}

impl EnumValuePair<'_> {
    fn gone(&self) -> Option<Gone> {
        (!self.old.is_empty() && self.new.is_empty()).then(|| Gone::EnumValue {
            enum_: self.new_enum.full_name.clone(),
            number: self.number,
        })
    }

    /// Where a finding about this pair points: `part` of the new element (or
    /// its nearest surviving parent) and of the old one.
    pub fn at(&self, part: Part) -> At {
        let side = |e: &Enum, v: Option<&&EnumValue>, part| match v {
            Some(v) => Anchor::new(e.file, &v.path, Elem::EnumValue, part),
            None => Anchor::new(e.file, &e.path, Elem::Enum, Part::Name),
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
            new: Some(side(self.new_enum, self.new.first(), part)),
            old: Some(side(self.old_enum, self.old.first(), Part::Whole)),
            old_file: None,
            new_decl: self
                .new
                .first()
                .map(|v| Anchor::new(self.new_enum.file, &v.path, Elem::EnumValue, Part::Whole)),
            old_decl: self
                .old
                .first()
                .map(|v| Anchor::new(self.old_enum.file, &v.path, Elem::EnumValue, Part::Whole)),
            gone: self.gone(),
        }
    }
}

/// Services paired by fully-qualified name.
pub struct ServicePair<'a> {
    /// The element in the old schema, if it is there.
    pub old: Option<&'a Service>,
    /// The element in the new schema, if it is there.
    pub new: Option<&'a Service>,
    new_file: Option<usize>,
}

impl ServicePair<'_> {
    fn gone(&self) -> Option<Gone> {
        match (self.old, self.new) {
            (Some(o), None) => Some(Gone::Service(o.full_name.clone())),
            _ => None,
        }
    }

    /// Where a finding about this pair points: `part` of the new element (or
    /// its nearest surviving parent) and of the old one.
    pub fn at(&self, part: Part) -> At {
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
                .map(|s| Anchor::new(s.file, &s.path, Elem::Service, part))
                .or_else(|| self.new_file.map(Anchor::file)),
            old: self
                .old
                .map(|s| Anchor::new(s.file, &s.path, Elem::Service, part)),
            old_file: None,
            new_decl: None,
            old_decl: None,
            gone: self.gone(),
        }
    }
}

/// Methods of a service present on both sides, paired by name.
pub struct MethodPair<'a> {
    /// The service in the old schema.
    pub old_service: &'a Service,
    /// The service in the new schema.
    pub new_service: &'a Service,
    /// The element in the old schema, if it is there.
    pub old: Option<&'a Method>,
    /// The element in the new schema, if it is there.
    pub new: Option<&'a Method>,
}

impl MethodPair<'_> {
    fn gone(&self) -> Option<Gone> {
        match (self.old, self.new) {
            (Some(o), None) => Some(Gone::Method {
                service: self.new_service.full_name.clone(),
                name: o.name.clone(),
            }),
            _ => None,
        }
    }

    /// Where a finding about this pair points: `part` of the new element (or
    /// its nearest surviving parent) and of the old one.
    pub fn at(&self, part: Part) -> At {
        let name = self
            .new
            .or(self.old)
            .map(|m| m.name.as_str())
            .unwrap_or_default();
        let side = |s: &Service, m: Option<&Method>, part| match m {
            Some(m) => Anchor::new(s.file, &m.path, Elem::Method, part),
            None => Anchor::new(s.file, &s.path, Elem::Service, Part::Name),
        };
        At {
            kind: ElementKind::Method,
            element: format!("{}.{name}", self.new_service.full_name),
            subject: format!("method:{}:{name}", self.new_service.full_name),
            new: Some(side(self.new_service, self.new, part)),
            old: Some(side(self.old_service, self.old, Part::Whole)),
            old_file: None,
            new_decl: self
                .new
                .map(|m| Anchor::new(self.new_service.file, &m.path, Elem::Method, Part::Whole)),
            old_decl: self
                .old
                .map(|m| Anchor::new(self.old_service.file, &m.path, Elem::Method, Part::Whole)),
            gone: self.gone(),
        }
    }
}

/// An element on the old side, the new side, or both.
type Both<T> = (Option<T>, Option<T>);

/// Old messages checked by one task of [`run`]: enough that a task's
/// overhead does not count, few enough that both cores get work from a few
/// thousand.
const MESSAGES_PER_TASK: usize = 512;

/// Calls every rule on every pair and returns the findings, sorted by path,
/// line, column and rule.
pub fn run(old: &Schema, new: &Schema, rules: &[&dyn Rule]) -> Vec<Finding> {
    let Some(first) = rules.first() else {
        return Vec::new();
    };
    let new_cx = || Cx {
        old,
        new,
        rule: first.meta(),
        out: Vec::new(),
    };
    let mut cx = new_cx();
    // Every rule's `$hook` on the pair, into `cx` (or the `Cx` given).
    macro_rules! each {
        ($cx:ident; $hook:ident, $pair:expr) => {{
            let pair = $pair;
            for r in rules {
                $cx.rule = r.meta();
                r.$hook(&mut $cx, &pair);
            }
        }};
        ($hook:ident, $pair:expr) => {
            each!(cx; $hook, $pair)
        };
    }

    // Files by path.
    let names: BTreeSet<&str> = old
        .target_files()
        .chain(new.target_files())
        .map(|(_, f)| f.name.as_str())
        .collect();
    for name in &names {
        let old_idx = old.target_file_index(name);
        let new_idx = new.target_file_index(name);
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

    // Packages.
    let mut packages: BTreeMap<&str, (Vec<usize>, Vec<usize>)> = BTreeMap::new();
    for (i, f) in old.target_files() {
        packages.entry(f.package.as_str()).or_default().0.push(i);
    }
    for (i, f) in new.target_files() {
        packages.entry(f.package.as_str()).or_default().1.push(i);
    }
    for (name, (o, n)) in &packages {
        // Unchanged files of the package exist on both sides: it is not gone.
        if old.unchanged_packages.contains(*name) {
            continue;
        }
        each!(
            check_package,
            PackagePair {
                name,
                old_files: o.iter().map(|&i| &old.files[i]).collect(),
                new_files: n.iter().map(|&i| &new.files[i]).collect(),
                old_first: o.first().copied(),
                new_first: n.first().copied(),
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
    let mut new_ext_by_nested: HashMap<(usize, &str), &Field> = HashMap::new();
    for (_, x) in new.target_extensions() {
        new_ext_by_nested.insert((x.file, x.nested_name()), x);
    }
    let same_file = |f: usize| -> Option<usize> { new.target_file_index(&old.files[f].name) };
    let surviving_parent = |new_file: usize, mut parent: Option<usize>| -> Option<&Message> {
        while let Some(p) = parent {
            if let Some(m) = new_by_nested.get(&(new_file, old.messages[p].nested_name.as_str())) {
                return Some(m);
            }
            parent = old.messages[p].parent;
        }
        None
    };
    macro_rules! members {
        ($iter:expr, $nested:ident, $lookup:expr, $variant:ident, $parent:ident) => {
            for (_, x) in $iter {
                let Some(nf) = same_file(x.file) else {
                    continue;
                };
                let found = $lookup(nf, x.$nested());
                each!(
                    check_file_member,
                    FileMemberPair {
                        nested_name: x.$nested(),
                        old_file: &old.files[x.file],
                        new_file: &new.files[nf],
                        old: Member::$variant(x),
                        new: found.map(Member::$variant),
                        new_parent: surviving_parent(nf, x.$parent()),
                        new_file_idx: nf,
                        old_file_idx: x.file,
                    }
                );
            }
        };
    }
    members!(
        old.target_messages(),
        nested_name_str,
        |nf, n: &str| new_by_nested.get(&(nf, n)).copied(),
        Message,
        parent_message
    );
    members!(
        old.target_enums(),
        nested_name_str,
        |nf, n: &str| new_enums_by_nested.get(&(nf, n)).copied(),
        Enum,
        parent_message
    );
    members!(
        old.target_services(),
        nested_name_str,
        |nf: usize, n: &str| new.files[nf]
            .services
            .iter()
            .map(|&i| &new.services[i])
            .find(|s| s.name == n),
        Service,
        parent_message
    );
    members!(
        old.target_extensions(),
        nested_name,
        |nf, n: &str| new_ext_by_nested.get(&(nf, n)).copied(),
        Extension,
        parent_message
    );

    // Messages by fully-qualified name, then their fields and oneofs.
    let deleted_parent = |file: usize, parent: Option<usize>| -> Option<Anchor> {
        let mut p = parent;
        while let Some(i) = p {
            if let Some(m) = new.message(&old.messages[i].full_name) {
                return Some(Anchor::new(m.file, &m.path, Elem::Message, Part::Name));
            }
            p = old.messages[i].parent;
        }
        same_file(file).map(Anchor::file)
    };
    // The bulk of the work where many messages changed: in chunks on all
    // cores, their findings joined in order.
    let old_messages: Vec<&Message> = old.target_messages().map(|(_, m)| m).collect();
    let chunks: Vec<Vec<RawFinding>> = old_messages
        .par_chunks(MESSAGES_PER_TASK)
        .map(|chunk| {
            let mut cx = new_cx();
            for &om in chunk {
                let nm = new.message(&om.full_name);
                each!(
                    cx;
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
            cx.out
        })
        .collect();
    cx.out.extend(chunks.into_iter().flatten());
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

    // Extensions: by extendee and number for the field rules, by name for the
    // package rule.
    let mut by_number: BTreeMap<(&str, u32), Both<&Field>> = BTreeMap::new();
    for (_, x) in old.target_extensions() {
        by_number
            .entry((x.extendee_name(), x.number))
            .or_default()
            .0 = Some(x);
    }
    for (_, x) in new.target_extensions() {
        by_number
            .entry((x.extendee_name(), x.number))
            .or_default()
            .1 = Some(x);
    }
    for ((extendee, number), (o, n)) in by_number {
        if let (Some(om), Some(nm)) = (old.message(extendee), new.message(extendee)) {
            each!(
                check_field,
                FieldPair {
                    number,
                    old_message: om,
                    new_message: nm,
                    old: o,
                    new: n,
                    extension: true,
                }
            );
        }
    }
    let mut by_name: BTreeMap<&str, Both<&Field>> = BTreeMap::new();
    for (_, x) in old.target_extensions() {
        by_name.entry(x.full_name.as_str()).or_default().0 = Some(x);
    }
    for (_, x) in new.target_extensions() {
        by_name.entry(x.full_name.as_str()).or_default().1 = Some(x);
    }
    for (full_name, (o, n)) in by_name {
        let any = o.or(n).map(|x| {
            (
                x.file,
                x.parent,
                x.package_of(if o.is_some() { old } else { new }),
            )
        });
        let Some((file, parent, package)) = any else {
            continue;
        };
        each!(
            check_extension,
            ExtensionPair {
                full_name,
                old: o,
                new: n,
                package,
                new_parent: if n.is_none() {
                    deleted_parent(file, parent)
                } else {
                    None
                },
            }
        );
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
            let mut names: BTreeMap<&str, (Option<&Method>, Option<&Method>)> = BTreeMap::new();
            for m in &os.methods {
                names.entry(m.name.as_str()).or_default().0 = Some(m);
            }
            for m in &ns.methods {
                names.entry(m.name.as_str()).or_default().1 = Some(m);
            }
            for (_, (o, n)) in names {
                each!(
                    check_method,
                    MethodPair {
                        old_service: os,
                        new_service: ns,
                        old: o,
                        new: n,
                    }
                );
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

    let mut out = cx.out;
    crate::engine::hints::add(old, new, &mut out);
    let mut findings: Vec<Finding> = out.into_par_iter().map(|r| resolve(old, new, r)).collect();
    findings.par_sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
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
            extension: false,
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
    if span.is_none() && !a.path.is_empty() {
        span = file.span(&a.path);
    }
    if span.is_none() {
        // Only a field of a synthetic map entry has no place of its own.
        span = map_field_span(schema, a);
    }
    let mut p = a.path.clone();
    while span.is_none() && !p.is_empty() {
        span = file.span(&p);
        p.truncate(p.len().saturating_sub(2));
    }
    if span.is_none() {
        // The start of the file.
        span = file.source().map(|s| s.span_of(0, 0)).or_else(|| {
            file.has_source_info()
                .then(crate::schema::span::Span::start)
        });
    }
    let (path, revision) = shown_path(file);
    Location {
        path,
        file: file.name.clone(),
        span,
        source_info: file.has_source_info(),
        revision,
    }
}

/// How a finding names a file: its display path; for a file read at a git
/// revision, its path in the repository with the revision apart.
fn shown_path(file: &crate::schema::File) -> (String, Option<String>) {
    match &file.revision {
        Some(rev) => (
            file.display_path
                .strip_prefix(&format!("{rev}:"))
                .unwrap_or(&file.display_path)
                .to_owned(),
            Some(rev.clone()),
        ),
        None => (file.display_path.clone(), None),
    }
}

/// Fields of a synthetic map entry message have no place of their own: point
/// at the `map<…>` field that declares the entry.
fn map_field_span(schema: &Schema, a: &Anchor) -> Option<crate::schema::span::Span> {
    let file = &schema.files[a.file];
    let mut prefix = a.path.as_slice();
    while prefix.len() >= 2 {
        prefix = &prefix[..prefix.len() - 2];
        let Some(entry) = schema.map_entry_at(a.file, prefix) else {
            continue;
        };
        let parent = &schema.messages[entry.parent?];
        let field = parent
            .fields
            .iter()
            .find(|f| f.type_name.as_deref() == Some(entry.full_name.as_str()))?;
        let mut type_path = field.path.clone();
        type_path.push(6);
        return file.span(&type_path).or_else(|| file.span(&field.path));
    }
    None
}

/// The declaration's text when it fits on one short line.
fn decl_text(schema: &Schema, a: &Anchor) -> Option<String> {
    let file = &schema.files[a.file];
    let span = file.span(&a.path)?;
    let text = file.source()?.text();
    let s = text.get(span.offset..span.offset + span.len)?;
    (span.line == span.end_line && s.len() <= 160).then(|| s.to_owned())
}

fn resolve(old: &Schema, new: &Schema, r: RawFinding) -> Finding {
    let at = r.at;
    let old_location = at.old.as_ref().map(|a| locate(old, a));
    let location = match (&at.new, at.old_file) {
        (Some(a), _) => locate(new, a),
        (None, Some(f)) => {
            let (path, revision) = shown_path(&old.files[f]);
            Location {
                path,
                file: old.files[f].name.clone(),
                span: None,
                source_info: old.files[f].has_source_info(),
                revision,
            }
        }
        // Gone with its whole file: named by its old file, with no place in
        // the new schema.
        (None, None) => old_location
            .as_ref()
            .map(|o| Location {
                span: None,
                ..o.clone()
            })
            .unwrap_or(Location {
                path: String::new(),
                file: String::new(),
                span: None,
                source_info: true,
                revision: None,
            }),
    };
    Finding {
        rule: r.meta.id,
        severity: r.severity.unwrap_or(r.meta.severity),
        message: r.message,
        help: r.help,
        fix: crate::engine::fix::resolve(new, &r.edits),
        affects: match &r.affects {
            Some(who) => r
                .meta
                .affects
                .iter()
                .copied()
                .filter(|a| who.contains(a))
                .collect(),
            None => r.meta.affects.to_vec(),
        },
        element_kind: at.kind,
        element: at.element,
        subject: at.subject,
        location,
        old_location,
        old_text: at.old_decl.as_ref().and_then(|a| decl_text(old, a)),
        new_text: at.new_decl.as_ref().and_then(|a| decl_text(new, a)),
        registry: None,
    }
}
