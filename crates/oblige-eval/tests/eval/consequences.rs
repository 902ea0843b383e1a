//! Consequences: findings from events and from other rules' violations, and `has finding`.

use oblige_check::model::*;
use oblige_eval::EvalOptions;
use oblige_report::model::Status;

use crate::common::*;

fn monthly() -> Rule {
    rule(
        "月报",
        "县",
        count(CountCmp::AtLeast, 1, "报告", Period::Month),
    )
}

fn finding_on_violation() -> Rule {
    rule(
        "通报",
        "县",
        Duty::Consequence {
            trigger: ConsequenceTrigger::Violation("月报".into()),
            finding: "被通报".into(),
            over: Period::Year,
        },
    )
}

#[test]
fn violation_gives_the_finding_over_the_year() {
    let plan = plan(vec![monthly(), finding_on_violation()]);
    let reg = registry(vec![unit("c1", "县"), unit("c2", "县")]);
    let mut events: Vec<_> = (1..=12)
        .map(|m| {
            event(
                &format!("c1-{m}"),
                &format!("2023-{m:02}-05T09:00:00+08:00"),
                "报告",
                "c1",
            )
        })
        .collect();
    events.extend((1..=12).filter(|m| *m != 3 && *m != 7).map(|m| {
        event(
            &format!("c2-{m}"),
            &format!("2023-{m:02}-05T09:00:00+08:00"),
            "报告",
            "c2",
        )
    }));
    let report = run(&plan, &reg, EvalOptions::default(), &events);
    assert_eq!(status(&report, "通报", "c1", "2023"), Status::Met);
    let c2 = find(&report, "通报", "c2", "2023");
    assert_eq!((c2.status, c2.count), (Status::Violated, 2));
    let periods: Vec<&str> = c2
        .evidence
        .violations
        .iter()
        .map(|v| v.period.as_str())
        .collect();
    assert_eq!(periods, ["2023-03", "2023-07"]);
    assert_eq!(report.findings.len(), 1);
    assert_eq!(
        (
            report.findings[0].finding.as_str(),
            report.findings[0].subject.id.as_str()
        ),
        ("被通报", "c2")
    );
    assert_eq!(report.findings[0].because.rule, "通报");
}

#[test]
fn has_finding_filters_later_rules_whatever_their_plan_order() {
    // Subjects with the finding must hold an extra 会议 per quarter; that rule comes first.
    let mut extra = rule(
        "整改会",
        "县",
        count(CountCmp::AtLeast, 1, "会议", Period::Quarter),
    );
    extra.subject.filter = Some(Pred::HasFinding("被通报".into()));
    let plan = plan(vec![extra, monthly(), finding_on_violation()]);
    let reg = registry(vec![unit("c1", "县"), unit("c2", "县")]);
    let events: Vec<_> = (1..=12)
        .map(|m| {
            event(
                &format!("c1-{m}"),
                &format!("2023-{m:02}-05T09:00:00+08:00"),
                "报告",
                "c1",
            )
        })
        .collect();
    let report = run(&plan, &reg, EvalOptions::default(), &events);
    assert!(report
        .results
        .iter()
        .all(|r| !(r.rule == "整改会" && r.subject.id == "c1")));
    assert_eq!(status(&report, "整改会", "c2", "2023-Q1"), Status::Violated);
    assert_eq!(
        report.results.iter().filter(|r| r.rule == "整改会").count(),
        4
    );
    // Results keep plan order.
    assert_eq!(report.results[0].rule, "整改会");
}

#[test]
fn event_consequence_over_the_quarter_containing_it() {
    let mut r = rule(
        "事故认定",
        "企业",
        Duty::Consequence {
            trigger: ConsequenceTrigger::Event(pattern("事故")),
            finding: "发生事故".into(),
            over: Period::Quarter,
        },
    );
    r.meta.lead = vec!["应急局".into()];
    r.meta.cooperating = vec!["住建局".into()];
    let plan = plan(vec![r]);
    let reg = registry(vec![unit("e1", "企业")]);
    let events = [event("a", "2023-06-30T16:30:00Z", "事故", "e1")];
    let report = run(&plan, &reg, as_of("2023-08-01T00:00:00+08:00"), &events);
    assert_eq!(status(&report, "事故认定", "e1", "2023-Q2"), Status::Met);
    let q3 = find(&report, "事故认定", "e1", "2023-Q3");
    assert_eq!(
        (q3.status, q3.evidence.events.clone()),
        (Status::Violated, vec!["a".to_string()])
    );
    assert_eq!(status(&report, "事故认定", "e1", "2023-Q4"), Status::Open);
    assert_eq!(report.summary.by_unit["住建局"].violated, 1);
    assert_eq!(report.summary.by_unit["应急局"].lead, ["事故认定"]);
}
