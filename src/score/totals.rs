//! Portfolio totals kept up to date edit by edit (issue 14).
//!
//! The alliance share needs Σ alliance revenue of the latest month. Looking that month up in
//! every alliance on every edit costs milliseconds at 10,000 alliances, so [`Totals`] keeps each
//! alliance's value for the month in a pairwise-sum tree: an edit replaces one leaf and the
//! sums on its path to the root. The tree's shape depends only on the number of alliances, so
//! the sum after any sequence of edits is bit for bit the sum a fresh [`Totals::new`] computes
//! — [`super::score`] builds its totals the same way, so the two never disagree. The counts
//! (active alliances, met and missed win conditions, flags) are integers: the edited alliance's
//! old count is taken off and its new one added.

use chrono::NaiveDate;

use super::{AllianceScores, FlagCounts, PortfolioScores, Severity, WinStatus, metrics};
use crate::model::{Alliance, Month, Portfolio, Status};

/// What one alliance adds to the portfolio's counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Tally {
    active: usize,
    met: u32,
    missed: u32,
    warn: usize,
    critical: usize,
}

impl Tally {
    fn of(scores: &AllianceScores) -> Self {
        let mut t = Self {
            active: usize::from(scores.status == Status::Active),
            ..Self::default()
        };
        for w in &scores.win_conditions {
            match w.status {
                WinStatus::Met => t.met += 1,
                WinStatus::Missed => t.missed += 1,
                _ => {}
            }
        }
        for f in &scores.flags {
            match f.severity {
                Severity::Warn => t.warn += 1,
                Severity::Critical => t.critical += 1,
            }
        }
        t
    }

    fn add(&mut self, o: Self) {
        self.active += o.active;
        self.met += o.met;
        self.missed += o.missed;
        self.warn += o.warn;
        self.critical += o.critical;
    }

    fn sub(&mut self, o: Self) {
        self.active -= o.active;
        self.met -= o.met;
        self.missed -= o.missed;
        self.warn -= o.warn;
        self.critical -= o.critical;
    }
}

/// The portfolio totals of [`PortfolioScores`], maintained incrementally.
#[derive(Clone, Debug, PartialEq)]
pub struct Totals {
    as_of: NaiveDate,
    /// The latest brand-revenue month not after as-of, and the brand's revenue in it.
    latest: Option<(Month, f64)>,
    /// Leaves at `[width, width + len)` (each alliance's revenue in the latest month, 0 when it
    /// has none), node `i` = node `2i` + node `2i + 1`; the sum is node 1.
    tree: Vec<f64>,
    width: usize,
    tallies: Vec<Tally>,
    sum: Tally,
}

impl Totals {
    /// The totals of `portfolio`, whose alliances scored `scores` (same order) as of `as_of`.
    pub fn new(portfolio: &Portfolio, scores: &[AllianceScores], as_of: NaiveDate) -> Self {
        let latest = metrics::latest_up_to(&portfolio.revenue, Month::of(as_of));
        let leaves: Vec<f64> = portfolio
            .alliances
            .iter()
            .map(|a| leaf(latest, a))
            .collect();
        let tallies: Vec<Tally> = scores.iter().map(Tally::of).collect();
        let mut sum = Tally::default();
        for t in &tallies {
            sum.add(*t);
        }
        let mut totals = Self {
            as_of,
            latest,
            tree: Vec::new(),
            width: 1,
            tallies,
            sum,
        };
        totals.build(&leaves);
        totals
    }

    /// Whether these totals were made for `as_of` and `len` alliances.
    pub fn fits(&self, as_of: NaiveDate, len: usize) -> bool {
        self.as_of == as_of && self.tallies.len() == len
    }

    fn build(&mut self, leaves: &[f64]) {
        self.width = leaves.len().next_power_of_two();
        self.tree = vec![0.0; 2 * self.width];
        self.tree[self.width..self.width + leaves.len()].copy_from_slice(leaves);
        for i in (1..self.width).rev() {
            self.tree[i] = self.tree[2 * i] + self.tree[2 * i + 1];
        }
    }

    fn leaves(&self) -> &[f64] {
        &self.tree[self.width..self.width + self.tallies.len()]
    }

    /// The alliance at `index` is now `alliance`, scored `scores`.
    pub fn set(&mut self, index: usize, alliance: &Alliance, scores: &AllianceScores) {
        let Some(old) = self.tallies.get_mut(index) else {
            return;
        };
        let new = Tally::of(scores);
        self.sum.sub(*old);
        self.sum.add(new);
        *old = new;
        let mut i = self.width + index;
        self.tree[i] = leaf(self.latest, alliance);
        while i > 1 {
            i /= 2;
            self.tree[i] = self.tree[2 * i] + self.tree[2 * i + 1];
        }
    }

    /// `alliance`, scored `scores`, was inserted at `index`. The tree is rebuilt from its
    /// leaves (no revenue lookups): adding and removing alliances is rare.
    pub fn insert(&mut self, index: usize, alliance: &Alliance, scores: &AllianceScores) {
        let index = index.min(self.tallies.len());
        let mut leaves = self.leaves().to_vec();
        leaves.insert(index, leaf(self.latest, alliance));
        let tally = Tally::of(scores);
        self.sum.add(tally);
        self.tallies.insert(index, tally);
        self.build(&leaves);
    }

    /// The alliance at `index` was removed.
    pub fn remove(&mut self, index: usize) {
        if index >= self.tallies.len() {
            return;
        }
        let mut leaves = self.leaves().to_vec();
        leaves.remove(index);
        let tally = self.tallies.remove(index);
        self.sum.sub(tally);
        self.build(&leaves);
    }

    /// The portfolio figures.
    pub fn scores(&self) -> PortfolioScores {
        let alliance_share = self.latest.and_then(|(_, brand)| {
            (brand > 0.0).then(|| {
                let sum = self.tree[1];
                // Values near f64::MAX overflow when added: then each is divided by the brand's
                // first, which gives their (finite) ratio. `+ 0.0` turns the empty sum's -0.0
                // into 0.
                let share = if sum.is_finite() {
                    sum / brand
                } else {
                    self.leaves().iter().map(|v| v / brand).sum()
                };
                share + 0.0
            })
        });
        let Tally {
            active,
            met,
            missed,
            warn,
            critical,
        } = self.sum;
        PortfolioScores {
            latest_month: self.latest.map(|(m, _)| m),
            alliance_share,
            active,
            goal_attainment: (met + missed > 0).then(|| f64::from(met) / f64::from(met + missed)),
            flag_counts: FlagCounts { warn, critical },
        }
    }
}

/// An alliance's revenue in the latest month (0 when it has none, which adds nothing).
fn leaf(latest: Option<(Month, f64)>, alliance: &Alliance) -> f64 {
    latest
        .and_then(|(month, _)| alliance.revenue.get(&month).copied())
        .unwrap_or(0.0)
}
