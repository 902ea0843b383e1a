//! Parser set-up and parser errors shared by the registry and event readers.

use crate::error::{DataError, Location};
use std::io::Read;

/// A CSV reader as both readers want it: a header line, cells trimmed (spreadsheets pad them),
/// records of equal length. With `trim` [`csv::Trim::Headers`] the caller trims the cells of
/// records itself: the CSV crate trims a record by building a new one, three allocations per
/// line.
pub(crate) fn csv_reader<R: Read>(reader: R, trim: csv::Trim) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(trim)
        .flexible(false)
        .from_reader(reader)
}

/// The header's column names.
pub(crate) fn csv_header<R: Read>(
    reader: &mut csv::Reader<R>,
    file: &str,
) -> Result<Vec<String>, DataError> {
    let headers = reader
        .byte_headers()
        .map_err(|e| match csv_error(e, file) {
            Ok(line_error) | Err(line_error) => line_error,
        })?;
    header_names(headers, file)
}

/// The column names of a header record, already trimmed.
pub(crate) fn header_names(
    headers: &csv::ByteRecord,
    file: &str,
) -> Result<Vec<String>, DataError> {
    headers
        .iter()
        .enumerate()
        .map(|(i, bytes)| {
            std::str::from_utf8(bytes)
                .map(str::to_owned)
                .map_err(|_| DataError::MalformedCsv {
                    at: Location::new(file, 1),
                    message: format!("column {} of the header {}", i + 1, not_utf8_cell(bytes)),
                })
        })
        .collect()
}

/// A CSV error as a line error (`Ok`), or as an error that ends reading (`Err`).
pub(crate) fn csv_error(error: csv::Error, file: &str) -> Result<DataError, DataError> {
    csv_error_shifted(error, file, 0)
}

/// [`csv_error`] for a reader whose input starts `offset` lines into the file.
pub(crate) fn csv_error_shifted(
    error: csv::Error,
    file: &str,
    offset: u64,
) -> Result<DataError, DataError> {
    let line = error.position().map(|p| p.line() + offset);
    let message = match error.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("record has {len} fields, the header has {expected_len}"),
        _ => error.to_string(),
    };
    match (error.into_kind(), line) {
        (csv::ErrorKind::Io(e), _) => Err(DataError::io(file, e)),
        (_, Some(line)) => Ok(DataError::MalformedCsv {
            at: Location::new(file, line),
            message,
        }),
        (_, None) => Err(DataError::MalformedCsv {
            at: Location::new(file, 0),
            message,
        }),
    }
}

/// A JSON error, citing the column within the line rather than serde's "line 1", and counting
/// it in characters as editors do (serde counts bytes, three per CJK character).
///
/// A line that is not UTF-8 up to the error (a log saved as GBK, say) is reported as such, with
/// the first bad byte: serde's "invalid unicode code point" or "expected value" would not say
/// what to fix.
pub(crate) fn json_error(error: &serde_json::Error, line: &[u8], at: Location) -> DataError {
    if let Some(message) = not_utf8(line, error.column()) {
        return DataError::MalformedJson { at, message };
    }
    let text = error.to_string();
    let base = text.split(" at line ").next().unwrap_or(&text);
    let prefix = line.get(..error.column()).unwrap_or(line);
    let column = String::from_utf8_lossy(prefix).chars().count().max(1);
    DataError::MalformedJson {
        at,
        message: format!("{base} (column {column})"),
    }
}

/// Why `line` is not UTF-8, if its first bad byte comes at or before the byte column `until`
/// (1-based) where the JSON parser stopped.
fn not_utf8(line: &[u8], until: usize) -> Option<String> {
    let valid = std::str::from_utf8(line).err()?.valid_up_to();
    if valid >= until {
        return None;
    }
    let good = line.get(..valid).unwrap_or_default();
    let column = String::from_utf8_lossy(good).chars().count() + 1;
    let byte = line.get(valid).copied().unwrap_or_default();
    Some(format!(
        "the line is not utf-8 (byte `0x{byte:02x}`, column {column}); {READ_AS_UTF8}"
    ))
}

/// What to do about text that is not UTF-8.
const READ_AS_UTF8: &str =
    "files are read as utf-8, so one saved in another encoding (such as gbk) must be converted first";

/// Why a CSV cell is not UTF-8, for a message that names the cell: its first bad byte, and
/// what to do. Excel on a Chinese system saves CSV as GBK unless told to save it as UTF-8.
pub(crate) fn not_utf8_cell(bytes: &[u8]) -> String {
    let valid = std::str::from_utf8(bytes)
        .err()
        .map_or(0, |e| e.valid_up_to());
    let byte = bytes.get(valid).copied().unwrap_or_default();
    format!("is not utf-8 (byte `0x{byte:02x}`); {READ_AS_UTF8}")
}

/// `items` emptied, as a vector for elements of another lifetime: a reader's cells borrow from
/// the current line, and keeping one buffer for all lines saves an allocation per line.
pub(crate) fn recycle<T, U>(mut items: Vec<T>) -> Vec<U> {
    items.clear();
    // Collecting from the vector's own iterator into a type of the same layout reuses its
    // buffer; no element is left to map (`filter` could not change the element type).
    items.into_iter().filter_map(|_| None).collect()
}
