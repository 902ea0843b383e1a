//! Durations reduced to the model's [`Within`]: minutes, or a count of working days.

use crate::model::Within;
use oblige_syntax::ast::DurationUnit;

/// `amount unit` as a deadline length; lengths beyond the representable saturate.
pub(crate) fn within(amount: u64, unit: DurationUnit) -> Within {
    let minutes_per = match unit {
        DurationUnit::Minutes => 1,
        DurationUnit::Hours => 60,
        DurationUnit::Days => 24 * 60,
        DurationUnit::WorkingDays => {
            return Within::WorkingDays(u32::try_from(amount).unwrap_or(u32::MAX));
        }
    };
    let n = i64::try_from(amount).unwrap_or(i64::MAX);
    Within::Minutes(n.saturating_mul(minutes_per))
}

/// How a unit is written, for messages.
pub(crate) fn unit_word(unit: DurationUnit) -> &'static str {
    match unit {
        DurationUnit::Minutes => "minutes",
        DurationUnit::Hours => "hours",
        DurationUnit::Days => "days",
        DurationUnit::WorkingDays => "working days",
    }
}
