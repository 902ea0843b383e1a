//! The oblige rule language: the pest grammar in `grammar/oblige.pest`, the AST, the parser and
//! the loader of multi-file plans.
//!
//! pest types never leave this crate: callers get an [`ast::SourceUnit`] and [`Diagnostic`]s.
//! Syntax and loading diagnostics have codes `E0001`–`E0023` (see [`codes`] and
//! `docs/diagnostics.md`); [`keywords::KEYWORDS`] lists every keyword in both languages.
//!
//! ```
//! use oblige_syntax::{ast::Lang, parse, FileId};
//!
//! let parsed = parse(FileId(0), "事件 会议 ｛议题：文本，召开：日期｝\nevent drill { site: text }\n");
//! assert!(parsed.diagnostics.is_empty());
//! assert_eq!(parsed.unit.items.len(), 2);
//! assert_eq!(parsed.unit.lang, Lang::Zh);
//!
//! let broken = parse(FileId(0), "规则甲 ｛｝\nevent drill { site text }\n");
//! let codes: Vec<&str> = broken.diagnostics.iter().map(|d| d.code.0).collect();
//! assert_eq!(codes, ["E0007", "E0001"]);
//! ```

pub mod ast;
pub mod codes;
pub mod keywords;
mod load;
mod parser;
mod scan;

pub use load::{load, load_with, normalize, FsLoader, Loaded, MapLoader, SourceLoader};
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
