//! Assembling the report: rows rule by rule in plan order, given to the caller as they are
//! produced, with coverage, findings and summary counted along the way.
//!
//! Consequences need other rules' rows (`when violated R`) and findings change which subjects
//! later rules concern (`has finding`). So a first pass evaluates, in dependency order, only
//! the consequence rules and the rules they cite, keeping the failures cited and a snapshot of
//! the findings known before each rule; the second pass evaluates every rule in plan order
//! against its snapshot and streams its rows. Rules are pure functions of the collected data,
//! so the rules evaluated twice give the same rows both times.
//!
//! The second pass is cut into parts (a rule's rows for a range of its subjects) that depend
//! on nothing but the first pass, so they are built on several threads and handed over in
//! report order; the summary and coverage are counted per part and added in that order.

use oblige_check::model::{ConsequenceTrigger, Duty, Plan, Rule};
use oblige_report::model::{
    DayRange, FindingRow, PlanInfo, ReportHead, ReportTail, ResultRow, SCHEMA_VERSION,
};

use crate::calendar::shown;
use crate::collect::Collected;
use crate::consequence::{self, Failures};
use crate::count::{self, Coverage};
use crate::in_order::in_order;
use crate::order::rule_order;
use crate::parts::{Part, Parts};
use crate::pred::Findings;
use crate::response::Triggered;
use crate::rows::{RowSink, Scope};
use crate::rule_info::rule_info;
use crate::setup::Setup;
use crate::summary::{Counts, PartCounts};
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

/// How a report is built: on how many threads, in parts of about how many rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Parallel {
    /// Threads building parts (1: the caller's own, no other).
    pub threads: usize,
    /// Rows per part, about: a part is one rule's rows for a range of its subjects. Larger
    /// parts cost less to hand over; smaller ones keep less waiting to be given in order.
    pub part_rows: usize,
}

impl Default for Parallel {
    fn default() -> Self {
        Parallel {
            threads: 1,
            part_rows: 512,
        }
    }
}

/// A part's rows folded into a `C`, with what the report counts of them.
struct Built<C> {
    rows: C,
    counts: PartCounts,
    coverage: Option<Coverage>,
}

/// Builds every result row in parts on `parallel.threads` threads, folds each part's rows
/// into a `C` on the thread that built it, gives the parts to `emit` in report order, and
/// returns what follows the rows. The rows and their order do not depend on the threads.
pub fn stream<C: Default + Send>(
    setup: &Setup<'_>,
    data: &Collected,
    parallel: Parallel,
    fold: &(dyn Fn(&mut C, &ResultRow) + Sync),
    emit: &mut dyn FnMut(C),
) -> ReportTail {
    let plan = setup.plan;
    let prepared = prepare(setup, data);
    let mut counts = Counts::default();
    let mut coverage: Vec<Option<Coverage>> = plan.rules.iter().map(|_| None).collect();
    let parts = Parts::new(setup, data, parallel.part_rows);
    let build = |part: &Part| build(setup, data, (&prepared, &parts), part, fold);
    in_order(&parts.list, parallel.threads, build, |built: Built<C>| {
        counts.add(&built.counts);
        if let Some(c) = built.coverage {
            match coverage.get_mut(built.counts.rule_index()) {
                Some(Some(whole)) => whole.merge(c),
                Some(slot) => *slot = Some(c),
                None => {}
            }
        }
        emit(built.rows);
    });
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
        coverage: coverage
            .into_iter()
            .flatten()
            .flat_map(Coverage::finish)
            .collect(),
        findings,
        summary: counts.finish(plan, setup.registry),
        inputs: data.inputs.to_report(),
    }
}

/// The rows of one part, folded into a `C`, and their counts.
fn build<C: Default>(
    setup: &Setup<'_>,
    data: &Collected,
    (prepared, parts): (&Prepared, &Parts),
    part: &Part,
    fold: &(dyn Fn(&mut C, &ResultRow) + Sync),
) -> Built<C> {
    let i = part.rule;
    let mut built = Built {
        rows: C::default(),
        counts: PartCounts::new(i),
        coverage: None,
    };
    let Some(rule) = setup.plan.rules.get(i) else {
        return built;
    };
    let findings = prepared.findings_before(i);
    let inputs = RuleInputs {
        scope: Scope {
            findings,
            members: part.members.clone(),
        },
        failures: prepared.cited_failures(setup.plan, rule),
        triggered: match &rule.duty {
            Duty::Response { branches, .. } => Some(parts.take_triggered(setup, part, || {
                response::triggered(setup, data, (i, rule), branches, findings)
            })),
            _ => None,
        },
    };
    let mut coverage = (rule.subject.coverage && !matches!(rule.duty, Duty::Response { .. }))
        .then(|| Coverage::new(setup, i, rule));
    rule_rows(setup, data, i, inputs, &mut |subject, row| {
        built.counts.add(subject, row.status);
        if let Some(c) = coverage.as_mut() {
            c.add(row);
        }
        fold(&mut built.rows, row);
    });
    built.coverage = coverage;
    built
}

/// What the rows of one rule are made from, besides the collected data.
struct RuleInputs<'a> {
    /// The subjects asked for and the findings known before the rule.
    scope: Scope<'a>,
    /// The failures of the rule a `when violated` consequence cites.
    failures: &'a Failures,
    /// A response duty's trigger rows for the subjects asked for, if worked out already.
    triggered: Option<Triggered>,
}

/// The rows of the rule at `rule_index` for the subjects of `inputs.scope`, in report order.
fn rule_rows(
    setup: &Setup<'_>,
    data: &Collected,
    i: usize,
    inputs: RuleInputs<'_>,
    emit: RowSink<'_>,
) {
    let Some(rule) = setup.plan.rules.get(i) else {
        return;
    };
    let (scope, failures) = (&inputs.scope, inputs.failures);
    match &rule.duty {
        Duty::Count { cmp, amount, .. } => {
            count::rows(setup, data, i, rule, (*cmp, *amount), scope, emit);
        }
        Duty::Response { branches, .. } => {
            let triggered = inputs.triggered.unwrap_or_else(|| {
                response::triggered(setup, data, (i, rule), branches, scope.findings)
            });
            response::rows(setup, (rule, branches), scope, triggered, emit);
        }
        Duty::Hold { state, when } => hold::rows(setup, data, i, rule, (state, when), scope, emit),
        Duty::Consequence { .. } => {
            consequence::rows(setup, data, i, rule, (failures, scope), emit);
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
        let inputs = RuleInputs {
            scope: Scope::whole(&findings),
            failures: cited_failures,
            triggered: None,
        };
        rule_rows(setup, data, i, inputs, &mut |_, row| {
            if keep_failures {
                consequence::add_failure(setup, &mut failures, row);
            }
            given.extend(finding.and_then(|f| consequence::given(setup, i, f, row)));
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
