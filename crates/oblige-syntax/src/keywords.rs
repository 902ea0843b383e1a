//! The keyword table: every keyword's id, canonical English and Chinese spelling.
//!
//! The formatter prints keywords from this table and the parser names expected keywords with it,
//! so it must agree with the `kw_*` rules of `grammar/oblige.pest` (a test checks both ways).

use crate::ast::Lang;

/// A keyword of the language, independent of its spelling.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kw {
    /// `plan` / `计划`.
    Plan,
    /// `issuer` / `发文机关`.
    Issuer,
    /// `issued` / `印发日期`.
    Issued,
    /// `effective` / `有效期`.
    Effective,
    /// `timezone` / `时区`.
    Timezone,
    /// `source` / `来源`.
    Source,
    /// `include` / `包含`.
    Include,
    /// `enum` / `枚举`.
    Enum,
    /// `class` / `类别`.
    Class,
    /// `event` / `事件`.
    Event,
    /// `text` / `文本`.
    Text,
    /// `bool` / `布尔`.
    Bool,
    /// `int` / `整数`.
    Int,
    /// `date` / `日期`.
    Date,
    /// `ref` / `引用`.
    Ref,
    /// `window` / `时段`.
    Window,
    /// `yearly` / `每年`.
    Yearly,
    /// `calendar` / `日历`.
    Calendar,
    /// `holidays` / `假日`.
    Holidays,
    /// `workdays` / `调休上班`.
    Workdays,
    /// `param` / `参数`.
    Param,
    /// `finding` / `认定`.
    Finding,
    /// `state` / `状态`.
    State,
    /// `from` / `起于`.
    From,
    /// `until` / `止于`.
    Until,
    /// `valid` / `有效`.
    Valid,
    /// `to` / `截至`.
    ValidTo,
    /// `rule` / `规则`.
    Rule,
    /// `article` / `条款`.
    Article,
    /// `quote` / `原文`.
    Quote,
    /// `lead` / `牵头`.
    Lead,
    /// `cooperating` / `会同`.
    Cooperating,
    /// `severity` / `严重程度`.
    Severity,
    /// `low` / `低等`.
    Low,
    /// `medium` / `中等`.
    Medium,
    /// `high` / `高等`.
    High,
    /// `critical` / `特高`.
    Critical,
    /// `weight` / `权重`.
    Weight,
    /// `for each` / `对每个`.
    ForEach,
    /// `cover each` / `覆盖每个`.
    CoverEach,
    /// `where` / `其中`.
    Where,
    /// `exempt` / `豁免`.
    Exempt,
    /// `during` / `期间`.
    During,
    /// `because` / `理由`.
    Because,
    /// `require` / `要求`.
    Require,
    /// `forbid` / `禁止`.
    Forbid,
    /// `at least` / `至少`.
    AtLeast,
    /// `at most` / `至多`.
    AtMost,
    /// `exactly` / `恰好`.
    Exactly,
    /// `times` / `次`.
    Times,
    /// `to` / `针对`.
    To,
    /// `by` / `由`.
    By,
    /// `anyone` / `任意单位`.
    Anyone,
    /// `per` / `每`.
    Per,
    /// `per month` / `每月`.
    PerMonth,
    /// `per quarter` / `每季度`.
    PerQuarter,
    /// `per half-year` / `每半年`.
    PerHalfYear,
    /// `per year` / `每年`.
    PerYear,
    /// `over month` / `整月`.
    OverMonth,
    /// `over quarter` / `整季度`.
    OverQuarter,
    /// `over half-year` / `整半年`.
    OverHalfYear,
    /// `over year` / `整年`.
    OverYear,
    /// `when` / `当`.
    When,
    /// `if` / `若`.
    If,
    /// `then` / `则`.
    Then,
    /// `within` / `时限`.
    Within,
    /// `minutes` / `分钟`.
    Minutes,
    /// `hours` / `小时`.
    Hours,
    /// `days` / `天`.
    Days,
    /// `working days` / `工作日`.
    WorkingDays,
    /// `reported` / `上报`.
    Reported,
    /// `violated` / `违反`.
    Violated,
    /// `hold` / `保持`.
    Hold,
    /// `on` / `于`.
    On,
    /// `and` / `且`.
    And,
    /// `or` / `或`.
    Or,
    /// `not` / `非`.
    Not,
    /// `in` / `属于`.
    In,
    /// `is` / `是`.
    Is,
    /// `under` / `隶属于`.
    Under,
    /// `has finding` / `有认定`.
    HasFinding,
    /// `true` / `真`.
    True,
    /// `false` / `假`.
    False,
    /// `subject` / `主体`.
    Subject,
    /// `actor` / `行为方`.
    Actor,
    /// `target` / `对象`.
    Target,
    /// `trigger` / `触发`.
    Trigger,
    /// `period.start` / `本期开始`.
    PeriodStart,
    /// `period.end` / `本期结束`.
    PeriodEnd,
}

