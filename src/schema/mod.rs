//! The compiled schema of one side (old or new), as protocheck's own model.
//!
//! Built from `FileDescriptorProto`s (whatever compiled them), with the facts the
//! rules compare already resolved: field kind, cardinality and presence, map
//! entries, synthetic oneofs, json names, closed enums. Rules never look at raw
//! descriptors.

pub mod features;
pub mod lower;
pub(crate) mod overlay;
pub mod span;

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::ops::Range;
use std::sync::OnceLock;

use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::{
    DescriptorProto, EnumDescriptorProto, EnumOptions, FieldDescriptorProto, FieldOptions,
    FileDescriptorProto, FileOptions, MessageOptions, MethodOptions, ServiceDescriptorProto,
    ServiceOptions, SourceCodeInfo,
};

use crate::schema::features::{
    Edition, EnumType, Features, FieldPresence, JsonFormat, MessageEncoding,
};
use crate::schema::overlay::{EnumOverlay, FieldOverlay, FileOverlay, MessageOverlay};
use crate::schema::span::{LocationIndex, Reread, SourceText, Span};

/// The model's indices by name are looked up for every element paired:
/// foldhash's fast hasher, not std's SipHash.
type Fast = foldhash::fast::RandomState;

/// Which version of the schema something belongs to. Displays and
/// serializes as `old` or `new`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// The version checked against (the baseline).
    Old,
    /// The version being checked (the change).
    New,
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Side::Old => "old",
            Side::New => "new",
        })
    }
}

/// A file's `syntax` or `edition` statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Syntax {
    /// `syntax = "proto2"` (or no syntax statement).
    Proto2,
    /// `syntax = "proto3"`.
    Proto3,
    /// `edition = "…"`, with the edition's year (`2023`).
    Editions(String),
}

impl fmt::Display for Syntax {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Syntax::Proto2 => f.write_str("proto2"),
            Syntax::Proto3 => f.write_str("proto3"),
            Syntax::Editions(e) => write!(f, "edition {e}"),
        }
    }
}

/// The type of a field as protobuf defines it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `double`.
    Double,
    /// `float`.
    Float,
    /// `int64`.
    Int64,
    /// `uint64`.
    Uint64,
    /// `int32`.
    Int32,
    /// `fixed64`.
    Fixed64,
    /// `fixed32`.
    Fixed32,
    /// `bool`.
    Bool,
    /// `string`.
    String,
    /// A proto2 group (delimited encoding).
    Group,
    /// A message (length-delimited).
    Message,
    /// `bytes`.
    Bytes,
    /// `uint32`.
    Uint32,
    /// An enum.
    Enum,
    /// `sfixed32`.
    Sfixed32,
    /// `sfixed64`.
    Sfixed64,
    /// `sint32` (zigzag).
    Sint32,
    /// `sint64` (zigzag).
    Sint64,
}

/// The encoding of a value on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WireType {
    /// Wire type 0: varints (integers, bools, enums).
    Varint,
    /// Wire type 1: eight bytes.
    Fixed64,
    /// Wire type 2: a length and that many bytes (strings, bytes, messages, packed repeated).
    LengthDelimited,
    /// Wire types 3 and 4: a group between start and end tags.
    Group,
    /// Wire type 5: four bytes.
    Fixed32,
}

impl fmt::Display for WireType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            WireType::Varint => "varint",
            WireType::Fixed64 => "64-bit fixed",
            WireType::LengthDelimited => "length-delimited",
            WireType::Group => "group",
            WireType::Fixed32 => "32-bit fixed",
        })
    }
}

impl Kind {
    fn from_proto(t: Type) -> Kind {
        match t {
            Type::Double => Kind::Double,
            Type::Float => Kind::Float,
            Type::Int64 => Kind::Int64,
            Type::Uint64 => Kind::Uint64,
            Type::Int32 => Kind::Int32,
            Type::Fixed64 => Kind::Fixed64,
            Type::Fixed32 => Kind::Fixed32,
            Type::Bool => Kind::Bool,
            Type::String => Kind::String,
            Type::Group => Kind::Group,
            Type::Message => Kind::Message,
            Type::Bytes => Kind::Bytes,
            Type::Uint32 => Kind::Uint32,
            Type::Enum => Kind::Enum,
            Type::Sfixed32 => Kind::Sfixed32,
            Type::Sfixed64 => Kind::Sfixed64,
            Type::Sint32 => Kind::Sint32,
            Type::Sint64 => Kind::Sint64,
        }
    }

    /// The keyword as written in a .proto file.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Double => "double",
            Kind::Float => "float",
            Kind::Int64 => "int64",
            Kind::Uint64 => "uint64",
            Kind::Int32 => "int32",
            Kind::Fixed64 => "fixed64",
            Kind::Fixed32 => "fixed32",
            Kind::Bool => "bool",
            Kind::String => "string",
            Kind::Group => "group",
            Kind::Message => "message",
            Kind::Bytes => "bytes",
            Kind::Uint32 => "uint32",
            Kind::Enum => "enum",
            Kind::Sfixed32 => "sfixed32",
            Kind::Sfixed64 => "sfixed64",
            Kind::Sint32 => "sint32",
            Kind::Sint64 => "sint64",
        }
    }

    /// How a value of this type is encoded.
    pub fn wire_type(self) -> WireType {
        match self {
            Kind::Int32
            | Kind::Int64
            | Kind::Uint32
            | Kind::Uint64
            | Kind::Sint32
            | Kind::Sint64
            | Kind::Bool
            | Kind::Enum => WireType::Varint,
            Kind::Fixed64 | Kind::Sfixed64 | Kind::Double => WireType::Fixed64,
            Kind::Fixed32 | Kind::Sfixed32 | Kind::Float => WireType::Fixed32,
            Kind::String | Kind::Bytes | Kind::Message => WireType::LengthDelimited,
            Kind::Group => WireType::Group,
        }
    }

    /// Whether it is a 64-bit integer type (`int64`, `uint64`, `sint64`, `fixed64`, `sfixed64`).
    pub fn is_64_bit_integer(self) -> bool {
        matches!(
            self,
            Kind::Int64 | Kind::Uint64 | Kind::Sint64 | Kind::Fixed64 | Kind::Sfixed64
        )
    }
}

