//! Generates the synthetic 2023 event log of the Xianning seed plan, deterministically.
//!
//! Reads `seeds/xianning-2023/units.csv` and writes `seeds/xianning-2023/events-2023.jsonl`: one
//! JSON object per line, sorted by time, with ids `ev-000001`, … . The log is realistic enough to
//! exercise every rule of the plan, and contains the deliberate violations listed in
//! `seeds/xianning-2023/VIOLATIONS.md`; everything else is generated so that the duties are met.
//!
//! ```sh
//! cargo run -p oblige --example gen_xianning_log            # default paths
//! cargo run -p oblige --example gen_xianning_log -- UNITS.csv OUT.jsonl
//! ```
//!
//! The random generator is ChaCha8 with a fixed seed, so the output is byte-identical on every
//! machine.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::error::Error;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;

/// The fixed seed: the plan's issue date.
const SEED: u64 = 20230504;

type Res<T> = Result<T, Box<dyn Error>>;

/// A unit of the registry, as read from the CSV.
#[derive(Clone, Debug)]
struct Unit {
    id: String,
    classes: Vec<String>,
    active_from: Option<NaiveDate>,
    attrs: HashMap<String, String>,
}

impl Unit {
    fn attr(&self, name: &str) -> &str {
        self.attrs.get(name).map_or("", String::as_str)
    }
    fn flag(&self, name: &str) -> bool {
        self.attr(name) == "true"
    }
    fn is(&self, class: &str) -> bool {
        self.classes.iter().any(|c| c == class)
    }
    /// The first day the unit has duties: its registry start or its founding date
    /// (`成立日期`), whichever is later.
    fn start(&self) -> NaiveDate {
        let founded = NaiveDate::parse_from_str(self.attr("成立日期"), "%Y-%m-%d").ok();
        self.active_from
            .into_iter()
            .chain(founded)
            .max()
            .unwrap_or_else(|| day(1, 1))
    }
}

/// An attribute value of an event.
#[derive(Clone, Debug)]
enum Val {
    Text(String),
    Int(i64),
    Bool(bool),
    Date(NaiveDate),
    /// The id of another generated event (resolved when ids are assigned).
    Ev(usize),
}

/// One generated event.
#[derive(Clone, Debug)]
struct Ev {
    time: NaiveDateTime,
    kind: &'static str,
    actor: String,
    target: Option<String>,
    recorded_at: Option<NaiveDateTime>,
    attrs: Vec<(&'static str, Val)>,
}

/// A day of 2023.
fn day(month: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, month, d).unwrap_or(NaiveDate::MIN)
}

/// A date of any year.
fn ymd(y: i32, month: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, month, d).unwrap_or(NaiveDate::MIN)
}

/// A local time on a day.
fn at(d: NaiveDate, h: u32, m: u32) -> NaiveDateTime {
    d.and_time(NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN))
}

/// Last day of a month of 2023.
fn month_end(month: u32) -> NaiveDate {
    if month == 12 {
        day(12, 31)
    } else {
        day(month + 1, 1) - Duration::days(1)
    }
}

/// The generator state.
struct Gen {
    rng: ChaCha8Rng,
    events: Vec<Ev>,
    holidays: BTreeSet<NaiveDate>,
    workdays: BTreeSet<NaiveDate>,
    end: NaiveDateTime,
}

impl Gen {
    fn new() -> Self {
        let mut holidays = BTreeSet::new();
        for (a, b) in [
            (ymd(2022, 12, 31), day(1, 2)),
            (day(1, 21), day(1, 27)),
            (day(4, 5), day(4, 5)),
            (day(4, 29), day(5, 3)),
            (day(6, 22), day(6, 24)),
            (day(9, 29), day(10, 6)),
        ] {
            let mut d = a;
            while d <= b {
                holidays.insert(d);
                d += Duration::days(1);
            }
        }
        let workdays = [
            day(1, 28),
            day(1, 29),
            day(4, 23),
            day(5, 6),
            day(6, 25),
            day(10, 7),
            day(10, 8),
        ]
        .into_iter()
        .collect();
        Self {
            rng: ChaCha8Rng::seed_from_u64(SEED),
            events: Vec::new(),
            holidays,
            workdays,
            end: at(day(12, 31), 23, 59),
        }
    }

    fn is_workday(&self, d: NaiveDate) -> bool {
        if self.workdays.contains(&d) {
            return true;
        }
        !self.holidays.contains(&d) && !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
    }

    /// The day `n` working days after `d`.
    fn add_workdays(&self, d: NaiveDate, n: u32) -> NaiveDate {
        let mut out = d;
        let mut left = n;
        while left > 0 {
            out += Duration::days(1);
            if self.is_workday(out) {
                left -= 1;
            }
        }
        out
    }

    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            lo
        } else {
            self.rng.random_range(lo..=hi)
        }
    }

    fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        if items.is_empty() {
            None
        } else {
            items.get(self.rng.random_range(0..items.len()))
        }
    }

    /// A random working day in `[from, to]` (or `from` if there is none).
    fn workday_in(&mut self, from: NaiveDate, to: NaiveDate) -> NaiveDate {
        let days: Vec<NaiveDate> = from
            .iter_days()
            .take_while(|d| *d <= to)
            .filter(|d| self.is_workday(*d))
            .collect();
        self.pick(&days).copied().unwrap_or(from)
    }

    /// A random office-hours time on `d`.
    fn office_time(&mut self, d: NaiveDate) -> NaiveDateTime {
        let h = self.range(8, 16);
        let m = self.range(0, 59);
        at(d, h as u32, m as u32)
    }

    /// A random office-hours time on a working day in `[from, to]`.
    fn when(&mut self, from: NaiveDate, to: NaiveDate) -> NaiveDateTime {
        let d = self.workday_in(from, to);
        self.office_time(d)
    }

    /// Adds an event unless it falls after the end of the year; returns its index.
    fn push(
        &mut self,
        time: NaiveDateTime,
        kind: &'static str,
        actor: &str,
        target: Option<&str>,
        attrs: Vec<(&'static str, Val)>,
    ) -> Option<usize> {
        if time > self.end {
            return None;
        }
        self.events.push(Ev {
            time,
            kind,
            actor: actor.to_owned(),
            target: target.map(str::to_owned),
            recorded_at: None,
            attrs,
        });
        Some(self.events.len() - 1)
    }
}

