//! Every ```rule block of `docs/language.md` is a working plan, and every Chinese example and its
//! English rendering say the same thing.
//!
//! Conventions of the page, which this test enforces:
//!
//! - A block tagged `rule` is a complete plan: it parses, and checking it gives no error and no
//!   warning other than `W0106` (an unused declaration, which a short example often has).
//!   Fragments are tagged `text`.
//! - A block preceded (on the nearest non-empty line) by `<!-- file: NAME.rule -->` is not a plan
//!   on its own but a file that the other blocks may `include "NAME.rule"`; it must parse, and
//!   some plan must include it. Every plan block is loaded as `plan.rule` next to these files.
//! - A block preceded by `<!-- same meaning as the block above -->` is the English rendering of
//!   the `rule` block just before it: one is in Chinese keywords, the other in English, and the
//!   two parse to the same tree (`oblige_fmt::same_meaning`).
//! - A block that holds only comments shows comment syntax: it must parse, with no item.
//! - Every `###` subsection of `## Constructs` has at least one `rule` block.
//!
//! A failure names the line of the block's opening fence in the doc.

use oblige_check::{check, codes};
use oblige_diagnostics::{has_errors, FileId};
use oblige_syntax::ast::Lang;
use oblige_syntax::{load_with, MapLoader};
use std::collections::BTreeSet;
use std::path::Path;

const FILE_MARKER: &str = "<!-- file: ";
const TWIN_MARKER: &str = "<!-- same meaning as the block above -->";

fn doc() -> std::io::Result<String> {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/language.md"
    ))
}

/// A fenced block of the doc.
#[derive(Debug)]
struct Block {
    /// 1-based line of the opening fence.
    line: usize,
    /// The info string (`rule`, `text`, `sh`…).
    tag: String,
    /// The marker comment on the nearest non-empty line before the fence, if any.
    marker: Option<String>,
    /// The `###` heading the block is under, and whether that heading is inside `## Constructs`.
    section: Option<String>,
    /// The block's text, each line ending in `\n`.
    text: String,
}

fn blocks(doc: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut open: Option<Block> = None;
    let mut last_nonempty = "";
    let mut in_constructs = false;
    let mut section: Option<String> = None;
    for (i, line) in doc.lines().enumerate() {
        if let Some(block) = open.as_mut() {
            if line.trim_start().starts_with("```") {
                out.extend(open.take());
            } else {
                block.text.push_str(line);
                block.text.push('\n');
            }
            continue;
        }
        if let Some(tag) = line.trim_start().strip_prefix("```") {
            let marker = last_nonempty.trim();
            open = Some(Block {
                line: i + 1,
                tag: tag.trim().to_owned(),
                marker: marker.starts_with("<!--").then(|| marker.to_owned()),
                section: section.clone(),
                text: String::new(),
            });
        } else if let Some(h) = line.strip_prefix("## ") {
            in_constructs = h.trim() == "Constructs";
            section = None;
        } else if let Some(h) = line.strip_prefix("### ") {
            section = in_constructs.then(|| h.trim().to_owned());
        }
        if !line.trim().is_empty() {
            last_nonempty = line;
        }
    }
    assert!(open.is_none(), "docs/language.md has an unclosed ``` block");
    out
}

/// The file name a `<!-- file: NAME -->` marker gives.
fn file_name(block: &Block) -> Option<&str> {
    let m = block.marker.as_deref()?.strip_prefix(FILE_MARKER)?;
    Some(m.strip_suffix("-->")?.trim())
}

fn is_comment_only(block: &Block) -> bool {
    let parsed = oblige_syntax::parse(FileId(0), &block.text);
    parsed.unit.items.is_empty() && !parsed.unit.comments.is_empty()
}

/// The problems of one plan block, checked together with the doc's file blocks; also records
/// which of those files it loaded.
fn check_plan(
    block: &Block,
    files: &[(&str, &Block)],
    loaded: &mut BTreeSet<String>,
) -> Vec<String> {
    let mut loader = MapLoader::new();
    for (name, b) in files {
        loader.insert(*name, b.text.as_str());
    }
    loader.insert("plan.rule", block.text.as_str());
    let result = load_with(&loader, Path::new("plan.rule"));
    let mut problems = Vec::new();
    for d in &result.diagnostics {
        problems.push(format!("{} {} (loading)", d.code.0, d.message));
    }
    for (id, _) in &result.units {
        if let Some(file) = result.sources.get(*id) {
            loaded.insert(file.name.clone());
        }
    }
    if has_errors(&result.diagnostics) {
        return problems;
    }
    let checked = check(result.sources, &result.units);
    for d in &checked.diagnostics {
        if d.code != codes::UNUSED {
            problems.push(format!("{} {}", d.code.0, d.message));
        }
    }
    if checked.plan.is_none() && problems.is_empty() {
        problems.push("the checker built no plan".to_owned());
    }
    problems
}

