//! The JSON export: exactly the `score --json` object (the serde shape of [`Scores`], plus the
//! portfolio's `outcomes`).

use serde::Serialize;

use crate::model::Portfolio;
use crate::score::Scores;
use crate::score::outcomes::{self, Outcomes};

/// The `score --json` object: the scores with the portfolio's outcomes beside them.
#[derive(Serialize)]
struct WithOutcomes<'a> {
    #[serde(flatten)]
    scores: &'a Scores,
    outcomes: Outcomes,
}

/// The whole `score --json` text of `portfolio` scored as `scores`: [`to_json`] plus
/// `"outcomes"` (lifespans, median lifespan governed vs not, goal attainment per quarter,
/// alliance share per month, top contributors), always of the whole portfolio.
pub fn score_json(portfolio: &Portfolio, scores: &Scores) -> String {
    let value = WithOutcomes {
        scores,
        outcomes: outcomes::outcomes(portfolio, scores.as_of),
    };
    // Only strings, numbers, dates and plain enums: serializing cannot fail.
    let mut s = serde_json::to_string_pretty(&value).unwrap_or_default();
    s.push('\n');
    s
}

/// `serde_json::to_string_pretty(scores)` plus a final newline.
pub fn to_json(scores: &Scores) -> String {
    // Scores holds only strings, numbers, dates and plain enums: serializing cannot fail.
    let mut s = serde_json::to_string_pretty(scores).unwrap_or_default();
    s.push('\n');
    s
}

/// The scores restricted to one alliance when `alliance` is given (same shape).
pub fn only(scores: &Scores, alliance: Option<&str>) -> Scores {
    let mut s = scores.clone();
    if let Some(id) = alliance {
        s.alliances.retain(|a| a.id == id);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Portfolio;

    #[test]
    fn json_has_the_schema_keys_and_nulls() {
        let p = Portfolio::empty("B");
        let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 15).unwrap();
        let v: serde_json::Value =
            serde_json::from_str(&to_json(&crate::score::score(&p, as_of))).unwrap();
        for key in ["as_of", "brand", "currency", "portfolio", "alliances"] {
            assert!(v.get(key).is_some(), "{key}");
        }
        assert_eq!(v["as_of"], "2026-11-15");
        assert!(v["portfolio"]["alliance_share"].is_null());
    }

    #[test]
    fn score_json_adds_outcomes() {
        let p = Portfolio::empty("B");
        let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 15).unwrap();
        let v: serde_json::Value =
            serde_json::from_str(&score_json(&p, &crate::score::score(&p, as_of))).unwrap();
        assert_eq!(v["as_of"], "2026-11-15");
        let o = &v["outcomes"];
        for key in [
            "lifespans",
            "median_lifespan_months",
            "goal_attainment_by_quarter",
            "alliance_share_by_month",
            "top_contributors",
        ] {
            assert!(o.get(key).is_some(), "{key}");
        }
        assert!(o["median_lifespan_months"]["governed"].is_null());
    }
}
