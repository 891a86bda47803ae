//! Semantic validation (SPEC §2.1): every problem at once, each naming the alliance and field.
//! STUB: to be written by the store/validate work.

use crate::model::Portfolio;

/// Error stops loading; Warning is printed and loading goes on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Warning,
    Error,
}

/// One problem found in a portfolio file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub level: Level,
    /// Where: `alliance "glow" › commitments[2] › due`, or `FILE:LINE:COL`.
    pub place: String,
    pub message: String,
}

/// Every semantic problem of `portfolio`, errors and warnings, in file order.
pub fn validate(_portfolio: &Portfolio) -> Vec<Diagnostic> {
    Vec::new()
}
