//! A reader that notes where its input's line endings are, so that a record read through the
//! `csv` crate is placed on the line it starts on.
//!
//! The `csv` crate places a record on the line its read starts on, and a read starts where the
//! last one stopped: just after a record's first terminator byte. After a CR LF ending that is
//! the line before the record's, and after blank lines it is the first of them.

use std::collections::VecDeque;
use std::io::{self, Read};

/// `inner`, noting the newlines of each run of CR and LF it yields.
pub(crate) struct LineEnds<R> {
    inner: R,
    /// Bytes yielded so far.
    yielded: u64,
    /// Of each newline not yet passed by [`LineEnds::lines_late`]: where it is, and where the
    /// run of CR and LF it is in starts.
    newlines: VecDeque<(u64, u64)>,
    /// Where the last run of CR and LF starts and where it ends (one past its last byte).
    run: (u64, u64),
}

impl<R> LineEnds<R> {
    pub(crate) fn new(inner: R) -> Self {
        LineEnds {
            inner,
            yielded: 0,
            newlines: VecDeque::new(),
            run: (0, 0),
        }
    }

    /// How many lines after the line of byte `at` a record read from `at` starts: the
    /// newlines from `at` to the end of the run of CR and LF it is in. Reads must be asked
    /// about in order; newlines before `at` are let go.
    pub(crate) fn lines_late(&mut self, at: u64) -> u64 {
        while self
            .newlines
            .front()
            .is_some_and(|&(newline, _)| newline < at)
        {
            self.newlines.pop_front();
        }
        let in_run = self.newlines.iter().take_while(|&&(_, start)| start <= at);
        in_run.count() as u64
    }
}

impl<R: Read> Read for LineEnds<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let chunk = buf.get(..n).unwrap_or_default();
        for i in memchr::memchr2_iter(b'\r', b'\n', chunk) {
            let at = self.yielded + i as u64;
            let start = if self.run.1 == at { self.run.0 } else { at };
            self.run = (start, at + 1);
            if chunk.get(i) == Some(&b'\n') {
                self.newlines.push_back((at, start));
            }
        }
        self.yielded += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every byte where a record's read may start, against the newlines counted by hand.
    #[test]
    fn lines_late_are_the_newlines_up_to_the_next_record() {
        let text = b"h\r\na\r\n\r\n\nb\nc\r\r\nd";
        let mut ends = LineEnds::new(&text[..]);
        let mut sink = Vec::new();
        // Read in small pieces so that runs span reads.
        let mut buf = [0_u8; 3];
        loop {
            let n = ends.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            sink.extend_from_slice(&buf[..n]);
        }
        assert_eq!(sink, text);
        // (where a read starts, newlines before its record)
        let cases = [(0, 0), (2, 1), (5, 3), (9, 0), (10, 1), (13, 1), (15, 0)];
        for (at, late) in cases {
            assert_eq!(ends.lines_late(at), late, "read from byte {at}");
        }
    }
}
