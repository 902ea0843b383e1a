//! Every keyword of the parser's table is printed in both languages and reads back.
//!
//! For each keyword a small English file uses it; the file is printed in Chinese and in English,
//! each output must contain the keyword's canonical spelling as a whole word and parse back to
//! the same tree. The `match` has no catch-all, so a new keyword cannot be added to the table
//! without a sample here.

use oblige_fmt::{format_source, same_meaning, Lang};
use oblige_syntax::keywords::{Kw, KEYWORDS};
use oblige_syntax::{parse, FileId};

fn rule(body: &str) -> String {
    rule_meta("", body)
}

fn rule_meta(meta: &str, body: &str) -> String {
    format!("rule r {{\n  {meta}\n  for each u\n  {body}\n}}\n")
}

fn filter(expr: &str) -> String {
    rule(&format!(
        "exempt where {expr} because \"x\"\n  forbid e per month"
    ))
}

/// An English file that uses `kw`.
fn sample(kw: Kw) -> String {
    use Kw::*;
    match kw {
        Plan | Issuer | Issued | Effective | Timezone | Source => "plan \"p\" { issuer \"i\" issued 2023-05-04 effective 2023-01-01 .. 2023-12-31 timezone \"Asia/Shanghai\" source \"s.txt\" }".to_owned(),
        Include => "include \"a.rule\"".to_owned(),
        Enum => "enum e { a, b }".to_owned(),
        Class | Text | Bool | Int | Date | Ref => "class c { a: text b: bool c: int d: date e: ref c f: e }".to_owned(),
        Event => "event e { a: int }".to_owned(),
        Window => "window w = 2023-01-01, 2023-02-01 .. 2023-02-03, other".to_owned(),
        Yearly => "window w = yearly 06-01 .. 06-30, yearly 07-01".to_owned(),
        Calendar | Holidays | Workdays => "calendar c { holidays 2023-01-01 workdays 2023-01-07 }".to_owned(),
        Param => "param p = 3".to_owned(),
        Finding => "finding f \"d\"".to_owned(),
        State | From | Until => "state s = from a until b".to_owned(),
        Valid | ValidTo => "state s = valid k from a to b".to_owned(),
        Rule | ForEach | Require | AtLeast | PerMonth => rule("require at least 1 e per month"),
        Article | Quote | Lead | Cooperating | Severity | High | Weight => rule_meta(
            "article 1, 2 quote \"q\" lead \"l\" cooperating \"c\", \"d\" severity high weight 2",
            "forbid e per month",
        ),
        Low => rule_meta("severity low", "forbid e per month"),
        Medium => rule_meta("severity medium", "forbid e per month"),
        Critical => rule_meta("severity critical", "forbid e per month"),
        CoverEach => "rule r { cover each u forbid e per month }".to_owned(),
        Where | Forbid => rule("forbid e where a per quarter"),
        Exempt | During | Because => rule("exempt during 2023-01-01 because \"b\"\n  forbid e per month"),
        AtMost | PerQuarter => rule("require at most 2 e per quarter"),
        Exactly | PerHalfYear => rule("require exactly 2 e per half-year"),
        Times | PerYear => rule("require at least 2 times e per year"),
        To | By | Subject => rule("require at least 1 e to subject by subject per month"),
        Anyone => rule("require at least 1 e by anyone per month"),
        Per => rule("require at least 1 e per w"),
        When | Within | Minutes => rule("when e require f within 30 minutes"),
        If | Hours | Days | WorkingDays | Reported => rule("when e\n    if a require reported within 1 hours\n    if b require f within 2 days\n    require f within 3 working days"),
        Then | OverMonth => rule("when e then finding f over month"),
        OverQuarter => rule("when e then finding f over quarter"),
        OverHalfYear => rule("when e then finding f over half-year"),
        OverYear | Violated => rule("when violated other then finding f over year"),
        Hold => rule("require hold s per month"),
        On => rule("require hold s on 2023-06-30"),
        And | Or | Not => filter("a and b or not c"),
        In => filter("a in [1, 2]"),
        Is | Actor => filter("actor is c"),
        Under | Target => filter("actor under target"),
        HasFinding => filter("has finding f"),
        True | False => filter("true or false"),
        Trigger => rule("when e require f where x = trigger.x within 1 days"),
        PeriodStart | PeriodEnd => filter("period.start < period.end"),
    }
}

/// Whether `text` contains `word` with no name character on either side.
fn has_word(text: &str, word: &str) -> bool {
    let is_name = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    text.match_indices(word).any(|(i, _)| {
        !is_name(text[..i].chars().next_back()) && !is_name(text[i + word.len()..].chars().next())
    })
}

#[test]
fn every_keyword_prints_and_reparses_in_both_languages() {
    for keyword in KEYWORDS {
        let source = sample(keyword.id);
        let original = parse(FileId(0), &source);
        assert!(
            original.diagnostics.is_empty(),
            "{:?}: sample does not parse:\n{source}\n{:#?}",
            keyword.id,
            original.diagnostics
        );
        for lang in [Lang::En, Lang::Zh] {
            let out = format_source(FileId(0), &source, Some(lang))
                .unwrap_or_else(|d| panic!("{:?}: refused: {d:#?}", keyword.id));
            let spelling = keyword.spelling(lang);
            // English counts leave out the optional `times`; Chinese ones always write `次`.
            if !(keyword.id == Kw::Times && lang == Lang::En) {
                assert!(
                    has_word(&out, spelling),
                    "{:?}: `{spelling}` missing from the {lang:?} output:\n{out}",
                    keyword.id
                );
            }
            let reparsed = parse(FileId(0), &out);
            assert!(
                reparsed.diagnostics.is_empty(),
                "{:?}: {lang:?} output does not parse:\n{out}\n{:#?}",
                keyword.id,
                reparsed.diagnostics
            );
            assert!(
                same_meaning(&original.unit, &reparsed.unit),
                "{:?}: {lang:?} output means something else:\n{out}",
                keyword.id
            );
        }
    }
}
