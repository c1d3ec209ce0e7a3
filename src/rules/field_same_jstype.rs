use crate::engine::{Cx, FieldPair, Part};

rule! {
    /// # What
    /// A 64-bit integer field keeps its `jstype` option (JS_NORMAL, JS_STRING,
    /// JS_NUMBER). Only checked when the field is a 64-bit integer both before
    /// and after. Extensions are checked too.
    ///
    /// # Why
    /// `jstype` decides whether generated JavaScript represents the value as a
    /// string or as a number, so JavaScript code that reads or sets the field
    /// gets the other type (and JS_NUMBER loses precision above 2^53).
    ///
    /// # Example
    /// ```proto
    /// // old                                  // new
    /// int64 id = 1 [jstype = JS_STRING];      int64 id = 1;
    /// ```
    ///
    /// # Fix
    /// Restore the old `jstype`.
    FieldSameJstype {
        id: "FIELD_SAME_JSTYPE",
        levels: [File, Package],
        affects: [GeneratedCode],
        summary: "a 64-bit integer field keeps its jstype",
    }
    impl {
        fn check_field(&self, cx: &mut Cx, p: &FieldPair) {
            let (Some(old), Some(new)) = (p.old, p.new) else { return };
            if !old.kind.is_64_bit_integer() || !new.kind.is_64_bit_integer() {
                return;
            }
            if old.jstype == new.jstype {
                return;
            }
            let fix = if old.jstype == 0 {
                "remove the `jstype` option".to_owned()
            } else {
                format!("restore `[jstype = {}]`", name(old.jstype))
            };
            cx.report(
                p.at(Part::Option(6)),
                format!(
                    "{} changed option \"jstype\" from \"{}\" to \"{}\": generated JavaScript now represents the value as {}",
                    p.describe(),
                    name(old.jstype),
                    name(new.jstype),
                    match new.jstype {
                        1 => "a string",
                        2 => "a number",
                        _ => "its default type (a number or a bigint, by runtime)",
                    }
                ),
            )
            .help(format!("{fix}: JavaScript code that uses the field gets another type"));
        }
    }
}

fn name(jstype: i32) -> String {
    match jstype {
        0 => "JS_NORMAL".to_owned(),
        1 => "JS_STRING".to_owned(),
        2 => "JS_NUMBER".to_owned(),
        n => n.to_string(),
    }
}
