//! Event lines from CSV: the header is resolved once, and each record's cells are borrowed as
//! fields.
//!
//! Records are parsed as the `csv` crate parses them (its own parser, `csv_core`, with the
//! `csv` crate's settings), with one shortcut: a line that holds no quote and no carriage
//! return but one before its newline, and lies whole in the input's buffer, is a record whose
//! cells are exactly the text between its commas, so it is split in place, checked as UTF-8
//! once, and never copied. Any other line (quotes, a lone `\r`, blank, straddling the buffer's
//! end, the last one without a newline) goes through `csv_core`, whose line count is kept in
//! step with the shortcut's.

use super::fields::{Attr, Fields};
use super::quotes::next_comma;
use crate::error::{DataError, Location};
use crate::value::Scalar;
use csv_core::ReadRecordResult;
use std::borrow::Cow;
use std::io::BufRead;

/// The CSV side of an event reader.
pub(crate) struct CsvEvents<R> {
    input: R,
    /// The parser of lines the shortcut does not take.
    core: csv_core::Reader,
    /// Column names, each with its index in [`super::EVENT_FIELDS`] if it is built in.
    columns: Vec<(String, Option<usize>)>,
    /// The number of cells of the header record, which every record must have.
    expected: Option<usize>,
    /// The line the next record's read starts on: 1 + the newlines consumed. Line endings and
    /// blank lines before a record are consumed first, so that it is placed on the line it
    /// starts on (the `csv` crate places it on the first line its read consumed: one line
    /// early after a CR LF ending, on the first of blank lines).
    line: u64,
    /// Bytes of the input's buffer handed out as the last record, consumed on the next call.
    lent: usize,
    /// A record read by `csv_core`: its unquoted cells, one after the other, and their ends.
    out: Vec<u8>,
    ends: Vec<usize>,
    eof: bool,
}

/// One record: its line, and its fields or the error that stops it.
pub(crate) type Record<'a> = (u64, Result<Fields<'a>, DataError>);

impl<R: BufRead> CsvEvents<R> {
    /// Reads the header; a repeated column makes every line ambiguous and a missing required one
    /// makes every line fail, so both are fatal.
    pub(crate) fn new(input: R, file: &str) -> Result<Self, DataError> {
        let mut this = Self {
            input,
            core: csv_core::Reader::new(),
            columns: Vec::new(),
            expected: None,
            line: 1,
            lent: 0,
            out: vec![0; 1024],
            ends: vec![0; 64],
            eof: false,
        };
        let header = match this.read_slow() {
            Ok(Some(len)) => {
                this.expected = Some(len);
                let mut record = csv::ByteRecord::with_capacity(this.out.len(), len);
                for cell in this.cells(len) {
                    record.push_field(cell);
                }
                record.trim();
                record
            }
            Ok(None) => csv::ByteRecord::new(),
            Err(e) => return Err(DataError::io(file, e)),
        };
        let columns = crate::parse::header_names(&header, file)?;
        for (i, column) in columns.iter().enumerate() {
            if columns[..i].contains(column) {
                return Err(DataError::DuplicateColumn {
                    at: Location::new(file, 1).field(column.as_str()),
                    column: column.clone(),
                });
            }
        }
        // Without one of these columns every line would fail alike: say it once.
        for required in ["time", "kind", "actor"] {
            if !columns.iter().any(|c| c == required) {
                return Err(DataError::MissingField {
                    at: Location::new(file, 1).field(required),
                });
            }
        }
        this.columns = columns
            .into_iter()
            .map(|c| {
                let index = super::fields::builtin(&c);
                (c, index)
            })
            .collect();
        Ok(this)
    }

