//! Event log reading: typing, times, ids, one error per bad line, lenient mode.

use super::*;
use crate::test_plan::plan;
use chrono::{NaiveDate, Utc};
use oblige_check::model::Lit;

/// Every event of `text`, which need not be UTF-8, or its error as text.
fn read(
    format: Format,
    text: impl AsRef<[u8]>,
    plan: &Plan,
    options: ReadOptions,
) -> Vec<Result<Event, String>> {
    EventReader::new(text.as_ref(), format, "log", plan, options)
        .unwrap()
        .map(|r| r.map_err(|e| e.to_string()))
        .collect()
}

fn jsonl(lines: &[&str]) -> Vec<Result<Event, String>> {
    read(
        Format::JsonLines,
        lines.join("\n"),
        &plan(),
        ReadOptions::default(),
    )
}

fn errors(results: &[Result<Event, String>]) -> Vec<&str> {
    results
        .iter()
        .filter_map(|r| r.as_ref().err())
        .map(String::as_str)
        .collect()
}

#[test]
fn reads_typed_events_in_the_plan_time_zone() {
    let events = jsonl(&[
        r#"{"id":"e1","time":"2023-06-30T16:30:00Z","kind":"检查","actor":"t1","target":"q1","发现隐患":true,"等级":"高","整改期限":"2023-07-15","对象乡镇":"t2"}"#,
        r#"{"time":"2023-07-01","kind":"会议","actor":"t1","参会人数":12,"主题":"汛期","recorded_at":"2023-07-03 09:30"}"#,
    ]);
    let e1 = events[0].as_ref().unwrap();
    let local = e1
        .time
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .date_naive();
    assert_eq!(
        local,
        NaiveDate::from_ymd_opt(2023, 7, 1).unwrap(),
        "16:30Z is 00:30 in Shanghai"
    );
    assert_eq!(e1.target.as_deref(), Some("q1"));
    assert_eq!(e1.attrs["发现隐患"], Lit::Bool(true));
    assert_eq!(e1.attrs["等级"], Lit::Enum("高".into()));
    assert_eq!(
        e1.attrs["整改期限"],
        Lit::Date(NaiveDate::from_ymd_opt(2023, 7, 15).unwrap())
    );
    assert_eq!(e1.attrs["对象乡镇"], Lit::Text("t2".into()));
    let e2 = events[1].as_ref().unwrap();
    assert_eq!(e2.id, "log:2", "an event without id is named by its place");
    assert_eq!(
        e2.origin,
        EventOrigin {
            file: "log".into(),
            line: 2
        }
    );
    assert_eq!(e2.time.to_rfc3339(), "2023-06-30T16:00:00+00:00");
    assert_eq!(
        e2.recorded_at
            .map(|t| t.with_timezone(&Utc).to_rfc3339())
            .as_deref(),
        Some("2023-07-03T01:30:00+00:00")
    );
    assert_eq!(e2.attrs["参会人数"], Lit::Int(12));
}

use crate::types::EventOrigin;

