//! Windows resolved to sorted, merged date ranges; the working-day calendar resolved to days.

mod calendar;
mod cycles;
mod expand;

use crate::codes;
use crate::ctx::{Ctx, Ns};
use crate::dates::{date, month_day, show};
use crate::header::reversed;
use crate::model::Window;
use crate::symbols::Symbols;
use chrono::NaiveDate;
use expand::{expand, expand_one, merge};
use indexmap::IndexMap;
use oblige_diagnostics::Span;
use oblige_syntax::ast::{HoldWhen, PeriodKind, PeriodSpec, RuleBody, WindowPart, WindowPartKind};
use std::collections::HashSet;

/// The days the plan applies, inclusive.
pub(crate) type Effective = Option<(NaiveDate, NaiveDate)>;

/// A window part with its dates checked and its reference resolved to a name.
#[derive(Clone, Debug)]
pub(super) enum Raw {
    Range(NaiveDate, NaiveDate),
    Yearly((u32, u32), (u32, u32)),
    Ref(String, Span),
}

/// Every declared window, resolved.
pub(crate) struct Windows {
    pub(crate) resolved: IndexMap<String, Window>,
    effective: Effective,
    /// Windows with an error in a part, or referring to one: their days are not what was meant,
    /// so nothing more is said about them.
    broken: HashSet<String>,
}

impl Windows {
    /// Resolves every window: checks dates, reports unknown references and cycles, then expands.
    pub(crate) fn resolve(ctx: &mut Ctx, syms: &Symbols<'_>, effective: Effective) -> Self {
        let mut raw: IndexMap<String, Vec<Raw>> = IndexMap::new();
        let mut broken = HashSet::new();
        for (name, decl) in &syms.windows {
            let parts: Vec<Raw> = decl
                .parts
                .iter()
                .filter_map(|p| lower(ctx, syms, p))
                .collect();
            if parts.len() != decl.parts.len() {
                broken.insert(name.clone());
            }
            raw.insert(name.clone(), parts);
        }
        broken.extend(cycles::break_cycles(ctx, &mut raw));
        cycles::spread_broken(&raw, &mut broken);
        let mut out = Windows {
            resolved: IndexMap::new(),
            effective,
            broken,
        };
        for name in raw.keys() {
            let ranges = expand(&raw, name, effective, 0);
            out.resolved.insert(
                name.clone(),
                Window {
                    ranges: merge(ranges),
                },
            );
        }
        // A window counted `per` gets an error at its use instead (see `empty_in_plan`).
        let periods = period_windows(syms);
        for (name, decl) in &syms.windows {
            if out.broken.contains(name) || periods.contains(name.as_str()) {
                continue;
            }
            if let Some(w) = out.resolved.get(name) {
                out.warn_outside(ctx, w, decl.name.span, &format!("the window `{name}`"));
            }
        }
        out
    }

    /// Whether a window, free of errors, has no day inside the effective range.
    pub(crate) fn empty_in_plan(&self, name: &str) -> bool {
        !self.broken.contains(name)
            && self
                .resolved
                .get(name)
                .is_some_and(|w| !self.meets_effective(w))
    }

    /// Resolves one written part, such as an exemption's `during`, warning when it has no day
    /// inside the plan.
    pub(crate) fn part(
        &self,
        ctx: &mut Ctx,
        syms: &Symbols<'_>,
        part: &WindowPart,
    ) -> Option<Window> {
        let w = self.part_quiet(ctx, syms, part)?;
        let broken = matches!(&part.kind, WindowPartKind::Ref(n) if self.broken.contains(&n.name));
        if !broken {
            self.warn_outside(ctx, &w, part.span, "the exemption time");
        }
        Some(w)
    }

    /// Resolves one written part without judging its dates: calendars may reach beyond the plan.
    fn part_quiet(&self, ctx: &mut Ctx, syms: &Symbols<'_>, part: &WindowPart) -> Option<Window> {
        let ranges = match lower(ctx, syms, part)? {
            Raw::Ref(name, _) => self
                .resolved
                .get(&name)
                .map(|w| w.ranges.clone())
                .unwrap_or_default(),
            other => expand_one(&other, self.effective),
        };
        Some(Window {
            ranges: merge(ranges),
        })
    }

    /// Whether a window has a day inside the effective range (always true when that is unknown).
    fn meets_effective(&self, w: &Window) -> bool {
        let Some((start, end)) = self.effective else {
            return true;
        };
        w.ranges.iter().any(|r| r.start <= end && r.end >= start)
    }

    fn warn_outside(&self, ctx: &mut Ctx, w: &Window, span: Span, what: &str) {
        let Some((start, end)) = self.effective else {
            return;
        };
        if !self.meets_effective(w) {
            ctx.warning(
                codes::WINDOW_OUTSIDE_PLAN,
                span,
                format!("{what} has no day inside the effective range"),
            )
            .label(format!(
                "the plan applies from `{}` to `{}`",
                show(start),
                show(end)
            ))
            .help("check the dates; a time outside the plan never matters");
        }
    }
}

pub(super) fn lower(ctx: &mut Ctx, syms: &Symbols<'_>, part: &WindowPart) -> Option<Raw> {
    match &part.kind {
        WindowPartKind::Day(d) => {
            let d = date(ctx, d)?;
            Some(Raw::Range(d, d))
        }
        WindowPartKind::Range(a, b) => {
            let (a2, b2) = (date(ctx, a), date(ctx, b));
            let (start, end) = (a2?, b2?);
            if start > end {
                reversed(ctx, a.span.to(b.span), start, end);
                return None;
            }
            Some(Raw::Range(start, end))
        }
        WindowPartKind::Yearly(a, b) => {
            let start = month_day(ctx, a);
            let end = match b {
                Some(b) => month_day(ctx, b),
                None => start,
            };
            Some(Raw::Yearly(start?, end?))
        }
        WindowPartKind::Ref(name) => {
            if syms.windows.contains_key(&name.name) {
                ctx.mark_used(Ns::Window, &name.name);
                Some(Raw::Ref(name.name.clone(), name.span))
            } else {
                ctx.error(
                    codes::UNKNOWN_WINDOW,
                    name.span,
                    format!("unknown window `{}`", name.name),
                )
                .label("no window has this name")
                .suggest(&name.name, syms.windows.keys().map(String::as_str));
                None
            }
        }
    }
}

/// Names of windows used as periods by some rule.
fn period_windows<'s>(syms: &'s Symbols<'_>) -> HashSet<&'s str> {
    let mut out = HashSet::new();
    for r in &syms.rule_list {
        let spec = match &r.body {
            RuleBody::Count(c) => Some(&c.period),
            RuleBody::Consequence(c) => Some(&c.over),
            RuleBody::Hold(h) => match &h.when {
                HoldWhen::Throughout(p) => Some(p),
                HoldWhen::On(_) => None,
            },
            RuleBody::Response(_) => None,
        };
        if let Some(PeriodSpec {
            kind: PeriodKind::Window(n),
            ..
        }) = spec
        {
            out.insert(n.name.as_str());
        }
    }
    out
}
