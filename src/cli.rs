//! The command line (SPEC §3): argument parsing and the headless subcommands.
//!
//! `check`, `score`, `export`, `import-commitments` and `new` run without a terminal UI. A bare
//! `alliance-desk [FILE]` or `--demo` goes to the interactive workspace through the single seam
//! [`run_workspace`]. Exit codes (SPEC §2.1): 0 ok, 2 load errors and bad usage, 1 other failures.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{NaiveDate, Utc};
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::app::options::{WorkspaceOptions, same_file};
use crate::export::{self, ExportOptions, Format, MISSING, pct};
use crate::model::{Commitment, Party, Portfolio};
use crate::score::{self, Scores};
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
    },
    /// Write a fresh, valid, empty portfolio (never overwrites an existing file).
    New {
        /// Where to write it.
        file: PathBuf,
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
            eprintln!("{e}");
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
        eprintln!("{w}");
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
                export::json::to_json(&scores)
            } else {
                score_table(&scores)
            };
            write_out(out, &text)
        }
        Command::Export(args) => export_cmd(&args, cli_as_of, out),
        Command::ImportCommitments {
            file,
            alliance,
            csv,
        } => import_commitments(&file, &alliance, &csv, out),
        Command::New { file } => new_portfolio(&file, out),
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// `no alliance "xyz" in FILE (known: a, b, c)` unless `id` exists.
fn check_alliance(portfolio: &Portfolio, id: &str, file: &Path) -> Result<(), CliError> {
    if portfolio.alliance(id).is_some() {
        return Ok(());
    }
    let known: Vec<&str> = portfolio.alliances.iter().map(|a| a.id.as_str()).collect();
    let known = if known.is_empty() {
        "none".to_owned()
    } else {
        known.join(", ")
    };
    Err(CliError::Failed(format!(
        "no alliance {id:?} in {} (known: {known})",
        file.display()
    )))
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
            eprintln!("wrote {}", path.display());
            Ok(())
        }
    }
}

/// Write `text` to `path` through a temp file in the same folder and a rename.
fn write_atomically(path: &Path, text: &str) -> Result<(), CliError> {
    let fail =
        |e: std::io::Error| CliError::Failed(format!("cannot write {}: {e}", path.display()));
    let mut file = atomic_write_file::AtomicWriteFile::open(path).map_err(fail)?;
    file.write_all(text.as_bytes()).map_err(fail)?;
    file.commit().map_err(fail)
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
            "wrote a new, empty portfolio to {} (set its brand, then add alliances)\n",
            file.display()
        ),
    )
}

/// One row of the commitments CSV that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRow {
    /// 1-based line number in the CSV file.
    pub line: u64,
    pub reason: String,
}

/// The 1-based line a CSV record starts on. The csv crate's own line count is taken before it
/// skips blank lines, so a row after a blank line would be reported one line early; counting
/// from the byte offset and stepping over the blank lines gives the line a person sees.
#[expect(
    clippy::naive_bytecount,
    reason = "a hand-kept CSV is small; not worth the bytecount dependency"
)]
fn record_line(text: &str, position: &csv::Position) -> u64 {
    let bytes = text.as_bytes();
    let at = usize::try_from(position.byte()).map_or(bytes.len(), |b| b.min(bytes.len()));
    let mut line = 1 + bytes[..at].iter().filter(|b| **b == b'\n').count() as u64;
    for b in &bytes[at..] {
        match b {
            b'\n' => line += 1,
            b'\r' => {}
            _ => break,
        }
    }
    line
}

