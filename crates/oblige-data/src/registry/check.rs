//! Checks of typed units against the plan and against each other: classes, attribute types,
//! duplicate ids, parents, parent cycles and references.

use super::{class_decls, declared};
use crate::error::{At, Cite, DataError, Location};
use crate::types::Unit;
use crate::value::{check_enum, describe, lit_fits, lit_text, suggest};
use oblige_check::model::{AttrType, Attrs, Lit, Plan};
use std::collections::{HashMap, HashSet};

/// Units by id, with their lines. Every parent and `ref` is looked up here: hashed fast.
type Index<'u> = HashMap<&'u str, (u64, &'u Unit), foldhash::fast::RandomState>;

/// Every error of the units, read from `lines` (one per unit), in no particular order (the
/// caller sorts by line).
pub(super) fn check_units(
    plan: &Plan,
    file: &str,
    lines: &[u64],
    units: &[Unit],
) -> Vec<DataError> {
    let mut errors = Vec::new();
    let mut first = Index::with_capacity_and_hasher(units.len(), Default::default());
    // The declarations of a unit's classes, looked up once per unit rather than per attribute.
    let mut decls = Vec::new();
    for (&line, unit) in lines.iter().zip(units) {
        let at = At::new(file, line);
        class_decls(plan, &unit.classes, &mut decls);
        check_unit(plan, at, unit, &decls, &mut errors);
        if let Some(&(first_line, _)) = first.get(unit.id.as_str()) {
            errors.push(DataError::DuplicateUnit {
                at: at.field("id").location(),
                id: unit.id.clone(),
                first_line,
            });
        } else {
            first.insert(&unit.id, (line, unit));
        }
    }
    for (&line, unit) in lines.iter().zip(units) {
        class_decls(plan, &unit.classes, &mut decls);
        check_links(At::new(file, line), unit, &decls, &first, &mut errors);
    }
    check_cycles(file, units, &first, &mut errors);
    errors
}

/// Checks that depend on the unit alone; `decls` are those of its classes the plan has.
fn check_unit(plan: &Plan, at: At<'_>, unit: &Unit, decls: &[&Attrs], errors: &mut Vec<DataError>) {
    if unit.classes.is_empty() {
        errors.push(DataError::MissingField {
            at: at.field("class").location(),
        });
    }
    let mut all_known = !unit.classes.is_empty();
    for class in &unit.classes {
        if !plan.classes.contains_key(class) {
            all_known = false;
            errors.push(DataError::UnknownClass {
                at: at.field("class").location(),
                name: class.clone(),
                suggestion: suggest(class, plan.classes.keys().map(String::as_str)),
            });
        }
    }
    if let (Some(from), Some(to)) = (unit.active_from, unit.active_to) {
        if to < from {
            errors.push(DataError::InvalidActiveRange {
                at: at.field("active_to").location(),
                from,
                to,
            });
        }
    }
    for (name, lit) in &unit.attrs {
        let here = at.field(name);
        match declared(decls, name) {
            // A misspelt class already explains why its attributes look undeclared.
            None if all_known => errors.push(DataError::UndeclaredUnitAttr {
                at: here.location(),
                attr: name.to_string(),
                classes: unit.classes.clone(),
            }),
            None => {}
            Some(ty) if !lit_fits(lit, ty) => errors.push(DataError::WrongType {
                at: here.location(),
                value: lit_text(lit),
                expected: describe(ty),
            }),
            Some(AttrType::Enum(e)) => {
                if let Lit::Enum(value) = lit {
                    errors.extend(check_enum(plan, e, value, &here));
                }
            }
            Some(_) => {}
        }
    }
}

/// Parent and `ref` attributes must name units of the registry (of the right class).
fn check_links(
    at: At<'_>,
    unit: &Unit,
    decls: &[&Attrs],
    units: &Index<'_>,
    errors: &mut Vec<DataError>,
) {
    if let Some(parent) = &unit.parent {
        if !units.contains_key(parent.as_str()) {
            errors.push(DataError::MissingParent {
                at: at.field("parent").location(),
                parent: parent.clone(),
            });
        }
    }
    for (name, lit) in &unit.attrs {
        let (Some(AttrType::Ref(class)), Lit::Text(id)) = (declared(decls, name), lit) else {
            continue;
        };
        let here = at.field(name);
        match units.get(id.as_str()) {
            None => errors.push(DataError::MissingRef {
                at: here.location(),
                id: id.clone(),
                class: class.clone(),
            }),
            Some((_, target)) if !target.classes.contains(class) => {
                errors.push(DataError::RefWrongClass {
                    at: here.location(),
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
fn check_cycles(file: &str, units: &[Unit], index: &Index<'_>, errors: &mut Vec<DataError>) {
    let mut done: HashSet<&str, foldhash::fast::RandomState> =
        HashSet::with_capacity_and_hasher(units.len(), Default::default());
    let mut path: Vec<&str> = Vec::new();
    for unit in units {
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
        done.extend(path.drain(..));
    }
}

fn cycle_error(file: &str, members: &[&str], index: &Index<'_>) -> DataError {
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
