use chrono::NaiveDate;

use super::*;
use crate::model::{
    AllianceKind, Charter, Commitment, EscalationItem, HealthScore, Intake, Measure, Month, Party,
    Status,
};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn m(s: &str) -> Month {
    s.parse().unwrap()
}

fn base() -> Portfolio {
    let mut p = Portfolio::empty("Northwind");
    let mut a = Alliance::new(
        "glow",
        "Glow & Co",
        AllianceKind::CoMarketing,
        d("2025-11-01"),
    );
    a.status = Status::Active;
    p.alliances.push(a);
    p
}

/// The diagnostics as `place: level: message` lines.
fn lines(p: &Portfolio) -> Vec<String> {
    validate(p).iter().map(ToString::to_string).collect()
}

fn only(p: &Portfolio, level: Level, place: &str, words: &str) {
    let all = validate(p);
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_eq!(all[0].level, level);
    assert_eq!(all[0].place, place);
    assert!(all[0].message.contains(words), "{:?}", all[0].message);
}

#[test]
fn a_clean_portfolio_has_no_diagnostics() {
    assert!(validate(&base()).is_empty());
    assert!(validate(&Portfolio::empty("B")).is_empty());
}

#[test]
fn version_must_be_one() {
    let mut p = base();
    p.version = 2;
    only(&p, Level::Error, "version", "version 2 is not supported");
}

#[test]
fn brand_and_partner_names_must_not_be_empty() {
    let mut p = base();
    p.brand = "  ".into();
    p.alliances[0].partner = String::new();
    assert_eq!(
        lines(&p),
        [
            "brand: error: the brand name is empty",
            "alliance \"glow\" › partner: error: the partner name is empty"
        ]
    );
}

#[test]
fn alliance_ids_are_checked() {
    let mut p = base();
    p.alliances[0].id = "Glow_1".into();
    only(&p, Level::Error, "alliance \"Glow_1\" › id", "lowercase");
    p.alliances[0].id = String::new();
    only(&p, Level::Error, "alliances[1] › id", "empty");
    p.alliances[0].id = "ok-1".into();
    assert!(validate(&p).is_empty());
}

#[test]
fn duplicate_alliance_ids() {
    let mut p = base();
    let again = p.alliances[0].clone();
    p.alliances.push(again);
    only(
        &p,
        Level::Error,
        "alliances[2] › id",
        "duplicate alliance id \"glow\"",
    );
}

#[test]
fn health_scores_between_one_and_five() {
    let mut p = base();
    let h = |v| HealthScore {
        date: d("2025-11-20"),
        strategic_alignment: v,
        execution_reliability: 3,
        revenue_contribution: 3,
        relationship_health: 3,
    };
    for ok in [1, 5] {
        p.alliances[0].health = vec![h(ok)];
        assert!(validate(&p).is_empty());
    }
    for bad in [0, 6] {
        p.alliances[0].health = vec![h(bad)];
        only(
            &p,
            Level::Error,
            "alliance \"glow\" › health[2025-11-20] › strategic_alignment",
            "outside 1-5",
        );
    }
}

#[test]
fn sas_answers_between_one_and_ten() {
    let mut p = base();
    let q = |us: u8, partner: u8| Review::Quarterly {
        figures: None,
        date: d("2026-01-20"),
        still_aligned: String::new(),
        environment: String::new(),
        scope: None,
        opportunities: String::new(),
        sas_us: Sas {
            strategy: us,
            enter_again: 5,
            trust: 5,
        },
        sas_partner: Some(Sas {
            strategy: 5,
            enter_again: 5,
            trust: partner,
        }),
    };
    p.alliances[0].reviews = vec![q(1, 10)];
    assert!(validate(&p).is_empty());
    p.alliances[0].reviews = vec![q(11, 0)];
    assert_eq!(
        lines(&p),
        [
            "alliance \"glow\" › reviews[Quarterly 2026-01-20] › sas_us › strategy: error: answer 11 is outside 1-10",
            "alliance \"glow\" › reviews[Quarterly 2026-01-20] › sas_partner › trust: error: answer 0 is outside 1-10",
        ]
    );
}

