//! What the compiled descriptors of `prost_types` drop and the model needs:
//! a partial decoding of a `FileDescriptorSet` that mirrors the descriptor
//! tree but keeps only `edition`, the `features` of each element's options,
//! and buf's image marker for imported files (see
//! `crate::input::descriptor_set`, which decodes sets with it).

use crate::schema::features::FeatureSet;

/// `FileDescriptorSet`, as far as features go.
#[derive(Clone, PartialEq, ::prost::Message)]
pub(crate) struct SetOverlay {
    #[prost(message, repeated, tag = "1")]
    pub file: Vec<FileOverlay>,
}

/// `FileDescriptorProto`: its edition, and the features of its elements.
#[derive(Clone, PartialEq, ::prost::Message)]
pub(crate) struct FileOverlay {
    #[prost(message, repeated, tag = "4")]
    pub message_type: Vec<MessageOverlay>,
    #[prost(message, repeated, tag = "5")]
    pub enum_type: Vec<EnumOverlay>,
    #[prost(message, repeated, tag = "7")]
    pub extension: Vec<FieldOverlay>,
    #[prost(message, optional, tag = "8")]
    pub options: Option<FeaturesAt50>,
    #[prost(int32, optional, tag = "14")]
    pub edition: Option<i32>,
    /// buf images (`buf build -o`) mark the files that are only imported.
    #[prost(message, optional, tag = "8042")]
    pub buf_extension: Option<BufImageFileExtension>,
}

/// `buf.alpha.image.v1.ImageFileExtension`, the part that says which files
/// are imports.
#[derive(Clone, PartialEq, ::prost::Message)]
pub(crate) struct BufImageFileExtension {
    #[prost(bool, optional, tag = "1")]
    pub is_import: Option<bool>,
}

#[derive(Clone, PartialEq, ::prost::Message)]
pub(crate) struct MessageOverlay {
    #[prost(message, repeated, tag = "2")]
    pub field: Vec<FieldOverlay>,
    #[prost(message, repeated, tag = "3")]
    pub nested_type: Vec<MessageOverlay>,
    #[prost(message, repeated, tag = "4")]
    pub enum_type: Vec<EnumOverlay>,
    #[prost(message, repeated, tag = "6")]
    pub extension: Vec<FieldOverlay>,
    #[prost(message, optional, tag = "7")]
    pub options: Option<FeaturesAt12>,
    #[prost(message, repeated, tag = "8")]
    pub oneof_decl: Vec<OneofOverlay>,
}

#[derive(Clone, PartialEq, ::prost::Message)]
pub(crate) struct FieldOverlay {
    #[prost(message, optional, tag = "8")]
    pub options: Option<FeaturesAt21>,
}

#[derive(Clone, PartialEq, ::prost::Message)]
pub(crate) struct OneofOverlay {
    #[prost(message, optional, tag = "2")]
    pub options: Option<FeaturesAt1>,
}

#[derive(Clone, PartialEq, ::prost::Message)]
pub(crate) struct EnumOverlay {
    #[prost(message, optional, tag = "3")]
    pub options: Option<FeaturesAt7>,
}

/// `FileOptions.features` (50).
#[derive(Clone, PartialEq, ::prost::Message)]
pub(crate) struct FeaturesAt50 {
    #[prost(message, optional, tag = "50")]
    pub features: Option<FeatureSet>,
}

/// `MessageOptions.features` (12).
#[derive(Clone, PartialEq, ::prost::Message)]
pub(crate) struct FeaturesAt12 {
    #[prost(message, optional, tag = "12")]
    pub features: Option<FeatureSet>,
}

/// `FieldOptions.features` (21).
#[derive(Clone, PartialEq, ::prost::Message)]
pub(crate) struct FeaturesAt21 {
    #[prost(message, optional, tag = "21")]
    pub features: Option<FeatureSet>,
}

/// `OneofOptions.features` (1).
#[derive(Clone, PartialEq, ::prost::Message)]
pub(crate) struct FeaturesAt1 {
    #[prost(message, optional, tag = "1")]
    pub features: Option<FeatureSet>,
}

/// `EnumOptions.features` (7).
#[derive(Clone, PartialEq, ::prost::Message)]
pub(crate) struct FeaturesAt7 {
    #[prost(message, optional, tag = "7")]
    pub features: Option<FeatureSet>,
}

impl MessageOverlay {
    pub fn features(&self) -> Option<&FeatureSet> {
        self.options.as_ref()?.features.as_ref()
    }
}

impl FieldOverlay {
    pub fn features(&self) -> Option<&FeatureSet> {
        self.options.as_ref()?.features.as_ref()
    }
}

impl EnumOverlay {
    pub fn features(&self) -> Option<&FeatureSet> {
        self.options.as_ref()?.features.as_ref()
    }
}
