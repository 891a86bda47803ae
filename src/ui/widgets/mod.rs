//! Small shared widgets: number formatting, flag badges, threshold charts.

pub mod charts;
pub mod filter;
pub mod flags;
pub mod format;
pub mod gauge;
pub mod line_edit;
pub mod scroll;
pub mod untrusted;
