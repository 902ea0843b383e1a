//! Property tests: `parse` never panics, and every diagnostic and every node of the tree points
//! inside the text, on character boundaries, whatever the input (CJK, full-width forms, control
//! characters, unbalanced brackets, fragments of valid files).

use oblige_diagnostics::{render_human, render_json, SourceMap, Span};
use oblige_syntax::keywords::KEYWORDS;
use oblige_syntax::parse;
use proptest::prelude::*;

const VALID_EN: &str = include_str!("../../../tests/fixtures/syntax/ok/full_en.rule");
const VALID_ZH: &str = include_str!("../../../tests/fixtures/syntax/ok/full_zh.rule");

fn fragment() -> impl Strategy<Value = String> {
    let keyword = proptest::sample::select(KEYWORDS.to_vec())
        .prop_flat_map(|k| proptest::sample::select(vec![k.en.to_owned(), k.zh.to_owned()]));
    let punct = proptest::sample::select(vec![
        "{", "}", "(", ")", "[", "]", "｛", "｝", "（", "）", "【", "】", ",", "，", "、", ":",
        "：", ".", "..", "．", "=", "＝", "==", "!=", "≠", "！＝", ">=", "≥", "＞＝", "<", "＞",
        "～", "；", "。", "\"", "“", "”", "「", "」", "\\", "\\q", "//", "///", "/*", "*/", "-",
        "－", "\n", "\r\n", " ", "\t", "\u{3000}", "\u{FEFF}", "\u{0}", "\u{7}", "\u{200B}", "#",
    ])
    .prop_map(str::to_owned);
    let word = "[a-z_甲乙丙一且非每规则０-９0-9]{1,6}";
    let date = "[0-9]{1,5}-[0-9]{1,3}(-[0-9]{1,3})?";
    prop_oneof![
        3 => keyword,
        3 => punct,
        2 => word.prop_map(|s| s),
        1 => date.prop_map(|s| s),
        1 => any::<char>().prop_map(|c| c.to_string()),
    ]
}

fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec(fragment(), 0..120).prop_map(|parts| parts.join(" "))
}

/// A valid file with a few characters deleted, replaced or inserted.
fn mutated() -> impl Strategy<Value = String> {
    let base = proptest::sample::select(vec![VALID_EN, VALID_ZH]);
    let edits = proptest::collection::vec((any::<usize>(), 0u8..3, fragment()), 1..6);
    (base, edits).prop_map(|(base, edits)| {
        let mut chars: Vec<String> = base.chars().map(String::from).collect();
        for (at, kind, frag) in edits {
            let i = at % (chars.len() + 1);
            match kind {
                0 if i < chars.len() => {
                    chars.remove(i);
                }
                1 if i < chars.len() => chars[i] = frag,
                _ => chars.insert(i, frag),
            }
        }
        chars.concat()
    })
}

fn check_span(text: &str, span: Span) {
    let (start, end) = (span.start as usize, span.end as usize);
    assert!(
        start <= end && end <= text.len(),
        "span {start}..{end} outside 0..{}",
        text.len()
    );
    assert!(
        text.is_char_boundary(start),
        "span start {start} inside a character"
    );
    assert!(
        text.is_char_boundary(end),
        "span end {end} inside a character"
    );
}

fn check(text: &str) {
    let mut sources = SourceMap::new();
    let id = sources.add("input.rule", text);
    let parsed = parse(id, text);
    for d in &parsed.diagnostics {
        check_span(text, d.span);
        for r in &d.related {
            check_span(text, r.span);
        }
        assert!(!d.message.is_empty());
        let _ = render_human(&sources, d);
        let _ = render_json(&sources, d);
    }
    let tree = serde_json::to_value(&parsed.unit).unwrap_or_default();
    for_each_span(&tree, &mut |start, end| {
        check_span(text, Span::new(id, start, end));
    });
}

/// Calls `f` with every span in a serialized tree.
fn for_each_span(v: &serde_json::Value, f: &mut impl FnMut(usize, usize)) {
    match v {
        serde_json::Value::Object(o) => {
            if let (Some(start), Some(end), true) = (
                o.get("start").and_then(serde_json::Value::as_u64),
                o.get("end").and_then(serde_json::Value::as_u64),
                o.contains_key("file"),
            ) {
                f(start as usize, end as usize);
            }
            o.values().for_each(|x| for_each_span(x, f));
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| for_each_span(x, f)),
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn arbitrary_text_never_panics(text in text()) {
        check(&text);
    }

    #[test]
    fn arbitrary_characters_never_panic(text in "\\PC{0,200}") {
        check(&text);
    }

    #[test]
    fn damaged_valid_files_never_panic(text in mutated()) {
        check(&text);
    }
}

#[test]
fn pathological_inputs() {
    for text in [
        String::new(),
        "(".repeat(10_000),
        "rule r { for each u where ".to_owned() + &"(".repeat(5_000),
        "rule r { for each u where ".to_owned() + &"not ".repeat(20_000) + "x require",
        "{".repeat(3_000) + &"}".repeat(3_000),
        "\"".repeat(1_001),
        "/*".to_owned(),
        "///".to_owned(),
        "规则".repeat(2_000),
        "event e { a: text }\n".repeat(2_000),
    ] {
        check(&text);
    }
}
