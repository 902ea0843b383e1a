//! A result row written as compact JSON by hand: the bytes `serde_json` writes for it (a
//! proptest holds the two together), at a fraction of the cost.
//!
//! A report has a row per subject and period; at 500 000 units it is millions of rows, and
//! serializing them through serde was most of the time spent writing it: the keys, which never
//! change, were escaped again for every row, and every string went through the escaper. Here
//! keys are constants, and a string is copied as it is unless it has a character to escape,
//! which only then goes through `sonic_rs`.
//!
//! A field added to [`ResultRow`] or [`Evidence`] must be written here too: the proptest
//! builds its rows field by field, so it does not compile without the new field, and then
//! fails until this writer writes it as serde does.

use chrono::{DateTime, FixedOffset};

use crate::model::{Evidence, ResultRow};
use crate::timestamp;

/// Appends `row` to `out` as compact JSON.
pub(crate) fn write_row(row: &ResultRow, out: &mut Vec<u8>) -> sonic_rs::Result<()> {
    out.extend_from_slice(b"{\"rule\":");
    string(&row.rule, out)?;
    out.extend_from_slice(b",\"duty\":\"");
    out.extend_from_slice(row.duty.as_str().as_bytes());
    out.extend_from_slice(b"\",\"subject\":{\"id\":");
    string(&row.subject.id, out)?;
    out.extend_from_slice(b",\"name\":");
    string(&row.subject.name, out)?;
    out.extend_from_slice(b"},\"period\":{\"label\":");
    string(&row.period.label, out)?;
    out.extend_from_slice(b",\"start\":");
    timestamp::write_json(&row.period.start, out)?;
    out.extend_from_slice(b",\"end\":");
    timestamp::write_json(&row.period.end, out)?;
    out.extend_from_slice(b"},\"status\":\"");
    out.extend_from_slice(row.status.as_str().as_bytes());
    out.extend_from_slice(b"\",\"count\":");
    integer(row.count, out);
    out.extend_from_slice(b",\"required\":");
    match row.required {
        Some(required) => {
            out.extend_from_slice(b"{\"cmp\":\"");
            out.extend_from_slice(required.cmp.as_str().as_bytes());
            out.extend_from_slice(b"\",\"amount\":");
            integer(required.amount, out);
            out.push(b'}');
        }
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(if row.at_risk {
        b",\"at_risk\":true,\"evidence\":"
    } else {
        b",\"at_risk\":false,\"evidence\":"
    });
    evidence(&row.evidence, out)?;
    out.extend_from_slice(b",\"exemption\":");
    match &row.exemption {
        Some(reason) => string(reason, out)?,
        None => out.extend_from_slice(b"null"),
    }
    out.push(b'}');
    Ok(())
}

/// The evidence, its fields that do not apply left out as serde leaves them out.
fn evidence(evidence: &Evidence, out: &mut Vec<u8>) -> sonic_rs::Result<()> {
    out.extend_from_slice(b"{\"events\":[");
    for (k, id) in evidence.events.iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        string(id, out)?;
    }
    out.extend_from_slice(b"],\"truncated\":");
    integer(evidence.truncated, out);
    if let Some(trigger) = &evidence.trigger {
        out.extend_from_slice(b",\"trigger\":");
        string(trigger, out)?;
    }
    optional_time(b",\"deadline\":", evidence.deadline.as_ref(), out)?;
    if let Some(response) = &evidence.response {
        out.extend_from_slice(b",\"response\":");
        string(response, out)?;
    }
    optional_time(b",\"responded_at\":", evidence.responded_at.as_ref(), out)?;
    if let Some(minutes) = evidence.delay_minutes {
        out.extend_from_slice(b",\"delay_minutes\":");
        out.extend_from_slice(itoa::Buffer::new().format(minutes).as_bytes());
    }
    // Rare fields, written by serde itself.
    if let Some(day) = &evidence.first_gap {
        out.extend_from_slice(b",\"first_gap\":");
        sonic_rs::to_writer(&mut *out, day)?;
    }
    if !evidence.violations.is_empty() {
        out.extend_from_slice(b",\"violations\":");
        sonic_rs::to_writer(&mut *out, &evidence.violations)?;
    }
    out.push(b'}');
    Ok(())
}

fn optional_time(
    key: &[u8],
    t: Option<&DateTime<FixedOffset>>,
    out: &mut Vec<u8>,
) -> sonic_rs::Result<()> {
    match t {
        Some(t) => {
            out.extend_from_slice(key);
            timestamp::write_json(t, out)
        }
        None => Ok(()),
    }
}

/// Appends `s` as a JSON string. JSON escapes quotes, backslashes and control characters
/// only; a string with none is copied as it is.
pub(super) fn string(s: &str, out: &mut Vec<u8>) -> sonic_rs::Result<()> {
    // A fold of bools vectorizes; `any` would stop early and does not.
    let escaped = (s.bytes()).fold(false, |found, c| {
        found | (c < 0x20) | (c == b'"') | (c == b'\\')
    });
    if escaped {
        return sonic_rs::to_writer(out, s);
    }
    out.push(b'"');
    out.extend_from_slice(s.as_bytes());
    out.push(b'"');
    Ok(())
}

