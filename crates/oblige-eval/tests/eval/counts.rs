//! Count and coverage duties: periods, local time, activity, exemptions, as-of.

use oblige_check::model::Lit;
use oblige_eval::EvalOptions;
use oblige_report::model::{DutyKind, Status};

use crate::common::*;

fn half_yearly() -> oblige_check::model::Plan {
    plan_text("rule r { article 1 for each 县 require at least 1 检查 per half-year }")
}

#[test]
fn midnight_local_is_the_next_half_year() {
    let plan = half_yearly();
    let reg = registry(vec![unit("c1", "县")]);
    let events = [event("e1", "2023-07-01T00:00:00+08:00", "检查", "c1")];
    let report = run(&plan, &reg, EvalOptions::default(), &events);
    assert_eq!(status(&report, "r", "c1", "2023-H1"), Status::Violated);
    let h2 = find(&report, "r", "c1", "2023-H2");
    assert_eq!((h2.status, h2.count), (Status::Met, 1));
    assert_eq!(h2.evidence.events, ["e1"]);
    assert_eq!(h2.period.start.to_rfc3339(), "2023-07-01T00:00:00+08:00");
    assert_eq!(h2.period.end.to_rfc3339(), "2024-01-01T00:00:00+08:00");
}

#[test]
fn utc_evening_is_the_next_local_day() {
    let plan = half_yearly();
    let reg = registry(vec![unit("c1", "县")]);
    let events = [event("e1", "2023-06-30T16:30:00Z", "检查", "c1")];
    let report = run(&plan, &reg, EvalOptions::default(), &events);
    assert_eq!(status(&report, "r", "c1", "2023-H1"), Status::Violated);
    assert_eq!(status(&report, "r", "c1", "2023-H2"), Status::Met);
    // One second before local midnight is still H1.
    let events = [event("e1", "2023-06-30T15:59:59Z", "检查", "c1")];
    let report = run(&plan, &reg, EvalOptions::default(), &events);
    assert_eq!(status(&report, "r", "c1", "2023-H1"), Status::Met);
    assert_eq!(status(&report, "r", "c1", "2023-H2"), Status::Violated);
}

#[test]
fn leap_day_counts_in_february_and_q1() {
    let plan = plan_text(
        "rule m { article 1 for each 县 require at least 1 检查 per month }
         rule q { article 1 for each 县 require at least 1 检查 per quarter }",
    );
    let reg = registry(vec![unit("c1", "县")]);
    let options = EvalOptions {
        from: Some(d("2024-01-01")),
        to: Some(d("2024-12-31")),
        ..EvalOptions::default()
    };
    let events = [event("e1", "2024-02-29T12:00:00+08:00", "检查", "c1")];
    let report = run(&plan, &reg, options, &events);
    assert_eq!(status(&report, "m", "c1", "2024-02"), Status::Met);
    assert_eq!(status(&report, "m", "c1", "2024-03"), Status::Violated);
    assert_eq!(status(&report, "q", "c1", "2024-Q1"), Status::Met);
    let feb = find(&report, "m", "c1", "2024-02");
    assert_eq!(feb.period.end.to_rfc3339(), "2024-03-01T00:00:00+08:00");
    assert_eq!(report.results.iter().filter(|r| r.rule == "m").count(), 12);
}

#[test]
fn as_of_mid_period_is_open_and_at_risk_near_the_end() {
    let plan = plan_text("rule r { article 1 for each 县 require at least 2 检查 per quarter }");
    let reg = registry(vec![unit("c1", "县"), unit("c2", "县")]);
    let events = [
        event("a", "2023-07-03T09:00:00+08:00", "检查", "c1"),
        event("b", "2023-07-04T09:00:00+08:00", "检查", "c1"),
        event("c", "2023-07-05T09:00:00+08:00", "检查", "c2"),
        // After as_of: ignored, so c2 is not met yet.
        event("late", "2023-09-25T09:00:00+08:00", "检查", "c2"),
    ];
    let report = run(&plan, &reg, as_of("2023-09-20T00:00:00+08:00"), &events);
    let c1 = find(&report, "r", "c1", "2023-Q3");
    assert_eq!((c1.status, c1.at_risk), (Status::Met, false));
    let c2 = find(&report, "r", "c2", "2023-Q3");
    assert_eq!((c2.status, c2.count, c2.at_risk), (Status::Open, 1, true));
    assert_eq!(status(&report, "r", "c2", "2023-Q2"), Status::Violated);
    // Q4 has not started: open, not at risk.
    let q4 = find(&report, "r", "c2", "2023-Q4");
    assert_eq!((q4.status, q4.at_risk), (Status::Open, false));
    // Early in the quarter it is open but not yet at risk.
    let report = run(&plan, &reg, as_of("2023-08-01T00:00:00+08:00"), &events);
    let c2 = find(&report, "r", "c2", "2023-Q3");
    assert_eq!((c2.status, c2.at_risk), (Status::Open, false));
    assert_eq!(
        report.inputs.ignored_by_reason["after_as_of"].examples,
        ["late"]
    );
}

