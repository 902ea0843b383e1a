//! The mapping between grammar rules and keywords, and the names users see for grammar rules.

use super::Rule;
use crate::ast::Lang;
use crate::keywords::{Kw, KEYWORDS};
use crate::scan::Scan;

/// The keyword a `kw_*` rule matches.
pub(crate) fn kw_of_rule(rule: Rule) -> Option<Kw> {
    Some(match rule {
        Rule::kw_plan => Kw::Plan,
        Rule::kw_issuer => Kw::Issuer,
        Rule::kw_issued => Kw::Issued,
        Rule::kw_effective => Kw::Effective,
        Rule::kw_timezone => Kw::Timezone,
        Rule::kw_source => Kw::Source,
        Rule::kw_include => Kw::Include,
        Rule::kw_enum => Kw::Enum,
        Rule::kw_class => Kw::Class,
        Rule::kw_event => Kw::Event,
        Rule::kw_text => Kw::Text,
        Rule::kw_bool => Kw::Bool,
        Rule::kw_int => Kw::Int,
        Rule::kw_date => Kw::Date,
        Rule::kw_ref => Kw::Ref,
        Rule::kw_window => Kw::Window,
        Rule::kw_yearly => Kw::Yearly,
        Rule::kw_calendar => Kw::Calendar,
        Rule::kw_holidays => Kw::Holidays,
        Rule::kw_workdays => Kw::Workdays,
        Rule::kw_param => Kw::Param,
        Rule::kw_finding => Kw::Finding,
        Rule::kw_state => Kw::State,
        Rule::kw_from => Kw::From,
        Rule::kw_until => Kw::Until,
        Rule::kw_valid => Kw::Valid,
        Rule::kw_valid_to => Kw::ValidTo,
        Rule::kw_rule => Kw::Rule,
        Rule::kw_article => Kw::Article,
        Rule::kw_quote => Kw::Quote,
        Rule::kw_lead => Kw::Lead,
        Rule::kw_cooperating => Kw::Cooperating,
        Rule::kw_severity => Kw::Severity,
        Rule::kw_low => Kw::Low,
        Rule::kw_medium => Kw::Medium,
        Rule::kw_high => Kw::High,
        Rule::kw_critical => Kw::Critical,
        Rule::kw_weight => Kw::Weight,
        Rule::kw_for_each => Kw::ForEach,
        Rule::kw_cover_each => Kw::CoverEach,
        Rule::kw_where => Kw::Where,
        Rule::kw_exempt => Kw::Exempt,
        Rule::kw_during => Kw::During,
        Rule::kw_because => Kw::Because,
        Rule::kw_require => Kw::Require,
        Rule::kw_forbid => Kw::Forbid,
        Rule::kw_at_least => Kw::AtLeast,
        Rule::kw_at_most => Kw::AtMost,
        Rule::kw_exactly => Kw::Exactly,
        Rule::kw_times => Kw::Times,
        Rule::kw_to => Kw::To,
        Rule::kw_by => Kw::By,
        Rule::kw_anyone => Kw::Anyone,
        Rule::kw_per => Kw::Per,
        Rule::kw_per_month => Kw::PerMonth,
        Rule::kw_per_quarter => Kw::PerQuarter,
        Rule::kw_per_half_year => Kw::PerHalfYear,
        Rule::kw_per_year => Kw::PerYear,
        Rule::kw_over_month => Kw::OverMonth,
        Rule::kw_over_quarter => Kw::OverQuarter,
        Rule::kw_over_half_year => Kw::OverHalfYear,
        Rule::kw_over_year => Kw::OverYear,
        Rule::kw_when => Kw::When,
        Rule::kw_if => Kw::If,
        Rule::kw_then => Kw::Then,
        Rule::kw_within => Kw::Within,
        Rule::kw_minutes => Kw::Minutes,
        Rule::kw_hours => Kw::Hours,
        Rule::kw_days => Kw::Days,
        Rule::kw_working_days => Kw::WorkingDays,
        Rule::kw_reported => Kw::Reported,
        Rule::kw_violated => Kw::Violated,
        Rule::kw_hold => Kw::Hold,
        Rule::kw_on => Kw::On,
        Rule::kw_and => Kw::And,
        Rule::kw_or => Kw::Or,
        Rule::kw_not => Kw::Not,
        Rule::kw_in => Kw::In,
        Rule::kw_is => Kw::Is,
        Rule::kw_under => Kw::Under,
        Rule::kw_has_finding => Kw::HasFinding,
        Rule::kw_true => Kw::True,
        Rule::kw_false => Kw::False,
        Rule::kw_subject => Kw::Subject,
        Rule::kw_actor => Kw::Actor,
        Rule::kw_target => Kw::Target,
        Rule::kw_trigger => Kw::Trigger,
        Rule::kw_period_start => Kw::PeriodStart,
        Rule::kw_period_end => Kw::PeriodEnd,
        _ => return None,
    })
}

