//! Response duties (`when 事故 require 报告 within 1 hours`): one row per trigger, answered by
//! the earliest unused matching event at or after it; escalation ladders pick the first branch
//! whose condition holds for the trigger.
//!
//! Triggers and possible responses are kept as compact records because either may arrive
//! first; the pairing is done at report time, in (time, id) order, so it never depends on the
//! order events were read in.

use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};
use oblige_check::model::{Branch, Duty, Rule, Within};
use oblige_report::model::{DutyKind, Evidence, PeriodRef, ResultRow, Status};

use crate::calendar::{end_of_day, midnight, shown, working_days_deadline};
use crate::collect::Collected;
use crate::matching::{matches, possible_subjects, Candidate};
use crate::pairing::Pairing;
use crate::pred::{Ctx, Findings};
use crate::record::{Incoming, Record};
use crate::rows::{applies, blank_row, fill, overwrite, timing, Applies, Judged, RowSink, Scope};
use crate::setup::Setup;

/// Keeps `event` if it triggers the rule for some subject, or may answer a trigger.
pub fn collect(
    setup: &Setup<'_>,
    data: &mut Collected,
    rule_index: usize,
    rule: &Rule,
    event: &Incoming<'_>,
) -> bool {
    let Duty::Response { trigger, branches } = &rule.duty else {
        return false;
    };
    let Some(keep) = setup.rules.get(rule_index).map(|r| &r.keep) else {
        return false;
    };
    if !event.in_range {
        return false;
    }
    let mut used = false;
    let candidate = Candidate {
        event: event.view(),
        actor: event.actor,
        target: event.target,
        trigger: None,
    };
    // One record for all the subjects the event triggers the rule for, and for its answering.
    let mut record: Option<Arc<Record>> = None;
    if event.event.kind == trigger.kind {
        for subject in possible_subjects(setup, trigger, rule_index, &candidate) {
            if matches(
                setup,
                trigger,
                subject,
                candidate,
                (event.date, event.date),
                None,
            ) {
                let record = record.get_or_insert_with(|| Arc::new(Record::new(event, keep)));
                data.triggers
                    .push((rule_index, subject, Arc::clone(record)));
                used = true;
            }
        }
    }
    let may_answer = branches
        .iter()
        .filter_map(|b| b.response.as_ref())
        .any(|p| {
            p.kind == event.event.kind
                && possible_subjects(setup, p, rule_index, &candidate)
                    .next()
                    .is_some()
        });
    if may_answer {
        let record = record.unwrap_or_else(|| Arc::new(Record::new(event, keep)));
        data.candidates.push((rule_index, record));
        used = true;
    }
    used
}

/// The deadline of a trigger at `time`.
pub fn deadline(setup: &Setup<'_>, time: DateTime<Utc>, within: Within) -> DateTime<Utc> {
    match within {
        Within::Minutes(m) => TimeDelta::try_minutes(m)
            .and_then(|d| time.checked_add_signed(d))
            .unwrap_or(DateTime::<Utc>::MAX_UTC),
        Within::WorkingDays(n) => {
            working_days_deadline(setup.tz, setup.plan.calendar.as_ref(), time, n)
        }
    }
}

/// A response duty's paired triggers, by subject (a subject's by trigger time and id), with
/// their subjects' registry positions. Rows are made from them as they are given out: a log
/// with many triggers holds these 24 bytes per trigger row rather than the rows.
pub type Triggered = Vec<(usize, Paired)>;

/// What pairing found for one trigger of one subject: the trigger, the branch whose condition
/// held, and the response that answered it, if one did.
#[derive(Clone, Debug)]
pub struct Paired {
    trigger: Arc<Record>,
    branch: usize,
    answer: Option<Arc<Record>>,
}

