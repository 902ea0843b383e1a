//! Building registries and reading events from in-memory data.

use crate::DataErrors;
use oblige_check::model::Plan;
use oblige_data::{EventReader, Format, ReadOptions, Registry, Unit};

/// Validates units made from a service's own data against the plan and builds the registry.
///
/// Every problem is reported, not only the first:
///
/// ```
/// use oblige::Unit;
///
/// let plan = oblige::plan_from_str(
///     "plan.rule",
///     "plan \"p\" { effective 2023-01-01 .. 2023-12-31 }\nclass county {}\nevent meeting {}\nrule r { for each county require at least 1 meeting per year }\n",
/// )?;
/// let units = vec![
///     Unit::builder("c1").class("county").build(),
///     Unit::builder("c1").class("county").build(),
///     Unit::builder("t1").class("township").parent("c9").build(),
/// ];
/// let errors = oblige::registry_from_units(&plan, units).unwrap_err();
/// let text = errors.to_string();
/// assert!(text.contains("`c1`") && text.contains("`township`") && text.contains("`c9`"), "{text}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn registry_from_units(plan: &Plan, units: Vec<Unit>) -> Result<Registry, DataErrors> {
    oblige_data::validate_registry(plan, units).map_err(DataErrors)
}

/// Reads a whole JSON Lines event log held in a string (named `file` in errors).
///
/// A malformed line is an error naming the file and line; all of them are reported:
///
/// ```
/// let plan = oblige::plan_from_str(
///     "plan.rule",
///     "plan \"p\" { effective 2023-01-01 .. 2023-12-31 }\nclass county {}\nevent meeting {}\nrule r { for each county require at least 1 meeting per year }\n",
/// )?;
/// let log = concat!(
///     r#"{"time":"2023-03-01T09:00:00+08:00","kind":"meeting","actor":"c1"}"#, "\n",
///     r#"{"time":"yesterday","kind":"meeting","actor":"c1"}"#, "\n",
///     r#"{"kind":"meeting","actor":"c1"}"#, "\n",
/// );
/// let errors = oblige::read_events_str(&plan, "log.jsonl", log).unwrap_err();
/// assert_eq!(errors.0.len(), 2);
/// assert!(errors.to_string().contains("log.jsonl:2"), "{errors}");
/// assert!(errors.to_string().contains("log.jsonl:3"), "{errors}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
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
