//! The parser: runs the pest grammar one item at a time, builds the AST, and recovers after
//! errors so that every syntax error of a file is reported in one go.

mod errors;
mod expr;
mod items;
mod literals;
mod recover;
mod rules;
mod tokens;
mod words;

use crate::ast::{Comment, Docs, Item, Lang, SourceUnit};
use crate::scan::{self, Scan};
use crate::Parsed;
use oblige_diagnostics::{sort_diagnostics, Diagnostic, FileId, Span};
use pest::Parser as _;

use tokens::kw_of_rule;

/// The pest parser generated from `grammar/oblige.pest`.
#[derive(pest_derive::Parser)]
#[grammar = "../../grammar/oblige.pest"]
pub(crate) struct Grammar;

/// A node of pest's parse tree.
pub(crate) type Pair<'i> = pest::iterators::Pair<'i, Rule>;

/// Where the pairs of one item sit in the file, and where diagnostics go.
pub(crate) struct Ctx<'d> {
    file: FileId,
    /// Byte offset of the parsed slice in the file.
    offset: usize,
    diags: &'d mut Vec<Diagnostic>,
}

impl Ctx<'_> {
    /// The span of `p` in the file, without the trailing white space pest leaves inside a rule
    /// that ends with an optional part.
    fn span(&self, p: &Pair) -> Span {
        Span::new(
            self.file,
            self.offset + p.as_span().start(),
            self.offset + end_of(p),
        )
    }
}

fn end_of(p: &Pair) -> usize {
    match p.clone().into_inner().last() {
        Some(last) => end_of(&last),
        None => p.as_span().end(),
    }
}

/// The children of `p` that carry content: keywords and punctuation are left out.
fn kids<'i>(p: &Pair<'i>) -> std::iter::Peekable<impl Iterator<Item = Pair<'i>>> {
    p.clone()
        .into_inner()
        .filter(|c| !tokens::is_token(c.as_rule()))
        .peekable()
}

/// The next child if it is a `rule`.
fn next_if<'i>(
    it: &mut std::iter::Peekable<impl Iterator<Item = Pair<'i>>>,
    rule: Rule,
) -> Option<Pair<'i>> {
    it.next_if(|p| p.as_rule() == rule)
}

/// Counts keyword spellings per language to find the file's [`Lang`].
#[derive(Default)]
struct LangCount {
    en: usize,
    zh: usize,
}

impl LangCount {
    fn add(&mut self, item: &Pair) {
        for p in item.clone().into_inner().flatten() {
            if kw_of_rule(p.as_rule()).is_some() {
                if p.as_str().is_ascii() {
                    self.en += 1;
                } else {
                    self.zh += 1;
                }
            }
        }
    }

    fn lang(&self) -> Option<Lang> {
        match self.en.cmp(&self.zh) {
            std::cmp::Ordering::Less => Some(Lang::Zh),
            std::cmp::Ordering::Greater => Some(Lang::En),
            std::cmp::Ordering::Equal if self.en == 0 => None,
            std::cmp::Ordering::Equal => Some(Lang::En),
        }
    }
}

/// Parses one file. Items that fail to parse are absent from the unit; every error is reported.
pub(crate) fn parse(file: FileId, text: &str) -> Parsed {
    let scan = scan::scan(file, text);
    let mut d = Driver {
        file,
        text,
        diags: scan.diagnostics.clone(),
        scan,
        items: Vec::new(),
        item_docs: Vec::new(),
        failures: Vec::new(),
        count: LangCount::default(),
        boundary: 0,
        last_item: None,
    };
    let mut pos = 0;
    loop {
        pos = skip_trivia(text, pos, &d.scan);
        if pos >= text.len() {
            break;
        }
        let limit = d
            .scan
            .too_deep
            .iter()
            .find(|&&deep| deep >= pos)
            .map_or(text.len(), |&deep| deep);
        let slice = text.get(pos..limit).unwrap_or("");
        pos = match Grammar::parse(Rule::item, slice) {
            Ok(mut pairs) => match pairs.next() {
                Some(pair) => d.parsed(pos, &pair),
                None => break,
            },
            Err(e) => d.failed(pos, &e),
        };
    }
    d.finish()
}

/// The state of parsing one file item by item.
struct Driver<'t> {
    file: FileId,
    text: &'t str,
    scan: Scan,
    diags: Vec<Diagnostic>,
    items: Vec<Item>,
    /// For each item, the indices in `scan.comments` of its `///` lines.
    item_docs: Vec<Vec<usize>>,
    failures: Vec<errors::Failure>,
    count: LangCount,
    /// Doc comments before this position belong to no later item.
    boundary: usize,
    /// Where the last item started and ended, if nothing failed since.
    last_item: Option<(usize, usize)>,
}

