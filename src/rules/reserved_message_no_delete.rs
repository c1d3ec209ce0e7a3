use crate::engine::{Cx, MessagePair, Part};
use crate::rules::number_ranges;
use crate::rules::reserved;

rule! {
    /// # What
    /// A message keeps every reservation: each number an old `reserved` range
    /// covered is still covered (ranges are compared by the numbers they cover,
    /// so growing or splitting a range is fine), and each reserved name stays.
    ///
    /// # Why
    /// A reservation records that a number or name was used before. Dropping it
    /// lets a later change reuse the number with another type, and data old
    /// writers produced is then misread.
    ///
    /// # Example
    /// ```proto
    /// // old                       // new
    /// reserved 3 to 5;             reserved 3, 5;   // 4 is free again
    /// ```
    ///
    /// # Fix
    /// Restore the reservation; reservations are never removed.
    ReservedMessageNoDelete {
        id: "RESERVED_MESSAGE_NO_DELETE",
        levels: [File, Package, WireJson, Wire],
        affects: [NewReadersOfOldData],
        summary: "a message keeps its reserved numbers and names",
    }
    impl {
        fn check_message(&self, cx: &mut Cx, p: &MessagePair) {
            let (Some(old), Some(new)) = (p.old, p.new) else { return };
            let lost = number_ranges::uncovered(&number_ranges::message_reserved(old), &number_ranges::message_reserved(new));
            if !lost.is_empty() {
                let words = number_ranges::ranges_words(&lost, 536_870_911);
                let in_use: Vec<u32> = new
                    .fields
                    .iter()
                    .map(|f| f.number)
                    .filter(|&n| lost.iter().any(|r| r.contains(&u64::from(n))))
                    .collect();
                let fix = reserved::reserve_in_message(
                    new,
                    &in_use,
                    &[],
                    &format!("reserved {words};"),
                    "restore the reservation",
                    ": reservations are never removed",
                );
                cx.report(
                    p.at(Part::Reserved),
                    format!(
                        "message \"{}\" no longer reserves {words}",
                        new.full_name
                    ),
                )
                .suggest(fix);
            }
            for name in &old.reserved_names {
                if !new.is_reserved_name(name) {
                    let fix = reserved::reserve_in_message(
                        new,
                        &[],
                        &[name],
                        &crate::engine::fix::reserve_name(&cx.new.files[new.file], name),
                        "restore the reservation",
                        ": reservations are never removed",
                    );
                    cx.report(
                        p.at(Part::Reserved),
                        format!(
                            "message \"{}\" no longer reserves the name \"{name}\"",
                            new.full_name
                        ),
                    )
                    .suggest(fix);
                }
            }
        }
    }
}
