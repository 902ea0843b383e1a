//! A bounded tally: how many events matched, and the first few of them by (time, id).
//!
//! Keeping the smallest ids by (time, id) rather than the first pushed makes the evidence the
//! same whatever order events arrive in, and bounds memory by the evidence limit.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use chrono::{DateTime, Utc};

/// Tallies by (rule, subject, period). Only the triples some event matched are present, so
/// memory follows what the log touches, not subjects × periods of every rule.
pub type Tallies = HashMap<(usize, usize, usize), Tally, BuildHasherDefault<KeyHasher>>;

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

/// A count with the earliest matching event ids.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// All matches.
    pub count: u64,
    /// The earliest matches, sorted by (time, id), at most `limit` long.
    pub first: Vec<(DateTime<Utc>, String)>,
}

impl Tally {
    /// Counts one more event, keeping it as evidence if it is among the earliest `limit`.
    pub fn add(&mut self, time: DateTime<Utc>, id: &str, limit: usize) {
        self.count += 1;
        let key = (time, id);
        // Once the evidence is full most events come after its last entry: one comparison
        // instead of a binary search, and no allocation.
        let full = self.first.len() >= limit;
        if full
            && self
                .first
                .last()
                .is_none_or(|(t, i)| (*t, i.as_str()) <= key)
        {
            return;
        }
        let at = self.first.partition_point(|(t, i)| (*t, i.as_str()) <= key);
        if at < limit {
            self.first.insert(at, (time, id.to_string()));
            self.first.truncate(limit);
        }
    }

    /// Adds another tally of the same events' kind.
    pub fn merge(&mut self, other: Tally, limit: usize) {
        self.count += other.count;
        self.first.extend(other.first);
        self.first.sort();
        self.first.truncate(limit);
    }

    /// The evidence ids in order.
    pub fn ids(&self) -> Vec<String> {
        self.first.iter().map(|(_, id)| id.clone()).collect()
    }

    /// How many matches are not listed.
    pub fn truncated(&self) -> u64 {
        self.count.saturating_sub(self.first.len() as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn keeps_the_earliest_whatever_the_order() {
        let mut a = Tally::default();
        a.add(t("2023-01-03T00:00:00Z"), "c", 2);
        a.add(t("2023-01-01T00:00:00Z"), "b", 2);
        a.add(t("2023-01-01T00:00:00Z"), "a", 2);
        assert_eq!(a.ids(), ["a", "b"]);
        assert_eq!((a.count, a.truncated()), (3, 1));
        let mut b = Tally::default();
        b.add(t("2023-01-01T00:00:00Z"), "a", 2);
        let mut c = Tally::default();
        c.add(t("2023-01-03T00:00:00Z"), "c", 2);
        c.add(t("2023-01-01T00:00:00Z"), "b", 2);
        b.merge(c, 2);
        assert_eq!(a, b);
    }

    #[test]
    fn zero_limit_keeps_only_the_count() {
        let mut a = Tally::default();
        a.add(t("2023-01-03T00:00:00Z"), "c", 0);
        assert_eq!((a.count, a.first.len(), a.truncated()), (1, 0, 1));
    }
}
