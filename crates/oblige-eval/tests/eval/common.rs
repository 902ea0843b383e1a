//! Builders for hand-made plans, registries and events in evaluator tests.

use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use indexmap::IndexMap;
use oblige_check::model::*;
use oblige_data::{Event, EventOrigin, Registry, Unit};
use oblige_eval::{EvalOptions, Evaluator};
use oblige_report::model::{Report, ResultRow, Status};

pub fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// `2023-07-01T00:00:00+08:00` or `...Z` to UTC.
pub fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().to_utc()
}

/// Declarations shared by the scenario plans written as text.
pub const DECLS: &str = r#"
plan "测试计划" { effective 2023-01-01..2023-12-31 timezone "Asia/Shanghai" source "test" }
enum 等级 { 一般, 较大, 重大 }
class 县 { }
class 行业 { }
class 部门 { }
class 港口 { }
class 企业 { 行业: ref 行业, 规上: bool, 设立: date }
event 检查 { 方式: text }
event 会议 { }
event 事故 { 等级: 等级 }
event 报告 { 事故编号: text }
event 任命 { }
event 免职 { }
event 许可 { 起: date, 止: date }
event 通报 { }
window 安全月 = 2023-06-01..2023-06-30
calendar 法定 { holidays 2023-04-29..2023-05-03 workdays 2023-05-06 }
state 在岗 = from 任命 until 免职
state 持证 = valid 许可 from 起 to 止
finding 被通报
finding 发生事故
"#;

/// The plan of [`DECLS`] followed by `rules`, parsed and checked.
pub fn plan_text(rules: &str) -> Plan {
    let loader: oblige_syntax::MapLoader = [("plan.rule", format!("{DECLS}{rules}"))]
        .into_iter()
        .collect();
    let loaded = oblige_syntax::load_with(&loader, Path::new("plan.rule"));
    let checked = oblige_check::check(loaded.sources, &loaded.units);
    let messages: Vec<String> = loaded
        .diagnostics
        .iter()
        .chain(&checked.diagnostics)
        .map(|d| format!("{:?} {:?} {}", d.severity, d.code, d.message))
        .collect();
    checked.plan.unwrap_or_else(|| panic!("{messages:#?}"))
}

pub fn header(from: &str, to: &str) -> Header {
    Header {
        title: "测试计划".into(),
        issuer: None,
        issued: None,
        effective_start: d(from),
        effective_end: d(to),
        timezone: chrono_tz::Asia::Shanghai,
        source: Some("test".into()),
    }
}

/// A plan over 2023 with classes `县`, `企业`, `部门` and event kinds `检查`, `会议`, `事故`,
/// `报告`, `任命`, `免职`, `许可`.
pub fn plan(rules: Vec<Rule>) -> Plan {
    let mut classes = IndexMap::new();
    for class in ["县", "企业", "部门", "行业"] {
        classes.insert(class.to_string(), Attrs::new());
    }
    classes["企业"].insert("行业".into(), AttrType::Ref("行业".into()));
    classes["企业"].insert("规上".into(), AttrType::Bool);
    let mut events = IndexMap::new();
    for kind in [
        "检查", "会议", "事故", "报告", "任命", "免职", "许可", "通报",
    ] {
        events.insert(kind.to_string(), Attrs::new());
    }
    events["事故"].insert("等级".into(), AttrType::Enum("等级".into()));
    events["报告"].insert("事故编号".into(), AttrType::Text);
    events["检查"].insert("方式".into(), AttrType::Text);
    events["许可"].insert("起".into(), AttrType::Date);
    events["许可"].insert("止".into(), AttrType::Date);
    let mut enums = IndexMap::new();
    enums.insert(
        "等级".to_string(),
        vec!["一般".to_string(), "较大".into(), "重大".into()],
    );
    Plan {
        sources: Default::default(),
        header: header("2023-01-01", "2023-12-31"),
        enums,
        classes,
        events,
        windows: IndexMap::new(),
        calendar: None,
        params: IndexMap::new(),
        findings: IndexMap::new(),
        states: IndexMap::new(),
        rules,
    }
}

