//! Rule metadata: articles, quote, lead and cooperating units, severity, weight.

use crate::codes;
use crate::ctx::Ctx;
use crate::model::RuleMeta;
use oblige_diagnostics::Span;
use oblige_syntax::ast::{Meta, Rule};

/// The rule's metadata; repeated single-valued fields are reported, the first one kept.
pub(super) fn lower(ctx: &mut Ctx, rule: &Rule) -> RuleMeta {
    let mut meta = RuleMeta {
        title: rule.title.as_ref().map(|t| t.value.clone()),
        docs: rule.docs.clone(),
        ..RuleMeta::default()
    };
    let mut seen: Vec<(&'static str, Span)> = Vec::new();
    for m in &rule.meta {
        match m {
            Meta::Article(ns) => meta.articles.extend(ns.iter().map(|n| n.value)),
            Meta::Lead(ss) => meta.lead.extend(ss.iter().map(|s| s.value.clone())),
            Meta::Cooperating(ss) => meta.cooperating.extend(ss.iter().map(|s| s.value.clone())),
            Meta::Quote(q) => {
                if once(ctx, &mut seen, "quote", q.span) {
                    meta.quote = Some(q.value.clone());
                }
            }
            Meta::Severity(s, span) => {
                if once(ctx, &mut seen, "severity", *span) {
                    meta.severity = Some(*s);
                }
            }
            Meta::Weight(w) => {
                if once(ctx, &mut seen, "weight", w.span) {
                    meta.weight = Some(w.value);
                }
            }
        }
    }
    if meta.articles.is_empty() && meta.quote.is_none() {
        ctx.warning(
            codes::NO_CITATION,
            rule.id.span,
            format!(
                "the rule `{}` cites no article or quote of its source",
                rule.id.name
            ),
        )
        .label("no `article` or `quote`")
        .help("add `article N` or `quote \"…\"` so reports can show where the duty comes from");
    }
    meta
}

/// Whether this is the first `field` of the rule; reports a repeat.
fn once(
    ctx: &mut Ctx,
    seen: &mut Vec<(&'static str, Span)>,
    field: &'static str,
    span: Span,
) -> bool {
    if let Some(&(_, first)) = seen.iter().find(|(f, _)| *f == field) {
        ctx.error(
            codes::DUPLICATE_META,
            span,
            format!("`{field}` is given twice in one rule"),
        )
        .label("given again here")
        .related(first, "first given here")
        .help("keep one of them");
        return false;
    }
    seen.push((field, span));
    true
}
