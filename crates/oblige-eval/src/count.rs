//! Count duties (`require at least 2 检查 per quarter`, `forbid …`): per subject and period, the
//! number of matching events and the earliest of them. Also coverage rows.

use oblige_check::model::{CountCmp, Pattern, Rule};
use oblige_report::model::{Cmp, CoverageRow, DutyKind, Evidence, Required, ResultRow, Status};

use crate::collect::Collected;
use crate::matching::{matches, possible_subjects, Candidate};
use crate::periods::PeriodDef;
use crate::record::Incoming;
use crate::rows::{period_ref, periodic_rows, Judged, RowSink, Scope, Timing};
use crate::setup::Setup;
use crate::tally::Key;

/// Counts `event` for every subject it matches `pattern` for, in the rule's period containing
/// it. Used by count duties and by consequences triggered by events. Returns whether it matched.
pub fn collect(
    setup: &Setup<'_>,
    data: &mut Collected,
    rule_index: usize,
    pattern: &Pattern,
    event: &Incoming<'_>,
) -> bool {
    // The kind is not compared: an event comes only to the rules whose patterns name its kind,
    // and a counting rule has one pattern.
    if !event.in_range {
        return false;
    }
    let Some(periods) = setup.rules.get(rule_index).map(|r| &r.periods) else {
        return false;
    };
    let Some(pi) = periods.index_of(event.date) else {
        return false;
    };
    let Some(def) = periods.defs().get(pi) else {
        return false;
    };
    let candidate = Candidate {
        event: event.view(),
        actor: event.actor,
        target: event.target,
        trigger: None,
    };
    let mut used = false;
    for subject in possible_subjects(setup, pattern, rule_index, &candidate) {
        // A unit the report leaves out gets no tally; it is matched only to know whether the
        // event counts as used, which one match settles.
        let concerned = setup.concerns(rule_index, subject);
        if !concerned && used {
            continue;
        }
        let period = (def.first, def.last);
        if !matches(setup, pattern, subject, candidate, period, None) {
            continue;
        }
        used = true;
        if let Some(shape) = setup.tally_shape(rule_index).filter(|_| concerned) {
            let limit = setup.options.evidence_limit;
            let key = (rule_index, subject, pi);
            data.tallies
                .add(shape, key, event.event.time, &event.event.id, limit);
        }
    }
    used
}

/// The verdict of a count in a period.
pub fn status(cmp: CountCmp, amount: u64, count: u64, timing: Timing) -> Status {
    if !timing.started {
        return Status::Open;
    }
    let closed_or = |decided: Status| if timing.closed { decided } else { Status::Open };
    match cmp {
        CountCmp::AtLeast if count >= amount => Status::Met,
        CountCmp::AtLeast => closed_or(Status::Violated),
        CountCmp::AtMost | CountCmp::Never if count > amount => Status::Violated,
        CountCmp::AtMost | CountCmp::Never => closed_or(Status::Met),
        CountCmp::Exactly if count > amount => Status::Violated,
        CountCmp::Exactly if count == amount => closed_or(Status::Met),
        CountCmp::Exactly => closed_or(Status::Violated),
    }
}

fn cmp(c: CountCmp) -> Cmp {
    match c {
        CountCmp::AtLeast => Cmp::AtLeast,
        CountCmp::AtMost => Cmp::AtMost,
        CountCmp::Exactly => Cmp::Exactly,
        CountCmp::Never => Cmp::Never,
    }
}

/// The rows of a count duty.
pub fn rows(
    setup: &Setup<'_>,
    data: &Collected,
    rule_index: usize,
    rule: &Rule,
    (count_cmp, amount): (CountCmp, u64),
    scope: &Scope<'_>,
    emit: RowSink<'_>,
) {
    let Some(periods) = setup.rules.get(rule_index).map(|r| r.periods.defs()) else {
        return;
    };
    let duty = if rule.subject.coverage {
        DutyKind::Coverage
    } else {
        DutyKind::Count
    };
    let judge = |subject, pi, _: &PeriodDef, timing: Timing, evidence: &mut Evidence| {
        let count = counted_into(data, &(rule_index, subject, pi), evidence);
        let status = status(count_cmp, amount, count, timing);
        let short = matches!(count_cmp, CountCmp::AtLeast | CountCmp::Exactly) && count < amount;
        Judged {
            status: Some(status),
            count,
            required: Some(Required {
                cmp: cmp(count_cmp),
                amount,
            }),
            at_risk: status == Status::Open && short && timing.ending_soon,
        }
    };
    periodic_rows(setup, rule, duty, periods, scope, judge, emit);
}

