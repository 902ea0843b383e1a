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
//! a checking set to say where. Its memory does not grow with the input: every [`SPILL_AT`]
//! hashes are sorted and written to an anonymous temporary file (a *run*), and the end merges
//! the runs as streams, a small buffer each.

use std::cmp::Reverse;
use std::collections::binary_heap::PeekMut;
use std::collections::{BinaryHeap, HashMap};
use std::fs::File;
use std::hash::{BuildHasherDefault, DefaultHasher, Hash, Hasher};
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};

/// How many hashes a gathering set holds in memory before it sorts them and writes them to a
/// temporary file: 1 Mi hashes, 8 MiB, per reader, plus less than as much in the sorted runs
/// of readers that finished. Larger would save little, as every hash is written and read once
/// whatever the size of the runs; smaller makes more files, to merge at the end.
const SPILL_AT: usize = 1 << 20;

/// How many file runs of one generation a set keeps before merging them into one of the next
/// generation: a set then keeps fewer than `FAN_IN` open files per generation, 62 for up to
/// 1 Gi ids, where a file per run would reach the usual limit of 1 024 open files at 1 Gi ids.
const FAN_IN: usize = 32;

/// The read buffer of each file run in a merge; the write buffer of a run being written.
const BUFFER: usize = 16 << 10;

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

/// When a gathering set writes its hashes to files, and where.
#[derive(Clone, Copy, Debug)]
struct Limits {
    spill_at: usize,
    fan_in: usize,
    /// Makes the file of a run: [`tempfile::tempfile`], an unnamed file that the system removes
    /// when it is closed, even if the process is killed; tests put failing files here.
    create: fn() -> io::Result<File>,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            spill_at: SPILL_AT,
            fan_in: FAN_IN,
            create: tempfile::tempfile,
        }
    }
}

/// Hashes gathered without a check: sorted runs (in memory or in temporary files, in no
/// particular order) and the hashes of the reader still going, in reading order.
#[derive(Debug)]
struct Gathered {
    runs: Vec<Run>,
    pending: Vec<u64>,
    limits: Limits,
    /// Cleared once a run could not be written (no temporary folder, disk full): runs then stay
    /// in memory, as they did before runs were written to files. The check is still made, only
    /// with memory growing with the input again; failing the evaluation instead would refuse a
    /// log that can be checked, and skipping the check would count repeated events twice.
    spill: bool,
}

impl Default for Gathered {
    fn default() -> Self {
        Self::new(Limits::default())
    }
}

/// Sorted hashes.
#[derive(Debug)]
enum Run {
    Memory(Vec<u64>),
    File(FileRun),
}

/// Sorted hashes in a temporary file, 8 little-endian bytes each.
#[derive(Debug)]
struct FileRun {
    file: File,
    len: usize,
    /// 0 for a run written from memory, `n + 1` for a merge of runs of generation `n`.
    generation: u32,
}

impl Run {
    fn len(&self) -> usize {
        match self {
            Run::Memory(hashes) => hashes.len(),
            Run::File(run) => run.len,
        }
    }
}

impl Gathered {
    fn new(limits: Limits) -> Self {
        Self {
            runs: Vec::new(),
            pending: Vec::new(),
            limits,
            spill: true,
        }
    }

    /// Adds a hash; every `spill_at` hashes are sorted and written to a file here, on the
    /// reader's thread, where the sort runs beside the other readers instead of after them.
    fn push(&mut self, hash: u64) {
        self.pending.push(hash);
        if self.spill && self.pending.len() >= self.limits.spill_at {
            self.pending.sort_unstable();
            match write_run(self.limits.create, &self.pending) {
                Ok(file) => {
                    self.runs.push(Run::File(FileRun {
                        file,
                        len: self.pending.len(),
                        generation: 0,
                    }));
                    // Cleared, not taken: the next hashes reuse the allocation.
                    self.pending.clear();
                    self.compact();
                }
                Err(_) => {
                    self.spill = false;
                    self.runs
                        .push(Run::Memory(std::mem::take(&mut self.pending)));
                }
            }
        }
    }

    /// Sorts the pending hashes into a run, on the caller's thread.
    fn settle(&mut self) {
        if !self.pending.is_empty() {
            let mut run = std::mem::take(&mut self.pending);
            run.sort_unstable();
            run.shrink_to_fit();
            self.runs.push(Run::Memory(run));
        }
        self.bound();
    }

