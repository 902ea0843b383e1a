//! Checks of the set of seen ids, gathering and spilling included.

use std::fs::File;
use std::io;

use super::gathered::{Limits, SPILL_AT};
use super::runs::{self, Run};
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

/// The slices of `hashes` in order, each sorted: what grouping must keep.
fn by_slice(hashes: &[u64]) -> Vec<(usize, u64)> {
    let mut keyed: Vec<(usize, u64)> = hashes.iter().map(|&h| (runs::slice_of(h), h)).collect();
    keyed.sort_unstable();
    keyed
}

/// Whether `hashes` come slice after slice.
fn is_grouped(hashes: &[u64]) -> bool {
    hashes
        .windows(2)
        .all(|w| runs::slice_of(w[0]) <= runs::slice_of(w[1]))
}

proptest::proptest! {
    /// Grouping keeps every hash, repeats included, and puts the slices in order; merging
    /// grouped runs, from memory or files, does the same for their union.
    #[test]
    fn grouping_and_merging_keep_every_hash_slice_by_slice(
        parts in proptest::collection::vec(
            proptest::collection::vec(
                proptest::prop_oneof![proptest::num::u64::ANY, 0_u64..4, (u64::MAX - 3)..=u64::MAX],
                0..50,
            ),
            0..4,
        ),
    ) {
        let all: Vec<u64> = parts.concat();
        let mut runs = Vec::new();
        for (n, part) in parts.iter().enumerate() {
            let grouped = runs::grouped(part.clone());
            proptest::prop_assert!(is_grouped(&grouped));
            proptest::prop_assert_eq!(by_slice(&grouped), by_slice(part));
            runs.push(if n % 2 == 0 {
                Run::Memory(grouped)
            } else {
                let file = runs::write_run(tempfile::tempfile, &grouped).map_err(|e| {
                    proptest::test_runner::TestCaseError::fail(e.to_string())
                })?;
                Run::File(runs::FileRun { file, len: part.len(), generation: 0 })
            });
        }
        let merged = runs::merge_to_file(tempfile::tempfile, &runs)
            .map_err(|e| proptest::test_runner::TestCaseError::fail(e.to_string()))?;
        let read = Run::File(runs::FileRun { file: merged, len: all.len(), generation: 1 });
        let mut back = Vec::new();
        let mut slices = runs::Slices::new(std::slice::from_ref(&read))
            .map_err(|e| proptest::test_runner::TestCaseError::fail(e.to_string()))?;
        for slice in 0..runs::SLICES {
            slices.read(slice, |h| back.push(h))
                .map_err(|e| proptest::test_runner::TestCaseError::fail(e.to_string()))?;
        }
        proptest::prop_assert!(is_grouped(&back));
        proptest::prop_assert_eq!(by_slice(&back), by_slice(&all));
    }
}
