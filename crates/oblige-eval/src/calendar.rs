//! Time in the plan's zone: local dates, local midnights, and the working-day calendar.

use chrono::{DateTime, Datelike, Days, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use oblige_check::model::Calendar;

mod day_table;

pub use day_table::DayTable;

/// The longest walk through the calendar when looking for working days: a calendar that
/// declares years of holidays must not make a deadline computation loop forever.
const MAX_WALK_DAYS: u32 = 3660;

/// The local calendar day of an instant.
pub fn local_date(tz: Tz, t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&tz).date_naive()
}

/// The first instant of a local day.
pub fn midnight(tz: Tz, date: NaiveDate) -> DateTime<Utc> {
    // Some zones skip midnight on the day daylight saving starts; the day then begins at the
    // first local time that exists.
    for hour in 0..24 {
        let Some(naive) = date.and_hms_opt(hour, 0, 0) else {
            break;
        };
        if let Some(t) = tz.from_local_datetime(&naive).earliest() {
            return t.with_timezone(&Utc);
        }
    }
    date.and_time(NaiveTime::MIN).and_utc()
}

/// The first instant after a local day (the midnight that ends it).
pub fn end_of_day(tz: Tz, date: NaiveDate) -> DateTime<Utc> {
    midnight(tz, next_day(date))
}

/// The day after `date` (saturating at the last representable day).
pub fn next_day(date: NaiveDate) -> NaiveDate {
    date.checked_add_days(Days::new(1)).unwrap_or(date)
}

/// The day before `date` (saturating at the first representable day).
pub fn prev_day(date: NaiveDate) -> NaiveDate {
    date.checked_sub_days(Days::new(1)).unwrap_or(date)
}

/// An instant as shown in reports: with the plan zone's offset at that instant.
pub fn shown(tz: Tz, t: DateTime<Utc>) -> DateTime<FixedOffset> {
    t.with_timezone(&tz).fixed_offset()
}

/// Whether `date` is a working day: Monday to Friday, minus holidays, plus adjusted working days.
pub fn is_working_day(calendar: Option<&Calendar>, date: NaiveDate) -> bool {
    let weekday = !matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
    match calendar {
        Some(c) if c.workdays.contains(&date) => true,
        Some(c) if c.holidays.contains(&date) => false,
        _ => weekday,
    }
}

/// The deadline of `n` working days after `trigger`: local midnight at the end of the n-th
/// working day strictly after the trigger's local day (`n = 0`: the end of the trigger's day).
pub fn working_days_deadline(
    tz: Tz,
    calendar: Option<&Calendar>,
    trigger: DateTime<Utc>,
    n: u32,
) -> DateTime<Utc> {
    let mut day = local_date(tz, trigger);
    let mut found = 0;
    let mut walked = 0;
    while found < n && walked < MAX_WALK_DAYS {
        day = next_day(day);
        walked += 1;
        if is_working_day(calendar, day) {
            found += 1;
        }
    }
    end_of_day(tz, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn labour_day_2023() -> Calendar {
        let mut c = Calendar {
            name: "2023".into(),
            ..Calendar::default()
        };
        for day in [
            "2023-04-29",
            "2023-04-30",
            "2023-05-01",
            "2023-05-02",
            "2023-05-03",
        ] {
            c.holidays.insert(d(day));
        }
        c.workdays.insert(d("2023-04-23"));
        c.workdays.insert(d("2023-05-06"));
        c
    }

    #[test]
    fn local_dates_follow_the_zone() {
        let tz = chrono_tz::Asia::Shanghai;
        let t: DateTime<Utc> = "2023-06-30T16:30:00Z".parse().unwrap();
        assert_eq!(local_date(tz, t), d("2023-07-01"));
        let t: DateTime<Utc> = "2023-06-30T15:59:59Z".parse().unwrap();
        assert_eq!(local_date(tz, t), d("2023-06-30"));
        assert_eq!(
            midnight(tz, d("2023-07-01")),
            "2023-06-30T16:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
    }

    #[test]
    fn working_days_skip_labour_day_and_use_the_adjusted_saturday() {
        let tz = chrono_tz::Asia::Shanghai;
        let cal = labour_day_2023();
        // Friday 04-28: 05-04 (1), 05-05 (2), Saturday 05-06 (3, adjusted working day).
        let t: DateTime<Utc> = "2023-04-28T02:00:00Z".parse().unwrap();
        assert_eq!(
            shown(tz, working_days_deadline(tz, Some(&cal), t, 3)).to_rfc3339(),
            "2023-05-07T00:00:00+08:00"
        );
        // Without the calendar the same deadline is Wednesday 05-03's end.
        assert_eq!(
            shown(tz, working_days_deadline(tz, None, t, 3)).to_rfc3339(),
            "2023-05-04T00:00:00+08:00"
        );
        assert!(is_working_day(Some(&cal), d("2023-04-23")));
        assert!(!is_working_day(Some(&cal), d("2023-05-01")));
    }

    #[test]
    fn a_calendar_of_only_holidays_still_ends() {
        let tz = chrono_tz::Asia::Shanghai;
        let mut cal = Calendar::default();
        let mut day = d("2023-01-01");
        for _ in 0..4000 {
            cal.holidays.insert(day);
            day = next_day(day);
        }
        let t: DateTime<Utc> = "2023-01-01T02:00:00Z".parse().unwrap();
        let deadline = working_days_deadline(tz, Some(&cal), t, 1);
        assert!(deadline > t);
    }

    #[test]
    fn dst_zones_get_a_midnight_even_when_it_is_skipped() {
        // Santiago skipped 00:00 on 2023-09-03.
        let tz = chrono_tz::America::Santiago;
        let m = midnight(tz, d("2023-09-03"));
        assert_eq!(local_date(tz, m), d("2023-09-03"));
    }
}
