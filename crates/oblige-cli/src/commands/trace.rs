//! `oblige trace`: the article → rules traceability table of a plan against its source text.

use crate::args::TraceArgs;
use crate::output::{self, Status};

/// Prints (or writes) the table; a plan that does not parse or a source without articles is bad
/// input. Gaps (untraced articles, quotes not in the source) are in the table and repeated as
/// warnings, so that they are seen also when the table goes to a file.
pub fn run(args: &TraceArgs) -> Status {
    let trace = match oblige::trace(&args.plan, &args.source) {
        Ok(trace) => trace,
        Err(e) => {
            output::error(e);
            return Status::BadInput;
        }
    };
    let untraced: Vec<String> = trace.untraced().map(|a| a.number.to_string()).collect();
    if !untraced.is_empty() {
        output::err(&format!(
            "warning: no rule and no not-checkable reason for article(s) {}\n",
            untraced.join(", ")
        ));
    }
    for q in &trace.quotes_not_found {
        output::err(&format!(
            "warning: quote not found in the source: `{}` (`{}`)\n",
            q.quote, q.file
        ));
    }
    let markdown = trace.to_markdown();
    match &args.output {
        None => output::out(&markdown),
        Some(path) => {
            if let Err(e) = std::fs::write(path, &markdown) {
                output::error(format!("cannot write `{}`: {e}", path.display()));
                return Status::BadInput;
            }
            output::err(&format!("wrote `{}`\n", path.display()));
        }
    }
    Status::Ok
}
