//! The fields of one event line as read, and their typing into an [`Event`].

use crate::error::{DataError, Location};
use crate::time::parse_time;
use crate::types::{Event, EventOrigin};
use crate::value::{check_enum, coerce, suggest, Scalar};
use indexmap::IndexMap;
use oblige_check::model::{AttrType, Attrs, Lit, Plan};
use std::borrow::Cow;

/// One line's fields, borrowing from the line wherever the input allows.
#[derive(Debug, Default)]
pub(crate) struct Fields<'a> {
    pub(crate) id: Option<Scalar<'a>>,
    pub(crate) time: Option<Scalar<'a>>,
    pub(crate) kind: Option<Scalar<'a>>,
    pub(crate) actor: Option<Scalar<'a>>,
    pub(crate) target: Option<Scalar<'a>>,
    pub(crate) recorded_at: Option<Scalar<'a>>,
    pub(crate) attrs: Vec<(Cow<'a, str>, Scalar<'a>)>,
}

/// Field names (CSV columns, JSON keys) with a meaning of their own; every other is an attribute.
pub const EVENT_FIELDS: [&str; 6] = ["id", "time", "kind", "actor", "target", "recorded_at"];

/// The position of `name` in [`EVENT_FIELDS`].
pub(crate) fn builtin(name: &str) -> Option<usize> {
    EVENT_FIELDS.iter().position(|f| *f == name)
}

impl<'a> Fields<'a> {
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

/// A typed event, and whether its id was given (generated `file:line` ids are unique anyway).
pub(crate) fn build_event(
    fields: Fields<'_>,
    plan: &Plan,
    file: &str,
    line: u64,
) -> Result<(Event, bool), DataError> {
    let at = Location::new(file, line);
    let kind = required(fields.kind, &at, "kind")?.into_id(&at.field("kind"))?;
    let actor = required(fields.actor, &at, "actor")?.into_id(&at.field("actor"))?;
    let time = to_time(required(fields.time, &at, "time")?, plan, &at.field("time"))?;
    let target = present(fields.target)
        .map(|t| t.into_id(&at.field("target")))
        .transpose()?;
    let recorded_at = present(fields.recorded_at)
        .map(|t| to_time(t, plan, &at.field("recorded_at")))
        .transpose()?;
    let given = present(fields.id)
        .map(|id| id.into_id(&at.field("id")))
        .transpose()?;
    let attrs = type_attrs(fields.attrs, plan.events.get(&kind), &kind, plan, &at)?;
    let explicit = given.is_some();
    let event = Event {
        id: given.unwrap_or_else(|| format!("{file}:{line}")),
        origin: EventOrigin {
            file: file.to_owned(),
            line,
        },
        time,
        kind,
        actor,
        target,
        recorded_at,
        attrs,
    };
    Ok((event, explicit))
}

fn present(value: Option<Scalar<'_>>) -> Option<Scalar<'_>> {
    value.filter(|v| !v.is_absent())
}

fn required<'a>(
    value: Option<Scalar<'a>>,
    at: &Location,
    name: &str,
) -> Result<Scalar<'a>, DataError> {
    present(value).ok_or_else(|| DataError::MissingField { at: at.field(name) })
}

fn to_time(
    value: Scalar<'_>,
    plan: &Plan,
    at: &Location,
) -> Result<chrono::DateTime<chrono::Utc>, DataError> {
    match value {
        Scalar::Str(s) => parse_time(&s, plan.header.timezone, at),
        other => Err(DataError::BadTime {
            at: at.clone(),
            value: other.text().into_owned(),
        }),
    }
}

/// Types attributes by the kind's declaration; a kind the plan does not declare keeps its
/// attributes as text, because the evaluator reports such events rather than this reader.
fn type_attrs(
    attrs: Vec<(Cow<'_, str>, Scalar<'_>)>,
    declared: Option<&Attrs>,
    kind: &str,
    plan: &Plan,
    at: &Location,
) -> Result<IndexMap<String, Lit>, DataError> {
    let mut typed = IndexMap::with_capacity(attrs.len());
    for (name, value) in attrs {
        if value.is_absent() {
            continue;
        }
        let lit = match declared {
            None => Lit::Text(value.text().into_owned()),
            Some(decl) => typed_attr(decl, kind, &name, &value, plan, at)?,
        };
        typed.insert(name.into_owned(), lit);
    }
    Ok(typed)
}

fn typed_attr(
    decl: &Attrs,
    kind: &str,
    name: &str,
    value: &Scalar<'_>,
    plan: &Plan,
    at: &Location,
) -> Result<Lit, DataError> {
    let here = at.field(name);
    let Some(ty) = decl.get(name) else {
        return Err(DataError::UndeclaredEventAttr {
            at: here,
            attr: name.to_owned(),
            kind: kind.to_owned(),
            suggestion: suggest(name, decl.keys().map(String::as_str)),
        });
    };
    let lit = coerce(value, ty, &here)?;
    if let (AttrType::Enum(e), Lit::Enum(v)) = (ty, &lit) {
        if let Some(err) = check_enum(plan, e, v, &here) {
            return Err(err);
        }
    }
    Ok(lit)
}
