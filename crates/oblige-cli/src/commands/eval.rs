//! `oblige eval`: evaluate event logs against a plan and print the report.

use crate::args::{EvalArgs, FailOn, ReportFormat};
use crate::output::{self, Status};
use crate::pipeline::{evaluate_reading, Inputs, Reading};
use oblige::report::render::{self, Format};
use oblige::Report;

/// Evaluates and renders; exit 1 when something failed and `--fail-on violated`.
pub fn run(args: &EvalArgs) -> Status {
    let mut reading = Reading {
        check_ids: !args.no_id_check,
        ..Reading::default()
    };
    if let Some(threads) = args.threads {
        reading.threads = usize::from(threads);
    }
    let Ok((_, report)) = evaluate_reading(&Inputs::from(&args.input), reading) else {
        return Status::BadInput;
    };
    let text = match render_report(&report, args.format, args.all) {
        Ok(text) => text,
        Err(e) => {
            output::error(format!("cannot render the report: {e}"));
            return Status::BadInput;
        }
    };
    if let Err(status) = write_output(args.output.as_deref(), &text) {
        return status;
    }
    let failed = report.results.iter().any(|r| r.status.is_failure());
    match (args.fail_on, failed) {
        (FailOn::Violated, true) => Status::Failed,
        _ => Status::Ok,
    }
}

/// Renders `report` in the chosen format.
pub fn render_report(report: &Report, format: ReportFormat, all: bool) -> std::io::Result<String> {
    let format = match format {
        ReportFormat::Table if all => Format::TableAll,
        ReportFormat::Table => Format::Table,
        ReportFormat::Json => Format::Json,
        ReportFormat::Markdown => Format::Markdown,
        ReportFormat::Csv => Format::Csv,
        ReportFormat::Junit => Format::Junit,
    };
    render::render_to_string(report, format)
}

fn write_output(path: Option<&std::path::Path>, text: &str) -> Result<(), Status> {
    match path {
        None => {
            output::out(text);
            Ok(())
        }
        Some(path) => std::fs::write(path, text).map_err(|e| {
            output::error(format!("cannot write `{}`: {e}", path.display()));
            Status::BadInput
        }),
    }
}
