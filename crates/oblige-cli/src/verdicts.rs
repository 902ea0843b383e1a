//! A compact, line-per-verdict text of a report: what plan tests compare and diff.
//!
//! One line per result, coverage row and finding, in the report's own deterministic order, so a
//! changed rule shows up as a few changed lines rather than a reshuffled JSON document.

use oblige::report::model::{Cmp, Required};
use oblige::Report;
use std::fmt::Write as _;

/// The verdict lines of `report`.
pub fn verdict_text(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {} · {} .. {} · as of {}",
        report.plan.title,
        report.range.from,
        report.range.to,
        report.as_of.to_rfc3339()
    );
    for r in &report.results {
        let _ = write!(
            out,
            "{} | {} | {} | {} | {}",
            r.rule,
            r.subject.id,
            r.period.label,
            r.status.as_str(),
            count_text(r.count, r.required.as_ref())
        );
        if r.at_risk {
            out.push_str(" | at risk");
        }
        if !r.evidence.events.is_empty() {
            let _ = write!(out, " | {}", r.evidence.events.join(" "));
        }
        out.push('\n');
    }
    for c in &report.coverage {
        let _ = writeln!(
            out,
            "coverage {} | {} | {}/{} covered | uncovered: {}",
            c.rule,
            c.period.label,
            c.covered,
            c.total,
            c.uncovered.join(" ")
        );
    }
    for f in &report.findings {
        let _ = writeln!(
            out,
            "finding {} | {} | {} | because {}",
            f.finding, f.subject.id, f.period.label, f.because.rule
        );
    }
    let i = &report.inputs;
    let _ = writeln!(
        out,
        "events: {} read, {} used, {} ignored, {} skipped",
        i.events_read, i.events_used, i.events_ignored, i.skipped_lines
    );
    out
}

/// `3/≥1`, `0/≤0`, `2/=2`, or just the count when nothing is required.
pub fn count_text(count: u64, required: Option<&Required>) -> String {
    match required {
        None => count.to_string(),
        Some(req) => {
            let op = match req.cmp {
                Cmp::AtLeast => "≥",
                Cmp::AtMost | Cmp::Never => "≤",
                Cmp::Exactly => "=",
            };
            format!("{count}/{op}{}", req.amount)
        }
    }
}
