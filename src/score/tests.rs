//! Unit tests of the scoring engine: every rule just below, at and just above its threshold,
//! missing data, the as-of cut-off, ties, and stability under reordering.

#![expect(
    clippy::float_cmp,
    reason = "the fixtures are chosen so that exact values are the expected ones"
)]

use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;
use crate::model::{
    Alliance, Audit, Cadence, Charter, Commitment, Escalation, EscalationItem, HealthScore,
    Measure, Party, Portfolio, Review, Sas, WinCondition,
};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn m(s: &str) -> Month {
    s.parse().unwrap()
}

const AS_OF: &str = "2026-11-15";

fn as_of() -> NaiveDate {
    d(AS_OF)
}

fn days_before(n: i64) -> NaiveDate {
    as_of() - chrono::TimeDelta::days(n)
}

fn sas(a: u8, b: u8, c: u8) -> Sas {
    Sas {
        strategy: a,
        enter_again: b,
        trust: c,
    }
}

fn monthly(date: NaiveDate, sent: Option<NaiveDate>) -> Review {
    Review::Monthly {
        figures: None,
        date,
        kpis: String::new(),
        blockers: String::new(),
        next_month: String::new(),
        escalations: String::new(),
        summary_sent: sent,
    }
}

fn quarterly(date: NaiveDate, us: Sas, partner: Option<Sas>) -> Review {
    Review::Quarterly {
        figures: None,
        date,
        still_aligned: String::new(),
        environment: String::new(),
        scope: None,
        opportunities: String::new(),
        sas_us: us,
        sas_partner: partner,
    }
}

fn health(date: NaiveDate, total: u8) -> HealthScore {
    // Spread the total over four 1–5 dimensions.
    let base = total / 4;
    let extra = total % 4;
    let dim = |i: u8| base + u8::from(i < extra);
    HealthScore {
        date,
        strategic_alignment: dim(0),
        execution_reliability: dim(1),
        revenue_contribution: dim(2),
        relationship_health: dim(3),
    }
}

fn commitment(id: u32, party: Party, due: &str, done: Option<&str>) -> Commitment {
    Commitment {
        id,
        party,
        action: format!("action {id}"),
        due: d(due),
        done: done.map(d),
    }
}

/// `done` of `total` commitments due on `day`, alternating parties.
fn month_commitments(a: &mut Alliance, day: &str, done: u32, total: u32) {
    for i in 0..total {
        let id = a.next_commitment_id();
        let party = if i % 2 == 0 {
            Party::Us
        } else {
            Party::Partner
        };
        a.commitments
            .push(commitment(id, party, day, (i < done).then_some(day)));
    }
}

/// A healthy, fully governed alliance that raises no flag as of [`AS_OF`].
fn healthy() -> Alliance {
    let mut a = Alliance::new(
        "glow",
        "Glow & Co",
        AllianceKind::CoMarketing,
        d("2026-01-01"),
    );
    a.status = Status::Active;
    a.charter = Some(Charter {
        win_conditions: vec![WinCondition {
            direction: crate::model::Direction::AtLeast,
            metric: "Referral revenue".into(),
            target: Some(10_000.0),
            unit: "USD/month".into(),
            by: Some(d("2027-06-30")),
            owner: Party::Partner,
            actuals: [(m("2026-10"), 6_000.0)].into_iter().collect(),
        }],
        cadence: Cadence {
            weekly_channel: "#glow".into(),
            monthly_review_day: Some(15),
            quarterly_review_months: vec![1, 4, 7, 10],
        },
        dashboard: String::new(),
        escalation: Escalation {
            resolution_days: 10,
            ..Escalation::default()
        },
        review_date: Some(d("2026-04-01")),
        signed: Some(d("2026-01-05")),
    });
    a.health = vec![health(d("2026-10-01"), 16)];
    for month in 1..=10 {
        a.revenue.insert(Month::new(2026, month).unwrap(), 5_000.0);
    }
    for day in ["2026-08-10", "2026-09-10", "2026-10-10", "2026-11-10"] {
        month_commitments(&mut a, day, 2, 2);
    }
    a.reviews = vec![
        monthly(d("2026-11-01"), Some(d("2026-11-01"))),
        quarterly(d("2026-10-20"), sas(7, 7, 7), Some(sas(7, 8, 7))),
    ];
    a
}

fn portfolio(alliances: Vec<Alliance>) -> Portfolio {
    let mut p = Portfolio::empty("Test");
    for month in 1..=10 {
        p.revenue
            .insert(Month::new(2026, month).unwrap(), 100_000.0);
    }
    p.alliances = alliances.into();
    p
}

fn scored(a: Alliance) -> AllianceScores {
    let p = portfolio(vec![a]);
    score_alliance(&p, &p.alliances[0], as_of())
}

fn codes(s: &AllianceScores) -> Vec<FlagCode> {
    s.flags.iter().map(|f| f.code).collect()
}

fn has(a: Alliance, code: FlagCode) -> bool {
    scored(a).has_flag(code)
}

#[test]
fn healthy_alliance_raises_nothing() {
    let s = scored(healthy());
    assert_eq!(codes(&s), vec![]);
    assert_eq!(s.audit.state, AuditState::Alive);
    assert_eq!(s.audit.answers_yes, 4);
    assert_eq!(s.arcr.latest, Some(0.05));
    assert_eq!(s.arcr.month, Some(m("2026-10")));
    assert_eq!(s.cfr.trailing_30d.all, Some(1.0));
    assert_eq!(s.execution_speed_days, Some(0.0));
}

// ---- health_conversation: total < 12 -------------------------------------------------------

