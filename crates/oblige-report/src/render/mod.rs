//! Renderers: each output format writes a [`Report`] to a writer.
//!
//! A new format is a module here, a [`Format`] variant, and an arm in [`render`].

pub mod csv;
pub mod json;
mod json_row;
pub mod json_stream;
mod json_summary;
pub mod junit;
pub mod markdown;
pub mod table;

use std::io::Write;

use crate::model::{Report, RuleInfo};

/// An output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// Pretty JSON, the stable machine-readable form.
    Json,
    /// A terminal table of the verdicts that need attention, with the summary.
    Table,
    /// A terminal table of every verdict, with the summary.
    TableAll,
    /// Markdown sections and tables.
    Markdown,
    /// One CSV row per verdict.
    Csv,
    /// JUnit XML: a test suite per rule.
    Junit,
}

impl Format {
    /// Every format with its command-line name.
    pub const ALL: &'static [(&'static str, Format)] = &[
        ("json", Format::Json),
        ("table", Format::Table),
        ("table-all", Format::TableAll),
        ("markdown", Format::Markdown),
        ("csv", Format::Csv),
        ("junit", Format::Junit),
    ];

    /// The format named `name` on the command line.
    pub fn from_name(name: &str) -> Option<Format> {
        Self::ALL
            .iter()
            .find(|(n, _)| *n == name)
            .map(|&(_, format)| format)
    }

    /// The command-line name.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, f)| *f == self)
            .map_or("json", |&(n, _)| n)
    }
}

/// Writes `report` in `format` to `out`.
pub fn render(report: &Report, format: Format, out: &mut dyn Write) -> std::io::Result<()> {
    match format {
        Format::Json => json::write(report, out),
        Format::Table => table::write_attention(report, out),
        Format::TableAll => table::write(report, out),
        Format::Markdown => markdown::write(report, out),
        Format::Csv => csv::write(report, out),
        Format::Junit => junit::write(report, out),
    }
}

/// Renders `report` in `format` to a string.
pub fn render_to_string(report: &Report, format: Format) -> std::io::Result<String> {
    let mut buf = Vec::new();
    render(report, format, &mut buf)?;
    String::from_utf8(buf).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}

/// `id title`, or the id alone for a rule without a title or missing from the plan.
fn rule_heading(id: &str, rule: Option<&RuleInfo>) -> String {
    match rule.and_then(|r| r.title.as_deref()) {
        Some(title) => format!("{id} {title}"),
        None => id.to_owned(),
    }
}
