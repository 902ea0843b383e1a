//! Checker fixtures: every `tests/fixtures/check/{ok,err}/*.rule` file is parsed, checked and
//! snapshotted through one helper.

use oblige_check::{check, model, Checked};
use oblige_diagnostics::{has_errors, render_human, SourceMap};
use std::fmt::Write as _;
use std::path::Path;

/// Parses and checks one fixture; returns the snapshot text.
///
/// An `err` fixture must produce an error; an `ok` fixture must produce none and a plan. A
/// fixture named after a code (`e0121_…`, `w0103_…`) must produce that code.
fn check_fixture(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        !text.is_empty(),
        "{} is empty or unreadable",
        path.display()
    );
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("fixture.rule");
    let mut sources = SourceMap::new();
    let file = sources.add(name, text.as_str());
    let parsed = oblige_syntax::parse(file, &text);
    let syntax: Vec<String> = parsed
        .diagnostics
        .iter()
        .map(|d| render_human(&sources, d))
        .collect();
    assert!(
        syntax.is_empty(),
        "{name} has syntax errors:\n{}",
        syntax.concat()
    );
    let checked = check(sources.clone(), &[(file, parsed.unit)]);
    let expected = expected_code(name);
    if let Some(code) = &expected {
        assert!(
            checked
                .diagnostics
                .iter()
                .any(|d| d.code.0 == code.as_str()),
            "{name} does not produce {code}"
        );
    }
    let rendered: String = checked
        .diagnostics
        .iter()
        .map(|d| render_human(&sources, d))
        .collect();
    let is_err = path
        .parent()
        .and_then(Path::file_name)
        .is_some_and(|d| d == "err");
    if is_err {
        assert!(has_errors(&checked.diagnostics), "{name} produces no error");
        assert!(checked.plan.is_none(), "{name} has errors but a plan");
        rendered
    } else {
        assert!(
            !has_errors(&checked.diagnostics),
            "{name} has errors:\n{rendered}"
        );
        format!("{}{rendered}", summary(&checked))
    }
}

/// The code a fixture is named after, upper-cased.
fn expected_code(name: &str) -> Option<String> {
    let code = name.split('_').next()?;
    let ok = code.len() == 5
        && (code.starts_with('e') || code.starts_with('w'))
        && code[1..].chars().all(|c| c.is_ascii_digit());
    ok.then(|| code.to_uppercase())
}

/// A compact account of the model: declaration counts and each rule with its duty kind.
fn summary(checked: &Checked) -> String {
    let Some(plan) = &checked.plan else {
        return "no plan\n".to_owned();
    };
    let mut out = String::new();
    let h = &plan.header;
    let _ = writeln!(
        out,
        "plan `{}` {} .. {} ({})",
        h.title,
        h.effective_start,
        h.effective_end,
        h.timezone.name()
    );
    let _ = writeln!(
        out,
        "enums {} classes {} events {} windows {} calendar {} params {} findings {} states {}",
        plan.enums.len(),
        plan.classes.len(),
        plan.events.len(),
        plan.windows.len(),
        plan.calendar.as_ref().map_or(0, |_| 1),
        plan.params.len(),
        plan.findings.len(),
        plan.states.len()
    );
    for (name, w) in &plan.windows {
        let ranges: Vec<String> = w
            .ranges
            .iter()
            .map(|r| format!("{}..{}", r.start, r.end))
            .collect();
        let _ = writeln!(out, "window {name}: {}", ranges.join(", "));
    }
    for rule in &plan.rules {
        let _ = writeln!(out, "rule {}: {}", rule.id, duty_kind(&rule.duty));
    }
    if !checked.diagnostics.is_empty() {
        out.push('\n');
    }
    out
}

fn duty_kind(duty: &model::Duty) -> String {
    match duty {
        model::Duty::Count {
            cmp,
            amount,
            period,
            ..
        } => format!("count {cmp:?} {amount} per {period:?}"),
        model::Duty::Response { branches, .. } => {
            format!("response with {} branch(es)", branches.len())
        }
        model::Duty::Consequence { finding, over, .. } => {
            format!("consequence {finding} over {over:?}")
        }
        model::Duty::Hold { state, .. } => format!("hold {state}"),
    }
}

#[test]
fn ok_fixtures() {
    insta::glob!("../../../tests/fixtures/check", "ok/*.rule", |path| {
        insta::assert_snapshot!(check_fixture(path));
    });
}

#[test]
fn err_fixtures() {
    insta::glob!("../../../tests/fixtures/check", "err/*.rule", |path| {
        insta::assert_snapshot!(check_fixture(path));
    });
}
