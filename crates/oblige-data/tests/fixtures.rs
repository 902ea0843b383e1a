//! Snapshot tests over the data fixtures: files under `ok/` read cleanly, files under `err/`
//! report every error with its line. Files named `units_*` are registries, `events_*` logs.

#[path = "../src/test_plan.rs"]
mod test_plan;

use oblige_data::{read_registry, Event, EventReader, Format, ReadOptions, Unit};
use std::fmt::Write as _;
use std::path::Path;

#[test]
fn ok_fixtures_read_cleanly() {
    insta::glob!("../../../tests/fixtures/data", "ok/*.*", |path| {
        let text = describe(path).unwrap();
        assert!(
            !text.contains("error:"),
            "{} has errors:\n{text}",
            path.display()
        );
        insta::assert_snapshot!(text);
    });
}

#[test]
fn err_fixtures_report_every_error() {
    insta::glob!("../../../tests/fixtures/data", "err/*.*", |path| {
        let text = describe(path).unwrap();
        assert!(
            text.contains("error:"),
            "{} reads without errors",
            path.display()
        );
        insta::assert_snapshot!(text);
    });
}

/// What reading the file gives: units or events, then errors, one per line.
fn describe(path: &Path) -> Result<String, Box<dyn std::error::Error>> {
    let plan = test_plan::plan();
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let mut out = String::new();
    let format = Format::from_path(path)?;
    // Read through the embedder API so that errors name the file alone, not the checkout path.
    let file = std::io::BufReader::new(std::fs::File::open(path)?);
    if name.starts_with("units_") {
        match read_registry(file, format, name, &plan) {
            Ok(registry) => registry.units().iter().for_each(|u| unit_line(&mut out, u)),
            Err(errors) => errors
                .iter()
                .for_each(|e| writeln!(out, "error: {e}").unwrap_or(())),
        }
    } else {
        match EventReader::new(file, format, name, &plan, ReadOptions::default()) {
            Ok(reader) => {
                for result in reader {
                    match result {
                        Ok(event) => event_line(&mut out, &event),
                        Err(e) => writeln!(out, "error: {e}").unwrap_or(()),
                    }
                }
            }
            Err(e) => writeln!(out, "error: {e}").unwrap_or(()),
        }
    }
    Ok(out)
}

fn unit_line(out: &mut String, u: &Unit) {
    let _ = writeln!(
        out,
        "{} {} {:?} parent={:?} active={:?}..{:?} {:?}",
        u.id, u.name, u.classes, u.parent, u.active_from, u.active_to, u.attrs
    );
}

fn event_line(out: &mut String, e: &Event) {
    let _ = writeln!(
        out,
        "{} line {} {} {} {}→{:?} recorded={:?} {:?}",
        e.id,
        e.origin.line,
        e.time.to_rfc3339(),
        e.kind,
        e.actor,
        e.target,
        e.recorded_at.map(|t| t.to_rfc3339()),
        e.attrs
    );
}

#[test]
fn reading_into_one_event_gives_what_the_iterator_gives() {
    let plan = test_plan::plan();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/data");
    let mut logs = 0;
    for dir in ["ok", "err"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            if !name.starts_with("events_") {
                continue;
            }
            let format = Format::from_path(&path).unwrap();
            let open = || {
                let file = std::io::BufReader::new(std::fs::File::open(&path).unwrap());
                EventReader::new(file, format, name, &plan, ReadOptions::default()).unwrap()
            };
            let by_iterator: Vec<_> = open().map(|r| r.map_err(|e| e.to_string())).collect();
            let mut reader = open();
            let mut event = Event::default();
            let mut by_read_into = Vec::new();
            while let Some(read) = reader.read_into(&mut event) {
                by_read_into.push(read.map(|()| event.clone()).map_err(|e| e.to_string()));
            }
            assert_eq!(by_read_into, by_iterator, "{name}");
            logs += 1;
        }
    }
    assert_eq!(logs, 4);
}
