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
    pub attrs: &'a IndexMap<String, Lit>,
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
            Pred::Compare(a, op, b) => match (self.value(a), self.value(b)) {
                (Some(a), Some(b)) => self
                    .compare(&a, &b)
                    .is_some_and(|ordering| op_holds(*op, ordering)),
                _ => false,
            },
            Pred::In(a, set) => self.value(a).is_some_and(|a| {
                set.iter().any(|b| {
                    self.value(b)
                        .is_some_and(|b| self.compare(&a, &b) == Some(Ordering::Equal))
                })
            }),
            Pred::Is(who, class) => self.unit(*who).is_some_and(|u| u.classes.contains(class)),
            Pred::Under(who, ancestor) => match (self.unit_id(*who), self.unit_id(*ancestor)) {
                (Some(u), Some(a)) => self.registry.is_under(u, a),
                _ => false,
            },
            Pred::HasFinding(finding) => match (self.findings, self.subject, self.period) {
                (Some(f), Some(s), Some((first, last))) => f.has(finding, &s.id, first, last),
                _ => false,
            },
            Pred::Truthy(v) => self.value(v) == Some(Lit::Bool(true)),
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

    /// The value of `value`, if known.
    pub fn value(&self, value: &Value) -> Option<Lit> {
        match value {
            Value::Lit(lit) => Some(lit.clone()),
            Value::PeriodStart => self.period.map(|(first, _)| Lit::Date(first)),
            Value::PeriodEnd => self.period.map(|(_, last)| Lit::Date(last)),
            Value::Attr(who, name) => match who {
                Who::Subject | Who::Actor | Who::Target => unit_attr(self.unit(*who)?, name),
                Who::Trigger => event_attr(self.trigger?, name),
                Who::Event => event_attr(self.event?, name),
            },
        }
    }

    fn compare(&self, a: &Lit, b: &Lit) -> Option<Ordering> {
        match (a, b) {
            (Lit::Int(a), Lit::Int(b)) => Some(a.cmp(b)),
            (Lit::Date(a), Lit::Date(b)) => Some(a.cmp(b)),
            (Lit::Bool(a), Lit::Bool(b)) => Some(a.cmp(b)),
            // The checker lets enum values be compared only for equality, so ordering them as
            // text is never observable; readers may give an enum value as either form.
            (Lit::Text(a) | Lit::Enum(a), Lit::Text(b) | Lit::Enum(b)) => Some(a.cmp(b)),
            _ => None,
        }
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

/// The attribute `name` of a unit, built-ins included.
pub fn unit_attr(unit: &Unit, name: &str) -> Option<Lit> {
    match name {
        "id" => Some(Lit::Text(unit.id.clone())),
        "name" => Some(Lit::Text(unit.name.clone())),
        "parent" => unit.parent.clone().map(Lit::Text),
        _ => unit.attrs.get(name).cloned(),
    }
}

fn event_attr(event: EventView<'_>, name: &str) -> Option<Lit> {
    match name {
        "id" => Some(Lit::Text(event.id.to_string())),
        "time" => Some(Lit::Date(event.date)),
        "kind" => Some(Lit::Text(event.kind.to_string())),
        "actor" => Some(Lit::Text(event.actor.to_string())),
        "target" => event.target.map(|t| Lit::Text(t.to_string())),
        _ => event.attrs.get(name).cloned(),
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
