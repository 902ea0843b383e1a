//! Pairing triggers with responses: each trigger, in (time, id) order, takes the earliest
//! unused candidate at or after it that matches its branch's pattern.
//!
//! A pattern that ties the response to the trigger by equality (`隐患编号 = trigger.id`) gets
//! an index of the candidates by that attribute, so a trigger looks only at the candidates
//! carrying its value instead of every later candidate of the rule (quadratic in triggers). The
//! index keeps the candidates' order, so the earliest match found is the same.

use std::collections::HashMap;
use std::sync::Arc;

use oblige_check::model::{CmpOp, Lit, Pattern, Pred, Value, Who};

use crate::fanout::key;
use crate::matching::{matches, Candidate};
use crate::pred::{Ctx, Findings};
use crate::record::Record;
use crate::setup::Setup;

/// The pool of possible responses of a rule, each answering at most one trigger.
pub struct Pairing<'s, 'a> {
    /// Derived context.
    pub setup: &'s Setup<'a>,
    /// Findings known to the rule.
    pub findings: &'s Findings,
    /// Possible responses, sorted by (time, id).
    candidates: Vec<&'s Arc<Record>>,
    used: Vec<bool>,
    /// By branch: the candidates by the value tying them to the trigger, if the branch's
    /// pattern has such a tie.
    indexes: HashMap<usize, Option<Tied<'s>>>,
}

/// Candidates by the value of their side of a `response.a = trigger.b` conjunct.
struct Tied<'p> {
    /// The trigger's side.
    trigger_side: &'p Value,
    /// Candidate positions by value, in candidate order.
    by_value: HashMap<Lit, Vec<usize>>,
}

impl<'s, 'a> Pairing<'s, 'a> {
    /// A pool of `candidates`, sorted by (time, id).
    pub fn new(
        setup: &'s Setup<'a>,
        findings: &'s Findings,
        candidates: Vec<&'s Arc<Record>>,
    ) -> Self {
        let used = vec![false; candidates.len()];
        Pairing {
            setup,
            findings,
            candidates,
            used,
            indexes: HashMap::new(),
        }
    }

    /// The earliest unused event at or after the trigger that matches `pattern` (of branch
    /// `branch`) for `subject`; it is then used.
    pub fn answer(
        &mut self,
        (branch, pattern): (usize, &'s Pattern),
        subject: usize,
        trigger: &Record,
    ) -> Option<&'s Arc<Record>> {
        self.index(branch, pattern);
        let setup = self.setup;
        let view = trigger.view(setup);
        let (candidates, used) = (&self.candidates, &self.used);
        let answers = |&i: &usize| {
            let Some(c) = candidates.get(i) else {
                return false;
            };
            let candidate = Candidate {
                event: c.view(setup),
                actor: c.actor,
                target: c.target,
                trigger: Some(view),
            };
            // A rule's candidates are of the kinds of all its branches' patterns.
            !used.get(i).copied().unwrap_or(true)
                && c.id != trigger.id
                && candidate.event.kind == pattern.kind
                && matches(
                    setup,
                    pattern,
                    subject,
                    candidate,
                    (trigger.date, trigger.date),
                    None,
                )
        };
        let before = |i: &usize| candidates.get(*i).is_some_and(|c| c.time < trigger.time);
        let found = match self.indexes.get(&branch).and_then(Option::as_ref) {
            Some(tied) => {
                let mut ctx = Ctx::new(setup.registry);
                ctx.trigger = Some(view);
                // A missing value never compares equal: nothing answers.
                let value = ctx.value(tied.trigger_side).map(key);
                let list = value.and_then(|v| tied.by_value.get(&v));
                let list = list.map_or(&[][..], Vec::as_slice);
                let from = list.partition_point(before);
                list.get(from..)?.iter().copied().find(answers)
            }
            None => {
                let from = candidates.partition_point(|c| c.time < trigger.time);
                (from..candidates.len()).find(answers)
            }
        }?;
        if let Some(u) = self.used.get_mut(found) {
            *u = true;
        }
        self.candidates.get(found).copied()
    }

    /// Builds the index of branch `branch` on first use.
    fn index(&mut self, branch: usize, pattern: &'s Pattern) {
        if self.indexes.contains_key(&branch) {
            return;
        }
        let tied = pattern
            .filter
            .as_ref()
            .and_then(tie)
            .map(|(event_side, trigger_side)| {
                let mut by_value: HashMap<Lit, Vec<usize>> = HashMap::new();
                for (i, c) in self.candidates.iter().enumerate() {
                    let mut ctx = Ctx::new(self.setup.registry);
                    ctx.event = Some(c.view(self.setup));
                    if let Some(v) = ctx.value(event_side) {
                        by_value.entry(key(v)).or_default().push(i);
                    }
                }
                Tied {
                    trigger_side,
                    by_value,
                }
            });
        self.indexes.insert(branch, tied);
    }
}

/// The first conjunct `event.a = trigger.b` (either way round) of a response filter: the
/// event's side and the trigger's side.
fn tie(pred: &Pred) -> Option<(&Value, &Value)> {
    match pred {
        Pred::And(a, b) => tie(a).or_else(|| tie(b)),
        Pred::Compare(a, CmpOp::Eq, b) => match (a, b) {
            (e @ Value::Attr(Who::Event, _), t @ Value::Attr(Who::Trigger, _))
            | (t @ Value::Attr(Who::Trigger, _), e @ Value::Attr(Who::Event, _)) => Some((e, t)),
            _ => None,
        },
        _ => None,
    }
}
