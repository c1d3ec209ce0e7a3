//! What a rule is to the engine: its metadata ([`RuleMeta`]), buf's levels
//! ([`Level`]), and the hooks ([`Rule`]) the engine calls once per matched
//! pair. The rules themselves live in [`crate::rules`], one file each,
//! declared with the crate's private `rule!` macro.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use crate::engine::finding::{Audience, Severity};
use crate::engine::{
    Cx, EnumPair, EnumValuePair, ExtensionPair, FieldPair, FileMemberPair, FilePair, MessagePair,
    MethodPair, OneofPair, PackagePair, ServicePair,
};

/// buf's breaking categories, from strictest to most lenient: each level's
/// rules are about what the next one's protect and more.
///
/// Parsed from protocheck's names and buf's (`"wire-json"` or `"WIRE_JSON"`);
/// displayed and serialized with protocheck's:
///
/// ```
/// use protocheck::Level;
///
/// let level: Level = "WIRE_JSON".parse().unwrap();
/// assert_eq!(level, Level::WireJson);
/// assert_eq!(level.to_string(), "wire-json");
/// assert_eq!(level.buf_name(), "WIRE_JSON");
/// assert!("strict".parse::<Level>().is_err());
/// ```
///
/// More levels may be added, as buf adds categories: a `match` needs a
/// wildcard arm.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Level {
    /// Generated code per file: nothing moves between files. buf's `FILE`.
    /// The default, as in buf.
    #[default]
    File,
    /// Generated code per package: types may move between files. buf's `PACKAGE`.
    Package,
    /// The binary encoding and the JSON mapping. buf's `WIRE_JSON`.
    WireJson,
    /// The binary encoding only. buf's `WIRE`.
    Wire,
    /// buf's `CSR` category (buf.yaml v2): the 22 WIRE_JSON rules and 10
    /// FILE rules that buf chose for Confluent Schema Registry compatibility.
    /// buf's verdicts, stricter than the registry's own (`--compat`).
    Csr,
}

/// The rules of buf's `CSR` category, which buf lists per rule.
pub const CSR: &[&str] = &[
    "ENUM_NO_DELETE",
    "ENUM_SAME_JSON_FORMAT",
    "ENUM_VALUE_NO_DELETE",
    "ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED",
    "ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED",
    "ENUM_VALUE_SAME_NAME",
    "EXTENSION_MESSAGE_NO_DELETE",
    "FIELD_NO_DELETE",
    "FIELD_NO_DELETE_UNLESS_NAME_RESERVED",
    "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED",
    "FIELD_SAME_DEFAULT",
    "FIELD_SAME_JSON_NAME",
    "FIELD_SAME_NAME",
    "FIELD_SAME_ONEOF",
    "FIELD_SAME_TYPE",
    "FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY",
    "FIELD_WIRE_JSON_COMPATIBLE_TYPE",
    "FILE_NO_DELETE",
    "FILE_SAME_PACKAGE",
    "FILE_SAME_SYNTAX",
    "MESSAGE_NO_DELETE",
    "MESSAGE_NO_REMOVE_STANDARD_DESCRIPTOR_ACCESSOR",
    "MESSAGE_SAME_JSON_FORMAT",
    "MESSAGE_SAME_REQUIRED_FIELDS",
    "ONEOF_NO_DELETE",
    "RESERVED_ENUM_NO_DELETE",
    "RESERVED_MESSAGE_NO_DELETE",
    "RPC_SAME_CLIENT_STREAMING",
    "RPC_SAME_IDEMPOTENCY_LEVEL",
    "RPC_SAME_REQUEST_TYPE",
    "RPC_SAME_RESPONSE_TYPE",
    "RPC_SAME_SERVER_STREAMING",
];

impl Level {
    /// Every level, strictest first.
    pub const ALL: [Level; 4] = [Level::File, Level::Package, Level::WireJson, Level::Wire];

    /// protocheck's name, as `--level` takes it: `file`, `package`,
    /// `wire-json`, `wire`.
    pub fn name(self) -> &'static str {
        match self {
            Level::File => "file",
            Level::Package => "package",
            Level::WireJson => "wire-json",
            Level::Wire => "wire",
            Level::Csr => "csr",
        }
    }

    /// buf's category ID: `FILE`, `PACKAGE`, `WIRE_JSON`, `WIRE`.
    pub fn buf_name(self) -> &'static str {
        match self {
            Level::File => "FILE",
            Level::Package => "PACKAGE",
            Level::WireJson => "WIRE_JSON",
            Level::Wire => "WIRE",
            Level::Csr => "CSR",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Level {
    /// A message naming the levels there are.
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Level::ALL
            .into_iter()
            .chain([Level::Csr])
            .find(|l| l.name() == s || l.buf_name() == s)
            .ok_or_else(|| {
                format!("unknown level \"{s}\": expected file, package, wire-json, wire or csr")
            })
    }
}

