//! Predicates, operands, literals and the small phrases (durations, periods, window parts) that
//! several items share.

use super::words::{Kw, Toks};
use oblige_syntax::ast::{
    ActorSpec, Amount, CmpOp, DateLit, DurationLit, DurationUnit, EventPattern, Expr, ExprKind,
    Literal, MonthDayLit, Operand, OperandKind, PeriodKind, PeriodSpec, Qualifier, WindowPart,
    WindowPartKind,
};

/// Binding strength, loosest first; an operand of a tighter level never needs parentheses.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    Or,
    And,
    Not,
    Atom,
}

fn level(expr: &Expr) -> Level {
    match expr.kind {
        ExprKind::Or(..) => Level::Or,
        ExprKind::And(..) => Level::And,
        ExprKind::Not(..) => Level::Not,
        _ => Level::Atom,
    }
}

/// A predicate with the fewest parentheses that keep its tree.
pub(crate) fn expr(t: &mut Toks, e: &Expr) {
    expr_at(t, e, Level::Or);
}

/// Prints `e` where the grammar expects level `min`; `and`/`or` chains parse left-associated, so
/// a right operand of the same operator is bracketed by asking for the next level up.
fn expr_at(t: &mut Toks, e: &Expr, min: Level) {
    if level(e) < min {
        t.open("(");
        expr_at(t, e, Level::Or);
        t.close(")");
        return;
    }
    match &e.kind {
        ExprKind::Or(lhs, rhs) => binary(t, lhs, Kw::Or, rhs, Level::Or, Level::And),
        ExprKind::And(lhs, rhs) => binary(t, lhs, Kw::And, rhs, Level::And, Level::Not),
        ExprKind::Not(inner) => {
            t.kw(Kw::Not);
            expr_at(t, inner, Level::Not);
        }
        ExprKind::Compare { lhs, op, rhs } => {
            operand(t, lhs);
            t.word(cmp_op(*op));
            operand(t, rhs);
        }
        ExprKind::In { lhs, set } => {
            operand(t, lhs);
            t.kw(Kw::In).open("[");
            for (i, item) in set.iter().enumerate() {
                if i > 0 {
                    t.close(",");
                }
                operand(t, item);
            }
            t.close("]");
        }
        ExprKind::Is { who, class } => {
            qualifier(t, *who);
            t.kw(Kw::Is).word(&class.name);
        }
        ExprKind::Under { who, ancestor } => {
            qualifier(t, *who);
            t.kw(Kw::Under);
            qualifier(t, *ancestor);
        }
        ExprKind::HasFinding(name) => {
            t.kw(Kw::HasFinding).word(&name.name);
        }
        ExprKind::Truthy(value) => operand(t, value),
    }
}

fn binary(t: &mut Toks, lhs: &Expr, op: Kw, rhs: &Expr, left: Level, right: Level) {
    expr_at(t, lhs, left);
    t.kw(op);
    expr_at(t, rhs, right);
}

fn cmp_op(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Eq => "=",
        CmpOp::Ne => "!=",
        CmpOp::Lt => "<",
        CmpOp::Le => "<=",
        CmpOp::Gt => ">",
        CmpOp::Ge => ">=",
    }
}

/// `subject`, `actor`, `target`, `trigger`.
pub(crate) fn qualifier(t: &mut Toks, q: Qualifier) {
    t.kw(match q {
        Qualifier::Subject => Kw::Subject,
        Qualifier::Actor => Kw::Actor,
        Qualifier::Target => Kw::Target,
        Qualifier::Trigger => Kw::Trigger,
    });
}

fn operand(t: &mut Toks, op: &Operand) {
    match &op.kind {
        OperandKind::Name(name) => {
            t.word(&name.name);
        }
        OperandKind::Attr(q, attr) => {
            qualifier(t, *q);
            t.dot().word(&attr.name);
        }
        OperandKind::PeriodStart => {
            t.kw(Kw::PeriodStart);
        }
        OperandKind::PeriodEnd => {
            t.kw(Kw::PeriodEnd);
        }
        OperandKind::Lit(lit) => literal(t, lit),
    }
}

