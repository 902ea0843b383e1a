//! The units each rule's registry-only subject filter holds for, found once when the evaluator
//! is set up (see [`super::RuleSetup::concerned`]).
//!
//! Many rules share a class and a filter, so each distinct pair is evaluated once and its set
//! handed to every rule that has it. Units are visited once for all the filters of their class,
//! so that a unit's attributes are read from memory once rather than once per filter, and the
//! members of a class are shared out between threads.

use chrono::NaiveDate;
use fixedbitset::FixedBitSet;
use oblige_check::model::{Pred, Rule};
use oblige_data::Registry;

use super::{over_members, Members};
use crate::pred::{reads_period, Ctx, Findings, Resolved, Slots};

/// A distinct subject filter: the class it ranges over and the predicate.
type Filter<'p> = (&'p str, &'p Pred);

/// Per rule, in the order of `rules`, the members of its class its subject filter holds for, if
/// that filter reads only the registry.
pub(super) fn concerned(
    registry: &Registry,
    rules: &[Rule],
    (members, threads): (&Members, usize),
) -> Vec<Option<FixedBitSet>> {
    let mut filters: Vec<Filter<'_>> = Vec::new();
    let which: Vec<Option<usize>> = rules
        .iter()
        .map(|rule| Some(distinct(&mut filters, registry_filter(rule)?)))
        .collect();
    let mut sets = vec![FixedBitSet::with_capacity(registry.units().len()); filters.len()];
    let mut classes: Vec<&str> = filters.iter().map(|(class, _)| *class).collect();
    classes.sort_unstable();
    classes.dedup();
    for class in classes {
        let members = members.get(class).map_or(&[][..], Vec::as_slice);
        evaluate(registry, (class, members, threads), &filters, &mut sets);
    }
    which
        .into_iter()
        .map(|i| i.and_then(|i| sets.get(i).cloned()))
        .collect()
}

/// Adds to `sets` the members of `class` each of the filters of that class holds for.
fn evaluate(
    registry: &Registry,
    (class, members, threads): (&str, &[usize], usize),
    filters: &[Filter<'_>],
    sets: &mut [FixedBitSet],
) {
    let of_class: Vec<usize> = (0..filters.len())
        .filter(|&i| filters.get(i).is_some_and(|(c, _)| *c == class))
        .collect();
    let mut slots = Slots::default();
    let preds: Vec<Resolved<'_>> = (of_class.iter())
        .filter_map(|&i| filters.get(i))
        .map(|(_, pred)| Resolved::new(pred, &mut slots))
        .collect();
    let work = |part: &[usize]| holding(registry, part, &preds, slots.clone());
    over_members((members, threads), work, |part| {
        for (&i, positions) in of_class.iter().zip(part) {
            if let Some(set) = sets.get_mut(i) {
                set.extend(positions);
            }
        }
    });
}

/// The rule's class and subject filter, if it has one that reads only the registry.
fn registry_filter(rule: &Rule) -> Option<Filter<'_>> {
    let filter = rule.subject.filter.as_ref().filter(|f| !reads_period(f))?;
    Some((rule.subject.class.as_str(), filter))
}

/// The position of `filter` in `filters`, added if it is new.
fn distinct<'p>(filters: &mut Vec<Filter<'p>>, filter: Filter<'p>) -> usize {
    filters
        .iter()
        .position(|f| *f == filter)
        .unwrap_or_else(|| {
            filters.push(filter);
            filters.len() - 1
        })
}