/// How many values a field holds and whether presence is tracked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cardinality {
    /// Singular with explicit presence (proto2 `optional`, proto3 `optional`,
    /// message fields, oneof members).
    OptionalExplicit,
    /// Singular with implicit presence (plain proto3 scalars).
    OptionalImplicit,
    /// proto2 `required` (or editions `LEGACY_REQUIRED`).
    Required,
    /// `repeated` (not a map).
    Repeated,
    /// `map<K, V>`: a repeated field of a synthetic entry message.
    Map,
}

impl fmt::Display for Cardinality {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Cardinality::OptionalExplicit => "optional (explicit presence)",
            Cardinality::OptionalImplicit => "optional (implicit presence)",
            Cardinality::Required => "required",
            Cardinality::Repeated => "repeated",
            Cardinality::Map => "map",
        })
    }
}

/// One `.proto` file of a [`Schema`]. Its messages, enums and services are
/// indices into the schema's flat lists.
#[derive(Debug)]
pub struct File {
    /// The import name, e.g. `shop/order.proto`; files pair by it.
    pub name: String,
    /// How the file is shown to the user (a path on disk where there is one).
    pub display_path: String,
    /// The package, empty when none is declared.
    pub package: String,
    /// `syntax` or `edition` as declared.
    pub syntax: Syntax,
    /// The syntax or edition, for feature defaults.
    pub edition: Edition,
    /// The file's resolved features (its defaults and `option features…`).
    pub features: Features,
    /// Whether the file is one of the inputs (not only imported).
    pub is_target: bool,
    /// The files it imports.
    pub imports: Vec<String>,
    /// The git revision it was read at, if it was.
    pub revision: Option<String>,
    /// Its top-level messages (indices into [`Schema::messages`]).
    pub messages: Vec<usize>,
    /// Its top-level enums (indices into [`Schema::enums`]).
    pub enums: Vec<usize>,
    /// Its services (indices into [`Schema::services`]).
    pub services: Vec<usize>,
    /// Its top-level extensions.
    pub extensions: Vec<Field>,
    /// The file options as written, if any.
    pub options: Option<FileOptions>,
    /// The file's text, when it was compiled from source (see [`File::source`]).
    source: OnceLock<Option<SourceText>>,
    /// Where to read it when it was not kept.
    reread: Option<Reread>,
    /// The spans of its elements (its source info without the comments).
    locations: LocationIndex,
    /// More of them, kept aside while it was compiled (no path is in both).
    more_locations: Option<std::sync::Arc<LocationIndex>>,
}

impl File {
    /// The file's text, when it was compiled from source; a file's text not
    /// kept after compiling is read again the first time it is asked for.
    pub fn source(&self) -> Option<&SourceText> {
        self.source
            .get_or_init(|| self.reread.as_ref()?.read())
            .as_ref()
    }

    /// The location of the element at `path`, if source info has one.
    pub fn span(&self, path: &[i32]) -> Option<Span> {
        let raw = self
            .locations
            .get(path)
            .or_else(|| self.more_locations.as_ref()?.get(path))?;
        match self.source() {
            Some(src) => src.span_from_proto(raw),
            None => raw_span(raw),
        }
    }

    /// Whether the file came with `SourceCodeInfo` (lines and columns).
    pub fn has_source_info(&self) -> bool {
        !self.locations.is_empty() || self.more_locations.is_some()
    }
}

/// A span when no text is at hand: columns as recorded (1-based).
fn raw_span(raw: &[i32]) -> Option<Span> {
    let v = |i: usize| raw.get(i).and_then(|&x| usize::try_from(x).ok());
    let (l, c, el, ec) = match raw.len() {
        3 => (v(0)?, v(1)?, v(0)?, v(2)?),
        4 => (v(0)?, v(1)?, v(2)?, v(3)?),
        _ => return None,
    };
    Some(Span {
        line: l + 1,
        column: c + 1,
        end_line: el + 1,
        end_column: ec + 1,
        offset: 0,
        len: 0,
    })
}

/// A message type, nested or not. Map entries are messages too
/// ([`Message::is_map_entry`]).
#[derive(Debug)]
pub struct Message {
    /// The fully-qualified name, no leading dot (`shop.Order`).
    pub full_name: String,
    /// The name as declared.
    pub name: String,
    /// The name within its package, e.g. `Outer.Inner`.
    pub nested_name: String,
    /// The file it is declared in (index into [`Schema::files`]).
    pub file: usize,
    /// The message it is nested in (index into [`Schema::messages`]), if any.
    pub parent: Option<usize>,
    /// Its path in the file's `SourceCodeInfo` (for spans).
    pub path: Vec<i32>,
    /// Its fields, in declaration order (extensions are apart).
    pub fields: Vec<Field>,
    /// Its oneofs, synthetic ones included, in declaration order.
    pub oneofs: Vec<Oneof>,
    /// Reserved numbers, end exclusive.
    pub reserved_ranges: Vec<Range<u32>>,
    /// Reserved names.
    pub reserved_names: Vec<String>,
    /// Extension ranges, end exclusive.
    pub extension_ranges: Vec<Range<u32>>,
    /// Whether it is the synthetic entry of a `map<…>` field.
    pub is_map_entry: bool,
    /// Nested messages (indices into [`Schema::messages`]).
    pub messages: Vec<usize>,
    /// Nested enums (indices into [`Schema::enums`]).
    pub enums: Vec<usize>,
    /// Extensions declared inside it.
    pub extensions: Vec<Field>,
    /// The options as written, if any.
    pub options: Option<MessageOptions>,
    /// Resolved `json_format` is ALLOW (proto3), not LEGACY_BEST_EFFORT (proto2).
    pub json_format_allow: bool,
    /// Resolved features (inherited from the file and enclosing messages).
    pub features: Features,
}

impl Message {
    /// The name within its package (`Outer.Inner`).
    pub fn nested_name_str(&self) -> &str {
        &self.nested_name
    }

    /// The message it is nested in (index into [`Schema::messages`]), if any.
    pub fn parent_message(&self) -> Option<usize> {
        self.parent
    }

    /// The field with that number, if any (extensions are not searched).
    pub fn field(&self, number: u32) -> Option<&Field> {
        self.fields.iter().find(|f| f.number == number)
    }

