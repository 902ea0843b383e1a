//! Comments survive formatting: random comments are written into a printed file, which is then
//! formatted in both languages. Every comment must come back, in order, with the same tree, and
//! formatting the result again must change nothing.

#[allow(
    dead_code,
    reason = "the generators are shared with roundtrip.rs, which uses all of them"
)]
mod arb;

use oblige_fmt::{format_source, format_unit, same_meaning, Lang};
use oblige_syntax::ast::Comment;
use oblige_syntax::{parse, FileId};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

/// Comments that may follow code on its line.
const TRAILING: &[&str] = &["// 注释 且 或", "/* b */", "//", "/* 多行\n   注释 */"];

/// Comments that may stand on a line of their own.
const LEADING: &[&str] = &["// 前置", "/* 块 */ /* 两个 */", "//// not docs", "/*\n*/"];

/// Comments written between two tokens in the middle of a line; a line comment also breaks it.
const INLINE: &[&str] = &["/* 中 */", "// 断行\n", "/* x */ // y\n"];

/// Byte offsets of the spaces of `line` that lie between tokens, not inside a string.
fn token_gaps(line: &str) -> Vec<usize> {
    let mut gaps = Vec::new();
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            ' ' if !in_string => gaps.push(i),
            _ => {}
        }
    }
    gaps
}

/// Writes comments into `text`: `marks[i]` says what happens at line `i`: nothing, a trailing
/// comment, a comment on the line before, both, or a comment between two of its tokens (which
/// only works for Chinese keywords: English ones may be two words that a comment would split).
fn decorate(text: &str, marks: &[(u8, usize)], inline: bool) -> String {
    let mut out = String::new();
    let mut after_doc = false;
    for (i, line) in text.lines().enumerate() {
        let (what, pick) = marks.get(i).copied().unwrap_or((0, 0));
        let is_doc = line.trim_start().starts_with("///");
        let blank = line.trim().is_empty();
        // A comment between `///` lines and their item would detach the docs.
        if (what == 2 || what == 3) && !after_doc && !blank {
            out.push_str(LEADING[pick % LEADING.len()]);
            out.push('\n');
        }
        let gaps = token_gaps(line);
        match gaps.get(pick % gaps.len().max(1)) {
            Some(&at) if what >= 4 && inline && !is_doc => {
                out.push_str(&line[..at]);
                out.push(' ');
                out.push_str(INLINE[pick % INLINE.len()]);
                out.push_str(&line[at..]);
            }
            _ => out.push_str(line),
        }
        if (what == 1 || what == 3) && !is_doc && !blank {
            out.push(' ');
            out.push_str(TRAILING[pick % TRAILING.len()]);
        }
        out.push('\n');
        after_doc = is_doc;
    }
    out
}

fn texts(comments: &[Comment]) -> Vec<String> {
    comments
        .iter()
        .map(|c| c.text.trim_end().to_owned())
        .collect()
}

fn check(text: &str, lang: Lang) -> Result<(), TestCaseError> {
    let original = parse(FileId(0), text);
    prop_assert!(
        original.diagnostics.is_empty(),
        "decorated text does not parse:\n{text}"
    );
    let out = format_source(FileId(0), text, Some(lang));
    prop_assert!(out.is_ok(), "refused:\n{text}");
    let out = out.unwrap_or_default();
    let reparsed = parse(FileId(0), &out);
    prop_assert!(
        same_meaning(&original.unit, &reparsed.unit),
        "meaning changed:\n{text}\n=>\n{out}"
    );
    prop_assert_eq!(
        texts(&original.unit.comments),
        texts(&reparsed.unit.comments),
        "comments changed:\n{}\n=>\n{}",
        text,
        out
    );
    let again = format_source(FileId(0), &out, Some(lang));
    prop_assert_eq!(Ok(out.clone()), again, "not idempotent:\n{}", out);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn comments_are_kept_in_order_and_in_place(
        unit in arb::source_unit(),
        marks in prop::collection::vec((0..6u8, 0..12usize), 0..80),
        zh_first in any::<bool>(),
    ) {
        let first = if zh_first { Lang::Zh } else { Lang::En };
        let text = decorate(&format_unit(&unit, "", first), &marks, zh_first);
        check(&text, Lang::Zh)?;
        check(&text, Lang::En)?;
    }
}
