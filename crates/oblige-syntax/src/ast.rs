//! The abstract syntax tree of `.rule` files: every node keeps the span it came from.
//!
//! The tree is language-neutral: an English and a Chinese spelling of the same file give equal
//! trees once spans are ignored (the formatter's round-trip tests compare them so). Parentheses
//! are not stored; the printer puts them back where precedence needs them.

use oblige_diagnostics::Span;
use serde::Serialize;

/// Which keyword set a file is written in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English keywords.
    #[default]
    En,
    /// Chinese keywords.
    Zh,
}

/// A name written by the user: a class, kind, attribute, rule id...
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Ident {
    /// The name as written (full-width forms are not folded: names are compared exactly).
    pub name: String,
    /// Where.
    pub span: Span,
}

/// A string literal, unescaped.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Str {
    /// Value without quotes.
    pub value: String,
    /// Where, quotes included.
    pub span: Span,
}

/// A non-negative integer literal.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct IntLit {
    /// Value.
    pub value: u64,
    /// Where.
    pub span: Span,
}

/// A calendar date `YYYY-MM-DD` as written; the checker validates it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct DateLit {
    /// Year.
    pub year: i32,
    /// Month, 1–12 when valid.
    pub month: u32,
    /// Day, 1–31 when valid.
    pub day: u32,
    /// Where.
    pub span: Span,
}

/// A day of the year `MM-DD`, used by yearly windows.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct MonthDayLit {
    /// Month.
    pub month: u32,
    /// Day.
    pub day: u32,
    /// Where.
    pub span: Span,
}

/// A comment, kept so the formatter can put it back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Comment {
    /// Full text including `//` or `/* */`.
    pub text: String,
    /// Where.
    pub span: Span,
}

/// One parsed `.rule` file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SourceUnit {
    /// Items in source order.
    pub items: Vec<Item>,
    /// Line and block comments (doc comments belong to their item instead).
    pub comments: Vec<Comment>,
    /// The keyword set most of the file's keywords are written in.
    pub lang: Lang,
}

/// A top-level item.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[expect(
    clippy::large_enum_variant,
    reason = "a tree is built once per file; boxing would only make consumers' patterns noisier"
)]
pub enum Item {
    /// `plan "title" { … }`.
    Plan(PlanHeader),
    /// `include "file.rule"`.
    Include(Include),
    /// `enum name { a, b }`.
    Enum(EnumDecl),
    /// `class name { attr: type, … }`.
    Class(ClassDecl),
    /// `event name { attr: type, … }`.
    Event(EventDecl),
    /// `window name = …`.
    Window(WindowDecl),
    /// `calendar name { holidays … workdays … }`.
    Calendar(CalendarDecl),
    /// `param name = value`.
    Param(ParamDecl),
    /// `finding name "description"`.
    Finding(FindingDecl),
    /// `state name = …`.
    State(StateDecl),
    /// `rule id "title" { … }`.
    Rule(Rule),
}

/// Documentation written as `///` lines before an item, without the slashes.
pub type Docs = Vec<String>;

/// The plan header.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlanHeader {
    /// `///` lines.
    pub docs: Docs,
    /// The plan's title.
    pub title: Str,
    /// Fields in source order.
    pub fields: Vec<PlanField>,
    /// Whole item.
    pub span: Span,
}

/// One field of the plan header.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum PlanField {
    /// `issuer "…"` — the issuing body.
    Issuer(Str),
    /// `issued 2023-05-04`.
    Issued(DateLit),
    /// `effective 2023-01-01 .. 2023-12-31` (both ends inclusive).
    Effective(DateLit, DateLit),
    /// `timezone "Asia/Shanghai"`.
    Timezone(Str),
    /// `source "file.txt"` — the document the plan encodes.
    Source(Str),
}

/// `include "path"`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Include {
    /// Path relative to the including file, confined to the plan's folder.
    pub path: Str,
    /// Whole item.
    pub span: Span,
}

/// `enum name { value, … }`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EnumDecl {
    /// `///` lines.
    pub docs: Docs,
    /// Name.
    pub name: Ident,
    /// Values in order.
    pub values: Vec<Ident>,
    /// Whole item.
    pub span: Span,
}

/// `class name { attr: type, … }` — a class of units.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClassDecl {
    /// `///` lines.
    pub docs: Docs,
    /// Name.
    pub name: Ident,
    /// Attributes.
    pub attrs: Vec<AttrDecl>,
    /// Whole item.
    pub span: Span,
}

/// `event name { attr: type, … }` — a kind of event.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EventDecl {
    /// `///` lines.
    pub docs: Docs,
    /// Name.
    pub name: Ident,
    /// Attributes.
    pub attrs: Vec<AttrDecl>,
    /// Whole item.
    pub span: Span,
}

