//! The plan header: exactly one, each field at most once, a real effective range and time zone.

use crate::codes;
use crate::ctx::Ctx;
use crate::dates::{date, show};
use crate::model::Header;
use chrono::NaiveDate;
use oblige_diagnostics::{did_you_mean, FileId, Span};
use oblige_syntax::ast::{PlanField, PlanHeader};
use std::str::FromStr;

/// The time zone of a plan that does not name one.
const DEFAULT_TZ: chrono_tz::Tz = chrono_tz::Asia::Shanghai;

/// Checks the headers and returns the first one, with defaults applied, when it is usable.
pub(crate) fn check_headers(
    ctx: &mut Ctx,
    headers: &[&PlanHeader],
    first_file: Option<FileId>,
) -> Option<Header> {
    let Some((first, rest)) = headers.split_first() else {
        let span = Span::new(first_file.unwrap_or_default(), 0, 0);
        ctx.error(codes::MISSING_PLAN, span, "the plan has no `plan` header")
            .label("no file of the plan starts with a header")
            .help("add `plan \"title\" { effective 2023-01-01 .. 2023-12-31 }` to the main file");
        return None;
    };
    for h in rest {
        ctx.error(
            codes::DUPLICATE_PLAN,
            h.title.span,
            "the plan has more than one `plan` header",
        )
        .label("second header")
        .related(first.title.span, "first header")
        .help("keep one header for the whole plan; included files need none");
    }
    header(ctx, first)
}

fn header(ctx: &mut Ctx, h: &PlanHeader) -> Option<Header> {
    let mut seen: Vec<(&'static str, Span)> = Vec::new();
    let mut out = Header {
        title: h.title.value.clone(),
        issuer: None,
        issued: None,
        effective_start: NaiveDate::MIN,
        effective_end: NaiveDate::MIN,
        timezone: DEFAULT_TZ,
        source: None,
    };
    let mut effective = None;
    let mut wrote_effective = false;
    for f in &h.fields {
        let (name, span) = field_key(f);
        if let Some(&(_, first)) = seen.iter().find(|(n, _)| *n == name) {
            ctx.error(
                codes::DUPLICATE_PLAN_FIELD,
                span,
                format!("`{name}` is given twice"),
            )
            .label("given again here")
            .related(first, "first given here")
            .help("keep one of them");
            continue;
        }
        seen.push((name, span));
        match f {
            PlanField::Issuer(s) => out.issuer = Some(s.value.clone()),
            PlanField::Source(s) => out.source = Some(s.value.clone()),
            PlanField::Issued(d) => out.issued = date(ctx, d),
            PlanField::Timezone(s) => {
                out.timezone = timezone(ctx, &s.value, s.span).unwrap_or(DEFAULT_TZ);
            }
            PlanField::Effective(a, b) => {
                effective = effective_range(ctx, a, b);
                wrote_effective = true;
            }
        }
    }
    let Some((start, end)) = effective else {
        if !wrote_effective {
            ctx.error(
                codes::MISSING_EFFECTIVE,
                h.title.span,
                "the plan header has no `effective` range",
            )
            .label("header without `effective`")
            .help("add `effective 2023-01-01 .. 2023-12-31` with the days the plan applies");
        }
        return None;
    };
    out.effective_start = start;
    out.effective_end = end;
    if let Some((issued, span)) = out.issued.zip(issued_span(h)) {
        if issued > end {
            ctx.warning(
                codes::ISSUED_AFTER_END,
                span,
                format!(
                    "the plan is issued on `{}`, after its effective range ends",
                    show(issued)
                ),
            )
            .label(format!("the plan ends on `{}`", show(end)))
            .help("check the issue date and the effective range");
        }
    }
    Some(out)
}

fn field_key(f: &PlanField) -> (&'static str, Span) {
    match f {
        PlanField::Issuer(s) => ("issuer", s.span),
        PlanField::Issued(d) => ("issued", d.span),
        PlanField::Effective(a, b) => ("effective", a.span.to(b.span)),
        PlanField::Timezone(s) => ("timezone", s.span),
        PlanField::Source(s) => ("source", s.span),
    }
}

fn issued_span(h: &PlanHeader) -> Option<Span> {
    h.fields.iter().find_map(|f| match f {
        PlanField::Issued(d) => Some(d.span),
        _ => None,
    })
}

fn effective_range(
    ctx: &mut Ctx,
    a: &oblige_syntax::ast::DateLit,
    b: &oblige_syntax::ast::DateLit,
) -> Option<(NaiveDate, NaiveDate)> {
    let (start, end) = (date(ctx, a), date(ctx, b));
    let (start, end) = (start?, end?);
    if start > end {
        reversed(ctx, a.span.to(b.span), start, end);
        return None;
    }
    Some((start, end))
}

/// Reports a range whose end comes before its start.
pub(crate) fn reversed(ctx: &mut Ctx, span: Span, start: NaiveDate, end: NaiveDate) {
    ctx.error(
        codes::REVERSED_RANGE,
        span,
        format!(
            "the range ends on `{}` before it starts on `{}`",
            show(end),
            show(start)
        ),
    )
    .label("end before start")
    .help("write the earlier date first");
}

fn timezone(ctx: &mut Ctx, name: &str, span: Span) -> Option<chrono_tz::Tz> {
    if let Ok(tz) = chrono_tz::Tz::from_str(name) {
        return Some(tz);
    }
    let names = chrono_tz::TZ_VARIANTS.iter().map(|t| t.name());
    let help = did_you_mean(name, names)
        .map(|s| format!("did you mean `{s}`?"))
        .unwrap_or_else(|| "use an IANA name such as `Asia/Shanghai`".to_owned());
    ctx.error(
        codes::UNKNOWN_TIMEZONE,
        span,
        format!("unknown time zone `{name}`"),
    )
    .label("not an IANA time zone name")
    .help(help);
    None
}
