//! Rule bodies: counts, responses, consequences and held states.

use super::pattern::{count, param, pattern, period, wrong_kind};
use super::{Env, Lowered};
use crate::codes;
use crate::ctx::{Ctx, Ns};
use crate::dates::{date, show};
use crate::duration::{unit_word, within};
use crate::expr::{self, Scope};
use crate::model::{Branch, ConsequenceTrigger, Duty, HoldWhen, Who, Within};
use oblige_syntax::ast::{self, Amount, CountCmp, DurationLit, DurationUnit, RuleBody};

const BRANCH_WHO: &[Who] = &[Who::Trigger, Who::Subject];

pub(super) fn lower(
    ctx: &mut Ctx,
    env: &Env<'_, '_>,
    subject: Option<&str>,
    body: &RuleBody,
) -> Option<Duty> {
    match body {
        RuleBody::Count(c) => count_duty(ctx, env, subject, c),
        RuleBody::Response(r) => response(ctx, env, subject, r),
        RuleBody::Consequence(c) => consequence(ctx, env, subject, c),
        RuleBody::Hold(h) => hold(ctx, env, h),
    }
}

fn count_duty(
    ctx: &mut Ctx,
    env: &Env<'_, '_>,
    subject: Option<&str>,
    c: &ast::CountReq,
) -> Option<Duty> {
    let amount = match (&c.quantity.amount, c.quantity.cmp) {
        (_, CountCmp::Never) | (None, _) => Some(0),
        (Some(a), _) => count(ctx, env, a),
    };
    if amount == Some(0) && matches!(c.quantity.cmp, CountCmp::AtMost | CountCmp::Exactly) {
        ctx.warning(
            codes::USE_FORBID,
            c.quantity.span,
            "a count of at most zero is a prohibition",
        )
        .label("this allows no event at all")
        .help("write `forbid <event> per <period>` instead");
    }
    if amount == Some(0) && c.quantity.cmp == CountCmp::AtLeast {
        ctx.warning(
            codes::ALWAYS_MET,
            c.quantity.span,
            "a count of at least zero is always met",
        )
        .label("every subject meets this without doing anything")
        .help("require at least 1, or remove the rule");
    }
    let events = pattern(ctx, env, subject, &c.events, None);
    let period = period(ctx, env, &c.period);
    Some(Duty::Count {
        cmp: c.quantity.cmp,
        amount: amount?,
        events: events?,
        period: period?,
    })
}

fn response(
    ctx: &mut Ctx,
    env: &Env<'_, '_>,
    subject: Option<&str>,
    r: &ast::ResponseReq,
) -> Option<Duty> {
    let trigger = pattern(ctx, env, subject, &r.trigger, None);
    let kind = env
        .syms
        .events
        .get_key_value(&r.trigger.kind.name)
        .map(|(k, _)| k.as_str());
    let branches: Vec<Option<Branch>> = r
        .branches
        .iter()
        .map(|b| branch(ctx, env, subject, kind, b))
        .collect();
    Some(Duty::Response {
        trigger: trigger?,
        branches: branches.into_iter().collect::<Option<_>>()?,
    })
}

fn branch(
    ctx: &mut Ctx,
    env: &Env<'_, '_>,
    subject: Option<&str>,
    trigger: Option<&str>,
    b: &ast::ResponseBranch,
) -> Option<Branch> {
    let scope = Scope {
        place: "a branch condition",
        default: Some(Who::Trigger),
        allowed: BRANCH_WHO,
        period: false,
        subject,
        event: None,
        trigger,
    };
    let condition = b
        .condition
        .as_ref()
        .map(|e| expr::lower(ctx, env.syms, &scope, e));
    let response = match &b.response {
        ast::ResponseWhat::Reported => Some(None),
        ast::ResponseWhat::Event(p) => pattern(ctx, env, subject, p, Some(trigger)).map(Some),
    };
    let within = deadline(ctx, env, &b.within);
    Some(Branch {
        condition: condition.lowered().ok()?,
        response: response?,
        within: within?,
    })
}

