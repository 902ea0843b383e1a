//! Registry reading: one test per error kind, and a file with many errors.

use super::*;
use crate::test_plan::plan;
use chrono::NaiveDate;
use oblige_check::model::Lit;

const HEADER: &str =
    "id,name,class,parent,active_from,active_to,人口,风险等级,所属乡镇,成立日期,重点,备注";

fn csv(rows: &[&str]) -> Result<Registry, Vec<String>> {
    let text = std::iter::once(HEADER)
        .chain(rows.iter().copied())
        .collect::<Vec<_>>()
        .join("\n");
    read_registry(text.as_bytes(), Format::Csv, "units.csv", &plan()).map_err(messages)
}

fn messages(errors: Vec<DataError>) -> Vec<String> {
    errors.iter().map(ToString::to_string).collect()
}

fn csv_errors(rows: &[&str]) -> Vec<String> {
    csv(rows).err().unwrap_or_default()
}

fn jsonl(lines: &[&str]) -> Result<Registry, Vec<String>> {
    read_registry(
        lines.join("\n").as_bytes(),
        Format::JsonLines,
        "units.jsonl",
        &plan(),
    )
    .map_err(messages)
}

#[test]
fn reads_typed_units_sorted_by_id() {
    let registry = csv(&[
        "q2,二号企业,企业,t1,2023-03-01,,,高,t1,2010-05-04,true,\"化工, 重点\"",
        "c1,某县,县,,,,,,,,,",
        "t1,城关镇,乡镇;县,c1,,2023-09-30,12000,,,,,",
        "q1,,企业,t1,,,,,,,,",
    ])
    .unwrap();
    let ids: Vec<&str> = registry.units().iter().map(|u| u.id.as_str()).collect();
    assert_eq!(ids, ["c1", "q1", "q2", "t1"]);
    let q2 = registry.get("q2").unwrap();
    assert_eq!(q2.attrs.get("风险等级"), Some(&Lit::Enum("高".into())));
    assert_eq!(q2.attrs.get("所属乡镇"), Some(&Lit::Text("t1".into())));
    assert_eq!(
        q2.attrs.get("成立日期"),
        Some(&Lit::Date(NaiveDate::from_ymd_opt(2010, 5, 4).unwrap()))
    );
    assert_eq!(q2.attrs.get("重点"), Some(&Lit::Bool(true)));
    assert_eq!(q2.attrs.get("备注"), Some(&Lit::Text("化工, 重点".into())));
    assert_eq!(q2.active_from, NaiveDate::from_ymd_opt(2023, 3, 1));
    let t1 = registry.get("t1").unwrap();
    assert_eq!(t1.classes, ["乡镇", "县"]);
    assert_eq!(t1.attrs.get("人口"), Some(&Lit::Int(12000)));
    assert_eq!(
        registry.get("q1").unwrap().name,
        "q1",
        "name defaults to the id"
    );
    assert!(
        registry.get("q1").unwrap().attrs.is_empty(),
        "empty cells are absent"
    );
    assert!(registry.is_under("q2", "c1"));
}

#[test]
fn unknown_class_suggests_a_close_one() {
    assert_eq!(
        csv_errors(&["q1,甲,企亚,,,,,,,,,"]),
        ["units.csv:2: field `class`: unknown class `企亚`, did you mean `企业`?"]
    );
}

#[test]
fn duplicate_id_names_the_first_line() {
    assert_eq!(
        csv_errors(&[
            "c1,甲,县,,,,,,,,,",
            "c2,乙,县,,,,,,,,,",
            "c1,丙,县,,,,,,,,,"
        ]),
        ["units.csv:4: field `id`: duplicate unit id `c1` (first on line 2)"]
    );
}

#[test]
fn missing_parent() {
    assert_eq!(
        csv_errors(&["t1,甲,乡镇,c9,,,,,,,,"]),
        ["units.csv:2: field `parent`: parent `c9` is not in the registry"]
    );
}