/// One row of the keyword table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Keyword {
    /// Which keyword.
    pub id: Kw,
    /// Canonical English spelling; words separated by one space.
    pub en: &'static str,
    /// Chinese spelling.
    pub zh: &'static str,
    /// Other English spellings the parser also accepts (`minute` for `minutes`).
    pub en_alt: &'static [&'static str],
}

impl Keyword {
    /// The canonical spelling in `lang`.
    pub fn spelling(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Zh => self.zh,
        }
    }

    /// Every spelling the parser accepts, canonical ones first.
    pub fn spellings(&self) -> impl Iterator<Item = &'static str> {
        [self.en, self.zh]
            .into_iter()
            .chain(self.en_alt.iter().copied())
    }
}

impl Kw {
    /// This keyword's row of [`KEYWORDS`].
    pub fn info(self) -> &'static Keyword {
        KEYWORDS.iter().find(|k| k.id == self).unwrap_or(&FALLBACK)
    }

    /// The canonical spelling in `lang`.
    pub fn spelling(self, lang: Lang) -> &'static str {
        self.info().spelling(lang)
    }
}

/// Never used: every id has a row, which a test checks.
const FALLBACK: Keyword = kw(Kw::Plan, "plan", "计划");

const fn kw(id: Kw, en: &'static str, zh: &'static str) -> Keyword {
    Keyword {
        id,
        en,
        zh,
        en_alt: &[],
    }
}

const fn kw_alt(
    id: Kw,
    en: &'static str,
    zh: &'static str,
    alt: &'static [&'static str],
) -> Keyword {
    Keyword {
        id,
        en,
        zh,
        en_alt: alt,
    }
}

