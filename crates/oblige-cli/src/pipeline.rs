//! The evaluation pipeline shared by `eval`, `explain` and `test`: plan, registry, events, report.

use crate::args::InputArgs;
use crate::output;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use indicatif::{ProgressBar, ProgressStyle};
use oblige::{
    render_human, DataError, EvalOptions, Evaluator, Event, EventReader, Format, Parallel, Plan,
    ReadOptions, Registry, Report, SkipSummary,
};
use std::io::{BufReader, IsTerminal, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

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
    /// `--evidence`.
    pub evidence: Option<u16>,
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
            evidence: args.evidence,
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

/// Runs the whole pipeline and returns the plan's report, reading with all cores.
pub fn evaluate(inputs: &Inputs<'_>) -> Result<(Plan, Report), Stopped> {
    evaluate_reading(inputs, Reading::default())
}

/// How event files are read: with how many threads, and whether duplicate ids are looked for.
#[derive(Clone, Copy, Debug)]
pub struct Reading {
    /// Readers per file (1: one reader, no splitting).
    pub threads: usize,
    /// Reject repeated explicit event ids (temporary files take about 8 bytes per event).
    pub check_ids: bool,
    /// The process ends after this run: the registry and what was read are left for the
    /// system to take back, not freed allocation by allocation (see [`leave_to_exit`]).
    pub ends_process: bool,
}

impl Default for Reading {
    fn default() -> Self {
        Self {
            threads: std::thread::available_parallelism().map_or(1, usize::from),
            check_ids: true,
            ends_process: false,
        }
    }
}

/// Leaves `value` to the end of the process when `ends_process`, drops it otherwise. The system
/// takes a process's memory back at once, where freeing half a million units with their
/// attributes, and the evaluator's tallies, one allocation at a time took 0.7 s: a fifth of a
/// run over that registry, all of it after the report was written.
pub fn leave_to_exit<T>(value: T, ends_process: bool) {
    if ends_process {
        std::mem::forget(value);
    }
}

impl Reading {
    /// How the report is built: on as many threads as read.
    pub fn parallel(&self) -> Parallel {
        Parallel {
            threads: self.threads.max(1),
            ..Parallel::default()
        }
    }
}

/// Runs the whole pipeline with explicit [`Reading`] settings.
pub fn evaluate_reading(inputs: &Inputs<'_>, reading: Reading) -> Result<(Plan, Report), Stopped> {
    let plan = load_plan(inputs.plan)?;
    let report = evaluate_plan(&plan, inputs, reading)?;
    Ok((plan, report))
}

/// Reads the registry and the events and evaluates them against `plan`, with all cores.
pub fn evaluate_with(plan: &Plan, inputs: &Inputs<'_>) -> Result<Report, Stopped> {
    evaluate_plan(plan, inputs, Reading::default())
}

fn evaluate_plan(plan: &Plan, inputs: &Inputs<'_>, reading: Reading) -> Result<Report, Stopped> {
    let parallel = reading.parallel();
    evaluate_then(plan, inputs, reading, |evaluator, skipped_lines| {
        let mut report = evaluator.report_with(parallel);
        report.inputs.skipped_lines = skipped_lines;
        report
    })
}

/// Reads the registry and the events, then hands the evaluator and the number of skipped lines
/// to `then`, which makes the report of its choice (whole, or streamed to a writer).
pub fn evaluate_then<T>(
    plan: &Plan,
    inputs: &Inputs<'_>,
    reading: Reading,
    then: impl FnOnce(&Evaluator<'_>, u64) -> T,
) -> Result<T, Stopped> {
    let mut options = eval_options(plan, inputs)?;
    options.threads = reading.threads.max(1);
    let registry = read_registry(plan, inputs.units, reading.threads.max(1))?;
    let ctx = ReadCtx {
        plan,
        read: ReadOptions {
            lenient: inputs.lenient,
            check_ids: reading.check_ids,
            ..ReadOptions::default()
        },
        threads: reading.threads.max(1),
        progress: inputs.progress,
        gather_ids: true,
    };
    let fresh = || Evaluator::new(plan, &registry, options.clone());
    let mut read = read_all(&ctx, inputs.events, fresh())?;
    // Taken out, so that the ids' hashes are let go before the report is built.
    if std::mem::take(&mut read.seen).repeats() {
        // Rare: read again, checking every id as it comes, to say where each repeat is.
        let checking = ReadCtx {
            gather_ids: false,
            ..ctx
        };
        read = read_all(&checking, inputs.events, fresh())?;
    }
    read.errors.print();
    if read.errors.count > 0 {
        output::error(format!(
            "{} malformed event line(s); fix them or pass `--lenient` to skip them",
            read.errors.count
        ));
        return Err(Stopped);
    }
    report_skips(&read.skipped);
    let made = then(&read.evaluator, read.skipped.count);
    leave_to_exit(read, reading.ends_process);
    leave_to_exit(registry, reading.ends_process);
    Ok(made)
}

/// What reading every event file gave.
struct ReadAll<'a> {
    evaluator: Evaluator<'a>,
    skipped: SkipSummary,
    seen: oblige::SeenIds,
    errors: LineErrors,
}

/// Reads the event files in order into `evaluator`.
fn read_all<'a>(
    ctx: &ReadCtx<'a>,
    paths: &[PathBuf],
    mut evaluator: Evaluator<'a>,
) -> Result<ReadAll<'a>, Stopped> {
    let mut skipped = SkipSummary::default();
    let mut seen = ctx.new_seen_ids();
    let mut errors = LineErrors::default();
    for path in paths {
        let (file_skips, file_seen) = read_events(ctx, path, seen, &mut evaluator, &mut errors)?;
        seen = file_seen;
        merge_skips(&mut skipped, file_skips);
    }
    Ok(ReadAll {
        evaluator,
        skipped,
        seen,
        errors,
    })
}

