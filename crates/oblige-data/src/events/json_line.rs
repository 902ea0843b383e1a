//! A JSON line deserialized straight into [`Fields`]: no `serde_json::Value`, no map, and
//! strings borrowed from the line unless they contain escapes.

use super::fields::{Attr, Fields};
use crate::value::Scalar;
use serde::de::{
    self, Deserialize, DeserializeSeed, Deserializer, Error as _, IgnoredAny, MapAccess, SeqAccess,
    Visitor,
};
use std::borrow::Cow;
use std::fmt;

/// Parses one line, its attributes pushed into the buffer of `attrs`. The same as
/// `serde_json::from_slice`, trailing characters included.
pub(crate) fn parse<'a>(
    bytes: &'a [u8],
    attrs: Vec<Attr<'_>>,
) -> Result<Fields<'a>, serde_json::Error> {
    let mut fields = Fields::reusing(attrs);
    // A line checked as UTF-8 once is parsed without a check of each of its strings; a line
    // that is not is parsed as bytes, for the parser to say where it fails.
    match simdutf8::basic::from_utf8(bytes) {
        Ok(text) => {
            let mut deserializer = serde_json::Deserializer::from_str(text);
            FieldsVisitor(&mut fields).deserialize(&mut deserializer)?;
            deserializer.end()?;
        }
        Err(_) => {
            let mut deserializer = serde_json::Deserializer::from_slice(bytes);
            FieldsVisitor(&mut fields).deserialize(&mut deserializer)?;
            deserializer.end()?;
        }
    }
    Ok(fields)
}

/// Fills the fields it points to. It holds them by reference: the fields are some 200 bytes,
/// and the parser's layers would copy a visitor or value held by value several times a line.
struct FieldsVisitor<'f, 'a>(&'f mut Fields<'a>);

impl<'de> DeserializeSeed<'de> for FieldsVisitor<'_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for FieldsVisitor<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a json object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let fields = self.0;
        while let Some(Key(key)) = map.next_key()? {
            let value: Scalar<'de> = map.next_value()?;
            match fields.slot(&key) {
                Some(slot) if slot.is_some() => {
                    return Err(A::Error::custom(format_args!("key `{key}` appears twice")));
                }
                Some(slot) => *slot = Some(value),
                None => fields.attrs.push((key, value)),
            }
        }
        Ok(())
    }
}

/// An object key, borrowed when it has no escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_str(ScalarVisitor)
            .and_then(|s| match s {
                Scalar::Str(s) => Ok(Key(s)),
                _ => Err(D::Error::custom("expected a string key")),
            })
    }
}

impl<'de> Deserialize<'de> for Scalar<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a json value")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Owned(v)))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Scalar::Int(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        #[expect(
            clippy::cast_precision_loss,
            reason = "beyond i64 only the message needs it"
        )]
        Ok(i64::try_from(v).map_or(Scalar::Float(v as f64), Scalar::Int))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Scalar::Float(v))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Scalar::Bool(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Scalar::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Scalar::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Scalar::Nested("[…]"))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Scalar::Nested("{…}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_without_escapes_are_borrowed() {
        let line = r#"{"kind":"会议","actor":"a\"b","n":3,"x":null,"y":[1,{"z":2}]}"#.as_bytes();
        let fields = parse(line, Vec::new()).unwrap();
        assert!(matches!(
            fields.kind,
            Some(Scalar::Str(Cow::Borrowed("会议")))
        ));
        assert!(matches!(fields.actor, Some(Scalar::Str(Cow::Owned(ref s))) if s == "a\"b"));
        assert_eq!(fields.attrs.len(), 3);
        assert_eq!(fields.attrs[0].1, Scalar::Int(3));
        assert_eq!(fields.attrs[1].1, Scalar::Null);
        assert_eq!(fields.attrs[2].1, Scalar::Nested("[…]"));
    }

    #[test]
    fn rejects_repeated_built_ins_and_non_objects() {
        for bad in [
            &br#"{"kind":"a","kind":"b"}"#[..],
            b"[1,2]",
            br#"{"kind":"a"} x"#,
        ] {
            assert!(parse(bad, Vec::new()).is_err());
        }
    }
}
