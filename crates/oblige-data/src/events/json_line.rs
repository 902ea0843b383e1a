//! A JSON line deserialized straight into [`Fields`]: no `serde_json::Value`, no map, and
//! strings borrowed from the line unless they contain escapes (from the plan if they are its
//! words escaped).

use super::escaped::EscapedWords;
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
///
/// A line as event logs are mostly written (one flat object of strings, numbers, booleans and
/// nulls) is read by [`super::flat_json::flat_line`], several times faster; any other line, and
/// every line in error, is parsed by `serde_json`, whose message is the one reported. A
/// proptest checks that both read the lines the shortcut takes alike. Strings that are escaped
/// forms of `words` are borrowed from there.
pub(crate) fn parse<'a>(
    bytes: &'a [u8],
    attrs: Vec<Attr<'_>>,
    words: &EscapedWords<'a>,
) -> Result<Fields<'a>, serde_json::Error> {
    parse_with(bytes, attrs, Some(words))
}

/// [`parse`], trying the shortcut first if it has the `words` for it.
pub(super) fn parse_with<'a>(
    bytes: &'a [u8],
    attrs: Vec<Attr<'_>>,
    shortcut: Option<&EscapedWords<'a>>,
) -> Result<Fields<'a>, serde_json::Error> {
    let mut fields = Fields::reusing(attrs);
    // A line checked as UTF-8 once is parsed without a check of each of its strings; a line
    // that is not is parsed as bytes, for the parser to say where it fails.
    let Ok(text) = simdutf8::basic::from_utf8(bytes) else {
        with_serde(serde_json::Deserializer::from_slice(bytes), &mut fields)?;
        return Ok(fields);
    };
    if let Some(words) = shortcut {
        if super::flat_json::flat_line(text, &mut fields, words).is_some() {
            return Ok(fields);
        }
        fields = Fields::reusing(fields.attrs);
    }
    with_serde(serde_json::Deserializer::from_str(text), &mut fields)?;
    Ok(fields)
}

