//! The command line (SPEC §3): argument parsing and the headless subcommands.
//!
//! `check`, `score`, `export`, `import-commitments` and `new` run without a terminal UI. A bare
//! `alliance-desk [FILE]` or `--demo` goes to the interactive workspace through the single seam
//! [`Workspace`], which the binary supplies (so this module never depends on the terminal). Exit codes (SPEC §2.1): 0 ok, 2 load errors and bad usage, 1 other failures.

mod import_revenue;
mod publish;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{NaiveDate, Utc};
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::app::options::{WorkspaceOptions, same_file};
use crate::export::{self, ExportOptions, Format};
use crate::import::{self, ImportError};
use crate::model::Portfolio;
use crate::score;
use crate::store::{self, LoadError};
use crate::validate::Diagnostic;

/// Govern strategic alliances with the Alliance Governance Protocol.
#[derive(Debug, Parser)]
#[command(
    name = "alliance-desk",
    version,
    about,
    subcommand_precedence_over_arg = true
)]
pub struct Cli {
    /// Portfolio file to open in the workspace (default: the portfolio in the data folder).
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,

    /// Open the embedded sample portfolio (nothing is written unless saved as).
    #[arg(long, conflicts_with = "file")]
    pub demo: bool,

    /// Colour theme: a built-in name or a theme file in the config folder.
    #[arg(long, global = true, value_name = "NAME")]
    pub theme: Option<String>,

    /// Evaluate as of this date (YYYY-MM-DD) instead of the file's `as_of` or today.
    #[arg(long, global = true, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The headless subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate a portfolio file; print its errors and warnings.
    Check {
        /// The portfolio file.
        file: PathBuf,
    },
    /// Print metrics and flags, as a table or as JSON.
    Score {
        /// The portfolio file.
        file: PathBuf,
        /// Print the `score --json` object instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Export the portfolio as CSV, Markdown, an iCalendar file or JSON.
    Export(ExportArgs),
    /// Add commitments to one alliance from a CSV file (columns party,action,due,done).
    ImportCommitments {
        /// The portfolio file.
        file: PathBuf,
        /// The alliance receiving the commitments.
        #[arg(long, value_name = "ID")]
        alliance: String,
        /// The CSV file to import.
        #[arg(long, value_name = "PATH")]
        csv: PathBuf,
        /// Print what would be imported and write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Set monthly revenue from a Shopify orders export or an attribution report (SPEC §9).
    ImportRevenue(import_revenue::ImportRevenueArgs),
    /// Publish the internal page and a partner page per active alliance to a folder.
    Publish(publish::PublishArgs),
    /// Write a fresh, valid, empty portfolio (never overwrites an existing file).
    New {
        /// Where to write it.
        file: PathBuf,
    },
    /// Git merge driver: merge THEIRS into OURS by alliance, commitment and field (exit 1 on
    /// conflicts, which are printed and written to NAME.conflicts.ron).
    Merge {
        /// The common ancestor (git's %O).
        base: PathBuf,
        /// Our version; the result is written here (git's %A).
        ours: PathBuf,
        /// Their version (git's %B).
        theirs: PathBuf,
        /// The portfolio's path in the repository (git's %P).
        #[arg(long, value_name = "NAME")]
        path: Option<PathBuf>,
    },
    /// Register the merge driver in the git repository holding FILE (every *.ron without FILE).
    GitSetup {
        /// The portfolio file.
        file: Option<PathBuf>,
    },
}

/// Arguments of `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The portfolio file.
    pub file: PathBuf,
    /// Output format.
    #[arg(long, value_enum)]
    pub format: FormatArg,
    /// Only this alliance (Markdown: a partner-safe one-alliance report).
    #[arg(long, value_name = "ID")]
    pub alliance: Option<String>,
    /// Write here (atomically) instead of to stdout.
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// With `--format md --alliance ID`: the summary of the review stored on this date.
    #[arg(long, value_name = "DATE", value_parser = parse_date, requires = "alliance")]
    pub review: Option<NaiveDate>,
}

/// `--format` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Csv,
    Md,
    Ics,
    Json,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Csv => Self::Csv,
            FormatArg::Md => Self::Md,
            FormatArg::Ics => Self::Ics,
            FormatArg::Json => Self::Json,
        }
    }
}

/// Opens the interactive workspace; the binary passes the terminal shell's runner, so this
/// module never depends on the terminal.
pub type Workspace = fn(&WorkspaceOptions) -> ExitCode;

pub use crate::import::parse_date;

/// A failure, sorted by exit code.
#[derive(Debug)]
pub enum CliError {
    /// The portfolio could not be loaded (exit 2).
    Load(LoadError),
    /// Bad usage (exit 2).
    Usage(String),
    /// Anything else (exit 1).
    Failed(String),
}

impl CliError {
    /// The process exit code for this failure.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Load(_) | Self::Usage(_) => 2,
            Self::Failed(_) => 1,
        }
    }
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Load(e) => write!(f, "{e}"),
            Self::Usage(m) | Self::Failed(m) => f.write_str(m),
        }
    }
}

