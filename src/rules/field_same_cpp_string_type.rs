use crate::engine::{Cx, FieldPair, Part};
use crate::schema::features::Feature;
use crate::schema::{CppStringType, Field, Kind};

rule! {
    /// # What
    /// A string or bytes field keeps its C++ string type (`ctype`: STRING,
    /// CORD, STRING_PIECE, or the `(pb.cpp).string_type` feature). Going from
    /// STRING_PIECE to STRING is allowed. Extensions are checked too; the key
    /// and value fields of map entries are not (they cannot set it). Edition
    /// 2024 changes the default from STRING to VIEW: when neither version
    /// chooses a string type and only the edition changed, nothing is
    /// reported, since moving to a new edition is a choice about generated
    /// code that changes no byte (buf reports an error).
    ///
    /// # Why
    /// The C++ accessors differ per string type (`const std::string&` vs
    /// `absl::Cord` vs `absl::string_view`), so C++ code that uses the field
    /// stops compiling. Other languages and the encodings are unaffected.
    ///
    /// # Example
    /// ```proto
    /// // old                                  // new
    /// optional bytes body = 2;                optional bytes body = 2 [ctype = CORD];
    /// ```
    ///
    /// # Fix
    /// Restore the old `ctype` (or remove the option if it was unset).
    FieldSameCppStringType {
        id: "FIELD_SAME_CPP_STRING_TYPE",
        levels: [File, Package],
        affects: [GeneratedCode],
        summary: "a string or bytes field keeps its C++ string type",
    }
    impl {
        fn check_field(&self, cx: &mut Cx, p: &FieldPair) {
            let (Some(old), Some(new)) = (p.old, p.new) else { return };
            if p.old_message.is_map_entry && p.new_message.is_map_entry {
                return;
            }
            let stringy = |k: Kind| matches!(k, Kind::String | Kind::Bytes);
            if !stringy(old.kind) || !stringy(new.kind) {
                return;
            }
            let (a, b) = (old.cpp_string_type, new.cpp_string_type);
            if a == b || (a == CppStringType::StringPiece && b == CppStringType::String) {
                return;
            }
            let fix = if new.features.edition.is_editions() {
                format!("set `[features.(pb.cpp).string_type = {}]` on the field", name(a))
            } else {
                match a {
                    CppStringType::String => "remove the `ctype` option".to_owned(),
                    _ => format!("restore `[ctype = {}]`", name(a)),
                }
            };
            let msg = format!(
                "{} changed C++ string type from \"{}\" to \"{}\": C++ accessors change type",
                p.describe(),
                name(a),
                name(b)
            );
            // Edition 2024 makes VIEW the default. When neither side chose a
            // string type, only the edition changed it: an edition upgrade is
            // not a breaking change of the schema.
            let chosen = |f: &Field| {
                f.features.is_written(Feature::CppStringType)
                    || f.options.as_ref().is_some_and(|o| o.ctype.is_some())
            };
            if !chosen(old) && !chosen(new) && old.features.edition != new.features.edition {
                return;
            }
            let at = p.at(Part::Feature(&[1000, 2], &Part::Option(1)));
            cx.report(at, msg)
                .help(format!("{fix}: C++ code that uses the field stops compiling"));
        }
    }
}

fn name(t: CppStringType) -> &'static str {
    match t {
        CppStringType::String => "STRING",
        CppStringType::Cord => "CORD",
        CppStringType::StringPiece => "STRING_PIECE",
        CppStringType::View => "VIEW",
    }
}
