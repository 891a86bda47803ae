//! What the interactive workspace needs to start, shared by the command line that parses it
//! and the shell that opens it.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

/// What the interactive workspace needs to start.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkspaceOptions {
    /// The file to open; `None` means the default portfolio (SPEC §5), unless `demo`.
    pub file: Option<PathBuf>,
    /// Open the embedded sample instead of a file.
    pub demo: bool,
    /// `--theme NAME`.
    pub theme: Option<String>,
    /// `--as-of DATE`.
    pub as_of: Option<NaiveDate>,
}

/// Whether two paths name the same existing file.
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