fn text(s: &str) -> Val {
    Val::Text(s.to_owned())
}

/// Reads the registry.
fn read_units(path: &PathBuf) -> Res<Vec<Unit>> {
    let mut reader = csv::Reader::from_path(path)?;
    let headers = reader.headers()?.clone();
    let mut units = Vec::new();
    for record in reader.records() {
        let record = record?;
        let mut attrs = HashMap::new();
        for (h, v) in headers.iter().zip(record.iter()) {
            if !v.is_empty() {
                attrs.insert(h.to_owned(), v.to_owned());
            }
        }
        let get = |k: &str| attrs.get(k).cloned().unwrap_or_default();
        let active_from = match attrs.get("active_from") {
            Some(s) => Some(NaiveDate::parse_from_str(s, "%Y-%m-%d")?),
            None => None,
        };
        units.push(Unit {
            id: get("id"),
            classes: get("class").split(';').map(str::to_owned).collect(),
            active_from,
            attrs,
        });
    }
    Ok(units)
}

/// The deliberate violations, chosen from the registry deterministically (see VIOLATIONS.md).
struct Picks {
    /// Misses its leader inspections in March, April and August.
    leader_gaps: String,
    /// No emergency drill in the second half-year.
    no_drill_h2: String,
    /// Insurance lapses 2023-07-01 .. 2023-07-31.
    insurance_lapse: String,
    /// No safety-fee accrual in December.
    fee_gap: String,
    /// Key enterprise never inspected by its city-level department.
    no_city_inspection: String,
    /// Enterprise never inspected by its county-level department.
    no_county_inspection: String,
    /// Enterprise never inspected at all.
    never_inspected: String,
    /// High-risk enterprise not inspected in the second quarter.
    no_q2_inspection: String,
    /// Standardisation certificate expires 2023-10-31 and is not renewed.
    cert_expired: String,
}

fn choose_picks(ents: &[&Unit]) -> Res<Picks> {
    let find = |pred: &dyn Fn(&Unit) -> bool, skip: &[&str]| -> Res<String> {
        ents.iter()
            .find(|u| u.active_from.is_none() && pred(u) && !skip.contains(&u.id.as_str()))
            .map(|u| u.id.clone())
            .ok_or_else(|| "no enterprise fits a deliberate violation".into())
    };
    let quarterly = |u: &Unit| needs_quarterly(u);
    let half = |u: &Unit| needs_half_yearly(u);
    let leader_gaps = find(&|u| u.flag("高危") && u.attr("行业") == "非煤矿山", &[])?;
    let no_drill_h2 = find(&|u| u.flag("高危") && u.attr("行业") == "冶金", &[])?;
    let insurance_lapse = find(&|u| u.flag("高危") && u.attr("行业") == "危险化学品", &[])?;
    let fee_gap = find(&|u| u.flag("高危") && u.attr("行业") == "烟花爆竹", &[])?;
    let no_city_inspection = find(
        &|u| u.flag("重点") && u.attr("行业") == "工贸" && !u.flag("高危"),
        &[],
    )?;
    let no_county_inspection = find(
        &|u| u.attr("行业") == "商贸" && !u.flag("重点") && !quarterly(u),
        &[],
    )?;
    let never_inspected = find(
        &|u| u.attr("行业") == "旅游" && !u.flag("重点") && !quarterly(u) && !half(u),
        &[],
    )?;
    let no_q2_inspection = find(
        &|u| u.attr("风险等级") == "重大风险",
        &[&leader_gaps, &no_drill_h2, &insurance_lapse, &fee_gap],
    )?;
    let cert_expired = find(
        &|u| u.flag("规上") && !u.flag("高危") && u.attr("行业") == "建筑施工",
        &[],
    )?;
    Ok(Picks {
        leader_gaps,
        no_drill_h2,
        insurance_lapse,
        fee_gap,
        no_city_inspection,
        no_county_inspection,
        never_inspected,
        no_q2_inspection,
        cert_expired,
    })
}

/// Rules 第3条_高风险企业检查频次 and 第11条_重大危险源常态化管控: inspected every quarter.
fn needs_quarterly(u: &Unit) -> bool {
    matches!(u.attr("风险等级"), "重大风险" | "较大风险")
        || u.flag("安全基础较差")
        || u.flag("重大危险源")
}

/// Rules of articles 10, 14, 15, 17: inspected every half-year.
fn needs_half_yearly(u: &Unit) -> bool {
    matches!(
        u.attr("行业"),
        "非煤矿山" | "城镇燃气" | "人员密集场所" | "特种设备"
    )
}

const OFFICE: &str = "city-sac-office";
const SAC: &str = "city-sac";

fn main() -> Res<()> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../seeds/xianning-2023");
    let mut args = std::env::args().skip(1);
    let units_path = args
        .next()
        .map_or_else(|| root.join("units.csv"), PathBuf::from);
    let out_path = args
        .next()
        .map_or_else(|| root.join("events-2023.jsonl"), PathBuf::from);
    let units = read_units(&units_path)?;
    let mut g = Gen::new();

    let ents: Vec<&Unit> = units.iter().filter(|u| u.is("企业")).collect();
    let city_depts: Vec<&Unit> = units
        .iter()
        .filter(|u| u.is("成员单位") && u.attr("层级") == "市级")
        .collect();
    let counties: Vec<&Unit> = units.iter().filter(|u| u.is("县区")).collect();
    let townships: Vec<&Unit> = units.iter().filter(|u| u.is("乡镇")).collect();
    let committees: Vec<&Unit> = units.iter().filter(|u| u.is("专委会")).collect();
    let picks = choose_picks(&ents)?;

    city_unit_events(&mut g, &city_depts);
    county_events(&mut g, &counties);
    office_events(&mut g, &ents, &picks);
    rating_events(&mut g, &committees, &townships);
    enterprise_events(&mut g, &ents, &picks);
    inspections(&mut g, &ents, &picks);
    accidents(&mut g, &ents, &picks);

    write_log(&mut g, &out_path)?;
    println!("wrote {} events to {}", g.events.len(), out_path.display());
    println!("leader_gaps          {}", picks.leader_gaps);
    println!("no_drill_h2          {}", picks.no_drill_h2);
    println!("insurance_lapse      {}", picks.insurance_lapse);
    println!("fee_gap              {}", picks.fee_gap);
    println!("no_city_inspection   {}", picks.no_city_inspection);
    println!("no_county_inspection {}", picks.no_county_inspection);
    println!("never_inspected      {}", picks.never_inspected);
    println!("no_q2_inspection     {}", picks.no_q2_inspection);
    println!("cert_expired         {}", picks.cert_expired);
    Ok(())
}

