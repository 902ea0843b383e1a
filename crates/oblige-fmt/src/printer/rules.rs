//! Rules: header, metadata lines, subject, exemptions and the requirement.

use super::expr::{amount, date, duration, event_pattern, expr, over, period, string, window_part};
use super::words::{would_join, Kw, Toks};
use super::{range, range2, Printer};
use oblige_syntax::ast::{
    Amount, ConsequenceReq, ConsequenceTrigger, CountCmp, CountReq, EventPattern, Exemption,
    HoldReq, HoldWhen, Lang, Meta, ResponseBranch, ResponseReq, ResponseWhat, Rule, RuleBody,
    Severity, SubjectClause, SubjectMode,
};
use oblige_syntax::Span;

impl Printer {
    pub(super) fn rule(&mut self, rule: &Rule) {
        self.docs(&rule.docs, rule.span);
        let mut t = self.toks();
        t.kw(Kw::Rule).word(&rule.id.name);
        let mut header_end = rule.id.span;
        if let Some(title) = &rule.title {
            string(&mut t, &title.value);
            header_end = title.span;
        }
        self.open_block(t, range2(rule.span, header_end));
        for meta in &rule.meta {
            self.meta(meta);
        }
        self.subject(&rule.subject);
        for exemption in &rule.exemptions {
            self.exemption(exemption);
        }
        self.body(&rule.body);
        self.close_block(rule.span);
    }

    fn meta(&mut self, meta: &Meta) {
        let mut t = self.toks();
        let at = match meta {
            Meta::Article(numbers) => {
                t.kw(Kw::Article);
                for (i, n) in numbers.iter().enumerate() {
                    if i > 0 {
                        t.close(",");
                    }
                    t.word(&n.value.to_string());
                }
                spans_range(numbers.iter().map(|n| n.span))
            }
            Meta::Quote(s) => {
                t.kw(Kw::Quote);
                string(&mut t, &s.value);
                Some(range(s.span))
            }
            Meta::Lead(units) | Meta::Cooperating(units) => {
                let kw = match meta {
                    Meta::Lead(_) => Kw::Lead,
                    _ => Kw::Cooperating,
                };
                t.kw(kw);
                for (i, unit) in units.iter().enumerate() {
                    if i > 0 {
                        t.close(",");
                    }
                    string(&mut t, &unit.value);
                }
                spans_range(units.iter().map(|s| s.span))
            }
            Meta::Severity(severity, span) => {
                t.kw(Kw::Severity).kw(match severity {
                    Severity::Low => Kw::Low,
                    Severity::Medium => Kw::Medium,
                    Severity::High => Kw::High,
                    Severity::Critical => Kw::Critical,
                });
                Some(range(*span))
            }
            Meta::Weight(n) => {
                t.kw(Kw::Weight).word(&n.value.to_string());
                Some(range(n.span))
            }
        };
        self.push_at(t, at);
    }

    fn subject(&mut self, subject: &SubjectClause) {
        let mut t = self.toks();
        t.kw(match subject.mode {
            SubjectMode::ForEach => Kw::ForEach,
            SubjectMode::CoverEach => Kw::CoverEach,
        })
        .word(&subject.class.name);
        if let Some(filter) = &subject.filter {
            t.kw(Kw::Where);
            expr(&mut t, filter);
        }
        self.push(t, range(subject.span));
    }

    fn exemption(&mut self, exemption: &Exemption) {
        let mut t = self.toks();
        t.kw(Kw::Exempt);
        if let Some(filter) = &exemption.filter {
            t.kw(Kw::Where);
            expr(&mut t, filter);
        }
        if let Some(during) = &exemption.during {
            t.kw(Kw::During);
            window_part(&mut t, during);
        }
        t.kw(Kw::Because);
        string(&mut t, &exemption.reason.value);
        self.push(t, range(exemption.span));
    }

