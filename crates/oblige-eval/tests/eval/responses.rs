//! Response duties: deadlines, working days, pairing, escalation, reported.

use oblige_check::model::*;
use oblige_eval::EvalOptions;
use oblige_report::model::Status;

use crate::common::*;

fn respond(within: Within) -> Duty {
    Duty::Response {
        trigger: pattern("事故"),
        branches: vec![Branch {
            condition: None,
            response: Some(pattern("报告")),
            within,
        }],
    }
}

fn one_rule(duty: Duty) -> Plan {
    plan(vec![rule("r", "企业", duty)])
}

#[test]
fn response_exactly_at_the_deadline_is_met() {
    let plan = one_rule(respond(Within::Minutes(60)));
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
    let plan = one_rule(respond(Within::Minutes(60)));
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
    let plan = one_rule(respond(Within::Minutes(24 * 60)));
    let reg = registry(vec![
        unit("e1", "企业"),
        unit("e2", "企业"),
        unit("e3", "企业"),
        unit("e4", "企业"),
    ]);
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
    let plan = one_rule(respond(Within::Minutes(120)));
    let reg = registry(vec![unit("e1", "企业")]);
    let events = [
        event("t2", "2023-05-10T10:30:00+08:00", "事故", "e1"),
        event("t1", "2023-05-10T10:00:00+08:00", "事故", "e1"),
        event("r1", "2023-05-10T11:00:00+08:00", "报告", "e1"),
    ];
    let report = run(&plan, &reg, EvalOptions::default(), &events);
    assert_eq!(status(&report, "r", "e1", "t1"), Status::Met);
    assert_eq!(status(&report, "r", "e1", "t2"), Status::Missing);
    assert_eq!(labels(&report), ["r e1 t1 Met", "r e1 t2 Missing"]);
}

#[test]
fn response_filter_refers_to_the_trigger() {
    let mut duty = respond(Within::Minutes(120));
    if let Duty::Response { branches, .. } = &mut duty {
        branches[0].response.as_mut().unwrap().filter =
            Some(eq(attr(Who::Event, "事故编号"), attr(Who::Trigger, "id")));
    }
    let plan = one_rule(duty);
    let reg = registry(vec![unit("e1", "企业")]);
    let events = [
        event("t1", "2023-05-10T10:00:00+08:00", "事故", "e1"),
        event("t2", "2023-05-10T10:30:00+08:00", "事故", "e1"),
        with_attr(
            event("r2", "2023-05-10T11:00:00+08:00", "报告", "e1"),
            "事故编号",
            Lit::Text("t2".into()),
        ),
    ];
    let report = run(&plan, &reg, EvalOptions::default(), &events);
    assert_eq!(status(&report, "r", "e1", "t1"), Status::Missing);
    assert_eq!(status(&report, "r", "e1", "t2"), Status::Met);
}

fn labour_day_calendar() -> Calendar {
    let mut c = Calendar {
        name: "2023".into(),
        ..Calendar::default()
    };
    for day in [
        "2023-04-29",
        "2023-04-30",
        "2023-05-01",
        "2023-05-02",
        "2023-05-03",
    ] {
        c.holidays.insert(d(day));
    }
    c.workdays.insert(d("2023-05-06"));
    c
}

