//! Tallies several readers of one log count into at once, so that the tallies, most of an
//! evaluator's memory, are held once however many threads read.
//!
//! They are the tallies an evaluator counts into alone, each page of a rule's table (consecutive
//! subjects) behind its own lock: two readers rarely want the same page at the same moment. A
//! tally keeps the earliest evidence whatever the order of its events, so what readers count
//! together does not depend on how their reading interleaves.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::tally::{Counted, Key, Shape, Tallies};

/// Tallies shared by the evaluators reading one log.
#[derive(Debug, Default)]
pub struct SharedTallies(Tallies);

impl SharedTallies {
    /// Counts one more event for `key` (see [`Tallies::add`]).
    pub fn add(&self, shape: &Arc<Shape>, key: Key, time: DateTime<Utc>, id: &str, limit: usize) {
        self.0.add_shared(shape, key, time, id, limit);
    }

    /// What was counted for `key`, if an event matched it.
    pub fn counted(&self, key: &Key) -> Option<Counted> {
        self.0.counted(key)
    }

    /// Adds what `other` counted; `other` is left empty.
    #[cfg(test)]
    pub fn merge(&self, other: &SharedTallies) {
        self.0.merge(other.0.take());
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
    /// Counts one more event for `key` (see [`Tallies::add`]); `shape` is that of the key's rule.
    pub fn add(
        &mut self,
        shape: &Arc<Shape>,
        key: Key,
        time: DateTime<Utc>,
        id: &str,
        limit: usize,
    ) {
        match self {
            TallyStore::Own(tallies) => tallies.add(shape, key, time, id, limit),
            TallyStore::Shared(shared) => shared.add(shape, key, time, id, limit),
        }
    }

    /// What was counted for `key`, if an event matched it.
    pub fn counted(&self, key: &Key) -> Option<Counted> {
        match self {
            TallyStore::Own(tallies) => tallies.counted(key),
            TallyStore::Shared(shared) => shared.counted(key),
        }
    }

    /// The tallies to share with another reader, shared from now on if they were its own: the
    /// same tables, each page of which takes a lock from now on.
    pub fn share(&mut self) -> Arc<SharedTallies> {
        let shared = match self {
            TallyStore::Shared(shared) => return Arc::clone(shared),
            TallyStore::Own(tallies) => Arc::new(SharedTallies(std::mem::take(tallies))),
        };
        *self = TallyStore::Shared(Arc::clone(&shared));
        shared
    }

    /// Adds what `other` counted, unless it counted into these very tallies.
    pub fn merge(&mut self, other: TallyStore) {
        let theirs = match (&mut *self, other) {
            (TallyStore::Shared(mine), TallyStore::Shared(theirs))
                if Arc::ptr_eq(mine, &theirs) =>
            {
                return
            }
            (TallyStore::Own(mine), other) if mine.is_empty() => {
                *self = other;
                return;
            }
            (_, TallyStore::Own(theirs)) => theirs,
            (_, TallyStore::Shared(theirs)) => match Arc::try_unwrap(theirs) {
                Ok(SharedTallies(theirs)) => theirs,
                Err(theirs) => theirs.0.take(),
            },
        };
        match self {
            TallyStore::Own(mine) => mine.merge(theirs),
            TallyStore::Shared(mine) => mine.0.merge(theirs),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Counting = (Key, DateTime<Utc>, String);

    /// The shape of a plan of one rule over `subjects` subjects and `periods` periods.
    fn shape((subjects, periods): (u32, u32)) -> Arc<Shape> {
        let mut set = fixedbitset::FixedBitSet::with_capacity(subjects as usize);
        set.insert_range(..);
        Arc::new(Shape::new(1, periods as usize, Some(&set)))
    }

    /// `n` events over `subjects` subjects and `periods` periods at scattered minutes, every
    /// `long`-th with an id that is not numbered, kept whole.
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

    /// Few events per tally, and then hundreds: most of those come after a full list and are
    /// counted without the page's lock while other threads take it.
    #[test]
    fn readers_on_threads_count_what_one_counts() {
        for (n, subjects_periods) in [(2000, (97, 3)), (40_000, (31, 2))] {
            readers_on_threads_count_what_one_counts_of(n, subjects_periods);
        }
    }

    fn readers_on_threads_count_what_one_counts_of(n: u32, subjects_periods: (u32, u32)) {
        let events = events(n, subjects_periods, 7);
        let s = &shape(subjects_periods);
        let one = SharedTallies::default();
        for (key, time, id) in &events {
            one.add(s, *key, *time, id, 5);
        }
        let shared = SharedTallies::default();
        std::thread::scope(|scope| {
            for part in events.chunks(events.len() / 7 + 1) {
                let shared = &shared;
                let s = Arc::clone(s);
                scope.spawn(move || {
                    for (key, time, id) in part {
                        shared.add(&s, *key, *time, id, 5);
                    }
                });
            }
        });
        let merged = SharedTallies::default();
        let other = SharedTallies::default();
        for (i, (key, time, id)) in events.iter().enumerate() {
            let into = if i % 2 == 0 { &merged } else { &other };
            into.add(s, *key, *time, id, 5);
        }
        merged.merge(&other);
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
        let s = &shape((71, 2));
        let mut one = TallyStore::default();
        for (key, time, id) in &events {
            one.add(s, *key, *time, id, 4);
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
                into.add(s, *key, *time, id, 4);
            }
            if mine_shared {
                mine = shared(mine);
            }
            if theirs_shared {
                theirs = shared(theirs);
            }
            mine.merge(theirs);
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
            into.add(s, *key, *time, id, 4);
        }
        mine.merge(theirs);
        for (key, _, _) in &events {
            assert_eq!(mine.counted(key), one.counted(key));
        }
    }
}
