//! Editions features: what each syntax and edition defaults to, and how
//! features set on a file, message, oneof, field or enum are inherited.
//!
//! proto2 and proto3 files resolve through the same table (as protobuf does:
//! they behave like the editions "proto2" and "proto3"), so rules compare
//! resolved features whatever the syntax.

use std::fmt;

use crate::schema::CppStringType;

/// The syntax or edition a file is written in, ordered by time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Edition {
    /// `syntax = "proto2"`.
    Proto2,
    /// `syntax = "proto3"`.
    Proto3,
    /// `edition = "2023"`.
    E2023,
    /// `edition = "2024"`.
    E2024,
}

impl Edition {
    /// From `FileDescriptorProto.edition` (the `Edition` enum's numbers).
    pub fn from_number(n: i32) -> Option<Edition> {
        match n {
            998 => Some(Edition::Proto2),
            999 => Some(Edition::Proto3),
            1000 => Some(Edition::E2023),
            1001 => Some(Edition::E2024),
            _ => None,
        }
    }

    /// The name of an `Edition` enum number, for messages about editions
    /// protocheck does not know.
    pub fn number_name(n: i32) -> String {
        match n {
            0 => "EDITION_UNKNOWN".to_owned(),
            900 => "EDITION_LEGACY".to_owned(),
            1002 => "2026".to_owned(),
            1 => "1_TEST_ONLY".to_owned(),
            2 => "2_TEST_ONLY".to_owned(),
            99997..=99999 => format!("{n}_TEST_ONLY"),
            i32::MAX => "EDITION_MAX".to_owned(),
            _ => n.to_string(),
        }
    }

    /// Whether the file is written with `edition = "…"`.
    pub fn is_editions(self) -> bool {
        self >= Edition::E2023
    }

    /// How the file names it: `proto2`, `proto3`, `edition 2023`.
    pub fn describe(self) -> &'static str {
        match self {
            Edition::Proto2 => "proto2",
            Edition::Proto3 => "proto3",
            Edition::E2023 => "edition 2023",
            Edition::E2024 => "edition 2024",
        }
    }

    /// `2023`, `2024` (editions only).
    pub fn year(self) -> &'static str {
        match self {
            Edition::E2023 => "2023",
            Edition::E2024 => "2024",
            Edition::Proto2 => "proto2",
            Edition::Proto3 => "proto3",
        }
    }
}

impl fmt::Display for Edition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// `features.field_presence`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldPresence {
    /// `EXPLICIT`: has-ers; an unset field is told from a default one.
    Explicit,
    /// `IMPLICIT`: a field at its default is not written (proto3 scalars).
    Implicit,
    /// `LEGACY_REQUIRED`: proto2 `required`.
    LegacyRequired,
}

/// `features.enum_type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EnumType {
    /// `OPEN`: unknown values are kept in the field (proto3).
    Open,
    /// `CLOSED`: unknown values go to the unknown fields (proto2).
    Closed,
}

/// `features.repeated_field_encoding`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RepeatedFieldEncoding {
    /// `PACKED`: scalars of a repeated field in one record.
    Packed,
    /// `EXPANDED`: one record per element.
    Expanded,
}

/// `features.utf8_validation`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Utf8Validation {
    /// `VERIFY`: strings are checked for UTF-8 when parsed.
    Verify,
    /// `NONE`: they are not.
    None,
}

/// `features.message_encoding`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageEncoding {
    /// `LENGTH_PREFIXED`: message fields as length-delimited records.
    LengthPrefixed,
    /// `DELIMITED`: message fields as groups (start and end tags).
    Delimited,
}

/// `features.json_format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JsonFormat {
    /// `ALLOW`: the full proto3 JSON mapping, name conflicts rejected.
    Allow,
    /// `LEGACY_BEST_EFFORT`: JSON as proto2 had it.
    LegacyBestEffort,
}

