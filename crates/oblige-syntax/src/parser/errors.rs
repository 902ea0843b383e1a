//! Syntax errors: turning pest's "expected one of these rules at this position" into a message
//! about what the user wrote.

use super::tokens::{describe, first_keywords, kw_of_rule};
use super::words::{glued_before, word_error};
use super::Rule;
use crate::ast::Lang;
use crate::codes;
use crate::keywords::Kw;
use crate::scan::Scan;
use oblige_diagnostics::{Diagnostic, FileId, Span};
use pest::error::{ErrorVariant, InputLocation};

/// An item that failed to parse, as pest saw it.
pub(super) struct Failure {
    /// Where the item starts.
    item_start: usize,
    /// Where parsing could go no further.
    pub at: usize,
    /// What would have been accepted at `at`.
    positives: Vec<Rule>,
}

impl Failure {
    pub(super) fn new(item_start: usize, e: &pest::error::Error<Rule>) -> Self {
        let rel = match e.location {
            InputLocation::Pos(p) => p,
            InputLocation::Span((s, _)) => s,
        };
        let mut positives = Vec::new();
        if let ErrorVariant::ParsingError { positives: p, .. } = &e.variant {
            for r in p {
                if !positives.contains(r) {
                    positives.push(*r);
                }
            }
        }
        Self {
            item_start,
            at: item_start + rel,
            positives,
        }
    }
}

/// A diagnostic for an item the grammar matched but the builder could not read; this means the
/// grammar and the builder disagree, which the fixture tests are there to prevent.
pub(super) fn unreadable(file: FileId, start: usize, end: usize) -> Diagnostic {
    Diagnostic::error(
        codes::UNEXPECTED_TOKEN,
        Span::new(file, start, end),
        "this item could not be read",
    )
}

/// What the parser stopped at.
enum Found {
    End,
    Word(String),
    Number(String),
    Char(char),
}

fn found_at(text: &str, at: usize) -> (Found, usize) {
    let rest = text.get(at..).unwrap_or("");
    let Some(c) = rest.chars().next() else {
        return (Found::End, 0);
    };
    if is_digit(c) {
        let run = number_run(rest);
        return (Found::Number(run.to_owned()), run.len());
    }
    if pest::unicode::XID_START(c) || c == '_' {
        let word: String = rest
            .chars()
            .take_while(|c| pest::unicode::XID_CONTINUE(*c))
            .collect();
        let len = word.len();
        return (Found::Word(word), len);
    }
    (Found::Char(c), c.len_utf8())
}

pub(super) fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// Digits with the separators people put in dates and decimals (`2023/05/04`, `2023年5月4日`,
/// `1.5`), as long as a digit follows each separator.
fn number_run(s: &str) -> &str {
    let mut end = 0;
    let mut chars = s.char_indices().peekable();
    while let Some((pos, c)) = chars.next() {
        let next_is_digit = chars.peek().is_some_and(|&(_, n)| is_digit(n));
        let separator = matches!(c, '-' | '/' | '.' | '．' | '－' | '年' | '月');
        if is_digit(c) || (separator && next_is_digit) {
            end = pos + c.len_utf8();
        } else {
            if c == '日' && s.get(..pos).is_some_and(|p| p.contains('月')) {
                end = pos + c.len_utf8();
            }
            break;
        }
    }
    s.get(..end).unwrap_or("")
}

/// What `failure` means for the user, or `None` if the scan already reported its cause.
pub(super) fn diagnose(
    file: FileId,
    text: &str,
    scan: &Scan,
    failure: &Failure,
    lang: Lang,
) -> Option<Diagnostic> {
    let caused_by_scan = scan.diagnostics.iter().any(|d| {
        d.code != codes::INVALID_ESCAPE
            && (failure.item_start..=failure.at).contains(&(d.span.start as usize))
    });
    if caused_by_scan {
        return None;
    }
    let (found, len) = found_at(text, failure.at);
    let span = match found {
        // Point just after the last token rather than at a blank line at the end.
        Found::End => {
            let end = last_token_end(text, scan, failure.at);
            Span::new(file, end, end)
        }
        _ => Span::new(file, failure.at, failure.at + len),
    };
    let exp = Expected::new(&failure.positives, lang);
    let d = match &found {
        Found::Word(w) => word_error(text, span, w, &exp),
        Found::Number(n) => number_error(span, n, &exp),
        Found::Char(c) => char_error(text, span, *c, &exp),
        Found::End => Diagnostic::error(
            codes::UNEXPECTED_TOKEN,
            span,
            format!("expected {}, found the end of the file", exp.text),
        ),
    };
    if d.code == codes::UNEXPECTED_TOKEN {
        if let Some(glued) = glued_before(file, text, failure.at, &exp) {
            return Some(glued);
        }
    }
    Some(d)
}

/// What was expected, for messages and for matching what was found.
pub(super) struct Expected {
    /// The list for messages: "`{`, a name or a string".
    pub text: String,
    /// Keywords that were expected, directly or as the start of a clause.
    pub keywords: Vec<Kw>,
    rules: Vec<Rule>,
    /// The language keywords are named in.
    lang: Lang,
}

