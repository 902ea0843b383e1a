//! The shortcut reader of JSON lines: a flat object read without a general parser.

use super::escaped::EscapedWords;
use super::fields::{builtin, Fields, EVENT_FIELDS};
use super::quotes::string_end;
use crate::value::Scalar;
use std::borrow::Cow;

/// Reads a line of the form `{"key":value,…}` whose values are strings, numbers, `true`,
/// `false` or `null`, with no built-in field twice; `None` for any other line, which
/// `serde_json` then parses (or refuses).
///
/// Compact lines without escapes are read by the strictest form of the reader, which only
/// looks for each string's closing quote. Spaces between tokens and escapes in strings are
/// what most JSON writers put out by default (Python's `json.dumps` writes `", "` and `": "`
/// and escapes every character beyond ASCII); such lines, which took half as long again
/// through `serde_json`, are read by a second form of the reader that skips spaces and reads
/// escapes. A line with a control character anywhere (tabs and carriage returns included,
/// which JSON allows between tokens) is left to `serde_json`. A string with escapes that is the
/// escaped form of one of `words` is borrowed from there.
pub(super) fn flat_line<'a>(
    text: &'a str,
    fields: &mut Fields<'a>,
    words: &EscapedWords<'a>,
) -> Option<()> {
    let b = text.as_bytes();
    // Folds of bools vectorize (a fold of bit masks did not): the line is looked at in one
    // pass before it is read.
    let (control, backslash) = b.iter().fold((false, false), |(control, backslash), &c| {
        (control | (c < 0x20), backslash | (c == b'\\'))
    });
    if control {
        return None;
    }
    if !backslash && read::<false>(text, fields, words).is_some() {
        return Some(());
    }
    // A compact read that failed may have filled some fields: the loose read starts anew.
    *fields = Fields::reusing(std::mem::take(&mut fields.attrs));
    read::<true>(text, fields, words)
}

/// Reads the line; with `LOOSE`, spaces between tokens and escapes in strings are read too.
fn read<'a, const LOOSE: bool>(
    text: &'a str,
    fields: &mut Fields<'a>,
    words: &EscapedWords<'a>,
) -> Option<()> {
    let b = text.as_bytes();
    let mut at = spaces::<LOOSE>(b, 0);
    if b.get(at) != Some(&b'{') {
        return None;
    }
    at = spaces::<LOOSE>(b, at + 1);
    if b.get(at) == Some(&b'}') {
        return (spaces::<LOOSE>(b, at + 1) == b.len()).then_some(());
    }
    loop {
        let key = key::<LOOSE>(text, &mut at, words)?;
        at = spaces::<LOOSE>(b, at);
        if b.get(at) != Some(&b':') {
            return None;
        }
        at = spaces::<LOOSE>(b, at + 1);
        let value = scalar::<LOOSE>(text, &mut at, words)?;
        match key {
            Key::Builtin(index) => match fields.slot_at(index)? {
                slot if slot.is_some() => return None,
                slot => *slot = Some(value),
            },
            Key::Attr(name) => fields.attrs.push((name, value)),
        }
        at = spaces::<LOOSE>(b, at);
        match b.get(at) {
            Some(b',') => at = spaces::<LOOSE>(b, at + 1),
            Some(b'}') => return (spaces::<LOOSE>(b, at + 1) == b.len()).then_some(()),
            _ => return None,
        }
    }
}

/// A key of the line: a built-in field, by its place in [`EVENT_FIELDS`], or
/// an attribute's name.
enum Key<'a> {
    Builtin(usize),
    Attr(Cow<'a, str>),
}

/// The key starting at `at` (with its quote), if it is a string; `at` moves past it.
fn key<'a, const LOOSE: bool>(
    text: &'a str,
    at: &mut usize,
    words: &EscapedWords<'a>,
) -> Option<Key<'a>> {
    if let Some((index, len)) = builtin_key(text.as_bytes(), *at) {
        *at += len;
        return Some(Key::Builtin(index));
    }
    let name = string::<LOOSE>(text, at, words)?;
    Some(match builtin(&name) {
        Some(index) => Key::Builtin(index),
        None => Key::Attr(name),
    })
}

