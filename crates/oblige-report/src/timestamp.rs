//! Instants written as RFC 3339 text, exactly as chrono's own serialization writes them, but
//! without going through `fmt`: every result row carries two of them, and formatting them
//! character by character through the JSON escaper cost more than the rest of the row.

use chrono::{DateTime, Datelike, FixedOffset, Timelike};
use serde::Serializer;
use std::cell::RefCell;

/// Serializes `t` as chrono does (`2023-01-01T00:00:00+08:00`, `Z` for a zero offset,
/// fractional seconds in groups of 3, 6 or 9 digits when present).
pub fn serialize<S: Serializer>(
    t: &DateTime<FixedOffset>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut text = Text::default();
    if write(t, &mut text) {
        if let Some(s) = text.as_str() {
            return serializer.serialize_str(s);
        }
    }
    serde::Serialize::serialize(t, serializer)
}

/// Appends `t` to compact JSON as [`serialize`] writes it there.
pub(crate) fn write_json(t: &DateTime<FixedOffset>, out: &mut Vec<u8>) -> sonic_rs::Result<()> {
    let written = RECENT.with_borrow_mut(|recent| {
        let text = recent.text(t)?;
        // The text is digits and punctuation: nothing in it is escaped.
        out.push(b'"');
        out.extend_from_slice(text.bytes.get(..text.len)?);
        out.push(b'"');
        Some(())
    });
    match written {
        Some(()) => Ok(()),
        None => sonic_rs::to_writer(out, t),
    }
}

thread_local! {
    static RECENT: RefCell<Recent> = RefCell::new(Recent::default());
}

/// The texts of instants written lately, each in a slot found from its UTC day and hour. The
/// rows of a rule repeat the bounds of its few periods, and working out an instant's local date
/// and time was half the cost of writing a row.
struct Recent {
    slots: [Option<(DateTime<FixedOffset>, Text)>; RECENT_SLOTS],
}

const RECENT_SLOTS: usize = 64;

impl Default for Recent {
    fn default() -> Self {
        Recent {
            slots: std::array::from_fn(|_| None),
        }
    }
}

impl Recent {
    /// The text of `t`, written anew unless it is in its slot; `None` for what chrono writes
    /// differently.
    fn text(&mut self, t: &DateTime<FixedOffset>) -> Option<&Text> {
        let utc = t.naive_utc();
        // A number for each day; 31 is prime to the slots, so the same hour of other days
        // (midnights in the plan's zone) spreads over all of them.
        let day = i64::from(utc.year()) * 367 + i64::from(utc.ordinal());
        let slot = (day * 31 + i64::from(utc.hour())).rem_euclid(RECENT_SLOTS as i64);
        let slot = self.slots.get_mut(usize::try_from(slot).ok()?)?;
        // Equal instants with other offsets are written otherwise: the offsets must match too.
        let known = slot
            .as_ref()
            .is_some_and(|(known, _)| known == t && known.offset() == t.offset());
        if !known {
            let mut text = Text::default();
            if !write(t, &mut text) {
                return None;
            }
            *slot = Some((*t, text));
        }
        slot.as_ref().map(|(_, text)| text)
    }
}

/// [`serialize`] for an optional instant that is skipped when absent; an absent one is still
/// written (as `null`) if it is not skipped.
#[expect(
    clippy::ref_option,
    reason = "serde's `serialize_with` passes a reference to the field"
)]
pub fn serialize_some<S: Serializer>(
    t: &Option<DateTime<FixedOffset>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => serialize(t, serializer),
        None => serializer.serialize_none(),
    }
}

/// A short text built on the stack.
struct Text {
    bytes: [u8; 40],
    len: usize,
}

impl Default for Text {
    fn default() -> Self {
        Text {
            bytes: [0; 40],
            len: 0,
        }
    }
}

impl Text {
    fn byte(&mut self, byte: u8) {
        if let Some(slot) = self.bytes.get_mut(self.len) {
            *slot = byte;
            self.len += 1;
        }
    }

    /// `value` as exactly `width` decimal digits.
    fn digits(&mut self, width: u32, value: u32) {
        let mut divisor = 10_u32.pow(width.saturating_sub(1));
        while divisor > 0 {
            self.byte(b'0' + ((value / divisor) % 10) as u8);
            divisor /= 10;
        }
    }