#[test]
fn at_most_and_forbid_are_violated_as_soon_as_exceeded() {
    let plan = plan_text(
        "rule most { article 1 for each 县 require at most 1 事故 per year }
         rule never { article 1 for each 县 forbid 事故 per year }
         rule exact { article 1 for each 县 require exactly 2 事故 per year }",
    );
    let reg = registry(vec![unit("c1", "县"), unit("c2", "县")]);
    let events = [
        event("a", "2023-02-01T09:00:00+08:00", "事故", "c1"),
        event("b", "2023-03-01T09:00:00+08:00", "事故", "c1"),
        event("c", "2023-03-01T09:00:00+08:00", "事故", "c2"),
    ];
    let report = run(&plan, &reg, as_of("2023-06-01T00:00:00+08:00"), &events);
    assert_eq!(status(&report, "most", "c1", "2023"), Status::Violated);
    assert_eq!(status(&report, "most", "c2", "2023"), Status::Open);
    assert_eq!(status(&report, "never", "c2", "2023"), Status::Violated);
    assert_eq!(status(&report, "exact", "c1", "2023"), Status::Open);
    assert_eq!(
        find(&report, "never", "c2", "2023")
            .required
            .map(|r| r.amount),
        Some(0)
    );
    let report = run(&plan, &reg, EvalOptions::default(), &events);
    assert_eq!(status(&report, "most", "c2", "2023"), Status::Met);
    assert_eq!(status(&report, "exact", "c1", "2023"), Status::Met);
    assert_eq!(status(&report, "exact", "c2", "2023"), Status::Violated);
}

#[test]
fn unit_added_mid_year_is_not_applicable_then_exempt_by_period_start() {
    let plan = plan_text(
        r#"rule r {
             article 1
             for each 企业
             exempt where subject.设立 > period.start because "新设企业"
             require at least 1 检查 per quarter
           }"#,
    );
    let mut new = unit("e2", "企业");
    new.active_from = Some(d("2023-08-15"));
    new.attrs.insert("设立".into(), Lit::Date(d("2023-08-15")));
    let mut old = unit("e1", "企业");
    old.attrs.insert("设立".into(), Lit::Date(d("2010-01-01")));
    let reg = registry(vec![old, new]);
    let events = [event("a", "2023-11-01T09:00:00+08:00", "检查", "e2")];
    let report = run(&plan, &reg, EvalOptions::default(), &events);
    assert_eq!(status(&report, "r", "e2", "2023-Q1"), Status::NotApplicable);
    assert_eq!(status(&report, "r", "e2", "2023-Q2"), Status::NotApplicable);
    let q3 = find(&report, "r", "e2", "2023-Q3");
    assert_eq!(
        (q3.status, q3.exemption.as_deref()),
        (Status::Exempt, Some("新设企业"))
    );
    assert_eq!(status(&report, "r", "e2", "2023-Q4"), Status::Met);
    assert_eq!(status(&report, "r", "e1", "2023-Q3"), Status::Violated);
    assert_eq!(report.summary.by_subject["e2"].not_applicable, 2);
}

#[test]
fn exemption_during_days_overlapping_the_period() {
    let plan = plan_text(
        r#"rule r {
             article 1
             for each 县
             exempt during 2023-04-29..2023-05-03 because "假期"
             require at least 1 检查 per month
           }"#,
    );
    let reg = registry(vec![unit("c1", "县")]);
    let report = run(&plan, &reg, EvalOptions::default(), &[]);
    assert_eq!(status(&report, "r", "c1", "2023-03"), Status::Violated);
    assert_eq!(status(&report, "r", "c1", "2023-04"), Status::Exempt);
    assert_eq!(status(&report, "r", "c1", "2023-05"), Status::Exempt);
    assert_eq!(status(&report, "r", "c1", "2023-06"), Status::Violated);
}

