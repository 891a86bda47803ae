//! Exports: csv, markdown, ics, json — each a function of the portfolio and its scores.
//! STUB: to be written by the CLI/export work.