#[test]
fn every_rule_block_is_a_working_plan() {
    let doc = doc().expect("docs/language.md is readable");
    let all = blocks(&doc);
    let rule: Vec<&Block> = all.iter().filter(|b| b.tag == "rule").collect();
    let files: Vec<(&str, &Block)> = rule
        .iter()
        .filter_map(|b| file_name(b).map(|n| (n, *b)))
        .collect();
    let mut failures = Vec::new();
    let mut loaded = BTreeSet::new();
    let mut plans = 0;
    for block in &rule {
        if let Some(name) = file_name(block) {
            let parsed = oblige_syntax::parse(FileId(0), &block.text);
            for d in &parsed.diagnostics {
                failures.push(format!(
                    "line {} (file {name}): {} {}",
                    block.line, d.code.0, d.message
                ));
            }
            continue;
        }
        if is_comment_only(block) {
            let parsed = oblige_syntax::parse(FileId(0), &block.text);
            for d in &parsed.diagnostics {
                failures.push(format!("line {}: {} {}", block.line, d.code.0, d.message));
            }
            continue;
        }
        plans += 1;
        for p in check_plan(block, &files, &mut loaded) {
            failures.push(format!("line {}: {p}", block.line));
        }
    }
    for (name, block) in &files {
        if !loaded.iter().any(|l| l.ends_with(name)) {
            failures.push(format!(
                "line {}: the file {name} is included by no example",
                block.line
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "docs/language.md has examples that do not work:\n{}",
        failures.join("\n")
    );
    assert!(
        plans >= 13,
        "only {plans} complete examples in docs/language.md"
    );
}

#[test]
fn chinese_and_english_twins_mean_the_same() {
    let doc = doc().expect("docs/language.md is readable");
    let rule: Vec<Block> = blocks(&doc)
        .into_iter()
        .filter(|b| b.tag == "rule")
        .collect();
    let mut failures = Vec::new();
    let mut pairs = 0;
    for pair in rule.windows(2) {
        let (zh, en) = (&pair[0], &pair[1]);
        if en.marker.as_deref() != Some(TWIN_MARKER) {
            continue;
        }
        pairs += 1;
        let a = oblige_syntax::parse(FileId(0), &zh.text);
        let b = oblige_syntax::parse(FileId(1), &en.text);
        if !a.diagnostics.is_empty() || !b.diagnostics.is_empty() {
            failures.push(format!(
                "lines {} / {}: a twin does not parse",
                zh.line, en.line
            ));
            continue;
        }
        if a.unit.lang != Lang::Zh || b.unit.lang != Lang::En {
            failures.push(format!(
                "lines {} / {}: expected Chinese then English keywords, found {:?} then {:?}",
                zh.line, en.line, a.unit.lang, b.unit.lang
            ));
        }
        if !oblige_fmt::same_meaning(&a.unit, &b.unit) {
            failures.push(format!(
                "lines {} / {}: the English block does not mean the same as the Chinese one",
                zh.line, en.line
            ));
        }
    }
    let stray = rule
        .first()
        .filter(|b| b.marker.as_deref() == Some(TWIN_MARKER))
        .map(|b| b.line);
    assert!(
        stray.is_none(),
        "line {stray:?}: a twin marker with no block above"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        pairs >= 10,
        "only {pairs} Chinese/English pairs in docs/language.md"
    );
}

#[test]
fn every_construct_has_an_example() {
    let doc = doc().expect("docs/language.md is readable");
    let all = blocks(&doc);
    let headings: Vec<String> = doc
        .lines()
        .skip_while(|l| l.trim() != "## Constructs")
        .skip(1)
        .take_while(|l| !l.starts_with("## "))
        .filter_map(|l| l.strip_prefix("### ").map(|h| h.trim().to_owned()))
        .collect();
    assert!(
        headings.len() >= 13,
        "`## Constructs` has {} subsections",
        headings.len()
    );
    let bare: Vec<&String> = headings
        .iter()
        .filter(|h| {
            !all.iter()
                .any(|b| b.tag == "rule" && b.section.as_ref() == Some(*h))
        })
        .collect();
    assert!(
        bare.is_empty(),
        "constructs without a ```rule example: {bare:?}"
    );
}

#[test]
fn blocks_are_found_with_their_fence_line_and_marker() {
    let doc = "a\n```rule\nx\n```\n<!-- same meaning as the block above -->\n```rule\ny\n```\n";
    let b = blocks(doc);
    assert_eq!(b.len(), 2);
    assert_eq!((b[0].line, b[0].text.as_str()), (2, "x\n"));
    assert_eq!(b[1].marker.as_deref(), Some(TWIN_MARKER));
}
