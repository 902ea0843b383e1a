//! The hashes a gathering set collects: runs grouped by slice, written to temporary files as
//! they grow.

use std::collections::HashSet;
use std::fs::File;
use std::hash::BuildHasherDefault;
use std::io;

use super::runs::{group, grouped, merge_to_file, write_run, FileRun, Run, Slices, SLICES};
use super::PassThrough;

/// How many hashes a gathering set holds in memory before it groups them (in place) and writes
/// them to a temporary file: 128 Ki hashes, 1 MiB, per reader, plus less than as much in the
/// runs of readers that finished. Larger would save little time, as every hash is written and
/// read once whatever the size of the runs, and would cost memory in every reader; smaller
/// makes more files, each read at the end through its own buffer, and sooner a merge of
/// `FAN_IN` of them.
pub(super) const SPILL_AT: usize = 1 << 17;

/// How many file runs of one generation a set keeps before merging them into one of the next
/// generation: a set then keeps fewer than `FAN_IN` open files per generation, 254 for up to
/// 4 Gi ids, where a file per run would reach the usual limit of 1 024 open files at 256 Mi
/// ids. A merge goes through a heap, some 30 ns a hash: the first comes at 32 Mi ids.
pub(super) const FAN_IN: usize = 128;

/// When a gathering set writes its hashes to files, and where.
#[derive(Clone, Copy, Debug)]
pub(super) struct Limits {
    pub(super) spill_at: usize,
    pub(super) fan_in: usize,
    /// Makes the file of a run: [`tempfile::tempfile`], an unnamed file that the system removes
    /// when it is closed, even if the process is killed; tests put failing files here.
    pub(super) create: fn() -> io::Result<File>,
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

/// Hashes gathered without a check: runs grouped by slice (in memory or in temporary files, in
/// no particular order) and the hashes of the reader still going, in reading order.
#[derive(Debug)]
pub(super) struct Gathered {
    pub(super) runs: Vec<Run>,
    pub(super) pending: Vec<u64>,
    pub(super) limits: Limits,
    /// Cleared once a run could not be written (no temporary folder, disk full): runs then stay
    /// in memory, as they did before runs were written to files. The check is still made, only
    /// with memory growing with the input again; failing the evaluation instead would refuse a
    /// log that can be checked, and skipping the check would count repeated events twice.
    pub(super) spill: bool,
}

impl Default for Gathered {
    fn default() -> Self {
        Self::new(Limits::default())
    }
}

impl Gathered {
    pub(super) fn new(limits: Limits) -> Self {
        Self {
            runs: Vec::new(),
            pending: Vec::new(),
            limits,
            spill: true,
        }
    }

    /// Adds a hash; every `spill_at` hashes are grouped and written to a file here, on the
    /// reader's thread, beside the other readers instead of after them.
    pub(super) fn push(&mut self, hash: u64) {
        self.pending.push(hash);
        if self.spill && self.pending.len() >= self.limits.spill_at {
            group(&mut self.pending);
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

    /// Groups the pending hashes into a run, on the caller's thread.
    pub(super) fn settle(&mut self) {
        if !self.pending.is_empty() {
            self.runs
                .push(Run::Memory(grouped(std::mem::take(&mut self.pending))));
        }
        self.bound();
    }

    /// Writes in-memory runs to files, largest first, until they hold fewer than `spill_at`
    /// hashes together: the runs of the parts of many files would add up otherwise.
    pub(super) fn bound(&mut self) {
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
    pub(super) fn compact(&mut self) {
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

    pub(super) fn len(&self) -> usize {
        self.pending.len() + self.runs.iter().map(Run::len).sum::<usize>()
    }

    /// Whether some hash occurs twice, in one run or across runs; also `true` when a run cannot
    /// be read back, so that the caller reads the input again with a checking set, which finds
    /// the repeats exactly, rather than be told that there are none.
    ///
    /// The hashes are put in a table one slice at a time: a slice's table stays in the cache,
    /// where a merge of all runs through a heap took some 30 ns a hash, on one core, between
    /// the end of reading and the start of the report.
    pub(super) fn repeats(&mut self) -> bool {
        self.settle();
        let found = || -> io::Result<bool> {
            let mut slices = Slices::new(&self.runs)?;
            let mut seen: HashSet<u64, BuildHasherDefault<PassThrough>> =
                HashSet::with_capacity_and_hasher(self.len() / SLICES * 5 / 4, Default::default());
            for slice in 0..SLICES {
                seen.clear();
                let mut repeated = false;
                slices.read(slice, |hash| repeated |= !seen.insert(hash))?;
                if repeated {
                    return Ok(true);
                }
            }
            Ok(false)
        };
        found().unwrap_or(true)
    }
}
