use std::ops::Range;

use crate::engine::{Cx, MessagePair, Part};
use crate::rules::util;
use crate::schema::Message;

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
            let lost = util::uncovered(&ranges(old), &ranges(new));
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
            let words = util::ranges_words(&lost, max);
            cx.report(
                p.at(Part::ExtensionRanges),
                format!(
                    "message \"{}\" no longer accepts extensions numbered {words}",
                    new.full_name
                ),
            )
            .help(format!(
                "restore `extensions {words};`: extensions declared elsewhere with these numbers stop compiling"
            ));
        }
    }
}

fn ranges(m: &Message) -> Vec<Range<u64>> {
    m.extension_ranges
        .iter()
        .map(|r| u64::from(r.start)..u64::from(r.end))
        .collect()
}
