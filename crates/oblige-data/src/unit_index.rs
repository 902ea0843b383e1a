//! Unit ids to registry positions: the table every event's actor and target are looked up in.

use compact_str::CompactString;
use hashbrown::HashTable;
use std::hash::BuildHasher;

/// The ids of the units in registry order, and a hash table of their positions.
///
/// Every event looks up its actor and target here, so what a look-up touches is kept small: the
/// table holds 4-byte positions only (128 KiB at 20 000 units, which stays in a core's cache),
/// and the ids sit in one list, most of them inline (under 24 bytes), so a found position costs
/// one read of the id it is checked against. A map from ids to positions took 32 bytes a slot,
/// a megabyte at 20 000 units, and missed the cache on most look-ups.
#[derive(Clone, Debug, Default)]
pub(crate) struct UnitIndex {
    table: HashTable<u32>,
    ids: Vec<CompactString>,
    hasher: foldhash::fast::RandomState,
}

impl UnitIndex {
    pub(crate) fn with_capacity(units: usize) -> Self {
        Self {
            table: HashTable::with_capacity(units),
            ids: Vec::with_capacity(units),
            hasher: foldhash::fast::RandomState::default(),
        }
    }

    /// Adds `id` at the next position; `false`, and nothing added, if it is there already or
    /// the index holds 2³² ids (more units than memory holds: a unit takes over 100 bytes).
    pub(crate) fn push(&mut self, id: &str) -> bool {
        let Ok(position) = u32::try_from(self.ids.len()) else {
            return false;
        };
        if self.get(id).is_some() {
            return false;
        }
        let ids = &self.ids;
        let hasher = &self.hasher;
        self.table
            .insert_unique(hasher.hash_one(id), position, |&k| {
                ids.get(k as usize)
                    .map_or(0, |id| hasher.hash_one(id.as_str()))
            });
        self.ids.push(CompactString::new(id));
        true
    }

    /// The position of `id`.
    pub(crate) fn get(&self, id: &str) -> Option<usize> {
        let found = self.table.find(self.hasher.hash_one(id), |&k| {
            self.ids.get(k as usize).is_some_and(|known| known == id)
        })?;
        Some(*found as usize)
    }
}

/// Two indexes are equal when they hold the same ids in the same order: the table follows.
impl PartialEq for UnitIndex {
    fn eq(&self, other: &Self) -> bool {
        self.ids == other.ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_id_at_its_position_and_refuses_a_second_copy() {
        let ids: Vec<String> = (0..5000).map(|i| format!("unit-{i:05}")).collect();
        let mut index = UnitIndex::with_capacity(0);
        for id in &ids {
            assert!(index.push(id));
        }
        for (k, id) in ids.iter().enumerate() {
            assert_eq!(index.get(id), Some(k));
        }
        assert!(!index.push("unit-00042"));
        assert_eq!(index.get("unit-5000"), None);
        assert_eq!(index.get(""), None);
        let long = "an id longer than twenty-four bytes, kept on the heap";
        assert!(index.push(long));
        assert_eq!(index.get(long), Some(5000));
    }
}