/// The triggers of a response duty paired with their responses, worked out once for all its
/// subjects: pairing takes every trigger and candidate response of the rule at once, in
/// (time, id) order.
pub fn triggered(
    setup: &Setup<'_>,
    data: &Collected,
    (rule_index, rule): (usize, &Rule),
    branches: &[Branch],
    findings: &Findings,
) -> Triggered {
    let mut triggers: Vec<(usize, &Arc<Record>)> = data
        .triggers
        .iter()
        .filter(|(r, _, _)| *r == rule_index)
        .map(|(_, s, rec)| (*s, rec))
        .collect();
    triggers.sort_by(|a, b| a.1.key().cmp(&b.1.key()).then(a.0.cmp(&b.0)));
    let mut candidates: Vec<&Arc<Record>> = data
        .candidates
        .iter()
        .filter(|(r, _)| *r == rule_index)
        .map(|(_, rec)| rec)
        .collect();
    candidates.sort_by(|a, b| a.key().cmp(&b.key()));
    let mut pairing = Pairing::new(setup, findings, candidates);
    let mut paired = Vec::with_capacity(triggers.len());
    for (subject, trigger) in triggers {
        if let Some(found) = pair(&mut pairing, rule, branches, subject, trigger) {
            paired.push((subject, found));
        }
    }
    // Stable: a subject's triggers keep their (time, id) order.
    paired.sort_by_key(|(subject, _)| *subject);
    paired
}

/// The rows of a response duty for the subjects of `scope`, given to `emit` in report order:
/// by subject id, a subject's rows of `triggered` (the paired triggers of these subjects), or
/// its one untriggered row.
pub fn rows(
    setup: &Setup<'_>,
    (rule, branches): (&Rule, &[Branch]),
    scope: &Scope<'_>,
    triggered: Triggered,
    emit: RowSink<'_>,
) {
    let mut paired = triggered.into_iter().peekable();
    let mut answered = false;
    let mut untriggered = None;
    let mut row = blank_row(rule, DutyKind::Response);
    let the_rule = (rule, branches, scope.findings);
    for &subject in scope.members(setup, &rule.subject.class) {
        while let Some((s, found)) = paired.next_if(|(s, _)| *s <= subject) {
            if fill_trigger_row(setup, the_rule, s, &found, &mut row) {
                emit(s, &row);
            }
            answered = true;
        }
        if !std::mem::take(&mut answered) {
            untriggered_row(
                setup,
                (rule, scope.findings),
                subject,
                &mut untriggered,
                emit,
            );
        }
    }
    for (s, found) in paired {
        if fill_trigger_row(setup, the_rule, s, &found, &mut row) {
            emit(s, &row);
        }
    }
}

/// What a trigger of `subject` is paired with, if the rule applies to the subject that day and
/// a branch's condition holds.
fn pair<'s>(
    pairing: &mut Pairing<'s, '_>,
    rule: &Rule,
    branches: &'s [Branch],
    subject: usize,
    trigger: &Arc<Record>,
) -> Option<Paired> {
    let setup = pairing.setup;
    let (exempt, index, branch) =
        branch_of(setup, (rule, branches, pairing.findings), subject, trigger)?;
    let answer = match &branch.response {
        Some(pattern) if !exempt => pairing.answer((index, pattern), subject, trigger).cloned(),
        _ => None,
    };
    Some(Paired {
        trigger: Arc::clone(trigger),
        branch: index,
        answer,
    })
}

/// If the rule applies to `subject` on the trigger's day: whether the subject is exempt, and
/// the first branch whose condition holds for the trigger, with its position.
fn branch_of<'b>(
    setup: &Setup<'_>,
    (rule, branches, findings): (&Rule, &'b [Branch], &Findings),
    subject: usize,
    trigger: &Record,
) -> Option<(bool, usize, &'b Branch)> {
    let day = (trigger.date, trigger.date);
    let applies = applies(setup, rule, subject, day, findings, false);
    if applies == Applies::No {
        return None;
    }
    let units = setup.registry.units();
    let view = trigger.view(setup);
    let mut ctx = Ctx::new(setup.registry);
    ctx.subject = units.get(subject);
    ctx.actor = units.get(trigger.actor);
    ctx.target = trigger.target.and_then(|t| units.get(t));
    ctx.event = Some(view);
    ctx.trigger = Some(view);
    ctx.period = Some(day);
    ctx.findings = Some(findings);
    let (index, branch) = branches
        .iter()
        .enumerate()
        .find(|(_, b)| ctx.holds(b.condition.as_ref()))?;
    Some((matches!(applies, Applies::Exempt(_)), index, branch))
}