    /// Whether the number is in a `reserved` range.
    pub fn is_reserved_number(&self, number: u32) -> bool {
        self.reserved_ranges.iter().any(|r| r.contains(&number))
    }

    /// Whether the name is `reserved`.
    pub fn is_reserved_name(&self, name: &str) -> bool {
        self.reserved_names.iter().any(|n| n == name)
    }

    /// The smallest field number above every number in use or reserved.
    pub fn next_free_number(&self) -> u32 {
        let mut next = 1;
        for f in &self.fields {
            next = next.max(f.number + 1);
        }
        for r in self.reserved_ranges.iter().chain(&self.extension_ranges) {
            if r.end <= 19000 || r.start > 19999 {
                next = next.max(r.end);
            }
        }
        if (19000..20000).contains(&next) {
            next = 20000;
        }
        next
    }
}

/// How C++ stores a string or bytes field (`ctype` / `(pb.cpp).string_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CppStringType {
    /// `std::string` (the default).
    String,
    /// `absl::Cord` (`ctype = CORD`).
    Cord,
    /// `ctype = STRING_PIECE`.
    StringPiece,
    /// `string_type = VIEW` (editions).
    View,
}

/// A field of a message, or an extension field, with the facts the rules
/// compare already resolved (cardinality, presence, JSON name, features).
#[derive(Debug)]
pub struct Field {
    /// The field's name.
    pub name: String,
    /// `pkg.Message.name` for fields; `pkg.[Scope.]name` for extensions.
    pub full_name: String,
    /// The file the field is declared in.
    pub file: usize,
    /// The message it is declared in (for extensions: the `extend` block's
    /// enclosing message, if any).
    pub parent: Option<usize>,
    /// Length of the package prefix of `full_name` (0 or `package.len() + 1`).
    package_len: usize,
    /// The field number.
    pub number: u32,
    /// The JSON name (written, or derived in lowerCamelCase).
    pub json_name: String,
    /// Whether `json_name` was written in the source.
    pub explicit_json_name: bool,
    /// The type.
    pub kind: Kind,
    /// Fully-qualified type name (no leading dot) for messages, groups, enums.
    pub type_name: Option<String>,
    /// Resolved cardinality and presence.
    pub cardinality: Cardinality,
    /// Index into the message's `oneofs` of a real (non-synthetic) oneof.
    pub oneof: Option<usize>,
    /// Declared with proto3 `optional` (its oneof is synthetic).
    pub proto3_optional: bool,
    /// `label` as written (`LABEL_REQUIRED` drives the required-fields rule),
    /// except that an editions field with `field_presence = LEGACY_REQUIRED`
    /// is `Required` too.
    pub label: Label,
    /// Fully-qualified extendee for extensions.
    pub extendee: Option<String>,
    /// The proto2 `default` option as written, if any.
    pub default_value: Option<String>,
    /// Its path in the file's `SourceCodeInfo` (for spans).
    pub path: Vec<i32>,
    /// The field options as written, if any.
    pub options: Option<FieldOptions>,
    /// Resolved: strings are checked for UTF-8 when parsed (`utf8_validation`
    /// VERIFY; proto3: yes).
    pub utf8_validation: bool,
    /// Resolved: Java checks UTF-8 (`java_string_check_utf8`, or
    /// `(pb.java).utf8_validation = VERIFY` in editions).
    pub java_utf8: bool,
    /// Resolved C++ string type (for string and bytes fields).
    pub cpp_string_type: CppStringType,
    /// The `jstype` option as its enum number (0 = JS_NORMAL).
    pub jstype: i32,
    /// Resolved features (inherited from the file, messages and oneof).
    pub features: Features,
}

impl Field {
    /// The message it is nested in (index into [`Schema::messages`]), if any.
    pub fn parent_message(&self) -> Option<usize> {
        self.parent
    }

    /// The name within the package (`Scope.name` for a nested extension).
    pub fn nested_name(&self) -> &str {
        &self.full_name[self.package_len..]
    }

    /// The extendee's fully-qualified name, or "" for a plain field.
    pub fn extendee_name(&self) -> &str {
        self.extendee.as_deref().unwrap_or_default()
    }

    /// The package the field is declared in.
    pub fn package_of<'s>(&self, schema: &'s Schema) -> &'s str {
        &schema.files[self.file].package
    }

    /// The type as it would be written: `int64`, `shop.Money`, `map<…>` is shown by
    /// its entry type.
    pub fn type_display(&self) -> String {
        match &self.type_name {
            Some(t) if matches!(self.kind, Kind::Group) => format!("group {t}"),
            Some(t) => t.clone(),
            None => self.kind.name().to_owned(),
        }
    }
}

/// A oneof of a message (synthetic ones, made for proto3 `optional`, included).
#[derive(Debug)]
pub struct Oneof {
    /// The name as declared.
    pub name: String,
    /// Whether protoc made it for a proto3 `optional` field.
    pub synthetic: bool,
    /// Its path in the file's `SourceCodeInfo`.
    pub path: Vec<i32>,
}

/// An enum type, nested or not.
#[derive(Debug)]
pub struct Enum {
    /// The fully-qualified name, no leading dot (`shop.Order`).
    pub full_name: String,
    /// The name as declared.
    pub name: String,
    /// The name within its package, e.g. `Outer.Inner`.
    pub nested_name: String,
    /// The file it is declared in (index into [`Schema::files`]).
    pub file: usize,
    /// The message it is nested in (index into [`Schema::messages`]), if any.
    pub parent: Option<usize>,
    /// Its path in the file's `SourceCodeInfo` (for spans).
    pub path: Vec<i32>,
    /// Its values in declaration order (aliases included).
    pub values: Vec<EnumValue>,
    /// Reserved numbers, inclusive on both ends.
    pub reserved_ranges: Vec<(i32, i32)>,
    /// Reserved names.
    pub reserved_names: Vec<String>,
    /// Whether it is closed (proto2, or editions `enum_type = CLOSED`): unknown values are not kept in the field.
    pub closed: bool,
    /// The options as written, if any.
    pub options: Option<EnumOptions>,
    /// Resolved `json_format` is ALLOW (proto3), not LEGACY_BEST_EFFORT (proto2).
    pub json_format_allow: bool,
    /// Resolved features (inherited from the file and enclosing messages).
    pub features: Features,
}

