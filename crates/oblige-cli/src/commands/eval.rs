//! `oblige eval`: evaluate event logs against a plan and print the report.

use std::io::{BufWriter, IsTerminal, Write};

use crate::args::{EvalArgs, FailOn, ReportFormat};
use crate::output::{self, Status};
use crate::pipeline::{evaluate_reading, evaluate_then, leave_to_exit, load_plan, Inputs, Reading};
use oblige::report::render::json_stream::{JsonRows, JsonWriter};
use oblige::report::render::{self, Format};
use oblige::{Evaluator, Parallel, Report, ResultRow};

/// Evaluates and renders; exit 1 when something failed and `--fail-on violated`.
pub fn run(args: &EvalArgs) -> Status {
    let mut reading = Reading {
        check_ids: !args.no_id_check,
        ends_process: true,
        ..Reading::default()
    };
    if let Some(threads) = args.threads {
        reading.threads = usize::from(threads);
    }
    if args.format == ReportFormat::Json {
        return run_json(args, reading);
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
    leave_to_exit(report, reading.ends_process);
    exit_status(args.fail_on, failed)
}

fn exit_status(fail_on: FailOn, failed: bool) -> Status {
    match (fail_on, failed) {
        (FailOn::Violated, true) => Status::Failed,
        _ => Status::Ok,
    }
}

/// JSON is written row by row as the evaluator produces them, so the report is never held in
/// memory, neither whole nor as text.
fn run_json(args: &EvalArgs, reading: Reading) -> Status {
    let inputs = Inputs::from(&args.input);
    let Ok(plan) = load_plan(inputs.plan) else {
        return Status::BadInput;
    };
    let pretty = args.pretty || (args.output.is_none() && std::io::stdout().is_terminal());
    let json = JsonOptions {
        pretty,
        parallel: reading.parallel(),
    };
    let written = evaluate_then(&plan, &inputs, reading, |evaluator, skipped| {
        match args.output.as_deref() {
            None => {
                let stdout = BufWriter::with_capacity(1 << 16, output::raw_stdout());
                let (failed, error) = stream_json(evaluator, skipped, stdout, json);
                error
                    .and_then(output::stdout_failure)
                    .map_or(Ok(failed), Err)
            }
            Some(path) => {
                let cannot = |e: std::io::Error| format!("cannot write `{}`: {e}", path.display());
                let file = std::fs::File::create(path).map_err(cannot)?;
                match stream_json(evaluator, skipped, BufWriter::new(file), json) {
                    (failed, None) => Ok(failed),
                    (_, Some(e)) => Err(cannot(e)),
                }
            }
        }
    });
    match written {
        Err(_) => Status::BadInput,
        Ok(Err(message)) => {
            output::error(message);
            Status::BadInput
        }
        Ok(Ok(failed)) => exit_status(args.fail_on, failed),
    }
}

/// How the JSON report is written.
#[derive(Clone, Copy)]
struct JsonOptions {
    pretty: bool,
    /// How rows are built and serialized.
    parallel: Parallel,
}

/// Writes the JSON report of `evaluator`; returns whether something failed, and the first
/// write error (after which nothing more is written).
fn stream_json<W: Write>(
    evaluator: &Evaluator<'_>,
    skipped_lines: u64,
    out: W,
    json: JsonOptions,
) -> (bool, Option<std::io::Error>) {
    let head = evaluator.report_head();
    let (mut writer, mut error) = match JsonWriter::begin(out, &head, json.pretty) {
        Ok(writer) => (Some(writer), None),
        Err(e) => (None, Some(e)),
    };
    let serialize = |rows: &mut JsonRows, row: &ResultRow| rows.push(row, json.pretty);
    let mut tail = evaluator.report_parts(json.parallel, &serialize, &mut |rows| {
        if let Some(Err(e)) = writer.as_mut().map(|w| w.rows(&rows)) {
            writer = None;
            error = Some(e);
        }
    });
    tail.inputs.skipped_lines = skipped_lines;
    if let Some(Err(e)) = writer.map(|w| w.end(&tail)) {
        error = Some(e);
    }
    (tail.summary.total.failures() > 0, error)
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
        None => output::try_out(text).map_err(|message| {
            output::error(message);
            Status::BadInput
        }),
        Some(path) => std::fs::write(path, text).map_err(|e| {
            output::error(format!("cannot write `{}`: {e}", path.display()));
            Status::BadInput
        }),
    }
}