/// Meetings, reports, trainings, campaigns and publicity of the city-level member units.
fn city_unit_events(g: &mut Gen, depts: &[&Unit]) {
    for u in depts {
        let id = u.id.as_str();
        let start = u.start();
        // 第3条: leadership-group meeting each half-year (市商务局 skips H1).
        if id != "city-swj" && start <= day(6, 30) {
            let t = g.when(day(2, 1).max(start), day(6, 20));
            g.push(
                t,
                "领导小组会议",
                id,
                None,
                vec![("主持人", text("主要负责人"))],
            );
        }
        let t = g.when(day(8, 1).max(start), day(12, 15));
        g.push(
            t,
            "领导小组会议",
            id,
            None,
            vec![("主持人", text("主要负责人"))],
        );

        if u.flag("负有监管职责") {
            // 第7条: monthly 一情况两清单 (市文化和旅游局 misses November).
            for m in 1..=12u32 {
                if month_end(m) < start || (id == "city-wlj" && m == 11) {
                    continue;
                }
                let from = day(m, 20).max(start);
                let t = g.when(from, month_end(m));
                let problems = g.range(2, 15);
                let fixed = g.range(0, problems);
                g.push(
                    t,
                    "一情况两清单报送",
                    id,
                    Some(OFFICE),
                    vec![("问题数", Val::Int(problems)), ("整改数", Val::Int(fixed))],
                );
            }
            // 第19条: law-enforcement training each half-year (市生态环境局 skips H2).
            if start <= day(6, 30) {
                let t = g.when(day(3, 1).max(start), day(6, 15));
                let n = g.range(20, 80);
                g.push(t, "执法培训", id, None, vec![("参训人数", Val::Int(n))]);
            }
            if id != "city-sthjj" {
                let t = g.when(day(8, 1).max(start), day(11, 30));
                let n = g.range(20, 80);
                g.push(t, "执法培训", id, None, vec![("参训人数", Val::Int(n))]);
            }
        }
    }

    // 第1条: leadership training organised by 市委组织部.
    let t = g.when(day(8, 14), day(8, 25));
    g.push(
        t,
        "专题培训",
        "city-zzb",
        None,
        vec![
            ("培训对象", text("市直部门和县市区领导干部")),
            ("参训人数", Val::Int(120)),
        ],
    );

    // Campaigns (专项行动) of part 四 and article 23, by lead department.
    let campaigns: &[(&str, &str, &str, u32)] = &[
        ("city-yjj", "矿山整治", "非煤矿山安全隐患排查整治", 3),
        ("city-yjj", "尾矿库治理", "尾矿库综合治理巩固提升", 4),
        ("city-sthjj", "尾矿库治理", "尾矿库环境安全隐患排查", 5),
        ("city-yjj", "危化品整治", "危险化学品安全专项整治", 3),
        (
            "city-yjj",
            "化工产业转移回头看",
            "化工产业转移安全专项整治回头看",
            6,
        ),
        (
            "city-jxj",
            "化工产业转移回头看",
            "化工产业转移项目安全回头看",
            6,
        ),
        ("city-yjj", "工贸整治", "冶金粉尘涉爆有限空间专项整治", 4),
        (
            "city-yjj",
            "人员聚集场所整治",
            "人员密集场所安全专项检查",
            9,
        ),
        ("city-yjj", "环保设施整治", "环保设备设施安全风险排查", 7),
        (
            "city-yjj",
            "中介机构治理",
            "安全评价检测检验机构专项治理",
            8,
        ),
        (
            "city-sthjj",
            "环保设施整治",
            "重点行业环保设施安全专项检查",
            7,
        ),
        (
            "city-gaj",
            "道路交通整治",
            "道路交通安全减量控大百日行动",
            4,
        ),
        (
            "city-gaj",
            "民爆物品整治",
            "民用爆炸物品安全监管专项行动",
            5,
        ),
        (
            "city-gaj",
            "人员聚集场所整治",
            "大型活动人员聚集安全管理",
            9,
        ),
        (
            "city-jtj",
            "道路交通整治",
            "两客一危一货一面重点车辆整治",
            5,
        ),
        (
            "city-jtj",
            "基础设施工程整治",
            "公路水运工程施工安全隐患排查",
            6,
        ),
        ("city-jtj", "商渔共治", "商渔共治2023专项行动", 5),
        ("city-jtj", "水上交通整治", "水上交通安全专项整治", 7),
        ("city-nyncj", "商渔共治", "商渔共治2023渔业船舶专项行动", 5),
        ("city-zjj", "自建房整治", "经营性自建房安全专项整治", 3),
        (
            "city-zjj",
            "房屋市政工程治理",
            "房屋市政工程安全生产治理行动",
            4,
        ),
        (
            "city-slj",
            "基础设施工程整治",
            "水利工程施工安全隐患排查整治",
            6,
        ),
        (
            "city-slj",
            "水电站大坝安全提升",
            "水电站大坝安全提升专项行动",
            8,
        ),
        ("city-xfzd", "消防整治", "冬春火灾防控专项整治", 2),
        ("city-xfzd", "消防整治", "夏季消防检查", 7),
        ("city-scjgj", "特种设备整治", "大型游乐设施安全专项检查", 4),
        (
            "city-scjgj",
            "人员聚集场所整治",
            "商场超市特种设备安全检查",
            9,
        ),
        ("city-scjgj", "疫苗流通监管", "疫苗流通储存环节监督检查", 3),
        (
            "city-wlj",
            "人员聚集场所整治",
            "旅游景区节假日客流安全管理",
            9,
        ),
        ("city-jyj", "学校实验室整治", "学校实验室安全专项检查", 10),
        ("city-wjw", "疫苗流通监管", "新冠病毒疫苗储存安全检查", 2),
    ];
    for (unit, field, name, month) in campaigns {
        let t = g.when(day(*month, 1), day(*month, 25));
        g.push(
            t,
            "专项行动",
            unit,
            None,
            vec![("领域", text(field)), ("名称", text(name))],
        );
    }

    // Publicity (第18、21条).
    for unit in ["city-xcb", "city-gaj", "city-yjj", "city-zgh"] {
        let t = g.when(day(6, 1), day(6, 20));
        g.push(
            t,
            "宣传活动",
            unit,
            None,
            vec![("主题", text("安全生产月活动"))],
        );
    }
    // 团市委 holds its Work Safety Month event in July: outside the window.
    let t = g.when(day(7, 3), day(7, 14));
    g.push(
        t,
        "宣传活动",
        "city-tsw",
        None,
        vec![("主题", text("安全生产月活动"))],
    );
    // Disaster Prevention Day event one day late (05-13, a Saturday).
    g.push(
        at(day(5, 13), 9, 30),
        "宣传活动",
        "city-yjj",
        None,
        vec![("主题", text("防灾减灾日宣传"))],
    );
    g.push(
        at(day(11, 9), 9, 0),
        "宣传活动",
        "city-xfzd",
        None,
        vec![("主题", text("消防宣传日活动"))],
    );
    let t = g.when(day(9, 11), day(9, 22));
    g.push(
        t,
        "宣传活动",
        "city-yjj",
        None,
        vec![("主题", text("安全宣传五进"))],
    );
    let t = g.when(day(10, 16), day(10, 27));
    g.push(
        t,
        "宣传活动",
        "city-yjj",
        None,
        vec![("主题", text("安全生产楚天行"))],
    );
    for unit in ["city-xcb", "city-yjj"] {
        let t = g.when(day(3, 6), day(3, 31));
        g.push(t, "宣传活动", unit, None, vec![("主题", text("法规宣贯"))]);
    }
    // Expert guidance for the chemical key counties: 赤壁市 only (嘉鱼县 gets none).
    let t = g.when(day(6, 5), day(6, 16));
    g.push(
        t,
        "专家指导服务",
        "city-yjj",
        Some("county-chibi"),
        vec![("专家人数", Val::Int(5))],
    );
}

