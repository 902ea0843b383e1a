//! Line-by-line reading of JSON Lines input into a reused byte buffer.

use std::io::BufRead;

/// Reads lines without allocating or copying per line: a line that lies whole in the reader's
/// buffer is handed out from there, and only one that straddles the buffer's end is copied
/// into a reused buffer. Invalid UTF-8 is left for the JSON parser to report, with the line it
/// is on.
pub(crate) struct LineReader<R> {
    inner: R,
    buf: Vec<u8>,
    line: u64,
    /// Bytes of the reader's buffer handed out as the last line, consumed on the next call.
    lent: usize,
}

impl<R: BufRead> LineReader<R> {
    pub(crate) fn new(inner: R) -> Self {
        Self {
            inner,
            buf: Vec::with_capacity(512),
            line: 0,
            lent: 0,
        }
    }

    /// Numbers the next line `offset + 1`; a byte order mark is only looked for on line 1.
    pub(crate) fn start_after(&mut self, offset: u64) {
        self.line = offset;
    }

    /// The next line (1-based number, bytes without the line ending and, on line 1, without a
    /// UTF-8 byte order mark), or `None` at the end.
    pub(crate) fn next_line(&mut self) -> Option<std::io::Result<(u64, &[u8])>> {
        self.inner.consume(std::mem::take(&mut self.lent));
        let whole = match self.inner.fill_buf() {
            Ok(available) => memchr::memchr(b'\n', available).map(|at| at + 1),
            Err(e) => return Some(Err(e)),
        };
        let raw = match whole {
            Some(len) => {
                self.lent = len;
                match self.inner.fill_buf() {
                    Ok(available) => available.get(..len).unwrap_or_default(),
                    Err(e) => return Some(Err(e)),
                }
            }
            None => {
                self.buf.clear();
                match self.inner.read_until(b'\n', &mut self.buf) {
                    Ok(0) => return None,
                    Ok(_) => self.buf.as_slice(),
                    Err(e) => return Some(Err(e)),
                }
            }
        };
        self.line += 1;
        let mut bytes = raw;
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::BufReader;

    /// Lines read through buffers of every small size, so that lines fall whole inside the
    /// buffer, straddle its end, or end exactly at it.
    #[test]
    fn lines_are_the_same_whatever_the_buffer_size() {
        let text = "\u{feff}{\"a\":1}\r\nsecond line\n\n  \nno newline at the end";
        let expected: Vec<(u64, String)> = vec![
            (1, "{\"a\":1}".into()),
            (2, "second line".into()),
            (3, String::new()),
            (4, "  ".into()),
            (5, "no newline at the end".into()),
        ];
        for capacity in 1..text.len() + 2 {
            let mut lines = LineReader::new(BufReader::with_capacity(capacity, text.as_bytes()));
            let mut got = Vec::new();
            while let Some(line) = lines.next_line() {
                let (n, bytes) = line.unwrap();
                got.push((n, String::from_utf8(bytes.to_vec()).unwrap()));
            }
            assert_eq!(got, expected, "buffer of {capacity} bytes");
        }
    }
}
