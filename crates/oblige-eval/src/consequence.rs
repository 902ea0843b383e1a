//! Consequences (`when violated 月报 then finding 通报 over year`): a finding given to a subject
//! over the calendar period containing what gave it — an event, or a failing row of another
//! rule for the same subject.

use std::collections::HashMap;

use chrono::NaiveDate;
use oblige_check::model::{ConsequenceTrigger, Rule};
use oblige_report::model::{Because, DutyKind, Evidence, FindingRow, ResultRow, Status, Violation};

use crate::calendar::local_date;
use crate::collect::Collected;
use crate::periods::PeriodDef;
use crate::pred::Findings;
use crate::rows::{period_timing, periodic_rows, Judged};
use crate::setup::Setup;

/// What a consequence rule needs from the rows computed before it.
pub struct Given<'r> {
    /// The finding.
    pub finding: &'r str,
    /// What gives it.
    pub trigger: &'r ConsequenceTrigger,
    /// Rows of every rule evaluated so far, by rule index.
    pub rows: &'r [Vec<ResultRow>],
}

/// The rows of a consequence rule; records the findings it gives in `findings` and `out`.
pub fn rows(
    setup: &Setup<'_>,
    data: &Collected,
    rule_index: usize,
    rule: &Rule,
    given: Given<'_>,
    findings: &mut Findings,
    out: &mut Vec<FindingRow>,
) -> Vec<ResultRow> {
    let Some(periods) = setup.rules.get(rule_index).map(|r| r.periods.defs()) else {
        return Vec::new();
    };
    let failures = match given.trigger {
        ConsequenceTrigger::Violation(id) => failures_by_subject(setup, id, given.rows),
        ConsequenceTrigger::Event(_) => HashMap::new(),
    };
    let rows = periodic_rows(
        setup,
        rule,
        DutyKind::Consequence,
        periods,
        findings,
        |subject, pi, def| {
            let mut evidence = Evidence::default();
            let mut count = 0;
            if let Some(tally) = data.tallies.get(&(rule_index, subject, pi)) {
                count = tally.count;
                evidence.events = tally.ids();
                evidence.truncated = tally.truncated();
            }
            let id = setup.unit_id(subject);
            for (date, violation) in failures.get(id).into_iter().flatten() {
                if def.first <= *date && *date <= def.last {
                    count += 1;
                    evidence.violations.push(violation.clone());
                }
            }
            judge(setup, def, count, evidence)
        },
    );
    for row in rows.iter().filter(|r| r.status == Status::Violated) {
        if let Some(def) = periods.iter().find(|p| p.label == row.period.label) {
            findings.give(given.finding, &row.subject.id, def.first, def.last);
        }
        out.push(FindingRow {
            finding: given.finding.to_string(),
            subject: row.subject.clone(),
            period: row.period.clone(),
            because: Because {
                rule: rule.id.clone(),
                events: row.evidence.events.clone(),
                violations: row.evidence.violations.clone(),
            },
        });
    }
    rows
}

fn judge(setup: &Setup<'_>, def: &PeriodDef, count: u64, evidence: Evidence) -> Judged {
    let timing = period_timing(setup, def);
    let status = if count > 0 {
        Status::Violated
    } else if timing.closed {
        Status::Met
    } else {
        Status::Open
    };
    Judged {
        status: Some(status),
        count,
        required: None,
        at_risk: false,
        evidence,
    }
}

/// The failing rows of rule `id` by subject id, each dated by the start of its period (or its
/// trigger), moved into the evaluated range when its period began before it.
fn failures_by_subject(
    setup: &Setup<'_>,
    id: &str,
    rows: &[Vec<ResultRow>],
) -> HashMap<String, Vec<(NaiveDate, Violation)>> {
    let mut by_subject: HashMap<String, Vec<(NaiveDate, Violation)>> = HashMap::new();
    let Some(index) = setup.plan.rules.iter().position(|r| r.id == id) else {
        return by_subject;
    };
    for row in rows
        .get(index)
        .into_iter()
        .flatten()
        .filter(|r| r.status.is_failure())
    {
        let start = local_date(setup.tz, row.period.start.to_utc()).max(setup.range.start);
        by_subject.entry(row.subject.id.clone()).or_default().push((
            start,
            Violation {
                rule: row.rule.clone(),
                period: row.period.label.clone(),
                status: row.status,
            },
        ));
    }
    by_subject
}
