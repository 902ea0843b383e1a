//! The evaluation pipeline shared by `eval`, `explain` and `test`: plan, registry, events, report.

use crate::args::InputArgs;
use crate::output;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use indicatif::{ProgressBar, ProgressStyle};
use oblige::{
    render_human, DataError, EvalOptions, Evaluator, EventReader, Format, Plan, ReadOptions,
    Registry, Report, SkipSummary,
};
use std::io::{BufReader, IsTerminal};
use std::path::{Path, PathBuf};

/// Why a pipeline stopped before producing a report; the details are already on standard error.
#[derive(Debug)]
pub struct Stopped;

/// What to evaluate, with paths and raw option strings as the user gave them.
pub struct Inputs<'a> {
    /// Plan folder or file.
    pub plan: &'a Path,
    /// Registry file.
    pub units: &'a Path,
    /// Event logs.
    pub events: &'a [PathBuf],
    /// `--from`.
    pub from: Option<&'a str>,
    /// `--to`.
    pub to: Option<&'a str>,
    /// `--as-of`.
    pub as_of: Option<&'a str>,
    /// `--at-risk-days`.
    pub at_risk_days: Option<u32>,
    /// `--lenient`.
    pub lenient: bool,
    /// Whether a progress bar may be shown.
    pub progress: bool,
}

impl<'a> From<&'a InputArgs> for Inputs<'a> {
    fn from(args: &'a InputArgs) -> Self {
        Self {
            plan: &args.plan,
            units: &args.units,
            events: &args.events,
            from: args.from.as_deref(),
            to: args.to.as_deref(),
            as_of: args.as_of.as_deref(),
            at_risk_days: args.at_risk_days,
            lenient: args.lenient,
            progress: true,
        }
    }
}

/// Loads and checks the plan, printing its diagnostics (warnings too) on failure.
pub fn load_plan(path: &Path) -> Result<Plan, Stopped> {
    let outcome = oblige::check_path(path);
    if outcome.plan.is_none() {
        for d in &outcome.diagnostics {
            output::err(&render_human(&outcome.sources, d));
            output::err("\n");
        }
        output::error(format!("the plan `{}` has errors", path.display()));
    }
    outcome.plan.ok_or(Stopped)
}

/// Runs the whole pipeline and returns the plan's report.
pub fn evaluate(inputs: &Inputs<'_>) -> Result<(Plan, Report), Stopped> {
    let plan = load_plan(inputs.plan)?;
    let report = evaluate_with(&plan, inputs)?;
    Ok((plan, report))
}

/// Reads the registry and the events and evaluates them against `plan`.
pub fn evaluate_with(plan: &Plan, inputs: &Inputs<'_>) -> Result<Report, Stopped> {
    let options = eval_options(plan, inputs)?;
    let registry = read_registry(plan, inputs.units)?;
    let mut evaluator = Evaluator::new(plan, &registry, options);
    let read = ReadOptions {
        lenient: inputs.lenient,
        ..ReadOptions::default()
    };
    let mut skipped = SkipSummary::default();
    let mut seen = oblige::SeenIds::new();
    let mut errors = 0_usize;
    for path in inputs.events {
        let (file_skips, file_seen) = read_events(
            plan,
            path,
            read,
            seen,
            inputs.progress,
            &mut evaluator,
            &mut errors,
        )?;
        seen = file_seen;
        merge_skips(&mut skipped, file_skips);
    }
    if errors > 0 {
        output::error(format!(
            "{errors} malformed event line(s); fix them or pass `--lenient` to skip them"
        ));
        return Err(Stopped);
    }
    let mut report = evaluator.report();
    report_skips(&mut report, &skipped);
    Ok(report)
}

fn read_registry(plan: &Plan, path: &Path) -> Result<Registry, Stopped> {
    oblige::read_registry_file(path, plan).map_err(|errors| {
        for e in &errors {
            output::err(&format!("{e}\n"));
        }
        output::error(format!(
            "{} error(s) in the registry `{}`",
            errors.len(),
            path.display()
        ));
        Stopped
    })
}

