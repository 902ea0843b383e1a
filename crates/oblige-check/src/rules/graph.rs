//! Rules that give findings on violations must not depend on their own violation.

use crate::codes;
use crate::ctx::Ctx;
use oblige_syntax::ast::{ConsequenceTrigger, Ident, Rule, RuleBody};
use std::collections::HashMap;

/// Reports `violated R` references that lead back to the rule they are written in.
pub(crate) fn check_violation_cycles(ctx: &mut Ctx, rules: &[&Rule]) {
    let mut edges: HashMap<&str, Vec<&Ident>> = HashMap::new();
    for r in rules {
        if let RuleBody::Consequence(c) = &r.body {
            if let ConsequenceTrigger::Violation(target) = &c.trigger {
                edges.entry(r.id.name.as_str()).or_default().push(target);
            }
        }
    }
    let mut done: HashMap<&str, bool> = HashMap::new();
    for r in rules {
        let mut stack = Vec::new();
        visit(ctx, &edges, &mut done, &mut stack, r.id.name.as_str());
    }
}

/// Depth-first search; `done[n]` is false while `n` is on the stack.
fn visit<'a>(
    ctx: &mut Ctx,
    edges: &HashMap<&'a str, Vec<&'a Ident>>,
    done: &mut HashMap<&'a str, bool>,
    stack: &mut Vec<&'a str>,
    node: &'a str,
) {
    if done.contains_key(node) {
        return;
    }
    done.insert(node, false);
    stack.push(node);
    for target in edges.get(node).into_iter().flatten() {
        let t = target.name.as_str();
        match done.get(t) {
            Some(false) => report(ctx, stack, node, target),
            Some(true) => {}
            None => visit(ctx, edges, done, stack, t),
        }
    }
    stack.pop();
    done.insert(node, true);
}

fn report(ctx: &mut Ctx, stack: &[&str], node: &str, target: &Ident) {
    if target.name == node {
        ctx.error(
            codes::VIOLATION_CYCLE,
            target.span,
            format!("the rule `{node}` depends on its own violation"),
        )
        .label("refers to the rule it is written in")
        .help("a consequence rule must name another rule");
        return;
    }
    let from = stack.iter().position(|s| *s == target.name).unwrap_or(0);
    let path: Vec<String> = stack
        .iter()
        .skip(from)
        .chain([&target.name.as_str()])
        .map(|s| format!("`{s}`"))
        .collect();
    ctx.error(
        codes::VIOLATION_CYCLE,
        target.span,
        format!(
            "the rule `{node}` depends on its own violation through `{}`",
            target.name
        ),
    )
    .label("this reference closes the cycle")
    .help(format!("break the cycle {}", path.join(" → ")));
}
