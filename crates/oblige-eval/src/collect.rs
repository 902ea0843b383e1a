//! The evaluator's memory of the log: per rule, subject and period tallies; response triggers
//! and candidate responses as compact records; state changes per unit; input accounting.
//!
//! Everything here is either additive (tallies, counts) or a list sorted at report time, so two
//! evaluators fed two halves of a log merge into the state of one fed the whole.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use oblige_check::model::{ConsequenceTrigger, Duty};
use oblige_data::Event;

use crate::inputs::{InputTally, Reason};
use crate::record::{Incoming, Record};
use crate::setup::{FastHash, KindUse, Setup};
use crate::shared_tallies::{SharedTallies, TallyStore};
use crate::{count, hold, response};

/// A start (`true`) or end (`false`) of a `from … until …` state at an instant. Ends sort
/// before starts at the same instant, so a renewal at the very moment of an end is seamless.
pub type Mark = (DateTime<Utc>, bool);

/// Values by (state, unit) positions. Only looked up, never walked in order, so a hash table:
/// a tree's look-up was 2 % of a large run's time, one per state-changing event.
pub type ByStateUnit<V> = HashMap<(usize, usize), V, FastHash>;

/// What the evaluator keeps of the log.
#[derive(Debug, Default)]
pub struct Collected {
    /// By (rule, subject, period): matching events of count duties and event consequences;
    /// shared with the evaluators of other readers of the same log, if any
    /// ([`crate::Evaluator::fork_shared`]).
    pub tallies: TallyStore,
    /// Response triggers: (rule, subject, record), the record shared by the subjects of one
    /// event.
    pub triggers: Vec<(usize, usize, Arc<Record>)>,
    /// Possible responses: (rule, record).
    pub candidates: Vec<(usize, Arc<Record>)>,
    /// By (state, unit): starts and ends of `from … until …` states, in no order (they are
    /// sorted when read).
    pub marks: ByStateUnit<Vec<Mark>>,
    /// By (state, unit): the day ranges of `valid … from … to …` states, merged.
    pub valid: ByStateUnit<Vec<(NaiveDate, NaiveDate)>>,
    /// Input accounting.
    pub inputs: InputTally,
}

impl Collected {
    /// Nothing read yet, counting into `tallies`.
    pub fn counting_into(tallies: Arc<SharedTallies>) -> Self {
        Collected {
            tallies: TallyStore::Shared(tallies),
            ..Collected::default()
        }
    }

    /// Reads one event.
    pub fn push(&mut self, setup: &Setup<'_>, event: &Event) {
        self.inputs.read();
        match accept(setup, event) {
            Ok((incoming, uses)) => {
                let used = self.collect(setup, &incoming, uses);
                self.inputs.matched(used);
            }
            Err(reason) => self.inputs.ignore(reason, event.time, &event.id),
        }
    }

    fn collect(&mut self, setup: &Setup<'_>, event: &Incoming<'_>, uses: &KindUse) -> bool {
        let mut used = false;
        for &i in &uses.rules {
            let Some(rule) = setup.plan.rules.get(i) else {
                continue;
            };
            used |= match &rule.duty {
                Duty::Count { events, .. } => count::collect(setup, self, i, events, event),
                Duty::Consequence {
                    trigger: ConsequenceTrigger::Event(pattern),
                    ..
                } => count::collect(setup, self, i, pattern, event),
                Duty::Response { .. } => response::collect(setup, self, i, rule, event),
                Duty::Consequence { .. } | Duty::Hold { .. } => false,
            };
        }
        used | hold::collect(setup, self, event, &uses.states)
    }

    /// Adds what another evaluator read.
    pub fn merge(&mut self, other: Collected) {
        self.tallies.merge(other.tallies);
        self.triggers.extend(other.triggers);
        self.candidates.extend(other.candidates);
        for (key, marks) in other.marks {
            self.marks.entry(key).or_default().extend(marks);
        }
        for (key, ranges) in other.valid {
            let mine = self.valid.entry(key).or_default();
            for range in ranges {
                hold::add_range(mine, range);
            }
        }
        self.inputs.merge(other.inputs);
    }
}

/// Resolves an event's kind and parties and checks it belongs to the evaluation, or says why
/// not.
fn accept<'e, 's>(
    setup: &'s Setup<'_>,
    event: &'e Event,
) -> Result<(Incoming<'e>, &'s KindUse), Reason> {
    let uses = setup.kind_use(&event.kind).ok_or(Reason::UnknownKind)?;
    let actor = setup
        .registry
        .position(&event.actor)
        .ok_or(Reason::UnknownActor)?;
    let target = match &event.target {
        Some(t) => Some(setup.registry.position(t).ok_or(Reason::UnknownTarget)?),
        None => None,
    };
    let date = setup.days.date(event.time);
    // A state set before the range (a licence issued last year) still holds in it.
    let early_state = date < setup.range.start && !uses.states.is_empty();
    if date > setup.range.end || (date < setup.range.start && !early_state) {
        return Err(Reason::OutOfRange);
    }
    if event.time > setup.as_of {
        return Err(Reason::AfterAsOf);
    }
    let incoming = Incoming {
        event,
        kind: uses.index,
        actor,
        target,
        date,
        in_range: date >= setup.range.start,
    };
    Ok((incoming, uses))
}