#[test]
fn health_threshold_11_12_13() {
    for (total, flagged) in [(11, true), (12, false), (13, false)] {
        let mut a = healthy();
        a.health = vec![health(d("2026-10-02"), total)];
        let s = scored(a);
        assert_eq!(s.has_flag(FlagCode::HealthConversation), flagged, "{total}");
        if flagged {
            assert_eq!(s.flags[0].message, "health 11/20 on 2026-10-02 (< 12)");
        }
    }
}

#[test]
fn health_uses_latest_not_after_as_of_and_later_in_file_on_ties() {
    let mut a = healthy();
    a.health = vec![
        health(d("2026-09-01"), 8),
        health(d("2026-10-01"), 10),
        health(d("2026-10-01"), 15),
        health(d("2026-11-16"), 5),
    ];
    let s = scored(a);
    assert_eq!(
        s.health,
        Some(HealthSummary {
            date: d("2026-10-01"),
            total: 15
        })
    );
    assert!(!s.has_flag(FlagCode::HealthConversation));
}

// ---- mbr_overdue: > 35 days ----------------------------------------------------------------

#[test]
fn mbr_overdue_34_35_36_days() {
    for (days, flagged) in [(34, false), (35, false), (36, true)] {
        let mut a = healthy();
        let date = days_before(days);
        a.reviews[0] = monthly(date, Some(date));
        let s = scored(a);
        assert_eq!(s.has_flag(FlagCode::MbrOverdue), flagged, "{days}");
        if flagged {
            let f = s
                .flags
                .iter()
                .find(|f| f.code == FlagCode::MbrOverdue)
                .unwrap();
            assert_eq!(f.message, "last MBR 2026-10-10, 36 days ago (> 35)");
        }
    }
}

#[test]
fn mbr_overdue_without_any_mbr_by_alliance_age() {
    for (days, flagged) in [(35, false), (36, true)] {
        let mut a = healthy();
        a.started = days_before(days);
        a.reviews.retain(Review::is_quarterly);
        assert_eq!(has(a, FlagCode::MbrOverdue), flagged, "{days}");
    }
}

#[test]
fn mbr_after_as_of_does_not_count() {
    let mut a = healthy();
    a.reviews[0] = monthly(days_before(40), Some(days_before(40)));
    a.reviews
        .push(monthly(d("2026-11-20"), Some(d("2026-11-20"))));
    assert!(has(a, FlagCode::MbrOverdue));
}

// ---- qsr_overdue: > 100 days, or the 90-day review passed ---------------------------------

#[test]
fn qsr_overdue_99_100_101_days() {
    for (days, flagged) in [(99, false), (100, false), (101, true)] {
        let mut a = healthy();
        a.reviews[1] = quarterly(days_before(days), sas(7, 7, 7), None);
        assert_eq!(has(a, FlagCode::QsrOverdue), flagged, "{days}");
    }
}

#[test]
fn qsr_overdue_without_any_qsr_by_alliance_age() {
    for (days, flagged) in [(100, false), (101, true)] {
        let mut a = healthy();
        a.started = days_before(days);
        a.charter.as_mut().unwrap().review_date = None;
        a.reviews.retain(Review::is_monthly);
        assert_eq!(has(a, FlagCode::QsrOverdue), flagged, "{days}");
    }
}

#[test]
fn qsr_overdue_when_ninety_day_review_passed_without_qsr() {
    // The last QSR was 26 days ago; the 90-day review date decides.
    for (review_date, flagged) in [
        ("2026-11-14", true),  // passed yesterday, QSR was before it
        ("2026-11-15", false), // today: not passed yet
        ("2026-10-20", false), // QSR held on the day
        ("2026-10-21", true),  // QSR one day too early
    ] {
        let mut a = healthy();
        a.charter.as_mut().unwrap().review_date = Some(d(review_date));
        assert_eq!(has(a, FlagCode::QsrOverdue), flagged, "{review_date}");
    }
}

// ---- summary_late: > 1 day -----------------------------------------------------------------

#[test]
fn summary_late_sent_0_1_2_days_after() {
    for (sent, flagged) in [
        ("2026-11-01", false),
        ("2026-11-02", false),
        ("2026-11-03", true),
    ] {
        let mut a = healthy();
        a.reviews[0] = monthly(d("2026-11-01"), Some(d(sent)));
        assert_eq!(has(a, FlagCode::SummaryLate), flagged, "{sent}");
    }
}

#[test]
fn summary_late_not_sent_by_as_of_age_of_review() {
    for (days, flagged) in [(0, false), (1, false), (2, true)] {
        let mut a = healthy();
        a.reviews[0] = monthly(days_before(days), None);
        assert_eq!(has(a, FlagCode::SummaryLate), flagged, "{days}");
    }
    // A summary dated after as-of has not been sent yet.
    let mut a = healthy();
    a.reviews[0] = monthly(days_before(3), Some(d("2026-11-16")));
    assert!(has(a, FlagCode::SummaryLate));
}

#[test]
fn summary_late_looks_at_the_latest_mbr_only() {
    let mut a = healthy();
    a.reviews.push(monthly(d("2026-10-01"), None));
    assert!(!has(a, FlagCode::SummaryLate));
}

#[test]
fn mbr_ties_go_to_the_later_one_in_the_file() {
    let date = d("2026-11-01");
    let mut a = healthy();
    a.reviews[0] = monthly(date, Some(date));
    a.reviews.push(monthly(date, None));
    assert!(has(a, FlagCode::SummaryLate));
    let mut a = healthy();
    a.reviews[0] = monthly(date, None);
    a.reviews.push(monthly(date, Some(date)));
    assert!(!has(a, FlagCode::SummaryLate));
}

// ---- escalation_overdue: > resolution_days -------------------------------------------------

