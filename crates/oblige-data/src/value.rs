//! Typing of attribute values, shared by the CSV and JSON readers of units and events.

use crate::error::{Cite, DataError};
use chrono::NaiveDate;
use compact_str::CompactString;
use oblige_check::model::{AttrType, Lit, Plan};
use std::borrow::Cow;

/// A value as read, before typing: CSV cells are always text, JSON brings its own types.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Scalar<'a> {
    /// A string, borrowed from the input line when it had no escapes.
    Str(Cow<'a, str>),
    /// A JSON integer.
    Int(i64),
    /// A JSON number that is not an `i64`.
    Float(f64),
    /// A JSON boolean.
    Bool(bool),
    /// A JSON `null`: the attribute is absent.
    Null,
    /// A JSON array or object, which no attribute type accepts.
    Nested(&'static str),
}

impl Scalar<'_> {
    /// The value as the user wrote it, for messages and untyped attributes.
    pub(crate) fn text(&self) -> Cow<'_, str> {
        match self {
            Self::Str(s) => Cow::Borrowed(s.as_ref()),
            Self::Int(i) => Cow::Owned(i.to_string()),
            Self::Float(f) => Cow::Owned(f.to_string()),
            Self::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
            Self::Null => Cow::Borrowed("null"),
            Self::Nested(what) => Cow::Borrowed(what),
        }
    }

    /// Whether the value counts as absent (JSON `null` or an empty cell).
    pub(crate) fn is_absent(&self) -> bool {
        match self {
            Self::Null => true,
            Self::Str(s) => s.is_empty(),
            _ => false,
        }
    }

    /// The value as a string, for ids, kinds and unit references, into `out`, whose buffer is
    /// reused.
    pub(crate) fn write_id(&self, out: &mut String, at: &impl Cite) -> Result<(), DataError> {
        out.clear();
        match self {
            Self::Str(s) => out.push_str(s),
            // Not `write!`: through the formatting machinery an integer id cost ten times as
            // much, and logs written by scripts often number their events so.
            Self::Int(i) => out.push_str(itoa::Buffer::new().format(*i)),
            other => {
                return Err(DataError::WrongType {
                    at: at.location(),
                    value: other.text().into_owned(),
                    expected: "a string".to_owned(),
                })
            }
        }
        Ok(())
    }
}

/// The type of an attribute, in words, for "expected …" messages.
pub(crate) fn describe(ty: &AttrType) -> String {
    match ty {
        AttrType::Text => "text".to_owned(),
        AttrType::Bool => "bool (`true` or `false`)".to_owned(),
        AttrType::Int => "int".to_owned(),
        AttrType::Date => "date (`YYYY-MM-DD`)".to_owned(),
        AttrType::Ref(class) => format!("id of a unit of class `{class}`"),
        AttrType::Enum(name) => format!("value of enum `{name}`"),
    }
}

/// Types `value` as `ty`. Enum membership is checked separately ([`check_enum`]) because the
/// registry checks units built by embedders too, which never pass through here.
pub(crate) fn coerce(value: &Scalar<'_>, ty: &AttrType, at: &impl Cite) -> Result<Lit, DataError> {
    let mut lit = Lit::Bool(false);
    coerce_into(value, ty, at, &mut lit)?;
    Ok(lit)
}

/// [`coerce`] into `slot`, whose text buffer is reused if it has one.
pub(crate) fn coerce_into(
    value: &Scalar<'_>,
    ty: &AttrType,
    at: &impl Cite,
    slot: &mut Lit,
) -> Result<(), DataError> {
    let lit = match (ty, value) {
        (AttrType::Text | AttrType::Ref(_), Scalar::Str(s)) => {
            set_string(slot, s, Lit::Text);
            return Ok(());
        }
        (AttrType::Enum(_), Scalar::Str(s)) => {
            set_string(slot, s, Lit::Enum);
            return Ok(());
        }
        (AttrType::Bool, Scalar::Bool(b)) => Some(Lit::Bool(*b)),
        (AttrType::Bool, Scalar::Str(s)) => match s.as_ref() {
            "true" => Some(Lit::Bool(true)),
            "false" => Some(Lit::Bool(false)),
            _ => None,
        },
        (AttrType::Int, Scalar::Int(i)) => Some(Lit::Int(*i)),
        (AttrType::Int, Scalar::Str(s)) => s.parse().ok().map(Lit::Int),
        (AttrType::Date, Scalar::Str(s)) => parse_date(s).map(Lit::Date),
        _ => None,
    };
    *slot = lit.ok_or_else(|| DataError::WrongType {
        at: at.location(),
        value: value.text().into_owned(),
        expected: describe(ty),
    })?;
    Ok(())
}