#[test]
fn coverage_with_a_sector_that_has_no_enterprise() {
    let plan = plan_text(
        "rule cov { article 1 cover each 行业
                    require at least 1 检查 where target.行业 = subject.id by anyone per year }
         rule none { article 1 cover each 港口 require at least 1 检查 to subject per year }",
    );
    let ent = |id: &str, sector: &str| {
        let mut u = unit(id, "企业");
        u.attrs.insert("行业".into(), Lit::Text(sector.into()));
        u
    };
    let reg = registry(vec![
        unit("化工", "行业"),
        unit("矿山", "行业"),
        unit("烟花", "行业"),
        ent("e1", "化工"),
        ent("e2", "矿山"),
        unit("dept", "部门"),
    ]);
    let mut inspection = event("a", "2023-05-01T09:00:00+08:00", "检查", "dept");
    inspection.target = Some("e1".into());
    let report = run(&plan, &reg, EvalOptions::default(), &[inspection]);
    let cov = &report.coverage[0];
    assert_eq!((cov.rule.as_str(), cov.covered, cov.total), ("cov", 1, 3));
    assert_eq!(cov.uncovered, ["烟花", "矿山"]);
    assert!((cov.ratio.unwrap() - 1.0 / 3.0).abs() < 1e-12);
    let none = &report.coverage[1];
    assert_eq!(
        (none.rule.as_str(), none.total, none.ratio),
        ("none", 0, None)
    );
    assert_eq!(
        find(&report, "cov", "化工", "2023").duty,
        DutyKind::Coverage
    );
}

#[test]
fn subject_filter_and_related_actor() {
    let plan = plan_text(
        "rule r { article 1 for each 企业 where 规上 = true
                  require at least 1 检查 to subject by actor where actor is 部门 per year }",
    );
    let mut big = unit("big", "企业");
    big.attrs.insert("规上".into(), Lit::Bool(true));
    let mut big2 = big.clone();
    big2.id = "big2".into();
    let mut small = unit("small", "企业");
    small.attrs.insert("规上".into(), Lit::Bool(false));
    let reg = registry(vec![
        big,
        big2,
        small,
        unit("dept", "部门"),
        unit("c1", "县"),
    ]);
    let mut by_dept = event("a", "2023-05-01T09:00:00+08:00", "检查", "dept");
    by_dept.target = Some("big".into());
    let mut by_county = event("b", "2023-05-01T09:00:00+08:00", "检查", "c1");
    by_county.target = Some("big2".into());
    let report = run(&plan, &reg, EvalOptions::default(), &[by_dept, by_county]);
    assert_eq!(status(&report, "r", "big", "2023"), Status::Met);
    assert_eq!(status(&report, "r", "big2", "2023"), Status::Violated);
    assert!(report.results.iter().all(|r| r.subject.id != "small"));
    assert_eq!(report.inputs.events_used, 1);
    assert_eq!(report.inputs.events_unmatched, 1);
}

#[test]
fn under_uses_the_hierarchy() {
    let plan = plan_text(
        "rule r { article 1 for each 县 require at least 1 检查 by actor where actor under subject per year }",
    );
    let mut town = unit("t1", "部门");
    town.parent = Some("c1".into());
    let mut ent = unit("x1", "企业");
    ent.parent = Some("t1".into());
    let reg = registry(vec![unit("c1", "县"), unit("c2", "县"), town, ent]);
    let events = [event("a", "2023-05-01T09:00:00+08:00", "检查", "x1")];
    let report = run(&plan, &reg, EvalOptions::default(), &events);
    assert_eq!(status(&report, "r", "c1", "2023"), Status::Met);
    assert_eq!(status(&report, "r", "c2", "2023"), Status::Violated);
}

/// `actor.id = subject.行业` picks the subjects from an index of 行业; the results are those of
/// trying every 企业, missing attributes included.
#[test]
fn actor_equal_to_a_subject_attribute() {
    let plan = plan_text(
        "rule r { article 1 for each 企业 require at least 1 检查 by actor where actor.id = subject.行业 per year }
         rule s { article 1 for each 企业 require at least 1 检查 where actor.id = subject.行业 and actor under subject by anyone per year }",
    );
    let firm = |id: &str, industry: Option<&str>| {
        let mut u = unit(id, "企业");
        if let Some(i) = industry {
            u.attrs.insert("行业".into(), Lit::Text(i.into()));
        }
        u
    };
    let reg = registry(vec![
        firm("e1", Some("ind1")),
        firm("e2", Some("ind2")),
        firm("e3", None),
        firm("e4", Some("ind1")),
        unit("ind1", "行业"),
        unit("ind2", "行业"),
    ]);
    let events = [
        event("a", "2023-05-01T09:00:00+08:00", "检查", "ind1"),
        event("b", "2023-05-01T09:00:00+08:00", "检查", "e3"),
    ];
    let report = run(&plan, &reg, EvalOptions::default(), &events);
    assert_eq!(status(&report, "r", "e1", "2023"), Status::Met);
    assert_eq!(status(&report, "r", "e4", "2023"), Status::Met);
    assert_eq!(status(&report, "r", "e2", "2023"), Status::Violated);
    assert_eq!(status(&report, "r", "e3", "2023"), Status::Violated);
    assert_eq!(find(&report, "r", "e1", "2023").evidence.events, ["a"]);
    // ind1 is nobody's child: the `under` conjunct fails, whatever the index says.
    assert_eq!(status(&report, "s", "e1", "2023"), Status::Violated);
    assert_eq!(report.inputs.events_used, 1);
}