    /// The next record, `None` at the end; `Err` only for an error that ends reading. Line
    /// numbers are shifted by `offset` (see [`super::EventReader::with_line_offset`]); the
    /// attributes are pushed into the buffer of `attrs`.
    pub(crate) fn next_record(
        &mut self,
        file: &str,
        offset: u64,
        attrs: Vec<Attr<'_>>,
    ) -> Option<Result<Record<'_>, DataError>> {
        self.input.consume(std::mem::take(&mut self.lent));
        if self.eof {
            return None;
        }
        if let Err(e) = self.skip_line_ends() {
            return Some(Err(self.fail(file, e)));
        }
        let simple = match self.input.fill_buf() {
            Ok(available) => simple_line(available),
            Err(e) => return Some(Err(self.fail(file, e))),
        };
        let line = self.line;
        let at = offset + line;
        if let Some((len, consumed)) = simple {
            self.lent = consumed;
            self.line += 1;
            let Self {
                input,
                columns,
                expected,
                eof,
                ..
            } = self;
            let (bytes, text) = match input.fill_buf() {
                Ok(available) => (
                    available.get(..len).unwrap_or_default(),
                    line_text(available, len),
                ),
                Err(e) => {
                    *eof = true;
                    return Some(Err(DataError::io(file, e)));
                }
            };
            let fields = line_fields((bytes, text), columns, *expected, file, at, attrs);
            return Some(Ok((at, fields)));
        }
        let len = match self.read_slow() {
            Ok(Some(len)) => len,
            Ok(None) => return None,
            Err(e) => return Some(Err(self.fail(file, e))),
        };
        let fields = match self.expected {
            Some(expected) if expected != len => Err(unequal(file, at, len, expected)),
            _ => cells_fields(self.cells(len), &self.columns, file, at, attrs),
        };
        Some(Ok((at, fields)))
    }

    /// Consumes the line endings before the next record, counting the lines they end. Between
    /// records `csv_core` takes any run of CR and LF for blank lines, so it reads the same
    /// records whether or not they were consumed here.
    fn skip_line_ends(&mut self) -> std::io::Result<()> {
        loop {
            let available = self.input.fill_buf()?;
            let ends = available
                .iter()
                .position(|b| !matches!(b, b'\r' | b'\n'))
                .unwrap_or(available.len());
            let newlines = bytecount::count(available.get(..ends).unwrap_or_default(), b'\n');
            let more = ends > 0 && ends == available.len();
            self.input.consume(ends);
            self.line += newlines as u64;
            if !more {
                return Ok(());
            }
        }
    }

    /// An I/O error, after which nothing more is read.
    fn fail(&mut self, file: &str, e: std::io::Error) -> DataError {
        self.eof = true;
        DataError::io(file, e)
    }

    /// Reads one record with `csv_core` into `out` and `ends`: its number of cells, or `None`
    /// at the end of the input.
    fn read_slow(&mut self) -> std::io::Result<Option<usize>> {
        self.core.set_line(self.line);
        let (mut outlen, mut endlen) = (0, 0);
        loop {
            let input = self.input.fill_buf()?;
            let (res, nin, nout, nend) = self.core.read_record(
                input,
                self.out.get_mut(outlen..).unwrap_or_default(),
                self.ends.get_mut(endlen..).unwrap_or_default(),
            );
            self.input.consume(nin);
            self.line = self.core.line();
            outlen += nout;
            endlen += nend;
            match res {
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull => self.out.resize(self.out.len() * 2, 0),
                ReadRecordResult::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                ReadRecordResult::Record => {
                    if self.expected.is_none() {
                        self.expected = Some(endlen);
                    }
                    return Ok(Some(endlen));
                }
                ReadRecordResult::End => {
                    self.eof = true;
                    return Ok(None);
                }
            }
        }
    }

    /// The `len` cells of the record [`Self::read_slow`] read.
    fn cells(&self, len: usize) -> impl Iterator<Item = &[u8]> {
        let ends = self.ends.get(..len).unwrap_or_default();
        ends.iter().scan(0, |start, &end| {
            let cell = self.out.get(*start..end).unwrap_or_default();
            *start = end;
            Some(cell)
        })
    }
}

/// The length of the first line of `available` if the shortcut takes it, and of the line with
/// its ending: it ends with a newline (or CR LF, as files saved on Windows do) within
/// `available`, is not empty, holds no other carriage return, and its quotes, if any, each
/// wrap a whole cell (as R and spreadsheets write every text cell) with none inside.
#[inline]
fn simple_line(available: &[u8]) -> Option<(usize, usize)> {
    let newline = memchr::memchr(b'\n', available)?;
    let with_cr = available.get(..newline)?;
    let line = with_cr.strip_suffix(b"\r").unwrap_or(with_cr);
    let simple = !line.is_empty()
        && (memchr::memchr2(b'"', b'\r', line).is_none()
            || (memchr::memchr(b'\r', line).is_none() && quotes_wrap_cells(line)));
    simple.then_some((line.len(), newline + 1))
}

