//! Windows defined in terms of each other: cycles are reported and cut.

use super::Raw;
use crate::codes;
use crate::ctx::Ctx;
use indexmap::IndexMap;
use oblige_diagnostics::Span;
use std::collections::HashSet;

/// Marks every window that refers to a broken one as broken too.
pub(super) fn spread_broken(raw: &IndexMap<String, Vec<Raw>>, broken: &mut HashSet<String>) {
    loop {
        let more: Vec<String> = raw
            .iter()
            .filter(|(n, parts)| {
                !broken.contains(*n)
                    && parts
                        .iter()
                        .any(|p| matches!(p, Raw::Ref(t, _) if broken.contains(t)))
            })
            .map(|(n, _)| n.clone())
            .collect();
        if more.is_empty() {
            return;
        }
        broken.extend(more);
    }
}

/// Reports each reference that closes a cycle and drops it, so expansion terminates. Returns the
/// windows whose reference was dropped.
pub(super) fn break_cycles(ctx: &mut Ctx, raw: &mut IndexMap<String, Vec<Raw>>) -> Vec<String> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit(
        ctx: &mut Ctx,
        raw: &mut IndexMap<String, Vec<Raw>>,
        marks: &mut IndexMap<String, Mark>,
        stack: &mut Vec<String>,
        cycled: &mut Vec<String>,
        name: &str,
    ) {
        marks.insert(name.to_owned(), Mark::Open);
        stack.push(name.to_owned());
        let refs: Vec<(usize, String, Span)> = raw
            .get(name)
            .map(|parts| {
                parts
                    .iter()
                    .enumerate()
                    .filter_map(|(i, p)| match p {
                        Raw::Ref(n, s) => Some((i, n.clone(), *s)),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut cut: Vec<usize> = Vec::new();
        for (i, target, span) in refs {
            match marks.get(&target) {
                Some(Mark::Open) => {
                    let from = stack.iter().position(|s| *s == target).unwrap_or(0);
                    let path: Vec<String> = stack
                        .iter()
                        .skip(from)
                        .chain([&target])
                        .map(|s| format!("`{s}`"))
                        .collect();
                    ctx.error(
                        codes::WINDOW_CYCLE,
                        span,
                        format!("the window `{target}` is defined in terms of itself"),
                    )
                    .label("this reference closes the cycle")
                    .help(format!("break the cycle {}", path.join(" → ")));
                    cut.push(i);
                }
                Some(Mark::Done) => {}
                None => visit(ctx, raw, marks, stack, cycled, &target),
            }
        }
        if let Some(parts) = raw.get_mut(name) {
            for i in cut.iter().rev() {
                parts.remove(*i);
            }
        }
        if !cut.is_empty() {
            cycled.push(name.to_owned());
        }
        stack.pop();
        marks.insert(name.to_owned(), Mark::Done);
    }
    let mut marks = IndexMap::new();
    let mut cycled = Vec::new();
    let names: Vec<String> = raw.keys().cloned().collect();
    for n in names {
        if !marks.contains_key(&n) {
            visit(ctx, raw, &mut marks, &mut Vec::new(), &mut cycled, &n);
        }
    }
    cycled
}
