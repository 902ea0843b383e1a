//! Errors of the facade: a plan that does not check, and input data that does not read.

use oblige_data::DataError;
use oblige_diagnostics::{render_human, Diagnostic, SourceMap};

/// A plan with errors: every diagnostic, with the sources needed to render them.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.render())]
pub struct PlanError {
    /// The files of the plan.
    pub sources: SourceMap,
    /// All diagnostics (errors and warnings), sorted.
    pub diagnostics: Vec<Diagnostic>,
}

impl PlanError {
    /// Renders every diagnostic in rustc style.
    pub fn render(&self) -> String {
        self.diagnostics
            .iter()
            .map(|d| render_human(&self.sources, d))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Errors found in input data, each naming file, line and field.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
pub struct DataErrors(pub Vec<DataError>);
