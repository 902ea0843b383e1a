//! The seed plan (Xianning 2023) with its generated log: evaluates without trouble, accounts for
//! every event, describes the rule of every row in the plan, conforms to the schema, and does not
//! depend on the order of the log.
//!
//! A seed that does not load fails this test: the seed is part of the repository, and a test
//! that passes without evaluating anything would hide that.

use oblige_data::{read_events_file, read_registry_file, Event, ReadOptions};
use oblige_eval::{EvalOptions, Evaluator};
use oblige_report::render::json;

#[test]
fn seed_plan_evaluates_consistently() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../seeds/xianning-2023");
    let loaded = oblige_syntax::load(&root);
    let checked = oblige_check::check(loaded.sources, &loaded.units);
    let messages: Vec<String> = loaded
        .diagnostics
        .iter()
        .chain(&checked.diagnostics)
        .map(|d| format!("{:?} {:?} {}", d.severity, d.code, d.message))
        .collect();
    let plan = checked
        .plan
        .unwrap_or_else(|| panic!("the seed plan does not check: {messages:#?}"));
    let registry = read_registry_file(root.join("units.csv"), &plan)
        .unwrap_or_else(|errors| panic!("the seed registry does not load: {errors:#?}"));
    let reader = read_events_file(
        root.join("events-2023.jsonl"),
        &plan,
        ReadOptions::default(),
    )
    .unwrap_or_else(|e| panic!("the seed log does not open: {e}"));
    let events: Vec<Event> = reader
        .map(|event| event.unwrap_or_else(|e| panic!("malformed seed event: {e}")))
        .collect();

    let mut forward = Evaluator::new(&plan, &registry, EvalOptions::default());
    forward.extend(&events);
    let report = forward.report();
    let inputs = &report.inputs;
    assert_eq!(inputs.events_read, events.len() as u64);
    assert_eq!(
        inputs.events_read,
        inputs.events_used + inputs.events_unmatched + inputs.events_ignored
    );
    assert_eq!(report.summary.total.total(), report.results.len() as u64);
    assert!(report.plan.rules.len() > 80);
    crate::common::assert_every_row_has_its_rule(&report);
    let value = serde_json::to_value(&report).unwrap();
    assert_eq!(
        oblige_report::schema::problems(&value),
        Vec::<String>::new()
    );

    let mut backward = Evaluator::new(&plan, &registry, EvalOptions::default());
    backward.extend(events.iter().rev());
    assert!(json::to_string(&backward.report()) == json::to_string(&report));
}
