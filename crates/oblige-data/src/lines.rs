//! Line-by-line reading of JSON Lines input into a reused byte buffer.

use std::io::BufRead;

/// Reads lines without allocating per line; invalid UTF-8 is left for the JSON parser to
/// report, with the line it is on.
pub(crate) struct LineReader<R> {
    inner: R,
    buf: Vec<u8>,
    line: u64,
}

impl<R: BufRead> LineReader<R> {
    pub(crate) fn new(inner: R) -> Self {
        Self {
            inner,
            buf: Vec::with_capacity(512),
            line: 0,
        }
    }

    /// Numbers the next line `offset + 1`; a byte order mark is only looked for on line 1.
    pub(crate) fn start_after(&mut self, offset: u64) {
        self.line = offset;
    }

    /// The next line (1-based number, bytes without the line ending and, on line 1, without a
    /// UTF-8 byte order mark), or `None` at the end.
    pub(crate) fn next_line(&mut self) -> Option<std::io::Result<(u64, &[u8])>> {
        self.buf.clear();
        match self.inner.read_until(b'\n', &mut self.buf) {
            Ok(0) => return None,
            Ok(_) => {}
            Err(e) => return Some(Err(e)),
        }
        self.line += 1;
        let mut bytes = self.buf.as_slice();
        if self.line == 1 {
            bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        }
        bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
        bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
        Some(Ok((self.line, bytes)))
    }
}

/// Whether a line holds nothing but white space, and is skipped.
pub(crate) fn is_blank(bytes: &[u8]) -> bool {
    bytes.iter().all(u8::is_ascii_whitespace)
}
