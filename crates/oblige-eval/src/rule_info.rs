//! The plan's rules as the report lists them once, with everything a reader of a verdict may
//! want to know about the rule behind it: citation, responsible units, severity, weight, docs.

use oblige_check::model::{Duty, Rule, Severity as CheckSeverity};
use oblige_report::model::{Citation, DutyKind, RuleInfo, Severity};

/// The report's description of `rule`.
pub fn rule_info(rule: &Rule) -> RuleInfo {
    RuleInfo {
        id: rule.id.clone(),
        title: rule.meta.title.clone(),
        duty: duty_kind(rule),
        citation: Citation {
            articles: rule.meta.articles.clone(),
            quote: rule.meta.quote.clone(),
        },
        severity: rule.meta.severity.map(severity),
        weight: rule.meta.weight,
        lead: rule.meta.lead.clone(),
        cooperating: rule.meta.cooperating.clone(),
        docs: rule.meta.docs.clone(),
    }
}

/// What kind of duty `rule` states, as its rows name it.
fn duty_kind(rule: &Rule) -> DutyKind {
    match rule.duty {
        Duty::Count { .. } if rule.subject.coverage => DutyKind::Coverage,
        Duty::Count { .. } => DutyKind::Count,
        Duty::Response { .. } => DutyKind::Response,
        Duty::Hold { .. } => DutyKind::Hold,
        Duty::Consequence { .. } => DutyKind::Consequence,
    }
}

fn severity(s: CheckSeverity) -> Severity {
    match s {
        CheckSeverity::Low => Severity::Low,
        CheckSeverity::Medium => Severity::Medium,
        CheckSeverity::High => Severity::High,
        CheckSeverity::Critical => Severity::Critical,
    }
}