/// The `kw_*` rule of a keyword.
#[cfg(test)]
pub(crate) fn rule_of_kw(kw: Kw) -> Rule {
    match kw {
        Kw::Plan => Rule::kw_plan,
        Kw::Issuer => Rule::kw_issuer,
        Kw::Issued => Rule::kw_issued,
        Kw::Effective => Rule::kw_effective,
        Kw::Timezone => Rule::kw_timezone,
        Kw::Source => Rule::kw_source,
        Kw::Include => Rule::kw_include,
        Kw::Enum => Rule::kw_enum,
        Kw::Class => Rule::kw_class,
        Kw::Event => Rule::kw_event,
        Kw::Text => Rule::kw_text,
        Kw::Bool => Rule::kw_bool,
        Kw::Int => Rule::kw_int,
        Kw::Date => Rule::kw_date,
        Kw::Ref => Rule::kw_ref,
        Kw::Window => Rule::kw_window,
        Kw::Yearly => Rule::kw_yearly,
        Kw::Calendar => Rule::kw_calendar,
        Kw::Holidays => Rule::kw_holidays,
        Kw::Workdays => Rule::kw_workdays,
        Kw::Param => Rule::kw_param,
        Kw::Finding => Rule::kw_finding,
        Kw::State => Rule::kw_state,
        Kw::From => Rule::kw_from,
        Kw::Until => Rule::kw_until,
        Kw::Valid => Rule::kw_valid,
        Kw::ValidTo => Rule::kw_valid_to,
        Kw::Rule => Rule::kw_rule,
        Kw::Article => Rule::kw_article,
        Kw::Quote => Rule::kw_quote,
        Kw::Lead => Rule::kw_lead,
        Kw::Cooperating => Rule::kw_cooperating,
        Kw::Severity => Rule::kw_severity,
        Kw::Low => Rule::kw_low,
        Kw::Medium => Rule::kw_medium,
        Kw::High => Rule::kw_high,
        Kw::Critical => Rule::kw_critical,
        Kw::Weight => Rule::kw_weight,
        Kw::ForEach => Rule::kw_for_each,
        Kw::CoverEach => Rule::kw_cover_each,
        Kw::Where => Rule::kw_where,
        Kw::Exempt => Rule::kw_exempt,
        Kw::During => Rule::kw_during,
        Kw::Because => Rule::kw_because,
        Kw::Require => Rule::kw_require,
        Kw::Forbid => Rule::kw_forbid,
        Kw::AtLeast => Rule::kw_at_least,
        Kw::AtMost => Rule::kw_at_most,
        Kw::Exactly => Rule::kw_exactly,
        Kw::Times => Rule::kw_times,
        Kw::To => Rule::kw_to,
        Kw::By => Rule::kw_by,
        Kw::Anyone => Rule::kw_anyone,
        Kw::Per => Rule::kw_per,
        Kw::PerMonth => Rule::kw_per_month,
        Kw::PerQuarter => Rule::kw_per_quarter,
        Kw::PerHalfYear => Rule::kw_per_half_year,
        Kw::PerYear => Rule::kw_per_year,
        Kw::OverMonth => Rule::kw_over_month,
        Kw::OverQuarter => Rule::kw_over_quarter,
        Kw::OverHalfYear => Rule::kw_over_half_year,
        Kw::OverYear => Rule::kw_over_year,
        Kw::When => Rule::kw_when,
        Kw::If => Rule::kw_if,
        Kw::Then => Rule::kw_then,
        Kw::Within => Rule::kw_within,
        Kw::Minutes => Rule::kw_minutes,
        Kw::Hours => Rule::kw_hours,
        Kw::Days => Rule::kw_days,
        Kw::WorkingDays => Rule::kw_working_days,
        Kw::Reported => Rule::kw_reported,
        Kw::Violated => Rule::kw_violated,
        Kw::Hold => Rule::kw_hold,
        Kw::On => Rule::kw_on,
        Kw::And => Rule::kw_and,
        Kw::Or => Rule::kw_or,
        Kw::Not => Rule::kw_not,
        Kw::In => Rule::kw_in,
        Kw::Is => Rule::kw_is,
        Kw::Under => Rule::kw_under,
        Kw::HasFinding => Rule::kw_has_finding,
        Kw::True => Rule::kw_true,
        Kw::False => Rule::kw_false,
        Kw::Subject => Rule::kw_subject,
        Kw::Actor => Rule::kw_actor,
        Kw::Target => Rule::kw_target,
        Kw::Trigger => Rule::kw_trigger,
        Kw::PeriodStart => Rule::kw_period_start,
        Kw::PeriodEnd => Rule::kw_period_end,
    }
}

