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

/// Writes `text` to standard output. A closed pipe (`| head`) is not an error: the reader has
/// what it wanted. Any other failure (a full disk) is, as the output would be cut short.
pub fn try_out(text: &str) -> Result<(), String> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(format!("cannot write to standard output: {e}"))
        }
        _ => Ok(()),
    }
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