/// Duties of the six county-level divisions.
fn county_events(g: &mut Gen, counties: &[&Unit]) {
    for c in counties {
        let id = c.id.as_str();
        // 第2条: key problems studied each quarter (通山县 skips Q3).
        for q in 0..4u32 {
            if id == "county-tongshan" && q == 2 {
                continue;
            }
            let m = q * 3 + 1;
            let t = g.when(day(m, 10), month_end(m + 2));
            g.push(
                t,
                "专题研究会议",
                id,
                None,
                vec![("议题", text("重难点问题"))],
            );
        }
        for (from, to) in [(day(3, 1), day(6, 20)), (day(9, 1), day(12, 15))] {
            let t = g.when(from, to);
            g.push(
                t,
                "专题研究会议",
                id,
                None,
                vec![("议题", text("区域风险研判"))],
            );
        }
        let t = g.when(day(5, 1), day(11, 30));
        g.push(
            t,
            "专题研究会议",
            id,
            None,
            vec![("议题", text("隐患整改督办"))],
        );
        let t = g.when(day(2, 6), day(2, 24));
        g.push(
            t,
            "文件印发",
            id,
            None,
            vec![
                ("文件类型", text("年度工作清单")),
                ("文号", Val::Text(format!("{id}-安委〔2023〕3号"))),
            ],
        );
        let t = g.when(day(6, 1), day(7, 31));
        g.push(
            t,
            "文件印发",
            id,
            None,
            vec![
                ("文件类型", text("监管职责清单")),
                ("文号", Val::Text(format!("{id}-安委〔2023〕9号"))),
            ],
        );
        // 第7条: monthly report (嘉鱼县 misses August).
        for m in 1..=12u32 {
            if id == "county-jiayu" && m == 8 {
                continue;
            }
            let t = g.when(day(m, 20), month_end(m));
            let problems = g.range(5, 40);
            let fixed = g.range(0, problems);
            g.push(
                t,
                "一情况两清单报送",
                id,
                Some(OFFICE),
                vec![("问题数", Val::Int(problems)), ("整改数", Val::Int(fixed))],
            );
        }
        let t = g.when(day(4, 10), day(9, 15));
        let n = g.range(40, 150);
        g.push(
            t,
            "专题培训",
            id,
            None,
            vec![
                ("培训对象", text("县级党委政府领导干部")),
                ("参训人数", Val::Int(n)),
            ],
        );
        let t = g.when(day(3, 1), day(5, 31));
        g.push(
            t,
            "专项行动",
            id,
            None,
            vec![
                ("领域", text("燃气整治")),
                ("名称", text("城镇燃气安全隐患排查整治")),
            ],
        );
    }
}