fn literal(t: &mut Toks, lit: &Literal) {
    match lit {
        Literal::Int(n) => {
            t.word(&n.to_string());
        }
        Literal::Str(s) => string(t, s),
        Literal::Date(d) => date(t, d),
        Literal::Bool(b) => {
            t.kw(if *b { Kw::True } else { Kw::False });
        }
    }
}

/// A string literal in ASCII quotes, with the escapes the lexer reads back.
pub(crate) fn string(t: &mut Toks, value: &str) {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            _ => out.push(c),
        }
    }
    out.push('"');
    t.word(&out);
}

/// `YYYY-MM-DD` in ASCII digits.
pub(crate) fn date(t: &mut Toks, d: &DateLit) {
    t.word(&format!("{:04}-{:02}-{:02}", d.year, d.month, d.day));
}

fn month_day(t: &mut Toks, d: &MonthDayLit) {
    t.word(&format!("{:02}-{:02}", d.month, d.day));
}

/// A count or duration amount: a number or a parameter name.
pub(crate) fn amount(t: &mut Toks, a: &Amount) {
    match a {
        Amount::Int(n) => t.word(&n.value.to_string()),
        Amount::Param(name) => t.word(&name.name),
    };
}

/// `3 working days`.
pub(crate) fn duration(t: &mut Toks, d: &DurationLit) {
    amount(t, &d.amount);
    t.kw(match d.unit {
        DurationUnit::Minutes => Kw::Minutes,
        DurationUnit::Hours => Kw::Hours,
        DurationUnit::Days => Kw::Days,
        DurationUnit::WorkingDays => Kw::WorkingDays,
    });
}

/// `per month` or `per window`.
pub(crate) fn period(t: &mut Toks, p: &PeriodSpec) {
    match &p.kind {
        PeriodKind::Month => t.kw(Kw::PerMonth),
        PeriodKind::Quarter => t.kw(Kw::PerQuarter),
        PeriodKind::HalfYear => t.kw(Kw::PerHalfYear),
        PeriodKind::Year => t.kw(Kw::PerYear),
        PeriodKind::Window(name) => t.kw(Kw::Per).word(&name.name),
    };
}

/// `over month` … — the grammar has no `over window`, so a window (which the parser never
/// produces here) is written as a period to keep its name visible.
pub(crate) fn over(t: &mut Toks, p: &PeriodSpec) {
    match &p.kind {
        PeriodKind::Month => t.kw(Kw::OverMonth),
        PeriodKind::Quarter => t.kw(Kw::OverQuarter),
        PeriodKind::HalfYear => t.kw(Kw::OverHalfYear),
        PeriodKind::Year => t.kw(Kw::OverYear),
        PeriodKind::Window(name) => t.kw(Kw::Per).word(&name.name),
    };
}

/// One part of a window, calendar or exemption time.
pub(crate) fn window_part(t: &mut Toks, part: &WindowPart) {
    match &part.kind {
        WindowPartKind::Range(from, to) => {
            date(t, from);
            t.word("..");
            date(t, to);
        }
        WindowPartKind::Day(day) => date(t, day),
        WindowPartKind::Yearly(from, to) => {
            t.kw(Kw::Yearly);
            month_day(t, from);
            if let Some(to) = to {
                t.word("..");
                month_day(t, to);
            }
        }
        WindowPartKind::Ref(name) => {
            t.word(&name.name);
        }
    }
}

/// Parts separated by commas.
pub(crate) fn window_parts(t: &mut Toks, parts: &[WindowPart]) {
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            t.close(",");
        }
        window_part(t, part);
    }
}

/// `kind [where P] [to subject] [by …]`.
pub(crate) fn event_pattern(t: &mut Toks, p: &EventPattern) {
    t.word(&p.kind.name);
    if let Some(filter) = &p.filter {
        t.kw(Kw::Where);
        expr(t, filter);
    }
    if p.to_subject {
        t.kw(Kw::To).kw(Kw::Subject);
    }
    if let Some(by) = &p.by {
        t.kw(Kw::By);
        match by {
            ActorSpec::Subject => t.kw(Kw::Subject),
            ActorSpec::Anyone => t.kw(Kw::Anyone),
            ActorSpec::Related(filter) => {
                t.kw(Kw::Actor).kw(Kw::Where);
                expr(t, filter);
                t
            }
        };
    }
}