/// Writes the evidence counted for `key` into `evidence`, emptied; returns the count.
pub fn counted_into(data: &Collected, key: &Key, evidence: &mut Evidence) -> u64 {
    let Some(counted) = data.tallies.counted(key) else {
        return 0;
    };
    // Taken as the tally made it: a list made for this row alone.
    evidence.events = counted.ids;
    evidence.truncated = counted.truncated;
    counted.count
}

/// The coverage rows of a coverage rule, one per period, counted from its rows as they are
/// produced: the share of concerned subjects that are met.
pub struct Coverage {
    rows: Vec<CoverageRow>,
}

impl Coverage {
    /// Empty counts for every period of the rule at `rule_index`.
    pub fn new(setup: &Setup<'_>, rule_index: usize, rule: &Rule) -> Self {
        let periods = setup
            .rules
            .get(rule_index)
            .map_or(&[][..], |r| r.periods.defs());
        let rows = periods
            .iter()
            .map(|def| CoverageRow {
                rule: rule.id.clone(),
                period: period_ref(setup, def),
                covered: 0,
                total: 0,
                ratio: None,
                uncovered: Vec::new(),
            })
            .collect();
        Coverage { rows }
    }

    /// Counts one row of the rule.
    pub fn add(&mut self, row: &ResultRow) {
        if matches!(row.status, Status::Exempt | Status::NotApplicable) {
            return;
        }
        let Some(c) = self
            .rows
            .iter_mut()
            .find(|c| c.period.label == row.period.label)
        else {
            return;
        };
        c.total += 1;
        if row.status == Status::Met {
            c.covered += 1;
        } else {
            c.uncovered.push(row.subject.id.clone());
        }
    }

    /// Adds the counts of a later part of the same rule (subjects further in id order).
    pub fn merge(&mut self, later: Coverage) {
        for (c, l) in self.rows.iter_mut().zip(later.rows) {
            c.covered += l.covered;
            c.total += l.total;
            c.uncovered.extend(l.uncovered);
        }
    }

    /// The coverage rows, in period order.
    pub fn finish(self) -> Vec<CoverageRow> {
        let mut rows = self.rows;
        for c in &mut rows {
            c.ratio = (c.total > 0).then(|| c.covered as f64 / c.total as f64);
        }
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPEN: Timing = Timing {
        started: true,
        closed: false,
        ending_soon: false,
    };
    const CLOSED: Timing = Timing {
        started: true,
        closed: true,
        ending_soon: false,
    };
    const FUTURE: Timing = Timing {
        started: false,
        closed: false,
        ending_soon: false,
    };

    #[test]
    fn count_verdicts() {
        use CountCmp::*;
        use Status::*;
        let cases = [
            (AtLeast, 2, 2, OPEN, Met),
            (AtLeast, 2, 1, OPEN, Open),
            (AtLeast, 2, 1, CLOSED, Violated),
            (AtLeast, 0, 0, FUTURE, Open),
            (AtMost, 1, 2, OPEN, Violated),
            (AtMost, 1, 1, OPEN, Open),
            (AtMost, 1, 1, CLOSED, Met),
            (Never, 0, 1, OPEN, Violated),
            (Never, 0, 0, CLOSED, Met),
            (Exactly, 2, 3, OPEN, Violated),
            (Exactly, 2, 2, OPEN, Open),
            (Exactly, 2, 2, CLOSED, Met),
            (Exactly, 2, 1, CLOSED, Violated),
            (Exactly, 2, 1, OPEN, Open),
        ];
        for (c, amount, count, timing, expected) in cases {
            assert_eq!(
                status(c, amount, count, timing),
                expected,
                "{c:?} {amount} {count} {timing:?}"
            );
        }
    }
}