/// Keywords and punctuation: pairs the AST builder skips over.
pub(super) fn is_token(rule: Rule) -> bool {
    kw_of_rule(rule).is_some()
        || matches!(
            rule,
            Rule::lbrace
                | Rule::rbrace
                | Rule::lparen
                | Rule::rparen
                | Rule::lbracket
                | Rule::rbracket
                | Rule::comma
                | Rule::colon
                | Rule::dot
                | Rule::equals
                | Rule::range_op
        )
}

/// The keywords a rule can start with; used to list what was expected and to spot misspellings.
pub(super) fn first_keywords(rule: Rule) -> &'static [Kw] {
    use Kw as K;
    match rule {
        Rule::item | Rule::item_to_end => crate::keywords::ITEM_KEYWORDS,
        Rule::plan => &[K::Plan],
        Rule::include => &[K::Include],
        Rule::enum_decl => &[K::Enum],
        Rule::class_decl => &[K::Class],
        Rule::event_decl => &[K::Event],
        Rule::window_decl => &[K::Window],
        Rule::calendar_decl => &[K::Calendar],
        Rule::param_decl => &[K::Param],
        Rule::finding_decl => &[K::Finding],
        Rule::state_decl => &[K::State],
        Rule::rule_decl => &[K::Rule],
        Rule::plan_issuer => &[K::Issuer],
        Rule::plan_issued => &[K::Issued],
        Rule::plan_effective => &[K::Effective],
        Rule::plan_timezone => &[K::Timezone],
        Rule::plan_source => &[K::Source],
        Rule::meta_article => &[K::Article],
        Rule::meta_quote => &[K::Quote],
        Rule::meta_lead => &[K::Lead],
        Rule::meta_cooperating => &[K::Cooperating],
        Rule::meta_severity => &[K::Severity],
        Rule::meta_weight => &[K::Weight],
        Rule::severity => &[K::Low, K::Medium, K::High, K::Critical],
        Rule::subject => &[K::ForEach, K::CoverEach],
        Rule::exempt => &[K::Exempt],
        Rule::body => &[K::Require, K::Forbid, K::When],
        Rule::hold_body | Rule::count_body => &[K::Require],
        Rule::forbid_body => &[K::Forbid],
        Rule::violated_body | Rule::when_body => &[K::When],
        Rule::hold_on => &[K::On],
        Rule::finding_tail => &[K::Then],
        Rule::response_branch => &[K::If, K::Require],
        Rule::quantity | Rule::count_cmp => &[K::AtLeast, K::AtMost, K::Exactly],
        Rule::to_subject => &[K::To],
        Rule::by_clause => &[K::By],
        Rule::by_actor => &[K::Actor],
        Rule::period => &[
            K::PerMonth,
            K::PerQuarter,
            K::PerHalfYear,
            K::PerYear,
            K::Per,
        ],
        Rule::per_window => &[K::Per],
        Rule::over => &[K::OverMonth, K::OverQuarter, K::OverHalfYear, K::OverYear],
        Rule::duration_unit => &[K::Minutes, K::Hours, K::Days, K::WorkingDays],
        Rule::holidays => &[K::Holidays],
        Rule::workdays => &[K::Workdays],
        Rule::state_between => &[K::From],
        Rule::state_valid => &[K::Valid],
        Rule::yearly_part => &[K::Yearly],
        Rule::has_finding => &[K::HasFinding],
        Rule::ref_type => &[K::Ref],
        Rule::in_set => &[K::In],
        Rule::qualifier => &[K::Subject, K::Actor, K::Target, K::Trigger],
        _ => &[],
    }
}

