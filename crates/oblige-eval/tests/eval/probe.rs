use std::path::Path;

const DECLS: &str = r#"
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
calendar c2023 { holidays 2023-04-29..2023-05-03 workdays 2023-05-06 }
state 在岗 = from 任命 until 免职
state 持证 = valid 许可 from 起 to 止
finding 被通报
"#;

const RULES: &str = r#"
rule a { article 1 for each 企业 exempt where subject.设立 > period.start because "新设" require at least 1 检查 per quarter }
rule b { article 1 for each 县 exempt during 2023-04-29..2023-05-03 because "假期" require at least 1 检查 per month }
rule c { article 1 cover each 行业 require at least 1 检查 where target.行业 = subject.id by anyone per year }
rule d { article 1 for each 企业 where 规上 = true require at least 1 检查 to subject by actor where actor is 部门 per year }
rule e { article 1 for each 县 require at least 1 检查 by actor where actor under subject per year }
rule f { article 1 for each 县 require at least 1 会议 per 安全月 }
rule g { article 1 for each 县 forbid 事故 per year }
rule h { article 1 for each 企业 when 事故
    if trigger.等级 in [重大] require 通报 within 60 minutes
    if trigger.等级 = 较大 require 报告 where 事故编号 = trigger.id within 2 hours
    require 报告 within 3 working days }
rule i { article 1 for each 企业 when 事故 require reported within 1 hour }
rule j { article 1 for each 企业 require hold 在岗 per quarter }
rule k { article 1 for each 企业 require hold 持证 on 2023-06-30 }
rule l { article 1 for each 县 where has finding 被通报 require at least 1 会议 per quarter }
rule m { article 1 for each 县 when violated g then finding 被通报 over year }
rule n { article 1 for each 港口 exempt where period.start < 2023-05-11 because "x" require exactly 2 检查 per half-year }
"#;

#[test]
fn probe() {
    let loader: oblige_syntax::MapLoader = [("plan.rule", format!("{DECLS}{RULES}"))].into_iter().collect();
    let loaded = oblige_syntax::load_with(&loader, Path::new("plan.rule"));
    for d in &loaded.diagnostics { eprintln!("SYNTAX {:?} {}", d.code, d.message); }
    let checked = oblige_check::check(loaded.sources, &loaded.units);
    for d in &checked.diagnostics { eprintln!("CHECK {:?} {:?} {}", d.severity, d.code, d.message); }
    assert!(checked.plan.is_some());
}
