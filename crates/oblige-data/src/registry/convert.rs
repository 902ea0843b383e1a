//! Turns a raw record into a typed [`Unit`]: built-in fields, then attributes typed by the
//! declarations of the unit's classes.

use super::RawUnit;
use crate::error::{DataError, Location};
use crate::types::Unit;
use crate::value::{coerce, parse_date, Scalar};
use chrono::NaiveDate;
use indexmap::IndexMap;
use oblige_check::model::{Lit, Plan};

/// The unit of a record, or `None` when it has no id (errors are pushed either way).
pub(super) fn convert(
    plan: &Plan,
    file: &str,
    raw: RawUnit,
    errors: &mut Vec<DataError>,
) -> Option<(u64, Unit)> {
    let at = Location::new(file, raw.line);
    let mut unit = Unit::builder("").build();
    let mut has_id = false;
    let mut attrs = Vec::new();
    for (field, value) in raw.cells {
        let here = at.field(field.as_str());
        let result = match field.as_str() {
            "id" => text(value, &here).map(|id| {
                has_id = true;
                unit.id = id;
            }),
            "name" => text(value, &here).map(|name| unit.name = name),
            "class" => text(value, &here).map(|c| unit.classes = split_classes(&c)),
            "parent" => text(value, &here).map(|p| unit.parent = Some(p)),
            "active_from" => date(&value, &here).map(|d| unit.active_from = Some(d)),
            "active_to" => date(&value, &here).map(|d| unit.active_to = Some(d)),
            _ => {
                attrs.push((field, value));
                Ok(())
            }
        };
        if let Err(e) = result {
            errors.push(e);
        }
    }
    if !has_id {
        errors.push(DataError::MissingField { at: at.field("id") });
        return None;
    }
    if unit.name.is_empty() {
        unit.name.clone_from(&unit.id);
    }
    unit.attrs = type_attrs(plan, &unit.classes, attrs, &at, errors);
    Some((raw.line, unit))
}

/// Types each attribute by the first of the unit's classes that declares it. Attributes no class
/// of the unit declares are kept as text, for the check to report with the unit's classes.
fn type_attrs(
    plan: &Plan,
    classes: &[String],
    attrs: Vec<(String, Scalar<'static>)>,
    at: &Location,
    errors: &mut Vec<DataError>,
) -> IndexMap<String, Lit> {
    let mut typed = IndexMap::with_capacity(attrs.len());
    for (name, value) in attrs {
        let declared = classes
            .iter()
            .filter_map(|c| plan.classes.get(c))
            .find_map(|a| a.get(&name));
        let lit = match declared {
            Some(ty) => coerce(&value, ty, &at.field(name.as_str())),
            None => Ok(Lit::Text(value.text().into_owned())),
        };
        match lit {
            Ok(lit) => {
                typed.insert(name, lit);
            }
            Err(e) => errors.push(e),
        }
    }
    typed
}

/// Classes are `;`-separated (a full-width `；` too, as Chinese input methods type it).
fn split_classes(cell: &str) -> Vec<String> {
    cell.split([';', '；'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect()
}

fn text(value: Scalar<'_>, at: &Location) -> Result<String, DataError> {
    value.into_id(at)
}

fn date(value: &Scalar<'_>, at: &Location) -> Result<NaiveDate, DataError> {
    let parsed = match value {
        Scalar::Str(s) => parse_date(s),
        _ => None,
    };
    parsed.ok_or_else(|| DataError::WrongType {
        at: at.clone(),
        value: value.text().into_owned(),
        expected: "date (`YYYY-MM-DD`)".to_owned(),
    })
}
