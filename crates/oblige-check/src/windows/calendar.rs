//! The working-day calendar: holidays and adjusted working days as sets of days.

use super::Windows;
use crate::codes;
use crate::ctx::Ctx;
use crate::model::Calendar;
use crate::symbols::Symbols;
use chrono::{Duration, NaiveDate};
use oblige_syntax::ast::WindowPart;
use std::collections::BTreeSet;

impl Windows {
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
            holidays: self.days(ctx, syms, &first.holidays),
            workdays: self.days(ctx, syms, &first.workdays),
        })
    }

    fn days(&self, ctx: &mut Ctx, syms: &Symbols<'_>, parts: &[WindowPart]) -> BTreeSet<NaiveDate> {
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
}
