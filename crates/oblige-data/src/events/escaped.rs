//! The plan's words as JSON writers escape them, so that an escaped kind, attribute name or
//! enum value of a line is recognised whole rather than read escape by escape into a new string.
//!
//! Python's `json.dumps` (and PHP's `json_encode`) write every character beyond ASCII as a
//! `\uXXXX` escape in lowercase hex, .NET's serializer in uppercase: in such a log every Chinese
//! kind, attribute name and enum value comes escaped, on every line. Those words are the plan's,
//! so their escaped forms are known before the first line.

use super::quotes::string_end;
use foldhash::fast::RandomState;
use oblige_check::model::{AttrType, Plan};
use std::collections::HashMap;

/// The escaped forms of some words, each to the word it spells.
#[derive(Debug, Default)]
pub(crate) struct EscapedWords<'p> {
    words: HashMap<Box<str>, &'p str, RandomState>,
}

impl<'p> EscapedWords<'p> {
    /// The event kinds of `plan`, the names of their attributes and the values of its enums.
    pub(crate) fn of_plan(plan: &'p Plan) -> Self {
        let kinds = plan.events.keys();
        let names = plan.events.values().flat_map(|attrs| attrs.keys());
        let enum_values = plan.events.values().flat_map(|attrs| {
            attrs.values().filter_map(|ty| match ty {
                AttrType::Enum(name) => plan.enums.get(name),
                _ => None,
            })
        });
        let words = kinds.chain(names).chain(enum_values.flatten());
        Self::of(words.map(String::as_str))
    }

    /// The escaped forms of `words`, in lowercase and in uppercase hex. Words without a
    /// character a writer escapes this way have none; neither have words with a quote, a
    /// backslash or a control character, which writers escape in other ways too.
    pub(crate) fn of(words: impl IntoIterator<Item = &'p str>) -> Self {
        let mut escaped = Self::default();
        for word in words {
            for upper in [false, true] {
                if let Some(form) = escape(word, upper) {
                    escaped.words.insert(form.into_boxed_str(), word);
                }
            }
        }
        escaped
    }

    /// The word whose escaped form is the JSON string whose text starts at `start` (after its
    /// quote), and the position after its closing quote.
    pub(crate) fn find(&self, text: &str, start: usize) -> Option<(&'p str, usize)> {
        if self.words.is_empty() {
            return None;
        }
        // No form holds a quote, escaped or not: the first quote ends the string if it is one.
        let end = string_end::<false>(text.as_bytes(), start)?;
        let word = self.words.get(text.get(start..end)?)?;
        Some((word, end + 1))
    }
}

/// `word` with each character beyond ASCII as a `\uXXXX` escape (a pair of them beyond the
/// basic plane), if it has such a character and nothing escaped otherwise.
fn escape(word: &str, upper: bool) -> Option<String> {
    if word.is_ascii()
        || word
            .chars()
            .any(|c| c == '"' || c == '\\' || c.is_control())
    {
        return None;
    }
    let digits = if upper { UPPER_HEX } else { LOWER_HEX };
    let mut form = String::with_capacity(word.len() * 2);
    for c in word.chars() {
        if c.is_ascii() {
            form.push(c);
            continue;
        }
        for unit in c.encode_utf16(&mut [0; 2]) {
            form.push_str("\\u");
            for shift in [12, 8, 4, 0] {
                form.push(char::from(digits[usize::from((*unit >> shift) & 0xF)]));
            }
        }
    }
    Some(form)
}

/// Hex digits as writers write them, by value.
const LOWER_HEX: &[u8; 16] = b"0123456789abcdef";
const UPPER_HEX: &[u8; 16] = b"0123456789ABCDEF";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_found_by_the_forms_writers_give_them() {
        let words = EscapedWords::of([
            "检查",
            "A级😀",
            "café",
            "plain",
            "引\"号",
            "反\\斜",
            "制\u{1}表",
        ]);
        let found =
            |line: &'static str| words.find(line, 1).map(|(word, end)| (word, &line[end..]));
        assert_eq!(found(r#""\u68c0\u67e5",1"#), Some(("检查", ",1")));
        assert_eq!(found(r#""\u68C0\u67E5""#), Some(("检查", "")));
        assert_eq!(found(r#""A\u7ea7\ud83d\ude00""#), Some(("A级😀", "")));
        assert_eq!(found(r#""caf\u00e9""#), Some(("café", "")));
        assert_eq!(found(r#""caf\u00E9""#), Some(("café", "")));
        for other in [
            r#""\u68c0\u67E5""#,
            r#""\u68c0\u67e5"#,
            r#""\u68c0""#,
            r#""\u68c0\u67e5\u68c0""#,
            r#""plain""#,
            r#""\u5f15\"\u53f7""#,
            r#""\u5f15\u0022\u53f7""#,
            // JSON for `反\u659c`, which a form that kept the backslash would spell.
            r#""\u53cd\\u659c""#,
            r#""\u5236\u0001\u8868""#,
        ] {
            assert_eq!(found(other), None, "{other}");
        }
    }

    #[test]
    fn an_empty_list_finds_nothing() {
        assert_eq!(EscapedWords::default().find(r#""\u68c0""#, 1), None);
    }
}
