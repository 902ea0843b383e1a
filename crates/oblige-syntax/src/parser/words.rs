//! Errors at a word: keywords used as names, names that swallowed a keyword, misspelled
//! keywords.

use super::errors::{is_digit, Expected};
use super::Rule;
use crate::codes;
use crate::keywords::{self, Kw};
use oblige_diagnostics::{did_you_mean, Diagnostic, FileId, Span};

pub(super) fn word_error(text: &str, span: Span, w: &str, exp: &Expected) -> Diagnostic {
    let d = word_error_at(text, span, w, exp);
    match split_keyword(text, span, w, exp) {
        Some(kw) if d.code == codes::UNEXPECTED_TOKEN => d.with_help(format!(
            "the words of `{kw}` must be on one line; a line break ends a keyword"
        )),
        _ => d,
    }
}

/// The expected multi-word English keyword that `w` starts and the first word of the next line
/// would complete (`for` / `each`).
fn split_keyword(text: &str, span: Span, w: &str, exp: &Expected) -> Option<&'static str> {
    let rest = text.get(span.end as usize..)?;
    let rest = rest.trim_start_matches([' ', '\t', '\u{3000}']);
    let next_line = rest
        .strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix('\n'))?;
    let next = next_line.trim_start();
    exp.keywords.iter().map(|k| k.info().en).find(|en| {
        en.split_once(' ')
            .is_some_and(|(first, second)| first == w && next.starts_with(second))
    })
}

fn word_error_at(text: &str, span: Span, w: &str, exp: &Expected) -> Diagnostic {
    let range_help = matches!(w, "至" | "到" | "to" | "till" | "until") && after_date(text, span);
    if keywords::is_keyword(w) {
        if exp.has(Rule::ident) && used_as_name(text, span, w) {
            return Diagnostic::error(
                codes::KEYWORD_AS_NAME,
                span,
                format!("`{w}` is a keyword and cannot be used as a name"),
            )
            .with_label("reserved keyword")
            .with_help(format!(
                "pick another name; a name may contain a keyword, like `{w}_name` or `{w}名称`"
            ));
        }
        let d = Diagnostic::error(
            codes::UNEXPECTED_TOKEN,
            span,
            format!("expected {}, found keyword `{w}`", exp.text),
        );
        return if range_help { with_range_help(d) } else { d };
    }
    let inside = glued_keyword(w, exp);
    if let Some(d) = misspelled(text, span, w, exp, inside.map(|(k, _)| k)) {
        return d;
    }
    if let Some((kw, at)) = inside {
        return glued(span, w, kw, at, exp);
    }
    let d = Diagnostic::error(
        codes::UNEXPECTED_TOKEN,
        span,
        format!("expected {}, found `{w}`", exp.text),
    );
    if range_help {
        with_range_help(d)
    } else {
        d
    }
}

/// Whether a keyword found where a name was expected is meant as a name (`event when: date`,
/// `for each event`) rather than a sign that the name is missing (`at least meeting per year`,
/// where `meeting` was taken for the count and `per` ends the clause).
fn used_as_name(text: &str, span: Span, w: &str) -> bool {
    let declared = text
        .get(span.end as usize..)
        .map(|rest| rest.trim_start_matches([' ', '\t', '\u{3000}']))
        .is_some_and(|rest| rest.starts_with([':', '：', '=', '＝', '{', '｛']));
    declared || keywords::lookup(w).is_some_and(|k| !is_clause_keyword(k.id))
}

/// Keywords that join or end clauses; a name is never expected to look like one of them.
fn is_clause_keyword(kw: Kw) -> bool {
    use Kw as K;
    matches!(
        kw,
        K::Where
            | K::Per
            | K::PerMonth
            | K::PerQuarter
            | K::PerHalfYear
            | K::PerYear
            | K::OverMonth
            | K::OverQuarter
            | K::OverHalfYear
            | K::OverYear
            | K::By
            | K::To
            | K::ValidTo
            | K::From
            | K::Until
            | K::Within
            | K::Then
            | K::If
            | K::When
            | K::Require
            | K::Forbid
            | K::Exempt
            | K::During
            | K::Because
            | K::And
            | K::Or
            | K::Not
            | K::In
            | K::Is
            | K::Under
            | K::On
            | K::Times
            | K::AtLeast
            | K::AtMost
            | K::Exactly
            | K::ForEach
            | K::CoverEach
            | K::HasFinding
            | K::Minutes
            | K::Hours
            | K::Days
            | K::WorkingDays
    )
}

fn with_range_help(d: Diagnostic) -> Diagnostic {
    d.with_help("write date ranges with `..`, like `2023-01-01 .. 2023-01-03`")
}

/// Whether the token before `span` is a date (so a following `至` was meant as `..`).
fn after_date(text: &str, span: Span) -> bool {
    let before = text.get(..span.start as usize).unwrap_or("").trim_end();
    let tail: String = before.chars().rev().take(10).collect();
    before.ends_with(|c: char| is_digit(c)) && tail.contains('-')
}

