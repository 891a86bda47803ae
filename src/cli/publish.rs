//! `alliance-desk publish FILE --out DIR [--rotate ID]`: the command-line edge of publishing.
//!
//! Load, give published alliances their tokens (and save them through the store, under the
//! portfolio's lock, before any page names them), score, write the pages, report.

use std::fmt::Write as _;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Args;

use crate::cli::CliError;
use crate::score;
use crate::store;

/// Arguments of `publish`.
#[derive(Debug, Args)]
pub struct PublishArgs {
    /// The portfolio file (new share tokens are saved into it).
    pub file: PathBuf,
    /// The folder to publish to: DIR/index.html (internal) and DIR/<token>/index.html.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Give this alliance a new link; its old page is removed.
    #[arg(long, value_name = "ID")]
    pub rotate: Option<String>,
}

/// Run `publish`, writing the report to `out`.
pub fn run(
    args: &PublishArgs,
    cli_as_of: Option<NaiveDate>,
    today: NaiveDate,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let file = &args.file;
    // Tokens are saved into the file: like an import, not while a workspace holds it.
    let _lock = match store::PortfolioLock::acquire(file) {
        Ok(lock) => Some(lock),
        Err(e @ store::LockError::Held { .. }) => {
            return Err(CliError::Failed(format!(
                "{e}: close it first (or publish from the workspace); nothing published"
            )));
        }
        Err(store::LockError::Io { .. }) => None,
    };
    let loaded = store::load(file).map_err(CliError::Load)?;
    for w in &loaded.warnings {
        eprintln!("{w}");
    }
    let mut portfolio = loaded.portfolio;
    let changes = crate::publish::assign_tokens(&mut portfolio, args.rotate.as_deref())
        .map_err(|e| CliError::Failed(e.to_string()))?;
    if changes.any() {
        store::save(file, &portfolio).map_err(|e| {
            CliError::Failed(format!(
                "{e}; nothing published (the links must be saved first)"
            ))
        })?;
    }
    let as_of = score::evaluation_date(&portfolio, cli_as_of, today);
    let scores = score::score(&portfolio, as_of);
    let published = crate::publish::write_site(&portfolio, &scores, &args.out)
        .map_err(|e| CliError::Failed(e.to_string()))?;
    let mut report = String::new();
    for page in &published.pages {
        let who = page.alliance.as_deref().map_or_else(
            || "internal page — keep it private".to_owned(),
            |id| format!("partner page of {id:?}"),
        );
        let _ = writeln!(
            report,
            "wrote {} ({} bytes), {who}",
            page.path.display(),
            page.bytes
        );
    }
    for id in &changes.created {
        let _ = writeln!(report, "new link for {id:?}, saved in {}", file.display());
    }
    for id in &changes.rotated {
        let _ = writeln!(
            report,
            "rotated the link of {id:?}; the old page is removed"
        );
    }
    for path in &published.removed {
        let _ = writeln!(report, "removed {}", path.display());
    }
    for w in &published.warnings {
        eprintln!("warning: {w}");
    }
    out.write_all(report.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| CliError::Failed(format!("cannot write output: {e}")))
}
