//! oblige: state countable, time-bound duties as `.rule` files and check event logs against them.
//!
//! This crate is the small, stable surface for Rust services. A typical embedding:
//!
//! ```
//! use oblige::{EvalOptions, Evaluator, Unit};
//!
//! let plan = oblige::plan_from_str(
//!     "plan.rule",
//!     r#"
//! plan "demo" { effective 2023-01-01 .. 2023-12-31 }
//! class department {}
//! event meeting {}
//! rule meetings "one meeting per half-year" {
//!   article 3
//!   quote "each member unit holds at least one meeting per half-year"
//!   for each department
//!   require at least 1 meeting per half-year
//! }
//! "#,
//! )?;
//!
//! // Units come from the service's own data, not only from files.
//! let registry = oblige::registry_from_units(
//!     &plan,
//!     vec![Unit::builder("d1").name("Emergency bureau").class("department").build()],
//! )?;
//!
//! let mut evaluator = Evaluator::new(&plan, &registry, EvalOptions::default());
//! let events = oblige::read_events_str(
//!     &plan,
//!     "events.jsonl",
//!     r#"{"id":"e1","time":"2023-03-01T09:00:00+08:00","kind":"meeting","actor":"d1"}"#,
//! )?;
//! evaluator.extend(&events);
//!
//! let report = evaluator.report();
//! let statuses: Vec<_> = report.results.iter().map(|r| (r.period.label.as_str(), r.status)).collect();
//! assert_eq!(
//!     statuses,
//!     [("2023-H1", oblige::Status::Met), ("2023-H2", oblige::Status::Violated)]
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
mod plan;
mod read;
mod trace;

pub use error::{DataErrors, PlanError};
pub use plan::{check_path, check_with, plan_from_str, plan_from_strings, CheckOutcome};
pub use read::{read_events_str, registry_from_units};
pub use trace::{
    trace, trace_in, traceability_markdown, ArticleTrace, NotCheckable, Noted, QuoteNotFound,
    TraceError, Traceability, TracedRule,
};

pub use oblige_check::model::{self, Plan};
pub use oblige_data::{
    read_events_file, read_registry, read_registry_file, read_registry_file_threads,
    split_events_file, split_events_file_uncounted, Chunk, DataError, Event, EventOrigin,
    EventReader, Format, ReadOptions, Registry, SeenIds, SkipSummary, Split, Unit, UnitAttrs,
    UnitBuilder,
};
pub use oblige_diagnostics::{
    did_you_mean, render_human, render_json, Diagnostic, Severity, SourceMap,
};
pub use oblige_eval::{EvalOptions, Evaluator, Parallel};
pub use oblige_fmt::{format_source, Lang};
pub use oblige_report::{self as report, Report, ResultRow, Status};
pub use oblige_syntax::{load_with, MapLoader, SourceLoader};

/// The README's Rust examples, compiled and run as doctests so they never go stale.
#[doc = include_str!("../../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
