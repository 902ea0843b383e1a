//! `docs/diagnostics.md` documents exactly the codes of `codes.rs`, and each section's example
//! produces its code.

use oblige_check::{check, codes};
use oblige_diagnostics::SourceMap;
use std::collections::BTreeSet;

fn doc() -> std::io::Result<String> {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/diagnostics.md"
    ))
}

/// `(code, section text)` for every `## CODE title` heading.
fn sections(doc: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in doc.lines() {
        if let Some(rest) = line.strip_prefix("## ") {
            let code = rest
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned();
            out.push((code, String::new()));
        } else if let Some((_, body)) = out.last_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    out
}

/// The first ```rule block after `### Example`.
fn example(section: &str) -> Option<String> {
    let after = section.split("### Example").nth(1)?;
    let start = after.find("```rule\n")? + "```rule\n".len();
    let len = after[start..].find("```")?;
    Some(after[start..start + len].to_owned())
}

#[test]
fn every_code_is_documented_and_every_documented_code_exists() {
    let doc = doc().expect("docs/diagnostics.md is readable");
    let documented: Vec<String> = sections(&doc).into_iter().map(|(c, _)| c).collect();
    let unique: BTreeSet<&String> = documented.iter().collect();
    assert_eq!(unique.len(), documented.len(), "a code is documented twice");
    let ours: BTreeSet<String> = codes::ALL.iter().map(|c| c.0.to_owned()).collect();
    let syntax: BTreeSet<String> = oblige_syntax::codes::ALL
        .iter()
        .map(|c| c.0.to_owned())
        .collect();
    for code in &ours {
        assert!(
            unique.contains(code),
            "{code} has no section in docs/diagnostics.md"
        );
    }
    for code in unique {
        // Syntax codes are documented on the same page and tested by the syntax crate.
        let known = ours.contains(code) || (code.starts_with("E00") && syntax.contains(code));
        assert!(
            known,
            "docs/diagnostics.md documents `{code}`, which no code defines"
        );
    }
}

#[test]
fn codes_are_unique() {
    let all: BTreeSet<&str> = codes::ALL.iter().map(|c| c.0).collect();
    assert_eq!(all.len(), codes::ALL.len());
}

#[test]
fn every_example_produces_its_code() {
    let doc = doc().expect("docs/diagnostics.md is readable");
    for (code, body) in sections(&doc) {
        if !codes::ALL.iter().any(|c| c.0 == code) {
            continue;
        }
        let text = example(&body).unwrap_or_else(|| panic!("{code} has no ```rule example"));
        let mut sources = SourceMap::new();
        let file = sources.add(format!("{code}.rule"), text.as_str());
        let parsed = oblige_syntax::parse(file, &text);
        assert!(
            parsed.diagnostics.is_empty(),
            "{code}'s example has syntax errors: {:?}",
            parsed.diagnostics
        );
        let checked = check(sources, &[(file, parsed.unit)]);
        assert!(
            checked.diagnostics.iter().any(|d| d.code.0 == code),
            "{code}'s example does not produce it: {:?}",
            checked
                .diagnostics
                .iter()
                .map(|d| d.code.0)
                .collect::<Vec<_>>()
        );
    }
}