fn read_registry(plan: &Plan, path: &Path, threads: usize) -> Result<Registry, Stopped> {
    oblige::read_registry_file_threads(path, plan, threads).map_err(|errors| {
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

/// What every reader of an evaluation shares.
#[derive(Clone, Copy)]
struct ReadCtx<'a> {
    plan: &'a Plan,
    read: ReadOptions,
    threads: usize,
    progress: bool,
    /// Gather event ids and look for repeats once at the end ([`oblige::SeenIds::gathering`])
    /// instead of checking each as it comes.
    gather_ids: bool,
}

impl ReadCtx<'_> {
    fn new_seen_ids(&self) -> oblige::SeenIds {
        if self.gather_ids {
            oblige::SeenIds::gathering()
        } else {
            oblige::SeenIds::new()
        }
    }
}

/// Below this size a file is read by one reader: splitting would cost more than it saves.
const MIN_SPLIT_BYTES: u64 = 4 << 20;

/// Line errors: how many, and the first messages in file order. They are printed once reading
/// is over, so that a log read twice (see [`oblige::SeenIds::gathering`]) shows them once.
#[derive(Default)]
struct LineErrors {
    count: usize,
    shown: Vec<String>,
}

impl LineErrors {
    fn add(&mut self, error: &DataError) {
        self.count += 1;
        if self.count <= 50 {
            self.shown.push(format!("{error}\n"));
        } else if self.count == 51 {
            self.shown
                .push("(further line errors are counted, not shown)\n".to_owned());
        }
    }

    fn print(&self) {
        for message in &self.shown {
            output::err(message);
        }
    }
}

/// One part of a file as read by its own thread.
struct Part<'a> {
    evaluator: Evaluator<'a>,
    skipped: SkipSummary,
    seen: oblige::SeenIds,
    /// Line errors in line order (at most 51 kept: more are never shown).
    errors: Vec<DataError>,
    error_count: usize,
    /// Stopped, because this part or another needed line numbers it did not know.
    needs_lines: bool,
}

impl Part<'_> {
    /// Whether the part had lines in error or skipped.
    fn has_bad_lines(&self) -> bool {
        self.error_count > 0 || self.skipped.count > 0
    }
}

