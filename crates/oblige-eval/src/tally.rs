//! Bounded tallies: how many events matched, and the first few of them by (time, id).
//!
//! Keeping the smallest ids by (time, id) rather than the first pushed makes the evidence the
//! same whatever order events arrive in, and bounds memory by the evidence limit.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use chrono::{DateTime, Utc};

use crate::evidence::{Entry, IdKey, LongIds};

/// What a tally is kept under: (rule, subject, period), as positions.
pub type Key = (usize, usize, usize);

/// What was counted for a rule, subject and period.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counted {
    /// All matches.
    pub count: u64,
    /// The earliest matches' ids, in order.
    pub ids: Vec<String>,
    /// Matches not listed.
    pub truncated: u64,
}

/// Tallies by (rule, subject, period), with the long ids their evidence keeps. Only the
/// triples some event matched are present, so memory follows what the log touches, not
/// subjects × periods of every rule.
#[derive(Clone, Debug, Default)]
pub struct Tallies {
    map: HashMap<Key, Tally, BuildHasherDefault<KeyHasher>>,
    long: LongIds,
}

impl Tallies {
    /// Counts one more event for `key`, keeping it as evidence if it is among the earliest
    /// `limit`.
    pub fn add(&mut self, key: Key, time: DateTime<Utc>, id: &str, limit: usize) {
        let tally = self.map.entry(key).or_default();
        tally.add(time, id, limit, &mut self.long);
    }

    #[cfg(test)]
    fn get(&self, key: &Key) -> Option<&Tally> {
        self.map.get(key)
    }

    /// What was counted for `key`, if an event matched it.
    pub fn counted(&self, key: &Key) -> Option<Counted> {
        let tally = self.map.get(key)?;
        Some(Counted {
            count: tally.count,
            ids: self.ids(tally),
            truncated: tally.truncated(),
        })
    }

    /// The evidence ids of `tally` (one of these tallies), in order.
    fn ids(&self, tally: &Tally) -> Vec<String> {
        let mut kept: Vec<&Entry> = tally.first.iter().collect();
        kept.sort_unstable_by(|a, b| a.cmp_with(b, &self.long));
        kept.into_iter().map(|e| e.id.text(&self.long)).collect()
    }

    /// Adds the tallies of another evaluator of the same plan.
    pub fn merge(&mut self, other: Tallies, limit: usize) {
        if self.map.is_empty() {
            // The first reader's tallies taken whole, as when one file was read in parts.
            *self = other;
            return;
        }
        let Tallies { map, long } = other;
        for (key, mut tally) in map {
            for entry in &mut tally.first {
                entry.id = entry.id.moved(&long, &mut self.long);
            }
            let mine = self.map.entry(key).or_default();
            mine.merge(tally, limit, &mut self.long);
        }
    }
}

impl Tallies {
    /// Whether nothing was counted.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// These tallies cut into `n`, each tally going to the `which(key)`-th.
    pub fn split(self, n: usize, which: impl Fn(&Key) -> usize) -> Vec<Tallies> {
        let mut parts: Vec<Tallies> = (0..n).map(|_| Tallies::default()).collect();
        let Tallies { map, long } = self;
        for (key, mut tally) in map {
            if let Some(part) = parts.get_mut(which(&key)) {
                for entry in &mut tally.first {
                    entry.id = entry.id.moved(&long, &mut part.long);
                }
                part.map.insert(key, tally);
            }
        }
        parts
    }
}

/// A fast hasher for keys made of small integers (multiply and rotate per word, as in
/// rustc's FxHash): the keys are positions, not input an attacker chooses.
#[derive(Clone, Copy, Debug, Default)]
pub struct KeyHasher(u64);

impl KeyHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.add(u64::from(b));
        }
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
}

/// A count with the earliest matching events.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// All matches.
    pub count: u64,
    /// The earliest matches, at most `limit` long: in arrival order until full, then sorted
    /// by (time, id).
    first: Vec<Entry>,
    /// Once `first` is full, the time of its last entry: a later event is turned away without
    /// reading the list, which lives elsewhere in memory.
    full_until: Option<DateTime<Utc>>,
}

impl Tally {
    /// Counts one more event, keeping it as evidence if it is among the earliest `limit`.
    fn add(&mut self, time: DateTime<Utc>, id: &str, limit: usize, long: &mut LongIds) {
        self.count += 1;
        if self.full_until.is_some_and(|last| time > last) {
            return;
        }
        if self.first.len() < limit {
            // Until the list is full every event is kept: appended, which touches only the end
            // of the list, and sorted once when it fills.
            self.grow(limit);
            self.first.push(Entry {
                time,
                id: IdKey::new(id, long),
            });
            if self.first.len() >= limit {
                self.first.sort_unstable_by(|a, b| a.cmp_with(b, long));
                self.note_full(limit);
            }
            return;
        }
        // Once the evidence is full most events come after its last entry: one comparison
        // of times (of ids only at equal times) and no allocation.
        let probe = Probe {
            time,
            id,
            inline: IdKey::inline(id),
        };
        if self
            .first
            .last()
            .is_none_or(|last| !probe.before(last, long))
        {
            return;
        }
        let at = self
            .first
            .partition_point(|entry| !probe.before(entry, long));
        if let Some(out) = self.first.pop() {
            out.id.release(long);
        }
        let id = IdKey::new(id, long);
        self.first.insert(at, Entry { time, id });
        self.note_full(limit);
    }

    /// Makes room for one more entry, doubling but never past the limit: a full list of 20
    /// would otherwise take room for 32, and there is one list per rule, subject and period.
    fn grow(&mut self, limit: usize) {
        if self.first.len() == self.first.capacity() {
            let want = (self.first.len() * 2).max(4).min(limit);
            self.first
                .reserve_exact(want.saturating_sub(self.first.len()).max(1));
        }
    }

