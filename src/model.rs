//! The portfolio file's data model (SPEC §2): plain serde types, no IO and no UI.
//!
//! Field and variant names are the file format. Optional fields default so that a draft charter
//! or a minimal alliance loads; unknown fields are rejected so a typo is never silently dropped.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub mod alliances;

pub use alliances::Alliances;

/// The only file format version this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// The highest commitment id a file may hold (SPEC §8): the top of `u32` is refused, so the
/// next id never wraps.
pub const MAX_COMMITMENT_ID: u32 = u32::MAX - 1;

/// A calendar month, written `"YYYY-MM"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i32,
    month: u32,
}

/// Why a month string was rejected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a month: expected \"YYYY-MM\" with a month 01-12")]
pub struct BadMonth(pub String);

impl Month {
    /// A month from a year and a month number 1–12.
    pub fn new(year: i32, month: u32) -> Option<Self> {
        ((1..=12).contains(&month) && (1..=9999).contains(&year)).then_some(Self { year, month })
    }

    /// The month that contains `date`.
    pub fn of(date: NaiveDate) -> Self {
        Self {
            year: date.year(),
            month: date.month(),
        }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    /// Month number, 1–12.
    pub fn number(self) -> u32 {
        self.month
    }

    /// The month's first day. Never panics: a month beyond chrono's range (only reachable
    /// from a date the loader refuses) gives the nearest date chrono has.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(if self.year > 0 {
            NaiveDate::MAX
        } else {
            NaiveDate::MIN
        })
    }

    /// The month's last day (never panics, as [`Month::first_day`]).
    pub fn last_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1)
            .and_then(|d| d.checked_add_months(Months::new(1)))
            .and_then(|d| d.pred_opt())
            .unwrap_or(if self.year > 0 {
                NaiveDate::MAX
            } else {
                NaiveDate::MIN
            })
    }

    #[must_use]
    pub fn next(self) -> Self {
        if self.month == 12 {
            Self {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Self {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    #[must_use]
    pub fn prev(self) -> Self {
        if self.month == 1 {
            Self {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Self {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    /// Whether the month overlaps the inclusive date window `[from, to]`.
    pub fn overlaps(self, from: NaiveDate, to: NaiveDate) -> bool {
        self.first_day() <= to && self.last_day() >= from
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for Month {
    type Err = BadMonth;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadMonth(s.to_owned());
        let (y, m) = s.split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 || !(y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()))
        {
            return Err(bad());
        }
        let year = y.parse().map_err(|_| bad())?;
        let month = m.parse().map_err(|_| bad())?;
        Self::new(year, month).ok_or_else(bad)
    }
}

impl Serialize for Month {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Month {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// `date` plus `months` calendar months, a day past the month's end clamped to its last day.
pub fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// Money or a measured value per month, sorted by month so saves diff cleanly.
pub type MonthlyValues = BTreeMap<Month, f64>;

/// The whole portfolio file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Portfolio {
    pub version: u32,
    pub brand: String,
    #[serde(default = "default_currency")]
    pub currency: String,
    /// Pins the evaluation date; `None` means today.
    #[serde(default)]
    pub as_of: Option<NaiveDate>,
    /// The brand's total revenue per month.
    #[serde(default)]
    pub revenue: MonthlyValues,
    /// Shared, so a copy of the portfolio is cheap (see [`Alliances`]).
    #[serde(default)]
    pub alliances: Alliances,
    #[serde(default, deserialize_with = "tight")]
    pub pipeline: Vec<Intake>,
    /// A folder to publish the partner pages to on every save (SPEC §11); left out of the file
    /// when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publish_to: Option<String>,
}

/// A list read from the file, without the spare room its growth left behind: a list read
/// item by item grows by doubling, and the spare room was 15 MB of the model at 10,000
/// alliances, all held while the file's text is too (the peak of a load; issue 14).
fn tight<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    let mut items = Vec::<T>::deserialize(d)?;
    items.shrink_to_fit();
    Ok(items)
}

fn default_currency() -> String {
    "USD".to_owned()
}

impl Portfolio {
    /// A fresh, valid, empty portfolio.
    pub fn empty(brand: &str) -> Self {
        Self {
            version: FORMAT_VERSION,
            brand: brand.to_owned(),
            currency: default_currency(),
            as_of: None,
            revenue: MonthlyValues::new(),
            alliances: Alliances::new(),
            pipeline: Vec::new(),
            publish_to: None,
        }
    }

    pub fn alliance(&self, id: &str) -> Option<&Alliance> {
        self.alliances.iter().find(|a| a.id == id)
    }

    pub fn alliance_index(&self, id: &str) -> Option<usize> {
        self.alliances.iter().position(|a| a.id == id)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AllianceKind {
    CoMarketing,
    Distribution,
    CoProduct,
    Wholesale,
    Fulfillment,
    CrossPromotion,
    RetailDistribution,
}

impl AllianceKind {
    pub const ALL: [Self; 7] = [
        Self::CoMarketing,
        Self::Distribution,
        Self::CoProduct,
        Self::Wholesale,
        Self::Fulfillment,
        Self::CrossPromotion,
        Self::RetailDistribution,
    ];

    /// The variant name, as written in the file and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Self::CoMarketing => "CoMarketing",
            Self::Distribution => "Distribution",
            Self::CoProduct => "CoProduct",
            Self::Wholesale => "Wholesale",
            Self::Fulfillment => "Fulfillment",
            Self::CrossPromotion => "CrossPromotion",
            Self::RetailDistribution => "RetailDistribution",
        }
    }

    /// Human wording for screens and reports.
    pub fn label(self) -> &'static str {
        match self {
            Self::CoMarketing => "Co-marketing",
            Self::Distribution => "Distribution",
            Self::CoProduct => "Co-product",
            Self::Wholesale => "Wholesale",
            Self::Fulfillment => "Fulfillment",
            Self::CrossPromotion => "Cross-promotion",
            Self::RetailDistribution => "Retail distribution",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Status {
    Proposed,
    Active,
    WindingDown,
    Ended,
}

impl Status {
    pub const ALL: [Self; 4] = [Self::Proposed, Self::Active, Self::WindingDown, Self::Ended];

    pub fn name(self) -> &'static str {
        match self {
            Self::Proposed => "Proposed",
            Self::Active => "Active",
            Self::WindingDown => "WindingDown",
            Self::Ended => "Ended",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Proposed => "Proposed",
            Self::Active => "Active",
            Self::WindingDown => "Winding down",
            Self::Ended => "Ended",
        }
    }
}

/// Which side of the alliance owns a commitment, contact or win condition.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub enum Party {
    #[default]
    Us,
    Partner,
}

impl Party {
    pub fn label(self) -> &'static str {
        match self {
            Self::Us => "Us",
            Self::Partner => "Partner",
        }
    }
}

/// The QSR's scope decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Scope {
    Expand,
    Maintain,
    Contract,
    Exit,
}

impl Scope {
    pub const ALL: [Self; 4] = [Self::Expand, Self::Maintain, Self::Contract, Self::Exit];

    pub fn label(self) -> &'static str {
        match self {
            Self::Expand => "Expand",
            Self::Maintain => "Maintain",
            Self::Contract => "Contract",
            Self::Exit => "Exit",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Alliance {
    /// Unique, `[a-z0-9-]+`.
    pub id: String,
    pub partner: String,
    pub kind: AllianceKind,
    pub status: Status,
    pub started: NaiveDate,
    #[serde(default)]
    pub charter: Option<Charter>,
    /// The week-1 audit.
    #[serde(default)]
    pub audit: Option<Audit>,
    /// Week-3 health scores, one per scoring.
    #[serde(default, deserialize_with = "tight")]
    pub health: Vec<HealthScore>,
    /// Revenue attributed to this alliance per month.
    #[serde(default)]
    pub revenue: MonthlyValues,
    #[serde(default, deserialize_with = "tight")]
    pub commitments: Vec<Commitment>,
    #[serde(default, deserialize_with = "tight")]
    pub reviews: Vec<Review>,
    #[serde(default, deserialize_with = "tight")]
    pub escalations: Vec<EscalationItem>,
    /// Internal notes: hidden in share mode and never exported partner-side.
    #[serde(default)]
    pub notes: String,
    /// Which orders count as this alliance's revenue (SPEC §9); left out of the file when empty.
    #[serde(default, skip_serializing_if = "Attribution::is_empty")]
    pub attribution: Attribution,
    /// The unguessable folder name of the partner page (SPEC §11): 128 random bits, URL-safe
    /// base64 without padding. Created at the first publish; left out of the file when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share_token: Option<String>,
}

/// An alliance's revenue attribution rules (SPEC §9): discount codes, order tags and order
/// sources, matched case-insensitively after trimming.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attribution {
    #[serde(default, deserialize_with = "tight")]
    pub codes: Vec<String>,
    #[serde(default, deserialize_with = "tight")]
    pub tags: Vec<String>,
    #[serde(default, deserialize_with = "tight")]
    pub sources: Vec<String>,
}

impl Attribution {
    /// No rule at all: the alliance takes no part in a revenue import.
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty() && self.tags.is_empty() && self.sources.is_empty()
    }
}

impl Alliance {
    /// A minimal alliance, as a new-alliance form starts.
    pub fn new(id: &str, partner: &str, kind: AllianceKind, started: NaiveDate) -> Self {
        Self {
            id: id.to_owned(),
            partner: partner.to_owned(),
            kind,
            status: Status::Proposed,
            started,
            charter: None,
            audit: None,
            health: Vec::new(),
            revenue: MonthlyValues::new(),
            commitments: Vec::new(),
            reviews: Vec::new(),
            escalations: Vec::new(),
            notes: String::new(),
            attribution: Attribution::default(),
            share_token: None,
        }
    }

    /// Days an escalation may stay open: the charter's `resolution_days`, else
    /// [`DEFAULT_RESOLUTION_DAYS`].
    pub fn resolution_days(&self) -> u32 {
        self.charter
            .as_ref()
            .map_or(DEFAULT_RESOLUTION_DAYS, |c| c.escalation.resolution_days)
    }

    /// The latest health score dated on or before `as_of`; of two on the same date the later
    /// one in the file wins. The one reading of "current health", shared by the scoring engine
    /// and the screens.
    pub fn latest_health(&self, as_of: NaiveDate) -> Option<&HealthScore> {
        self.health.iter().filter(|h| h.date <= as_of).fold(
            None,
            |best: Option<&HealthScore>, h| {
                if best.is_none_or(|b| h.date >= b.date) {
                    Some(h)
                } else {
                    best
                }
            },
        )
    }

    /// The next free commitment id: one above the highest, or — once that would pass
    /// [`MAX_COMMITMENT_ID`] — the lowest id not in use. Never wraps to 0 or to an id in use.
    pub fn next_commitment_id(&self) -> u32 {
        let max = self.commitments.iter().map(|c| c.id).max();
        match max.map_or(Some(1), |m| m.checked_add(1)) {
            Some(next) if next <= MAX_COMMITMENT_ID => next,
            _ => {
                let used: std::collections::BTreeSet<u32> =
                    self.commitments.iter().map(|c| c.id).collect();
                (1..=MAX_COMMITMENT_ID)
                    .find(|id| !used.contains(id))
                    .unwrap_or(MAX_COMMITMENT_ID)
            }
        }
    }
}

/// The one-page alliance charter (week 2).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Charter {
    #[serde(default, deserialize_with = "tight")]
    pub win_conditions: Vec<WinCondition>,
    #[serde(default)]
    pub cadence: Cadence,
    /// Where the shared KPI dashboard lives.
    #[serde(default)]
    pub dashboard: String,
    #[serde(default)]
    pub escalation: Escalation,
    /// The 90-day review.
    #[serde(default)]
    pub review_date: Option<NaiveDate>,
    #[serde(default)]
    pub signed: Option<NaiveDate>,
}

/// An explicit, measurable outcome. Without a number or a deadline it is only a wish.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WinCondition {
    pub metric: String,
    #[serde(default)]
    pub target: Option<f64>,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub by: Option<NaiveDate>,
    #[serde(default)]
    pub owner: Party,
    /// Whether the target is a floor (`AtLeast`, the default) or a ceiling (`AtMost`, for costs
    /// and delays). Left out of a save when it is the default, so existing files do not change.
    #[serde(default, skip_serializing_if = "Direction::is_at_least")]
    pub direction: Direction,
    /// Measured values per month.
    #[serde(default)]
    pub actuals: MonthlyValues,
}

impl WinCondition {
    pub fn is_wish(&self) -> bool {
        self.target.is_none() || self.by.is_none()
    }

    /// Whether the metric names something: a metric of only spaces is as blank as none.
    pub fn has_metric(&self) -> bool {
        !self.metric.trim().is_empty()
    }
}

/// Which side of a win condition's target counts as met (SPEC §1.1 "Win condition status").
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub enum Direction {
    /// Met when an actual is ≥ the target (revenue, customers, doors).
    #[default]
    AtLeast,
    /// Met when an actual is ≤ the target (cost per order, days of delay).
    AtMost,
}

impl Direction {
    pub const ALL: [Self; 2] = [Self::AtLeast, Self::AtMost];

    /// The variant name, as written in the file and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Self::AtLeast => "AtLeast",
            Self::AtMost => "AtMost",
        }
    }

    /// Human wording: "at least" / "at most".
    pub fn label(self) -> &'static str {
        match self {
            Self::AtLeast => "at least",
            Self::AtMost => "at most",
        }
    }

    /// The comparison sign shown before a target: `≥` or `≤`.
    pub fn sign(self) -> &'static str {
        match self {
            Self::AtLeast => "≥",
            Self::AtMost => "≤",
        }
    }

    /// Whether `actual` reaches `target` in this direction.
    pub fn reaches(self, actual: f64, target: f64) -> bool {
        match self {
            Self::AtLeast => actual >= target,
            Self::AtMost => actual <= target,
        }
    }

    #[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
    fn is_at_least(&self) -> bool {
        *self == Self::AtLeast
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cadence {
    /// Where the weekly async update happens (a channel or thread).
    #[serde(default)]
    pub weekly_channel: String,
    /// Day of month of the MBR, 1–28.
    #[serde(default)]
    pub monthly_review_day: Option<u8>,
    /// Months (1–12) in which the QSR falls.
    #[serde(default)]
    pub quarterly_review_months: Vec<u8>,
}

/// Default days to resolve an escalation when the charter does not say.
pub const DEFAULT_RESOLUTION_DAYS: u32 = 14;

fn default_resolution_days() -> u32 {
    DEFAULT_RESOLUTION_DAYS
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Escalation {
    #[serde(default, deserialize_with = "tight")]
    pub contacts: Vec<Contact>,
    #[serde(default, deserialize_with = "tight")]
    pub triggers: Vec<String>,
    #[serde(default = "default_resolution_days")]
    pub resolution_days: u32,
}

impl Default for Escalation {
    fn default() -> Self {
        Self {
            contacts: Vec::new(),
            triggers: Vec::new(),
            resolution_days: DEFAULT_RESOLUTION_DAYS,
        }
    }
}

/// A named contact with decision authority.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub name: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub party: Party,
    #[serde(default)]
    pub email: String,
    /// What this person may decide alone.
    #[serde(default)]
    pub authority: String,
}

/// The week-1 audit's answers as recorded by the operator.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Audit {
    pub date: NaiveDate,
    #[serde(default)]
    pub original_goal: String,
    #[serde(default)]
    pub written_agreement: bool,
    #[serde(default)]
    pub last_structured_review: Option<NaiveDate>,
    #[serde(default)]
    pub recent_result: Option<Measure>,
}