/// Parse the process arguments and run; the binary's whole `main`. `workspace` opens the
/// interactive workspace when no subcommand is given.
pub fn main(workspace: Workspace) -> ExitCode {
    let cli = Cli::parse();
    run(cli, workspace)
}

/// Run a parsed command line.
pub fn run(cli: Cli, workspace: Workspace) -> ExitCode {
    let Some(command) = cli.command else {
        return workspace(&WorkspaceOptions {
            file: cli.file,
            demo: cli.demo,
            theme: cli.theme,
            as_of: cli.as_of,
        });
    };
    if cli.file.is_some() || cli.demo {
        eprintln!(
            "error: FILE and --demo open the workspace; they cannot be combined with a \
             subcommand (give the file to the subcommand instead)"
        );
        return ExitCode::from(2);
    }
    let mut stdout = std::io::stdout().lock();
    match run_command(command, cli.as_of, &mut stdout) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = stdout.flush();
            // Reports quote the file (check's excerpt, a partner name): never raw (SPEC §8).
            eprintln!("{}", crate::sanitize::terminal(&e.to_string()));
            ExitCode::from(e.exit_code())
        }
    }
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// Load `file`, printing its warnings to stderr.
fn load(file: &Path) -> Result<Portfolio, CliError> {
    let loaded = store::load(file).map_err(CliError::Load)?;
    print_warnings(&loaded.warnings);
    Ok(loaded.portfolio)
}

fn print_warnings(warnings: &[Diagnostic]) {
    for w in warnings {
        eprintln!("{}", crate::sanitize::terminal(&w.to_string()));
    }
}

fn write_out(out: &mut dyn std::io::Write, text: &str) -> Result<(), CliError> {
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| CliError::Failed(format!("cannot write output: {e}")))
}

