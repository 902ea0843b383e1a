//! What the evaluator derives from the plan and options once: the range, the periods of each
//! rule, the members of each class, and the attributes each rule reads.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, OnceLock};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use fixedbitset::FixedBitSet;
use indexmap::IndexMap;
use oblige_check::model::{
    Actor, ConsequenceTrigger, DateRange, Duty, HoldWhen, Pattern, Plan, Pred, Rule, StateDef,
};
use oblige_data::Registry;

use crate::calendar::{end_of_day, DayTable};
use crate::fanout::{index_attrs, narrowing, AttrIndex, Narrow};
use crate::in_order::in_order;
use crate::options::EvalOptions;
use crate::periods::Periods;
use crate::pred::attr_names;
use crate::tally::Shape;

mod concerned;

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
    /// Local dates of instants, by table over the evaluated days.
    pub days: DayTable,
    /// The instant described.
    pub as_of: DateTime<Utc>,
    /// The options as given.
    pub options: EvalOptions,
    /// Positions in the registry of the units of each class, in id order.
    pub members: Members,
    /// The same members as sets of registry positions, to test membership in constant time;
    /// in the order of `members`.
    pub member_sets: IndexMap<String, FixedBitSet, FastHash>,
    /// Per rule, in plan order.
    pub rules: Vec<RuleSetup>,
    /// States read by `hold` rules.
    pub states: Vec<(String, StateDef)>,
    /// Every declared event kind, with the rules and states it concerns.
    pub kinds: Kinds,
    /// Members by attribute value, for the patterns that compare the subject's attribute with
    /// the event ([`crate::fanout`]).
    pub attr_index: AttrIndex,
}

/// A fast hash for the plan's own names (kinds, classes), looked up for every event.
pub type FastHash = foldhash::fast::RandomState;

/// By class, the registry positions of its units, in id order.
pub type Members = IndexMap<String, Vec<usize>, FastHash>;

/// By declared event kind, what it concerns. Every event is looked up here once.
pub type Kinds = HashMap<String, KindUse, FastHash>;

/// What events of one kind concern.
#[derive(Debug, Default)]
pub struct KindUse {
    /// The kind's position among the plan's declared kinds ([`Setup::kind_name`]).
    pub index: usize,
    /// The rules whose counted, triggering or answering patterns name the kind, in plan order.
    /// An event is offered to these rules only, not to every rule of the plan.
    pub rules: Vec<usize>,
    /// The positions in [`Setup::states`] of the states the kind starts, ends or makes valid.
    pub states: Vec<usize>,
}

/// What is derived for one rule.
pub struct RuleSetup {
    /// The rule's periods (count, hold throughout, consequence `over`); empty otherwise.
    pub periods: Periods,
    /// Attribute names its predicates read, kept in compact event records.
    pub keep: BTreeSet<String>,
    /// The registry positions of the units its subject filter holds for, when that filter reads
    /// only the registry (not the period or findings): known before any event, so events are
    /// not tallied for units the report leaves out. `None`: every member may be concerned.
    pub concerned: Option<FixedBitSet>,
    /// The shape of its tallies, made at its first tallied event.
    pub tally: OnceLock<Arc<Shape>>,
    /// The position of its subjects' class in [`Setup::members`], if the class has units:
    /// found once here rather than by name for every event.
    pub class: Option<usize>,
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
        let members = members(registry);
        let concerned = concerned::concerned(registry, &plan.rules, (&members, options.threads));
        let rules = plan
            .rules
            .iter()
            .zip(concerned)
            .map(|(rule, concerned)| RuleSetup {
                periods: rule_periods(plan, rule, range),
                keep: rule_attrs(rule),
                concerned,
                tally: OnceLock::new(),
                class: members.get_index_of(&rule.subject.class),
            })
            .collect();
        let states: Vec<(String, StateDef)> = plan
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
            days: DayTable::new(tz, range.start, range.end),
            as_of,
            options,
            member_sets: member_sets(&members, registry.units().len()),
            members,
            rules,
            kinds: kinds(plan, &states),
            states,
            attr_index: AttrIndex::default(),
        };
        setup.attr_index = attr_index(&setup);
        setup
    }

    /// The name of the declared kind at `index` ([`KindUse::index`]).
    pub fn kind_name(&self, index: usize) -> &'a str {
        self.plan
            .events
            .get_index(index)
            .map_or("", |(name, _)| name.as_str())
    }

    /// What events of `kind` concern, or `None` if the plan does not declare the kind.
    pub fn kind_use(&self, kind: &str) -> Option<&KindUse> {
        self.kinds.get(kind)
    }

    /// Whether the subject filter of the rule at `rule_index` may hold for the unit at
    /// `position` (always, unless it is known from the registry alone not to).
    pub fn concerns(&self, rule_index: usize, position: usize) -> bool {
        self.rules
            .get(rule_index)
            .and_then(|r| r.concerned.as_ref())
            .is_none_or(|set| set.contains(position))
    }

    /// The units the subject filter of the rule `rule_id` holds for, if it was evaluated once
    /// for all (see [`RuleSetup::concerned`]).
    pub fn concerned(&self, rule_id: &str) -> Option<&FixedBitSet> {
        let index = self.plan.rules.iter().position(|r| r.id == rule_id)?;
        self.rules.get(index)?.concerned.as_ref()
    }

    /// The shape of the tallies of the rule at `rule_index`: its periods and the units it may
    /// tally (those its filter may hold for, else the members of its class).
    pub fn tally_shape(&self, rule_index: usize) -> Option<&Arc<Shape>> {
        let r = self.rules.get(rule_index)?;
        let class = &self.plan.rules.get(rule_index)?.subject.class;
        Some(r.tally.get_or_init(|| {
            let subjects = r.concerned.as_ref().or_else(|| self.member_set(class));
            let periods = r.periods.defs().len();
            Arc::new(Shape::new(self.rules.len(), periods, subjects))
        }))
    }

    /// The registry positions of the units of `class`.
    pub fn members(&self, class: &str) -> &[usize] {
        self.members.get(class).map_or(&[], Vec::as_slice)
    }

    /// The registry positions of the units of `class`, as a set (`None`: no unit has it).
    pub fn member_set(&self, class: &str) -> Option<&FixedBitSet> {
        self.member_sets.get(class)
    }

    /// [`Setup::members`] and [`Setup::member_set`] of the subjects' class of the rule at
    /// `rule_index`, without looking the class up by name.
    pub fn rule_members(&self, rule_index: usize) -> (&[usize], Option<&FixedBitSet>) {
        let class = self.rules.get(rule_index).and_then(|r| r.class);
        let members = class.and_then(|c| self.members.get_index(c));
        let set = class.and_then(|c| self.member_sets.get_index(c));
        (
            members.map_or(&[], |(_, m)| m.as_slice()),
            set.map(|(_, s)| s),
        )
    }

    /// The id of the unit at `position`.
    pub fn unit_id(&self, position: usize) -> &'a str {
        self.registry
            .units()
            .get(position)
            .map_or("", |u| u.id.as_str())
    }
}

