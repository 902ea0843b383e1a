//! What every row shares: whether a subject is concerned in a period (subject filter, activity,
//! exemptions), the rule's id, period bounds and timing.

use std::ops::Range;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use oblige_check::model::Rule;
use oblige_report::model::{
    DutyKind, Evidence, PeriodRef, Required, ResultRow, Status, SubjectRef,
};

use crate::calendar::{end_of_day, midnight, shown};
use crate::periods::PeriodDef;
use crate::pred::{reads_period, Ctx, Findings};
use crate::setup::Setup;

/// Where a rule's rows go, each with the registry position of its subject.
pub type RowSink<'e> = &'e mut dyn FnMut(usize, &ResultRow);

/// Which rows of a rule are asked for, and what they are judged against.
pub struct Scope<'f> {
    /// The findings known before the rule.
    pub findings: &'f Findings,
    /// The subjects asked for, as positions in the list of members of the rule's class: a
    /// report is built in parts of about a thousand rows, each on its own.
    pub members: Range<usize>,
}

impl<'f> Scope<'f> {
    /// Every row of the rule.
    pub fn whole(findings: &'f Findings) -> Self {
        Scope {
            findings,
            members: 0..usize::MAX,
        }
    }

    /// The registry positions of the members of `class` asked for.
    pub fn members<'s>(&self, setup: &'s Setup<'_>, class: &str) -> &'s [usize] {
        let all = setup.members(class);
        let end = self.members.end.min(all.len());
        all.get(self.members.start.min(end)..end).unwrap_or(&[])
    }
}

/// Whether a rule concerns a subject in a period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Applies<'r> {
    /// The subject filter does not hold: no row.
    No,
    /// The unit does not exist during the period.
    NotApplicable,
    /// An exemption applies, with its reason.
    Exempt(&'r str),
    /// The duty applies.
    Yes,
}

/// Decides whether `rule` concerns the unit at `subject` over `[first, last]`.
pub fn applies<'r>(
    setup: &Setup<'_>,
    rule: &'r Rule,
    subject: usize,
    (first, last): (NaiveDate, NaiveDate),
    findings: &Findings,
    check_active: bool,
) -> Applies<'r> {
    if !subject_holds(setup, rule, subject, (first, last), findings) {
        return Applies::No;
    }
    applies_to_concerned(setup, rule, subject, (first, last), findings, check_active)
}

/// Whether the rule's subject filter holds for the unit at `subject` over `[first, last]`.
fn subject_holds(
    setup: &Setup<'_>,
    rule: &Rule,
    subject: usize,
    period: (NaiveDate, NaiveDate),
    findings: &Findings,
) -> bool {
    let Some(unit) = setup.registry.units().get(subject) else {
        return false;
    };
    Ctx::for_subject(setup.registry, unit, period, findings).holds(rule.subject.filter.as_ref())
}

/// [`applies`] for a unit the subject filter is known to hold for.
fn applies_to_concerned<'r>(
    setup: &Setup<'_>,
    rule: &'r Rule,
    subject: usize,
    (first, last): (NaiveDate, NaiveDate),
    findings: &Findings,
    check_active: bool,
) -> Applies<'r> {
    let Some(unit) = setup.registry.units().get(subject) else {
        return Applies::No;
    };
    let ctx = Ctx::for_subject(setup.registry, unit, (first, last), findings);
    let inactive =
        unit.active_from.is_some_and(|d| d > last) || unit.active_to.is_some_and(|d| d < first);
    if check_active && inactive {
        return Applies::NotApplicable;
    }
    let exemption = rule.exemptions.iter().find(|e| {
        let during = e
            .during
            .as_ref()
            .is_none_or(|w| w.ranges.iter().any(|r| r.start <= last && first <= r.end));
        during && ctx.holds(e.filter.as_ref())
    });
    match exemption {
        Some(e) => Applies::Exempt(&e.reason),
        None => Applies::Yes,
    }
}

/// The duty-specific part of a row, besides its evidence.
#[derive(Clone, Copy, Debug, Default)]
pub struct Judged {
    /// Verdict.
    pub status: Option<Status>,
    /// Count shown.
    pub count: u64,
    /// Required count.
    pub required: Option<Required>,
    /// At risk.
    pub at_risk: bool,
}

/// A row of `rule` with nothing of a subject or period in it yet. The rule's metadata is not
/// copied into it: the report describes each rule once, in its plan.
pub fn blank_row(rule: &Rule, duty: DutyKind) -> ResultRow {
    ResultRow {
        rule: rule.id.clone(),
        duty,
        subject: SubjectRef {
            id: String::new(),
            name: String::new(),
        },
        period: PeriodRef {
            label: String::new(),
            start: DateTime::default(),
            end: DateTime::default(),
        },
        status: Status::Open,
        count: 0,
        required: None,
        at_risk: false,
        evidence: Evidence::default(),
        exemption: None,
    }
}