/// Sets `slot` to `text` as `make` wraps it, in the buffer of the text `slot` held, if any.
pub(crate) fn set_string(slot: &mut Lit, text: &str, make: fn(CompactString) -> Lit) {
    let mut buf = match std::mem::replace(slot, Lit::Bool(false)) {
        Lit::Text(buf) | Lit::Enum(buf) => buf,
        Lit::Int(_) | Lit::Date(_) | Lit::Bool(_) => CompactString::default(),
    };
    buf.clear();
    buf.push_str(text);
    *slot = make(buf);
}

/// Checks that an enum value is one of the enum's values.
pub(crate) fn check_enum(
    plan: &Plan,
    enum_name: &str,
    value: &str,
    at: &impl Cite,
) -> Option<DataError> {
    let values = plan.enums.get(enum_name)?;
    if values.iter().any(|v| v == value) {
        return None;
    }
    Some(DataError::NotInEnum {
        at: at.location(),
        value: value.to_owned(),
        enum_name: enum_name.to_owned(),
        suggestion: suggest(value, values.iter().map(String::as_str)),
    })
}

/// Whether a typed literal fits the declared type.
pub(crate) fn lit_fits(lit: &Lit, ty: &AttrType) -> bool {
    matches!(
        (ty, lit),
        (AttrType::Text | AttrType::Ref(_), Lit::Text(_))
            | (AttrType::Bool, Lit::Bool(_))
            | (AttrType::Int, Lit::Int(_))
            | (AttrType::Date, Lit::Date(_))
            | (AttrType::Enum(_), Lit::Enum(_))
    )
}

/// The literal as the user would write it, for messages.
pub(crate) fn lit_text(lit: &Lit) -> String {
    match lit {
        Lit::Int(i) => i.to_string(),
        Lit::Text(s) | Lit::Enum(s) => s.to_string(),
        Lit::Date(d) => d.to_string(),
        Lit::Bool(b) => b.to_string(),
    }
}

/// A close candidate, owned.
pub(crate) fn suggest<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    oblige_diagnostics::did_you_mean(name, candidates).map(str::to_owned)
}

/// Parses exactly `YYYY-MM-DD`; chrono's `%m` would also take `2023-5-4`, which we reject so
/// that a file has one spelling of dates.
pub(crate) fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = digits(b.get(0..4)?)?;
    let month = digits(b.get(5..7)?)?;
    let day = digits(b.get(8..10)?)?;
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

/// The value of a run of ASCII digits.
pub(crate) fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |acc, &c| {
        c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Location;

    #[test]
    fn dates_are_strict() {
        assert_eq!(
            parse_date("2023-05-04"),
            NaiveDate::from_ymd_opt(2023, 5, 4)
        );
        assert_eq!(parse_date("2023-5-4"), None);
        assert_eq!(parse_date("2023-02-30"), None);
        assert_eq!(parse_date("2023/05/04"), None);
    }

    #[test]
    fn coercion_accepts_json_types_that_fit() {
        let at = Location::new("f", 1);
        let int = coerce(&Scalar::Int(3), &AttrType::Int, &at).ok();
        assert_eq!(int, Some(Lit::Int(3)));
        let text_int = coerce(&Scalar::Str("12".into()), &AttrType::Int, &at).ok();
        assert_eq!(text_int, Some(Lit::Int(12)));
        assert!(coerce(&Scalar::Int(3), &AttrType::Text, &at).is_err());
        assert!(coerce(&Scalar::Str("yes".into()), &AttrType::Bool, &at).is_err());
    }
}