/// Whether every quote of `line` opens a cell (at the line's start or after a comma) or closes
/// the cell it opened (at the line's end or before a comma): the cells are then the text
/// between the quotes, as `csv_core` reads them. A quote anywhere else (doubled, inside a cell,
/// after a space) is left to `csv_core`.
fn quotes_wrap_cells(line: &[u8]) -> bool {
    let mut from = 0;
    while let Some(open) = next_quote(line, from) {
        let opens_cell = open == 0 || line.get(open - 1) == Some(&b',');
        let Some(close) = next_quote(line, open + 1) else {
            return false;
        };
        let closes_cell = matches!(line.get(close + 1), None | Some(b','));
        if !(opens_cell && closes_cell) {
            return false;
        }
        from = close + 1;
    }
    true
}

/// The first quote of `line` from `from`. Looked for byte by byte: the quotes of a line
/// whose every cell is quoted are a few bytes apart, too close for `memchr` to pay, and too
/// close for the JSON reader's search by words (`quotes::string_end`), which took 5 % more
/// time on such a log.
fn next_quote(line: &[u8], from: usize) -> Option<usize> {
    let rest = line.get(from..)?;
    rest.iter().position(|&c| c == b'"').map(|at| from + at)
}

/// Calls `cell` with the range of each cell of a line the shortcut takes, in order: the text
/// between its commas, or between the quotes of a quoted cell (which [`quotes_wrap_cells`]
/// checked); returns the number of cells.
fn for_each_cell(bytes: &[u8], mut cell: impl FnMut(usize, usize)) -> usize {
    let (mut start, mut cells) = (0, 1);
    loop {
        match bytes.get(start) {
            // Most cells are empty: a comma right after a comma is looked at alone.
            Some(b',') => {
                cell(start, start);
                start += 1;
                cells += 1;
            }
            Some(b'"') => {
                let close = next_quote(bytes, start + 1).unwrap_or(bytes.len());
                cell(start + 1, close);
                if close + 1 >= bytes.len() {
                    break;
                }
                start = close + 2;
                cells += 1;
            }
            Some(_) => {
                let Some(comma) = next_comma(bytes, start) else {
                    cell(start, bytes.len());
                    break;
                };
                cell(start, comma);
                start = comma + 1;
                cells += 1;
            }
            None => {
                cell(start, start);
                break;
            }
        }
    }
    cells
}

fn unequal(file: &str, line: u64, len: usize, expected: usize) -> DataError {
    DataError::MalformedCsv {
        at: Location::new(file, line),
        message: format!("record has {len} fields, the header has {expected}"),
    }
}

/// The line of `len` bytes at the start of `available` as text, if it is UTF-8.
///
/// A line shorter than [`UTF8_WINDOW`] is checked together with the bytes after it, up to the
/// window's length and back to a character's first byte: `simdutf8` hands shorter input to the
/// standard library's check, byte by byte, some 320 instructions for a short line with Chinese
/// in it, against a few dozen for the window. If the window is not UTF-8 (the next line may not
/// be), the line is checked alone.
fn line_text(available: &[u8], len: usize) -> Option<&str> {
    let line = available.get(..len)?;
    if len < UTF8_WINDOW {
        let mut end = available.len().min(UTF8_WINDOW);
        // The window may not end inside a character: back to the start of the one it cuts.
        while end > len && available.get(end).is_some_and(|&b| b & 0xC0 == 0x80) {
            end -= 1;
        }
        let window = available.get(..end).map(simdutf8::basic::from_utf8);
        if let Some(text) = window.and_then(Result::ok).and_then(|w| w.get(..len)) {
            return Some(text);
        }
    }
    simdutf8::basic::from_utf8(line).ok()
}

/// The shortest input `simdutf8` checks by itself.
const UTF8_WINDOW: usize = 64;

/// The fields of a line the shortcut takes, given as bytes and, if they are UTF-8, as text: its
/// cells are the text between its commas, or between the quotes of a quoted cell.
fn line_fields<'a>(
    (bytes, text): (&'a [u8], Option<&'a str>),
    columns: &'a [(String, Option<usize>)],
    expected: Option<usize>,
    file: &str,
    line: u64,
    attrs: Vec<Attr<'_>>,
) -> Result<Fields<'a>, DataError> {
    let Some(text) = text else {
        let mut cells = Vec::new();
        let len = for_each_cell(bytes, |start, end| {
            cells.push(bytes.get(start..end).unwrap_or_default());
        });
        if let Some(expected) = expected.filter(|&e| e != len) {
            return Err(unequal(file, line, len, expected));
        }
        // Cell by cell, to name the column that is not UTF-8.
        return cells_fields(cells.into_iter(), columns, file, line, attrs);
    };
    let mut fields = Fields::reusing(attrs);
    let mut columns = columns.iter();
    let len = for_each_cell(bytes, |start, end| {
        let column = columns.next();
        if end > start {
            put_cell(&mut fields, column, text.get(start..end));
        }
    });
    match expected {
        Some(expected) if expected != len => Err(unequal(file, line, len, expected)),
        _ => Ok(fields),
    }
}

