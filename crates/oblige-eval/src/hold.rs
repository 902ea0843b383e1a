//! Maintained states (`require hold 持证 per year`): the days on which a unit holds a state,
//! from its start/end events or from the validity dates its events carry.
//!
//! A state holds on a day if it holds at any moment of that day. An open-ended `from … until …`
//! state is only known to hold up to `as_of`; a `valid … from … to …` state holds over its
//! declared dates, also beyond `as_of`.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use oblige_check::model::{HoldWhen, Lit, Rule, StateDef};
use oblige_report::model::{DutyKind, Evidence, Status};

use crate::calendar::{end_of_day, local_date, next_day};
use crate::collect::Collected;
use crate::periods::{days, PeriodDef};
use crate::record::Incoming;
use crate::rows::{periodic_rows, Judged, RowSink, Scope, Timing};
use crate::setup::Setup;

/// Records the state changes `event` makes for its actor, given the positions of the states
/// its kind changes. Returns whether it made any.
pub fn collect(
    setup: &Setup<'_>,
    data: &mut Collected,
    event: &Incoming<'_>,
    changed: &[usize],
) -> bool {
    let kind = event.event.kind.as_str();
    let mut used = false;
    for &si in changed {
        let Some((_, def)) = setup.states.get(si) else {
            continue;
        };
        match def {
            StateDef::Between { start, end } => {
                let starts = start == kind;
                if starts || end.as_deref() == Some(kind) {
                    let marks = data.marks.entry((si, event.actor)).or_default();
                    marks.push((event.event.time, starts));
                    used = true;
                }
            }
            StateDef::Valid { kind: k, from, to } if k == kind => {
                let attrs = &event.event.attrs;
                if let (Some(Lit::Date(a)), Some(Lit::Date(b))) = (attrs.get(from), attrs.get(to)) {
                    if a <= b {
                        add_range(data.valid.entry((si, event.actor)).or_default(), (*a, *b));
                        used = true;
                    }
                }
            }
            StateDef::Valid { .. } => {}
        }
    }
    used
}

/// Adds a day range to a sorted list of disjoint, non-adjacent ranges, merging as needed.
pub fn add_range(ranges: &mut Vec<(NaiveDate, NaiveDate)>, (mut a, mut b): (NaiveDate, NaiveDate)) {
    // Most validity events repeat days already held: nothing to merge, nothing to allocate.
    if ranges.iter().any(|&(x, y)| x <= a && b <= y) {
        return;
    }
    // In place: a list is one unit's ranges of one state, and this runs for every event that
    // sets one.
    ranges.retain(|&(x, y)| {
        let apart = next_day(y) < a || next_day(b) < x;
        if !apart {
            a = a.min(x);
            b = b.max(y);
        }
        apart
    });
    let at = ranges.partition_point(|&(x, _)| x < a);
    ranges.insert(at, (a, b));
}

/// The days on which the unit at `unit` holds state `si`, as sorted disjoint ranges.
fn held_days(
    setup: &Setup<'_>,
    data: &Collected,
    si: usize,
    unit: usize,
) -> Vec<(NaiveDate, NaiveDate)> {
    let mut ranges = data.valid.get(&(si, unit)).cloned().unwrap_or_default();
    let mut marks = data.marks.get(&(si, unit)).cloned().unwrap_or_default();
    marks.sort();
    let mut open: Option<DateTime<Utc>> = None;
    let mut intervals = Vec::new();
    for (t, starts) in marks {
        match (starts, open) {
            (true, None) => open = Some(t),
            (false, Some(since)) => {
                intervals.push((since, t));
                open = None;
            }
            _ => {}
        }
    }
    if let Some(since) = open {
        intervals.push((since, setup.as_of));
    }
    for (a, b) in intervals.into_iter().filter(|(a, b)| b > a) {
        let last = local_date(setup.tz, b - TimeDelta::nanoseconds(1));
        add_range(&mut ranges, (local_date(setup.tz, a), last));
    }
    ranges
}

fn holds_on(ranges: &[(NaiveDate, NaiveDate)], day: NaiveDate) -> bool {
    let i = ranges.partition_point(|(a, _)| *a <= day);
    i.checked_sub(1)
        .and_then(|i| ranges.get(i))
        .is_some_and(|(_, b)| *b >= day)
}

