//! Resolution of one predicate value: literal, qualified attribute, or a bare name that may be an
//! attribute, an enum value or a parameter.

use super::{scope::who_word, who_of, Lowerer};
use crate::codes;
use crate::ctx::Ns;
use crate::dates::date;
use crate::model::{Lit, Value, Who};
use crate::ty::Ty;
use oblige_syntax::ast::{Ident, Literal, Operand, OperandKind, ParamValue};

/// A resolved value with its type.
pub(super) struct Typed {
    pub(super) value: Value,
    pub(super) ty: Ty,
}

fn typed(value: Value, ty: Ty) -> Option<Typed> {
    Some(Typed { value, ty })
}

pub(super) fn resolve(
    l: &mut Lowerer<'_, '_, '_>,
    op: &Operand,
    hint: Option<&Ty>,
) -> Option<Typed> {
    match &op.kind {
        OperandKind::Lit(lit) => literal(l, lit, op, hint),
        OperandKind::PeriodStart | OperandKind::PeriodEnd => {
            if !l.scope.period {
                l.not_available(&format!("`{}`", l.text(op)), op.span);
                return None;
            }
            let v = if matches!(op.kind, OperandKind::PeriodStart) {
                Value::PeriodStart
            } else {
                Value::PeriodEnd
            };
            typed(v, Ty::Date)
        }
        OperandKind::Attr(q, name) => {
            let who = who_of(*q);
            if !l.scope.allows(who) {
                l.not_available(&format!("`{}.`", who_word(who)), op.span);
                return None;
            }
            attribute(l, who, name)
        }
        OperandKind::Name(name) => bare(l, name, hint),
    }
}

fn literal(
    l: &mut Lowerer<'_, '_, '_>,
    lit: &Literal,
    op: &Operand,
    hint: Option<&Ty>,
) -> Option<Typed> {
    match lit {
        Literal::Int(n) => typed(
            Value::Lit(Lit::Int(i64::try_from(*n).unwrap_or(i64::MAX))),
            Ty::Int,
        ),
        Literal::Bool(b) => typed(Value::Lit(Lit::Bool(*b)), Ty::Bool),
        Literal::Date(d) => typed(Value::Lit(Lit::Date(date(l.ctx, d)?)), Ty::Date),
        Literal::Str(s) => {
            // A quoted enum value reads as the value itself.
            if let Some(Ty::Enum(e)) = hint {
                let ident = Ident {
                    name: s.clone(),
                    span: op.span,
                };
                return enum_value(l, e, &ident);
            }
            typed(Value::Lit(Lit::Text(s.as_str().into())), Ty::Text)
        }
    }
}

fn attribute(l: &mut Lowerer<'_, '_, '_>, who: Who, name: &Ident) -> Option<Typed> {
    match l.scope.attr(l.syms, who, &name.name) {
        Ok(ty) => typed(Value::Attr(who, name.name.clone()), ty),
        Err(missing) => {
            // `subject.x` where the event has `x` (or the other way round) is a common slip.
            let elsewhere = l.scope.default.filter(|d| {
                *d != who
                    && matches!(l.scope.attr(l.syms, *d, &name.name), Ok(t) if t != Ty::Unknown)
            });
            let b = l
                .ctx
                .error(
                    codes::UNKNOWN_ATTRIBUTE,
                    name.span,
                    format!("unknown attribute `{}` of {}", name.name, missing.owner),
                )
                .label(format!("`{}` has no such attribute", who_word(who)));
            match elsewhere {
                Some(d) => b.help(format!(
                    "the {} has `{}`: write it without `{}.`",
                    who_word(d),
                    name.name,
                    who_word(who)
                )),
                None => b.suggest(&name.name, missing.candidates.iter().map(String::as_str)),
            };
            None
        }
    }
}

