//! Windows resolved to sorted, merged date ranges; the working-day calendar resolved to days.

use crate::codes;
use crate::ctx::{Ctx, Ns};
use crate::dates::{date, month_day, show};
use crate::header::reversed;
use crate::model::{Calendar, DateRange, Window};
use crate::symbols::Symbols;
use chrono::{Datelike, Duration, NaiveDate};
use indexmap::IndexMap;
use oblige_diagnostics::Span;
use oblige_syntax::ast::{
    CalendarDecl, HoldWhen, PeriodKind, PeriodSpec, RuleBody, WindowPart, WindowPartKind,
};
use std::collections::{BTreeSet, HashSet};

/// The days the plan applies, inclusive.
pub(crate) type Effective = Option<(NaiveDate, NaiveDate)>;

/// A window part with its dates checked and its reference resolved to a name.
#[derive(Clone, Debug)]
enum Raw {
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
        broken.extend(break_cycles(ctx, &mut raw));
        spread_broken(&raw, &mut broken);
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

    /// Resolves one written part, such as an exemption's `during`.
    pub(crate) fn part(
        &self,
        ctx: &mut Ctx,
        syms: &Symbols<'_>,
        part: &WindowPart,
    ) -> Option<Window> {
        let raw = lower(ctx, syms, part)?;
        let ranges = match raw {
            Raw::Ref(name, _) => self
                .resolved
                .get(&name)
                .map(|w| w.ranges.clone())
                .unwrap_or_default(),
            other => expand_one(&other, self.effective),
        };
        let w = Window {
            ranges: merge(ranges),
        };
        let broken = matches!(&part.kind, WindowPartKind::Ref(n) if self.broken.contains(&n.name));
        if !broken {
            self.warn_outside(ctx, &w, part.span, "the exemption time");
        }
        Some(w)
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

    /// Resolves the calendar: the first one declared; more than one is an error.
    pub(crate) fn calendar(&self, ctx: &mut Ctx, syms: &Symbols<'_>) -> Option<Calendar> {
        let mut decls = syms.calendars.values();
        let first = decls.next()?;
        for other in decls {
            ctx.error(
                codes::DUPLICATE_CALENDAR,
                other.name.span,
                "the plan has more than one calendar",
            )
            .label("second calendar")
            .related(first.name.span, "first calendar")
            .help("merge the holidays and working days into one calendar");
        }
        Some(Calendar {
            name: first.name.name.clone(),
            holidays: self.days(ctx, syms, first, &first.holidays),
            workdays: self.days(ctx, syms, first, &first.workdays),
        })
    }

    fn days(
        &self,
        ctx: &mut Ctx,
        syms: &Symbols<'_>,
        _decl: &CalendarDecl,
        parts: &[WindowPart],
    ) -> BTreeSet<NaiveDate> {
        // Days far from the plan never matter; bounding them keeps odd input cheap.
        let (lo, hi) = self
            .effective
            .map_or((NaiveDate::MIN, NaiveDate::MIN), |(s, e)| {
                let margin = Duration::days(400);
                (
                    s.checked_sub_signed(margin).unwrap_or(NaiveDate::MIN),
                    e.checked_add_signed(margin).unwrap_or(NaiveDate::MAX),
                )
            });
        let mut days = BTreeSet::new();
        for p in parts {
            let Some(w) = self.part_quiet(ctx, syms, p) else {
                continue;
            };
            for r in w.ranges {
                let mut d = r.start.max(lo);
                while d <= r.end.min(hi) {
                    days.insert(d);
                    let Some(next) = d.succ_opt() else { break };
                    d = next;
                }
            }
        }
        days
    }

    /// Like [`Windows::part`] without the outside-the-plan warning: calendars may reach beyond.
    fn part_quiet(&self, ctx: &mut Ctx, syms: &Symbols<'_>, part: &WindowPart) -> Option<Window> {
        let raw = lower(ctx, syms, part)?;
        let ranges = match raw {
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
}

fn lower(ctx: &mut Ctx, syms: &Symbols<'_>, part: &WindowPart) -> Option<Raw> {
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

/// Marks every window that refers to a broken one as broken too.
fn spread_broken(raw: &IndexMap<String, Vec<Raw>>, broken: &mut HashSet<String>) {
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
fn break_cycles(ctx: &mut Ctx, raw: &mut IndexMap<String, Vec<Raw>>) -> Vec<String> {
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

fn expand(
    raw: &IndexMap<String, Vec<Raw>>,
    name: &str,
    effective: Effective,
    depth: usize,
) -> Vec<DateRange> {
    // Cycles are cut before expansion; the depth bound only guards against a bug there.
    if depth > raw.len() {
        return Vec::new();
    }
    let Some(parts) = raw.get(name) else {
        return Vec::new();
    };
    parts
        .iter()
        .flat_map(|p| match p {
            Raw::Ref(n, _) => expand(raw, n, effective, depth + 1),
            other => expand_one(other, effective),
        })
        .collect()
}

fn expand_one(raw: &Raw, effective: Effective) -> Vec<DateRange> {
    match raw {
        Raw::Range(start, end) => vec![DateRange {
            start: *start,
            end: *end,
        }],
        Raw::Yearly(from, to) => effective.map_or_else(Vec::new, |(s, e)| yearly(*from, *to, s, e)),
        Raw::Ref(..) => Vec::new(),
    }
}

/// A yearly part for every year the effective range touches; a part that wraps the new year
/// (`12-01 .. 02-28`) also starts in the year before, so the plan's first weeks are covered.
fn yearly(from: (u32, u32), to: (u32, u32), start: NaiveDate, end: NaiveDate) -> Vec<DateRange> {
    let wraps = to < from;
    let first = if wraps {
        start.year().saturating_sub(1)
    } else {
        start.year()
    };
    (first..=end.year())
        .filter_map(|y| {
            let s = NaiveDate::from_ymd_opt(y, from.0, from.1)?;
            let ey = if wraps { y.checked_add(1)? } else { y };
            let e = NaiveDate::from_ymd_opt(ey, to.0, to.1)
                .or_else(|| NaiveDate::from_ymd_opt(ey, to.0, to.1.saturating_sub(1)))?;
            Some(DateRange { start: s, end: e })
        })
        .collect()
}

/// Sorts ranges and merges those that overlap or touch.
pub(crate) fn merge(mut ranges: Vec<DateRange>) -> Vec<DateRange> {
    ranges.sort();
    let mut out: Vec<DateRange> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match out.last_mut() {
            Some(last) if last.end.succ_opt().is_none_or(|n| n >= r.start) => {
                last.end = last.end.max(r.end);
            }
            _ => out.push(r),
        }
    }
    out
}
