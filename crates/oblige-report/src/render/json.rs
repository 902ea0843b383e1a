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

/// Checks `value` against [`SCHEMA`], returning one message per problem (empty when it
/// conforms).
///
/// This understands the subset of JSON Schema the report schema is written in: `type`,
/// `const`, `enum`, `required`, `properties`, `additionalProperties`, `items`, `maxItems`,
/// `minimum`, `maximum`, `format` (`date`, `date-time`) and local `$ref`s. It exists so that
/// tests and tools can hold reports to the published schema without a schema library.
pub fn schema_problems(value: &serde_json::Value) -> Vec<String> {
    let schema: serde_json::Value = match serde_json::from_str(SCHEMA) {
        Ok(schema) => schema,
        Err(e) => return vec![format!("schema: {e}")],
    };
    let mut problems = Vec::new();
    check(&schema, &schema, value, "$", &mut problems);
    problems
}

fn check(
    root: &serde_json::Value,
    schema: &serde_json::Value,
    value: &serde_json::Value,
    path: &str,
    problems: &mut Vec<String>,
) {
    use serde_json::Value;
    let Some(schema) = schema.as_object() else {
        return;
    };
    if let Some(Value::String(reference)) = schema.get("$ref") {
        match reference
            .strip_prefix("#/")
            .and_then(|p| root.pointer(&format!("/{p}")))
        {
            Some(target) => check(root, target, value, path, problems),
            None => problems.push(format!("{path}: unresolved $ref {reference}")),
        }
    }
    if let Some(expected) = schema.get("const") {
        if expected != value {
            problems.push(format!("{path}: expected {expected}, found {value}"));
        }
    }
    if let Some(Value::Array(allowed)) = schema.get("enum") {
        if !allowed.contains(value) {
            problems.push(format!("{path}: {value} is not one of {allowed:?}"));
        }
    }
    if let Some(types) = schema.get("type") {
        let names: Vec<&str> = match types {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if !names.iter().any(|t| has_type(value, t)) {
            problems.push(format!("{path}: {value} is not of type {names:?}"));
            return;
        }
    }
    check_format(schema, value, path, problems);
    check_bounds(schema, value, path, problems);
    match value {
        Value::Object(map) => check_object(root, schema, map, path, problems),
        Value::Array(items) => {
            if let Some(max) = schema.get("maxItems").and_then(Value::as_u64) {
                if items.len() as u64 > max {
                    problems.push(format!("{path}: more than {max} items"));
                }
            }
            if let Some(item_schema) = schema.get("items") {
                for (i, item) in items.iter().enumerate() {
                    check(root, item_schema, item, &format!("{path}[{i}]"), problems);
                }
            }
        }
        _ => {}
    }
}

fn check_object(
    root: &serde_json::Value,
    schema: &serde_json::Map<String, serde_json::Value>,
    map: &serde_json::Map<String, serde_json::Value>,
    path: &str,
    problems: &mut Vec<String>,
) {
    use serde_json::Value;
    if let Some(Value::Array(required)) = schema.get("required") {
        for key in required.iter().filter_map(Value::as_str) {
            if !map.contains_key(key) {
                problems.push(format!("{path}: missing key {key}"));
            }
        }
    }
    let properties = schema.get("properties").and_then(Value::as_object);
    for (key, item) in map {
        let item_path = format!("{path}.{key}");
        match (
            properties.and_then(|p| p.get(key)),
            schema.get("additionalProperties"),
        ) {
            (Some(item_schema), _) => check(root, item_schema, item, &item_path, problems),
            (None, Some(Value::Bool(false))) => {
                problems.push(format!("{path}: unexpected key {key}"));
            }
            (None, Some(extra)) => check(root, extra, item, &item_path, problems),
            (None, None) => {}
        }
    }
}

fn has_type(value: &serde_json::Value, name: &str) -> bool {
    match name {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "string" => value.is_string(),
        "object" => value.is_object(),
        "array" => value.is_array(),
        "number" => value.is_number(),
        "integer" => value.is_i64() || value.is_u64(),
        _ => false,
    }
}

fn check_format(
    schema: &serde_json::Map<String, serde_json::Value>,
    value: &serde_json::Value,
    path: &str,
    problems: &mut Vec<String>,
) {
    let (Some(format), Some(text)) = (
        schema.get("format").and_then(serde_json::Value::as_str),
        value.as_str(),
    ) else {
        return;
    };
    let ok = match format {
        "date" => chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok(),
        "date-time" => chrono::DateTime::parse_from_rfc3339(text).is_ok(),
        _ => true,
    };
    if !ok {
        problems.push(format!("{path}: {text:?} is not a {format}"));
    }
}

fn check_bounds(
    schema: &serde_json::Map<String, serde_json::Value>,
    value: &serde_json::Value,
    path: &str,
    problems: &mut Vec<String>,
) {
    let Some(number) = value.as_f64() else {
        return;
    };
    if let Some(min) = schema.get("minimum").and_then(serde_json::Value::as_f64) {
        if number < min {
            problems.push(format!("{path}: {number} is below {min}"));
        }
    }
    if let Some(max) = schema.get("maximum").and_then(serde_json::Value::as_f64) {
        if number > max {
            problems.push(format!("{path}: {number} is above {max}"));
        }
    }
}

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
            rule_title: Some("Inspections".into()),
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
            citation: Citation {
                articles: vec![3],
                quote: Some("quote".into()),
            },
            severity: Some(Severity::High),
            lead: vec!["Bureau".into()],
            cooperating: vec!["Office".into()],
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
        assert_eq!(schema_problems(&value), Vec::<String>::new());
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
        let problems = schema_problems(&value);
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
        for key in schema["properties"].as_object().unwrap().keys() {
            assert!(value.get(key).is_some(), "{key}");
        }
    }
}