/// Parse the commitments CSV (header `party,action,due,done`, in any order; `done` optional).
/// Returns every bad row, or the commitments (ids left 0 for the caller to assign).
pub fn parse_commitments_csv(text: &str) -> Result<Vec<Commitment>, Vec<BadRow>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            return Err(vec![BadRow {
                line: 1,
                reason: format!("cannot read the header: {e}"),
            }]);
        }
    };
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}').eq_ignore_ascii_case(name))
    };
    let (Some(party_col), Some(action_col), Some(due_col)) =
        (col("party"), col("action"), col("due"))
    else {
        return Err(vec![BadRow {
            line: 1,
            reason: format!(
                "the header must name the columns party,action,due,done (found: {})",
                headers.iter().collect::<Vec<_>>().join(",")
            ),
        }]);
    };
    let done_col = col("done");
    let mut good = Vec::new();
    let mut bad = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| record_line(text, p));
                bad.push(BadRow {
                    line,
                    reason: e.to_string(),
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| record_line(text, p));
        if record.iter().all(str::is_empty) {
            continue;
        }
        let field = |i: usize| record.get(i).unwrap_or("");
        let mut reasons = Vec::new();
        let party = match field(party_col).to_ascii_lowercase().as_str() {
            "us" => Some(Party::Us),
            "partner" => Some(Party::Partner),
            other => {
                reasons.push(format!("party {other:?} is not \"us\" or \"partner\""));
                None
            }
        };
        let action = field(action_col);
        if action.is_empty() {
            reasons.push("action is empty".to_owned());
        }
        let due = match field(due_col) {
            "" => {
                reasons.push("due is empty".to_owned());
                None
            }
            d => parse_date(d)
                .map_err(|e| reasons.push(format!("due: {e}")))
                .ok(),
        };
        let done = match done_col.map_or("", field) {
            "" => None,
            d => parse_date(d)
                .map_err(|e| reasons.push(format!("done: {e}")))
                .ok(),
        };
        match (party, due) {
            (Some(party), Some(due)) if reasons.is_empty() => good.push(Commitment {
                id: 0,
                party,
                // Spreadsheets write CRLF inside quoted cells; the model keeps plain newlines.
                action: action.replace("\r\n", "\n"),
                due,
                done,
            }),
            _ => bad.push(BadRow {
                line,
                reason: reasons.join("; "),
            }),
        }
    }
    if bad.is_empty() { Ok(good) } else { Err(bad) }
}

fn import_commitments(
    file: &Path,
    alliance_id: &str,
    csv_path: &Path,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    // A workspace open on the same file would later overwrite the import: refuse while one
    // holds it. A lock that cannot be created (read-only folder) is left to the save to report.
    let _lock = match store::PortfolioLock::acquire(file) {
        Ok(lock) => Some(lock),
        Err(e @ store::LockError::Held { .. }) => {
            return Err(CliError::Failed(format!(
                "{e}: close it first; nothing imported"
            )));
        }
        Err(store::LockError::Io { .. }) => None,
    };
    let loaded = store::load(file).map_err(CliError::Load)?;
    print_warnings(&loaded.warnings);
    let has_comments = loaded.has_comments;
    let mut portfolio = loaded.portfolio;
    check_alliance(&portfolio, alliance_id, file)?;
    let text = std::fs::read_to_string(csv_path)
        .map_err(|e| CliError::Failed(format!("cannot read {}: {e}", csv_path.display())))?;
    let rows = parse_commitments_csv(&text).map_err(|bad| {
        let mut msg = String::new();
        for row in &bad {
            let _ = writeln!(msg, "{}:{}: {}", csv_path.display(), row.line, row.reason);
        }
        let _ = write!(
            msg,
            "{} bad {}; nothing imported",
            bad.len(),
            plural(bad.len(), "row", "rows")
        );
        CliError::Failed(msg)
    })?;
    if rows.is_empty() {
        // A header-only file is not an error, but there is nothing to write either.
        return write_out(
            out,
            &format!(
                "no commitments in {}; nothing imported\n",
                csv_path.display()
            ),
        );
    }
    let Some(alliance) = portfolio.alliances.iter_mut().find(|a| a.id == alliance_id) else {
        return Err(CliError::Failed(format!("no alliance {alliance_id:?}")));
    };
    let mut report = String::new();
    for (id, mut c) in (alliance.next_commitment_id()..).zip(rows.iter().cloned()) {
        c.id = id;
        let _ = writeln!(
            report,
            "  #{} {} — {} (due {}{})",
            c.id,
            c.party.label(),
            c.action,
            c.due,
            c.done.map(|d| format!(", done {d}")).unwrap_or_default()
        );
        alliance.commitments.push(c);
    }
    let header = format!(
        "imported {} {} into {alliance_id:?}:\n",
        rows.len(),
        plural(rows.len(), "commitment", "commitments")
    );
    store::save(file, &portfolio)
        .map_err(|e| CliError::Failed(format!("cannot save {}: {e}", file.display())))?;
    if has_comments {
        eprintln!(
            "note: the comments in {} were not kept by the save; the previous version is in \
             its .bak file",
            file.display()
        );
    }
    write_out(out, &(header + &report))
}

