//! Registry records from CSV: a header line, then one unit per record, each read into a reused
//! `ByteRecord` and its cells borrowed from it.

use super::{check_column, Cells, Units};
use crate::error::{At, Cite, DataError};
use crate::line_ends::LineEnds;
use crate::value::Scalar;
use csv::Position;
use std::borrow::Cow;
use std::io::Read;
use std::sync::Arc;

/// Reads all records into `units`; line errors go to `errors`, an I/O error ends reading.
///
/// Returns whether the last record's last cell ends with a line break. It does when the input
/// ends inside quotes: a part of a split file that does so did not end where a record does, and
/// its records are not those of the whole file.
pub(super) fn read<R: Read>(
    reader: R,
    units: &mut Units<'_>,
    errors: &mut Vec<DataError>,
) -> Result<bool, DataError> {
    let file = units.converter.file();
    let mut reader = crate::parse::csv_reader(LineEnds::new(reader), csv::Trim::Headers);
    let columns = header(&mut reader, units, errors)?;
    if !columns.iter().flatten().any(|c| &**c == "id") {
        // Every record would lack its id: one error instead of one per line.
        errors.push(DataError::MissingField {
            at: At::new(file, 1).field("id").location(),
        });
        return Ok(false);
    }
    let mut record = csv::ByteRecord::new();
    let mut buffer: Cells<'static> = Vec::with_capacity(columns.len());
    let mut open_at_end = false;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let last = record.len().checked_sub(1).and_then(|i| record.get(i));
                open_at_end = last.is_some_and(|cell| cell.ends_with(b"\n"));
                let line = line_of(&mut reader, record.position());
                let mut cells = crate::parse::recycle(std::mem::take(&mut buffer));
                push_cells(&record, &columns, At::new(file, line), &mut cells, errors);
                units.push(line, &mut cells, errors);
                buffer = crate::parse::recycle(cells);
            }
            Err(e) => {
                let late = late(&mut reader, e.position());
                errors.push(crate::parse::csv_error_shifted(e, file, late)?);
            }
        }
    }
    Ok(open_at_end)
}

/// The line a record read at `position` starts on.
fn line_of<R: Read>(reader: &mut csv::Reader<LineEnds<R>>, position: Option<&Position>) -> u64 {
    position.map_or(0, Position::line) + late(reader, position)
}

/// How many lines after `position`'s line the record read there starts.
fn late<R: Read>(reader: &mut csv::Reader<LineEnds<R>>, position: Option<&Position>) -> u64 {
    position.map_or(0, |p| reader.get_mut().lines_late(p.byte()))
}

/// The column names, `None` for the columns whose cells are dropped (unknown or repeated,
/// reported once here rather than on every line).
fn header<R: Read>(
    reader: &mut csv::Reader<R>,
    units: &Units<'_>,
    errors: &mut Vec<DataError>,
) -> Result<Vec<Option<Arc<str>>>, DataError> {
    let file = units.converter.file();
    let at = At::new(file, 1);
    let names = crate::parse::csv_header(reader, file)?;
    let mut columns: Vec<Option<Arc<str>>> = Vec::with_capacity(names.len());
    for name in names {
        if columns.iter().flatten().any(|c| **c == *name) {
            errors.push(DataError::DuplicateColumn {
                at: at.field(&name).location(),
                column: name,
            });
            columns.push(None);
        } else if let Some(e) = check_column(units.converter.plan(), at, &name) {
            errors.push(e);
            columns.push(None);
        } else {
            columns.push(Some(name.into()));
        }
    }
    Ok(columns)
}

/// The non-empty cells of `record` into `cells`; a cell that is not UTF-8 is an error and left
/// out.
fn push_cells<'r>(
    record: &'r csv::ByteRecord,
    columns: &[Option<Arc<str>>],
    at: At<'_>,
    cells: &mut Cells<'r>,
    errors: &mut Vec<DataError>,
) {
    for (column, bytes) in columns.iter().zip(record) {
        let Some(column) = column else { continue };
        // The ASCII white space `csv::Trim::All` would have trimmed.
        match std::str::from_utf8(bytes.trim_ascii()) {
            Ok("") => {}
            Ok(text) => cells.push((Arc::clone(column), Scalar::Str(Cow::Borrowed(text)))),
            Err(_) => errors.push(DataError::MalformedCsv {
                at: at.field(column).location(),
                message: format!(
                    "the cell {}",
                    crate::parse::not_utf8_cell(bytes.trim_ascii())
                ),
            }),
        }
    }
}
