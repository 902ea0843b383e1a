//! Status counts by rule, by subject, and by responsible unit.

use std::collections::BTreeMap;

use oblige_check::model::Plan;
use oblige_report::model::{ResultRow, Status, StatusCounts, Summary, UnitSummary};

/// Counts the rows. Every rule of the plan appears in `by_rule`, even without rows.
pub fn summarize(plan: &Plan, results: &[ResultRow]) -> Summary {
    let mut summary = Summary::default();
    for rule in &plan.rules {
        summary
            .by_rule
            .insert(rule.id.clone(), StatusCounts::default());
    }
    let mut by_subject: BTreeMap<String, StatusCounts> = BTreeMap::new();
    for row in results {
        summary.total.add(row.status);
        summary
            .by_rule
            .entry(row.rule.clone())
            .or_default()
            .add(row.status);
        by_subject
            .entry(row.subject.id.clone())
            .or_default()
            .add(row.status);
    }
    summary.by_subject = by_subject.into_iter().collect();
    let mut by_unit: BTreeMap<String, UnitSummary> = BTreeMap::new();
    for rule in &plan.rules {
        let counts = summary.by_rule.get(&rule.id).copied().unwrap_or_default();
        let mut charge = |name: &String, lead: bool| {
            let unit = by_unit.entry(name.clone()).or_default();
            // A unit named twice on one rule answers for its failures once.
            let charged = unit.lead.contains(&rule.id) || unit.cooperating.contains(&rule.id);
            let list = if lead {
                &mut unit.lead
            } else {
                &mut unit.cooperating
            };
            if !list.contains(&rule.id) {
                list.push(rule.id.clone());
            }
            if charged {
                return;
            }
            unit.violated += counts.get(Status::Violated);
            unit.late += counts.get(Status::Late);
            unit.missing += counts.get(Status::Missing);
        };
        for name in &rule.meta.lead {
            charge(name, true);
        }
        for name in &rule.meta.cooperating {
            charge(name, false);
        }
    }
    summary.by_unit = by_unit.into_iter().collect();
    summary
}