impl Enum {
    /// The name within its package (`Outer.Inner`).
    pub fn nested_name_str(&self) -> &str {
        &self.nested_name
    }

    /// The message it is nested in (index into [`Schema::messages`]), if any.
    pub fn parent_message(&self) -> Option<usize> {
        self.parent
    }

    /// Whether the number is in a `reserved` range.
    pub fn is_reserved_number(&self, number: i32) -> bool {
        self.reserved_ranges
            .iter()
            .any(|&(s, e)| s <= number && number <= e)
    }
}

/// A value of an enum.
#[derive(Debug)]
pub struct EnumValue {
    /// The value's name.
    pub name: String,
    /// Its number.
    pub number: i32,
    /// Its path in the file's `SourceCodeInfo`.
    pub path: Vec<i32>,
}

/// A service.
#[derive(Debug)]
pub struct Service {
    /// The fully-qualified name, no leading dot (`shop.Order`).
    pub full_name: String,
    /// The name as declared.
    pub name: String,
    /// The file it is declared in (index into [`Schema::files`]).
    pub file: usize,
    /// Its path in the file's `SourceCodeInfo` (for spans).
    pub path: Vec<i32>,
    /// Its methods, in declaration order.
    pub methods: Vec<Method>,
    /// The options as written, if any.
    pub options: Option<ServiceOptions>,
}

/// A method (RPC) of a service.
#[derive(Debug)]
pub struct Method {
    /// The method's name.
    pub name: String,
    /// The request type's full name, no leading dot.
    pub input_type: String,
    /// The response type's full name, no leading dot.
    pub output_type: String,
    /// Whether the request is a stream.
    pub client_streaming: bool,
    /// Whether the response is a stream.
    pub server_streaming: bool,
    /// Its path in the file's `SourceCodeInfo`.
    pub path: Vec<i32>,
    /// The method options as written, if any.
    pub options: Option<MethodOptions>,
}

impl Service {
    /// The name within its package (`Outer.Inner`).
    pub fn nested_name_str(&self) -> &str {
        &self.name
    }

    /// The message it is nested in (index into [`Schema::messages`]), if any.
    pub fn parent_message(&self) -> Option<usize> {
        None
    }
}

/// One side's compiled schema, as protocheck's own model: flat lists of
/// files, messages, enums and services with the facts the rules compare
/// resolved (cardinality and presence, JSON names, closed enums, features).
///
/// Built from `FileDescriptorProto`s, whatever compiled them (protox,
/// protoc, a descriptor set, a snapshot). Elements refer to each other by
/// index into these lists; look them up by name with [`Schema::file`],
/// [`Schema::message`] and [`Schema::enum_`].
#[derive(Debug)]
pub struct Schema {
    /// Which version it is.
    pub side: Side,
    /// Every file: the inputs (targets) and what they import.
    pub files: Vec<File>,
    /// Every message of every file, nested ones included.
    pub messages: Vec<Message>,
    /// Every enum of every file, nested ones included.
    pub enums: Vec<Enum>,
    /// Every service of every file.
    pub services: Vec<Service>,
    /// The compiled descriptors, for encoding and decoding sample messages
    /// (the round trip); `None` when the schema was not built by a compiler
    /// that provides them.
    pub pool: Option<prost_reflect::DescriptorPool>,
    /// Why there is no pool although one was asked for (descriptors
    /// prost-reflect rejects, such as a set without its imports).
    pub pool_problem: Option<String>,
    file_index: HashMap<String, usize, Fast>,
    message_index: HashMap<String, usize, Fast>,
    enum_index: HashMap<String, usize, Fast>,
    /// Synthetic map entry messages by file and descriptor path, built on
    /// first use (finding a place for a map's key or value field).
    map_entry_index: OnceLock<HashMap<(usize, Vec<i32>), usize>>,
    /// Input files that are byte-identical on both sides, with identical
    /// imports, and so were not compiled: their packages, and how many.
    pub unchanged_packages: HashSet<String>,
    /// How many such files.
    pub unchanged_files: usize,
    /// Which files are targets was guessed (a descriptor set without buf's
    /// import markers): every file but the well-known types.
    pub(crate) inferred_targets: bool,
    /// In a buf workspace: the module (index into the workspace's modules)
    /// of each input file.
    pub module_of: HashMap<String, usize>,
    /// Files compared although they were only imports (buf checks imports
    /// unless `--exclude-imports`).
    pub promoted_imports: usize,
}

/// What the compiler knows about one file besides its descriptor.
#[derive(Debug, Clone)]
pub struct FileSource {
    /// How the file is shown to the user (a path on disk where there is one).
    pub display_path: String,
    /// The git revision the file was read at (`display_path` is then its
    /// path in the repository).
    pub revision: Option<String>,
    /// The file's text, where it was read.
    pub text: Option<SourceText>,
    /// Where to read the text again when it was not kept (`text` is then
    /// `None`).
    pub reread: Option<Reread>,
    /// Source info kept aside when the file was compiled without it.
    pub source_info: Option<SourceCodeInfo>,
    /// The same, as spans only, when only the model needs it; the
    /// descriptor's own source info (what the compiler had of it) adds to it.
    pub locations: Option<std::sync::Arc<LocationIndex>>,
}

impl Schema {
    /// Builds the model. `targets` names the files that are inputs; `sources`
    /// gives display paths and text where known.
    pub fn from_descriptors(
        side: Side,
        files: Vec<FileDescriptorProto>,
        targets: &HashSet<String>,
        sources: &HashMap<String, FileSource>,
    ) -> Schema {
        let files = files
            .into_iter()
            .map(|f| (f, FileOverlay::default()))
            .collect();
        Schema::from_files(side, files, targets, sources)
    }