/// A word close to an expected keyword, alone or with the word after it (`at lest`, `ovr
/// year`). A keyword found glued inside the word wins unless the suggestion is longer than it:
/// `且乙` is `且` glued to `乙`, but `每半月` is a misspelled `每半年`, not `每` glued to `半月`.
fn misspelled(
    text: &str,
    span: Span,
    w: &str,
    exp: &Expected,
    glued_kw: Option<&str>,
) -> Option<Diagnostic> {
    let spellings: Vec<&str> = exp
        .keywords
        .iter()
        .flat_map(|k| k.info().spellings())
        .collect();
    let single: Vec<&str> = spellings
        .iter()
        .copied()
        .filter(|s| !s.contains(' '))
        .collect();
    let double: Vec<&str> = spellings
        .iter()
        .copied()
        .filter(|s| s.contains(' '))
        .collect();
    let (suggestion, span, written) = match did_you_mean(w, single.iter().copied()) {
        Some(s) => (s, span, w.to_owned()),
        None => {
            let (next, end) = next_word(text, span.end as usize)?;
            let two = format!("{w} {next}");
            let s = did_you_mean(&two, double.iter().copied())?;
            let written = text
                .get(span.start as usize..end)
                .unwrap_or(&two)
                .to_owned();
            (s, Span::new(span.file, span.start as usize, end), written)
        }
    };
    let mut suggestion = suggestion;
    if let Some(glued_kw) = glued_kw {
        if suggestion.chars().count() <= glued_kw.chars().count() {
            return None;
        }
        // `每年度`: `每年` is as close as `每季度` and is what the word starts with.
        if let Some(k) = spellings.iter().find(|s| **s == glued_kw) {
            if w.starts_with(*k) && edit_distance(w, k) <= edit_distance(w, suggestion) {
                suggestion = k;
            }
        }
    }
    Some(
        Diagnostic::error(
            codes::MISSPELLED_KEYWORD,
            span,
            format!("expected {}, found `{written}`", exp.text),
        )
        .with_label("not a keyword")
        .with_help(format!("did you mean `{suggestion}`?")),
    )
}

/// Levenshtein distance in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row.first().copied().unwrap_or(0);
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let cur = row.get(j + 1).copied().unwrap_or(0);
            let left = row.get(j).copied().unwrap_or(0);
            let best = (prev + usize::from(ca != *cb)).min(cur + 1).min(left + 1);
            if let Some(cell) = row.get_mut(j + 1) {
                *cell = best;
            }
            prev = cur;
        }
    }
    row.last().copied().unwrap_or(0)
}

/// The word after `pos` on the same line, and where it ends.
fn next_word(text: &str, pos: usize) -> Option<(&str, usize)> {
    let rest = text.get(pos..)?;
    let trimmed = rest.trim_start_matches([' ', '\t']);
    let start = pos + (rest.len() - trimmed.len());
    let len: usize = trimmed
        .chars()
        .take_while(|c| pest::unicode::XID_CONTINUE(*c) || *c == '-')
        .map(char::len_utf8)
        .sum();
    (len > 0 && start > pos).then(|| (text.get(start..start + len).unwrap_or(""), start + len))
}

/// The keyword (and its offset) a word holds without spaces around it: an expected one, or any
/// Chinese keyword where only keywords can come.
fn glued_keyword(w: &str, exp: &Expected) -> Option<(&'static str, usize)> {
    contained_keyword(w, exp.keywords.iter().copied()).or_else(|| {
        if exp.keywords.is_empty() || exp.has(Rule::ident) {
            None
        } else {
            contained_keyword(w, keywords::KEYWORDS.iter().map(|k| k.id))
        }
    })
}

/// The error for `w` holding the keyword `kw` at byte `at`, with the spaced-out spelling.
fn glued(span: Span, w: &str, kw: &str, at: usize, exp: &Expected) -> Diagnostic {
    let before = w.get(..at).unwrap_or("");
    let after = w.get(at + kw.len()..).unwrap_or("");
    let split = [before, kw, after]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    Diagnostic::error(
        codes::GLUED_KEYWORD,
        span,
        format!("expected {}, found the name `{w}`", exp.text),
    )
    .with_label(format!("`{kw}` is inside this name"))
    .with_help(format!(
        "`{w}` contains the keyword `{kw}`; put spaces around keywords: `{split}`"
    ))
}

/// The longest Chinese keyword spelling among `kws` inside `w`, with its byte offset. English
/// spellings are left out: they hide inside ordinary words (`order` holds `or`).
fn contained_keyword(w: &str, kws: impl Iterator<Item = Kw>) -> Option<(&'static str, usize)> {
    kws.map(|k| k.info().zh)
        .filter(|zh| *zh != w)
        .filter_map(|zh| w.find(zh).map(|at| (zh, at)))
        .max_by(|a, b| {
            a.0.chars()
                .count()
                .cmp(&b.0.chars().count())
                .then(b.1.cmp(&a.1))
        })
}

/// A name just before `at` that swallowed a keyword the parser was waiting for: in
/// `活动=真且类型=会议` the parser stops at the second `=`, after the name `真且类型`.
pub(super) fn glued_before(
    file: FileId,
    text: &str,
    at: usize,
    exp: &Expected,
) -> Option<Diagnostic> {
    let before = text.get(..at)?.trim_end_matches([' ', '\u{3000}', '\t']);
    let start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| pest::unicode::XID_CONTINUE(*c))
        .last()
        .map(|(i, _)| i)?;
    let word = before.get(start..)?;
    if keywords::is_keyword(word) {
        return None;
    }
    let (kw, kw_at) = contained_keyword(word, exp.keywords.iter().copied())?;
    Some(glued(
        Span::new(file, start, before.len()),
        word,
        kw,
        kw_at,
        exp,
    ))
}

#[cfg(test)]
mod tests {
    use super::edit_distance;

    #[test]
    fn edit_distance_counts_characters() {
        assert_eq!(edit_distance("每年度", "每年"), 1);
        assert_eq!(edit_distance("每年度", "每季度"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "ab"), 2);
    }
}
