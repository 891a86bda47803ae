//! Alliance Desk: govern strategic alliances with the Alliance Governance Protocol.
//!
//! Layers, each using only those below (see ARCHITECTURE.md; `tests/layering.rs` checks it):
//! the core (`model`, `validate`, `store`, `score`, `export`, `import`, `input`, `charter`, `edit`,
//! `merge`, `history`) is
//! pure and knows nothing of the terminal; `app` is the headless application layer (document,
//! actions, effects, keymap, file safety); `ui` is the terminal workspace and `cli` the command
//! line, joined only in the binary.

pub mod app;
pub mod charter;
pub mod cli;
pub mod edit;
pub mod export;
pub mod generate;
pub mod history;
pub mod import;
pub mod input;
pub mod merge;
pub mod model;
pub mod publish;
pub mod sample;
pub mod sanitize;
pub mod score;
pub mod store;
pub mod ui;
pub mod validate;
