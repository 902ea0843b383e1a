//! The oblige evaluator: checks an event log against a checked plan.
//!
//! Pure and deterministic: no I/O, no clock, no randomness. Events are pushed one by one in any
//! order; memory grows with the number of subjects × periods and with the events that must wait
//! for report time (response triggers and candidate responses, state changes), never with the
//! events that are merely counted. A report can be asked for at any time.
//!
//! ```
//! use std::path::Path;
//! use oblige_data::{Event, EventOrigin, Registry, Unit};
//! use oblige_eval::{EvalOptions, Evaluator};
//! use oblige_report::model::Status;
//!
//! let text = r#"
//!     plan "Example" { effective 2023-01-01..2023-12-31 }
//!     class county { }
//!     event inspection { }
//!     rule quarterly { article 1 for each county require at least 1 inspection per quarter }
//! "#;
//! let loader: oblige_syntax::MapLoader = [("plan.rule", text)].into_iter().collect();
//! let loaded = oblige_syntax::load_with(&loader, Path::new("plan.rule"));
//! let plan = oblige_check::check(loaded.sources, &loaded.units).plan.unwrap();
//! let county = Unit::builder("c1").class("county").build();
//! let registry = Registry::from_units(vec![county]).unwrap();
//!
//! let mut eval = Evaluator::new(&plan, &registry, EvalOptions::default());
//! eval.push(&Event {
//!     id: "e1".into(),
//!     origin: EventOrigin { file: "log".into(), line: 1 },
//!     time: "2023-02-01T09:00:00+08:00".parse().unwrap(),
//!     kind: "inspection".into(),
//!     actor: "c1".into(),
//!     target: None,
//!     recorded_at: None,
//!     attrs: Default::default(),
//! });
//! let report = eval.report();
//! assert_eq!(report.results[0].period.label, "2023-Q1");
//! assert_eq!(report.results[0].status, Status::Met);
//! assert_eq!(report.results[1].status, Status::Violated);
//! ```
//!
//! The semantics are described in `docs/semantics.md`.

mod calendar;
mod collect;
mod consequence;
mod count;
mod evidence;
mod fanout;
mod hold;
mod in_order;
mod inputs;
mod matching;
mod options;
mod order;
mod pairing;
mod parts;
mod periods;
mod pred;
mod record;
mod report;
mod response;
mod rows;
mod rule_info;
mod setup;
mod shared_tallies;
mod summary;
mod tally;

use std::borrow::Borrow;
use std::sync::Arc;

use oblige_check::model::Plan;
use oblige_data::{Event, Registry};
use oblige_report::model::{Report, ReportHead, ReportTail, ResultRow};

pub use options::EvalOptions;
pub use report::Parallel;

/// Checks events against a plan, streaming.
pub struct Evaluator<'a> {
    /// Shared by the evaluators [`Evaluator::fork`] makes: it is derived once per plan,
    /// registry and options, and costs as much as reading many events at 500 000 units.
    setup: Arc<setup::Setup<'a>>,
    data: collect::Collected,
}

impl<'a> Evaluator<'a> {
    /// An evaluator of `plan` over the units of `registry`.
    pub fn new(plan: &'a Plan, registry: &'a Registry, options: EvalOptions) -> Self {
        Evaluator {
            setup: Arc::new(setup::Setup::new(plan, registry, options)),
            data: collect::Collected::default(),
        }
    }

    /// An evaluator of the same plan, registry and options that has read nothing yet, for
    /// another reader of the same log (see [`Evaluator::merge`]). Cheaper than
    /// [`Evaluator::new`]: what was derived from the plan and registry is shared.
    #[must_use]
    pub fn fork(&self) -> Self {
        Evaluator {
            setup: Arc::clone(&self.setup),
            data: collect::Collected::default(),
        }
    }

    /// Like [`Evaluator::fork`], but counting into this evaluator's tallies as it reads, so that
    /// readers of one log on several threads hold the tallies of counting duties (most of an
    /// evaluator's memory) once. The rest of what it reads (responses, states, accounting) is
    /// added by [`Evaluator::merge`], which must follow: until then this evaluator's report
    /// counts events the other has read and lacks the rest. Its counts stay in the shared
    /// tallies even if it is dropped unmerged.
    ///
    /// This evaluator's own tallies become shared ones at the first call: counting an event
    /// then takes an atomic addition, and the lock of the tally's page if the event may enter
    /// the evidence, which an evaluator that reads alone does without.
    #[must_use]
    pub fn fork_shared(&mut self) -> Self {
        Evaluator {
            setup: Arc::clone(&self.setup),
            data: collect::Collected::counting_into(self.data.tallies.share()),
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
        self.data.merge(other.data);
    }

    /// The report of the events read so far, as of the options' instant.
    pub fn report(&self) -> Report {
        self.report_with(Parallel::default())
    }

    /// [`Evaluator::report`], its rows built as `parallel` says. The same report whatever the
    /// threads.
    pub fn report_with(&self, parallel: Parallel) -> Report {
        let mut results = Vec::new();
        let tail = self.report_parts(parallel, &collect_rows, &mut |rows| results.extend(rows));
        Report::from_parts(self.report_head(), results, tail)
    }

    /// What [`Evaluator::report`] says before its rows.
    pub fn report_head(&self) -> ReportHead {
        report::head(&self.setup)
    }

    /// The rows [`Evaluator::report`] lists, given to `emit` one by one in the same order, and
    /// what follows them. The report is never held whole (a part of about a thousand rows at
    /// a time, and a response duty's trigger rows while its parts are built), so it can be
    /// written as it is produced (see `oblige_report::render::json_stream`).
    pub fn report_rows(&self, emit: &mut dyn FnMut(ResultRow)) -> ReportTail {
        let mut emit_each = |rows: Vec<ResultRow>| rows.into_iter().for_each(&mut *emit);
        self.report_parts(Parallel::default(), &collect_rows, &mut emit_each)
    }

    /// The rows [`Evaluator::report`] lists, built in parts on `parallel.threads` threads:
    /// each part's rows are folded into a `C` on the thread that built them (serialized there,
    /// say), and the parts are given to `emit` in report order; then what follows the rows.
    /// Parts are a few hundred rows (`parallel.part_rows`) and only a few per thread wait to
    /// be given, so memory stays small whatever the report's size. Each row is lent to `fold`:
    /// a row is built in the place of the one before, so that building it allocates nothing;
    /// a fold that keeps rows clones them.
    pub fn report_parts<C: Default + Send>(
        &self,
        parallel: Parallel,
        fold: &(dyn Fn(&mut C, &ResultRow) + Sync),
        emit: &mut dyn FnMut(C),
    ) -> ReportTail {
        report::stream(&self.setup, &self.data, parallel, fold, emit)
    }
}

/// Keeps a copy: rows are built in a row refreshed for each, and lent to the fold.
fn collect_rows(rows: &mut Vec<ResultRow>, row: &ResultRow) {
    rows.push(row.clone());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evaluators_can_be_sent_to_reader_threads() {
        fn send<T: Send + Sync>() {}
        send::<Evaluator<'static>>();
    }
}
