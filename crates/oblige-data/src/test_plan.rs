//! A small hand-built plan for the tests: counties, townships and enterprises, meetings and
//! inspections.

use indexmap::IndexMap;
use oblige_check::model::{AttrType, Header, Plan};

/// The test plan, in Shanghai time.
pub fn plan() -> Plan {
    let classes = IndexMap::from([
        ("县".to_owned(), attrs(&[])),
        ("乡镇".to_owned(), attrs(&[("人口", AttrType::Int)])),
        (
            "企业".to_owned(),
            attrs(&[
                ("风险等级", AttrType::Enum("风险等级".to_owned())),
                ("所属乡镇", AttrType::Ref("乡镇".to_owned())),
                ("成立日期", AttrType::Date),
                ("重点", AttrType::Bool),
                ("备注", AttrType::Text),
            ]),
        ),
    ]);
    let events = IndexMap::from([
        (
            "会议".to_owned(),
            attrs(&[("主题", AttrType::Text), ("参会人数", AttrType::Int)]),
        ),
        (
            "检查".to_owned(),
            attrs(&[
                ("发现隐患", AttrType::Bool),
                ("等级", AttrType::Enum("风险等级".to_owned())),
                ("整改期限", AttrType::Date),
                ("对象乡镇", AttrType::Ref("乡镇".to_owned())),
            ]),
        ),
    ]);
    let enums = IndexMap::from([(
        "风险等级".to_owned(),
        vec!["低".to_owned(), "中".to_owned(), "高".to_owned()],
    )]);
    Plan {
        sources: oblige_diagnostics::SourceMap::new(),
        header: header(),
        enums,
        classes,
        events,
        windows: IndexMap::new(),
        calendar: None,
        params: IndexMap::new(),
        findings: IndexMap::new(),
        states: IndexMap::new(),
        rules: Vec::new(),
    }
}

fn header() -> Header {
    Header {
        title: "安全生产工作计划".to_owned(),
        issuer: None,
        issued: None,
        effective_start: chrono::NaiveDate::from_ymd_opt(2023, 1, 1).unwrap_or_default(),
        effective_end: chrono::NaiveDate::from_ymd_opt(2023, 12, 31).unwrap_or_default(),
        timezone: chrono_tz::Asia::Shanghai,
        source: None,
    }
}

fn attrs(list: &[(&str, AttrType)]) -> IndexMap<String, AttrType> {
    list.iter()
        .map(|(name, ty)| ((*name).to_owned(), ty.clone()))
        .collect()
}
