//! Assembling the report: rows rule by rule in plan order, given to the caller as they are
//! produced, with coverage, findings and summary counted along the way.
//!
//! Consequences need other rules' rows (`when violated R`) and findings change which subjects
//! later rules concern (`has finding`). So a first pass evaluates, in dependency order, only
//! the consequence rules and the rules they cite, keeping the failures cited and a snapshot of
//! the findings known before each rule; the second pass evaluates every rule in plan order
//! against its snapshot and streams its rows. Rules are pure functions of the collected data,
//! so the rules evaluated twice give the same rows both times.

use oblige_check::model::{ConsequenceTrigger, Duty, Plan, Rule};
use oblige_report::model::{
    DayRange, FindingRow, PlanInfo, ReportHead, ReportTail, ResultRow, SCHEMA_VERSION,
};

use crate::calendar::shown;
use crate::collect::Collected;
use crate::consequence::{self, Failures};
use crate::count::{self, Coverage};
use crate::order::rule_order;
use crate::pred::Findings;
use crate::rule_info::rule_info;
use crate::setup::Setup;
use crate::summary::Counts;
use crate::{hold, response};

/// What the report says before its rows.
pub fn head(setup: &Setup<'_>) -> ReportHead {
    ReportHead {
        schema_version: SCHEMA_VERSION,
        plan: plan_info(setup.plan),
        range: DayRange {
            from: setup.range.start,
            to: setup.range.end,
        },
        as_of: shown(setup.tz, setup.as_of),
    }
}

/// Gives every result row to `emit`, in report order, and returns what follows the rows.
pub fn stream(setup: &Setup<'_>, data: &Collected, emit: &mut dyn FnMut(ResultRow)) -> ReportTail {
    let plan = setup.plan;
    let prepared = prepare(setup, data);
    let mut counts = Counts::default();
    let mut coverage = Vec::new();
    for (i, rule) in plan.rules.iter().enumerate() {
        let findings = prepared.findings_before(i);
        let failures = prepared.cited_failures(plan, rule);
        let mut cover = (rule.subject.coverage && !matches!(rule.duty, Duty::Response { .. }))
            .then(|| Coverage::new(setup, i, rule));
        rule_rows(setup, data, i, (findings, failures), &mut |row| {
            counts.add(i, &row);
            if let Some(c) = cover.as_mut() {
                c.add(&row);
            }
            emit(row);
        });
        coverage.extend(cover.map(Coverage::finish).into_iter().flatten());
    }
    let mut findings = prepared.finding_rows;
    findings.sort_by(|a, b| {
        (&a.finding, &a.subject.id, a.period.start, &a.because.rule).cmp(&(
            &b.finding,
            &b.subject.id,
            b.period.start,
            &b.because.rule,
        ))
    });
    ReportTail {
        coverage,
        findings,
        summary: counts.finish(plan),
        inputs: data.inputs.to_report(),
    }
}

/// The rows of the rule at `rule_index`, in report order.
fn rule_rows(
    setup: &Setup<'_>,
    data: &Collected,
    i: usize,
    (findings, failures): (&Findings, &Failures),
    emit: &mut dyn FnMut(ResultRow),
) {
    let Some(rule) = setup.plan.rules.get(i) else {
        return;
    };
    match &rule.duty {
        Duty::Count { cmp, amount, .. } => {
            count::rows(setup, data, i, rule, (*cmp, *amount), findings, emit);
        }
        Duty::Response { branches, .. } => {
            response::rows(setup, data, i, rule, branches, findings, emit);
        }
        Duty::Hold { state, when } => {
            hold::rows(setup, data, i, rule, (state, when), findings, emit)
        }
        Duty::Consequence { .. } => {
            consequence::rows(setup, data, i, rule, (failures, findings), emit);
        }
    }
}

/// What the first pass keeps.
struct Prepared {
    /// Findings known before each snapshot point; `snapshots[0]` is empty.
    snapshots: Vec<Findings>,
    /// By rule index: which snapshot it is evaluated against.
    snapshot_of: Vec<usize>,
    /// By rule index: its failures, for the rules a consequence cites.
    failures: Vec<Failures>,
    /// Findings rows, unsorted.
    finding_rows: Vec<FindingRow>,
    /// What a rule without findings or failures sees.
    none: (Findings, Failures),
}

impl Prepared {
    fn findings_before(&self, rule_index: usize) -> &Findings {
        self.snapshot_of
            .get(rule_index)
            .and_then(|&s| self.snapshots.get(s))
            .unwrap_or(&self.none.0)
    }

    /// The failures of the rule a `when violated` consequence cites (empty otherwise).
    fn cited_failures(&self, plan: &Plan, rule: &Rule) -> &Failures {
        cited(plan, rule)
            .and_then(|j| self.failures.get(j))
            .unwrap_or(&self.none.1)
    }
}

/// The index of the rule a `when violated` consequence cites.
fn cited(plan: &Plan, rule: &Rule) -> Option<usize> {
    match &rule.duty {
        Duty::Consequence {
            trigger: ConsequenceTrigger::Violation(id),
            ..
        } => plan.rules.iter().position(|r| &r.id == id),
        _ => None,
    }
}

/// The first pass: consequences and the rules they cite, in dependency order.
fn prepare(setup: &Setup<'_>, data: &Collected) -> Prepared {
    let plan = setup.plan;
    let n = plan.rules.len();
    let mut is_cited = vec![false; n];
    for rule in &plan.rules {
        if let Some(j) = cited(plan, rule).and_then(|j| is_cited.get_mut(j)) {
            *j = true;
        }
    }
    let mut prepared = Prepared {
        snapshots: vec![Findings::default()],
        snapshot_of: vec![0; n],
        failures: vec![Failures::default(); n],
        finding_rows: Vec::new(),
        none: Default::default(),
    };
    let mut findings = Findings::default();
    for i in rule_order(plan) {
        let Some(rule) = plan.rules.get(i) else {
            continue;
        };
        if let Some(s) = prepared.snapshot_of.get_mut(i) {
            *s = prepared.snapshots.len() - 1;
        }
        let finding = match &rule.duty {
            Duty::Consequence { finding, .. } => Some(finding.as_str()),
            _ => None,
        };
        let keep_failures = is_cited.get(i).copied().unwrap_or(false);
        if finding.is_none() && !keep_failures {
            continue;
        }
        let mut failures = Failures::default();
        let mut given = Vec::new();
        let cited_failures = prepared.cited_failures(plan, rule);
        rule_rows(setup, data, i, (&findings, cited_failures), &mut |row| {
            if keep_failures {
                consequence::add_failure(setup, &mut failures, &row);
            }
            given.extend(finding.and_then(|f| consequence::given(setup, i, f, &row)));
        });
        if let Some(slot) = prepared.failures.get_mut(i) {
            *slot = failures;
        }
        if let Some(f) = finding {
            for (first, last, row) in given {
                findings.give(f, &row.subject.id, first, last);
                prepared.finding_rows.push(row);
            }
            prepared.snapshots.push(findings.clone());
        }
    }
    prepared
}

fn plan_info(plan: &Plan) -> PlanInfo {
    PlanInfo {
        title: plan.header.title.clone(),
        source: plan.header.source.clone(),
        timezone: plan.header.timezone.name().to_string(),
        rules: plan.rules.iter().map(rule_info).collect(),
    }
}
