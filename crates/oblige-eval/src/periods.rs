//! Calendar periods (month, quarter, half-year, year, window ranges) overlapping the evaluated
//! range, with their labels, and the lookup of the period containing a local date.

use chrono::{Datelike, Months, NaiveDate};
use indexmap::IndexMap;
use oblige_check::model::{DateRange, Period, Window};

use crate::calendar::{next_day, prev_day};

/// One period: an inclusive range of local days with its label.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeriodDef {
    /// `2023-07`, `2023-Q3`, `2023-H1`, `2023`, `name` or `name 2023-06-01`.
    pub label: String,
    /// First day.
    pub first: NaiveDate,
    /// Last day.
    pub last: NaiveDate,
}

/// The periods of one kind overlapping the evaluated range, sorted and disjoint.
#[derive(Clone, Debug, Default)]
pub struct Periods {
    defs: Vec<PeriodDef>,
}

impl Periods {
    /// Every period of `kind` overlapping `range`.
    pub fn build(kind: &Period, windows: &IndexMap<String, Window>, range: DateRange) -> Periods {
        let defs = match kind {
            Period::Month => calendar_periods(range, 1),
            Period::Quarter => calendar_periods(range, 3),
            Period::HalfYear => calendar_periods(range, 6),
            Period::Year => calendar_periods(range, 12),
            Period::Window(name) => window_periods(name, windows.get(name), range),
        };
        Periods { defs }
    }

    /// The periods in order.
    pub fn defs(&self) -> &[PeriodDef] {
        &self.defs
    }

    /// The index of the period containing `date`, if any.
    pub fn index_of(&self, date: NaiveDate) -> Option<usize> {
        let i = self.defs.partition_point(|p| p.first <= date);
        let i = i.checked_sub(1)?;
        self.defs.get(i).filter(|p| p.last >= date).map(|_| i)
    }

    /// The period containing `date`, if any.
    #[cfg(test)]
    pub fn containing(&self, date: NaiveDate) -> Option<&PeriodDef> {
        self.index_of(date).and_then(|i| self.defs.get(i))
    }
}

/// Calendar-aligned periods of `months` months (1, 3, 6 or 12).
fn calendar_periods(range: DateRange, months: u32) -> Vec<PeriodDef> {
    let mut defs = Vec::new();
    let month0 = (range.start.month0() / months) * months;
    let Some(mut first) = NaiveDate::from_ymd_opt(range.start.year(), month0 + 1, 1) else {
        return defs;
    };
    while first <= range.end {
        let Some(next) = first.checked_add_months(Months::new(months)) else {
            break;
        };
        defs.push(PeriodDef {
            label: label(first, months),
            first,
            last: prev_day(next),
        });
        first = next;
    }
    defs
}

fn label(first: NaiveDate, months: u32) -> String {
    let year = first.year();
    match months {
        1 => format!("{year}-{:02}", first.month()),
        3 => format!("{year}-Q{}", first.month0() / 3 + 1),
        6 => format!("{year}-H{}", first.month0() / 6 + 1),
        _ => format!("{year}"),
    }
}

/// One period per range of the window; named by the window alone when only one range falls in
/// the evaluated range, so that a single-range window reads naturally.
fn window_periods(name: &str, window: Option<&Window>, range: DateRange) -> Vec<PeriodDef> {
    let Some(window) = window else {
        return Vec::new();
    };
    let ranges: Vec<&DateRange> = window
        .ranges
        .iter()
        .filter(|r| r.start <= range.end && range.start <= r.end && r.start <= r.end)
        .collect();
    let single = ranges.len() == 1;
    ranges
        .into_iter()
        .map(|r| PeriodDef {
            label: if single {
                name.to_string()
            } else {
                format!("{name} {}", r.start)
            },
            first: r.start,
            last: r.end,
        })
        .collect()
}

/// Every day from `first` to `last`, inclusive.
pub fn days(first: NaiveDate, last: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    let mut next = Some(first);
    std::iter::from_fn(move || {
        let day = next.filter(|d| *d <= last)?;
        next = (day < last).then(|| next_day(day));
        Some(day)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn range(a: &str, b: &str) -> DateRange {
        DateRange {
            start: d(a),
            end: d(b),
        }
    }

    fn labels(p: &Periods) -> Vec<&str> {
        p.defs().iter().map(|p| p.label.as_str()).collect()
    }

    #[test]
    fn calendar_periods_overlap_the_range() {
        let w = IndexMap::new();
        let r = range("2023-05-04", "2023-12-31");
        let q = Periods::build(&Period::Quarter, &w, r);
        assert_eq!(labels(&q), ["2023-Q2", "2023-Q3", "2023-Q4"]);
        assert_eq!(q.defs()[0].first, d("2023-04-01"));
        assert_eq!(q.defs()[0].last, d("2023-06-30"));
        let h = Periods::build(&Period::HalfYear, &w, r);
        assert_eq!(labels(&h), ["2023-H1", "2023-H2"]);
        assert_eq!(h.containing(d("2023-07-01")).unwrap().label, "2023-H2");
        assert_eq!(h.containing(d("2023-06-30")).unwrap().label, "2023-H1");
        let m = Periods::build(&Period::Month, &w, r);
        assert_eq!(m.defs().len(), 8);
        assert_eq!(m.defs()[0].label, "2023-05");
        let y = Periods::build(&Period::Year, &w, r);
        assert_eq!(labels(&y), ["2023"]);
    }

    #[test]
    fn leap_day_is_in_february_and_q1() {
        let w = IndexMap::new();
        let r = range("2024-01-01", "2024-12-31");
        let m = Periods::build(&Period::Month, &w, r);
        let feb = m.containing(d("2024-02-29")).unwrap();
        assert_eq!((feb.label.as_str(), feb.last), ("2024-02", d("2024-02-29")));
        let q = Periods::build(&Period::Quarter, &w, r);
        assert_eq!(q.containing(d("2024-02-29")).unwrap().label, "2024-Q1");
    }

    #[test]
    fn window_labels() {
        let mut w = IndexMap::new();
        w.insert(
            "安全月".to_string(),
            Window {
                ranges: vec![
                    range("2023-06-01", "2023-06-30"),
                    range("2024-06-01", "2024-06-30"),
                ],
            },
        );
        let one = Periods::build(
            &Period::Window("安全月".into()),
            &w,
            range("2023-01-01", "2023-12-31"),
        );
        assert_eq!(labels(&one), ["安全月"]);
        let two = Periods::build(
            &Period::Window("安全月".into()),
            &w,
            range("2023-01-01", "2024-12-31"),
        );
        assert_eq!(labels(&two), ["安全月 2023-06-01", "安全月 2024-06-01"]);
        assert_eq!(two.index_of(d("2023-07-01")), None);
        assert_eq!(two.index_of(d("2024-06-30")), Some(1));
    }

    #[test]
    fn days_are_inclusive() {
        assert_eq!(days(d("2024-02-28"), d("2024-03-01")).count(), 3);
        assert_eq!(days(d("2024-03-01"), d("2024-02-28")).count(), 0);
    }
}
