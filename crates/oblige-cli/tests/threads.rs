//! Reading a log with several threads gives the report one reader gives, byte for byte.
#![expect(
    clippy::unwrap_used,
    reason = "helpers of a test: a broken set-up should stop it at once"
)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn oblige(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_oblige"))
        .current_dir(root())
        .args(args)
        .output()
        .unwrap()
}

fn report(units: &Path, events: &Path, threads: &str) -> Vec<u8> {
    report_with(units, events, &["--threads", threads])
}

fn report_with(units: &Path, events: &Path, extra: &[&str]) -> Vec<u8> {
    succeeded(eval(units, events, extra)).stdout
}

/// `out`, once it is known to be a success (its error output otherwise).
fn succeeded(out: std::process::Output) -> std::process::Output {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn eval(units: &Path, events: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "eval",
        "--plan",
        "seeds/xianning-2023",
        "--units",
        units.to_str().unwrap(),
        "--events",
        events.to_str().unwrap(),
        "--format",
        "json",
        "--fail-on",
        "never",
    ];
    args.extend(extra);
    oblige(&args)
}

/// Generates a log of `events` events over 2 000 units into `dir`.
fn generate(dir: &Path, events: &str, ext: &str) -> (PathBuf, PathBuf) {
    let units = dir.join("units.csv");
    let log = dir.join(format!("events.{ext}"));
    succeeded(oblige(&[
        "gen",
        "--events",
        events,
        "--units",
        "2000",
        "--units-out",
        units.to_str().unwrap(),
        "--events-out",
        log.to_str().unwrap(),
    ]));
    (units, log)
}

#[test]
fn one_and_several_threads_give_identical_reports() {
    let dir = std::env::temp_dir().join(format!("oblige-threads-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for ext in ["jsonl", "csv"] {
        // Large enough to be split (files under 4 MiB are read by one reader).
        let (units, events) = generate(&dir, "40000", ext);
        assert!(std::fs::metadata(&events).unwrap().len() > 4 << 20);
        let one = report(&units, &events, "1");
        assert_eq!(one, report(&units, &events, "2"), "{ext}, 2 threads");
        assert_eq!(one, report(&units, &events, "3"), "{ext}, 3 threads");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Ids are gathered while reading and checked at the end; a repeat found then makes the log be
/// read again, checking each id, so errors and skipped lines are those of a single reader.
#[test]
fn a_repeated_id_in_another_part_is_found_and_named_once() {
    let dir = std::env::temp_dir().join(format!("oblige-dup-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (units, events) = generate(&dir, "40000", "jsonl");
    let text = std::fs::read_to_string(&events).unwrap();
    let first = text.lines().next().unwrap().to_owned();
    // The first line again at the very end: far from the first, in the last part.
    let repeated = dir.join("repeated.jsonl");
    std::fs::write(&repeated, format!("{text}{first}\n")).unwrap();
    let line = text.lines().count() + 1;
    let expected = format!("repeated.jsonl:{line}: field `id`: duplicate event id");
    for threads in ["1", "2"] {
        let out = eval(&units, &repeated, &["--threads", threads]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert_eq!(stderr.matches(&expected).count(), 1, "{stderr}");
        assert!(stderr.contains("(first at "), "{stderr}");
        assert!(stderr.contains("repeated.jsonl:1)"), "{stderr}");
    }
    let lenient = |threads| report_with(&units, &repeated, &["--threads", threads, "--lenient"]);
    let one = String::from_utf8(lenient("1")).unwrap();
    assert!(one == String::from_utf8(lenient("2")).unwrap());
    assert!(
        one.contains(r#""events_read":40000,"#),
        "the repeat is skipped"
    );
    assert!(one.contains(r#""skipped_lines":1}"#));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The splitter keeps CSV parts out of quoted cells by counting quotes, which a quote inside an
/// unquoted cell (`g1"2`) throws off: here the split falls inside a quoted id that spans two
/// lines. The parts then read lines one reader would not, and the file is read again whole.
#[test]
fn a_csv_split_misled_by_a_stray_quote_reads_as_one_reader_does() {
    let dir = tempfile::tempdir().unwrap();
    let (units, events) = generate(dir.path(), "40000", "csv");
    let text = std::fs::read_to_string(&events).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    // A stray quote early on, in an id: a literal quote to a CSV reader.
    lines[10] = lines[10].replacen(',', "\"x,", 1);
    // The record at the middle of the file gets an id quoted over two lines, the line break
    // after the middle.
    let middle = text.len() / 2;
    let mut at = 0;
    let record = lines
        .iter()
        .position(|line| {
            at += line.len() + 1;
            at > middle
        })
        .unwrap();
    let (id, rest) = lines[record].split_once(',').unwrap();
    let (id, rest) = (id.to_owned(), rest.to_owned());
    lines[record] = format!("\"{id}{}\nx\",{rest}", "y".repeat(1000));
    let misled = dir.path().join("misled.csv");
    std::fs::write(&misled, lines.join("\n") + "\n").unwrap();
    let one = report(&units, &misled, "1");
    let one_text = String::from_utf8_lossy(&one);
    assert!(
        one_text.contains(r#""events_read":40000,"#),
        "one record over two lines"
    );
    assert_eq!(one, report(&units, &misled, "2"));
}

/// JSON Lines parts are read without counting the lines before them. Lines whose numbers show
/// (events without an id, whose id is `file:line`; errors; skipped lines) past the first part
/// make the file be read again, counted, so that they carry the numbers one reader gives.
#[test]
fn json_lines_that_show_their_numbers_read_as_one_reader_reads_them() {
    let dir = tempfile::tempdir().unwrap();
    let (units, events) = generate(dir.path(), "40000", "jsonl");
    let text = std::fs::read_to_string(&events).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let middle = lines.len() / 2;
    let without_ids: Vec<String> = (lines.iter().enumerate())
        .map(|(n, line)| match line.split_once(r#""id":""#) {
            Some((head, tail)) if n > middle => {
                let rest = tail.split_once(r#"","#).unwrap().1;
                format!("{head}{rest}")
            }
            _ => (*line).to_owned(),
        })
        .collect();
    let no_ids = dir.path().join("no-ids.jsonl");
    std::fs::write(&no_ids, without_ids.join("\n") + "\n").unwrap();
    let one = report(&units, &no_ids, "1");
    assert!(
        String::from_utf8_lossy(&one).contains("no-ids.jsonl:"),
        "ids of lines"
    );
    // Not `assert_eq!`: the reports are megabytes.
    assert!(one == report(&units, &no_ids, "2"), "events without ids");

    let mut broken: Vec<&str> = lines.clone();
    broken[lines.len() * 3 / 4] = "{not json";
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(&bad, broken.join("\n") + "\n").unwrap();
    let at = format!("bad.jsonl:{}:", lines.len() * 3 / 4 + 1);
    let one = eval(&units, &bad, &["--threads", "1"]);
    let two = eval(&units, &bad, &["--threads", "2"]);
    assert!(String::from_utf8_lossy(&one.stderr).contains(&at));
    assert_eq!(
        (one.status.code(), one.stderr),
        (two.status.code(), two.stderr)
    );
    let lenient = |threads| report_with(&units, &bad, &["--threads", threads, "--lenient"]);
    assert!(lenient("1") == lenient("2"), "a skipped line");
}
