//! The JSON renderer: pretty-printed, two-space indented, keys in declaration order, one
//! trailing newline, so that the same report always gives the same bytes.

use std::io::Write;

use crate::model::Report;

/// Writes `report` as pretty JSON.
pub fn write(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    out.write_all(b"\n")
}

/// `report` as pretty JSON.
pub fn to_string(report: &Report) -> String {
    // Serializing these types cannot fail: every map key is a string and no value is a
    // non-finite float except `ratio`, which serde_json writes as `null`.
    let mut s = serde_json::to_string_pretty(report).unwrap_or_default();
    s.push('\n');
    s
}

/// Reads a report written by [`write()`].
pub fn from_str(text: &str) -> serde_json::Result<Report> {
    serde_json::from_str(text)
}

/// The JSON Schema of the report (`docs/report.schema.json`).
pub const SCHEMA: &str = include_str!("../../../../docs/report.schema.json");

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::*;
    use chrono::{DateTime, NaiveDate};

    fn instant(text: &str) -> DateTime<chrono::FixedOffset> {
        DateTime::parse_from_rfc3339(text).unwrap()
    }

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    /// A report with every optional field filled, so the schema sees every key.
    pub(crate) fn sample() -> Report {
        let period = PeriodRef {
            label: "2023-H2".into(),
            start: instant("2023-07-01T00:00:00+08:00"),
            end: instant("2024-01-01T00:00:00+08:00"),
        };
        let violation = Violation {
            rule: "r1".into(),
            period: "2023-H2".into(),
            status: Status::Violated,
        };
        let row = ResultRow {
            rule: "r1".into(),
            duty: DutyKind::Count,
            subject: SubjectRef {
                id: "c1".into(),
                name: "County".into(),
            },
            period: period.clone(),
            status: Status::Violated,
            count: 1,
            required: Some(Required {
                cmp: Cmp::AtLeast,
                amount: 2,
            }),
            at_risk: false,
            evidence: Evidence {
                events: vec!["e1".into()],
                truncated: 0,
                trigger: Some("e0".into()),
                deadline: Some(instant("2023-07-02T00:00:00+08:00")),
                response: Some("e1".into()),
                responded_at: Some(instant("2023-07-02T01:00:00+08:00")),
                delay_minutes: Some(60),
                first_gap: Some(date("2023-07-03")),
                violations: vec![violation.clone()],
            },
            exemption: Some("new".into()),
        };
        let mut counts = StatusCounts::default();
        counts.add(Status::Violated);
        let mut inputs = Inputs {
            events_read: 3,
            events_used: 1,
            events_unmatched: 1,
            events_ignored: 1,
            ..Inputs::default()
        };
        inputs.ignored_by_reason.insert(
            "unknown_kind".into(),
            Ignored {
                count: 1,
                examples: vec!["e9".into()],
            },
        );
        Report {
            schema_version: SCHEMA_VERSION,
            plan: PlanInfo {
                title: "Plan".into(),
                source: Some("doc".into()),
                timezone: "Asia/Shanghai".into(),
                rules: vec![RuleInfo {
                    id: "r1".into(),
                    title: Some("Inspections".into()),
                    duty: DutyKind::Count,
                    citation: Citation {
                        articles: vec![3],
                        quote: Some("quote".into()),
                    },
                    severity: Some(Severity::High),
                    weight: Some(5),
                    lead: vec!["Bureau".into()],
                    cooperating: vec!["Office".into()],
                    docs: vec!["Why the rule exists.".into()],
                }],
            },
            range: DayRange {
                from: date("2023-01-01"),
                to: date("2023-12-31"),
            },
            as_of: instant("2024-01-01T00:00:00+08:00"),
            results: vec![row.clone()],
            coverage: vec![CoverageRow {
                rule: "r1".into(),
                period: period.clone(),
                covered: 0,
                total: 1,
                ratio: Some(0.0),
                uncovered: vec!["c1".into()],
            }],
            findings: vec![FindingRow {
                finding: "f".into(),
                subject: row.subject.clone(),
                period,
                because: Because {
                    rule: "r2".into(),
                    events: vec!["e1".into()],
                    violations: vec![violation],
                },
            }],
            summary: Summary {
                total: counts,
                by_rule: [("r1".to_string(), counts)].into_iter().collect(),
                by_subject: [("c1".to_string(), counts)].into_iter().collect(),
                by_unit: [(
                    "Bureau".to_string(),
                    UnitSummary {
                        lead: vec!["r1".into()],
                        violated: 1,
                        ..UnitSummary::default()
                    },
                )]
                .into_iter()
                .collect(),
            },
            inputs,
        }
    }

    #[test]
    fn round_trips_and_is_stable() {
        let report = sample();
        let text = to_string(&report);
        assert!(text.ends_with("}\n"));
        assert_eq!(from_str(&text).unwrap(), report);
        assert_eq!(to_string(&from_str(&text).unwrap()), text);
        assert!(text.contains("\"status\": \"violated\""));
        assert!(text.contains("\"start\": \"2023-07-01T00:00:00+08:00\""));
    }

    #[test]
    fn sample_conforms_to_schema() {
        let value = serde_json::to_value(sample()).unwrap();
        assert_eq!(crate::schema::problems(&value), Vec::<String>::new());
    }

    #[test]
    fn schema_check_catches_drift() {
        let mut value = serde_json::to_value(sample()).unwrap();
        value["results"][0]["status"] = "fine".into();
        value["results"][0]["evidence"]["extra"] = 1.into();
        value["inputs"]
            .as_object_mut()
            .unwrap()
            .remove("skipped_lines");
        let problems = crate::schema::problems(&value);
        assert_eq!(problems.len(), 3, "{problems:#?}");
    }

    #[test]
    fn every_schema_property_is_serialized() {
        // A key in the schema that the types never write would make the schema lie.
        let schema: serde_json::Value = serde_json::from_str(SCHEMA).unwrap();
        let value = serde_json::to_value(sample()).unwrap();
        let row_schema = &schema["$defs"]["result"]["properties"];
        for key in row_schema.as_object().unwrap().keys() {
            assert!(value["results"][0].get(key).is_some(), "{key}");
        }
        for key in row_schema["evidence"]["properties"]
            .as_object()
            .unwrap()
            .keys()
        {
            assert!(value["results"][0]["evidence"].get(key).is_some(), "{key}");
        }
        for key in schema["properties"].as_object().unwrap().keys() {
            assert!(value.get(key).is_some(), "{key}");
        }
    }

    #[test]
    fn evidence_that_does_not_apply_is_left_out_and_read_back() {
        let mut report = sample();
        report.results[0].evidence = Evidence {
            events: vec!["e1".into()],
            ..Evidence::default()
        };
        let value = serde_json::to_value(&report).unwrap();
        let evidence = value["results"][0]["evidence"].as_object().unwrap();
        let keys: Vec<&str> = evidence.keys().map(String::as_str).collect();
        assert_eq!(keys, ["events", "truncated"]);
        assert_eq!(crate::schema::problems(&value), Vec::<String>::new());
        assert_eq!(from_str(&to_string(&report)).unwrap(), report);
    }

    #[test]
    fn rows_name_their_rule_by_id_only() {
        let report = sample();
        let value = serde_json::to_value(&report).unwrap();
        let row = value["results"][0].as_object().unwrap();
        for key in ["rule_title", "citation", "severity", "lead", "cooperating"] {
            assert!(!row.contains_key(key), "{key}");
        }
        let rule = report.plan.rule(&report.results[0].rule).unwrap();
        assert_eq!(rule.title.as_deref(), Some("Inspections"));
        let index = report.plan.rule_index();
        assert_eq!(index.get("r1"), Some(rule));
        assert_eq!(index.get("r2"), None);
        assert_eq!(report.plan.rule("r2"), None);
    }
}
