//! Top-level items other than rules: plan header, include, enum, class, event, window, calendar,
//! param, finding and state.

use super::literals::{date, ident, int, month_day, string};
use super::{kids, next_if, rules, Ctx, Pair, Rule};
use crate::ast::{
    AttrDecl, CalendarDecl, ClassDecl, Docs, EnumDecl, EventDecl, FindingDecl, Include, Item,
    ParamDecl, ParamValue, PlanField, PlanHeader, StateDecl, StateDef, TypeExpr, TypeKind,
    WindowDecl, WindowPart, WindowPartKind,
};
use crate::codes;
use oblige_diagnostics::Diagnostic;

/// Builds the item an `item` pair holds; `None` only if grammar and builder disagree.
pub(super) fn item(ctx: &mut Ctx, p: &Pair, docs: Docs) -> Option<Item> {
    let inner = p.clone().into_inner().next()?;
    Some(match inner.as_rule() {
        Rule::plan => Item::Plan(plan(ctx, &inner, docs)?),
        Rule::include => Item::Include(Include {
            path: string(ctx, &kids(&inner).next()?),
            span: ctx.span(&inner),
        }),
        Rule::enum_decl => Item::Enum(enum_decl(ctx, &inner, docs)?),
        Rule::class_decl => {
            let (name, attrs) = attr_item(ctx, &inner)?;
            let span = ctx.span(&inner);
            Item::Class(ClassDecl {
                docs,
                name,
                attrs,
                span,
            })
        }
        Rule::event_decl => {
            let (name, attrs) = attr_item(ctx, &inner)?;
            let span = ctx.span(&inner);
            Item::Event(EventDecl {
                docs,
                name,
                attrs,
                span,
            })
        }
        Rule::window_decl => Item::Window(window_decl(ctx, &inner, docs)?),
        Rule::calendar_decl => Item::Calendar(calendar_decl(ctx, &inner, docs)?),
        Rule::param_decl => Item::Param(param_decl(ctx, &inner, docs)?),
        Rule::finding_decl => {
            let mut it = kids(&inner);
            Item::Finding(FindingDecl {
                docs,
                name: ident(ctx, &it.next()?),
                description: next_if(&mut it, Rule::string).map(|s| string(ctx, &s)),
                span: ctx.span(&inner),
            })
        }
        Rule::state_decl => Item::State(state_decl(ctx, &inner, docs)?),
        Rule::rule_decl => Item::Rule(rules::rule(ctx, &inner, docs)?),
        _ => return None,
    })
}

fn plan(ctx: &mut Ctx, p: &Pair, docs: Docs) -> Option<PlanHeader> {
    let mut it = kids(p);
    let title = string(ctx, &it.next()?);
    let fields = it
        .map(|f| plan_field(ctx, &f))
        .collect::<Option<Vec<_>>>()?;
    Some(PlanHeader {
        docs,
        title,
        fields,
        span: ctx.span(p),
    })
}

fn plan_field(ctx: &mut Ctx, f: &Pair) -> Option<PlanField> {
    let mut it = kids(f);
    let first = it.next()?;
    Some(match f.as_rule() {
        Rule::plan_issuer => PlanField::Issuer(string(ctx, &first)),
        Rule::plan_issued => PlanField::Issued(date(ctx, &first)),
        Rule::plan_effective => {
            let from = date(ctx, &first);
            PlanField::Effective(from, date(ctx, &it.next()?))
        }
        Rule::plan_timezone => PlanField::Timezone(string(ctx, &first)),
        Rule::plan_source => PlanField::Source(string(ctx, &first)),
        _ => return None,
    })
}

fn enum_decl(ctx: &mut Ctx, p: &Pair, docs: Docs) -> Option<EnumDecl> {
    let mut it = kids(p);
    let name = ident(ctx, &it.next()?);
    let values = it.map(|v| ident(ctx, &v)).collect();
    Some(EnumDecl {
        docs,
        name,
        values,
        span: ctx.span(p),
    })
}

/// The name and attributes of a class or event declaration.
fn attr_item(ctx: &mut Ctx, p: &Pair) -> Option<(crate::ast::Ident, Vec<AttrDecl>)> {
    let mut it = kids(p);
    let name = ident(ctx, &it.next()?);
    let attrs = it.map(|a| attr(ctx, &a)).collect::<Option<Vec<_>>>()?;
    Some((name, attrs))
}

fn attr(ctx: &mut Ctx, p: &Pair) -> Option<AttrDecl> {
    let mut it = kids(p);
    let name = ident(ctx, &it.next()?);
    let ty = type_expr(ctx, &it.next()?)?;
    Some(AttrDecl {
        name,
        ty,
        span: ctx.span(p),
    })
}

