//! The `oblige` command line: argument parsing and rendering; the logic lives in the libraries.

mod args;
mod commands;
mod explain_text;
mod files;
mod output;
mod pipeline;
mod verdicts;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    let status = match cli.command {
        args::Command::Check(a) => commands::check::run(&a),
        args::Command::Fmt(a) => commands::fmt::run(&a),
        args::Command::Eval(a) => commands::eval::run(&a),
        args::Command::Explain(a) => commands::explain::run(&a),
        args::Command::Test(a) => commands::test::run(&a),
        args::Command::Trace(a) => commands::trace::run(&a),
        args::Command::Gen(a) => commands::gen::run(&a),
        args::Command::Completions(a) => commands::completions::run(&a),
    };
    ExitCode::from(status as u8)
}
