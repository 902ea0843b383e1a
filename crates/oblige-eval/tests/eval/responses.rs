//! Response duties: deadlines, working days, pairing, escalation, reported.

use oblige_check::model::{Lit, Plan};
use oblige_eval::EvalOptions;
use oblige_report::model::Status;

use crate::common::*;

/// `when 事故 require <response> within <within>` for each 企业.
fn respond(response: &str, within: &str) -> Plan {
    plan_text(&format!(
        "rule r {{ article 1 for each 企业 when 事故 require {response} within {within} }}"
    ))
}

#[test]
fn response_exactly_at_the_deadline_is_met() {
    let plan = respond("报告", "60 minutes");
    let reg = registry(vec![unit("e1", "企业")]);
    let events = [
        event("acc", "2023-05-10T10:00:00+08:00", "事故", "e1"),
        event("rep", "2023-05-10T11:00:00+08:00", "报告", "e1"),
    ];
    let report = run(&plan, &reg, EvalOptions::default(), &events);
    let row = find(&report, "r", "e1", "acc");
    assert_eq!(row.status, Status::Met);
    assert_eq!(row.evidence.response.as_deref(), Some("rep"));
    assert_eq!(row.period.end.to_rfc3339(), "2023-05-10T11:00:00+08:00");
    assert_eq!(row.evidence.deadline, Some(row.period.end));
    // One second later is late by one (rounded-up) minute.
    let events = [
        event("acc", "2023-05-10T10:00:00+08:00", "事故", "e1"),
        event("rep", "2023-05-10T11:00:01+08:00", "报告", "e1"),
    ];
    let report = run(&plan, &reg, EvalOptions::default(), &events);
    let row = find(&report, "r", "e1", "acc");
    assert_eq!(
        (row.status, row.evidence.delay_minutes),
        (Status::Late, Some(1))
    );
}

#[test]
fn a_response_before_its_trigger_does_not_count() {
    let plan = respond("报告", "1 hour");
    let reg = registry(vec![unit("e1", "企业")]);
    let events = [
        event("rep", "2023-05-10T09:59:00+08:00", "报告", "e1"),
        event("acc", "2023-05-10T10:00:00+08:00", "事故", "e1"),
    ];
    let report = run(&plan, &reg, EvalOptions::default(), &events);
    assert_eq!(status(&report, "r", "e1", "acc"), Status::Missing);
    // At the same instant it counts.
    let events = [
        event("rep", "2023-05-10T10:00:00+08:00", "报告", "e1"),
        event("acc", "2023-05-10T10:00:00+08:00", "事故", "e1"),
    ];
    let report = run(&plan, &reg, EvalOptions::default(), &events);
    assert_eq!(status(&report, "r", "e1", "acc"), Status::Met);
}

#[test]
fn late_missing_open() {
    let plan = respond("报告", "1 day");
    let units = ["e1", "e2", "e3", "e4"].map(|id| unit(id, "企业"));
    let reg = registry(units.to_vec());
    let events = [
        event("a1", "2023-06-01T10:00:00+08:00", "事故", "e1"),
        event("r1", "2023-06-03T10:00:00+08:00", "报告", "e1"),
        event("a2", "2023-06-01T10:00:00+08:00", "事故", "e2"),
        event("a3", "2023-06-09T10:00:00+08:00", "事故", "e3"),
    ];
    let report = run(&plan, &reg, as_of("2023-06-10T00:00:00+08:00"), &events);
    let late = find(&report, "r", "e1", "a1");
    assert_eq!(
        (late.status, late.evidence.delay_minutes),
        (Status::Late, Some(24 * 60))
    );
    assert_eq!(late.evidence.events, ["a1", "r1"]);
    assert_eq!(status(&report, "r", "e2", "a2"), Status::Missing);
    let open = find(&report, "r", "e3", "a3");
    assert_eq!((open.status, open.at_risk), (Status::Open, true));
    // No trigger: one not-applicable row over the range.
    let na = find(&report, "r", "e4", "2023-01-01..2023-12-31");
    assert_eq!(na.status, Status::NotApplicable);
}

#[test]
fn each_response_answers_one_trigger_earliest_first() {
    let plan = respond("报告", "2 hours");
    let reg = registry(vec![unit("e1", "企业")]);
    let events = [
        event("t2", "2023-05-10T10:30:00+08:00", "事故", "e1"),
        event("t1", "2023-05-10T10:00:00+08:00", "事故", "e1"),
        event("r1", "2023-05-10T11:00:00+08:00", "报告", "e1"),
    ];
    let report = run(&plan, &reg, EvalOptions::default(), &events);
    assert_eq!(labels(&report), ["r e1 t1 Met", "r e1 t2 Missing"]);
}

#[test]
fn response_filter_refers_to_the_trigger() {
    let plan = respond("报告 where 事故编号 = trigger.id", "2 hours");
    let reg = registry(vec![unit("e1", "企业")]);
    let report_for = |id: &str, time: &str, accident: &str| {
        with_attr(
            event(id, time, "报告", "e1"),
            "事故编号",
            Lit::Text(accident.into()),
        )
    };
    let events = [
        event("t1", "2023-05-10T10:00:00+08:00", "事故", "e1"),
        event("t2", "2023-05-10T10:30:00+08:00", "事故", "e1"),
        report_for("r2", "2023-05-10T11:00:00+08:00", "t2"),
    ];
    let report = run(&plan, &reg, EvalOptions::default(), &events);
    assert_eq!(status(&report, "r", "e1", "t1"), Status::Missing);
    assert_eq!(status(&report, "r", "e1", "t2"), Status::Met);
}

