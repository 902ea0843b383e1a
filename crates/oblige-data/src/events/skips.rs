//! What lenient reading skipped, so the caller can say how many lines and why.

use crate::error::DataError;
use std::collections::BTreeMap;

/// Lines skipped in lenient mode.
#[derive(Clone, Debug, Default)]
pub struct SkipSummary {
    /// Lines skipped in all.
    pub count: u64,
    /// Lines skipped per reason ([`DataError::reason`]).
    pub by_reason: BTreeMap<String, u64>,
    /// The first few errors of each reason, in the order they were met.
    pub first_examples: Vec<DataError>,
}

impl SkipSummary {
    /// Counts a skipped line, keeping it as an example while its reason has fewer than `keep`.
    pub(crate) fn record(&mut self, error: DataError, keep: usize) {
        self.count += 1;
        let reason = error.reason();
        let seen = match self.by_reason.get_mut(reason) {
            Some(n) => {
                *n += 1;
                *n
            }
            None => {
                self.by_reason.insert(reason.to_owned(), 1);
                1
            }
        };
        if usize::try_from(seen).is_ok_and(|n| n <= keep) {
            self.first_examples.push(error);
        }
    }
}
