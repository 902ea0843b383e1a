//! Random valid syntax trees for the round-trip properties.
//!
//! Names are built from fragments that include keyword spellings, so they often contain a
//! keyword (`一且一`, `非煤矿山`, `每年度计划`, `至少数`) without being one; strings mix quotes,
//! backslashes, comment markers and CJK text. Spans are all `Span::default()`.

mod items;
mod rules;

use oblige_syntax::ast::{
    Amount, CmpOp, DateLit, DurationLit, DurationUnit, Expr, ExprKind, Ident, IntLit, Literal,
    MonthDayLit, Operand, OperandKind, PeriodKind, PeriodSpec, Qualifier, Str, WindowPart,
    WindowPartKind,
};
use oblige_syntax::keywords::is_keyword;
use oblige_syntax::Span;
use proptest::prelude::*;

pub use items::source_unit;

/// Pieces names are glued from: keyword spellings of both languages, the single words of the
/// multi-word English keywords, and ordinary words.
const NAME_PARTS: &[&str] = &[
    "一",
    "且",
    "非",
    "煤矿山",
    "每年",
    "度",
    "计划",
    "至少",
    "数",
    "主体",
    "单位",
    "每",
    "月",
    "或",
    "者",
    "次",
    "要求",
    "书",
    "时限",
    "值",
    "本期开始",
    "日",
    "假日",
    "期",
    "属于",
    "是",
    "真",
    "假",
    "当",
    "若",
    "则",
    "对每个",
    "覆盖",
    "检查",
    "演练",
    "事故",
    "上报",
    "由",
    "针对",
    "and",
    "or",
    "not",
    "in",
    "is",
    "to",
    "by",
    "per",
    "each",
    "for",
    "cover",
    "at",
    "least",
    "most",
    "over",
    "has",
    "finding",
    "days",
    "day",
    "hour",
    "rule",
    "plan",
    "x",
    "unit",
    "check",
    "_",
    "a",
    "b",
    "2",
    "级",
];

fn starts_like_a_name(name: &str) -> bool {
    name.chars()
        .next()
        .is_some_and(|c| c == '_' || unicode_start(c))
}

fn unicode_start(c: char) -> bool {
    c.is_alphabetic() && !c.is_ascii_digit()
}

/// Single words of multi-word English keywords: fine names on their own, but two of them in a
/// row (`at` `least`), or one before a unit (`working` `days`) or at the end of a line before a
/// keyword word (`has` / `finding`), could read as a keyword unless printer and grammar keep them
/// apart.
const KEYWORD_WORDS: &[&str] = &[
    "at", "least", "most", "for", "each", "cover", "over", "half", "working", "has", "period",
    "start", "end", "month", "quarter", "year",
];

/// Names of calendar periods, which a window may not have (`E0013`).
const PERIOD_WORDS: &[&str] = &["month", "quarter", "year"];

/// A name that may contain keywords but is not one.
pub fn name() -> impl Strategy<Value = String> {
    let glued = prop::collection::vec(prop::sample::select(NAME_PARTS), 1..4)
        .prop_map(|parts| parts.concat())
        .prop_filter("a name, not a keyword", |n| {
            starts_like_a_name(n) && !is_keyword(n)
        });
    let word = prop::sample::select(KEYWORD_WORDS).prop_map(str::to_owned);
    prop_oneof![3 => glued, 1 => word]
}

/// The name of a window: any name but a calendar period's.
pub fn window_name() -> impl Strategy<Value = Ident> {
    ident().prop_filter("not a calendar period", |i| {
        !PERIOD_WORDS.contains(&i.name.as_str())
    })
}

/// An identifier node.
pub fn ident() -> impl Strategy<Value = Ident> {
    name().prop_map(|name| Ident {
        name,
        span: Span::default(),
    })
}

/// Pieces strings are made of: everything that needs escaping or could confuse a scanner.
const STR_PARTS: &[&str] = &[
    "\"", "\\", "\n", "“", "”", "「", "」", "//", "/*", "*/", "计划", "每年", " ", "\u{3000}",
    "\t", "abc", "且", "{", "}", "（", "，", "..", "=", "≥", "０", "7",
];

/// A string value.
pub fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(STR_PARTS), 0..6).prop_map(|parts| parts.concat())
}

/// A string literal node.
pub fn str_lit() -> impl Strategy<Value = Str> {
    text().prop_map(|value| Str {
        value,
        span: Span::default(),
    })
}

/// A non-negative integer, small or huge.
pub fn uint() -> impl Strategy<Value = u64> {
    prop_oneof![0..100u64, any::<u64>()]
}

/// An integer literal node.
pub fn int_lit() -> impl Strategy<Value = IntLit> {
    uint().prop_map(|value| IntLit {
        value,
        span: Span::default(),
    })
}

/// A valid calendar date.
pub fn date() -> impl Strategy<Value = DateLit> {
    (1900..2100i32, 1..=12u32, 1..=28u32).prop_map(|(year, month, day)| DateLit {
        year,
        month,
        day,
        span: Span::default(),
    })
}