/// Duties of the city safety committee's office, except the hazard letters.
fn office_events(g: &mut Gen, ents: &[&Unit], picks: &Picks) {
    let meetings: &[(&str, u32)] = &[
        ("成员单位会商", 3),
        ("成员单位会商", 9),
        ("形势分析研判", 1),
        ("形势分析研判", 4),
        ("形势分析研判", 7),
        ("形势分析研判", 10),
        ("部门间风险会商", 5),
        ("部门间风险会商", 11),
    ];
    for (topic, month) in meetings {
        let t = g.when(day(*month, 5), day(*month, 25));
        g.push(t, "会商研判", OFFICE, None, vec![("主题", text(topic))]);
    }
    let t = g.when(day(5, 15), day(5, 26));
    g.push(
        t,
        "文件印发",
        OFFICE,
        None,
        vec![
            ("文件类型", text("评级标准")),
            ("文号", text("咸安办〔2023〕12号")),
        ],
    );
    let t = g.when(day(6, 5), day(6, 16));
    g.push(
        t,
        "文件印发",
        OFFICE,
        None,
        vec![
            ("文件类型", text("监管职责清单")),
            ("文号", text("咸安办〔2023〕15号")),
        ],
    );
    for month in [3u32, 9] {
        let t = g.when(day(month, 10), day(month, 28));
        let n = g.range(1040, 1090);
        g.push(
            t,
            "风险清单更新",
            OFFICE,
            None,
            vec![("重点风险数", Val::Int(n))],
        );
    }
    // 第6条: bulletin in each holiday period, except 清明节 (04-05).
    for (d, why) in [
        (day(1, 1), "元旦假期安全生产信息通报"),
        (day(1, 22), "春节假期安全生产信息通报"),
        (day(4, 30), "劳动节假期安全生产信息通报"),
        (day(6, 22), "端午节假期安全生产信息通报"),
        (day(9, 30), "中秋国庆假期安全生产信息通报"),
    ] {
        g.push(
            at(d, 17, 0),
            "信息通报",
            OFFICE,
            None,
            vec![("事由", text(why))],
        );
    }
    let quiet: HashSet<&str> = [
        picks.never_inspected.as_str(),
        picks.no_q2_inspection.as_str(),
        picks.no_county_inspection.as_str(),
        picks.no_city_inspection.as_str(),
    ]
    .into_iter()
    .collect();
    let targets: Vec<&str> = ents
        .iter()
        .filter(|u| u.active_from.is_none() && !quiet.contains(u.id.as_str()))
        .map(|u| u.id.as_str())
        .collect();
    // 第8条: unannounced inspections in each holiday period, except 端午节 (06-22 .. 06-24).
    for (d, how) in [
        (day(1, 2), "四不两直"),
        (day(1, 25), "四不两直"),
        (day(4, 5), "暗访"),
        (day(5, 2), "四不两直"),
        (day(10, 3), "暗访"),
    ] {
        for _ in 0..3 {
            if let Some(target) = g.pick(&targets).copied() {
                let t = g.office_time(d);
                g.push(
                    t,
                    "检查",
                    OFFICE,
                    Some(target),
                    vec![("方式", text(how)), ("发现隐患数", Val::Int(0))],
                );
            }
        }
    }
    // 第8条: joint enforcement, two per half-year.
    for (from, to) in [
        (day(3, 1), day(3, 31)),
        (day(5, 8), day(5, 31)),
        (day(8, 1), day(8, 31)),
        (day(11, 1), day(11, 30)),
    ] {
        if let Some(target) = g.pick(&targets).copied() {
            let t = g.when(from, to);
            g.push(
                t,
                "检查",
                OFFICE,
                Some(target),
                vec![("方式", text("联合执法")), ("发现隐患数", Val::Int(0))],
            );
        }
    }
}

/// Ratings, reports, assessments and commendations (第5条).
fn rating_events(g: &mut Gen, committees: &[&Unit], townships: &[&Unit]) {
    let grade = |g: &mut Gen| if g.chance(0.35) { "优秀" } else { "良好" };
    // 市安委会水上交通安全专业委员会 (city-cmt-07) is rated 一般 in H1.
    for c in committees {
        for (half, from, to) in [(1, day(6, 26), day(6, 30)), (2, day(12, 18), day(12, 22))] {
            let result = if c.id == "city-cmt-07" && half == 1 {
                "一般"
            } else {
                grade(g)
            };
            let t = g.when(from, to);
            g.push(t, "评级", OFFICE, Some(&c.id), vec![("结果", text(result))]);
        }
        if c.attr("层级") == "市级" {
            let t = g.when(day(12, 4), day(12, 15));
            g.push(
                t,
                "专委会述职",
                &c.id,
                None,
                vec![("述职人", text("专委会主任"))],
            );
            let t = g.when(day(12, 18), day(12, 28));
            let score = g.range(82, 98);
            g.push(
                t,
                "年度考核",
                SAC,
                Some(&c.id),
                vec![("得分", Val::Int(score))],
            );
        }
    }
    // syn-town-05 is rated 一般 in H2 and still commended; syn-town-40 is not rated in H2.
    for t in townships {
        for (half, from, to) in [(1, day(6, 26), day(6, 30)), (2, day(12, 18), day(12, 22))] {
            if t.id == "syn-town-40" && half == 2 {
                continue;
            }
            let result = if t.id == "syn-town-05" && half == 2 {
                "一般"
            } else {
                grade(g)
            };
            let time = g.when(from, to);
            g.push(
                time,
                "评级",
                OFFICE,
                Some(&t.id),
                vec![("结果", text(result))],
            );
        }
    }
    for (d, no) in [
        (day(6, 30), "咸安办〔2023〕18号"),
        (day(12, 26), "咸安办〔2023〕31号"),
    ] {
        g.push(
            at(d, 17, 30),
            "评级通报",
            OFFICE,
            None,
            vec![("文号", text(no))],
        );
    }
    // Year-end commendations: three townships (including syn-town-05, rated 一般) and two
    // counties (including 崇阳县, vetoed for its major accident).
    for target in [
        "syn-town-01",
        "syn-town-05",
        "syn-town-12",
        "county-chibi",
        "county-chongyang",
    ] {
        g.push(
            at(day(12, 28), 15, 0),
            "表彰",
            SAC,
            Some(target),
            vec![("称号", text("安全生产工作先进单位"))],
        );
    }
}

