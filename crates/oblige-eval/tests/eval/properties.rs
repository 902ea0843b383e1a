//! Properties: order of events never matters, chunks merge into the whole, more matching events
//! never break an at-least duty, and a brute-force reference agrees on count duties.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, TimeDelta};
use oblige_check::model::*;
use oblige_data::{Event, Registry};
use oblige_eval::{EvalOptions, Evaluator, Parallel};
use oblige_report::model::{Report, Status};
use proptest::prelude::*;

use crate::common::*;

const KINDS: [&str; 6] = ["检查", "会议", "报告", "事故", "任命", "免职"];
const ACTORS: [&str; 4] = ["c1", "c2", "c3", "ghost"];
const WAYS: [&str; 2] = ["明查", "暗访"];
const PERIODS: [Period; 4] = [
    Period::Month,
    Period::Quarter,
    Period::HalfYear,
    Period::Year,
];
const CMPS: [CountCmp; 4] = [
    CountCmp::AtLeast,
    CountCmp::AtMost,
    CountCmp::Exactly,
    CountCmp::Never,
];

/// A count rule: (cmp, amount, kind 0..2, period, filter on 方式).
type CountSpec = (usize, u64, usize, usize, Option<usize>);

fn count_rule(i: usize, &(c, amount, kind, period, way): &CountSpec) -> Rule {
    let cmp = CMPS[c % 4];
    let amount = if cmp == CountCmp::Never { 0 } else { amount };
    let mut r = rule(
        &format!("r{i}"),
        "县",
        count(cmp, amount, KINDS[kind % 2], PERIODS[period % 4].clone()),
    );
    if let Duty::Count { events, .. } = &mut r.duty {
        events.filter = way.map(|w| eq(attr(Who::Event, "方式"), text(WAYS[w % 2])));
    }
    r
}

/// The count rules plus one rule of every other duty, so that every part of the state is
/// exercised by the order and merge properties.
fn full_plan(specs: &[CountSpec]) -> Plan {
    let mut rules: Vec<Rule> = specs
        .iter()
        .enumerate()
        .map(|(i, s)| count_rule(i, s))
        .collect();
    rules.push(rule(
        "resp",
        "县",
        Duty::Response {
            trigger: pattern("事故"),
            branches: vec![Branch {
                condition: None,
                response: Some(pattern("报告")),
                within: Within::WorkingDays(2),
            }],
        },
    ));
    rules.push(rule(
        "hold",
        "县",
        Duty::Hold {
            state: "在岗".into(),
            when: HoldWhen::Throughout(Period::Quarter),
        },
    ));
    rules.push(rule(
        "cons",
        "县",
        Duty::Consequence {
            trigger: ConsequenceTrigger::Violation("resp".into()),
            finding: "f".into(),
            over: Period::HalfYear,
        },
    ));
    let mut p = plan(rules);
    p.states.insert(
        "在岗".into(),
        StateDef::Between {
            start: "任命".into(),
            end: Some("免职".into()),
        },
    );
    p
}

fn counties() -> Registry {
    registry(vec![unit("c1", "县"), unit("c2", "县"), unit("c3", "县")])
}

/// (kind, actor, minutes from 2022-12-25T00:00Z, way).
type EventSpec = (usize, usize, i64, usize);

fn make_events(specs: &[EventSpec]) -> Vec<Event> {
    let base = t("2022-12-25T00:00:00Z");
    specs
        .iter()
        .enumerate()
        .map(|(i, &(kind, actor, minutes, way))| {
            let mut e = event(
                &format!("e{i:03}"),
                "2023-01-01T00:00:00Z",
                KINDS[kind % 6],
                ACTORS[actor % 4],
            );
            e.time = base + TimeDelta::minutes(minutes);
            with_attr(e, "方式", Lit::Text(WAYS[way % 2].into()))
        })
        .collect()
}

const YEAR_AND_A_BIT: i64 = 380 * 24 * 60;

fn event_specs() -> impl Strategy<Value = Vec<EventSpec>> {
    prop::collection::vec((0..6usize, 0..4usize, 0..YEAR_AND_A_BIT, 0..2usize), 0..60)
}

fn count_specs() -> impl Strategy<Value = Vec<CountSpec>> {
    prop::collection::vec(
        (
            0..4usize,
            0..4u64,
            0..2usize,
            0..4usize,
            prop::option::of(0..2usize),
        ),
        1..5,
    )
}

fn json(report: &Report) -> String {
    oblige_report::render::json::to_string(report)
}

fn report_of(plan: &Plan, reg: &Registry, options: &EvalOptions, events: &[Event]) -> Report {
    run(plan, reg, options.clone(), events)
}

