use std::ops::Range;

use crate::engine::fix::{ProposedEdit, Suggestion, Target};
use crate::engine::{Cx, MessagePair, Part};
use crate::rules::number_ranges;
use crate::schema::{Message, Syntax};

rule! {
    /// # What
    /// A message keeps every extension number it offered: each number an old
    /// `extensions` range covered is still covered. Ranges are compared by the
    /// numbers they cover, so growing, merging or splitting a range is fine.
    ///
    /// # Why
    /// Other files (often other teams) declare extensions inside these ranges.
    /// Once a number leaves the ranges, those `extend` blocks no longer
    /// compile, and data already carrying such extensions can no longer be
    /// read as them.
    ///
    /// # Example
    /// ```proto
    /// // old                          // new
    /// extensions 100 to 199;          extensions 100 to 149;
    /// ```
    ///
    /// # Fix
    /// Restore the range; extension ranges may grow but never shrink.
    ExtensionMessageNoDelete {
        id: "EXTENSION_MESSAGE_NO_DELETE",
        levels: [File, Package],
        affects: [GeneratedCode, NewReadersOfOldData],
        summary: "a message keeps every extension number it offered",
    }
    impl {
        fn check_message(&self, cx: &mut Cx, p: &MessagePair) {
            let (Some(old), Some(new)) = (p.old, p.new) else { return };
            let lost = number_ranges::uncovered(&ranges(old), &ranges(new));
            if lost.is_empty() {
                return;
            }
            let max = if new
                .options
                .as_ref()
                .is_some_and(|o| o.message_set_wire_format())
            {
                2_147_483_646
            } else {
                536_870_911
            };
            let words = number_ranges::ranges_words(&lost, max);
            let fix = restore(cx, new, &lost, &words);
            cx.report(
                p.at(Part::ExtensionRanges),
                format!(
                    "message \"{}\" no longer accepts extensions numbered {words}",
                    new.full_name
                ),
            )
            .suggest(fix);
        }
    }
}

/// Adds the lost ranges back to the message, unless something in it uses
/// those numbers now (a field or a reservation: protoc would reject the
/// range) or its file cannot declare extension ranges (proto3).
fn restore(cx: &Cx, new: &Message, lost: &[Range<u64>], words: &str) -> Suggestion {
    let lead = "restore the extension numbers";
    let tail = ": extensions declared elsewhere with these numbers stop compiling";
    let statement = format!("extensions {words};");
    let inside = |n: u64| lost.iter().any(|r| r.contains(&n));
    let why = if cx
        .new
        .files
        .get(new.file)
        .is_some_and(|f| matches!(f.syntax, Syntax::Proto3))
    {
        Some("a proto3 message cannot declare extension ranges".to_owned())
    } else if let Some(f) = new.fields.iter().find(|f| inside(u64::from(f.number))) {
        Some(format!(
            "field {} \"{}\" uses one of these numbers now",
            f.number, f.name
        ))
    } else if number_ranges::message_reserved(new)
        .iter()
        .any(|r| lost.iter().any(|l| l.start < r.end && r.start < l.end))
    {
        Some("some of these numbers are reserved now".to_owned())
    } else {
        None
    };
    match why {
        None => Suggestion::new(
            lead,
            vec![ProposedEdit::append(
                Target::new(new.file, &new.path),
                format!("message \"{}\"", new.name),
                statement,
            )],
            tail,
        ),
        Some(why) => Suggestion::new(
            &format!("restore `{statement}` (no automatic edit: {why})"),
            Vec::new(),
            tail,
        ),
    }
}

fn ranges(m: &Message) -> Vec<Range<u64>> {
    m.extension_ranges
        .iter()
        .map(|r| u64::from(r.start)..u64::from(r.end))
        .collect()
}