#[test]
fn undeclared_kinds_keep_their_attributes_as_text() {
    let events =
        jsonl(&[r#"{"time":"2023-07-01","kind":"培训","actor":"zz","人数":30,"线上":false}"#]);
    let e = events[0].as_ref().unwrap();
    assert_eq!(e.attrs["人数"], Lit::Text("30".into()));
    assert_eq!(e.attrs["线上"], Lit::Text("false".into()));
}

#[test]
fn attribute_errors_name_the_field() {
    let events = jsonl(&[
        r#"{"time":"2023-07-01","kind":"会议","actor":"a","参会人数":"十二"}"#,
        r#"{"time":"2023-07-01","kind":"会议","actor":"a","主題":"x"}"#,
        r#"{"time":"2023-07-01","kind":"检查","actor":"a","等级":"极高"}"#,
        r#"{"time":"2023-07-01","kind":"检查","actor":"a","发现隐患":1}"#,
        r#"{"time":"2023-07-01","kind":"会议","actor":"a","主题":{"a":1}}"#,
    ]);
    assert_eq!(
        errors(&events),
        [
            "log:1: field `参会人数`: expected int, found `十二`",
            "log:2: field `主題`: attribute `主題` is not declared by event `会议`, did you mean `主题`?",
            "log:3: field `等级`: `极高` is not a value of enum `风险等级`, did you mean `高`?",
            "log:4: field `发现隐患`: expected bool (`true` or `false`), found `1`",
            "log:5: field `主题`: expected text, found `{…}`",
        ]
    );
}

#[test]
fn required_fields() {
    let events = jsonl(&[
        r#"{"time":"2023-07-01","actor":"a"}"#,
        r#"{"time":"2023-07-01","kind":"会议","actor":""}"#,
        r#"{"kind":"会议","actor":"a","time":null}"#,
        r#"{"kind":"会议","actor":["a"],"time":"2023-07-01"}"#,
    ]);
    assert_eq!(
        errors(&events),
        [
            "log:1: field `kind`: required value is missing",
            "log:2: field `actor`: required value is missing",
            "log:3: field `time`: required value is missing",
            "log:4: field `actor`: expected a string, found `[…]`",
        ]
    );
}

#[test]
fn times_that_are_malformed_or_impossible() {
    let mut new_york = plan();
    new_york.header.timezone = chrono_tz::America::New_York;
    let text = [
        r#"{"time":"2023/07/01","kind":"会议","actor":"a"}"#,
        r#"{"time":"2023-03-12 02:30","kind":"会议","actor":"a"}"#,
        r#"{"time":"2023-11-05T01:30:00","kind":"会议","actor":"a"}"#,
        r#"{"time":"2023-11-05T01:30:00-05:00","kind":"会议","actor":"a","recorded_at":20231105}"#,
    ]
    .join("\n");
    let events = read(Format::JsonLines, &text, &new_york, ReadOptions::default());
    assert_eq!(
        errors(&events),
        [
            "log:1: field `time`: expected a time (`2023-05-04T09:30:00+08:00`, `2023-05-04 09:30` or `2023-05-04`), found `2023/07/01`",
            "log:2: field `time`: local time `2023-03-12 02:30` does not exist in `America/New_York` (clocks go forward); give an offset",
            "log:3: field `time`: local time `2023-11-05T01:30:00` is ambiguous in `America/New_York` (clocks go back); give an offset",
            "log:4: field `recorded_at`: expected a time (`2023-05-04T09:30:00+08:00`, `2023-05-04 09:30` or `2023-05-04`), found `20231105`",
        ]
    );
}

#[test]
fn duplicate_ids_name_both_lines_and_reading_goes_on() {
    let events = jsonl(&[
        r#"{"id":"e1","time":"2023-07-01","kind":"会议","actor":"a"}"#,
        r#"{"id":"e2","time":"2023-07-01","kind":"会议","actor":"a"}"#,
        r#"{"id":"e1","time":"2023-07-02","kind":"会议","actor":"b"}"#,
        r#"{"id":7,"time":"2023-07-02","kind":"会议","actor":"b"}"#,
    ]);
    assert_eq!(
        errors(&events),
        ["log:3: field `id`: duplicate event id `e1` (first at log:1)"]
    );
    assert_eq!(events.iter().filter(|r| r.is_ok()).count(), 3);
    assert_eq!(events[3].as_ref().unwrap().id, "7");
}

#[test]
fn duplicates_across_files() {
    let p = plan();
    let line = r#"{"id":"e1","time":"2023-07-01","kind":"会议","actor":"a"}"#;
    let mut first = EventReader::new(
        line.as_bytes(),
        Format::JsonLines,
        "a.jsonl",
        &p,
        ReadOptions::default(),
    )
    .unwrap();
    assert!(first.next().unwrap().is_ok());
    let (_, seen) = first.finish();
    let text = format!("\n{line}");
    let mut second = EventReader::new(
        text.as_bytes(),
        Format::JsonLines,
        "b.jsonl",
        &p,
        ReadOptions::default(),
    )
    .unwrap()
    .with_seen_ids(seen);
    let error = second.next().unwrap().unwrap_err();
    assert_eq!(
        error.to_string(),
        "b.jsonl:2: field `id`: duplicate event id `e1` (first at a.jsonl:1)"
    );
}

#[test]
fn malformed_json_lines_are_one_error_each() {
    let events = jsonl(&[
        r#"{"time":"2023-07-01","kind":"会议","actor":"a""#,
        "   ",
        "not json",
        r#"{"kind":"会议","kind":"检查"}"#,
        r#"{"time":"2023-07-01","kind":"会议","actor":"a"}"#,
    ]);
    assert_eq!(
        errors(&events),
        [
            "log:1: malformed json: EOF while parsing an object (column 44)",
            "log:3: malformed json: expected ident (column 2)",
            "log:4: malformed json: key `kind` appears twice (column 25)",
        ]
    );
    assert_eq!(events.last().unwrap().as_ref().unwrap().origin.line, 5);
}

#[test]
fn a_line_in_another_encoding_says_so() {
    // "会议" in GBK, inside an otherwise well-formed line; then a syntax error before a bad
    // byte, which is reported as the syntax error it is.
    let mut text = br#"{"time":"2023-07-01","kind":""#.to_vec();
    text.extend([0xbb, 0xe1, 0xd2, 0xe9]);
    text.extend(br#"","actor":"a"}"#);
    text.extend(b"\n{\"time\" 1, \"kind\":\"\xff\"}\n");
    let results = read(Format::JsonLines, &text, &plan(), ReadOptions::default());
    assert_eq!(
        errors(&results),
        [
            "log:1: malformed json: the line is not utf-8 (byte `0xbb`, column 30); files are read as utf-8, so one saved in another encoding (such as gbk) must be converted first",
            "log:2: malformed json: expected `:` (column 9)",
        ]
    );
}

/// Excel on a Chinese system saves CSV as GBK unless told otherwise: the header or a cell
/// that is not UTF-8 says so, with its first bad byte.
#[test]
fn csv_in_another_encoding_says_so() {
    let p = plan();
    // "会议" in GBK, as a cell and as a column name.
    let mut text = b"time,kind,actor\n2023-07-01,".to_vec();
    text.extend([0xbb, 0xe1, 0xd2, 0xe9]);
    text.extend(b",a\n");
    let results = read(Format::Csv, &text, &p, ReadOptions::default());
    assert_eq!(
        errors(&results),
        ["log:2: field `kind`: malformed csv: the cell is not utf-8 (byte `0xbb`); files are read as utf-8, so one saved in another encoding (such as gbk) must be converted first"]
    );
    let header = [b"time,kind,actor,".as_slice(), &[0xbb, 0xe1], b"\n"].concat();
    let refused = EventReader::new(
        header.as_slice(),
        Format::Csv,
        "log.csv",
        &p,
        ReadOptions::default(),
    );
    assert_eq!(
        refused.err().map(|e| e.to_string()).as_deref(),
        Some("log.csv:1: malformed csv: column 4 of the header is not utf-8 (byte `0xbb`); files are read as utf-8, so one saved in another encoding (such as gbk) must be converted first")
    );
}

#[test]
fn csv_logs_resolve_the_header_once() {
    let text = "id,time,kind,actor,target,参会人数,发现隐患\n\
                e1,2023-07-01 09:00,会议,t1,,12,\n\
                e2,2023-07-01T10:00:00+08:00,检查,t1,q1,,true\n\
                e3,2023-07-01,会议,t1,,十二,\n\
                e4,2023-07-01,会议\n\
                ,2023-07-02,会议,t2,,,\n";
    let events = read(Format::Csv, text, &plan(), ReadOptions::default());
    assert_eq!(
        errors(&events),
        [
            "log:4: field `参会人数`: expected int, found `十二`",
            "log:5: malformed csv: record has 3 fields, the header has 7",
        ]
    );
    let ok: Vec<&Event> = events.iter().filter_map(|r| r.as_ref().ok()).collect();
    assert_eq!(ok.len(), 3);
    assert_eq!(ok[0].attrs["参会人数"], Lit::Int(12));
    assert!(
        !ok[0].attrs.contains_key("发现隐患"),
        "empty cells are absent"
    );
    assert_eq!(ok[1].target.as_deref(), Some("q1"));
    assert_eq!(ok[2].id, "log:6");
}

#[test]
fn csv_header_with_a_repeated_column_is_refused() {
    let p = plan();
    let result = EventReader::new(
        "time,kind,time\n".as_bytes(),
        Format::Csv,
        "log.csv",
        &p,
        ReadOptions::default(),
    );
    assert_eq!(
        result.err().map(|e| e.to_string()).as_deref(),
        Some("log.csv:1: field `time`: column `time` appears twice")
    );
}

#[test]
fn lenient_mode_counts_skips_by_reason() {
    let mut lines = vec![r#"{"time":"2023-07-01","kind":"会议","actor":"a"}"#.to_owned()];
    for i in 0..5 {
        lines.push(format!(r#"{{"time":"bad{i}","kind":"会议","actor":"a"}}"#));
    }
    lines.push(r#"{"time":"2023-07-01","kind":"会议"}"#.to_owned());
    lines.push("{".to_owned());
    let p = plan();
    let text = lines.join("\n");
    let mut reader = EventReader::new(
        text.as_bytes(),
        Format::JsonLines,
        "log",
        &p,
        ReadOptions::lenient(),
    )
    .unwrap();
    let events: Vec<_> = reader.by_ref().collect();
    assert_eq!(events.len(), 1);
    assert!(events[0].is_ok());
    let skipped = reader.skipped();
    assert_eq!(skipped.count, 7);
    let by_reason: Vec<(&str, u64)> = skipped
        .by_reason
        .iter()
        .map(|(k, v)| (k.as_str(), *v))
        .collect();
    assert_eq!(
        by_reason,
        [("bad time", 5), ("malformed json", 1), ("missing field", 1)]
    );
    let lines_kept: Vec<u64> = skipped
        .first_examples
        .iter()
        .filter_map(|e| e.location().map(|at| at.line))
        .collect();
    assert_eq!(lines_kept, [2, 3, 4, 7, 8], "three examples per reason");
}

#[test]
fn io_errors_end_reading() {
    struct Failing;
    impl std::io::Read for Failing {
        fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("disk gone"))
        }
    }
    let p = plan();
    let reader = EventReader::new(
        std::io::BufReader::new(Failing),
        Format::JsonLines,
        "log",
        &p,
        ReadOptions::lenient(),
    )
    .unwrap();
    let results: Vec<_> = reader.map(|r| r.map_err(|e| e.to_string())).collect();
    assert_eq!(results, [Err("cannot read `log`: disk gone".to_owned())]);
}

#[test]
fn csv_header_without_a_required_column_is_refused() {
    let p = plan();
    let result = EventReader::new(
        "id,time,actor\ne1,2023-07-01,a\n".as_bytes(),
        Format::Csv,
        "log.csv",
        &p,
        ReadOptions::default(),
    );
    assert_eq!(
        result.err().map(|e| e.to_string()).as_deref(),
        Some("log.csv:1: field `kind`: required value is missing")
    );
}

/// Every line read into one reused event, each result as the iterator would give it.
fn read_reusing(format: Format, text: &str, options: ReadOptions) -> Vec<Result<Event, String>> {
    let p = plan();
    let mut reader = EventReader::new(text.as_bytes(), format, "log", &p, options).unwrap();
    let mut event = Event::default();
    let mut results = Vec::new();
    while let Some(read) = reader.read_into(&mut event) {
        results.push(read.map(|()| event.clone()).map_err(|e| e.to_string()));
    }
    results
}

/// Lines whose kinds, attributes, attribute order, targets and ids change from one to the next,
/// with bad lines between them that leave half a line in a reused event.
const CHANGING_LINES: [&str; 13] = [
    r#"{"id":"e1","time":"2023-07-01","kind":"检查","actor":"t1","target":"q1","发现隐患":true,"等级":"高","整改期限":"2023-07-15","对象乡镇":"t2","recorded_at":"2023-07-02"}"#,
    r#"{"time":"2023-07-01","kind":"会议","actor":"t1","主题":"汛期"}"#,
    r#"{"time":"2023-07-02","kind":"检查","actor":"t1","等级":"低"}"#,
    r#"{"time":"2023-07-02","kind":"检查","actor":"t1","target":"q2","对象乡镇":"t3","等级":"中","发现隐患":null}"#,
    r#"{"time":"2023-07-03","kind":"会议","actor":"t1","主题":"复盘","参会人数":"十二"}"#,
    r#"{"time":"2023-07-03","kind":"培训","actor":"zz","人数":30}"#,
    r#"{"time":"2023-07-04","kind":"会议","actor":"t1","参会人数":8,"主题":"部署"}"#,
    r#"{"time":"2023-07-04","kind":"会议","actor":"t1","主题":"a","参会人数":3,"主题":"b"}"#,
    r#"{"time":"2023-07-05","kind":"检查","actor":"t1","target":"q3","等级":"极高"}"#,
    r#"{"time":"2023-07-05","kind":"检查","actor":"t2","对象乡镇":"t1","等级":"低"}"#,
    r#"{"id":7,"time":"2023-07-05","kind":"检查","actor":"t2","target":"q4","对象乡镇":"t2"}"#,
    r#"{"time":"2023-07-06","kind":"会议","actor":"t1"}"#,
    r#"{"time":"2023-07-06","kind":"检查","actor":"t2"}"#,
];

#[test]
fn a_reused_event_keeps_nothing_of_the_lines_before() {
    let text = CHANGING_LINES.join("\n");
    let fresh = read(Format::JsonLines, &text, &plan(), ReadOptions::default());
    let reused = read_reusing(Format::JsonLines, &text, ReadOptions::default());
    assert_eq!(reused, fresh);
    let keys = |i: usize| -> Vec<&str> {
        let event: &Event = reused[i].as_ref().unwrap();
        event.attrs.keys().map(String::as_str).collect()
    };
    let second = reused[1].as_ref().unwrap();
    assert_eq!(
        (second.id.as_str(), &second.target, second.recorded_at),
        ("log:2", &None, None)
    );
    assert_eq!(keys(1), ["主题"]);
    assert_eq!(keys(2), ["等级"]);
    assert_eq!(
        keys(3),
        ["对象乡镇", "等级"],
        "absent attributes are left out"
    );
    assert_eq!(
        reused[5].as_ref().unwrap().attrs["人数"],
        Lit::Text("30".into())
    );
    assert_eq!(
        keys(6),
        ["参会人数", "主题"],
        "line order, not the line before's"
    );
    assert_eq!(reused[6].as_ref().unwrap().attrs["参会人数"], Lit::Int(8));
    let repeated = reused[7].as_ref().unwrap();
    assert_eq!(keys(7), ["主题", "参会人数"]);
    assert_eq!(
        repeated.attrs["主题"],
        Lit::Text("b".into()),
        "the last value wins"
    );
    let last = reused[10].as_ref().unwrap();
    assert_eq!(
        keys(10),
        ["对象乡镇"],
        "fewer attributes than the kind's line before"
    );
    assert_eq!((last.id.as_str(), last.origin.line), ("7", 11));
    assert!(
        keys(11).is_empty() && keys(12).is_empty(),
        "no attributes after a line with some, then after one without"
    );
    assert_eq!(
        errors(&reused),
        [
            "log:5: field `参会人数`: expected int, found `十二`",
            "log:9: field `等级`: `极高` is not a value of enum `风险等级`, did you mean `高`?",
        ]
    );
}

#[test]
fn a_reused_event_reads_lenient_logs_and_csv_as_the_iterator_does() {
    let jsonl = CHANGING_LINES.join("\n");
    let fresh = read(Format::JsonLines, &jsonl, &plan(), ReadOptions::lenient());
    let reused = read_reusing(Format::JsonLines, &jsonl, ReadOptions::lenient());
    assert_eq!(reused.len(), 11);
    assert_eq!(reused, fresh);
    let csv = "id,time,kind,actor,target,参会人数,主题,等级\n\
               e1,2023-07-01,会议,t1,,12,汛期,\n\
               e2,2023-07-01,检查,t1,q1,,,高\n\
               ,2023-07-02,会议,t2,,,复盘,\n\
               e1,2023-07-02,会议,t2,,,,\n\
               e4,2023-07-03,检查,t1,,,,低\n";
    let fresh = read(Format::Csv, csv, &plan(), ReadOptions::default());
    assert_eq!(
        errors(&fresh),
        ["log:5: field `id`: duplicate event id `e1` (first at log:2)"]
    );
    assert_eq!(
        read_reusing(Format::Csv, csv, ReadOptions::default()),
        fresh
    );
}

#[test]
fn csv_cells_are_trimmed_and_blank_cells_are_absent() {
    let text = "id , time,kind,actor,target,参会人数,主题\n \
                e1 ,\t2023-07-01 09:00 ,会议, t1 ,  , 12 , 汛期 \n";
    let events = read(Format::Csv, text, &plan(), ReadOptions::default());
    let e = events[0].as_ref().unwrap();
    assert_eq!((e.id.as_str(), e.actor.as_str()), ("e1", "t1"));
    assert_eq!(e.target, None);
    assert_eq!(e.time.to_rfc3339(), "2023-07-01T01:00:00+00:00");
    assert_eq!(e.attrs["参会人数"], Lit::Int(12));
    assert_eq!(e.attrs["主题"], Lit::Text("汛期".into()));
}
