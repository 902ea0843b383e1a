//! The public entry points: `same_meaning` tells trees apart by content only, and
//! `format_source` refuses broken files and keeps a file's own language by default.

use oblige_fmt::{format_source, same_meaning, Lang};
use oblige_syntax::{parse, FileId};

fn unit(text: &str) -> oblige_syntax::ast::SourceUnit {
    let parsed = parse(FileId(0), text);
    assert!(
        parsed.diagnostics.is_empty(),
        "{text}: {:#?}",
        parsed.diagnostics
    );
    parsed.unit
}

const EN: &str =
    "rule r { severity high for each u where a and not b require at least 2 e per month }";

#[test]
fn spans_comments_and_language_do_not_count() {
    let zh = "// 注释\n\n\n规则 r｛\n  严重程度　高等\n  对每个 u 其中 a 且 非 b /* 块 */\n  要求 ≥ ２ 次 e 每月\n｝";
    assert!(same_meaning(&unit(EN), &unit(zh)));
}

#[test]
fn content_counts() {
    let base = unit(EN);
    for other in [
        "rule s { severity high for each u where a and not b require at least 2 e per month }",
        "rule r { severity low for each u where a and not b require at least 2 e per month }",
        "rule r { for each u where a and not b require at least 2 e per month }",
        "rule r { severity high for each u where not (a and b) require at least 2 e per month }",
        "rule r { severity high for each u where a and not b require at most 2 e per month }",
        "rule r { severity high for each u where a and not b require at least 3 e per month }",
        "rule r { severity high cover each u where a and not b require at least 2 e per month }",
        "/// docs\nrule r { severity high for each u where a and not b require at least 2 e per month }",
    ] {
        assert!(!same_meaning(&base, &unit(other)), "{other}");
    }
}

#[test]
fn broken_files_are_not_formatted() {
    let result = format_source(FileId(3), "rule r { for each }", None);
    let diagnostics = result.err().unwrap_or_default();
    assert!(!diagnostics.is_empty());
    assert!(diagnostics.iter().all(|d| d.span.file == FileId(3)));
}

#[test]
fn the_file_keeps_its_language_unless_told() {
    let zh = "规则 r { 对每个 u 禁止 e 每月 }";
    let kept = format_source(FileId(0), zh, None);
    assert_eq!(
        kept,
        Ok("规则 r {\n  对每个 u\n  禁止 e 每月\n}\n".to_owned())
    );
    let en = format_source(FileId(0), zh, Some(Lang::En));
    assert_eq!(
        en,
        Ok("rule r {\n  for each u\n  forbid e per month\n}\n".to_owned())
    );
}

#[test]
fn empty_and_comment_only_files() {
    assert_eq!(format_source(FileId(0), "", None), Ok(String::new()));
    assert_eq!(
        format_source(FileId(0), "  // only\n\n/* this */  ", None),
        Ok("// only\n/* this */\n".to_owned())
    );
}
