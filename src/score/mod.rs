//! The scoring engine (SPEC §1.1): a pure function of the portfolio and an as-of date.
//!
//! Nothing here knows about files or terminals. The serialized shape of [`Scores`] is exactly
//! the `score --json` schema; fields marked `#[serde(skip)]` are extras for screens.

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::{AllianceKind, Direction, Month, Status, WinState};

pub mod figures;
pub mod metrics;
pub mod outcomes;
pub mod partner;
pub mod rules;
#[cfg(test)]
mod tests;
pub mod totals;

pub use figures::{figures_as_known_on, figures_now, review_figures};
pub use partner::{partner_may_see, partner_visible_flags};
pub use totals::Totals;

/// Severity of a flag.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Warn,
    Critical,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Self::Warn => "warn",
            Self::Critical => "critical",
        }
    }

    /// A symbol so that a flag never relies on colour alone.
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Warn => "▲",
            Self::Critical => "■",
        }
    }
}

/// Every flag rule of SPEC §1.1, in the table's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FlagCode {
    Wish,
    NoCharter,
    HealthConversation,
    AuditDead,
    AuditAtRisk,
    ArcrLow,
    ArcrDeclining,
    CfrRed,
    CfrCritical,
    SasExit,
    AlignmentExit,
    MbrOverdue,
    QsrOverdue,
    SummaryLate,
    EscalationOverdue,
}

impl FlagCode {
    pub const ALL: [Self; 15] = [
        Self::Wish,
        Self::NoCharter,
        Self::HealthConversation,
        Self::AuditDead,
        Self::AuditAtRisk,
        Self::ArcrLow,
        Self::ArcrDeclining,
        Self::CfrRed,
        Self::CfrCritical,
        Self::SasExit,
        Self::AlignmentExit,
        Self::MbrOverdue,
        Self::QsrOverdue,
        Self::SummaryLate,
        Self::EscalationOverdue,
    ];

    /// The code as written in JSON.
    pub fn code(self) -> &'static str {
        match self {
            Self::Wish => "wish",
            Self::NoCharter => "no_charter",
            Self::HealthConversation => "health_conversation",
            Self::AuditDead => "audit_dead",
            Self::AuditAtRisk => "audit_at_risk",
            Self::ArcrLow => "arcr_low",
            Self::ArcrDeclining => "arcr_declining",
            Self::CfrRed => "cfr_red",
            Self::CfrCritical => "cfr_critical",
            Self::SasExit => "sas_exit",
            Self::AlignmentExit => "alignment_exit",
            Self::MbrOverdue => "mbr_overdue",
            Self::QsrOverdue => "qsr_overdue",
            Self::SummaryLate => "summary_late",
            Self::EscalationOverdue => "escalation_overdue",
        }
    }

    pub fn severity(self) -> Severity {
        match self {
            Self::AuditDead
            | Self::ArcrDeclining
            | Self::CfrCritical
            | Self::SasExit
            | Self::AlignmentExit
            | Self::EscalationOverdue => Severity::Critical,
            _ => Severity::Warn,
        }
    }

    /// A few words for badges (the symbol and these words carry the meaning, not colour).
    pub fn short_label(self) -> &'static str {
        match self {
            Self::Wish => "wish",
            Self::NoCharter => "no charter",
            Self::HealthConversation => "health <12",
            Self::AuditDead => "audit: dead",
            Self::AuditAtRisk => "audit: at risk",
            Self::ArcrLow => "ARCR low",
            Self::ArcrDeclining => "ARCR falling",
            Self::CfrRed => "CFR red",
            Self::CfrCritical => "CFR critical",
            Self::SasExit => "SAS exit",
            Self::AlignmentExit => "alignment exit",
            Self::MbrOverdue => "MBR overdue",
            Self::QsrOverdue => "QSR overdue",
            Self::SummaryLate => "summary late",
            Self::EscalationOverdue => "escalation overdue",
        }
    }
}

/// A raised flag with the numbers behind it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Flag {
    pub code: FlagCode,
    pub severity: Severity,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FlagCounts {
    pub warn: usize,
    pub critical: usize,
}

/// Portfolio-wide figures.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PortfolioScores {
    pub latest_month: Option<Month>,
    /// Σ alliance revenue of the latest month ÷ brand revenue; target band 15–25%.
    pub alliance_share: Option<f64>,
    /// Number of `Active` alliances.
    pub active: usize,
    /// met ÷ (met + missed) over all alliances' win conditions.
    pub goal_attainment: Option<f64>,
    pub flag_counts: FlagCounts,
}

