//! The evaluator's input data: the registry of units and the event log, and readers for both.

pub mod types;

pub use types::{Event, EventOrigin, Registry, Unit};
