//! Snapshot tests: every messy file in `tests/fixtures/fmt` printed in English and in Chinese.
//!
//! Each output must also be a fixed point of the formatter and parse back to the input's tree, so
//! a snapshot can only be accepted when the layout it shows is stable and faithful.

use oblige_fmt::{format_source, same_meaning, Lang};
use oblige_syntax::{parse, FileId};
use std::fs;

/// Formats `text` in `lang`, checks idempotence and meaning, and returns the output.
fn format_checked(name: &str, text: &str, lang: Lang) -> String {
    let original = parse(FileId(0), text);
    assert!(
        original.diagnostics.is_empty(),
        "{name}: fixture does not parse cleanly: {:#?}",
        original.diagnostics
    );
    let out = format_source(FileId(0), text, Some(lang));
    assert!(out.is_ok(), "{name}: refused to format: {out:#?}");
    let out = out.unwrap_or_default();
    let again = format_source(FileId(0), &out, Some(lang));
    assert_eq!(
        Ok(out.clone()),
        again,
        "{name} ({lang:?}): formatting is not idempotent or the output does not parse"
    );
    let reparsed = parse(FileId(0), &out);
    assert!(
        same_meaning(&original.unit, &reparsed.unit),
        "{name} ({lang:?}): output means something else:\n{out}"
    );
    assert_eq!(
        comment_texts(&original.unit.comments),
        comment_texts(&reparsed.unit.comments),
        "{name} ({lang:?}): comments were lost or changed"
    );
    out
}

fn comment_texts(comments: &[oblige_syntax::ast::Comment]) -> Vec<String> {
    comments
        .iter()
        .map(|c| c.text.trim_end().to_owned())
        .collect()
}

#[test]
fn fixtures_format_in_both_languages() {
    insta::glob!("../../../tests/fixtures/fmt", "*.rule", |path| {
        let text = fs::read_to_string(path).expect("fixture is readable");
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let en = format_checked(&name, &text, Lang::En);
        let zh = format_checked(&name, &text, Lang::Zh);
        insta::assert_snapshot!("en", en);
        insta::assert_snapshot!("zh", zh);
    });
}