/// A dated number: revenue, traffic, units.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Measure {
    pub value: f64,
    #[serde(default)]
    pub unit: String,
    pub date: NaiveDate,
}

/// The four dimensions of the week-3 scoring, each 1–5.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DimensionScores {
    pub strategic_alignment: u8,
    pub execution_reliability: u8,
    pub revenue_contribution: u8,
    pub relationship_health: u8,
}

/// Total at or above which a score means "healthy" / "pursue".
pub const HEALTH_THRESHOLD: u32 = 12;

impl DimensionScores {
    pub fn total(&self) -> u32 {
        u32::from(self.strategic_alignment)
            + u32::from(self.execution_reliability)
            + u32::from(self.revenue_contribution)
            + u32::from(self.relationship_health)
    }

    /// Whether the total reaches [`HEALTH_THRESHOLD`]: "healthy" for an alliance, "pursue" for
    /// a proposal.
    pub fn pursue(&self) -> bool {
        self.total() >= HEALTH_THRESHOLD
    }
}

/// A dated week-3 health score.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HealthScore {
    pub date: NaiveDate,
    pub strategic_alignment: u8,
    pub execution_reliability: u8,
    pub revenue_contribution: u8,
    pub relationship_health: u8,
}

impl HealthScore {
    pub fn dimensions(&self) -> DimensionScores {
        DimensionScores {
            strategic_alignment: self.strategic_alignment,
            execution_reliability: self.execution_reliability,
            revenue_contribution: self.revenue_contribution,
            relationship_health: self.relationship_health,
        }
    }