/// `name: type`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AttrDecl {
    /// Attribute name.
    pub name: Ident,
    /// Its type.
    pub ty: TypeExpr,
    /// Whole declaration.
    pub span: Span,
}

/// A written type.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TypeExpr {
    /// What type.
    pub kind: TypeKind,
    /// Where.
    pub span: Span,
}

/// The types an attribute can have.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum TypeKind {
    /// `text` / `文本`.
    Text,
    /// `bool` / `布尔`.
    Bool,
    /// `int` / `整数`.
    Int,
    /// `date` / `日期`.
    Date,
    /// `ref Class` / `引用 Class` — the id of a unit of that class.
    Ref(Ident),
    /// The name of a declared enum.
    Enum(Ident),
}

/// `window name = part, part, …` — a union of date ranges.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WindowDecl {
    /// `///` lines.
    pub docs: Docs,
    /// Name.
    pub name: Ident,
    /// The parts whose union is the window.
    pub parts: Vec<WindowPart>,
    /// Whole item.
    pub span: Span,
}

/// One part of a window, a calendar, or an exemption's time.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WindowPart {
    /// What.
    pub kind: WindowPartKind,
    /// Where.
    pub span: Span,
}

/// The forms a window part takes.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum WindowPartKind {
    /// `2023-01-01 .. 2023-01-03` (inclusive).
    Range(DateLit, DateLit),
    /// `2023-04-05` — one day.
    Day(DateLit),
    /// `yearly 06-01 .. 06-30` or `yearly 05-12` — every year of the plan.
    Yearly(MonthDayLit, Option<MonthDayLit>),
    /// Another window, by name.
    Ref(Ident),
}

/// `calendar name { holidays …; workdays … }` — the working-day calendar.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CalendarDecl {
    /// `///` lines.
    pub docs: Docs,
    /// Name.
    pub name: Ident,
    /// Days off that would otherwise be working days.
    pub holidays: Vec<WindowPart>,
    /// Weekend days that are working days (adjusted working days).
    pub workdays: Vec<WindowPart>,
    /// Whole item.
    pub span: Span,
}

/// `param name = value` — a value the plan leaves open, with its default.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ParamDecl {
    /// `///` lines.
    pub docs: Docs,
    /// Name.
    pub name: Ident,
    /// Default value.
    pub value: ParamValue,
    /// Whole item.
    pub span: Span,
}

/// A parameter's value.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum ParamValue {
    /// A count.
    Int(IntLit),
    /// A duration.
    Duration(DurationLit),
}

/// `finding name "description"` — a named outcome rules can give a subject.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FindingDecl {
    /// `///` lines.
    pub docs: Docs,
    /// Name.
    pub name: Ident,
    /// What it means.
    pub description: Option<Str>,
    /// Whole item.
    pub span: Span,
}

/// `state name = …` — a state of a unit set up by events.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StateDecl {
    /// `///` lines.
    pub docs: Docs,
    /// Name.
    pub name: Ident,
    /// How events set it.
    pub def: StateDef,
    /// Whole item.
    pub span: Span,
}

/// How a state is set by events of the unit (the event's actor holds the state).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum StateDef {
    /// `from granted until revoked` — holds from a `start` event until an `end` event.
    Between {
        /// Event kind that starts the state.
        start: Ident,
        /// Event kind that ends it, if any.
        end: Option<Ident>,
    },
    /// `valid policy from start_date to end_date` — each event holds the state over the date
    /// range given by two of its date attributes (inclusive).
    Valid {
        /// Event kind.
        kind: Ident,
        /// Attribute with the first day.
        from: Ident,
        /// Attribute with the last day.
        to: Ident,
    },
}

/// `rule id "title" { … }`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Rule {
    /// `///` lines.
    pub docs: Docs,
    /// Stable id.
    pub id: Ident,
    /// Short title.
    pub title: Option<Str>,
    /// Metadata lines in source order.
    pub meta: Vec<Meta>,
    /// Who the duty is on.
    pub subject: SubjectClause,
    /// Exemptions.
    pub exemptions: Vec<Exemption>,
    /// What is required.
    pub body: RuleBody,
    /// Whole item.
    pub span: Span,
}

/// Rule metadata kept for reports.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Meta {
    /// `article 3, 5` — the cited articles of the source.
    Article(Vec<IntLit>),
    /// `quote "…"` — the sentence of the source the rule encodes.
    Quote(Str),
    /// `lead "市应急管理局", …` — units that lead.
    Lead(Vec<Str>),
    /// `cooperating "…", …` — units that cooperate.
    Cooperating(Vec<Str>),
    /// `severity high` / `严重程度 高等`.
    Severity(Severity, Span),
    /// `weight 3`.
    Weight(IntLit),
}