#[test]
fn escalation_overdue_around_charter_resolution_days() {
    for (days, flagged) in [(9, false), (10, false), (11, true)] {
        let mut a = healthy();
        a.escalations = vec![EscalationItem {
            raised: days_before(days),
            issue: "Shelf space".into(),
            resolved: None,
        }];
        let s = scored(a);
        assert_eq!(s.has_flag(FlagCode::EscalationOverdue), flagged, "{days}");
        if flagged {
            assert_eq!(
                s.flags[0].message,
                "\"Shelf space\" open since 2026-11-04, 11 days (> 10)"
            );
        }
    }
}

#[test]
fn escalation_overdue_defaults_to_14_days_without_charter() {
    for (days, flagged) in [(14, false), (15, true)] {
        let mut a = healthy();
        a.status = Status::WindingDown;
        a.charter = None;
        a.escalations = vec![EscalationItem {
            raised: days_before(days),
            issue: "x".into(),
            resolved: None,
        }];
        assert_eq!(has(a, FlagCode::EscalationOverdue), flagged, "{days}");
    }
}

#[test]
fn escalation_resolved_by_as_of_is_closed_but_resolved_later_is_open() {
    let item = |resolved: &str| EscalationItem {
        raised: days_before(30),
        issue: "x".into(),
        resolved: Some(d(resolved)),
    };
    let mut a = healthy();
    a.escalations = vec![item(AS_OF)];
    assert!(!has(a, FlagCode::EscalationOverdue));
    let mut a = healthy();
    a.escalations = vec![item("2026-11-16")];
    assert!(has(a, FlagCode::EscalationOverdue));
    // Raised after as-of: does not exist yet.
    let mut a = healthy();
    a.escalations = vec![EscalationItem {
        raised: d("2026-12-01"),
        issue: "x".into(),
        resolved: None,
    }];
    assert!(!has(a, FlagCode::EscalationOverdue));
}

#[test]
fn overdue_escalation_items_follow_the_flag() {
    let item = |days: i64, resolved: Option<NaiveDate>| EscalationItem {
        raised: days_before(days),
        issue: format!("{days} days"),
        resolved,
    };
    let mut a = healthy();
    // Over the 10 days, within them, resolved, over again.
    a.escalations = vec![
        item(11, None),
        item(10, None),
        item(30, Some(days_before(1))),
        item(20, None),
    ];
    let s = scored(a.clone());
    assert!(s.has_flag(FlagCode::EscalationOverdue));
    assert_eq!(s.overdue_escalations, [0, 3]);
    // No flag for a proposed alliance, so no item is marked either.
    a.status = Status::Proposed;
    let s = scored(a);
    assert!(s.flags.is_empty());
    assert!(s.overdue_escalations.is_empty());
}

// ---- cfr_red: < 70% in both months before the as-of month ----------------------------------

fn with_cfr(months: &[(&str, u32, u32)]) -> Alliance {
    let mut a = healthy();
    a.commitments.clear();
    for (day, done, total) in months {
        month_commitments(&mut a, day, *done, *total);
    }
    a
}

#[test]
fn cfr_red_below_at_above_70() {
    // 2/3 = 66.7% (below), 7/10 = 70% (at), 3/4 = 75% (above).
    for ((done, total), flagged) in [((2, 3), true), ((7, 10), false), ((3, 4), false)] {
        let a = with_cfr(&[("2026-09-10", done, total), ("2026-10-10", done, total)]);
        assert_eq!(has(a, FlagCode::CfrRed), flagged, "{done}/{total}");
    }
    let s = scored(with_cfr(&[("2026-09-10", 2, 3), ("2026-10-10", 1, 2)]));
    let f = s.flags.iter().find(|f| f.code == FlagCode::CfrRed).unwrap();
    assert_eq!(f.message, "CFR 66.7% and 50% in 2026-09, 2026-10 (< 70%)");
}

#[test]
fn cfr_red_needs_both_months() {
    // One good month breaks the run; a month with nothing due has no CFR.
    assert!(!has(
        with_cfr(&[("2026-09-10", 1, 2), ("2026-10-10", 2, 2)]),
        FlagCode::CfrRed
    ));
    assert!(!has(with_cfr(&[("2026-10-10", 0, 2)]), FlagCode::CfrRed));
    // The as-of month itself does not count.
    assert!(!has(
        with_cfr(&[("2026-10-10", 0, 2), ("2026-11-10", 0, 2)]),
        FlagCode::CfrRed
    ));
}

#[test]
fn cfr_critical_below_at_above_50() {
    // 1/3 (below), 1/2 = 50% (at), 2/3 (above), three months running.
    for ((done, total), flagged) in [((1, 3), true), ((1, 2), false), ((2, 3), false)] {
        let a = with_cfr(&[
            ("2026-08-10", done, total),
            ("2026-09-10", done, total),
            ("2026-10-10", done, total),
        ]);
        let s = scored(a);
        assert_eq!(s.has_flag(FlagCode::CfrCritical), flagged, "{done}/{total}");
        // Below 50% is below 70% too: both rules are listed.
        assert_eq!(s.has_flag(FlagCode::CfrRed), done * 10 < total * 7);
    }
    // Only two months below 50%: red, not critical.
    let s = scored(with_cfr(&[("2026-09-10", 0, 2), ("2026-10-10", 0, 2)]));
    assert!(s.has_flag(FlagCode::CfrRed) && !s.has_flag(FlagCode::CfrCritical));
}

#[test]
fn cfr_is_none_without_commitments_due_never_zero_or_one() {
    let s = scored(with_cfr(&[]));
    assert_eq!(s.cfr.trailing_30d.all, None);
    assert_eq!(s.cfr.trailing_30d.us, None);
    assert!(s.cfr.monthly.is_empty());
    // Only our commitments: the partner's CFR is unknown, not 100%.
    let mut a = with_cfr(&[]);
    a.commitments
        .push(commitment(1, Party::Us, "2026-11-01", Some("2026-11-03")));
    let s = scored(a);
    assert_eq!(s.cfr.trailing_30d.us, Some(1.0));
    assert_eq!(s.cfr.trailing_30d.partner, None);
    assert_eq!(s.cfr.trailing_30d.counts, [(1, 1), (0, 0), (1, 1)]);
}

