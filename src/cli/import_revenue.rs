//! `alliance-desk import-revenue` (SPEC §9): the thin command-line runner. Goes through the one
//! apply path, [`crate::import::apply`] (lock, load, change, save), planning the import while a
//! progress bar runs on stderr; prints the plan (with `--dry-run`, writes nothing).

use std::fmt::Write as _;
use std::fs::File;
use std::io::{IsTerminal as _, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::{CliError, import_failed};
use crate::import::revenue::{
    Plan, Problems, Progress, ReportColumns, money, plan_report, plan_shopify, preview, visible,
};
use crate::import::{self, ImportError, Report, plural};

/// Arguments of `import-revenue`.
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("export").required(true).args(["shopify", "attribution"]))]
pub struct ImportRevenueArgs {
    /// The portfolio file.
    pub file: PathBuf,
    /// A Shopify orders export (Orders → Export → CSV for Excel, Numbers…).
    #[arg(long, value_name = "ORDERS.csv")]
    pub shopify: Option<PathBuf>,
    /// An attribution report (Triple Whale, Polar, GA4…); needs --date, --revenue and --key.
    #[arg(long, value_name = "REPORT.csv", requires_all = ["date", "revenue", "key"])]
    pub attribution: Option<PathBuf>,
    /// The report's date column.
    #[arg(long, value_name = "COL", requires = "attribution")]
    pub date: Option<String>,
    /// The report's revenue column.
    #[arg(long, value_name = "COL", requires = "attribution")]
    pub revenue: Option<String>,
    /// The report's key column, matched against the alliances' `sources`.
    #[arg(long, value_name = "COL", requires = "attribution")]
    pub key: Option<String>,
    /// Print what would change; write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// A progress bar that appears only once the import has run for a moment, and only on a
/// terminal (a pipe or a log file gets nothing).
struct Bar {
    start: Instant,
    total: u64,
    on_terminal: bool,
    shown: Option<ProgressBar>,
}

impl Bar {
    fn new(total: u64) -> Self {
        Self {
            start: Instant::now(),
            total,
            on_terminal: std::io::stderr().is_terminal(),
            shown: None,
        }
    }

    fn update(&mut self, p: Progress) {
        if !self.on_terminal {
            return;
        }
        if self.shown.is_none() && self.start.elapsed() >= Duration::from_millis(300) {
            let bar = ProgressBar::with_draw_target(
                Some(self.total),
                ProgressDrawTarget::stderr_with_hz(10),
            );
            if let Ok(style) = ProgressStyle::with_template(
                "{bar:30} {bytes}/{total_bytes} · {msg} · {bytes_per_sec} · {eta} left",
            ) {
                bar.set_style(style);
            }
            // Start the rate from here, not from the bytes read before the bar appeared.
            bar.set_position(p.bytes);
            bar.reset_eta();
            self.shown = Some(bar);
        }
        if let Some(bar) = &self.shown {
            bar.set_position(p.bytes);
            bar.set_message(format!("{} rows", p.rows));
        }
    }

    fn finish(self) {
        if let Some(bar) = self.shown {
            bar.finish_and_clear();
        }
    }
}

/// Read the export `args` names and plan its import into `portfolio`. Unusable input — a file
/// that cannot be read, every problem in it — is a rejection (exit 2).
fn plan_file(
    portfolio: &crate::model::Portfolio,
    args: &ImportRevenueArgs,
) -> Result<Plan, ImportError> {
    let (path, columns) = match (&args.shopify, &args.attribution) {
        (Some(p), None) => (p, None),
        (None, Some(p)) => (
            p,
            Some(ReportColumns {
                date: args.date.clone().unwrap_or_default(),
                revenue: args.revenue.clone().unwrap_or_default(),
                key: args.key.clone().unwrap_or_default(),
            }),
        ),
        _ => {
            return Err(ImportError::rejected(
                "give one export: --shopify ORDERS.csv or --attribution REPORT.csv",
            ));
        }
    };
    let name = visible(&path.display().to_string());
    let file = File::open(path).map_err(|e| {
        ImportError::rejected(format!("{name}: cannot read: {e}; nothing imported"))
    })?;
    let total = file.metadata().map_or(0, |m| m.len());
    let mut bar = Bar::new(total);
    let result = match &columns {
        None => plan_shopify(portfolio, file, &name, &mut |p| bar.update(p)),
        Some(c) => plan_report(portfolio, file, &name, c, &mut |p| bar.update(p)),
    };
    bar.finish();
    result.map_err(|p: Problems| ImportError::rejected(p.to_string()))
}

/// Run `import-revenue` through the one apply path (lock → load → plan and set → save),
/// writing the plan to `out`.
pub fn run(args: &ImportRevenueArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let file = &args.file;
    let dry_run = args.dry_run;
    let mut changes = 0;
    let applied = import::apply(file, dry_run, |portfolio| {
        let plan = plan_file(portfolio, args)?;
        changes = plan.change_count();
        let mut text = summary(&plan);
        text.push_str(&preview(&plan));
        if dry_run {
            let _ = write!(
                text,
                "\ndry run: {changes} {} would change; nothing written\n",
                plural(changes, "value", "values")
            );
        } else if changes == 0 {
            let _ = write!(
                text,
                "\nnothing changed: {} already has these figures; not written\n",
                visible(&file.display().to_string())
            );
        } else {
            crate::import::revenue::apply(portfolio, &plan);
        }
        Ok(Report {
            summary: text,
            lines: Vec::new(),
            changed: changes > 0,
        })
    })
    .map_err(import_failed)?;
    for w in &applied.warnings {
        eprintln!("{}", crate::sanitize::terminal(&w.to_string()));
    }
    let mut text = applied.report.summary;
    if applied.written {
        let _ = write!(
            text,
            "\nwrote {changes} {} to {}\n",
            plural(changes, "value", "values"),
            visible(&file.display().to_string())
        );
    }
    out.write_all(text.as_bytes())
        .map_err(|e| CliError::Failed(format!("cannot write output: {e}")))
}

/// The first line: what was read.
pub fn summary(plan: &Plan) -> String {
    let s = plan.stats;
    let mut text = if plan.kind == "Shopify orders" {
        format!(
            "Shopify orders: {} rows, {} orders — {} counted, {} cancelled, {} voided; {} \
             attributed, {} ambiguous\n",
            s.rows, s.orders, s.counted, s.cancelled, s.voided, s.attributed, s.ambiguous
        )
    } else {
        format!(
            "attribution report: {} rows — {} attributed, {} ambiguous\n",
            s.counted, s.attributed, s.ambiguous
        )
    };
    let total: f64 = plan
        .months
        .iter()
        .filter_map(|m| m.brand.map(|b| b.new))
        .sum();
    if plan.months.iter().any(|m| m.brand.is_some()) {
        let _ = writeln!(text, "counted revenue: {}", money(total));
    }
    text.push('\n');
    text
}
