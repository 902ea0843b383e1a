//! Rendering of diagnostics: rustc-style text for people, JSON for machines.
//!
//! Carets are placed by display width (a CJK character takes two columns) while reported columns
//! count characters, which is what editors expect.

use crate::{Diagnostic, LineCol, Severity, SourceMap, Span};
use serde::Serialize;
use std::fmt::Write as _;
use unicode_width::UnicodeWidthStr;

/// Renders one diagnostic in the style of rustc: header, `--> file:line:col`, the source line,
/// carets under the span, related labels and the help line. Ends with a newline.
pub fn render_human(sources: &SourceMap, diagnostic: &Diagnostic) -> String {
    let mut out = String::new();
    let kind = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let _ = writeln!(out, "{kind}[{}]: {}", diagnostic.code, diagnostic.message);
    let gutter = gutter_width(sources, diagnostic);
    write_snippet(
        &mut out,
        sources,
        diagnostic.span,
        diagnostic.label.as_deref(),
        gutter,
        '^',
    );
    for related in &diagnostic.related {
        write_snippet(
            &mut out,
            sources,
            related.span,
            Some(&related.message),
            gutter,
            '-',
        );
    }
    if let Some(help) = &diagnostic.help {
        let _ = writeln!(out, "{:gutter$} = help: {help}", "");
    }
    out
}

fn gutter_width(sources: &SourceMap, diagnostic: &Diagnostic) -> usize {
    std::iter::once(diagnostic.span)
        .chain(diagnostic.related.iter().map(|l| l.span))
        .map(|s| sources.line_col(s).line.to_string().len())
        .max()
        .unwrap_or(1)
}

fn write_snippet(
    out: &mut String,
    sources: &SourceMap,
    span: Span,
    label: Option<&str>,
    gutter: usize,
    marker: char,
) {
    let Some(file) = sources.get(span.file) else {
        return;
    };
    let LineCol { line, column } = file.line_col(span.start as usize);
    let _ = writeln!(out, "{:gutter$}--> {}:{line}:{column}", "", file.name);
    if file.text.is_empty() {
        // A file that could not be read has no line to show.
        return;
    }
    let text = file.line_text(line);
    let before: String = text.chars().take(column - 1).collect();
    let covered = covered_on_line(sources, span, text, column);
    let indent = UnicodeWidthStr::width(before.as_str());
    let width = UnicodeWidthStr::width(covered.as_str()).max(1);
    let shown = text.replace('\t', " ");
    let _ = writeln!(out, "{:gutter$} |", "");
    let _ = writeln!(out, "{line:>gutter$} | {shown}");
    let marks: String = std::iter::repeat_n(marker, width).collect();
    let label = label.map(|l| format!(" {l}")).unwrap_or_default();
    let _ = writeln!(out, "{:gutter$} | {:indent$}{marks}{label}", "", "");
}

/// The part of `span` that lies on the line where it starts.
fn covered_on_line(sources: &SourceMap, span: Span, line_text: &str, column: usize) -> String {
    let snippet = sources.snippet(span);
    let first_line = snippet.split('\n').next().unwrap_or("");
    let rest_of_line: String = line_text.chars().skip(column - 1).collect();
    let n = first_line.chars().count().min(rest_of_line.chars().count());
    rest_of_line.chars().take(n).collect()
}

/// The machine-readable form of a diagnostic: every position both in characters and in bytes.
#[derive(Clone, Debug, Serialize)]
pub struct JsonDiagnostic {
    /// Stable code.
    pub code: String,
    /// `error` or `warning`.
    pub severity: Severity,
    /// The message.
    pub message: String,
    /// File name as given.
    pub file: String,
    /// 1-based line of the start.
    pub line: usize,
    /// 1-based column of the start, in characters.
    pub column: usize,
    /// 1-based line of the end.
    pub end_line: usize,
    /// 1-based column of the end (exclusive), in characters.
    pub end_column: usize,
    /// Byte offset of the start.
    pub byte_start: u32,
    /// Byte offset of the end (exclusive).
    pub byte_end: u32,
    /// Caret text.
    pub label: Option<String>,
    /// Help text.
    pub help: Option<String>,
}

/// Converts a diagnostic to its JSON form.
pub fn render_json(sources: &SourceMap, diagnostic: &Diagnostic) -> JsonDiagnostic {
    let span = diagnostic.span;
    let file = sources.get(span.file);
    let start = file.map_or(LineCol { line: 1, column: 1 }, |f| {
        f.line_col(span.start as usize)
    });
    let end = file.map_or(start, |f| f.line_col(span.end as usize));
    JsonDiagnostic {
        code: diagnostic.code.0.to_owned(),
        severity: diagnostic.severity,
        message: diagnostic.message.clone(),
        file: file.map(|f| f.name.clone()).unwrap_or_default(),
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
        byte_start: span.start,
        byte_end: span.end,
        label: diagnostic.label.clone(),
        help: diagnostic.help.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Code;

    #[test]
    fn carets_align_under_chinese_text() {
        let mut sources = SourceMap::new();
        let text = "规则 甲 { 要求 至少 1 次 会意 每半年 }";
        let file = sources.add("a.rule", text);
        let start = text.find("会意").unwrap_or(0);
        let span = Span::new(file, start, start + "会意".len());
        let d = Diagnostic::error(Code("E0000"), span, "unknown event kind `会意`")
            .with_label("not declared")
            .with_help("did you mean `会议`?");
        let rendered = render_human(&sources, &d);
        assert_eq!(
            rendered,
            "error[E0000]: unknown event kind `会意`\n \
             --> a.rule:1:18\n  \
             |\n\
             1 | 规则 甲 { 要求 至少 1 次 会意 每半年 }\n  \
             |                          ^^^^ not declared\n  \
             = help: did you mean `会议`?\n"
        );
        let json = render_json(&sources, &d);
        assert_eq!((json.line, json.column, json.end_column), (1, 18, 20));
    }
}
