//! Reading and checking the unit registry.
//!
//! A registry is small (thousands of units, not millions), so it is read whole: every record is
//! typed, then the units are checked together, and every error of the file is reported at once.

mod check;
mod convert;
mod csv;
mod jsonl;

use crate::error::DataError;
use crate::format::Format;
use crate::types::{Registry, Unit};
use crate::value::Scalar;
use oblige_check::model::Plan;
use std::io::{BufReader, Read};
use std::path::Path;

/// Column names (CSV) and keys (JSON) that every unit has, besides its class attributes.
pub const UNIT_FIELDS: [&str; 6] = ["id", "name", "class", "parent", "active_from", "active_to"];

/// One record as read, before typing: the line and the non-empty cells by column name.
struct RawUnit {
    line: u64,
    cells: Vec<(String, Scalar<'static>)>,
}

/// Reads a registry file, its format given by its extension (`.csv`, `.jsonl`, `.ndjson`).
pub fn read_registry_file(path: impl AsRef<Path>, plan: &Plan) -> Result<Registry, Vec<DataError>> {
    let path = path.as_ref();
    let format = Format::from_path(path).map_err(|e| vec![e])?;
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| vec![DataError::io(&name, e)])?;
    read_registry(BufReader::new(file), format, &name, plan)
}

/// Reads a registry from any reader; `file` is the name used in errors.
pub fn read_registry<R: Read>(
    reader: R,
    format: Format,
    file: &str,
    plan: &Plan,
) -> Result<Registry, Vec<DataError>> {
    let mut errors = Vec::new();
    let raw = match format {
        Format::Csv => csv::read(reader, file, plan, &mut errors),
        Format::JsonLines => jsonl::read(BufReader::new(reader), file, plan, &mut errors),
    }
    .map_err(|e| vec![e])?;
    let units: Vec<(u64, Unit)> = raw
        .into_iter()
        .filter_map(|r| convert::convert(plan, file, r, &mut errors))
        .collect();
    finish(plan, file, units, errors)
}

/// Checks units built by an embedding service (see [`Unit::builder`]) exactly as the readers
/// check a file: errors name the file `units` and the unit's 1-based position as its line.
pub fn validate_registry(plan: &Plan, units: Vec<Unit>) -> Result<Registry, Vec<DataError>> {
    let numbered = (1u64..).zip(units).collect();
    finish(plan, "units", numbered, Vec::new())
}

fn finish(
    plan: &Plan,
    file: &str,
    units: Vec<(u64, Unit)>,
    mut errors: Vec<DataError>,
) -> Result<Registry, Vec<DataError>> {
    errors.extend(check::check_units(plan, file, &units));
    if !errors.is_empty() {
        // Stable: errors of one line keep the order they were found in (fields left to right).
        errors.sort_by_key(|e| e.location().map_or(0, |at| at.line));
        return Err(errors);
    }
    let units = units.into_iter().map(|(_, u)| u).collect();
    Registry::from_units(units).map_err(|id| {
        vec![DataError::DuplicateUnit {
            at: crate::error::Location::new(file, 0).field("id"),
            id,
            first_line: 0,
        }]
    })
}

/// Whether `column` is a built-in field or an attribute of some class; if not, the error.
fn check_column(plan: &Plan, at: &crate::error::Location, column: &str) -> Option<DataError> {
    let is_attr = plan
        .classes
        .values()
        .any(|attrs| attrs.contains_key(column));
    if is_attr || UNIT_FIELDS.contains(&column) {
        return None;
    }
    let known = UNIT_FIELDS.iter().copied().chain(
        plan.classes
            .values()
            .flat_map(|a| a.keys().map(String::as_str)),
    );
    Some(DataError::UnknownColumn {
        at: at.field(column),
        column: column.to_owned(),
        suggestion: crate::value::suggest(column, known),
    })
}

#[cfg(test)]
mod tests;
