//! The text of `oblige explain`, in English or Chinese.

use crate::verdicts::count_text;
use oblige::model::Rule;
use oblige::{ResultRow, Status};
use std::fmt::Write as _;

/// The phrases of one explanation language.
pub struct Words {
    rule: &'static str,
    article: &'static str,
    lead: &'static str,
    cooperating: &'static str,
    subject: &'static str,
    found: &'static str,
    elsewhere: &'static str,
    none_elsewhere: &'static str,
    trigger: &'static str,
    deadline: &'static str,
    answered: &'static str,
    late_by: &'static str,
    after_trigger: &'static str,
    /// Puts a duration and its phrase in the language's order.
    phrase: fn(&str, &str) -> String,
    no_answer: &'static str,
    first_gap: &'static str,
    exempt: &'static str,
    at_risk: &'static str,
    more: &'static str,
    because: &'static str,
}

impl Words {
    /// English.
    pub const EN: Words = Words {
        rule: "rule",
        article: "article",
        lead: "lead",
        cooperating: "cooperating",
        subject: "subject",
        found: "events counted",
        elsewhere: "matching events found in other periods",
        none_elsewhere: "no matching event in any period",
        trigger: "trigger",
        deadline: "deadline",
        answered: "answered by",
        late_by: "after the deadline",
        after_trigger: "after the trigger",
        phrase: |words, duration| format!("{duration} {words}"),
        no_answer: "no response found",
        first_gap: "first day not covered",
        exempt: "exempt",
        at_risk: "at risk: the period closes soon and the count is still short",
        more: "more",
        because: "given because of",
    };

    /// Chinese.
    pub const ZH: Words = Words {
        rule: "规则",
        article: "条款",
        lead: "牵头",
        cooperating: "会同",
        subject: "主体",
        found: "计入的事件",
        elsewhere: "其他期间找到的相符事件",
        none_elsewhere: "任何期间均未找到相符事件",
        trigger: "触发事件",
        deadline: "时限",
        answered: "响应事件",
        late_by: "超过时限",
        after_trigger: "距触发",
        phrase: |words, duration| format!("{words} {duration}"),
        no_answer: "未找到响应",
        first_gap: "首个未覆盖日",
        exempt: "豁免",
        at_risk: "风险提示：本期即将结束，次数仍不足",
        more: "另有",
        because: "认定依据",
    };
}

/// Explains `chosen` rows of `rule`; `all` holds every row of the rule and subject, for context.
pub fn explain(rule: &Rule, all: &[&ResultRow], chosen: &[&ResultRow], w: &Words) -> String {
    let mut out = String::new();
    write_rule(&mut out, rule, w);
    if let Some(first) = chosen.first() {
        let _ = writeln!(
            out,
            "{}: {} ({})\n",
            w.subject, first.subject.id, first.subject.name
        );
    }
    for row in chosen {
        write_row(&mut out, row, all, w);
    }
    out
}

fn write_rule(out: &mut String, rule: &Rule, w: &Words) {
    let title = rule.meta.title.as_deref().unwrap_or_default();
    let _ = writeln!(out, "{} {} {title}", w.rule, rule.id);
    for doc in &rule.meta.docs {
        let _ = writeln!(out, "  {doc}");
    }
    if !rule.meta.articles.is_empty() {
        let articles: Vec<String> = rule.meta.articles.iter().map(u64::to_string).collect();
        let quote = rule.meta.quote.as_deref().unwrap_or_default();
        let _ = writeln!(out, "  {} {}: “{quote}”", w.article, articles.join(", "));
    }
    if !rule.meta.lead.is_empty() {
        let _ = writeln!(out, "  {}: {}", w.lead, rule.meta.lead.join("、"));
    }
    if !rule.meta.cooperating.is_empty() {
        let _ = writeln!(
            out,
            "  {}: {}",
            w.cooperating,
            rule.meta.cooperating.join("、")
        );
    }
}

fn write_row(out: &mut String, row: &ResultRow, all: &[&ResultRow], w: &Words) {
    let p = &row.period;
    let count = match (&row.evidence.trigger, &row.required) {
        (Some(_), None) => String::new(),
        _ => format!(" — {}", count_text(row.count, row.required.as_ref())),
    };
    let _ = writeln!(
        out,
        "{} ({} .. {}): {}{count}",
        p.label,
        p.start.format("%Y-%m-%d %H:%M"),
        p.end.format("%Y-%m-%d %H:%M"),
        row.status.as_str(),
    );
    if let Some(reason) = &row.exemption {
        let _ = writeln!(out, "  {}: {reason}", w.exempt);
    }
    if row.at_risk {
        let _ = writeln!(out, "  {}", w.at_risk);
    }
    write_evidence(out, row, w);
    if row.count == 0 && row.status == Status::Violated && row.evidence.trigger.is_none() {
        write_elsewhere(out, row, all, w);
    }
    out.push('\n');
}

fn write_evidence(out: &mut String, row: &ResultRow, w: &Words) {
    let e = &row.evidence;
    if !e.events.is_empty() {
        let more = if e.truncated > 0 {
            format!(" (+{} {})", e.truncated, w.more)
        } else {
            String::new()
        };
        let _ = writeln!(out, "  {}: {}{more}", w.found, e.events.join(", "));
    }
    if let Some(trigger) = &e.trigger {
        let deadline = e
            .deadline
            .map(|d| d.format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {}: {trigger}; {}: {deadline}",
            w.trigger, w.deadline
        );
        match (&e.response, e.responded_at) {
            (response, Some(at)) => {
                let by = response.as_deref().unwrap_or(trigger.as_str());
                let after = (at - row.period.start).num_minutes();
                let allowed = (row.period.end - row.period.start).num_minutes();
                let _ = write!(
                    out,
                    "  {}: {by} @ {}, {} ({} {})",
                    w.answered,
                    at.format("%Y-%m-%d %H:%M"),
                    (w.phrase)(w.after_trigger, &duration_text(after)),
                    w.deadline,
                    duration_text(allowed)
                );
                if let Some(delay) = e.delay_minutes {
                    let _ = write!(out, "; {}", (w.phrase)(w.late_by, &duration_text(delay)));
                }
                out.push('\n');
            }
            (_, None) if row.status == Status::Missing => {
                let _ = writeln!(out, "  {}", w.no_answer);
            }
            _ => {}
        }
    }
    if let Some(day) = e.first_gap {
        let _ = writeln!(out, "  {}: {day}", w.first_gap);
    }
    for v in &e.violations {
        let _ = writeln!(
            out,
            "  {}: {} {} ({})",
            w.because,
            v.rule,
            v.period,
            v.status.as_str()
        );
    }
}

fn write_elsewhere(out: &mut String, row: &ResultRow, all: &[&ResultRow], w: &Words) {
    let others: Vec<String> = all
        .iter()
        .filter(|r| r.period.label != row.period.label && r.count > 0)
        .map(|r| format!("{} ({})", r.period.label, r.count))
        .collect();
    if others.is_empty() {
        let _ = writeln!(out, "  {}", w.none_elsewhere);
    } else {
        let _ = writeln!(out, "  {}: {}", w.elsewhere, others.join(", "));
    }
}

/// `2 h 10 min`, `45 min`, `3 d 2 h`.
fn duration_text(minutes: i64) -> String {
    let (d, h, m) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    match (d, h, m) {
        (0, 0, m) => format!("{m} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, m) => format!("{h} h {m} min"),
        (d, 0, _) => format!("{d} d"),
        (d, h, _) => format!("{d} d {h} h"),
    }
}
