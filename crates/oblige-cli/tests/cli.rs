//! The `oblige` binary as a user runs it: real processes, snapshots of exit code, stdout and stderr.
#![expect(
    clippy::expect_used,
    reason = "helpers of a test: a broken set-up should stop it at once"
)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs `oblige args…` from the repository root and shows what a user would see.
fn run(args: &[&str]) -> String {
    run_in(&root(), args)
}

/// What `oblige args…` run from `dir` writes to standard output.
fn stdout_in(dir: &Path, args: &[&str]) -> Vec<u8> {
    output_in(dir, args).stdout
}

fn output_in(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_oblige"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

fn run_in(dir: &Path, args: &[&str]) -> String {
    let output = output_in(dir, args);
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

const SMALL: &str = "tests/fixtures/cli/small";

/// `oblige eval` of the small fixture plan with `extra` arguments.
fn eval_small_args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "eval",
        "--plan",
        SMALL,
        "--units",
        "tests/fixtures/cli/small/units.csv",
        "--events",
        "tests/fixtures/cli/small/events.jsonl",
    ];
    args.extend_from_slice(extra);
    args
}

fn eval_small(extra: &[&str]) -> String {
    run(&eval_small_args(extra))
}

#[test]
fn check_the_seed_plan_is_clean() {
    insta::assert_snapshot!(run(&[
        "check",
        "seeds/xianning-2023",
        "seeds/xianning-2023-en"
    ]));
}

#[test]
fn check_reports_every_error_with_chinese_carets() {
    insta::assert_snapshot!(run(&["check", "tests/fixtures/cli/broken"]));
}

#[test]
fn check_json_gives_character_and_byte_positions() {
    insta::assert_snapshot!(run(&[
        "check",
        "--error-format",
        "json",
        "tests/fixtures/cli/broken/plan.rule"
    ]));
}

#[test]
fn check_a_missing_path() {
    insta::assert_snapshot!(run(&["check", "no/such/plan"]));
}

#[test]
fn fmt_check_accepts_the_formatted_seed_plan() {
    insta::assert_snapshot!(run(&["fmt", "--check", "seeds/xianning-2023"]));
}

#[test]
fn fmt_check_flags_an_unformatted_file() {
    insta::assert_snapshot!(run(&[
        "fmt",
        "--check",
        "tests/fixtures/cli/unformatted.rule"
    ]));
}

#[test]
fn fmt_prints_the_canonical_layout() {
    insta::assert_snapshot!(run(&[
        "fmt",
        "--stdout",
        "tests/fixtures/cli/unformatted.rule"
    ]));
}

#[test]
fn fmt_converts_to_chinese_keywords() {
    insta::assert_snapshot!(run(&[
        "fmt",
        "--lang",
        "zh",
        "--stdout",
        "tests/fixtures/cli/small/plan.rule"
    ]));
}

#[test]
fn fmt_refuses_a_malformed_file() {
    let dir = tempdir("fmt-malformed");
    let file = dir.join("bad.rule");
    std::fs::write(
        &file,
        "rule r {\n  for each unit\n  require at lest 1 x per month\n}\n",
    )
    .expect("write");
    insta::assert_snapshot!(run_in(&dir, &["fmt", "bad.rule"]));
}

#[test]
fn eval_table_lists_what_needs_attention() {
    insta::assert_snapshot!(eval_small(&[]));
}

#[test]
fn eval_table_all() {
    insta::assert_snapshot!(eval_small(&["--all", "--fail-on", "never"]));
}

#[test]
fn eval_json() {
    insta::assert_snapshot!(eval_small(&["--format", "json", "--pretty"]));
}

/// Off a terminal, JSON is compact: one line, the same report as `--pretty`.
#[test]
fn eval_json_is_compact_unless_pretty() {
    let stdout = |extra: &[&str]| {
        let mut args = eval_small_args(&["--format", "json"]);
        args.extend_from_slice(extra);
        String::from_utf8(stdout_in(&root(), &args)).expect("UTF-8")
    };
    let (compact, pretty) = (stdout(&[]), stdout(&["--pretty"]));
    assert_eq!(compact.lines().count(), 1);
    let value = |text: &str| serde_json::from_str::<serde_json::Value>(text).expect("JSON");
    assert_eq!(value(&compact), value(&pretty));
    assert!(compact.len() < pretty.len());
}