/// Makes in `row` the row of a paired trigger of `subject`; `false` if it has none (which
/// pairing, made with the same findings, rules out).
fn fill_trigger_row(
    setup: &Setup<'_>,
    (rule, branches, findings): (&Rule, &[Branch], &Findings),
    subject: usize,
    found: &Paired,
    row: &mut ResultRow,
) -> bool {
    let trigger = &*found.trigger;
    let day = (trigger.date, trigger.date);
    let applies = applies(setup, rule, subject, day, findings, false);
    let Some(branch) = branches.get(found.branch) else {
        return false;
    };
    if applies == Applies::No {
        return false;
    }
    let due = deadline(setup, trigger.time, branch.within);
    let (judged, evidence) = match (&applies, &branch.response) {
        (Applies::Exempt(_), _) => (Judged::default(), evidence(setup, trigger, due, None, None)),
        (_, None) => reported(setup, trigger, due),
        (_, Some(_)) => responded(setup, trigger, due, found.answer.as_deref()),
    };
    overwrite(&mut row.period.label, &trigger.id);
    row.period.start = shown(setup.tz, trigger.time);
    row.period.end = shown(setup.tz, due);
    row.evidence = evidence;
    fill(row, setup, subject, &applies, judged);
    true
}

fn evidence(
    setup: &Setup<'_>,
    trigger: &Record,
    due: DateTime<Utc>,
    response: Option<&Record>,
    delay: Option<i64>,
) -> Evidence {
    Evidence {
        events: std::iter::once(trigger.id.to_string())
            .chain(response.map(|r| r.id.to_string()))
            .collect(),
        trigger: Some(trigger.id.to_string()),
        deadline: Some(shown(setup.tz, due)),
        response: response.map(|r| r.id.to_string()),
        delay_minutes: delay,
        ..Evidence::default()
    }
}

/// Whole minutes past the deadline, rounded up: one second late is one minute late.
fn delay_minutes(due: DateTime<Utc>, at: DateTime<Utc>) -> i64 {
    let seconds = (at - due).num_seconds();
    seconds.saturating_add(59).div_euclid(60)
}

fn unanswered(setup: &Setup<'_>, trigger: &Record, due: DateTime<Utc>) -> (Judged, Evidence) {
    let t = timing(setup, trigger.time, due);
    let status = if t.closed {
        Status::Missing
    } else {
        Status::Open
    };
    let judged = Judged {
        status: Some(status),
        at_risk: status == Status::Open && t.ending_soon,
        ..Judged::default()
    };
    (judged, evidence(setup, trigger, due, None, None))
}

fn responded(
    setup: &Setup<'_>,
    trigger: &Record,
    due: DateTime<Utc>,
    response: Option<&Record>,
) -> (Judged, Evidence) {
    let Some(response) = response else {
        return unanswered(setup, trigger, due);
    };
    let late = response.time > due;
    let delay = late.then(|| delay_minutes(due, response.time));
    let mut evidence = evidence(setup, trigger, due, Some(response), delay);
    evidence.responded_at = Some(shown(setup.tz, response.time));
    (answered(late), evidence)
}

/// `require reported within …`: the trigger's own `recorded_at` against the deadline; never
/// recorded means concealed.
fn reported(setup: &Setup<'_>, trigger: &Record, due: DateTime<Utc>) -> (Judged, Evidence) {
    let Some(at) = trigger.recorded_at.filter(|at| *at <= setup.as_of) else {
        return unanswered(setup, trigger, due);
    };
    let late = at > due;
    let mut evidence = evidence(
        setup,
        trigger,
        due,
        None,
        late.then(|| delay_minutes(due, at)),
    );
    evidence.responded_at = Some(shown(setup.tz, at));
    (answered(late), evidence)
}

/// The verdict on a trigger answered, late or not.
fn answered(late: bool) -> Judged {
    Judged {
        status: Some(if late { Status::Late } else { Status::Met }),
        count: 1,
        ..Judged::default()
    }
}

/// The `not_applicable` row over the whole range of a subject without a trigger, if the rule
/// concerns it, made in `row`: those rows differ only by their subject.
fn untriggered_row(
    setup: &Setup<'_>,
    (rule, findings): (&Rule, &Findings),
    subject: usize,
    row: &mut Option<ResultRow>,
    emit: RowSink<'_>,
) {
    let range = (setup.range.start, setup.range.end);
    if applies(setup, rule, subject, range, findings, false) == Applies::No {
        return;
    }
    let row = row.get_or_insert_with(|| {
        let mut row = blank_row(rule, DutyKind::Response);
        row.period = PeriodRef {
            label: format!("{}..{}", range.0, range.1),
            start: shown(setup.tz, midnight(setup.tz, range.0)),
            end: shown(setup.tz, end_of_day(setup.tz, range.1)),
        };
        row
    });
    fill(
        row,
        setup,
        subject,
        &Applies::NotApplicable,
        Judged::default(),
    );
    emit(subject, row);
}
