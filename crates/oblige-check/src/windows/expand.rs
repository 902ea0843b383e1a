//! Expansion of window parts into date ranges.

use super::{Effective, Raw};
use crate::model::DateRange;
use chrono::{Datelike, NaiveDate};
use indexmap::IndexMap;

pub(super) fn expand(
    raw: &IndexMap<String, Vec<Raw>>,
    name: &str,
    effective: Effective,
    depth: usize,
) -> Vec<DateRange> {
    // Cycles are cut before expansion; the depth bound only guards against a bug there.
    if depth > raw.len() {
        return Vec::new();
    }
    let Some(parts) = raw.get(name) else {
        return Vec::new();
    };
    parts
        .iter()
        .flat_map(|p| match p {
            Raw::Ref(n, _) => expand(raw, n, effective, depth + 1),
            other => expand_one(other, effective),
        })
        .collect()
}

pub(super) fn expand_one(raw: &Raw, effective: Effective) -> Vec<DateRange> {
    match raw {
        Raw::Range(start, end) => vec![DateRange {
            start: *start,
            end: *end,
        }],
        Raw::Yearly(from, to) => effective.map_or_else(Vec::new, |(s, e)| yearly(*from, *to, s, e)),
        Raw::Ref(..) => Vec::new(),
    }
}

/// A yearly part for every year the effective range touches; a part that wraps the new year
/// (`12-01 .. 02-28`) also starts in the year before, so the plan's first weeks are covered.
fn yearly(from: (u32, u32), to: (u32, u32), start: NaiveDate, end: NaiveDate) -> Vec<DateRange> {
    let wraps = to < from;
    let first = if wraps {
        start.year().saturating_sub(1)
    } else {
        start.year()
    };
    (first..=end.year())
        .filter_map(|y| {
            let s = NaiveDate::from_ymd_opt(y, from.0, from.1)?;
            let ey = if wraps { y.checked_add(1)? } else { y };
            let e = NaiveDate::from_ymd_opt(ey, to.0, to.1)
                .or_else(|| NaiveDate::from_ymd_opt(ey, to.0, to.1.saturating_sub(1)))?;
            Some(DateRange { start: s, end: e })
        })
        .collect()
}

/// Sorts ranges and merges those that overlap or touch.
pub(super) fn merge(mut ranges: Vec<DateRange>) -> Vec<DateRange> {
    ranges.sort();
    let mut out: Vec<DateRange> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match out.last_mut() {
            Some(last) if last.end.succ_opt().is_none_or(|n| n >= r.start) => {
                last.end = last.end.max(r.end);
            }
            _ => out.push(r),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn r(start: NaiveDate, end: NaiveDate) -> DateRange {
        DateRange { start, end }
    }

    #[test]
    fn merge_joins_overlapping_and_touching_ranges() {
        let merged = merge(vec![
            r(d(2023, 6, 10), d(2023, 6, 20)),
            r(d(2023, 6, 1), d(2023, 6, 9)),
            r(d(2023, 6, 15), d(2023, 6, 30)),
            r(d(2023, 8, 1), d(2023, 8, 1)),
        ]);
        assert_eq!(
            merged,
            vec![
                r(d(2023, 6, 1), d(2023, 6, 30)),
                r(d(2023, 8, 1), d(2023, 8, 1))
            ]
        );
    }

    #[test]
    fn merge_survives_the_last_day() {
        let merged = merge(vec![
            r(NaiveDate::MAX, NaiveDate::MAX),
            r(NaiveDate::MAX, NaiveDate::MAX),
        ]);
        assert_eq!(merged.len(), 1);
    }

    #[test]
    fn yearly_parts_cover_every_year_and_wrap_the_new_year() {
        let winter = yearly((12, 1), (2, 28), d(2023, 1, 1), d(2024, 12, 31));
        assert_eq!(
            winter,
            vec![
                r(d(2022, 12, 1), d(2023, 2, 28)),
                r(d(2023, 12, 1), d(2024, 2, 28)),
                r(d(2024, 12, 1), d(2025, 2, 28)),
            ]
        );
    }

    #[test]
    fn february_29_exists_only_in_leap_years() {
        let leap = yearly((2, 29), (2, 29), d(2023, 1, 1), d(2024, 12, 31));
        assert_eq!(leap, vec![r(d(2024, 2, 29), d(2024, 2, 29))]);
        let to_leap = yearly((2, 1), (2, 29), d(2023, 1, 1), d(2023, 12, 31));
        assert_eq!(to_leap, vec![r(d(2023, 2, 1), d(2023, 2, 28))]);
    }
}
