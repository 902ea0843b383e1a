//! `oblige completions`: shell completion scripts.

use crate::args::{Cli, CompletionsArgs};
use crate::output::Status;
use clap::CommandFactory;

/// Prints the completion script for the requested shell.
pub fn run(args: &CompletionsArgs) -> Status {
    let mut command = Cli::command();
    clap_complete::generate(args.shell, &mut command, "oblige", &mut std::io::stdout());
    Status::Ok
}
