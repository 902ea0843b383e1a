//! Status counts by rule, by subject, and by responsible unit, counted row by row.

use std::collections::BTreeMap;

use indexmap::IndexMap;

use oblige_check::model::Plan;
use oblige_data::Registry;
use oblige_report::model::{Status, StatusCounts, Summary, UnitSummary};

/// The counts of the rows of one part of a report (one rule, a range of its subjects), made
/// where the part is built and added to the report's [`Counts`] in report order.
#[derive(Default)]
pub struct PartCounts {
    rule_index: usize,
    by_rule: StatusCounts,
    /// By registry position, in the order rows come: subject by subject, so a subject's rows
    /// are counted in one entry.
    by_subject: Vec<(usize, StatusCounts)>,
}

impl PartCounts {
    /// Empty counts for a part of the rule at `rule_index`.
    pub fn new(rule_index: usize) -> Self {
        PartCounts {
            rule_index,
            ..PartCounts::default()
        }
    }

    /// The rule whose rows are counted.
    pub fn rule_index(&self) -> usize {
        self.rule_index
    }

    /// Counts one row, of the unit at registry position `subject`.
    pub fn add(&mut self, subject: usize, status: Status) {
        self.by_rule.add(status);
        match self.by_subject.last_mut() {
            Some((s, counts)) if *s == subject => counts.add(status),
            _ => {
                let mut counts = StatusCounts::default();
                counts.add(status);
                self.by_subject.push((subject, counts));
            }
        }
    }
}

/// Running counts of the rows produced so far.
#[derive(Default)]
pub struct Counts {
    total: StatusCounts,
    /// By rule index.
    by_rule: Vec<StatusCounts>,
    /// By registry position: one indexed addition per subject of a part, not a look-up by id
    /// per row. Registry positions are in id order, the order of the summary.
    by_subject: Vec<StatusCounts>,
}

impl Counts {
    /// Adds the counts of the next part.
    pub fn add(&mut self, part: &PartCounts) {
        self.total.merge(&part.by_rule);
        if self.by_rule.len() <= part.rule_index {
            self.by_rule
                .resize(part.rule_index + 1, StatusCounts::default());
        }
        if let Some(counts) = self.by_rule.get_mut(part.rule_index) {
            counts.merge(&part.by_rule);
        }
        for (subject, counts) in &part.by_subject {
            if self.by_subject.len() <= *subject {
                self.by_subject.resize(subject + 1, StatusCounts::default());
            }
            if let Some(sum) = self.by_subject.get_mut(*subject) {
                sum.merge(counts);
            }
        }
    }

    /// The summary. Every rule of the plan appears in `by_rule`, even without rows.
    pub fn finish(self, plan: &Plan, registry: &Registry) -> Summary {
        let mut summary = Summary {
            total: self.total,
            ..Summary::default()
        };
        for (i, rule) in plan.rules.iter().enumerate() {
            let counts = self.by_rule.get(i).copied().unwrap_or_default();
            // Rule ids are unique in a checked plan; adding keeps every row counted if not.
            let entry = summary.by_rule.entry(rule.id.clone()).or_default();
            entry.merge(&counts);
        }
        let units = registry.units().iter();
        // Nearly every unit is some rule's subject: room for all at once, rather than growing
        // the map (and hashing every key again) a dozen times at 500 000 units.
        summary.by_subject.reserve(self.by_subject.len());
        summary.by_subject.extend(
            units
                .zip(self.by_subject)
                .filter(|(_, counts)| *counts != StatusCounts::default())
                .map(|(unit, counts)| (unit.id.clone(), counts)),
        );
        summary.by_unit = by_unit(plan, &summary);
        summary
    }
}

fn by_unit(plan: &Plan, summary: &Summary) -> IndexMap<String, UnitSummary> {
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
