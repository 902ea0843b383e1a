//! `oblige trace` as a user runs it: the seed plan's committed table, gaps and errors.

use support::{root, run_in, shown, tempdir};

const SOURCE: &str = "\
某市2023年工作要点
一、第一部分
1.召开会议。各成员单位每半年至少召开1次会议。
2.完善机制。探索建立考核体系。
3.加强宣传。开展宣传活动。
";

const PLAN: &str = r#"// 来源缺陷: 第3条的责任单位
// 在来源中缺失。
//
// 不可检查 第2条: "探索建立考核体系" — 探索性工作
plan "某市2023年工作要点" { effective 2023-01-01 .. 2023-12-31 }
class department {}
event meeting {}
rule meetings "每半年召开会议" {
  article 1
  quote "各成员单位每半年至少召开1次会议"
  for each department
  require at least 1 meeting per half-year
}
rule misquoted "引文不在来源中" {
  article 1
  quote "每季度召开会议"
  for each department
  require at least 1 meeting per quarter
}
"#;

#[test]
fn the_seed_table_is_what_trace_prints() {
    let (code, stdout, stderr) = run_in(
        &root(),
        &[
            "trace",
            "seeds/xianning-2023",
            "--source",
            "seeds/000_36200e883f9acb6a.txt",
        ],
    );
    assert_eq!((code, stderr.as_str()), (0, ""));
    let committed = std::fs::read_to_string(root().join("seeds/TRACEABILITY.md")).unwrap();
    assert!(
        stdout == committed,
        "`seeds/TRACEABILITY.md` differs from what `oblige trace` prints"
    );
}

#[test]
fn trace_lists_gaps_and_misquotes() {
    let dir = tempdir("gaps");
    std::fs::write(dir.join("plan/plan.rule"), PLAN).unwrap();
    std::fs::write(dir.join("source.txt"), SOURCE).unwrap();
    insta::assert_snapshot!(shown(run_in(
        &dir,
        &["trace", "./plan", "--source", "source.txt"]
    )));
}

#[test]
fn trace_writes_the_output_file() {
    let dir = tempdir("output");
    std::fs::write(dir.join("plan/plan.rule"), PLAN).unwrap();
    std::fs::write(dir.join("source.txt"), SOURCE).unwrap();
    let (code, stdout, _) = run_in(
        &dir,
        &["trace", "plan", "--source", "source.txt", "-o", "TRACE.md"],
    );
    assert_eq!((code, stdout.as_str()), (0, ""));
    let written = std::fs::read_to_string(dir.join("TRACE.md")).unwrap();
    assert!(written.contains("| 2 | 完善机制 | 0 | 1 |"), "{written}");
}

#[test]
fn a_malformed_not_checkable_line_is_an_error() {
    let dir = tempdir("malformed");
    let plan = PLAN.replace("第2条: \"探索", "第2条 \"探索");
    std::fs::write(dir.join("plan/plan.rule"), plan).unwrap();
    std::fs::write(dir.join("source.txt"), SOURCE).unwrap();
    insta::assert_snapshot!(shown(run_in(
        &dir,
        &["trace", "plan", "--source", "source.txt"]
    )));
}

#[test]
fn a_plan_with_syntax_errors_is_an_error() {
    let dir = tempdir("syntax");
    let plan = PLAN.replace(
        "require at least 1 meeting per quarter",
        "require at leest 1",
    );
    std::fs::write(dir.join("plan/plan.rule"), plan).unwrap();
    std::fs::write(dir.join("source.txt"), SOURCE).unwrap();
    insta::assert_snapshot!(shown(run_in(
        &dir,
        &["trace", "plan", "--source", "source.txt"]
    )));
}

#[test]
fn a_missing_source_is_an_error() {
    let dir = tempdir("missing");
    std::fs::write(dir.join("plan/plan.rule"), PLAN).unwrap();
    let (code, stdout, stderr) = run_in(&dir, &["trace", "plan", "--source", "nowhere.txt"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(
        stderr.starts_with("error: cannot read the source `nowhere.txt`: "),
        "{stderr}"
    );
}

#[test]
fn trace_help_has_an_example() {
    let (code, stdout, _) = run_in(&root(), &["trace", "--help"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("Examples:\n  oblige trace seeds/xianning-2023 --source"),
        "{stdout}"
    );
}

/// Helpers, compiled for tests only so that they may fail the test with a message.
#[cfg(test)]
mod support {
    use std::path::{Path, PathBuf};
    use std::process::Command;

    pub fn root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
    }

    /// (exit code, stdout, stderr) of `oblige args…` run in `dir`.
    pub fn run_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
        let output = Command::new(env!("CARGO_BIN_EXE_oblige"))
            .args(args)
            .current_dir(dir)
            .output()
            .expect("the binary runs");
        (
            output.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }

    pub fn shown((code, stdout, stderr): (i32, String, String)) -> String {
        format!("exit: {code}\n--- stdout\n{stdout}--- stderr\n{stderr}")
    }

    /// A folder of a test's own, removed when the test ends, passed or failed.
    pub struct Scratch(tempfile::TempDir);

    impl std::ops::Deref for Scratch {
        type Target = Path;

        fn deref(&self) -> &Path {
            self.0.path()
        }
    }

    /// A folder with an empty `plan` folder in it.
    pub fn tempdir(name: &str) -> Scratch {
        let dir = tempfile::Builder::new()
            .prefix(&format!("oblige-trace-{name}-"))
            .tempdir()
            .expect("temp dir");
        std::fs::create_dir_all(dir.path().join("plan")).expect("temp dir");
        Scratch(dir)
    }
}
