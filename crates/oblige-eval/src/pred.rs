//! Predicate evaluation over units, events, triggers, the evaluated period and known findings.
//!
//! A comparison with a missing value (an attribute the unit or event does not have, a `trigger`
//! outside a response) is false, whatever the operator: unknown never satisfies a filter.

use std::cmp::Ordering;
use std::collections::HashMap;

use chrono::NaiveDate;
use indexmap::IndexMap;
use oblige_check::model::{CmpOp, Lit, Pred, Value, Who};
use oblige_data::{Registry, Unit};

mod resolved;

pub(crate) use resolved::{Resolved, Slots};

/// The fields of an event a predicate can read, borrowed from an event or a compact record.
#[derive(Clone, Copy, Debug)]
pub struct EventView<'a> {
    /// Id.
    pub id: &'a str,
    /// Local date of its time.
    pub date: NaiveDate,
    /// Kind.
    pub kind: &'a str,
    /// Actor id.
    pub actor: &'a str,
    /// Target id.
    pub target: Option<&'a str>,
    /// Attributes.
    pub attrs: EventAttrs<'a>,
}

/// An event's attributes: all of a read event's, or those a record kept.
#[derive(Clone, Copy, Debug)]
pub enum EventAttrs<'a> {
    /// A read event's.
    All(&'a IndexMap<String, Lit>),
    /// A record's: the ones its rule reads.
    Kept(&'a [(Box<str>, Lit)]),
}

impl<'a> EventAttrs<'a> {
    /// The value of the attribute `name`.
    pub fn get(self, name: &str) -> Option<&'a Lit> {
        match self {
            EventAttrs::All(map) => map.get(name),
            EventAttrs::Kept(kept) => kept.iter().find(|(n, _)| &**n == name).map(|(_, v)| v),
        }
    }
}

/// Findings given so far: by (finding, subject id), the inclusive day ranges they cover.
#[derive(Clone, Debug, Default)]
pub struct Findings {
    given: HashMap<(String, String), Vec<(NaiveDate, NaiveDate)>>,
}

impl Findings {
    /// Records that `subject` has `finding` over `[first, last]`.
    pub fn give(&mut self, finding: &str, subject: &str, first: NaiveDate, last: NaiveDate) {
        self.given
            .entry((finding.to_string(), subject.to_string()))
            .or_default()
            .push((first, last));
    }

    /// Whether `subject` has `finding` in a period overlapping `[first, last]`.
    pub fn has(&self, finding: &str, subject: &str, first: NaiveDate, last: NaiveDate) -> bool {
        self.given
            .get(&(finding.to_string(), subject.to_string()))
            .is_some_and(|ranges| ranges.iter().any(|&(a, b)| a <= last && first <= b))
    }
}

/// What a predicate is evaluated against.
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    /// The registry (for `under`).
    pub registry: &'a Registry,
    /// The rule's subject.
    pub subject: Option<&'a Unit>,
    /// The event's actor.
    pub actor: Option<&'a Unit>,
    /// The event's target.
    pub target: Option<&'a Unit>,
    /// The event being matched.
    pub event: Option<EventView<'a>>,
    /// The trigger of a response.
    pub trigger: Option<EventView<'a>>,
    /// The evaluated period, inclusive.
    pub period: Option<(NaiveDate, NaiveDate)>,
    /// Findings known so far; `has finding` is false without them.
    pub findings: Option<&'a Findings>,
}

impl<'a> Ctx<'a> {
    /// A context with only the registry.
    pub fn new(registry: &'a Registry) -> Self {
        Ctx {
            registry,
            subject: None,
            actor: None,
            target: None,
            event: None,
            trigger: None,
            period: None,
            findings: None,
        }
    }

    /// A context for the subject filter and exemptions of a rule: the subject `unit` over
    /// `period`, with the findings known so far.
    pub fn for_subject(
        registry: &'a Registry,
        unit: &'a Unit,
        period: (NaiveDate, NaiveDate),
        findings: &'a Findings,
    ) -> Self {
        Ctx {
            subject: Some(unit),
            period: Some(period),
            findings: Some(findings),
            ..Ctx::new(registry)
        }
    }

    /// Whether `pred` holds; no predicate always holds.
    pub fn holds(&self, pred: Option<&Pred>) -> bool {
        pred.is_none_or(|p| self.eval(p))
    }

