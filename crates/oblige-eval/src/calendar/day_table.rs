//! Local dates of instants from a table of the zone's offsets over the evaluated days, so that
//! an event's date is an index and an addition rather than a search of the zone's history.

use chrono::{DateTime, NaiveDate, Offset, TimeZone, Utc};
use chrono_tz::Tz;

use super::local_date;

/// Day 0 of UTC day numbers.
const EPOCH: NaiveDate = match NaiveDate::from_ymd_opt(1970, 1, 1) {
    Some(day) => day,
    None => NaiveDate::MIN,
};

/// Seconds in a day.
const DAY: i64 = 86_400;

/// Days of margin on each side of the table's span: events a little outside the evaluated
/// days are common (a state set the day before), and are read as fast.
const MARGIN_DAYS: i64 = 2;

/// The longest span tabled, in days: beyond it (evaluations of decades) instants are placed by
/// the zone itself, as outside the span.
const MAX_DAYS: i64 = 3_700;

/// The local date of any instant in one zone: by table for the UTC days of a span whose offset
/// does not change within the day, by the zone itself for any other instant. The same answers
/// as [`local_date`] either way.
///
/// A UTC day is taken to keep one offset when the zone gives the same offset at each of its 25
/// whole hours, both midnights included: time zones change their offsets months apart, never
/// twice within an hour. A day with a change is left to the zone.
#[derive(Clone, Debug)]
pub struct DayTable {
    tz: Tz,
    /// The UTC day number (days since 1970-01-01) of `offsets[0]`.
    first_day: i64,
    /// Per UTC day, the zone's offset in seconds, or `None` if it changes that day.
    offsets: Vec<Option<i32>>,
    /// Per local day number from `first_day - 1`, its date: the local day of an instant in
    /// a tabled UTC day is at most one day from it.
    dates: Vec<NaiveDate>,
}

impl DayTable {
    /// The table of `tz` over the days `from..=to` and a margin around them.
    pub fn new(tz: Tz, from: NaiveDate, to: NaiveDate) -> Self {
        let epoch_day = |d: NaiveDate| d.signed_duration_since(EPOCH).num_days();
        let first_day = epoch_day(from) - MARGIN_DAYS;
        let last_day = (epoch_day(to) + MARGIN_DAYS).min(first_day + MAX_DAYS);
        let offset_at = |second: i64| {
            DateTime::from_timestamp(second, 0).map(|t| {
                tz.offset_from_utc_datetime(&t.naive_utc())
                    .fix()
                    .local_minus_utc()
            })
        };
        let hourly: Vec<Option<i32>> = (first_day * 24..=(last_day + 1) * 24)
            .map(|hour| offset_at(hour * 3600))
            .collect();
        let offsets = (hourly.windows(25).step_by(24))
            .map(|day| day.iter().all(|o| *o == day[0]).then_some(day[0]).flatten())
            .collect();
        let dates = (first_day - 1..=last_day + 1)
            .map_while(|d| EPOCH.checked_add_signed(chrono::TimeDelta::days(d)))
            .collect();
        Self {
            tz,
            first_day,
            offsets,
            dates,
        }
    }

    /// The local calendar day of `t`.
    pub fn date(&self, t: DateTime<Utc>) -> NaiveDate {
        let second = t.timestamp();
        let tabled = usize::try_from(second.div_euclid(DAY) - self.first_day)
            .ok()
            .and_then(|i| *self.offsets.get(i)?)
            .and_then(|offset| {
                let local_day = (second + i64::from(offset)).div_euclid(DAY);
                let i = usize::try_from(local_day - (self.first_day - 1)).ok()?;
                self.dates.get(i).copied()
            });
        tabled.unwrap_or_else(|| local_date(self.tz, t))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// Zones with daylight saving of a whole hour, of half an hour (Lord Howe), with offsets
    /// of 45 minutes (Chatham, Kathmandu), and with none (Shanghai).
    const ZONES: [Tz; 6] = [
        chrono_tz::Asia::Shanghai,
        chrono_tz::America::New_York,
        chrono_tz::Europe::London,
        chrono_tz::Australia::Lord_Howe,
        chrono_tz::Pacific::Chatham,
        chrono_tz::Asia::Kathmandu,
    ];

    #[test]
    fn every_hour_of_the_span_is_placed_as_the_zone_places_it() {
        for tz in ZONES {
            let table = DayTable::new(tz, d("2023-01-01"), d("2024-12-31"));
            assert!(
                table.offsets.iter().any(Option::is_some),
                "{tz}: nothing tabled"
            );
            let start = d("2022-12-25").and_hms_opt(0, 0, 0).unwrap().and_utc();
            for quarter in 0..(740 * 96) {
                let t = start + chrono::TimeDelta::minutes(15 * quarter);
                for t in [t, t - chrono::TimeDelta::seconds(1)] {
                    assert_eq!(table.date(t), local_date(tz, t), "{tz} {t}");
                }
            }
        }
    }

    #[test]
    fn days_that_change_offset_are_left_to_the_zone() {
        let table = DayTable::new(
            chrono_tz::America::New_York,
            d("2023-01-01"),
            d("2023-12-31"),
        );
        let changing = table.offsets.iter().filter(|o| o.is_none()).count();
        assert_eq!(changing, 2, "the spring and autumn changes");
    }

    proptest! {
        #[test]
        fn any_instant_is_placed_as_the_zone_places_it(
            zone in 0..ZONES.len(),
            second in -10_000_000_000i64..10_000_000_000,
            from in 0i64..3_000,
            days in 0i64..5_000,
        ) {
            let tz = ZONES[zone];
            let from = d("2015-01-01") + chrono::TimeDelta::days(from);
            let table = DayTable::new(tz, from, from + chrono::TimeDelta::days(days));
            let near = from.and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp() + second % 400_000_000;
            for s in [second, near] {
                let t = DateTime::from_timestamp(s, 0).unwrap();
                prop_assert_eq!(table.date(t), local_date(tz, t));
            }
        }
    }
}
