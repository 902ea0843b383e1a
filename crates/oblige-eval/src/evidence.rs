//! Evidence as a tally keeps it: an event's time and id in 16 bytes, ordered by (time, id) as
//! text. There are up to 20 of them per rule, subject and period, so their size sets the
//! evaluator's memory.
//!
//! A time of whole seconds from 1970 to 2106 (every time of a usual log) is kept as seconds;
//! any other, with its id, in [`LongIds`], compared exactly.

use std::cmp::Ordering;

use chrono::{DateTime, Utc};

/// One kept event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Its time in seconds since 1970, unless the id is [`ODD`] (then its time is in
    /// [`LongIds`]).
    secs: u32,
    /// Its id.
    pub id: IdKey,
}

/// A time's whole seconds since 1970, if that is all there is to it and they fit.
fn plain_secs(time: DateTime<Utc>) -> Option<u32> {
    if time.timestamp_subsec_nanos() != 0 {
        return None;
    }
    u32::try_from(time.timestamp()).ok()
}

impl Entry {
    /// The entry of an event, its id kept in `long` if it is not short or its time not plain.
    pub fn new(time: DateTime<Utc>, id: &str, long: &mut LongIds) -> Entry {
        match plain_secs(time) {
            Some(secs) => Entry {
                secs,
                id: IdKey::new(id, long),
            },
            None => Entry {
                secs: 0,
                id: long.add(id, Some(time)),
            },
        }
    }

    /// What fills a block's room before entries take it.
    pub const BLANK: Entry = Entry {
        secs: 0,
        id: IdKey([0; INLINE + 1]),
    };

    /// Its time.
    pub fn time(&self, long: &LongIds) -> DateTime<Utc> {
        match self.id.odd_index() {
            Some(index) => long.time(index),
            None => DateTime::from_timestamp(i64::from(self.secs), 0).unwrap_or_default(),
        }
    }

    /// Compares by time, then id as text.
    pub fn cmp_with(&self, other: &Entry, long: &LongIds) -> Ordering {
        let by_time = match (self.id.odd_index(), other.id.odd_index()) {
            (None, None) => self.secs.cmp(&other.secs),
            _ => self.time(long).cmp(&other.time(long)),
        };
        by_time.then_with(|| self.id.cmp_with(other.id, long))
    }

    /// Compares the entry's time with `time`, whose plain seconds (if any) are `secs`.
    pub fn cmp_time(&self, time: DateTime<Utc>, secs: Option<u32>, long: &LongIds) -> Ordering {
        match (self.id.odd_index(), secs) {
            (None, Some(secs)) => self.secs.cmp(&secs),
            _ => self.time(long).cmp(&time),
        }
    }
}

/// An event being tallied, compared with kept entries.
pub struct Probe<'a> {
    time: DateTime<Utc>,
    secs: Option<u32>,
    id: &'a str,
    /// The id as an inline key, if short enough.
    inline: Option<IdKey>,
}

impl<'a> Probe<'a> {
    /// The probe of an event.
    pub fn new(time: DateTime<Utc>, id: &'a str) -> Self {
        Probe {
            time,
            secs: plain_secs(time),
            id,
            inline: IdKey::inline(id),
        }
    }

    /// Whether the event sorts strictly before `entry`, by (time, id).
    pub fn before(&self, entry: &Entry, long: &LongIds) -> bool {
        match entry.cmp_time(self.time, self.secs, long) {
            Ordering::Greater => true,
            Ordering::Less => false,
            Ordering::Equal => match self.inline {
                Some(mine) => mine.cmp_with(entry.id, long) == Ordering::Less,
                None => entry.id.cmp_str(self.id, long) == Ordering::Greater,
            },
        }
    }
}

/// Bytes of an id kept inline; longer ids are kept in [`LongIds`].
const INLINE: usize = 11;
/// The last byte of a key that names a long id (inline ids put their length there).
const LONG: u8 = 0xFF;
/// The last byte of a key that names an id, short or long, kept in [`LongIds`] with the time
/// of its event, which whole seconds since 1970 in 32 bits do not tell.
const ODD: u8 = 0xFE;

/// An event id: up to [`INLINE`] bytes inline, zero-padded and followed by the length, so that
/// two inline keys compare as their texts do; or the index of a long id in [`LongIds`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IdKey([u8; INLINE + 1]);

impl IdKey {
    /// The key of a short `id`, or `None` if it is too long to be kept inline.
    pub fn inline(id: &str) -> Option<IdKey> {
        let bytes = id.as_bytes();
        if bytes.len() > INLINE {
            return None;
        }
        let mut key = [0_u8; INLINE + 1];
        for (slot, b) in key.iter_mut().zip(bytes) {
            *slot = *b;
        }
        key[INLINE] = bytes.len() as u8;
        Some(IdKey(key))
    }

    /// The key of `id`, kept in `long` if it is not short.
    pub fn new(id: &str, long: &mut LongIds) -> IdKey {
        IdKey::inline(id).unwrap_or_else(|| long.add(id, None))
    }

    fn long(index: u64, tag: u8) -> IdKey {
        let mut key = [0_u8; INLINE + 1];
        for (slot, b) in key.iter_mut().zip(index.to_le_bytes()) {
            *slot = b;
        }
        key[INLINE] = tag;
        IdKey(key)
    }

