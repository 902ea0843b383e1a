//! In-memory units and events, typed by the plan's declarations.

use chrono::{DateTime, NaiveDate, Utc};
use compact_str::CompactString;
use indexmap::IndexMap;
use oblige_check::model::Lit;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;

pub use crate::unit_attrs::UnitAttrs;

/// One unit of the registry (a department, a county, an enterprise…).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Unit {
    /// Unique id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Classes the unit belongs to (at least one).
    pub classes: Vec<String>,
    /// Parent unit id (a township's county, an enterprise's township…).
    pub parent: Option<String>,
    /// First day the unit exists, if it was created during the plan.
    pub active_from: Option<NaiveDate>,
    /// Last day the unit exists, if it was dissolved.
    pub active_to: Option<NaiveDate>,
    /// Attributes typed by the classes' declarations (`ref` values are unit ids as `Lit::Text`).
    /// The names are shared: a reader gives every unit with a column the same name (a file read
    /// in parts, every unit of a part).
    pub attrs: UnitAttrs,
}

impl Unit {
    /// Starts a unit for embedders that build units from their own data; see [`UnitBuilder`].
    pub fn builder(id: impl Into<String>) -> UnitBuilder {
        let id = id.into();
        UnitBuilder {
            unit: Unit {
                name: id.clone(),
                id,
                classes: Vec::new(),
                parent: None,
                active_from: None,
                active_to: None,
                attrs: UnitAttrs::default(),
            },
        }
    }
}

/// Builds a [`Unit`] step by step; the name defaults to the id.
///
/// Nothing is checked here: pass the units to [`crate::validate_registry`], which checks them
/// against the plan exactly as the file readers do.
#[derive(Clone, Debug)]
#[must_use]
pub struct UnitBuilder {
    unit: Unit,
}

impl UnitBuilder {
    /// Sets the display name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.unit.name = name.into();
        self
    }

    /// Adds a class.
    pub fn class(mut self, class: impl Into<String>) -> Self {
        self.unit.classes.push(class.into());
        self
    }

    /// Sets the parent unit id.
    pub fn parent(mut self, parent: impl Into<String>) -> Self {
        self.unit.parent = Some(parent.into());
        self
    }

    /// Sets the first day the unit exists.
    pub fn active_from(mut self, day: NaiveDate) -> Self {
        self.unit.active_from = Some(day);
        self
    }

    /// Sets the last day the unit exists.
    pub fn active_to(mut self, day: NaiveDate) -> Self {
        self.unit.active_to = Some(day);
        self
    }

    /// Sets an attribute (`ref` values are unit ids as [`Lit::Text`], enum values [`Lit::Enum`]).
    pub fn attr(mut self, name: impl Into<String>, value: Lit) -> Self {
        self.unit.attrs.insert(Arc::from(name.into()), value);
        self
    }

    /// The unit.
    pub fn build(self) -> Unit {
        self.unit
    }
}

/// The registry: all units, addressable by id, in a deterministic order (sorted by id).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Registry {
    units: Vec<Unit>,
    #[serde(skip)]
    index: UnitIndex,
}

/// Unit ids to positions. Every event looks up its actor here, so the ids are kept inline in
/// the table (most are under 24 bytes) and hashed with a fast hash: a lookup then touches the
/// table only, not a string elsewhere on the heap.
type UnitIndex = HashMap<CompactString, usize, foldhash::fast::RandomState>;

impl Registry {
    /// Builds a registry from units; units are sorted by id so order of input never matters.
    ///
    /// Fails with the duplicated id if two units share one. Parents, classes and attribute types
    /// are checked by the readers before this point.
    pub fn from_units(units: Vec<Unit>) -> Result<Self, String> {
        let order = UnitOrder::of(&units, 1)?;
        Ok(Self::in_order(units, order))
    }

    /// The registry of `units`, put in the order found for them.
    pub(crate) fn in_order(mut units: Vec<Unit>, order: UnitOrder) -> Self {
        let UnitOrder { index, mut from } = order;
        permute(&mut units, &mut from);
        // A reader's list grew by doubling: up to half of it spare, kept for the whole run.
        units.shrink_to_fit();
        Self { units, index }
    }

    /// The unit with `id`.
    pub fn get(&self, id: &str) -> Option<&Unit> {
        self.position(id).and_then(|i| self.units.get(i))
    }

