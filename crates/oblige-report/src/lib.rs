//! The oblige report: serde types of the verdicts ([`model`]) and renderers ([`render`]).

pub mod model;
pub mod render;

pub use model::{Report, ResultRow, Status, SCHEMA_VERSION};
