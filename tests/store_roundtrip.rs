//! Property test: any portfolio (arbitrary text incl. unicode, quotes, backslashes and
//! newlines; options Some/None; finite floats; valid dates and months) survives
//! `to_canonical_ron` → `parse` unchanged, and the canonical text is a fixed point.

use alliance_desk::model::{
    Alliance, AllianceKind, CfrFigures, Charter, Commitment, Direction, EscalationItem, Figures,
    HealthScore, Month, MonthFigure, MonthlyValues, Party, Portfolio, Review, Sas, Scope, Status,
    WinCondition, WinFigure, WinState,
};
use alliance_desk::store::{parse, to_canonical_ron};
use chrono::NaiveDate;
use proptest::collection::{btree_map, vec};
use proptest::prelude::*;

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        ".*",
        "[a-z \"\\\\\n\t#/*]{0,12}",
        Just("r#\"raw\"#".to_owned()),
        Just("// not a comment /* nor this */".to_owned()),
        Just("émoji 🎉 中文 \u{301}".to_owned()),
    ]
}

fn date() -> impl Strategy<Value = NaiveDate> {
    (1990i32..2100, 1u32..=12, 1u32..=31).prop_map(|(y, m, d)| {
        NaiveDate::from_ymd_opt(y, m, d)
            .or_else(|| NaiveDate::from_ymd_opt(y, m, 28))
            .unwrap()
    })
}

fn month() -> impl Strategy<Value = Month> {
    (1990i32..2100, 1u32..=12).prop_map(|(y, m)| Month::new(y, m).unwrap())
}

fn number() -> impl Strategy<Value = f64> {
    prop_oneof![
        0.0f64..1e7,
        proptest::num::f64::NORMAL | proptest::num::f64::SUBNORMAL | proptest::num::f64::ZERO,
    ]
}

fn values() -> impl Strategy<Value = MonthlyValues> {
    btree_map(month(), number(), 0..4)
}

fn party() -> impl Strategy<Value = Party> {
    prop_oneof![Just(Party::Us), Just(Party::Partner)]
}

fn sas() -> impl Strategy<Value = Sas> {
    (1u8..=10, 1u8..=10, 1u8..=10).prop_map(|(strategy, enter_again, trust)| Sas {
        strategy,
        enter_again,
        trust,
    })
}

fn win_condition() -> impl Strategy<Value = WinCondition> {
    (
        text(),
        proptest::option::of(number()),
        text(),
        proptest::option::of(date()),
        party(),
        values(),
        direction(),
    )
        .prop_map(
            |(metric, target, unit, by, owner, actuals, direction)| WinCondition {
                direction,
                metric,
                target,
                unit,
                by,
                owner,
                actuals,
            },
        )
}

fn direction() -> impl Strategy<Value = Direction> {
    prop_oneof![Just(Direction::AtLeast), Just(Direction::AtMost)]
}

fn month_figure() -> impl Strategy<Value = MonthFigure> {
    (month(), number()).prop_map(|(month, value)| MonthFigure { month, value })
}

fn win_figure() -> impl Strategy<Value = WinFigure> {
    (
        text(),
        proptest::option::of(number()),
        proptest::option::of(date()),
        direction(),
        proptest::option::of(month_figure()),
        prop_oneof![
            Just(WinState::Wish),
            Just(WinState::Met),
            Just(WinState::Missed),
            Just(WinState::Unmeasured),
            Just(WinState::OnTrack),
        ],
    )
        .prop_map(
            |(metric, target, by, direction, latest, status)| WinFigure {
                metric,
                target,
                unit: "USD".to_owned(),
                by,
                direction,
                latest,
                status,
            },
        )
}

fn figures() -> impl Strategy<Value = Option<Figures>> {
    proptest::option::of((
        proptest::option::of(month_figure()),
        proptest::option::of(0.0f64..=1.0),
        proptest::option::of(4u8..=20),
        vec(win_figure(), 0..3),
    ))
    .prop_map(|f| {
        f.map(|(arcr, cfr, health, win_conditions)| Figures {
            arcr,
            cfr_30d: CfrFigures {
                us: cfr,
                partner: None,
                all: cfr,
            },
            health,
            win_conditions,
        })
    })
}