fn bare(l: &mut Lowerer<'_, '_, '_>, name: &Ident, hint: Option<&Ty>) -> Option<Typed> {
    if let Some(Ty::Enum(e)) = hint {
        let is_value = l
            .syms
            .enums
            .get(e)
            .is_some_and(|s| s.values.contains(&name.name));
        if is_value {
            return enum_value(l, e, name);
        }
    }
    if let Some(who) = l.scope.default {
        if let Ok(ty) = l.scope.attr(l.syms, who, &name.name) {
            return typed(Value::Attr(who, name.name.clone()), ty);
        }
    }
    if let Some(p) = l.syms.params.get(&name.name) {
        l.ctx.mark_used(Ns::Param, &name.name);
        return match &p.value {
            ParamValue::Int(n) => typed(
                Value::Lit(Lit::Int(i64::try_from(n.value).unwrap_or(i64::MAX))),
                Ty::Int,
            ),
            ParamValue::Duration(_) => {
                l.ctx
                    .error(
                        codes::WRONG_PARAM_KIND,
                        name.span,
                        format!("the parameter `{}` is a duration, not a number", name.name),
                    )
                    .label("a duration cannot be compared")
                    .help("compare with a number, or declare the parameter as a number")
                    .related(p.name.span, "declared here");
                None
            }
        };
    }
    if let Some(Ty::Enum(e)) = hint {
        return enum_value(l, e, name);
    }
    unknown_name(l, name);
    None
}

fn enum_value(l: &mut Lowerer<'_, '_, '_>, e: &str, name: &Ident) -> Option<Typed> {
    let values = l
        .syms
        .enums
        .get(e)
        .map(|s| s.values.as_slice())
        .unwrap_or_default();
    if values.contains(&name.name) {
        return typed(
            Value::Lit(Lit::Enum(name.name.as_str().into())),
            Ty::Enum(e.to_owned()),
        );
    }
    l.ctx
        .error(
            codes::UNKNOWN_ENUM_VALUE,
            name.span,
            format!("`{}` is not a value of the enum `{e}`", name.name),
        )
        .label(format!("not one of `{e}`'s values"))
        .suggest(&name.name, values.iter().map(String::as_str));
    None
}

fn unknown_name(l: &mut Lowerer<'_, '_, '_>, name: &Ident) {
    let Some(who) = l.scope.default else {
        l.ctx
            .error(
                codes::UNKNOWN_NAME,
                name.span,
                format!("unknown name `{}`", name.name),
            )
            .label(format!("names in {} must be qualified", l.scope.place))
            .help(format!("write `actor.{0}` or `subject.{0}`", name.name));
        return;
    };
    let mut candidates = l.scope.attr_names(l.syms, who);
    candidates.extend(l.syms.params.keys().cloned());
    let owner = match who {
        Who::Subject => "the subject",
        Who::Trigger => "the trigger",
        _ => "the event",
    };
    // Only the default owner is searched unqualified; another one that has the name is meant.
    let qualified = l.scope.allowed.iter().copied().find(|w| {
        *w != who
            && *w != Who::Event
            && matches!(l.scope.attr(l.syms, *w, &name.name), Ok(t) if t != Ty::Unknown)
    });
    let b = l
        .ctx
        .error(
            codes::UNKNOWN_NAME,
            name.span,
            format!("unknown name `{}`", name.name),
        )
        .label(format!(
            "not an attribute of {owner}, an enum value or a parameter"
        ));
    let close = oblige_diagnostics::did_you_mean(&name.name, candidates.iter().map(String::as_str));
    match (qualified, close, glued_keyword(&name.name)) {
        (Some(w), _, _) => b.help(format!("write `{}.{}`", who_word(w), name.name)),
        (None, None, Some((kw, spaced))) => b.help(format!(
            "`{}` contains the keyword `{kw}`; put spaces around keywords: `{spaced}`",
            name.name
        )),
        (None, _, _) => b.suggest(&name.name, candidates.iter().map(String::as_str)),
    };
}

/// The longest Chinese keyword inside an unknown name, and the name with spaces around it:
/// Chinese is written without spaces, so `一且一` was most likely meant as `一 且 一`.
fn glued_keyword(name: &str) -> Option<(&'static str, String)> {
    let (kw, at) = oblige_syntax::keywords::KEYWORDS
        .iter()
        .map(|k| k.zh)
        .filter(|zh| *zh != name)
        .filter_map(|zh| name.find(zh).map(|at| (zh, at)))
        .max_by_key(|(zh, at)| (zh.chars().count(), std::cmp::Reverse(*at)))?;
    let (before, after) = (&name[..at], &name[at + kw.len()..]);
    let spaced = [before, kw, after]
        .iter()
        .filter(|part| !part.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    Some((kw, spaced))
}

/// A literal as the language writes it.
pub(super) fn show_lit(l: &Literal) -> String {
    match l {
        Literal::Int(n) => n.to_string(),
        Literal::Str(s) => format!("\"{s}\""),
        Literal::Date(d) => format!("{:04}-{:02}-{:02}", d.year, d.month, d.day),
        Literal::Bool(b) => b.to_string(),
    }
}
