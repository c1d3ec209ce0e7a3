//! Number ranges (reserved and extension ranges): what a new set of ranges
//! no longer covers.

use std::ops::Range;

use crate::schema::Message;

/// The parts of `old` not covered by any of `new` (ranges end-exclusive).
pub fn uncovered(old: &[Range<u64>], new: &[Range<u64>]) -> Vec<Range<u64>> {
    let mut cover: Vec<Range<u64>> = new.iter().filter(|r| r.start < r.end).cloned().collect();
    cover.sort_by_key(|r| r.start);
    let mut out = Vec::new();
    for r in old {
        let mut start = r.start;
        for c in &cover {
            if c.end <= start || c.start >= r.end {
                continue;
            }
            if c.start > start {
                out.push(start..c.start);
            }
            start = start.max(c.end);
            if start >= r.end {
                break;
            }
        }
        if start < r.end {
            out.push(start..r.end);
        }
    }
    out
}

/// `3`, `3 to 5`, `3 to max`, joined with commas (end-exclusive input).
pub fn ranges_words(ranges: &[Range<u64>], max: u64) -> String {
    ranges
        .iter()
        .map(|r| {
            let last = r.end - 1;
            if r.start == last {
                r.start.to_string()
            } else if last >= max {
                format!("{} to max", r.start)
            } else {
                format!("{} to {last}", r.start)
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The message's reserved ranges as u64 ranges.
pub fn message_reserved(m: &Message) -> Vec<Range<u64>> {
    m.reserved_ranges
        .iter()
        .map(|r| u64::from(r.start)..u64::from(r.end))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::single_range_in_vec_init)]
    fn uncovered_counts_numbers_not_literal_ranges() {
        // Growing a range is fine.
        assert!(uncovered(&[1..4], &[1..5]).is_empty());
        // Splitting a range into two that cover the same numbers is fine.
        assert!(uncovered(&[1..10], &[1..5, 5..10]).is_empty());
        // Shrinking it uncovers numbers.
        assert_eq!(uncovered(&[1..10], &[2..5, 7..9]), vec![1..2, 5..7, 9..10]);
        assert_eq!(
            ranges_words(&[1..2, 5..7, 9..(1 << 29)], (1 << 29) - 1),
            "1, 5 to 6, 9 to max"
        );
    }
}
