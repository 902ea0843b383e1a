//! Assembling the report: rules in dependency order, rows sorted, coverage, findings, summary.

use oblige_check::model::{Duty, Plan};
use oblige_report::model::{
    CoverageRow, DayRange, FindingRow, PlanInfo, Report, ResultRow, SCHEMA_VERSION,
};

use crate::calendar::shown;
use crate::collect::Collected;
use crate::consequence::{self, Given};
use crate::order::rule_order;
use crate::pred::Findings;
use crate::rule_info::rule_info;
use crate::setup::Setup;
use crate::summary::summarize;
use crate::{count, hold, response};

/// The report of everything collected, as of the setup's instant.
pub fn build(setup: &Setup<'_>, data: &Collected) -> Report {
    let plan = setup.plan;
    let mut findings = Findings::default();
    let mut finding_rows: Vec<FindingRow> = Vec::new();
    let mut by_rule: Vec<Vec<ResultRow>> = vec![Vec::new(); plan.rules.len()];
    let mut coverage: Vec<(usize, CoverageRow)> = Vec::new();
    for i in rule_order(plan) {
        let Some(rule) = plan.rules.get(i) else {
            continue;
        };
        let mut rows = match &rule.duty {
            Duty::Count { cmp, amount, .. } => {
                count::rows(setup, data, i, rule, (*cmp, *amount), &findings)
            }
            Duty::Response { branches, .. } => {
                response::rows(setup, data, i, rule, branches, &findings)
            }
            Duty::Hold { state, when } => {
                hold::rows(setup, data, i, rule, (state, when), &findings)
            }
            Duty::Consequence {
                trigger, finding, ..
            } => {
                let given = Given {
                    finding,
                    trigger,
                    rows: &by_rule,
                };
                consequence::rows(
                    setup,
                    data,
                    i,
                    rule,
                    given,
                    &mut findings,
                    &mut finding_rows,
                )
            }
        };
        rows.sort_by(|a, b| {
            (&a.subject.id, a.period.start, &a.period.label).cmp(&(
                &b.subject.id,
                b.period.start,
                &b.period.label,
            ))
        });
        if rule.subject.coverage && !matches!(rule.duty, Duty::Response { .. }) {
            coverage.extend(
                count::coverage(setup, i, rule, &rows)
                    .into_iter()
                    .map(|c| (i, c)),
            );
        }
        if let Some(slot) = by_rule.get_mut(i) {
            *slot = rows;
        }
    }
    coverage.sort_by(|(i, a), (j, b)| {
        (i, a.period.start, &a.period.label).cmp(&(j, b.period.start, &b.period.label))
    });
    finding_rows.sort_by(|a, b| {
        (&a.finding, &a.subject.id, a.period.start, &a.because.rule).cmp(&(
            &b.finding,
            &b.subject.id,
            b.period.start,
            &b.because.rule,
        ))
    });
    let results: Vec<ResultRow> = by_rule.into_iter().flatten().collect();
    Report {
        schema_version: SCHEMA_VERSION,
        plan: plan_info(plan),
        range: DayRange {
            from: setup.range.start,
            to: setup.range.end,
        },
        as_of: shown(setup.tz, setup.as_of),
        summary: summarize(plan, &results),
        results,
        coverage: coverage.into_iter().map(|(_, c)| c).collect(),
        findings: finding_rows,
        inputs: data.inputs.to_report(),
    }
}

fn plan_info(plan: &Plan) -> PlanInfo {
    PlanInfo {
        title: plan.header.title.clone(),
        source: plan.header.source.clone(),
        timezone: plan.header.timezone.name().to_string(),
        rules: plan.rules.iter().map(rule_info).collect(),
    }
}