impl Expected {
    fn new(positives: &[Rule], lang: Lang) -> Self {
        let mut names: Vec<String> = Vec::new();
        let mut keywords = Vec::new();
        // The end of the line reads best as the last choice.
        let mut ordered = positives.to_vec();
        ordered.sort_by_key(|r| *r == Rule::EOI);
        for &r in &ordered {
            for n in describe(r, lang) {
                if !names.contains(&n) {
                    names.push(n);
                }
            }
            keywords.extend(kw_of_rule(r));
            keywords.extend(first_keywords(r).iter().copied());
        }
        keywords.sort();
        keywords.dedup();
        Self {
            text: join(&names),
            keywords,
            rules: positives.to_vec(),
            lang,
        }
    }

    pub(super) fn has(&self, rule: Rule) -> bool {
        self.rules.contains(&rule)
    }

    fn wants_date(&self) -> bool {
        [
            Rule::date,
            Rule::date_range,
            Rule::window_part,
            Rule::month_day,
        ]
        .iter()
        .any(|r| self.has(*r))
    }

    fn wants_number(&self) -> bool {
        [
            Rule::int,
            Rule::amount,
            Rule::duration,
            Rule::quantity,
            Rule::operand,
        ]
        .iter()
        .any(|r| self.has(*r))
    }
}

/// `a`, `a or b`, `a, b or c`; long lists are cut.
fn join(names: &[String]) -> String {
    const MAX: usize = 8;
    match names {
        [] => "something else".to_owned(),
        [one] => one.clone(),
        _ if names.len() > MAX => {
            format!("{}, …", names.get(..MAX).unwrap_or(names).join(", "))
        }
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// Where the last token before `at` ends (skipping white space and comments).
fn last_token_end(text: &str, scan: &Scan, at: usize) -> usize {
    let mut end = at.min(text.len());
    loop {
        let before = text.get(..end).unwrap_or("");
        let trimmed = before.trim_end_matches(|c: char| pest::unicode::WHITE_SPACE(c));
        end = trimmed.len();
        match scan
            .comments
            .iter()
            .find(|c| c.range.end == end && c.range.start < end)
        {
            Some(c) => end = c.range.start,
            None => return end,
        }
    }
}

fn number_error(span: Span, n: &str, exp: &Expected) -> Diagnostic {
    let separators = n.chars().any(|c| !is_digit(c));
    if exp.wants_date() && (separators || !exp.wants_number()) {
        let md = exp.has(Rule::month_day);
        let (what, like) = if md {
            ("day of the year", "`MM-DD`, like `06-01`")
        } else {
            ("date", "`YYYY-MM-DD`, like `2023-05-04`")
        };
        return Diagnostic::error(codes::INVALID_DATE, span, format!("invalid {what} `{n}`"))
            .with_label(format!("expected a {what}"))
            .with_help(format!("write it as {like}"));
    }
    if exp.wants_number() && n.contains(['.', '．']) {
        return Diagnostic::error(
            codes::INVALID_NUMBER,
            span,
            format!("`{n}` is not a whole number"),
        )
        .with_help(
            "counts and durations are whole numbers; use a smaller unit, like `90 minutes`",
        );
    }
    let d = Diagnostic::error(
        codes::UNEXPECTED_TOKEN,
        span,
        format!("expected {}, found `{n}`", exp.text),
    );
    if exp.has(Rule::quantity) || exp.has(Rule::count_cmp) {
        let [least, most, exactly] =
            [Kw::AtLeast, Kw::AtMost, Kw::Exactly].map(|k| k.spelling(exp.lang));
        return d.with_help(format!(
            "say how the count compares: `{least} {n}`, `{most} {n}` or `{exactly} {n}`"
        ));
    }
    d
}

fn char_error(text: &str, span: Span, c: char, exp: &Expected) -> Diagnostic {
    let next_is_digit = text
        .get(span.end as usize..)
        .and_then(|s| s.chars().next())
        .is_some_and(is_digit);
    if (c == '-' || c == '－') && next_is_digit && exp.wants_number() {
        return Diagnostic::error(codes::INVALID_NUMBER, span, "numbers cannot be negative")
            .with_help("counts, weights and durations are zero or more");
    }
    let found = match c {
        '"' | '“' | '「' => "a string".to_owned(),
        _ => format!("`{}`", crate::scan::show_char(c)),
    };
    Diagnostic::error(
        codes::UNEXPECTED_TOKEN,
        span,
        format!("expected {}, found {found}", exp.text),
    )
}

#[cfg(test)]
mod tests {
    use super::number_run;

    #[test]
    fn number_runs_take_date_separators_only_before_digits() {
        assert_eq!(number_run("2023/05/04 x"), "2023/05/04");
        assert_eq!(number_run("2023年5月4日起"), "2023年5月4日");
        assert_eq!(number_run("1.5小时"), "1.5");
        assert_eq!(number_run("2023-01-01..2023"), "2023-01-01");
    }
}
