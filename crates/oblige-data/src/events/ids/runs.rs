//! Sorted runs of hashes, in memory or in temporary files, and their merge as one stream.

use std::cmp::Reverse;
use std::collections::binary_heap::PeekMut;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};

/// The read buffer of each file run in a merge; the write buffer of a run being written.
pub(super) const BUFFER: usize = 16 << 10;
/// Sorted hashes.
#[derive(Debug)]
pub(super) enum Run {
    Memory(Vec<u64>),
    File(FileRun),
}

/// Sorted hashes in a temporary file, 8 little-endian bytes each.
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

/// Writes sorted `hashes` to a new file from `create`.
pub(super) fn write_run(create: fn() -> io::Result<File>, hashes: &[u64]) -> io::Result<File> {
    let mut hashes = hashes.iter();
    write_file(create, || Ok(hashes.next().copied()))
}

/// Merges `runs` into a new file from `create`, repeats kept.
pub(super) fn merge_to_file(create: fn() -> io::Result<File>, runs: &[Run]) -> io::Result<File> {
    let mut merged = Merge::new(runs)?;
    write_file(create, || merged.next())
}

/// Writes the hashes `next` gives, until `None`, to a new file from `create`.
pub(super) fn write_file(
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
pub(super) struct Merge<'r> {
    pub(super) cursors: Vec<Cursor<'r>>,
    pub(super) heads: BinaryHeap<Reverse<(u64, usize)>>,
}

pub(super) enum Cursor<'r> {
    Memory(std::slice::Iter<'r, u64>),
    File {
        reader: BufReader<&'r File>,
        left: usize,
    },
}

impl Cursor<'_> {
    pub(super) fn next(&mut self) -> io::Result<Option<u64>> {
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
    pub(super) fn new(runs: &'r [Run]) -> io::Result<Self> {
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

    pub(super) fn next(&mut self) -> io::Result<Option<u64>> {
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
