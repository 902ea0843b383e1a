//! Event times: RFC 3339 with an offset, or a local date or date-time in the plan's time zone.
//!
//! Parsed by hand rather than with chrono's format strings: the formats are few and fixed, and
//! the event reader parses one or two times per line, millions of lines per second.

use crate::error::{Cite, DataError};
use crate::value::{digits, parse_date};
use chrono::{DateTime, FixedOffset, LocalResult, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// Parses a time; local forms are read in `tz`, and a local time that is ambiguous or does not
/// exist there (daylight saving changes) is an error rather than a guess.
pub(crate) fn parse_time(s: &str, tz: Tz, at: &impl Cite) -> Result<DateTime<Utc>, DataError> {
    let bad = || DataError::BadTime {
        at: at.location(),
        value: s.to_owned(),
    };
    let (local, offset) = split(s).ok_or_else(bad)?;
    if let Some(offset) = offset {
        let fixed = FixedOffset::east_opt(offset).ok_or_else(bad)?;
        return match fixed.from_local_datetime(&local) {
            LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
            _ => Err(bad()),
        };
    }
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

/// Splits into the local date-time and the offset in seconds, if one is given.
fn split(s: &str) -> Option<(NaiveDateTime, Option<i32>)> {
    let date = parse_date(s.get(..10)?)?;
    let rest = &s.as_bytes()[10..];
    if rest.is_empty() {
        return Some((date.and_time(NaiveTime::MIN), None));
    }
    if !matches!(rest[0], b'T' | b't' | b' ') {
        return None;
    }
    let (time, rest) = clock(&rest[1..])?;
    let offset = match rest {
        [] => None,
        [b'Z' | b'z'] => Some(0),
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let minutes = digits(&[*h1, *h2])? * 60 + digits(&[*m1, *m2])?;
            let seconds = i32::try_from(minutes * 60).ok()?;
            Some(if *sign == b'-' { -seconds } else { seconds })
        }
        _ => return None,
    };
    Some((date.and_time(time), offset))
}

/// Parses `HH:MM`, `HH:MM:SS` or `HH:MM:SS.fraction`, returning what follows.
fn clock(b: &[u8]) -> Option<(NaiveTime, &[u8])> {
    let hour = digits(b.get(0..2)?)?;
    (b.get(2) == Some(&b':')).then_some(())?;
    let minute = digits(b.get(3..5)?)?;
    let mut rest = &b[5..];
    let mut second = 0;
    let mut nano = 0;
    if rest.first() == Some(&b':') {
        second = digits(rest.get(1..3)?)?;
        rest = &rest[3..];
        if rest.first() == Some(&b'.') {
            let len = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if len == 0 {
                return None;
            }
            let frac = &rest[1..=len];
            nano = frac
                .iter()
                .take(9)
                .fold(0u32, |acc, &c| acc * 10 + u32::from(c - b'0'));
            nano *= 10u32.pow(9u32.saturating_sub(u32::try_from(len).ok()?));
            rest = &rest[1 + len..];
        }
    }
    Some((
        NaiveTime::from_hms_nano_opt(hour, minute, second, nano)?,
        rest,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Location;

    fn utc(s: &str, tz: Tz) -> Result<String, String> {
        parse_time(s, tz, &Location::new("f", 1))
            .map(|t| t.to_rfc3339())
            .map_err(|e| e.reason().to_owned())
    }

    #[test]
    fn reads_every_accepted_form() {
        let sh = chrono_tz::Asia::Shanghai;
        assert_eq!(
            utc("2023-06-30T16:30:00Z", sh).as_deref(),
            Ok("2023-06-30T16:30:00+00:00")
        );
        assert_eq!(
            utc("2023-07-01T00:30:00+08:00", sh).as_deref(),
            Ok("2023-06-30T16:30:00+00:00")
        );
        assert_eq!(
            utc("2023-07-01", sh).as_deref(),
            Ok("2023-06-30T16:00:00+00:00")
        );
        assert_eq!(
            utc("2023-07-01 09:30", sh).as_deref(),
            Ok("2023-07-01T01:30:00+00:00")
        );
        assert_eq!(
            utc("2023-07-01T09:30:15", sh).as_deref(),
            Ok("2023-07-01T01:30:15+00:00")
        );
        assert_eq!(
            utc("2023-07-01T09:30:15.250-01:00", sh).as_deref(),
            Ok("2023-07-01T10:30:15.250+00:00")
        );
    }

    #[test]
    fn rejects_malformed_and_impossible_times() {
        let sh = chrono_tz::Asia::Shanghai;
        for bad in [
            "2023-07-01T",
            "2023-07-01T25:00",
            "2023-07-01 09:30+0800",
            "07/01/2023",
            "2023-07-01T09:30:00.Z",
            "",
        ] {
            assert_eq!(utc(bad, sh), Err("bad time".to_owned()), "{bad}");
        }
    }

    #[test]
    fn daylight_saving_gaps_and_overlaps_are_errors() {
        let ny = chrono_tz::America::New_York;
        assert_eq!(
            utc("2023-03-12 02:30", ny),
            Err("nonexistent time".to_owned())
        );
        assert_eq!(
            utc("2023-11-05 01:30", ny),
            Err("ambiguous time".to_owned())
        );
        assert!(utc("2023-11-05T01:30:00-04:00", ny).is_ok());
    }
}
