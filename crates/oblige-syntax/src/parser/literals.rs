//! Names and literals: identifiers, strings (unescaped), integers, dates and days of the year.

use super::{Ctx, Pair};
use crate::ast::{DateLit, Ident, IntLit, MonthDayLit, Str};
use crate::codes;
use oblige_diagnostics::Diagnostic;

pub(super) fn ident(ctx: &Ctx, p: &Pair) -> Ident {
    Ident {
        name: p.as_str().to_owned(),
        span: ctx.span(p),
    }
}

pub(super) fn string(ctx: &Ctx, p: &Pair) -> Str {
    Str {
        value: unescape(p.as_str()),
        span: ctx.span(p),
    }
}

/// The value of a string token; the scan has already reported unknown escapes, which keep the
/// escaped character.
fn unescape(token: &str) -> String {
    let mut chars = token.chars();
    chars.next();
    chars.next_back();
    let mut out = String::new();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The value of one ASCII or full-width digit.
fn digit_value(c: char) -> Option<u64> {
    match c {
        '0'..='9' => Some(u64::from(c) - u64::from('0')),
        '０'..='９' => Some(u64::from(c) - u64::from('０')),
        _ => None,
    }
}

/// The value of a run of digits, `None` if it does not fit.
fn digits_value(s: &str) -> Option<u64> {
    s.chars().try_fold(0u64, |acc, c| {
        acc.checked_mul(10)?.checked_add(digit_value(c)?)
    })
}

pub(super) fn int(ctx: &mut Ctx, p: &Pair) -> IntLit {
    let span = ctx.span(p);
    let value = digits_value(p.as_str()).unwrap_or_else(|| {
        ctx.diags.push(
            Diagnostic::error(
                codes::INVALID_NUMBER,
                span,
                format!("number `{}` is too large", p.as_str()),
            )
            .with_label(format!("the largest number is {}", u64::MAX)),
        );
        u64::MAX
    });
    IntLit { value, span }
}

/// The digit runs of a date-like token and whether each has the expected number of characters.
fn parts<'a>(s: &'a str, widths: &[usize]) -> (Vec<&'a str>, bool) {
    let parts: Vec<&str> = s.split('-').collect();
    let ok = parts.len() == widths.len()
        && parts
            .iter()
            .zip(widths)
            .all(|(p, w)| p.chars().count() == *w);
    (parts, ok)
}

fn part_value(parts: &[&str], i: usize) -> u32 {
    parts
        .get(i)
        .and_then(|p| digits_value(p))
        .and_then(|v| u32::try_from(v).ok())
        .unwrap_or(u32::MAX)
}

pub(super) fn date(ctx: &mut Ctx, p: &Pair) -> DateLit {
    let span = ctx.span(p);
    let (parts, ok) = parts(p.as_str(), &[4, 2, 2]);
    if !ok {
        ctx.diags.push(
            Diagnostic::error(
                codes::INVALID_DATE,
                span,
                format!("invalid date `{}`", p.as_str()),
            )
            .with_label("expected `YYYY-MM-DD`")
            .with_help(
                "write dates with four-digit years and two-digit months and days, \
                 like `2023-05-04`",
            ),
        );
    }
    DateLit {
        year: i32::try_from(part_value(&parts, 0)).unwrap_or(i32::MAX),
        month: part_value(&parts, 1),
        day: part_value(&parts, 2),
        span,
    }
}

pub(super) fn month_day(ctx: &mut Ctx, p: &Pair) -> MonthDayLit {
    let span = ctx.span(p);
    let (parts, ok) = parts(p.as_str(), &[2, 2]);
    if !ok {
        ctx.diags.push(
            Diagnostic::error(
                codes::INVALID_DATE,
                span,
                format!("invalid day of the year `{}`", p.as_str()),
            )
            .with_label("expected `MM-DD`")
            .with_help("write a day of the year with two-digit month and day, like `06-01`"),
        );
    }
    MonthDayLit {
        month: part_value(&parts, 0),
        day: part_value(&parts, 1),
        span,
    }
}

#[cfg(test)]
mod tests {
    use super::{digits_value, unescape};

    #[test]
    fn unescapes_every_quote_style() {
        assert_eq!(unescape(r#""a\"b\\c\nd""#), "a\"b\\c\nd");
        assert_eq!(unescape("“甲\\”乙”"), "甲”乙");
        assert_eq!(unescape("「甲」"), "甲");
    }

    #[test]
    fn reads_full_width_digits_and_refuses_overflow() {
        assert_eq!(digits_value("１２"), Some(12));
        assert_eq!(digits_value("99999999999999999999"), None);
    }
}
