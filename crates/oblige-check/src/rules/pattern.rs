//! Event patterns, periods and amounts.

use super::{Env, Lowered};
use crate::codes;
use crate::ctx::{Ctx, Ns};
use crate::decls::event_kind;
use crate::expr::{self, Scope};
use crate::model::{Actor, Pattern, Period, Who};
use oblige_syntax::ast::{self, ActorSpec, Amount, EventPattern, PeriodKind, PeriodSpec};

const EVENT_WHO: &[Who] = &[Who::Event, Who::Subject, Who::Actor, Who::Target];
const RESPONSE_WHO: &[Who] = &[
    Who::Event,
    Who::Subject,
    Who::Actor,
    Who::Target,
    Who::Trigger,
];
const ACTOR_WHO: &[Who] = &[Who::Actor, Who::Subject];

/// A pattern; `trigger` is the trigger's kind when the pattern is a response to it.
pub(super) fn pattern(
    ctx: &mut Ctx,
    env: &Env<'_, '_>,
    subject: Option<&str>,
    p: &EventPattern,
    trigger: Option<Option<&str>>,
) -> Option<Pattern> {
    let kind = event_kind(ctx, env.syms, &p.kind);
    let scope = Scope {
        place: "an event filter",
        default: Some(Who::Event),
        allowed: if trigger.is_some() {
            RESPONSE_WHO
        } else {
            EVENT_WHO
        },
        period: false,
        subject,
        event: kind.as_deref(),
        trigger: trigger.flatten(),
    };
    let filter = p
        .filter
        .as_ref()
        .map(|e| expr::lower(ctx, env.syms, &scope, e));
    let by = match &p.by {
        None if p.to_subject => Some(Actor::Anyone),
        None | Some(ActorSpec::Subject) => Some(Actor::Subject),
        Some(ActorSpec::Anyone) => Some(Actor::Anyone),
        Some(ActorSpec::Related(e)) => {
            let actor_scope = Scope {
                place: "an actor filter",
                default: None,
                allowed: ACTOR_WHO,
                event: None,
                trigger: None,
                ..scope.clone()
            };
            expr::lower(ctx, env.syms, &actor_scope, e).map(Actor::Related)
        }
    };
    Some(Pattern {
        kind: kind?,
        filter: filter.lowered().ok()?,
        to_subject: p.to_subject,
        by: by?,
    })
}

/// A period; a window must exist and have a day in the effective range.
pub(super) fn period(ctx: &mut Ctx, env: &Env<'_, '_>, p: &PeriodSpec) -> Option<Period> {
    Some(match &p.kind {
        PeriodKind::Month => Period::Month,
        PeriodKind::Quarter => Period::Quarter,
        PeriodKind::HalfYear => Period::HalfYear,
        PeriodKind::Year => Period::Year,
        PeriodKind::Window(name) => {
            if !env.windows.resolved.contains_key(&name.name) {
                ctx.error(
                    codes::UNKNOWN_WINDOW,
                    name.span,
                    format!("unknown window `{}`", name.name),
                )
                .label("no window has this name")
                .help_opt(period_keyword(&name.name))
                .suggest(&name.name, env.syms.windows.keys().map(String::as_str));
                return None;
            }
            ctx.mark_used(Ns::Window, &name.name);
            if env.windows.empty_in_plan(&name.name) {
                ctx.error(
                    codes::EMPTY_PERIOD_WINDOW,
                    name.span,
                    format!(
                        "the window `{}` has no day inside the effective range",
                        name.name
                    ),
                )
                .label("there is no period to count in")
                .help("give the window dates inside the plan's `effective` range");
                return None;
            }
            Period::Window(name.name.clone())
        }
    })
}

/// "did you mean `per quarter`?" for a misspelt calendar period, which reads as a window name.
fn period_keyword(name: &str) -> Option<String> {
    const PERIODS: [&str; 4] = ["month", "quarter", "half-year", "year"];
    oblige_diagnostics::did_you_mean(name, PERIODS).map(|p| format!("did you mean `per {p}`?"))
}

/// A count, written or as a parameter.
pub(super) fn count(ctx: &mut Ctx, env: &Env<'_, '_>, a: &Amount) -> Option<u64> {
    match a {
        Amount::Int(n) => Some(n.value),
        Amount::Param(name) => match param(ctx, env, name)? {
            ast::ParamValue::Int(n) => Some(n.value),
            ast::ParamValue::Duration(_) => {
                let help = format!("write a number, or declare one: `param {} = 2`", name.name);
                wrong_kind(
                    ctx,
                    env,
                    name,
                    "a duration",
                    "a number is needed here",
                    help,
                );
                None
            }
        },
    }
}

/// A known parameter's value, marked used.
pub(super) fn param<'p>(
    ctx: &mut Ctx,
    env: &'p Env<'_, '_>,
    name: &ast::Ident,
) -> Option<&'p ast::ParamValue> {
    let Some(p) = env.syms.params.get(&name.name) else {
        ctx.error(
            codes::UNKNOWN_PARAM,
            name.span,
            format!("unknown parameter `{}`", name.name),
        )
        .label("no parameter has this name")
        .suggest(&name.name, env.syms.params.keys().map(String::as_str));
        return None;
    };
    ctx.mark_used(Ns::Param, &name.name);
    Some(&p.value)
}

/// Reports a parameter of the wrong kind.
pub(super) fn wrong_kind(
    ctx: &mut Ctx,
    env: &Env<'_, '_>,
    name: &ast::Ident,
    is: &str,
    needed: &str,
    help: String,
) {
    let b = ctx
        .error(
            codes::WRONG_PARAM_KIND,
            name.span,
            format!("the parameter `{}` is {is}", name.name),
        )
        .label(needed.to_owned())
        .help(help);
    match env.syms.params.get(&name.name) {
        Some(p) => b.related(p.name.span, "declared here"),
        None => b,
    };
}