    /// Builds the model from descriptors and what they carry that
    /// `prost_types` drops (the edition and `features`), decoded from the same
    /// bytes. Every input (protox, protoc, descriptor sets) ends here.
    pub(crate) fn from_files(
        side: Side,
        files: Vec<(FileDescriptorProto, FileOverlay)>,
        targets: &HashSet<String>,
        sources: &HashMap<String, FileSource>,
    ) -> Schema {
        let mut schema = Schema {
            side,
            files: Vec::with_capacity(files.len()),
            messages: Vec::new(),
            enums: Vec::new(),
            services: Vec::new(),
            pool: None,
            pool_problem: None,
            file_index: HashMap::default(),
            message_index: HashMap::default(),
            enum_index: HashMap::default(),
            map_entry_index: OnceLock::new(),
            unchanged_packages: HashSet::new(),
            unchanged_files: 0,
            inferred_targets: false,
            module_of: HashMap::new(),
            promoted_imports: 0,
        };
        for (fd, overlay) in files {
            schema.add_file(fd, overlay, targets, sources);
        }
        schema.resolve();
        schema
    }

    /// A schema with no files: the old side of a schema that is all new (a
    /// repository without commits, a directory that did not exist yet).
    pub fn empty(side: Side) -> Schema {
        Schema::from_files(side, Vec::new(), &HashSet::new(), &HashMap::new())
    }

    /// [`Schema::from_files`], and with `keep_pool` a descriptor pool for
    /// the round trip (editions files lowered, see `crate::schema::lower`).
    pub(crate) fn from_files_with_pool(
        side: Side,
        files: Vec<(FileDescriptorProto, FileOverlay)>,
        targets: &HashSet<String>,
        sources: &HashMap<String, FileSource>,
        keep_pool: bool,
    ) -> Schema {
        let protos: Option<Vec<FileDescriptorProto>> =
            keep_pool.then(|| files.iter().map(|(f, _)| f.clone()).collect());
        let mut schema = Schema::from_files(side, files, targets, sources);
        if let Some(protos) = protos {
            match crate::schema::lower::pool(&protos, &schema) {
                Ok(pool) => schema.pool = Some(pool),
                Err(problem) => schema.pool_problem = Some(problem),
            }
        }
        schema
    }

    /// Where targets were guessed, files that `other` has but only imports
    /// stop being targets.
    pub fn demote_imports_of(&mut self, other: &Schema) {
        if !self.inferred_targets {
            return;
        }
        for f in &mut self.files {
            if f.is_target && other.file(&f.name).is_some_and(|o| !o.is_target) {
                f.is_target = false;
            }
        }
    }

    /// Gives a file another name, so that two single-file inputs pair with
    /// each other. Does nothing if the new name is taken.
    pub fn rename_file(&mut self, from: &str, to: &str) {
        if from == to || self.file_index.contains_key(to) {
            return;
        }
        if let Some(i) = self.file_index.remove(from) {
            self.files[i].name = to.to_owned();
            self.file_index.insert(to.to_owned(), i);
        }
    }

    /// The file with that import name (`shop/order.proto`).
    pub fn file(&self, name: &str) -> Option<&File> {
        self.file_index.get(name).map(|&i| &self.files[i])
    }

    /// The index in [`Schema::files`] of the file with that import name.
    pub fn file_index(&self, name: &str) -> Option<usize> {
        self.file_index.get(name).copied()
    }

    /// The index of the input file (not one only imported) with that import
    /// name.
    pub fn target_file_index(&self, name: &str) -> Option<usize> {
        self.file_index(name).filter(|&i| self.files[i].is_target)
    }

    /// The message with that full name (`shop.Order`, no leading dot).
    pub fn message(&self, full_name: &str) -> Option<&Message> {
        self.message_index
            .get(full_name)
            .map(|&i| &self.messages[i])
    }

    /// The index in [`Schema::messages`] of the message with that full name.
    pub fn message_index(&self, full_name: &str) -> Option<usize> {
        self.message_index.get(full_name).copied()
    }

    /// The synthetic map entry message at `path` in file `file`.
    pub(crate) fn map_entry_at(&self, file: usize, path: &[i32]) -> Option<&Message> {
        let index = self.map_entry_index.get_or_init(|| {
            self.messages
                .iter()
                .enumerate()
                .filter(|(_, m)| m.is_map_entry)
                .map(|(i, m)| ((m.file, m.path.clone()), i))
                .collect()
        });
        index
            .get(&(file, path.to_vec()))
            .map(|&i| &self.messages[i])
    }

    /// The enum with that full name.
    pub fn enum_(&self, full_name: &str) -> Option<&Enum> {
        self.enum_index.get(full_name).map(|&i| &self.enums[i])
    }

    /// The index in [`Schema::enums`] of the enum with that full name.
    pub fn enum_index(&self, full_name: &str) -> Option<usize> {
        self.enum_index.get(full_name).copied()
    }

    /// Files that were inputs, in name order.
    pub fn target_files(&self) -> impl Iterator<Item = (usize, &File)> {
        let mut v: Vec<(usize, &File)> = self
            .files
            .iter()
            .enumerate()
            .filter(|(_, f)| f.is_target)
            .collect();
        v.sort_by(|a, b| a.1.name.cmp(&b.1.name));
        v.into_iter()
    }

    /// Messages of target files, in declaration order per file (nested after parent).
    pub fn target_messages(&self) -> impl Iterator<Item = (usize, &Message)> {
        self.messages
            .iter()
            .enumerate()
            .filter(|(_, m)| self.files[m.file].is_target)
    }

    /// The enums of the input files (not of files only imported), with their indices.
    pub fn target_enums(&self) -> impl Iterator<Item = (usize, &Enum)> {
        self.enums
            .iter()
            .enumerate()
            .filter(|(_, e)| self.files[e.file].is_target)
    }

    /// Extensions declared in target files, at top level or in messages.
    pub fn target_extensions(&self) -> impl Iterator<Item = (usize, &Field)> {
        let top = self
            .files
            .iter()
            .enumerate()
            .filter(|(_, f)| f.is_target)
            .flat_map(|(i, f)| f.extensions.iter().map(move |x| (i, x)));
        let nested = self
            .target_messages()
            .flat_map(|(_, m)| m.extensions.iter().map(move |x| (m.file, x)));
        top.chain(nested)
    }

    /// Whether any input file declares this package.
    pub fn has_package(&self, package: &str) -> bool {
        self.unchanged_packages.contains(package)
            || self
                .files
                .iter()
                .any(|f| f.is_target && f.package == package)
    }