fn read_events(
    plan: &Plan,
    path: &Path,
    options: ReadOptions,
    seen: oblige::SeenIds,
    progress: bool,
    evaluator: &mut Evaluator<'_>,
    errors: &mut usize,
) -> Result<(SkipSummary, oblige::SeenIds), Stopped> {
    let fail = |e: &dyn std::fmt::Display| {
        output::error(e);
        Stopped
    };
    let format = Format::from_path(path).map_err(|e| fail(&e))?;
    let file = std::fs::File::open(path)
        .map_err(|e| fail(&format!("cannot read `{}`: {e}", path.display())))?;
    let bar = progress_bar(progress, &file, path);
    let reader = BufReader::with_capacity(1 << 16, bar.wrap_read(file));
    let name = path.display().to_string();
    let mut events = EventReader::new(reader, format, name, plan, options)
        .map_err(|e| fail(&e))?
        .with_seen_ids(seen);
    for item in events.by_ref() {
        match item {
            Ok(event) => evaluator.push(&event),
            Err(e) => report_line_error(&e, errors),
        }
    }
    bar.finish_and_clear();
    Ok(events.finish())
}

fn report_line_error(error: &DataError, errors: &mut usize) {
    *errors += 1;
    if *errors <= 50 {
        output::err(&format!("{error}\n"));
    } else if *errors == 51 {
        output::err("(further line errors are counted, not shown)\n");
    }
}

fn progress_bar(enabled: bool, file: &std::fs::File, path: &Path) -> ProgressBar {
    if !enabled || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let bar = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template(
        "{msg} [{bar:30}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta})",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(path.display().to_string());
    bar
}

fn merge_skips(total: &mut SkipSummary, more: SkipSummary) {
    total.count += more.count;
    for (reason, n) in more.by_reason {
        *total.by_reason.entry(reason).or_default() += n;
    }
    total.first_examples.extend(more.first_examples);
}

fn report_skips(report: &mut Report, skipped: &SkipSummary) {
    report.inputs.skipped_lines = skipped.count;
    if skipped.count == 0 {
        return;
    }
    let reasons: Vec<String> = skipped
        .by_reason
        .iter()
        .map(|(reason, n)| format!("{n} {reason}"))
        .collect();
    output::err(&format!(
        "warning: skipped {} malformed event line(s): {}\n",
        skipped.count,
        reasons.join(", ")
    ));
    for e in &skipped.first_examples {
        output::err(&format!("  skipped: {e}\n"));
    }
}

fn eval_options(plan: &Plan, inputs: &Inputs<'_>) -> Result<EvalOptions, Stopped> {
    let mut options = EvalOptions {
        from: inputs.from.map(|s| parse_date("--from", s)).transpose()?,
        to: inputs.to.map(|s| parse_date("--to", s)).transpose()?,
        as_of: inputs.as_of.map(|s| parse_as_of(plan, s)).transpose()?,
        ..EvalOptions::default()
    };
    if let Some(days) = inputs.at_risk_days {
        options.at_risk_horizon_days = days;
    }
    Ok(options)
}

fn parse_date(flag: &str, text: &str) -> Result<NaiveDate, Stopped> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
        output::error(format!("`{flag} {text}`: expected a date like 2023-06-30"));
        Stopped
    })
}

/// `--as-of` takes an RFC 3339 time, or a date meaning the end of that day in the plan's zone.
fn parse_as_of(plan: &Plan, text: &str) -> Result<DateTime<Utc>, Stopped> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    let next_midnight = NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.succ_opt())
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .and_then(|t| plan.header.timezone.from_local_datetime(&t).earliest());
    next_midnight.map(|t| t.with_timezone(&Utc)).ok_or_else(|| {
        output::error(format!(
            "`--as-of {text}`: expected a date like 2023-06-20 or a time like 2023-06-20T12:00:00+08:00"
        ));
        Stopped
    })
}
