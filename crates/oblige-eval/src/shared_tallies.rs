//! Tallies several readers of one log count into at once, so that the tallies, most of an
//! evaluator's memory, are held once however many threads read.
//!
//! They are cut into shards by subject, each behind its own lock: two readers rarely want the
//! same shard at the same moment. A tally keeps the earliest evidence whatever the order of
//! its events, so what readers count together does not depend on how their reading interleaves.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use chrono::{DateTime, Utc};

use crate::tally::{Counted, Key, Tallies};

/// Shards: enough that two or more readers seldom meet at a lock.
const SHARDS: usize = 64;

/// Tallies shared by the evaluators reading one log.
#[derive(Debug)]
pub struct SharedTallies {
    shards: Vec<Mutex<Tallies>>,
}

impl Default for SharedTallies {
    fn default() -> Self {
        SharedTallies {
            shards: (0..SHARDS).map(|_| Mutex::default()).collect(),
        }
    }
}

/// The shard of `key`: by subject.
fn shard_of(key: &Key) -> usize {
    key.1 % SHARDS
}

/// The tallies of `shard`, locked.
fn lock(shard: &Mutex<Tallies>) -> MutexGuard<'_, Tallies> {
    // A reader that panicked mid-count leaves a tally that is still well formed.
    shard.lock().unwrap_or_else(PoisonError::into_inner)
}

impl SharedTallies {
    fn shard(&self, key: &Key) -> Option<MutexGuard<'_, Tallies>> {
        self.shards.get(shard_of(key)).map(lock)
    }

    /// Counts one more event for `key` (see [`Tallies::add`]).
    pub fn add(&self, key: Key, time: DateTime<Utc>, id: &str, limit: usize) {
        if let Some(mut shard) = self.shard(&key) {
            shard.add(key, time, id, limit);
        }
    }

    /// What was counted for `key`, if an event matched it.
    pub fn counted(&self, key: &Key) -> Option<Counted> {
        self.shard(key)?.counted(key)
    }

    /// Shared tallies holding `tallies`.
    fn holding(tallies: Tallies) -> Self {
        let shards = tallies.split(SHARDS, shard_of);
        SharedTallies {
            shards: shards.into_iter().map(Mutex::new).collect(),
        }
    }

    /// What every shard holds, as one set of tallies; the shards are left empty.
    fn drain(&self, limit: usize) -> Tallies {
        let mut all = Tallies::default();
        for shard in &self.shards {
            // Shards hold different keys: nothing is counted twice.
            all.merge(std::mem::take(&mut *lock(shard)), limit);
        }
        all
    }

    /// Adds what `other` counted; `other` is left empty.
    pub fn merge(&self, other: &SharedTallies, limit: usize) {
        for (mine, theirs) in self.shards.iter().zip(&other.shards) {
            let theirs = std::mem::take(&mut *lock(theirs));
            lock(mine).merge(theirs, limit);
        }
    }
}

/// Where an evaluator counts: tallies of its own, counted without a lock, or tallies shared
/// with the other readers of a log ([`crate::Evaluator::fork_shared`]).
#[derive(Debug)]
pub enum TallyStore {
    /// Its own.
    Own(Tallies),
    /// Shared.
    Shared(Arc<SharedTallies>),
}

impl Default for TallyStore {
    fn default() -> Self {
        TallyStore::Own(Tallies::default())
    }
}

impl TallyStore {
    /// Counts one more event for `key` (see [`Tallies::add`]).
    pub fn add(&mut self, key: Key, time: DateTime<Utc>, id: &str, limit: usize) {
        match self {
            TallyStore::Own(tallies) => tallies.add(key, time, id, limit),
            TallyStore::Shared(shared) => shared.add(key, time, id, limit),
        }
    }

    /// What was counted for `key`, if an event matched it.
    pub fn counted(&self, key: &Key) -> Option<Counted> {
        match self {
            TallyStore::Own(tallies) => tallies.counted(key),
            TallyStore::Shared(shared) => shared.counted(key),
        }
    }

    /// The tallies to share with another reader, shared from now on if they were its own.
    pub fn share(&mut self) -> Arc<SharedTallies> {
        let shared = match self {
            TallyStore::Shared(shared) => return Arc::clone(shared),
            TallyStore::Own(tallies) => Arc::new(SharedTallies::holding(std::mem::take(tallies))),
        };
        *self = TallyStore::Shared(Arc::clone(&shared));
        shared
    }