/// `features.(pb.java).utf8_validation`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JavaUtf8Validation {
    /// `DEFAULT`: as `utf8_validation` says.
    Default,
    /// `VERIFY`: Java checks UTF-8 even where `utf8_validation` does not.
    Verify,
}

/// One feature, for remembering which were written rather than defaulted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Feature {
    /// `field_presence`.
    FieldPresence,
    /// `enum_type`.
    EnumType,
    /// `repeated_field_encoding`.
    RepeatedFieldEncoding,
    /// `utf8_validation`.
    Utf8Validation,
    /// `message_encoding`.
    MessageEncoding,
    /// `json_format`.
    JsonFormat,
    /// `(pb.cpp).string_type`.
    CppStringType,
    /// `(pb.java).utf8_validation`.
    JavaUtf8Validation,
}

impl Feature {
    fn bit(self) -> u16 {
        1 << (self as u16)
    }

    /// The option as written: `features.enum_type`, `features.(pb.cpp).string_type`.
    pub fn option_name(self) -> &'static str {
        match self {
            Feature::FieldPresence => "features.field_presence",
            Feature::EnumType => "features.enum_type",
            Feature::RepeatedFieldEncoding => "features.repeated_field_encoding",
            Feature::Utf8Validation => "features.utf8_validation",
            Feature::MessageEncoding => "features.message_encoding",
            Feature::JsonFormat => "features.json_format",
            Feature::CppStringType => "features.(pb.cpp).string_type",
            Feature::JavaUtf8Validation => "features.(pb.java).utf8_validation",
        }
    }

    /// Where the feature sits inside a `FeatureSet`, as a `SourceCodeInfo`
    /// sub-path (`(pb.cpp)` is the extension field 1000).
    pub fn path(self) -> &'static [i32] {
        match self {
            Feature::FieldPresence => &[1],
            Feature::EnumType => &[2],
            Feature::RepeatedFieldEncoding => &[3],
            Feature::Utf8Validation => &[4],
            Feature::MessageEncoding => &[5],
            Feature::JsonFormat => &[6],
            Feature::CppStringType => &[1000, 2],
            Feature::JavaUtf8Validation => &[1001, 2],
        }
    }
}

/// A `FeatureSet` as written on one element: only what is set.
#[derive(Clone, Copy, PartialEq, Eq, ::prost::Message)]
pub struct FeatureSet {
    /// `field_presence`, as its enum number, if set.
    #[prost(int32, optional, tag = "1")]
    pub field_presence: Option<i32>,
    /// `enum_type`, as its enum number, if set.
    #[prost(int32, optional, tag = "2")]
    pub enum_type: Option<i32>,
    /// `repeated_field_encoding`, as its enum number, if set.
    #[prost(int32, optional, tag = "3")]
    pub repeated_field_encoding: Option<i32>,
    /// `utf8_validation`, as its enum number, if set.
    #[prost(int32, optional, tag = "4")]
    pub utf8_validation: Option<i32>,
    /// `message_encoding`, as its enum number, if set.
    #[prost(int32, optional, tag = "5")]
    pub message_encoding: Option<i32>,
    /// `json_format`, as its enum number, if set.
    #[prost(int32, optional, tag = "6")]
    pub json_format: Option<i32>,
    /// `[pb.cpp]`, if set.
    #[prost(message, optional, tag = "1000")]
    pub cpp: Option<CppFeatures>,
    /// `[pb.java]`, if set.
    #[prost(message, optional, tag = "1001")]
    pub java: Option<JavaFeatures>,
}

/// `pb.CppFeatures` (google/protobuf/cpp_features.proto), the part the rules use.
#[derive(Clone, Copy, PartialEq, Eq, ::prost::Message)]
pub struct CppFeatures {
    /// `string_type`, as its enum number, if set.
    #[prost(int32, optional, tag = "2")]
    pub string_type: Option<i32>,
}

/// `pb.JavaFeatures` (google/protobuf/java_features.proto), the part the rules use.
#[derive(Clone, Copy, PartialEq, Eq, ::prost::Message)]
pub struct JavaFeatures {
    /// `utf8_validation`, as its enum number, if set.
    #[prost(int32, optional, tag = "2")]
    pub utf8_validation: Option<i32>,
}