#[test]
fn parent_cycle_is_reported_once_at_its_first_unit() {
    assert_eq!(
        csv_errors(&[
            "c0,根,县,,,,,,,,,",
            "t2,乙,乡镇,t1,,,,,,,,",
            "t1,甲,乡镇,t3,,,,,,,,",
            "t3,丙,乡镇,t2,,,,,,,,"
        ]),
        ["units.csv:3: field `parent`: parent cycle: `t2` → `t1` → `t3` → `t2`"]
    );
    assert_eq!(
        csv_errors(&["c1,自己,县,c1,,,,,,,,"]),
        ["units.csv:2: field `parent`: parent cycle: `c1` → `c1`"]
    );
}

#[test]
fn wrongly_typed_attributes_say_what_was_expected() {
    assert_eq!(
        csv_errors(&["t1,甲,乡镇,,,,一万,,,,,", "q1,乙,企业,,,,,,,2023-5-4,是,"]),
        [
            "units.csv:2: field `人口`: expected int, found `一万`",
            "units.csv:3: field `成立日期`: expected date (`YYYY-MM-DD`), found `2023-5-4`",
            "units.csv:3: field `重点`: expected bool (`true` or `false`), found `是`",
        ]
    );
}

#[test]
fn enum_value_not_in_the_enum() {
    assert_eq!(
        csv_errors(&["q1,甲,企业,,,,,高级,,,,"]),
        ["units.csv:2: field `风险等级`: `高级` is not a value of enum `风险等级`, did you mean `高`?"]
    );
}

#[test]
fn refs_must_name_a_unit_of_the_class() {
    assert_eq!(
        csv_errors(&["c1,县一,县,,,,,,,,,", "q1,甲,企业,,,,,,t9,,,", "q2,乙,企业,,,,,,c1,,,"]),
        [
            "units.csv:3: field `所属乡镇`: `t9` is not in the registry (expected a unit of class `乡镇`)",
            "units.csv:4: field `所属乡镇`: `c1` is a unit of class `县`, not `乡镇`",
        ]
    );
}

#[test]
fn attribute_of_another_class_is_rejected() {
    assert_eq!(
        csv_errors(&["t1,甲,乡镇,,,,100,高,,,,"]),
        ["units.csv:2: field `风险等级`: attribute `风险等级` is not declared by class `乡镇`"]
    );
}

#[test]
fn unknown_column_is_reported_once_at_the_header() {
    let text = "id,class,人囗\nt1,乡镇,5\nt2,乡镇,6\n";
    let errors = read_registry(text.as_bytes(), Format::Csv, "u.csv", &plan()).unwrap_err();
    let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        ["u.csv:1: field `人囗`: unknown column `人囗`: not a built-in field nor an attribute of any class, did you mean `人口`?"]
    );
}

#[test]
fn duplicate_column() {
    let text = "id,class,id\nt1,乡镇,t2\n";
    let errors = read_registry(text.as_bytes(), Format::Csv, "u.csv", &plan()).unwrap_err();
    assert_eq!(
        errors[0].to_string(),
        "u.csv:1: field `id`: column `id` appears twice"
    );
}

#[test]
fn missing_id_and_class() {
    assert_eq!(
        csv_errors(&[",甲,县,,,,,,,,,", "c2,乙,,,,,,,,,,"]),
        [
            "units.csv:2: field `id`: required value is missing",
            "units.csv:3: field `class`: required value is missing",
        ]
    );
}

#[test]
fn active_dates_are_checked() {
    assert_eq!(
        csv_errors(&["c1,甲,县,,2023-13-01,,,,,,,", "c2,乙,县,,2023-06-01,2023-05-01,,,,,,"]),
        [
            "units.csv:2: field `active_from`: expected date (`YYYY-MM-DD`), found `2023-13-01`",
            "units.csv:3: field `active_to`: `active_to` 2023-05-01 is before `active_from` 2023-06-01",
        ]
    );
}