/// Enterprise self-management: leader inspections, drills, fees, insurance, certificates.
fn enterprise_events(g: &mut Gen, ents: &[&Unit], picks: &Picks) {
    let mut policy_no = 0u32;
    for u in ents {
        let id = u.id.as_str();
        let high = u.flag("高危");
        let start = u.start();
        // 第4条: monthly inspection led by the principal.
        for m in 1..=12u32 {
            if month_end(m) < start {
                continue;
            }
            if id == picks.leader_gaps && matches!(m, 3 | 4 | 8) {
                continue;
            }
            if !high && !g.chance(0.75) {
                continue;
            }
            let t = g.when(day(m, 1).max(start), month_end(m));
            let who = if g.chance(0.8) {
                "主要负责人"
            } else {
                "法定代表人"
            };
            let lead = g.push(t, "带队检查", id, None, vec![("带队人", text(who))]);
            // Self-found problems: rectified by the enterprise, no letters.
            if lead.is_some() && g.chance(0.5) {
                let level = if g.chance(0.8) { "苗头" } else { "重点" };
                hazard(g, t + Duration::minutes(90), id, id, level, None);
            }
        }
        // 第4条: drills each half-year.
        for (half, from, to) in [(1, day(3, 1), day(6, 20)), (2, day(8, 1), day(12, 10))] {
            if to < start || (id == picks.no_drill_h2 && half == 2) {
                continue;
            }
            if !high && !g.chance(0.7) {
                continue;
            }
            let t = g.when(from.max(start), to);
            let kind = ["综合演练", "专项演练", "现场处置演练", "桌面推演"];
            let form = g.pick(&kind).copied().unwrap_or("专项演练");
            let n = g.range(8, 120);
            g.push(
                t,
                "应急演练",
                id,
                None,
                vec![("形式", text(form)), ("参演人数", Val::Int(n))],
            );
        }
        if high || u.flag("规上") {
            // 第23条: monthly safety-fee accrual (required of high-risk enterprises only).
            for m in 1..=12u32 {
                if month_end(m) < start || (id == picks.fee_gap && m == 12) {
                    continue;
                }
                let t = g.when(day(m, 22).max(start), month_end(m));
                let amount = g.range(3, 60);
                g.push(
                    t,
                    "安全费用提取",
                    id,
                    None,
                    vec![("金额万元", Val::Int(amount))],
                );
            }
        }
        if high {
            // 第4条: principal's assessment by the county emergency management bureau.
            let dept = u.attr("县级监管部门").to_owned();
            let t = g.when(day(4, 1).max(start), day(11, 30));
            g.push(
                t,
                "过关考核",
                &dept,
                Some(id),
                vec![("合格", Val::Bool(true))],
            );
        }
        // Insurance: all high-risk enterprises, a fifth of the others.
        if high || g.chance(0.2) {
            policy_no += 1;
            if u.active_from.is_some() {
                let no = format!("AZX2023{policy_no:05}");
                g.push(
                    at(start, 9, 0),
                    "投保",
                    id,
                    None,
                    policy(&no, start, ymd(2024, 6, 30)),
                );
            } else {
                let renew = g.workday_in(day(1, 10), day(12, 20));
                let first_end = if id == picks.insurance_lapse {
                    day(6, 30)
                } else {
                    renew - Duration::days(1)
                };
                let no = format!("AZX2022{policy_no:05}");
                g.push(
                    at(day(1, 1), 0, 0),
                    "投保",
                    id,
                    None,
                    policy(
                        &no,
                        ymd(2022, first_end.month(), first_end.day()) + Duration::days(1),
                        first_end,
                    ),
                );
                let second_start = if id == picks.insurance_lapse {
                    day(8, 1)
                } else {
                    renew
                };
                let no = format!("AZX2023{policy_no:05}");
                let lead = g.range(1, 10);
                let t = g.office_time(second_start - Duration::days(lead));
                let t = t.max(at(day(1, 2), 9, 0));
                let second_end =
                    ymd(2024, second_start.month(), second_start.day()) - Duration::days(1);
                g.push(t, "投保", id, None, policy(&no, second_start, second_end));
            }
        }
        // Standardisation certificates (第7条): all above-size and high-risk enterprises.
        if u.flag("规上") || high || g.chance(0.2) {
            standardisation(g, u, picks);
        }
    }
}

fn policy(no: &str, from: NaiveDate, to: NaiveDate) -> Vec<(&'static str, Val)> {
    vec![
        ("保单号", text(no)),
        ("生效日期", Val::Date(from)),
        ("到期日期", Val::Date(to)),
    ]
}

fn standardisation(g: &mut Gen, u: &Unit, picks: &Picks) {
    let id = u.id.as_str();
    let level = if g.chance(0.1) { "二级" } else { "三级" };
    if u.active_from.is_some() {
        let t = g.when(day(10, 9), day(10, 20));
        let issued = t.date();
        g.push(
            t,
            "标准化达标",
            id,
            None,
            cert(level, issued, ymd(2026, issued.month(), issued.day())),
        );
        return;
    }
    let year = g.range(2020, 2022) as i32;
    let month = g.range(1, 12) as u32;
    let issued = ymd(year, month, 15);
    let mut expires = ymd(year + 3, month, 14);
    if id == picks.cert_expired {
        expires = day(10, 31);
    }
    g.push(
        at(day(1, 1), 0, 0),
        "标准化达标",
        id,
        None,
        cert(level, issued, expires),
    );
    if expires.year() == 2023 && id != picks.cert_expired {
        // Renewed review before expiry.
        let from = expires - Duration::days(40);
        let t = g.when(from.max(day(1, 3)), expires - Duration::days(3));
        let issued = t.date();
        g.push(
            t,
            "标准化达标",
            id,
            None,
            cert(level, issued, ymd(2026, issued.month(), issued.day())),
        );
    }
}

fn cert(level: &str, from: NaiveDate, to: NaiveDate) -> Vec<(&'static str, Val)> {
    vec![
        ("等级", text(level)),
        ("发证日期", Val::Date(from)),
        ("证书到期日", Val::Date(to)),
    ]
}