pub fn rule(id: &str, class: &str, duty: Duty) -> Rule {
    Rule {
        id: id.into(),
        meta: RuleMeta {
            title: Some(format!("{id} title")),
            articles: vec![1],
            lead: vec!["应急局".into()],
            ..RuleMeta::default()
        },
        subject: Subject {
            class: class.into(),
            filter: None,
            coverage: false,
        },
        exemptions: Vec::new(),
        duty,
        span: Default::default(),
    }
}

pub fn pattern(kind: &str) -> Pattern {
    Pattern {
        kind: kind.into(),
        filter: None,
        to_subject: false,
        by: Actor::Subject,
    }
}

pub fn count(cmp: CountCmp, amount: u64, kind: &str, period: Period) -> Duty {
    Duty::Count {
        cmp,
        amount,
        events: pattern(kind),
        period,
    }
}

pub fn attr(who: Who, name: &str) -> Value {
    Value::Attr(who, name.into())
}

pub fn text(s: &str) -> Value {
    Value::Lit(Lit::Text(s.into()))
}

pub fn eq(a: Value, b: Value) -> Pred {
    Pred::Compare(a, CmpOp::Eq, b)
}

pub fn unit(id: &str, class: &str) -> Unit {
    Unit {
        id: id.into(),
        name: format!("{id}名"),
        classes: vec![class.into()],
        parent: None,
        active_from: None,
        active_to: None,
        attrs: Default::default(),
    }
}

pub fn registry(units: Vec<Unit>) -> Registry {
    Registry::from_units(units).unwrap()
}

pub fn event(id: &str, time: &str, kind: &str, actor: &str) -> Event {
    Event {
        id: id.into(),
        origin: EventOrigin {
            file: "test".into(),
            line: 1,
        },
        time: t(time),
        kind: kind.into(),
        actor: actor.into(),
        target: None,
        recorded_at: None,
        attrs: IndexMap::new(),
    }
}

pub fn with_attr(mut e: Event, name: &str, value: Lit) -> Event {
    e.attrs.insert(name.into(), value);
    e
}

pub fn run(plan: &Plan, registry: &Registry, options: EvalOptions, events: &[Event]) -> Report {
    let mut eval = Evaluator::new(plan, registry, options);
    eval.extend(events);
    eval.report()
}

pub fn as_of(s: &str) -> EvalOptions {
    EvalOptions {
        as_of: Some(t(s)),
        ..EvalOptions::default()
    }
}

/// The row of `rule` for `subject` in the period labelled `label`.
pub fn find<'r>(report: &'r Report, rule: &str, subject: &str, label: &str) -> &'r ResultRow {
    report
        .results
        .iter()
        .find(|r| r.rule == rule && r.subject.id == subject && r.period.label == label)
        .unwrap_or_else(|| panic!("no row {rule} {subject} {label} in {:#?}", labels(report)))
}

pub fn status(report: &Report, rule: &str, subject: &str, label: &str) -> Status {
    find(report, rule, subject, label).status
}

pub fn labels(report: &Report) -> Vec<String> {
    report
        .results
        .iter()
        .map(|r| {
            format!(
                "{} {} {} {:?}",
                r.rule, r.subject.id, r.period.label, r.status
            )
        })
        .collect()
}

/// Rows name their rule by id only, so a row whose rule the plan does not describe would lose its
/// title, citation, severity and responsible units in every output.
pub fn assert_every_row_has_its_rule(report: &Report) {
    let rules = report.plan.rule_index();
    assert_eq!(
        report.plan.rules.len(),
        report
            .plan
            .rules
            .iter()
            .map(|r| r.id.as_str())
            .collect::<std::collections::HashSet<_>>()
            .len(),
        "a rule is described twice"
    );
    for row in &report.results {
        let Some(rule) = rules.get(&row.rule) else {
            panic!("rule `{}` of a row is not in plan.rules", row.rule);
        };
        assert_eq!(rule.duty, row.duty, "{}", row.rule);
    }
}