    pub fn total(&self) -> u32 {
        self.dimensions().total()
    }
}

/// An agreed action with an owner and a due date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Commitment {
    pub id: u32,
    pub party: Party,
    pub action: String,
    pub due: NaiveDate,
    #[serde(default)]
    pub done: Option<NaiveDate>,
}

/// Where a commitment stands as of a date (a `done` later than that date does not exist yet).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CommitmentState {
    /// Not done and due on or after the as-of date.
    Open,
    /// Not done and due before the as-of date.
    Overdue,
    /// Done on or before its due date.
    Done,
    /// Done, but after its due date.
    DoneLate,
}

impl CommitmentState {
    pub fn label(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Overdue => "overdue",
            Self::Done => "done",
            Self::DoneLate => "done late",
        }
    }

    /// A symbol so the state never relies on colour alone.
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Open => "○",
            Self::Overdue => "▲",
            Self::Done | Self::DoneLate => "✓",
        }
    }
}

impl Commitment {
    /// The completion date if it is on or before `as_of`.
    pub fn done_by(&self, as_of: NaiveDate) -> Option<NaiveDate> {
        self.done.filter(|d| *d <= as_of)
    }

    /// Open, overdue, done or done late, as of `as_of`.
    pub fn state(&self, as_of: NaiveDate) -> CommitmentState {
        match self.done_by(as_of) {
            Some(done) if done <= self.due => CommitmentState::Done,
            Some(_) => CommitmentState::DoneLate,
            None if self.due < as_of => CommitmentState::Overdue,
            None => CommitmentState::Open,
        }
    }