pub(super) fn integer(n: u64, out: &mut Vec<u8>) {
    // Most counts of a report are a single digit (a subject's count in a period, its rows of
    // a status): one byte, without the formatter's buffer and copy.
    match u8::try_from(n) {
        Ok(digit @ 0..=9) => out.push(b'0' + digit),
        _ => out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes()),
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::model::{Cmp, DutyKind, PeriodRef, Required, Status, SubjectRef, Violation};
    use chrono::NaiveDate;
    use proptest::prelude::*;

    pub(in crate::render) fn text() -> impl Strategy<Value = String> {
        let awkward = [
            "\"",
            "\\",
            "\u{0}",
            "\u{1f}\n\t",
            "\u{7f}",
            "\u{2028}",
            "a\"b\\c/",
        ];
        prop_oneof![
            4 => "[a-z0-9_-]{0,12}",
            2 => "[会议检查第条 ]{0,6}",
            1 => any::<String>(),
            1 => prop::sample::select(awkward.to_vec()).prop_map(str::to_owned),
        ]
    }

    /// Mostly a few instants at a few offsets, as a report's period bounds repeat (the same
    /// instant also comes at another offset); now and then any instant, at any offset.
    fn instant() -> impl Strategy<Value = DateTime<FixedOffset>> {
        let offsets = vec![0, 8 * 3600, -(5 * 3600 + 1800), 8 * 3600 + 17];
        let common = (0..8_i64, prop::sample::select(offsets)).prop_map(|(k, offset)| {
            let t = DateTime::from_timestamp(1_672_502_400 + k * 2_678_400, 0).unwrap();
            t.with_timezone(&FixedOffset::east_opt(offset).unwrap())
        });
        let any = (
            -70_000_000_000_i64..300_000_000_000,
            0_u32..2_000_000_000,
            -86_399_i32..86_400,
        )
            .prop_map(|(secs, nanos, offset)| {
                let t = DateTime::from_timestamp(secs, nanos % 1_000_000_000).unwrap();
                t.with_timezone(&FixedOffset::east_opt(offset).unwrap())
            });
        prop_oneof![4 => common, 1 => any]
    }

    fn status() -> impl Strategy<Value = Status> {
        prop::sample::select(Status::ALL.to_vec())
    }

    /// Counts as reports have them, mostly a digit or two, and now and then any number.
    pub(in crate::render) fn count() -> impl Strategy<Value = u64> {
        prop_oneof![3 => 0_u64..12, 1 => any::<u64>()]
    }

    fn evidence() -> impl Strategy<Value = Evidence> {
        let violation = (text(), text(), status()).prop_map(|(rule, period, status)| Violation {
            rule,
            period,
            status,
        });
        let day = (-100_000_i32..3_000_000)
            .prop_map(|n| NaiveDate::from_num_days_from_ce_opt(n).unwrap_or(NaiveDate::MIN));
        (
            prop::collection::vec(text(), 0..4),
            count(),
            (prop::option::of(text()), prop::option::of(instant())),
            (prop::option::of(text()), prop::option::of(instant())),
            prop::option::of(any::<i64>()),
            prop::option::of(day),
            prop::collection::vec(violation, 0..3),
        )
            .prop_map(
                |(
                    events,
                    truncated,
                    (trigger, deadline),
                    (response, responded_at),
                    delay,
                    gap,
                    violations,
                )| {
                    Evidence {
                        events,
                        truncated,
                        trigger,
                        deadline,
                        response,
                        responded_at,
                        delay_minutes: delay,
                        first_gap: gap,
                        violations,
                    }
                },
            )
    }

    fn row() -> impl Strategy<Value = ResultRow> {
        let duties = vec![
            DutyKind::Count,
            DutyKind::Coverage,
            DutyKind::Response,
            DutyKind::Hold,
            DutyKind::Consequence,
        ];
        let cmps = vec![Cmp::AtLeast, Cmp::AtMost, Cmp::Exactly, Cmp::Never];
        let required = (prop::sample::select(cmps), count())
            .prop_map(|(cmp, amount)| Required { cmp, amount });
        (
            (text(), prop::sample::select(duties)),
            (text(), text()),
            (text(), instant(), instant()),
            (status(), count(), prop::option::of(required), any::<bool>()),
            evidence(),
            prop::option::of(text()),
        )
            .prop_map(
                |(
                    (rule, duty),
                    (id, name),
                    (label, start, end),
                    (status, count, required, at_risk),
                    evidence,
                    exemption,
                )| {
                    ResultRow {
                        rule,
                        duty,
                        subject: SubjectRef { id, name },
                        period: PeriodRef { label, start, end },
                        status,
                        count,
                        required,
                        at_risk,
                        evidence,
                        exemption,
                    }
                },
            )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Rows written one after another (the instants' texts kept from row to row) are the
        /// bytes `serde_json` writes for each.
        #[test]
        fn rows_are_written_as_serde_json_writes_them(rows in prop::collection::vec(row(), 1..8)) {
            for row in &rows {
                let mut ours = Vec::new();
                write_row(row, &mut ours).unwrap();
                let theirs = serde_json::to_vec(row).unwrap();
                prop_assert_eq!(String::from_utf8_lossy(&ours), String::from_utf8_lossy(&theirs));
            }
        }
    }
}
