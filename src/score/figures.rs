//! The figures a review shows (SPEC §6): computed when a wizard stores the review, and
//! recomputed *as known on its date* for a review stored without them.
//!
//! Both are the scoring engine's numbers, so a review and the dashboard can never disagree on
//! what a figure means; only the evidence they see differs.

use chrono::NaiveDate;

use crate::model::{Alliance, CfrFigures, Figures, Month, MonthFigure, Portfolio, WinFigure};

use super::{AllianceScores, score_alliance};

/// The figures of `alliance` as of `as_of`, from everything in the file: what a wizard stores
/// in a review it writes on `as_of`.
pub fn figures_now(portfolio: &Portfolio, alliance: &Alliance, as_of: NaiveDate) -> Figures {
    from_scores(&score_alliance(portfolio, alliance, as_of))
}

/// The figures of `alliance` as they were known on `date`: monthly values (brand and alliance
/// revenue, win-condition actuals) of months before `date`'s month only — a month that had not
/// ended was not known — and commitments, health scores and reviews dated on or before `date`.
/// For reviews stored without figures (written by hand or before figures were stored).
pub fn figures_as_known_on(portfolio: &Portfolio, alliance: &Alliance, date: NaiveDate) -> Figures {
    let month = Month::of(date);
    // Only the brand's revenue is read from the portfolio, so a bare copy of it will do: the
    // other alliances are not cloned.
    let brand = Portfolio {
        revenue: portfolio
            .revenue
            .range(..month)
            .map(|(m, v)| (*m, *v))
            .collect(),
        alliances: crate::model::Alliances::new(),
        pipeline: Vec::new(),
        ..Portfolio::empty(&portfolio.brand)
    };
    let mut known = Alliance {
        revenue: alliance
            .revenue
            .range(..month)
            .map(|(m, v)| (*m, *v))
            .collect(),
        charter: None,
        ..alliance.clone()
    };
    if let Some(charter) = &alliance.charter {
        let mut charter = charter.clone();
        for w in &mut charter.win_conditions {
            w.actuals = w.actuals.range(..month).map(|(m, v)| (*m, *v)).collect();
        }
        known.charter = Some(charter);
    }
    // Commitments, health scores and reviews dated after `date` are already ignored by a
    // score as of `date`.
    from_scores(&score_alliance(&brand, &known, date))
}

/// The figures a review shows: stored ones when it has them, else recomputed as known on its
/// date; the flag says which (`true`: recomputed, to be shown under a line saying so).
pub fn review_figures(
    portfolio: &Portfolio,
    alliance: &Alliance,
    review: &crate::model::Review,
) -> (Figures, bool) {
    match review.figures() {
        Some(f) => (f.clone(), false),
        None => (
            figures_as_known_on(portfolio, alliance, review.date()),
            true,
        ),
    }
}

