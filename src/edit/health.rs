//! The quick status and health edit: step an alliance's status, or set one dimension of
//! today's health score (SPEC §4 Portfolio). No value is ever made up: without any score, the
//! four dimensions are gathered first ([`complete_draft`]) and stored together.

use chrono::NaiveDate;

use crate::model::{Alliance, HealthScore, Status};

/// One of the four health dimensions, in the protocol's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dimension {
    StrategicAlignment,
    ExecutionReliability,
    RevenueContribution,
    RelationshipHealth,
}

impl Dimension {
    /// The dimensions in order.
    pub const ALL: [Self; 4] = [
        Self::StrategicAlignment,
        Self::ExecutionReliability,
        Self::RevenueContribution,
        Self::RelationshipHealth,
    ];

    /// The dimension's place in [`Dimension::ALL`] (and in a draft).
    pub fn index(self) -> usize {
        Self::ALL.iter().position(|d| *d == self).unwrap_or(0)
    }

    fn slot(self, score: &mut HealthScore) -> &mut u8 {
        match self {
            Self::StrategicAlignment => &mut score.strategic_alignment,
            Self::ExecutionReliability => &mut score.execution_reliability,
            Self::RevenueContribution => &mut score.revenue_contribution,
            Self::RelationshipHealth => &mut score.relationship_health,
        }
    }
}

/// A change to a 1–5 value: a step up or down, or a value typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Step(i8),
    Set(u8),
}

impl Change {
    /// The value after the change; a step on a dimension not given yet starts in the middle.
    pub fn apply(self, current: Option<u8>) -> u8 {
        match (current, self) {
            (_, Self::Set(v)) => v.clamp(1, 5),
            (Some(v), Self::Step(step)) => {
                u8::try_from((i16::from(v) + i16::from(step)).clamp(1, 5)).unwrap_or(3)
            }
            (None, Self::Step(_)) => 3,
        }
    }
}

/// The status `step` places along [`Status::ALL`] from `current`, wrapping round.
pub fn step_status(current: Status, step: i8) -> Status {
    let n = i64::try_from(Status::ALL.len()).unwrap_or(1);
    let i = Status::ALL.iter().position(|s| *s == current).unwrap_or(0);
    let i = i64::try_from(i).unwrap_or(0);
    let next = usize::try_from((i + i64::from(step)).rem_euclid(n)).unwrap_or(0);
    Status::ALL[next]
}

/// The health score after `change` to `dimension`: today's (as-of) score, or one started from
/// the latest score. `None` (with the prior score absent) when the alliance has no score yet.
/// Returns the prior score and the next one.
pub fn changed_health(
    alliance: &Alliance,
    as_of: NaiveDate,
    dimension: Dimension,
    change: Change,
) -> Option<(HealthScore, HealthScore)> {
    let prior = *alliance.latest_health(as_of)?;
    let mut next = HealthScore {
        date: as_of,
        ..prior
    };
    let slot = dimension.slot(&mut next);
    *slot = change.apply(Some(*slot));
    Some((prior, next))
}

/// Store `score` as the alliance's score for its date: replace that day's, or add it.
pub fn record_health(alliance: &mut Alliance, score: HealthScore) {
    match alliance
        .health
        .iter_mut()
        .rev()
        .find(|h| h.date == score.date)
    {
        Some(same_day) => *same_day = score,
        None => alliance.health.push(score),
    }
}

/// The score a draft of four dimensions makes once all four are given.
pub fn complete_draft(draft: [Option<u8>; 4], as_of: NaiveDate) -> Option<HealthScore> {
    let [
        Some(strategic_alignment),
        Some(execution_reliability),
        Some(revenue_contribution),
        Some(relationship_health),
    ] = draft
    else {
        return None;
    };
    Some(HealthScore {
        date: as_of,
        strategic_alignment,
        execution_reliability,
        revenue_contribution,
        relationship_health,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_wrap_and_values_stay_in_one_to_five() {
        assert_eq!(
            step_status(Status::ALL[0], -1),
            Status::ALL[Status::ALL.len() - 1]
        );
        assert_eq!(step_status(Status::ALL[0], 1), Status::ALL[1]);
        assert_eq!(Change::Step(1).apply(Some(5)), 5);
        assert_eq!(Change::Step(-1).apply(Some(1)), 1);
        assert_eq!(
            Change::Step(1).apply(None),
            3,
            "an ungiven dimension starts mid-way"
        );
        assert_eq!(Change::Set(9).apply(Some(2)), 5);
    }

    #[test]
    fn a_draft_is_a_score_only_once_all_four_are_given() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 15).unwrap_or_default();
        assert_eq!(complete_draft([Some(3), None, Some(4), Some(5)], day), None);
        let score = complete_draft([Some(3), Some(2), Some(4), Some(5)], day);
        assert_eq!(score.map(|s| s.total()), Some(14));
    }
}
