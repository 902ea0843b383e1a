//! In-memory units and events, typed by the plan's declarations.

use chrono::{DateTime, NaiveDate, Utc};
use compact_str::CompactString;
use indexmap::IndexMap;
use oblige_check::model::Lit;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;

/// A unit's attributes by name. Predicates look them up for every unit and row, so names are
/// hashed with a fast fixed hash (they come from the plan's declarations, not from the data).
pub type UnitAttrs = IndexMap<Arc<str>, Lit, foldhash::fast::FixedState>;

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
    /// The names are shared: the readers give every unit with a column the same name.
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
    pub fn from_units(mut units: Vec<Unit>) -> Result<Self, String> {
        // Unstable: in place, where a stable sort would take a buffer of half the units. Units
        // with equal ids are an error whichever comes first.
        units.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        let mut index = UnitIndex::with_capacity_and_hasher(units.len(), Default::default());
        for (i, unit) in units.iter().enumerate() {
            if index.insert(CompactString::new(&unit.id), i).is_some() {
                return Err(unit.id.clone());
            }
        }
        Ok(Self { units, index })
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
