//! Tests of event times: the accepted forms, and agreement with chrono's own calendar on any
//! text of the accepted shape.

use super::*;
use crate::error::Location;
use crate::value::digits;
use proptest::prelude::*;

fn utc(s: &str, tz: Tz) -> Result<String, String> {
    parse_time(s, tz, &Location::new("f", 1))
        .map(|t| t.to_rfc3339())
        .map_err(|e| e.reason().to_owned())
}

#[test]
fn reads_every_accepted_form() {
    let sh = chrono_tz::Asia::Shanghai;
    for (given, read) in [
        ("2023-06-30T16:30:00Z", "2023-06-30T16:30:00+00:00"),
        ("2023-07-01T00:30:00+08:00", "2023-06-30T16:30:00+00:00"),
        ("2023-07-01", "2023-06-30T16:00:00+00:00"),
        ("2023-07-01 09:30", "2023-07-01T01:30:00+00:00"),
        ("2023-07-01T09:30:15", "2023-07-01T01:30:15+00:00"),
        (
            "2023-07-01T09:30:15.250-01:00",
            "2023-07-01T10:30:15.250+00:00",
        ),
    ] {
        assert_eq!(utc(given, sh).as_deref(), Ok(read), "{given}");
    }
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

/// Zones whose days change offset in every way the table must see: at night by a whole hour
/// (New York), by half an hour (Lord Howe), at midnight itself (Santiago), with a negative
/// daylight saving in the data (Dublin), from an offset of 12:45 (Chatham), and never
/// (Shanghai).
const ZONES: [Tz; 6] = [
    chrono_tz::Asia::Shanghai,
    chrono_tz::America::New_York,
    chrono_tz::Australia::Lord_Howe,
    chrono_tz::America::Santiago,
    chrono_tz::Europe::Dublin,
    chrono_tz::Pacific::Chatham,
];

#[test]
fn a_zone_that_keeps_its_days_reads_every_local_time_as_chrono_does() {
    let start = NaiveDate::from_ymd_opt(2023, 1, 1)
        .unwrap()
        .and_time(NaiveTime::MIN);
    let quarters = 366 * 96;
    let texts: Vec<String> = (0..quarters)
        .flat_map(|q| {
            let t = start + chrono::TimeDelta::minutes(15 * q);
            [t, t - chrono::TimeDelta::seconds(1)]
        })
        .map(|t| t.format("%Y-%m-%dT%H:%M:%S").to_string())
        .collect();
    let at = Location::new("f", 1);
    for tz in ZONES {
        // Days first met at their first hour, then at their last.
        let (mut forward, mut backward) = (Zone::new(tz), Zone::new(tz));
        for s in &texts {
            let read = forward.parse(s, &at).map(|t| t.to_rfc3339());
            assert_same_reading(read.map_err(|e| e.reason().to_owned()), reference(s, tz), s);
        }
        for s in texts.iter().rev() {
            let read = backward.parse(s, &at).map(|t| t.to_rfc3339());
            assert_same_reading(read.map_err(|e| e.reason().to_owned()), reference(s, tz), s);
        }
        assert!(
            forward.days.values().any(Option::is_some),
            "{tz}: no day kept its offset"
        );
    }
}

fn assert_same_reading(read: Result<String, String>, expected: Result<String, String>, s: &str) {
    assert_eq!(read, expected, "{s}");
}

#[test]
fn days_that_change_offset_are_left_to_the_zone() {
    let mut zone = Zone::new(chrono_tz::America::New_York);
    let at = Location::new("f", 1);
    for s in [
        "2023-03-12T12:00:00",
        "2023-11-05T12:00:00",
        "2023-07-01T12:00:00",
    ] {
        assert!(zone.parse(s, &at).is_ok(), "{s}");
    }
    let changing = zone.days.values().filter(|o| o.is_none()).count();
    assert_eq!((zone.days.len(), changing), (3, 2));
}

#[test]
fn a_zone_keeps_at_most_its_days_and_places_the_others_itself() {
    let mut zone = Zone::new(chrono_tz::America::New_York);
    let at = Location::new("f", 1);
    let first = NaiveDate::from_ymd_opt(1980, 1, 1).unwrap();
    for n in 0..MAX_DAYS + 400 {
        let day = first + chrono::TimeDelta::days(i64::try_from(n).unwrap());
        // After the days kept: both changes of a year, placed by the zone.
        for s in [
            format!("{day} 12:00"),
            format!("{day} 02:30"),
            format!("{day} 01:30"),
        ] {
            if n >= MAX_DAYS || n % 997 == 0 {
                let read = zone.parse(&s, &at).map(|t| t.to_rfc3339());
                assert_same_reading(
                    read.map_err(|e| e.reason().to_owned()),
                    reference(&s, chrono_tz::America::New_York),
                    &s,
                );
            } else if s.ends_with("12:00") {
                assert!(zone.parse(&s, &at).is_ok(), "{s}");
            }
        }
    }
    assert_eq!(zone.days.len(), MAX_DAYS);
}

/// The reading of times this module replaces, through chrono's calendar types: the reference
/// the arithmetic is held to.
fn reference(s: &str, tz: Tz) -> Result<String, String> {
    use chrono::FixedOffset;
    let bad = || Err("bad time".to_owned());
    let b = s.as_bytes();
    let Some(date) = s.get(..10).and_then(|d| {
        let b = d.as_bytes();
        if b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let (y, m, d) = (digits(&b[0..4])?, digits(&b[5..7])?, digits(&b[8..10])?);
        NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
    }) else {
        return bad();
    };
    let rest = &b[10..];
    let (local, offset) = if rest.is_empty() {
        (date.and_time(NaiveTime::MIN), None)
    } else {
        if !matches!(rest[0], b'T' | b't' | b' ') {
            return bad();
        }
        let mut stamp = Stamp::read(b"2000-01-01").ok_or("")?;
        let Some(after) = clock(&rest[1..], &mut stamp) else {
            return bad();
        };
        let time = NaiveTime::from_hms_nano_opt(stamp.hour, stamp.minute, stamp.second, stamp.nano);
        let Some(time) = time else { return bad() };
        let offset = match after {
            [] => None,
            [b'Z' | b'z'] => Some(0),
            [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
                let (Some(h), Some(m)) = (digits(&[*h1, *h2]), digits(&[*m1, *m2])) else {
                    return bad();
                };
                let seconds = i32::try_from((h * 60 + m) * 60).map_err(|_| "")?;
                Some(if *sign == b'-' { -seconds } else { seconds })
            }
            _ => return bad(),
        };
        (date.and_time(time), offset)
    };
    let placed = match offset {
        Some(offset) => match FixedOffset::east_opt(offset) {
            Some(fixed) => fixed
                .from_local_datetime(&local)
                .map(|t| t.with_timezone(&Utc)),
            None => return bad(),
        },
        None => tz
            .from_local_datetime(&local)
            .map(|t| t.with_timezone(&Utc)),
    };
    match placed {
        LocalResult::Single(t) => Ok(t.to_rfc3339()),
        LocalResult::Ambiguous(..) if offset.is_none() => Err("ambiguous time".to_owned()),
        LocalResult::None if offset.is_none() => Err("nonexistent time".to_owned()),
        _ => bad(),
    }
}

/// Texts of the accepted shape, each field mostly in its range and sometimes anywhere in its
/// digits' range, so that days past a month's end, hours past 23 and offsets of a day or more
/// come up among mostly valid times.
fn time_text() -> impl Strategy<Value = String> {
    let field = |end: u32| prop_oneof![4 => 0..end, 1 => 0u32..100, 1 => end - 1..end + 1];
    let year = prop_oneof![0u32..10_000, 1999u32..2101, Just(2000u32), Just(1900u32)];
    let clock = (
        field(24),
        field(60),
        proptest::option::of(field(60)),
        proptest::option::of("[0-9]{0,11}"),
    );
    // Around a whole day, the largest offset chrono takes.
    let hours = prop_oneof![field(24), 23u32..25];
    let minutes = prop_oneof![field(60), Just(0u32)];
    let offset = proptest::option::of(prop_oneof![
        1 => Just("Z".to_owned()),
        1 => Just("z".to_owned()),
        4 => (prop_oneof![Just('+'), Just('-')], hours, minutes)
            .prop_map(|(s, h, m)| format!("{s}{h:02}:{m:02}")),
        1 => "[+0-9:Zx-]{0,7}",
    ]);
    let separator = prop_oneof![Just('T'), Just('t'), Just(' '), Just('x')];
    (
        year,
        prop_oneof![0u32..14, Just(2u32)],
        prop_oneof![field(32), 28u32..32],
        proptest::option::of((separator, clock, offset)),
    )
        .prop_map(|(y, m, d, rest)| {
            let mut s = format!("{y:04}-{m:02}-{d:02}");
            if let Some((sep, (h, mi, sec, frac), offset)) = rest {
                s.push_str(&format!("{sep}{h:02}:{mi:02}"));
                if let Some(sec) = sec {
                    s.push_str(&format!(":{sec:02}"));
                    if let Some(frac) = frac {
                        s.push_str(&format!(".{frac}"));
                    }
                }
                s.push_str(offset.as_deref().unwrap_or(""));
            }
            s
        })
}

proptest! {
    #[test]
    fn times_read_as_chrono_reads_them(s in time_text()) {
        for tz in [chrono_tz::Asia::Shanghai, chrono_tz::America::New_York] {
            prop_assert_eq!(utc(&s, tz), reference(&s, tz), "{}", s);
        }
    }

    /// One character swapped for a byte next to the digits (`/` and `:` on either side of
    /// them) or for a separator, anywhere in the text.
    #[test]
    fn times_with_a_character_changed_read_as_chrono_reads_them(
        s in time_text(),
        at in any::<proptest::sample::Index>(),
        c in prop_oneof![Just('/'), Just(':'), Just('-'), Just('T'), Just('+'), Just('.')],
    ) {
        let mut chars: Vec<char> = s.chars().collect();
        let i = at.index(chars.len());
        chars[i] = c;
        let s: String = chars.into_iter().collect();
        for tz in [chrono_tz::Asia::Shanghai, chrono_tz::America::New_York] {
            prop_assert_eq!(utc(&s, tz), reference(&s, tz), "{}", s);
        }
    }
}