fn from_scores(scores: &AllianceScores) -> Figures {
    let arcr = match (scores.arcr.month, scores.arcr.latest) {
        (Some(month), Some(value)) => Some(MonthFigure { month, value }),
        _ => None,
    };
    let t = &scores.cfr.trailing_30d;
    let win_conditions = scores
        .win_conditions
        .iter()
        .map(|w| WinFigure {
            metric: w.metric.clone(),
            target: w.target,
            unit: w.unit.clone(),
            by: w.by,
            direction: w.direction,
            latest: w
                .latest_month
                .zip(w.latest_actual)
                .map(|(month, value)| MonthFigure { month, value }),
            status: w.status.into(),
        })
        .collect();
    Figures {
        arcr,
        cfr_30d: CfrFigures {
            us: t.us,
            partner: t.partner,
            all: t.all,
        },
        health: scores
            .health
            .as_ref()
            .and_then(|h| u8::try_from(h.total).ok()),
        win_conditions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        AllianceKind, Charter, Commitment, HealthScore, Party, Review, WinCondition, WinState,
    };

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn m(s: &str) -> Month {
        s.parse().unwrap()
    }

    fn portfolio() -> Portfolio {
        let mut p = Portfolio::empty("B");
        for (month, v) in [
            ("2026-09", 100_000.0),
            ("2026-10", 100_000.0),
            ("2026-11", 100_000.0),
        ] {
            p.revenue.insert(m(month), v);
        }
        let mut a = Alliance::new("glow", "Glow", AllianceKind::CoMarketing, d("2026-01-01"));
        a.revenue = [
            (m("2026-09"), 1_000.0),
            (m("2026-10"), 2_000.0),
            (m("2026-11"), 3_000.0),
        ]
        .into_iter()
        .collect();
        a.charter = Some(Charter {
            win_conditions: vec![WinCondition {
                metric: "Referral revenue".into(),
                target: Some(2_500.0),
                by: Some(d("2026-12-31")),
                actuals: [(m("2026-10"), 2_000.0), (m("2026-11"), 3_000.0)]
                    .into_iter()
                    .collect(),
                ..WinCondition::default()
            }],
            ..Charter::default()
        });
        let health = |date: &str, v: u8| HealthScore {
            date: d(date),
            strategic_alignment: v,
            execution_reliability: v,
            revenue_contribution: v,
            relationship_health: v,
        };
        a.health = vec![health("2026-11-01", 3), health("2026-11-20", 5)];
        a.commitments = vec![Commitment {
            id: 1,
            party: Party::Partner,
            action: "Email".into(),
            due: d("2026-11-05"),
            done: Some(d("2026-11-14")),
        }];
        p.alliances.push(a);
        p
    }

    #[test]
    fn as_known_on_sees_only_ended_months_and_earlier_records() {
        let p = portfolio();
        let a = &p.alliances[0];
        let f = figures_as_known_on(&p, a, d("2026-11-12"));
        assert_eq!(
            f.arcr,
            Some(MonthFigure {
                month: m("2026-10"),
                value: 0.02
            }),
            "November had not ended"
        );
        assert_eq!(f.health, Some(12), "the later health score did not exist");
        assert_eq!(f.cfr_30d.partner, Some(0.0), "done only on the 14th");
        let w = &f.win_conditions[0];
        assert_eq!(
            w.latest,
            Some(MonthFigure {
                month: m("2026-10"),
                value: 2_000.0
            })
        );
        assert_eq!(w.status, WinState::OnTrack, "November's 3000 was not known");

        let now = figures_now(&p, a, d("2026-11-25"));
        assert_eq!(now.arcr.unwrap().month, m("2026-11"));
        assert_eq!(now.health, Some(20));
        assert_eq!(now.cfr_30d.partner, Some(1.0));
        assert_eq!(now.win_conditions[0].status, WinState::Met);
    }

    #[test]
    fn a_review_shows_stored_figures_else_says_they_are_recomputed() {
        let mut p = portfolio();
        let review = Review::Monthly {
            date: d("2026-11-12"),
            kpis: String::new(),
            blockers: String::new(),
            next_month: String::new(),
            escalations: String::new(),
            summary_sent: None,
            figures: None,
        };
        let (recomputed, is_recomputed) = review_figures(&p, &p.alliances[0], &review);
        assert!(is_recomputed);
        assert_eq!(recomputed.arcr.unwrap().month, m("2026-10"));
        let mut stored = review.clone();
        stored.set_figures(Some(figures_now(&p, &p.alliances[0], d("2026-11-12"))));
        // Numbers entered later change nothing in the stored record.
        p.alliances[0].revenue.insert(m("2026-11"), 9_999.0);
        let (shown, is_recomputed) = review_figures(&p, &p.alliances[0], &stored);
        assert!(!is_recomputed);
        assert_eq!(shown, *stored.figures().unwrap());
        assert!((shown.arcr.unwrap().value - 0.03).abs() < 1e-12);
    }
}
