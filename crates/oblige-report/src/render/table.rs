//! The terminal table: one line per result, columns aligned by display width (a CJK character
//! takes two columns), and a summary at the bottom, for a person reading a terminal.

use std::fmt::Write as _;
use std::io::Write;

use unicode_width::UnicodeWidthStr;

use crate::model::{Cmp, DutyKind, Report, ResultRow, Status, StatusCounts};

const HEADERS: [&str; 6] = ["rule", "subject", "period", "status", "count", "detail"];

/// Writes `report` as an aligned text table of every result, with a summary.
pub fn write(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    out.write_all(to_string(report).as_bytes())
}

/// Writes only the results that need attention (failures and open periods at risk), with the
/// full summary: what a person wants from a report of thousands of verdicts.
pub fn write_attention(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    out.write_all(render(report, needs_attention).as_bytes())
}

/// `report` as an aligned text table with a summary.
pub fn to_string(report: &Report) -> String {
    render(report, |_| true)
}

fn needs_attention(row: &ResultRow) -> bool {
    row.status.is_failure() || row.at_risk
}

fn render(report: &Report, keep: fn(&ResultRow) -> bool) -> String {
    let mut s = String::new();
    heading(&mut s, report);
    let rows: Vec<[String; 6]> = report
        .results
        .iter()
        .filter(|r| keep(r))
        .map(cells)
        .collect();
    if rows.is_empty() {
        s.push_str("no results\n");
    } else {
        grid(&mut s, &rows);
    }
    let hidden = report.results.len() - rows.len();
    if hidden > 0 {
        let _ = writeln!(
            s,
            "({hidden} of {} verdicts need no attention and are not listed; `--all` lists them)",
            report.results.len()
        );
    }
    s.push('\n');
    summary(&mut s, report);
    s
}

fn heading(s: &mut String, report: &Report) {
    let _ = writeln!(s, "{}", report.plan.title);
    let _ = writeln!(
        s,
        "days {} to {}, as of {} ({})",
        report.range.from,
        report.range.to,
        report.as_of.format("%Y-%m-%d %H:%M"),
        report.plan.timezone
    );
    s.push('\n');
}

/// The cells of one result, in [`HEADERS`] order.
fn cells(row: &ResultRow) -> [String; 6] {
    [
        row.rule.clone(),
        format!("{} ({})", row.subject.name, row.subject.id),
        row.period.label.clone(),
        status_label(row.status).to_owned(),
        count_text(row),
        detail(row),
    ]
}

fn grid(s: &mut String, rows: &[[String; 6]]) {
    let mut widths = HEADERS.map(UnicodeWidthStr::width);
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.width());
        }
    }
    line(s, &HEADERS.map(str::to_owned), &widths);
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    let _ = writeln!(s, "{}", rule.join("  "));
    for row in rows {
        line(s, row, &widths);
    }
}

fn line(s: &mut String, cells: &[String; 6], widths: &[usize; 6]) {
    let mut text = String::new();
    for (i, (cell, width)) in cells.iter().zip(widths).enumerate() {
        if i > 0 {
            text.push_str("  ");
        }
        text.push_str(cell);
        text.push_str(&" ".repeat(width.saturating_sub(cell.width())));
    }
    let _ = writeln!(s, "{}", text.trim_end());
}

/// The status as shown to people: failures stand out in capitals.
pub(crate) fn status_label(status: Status) -> &'static str {
    match status {
        Status::Met => "met",
        Status::Violated => "VIOLATED",
        Status::Open => "open",
        Status::NotApplicable => "n/a",
        Status::Exempt => "exempt",
        Status::Late => "LATE",
        Status::Missing => "MISSING",
    }
}

/// What the row's count means for its duty: `2 of ≥ 3` events, `212 days held`, or nothing for
/// responses (where it is only 0 or 1, and the status says it better).
pub(crate) fn count_text(row: &ResultRow) -> String {
    match (row.duty, row.required) {
        (DutyKind::Response, _) => String::new(),
        (DutyKind::Hold, _) => format!("{} days held", row.count),
        (DutyKind::Consequence, _) => format!("{} causes", row.count),
        (_, Some(required)) if required.cmp == Cmp::Never => {
            format!("{} (none allowed)", row.count)
        }
        (_, Some(required)) => format!(
            "{} of {}",
            row.count,
            required_text(required.cmp, required.amount)
        ),
        (_, None) => row.count.to_string(),
    }
}

pub(crate) fn required_text(cmp: Cmp, amount: u64) -> String {
    match cmp {
        Cmp::AtLeast => format!("≥ {amount}"),
        Cmp::AtMost => format!("≤ {amount}"),
        Cmp::Exactly => format!("= {amount}"),
        Cmp::Never => "none".to_owned(),
    }
}