/// What users are told a rule is, when it was expected; keywords are spelled in `lang`.
pub(super) fn describe(rule: Rule, lang: Lang) -> Vec<String> {
    if let Some(kw) = kw_of_rule(rule) {
        return vec![format!("`{}`", kw.spelling(lang))];
    }
    if matches!(rule, Rule::item | Rule::item_to_end) {
        let [rule, class, event] = [Kw::Rule, Kw::Class, Kw::Event].map(|k| k.spelling(lang));
        return vec![format!("an item (`{rule}`, `{class}`, `{event}`, …)")];
    }
    let fixed = match rule {
        Rule::ident => "a name",
        Rule::int => "a number",
        Rule::date | Rule::date_range => "a date like `2023-05-04`",
        Rule::month_day => "a day of the year like `06-01`",
        Rule::string => "a string",
        Rule::lbrace => "`{`",
        Rule::rbrace => "`}`",
        Rule::lparen => "`(`",
        Rule::rparen => "`)`",
        Rule::lbracket => "`[`",
        Rule::rbracket => "`]`",
        Rule::comma => "`,`",
        Rule::colon => "`:`",
        Rule::dot => "`.`",
        Rule::equals | Rule::eq => "`=`",
        Rule::range_op => "`..`",
        Rule::ge => "`>=`",
        Rule::le => "`<=`",
        Rule::ne => "`!=`",
        Rule::gt => "`>`",
        Rule::lt => "`<`",
        Rule::cmp_op => "a comparison like `=` or `>=`",
        Rule::expr
        | Rule::and_expr
        | Rule::unary
        | Rule::atom
        | Rule::compare
        | Rule::paren_expr
        | Rule::is_test
        | Rule::under_test => "a condition",
        Rule::operand | Rule::attr_ref => "a value",
        Rule::pattern => "an event kind",
        Rule::amount => "a number or a param's name",
        Rule::duration => "a duration like `3 days`",
        Rule::window_part => "a date, a date range, a yearly day or a window's name",
        Rule::attr => "an attribute like `name: text`",
        Rule::type_expr => "a type",
        Rule::EOI => "the end of the line",
        _ => "",
    };
    if !fixed.is_empty() {
        return vec![fixed.to_owned()];
    }
    first_keywords(rule)
        .iter()
        .map(|k| format!("`{}`", k.spelling(lang)))
        .collect()
}

/// The keyword set of a file none of whose items parsed: counts words spelled like keywords,
/// outside comments and strings.
pub(super) fn guess_lang(text: &str, scan: &Scan) -> Lang {
    let (mut en, mut zh) = (0usize, 0usize);
    let mut word = String::new();
    let mut in_string: Option<char> = None;
    for (i, c) in text.char_indices() {
        if scan.in_comment(i) || scan.comment_at(i).is_some() {
            continue;
        }
        if let Some(close) = in_string {
            if c == close || c == '\n' {
                in_string = None;
            }
            continue;
        }
        if pest::unicode::XID_CONTINUE(c) {
            word.push(c);
            continue;
        }
        count_word(&mut word, &mut en, &mut zh);
        in_string = match c {
            '"' => Some('"'),
            '“' => Some('”'),
            '「' => Some('」'),
            _ => None,
        };
    }
    count_word(&mut word, &mut en, &mut zh);
    if zh > en {
        Lang::Zh
    } else {
        Lang::En
    }
}

fn count_word(word: &mut String, en: &mut usize, zh: &mut usize) {
    if KEYWORDS.iter().any(|k| k.spellings().any(|s| s == word)) {
        if word.is_ascii() {
            *en += 1;
        } else {
            *zh += 1;
        }
    }
    word.clear();
}

#[cfg(test)]
mod tests {
    //! The grammar's `kw_*` rules and the keyword table must agree.

    use super::{kw_of_rule, rule_of_kw};
    use crate::keywords::{is_keyword, KEYWORDS};
    use crate::parser::{Grammar, Rule};
    use pest::Parser as _;

    fn matches_whole(rule: Rule, text: &str) -> bool {
        Grammar::parse(rule, text)
            .ok()
            .and_then(|mut p| p.next())
            .is_some_and(|p| p.as_str() == text)
    }

    #[test]
    fn table_rows_follow_the_enum_order() {
        for (i, k) in KEYWORDS.iter().enumerate() {
            assert_eq!(k.id as usize, i, "{:?} is out of order", k.id);
            assert_eq!(k.id.info(), k);
        }
    }

