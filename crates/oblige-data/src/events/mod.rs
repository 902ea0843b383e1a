//! The event log, streamed: one [`Event`] or one error per line, in file order.
//!
//! Lines are parsed into borrowed fields (no `serde_json::Value`, no per-line map) and typed by
//! the plan's event declarations. Events may come in any order; the evaluator sorts what it needs.
//! [`EventReader::read_into`] fills one event again and again, reusing its buffers, so that a
//! reader whose events are only looked at allocates nothing per line once it has seen each kind.

mod chunks;
mod csv;
mod escaped;
mod fields;
mod flat_json;
mod ids;
mod json_line;
mod kinds;
mod quotes;
mod skips;

pub use chunks::{split, split_uncounted, Chunk, Split};
pub use fields::EVENT_FIELDS;
pub use ids::SeenIds;
pub use skips::SkipSummary;

use crate::error::{DataError, Location};
use crate::format::Format;
use crate::lines::{is_blank, LineReader};
use crate::types::Event;
use escaped::EscapedWords;
use fields::Attr;
use kinds::Kinds;
use oblige_check::model::Plan;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::sync::Arc;

/// How to read an event log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadOptions {
    /// Skip bad lines, counting them in a [`SkipSummary`], instead of yielding their errors.
    pub lenient: bool,
    /// How many errors of each reason the summary keeps as examples.
    pub examples_per_reason: usize,
    /// Reject an explicit event id seen before. The set of seen ids costs about 16 bytes per
    /// event with an id; turn this off to read a log of any size in constant memory when its
    /// ids are known to be unique (duplicates are then counted twice, not reported).
    pub check_ids: bool,
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self {
            lenient: false,
            examples_per_reason: 3,
            check_ids: true,
        }
    }
}

impl ReadOptions {
    /// Lenient reading with the default number of examples.
    pub fn lenient() -> Self {
        Self {
            lenient: true,
            ..Self::default()
        }
    }
}

/// Streams the events of a log.
///
/// Yields `Err` once per bad line and goes on with the next line; an I/O error is yielded last.
/// In lenient mode bad lines are skipped and counted instead (I/O errors are still yielded).
pub struct EventReader<'p, R> {
    kinds: Kinds<'p>,
    /// The plan's words as JSON writers escape them (none for CSV).
    escaped: EscapedWords<'p>,
    file: Arc<str>,
    file_number: u64,
    /// Added to every line number: the reader may start in the middle of a file.
    line_offset: u64,
    source: Source<R>,
    options: ReadOptions,
    seen: SeenIds,
    skipped: SkipSummary,
    /// Events given an id made of their place, their line having none.
    made_ids: u64,
    finished: bool,
    /// The attribute buffer of the line before, empty, for the next line.
    attrs: Vec<Attr<'static>>,
}

enum Source<R> {
    Json(LineReader<R>),
    // Boxed: `csv_core`'s parser holds its transition table.
    Csv(Box<csv::CsvEvents<R>>),
}

impl<'p, R: BufRead> EventReader<'p, R> {
    /// A reader of `reader` in `format`; `file` names the input in event ids and errors. A CSV
    /// header is read here, so its errors come from this call.
    pub fn new(
        reader: R,
        format: Format,
        file: impl Into<Arc<str>>,
        plan: &'p Plan,
        options: ReadOptions,
    ) -> Result<Self, DataError> {
        let file: Arc<str> = file.into();
        // Only JSON has escapes.
        let escaped = match format {
            Format::JsonLines => EscapedWords::of_plan(plan),
            Format::Csv => EscapedWords::default(),
        };
        let source = match format {
            Format::JsonLines => Source::Json(LineReader::new(reader)),
            Format::Csv => Source::Csv(Box::new(csv::CsvEvents::new(reader, &file)?)),
        };
        let mut seen = SeenIds::new();
        let file_number = seen.file_number(&file);
        Ok(Self {
            kinds: Kinds::new(plan),
            escaped,
            file,
            file_number,
            line_offset: 0,
            source,
            options,
            seen,
            skipped: SkipSummary::default(),
            made_ids: 0,
            finished: false,
            attrs: Vec::new(),
        })
    }

    /// Checks ids against those of earlier files too (from [`EventReader::finish`]).
    #[must_use]
    pub fn with_seen_ids(mut self, mut seen: SeenIds) -> Self {
        self.file_number = seen.file_number(&self.file);
        self.seen = seen;
        self
    }