    /// Adds what `other` counted, unless it counted into these very tallies.
    pub fn merge(&mut self, other: TallyStore, limit: usize) {
        match (&mut *self, other) {
            (TallyStore::Shared(mine), TallyStore::Shared(theirs))
                if Arc::ptr_eq(mine, &theirs) => {}
            (TallyStore::Own(mine), other) if mine.is_empty() => *self = other,
            (TallyStore::Shared(mine), TallyStore::Shared(theirs)) => mine.merge(&theirs, limit),
            (TallyStore::Own(mine), TallyStore::Shared(theirs)) => {
                mine.merge(theirs.drain(limit), limit);
            }
            (TallyStore::Own(mine), TallyStore::Own(theirs)) => mine.merge(theirs, limit),
            (TallyStore::Shared(mine), TallyStore::Own(theirs)) => {
                mine.merge(&SharedTallies::holding(theirs), limit);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Counting = (Key, DateTime<Utc>, String);

    /// `n` events over `subjects` subjects and `periods` periods at scattered minutes, every
    /// `long`-th with an id too long to be kept inline.
    fn events(n: u32, (subjects, periods): (u32, u32), long: u32) -> Vec<Counting> {
        let at = |minute: u32| DateTime::from_timestamp(i64::from(minute) * 60, 0).unwrap();
        (0..n)
            .map(|n| {
                let key = (0, (n % subjects) as usize, (n % periods) as usize);
                let id = if n % long == 0 {
                    format!("a-long-event-id-{n}")
                } else {
                    format!("e{n}")
                };
                (key, at(n * 7919 % 500), id)
            })
            .collect()
    }

    #[test]
    fn readers_on_threads_count_what_one_counts() {
        let events = events(2000, (97, 3), 7);
        let one = SharedTallies::default();
        for (key, time, id) in &events {
            one.add(*key, *time, id, 5);
        }
        let shared = SharedTallies::default();
        std::thread::scope(|scope| {
            for part in events.chunks(300) {
                let shared = &shared;
                scope.spawn(move || {
                    for (key, time, id) in part {
                        shared.add(*key, *time, id, 5);
                    }
                });
            }
        });
        let merged = SharedTallies::default();
        let other = SharedTallies::default();
        for (i, (key, time, id)) in events.iter().enumerate() {
            let into = if i % 2 == 0 { &merged } else { &other };
            into.add(*key, *time, id, 5);
        }
        merged.merge(&other, 5);
        for (key, _, _) in &events {
            assert_eq!(shared.counted(key), one.counted(key));
            assert_eq!(merged.counted(key), one.counted(key));
        }
        assert_eq!(other.counted(&(0, 0, 0)), None);
    }

    /// Every way two stores merge, own or shared, gives what one store counting everything
    /// gives.
    #[test]
    fn stores_merge_into_what_one_counts() {
        let events = events(600, (71, 2), 3);
        let mut one = TallyStore::default();
        for (key, time, id) in &events {
            one.add(*key, *time, id, 4);
        }
        let shared = |store: TallyStore| {
            let mut store = store;
            let _ = store.share();
            store
        };
        for (mine_shared, theirs_shared, mine_empty) in [
            (false, false, false),
            (false, true, false),
            (false, true, true),
            (true, false, false),
            (true, true, false),
        ] {
            let (mut mine, mut theirs) = (TallyStore::default(), TallyStore::default());
            for (i, (key, time, id)) in events.iter().enumerate() {
                let into = if i % 2 == 0 && !mine_empty {
                    &mut mine
                } else {
                    &mut theirs
                };
                into.add(*key, *time, id, 4);
            }
            if mine_shared {
                mine = shared(mine);
            }
            if theirs_shared {
                theirs = shared(theirs);
            }
            mine.merge(theirs, 4);
            for (key, _, _) in &events {
                let case = (mine_shared, theirs_shared, mine_empty);
                assert_eq!(mine.counted(key), one.counted(key), "{case:?}");
            }
        }
        // Counted into the same tallies: merged once, not twice.
        let mut mine = TallyStore::default();
        let mut theirs = TallyStore::Shared(mine.share());
        for (i, (key, time, id)) in events.iter().enumerate() {
            let into = if i % 2 == 0 { &mut mine } else { &mut theirs };
            into.add(*key, *time, id, 4);
        }
        mine.merge(theirs, 4);
        for (key, _, _) in &events {
            assert_eq!(mine.counted(key), one.counted(key));
        }
    }
}
