//! Revenue import (SPEC §9): a Shopify orders export or an attribution report becomes the
//! brand's and the alliances' monthly revenue.
//!
//! Pure and streaming: the CSV is read record by record (never held whole), every problem is
//! collected (`ORDERS.csv:LINE: …`, the line a record starts on) and nothing is planned when
//! there is one. A [`Plan`] says, per month, the brand total and each alliance's old → new value;
//! [`apply`] sets those values, so applying the same plan twice changes nothing the second time.
//! The thin command-line runner with its progress bar is [`cli`].

pub mod generate;
mod read;
mod report;
mod rules;
mod shopify;

use std::collections::{BTreeMap, HashMap};
use std::fmt::{self, Write as _};
use std::io::Read;

use chrono::NaiveDate;

use crate::model::{Month, Portfolio, Status};

pub use report::ReportColumns;
pub use rules::{Overlap, RuleKind, overlaps};

/// At most this many problems (or warnings of one kind) are kept and listed; the rest are
/// counted, so a wholly wrong 300 MB file cannot exhaust memory or the terminal.
pub const MAX_LISTED: usize = 1000;

/// Money is summed exactly in ten-thousandths of the currency unit, then turned into `f64` once.
const UNIT: i64 = 10_000;

/// How far an import has read, for a progress display.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// CSV records read so far.
    pub rows: u64,
    /// Bytes read so far.
    pub bytes: u64,
}

/// Every problem that stopped an import, each `FILE:LINE: message`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Problems {
    /// The listed problems, in file order (at most [`MAX_LISTED`]).
    pub lines: Vec<String>,
    /// Problems found beyond those listed.
    pub more: usize,
}

impl Problems {
    fn push(&mut self, line: String) {
        if self.lines.len() < MAX_LISTED {
            self.lines.push(line);
        } else {
            self.more += 1;
        }
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty() && self.more == 0
    }

    /// How many problems were found.
    pub fn count(&self) -> usize {
        self.lines.len() + self.more
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for line in &self.lines {
            writeln!(f, "{line}")?;
        }
        if self.more > 0 {
            writeln!(f, "… and {} more problems", self.more)?;
        }
        let n = self.count();
        write!(
            f,
            "{n} {}; nothing imported",
            if n == 1 { "problem" } else { "problems" }
        )
    }
}

/// One value an import sets: what the portfolio has now and what it will have.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Change {
    pub old: Option<f64>,
    pub new: f64,
}

impl Change {
    /// Whether applying it changes the portfolio.
    pub fn changes(&self) -> bool {
        self.old != Some(self.new)
    }
}

/// One alliance's value in one month.
#[derive(Clone, Debug, PartialEq)]
pub struct AllianceChange {
    pub id: String,
    pub partner: String,
    pub change: Change,
}

/// Everything an import sets in one month.
#[derive(Clone, Debug, PartialEq)]
pub struct MonthPlan {
    pub month: Month,
    /// The brand total (`None`: an attribution report leaves it untouched).
    pub brand: Option<Change>,
    /// Every alliance taking part, in file order.
    pub alliances: Vec<AllianceChange>,
}

/// What was read, for the summary line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Data records read (the header and blank lines not counted).
    pub rows: u64,
    /// Orders found (Shopify) or rows used (report).
    pub orders: u64,
    /// Orders counted into a month.
    pub counted: u64,
    pub cancelled: u64,
    pub voided: u64,
    /// Orders or rows that matched two or more alliances.
    pub ambiguous: u64,
    /// Counted orders or rows attributed to exactly one alliance.
    pub attributed: u64,
}

/// What an import would do: per month, the brand total and each alliance's old → new value,
/// and the warnings to show. Made by [`plan_shopify`] or [`plan_report`], carried out by
/// [`apply`].
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    /// `"Shopify orders"` or `"attribution report"`.
    pub kind: &'static str,
    pub months: Vec<MonthPlan>,
    /// Ambiguous orders and partly covered months (raw text: sanitise before printing).
    pub warnings: Vec<String>,
    /// Warnings found beyond those listed.
    pub more_warnings: usize,
    pub stats: Stats,
}

impl Plan {
    /// How many values applying it would change (0: the import is already in the portfolio).
    pub fn change_count(&self) -> usize {
        self.months
            .iter()
            .map(|m| {
                usize::from(m.brand.is_some_and(|b| b.changes()))
                    + m.alliances.iter().filter(|a| a.change.changes()).count()
            })
            .sum()
    }
}

