//! Compact event records: what is kept of an event that must wait for report time (response
//! triggers and candidate responses) — its identity, time, parties and the attributes the rule
//! reads, nothing else.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};
use oblige_check::model::Lit;
use oblige_data::Event;

use crate::pred::{EventAttrs, EventView};
use crate::setup::Setup;

/// An event reduced to what a rule can read. A log with many triggers keeps one for each
/// (rule, subject) a trigger concerns, so it holds no copy of what the setup already has (the
/// kind's name, the parties' ids) and its attributes without a map.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    /// Id.
    pub id: Box<str>,
    /// When.
    pub time: DateTime<Utc>,
    /// Local date of `time`.
    pub date: NaiveDate,
    /// Position of the kind among the plan's declared kinds.
    kind: u32,
    /// Registry position of the actor.
    pub actor: usize,
    /// Registry position of the target.
    pub target: Option<usize>,
    /// When it was reported.
    pub recorded_at: Option<DateTime<Utc>>,
    /// The attributes the rule reads, in the event's order.
    attrs: Box<[(Box<str>, Lit)]>,
}

impl Record {
    /// Keeps of `event` what a rule reading `keep` needs.
    pub fn new(event: &Incoming<'_>, keep: &BTreeSet<String>) -> Self {
        Record {
            id: event.event.id.as_str().into(),
            time: event.event.time,
            date: event.date,
            kind: u32::try_from(event.kind).unwrap_or(u32::MAX),
            actor: event.actor,
            target: event.target,
            recorded_at: event.event.recorded_at,
            attrs: event
                .event
                .attrs
                .iter()
                .filter(|(name, _)| keep.contains(*name))
                .map(|(name, value)| (name.as_str().into(), value.clone()))
                .collect(),
        }
    }

    /// The record as predicates see it.
    pub fn view<'s>(&'s self, setup: &Setup<'s>) -> EventView<'s> {
        EventView {
            id: &self.id,
            date: self.date,
            kind: setup.kind_name(self.kind as usize),
            actor: setup.unit_id(self.actor),
            target: self.target.map(|t| setup.unit_id(t)),
            attrs: EventAttrs::Kept(&self.attrs),
        }
    }

    /// Order of records: by time, then id.
    pub fn key(&self) -> (DateTime<Utc>, &str) {
        (self.time, &self.id)
    }
}

/// An event accepted for evaluation, with its parties resolved.
pub struct Incoming<'e> {
    /// The event.
    pub event: &'e Event,
    /// The position of its kind among the plan's declared kinds.
    pub kind: usize,
    /// Registry position of the actor.
    pub actor: usize,
    /// Registry position of the target.
    pub target: Option<usize>,
    /// Local date.
    pub date: NaiveDate,
    /// Within the evaluated range (events before it are read only for states).
    pub in_range: bool,
}

impl<'e> Incoming<'e> {
    /// The event as predicates see it.
    pub fn view(&self) -> EventView<'e> {
        EventView {
            id: &self.event.id,
            date: self.date,
            kind: &self.event.kind,
            actor: &self.event.actor,
            target: self.event.target.as_deref(),
            attrs: EventAttrs::All(&self.event.attrs),
        }
    }
}
