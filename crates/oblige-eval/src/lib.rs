//! The oblige evaluator: checks an event log against a checked plan.
//!
//! Pure and deterministic: no I/O, no clock, no randomness. Events are pushed one by one in any
//! order; memory grows with the number of subjects × periods and with the events that must wait
//! for report time (response triggers and candidate responses, state changes), never with the
//! events that are merely counted. A report can be asked for at any time.
//!
//! ```ignore
//! let mut eval = Evaluator::new(&plan, &registry, EvalOptions::default());
//! eval.extend(&events);
//! let report = eval.report();
//! ```
//!
//! The semantics are described in `docs/semantics.md`.

mod calendar;
mod collect;
mod consequence;
mod count;
mod hold;
mod inputs;
mod matching;
mod options;
mod order;
mod periods;
mod pred;
mod record;
mod report;
mod response;
mod rows;
mod setup;
mod summary;
mod tally;

use std::borrow::Borrow;

use oblige_check::model::Plan;
use oblige_data::{Event, Registry};
use oblige_report::model::Report;

pub use options::EvalOptions;

/// Checks events against a plan, streaming.
pub struct Evaluator<'a> {
    setup: setup::Setup<'a>,
    data: collect::Collected,
}

impl<'a> Evaluator<'a> {
    /// An evaluator of `plan` over the units of `registry`.
    pub fn new(plan: &'a Plan, registry: &'a Registry, options: EvalOptions) -> Self {
        Evaluator {
            setup: setup::Setup::new(plan, registry, options),
            data: collect::Collected::default(),
        }
    }

    /// Reads one event. Events may come in any order.
    pub fn push(&mut self, event: &Event) {
        self.data.push(&self.setup, event);
    }

    /// Reads every event of `events`.
    pub fn extend<E: Borrow<Event>>(&mut self, events: impl IntoIterator<Item = E>) {
        for event in events {
            self.push(event.borrow());
        }
    }

    /// Adds what `other` read. Both must evaluate the same plan over the same registry with the
    /// same options; then evaluators fed the chunks of a log and merged report exactly what one
    /// evaluator fed the whole log reports.
    pub fn merge(&mut self, other: Evaluator<'_>) {
        self.data
            .merge(other.data, self.setup.options.evidence_limit);
    }

    /// The report of the events read so far, as of the options' instant.
    pub fn report(&self) -> Report {
        report::build(&self.setup, &self.data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evaluators_can_be_sent_to_reader_threads() {
        fn send<T: Send>() {}
        send::<Evaluator<'static>>();
    }
}