/// For each of `preds`, the units at `positions` it holds for.
fn holding(
    registry: &Registry,
    positions: &[usize],
    preds: &[Resolved<'_>],
    mut slots: Slots<'_>,
) -> Vec<Vec<usize>> {
    let no_findings = Findings::default();
    // The filters read no period: any will do.
    let any_day = (NaiveDate::MIN, NaiveDate::MIN);
    let mut found = vec![Vec::new(); preds.len()];
    let mut vals = Vec::new();
    for &p in positions {
        let Some(unit) = registry.units().get(p) else {
            continue;
        };
        slots.read(unit, &mut vals);
        let ctx = Ctx::for_subject(registry, unit, any_day, &no_findings);
        for (pred, found) in preds.iter().zip(&mut found) {
            if pred.holds(&ctx, &vals) {
                found.push(p);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::EvalOptions;
    use crate::pred::unit_val;
    use crate::setup::Setup;
    use oblige_check::model::{Lit, Plan};
    use oblige_data::Unit;
    use std::collections::HashMap;
    use std::path::Path;

    const PLAN: &str = r#"
plan "测试计划" { effective 2023-01-01..2023-12-31 timezone "Asia/Shanghai" source "test" }
enum 等级 { 一般, 较大, 重大 }
class 县 { 化工: bool }
class 企业 { 等级: 等级, 规上: bool, 人数: int, 所属: ref 县, 备注: text }
event 检查 { 级别: 等级 }
finding 被通报
rule a { article 1 for each 企业 where 规上 require at least 1 检查 by actor where actor.id = subject.所属 per year }
rule b { article 1 for each 企业 where 规上 require at least 1 检查 where subject.等级 = 级别 by anyone per year }
rule c { article 1 for each 企业 where 等级 in [较大, 重大] or not 规上 require at least 1 检查 to subject per year }
rule d { article 1 for each 企业 where 人数 >= 50 and 备注 != "停产" require at least 1 检查 to subject per year }
rule e { article 1 for each 企业 where parent = "c1" or id = "q00007" or name = "企业9" require at least 1 检查 to subject per year }
rule f { article 1 for each 县 where 化工 require at least 1 检查 to subject per year }
rule g { article 1 for each 企业 where has finding 被通报 require at least 1 检查 to subject per year }
rule h { article 1 for each 企业 where 规上 = true require at least 1 检查 to subject per year }
rule i { article 1 for each 县 where not 化工 require at least 1 检查 to subject per year }
"#;

    fn plan() -> Plan {
        let loader: oblige_syntax::MapLoader =
            [("plan.rule", PLAN.to_owned())].into_iter().collect();
        let loaded = oblige_syntax::load_with(&loader, Path::new("plan.rule"));
        let checked = oblige_check::check(loaded.sources, &loaded.units);
        let messages: Vec<String> = (loaded.diagnostics.iter())
            .chain(&checked.diagnostics)
            .map(|d| d.message.clone())
            .collect();
        checked.plan.unwrap_or_else(|| panic!("{messages:#?}"))
    }

    /// More enterprises than one thread's share, with attributes missing, in varying order and
    /// named by strings of their own, so that slots are often not where the last unit had them.
    fn registry() -> Registry {
        let counties = (0..3).map(|c| {
            let county = Unit::builder(format!("c{c}")).class("县");
            match c {
                0 => county.build(),
                _ => county.attr("化工", Lit::Bool(c == 1)).build(),
            }
        });
        let enterprises = (0..40_000).map(|i| {
            let levels = ["一般", "较大", "重大"];
            let mut attrs = vec![
                ("所属", Lit::Text(format!("c{}", i % 3).into())),
                ("人数", Lit::Int(i % 97)),
                ("规上", Lit::Bool(i % 5 < 2)),
                ("等级", Lit::Enum(levels[i as usize % 3].into())),
                ("备注", Lit::Text(["停产", "在产"][i as usize % 2].into())),
            ];
            attrs.truncate(5 - (i as usize % 4) % 3);
            if i % 7 == 0 {
                attrs.reverse();
            }
            let unit = Unit::builder(format!("q{i:05}"))
                .name(format!("企业{i}"))
                .class("企业")
                .parent(format!("c{}", i % 3));
            attrs
                .into_iter()
                .fold(unit, |unit, (name, value)| unit.attr(name, value))
                .build()
        });
        Registry::from_units(counties.chain(enterprises).collect()).unwrap()
    }

    fn one_by_one(registry: &Registry, class: &str, filter: &Pred) -> FixedBitSet {
        let mut set = FixedBitSet::with_capacity(registry.units().len());
        let (none, day) = (Findings::default(), (NaiveDate::MIN, NaiveDate::MIN));
        for (i, unit) in registry.units().iter().enumerate() {
            if unit.classes.iter().any(|c| c == class)
                && Ctx::for_subject(registry, unit, day, &none).eval(filter)
            {
                set.insert(i);
            }
        }
        set
    }

    #[test]
    fn each_rule_gets_the_units_its_own_filter_holds_for() {
        let (plan, registry) = (plan(), registry());
        let setup = Setup::new(&plan, &registry, EvalOptions::default());
        for (rule, derived) in plan.rules.iter().zip(&setup.rules) {
            let expected = (rule.subject.filter.as_ref())
                .filter(|f| !reads_period(f))
                .map(|f| one_by_one(&registry, &rule.subject.class, f));
            assert_eq!(derived.concerned, expected, "rule {}", rule.id);
        }
        let held = |id: &str| setup.concerned(id).map_or(0, |s| s.count_ones(..));
        assert!(
            held("a") > 0 && held("a") < 40_000,
            "a filter that holds for some"
        );
        assert_eq!(held("a"), held("h"));
        assert!(
            setup.concerned("g").is_none(),
            "findings are given over periods"
        );
    }

    #[test]
    fn attribute_indexes_list_the_members_by_value_in_order() {
        let (plan, registry) = (plan(), registry());
        let setup = Setup::new(&plan, &registry, EvalOptions::default());
        let indexed = setup.attr_index.get("企业").unwrap();
        assert_eq!(indexed.len(), 2, "所属 and 等级");
        for (attr, by_value) in indexed {
            let mut expected: HashMap<Lit, Vec<usize>> = HashMap::new();
            for &m in setup.members("企业") {
                if let Some(value) = unit_val(&registry.units()[m], attr) {
                    expected.entry(value.to_lit()).or_default().push(m);
                }
            }
            assert_eq!(by_value, &expected, "{attr}");
        }
    }
}
