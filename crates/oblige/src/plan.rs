//! Loading and checking plans from files or from strings.

use crate::PlanError;
use oblige_check::model::Plan;
use oblige_diagnostics::{has_errors, sort_diagnostics, Diagnostic, SourceMap};
use oblige_syntax::{load_with, FsLoader, MapLoader, SourceLoader};
use std::path::{Path, PathBuf};

/// What checking a plan gave: the plan if it has no errors, and every diagnostic.
#[derive(Debug)]
pub struct CheckOutcome {
    /// The files read, for rendering diagnostics.
    pub sources: SourceMap,
    /// The checked plan, when there is no error.
    pub plan: Option<Plan>,
    /// Syntax, loading and checking diagnostics, sorted.
    pub diagnostics: Vec<Diagnostic>,
}

impl CheckOutcome {
    /// The plan, or every diagnostic as an error.
    pub fn into_result(self) -> Result<Plan, PlanError> {
        match self.plan {
            Some(plan) => Ok(plan),
            None => Err(PlanError {
                sources: self.sources,
                diagnostics: self.diagnostics,
            }),
        }
    }
}

/// Loads the plan at `path` (a `.rule` file or a folder) and checks it.
pub fn check_path(path: impl AsRef<Path>) -> CheckOutcome {
    check_with(&FsLoader, path.as_ref())
}

/// Loads the plan at `root` through `loader` and checks it. Syntax errors stop before checking,
/// so that one typo does not cascade into unknown-name errors.
pub fn check_with(loader: &dyn SourceLoader, root: &Path) -> CheckOutcome {
    let loaded = load_with(loader, root);
    if has_errors(&loaded.diagnostics) {
        return CheckOutcome {
            sources: loaded.sources,
            plan: None,
            diagnostics: loaded.diagnostics,
        };
    }
    let sources = loaded.sources.clone();
    let checked = oblige_check::check(loaded.sources, &loaded.units);
    let mut diagnostics = loaded.diagnostics;
    diagnostics.extend(checked.diagnostics);
    sort_diagnostics(&mut diagnostics);
    CheckOutcome {
        sources,
        plan: checked.plan,
        diagnostics,
    }
}

/// Checks a plan written in one string, named `name` in diagnostics.
///
/// Every error of the plan comes back at once, each with a stable code, and renders with the
/// file, line and column (in characters, so Chinese text does not shift them):
///
/// ```
/// let err = oblige::plan_from_str(
///     "plan.rule",
///     "计划 \"示例\" { 有效期 2023-01-01 .. 2023-12-31 }\n类别 县区 {}\n规则 r { 对每个 县 要求 至少 1 次 会议 每月 }\n",
/// )
/// .unwrap_err();
/// let codes: Vec<&str> = err.diagnostics.iter().map(|d| d.code.0).collect();
/// // in source order: a warning (the rule cites no article), the unknown class and event kind
/// assert_eq!(codes, ["W0105", "E0120", "E0121"], "{}", err.render());
/// let text = err.render();
/// assert!(text.contains("unknown class `县`"), "{text}");
/// assert!(text.contains("plan.rule:3:12"), "{text}");
/// ```
pub fn plan_from_str(name: &str, text: &str) -> Result<Plan, PlanError> {
    plan_from_strings([(name, text)], name)
}

/// Checks a plan of several in-memory files; `root` is the file (or folder) to start from, and
/// `include` paths resolve among the given names.
///
/// ```
/// let plan = oblige::plan_from_strings(
///     [
///         ("plan/main.rule", "plan \"p\" { effective 2023-01-01 .. 2023-12-31 }\ninclude \"decls.rule\"\n"),
///         ("plan/decls.rule", "class county {}\nevent meeting {}\nrule r { for each county require at least 1 meeting per year }\n"),
///     ],
///     "plan/main.rule",
/// )?;
/// assert_eq!(plan.rules.len(), 1);
/// # Ok::<(), oblige::PlanError>(())
/// ```
pub fn plan_from_strings<'a>(
    files: impl IntoIterator<Item = (&'a str, &'a str)>,
    root: &str,
) -> Result<Plan, PlanError> {
    let loader: MapLoader = files
        .into_iter()
        .map(|(name, text)| (PathBuf::from(name), text.to_owned()))
        .collect();
    check_with(&loader, Path::new(root)).into_result()
}
