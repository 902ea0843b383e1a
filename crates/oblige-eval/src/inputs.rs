//! Accounting of input events: read, used, unmatched, and ignored by reason with examples.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use oblige_report::model::{Ignored, Inputs};

/// How many example ids are kept per reason.
const EXAMPLES: usize = 5;

/// Why an event was set aside.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reason {
    /// Its kind is not declared by the plan.
    UnknownKind,
    /// Its actor is not in the registry.
    UnknownActor,
    /// Its target is not in the registry.
    UnknownTarget,
    /// Its local date is outside the evaluated range.
    OutOfRange,
    /// It happened after `as_of`.
    AfterAsOf,
}

impl Reason {
    fn key(self) -> &'static str {
        match self {
            Reason::UnknownKind => "unknown_kind",
            Reason::UnknownActor => "unknown_actor",
            Reason::UnknownTarget => "unknown_target",
            Reason::OutOfRange => "out_of_range",
            Reason::AfterAsOf => "after_as_of",
        }
    }
}

/// The earliest ignored events by (time, id).
type Examples = Vec<(DateTime<Utc>, String)>;

/// Running counts of what happened to events.
#[derive(Clone, Debug, Default)]
pub struct InputTally {
    read: u64,
    used: u64,
    unmatched: u64,
    ignored: BTreeMap<Reason, (u64, Examples)>,
}

impl InputTally {
    /// One more event read.
    pub fn read(&mut self) {
        self.read += 1;
    }

    /// The last event read matched a pattern (or not).
    pub fn matched(&mut self, used: bool) {
        if used {
            self.used += 1;
        } else {
            self.unmatched += 1;
        }
    }

    /// The last event read was set aside.
    pub fn ignore(&mut self, reason: Reason, time: DateTime<Utc>, id: &str) {
        let (count, examples) = self.ignored.entry(reason).or_default();
        *count += 1;
        let key = (time, id);
        let at = examples.partition_point(|(t, i)| (*t, i.as_str()) <= key);
        if at < EXAMPLES {
            examples.insert(at, (time, id.to_string()));
            examples.truncate(EXAMPLES);
        }
    }

    /// Adds the counts of another chunk of the log.
    pub fn merge(&mut self, other: InputTally) {
        self.read += other.read;
        self.used += other.used;
        self.unmatched += other.unmatched;
        for (reason, (count, examples)) in other.ignored {
            let (c, e) = self.ignored.entry(reason).or_default();
            *c += count;
            e.extend(examples);
            e.sort();
            e.truncate(EXAMPLES);
        }
    }

    /// The report section (`skipped_lines` is the caller's to fill).
    pub fn to_report(&self) -> Inputs {
        let ignored_by_reason: BTreeMap<String, Ignored> = self
            .ignored
            .iter()
            .map(|(reason, (count, examples))| {
                let examples = examples.iter().map(|(_, id)| id.clone()).collect();
                (
                    reason.key().to_string(),
                    Ignored {
                        count: *count,
                        examples,
                    },
                )
            })
            .collect();
        Inputs {
            events_read: self.read,
            events_used: self.used,
            events_unmatched: self.unmatched,
            events_ignored: ignored_by_reason.values().map(|i| i.count).sum(),
            ignored_by_reason,
            skipped_lines: 0,
        }
    }
}
