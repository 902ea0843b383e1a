//! The report: what the evaluator found, per duty, subject and period, as serde types.
//!
//! The JSON form of these types is a public, versioned format (`schema_version`), described by
//! `docs/report.schema.json`. Every field is always present (absent values are `null`, empty
//! lists are `[]`) so that consumers and tabular renderers see one stable shape, except in a
//! row's evidence, where what does not apply to the row's duty is left out: a report can hold
//! millions of rows, and those fields are absent from most of them. For the same reason a row
//! names its rule by id only; the rule's title, citation, severity and responsible units are in
//! [`PlanInfo::rules`], once per rule. Maps are ordered, and the evaluator fills them in a
//! deterministic order.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, FixedOffset, NaiveDate};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// The version of the report format written by this crate.
pub const SCHEMA_VERSION: u32 = 2;

/// A complete report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Version of this format ([`SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// The plan that was checked.
    pub plan: PlanInfo,
    /// The evaluated days.
    pub range: DayRange,
    /// The instant the report describes: periods and deadlines after it are still open.
    #[serde(serialize_with = "crate::timestamp::serialize")]
    pub as_of: DateTime<FixedOffset>,
    /// One row per rule, subject and period (or trigger), sorted by rule order in the plan,
    /// subject id, period start and label.
    pub results: Vec<ResultRow>,
    /// One row per coverage rule and period.
    pub coverage: Vec<CoverageRow>,
    /// Findings given to subjects by consequence rules.
    pub findings: Vec<FindingRow>,
    /// Counts of statuses.
    pub summary: Summary,
    /// What happened to the input events.
    pub inputs: Inputs,
}

/// What a report says before its rows: enough to start writing it while rows are produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportHead {
    /// Version of this format ([`SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// The plan that was checked.
    pub plan: PlanInfo,
    /// The evaluated days.
    pub range: DayRange,
    /// The instant the report describes.
    pub as_of: DateTime<FixedOffset>,
}

/// What a report says after its rows, known once every row has been produced.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportTail {
    /// One row per coverage rule and period.
    pub coverage: Vec<CoverageRow>,
    /// Findings given to subjects by consequence rules.
    pub findings: Vec<FindingRow>,
    /// Counts of statuses.
    pub summary: Summary,
    /// What happened to the input events.
    pub inputs: Inputs,
}

impl Report {
    /// The report made of a head, its rows in order, and a tail.
    pub fn from_parts(head: ReportHead, results: Vec<ResultRow>, tail: ReportTail) -> Report {
        Report {
            schema_version: head.schema_version,
            plan: head.plan,
            range: head.range,
            as_of: head.as_of,
            results,
            coverage: tail.coverage,
            findings: tail.findings,
            summary: tail.summary,
            inputs: tail.inputs,
        }
    }

    /// The head, rows and tail of the report.
    pub fn into_parts(self) -> (ReportHead, Vec<ResultRow>, ReportTail) {
        let head = ReportHead {
            schema_version: self.schema_version,
            plan: self.plan,
            range: self.range,
            as_of: self.as_of,
        };
        let tail = ReportTail {
            coverage: self.coverage,
            findings: self.findings,
            summary: self.summary,
            inputs: self.inputs,
        };
        (head, self.results, tail)
    }
}

/// The checked plan, as named in reports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanInfo {
    /// Title.
    pub title: String,
    /// Source document, if the plan names one.
    pub source: Option<String>,
    /// IANA time zone in which periods and dates are read (`Asia/Shanghai`).
    pub timezone: String,
    /// Every rule of the plan, in plan order, described once: rows name their rule by id.
    pub rules: Vec<RuleInfo>,
}

impl PlanInfo {
    /// The rule with id `id`. This searches the list: to look up the rule of each of many rows,
    /// build a [`RuleIndex`] once with [`PlanInfo::rule_index`].
    pub fn rule(&self, id: &str) -> Option<&RuleInfo> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// The rules by id.
    pub fn rule_index(&self) -> RuleIndex<'_> {
        RuleIndex {
            by_id: self.rules.iter().map(|r| (r.id.as_str(), r)).collect(),
        }
    }
}

/// The rules of a plan by id, for finding the rule of each row of a report.
#[derive(Clone, Debug, Default)]
pub struct RuleIndex<'a> {
    by_id: HashMap<&'a str, &'a RuleInfo>,
}

impl<'a> RuleIndex<'a> {
    /// The rule with id `id`.
    pub fn get(&self, id: &str) -> Option<&'a RuleInfo> {
        self.by_id.get(id).copied()
    }
}

/// A rule of the plan: what it demands, where it comes from, who answers for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleInfo {
    /// Id, as in [`ResultRow::rule`].
    pub id: String,
    /// Title.
    pub title: Option<String>,
    /// What kind of duty it states.
    pub duty: DutyKind,
    /// The article(s) and sentence of the source it encodes.
    pub citation: Citation,
    /// Severity.
    pub severity: Option<Severity>,
    /// Weight, for scoring schemes that rank rules.
    pub weight: Option<u64>,
    /// Units that lead on it.
    pub lead: Vec<String>,
    /// Units that cooperate on it.
    pub cooperating: Vec<String>,
    /// Its `///` documentation lines, without the markers.
    pub docs: Vec<String>,
}