/// How much a violation of a rule matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// `low` / `低等`.
    Low,
    /// `medium` / `中等`.
    Medium,
    /// `high` / `高等`.
    High,
    /// `critical` / `特高`.
    Critical,
}

/// `for each Class where …` or `cover each Class where …`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SubjectClause {
    /// Plain duty or coverage duty.
    pub mode: SubjectMode,
    /// Class of the subjects.
    pub class: Ident,
    /// Filter on subject attributes.
    pub filter: Option<Expr>,
    /// Whole clause.
    pub span: Span,
}

/// Whether the rule is a coverage rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum SubjectMode {
    /// `for each` / `对每个`.
    ForEach,
    /// `cover each` / `覆盖每个` — reports also the share of subjects covered.
    CoverEach,
}

/// `exempt [where P] [during W] because "reason"`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Exemption {
    /// Which subjects (and periods, via `period.start` / `period.end`).
    pub filter: Option<Expr>,
    /// Which time.
    pub during: Option<WindowPart>,
    /// Why.
    pub reason: Str,
    /// Whole clause.
    pub span: Span,
}

/// What a rule requires.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum RuleBody {
    /// `require at least N kind … per period`, or `forbid kind … per period`.
    Count(CountReq),
    /// `when trigger require response within D`, or a ladder of `if … require …`.
    Response(ResponseReq),
    /// `when trigger then finding F over period`.
    Consequence(ConsequenceReq),
    /// `require hold state per period` or `require hold state on date`.
    Hold(HoldReq),
}

/// A periodic count.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CountReq {
    /// How many.
    pub quantity: Quantity,
    /// Which events.
    pub events: EventPattern,
    /// Over which periods.
    pub period: PeriodSpec,
    /// Whole requirement.
    pub span: Span,
}

/// `at least N`, `at most N`, `exactly N`, or `forbid` (never).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Quantity {
    /// Comparison.
    pub cmp: CountCmp,
    /// The number (absent for `forbid`).
    pub amount: Option<Amount>,
    /// Where.
    pub span: Span,
}

/// How a count is compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum CountCmp {
    /// `at least` / `至少` / `>=` / `≥`.
    AtLeast,
    /// `at most` / `至多` / `<=` / `≤`.
    AtMost,
    /// `exactly` / `恰好` / `=`.
    Exactly,
    /// `forbid` / `禁止` — at most zero.
    Never,
}

/// A number written literally or as a parameter.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Amount {
    /// `3`.
    Int(IntLit),
    /// A `param` name.
    Param(Ident),
}

/// Which events count: `kind [where P] [to subject] [by …]`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EventPattern {
    /// Event kind.
    pub kind: Ident,
    /// Filter on the event's attributes (may refer to `subject.`, `actor.`, `trigger.`…).
    pub filter: Option<Expr>,
    /// `to subject` — the event's target must be the subject.
    pub to_subject: bool,
    /// Who must be the actor; `None` means the default (the subject, or anyone with `to subject`).
    pub by: Option<ActorSpec>,
    /// Whole pattern.
    pub span: Span,
}

/// `by subject`, `by anyone`, or `by actor where P`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum ActorSpec {
    /// The subject itself.
    Subject,
    /// Any unit.
    Anyone,
    /// A unit related to the subject as the predicate says.
    Related(Expr),
}

/// Over which periods a count is taken.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PeriodSpec {
    /// What period.
    pub kind: PeriodKind,
    /// Where.
    pub span: Span,
}

/// Calendar periods in the plan's time zone, or a named window.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum PeriodKind {
    /// Calendar month.
    Month,
    /// Calendar quarter.
    Quarter,
    /// January–June, July–December.
    HalfYear,
    /// Calendar year.
    Year,
    /// A named window (each of its yearly occurrences is a period).
    Window(Ident),
}

/// A trigger and the response(s) it demands.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ResponseReq {
    /// The trigger events.
    pub trigger: EventPattern,
    /// One branch without condition, or an escalation ladder of conditional branches.
    pub branches: Vec<ResponseBranch>,
    /// Whole requirement.
    pub span: Span,
}

/// `[if P] require response within D`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ResponseBranch {
    /// Condition on the trigger's attributes; the first branch whose condition holds applies.
    pub condition: Option<Expr>,
    /// What must follow.
    pub response: ResponseWhat,
    /// How soon.
    pub within: DurationLit,
    /// Whole branch.
    pub span: Span,
}

/// What must follow a trigger.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[expect(
    clippy::large_enum_variant,
    reason = "a tree is built once per file; boxing would only make consumers' patterns noisier"
)]
pub enum ResponseWhat {
    /// An event of this pattern (its filter may compare with `trigger.`).
    Event(EventPattern),
    /// `reported` — the trigger itself must be recorded (`recorded_at`) in time.
    Reported,
}