/// What a rule is, independent of its logic: what `protocheck rules` lists
/// and `protocheck explain` prints.
///
/// Every rule has one, as a constant ([`HasMeta::META`]) written by the
/// `rule!` declaration in its file.
///
/// ```
/// use protocheck::rules;
///
/// let meta = rules::by_id("FIELD_SAME_TYPE").unwrap().meta();
/// assert!(meta.in_level(protocheck::Level::File));
/// assert!(!meta.in_level(protocheck::Level::Wire));
/// assert!(meta.doc.contains("# Why"));
/// ```
#[derive(Debug)]
pub struct RuleMeta {
    /// The rule ID, in buf's SCREAMING_SNAKE_CASE (`FIELD_SAME_TYPE`).
    pub id: &'static str,
    /// The levels whose rule sets include the rule.
    pub levels: &'static [Level],
    /// Everyone the rule can name as hurt; a finding names those its
    /// message claims ([`Finding::affects`](crate::Finding::affects)).
    pub affects: &'static [Audience],
    /// The severity of its findings, unless a finding says otherwise.
    pub severity: Severity,
    /// A check of protocheck's own, not one of buf's.
    pub protocheck_only: bool,
    /// One line for `protocheck rules`.
    pub summary: &'static str,
    /// The rule's doc comment, Markdown with `# What`, `# Why`, `# Example`
    /// and `# Fix` sections: the text of `protocheck explain`.
    pub doc: &'static str,
}

impl RuleMeta {
    /// Whether the rule is one of `level`'s rules.
    pub fn in_level(&self, level: Level) -> bool {
        match level {
            Level::Csr => CSR.contains(&self.id),
            l => self.levels.contains(&l),
        }
    }
}

/// Metadata every rule carries as a constant; generated by the `rule!`
/// declaration of each rule in [`crate::rules`].
pub trait HasMeta {
    /// The rule's metadata.
    const META: RuleMeta;
}

/// A check over already-paired elements: the engine matches old and new
/// (files by path, messages by full name, fields by number, …) and calls
/// each hook once per pair of its kind; the default does nothing, so a rule
/// overrides only the hooks it needs and reports through the [`Cx`].
///
/// Rules are declared with the crate's `rule!` macro, which writes the
/// struct, its [`HasMeta`] and [`Rule::meta`]; the hooks are the rule's body.
/// [`crate::rules::ALL`] lists every rule.
pub trait Rule: Sync {
    /// The rule's metadata.
    fn meta(&self) -> &'static RuleMeta;
    /// A file of the old schema and the file of the same path in the new (either may be missing).
    fn check_file(&self, _cx: &mut Cx, _p: &FilePair) {}
    /// A package as a whole, on both sides.
    fn check_package(&self, _cx: &mut Cx, _p: &PackagePair) {}
    /// An extension, paired by full name (for the package rules).
    fn check_extension(&self, _cx: &mut Cx, _p: &ExtensionPair) {}
    /// A top-level or nested message, enum, service or extension of an old file, and its namesake in the new file of the same path.
    fn check_file_member(&self, _cx: &mut Cx, _p: &FileMemberPair) {}
    /// A message, paired by full name.
    fn check_message(&self, _cx: &mut Cx, _p: &MessagePair) {}
    /// A field of a paired message, or an extension of a paired extendee, paired by number.
    fn check_field(&self, _cx: &mut Cx, _p: &FieldPair) {}
    /// A oneof of a paired message, paired by name.
    fn check_oneof(&self, _cx: &mut Cx, _p: &OneofPair) {}
    /// An enum, paired by full name.
    fn check_enum(&self, _cx: &mut Cx, _p: &EnumPair) {}
    /// The values of a paired enum with one number, on both sides.
    fn check_enum_value(&self, _cx: &mut Cx, _p: &EnumValuePair) {}
    /// A service, paired by full name.
    fn check_service(&self, _cx: &mut Cx, _p: &ServicePair) {}
    /// A method of a paired service, paired by name.
    fn check_method(&self, _cx: &mut Cx, _p: &MethodPair) {}
}
