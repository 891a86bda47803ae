//! The Portfolio tab's quick filter, cycled with `f`: flagged only, active only, due this
//! week, all (issue 12 item 9).

use chrono::{Days, NaiveDate};

use crate::model::{Alliance, CommitmentState, Status};
use crate::score::AllianceScores;

/// Which alliances the table shows, on top of the `/` text filter.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Quick {
    #[default]
    All,
    Flagged,
    Active,
    DueThisWeek,
}

impl Quick {
    /// The next filter in the cycle.
    #[must_use]
    pub fn next(self) -> Self {
        match self {
            Self::All => Self::Flagged,
            Self::Flagged => Self::Active,
            Self::Active => Self::DueThisWeek,
            Self::DueThisWeek => Self::All,
        }
    }

    /// How the table title and the status line name it.
    pub fn label(self) -> &'static str {
        match self {
            Self::All => "all alliances",
            Self::Flagged => "flagged only",
            Self::Active => "active only",
            Self::DueThisWeek => "due this week",
        }
    }

    /// Whether `alliance` passes. "Due this week": a review, or an open commitment, due in
    /// the seven days from `as_of`, or already overdue.
    pub fn keeps(self, alliance: &Alliance, scores: &AllianceScores, as_of: NaiveDate) -> bool {
        let week_end = as_of.checked_add_days(Days::new(7)).unwrap_or(as_of);
        match self {
            Self::All => true,
            Self::Flagged => !scores.flags.is_empty(),
            Self::Active => alliance.status == Status::Active,
            Self::DueThisWeek => {
                let review = scores
                    .next_reviews
                    .as_ref()
                    .and_then(|n| n.soonest(as_of))
                    .is_some_and(|d| d <= week_end);
                let commitment = alliance.commitments.iter().any(|c| match c.state(as_of) {
                    CommitmentState::Overdue => true,
                    CommitmentState::Open => c.due <= week_end,
                    CommitmentState::Done | CommitmentState::DoneLate => false,
                });
                review || commitment
            }
        }
    }
}
