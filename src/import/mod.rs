//! Imports into a portfolio file (commitments CSV; revenue from Shopify orders and attribution
//! reports, SPEC §9). Every format goes through one apply path, [`apply`]: take
//! the lock, load, let the format change the portfolio, save, report. With `dry_run` the
//! lock is not taken and nothing is written: the report says what would change.
//!
//! A format is a function `FnOnce(&mut Portfolio) -> Result<Report, ImportError>`; see
//! [`commitments`] for one.

pub mod commitments;
pub mod revenue;

use std::path::Path;

use chrono::NaiveDate;

use crate::model::Portfolio;
use crate::store::{self, LoadError};
use crate::validate::Diagnostic;

/// What an import changed (or, in a dry run, would change), in the words printed for it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// The headline, e.g. `imported 2 commitments into "glow": 2 added, 1 skipped`.
    pub summary: String,
    /// One line per change, printed under the headline.
    pub lines: Vec<String>,
    /// Whether the portfolio changed; when it did not, nothing is written.
    pub changed: bool,
}

/// Why an import did not happen. Nothing was written in either case.
#[derive(Debug)]
pub enum ImportError {
    /// The portfolio file did not load (exit 2).
    Load(LoadError),
    /// The import's own input is unusable — a bad export, every problem listed (exit 2);
    /// `warnings` are the loaded file's, to print before `message`.
    Rejected {
        message: String,
        warnings: Vec<Diagnostic>,
    },
    /// Anything else (exit 1); `warnings` are the loaded file's, to print before `message`.
    Failed {
        message: String,
        warnings: Vec<Diagnostic>,
    },
}

impl ImportError {
    /// A failure with `message` (the apply path adds the file's warnings).
    pub fn failed(message: impl Into<String>) -> Self {
        Self::Failed {
            message: message.into(),
            warnings: Vec::new(),
        }
    }

    /// Unusable input with `message` (the apply path adds the file's warnings).
    pub fn rejected(message: impl Into<String>) -> Self {
        Self::Rejected {
            message: message.into(),
            warnings: Vec::new(),
        }
    }
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Load(e) => write!(f, "{e}"),
            Self::Rejected { message, .. } | Self::Failed { message, .. } => f.write_str(message),
        }
    }
}

/// What [`apply`] did.
#[derive(Debug)]
pub struct Applied {
    /// The format's report.
    pub report: Report,
    /// The loaded file's warnings.
    pub warnings: Vec<Diagnostic>,
    /// The portfolio was saved (not a dry run, and something changed).
    pub written: bool,
}

/// The one apply path: lock `file` (refusing while a workspace holds it), load it, run
/// `mutate`, save when it changed something and this is not a `dry_run`, and return the report.
/// A failing `mutate` writes nothing.
pub fn apply<F>(file: &Path, dry_run: bool, mutate: F) -> Result<Applied, ImportError>
where
    F: FnOnce(&mut Portfolio) -> Result<Report, ImportError>,
{
    // A workspace open on the same file would later overwrite the import: refuse while one
    // holds it. A lock that cannot be created (read-only folder) is left to the save to report.
    // A dry run writes nothing, not even the lock.
    let _lock = if dry_run {
        None
    } else {
        match store::PortfolioLock::acquire(file) {
            Ok(lock) => Some(lock),
            Err(e @ store::LockError::Held { .. }) => {
                return Err(ImportError::failed(format!(
                    "{e}: close it first; nothing imported"
                )));
            }
            Err(store::LockError::Io { .. }) => None,
        }
    };
    let loaded = store::load(file).map_err(ImportError::Load)?;
    let warnings = loaded.warnings;
    let mut portfolio = loaded.portfolio;
    let report = match mutate(&mut portfolio) {
        Ok(report) => report,
        Err(ImportError::Failed { message, .. }) => {
            return Err(ImportError::Failed { message, warnings });
        }
        Err(ImportError::Rejected { message, .. }) => {
            return Err(ImportError::Rejected { message, warnings });
        }
        Err(e @ ImportError::Load(_)) => return Err(e),
    };
    let written = report.changed && !dry_run;
    if written {
        store::save(file, &portfolio).map_err(|e| ImportError::Failed {
            message: format!("cannot save {}: {e}", file.display()),
            warnings: warnings.clone(),
        })?;
    }
    Ok(Applied {
        report,
        warnings,
        written,
    })
}

/// Parse a date strictly as `YYYY-MM-DD` (zero-padded, a real calendar day).
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let shape_ok = s.len() == 10
        && s.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shape_ok {
        return Err(format!(
            "{s:?} is not a date: expected YYYY-MM-DD, e.g. 2026-11-15"
        ));
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("{s:?} is not a date: no such day in the calendar"))
}

/// `"s"` unless `n` is 1.
pub(crate) fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_strict() {
        assert_eq!(
            parse_date("2026-11-15").unwrap(),
            NaiveDate::from_ymd_opt(2026, 11, 15).unwrap()
        );
        for bad in [
            "2026-1-15",
            "2026-02-30",
            "15/11/2026",
            "",
            "2026-11-15x",
            "２０２６-11-15",
        ] {
            assert!(parse_date(bad).is_err(), "{bad} should be rejected");
        }
    }
}
