//! Turns a record's cells into a typed [`Unit`]: built-in fields, then attributes typed by the
//! declarations of the unit's classes.

use super::declared::{Declared, ForClasses};
use super::{Cells, UNIT_FIELDS};
use crate::error::{At, Cite, DataError};
use crate::types::{Unit, UnitAttrs};
use crate::unit_attrs::Shared;
use crate::value::{coerce, parse_date, Scalar};
use chrono::NaiveDate;
use oblige_check::model::{Lit, Plan};

/// Types the records of one file.
pub(super) struct Converter<'p> {
    plan: &'p Plan,
    file: &'p str,
    /// The declarations of each list of classes, looked up once per list rather than per unit.
    declared: Declared<'p>,
    /// What the units read so far let the next share: lists of attribute names and values.
    shared: Shared,
}

impl<'p> Converter<'p> {
    pub(super) fn new(plan: &'p Plan, file: &'p str) -> Self {
        Self {
            plan,
            file,
            declared: Declared::new(plan),
            shared: Shared::default(),
        }
    }

    pub(super) fn plan(&self) -> &'p Plan {
        self.plan
    }

    /// The file name used in errors.
    pub(super) fn file(&self) -> &'p str {
        self.file
    }

    /// The unit of the record of `line`, or `None` when it has no id (errors are pushed either
    /// way). `cells` is left empty.
    pub(super) fn convert(
        &mut self,
        line: u64,
        cells: &mut Cells<'_>,
        errors: &mut Vec<DataError>,
    ) -> Option<Unit> {
        let at = At::new(self.file, line);
        let mut unit = Unit::builder("").build();
        let mut has_id = false;
        let mut attr_count = 0;
        for (field, value) in cells.iter() {
            let here = at.field(field);
            let result = match field.as_ref() {
                "id" => value.write_id(&mut unit.id, &here).map(|()| has_id = true),
                "name" => value.write_id(&mut unit.name, &here),
                "class" => classes(value, here).map(|c| unit.classes = c),
                "parent" => text(value, here).map(|p| unit.parent = Some(p)),
                "active_from" => date(value, here).map(|d| unit.active_from = Some(d)),
                "active_to" => date(value, here).map(|d| unit.active_to = Some(d)),
                _ => {
                    attr_count += 1;
                    Ok(())
                }
            };
            if let Err(e) = result {
                errors.push(e);
            }
        }
        if !has_id {
            cells.clear();
            errors.push(DataError::MissingField {
                at: at.field("id").location(),
            });
            return None;
        }
        if unit.name.is_empty() {
            unit.name.clone_from(&unit.id);
        }
        let declared = self.declared.of(&unit.classes);
        unit.attrs = type_attrs(declared, cells, attr_count, at, errors).sharing(&mut self.shared);
        Some(unit)
    }
}

/// Types each attribute by the first of the unit's classes that declares it. Attributes no
/// class of the unit declares are kept as text, for the check to report with the unit's classes.
fn type_attrs(
    declared: &mut ForClasses<'_>,
    cells: &mut Cells<'_>,
    count: usize,
    at: At<'_>,
    errors: &mut Vec<DataError>,
) -> UnitAttrs {
    // Sized for every attribute, so that the attributes end in this allocation unless some fail.
    let mut typed = Vec::with_capacity(count);
    let attrs = cells
        .drain(..)
        .filter(|(name, _)| !UNIT_FIELDS.contains(&&**name));
    for (name, value) in attrs {
        let lit = match declared.attr(&name).ty {
            Some(ty) => coerce(&value, ty, &at.field(&name)),
            None => Ok(Lit::Text(value.text().as_ref().into())),
        };
        match lit {
            Ok(lit) => typed.push((name, lit)),
            Err(e) => errors.push(e),
        }
    }
    UnitAttrs::from(typed)
}

/// Classes are `;`-separated (a full-width `；` too, as Chinese input methods type it).
fn split_classes(cell: &str) -> Vec<String> {
    cell.split([';', '；'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect()
}

fn classes(value: &Scalar<'_>, at: At<'_>) -> Result<Vec<String>, DataError> {
    match value {
        Scalar::Str(cell) => Ok(split_classes(cell)),
        other => text(other, at).map(|cell| split_classes(&cell)),
    }
}

fn text(value: &Scalar<'_>, at: At<'_>) -> Result<String, DataError> {
    let mut text = String::new();
    value.write_id(&mut text, &at)?;
    Ok(text)
}

fn date(value: &Scalar<'_>, at: At<'_>) -> Result<NaiveDate, DataError> {
    let parsed = match value {
        Scalar::Str(s) => parse_date(s),
        _ => None,
    };
    parsed.ok_or_else(|| DataError::WrongType {
        at: at.location(),
        value: value.text().into_owned(),
        expected: "date (`YYYY-MM-DD`)".to_owned(),
    })
}
