//! The oblige rule language: the pest grammar in `grammar/oblige.pest`, the AST, the parser and
//! the loader of multi-file plans.
//!
//! pest types never leave this crate: callers get an [`ast::SourceUnit`] and [`Diagnostic`]s.
//! Syntax diagnostics have codes `E0001`–`E0023` (see [`codes`]).

pub mod ast;
pub mod codes;
pub mod keywords;
mod load;
mod parser;
mod scan;

pub use load::{load, load_with, FsLoader, Loaded, MapLoader, SourceLoader};
pub use oblige_diagnostics::{Diagnostic, FileId, SourceMap, Span};

/// The result of parsing one file.
#[derive(Clone, Debug)]
pub struct Parsed {
    /// Every item that parsed; items with syntax errors are left out.
    pub unit: ast::SourceUnit,
    /// Every syntax error of the file, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses the text of one `.rule` file. Never panics; reports all syntax errors of the file.
pub fn parse(file: FileId, text: &str) -> Parsed {
    parser::parse(file, text)
}
