//! Alliance Desk: govern strategic alliances with the Alliance Governance Protocol.
//!
//! The core (`model`, `validate`, `store`, `score`, `export`) is pure and knows nothing of the
//! terminal; `app` and `ui` are the interactive workspace built on it.

pub mod app;
pub mod charter;
pub mod cli;
pub mod edit;
pub mod export;
pub mod generate;
pub mod import;
pub mod model;
pub mod sample;
pub mod score;
pub mod store;
pub mod ui;
pub mod validate;
