//! The parts a report is built in: a rule's rows for a range of the members of its class, with
//! the trigger rows of a response duty that fall in that range.

use std::ops::Range;
use std::sync::{Mutex, OnceLock, PoisonError};

use crate::response::Triggered;
use crate::setup::Setup;

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
    /// By rule: a response duty's trigger rows, one list per part, dealt when the rule's first
    /// part is built (pairing takes all its triggers at once) and taken by each part, so that
    /// only the rules being built hold their rows.
    dealt: Vec<OnceLock<Vec<Mutex<Triggered>>>>,
}

impl Parts {
    /// Each rule's members cut into ranges of about `part_rows` rows, at least one part per
    /// rule (its coverage has a row per period even without members).
    pub fn new(setup: &Setup<'_>, part_rows: usize) -> Self {
        let mut parts = Parts {
            list: Vec::new(),
            ends: Vec::new(),
            dealt: Vec::new(),
        };
        for (rule, r) in setup.plan.rules.iter().enumerate() {
            let members = setup.members(&r.subject.class).len();
            // A response duty has no periods: a row per subject, or per trigger.
            let periods = setup.rules.get(rule).map_or(1, |s| s.periods.defs().len());
            let step = (part_rows / periods.max(1)).max(1);
            let mut ends = Vec::new();
            let mut start = 0;
            loop {
                let end = members.min(start + step);
                parts.list.push(Part {
                    rule,
                    members: start..end,
                    nth: ends.len(),
                });
                ends.push(end);
                start = end;
                if start >= members {
                    break;
                }
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
        let slots = dealt.get_or_init(|| deal(setup, part.rule, ends, triggered()));
        slots.get(part.nth).map_or_else(Triggered::new, |slot| {
            std::mem::take(&mut *slot.lock().unwrap_or_else(PoisonError::into_inner))
        })
    }
}

/// Deals a response rule's trigger rows to its parts (whose members end at `ends`): to each,
/// those after the previous part's last member up to its own last member, as one pass over all
/// members would place them; the last part also takes any after its last member.
fn deal(setup: &Setup<'_>, rule: usize, ends: &[usize], rows: Triggered) -> Vec<Mutex<Triggered>> {
    let class = setup
        .plan
        .rules
        .get(rule)
        .map_or("", |r| r.subject.class.as_str());
    let all = setup.members(class);
    let mut rows = rows.into_iter().peekable();
    let mut slots = Vec::with_capacity(ends.len());
    for (k, end) in ends.iter().enumerate() {
        let mut mine = Triggered::new();
        let last_member = end.checked_sub(1).and_then(|i| all.get(i));
        match last_member {
            Some(&upto) if k + 1 < ends.len() => {
                while let Some(row) = rows.next_if(|(s, _)| *s <= upto) {
                    mine.push(row);
                }
            }
            _ => mine.extend(rows.by_ref()),
        }
        slots.push(Mutex::new(mine));
    }
    slots
}
