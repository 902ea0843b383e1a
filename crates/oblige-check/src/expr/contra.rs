//! Filters that can never hold: constraints on one attribute, joined by `and`, that exclude each
//! other (`x = a and x = b`, `x > 5 and x < 3`).

use crate::codes;
use crate::ctx::Ctx;
use crate::model::{Lit, Pred, Value, Who};
use chrono::Duration;
use oblige_diagnostics::Span;
use oblige_syntax::ast::{CmpOp, Expr, ExprKind};
use std::collections::BTreeSet;

/// What the conjuncts so far allow for one attribute.
#[derive(Default)]
struct Allowed {
    /// Only these values (from `=` and `in`).
    only: Option<BTreeSet<Lit>>,
    /// Not these (from `!=`).
    not: BTreeSet<Lit>,
    /// Inclusive lower and upper bounds.
    lo: Option<Lit>,
    hi: Option<Lit>,
    /// The first constraint seen, to point at.
    first: Option<Span>,
}

/// Reports the first conjunct of `e` that contradicts the ones before it on the same attribute.
pub(super) fn check(ctx: &mut Ctx, e: &Expr, pred: &Pred) {
    let mut atoms = Vec::new();
    conjuncts(e, pred, &mut atoms);
    let mut by_attr: Vec<((Who, String), Allowed)> = Vec::new();
    for (p, span) in atoms {
        let Some((key, c)) = constraint(p) else {
            continue;
        };
        let idx = match by_attr.iter().position(|(k, _)| *k == key) {
            Some(i) => i,
            None => {
                by_attr.push((key.clone(), Allowed::default()));
                by_attr.len() - 1
            }
        };
        let Some((_, allowed)) = by_attr.get_mut(idx) else {
            continue;
        };
        let first = *allowed.first.get_or_insert(span);
        allowed.add(c);
        if allowed.is_empty() {
            ctx.error(
                codes::CONTRADICTORY_FILTER,
                span,
                format!("the constraints on `{}` contradict each other", key.1),
            )
            .label("cannot hold together with the constraints before it")
            .related(first, format!("first constraint on `{}`", key.1))
            .help("nothing can ever match this filter; fix or remove one of the constraints");
            return;
        }
    }
}

/// Pairs each conjunct of the written expression with its lowered form (they have the same shape).
fn conjuncts<'p>(e: &Expr, pred: &'p Pred, out: &mut Vec<(&'p Pred, Span)>) {
    match (&e.kind, pred) {
        (ExprKind::And(a, b), Pred::And(pa, pb)) => {
            conjuncts(a, pa, out);
            conjuncts(b, pb, out);
        }
        _ => out.push((pred, e.span)),
    }
}

enum Constraint {
    Cmp(CmpOp, Lit),
    In(BTreeSet<Lit>),
}

fn constraint(p: &Pred) -> Option<((Who, String), Constraint)> {
    match p {
        Pred::Compare(Value::Attr(w, a), op, Value::Lit(l)) => {
            Some(((*w, a.clone()), Constraint::Cmp(*op, l.clone())))
        }
        Pred::Compare(Value::Lit(l), op, Value::Attr(w, a)) => {
            Some(((*w, a.clone()), Constraint::Cmp(flip(*op), l.clone())))
        }
        Pred::In(Value::Attr(w, a), set) => {
            let lits: Option<BTreeSet<Lit>> = set
                .iter()
                .map(|v| match v {
                    Value::Lit(l) => Some(l.clone()),
                    _ => None,
                })
                .collect();
            Some(((*w, a.clone()), Constraint::In(lits?)))
        }
        // A bare bool reads as `= true`, and its negation as `= false`.
        Pred::Truthy(Value::Attr(w, a)) => {
            Some(((*w, a.clone()), Constraint::Cmp(CmpOp::Eq, Lit::Bool(true))))
        }
        Pred::Not(inner) => match inner.as_ref() {
            Pred::Truthy(Value::Attr(w, a)) => Some((
                (*w, a.clone()),
                Constraint::Cmp(CmpOp::Eq, Lit::Bool(false)),
            )),
            Pred::Compare(..) => {
                let (key, c) = constraint(inner)?;
                match c {
                    Constraint::Cmp(op, l) => Some((key, Constraint::Cmp(negate(op), l))),
                    Constraint::In(_) => None,
                }
            }
            _ => None,
        },
        _ => None,
    }
}

fn negate(op: CmpOp) -> CmpOp {
    match op {
        CmpOp::Eq => CmpOp::Ne,
        CmpOp::Ne => CmpOp::Eq,
        CmpOp::Lt => CmpOp::Ge,
        CmpOp::Le => CmpOp::Gt,
        CmpOp::Gt => CmpOp::Le,
        CmpOp::Ge => CmpOp::Lt,
    }
}

fn flip(op: CmpOp) -> CmpOp {
    match op {
        CmpOp::Lt => CmpOp::Gt,
        CmpOp::Le => CmpOp::Ge,
        CmpOp::Gt => CmpOp::Lt,
        CmpOp::Ge => CmpOp::Le,
        other => other,
    }
}

impl Allowed {
    fn add(&mut self, c: Constraint) {
        match c {
            Constraint::In(set) => self.narrow(set),
            Constraint::Cmp(CmpOp::Eq, l) => self.narrow(BTreeSet::from([l])),
            Constraint::Cmp(CmpOp::Ne, l) => {
                self.not.insert(l);
            }
            Constraint::Cmp(CmpOp::Ge, l) => self.lower(Some(l)),
            Constraint::Cmp(CmpOp::Gt, l) => self.lower(step(&l, 1)),
            Constraint::Cmp(CmpOp::Le, l) => self.upper(Some(l)),
            Constraint::Cmp(CmpOp::Lt, l) => self.upper(step(&l, -1)),
        }
    }

    fn narrow(&mut self, set: BTreeSet<Lit>) {
        self.only = Some(match self.only.take() {
            Some(only) => only.intersection(&set).cloned().collect(),
            None => set,
        });
    }

    /// A `None` bound (a strict bound at the end of the range) is left out: missing a
    /// contradiction is harmless, inventing one is not.
    fn lower(&mut self, l: Option<Lit>) {
        let Some(l) = l else { return };
        self.lo = Some(match self.lo.take() {
            Some(old) if same_kind(&old, &l) => old.max(l),
            _ => l,
        });
    }

    fn upper(&mut self, l: Option<Lit>) {
        let Some(l) = l else { return };
        self.hi = Some(match self.hi.take() {
            Some(old) if same_kind(&old, &l) => old.min(l),
            _ => l,
        });
    }

    fn is_empty(&self) -> bool {
        let within = |v: &Lit| {
            self.lo
                .as_ref()
                .is_none_or(|lo| !same_kind(lo, v) || lo <= v)
                && self
                    .hi
                    .as_ref()
                    .is_none_or(|hi| !same_kind(hi, v) || v <= hi)
                && !self.not.contains(v)
        };
        if let Some(only) = &self.only {
            return !only.iter().any(within);
        }
        match (&self.lo, &self.hi) {
            (Some(lo), Some(hi)) if same_kind(lo, hi) => lo > hi,
            _ => false,
        }
    }
}

fn same_kind(a: &Lit, b: &Lit) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

/// The neighbouring value of an integer or a date, making a strict bound inclusive.
fn step(l: &Lit, by: i64) -> Option<Lit> {
    match l {
        Lit::Int(n) => n.checked_add(by).map(Lit::Int),
        Lit::Date(d) => d.checked_add_signed(Duration::days(by)).map(Lit::Date),
        other => Some(other.clone()),
    }
}
