//! A registry read in parts on several threads is the registry one reader reads, and the quick
//! check of a clean registry agrees with the full one, for random registries with errors,
//! quoted line breaks, stray quotes, blank lines and both line endings.

use super::*;
use crate::test_plan::plan;
use proptest::prelude::*;
use std::io::Write;

const HEADER: [&str; 12] = [
    "id",
    "name",
    "class",
    "parent",
    "active_from",
    "active_to",
    "人口",
    "风险等级",
    "所属乡镇",
    "成立日期",
    "重点",
    "备注",
];

/// One generated record: its cells, and how it is written.
#[derive(Clone, Debug)]
struct Row {
    cells: Vec<String>,
    /// The name is written unquoted even though it holds a quote (`a"b`): quote counting then
    /// misjudges where records end.
    stray_quote: bool,
    /// A blank line comes before the record.
    blank_before: bool,
    /// The record lacks its last cell (CSV), or is not JSON.
    malformed: bool,
}

/// A value from `pool`, the first items far more often than the last.
fn pick(pool: &'static [&'static str]) -> impl Strategy<Value = String> {
    let weights = pool.iter().enumerate().map(|(i, s)| {
        let weight = u32::try_from(pool.len() - i).unwrap_or(1).pow(2);
        (weight, Just((*s).to_owned()).boxed())
    });
    prop::strategy::Union::new_weighted(weights.collect())
}

/// A reference to one of the rows before row `index` (mostly), or none, or to a row near it:
/// itself or one after it, which may close a cycle or name no row.
fn link(index: usize, choice: (u8, usize)) -> String {
    match choice.0 % 16 {
        0..=5 => String::new(),
        6..=13 if index > 0 => format!("u{}", choice.1 % index),
        6..=13 => String::new(),
        _ => format!("u{}", index + choice.1 % 3),
    }
}

fn row(index: usize) -> impl Strategy<Value = Row> {
    let texts = (
        pick(&[
            "",
            "甲",
            "a,b",
            "x\ny",
            "line\r\nbreak",
            "say \"hi\"",
            "  padded  ",
        ]),
        pick(&["企业", "乡镇", "县", "乡镇;县", "企亚", ""]),
        pick(&["", "2023-03-01", "2023-13-01"]),
        pick(&["", "2023-09-30", "2020-01-01"]),
        pick(&["", "1200", "abc"]),
        pick(&["", "高", "低", "特高"]),
        pick(&["", "2010-05-04", "2010"]),
        pick(&["", "true", "false", "maybe"]),
        pick(&["", "化工, 重点", "note", "\"quoted\""]),
    );
    let links = ((any::<u8>(), any::<usize>()), (any::<u8>(), any::<usize>()));
    let flags = (0_u8..40, 0_u8..30, 0_u8..30, 0_u8..60, any::<usize>());
    (texts, links, flags).prop_map(move |(t, (parent, town), flags)| {
        let (name, class, from, to, people, risk, founded, key, note) = t;
        let (dup, stray, blank, malformed, other) = flags;
        let id = match dup {
            0 => format!("u{}", other % 48),
            _ => format!("u{index}"),
        };
        let enterprise = class == "企业";
        let township = class.contains("乡镇");
        let only = |yes: bool, cell: String| if yes { cell } else { String::new() };
        let town = only(enterprise && town.0 % 4 == 0, link(index, town));
        Row {
            cells: vec![
                id,
                if stray == 0 { "a\"b".to_owned() } else { name },
                class,
                link(index, parent),
                from,
                to,
                only(township, people),
                only(enterprise, risk),
                town,
                only(enterprise, founded),
                only(enterprise, key),
                only(enterprise, note),
            ],
            stray_quote: stray == 0,
            blank_before: blank == 0,
            malformed: malformed == 0,
        }
    })
}

fn rows() -> impl Strategy<Value = Vec<Row>> {
    (1_usize..60).prop_flat_map(|n| (0..n).map(row).collect::<Vec<_>>())
}

fn csv_cell(cell: &str) -> String {
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_owned()
    }
}

fn csv_text(rows: &[Row], crlf: bool, bom: bool) -> String {
    let end = if crlf { "\r\n" } else { "\n" };
    let mut text = String::from(if bom { "\u{feff}" } else { "" });
    text += &HEADER.join(",");
    text += end;
    for row in rows {
        if row.blank_before {
            text += end;
        }
        let mut cells: Vec<String> = row.cells.iter().map(|c| csv_cell(c)).collect();
        if row.stray_quote {
            cells[1] = row.cells[1].clone();
        }
        if row.malformed {
            cells.pop();
        }
        text += &cells.join(",");
        text += end;
    }
    text
}