    /// Writes in-memory runs to files, largest first, until they hold fewer than `spill_at`
    /// hashes together: the runs of the parts of many files would add up otherwise.
    fn bound(&mut self) {
        self.runs.retain(|run| run.len() > 0);
        loop {
            let in_memory = self.runs.iter().filter(|run| matches!(run, Run::Memory(_)));
            if !self.spill || in_memory.map(Run::len).sum::<usize>() < self.limits.spill_at {
                break;
            }
            let largest = self
                .runs
                .iter()
                .enumerate()
                .filter_map(|(r, run)| match run {
                    Run::Memory(hashes) => Some((hashes.len(), r)),
                    Run::File(_) => None,
                });
            let Some((len, r)) = largest.max() else { break };
            let Some(Run::Memory(hashes)) = self.runs.get(r) else {
                break;
            };
            match write_run(self.limits.create, hashes) {
                Ok(file) => {
                    if let Some(run) = self.runs.get_mut(r) {
                        *run = Run::File(FileRun {
                            file,
                            len,
                            generation: 0,
                        });
                    }
                }
                Err(_) => self.spill = false,
            }
        }
        self.compact();
    }

    /// Merges `fan_in` file runs of one generation into one of the next, so that the number of
    /// open files grows with the logarithm of the input, not with the input.
    fn compact(&mut self) {
        let fan_in = self.limits.fan_in.max(2);
        while self.spill {
            let generation = |run: &Run| match run {
                Run::File(run) => Some(run.generation),
                Run::Memory(_) => None,
            };
            let mut generations: Vec<u32> = self.runs.iter().filter_map(generation).collect();
            generations.sort_unstable();
            let full = generations
                .chunk_by(|a, b| a == b)
                .find(|same| same.len() >= fan_in)
                .and_then(|same| same.first().copied());
            let Some(full) = full else { return };
            let (merging, kept): (Vec<Run>, Vec<Run>) = std::mem::take(&mut self.runs)
                .into_iter()
                .partition(|run| generation(run) == Some(full));
            self.runs = kept;
            match merge_to_file(self.limits.create, &merging) {
                Ok(file) => self.runs.push(Run::File(FileRun {
                    file,
                    len: merging.iter().map(Run::len).sum(),
                    generation: full + 1,
                })),
                Err(_) => {
                    // The runs are intact (a merge only reads them): keep them as they are.
                    self.spill = false;
                    self.runs.extend(merging);
                }
            }
        }
    }

    fn len(&self) -> usize {
        self.pending.len() + self.runs.iter().map(Run::len).sum::<usize>()
    }

    /// Whether some hash occurs twice, in one run or across runs; also `true` when a run cannot
    /// be read back, so that the caller reads the input again with a checking set, which finds
    /// the repeats exactly, rather than be told that there are none.
    fn repeats(&mut self) -> bool {
        self.settle();
        let found = || -> io::Result<bool> {
            let mut merged = Merge::new(&self.runs)?;
            let mut last = None;
            while let Some(hash) = merged.next()? {
                if last == Some(hash) {
                    return Ok(true);
                }
                last = Some(hash);
            }
            Ok(false)
        };
        found().unwrap_or(true)
    }
}

/// Writes sorted `hashes` to a new file from `create`.
fn write_run(create: fn() -> io::Result<File>, hashes: &[u64]) -> io::Result<File> {
    let mut hashes = hashes.iter();
    write_file(create, || Ok(hashes.next().copied()))
}

/// Merges `runs` into a new file from `create`, repeats kept.
fn merge_to_file(create: fn() -> io::Result<File>, runs: &[Run]) -> io::Result<File> {
    let mut merged = Merge::new(runs)?;
    write_file(create, || merged.next())
}

/// Writes the hashes `next` gives, until `None`, to a new file from `create`.
fn write_file(
    create: fn() -> io::Result<File>,
    mut next: impl FnMut() -> io::Result<Option<u64>>,
) -> io::Result<File> {
    let mut out = BufWriter::with_capacity(BUFFER, create()?);
    while let Some(hash) = next()? {
        out.write_all(&hash.to_le_bytes())?;
    }
    out.into_inner().map_err(io::IntoInnerError::into_error)
}

/// The hashes of several sorted runs in order, through a heap of one cursor per run: no merged
/// copy is made and no run is read whole, so equal hashes come out one after the other
/// wherever they are.
struct Merge<'r> {
    cursors: Vec<Cursor<'r>>,
    heads: BinaryHeap<Reverse<(u64, usize)>>,
}

enum Cursor<'r> {
    Memory(std::slice::Iter<'r, u64>),
    File {
        reader: BufReader<&'r File>,
        left: usize,
    },
}

impl Cursor<'_> {
    fn next(&mut self) -> io::Result<Option<u64>> {
        match self {
            Cursor::Memory(hashes) => Ok(hashes.next().copied()),
            Cursor::File { left: 0, .. } => Ok(None),
            Cursor::File { reader, left } => {
                let mut bytes = [0; 8];
                reader.read_exact(&mut bytes)?;
                *left -= 1;
                Ok(Some(u64::from_le_bytes(bytes)))
            }
        }
    }
}

