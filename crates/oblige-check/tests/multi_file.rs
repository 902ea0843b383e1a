//! Plans of several files: declarations in one file serve rules in another, and a diagnostic
//! about two files points at both.

use oblige_check::{check, codes};
use oblige_diagnostics::render_human;
use oblige_syntax::{load_with, MapLoader};
use std::path::Path;

const MAIN: &str = r#"plan "p" { effective 2023-01-01 .. 2023-12-31 }
include "decls.rule"
rule r { article 1 for each unit require at least 1 meeting per month }
"#;

const DECLS: &str = "class unit {}\nevent meeting {}\n";

fn load(files: &[(&str, &str)]) -> oblige_syntax::Loaded {
    let mut loader = MapLoader::new();
    for (path, text) in files {
        loader.insert(*path, *text);
    }
    load_with(&loader, Path::new("main.rule"))
}

#[test]
fn declarations_of_an_included_file_are_found() {
    let loaded = load(&[("main.rule", MAIN), ("decls.rule", DECLS)]);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let checked = check(loaded.sources, &loaded.units);
    assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
    let plan = checked.plan.expect("a plan without diagnostics");
    assert_eq!(plan.rules.len(), 1);
    assert!(plan.classes.contains_key("unit"));
}

#[test]
fn a_duplicate_in_another_file_points_at_both() {
    let main = format!("{MAIN}event meeting {{ topic: text }}\n");
    let loaded = load(&[("main.rule", main.as_str()), ("decls.rule", DECLS)]);
    let checked = check(loaded.sources.clone(), &loaded.units);
    let dup = checked
        .diagnostics
        .iter()
        .find(|d| d.code == codes::DUPLICATE_NAME)
        .expect("the duplicate is reported");
    assert_eq!(dup.related.len(), 1);
    assert_ne!(dup.span.file, dup.related[0].span.file);
    let rendered = render_human(&loaded.sources, dup);
    insta::assert_snapshot!(rendered);
    assert!(checked.plan.is_none());
}

#[test]
fn a_header_in_an_included_file_is_enough_but_two_are_too_many() {
    let header = "plan \"q\" { effective 2023-01-01 .. 2023-12-31 }\n";
    let decls = format!("{header}{DECLS}");
    let loaded = load(&[("main.rule", MAIN), ("decls.rule", decls.as_str())]);
    let checked = check(loaded.sources, &loaded.units);
    let codes: Vec<_> = checked.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, vec![codes::DUPLICATE_PLAN]);
    let d = &checked.diagnostics[0];
    assert_ne!(d.span.file, d.related[0].span.file);
}
