//! `oblige explain`: one rule, one subject, and why each of its verdicts is what it is.

use crate::args::{ExplainArgs, LangArg};
use crate::explain_text::{explain, Words};
use crate::output::{self, Status};
use crate::pipeline::{evaluate, Inputs};

/// Evaluates, then explains the rows of `--rule` for `--subject` (and `--period`).
pub fn run(args: &ExplainArgs) -> Status {
    let Ok((plan, report)) = evaluate(&Inputs::from(&args.input)) else {
        return Status::BadInput;
    };
    let Some(rule) = plan.rules.iter().find(|r| r.id == args.rule) else {
        let ids: Vec<&str> = plan.rules.iter().map(|r| r.id.as_str()).collect();
        let hint = oblige::did_you_mean(&args.rule, ids.iter().copied())
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_default();
        output::error(format!("the plan has no rule `{}`{hint}", args.rule));
        return Status::BadInput;
    };
    let rows: Vec<_> = report
        .results
        .iter()
        .filter(|r| r.rule == args.rule && r.subject.id == args.subject)
        .collect();
    if rows.is_empty() {
        output::error(format!(
            "rule `{}` has no verdict for subject `{}`: it is not a unit of class `{}` in the registry, or the rule's filter leaves it out",
            args.rule, args.subject, rule.subject.class
        ));
        return Status::BadInput;
    }
    let chosen: Vec<_> = match &args.period {
        Some(p) => rows
            .iter()
            .copied()
            .filter(|r| &r.period.label == p)
            .collect(),
        None => rows.clone(),
    };
    if chosen.is_empty() {
        let labels: Vec<&str> = rows.iter().map(|r| r.period.label.as_str()).collect();
        output::error(format!(
            "no period `{}` for this rule and subject; periods: {}",
            args.period.as_deref().unwrap_or_default(),
            labels.join(", ")
        ));
        return Status::BadInput;
    }
    let words = match args.lang {
        Some(LangArg::En) => Words::EN,
        Some(LangArg::Zh) => Words::ZH,
        None if has_cjk(&plan.header.title) => Words::ZH,
        None => Words::EN,
    };
    output::out(&explain(rule, &rows, &chosen, &words));
    Status::Ok
}

fn has_cjk(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}
