//! A small report with Chinese names, every status and the characters that need escaping, for
//! the renderers' snapshot tests.

use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::model::*;

fn at(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).unwrap()
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn period(label: &str, start: &str, end: &str) -> PeriodRef {
    PeriodRef {
        label: label.into(),
        start: at(&format!("{start}T00:00:00+08:00")),
        end: at(&format!("{end}T00:00:00+08:00")),
    }
}

fn subject(id: &str, name: &str) -> SubjectRef {
    SubjectRef {
        id: id.into(),
        name: name.into(),
    }
}

fn row(rule: &str, who: SubjectRef, when: PeriodRef, status: Status) -> ResultRow {
    ResultRow {
        rule: rule.into(),
        duty: DutyKind::Count,
        subject: who,
        period: when,
        status,
        count: 0,
        required: None,
        at_risk: false,
        evidence: Evidence::default(),
        exemption: None,
    }
}

/// The rules of the rows below, as the plan describes them; the hold rule's title has what
/// markup needs escaped.
fn rules() -> Vec<RuleInfo> {
    let rule = |id: &str, title: &str, duty: DutyKind| RuleInfo {
        id: id.into(),
        title: Some(title.into()),
        duty,
        citation: Citation::default(),
        severity: None,
        weight: None,
        lead: vec!["县应急管理局".into()],
        cooperating: Vec::new(),
        docs: Vec::new(),
    };
    let mut meeting = rule("R1", "每季度召开安全生产会议", DutyKind::Count);
    meeting.citation = Citation {
        articles: vec![5],
        quote: Some("乡镇每季度至少召开一次会议".into()),
    };
    meeting.severity = Some(Severity::Medium);
    let mut report = rule("R2", "事故发生后1小时内上报", DutyKind::Response);
    report.severity = Some(Severity::Critical);
    report.cooperating = vec!["县公安局".into()];
    let ledger = rule("R3", "台账 <安全> & \"双控\" 'A|B'", DutyKind::Hold);
    vec![meeting, report, ledger]
}

fn count_rows() -> Vec<ResultRow> {
    let q3 = period("2023-Q3", "2023-07-01", "2023-10-01");
    let q4 = period("2023-Q4", "2023-10-01", "2024-01-01");
    let meeting = |mut r: ResultRow, count: u64| {
        r.count = count;
        r.required = Some(Required {
            cmp: Cmp::AtLeast,
            amount: 1,
        });
        r
    };
    let mut met = meeting(
        row("R1", subject("t1", "城关镇"), q3.clone(), Status::Met),
        2,
    );
    met.evidence.events = vec!["m-001".into(), "m-002".into()];
    let violated = meeting(
        row("R1", subject("t2", "东河乡"), q3.clone(), Status::Violated),
        0,
    );
    let mut exempt = meeting(row("R1", subject("t3", "西山乡"), q3, Status::Exempt), 0);
    exempt.exemption = Some("撤并过渡期".into());
    let mut open = meeting(row("R1", subject("t1", "城关镇"), q4, Status::Open), 0);
    open.at_risk = true;
    vec![met, violated, exempt, open]
}

fn response_rows() -> Vec<ResultRow> {
    let report = |mut r: ResultRow| {
        r.duty = DutyKind::Response;
        r
    };
    let mut late = report(row(
        "R2",
        subject("q1", "平安化工有限公司"),
        PeriodRef {
            label: "acc-7".into(),
            start: at("2023-08-02T09:00:00+08:00"),
            end: at("2023-08-02T10:00:00+08:00"),
        },
        Status::Late,
    ));
    late.count = 1;
    late.evidence.trigger = Some("acc-7".into());
    late.evidence.deadline = Some(at("2023-08-02T10:00:00+08:00"));
    late.evidence.response = Some("rep-3".into());
    late.evidence.responded_at = Some(at("2023-08-02T11:35:00+08:00"));
    late.evidence.delay_minutes = Some(95);
    let mut missing = report(row(
        "R2",
        subject("q2", "城关建材厂"),
        PeriodRef {
            label: "acc-9".into(),
            start: at("2023-09-10T22:10:00+08:00"),
            end: at("2023-09-10T23:10:00+08:00"),
        },
        Status::Missing,
    ));
    missing.evidence.trigger = Some("acc-9".into());
    missing.evidence.deadline = Some(at("2023-09-10T23:10:00+08:00"));
    vec![late, missing]
}

fn hold_rows() -> Vec<ResultRow> {
    let year = period("2023", "2023-01-01", "2024-01-01");
    let mut gap = row(
        "R3",
        subject("q1", "平安化工有限公司"),
        year.clone(),
        Status::Violated,
    );
    gap.duty = DutyKind::Hold;
    gap.count = 212;
    gap.evidence.first_gap = Some(day("2023-08-01"));
    let mut na = row(
        "R3",
        subject("q2", "城关建材厂"),
        year,
        Status::NotApplicable,
    );
    na.duty = DutyKind::Hold;
    vec![gap, na]
}

/// The sample report.
pub(crate) fn report() -> Report {
    let results: Vec<ResultRow> = [count_rows(), response_rows(), hold_rows()].concat();
    let mut summary = Summary::default();
    for r in &results {
        summary.total.add(r.status);
        summary
            .by_rule
            .entry(r.rule.clone())
            .or_default()
            .add(r.status);
        summary
            .by_subject
            .entry(r.subject.id.clone())
            .or_default()
            .add(r.status);
    }
    summary.by_subject.sort_keys();
    summary.by_unit.insert(
        "县应急管理局".into(),
        UnitSummary {
            lead: vec!["R1".into(), "R2".into(), "R3".into()],
            violated: 2,
            late: 1,
            missing: 1,
            ..UnitSummary::default()
        },
    );
    let mut inputs = Inputs {
        events_read: 12,
        events_used: 7,
        events_unmatched: 2,
        events_ignored: 3,
        skipped_lines: 1,
        ..Inputs::default()
    };
    inputs.ignored_by_reason.insert(
        "unknown_actor".into(),
        Ignored {
            count: 1,
            examples: vec!["m-009".into()],
        },
    );
    inputs.ignored_by_reason.insert(
        "unknown_kind".into(),
        Ignored {
            count: 2,
            examples: vec!["x-1".into(), "x-2".into()],
        },
    );
    Report {
        schema_version: SCHEMA_VERSION,
        plan: PlanInfo {
            title: "平安县安全生产工作计划".into(),
            source: Some("平政办〔2023〕5号".into()),
            timezone: "Asia/Shanghai".into(),
            rules: rules(),
        },
        range: DayRange {
            from: day("2023-01-01"),
            to: day("2023-12-31"),
        },
        as_of: at("2023-11-15T12:00:00+08:00"),
        coverage: vec![CoverageRow {
            rule: "R1".into(),
            period: period("2023-Q3", "2023-07-01", "2023-10-01"),
            covered: 1,
            total: 2,
            ratio: Some(0.5),
            uncovered: vec!["t2".into()],
        }],
        findings: vec![FindingRow {
            finding: "重点监管".into(),
            subject: subject("q1", "平安化工有限公司"),
            period: period("2023-Q3", "2023-07-01", "2023-10-01"),
            because: Because {
                rule: "R4".into(),
                events: Vec::new(),
                violations: vec![Violation {
                    rule: "R2".into(),
                    period: "acc-7".into(),
                    status: Status::Late,
                }],
            },
        }],
        results,
        summary,
        inputs,
    }
}