/// Reads one file into `evaluator`: split into parts read by one thread each when it is large
/// and several threads are allowed, else with one reader. Both give the same report: parts are
/// merged in file order, and if an id of one part repeats one of an earlier part or file the
/// file is read again by one reader, which reports the duplicate where it always would.
///
/// A CSV file whose parts had bad lines is read again by one reader too: the splitter keeps
/// parts out of quoted cells by counting quotes, and a quote inside an unquoted cell (`a"b`,
/// a literal quote to a CSV reader) can make it cut a quoted cell in two, whose halves are bad
/// lines that one reader would not see. Bad lines are rare; reading their file twice is cheap.
///
/// JSON Lines parts are first read without counting the lines before them, which would read the
/// file once more; if a part meets a line whose number it must tell (an error, a skipped line,
/// an event without an id) every part stops and the file is read again, counted.
fn read_events<'a>(
    ctx: &ReadCtx<'a>,
    path: &Path,
    mut seen: oblige::SeenIds,
    evaluator: &mut Evaluator<'a>,
    errors: &mut LineErrors,
) -> Result<(SkipSummary, oblige::SeenIds), Stopped> {
    let format = Format::from_path(path).map_err(|e| fail(&e))?;
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    if ctx.threads > 1 && size >= MIN_SPLIT_BYTES {
        // Uncounted only while gathering ids: a checking set keeps the line of each id.
        let counted_only = format == Format::Csv || !ctx.gather_ids;
        let tries: &[bool] = if counted_only {
            &[true]
        } else {
            &[false, true]
        };
        for &counted in tries {
            let split = if counted {
                oblige::split_events_file(path, format, ctx.threads)
            } else {
                oblige::split_events_file_uncounted(path, ctx.threads)
            }
            .map_err(|e| fail(&format!("cannot read `{}`: {e}", path.display())))?;
            if split.chunks.len() < 2 {
                break;
            }
            match read_split(ctx, (path, format, size), &split, seen, evaluator, errors)? {
                SplitRead::Done(read) => return Ok(read),
                SplitRead::Counted(back) => seen = back,
                SplitRead::Whole(back) => {
                    seen = back;
                    break;
                }
            }
        }
    }
    read_whole(ctx, path, format, seen, evaluator, errors)
}

/// What reading a file in parts gave: the file read, or the ids seen before it, given back for
/// the file to be read again, counted or by one reader.
enum SplitRead {
    Done((SkipSummary, oblige::SeenIds)),
    Counted(oblige::SeenIds),
    Whole(oblige::SeenIds),
}

/// Reads the parts of `split` (see [`read_events`]).
fn read_split<'a>(
    ctx: &ReadCtx<'a>,
    (path, format, size): (&Path, Format, u64),
    split: &oblige::Split,
    seen: oblige::SeenIds,
    evaluator: &mut Evaluator<'a>,
    errors: &mut LineErrors,
) -> Result<SplitRead, Stopped> {
    // The parts count into the tallies of a fork of their own, dropped with them if the file
    // must be read again.
    let mut file = evaluator.fork();
    let mut parts = read_parts(ctx, path, format, split, size, &mut file)?;
    if parts.iter().any(|p| p.needs_lines) {
        return Ok(SplitRead::Counted(seen));
    }
    if format == Format::Csv && parts.iter().any(Part::has_bad_lines) {
        return Ok(SplitRead::Whole(seen));
    }
    let part_ids = parts.iter_mut().map(|p| std::mem::take(&mut p.seen));
    match combine_seen(seen, part_ids) {
        Ok(all_seen) => {
            let read = merge_parts(parts, all_seen, &mut file, errors);
            evaluator.merge(file);
            Ok(SplitRead::Done(read))
        }
        Err(seen) => Ok(SplitRead::Whole(seen)),
    }
}

fn fail(e: &dyn std::fmt::Display) -> Stopped {
    output::error(e);
    Stopped
}

/// One reader for the whole file.
fn read_whole<'a>(
    ctx: &ReadCtx<'a>,
    path: &Path,
    format: Format,
    seen: oblige::SeenIds,
    evaluator: &mut Evaluator<'a>,
    errors: &mut LineErrors,
) -> Result<(SkipSummary, oblige::SeenIds), Stopped> {
    let file = std::fs::File::open(path)
        .map_err(|e| fail(&format!("cannot read `{}`: {e}", path.display())))?;
    let bar = progress_bar(ctx.progress, file.metadata().map_or(0, |m| m.len()), path);
    let reader = BufReader::with_capacity(1 << 16, bar.wrap_read(file));
    let name = path.display().to_string();
    let mut events = EventReader::new(reader, format, name, ctx.plan, ctx.read)
        .map_err(|e| fail(&e))?
        .with_seen_ids(seen);
    let mut event = Event::default();
    while let Some(read) = events.read_into(&mut event) {
        match read {
            Ok(()) => evaluator.push(&event),
            Err(e) => errors.add(&e),
        }
    }
    bar.finish_and_clear();
    Ok(events.finish())
}

/// Reads every part of `split` on its own thread, each into its own fork of `template` that
/// counts into the tallies of `template`.
fn read_parts<'a>(
    ctx: &ReadCtx<'a>,
    path: &Path,
    format: Format,
    split: &oblige::Split,
    size: u64,
    template: &mut Evaluator<'a>,
) -> Result<Vec<Part<'a>>, Stopped> {
    let bar = progress_bar(ctx.progress, size, path);
    let stop = AtomicBool::new(false);
    let results: Vec<Result<Part<'a>, String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = split
            .chunks
            .iter()
            .map(|&chunk| {
                let (bar, stop) = (bar.clone(), &stop);
                let evaluator = template.fork_shared();
                scope.spawn(move || {
                    let at = (split.header_end, chunk);
                    read_part(ctx, (path, format), at, evaluator, (&bar, stop))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err("a reader thread failed".to_owned()))
            })
            .collect()
    });
    bar.finish_and_clear();
    results
        .into_iter()
        .map(|r| r.map_err(|e| fail(&e)))
        .collect()
}

