//! Predicates: `or`, `and`, `not`, and the atoms (comparisons, sets, class and hierarchy tests,
//! finding tests, bare operands).

use super::literals::{date, ident, int, string};
use super::{kids, Ctx, Pair, Rule};
use crate::ast::{CmpOp, Expr, ExprKind, Literal, Operand, OperandKind, Qualifier};

/// An `expr` pair (`a or b …`).
pub(super) fn expr(ctx: &mut Ctx, p: &Pair) -> Option<Expr> {
    fold(ctx, p, Rule::and_expr, ExprKind::Or)
}

/// Folds `first (op next)*` to the left with `make`; `part` is the rule of the operands.
fn fold(
    ctx: &mut Ctx,
    p: &Pair,
    part: Rule,
    make: fn(Box<Expr>, Box<Expr>) -> ExprKind,
) -> Option<Expr> {
    let mut acc: Option<Expr> = None;
    for k in kids(p) {
        let next = if part == Rule::and_expr {
            fold(ctx, &k, Rule::unary, ExprKind::And)?
        } else {
            unary(ctx, &k)?
        };
        acc = Some(match acc {
            None => next,
            Some(lhs) => {
                let span = lhs.span.to(next.span);
                Expr {
                    kind: make(Box::new(lhs), Box::new(next)),
                    span,
                }
            }
        });
    }
    acc
}

fn unary(ctx: &mut Ctx, p: &Pair) -> Option<Expr> {
    let mut nots = Vec::new();
    let mut atom_pair = None;
    for k in p.clone().into_inner() {
        match k.as_rule() {
            Rule::kw_not => nots.push(ctx.span(&k)),
            _ => atom_pair = Some(k),
        }
    }
    let mut e = atom(ctx, &atom_pair?)?;
    for not in nots.into_iter().rev() {
        let span = not.to(e.span);
        e = Expr {
            kind: ExprKind::Not(Box::new(e)),
            span,
        };
    }
    Some(e)
}

fn atom(ctx: &mut Ctx, p: &Pair) -> Option<Expr> {
    let inner = p.clone().into_inner().next()?;
    let mut it = kids(&inner);
    let kind = match inner.as_rule() {
        Rule::paren_expr => return expr(ctx, &it.next()?),
        Rule::has_finding => ExprKind::HasFinding(ident(ctx, &it.next()?)),
        Rule::is_test => ExprKind::Is {
            who: qualifier(&it.next()?)?,
            class: ident(ctx, &it.next()?),
        },
        Rule::under_test => ExprKind::Under {
            who: qualifier(&it.next()?)?,
            ancestor: qualifier(&it.next()?)?,
        },
        Rule::compare => compare(ctx, &mut it)?,
        _ => return None,
    };
    Some(Expr {
        kind,
        span: ctx.span(&inner),
    })
}

fn compare<'i>(ctx: &mut Ctx, it: &mut impl Iterator<Item = Pair<'i>>) -> Option<ExprKind> {
    let lhs = operand(ctx, &it.next()?)?;
    let Some(next) = it.next() else {
        return Some(ExprKind::Truthy(lhs));
    };
    if next.as_rule() == Rule::in_set {
        let set = kids(&next)
            .map(|o| operand(ctx, &o))
            .collect::<Option<Vec<_>>>()?;
        return Some(ExprKind::In { lhs, set });
    }
    let op = match next.into_inner().next()?.as_rule() {
        Rule::eq => CmpOp::Eq,
        Rule::ne => CmpOp::Ne,
        Rule::lt => CmpOp::Lt,
        Rule::le => CmpOp::Le,
        Rule::gt => CmpOp::Gt,
        Rule::ge => CmpOp::Ge,
        _ => return None,
    };
    let rhs = operand(ctx, &it.next()?)?;
    Some(ExprKind::Compare { lhs, op, rhs })
}

fn qualifier(p: &Pair) -> Option<Qualifier> {
    Some(match p.clone().into_inner().next()?.as_rule() {
        Rule::kw_subject => Qualifier::Subject,
        Rule::kw_actor => Qualifier::Actor,
        Rule::kw_target => Qualifier::Target,
        Rule::kw_trigger => Qualifier::Trigger,
        _ => return None,
    })
}

fn operand(ctx: &mut Ctx, p: &Pair) -> Option<Operand> {
    let inner = p.clone().into_inner().next()?;
    let kind = match inner.as_rule() {
        Rule::attr_ref => {
            let mut it = kids(&inner);
            let q = qualifier(&it.next()?)?;
            OperandKind::Attr(q, ident(ctx, &it.next()?))
        }
        Rule::kw_period_start => OperandKind::PeriodStart,
        Rule::kw_period_end => OperandKind::PeriodEnd,
        Rule::kw_true => OperandKind::Lit(Literal::Bool(true)),
        Rule::kw_false => OperandKind::Lit(Literal::Bool(false)),
        Rule::date => OperandKind::Lit(Literal::Date(date(ctx, &inner))),
        Rule::int => OperandKind::Lit(Literal::Int(int(ctx, &inner).value)),
        Rule::string => OperandKind::Lit(Literal::Str(string(ctx, &inner).value)),
        Rule::ident => OperandKind::Name(ident(ctx, &inner)),
        _ => return None,
    };
    Some(Operand {
        kind,
        span: ctx.span(p),
    })
}
