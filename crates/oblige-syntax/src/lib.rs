//! The oblige rule language: the pest grammar in `grammar/oblige.pest`, the AST, and the parser.
//!
//! pest types never leave this crate: callers get an [`ast::SourceUnit`] and [`Diagnostic`]s.

pub mod ast;

pub use oblige_diagnostics::{Diagnostic, FileId, SourceMap, Span};