/// Records a hazard found by `finder` at `target`, with its letter (for hazards found by
/// departments) and its rectification. `late` overrides the normal handling for the deliberate
/// violations: `Some("letter-late")`, `Some("no-listing")`, `Some("fix-late")`.
fn hazard(
    g: &mut Gen,
    time: NaiveDateTime,
    finder: &str,
    target: &str,
    level: &'static str,
    late: Option<&str>,
) {
    let descriptions: &[&str] = match level {
        "苗头" => &[
            "消防通道堆放杂物",
            "安全警示标志缺失",
            "劳动防护用品佩戴不规范",
            "应急照明损坏",
            "安全培训记录不全",
        ],
        "重点" => &[
            "有限空间作业未审批",
            "可燃气体报警装置失效",
            "特种作业人员无证上岗",
            "动火作业未落实监护",
        ],
        _ => &[
            "重大危险源监控系统停用",
            "采空区未按设计充填",
            "涉爆粉尘除尘系统不符合要求",
        ],
    };
    let what = g.pick(descriptions).copied().unwrap_or("安全隐患");
    let Some(idx) = g.push(
        time,
        "隐患",
        finder,
        Some(target),
        vec![("等级", text(level)), ("描述", text(what))],
    ) else {
        return;
    };
    if finder != target {
        let (kind, limit) = match level {
            "苗头" => ("提示函", 5),
            "重点" => ("督办函", 5),
            _ => ("挂牌督办", 3),
        };
        if late != Some("no-listing") {
            let days = if late == Some("letter-late") {
                8
            } else {
                g.range(1, limit - 1) as u32
            };
            let d = g.add_workdays(time.date(), days);
            let t = g.office_time(d);
            g.push(
                t,
                kind,
                OFFICE,
                Some(target),
                vec![("隐患编号", Val::Ev(idx))],
            );
        }
    }
    let days = match (level, late) {
        (_, Some("fix-late")) => 121,
        ("苗头", _) => g.range(1, 12),
        ("重点", _) => g.range(3, 25),
        _ => g.range(20, 80),
    };
    let d = time.date() + Duration::days(days);
    let t = g.office_time(d);
    g.push(
        t,
        "隐患销号",
        target,
        None,
        vec![("隐患编号", Val::Ev(idx))],
    );
}

/// Inspections of enterprises by departments, with the hazards they find.
fn inspections(g: &mut Gen, ents: &[&Unit], picks: &Picks) {
    let quarters = [
        (day(1, 4), day(3, 24)),
        (day(4, 3), day(6, 21)),
        (day(7, 3), day(9, 22)),
        (day(10, 9), day(12, 22)),
    ];
    let mut special_done = [false; 3];
    for u in ents {
        let id = u.id.as_str();
        if id == picks.never_inspected {
            continue;
        }
        let start = u.start();
        let mut slots: Vec<(NaiveDate, NaiveDate)> = Vec::new();
        if needs_quarterly(u) {
            for (q, r) in quarters.iter().enumerate() {
                if !(id == picks.no_q2_inspection && q == 1) {
                    slots.push(*r);
                }
            }
        } else if needs_half_yearly(u) {
            slots.push((day(2, 1), day(6, 21)));
            slots.push((day(7, 3), day(12, 22)));
        } else {
            slots.push((day(3, 1), day(11, 30)));
        }
        let extra = g.range(1, 4);
        for _ in 0..extra {
            let r = if id == picks.no_q2_inspection {
                quarters[2]
            } else {
                (day(1, 4), day(12, 22))
            };
            slots.push(r);
        }
        let slots: Vec<(NaiveDate, NaiveDate)> = slots
            .into_iter()
            .filter(|(_, to)| *to >= start)
            .map(|(from, to)| (from.max(start), to))
            .collect();
        let county = u.attr("县级监管部门").to_owned();
        let city = u.attr("市级监管部门").to_owned();
        let n = slots.len();
        for (k, (from, to)) in slots.into_iter().enumerate() {
            // First slot: county department; the last slot of a key enterprise: city department.
            let inspector = if id == picks.no_county_inspection {
                city.clone()
            } else if id == picks.no_city_inspection || k == 0 {
                county.clone()
            } else if (u.flag("重点") && k + 1 == n) || g.chance(0.25) {
                city.clone()
            } else {
                county.clone()
            };
            let key_single = u.flag("重点")
                && n == 1
                && id != picks.no_city_inspection
                && id != picks.no_county_inspection;
            let t = g.when(from, to);
            inspect(g, t, &inspector, id, u, &mut special_done);
            if key_single {
                // A key enterprise with one slot gets a second inspection by the city department.
                let t = g.when(from, to);
                inspect(g, t, &city, id, u, &mut special_done);
            }
        }
    }
}

/// One inspection and the hazards it finds; places the three deliberate letter/rectification
/// violations on the first fitting hazards of the year.
fn inspect(
    g: &mut Gen,
    t: NaiveDateTime,
    inspector: &str,
    target: &str,
    u: &Unit,
    special: &mut [bool; 3],
) {
    let ways = [
        "日常检查",
        "日常检查",
        "专项检查",
        "明查",
        "四不两直",
        "专家指导",
    ];
    let way = g.pick(&ways).copied().unwrap_or("日常检查");
    let count = match g.range(0, 9) {
        0..=3 => 0,
        4..=7 => 1,
        8 => 2,
        _ => 3,
    };
    g.push(
        t,
        "检查",
        inspector,
        Some(target),
        vec![("方式", text(way)), ("发现隐患数", Val::Int(count))],
    );
    for k in 0..count {
        let r = g.range(0, 99);
        let high = u.flag("高危");
        let level = if r < 3 || (high && r < 7) {
            "重大"
        } else if r < 28 {
            "重点"
        } else {
            "苗头"
        };
        let time = t + Duration::minutes(30 + 10 * k);
        let mut late = None;
        let m = time.month();
        if level == "重点" && !special[0] && m == 4 {
            special[0] = true;
            late = Some("letter-late");
        } else if level == "重大" && !special[1] && m == 7 {
            special[1] = true;
            late = Some("no-listing");
        } else if level == "重大" && !special[2] && m == 5 {
            special[2] = true;
            late = Some("fix-late");
        }
        hazard(g, time, inspector, target, level, late);
    }
}