/// The built-in field whose name, quoted and without escapes, starts at `at`, and the quoted
/// name's length: every line names four or five of them, found here by comparing one word
/// each, where finding the string's end and then the name took some hundred instructions.
fn builtin_key(b: &[u8], at: usize) -> Option<(usize, usize)> {
    let word = u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?);
    QUOTED_BUILTINS
        .iter()
        .find(|quoted| word & quoted.mask == quoted.bytes)
        .map(|quoted| (quoted.index, quoted.len))
}

/// A built-in field's name in quotes, as the first bytes of a little-endian word.
struct QuotedName {
    bytes: u64,
    mask: u64,
    len: usize,
    index: usize,
}

/// The first five of [`EVENT_FIELDS`], whose names quoted fit a word (`recorded_at` is found
/// as any other key).
const QUOTED_BUILTINS: [QuotedName; 5] = [quoted(0), quoted(1), quoted(2), quoted(3), quoted(4)];

/// The name at `index` of [`EVENT_FIELDS`], quoted. A name too long for a word fails the build.
const fn quoted(index: usize) -> QuotedName {
    let name = EVENT_FIELDS[index].as_bytes();
    let (mut bytes, mut i) = ([b'"'; 8], 0);
    while i < name.len() {
        bytes[i + 1] = name[i];
        i += 1;
    }
    let len = name.len() + 2;
    let mask = u64::MAX >> (64 - 8 * len);
    QuotedName {
        bytes: u64::from_le_bytes(bytes) & mask,
        mask,
        len,
        index,
    }
}

/// The first position from `at` that is not a space (with `LOOSE`; `at` otherwise).
fn spaces<const LOOSE: bool>(b: &[u8], mut at: usize) -> usize {
    while LOOSE && b.get(at) == Some(&b' ') {
        at += 1;
    }
    at
}

/// The string starting at `at` (with its quote), if it is one; `at` moves past it. Borrowed
/// from the line unless it has escapes, which only a `LOOSE` read reads; then borrowed from
/// `words` if it is one of them escaped.
fn string<'a, const LOOSE: bool>(
    text: &'a str,
    at: &mut usize,
    words: &EscapedWords<'a>,
) -> Option<Cow<'a, str>> {
    let b = text.as_bytes();
    if b.get(*at) != Some(&b'"') {
        return None;
    }
    let start = *at + 1;
    let end = string_end::<LOOSE>(b, start)?;
    if b.get(end) == Some(&b'"') {
        *at = end + 1;
        return text.get(start..end).map(Cow::Borrowed);
    }
    // A compact read sees no escapes. Left out of it, the rest keeps this function small
    // enough for the compact read to have it inline.
    if !LOOSE {
        return None;
    }
    let (escaped, end) = escaped_string(text, start, words)?;
    *at = end;
    Some(escaped)
}

/// The string with escapes whose text starts at `start`, and the position after its closing
/// quote: one of `words` if it is its escaped form, else read escape by escape.
fn escaped_string<'a>(
    text: &'a str,
    start: usize,
    words: &EscapedWords<'a>,
) -> Option<(Cow<'a, str>, usize)> {
    if let Some((word, end)) = words.find(text, start) {
        return Some((Cow::Borrowed(word), end));
    }
    unescape(text, start).map(|(unescaped, end)| (Cow::Owned(unescaped), end))
}

/// The value starting at `at`, if the shortcut reads it; `at` moves past it.
fn scalar<'a, const LOOSE: bool>(
    text: &'a str,
    at: &mut usize,
    words: &EscapedWords<'a>,
) -> Option<Scalar<'a>> {
    let rest = text.as_bytes().get(*at..)?;
    let (value, len) = match rest.first()? {
        b'"' => return string::<LOOSE>(text, at, words).map(Scalar::Str),
        b't' if rest.starts_with(b"true") => (Scalar::Bool(true), 4),
        b'f' if rest.starts_with(b"false") => (Scalar::Bool(false), 5),
        b'n' if rest.starts_with(b"null") => (Scalar::Null, 4),
        b'-' | b'0'..=b'9' => number(text.get(*at..)?)?,
        _ => return None,
    };
    *at += len;
    Some(value)
}

