//! Tallies several readers of one log count into at once, so that the tallies, most of an
//! evaluator's memory, are held once however many threads read.
//!
//! They are cut into shards by subject, each behind its own lock: two readers rarely want the
//! same shard at the same moment. A tally keeps the earliest evidence whatever the order of
//! its events, so what readers count together does not depend on how their reading interleaves.

use std::sync::{Mutex, MutexGuard, PoisonError};

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

impl SharedTallies {
    fn shard(&self, key: &Key) -> Option<MutexGuard<'_, Tallies>> {
        let shard = self.shards.get(key.1 % SHARDS)?;
        // A reader that panicked mid-count leaves a tally that is still well formed.
        Some(shard.lock().unwrap_or_else(PoisonError::into_inner))
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

    /// Adds what `other` counted; `other` is left empty.
    pub fn merge(&self, other: &SharedTallies, limit: usize) {
        for (mine, theirs) in self.shards.iter().zip(&other.shards) {
            let theirs =
                std::mem::take(&mut *theirs.lock().unwrap_or_else(PoisonError::into_inner));
            mine.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .merge(theirs, limit);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readers_on_threads_count_what_one_counts() {
        let at = |minute: i64| DateTime::from_timestamp(minute * 60, 0).unwrap();
        let events: Vec<(Key, DateTime<Utc>, String)> = (0..2000_u32)
            .map(|n| {
                let key = (0, (n % 97) as usize, (n % 3) as usize);
                (key, at(i64::from(n * 7919 % 500)), format!("e{n}"))
            })
            .collect();
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
}
