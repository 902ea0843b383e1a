//! Matching an event against a pattern relative to a subject: kind, `to subject`, who acted,
//! and the filter.

use oblige_check::model::{Actor, Pattern};

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

/// The registry positions of the units of `class` that `pattern` could match `event` for,
/// before its filter: the target (`to subject`), the actor (`by subject`), or every member.
pub fn possible_subjects<'s>(
    setup: &'s Setup<'_>,
    pattern: &Pattern,
    class: &str,
    actor: usize,
    target: Option<usize>,
) -> Subjects<'s> {
    let members = setup.members(class);
    let member = |p: usize| members.binary_search(&p).is_ok();
    if pattern.to_subject {
        return Subjects::One(target.filter(|&t| member(t)));
    }
    match pattern.by {
        Actor::Subject => Subjects::One(Some(actor).filter(|&a| member(a))),
        Actor::Anyone | Actor::Related(_) => Subjects::All(members.iter()),
    }
}

/// Registry positions of possible subjects, without allocating.
pub enum Subjects<'s> {
    /// At most one.
    One(Option<usize>),
    /// Every member of the class.
    All(std::slice::Iter<'s, usize>),
}

impl Iterator for Subjects<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        match self {
            Subjects::One(one) => one.take(),
            Subjects::All(all) => all.next().copied(),
        }
    }
}

/// Whether `event` matches `pattern` for the subject at `subject` in the given period.
pub fn matches(
    setup: &Setup<'_>,
    pattern: &Pattern,
    subject: usize,
    event: Candidate<'_>,
    period: (chrono::NaiveDate, chrono::NaiveDate),
    findings: Option<&Findings>,
) -> bool {
    if event.event.kind != pattern.kind {
        return false;
    }
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