impl FeatureSet {
    /// The first value that is not a known enum number, as `(option, value)`.
    pub fn invalid_value(&self) -> Option<(&'static str, i32)> {
        let checks: [(Feature, Option<i32>, i32); 8] = [
            (Feature::FieldPresence, self.field_presence, 3),
            (Feature::EnumType, self.enum_type, 2),
            (
                Feature::RepeatedFieldEncoding,
                self.repeated_field_encoding,
                2,
            ),
            (Feature::Utf8Validation, self.utf8_validation, 3),
            (Feature::MessageEncoding, self.message_encoding, 2),
            (Feature::JsonFormat, self.json_format, 2),
            (
                Feature::CppStringType,
                self.cpp.and_then(|c| c.string_type),
                3,
            ),
            (
                Feature::JavaUtf8Validation,
                self.java.and_then(|j| j.utf8_validation),
                2,
            ),
        ];
        checks.into_iter().find_map(|(f, v, max)| {
            let v = v?;
            // utf8_validation has no 1 (it was UNVERIFIED, removed).
            let bad = v < 1 || v > max || (f == Feature::Utf8Validation && v == 1);
            bad.then_some((f.option_name(), v))
        })
    }
}

/// The features in force for one element, after defaults and inheritance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Features {
    /// The file's syntax or edition, whose defaults apply.
    pub edition: Edition,
    /// Resolved `field_presence`.
    pub field_presence: FieldPresence,
    /// Resolved `enum_type`.
    pub enum_type: EnumType,
    /// Resolved `repeated_field_encoding`.
    pub repeated_field_encoding: RepeatedFieldEncoding,
    /// Resolved `utf8_validation`.
    pub utf8_validation: Utf8Validation,
    /// Resolved `message_encoding`.
    pub message_encoding: MessageEncoding,
    /// Resolved `json_format`.
    pub json_format: JsonFormat,
    /// `(pb.cpp).string_type` (STRING, VIEW or CORD).
    pub cpp_string_type: CppStringType,
    /// Resolved `(pb.java).utf8_validation`.
    pub java_utf8_validation: JavaUtf8Validation,
    /// Features written on this element or one it inherits from.
    written: u16,
}

impl Features {
    /// The defaults of a syntax or edition.
    pub fn defaults(edition: Edition) -> Features {
        let legacy = edition == Edition::Proto2;
        Features {
            edition,
            field_presence: match edition {
                Edition::Proto3 => FieldPresence::Implicit,
                _ => FieldPresence::Explicit,
            },
            enum_type: if legacy {
                EnumType::Closed
            } else {
                EnumType::Open
            },
            repeated_field_encoding: if legacy {
                RepeatedFieldEncoding::Expanded
            } else {
                RepeatedFieldEncoding::Packed
            },
            utf8_validation: if legacy {
                Utf8Validation::None
            } else {
                Utf8Validation::Verify
            },
            message_encoding: MessageEncoding::LengthPrefixed,
            json_format: if legacy {
                JsonFormat::LegacyBestEffort
            } else {
                JsonFormat::Allow
            },
            cpp_string_type: if edition >= Edition::E2024 {
                CppStringType::View
            } else {
                CppStringType::String
            },
            java_utf8_validation: JavaUtf8Validation::Default,
            written: 0,
        }
    }