#[test]
fn cfr_ignores_done_after_as_of_and_counts_the_whole_as_of_month() {
    let mut a = with_cfr(&[]);
    a.commitments = vec![
        commitment(1, Party::Us, "2026-11-10", Some("2026-11-16")),
        commitment(2, Party::Partner, "2026-11-10", Some("2026-11-15")),
        commitment(3, Party::Partner, "2026-11-20", None),
        // Exactly 30 days before: outside the trailing window (it is half-open).
        commitment(4, Party::Us, "2026-10-16", None),
        commitment(5, Party::Us, "2026-10-17", None),
    ];
    let s = scored(a);
    assert_eq!(s.cfr.trailing_30d.counts, [(0, 2), (1, 1), (1, 3)]);
    // The as-of month counts everything due in it (SPEC §1.1 monthly CFR), #3 included: one of
    // three completed by the as-of date.
    let nov = s.cfr.monthly.last().unwrap();
    assert_eq!((nov.month, nov.all), (m("2026-11"), Some(1.0 / 3.0)));
    assert_eq!(s.cfr.monthly.len(), 2);
    assert_eq!(s.cfr.monthly[0].month, m("2026-10"));
}

#[test]
fn execution_speed_is_the_median_over_90_days() {
    let mut a = with_cfr(&[]);
    a.commitments = vec![
        commitment(1, Party::Us, "2026-11-01", Some("2026-10-30")), // -2
        commitment(2, Party::Us, "2026-10-01", Some("2026-10-05")), // +4
        commitment(3, Party::Us, "2026-09-01", Some("2026-09-02")), // +1
        commitment(4, Party::Us, "2026-08-01", Some("2026-08-01")), // out of window
        commitment(5, Party::Us, "2026-11-10", Some("2026-11-20")), // done after as-of
    ];
    assert_eq!(scored(a.clone()).execution_speed_days, Some(1.0));
    a.commitments
        .push(commitment(6, Party::Us, "2026-10-10", Some("2026-10-20"))); // +10
    assert_eq!(scored(a).execution_speed_days, Some(2.5));
    assert_eq!(scored(with_cfr(&[])).execution_speed_days, None);
}

// ---- sas_exit / alignment_exit: < 6 --------------------------------------------------------

#[test]
fn sas_exit_either_party_below_at_above_6() {
    // (6,6,5) = 5.67 below; (6,6,6) = 6 at; (6,6,7) = 6.33 above.
    for (answers, flagged) in [
        (sas(6, 6, 5), true),
        (sas(6, 6, 6), false),
        (sas(6, 6, 7), false),
    ] {
        let mut a = healthy();
        a.reviews[1] = quarterly(d("2026-10-20"), sas(8, 8, 8), Some(answers));
        assert_eq!(has(a, FlagCode::SasExit), flagged, "partner {answers:?}");
        let mut a = healthy();
        a.reviews[1] = quarterly(d("2026-10-20"), answers, Some(sas(8, 8, 8)));
        assert_eq!(has(a, FlagCode::SasExit), flagged, "us {answers:?}");
    }
}

#[test]
fn sas_exit_uses_the_latest_qsr_only() {
    let mut a = healthy();
    a.reviews
        .push(quarterly(d("2026-07-20"), sas(2, 2, 2), Some(sas(2, 2, 2))));
    assert!(!has(a, FlagCode::SasExit));
    // Same date: the later one in the file is the latest.
    let mut a = healthy();
    a.reviews
        .push(quarterly(d("2026-10-20"), sas(5, 5, 5), None));
    let s = scored(a);
    assert!(s.has_flag(FlagCode::SasExit));
    assert_eq!(s.sas.as_ref().unwrap().combined, 5.0);
    assert_eq!(s.sas_history.len(), 2);
    assert_eq!(s.sas_history[1].1, 5.0);
}

#[test]
fn alignment_exit_two_latest_combined_below_6() {
    let run = |older: Sas, newer: Sas| {
        let mut a = healthy();
        a.reviews.retain(Review::is_monthly);
        a.reviews.push(quarterly(d("2026-10-20"), newer, None));
        a.reviews.push(quarterly(d("2026-07-20"), older, None));
        a.reviews
            .push(quarterly(d("2026-04-20"), sas(1, 1, 1), None));
        scored(a)
    };
    assert!(run(sas(6, 6, 5), sas(5, 6, 6)).has_flag(FlagCode::AlignmentExit));
    assert!(!run(sas(6, 6, 6), sas(5, 6, 6)).has_flag(FlagCode::AlignmentExit));
    assert!(!run(sas(6, 6, 5), sas(6, 6, 6)).has_flag(FlagCode::AlignmentExit));
    let s = run(sas(6, 6, 5), sas(5, 5, 5));
    assert_eq!(
        s.sas_history.iter().map(|h| h.0).collect::<Vec<_>>(),
        vec![d("2026-04-20"), d("2026-07-20"), d("2026-10-20")]
    );
    let f = s
        .flags
        .iter()
        .find(|f| f.code == FlagCode::AlignmentExit)
        .unwrap();
    assert_eq!(
        f.message,
        "combined SAS 5.67 and 5 at the QSRs of 2026-07-20, 2026-10-20 (< 6)"
    );
    // Combined, not per party: one party below 6 with a high partner is not misalignment.
    let mut a = healthy();
    a.reviews.retain(Review::is_monthly);
    a.reviews
        .push(quarterly(d("2026-07-20"), sas(5, 5, 5), Some(sas(9, 9, 9))));
    a.reviews
        .push(quarterly(d("2026-10-20"), sas(5, 5, 5), Some(sas(9, 9, 9))));
    let s = scored(a);
    assert!(s.has_flag(FlagCode::SasExit) && !s.has_flag(FlagCode::AlignmentExit));
}