/// Reads one part: for CSV the header line first, then the part's bytes, lines numbered as in
/// the whole file. A part that does not know its first line (`first_line` 0) stops at the first
/// line whose number it must tell, and sets `stop`, at which every part stops.
fn read_part<'a>(
    ctx: &ReadCtx<'a>,
    (path, format): (&Path, Format),
    (header_end, chunk): (u64, oblige::Chunk),
    mut evaluator: Evaluator<'a>,
    (bar, stop): (&ProgressBar, &AtomicBool),
) -> Result<Part<'a>, String> {
    let cannot = |e: std::io::Error| format!("cannot read `{}`: {e}", path.display());
    let mut file = std::fs::File::open(path).map_err(cannot)?;
    let mut header = vec![0_u8; usize::try_from(header_end).unwrap_or(0)];
    file.read_exact(&mut header).map_err(cannot)?;
    file.seek(SeekFrom::Start(chunk.start)).map_err(cannot)?;
    let body = bar.wrap_read(file.take(chunk.end - chunk.start));
    let reader = BufReader::with_capacity(1 << 16, std::io::Cursor::new(header).chain(body));
    let offset = match format {
        Format::Csv => chunk.first_line.saturating_sub(2),
        Format::JsonLines => chunk.first_line.saturating_sub(1),
    };
    let name = path.display().to_string();
    let mut events = EventReader::new(reader, format, name, ctx.plan, ctx.read)
        .map_err(|e| e.to_string())?
        .with_line_offset(offset)
        .with_seen_ids(ctx.new_seen_ids());
    let (mut errors, mut error_count) = (Vec::new(), 0);
    let lines_known = chunk.first_line > 0;
    let mut needs_lines = false;
    let mut event = Event::default();
    while let Some(read) = events.read_into(&mut event) {
        match read {
            Ok(()) => evaluator.push(&event),
            Err(e) if !e.is_line_error() => return Err(e.to_string()),
            Err(e) => {
                error_count += 1;
                if errors.len() <= 50 {
                    errors.push(e);
                }
            }
        }
        if !lines_known && (error_count > 0 || events.made_ids() > 0 || events.skipped().count > 0)
        {
            stop.store(true, Ordering::Relaxed);
        }
        if stop.load(Ordering::Relaxed) {
            needs_lines = true;
            break;
        }
    }
    let (skipped, seen) = events.finish();
    Ok(Part {
        evaluator,
        skipped,
        seen,
        errors,
        error_count,
        needs_lines,
    })
}

/// The ids of all parts added to `seen`, or `seen` untouched if an id repeats.
fn combine_seen(
    mut seen: oblige::SeenIds,
    parts: impl Iterator<Item = oblige::SeenIds>,
) -> Result<oblige::SeenIds, oblige::SeenIds> {
    // Parts that gathered their ids make `ids` a gathering set too, which takes everything.
    let mut ids = oblige::SeenIds::new();
    for part in parts {
        if ids.absorb(part).is_err() {
            return Err(seen);
        }
    }
    match seen.absorb(ids) {
        Ok(()) => Ok(seen),
        Err(_) => Err(seen),
    }
}

/// Merges the parts in file order, as one reader would have seen them.
fn merge_parts<'a>(
    parts: Vec<Part<'a>>,
    seen: oblige::SeenIds,
    evaluator: &mut Evaluator<'a>,
    errors: &mut LineErrors,
) -> (SkipSummary, oblige::SeenIds) {
    let mut skipped = SkipSummary::default();
    for part in parts {
        evaluator.merge(part.evaluator);
        merge_skips(&mut skipped, part.skipped);
        for e in &part.errors {
            errors.add(e);
        }
        errors.count += part.error_count - part.errors.len();
    }
    (skipped, seen)
}

fn progress_bar(enabled: bool, len: u64, path: &Path) -> ProgressBar {
    if !enabled || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
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

fn report_skips(skipped: &SkipSummary) {
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
    if let Some(listed) = inputs.evidence {
        options.evidence_limit = usize::from(listed);
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
