//! Fixture scenarios under `tests/fixtures/eval/*/`: a plan, a registry and a log, evaluated
//! and compared with a reviewed JSON snapshot.

use std::path::Path;

#[test]
fn fixture_plans_parse() {
    insta::glob!("../../../../tests/fixtures/eval", "*/plan.rule", |path| {
        let loaded = oblige_syntax::load(path);
        assert!(loaded.diagnostics.is_empty(), "{}: {:#?}", path.display(), loaded.diagnostics);
    });
}

fn _dir(path: &Path) -> &Path {
    path.parent().unwrap_or(path)
}