    /// Where in [`LongIds`] the id is, if it is there.
    fn long_index(self) -> Option<u64> {
        let [a, b, c, d, e, f, g, h, _, _, _, tag] = self.0;
        (tag == LONG || tag == ODD).then(|| u64::from_le_bytes([a, b, c, d, e, f, g, h]))
    }

    /// Where in [`LongIds`] the id and the time of its event are, if they are there.
    fn odd_index(self) -> Option<u64> {
        (self.0[INLINE] == ODD).then(|| self.long_index()).flatten()
    }

    /// The id's bytes.
    pub fn bytes<'a>(&'a self, long: &'a LongIds) -> &'a [u8] {
        match self.long_index() {
            Some(index) => long.get(index).as_bytes(),
            None => {
                let len = usize::from(self.0[INLINE]).min(INLINE);
                self.0.get(..len).unwrap_or_default()
            }
        }
    }

    /// Compares as text.
    pub fn cmp_with(self, other: IdKey, long: &LongIds) -> Ordering {
        if self.long_index().is_none() && other.long_index().is_none() {
            return self.0.cmp(&other.0);
        }
        self.bytes(long).cmp(other.bytes(long))
    }

    /// Compares with `other` as text.
    pub fn cmp_str(&self, other: &str, long: &LongIds) -> Ordering {
        self.bytes(long).cmp(other.as_bytes())
    }

    /// The id as text.
    pub fn text(&self, long: &LongIds) -> String {
        String::from_utf8_lossy(self.bytes(long)).into_owned()
    }

    /// The same id as a key of `to`, when it was a key of `from`.
    pub fn moved(self, from: &LongIds, to: &mut LongIds) -> IdKey {
        match self.long_index() {
            Some(index) => to.add(from.get(index), self.odd_index().map(|i| from.time(i))),
            None => self,
        }
    }

    /// Forgets the long id the key names, if any: its entry left the evidence.
    pub fn release(self, long: &mut LongIds) {
        if let Some(index) = self.long_index() {
            long.remove(index);
        }
    }
}

/// The long ids kept as evidence, each under an index, with the time of the event when it is
/// not plain. Slots of ids no longer kept are reused, so the table grows with the evidence
/// kept, not with the events seen.
#[derive(Clone, Debug, Default)]
pub struct LongIds {
    texts: Vec<(Box<str>, Option<DateTime<Utc>>)>,
    free: Vec<u64>,
}

impl LongIds {
    fn add(&mut self, id: &str, time: Option<DateTime<Utc>>) -> IdKey {
        let index = match self.free.pop() {
            Some(index) => {
                if let Some(slot) = usize::try_from(index)
                    .ok()
                    .and_then(|i| self.texts.get_mut(i))
                {
                    *slot = (id.into(), time);
                }
                index
            }
            None => {
                self.texts.push((id.into(), time));
                self.texts.len() as u64 - 1
            }
        };
        IdKey::long(index, if time.is_some() { ODD } else { LONG })
    }

    fn slot(&self, index: u64) -> Option<&(Box<str>, Option<DateTime<Utc>>)> {
        usize::try_from(index).ok().and_then(|i| self.texts.get(i))
    }

    fn get(&self, index: u64) -> &str {
        self.slot(index).map_or("", |(text, _)| text)
    }

    fn time(&self, index: u64) -> DateTime<Utc> {
        self.slot(index).and_then(|(_, t)| *t).unwrap_or_default()
    }

    fn remove(&mut self, index: u64) {
        if let Some(slot) = usize::try_from(index)
            .ok()
            .and_then(|i| self.texts.get_mut(i))
        {
            *slot = (Box::default(), None);
            self.free.push(index);
        }
    }

    /// Long ids kept now.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.texts.len() - self.free.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_take_16_bytes() {
        assert_eq!(std::mem::size_of::<Entry>(), 16);
    }

    #[test]
    fn ids_order_as_text_inline_or_long() {
        let ids = [
            "",
            "a",
            "a\0",
            "a\0b",
            "ab",
            "g000000001",
            "g000000010",
            "事故-1",
            "z",
            "exactly-11b",
            "exactly-12by",
            "a-much-longer-id-than-eleven",
            "a-much-longer-id-than-eleven-2",
        ];
        let mut long = LongIds::default();
        let keys: Vec<IdKey> = ids.iter().map(|id| IdKey::new(id, &mut long)).collect();
        for (x, kx) in ids.iter().zip(&keys) {
            assert_eq!(kx.text(&long), *x);
            for (y, ky) in ids.iter().zip(&keys) {
                assert_eq!(kx.cmp_with(*ky, &long), x.cmp(y), "{x:?} {y:?}");
                assert_eq!(kx.cmp_str(y, &long), x.cmp(y), "{x:?} {y:?}");
            }
        }
    }

    #[test]
    fn released_slots_are_reused() {
        let mut long = LongIds::default();
        let a = IdKey::new("a-long-id-number-one", &mut long);
        a.release(&mut long);
        let b = IdKey::new("a-long-id-number-two", &mut long);
        assert_eq!((long.len(), long.texts.len()), (1, 1));
        assert_eq!(b.text(&long), "a-long-id-number-two");
        let mut other = LongIds::default();
        assert_eq!(
            b.moved(&long, &mut other).text(&other),
            "a-long-id-number-two"
        );
    }
}