    /// Numbers lines as if `offset` lines came before the input, for a reader of one part of a
    /// file (see [`split`]). For CSV the header counts as a line of the input: a part read as
    /// header + part starting at line `n` of the file takes `n - 2`.
    #[must_use]
    pub fn with_line_offset(mut self, offset: u64) -> Self {
        self.line_offset = offset;
        if let Source::Json(lines) = &mut self.source {
            lines.start_after(offset);
        }
        self
    }

    /// What lenient reading skipped so far.
    pub fn skipped(&self) -> &SkipSummary {
        &self.skipped
    }

    /// How many events so far were given an id made of their place (`file:line`), their line
    /// having none.
    pub fn made_ids(&self) -> u64 {
        self.made_ids
    }

    /// The skipped lines and the ids seen, to check the next file against (the ids a gathering
    /// set gathered are sorted here, on the reader's thread).
    pub fn finish(mut self) -> (SkipSummary, SeenIds) {
        self.seen.settle();
        (self.skipped, self.seen)
    }

    /// Reads the next event into `event`, reusing its strings and attribute map: `Some(Ok(()))`
    /// when it holds the next event, `Some(Err(_))` for a line error (then `event` holds parts
    /// of that line), `None` at the end. Skips, lenient mode and errors are as with
    /// [`Iterator::next`], which is this with a new event each time.
    pub fn read_into(&mut self, event: &mut Event) -> Option<Result<(), DataError>> {
        while !self.finished {
            match self.read_one(event) {
                None => self.finished = true,
                Some(Err(e)) if !e.is_line_error() => {
                    self.finished = true;
                    return Some(Err(e));
                }
                Some(Err(e)) if self.options.lenient => {
                    self.skipped.record(e, self.options.examples_per_reason);
                }
                Some(read) => return Some(read),
            }
        }
        None
    }

    /// The next line's event into `event`, or its error; `None` at the end.
    fn read_one(&mut self, event: &mut Event) -> Option<Result<(), DataError>> {
        let (kinds, file, escaped) = (&mut self.kinds, &self.file, &self.escaped);
        let attrs = std::mem::take(&mut self.attrs);
        let (line, parsed) = match &mut self.source {
            Source::Json(lines) => loop {
                let (line, bytes) = match lines.next_line()? {
                    Ok(next) => next,
                    Err(e) => return Some(Err(DataError::io(file, e))),
                };
                if is_blank(bytes) {
                    continue;
                }
                let parsed = json_line::parse(bytes, attrs, escaped)
                    .map_err(|e| crate::parse::json_error(&e, bytes, Location::new(&**file, line)));
                break (line, parsed);
            },
            Source::Csv(records) => match records.next_record(file, self.line_offset, attrs)? {
                Ok(record) => record,
                Err(fatal) => return Some(Err(fatal)),
            },
        };
        let filled = parsed.and_then(|fields| {
            let filled = fields::fill_event(&fields, kinds, file, line, event);
            self.attrs = crate::parse::recycle(fields.attrs);
            filled
        });
        if let Ok(false) = filled {
            self.made_ids += 1;
        }
        Some(filled.and_then(|explicit| self.check_id(&event.id, explicit, line)))
    }

    fn check_id(&mut self, id: &str, explicit: bool, line: u64) -> Result<(), DataError> {
        if !explicit || !self.options.check_ids {
            return Ok(());
        }
        match self.seen.insert(id, self.file_number, line) {
            None => Ok(()),
            Some(first) => Err(DataError::DuplicateEvent {
                at: Location::new(&*self.file, line).field("id"),
                id: id.to_owned(),
                first,
            }),
        }
    }
}

impl<R: BufRead> Iterator for EventReader<'_, R> {
    type Item = Result<Event, DataError>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut event = Event::default();
        Some(self.read_into(&mut event)?.map(|()| event))
    }
}

/// Opens an event log, its format given by its extension (`.csv`, `.jsonl`, `.ndjson`).
pub fn read_events_file<'p>(
    path: impl AsRef<Path>,
    plan: &'p Plan,
    options: ReadOptions,
) -> Result<EventReader<'p, BufReader<std::fs::File>>, DataError> {
    let path = path.as_ref();
    let format = Format::from_path(path)?;
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| DataError::io(&name, e))?;
    EventReader::new(
        BufReader::with_capacity(1 << 16, file),
        format,
        name,
        plan,
        options,
    )
}

#[cfg(test)]
mod tests;
