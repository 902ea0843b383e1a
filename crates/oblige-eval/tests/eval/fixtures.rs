//! Fixture scenarios under `tests/fixtures/eval/*/`: a plan, a registry and a log, evaluated
//! and compared with a reviewed JSON snapshot. Every report is also held to the published
//! schema, and must not change when the log is reversed or read in two merged halves.

use std::path::Path;

use chrono::{DateTime, NaiveDate};
use oblige_data::{read_events_file, read_registry_file, Event, ReadOptions};
use oblige_eval::{EvalOptions, Evaluator, Parallel};
use oblige_report::render::json;

#[test]
fn fixture_reports() {
    insta::glob!("../../../../tests/fixtures/eval", "*/plan.rule", |path| {
        let dir = path.parent().unwrap();
        let text = evaluate(dir);
        insta::assert_snapshot!(text);
    });
}

fn evaluate(dir: &Path) -> String {
    let loaded = oblige_syntax::load(&dir.join("plan.rule"));
    assert!(
        loaded.diagnostics.is_empty(),
        "{}: {:#?}",
        dir.display(),
        loaded.diagnostics
    );
    let checked = oblige_check::check(loaded.sources, &loaded.units);
    let messages: Vec<String> = checked
        .diagnostics
        .iter()
        .map(|d| format!("{:?} {}", d.code, d.message))
        .collect();
    assert!(messages.is_empty(), "{}: {messages:#?}", dir.display());
    let plan = checked.plan.unwrap();
    let registry = read_registry_file(dir.join("units.csv"), &plan).unwrap();
    let events: Vec<Event> =
        read_events_file(dir.join("events.jsonl"), &plan, ReadOptions::default())
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
    let options = options(dir);

    let mut whole = Evaluator::new(&plan, &registry, options.clone());
    whole.extend(&events);
    let report = whole.report();
    crate::common::assert_every_row_has_its_rule(&report);
    let text = json::to_string(&report);
    let value = serde_json::to_value(&report).unwrap();
    assert_eq!(
        oblige_report::schema::problems(&value),
        Vec::<String>::new()
    );

    for (threads, part_rows) in [(1, 1), (3, 1), (2, 5)] {
        let parallel = Parallel { threads, part_rows };
        let report = json::to_string(&whole.report_with(parallel));
        assert_eq!(report, text, "built in parts: {parallel:?}");
    }

    let mut reversed = Evaluator::new(&plan, &registry, options.clone());
    reversed.extend(events.iter().rev());
    assert_eq!(json::to_string(&reversed.report()), text, "reversed log");

    let (a, b) = events.split_at(events.len() / 2);
    let mut first = Evaluator::new(&plan, &registry, options.clone());
    first.extend(b);
    let mut second = Evaluator::new(&plan, &registry, options);
    second.extend(a);
    first.merge(second);
    assert_eq!(json::to_string(&first.report()), text, "merged halves");
    text
}

/// `options.json`: `from`, `to` (dates), `as_of` (RFC 3339), `evidence_limit` and
/// `at_risk_horizon_days`, all optional.
fn options(dir: &Path) -> EvalOptions {
    let mut options = EvalOptions::default();
    let Ok(text) = std::fs::read_to_string(dir.join("options.json")) else {
        return options;
    };
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let date = |key: &str| {
        value
            .get(key)
            .and_then(|v| v.as_str())
            .map(|s| s.parse::<NaiveDate>().unwrap())
    };
    options.from = date("from");
    options.to = date("to");
    options.as_of = value
        .get("as_of")
        .and_then(|v| v.as_str())
        .map(|s| DateTime::parse_from_rfc3339(s).unwrap().to_utc());
    let number = |key: &str| value.get(key).and_then(|v| v.as_u64());
    if let Some(n) = number("evidence_limit") {
        options.evidence_limit = usize::try_from(n).unwrap();
    }
    if let Some(n) = number("at_risk_horizon_days") {
        options.at_risk_horizon_days = u32::try_from(n).unwrap();
    }
    options
}