#[test]
fn qsr_after_as_of_is_ignored() {
    let mut a = healthy();
    a.reviews
        .push(quarterly(d("2026-11-20"), sas(1, 1, 1), None));
    let s = scored(a);
    assert_eq!(s.sas.unwrap().date, d("2026-10-20"));
    assert_eq!(s.sas_history.len(), 1);
}

// ---- arcr_low: ≥ 6 months old and latest ARCR < 2% ----------------------------------------

fn with_revenue(values: &[(&str, f64)]) -> Alliance {
    let mut a = healthy();
    a.revenue = values.iter().map(|(k, v)| (m(k), *v)).collect();
    a
}

#[test]
fn arcr_low_below_at_above_2_percent() {
    // Brand revenue is 100,000: 1,999 → 1.999%, 2,000 → 2%, 2,001 → 2.001%.
    for (value, flagged) in [(1_999.0, true), (2_000.0, false), (2_001.0, false)] {
        let a = with_revenue(&[("2026-10", value)]);
        assert_eq!(has(a, FlagCode::ArcrLow), flagged, "{value}");
    }
    let s = scored(with_revenue(&[("2026-10", 1_400.0)]));
    let f = s
        .flags
        .iter()
        .find(|f| f.code == FlagCode::ArcrLow)
        .unwrap();
    assert_eq!(f.message, "ARCR 1.4% in 2026-10 after 10 months (< 2%)");
}

#[test]
fn arcr_low_age_boundary() {
    for (started, flagged) in [
        ("2026-05-14", true),
        ("2026-05-15", true),
        ("2026-05-16", false),
    ] {
        let mut a = with_revenue(&[("2026-10", 1_000.0)]);
        a.started = d(started);
        assert_eq!(has(a, FlagCode::ArcrLow), flagged, "{started}");
    }
    // A day past the month's end clamps: started Aug 31 + 6 months = Feb 28.
    let mut a = with_revenue(&[("2026-02", 1_000.0)]);
    a.started = d("2025-08-31");
    let mut p = portfolio(vec![a]);
    p.revenue.insert(m("2025-12"), 100_000.0);
    for (as_of, flagged) in [("2026-02-27", false), ("2026-02-28", true)] {
        let s = score_alliance(&p, &p.alliances[0], d(as_of));
        assert_eq!(s.has_flag(FlagCode::ArcrLow), flagged, "{as_of}");
    }
}

#[test]
fn arcr_missing_brand_revenue_means_no_arcr() {
    let mut a = with_revenue(&[("2026-09", 500.0), ("2026-10", 500.0)]);
    a.started = d("2026-03-01");
    let mut p = portfolio(vec![a]);
    p.revenue.insert(m("2026-10"), 0.0);
    p.revenue.remove(&m("2026-09"));
    let s = score_alliance(&p, &p.alliances[0], as_of());
    // The latest month has brand revenue 0: no ARCR, so no arcr_low either.
    assert_eq!(s.arcr.month, Some(m("2026-10")));
    assert_eq!(s.arcr.latest, None);
    assert!(!s.has_flag(FlagCode::ArcrLow));
    let months: Vec<_> = s.arcr.series.iter().map(|v| v.month.to_string()).collect();
    // From the start month on; no 2026-09 (missing) or 2026-10 (zero).
    assert_eq!(
        months,
        [
            "2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08"
        ]
    );
    // A month with brand revenue but no alliance entry counts as 0.
    assert!(s.arcr.series.iter().all(|v| v.value == 0.0));
}

#[test]
fn arcr_ignores_months_after_as_of() {
    let mut a = with_revenue(&[("2026-10", 5_000.0), ("2026-12", 100.0)]);
    a.started = d("2026-10-01");
    let mut p = portfolio(vec![a]);
    p.revenue.insert(m("2026-12"), 100_000.0);
    let s = score_alliance(&p, &p.alliances[0], as_of());
    assert_eq!(s.arcr.month, Some(m("2026-10")));
    assert_eq!(s.arcr.latest, Some(0.05));
    assert_eq!(s.arcr.series.len(), 1);
}

// ---- arcr_declining: four calendar months, each lower than the one before -----------------

#[test]
fn arcr_declining_three_falls_in_a_row() {
    let falling = [
        ("2026-07", 4_000.0),
        ("2026-08", 3_500.0),
        ("2026-09", 3_000.0),
        ("2026-10", 2_500.0),
    ];
    let s = scored(with_revenue(&falling));
    assert!(s.has_flag(FlagCode::ArcrDeclining));
    assert_eq!(
        s.flags[0].message,
        "ARCR 4% → 3.5% → 3% → 2.5% in 2026-07..2026-10 (3 declines in a row)"
    );
    // An equal month breaks the run.
    let mut flat = falling;
    flat[2].1 = 3_500.0;
    assert!(!has(with_revenue(&flat), FlagCode::ArcrDeclining));
    // Only two falls.
    let mut two = falling;
    two[0].1 = 3_000.0;
    assert!(!has(with_revenue(&two), FlagCode::ArcrDeclining));
    // A calendar month without ARCR (brand revenue missing) breaks the four-month run.
    let mut a = with_revenue(&[
        ("2026-06", 5_000.0),
        ("2026-07", 4_000.0),
        ("2026-09", 3_000.0),
        ("2026-10", 2_500.0),
    ]);
    a.started = d("2026-06-01");
    let mut p = portfolio(vec![a]);
    p.revenue.remove(&m("2026-08"));
    let s = score_alliance(&p, &p.alliances[0], as_of());
    assert!(!s.has_flag(FlagCode::ArcrDeclining));
    // Fewer than four months of ARCR: the alliance is too young to have a trend.
    let mut a = with_revenue(&falling[1..]);
    a.started = d("2026-08-01");
    assert!(!has(a, FlagCode::ArcrDeclining));
}