/// What explains the verdict, in a few words.
pub(crate) fn detail(row: &ResultRow) -> String {
    let e = &row.evidence;
    let mut parts = Vec::new();
    if row.at_risk {
        parts.push("at risk".to_owned());
    }
    if let Some(reason) = &row.exemption {
        parts.push(format!("exempt: {reason}"));
    }
    if let Some(deadline) = e.deadline {
        parts.push(format!("deadline {}", deadline.format("%Y-%m-%d %H:%M")));
    }
    if let (Some(response), Some(at)) = (&e.response, e.responded_at) {
        parts.push(format!(
            "answered by {response} at {}",
            at.format("%Y-%m-%d %H:%M")
        ));
    } else if let Some(at) = e.responded_at {
        parts.push(format!("recorded at {}", at.format("%Y-%m-%d %H:%M")));
    }
    if let Some(minutes) = e.delay_minutes {
        parts.push(format!("{} late", duration_text(minutes)));
    }
    if let Some(day) = e.first_gap {
        parts.push(format!("first gap {day}"));
    }
    for v in &e.violations {
        parts.push(format!("{} {} {}", v.rule, v.period, v.status.as_str()));
    }
    parts.join("; ")
}

/// `1d 2h 5m`, leaving out zero parts.
/// A ratio as a percentage rounded down to one decimal, so 496 of 498 never shows as 100%.
fn percent_floor(ratio: f64) -> String {
    format!("{:.1}%", (ratio * 1000.0).floor() / 10.0)
}

pub(crate) fn duration_text(minutes: i64) -> String {
    let (days, hours, mins) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    let parts: Vec<String> = [(days, "d"), (hours, "h"), (mins, "m")]
        .iter()
        .filter(|(n, _)| *n != 0)
        .map(|(n, unit)| format!("{n}{unit}"))
        .collect();
    if parts.is_empty() {
        "0m".to_owned()
    } else {
        parts.join(" ")
    }
}

/// `3 met, 1 violated` — statuses with a count, in [`Status::ALL`] order.
pub(crate) fn counts_text(counts: &StatusCounts) -> String {
    let parts: Vec<String> = Status::ALL
        .iter()
        .filter(|&&st| counts.get(st) > 0)
        .map(|&st| format!("{} {}", counts.get(st), st.as_str()))
        .collect();
    if parts.is_empty() {
        "none".to_owned()
    } else {
        parts.join(", ")
    }
}

fn summary(s: &mut String, report: &Report) {
    let total = &report.summary.total;
    let _ = writeln!(s, "{} results: {}", total.total(), counts_text(total));
    let failing: Vec<String> = report
        .summary
        .by_rule
        .iter()
        .filter(|(_, c)| c.failures() > 0)
        .map(|(rule, c)| format!("{rule} {}", c.failures()))
        .collect();
    if !failing.is_empty() {
        let _ = writeln!(s, "failures by rule: {}", failing.join(", "));
    }
    for c in &report.coverage {
        let ratio = c.ratio.map_or_else(|| "-".to_owned(), percent_floor);
        let _ = writeln!(
            s,
            "coverage {} {}: {} of {} ({ratio})",
            c.rule, c.period.label, c.covered, c.total
        );
    }
    for f in &report.findings {
        let _ = writeln!(
            s,
            "finding {}: {} ({}) over {}, by {}",
            f.finding, f.subject.name, f.subject.id, f.period.label, f.because.rule
        );
    }
    inputs(s, report);
}

fn inputs(s: &mut String, report: &Report) {
    let i = &report.inputs;
    let _ = write!(
        s,
        "events: {} read, {} used, {} unmatched, {} ignored",
        i.events_read, i.events_used, i.events_unmatched, i.events_ignored
    );
    if !i.ignored_by_reason.is_empty() {
        let reasons: Vec<String> = i
            .ignored_by_reason
            .iter()
            .map(|(reason, ig)| format!("{reason} {}", ig.count))
            .collect();
        let _ = write!(s, " ({})", reasons.join(", "));
    }
    if i.skipped_lines > 0 {
        let _ = write!(s, "; bad input lines skipped: {}", i.skipped_lines);
    }
    s.push('\n');
}

#[cfg(test)]
pub(crate) mod sample;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_by_display_width() {
        let text = to_string(&sample::report());
        insta::assert_snapshot!(text);
        let lines: Vec<&str> = text.lines().skip(3).take(3).collect();
        let status_at = |l: &str| l.find("status").or_else(|| l.find("---")).map(|_| ());
        assert!(status_at(lines[0]).is_some());
        // Every data line puts the period column at the same display column as the header.
        let column = |l: &str, word: &str| l.find(word).map(|i| l[..i].width());
        let header = column(lines[0], "period");
        assert_eq!(column(lines[2], "2023-Q3"), header);
    }

    #[test]
    fn durations_leave_out_zero_parts() {
        assert_eq!(duration_text(95), "1h 35m");
        assert_eq!(duration_text(1440), "1d");
        assert_eq!(duration_text(0), "0m");
    }
}
