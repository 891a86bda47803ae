//! Exports: csv, markdown, ics, json — each a pure function of the portfolio and its scores.
//!
//! Nothing here does IO: every exporter returns a `String`; the CLI writes it to stdout or,
//! atomically, to `--out`.

pub mod csv;
pub mod html;
pub mod ics;
pub mod json;
pub mod markdown;
pub mod text;

use chrono::{NaiveDate, NaiveDateTime};

use crate::model::Portfolio;
use crate::score::{AllianceScores, Scores};

/// How a missing value is written: never a made-up 0.
pub const MISSING: &str = "—";

/// A fraction as a percentage with `decimals` places, or [`MISSING`].
pub fn pct(v: Option<f64>, decimals: usize) -> String {
    v.map_or_else(
        || MISSING.to_owned(),
        // `+ 0.0` so that a -0.0 never reads "-0.0%".
        |v| format!("{:.*}%", decimals, v * 100.0 + 0.0),
    )
}

/// A value, or [`MISSING`].
pub fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(|| MISSING.to_owned(), |v| v.to_string())
}

/// Column titles of the one-line alliance summary (the `score` table, the Markdown report).
pub const SUMMARY_HEADERS: [&str; 8] = [
    "Partner",
    "Kind",
    "Status",
    "Health",
    "ARCR",
    "CFR 30d",
    "SAS",
    "Next review",
];

/// The cells under [`SUMMARY_HEADERS`] for one alliance.
pub fn summary_cells(a: &AllianceScores, as_of: NaiveDate) -> [String; 8] {
    [
        a.partner.clone(),
        a.kind.label().to_owned(),
        a.status.label().to_owned(),
        opt(a.health.as_ref().map(|h| format!("{}/20", h.total))),
        pct(a.arcr.latest, 1),
        pct(a.cfr.trailing_30d.all, 0),
        opt(a.sas.as_ref().map(|x| format!("{:.1}", x.combined))),
        opt(a.next_reviews.as_ref().and_then(|n| n.soonest(as_of))),
    ]
}

/// Where a portfolio alliance share stands against the 15–25% target band.
pub fn band_word(share: f64) -> &'static str {
    if share < 0.15 {
        "below the 15–25% band"
    } else if share > 0.25 {
        "above the 15–25% band"
    } else {
        "within the 15–25% band"
    }
}

/// An export format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One row per alliance with its metrics (RFC 4180).
    Csv,
    /// A portfolio report, a partner-safe one-alliance report, or one review's summary.
    Md,
    /// An RFC 5545 calendar of upcoming reviews.
    Ics,
    /// The `score --json` object.
    Json,
}

/// What to export beyond the format.
#[derive(Clone, Debug)]
pub struct ExportOptions<'a> {
    /// Only this alliance (for Markdown: the partner-safe report).
    pub alliance: Option<&'a str>,
    /// Markdown with `alliance`: the summary of the review stored on this date.
    pub review: Option<NaiveDate>,
    /// The calendar's DTSTAMP (UTC), passed in so that exporters stay pure.
    pub dtstamp: NaiveDateTime,
}

/// Why an export could not be produced.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    #[error("no alliance {0:?}")]
    UnknownAlliance(String),
    #[error("no review of {alliance:?} on {date}")]
    NoReview { alliance: String, date: NaiveDate },
    #[error("a review summary needs --format md --alliance ID")]
    ReviewNeedsAlliance,
}

/// Produce `format` for `portfolio` scored as `scores`.
pub fn export(
    format: Format,
    portfolio: &Portfolio,
    scores: &Scores,
    opts: &ExportOptions<'_>,
) -> Result<String, ExportError> {
    if let Some(id) = opts.alliance
        && portfolio.alliance(id).is_none()
    {
        return Err(ExportError::UnknownAlliance(id.to_owned()));
    }
    if opts.review.is_some() && (format != Format::Md || opts.alliance.is_none()) {
        return Err(ExportError::ReviewNeedsAlliance);
    }
    Ok(match format {
        Format::Csv => csv::to_csv(scores, opts.alliance),
        Format::Json => json::score_json(portfolio, &json::only(scores, opts.alliance)),
        Format::Ics => ics::to_ics(portfolio, scores.as_of, opts.alliance, opts.dtstamp),
        Format::Md => match (opts.alliance, opts.review) {
            (Some(id), Some(date)) => markdown::review_summary(portfolio, id, date)?,
            (Some(id), None) => markdown::alliance_report(portfolio, scores, id)?,
            _ => markdown::portfolio_report(portfolio, scores),
        },
    })
}

