//! The order rules are evaluated in at report time: a rule that tests `has finding F` comes
//! after every rule giving F, and `when violated R` comes after R. Otherwise plan order.

use std::collections::BTreeSet;

use oblige_check::model::{ConsequenceTrigger, Duty, Plan};

use crate::pred::findings_used;
use crate::setup::rule_preds;

/// Rule indices in an order that respects dependencies. The checker rejects cycles; were one to
/// slip through, its rules are taken in plan order rather than dropped.
pub fn rule_order(plan: &Plan) -> Vec<usize> {
    let deps: Vec<BTreeSet<usize>> = plan
        .rules
        .iter()
        .enumerate()
        .map(|(i, rule)| {
            let mut used = BTreeSet::new();
            for pred in rule_preds(rule) {
                findings_used(pred, &mut used);
            }
            let mut deps: BTreeSet<usize> = plan
                .rules
                .iter()
                .enumerate()
                .filter(|(_, r)| matches!(&r.duty, Duty::Consequence { finding, .. } if used.contains(finding)))
                .map(|(j, _)| j)
                .collect();
            if let Duty::Consequence {
                trigger: ConsequenceTrigger::Violation(id),
                ..
            } = &rule.duty
            {
                deps.extend(plan.rules.iter().position(|r| &r.id == id));
            }
            deps.remove(&i);
            deps
        })
        .collect();
    let mut done = vec![false; deps.len()];
    let mut order = Vec::with_capacity(deps.len());
    while order.len() < deps.len() {
        let ready = |i: usize| !done[i] && deps[i].iter().all(|&d| done[d]);
        let next = (0..deps.len())
            .find(|&i| ready(i))
            .or_else(|| (0..deps.len()).find(|&i| !done[i]));
        let Some(next) = next else {
            break;
        };
        done[next] = true;
        order.push(next);
    }
    order
}
