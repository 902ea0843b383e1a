//! Hold duties: states from start/end events and from validity dates.

use oblige_check::model::Lit;
use oblige_eval::EvalOptions;
use oblige_report::model::Status;

use crate::common::*;

/// `require hold <state> <when>` for each 企业; 在岗 is from 任命 until 免职, 持证 is valid
/// 许可 from 起 to 止.
fn hold(state: &str, when: &str) -> oblige_check::model::Plan {
    plan_text(&format!(
        "rule h {{ article 1 for each 企业 require hold {state} {when} }}"
    ))
}

#[test]
fn between_state_throughout_quarters() {
    let plan = hold("在岗", "per quarter");
    let reg = registry(vec![unit("e1", "企业")]);
    let events = [
        // Appointed before the range: still holds from 01-01.
        event("s0", "2022-12-01T09:00:00+08:00", "任命", "e1"),
        event("x1", "2023-05-10T09:00:00+08:00", "免职", "e1"),
        event("s1", "2023-05-12T09:00:00+08:00", "任命", "e1"),
    ];
    let report = run(&plan, &reg, EvalOptions::default(), &events);
    let q1 = find(&report, "h", "e1", "2023-Q1");
    assert_eq!((q1.status, q1.count), (Status::Met, 90));
    let q2 = find(&report, "h", "e1", "2023-Q2");
    // Held on 05-10 (until 09:00) and from 05-12: 05-11 is the gap.
    assert_eq!(
        (q2.status, q2.evidence.first_gap),
        (Status::Violated, Some(d("2023-05-11")))
    );
    assert_eq!(q2.count, 90);
    assert_eq!(status(&report, "h", "e1", "2023-Q4"), Status::Met);
    assert_eq!(report.inputs.events_used, 3);
}

#[test]
fn open_ended_state_is_known_only_up_to_as_of() {
    let plan = hold("在岗", "per quarter");
    let reg = registry(vec![unit("e1", "企业"), unit("e2", "企业")]);
    let events = [
        event("s1", "2023-07-01T09:00:00+08:00", "任命", "e1"),
        event("s2", "2023-07-02T09:00:00+08:00", "任命", "e2"),
    ];
    let report = run(&plan, &reg, as_of("2023-08-15T12:00:00+08:00"), &events);
    assert_eq!(status(&report, "h", "e1", "2023-Q3"), Status::Open);
    let e2 = find(&report, "h", "e2", "2023-Q3");
    assert_eq!(
        (e2.status, e2.evidence.first_gap),
        (Status::Violated, Some(d("2023-07-01")))
    );
}

#[test]
fn valid_state_from_date_attributes() {
    let plan = hold("持证", "per half-year");
    let reg = registry(vec![unit("e1", "企业"), unit("e2", "企业")]);
    let licence = |id: &str, actor: &str, from: &str, to: &str| {
        let e = event(id, "2022-06-01T09:00:00+08:00", "许可", actor);
        with_attr(
            with_attr(e, "起", Lit::Date(d(from))),
            "止",
            Lit::Date(d(to)),
        )
    };
    let events = [
        licence("l1", "e1", "2022-06-01", "2023-06-30"),
        licence("l2", "e1", "2023-07-01", "2026-06-30"),
        licence("l3", "e2", "2022-06-01", "2023-03-31"),
    ];
    // A licence valid beyond as_of is known: H2 is met before it closes.
    let report = run(&plan, &reg, as_of("2023-08-01T00:00:00+08:00"), &events);
    assert_eq!(status(&report, "h", "e1", "2023-H1"), Status::Met);
    assert_eq!(status(&report, "h", "e1", "2023-H2"), Status::Met);
    let e2 = find(&report, "h", "e2", "2023-H1");
    let seen = (e2.status, e2.evidence.first_gap, e2.count);
    assert_eq!(seen, (Status::Violated, Some(d("2023-04-01")), 90));
}

#[test]
fn hold_on_a_date() {
    let plan = hold("在岗", "on 2023-06-30");
    let reg = registry(vec![unit("e1", "企业"), unit("e2", "企业")]);
    let events = [event("s1", "2023-06-30T23:00:00+08:00", "任命", "e1")];
    let report = run(&plan, &reg, EvalOptions::default(), &events);
    assert_eq!(status(&report, "h", "e1", "2023-06-30"), Status::Met);
    let e2 = find(&report, "h", "e2", "2023-06-30");
    assert_eq!(
        (e2.status, e2.evidence.first_gap),
        (Status::Violated, Some(d("2023-06-30")))
    );
    let report = run(&plan, &reg, as_of("2023-06-30T12:00:00+08:00"), &events);
    assert_eq!(status(&report, "h", "e2", "2023-06-30"), Status::Open);
}

#[test]
fn hold_is_clipped_to_the_units_active_days() {
    let plan = hold("在岗", "per year");
    let mut new = unit("e1", "企业");
    new.active_from = Some(d("2023-03-01"));
    let reg = registry(vec![new]);
    let events = [event("s1", "2023-03-01T08:00:00+08:00", "任命", "e1")];
    let report = run(&plan, &reg, EvalOptions::default(), &events);
    let row = find(&report, "h", "e1", "2023");
    assert_eq!((row.status, row.count), (Status::Met, 306));
}
