//! Command-line arguments of `oblige`, one struct per verb.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Check event logs against obligation plans written as `.rule` files.
#[derive(Debug, Parser)]
#[command(name = "oblige", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The verbs.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse and check plans; report every error and warning.
    #[command(
        after_help = "Examples:\n  oblige check seeds/xianning-2023\n  oblige check --error-format json plan/rules.rule"
    )]
    Check(CheckArgs),
    /// Format `.rule` files canonically, in English or Chinese keywords.
    #[command(
        after_help = "Examples:\n  oblige fmt seeds/xianning-2023\n  oblige fmt --check plan/\n  oblige fmt --lang en --stdout plan/rules.rule"
    )]
    Fmt(FmtArgs),
    /// Evaluate an event log against a plan and print the report.
    #[command(
        after_help = "Examples:\n  oblige eval --plan seeds/xianning-2023 --units seeds/xianning-2023/units.csv \\\n      --events seeds/xianning-2023/events-2023.jsonl\n  oblige eval --plan plan/ --units units.csv --events a.jsonl b.jsonl --as-of 2023-06-20 --format json\n\nExit status: 0 nothing violated, 1 something violated (see --fail-on), 2 bad input or usage."
    )]
    Eval(EvalArgs),
    /// Explain one cell of the report: the rule, its article, and the evidence.
    #[command(
        after_help = "Example:\n  oblige explain --plan seeds/xianning-2023 --units seeds/xianning-2023/units.csv \\\n      --events seeds/xianning-2023/events-2023.jsonl --rule 第3条_领导小组会议 --subject city-emb --period 2023-H1"
    )]
    Explain(ExplainArgs),
    /// Run a plan's own test cases against their expected reports.
    #[command(
        after_help = "Each case is a folder `tests/<case>/` beside the plan with `units.csv` (or `.jsonl`),\n`events.jsonl` (or `.csv`), an optional `case.json` ({\"as_of\": …, \"from\": …, \"to\": …})\nand the expected verdicts in `expected.txt`.\n\nExamples:\n  oblige test seeds/xianning-2023\n  oblige test seeds/xianning-2023 --bless\n  oblige test seeds/xianning-2023 --format junit > junit.xml"
    )]
    Test(TestArgs),
    /// Print the article → rules traceability table of a plan against its source text.
    #[command(
        after_help = "Articles are the source lines `N.title。…`; the duties that cannot be checked are the rule\nfiles' `// 不可检查 第N条: \"duty\" — reason` comment lines (docs/language.md).\n\nExamples:\n  oblige trace seeds/xianning-2023 --source seeds/000_36200e883f9acb6a.txt\n  oblige trace seeds/xianning-2023 --source seeds/000_36200e883f9acb6a.txt --output seeds/TRACEABILITY.md"
    )]
    Trace(TraceArgs),
    /// Write a deterministic synthetic registry and event log in a plan's vocabulary (benchmarks).
    #[command(
        after_help = "Example:\n  oblige gen --events 1000000 --units 20000 --units-out /tmp/units.csv --events-out /tmp/events.jsonl"
    )]
    Gen(GenArgs),
    /// Print a shell completion script.
    #[command(after_help = "Example:\n  oblige completions bash > /etc/bash_completion.d/oblige")]
    Completions(CompletionsArgs),
}

/// How diagnostics are printed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ErrorFormat {
    /// rustc-style text with the source line and a caret.
    #[default]
    Human,
    /// One JSON array of diagnostics, positions in characters and bytes.
    Json,
}

/// Arguments of `oblige check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Plan folders or `.rule` files.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Diagnostic format.
    #[arg(long, value_enum, default_value_t)]
    pub error_format: ErrorFormat,
    /// Treat warnings as errors.
    #[arg(long)]
    pub deny_warnings: bool,
}

/// Keyword language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// Chinese keywords.
    Zh,
    /// English keywords.
    En,
}

/// Arguments of `oblige fmt`.
#[derive(Debug, Args)]
pub struct FmtArgs {
    /// Plan folders or `.rule` files.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Do not write; exit 1 if any file is not formatted.
    #[arg(long)]
    pub check: bool,
    /// Keyword language of the output (default: each file's own).
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
    /// Print the formatted text instead of writing the files.
    #[arg(long, conflicts_with = "check")]
    pub stdout: bool,
}

/// Report formats.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// A table for the terminal.
    #[default]
    Table,
    /// The full report as JSON (schema in docs/report.schema.json).
    Json,
    /// Markdown tables.
    Markdown,
    /// One CSV row per verdict.
    Csv,
    /// JUnit XML for CI.
    Junit,
}