/// Hand-built portfolios and scores for the exporters' tests (the engine is not needed).
#[cfg(test)]
pub(crate) mod testdata {
    use chrono::NaiveDate;

    use crate::model::{
        Alliance, AllianceKind, Cadence, Charter, Commitment, Contact, Escalation, HealthScore,
        Party, Portfolio, Review, Sas, Scope, Status, WinCondition,
    };
    use crate::score::{
        AllianceScores, Arcr, AuditResult, AuditState, Cfr, CfrMonth, CfrSplit, Flag, FlagCode,
        FlagCounts, HealthSummary, MonthValue, NextReviews, PortfolioScores, SasSummary, Scores,
        Severity, WinConditionScore, WinStatus,
    };

    pub fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn empty_scores(a: &Alliance) -> AllianceScores {
        AllianceScores {
            id: a.id.clone(),
            partner: a.partner.clone(),
            kind: a.kind,
            status: a.status,
            health: None,
            audit: AuditResult {
                answers_yes: 0,
                state: AuditState::Dead,
                goal: false,
                written_agreement: false,
                structured_review: false,
                number: false,
            },
            arcr: Arcr {
                latest: None,
                month: None,
                series: Vec::new(),
            },
            cfr: Cfr {
                trailing_30d: CfrSplit {
                    us: None,
                    partner: None,
                    all: None,
                    counts: [(0, 0); 3],
                },
                monthly: Vec::new(),
            },
            execution_speed_days: None,
            sas: None,
            win_conditions: Vec::new(),
            next_reviews: None,
            flags: Vec::new(),
            sas_history: Vec::new(),
            overdue_escalations: Vec::new(),
        }
    }

