//! Reading and checking the unit registry.
//!
//! A registry is read whole: every record is typed as it is read, then the units are checked
//! together, and every error of the file is reported at once.

mod check;
mod convert;
mod csv;
mod declared;
mod jsonl;

use crate::error::{At, Cite, DataError};
use crate::format::Format;
use crate::types::{Registry, Unit};
use crate::value::Scalar;
use oblige_check::model::Plan;
use std::io::{BufReader, Read};
use std::path::Path;
use std::sync::Arc;

/// Column names (CSV) and keys (JSON) that every unit has, besides its class attributes.
pub const UNIT_FIELDS: [&str; 6] = ["id", "name", "class", "parent", "active_from", "active_to"];

/// One record's non-empty cells by column name, borrowed from the reader's buffer where they
/// can be. Column names are shared: every unit of the registry keys its attributes with them.
type Cells<'a> = Vec<(Arc<str>, Scalar<'a>)>;

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
    let mut units = Units::new(plan, file);
    // Each record is typed as soon as it is read: keeping every raw record until all are read
    // would hold a large registry twice, raw and typed.
    match format {
        Format::Csv => csv::read(reader, &mut units, &mut errors),
        Format::JsonLines => jsonl::read(BufReader::new(reader), &mut units, &mut errors),
    }
    .map_err(|e| vec![e])?;
    let Units { lines, units, .. } = units;
    finish(plan, file, &lines, units, errors)
}

/// The units typed so far, with the lines they were read from.
struct Units<'p> {
    converter: convert::Converter<'p>,
    lines: Vec<u64>,
    units: Vec<Unit>,
}

impl<'p> Units<'p> {
    fn new(plan: &'p Plan, file: &'p str) -> Self {
        Self {
            converter: convert::Converter::new(plan, file),
            lines: Vec::new(),
            units: Vec::new(),
        }
    }

    /// Types the record of `line`, emptying `cells`; errors are pushed.
    fn push(&mut self, line: u64, cells: &mut Cells<'_>, errors: &mut Vec<DataError>) {
        if let Some(unit) = self.converter.convert(line, cells, errors) {
            self.lines.push(line);
            self.units.push(unit);
        }
    }
}

/// Checks units built by an embedding service (see [`Unit::builder`]) exactly as the readers
/// check a file: errors name the file `units` and the unit's 1-based position as its line.
pub fn validate_registry(plan: &Plan, units: Vec<Unit>) -> Result<Registry, Vec<DataError>> {
    let lines: Vec<u64> = (1u64..).take(units.len()).collect();
    finish(plan, "units", &lines, units, Vec::new())
}

/// Checks the units, read from `lines` (one per unit), and builds the registry.
fn finish(
    plan: &Plan,
    file: &str,
    lines: &[u64],
    units: Vec<Unit>,
    mut errors: Vec<DataError>,
) -> Result<Registry, Vec<DataError>> {
    errors.extend(check::check_units(plan, file, lines, &units));
    if !errors.is_empty() {
        // Stable: errors of one line keep the order they were found in (fields left to right).
        errors.sort_by_key(|e| e.location().map_or(0, |at| at.line));
        return Err(errors);
    }
    Registry::from_units(units).map_err(|id| {
        vec![DataError::DuplicateUnit {
            at: crate::error::Location::new(file, 0).field("id"),
            id,
            first_line: 0,
        }]
    })
}

/// Whether `column` is a built-in field or an attribute of some class; if not, the error.
fn check_column(plan: &Plan, at: At<'_>, column: &str) -> Option<DataError> {
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
        at: at.field(column).location(),
        column: column.to_owned(),
        suggestion: crate::value::suggest(column, known),
    })
}

#[cfg(test)]
mod tests;
