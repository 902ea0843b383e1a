//! The two data formats and how a file name says which one it is in.

use crate::error::DataError;
use std::path::Path;

/// A data file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// Comma-separated values with a header line.
    Csv,
    /// One JSON object per line (`.jsonl` or `.ndjson`).
    JsonLines,
}

impl Format {
    /// The format named by `path`'s extension (case-insensitive).
    pub fn from_path(path: &Path) -> Result<Self, DataError> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("csv") => Ok(Self::Csv),
            Some("jsonl" | "ndjson") => Ok(Self::JsonLines),
            _ => Err(DataError::UnknownFormat {
                file: path.display().to_string(),
            }),
        }
    }
}