impl<'r> Merge<'r> {
    fn new(runs: &'r [Run]) -> io::Result<Self> {
        let mut cursors = Vec::with_capacity(runs.len());
        for run in runs {
            cursors.push(match run {
                Run::Memory(hashes) => Cursor::Memory(hashes.iter()),
                Run::File(run) => {
                    // From the start: the file was just written, or read by an earlier merge.
                    let mut file = &run.file;
                    file.seek(SeekFrom::Start(0))?;
                    Cursor::File {
                        reader: BufReader::with_capacity(BUFFER, file),
                        left: run.len,
                    }
                }
            });
        }
        let mut heads = BinaryHeap::with_capacity(cursors.len());
        for (r, cursor) in cursors.iter_mut().enumerate() {
            if let Some(hash) = cursor.next()? {
                heads.push(Reverse((hash, r)));
            }
        }
        Ok(Self { cursors, heads })
    }

    fn next(&mut self) -> io::Result<Option<u64>> {
        let Some(mut head) = self.heads.peek_mut() else {
            return Ok(None);
        };
        let Reverse((hash, r)) = *head;
        // The run's next hash takes the place of this one: one sift instead of a pop and a push.
        match self
            .cursors
            .get_mut(r)
            .map(Cursor::next)
            .transpose()?
            .flatten()
        {
            Some(next) => *head = Reverse((next, r)),
            None => drop(PeekMut::pop(head)),
        }
        Ok(Some(hash))
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
                    .push(Run::Memory(sorted_keys(&mut self.first)));
                self.gathered = Some(Box::new(gathered));
            }
        }
        if let Some(mine) = self.gathered.as_mut() {
            later.settle();
            if let Some(theirs) = later.gathered.take() {
                mine.runs.extend(theirs.runs);
            }
            mine.runs.push(Run::Memory(sorted_keys(&mut later.first)));
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
    /// SipHash stays: at a million ids an insert costs some 100 ns, nearly all of it two cache
    /// misses in a table of tens of megabytes, and hashing a short id some 15 ns, so a faster
    /// hash would save little and would need a new argument for the collision estimate above.
    pub(crate) fn insert(&mut self, id: &str, file: u64, line: u64) -> Option<String> {
        let mut hasher = DefaultHasher::new();
        id.hash(&mut hasher);
        if let Some(g) = self.gathered.as_mut() {
            g.push(hasher.finish());
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

/// The hashes of a checking set, sorted, as a run of a gathering set.
fn sorted_keys(first: &mut HashMap<u64, u64, BuildHasherDefault<PassThrough>>) -> Vec<u64> {
    let mut keys: Vec<u64> = std::mem::take(first).into_keys().collect();
    keys.sort_unstable();
    keys
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
        gathered_with(Limits::default(), runs)
    }

    /// A gathering set of one part per item of `runs` (each part read by its own set, as by
    /// the reader of a part of a file), all with `limits`.
    fn gathered_with(limits: Limits, runs: &[&[&str]]) -> SeenIds {
        let with = || SeenIds {
            gathered: Some(Box::new(Gathered::new(limits))),
            ..SeenIds::default()
        };
        let mut all = with();
        for (n, ids) in runs.iter().enumerate() {
            let mut part = with();
            let file = part.file_number(&format!("{n}.jsonl"));
            for (line, id) in (1..).zip(ids.iter()) {
                assert_eq!(part.insert(id, file, line), None);
            }
            part.settle();
            assert_eq!(all.absorb(part), Ok(()));
        }
        all
    }

    /// Writes a run to a file every `spill_at` hashes, merging `fan_in` files into one.
    fn spilling(spill_at: usize, fan_in: usize) -> Limits {
        Limits {
            spill_at,
            fan_in,
            ..Limits::default()
        }
    }

    /// How many runs of `seen` are in files, and how many in memory.
    fn runs(seen: &SeenIds) -> (usize, usize) {
        let runs = seen.gathered.as_ref().map_or(&[][..], |g| &g.runs[..]);
        let files = runs.iter().filter(|r| matches!(r, Run::File(_))).count();
        (files, runs.len() - files)
    }

    fn ids(prefix: &str, n: usize) -> Vec<String> {
        (0..n).map(|i| format!("{prefix}{i}")).collect()
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
        assert_eq!(runs(&all), (0, 3), "small sets stay in memory");
    }

    #[test]
    fn a_repeat_within_one_written_run_is_found() {
        let mut seen = gathered_with(spilling(4, 8), &[&["a", "b", "c", "a"]]);
        assert_eq!(runs(&seen), (1, 0));
        assert_eq!(seen.len(), 4);
        assert!(seen.repeats());
        // The runs are read from their start each time.
        assert!(seen.repeats());
    }

    #[test]
    fn a_repeat_across_written_and_in_memory_runs_is_found() {
        let mut seen = gathered_with(spilling(4, 8), &[&["a", "b", "c", "d", "e"], &["f", "a"]]);
        assert_eq!(runs(&seen), (1, 2));
        assert!(seen.repeats());
        let mut seen = gathered_with(spilling(4, 8), &[&["f", "e"], &["a", "b", "c", "d", "e"]]);
        assert!(seen.repeats());
        // Absorbed by a checking set, as the readers' sets of the parts of a file are.
        let mut checking = SeenIds::new();
        let file = checking.file_number("c.jsonl");
        assert_eq!(checking.insert("zz", file, 1), None);
        let parts = gathered_with(spilling(4, 8), &[&["a", "b", "c", "d", "e"], &["zz"]]);
        assert_eq!(checking.absorb(parts), Ok(()));
        assert!(checking.repeats());
    }

    #[test]
    fn distinct_ids_in_written_runs_do_not_repeat() {
        let (a, b) = (ids("a", 22), ids("b", 9));
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        let b: Vec<&str> = b.iter().map(String::as_str).collect();
        let mut seen = gathered_with(spilling(4, 100), &[&a, &b]);
        // 5 + 2 runs written by the readers, their rests (2 + 1) kept in memory.
        assert_eq!(runs(&seen), (7, 2));
        assert_eq!(seen.len(), 31);
        assert!(!seen.repeats());
        // Parts of 3 add up to the bound: the absorbing set writes one of the two; the 4 runs
        // of the last part are written by its reader.
        let mut seen = gathered_with(spilling(4, 100), &[&a[..3], &a[3..6], &a[6..]]);
        assert_eq!(runs(&seen), (5, 1));
        assert!(!seen.repeats());
    }

    #[test]
    fn written_runs_are_merged_into_fewer_files() {
        let distinct = ids("e", 100);
        let distinct: Vec<&str> = distinct.iter().map(String::as_str).collect();
        let mut seen = gathered_with(spilling(2, 3), &[&distinct]);
        let (files, _) = runs(&seen);
        // 50 runs of 2: at most 2 of each generation are left unmerged.
        assert!(files <= 2 * 4, "{files} files");
        assert_eq!(seen.len(), 100);
        assert!(!seen.repeats());
        let mut repeated = distinct.clone();
        repeated.push("e0");
        let mut seen = gathered_with(spilling(2, 3), &[&repeated]);
        assert!(seen.repeats());
        let mut seen = gathered_with(spilling(2, 3), &[&distinct[..40], &distinct[39..]]);
        assert!(seen.repeats());
    }

    fn no_file() -> io::Result<File> {
        Err(io::Error::other("no temporary folder"))
    }

    /// A file that can be read, not written: as a full disk would do, the write fails.
    fn read_only() -> io::Result<File> {
        let named = tempfile::NamedTempFile::new()?;
        File::open(named.path())
    }

    /// A file that can be written, not read back.
    fn write_only() -> io::Result<File> {
        let named = tempfile::NamedTempFile::new()?;
        std::fs::OpenOptions::new().write(true).open(named.path())
    }

    #[test]
    fn runs_stay_in_memory_when_they_cannot_be_written() {
        for create in [no_file, read_only] {
            let limits = Limits {
                create,
                ..spilling(2, 2)
            };
            let mut seen = gathered_with(limits, &[&["a", "b", "c", "d", "e"], &["f", "g"]]);
            assert_eq!(runs(&seen).0, 0);
            assert_eq!(seen.len(), 7);
            assert!(!seen.repeats());
            let mut seen = gathered_with(limits, &[&["a", "b", "c", "d", "e"], &["f", "a"]]);
            assert!(seen.repeats());
        }
    }

    #[test]
    fn runs_that_cannot_be_read_back_ask_for_the_exact_check() {
        let limits = Limits {
            create: write_only,
            ..spilling(2, 8)
        };
        let mut seen = gathered_with(limits, &[&["a", "b", "c"]]);
        assert_eq!(runs(&seen), (1, 1));
        assert!(seen.repeats());
    }

    proptest::proptest! {
        /// Against a reference: a gathering set split into any parts, keeping its hashes in
        /// memory or writing runs of any size to files, repeats exactly when the ids are not
        /// all distinct.
        #[test]
        fn gathering_agrees_with_a_set(
            ids in proptest::collection::vec(0_u16..300, 0..60),
            cuts in proptest::collection::vec(0_usize..60, 0..4),
            spill_at in proptest::prop_oneof![1_usize..6, proptest::strategy::Just(SPILL_AT)],
            fan_in in 2_usize..5,
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
            let mut seen = gathered_with(spilling(spill_at, fan_in), &runs);
            proptest::prop_assert_eq!(seen.len(), texts.len());
            proptest::prop_assert_eq!(seen.repeats(), distinct < texts.len());
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
