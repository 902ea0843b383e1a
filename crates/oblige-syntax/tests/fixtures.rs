//! Snapshot tests over `tests/fixtures/syntax`: `ok/` files must parse without diagnostics (the
//! snapshot is the tree), `err/` files must fail (the snapshot is every rendered diagnostic).

mod common;

use oblige_diagnostics::{render_human, SourceMap};
use oblige_syntax::parse;
use std::path::Path;

fn load(path: &Path, dir: &str) -> (SourceMap, oblige_syntax::Parsed) {
    // A missing file shows up as an empty snapshot, which fails the review.
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let file = path.file_name().unwrap_or_default().to_string_lossy();
    let name = format!("{dir}/{file}");
    let mut sources = SourceMap::new();
    let id = sources.add(name, text.as_str());
    let parsed = parse(id, &text);
    (sources, parsed)
}

#[test]
fn ok_fixtures_parse_cleanly() {
    insta::glob!("../../../tests/fixtures/syntax", "ok/*.rule", |path| {
        let (sources, parsed) = load(path, "ok");
        let rendered: String = parsed
            .diagnostics
            .iter()
            .map(|d| render_human(&sources, d))
            .collect();
        assert!(rendered.is_empty(), "{}:\n{rendered}", path.display());
        insta::assert_snapshot!(common::dump(&parsed.unit));
    });
}

#[test]
fn err_fixtures_report_every_error() {
    insta::glob!("../../../tests/fixtures/syntax", "err/*.rule", |path| {
        let (sources, parsed) = load(path, "err");
        assert!(
            !parsed.diagnostics.is_empty(),
            "{} has no error",
            path.display()
        );
        let mut out: String = parsed
            .diagnostics
            .iter()
            .map(|d| render_human(&sources, d) + "\n")
            .collect();
        out.push_str(&format!("items that parsed: {}\n", parsed.unit.items.len()));
        out.push_str(&common::summary(&parsed.unit));
        insta::assert_snapshot!(out);
    });
}

#[test]
fn err_fixtures_cover_every_syntax_code() {
    let mut seen = std::collections::BTreeSet::new();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/syntax/err");
    for entry in std::fs::read_dir(dir).unwrap() {
        let (_, parsed) = load(&entry.unwrap().path(), "err");
        seen.extend(parsed.diagnostics.iter().map(|d| d.code.0));
    }
    // E0020 and up come from loading several files; `tests/load.rs` covers them.
    for code in oblige_syntax::codes::ALL.iter().filter(|c| c.0 < "E0020") {
        assert!(seen.contains(code.0), "no fixture in err/ reports {code}");
    }
}
