//! Key-driven scenarios on the whole app, drawn on ratatui's `TestBackend`.
