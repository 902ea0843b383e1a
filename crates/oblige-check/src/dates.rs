//! Validation of the dates and days of the year written in a plan.

use crate::codes;
use crate::ctx::Ctx;
use chrono::NaiveDate;
use oblige_syntax::ast::{DateLit, MonthDayLit};

/// Month names for messages about impossible days.
const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The date written, or `None` after reporting that it does not exist.
pub(crate) fn date(ctx: &mut Ctx, d: &DateLit) -> Option<NaiveDate> {
    if let Some(date) = NaiveDate::from_ymd_opt(d.year, d.month, d.day) {
        return Some(date);
    }
    let written = format!("{:04}-{:02}-{:02}", d.year, d.month, d.day);
    let label = match days_in_month(d.year, d.month) {
        Some(n) => format!("{} {} has {n} days", month_name(d.month), d.year),
        None => format!("there is no month {}", d.month),
    };
    ctx.error(
        codes::INVALID_DATE,
        d.span,
        format!("`{written}` is not a date"),
    )
    .label(label)
    .help("write an existing date as `YYYY-MM-DD`");
    None
}

/// A valid day of the year as `(month, day)`; February 29 is valid (it exists in leap years).
pub(crate) fn month_day(ctx: &mut Ctx, md: &MonthDayLit) -> Option<(u32, u32)> {
    if NaiveDate::from_ymd_opt(2024, md.month, md.day).is_some() {
        return Some((md.month, md.day));
    }
    let written = format!("{:02}-{:02}", md.month, md.day);
    let label = match days_in_month(2024, md.month) {
        Some(n) => format!("{} has at most {n} days", month_name(md.month)),
        None => format!("there is no month {}", md.month),
    };
    ctx.error(
        codes::INVALID_MONTH_DAY,
        md.span,
        format!("`{written}` is not a day of the year"),
    )
    .label(label)
    .help("write an existing day as `MM-DD`");
    None
}

fn month_name(month: u32) -> &'static str {
    month
        .checked_sub(1)
        .and_then(|i| MONTHS.get(i as usize))
        .copied()
        .unwrap_or("the month")
}

/// Number of days of a month, or `None` if the month does not exist.
pub(crate) fn days_in_month(year: i32, month: u32) -> Option<u32> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year.checked_add(1)?, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    u32::try_from(next.signed_duration_since(first).num_days()).ok()
}

/// Formats a date as the language writes it.
pub(crate) fn show(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}
