//! Registry records from JSON Lines: one object per line.

use super::{check_column, Cells, Units};
use crate::error::{At, DataError, Location};
use crate::lines::{is_blank, LineReader};
use crate::value::Scalar;
use indexmap::IndexMap;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::HashSet;
use std::io::BufRead;
use std::sync::Arc;

/// Reads all records into `units`, the first on line `first_line` (a byte order mark is looked
/// for on line 1 only); line errors go to `errors`, an I/O error ends reading.
pub(super) fn read<R: BufRead>(
    reader: R,
    first_line: u64,
    units: &mut Units<'_>,
    errors: &mut Vec<DataError>,
) -> Result<(), DataError> {
    let file = units.converter.file();
    let mut lines = LineReader::new(reader);
    lines.start_after(first_line.saturating_sub(1));
    // Keys found to be columns, shared by the units that have them.
    let mut known: HashSet<Arc<str>> = HashSet::new();
    let mut cells: Cells<'static> = Vec::new();
    while let Some(next) = lines.next_line() {
        let (line, bytes) = next.map_err(|e| DataError::io(file, e))?;
        if is_blank(bytes) {
            continue;
        }
        match serde_json::from_slice::<IndexMap<String, Value>>(bytes) {
            Ok(object) => {
                record(
                    object,
                    units,
                    At::new(file, line),
                    &mut known,
                    &mut cells,
                    errors,
                );
                units.push(line, &mut cells, errors);
            }
            Err(e) => errors.push(crate::parse::json_error(
                &e,
                bytes,
                Location::new(file, line),
            )),
        }
    }
    Ok(())
}

/// The object's columns into `cells`; unknown keys are errors and left out.
fn record(
    object: IndexMap<String, Value>,
    units: &Units<'_>,
    at: At<'_>,
    known: &mut HashSet<Arc<str>>,
    cells: &mut Cells<'static>,
    errors: &mut Vec<DataError>,
) {
    for (key, value) in object {
        let column = match known.get(key.as_str()) {
            Some(column) => Arc::clone(column),
            None => {
                if let Some(e) = check_column(units.converter.plan(), at, &key) {
                    errors.push(e);
                    continue;
                }
                let column: Arc<str> = key.into();
                known.insert(Arc::clone(&column));
                column
            }
        };
        let scalar = scalar(value, &*column == "class");
        if !scalar.is_absent() {
            cells.push((column, scalar));
        }
    }
}

/// The value as a scalar; a list of class names becomes the CSV spelling `a;b`.
fn scalar(value: Value, is_class: bool) -> Scalar<'static> {
    match value {
        Value::Null => Scalar::Null,
        Value::Bool(b) => Scalar::Bool(b),
        Value::Number(n) => n.as_i64().map_or_else(
            || Scalar::Float(n.as_f64().unwrap_or(f64::NAN)),
            Scalar::Int,
        ),
        Value::String(s) => Scalar::Str(Cow::Owned(s)),
        Value::Array(items) if is_class => {
            let names: Option<Vec<String>> = items
                .into_iter()
                .map(|v| match v {
                    Value::String(s) => Some(s),
                    _ => None,
                })
                .collect();
            names.map_or(Scalar::Nested("[…]"), |n| {
                Scalar::Str(Cow::Owned(n.join(";")))
            })
        }
        Value::Array(_) => Scalar::Nested("[…]"),
        Value::Object(_) => Scalar::Nested("{…}"),
    }
}
