//! Evidence as a tally keeps it: an event's time and id in 8 bytes, ordered by (time, id) as
//! text. There are up to 20 of them per rule, subject and period, so their size sets the
//! evaluator's memory.
//!
//! A time of whole seconds from 1970 to 2106 (every time of a usual log) is kept as seconds;
//! any other is kept with the id in the page's [`Ids`], compared exactly.

mod ids;
mod packed;
mod texts;
mod uuid;

use std::cell::OnceCell;
use std::cmp::Ordering;

use chrono::{DateTime, Utc};

pub use ids::{IdKey, Ids, ReadId};

/// One kept event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Its time in seconds since 1970, unless its id has the time with it.
    secs: u32,
    id: IdKey,
}

/// A time's whole seconds since 1970, if that is all there is to it and they fit.
fn plain_secs(time: DateTime<Utc>) -> Option<u32> {
    if time.timestamp_subsec_nanos() != 0 {
        return None;
    }
    u32::try_from(time.timestamp()).ok()
}

impl Entry {
    /// The entry of an event, its id kept in `ids` if it is not numbered or its time not
    /// plain.
    pub fn new(time: DateTime<Utc>, id: &str, ids: &mut Ids) -> Entry {
        match plain_secs(time) {
            Some(secs) => Entry {
                secs,
                id: ids.key(id),
            },
            None => Entry {
                secs: 0,
                id: ids.key_with_time(id, time),
            },
        }
    }

    /// What fills a block's room before entries take it.
    pub const BLANK: Entry = Entry {
        secs: 0,
        id: IdKey::BLANK,
    };

    /// Its time.
    pub fn time(&self, ids: &Ids) -> DateTime<Utc> {
        match ids.time(self.id) {
            Some(time) => time,
            None => DateTime::from_timestamp(i64::from(self.secs), 0).unwrap_or_default(),
        }
    }

    /// Its id.
    pub fn text(&self, ids: &Ids) -> String {
        ids.text(self.id)
    }

    /// Compares by time, then id as text.
    pub fn cmp_with(&self, other: &Entry, ids: &Ids) -> Ordering {
        let by_time = if self.id.has_time() || other.id.has_time() {
            self.time(ids).cmp(&other.time(ids))
        } else {
            self.secs.cmp(&other.secs)
        };
        by_time.then_with(|| ids.cmp(self.id, other.id))
    }

    /// Compares the entry's time with `time`, whose plain seconds (if any) are `secs`.
    pub fn cmp_time(&self, time: DateTime<Utc>, secs: Option<u32>, ids: &Ids) -> Ordering {
        match secs {
            Some(secs) if !self.id.has_time() => self.secs.cmp(&secs),
            _ => self.time(ids).cmp(&time),
        }
    }

    /// The same event as an entry of `to`, when it was one of `from`.
    pub fn moved(self, from: &Ids, to: &mut Ids) -> Entry {
        Entry::new(self.time(from), &self.text(from), to)
    }

    /// Forgets what `ids` keeps of the entry: it left the evidence.
    pub fn release(self, ids: &mut Ids) {
        ids.release(self.id);
    }
}

/// An event being tallied, compared with kept entries.
pub struct Probe<'a> {
    time: DateTime<Utc>,
    secs: Option<u32>,
    id: &'a str,
    /// The id read as the kept forms read it, the first time a time ties.
    read: OnceCell<ReadId>,
}

impl<'a> Probe<'a> {
    /// The probe of an event.
    pub fn new(time: DateTime<Utc>, id: &'a str) -> Self {
        Probe {
            time,
            secs: plain_secs(time),
            id,
            read: OnceCell::new(),
        }
    }

    /// Whether the event sorts strictly before `entry`, by (time, id).
    pub fn before(&self, entry: &Entry, ids: &Ids) -> bool {
        match entry.cmp_time(self.time, self.secs, ids) {
            Ordering::Greater => true,
            Ordering::Less => false,
            Ordering::Equal => {
                let read = *self.read.get_or_init(|| ReadId::of(self.id));
                ids.cmp_str(entry.id, self.id, read) == Ordering::Greater
            }
        }
    }
}

/// Puts `value` in a free place of `slots`, or a new one: where it is.
pub(super) fn take_place<T>(slots: &mut Vec<T>, free: &mut Vec<usize>, value: T) -> usize {
    if let Some(place) = free.pop() {
        if let Some(slot) = slots.get_mut(place) {
            *slot = value;
            return place;
        }
    }
    slots.push(value);
    slots.len() - 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_take_8_bytes() {
        assert_eq!(std::mem::size_of::<Entry>(), 8);
    }

    #[test]
    fn entries_order_by_time_then_id_whatever_their_keys() {
        let at = |secs: i64, nanos: u32| DateTime::from_timestamp(secs, nanos).unwrap();
        let events = [
            (at(-5, 0), "g000000002"),
            (at(100, 0), "g000000002"),
            (at(100, 0), "g000000010"),
            (at(100, 0), "h1"),
            (at(100, 0), "x-whole"),
            (at(100, 5), "g000000001"),
            (at(101, 0), "1"),
            (at(1 << 33, 0), "g000000001"),
        ];
        let mut ids = Ids::default();
        let entries: Vec<Entry> = events
            .iter()
            .map(|(time, id)| Entry::new(*time, id, &mut ids))
            .collect();
        for ((time, id), entry) in events.iter().zip(&entries) {
            assert_eq!(
                (entry.time(&ids), entry.text(&ids)),
                (*time, id.to_string())
            );
            for ((other_time, other_id), other) in events.iter().zip(&entries) {
                let expected = (time, id).cmp(&(other_time, other_id));
                assert_eq!(entry.cmp_with(other, &ids), expected, "{id} {other_id}");
                let probe = Probe::new(*time, id);
                assert_eq!(
                    probe.before(other, &ids),
                    expected.is_lt(),
                    "{id} {other_id}"
                );
            }
        }
        let mut elsewhere = Ids::default();
        let moved = entries[3].moved(&ids, &mut elsewhere);
        assert_eq!(
            (moved.time(&elsewhere), moved.text(&elsewhere)),
            (events[3].0, "h1".into())
        );
    }
}