// ---- audit: [as_of − 90, as_of] -------------------------------------------------------------

#[test]
fn audit_window_edges() {
    let bare = || {
        let mut a = healthy();
        a.reviews.clear();
        a.revenue.clear();
        a.charter.as_mut().unwrap().win_conditions[0]
            .actuals
            .clear();
        a.status = Status::WindingDown;
        a
    };
    let s = scored(bare());
    assert_eq!(s.audit.state, AuditState::Dead);
    assert_eq!(s.audit.answers_yes, 2);
    assert!(s.has_flag(FlagCode::AuditDead) && !s.has_flag(FlagCode::AuditAtRisk));

    for (days, in_window) in [(89, true), (90, true), (91, false)] {
        let mut a = bare();
        a.reviews = vec![monthly(days_before(days), Some(days_before(days)))];
        let s = scored(a);
        assert_eq!(s.audit.structured_review, in_window, "{days}");
        assert_eq!(s.has_flag(FlagCode::AuditAtRisk), in_window, "{days}");
        assert_eq!(s.has_flag(FlagCode::AuditDead), !in_window, "{days}");
    }
    // Revenue > 0 in a month overlapping the window (it opens 2026-08-17).
    for (month, value, number) in [
        ("2026-08", 10.0, true),
        ("2026-07", 10.0, false),
        ("2026-10", 0.0, false),
        ("2026-12", 10.0, false),
    ] {
        let mut a = bare();
        a.revenue.insert(m(month), value);
        assert_eq!(scored(a).audit.number, number, "{month} {value}");
    }
    // A win-condition actual in a month overlapping the window is a number too, whatever its
    // value (a cost of 0 is still a measurement).
    for (month, number) in [("2026-08", true), ("2026-11", true), ("2026-07", false)] {
        let mut a = bare();
        a.charter.as_mut().unwrap().win_conditions[0]
            .actuals
            .insert(m(month), 0.0);
        assert_eq!(scored(a).audit.number, number, "{month}");
    }
}

#[test]
fn audit_record_answers_count_when_dated_by_as_of() {
    let mut a = Alliance::new("x", "X", AllianceKind::Wholesale, d("2026-01-01"));
    a.status = Status::WindingDown;
    a.audit = Some(Audit {
        date: d("2026-10-01"),
        original_goal: "Reach their list".into(),
        written_agreement: true,
        last_structured_review: Some(days_before(90)),
        recent_result: Some(Measure {
            value: 10.0,
            unit: "USD".into(),
            date: days_before(91),
        }),
    });
    let s = scored(a.clone());
    assert_eq!(s.audit.answers_yes, 3);
    assert_eq!(s.audit.state, AuditState::AtRisk);
    assert_eq!(
        s.flags
            .iter()
            .find(|f| f.code == FlagCode::AuditAtRisk)
            .unwrap()
            .message,
        "no revenue/traffic number since 2026-08-17 (90 days)"
    );
    a.audit.as_mut().unwrap().date = d("2026-11-16");
    let s = scored(a);
    assert_eq!(s.audit.answers_yes, 0);
    assert_eq!(s.audit.state, AuditState::Dead);
}

// ---- wish / no_charter ----------------------------------------------------------------------

#[test]
fn wish_when_a_win_condition_lacks_target_or_deadline() {
    for (target, by, flagged) in [
        (None, Some("2027-01-01"), true),
        (Some(1.0), None, true),
        (None, None, true),
        (Some(1.0), Some("2027-01-01"), false),
    ] {
        let mut a = healthy();
        let w = &mut a.charter.as_mut().unwrap().win_conditions[0];
        w.target = target;
        w.by = by.map(d);
        let s = scored(a);
        assert_eq!(s.has_flag(FlagCode::Wish), flagged, "{target:?} {by:?}");
        assert_eq!(s.win_conditions[0].status == WinStatus::Wish, flagged);
    }
    // Two wishes: listed once.
    let mut a = healthy();
    let c = a.charter.as_mut().unwrap();
    c.win_conditions[0].target = None;
    c.win_conditions.push(WinCondition {
        metric: "Brand lift".into(),
        ..WinCondition::default()
    });
    let s = scored(a);
    assert_eq!(codes(&s), vec![FlagCode::Wish]);
    assert_eq!(
        s.flags[0].message,
        "win condition \"Referral revenue\" has no target (+1 more)"
    );
}

#[test]
fn no_charter_for_active_without_a_signed_charter() {
    let mut a = healthy();
    a.charter = None;
    assert_eq!(scored(a).flags[0].message, "no charter");
    for (signed, flagged) in [
        (None, true),
        (Some("2026-11-16"), true),
        (Some(AS_OF), false),
    ] {
        let mut a = healthy();
        a.charter.as_mut().unwrap().signed = signed.map(d);
        assert_eq!(has(a, FlagCode::NoCharter), flagged, "{signed:?}");
    }
}

// ---- status gating ------------------------------------------------------------------------