/// Sets the field of a cell of the shortcut, unless it is blank or past the header's columns.
fn put_cell<'a>(
    fields: &mut Fields<'a>,
    column: Option<&'a (String, Option<usize>)>,
    cell: Option<&'a str>,
) {
    // The ASCII white space `csv::Trim::All` would have trimmed.
    let (Some((column, builtin)), Some(cell)) = (column, cell.map(str::trim_ascii)) else {
        return;
    };
    if !cell.is_empty() {
        fields.put(column, *builtin, cell);
    }
}

/// The fields of a record's cells, each checked as UTF-8.
fn cells_fields<'a>(
    cells: impl Iterator<Item = &'a [u8]>,
    columns: &'a [(String, Option<usize>)],
    file: &str,
    line: u64,
    attrs: Vec<Attr<'_>>,
) -> Result<Fields<'a>, DataError> {
    let mut fields = Fields::reusing(attrs);
    for ((column, builtin), cell) in columns.iter().zip(cells) {
        let bytes = cell.trim_ascii();
        if bytes.is_empty() {
            continue;
        }
        let text = std::str::from_utf8(bytes).map_err(|_| DataError::MalformedCsv {
            at: Location::new(file, line).field(column.as_str()),
            message: format!("the cell {}", crate::parse::not_utf8_cell(bytes)),
        })?;
        fields.put(column, *builtin, text);
    }
    Ok(fields)
}