#[test]
fn working_day_deadline_across_labour_day() {
    let mut plan = one_rule(respond(Within::WorkingDays(3)));
    plan.calendar = Some(labour_day_calendar());
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
    let grade = |g: &str| Value::Lit(Lit::Enum(g.into()));
    let branch = |condition: Option<Pred>, kind: &str, minutes: i64| Branch {
        condition,
        response: Some(pattern(kind)),
        within: Within::Minutes(minutes),
    };
    let duty = Duty::Response {
        trigger: pattern("事故"),
        branches: vec![
            branch(
                Some(Pred::Compare(
                    attr(Who::Trigger, "等级"),
                    CmpOp::Ge,
                    grade("重大"),
                )),
                "通报",
                60,
            ),
            branch(
                Some(eq(attr(Who::Trigger, "等级"), grade("较大"))),
                "报告",
                120,
            ),
            branch(None, "报告", 24 * 60),
        ],
    };
    let plan = one_rule(duty);
    let reg = registry(vec![unit("e1", "企业")]);
    let acc = |id: &str, time: &str, g: &str| {
        with_attr(event(id, time, "事故", "e1"), "等级", Lit::Enum(g.into()))
    };
    let events = [
        acc("big", "2023-05-10T10:00:00+08:00", "重大"),
        acc("mid", "2023-06-10T10:00:00+08:00", "较大"),
        acc("low", "2023-07-10T10:00:00+08:00", "一般"),
        // A 报告 90 minutes after `big` does not answer it: the 重大 branch wants a 通报.
        event("r0", "2023-05-10T11:30:00+08:00", "报告", "e1"),
        event("r1", "2023-06-10T11:30:00+08:00", "报告", "e1"),
        event("r2", "2023-07-11T09:00:00+08:00", "报告", "e1"),
    ];
    let report = run(&plan, &reg, EvalOptions::default(), &events);
    let big = find(&report, "r", "e1", "big");
    assert_eq!(
        (big.status, big.period.end.to_rfc3339().as_str()),
        (Status::Missing, "2023-05-10T11:00:00+08:00")
    );
    assert_eq!(status(&report, "r", "e1", "mid"), Status::Met);
    let low = find(&report, "r", "e1", "low");
    assert_eq!(
        (low.status, low.period.end.to_rfc3339().as_str()),
        (Status::Met, "2023-07-11T10:00:00+08:00")
    );
}

#[test]
fn no_applicable_branch_means_no_duty() {
    let duty = Duty::Response {
        trigger: pattern("事故"),
        branches: vec![Branch {
            condition: Some(eq(
                attr(Who::Trigger, "等级"),
                Value::Lit(Lit::Enum("重大".into())),
            )),
            response: Some(pattern("报告")),
            within: Within::Minutes(60),
        }],
    };
    let plan = one_rule(duty);
    let reg = registry(vec![unit("e1", "企业")]);
    let events = [with_attr(
        event("a", "2023-05-10T10:00:00+08:00", "事故", "e1"),
        "等级",
        Lit::Enum("一般".into()),
    )];
    let report = run(&plan, &reg, EvalOptions::default(), &events);
    assert_eq!(
        labels(&report),
        ["r e1 2023-01-01..2023-12-31 NotApplicable"]
    );
}

#[test]
fn reported_compares_recorded_at_with_the_deadline() {
    let duty = Duty::Response {
        trigger: pattern("事故"),
        branches: vec![Branch {
            condition: None,
            response: None,
            within: Within::Minutes(60),
        }],
    };
    let plan = one_rule(duty);
    let reg = registry(vec![unit("e1", "企业")]);
    let acc = |id: &str, recorded: Option<&str>| {
        let mut e = event(id, "2023-05-10T10:00:00+08:00", "事故", "e1");
        e.recorded_at = recorded.map(t);
        e
    };
    let events = [
        acc("in_time", Some("2023-05-10T10:59:00+08:00")),
        acc("late", Some("2023-05-10T12:00:00+08:00")),
        acc("concealed", None),
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
    let mut r = rule("r", "企业", respond(Within::Minutes(120)));
    r.exemptions.push(Exemption {
        filter: Some(Pred::Compare(
            Value::PeriodStart,
            CmpOp::Lt,
            Value::Lit(Lit::Date(d("2023-05-11"))),
        )),
        during: None,
        reason: "演练".into(),
    });
    let plan = plan(vec![r]);
    let reg = registry(vec![unit("e1", "企业")]);
    let events = [
        event("t1", "2023-05-10T23:30:00+08:00", "事故", "e1"),
        event("t2", "2023-05-11T00:10:00+08:00", "事故", "e1"),
        event("r", "2023-05-11T01:00:00+08:00", "报告", "e1"),
    ];
    let report = run(&plan, &reg, EvalOptions::default(), &events);
    assert_eq!(labels(&report), ["r e1 t1 Exempt", "r e1 t2 Met"]);
}