/// An inclusive range of days.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayRange {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
}

/// A verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The duty is fulfilled.
    Met,
    /// The duty is broken.
    Violated,
    /// Not decided yet: the period or deadline has not passed at `as_of`.
    Open,
    /// The duty does not apply (the unit did not exist, or nothing triggered it).
    NotApplicable,
    /// An exemption of the rule applies.
    Exempt,
    /// A response came, but after the deadline.
    Late,
    /// No response by the deadline.
    Missing,
}

impl Status {
    /// All statuses, in the order used by summaries.
    pub const ALL: [Status; 7] = [
        Status::Met,
        Status::Violated,
        Status::Open,
        Status::NotApplicable,
        Status::Exempt,
        Status::Late,
        Status::Missing,
    ];

    /// Whether the status is a failure (violated, late or missing).
    pub fn is_failure(self) -> bool {
        matches!(self, Status::Violated | Status::Late | Status::Missing)
    }

    /// The snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::Violated => "violated",
            Status::Open => "open",
            Status::NotApplicable => "not_applicable",
            Status::Exempt => "exempt",
            Status::Late => "late",
            Status::Missing => "missing",
        }
    }
}

/// What kind of duty a row checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DutyKind {
    /// A number of events per period.
    Count,
    /// A number of events per period, with the share of subjects covered.
    Coverage,
    /// A response to each trigger within a deadline.
    Response,
    /// A state that must hold.
    Hold,
    /// A finding given by events or violations.
    Consequence,
}

impl DutyKind {
    /// The snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            DutyKind::Count => "count",
            DutyKind::Coverage => "coverage",
            DutyKind::Response => "response",
            DutyKind::Hold => "hold",
            DutyKind::Consequence => "consequence",
        }
    }
}

/// Severity of a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
    /// Critical.
    Critical,
}

/// A count comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cmp {
    /// At least `amount`.
    AtLeast,
    /// At most `amount`.
    AtMost,
    /// Exactly `amount`.
    Exactly,
    /// Never (`amount` is 0).
    Never,
}

impl Cmp {
    /// The snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Cmp::AtLeast => "at_least",
            Cmp::AtMost => "at_most",
            Cmp::Exactly => "exactly",
            Cmp::Never => "never",
        }
    }
}

/// One verdict: a rule, a subject, a period (or a trigger).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResultRow {
    /// Rule id: its title, citation, severity and responsible units are in [`PlanInfo::rules`].
    pub rule: String,
    /// What kind of duty.
    pub duty: DutyKind,
    /// The unit whose duty it is.
    pub subject: SubjectRef,
    /// The period (for responses: from the trigger to the deadline).
    pub period: PeriodRef,
    /// The verdict.
    pub status: Status,
    /// Matching events counted (count and coverage duties), responses found (0 or 1), days the
    /// state held (hold duties), or causes of the finding (consequences).
    pub count: u64,
    /// The required count (count and coverage duties only).
    pub required: Option<Required>,
    /// An `open` row whose period ends within the at-risk horizon and is not met yet.
    pub at_risk: bool,
    /// Why the verdict is what it is.
    pub evidence: Evidence,
    /// The reason of the exemption, for `exempt` rows.
    pub exemption: Option<String>,
}

/// A unit, by id and name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SubjectRef {
    /// Id.
    pub id: String,
    /// Display name.
    pub name: String,
}

/// A period: `[start, end)` in the plan's time zone.
///
/// Calendar periods run from local midnight of their first day to local midnight after their
/// last day; a response row runs from the trigger to the deadline.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PeriodRef {
    /// `2023-07`, `2023-Q3`, `2023-H2`, `2023`, a window name, or the trigger's event id.
    pub label: String,
    /// Start (inclusive).
    #[serde(serialize_with = "crate::timestamp::serialize")]
    pub start: DateTime<FixedOffset>,
    /// End (exclusive).
    #[serde(serialize_with = "crate::timestamp::serialize")]
    pub end: DateTime<FixedOffset>,
}

/// The required count of a count duty.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Required {
    /// Comparison.
    pub cmp: Cmp,
    /// Amount.
    pub amount: u64,
}

/// The evidence of a verdict. Fields that do not apply to the row's duty are left out of the
/// JSON (absent, not `null`; `violations` absent when empty) and read back as `None` or empty.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// Ids of the events counted (the first ones by time, then id), or of the events that gave a
    /// finding.
    pub events: Vec<String>,
    /// How many more events matched than `events` lists.
    pub truncated: u64,
    /// The trigger event (responses).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger: Option<String>,
    /// The deadline (responses).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::timestamp::serialize_some"
    )]
    pub deadline: Option<DateTime<FixedOffset>>,
    /// The response event (responses with a response pattern).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<String>,
    /// When the response happened, or when a `reported` trigger was recorded.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::timestamp::serialize_some"
    )]
    pub responded_at: Option<DateTime<FixedOffset>>,
    /// Minutes after the deadline (`late` rows).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_minutes: Option<i64>,
    /// The first day the state did not hold (hold duties).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_gap: Option<NaiveDate>,
    /// Violations that gave a finding (consequences of another rule's violation).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub violations: Vec<Violation>,
}