/// The number at the start of `text` and its length, if the shortcut reads it: an integer
/// that fits an `i64`, or a number with a fraction or an exponent, which `serde_json` reads
/// on its own so that it rounds exactly as on a whole line. `-0`, leading zeros, integers
/// beyond an `i64` and numbers whose integer part is beyond it are left to `serde_json`.
fn number(text: &str) -> Option<(Scalar<'_>, usize)> {
    let b = text.as_bytes();
    let negative = b.first() == Some(&b'-');
    let sign = usize::from(negative);
    // The digits are counted and summed in one pass: most lines of a log numbered by a script
    // hold one such id.
    let (mut digits, mut magnitude) = (0, 0_i64);
    for &c in b.get(sign..)? {
        if !c.is_ascii_digit() {
            break;
        }
        magnitude = magnitude
            .checked_mul(10)?
            .checked_add(i64::from(c - b'0'))?;
        digits += 1;
    }
    let zero = b.get(sign) == Some(&b'0');
    if digits == 0 || (zero && digits > 1) {
        return None;
    }
    let len = sign + digits;
    if matches!(b.get(len), Some(b'.' | b'e' | b'E')) {
        return float(text, len);
    }
    if zero && negative {
        return None;
    }
    Some((
        Scalar::Int(if negative { -magnitude } else { magnitude }),
        len,
    ))
}

/// The number at the start of `text` whose fraction or exponent starts at `at`, and its
/// length; `None` for a `.` or an `e` without digits.
fn float(text: &str, mut at: usize) -> Option<(Scalar<'_>, usize)> {
    let b = text.as_bytes();
    if b.get(at) == Some(&b'.') {
        let fraction = run_of_digits(b, at + 1);
        (fraction > 0).then_some(())?;
        at += 1 + fraction;
    }
    if matches!(b.get(at), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(b.get(at + 1), Some(b'+' | b'-')));
        let exponent = run_of_digits(b, at + 1 + sign);
        (exponent > 0).then_some(())?;
        at += 1 + sign + exponent;
    }
    let value = serde_json::from_str::<f64>(text.get(..at)?).ok()?;
    Some((Scalar::Float(value), at))
}

/// How many ASCII digits follow `at`.
fn run_of_digits(b: &[u8], at: usize) -> usize {
    b.get(at..).map_or(0, |rest| {
        rest.iter().take_while(|c| c.is_ascii_digit()).count()
    })
}

/// The string whose text starts at `start` (after its quote), with its escapes read, and the
/// position after its closing quote; `None` for an escape JSON does not have, a lone half of
/// a surrogate pair, or no closing quote.
fn unescape(text: &str, start: usize) -> Option<(String, usize)> {
    let b = text.as_bytes();
    let mut out = String::with_capacity(32);
    let mut at = start;
    loop {
        match b.get(at)? {
            b'"' => return Some((out, at + 1)),
            b'\\' => {
                // Python escapes every character beyond ASCII, most of them in this plane.
                let (c, len) = match basic_escape(b.get(at..)?) {
                    Some(c) => (c, 6),
                    None => escape(b.get(at..)?)?,
                };
                out.push(c);
                at += len;
            }
            _ => {
                let end = string_end::<true>(b, at)?;
                out.push_str(text.get(at..end)?);
                at = end;
            }
        }
    }
}

/// The character of the escape that starts `b`, and the escape's length.
fn escape(b: &[u8]) -> Option<(char, usize)> {
    let c = match b.get(1)? {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'u' => return unicode_escape(b),
        _ => return None,
    };
    Some((c, 2))
}

/// The character of the `\uXXXX` escape (or surrogate pair of two) starting `b`, and its length.
fn unicode_escape(b: &[u8]) -> Option<(char, usize)> {
    if let Some(c) = basic_escape(b) {
        return Some((c, 6));
    }
    let first = hex4(b.get(2..6)?)?;
    if !(0xD800..0xDC00).contains(&first) || b.get(6..8)? != b"\\u" {
        return None;
    }
    let second = hex4(b.get(8..12)?)?;
    if !(0xDC00..0xE000).contains(&second) {
        return None;
    }
    let c = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
    Some((char::from_u32(c)?, 12))
}

/// The character of the `\uXXXX` escape starting `b`, if it is one outside the surrogates.
fn basic_escape(b: &[u8]) -> Option<char> {
    let &[b'\\', b'u', h1, h2, h3, h4, ..] = b else {
        return None;
    };
    // A surrogate is no character: `from_u32` refuses it; a pair is read by `unicode_escape`.
    char::from_u32(hex4(&[h1, h2, h3, h4])?)
}

