use crate::engine::{Cx, FieldPair, Part};
use crate::rules::consequence;
use crate::rules::field_fixes;
use crate::rules::words;
use crate::schema::Kind;

rule! {
    /// # What
    /// A field keeps its type: the same scalar kind, or for enums, messages and
    /// groups the same fully-qualified type name. With editions, a message
    /// field with `features.message_encoding = DELIMITED` is a group: turning
    /// the encoding on or off changes the type.
    ///
    /// # Why
    /// Every reader decodes field N with the type it was compiled with. Data that
    /// old writers produced (stored rows, queued events, clients not yet
    /// upgraded) is read by new code as the new type: a different wire type fails
    /// or is dropped, the same wire type is silently reinterpreted. Generated
    /// code changes its accessor's type too.
    ///
    /// # Example
    /// ```proto
    /// // old                       // new
    /// float total = 3;             int64 total_cents = 3;
    /// ```
    /// A float is written as 32 fixed bits; an int64 reader expects a varint.
    ///
    /// # Fix
    /// Keep the old field as it was and add the new one under a new number
    /// (and a new name if it kept the old one): `float total = 3;
    /// int64 total_cents = 4;`. Every reader keeps working as long as writers
    /// fill both. Moving the field to a new number and reserving the old one
    /// (`int64 total_cents = 4; reserved 3; reserved "total";`) deletes field
    /// 3, which this level reports (FIELD_NO_DELETE); it passes only
    /// `--level wire-json` and `wire`. A name cannot be reserved while a field
    /// uses it: for `int32 nanos = 3` → `int64 nanos = 3`, reserve only the
    /// number (`int64 nanos = 4; reserved 3;`, passes `--level wire`) or give
    /// the new field a new name too.
    FieldSameType {
        id: "FIELD_SAME_TYPE",
        levels: [File, Package],
        affects: [NewReadersOfOldData, OldReadersOfNewData, GeneratedCode],
        summary: "a field keeps its type (scalar kind, or enum/message type name)",
    }
    impl {
        fn check_field(&self, cx: &mut Cx, p: &FieldPair) {
            let (Some(old), Some(new)) = (p.old, p.new) else { return };
            let same = old.kind == new.kind
                && (!matches!(old.kind, Kind::Enum | Kind::Message | Kind::Group)
                    || old.type_name == new.type_name);
            if same {
                return;
            }
            let subject = format!(
                "{} changed type from {} to {}",
                p.describe(),
                words::type_words(old),
                words::type_words(new),
            );
            let fix = field_fixes::reused_number_fix(cx, p);
            let c = consequence::type_change(old, new);
            let f = consequence::report(cx, p.at(Part::Type), subject, &c);
            if let Some(s) = fix {
                f.suggest(s);
            }
        }
    }
}
