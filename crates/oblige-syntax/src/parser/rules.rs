//! Rules: metadata, subject clause, exemptions, and the four body forms with their patterns,
//! quantities, periods and durations.

use super::expr::expr;
use super::items::window_part;
use super::literals::{date, ident, int, string};
use super::{kids, next_if, Ctx, Pair, Rule};
use crate::ast::{
    ActorSpec, Amount, ConsequenceReq, ConsequenceTrigger, CountCmp, CountReq, Docs, DurationLit,
    DurationUnit, EventPattern, Exemption, HoldReq, HoldWhen, Meta, PeriodKind, PeriodSpec,
    Quantity, ResponseBranch, ResponseReq, ResponseWhat, Rule as RuleItem, RuleBody, Severity,
    SubjectClause, SubjectMode,
};

pub(super) fn rule(ctx: &mut Ctx, p: &Pair, docs: Docs) -> Option<RuleItem> {
    let mut it = kids(p);
    let id = ident(ctx, &it.next()?);
    let title = next_if(&mut it, Rule::string).map(|s| string(ctx, &s));
    let mut meta = Vec::new();
    let mut subject = None;
    let mut exemptions = Vec::new();
    let mut body = None;
    for k in it {
        match k.as_rule() {
            Rule::subject => subject = Some(subject_clause(ctx, &k)?),
            Rule::exempt => exemptions.push(exempt(ctx, &k)?),
            Rule::body => body = Some(rule_body(ctx, &k)?),
            _ => meta.push(meta_line(ctx, &k)?),
        }
    }
    Some(RuleItem {
        docs,
        id,
        title,
        meta,
        subject: subject?,
        exemptions,
        body: body?,
        span: ctx.span(p),
    })
}

fn meta_line(ctx: &mut Ctx, p: &Pair) -> Option<Meta> {
    let mut it = kids(p);
    Some(match p.as_rule() {
        Rule::meta_article => Meta::Article(it.map(|i| int(ctx, &i)).collect()),
        Rule::meta_quote => Meta::Quote(string(ctx, &it.next()?)),
        Rule::meta_lead => Meta::Lead(it.map(|s| string(ctx, &s)).collect()),
        Rule::meta_cooperating => Meta::Cooperating(it.map(|s| string(ctx, &s)).collect()),
        Rule::meta_severity => {
            let value = it.next()?;
            let span = ctx.span(&value);
            let level = match value.into_inner().next()?.as_rule() {
                Rule::kw_low => Severity::Low,
                Rule::kw_medium => Severity::Medium,
                Rule::kw_high => Severity::High,
                Rule::kw_critical => Severity::Critical,
                _ => return None,
            };
            Meta::Severity(level, span)
        }
        Rule::meta_weight => Meta::Weight(int(ctx, &it.next()?)),
        _ => return None,
    })
}

fn subject_clause(ctx: &mut Ctx, p: &Pair) -> Option<SubjectClause> {
    let mode = match p.clone().into_inner().next()?.as_rule() {
        Rule::kw_cover_each => SubjectMode::CoverEach,
        _ => SubjectMode::ForEach,
    };
    let mut it = kids(p);
    let class = ident(ctx, &it.next()?);
    let filter = match it.next() {
        Some(e) => Some(expr(ctx, &e)?),
        None => None,
    };
    Some(SubjectClause {
        mode,
        class,
        filter,
        span: ctx.span(p),
    })
}

fn exempt(ctx: &mut Ctx, p: &Pair) -> Option<Exemption> {
    let mut filter = None;
    let mut during = None;
    let mut reason = None;
    for k in kids(p) {
        match k.as_rule() {
            Rule::expr => filter = Some(expr(ctx, &k)?),
            Rule::window_part => during = Some(window_part(ctx, &k)?),
            Rule::string => reason = Some(string(ctx, &k)),
            _ => return None,
        }
    }
    Some(Exemption {
        filter,
        during,
        reason: reason?,
        span: ctx.span(p),
    })
}

fn rule_body(ctx: &mut Ctx, p: &Pair) -> Option<RuleBody> {
    let b = p.clone().into_inner().next()?;
    let span = ctx.span(&b);
    let mut it = kids(&b);
    Some(match b.as_rule() {
        Rule::hold_body => {
            let state = ident(ctx, &it.next()?);
            let w = it.next()?;
            let when = match w.as_rule() {
                Rule::hold_on => HoldWhen::On(date(ctx, &kids(&w).next()?)),
                _ => HoldWhen::Throughout(period(ctx, &w)?),
            };
            RuleBody::Hold(HoldReq { state, when, span })
        }
        Rule::count_body => RuleBody::Count(CountReq {
            quantity: quantity(ctx, &it.next()?)?,
            events: pattern(ctx, &it.next()?)?,
            period: period(ctx, &it.next()?)?,
            span,
        }),
        Rule::forbid_body => {
            let kw = b.clone().into_inner().next()?;
            RuleBody::Count(CountReq {
                quantity: Quantity {
                    cmp: CountCmp::Never,
                    amount: None,
                    span: ctx.span(&kw),
                },
                events: pattern(ctx, &it.next()?)?,
                period: period(ctx, &it.next()?)?,
                span,
            })
        }
        Rule::violated_body => RuleBody::Consequence(ConsequenceReq {
            trigger: ConsequenceTrigger::Violation(ident(ctx, &it.next()?)),
            finding: ident(ctx, &it.next()?),
            over: period(ctx, &it.next()?)?,
            span,
        }),
        Rule::when_body => when_body(ctx, it, span)?,
        _ => return None,
    })
}

