//! The evaluator's input data: the registry of units and the event log, and readers for both.
//!
//! Both come as CSV or JSON Lines (see `docs/data.md`). The registry is read whole and checked
//! at once, reporting every error; the event log is streamed, one [`Event`] or one error per
//! line, so a log of any size is read in constant memory (but for the set of seen event ids).

mod error;
pub mod events;
mod format;
mod line_ends;
mod lines;
mod parse;
mod registry;
mod time;
pub mod types;
pub mod unit_attrs;
mod value;

#[cfg(test)]
mod test_plan;

pub use error::{DataError, Location};
pub use events::{
    read_events_file, split as split_events_file, split_uncounted as split_events_file_uncounted,
    Chunk, EventReader, ReadOptions, SeenIds, SkipSummary, Split, EVENT_FIELDS,
};
pub use format::Format;
pub use registry::{
    read_registry, read_registry_file, read_registry_file_threads, validate_registry, UNIT_FIELDS,
};
pub use types::{Event, EventOrigin, Registry, Unit, UnitAttrs, UnitBuilder};
