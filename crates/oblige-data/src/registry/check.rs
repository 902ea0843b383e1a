//! Checks of typed units against the plan and against each other: classes, attribute types,
//! duplicate ids, parents, parent cycles and references.

use super::declared::{Declared, ForClasses};
use crate::error::{At, Cite, DataError, Location};
use crate::types::{Unit, UnitOrder};
use crate::value::{check_enum, describe, lit_fits, lit_text, suggest};
use oblige_check::model::{AttrType, Lit, Plan};
use std::collections::HashMap;

/// Units by id: the line and position of the first unit with the id. Every parent and `ref` is
/// looked up here: hashed fast.
type Index<'u> = HashMap<&'u str, (u64, usize), foldhash::fast::RandomState>;

/// Finds ids in a list of units: the position of the (first) unit with an id, and the units.
type Find<'f, 'u> = (&'f dyn Fn(&str) -> Option<usize>, &'u [Unit]);

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
    // For each unit, the position of the first unit with its id: the one parents lead to.
    let mut firsts = Vec::with_capacity(units.len());
    let mut declared = Declared::new(plan);
    for (position, (&line, unit)) in lines.iter().zip(units).enumerate() {
        let at = At::new(file, line);
        check_unit(plan, at, unit, declared.of(&unit.classes), &mut errors);
        if let Some(&(first_line, first_position)) = first.get(unit.id.as_str()) {
            errors.push(DataError::DuplicateUnit {
                at: at.field("id").location(),
                id: unit.id.clone(),
                first_line,
            });
            firsts.push(first_position);
        } else {
            first.insert(&unit.id, (line, position));
            firsts.push(position);
        }
    }
    let find = |id: &str| first.get(id).map(|&(_, position)| position);
    let parents: Vec<Option<usize>> = lines
        .iter()
        .zip(units)
        .map(|(&line, unit)| {
            let declared = declared.of(&unit.classes);
            check_links(
                At::new(file, line),
                unit,
                declared,
                (&find, units),
                &mut errors,
            )
        })
        .collect();
    let graph = Graph {
        firsts: &firsts,
        parents: &parents,
    };
    check_cycles(file, lines, units, graph, &mut errors);
    errors
}

/// Whether [`check_units`] would find no error in `units`, whose ids are distinct (`order` was
/// found for them): the same checks, made on up to `threads` threads against the registry's own
/// index rather than one built for the check, and stopping at the first error. A caller told
/// `false` runs [`check_units`] to have the errors, in the order it gives them.
pub(super) fn clean(plan: &Plan, units: &[Unit], order: &UnitOrder, threads: usize) -> bool {
    let run = units.len().div_ceil(threads.max(1)).max(MIN_CHECK_RUN);
    clean_in_runs(plan, units, order, run)
}

/// [`clean`], the units checked in runs of `run`, each on a thread of its own.
pub(super) fn clean_in_runs(plan: &Plan, units: &[Unit], order: &UnitOrder, run: usize) -> bool {
    let find = |id: &str| order.position(id);
    let run = run.max(1);
    let runs: Vec<Option<Vec<Option<usize>>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (units.chunks(run))
            .map(|part| scope.spawn(move || parents_if_clean(plan, part, (&find, units))))
            .collect();
        (handles.into_iter())
            .map(|h| h.join().ok().flatten())
            .collect()
    });
    let mut parents = Vec::with_capacity(units.len());
    for run in runs {
        let Some(run) = run else { return false };
        parents.extend(run);
    }
    let firsts: Vec<usize> = (0..units.len()).collect();
    let graph = Graph {
        firsts: &firsts,
        parents: &parents,
    };
    let mut errors = Vec::new();
    check_cycles("", &[], units, graph, &mut errors);
    errors.is_empty()
}

/// Below this many units per thread the checks are not worth splitting.
const MIN_CHECK_RUN: usize = 1 << 14;

/// The position of each unit's parent if [`check_unit`] and [`check_links`] find nothing wrong
/// with any of `part`; `find` looks ids up in all the `units`.
fn parents_if_clean(
    plan: &Plan,
    part: &[Unit],
    (find, units): Find<'_, '_>,
) -> Option<Vec<Option<usize>>> {
    let mut declared = Declared::new(plan);
    let mut errors = Vec::new();
    let mut parents = Vec::with_capacity(part.len());
    for unit in part {
        let at = At::new("", 0);
        let declared = declared.of(&unit.classes);
        check_unit(plan, at, unit, declared, &mut errors);
        parents.push(check_links(at, unit, declared, (find, units), &mut errors));
        if !errors.is_empty() {
            return None;
        }
    }
    Some(parents)
}

