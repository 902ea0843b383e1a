//! Event times: RFC 3339 with an offset, or a local date or date-time in the plan's time zone.
//!
//! Parsed by hand rather than with chrono's format strings: the formats are few and fixed, and
//! the event reader parses one or two times per line, millions of lines per second.

use crate::error::{Cite, DataError};
use crate::value::digits;
use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use std::collections::HashMap;

/// [`Zone::parse`] in a zone of its own.
#[cfg(test)]
pub(crate) fn parse_time(s: &str, tz: Tz, at: &impl Cite) -> Result<DateTime<Utc>, DataError> {
    Zone::new(tz).parse(s, at)
}

/// A time zone in which a reader reads local times, with the offset of each local day it met
/// whose offset does not change within the day: a log's local times fall on a few hundred days,
/// and the zone itself searches its history for every time (250 instructions a time).
#[derive(Debug)]
pub(crate) struct Zone {
    tz: Tz,
    /// By local day (days since 1970-01-01): the offset in seconds east of UTC at every whole
    /// hour of the day, or `None` if it changes within the day.
    days: HashMap<i64, Option<i32>, foldhash::fast::RandomState>,
}

/// The most local days a [`Zone`] keeps: a log whose times spread over more days than that
/// has its other days placed by the zone itself.
const MAX_DAYS: usize = 1 << 14;

impl Zone {
    pub(crate) fn new(tz: Tz) -> Self {
        Self {
            tz,
            days: HashMap::default(),
        }
    }

    /// Parses a time; local forms are read in this zone, and a local time that is ambiguous or
    /// does not exist here (daylight saving changes) is an error rather than a guess.
    pub(crate) fn parse(&mut self, s: &str, at: &impl Cite) -> Result<DateTime<Utc>, DataError> {
        let bad = || DataError::BadTime {
            at: at.location(),
            value: s.to_owned(),
        };
        let stamp = Stamp::read(s.as_bytes()).ok_or_else(bad)?;
        if let Some(offset) = stamp.offset.or_else(|| self.day_offset(&stamp)) {
            return stamp.at_offset(offset).ok_or_else(bad);
        }
        self.place(s, &stamp, at)
    }

    /// The offset of the local day of `stamp` if it keeps one all day. A day is taken to keep
    /// one when the zone places each of its 25 whole hours, both midnights included, at the
    /// same offset: zones change their offsets months apart, never twice within an hour, so a
    /// gap or an overlap shows at the hour after it.
    fn day_offset(&mut self, stamp: &Stamp) -> Option<i32> {
        let day = days_from_civil(stamp.year, stamp.month, stamp.day);
        if let Some(offset) = self.days.get(&day) {
            return *offset;
        }
        // Past the most days kept, a day's 25 look-ups would be made for one time only.
        if self.days.len() >= MAX_DAYS {
            return None;
        }
        let offset = uniform_offset(self.tz, stamp.date()?);
        self.days.insert(day, offset);
        offset
    }

    /// A local time placed by the zone itself: on a day whose offset changes.
    fn place(&self, s: &str, stamp: &Stamp, at: &impl Cite) -> Result<DateTime<Utc>, DataError> {
        let tz = self.tz;
        let local = stamp.naive().ok_or_else(|| DataError::BadTime {
            at: at.location(),
            value: s.to_owned(),
        })?;
        match tz.from_local_datetime(&local) {
            LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
            LocalResult::Ambiguous(..) => Err(DataError::AmbiguousTime {
                at: at.location(),
                value: s.to_owned(),
                tz: tz.name().to_owned(),
            }),
            LocalResult::None => Err(DataError::NonexistentTime {
                at: at.location(),
                value: s.to_owned(),
                tz: tz.name().to_owned(),
            }),
        }
    }
}

/// The offset `tz` gives at every whole hour of `date`, from its midnight to the next, if it
/// is the same throughout.
fn uniform_offset(tz: Tz, date: NaiveDate) -> Option<i32> {
    let midnight = date.and_hms_opt(0, 0, 0)?;
    let at_hour = |hour: i64| {
        let local = midnight.checked_add_signed(chrono::TimeDelta::hours(hour))?;
        match tz.offset_from_local_datetime(&local) {
            LocalResult::Single(offset) => Some(offset.fix().local_minus_utc()),
            _ => None,
        }
    };
    let first = at_hour(0)?;
    (1..=24)
        .all(|hour| at_hour(hour) == Some(first))
        .then_some(first)
}

