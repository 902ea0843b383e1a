//! A bounded tally: how many events matched, and the first few of them by (time, id).
//!
//! Keeping the smallest ids by (time, id) rather than the first pushed makes the evidence the
//! same whatever order events arrive in, and bounds memory by the evidence limit.

use std::cmp::Ordering;
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
    /// The earliest matches, at most `limit` long: in arrival order until full, then sorted
    /// by (time, id).
    first: Vec<(DateTime<Utc>, EvidenceId)>,
    /// Once `first` is full, the time of its last entry: a later event is turned away without
    /// reading the list, which lives elsewhere in memory.
    full_until: Option<DateTime<Utc>>,
}

impl Tally {
    /// Counts one more event, keeping it as evidence if it is among the earliest `limit`.
    pub fn add(&mut self, time: DateTime<Utc>, id: &str, limit: usize) {
        self.count += 1;
        if self.full_until.is_some_and(|last| time > last) {
            return;
        }
        if self.first.len() < limit {
            // Until the list is full every event is kept: appended, which touches only the end
            // of the list, and sorted once when it fills.
            self.grow(limit);
            self.first.push((time, EvidenceId::new(id)));
            if self.first.len() >= limit {
                self.first.sort_unstable();
                self.note_full(limit);
            }
            return;
        }
        // Once the evidence is full most events come after its last entry: one comparison
        // of times (of ids only at equal times) and no allocation.
        let probe = Probe {
            time,
            id,
            packed: packed(id),
        };
        if self.first.last().is_none_or(|last| !probe.before(last)) {
            return;
        }
        let at = self.first.partition_point(|entry| !probe.before(entry));
        self.first.pop();
        self.first.insert(at, (time, EvidenceId::new(id)));
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
            self.first.last().map(|(t, _)| *t)
        } else {
            None
        };
    }

    /// Adds another tally of the same events' kind.
    pub fn merge(&mut self, other: Tally, limit: usize) {
        self.count += other.count;
        self.first.extend(other.first);
        self.first.sort_unstable();
        self.first.truncate(limit);
        self.first.shrink_to_fit();
        self.note_full(limit);
    }

    /// The evidence ids in order.
    pub fn ids(&self) -> Vec<String> {
        let mut kept: Vec<&(DateTime<Utc>, EvidenceId)> = self.first.iter().collect();
        kept.sort_unstable();
        kept.into_iter().map(|(_, id)| id.to_string()).collect()
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
    /// The id packed as an inline [`EvidenceId`], if short enough.
    packed: Option<(u64, u64)>,
}

impl Probe<'_> {
    /// Whether the event sorts strictly before `entry`, by (time, id).
    fn before(&self, (t, i): &(DateTime<Utc>, EvidenceId)) -> bool {
        match self.time.cmp(t) {
            Ordering::Less => true,
            Ordering::Greater => false,
            Ordering::Equal => match (self.packed, i) {
                (Some(mine), EvidenceId::Inline(hi, lo)) => mine < (*hi, *lo),
                _ => i.cmp_str(self.id) == Ordering::Greater,
            },
        }
    }
}

/// `id` as the two words of an inline [`EvidenceId`], if it has at most 15 bytes.
fn packed(id: &str) -> Option<(u64, u64)> {
    let bytes = id.as_bytes();
    if bytes.len() > INLINE {
        return None;
    }
    let mut packed = [0_u8; 16];
    for (slot, b) in packed.iter_mut().zip(bytes) {
        *slot = *b;
    }
    packed[INLINE] = bytes.len() as u8;
    let word = u128::from_be_bytes(packed);
    Some(((word >> 64) as u64, word as u64))
}

/// An event id kept as evidence, ordered as its text. Ids of up to 15 bytes (almost all) are
/// kept inline, without an allocation, as two words that compare in text order: the bytes
/// zero-padded, then the length.
#[derive(Clone, Debug, PartialEq, Eq)]
enum EvidenceId {
    Inline(u64, u64),
    Heap(Box<str>),
}

const INLINE: usize = 15;

impl EvidenceId {
    fn new(id: &str) -> Self {
        match packed(id) {
            Some((hi, lo)) => EvidenceId::Inline(hi, lo),
            None => EvidenceId::Heap(id.into()),
        }
    }

