//! Domain edits as typed commands, shared by every front end (the workspace's popups, the
//! command line). Charter field edits live with the charter ([`crate::charter::edit`]).

pub mod health;