    /// Due before `as_of` and not done on or before it.
    pub fn is_overdue(&self, as_of: NaiveDate) -> bool {
        self.state(as_of) == CommitmentState::Overdue
    }

    /// Not done on or before `as_of` and due in the `days` days starting at `as_of`
    /// (`as_of` itself included, `as_of + days` not): "due this week" is `days = 7`.
    pub fn is_due_within(&self, as_of: NaiveDate, days: u64) -> bool {
        let end = as_of
            .checked_add_days(chrono::Days::new(days))
            .unwrap_or(NaiveDate::MAX);
        self.done_by(as_of).is_none() && self.due >= as_of && self.due < end
    }
}

/// One party's three answers, each 1–10.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sas {
    /// Does this alliance still serve our primary growth strategy?
    pub strategy: u8,
    /// Would we enter it today if we were starting from scratch?
    pub enter_again: u8,
    /// Do we trust the other party to prioritise it?
    pub trust: u8,
}

/// Below this a party's SAS turns the QSR into an exit discussion.
pub const SAS_EXIT_THRESHOLD: f64 = 6.0;

impl Sas {
    pub fn score(&self) -> f64 {
        (f64::from(self.strategy) + f64::from(self.enter_again) + f64::from(self.trust)) / 3.0
    }
}

/// A stored review: the monthly business review or the quarterly strategic review.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Review {
    Monthly {
        date: NaiveDate,
        #[serde(default)]
        kpis: String,
        #[serde(default)]
        blockers: String,
        #[serde(default)]
        next_month: String,
        #[serde(default)]
        escalations: String,
        /// When the written summary went out.
        #[serde(default)]
        summary_sent: Option<NaiveDate>,
        /// The figures shown when the review was stored (SPEC §6): a record, never recomputed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        figures: Option<Figures>,
    },
    Quarterly {
        date: NaiveDate,
        /// Still aligned with our 12-month strategy?
        #[serde(default)]
        still_aligned: String,
        /// Has the competitive environment changed the value proposition?
        #[serde(default)]
        environment: String,
        #[serde(default)]
        scope: Option<Scope>,
        /// New opportunities this partner could open.
        #[serde(default)]
        opportunities: String,
        sas_us: Sas,
        #[serde(default)]
        sas_partner: Option<Sas>,
        /// The figures shown when the review was stored (SPEC §6): a record, never recomputed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        figures: Option<Figures>,
    },
}