fn charter() -> impl Strategy<Value = Charter> {
    (
        vec(win_condition(), 0..3),
        text(),
        proptest::option::of(1u8..=28),
        vec(1u8..=12, 0..4),
        proptest::option::of(date()),
        proptest::option::of(date()),
        text(),
    )
        .prop_map(|(wcs, channel, day, months, review_date, signed, dash)| {
            let mut c = Charter {
                win_conditions: wcs,
                dashboard: dash,
                review_date,
                signed,
                ..Charter::default()
            };
            c.cadence.weekly_channel = channel;
            c.cadence.monthly_review_day = day;
            c.cadence.quarterly_review_months = months;
            c.escalation.triggers = vec!["CFR \"low\"".into()];
            c
        })
}

fn review() -> impl Strategy<Value = Review> {
    prop_oneof![
        (date(), text(), proptest::option::of(date()), figures()).prop_map(
            |(date, kpis, summary_sent, figures)| Review::Monthly {
                figures,
                date,
                kpis,
                blockers: String::new(),
                next_month: "\\n".into(),
                escalations: String::new(),
                summary_sent,
            }
        ),
        (
            date(),
            text(),
            sas(),
            proptest::option::of(sas()),
            figures()
        )
            .prop_map(|(date, still_aligned, sas_us, sas_partner, figures)| {
                Review::Quarterly {
                    figures,
                    date,
                    still_aligned,
                    environment: String::new(),
                    scope: Some(Scope::Maintain),
                    opportunities: String::new(),
                    sas_us,
                    sas_partner,
                }
            }),
    ]
}

fn alliance(i: usize) -> impl Strategy<Value = Alliance> {
    (
        text(),
        date(),
        proptest::option::of(charter()),
        values(),
        vec(
            (party(), text(), date(), proptest::option::of(date())),
            0..4,
        ),
        vec(review(), 0..3),
        proptest::option::of(date()),
        text(),
        (1u8..=5, 1u8..=5),
    )
        .prop_map(
            move |(partner, started, charter, revenue, cs, reviews, resolved, notes, hs)| {
                let mut a = Alliance::new(
                    &format!("a-{i}"),
                    &format!("P{partner}"),
                    AllianceKind::ALL[i % 7],
                    started,
                );
                a.status = Status::ALL[i % 4];
                a.charter = charter;
                a.revenue = revenue;
                a.commitments = cs
                    .into_iter()
                    .enumerate()
                    .map(|(j, (party, action, due, done))| Commitment {
                        id: j as u32 + 1,
                        party,
                        action,
                        due,
                        done,
                    })
                    .collect();
                a.reviews = reviews;
                a.health = vec![HealthScore {
                    date: started,
                    strategic_alignment: hs.0,
                    execution_reliability: hs.1,
                    revenue_contribution: 3,
                    relationship_health: 5,
                }];
                a.escalations = vec![EscalationItem {
                    raised: started,
                    issue: notes.clone(),
                    resolved,
                }];
                a.notes = notes;
                a
            },
        )
}

fn portfolio() -> impl Strategy<Value = Portfolio> {
    (
        text(),
        text(),
        proptest::option::of(date()),
        values(),
        alliance(0),
        alliance(1),
        0usize..=2,
    )
        .prop_map(|(brand, currency, as_of, revenue, a0, a1, count)| {
            let mut p = Portfolio::empty(&format!("B{brand}"));
            p.currency = currency;
            p.as_of = as_of;
            p.revenue = revenue;
            p.alliances = [a0, a1].into_iter().take(count).collect();
            p
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn canonical_text_round_trips(p in portfolio()) {
        let text = to_canonical_ron(&p);
        let loaded = parse(&text, "prop.ron").map_err(|e| {
            TestCaseError::fail(format!("{e}\n--- text ---\n{text}"))
        })?;
        prop_assert_eq!(&loaded.portfolio, &p);
        prop_assert!(!loaded.has_comments);
        prop_assert_eq!(to_canonical_ron(&loaded.portfolio), text);
    }
}