    /// Position of the unit with `id` in [`Registry::units`].
    pub fn position(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// All units, sorted by id.
    pub fn units(&self) -> &[Unit] {
        &self.units
    }

    /// Whether `unit` is a strict descendant of `ancestor` (cycles are rejected at load time;
    /// the walk is bounded anyway).
    pub fn is_under(&self, unit: &str, ancestor: &str) -> bool {
        let mut current = self.get(unit).and_then(|u| u.parent.as_deref());
        for _ in 0..self.units.len() {
            match current {
                Some(id) if id == ancestor => return true,
                Some(id) => current = self.get(id).and_then(|u| u.parent.as_deref()),
                None => return false,
            }
        }
        false
    }
}

/// Where each unit of a list goes in the registry, and the index of the registry's ids: found
/// before the units are moved, so that the readers can check parents and references against
/// the index while the units are still in file order.
pub(crate) struct UnitOrder {
    /// Unit ids to positions in the registry.
    index: UnitIndex,
    /// For each registry position, the unit's position in the list.
    from: Vec<usize>,
}

impl UnitOrder {
    /// The order of `units` by id, sorted on up to `threads` threads. Fails with the smallest
    /// id that two units share.
    pub(crate) fn of(units: &[Unit], threads: usize) -> Result<Self, String> {
        let order = order_by_id(units, threads);
        let mut index = UnitIndex::with_capacity_and_hasher(units.len(), Default::default());
        let mut whole = [0; IdKey::BYTES];
        for (k, key) in order.iter().enumerate() {
            // Most ids are whole in their keys: read there, not from the units on the heap.
            let id = (key.id(&mut whole))
                .or_else(|| units.get(key.position).map(|u| u.id.as_str()))
                .unwrap_or_default();
            if index.insert(CompactString::new(id), k).is_some() {
                return Err(id.to_owned());
            }
        }
        let from = order.into_iter().map(|key| key.position).collect();
        Ok(Self { index, from })
    }

    /// The position in the list of the unit with `id`.
    pub(crate) fn position(&self, id: &str) -> Option<usize> {
        let k = self.index.get(id).copied()?;
        self.from.get(k).copied()
    }
}

/// The units' ids in sorted order. Units with equal ids are an error whichever comes first.
///
/// The order is found on small keys holding the first bytes of each id rather than on the units:
/// a sort of the units moved whole units around and read each id from elsewhere on the heap at
/// every comparison. With several threads, each sorts a run of the keys and a stable sort, which
/// finds sorted runs and only merges them, joins the runs.
fn order_by_id(units: &[Unit], threads: usize) -> Vec<IdKey> {
    let run = units.len().div_ceil(threads.max(1)).max(MIN_SORT_RUN);
    order_in_runs(units, run)
}

/// [`order_by_id`], runs of `run` keys sorted each on a thread of its own.
fn order_in_runs(units: &[Unit], run: usize) -> Vec<IdKey> {
    let mut order: Vec<IdKey> = (units.iter().enumerate())
        .map(|(position, u)| IdKey::new(&u.id, position))
        .collect();
    let compare = |a: &IdKey, b: &IdKey| a.cmp_ids(b, units);
    if run >= order.len() {
        order.sort_unstable_by(compare);
        return order;
    }
    std::thread::scope(|scope| {
        for keys in order.chunks_mut(run.max(1)) {
            scope.spawn(move || keys.sort_unstable_by(compare));
        }
    });
    order.sort_by(compare);
    order
}

/// Below this many keys per thread a sort is not worth splitting.
const MIN_SORT_RUN: usize = 1 << 14;

/// A unit's id as it is sorted: its first [`IdKey::BYTES`] bytes, zero-padded, as numbers that
/// order as the bytes do (generated ids often share their first 16 bytes), its length, and the
/// unit's position.
struct IdKey {
    prefix: [u128; 2],
    len: usize,
    position: usize,
}

impl IdKey {
    const BYTES: usize = 32;

    fn new(id: &str, position: usize) -> Self {
        let mut bytes = [0u8; Self::BYTES];
        for (b, i) in bytes.iter_mut().zip(id.bytes()) {
            *b = i;
        }
        let half = |from: usize| {
            let mut word = [0u8; 16];
            word.copy_from_slice(bytes.get(from..from + 16).unwrap_or(&[0; 16]));
            u128::from_be_bytes(word)
        };
        Self {
            prefix: [half(0), half(16)],
            len: id.len(),
            position,
        }
    }

    /// How the ids of `self` and `other` compare, the ids read from `units` only when the keys
    /// cannot tell.
    fn cmp_ids(&self, other: &Self, units: &[Unit]) -> std::cmp::Ordering {
        let id = |key: &IdKey| units.get(key.position).map_or("", |u| u.id.as_str());
        let whole = self.len <= IdKey::BYTES && other.len <= IdKey::BYTES;
        (self.prefix.cmp(&other.prefix)).then_with(|| match whole {
            // Equal zero-padded prefixes of whole ids: the shorter is a prefix of the other.
            true => self.len.cmp(&other.len),
            false => id(self).cmp(id(other)),
        })
    }