/// `N minutes|hours|days|working days`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DurationLit {
    /// How many.
    pub amount: Amount,
    /// Of what.
    pub unit: DurationUnit,
    /// Where.
    pub span: Span,
}

/// Units of a duration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum DurationUnit {
    /// `minutes` / `分钟`.
    Minutes,
    /// `hours` / `小时`.
    Hours,
    /// `days` / `天` — 24 hours each.
    Days,
    /// `working days` / `工作日` — by the plan's calendar; ends at midnight after the last one.
    WorkingDays,
}

/// `when trigger then finding F over period`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConsequenceReq {
    /// What gives the finding.
    pub trigger: ConsequenceTrigger,
    /// The finding given.
    pub finding: Ident,
    /// The calendar period (containing the trigger) the finding covers.
    pub over: PeriodSpec,
    /// Whole requirement.
    pub span: Span,
}

/// What gives a finding.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[expect(
    clippy::large_enum_variant,
    reason = "a tree is built once per file; boxing would only make consumers' patterns noisier"
)]
pub enum ConsequenceTrigger {
    /// An event.
    Event(EventPattern),
    /// `violated rule_id` — a violation of another rule for the same subject.
    Violation(Ident),
}

/// `require hold state per period` or `require hold state on date`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HoldReq {
    /// The state.
    pub state: Ident,
    /// When it must hold.
    pub when: HoldWhen,
    /// Whole requirement.
    pub span: Span,
}

/// When a state must hold.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum HoldWhen {
    /// Throughout each period.
    Throughout(PeriodSpec),
    /// On one date.
    On(DateLit),
}

/// A predicate.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Expr {
    /// What.
    pub kind: ExprKind,
    /// Where.
    pub span: Span,
}

/// Predicate forms, loosest-binding first: `or`, `and`, `not`, then atoms.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum ExprKind {
    /// `a or b` / `a 或 b`.
    Or(Box<Expr>, Box<Expr>),
    /// `a and b` / `a 且 b`.
    And(Box<Expr>, Box<Expr>),
    /// `not a` / `非 a`.
    Not(Box<Expr>),
    /// `x = y`, `x != y`, `x < y`…
    Compare {
        /// Left side.
        lhs: Operand,
        /// Operator.
        op: CmpOp,
        /// Right side.
        rhs: Operand,
    },
    /// `x in [a, b]` / `x 属于 [a, b]`.
    In {
        /// The value.
        lhs: Operand,
        /// The set.
        set: Vec<Operand>,
    },
    /// `actor is Class` / `行为方 是 Class` — class membership.
    Is {
        /// Whose class.
        who: Qualifier,
        /// The class.
        class: Ident,
    },
    /// `actor under subject` / `行为方 隶属于 主体` — strict descendant in the unit hierarchy.
    Under {
        /// The descendant.
        who: Qualifier,
        /// The ancestor.
        ancestor: Qualifier,
    },
    /// `has finding F` / `有认定 F` — the subject has the finding in the period.
    HasFinding(Ident),
    /// A bare operand, true when it is a true bool (`key`, `subject.key`).
    Truthy(Operand),
}

/// Comparison operators. Full-width and mathematical forms (`＝ ≠ ≥ ＞＝ ≤`) read the same.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum CmpOp {
    /// `=`.
    Eq,
    /// `!=`.
    Ne,
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
}

impl CmpOp {
    /// Every comparison.
    pub const ALL: [CmpOp; 6] = [
        CmpOp::Eq,
        CmpOp::Ne,
        CmpOp::Lt,
        CmpOp::Le,
        CmpOp::Gt,
        CmpOp::Ge,
    ];
}

/// A value in a predicate.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Operand {
    /// What.
    pub kind: OperandKind,
    /// Where.
    pub span: Span,
}

/// The forms of a predicate value.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum OperandKind {
    /// An unqualified name: an attribute of the thing being filtered, an enum value, or a param;
    /// the checker decides which.
    Name(Ident),
    /// `subject.attr`, `actor.attr`, `target.attr`, `trigger.attr`.
    Attr(Qualifier, Ident),
    /// `period.start` / `本期开始`: the first day of the period being evaluated.
    PeriodStart,
    /// `period.end` / `本期结束`: the last day of the period being evaluated.
    PeriodEnd,
    /// A literal.
    Lit(Literal),
}

/// Whose attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Qualifier {
    /// `subject` / `主体`.
    Subject,
    /// `actor` / `行为方` — the unit that did the event.
    Actor,
    /// `target` / `对象` — the unit the event was done to.
    Target,
    /// `trigger` / `触发` — the trigger event of a response.
    Trigger,
}

/// A literal in a predicate.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Literal {
    /// Integer.
    Int(u64),
    /// String.
    Str(String),
    /// Date.
    Date(DateLit),
    /// `true`/`false`, `真`/`假`.
    Bool(bool),
}