/// Makes `row` (a row of its rule, its period and evidence set) the row of the unit at
/// `subject`. Its strings are written over, not replaced: one row is refreshed for each of a
/// rule's rows, which are only counted and serialized, so that they cost no allocation.
pub fn fill(
    row: &mut ResultRow,
    setup: &Setup<'_>,
    subject: usize,
    applies: &Applies<'_>,
    judged: Judged,
) {
    let unit = setup.registry.units().get(subject);
    let (status, at_risk) = match applies {
        Applies::NotApplicable => (Status::NotApplicable, false),
        Applies::Exempt(_) => (Status::Exempt, false),
        Applies::Yes | Applies::No => (judged.status.unwrap_or(Status::Open), judged.at_risk),
    };
    let (id, name) = unit.map_or(("", ""), |u| (u.id.as_str(), u.name.as_str()));
    overwrite(&mut row.subject.id, id);
    overwrite(&mut row.subject.name, name);
    row.status = status;
    row.count = judged.count;
    row.required = judged.required;
    row.at_risk = at_risk;
    match (applies, row.exemption.as_mut()) {
        (Applies::Exempt(reason), Some(held)) => overwrite(held, reason),
        (Applies::Exempt(reason), None) => row.exemption = Some((*reason).to_owned()),
        _ => row.exemption = None,
    }
}

/// Sets `to` to `from` in the room `to` has.
pub fn overwrite(to: &mut String, from: &str) {
    to.clear();
    to.push_str(from);
}

/// Empties `evidence` for the next row, keeping the room its lists have. Field by field, every
/// one named, so that a field added to [`Evidence`] cannot be left over from the row before.
fn clear_evidence(evidence: &mut Evidence) {
    let Evidence {
        events,
        truncated,
        trigger,
        deadline,
        response,
        responded_at,
        delay_minutes,
        first_gap,
        violations,
    } = evidence;
    events.clear();
    violations.clear();
    *truncated = 0;
    *trigger = None;
    *deadline = None;
    *response = None;
    *responded_at = None;
    *delay_minutes = None;
    *first_gap = None;
}

/// The rows of a rule with calendar periods: one per concerned subject of `scope` and period,
/// given to `emit` in report order (subject id, then period start: units are sorted by id and a
/// rule's periods are sorted and disjoint), so that no rule's rows are ever held together.
/// `judge` writes a row's evidence into the emptied evidence it is given.
pub fn periodic_rows(
    setup: &Setup<'_>,
    rule: &Rule,
    duty: DutyKind,
    periods: &[PeriodDef],
    scope: &Scope<'_>,
    mut judge: impl FnMut(usize, usize, &PeriodDef, Timing, &mut Evidence) -> Judged,
    emit: RowSink<'_>,
) {
    // A filter that does not read the period was evaluated once per unit, before any event.
    let once = !rule.subject.filter.as_ref().is_some_and(reads_period);
    let concerned = setup.concerned(&rule.id);
    let findings = scope.findings;
    // What every row of a period shows, worked out once: each is a time-zone conversion.
    let shown: Vec<(PeriodRef, Timing)> = periods
        .iter()
        .map(|def| (period_ref(setup, def), period_timing(setup, def)))
        .collect();
    let mut row = blank_row(rule, duty);
    for &subject in scope.members(setup, &rule.subject.class) {
        if concerned.is_some_and(|set| !set.contains(subject)) {
            continue;
        }
        for ((pi, def), (period, timing)) in periods.iter().enumerate().zip(&shown) {
            let span = (def.first, def.last);
            let applies = if once {
                applies_to_concerned(setup, rule, subject, span, findings, true)
            } else {
                applies(setup, rule, subject, span, findings, true)
            };
            if applies == Applies::No {
                continue;
            }
            clear_evidence(&mut row.evidence);
            let judged = judge(subject, pi, def, *timing, &mut row.evidence);
            overwrite(&mut row.period.label, &period.label);
            (row.period.start, row.period.end) = (period.start, period.end);
            fill(&mut row, setup, subject, &applies, judged);
            emit(subject, &row);
        }
    }
}

/// A calendar period as shown in reports.
pub fn period_ref(setup: &Setup<'_>, def: &PeriodDef) -> PeriodRef {
    PeriodRef {
        label: def.label.clone(),
        start: shown(setup.tz, midnight(setup.tz, def.first)),
        end: shown(setup.tz, end_of_day(setup.tz, def.last)),
    }
}

/// Where a period stands at `as_of`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timing {
    /// It has begun.
    pub started: bool,
    /// It has ended.
    pub closed: bool,
    /// It has begun, not ended, and ends within the at-risk horizon.
    pub ending_soon: bool,
}

/// Where the period `[start, end)` stands at `as_of`.
pub fn timing(setup: &Setup<'_>, start: DateTime<Utc>, end: DateTime<Utc>) -> Timing {
    let started = start <= setup.as_of;
    let closed = end <= setup.as_of;
    let horizon = TimeDelta::days(i64::from(setup.options.at_risk_horizon_days));
    Timing {
        started,
        closed,
        ending_soon: started && !closed && end - setup.as_of <= horizon,
    }
}

/// Where a calendar period stands at `as_of`.
pub fn period_timing(setup: &Setup<'_>, def: &PeriodDef) -> Timing {
    timing(
        setup,
        midnight(setup.tz, def.first),
        end_of_day(setup.tz, def.last),
    )
}
