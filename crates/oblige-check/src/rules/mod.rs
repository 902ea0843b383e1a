//! Rules: subjects, exemptions and duties lowered to the model.

mod duty;
mod graph;
mod meta;
mod pattern;

pub(crate) use graph::check_violation_cycles;

use crate::codes;
use crate::ctx::{Ctx, Ns};
use crate::expr::{self, Scope};
use crate::model::{Exemption, Rule, Subject, Who};
use crate::symbols::Symbols;
use crate::windows::{Effective, Windows};
use oblige_syntax::ast::{self, SubjectMode};

/// What every rule is checked against.
pub(crate) struct Env<'r, 'a> {
    pub(crate) syms: &'r Symbols<'a>,
    pub(crate) windows: &'r Windows,
    pub(crate) effective: Effective,
}

const SUBJECT_ONLY: &[Who] = &[Who::Subject];

/// Every rule in source order; a rule with an error is left out (the plan is not built then).
pub(crate) fn lower_all(ctx: &mut Ctx, env: &Env<'_, '_>) -> Vec<Rule> {
    env.syms
        .rule_list
        .iter()
        .filter_map(|r| lower(ctx, env, r))
        .collect()
}

fn lower(ctx: &mut Ctx, env: &Env<'_, '_>, rule: &ast::Rule) -> Option<Rule> {
    let meta = meta::lower(ctx, rule);
    let class = subject_class(ctx, env.syms, &rule.subject.class);
    let subject_scope = Scope {
        place: "a subject filter",
        default: Some(Who::Subject),
        allowed: SUBJECT_ONLY,
        period: true,
        subject: class.as_deref(),
        event: None,
        trigger: None,
    };
    let filter = rule
        .subject
        .filter
        .as_ref()
        .map(|e| expr::lower(ctx, env.syms, &subject_scope, e));
    let exempt_scope = Scope {
        place: "an exemption",
        ..subject_scope.clone()
    };
    let exemptions: Vec<Option<Exemption>> = rule
        .exemptions
        .iter()
        .map(|x| exemption(ctx, env, &exempt_scope, x))
        .collect();
    let duty = duty::lower(ctx, env, class.as_deref(), &rule.body);
    let subject = Subject {
        class: class?,
        filter: filter.lowered().ok()?,
        coverage: rule.subject.mode == SubjectMode::CoverEach,
    };
    Some(Rule {
        id: rule.id.name.clone(),
        meta,
        subject,
        exemptions: exemptions.into_iter().collect::<Option<_>>()?,
        duty: duty?,
        span: rule.span,
    })
}

/// A known class, marked used; `None` after reporting an unknown one.
fn subject_class(ctx: &mut Ctx, syms: &Symbols<'_>, class: &ast::Ident) -> Option<String> {
    if syms.classes.contains_key(&class.name) {
        ctx.mark_used(Ns::Class, &class.name);
        return Some(class.name.clone());
    }
    ctx.error(
        codes::UNKNOWN_CLASS,
        class.span,
        format!("unknown class `{}`", class.name),
    )
    .label("no class has this name")
    .suggest(&class.name, syms.classes.keys().map(String::as_str));
    None
}

fn exemption(
    ctx: &mut Ctx,
    env: &Env<'_, '_>,
    scope: &Scope<'_>,
    x: &ast::Exemption,
) -> Option<Exemption> {
    if x.filter.is_none() && x.during.is_none() {
        ctx.warning(
            codes::EXEMPTS_EVERYTHING,
            x.span,
            "this exemption applies to every subject in every period",
        )
        .label("no `where` and no `during`")
        .help("say whom or when it exempts with `where …` or `during …`, or remove the rule");
    }
    let filter = x
        .filter
        .as_ref()
        .map(|e| expr::lower(ctx, env.syms, scope, e));
    let during = x
        .during
        .as_ref()
        .map(|p| env.windows.part(ctx, env.syms, p));
    Some(Exemption {
        filter: filter.lowered().ok()?,
        during: during.lowered().ok()?,
        reason: x.reason.value.clone(),
    })
}

/// `Option<Option<T>>` where the inner `None` is a reported error: `Err` then.
trait Lowered<T> {
    fn lowered(self) -> Result<Option<T>, ()>;
}

impl<T> Lowered<T> for Option<Option<T>> {
    fn lowered(self) -> Result<Option<T>, ()> {
        match self {
            None => Ok(None),
            Some(Some(v)) => Ok(Some(v)),
            Some(None) => Err(()),
        }
    }
}
