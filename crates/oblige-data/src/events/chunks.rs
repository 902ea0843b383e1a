//! Splitting a log file into parts that separate readers can read at the same time.
//!
//! Parts end at record boundaries (a newline outside CSV quotes), so each part parses exactly
//! as it would inside the whole file, and each knows the line it starts on, so ids of events
//! without one (`file:line`) and error locations are the same as with a single reader.

use crate::format::Format;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// One part of a file: the bytes `start..end`, starting on line `first_line` (1-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chunk {
    /// First byte.
    pub start: u64,
    /// One past the last byte.
    pub end: u64,
    /// Line number of the first byte in the whole file.
    pub first_line: u64,
}

/// A file split into parts; for CSV, `header_end` is where the header line ends (every part
/// but the first is read with the header before it), 0 for JSON Lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Split {
    /// Bytes `0..header_end` are the CSV header line, read by every part.
    pub header_end: u64,
    /// The parts, in file order, covering the file after the header.
    pub chunks: Vec<Chunk>,
}

/// Newlines and quote characters of a byte range.
#[derive(Clone, Copy, Debug, Default)]
struct Counts {
    newlines: u64,
    quotes: u64,
}

const BLOCK: usize = 1 << 16;

/// Splits `path` into at most `parts` parts of about equal size, counting lines with one
/// thread per part. A small file, or one without a newline, gives one part.
pub fn split(path: &Path, format: Format, parts: usize) -> std::io::Result<Split> {
    split_with(path, format, parts, true)
}

/// [`split`] for JSON Lines without reading the file through: each part but the first starts
/// after the first newline at or past its guess. Only the first part knows the line it starts
/// on (1); the others' `first_line` is 0, unknown, and a reader of such a part numbers its
/// lines from the part's start. That is right for everything but line numbers themselves: the
/// errors and skipped lines of the part, and the ids made of them
/// ([`crate::EventReader::made_ids`]); a caller that meets one reads the file again with
/// [`split`]. Counting the lines before each part reads the whole file once more, about a tenth
/// of the time of reading it.
pub fn split_uncounted(path: &Path, parts: usize) -> std::io::Result<Split> {
    split_with(path, Format::JsonLines, parts, false)
}

/// [`split`], or [`split_uncounted`] unless `counted`.
fn split_with(path: &Path, format: Format, parts: usize, counted: bool) -> std::io::Result<Split> {
    let len = std::fs::metadata(path)?.len();
    let header_end = match format {
        Format::Csv => header_end(path)?,
        Format::JsonLines => 0,
    };
    let parts = u64::try_from(parts.max(1)).unwrap_or(1);
    let body = len.saturating_sub(header_end);
    let guesses: Vec<u64> = (0..parts).map(|i| header_end + body * i / parts).collect();
    let quoted = format == Format::Csv;
    let counts = if counted {
        count_ranges(path, &guesses, len, quoted)?
    } else {
        vec![Counts::default(); guesses.len()]
    };
    let mut chunks: Vec<Chunk> = Vec::with_capacity(guesses.len());
    let mut before = Counts {
        newlines: u64::from(header_end > 0),
        quotes: 0,
    };
    for (i, &guess) in guesses.iter().enumerate() {
        let start = if i == 0 {
            Some((header_end, before))
        } else {
            next_boundary(path, guess, before, quoted, len)?
        };
        if let Some((start, at)) = start {
            if chunks.last().is_none_or(|c| c.start < start) && start < len.max(header_end + 1) {
                chunks.push(Chunk {
                    start,
                    end: len,
                    first_line: if counted || i == 0 {
                        at.newlines + 1
                    } else {
                        0
                    },
                });
            }
        }
        before.newlines += counts[i].newlines;
        before.quotes += counts[i].quotes;
    }
    close_ends(&mut chunks);
    Ok(Split { header_end, chunks })
}

/// Ends each part where the next starts.
fn close_ends(chunks: &mut [Chunk]) {
    for i in 1..chunks.len() {
        let next_start = chunks[i].start;
        chunks[i - 1].end = next_start;
    }
}

/// Where the CSV header line ends (just after its newline, quotes respected), or the file's
/// length if it has a single line.
fn header_end(path: &Path) -> std::io::Result<u64> {
    let len = std::fs::metadata(path)?.len();
    Ok(next_boundary(path, 0, Counts::default(), true, len)?.map_or(len, |(at, _)| at))
}

/// Counts newlines (and quotes, if `quoted`) of `guesses[i]..guesses[i + 1]` (the last up to
/// `len`), one thread per range.
fn count_ranges(
    path: &Path,
    guesses: &[u64],
    len: u64,
    quoted: bool,
) -> std::io::Result<Vec<Counts>> {
    std::thread::scope(|scope| {
        let handles: Vec<_> = guesses
            .iter()
            .enumerate()
            .map(|(i, &start)| {
                let end = guesses.get(i + 1).copied().unwrap_or(len);
                scope.spawn(move || count_range(path, start, end, quoted))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(std::io::Error::other("count failed")))
            })
            .collect()
    })
}

/// Counts newlines, and quotes if `quoted` (JSON Lines never needs them).
fn count_range(path: &Path, start: u64, end: u64, quoted: bool) -> std::io::Result<Counts> {
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(start))?;
    let mut input = file.take(end.saturating_sub(start));
    let mut buf = vec![0_u8; BLOCK];
    let mut counts = Counts::default();
    loop {
        let n = input.read(&mut buf)?;
        let Some(bytes) = buf.get(..n).filter(|b| !b.is_empty()) else {
            return Ok(counts);
        };
        counts.newlines += count_byte(bytes, b'\n');
        if quoted {
            counts.quotes += count_byte(bytes, b'"');
        }
    }
}