/// The rows of a hold duty.
pub fn rows(
    setup: &Setup<'_>,
    data: &Collected,
    rule_index: usize,
    rule: &Rule,
    (state, when): (&str, &HoldWhen),
    scope: &Scope<'_>,
    emit: RowSink<'_>,
) {
    let Some(si) = setup.states.iter().position(|(name, _)| name == state) else {
        return;
    };
    let on_day;
    let periods: &[PeriodDef] = match when {
        HoldWhen::Throughout(_) => setup
            .rules
            .get(rule_index)
            .map_or(&[], |r| r.periods.defs()),
        HoldWhen::On(date) if setup.range.start <= *date && *date <= setup.range.end => {
            on_day = [PeriodDef {
                label: date.to_string(),
                first: *date,
                last: *date,
            }];
            &on_day
        }
        HoldWhen::On(_) => &[],
    };
    // Computed once per subject, not once per period: rows come subject by subject.
    let mut held: Option<(usize, Vec<(NaiveDate, NaiveDate)>)> = None;
    let judge_one = |subject, _, def: &PeriodDef, timing: Timing, evidence: &mut Evidence| {
        if held.as_ref().is_none_or(|(s, _)| *s != subject) {
            held = Some((subject, held_days(setup, data, si, subject)));
        }
        let days = held.as_ref().map_or(&[][..], |(_, d)| d.as_slice());
        let (judged, gap) = judge(setup, subject, (def, timing), days);
        evidence.first_gap = gap;
        judged
    };
    periodic_rows(setup, rule, DutyKind::Hold, periods, scope, judge_one, emit);
}

/// The verdict over one period: every day held → met; a past day not held → violated. With
/// the first past day not held.
fn judge(
    setup: &Setup<'_>,
    subject: usize,
    (def, timing): (&PeriodDef, Timing),
    held: &[(NaiveDate, NaiveDate)],
) -> (Judged, Option<NaiveDate>) {
    let unit = setup.registry.units().get(subject);
    let first = [
        Some(def.first),
        Some(setup.range.start),
        unit.and_then(|u| u.active_from),
    ]
    .into_iter()
    .flatten()
    .max()
    .unwrap_or(def.first);
    let last = [
        Some(def.last),
        Some(setup.range.end),
        unit.and_then(|u| u.active_to),
    ]
    .into_iter()
    .flatten()
    .min()
    .unwrap_or(def.last);
    let mut count = 0;
    let mut all = true;
    let mut gap = None;
    for day in days(first, last) {
        if holds_on(held, day) {
            count += 1;
        } else {
            all = false;
            if gap.is_none() && end_of_day(setup.tz, day) <= setup.as_of {
                gap = Some(day);
            }
        }
    }
    let status = if !timing.started {
        Status::Open
    } else if all {
        Status::Met
    } else if gap.is_some() {
        Status::Violated
    } else {
        Status::Open
    };
    let judged = Judged {
        status: Some(status),
        count,
        required: None,
        at_risk: false,
    };
    (judged, gap)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn ranges_merge_when_they_touch() {
        let mut r = Vec::new();
        add_range(&mut r, (d("2023-03-01"), d("2023-03-10")));
        add_range(&mut r, (d("2023-01-01"), d("2023-01-31")));
        add_range(&mut r, (d("2023-02-01"), d("2023-02-05")));
        assert_eq!(
            r,
            [
                (d("2023-01-01"), d("2023-02-05")),
                (d("2023-03-01"), d("2023-03-10"))
            ]
        );
        add_range(&mut r, (d("2023-02-06"), d("2023-02-28")));
        assert_eq!(r, [(d("2023-01-01"), d("2023-03-10"))]);
        assert!(holds_on(&r, d("2023-03-10")));
        assert!(!holds_on(&r, d("2023-03-11")));
        assert!(!holds_on(&r, d("2022-12-31")));
    }

    proptest::proptest! {
        /// Whatever ranges are added in whatever order, the list is the runs of days held.
        #[test]
        fn ranges_are_the_runs_of_the_days_added(
            added in proptest::collection::vec((0_u64..60, 0_u64..8), 0..12)
        ) {
            let day = |n: u64| d("2023-01-01") + chrono::Days::new(n);
            let mut r = Vec::new();
            let mut held = [false; 70];
            for &(start, len) in &added {
                add_range(&mut r, (day(start), day(start + len)));
                for n in start..=start + len {
                    held[n as usize] = true;
                }
            }
            let mut runs = Vec::new();
            let mut n = 0;
            while n < held.len() {
                if held[n] {
                    let first = n;
                    while n + 1 < held.len() && held[n + 1] {
                        n += 1;
                    }
                    runs.push((day(first as u64), day(n as u64)));
                }
                n += 1;
            }
            proptest::prop_assert_eq!(r, runs);
        }
    }
}