/// `--evidence N` lists at most N ids per count verdict and counts the rest as truncated: the
/// same events, listed or counted, as with the default.
#[test]
fn eval_evidence_limits_the_ids_listed() {
    let rows = |extra: &[&str]| {
        let seed = "seeds/xianning-2023";
        let mut args = vec![
            "eval",
            "--plan",
            seed,
            "--format",
            "json",
            "--fail-on",
            "never",
        ];
        args.extend_from_slice(&["--units", "seeds/xianning-2023/units.csv"]);
        args.extend_from_slice(&["--events", "seeds/xianning-2023/events-2023.jsonl"]);
        args.extend_from_slice(extra);
        let stdout = stdout_in(&root(), &args);
        let report: serde_json::Value = serde_json::from_slice(&stdout).expect("JSON");
        let rows = report["results"].as_array().expect("results").clone();
        rows.into_iter()
            .filter(|r| r["duty"] == "count")
            .map(|r| {
                let listed = r["evidence"]["events"].as_array().map_or(0, Vec::len);
                let truncated = r["evidence"]["truncated"].as_u64().expect("truncated");
                (listed, truncated)
            })
            .collect::<Vec<_>>()
    };
    let (all, one) = (rows(&[]), rows(&["--evidence", "1"]));
    assert_eq!(all.len(), one.len());
    assert!(
        all.iter().any(|&(listed, _)| listed > 1),
        "the seed lists several ids"
    );
    for (&(listed, truncated), &(one_listed, one_truncated)) in all.iter().zip(&one) {
        assert_eq!(one_listed, listed.min(1));
        assert_eq!(one_listed as u64 + one_truncated, listed as u64 + truncated);
    }
}

/// A report that cannot be written whole (a full disk) is an error, not a report cut short;
/// a reader that stops reading (`| head`) is not.
#[cfg(target_os = "linux")]
#[test]
fn eval_to_a_full_disk_fails() {
    for format in ["json", "csv"] {
        let full = std::fs::File::create("/dev/full").expect("/dev/full opens");
        let output = Command::new(env!("CARGO_BIN_EXE_oblige"))
            .args(eval_small_args(&["--format", format]))
            .current_dir(root())
            .stdout(full)
            .output()
            .expect("the binary runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{format}: {stderr}");
        assert!(
            stderr.contains("error: cannot write to standard output: "),
            "{format}: {stderr}"
        );
    }
}

#[test]
fn eval_csv() {
    insta::assert_snapshot!(eval_small(&["--format", "csv"]));
}

#[test]
fn eval_markdown() {
    insta::assert_snapshot!(eval_small(&["--format", "markdown"]));
}

#[test]
fn eval_junit() {
    insta::assert_snapshot!(eval_small(&["--format", "junit"]));
}

#[test]
fn eval_as_of_mid_year_leaves_periods_open() {
    insta::assert_snapshot!(eval_small(&["--as-of", "2023-06-20", "--all"]));
}

#[test]
fn eval_a_missing_events_file() {
    insta::assert_snapshot!(run(&[
        "eval",
        "--plan",
        SMALL,
        "--units",
        "tests/fixtures/cli/small/units.csv",
        "--events",
        "tests/fixtures/cli/small/missing.jsonl"
    ]));
}

#[test]
fn eval_malformed_lines_are_errors() {
    insta::assert_snapshot!(run(&[
        "eval",
        "--plan",
        SMALL,
        "--units",
        "tests/fixtures/cli/small/units.csv",
        "--events",
        "tests/fixtures/cli/small/bad-events.jsonl"
    ]));
}

#[test]
fn eval_lenient_skips_malformed_lines_and_says_so() {
    insta::assert_snapshot!(run(&[
        "eval",
        "--plan",
        SMALL,
        "--units",
        "tests/fixtures/cli/small/units.csv",
        "--events",
        "tests/fixtures/cli/small/bad-events.jsonl",
        "--lenient",
        "--fail-on",
        "never"
    ]));
}