impl Review {
    pub fn date(&self) -> NaiveDate {
        match self {
            Self::Monthly { date, .. } | Self::Quarterly { date, .. } => *date,
        }
    }

    pub fn is_monthly(&self) -> bool {
        matches!(self, Self::Monthly { .. })
    }

    pub fn is_quarterly(&self) -> bool {
        matches!(self, Self::Quarterly { .. })
    }

    /// The figures stored with the review, if it was stored with them.
    pub fn figures(&self) -> Option<&Figures> {
        match self {
            Self::Monthly { figures, .. } | Self::Quarterly { figures, .. } => figures.as_ref(),
        }
    }

    /// Replace the stored figures (the wizards call this when they store a review).
    pub fn set_figures(&mut self, new: Option<Figures>) {
        match self {
            Self::Monthly { figures, .. } | Self::Quarterly { figures, .. } => *figures = new,
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            Self::Monthly { .. } => "Monthly business review",
            Self::Quarterly { .. } => "Quarterly strategic review",
        }
    }
}

/// The figures a review showed when it was held (SPEC §6), stored in the review so that it stays
/// a record when numbers are entered or corrected later.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figures {
    /// The ARCR of the latest month known then.
    #[serde(default)]
    pub arcr: Option<MonthFigure>,
    /// Trailing 30-day CFR per party and both.
    #[serde(default)]
    pub cfr_30d: CfrFigures,
    /// The latest health score total (of 20).
    #[serde(default)]
    pub health: Option<u8>,
    #[serde(default)]
    pub win_conditions: Vec<WinFigure>,
}

