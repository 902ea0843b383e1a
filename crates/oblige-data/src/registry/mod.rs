//! Reading and checking the unit registry.
//!
//! A registry is read whole: every record is typed as it is read, then the units are checked
//! together, and every error of the file is reported at once.

mod check;
mod convert;
mod csv;
mod declared;
mod jsonl;
mod parts;

use crate::error::{At, Cite, DataError};
use crate::format::Format;
use crate::types::{Registry, Unit, UnitOrder};
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
    read_registry_file_threads(path, plan, 1)
}

/// [`read_registry_file`] on up to `threads` threads: a large file is split at record
/// boundaries into parts read at the same time, and the units are checked and sorted on all of
/// them. The registry is the same whatever the threads; a file with errors is read again by
/// one reader, so that its errors are always those of [`read_registry_file`].
pub fn read_registry_file_threads(
    path: impl AsRef<Path>,
    plan: &Plan,
    threads: usize,
) -> Result<Registry, Vec<DataError>> {
    let path = path.as_ref();
    let format = Format::from_path(path).map_err(|e| vec![e])?;
    let name = path.display().to_string();
    if let Some(registry) = parts::read(path, format, &name, plan, threads) {
        return Ok(registry);
    }
    let file = std::fs::File::open(path).map_err(|e| vec![DataError::io(&name, e)])?;
    read_units(BufReader::new(file), format, &name, plan, threads)
}

/// Reads a registry from any reader; `file` is the name used in errors.
pub fn read_registry<R: Read>(
    reader: R,
    format: Format,
    file: &str,
    plan: &Plan,
) -> Result<Registry, Vec<DataError>> {
    read_units(reader, format, file, plan, 1)
}

/// [`read_registry`], the units checked and sorted on up to `threads` threads.
fn read_units<R: Read>(
    reader: R,
    format: Format,
    file: &str,
    plan: &Plan,
    threads: usize,
) -> Result<Registry, Vec<DataError>> {
    let mut errors = Vec::new();
    let mut units = Units::new(plan, file);
    // Each record is typed as soon as it is read: keeping every raw record until all are read
    // would hold a large registry twice, raw and typed.
    match format {
        Format::Csv => csv::read(reader, &mut units, &mut errors).map(|_| ()),
        Format::JsonLines => jsonl::read(BufReader::new(reader), 1, &mut units, &mut errors),
    }
    .map_err(|e| vec![e])?;
    let Units { lines, units, .. } = units;
    finish(plan, (file, &lines), units, errors, threads)
}

/// The units typed so far, with the lines they were read from.
struct Units<'p> {
    converter: convert::Converter<'p>,
    lines: Vec<u64>,
    units: Vec<Unit>,
}

impl<'p> Units<'p> {
    fn new(plan: &'p Plan, file: &'p str) -> Self {
        Self::with_capacity(plan, file, 0)
    }

    /// Room for `records` units: a list grown by doubling copies every unit again and again.
    fn with_capacity(plan: &'p Plan, file: &'p str, records: usize) -> Self {
        Self {
            converter: convert::Converter::new(plan, file),
            lines: Vec::with_capacity(records),
            units: Vec::with_capacity(records),
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
    finish(plan, ("units", &lines), units, Vec::new(), 1)
}

/// The registry of `units` if they pass every check; the units, unmoved, if any fails (the
/// errors are not worked out here).
fn checked(plan: &Plan, units: Vec<Unit>, threads: usize) -> Result<Registry, Vec<Unit>> {
    match UnitOrder::of(&units, threads) {
        Ok(order) if check::clean(plan, &units, &order, threads) => {
            Ok(Registry::in_order(units, order))
        }
        _ => Err(units),
    }
}

/// Checks the units of `file`, read from `lines` (one per unit), and builds the registry;
/// `errors` are those found reading them.
fn finish(
    plan: &Plan,
    (file, lines): (&str, &[u64]),
    units: Vec<Unit>,
    mut errors: Vec<DataError>,
    threads: usize,
) -> Result<Registry, Vec<DataError>> {
    // Nearly every registry is clean: checked once, without the errors' details, against the
    // registry's own index. Only one with errors is checked again to have them all.
    let units = match errors.is_empty() {
        true => match checked(plan, units, threads) {
            Ok(registry) => return Ok(registry),
            Err(units) => units,
        },
        false => units,
    };
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

#[cfg(test)]
mod parts_tests;