    /// The id, written into `whole`, if it is whole in the key.
    fn id<'w>(&self, whole: &'w mut [u8; Self::BYTES]) -> Option<&'w str> {
        for (half, word) in whole.chunks_exact_mut(16).zip(self.prefix) {
            half.copy_from_slice(&word.to_be_bytes());
        }
        std::str::from_utf8(whole.get(..self.len)?).ok()
    }
}

/// Moves `items[from[k]]` to `k` for every `k`, in place (a copy would hold the units twice),
/// following each cycle of the permutation with swaps; `from` is used up.
fn permute<T>(items: &mut [T], from: &mut [usize]) {
    for start in 0..from.len() {
        let mut k = start;
        while let Some(slot) = from.get_mut(k) {
            let source = std::mem::replace(slot, usize::MAX);
            if source == start || source == usize::MAX {
                break;
            }
            items.swap(k, source);
            k = source;
        }
    }
}

/// Where an event came from, to identify it when it has no id and to cite it in errors.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct EventOrigin {
    /// File name as given (or the name the embedding service chose), shared by all the events
    /// of a file: a reader hands out millions of events with the same name.
    pub file: Arc<str>,
    /// 1-based line (for CSV: the record's line).
    pub line: u64,
}

/// One event of the log.
///
/// The default event is blank, a buffer for [`crate::EventReader::read_into`] to fill.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Event {
    /// The id given in the log, or `file:line` when it had none.
    pub id: String,
    /// Where it was read.
    pub origin: EventOrigin,
    /// When it happened.
    pub time: DateTime<Utc>,
    /// Event kind.
    pub kind: String,
    /// Unit that did it.
    pub actor: String,
    /// Unit it was done to.
    pub target: Option<String>,
    /// When it was reported, for late-report duties.
    pub recorded_at: Option<DateTime<Utc>>,
    /// Other fields, typed by the kind's declaration.
    pub attrs: IndexMap<String, Lit>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Ids share long prefixes, differ in length and hold NUL and non-ASCII bytes, so that
        /// both the prefix comparison and the whole-id fallback decide some pairs.
        #[test]
        fn units_are_sorted_by_id_as_a_sort_of_the_ids_does(
            ids in prop::collection::hash_set("(syn-ent-0{0,12})?[a\\x00é]{0,20}", 0..60),
        ) {
            let units: Vec<Unit> = ids.iter().map(|id| Unit::builder(id.as_str()).build()).collect();
            let mut expected: Vec<&str> = ids.iter().map(String::as_str).collect();
            expected.sort_unstable();
            let registry = Registry::from_units(units).unwrap();
            let sorted: Vec<&str> = registry.units().iter().map(|u| u.id.as_str()).collect();
            prop_assert_eq!(sorted, expected);
        }

        /// Runs sorted on threads of their own and merged give the order one sort gives.
        #[test]
        fn ids_sorted_in_runs_are_sorted_as_by_one_sort(
            ids in prop::collection::vec("(syn-ent-0{0,12})?[a\\x00é]{0,20}", 0..60),
            run in 1_usize..20,
        ) {
            let units: Vec<Unit> = ids.iter().map(|id| Unit::builder(id.as_str()).build()).collect();
            let id_of = |key: &IdKey| units[key.position].id.as_str();
            let one: Vec<&str> = order_in_runs(&units, usize::MAX).iter().map(id_of).collect();
            let runs: Vec<&str> = order_in_runs(&units, run).iter().map(id_of).collect();
            let mut expected: Vec<&str> = ids.iter().map(String::as_str).collect();
            expected.sort_unstable();
            prop_assert_eq!(&one, &expected);
            prop_assert_eq!(runs, expected);
        }

        #[test]
        fn a_permutation_moves_each_item_where_it_says(
            items in prop::collection::vec(any::<u16>(), 0..50).prop_shuffle(),
        ) {
            let mut from: Vec<usize> = (0..items.len()).collect();
            from.sort_by_key(|&i| items[i]);
            let expected: Vec<u16> = from.iter().map(|&i| items[i]).collect();
            let mut moved = items.clone();
            permute(&mut moved, &mut from);
            prop_assert_eq!(moved, expected);
        }
    }

    #[test]
    fn a_repeated_id_is_an_error() {
        let units = ["b", "a", "b"].map(|id| Unit::builder(id).build()).to_vec();
        assert_eq!(Registry::from_units(units), Err("b".to_owned()));
    }
}
