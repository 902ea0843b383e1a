//! The set of event ids seen so far, kept as 64-bit hashes.
//!
//! Storing hashes instead of ids keeps memory at about 16 bytes per event with an id, whatever
//! the ids' length, and no id string is kept past its line. The price: two different ids with
//! the same hash would be reported as duplicates. With a 64-bit hash the chance of any such
//! collision among `n` ids is about `n² / 2⁶⁵`: one in 370 000 for ten million ids.
//!
//! A set made by [`SeenIds::gathering`] only gathers the hashes, 8 bytes per id and no table
//! look-up per line (each one a cache miss once the table outgrows the cache), and says at the
//! end whether any repeats ([`SeenIds::repeats`]); only then must the input be read again with
//! a checking set to say where. Its memory does not grow with the input: every `SPILL_AT`
//! hashes are grouped by slice and written to an anonymous temporary file (a *run*), and the end reads
//! the runs as streams, a small buffer each, one slice of the hash range at a time.

mod gathered;
mod runs;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher};

use gathered::Gathered;
use runs::Run;

/// Ids already seen, across one or more files; pass it from one [`crate::EventReader`] to the
/// next to find duplicates between files.
#[derive(Debug, Default)]
pub struct SeenIds {
    files: Vec<String>,
    /// Hash of an id → where it was first seen, packed as `file << 40 | line`: a tuple would
    /// take 16 bytes per entry instead of 8.
    first: HashMap<u64, u64, BuildHasherDefault<PassThrough>>,
    /// The hashes of a gathering set, in place of `first`; boxed, for a small set to move.
    gathered: Option<Box<Gathered>>,
}

/// How ids are hashed; see [`SeenIds::insert`].
const ID_HASH: foldhash::quality::FixedState =
    foldhash::quality::FixedState::with_seed(0x6f62_6c69_6765);

const LINE_BITS: u32 = 40;
const LINE_MASK: u64 = (1 << LINE_BITS) - 1;

impl SeenIds {
    /// An empty set that reports a repeated id on the line that repeats it.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty set that only gathers ids, for inputs where repeats are rare: no line is
    /// refused, and [`SeenIds::repeats`] says at the end whether the input must be read again
    /// with [`SeenIds::new`] to find them.
    pub fn gathering() -> Self {
        Self {
            gathered: Some(Box::default()),
            ..Self::default()
        }
    }

    /// How many distinct ids were seen; for a gathering set, how many ids were gathered.
    pub fn len(&self) -> usize {
        self.gathered.as_ref().map_or(self.first.len(), |g| g.len())
    }

    /// Whether no id was seen.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether this set gathers ids instead of checking them.
    pub fn is_gathering(&self) -> bool {
        self.gathered.is_some()
    }

    /// Whether an id was gathered twice (always `false` for a checking set, which refuses
    /// repeats as they come). Also `true` if hashes written to a temporary file cannot be read
    /// back: the caller then reads the input again with a checking set, which is exact.
    pub fn repeats(&mut self) -> bool {
        self.gathered.as_mut().is_some_and(|g| g.repeats())
    }

    /// Sorts what a gathering set gathered since the last call, on the caller's thread: the
    /// reader of each part of a file calls it when it finishes.
    pub(crate) fn settle(&mut self) {
        if let Some(g) = self.gathered.as_mut() {
            g.settle();
        }
    }

    /// Adds the ids of `later` (read after everything in `self`), unless one of them is in
    /// `self` already: then `self` is left as it was and the first such id's place in `later`
    /// is returned, so that the caller can read that input again with a single reader, which
    /// reports the duplicate exactly where it would have.
    ///
    /// A gathering set takes the hashes of `later` without a check (see
    /// [`SeenIds::repeats`]).
    pub fn absorb(&mut self, mut later: SeenIds) -> Result<(), String> {
        if self.gathered.is_none() {
            if let Some(theirs) = later.gathered.as_ref() {
                // Gathered ids cannot be checked one by one any more: gather them all.
                let mut gathered = Gathered::new(theirs.limits);
                gathered
                    .runs
                    .push(Run::Memory(grouped_keys(&mut self.first)));
                self.gathered = Some(Box::new(gathered));
            }
        }
        if let Some(mine) = self.gathered.as_mut() {
            later.settle();
            if let Some(theirs) = later.gathered.take() {
                mine.runs.extend(theirs.runs);
            }
            mine.runs.push(Run::Memory(grouped_keys(&mut later.first)));
            mine.bound();
            return Ok(());
        }
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
    /// Ids are hashed with foldhash's quality hash under a fixed seed: the same hash in every
    /// run and on every thread, so that parts' sets combine and a collision, however unlikely,
    /// repeats. It costs a fifth of SipHash on a short id, which was a tenth of reading a line
    /// without the table's look-up, as in a gathering set.
    pub(crate) fn insert(&mut self, id: &str, file: u64, line: u64) -> Option<String> {
        let hash = ID_HASH.hash_one(id);
        if let Some(g) = self.gathered.as_mut() {
            g.push(hash);
            return None;
        }
        let packed = file << LINE_BITS | (line & LINE_MASK);
        match self.first.entry(hash) {
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

/// The hashes of a checking set, grouped, as a run of a gathering set.
fn grouped_keys(first: &mut HashMap<u64, u64, BuildHasherDefault<PassThrough>>) -> Vec<u64> {
    runs::grouped(std::mem::take(first).into_keys().collect())
}

/// The keys are hashes already; hashing them again would only cost time. They are only
/// rotated: the hashes of one slice share their top bits (see [`Gathered::repeats`]), which the
/// table keeps in its control bytes to tell keys apart.
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
        self.0 = n.rotate_left(u64::BITS / 2);
    }
}