#[test]
fn malformed_csv_record() {
    assert_eq!(
        csv_errors(&["c1,甲,县,,,,,,,,,", "c2,乙,县"]),
        ["units.csv:3: malformed csv: record has 3 fields, the header has 12"]
    );
}

/// Files saved on Windows end lines with CR LF; blank lines are skipped. Either way an error
/// names the line its record is on.
#[test]
fn errors_after_cr_lf_endings_and_blank_lines_name_their_own_line() {
    let text = [
        HEADER,
        "c1,甲,县,,,,,,,,,",
        "",
        "c2,乙,县",
        "",
        "",
        "x1,某处,单位,c1,,,,,,,,",
    ]
    .join("\r\n");
    let errors =
        read_registry(text.as_bytes(), Format::Csv, "units.csv", &plan()).map_err(messages);
    assert_eq!(
        errors.err().unwrap_or_default(),
        [
            "units.csv:4: malformed csv: record has 3 fields, the header has 12",
            "units.csv:7: field `class`: unknown class `单位`",
        ]
    );
}

#[test]
fn every_error_of_a_file_is_reported_with_its_line() {
    let errors = csv_errors(&[
        "c1,某县,县,,,,,,,,,",
        "t1,甲镇,乡镇,c1,,,abc,,,,,",
        "t1,乙镇,乡镇,c1,,,,,,,,",
        "q1,企业一,企业,t1,,,,特高,t2,,,",
        "q2,企业二,企业,t1,,,,,,,maybe,",
        "x1,某处,单位,c1,,,,,,,,",
    ]);
    assert_eq!(
        errors,
        [
            "units.csv:3: field `人口`: expected int, found `abc`",
            "units.csv:4: field `id`: duplicate unit id `t1` (first on line 3)",
            "units.csv:5: field `风险等级`: `特高` is not a value of enum `风险等级`, did you mean `高`?",
            "units.csv:5: field `所属乡镇`: `t2` is not in the registry (expected a unit of class `乡镇`)",
            "units.csv:6: field `重点`: expected bool (`true` or `false`), found `maybe`",
            "units.csv:7: field `class`: unknown class `单位`",
        ]
    );
}

#[test]
fn json_lines_take_class_lists_and_json_types() {
    let registry = jsonl(&[
        r#"{"id":"c1","name":"某县","class":["县"]}"#,
        "",
        r#"{"id":"t1","name":"城关镇","class":"乡镇","parent":"c1","人口":12000,"风险等级":null}"#,
        r#"{"id":"q1","class":["企业"],"重点":true,"所属乡镇":"t1"}"#,
    ])
    .unwrap();
    assert_eq!(
        registry.get("t1").unwrap().attrs.get("人口"),
        Some(&Lit::Int(12000))
    );
    assert_eq!(
        registry.get("q1").unwrap().attrs.get("重点"),
        Some(&Lit::Bool(true))
    );
}

#[test]
fn json_lines_errors() {
    let errors = jsonl(&[
        r#"{"id":"c1","class":["县"],"备註":"x"}"#,
        r#"{"id":"c2","class":"县""#,
        r#"{"id":"t1","class":"乡镇","人口":"多"}"#,
        r#"{"id":"t2","class":"乡镇","人口":1.5}"#,
        r#"[1]"#,
    ])
    .unwrap_err();
    assert_eq!(
        errors,
        [
            "units.jsonl:1: field `备註`: unknown column `备註`: not a built-in field nor an attribute of any class, did you mean `备注`?",
            "units.jsonl:2: malformed json: EOF while parsing an object (column 22)",
            "units.jsonl:3: field `人口`: expected int, found `多`",
            "units.jsonl:4: field `人口`: expected int, found `1.5`",
            "units.jsonl:5: malformed json: invalid type: sequence, expected a map (column 1)",
        ]
    );
}

