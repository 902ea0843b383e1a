//! Checks a parsed plan: resolves every name, types every predicate, and rejects impossible rules.
//!
//! The result is a [`model::Plan`] that the evaluator can run without further checks.

pub mod model;
