//! The oblige report: serde types of the verdicts ([`model`]) and renderers ([`render`]).

pub mod model;
pub mod render;
#[cfg(any(test, feature = "schema"))]
pub mod schema;
mod timestamp;

pub use model::{Report, ResultRow, Status, SCHEMA_VERSION};