impl Driver<'_> {
    /// Builds the item `pair` parsed at `pos`; returns where parsing goes on.
    fn parsed(&mut self, pos: usize, pair: &Pair) -> usize {
        self.count.add(pair);
        let (docs, doc_ids) = docs_before(self.text, &self.scan, self.boundary, pos);
        let mut ctx = Ctx {
            file: self.file,
            offset: pos,
            diags: &mut self.diags,
        };
        let end = pos + end_of(pair).max(1);
        match items::item(&mut ctx, pair, docs) {
            Some(item) => {
                // An include keeps no docs, so its `///` lines stay comments.
                let used = if matches!(item, Item::Include(_)) {
                    Vec::new()
                } else {
                    doc_ids
                };
                self.items.push(item);
                self.item_docs.push(used);
                self.last_item = Some((pos, end));
            }
            None => ctx.diags.push(errors::unreadable(self.file, pos, end)),
        }
        self.boundary = end;
        end
    }

    /// Records an item that failed at `pos`; returns where parsing goes on.
    fn failed(&mut self, pos: usize, e: &pest::error::Error<Rule>) -> usize {
        let mut failure = errors::Failure::new(pos, e);
        // `window w = 2023-01-01 至 2023-01-03`: the item before the failure parsed only
        // because its grammar allows stopping early; what follows on its line belongs to it.
        // An item closed by a brace is complete whatever follows.
        if let Some((start, end)) = self.last_item {
            if failure.at == pos && self.cut_short(end, pos) {
                self.items.pop();
                self.item_docs.pop();
                failure = self.reparse_to_line_end(start, pos).unwrap_or(failure);
            }
        }
        self.last_item = None;
        let next = recover::recover(self.text, &self.scan, pos, failure.at);
        // Recovery may skip the `///` lines of the next item; they still belong to it.
        self.boundary = failure.at;
        self.failures.push(failure);
        next
    }

    /// The failure of the item at `start` when it has to reach the end of the line of `at`:
    /// its error lists what could have continued it.
    fn reparse_to_line_end(&self, start: usize, at: usize) -> Option<errors::Failure> {
        let line_end = self
            .text
            .get(at..)
            .and_then(|s| s.find('\n'))
            .map_or(self.text.len(), |i| at + i);
        let slice = self.text.get(start..line_end)?;
        let e = Grammar::parse(Rule::item_to_end, slice).err()?;
        Some(errors::Failure::new(start, &e)).filter(|f| f.at >= at)
    }

    /// Whether the item ending at `end` may be the first part of what fails at `at`.
    fn cut_short(&self, end: usize, at: usize) -> bool {
        let closed = self
            .text
            .get(..end)
            .is_some_and(|s| s.ends_with(['}', '｝']));
        !closed && self.text.get(end..at).is_some_and(|s| !s.contains('\n'))
    }

    fn finish(mut self) -> Parsed {
        let lang = self
            .count
            .lang()
            .unwrap_or_else(|| tokens::guess_lang(self.text, &self.scan));
        for f in &self.failures {
            if let Some(d) = errors::diagnose(self.file, self.text, &self.scan, f, lang) {
                self.diags.push(d);
            }
        }
        sort_diagnostics(&mut self.diags);
        let used: Vec<usize> = self.item_docs.concat();
        let comments = collect_comments(self.text, self.file, &self.scan, &used);
        Parsed {
            unit: SourceUnit {
                items: self.items,
                comments,
                lang,
            },
            diagnostics: self.diags,
        }
    }
}

/// Skips white space and comments from `pos`.
fn skip_trivia(text: &str, mut pos: usize, scan: &Scan) -> usize {
    loop {
        if let Some(c) = scan.comment_at(pos) {
            pos = c.range.end.max(pos + 1);
            continue;
        }
        match text.get(pos..).and_then(|s| s.chars().next()) {
            Some(c) if pest::unicode::WHITE_SPACE(c) || c == '\u{FEFF}' => pos += c.len_utf8(),
            _ => return pos,
        }
    }
}

/// The `///` lines directly before the item at `start` (only white space between them), after
/// `boundary`; returns their text and their indices in `scan.comments`.
fn docs_before(text: &str, scan: &Scan, boundary: usize, start: usize) -> (Docs, Vec<usize>) {
    let mut ids = Vec::new();
    let mut next_start = start;
    for (i, c) in scan.comments.iter().enumerate().rev() {
        if c.range.end > next_start {
            continue;
        }
        let gap = text.get(c.range.end..next_start).unwrap_or("x");
        if !c.is_doc || c.range.start < boundary || !gap.chars().all(char::is_whitespace) {
            break;
        }
        ids.push(i);
        next_start = c.range.start;
    }
    ids.reverse();
    let docs = ids
        .iter()
        .filter_map(|&i| scan.comments.get(i))
        .map(|c| {
            let line = text.get(c.range.clone()).unwrap_or("");
            let body = line.strip_prefix("///").unwrap_or(line);
            body.strip_prefix(' ').unwrap_or(body).to_owned()
        })
        .collect();
    (docs, ids)
}

fn collect_comments(text: &str, file: FileId, scan: &Scan, used_docs: &[usize]) -> Vec<Comment> {
    scan.comments
        .iter()
        .enumerate()
        .filter(|(i, _)| !used_docs.contains(i))
        .map(|(_, c)| Comment {
            text: text.get(c.range.clone()).unwrap_or("").to_owned(),
            span: Span::new(file, c.range.start, c.range.end),
        })
        .collect()
}