#[test]
fn units_built_by_a_service_are_checked_like_files() {
    let ok = vec![
        Unit::builder("c1").name("某县").class("县").build(),
        Unit::builder("t1")
            .class("乡镇")
            .parent("c1")
            .attr("人口", Lit::Int(5))
            .build(),
    ];
    assert_eq!(validate_registry(&plan(), ok).unwrap().units().len(), 2);
    let bad = vec![
        Unit::builder("t1")
            .class("乡镇")
            .attr("人口", Lit::Text("5".into()))
            .build(),
        Unit::builder("q1")
            .class("企业")
            .attr("风险等级", Lit::Enum("极高".into()))
            .build(),
    ];
    let errors = messages(validate_registry(&plan(), bad).unwrap_err());
    assert_eq!(
        errors,
        [
            "units:1: field `人口`: expected int, found `5`",
            "units:2: field `风险等级`: `极高` is not a value of enum `风险等级`, did you mean `高`?",
        ]
    );
}

#[test]
fn unknown_file_extension() {
    let errors = read_registry_file("units.xlsx", &plan()).unwrap_err();
    assert_eq!(
        errors[0].to_string(),
        "`units.xlsx` has no known data format: use `.csv`, `.jsonl` or `.ndjson`"
    );
}

#[test]
fn csv_without_an_id_column_is_one_error() {
    let text = "name,class\n甲,县\n乙,县\n";
    let errors = read_registry(text.as_bytes(), Format::Csv, "u.csv", &plan()).unwrap_err();
    let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(messages, ["u.csv:1: field `id`: required value is missing"]);
}

#[test]
fn errors_of_a_line_keep_their_order_across_reading_and_typing() {
    let mut text = format!("{HEADER}\n").into_bytes();
    text.extend_from_slice("c1, 某县 ,县,,2023-13-01,,".as_bytes());
    text.extend_from_slice(b"\xff,,,,,\n");
    text.extend_from_slice(" t1 ,城关镇,乡镇,c1,,, 12000 ,,,,,\n".as_bytes());
    let errors = messages(read_registry(&text[..], Format::Csv, "units.csv", &plan()).unwrap_err());
    assert_eq!(
        errors,
        [
            "units.csv:2: field `人口`: malformed csv: the cell is not utf-8 (byte `0xff`); files are read as utf-8, so one saved in another encoding (such as gbk) must be converted first",
            "units.csv:2: field `active_from`: expected date (`YYYY-MM-DD`), found `2023-13-01`",
        ]
    );
}

#[test]
fn padded_cells_are_trimmed() {
    let registry = csv(&[
        " c1 , 某县 , 县 ,,,,,,,,,",
        "t1,城关镇,乡镇, c1 ,,, 12000 ,,,,,",
    ])
    .unwrap();
    let t1 = registry.get("t1").unwrap();
    assert_eq!(t1.parent.as_deref(), Some("c1"));
    assert_eq!(t1.attrs.get("人口"), Some(&Lit::Int(12000)));
    assert_eq!(registry.get("c1").unwrap().name, "某县");
}

#[test]
fn units_share_their_attribute_names() {
    let rows = ["q1,,企业,,,,,高,,,true,", "q2,,企业,,,,,低,,,false,"];
    let from_csv = csv(&rows).unwrap();
    let from_jsonl = jsonl(&[
        r#"{"id":"q1","class":"企业","重点":true}"#,
        r#"{"id":"q2","class":"企业","重点":false}"#,
    ])
    .unwrap();
    for registry in [from_csv, from_jsonl] {
        let names: Vec<&std::sync::Arc<str>> = registry
            .units()
            .iter()
            .map(|u| u.attrs.get_key_value("重点").unwrap().0)
            .collect();
        assert!(std::sync::Arc::ptr_eq(names[0], names[1]));
    }
}