#[test]
fn evidence_is_limited_and_earliest_first() {
    let plan = plan_text("rule r { article 1 for each 县 require at least 1 检查 per year }");
    let reg = registry(vec![unit("c1", "县")]);
    let events: Vec<_> = (0..5)
        .rev()
        .map(|i| {
            let time = format!("2023-0{}-01T09:00:00+08:00", i + 1);
            event(&format!("e{i}"), &time, "检查", "c1")
        })
        .collect();
    let options = EvalOptions {
        evidence_limit: 2,
        ..EvalOptions::default()
    };
    let report = run(&plan, &reg, options, &events);
    let row = find(&report, "r", "c1", "2023");
    assert_eq!((row.count, row.evidence.truncated), (5, 3));
    assert_eq!(row.evidence.events, ["e0", "e1"]);
}

#[test]
fn window_periods() {
    let plan = plan_text("rule r { article 1 for each 县 require at least 1 会议 per 安全月 }");
    let reg = registry(vec![unit("c1", "县")]);
    let events = [event("a", "2023-05-31T09:00:00+08:00", "会议", "c1")];
    let report = run(&plan, &reg, EvalOptions::default(), &events);
    assert_eq!(labels(&report), ["r c1 安全月 Violated"]);
    assert_eq!(report.inputs.events_unmatched, 1);
}

#[test]
fn ignored_events_are_counted_by_reason() {
    let plan = plan_text("rule r { article 1 for each 县 require at least 1 检查 per year }");
    let reg = registry(vec![unit("c1", "县")]);
    let mut bad_target = event("t", "2023-05-01T09:00:00+08:00", "检查", "c1");
    bad_target.target = Some("nobody".into());
    let events = [
        event("k", "2023-05-01T09:00:00+08:00", "未知", "c1"),
        event("a", "2023-05-01T09:00:00+08:00", "检查", "ghost"),
        bad_target,
        event("o1", "2022-12-31T15:59:59Z", "检查", "c1"),
        event("o2", "2023-12-31T16:00:00Z", "检查", "c1"),
        event("ok", "2023-12-31T15:59:59Z", "检查", "c1"),
    ];
    let report = run(&plan, &reg, EvalOptions::default(), &events);
    let inputs = &report.inputs;
    let totals = (
        inputs.events_read,
        inputs.events_used,
        inputs.events_unmatched,
        inputs.events_ignored,
    );
    assert_eq!(totals, (6, 1, 0, 5));
    let reasons: Vec<(&str, u64)> = inputs
        .ignored_by_reason
        .iter()
        .map(|(k, v)| (k.as_str(), v.count))
        .collect();
    assert_eq!(
        reasons,
        [
            ("out_of_range", 2),
            ("unknown_actor", 1),
            ("unknown_kind", 1),
            ("unknown_target", 1)
        ]
    );
    assert_eq!(
        inputs.ignored_by_reason["out_of_range"].examples,
        ["o1", "o2"]
    );
}

#[test]
fn range_options_narrow_the_periods() {
    let plan = plan_text("rule r { article 1 for each 县 require at least 1 检查 per month }");
    let reg = registry(vec![unit("c1", "县")]);
    let options = EvalOptions {
        from: Some(d("2023-05-04")),
        to: Some(d("2023-07-15")),
        ..EvalOptions::default()
    };
    let events = [event("a", "2023-05-02T09:00:00+08:00", "检查", "c1")];
    let report = run(&plan, &reg, options, &events);
    // May is partly in range; the event before 05-04 is out of range. July is not over.
    assert_eq!(
        labels(&report),
        [
            "r c1 2023-05 Violated",
            "r c1 2023-06 Violated",
            "r c1 2023-07 Open"
        ]
    );
    assert_eq!(report.as_of.to_rfc3339(), "2023-07-16T00:00:00+08:00");
    assert_eq!(report.inputs.ignored_by_reason["out_of_range"].count, 1);
}