    /// How many input files the side has, compiled or not.
    pub fn input_files(&self) -> usize {
        self.files.iter().filter(|f| f.is_target).count() + self.unchanged_files
            - self.promoted_imports
    }

    /// Makes every imported file a target, so that it is compared too (as
    /// buf does unless `--exclude-imports`). Returns their names.
    pub fn promote_imports(&mut self) -> Vec<String> {
        self.promote_imports_except(&HashSet::new())
    }

    /// [`Schema::promote_imports`], leaving out the files in `inputs` (input
    /// files of either side that were compiled only as imports: they are
    /// unchanged, so comparing them could only find nothing).
    pub fn promote_imports_except(&mut self, inputs: &HashSet<String>) -> Vec<String> {
        let mut names = Vec::new();
        for f in &mut self.files {
            if !f.is_target && !inputs.contains(&f.name) {
                f.is_target = true;
                names.push(f.name.clone());
            }
        }
        self.promoted_imports += names.len();
        names
    }

    /// The files `name` imports, directly or not (and itself).
    pub fn import_closure(&self, name: &str) -> HashSet<String> {
        let mut seen = HashSet::new();
        let mut stack = vec![name.to_owned()];
        while let Some(n) = stack.pop() {
            if !seen.insert(n.clone()) {
                continue;
            }
            if let Some(f) = self.file(&n) {
                stack.extend(f.imports.iter().cloned());
            }
        }
        seen
    }

    /// The services of the input files, with their indices.
    pub fn target_services(&self) -> impl Iterator<Item = (usize, &Service)> {
        self.services
            .iter()
            .enumerate()
            .filter(|(_, s)| self.files[s.file].is_target)
    }

    fn add_file(
        &mut self,
        mut fd: FileDescriptorProto,
        mut overlay: FileOverlay,
        targets: &HashSet<String>,
        sources: &HashMap<String, FileSource>,
    ) {
        let name = fd.name().to_owned();
        let file_idx = self.files.len();
        let edition = match fd.syntax() {
            "proto3" => Edition::Proto3,
            // Descriptor sets are validated: an editions file names a known edition.
            "editions" => overlay
                .edition
                .and_then(Edition::from_number)
                .filter(|e| e.is_editions())
                .unwrap_or(Edition::E2023),
            _ => Edition::Proto2,
        };
        let syntax = match edition {
            Edition::Proto2 => Syntax::Proto2,
            Edition::Proto3 => Syntax::Proto3,
            e => Syntax::Editions(e.year().to_owned()),
        };
        if !edition.is_editions() {
            // Features only exist in editions files (protoc rejects them elsewhere).
            overlay = FileOverlay::default();
        }
        let features = Features::defaults(edition)
            .merge(overlay.options.as_ref().and_then(|o| o.features.as_ref()));
        let package = fd.package().to_owned();
        let source = sources.get(&name);
        let mut file = File {
            display_path: source
                .map(|s| s.display_path.clone())
                .unwrap_or_else(|| name.clone()),
            is_target: targets.contains(&name),
            imports: fd.dependency.clone(),
            revision: source.and_then(|s| s.revision.clone()),
            name: name.clone(),
            package: package.clone(),
            syntax,
            edition,
            features,
            messages: Vec::new(),
            enums: Vec::new(),
            services: Vec::new(),
            extensions: Vec::new(),
            options: fd.options.take(),
            source: match source.and_then(|s| s.text.clone()) {
                Some(text) => OnceLock::from(Some(text)),
                None => OnceLock::new(),
            },
            reread: source.and_then(|s| s.reread.clone()),
            locations: LocationIndex::new(
                fd.source_code_info
                    .take()
                    .or_else(|| source.and_then(|s| s.source_info.clone())),
            ),
            more_locations: source.and_then(|s| s.locations.clone()),
        };
        let java_check = file.options.as_ref().and_then(|o| o.java_string_check_utf8);
        let cx = FileCx {
            file: file_idx,
            package: &package,
            editions: edition.is_editions(),
            java_check_utf8: java_check,
        };
        for (i, m) in std::mem::take(&mut fd.message_type).into_iter().enumerate() {
            let idx = self.add_message(
                &cx,
                m,
                overlay.message_type.get(i),
                &features,
                None,
                vec![4, i as i32],
            );
            file.messages.push(idx);
        }
        for (i, e) in std::mem::take(&mut fd.enum_type).into_iter().enumerate() {
            let idx = self.add_enum(
                &cx,
                e,
                overlay.enum_type.get(i),
                &features,
                None,
                vec![5, i as i32],
            );
            file.enums.push(idx);
        }
        for (i, s) in std::mem::take(&mut fd.service).into_iter().enumerate() {
            let idx = self.add_service(&cx, s, vec![6, i as i32]);
            file.services.push(idx);
        }
        for (i, x) in std::mem::take(&mut fd.extension).into_iter().enumerate() {
            let own = overlay.extension.get(i);
            file.extensions.push(field_from_proto(
                &cx,
                x,
                FieldScope {
                    path: vec![7, i as i32],
                    oneofs: &[],
                    parent: None,
                    scope: "",
                    features: features.merge(own.and_then(FieldOverlay::features)),
                },
            ));
        }
        self.file_index.insert(name, file_idx);
        self.files.push(file);
    }