    /// These features with an element's own `features` applied on top.
    /// Values that are not known enum numbers are ignored (descriptor sets are
    /// validated before they get here).
    pub fn merge(&self, own: Option<&FeatureSet>) -> Features {
        let mut f = *self;
        let Some(own) = own else { return f };
        let mut set = |feature: Feature| f.written |= feature.bit();
        if let Some(v) = own.field_presence {
            if let Some(p) = match v {
                1 => Some(FieldPresence::Explicit),
                2 => Some(FieldPresence::Implicit),
                3 => Some(FieldPresence::LegacyRequired),
                _ => None,
            } {
                f.field_presence = p;
                set(Feature::FieldPresence);
            }
        }
        if let Some(v) = own.enum_type {
            if let Some(e) = match v {
                1 => Some(EnumType::Open),
                2 => Some(EnumType::Closed),
                _ => None,
            } {
                f.enum_type = e;
                set(Feature::EnumType);
            }
        }
        if let Some(v) = own.repeated_field_encoding {
            if let Some(e) = match v {
                1 => Some(RepeatedFieldEncoding::Packed),
                2 => Some(RepeatedFieldEncoding::Expanded),
                _ => None,
            } {
                f.repeated_field_encoding = e;
                set(Feature::RepeatedFieldEncoding);
            }
        }
        if let Some(v) = own.utf8_validation {
            if let Some(u) = match v {
                2 => Some(Utf8Validation::Verify),
                3 => Some(Utf8Validation::None),
                _ => None,
            } {
                f.utf8_validation = u;
                set(Feature::Utf8Validation);
            }
        }
        if let Some(v) = own.message_encoding {
            if let Some(m) = match v {
                1 => Some(MessageEncoding::LengthPrefixed),
                2 => Some(MessageEncoding::Delimited),
                _ => None,
            } {
                f.message_encoding = m;
                set(Feature::MessageEncoding);
            }
        }
        if let Some(v) = own.json_format {
            if let Some(j) = match v {
                1 => Some(JsonFormat::Allow),
                2 => Some(JsonFormat::LegacyBestEffort),
                _ => None,
            } {
                f.json_format = j;
                set(Feature::JsonFormat);
            }
        }
        if let Some(v) = own.cpp.and_then(|c| c.string_type) {
            if let Some(s) = match v {
                1 => Some(CppStringType::View),
                2 => Some(CppStringType::Cord),
                3 => Some(CppStringType::String),
                _ => None,
            } {
                f.cpp_string_type = s;
                set(Feature::CppStringType);
            }
        }
        if let Some(v) = own.java.and_then(|j| j.utf8_validation) {
            if let Some(j) = match v {
                1 => Some(JavaUtf8Validation::Default),
                2 => Some(JavaUtf8Validation::Verify),
                _ => None,
            } {
                f.java_utf8_validation = j;
                set(Feature::JavaUtf8Validation);
            }
        }
        f
    }

    /// Whether the feature was written on the element or inherited from a
    /// written one, rather than coming from the edition's defaults.
    pub fn is_written(&self, feature: Feature) -> bool {
        self.written & feature.bit() != 0
    }

    /// Where a feature's value comes from, for messages: `proto3`,
    /// `edition 2024`, or the option that sets it
    /// (`` `features.enum_type = CLOSED` ``).
    pub fn origin(&self, feature: Feature) -> String {
        if self.is_written(feature) {
            format!("`{} = {}`", feature.option_name(), self.value_name(feature))
        } else {
            self.edition.describe().to_owned()
        }
    }

    /// The resolved value as `.proto` files write it.
    pub fn value_name(&self, feature: Feature) -> String {
        match feature {
            Feature::FieldPresence => self.field_presence.to_string(),
            Feature::EnumType => self.enum_type.to_string(),
            Feature::RepeatedFieldEncoding => match self.repeated_field_encoding {
                RepeatedFieldEncoding::Packed => "PACKED".to_owned(),
                RepeatedFieldEncoding::Expanded => "EXPANDED".to_owned(),
            },
            Feature::Utf8Validation => self.utf8_validation.to_string(),
            Feature::MessageEncoding => self.message_encoding.to_string(),
            Feature::JsonFormat => self.json_format.to_string(),
            Feature::CppStringType => match self.cpp_string_type {
                CppStringType::View => "VIEW",
                CppStringType::Cord => "CORD",
                CppStringType::String | CppStringType::StringPiece => "STRING",
            }
            .to_owned(),
            Feature::JavaUtf8Validation => match self.java_utf8_validation {
                JavaUtf8Validation::Default => "DEFAULT".to_owned(),
                JavaUtf8Validation::Verify => "VERIFY".to_owned(),
            },
        }
    }
}

