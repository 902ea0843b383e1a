//! The CSV report: one row per result, in a fixed column order, for spreadsheets and scripts.
//! Lists are joined with `;`, times are RFC 3339, absent values are empty cells.

use std::io::Write;

use chrono::{DateTime, FixedOffset};

use crate::model::{Cmp, DutyKind, Report, ResultRow, Severity};

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
    for row in &report.results {
        writer.write_record(record(row))?;
    }
    writer.flush()
}

fn record(row: &ResultRow) -> [String; 25] {
    let e = &row.evidence;
    let required = row.required;
    [
        row.rule.clone(),
        opt(row.rule_title.as_ref()),
        duty_name(row.duty).to_owned(),
        row.subject.id.clone(),
        row.subject.name.clone(),
        row.period.label.clone(),
        row.period.start.to_rfc3339(),
        row.period.end.to_rfc3339(),
        row.status.as_str().to_owned(),
        row.count.to_string(),
        required.map_or_else(String::new, |r| cmp_name(r.cmp).to_owned()),
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
        row.citation
            .articles
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join(";"),
        row.severity.map_or("", severity_name).to_owned(),
        row.lead.join(";"),
        row.cooperating.join(";"),
    ]
}

fn opt<T: ToString>(value: Option<&T>) -> String {
    value.map_or_else(String::new, ToString::to_string)
}

fn time(value: Option<DateTime<FixedOffset>>) -> String {
    value.map_or_else(String::new, |t| t.to_rfc3339())
}

/// The names used in JSON, so that both outputs say the same.
fn duty_name(duty: DutyKind) -> &'static str {
    match duty {
        DutyKind::Count => "count",
        DutyKind::Coverage => "coverage",
        DutyKind::Response => "response",
        DutyKind::Hold => "hold",
        DutyKind::Consequence => "consequence",
    }
}

fn cmp_name(cmp: Cmp) -> &'static str {
    match cmp {
        Cmp::AtLeast => "at_least",
        Cmp::AtMost => "at_most",
        Cmp::Exactly => "exactly",
        Cmp::Never => "never",
    }
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
        assert_eq!(json["duty"], duty_name(report.results[4].duty));
        assert_eq!(
            json["severity"],
            severity_name(report.results[4].severity.unwrap())
        );
        assert_eq!(json["required"], serde_json::Value::Null);
        let counted = serde_json::to_value(report.results[0].required.unwrap()).unwrap();
        assert_eq!(counted["cmp"], cmp_name(Cmp::AtLeast));
    }
}
