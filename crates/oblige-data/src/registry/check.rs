//! Checks of typed units against the plan and against each other: classes, attribute types,
//! duplicate ids, parents, parent cycles and references.

use crate::error::{DataError, Location};
use crate::types::Unit;
use crate::value::{check_enum, describe, lit_fits, lit_text, suggest};
use oblige_check::model::{AttrType, Lit, Plan};
use std::collections::{HashMap, HashSet};

/// Every error of the units, in no particular order (the caller sorts by line).
pub(super) fn check_units(plan: &Plan, file: &str, units: &[(u64, Unit)]) -> Vec<DataError> {
    let mut errors = Vec::new();
    let mut first: HashMap<&str, (u64, &Unit)> = HashMap::with_capacity(units.len());
    for (line, unit) in units {
        let at = Location::new(file, *line);
        check_unit(plan, &at, unit, &mut errors);
        if let Some(&(first_line, _)) = first.get(unit.id.as_str()) {
            errors.push(DataError::DuplicateUnit {
                at: at.field("id"),
                id: unit.id.clone(),
                first_line,
            });
        } else {
            first.insert(&unit.id, (*line, unit));
        }
    }
    for (line, unit) in units {
        let at = Location::new(file, *line);
        check_links(plan, &at, unit, &first, &mut errors);
    }
    check_cycles(file, units, &first, &mut errors);
    errors
}

/// Checks that depend on the unit alone.
fn check_unit(plan: &Plan, at: &Location, unit: &Unit, errors: &mut Vec<DataError>) {
    if unit.classes.is_empty() {
        errors.push(DataError::MissingField {
            at: at.field("class"),
        });
    }
    let mut all_known = !unit.classes.is_empty();
    for class in &unit.classes {
        if !plan.classes.contains_key(class) {
            all_known = false;
            errors.push(DataError::UnknownClass {
                at: at.field("class"),
                name: class.clone(),
                suggestion: suggest(class, plan.classes.keys().map(String::as_str)),
            });
        }
    }
    if let (Some(from), Some(to)) = (unit.active_from, unit.active_to) {
        if to < from {
            errors.push(DataError::InvalidActiveRange {
                at: at.field("active_to"),
                from,
                to,
            });
        }
    }
    for (name, lit) in &unit.attrs {
        let here = at.field(name.as_str());
        match declared_type(plan, unit, name) {
            // A misspelt class already explains why its attributes look undeclared.
            None if all_known => errors.push(DataError::UndeclaredUnitAttr {
                at: here,
                attr: name.clone(),
                classes: unit.classes.clone(),
            }),
            None => {}
            Some(ty) if !lit_fits(lit, ty) => errors.push(DataError::WrongType {
                at: here,
                value: lit_text(lit),
                expected: describe(ty),
            }),
            Some(AttrType::Enum(e)) => errors.extend(check_enum(plan, e, &lit_text(lit), &here)),
            Some(_) => {}
        }
    }
}

fn declared_type<'p>(plan: &'p Plan, unit: &Unit, attr: &str) -> Option<&'p AttrType> {
    unit.classes
        .iter()
        .filter_map(|c| plan.classes.get(c))
        .find_map(|a| a.get(attr))
}

/// Parent and `ref` attributes must name units of the registry (of the right class).
fn check_links(
    plan: &Plan,
    at: &Location,
    unit: &Unit,
    units: &HashMap<&str, (u64, &Unit)>,
    errors: &mut Vec<DataError>,
) {
    if let Some(parent) = &unit.parent {
        if !units.contains_key(parent.as_str()) {
            errors.push(DataError::MissingParent {
                at: at.field("parent"),
                parent: parent.clone(),
            });
        }
    }
    for (name, lit) in &unit.attrs {
        let (Some(AttrType::Ref(class)), Lit::Text(id)) = (declared_type(plan, unit, name), lit)
        else {
            continue;
        };
        let here = at.field(name.as_str());
        match units.get(id.as_str()) {
            None => errors.push(DataError::MissingRef {
                at: here,
                id: id.clone(),
                class: class.clone(),
            }),
            Some((_, target)) if !target.classes.contains(class) => {
                errors.push(DataError::RefWrongClass {
                    at: here,
                    id: id.clone(),
                    class: class.clone(),
                    actual: target.classes.clone(),
                });
            }
            Some(_) => {}
        }
    }
}

/// Reports each parent cycle once, at the line of its first unit in file order.
fn check_cycles(
    file: &str,
    units: &[(u64, Unit)],
    index: &HashMap<&str, (u64, &Unit)>,
    errors: &mut Vec<DataError>,
) {
    let mut done: HashSet<&str> = HashSet::with_capacity(units.len());
    for (_, unit) in units {
        let mut path: Vec<&str> = Vec::new();
        let mut current = Some(unit.id.as_str());
        while let Some(id) = current {
            if done.contains(id) {
                break;
            }
            if let Some(pos) = path.iter().position(|p| *p == id) {
                errors.push(cycle_error(file, &path[pos..], index));
                break;
            }
            path.push(id);
            current = index.get(id).and_then(|(_, u)| u.parent.as_deref());
        }
        done.extend(path);
    }
}

fn cycle_error(file: &str, members: &[&str], index: &HashMap<&str, (u64, &Unit)>) -> DataError {
    let line_of = |id: &str| index.get(id).map_or(0, |(line, _)| *line);
    let start = (0..members.len())
        .min_by_key(|&i| members.get(i).map_or(0, |id| line_of(id)))
        .unwrap_or(0);
    let mut cycle: Vec<String> = members[start..]
        .iter()
        .chain(&members[..start])
        .map(|s| (*s).to_owned())
        .collect();
    let head = cycle.first().cloned().unwrap_or_default();
    let line = line_of(&head);
    cycle.push(head);
    DataError::ParentCycle {
        at: Location::new(file, line).field("parent"),
        cycle,
    }
}