/// A time as written: a calendar date that exists, a time of day in range, and the offset in
/// seconds if one is given (less than a day either way, as chrono's `FixedOffset` requires).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Stamp {
    year: u32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    nano: u32,
    offset: Option<i32>,
}

/// Seconds in a day.
const DAY: i64 = 86_400;

impl Stamp {
    /// Reads `YYYY-MM-DD`, optionally followed by `T`, `t` or a space, a clock
    /// ([`clock`]) and an offset (`Z` or `±HH:MM`).
    fn read(s: &[u8]) -> Option<Self> {
        let (date, rest) = s.split_at_checked(10)?;
        let (year, month, day) = ymd(date)?;
        let mut stamp = Self {
            year,
            month,
            day,
            hour: 0,
            minute: 0,
            second: 0,
            nano: 0,
            offset: None,
        };
        let Some((&separator, rest)) = rest.split_first() else {
            return Some(stamp);
        };
        if !matches!(separator, b'T' | b't' | b' ') {
            return None;
        }
        let rest = clock(rest, &mut stamp)?;
        stamp.offset = match rest {
            [] => None,
            [b'Z' | b'z'] => Some(0),
            [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
                let minutes = digits(&[*h1, *h2])? * 60 + digits(&[*m1, *m2])?;
                let seconds = i32::try_from(minutes * 60).ok()?;
                if i64::from(seconds) >= DAY {
                    return None;
                }
                Some(if *sign == b'-' { -seconds } else { seconds })
            }
            _ => return None,
        };
        Some(stamp)
    }

    /// The instant this local time names at `offset` seconds east of UTC. Computed from the
    /// fields rather than through chrono's calendar types: every event line has a time.
    fn at_offset(&self, offset: i32) -> Option<DateTime<Utc>> {
        let days = days_from_civil(self.year, self.month, self.day);
        let clock = i64::from(self.hour * 3600 + self.minute * 60 + self.second);
        DateTime::from_timestamp(days * DAY + clock - i64::from(offset), self.nano)
    }

    /// The local date and time, for a zone to place.
    fn naive(&self) -> Option<NaiveDateTime> {
        let time = NaiveTime::from_hms_nano_opt(self.hour, self.minute, self.second, self.nano)?;
        Some(self.date()?.and_time(time))
    }

    fn date(&self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(i32::try_from(self.year).ok()?, self.month, self.day)
    }
}

/// Year, month and day of `YYYY-MM-DD`, if that day exists in the proleptic Gregorian
/// calendar.
fn ymd(b: &[u8]) -> Option<(u32, u32, u32)> {
    let [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] = *b else {
        return None;
    };
    let year = digits(&[y1, y2, y3, y4])?;
    let month = digits(&[m1, m2])?;
    let day = digits(&[d1, d2])?;
    (day >= 1 && day <= days_in_month(year, month)?).then_some((year, month, day))
}

/// The days of `month` (1–12) in `year`.
fn days_in_month(year: u32, month: u32) -> Option<u32> {
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    match month {
        2 if leap => Some(29),
        2 => Some(28),
        4 | 6 | 9 | 11 => Some(30),
        1 | 3 | 5 | 7 | 8 | 10 | 12 => Some(31),
        _ => None,
    }
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: u32, month: u32, day: u32) -> i64 {
    let year = i64::from(year) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(month);
    let day_of_year =
        (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// Reads `HH:MM`, `HH:MM:SS` or `HH:MM:SS.fraction` into `stamp`, returning what follows.
fn clock<'a>(b: &'a [u8], stamp: &mut Stamp) -> Option<&'a [u8]> {
    let [h1, h2, b':', m1, m2, ref rest @ ..] = *b else {
        return None;
    };
    let mut rest = rest;
    stamp.hour = digits(&[h1, h2]).filter(|h| *h < 24)?;
    stamp.minute = digits(&[m1, m2]).filter(|m| *m < 60)?;
    if let [b':', s1, s2, ref after @ ..] = *rest {
        stamp.second = digits(&[s1, s2]).filter(|s| *s < 60)?;
        rest = after;
        if let [b'.', ref fraction @ ..] = *rest {
            let len = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
            if len == 0 {
                return None;
            }
            let nano = (fraction.iter().take(len.min(9)))
                .fold(0u32, |acc, &c| acc * 10 + u32::from(c - b'0'));
            stamp.nano = nano * 10u32.pow(9u32.saturating_sub(u32::try_from(len).ok()?));
            rest = fraction.get(len..)?;
        }
    }
    Some(rest)
}

#[cfg(test)]
mod tests;