#[test]
fn a_cycle_through_a_repeated_id_is_reported_once() {
    assert_eq!(
        csv_errors(&[
            "c0,根,县,,,,,,,,,",
            "t1,甲,乡镇,t2,,,,,,,,",
            "t3,丙,乡镇,t1,,,,,,,,",
            "t2,乙,乡镇,t3,,,,,,,,",
            "t1,甲二,乡镇,c0,,,,,,,,",
            "t4,丁,乡镇,t9,,,,,,,,",
            "t5,戊,乡镇,t5,,,,,,,,",
        ]),
        [
            "units.csv:3: field `parent`: parent cycle: `t1` → `t2` → `t3` → `t1`",
            "units.csv:6: field `id`: duplicate unit id `t1` (first on line 3)",
            "units.csv:7: field `parent`: parent `t9` is not in the registry",
            "units.csv:8: field `parent`: parent cycle: `t5` → `t5`",
        ]
    );
}

#[test]
fn units_of_one_class_may_give_their_attributes_in_any_order() {
    let enterprise = |id: &str, attrs: &[(&str, Lit)]| {
        (attrs.iter().cloned())
            .fold(Unit::builder(id).class("企业"), |u, (name, value)| {
                u.attr(name, value)
            })
            .build()
    };
    let (high, low) = (Lit::Enum("高".into()), Lit::Enum("低".into()));
    let units = vec![
        Unit::builder("t1")
            .class("乡镇")
            .attr("人口", Lit::Int(5))
            .build(),
        Unit::builder("c1")
            .class("县")
            .attr("人口", Lit::Int(5))
            .build(),
        enterprise(
            "q1",
            &[("风险等级", high.clone()), ("重点", Lit::Bool(true))],
        ),
        enterprise(
            "q2",
            &[
                ("重点", Lit::Bool(true)),
                ("风险等级", Lit::Enum("极".into())),
            ],
        ),
        enterprise(
            "q3",
            &[
                ("重点", Lit::Text("是".into())),
                ("所属乡镇", Lit::Text("t1".into())),
            ],
        ),
        enterprise(
            "q4",
            &[("所属乡镇", Lit::Text("c1".into())), ("风险等级", low)],
        ),
        enterprise(
            "q5",
            &[("人口", Lit::Int(1)), ("风险等级", Lit::Text("高".into()))],
        ),
        Unit::builder("q6")
            .class("企业")
            .class("乡镇")
            .attr("人口", Lit::Int(1))
            .attr("风险等级", high)
            .attr("所属乡镇", Lit::Text("t9".into()))
            .build(),
    ];
    assert_eq!(
        messages(validate_registry(&plan(), units).unwrap_err()),
        [
            "units:2: field `人口`: attribute `人口` is not declared by class `县`",
            "units:4: field `风险等级`: `极` is not a value of enum `风险等级`, did you mean `中`?",
            "units:5: field `重点`: expected bool (`true` or `false`), found `是`",
            "units:6: field `所属乡镇`: `c1` is a unit of class `县`, not `乡镇`",
            "units:7: field `人口`: attribute `人口` is not declared by class `企业`",
            "units:7: field `风险等级`: expected value of enum `风险等级`, found `高`",
            "units:8: field `所属乡镇`: `t9` is not in the registry (expected a unit of class `乡镇`)",
        ]
    );
}

#[test]
fn units_that_each_bring_their_own_attributes_are_all_checked() {
    let units: Vec<Unit> = (0..100)
        .map(|i| {
            Unit::builder(format!("t{i:03}"))
                .class("乡镇")
                .attr(format!("列{i}"), Lit::Int(i))
                .attr("人口", Lit::Text(i.to_string().into()))
                .build()
        })
        .collect();
    let errors = messages(validate_registry(&plan(), units).unwrap_err());
    assert_eq!(errors.len(), 200);
    assert_eq!(
        errors[198..],
        [
            "units:100: field `列99`: attribute `列99` is not declared by class `乡镇`",
            "units:100: field `人口`: expected int, found `99`",
        ]
    );
}