fn month_day() -> impl Strategy<Value = MonthDayLit> {
    (1..=12u32, 1..=28u32).prop_map(|(month, day)| MonthDayLit {
        month,
        day,
        span: Span::default(),
    })
}

/// One part of a window.
pub fn window_part() -> impl Strategy<Value = WindowPart> {
    prop_oneof![
        (date(), date()).prop_map(|(a, b)| WindowPartKind::Range(a, b)),
        date().prop_map(WindowPartKind::Day),
        (month_day(), prop::option::of(month_day()))
            .prop_map(|(a, b)| WindowPartKind::Yearly(a, b)),
        window_name().prop_map(WindowPartKind::Ref),
    ]
    .prop_map(|kind| WindowPart {
        kind,
        span: Span::default(),
    })
}

/// A count: a number or a param.
pub fn amount() -> impl Strategy<Value = Amount> {
    prop_oneof![
        int_lit().prop_map(Amount::Int),
        ident().prop_map(Amount::Param)
    ]
}

/// A duration.
pub fn duration() -> impl Strategy<Value = DurationLit> {
    let unit = prop::sample::select(vec![
        DurationUnit::Minutes,
        DurationUnit::Hours,
        DurationUnit::Days,
        DurationUnit::WorkingDays,
    ]);
    (amount(), unit).prop_map(|(amount, unit)| DurationLit {
        amount,
        unit,
        span: Span::default(),
    })
}

/// A calendar period or a window.
pub fn period() -> impl Strategy<Value = PeriodSpec> {
    prop_oneof![
        Just(PeriodKind::Month),
        Just(PeriodKind::Quarter),
        Just(PeriodKind::HalfYear),
        Just(PeriodKind::Year),
        window_name().prop_map(PeriodKind::Window),
    ]
    .prop_map(spec)
}

/// A calendar period (what `over` takes).
pub fn calendar_period() -> impl Strategy<Value = PeriodSpec> {
    prop::sample::select(vec![
        PeriodKind::Month,
        PeriodKind::Quarter,
        PeriodKind::HalfYear,
        PeriodKind::Year,
    ])
    .prop_map(spec)
}

fn spec(kind: PeriodKind) -> PeriodSpec {
    PeriodSpec {
        kind,
        span: Span::default(),
    }
}

fn qualifier() -> impl Strategy<Value = Qualifier> {
    prop::sample::select(vec![
        Qualifier::Subject,
        Qualifier::Actor,
        Qualifier::Target,
        Qualifier::Trigger,
    ])
}

fn operand() -> impl Strategy<Value = Operand> {
    prop_oneof![
        ident().prop_map(OperandKind::Name),
        (qualifier(), ident()).prop_map(|(q, a)| OperandKind::Attr(q, a)),
        Just(OperandKind::PeriodStart),
        Just(OperandKind::PeriodEnd),
        uint().prop_map(|n| OperandKind::Lit(Literal::Int(n))),
        text().prop_map(|s| OperandKind::Lit(Literal::Str(s))),
        date().prop_map(|d| OperandKind::Lit(Literal::Date(d))),
        any::<bool>().prop_map(|b| OperandKind::Lit(Literal::Bool(b))),
    ]
    .prop_map(|kind| Operand {
        kind,
        span: Span::default(),
    })
}

fn cmp_op() -> impl Strategy<Value = CmpOp> {
    prop::sample::select(CmpOp::ALL.to_vec())
}

fn atom() -> impl Strategy<Value = ExprKind> {
    prop_oneof![
        (operand(), cmp_op(), operand()).prop_map(|(lhs, op, rhs)| ExprKind::Compare {
            lhs,
            op,
            rhs
        }),
        (operand(), prop::collection::vec(operand(), 1..4))
            .prop_map(|(lhs, set)| ExprKind::In { lhs, set }),
        (qualifier(), ident()).prop_map(|(who, class)| ExprKind::Is { who, class }),
        (qualifier(), qualifier()).prop_map(|(who, ancestor)| ExprKind::Under { who, ancestor }),
        ident().prop_map(ExprKind::HasFinding),
        operand().prop_map(ExprKind::Truthy),
    ]
}

fn node(kind: ExprKind) -> Expr {
    Expr {
        kind,
        span: Span::default(),
    }
}

/// A predicate of any shape, nested a few levels.
pub fn expr() -> impl Strategy<Value = Expr> {
    atom().prop_map(node).prop_recursive(4, 24, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone())
                .prop_map(|(a, b)| node(ExprKind::Or(Box::new(a), Box::new(b)))),
            (inner.clone(), inner.clone())
                .prop_map(|(a, b)| node(ExprKind::And(Box::new(a), Box::new(b)))),
            inner.prop_map(|a| node(ExprKind::Not(Box::new(a)))),
        ]
    })
}

/// `///` lines: text without line breaks.
pub fn docs() -> impl Strategy<Value = Vec<String>> {
    let line = prop::collection::vec(
        prop::sample::select(vec![" ", "说明", "doc", "且", "/"]),
        0..4,
    )
    .prop_map(|parts| parts.concat());
    prop::collection::vec(line, 0..3)
}