    fn add_message(
        &mut self,
        cx: &FileCx,
        mut m: DescriptorProto,
        overlay: Option<&MessageOverlay>,
        inherited: &Features,
        parent: Option<usize>,
        path: Vec<i32>,
    ) -> usize {
        let features = inherited.merge(overlay.and_then(MessageOverlay::features));
        let nested_name = match parent {
            Some(p) => format!("{}.{}", self.messages[p].nested_name, m.name()),
            None => m.name().to_owned(),
        };
        let full_name = qualify(cx.package, &nested_name);
        let idx = self.messages.len();
        let oneofs: Vec<Oneof> =
            m.oneof_decl
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    let synthetic = m.field.iter().any(|f| {
                        f.oneof_index == Some(i as i32) && f.proto3_optional.unwrap_or(false)
                    });
                    let mut p = path.clone();
                    p.extend([8, i as i32]);
                    Oneof {
                        name: o.name().to_owned(),
                        synthetic,
                        path: p,
                    }
                })
                .collect();
        // Fields of a oneof inherit the oneof's features.
        let oneof_features: Vec<Features> = (0..m.oneof_decl.len())
            .map(|i| {
                features.merge(
                    overlay
                        .and_then(|o| o.oneof_decl.get(i))
                        .and_then(|o| o.options.as_ref())
                        .and_then(|o| o.features.as_ref()),
                )
            })
            .collect();
        let fields = std::mem::take(&mut m.field)
            .into_iter()
            .enumerate()
            .map(|(i, f)| {
                let mut p = path.clone();
                p.extend([2, i as i32]);
                let scope = f
                    .oneof_index
                    .and_then(|o| usize::try_from(o).ok())
                    .and_then(|o| oneof_features.get(o))
                    .unwrap_or(&features);
                let own = overlay.and_then(|o| o.field.get(i));
                field_from_proto(
                    cx,
                    f,
                    FieldScope {
                        path: p,
                        oneofs: &oneofs,
                        parent: Some(idx),
                        scope: &nested_name,
                        features: scope.merge(own.and_then(FieldOverlay::features)),
                    },
                )
            })
            .collect();
        let extensions = std::mem::take(&mut m.extension)
            .into_iter()
            .enumerate()
            .map(|(i, f)| {
                let mut p = path.clone();
                p.extend([6, i as i32]);
                let own = overlay.and_then(|o| o.extension.get(i));
                field_from_proto(
                    cx,
                    f,
                    FieldScope {
                        path: p,
                        oneofs: &[],
                        parent: Some(idx),
                        scope: &nested_name,
                        features: features.merge(own.and_then(FieldOverlay::features)),
                    },
                )
            })
            .collect();
        let to_u32 = |v: i32| u32::try_from(v).unwrap_or(0);
        self.messages.push(Message {
            full_name: full_name.clone(),
            name: m.name().to_owned(),
            nested_name,
            file: cx.file,
            parent,
            path: path.clone(),
            fields,
            oneofs,
            reserved_ranges: m
                .reserved_range
                .iter()
                .map(|r| to_u32(r.start()).min(to_u32(r.end()))..to_u32(r.end()))
                .collect(),
            reserved_names: std::mem::take(&mut m.reserved_name),
            extension_ranges: m
                .extension_range
                .iter()
                .map(|r| to_u32(r.start()).min(to_u32(r.end()))..to_u32(r.end()))
                .collect(),
            is_map_entry: m.options.as_ref().is_some_and(|o| o.map_entry()),
            messages: Vec::new(),
            enums: Vec::new(),
            extensions,
            options: m.options.take(),
            json_format_allow: features.json_format == JsonFormat::Allow,
            features,
        });
        self.message_index.insert(full_name, idx);
        for (i, nested) in std::mem::take(&mut m.nested_type).into_iter().enumerate() {
            let mut p = path.clone();
            p.extend([3, i as i32]);
            let own = overlay.and_then(|o| o.nested_type.get(i));
            let child = self.add_message(cx, nested, own, &features, Some(idx), p);
            self.messages[idx].messages.push(child);
        }
        for (i, e) in std::mem::take(&mut m.enum_type).into_iter().enumerate() {
            let mut p = path.clone();
            p.extend([4, i as i32]);
            let own = overlay.and_then(|o| o.enum_type.get(i));
            let child = self.add_enum(cx, e, own, &features, Some(idx), p);
            self.messages[idx].enums.push(child);
        }
        idx
    }

    fn add_enum(
        &mut self,
        cx: &FileCx,
        mut e: EnumDescriptorProto,
        overlay: Option<&EnumOverlay>,
        inherited: &Features,
        parent: Option<usize>,
        path: Vec<i32>,
    ) -> usize {
        let features = inherited.merge(overlay.and_then(EnumOverlay::features));
        let nested_name = match parent {
            Some(p) => format!("{}.{}", self.messages[p].nested_name, e.name()),
            None => e.name().to_owned(),
        };
        let full_name = qualify(cx.package, &nested_name);
        let idx = self.enums.len();
        let values = e
            .value
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let mut p = path.clone();
                p.extend([2, i as i32]);
                EnumValue {
                    name: v.name().to_owned(),
                    number: v.number(),
                    path: p,
                }
            })
            .collect();
        self.enums.push(Enum {
            full_name: full_name.clone(),
            name: e.name().to_owned(),
            nested_name,
            file: cx.file,
            parent,
            path,
            values,
            reserved_ranges: e
                .reserved_range
                .iter()
                .map(|r| (r.start(), r.end()))
                .collect(),
            reserved_names: std::mem::take(&mut e.reserved_name),
            closed: features.enum_type == EnumType::Closed,
            options: e.options.take(),
            json_format_allow: features.json_format == JsonFormat::Allow,
            features,
        });
        self.enum_index.insert(full_name, idx);
        idx
    }

    fn add_service(&mut self, cx: &FileCx, mut s: ServiceDescriptorProto, path: Vec<i32>) -> usize {
        let full_name = qualify(cx.package, s.name());
        let methods = std::mem::take(&mut s.method)
            .into_iter()
            .enumerate()
            .map(|(i, mut m)| {
                let mut p = path.clone();
                p.extend([2, i as i32]);
                Method {
                    name: m.name().to_owned(),
                    input_type: strip_dot(m.input_type()).to_owned(),
                    output_type: strip_dot(m.output_type()).to_owned(),
                    client_streaming: m.client_streaming(),
                    server_streaming: m.server_streaming(),
                    path: p,
                    options: m.options.take(),
                }
            })
            .collect();
        let idx = self.services.len();
        self.services.push(Service {
            full_name,
            name: s.name().to_owned(),
            file: cx.file,
            path,
            methods,
            options: s.options.take(),
        });
        idx
    }

    /// Second pass, once every type is known: map fields (whose entries are
    /// always length-prefixed, whatever `message_encoding` says).
    fn resolve(&mut self) {
        let map_entries: HashSet<String> = self
            .messages
            .iter()
            .filter(|m| m.is_map_entry)
            .map(|m| m.full_name.clone())
            .collect();
        if map_entries.is_empty() {
            return;
        }
        for m in &mut self.messages {
            // Editions groups come from `message_encoding = DELIMITED`; map
            // fields and the fields of map entries are never delimited.
            let entry = m.is_map_entry;
            for f in &mut m.fields {
                let delimited = f.kind == Kind::Group
                    && f.features.message_encoding == MessageEncoding::Delimited;
                let to_entry = f
                    .type_name
                    .as_ref()
                    .is_some_and(|t| map_entries.contains(t));
                if delimited && (entry || to_entry) {
                    f.kind = Kind::Message;
                }
                if f.cardinality == Cardinality::Repeated && f.kind == Kind::Message && to_entry {
                    f.cardinality = Cardinality::Map;
                }
            }
        }
    }
}