/// Read a Shopify orders export and plan its effect on `portfolio` (SPEC §9). `name` is how the
/// file is named in messages; `progress` is called now and then while reading.
pub fn plan_shopify(
    portfolio: &Portfolio,
    input: impl Read,
    name: &str,
    progress: &mut dyn FnMut(Progress),
) -> Result<Plan, Problems> {
    let tally = shopify::read(portfolio, input, name, progress)?;
    Ok(tally.into_plan(portfolio, "Shopify orders", true))
}

/// [`plan_shopify`] on a file, named in messages by its path (sanitised): what the workspace's
/// import prompt calls. A file that cannot be opened is one problem.
pub fn plan_shopify_file(
    portfolio: &Portfolio,
    path: &std::path::Path,
    progress: &mut dyn FnMut(Progress),
) -> Result<Plan, Problems> {
    let name = visible(&path.display().to_string());
    let file = std::fs::File::open(path).map_err(|e| {
        let mut p = Problems::default();
        p.push(format!("{name}: cannot read: {e}"));
        p
    })?;
    plan_shopify(portfolio, file, &name, progress)
}

/// Read an attribution report and plan its effect on `portfolio` (SPEC §9): alliances' revenue
/// only, matched on their `sources`.
pub fn plan_report(
    portfolio: &Portfolio,
    input: impl Read,
    name: &str,
    columns: &ReportColumns,
    progress: &mut dyn FnMut(Progress),
) -> Result<Plan, Problems> {
    let tally = report::read(portfolio, input, name, columns, progress)?;
    Ok(tally.into_plan(portfolio, "attribution report", false))
}

/// Set every value of `plan` in `portfolio`; returns how many changed. Idempotent. Alliances are
/// found by id, so a plan made before an unrelated edit still lands where it should; one that
/// no longer exists is passed over.
pub fn apply(portfolio: &mut Portfolio, plan: &Plan) -> usize {
    let index: HashMap<String, usize> = portfolio
        .alliances
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.clone(), i))
        .collect();
    let mut changed = 0;
    for m in &plan.months {
        if let Some(b) = m.brand
            && portfolio.revenue.insert(m.month, b.new) != Some(b.new)
        {
            changed += 1;
        }
        for a in &m.alliances {
            if let Some(&i) = index.get(&a.id)
                && portfolio.alliances[i].revenue.insert(m.month, a.change.new)
                    != Some(a.change.new)
            {
                changed += 1;
            }
        }
    }
    changed
}

/// The per-month table of a plan, then its warnings: what the CLI prints and the workspace
/// previews. User text is sanitised.
pub fn preview(plan: &Plan) -> String {
    let mut s = String::new();
    let mut label_width = "brand total".len();
    for m in &plan.months {
        for a in &m.alliances {
            label_width = label_width.max(alliance_label(a).chars().count());
        }
    }
    let mut old_width = 1;
    for m in &plan.months {
        for c in m.brand.iter().chain(m.alliances.iter().map(|a| &a.change)) {
            old_width = old_width.max(money_or_dash(c.old).chars().count());
        }
    }
    let line = |s: &mut String, label: &str, c: &Change| {
        let pad = label_width.saturating_sub(label.chars().count());
        let old = money_or_dash(c.old);
        let old_pad = old_width.saturating_sub(old.chars().count());
        let _ = writeln!(
            s,
            "  {label}{}  {}{old} → {}{}",
            " ".repeat(pad),
            " ".repeat(old_pad),
            money(c.new),
            if c.changes() { "" } else { "  (unchanged)" }
        );
    };
    for m in &plan.months {
        let _ = writeln!(s, "{}", m.month);
        if let Some(b) = &m.brand {
            line(&mut s, "brand total", b);
        }
        for a in &m.alliances {
            line(&mut s, &alliance_label(a), &a.change);
        }
    }
    if plan.months.is_empty() {
        let _ = writeln!(s, "no month has a counted order: nothing to change");
    }
    if !plan.warnings.is_empty() {
        let _ = writeln!(s, "\nwarnings:");
        for w in &plan.warnings {
            let _ = writeln!(s, "  warning: {}", visible(w));
        }
        if plan.more_warnings > 0 {
            let _ = writeln!(s, "  … and {} more warnings", plan.more_warnings);
        }
    }
    s
}

fn alliance_label(a: &AllianceChange) -> String {
    format!("{} ({})", visible(&a.partner), visible(&a.id))
}

fn money_or_dash(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_owned(), money)
}

/// `1234567.5` → `1,234,567.50`: two decimals, more only when the value has them.
pub fn money(v: f64) -> String {
    let mut text = format!("{:.4}", v.abs());
    while text.ends_with('0') && text.len() - text.find('.').unwrap_or(0) > 3 {
        text.pop();
    }
    let (int, frac) = text.split_once('.').unwrap_or((&text, "00"));
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{}{grouped}.{frac}", if v < 0.0 { "-" } else { "" })
}

