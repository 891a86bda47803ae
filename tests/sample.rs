//! The embedded Northwind sample: it parses, and under its pinned as-of date it raises exactly
//! the flags the demo is built to show — every one of the 15 codes, and none on the healthy
//! alliances.

use std::collections::BTreeSet;

use alliance_desk::model::{AllianceKind, Portfolio, Status};
use alliance_desk::sample::NORTHWIND;
use alliance_desk::score::{FlagCode, Scores, WinStatus, evaluation_date, score};
use chrono::NaiveDate;

fn northwind() -> Portfolio {
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .from_str::<Portfolio>(NORTHWIND)
        .expect("the sample parses")
}

fn scored() -> Scores {
    let p = northwind();
    // The file pins its own as-of date, so "today" must not matter.
    let as_of = evaluation_date(&p, None, NaiveDate::MIN);
    assert_eq!(as_of, NaiveDate::from_ymd_opt(2026, 11, 15).unwrap());
    score(&p, as_of)
}

#[test]
fn each_alliance_raises_exactly_its_flags() {
    use FlagCode::*;
    let expected: &[(&str, &[FlagCode])] = &[
        ("glow", &[]),
        ("summit", &[]),
        ("loom", &[]),
        (
            "harbor",
            &[
                HealthConversation,
                ArcrLow,
                ArcrDeclining,
                CfrRed,
                CfrCritical,
                SummaryLate,
                EscalationOverdue,
            ],
        ),
        (
            "parcelpoint",
            &[
                HealthConversation,
                AuditAtRisk,
                ArcrLow,
                SasExit,
                AlignmentExit,
            ],
        ),
        (
            "brightside",
            &[
                Wish,
                NoCharter,
                AuditDead,
                ArcrLow,
                MbrOverdue,
                QsrOverdue,
                SummaryLate,
            ],
        ),
        ("cornerstone", &[]),
        ("fernwood", &[]),
    ];
    let s = scored();
    let actual: Vec<(&str, Vec<FlagCode>)> = s
        .alliances
        .iter()
        .map(|a| (a.id.as_str(), a.flags.iter().map(|f| f.code).collect()))
        .collect();
    let expected: Vec<(&str, Vec<FlagCode>)> =
        expected.iter().map(|(id, c)| (*id, c.to_vec())).collect();
    assert_eq!(actual, expected);
}

#[test]
fn every_flag_code_fires_somewhere() {
    let s = scored();
    let raised: BTreeSet<FlagCode> = s
        .alliances
        .iter()
        .flat_map(|a| a.flags.iter().map(|f| f.code))
        .collect();
    for code in FlagCode::ALL {
        assert!(raised.contains(&code), "{} never fires", code.code());
    }
}

#[test]
fn the_sample_covers_every_kind_and_status_and_sits_in_the_band() {
    let p = northwind();
    let kinds: BTreeSet<AllianceKind> = p.alliances.iter().map(|a| a.kind).collect();
    assert_eq!(kinds.len(), AllianceKind::ALL.len());
    let statuses: BTreeSet<Status> = p.alliances.iter().map(|a| a.status).collect();
    assert_eq!(statuses.len(), Status::ALL.len());
    assert_eq!(p.pipeline.len(), 3);
    let totals: Vec<Option<u32>> = p
        .pipeline
        .iter()
        .map(|i| i.score.map(|s| s.total()))
        .collect();
    assert_eq!(totals, [Some(14), Some(10), None]);

    let s = scored();
    let share = s.portfolio.alliance_share.unwrap();
    assert!((0.15..=0.25).contains(&share), "alliance share {share}");
    assert_eq!(s.portfolio.latest_month.unwrap().to_string(), "2026-10");
    assert_eq!(s.portfolio.active, 5);
    // met: glow, summit, fernwood; missed: harbor, parcelpoint (on-time rate and, lower being
    // better, cost per order: 5.10 is not ≤ 4.50).
    assert_eq!(s.portfolio.goal_attainment, Some(0.5));
    let parcelpoint = s.alliances.iter().find(|a| a.id == "parcelpoint").unwrap();
    let cost = &parcelpoint.win_conditions[1];
    assert_eq!(cost.direction, alliance_desk::model::Direction::AtMost);
    assert_eq!(cost.status, WinStatus::Missed);
    // The MBR of 2026-11-12 keeps the figures it showed.
    let p = northwind();
    let mbr = p
        .alliance("glow")
        .unwrap()
        .reviews
        .iter()
        .find(|r| r.date().to_string() == "2026-11-12")
        .unwrap();
    assert_eq!(mbr.figures().unwrap().health, Some(17));
    let glow = &s.alliances[0];
    assert_eq!(
        glow.win_conditions
            .iter()
            .map(|w| w.status)
            .collect::<Vec<_>>(),
        [WinStatus::Met, WinStatus::OnTrack]
    );
    // The healthy alliances grow at or above the 2% line.
    for a in &s.alliances[..3] {
        assert!(a.arcr.latest.unwrap() >= 0.02, "{}", a.id);
        assert!(a.health.as_ref().unwrap().total >= 12, "{}", a.id);
    }
}

#[test]
fn flag_messages_carry_their_numbers() {
    let s = scored();
    let harbor = s.alliances.iter().find(|a| a.id == "harbor").unwrap();
    let messages: Vec<&str> = harbor.flags.iter().map(|f| f.message.as_str()).collect();
    assert!(messages.contains(&"health 11/20 on 2026-10-02 (< 12)"));
    assert!(messages.contains(&"ARCR 1.4% in 2026-10 after 14 months (< 2%)"));
    assert!(messages.contains(&"CFR 25% and 33.3% in 2026-09, 2026-10 (< 70%)"));
}