/// The whole result, in the `score --json` shape.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Scores {
    pub as_of: NaiveDate,
    pub brand: String,
    pub currency: String,
    pub portfolio: PortfolioScores,
    pub alliances: Vec<AllianceScores>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HealthSummary {
    pub date: NaiveDate,
    pub total: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditState {
    Alive,
    AtRisk,
    Dead,
}

impl AuditState {
    pub fn label(self) -> &'static str {
        match self {
            Self::Alive => "alive",
            Self::AtRisk => "at risk",
            Self::Dead => "functionally dead",
        }
    }
}

/// The week-1 audit's four questions, answered from all the evidence in the file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AuditResult {
    pub answers_yes: u8,
    pub state: AuditState,
    #[serde(skip)]
    pub goal: bool,
    #[serde(skip)]
    pub written_agreement: bool,
    #[serde(skip)]
    pub structured_review: bool,
    #[serde(skip)]
    pub number: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MonthValue {
    pub month: Month,
    pub value: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Arcr {
    pub latest: Option<f64>,
    /// The latest month (SPEC: latest brand-revenue month not after the as-of month).
    pub month: Option<Month>,
    pub series: Vec<MonthValue>,
}

/// Completed ÷ due for each party and both; `None` when nothing was due.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CfrSplit {
    pub us: Option<f64>,
    pub partner: Option<f64>,
    pub all: Option<f64>,
    /// (completed, due) for us, partner, all — for "2 of 3" on screen.
    #[serde(skip)]
    pub counts: [(u32, u32); 3],
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CfrMonth {
    pub month: Month,
    pub us: Option<f64>,
    pub partner: Option<f64>,
    pub all: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Cfr {
    pub trailing_30d: CfrSplit,
    pub monthly: Vec<CfrMonth>,
}

/// The latest quarterly review's Strategic Alignment Score.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SasSummary {
    pub date: NaiveDate,
    pub us: f64,
    pub partner: Option<f64>,
    pub combined: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WinStatus {
    Met,
    OnTrack,
    Missed,
    Unmeasured,
    Wish,
}

impl From<WinStatus> for WinState {
    fn from(s: WinStatus) -> Self {
        match s {
            WinStatus::Met => Self::Met,
            WinStatus::OnTrack => Self::OnTrack,
            WinStatus::Missed => Self::Missed,
            WinStatus::Unmeasured => Self::Unmeasured,
            WinStatus::Wish => Self::Wish,
        }
    }
}

impl WinStatus {
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

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WinConditionScore {
    pub metric: String,
    pub target: Option<f64>,
    pub unit: String,
    pub by: Option<NaiveDate>,
    /// `"AtLeast"` (met when an actual ≥ target) or `"AtMost"` (≤ target).
    pub direction: Direction,
    pub latest_actual: Option<f64>,
    /// The month of `latest_actual`.
    #[serde(skip)]
    pub latest_month: Option<Month>,
    pub status: WinStatus,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NextReviews {
    pub monthly: Option<NaiveDate>,
    pub quarterly: Option<NaiveDate>,
    pub ninety_day: Option<NaiveDate>,
}

impl NextReviews {
    /// The soonest review still ahead (on or after `as_of`), for a "next review" column; a
    /// 90-day review date already passed is `qsr_overdue`'s business, not a next review.
    pub fn soonest(&self, as_of: NaiveDate) -> Option<NaiveDate> {
        [self.monthly, self.quarterly, self.ninety_day]
            .into_iter()
            .flatten()
            .filter(|d| *d >= as_of)
            .min()
    }
}

/// Every metric and flag of one alliance.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AllianceScores {
    pub id: String,
    pub partner: String,
    pub kind: AllianceKind,
    pub status: Status,
    pub health: Option<HealthSummary>,
    pub audit: AuditResult,
    pub arcr: Arcr,
    pub cfr: Cfr,
    pub execution_speed_days: Option<f64>,
    pub sas: Option<SasSummary>,
    pub win_conditions: Vec<WinConditionScore>,
    pub next_reviews: Option<NextReviews>,
    pub flags: Vec<Flag>,
    /// Combined SAS of every quarterly review up to as-of, oldest first (for the chart).
    #[serde(skip)]
    pub sas_history: Vec<(NaiveDate, f64)>,
    /// Indices (into the alliance's `escalations`) of the items behind `escalation_overdue`;
    /// empty whenever that flag is not raised, so a screen marking items agrees with the flag.
    #[serde(skip)]
    pub overdue_escalations: Vec<usize>,
}

impl AllianceScores {
    pub fn has_flag(&self, code: FlagCode) -> bool {
        self.flags.iter().any(|f| f.code == code)
    }

    pub fn worst_severity(&self) -> Option<Severity> {
        self.flags.iter().map(|f| f.severity).max()
    }
}

/// The evaluation date: `--as-of`, else the file's `as_of`, else today.
pub fn evaluation_date(
    portfolio: &crate::model::Portfolio,
    cli_as_of: Option<NaiveDate>,
    today: NaiveDate,
) -> NaiveDate {
    cli_as_of.or(portfolio.as_of).unwrap_or(today)
}

/// From how many alliances [`score`] uses more than one core.
const PARALLEL_FROM: usize = 2_000;

/// Score the whole portfolio as of `as_of`.
pub fn score(portfolio: &crate::model::Portfolio, as_of: NaiveDate) -> Scores {
    score_and_totals(portfolio, as_of).0
}

/// [`score`], with the [`Totals`] behind its portfolio figures, to keep up to date edit by edit.
pub fn score_and_totals(portfolio: &crate::model::Portfolio, as_of: NaiveDate) -> (Scores, Totals) {
    let latest = latest_month(portfolio, as_of);
    // One set of scratch buffers per worker: only the output allocates.
    let score_all = |chunk: crate::model::alliances::Iter<'_>| -> Vec<AllianceScores> {
        let mut scratch = metrics::Scratch::default();
        chunk
            .map(|a| score_with(portfolio, a, as_of, latest, &mut scratch))
            .collect()
    };
    // Alliances are scored independently, so a large portfolio is split across the cores; a
    // small one is not worth a thread.
    let workers = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(8);
    let alliances: Vec<AllianceScores> =
        if workers > 1 && portfolio.alliances.len() >= PARALLEL_FROM {
            let chunk = portfolio.alliances.len().div_ceil(workers);
            std::thread::scope(|scope| {
                let handles: Vec<_> = portfolio
                    .alliances
                    .chunks(chunk)
                    .map(|part| scope.spawn(move || score_all(part)))
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|h| {
                        h.join()
                            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                    })
                    .collect()
            })
        } else {
            score_all(portfolio.alliances.iter())
        };
    let totals = Totals::new(portfolio, &alliances, as_of);
    let scores = Scores {
        as_of,
        brand: portfolio.brand.clone(),
        currency: portfolio.currency.clone(),
        portfolio: totals.scores(),
        alliances,
    };
    (scores, totals)
}

/// The latest month of the brand's revenue that is not after the as-of month.
pub fn latest_month(portfolio: &crate::model::Portfolio, as_of: NaiveDate) -> Option<Month> {
    metrics::latest_up_to(&portfolio.revenue, Month::of(as_of)).map(|(m, _)| m)
}

/// Score one alliance (the brand's revenue comes from `portfolio`). Editing one alliance only
/// needs this plus [`portfolio_scores`].
pub fn score_alliance(
    portfolio: &crate::model::Portfolio,
    alliance: &crate::model::Alliance,
    as_of: NaiveDate,
) -> AllianceScores {
    let latest = latest_month(portfolio, as_of);
    score_with(
        portfolio,
        alliance,
        as_of,
        latest,
        &mut metrics::Scratch::default(),
    )
}

fn score_with(
    portfolio: &crate::model::Portfolio,
    alliance: &crate::model::Alliance,
    as_of: NaiveDate,
    latest: Option<Month>,
    scratch: &mut metrics::Scratch,
) -> AllianceScores {
    let (cfr, execution_speed_days) = metrics::cfr_and_speed(alliance, as_of, scratch);
    let (sas, sas_history) = metrics::sas(alliance, as_of);
    let mut scores = AllianceScores {
        id: alliance.id.clone(),
        partner: alliance.partner.clone(),
        kind: alliance.kind,
        status: alliance.status,
        health: metrics::health(alliance, as_of),
        audit: metrics::audit(alliance, as_of),
        arcr: metrics::arcr(&portfolio.revenue, alliance, as_of, latest),
        cfr,
        execution_speed_days,
        sas,
        win_conditions: metrics::win_conditions(alliance, as_of),
        next_reviews: metrics::next_reviews(alliance, as_of),
        flags: Vec::new(),
        sas_history,
        overdue_escalations: Vec::new(),
    };
    scores.flags = rules::flags(alliance, &scores, as_of);
    if scores.has_flag(FlagCode::EscalationOverdue) {
        scores.overdue_escalations = rules::overdue_escalations(alliance, as_of);
    }
    scores
}

/// Portfolio totals from already-scored alliances (in the portfolio's order). An edit keeps
/// them up to date through [`Totals`] instead of calling this.
pub fn portfolio_scores(
    portfolio: &crate::model::Portfolio,
    alliances: &[AllianceScores],
    as_of: NaiveDate,
) -> PortfolioScores {
    Totals::new(portfolio, alliances, as_of).scores()
}
