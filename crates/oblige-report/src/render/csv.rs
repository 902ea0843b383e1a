//! The CSV report: one row per result, in a fixed column order, for spreadsheets and scripts.
//! Lists are joined with `;`, times are RFC 3339, absent values are empty cells. Each line is
//! flat: it repeats its rule's title, articles, severity and responsible units, which the JSON
//! report gives once per rule.

use std::io::Write;

use chrono::{DateTime, FixedOffset};

use crate::model::{Report, ResultRow, RuleInfo, Severity};

/// The columns, in order. Adding a column means appending it here, never reordering.
pub const COLUMNS: [&str; 25] = [
    "rule",
    "rule_title",
    "duty",
    "subject_id",
    "subject_name",
    "period",
    "period_start",
    "period_end",
    "status",
    "count",
    "required_cmp",
    "required_amount",
    "at_risk",
    "exemption",
    "trigger",
    "deadline",
    "response",
    "responded_at",
    "delay_minutes",
    "first_gap",
    "events",
    "articles",
    "severity",
    "lead",
    "cooperating",
];

/// Writes `report`'s results as CSV with a header line.
pub fn write(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let mut writer = ::csv::Writer::from_writer(out);
    writer.write_record(COLUMNS)?;
    let rules = report.plan.rule_index();
    for row in &report.results {
        writer.write_record(record(row, rules.get(&row.rule)))?;
    }
    writer.flush()
}

/// The cells of `row`; a rule missing from the plan leaves its columns empty.
fn record(row: &ResultRow, rule: Option<&RuleInfo>) -> [String; 25] {
    let e = &row.evidence;
    let required = row.required;
    let list =
        |pick: fn(&RuleInfo) -> &[String]| rule.map_or_else(String::new, |r| pick(r).join(";"));
    [
        row.rule.clone(),
        opt(rule.and_then(|r| r.title.as_ref())),
        row.duty.as_str().to_owned(),
        row.subject.id.clone(),
        row.subject.name.clone(),
        row.period.label.clone(),
        row.period.start.to_rfc3339(),
        row.period.end.to_rfc3339(),
        row.status.as_str().to_owned(),
        row.count.to_string(),
        required.map_or_else(String::new, |r| r.cmp.as_str().to_owned()),
        required.map_or_else(String::new, |r| r.amount.to_string()),
        row.at_risk.to_string(),
        opt(row.exemption.as_ref()),
        opt(e.trigger.as_ref()),
        time(e.deadline),
        opt(e.response.as_ref()),
        time(e.responded_at),
        opt(e.delay_minutes.as_ref()),
        opt(e.first_gap.as_ref()),
        e.events.join(";"),
        rule.map_or_else(String::new, |r| {
            r.citation
                .articles
                .iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join(";")
        }),
        rule.and_then(|r| r.severity)
            .map_or("", severity_name)
            .to_owned(),
        list(|r| &r.lead),
        list(|r| &r.cooperating),
    ]
}

fn opt<T: ToString>(value: Option<&T>) -> String {
    value.map_or_else(String::new, ToString::to_string)
}

fn time(value: Option<DateTime<FixedOffset>>) -> String {
    value.map_or_else(String::new, |t| t.to_rfc3339())
}

fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Low => "low",
        Severity::Medium => "medium",
        Severity::High => "high",
        Severity::Critical => "critical",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Cmp;

    fn render() -> String {
        let mut out = Vec::new();
        write(&super::super::table::sample::report(), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn renders_the_sample() {
        insta::assert_snapshot!(render());
    }

    #[test]
    fn one_row_per_result_and_columns_match_json_names() {
        let report = super::super::table::sample::report();
        let text = render();
        let mut reader = ::csv::Reader::from_reader(text.as_bytes());
        assert_eq!(reader.headers().unwrap().len(), COLUMNS.len());
        assert_eq!(reader.records().count(), report.results.len());
        let json = serde_json::to_value(&report.results[4]).unwrap();
        assert_eq!(json["duty"], report.results[4].duty.as_str());
        let rule = serde_json::to_value(&report.plan.rules[1]).unwrap();
        assert_eq!(
            rule["severity"],
            severity_name(report.plan.rules[1].severity.unwrap())
        );
        assert_eq!(json["required"], serde_json::Value::Null);
        let counted = serde_json::to_value(report.results[0].required.unwrap()).unwrap();
        assert_eq!(counted["cmp"], Cmp::AtLeast.as_str());
    }

    #[test]
    fn each_line_carries_the_metadata_of_its_rule() {
        let report = super::super::table::sample::report();
        let text = render();
        let mut reader = ::csv::Reader::from_reader(text.as_bytes());
        let headers = reader.headers().unwrap().clone();
        let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
        let records: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(records.len(), report.results.len());
        for (record, row) in records.iter().zip(&report.results) {
            let rule = report.plan.rule(&row.rule).unwrap();
            let articles: Vec<String> = rule.citation.articles.iter().map(u64::to_string).collect();
            assert_eq!(&record[column("rule")], row.rule);
            assert_eq!(
                &record[column("rule_title")],
                rule.title.as_deref().unwrap_or("")
            );
            assert_eq!(&record[column("articles")], articles.join(";"));
            assert_eq!(&record[column("lead")], rule.lead.join(";"));
            assert_eq!(&record[column("cooperating")], rule.cooperating.join(";"));
            let severity = rule.severity.map_or("", severity_name);
            assert_eq!(&record[column("severity")], severity);
        }
        // Pinned, so that the loop cannot pass on a sample whose rules lost their metadata.
        assert_eq!(&records[0][column("articles")], "5");
        assert_eq!(&records[0][column("lead")], "县应急管理局");
        assert_eq!(&records[4][column("cooperating")], "县公安局");
    }

    #[test]
    fn a_rule_missing_from_the_plan_leaves_its_columns_empty() {
        let mut report = super::super::table::sample::report();
        report.plan.rules.clear();
        let mut out = Vec::new();
        write(&report, &mut out).unwrap();
        let mut reader = ::csv::Reader::from_reader(out.as_slice());
        let first = reader.records().next().unwrap().unwrap();
        assert_eq!(&first[0], "R1");
        assert_eq!(&first[1], "");
        assert!(first.iter().skip(21).all(str::is_empty), "{first:?}");
    }
}
