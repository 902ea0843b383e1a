//! Checking never panics, whatever a file becomes after random cuts and repeats, and every
//! diagnostic points inside its file.

use oblige_check::check;
use oblige_diagnostics::{SourceMap, Span};
use proptest::prelude::*;
use std::path::PathBuf;

fn fixtures() -> Vec<String> {
    let root = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/check"
    ));
    let mut texts = Vec::new();
    for dir in ["ok", "err"] {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "rule"))
            .collect();
        paths.sort();
        texts.extend(paths.iter().filter_map(|p| std::fs::read_to_string(p).ok()));
    }
    texts
}

/// One edit: delete or repeat the bytes at `start..start+len` (fractions of the text length).
#[derive(Clone, Debug)]
struct Edit {
    repeat: bool,
    start: f64,
    len: usize,
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn apply(text: &str, edit: &Edit) -> String {
    let start = floor_boundary(text, (edit.start * text.len() as f64) as usize);
    let end = floor_boundary(text, start + edit.len);
    let (before, middle, after) = (&text[..start], &text[start..end], &text[end..]);
    if edit.repeat {
        format!("{before}{middle}{middle}{after}")
    } else {
        format!("{before}{after}")
    }
}

fn within(span: Span, len: usize) -> bool {
    span.start <= span.end && (span.end as usize) <= len
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    prop::collection::vec(
        (any::<bool>(), 0.0..1.0f64, 1usize..40).prop_map(|(repeat, start, len)| Edit {
            repeat,
            start,
            len,
        }),
        1..4,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    #[test]
    fn mutated_fixtures_never_panic(pick in any::<prop::sample::Index>(), edits in edits()) {
        let texts = fixtures();
        prop_assert!(texts.len() > 50, "the fixtures are not found");
        let original = &texts[pick.index(texts.len())];
        let text = edits.iter().fold(original.clone(), |t, e| apply(&t, e));
        let mut sources = SourceMap::new();
        let file = sources.add("m.rule", text.as_str());
        let parsed = oblige_syntax::parse(file, &text);
        let checked = check(sources, &[(file, parsed.unit)]);
        for d in &checked.diagnostics {
            prop_assert!(within(d.span, text.len()), "{d:?} is outside the file:\n{text}");
            for r in &d.related {
                prop_assert!(within(r.span, text.len()), "{d:?} is outside the file:\n{text}");
            }
            prop_assert!(d.span.file == file || text.is_empty() || d.span.start == 0);
        }
        if checked.plan.is_some() {
            prop_assert!(!oblige_diagnostics::has_errors(&checked.diagnostics));
        }
    }
}

#[test]
fn no_files_at_all_is_an_error_not_a_panic() {
    let checked = check(SourceMap::new(), &[]);
    assert!(checked.plan.is_none());
    assert!(checked
        .diagnostics
        .iter()
        .any(|d| d.code == oblige_check::codes::MISSING_PLAN));
}
