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
//! a checking set to say where.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::hash::{BuildHasherDefault, DefaultHasher, Hash, Hasher};

/// Ids already seen, across one or more files; pass it from one [`crate::EventReader`] to the
/// next to find duplicates between files.
#[derive(Clone, Debug, Default)]
pub struct SeenIds {
    files: Vec<String>,
    /// Hash of an id → where it was first seen, packed as `file << 40 | line`: a tuple would
    /// take 16 bytes per entry instead of 8.
    first: HashMap<u64, u64, BuildHasherDefault<PassThrough>>,
    /// The hashes of a gathering set, in place of `first`.
    gathered: Option<Gathered>,
}

/// Hashes gathered without a check: sorted runs (one per reader that finished) and the hashes
/// of the reader still going, in reading order.
#[derive(Clone, Debug, Default)]
struct Gathered {
    runs: Vec<Vec<u64>>,
    pending: Vec<u64>,
}

impl Gathered {
    fn settle(&mut self) {
        if !self.pending.is_empty() {
            let mut run = std::mem::take(&mut self.pending);
            run.sort_unstable();
            self.runs.push(run);
        }
    }

    fn len(&self) -> usize {
        self.pending.len() + self.runs.iter().map(Vec::len).sum::<usize>()
    }

    /// Whether some hash occurs twice, in one run or across runs: the runs are merged through
    /// a heap of one cursor per run (no merged copy is made), so equal hashes come out one
    /// after the other wherever they are.
    fn repeats(&mut self) -> bool {
        self.settle();
        let mut heads: BinaryHeap<Reverse<(u64, usize, usize)>> = self
            .runs
            .iter()
            .enumerate()
            .filter_map(|(r, run)| run.first().map(|&h| Reverse((h, r, 0))))
            .collect();
        let mut last = None;
        while let Some(Reverse((hash, r, i))) = heads.pop() {
            if last == Some(hash) {
                return true;
            }
            last = Some(hash);
            if let Some(&next) = self.runs.get(r).and_then(|run| run.get(i + 1)) {
                heads.push(Reverse((next, r, i + 1)));
            }
        }
        false
    }
}

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
            gathered: Some(Gathered::default()),
            ..Self::default()
        }
    }

    /// How many distinct ids were seen; for a gathering set, how many ids were gathered.
    pub fn len(&self) -> usize {
        self.gathered
            .as_ref()
            .map_or(self.first.len(), Gathered::len)
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
    /// repeats as they come).
    pub fn repeats(&mut self) -> bool {
        self.gathered.as_mut().is_some_and(Gathered::repeats)
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
        if later.gathered.is_some() && self.gathered.is_none() {
            // Gathered ids cannot be checked one by one any more: gather them all.
            let mut run: Vec<u64> = std::mem::take(&mut self.first).into_keys().collect();
            run.sort_unstable();
            self.gathered = Some(Gathered {
                runs: vec![run],
                pending: Vec::new(),
            });
        }
        if let Some(mine) = self.gathered.as_mut() {
            later.settle();
            let theirs = later.gathered.take().unwrap_or_default();
            mine.runs.extend(theirs.runs);
            let mut checked: Vec<u64> = later.first.into_keys().collect();
            checked.sort_unstable();
            mine.runs.push(checked);
            mine.runs.retain(|run| !run.is_empty());
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
    /// SipHash stays: at a million ids an insert costs some 100 ns, nearly all of it two cache
    /// misses in a table of tens of megabytes, and hashing a short id some 15 ns, so a faster
    /// hash would save little and would need a new argument for the collision estimate above.
    pub(crate) fn insert(&mut self, id: &str, file: u64, line: u64) -> Option<String> {
        let mut hasher = DefaultHasher::new();
        id.hash(&mut hasher);
        if let Some(g) = self.gathered.as_mut() {
            g.pending.push(hasher.finish());
            return None;
        }
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

    fn gathered(runs: &[&[&str]]) -> SeenIds {
        let mut all = SeenIds::gathering();
        for (n, ids) in runs.iter().enumerate() {
            let mut part = SeenIds::gathering();
            let file = part.file_number(&format!("{n}.jsonl"));
            for (line, id) in (1..).zip(ids.iter()) {
                assert_eq!(part.insert(id, file, line), None);
            }
            part.settle();
            assert_eq!(all.absorb(part), Ok(()));
        }
        all
    }

    #[test]
    fn gathering_finds_repeats_within_and_across_parts() {
        assert!(!gathered(&[]).repeats());
        assert!(!gathered(&[&["a", "b"], &[], &["c"], &["d", "e"]]).repeats());
        assert!(gathered(&[&["a", "b", "a"]]).repeats());
        assert!(gathered(&[&["a", "b"], &["c", "b"]]).repeats());
        assert!(gathered(&[&["x"], &["y"], &["z", "x"]]).repeats());
        let mut checking = SeenIds::new();
        let file = checking.file_number("c.jsonl");
        assert_eq!(checking.insert("b", file, 1), None);
        assert_eq!(checking.absorb(gathered(&[&["a"], &["b"]])), Ok(()));
        assert!(checking.is_gathering() && checking.repeats());
        let mut all = gathered(&[&["a"], &["b"]]);
        assert_eq!(all.len(), 2);
        let file = all.file_number("more.jsonl");
        assert_eq!(all.insert("a", file, 1), None);
        assert!(all.repeats());
    }

    proptest::proptest! {
        /// Against a reference: a gathering set split into any parts repeats exactly when the
        /// ids are not all distinct.
        #[test]
        fn gathering_agrees_with_a_set(
            ids in proptest::collection::vec(0_u16..300, 0..60),
            cuts in proptest::collection::vec(0_usize..60, 0..4),
        ) {
            let texts: Vec<String> = ids.iter().map(|i| format!("e{i}")).collect();
            let distinct = texts.iter().collect::<std::collections::HashSet<_>>().len();
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(texts.len())).collect();
            cuts.sort_unstable();
            let mut parts: Vec<Vec<&str>> = Vec::new();
            let mut start = 0;
            for cut in cuts.into_iter().chain([texts.len()]) {
                parts.push(texts[start..cut].iter().map(String::as_str).collect());
                start = cut;
            }
            let runs: Vec<&[&str]> = parts.iter().map(Vec::as_slice).collect();
            proptest::prop_assert_eq!(gathered(&runs).repeats(), distinct < texts.len());
        }
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