/// A month's value: `(month: "2026-09", value: 0.055)`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonthFigure {
    pub month: Month,
    pub value: f64,
}

/// CFR per party: `(us: Some(1.0), partner: Some(0.5), all: Some(0.75))`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CfrFigures {
    #[serde(default)]
    pub us: Option<f64>,
    #[serde(default)]
    pub partner: Option<f64>,
    #[serde(default)]
    pub all: Option<f64>,
}

/// One win condition as it stood at the review.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WinFigure {
    pub metric: String,
    #[serde(default)]
    pub target: Option<f64>,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub by: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Direction::is_at_least")]
    pub direction: Direction,
    /// The latest actual known then.
    #[serde(default)]
    pub latest: Option<MonthFigure>,
    pub status: WinState,
}

/// A win condition's status as written in the file (`score --json` writes it in snake case).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum WinState {
    Wish,
    Met,
    Missed,
    Unmeasured,
    OnTrack,
}

impl WinState {
    pub fn label(self) -> &'static str {
        match self {
            Self::Met => "met",
            Self::OnTrack => "on track",
            Self::Missed => "missed",
            Self::Unmeasured => "unmeasured",
            Self::Wish => "wish",
        }
    }
}

/// An escalated issue; open until `resolved` is set.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscalationItem {
    pub raised: NaiveDate,
    pub issue: String,
    #[serde(default)]
    pub resolved: Option<NaiveDate>,
}

impl EscalationItem {
    /// Open as of `as_of`: raised on or before it and not resolved on or before it (a
    /// resolution dated later has not happened yet).
    pub fn is_open(&self, as_of: NaiveDate) -> bool {
        self.raised <= as_of && self.resolved.is_none_or(|r| r > as_of)
    }
}