/// When `eval` exits with 1.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// When any verdict is violated, late or missing.
    #[default]
    Violated,
    /// Never (exit 0 whatever the verdicts).
    Never,
}

/// The inputs of an evaluation.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Plan folder or `.rule` file.
    #[arg(long)]
    pub plan: PathBuf,
    /// Unit registry (`.csv` or `.jsonl`).
    #[arg(long)]
    pub units: PathBuf,
    /// Event logs (`.jsonl` or `.csv`), in any order.
    #[arg(long, num_args = 1.., required = true)]
    pub events: Vec<PathBuf>,
    /// First day evaluated (default: the plan's effective start).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub from: Option<String>,
    /// Last day evaluated (default: the plan's effective end).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub to: Option<String>,
    /// Evaluate as of this moment: later periods are open, not violated (date or RFC 3339 time).
    #[arg(long, value_name = "TIME")]
    pub as_of: Option<String>,
    /// Flag open periods closing within this many days with their count still short.
    #[arg(long, value_name = "DAYS")]
    pub at_risk_days: Option<u32>,
    /// Skip malformed event lines (they are counted and listed in the report) instead of failing.
    #[arg(long)]
    pub lenient: bool,
    /// Event ids a count verdict lists as evidence, earliest first (default 20); the others are
    /// only counted, as `truncated`. Fewer take less memory on a large log; 0 lists none.
    #[arg(long, value_name = "N")]
    pub evidence: Option<u16>,
}

/// Arguments of `oblige eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The inputs.
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: ReportFormat,
    /// When to exit with status 1.
    #[arg(long, value_enum, default_value_t)]
    pub fail_on: FailOn,
    /// Write the report to this file instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Show every verdict in the table, not only those needing attention.
    #[arg(long)]
    pub all: bool,
    /// Indent the JSON report (the default on a terminal; compact, one line, otherwise).
    #[arg(long)]
    pub pretty: bool,
    /// Threads reading each large event file (default: all cores); the report is the same.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
    /// Do not look for repeated event ids: saves the temporary files the check writes (about 8
    /// bytes per event) and a little time, but a repeated event is counted twice.
    #[arg(long)]
    pub no_id_check: bool,
}

/// Arguments of `oblige explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The inputs.
    #[command(flatten)]
    pub input: InputArgs,
    /// Rule id.
    #[arg(long)]
    pub rule: String,
    /// Subject unit id.
    #[arg(long)]
    pub subject: String,
    /// Period label (`2023-H1`, `2023-Q3`, `2023-07`, `2023`, a window or trigger id); all if absent.
    #[arg(long)]
    pub period: Option<String>,
    /// Language of the explanation (default: the plan's keyword language).
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
}

/// Output of `oblige test`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum TestFormat {
    /// Readable text with diffs.
    #[default]
    Human,
    /// JUnit XML.
    Junit,
}

/// Arguments of `oblige test`.
#[derive(Debug, Args)]
pub struct TestArgs {
    /// Plan folder (its test cases are in `tests/` inside it).
    pub plan: PathBuf,
    /// Write the actual verdicts as the new expectations.
    #[arg(long)]
    pub bless: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: TestFormat,
}

/// Arguments of `oblige trace`.
#[derive(Debug, Args)]
pub struct TraceArgs {
    /// Plan folder or `.rule` file.
    pub plan: PathBuf,
    /// The source document, as plain text.
    #[arg(long)]
    pub source: PathBuf,
    /// Write the table to this file instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

/// Arguments of `oblige gen`.
#[derive(Debug, Args)]
pub struct GenArgs {
    /// Registry whose units are kept and whose leaf units are copied (CSV without quotes).
    #[arg(long, default_value = "seeds/xianning-2023/units.csv")]
    pub template_units: PathBuf,
    /// Log whose events are copied (JSON Lines).
    #[arg(long, default_value = "seeds/xianning-2023/events-2023.jsonl")]
    pub template_events: PathBuf,
    /// Number of events.
    #[arg(long)]
    pub events: u64,
    /// Number of units (at least the template's).
    #[arg(long, default_value_t = 20_000)]
    pub units: u64,
    /// Random seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Event kinds never copied, comma-separated (e.g. the triggers and responses of response
    /// duties, which give one report row per trigger and so grow with the log).
    #[arg(long, value_delimiter = ',')]
    pub exclude_kinds: Vec<String>,
    /// Where to write the registry (CSV).
    #[arg(long)]
    pub units_out: PathBuf,
    /// Where to write the log (`.jsonl` or `.csv`).
    #[arg(long)]
    pub events_out: PathBuf,
}

/// Arguments of `oblige completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// Shell.
    pub shell: clap_complete::Shell,
}