    fn body(&mut self, body: &RuleBody) {
        match body {
            RuleBody::Count(req) => self.count(req),
            RuleBody::Response(req) => self.response(req),
            RuleBody::Consequence(req) => self.consequence(req),
            RuleBody::Hold(req) => self.hold(req),
        }
    }

    fn count(&mut self, req: &CountReq) {
        let mut t = self.toks();
        let cmp = match req.quantity.cmp {
            CountCmp::AtLeast => Some(Kw::AtLeast),
            CountCmp::AtMost => Some(Kw::AtMost),
            CountCmp::Exactly => Some(Kw::Exactly),
            CountCmp::Never => None,
        };
        match cmp {
            Some(cmp) => {
                t.kw(Kw::Require).kw(cmp);
                if let Some(n) = &req.quantity.amount {
                    amount(&mut t, n);
                }
                if t.lang() == Lang::Zh || param_joins(&req.quantity.amount, &req.events) {
                    t.kw(Kw::Times);
                }
            }
            None => {
                t.kw(Kw::Forbid);
            }
        }
        event_pattern(&mut t, &req.events);
        period(&mut t, &req.period);
        self.push(t, range(req.span));
    }

    /// One line when there is a single unconditional branch, else `when trigger` and one
    /// indented line per branch.
    fn response(&mut self, req: &ResponseReq) {
        let mut t = self.toks();
        t.kw(Kw::When);
        event_pattern(&mut t, &req.trigger);
        match req.branches.as_slice() {
            [only] if only.condition.is_none() => {
                branch(&mut t, only);
                self.push(t, range(req.span));
            }
            branches => {
                self.push(t, range2(req.span, req.trigger.span));
                self.indent += 1;
                for b in branches {
                    let mut t = self.toks();
                    branch(&mut t, b);
                    self.push(t, range(b.span));
                }
                self.indent -= 1;
            }
        }
    }

    fn consequence(&mut self, req: &ConsequenceReq) {
        let mut t = self.toks();
        t.kw(Kw::When);
        match &req.trigger {
            ConsequenceTrigger::Event(pattern) => event_pattern(&mut t, pattern),
            ConsequenceTrigger::Violation(rule) => {
                t.kw(Kw::Violated).word(&rule.name);
            }
        }
        t.kw(Kw::Then).kw(Kw::Finding).word(&req.finding.name);
        over(&mut t, &req.over);
        self.push(t, range(req.span));
    }

    fn hold(&mut self, req: &HoldReq) {
        let mut t = self.toks();
        t.kw(Kw::Require).kw(Kw::Hold).word(&req.state.name);
        match &req.when {
            HoldWhen::Throughout(p) => period(&mut t, p),
            HoldWhen::On(d) => {
                t.kw(Kw::On);
                date(&mut t, d);
            }
        }
        self.push(t, range(req.span));
    }
}

/// Whether an English count's param name and event kind would read as one keyword
/// (`at least at most …` with a param `at` and a kind `most`): `times` keeps them apart.
fn param_joins(amount: &Option<Amount>, events: &EventPattern) -> bool {
    matches!(amount, Some(Amount::Param(p)) if would_join(&p.name, &events.kind.name))
}

/// `[if P] require response within D`.
fn branch(t: &mut Toks, b: &ResponseBranch) {
    if let Some(condition) = &b.condition {
        t.kw(Kw::If);
        expr(t, condition);
    }
    t.kw(Kw::Require);
    match &b.response {
        ResponseWhat::Event(pattern) => event_pattern(t, pattern),
        ResponseWhat::Reported => {
            t.kw(Kw::Reported);
        }
    }
    t.kw(Kw::Within);
    duration(t, &b.within);
}

/// The range covering a list of spans; an empty list has none.
fn spans_range(mut spans: impl Iterator<Item = Span>) -> Option<(u32, u32)> {
    let first = spans.next()?;
    let last = spans.last().unwrap_or(first);
    Some(range2(first, last))
}
