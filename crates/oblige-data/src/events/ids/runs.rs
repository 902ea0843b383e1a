//! Runs of hashes grouped by slice, in memory or in temporary files, read slice by slice.
//!
//! A slice is the set of hashes that share their top `SLICE_BITS` bits. A run holds its hashes
//! slice after slice, in any order within a slice: grouping is one counting pass where a sort
//! took some 20 ns a hash, and it is all the check needs, as it looks for repeats one slice at
//! a time in a table small enough for the cache.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};

/// The read buffer of each file run being read; the write buffer of a run being written.
pub(super) const BUFFER: usize = 16 << 10;

/// 1 024 slices: the slice of 20 M hashes (156 KiB) fits in the cache.
const SLICE_BITS: u32 = 10;
/// How many slices.
pub(super) const SLICES: usize = 1 << SLICE_BITS;

/// The slice of `hash`.
pub(super) fn slice_of(hash: u64) -> usize {
    usize::try_from(hash >> (u64::BITS - SLICE_BITS)).unwrap_or(0)
}

/// Hashes grouped by slice.
#[derive(Debug)]
pub(super) enum Run {
    Memory(Vec<u64>),
    File(FileRun),
}

/// Hashes grouped by slice in a temporary file, 8 little-endian bytes each.
#[derive(Debug)]
pub(super) struct FileRun {
    pub(super) file: File,
    pub(super) len: usize,
    /// 0 for a run written from memory, `n + 1` for a merge of runs of generation `n`.
    pub(super) generation: u32,
}

impl Run {
    pub(super) fn len(&self) -> usize {
        match self {
            Run::Memory(hashes) => hashes.len(),
            Run::File(run) => run.len,
        }
    }
}

/// Groups `hashes` by slice in place: a count per slice, then each hash swapped into the next
/// free place of its slice (one pass of an American flag sort), with no second buffer the size
/// of the hashes.
pub(super) fn group(hashes: &mut [u64]) {
    let mut next = vec![0_usize; SLICES];
    for &hash in hashes.iter() {
        if let Some(count) = next.get_mut(slice_of(hash)) {
            *count += 1;
        }
    }
    let mut ends = Vec::with_capacity(SLICES);
    let mut start = 0;
    for place in &mut next {
        let count = *place;
        *place = start;
        start += count;
        ends.push(start);
    }
    for (slice, &end) in ends.iter().enumerate() {
        // Every slice before this one is full, so a hash found here that is not of this
        // slice belongs to a later one, which still has room.
        while let Some(&place) = next.get(slice).filter(|&&place| place < end) {
            let Some(&hash) = hashes.get(place) else {
                break;
            };
            let home = slice_of(hash);
            let Some(target) = next.get_mut(home) else {
                break;
            };
            if home != slice {
                hashes.swap(place, *target);
            }
            *target += 1;
        }
    }
}

/// `hashes` grouped by slice, as a run kept in memory.
pub(super) fn grouped(mut hashes: Vec<u64>) -> Vec<u64> {
    group(&mut hashes);
    hashes
}

/// Writes grouped `hashes` to a new file from `create`.
pub(super) fn write_run(create: fn() -> io::Result<File>, hashes: &[u64]) -> io::Result<File> {
    let mut out = writer(create)?;
    for hash in hashes {
        out.write_all(&hash.to_le_bytes())?;
    }
    finish(out)
}

/// Merges `runs` into a new file from `create`, slice by slice, repeats kept.
pub(super) fn merge_to_file(create: fn() -> io::Result<File>, runs: &[Run]) -> io::Result<File> {
    let mut out = writer(create)?;
    let mut slices = Slices::new(runs)?;
    for slice in 0..SLICES {
        let mut written = Ok(());
        slices.read(slice, |hash| {
            if written.is_ok() {
                written = out.write_all(&hash.to_le_bytes());
            }
        })?;
        written?;
    }
    finish(out)
}

fn writer(create: fn() -> io::Result<File>) -> io::Result<BufWriter<File>> {
    Ok(BufWriter::with_capacity(BUFFER, create()?))
}

fn finish(out: BufWriter<File>) -> io::Result<File> {
    out.into_inner().map_err(io::IntoInnerError::into_error)
}

/// Runs read slice by slice: each run's next slice is read in turn, so every run is read once,
/// as a stream, and no merged copy is made.
pub(super) struct Slices<'r> {
    heads: Vec<(Cursor<'r>, Option<u64>)>,
}

impl<'r> Slices<'r> {
    pub(super) fn new(runs: &'r [Run]) -> io::Result<Self> {
        let mut heads = Vec::with_capacity(runs.len());
        for run in runs {
            let mut cursor = Cursor::new(run)?;
            let head = cursor.next()?;
            heads.push((cursor, head));
        }
        Ok(Self { heads })
    }

    /// Hands every hash of `slice`, from every run, to `each`; slices are read in order.
    pub(super) fn read(&mut self, slice: usize, mut each: impl FnMut(u64)) -> io::Result<()> {
        for (cursor, head) in &mut self.heads {
            while let Some(hash) = head.filter(|&h| slice_of(h) == slice) {
                each(hash);
                *head = cursor.next()?;
            }
        }
        Ok(())
    }
}

enum Cursor<'r> {
    Memory(std::slice::Iter<'r, u64>),
    File {
        reader: BufReader<&'r File>,
        left: usize,
    },
}

impl<'r> Cursor<'r> {
    fn new(run: &'r Run) -> io::Result<Self> {
        Ok(match run {
            Run::Memory(hashes) => Cursor::Memory(hashes.iter()),
            Run::File(run) => {
                // From the start: the file was just written, or read by an earlier check.
                let mut file = &run.file;
                file.seek(SeekFrom::Start(0))?;
                Cursor::File {
                    reader: BufReader::with_capacity(BUFFER, file),
                    left: run.len,
                }
            }
        })
    }

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
