//! `oblige check`: parse and check plans, print every diagnostic.

use crate::args::{CheckArgs, ErrorFormat};
use crate::output::{self, Status};
use oblige::{render_human, render_json, CheckOutcome, Severity};

/// Checks each plan path; exit 1 when any has errors (or warnings with `--deny-warnings`).
pub fn run(args: &CheckArgs) -> Status {
    let outcomes: Vec<CheckOutcome> = args.paths.iter().map(oblige::check_path).collect();
    match args.error_format {
        ErrorFormat::Human => print_human(&outcomes),
        ErrorFormat::Json => print_json(&outcomes),
    }
    let failing = |s: Severity| s == Severity::Error || args.deny_warnings;
    let failed = outcomes
        .iter()
        .flat_map(|o| &o.diagnostics)
        .any(|d| failing(d.severity));
    if failed {
        Status::Failed
    } else {
        Status::Ok
    }
}

fn print_human(outcomes: &[CheckOutcome]) {
    let (mut errors, mut warnings) = (0, 0);
    for outcome in outcomes {
        for d in &outcome.diagnostics {
            output::err(&render_human(&outcome.sources, d));
            output::err("\n");
            match d.severity {
                Severity::Error => errors += 1,
                Severity::Warning => warnings += 1,
            }
        }
    }
    let files: usize = outcomes.iter().map(|o| o.sources.iter().count()).sum();
    let rules: usize = outcomes
        .iter()
        .filter_map(|o| o.plan.as_ref())
        .map(|p| p.rules.len())
        .sum();
    let verdict = if errors == 0 { "ok" } else { "failed" };
    output::err(&format!(
        "check {verdict}: {files} file(s), {rules} rule(s), {errors} error(s), {warnings} warning(s)\n"
    ));
}

fn print_json(outcomes: &[CheckOutcome]) {
    let all: Vec<_> = outcomes
        .iter()
        .flat_map(|o| o.diagnostics.iter().map(|d| render_json(&o.sources, d)))
        .collect();
    let text = serde_json::to_string_pretty(&all).unwrap_or_else(|_| "[]".to_owned());
    output::out(&format!("{text}\n"));
}