struct FileCx<'a> {
    file: usize,
    package: &'a str,
    editions: bool,
    /// `option java_string_check_utf8`, where the file sets it.
    java_check_utf8: Option<bool>,
}

/// Where a field is declared, and the features it inherits there.
struct FieldScope<'a> {
    path: Vec<i32>,
    /// The enclosing message's oneofs (none for extensions).
    oneofs: &'a [Oneof],
    parent: Option<usize>,
    /// The enclosing message's nested name, or "" at top level.
    scope: &'a str,
    /// The field's resolved features (its own on top of the inherited ones).
    features: Features,
}

fn qualify(package: &str, name: &str) -> String {
    if package.is_empty() {
        name.to_owned()
    } else {
        format!("{package}.{name}")
    }
}

fn strip_dot(s: &str) -> &str {
    s.strip_prefix('.').unwrap_or(s)
}

fn field_from_proto(cx: &FileCx, mut f: FieldDescriptorProto, at: FieldScope) -> Field {
    let FieldScope {
        path,
        oneofs,
        parent,
        scope,
        features,
    } = at;
    let nested = if scope.is_empty() {
        f.name().to_owned()
    } else {
        format!("{scope}.{}", f.name())
    };
    let full_name = qualify(cx.package, &nested);
    let package_len = full_name.len() - nested.len();
    let mut kind = f.r#type.and_then(|t| Type::try_from(t).ok()).map_or_else(
        // Unresolved type (only possible from an unlinked descriptor): treat the
        // name as a message reference.
        || Kind::Message,
        Kind::from_proto,
    );
    // Editions write groups as message fields with DELIMITED encoding; map
    // fields are switched back once their entries are known.
    if kind == Kind::Message && features.message_encoding == MessageEncoding::Delimited {
        kind = Kind::Group;
    }
    let mut label = f
        .label
        .and_then(|l| Label::try_from(l).ok())
        .unwrap_or(Label::Optional);
    let proto3_optional = f.proto3_optional.unwrap_or(false);
    let oneof = f
        .oneof_index
        .and_then(|i| usize::try_from(i).ok())
        .filter(|&i| oneofs.get(i).is_some_and(|o| !o.synthetic));
    let in_oneof = f.oneof_index.is_some();
    let cardinality = match label {
        Label::Required => Cardinality::Required,
        Label::Repeated => Cardinality::Repeated,
        Label::Optional
            if features.field_presence == FieldPresence::LegacyRequired
                && !in_oneof
                && f.extendee.is_none() =>
        {
            label = Label::Required;
            Cardinality::Required
        }
        Label::Optional => {
            let implicit = features.field_presence == FieldPresence::Implicit
                && !proto3_optional
                && !in_oneof
                && !matches!(kind, Kind::Message | Kind::Group)
                && f.extendee.is_none();
            if implicit {
                Cardinality::OptionalImplicit
            } else {
                Cardinality::OptionalExplicit
            }
        }
    };
    let explicit_json_name = f.json_name.is_some()
        && f.json_name.as_deref() != Some(default_json_name(f.name()).as_str());
    let json_name = match f.json_name.take() {
        Some(j) => j,
        None => default_json_name(f.name()),
    };
    let options = f.options.take();
    // As buf: before edition 2024 an explicit `ctype` decides; otherwise the
    // `(pb.cpp).string_type` feature (STRING by default, VIEW from 2024).
    use prost_types::field_options::CType;
    let ctype = options
        .as_ref()
        .and_then(|o| o.ctype)
        .filter(|_| features.edition < Edition::E2024);
    let cpp_string_type = match ctype.map(CType::try_from) {
        Some(Ok(CType::Cord)) => CppStringType::Cord,
        Some(Ok(CType::StringPiece)) => CppStringType::StringPiece,
        Some(Ok(CType::String)) => CppStringType::String,
        _ if !cx.editions => CppStringType::String,
        _ => features.cpp_string_type,
    };
    // As buf: an explicit `java_string_check_utf8` (and any proto2/proto3
    // file) decides; otherwise `(pb.java).utf8_validation`.
    let java_utf8 = match cx.java_check_utf8 {
        Some(v) => v,
        None if !cx.editions => false,
        None => {
            features.java_utf8_validation == crate::schema::features::JavaUtf8Validation::Verify
        }
    };
    let jstype = options.as_ref().and_then(|o| o.jstype).unwrap_or(0);
    Field {
        name: f.name().to_owned(),
        full_name,
        file: cx.file,
        parent,
        package_len,
        number: u32::try_from(f.number()).unwrap_or(0),
        json_name,
        explicit_json_name,
        kind,
        type_name: f
            .type_name
            .as_deref()
            .filter(|t| !t.is_empty())
            .map(|t| strip_dot(t).to_owned()),
        cardinality,
        oneof,
        proto3_optional,
        label,
        extendee: f.extendee.as_deref().map(|e| strip_dot(e).to_owned()),
        default_value: f.default_value.take(),
        path,
        options,
        utf8_validation: features.utf8_validation
            == crate::schema::features::Utf8Validation::Verify
            && kind == Kind::String,
        java_utf8,
        cpp_string_type,
        jstype,
        features,
    }
}

/// The json name protoc gives a field by default: underscores dropped, the
/// letter after each one upper-cased (ASCII only, as protoc does).
pub fn default_json_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::default_json_name;

    #[test]
    fn json_names_follow_protoc() {
        assert_eq!(default_json_name("total_cents"), "totalCents");
        assert_eq!(default_json_name("foo__bar_"), "fooBar");
        assert_eq!(default_json_name("a1_b"), "a1B");
    }
}