fn as_of_option(minutes: Option<i64>) -> EvalOptions {
    EvalOptions {
        as_of: minutes.map(|m| t("2023-01-01T00:00:00Z") + TimeDelta::minutes(m)),
        evidence_limit: 3,
        ..EvalOptions::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn shuffling_events_never_changes_the_report(
        rules in count_specs(),
        events in event_specs(),
        as_of in prop::option::of(0..YEAR_AND_A_BIT),
        seed in any::<u64>(),
    ) {
        let plan = full_plan(&rules);
        let reg = counties();
        let options = as_of_option(as_of);
        let events = make_events(&events);
        let mut shuffled = events.clone();
        shuffle(&mut shuffled, seed);
        prop_assert_eq!(json(&report_of(&plan, &reg, &options, &events)), json(&report_of(&plan, &reg, &options, &shuffled)));
    }

    #[test]
    fn merged_chunks_equal_the_whole(
        rules in count_specs(),
        events in event_specs(),
        split in any::<prop::sample::Index>(),
        seed in any::<u64>(),
    ) {
        let plan = full_plan(&rules);
        let reg = counties();
        let options = as_of_option(None);
        let mut events = make_events(&events);
        shuffle(&mut events, seed);
        let k = split.index(events.len() + 1);
        let mut a = Evaluator::new(&plan, &reg, options.clone());
        a.extend(&events[..k]);
        let mut b = Evaluator::new(&plan, &reg, options.clone());
        b.extend(&events[k..]);
        a.merge(b);
        let whole = json(&report_of(&plan, &reg, &options, &events));
        prop_assert_eq!(json(&a.report()), whole.clone());

        // Readers on threads counting into shared tallies, merged after.
        let mut c = Evaluator::new(&plan, &reg, options.clone());
        let mut d = c.fork_shared();
        std::thread::scope(|scope| {
            scope.spawn(|| d.extend(&events[k..]));
            c.extend(&events[..k]);
        });
        c.merge(d);
        prop_assert_eq!(json(&c.report()), whole);
    }

    #[test]
    fn a_report_built_in_parts_on_threads_is_the_same(
        rules in count_specs(),
        events in event_specs(),
        as_of in prop::option::of(0..YEAR_AND_A_BIT),
        threads in 1..4usize,
        part_rows in 1..6usize,
    ) {
        let plan = full_plan(&rules);
        let reg = counties();
        let mut eval = Evaluator::new(&plan, &reg, as_of_option(as_of));
        eval.extend(make_events(&events));
        let parallel = Parallel { threads, part_rows };
        prop_assert_eq!(json(&eval.report_with(parallel)), json(&eval.report()));
    }

    #[test]
    fn a_matching_event_never_breaks_an_at_least_duty(
        rules in count_specs(),
        events in event_specs(),
        extra in (0..2usize, 0..3usize, 0..YEAR_AND_A_BIT, 0..2usize),
        as_of in prop::option::of(0..YEAR_AND_A_BIT),
    ) {
        let rules: Vec<CountSpec> = rules.into_iter().map(|(_, n, k, p, w)| (0, n, k, p, w)).collect();
        let plan = full_plan(&rules);
        let reg = counties();
        let options = as_of_option(as_of);
        let mut events = make_events(&events);
        let before = report_of(&plan, &reg, &options, &events);
        let mut more = make_events(&[extra]);
        more[0].id = "extra".into();
        events.extend(more);
        let after = report_of(&plan, &reg, &options, &events);
        let statuses = |r: &Report| -> BTreeMap<(String, String, String), (Status, u64)> {
            r.results.iter().filter(|row| row.rule.starts_with('r') && row.rule != "resp")
                .map(|row| ((row.rule.clone(), row.subject.id.clone(), row.period.label.clone()), (row.status, row.count)))
                .collect()
        };
        let (before, after) = (statuses(&before), statuses(&after));
        prop_assert_eq!(before.len(), after.len());
        for (key, (status, count)) in &before {
            let (now, now_count) = after[key];
            prop_assert!(now_count >= *count && now_count <= count + 1);
            if *status == Status::Met {
                prop_assert_eq!(now, Status::Met, "{:?}", key);
            }
        }
    }

    #[test]
    fn reference_evaluator_agrees_on_count_duties(
        rules in count_specs(),
        events in event_specs(),
        as_of in prop::option::of(0..YEAR_AND_A_BIT),
    ) {
        let plan = full_plan(&rules);
        let reg = counties();
        let options = as_of_option(as_of);
        let events = make_events(&events);
        let report = report_of(&plan, &reg, &options, &events);
        let actual: Vec<(String, String, String, Status, u64)> = report.results.iter()
            .filter(|row| rules.iter().enumerate().any(|(i, _)| row.rule == format!("r{i}")))
            .map(|row| (row.rule.clone(), row.subject.id.clone(), row.period.label.clone(), row.status, row.count))
            .collect();
        let as_of = options.as_of.unwrap_or(t("2023-12-31T16:00:00Z"));
        prop_assert_eq!(actual, reference(&rules, &events, as_of));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_range_and_instant_gives_a_consistent_report(
        rules in count_specs(),
        events in event_specs(),
        from in 0..500i64,
        length in 0..500i64,
        as_of in prop::option::of(-100_000..YEAR_AND_A_BIT + 100_000),
    ) {
        let plan = full_plan(&rules);
        let reg = counties();
        let first = d("2022-10-01") + TimeDelta::days(from);
        let options = EvalOptions {
            from: Some(first),
            to: Some(first + TimeDelta::days(length)),
            ..as_of_option(as_of)
        };
        let report = report_of(&plan, &reg, &options, &make_events(&events));
        let inputs = &report.inputs;
        prop_assert_eq!(inputs.events_read, events.len() as u64);
        prop_assert_eq!(inputs.events_read, inputs.events_used + inputs.events_unmatched + inputs.events_ignored);
        prop_assert_eq!(report.summary.total.total(), report.results.len() as u64);
        for row in &report.results {
            prop_assert!(row.period.start <= row.period.end);
            prop_assert!(row.evidence.events.len() <= 3 || row.duty == oblige_report::model::DutyKind::Response);
        }
    }
}

/// A deterministic Fisher–Yates shuffle (a tiny LCG keeps the test free of extra crates).
fn shuffle<T>(items: &mut [T], mut seed: u64) {
    for i in (1..items.len()).rev() {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let j = (seed >> 33) as usize % (i + 1);
        items.swap(i, j);
    }
}

/// Brute force: for every rule, subject and period of 2023, count the events one by one.
fn reference(
    rules: &[CountSpec],
    events: &[Event],
    as_of: chrono::DateTime<chrono::Utc>,
) -> Vec<(String, String, String, Status, u64)> {
    // Shanghai has kept UTC+8 without daylight saving since 1991.
    let local = |t: chrono::DateTime<chrono::Utc>| (t + TimeDelta::hours(8)).date_naive();
    let mut out = Vec::new();
    for (i, spec) in rules.iter().enumerate() {
        let &(c, amount, kind, period, way) = spec;
        let cmp = CMPS[c % 4];
        let amount = if cmp == CountCmp::Never { 0 } else { amount };
        let label = |d: NaiveDate| match PERIODS[period % 4] {
            Period::Month => format!("{}-{:02}", d.year(), d.month()),
            Period::Quarter => format!("{}-Q{}", d.year(), (d.month() - 1) / 3 + 1),
            Period::HalfYear => format!("{}-H{}", d.year(), (d.month() - 1) / 6 + 1),
            _ => format!("{}", d.year()),
        };
        // Periods of 2023 as (label, first day, last day), by walking every day.
        let mut periods: Vec<(String, NaiveDate, NaiveDate)> = Vec::new();
        let mut day = d("2023-01-01");
        while day.year() == 2023 {
            match periods.last_mut() {
                Some((l, _, last)) if *l == label(day) => *last = day,
                _ => periods.push((label(day), day, day)),
            }
            day = day.succ_opt().unwrap();
        }
        for subject in ["c1", "c2", "c3"] {
            for (l, first, last) in &periods {
                let n = events
                    .iter()
                    .filter(|e| e.time <= as_of)
                    .filter(|e| e.kind == KINDS[kind % 2] && e.actor == subject)
                    .filter(|e| local(e.time) >= *first && local(e.time) <= *last)
                    .filter(|e| {
                        way.is_none_or(|w| e.attrs["方式"] == Lit::Text(WAYS[w % 2].into()))
                    })
                    .count() as u64;
                let start = first.and_hms_opt(0, 0, 0).unwrap().and_utc() - TimeDelta::hours(8);
                let end = last
                    .succ_opt()
                    .unwrap()
                    .and_hms_opt(0, 0, 0)
                    .unwrap()
                    .and_utc()
                    - TimeDelta::hours(8);
                let (started, closed) = (start <= as_of, end <= as_of);
                let status = if !started {
                    Status::Open
                } else {
                    let ok = match cmp {
                        CountCmp::AtLeast => n >= amount,
                        CountCmp::AtMost | CountCmp::Never => n <= amount,
                        CountCmp::Exactly => n == amount,
                    };
                    let already_decided = match cmp {
                        CountCmp::AtLeast => ok,
                        _ => !ok && n > amount,
                    };
                    match (closed || already_decided, ok) {
                        (false, _) => Status::Open,
                        (true, true) => Status::Met,
                        (true, false) => Status::Violated,
                    }
                };
                out.push((format!("r{i}"), subject.to_string(), l.clone(), status, n));
            }
        }
    }
    // The report is sorted by rule, subject, then period start.
    out
}
