//! The JSON export: exactly the `score --json` object (the serde shape of [`Scores`]).

use crate::score::Scores;

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
}