fn count_byte(bytes: &[u8], byte: u8) -> u64 {
    u64::try_from(bytecount::count(bytes, byte)).unwrap_or(u64::MAX)
}

/// The first record boundary at or after `from` (the byte after a newline with an even number
/// of quotes before it, when `quoted`), with the counts before it; `None` if there is none
/// before the end. `before` holds the counts of `0..from`.
fn next_boundary(
    path: &Path,
    from: u64,
    before: Counts,
    quoted: bool,
    len: u64,
) -> std::io::Result<Option<(u64, Counts)>> {
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(from))?;
    let mut at = before;
    let mut offset = from;
    let mut buf = vec![0_u8; 1 << 16];
    while offset < len {
        let n = file.read(&mut buf)?;
        let Some(bytes) = buf.get(..n).filter(|b| !b.is_empty()) else {
            break;
        };
        for &b in bytes {
            offset += 1;
            match b {
                b'"' => at.quotes += 1,
                b'\n' => {
                    at.newlines += 1;
                    if !quoted || at.quotes & 1 == 0 {
                        return Ok(Some((offset, at)));
                    }
                }
                _ => {}
            }
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A file holding `text`, removed when the test ends.
    fn file_with(name: &str, text: &str) -> tempfile::TempPath {
        let mut f = tempfile::Builder::new()
            .prefix("oblige-chunks-")
            .suffix(name)
            .tempfile()
            .unwrap();
        f.write_all(text.as_bytes()).unwrap();
        f.into_temp_path()
    }

    fn parts(path: &Path, text: &str, split: &Split) -> Vec<(String, u64)> {
        split
            .chunks
            .iter()
            .map(|c| {
                let s = usize::try_from(c.start).unwrap();
                let e = usize::try_from(c.end).unwrap();
                let _ = path;
                (text[s..e].to_owned(), c.first_line)
            })
            .collect()
    }

    #[test]
    fn json_lines_split_at_newlines_with_their_line_numbers() {
        let text = "a\nbb\nccc\ndddd\neeeee\n";
        let path = file_with("j.jsonl", text);
        let split = split(&path, Format::JsonLines, 3).unwrap();
        let got = parts(&path, text, &split);
        assert_eq!(got.concat_text(), text);
        for (part, line) in &got {
            let first = part.lines().next().unwrap();
            let expected = text.lines().position(|l| l == first).unwrap() + 1;
            assert_eq!(*line, u64::try_from(expected).unwrap());
        }
        assert!(got.len() > 1);
    }

    /// Parts read without counting lines cover the file, each starting a line; only the first
    /// knows its line number.
    #[test]
    fn json_lines_split_uncounted_at_newlines() {
        let text = "a\nbb\nccc\ndddd\neeeee\nf\n";
        let path = file_with("u.jsonl", text);
        for n in 1..9 {
            let split = split_uncounted(&path, n).unwrap();
            let got = parts(&path, text, &split);
            assert_eq!(got.concat_text(), text);
            assert!(got.len() <= n);
            for (i, (part, line)) in got.iter().enumerate() {
                let starts_a_line = text[..text.find(part.as_str()).unwrap()].ends_with('\n');
                assert!(i == 0 || starts_a_line, "{part:?}");
                assert_eq!(*line, u64::from(i == 0), "{part:?}");
            }
        }
        assert!(parts(&path, text, &split_uncounted(&path, 3).unwrap()).len() > 1);
    }

    #[test]
    fn csv_parts_never_start_inside_quotes() {
        let text = "id,note\n1,\"x\ny\nz\"\n2,plain\n3,\"q\"\"\nq\"\n4,last\n";
        let path = file_with("c.csv", text);
        for n in 1..8 {
            let split = split(&path, Format::Csv, n).unwrap();
            assert_eq!(split.header_end, 8);
            let got = parts(&path, text, &split);
            assert_eq!(format!("id,note\n{}", got.concat_text()), text);
            for (part, line) in &got {
                assert!(
                    ["1,", "2,", "3,", "4,"].iter().any(|p| part.starts_with(p)),
                    "{part:?}"
                );
                let before = &text[..text.find(part.as_str()).unwrap()];
                assert_eq!(
                    *line,
                    u64::try_from(before.matches('\n').count() + 1).unwrap()
                );
            }
        }
    }

    #[test]
    fn tiny_and_empty_files_give_one_part_or_none() {
        let path = file_with("t.jsonl", "{}");
        let split = split(&path, Format::JsonLines, 4).unwrap();
        assert_eq!(
            split.chunks,
            [Chunk {
                start: 0,
                end: 2,
                first_line: 1
            }]
        );
        let path = file_with("e.jsonl", "");
        assert!(split_len(&path) <= 1);
    }

    fn split_len(path: &Path) -> usize {
        split(path, Format::JsonLines, 4).unwrap().chunks.len()
    }

    trait Concat {
        fn concat_text(&self) -> String;
    }

    impl Concat for Vec<(String, u64)> {
        fn concat_text(&self) -> String {
            self.iter().map(|(p, _)| p.as_str()).collect()
        }
    }
}