/// A proposed alliance in the pipeline (the intake form).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Intake {
    pub partner: String,
    pub kind: AllianceKind,
    pub submitted: NaiveDate,
    /// Estimated win conditions.
    #[serde(default, deserialize_with = "tight")]
    pub win_conditions: Vec<WinCondition>,
    /// Resource requirements.
    #[serde(default)]
    pub resources: String,
    /// Strategic rationale.
    #[serde(default)]
    pub rationale: String,
    #[serde(default)]
    pub score: Option<DimensionScores>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_parses_and_rejects() {
        assert_eq!("2026-09".parse::<Month>().unwrap().to_string(), "2026-09");
        for bad in [
            "2026-13", "2026-1", "2026-00", "26-01", "2026/01", "", "2026-011", "abcd-ef",
        ] {
            assert!(bad.parse::<Month>().is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn month_arithmetic_and_bounds() {
        let m: Month = "2024-02".parse().unwrap();
        assert_eq!(m.last_day(), NaiveDate::from_ymd_opt(2024, 2, 29).unwrap());
        assert_eq!(m.prev().to_string(), "2024-01");
        assert_eq!(
            "2025-12".parse::<Month>().unwrap().next().to_string(),
            "2026-01"
        );
        assert_eq!(
            "2026-01".parse::<Month>().unwrap().prev().to_string(),
            "2025-12"
        );
    }

    #[test]
    fn add_months_clamps_to_month_end() {
        let d = NaiveDate::from_ymd_opt(2025, 8, 31).unwrap();
        assert_eq!(
            add_months(d, 6),
            NaiveDate::from_ymd_opt(2026, 2, 28).unwrap()
        );
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn score(date: &str, value: u8) -> HealthScore {
        HealthScore {
            date: day(date),
            strategic_alignment: value,
            execution_reliability: value,
            revenue_contribution: value,
            relationship_health: value,
        }
    }

    #[test]
    fn latest_health_ignores_later_dates_and_the_file_breaks_ties() {
        let mut a = Alliance::new("a", "A", AllianceKind::CoMarketing, day("2026-01-01"));
        assert_eq!(a.latest_health(day("2026-06-01")), None);
        a.health = vec![
            score("2026-03-01", 4),
            score("2026-07-01", 5),
            score("2026-03-01", 2),
            score("2026-02-01", 1),
        ];
        assert_eq!(a.latest_health(day("2026-06-01")), Some(&a.health[2]));
        assert_eq!(a.latest_health(day("2026-07-01")), Some(&a.health[1]));
        assert_eq!(a.latest_health(day("2026-02-15")), Some(&a.health[3]));
        assert_eq!(a.latest_health(day("2026-01-31")), None);
    }

    #[test]
    fn pursue_starts_at_the_threshold() {
        let dims = |v| score("2026-01-01", v).dimensions();
        assert!(dims(3).pursue(), "3 × 4 = 12 is healthy");
        let mut eleven = dims(3);
        eleven.relationship_health = 2;
        assert!(!eleven.pursue());
    }

    #[test]
    fn escalations_are_open_between_raised_and_resolved() {
        let e = EscalationItem {
            raised: day("2026-03-10"),
            issue: "x".to_owned(),
            resolved: Some(day("2026-03-20")),
        };
        assert!(!e.is_open(day("2026-03-09")), "not raised yet");
        assert!(e.is_open(day("2026-03-10")));
        assert!(e.is_open(day("2026-03-19")));
        assert!(!e.is_open(day("2026-03-20")), "resolved that day");
        let never = EscalationItem {
            resolved: None,
            ..e
        };
        assert!(never.is_open(day("2027-01-01")));
    }

    #[test]
    fn due_within_counts_from_as_of_and_skips_done_work() {
        let mut c = Commitment {
            id: 1,
            party: Party::Us,
            action: "x".to_owned(),
            due: day("2026-03-16"),
            done: None,
        };
        assert!(c.is_due_within(day("2026-03-16"), 7), "due today");
        assert!(c.is_due_within(day("2026-03-10"), 7), "six days out");
        assert!(!c.is_due_within(day("2026-03-09"), 7), "seven days out");
        assert!(!c.is_due_within(day("2026-03-17"), 7), "overdue, not due");
        c.done = Some(day("2026-03-12"));
        assert!(!c.is_due_within(day("2026-03-12"), 7), "done");
        assert!(c.is_due_within(day("2026-03-11"), 7), "done only later");
    }
}
