//! The Markdown report: a heading, the results as a table, and the summary as tables, for
//! pasting into an issue, a wiki or a document.

use std::fmt::Write as _;
use std::io::Write;

use super::table::{count_text, counts_text, detail};
use crate::model::{Report, Status};

/// Writes `report` as Markdown.
pub fn write(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    out.write_all(to_string(report).as_bytes())
}

/// `report` as Markdown.
pub fn to_string(report: &Report) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# {}\n", escape(&report.plan.title));
    if let Some(source) = &report.plan.source {
        let _ = writeln!(s, "- source: {}", escape(source));
    }
    let _ = writeln!(s, "- days: {} to {}", report.range.from, report.range.to);
    let _ = writeln!(
        s,
        "- as of: {} ({})",
        report.as_of.format("%Y-%m-%d %H:%M"),
        report.plan.timezone
    );
    let _ = writeln!(s, "- results: {}\n", counts_text(&report.summary.total));
    results(&mut s, report);
    by_rule(&mut s, report);
    coverage(&mut s, report);
    findings(&mut s, report);
    inputs(&mut s, report);
    s
}

fn results(s: &mut String, report: &Report) {
    s.push_str("## Results\n\n");
    if report.results.is_empty() {
        s.push_str("No results.\n\n");
        return;
    }
    s.push_str("| rule | subject | period | status | count | detail |\n");
    s.push_str("|---|---|---|---|---:|---|\n");
    let rules = report.plan.rule_index();
    for row in &report.results {
        let rule = super::rule_heading(&row.rule, rules.get(&row.rule));
        let status = if row.status.is_failure() {
            format!("**{}**", row.status.as_str())
        } else {
            row.status.as_str().to_owned()
        };
        let cells = [
            escape(&rule),
            escape(&format!("{} ({})", row.subject.name, row.subject.id)),
            escape(&row.period.label),
            status,
            escape(&count_text(row)),
            escape(&detail(row)),
        ];
        let _ = writeln!(s, "| {} |", cells.join(" | "));
    }
    s.push('\n');
}

fn by_rule(s: &mut String, report: &Report) {
    if report.summary.by_rule.is_empty() {
        return;
    }
    s.push_str("## By rule\n\n| rule |");
    for st in Status::ALL {
        let _ = write!(s, " {} |", st.as_str());
    }
    s.push_str("\n|---|");
    s.push_str(&"---:|".repeat(Status::ALL.len()));
    s.push('\n');
    for (rule, counts) in &report.summary.by_rule {
        let _ = write!(s, "| {} |", escape(rule));
        for st in Status::ALL {
            let _ = write!(s, " {} |", counts.get(st));
        }
        s.push('\n');
    }
    s.push('\n');
}

fn coverage(s: &mut String, report: &Report) {
    if report.coverage.is_empty() {
        return;
    }
    s.push_str("## Coverage\n\n| rule | period | covered | total | ratio | uncovered |\n|---|---|---:|---:|---:|---|\n");
    for c in &report.coverage {
        let ratio = c
            .ratio
            .map_or_else(|| "-".to_owned(), |r| format!("{:.1}%", r * 100.0));
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {ratio} | {} |",
            escape(&c.rule),
            escape(&c.period.label),
            c.covered,
            c.total,
            escape(&c.uncovered.join(", "))
        );
    }
    s.push('\n');
}

fn findings(s: &mut String, report: &Report) {
    if report.findings.is_empty() {
        return;
    }
    s.push_str("## Findings\n\n| finding | subject | period | rule |\n|---|---|---|---|\n");
    for f in &report.findings {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} |",
            escape(&f.finding),
            escape(&format!("{} ({})", f.subject.name, f.subject.id)),
            escape(&f.period.label),
            escape(&f.because.rule)
        );
    }
    s.push('\n');
}

fn inputs(s: &mut String, report: &Report) {
    let i = &report.inputs;
    s.push_str("## Events\n\n");
    let _ = writeln!(
        s,
        "{} read, {} used, {} unmatched, {} ignored.",
        i.events_read, i.events_used, i.events_unmatched, i.events_ignored
    );
    for (reason, ignored) in &i.ignored_by_reason {
        let _ = writeln!(
            s,
            "- ignored, {}: {} (e.g. {})",
            escape(reason),
            ignored.count,
            escape(&ignored.examples.join(", "))
        );
    }
    if i.skipped_lines > 0 {
        let _ = writeln!(s, "- bad input lines skipped: {}", i.skipped_lines);
    }
}

/// Escapes what Markdown would read as markup inside a table cell or a line of text.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' | '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_the_sample() {
        insta::assert_snapshot!(to_string(&super::super::table::sample::report()));
    }

    #[test]
    fn escapes_table_breaking_characters() {
        assert_eq!(escape("a|b\nc <d> *e*"), "a\\|b c \\<d\\> \\*e\\*");
    }
}
