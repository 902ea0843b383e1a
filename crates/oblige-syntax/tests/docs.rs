//! `docs/diagnostics.md` documents every syntax code, and each `rule` example there really
//! reports the code of its section.

use oblige_syntax::{codes, parse, FileId};

const DOC: &str = include_str!("../../../docs/diagnostics.md");

/// `(code, first rule example)` of each `## E00xx` section.
fn sections() -> Vec<(String, Option<String>)> {
    DOC.split("\n## ")
        .skip(1)
        .map(|section| {
            let code = section.split_whitespace().next().unwrap_or("").to_owned();
            let example = section
                .split("```rule\n")
                .nth(1)
                .and_then(|rest| rest.split("```").next())
                .map(str::to_owned);
            (code, example)
        })
        .filter(|(code, _)| code.starts_with("E00"))
        .collect()
}

#[test]
fn every_code_is_documented_in_order() {
    let documented: Vec<String> = sections().into_iter().map(|(c, _)| c).collect();
    let all: Vec<String> = codes::ALL.iter().map(|c| c.0.to_owned()).collect();
    assert_eq!(documented, all);
}

#[test]
fn every_rule_example_reports_its_code() {
    let mut checked = 0;
    for (code, example) in sections() {
        let Some(example) = example else { continue };
        let parsed = parse(FileId(0), &example);
        let codes: Vec<&str> = parsed.diagnostics.iter().map(|d| d.code.0).collect();
        assert!(
            codes.contains(&code.as_str()),
            "example of {code} reports {codes:?}"
        );
        checked += 1;
    }
    assert_eq!(checked, 13, "every syntax code has a parsed example");
}
