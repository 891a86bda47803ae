//! Loading (parse → diagnostics) and canonical, atomic saving of the portfolio file.
//! STUB: to be written by the store/validate work.

use std::path::{Path, PathBuf};

use crate::model::Portfolio;
use crate::validate::Diagnostic;

/// A successfully loaded portfolio, with its warnings.
#[derive(Debug)]
pub struct Loaded {
    pub portfolio: Portfolio,
    pub warnings: Vec<Diagnostic>,
    /// The file has `//` or `/* */` comments, which a save will not keep.
    pub has_comments: bool,
    /// Content hash of the bytes loaded, to notice changes on disk before a save.
    pub content_hash: u64,
}

/// Why a file could not be loaded. `Display` renders the full, user-facing report.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{path}: {message}")]
    Io { path: PathBuf, message: String },
    #[error("{0}")]
    Syntax(String),
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<Diagnostic>),
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let level = match self.level {
            crate::validate::Level::Error => "error",
            crate::validate::Level::Warning => "warning",
        };
        write!(f, "{}: {level}: {}", self.place, self.message)
    }
}

/// Parse and validate `text`; `source` names it in messages (a path or the sample's name).
pub fn parse(text: &str, source: &str) -> Result<Loaded, LoadError> {
    let portfolio: Portfolio = ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .from_str(text)
        .map_err(|e| LoadError::Syntax(format!("{source}: {e}")))?;
    Ok(Loaded {
        portfolio,
        warnings: Vec::new(),
        has_comments: false,
        content_hash: 0,
    })
}

/// Read, parse and validate the file at `path`.
pub fn load(path: &Path) -> Result<Loaded, LoadError> {
    let text = std::fs::read_to_string(path).map_err(|e| LoadError::Io {
        path: path.to_owned(),
        message: e.to_string(),
    })?;
    parse(&text, &path.display().to_string())
}

/// The canonical pretty RON text of a portfolio.
pub fn to_canonical_ron(portfolio: &Portfolio) -> String {
    ron::ser::to_string_pretty(
        portfolio,
        ron::ser::PrettyConfig::default().struct_names(true),
    )
    .unwrap_or_default()
}

/// Save atomically, keeping the previous version as `FILE.bak`.
pub fn save(path: &Path, portfolio: &Portfolio) -> std::io::Result<()> {
    std::fs::write(path, to_canonical_ron(portfolio))
}
