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
