//! Consequences (`when violated 月报 then finding 通报 over year`): a finding given to a subject
//! over the calendar period containing what gave it — an event, or a failing row of another
//! rule for the same subject.

use std::collections::HashMap;

use chrono::NaiveDate;
use oblige_check::model::Rule;
use oblige_report::model::{Because, DutyKind, Evidence, FindingRow, ResultRow, Status, Violation};

use crate::calendar::local_date;
use crate::collect::Collected;
use crate::count::counted_into;
use crate::periods::PeriodDef;
use crate::rows::{periodic_rows, Judged, RowSink, Scope, Timing};
use crate::setup::Setup;

/// The failing rows of a rule by subject id, each dated by the start of its period (or its
/// trigger), moved into the evaluated range when its period began before it.
pub type Failures = HashMap<String, Vec<(NaiveDate, Violation)>>;

/// The rows of a consequence rule, given to `emit` in report order. `failures` are those of the
/// rule named by `when violated` (none for a trigger event).
pub fn rows(
    setup: &Setup<'_>,
    data: &Collected,
    rule_index: usize,
    rule: &Rule,
    (failures, scope): (&Failures, &Scope<'_>),
    emit: RowSink<'_>,
) {
    let Some(periods) = setup.rules.get(rule_index).map(|r| r.periods.defs()) else {
        return;
    };
    let judge_one = |subject, pi, def: &PeriodDef, timing: Timing, evidence: &mut Evidence| {
        let mut count = counted_into(data, &(rule_index, subject, pi), evidence);
        let id = setup.unit_id(subject);
        for (date, violation) in failures.get(id).into_iter().flatten() {
            if def.first <= *date && *date <= def.last {
                count += 1;
                evidence.violations.push(violation.clone());
            }
        }
        judge(timing, count)
    };
    periodic_rows(
        setup,
        rule,
        DutyKind::Consequence,
        periods,
        scope,
        judge_one,
        emit,
    );
}

/// What a violated row of the consequence rule at `rule_index` gives: the finding over its
/// period, and the finding row.
pub fn given(
    setup: &Setup<'_>,
    rule_index: usize,
    finding: &str,
    row: &ResultRow,
) -> Option<(NaiveDate, NaiveDate, FindingRow)> {
    if row.status != Status::Violated {
        return None;
    }
    let periods = setup.rules.get(rule_index).map(|r| r.periods.defs())?;
    let def = periods.iter().find(|p| p.label == row.period.label)?;
    let finding_row = FindingRow {
        finding: finding.to_string(),
        subject: row.subject.clone(),
        period: row.period.clone(),
        because: Because {
            rule: row.rule.clone(),
            events: row.evidence.events.clone(),
            violations: row.evidence.violations.clone(),
        },
    };
    Some((def.first, def.last, finding_row))
}

fn judge(timing: Timing, count: u64) -> Judged {
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
    }
}

/// Adds `row` to `failures` if it failed.
pub fn add_failure(setup: &Setup<'_>, failures: &mut Failures, row: &ResultRow) {
    if !row.status.is_failure() {
        return;
    }
    let start = local_date(setup.tz, row.period.start.to_utc()).max(setup.range.start);
    failures.entry(row.subject.id.clone()).or_default().push((
        start,
        Violation {
            rule: row.rule.clone(),
            period: row.period.label.clone(),
            status: row.status,
        },
    ));
}
