//! Subject filters evaluated over many units: the subject's attributes a filter reads are
//! resolved to slots once per filter, and each unit's values are read into the slots by the
//! position the attribute had in the previous unit (units of a class nearly always have the
//! same columns), by name only when that guess fails, instead of hashing each name per unit and
//! filter.

use oblige_check::model::{CmpOp, Pred, Value, Who};
use oblige_data::Unit;

use super::{builtin, compare_holds, in_holds, truthy, Ctx, Val};

/// A predicate whose reads of the subject's attributes go to [`Slots`]; it holds exactly when
/// the predicate does for the unit the slots were read from.
#[derive(Debug)]
pub(crate) enum Resolved<'p> {
    Or(Box<Resolved<'p>>, Box<Resolved<'p>>),
    And(Box<Resolved<'p>>, Box<Resolved<'p>>),
    Not(Box<Resolved<'p>>),
    Compare(Operand<'p>, CmpOp, Operand<'p>),
    In(Operand<'p>, Vec<Operand<'p>>),
    Truthy(Operand<'p>),
    /// Reads no attribute of the subject: evaluated as it is.
    Other(&'p Pred),
}

/// A value a resolved predicate reads.
#[derive(Debug)]
pub(crate) enum Operand<'p> {
    /// The subject's attribute in this slot.
    Slot(usize),
    /// Anything else, read from the context.
    Value(&'p Value),
}

impl<'p> Resolved<'p> {
    /// `pred` with the subject's attributes it reads given slots in `slots`.
    pub(crate) fn new(pred: &'p Pred, slots: &mut Slots<'p>) -> Self {
        let boxed = |p: &'p Pred, slots: &mut Slots<'p>| Box::new(Resolved::new(p, slots));
        match pred {
            Pred::Or(a, b) => Resolved::Or(boxed(a, slots), boxed(b, slots)),
            Pred::And(a, b) => Resolved::And(boxed(a, slots), boxed(b, slots)),
            Pred::Not(a) => Resolved::Not(boxed(a, slots)),
            Pred::Compare(a, op, b) => Resolved::Compare(operand(a, slots), *op, operand(b, slots)),
            Pred::In(a, set) => Resolved::In(
                operand(a, slots),
                set.iter().map(|b| operand(b, slots)).collect(),
            ),
            Pred::Truthy(a) => Resolved::Truthy(operand(a, slots)),
            Pred::Is(..) | Pred::Under(..) | Pred::HasFinding(_) => Resolved::Other(pred),
        }
    }

    /// Whether the predicate holds in `ctx`, whose subject's attributes were read into `vals`.
    pub(crate) fn holds(&self, ctx: &Ctx<'_>, vals: &[Option<Val<'_>>]) -> bool {
        match self {
            Resolved::Or(a, b) => a.holds(ctx, vals) || b.holds(ctx, vals),
            Resolved::And(a, b) => a.holds(ctx, vals) && b.holds(ctx, vals),
            Resolved::Not(a) => !a.holds(ctx, vals),
            Resolved::Compare(a, op, b) => compare_holds(a.val(ctx, vals), *op, b.val(ctx, vals)),
            Resolved::In(a, set) => {
                in_holds(a.val(ctx, vals), set.iter().map(|b| b.val(ctx, vals)))
            }
            Resolved::Truthy(a) => truthy(a.val(ctx, vals)),
            Resolved::Other(pred) => ctx.eval(pred),
        }
    }
}

impl Operand<'_> {
    fn val<'v>(&'v self, ctx: &Ctx<'v>, vals: &[Option<Val<'v>>]) -> Option<Val<'v>> {
        match self {
            Operand::Slot(slot) => vals.get(*slot).copied().flatten(),
            Operand::Value(value) => ctx.val(value),
        }
    }
}

fn operand<'p>(value: &'p Value, slots: &mut Slots<'p>) -> Operand<'p> {
    match value {
        Value::Attr(Who::Subject, name) => Operand::Slot(slots.slot(name)),
        other => Operand::Value(other),
    }
}

/// Attribute names, each with the position it had among the attributes of the last unit read.
#[derive(Clone, Debug, Default)]
pub(crate) struct Slots<'p> {
    names: Vec<&'p str>,
    positions: Vec<usize>,
}

impl<'p> Slots<'p> {
    /// Slots for `names`, in their order.
    pub(crate) fn of(names: &[&'p str]) -> Self {
        let mut slots = Slots::default();
        for name in names {
            slots.slot(name);
        }
        slots
    }

    /// The slot of `name`, added if new.
    fn slot(&mut self, name: &'p str) -> usize {
        self.names
            .iter()
            .position(|n| *n == name)
            .unwrap_or_else(|| {
                self.names.push(name);
                self.positions.push(0);
                self.names.len() - 1
            })
    }

    /// The value of each slot's attribute in `unit`, in slot order, into `vals`.
    pub(crate) fn read<'u>(&mut self, unit: &'u Unit, vals: &mut Vec<Option<Val<'u>>>) {
        vals.clear();
        for (name, position) in self.names.iter().zip(&mut self.positions) {
            vals.push(read(unit, name, position));
        }
    }
}

