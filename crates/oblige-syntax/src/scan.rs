//! A lexical pre-scan of a whole file, independent of the grammar.
//!
//! It finds comments (which the grammar skips silently but the formatter needs), and the errors a
//! grammar can only report vaguely: unterminated strings and comments, bad escapes, stray
//! characters and unbalanced brackets. Because it sees the whole file, it can point at the
//! opening bracket that was never closed rather than at the end of the file.

use crate::codes;
use oblige_diagnostics::{Diagnostic, FileId, Span};
use std::ops::Range;

/// Bracket nesting the parser accepts; deeper nesting is reported instead of parsed, so no input
/// can exhaust the parser's stack.
pub(crate) const MAX_DEPTH: usize = 64;

/// A comment found by the scan.
#[derive(Clone, Debug)]
pub(crate) struct RawComment {
    /// Byte range, without a line comment's line break.
    pub range: Range<usize>,
    /// `///` but not `////`.
    pub is_doc: bool,
}

/// What the scan found.
#[derive(Debug, Default)]
pub(crate) struct Scan {
    /// Every comment, in order.
    pub comments: Vec<RawComment>,
    /// Errors, in order of position.
    pub diagnostics: Vec<Diagnostic>,
    /// Positions of brackets opened beyond [`MAX_DEPTH`].
    pub too_deep: Vec<usize>,
}

impl Scan {
    /// The comment starting exactly at `pos`, if any.
    pub fn comment_at(&self, pos: usize) -> Option<&RawComment> {
        self.comments
            .binary_search_by_key(&pos, |c| c.range.start)
            .ok()
            .and_then(|i| self.comments.get(i))
    }

    /// Whether `pos` lies inside a comment (after its first character).
    pub fn in_comment(&self, pos: usize) -> bool {
        // Comments are sorted and never overlap, so only the last one starting before `pos`
        // can hold it.
        let i = self.comments.partition_point(|c| c.range.start < pos);
        i.checked_sub(1)
            .and_then(|i| self.comments.get(i))
            .is_some_and(|c| pos < c.range.end)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Bracket {
    Brace,
    Paren,
    Square,
}

impl Bracket {
    fn open(self) -> &'static str {
        match self {
            Bracket::Brace => "{",
            Bracket::Paren => "(",
            Bracket::Square => "[",
        }
    }

    fn close(self) -> &'static str {
        match self {
            Bracket::Brace => "}",
            Bracket::Paren => ")",
            Bracket::Square => "]",
        }
    }
}

fn bracket(c: char) -> Option<(Bracket, bool)> {
    Some(match c {
        '{' | '｛' => (Bracket::Brace, true),
        '}' | '｝' => (Bracket::Brace, false),
        '(' | '（' => (Bracket::Paren, true),
        ')' | '）' => (Bracket::Paren, false),
        '[' | '［' | '【' => (Bracket::Square, true),
        ']' | '］' | '】' => (Bracket::Square, false),
        _ => return None,
    })
}

/// Characters that only ever appear outside strings and comments as part of a token; `/` is left
/// to the parser so that `2023/05/04` is reported as a misshapen date.
fn is_token_char(c: char) -> bool {
    matches!(
        c,
        '.' | ','
            | ':'
            | '='
            | '!'
            | '<'
            | '>'
            | '-'
            | '/'
            | '，'
            | '、'
            | '：'
            | '．'
            | '＝'
            | '≠'
            | '！'
            | '＜'
            | '＞'
            | '≥'
            | '≤'
    ) || c == '_'
        || c == '\u{FEFF}'
        || pest::unicode::XID_CONTINUE(c)
        || pest::unicode::WHITE_SPACE(c)
}

/// Help for characters that look like a form the language accepts.
fn stray_help(c: char) -> Option<&'static str> {
    Some(match c {
        '～' | '~' | '〜' => "did you mean `..`? write ranges like `2023-01-01 .. 2023-01-03`",
        '－' | '—' | '–' | '‐' | '−' => "did you mean `-`?",
        '；' | ';' => "did you mean `,`?",
        '。' => "did you mean `.`?",
        '＂' => "did you mean `\"`?",
        '‘' | '’' | '＇' | '\'' | '《' | '》' | '『' | '』' => {
            "did you mean a string? write strings as `\"…\"`, `“…”` or `「…」`"
        }
        '”' => "a string opens with `“`; did you mean `“`?",
        '」' => "a string opens with `「`; did you mean `「`?",
        '〔' | '〖' | '〘' => "did you mean `[`?",
        '〕' | '〗' | '〙' => "did you mean `]`?",
        '〈' => "did you mean `<`?",
        '〉' => "did you mean `>`?",
        '…' => "did you mean `..`?",
        c if is_invisible(c) => "remove this invisible character",
        _ => return None,
    })
}

