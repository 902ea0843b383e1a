//! The hot record of a tally: its count, where its evidence is full, and where the evidence
//! is, in 16 bytes that counting an event reads.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering::Relaxed};

use chrono::{DateTime, Utc};

/// A count, where the evidence is full, and where the evidence is.
///
/// The records of a table are shared by its readers. A reader adds to `count` without the
/// page's lock when its event comes after a full list; every other change is made under the
/// lock. `full` goes from 0 to a key once the list fills and then only down, as earlier events
/// take the place of later ones, so a reader that sees a key its event is past may trust it,
/// however stale, and one that does not takes the lock and looks again.
#[derive(Debug, Default)]
pub(super) struct Hot {
    /// All matches.
    count: AtomicU64,
    /// 0 while the evidence is not full; then the [`time_key`] of its last entry: an event of
    /// a greater key is turned away without reading the list, which lives elsewhere in memory.
    full: AtomicU32,
    /// 0 without evidence, else where its list starts in its page's slab, plus one. The list
    /// holds the earliest [`kept`] of `count` matches.
    list: AtomicU32,
}

impl Hot {
    /// All matches so far.
    pub(super) fn count(&self) -> u64 {
        self.count.load(Relaxed)
    }

    /// Counts one more match, returning the count before it. Readers sharing the record may
    /// count at the same time.
    pub(super) fn count_shared(&self) -> u64 {
        self.count.fetch_add(1, Relaxed)
    }

    /// [`Hot::count_shared`] for a record no one else reads, without an atomic operation.
    pub(super) fn count_own(&mut self) -> u64 {
        let count = self.count.get_mut();
        *count += 1;
        *count - 1
    }

    /// Adds matches counted elsewhere.
    pub(super) fn add_count(&self, more: u64) {
        self.count.fetch_add(more, Relaxed);
    }

    /// Whether an event at `time` cannot enter evidence that keeps `limit` entries.
    pub(super) fn turns_away(&self, time: DateTime<Utc>, limit: usize) -> bool {
        let full = self.full.load(Relaxed);
        limit == 0 || (full != 0 && time_key(time) > full)
    }

    /// Where the list starts in its page's slab, if there is one.
    pub(super) fn list_start(&self) -> Option<usize> {
        (self.list.load(Relaxed) as usize).checked_sub(1)
    }

    pub(super) fn set_list_start(&self, start: usize) {
        self.list
            .store(u32::try_from(start + 1).unwrap_or(0), Relaxed);
    }

    /// Keeps `full` true to the record's list of `len` entries, the last at `last`; a full
    /// list is sorted.
    pub(super) fn note_full(&self, last: Option<DateTime<Utc>>, len: usize, limit: usize) {
        let full = match last {
            Some(last) if len >= limit => time_key(last),
            _ => 0,
        };
        self.full.store(full, Relaxed);
    }

    /// This record, taken: it is left at zero.
    pub(super) fn take(&self) -> Hot {
        Hot {
            count: AtomicU64::new(self.count.swap(0, Relaxed)),
            full: AtomicU32::new(self.full.swap(0, Relaxed)),
            list: AtomicU32::new(self.list.swap(0, Relaxed)),
        }
    }
}

/// How many of `count` matches a list keeps: the earliest, up to `limit`. Known from the hot
/// record alone, so that counting an event need not read the list.
pub(super) fn kept(count: u64, limit: usize) -> usize {
    usize::try_from(count).map_or(limit, |count| count.min(limit))
}

/// A time's whole seconds since 1970, clamped to `1..u32::MAX`: never greater for an earlier
/// time, so an event whose key is greater than the last entry's comes after it.
fn time_key(time: DateTime<Utc>) -> u32 {
    let secs = time.timestamp().clamp(0, i64::from(u32::MAX) - 2);
    u32::try_from(secs).map_or(u32::MAX, |s| s + 1)
}