#[test]
fn working_day_deadline_across_labour_day() {
    // The shared declarations have Labour Day 04-29..05-03 off and Saturday 05-06 worked.
    let plan = respond("报告", "3 working days");
    let reg = registry(vec![unit("e1", "企业"), unit("e2", "企业")]);
    let events = [
        // Friday 04-28: working days 05-04, 05-05 and the adjusted Saturday 05-06.
        event("t1", "2023-04-28T15:00:00+08:00", "事故", "e1"),
        event("r1", "2023-05-06T23:59:00+08:00", "报告", "e1"),
        event("t2", "2023-04-28T15:00:00+08:00", "事故", "e2"),
        event("r2", "2023-05-07T00:01:00+08:00", "报告", "e2"),
    ];
    let report = run(&plan, &reg, EvalOptions::default(), &events);
    let met = find(&report, "r", "e1", "t1");
    assert_eq!(met.status, Status::Met);
    assert_eq!(met.period.end.to_rfc3339(), "2023-05-07T00:00:00+08:00");
    let late = find(&report, "r", "e2", "t2");
    assert_eq!(
        (late.status, late.evidence.delay_minutes),
        (Status::Late, Some(1))
    );
}

#[test]
fn escalation_ladder_picks_the_first_matching_branch() {
    let plan = plan_text(
        "rule r { article 1 for each 企业 when 事故
                    if trigger.等级 in [重大] require 通报 within 1 hour
                    if trigger.等级 = 较大 require 报告 within 2 hours
                    require 报告 within 1 day }",
    );
    let reg = registry(vec![unit("e1", "企业")]);
    let accident = |id: &str, time: &str, grade: &str| {
        with_attr(
            event(id, time, "事故", "e1"),
            "等级",
            Lit::Enum(grade.into()),
        )
    };
    let events = [
        accident("big", "2023-05-10T10:00:00+08:00", "重大"),
        accident("mid", "2023-06-10T10:00:00+08:00", "较大"),
        accident("low", "2023-07-10T10:00:00+08:00", "一般"),
        // A 报告 90 minutes after `big` does not answer it: the 重大 branch wants a 通报.
        event("r0", "2023-05-10T11:30:00+08:00", "报告", "e1"),
        event("r1", "2023-06-10T11:30:00+08:00", "报告", "e1"),
        event("r2", "2023-07-11T09:00:00+08:00", "报告", "e1"),
    ];
    let report = run(&plan, &reg, EvalOptions::default(), &events);
    let big = find(&report, "r", "e1", "big");
    assert_eq!(big.status, Status::Missing);
    assert_eq!(big.period.end.to_rfc3339(), "2023-05-10T11:00:00+08:00");
    assert_eq!(status(&report, "r", "e1", "mid"), Status::Met);
    let low = find(&report, "r", "e1", "low");
    assert_eq!(low.status, Status::Met);
    assert_eq!(low.period.end.to_rfc3339(), "2023-07-11T10:00:00+08:00");
}

#[test]
fn no_applicable_branch_means_no_duty() {
    let plan = plan_text(
        "rule r { article 1 for each 企业 when 事故
                    if trigger.等级 = 重大 require 报告 within 1 hour }",
    );
    let reg = registry(vec![unit("e1", "企业")]);
    let accident = event("a", "2023-05-10T10:00:00+08:00", "事故", "e1");
    let events = [with_attr(accident, "等级", Lit::Enum("一般".into()))];
    let report = run(&plan, &reg, EvalOptions::default(), &events);
    assert_eq!(
        labels(&report),
        ["r e1 2023-01-01..2023-12-31 NotApplicable"]
    );
}

#[test]
fn reported_compares_recorded_at_with_the_deadline() {
    let plan = respond("reported", "1 hour");
    let reg = registry(vec![unit("e1", "企业")]);
    let accident = |id: &str, recorded: Option<&str>| {
        let mut e = event(id, "2023-05-10T10:00:00+08:00", "事故", "e1");
        e.recorded_at = recorded.map(t);
        e
    };
    let events = [
        accident("in_time", Some("2023-05-10T10:59:00+08:00")),
        accident("late", Some("2023-05-10T12:00:00+08:00")),
        accident("concealed", None),
    ];
    let report = run(&plan, &reg, EvalOptions::default(), &events);
    assert_eq!(status(&report, "r", "e1", "in_time"), Status::Met);
    let late = find(&report, "r", "e1", "late");
    assert_eq!(
        (late.status, late.evidence.delay_minutes),
        (Status::Late, Some(60))
    );
    assert_eq!(status(&report, "r", "e1", "concealed"), Status::Missing);
    let report = run(&plan, &reg, as_of("2023-05-10T10:30:00+08:00"), &events);
    assert_eq!(status(&report, "r", "e1", "concealed"), Status::Open);
}

#[test]
fn exempt_triggers_do_not_use_up_responses() {
    let plan = plan_text(
        r#"rule r { article 1 for each 企业
                    exempt where period.start < 2023-05-11 because "演练"
                    when 事故 require 报告 within 2 hours }"#,
    );
    let reg = registry(vec![unit("e1", "企业")]);
    let events = [
        event("t1", "2023-05-10T23:30:00+08:00", "事故", "e1"),
        event("t2", "2023-05-11T00:10:00+08:00", "事故", "e1"),
        event("r", "2023-05-11T01:00:00+08:00", "报告", "e1"),
    ];
    let report = run(&plan, &reg, EvalOptions::default(), &events);
    assert_eq!(labels(&report), ["r e1 t1 Exempt", "r e1 t2 Met"]);
}
