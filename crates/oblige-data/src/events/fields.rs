//! The fields of one event line as read, and their typing into an [`Event`].

use super::kinds::Kinds;
use crate::error::{At, Cite, DataError};
use crate::time::Zone;
use crate::types::Event;
use crate::value::Scalar;
use std::borrow::Cow;
use std::fmt::Write as _;
use std::sync::Arc;

/// An attribute as read: its name and its value.
pub(crate) type Attr<'a> = (Cow<'a, str>, Scalar<'a>);

/// One line's fields, borrowing from the line wherever the input allows.
#[derive(Debug, Default)]
pub(crate) struct Fields<'a> {
    pub(crate) id: Option<Scalar<'a>>,
    pub(crate) time: Option<Scalar<'a>>,
    pub(crate) kind: Option<Scalar<'a>>,
    pub(crate) actor: Option<Scalar<'a>>,
    pub(crate) target: Option<Scalar<'a>>,
    pub(crate) recorded_at: Option<Scalar<'a>>,
    pub(crate) attrs: Vec<Attr<'a>>,
}

/// Field names (CSV columns, JSON keys) with a meaning of their own; every other is an attribute.
pub const EVENT_FIELDS: [&str; 6] = ["id", "time", "kind", "actor", "target", "recorded_at"];

/// The position of `name` in [`EVENT_FIELDS`]. A `match`, which compiles to a switch on the
/// length and a comparison of a word or two: every key of every JSON line is looked up here.
pub(crate) fn builtin(name: &str) -> Option<usize> {
    match name {
        "id" => Some(0),
        "time" => Some(1),
        "kind" => Some(2),
        "actor" => Some(3),
        "target" => Some(4),
        "recorded_at" => Some(5),
        _ => None,
    }
}

impl<'a> Fields<'a> {
    /// No fields yet, attributes to be pushed into the buffer of `attrs` (see [`crate::parse::recycle`]).
    pub(crate) fn reusing(attrs: Vec<Attr<'_>>) -> Self {
        Self {
            attrs: crate::parse::recycle(attrs),
            ..Self::default()
        }
    }

    /// The slot of the built-in field at `index` of [`EVENT_FIELDS`].
    pub(crate) fn slot_at(&mut self, index: usize) -> Option<&mut Option<Scalar<'a>>> {
        match index {
            0 => Some(&mut self.id),
            1 => Some(&mut self.time),
            2 => Some(&mut self.kind),
            3 => Some(&mut self.actor),
            4 => Some(&mut self.target),
            5 => Some(&mut self.recorded_at),
            _ => None,
        }
    }

    /// The slot of a built-in field, or `None` for an attribute.
    pub(crate) fn slot(&mut self, name: &str) -> Option<&mut Option<Scalar<'a>>> {
        builtin(name).and_then(|i| self.slot_at(i))
    }
}

/// Types one line's fields into `event`, reusing its buffers, and says whether the line gave
/// an id (generated `file:line` ids are unique anyway). After an error `event` holds parts of
/// the line.
pub(crate) fn fill_event(
    fields: &Fields<'_>,
    kinds: &mut Kinds<'_>,
    file: &Arc<str>,
    line: u64,
    event: &mut Event,
) -> Result<bool, DataError> {
    let at = At::new(file, line);
    required(&fields.kind, at, "kind")?.write_id(&mut event.kind, &at.field("kind"))?;
    required(&fields.actor, at, "actor")?.write_id(&mut event.actor, &at.field("actor"))?;
    let time = required(&fields.time, at, "time")?;
    event.time = to_time(time, kinds.zone(), at.field("time"))?;
    match present(&fields.target) {
        Some(target) => {
            let buf = kinds.target_buffer(&mut event.target);
            target.write_id(buf, &at.field("target"))?;
        }
        None => kinds.keep_target(&mut event.target),
    }
    event.recorded_at = present(&fields.recorded_at)
        .map(|t| to_time(t, kinds.zone(), at.field("recorded_at")))
        .transpose()?;
    let given = present(&fields.id);
    if let Some(id) = given {
        id.write_id(&mut event.id, &at.field("id"))?;
    }
    kinds.fill(&event.kind, &fields.attrs, at, &mut event.attrs)?;
    if given.is_none() {
        event.id.clear();
        // Writing into a `String` cannot fail.
        _ = write!(event.id, "{file}:{line}");
    }
    if !Arc::ptr_eq(&event.origin.file, file) {
        event.origin.file = Arc::clone(file);
    }
    event.origin.line = line;
    Ok(given.is_some())
}

fn present<'s, 'a>(value: &'s Option<Scalar<'a>>) -> Option<&'s Scalar<'a>> {
    value.as_ref().filter(|v| !v.is_absent())
}

fn required<'s, 'a>(
    value: &'s Option<Scalar<'a>>,
    at: At<'_>,
    name: &str,
) -> Result<&'s Scalar<'a>, DataError> {
    present(value).ok_or_else(|| DataError::MissingField {
        at: at.field(name).location(),
    })
}

fn to_time(
    value: &Scalar<'_>,
    zone: &mut Zone,
    at: At<'_>,
) -> Result<chrono::DateTime<chrono::Utc>, DataError> {
    match value {
        Scalar::Str(s) => zone.parse(s, &at),
        other => Err(DataError::BadTime {
            at: at.location(),
            value: other.text().into_owned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_names_are_found_at_their_place_and_no_other_name_is() {
        for (i, name) in EVENT_FIELDS.iter().enumerate() {
            assert_eq!(builtin(name), Some(i), "{name}");
        }
        for other in ["", "Id", "times", "kin", "actor ", "发现隐患数", "recorded"] {
            assert_eq!(builtin(other), None, "{other}");
        }
    }
}