    /// Keeps `full_until` true to the list, which is sorted when full.
    fn note_full(&mut self, limit: usize) {
        self.full_until = if self.first.len() >= limit {
            self.first.last().map(|e| e.time)
        } else {
            None
        };
    }

    /// Adds another tally of the same rule, subject and period, its ids already in `long`.
    fn merge(&mut self, other: Tally, limit: usize, long: &mut LongIds) {
        self.count += other.count;
        self.first.extend(other.first);
        self.first.sort_unstable_by(|a, b| a.cmp_with(b, long));
        for out in self.first.drain(limit.min(self.first.len())..) {
            out.id.release(long);
        }
        self.first.shrink_to_fit();
        self.note_full(limit);
    }

    /// How many matches are not listed.
    pub fn truncated(&self) -> u64 {
        self.count.saturating_sub(self.first.len() as u64)
    }
}

/// An event being tallied, compared with the kept evidence.
struct Probe<'a> {
    time: DateTime<Utc>,
    id: &'a str,
    /// The id as an inline key, if short enough.
    inline: Option<IdKey>,
}

impl Probe<'_> {
    /// Whether the event sorts strictly before `entry`, by (time, id).
    fn before(&self, entry: &Entry, long: &LongIds) -> bool {
        match self.time.cmp(&entry.time) {
            Ordering::Less => true,
            Ordering::Greater => false,
            Ordering::Equal => match self.inline {
                Some(mine) => mine.cmp_with(entry.id, long) == Ordering::Less,
                None => entry.id.cmp_str(self.id, long) == Ordering::Greater,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const K: (usize, usize, usize) = (0, 0, 0);

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn ids(tallies: &Tallies) -> Vec<String> {
        tallies.get(&K).map(|t| tallies.ids(t)).unwrap_or_default()
    }

    #[test]
    fn keeps_the_earliest_whatever_the_order() {
        let mut a = Tallies::default();
        a.add(K, t("2023-01-03T00:00:00Z"), "c", 2);
        a.add(K, t("2023-01-01T00:00:00Z"), "b", 2);
        a.add(K, t("2023-01-01T00:00:00Z"), "a", 2);
        assert_eq!(ids(&a), ["a", "b"]);
        let tally = a.get(&K).unwrap();
        assert_eq!((tally.count, tally.truncated()), (3, 1));
        let mut b = Tallies::default();
        b.add(K, t("2023-01-01T00:00:00Z"), "a", 2);
        let mut c = Tallies::default();
        c.add(K, t("2023-01-03T00:00:00Z"), "c", 2);
        c.add(K, t("2023-01-01T00:00:00Z"), "b", 2);
        b.merge(c, 2);
        assert_eq!(a.get(&K), b.get(&K));
    }

    #[test]
    fn small_limits_keep_the_earliest() {
        for limit in 1..6 {
            let mut a = Tallies::default();
            for i in (0..9).rev() {
                a.add(K, t("2023-01-01T00:00:00Z"), &format!("e{i}"), limit);
            }
            let expected: Vec<String> = (0..limit).map(|i| format!("e{i}")).collect();
            assert_eq!(ids(&a), expected);
            assert!(a.get(&K).unwrap().first.capacity() <= limit.max(4));
        }
    }

    proptest::proptest! {
        /// Against a reference: sort every event by (time, id) and keep the first `limit`,
        /// whether the events come in one tally or split between two merged ones, with ids
        /// short (inline) and long. Long ids no longer kept are let go.
        #[test]
        fn keeps_what_sorting_everything_keeps(
            events in proptest::collection::vec((0_i64..20, 0_u32..40, proptest::bool::ANY), 0..80),
            limit in 0_usize..8,
            split in 0_usize..80,
        ) {
            let at = |minute: i64| DateTime::from_timestamp(minute * 60, 0).unwrap();
            let id = |n: u32, long: bool| if long { format!("e{n:02}-with-a-long-id") } else { format!("e{n:02}") };
            let ids_in: Vec<(DateTime<Utc>, String)> = events
                .iter()
                .map(|&(m, n, long)| (at(m), id(n, long)))
                .collect();
            let mut expected = ids_in.clone();
            expected.sort();
            let expected: Vec<String> = expected.into_iter().take(limit).map(|(_, id)| id).collect();
            let mut one = Tallies::default();
            for (t, id) in &ids_in {
                one.add(K, *t, id, limit);
            }
            proptest::prop_assert_eq!(ids(&one), expected.clone());
            proptest::prop_assert!(one.long.len() <= limit);
            let (left, right) = ids_in.split_at(split.min(ids_in.len()));
            let mut a = Tallies::default();
            let mut b = Tallies::default();
            for (t, id) in left {
                a.add(K, *t, id, limit);
            }
            for (t, id) in right {
                b.add(K, *t, id, limit);
            }
            a.merge(b, limit);
            proptest::prop_assert_eq!(ids(&a), expected);
            proptest::prop_assert!(a.long.len() <= limit);
            for (t, id) in &ids_in {
                one.add(K, *t, id, limit);
                a.add(K, *t, id, limit);
            }
            proptest::prop_assert_eq!(ids(&one), ids(&a));
            proptest::prop_assert_eq!(one.get(&K).map(|t| t.count), a.get(&K).map(|t| t.count));
        }
    }

    #[test]
    fn zero_limit_keeps_only_the_count() {
        let mut a = Tallies::default();
        a.add(K, t("2023-01-03T00:00:00Z"), "c", 0);
        let tally = a.get(&K).unwrap();
        assert_eq!(
            (tally.count, tally.first.len(), tally.truncated()),
            (1, 0, 1)
        );
    }
}