    /// "glow": an active alliance with a full charter, reviews and flags; "quiet": a proposed
    /// one with nothing scored, a formula-like and pipe-bearing partner name and internal notes.
    pub fn portfolio_and_scores() -> (Portfolio, Scores) {
        let mut p = Portfolio::empty("Northwind Goods");
        p.revenue.insert("2026-09".parse().unwrap(), 400_000.0);
        p.revenue.insert("2026-10".parse().unwrap(), 418_000.0);
        let mut glow = Alliance::new(
            "glow",
            "Glow & Co",
            AllianceKind::CoMarketing,
            d("2025-11-01"),
        );
        glow.status = Status::Active;
        glow.notes = "INTERNAL-GLOW-NOTE".to_owned();
        glow.charter = Some(Charter {
            win_conditions: vec![
                WinCondition {
                    direction: crate::model::Direction::AtLeast,
                    metric: "Referral revenue".to_owned(),
                    target: Some(50_000.0),
                    unit: "USD/month".to_owned(),
                    by: Some(d("2026-06-30")),
                    owner: Party::Partner,
                    actuals: [("2026-06".parse().unwrap(), 52_500.0)]
                        .into_iter()
                        .collect(),
                },
                WinCondition {
                    metric: "Brand | awareness".to_owned(),
                    ..WinCondition::default()
                },
            ],
            cadence: Cadence {
                weekly_channel: "#glow-northwind".to_owned(),
                monthly_review_day: Some(15),
                quarterly_review_months: vec![1, 4, 7, 10],
            },
            dashboard: "https://example.com/sheet;v=1, tab 2".to_owned(),
            escalation: Escalation {
                contacts: vec![Contact {
                    name: "Dana Lee".to_owned(),
                    role: "Head of Partnerships".to_owned(),
                    party: Party::Us,
                    email: "dana@northwind.example".to_owned(),
                    authority: "Budget up to $10k".to_owned(),
                }],
                triggers: vec!["CFR below 70% in any month".to_owned()],
                resolution_days: 10,
            },
            review_date: Some(d("2026-12-01")),
            signed: Some(d("2025-11-03")),
        });
        glow.health.push(HealthScore {
            date: d("2026-09-20"),
            strategic_alignment: 4,
            execution_reliability: 3,
            revenue_contribution: 2,
            relationship_health: 4,
        });
        glow.revenue.insert("2026-10".parse().unwrap(), 7_900.0);
        glow.commitments = vec![
            Commitment {
                id: 1,
                party: Party::Partner,
                action: "Email blast to 40k list".to_owned(),
                due: d("2026-10-05"),
                done: Some(d("2026-10-04")),
            },
            Commitment {
                id: 2,
                party: Party::Us,
                action: "Ship co-branded | bundle".to_owned(),
                due: d("2026-11-20"),
                done: None,
            },
        ];
        glow.reviews = vec![
            Review::Monthly {
                figures: None,
                date: d("2026-10-15"),
                kpis: "ARCR 1.9%".to_owned(),
                blockers: "Shelf space".to_owned(),
                next_month: "Holiday bundle".to_owned(),
                escalations: "None".to_owned(),
                summary_sent: Some(d("2026-10-16")),
            },
            Review::Quarterly {
                figures: None,
                date: d("2026-10-20"),
                still_aligned: "Yes, core to Q1".to_owned(),
                environment: "A competitor launched".to_owned(),
                scope: Some(Scope::Maintain),
                opportunities: "Wholesale".to_owned(),
                sas_us: Sas {
                    strategy: 7,
                    enter_again: 6,
                    trust: 8,
                },
                sas_partner: Some(Sas {
                    strategy: 5,
                    enter_again: 5,
                    trust: 5,
                }),
            },
        ];
        let mut quiet = Alliance::new(
            "quiet",
            "=Quiet | Ltd",
            AllianceKind::Wholesale,
            d("2026-09-01"),
        );
        quiet.notes = "INTERNAL-QUIET-NOTE".to_owned();
        quiet.revenue.insert("2026-10".parse().unwrap(), 1_234.0);
        p.alliances = vec![glow, quiet].into();

        let mut g = empty_scores(&p.alliances[0]);
        g.health = Some(HealthSummary {
            date: d("2026-09-20"),
            total: 13,
        });
        g.audit = AuditResult {
            answers_yes: 4,
            state: AuditState::Alive,
            goal: true,
            written_agreement: true,
            structured_review: true,
            number: true,
        };
        g.arcr = Arcr {
            latest: Some(0.0189),
            month: Some("2026-10".parse().unwrap()),
            series: vec![
                MonthValue {
                    month: "2026-09".parse().unwrap(),
                    value: 0.02,
                },
                MonthValue {
                    month: "2026-10".parse().unwrap(),
                    value: 0.0189,
                },
            ],
        };
        g.cfr = Cfr {
            trailing_30d: CfrSplit {
                us: Some(1.0),
                partner: Some(0.5),
                all: Some(0.75),
                counts: [(2, 2), (1, 2), (3, 4)],
            },
            monthly: vec![CfrMonth {
                month: "2026-10".parse().unwrap(),
                us: None,
                partner: Some(1.0),
                all: Some(1.0),
            }],
        };
        g.execution_speed_days = Some(-1.5);
        g.sas = Some(SasSummary {
            date: d("2026-10-20"),
            us: 7.0,
            partner: Some(5.0),
            combined: 6.0,
        });
        g.win_conditions = vec![
            WinConditionScore {
                metric: "Referral revenue".to_owned(),
                target: Some(50_000.0),
                unit: "USD/month".to_owned(),
                by: Some(d("2026-06-30")),
                direction: crate::model::Direction::AtLeast,
                latest_actual: Some(52_500.0),
                latest_month: Some("2026-06".parse().unwrap()),
                status: WinStatus::Met,
            },
            WinConditionScore {
                metric: "Brand | awareness".to_owned(),
                target: None,
                unit: String::new(),
                by: None,
                direction: crate::model::Direction::AtLeast,
                latest_actual: None,
                latest_month: None,
                status: WinStatus::Wish,
            },
        ];
        g.next_reviews = Some(NextReviews {
            monthly: Some(d("2026-11-15")),
            quarterly: Some(d("2027-01-15")),
            ninety_day: Some(d("2026-12-01")),
        });
        g.flags = vec![
            Flag {
                code: FlagCode::CfrRed,
                severity: Severity::Warn,
                message: "CFR 62% and 55% in 2026-09, 2026-10 (< 70%)".to_owned(),
            },
            Flag {
                code: FlagCode::SasExit,
                severity: Severity::Critical,
                message: "partner SAS 5.0 < 6".to_owned(),
            },
        ];
        let q = empty_scores(&p.alliances[1]);
        let scores = Scores {
            as_of: d("2026-11-15"),
            brand: p.brand.clone(),
            currency: p.currency.clone(),
            portfolio: PortfolioScores {
                latest_month: Some("2026-10".parse().unwrap()),
                alliance_share: Some(0.0219),
                active: 1,
                goal_attainment: Some(1.0),
                flag_counts: FlagCounts {
                    warn: 1,
                    critical: 1,
                },
            },
            alliances: vec![g, q],
        };
        (p, scores)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_percentage_is_never_negative_zero() {
        assert_eq!(super::pct(Some(-0.0), 1), "0.0%");
        assert_eq!(super::pct(Some(0.0), 0), "0%");
        assert_eq!(super::pct(Some(0.123), 1), "12.3%");
        assert_eq!(super::pct(None, 1), super::MISSING);
    }
}
