//! The parts a report is built in: a rule's rows for a range of the members of its class, with
//! the trigger rows of a response duty that fall in that range.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Mutex, OnceLock, PoisonError};

use oblige_check::model::Duty;

use crate::collect::Collected;
use crate::response::{Paired, Triggered};
use crate::setup::{FastHash, Setup};

/// One rule's rows for a range of the members of its class.
pub struct Part {
    /// The rule's index in the plan.
    pub rule: usize,
    /// Positions in the list of members of the rule's class.
    pub members: Range<usize>,
    /// Its place among the parts of its rule.
    nth: usize,
}

/// The report's parts, in report order, and the trigger rows of response duties dealt to them.
pub struct Parts {
    /// The parts.
    pub list: Vec<Part>,
    /// By rule: where each of its parts' members end.
    ends: Vec<Vec<usize>>,
    /// By rule: a response duty's trigger rows, dealt to its parts when the rule's first part
    /// is built (pairing takes all its triggers at once) and taken by each part, so that only
    /// the rules being built hold their rows.
    dealt: Vec<OnceLock<Dealt>>,
}

impl Parts {
    /// Each rule's members cut into ranges of about `part_rows` rows, at least one part per
    /// rule (its coverage has a row per period even without members).
    pub fn new(setup: &Setup<'_>, data: &Collected, part_rows: usize) -> Self {
        let mut parts = Parts {
            list: Vec::new(),
            ends: Vec::new(),
            dealt: Vec::new(),
        };
        for (rule, r) in setup.plan.rules.iter().enumerate() {
            let ends = match r.duty {
                Duty::Response { .. } => response_ends(setup, data, rule, part_rows),
                _ => periodic_ends(setup, rule, part_rows),
            };
            let mut start = 0;
            for (nth, &end) in ends.iter().enumerate() {
                parts.list.push(Part {
                    rule,
                    members: start..end,
                    nth,
                });
                start = end;
            }
            parts.ends.push(ends);
            parts.dealt.push(OnceLock::new());
        }
        parts
    }

    /// The trigger rows `part` gives, the rule's rows worked out by `triggered` if no part of
    /// the rule asked before. Each part gets its rows once.
    pub fn take_triggered(
        &self,
        setup: &Setup<'_>,
        part: &Part,
        triggered: impl FnOnce() -> Triggered,
    ) -> Triggered {
        let Some(dealt) = self.dealt.get(part.rule) else {
            return Triggered::new();
        };
        let ends = self.ends.get(part.rule).map_or(&[][..], Vec::as_slice);
        let dealt = dealt.get_or_init(|| deal(setup, part.rule, ends, triggered()));
        let Some(range) = dealt.ranges.get(part.nth) else {
            return Triggered::new();
        };
        let mut left = dealt.left.lock().unwrap_or_else(PoisonError::into_inner);
        let mine = left.rows.get_mut(range.clone()).unwrap_or_default();
        let taken = mine.iter_mut().filter_map(Option::take).collect();
        left.parts = left.parts.saturating_sub(1);
        if left.parts == 0 {
            left.rows = Vec::new();
        }
        taken
    }
}

/// Where the parts of a rule with periods end: a row per member and period.
fn periodic_ends(setup: &Setup<'_>, rule: usize, part_rows: usize) -> Vec<usize> {
    let Some(r) = setup.plan.rules.get(rule) else {
        return vec![0];
    };
    let members = setup.members(&r.subject.class).len();
    let periods = setup.rules.get(rule).map_or(1, |s| s.periods.defs().len());
    let step = (part_rows / periods.max(1)).max(1);
    let mut ends: Vec<usize> = (step..members).step_by(step).collect();
    ends.push(members);
    ends
}

/// Where the parts of a response duty end: a row per trigger, or one for a member without, so
/// that a few members with many triggers do not make one part of all the rule's rows.
fn response_ends(setup: &Setup<'_>, data: &Collected, rule: usize, part_rows: usize) -> Vec<usize> {
    let Some(r) = setup.plan.rules.get(rule) else {
        return vec![0];
    };
    let mut triggers: HashMap<usize, usize, FastHash> = HashMap::default();
    for (_, subject, _) in data.triggers.iter().filter(|(i, _, _)| *i == rule) {
        *triggers.entry(*subject).or_default() += 1;
    }
    let members = setup.members(&r.subject.class);
    let mut ends = Vec::new();
    let mut rows = 0;
    for (i, subject) in members.iter().enumerate() {
        rows += triggers.get(subject).copied().unwrap_or(1).max(1);
        if rows >= part_rows.max(1) && i + 1 < members.len() {
            ends.push(i + 1);
            rows = 0;
        }
    }
    ends.push(members.len());
    ends
}

/// A response rule's trigger rows and, by part, the range of them it gives. Rows are taken
/// out, not copied, so the rule's rows are held once, until its last part takes its own.
struct Dealt {
    left: Mutex<Left>,
    ranges: Vec<Range<usize>>,
}

/// The rows not taken yet, and how many parts are still to take theirs.
struct Left {
    rows: Vec<Option<(usize, Paired)>>,
    parts: usize,
}

/// Deals a response rule's trigger rows to its parts (whose members end at `ends`): to each,
/// those after the previous part's last member up to its own last member, as one pass over all
/// members would place them; the last part also takes any after its last member.
fn deal(setup: &Setup<'_>, rule: usize, ends: &[usize], rows: Triggered) -> Dealt {
    let class = setup
        .plan
        .rules
        .get(rule)
        .map_or("", |r| r.subject.class.as_str());
    let all = setup.members(class);
    let mut ranges = Vec::with_capacity(ends.len());
    let mut start = 0;
    for (k, end) in ends.iter().enumerate() {
        let last_member = end.checked_sub(1).and_then(|i| all.get(i));
        let stop = match last_member {
            Some(&upto) if k + 1 < ends.len() => {
                start
                    + rows
                        .get(start..)
                        .map_or(0, |rest| rest.partition_point(|(s, _)| *s <= upto))
            }
            _ => rows.len(),
        };
        ranges.push(start..stop);
        start = stop;
    }
    Dealt {
        left: Mutex::new(Left {
            // In place: an `Option` of a row is the size of the row.
            rows: rows.into_iter().map(Some).collect(),
            parts: ranges.len(),
        }),
        ranges,
    }
}
