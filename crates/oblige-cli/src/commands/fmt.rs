//! `oblige fmt`: canonical layout, in English or Chinese keywords.

use crate::args::{FmtArgs, LangArg};
use crate::files::rule_files;
use crate::output::{self, Status};
use oblige::{render_human, Lang, SourceMap};
use std::path::Path;

/// What happened to one file.
enum Outcome {
    Unchanged,
    Changed,
    Broken,
}

/// Formats every `.rule` file under the given paths.
pub fn run(args: &FmtArgs) -> Status {
    let files = match rule_files(&args.paths) {
        Ok(files) => files,
        Err(message) => {
            output::error(message);
            return Status::BadInput;
        }
    };
    let lang = args.lang.map(|l| match l {
        LangArg::Zh => Lang::Zh,
        LangArg::En => Lang::En,
    });
    let outcomes: Vec<Outcome> = files.iter().map(|f| format_file(f, lang, args)).collect();
    let count = |want: fn(&Outcome) -> bool| outcomes.iter().filter(|o| want(o)).count();
    let broken = count(|o| matches!(o, Outcome::Broken));
    let changed = count(|o| matches!(o, Outcome::Changed));
    if broken > 0 {
        return Status::BadInput;
    }
    if args.check && changed > 0 {
        output::err(&format!("{changed} file(s) would be reformatted\n"));
        return Status::Failed;
    }
    if !args.stdout {
        let verb = if args.check {
            "already formatted"
        } else {
            "formatted"
        };
        output::err(&format!(
            "{} file(s) {verb}, {changed} changed\n",
            files.len()
        ));
    }
    Status::Ok
}

fn format_file(path: &Path, lang: Option<Lang>, args: &FmtArgs) -> Outcome {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => {
            output::error(format!("cannot read `{}`: {e}", path.display()));
            return Outcome::Broken;
        }
    };
    let mut sources = SourceMap::new();
    let file = sources.add(path.display().to_string(), text.clone());
    let formatted = match oblige::format_source(file, &text, lang) {
        Ok(formatted) => formatted,
        Err(diagnostics) => {
            for d in &diagnostics {
                output::err(&render_human(&sources, d));
            }
            return Outcome::Broken;
        }
    };
    if args.stdout {
        output::out(&formatted);
        return outcome_of(&text, &formatted);
    }
    if formatted == text {
        return Outcome::Unchanged;
    }
    if args.check {
        output::err(&format!("would reformat `{}`\n", path.display()));
        return Outcome::Changed;
    }
    match std::fs::write(path, &formatted) {
        Ok(()) => Outcome::Changed,
        Err(e) => {
            output::error(format!("cannot write `{}`: {e}", path.display()));
            Outcome::Broken
        }
    }
}

fn outcome_of(before: &str, after: &str) -> Outcome {
    if before == after {
        Outcome::Unchanged
    } else {
        Outcome::Changed
    }
}