/// Every keyword. Two ids may share a spelling when the position tells them apart: `to` is both
/// [`Kw::To`] (`针对`) and [`Kw::ValidTo`] (`截至`); `每年` is both [`Kw::Yearly`] and
/// [`Kw::PerYear`].
pub const KEYWORDS: &[Keyword] = &[
    kw(Kw::Plan, "plan", "计划"),
    kw(Kw::Issuer, "issuer", "发文机关"),
    kw(Kw::Issued, "issued", "印发日期"),
    kw(Kw::Effective, "effective", "有效期"),
    kw(Kw::Timezone, "timezone", "时区"),
    kw(Kw::Source, "source", "来源"),
    kw(Kw::Include, "include", "包含"),
    kw(Kw::Enum, "enum", "枚举"),
    kw(Kw::Class, "class", "类别"),
    kw(Kw::Event, "event", "事件"),
    kw(Kw::Text, "text", "文本"),
    kw(Kw::Bool, "bool", "布尔"),
    kw(Kw::Int, "int", "整数"),
    kw(Kw::Date, "date", "日期"),
    kw(Kw::Ref, "ref", "引用"),
    kw(Kw::Window, "window", "时段"),
    kw(Kw::Yearly, "yearly", "每年"),
    kw(Kw::Calendar, "calendar", "日历"),
    kw(Kw::Holidays, "holidays", "假日"),
    kw(Kw::Workdays, "workdays", "调休上班"),
    kw(Kw::Param, "param", "参数"),
    kw(Kw::Finding, "finding", "认定"),
    kw(Kw::State, "state", "状态"),
    kw(Kw::From, "from", "起于"),
    kw(Kw::Until, "until", "止于"),
    kw(Kw::Valid, "valid", "有效"),
    kw(Kw::ValidTo, "to", "截至"),
    kw(Kw::Rule, "rule", "规则"),
    kw(Kw::Article, "article", "条款"),
    kw(Kw::Quote, "quote", "原文"),
    kw(Kw::Lead, "lead", "牵头"),
    kw(Kw::Cooperating, "cooperating", "会同"),
    kw(Kw::Severity, "severity", "严重程度"),
    kw(Kw::Low, "low", "低等"),
    kw(Kw::Medium, "medium", "中等"),
    kw(Kw::High, "high", "高等"),
    kw(Kw::Critical, "critical", "特高"),
    kw(Kw::Weight, "weight", "权重"),
    kw(Kw::ForEach, "for each", "对每个"),
    kw(Kw::CoverEach, "cover each", "覆盖每个"),
    kw(Kw::Where, "where", "其中"),
    kw(Kw::Exempt, "exempt", "豁免"),
    kw(Kw::During, "during", "期间"),
    kw(Kw::Because, "because", "理由"),
    kw(Kw::Require, "require", "要求"),
    kw(Kw::Forbid, "forbid", "禁止"),
    kw(Kw::AtLeast, "at least", "至少"),
    kw(Kw::AtMost, "at most", "至多"),
    kw(Kw::Exactly, "exactly", "恰好"),
    kw(Kw::Times, "times", "次"),
    kw(Kw::To, "to", "针对"),
    kw(Kw::By, "by", "由"),
    kw(Kw::Anyone, "anyone", "任意单位"),
    kw(Kw::Per, "per", "每"),
    kw(Kw::PerMonth, "per month", "每月"),
    kw(Kw::PerQuarter, "per quarter", "每季度"),
    kw(Kw::PerHalfYear, "per half-year", "每半年"),
    kw(Kw::PerYear, "per year", "每年"),
    kw(Kw::OverMonth, "over month", "整月"),
    kw(Kw::OverQuarter, "over quarter", "整季度"),
    kw(Kw::OverHalfYear, "over half-year", "整半年"),
    kw(Kw::OverYear, "over year", "整年"),
    kw(Kw::When, "when", "当"),
    kw(Kw::If, "if", "若"),
    kw(Kw::Then, "then", "则"),
    kw(Kw::Within, "within", "时限"),
    kw_alt(Kw::Minutes, "minutes", "分钟", &["minute"]),
    kw_alt(Kw::Hours, "hours", "小时", &["hour"]),
    kw_alt(Kw::Days, "days", "天", &["day"]),
    kw_alt(Kw::WorkingDays, "working days", "工作日", &["working day"]),
    kw(Kw::Reported, "reported", "上报"),
    kw(Kw::Violated, "violated", "违反"),
    kw(Kw::Hold, "hold", "保持"),
    kw(Kw::On, "on", "于"),
    kw(Kw::And, "and", "且"),
    kw(Kw::Or, "or", "或"),
    kw(Kw::Not, "not", "非"),
    kw(Kw::In, "in", "属于"),
    kw(Kw::Is, "is", "是"),
    kw(Kw::Under, "under", "隶属于"),
    kw(Kw::HasFinding, "has finding", "有认定"),
    kw(Kw::True, "true", "真"),
    kw(Kw::False, "false", "假"),
    kw(Kw::Subject, "subject", "主体"),
    kw(Kw::Actor, "actor", "行为方"),
    kw(Kw::Target, "target", "对象"),
    kw(Kw::Trigger, "trigger", "触发"),
    kw(Kw::PeriodStart, "period.start", "本期开始"),
    kw(Kw::PeriodEnd, "period.end", "本期结束"),
];

/// The keywords that start a top-level item; error recovery resumes at a line starting with one.
pub const ITEM_KEYWORDS: &[Kw] = &[
    Kw::Plan,
    Kw::Include,
    Kw::Enum,
    Kw::Class,
    Kw::Event,
    Kw::Window,
    Kw::Calendar,
    Kw::Param,
    Kw::Finding,
    Kw::State,
    Kw::Rule,
];

/// The keyword spelled exactly `word` (one word; multi-word English keywords never match).
pub fn lookup(word: &str) -> Option<&'static Keyword> {
    KEYWORDS.iter().find(|k| k.spellings().any(|s| s == word))
}

/// Whether `word` is spelled like a keyword in any language.
pub fn is_keyword(word: &str) -> bool {
    lookup(word).is_some()
}
