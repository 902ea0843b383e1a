//! Narrowing the subjects an event is tried against when a pattern does not name them
//! (`by anyone`, `by actor where …`): a conjunct of the pattern that ties the subject to the
//! event picks the few subjects it can hold for, instead of every member of the class.
//!
//! - `actor under subject` (also `target`, `event`): the subject is an ancestor of the actor;
//! - `subject.a = X` where X reads only the event (its actor, target or attributes) or is a
//!   literal: the subject is a member whose `a` equals X, looked up in an index built once.
//!
//! The narrowed set always contains every subject the pattern can match (the pattern is still
//! checked against each), so results are those of trying every member; a pattern with no such
//! conjunct is tried against every member.

use std::collections::HashMap;

use fixedbitset::FixedBitSet;
use oblige_check::model::{Actor, CmpOp, Lit, Pattern, Pred, Value, Who};
use oblige_data::Registry;

use crate::pred::{Ctx, Slots, Val};
use crate::setup::over_members;

/// How a pattern narrows its subjects.
pub enum Narrow<'p> {
    /// The subject is a strict ancestor of this unit (actor or target).
    Ancestor(Who),
    /// The subject's attribute (name) equals this value, which does not read the subject.
    Equal(&'p Value, &'p str),
}

/// The first conjunct of `pattern`'s actor condition and filter that narrows its subjects.
pub fn narrowing(pattern: &Pattern) -> Option<Narrow<'_>> {
    let by = match &pattern.by {
        Actor::Related(pred) => find(pred),
        Actor::Subject | Actor::Anyone => None,
    };
    by.or_else(|| pattern.filter.as_ref().and_then(find))
}

fn find(pred: &Pred) -> Option<Narrow<'_>> {
    match pred {
        Pred::And(a, b) => find(a).or_else(|| find(b)),
        other => narrow(other),
    }
}

fn narrow(pred: &Pred) -> Option<Narrow<'_>> {
    match pred {
        Pred::Under(Who::Actor | Who::Event, Who::Subject) => Some(Narrow::Ancestor(Who::Actor)),
        Pred::Under(Who::Target, Who::Subject) => Some(Narrow::Ancestor(Who::Target)),
        Pred::Compare(a, CmpOp::Eq, b) => match (a, b) {
            (Value::Attr(Who::Subject, name), other) | (other, Value::Attr(Who::Subject, name))
                if reads_event_only(other) =>
            {
                Some(Narrow::Equal(other, name))
            }
            _ => None,
        },
        _ => None,
    }
}

/// Values known from the event alone (not the subject, period, trigger or findings).
fn reads_event_only(value: &Value) -> bool {
    match value {
        Value::Lit(_) => true,
        Value::Attr(who, _) => matches!(who, Who::Actor | Who::Target | Who::Event),
        Value::PeriodStart | Value::PeriodEnd => false,
    }
}

/// Text and enum values are equal when their text is, so they share an index key.
pub fn key(lit: Lit) -> Lit {
    match lit {
        Lit::Enum(text) => Lit::Text(text),
        other => other,
    }
}

/// By class and attribute: the members of the class by their value of the attribute.
pub type AttrIndex = HashMap<String, HashMap<String, HashMap<Lit, Vec<usize>>>>;

/// Indexes the members of `class` by each of `attrs` into `index`, once per pair. The members
/// are read in one pass for all the attributes, on up to `threads` threads.
pub fn index_attrs(
    index: &mut AttrIndex,
    registry: &Registry,
    (class, members, threads): (&str, &[usize], usize),
    attrs: &[&str],
) {
    let by_attr = index.entry(class.to_string()).or_default();
    let mut attrs: Vec<&str> = attrs
        .iter()
        .copied()
        .filter(|a| !by_attr.contains_key(*a))
        .collect();
    attrs.sort_unstable();
    attrs.dedup();
    let mut found: Vec<ByValue<'_>> = vec![ByValue::default(); attrs.len()];
    let work = |part: &[usize]| by_value(registry, part, &attrs);
    over_members((members, threads), work, |part| {
        for (all, part) in found.iter_mut().zip(part) {
            for (value, positions) in part {
                all.entry(value).or_default().extend(positions);
            }
        }
    });
    for (attr, found) in attrs.into_iter().zip(found) {
        let by_value = found.into_iter().map(|(v, m)| (v.to_lit(), m));
        by_attr.insert(attr.to_string(), by_value.collect());
    }
}

/// Registry positions by a borrowed value (text and enum values alike, as [`key`] does), so that
/// a literal is built and hashed with SipHash once per value, not once per member.
type ByValue<'r> = HashMap<Val<'r>, Vec<usize>, foldhash::fast::RandomState>;

/// The units at `positions` by their value of each of `attrs`, in the order of `attrs`.
fn by_value<'r>(registry: &'r Registry, positions: &[usize], attrs: &[&str]) -> Vec<ByValue<'r>> {
    let mut found: Vec<ByValue<'r>> = vec![ByValue::default(); attrs.len()];
    let mut slots = Slots::of(attrs);
    let mut vals = Vec::new();
    for &p in positions {
        let Some(unit) = registry.units().get(p) else {
            continue;
        };
        slots.read(unit, &mut vals);
        for (value, found) in vals.iter().zip(&mut found) {
            if let Some(value) = value {
                found.entry(*value).or_default().push(p);
            }
        }
    }
    found
}

/// The registry positions of the strict ancestors of `unit` that are in `members`, as
/// `Registry::is_under` walks them.
pub fn ancestors(registry: &Registry, unit: usize, members: &FixedBitSet) -> Vec<usize> {
    let mut found = Vec::new();
    let mut current = registry.units().get(unit).and_then(|u| u.parent.as_deref());
    for _ in 0..registry.units().len() {
        let Some(id) = current else {
            break;
        };
        let position = registry.position(id);
        if let Some(p) = position.filter(|p| members.contains(*p)) {
            found.push(p);
        }
        current = position
            .and_then(|p| registry.units().get(p))
            .and_then(|u| u.parent.as_deref());
    }
    found
}

/// The value of `value` for the event in `ctx` (subject unset), as an index key.
pub fn event_key(ctx: &Ctx<'_>, value: &Value) -> Option<Lit> {
    ctx.value(value).map(key)
}
