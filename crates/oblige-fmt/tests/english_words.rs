//! English multi-word keywords (`at least`, `for each`, `working days`, `per month`) are made of
//! words that are not reserved on their own, so two names in a row can read as a keyword.
//!
//! Chinese keywords are single words and never have this problem, so each case starts from a
//! Chinese file, is printed in English and must read back as the same tree. The printer keeps the
//! names apart where the grammar offers a way (a comma between attributes, `times` after a
//! count); where it offers none, an ignored test shows the grammar issue.

use oblige_fmt::{format_source, same_meaning, Lang};
use oblige_syntax::{parse, FileId};

/// Single words of multi-word English keywords, all valid names.
const WORDS: &[&str] = &[
    "at", "least", "most", "for", "each", "cover", "over", "has", "half", "working", "month",
    "quarter", "year",
];

/// Prints `zh` in `lang`; the output must parse to the same tree.
fn round_trip(zh: &str, lang: Lang) -> Result<String, String> {
    let original = parse(FileId(0), zh);
    if !original.diagnostics.is_empty() {
        return Err(format!(
            "sample does not parse:\n{zh}\n{:#?}",
            original.diagnostics
        ));
    }
    let out = format_source(FileId(0), zh, Some(lang)).map_err(|d| format!("{d:#?}"))?;
    let back = parse(FileId(0), &out);
    if !back.diagnostics.is_empty() {
        return Err(format!(
            "{lang:?} output does not parse:\n{out}\n{:#?}",
            back.diagnostics
        ));
    }
    if !same_meaning(&original.unit, &back.unit) {
        return Err(format!("{lang:?} output means something else:\n{out}"));
    }
    Ok(out)
}

/// Prints `zh` in English (and in Chinese, which reads English spellings too).
fn english_round_trip(zh: &str) -> Result<String, String> {
    round_trip(zh, Lang::Zh)?;
    round_trip(zh, Lang::En)
}

#[test]
fn attribute_type_and_next_attribute_stay_apart() {
    for a in WORDS {
        for b in WORDS {
            let zh = format!("类别 c {{ x: {a}, {b}: 整数 }}");
            if let Err(e) = english_round_trip(&zh) {
                panic!("type `{a}` then attribute `{b}`: {e}");
            }
        }
    }
}

#[test]
fn count_param_and_event_kind_stay_apart() {
    for a in WORDS {
        for b in WORDS {
            let zh = format!("规则 r {{ 对每个 u 要求 至少 {a} 次 {b} 每月 }}");
            if let Err(e) = english_round_trip(&zh) {
                panic!("param `{a}` then kind `{b}`: {e}");
            }
        }
    }
}

#[test]
fn comma_and_times_appear_only_when_needed() {
    let en =
        english_round_trip("类别 c { x: at, least: 整数, y: at, z: 整数 }").unwrap_or_default();
    assert!(en.contains("x: at,\n"), "{en}");
    assert!(en.contains("y: at\n"), "{en}");
    let en =
        english_round_trip("规则 r { 对每个 u 要求 至多 at 次 most 每月 }").unwrap_or_default();
    assert!(en.contains("at most at times most per month"), "{en}");
    let en = english_round_trip("规则 r { 对每个 u 要求 至多 at 次 e 每月 }").unwrap_or_default();
    assert!(en.contains("at most at e per month"), "{en}");
}

/// A window named `month`, `quarter` or `year` cannot be counted over in English: `per month`
/// is always the calendar month.
#[test]
#[ignore = "grammar: `per month` with a window named `month` reads as the calendar month"]
fn window_named_like_a_period() {
    for w in ["month", "quarter", "year"] {
        let zh = format!("规则 r {{ 对每个 u 要求 至少 1 次 e 每 {w} }}");
        if let Err(e) = english_round_trip(&zh) {
            panic!("window `{w}`: {e}");
        }
    }
}

/// A param named `working` cannot be a number of days in English: `working days` is the unit.
#[test]
#[ignore = "grammar: a param named `working` before `days` reads as the unit `working days`"]
fn param_named_working_before_days() {
    if let Err(e) = english_round_trip("参数 p = working 天") {
        panic!("{e}");
    }
}

/// An item ending in a name `has` cannot precede a `finding` item in English: the white space
/// between a multi-word keyword's words may span lines, so `has` + `finding` is one keyword.
#[test]
#[ignore = "grammar: `has` at the end of an item and a following `finding` item read as `has finding`"]
fn item_ending_in_has_before_a_finding() {
    if let Err(e) = english_round_trip("状态 s = 起于 a 止于 has\n认定 f") {
        panic!("{e}");
    }
}