    #[test]
    fn every_spelling_parses_with_its_rule() {
        for k in KEYWORDS {
            let rule = rule_of_kw(k.id);
            assert_eq!(kw_of_rule(rule), Some(k.id));
            for s in k.spellings() {
                assert!(matches_whole(rule, s), "{rule:?} does not accept `{s}`");
                let glued = format!("{s}x");
                assert!(!matches_whole(rule, &glued), "{rule:?} accepts `{glued}`");
                assert!(
                    Grammar::parse(rule, &format!("{s}甲")).is_err(),
                    "{rule:?} matches inside `{s}甲`"
                );
            }
            let spaced = k.en.replace(' ', " \t\u{3000}");
            assert!(
                matches_whole(rule, &spaced),
                "{rule:?} does not accept `{spaced}`"
            );
            if k.en.contains(' ') {
                let broken = k.en.replace(' ', "\n");
                assert!(
                    !matches_whole(rule, &broken),
                    "{rule:?} accepts a line break inside `{}`",
                    k.en
                );
            }
        }
    }

    #[test]
    fn keywords_are_reserved_but_may_be_part_of_names() {
        for k in KEYWORDS {
            for s in k.spellings() {
                assert!(
                    !matches_whole(Rule::ident, s),
                    "`{s}` is accepted as a name"
                );
                assert!(is_keyword(s) || s.contains([' ', '.']));
                let longer = format!("{s}名");
                if !s.contains([' ', '.']) {
                    assert!(
                        matches_whole(Rule::ident, &longer),
                        "`{longer}` is not a name"
                    );
                }
            }
        }
        for k in KEYWORDS.iter().filter(|k| k.en.contains([' ', '.'])) {
            for word in
                k.en.split([' ', '.'])
                    .filter(|w| !is_keyword(w) && !w.contains('-'))
            {
                assert!(
                    matches_whole(Rule::ident, word),
                    "`{word}` of `{}` is not a name",
                    k.en
                );
            }
        }
        for name in ["非煤矿山", "一且一", "每半月", "_x1", "ruler", "périodique"] {
            assert!(matches_whole(Rule::ident, name), "`{name}` is not a name");
        }
    }

    #[test]
    fn every_grammar_rule_is_documented() {
        let grammar = include_str!("../../../../grammar/oblige.pest");
        let mut previous = "";
        for line in grammar.lines() {
            let is_rule = line
                .split_once(" = ")
                .is_some_and(|(name, _)| name.chars().all(|c| c.is_alphanumeric() || c == '_'));
            if is_rule {
                assert!(previous.starts_with("///"), "undocumented rule: {line}");
            }
            previous = line;
        }
    }

    #[test]
    fn every_rule_has_a_name_for_users() {
        let grammar = include_str!("../../../../grammar/oblige.pest");
        let silent: Vec<&str> = grammar
            .lines()
            .filter_map(|l| l.split_once(" = _{"))
            .map(|(name, _)| name)
            .collect();
        for &rule in Rule::all_rules() {
            if silent.contains(&format!("{rule:?}").as_str()) {
                continue;
            }
            let names = super::describe(rule, crate::ast::Lang::Zh);
            assert!(!names.is_empty(), "{rule:?} has no name for users");
            for n in names {
                assert!(!n.contains('_'), "{rule:?} is shown as `{n}`");
            }
        }
    }

    #[test]
    fn the_grammar_declares_exactly_the_table_keywords() {
        let grammar = include_str!("../../../../grammar/oblige.pest");
        let declared: Vec<&str> = grammar
            .lines()
            .filter_map(|l| l.split_once(" = @{"))
            .map(|(name, _)| name)
            .filter(|name| name.starts_with("kw_"))
            .collect();
        let mut expected: Vec<String> = KEYWORDS
            .iter()
            .map(|k| format!("{:?}", rule_of_kw(k.id)))
            .collect();
        let mut declared: Vec<String> = declared.into_iter().map(str::to_owned).collect();
        expected.sort();
        declared.sort();
        assert_eq!(declared, expected);
        let reserved = grammar
            .split("reserved_word = _{")
            .nth(1)
            .and_then(|rest| rest.split('}').next())
            .unwrap_or("");
        for k in KEYWORDS {
            let name = format!("{:?}", rule_of_kw(k.id));
            let listed = reserved
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .any(|w| w == name);
            let one_word = !k.en.contains([' ', '.']);
            assert_eq!(
                listed, one_word,
                "`{name}` must be listed in `reserved_word` exactly when it is one word"
            );
        }
    }
}
