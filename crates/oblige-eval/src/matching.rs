//! Matching an event against a pattern relative to a subject: kind, `to subject`, who acted,
//! and the filter.

use oblige_check::model::{Actor, Pattern, Who};

use crate::fanout::{self, Narrow};

use crate::pred::{Ctx, EventView, Findings};
use crate::setup::Setup;

/// An event as a pattern sees it: the event, its parties, and the trigger it may answer.
#[derive(Clone, Copy)]
pub struct Candidate<'a> {
    /// The event.
    pub event: EventView<'a>,
    /// Registry position of the actor.
    pub actor: usize,
    /// Registry position of the target.
    pub target: Option<usize>,
    /// The trigger a response answers.
    pub trigger: Option<EventView<'a>>,
}

/// The registry positions of the units of the subjects' class of the rule at `rule_index` that
/// `pattern` could match `event` for, before its filter: the target (`to subject`), the actor
/// (`by subject`), the members a conjunct of the pattern narrows to ([`crate::fanout`]), or
/// every member.
pub fn possible_subjects<'s>(
    setup: &'s Setup<'_>,
    pattern: &Pattern,
    rule_index: usize,
    event: &Candidate<'_>,
) -> Subjects<'s> {
    let (members, set) = setup.rule_members(rule_index);
    let member = |p: usize| set.is_some_and(|s| s.contains(p));
    if pattern.to_subject {
        return Subjects::One(event.target.filter(|&t| member(t)));
    }
    if matches!(pattern.by, Actor::Subject) {
        return Subjects::One(Some(event.actor).filter(|&a| member(a)));
    }
    match fanout::narrowing(pattern) {
        Some(Narrow::Ancestor(who)) => {
            let unit = if who == Who::Target {
                event.target
            } else {
                Some(event.actor)
            };
            let found = unit
                .zip(set)
                .map(|(u, s)| fanout::ancestors(setup.registry, u, s));
            Subjects::Listed(found.unwrap_or_default().into_iter())
        }
        Some(Narrow::Equal(value, attr)) => {
            let class = setup
                .plan
                .rules
                .get(rule_index)
                .map_or("", |r| r.subject.class.as_str());
            let Some(index) = setup.attr_index.get(class).and_then(|a| a.get(attr)) else {
                return Subjects::All(members.iter());
            };
            let units = setup.registry.units();
            let mut ctx = Ctx::new(setup.registry);
            ctx.actor = units.get(event.actor);
            ctx.target = event.target.and_then(|t| units.get(t));
            ctx.event = Some(event.event);
            // A missing value never compares equal: no subject.
            let found = fanout::event_key(&ctx, value).and_then(|k| index.get(&k));
            Subjects::All(found.map_or(&[][..], Vec::as_slice).iter())
        }
        None => Subjects::All(members.iter()),
    }
}

/// Registry positions of possible subjects.
pub enum Subjects<'s> {
    /// At most one.
    One(Option<usize>),
    /// Members of the class, or of an index.
    All(std::slice::Iter<'s, usize>),
    /// Found for this event.
    Listed(std::vec::IntoIter<usize>),
}

impl Iterator for Subjects<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        match self {
            Subjects::One(one) => one.take(),
            Subjects::All(all) => all.next().copied(),
            Subjects::Listed(listed) => listed.next(),
        }
    }
}

/// Whether `event`, of the pattern's kind, matches `pattern` for the subject at `subject` in
/// the given period. The kind is the caller's to compare: most callers know it already (an
/// event is offered only to the rules whose patterns name its kind).
pub fn matches(
    setup: &Setup<'_>,
    pattern: &Pattern,
    subject: usize,
    event: Candidate<'_>,
    period: (chrono::NaiveDate, chrono::NaiveDate),
    findings: Option<&Findings>,
) -> bool {
    if pattern.to_subject && event.target != Some(subject) {
        return false;
    }
    let units = setup.registry.units();
    let mut ctx = Ctx::new(setup.registry);
    ctx.subject = units.get(subject);
    ctx.actor = units.get(event.actor);
    ctx.target = event.target.and_then(|t| units.get(t));
    ctx.event = Some(event.event);
    ctx.trigger = event.trigger;
    ctx.period = Some(period);
    ctx.findings = findings;
    let by = match &pattern.by {
        Actor::Subject => event.actor == subject,
        Actor::Anyone => true,
        Actor::Related(pred) => ctx.eval(pred),
    };
    by && ctx.holds(pattern.filter.as_ref())
}