    /// Whether `pred` holds.
    pub fn eval(&self, pred: &Pred) -> bool {
        match pred {
            Pred::Or(a, b) => self.eval(a) || self.eval(b),
            Pred::And(a, b) => self.eval(a) && self.eval(b),
            Pred::Not(a) => !self.eval(a),
            Pred::Compare(a, op, b) => compare_holds(self.val(a), *op, self.val(b)),
            Pred::In(a, set) => in_holds(self.val(a), set.iter().map(|b| self.val(b))),
            Pred::Is(who, class) => self.unit(*who).is_some_and(|u| u.classes.contains(class)),
            Pred::Under(who, ancestor) => match (self.unit_id(*who), self.unit_id(*ancestor)) {
                (Some(u), Some(a)) => self.registry.is_under(u, a),
                _ => false,
            },
            Pred::HasFinding(finding) => match (self.findings, self.subject, self.period) {
                (Some(f), Some(s), Some((first, last))) => f.has(finding, &s.id, first, last),
                _ => false,
            },
            Pred::Truthy(v) => truthy(self.val(v)),
        }
    }

    fn unit(&self, who: Who) -> Option<&'a Unit> {
        match who {
            Who::Subject => self.subject,
            Who::Actor => self.actor,
            Who::Target => self.target,
            Who::Trigger | Who::Event => None,
        }
    }

    /// The id of a unit, or of an event's actor when `who` is an event (`trigger under x`).
    fn unit_id(&self, who: Who) -> Option<&'a str> {
        match who {
            Who::Subject | Who::Actor | Who::Target => self.unit(who).map(|u| u.id.as_str()),
            Who::Trigger => self.trigger.map(|t| t.actor),
            Who::Event => self.event.map(|e| e.actor),
        }
    }

    /// The value of `value`, if known, as a literal (text and enum values both as text).
    pub fn value(&self, value: &Value) -> Option<Lit> {
        self.val(value).map(Val::to_lit)
    }

    /// The value of `value`, if known, borrowed from the unit, event or predicate.
    fn val<'s>(&self, value: &'s Value) -> Option<Val<'s>>
    where
        'a: 's,
    {
        match value {
            Value::Lit(lit) => Some(Val::of(lit)),
            Value::PeriodStart => self.period.map(|(first, _)| Val::Date(first)),
            Value::PeriodEnd => self.period.map(|(_, last)| Val::Date(last)),
            Value::Attr(who, name) => match who {
                Who::Subject | Who::Actor | Who::Target => unit_val(self.unit(*who)?, name),
                Who::Trigger => event_val(self.trigger?, name),
                Who::Event => event_val(self.event?, name),
            },
        }
    }
}

/// A value as predicates compare it, borrowed rather than cloned. Text and enum values are one
/// case: they compare as text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Val<'a> {
    Int(i64),
    Text(&'a str),
    Date(NaiveDate),
    Bool(bool),
}

impl<'a> Val<'a> {
    fn of(lit: &'a Lit) -> Self {
        match lit {
            Lit::Int(i) => Val::Int(*i),
            Lit::Text(t) | Lit::Enum(t) => Val::Text(t),
            Lit::Date(d) => Val::Date(*d),
            Lit::Bool(b) => Val::Bool(*b),
        }
    }

    /// The value as a literal (text and enum values both as text).
    pub(crate) fn to_lit(self) -> Lit {
        match self {
            Val::Int(i) => Lit::Int(i),
            Val::Text(t) => Lit::Text(t.into()),
            Val::Date(d) => Lit::Date(d),
            Val::Bool(b) => Lit::Bool(b),
        }
    }
}

/// Whether `a op b` holds; a missing value never compares.
fn compare_holds(a: Option<Val<'_>>, op: CmpOp, b: Option<Val<'_>>) -> bool {
    match (a, b) {
        // Values of different types are neither equal nor ordered; equality of text needs no
        // ordering of its bytes.
        (Some(a), Some(b)) if op == CmpOp::Eq => a == b,
        (Some(a), Some(b)) => compare(a, b).is_some_and(|ordering| op_holds(op, ordering)),
        _ => false,
    }
}

/// Whether `a` equals one of `set`, tried in order until one does.
fn in_holds<'s>(a: Option<Val<'_>>, mut set: impl Iterator<Item = Option<Val<'s>>>) -> bool {
    a.is_some_and(|a| set.any(|b| b == Some(a)))
}

/// Whether a value is `true` (a missing value is not).
fn truthy(value: Option<Val<'_>>) -> bool {
    value == Some(Val::Bool(true))
}

