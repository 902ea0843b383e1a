//! Consequences: findings from events and from other rules' violations, and `has finding`.

use oblige_eval::EvalOptions;
use oblige_report::model::Status;

use crate::common::*;

const MONTHLY: &str = "rule 月报 { article 1 for each 县 require at least 1 报告 per month }";
const REPRIMAND: &str =
    "rule 通报规则 { article 1 for each 县 when violated 月报 then finding 被通报 over year }";

fn monthly_reports(county: &str, skip: &[u32]) -> Vec<oblige_data::Event> {
    (1..=12u32)
        .filter(|m| !skip.contains(m))
        .map(|m| {
            let time = format!("2023-{m:02}-05T09:00:00+08:00");
            event(&format!("{county}-{m}"), &time, "报告", county)
        })
        .collect()
}

#[test]
fn violation_gives_the_finding_over_the_year() {
    let plan = plan_text(&format!("{MONTHLY}\n{REPRIMAND}"));
    let reg = registry(vec![unit("c1", "县"), unit("c2", "县")]);
    let mut events = monthly_reports("c1", &[]);
    events.extend(monthly_reports("c2", &[3, 7]));
    let report = run(&plan, &reg, EvalOptions::default(), &events);
    assert_eq!(status(&report, "通报规则", "c1", "2023"), Status::Met);
    let c2 = find(&report, "通报规则", "c2", "2023");
    assert_eq!((c2.status, c2.count), (Status::Violated, 2));
    let periods: Vec<&str> = c2
        .evidence
        .violations
        .iter()
        .map(|v| v.period.as_str())
        .collect();
    assert_eq!(periods, ["2023-03", "2023-07"]);
    assert_eq!(report.findings.len(), 1);
    let finding = &report.findings[0];
    assert_eq!(
        (finding.finding.as_str(), finding.subject.id.as_str()),
        ("被通报", "c2")
    );
    assert_eq!(finding.because.rule, "通报规则");
}

#[test]
fn has_finding_filters_later_rules_whatever_their_plan_order() {
    // Subjects with the finding must hold an extra 会议 per quarter; that rule comes first.
    let extra = "rule 整改会 { article 1 for each 县 where has finding 被通报
                               require at least 1 会议 per quarter }";
    let plan = plan_text(&format!("{extra}\n{MONTHLY}\n{REPRIMAND}"));
    let reg = registry(vec![unit("c1", "县"), unit("c2", "县")]);
    let report = run(
        &plan,
        &reg,
        EvalOptions::default(),
        &monthly_reports("c1", &[]),
    );
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
    let plan = plan_text(
        r#"rule 事故认定 {
             article 1
             lead "应急局"
             cooperating "住建局"
             for each 企业
             when 事故 then finding 发生事故 over quarter
           }"#,
    );
    let reg = registry(vec![unit("e1", "企业")]);
    let events = [event("a", "2023-06-30T16:30:00Z", "事故", "e1")];
    let report = run(&plan, &reg, as_of("2023-08-01T00:00:00+08:00"), &events);
    assert_eq!(status(&report, "事故认定", "e1", "2023-Q2"), Status::Met);
    let q3 = find(&report, "事故认定", "e1", "2023-Q3");
    assert_eq!(
        (q3.status, q3.evidence.events.as_slice()),
        (Status::Violated, &["a".to_string()][..])
    );
    assert_eq!(status(&report, "事故认定", "e1", "2023-Q4"), Status::Open);
    assert_eq!(report.summary.by_unit["住建局"].violated, 1);
    assert_eq!(report.summary.by_unit["应急局"].lead, ["事故认定"]);
}
