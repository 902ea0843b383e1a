//! Random rules: every metadata line, subject form and body form.

use super::{
    amount, calendar_period, date, docs, duration, expr, ident, int_lit, period, str_lit,
    window_part,
};
use oblige_syntax::ast::{
    ActorSpec, ConsequenceReq, ConsequenceTrigger, CountCmp, CountReq, EventPattern, Exemption,
    HoldReq, HoldWhen, Item, Meta, Quantity, ResponseBranch, ResponseReq, ResponseWhat, Rule,
    RuleBody, Severity, SubjectClause, SubjectMode,
};
use oblige_syntax::Span;
use proptest::prelude::*;

fn meta() -> impl Strategy<Value = Meta> {
    let severity = prop::sample::select(vec![
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ]);
    prop_oneof![
        prop::collection::vec(int_lit(), 1..4).prop_map(Meta::Article),
        str_lit().prop_map(Meta::Quote),
        prop::collection::vec(str_lit(), 1..3).prop_map(Meta::Lead),
        prop::collection::vec(str_lit(), 1..3).prop_map(Meta::Cooperating),
        severity.prop_map(|s| Meta::Severity(s, Span::default())),
        int_lit().prop_map(Meta::Weight),
    ]
}

fn subject() -> impl Strategy<Value = SubjectClause> {
    let mode = prop::sample::select(vec![SubjectMode::ForEach, SubjectMode::CoverEach]);
    (mode, ident(), prop::option::of(expr())).prop_map(|(mode, class, filter)| SubjectClause {
        mode,
        class,
        filter,
        span: Span::default(),
    })
}

fn exemption() -> impl Strategy<Value = Exemption> {
    (
        prop::option::of(expr()),
        prop::option::of(window_part()),
        str_lit(),
    )
        .prop_map(|(filter, during, reason)| Exemption {
            filter,
            during,
            reason,
            span: Span::default(),
        })
}

fn pattern() -> impl Strategy<Value = EventPattern> {
    let by = prop::option::of(prop_oneof![
        Just(ActorSpec::Subject),
        Just(ActorSpec::Anyone),
        expr().prop_map(ActorSpec::Related),
    ]);
    (ident(), prop::option::of(expr()), any::<bool>(), by).prop_map(
        |(kind, filter, to_subject, by)| EventPattern {
            kind,
            filter,
            to_subject,
            by,
            span: Span::default(),
        },
    )
}

fn count() -> impl Strategy<Value = RuleBody> {
    let quantity = prop_oneof![
        (
            prop::sample::select(vec![CountCmp::AtLeast, CountCmp::AtMost, CountCmp::Exactly]),
            amount()
        )
            .prop_map(|(cmp, amount)| (cmp, Some(amount))),
        Just((CountCmp::Never, None)),
    ];
    (quantity, pattern(), period()).prop_map(|((cmp, amount), events, period)| {
        RuleBody::Count(CountReq {
            quantity: Quantity {
                cmp,
                amount,
                span: Span::default(),
            },
            events,
            period,
            span: Span::default(),
        })
    })
}

fn branch() -> impl Strategy<Value = ResponseBranch> {
    let response = prop_oneof![
        pattern().prop_map(ResponseWhat::Event),
        Just(ResponseWhat::Reported),
    ];
    (prop::option::of(expr()), response, duration()).prop_map(|(condition, response, within)| {
        ResponseBranch {
            condition,
            response,
            within,
            span: Span::default(),
        }
    })
}

fn response() -> impl Strategy<Value = RuleBody> {
    (pattern(), prop::collection::vec(branch(), 1..4)).prop_map(|(trigger, branches)| {
        RuleBody::Response(ResponseReq {
            trigger,
            branches,
            span: Span::default(),
        })
    })
}

fn consequence() -> impl Strategy<Value = RuleBody> {
    let trigger = prop_oneof![
        pattern().prop_map(ConsequenceTrigger::Event),
        ident().prop_map(ConsequenceTrigger::Violation),
    ];
    (trigger, ident(), calendar_period()).prop_map(|(trigger, finding, over)| {
        RuleBody::Consequence(ConsequenceReq {
            trigger,
            finding,
            over,
            span: Span::default(),
        })
    })
}

fn hold() -> impl Strategy<Value = RuleBody> {
    let when = prop_oneof![
        period().prop_map(HoldWhen::Throughout),
        date().prop_map(HoldWhen::On),
    ];
    (ident(), when).prop_map(|(state, when)| {
        RuleBody::Hold(HoldReq {
            state,
            when,
            span: Span::default(),
        })
    })
}

fn body() -> impl Strategy<Value = RuleBody> {
    prop_oneof![count(), response(), consequence(), hold()]
}

/// A rule with every part drawn at random.
pub fn rule() -> impl Strategy<Value = Item> {
    (
        docs(),
        ident(),
        prop::option::of(str_lit()),
        prop::collection::vec(meta(), 0..4),
        subject(),
        prop::collection::vec(exemption(), 0..3),
        body(),
    )
        .prop_map(|(docs, id, title, meta, subject, exemptions, body)| {
            Item::Rule(Rule {
                docs,
                id,
                title,
                meta,
                subject,
                exemptions,
                body,
                span: Span::default(),
            })
        })
}
