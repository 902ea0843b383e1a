//! Puts `//` and `/* */` comments back next to the printed lines they were written beside.
//!
//! A comment written on the same source line as code (or inside a construct that prints as one
//! line) trails that line; a comment on a line of its own goes just before the next printed
//! line, at that line's indentation. This placement is stable: printing the output again puts
//! every comment in the same place, which keeps the formatter idempotent.

use crate::printer::{indent_str, Line};
use oblige_syntax::ast::Comment;

/// Comments written on one line of their own stay together on one output line.
type Row<'a> = Vec<&'a str>;

fn add_to_rows<'a>(rows: &mut Vec<Row<'a>>, text: &'a str, same_row: bool) {
    match rows.last_mut() {
        Some(row) if same_row => row.push(text),
        _ => rows.push(vec![text]),
    }
}

/// The comments of one printed line.
#[derive(Default)]
struct Slot<'a> {
    /// Rows of comments before the line.
    leading: Vec<Row<'a>>,
    /// Comments after the code on the line.
    trailing: Vec<&'a str>,
}

/// Where a comment goes in the output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    /// At the end of line `i`.
    Trailing(usize),
    /// On its own line before line `i`.
    Leading(usize),
    /// After the last item.
    End,
}

/// Joins `lines` into the file text with `comments` placed among them.
pub(crate) fn weave(lines: &[Line], comments: &[Comment], source: &str) -> String {
    let mut sorted: Vec<&Comment> = comments.iter().collect();
    sorted.sort_by_key(|c| (c.span.start, c.span.end));
    let mut slots: Vec<Slot> = lines.iter().map(|_| Slot::default()).collect();
    let mut end: Vec<Row> = Vec::new();
    let mut previous: Option<(Place, &Comment)> = None;
    for comment in sorted {
        let (place, same_row) = place(lines, comment, previous, source);
        let text = comment.text.as_str();
        match place {
            Place::Trailing(i) => match slots.get_mut(i) {
                Some(slot) => slot.trailing.push(text),
                None => end.push(vec![text]),
            },
            Place::Leading(i) => match slots.get_mut(i) {
                Some(slot) => add_to_rows(&mut slot.leading, text, same_row),
                None => add_to_rows(&mut end, text, same_row),
            },
            Place::End => add_to_rows(&mut end, text, same_row),
        }
        previous = Some((place, comment));
    }
    move_after_line_comments(lines, &mut slots, &mut end);
    render(lines, &slots, &end)
}

/// Where `comment` goes, and whether it continues the previous comment's line.
fn place(
    lines: &[Line],
    comment: &Comment,
    previous: Option<(Place, &Comment)>,
    source: &str,
) -> (Place, bool) {
    let at = comment.span.start;
    if let Some(i) = lines
        .iter()
        .rposition(|l| l.range.is_some_and(|(s, e)| s <= at && at < e))
    {
        return (Place::Trailing(i), false);
    }
    let Some((code, gap)) = code_before(source, at as usize) else {
        return (leading(lines, at), false);
    };
    if gap.contains('\n') {
        return (leading(lines, at), false);
    }
    if let Some((place, prev)) = previous {
        if prev.span.start <= code && code < prev.span.end {
            return (place, true);
        }
    }
    let owner = lines
        .iter()
        .rposition(|l| l.range.is_some_and(|(s, _)| s <= code));
    match owner {
        Some(i) => (Place::Trailing(i), false),
        None => (leading(lines, at), false),
    }
}

/// The byte offset of the last non-blank character before `at`, and the blank text between.
fn code_before(source: &str, at: usize) -> Option<(u32, &str)> {
    let before = source.get(..at)?;
    let trimmed = before.trim_end();
    let (offset, _) = trimmed.char_indices().next_back()?;
    Some((u32::try_from(offset).ok()?, before.get(trimmed.len()..)?))
}

fn leading(lines: &[Line], at: u32) -> Place {
    lines
        .iter()
        .position(|l| l.range.is_some_and(|(s, _)| s > at))
        .map_or(Place::End, Place::Leading)
}

/// A `//` comment runs to the end of the line, so nothing may follow it there: later trailing
/// comments move to their own lines before the next printed line.
fn move_after_line_comments<'a>(lines: &[Line], slots: &mut [Slot<'a>], end: &mut Vec<Row<'a>>) {
    for i in 0..slots.len() {
        let Some(slot) = slots.get_mut(i) else {
            continue;
        };
        let Some(k) = slot.trailing.iter().position(|c| c.starts_with("//")) else {
            continue;
        };
        let moved: Vec<Row> = slot
            .trailing
            .split_off(k + 1)
            .into_iter()
            .map(|c| vec![c])
            .collect();
        if moved.is_empty() {
            continue;
        }
        let next = (i + 1..lines.len()).find(|&j| lines.get(j).is_some_and(|l| l.range.is_some()));
        match next.and_then(|j| slots.get_mut(j)) {
            Some(slot) => drop(slot.leading.splice(0..0, moved)),
            None => drop(end.splice(0..0, moved)),
        }
    }
}

fn render(lines: &[Line], slots: &[Slot], end: &[Row]) -> String {
    let mut out = String::new();
    for (line, slot) in lines.iter().zip(slots) {
        for row in &slot.leading {
            out.push_str(&indent_str(line.lead_indent));
            push_row(&mut out, row);
        }
        out.push_str(&line.render());
        for comment in &slot.trailing {
            out.push(' ');
            out.push_str(tidy(comment));
        }
        out.push('\n');
    }
    if !end.is_empty() && !lines.is_empty() {
        out.push('\n');
    }
    for row in end {
        push_row(&mut out, row);
    }
    out
}

fn push_row(out: &mut String, row: &[&str]) {
    let texts: Vec<&str> = row.iter().map(|c| tidy(c)).collect();
    out.push_str(&texts.join(" "));
    out.push('\n');
}

/// Trailing blanks (a `\r` of a Windows line end included) are not part of what was said.
fn tidy(comment: &str) -> &str {
    comment.trim_end()
}
