//! `alliance-desk import-revenue` (SPEC §9): the thin command-line runner. Locks the portfolio,
//! loads it, plans the import while a progress bar runs on stderr, prints the plan and saves
//! (or, with `--dry-run`, writes nothing).

use std::fmt::Write as _;
use std::fs::File;
use std::io::{IsTerminal as _, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::CliError;
use crate::import::revenue::{
    Plan, Problems, Progress, ReportColumns, money, plan_report, plan_shopify, preview, visible,
};
use crate::store;

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

/// Read `path` as the export `args` names and plan its import into `portfolio`.
fn plan_file(
    portfolio: &crate::model::Portfolio,
    args: &ImportRevenueArgs,
) -> Result<Plan, CliError> {
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
            return Err(CliError::Usage(
                "give one export: --shopify ORDERS.csv or --attribution REPORT.csv".to_owned(),
            ));
        }
    };
    let name = visible(&path.display().to_string());
    let file = File::open(path)
        .map_err(|e| CliError::Usage(format!("{name}: cannot read: {e}; nothing imported")))?;
    let total = file.metadata().map_or(0, |m| m.len());
    let mut bar = Bar::new(total);
    let result = match &columns {
        None => plan_shopify(portfolio, file, &name, &mut |p| bar.update(p)),
        Some(c) => plan_report(portfolio, file, &name, c, &mut |p| bar.update(p)),
    };
    bar.finish();
    result.map_err(|p: Problems| CliError::Usage(p.to_string()))
}

/// Run `import-revenue`, writing the plan to `out`.
pub fn run(args: &ImportRevenueArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let file = &args.file;
    // A workspace open on the same file would later overwrite the import: refuse while one
    // holds it. A dry run writes nothing, so it needs no lock.
    let _lock = if args.dry_run {
        None
    } else {
        match store::PortfolioLock::acquire(file) {
            Ok(lock) => Some(lock),
            Err(e @ store::LockError::Held { .. }) => {
                return Err(CliError::Failed(format!(
                    "{e}: close it first; nothing imported"
                )));
            }
            Err(store::LockError::Io { .. }) => None,
        }
    };
    let loaded = store::load(file).map_err(CliError::Load)?;
    for w in &loaded.warnings {
        eprintln!("{w}");
    }
    let mut portfolio = loaded.portfolio;
    let plan = plan_file(&portfolio, args)?;
    let mut text = summary(&plan);
    text.push_str(&preview(&plan));
    let changes = plan.change_count();
    let fail = |e: std::io::Error| CliError::Failed(format!("cannot write output: {e}"));
    if args.dry_run {
        let _ = write!(
            text,
            "\ndry run: {changes} {} would change; nothing written\n",
            if changes == 1 { "value" } else { "values" }
        );
        return out.write_all(text.as_bytes()).map_err(fail);
    }
    if changes == 0 {
        let _ = write!(
            text,
            "\nnothing changed: {} already has these figures; not written\n",
            visible(&file.display().to_string())
        );
        return out.write_all(text.as_bytes()).map_err(fail);
    }
    crate::import::revenue::apply(&mut portfolio, &plan);
    store::save(file, &portfolio).map_err(|e| CliError::Failed(e.to_string()))?;
    let _ = write!(
        text,
        "\nwrote {changes} {} to {}\n",
        if changes == 1 { "value" } else { "values" },
        visible(&file.display().to_string())
    );
    out.write_all(text.as_bytes()).map_err(fail)
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
