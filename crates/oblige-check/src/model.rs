//! The checked plan: every name resolved, every literal typed, ready for evaluation.
//!
//! This is the contract between the checker and the evaluator. Nothing here can refer to a name
//! that is not declared: the checker only builds a [`Plan`] from a source without errors.

use chrono::NaiveDate;
use compact_str::CompactString;
use indexmap::IndexMap;
use oblige_diagnostics::{SourceMap, Span};
use serde::Serialize;

pub use oblige_syntax::ast::{CmpOp, CountCmp, Severity};

/// A checked plan.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The source files, for citing spans in reports and explanations.
    pub sources: SourceMap,
    /// The plan header.
    pub header: Header,
    /// Enums by name, with their values in declaration order.
    pub enums: IndexMap<String, Vec<String>>,
    /// Unit classes by name.
    pub classes: IndexMap<String, Attrs>,
    /// Event kinds by name.
    pub events: IndexMap<String, Attrs>,
    /// Windows by name, resolved to dates.
    pub windows: IndexMap<String, Window>,
    /// The working-day calendar, if the plan has one.
    pub calendar: Option<Calendar>,
    /// Parameters by name with their values.
    pub params: IndexMap<String, ParamValue>,
    /// Findings by name.
    pub findings: IndexMap<String, Finding>,
    /// States by name.
    pub states: IndexMap<String, StateDef>,
    /// Rules in source order (files in include order).
    pub rules: Vec<Rule>,
}

/// The plan header, with defaults applied.
#[derive(Clone, Debug, Serialize)]
pub struct Header {
    /// Title.
    pub title: String,
    /// Issuing body.
    pub issuer: Option<String>,
    /// Issue date.
    pub issued: Option<NaiveDate>,
    /// First day the plan applies (inclusive).
    pub effective_start: NaiveDate,
    /// Last day the plan applies (inclusive).
    pub effective_end: NaiveDate,
    /// Time zone in which periods and dates are read (default `Asia/Shanghai`).
    #[serde(serialize_with = "serialize_tz")]
    pub timezone: chrono_tz::Tz,
    /// The source document.
    pub source: Option<String>,
}

fn serialize_tz<S: serde::Serializer>(tz: &chrono_tz::Tz, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(tz.name())
}

/// Attributes by name with their types, in declaration order.
pub type Attrs = IndexMap<String, AttrType>;

/// The type of an attribute.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum AttrType {
    /// Text.
    Text,
    /// Boolean.
    Bool,
    /// Integer.
    Int,
    /// Calendar date.
    Date,
    /// Id of a unit of the named class.
    Ref(String),
    /// A value of the named enum.
    Enum(String),
}

/// A window: a sorted, non-overlapping list of inclusive date ranges.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Window {
    /// The ranges; yearly parts are expanded for every year the effective range touches.
    pub ranges: Vec<DateRange>,
}

/// An inclusive range of days.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct DateRange {
    /// First day.
    pub start: NaiveDate,
    /// Last day.
    pub end: NaiveDate,
}

/// The working-day calendar: Monday to Friday, minus holidays, plus adjusted working days.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Calendar {
    /// Name.
    pub name: String,
    /// Days off.
    pub holidays: std::collections::BTreeSet<NaiveDate>,
    /// Weekend days worked.
    pub workdays: std::collections::BTreeSet<NaiveDate>,
}

/// A parameter value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ParamValue {
    /// A count.
    Int(u64),
    /// A duration.
    Duration(Within),
}

/// A finding declaration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// What it means.
    pub description: Option<String>,
    /// `///` lines.
    pub docs: Vec<String>,
}

/// How events set a state; the event's actor holds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum StateDef {
    /// From a `start` event until an `end` event (or forever).
    Between {
        /// Kind that starts it.
        start: String,
        /// Kind that ends it.
        end: Option<String>,
    },
    /// Over the date range given by two date attributes of each event of `kind`.
    Valid {
        /// Kind.
        kind: String,
        /// Date attribute with the first day.
        from: String,
        /// Date attribute with the last day.
        to: String,
    },
}

/// A checked rule.
#[derive(Clone, Debug, Serialize)]
pub struct Rule {
    /// Id.
    pub id: String,
    /// Metadata for reports.
    pub meta: RuleMeta,
    /// Whose duty.
    pub subject: Subject,
    /// Exemptions in order.
    pub exemptions: Vec<Exemption>,
    /// What is required.
    pub duty: Duty,
    /// Where the rule is written.
    pub span: Span,
}

/// Rule metadata kept for reports.
#[derive(Clone, Debug, Default, Serialize)]
pub struct RuleMeta {
    /// Title.
    pub title: Option<String>,
    /// `///` lines.
    pub docs: Vec<String>,
    /// Cited articles.
    pub articles: Vec<u64>,
    /// Quoted sentence of the source.
    pub quote: Option<String>,
    /// Lead units.
    pub lead: Vec<String>,
    /// Cooperating units.
    pub cooperating: Vec<String>,
    /// Severity.
    pub severity: Option<Severity>,
    /// Weight.
    pub weight: Option<u64>,
}

