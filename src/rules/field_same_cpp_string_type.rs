use crate::engine::{Cx, FieldPair, Part};
use crate::schema::{CppStringType, Kind};

rule! {
    /// # What
    /// A string or bytes field keeps its C++ string type (`ctype`: STRING,
    /// CORD, STRING_PIECE, or the `(pb.cpp).string_type` feature). Going from
    /// STRING_PIECE to STRING is allowed. Extensions are checked too; the key
    /// and value fields of map entries are not (they cannot set it).
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
            let fix = match a {
                CppStringType::String => "remove the `ctype` option".to_owned(),
                _ => format!("restore `[ctype = {}]`", name(a)),
            };
            cx.report(
                p.at(Part::Option(1)),
                format!(
                    "{} changed C++ string type from \"{}\" to \"{}\": C++ accessors change type",
                    p.describe(),
                    name(a),
                    name(b)
                ),
            )
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
