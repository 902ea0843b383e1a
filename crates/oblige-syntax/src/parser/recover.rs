//! Error recovery: where to resume parsing after an item that failed.

use crate::keywords::{Kw, ITEM_KEYWORDS};
use crate::scan::Scan;

/// Where to resume after an item starting at `item_start` failed at `at`: the next line (from
/// the failing one on) that starts with an item keyword. `finding` also starts a line inside
/// rules (`then finding …`), so it only counts outside braces.
pub(super) fn recover(text: &str, scan: &Scan, item_start: usize, at: usize) -> usize {
    let mut line = text
        .get(..at)
        .and_then(|s| s.rfind('\n'))
        .map_or(0, |i| i + 1);
    loop {
        if line > item_start && !scan.in_comment(line) {
            if let Some(kw) = item_keyword_at(text, line) {
                if kw != Kw::Finding || brace_depth(text, scan, item_start, line) <= 0 {
                    return line;
                }
            }
        }
        match text.get(line..).and_then(|s| s.find('\n')) {
            Some(i) => line += i + 1,
            None => return text.len(),
        }
    }
}

/// The item keyword a line starts with, after its indentation.
fn item_keyword_at(text: &str, line: usize) -> Option<Kw> {
    let rest = text.get(line..)?;
    let rest = rest.trim_start_matches([' ', '\t', '\u{3000}']);
    let word: String = rest
        .chars()
        .take_while(|c| pest::unicode::XID_CONTINUE(*c))
        .collect();
    ITEM_KEYWORDS
        .iter()
        .copied()
        .find(|k| k.info().spellings().any(|s| s == word))
}

/// Braces opened minus braces closed between `from` and `to`, outside comments and strings.
fn brace_depth(text: &str, scan: &Scan, from: usize, to: usize) -> i64 {
    let mut depth = 0;
    let mut in_string: Option<char> = None;
    for (i, c) in text.get(from..to).unwrap_or("").char_indices() {
        if scan.in_comment(from + i) || scan.comment_at(from + i).is_some() {
            continue;
        }
        match (in_string, c) {
            (Some(close), _) if c == close || c == '\n' => in_string = None,
            (Some(_), _) => {}
            (None, '"') => in_string = Some('"'),
            (None, '“') => in_string = Some('”'),
            (None, '「') => in_string = Some('」'),
            (None, '{' | '｛') => depth += 1,
            (None, '}' | '｝') => depth -= 1,
            _ => {}
        }
    }
    depth
}