/// The subjects of a rule.
#[derive(Clone, Debug, Serialize)]
pub struct Subject {
    /// Class.
    pub class: String,
    /// Filter (on `Who::Subject`; may use `PeriodStart`/`PeriodEnd` and `HasFinding`).
    pub filter: Option<Pred>,
    /// Whether this is a coverage rule.
    pub coverage: bool,
}

/// An exemption.
#[derive(Clone, Debug, Serialize)]
pub struct Exemption {
    /// Which subjects/periods.
    pub filter: Option<Pred>,
    /// Which days (a period is exempt if it overlaps them).
    pub during: Option<Window>,
    /// Why.
    pub reason: String,
}

/// What a rule requires.
#[derive(Clone, Debug, Serialize)]
pub enum Duty {
    /// A count per period. `forbid` is `AtMost 0` with `cmp = Never`.
    Count {
        /// Comparison.
        cmp: CountCmp,
        /// Required number (0 for `Never`).
        amount: u64,
        /// Which events count.
        events: Pattern,
        /// Which periods.
        period: Period,
    },
    /// Responses to triggers.
    Response {
        /// Triggers.
        trigger: Pattern,
        /// Branches; the first whose condition holds for a trigger applies.
        branches: Vec<Branch>,
    },
    /// A finding given by a trigger, over the period containing it.
    Consequence {
        /// What gives it.
        trigger: ConsequenceTrigger,
        /// The finding.
        finding: String,
        /// The period containing the trigger that the finding covers.
        over: Period,
    },
    /// A state that must hold.
    Hold {
        /// The state.
        state: String,
        /// When.
        when: HoldWhen,
    },
}

/// Which events match.
#[derive(Clone, Debug, Serialize)]
pub struct Pattern {
    /// Event kind.
    pub kind: String,
    /// Filter (on `Who::Event`, and others).
    pub filter: Option<Pred>,
    /// The event's target must be the subject.
    pub to_subject: bool,
    /// Who must be the actor (defaults applied).
    pub by: Actor,
}

/// Who must be the actor of an event.
#[derive(Clone, Debug, Serialize)]
pub enum Actor {
    /// The subject.
    Subject,
    /// Anyone.
    Anyone,
    /// A unit satisfying the predicate (which uses `Who::Actor` and `Who::Subject`).
    Related(Pred),
}

/// A response branch.
#[derive(Clone, Debug, Serialize)]
pub struct Branch {
    /// Condition on the trigger (`Who::Trigger`).
    pub condition: Option<Pred>,
    /// The response events, or `None` for "the trigger itself must be recorded in time".
    pub response: Option<Pattern>,
    /// Deadline.
    pub within: Within,
}

/// A deadline length.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Within {
    /// An exact length in minutes (minutes, hours and days all reduce to this).
    Minutes(i64),
    /// Working days: the deadline is midnight at the end of the n-th working day after the trigger's day.
    WorkingDays(u32),
}

/// What gives a finding.
#[derive(Clone, Debug, Serialize)]
pub enum ConsequenceTrigger {
    /// An event (pattern relative to the subject).
    Event(Pattern),
    /// A violation of the rule with this id, for the same subject.
    Violation(String),
}

/// When a state must hold.
#[derive(Clone, Debug, Serialize)]
pub enum HoldWhen {
    /// Throughout each period.
    Throughout(Period),
    /// On a date.
    On(NaiveDate),
}

/// A period kind.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Period {
    /// Month.
    Month,
    /// Quarter.
    Quarter,
    /// Half-year.
    HalfYear,
    /// Year.
    Year,
    /// Each range of a named window is one period.
    Window(String),
}

/// A resolved predicate.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Pred {
    /// Either.
    Or(Box<Pred>, Box<Pred>),
    /// Both.
    And(Box<Pred>, Box<Pred>),
    /// Negation.
    Not(Box<Pred>),
    /// Comparison of two values of the same type.
    Compare(Value, CmpOp, Value),
    /// Membership.
    In(Value, Vec<Value>),
    /// Class membership.
    Is(Who, String),
    /// `who` is a strict descendant of `ancestor` in the unit hierarchy.
    Under(Who, Who),
    /// The subject has the finding in a period overlapping the evaluated one.
    HasFinding(String),
    /// A boolean value is true.
    Truthy(Value),
}

/// A resolved value.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Value {
    /// An attribute of a unit or event. Built-in: units have `id`, `name`, `parent`; events have
    /// `id`, `time` (date), `kind`, `actor`, `target`.
    Attr(Who, String),
    /// A literal.
    Lit(Lit),
    /// First day of the evaluated period.
    PeriodStart,
    /// Last day of the evaluated period.
    PeriodEnd,
}

/// Whose attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Who {
    /// The rule's subject.
    Subject,
    /// The event's actor.
    Actor,
    /// The event's target.
    Target,
    /// The trigger event of a response.
    Trigger,
    /// The event being matched.
    Event,
}

/// A typed literal.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Lit {
    /// Integer (params are substituted).
    Int(i64),
    /// Text.
    Text(CompactString),
    /// Date.
    Date(NaiveDate),
    /// Boolean.
    Bool(bool),
    /// Enum value (of the enum the other side's attribute has).
    Enum(CompactString),
}
