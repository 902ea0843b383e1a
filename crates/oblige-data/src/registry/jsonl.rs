//! Registry records from JSON Lines: one object per line.

use super::{check_column, RawUnit};
use crate::error::{DataError, Location};
use crate::lines::{is_blank, LineReader};
use crate::value::Scalar;
use indexmap::IndexMap;
use oblige_check::model::Plan;
use serde_json::Value;
use std::borrow::Cow;
use std::io::BufRead;

/// Reads all records; line errors go to `errors`, an I/O error ends reading.
pub(super) fn read<R: BufRead>(
    reader: R,
    file: &str,
    plan: &Plan,
    errors: &mut Vec<DataError>,
) -> Result<Vec<RawUnit>, DataError> {
    let mut lines = LineReader::new(reader);
    let mut raw = Vec::new();
    while let Some(next) = lines.next_line() {
        let (line, bytes) = next.map_err(|e| DataError::io(file, e))?;
        if is_blank(bytes) {
            continue;
        }
        let at = Location::new(file, line);
        match serde_json::from_slice::<IndexMap<String, Value>>(bytes) {
            Ok(object) => raw.push(record(object, plan, &at, errors)),
            Err(e) => errors.push(crate::parse::json_error(&e, bytes, at)),
        }
    }
    Ok(raw)
}

fn record(
    object: IndexMap<String, Value>,
    plan: &Plan,
    at: &Location,
    errors: &mut Vec<DataError>,
) -> RawUnit {
    let mut cells = Vec::with_capacity(object.len());
    for (key, value) in object {
        if let Some(e) = check_column(plan, at, &key) {
            errors.push(e);
            continue;
        }
        let scalar = scalar(value, key == "class");
        if !scalar.is_absent() {
            cells.push((key, scalar));
        }
    }
    RawUnit {
        line: at.line,
        cells,
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
