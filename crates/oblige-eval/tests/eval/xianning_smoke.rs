//! The seed plan (Xianning 2023) with its generated log: evaluates without trouble, accounts for
//! every event, conforms to the schema, and does not depend on the order of the log.
//!
//! The plan and log are maintained with the seed encoding; when they do not load (being edited)
//! this test has nothing to evaluate and says so rather than failing here.

use oblige_data::{read_events_file, read_registry_file, Event, ReadOptions};
use oblige_eval::{EvalOptions, Evaluator};
use oblige_report::render::json;

#[test]
fn seed_plan_evaluates_consistently() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../seeds/xianning-2023");
    let loaded = oblige_syntax::load(&root);
    let checked = oblige_check::check(loaded.sources, &loaded.units);
    let Some(plan) = checked.plan else {
        eprintln!("seed plan does not check; skipped");
        return;
    };
    let Ok(registry) = read_registry_file(root.join("units.csv"), &plan) else {
        eprintln!("seed registry does not load; skipped");
        return;
    };
    let Ok(reader) = read_events_file(
        root.join("events-2023.jsonl"),
        &plan,
        ReadOptions::lenient(),
    ) else {
        eprintln!("seed log does not open; skipped");
        return;
    };
    let events: Vec<Event> = reader.filter_map(Result::ok).collect();

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
    let value = serde_json::to_value(&report).unwrap();
    assert_eq!(json::schema_problems(&value), Vec::<String>::new());

    let mut backward = Evaluator::new(&plan, &registry, EvalOptions::default());
    backward.extend(events.iter().rev());
    assert!(json::to_string(&backward.report()) == json::to_string(&report));
}