/// A response deadline: positive, and in working days only with a calendar.
fn deadline(ctx: &mut Ctx, env: &Env<'_, '_>, d: &DurationLit) -> Option<Within> {
    let amount = match &d.amount {
        Amount::Int(n) => n.value,
        Amount::Param(name) => match param(ctx, env, name)? {
            ast::ParamValue::Int(n) => n.value,
            ast::ParamValue::Duration(pd) => match (&pd.amount, pd.unit == d.unit) {
                (Amount::Int(n), true) => n.value,
                _ => {
                    let is = format!("a duration in {}", unit_word(pd.unit));
                    let needed = format!("written here with `{}`", unit_word(d.unit));
                    let help = format!("write `within {} {}`", name.name, unit_word(pd.unit));
                    wrong_kind(ctx, env, name, &is, &needed, help);
                    return None;
                }
            },
        },
    };
    if d.unit == DurationUnit::WorkingDays {
        if env.syms.calendars.is_empty() {
            ctx.error(codes::NO_CALENDAR, d.span, "`working days` (`工作日`) need a calendar")
                .label("no `calendar` is declared")
                .help("declare the holidays and adjusted working days in a `calendar`, or count in `days`");
            return None;
        }
        for name in env.syms.calendars.keys() {
            ctx.mark_used(Ns::Calendar, name);
        }
    }
    if amount == 0 {
        ctx.error(
            codes::ZERO_DEADLINE,
            d.span,
            "a deadline of zero can never be met",
        )
        .label("zero")
        .help("give the time allowed, such as `within 1 hours`");
        return None;
    }
    Some(within(amount, d.unit))
}

fn consequence(
    ctx: &mut Ctx,
    env: &Env<'_, '_>,
    subject: Option<&str>,
    c: &ast::ConsequenceReq,
) -> Option<Duty> {
    let trigger = match &c.trigger {
        ast::ConsequenceTrigger::Event(p) => {
            pattern(ctx, env, subject, p, None).map(ConsequenceTrigger::Event)
        }
        ast::ConsequenceTrigger::Violation(id) => {
            if env.syms.rules.contains_key(&id.name) {
                Some(ConsequenceTrigger::Violation(id.name.clone()))
            } else {
                ctx.error(
                    codes::UNKNOWN_RULE,
                    id.span,
                    format!("unknown rule `{}`", id.name),
                )
                .label("no rule has this id")
                .suggest(&id.name, env.syms.rules.keys().map(String::as_str));
                None
            }
        }
    };
    let finding = if env.syms.findings.contains_key(&c.finding.name) {
        ctx.mark_used(Ns::Finding, &c.finding.name);
        ctx.given_findings.insert(c.finding.name.clone());
        Some(c.finding.name.clone())
    } else {
        ctx.error(
            codes::UNKNOWN_FINDING,
            c.finding.span,
            format!("unknown finding `{}`", c.finding.name),
        )
        .label("no finding has this name")
        .suggest(
            &c.finding.name,
            env.syms.findings.keys().map(String::as_str),
        );
        None
    };
    let over = period(ctx, env, &c.over);
    Some(Duty::Consequence {
        trigger: trigger?,
        finding: finding?,
        over: over?,
    })
}

fn hold(ctx: &mut Ctx, env: &Env<'_, '_>, h: &ast::HoldReq) -> Option<Duty> {
    let state = if env.syms.states.contains_key(&h.state.name) {
        ctx.mark_used(Ns::State, &h.state.name);
        Some(h.state.name.clone())
    } else {
        ctx.error(
            codes::UNKNOWN_STATE,
            h.state.span,
            format!("unknown state `{}`", h.state.name),
        )
        .label("no state has this name")
        .suggest(&h.state.name, env.syms.states.keys().map(String::as_str));
        None
    };
    let when = match &h.when {
        ast::HoldWhen::Throughout(p) => period(ctx, env, p).map(HoldWhen::Throughout),
        ast::HoldWhen::On(d) => on_date(ctx, env, d).map(HoldWhen::On),
    };
    Some(Duty::Hold {
        state: state?,
        when: when?,
    })
}

fn on_date(ctx: &mut Ctx, env: &Env<'_, '_>, d: &ast::DateLit) -> Option<chrono::NaiveDate> {
    let day = date(ctx, d)?;
    if let Some((start, end)) = env.effective {
        if day < start || day > end {
            ctx.error(
                codes::DATE_OUTSIDE_PLAN,
                d.span,
                format!("`{}` is outside the effective range", show(day)),
            )
            .label(format!(
                "the plan applies from `{}` to `{}`",
                show(start),
                show(end)
            ))
            .help("choose a date inside the plan's `effective` range");
            return None;
        }
    }
    Some(day)
}
