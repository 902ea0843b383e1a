//! Random declarations and whole files.

use super::rules::rule;
use super::{date, docs, duration, ident, int_lit, str_lit, window_name, window_part};
use oblige_syntax::ast::{
    AttrDecl, CalendarDecl, ClassDecl, EnumDecl, EventDecl, FindingDecl, Include, Item, Lang,
    ParamDecl, ParamValue, PlanField, PlanHeader, SourceUnit, StateDecl, StateDef, TypeExpr,
    TypeKind, WindowDecl,
};
use oblige_syntax::Span;
use proptest::prelude::*;

const NO: Span = Span {
    file: oblige_syntax::FileId(0),
    start: 0,
    end: 0,
};

fn plan_field() -> impl Strategy<Value = PlanField> {
    prop_oneof![
        str_lit().prop_map(PlanField::Issuer),
        date().prop_map(PlanField::Issued),
        (date(), date()).prop_map(|(a, b)| PlanField::Effective(a, b)),
        str_lit().prop_map(PlanField::Timezone),
        str_lit().prop_map(PlanField::Source),
    ]
}

fn plan() -> impl Strategy<Value = Item> {
    (docs(), str_lit(), prop::collection::vec(plan_field(), 0..4)).prop_map(
        |(docs, title, fields)| {
            Item::Plan(PlanHeader {
                docs,
                title,
                fields,
                span: NO,
            })
        },
    )
}

fn include() -> impl Strategy<Value = Item> {
    str_lit().prop_map(|path| Item::Include(Include { path, span: NO }))
}

fn enum_decl() -> impl Strategy<Value = Item> {
    (docs(), ident(), prop::collection::vec(ident(), 1..4)).prop_map(|(docs, name, values)| {
        Item::Enum(EnumDecl {
            docs,
            name,
            values,
            span: NO,
        })
    })
}

fn type_kind() -> impl Strategy<Value = TypeKind> {
    prop_oneof![
        Just(TypeKind::Text),
        Just(TypeKind::Bool),
        Just(TypeKind::Int),
        Just(TypeKind::Date),
        ident().prop_map(TypeKind::Ref),
        ident().prop_map(TypeKind::Enum),
    ]
}

fn attrs() -> impl Strategy<Value = Vec<AttrDecl>> {
    let attr = (ident(), type_kind()).prop_map(|(name, kind)| AttrDecl {
        name,
        ty: TypeExpr { kind, span: NO },
        span: NO,
    });
    prop::collection::vec(attr, 0..4)
}

fn class_or_event() -> impl Strategy<Value = Item> {
    (any::<bool>(), docs(), ident(), attrs()).prop_map(|(class, docs, name, attrs)| {
        if class {
            Item::Class(ClassDecl {
                docs,
                name,
                attrs,
                span: NO,
            })
        } else {
            Item::Event(EventDecl {
                docs,
                name,
                attrs,
                span: NO,
            })
        }
    })
}

fn window() -> impl Strategy<Value = Item> {
    (
        docs(),
        window_name(),
        prop::collection::vec(window_part(), 1..4),
    )
        .prop_map(|(docs, name, parts)| {
            Item::Window(WindowDecl {
                docs,
                name,
                parts,
                span: NO,
            })
        })
}

fn calendar() -> impl Strategy<Value = Item> {
    (
        docs(),
        ident(),
        prop::collection::vec(window_part(), 0..3),
        prop::collection::vec(window_part(), 0..3),
    )
        .prop_map(|(docs, name, holidays, workdays)| {
            Item::Calendar(CalendarDecl {
                docs,
                name,
                holidays,
                workdays,
                span: NO,
            })
        })
}

fn param() -> impl Strategy<Value = Item> {
    let value = prop_oneof![
        int_lit().prop_map(ParamValue::Int),
        duration().prop_map(ParamValue::Duration),
    ];
    (docs(), ident(), value).prop_map(|(docs, name, value)| {
        Item::Param(ParamDecl {
            docs,
            name,
            value,
            span: NO,
        })
    })
}

fn finding() -> impl Strategy<Value = Item> {
    (docs(), ident(), prop::option::of(str_lit())).prop_map(|(docs, name, description)| {
        Item::Finding(FindingDecl {
            docs,
            name,
            description,
            span: NO,
        })
    })
}

fn state() -> impl Strategy<Value = Item> {
    let def = prop_oneof![
        (ident(), prop::option::of(ident()))
            .prop_map(|(start, end)| StateDef::Between { start, end }),
        (ident(), ident(), ident()).prop_map(|(kind, from, to)| StateDef::Valid { kind, from, to }),
    ];
    (docs(), ident(), def).prop_map(|(docs, name, def)| {
        Item::State(StateDecl {
            docs,
            name,
            def,
            span: NO,
        })
    })
}

/// Any item.
pub fn item() -> impl Strategy<Value = Item> {
    prop_oneof![
        1 => plan(),
        1 => include(),
        1 => enum_decl(),
        1 => class_or_event(),
        1 => window(),
        1 => calendar(),
        1 => param(),
        1 => finding(),
        1 => state(),
        3 => rule(),
    ]
}

/// A file of a few items, without comments.
pub fn source_unit() -> impl Strategy<Value = SourceUnit> {
    prop::collection::vec(item(), 0..5).prop_map(|items| SourceUnit {
        items,
        comments: Vec::new(),
        lang: Lang::En,
    })
}