#[test]
fn eval_a_malformed_plan() {
    insta::assert_snapshot!(run(&[
        "eval",
        "--plan",
        "tests/fixtures/cli/broken",
        "--units",
        "tests/fixtures/cli/small/units.csv",
        "--events",
        "tests/fixtures/cli/small/events.jsonl"
    ]));
}

#[test]
fn eval_a_bad_date_option() {
    insta::assert_snapshot!(eval_small(&["--from", "2023-13-01"]));
}

#[test]
fn explain_a_violation_in_english() {
    insta::assert_snapshot!(run(&[
        "explain",
        "--plan",
        SMALL,
        "--units",
        "tests/fixtures/cli/small/units.csv",
        "--events",
        "tests/fixtures/cli/small/events.jsonl",
        "--rule",
        "meetings",
        "--subject",
        "d2"
    ]));
}

#[test]
fn explain_a_late_report_in_chinese() {
    insta::assert_snapshot!(run(&[
        "explain",
        "--plan",
        SMALL,
        "--units",
        "tests/fixtures/cli/small/units.csv",
        "--events",
        "tests/fixtures/cli/small/events.jsonl",
        "--rule",
        "accident_report",
        "--subject",
        "e1",
        "--lang",
        "zh"
    ]));
}

#[test]
fn explain_an_unknown_rule() {
    insta::assert_snapshot!(run(&[
        "explain",
        "--plan",
        SMALL,
        "--units",
        "tests/fixtures/cli/small/units.csv",
        "--events",
        "tests/fixtures/cli/small/events.jsonl",
        "--rule",
        "meeting",
        "--subject",
        "d2"
    ]));
}

#[test]
fn test_passes_on_the_small_plan() {
    insta::assert_snapshot!(run(&["test", SMALL]));
}

#[test]
fn test_fails_with_a_diff_after_a_rule_changes_and_bless_fixes_it() {
    let dir = tempdir("test-bless");
    copy_dir(&root().join(SMALL), &dir);
    let plan = dir.join("plan.rule");
    let text = std::fs::read_to_string(&plan).expect("read");
    std::fs::write(
        &plan,
        text.replace("at least 1 meeting", "at least 2 meeting"),
    )
    .expect("write");
    let failed = run_in(&dir, &["test", "."]);
    let blessed = run_in(&dir, &["test", ".", "--bless"]);
    let passes = run_in(&dir, &["test", "."]);
    insta::assert_snapshot!(format!(
        "== after the change\n{failed}\n== --bless\n{blessed}\n== again\n{passes}"
    ));
}

#[test]
fn test_junit() {
    insta::assert_snapshot!(run(&["test", SMALL, "--format", "junit"]));
}

#[test]
fn every_verb_has_help_with_an_example() {
    for verb in ["check", "fmt", "eval", "explain", "test", "completions"] {
        let out = run(&[verb, "--help"]);
        assert!(out.starts_with("exit: 0"), "{verb} --help: {out}");
        assert!(
            out.contains("Example"),
            "{verb} --help has no example: {out}"
        );
    }
}

#[test]
fn completions_for_bash() {
    let out = run(&["completions", "bash"]);
    assert!(out.starts_with("exit: 0"), "{out}");
    assert!(out.contains("complete -F _oblige"), "{out}");
}

#[test]
fn usage_errors_exit_2() {
    let out = run(&["eval", "--plan", SMALL]);
    assert!(out.starts_with("exit: 2"), "{out}");
}

/// A folder of a test's own, removed when the test ends, passed or failed.
struct Scratch(tempfile::TempDir);

impl std::ops::Deref for Scratch {
    type Target = Path;

    fn deref(&self) -> &Path {
        self.0.path()
    }
}

fn tempdir(name: &str) -> Scratch {
    let dir = tempfile::Builder::new()
        .prefix(&format!("oblige-cli-{name}-"))
        .tempdir()
        .expect("temp dir");
    Scratch(dir)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("name"));
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy");
        }
    }
}
