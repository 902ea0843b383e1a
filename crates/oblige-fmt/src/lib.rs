//! The oblige formatter: canonical layout of `.rule` files in English or Chinese keywords.
//!
//! [`format_unit`] prints a parsed file; [`format_source`] parses and prints. The output keeps
//! every comment, parses back to the same tree ([`same_meaning`]), and printing it again changes
//! nothing. Between any two words there is a space, because keywords are whole words: that is
//! what makes a Chinese-keyword file unambiguous.

mod comments;
mod meaning;
mod printer;

pub use meaning::same_meaning;
pub use oblige_syntax::ast::Lang;

use oblige_diagnostics::{has_errors, Diagnostic, FileId};
use oblige_syntax::ast::SourceUnit;

/// The canonical text of `unit` in keyword set `lang`; `source` is the text it was parsed from,
/// used to put comments back where they were written.
pub fn format_unit(unit: &SourceUnit, source: &str, lang: Lang) -> String {
    let lines = printer::print_lines(unit, lang);
    comments::weave(&lines, &unit.comments, source)
}

/// Parses `text` and prints it canonically, in `lang` or, with `None`, in the file's own keyword
/// set. A file with syntax errors is not formatted: its diagnostics are returned instead.
pub fn format_source(
    file: FileId,
    text: &str,
    lang: Option<Lang>,
) -> Result<String, Vec<Diagnostic>> {
    let parsed = oblige_syntax::parse(file, text);
    if has_errors(&parsed.diagnostics) {
        return Err(parsed.diagnostics);
    }
    let lang = lang.unwrap_or(parsed.unit.lang);
    Ok(format_unit(&parsed.unit, text, lang))
}
