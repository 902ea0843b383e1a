//! Checks a parsed plan: resolves every name, types every predicate, and rejects impossible rules.
//!
//! The result is a [`model::Plan`] that the evaluator can run without further checks. Every
//! diagnostic has a stable code from [`codes`], documented in `docs/diagnostics.md`.

pub mod codes;
pub mod model;

mod ctx;
mod dates;
mod decls;
mod duration;
mod expr;
mod header;
mod rules;
mod symbols;
mod ty;
mod unused;
mod windows;

use oblige_diagnostics::{has_errors, sort_diagnostics, Diagnostic, FileId, SourceMap};
use oblige_syntax::ast::SourceUnit;

/// The outcome of checking a plan.
#[derive(Clone, Debug)]
pub struct Checked {
    /// The checked plan; present only when no diagnostic is an error.
    pub plan: Option<model::Plan>,
    /// Every error and warning, sorted by file, position and code.
    pub diagnostics: Vec<Diagnostic>,
}

/// Checks the parsed files of a plan, in include order, and builds its model.
///
/// All errors are collected, not just the first. Never panics, whatever the input.
pub fn check(sources: SourceMap, units: &[(FileId, SourceUnit)]) -> Checked {
    let mut cx = ctx::Ctx::default();
    let syms = symbols::Symbols::collect(&mut cx, units);
    let header = header::check_headers(&mut cx, &syms.headers, units.first().map(|(f, _)| *f));
    let effective = header
        .as_ref()
        .map(|h| (h.effective_start, h.effective_end));
    let windows = windows::Windows::resolve(&mut cx, &syms, effective);
    let calendar = windows.calendar(&mut cx, &syms);
    let states = decls::states(&mut cx, &syms);
    let env = rules::Env {
        syms: &syms,
        windows: &windows,
        effective,
    };
    let rules = rules::lower_all(&mut cx, &env);
    rules::check_violation_cycles(&mut cx, &syms.rule_list);
    unused::report_never_given(&mut cx);
    unused::report_unused(&mut cx, &syms);

    let mut diagnostics = cx.diags;
    sort_diagnostics(&mut diagnostics);
    let plan = match header {
        Some(header) if !has_errors(&diagnostics) => Some(model::Plan {
            sources,
            header,
            enums: syms
                .enums
                .iter()
                .map(|(n, e)| (n.clone(), e.values.clone()))
                .collect(),
            classes: syms
                .classes
                .iter()
                .map(|(n, c)| (n.clone(), decls::attrs(c)))
                .collect(),
            events: syms
                .events
                .iter()
                .map(|(n, e)| (n.clone(), decls::attrs(e)))
                .collect(),
            windows: windows.resolved,
            calendar,
            params: decls::params(&syms),
            findings: decls::findings(&syms),
            states,
            rules,
        }),
        _ => None,
    };
    Checked { plan, diagnostics }
}
