//! Evaluation options: the evaluated range, the as-of instant, evidence limits and threads.

use chrono::{DateTime, NaiveDate, Utc};

/// How to evaluate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvalOptions {
    /// First evaluated day (default: the plan's effective start).
    pub from: Option<NaiveDate>,
    /// Last evaluated day (default: the plan's effective end).
    pub to: Option<NaiveDate>,
    /// The instant the report describes (default: local midnight after the last evaluated day,
    /// so every period of the range is closed). Events after it are ignored.
    pub as_of: Option<DateTime<Utc>>,
    /// An open row whose period or deadline ends within this many days of `as_of` is at risk.
    pub at_risk_horizon_days: u32,
    /// How many event ids a row lists as evidence.
    pub evidence_limit: usize,
    /// Threads the evaluator may use to derive what it needs from the plan and registry (the
    /// units each subject filter holds for, attribute indexes): worth it at hundreds of
    /// thousands of units. 1: the caller's thread only.
    pub threads: usize,
}

impl Default for EvalOptions {
    fn default() -> Self {
        EvalOptions {
            from: None,
            to: None,
            as_of: None,
            at_risk_horizon_days: 14,
            evidence_limit: 20,
            threads: 1,
        }
    }
}
