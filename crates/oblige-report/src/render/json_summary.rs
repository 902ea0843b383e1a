//! The report's summary written as compact JSON by hand: the bytes `serde_json` writes for it
//! (a proptest holds the two together), written as it goes.
//!
//! The summary counts the rows of every subject; at 500 000 units that is 500 000 entries of
//! seven counts, written after the last row while every other thread has finished. Through
//! serde each entry's seven keys were escaped again; here they are constants. The lists of
//! rules by responsible unit, a few hundred entries, still go through `serde_json`.
//!
//! A field added to [`Summary`] or [`StatusCounts`] must be written here too: the proptest
//! builds its summaries field by field, so it does not compile without the new field, and
//! then fails until this writer writes it as serde does.

use std::io::{self, Write};

use indexmap::IndexMap;

use super::json_row::{integer, string};
use crate::model::{StatusCounts, Summary};

/// Bytes gathered before they are handed to the writer.
const CHUNK: usize = 1 << 16;

/// Writes `summary` to `out` as compact JSON, through `buf`.
pub(crate) fn write_summary(
    summary: &Summary,
    out: &mut impl Write,
    buf: &mut Vec<u8>,
) -> io::Result<()> {
    buf.clear();
    buf.extend_from_slice(b"{\"total\":");
    counts(&summary.total, buf);
    buf.extend_from_slice(b",\"by_rule\":");
    counts_by(&summary.by_rule, out, buf)?;
    buf.extend_from_slice(b",\"by_subject\":");
    counts_by(&summary.by_subject, out, buf)?;
    buf.extend_from_slice(b",\"by_unit\":");
    serde_json::to_writer(&mut *buf, &summary.by_unit)?;
    buf.push(b'}');
    out.write_all(buf)
}

/// Appends a map of counts to `buf`, handing `buf` to `out` whenever it holds a chunk.
fn counts_by(
    map: &IndexMap<String, StatusCounts>,
    out: &mut impl Write,
    buf: &mut Vec<u8>,
) -> io::Result<()> {
    buf.push(b'{');
    for (i, (key, counts)) in map.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        string(key, buf).map_err(io::Error::other)?;
        buf.push(b':');
        self::counts(counts, buf);
        if buf.len() >= CHUNK {
            out.write_all(buf)?;
            buf.clear();
        }
    }
    buf.push(b'}');
    Ok(())
}

fn counts(c: &StatusCounts, buf: &mut Vec<u8>) {
    let fields: [(&[u8], u64); 7] = [
        (b"{\"met\":", c.met),
        (b",\"violated\":", c.violated),
        (b",\"open\":", c.open),
        (b",\"not_applicable\":", c.not_applicable),
        (b",\"exempt\":", c.exempt),
        (b",\"late\":", c.late),
        (b",\"missing\":", c.missing),
    ];
    for (key, n) in fields {
        buf.extend_from_slice(key);
        integer(n, buf);
    }
    buf.push(b'}');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::UnitSummary;
    use crate::render::json_row::tests::{count, text};
    use proptest::prelude::*;

    fn status_counts() -> impl Strategy<Value = StatusCounts> {
        (
            count(),
            count(),
            count(),
            count(),
            count(),
            count(),
            count(),
        )
            .prop_map(
                |(met, violated, open, not_applicable, exempt, late, missing)| StatusCounts {
                    met,
                    violated,
                    open,
                    not_applicable,
                    exempt,
                    late,
                    missing,
                },
            )
    }

    fn by_key<T: std::fmt::Debug>(
        value: impl Strategy<Value = T>,
        len: usize,
    ) -> impl Strategy<Value = IndexMap<String, T>> {
        prop::collection::vec((text(), value), 0..len).prop_map(|v| v.into_iter().collect())
    }

    fn summary() -> impl Strategy<Value = Summary> {
        let unit = (
            prop::collection::vec(text(), 0..3),
            prop::collection::vec(text(), 0..3),
            (any::<u64>(), any::<u64>(), any::<u64>()),
        )
            .prop_map(
                |(lead, cooperating, (violated, late, missing))| UnitSummary {
                    lead,
                    cooperating,
                    violated,
                    late,
                    missing,
                },
            );
        (
            status_counts(),
            by_key(status_counts(), 6),
            // Past one chunk now and then.
            by_key(status_counts(), 1_200),
            by_key(unit, 4),
        )
            .prop_map(|(total, by_rule, by_subject, by_unit)| Summary {
                total,
                by_rule,
                by_subject,
                by_unit,
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn writes_the_bytes_serde_json_writes(summary in summary()) {
            let mut out = Vec::new();
            write_summary(&summary, &mut out, &mut Vec::new()).unwrap();
            let expected = serde_json::to_vec(&summary).unwrap();
            prop_assert_eq!(String::from_utf8_lossy(&out), String::from_utf8_lossy(&expected));
        }
    }
}
