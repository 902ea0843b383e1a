//! `oblige test`: run a plan's own cases and compare their verdicts with the expected ones.
//!
//! A case is a folder `tests/<case>/` inside the plan folder holding `units.csv` (or
//! `units.jsonl`), `events.jsonl` (or `events.csv`), an optional `case.json` with `as_of`, `from`
//! and `to`, and `expected.txt`, the verdict lines `--bless` writes.

use crate::args::{TestArgs, TestFormat};
use crate::output::{self, Status};
use crate::pipeline::{evaluate_with, load_plan, Inputs};
use crate::verdicts::verdict_text;
use oblige::Plan;
use std::path::{Path, PathBuf};

/// How one case went.
struct CaseResult {
    name: String,
    outcome: Outcome,
}

enum Outcome {
    Passed,
    Blessed,
    Failed { diff: String },
    Broken { why: String },
}

/// Runs every case of the plan; exit 1 if any failed.
pub fn run(args: &TestArgs) -> Status {
    let Ok(plan) = load_plan(&args.plan) else {
        return Status::BadInput;
    };
    let cases = match case_dirs(&args.plan) {
        Ok(cases) => cases,
        Err(why) => {
            output::error(why);
            return Status::BadInput;
        }
    };
    let results: Vec<CaseResult> = cases
        .iter()
        .map(|c| run_case(&plan, c, args.bless))
        .collect();
    match args.format {
        TestFormat::Human => print_human(&results),
        TestFormat::Junit => output::out(&junit(&results)),
    }
    let failed = results
        .iter()
        .any(|r| matches!(r.outcome, Outcome::Failed { .. } | Outcome::Broken { .. }));
    if failed {
        Status::Failed
    } else {
        Status::Ok
    }
}

fn case_dirs(plan: &Path) -> Result<Vec<PathBuf>, String> {
    let tests = plan.join("tests");
    let entries = std::fs::read_dir(&tests)
        .map_err(|e| format!("no test cases: cannot read `{}`: {e}", tests.display()))?;
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    if dirs.is_empty() {
        return Err(format!("no test cases in `{}`", tests.display()));
    }
    Ok(dirs)
}

fn run_case(plan: &Plan, dir: &Path, bless: bool) -> CaseResult {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let outcome = match actual_verdicts(plan, dir) {
        Ok(actual) => compare(dir, &actual, bless),
        Err(why) => Outcome::Broken { why },
    };
    CaseResult { name, outcome }
}

/// Settings of a case from its optional `case.json`.
#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseSettings {
    as_of: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

fn actual_verdicts(plan: &Plan, dir: &Path) -> Result<String, String> {
    let settings = read_settings(dir)?;
    let units = first_existing(dir, &["units.csv", "units.jsonl"])?;
    let events = first_existing(dir, &["events.jsonl", "events.csv"])?;
    let events = [events];
    let inputs = Inputs {
        plan: dir,
        units: &units,
        events: &events,
        from: settings.from.as_deref(),
        to: settings.to.as_deref(),
        as_of: settings.as_of.as_deref(),
        at_risk_days: None,
        evidence: None,
        lenient: false,
        progress: false,
    };
    let report = evaluate_with(plan, &inputs)
        .map_err(|_| "the case's inputs have errors (shown above)".to_owned())?;
    Ok(verdict_text(&report))
}

fn read_settings(dir: &Path) -> Result<CaseSettings, String> {
    let path = dir.join("case.json");
    if !path.exists() {
        return Ok(CaseSettings::default());
    }
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("`{}`: {e}", path.display()))
}

fn first_existing(dir: &Path, names: &[&str]) -> Result<PathBuf, String> {
    names
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.exists())
        .ok_or_else(|| format!("`{}` has none of {}", dir.display(), names.join(", ")))
}

fn compare(dir: &Path, actual: &str, bless: bool) -> Outcome {
    let path = dir.join("expected.txt");
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    if expected == actual {
        return Outcome::Passed;
    }
    if bless {
        return match std::fs::write(&path, actual) {
            Ok(()) => Outcome::Blessed,
            Err(e) => Outcome::Broken {
                why: format!("cannot write `{}`: {e}", path.display()),
            },
        };
    }
    let diff = similar::TextDiff::from_lines(expected.as_str(), actual)
        .unified_diff()
        .context_radius(2)
        .header("expected.txt", "actual")
        .to_string();
    Outcome::Failed { diff }
}

fn print_human(results: &[CaseResult]) {
    let mut counts = [0_usize; 3];
    for r in results {
        let (word, slot) = match &r.outcome {
            Outcome::Passed => ("ok", 0),
            Outcome::Blessed => ("blessed", 0),
            Outcome::Failed { .. } | Outcome::Broken { .. } => ("FAILED", 1),
        };
        counts[slot] += 1;
        output::out(&format!("test {} ... {word}\n", r.name));
        match &r.outcome {
            Outcome::Failed { diff } => output::out(&format!(
                "{diff}\n  verdicts changed; review the diff, then run with `--bless` to accept it\n"
            )),
            Outcome::Broken { why } => output::out(&format!("  {why}\n")),
            Outcome::Passed | Outcome::Blessed => {}
        }
    }
    output::out(&format!("\n{} passed, {} failed\n", counts[0], counts[1]));
}

fn junit(results: &[CaseResult]) -> String {
    let failures = results
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Failed { .. } | Outcome::Broken { .. }))
        .count();
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n  <testsuite name=\"oblige test\" tests=\"{}\" failures=\"{failures}\">\n",
        results.len()
    );
    for r in results {
        let name = xml_escape(&r.name);
        match &r.outcome {
            Outcome::Passed | Outcome::Blessed => {
                xml.push_str(&format!("    <testcase name=\"{name}\"/>\n"));
            }
            Outcome::Failed { diff: text } | Outcome::Broken { why: text } => {
                xml.push_str(&format!(
                    "    <testcase name=\"{name}\">\n      <failure message=\"verdicts differ\">{}</failure>\n    </testcase>\n",
                    xml_escape(text)
                ));
            }
        }
    }
    xml.push_str("  </testsuite>\n</testsuites>\n");
    xml
}

fn xml_escape(text: &str) -> String {
    oblige::report::render::junit::escape(text)
}
