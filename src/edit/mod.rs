//! Domain edits as typed commands, shared by every front end (the workspace's popups, the
//! command line): commitment done dates, storing a review with its figures, health scores,
//! portfolio settings ([`settings`]) and an alliance's details ([`alliance`]).
//! Charter field edits live with the charter ([`crate::charter::edit`]).

pub mod alliance;
pub mod health;
pub mod settings;

use chrono::NaiveDate;

use crate::model::{Alliance, Portfolio, Review};

/// Why an edit was refused. `Display` is a sentence for the user, naming the record.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("no alliance {0:?}")]
    UnknownAlliance(String),
    #[error("{alliance}: no commitment #{id}")]
    UnknownCommitment { alliance: String, id: u32 },
    /// A done date in the future of the evaluation date has not happened yet.
    #[error("{alliance}: commitment #{id} cannot be done on {done}, after the as-of date {as_of}")]
    DoneAfterAsOf {
        alliance: String,
        id: u32,
        done: NaiveDate,
        as_of: NaiveDate,
    },
}

/// Mark commitment `id` of `alliance` done on `done` (back-dating allowed: a task finished on
/// time but ticked a week later keeps its on-time date), or open again with `None`.
///
/// A done date after `as_of` is refused and nothing changes. (The file does not record when a
/// commitment was created, so there is no earlier bound to check.)
pub fn set_commitment_done(
    alliance: &mut Alliance,
    id: u32,
    done: Option<NaiveDate>,
    as_of: NaiveDate,
) -> Result<(), EditError> {
    let name = alliance.id.clone();
    let commitment = alliance
        .commitments
        .iter_mut()
        .find(|c| c.id == id)
        .ok_or_else(|| EditError::UnknownCommitment {
            alliance: name.clone(),
            id,
        })?;
    if let Some(d) = done
        && d > as_of
    {
        return Err(EditError::DoneAfterAsOf {
            alliance: name,
            id,
            done: d,
            as_of,
        });
    }
    commitment.done = done;
    Ok(())
}

/// Store `review` in alliance `alliance_id` with the figures it showed: those of the alliance
/// as of `as_of` (SPEC §6: a stored review is a record). Figures already on the review (a
/// wizard that kept the ones it displayed) are kept. Returns the review's index.
pub fn store_review(
    portfolio: &mut Portfolio,
    alliance_id: &str,
    mut review: Review,
    as_of: NaiveDate,
) -> Result<usize, EditError> {
    let index = portfolio
        .alliance_index(alliance_id)
        .ok_or_else(|| EditError::UnknownAlliance(alliance_id.to_owned()))?;
    if review.figures().is_none() {
        let figures = crate::score::figures_now(portfolio, &portfolio.alliances[index], as_of);
        review.set_figures(Some(figures));
    }
    let reviews = &mut portfolio.alliances[index].reviews;
    reviews.push(review);
    Ok(reviews.len() - 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AllianceKind, Commitment, Party};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn alliance() -> Alliance {
        let mut a = Alliance::new("glow", "Glow", AllianceKind::CoMarketing, d("2026-01-01"));
        a.commitments = vec![
            Commitment {
                id: 1,
                party: Party::Us,
                action: "Landing page".into(),
                due: d("2026-11-05"),
                done: None,
            },
            Commitment {
                id: 2,
                party: Party::Partner,
                action: "Email".into(),
                due: d("2026-11-06"),
                done: Some(d("2026-11-06")),
            },
        ];
        a
    }

    #[test]
    fn a_back_dated_done_date_counts_as_on_time() {
        let as_of = d("2026-11-15");
        let p = Portfolio::empty("B");
        let mut a = alliance();
        // Ticked today, a week after it was due: late.
        set_commitment_done(&mut a, 1, Some(as_of), as_of).unwrap();
        let late = crate::score::score_alliance(&p, &a, as_of);
        // Back-dated to the day it was really done: on time.
        set_commitment_done(&mut a, 1, Some(d("2026-11-04")), as_of).unwrap();
        let on_time = crate::score::score_alliance(&p, &a, as_of);
        assert_eq!(late.execution_speed_days, Some(5.0), "median of 10 and 0");
        assert_eq!(
            on_time.execution_speed_days,
            Some(-0.5),
            "median of -1 and 0"
        );
        // Done after as-of does not count; done on or before does.
        let mut open = alliance();
        let before = crate::score::score_alliance(&p, &open, d("2026-11-05"));
        set_commitment_done(&mut open, 1, Some(d("2026-11-05")), d("2026-11-05")).unwrap();
        let after = crate::score::score_alliance(&p, &open, d("2026-11-05"));
        assert_eq!(before.cfr.trailing_30d.us, Some(0.0));
        assert_eq!(after.cfr.trailing_30d.us, Some(1.0));
    }

    #[test]
    fn a_done_date_after_as_of_is_refused_and_nothing_changes() {
        let mut a = alliance();
        let before = a.clone();
        let e = set_commitment_done(&mut a, 1, Some(d("2026-11-16")), d("2026-11-15")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "glow: commitment #1 cannot be done on 2026-11-16, after the as-of date 2026-11-15"
        );
        assert_eq!(a, before);
        assert_eq!(
            set_commitment_done(&mut a, 9, None, d("2026-11-15")),
            Err(EditError::UnknownCommitment {
                alliance: "glow".into(),
                id: 9
            })
        );
        set_commitment_done(&mut a, 2, None, d("2026-11-15")).unwrap();
        assert_eq!(a.commitments[1].done, None, "reopened");
    }

    #[test]
    fn a_stored_review_keeps_the_figures_it_showed() {
        let mut p = Portfolio::empty("B");
        p.revenue.insert("2026-10".parse().unwrap(), 100_000.0);
        let mut a = alliance();
        a.revenue.insert("2026-10".parse().unwrap(), 2_000.0);
        p.alliances.push(a);
        let review = Review::Monthly {
            date: d("2026-11-15"),
            kpis: String::new(),
            blockers: String::new(),
            next_month: String::new(),
            escalations: String::new(),
            summary_sent: None,
            figures: None,
        };
        let i = store_review(&mut p, "glow", review, d("2026-11-15")).unwrap();
        // Numbers entered after the meeting do not change the record.
        p.alliances[0]
            .revenue
            .insert("2026-10".parse().unwrap(), 9_000.0);
        let stored = p.alliances[0].reviews[i].figures().unwrap();
        assert!((stored.arcr.unwrap().value - 0.02).abs() < 1e-12);
        assert_eq!(
            store_review(&mut p, "nope", a_qsr(), d("2026-11-15")),
            Err(EditError::UnknownAlliance("nope".into()))
        );
    }

    fn a_qsr() -> Review {
        Review::Quarterly {
            date: d("2026-11-15"),
            still_aligned: String::new(),
            environment: String::new(),
            scope: None,
            opportunities: String::new(),
            sas_us: crate::model::Sas {
                strategy: 7,
                enter_again: 7,
                trust: 7,
            },
            sas_partner: None,
            figures: None,
        }
    }
}
