//! Event lines from CSV: the header is resolved once, each record is read into a reused
//! `ByteRecord` and its cells borrowed as fields.

use super::fields::{Attr, Fields};
use crate::error::{DataError, Location};
use crate::value::Scalar;
use std::borrow::Cow;
use std::io::Read;

/// The CSV side of an event reader.
pub(crate) struct CsvEvents<R> {
    reader: csv::Reader<R>,
    /// Column names, each with its index in [`super::EVENT_FIELDS`] if it is built in.
    columns: Vec<(String, Option<usize>)>,
    record: csv::ByteRecord,
}

/// One record: its line, and its fields or the error that stops it.
pub(crate) type Record<'a> = (u64, Result<Fields<'a>, DataError>);

impl<R: Read> CsvEvents<R> {
    /// Reads the header; a repeated column makes every line ambiguous and a missing required one
    /// makes every line fail, so both are fatal.
    pub(crate) fn new(reader: R, file: &str) -> Result<Self, DataError> {
        let mut reader = crate::parse::csv_reader(reader, csv::Trim::Headers);
        let columns = crate::parse::csv_header(&mut reader, file)?;
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
        let columns = columns
            .into_iter()
            .map(|c| {
                let index = super::fields::builtin(&c);
                (c, index)
            })
            .collect();
        Ok(Self {
            reader,
            columns,
            record: csv::ByteRecord::new(),
        })
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
        match self.reader.read_byte_record(&mut self.record) {
            Ok(false) => None,
            Ok(true) => {
                let line = offset + self.record.position().map_or(0, csv::Position::line);
                let fields = fields(&self.record, &self.columns, file, line, attrs);
                Some(Ok((line, fields)))
            }
            Err(e) => Some(match crate::parse::csv_error_shifted(e, file, offset) {
                Ok(line_error) => {
                    let line = line_error.location().map_or(0, |at| at.line);
                    Ok((line, Err(line_error)))
                }
                Err(fatal) => Err(fatal),
            }),
        }
    }
}

fn fields<'a>(
    record: &'a csv::ByteRecord,
    columns: &'a [(String, Option<usize>)],
    file: &str,
    line: u64,
    attrs: Vec<Attr<'_>>,
) -> Result<Fields<'a>, DataError> {
    let mut fields = Fields::reusing(attrs);
    for ((column, builtin), cell) in columns.iter().zip(record) {
        // The ASCII white space `csv::Trim::All` would have trimmed.
        let bytes = cell.trim_ascii();
        if bytes.is_empty() {
            continue;
        }
        let text = std::str::from_utf8(bytes).map_err(|_| DataError::MalformedCsv {
            at: Location::new(file, line).field(column.as_str()),
            message: "invalid utf-8".to_owned(),
        })?;
        let value = Scalar::Str(Cow::Borrowed(text));
        match builtin.and_then(|i| fields.slot_at(i)) {
            Some(slot) => *slot = Some(value),
            None => fields.attrs.push((Cow::Borrowed(column.as_str()), value)),
        }
    }
    Ok(fields)
}
