//! Registry records from CSV: a header line, then one unit per record.

use super::{check_column, RawUnit};
use crate::error::{DataError, Location};
use crate::value::Scalar;
use oblige_check::model::Plan;
use std::borrow::Cow;
use std::io::Read;

/// Reads all records; line errors go to `errors`, an I/O error ends reading.
pub(super) fn read<R: Read>(
    reader: R,
    file: &str,
    plan: &Plan,
    errors: &mut Vec<DataError>,
) -> Result<Vec<RawUnit>, DataError> {
    let mut reader = crate::parse::csv_reader(reader, csv::Trim::All);
    let columns = header(&mut reader, file, plan, errors)?;
    if !columns.iter().flatten().any(|c| c == "id") {
        // Every record would lack its id: one error instead of one per line.
        errors.push(DataError::MissingField {
            at: Location::new(file, 1).field("id"),
        });
        return Ok(Vec::new());
    }
    let mut raw = Vec::new();
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => raw.push(cells(&record, &columns, file, errors)),
            Err(e) => errors.push(crate::parse::csv_error(e, file)?),
        }
    }
    Ok(raw)
}

/// The column names, `None` for the columns whose cells are dropped (unknown or repeated,
/// reported once here rather than on every line).
fn header<R: Read>(
    reader: &mut csv::Reader<R>,
    file: &str,
    plan: &Plan,
    errors: &mut Vec<DataError>,
) -> Result<Vec<Option<String>>, DataError> {
    let at = Location::new(file, 1);
    let names = crate::parse::csv_header(reader, file)?;
    let mut columns: Vec<Option<String>> = Vec::with_capacity(names.len());
    for name in names {
        if columns.iter().flatten().any(|c| *c == name) {
            errors.push(DataError::DuplicateColumn {
                at: at.field(name.as_str()),
                column: name,
            });
            columns.push(None);
        } else if let Some(e) = check_column(plan, &at, &name) {
            errors.push(e);
            columns.push(None);
        } else {
            columns.push(Some(name));
        }
    }
    Ok(columns)
}

fn cells(
    record: &csv::ByteRecord,
    columns: &[Option<String>],
    file: &str,
    errors: &mut Vec<DataError>,
) -> RawUnit {
    let line = record.position().map_or(0, csv::Position::line);
    let mut cells = Vec::with_capacity(columns.len());
    for (column, bytes) in columns.iter().zip(record) {
        let Some(column) = column else { continue };
        match std::str::from_utf8(bytes) {
            Ok("") => {}
            Ok(text) => cells.push((column.clone(), Scalar::Str(Cow::Owned(text.to_owned())))),
            Err(_) => errors.push(DataError::MalformedCsv {
                at: Location::new(file, line).field(column.as_str()),
                message: "invalid utf-8".to_owned(),
            }),
        }
    }
    RawUnit { line, cells }
}