/// Accidents, their reports, the county reports and the listing of serious accidents.
fn accidents(g: &mut Gen, ents: &[&Unit], picks: &Picks) {
    let skip: HashSet<&str> = [
        picks.leader_gaps.as_str(),
        picks.no_drill_h2.as_str(),
        picks.insurance_lapse.as_str(),
        picks.fee_gap.as_str(),
        picks.never_inspected.as_str(),
    ]
    .into_iter()
    .collect();
    let pool: Vec<&Unit> = ents
        .iter()
        .filter(|u| u.active_from.is_none() && !skip.contains(u.id.as_str()))
        .copied()
        .collect();
    let in_county = |c: &str| -> Vec<&Unit> {
        pool.iter()
            .filter(|u| u.attr("所属县区") == c)
            .copied()
            .collect()
    };
    // (month, day, hour, level, deaths, injuries, report delay in minutes or None, county delay,
    // listing working days, county)
    struct Plan {
        when: NaiveDateTime,
        level: &'static str,
        deaths: i64,
        injured: i64,
        report: Option<i64>,
        county_report: Option<i64>,
        listing: Option<u32>,
        county: Option<&'static str>,
        sector: Option<&'static str>,
    }
    let mut plans = Vec::new();
    // Ordinary accidents, reported in time.
    for k in 0..22u32 {
        let month = 1 + k % 12;
        let d = g.range(1, 28) as u32;
        let h = g.range(0, 23) as u32;
        let mi = g.range(0, 59) as u32;
        let deaths = if g.chance(0.4) { 1 } else { 0 };
        let injured = g.range(0, 3);
        let report = g.range(12, 55);
        let county = report + g.range(20, 100);
        plans.push(Plan {
            when: at(day(month, d), h, mi),
            level: "一般事故",
            deaths,
            injured: if deaths == 0 { injured.max(1) } else { injured },
            report: Some(report),
            county_report: Some(county),
            listing: None,
            county: None,
            sector: None,
        });
    }
    // Reported 2 h 10 min late; the county reports 4 h after the accident.
    plans.push(Plan {
        when: at(day(3, 14), 10, 20),
        level: "一般事故",
        deaths: 1,
        injured: 0,
        report: Some(130),
        county_report: Some(240),
        listing: None,
        county: Some("county-tongcheng"),
        sector: Some("建筑施工"),
    });
    // Concealed: never reported, no county report.
    plans.push(Plan {
        when: at(day(5, 9), 15, 40),
        level: "一般事故",
        deaths: 1,
        injured: 1,
        report: None,
        county_report: None,
        listing: None,
        county: Some("county-tongshan"),
        sector: Some("非煤矿山"),
    });
    // A 较大事故 listed late (15 working days against 10).
    plans.push(Plan {
        when: at(day(8, 17), 14, 5),
        level: "较大事故",
        deaths: 3,
        injured: 4,
        report: Some(35),
        county_report: Some(110),
        listing: Some(15),
        county: Some("county-xianan"),
        sector: Some("危险化学品"),
    });
    // A 较大事故 listed in time.
    plans.push(Plan {
        when: at(day(4, 11), 9, 30),
        level: "较大事故",
        deaths: 4,
        injured: 2,
        report: Some(28),
        county_report: Some(95),
        listing: Some(6),
        county: Some("county-chibi"),
        sector: Some("道路运输"),
    });
    // The major accident in 崇阳县 (veto), reported and listed in time.
    plans.push(Plan {
        when: at(day(9, 19), 11, 45),
        level: "重大事故",
        deaths: 11,
        injured: 6,
        report: Some(40),
        county_report: Some(120),
        listing: Some(2),
        county: Some("county-chongyang"),
        sector: Some("非煤矿山"),
    });
    for p in plans {
        let candidates: Vec<&Unit> = match p.county {
            Some(c) => in_county(c)
                .into_iter()
                .filter(|u| p.sector.is_none_or(|s| u.attr("行业") == s))
                .collect(),
            None => pool.clone(),
        };
        let Some(ent) = g.pick(&candidates).copied() else {
            continue;
        };
        let Some(idx) = g.push(
            p.when,
            "事故",
            &ent.id,
            None,
            vec![
                ("等级", text(p.level)),
                ("死亡人数", Val::Int(p.deaths)),
                ("受伤人数", Val::Int(p.injured)),
            ],
        ) else {
            continue;
        };
        if let (Some(minutes), Some(ev)) = (p.report, g.events.get_mut(idx)) {
            ev.recorded_at = Some(p.when + Duration::minutes(minutes));
        }
        let county = ent.attr("所属县区").to_owned();
        if let Some(minutes) = p.county_report {
            g.push(
                p.when + Duration::minutes(minutes),
                "事故信息上报",
                &county,
                Some(OFFICE),
                vec![("事故编号", Val::Ev(idx))],
            );
        }
        if let Some(days) = p.listing {
            let d = g.add_workdays(p.when.date(), days);
            g.push(
                at(d, 10, 0),
                "事故挂牌督办",
                OFFICE,
                Some(&county),
                vec![("事故编号", Val::Ev(idx))],
            );
        }
    }
}

/// Sorts by time (stable), assigns ids and writes JSON Lines.
fn write_log(g: &mut Gen, path: &PathBuf) -> Res<()> {
    let mut order: Vec<usize> = (0..g.events.len()).collect();
    order.sort_by_key(|&i| g.events.get(i).map(|e| e.time));
    let mut ids = vec![String::new(); g.events.len()];
    for (n, &i) in order.iter().enumerate() {
        if let Some(slot) = ids.get_mut(i) {
            *slot = format!("ev-{:06}", n + 1);
        }
    }
    let fmt_time = |t: NaiveDateTime| t.format("%Y-%m-%dT%H:%M:%S+08:00").to_string();
    let q = |s: &str| serde_json::to_string(s);
    let mut out = String::with_capacity(g.events.len() * 220);
    for &i in &order {
        let Some(ev) = g.events.get(i) else { continue };
        let id = ids.get(i).map_or("", String::as_str);
        write!(
            out,
            "{{\"id\":{},\"time\":{},\"kind\":{},\"actor\":{}",
            q(id)?,
            q(&fmt_time(ev.time))?,
            q(ev.kind)?,
            q(&ev.actor)?
        )?;
        if let Some(target) = &ev.target {
            write!(out, ",\"target\":{}", q(target)?)?;
        }
        if let Some(r) = ev.recorded_at {
            write!(out, ",\"recorded_at\":{}", q(&fmt_time(r))?)?;
        }
        for (k, v) in &ev.attrs {
            let value = match v {
                Val::Text(s) => q(s)?,
                Val::Int(n) => n.to_string(),
                Val::Bool(b) => b.to_string(),
                Val::Date(d) => q(&d.format("%Y-%m-%d").to_string())?,
                Val::Ev(j) => q(ids.get(*j).map_or("", String::as_str))?,
            };
            write!(out, ",{}:{}", q(k)?, value)?;
        }
        out.push_str("}\n");
    }
    let mut file = std::fs::File::create(path)?;
    file.write_all(out.as_bytes())?;
    Ok(())
}