/// The registry positions of the units of each class.
fn members(registry: &Registry) -> Members {
    let mut members = Members::default();
    for (i, unit) in registry.units().iter().enumerate() {
        for class in &unit.classes {
            // Most units share a few classes: the name is copied once per class, not per unit.
            match members.get_mut(class.as_str()) {
                Some(positions) => positions.push(i),
                None => {
                    members.insert(class.clone(), vec![i]);
                }
            }
        }
    }
    members
}

fn member_sets(members: &Members, units: usize) -> IndexMap<String, FixedBitSet, FastHash> {
    let set = |positions: &Vec<usize>| {
        let mut set = FixedBitSet::with_capacity(units);
        set.extend(positions.iter().copied());
        set
    };
    members.iter().map(|(c, m)| (c.clone(), set(m))).collect()
}

/// The attribute indexes the plan's patterns narrow their subjects with.
fn attr_index(setup: &Setup<'_>) -> AttrIndex {
    // By class, the attributes to index, so that each class's members are read in one pass.
    let mut wanted: Vec<(&str, Vec<&str>)> = Vec::new();
    for rule in &setup.plan.rules {
        let class = rule.subject.class.as_str();
        for pattern in rule_patterns(rule) {
            if let Some(Narrow::Equal(_, attr)) = narrowing(pattern) {
                match wanted.iter_mut().find(|(c, _)| *c == class) {
                    Some((_, attrs)) => attrs.push(attr),
                    None => wanted.push((class, vec![attr])),
                }
            }
        }
    }
    let mut index = AttrIndex::default();
    for (class, attrs) in wanted {
        let members = (class, setup.members(class), setup.options.threads);
        index_attrs(&mut index, setup.registry, members, &attrs);
    }
    index
}

/// Registry positions handed to one thread at a time: enough work to pay for handing it over.
const MEMBERS_PER_PART: usize = 16_384;

/// Gives `sink` the result of `work` on consecutive parts of `members`, in their order,
/// computed on up to `threads` threads when there are enough members to be worth it.
pub(crate) fn over_members<R: Send>(
    (members, threads): (&[usize], usize),
    work: impl Fn(&[usize]) -> R + Sync,
    sink: impl FnMut(R),
) {
    let parts: Vec<&[usize]> = members.chunks(MEMBERS_PER_PART).collect();
    in_order(&parts, threads, |part| work(part), sink);
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

/// Every declared kind with the rules whose counted, triggering or answering patterns name it
/// and the states it changes.
fn kinds(plan: &Plan, states: &[(String, StateDef)]) -> Kinds {
    let mut kinds: Kinds = plan
        .events
        .keys()
        .enumerate()
        .map(|(index, k)| {
            let kind = KindUse {
                index,
                ..KindUse::default()
            };
            (k.clone(), kind)
        })
        .collect();
    for (si, (_, def)) in states.iter().enumerate() {
        let changing: Vec<&str> = match def {
            StateDef::Between { start, end } => std::iter::once(start.as_str())
                .chain(end.as_deref())
                .collect(),
            StateDef::Valid { kind, .. } => vec![kind.as_str()],
        };
        for kind in changing {
            if let Some(used) = kinds.get_mut(kind) {
                if used.states.last() != Some(&si) {
                    used.states.push(si);
                }
            }
        }
    }
    for (i, rule) in plan.rules.iter().enumerate() {
        let mut kinds_named: Vec<&str> = rule_patterns(rule)
            .into_iter()
            .map(|p| p.kind.as_str())
            .collect();
        kinds_named.sort_unstable();
        kinds_named.dedup();
        for kind in kinds_named {
            if let Some(used) = kinds.get_mut(kind) {
                used.rules.push(i);
            }
        }
    }
    kinds
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