fn jsonl_text(rows: &[Row]) -> String {
    let mut text = String::new();
    for row in rows {
        if row.blank_before {
            text += "\n";
        }
        if row.malformed {
            text += "{oops\n";
            continue;
        }
        let object: serde_json::Map<String, serde_json::Value> = HEADER
            .iter()
            .zip(&row.cells)
            .filter(|(_, cell)| !cell.is_empty())
            .map(|(column, cell)| ((*column).to_owned(), cell.as_str().into()))
            .collect();
        text += &serde_json::Value::Object(object).to_string();
        text += "\n";
    }
    text
}

fn file_with(text: &str, suffix: &str) -> tempfile::TempPath {
    let mut file = tempfile::Builder::new()
        .prefix("oblige-registry-")
        .suffix(suffix)
        .tempfile()
        .unwrap();
    file.write_all(text.as_bytes()).unwrap();
    file.into_temp_path()
}

/// The registry or the errors, as text: `Debug` shows attributes in their order, which `==` on
/// maps ignores.
fn shown(read: &Result<Registry, Vec<DataError>>) -> String {
    match read {
        Ok(registry) => format!("{:?}", registry.units()),
        Err(errors) => format!("{errors:?}"),
    }
}

/// Reads `text` in parts on 2 to 4 threads and with one reader; they must agree, and a clean
/// file that quote counting splits right must be read in parts.
fn same_in_parts(text: &str, format: Format, suffix: &str, splits_right: bool) {
    let path = file_with(text, suffix);
    let name = path.display().to_string();
    let one = read_registry(text.as_bytes(), format, &name, &plan());
    for threads in 2..=4 {
        let parts = parts::read_from(&path, (format, &name), &plan(), (threads, 0));
        let chunks = crate::events::split(&path, format, threads).unwrap().chunks;
        if let Some(registry) = parts {
            assert_eq!(shown(&Ok(registry)), shown(&one), "{threads} threads");
        } else {
            let taken = !(splits_right && one.is_ok() && chunks.len() > 1);
            assert!(
                taken,
                "{threads} threads: a clean file was not read in parts"
            );
        }
        let public = read_registry_file_threads(&path, &plan(), threads);
        assert_eq!(shown(&public), shown(&one));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn csv_read_in_parts_is_csv_read_whole(
        rows in rows(),
        crlf in any::<bool>(),
        bom in any::<bool>(),
    ) {
        let splits_right = !rows.iter().any(|r| r.stray_quote);
        same_in_parts(&csv_text(&rows, crlf, bom), Format::Csv, ".csv", splits_right);
    }

    #[test]
    fn json_lines_read_in_parts_are_read_whole(rows in rows()) {
        same_in_parts(&jsonl_text(&rows), Format::JsonLines, ".jsonl", true);
    }

    /// The quick check finds an error exactly when the full check does, whatever the runs.
    #[test]
    fn the_quick_check_agrees_with_the_full_one(rows in rows(), run in 1_usize..20) {
        let plan = plan();
        let clean_rows: Vec<Row> = rows
            .into_iter()
            .map(|r| Row { malformed: false, stray_quote: false, ..r })
            .collect();
        let text = csv_text(&clean_rows, false, false);
        let mut units = Units::new(&plan, "units.csv");
        let mut errors = Vec::new();
        csv::read(text.as_bytes(), &mut units, &mut errors).unwrap();
        let full = check::check_units(&plan, "units.csv", &units.lines, &units.units);
        let quick = crate::types::UnitOrder::of(&units.units, 1)
            .is_ok_and(|order| check::clean_in_runs(&plan, &units.units, &order, run));
        prop_assert_eq!(quick, full.is_empty(), "{:?}", full);
    }
}

/// A stray quote makes quote counting split inside a quoted cell whose second line looks like
/// a whole record: both parts read without error, but the first ends inside quotes, and so is
/// not trusted.
#[test]
fn a_part_that_ends_inside_quotes_is_not_trusted() {
    let mut text = HEADER.join(",") + "\n";
    text += "u0,a\"b,县,,,,,,,,,\n";
    for i in 1..40 {
        text += &format!("p{i},,县,,,,,,,,,\n");
    }
    text += "u1,,企业,,,,,,,,,\"x\nu9,,企业,,,,,,,,,y\"\n";
    let path = file_with(&text, ".csv");
    let name = path.display().to_string();
    let chunks = crate::events::split(&path, Format::Csv, 2).unwrap().chunks;
    assert!(text[usize::try_from(chunks[1].start).unwrap()..].starts_with("u9,"));
    let one = read_registry(text.as_bytes(), Format::Csv, &name, &plan());
    assert!(one.as_ref().is_ok_and(|r| r.get("u9").is_none()));
    let parts = parts::read_from(&path, (Format::Csv, &name), &plan(), (2, 0));
    assert!(parts.is_none());
}
