//! Predicates: names resolved, values typed, contradictions found.

mod contra;
mod operand;
mod scope;

pub(crate) use scope::Scope;

use crate::codes;
use crate::ctx::{Ctx, Ns};
use crate::model::{Pred, Who};
use crate::symbols::Symbols;
use crate::ty::Ty;
use oblige_syntax::ast::{CmpOp, Expr, ExprKind, Operand, OperandKind, Qualifier};
use operand::Typed;

/// Lowers a predicate written at `scope`; `None` after reporting an error in it.
pub(crate) fn lower(
    ctx: &mut Ctx,
    syms: &Symbols<'_>,
    scope: &Scope<'_>,
    e: &Expr,
) -> Option<Pred> {
    let pred = Lowerer { ctx, syms, scope }.expr(e)?;
    contra::check(ctx, e, &pred);
    Some(pred)
}

struct Lowerer<'c, 's, 'a> {
    ctx: &'c mut Ctx,
    syms: &'s Symbols<'a>,
    scope: &'s Scope<'s>,
}

impl Lowerer<'_, '_, '_> {
    fn expr(&mut self, e: &Expr) -> Option<Pred> {
        match &e.kind {
            ExprKind::Or(a, b) => {
                let (a, b) = (self.expr(a), self.expr(b));
                Some(Pred::Or(Box::new(a?), Box::new(b?)))
            }
            ExprKind::And(a, b) => {
                let (a, b) = (self.expr(a), self.expr(b));
                Some(Pred::And(Box::new(a?), Box::new(b?)))
            }
            ExprKind::Not(a) => Some(Pred::Not(Box::new(self.expr(a)?))),
            ExprKind::Compare { lhs, op, rhs } => self.compare(lhs, *op, rhs),
            ExprKind::In { lhs, set } => self.member(lhs, set),
            ExprKind::Is { who, class } => {
                let who = self.qualifier(*who, e.span);
                let known = self.syms.classes.contains_key(&class.name);
                if known {
                    self.ctx.mark_used(Ns::Class, &class.name);
                } else {
                    self.ctx
                        .error(
                            codes::UNKNOWN_CLASS,
                            class.span,
                            format!("unknown class `{}`", class.name),
                        )
                        .label("no class has this name")
                        .suggest(&class.name, self.syms.classes.keys().map(String::as_str));
                }
                known.then_some(Pred::Is(who?, class.name.clone()))
            }
            ExprKind::Under { who, ancestor } => {
                let (a, b) = (
                    self.qualifier(*who, e.span),
                    self.qualifier(*ancestor, e.span),
                );
                Some(Pred::Under(a?, b?))
            }
            ExprKind::HasFinding(f) => {
                if !self.syms.findings.contains_key(&f.name) {
                    self.ctx
                        .error(
                            codes::UNKNOWN_FINDING,
                            f.span,
                            format!("unknown finding `{}`", f.name),
                        )
                        .label("no finding has this name")
                        .suggest(&f.name, self.syms.findings.keys().map(String::as_str));
                    return None;
                }
                self.ctx.mark_used(Ns::Finding, &f.name);
                self.ctx.tested_findings.push((f.name.clone(), f.span));
                Some(Pred::HasFinding(f.name.clone()))
            }
            ExprKind::Truthy(op) => {
                let t = self.operand(op, None)?;
                if t.ty.compatible(&Ty::Bool) {
                    return Some(Pred::Truthy(t.value));
                }
                let text = self.text(op);
                self.ctx
                    .error(
                        codes::NOT_A_CONDITION,
                        op.span,
                        format!("`{text}` is {}, not a condition", t.ty.describe()),
                    )
                    .label("only a `bool` can stand alone")
                    .help("compare it with a value, such as `x = 1` or `x != \"\"`");
                None
            }
        }
    }

    fn compare(&mut self, lhs: &Operand, op: CmpOp, rhs: &Operand) -> Option<Pred> {
        // An enum value may come first (`重大 = 级别`): then the other side gives its enum.
        let (l, r) = if self.is_loose_name(lhs) && !self.is_loose_name(rhs) {
            let r = self.operand(rhs, None);
            (self.operand(lhs, r.as_ref().map(|t| &t.ty)), r)
        } else {
            let l = self.operand(lhs, None);
            let r = self.operand_after(l.as_ref(), rhs);
            (l, r)
        };
        let (l, r) = (l?, r?);
        if !l.ty.compatible(&r.ty) {
            self.mismatch(lhs, &l.ty, rhs, &r.ty, false);
            return None;
        }
        let ordering = matches!(op, CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge);
        if ordering && !(l.ty.is_ordered() && r.ty.is_ordered()) {
            let (side, ty) = if l.ty.is_ordered() {
                (rhs, &r.ty)
            } else {
                (lhs, &l.ty)
            };
            let label = format!("`{}` is {}", self.text(side), ty.describe());
            self.ctx
                .error(
                    codes::UNORDERED_COMPARISON,
                    lhs.span.to(rhs.span),
                    format!("values of {} have no order", ty.describe()),
                )
                .label(label)
                .help("compare with `=` or `!=`, or list the values with `in [...]`");
            return None;
        }
        Some(Pred::Compare(l.value, op, r.value))
    }

    fn member(&mut self, lhs: &Operand, set: &[Operand]) -> Option<Pred> {
        let l = self.operand(lhs, None);
        let mut members = Some(Vec::new());
        for m in set {
            let t = self.operand_after(l.as_ref(), m);
            match (t, &l) {
                (Some(t), Some(l)) if !l.ty.compatible(&t.ty) => {
                    self.mismatch(lhs, &l.ty, m, &t.ty, true);
                    members = None;
                }
                (Some(t), _) => {
                    if let Some(ms) = members.as_mut() {
                        ms.push(t.value);
                    }
                }
                (None, _) => members = None,
            }
        }
        Some(Pred::In(l?.value, members?))
    }

    fn mismatch(&mut self, lhs: &Operand, lt: &Ty, rhs: &Operand, rt: &Ty, member: bool) {
        let message = if member {
            format!(
                "a value of {} cannot be in a set holding {}",
                lt.describe(),
                rt.describe()
            )
        } else {
            format!("cannot compare {} with {}", lt.describe(), rt.describe())
        };
        self.ctx
            .error(codes::TYPE_MISMATCH, rhs.span, message)
            .label(format!("this is {}", rt.describe()))
            .related(lhs.span, format!("this is {}", lt.describe()))
            .help("both sides must have the same type");
    }

    /// A bare name that is neither an attribute here nor a parameter: perhaps an enum value.
    fn is_loose_name(&self, op: &Operand) -> bool {
        let OperandKind::Name(n) = &op.kind else {
            return false;
        };
        let attr = self
            .scope
            .default
            .is_some_and(|who| self.scope.attr(self.syms, who, &n.name).is_ok());
        !attr && !self.syms.params.contains_key(&n.name)
    }

    fn qualifier(&mut self, q: Qualifier, span: oblige_diagnostics::Span) -> Option<Who> {
        let who = who_of(q);
        if self.scope.allows(who) {
            return Some(who);
        }
        self.not_available(&format!("`{}`", scope::who_word(who)), span);
        None
    }

    fn not_available(&mut self, what: &str, span: oblige_diagnostics::Span) {
        let allowed: Vec<String> = self
            .scope
            .allowed
            .iter()
            .filter(|w| **w != Who::Event)
            .map(|w| format!("`{}`", scope::who_word(*w)))
            .collect();
        let help = if allowed.is_empty() {
            "nothing can be qualified here".to_owned()
        } else {
            format!("in {} you can use {}", self.scope.place, allowed.join(", "))
        };
        self.ctx
            .error(
                codes::QUALIFIER_NOT_AVAILABLE,
                span,
                format!("{what} is not available in {}", self.scope.place),
            )
            .label("not available here")
            .help(help);
    }

    fn text(&self, op: &Operand) -> String {
        match &op.kind {
            OperandKind::Name(n) => n.name.clone(),
            OperandKind::Attr(q, n) => format!("{}.{}", scope::who_word(who_of(*q)), n.name),
            OperandKind::PeriodStart => "period.start".to_owned(),
            OperandKind::PeriodEnd => "period.end".to_owned(),
            OperandKind::Lit(l) => operand::show_lit(l),
        }
    }

    fn operand(&mut self, op: &Operand, hint: Option<&Ty>) -> Option<Typed> {
        operand::resolve(self, op, hint)
    }

    /// The right side of a comparison, typed by the left. A bare name beside a left side that
    /// failed is not reported: it is most likely a value of the enum the left side was meant to
    /// have, and the left side's error says what is wrong.
    fn operand_after(&mut self, lhs: Option<&Typed>, op: &Operand) -> Option<Typed> {
        match lhs {
            None if self.is_loose_name(op) => None,
            _ => self.operand(op, lhs.map(|t| &t.ty)),
        }
    }
}

/// The model's name for a written qualifier.
pub(crate) fn who_of(q: Qualifier) -> Who {
    match q {
        Qualifier::Subject => Who::Subject,
        Qualifier::Actor => Who::Actor,
        Qualifier::Target => Who::Target,
        Qualifier::Trigger => Who::Trigger,
    }
}
