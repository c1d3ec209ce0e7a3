//! The rule catalogue. One file per rule: its doc comment says what it checks,
//! who breaks and why, an example and the fix; its logic looks only at pairs the
//! engine already matched (see [`crate::engine`]).

pub use crate::engine::rule::{HasMeta, Level, Rule, RuleMeta, CSR};

/// Declares a rule: its doc comment becomes both rustdoc and the text of
/// `protocheck explain`.
macro_rules! rule {
    (@severity) => { $crate::engine::finding::Severity::Error };
    (@severity $sev:ident) => { $crate::engine::finding::Severity::$sev };
    (@own) => { false };
    (@own $own:literal) => { $own };
    (
        $(#[doc = $doc:literal])*
        $ty:ident {
            id: $id:literal,
            levels: [$($level:ident),* $(,)?],
            affects: [$($aud:ident),* $(,)?],
            $(severity: $sev:ident,)?
            $(protocheck_only: $own:literal,)?
            summary: $summary:literal $(,)?
        }
        impl { $($body:tt)* }
    ) => {
        $(#[doc = $doc])*
        pub struct $ty;
        impl $crate::rules::HasMeta for $ty {
            const META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                id: $id,
                levels: &[$($crate::rules::Level::$level),*],
                affects: &[$($crate::engine::finding::Audience::$aud),*],
                severity: rule!(@severity $($sev)?),
                protocheck_only: rule!(@own $($own)?),
                summary: $summary,
                doc: concat!($($doc, "\n"),*),
            };
        }
        impl $crate::rules::Rule for $ty {
            fn meta(&self) -> &'static $crate::rules::RuleMeta {
                &<Self as $crate::rules::HasMeta>::META
            }
            $($body)*
        }
    };
}

mod enum_no_delete;
mod enum_same_json_format;
mod enum_same_type;
mod enum_value_no_delete;
mod enum_value_no_delete_unless_name_reserved;
mod enum_value_no_delete_unless_number_reserved;
mod enum_value_same_name;
mod enum_wire_required_same_values;
mod enum_wire_same_openness;
mod extension_message_no_delete;
mod extension_no_delete;
mod field_no_delete;
mod field_no_delete_unless_name_reserved;
mod field_no_delete_unless_number_reserved;
mod field_same_cardinality;
mod field_same_cpp_string_type;
mod field_same_default;
mod field_same_java_utf8_validation;
mod field_same_json_name;
mod field_same_jstype;
mod field_same_name;
mod field_same_oneof;
mod field_same_type;
mod field_same_utf8_validation;
mod field_wire_compatible_cardinality;
mod field_wire_compatible_type;
mod field_wire_json_compatible_cardinality;
mod field_wire_json_compatible_type;
mod field_wire_no_narrowing;
mod field_wire_no_widening;
mod field_wire_same_signedness;
mod file_no_delete;
mod file_same_cc_enable_arenas;
mod file_same_cc_generic_services;
mod file_same_csharp_namespace;
mod file_same_go_package;
mod file_same_java_generic_services;
mod file_same_java_multiple_files;
mod file_same_java_outer_classname;
mod file_same_java_package;
mod file_same_objc_class_prefix;
mod file_same_optimize_for;
mod file_same_package;
mod file_same_php_class_prefix;
mod file_same_php_metadata_namespace;
mod file_same_php_namespace;
mod file_same_py_generic_services;
mod file_same_ruby_package;
mod file_same_swift_prefix;
mod file_same_syntax;
mod message_no_delete;
mod message_no_remove_standard_descriptor_accessor;
mod message_same_json_format;
mod message_same_required_fields;
mod oneof_no_delete;
mod package_enum_no_delete;
mod package_extension_no_delete;
mod package_message_no_delete;
mod package_no_delete;
mod package_service_no_delete;
mod reserved_enum_no_delete;
mod reserved_message_no_delete;
mod rpc_no_delete;
mod rpc_same_client_streaming;
mod rpc_same_idempotency_level;
mod rpc_same_request_type;
mod rpc_same_response_type;
mod rpc_same_server_streaming;
mod service_no_delete;

// Helpers the rules share, by what they are about.
pub(crate) mod compatible_type;
pub(crate) mod consequence;
pub(crate) mod field_fixes;
pub(crate) mod file_option;
pub(crate) mod methods;
pub(crate) mod number_ranges;
pub(crate) mod reserved;
pub(crate) mod words;