fn when_body<'i>(
    ctx: &mut Ctx,
    mut it: impl Iterator<Item = Pair<'i>>,
    span: oblige_diagnostics::Span,
) -> Option<RuleBody> {
    let trigger = pattern(ctx, &it.next()?)?;
    let mut branches = Vec::new();
    for k in it {
        if k.as_rule() == Rule::finding_tail {
            let mut t = kids(&k);
            return Some(RuleBody::Consequence(ConsequenceReq {
                trigger: ConsequenceTrigger::Event(trigger),
                finding: ident(ctx, &t.next()?),
                over: period(ctx, &t.next()?)?,
                span,
            }));
        }
        branches.push(response_branch(ctx, &k)?);
    }
    Some(RuleBody::Response(ResponseReq {
        trigger,
        branches,
        span,
    }))
}

fn response_branch(ctx: &mut Ctx, p: &Pair) -> Option<ResponseBranch> {
    let mut condition = None;
    let mut response = None;
    let mut within = None;
    for k in p.clone().into_inner() {
        match k.as_rule() {
            Rule::expr => condition = Some(expr(ctx, &k)?),
            Rule::kw_reported => response = Some(ResponseWhat::Reported),
            Rule::pattern => response = Some(ResponseWhat::Event(pattern(ctx, &k)?)),
            Rule::duration => within = Some(duration(ctx, &k)?),
            _ => {}
        }
    }
    Some(ResponseBranch {
        condition,
        response: response?,
        within: within?,
        span: ctx.span(p),
    })
}

fn quantity(ctx: &mut Ctx, p: &Pair) -> Option<Quantity> {
    let mut it = kids(p);
    let cmp = match it.next()?.into_inner().next()?.as_rule() {
        Rule::kw_at_least | Rule::ge => CountCmp::AtLeast,
        Rule::kw_at_most | Rule::le => CountCmp::AtMost,
        Rule::kw_exactly | Rule::eq => CountCmp::Exactly,
        _ => return None,
    };
    let amount = amount(ctx, &it.next()?)?;
    Some(Quantity {
        cmp,
        amount: Some(amount),
        span: ctx.span(p),
    })
}

fn amount(ctx: &mut Ctx, p: &Pair) -> Option<Amount> {
    let inner = p.clone().into_inner().next()?;
    Some(match inner.as_rule() {
        Rule::int => Amount::Int(int(ctx, &inner)),
        _ => Amount::Param(ident(ctx, &inner)),
    })
}

fn pattern(ctx: &mut Ctx, p: &Pair) -> Option<EventPattern> {
    let mut it = kids(p);
    let kind = ident(ctx, &it.next()?);
    let mut filter = None;
    let mut to_subject = false;
    let mut by = None;
    for k in it {
        match k.as_rule() {
            Rule::expr => filter = Some(expr(ctx, &k)?),
            Rule::to_subject => to_subject = true,
            Rule::by_clause => by = Some(actor_spec(ctx, &k)?),
            _ => return None,
        }
    }
    Some(EventPattern {
        kind,
        filter,
        to_subject,
        by,
        span: ctx.span(p),
    })
}

fn actor_spec(ctx: &mut Ctx, p: &Pair) -> Option<ActorSpec> {
    let who = p.clone().into_inner().nth(1)?;
    Some(match who.as_rule() {
        Rule::kw_subject => ActorSpec::Subject,
        Rule::kw_anyone => ActorSpec::Anyone,
        Rule::by_actor => ActorSpec::Related(expr(ctx, &kids(&who).next()?)?),
        _ => return None,
    })
}

/// A `period` or `over` pair.
fn period(ctx: &mut Ctx, p: &Pair) -> Option<PeriodSpec> {
    let inner = p.clone().into_inner().next()?;
    let kind = match inner.as_rule() {
        Rule::kw_per_month | Rule::kw_over_month => PeriodKind::Month,
        Rule::kw_per_quarter | Rule::kw_over_quarter => PeriodKind::Quarter,
        Rule::kw_per_half_year | Rule::kw_over_half_year => PeriodKind::HalfYear,
        Rule::kw_per_year | Rule::kw_over_year => PeriodKind::Year,
        Rule::per_window => PeriodKind::Window(ident(ctx, &kids(&inner).next()?)),
        _ => return None,
    };
    Some(PeriodSpec {
        kind,
        span: ctx.span(p),
    })
}

/// A `duration` pair.
pub(super) fn duration(ctx: &mut Ctx, p: &Pair) -> Option<DurationLit> {
    let mut it = kids(p);
    let amount = amount(ctx, &it.next()?)?;
    let unit = match it.next()?.into_inner().next()?.as_rule() {
        Rule::kw_minutes => DurationUnit::Minutes,
        Rule::kw_hours => DurationUnit::Hours,
        Rule::kw_days => DurationUnit::Days,
        Rule::kw_working_days => DurationUnit::WorkingDays,
        _ => return None,
    };
    Some(DurationLit {
        amount,
        unit,
        span: ctx.span(p),
    })
}