#[test]
fn duplicate_commitment_ids() {
    let mut p = base();
    let c = |id| Commitment {
        id,
        party: Party::Us,
        action: "x".into(),
        due: d("2026-01-01"),
        done: None,
    };
    p.alliances[0].commitments = vec![c(1), c(2), c(1)];
    only(
        &p,
        Level::Error,
        "alliance \"glow\" › commitments[id 1]",
        "duplicate commitment id 1",
    );
    // Ids only need to be unique within one alliance.
    let mut other = p.alliances[0].clone();
    other.id = "other".into();
    other.commitments = vec![c(1)];
    p.alliances[0].commitments = vec![c(1)];
    p.alliances.push(other);
    assert!(validate(&p).is_empty());
}

#[test]
fn negative_and_non_finite_revenue() {
    let mut p = base();
    p.revenue.insert(m("2026-01"), -1.0);
    p.revenue.insert(m("2026-02"), 0.0);
    p.alliances[0].revenue.insert(m("2026-03"), f64::NAN);
    assert_eq!(
        lines(&p),
        [
            "revenue[\"2026-01\"]: error: revenue -1 is negative",
            "alliance \"glow\" › revenue[\"2026-03\"]: error: NaN is not a number",
        ]
    );
}

#[test]
fn alliance_revenue_above_brand_is_a_warning() {
    let mut p = base();
    p.revenue.insert(m("2026-01"), 100.0);
    p.alliances[0].revenue.insert(m("2026-01"), 100.0);
    assert!(validate(&p).is_empty(), "equal is fine");
    p.alliances[0].revenue.insert(m("2026-01"), 100.5);
    only(
        &p,
        Level::Warning,
        "alliance \"glow\" › revenue[\"2026-01\"]",
        "above the brand's total",
    );
}

#[test]
fn cadence_day_and_quarter_months() {
    let mut p = base();
    let mut charter = Charter::default();
    charter.cadence.monthly_review_day = Some(28);
    charter.cadence.quarterly_review_months = vec![1, 12];
    p.alliances[0].charter = Some(charter.clone());
    assert!(validate(&p).is_empty());

    charter.cadence.monthly_review_day = Some(29);
    charter.cadence.quarterly_review_months = vec![0, 4, 13, 4];
    p.alliances[0].charter = Some(charter.clone());
    assert_eq!(
        lines(&p),
        [
            "alliance \"glow\" › charter › cadence › monthly_review_day: error: day 29 is outside 1-28 (a day every month has)",
            "alliance \"glow\" › charter › cadence › quarterly_review_months[1]: error: month 0 is outside 1-12",
            "alliance \"glow\" › charter › cadence › quarterly_review_months[3]: error: month 13 is outside 1-12",
            "alliance \"glow\" › charter › cadence › quarterly_review_months[4]: warning: month 4 is listed twice",
        ]
    );
    charter.cadence.monthly_review_day = Some(0);
    charter.cadence.quarterly_review_months = vec![];
    p.alliances[0].charter = Some(charter);
    assert_eq!(validate(&p).len(), 1);
}

#[test]
fn win_condition_numbers() {
    let mut p = base();
    let mut charter = Charter::default();
    charter.win_conditions.push(WinCondition {
        metric: "Revenue".into(),
        target: Some(f64::INFINITY),
        ..WinCondition::default()
    });
    charter.win_conditions.push(WinCondition {
        metric: "Returns".into(),
        target: Some(-5.0),
        ..WinCondition::default()
    });
    p.alliances[0].charter = Some(charter);
    assert_eq!(
        lines(&p),
        [
            "alliance \"glow\" › charter › win_conditions[1] › target: error: inf is not a number",
            "alliance \"glow\" › charter › win_conditions[2] › target: warning: -5 is negative; is the sign right?",
        ]
    );
}

