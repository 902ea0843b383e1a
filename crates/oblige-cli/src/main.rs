//! The `oblige` command line: argument parsing and rendering; the logic lives in the libraries.

fn main() -> std::process::ExitCode {
    std::process::ExitCode::SUCCESS
}