/// The attribute `name` of `unit`, as [`super::unit_val`] finds it, looked for first at
/// `position`, which is updated when it is found elsewhere.
fn read<'u>(unit: &'u Unit, name: &str, position: &mut usize) -> Option<Val<'u>> {
    if let Some(value) = builtin(unit, name) {
        return value;
    }
    match unit.attrs.get_index(*position) {
        Some((key, lit)) if **key == *name => Some(Val::of(lit)),
        _ => {
            let (found, _, lit) = unit.attrs.get_full(name)?;
            *position = found;
            Some(Val::of(lit))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pred::Findings;
    use chrono::NaiveDate;
    use oblige_check::model::Lit;
    use oblige_data::Registry;

    fn attr(name: &str) -> Value {
        Value::Attr(Who::Subject, name.to_owned())
    }

    fn lit(lit: Lit) -> Value {
        Value::Lit(lit)
    }

    fn compare(a: Value, op: CmpOp, b: Value) -> Pred {
        Pred::Compare(a, op, b)
    }

    /// Predicates with the cases a resolved one could get wrong: missing values under `not`,
    /// values of another type, built-in names (which shadow a class attribute of that name),
    /// other parties' attributes, and every operator.
    fn preds() -> Vec<Pred> {
        let text = |t: &str| lit(Lit::Text(t.into()));
        let mut preds = vec![
            Pred::Not(Box::new(Pred::Truthy(attr("重点")))),
            compare(attr("人数"), CmpOp::Eq, text("50")),
            compare(attr("人数"), CmpOp::Ne, text("50")),
            compare(attr("id"), CmpOp::Eq, text("u1")),
            compare(attr("name"), CmpOp::Eq, attr("备注")),
            compare(attr("parent"), CmpOp::Ne, text("u0")),
            compare(
                Value::Attr(Who::Actor, "人数".into()),
                CmpOp::Ne,
                attr("人数"),
            ),
            Pred::In(
                attr("等级"),
                vec![text("较大"), lit(Lit::Enum("重大".into()))],
            ),
            Pred::In(attr("人数"), vec![text("7"), lit(Lit::Int(7))]),
            Pred::Or(
                Box::new(Pred::Is(Who::Subject, "县".into())),
                Box::new(Pred::And(
                    Box::new(Pred::Truthy(attr("重点"))),
                    Box::new(compare(attr("人数"), CmpOp::Gt, lit(Lit::Int(9)))),
                )),
            ),
        ];
        for op in CmpOp::ALL {
            preds.push(compare(attr("人数"), op, lit(Lit::Int(7))));
            preds.push(compare(attr("等级"), op, text("较大")));
        }
        preds
    }

    fn registry() -> Registry {
        let unit = |i: i64| {
            let unit = Unit::builder(format!("u{i}")).class(["县", "企业"][i as usize % 2]);
            let unit = match i % 3 {
                0 => unit.attr("重点", Lit::Bool(true)).attr("人数", Lit::Int(i)),
                1 => unit
                    .attr("人数", Lit::Int(i))
                    .attr("等级", Lit::Enum("较大".into())),
                _ => unit.attr("id", Lit::Text("shadowed".into())).parent("u0"),
            };
            unit.attr("备注", Lit::Text(format!("u{}", i % 4).into()))
                .build()
        };
        Registry::from_units((0..12).map(unit).collect()).unwrap()
    }

    #[test]
    fn resolved_predicates_hold_where_the_predicates_do() {
        let registry = registry();
        let preds = preds();
        let mut slots = Slots::default();
        let resolved: Vec<Resolved<'_>> =
            preds.iter().map(|p| Resolved::new(p, &mut slots)).collect();
        let (none, day) = (Findings::default(), (NaiveDate::MIN, NaiveDate::MIN));
        let mut vals = Vec::new();
        let mut held = 0;
        for unit in registry.units() {
            slots.read(unit, &mut vals);
            let ctx = Ctx::for_subject(&registry, unit, day, &none);
            for (pred, resolved) in preds.iter().zip(&resolved) {
                let holds = ctx.eval(pred);
                assert_eq!(resolved.holds(&ctx, &vals), holds, "{} {pred:?}", unit.id);
                held += usize::from(holds);
            }
        }
        assert!(held > 20, "the predicates hold for some units");
    }

    #[test]
    fn values_of_different_types_are_neither_equal_nor_unequal() {
        let registry = registry();
        let (none, day) = (Findings::default(), (NaiveDate::MIN, NaiveDate::MIN));
        let fifty = || lit(Lit::Text("50".into()));
        for unit in registry.units() {
            let ctx = Ctx::for_subject(&registry, unit, day, &none);
            assert!(!ctx.eval(&compare(attr("人数"), CmpOp::Eq, fifty())));
            assert!(!ctx.eval(&compare(attr("人数"), CmpOp::Ne, fifty())));
            let seven = Pred::In(attr("人数"), vec![lit(Lit::Text("7".into()))]);
            assert!(!ctx.eval(&seven));
        }
        let u7 = registry.get("u7").unwrap();
        let ctx = Ctx::for_subject(&registry, u7, day, &none);
        assert!(ctx.eval(&compare(attr("人数"), CmpOp::Ne, lit(Lit::Int(8)))));
        assert!(ctx.eval(&compare(
            attr("等级"),
            CmpOp::Eq,
            lit(Lit::Text("较大".into()))
        )));
    }
}
