//! What the evaluator derives from the plan and options once: the range, the periods of each
//! rule, the members of each class, and the attributes each rule reads.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use oblige_check::model::{
    Actor, ConsequenceTrigger, DateRange, Duty, HoldWhen, Pattern, Plan, Pred, Rule, StateDef,
};
use oblige_data::Registry;

use crate::calendar::end_of_day;
use crate::fanout::{index_attr, narrowing, AttrIndex, Narrow};
use crate::options::EvalOptions;
use crate::periods::Periods;
use crate::pred::attr_names;

/// Derived, read-only evaluation context.
pub struct Setup<'a> {
    /// The plan.
    pub plan: &'a Plan,
    /// The registry.
    pub registry: &'a Registry,
    /// The plan's time zone.
    pub tz: Tz,
    /// The evaluated days.
    pub range: DateRange,
    /// The instant described.
    pub as_of: DateTime<Utc>,
    /// The options as given.
    pub options: EvalOptions,
    /// Positions in the registry of the units of each class, in id order.
    pub members: HashMap<String, Vec<usize>>,
    /// Per rule, in plan order.
    pub rules: Vec<RuleSetup>,
    /// States read by `hold` rules.
    pub states: Vec<(String, StateDef)>,
    /// By event kind: the rules whose patterns name it, in plan order. An event is offered to
    /// these rules only, not to every rule of the plan.
    pub by_kind: HashMap<String, Vec<usize>>,
    /// Members by attribute value, for the patterns that compare the subject's attribute with
    /// the event ([`crate::fanout`]).
    pub attr_index: AttrIndex,
}

/// What is derived for one rule.
pub struct RuleSetup {
    /// The rule's periods (count, hold throughout, consequence `over`); empty otherwise.
    pub periods: Periods,
    /// Attribute names its predicates read, kept in compact event records.
    pub keep: BTreeSet<String>,
}

impl<'a> Setup<'a> {
    /// Derives everything from the plan, registry and options.
    pub fn new(plan: &'a Plan, registry: &'a Registry, options: EvalOptions) -> Self {
        let range = DateRange {
            start: options.from.unwrap_or(plan.header.effective_start),
            end: options.to.unwrap_or(plan.header.effective_end),
        };
        let tz = plan.header.timezone;
        let as_of = options.as_of.unwrap_or_else(|| end_of_day(tz, range.end));
        let mut members: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, unit) in registry.units().iter().enumerate() {
            for class in &unit.classes {
                members.entry(class.clone()).or_default().push(i);
            }
        }
        let rules = plan
            .rules
            .iter()
            .map(|rule| RuleSetup {
                periods: rule_periods(plan, rule, range),
                keep: rule_attrs(rule),
            })
            .collect();
        let states = plan
            .states
            .iter()
            .filter(|(name, _)| {
                plan.rules
                    .iter()
                    .any(|r| matches!(&r.duty, Duty::Hold { state, .. } if state == *name))
            })
            .map(|(name, def)| (name.clone(), def.clone()))
            .collect();
        let mut setup = Setup {
            plan,
            registry,
            tz,
            range,
            as_of,
            options,
            members,
            rules,
            states,
            by_kind: rules_by_kind(plan),
            attr_index: AttrIndex::default(),
        };
        setup.attr_index = attr_index(&setup);
        setup
    }

    /// The rules an event of `kind` may count for, trigger or answer, in plan order.
    pub fn rules_for(&self, kind: &str) -> &[usize] {
        self.by_kind.get(kind).map_or(&[], Vec::as_slice)
    }

    /// The registry positions of the units of `class`.
    pub fn members(&self, class: &str) -> &[usize] {
        self.members.get(class).map_or(&[], Vec::as_slice)
    }

    /// The id of the unit at `position`.
    pub fn unit_id(&self, position: usize) -> &'a str {
        self.registry
            .units()
            .get(position)
            .map_or("", |u| u.id.as_str())
    }
}

/// The attribute indexes the plan's patterns narrow their subjects with.
fn attr_index(setup: &Setup<'_>) -> AttrIndex {
    let mut index = AttrIndex::default();
    for rule in &setup.plan.rules {
        let class = rule.subject.class.as_str();
        for pattern in rule_patterns(rule) {
            if let Some(Narrow::Equal(_, attr)) = narrowing(pattern) {
                let members = (class, setup.members(class));
                index_attr(&mut index, setup.registry, members, attr);
            }
        }
    }
    index
}

/// The event patterns of a rule: counted, triggering, answering.
fn rule_patterns(rule: &Rule) -> Vec<&Pattern> {
    match &rule.duty {
        Duty::Count { events, .. } => vec![events],
        Duty::Consequence {
            trigger: ConsequenceTrigger::Event(p),
            ..
        } => vec![p],
        Duty::Response { trigger, branches } => std::iter::once(trigger)
            .chain(branches.iter().filter_map(|b| b.response.as_ref()))
            .collect(),
        Duty::Consequence { .. } | Duty::Hold { .. } => Vec::new(),
    }
}

/// By event kind, the rules whose counted, triggering or answering patterns name it.
fn rules_by_kind(plan: &Plan) -> HashMap<String, Vec<usize>> {
    let mut by_kind: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, rule) in plan.rules.iter().enumerate() {
        let mut kinds: Vec<&str> = rule_patterns(rule)
            .into_iter()
            .map(|p| p.kind.as_str())
            .collect();
        kinds.sort_unstable();
        kinds.dedup();
        for kind in kinds {
            by_kind.entry(kind.to_string()).or_default().push(i);
        }
    }
    by_kind
}

fn rule_periods(plan: &Plan, rule: &Rule, range: DateRange) -> Periods {
    match &rule.duty {
        Duty::Count { period, .. }
        | Duty::Hold {
            when: HoldWhen::Throughout(period),
            ..
        }
        | Duty::Consequence { over: period, .. } => Periods::build(period, &plan.windows, range),
        Duty::Response { .. }
        | Duty::Hold {
            when: HoldWhen::On(_),
            ..
        } => Periods::default(),
    }
}

/// Every predicate of a rule.
pub fn rule_preds(rule: &Rule) -> Vec<&Pred> {
    let mut preds: Vec<&Pred> = Vec::new();
    preds.extend(rule.subject.filter.as_ref());
    preds.extend(rule.exemptions.iter().filter_map(|e| e.filter.as_ref()));
    match &rule.duty {
        Duty::Count { events, .. } => pattern_preds(events, &mut preds),
        Duty::Response { trigger, branches } => {
            pattern_preds(trigger, &mut preds);
            for b in branches {
                preds.extend(b.condition.as_ref());
                if let Some(p) = &b.response {
                    pattern_preds(p, &mut preds);
                }
            }
        }
        Duty::Consequence {
            trigger: ConsequenceTrigger::Event(p),
            ..
        } => pattern_preds(p, &mut preds),
        Duty::Consequence { .. } | Duty::Hold { .. } => {}
    }
    preds
}

fn pattern_preds<'r>(p: &'r Pattern, out: &mut Vec<&'r Pred>) {
    out.extend(p.filter.as_ref());
    if let Actor::Related(pred) = &p.by {
        out.push(pred);
    }
}

fn rule_attrs(rule: &Rule) -> BTreeSet<String> {
    let mut keep = BTreeSet::new();
    for pred in rule_preds(rule) {
        attr_names(pred, &mut keep);
    }
    keep
}