/// Run one subcommand, writing its normal output to `out`.
pub fn run_command(
    command: Command,
    cli_as_of: Option<NaiveDate>,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    match command {
        Command::Check { file } => {
            let loaded = store::load(&file).map_err(CliError::Load)?;
            print_warnings(&loaded.warnings);
            let p = &loaded.portfolio;
            let n = loaded.warnings.len();
            let warnings = if n == 0 {
                String::new()
            } else {
                format!(", {n} {}", plural(n, "warning", "warnings"))
            };
            let text = format!(
                "{}: ok — {} {}, {} {}{warnings}\n",
                file.display(),
                p.alliances.len(),
                plural(p.alliances.len(), "alliance", "alliances"),
                p.pipeline.len(),
                plural(p.pipeline.len(), "intake", "intakes"),
            );
            write_out(out, &text)
        }
        Command::Score { file, json } => {
            let portfolio = load(&file)?;
            let as_of = score::evaluation_date(&portfolio, cli_as_of, today());
            let scores = score::score(&portfolio, as_of);
            let text = if json {
                export::json::score_json(&portfolio, &scores)
            } else {
                score_table(&scores)
            };
            write_out(out, &text)
        }
        Command::Export(args) => export_cmd(&args, cli_as_of, out),
        Command::Merge {
            base,
            ours,
            theirs,
            path,
        } => match crate::merge::run_merge(&base, &ours, &theirs, path.as_deref()) {
            Ok(report) => write_out(out, &report),
            Err(crate::merge::DriverError::Conflicts(m)) => Err(CliError::Failed(m)),
            Err(crate::merge::DriverError::Failed(m)) => Err(CliError::Usage(m)),
        },
        Command::GitSetup { file } => {
            let exe = std::env::current_exe()
                .map_err(|e| CliError::Failed(format!("cannot find this program's path: {e}")))?;
            let report =
                crate::merge::git_setup(file.as_deref(), &exe).map_err(CliError::Failed)?;
            write_out(out, &report)
        }
        Command::ImportCommitments {
            file,
            alliance,
            csv,
            dry_run,
        } => {
            let applied = import::apply(&file, dry_run, |portfolio| {
                if let Some(message) = unknown_alliance(portfolio, &alliance, &file) {
                    return Err(ImportError::failed(message));
                }
                import::commitments::import(portfolio, &alliance, &csv)
            });
            report_import(applied, dry_run, out)
        }
        Command::ImportRevenue(args) => import_revenue::run(&args, out),
        Command::Publish(args) => publish::run(&args, cli_as_of, today(), out),
        Command::New { file } => new_portfolio(&file, out),
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// `no alliance "xyz" in FILE (known: a, b, c)` unless `id` exists.
fn check_alliance(portfolio: &Portfolio, id: &str, file: &Path) -> Result<(), CliError> {
    unknown_alliance(portfolio, id, file).map_or(Ok(()), |m| Err(CliError::Failed(m)))
}

/// The message for an alliance id that is not in the portfolio, or `None` when it is.
fn unknown_alliance(portfolio: &Portfolio, id: &str, file: &Path) -> Option<String> {
    if portfolio.alliance(id).is_some() {
        return None;
    }
    let known: Vec<&str> = portfolio.alliances.iter().map(|a| a.id.as_str()).collect();
    let known = if known.is_empty() {
        "none".to_owned()
    } else {
        known.join(", ")
    };
    Some(format!(
        "no alliance {id:?} in {} (known: {known})",
        file.display()
    ))
}

/// Print what an import did (its warnings and notes to stderr, its report to `out`).
fn report_import(
    applied: Result<import::Applied, ImportError>,
    dry_run: bool,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let applied = applied.map_err(import_failed)?;
    print_warnings(&applied.warnings);
    let mut text = String::new();
    if dry_run {
        text.push_str("dry run: nothing written; the import would do this:\n");
    }
    text.push_str(&applied.report.summary);
    text.push('\n');
    for line in &applied.report.lines {
        text.push_str(line);
        text.push('\n');
    }
    write_out(out, &text)
}

/// Why an import did not happen, as the command line says it: the loaded file's warnings go to
/// stderr now; bad input exits 2, anything else 1.
pub(crate) fn import_failed(e: ImportError) -> CliError {
    match e {
        ImportError::Load(e) => CliError::Load(e),
        ImportError::Rejected { message, warnings } => {
            print_warnings(&warnings);
            CliError::Usage(message)
        }
        ImportError::Failed { message, warnings } => {
            print_warnings(&warnings);
            CliError::Failed(message)
        }
    }
}

fn export_cmd(
    args: &ExportArgs,
    cli_as_of: Option<NaiveDate>,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let format = Format::from(args.format);
    if args.review.is_some() && format != Format::Md {
        return Err(CliError::Usage(
            "--review needs --format md (and --alliance ID)".to_owned(),
        ));
    }
    let portfolio = load(&args.file)?;
    if let Some(id) = &args.alliance {
        check_alliance(&portfolio, id, &args.file)?;
    }
    let as_of = score::evaluation_date(&portfolio, cli_as_of, today());
    let scores = score::score(&portfolio, as_of);
    let opts = ExportOptions {
        alliance: args.alliance.as_deref(),
        review: args.review,
        dtstamp: Utc::now().naive_utc(),
    };
    let text = export::export(format, &portfolio, &scores, &opts)
        .map_err(|e| CliError::Failed(e.to_string()))?;
    match &args.out {
        None => write_out(out, &text),
        Some(path) if same_file(path, &args.file) => Err(CliError::Usage(format!(
            "--out {} is the portfolio file itself; choose another path",
            path.display()
        ))),
        Some(path) => {
            write_atomically(path, &text)?;
            eprintln!(
                "wrote {}",
                crate::sanitize::terminal_line(&path.display().to_string())
            );
            Ok(())
        }
    }
}

/// Write `text` to `path` with the store's atomic writer (temp file in the same folder, rename).
fn write_atomically(path: &Path, text: &str) -> Result<(), CliError> {
    store::write_atomic(path, text.as_bytes()).map_err(|e| match e {
        store::SaveError::Io { source, .. } => {
            CliError::Failed(format!("cannot write {}: {source}", path.display()))
        }
        other => CliError::Failed(other.to_string()),
    })
}

fn new_portfolio(file: &Path, out: &mut dyn std::io::Write) -> Result<(), CliError> {
    if file.exists() {
        return Err(CliError::Failed(format!(
            "{} already exists; not overwriting it",
            file.display()
        )));
    }
    let portfolio = Portfolio::empty("My Brand");
    write_atomically(file, &store::to_canonical_ron(&portfolio))?;
    write_out(
        out,
        &format!(
            "wrote a new, empty portfolio to {} (brand \"My Brand\", USD): open it with \
             alliance-desk {}, press , to set the brand and currency, then a to add alliances\n",
            file.display(),
            file.display()
        ),
    )
}

pub use crate::export::text::score_table;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_on_a_dangling_link_writes_its_target_never_a_0777_file() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("d.ron");
        std::os::unix::fs::symlink("target.ron", &link).unwrap();
        new_portfolio(&link, &mut Vec::new()).unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        let target = dir.path().join("target.ron");
        assert!(store::load(&target).is_ok());
        let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode & 0o113, 0, "mode {mode:o}");
    }

    #[test]
    fn score_never_prints_a_partner_name_raw() {
        let mut p = crate::model::Portfolio::empty("Brand\u{1b}]0;pwned\u{7}");
        p.alliances.push(crate::model::Alliance::new(
            "evil",
            "Evil\u{1b}[2J\u{202e}Co\u{9b}",
            crate::model::AllianceKind::Wholesale,
            chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        ));
        let scores =
            crate::score::score(&p, chrono::NaiveDate::from_ymd_opt(2026, 11, 15).unwrap());
        let table = score_table(&scores);
        assert!(
            table
                .chars()
                .all(|c| c == '\n' || !crate::sanitize::is_unsafe(c)),
            "{table:?}"
        );
        assert!(
            table.contains("Evil\\u{1b}[2J\\u{202e}Co\\u{9b}"),
            "{table}"
        );
        assert!(table.contains("Brand\\u{1b}]0;pwned\\u{7}"), "{table}");
    }

    #[test]
    fn cli_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
