//! The declarations that become parts of the model as they are: enums, classes, event kinds,
//! parameters, findings and states.

use crate::codes;
use crate::ctx::{Ctx, Ns};
use crate::duration::within;
use crate::model::{Attrs, Finding, ParamValue, StateDef};
use crate::symbols::{Symbols, TypeSym, EVENT_BUILTINS};
use crate::ty::Ty;
use indexmap::IndexMap;
use oblige_syntax::ast::{self, Ident};

/// Attributes in the model's form; unknown types never reach a built plan.
pub(crate) fn attrs(sym: &TypeSym) -> Attrs {
    sym.attrs
        .iter()
        .filter_map(|(n, a)| Some((n.clone(), a.ty.to_model()?)))
        .collect()
}

/// Parameter values with durations reduced.
pub(crate) fn params(syms: &Symbols<'_>) -> IndexMap<String, ParamValue> {
    syms.params
        .iter()
        .map(|(n, p)| {
            let v = match &p.value {
                ast::ParamValue::Int(i) => ParamValue::Int(i.value),
                ast::ParamValue::Duration(d) => match &d.amount {
                    ast::Amount::Int(i) => ParamValue::Duration(within(i.value, d.unit)),
                    // The parser only writes numbers here; a name would have no value.
                    ast::Amount::Param(_) => ParamValue::Int(0),
                },
            };
            (n.clone(), v)
        })
        .collect()
}

/// Findings with their descriptions and documentation.
pub(crate) fn findings(syms: &Symbols<'_>) -> IndexMap<String, Finding> {
    syms.findings
        .iter()
        .map(|(n, f)| {
            let finding = Finding {
                description: f.description.as_ref().map(|s| s.value.clone()),
                docs: f.docs.clone(),
            };
            (n.clone(), finding)
        })
        .collect()
}

/// States with their event kinds and attributes checked.
pub(crate) fn states(ctx: &mut Ctx, syms: &Symbols<'_>) -> IndexMap<String, StateDef> {
    let mut out = IndexMap::new();
    for (name, st) in &syms.states {
        let def = match &st.def {
            ast::StateDef::Between { start, end } => {
                let s = event_kind(ctx, syms, start);
                let e = end.as_ref().map(|e| event_kind(ctx, syms, e));
                let end = match e {
                    Some(None) => continue,
                    Some(Some(e)) => Some(e),
                    None => None,
                };
                let Some(start) = s else { continue };
                StateDef::Between { start, end }
            }
            ast::StateDef::Valid { kind, from, to } => {
                let Some(k) = event_kind(ctx, syms, kind) else {
                    continue;
                };
                let (f, t) = (date_attr(ctx, syms, &k, from), date_attr(ctx, syms, &k, to));
                let (Some(from), Some(to)) = (f, t) else {
                    continue;
                };
                StateDef::Valid { kind: k, from, to }
            }
        };
        out.insert(name.clone(), def);
    }
    out
}

/// A known event kind, marked used; `None` after reporting an unknown one.
pub(crate) fn event_kind(ctx: &mut Ctx, syms: &Symbols<'_>, kind: &Ident) -> Option<String> {
    if syms.events.contains_key(&kind.name) {
        ctx.mark_used(Ns::Event, &kind.name);
        return Some(kind.name.clone());
    }
    ctx.error(
        codes::UNKNOWN_EVENT,
        kind.span,
        format!("unknown event kind `{}`", kind.name),
    )
    .label("no event kind has this name")
    .suggest(&kind.name, syms.events.keys().map(String::as_str));
    None
}

fn date_attr(ctx: &mut Ctx, syms: &Symbols<'_>, kind: &str, attr: &Ident) -> Option<String> {
    let sym = syms.events.get(kind)?;
    let builtin = EVENT_BUILTINS
        .iter()
        .find(|(b, _)| *b == attr.name)
        .map(|(_, t)| t);
    let Some(ty) = builtin.or_else(|| sym.attrs.get(&attr.name).map(|a| &a.ty)) else {
        ctx.error(
            codes::UNKNOWN_ATTRIBUTE,
            attr.span,
            format!("unknown attribute `{}` of event kind `{kind}`", attr.name),
        )
        .label("the event kind has no such attribute")
        .suggest(&attr.name, sym.attrs.keys().map(String::as_str));
        return None;
    };
    if ty.compatible(&Ty::Date) {
        return Some(attr.name.clone());
    }
    ctx.error(
        codes::STATE_NOT_DATE,
        attr.span,
        format!(
            "the attribute `{}` is {}, not a `date`",
            attr.name,
            ty.describe()
        ),
    )
    .label("a state's validity needs a date")
    .help("name two `date` attributes of the event kind");
    None
}
