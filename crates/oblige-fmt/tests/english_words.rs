//! English multi-word keywords (`at least`, `for each`, `working days`, `per month`) are made of
//! words that are not reserved on their own, so two names in a row can read as a keyword.
//!
//! Chinese keywords are single words and never have this problem, so each case starts from a
//! Chinese file, is printed in English and must read back as the same tree. The printer keeps the
//! names apart where the grammar offers a way (a comma between attributes, `times` after a
//! count); where it offers none, the grammar reserves only one-word keywords, keeps the words
//! of a keyword on one line, and refuses names that would always read as a keyword.

use oblige_fmt::{format_source, same_meaning, Lang};
use oblige_syntax::keywords::{is_keyword, KEYWORDS};
use oblige_syntax::{parse, FileId};

/// The words of the multi-word English keywords that are names on their own (`at`, `least`,
/// `working`, `has`, `period`, …), taken from the keyword table so a new keyword is covered.
fn words() -> Vec<&'static str> {
    let mut words: Vec<&'static str> = KEYWORDS
        .iter()
        .filter(|k| k.en.contains([' ', '.']))
        .flat_map(|k| k.en.split([' ', '.']))
        .filter(|w| !is_keyword(w) && !w.contains('-'))
        .collect();
    words.sort_unstable();
    words.dedup();
    words
}

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
    let words = words();
    assert!(
        words.contains(&"working") && words.contains(&"has"),
        "{words:?}"
    );
    for a in &words {
        for b in &words {
            let zh = format!("类别 c {{ x: {a}, {b}: 整数 }}");
            if let Err(e) = english_round_trip(&zh) {
                panic!("type `{a}` then attribute `{b}`: {e}");
            }
        }
    }
}

#[test]
fn count_param_and_event_kind_stay_apart() {
    let words = words();
    for a in &words {
        for b in &words {
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

/// A window named `month`, `quarter` or `year` could not be counted over in English (`per month`
/// is always the calendar month), so the name itself is an error, in either keyword set.
#[test]
fn window_named_like_a_period_is_refused() {
    for w in ["month", "quarter", "year"] {
        for decl in [
            format!("时段 {w} = 2023-06-01"),
            format!("window {w} = 2023-06-01"),
        ] {
            let codes: Vec<&str> = parse(FileId(0), &decl)
                .diagnostics
                .iter()
                .map(|d| d.code.0)
                .collect();
            assert_eq!(codes, ["E0013"], "{decl}");
        }
    }
    for w in ["months", "quarterly", "year_end", "月"] {
        let zh = format!("时段 {w} = 2023-06-01\n规则 r {{ 对每个 u 要求 至少 1 次 e 每 {w} }}");
        if let Err(e) = english_round_trip(&zh) {
            panic!("window `{w}`: {e}");
        }
    }
}

/// A param named `working` before `days` is the param and the unit, not `working days`: only
/// one-word keywords are reserved, and the grammar tries the amount before the unit.
#[test]
fn param_named_working_before_days() {
    if let Err(e) = english_round_trip("参数 p = working 天") {
        panic!("{e}");
    }
}

/// Every such word as a param before every duration unit, as the class of a rule, as a window
/// in a union, and as the name ending an item before the next item.
#[test]
fn names_next_to_units_classes_and_items_stay_apart() {
    for a in words() {
        let mut samples = vec![
            format!("规则 r {{ 对每个 {a} 要求 至少 1 次 e 每月 }}"),
            format!("规则 r {{ 覆盖每个 {a} 其中 {a} 要求 至少 1 次 e 每年 }}"),
            format!("状态 s = 起于 a 止于 {a}\n认定 f"),
            format!("认定 {a}\n规则 r {{ 对每个 u 其中 有认定 {a} 要求 至少 1 次 e 每年 }}"),
        ];
        for unit in ["分钟", "小时", "天", "工作日"] {
            samples.push(format!("参数 p = {a} {unit}"));
        }
        if !matches!(a, "month" | "quarter" | "year") {
            samples.push(format!("时段 w = {a}, 2023-06-01"));
        }
        for zh in samples {
            if let Err(e) = english_round_trip(&zh) {
                panic!("`{a}` in `{zh}`: {e}");
            }
        }
    }
}

/// An item ending in a name `has` and a `finding` item on the next line stay two items: the
/// words of a keyword must be on one line.
#[test]
fn item_ending_in_has_before_a_finding() {
    if let Err(e) = english_round_trip("状态 s = 起于 a 止于 has\n认定 f") {
        panic!("{e}");
    }
}