/// The value of four hex digits.
fn hex4(b: &[u8]) -> Option<u32> {
    let &[h1, h2, h3, h4] = b else {
        return None;
    };
    let digits = [h1, h2, h3, h4].map(|h| HEX_DIGITS[usize::from(h)]);
    // One test for the four: a byte that is not a digit has a bit above the lowest four.
    if digits.iter().fold(0, |any, &d| any | d) > 0xF {
        return None;
    }
    Some(digits.iter().fold(0, |n, &d| n << 4 | u32::from(d)))
}

/// The value of each byte as a hex digit, or 0x10 for a byte that is not one.
const HEX_DIGITS: [u8; 256] = {
    let mut table = [0x10; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = match byte as u8 {
            c @ b'0'..=b'9' => c - b'0',
            c @ b'a'..=b'f' => c - b'a' + 10,
            c @ b'A'..=b'F' => c - b'A' + 10,
            _ => 0x10,
        };
        byte += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    fn shortcut(line: &str) -> Option<String> {
        let mut fields = Fields::default();
        flat_line(line, &mut fields, &EscapedWords::default()).map(|()| format!("{fields:?}"))
    }

    fn serde(line: &str) -> String {
        let fields = super::super::json_line::parse_with(line.as_bytes(), Vec::new(), None);
        format!("{:?}", fields.ok())
    }

    #[test]
    fn lines_as_common_writers_put_them_take_the_shortcut() {
        for line in [
            // Python's json.dumps, by default and with ensure_ascii=False.
            r#"{"actor": "city-yjj", "kind": "\u68c0\u67e5", "time": "2023-12-06T10:44:00+08:00", "\u53d1\u73b0\u9690\u60a3\u6570": 0}"#,
            r#"{"actor": "city-yjj", "kind": "检查", "n": -12, "ok": true, "x": null, "f": 1.5}"#,
            // Every escape JSON has, a surrogate pair, spaces around every token.
            r#" { "kind" : "a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude00" , "e" : 2.5e-3 } "#,
            // Every hex digit, in both cases.
            r#"{"kind": "\u0123\u4567\u89ab\ucdef\u89AB\uCDEF"}"#,
            r#"{"kind":"会议","amount":1E3,"small":-0.25}"#,
            "{}",
            " { } ",
        ] {
            let read = shortcut(line);
            assert!(read.is_some(), "not read by the shortcut: {line}");
            assert_eq!(
                read.map(|fields| format!("Some({fields})")),
                Some(serde(line))
            );
        }
    }

    #[test]
    fn built_in_keys_are_found_by_their_quoted_names_alone() {
        for (index, name) in EVENT_FIELDS.iter().enumerate().take(QUOTED_BUILTINS.len()) {
            // A key is read as a word of eight bytes; one nearer the line's end is read as any
            // other string (the last case below).
            let line = format!("\"{name}\":1}}  ");
            assert_eq!(
                builtin_key(line.as_bytes(), 0),
                Some((index, name.len() + 2)),
                "{name}"
            );
        }
        for other in [
            r#""idx":1}"#,
            r#""i":1}  "#,
            r#""tim":1} "#,
            r#""Kind":1}"#,
            r#""actors":1}"#,
            r#""target ":1}"#,
            r#""recorded_at":1}"#,
            r#""id":1}"#,
            r#"id":1}   "#,
        ] {
            assert_eq!(builtin_key(other.as_bytes(), 0), None, "{other}");
        }
    }

    #[test]
    fn lines_the_shortcut_leaves_to_serde_json() {
        for line in [
            r#"{"kind":"\ud800"}"#,
            r#"{"kind":"\udc00\ud800"}"#,
            r#"{"kind":"\ud800\u0041"}"#,
            r#"{"kind":"\x"}"#,
            r#"{"kind":"\u12"}"#,
            "{\"kind\":\t\"a\"}",
            r#"{"kind":"a",}"#,
            r#"{"n":1.}"#,
            r#"{"n":1e}"#,
            r#"{"n":-0}"#,
            r#"{"n":[1]}"#,
            r#"{"kind":"a","kind":"b"}"#,
        ] {
            assert_eq!(shortcut(line), None, "{line}");
        }
    }
}