/// A failing row of another rule, cited as a cause.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Violation {
    /// Rule id.
    pub rule: String,
    /// Period label of the failing row.
    pub period: String,
    /// Its status (`violated`, `late` or `missing`).
    pub status: Status,
}

/// Where a rule comes from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citation {
    /// Article numbers.
    pub articles: Vec<u64>,
    /// Quoted sentence.
    pub quote: Option<String>,
}

/// The share of subjects covered by a coverage rule in one period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CoverageRow {
    /// Rule id.
    pub rule: String,
    /// Period.
    pub period: PeriodRef,
    /// Subjects whose row is `met`.
    pub covered: u64,
    /// Subjects the rule applies to (neither exempt nor not applicable).
    pub total: u64,
    /// `covered / total`, `null` when `total` is 0.
    pub ratio: Option<f64>,
    /// Ids of the subjects counted in `total` whose row is not `met`.
    pub uncovered: Vec<String>,
}

/// A finding given to a subject over a period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingRow {
    /// Finding name.
    pub finding: String,
    /// Who has it.
    pub subject: SubjectRef,
    /// Over which period.
    pub period: PeriodRef,
    /// What gave it.
    pub because: Because,
}

/// What gave a finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Because {
    /// The consequence rule.
    pub rule: String,
    /// Trigger events.
    pub events: Vec<String>,
    /// Failing rows of the rule named by `when violated`.
    pub violations: Vec<Violation>,
}

/// Number of rows per status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusCounts {
    /// `met`.
    pub met: u64,
    /// `violated`.
    pub violated: u64,
    /// `open`.
    pub open: u64,
    /// `not_applicable`.
    pub not_applicable: u64,
    /// `exempt`.
    pub exempt: u64,
    /// `late`.
    pub late: u64,
    /// `missing`.
    pub missing: u64,
}

impl StatusCounts {
    /// Counts one more row of `status`.
    pub fn add(&mut self, status: Status) {
        *self.get_mut(status) += 1;
    }

    /// The count of `status`.
    pub fn get(&self, status: Status) -> u64 {
        match status {
            Status::Met => self.met,
            Status::Violated => self.violated,
            Status::Open => self.open,
            Status::NotApplicable => self.not_applicable,
            Status::Exempt => self.exempt,
            Status::Late => self.late,
            Status::Missing => self.missing,
        }
    }

    fn get_mut(&mut self, status: Status) -> &mut u64 {
        match status {
            Status::Met => &mut self.met,
            Status::Violated => &mut self.violated,
            Status::Open => &mut self.open,
            Status::NotApplicable => &mut self.not_applicable,
            Status::Exempt => &mut self.exempt,
            Status::Late => &mut self.late,
            Status::Missing => &mut self.missing,
        }
    }

    /// Adds the counts of `other`.
    pub fn merge(&mut self, other: &StatusCounts) {
        for status in Status::ALL {
            *self.get_mut(status) += other.get(status);
        }
    }

    /// Rows that failed (violated, late or missing).
    pub fn failures(&self) -> u64 {
        self.violated + self.late + self.missing
    }

    /// All rows.
    pub fn total(&self) -> u64 {
        Status::ALL.iter().map(|&s| self.get(s)).sum()
    }
}

/// Status counts by rule, subject and responsible unit.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// All rows.
    pub total: StatusCounts,
    /// By rule id, in plan order.
    pub by_rule: IndexMap<String, StatusCounts>,
    /// By subject id, sorted by id.
    pub by_subject: IndexMap<String, StatusCounts>,
    /// By lead or cooperating unit name, sorted by name: the failures of the rules it answers for.
    pub by_unit: IndexMap<String, UnitSummary>,
}

/// The failures a responsible unit answers for.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitSummary {
    /// Rules it leads, in plan order.
    pub lead: Vec<String>,
    /// Rules it cooperates on, in plan order.
    pub cooperating: Vec<String>,
    /// `violated` rows of those rules.
    pub violated: u64,
    /// `late` rows of those rules.
    pub late: u64,
    /// `missing` rows of those rules.
    pub missing: u64,
}

/// What happened to the input events. `events_read = events_used + events_unmatched +
/// events_ignored`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inputs {
    /// Events given to the evaluator.
    pub events_read: u64,
    /// Events that matched at least one pattern of the plan.
    pub events_used: u64,
    /// Valid events that matched no pattern.
    pub events_unmatched: u64,
    /// Events set aside (see `ignored_by_reason`).
    pub events_ignored: u64,
    /// Ignored events by reason: `unknown_kind`, `unknown_actor`, `unknown_target`,
    /// `out_of_range`, `after_as_of`.
    pub ignored_by_reason: BTreeMap<String, Ignored>,
    /// Lines the reader skipped in lenient mode (filled by the caller).
    pub skipped_lines: u64,
}

/// Events ignored for one reason.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ignored {
    /// How many.
    pub count: u64,
    /// The first few ids (earliest by time, then id).
    pub examples: Vec<String>,
}
