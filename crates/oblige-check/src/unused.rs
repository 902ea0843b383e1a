//! Warnings about declarations nothing refers to, and findings tested but never given.

use crate::codes;
use crate::ctx::{Ctx, Ns};
use crate::symbols::Symbols;

/// Namespaces whose unused declarations are worth a warning (rules are used by being rules).
const WATCHED: &[Ns] = &[
    Ns::Enum,
    Ns::Class,
    Ns::Event,
    Ns::Window,
    Ns::Calendar,
    Ns::Param,
    Ns::Finding,
    Ns::State,
];

/// Warns about every declaration of a watched namespace that nothing refers to.
pub(crate) fn report_unused(ctx: &mut Ctx, syms: &Symbols<'_>) {
    for ((ns, name), span) in &syms.spans {
        if !WATCHED.contains(ns) || ctx.is_used(*ns, name) || ctx.suggested.contains(name) {
            continue;
        }
        ctx.warning(
            codes::UNUSED,
            *span,
            format!("the {} `{name}` is never used", ns.noun()),
        )
        .label("declared here")
        .help("remove it, or refer to it from a rule");
    }
}

/// Warns about `has finding F` where no rule gives `F`: the test is always false.
pub(crate) fn report_never_given(ctx: &mut Ctx) {
    let tested = std::mem::take(&mut ctx.tested_findings);
    for (name, span) in &tested {
        if ctx.given_findings.contains(name) {
            continue;
        }
        ctx.warning(
            codes::FINDING_NEVER_GIVEN,
            *span,
            format!("no rule gives the finding `{name}`"),
        )
        .label("this test is always false")
        .help(format!(
            "add a rule `when … then finding {name} over …`, or remove the test"
        ));
    }
    ctx.tested_findings = tested;
}
