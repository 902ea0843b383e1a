//! Writing a JSON report while its rows are produced: the head, each row, then the tail. The
//! bytes are those of serializing the whole [`Report`](crate::model::Report) at once, pretty
//! (as [`super::json::write`]) or compact, so that a report of millions of rows never has to be
//! held in memory, neither as values nor as text.

use std::io::{self, Write};

use serde::Serialize;

use crate::model::{ReportHead, ReportTail, ResultRow};

/// A JSON report being written.
pub struct JsonWriter<W: Write> {
    out: W,
    pretty: bool,
    rows: u64,
    /// One value serialized before re-indenting; reused from row to row.
    buf: Vec<u8>,
}

impl<W: Write> JsonWriter<W> {
    /// Writes the head and opens the list of results.
    pub fn begin(out: W, head: &ReportHead, pretty: bool) -> io::Result<Self> {
        let mut w = JsonWriter {
            out,
            pretty,
            rows: 0,
            buf: Vec::new(),
        };
        w.out.write_all(b"{")?;
        w.field(true, "schema_version", &head.schema_version)?;
        w.field(false, "plan", &head.plan)?;
        w.field(false, "range", &head.range)?;
        w.field(false, "as_of", &head.as_of)?;
        w.key(false, "results")?;
        w.out.write_all(b"[")?;
        Ok(w)
    }

    /// Writes the next result row.
    pub fn row(&mut self, row: &ResultRow) -> io::Result<()> {
        if self.rows > 0 {
            self.out.write_all(b",")?;
        }
        self.rows += 1;
        if self.pretty {
            self.out.write_all(b"\n    ")?;
        }
        self.value(row, 4)
    }

    /// Closes the results, writes the tail and a final newline; returns the flushed writer.
    pub fn end(mut self, tail: &ReportTail) -> io::Result<W> {
        if self.pretty && self.rows > 0 {
            self.out.write_all(b"\n  ")?;
        }
        self.out.write_all(b"]")?;
        self.field(false, "coverage", &tail.coverage)?;
        self.field(false, "findings", &tail.findings)?;
        self.field(false, "summary", &tail.summary)?;
        self.field(false, "inputs", &tail.inputs)?;
        self.out
            .write_all(if self.pretty { b"\n}\n" } else { b"}\n" })?;
        self.out.flush()?;
        Ok(self.out)
    }

    fn key(&mut self, first: bool, name: &str) -> io::Result<()> {
        if !first {
            self.out.write_all(b",")?;
        }
        if self.pretty {
            self.out.write_all(b"\n  ")?;
        }
        serde_json::to_writer(&mut self.out, name)?;
        self.out.write_all(if self.pretty { b": " } else { b":" })
    }

    fn field<T: Serialize>(&mut self, first: bool, name: &str, value: &T) -> io::Result<()> {
        self.key(first, name)?;
        self.value(value, 2)
    }

    /// Writes `value` nested `indent` spaces deep. Pretty JSON never has a raw newline inside a
    /// string, so indenting after each newline re-indents the whole value.
    fn value<T: Serialize>(&mut self, value: &T, indent: usize) -> io::Result<()> {
        if !self.pretty {
            return serde_json::to_writer(&mut self.out, value).map_err(io::Error::from);
        }
        self.buf.clear();
        serde_json::to_writer_pretty(&mut self.buf, value)?;
        let pad = &b"        "[..indent.min(8)];
        let mut lines = self.buf.split(|&b| b == b'\n');
        if let Some(first) = lines.next() {
            self.out.write_all(first)?;
        }
        for line in lines {
            self.out.write_all(b"\n")?;
            self.out.write_all(pad)?;
            self.out.write_all(line)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Report;
    use crate::render::json::tests::sample;

    fn streamed(report: &Report, pretty: bool) -> Vec<u8> {
        let (head, rows, tail) = report.clone().into_parts();
        let mut w = JsonWriter::begin(Vec::new(), &head, pretty).unwrap();
        for row in &rows {
            w.row(row).unwrap();
        }
        w.end(&tail).unwrap()
    }

    #[test]
    fn same_bytes_as_the_whole_report() {
        let mut report = sample();
        for _ in 0..2 {
            let pretty = crate::render::json::to_string(&report);
            assert_eq!(String::from_utf8(streamed(&report, true)).unwrap(), pretty);
            let compact = serde_json::to_string(&report).unwrap() + "\n";
            assert_eq!(
                String::from_utf8(streamed(&report, false)).unwrap(),
                compact
            );
            report.results.clear();
        }
    }
}
