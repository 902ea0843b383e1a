//! One module per verb.

pub mod check;
pub mod completions;
pub mod eval;
pub mod explain;
pub mod fmt;
pub mod gen;
pub mod test;
pub mod trace;