/// Checks that depend on the unit alone; `declared` is what the plan declares for its classes.
fn check_unit(
    plan: &Plan,
    at: At<'_>,
    unit: &Unit,
    declared: &mut ForClasses<'_>,
    errors: &mut Vec<DataError>,
) {
    if unit.classes.is_empty() {
        errors.push(DataError::MissingField {
            at: at.field("class").location(),
        });
    }
    let all_known = declared.all_known;
    for class in unit.classes.iter().filter(|_| !all_known) {
        if !plan.classes.contains_key(class) {
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
        let declaration = declared.attr(name);
        match declaration.ty {
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
            Some(AttrType::Enum(e)) => match lit {
                // The values are known: a value of the enum needs no look-up by the enum's name.
                Lit::Enum(value) if !declaration.values.iter().any(|v| v == value) => {
                    errors.extend(check_enum(plan, e, value, &here));
                }
                _ => {}
            },
            Some(_) => {}
        }
    }
}

/// Parent and `ref` attributes must name units of the registry (of the right class); `find`
/// gives the position in `units` of the (first) unit with an id. Returns the position of the
/// parent.
fn check_links(
    at: At<'_>,
    unit: &Unit,
    declared: &mut ForClasses<'_>,
    (find, units): Find<'_, '_>,
    errors: &mut Vec<DataError>,
) -> Option<usize> {
    let parent = unit.parent.as_ref().and_then(|parent| {
        let found = find(parent);
        if found.is_none() {
            errors.push(DataError::MissingParent {
                at: at.field("parent").location(),
                parent: parent.clone(),
            });
        }
        found
    });
    for (name, lit) in &unit.attrs {
        let (Some(AttrType::Ref(class)), Lit::Text(id)) = (declared.attr(name).ty, lit) else {
            continue;
        };
        let here = at.field(name);
        let target = find(id).and_then(|p| units.get(p));
        match target {
            None => errors.push(DataError::MissingRef {
                at: here.location(),
                id: id.to_string(),
                class: class.clone(),
            }),
            Some(target) if !target.classes.contains(class) => {
                errors.push(DataError::RefWrongClass {
                    at: here.location(),
                    id: id.to_string(),
                    class: class.clone(),
                    actual: target.classes.clone(),
                });
            }
            Some(_) => {}
        }
    }
    parent
}

/// The parent links between units, by position: a unit stands for all the units with its id
/// (the first of them, whose parent is followed), and a parent is the first unit with its id.
#[derive(Clone, Copy)]
struct Graph<'g> {
    /// For each unit, the position of the first unit with its id.
    firsts: &'g [usize],
    /// For each unit, the position of its parent, if the registry has it.
    parents: &'g [Option<usize>],
}

/// Where a unit stands in the walk up its parents.
#[derive(Clone, Copy, PartialEq)]
enum Walk {
    NotSeen,
    OnPath,
    Done,
}

/// Reports each parent cycle once, at the line of its first unit in file order.
fn check_cycles(
    file: &str,
    lines: &[u64],
    units: &[Unit],
    graph: Graph<'_>,
    errors: &mut Vec<DataError>,
) {
    let mut walk = vec![Walk::NotSeen; units.len()];
    let mut path: Vec<usize> = Vec::new();
    for &start in graph.firsts {
        let mut current = Some(start);
        while let Some(position) = current {
            match walk.get(position) {
                Some(Walk::NotSeen) => {}
                Some(Walk::OnPath) => {
                    let from = path.iter().position(|p| *p == position).unwrap_or(0);
                    let cycle = path.get(from..).unwrap_or_default();
                    errors.push(cycle_error(file, lines, units, cycle));
                    break;
                }
                Some(Walk::Done) | None => break,
            }
            path.push(position);
            if let Some(w) = walk.get_mut(position) {
                *w = Walk::OnPath;
            }
            current = graph.parents.get(position).copied().flatten();
        }
        for p in path.drain(..) {
            if let Some(w) = walk.get_mut(p) {
                *w = Walk::Done;
            }
        }
    }
}

/// The error for the cycle of the units at `members` (positions of first units with their ids).
fn cycle_error(file: &str, lines: &[u64], units: &[Unit], members: &[usize]) -> DataError {
    let line_of = |position: usize| lines.get(position).copied().unwrap_or(0);
    let id_of = |position: &usize| units.get(*position).map_or("", |u| u.id.as_str());
    let start = (0..members.len())
        .min_by_key(|&i| members.get(i).map_or(0, |&p| line_of(p)))
        .unwrap_or(0);
    let mut cycle: Vec<String> = members[start..]
        .iter()
        .chain(&members[..start])
        .map(|p| id_of(p).to_owned())
        .collect();
    let line = members.get(start).map_or(0, |&p| line_of(p));
    let head = cycle.first().cloned().unwrap_or_default();
    cycle.push(head);
    DataError::ParentCycle {
        at: Location::new(file, line).field("parent"),
        cycle,
    }
}