    /// Calls `f` with the id's bytes.
    fn with_bytes<R>(&self, f: impl FnOnce(&[u8]) -> R) -> R {
        match self {
            EvidenceId::Inline(hi, lo) => {
                let packed = ((u128::from(*hi) << 64) | u128::from(*lo)).to_be_bytes();
                let len = usize::from(packed[INLINE]).min(INLINE);
                f(packed.get(..len).unwrap_or_default())
            }
            EvidenceId::Heap(text) => f(text.as_bytes()),
        }
    }

    /// Compares with `other` as text (UTF-8 bytes order as code points do).
    fn cmp_str(&self, other: &str) -> Ordering {
        self.with_bytes(|mine| mine.cmp(other.as_bytes()))
    }
}

impl Ord for EvidenceId {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (EvidenceId::Inline(a, b), EvidenceId::Inline(c, d)) => (a, b).cmp(&(c, d)),
            _ => self.with_bytes(|mine| other.with_bytes(|theirs| mine.cmp(theirs))),
        }
    }
}

impl PartialOrd for EvidenceId {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl std::fmt::Display for EvidenceId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.with_bytes(|bytes| f.write_str(&String::from_utf8_lossy(bytes)))
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
    fn evidence_ids_order_as_text() {
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
            "exactly-15-byte",
            "exactly-16-bytes",
            "a-much-longer-id-than-fifteen",
            "a-much-longer-id-than-fifteen-2",
        ];
        for x in ids {
            let ex = EvidenceId::new(x);
            assert_eq!(ex.to_string(), x);
            for y in ids {
                let ey = EvidenceId::new(y);
                assert_eq!(ex.cmp(&ey), x.cmp(y), "{x:?} {y:?}");
                assert_eq!(ex.cmp_str(y), x.cmp(y), "{x:?} {y:?}");
            }
        }
    }

    #[test]
    fn small_limits_keep_the_earliest() {
        for limit in 1..6 {
            let mut a = Tally::default();
            for i in (0..9).rev() {
                a.add(t("2023-01-01T00:00:00Z"), &format!("e{i}"), limit);
            }
            let expected: Vec<String> = (0..limit).map(|i| format!("e{i}")).collect();
            assert_eq!(a.ids(), expected);
            assert!(a.first.capacity() <= limit.max(4));
        }
    }

    proptest::proptest! {
        /// Against a reference: sort every event by (time, id) and keep the first `limit`,
        /// whether the events come in one tally or split between two merged ones.
        #[test]
        fn keeps_what_sorting_everything_keeps(
            events in proptest::collection::vec((0_i64..20, 0_u32..40), 0..80),
            limit in 0_usize..8,
            split in 0_usize..80,
        ) {
            let at = |minute: i64| DateTime::from_timestamp(minute * 60, 0).unwrap();
            let ids: Vec<(DateTime<Utc>, String)> = events
                .iter()
                .map(|&(m, n)| (at(m), format!("e{n:02}")))
                .collect();
            let mut expected = ids.clone();
            expected.sort();
            let expected: Vec<String> = expected.into_iter().take(limit).map(|(_, id)| id).collect();
            let mut one = Tally::default();
            for (t, id) in &ids {
                one.add(*t, id, limit);
            }
            proptest::prop_assert_eq!(one.ids(), expected.clone());
            let (left, right) = ids.split_at(split.min(ids.len()));
            let mut a = Tally::default();
            let mut b = Tally::default();
            for (t, id) in left {
                a.add(*t, id, limit);
            }
            for (t, id) in right {
                b.add(*t, id, limit);
            }
            a.merge(b, limit);
            for (t, id) in &ids {
                one.add(*t, id, limit);
                a.add(*t, id, limit);
            }
            proptest::prop_assert_eq!(one.ids(), a.ids());
            proptest::prop_assert_eq!(one.count, a.count);
        }
    }

    #[test]
    fn zero_limit_keeps_only_the_count() {
        let mut a = Tally::default();
        a.add(t("2023-01-03T00:00:00Z"), "c", 0);
        assert_eq!((a.count, a.first.len(), a.truncated()), (1, 0, 1));
    }
}
