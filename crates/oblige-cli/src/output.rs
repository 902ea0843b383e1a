//! Exit statuses and writing to standard output and error without panicking on closed pipes.

use std::io::Write;

/// What the process reports to its caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Everything checked out.
    Ok = 0,
    /// The inputs were read, and something failed: a plan error, a violated duty, a changed test.
    Failed = 1,
    /// Bad input or usage: a missing file, a malformed line.
    BadInput = 2,
}

/// Writes `text` to standard output; a failure other than a closed pipe is said on standard
/// error.
pub fn out(text: &str) {
    if let Err(message) = try_out(text) {
        error(message);
    }
}

/// Writes `text` to standard output; see [`stdout_failure`] for what fails.
pub fn try_out(text: &str) -> Result<(), String> {
    let mut stdout = std::io::stdout().lock();
    let written = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
    written.err().and_then(stdout_failure).map_or(Ok(()), Err)
}

/// What to say of `error` in writing to standard output, unless it is a closed pipe (`| head`):
/// the reader has what it wanted, and the exit status still tells the verdicts. Any other
/// failure (a full disk) cuts the output short.
pub fn stdout_failure(error: std::io::Error) -> Option<String> {
    (error.kind() != std::io::ErrorKind::BrokenPipe)
        .then(|| format!("cannot write to standard output: {error}"))
}

/// Writes `text` to standard error.
pub fn err(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// Writes `message` as an `error:` line to standard error.
pub fn error(message: impl std::fmt::Display) {
    err(&format!("error: {message}\n"));
}

/// Standard output without its line buffer, for a report of up to gigabytes: `Stdout` looks
/// for the last newline in everything written to it, and a compact JSON report is one line.
/// Callers buffer it themselves. Where the descriptor cannot be had, standard output as usual.
pub fn raw_stdout() -> Box<dyn Write> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        let stdout = std::io::stdout();
        let _ = stdout.lock().flush();
        if let Ok(fd) = stdout.as_fd().try_clone_to_owned() {
            return Box::new(std::fs::File::from(fd));
        }
    }
    Box::new(std::io::stdout().lock())
}