/// An alliance that breaks every rule it can at once.
fn wreck() -> Alliance {
    let mut a = with_cfr(&[
        ("2026-08-10", 0, 2),
        ("2026-09-10", 0, 2),
        ("2026-10-10", 0, 2),
    ]);
    a.started = d("2025-01-01");
    let c = a.charter.as_mut().unwrap();
    c.signed = None;
    c.win_conditions[0].target = None;
    c.review_date = Some(d("2026-02-01"));
    a.health = vec![health(d("2026-10-01"), 8)];
    a.revenue = [
        ("2026-06", 1_900.0),
        ("2026-07", 1_800.0),
        ("2026-08", 1_700.0),
        ("2026-09", 1_600.0),
    ]
    .iter()
    .map(|(k, v)| (m(k), *v))
    .collect();
    a.reviews = vec![
        monthly(d("2026-08-01"), None),
        quarterly(d("2026-02-01"), sas(5, 5, 5), None),
        quarterly(d("2026-05-01"), sas(4, 4, 4), None),
    ];
    a.escalations = vec![EscalationItem {
        raised: d("2026-09-01"),
        issue: "x".into(),
        resolved: None,
    }];
    a
}

#[test]
fn status_decides_which_rules_apply() {
    let mut a = wreck();
    let all = codes(&scored(a.clone()));
    let mut expected = FlagCode::ALL.to_vec();
    // Dead and at-risk exclude each other (here: September revenue but no recent review).
    expected.retain(|c| *c != FlagCode::AuditDead);
    assert_eq!(all, expected, "flags come in FlagCode order, each once");

    a.status = Status::WindingDown;
    let winding = codes(&scored(a.clone()));
    expected.retain(|c| {
        !matches!(
            c,
            FlagCode::NoCharter | FlagCode::MbrOverdue | FlagCode::QsrOverdue
        )
    });
    assert_eq!(winding, expected);

    for status in [Status::Proposed, Status::Ended] {
        a.status = status;
        let s = scored(a.clone());
        assert!(s.flags.is_empty(), "{status:?}");
        // Metrics are still computed.
        assert!(s.health.is_some() && s.sas.is_some());
    }
}

// ---- win conditions -----------------------------------------------------------------------

#[test]
fn win_condition_status_and_latest_actual() {
    let wc = |target: Option<f64>, by: Option<&str>, actuals: &[(&str, f64)]| {
        let mut a = healthy();
        a.charter.as_mut().unwrap().win_conditions = vec![WinCondition {
            metric: "m".into(),
            target,
            by: by.map(d),
            actuals: actuals.iter().map(|(k, v)| (m(k), *v)).collect(),
            ..WinCondition::default()
        }];
        scored(a).win_conditions.remove(0)
    };
    let w = wc(
        Some(10.0),
        Some("2026-09-30"),
        &[("2026-08", 12.0), ("2026-10", 3.0)],
    );
    assert_eq!((w.status, w.latest_actual), (WinStatus::Met, Some(3.0)));
    // Reached only after the deadline month: missed.
    let w = wc(Some(10.0), Some("2026-09-30"), &[("2026-10", 12.0)]);
    assert_eq!(w.status, WinStatus::Missed);
    // Unmeasured by the deadline is missed too.
    assert_eq!(
        wc(Some(10.0), Some("2026-11-14"), &[]).status,
        WinStatus::Missed
    );
    assert_eq!(
        wc(Some(10.0), Some(AS_OF), &[]).status,
        WinStatus::Unmeasured
    );
    let w = wc(
        Some(10.0),
        Some("2027-01-31"),
        &[("2026-10", 5.0), ("2026-12", 50.0)],
    );
    assert_eq!((w.status, w.latest_actual), (WinStatus::OnTrack, Some(5.0)));
    assert_eq!(wc(None, Some("2027-01-31"), &[]).status, WinStatus::Wish);
    let mut a = healthy();
    a.charter = None;
    assert!(scored(a).win_conditions.is_empty());
}

// ---- next reviews -------------------------------------------------------------------------

#[test]
fn next_reviews_follow_the_cadence() {
    let s = scored(healthy());
    assert_eq!(
        s.next_reviews,
        Some(NextReviews {
            monthly: Some(d("2026-11-15")),
            quarterly: Some(d("2027-01-15")),
            ninety_day: Some(d("2026-04-01")),
        })
    );
    let mut a = healthy();
    let c = a.charter.as_mut().unwrap();
    c.cadence.monthly_review_day = Some(14);
    c.cadence.quarterly_review_months = vec![11];
    let s = scored(a).next_reviews.unwrap();
    assert_eq!(s.monthly, Some(d("2026-12-14")));
    assert_eq!(s.quarterly, Some(d("2027-11-14")));
    let mut a = healthy();
    let c = a.charter.as_mut().unwrap();
    c.cadence.monthly_review_day = None;
    c.review_date = None;
    assert_eq!(
        scored(a).next_reviews,
        Some(NextReviews {
            monthly: None,
            quarterly: None,
            ninety_day: None
        })
    );
    let mut a = healthy();
    a.charter = None;
    assert_eq!(scored(a).next_reviews, None);
}

// ---- portfolio ----------------------------------------------------------------------------

#[test]
fn portfolio_totals() {
    let mut ended = healthy();
    ended.id = "old".into();
    ended.status = Status::Ended;
    ended.revenue.insert(m("2026-10"), 10_000.0);
    ended.charter.as_mut().unwrap().win_conditions[0].by = Some(d("2026-06-30"));
    let mut met = healthy();
    met.id = "met".into();
    met.charter.as_mut().unwrap().win_conditions[0]
        .actuals
        .insert(m("2026-09"), 10_000.0);
    let p = portfolio(vec![healthy(), ended, met, wreck()]);
    let s = score(&p, as_of());
    let t = &s.portfolio;
    assert_eq!(t.latest_month, Some(m("2026-10")));
    // 5,000 + 10,000 + 5,000 + 0 (the wreck has no October entry) over 100,000.
    assert_eq!(t.alliance_share, Some(0.2));
    assert_eq!(t.active, 3);
    // met: 1, missed: 1 (ended, deadline passed); on track and wish do not count.
    assert_eq!(t.goal_attainment, Some(0.5));
    let wreck_flags = &s.alliances[3].flags;
    assert_eq!(
        t.flag_counts.warn + t.flag_counts.critical,
        wreck_flags.len()
    );
    assert_eq!(
        t.flag_counts.critical,
        wreck_flags
            .iter()
            .filter(|f| f.severity == Severity::Critical)
            .count()
    );
    let empty = score(&Portfolio::empty("x"), as_of());
    assert_eq!(empty.portfolio.latest_month, None);
    assert_eq!(empty.portfolio.alliance_share, None);
    assert_eq!(empty.portfolio.goal_attainment, None);
}

