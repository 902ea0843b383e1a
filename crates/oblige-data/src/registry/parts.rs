//! A large registry file read in parts on several threads: split at record boundaries as the
//! event logs are ([`crate::events::split`]), each part typed by a reader of its own, the units
//! joined in file order. Only a file without errors is read this way: at the first error, or
//! when a CSV part may not end where a record does (a quote the split misread), the caller
//! reads the file again with one reader, whose errors and lines are the ones to report.

use super::{checked, csv, jsonl, Units};
use crate::events::{split, Chunk, Split};
use crate::format::Format;
use crate::types::{Registry, Unit};
use oblige_check::model::Plan;
use std::fs::File;
use std::io::{BufReader, Cursor, Read, Seek, SeekFrom};
use std::path::Path;

/// Below this size a registry is read by one reader: splitting would cost more than it saves.
const MIN_SPLIT_BYTES: u64 = 1 << 20;

/// The registry of the file at `path` (named `file`), read on up to `threads` threads; `None`
/// if it is small, cannot be split, or is not read without errors.
pub(super) fn read(
    path: &Path,
    format: Format,
    file: &str,
    plan: &Plan,
    threads: usize,
) -> Option<Registry> {
    read_from(path, (format, file), plan, (threads, MIN_SPLIT_BYTES))
}

/// [`read`] for a file of at least `min_bytes`.
pub(super) fn read_from(
    path: &Path,
    (format, file): (Format, &str),
    plan: &Plan,
    (threads, min_bytes): (usize, u64),
) -> Option<Registry> {
    let size = std::fs::metadata(path).ok()?.len();
    if threads < 2 || size < min_bytes {
        return None;
    }
    let split = split(path, format, threads).ok()?;
    if split.chunks.len() < 2 {
        return None;
    }
    let part = |i: usize| read_part(path, (format, file), plan, &split, i);
    let parts: Vec<Option<Vec<Unit>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..split.chunks.len())
            .map(|i| scope.spawn(move || part(i)))
            .collect();
        (handles.into_iter())
            .map(|h| h.join().ok().flatten())
            .collect()
    });
    let units = join(parts)?;
    checked(plan, units, threads).ok()
}

/// The parts' units in file order, if every part was read.
fn join(parts: Vec<Option<Vec<Unit>>>) -> Option<Vec<Unit>> {
    let parts: Vec<Vec<Unit>> = parts.into_iter().collect::<Option<_>>()?;
    let total: usize = parts.iter().map(Vec::len).sum();
    let mut parts = parts.into_iter();
    // The first part's list grows to hold them all: a large allocation grows in place, where a
    // new list would copy every unit once more.
    let mut units = parts.next().unwrap_or_default();
    units.reserve_exact(total - units.len());
    for part in parts {
        units.extend(part);
    }
    Some(units)
}

/// The units of part `i` of `split`, read as the whole file's reader reads them: for CSV with
/// the header line before the part's bytes. `None` at any error.
fn read_part(
    path: &Path,
    (format, file): (Format, &str),
    plan: &Plan,
    split: &Split,
    i: usize,
) -> Option<Vec<Unit>> {
    let chunk = *split.chunks.get(i)?;
    let mut input = File::open(path).ok()?;
    let mut header = vec![0_u8; usize::try_from(split.header_end).ok()?];
    input.read_exact(&mut header).ok()?;
    input.seek(SeekFrom::Start(chunk.start)).ok()?;
    let bytes = Cursor::new(header).chain(input.take(chunk.end - chunk.start));
    let mut units = Units::with_capacity(plan, file, records(split, i));
    let mut errors = Vec::new();
    let complete = match format {
        // The CSV reader keeps a buffer of its own.
        Format::Csv => !csv::read(bytes, &mut units, &mut errors).ok()?,
        Format::JsonLines => {
            let bytes = BufReader::with_capacity(1 << 16, bytes);
            jsonl::read(bytes, chunk.first_line, &mut units, &mut errors).ok()?;
            true
        }
    };
    (complete && errors.is_empty()).then_some(units.units)
}

/// About how many records part `i` holds: its lines, or for the last part, whose lines were
/// not counted, as many per byte as in the parts before it.
fn records(split: &Split, i: usize) -> usize {
    let lines = |c: &Chunk, next: &Chunk| next.first_line.saturating_sub(c.first_line);
    let (Some(chunk), Some(first)) = (split.chunks.get(i), split.chunks.first()) else {
        return 0;
    };
    let estimate = match split.chunks.get(i + 1) {
        Some(next) => lines(chunk, next),
        None => {
            let before = u128::from(lines(first, chunk));
            let bytes_before = u128::from(chunk.start - first.start).max(1);
            let bytes = u128::from(chunk.end - chunk.start);
            u64::try_from(before * bytes / bytes_before).unwrap_or(0)
        }
    };
    usize::try_from(estimate).unwrap_or(0)
}