#[test]
fn audit_measure_must_be_finite() {
    let mut p = base();
    p.alliances[0].audit = Some(crate::model::Audit {
        date: d("2025-11-01"),
        original_goal: String::new(),
        written_agreement: false,
        last_structured_review: None,
        recent_result: Some(Measure {
            value: f64::NEG_INFINITY,
            unit: String::new(),
            date: d("2025-10-31"),
        }),
    });
    only(
        &p,
        Level::Error,
        "alliance \"glow\" › audit › recent_result › value",
        "not a number",
    );
}

#[test]
fn pipeline_checks() {
    let mut p = base();
    p.pipeline.push(Intake {
        partner: "Peak".into(),
        kind: AllianceKind::Wholesale,
        submitted: d("2026-09-01"),
        win_conditions: Vec::new(),
        resources: String::new(),
        rationale: String::new(),
        score: Some(DimensionScores {
            strategic_alignment: 4,
            execution_reliability: 3,
            revenue_contribution: 6,
            relationship_health: 3,
        }),
    });
    only(
        &p,
        Level::Error,
        "pipeline \"Peak\" › score › revenue_contribution",
        "score 6",
    );
    p.pipeline[0].score = None;
    p.pipeline[0].partner = String::new();
    only(&p, Level::Error, "pipeline[1] › partner", "empty");
}

#[test]
fn harmless_date_order_warnings() {
    let mut p = base();
    p.alliances[0].escalations.push(EscalationItem {
        raised: d("2026-01-10"),
        issue: "x".into(),
        resolved: Some(d("2026-01-09")),
    });
    p.alliances[0].reviews.push(Review::Monthly {
        figures: None,
        date: d("2026-01-15"),
        kpis: String::new(),
        blockers: String::new(),
        next_month: String::new(),
        escalations: String::new(),
        summary_sent: Some(d("2026-01-14")),
    });
    let all = validate(&p);
    assert_eq!(all.len(), 2, "{all:#?}");
    assert!(all.iter().all(|d| d.level == Level::Warning));
    assert_eq!(
        all[0].place,
        "alliance \"glow\" › reviews[Monthly 2026-01-15] › summary_sent"
    );
    assert_eq!(
        all[1].place,
        "alliance \"glow\" › escalations[1] › resolved"
    );
}

#[test]
fn every_problem_at_once() {
    let mut p = base();
    p.version = 3;
    p.brand = String::new();
    p.revenue.insert(m("2026-01"), -2.0);
    let dup = p.alliances[0].clone();
    p.alliances.push(dup);
    assert_eq!(validate(&p).len(), 4);
}

#[test]
fn a_share_token_must_have_the_shape_of_128_random_bits() {
    let mut p = base();
    p.alliances[0].share_token = Some("AAAAAAAAAAAAAAAAAAAAAQ".into());
    assert!(validate(&p).is_empty());
    for bad in [
        "",
        "..",
        "AAAAAAAAAAAAAAAAAAAAAB",
        "AAAAAAAAAAAAAAAAAAAA/Q",
        "AAAAAAAAAAAAAAAAAAAAAAQ",
    ] {
        p.alliances[0].share_token = Some(bad.into());
        only(
            &p,
            Level::Error,
            "alliance \"glow\" › share_token",
            "is not a share token",
        );
    }
}

#[test]
fn two_alliances_cannot_share_a_token() {
    let mut p = base();
    let mut b = Alliance::new("b", "B", AllianceKind::Wholesale, d("2025-11-01"));
    b.share_token = Some("AAAAAAAAAAAAAAAAAAAAAQ".into());
    p.alliances[0].share_token = Some("AAAAAAAAAAAAAAAAAAAAAQ".into());
    p.alliances.push(b);
    let all = lines(&p);
    assert_eq!(all.len(), 2, "{all:#?}");
    assert!(
        all[0].contains("the same token as alliance \"b\""),
        "{all:#?}"
    );
}

#[test]
fn an_empty_publish_folder_is_refused() {
    let mut p = base();
    p.publish_to = Some("site".into());
    assert!(validate(&p).is_empty());
    p.publish_to = Some(" ".into());
    only(
        &p,
        Level::Error,
        "publish_to",
        "the publish folder is empty",
    );
}