/// Pad `s` with spaces to `width` characters (counted as chars: no width crate).
fn pad(s: &str, width: usize) -> String {
    let n = s.chars().count();
    format!("{s}{}", " ".repeat(width.saturating_sub(n)))
}

/// The people-readable `score` output: table, portfolio line, flag messages.
pub fn score_table(scores: &Scores) -> String {
    let mut headers = [""; 9];
    headers[..8].copy_from_slice(&export::SUMMARY_HEADERS);
    headers[8] = "Flags";
    let rows: Vec<[String; 9]> = scores
        .alliances
        .iter()
        .map(|a| {
            let [partner, kind, status, health, arcr, cfr, sas, next] =
                export::summary_cells(a, scores.as_of);
            let flags = if a.flags.is_empty() {
                MISSING.to_owned()
            } else {
                a.flags
                    .iter()
                    .map(|f| format!("{}{}", f.severity.symbol(), f.code.code()))
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            [partner, kind, status, health, arcr, cfr, sas, next, flags]
        })
        .collect();
    let mut widths = headers.map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut s = String::new();
    let _ = writeln!(s, "{} — as of {}", scores.brand, scores.as_of);
    let _ = writeln!(s);
    let line = |cells: &[String]| {
        let last = cells.len() - 1;
        let mut l = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i == last {
                l.push_str(cell);
            } else {
                l.push_str(&pad(cell, widths[i]));
                l.push_str("  ");
            }
        }
        l.trim_end().to_owned()
    };
    let _ = writeln!(s, "{}", line(&headers.map(str::to_owned)));
    let _ = writeln!(s, "{}", line(&widths.map(|w| "─".repeat(w))));
    if rows.is_empty() {
        let _ = writeln!(s, "(no alliances)");
    }
    for row in &rows {
        let _ = writeln!(s, "{}", line(row));
    }
    let p = &scores.portfolio;
    let share = match p.alliance_share {
        Some(v) => format!(
            "{} of {} revenue ({})",
            pct(Some(v), 1),
            p.latest_month
                .map_or_else(|| MISSING.to_owned(), |m| m.to_string()),
            export::band_word(v)
        ),
        None => format!("{MISSING} (target 15–25%)"),
    };
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "Portfolio: alliance share {share} · {} active · goal attainment {} · flags: {} {} critical, {} {} warn",
        p.active,
        pct(p.goal_attainment, 0),
        crate::score::Severity::Critical.symbol(),
        p.flag_counts.critical,
        crate::score::Severity::Warn.symbol(),
        p.flag_counts.warn,
    );
    let flagged: Vec<_> = scores
        .alliances
        .iter()
        .filter(|a| !a.flags.is_empty())
        .collect();
    if !flagged.is_empty() {
        let _ = writeln!(s);
        let _ = writeln!(s, "Flags");
        for a in flagged {
            let _ = writeln!(s, "  {} ({})", a.partner, a.id);
            for f in &a.flags {
                let _ = writeln!(
                    s,
                    "    {} {} {}: {}",
                    f.severity.symbol(),
                    f.severity.label(),
                    f.code.code(),
                    f.message
                );
            }
        }
    }
    s
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

    #[test]
    fn csv_import_reports_every_bad_row_with_its_line() {
        let text = "party,action,due,done\nus,Send assets,2026-10-01,\npartner,,2026-10-02,\nthem,Blast,2026-13-01,\nPartner,Post,2026-10-05,2026-10-04\n";
        let bad = parse_commitments_csv(text).unwrap_err();
        assert_eq!(bad.len(), 2);
        assert_eq!(bad[0].line, 3);
        assert!(bad[0].reason.contains("action is empty"));
        assert_eq!(bad[1].line, 4);
        assert!(bad[1].reason.contains("party"));
        assert!(bad[1].reason.contains("due"));
    }

    #[test]
    fn csv_import_reads_good_rows() {
        let text = "party,action,due,done\nus,\"Send assets, v2\",2026-10-01,\nPartner,Post,2026-10-05,2026-10-04\n";
        let good = parse_commitments_csv(text).unwrap();
        assert_eq!(good.len(), 2);
        assert_eq!(good[0].action, "Send assets, v2");
        assert_eq!(good[1].party, Party::Partner);
        assert!(good[1].done.is_some());
    }

    #[test]
    fn csv_import_counts_lines_of_quoted_multi_line_fields_and_skips_blank_lines() {
        let text = "due,party,action\n2026-10-01,us,\"two\nlines\"\n\n2026-10-02,partner,\n,,\n2026-10-40,Us,Ok\n";
        let bad = parse_commitments_csv(text).unwrap_err();
        let lines: Vec<u64> = bad.iter().map(|b| b.line).collect();
        // Row 1 spans lines 2-3; line 4 is blank; line 6 is all-empty and skipped.
        assert_eq!(lines, [5, 7], "{bad:?}");
        assert!(bad[1].reason.contains("due"));
    }

    #[test]
    fn csv_import_reads_reordered_columns_without_done() {
        let good = parse_commitments_csv("Action,DUE,Party\nPost,2026-10-05, PARTNER \n").unwrap();
        assert_eq!(good.len(), 1);
        assert_eq!(good[0].party, Party::Partner);
        assert_eq!(good[0].done, None);
    }

    #[test]
    fn csv_import_needs_the_header() {
        let bad = parse_commitments_csv("us,x,2026-10-01,\n").unwrap_err();
        assert_eq!(bad[0].line, 1);
    }

    #[test]
    fn score_table_aligns_columns_and_groups_flag_messages() {
        let (_, scores) = crate::export::testdata::portfolio_and_scores();
        let t = score_table(&scores);
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[0], "Northwind Goods — as of 2026-11-15");
        let header = lines[2];
        let glow = lines.iter().find(|l| l.starts_with("Glow & Co")).unwrap();
        let quiet = lines.iter().find(|l| l.starts_with("=Quiet")).unwrap();
        let col = |line: &str, word: &str| {
            line.char_indices()
                .position(|(i, _)| line[i..].starts_with(word))
                .unwrap()
        };
        // Columns line up by characters, whatever the bytes.
        assert_eq!(col(header, "Health"), col(glow, "13/20"));
        assert_eq!(col(header, "ARCR"), col(glow, "1.9%"));
        assert_eq!(col(header, "CFR 30d"), col(glow, "75%"));
        assert_eq!(col(header, "SAS"), col(glow, "6.0"));
        assert_eq!(col(header, "Next review"), col(glow, "2026-11-15"));
        assert_eq!(col(header, "Flags"), col(glow, "▲cfr_red ■sas_exit"));
        assert_eq!(col(header, "Health"), col(quiet, "—"));
        assert!(!quiet.contains('0'), "missing values are dashes: {quiet}");
        assert!(t.contains("alliance share 2.2% of 2026-10 revenue (below the 15–25% band)"));
        assert!(t.contains("1 active · goal attainment 100%"));
        assert!(t.contains("  Glow & Co (glow)\n    ▲ warn cfr_red: CFR 62%"));
        assert!(t.contains("    ■ critical sas_exit: partner SAS 5.0 < 6"));
    }

    #[test]
    fn cli_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
