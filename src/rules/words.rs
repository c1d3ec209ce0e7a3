//! How the rules name things in their messages and helps: types, field
//! declarations, packages and literals.

use crate::schema::{Cardinality, Field, Kind};

/// The type as a user reads it: `float`, `shop.Money`, `enum shop.Color`.
pub fn type_words(f: &Field) -> String {
    match (&f.kind, &f.type_name) {
        (Kind::Enum, Some(t)) => format!("enum \"{t}\""),
        (Kind::Message, Some(t)) => format!("message \"{t}\""),
        // Editions have no groups: a message field with DELIMITED encoding.
        (Kind::Group, Some(t)) if is_editions(f) => {
            format!("message \"{t}\" (delimited encoding)")
        }
        (Kind::Group, Some(t)) => format!("group \"{t}\""),
        (k, _) => format!("\"{}\"", k.name()),
    }
}

/// Whether the field is declared in a file written with `edition = "…"`.
pub fn is_editions(f: &Field) -> bool {
    f.features.edition.is_editions()
}

/// `length-prefixed` or `delimited (group)`.
pub(crate) fn encoding_words(f: &Field) -> &'static str {
    if f.kind == Kind::Group {
        "delimited (group)"
    } else {
        "length-prefixed"
    }
}

/// How the field would be declared under another number.
pub fn declaration(f: &Field, number: u32) -> String {
    if is_editions(f) {
        return editions_declaration(f, number);
    }
    let label = match f.cardinality {
        Cardinality::Repeated => "repeated ",
        Cardinality::Required => "required ",
        Cardinality::OptionalExplicit if f.proto3_optional => "optional ",
        _ => "",
    };
    let ty = match &f.type_name {
        Some(t) if f.cardinality != Cardinality::Map => t.clone(),
        Some(_) => "map<…>".to_owned(),
        None => f.kind.name().to_owned(),
    };
    format!("{label}{ty} {} = {number};", f.name)
}

/// [`declaration`] in an editions file: no `optional` or `required`
/// keywords, features where the field's differ from the file's.
fn editions_declaration(f: &Field, number: u32) -> String {
    use crate::schema::features::{FieldPresence, MessageEncoding};
    let ty = match &f.type_name {
        Some(t) if f.cardinality != Cardinality::Map => t.clone(),
        Some(_) => "map<…>".to_owned(),
        None => f.kind.name().to_owned(),
    };
    let label = if f.cardinality == Cardinality::Repeated {
        "repeated "
    } else {
        ""
    };
    let mut options = Vec::new();
    // Written presence is repeated (it may come from the file); the
    // default is left out.
    let presence = match f.cardinality {
        Cardinality::Required => Some(FieldPresence::LegacyRequired),
        _ if matches!(f.kind, Kind::Message | Kind::Group) || f.oneof.is_some() => None,
        Cardinality::OptionalExplicit | Cardinality::OptionalImplicit
            if f.features
                .is_written(crate::schema::features::Feature::FieldPresence) =>
        {
            Some(f.features.field_presence)
        }
        _ => None,
    };
    if let Some(p) = presence {
        options.push(format!("features.field_presence = {p}"));
    }
    if f.kind == Kind::Group && f.features.message_encoding == MessageEncoding::Delimited {
        options.push("features.message_encoding = DELIMITED".to_owned());
    }
    let options = if options.is_empty() {
        String::new()
    } else {
        format!(" [{}]", options.join(", "))
    };
    format!("{label}{ty} {} = {number}{options};", f.name)
}

/// `package "shop"`, or the empty package said in words.
pub fn package_words(package: &str) -> String {
    if package.is_empty() {
        "the empty package (files with no package statement)".to_owned()
    } else {
        format!("package \"{package}\"")
    }
}

/// A string as a .proto literal: `"com.shop"`.
pub fn quoted(s: &str) -> String {
    format!("{s:?}")
}