/// The checker lets enum values be compared only for equality, so ordering them as text is
/// never observable; readers may give an enum value as either form.
fn compare(a: Val<'_>, b: Val<'_>) -> Option<Ordering> {
    match (a, b) {
        (Val::Int(a), Val::Int(b)) => Some(a.cmp(&b)),
        (Val::Date(a), Val::Date(b)) => Some(a.cmp(&b)),
        (Val::Bool(a), Val::Bool(b)) => Some(a.cmp(&b)),
        (Val::Text(a), Val::Text(b)) => Some(a.cmp(b)),
        _ => None,
    }
}

fn op_holds(op: CmpOp, ordering: Ordering) -> bool {
    match op {
        CmpOp::Eq => ordering == Ordering::Equal,
        CmpOp::Ne => ordering != Ordering::Equal,
        CmpOp::Lt => ordering == Ordering::Less,
        CmpOp::Le => ordering != Ordering::Greater,
        CmpOp::Gt => ordering == Ordering::Greater,
        CmpOp::Ge => ordering != Ordering::Less,
    }
}

/// The attribute `name` of a unit, built-ins included, borrowed (enum values as text).
pub(crate) fn unit_val<'u>(unit: &'u Unit, name: &str) -> Option<Val<'u>> {
    builtin(unit, name).unwrap_or_else(|| unit.attrs.get(name).map(Val::of))
}

/// The built-in attribute `name` of a unit (`None` if `name` is not a built-in one), which
/// shadows a class attribute of that name.
fn builtin<'u>(unit: &'u Unit, name: &str) -> Option<Option<Val<'u>>> {
    match name {
        "id" => Some(Some(Val::Text(&unit.id))),
        "name" => Some(Some(Val::Text(&unit.name))),
        "parent" => Some(unit.parent.as_deref().map(Val::Text)),
        _ => None,
    }
}

fn event_val<'e>(event: EventView<'e>, name: &str) -> Option<Val<'e>> {
    match name {
        "id" => Some(Val::Text(event.id)),
        "time" => Some(Val::Date(event.date)),
        "kind" => Some(Val::Text(event.kind)),
        "actor" => Some(Val::Text(event.actor)),
        "target" => event.target.map(Val::Text),
        _ => event.attrs.get(name).map(Val::of),
    }
}

/// Every attribute name a predicate reads, to keep only those in compact records.
pub fn attr_names(pred: &Pred, out: &mut std::collections::BTreeSet<String>) {
    let value = |v: &Value, out: &mut std::collections::BTreeSet<String>| {
        if let Value::Attr(_, name) = v {
            out.insert(name.clone());
        }
    };
    match pred {
        Pred::Or(a, b) | Pred::And(a, b) => {
            attr_names(a, out);
            attr_names(b, out);
        }
        Pred::Not(a) => attr_names(a, out),
        Pred::Compare(a, _, b) => {
            value(a, out);
            value(b, out);
        }
        Pred::In(a, set) => {
            value(a, out);
            for b in set {
                value(b, out);
            }
        }
        Pred::Truthy(a) => value(a, out),
        Pred::Is(..) | Pred::Under(..) | Pred::HasFinding(_) => {}
    }
}

/// Whether a predicate reads the evaluated period (`period.start`, `period.end`, or findings,
/// which are given over periods): if not, it holds for a unit in every period or in none.
pub fn reads_period(pred: &Pred) -> bool {
    let value = |v: &Value| matches!(v, Value::PeriodStart | Value::PeriodEnd);
    match pred {
        Pred::Or(a, b) | Pred::And(a, b) => reads_period(a) || reads_period(b),
        Pred::Not(a) => reads_period(a),
        Pred::Compare(a, _, b) => value(a) || value(b),
        Pred::In(a, set) => value(a) || set.iter().any(value),
        Pred::Truthy(a) => value(a),
        Pred::HasFinding(_) => true,
        Pred::Is(..) | Pred::Under(..) => false,
    }
}

/// Every finding a predicate tests.
pub fn findings_used(pred: &Pred, out: &mut std::collections::BTreeSet<String>) {
    match pred {
        Pred::Or(a, b) | Pred::And(a, b) => {
            findings_used(a, out);
            findings_used(b, out);
        }
        Pred::Not(a) => findings_used(a, out),
        Pred::HasFinding(f) => {
            out.insert(f.clone());
        }
        Pred::Compare(..) | Pred::In(..) | Pred::Is(..) | Pred::Under(..) | Pred::Truthy(_) => {}
    }
}
