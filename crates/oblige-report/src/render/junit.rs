//! The JUnit XML report, for CI systems: one `<testsuite>` per rule, one `<testcase>` per
//! subject and period. Violated, late and missing rows are `<failure>`s; open, exempt and not
//! applicable rows are `<skipped>`, so a dashboard counts them apart from passes.

use std::fmt::Write as _;
use std::io::Write;

use indexmap::IndexMap;

use super::table::{count_text, detail};
use crate::model::{Report, ResultRow, RuleInfo, Status};

/// Writes `report` as JUnit XML.
pub fn write(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    out.write_all(to_string(report).as_bytes())
}

/// `report` as JUnit XML.
pub fn to_string(report: &Report) -> String {
    let mut suites: IndexMap<&str, Vec<&ResultRow>> = IndexMap::new();
    for row in &report.results {
        suites.entry(row.rule.as_str()).or_default().push(row);
    }
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let failures = report
        .results
        .iter()
        .filter(|r| r.status.is_failure())
        .count();
    let _ = writeln!(
        s,
        "<testsuites name=\"{}\" tests=\"{}\" failures=\"{failures}\" timestamp=\"{}\">",
        escape(&report.plan.title),
        report.results.len(),
        report.as_of.to_rfc3339()
    );
    for (rule, rows) in &suites {
        suite(&mut s, report.plan.rule(rule), rows);
    }
    s.push_str("</testsuites>\n");
    s
}

fn suite(s: &mut String, rule: Option<&RuleInfo>, rows: &[&ResultRow]) {
    let Some(first) = rows.first() else { return };
    let name = super::rule_heading(&first.rule, rule);
    let failures = rows.iter().filter(|r| r.status.is_failure()).count();
    let skipped = rows.iter().filter(|r| is_skipped(r.status)).count();
    let _ = writeln!(
        s,
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\">",
        escape(&name),
        rows.len()
    );
    for row in rows {
        case(s, row);
    }
    s.push_str("  </testsuite>\n");
}

fn case(s: &mut String, row: &ResultRow) {
    let name = format!(
        "{} ({}) {}",
        row.subject.name, row.subject.id, row.period.label
    );
    let _ = write!(
        s,
        "    <testcase classname=\"{}\" name=\"{}\"",
        escape(&row.rule),
        escape(&name)
    );
    let status = row.status.as_str();
    let text = [count_text(row), detail(row)]
        .into_iter()
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join("; ");
    if row.status.is_failure() {
        let _ = writeln!(
            s,
            ">\n      <failure type=\"{status}\" message=\"{status}\">{}</failure>\n    </testcase>",
            escape(&text)
        );
    } else if is_skipped(row.status) {
        let message = match (&row.exemption, text.is_empty()) {
            (Some(reason), _) => format!("{status}: {reason}"),
            (None, true) => status.to_owned(),
            (None, false) => format!("{status}: {text}"),
        };
        let _ = writeln!(
            s,
            ">\n      <skipped message=\"{}\"/>\n    </testcase>",
            escape(&message)
        );
    } else {
        s.push_str("/>\n");
    }
}

fn is_skipped(status: Status) -> bool {
    matches!(
        status,
        Status::Open | Status::Exempt | Status::NotApplicable
    )
}

/// Escapes text for an XML attribute or element. Characters XML 1.0 cannot hold at all (most
/// control characters) become U+FFFD, since no escape can represent them.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
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
    fn escapes_markup_quotes_and_control_characters() {
        assert_eq!(
            escape("<a href=\"x\">&'\u{1}"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;\u{FFFD}"
        );
        assert_eq!(escape("中文\n"), "中文\n");
    }

    #[test]
    fn counts_suites_failures_and_skips() {
        let text = to_string(&super::super::table::sample::report());
        assert_eq!(text.matches("<testsuite ").count(), 3);
        assert_eq!(text.matches("<testcase ").count(), 8);
        assert_eq!(text.matches("<failure ").count(), 4);
        assert_eq!(text.matches("<skipped ").count(), 3);
    }
}