#[test]
fn evaluation_date_prefers_cli_then_file_then_today() {
    let mut p = Portfolio::empty("x");
    let today = d("2030-01-01");
    assert_eq!(evaluation_date(&p, None, today), today);
    p.as_of = Some(as_of());
    assert_eq!(evaluation_date(&p, None, today), as_of());
    assert_eq!(
        evaluation_date(&p, Some(d("2026-01-01")), today),
        d("2026-01-01")
    );
}

#[test]
fn json_shape_matches_the_schema() {
    let v = serde_json::to_value(score(&portfolio(vec![wreck()]), as_of())).unwrap();
    let a = &v["alliances"][0];
    assert_eq!(v["as_of"], "2026-11-15");
    assert_eq!(v["portfolio"]["latest_month"], "2026-10");
    // No October entry after the start month counts as 0, not as missing.
    assert_eq!(a["arcr"]["latest"], 0.0);
    assert_eq!(a["execution_speed_days"], serde_json::Value::Null);
    assert_eq!(a["cfr"]["trailing_30d"]["all"], serde_json::Value::Null);
    assert_eq!(a["audit"]["state"], "at_risk");
    assert_eq!(a["flags"][0]["code"], "wish");
    assert_eq!(a["flags"][0]["severity"], "warn");
    assert_eq!(a["win_conditions"][0]["status"], "wish");
    assert!(a["cfr"]["trailing_30d"].get("counts").is_none());
    assert!(a.get("sas_history").is_none());
}

// ---- stability under reordering ----------------------------------------------------------

/// A varied alliance from a seed, with distinct review dates.
fn generated(i: usize, seed: u64) -> Alliance {
    let mut a = if seed.is_multiple_of(3) {
        wreck()
    } else {
        healthy()
    };
    a.id = format!("a{i}");
    a.status = Status::ALL[(seed as usize + i) % 4];
    for (k, c) in a.commitments.iter_mut().enumerate() {
        if (seed >> (k % 60)) & 1 == 1 {
            c.done = None;
        }
    }
    a.reviews.push(quarterly(
        d("2026-06-01") + chrono::TimeDelta::days((seed % 50) as i64),
        sas(5, (seed % 5) as u8 + 3, 6),
        None,
    ));
    a.reviews.push(monthly(d("2026-09-03"), None));
    a
}

proptest! {
    #[test]
    fn scores_do_not_depend_on_order(
        seeds in proptest::collection::vec(any::<u64>(), 1..6),
        shuffle_seed in any::<u64>(),
    ) {
        let alliances: Vec<Alliance> =
            seeds.iter().enumerate().map(|(i, s)| generated(i, *s)).collect();
        let p = portfolio(alliances);
        let base = score(&p, as_of());

        let mut rng = shuffle_seed | 1;
        let mut shuffled = p.clone();
        let mut order: Vec<Alliance> = std::mem::take(&mut shuffled.alliances).into_iter().collect();
        shuffle(&mut order, &mut rng);
        shuffled.alliances = order.into();
        for a in &mut shuffled.alliances {
            shuffle(&mut a.commitments, &mut rng);
            shuffle(&mut a.reviews, &mut rng);
        }
        let other = score(&shuffled, as_of());
        prop_assert_eq!(&base.portfolio, &other.portfolio);
        for a in &base.alliances {
            let b = other.alliances.iter().find(|b| b.id == a.id).unwrap();
            prop_assert_eq!(a, b);
        }
    }
}

/// Fisher–Yates with a xorshift generator: deterministic per proptest case.
fn shuffle<T>(items: &mut [T], state: &mut u64) {
    for i in (1..items.len()).rev() {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        let j = (*state % (i as u64 + 1)) as usize;
        items.swap(i, j);
    }
}

#[test]
fn scoring_many_generated_alliances_keeps_one_result_each_in_order() {
    // Speed is measured by `cargo bench --bench scoring`, never in a timed unit test.
    let alliances: Vec<Alliance> = (0..1_000).map(|i| generated(i, i as u64 * 7)).collect();
    let p = portfolio(alliances);
    let s = score(&p, as_of());
    assert_eq!(s.alliances.len(), 1_000);
    assert!(
        s.alliances
            .iter()
            .zip(&p.alliances)
            .all(|(s, a)| s.id == a.id)
    );
}

#[test]
fn message_number_formatting() {
    assert_eq!(rules::pct(0.62), "62%");
    assert_eq!(rules::pct(0.014), "1.4%");
    assert_eq!(rules::pct(0.6996), "70%");
    assert_eq!(rules::pct(2.0 / 3.0), "66.7%");
    assert_eq!(rules::pct(0.0), "0%");
}

#[test]
fn a_large_portfolio_scores_the_same_in_parallel_as_alliance_by_alliance() {
    let portfolio = crate::generate::generate(super::PARALLEL_FROM + 37, 3);
    let as_of = portfolio.as_of.expect("generated portfolios pin as_of");
    let whole = super::score(&portfolio, as_of);
    assert_eq!(whole.alliances.len(), portfolio.alliances.len());
    for (a, s) in portfolio.alliances.iter().zip(&whole.alliances) {
        assert_eq!(*s, super::score_alliance(&portfolio, a, as_of));
    }
}
