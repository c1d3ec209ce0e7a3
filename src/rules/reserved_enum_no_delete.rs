use std::ops::Range;

use crate::engine::{Cx, EnumPair, Part};
use crate::rules::number_ranges;
use crate::rules::reserved;
use crate::schema::Enum;

/// Shifts an i32 onto u64 keeping order, so `i32::MIN` is 0.
fn shift(n: i32) -> u64 {
    u64::try_from(i64::from(n) - i64::from(i32::MIN)).unwrap_or(0)
}

fn unshift(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX) + i64::from(i32::MIN)
}

/// The enum's reserved ranges (inclusive i32) as end-exclusive shifted ranges.
fn reserved(e: &Enum) -> Vec<Range<u64>> {
    e.reserved_ranges
        .iter()
        .filter(|(s, end)| s <= end)
        .map(|&(s, end)| shift(s)..shift(end) + 1)
        .collect()
}

/// `-5`, `4`, `9 to 12`, `1001 to max`, as a `reserved` statement writes them.
fn words(ranges: &[Range<u64>]) -> String {
    ranges
        .iter()
        .map(|r| {
            let (first, last) = (unshift(r.start), unshift(r.end - 1));
            if first == last {
                first.to_string()
            } else if last >= i64::from(i32::MAX) {
                format!("{first} to max")
            } else {
                format!("{first} to {last}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

rule! {
    /// # What
    /// An enum keeps every reservation: each number an old `reserved` range
    /// covered is still covered (ranges are compared by the numbers they cover,
    /// so growing, merging or splitting a range is fine), and each reserved
    /// name stays. Enums pair by fully-qualified name.
    ///
    /// # Why
    /// A reservation records that a number or name was used before. Dropping it
    /// lets a later change reuse the number or name with another meaning, and
    /// data or JSON that old writers produced is then read as the wrong value.
    ///
    /// # Example
    /// ```proto
    /// // old                       // new
    /// reserved 2 to 4;             reserved 2, 4;   // 3 is free again
    /// ```
    ///
    /// # Fix
    /// Restore the reservation; reservations are never removed.
    ReservedEnumNoDelete {
        id: "RESERVED_ENUM_NO_DELETE",
        levels: [File, Package, WireJson, Wire],
        affects: [NewReadersOfOldData, JsonClients],
        summary: "an enum keeps its reserved numbers and names",
    }
    impl {
        fn check_enum(&self, cx: &mut Cx, p: &EnumPair) {
            let (Some(old), Some(new)) = (p.old, p.new) else { return };
            let lost = number_ranges::uncovered(&reserved(old), &reserved(new));
            if !lost.is_empty() {
                let words = words(&lost);
                let in_use: Vec<i32> = new
                    .values
                    .iter()
                    .map(|v| v.number)
                    .filter(|&n| {
                        lost.iter().any(|r| r.contains(&shift(n)))
                    })
                    .collect();
                let fix = reserved::reserve_in_enum(
                    new,
                    &in_use,
                    &[],
                    &format!("reserved {words};"),
                    "restore the reservation",
                    ": reservations are never removed",
                );
                cx.report(
                    p.at(Part::Reserved),
                    format!("enum \"{}\" no longer reserves {words}", new.full_name),
                )
                .suggest(fix);
            }
            for name in &old.reserved_names {
                if !new.reserved_names.contains(name) {
                    let fix = reserved::reserve_in_enum(
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
                            "enum \"{}\" no longer reserves the name \"{name}\"",
                            new.full_name
                        ),
                    )
                    .suggest(fix);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_ranges_are_inclusive_and_reach_i32_max() {
        let e = |ranges: Vec<(i32, i32)>| Enum {
            full_name: "p.E".into(),
            name: "E".into(),
            nested_name: "E".into(),
            file: 0,
            parent: None,
            path: Vec::new(),
            values: Vec::new(),
            reserved_ranges: ranges,
            reserved_names: Vec::new(),
            closed: false,
            options: None,
            json_format_allow: true,
            features: crate::schema::features::Features::defaults(
                crate::schema::features::Edition::Proto3,
            ),
        };
        let old = e(vec![(-10, -5), (2, 5), (9, 9), (100, i32::MAX)]);
        let new = e(vec![(-10, -6), (2, 3), (5, 5), (100, 1000)]);
        let lost = number_ranges::uncovered(&reserved(&old), &reserved(&new));
        assert_eq!(words(&lost), "-5, 4, 9, 1001 to max");
        let grown = e(vec![
            (-20, -5),
            (2, 2),
            (3, 12),
            (100, 500),
            (501, i32::MAX),
        ]);
        assert!(number_ranges::uncovered(&reserved(&old), &reserved(&grown)).is_empty());
        let whole = e(vec![(i32::MIN, i32::MAX)]);
        assert_eq!(words(&reserved(&whole)), "-2147483648 to max");
        assert!(number_ranges::uncovered(&reserved(&whole), &reserved(&whole)).is_empty());
    }
}