/// Fills `fields` from the one object `deserializer` holds, trailing characters refused.
fn with_serde<'a, R: serde_json::de::Read<'a>>(
    mut deserializer: serde_json::Deserializer<R>,
    fields: &mut Fields<'a>,
) -> Result<(), serde_json::Error> {
    FieldsVisitor(fields).deserialize(&mut deserializer)?;
    deserializer.end()
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
    use proptest::prelude::*;

    fn one_of(items: &[&'static str]) -> impl Strategy<Value = String> {
        prop::sample::select(items.to_vec()).prop_map(str::to_owned)
    }

    fn string() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            12 => one_of(&[
                "a", "会", " ", r"\n", r#"\""#, r"\\", r"\/", r"\b", r"\f", r"\r", r"\t",
                r"\u00e9", r"\u00E9", r"\u0000", r"\u4F1a", r"\u4f1a", r"\u4F1A", r"\u0022",
                r"\u005c", r"\u005C",
                r"\u001f", r"\u0020", r"\\u0041",
                r"\ud83d\ude00", r"\udbff\udfff", "{", "[",
            ]),
            1 => one_of(&[
                r"\ud800", r"\udc00", r"\ud800\u0041", r"\ud800x", r"\x", r"\u12", r"\U0041",
                r"\u000g", r"\u0g00",
                "\t", "\u{1}", "\u{1f}", "\u{7f}", "\u{a0}", "\"",
            ]),
        ];
        prop::collection::vec(piece, 0..6).prop_map(|p| format!("\"{}\"", p.concat()))
    }

    fn number() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => r"-?(0|[1-9][0-9]{0,24})(\.[0-9]{1,22})?([eE][+-]?[0-9]{1,3})?",
            1 => one_of(&[
                "01", "-", "1.", ".5", "1e", "+1", "-0", "-0.0", "0e0", "1E+2",
                "18446744073709551615", "18446744073709551616", "9223372036854775807",
                "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
                "1e400", "-1e400", "1e-400", "2.2250738585072011e-308", "4.9e-324",
                "1.7976931348623157e308", "0.30000000000000004", "123456789012345678901234567890",
                "NaN", "Infinity", "-Infinity", "0x10", "1_000",
            ]),
        ]
    }

    fn value() -> impl Strategy<Value = String> {
        prop_oneof![
            8 => string(),
            6 => number(),
            1 => one_of(&[
                "true", "false", "null", "nul", "tru", "True", "[]", r#"[1,"a"]"#, "{}",
                r"\u0031", r#"\u0022a\u0022"#, r#"\"a""#,
                r#"{"a":[{}]}"#, "[1,]", r#"{"a"}"#,
            ]),
        ]
    }

    fn space() -> impl Strategy<Value = String> {
        prop_oneof![
            20 => Just(String::new()),
            4 => one_of(&[" ", "\t", "\r", "\n", "  \t"]),
            1 => one_of(&["\u{c}", "\u{a0}"]),
        ]
    }

    fn key() -> impl Strategy<Value = String> {
        prop_oneof![
            20 => one_of(&[
                r#""kind""#, r#""time""#, r#""id""#, r#""actor""#, r#""target""#, r#""x""#,
                r#""y""#, r#""\u006bind""#, r#""会""#, r#""""#,
            ]),
            4 => string(),
            1 => one_of(&["kind", "1", "null", "'x'"]),
        ]
    }

    /// JSON object lines, mostly well formed, sometimes cut short or followed by more.
    fn line() -> impl Strategy<Value = Vec<u8>> {
        let member = (space(), key(), space(), space(), value(), space())
            .prop_map(|(a, k, b, c, v, d)| format!("{a}{k}{b}:{c}{v}{d}"));
        let object = (
            space(),
            prop::collection::vec(member, 0..6),
            space(),
            prop::bool::weighted(0.1),
        )
            .prop_map(|(a, members, b, comma)| {
                let end = if comma && !members.is_empty() {
                    ",}"
                } else {
                    "}"
                };
                format!("{a}{{{}{end}{b}", members.join(","))
            });
        let tail = prop_oneof![
            8 => one_of(&["", " ", "\r"]),
            1 => one_of(&["x", ",", "}", "{}", "\u{0}", "\u{a0}"]),
        ];
        let cut = any::<Option<prop::sample::Index>>();
        (object, tail, prop::bool::weighted(0.1), cut).prop_map(|(object, tail, cuts, cut)| {
            let mut bytes = format!("{object}{tail}").into_bytes();
            if let Some(cut) = cut.filter(|_| cuts && bytes.len() > 1) {
                bytes.truncate(cut.index(bytes.len()));
            }
            bytes
        })
    }

    /// Lines in and near the shortcut's form: flat, plain strings and integers, sometimes with
    /// one byte put in or taken out.
    fn plain_line() -> impl Strategy<Value = Vec<u8>> {
        let text = prop::collection::vec(one_of(&["a", "会", " ", "{", "[", "'", ":", ","]), 0..4)
            .prop_map(|p| format!("\"{}\"", p.concat()));
        let value = prop_oneof![
            3 => text,
            3 => r"-?(0|[1-9][0-9]{0,19})",
            1 => one_of(&[
                "true", "false", "null", "nul", "truex", "-0", "01", "-", "-a", "1.5", "1e3",
                "1E3", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
                "-9223372036854775809", "18446744073709551616",
            ]),
        ];
        let name = one_of(&[
            "kind",
            "time",
            "id",
            "actor",
            "target",
            "recorded_at",
            "x",
            "会",
            "",
            "kind ",
        ]);
        let member = (name, value).prop_map(|(k, v)| format!("\"{k}\":{v}"));
        let object = prop::collection::vec(member, 0..7)
            .prop_map(|members| format!("{{{}}}", members.join(",")));
        let edit = one_of(&[
            ",", ":", "\"", "}", "{", "]", " ", "\\", "\u{1}", "x", "0", "-", "\u{a0}", "",
        ]);
        let at = any::<prop::sample::Index>();
        (object, prop::bool::weighted(0.3), at, edit, any::<bool>()).prop_map(
            |(object, edits, at, edit, remove)| {
                let mut bytes = object.into_bytes();
                if edits {
                    let i = at.index(bytes.len());
                    if remove {
                        bytes.remove(i);
                    } else {
                        bytes.splice(i..i, edit.bytes());
                    }
                }
                bytes
            },
        )
    }

    /// Words whose escaped forms the string pieces above spell, alone or together.
    const WORDS: [&str; 6] = ["会", "é", "😀", "a会", "会 ", "会会"];

    fn outcome(bytes: &[u8], fast: bool) -> Result<String, ()> {
        let words = EscapedWords::of(WORDS);
        parse_with(bytes, Vec::new(), fast.then_some(&words))
            .map(|fields| format!("{fields:?}"))
            .map_err(|_| ())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(5000))]

        /// The shortcut takes only lines `serde_json` takes, and reads them alike.
        #[test]
        fn the_shortcut_and_serde_json_read_lines_alike(bytes in prop_oneof![line(), plain_line()]) {
            prop_assert_eq!(
                outcome(&bytes, true),
                outcome(&bytes, false),
                "{}",
                String::from_utf8_lossy(&bytes)
            );
        }
    }

    #[test]
    fn the_shortcut_and_serde_json_agree_on_awkward_lines() {
        for line in [
            r#"{"kind":"a","n":-0}"#,
            r#"{"kind":"a","n":1e400}"#,
            r#"{"kind":"a","n":18446744073709551616}"#,
            r#"{"kind":"a","s":"\ud800"}"#,
            r#"{"kind":"a","s":"\ud83d\ude00"}"#,
            // Escapes that spell a quote or a backslash, and escapes outside strings.
            r#"{"kind":"a\u0022,\u0022actor\u0022:\u0022b"}"#,
            r#"{"kind":"a\u005c","actor":"b"}"#,
            r#"{"kind":\u0022a\u0022}"#,
            r#"{"n":\u0031}"#,
            r#"{"kind":"a\\u0022,"}"#,
            "{\"kind\":\"a\",\"s\":\"\t\"}",
            r#"{"kind":"a"} "#,
            r#"{"kind":"a"}x"#,
            r#"{"kind":"a","kind":"b"}"#,
            r#"{"x":1,"x":2}"#,
        ] {
            assert_eq!(
                outcome(line.as_bytes(), true),
                outcome(line.as_bytes(), false),
                "{line}"
            );
        }
    }

    #[test]
    fn strings_without_escapes_are_borrowed() {
        let line = r#"{"kind":"会议","actor":"a\"b","n":3,"x":null,"y":[1,{"z":2}]}"#.as_bytes();
        let fields = parse(line, Vec::new(), &EscapedWords::default()).unwrap();
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
    fn escaped_words_are_borrowed_from_the_words() {
        let words = EscapedWords::of(["检查", "等级"]);
        let line = r#"{"kind": "\u68c0\u67e5", "\u7b49\u7ea7": "\u68c0"}"#.as_bytes();
        let fields = parse(line, Vec::new(), &words).unwrap();
        assert!(matches!(
            fields.kind,
            Some(Scalar::Str(Cow::Borrowed("检查")))
        ));
        assert!(matches!(fields.attrs[0].0, Cow::Borrowed("等级")));
        assert!(matches!(fields.attrs[0].1, Scalar::Str(Cow::Owned(ref s)) if s == "检"));
    }

    #[test]
    fn rejects_repeated_built_ins_and_non_objects() {
        for bad in [
            &br#"{"kind":"a","kind":"b"}"#[..],
            b"[1,2]",
            br#"{"kind":"a"} x"#,
        ] {
            assert!(parse(bad, Vec::new(), &EscapedWords::default()).is_err());
        }
    }
}
