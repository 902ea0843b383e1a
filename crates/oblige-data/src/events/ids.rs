//! The set of event ids seen so far, kept as 64-bit hashes.
//!
//! Storing hashes instead of ids keeps memory at about 16 bytes per event with an id, whatever
//! the ids' length, and no id string is kept past its line. The price: two different ids with
//! the same hash would be reported as duplicates. With a 64-bit hash the chance of any such
//! collision among `n` ids is about `n² / 2⁶⁵`: one in 370 000 for ten million ids.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, DefaultHasher, Hash, Hasher};

/// Ids already seen, across one or more files; pass it from one [`crate::EventReader`] to the
/// next to find duplicates between files.
#[derive(Clone, Debug, Default)]
pub struct SeenIds {
    files: Vec<String>,
    /// Hash of an id → where it was first seen, packed as `file << 40 | line`: a tuple would
    /// take 16 bytes per entry instead of 8.
    first: HashMap<u64, u64, BuildHasherDefault<PassThrough>>,
}

const LINE_BITS: u32 = 40;
const LINE_MASK: u64 = (1 << LINE_BITS) - 1;

impl SeenIds {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many distinct ids were seen.
    pub fn len(&self) -> usize {
        self.first.len()
    }

    /// Whether no id was seen.
    pub fn is_empty(&self) -> bool {
        self.first.is_empty()
    }

    /// Adds the ids of `later` (read after everything in `self`), unless one of them is in
    /// `self` already: then `self` is left as it was and the first such id's place in `later`
    /// is returned, so that the caller can read that input again with a single reader, which
    /// reports the duplicate exactly where it would have.
    pub fn absorb(&mut self, later: SeenIds) -> Result<(), String> {
        if let Some((_, &packed)) = later
            .first
            .iter()
            .find(|(hash, _)| self.first.contains_key(hash))
        {
            return Err(later.place(packed));
        }
        let numbers: Vec<u64> = later.files.iter().map(|f| self.file_number(f)).collect();
        self.first.reserve(later.first.len());
        for (hash, packed) in later.first {
            let file = usize::try_from(packed >> LINE_BITS).unwrap_or(0);
            let number = numbers.get(file).copied().unwrap_or(0);
            self.first
                .insert(hash, number << LINE_BITS | (packed & LINE_MASK));
        }
        Ok(())
    }

    fn place(&self, packed: u64) -> String {
        let file = usize::try_from(packed >> LINE_BITS).unwrap_or(0);
        let name = self.files.get(file).map_or("", String::as_str);
        format!("{name}:{}", packed & LINE_MASK)
    }

    /// The number of `file`, registering it the first time.
    pub(crate) fn file_number(&mut self, file: &str) -> u64 {
        let found = self.files.iter().position(|f| f == file);
        let number = found.unwrap_or_else(|| {
            self.files.push(file.to_owned());
            self.files.len() - 1
        });
        u64::try_from(number).unwrap_or(0)
    }

    /// Records `id`; if it was seen before, returns where (`file:line`).
    ///
    /// SipHash stays: at a million ids an insert costs some 100 ns, nearly all of it two cache
    /// misses in a table of tens of megabytes, and hashing a short id some 15 ns, so a faster
    /// hash would save little and would need a new argument for the collision estimate above.
    pub(crate) fn insert(&mut self, id: &str, file: u64, line: u64) -> Option<String> {
        let mut hasher = DefaultHasher::new();
        id.hash(&mut hasher);
        let packed = file << LINE_BITS | (line & LINE_MASK);
        match self.first.entry(hasher.finish()) {
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(packed);
                None
            }
            std::collections::hash_map::Entry::Occupied(first) => {
                let packed = *first.get();
                Some(self.place(packed))
            }
        }
    }
}

/// The keys are hashes already; hashing them again would only cost time.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_the_first_place_across_files() {
        let mut seen = SeenIds::new();
        let a = seen.file_number("a.jsonl");
        let b = seen.file_number("b.jsonl");
        assert_eq!(seen.insert("e1", a, 3), None);
        assert_eq!(seen.insert("e2", a, 4), None);
        assert_eq!(seen.insert("e1", b, 9).as_deref(), Some("a.jsonl:3"));
        assert_eq!(seen.len(), 2);
    }

    #[test]
    fn absorbing_renumbers_files_and_refuses_overlaps() {
        let mut all = SeenIds::new();
        let a = all.file_number("a.jsonl");
        assert_eq!(all.insert("e1", a, 1), None);
        let mut part = SeenIds::new();
        let b = part.file_number("b.jsonl");
        assert_eq!(part.insert("e2", b, 7), None);
        assert_eq!(all.absorb(part), Ok(()));
        let b = all.file_number("b.jsonl");
        assert_eq!(all.insert("e2", b, 9).as_deref(), Some("b.jsonl:7"));
        let mut again = SeenIds::new();
        let c = again.file_number("c.jsonl");
        assert_eq!(again.insert("e1", c, 4), None);
        assert_eq!(all.absorb(again), Err("c.jsonl:4".to_owned()));
        assert_eq!(all.len(), 2);
    }
}