fn type_expr(ctx: &mut Ctx, p: &Pair) -> Option<TypeExpr> {
    let inner = p.clone().into_inner().next()?;
    let kind = match inner.as_rule() {
        Rule::kw_text => TypeKind::Text,
        Rule::kw_bool => TypeKind::Bool,
        Rule::kw_int => TypeKind::Int,
        Rule::kw_date => TypeKind::Date,
        Rule::ref_type => TypeKind::Ref(ident(ctx, &kids(&inner).next()?)),
        Rule::ident => TypeKind::Enum(ident(ctx, &inner)),
        _ => return None,
    };
    Some(TypeExpr {
        kind,
        span: ctx.span(p),
    })
}

fn window_decl(ctx: &mut Ctx, p: &Pair, docs: Docs) -> Option<WindowDecl> {
    let mut it = kids(p);
    let name = ident(ctx, &it.next()?);
    if let Some(keyword) = period_keyword_named(&name.name) {
        ctx.diags.push(
            Diagnostic::error(
                codes::WINDOW_NAMED_LIKE_A_PERIOD,
                name.span,
                format!("a window cannot be named `{}`", name.name),
            )
            .with_label("also a calendar period")
            .with_help(format!(
                "`{keyword}` always means the calendar {}, so no rule could count over this \
                 window; pick another name, like `{}_window`",
                name.name, name.name
            )),
        );
    }
    let parts = it
        .map(|w| window_part(ctx, &w))
        .collect::<Option<Vec<_>>>()?;
    Some(WindowDecl {
        docs,
        name,
        parts,
        span: ctx.span(p),
    })
}

/// The English period keyword (`per month`) that a window named `name` would be read as.
fn period_keyword_named(name: &str) -> Option<&'static str> {
    match name {
        "month" => Some("per month"),
        "quarter" => Some("per quarter"),
        "year" => Some("per year"),
        _ => None,
    }
}

/// One `window_part` pair.
pub(super) fn window_part(ctx: &mut Ctx, p: &Pair) -> Option<WindowPart> {
    let inner = p.clone().into_inner().next()?;
    let kind = match inner.as_rule() {
        Rule::date_range => {
            let mut it = kids(&inner);
            let from = date(ctx, &it.next()?);
            WindowPartKind::Range(from, date(ctx, &it.next()?))
        }
        Rule::date => WindowPartKind::Day(date(ctx, &inner)),
        Rule::yearly_part => {
            let mut it = kids(&inner);
            let from = month_day(ctx, &it.next()?);
            WindowPartKind::Yearly(from, it.next().map(|m| month_day(ctx, &m)))
        }
        Rule::ident => WindowPartKind::Ref(ident(ctx, &inner)),
        _ => return None,
    };
    Some(WindowPart {
        kind,
        span: ctx.span(p),
    })
}

fn calendar_decl(ctx: &mut Ctx, p: &Pair, docs: Docs) -> Option<CalendarDecl> {
    let mut it = kids(p);
    let name = ident(ctx, &it.next()?);
    let mut holidays = Vec::new();
    let mut workdays = Vec::new();
    for list in it {
        let parts = kids(&list)
            .map(|w| window_part(ctx, &w))
            .collect::<Option<Vec<_>>>()?;
        match list.as_rule() {
            Rule::holidays => holidays = parts,
            Rule::workdays => workdays = parts,
            _ => return None,
        }
    }
    Some(CalendarDecl {
        docs,
        name,
        holidays,
        workdays,
        span: ctx.span(p),
    })
}

fn param_decl(ctx: &mut Ctx, p: &Pair, docs: Docs) -> Option<ParamDecl> {
    let mut it = kids(p);
    let name = ident(ctx, &it.next()?);
    let v = it.next()?;
    let value = match v.as_rule() {
        Rule::int => ParamValue::Int(int(ctx, &v)),
        Rule::duration => ParamValue::Duration(rules::duration(ctx, &v)?),
        _ => return None,
    };
    Some(ParamDecl {
        docs,
        name,
        value,
        span: ctx.span(p),
    })
}

fn state_decl(ctx: &mut Ctx, p: &Pair, docs: Docs) -> Option<StateDecl> {
    let mut it = kids(p);
    let name = ident(ctx, &it.next()?);
    let def_pair = it.next()?;
    let mut d = kids(&def_pair);
    let def = match def_pair.as_rule() {
        Rule::state_between => StateDef::Between {
            start: ident(ctx, &d.next()?),
            end: d.next().map(|e| ident(ctx, &e)),
        },
        Rule::state_valid => StateDef::Valid {
            kind: ident(ctx, &d.next()?),
            from: ident(ctx, &d.next()?),
            to: ident(ctx, &d.next()?),
        },
        _ => return None,
    };
    Some(StateDecl {
        docs,
        name,
        def,
        span: ctx.span(p),
    })
}