impl<'a> Fields<'a> {
    /// Sets the cell of `column` (built-in at `builtin`), not empty.
    fn put(&mut self, column: &'a str, builtin: Option<usize>, text: &'a str) {
        let value = Scalar::Str(Cow::Borrowed(text));
        match builtin.and_then(|i| self.slot_at(i)) {
            Some(slot) => *slot = Some(value),
            None => self.attrs.push((Cow::Borrowed(column), value)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::io::BufReader;

    /// How many lines after the line the `csv` crate gives a record (or error) at `position`
    /// the record starts: the newlines of the line endings its read began with.
    fn lines_late(input: &[u8], position: Option<&csv::Position>) -> u64 {
        let start = position.map_or(0, |p| p.byte() as usize);
        let ends = input.get(start..).unwrap_or_default();
        let ends = ends
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .filter(|&&b| b == b'\n');
        ends.count() as u64
    }

    /// The reader this one replaced, on the `csv` crate's own reader: the reference it must
    /// agree with, errors included, and line numbers but for the records the `csv` crate
    /// places early (after a CR LF ending or blank lines).
    fn reference(input: &[u8], offset: u64) -> Result<Vec<String>, String> {
        let mut reader = crate::parse::csv_reader(input, csv::Trim::Headers);
        let columns = crate::parse::csv_header(&mut reader, "f").map_err(|e| e.to_string())?;
        for (i, column) in columns.iter().enumerate() {
            if columns[..i].contains(column) {
                return Err(format!(
                    "f:1: field `{column}`: column `{column}` appears twice"
                ));
            }
        }
        for required in ["time", "kind", "actor"] {
            if !columns.iter().any(|c| c == required) {
                return Err(format!(
                    "f:1: field `{required}`: required value is missing"
                ));
            }
        }
        let columns: Vec<(String, Option<usize>)> = columns
            .into_iter()
            .map(|c| {
                let index = super::super::fields::builtin(&c);
                (c, index)
            })
            .collect();
        let mut record = csv::ByteRecord::new();
        let mut out = Vec::new();
        loop {
            match reader.read_byte_record(&mut record) {
                Ok(false) => return Ok(out),
                Ok(true) => {
                    let position = record.position();
                    let line = offset
                        + position.map_or(0, csv::Position::line)
                        + lines_late(input, position);
                    match cells_fields(record.iter(), &columns, "f", line, Vec::new()) {
                        Ok(fields) => out.push(format!("{line} {fields:?}")),
                        Err(e) => out.push(format!("error {e}")),
                    }
                }
                Err(e) => {
                    let late = lines_late(input, e.position());
                    match crate::parse::csv_error_shifted(e, "f", offset + late) {
                        Ok(line_error) => out.push(format!("error {line_error}")),
                        Err(fatal) => return Err(fatal.to_string()),
                    }
                }
            }
        }
    }

    fn read(input: &[u8], offset: u64, capacity: usize) -> Result<Vec<String>, String> {
        let input = BufReader::with_capacity(capacity, input);
        let mut events = CsvEvents::new(input, "f").map_err(|e| e.to_string())?;
        let mut out = Vec::new();
        while let Some(next) = events.next_record("f", offset, Vec::new()) {
            match next.map_err(|e| e.to_string())? {
                (line, Ok(fields)) => out.push(format!("{line} {fields:?}")),
                (_, Err(e)) => out.push(format!("error {e}")),
            }
        }
        Ok(out)
    }

    /// Pieces of CSV, the awkward ones often.
    fn piece() -> impl Strategy<Value = &'static [u8]> {
        prop::sample::select(vec![
            &b"a"[..],
            b"12",
            "\u{4f1a}".as_bytes(),
            b" ",
            b",",
            b",",
            b",",
            b"\"",
            b"\"\"",
            b"\"a,b\"",
            "\"\u{4f1a}\"".as_bytes(),
            b"\" x \"",
            b"\r",
            b"\n",
            b"\n",
            b"\n",
            b"\r\n",
            b"\xff",
            b"\xe4\xbc",
            b"\xef\xbb\xbf",
        ])
    }

    fn header() -> impl Strategy<Value = &'static [u8]> {
        prop::sample::select(vec![
            &b"time,kind,actor\n"[..],
            b"\xef\xbb\xbftime, kind ,actor,x\r\n",
            b"id,time,kind,actor,\"n\"\"b\",x\n",
            b"time,kind,actor,x\n\n",
            b"time,kind,actor,\"x\ny\"\r",
            b"time,kind\n",
            b"",
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn records_and_errors_are_those_of_the_csv_crate_on_the_lines_they_start(
            header in header(),
            body in prop::collection::vec(piece(), 0..60),
            offset in prop::sample::select(vec![0_u64, 7]),
            // From 4 bytes: `csv_core` strips a byte order mark only if its first input holds
            // it whole, and takes a first input of the mark alone for the end of the input.
            // The `csv` crate's reader reads through a buffer of its own, of 8 KiB; an event
            // reader's input has 64 KiB.
            capacity in 4_usize..80,
        ) {
            let mut input = header.to_vec();
            for piece in body {
                input.extend_from_slice(piece);
            }
            prop_assert_eq!(read(&input, offset, capacity), reference(&input, offset));
        }
    }

    /// Files saved on Windows end lines with CR LF; blank lines are skipped. Either way a
    /// record is placed on the line it starts on.
    #[test]
    fn records_after_cr_lf_endings_and_blank_lines_are_on_their_own_line() {
        let text = "time,kind,actor\r\n2023-01-01,k,u\r\n\r\n\n2023-01-02,k\r\n2023-01-03,k,u\n";
        for capacity in [4, 7, 64, 1 << 16] {
            let read = read(text.as_bytes(), 0, capacity).unwrap();
            let lines: Vec<&str> = read.iter().map(|r| r.split(' ').next().unwrap()).collect();
            assert_eq!(lines, ["2", "error", "6"], "{read:?}");
            assert!(read[1].starts_with("error f:5: malformed csv"), "{read:?}");
        }
    }

    #[test]
    fn typical_records_are_read_as_the_csv_crate_reads_them() {
        let text = "id,time,kind,actor,x,y\n\
                    a,2023-01-01,k,u, 1 ,\n\
                    \n\
                    b,2023-01-01,k,u,\"q,\"\"r\"\"\",\r\n\
                    c,2023-01-01,k,u,2\n\
                    d,2023-01-01,k,u,,\n\
                    e,2023-01-01,k,u,,\n\
                    \"f\",\"2023-01-01\",\"k\",\"u\",\" a, b \",\"\"\n\
                    g,2023-01-01,k,u,\"a\"b,\"\"\"\"\n\
                    \"h\",2023-01-01,k,u, \"c\",\"d\" ";
        for capacity in [4, 7, 64, 1 << 16] {
            assert_eq!(
                read(text.as_bytes(), 3, capacity),
                reference(text.as_bytes(), 3)
            );
        }
    }
}