/// Untrusted text made safe for a terminal (SPEC §8): C0/C1 controls and bidirectional
/// controls become visible escapes such as `\u{1b}`.
pub fn visible(s: &str) -> String {
    let hidden = |c: char| {
        c.is_control()
            || ('\u{202a}'..='\u{202e}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
    };
    if !s.chars().any(hidden) {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if hidden(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// The totals read from a file, before they are compared with the portfolio.
#[derive(Debug, Default)]
struct Tally {
    /// Per month: the brand total and each participant's total, in [`UNIT`]s.
    months: BTreeMap<Month, (i64, Vec<i64>)>,
    /// The alliances taking part (index into `portfolio.alliances`), in file order.
    participants: Vec<usize>,
    /// The first and last day with a counted order or row, when days are known.
    first: Option<NaiveDate>,
    last: Option<NaiveDate>,
    warnings: Vec<String>,
    more_warnings: usize,
    stats: Stats,
}

impl Tally {
    fn new(participants: Vec<usize>) -> Self {
        Self {
            participants,
            ..Self::default()
        }
    }

    fn warn(&mut self, w: String) {
        if self.warnings.len() < MAX_LISTED {
            self.warnings.push(w);
        } else {
            self.more_warnings += 1;
        }
    }

    /// Count `amount` into `month` for the brand and, when given, one participant (by its
    /// position in `participants`).
    fn add(&mut self, month: Month, amount: i64, to: Option<usize>) {
        let n = self.participants.len();
        let entry = self.months.entry(month).or_insert_with(|| (0, vec![0; n]));
        entry.0 = entry.0.saturating_add(amount);
        if let Some(i) = to {
            entry.1[i] = entry.1[i].saturating_add(amount);
        }
    }

    /// The participant a record counts for: the one alliance its rules matched, or none when
    /// none matched or several did (then `what` — "order #1001", "key \"x\"" — is reported as
    /// ambiguous at `place`).
    fn attribute(
        &mut self,
        portfolio: &Portfolio,
        hits: &[usize],
        place: &str,
        what: &str,
    ) -> Option<usize> {
        match hits {
            [] => None,
            [one] => {
                self.stats.attributed += 1;
                Some(*one)
            }
            many => {
                self.stats.ambiguous += 1;
                let ids: Vec<&str> = many
                    .iter()
                    .map(|&p| portfolio.alliances[self.participants[p]].id.as_str())
                    .collect();
                self.warn(format!(
                    "{place}: {what} matches {}: counted for none of them",
                    ids.join(" and ")
                ));
                None
            }
        }
    }

    fn saw_day(&mut self, day: NaiveDate) {
        self.first = Some(self.first.map_or(day, |f| f.min(day)));
        self.last = Some(self.last.map_or(day, |l| l.max(day)));
    }

    fn into_plan(mut self, portfolio: &Portfolio, kind: &'static str, brand: bool) -> Plan {
        if let (Some(first), Some(last)) = (self.first, self.last) {
            let (from, to) = (Month::of(first), Month::of(last));
            let cut_start = first != from.first_day();
            let cut_end = last != to.last_day();
            let part = "its totals are for part of the month";
            if from == to && cut_start && cut_end {
                self.warn(format!(
                    "{from} is covered only from {first} to {last}: {part}"
                ));
            } else {
                if cut_start {
                    self.warn(format!("{from} is covered only from {first}: {part}"));
                }
                if cut_end {
                    self.warn(format!("{to} is covered only up to {last}: {part}"));
                }
            }
        }
        let months = self
            .months
            .iter()
            .map(|(&month, (total, each))| MonthPlan {
                month,
                brand: brand.then(|| Change {
                    old: portfolio.revenue.get(&month).copied(),
                    new: to_money((*total).max(0)),
                }),
                alliances: self
                    .participants
                    .iter()
                    .zip(each)
                    .map(|(&i, &v)| {
                        let a = &portfolio.alliances[i];
                        AllianceChange {
                            id: a.id.clone(),
                            partner: a.partner.clone(),
                            change: Change {
                                old: a.revenue.get(&month).copied(),
                                new: to_money(v.max(0)),
                            },
                        }
                    })
                    .collect(),
            })
            .collect();
        Plan {
            kind,
            months,
            warnings: self.warnings,
            more_warnings: self.more_warnings,
            stats: self.stats,
        }
    }
}

fn to_money(units: i64) -> f64 {
    // Division by a power of ten gives the f64 nearest the decimal amount (no 0.1 + 0.2 drift).
    units as f64 / UNIT as f64
}

/// Whether an alliance takes part in imports at all (SPEC §9: not `Proposed`).
fn takes_part(status: Status) -> bool {
    status != Status::Proposed
}

#[cfg(test)]
mod tests;
