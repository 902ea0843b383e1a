//! Status counts by rule, by subject, and by responsible unit, counted row by row.

use std::collections::{BTreeMap, HashMap};

use oblige_check::model::Plan;
use oblige_report::model::{ResultRow, Status, StatusCounts, Summary, UnitSummary};

use crate::setup::FastHash;

/// Running counts of the rows produced so far.
#[derive(Default)]
pub struct Counts {
    total: StatusCounts,
    /// By rule index.
    by_rule: Vec<StatusCounts>,
    /// Hashed, not ordered: one lookup per row must not cost a search among every subject; the
    /// map is sorted once at the end.
    by_subject: HashMap<String, StatusCounts, FastHash>,
}

impl Counts {
    /// Counts one row of the rule at `rule_index`.
    pub fn add(&mut self, rule_index: usize, row: &ResultRow) {
        self.total.add(row.status);
        if self.by_rule.len() <= rule_index {
            self.by_rule.resize(rule_index + 1, StatusCounts::default());
        }
        if let Some(counts) = self.by_rule.get_mut(rule_index) {
            counts.add(row.status);
        }
        match self.by_subject.get_mut(&row.subject.id) {
            Some(counts) => counts.add(row.status),
            None => {
                let mut counts = StatusCounts::default();
                counts.add(row.status);
                self.by_subject.insert(row.subject.id.clone(), counts);
            }
        }
    }

    /// The summary. Every rule of the plan appears in `by_rule`, even without rows.
    pub fn finish(self, plan: &Plan) -> Summary {
        let mut summary = Summary {
            total: self.total,
            ..Summary::default()
        };
        for (i, rule) in plan.rules.iter().enumerate() {
            let counts = self.by_rule.get(i).copied().unwrap_or_default();
            let entry = summary.by_rule.entry(rule.id.clone()).or_default();
            // Rule ids are unique in a checked plan; adding keeps every row counted if not.
            entry.met += counts.met;
            entry.violated += counts.violated;
            entry.open += counts.open;
            entry.not_applicable += counts.not_applicable;
            entry.exempt += counts.exempt;
            entry.late += counts.late;
            entry.missing += counts.missing;
        }
        let mut by_subject: Vec<(String, StatusCounts)> = self.by_subject.into_iter().collect();
        by_subject.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        summary.by_subject = by_subject.into_iter().collect();
        summary.by_unit = by_unit(plan, &summary);
        summary
    }
}

fn by_unit(plan: &Plan, summary: &Summary) -> indexmap::IndexMap<String, UnitSummary> {
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
    by_unit.into_iter().collect()
}