    fn as_str(&self) -> Option<&str> {
        std::str::from_utf8(self.bytes.get(..self.len)?).ok()
    }
}

/// Writes `t` as chrono does and returns `true`, or `false` for what chrono writes
/// differently (years outside 0..=9999, offsets with seconds).
fn write(t: &DateTime<FixedOffset>, text: &mut Text) -> bool {
    let local = t.naive_local();
    let offset = t.offset().local_minus_utc();
    let Some(year) = u32::try_from(local.year()).ok().filter(|y| *y <= 9999) else {
        return false;
    };
    if offset % 60 != 0 {
        return false;
    }
    text.digits(4, year);
    text.byte(b'-');
    text.digits(2, local.month());
    text.byte(b'-');
    text.digits(2, local.day());
    text.byte(b'T');
    text.digits(2, local.hour());
    text.byte(b':');
    text.digits(2, local.minute());
    text.byte(b':');
    // A leap second is kept in the nanoseconds (>= 1e9) and shown as second 60.
    let nanos = local.nanosecond();
    let (second, nanos) = if nanos >= 1_000_000_000 {
        (local.second() + 1, nanos - 1_000_000_000)
    } else {
        (local.second(), nanos)
    };
    text.digits(2, second);
    if nanos != 0 {
        text.byte(b'.');
        if nanos % 1_000_000 == 0 {
            text.digits(3, nanos / 1_000_000);
        } else if nanos % 1_000 == 0 {
            text.digits(6, nanos / 1_000);
        } else {
            text.digits(9, nanos);
        }
    }
    if offset == 0 {
        text.byte(b'Z');
        return true;
    }
    text.byte(if offset < 0 { b'-' } else { b'+' });
    let minutes = offset.unsigned_abs() / 60;
    text.digits(2, minutes / 60);
    text.byte(b':');
    text.digits(2, minutes % 60);
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone};
    use proptest::prelude::*;

    fn ours(t: &DateTime<FixedOffset>) -> String {
        serialize(t, serde_json::value::Serializer)
            .unwrap()
            .as_str()
            .unwrap()
            .to_owned()
    }

    fn chrono_text(t: &DateTime<FixedOffset>) -> String {
        serde_json::to_value(t)
            .unwrap()
            .as_str()
            .unwrap()
            .to_owned()
    }

    #[test]
    fn common_instants_match_chrono() {
        let east = FixedOffset::east_opt(8 * 3600).unwrap();
        let west = FixedOffset::west_opt(5 * 3600 + 30 * 60).unwrap();
        let utc = FixedOffset::east_opt(0).unwrap();
        let day = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
        for offset in [east, west, utc] {
            for nanos in [0, 5_000_000, 123_000, 7, 1_500_000_000] {
                let naive = day.and_hms_nano_opt(23, 59, 59, nanos).unwrap();
                let t = offset.from_local_datetime(&naive).unwrap();
                assert_eq!(ours(&t), chrono_text(&t), "{naive:?} {offset}");
            }
        }
        assert_eq!(
            ours(&east.with_ymd_and_hms(2023, 1, 1, 0, 0, 0).unwrap()),
            "2023-01-01T00:00:00+08:00"
        );
    }

    #[test]
    fn unusual_instants_fall_back_to_chrono() {
        let odd = FixedOffset::east_opt(8 * 3600 + 17).unwrap();
        let t = odd.with_ymd_and_hms(2023, 6, 1, 12, 0, 0).unwrap();
        assert_eq!(ours(&t), chrono_text(&t));
        let far = FixedOffset::east_opt(0).unwrap();
        let t = far.with_ymd_and_hms(12_345, 1, 1, 0, 0, 0).unwrap();
        assert_eq!(ours(&t), chrono_text(&t));
    }

    proptest! {
        #[test]
        fn any_instant_matches_chrono(
            secs in -70_000_000_000_i64..300_000_000_000,
            nanos in 0_u32..1_000_000_000,
            offset_minutes in prop_oneof![Just(0_i32), -1439_i32..1440],
        ) {
            let offset = FixedOffset::east_opt(offset_minutes * 60).unwrap();
            let t = DateTime::from_timestamp(secs, nanos).unwrap().with_timezone(&offset);
            prop_assert_eq!(ours(&t), chrono_text(&t));
        }
    }
}