/// The value names as `.proto` files write them.
impl fmt::Display for FieldPresence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FieldPresence::Explicit => "EXPLICIT",
            FieldPresence::Implicit => "IMPLICIT",
            FieldPresence::LegacyRequired => "LEGACY_REQUIRED",
        })
    }
}

impl fmt::Display for EnumType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            EnumType::Open => "OPEN",
            EnumType::Closed => "CLOSED",
        })
    }
}

impl fmt::Display for Utf8Validation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Utf8Validation::Verify => "VERIFY",
            Utf8Validation::None => "NONE",
        })
    }
}

impl fmt::Display for MessageEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MessageEncoding::LengthPrefixed => "LENGTH_PREFIXED",
            MessageEncoding::Delimited => "DELIMITED",
        })
    }
}

impl fmt::Display for JsonFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            JsonFormat::Allow => "ALLOW",
            JsonFormat::LegacyBestEffort => "LEGACY_BEST_EFFORT",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_descriptor_proto() {
        let p2 = Features::defaults(Edition::Proto2);
        assert_eq!(p2.field_presence, FieldPresence::Explicit);
        assert_eq!(p2.enum_type, EnumType::Closed);
        assert_eq!(p2.utf8_validation, Utf8Validation::None);
        assert_eq!(p2.json_format, JsonFormat::LegacyBestEffort);
        assert_eq!(p2.repeated_field_encoding, RepeatedFieldEncoding::Expanded);
        let p3 = Features::defaults(Edition::Proto3);
        assert_eq!(p3.field_presence, FieldPresence::Implicit);
        assert_eq!(p3.enum_type, EnumType::Open);
        assert_eq!(p3.utf8_validation, Utf8Validation::Verify);
        assert_eq!(p3.json_format, JsonFormat::Allow);
        let e23 = Features::defaults(Edition::E2023);
        assert_eq!(e23.field_presence, FieldPresence::Explicit);
        assert_eq!(e23.enum_type, EnumType::Open);
        assert_eq!(e23.cpp_string_type, CppStringType::String);
        let e24 = Features::defaults(Edition::E2024);
        assert_eq!(
            (e24.field_presence, e24.enum_type, e24.utf8_validation),
            (e23.field_presence, e23.enum_type, e23.utf8_validation)
        );
        assert_eq!(e24.cpp_string_type, CppStringType::View);
    }

    #[test]
    fn written_features_override_and_are_remembered() {
        let file = Features::defaults(Edition::E2023).merge(Some(&FeatureSet {
            field_presence: Some(2),
            ..FeatureSet::default()
        }));
        let field = file.merge(Some(&FeatureSet {
            utf8_validation: Some(3),
            cpp: Some(CppFeatures {
                string_type: Some(2),
            }),
            ..FeatureSet::default()
        }));
        assert_eq!(field.field_presence, FieldPresence::Implicit);
        assert!(field.is_written(Feature::FieldPresence));
        assert_eq!(field.utf8_validation, Utf8Validation::None);
        assert_eq!(field.cpp_string_type, CppStringType::Cord);
        assert!(!field.is_written(Feature::EnumType));
        assert_eq!(field.origin(Feature::EnumType), "edition 2023");
        assert_eq!(
            field.origin(Feature::Utf8Validation),
            "`features.utf8_validation = NONE`"
        );
    }

    #[test]
    fn invalid_values_are_found() {
        let bad = FeatureSet {
            utf8_validation: Some(1),
            ..FeatureSet::default()
        };
        assert_eq!(bad.invalid_value(), Some(("features.utf8_validation", 1)));
        let ok = FeatureSet {
            enum_type: Some(2),
            ..FeatureSet::default()
        };
        assert_eq!(ok.invalid_value(), None);
    }
}
