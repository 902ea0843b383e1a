//! Building registries and reading events from in-memory data.

use crate::DataErrors;
use oblige_check::model::Plan;
use oblige_data::{EventReader, Format, ReadOptions, Registry, Unit};

/// Validates units made from a service's own data against the plan and builds the registry.
pub fn registry_from_units(plan: &Plan, units: Vec<Unit>) -> Result<Registry, DataErrors> {
    oblige_data::validate_registry(plan, units).map_err(DataErrors)
}

/// Reads a whole JSON Lines event log held in a string (named `file` in errors).
pub fn read_events_str(
    plan: &Plan,
    file: &str,
    text: &str,
) -> Result<Vec<oblige_data::Event>, DataErrors> {
    let reader = EventReader::new(
        text.as_bytes(),
        Format::JsonLines,
        file,
        plan,
        ReadOptions::default(),
    )
    .map_err(|e| DataErrors(vec![e]))?;
    let (events, errors): (Vec<_>, Vec<_>) = reader.partition(Result::is_ok);
    if errors.is_empty() {
        Ok(events.into_iter().flatten().collect())
    } else {
        Err(DataErrors(
            errors.into_iter().filter_map(Result::err).collect(),
        ))
    }
}
