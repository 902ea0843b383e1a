//! The checker's shared state: diagnostics found so far and which declarations are referred to.

use oblige_diagnostics::{did_you_mean, Code, Diagnostic, Span};
use std::collections::HashSet;

/// The namespaces in which names are declared; each is separate, so a class and an event kind
/// may share a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Ns {
    Enum,
    Class,
    Event,
    Window,
    Calendar,
    Param,
    Finding,
    State,
    Rule,
}

impl Ns {
    /// How the namespace is called in messages.
    pub(crate) fn noun(self) -> &'static str {
        match self {
            Ns::Enum => "enum",
            Ns::Class => "class",
            Ns::Event => "event kind",
            Ns::Window => "window",
            Ns::Calendar => "calendar",
            Ns::Param => "parameter",
            Ns::Finding => "finding",
            Ns::State => "state",
            Ns::Rule => "rule",
        }
    }
}

/// Collects diagnostics and records uses, so unused declarations can be reported at the end.
#[derive(Debug, Default)]
pub(crate) struct Ctx {
    pub(crate) diags: Vec<Diagnostic>,
    used: HashSet<(Ns, String)>,
    /// Findings tested by `has finding`, where.
    pub(crate) tested_findings: Vec<(String, Span)>,
    /// Findings some rule gives.
    pub(crate) given_findings: HashSet<String>,
    /// Names offered as "did you mean": their declarations are meant to be used, so they are
    /// not reported as unused on top of the misspelling.
    pub(crate) suggested: HashSet<String>,
}

impl Ctx {
    pub(crate) fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    pub(crate) fn error(
        &mut self,
        code: Code,
        span: Span,
        message: impl Into<String>,
    ) -> Builder<'_> {
        Builder {
            ctx: self,
            diag: Some(Diagnostic::error(code, span, message)),
        }
    }

    pub(crate) fn warning(
        &mut self,
        code: Code,
        span: Span,
        message: impl Into<String>,
    ) -> Builder<'_> {
        Builder {
            ctx: self,
            diag: Some(Diagnostic::warning(code, span, message)),
        }
    }

    pub(crate) fn mark_used(&mut self, ns: Ns, name: &str) {
        self.used.insert((ns, name.to_owned()));
    }

    pub(crate) fn is_used(&self, ns: Ns, name: &str) -> bool {
        self.used.contains(&(ns, name.to_owned()))
    }
}

/// A diagnostic being built; it is recorded when dropped, so a caller cannot forget it.
pub(crate) struct Builder<'a> {
    ctx: &'a mut Ctx,
    diag: Option<Diagnostic>,
}

impl Builder<'_> {
    fn map(mut self, f: impl FnOnce(Diagnostic) -> Diagnostic) -> Self {
        self.diag = self.diag.take().map(f);
        self
    }

    pub(crate) fn label(self, label: impl Into<String>) -> Self {
        self.map(|d| d.with_label(label))
    }

    pub(crate) fn help(self, help: impl Into<String>) -> Self {
        self.map(|d| d.with_help(help))
    }

    pub(crate) fn help_opt(self, help: Option<String>) -> Self {
        self.map(|d| d.with_help_opt(help))
    }

    pub(crate) fn related(self, span: Span, message: impl Into<String>) -> Self {
        self.map(|d| d.with_related(span, message))
    }

    /// Adds "did you mean `x`?" when a candidate is close to `name`.
    pub(crate) fn suggest<'c>(
        self,
        name: &str,
        candidates: impl IntoIterator<Item = &'c str>,
    ) -> Self {
        let found = did_you_mean(name, candidates);
        if let Some(s) = found {
            self.ctx.suggested.insert(s.to_owned());
        }
        self.help_opt(found.map(|s| format!("did you mean `{s}`?")))
    }
}

impl Drop for Builder<'_> {
    fn drop(&mut self) {
        if let Some(d) = self.diag.take() {
            self.ctx.push(d);
        }
    }
}
