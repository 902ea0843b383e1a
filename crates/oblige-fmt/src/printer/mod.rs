//! The printer: turns a [`SourceUnit`] into lines, each remembering which source bytes it came
//! from so that comments can be put back next to them.
//!
//! Layout: items separated by one blank line; two spaces of indentation inside `{ }`; one plan
//! field, attribute, metadata line, subject clause and exemption per line; the requirement on one
//! line, except an escalation ladder, whose `if` branches go on lines indented under `when`.
//! Enums and windows stay on one line. Punctuation, quotes and digits are ASCII in both keyword
//! sets, and parentheses appear only where precedence needs them.

mod expr;
mod items;
mod rules;
pub(crate) mod words;

use oblige_syntax::ast::{Item, Lang, SourceUnit};
use oblige_syntax::Span;
use words::Toks;

/// Spaces per indentation level.
const INDENT: usize = 2;

/// One output line before comments are added.
#[derive(Debug)]
pub(crate) struct Line {
    /// Indentation in levels.
    pub(crate) indent: usize,
    /// The code on the line (empty for the blank line between items).
    pub(crate) text: String,
    /// Source bytes the line prints, `None` for blank lines.
    pub(crate) range: Option<(u32, u32)>,
    /// Indentation of comments placed before the line: a closing brace's comments belong inside.
    pub(crate) lead_indent: usize,
}

impl Line {
    /// The line's code with its indentation.
    pub(crate) fn render(&self) -> String {
        if self.text.is_empty() {
            return String::new();
        }
        format!("{}{}", " ".repeat(self.indent * INDENT), self.text)
    }
}

/// Indentation as spaces.
pub(crate) fn indent_str(levels: usize) -> String {
    " ".repeat(levels * INDENT)
}

/// Collects lines for a whole file.
pub(crate) struct Printer {
    lang: Lang,
    indent: usize,
    lines: Vec<Line>,
}

impl Printer {
    fn new(lang: Lang) -> Self {
        Self {
            lang,
            indent: 0,
            lines: Vec::new(),
        }
    }

    /// A fresh line in the file's keyword set.
    fn toks(&self) -> Toks {
        Toks::new(self.lang)
    }

    /// Adds a code line at the current indentation.
    fn push(&mut self, toks: Toks, range: (u32, u32)) {
        self.push_at(toks, Some(range));
    }

    /// Adds a code line that may not know where it came from.
    fn push_at(&mut self, toks: Toks, range: Option<(u32, u32)>) {
        self.lines.push(Line {
            indent: self.indent,
            text: toks.finish(),
            range,
            lead_indent: self.indent,
        });
    }

    /// Opens a `{ … }` block whose header is `toks`.
    fn open_block(&mut self, mut toks: Toks, range: (u32, u32)) {
        toks.word("{");
        self.push(toks, range);
        self.indent += 1;
    }

    /// Closes the block opened last; `item` is the span of the whole braced construct.
    fn close_block(&mut self, item: Span) {
        self.indent = self.indent.saturating_sub(1);
        self.lines.push(Line {
            indent: self.indent,
            text: "}".to_owned(),
            range: Some((item.end.saturating_sub(1), item.end)),
            lead_indent: self.indent + 1,
        });
    }

    /// `///` lines before an item; the parser drops one space after the slashes, so one is
    /// written back (an empty line gets none, to leave no trailing blank).
    fn docs(&mut self, docs: &[String], item: Span) {
        for doc in docs {
            let text = if doc.is_empty() {
                "///".to_owned()
            } else {
                format!("/// {doc}")
            };
            self.lines.push(Line {
                indent: self.indent,
                text,
                range: Some((item.start, item.start)),
                lead_indent: self.indent,
            });
        }
    }

    fn blank(&mut self) {
        self.lines.push(Line {
            indent: 0,
            text: String::new(),
            range: None,
            lead_indent: 0,
        });
    }

    fn item(&mut self, item: &Item) {
        match item {
            Item::Plan(plan) => self.plan(plan),
            Item::Include(include) => self.include(include),
            Item::Enum(decl) => self.enum_decl(decl),
            Item::Class(decl) => self.class(decl),
            Item::Event(decl) => self.event(decl),
            Item::Window(decl) => self.window(decl),
            Item::Calendar(decl) => self.calendar(decl),
            Item::Param(decl) => self.param(decl),
            Item::Finding(decl) => self.finding(decl),
            Item::State(decl) => self.state(decl),
            Item::Rule(rule) => self.rule(rule),
        }
    }
}

/// The lines of `unit` in keyword set `lang`, items separated by blank lines.
pub(crate) fn print_lines(unit: &SourceUnit, lang: Lang) -> Vec<Line> {
    let mut printer = Printer::new(lang);
    for (i, item) in unit.items.iter().enumerate() {
        if i > 0 {
            printer.blank();
        }
        printer.item(item);
    }
    printer.lines
}

/// Byte range of a span.
fn range(span: Span) -> (u32, u32) {
    (span.start, span.end)
}

/// Byte range from the start of `a` to the end of `b`.
fn range2(a: Span, b: Span) -> (u32, u32) {
    (a.start, b.end)
}