/// Shows a character in a message: itself, or its code point if it is invisible.
pub(crate) fn show_char(c: char) -> String {
    if is_invisible(c) {
        format!("U+{:04X}", u32::from(c))
    } else {
        c.to_string()
    }
}

/// Control, white-space and formatting characters, which show as nothing in a terminal.
fn is_invisible(c: char) -> bool {
    c.is_control()
        || pest::unicode::WHITE_SPACE(c)
        || matches!(
            c,
            '\u{AD}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{FEFF}'
        )
}

struct Scanner<'t> {
    text: &'t str,
    file: FileId,
    out: Scan,
    stack: Vec<(Bracket, usize, char)>,
    /// After an unterminated string the rest of its line is scanned as code, for brackets only:
    /// the closing quote was most likely forgotten before them. Stray characters there are not
    /// reported, since they are probably text.
    quiet_until: usize,
}

/// Scans `text`, the contents of `file`.
pub(crate) fn scan(file: FileId, text: &str) -> Scan {
    let mut s = Scanner {
        text,
        file,
        out: Scan::default(),
        stack: Vec::new(),
        quiet_until: 0,
    };
    s.run();
    s.finish()
}

impl Scanner<'_> {
    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.file, start, end)
    }

    fn char_at(&self, pos: usize) -> Option<char> {
        self.text.get(pos..).and_then(|s| s.chars().next())
    }

    fn run(&mut self) {
        let mut pos = 0;
        while let Some(c) = self.char_at(pos) {
            let rest = self.text.get(pos..).unwrap_or("");
            pos = if rest.starts_with("//") {
                self.line_comment(pos)
            } else if rest.starts_with("/*") {
                self.block_comment(pos)
            } else if let Some(close) = quote_close(c) {
                self.string(pos, c, close)
            } else if let Some((kind, open)) = bracket(c) {
                self.bracket(pos, c, kind, open);
                pos + c.len_utf8()
            } else {
                if !is_token_char(c) && pos >= self.quiet_until {
                    self.stray(pos, c);
                }
                pos + c.len_utf8()
            };
        }
    }

    fn line_comment(&mut self, start: usize) -> usize {
        let rest = self.text.get(start..).unwrap_or("");
        // The grammar's `NEWLINE` ends a comment at a lone `\r` too.
        let len = rest.find(['\n', '\r']).unwrap_or(rest.len());
        let body = rest.get(..len).unwrap_or("");
        let is_doc = body.starts_with("///") && !body.starts_with("////");
        self.out.comments.push(RawComment {
            range: start..start + body.len(),
            is_doc,
        });
        start + len
    }

    fn block_comment(&mut self, start: usize) -> usize {
        let rest = self.text.get(start + 2..).unwrap_or("");
        let end = match rest.find("*/") {
            Some(i) => start + 2 + i + 2,
            None => {
                self.out.diagnostics.push(
                    Diagnostic::error(
                        codes::UNTERMINATED_COMMENT,
                        self.span(start, start + 2),
                        "unterminated block comment",
                    )
                    .with_label("this comment is never closed")
                    .with_help("close it with `*/`"),
                );
                self.text.len()
            }
        };
        self.out.comments.push(RawComment {
            range: start..end,
            is_doc: false,
        });
        end
    }

    fn string(&mut self, start: usize, open: char, close: char) -> usize {
        let mut pos = start + open.len_utf8();
        while let Some(c) = self.char_at(pos) {
            if c == close {
                return pos + c.len_utf8();
            }
            if c == '\n' || c == '\r' {
                break;
            }
            if c == '\\' {
                let next = self.char_at(pos + 1);
                match next {
                    Some('"' | '\\' | 'n') => {}
                    Some(n) if n == close => {}
                    Some('\n' | '\r') | None => break,
                    Some(n) => self.bad_escape(pos, n, close),
                }
                pos += 1 + next.map_or(0, char::len_utf8);
                continue;
            }
            pos += c.len_utf8();
        }
        self.quiet_until = pos;
        self.out.diagnostics.push(
            Diagnostic::error(
                codes::UNTERMINATED_STRING,
                self.span(start, start + open.len_utf8()),
                "unterminated string",
            )
            .with_label("this string is not closed before the end of the line")
            .with_help(format!(
                "close it with `{close}`; write a line break inside a string as `\\n`"
            )),
        );
        start + open.len_utf8()
    }

    fn bad_escape(&mut self, pos: usize, next: char, close: char) {
        let end = pos + 1 + next.len_utf8();
        let quote = if close == '"' {
            String::new()
        } else {
            format!(", `\\{close}`")
        };
        self.out.diagnostics.push(
            Diagnostic::error(
                codes::INVALID_ESCAPE,
                self.span(pos, end),
                format!("unknown escape `\\{}` in a string", show_char(next)),
            )
            .with_help(format!(
                "the escapes are `\\\"`, `\\\\`{quote} and `\\n`; write `\\\\` for a backslash"
            )),
        );
    }

    fn bracket(&mut self, pos: usize, c: char, kind: Bracket, open: bool) {
        if open {
            self.stack.push((kind, pos, c));
            if self.stack.len() == MAX_DEPTH + 1 {
                self.out.too_deep.push(pos);
                self.out.diagnostics.push(
                    Diagnostic::error(
                        codes::TOO_DEEP,
                        self.span(pos, pos + c.len_utf8()),
                        format!("brackets nested more than {MAX_DEPTH} deep"),
                    )
                    .with_help("split the condition into simpler parts"),
                );
            }
            return;
        }
        match self.stack.iter().rposition(|(k, _, _)| *k == kind) {
            Some(i) => {
                let unclosed: Vec<_> = self.stack.drain(i..).skip(1).collect();
                for (k, p, ch) in unclosed.into_iter().rev() {
                    self.unclosed(k, p, ch, Some((pos, c)));
                }
            }
            // `[a, b)`: a typo for the closer of the innermost `(` or `[`. A stray closer inside
            // braces is more likely one too many, so braces stay open.
            None => match self.stack.last().copied() {
                Some((k, p, ch)) if k != Bracket::Brace => {
                    self.stack.pop();
                    self.out.diagnostics.push(
                        Diagnostic::error(
                            codes::UNBALANCED_BRACKET,
                            self.span(pos, pos + c.len_utf8()),
                            format!("`{c}` does not close `{ch}`"),
                        )
                        .with_label(format!("expected `{}`", k.close()))
                        .with_related(
                            self.span(p, p + ch.len_utf8()),
                            format!("`{ch}` opened here"),
                        )
                        .with_help(format!("did you mean `{}`?", k.close())),
                    );
                }
                _ => self.out.diagnostics.push(
                    Diagnostic::error(
                        codes::UNBALANCED_BRACKET,
                        self.span(pos, pos + c.len_utf8()),
                        format!("unmatched `{c}`"),
                    )
                    .with_label(format!("no `{}` is open here", kind.open()))
                    .with_help("remove it, or add the opening bracket it closes"),
                ),
            },
        }
    }

    fn unclosed(&mut self, kind: Bracket, pos: usize, c: char, closer: Option<(usize, char)>) {
        let mut d = Diagnostic::error(
            codes::UNBALANCED_BRACKET,
            self.span(pos, pos + c.len_utf8()),
            format!("unclosed `{c}`"),
        )
        .with_label("this bracket is never closed")
        .with_help(format!(
            "add a `{}` where it should end",
            closer_for(c, kind)
        ));
        if let Some((p, ch)) = closer {
            d = d.with_related(
                self.span(p, p + ch.len_utf8()),
                format!("`{ch}` closes an outer bracket first"),
            );
        }
        self.out.diagnostics.push(d);
    }

    fn stray(&mut self, pos: usize, c: char) {
        let shown = show_char(c);
        let d = Diagnostic::error(
            codes::UNEXPECTED_CHARACTER,
            self.span(pos, pos + c.len_utf8()),
            format!("unexpected character `{shown}`"),
        )
        .with_label("not part of the language")
        .with_help_opt(stray_help(c).map(str::to_owned));
        self.out.diagnostics.push(d);
    }

    fn finish(mut self) -> Scan {
        let open = std::mem::take(&mut self.stack);
        for (k, p, c) in open {
            self.unclosed(k, p, c, None);
        }
        self.out
            .diagnostics
            .sort_by_key(|d| (d.span.start, d.span.end));
        self.out.comments.sort_by_key(|c| c.range.start);
        self.out
    }
}

/// The closing bracket in the same style (ASCII or full-width) as the opening one.
fn closer_for(open: char, kind: Bracket) -> &'static str {
    match open {
        '｛' => "｝",
        '（' => "）",
        '［' => "］",
        '【' => "】",
        _ => kind.close(),
    }
}

fn quote_close(c: char) -> Option<char> {
    match c {
        '"' => Some('"'),
        '“' => Some('”'),
        '「' => Some('」'),
        _ => None,
    }
}
