//! Writing a JSON report while its rows are produced: the head, each row, then the tail. The
//! bytes are those of serializing the whole [`Report`](crate::model::Report) at once, pretty
//! (as [`super::json::write`]) or compact, so that a report of millions of rows never has to be
//! held in memory, neither as values nor as text. Rows may also be serialized ahead, on other
//! threads, into [`JsonRows`] that the writer then writes in order.

use std::io::{self, Write};

use serde::Serialize;

use crate::model::{ReportHead, ReportTail, ResultRow};

/// A JSON report being written.
pub struct JsonWriter<W: Write> {
    out: W,
    pretty: bool,
    rows: u64,
    /// One value serialized before re-indenting; reused from value to value.
    buf: Vec<u8>,
    /// The row [`JsonWriter::row`] writes; reused from row to row.
    one: JsonRows,
}

impl<W: Write> JsonWriter<W> {
    /// Writes the head and opens the list of results.
    pub fn begin(out: W, head: &ReportHead, pretty: bool) -> io::Result<Self> {
        let mut w = JsonWriter {
            out,
            pretty,
            rows: 0,
            buf: Vec::new(),
            one: JsonRows::default(),
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
        let mut one = std::mem::take(&mut self.one);
        one.clear();
        one.push(row, self.pretty);
        let written = self.rows(&one);
        self.one = one;
        written
    }

    /// Writes the next rows, serialized ahead (with the same `pretty`).
    pub fn rows(&mut self, rows: &JsonRows) -> io::Result<()> {
        if let Some(e) = &rows.error {
            return Err(io::Error::new(e.kind(), e.to_string()));
        }
        if self.rows > 0 && rows.rows > 0 {
            self.out.write_all(b",")?;
        }
        self.rows += rows.rows;
        self.out.write_all(&rows.bytes)
    }

    /// Closes the results, writes the tail and a final newline; returns the flushed writer.
    pub fn end(mut self, tail: &ReportTail) -> io::Result<W> {
        if self.pretty && self.rows > 0 {
            self.out.write_all(b"\n  ")?;
        }
        self.out.write_all(b"]")?;
        self.field(false, "coverage", &tail.coverage)?;
        self.field(false, "findings", &tail.findings)?;
        self.key(false, "summary")?;
        match self.pretty {
            true => self.value(&tail.summary, 2)?,
            false => {
                super::json_summary::write_summary(&tail.summary, &mut self.out, &mut self.buf)?
            }
        }
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

    fn value<T: Serialize>(&mut self, value: &T, indent: usize) -> io::Result<()> {
        write_value(&mut self.out, &mut self.buf, value, indent, self.pretty)
    }
}

/// Result rows serialized as they appear in a JSON report, to be written by
/// [`JsonWriter::rows`]: a part of a report serialized on the thread that built it.
#[derive(Debug, Default)]
pub struct JsonRows {
    bytes: Vec<u8>,
    rows: u64,
    /// The first error serializing, reported when written; later rows are not serialized.
    error: Option<io::Error>,
    /// One value serialized before re-indenting.
    buf: Vec<u8>,
}

impl JsonRows {
    fn clear(&mut self) {
        self.bytes.clear();
        self.rows = 0;
        self.error = None;
    }

    /// Serializes `row` after the rows already here, compact or `pretty`.
    pub fn push(&mut self, row: &ResultRow, pretty: bool) {
        if self.error.is_some() {
            return;
        }
        if self.rows > 0 {
            self.bytes.push(b',');
        }
        if pretty {
            self.bytes.extend_from_slice(b"\n    ");
        }
        self.rows += 1;
        let written = if pretty {
            write_value(&mut self.bytes, &mut self.buf, row, 4, pretty)
        } else {
            super::json_row::write_row(row, &mut self.bytes).map_err(io::Error::other)
        };
        if let Err(e) = written {
            self.error = Some(e);
        }
    }
}

/// Writes `value` nested `indent` spaces deep. Pretty JSON never has a raw newline inside a
/// string, so indenting after each newline re-indents the whole value.
fn write_value<T: Serialize>(
    out: &mut impl Write,
    buf: &mut Vec<u8>,
    value: &T,
    indent: usize,
    pretty: bool,
) -> io::Result<()> {
    if !pretty {
        return serde_json::to_writer(out, value).map_err(io::Error::from);
    }
    buf.clear();
    serde_json::to_writer_pretty(&mut *buf, value)?;
    let pad = &b"        "[..indent.min(8)];
    let mut lines = buf.split(|&b| b == b'\n');
    if let Some(first) = lines.next() {
        out.write_all(first)?;
    }
    for line in lines {
        out.write_all(b"\n")?;
        out.write_all(pad)?;
        out.write_all(line)?;
    }
    Ok(())
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

    /// The rows serialized ahead in parts of `part` rows.
    fn in_parts(report: &Report, pretty: bool, part: usize) -> Vec<u8> {
        let (head, rows, tail) = report.clone().into_parts();
        let mut w = JsonWriter::begin(Vec::new(), &head, pretty).unwrap();
        w.rows(&JsonRows::default()).unwrap();
        for chunk in rows.chunks(part) {
            let mut ahead = JsonRows::default();
            for row in chunk {
                ahead.push(row, pretty);
            }
            w.rows(&ahead).unwrap();
            w.rows(&JsonRows::default()).unwrap();
        }
        w.end(&tail).unwrap()
    }

    #[test]
    fn rows_serialized_ahead_give_the_same_bytes() {
        let mut report = sample();
        assert!(!report.results.is_empty());
        while report.results.len() < 4 {
            let more = report.results.clone();
            report.results.extend(more);
        }
        for pretty in [true, false] {
            let whole = streamed(&report, pretty);
            for part in 1..=report.results.len() {
                assert_eq!(in_parts(&report, pretty, part), whole, "{part} {pretty}");
            }
        }
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