/// Every rule, in ID order.
pub static ALL: &[&dyn Rule] = &[
    &enum_no_delete::EnumNoDelete,
    &enum_same_json_format::EnumSameJsonFormat,
    &enum_same_type::EnumSameType,
    &enum_value_no_delete::EnumValueNoDelete,
    &enum_value_no_delete_unless_name_reserved::EnumValueNoDeleteUnlessNameReserved,
    &enum_value_no_delete_unless_number_reserved::EnumValueNoDeleteUnlessNumberReserved,
    &enum_value_same_name::EnumValueSameName,
    &enum_wire_required_same_values::EnumWireRequiredSameValues,
    &enum_wire_same_openness::EnumWireSameOpenness,
    &extension_message_no_delete::ExtensionMessageNoDelete,
    &extension_no_delete::ExtensionNoDelete,
    &field_no_delete::FieldNoDelete,
    &field_no_delete_unless_name_reserved::FieldNoDeleteUnlessNameReserved,
    &field_no_delete_unless_number_reserved::FieldNoDeleteUnlessNumberReserved,
    &field_same_cardinality::FieldSameCardinality,
    &field_same_cpp_string_type::FieldSameCppStringType,
    &field_same_default::FieldSameDefault,
    &field_same_java_utf8_validation::FieldSameJavaUtf8Validation,
    &field_same_json_name::FieldSameJsonName,
    &field_same_jstype::FieldSameJstype,
    &field_same_name::FieldSameName,
    &field_same_oneof::FieldSameOneof,
    &field_same_type::FieldSameType,
    &field_same_utf8_validation::FieldSameUtf8Validation,
    &field_wire_compatible_cardinality::FieldWireCompatibleCardinality,
    &field_wire_compatible_type::FieldWireCompatibleType,
    &field_wire_json_compatible_cardinality::FieldWireJsonCompatibleCardinality,
    &field_wire_json_compatible_type::FieldWireJsonCompatibleType,
    &field_wire_no_narrowing::FieldWireNoNarrowing,
    &field_wire_no_widening::FieldWireNoWidening,
    &field_wire_same_signedness::FieldWireSameSignedness,
    &file_no_delete::FileNoDelete,
    &file_same_cc_enable_arenas::FileSameCcEnableArenas,
    &file_same_cc_generic_services::FileSameCcGenericServices,
    &file_same_csharp_namespace::FileSameCsharpNamespace,
    &file_same_go_package::FileSameGoPackage,
    &file_same_java_generic_services::FileSameJavaGenericServices,
    &file_same_java_multiple_files::FileSameJavaMultipleFiles,
    &file_same_java_outer_classname::FileSameJavaOuterClassname,
    &file_same_java_package::FileSameJavaPackage,
    &file_same_objc_class_prefix::FileSameObjcClassPrefix,
    &file_same_optimize_for::FileSameOptimizeFor,
    &file_same_package::FileSamePackage,
    &file_same_php_class_prefix::FileSamePhpClassPrefix,
    &file_same_php_metadata_namespace::FileSamePhpMetadataNamespace,
    &file_same_php_namespace::FileSamePhpNamespace,
    &file_same_py_generic_services::FileSamePyGenericServices,
    &file_same_ruby_package::FileSameRubyPackage,
    &file_same_swift_prefix::FileSameSwiftPrefix,
    &file_same_syntax::FileSameSyntax,
    &message_no_delete::MessageNoDelete,
    &message_no_remove_standard_descriptor_accessor::MessageNoRemoveStandardDescriptorAccessor,
    &message_same_json_format::MessageSameJsonFormat,
    &message_same_required_fields::MessageSameRequiredFields,
    &oneof_no_delete::OneofNoDelete,
    &package_enum_no_delete::PackageEnumNoDelete,
    &package_extension_no_delete::PackageExtensionNoDelete,
    &package_message_no_delete::PackageMessageNoDelete,
    &package_no_delete::PackageNoDelete,
    &package_service_no_delete::PackageServiceNoDelete,
    &reserved_enum_no_delete::ReservedEnumNoDelete,
    &reserved_message_no_delete::ReservedMessageNoDelete,
    &rpc_no_delete::RpcNoDelete,
    &rpc_same_client_streaming::RpcSameClientStreaming,
    &rpc_same_idempotency_level::RpcSameIdempotencyLevel,
    &rpc_same_request_type::RpcSameRequestType,
    &rpc_same_response_type::RpcSameResponseType,
    &rpc_same_server_streaming::RpcSameServerStreaming,
    &service_no_delete::ServiceNoDelete,
];

/// Looks a rule up by ID.
pub fn by_id(id: &str) -> Option<&'static dyn Rule> {
    ALL.iter().copied().find(|r| r.meta().id == id)
}

/// The rules of a level.
pub fn for_level(level: Level) -> Vec<&'static dyn Rule> {
    ALL.iter()
        .copied()
        .filter(|r| r.meta().in_level(level))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_sorted_and_documented() {
        let ids: Vec<&str> = ALL.iter().map(|r| r.meta().id).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(ids, sorted, "rules must be listed once, in ID order");
        for r in ALL {
            let m = r.meta();
            assert!(!m.levels.is_empty(), "{} has no level", m.id);
            assert!(!m.affects.is_empty(), "{} names nobody it hurts", m.id);
            for part in ["What", "Why", "Example", "Fix"] {
                assert!(
                    m.doc.contains(&format!("# {part}")),
                    "{} doc lacks a `# {part}` section",
                    m.id
                );
            }
        }
    }
}
