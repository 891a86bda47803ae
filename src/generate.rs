//! Seeded, reproducible generated portfolios for benchmarks, tests and demos of scale.
//!
//! The same `(n, seed)` always gives the same portfolio, on every machine: the PRNG is a tiny
//! xorshift64* written here, so no dependency can change the sequence. Every generated
//! portfolio is valid (`validate` finds no error).

use chrono::{Days, NaiveDate};

use crate::model::{
    Alliance, AllianceKind, Audit, Cadence, Charter, Commitment, Contact, Escalation,
    EscalationItem, FORMAT_VERSION, HealthScore, Measure, Month, MonthlyValues, Party, Portfolio,
    Review, Sas, Scope, Status, WinCondition,
};

/// The months of revenue generated per alliance and for the brand.
pub const MONTHS: u32 = 24;

/// xorshift64*: small, fast, good enough for test data (not for anything secret).
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator from `seed`; seed 0 is remapped (xorshift's state must not be zero).
    pub fn new(seed: u64) -> Self {
        Self(if seed == 0 {
            0x9e37_79b9_7f4a_7c15
        } else {
            seed
        })
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in `lo..=hi` (tiny modulo bias, irrelevant here).
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo + 1)
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.range(0, items.len() as u64 - 1) as usize]
    }
}

const PARTNERS: &[&str] = &[
    "Glow", "Peak", "Harbor", "Fern", "Atlas", "Nimbus", "Cedar", "Orbit", "Juniper", "Quill",
];
const SUFFIXES: &[&str] = &[
    "& Co",
    "Outfitters",
    "Labs",
    "Supply",
    "Collective",
    "Goods",
];

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// A valid portfolio of `n` alliances, each with 24 months of revenue, ~20 commitments, ~8
/// reviews (monthly and quarterly), a charter, an audit and health scores. `as_of` is pinned to
/// 2026-11-15 so scores are reproducible too.
pub fn generate(n: usize, seed: u64) -> Portfolio {
    let mut rng = Rng::new(seed);
    let as_of = date(2026, 11, 15);
    let first = Month::of(as_of).prev();
    let months: Vec<Month> = (0..MONTHS)
        .scan(first, |m, _| {
            let this = *m;
            *m = m.prev();
            Some(this)
        })
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();

    let mut portfolio = Portfolio::empty("Generated Goods");
    portfolio.version = FORMAT_VERSION;
    portfolio.as_of = Some(as_of);
    for &m in &months {
        portfolio
            .revenue
            .insert(m, round2(300_000.0 + rng.unit() * 200_000.0));
    }
    for i in 0..n {
        let alliance = alliance(&mut rng, i, &months, &portfolio.revenue, as_of);
        portfolio.alliances.push(alliance);
    }
    portfolio
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

fn days_before(d: NaiveDate, days: u64) -> NaiveDate {
    d.checked_sub_days(Days::new(days)).unwrap_or(d)
}

fn days_after(d: NaiveDate, days: u64) -> NaiveDate {
    d.checked_add_days(Days::new(days)).unwrap_or(d)
}

fn alliance(
    rng: &mut Rng,
    i: usize,
    months: &[Month],
    brand: &MonthlyValues,
    as_of: NaiveDate,
) -> Alliance {
    let partner = format!("{} {} {i}", rng.pick(PARTNERS), rng.pick(SUFFIXES));
    let kind = *rng.pick(&AllianceKind::ALL);
    let started = days_before(as_of, rng.range(60, 700));
    let mut a = Alliance::new(&format!("a-{i}"), &partner, kind, started);
    a.status = *rng.pick(&[
        Status::Active,
        Status::Active,
        Status::Active,
        Status::WindingDown,
        Status::Proposed,
        Status::Ended,
    ]);

    let share = 0.005 + rng.unit() * 0.06;
    let mut trend = 1.0;
    for m in months.iter().filter(|m| m.last_day() >= started) {
        trend *= 0.9 + rng.unit() * 0.2;
        let total = brand.get(m).copied().unwrap_or(0.0);
        a.revenue
            .insert(*m, round2((total * share * trend).min(total)));
    }

    let review_day = rng.range(1, 28) as u8;
    let q_first = rng.range(1, 3) as u8;
    let win_conditions = (0..rng.range(1, 3))
        .map(|w| {
            let by = days_after(started, rng.range(90, 400));
            let mut actuals = MonthlyValues::new();
            for m in months.iter().rev().take(rng.range(0, 6) as usize) {
                actuals.insert(*m, round2(rng.unit() * 60_000.0));
            }
            WinCondition {
                direction: crate::model::Direction::AtLeast,
                metric: format!("Referral revenue {w}"),
                target: rng
                    .chance(0.85)
                    .then(|| round2(10_000.0 + rng.unit() * 50_000.0)),
                unit: "USD/month".into(),
                by: rng.chance(0.9).then_some(by),
                owner: if rng.chance(0.5) {
                    Party::Us
                } else {
                    Party::Partner
                },
                actuals,
            }
        })
        .collect();
    a.charter = rng.chance(0.85).then(|| Charter {
        win_conditions,
        cadence: Cadence {
            weekly_channel: format!("#{}", a.id),
            monthly_review_day: Some(review_day),
            quarterly_review_months: vec![q_first, q_first + 3, q_first + 6, q_first + 9],
        },
        dashboard: "https://example.com/sheet".into(),
        escalation: Escalation {
            contacts: vec![Contact {
                name: "Dana Lee".into(),
                role: "Head of Partnerships".into(),
                party: Party::Us,
                email: "dana@example.com".into(),
                authority: "Budget up to $10k".into(),
            }],
            triggers: vec!["CFR below 70% in any month".into()],
            resolution_days: rng.range(7, 21) as u32,
        },
        review_date: Some(days_after(started, 90)),
        signed: rng
            .chance(0.8)
            .then(|| days_after(started, rng.range(0, 20))),
    });
    a.audit = Some(Audit {
        date: started,
        original_goal: "Reach the partner's list".into(),
        written_agreement: rng.chance(0.6),
        last_structured_review: rng.chance(0.5).then(|| days_before(started, 10)),
        recent_result: rng.chance(0.7).then(|| Measure {
            value: round2(rng.unit() * 10_000.0),
            unit: "USD".into(),
            date: days_before(started, 1),
        }),
    });
    let score = |rng: &mut Rng| rng.range(1, 5) as u8;
    a.health = (0..rng.range(1, 3))
        .map(|h| HealthScore {
            date: days_after(started, 21 + 90 * h),
            strategic_alignment: score(rng),
            execution_reliability: score(rng),
            revenue_contribution: score(rng),
            relationship_health: score(rng),
        })
        .collect();

    let span = (as_of - started).num_days().max(1) as u64;
    a.commitments = (1..=rng.range(16, 24) as u32)
        .map(|id| {
            let due = days_after(started, rng.range(0, span + 30));
            let done = (due <= as_of && rng.chance(0.75))
                .then(|| days_after(days_before(due, 5), rng.range(0, 12)));
            Commitment {
                id,
                party: if rng.chance(0.5) {
                    Party::Us
                } else {
                    Party::Partner
                },
                action: format!("Action {id}"),
                due,
                done,
            }
        })
        .collect();

    let sas = |rng: &mut Rng| Sas {
        strategy: rng.range(3, 10) as u8,
        enter_again: rng.range(3, 10) as u8,
        trust: rng.range(3, 10) as u8,
    };
    let mut reviews: Vec<Review> = (0..rng.range(6, 10))
        .map(|_| {
            let date = days_after(started, rng.range(20, span));
            if rng.chance(0.7) {
                Review::Monthly {
                    figures: None,
                    date,
                    kpis: "ARCR steady".into(),
                    blockers: "None".into(),
                    next_month: "Launch bundle".into(),
                    escalations: String::new(),
                    summary_sent: rng.chance(0.8).then(|| days_after(date, rng.range(0, 3))),
                }
            } else {
                Review::Quarterly {
                    figures: None,
                    date,
                    still_aligned: "Yes".into(),
                    environment: "Stable".into(),
                    scope: Some(*rng.pick(&Scope::ALL)),
                    opportunities: "Wholesale".into(),
                    sas_us: sas(rng),
                    sas_partner: rng.chance(0.8).then(|| sas(rng)),
                }
            }
        })
        .collect();
    reviews.sort_by_key(Review::date);
    a.reviews = reviews;
    if rng.chance(0.3) {
        let raised = days_before(as_of, rng.range(1, 40));
        a.escalations.push(EscalationItem {
            raised,
            issue: "Shelf space not allocated".into(),
            resolved: rng
                .chance(0.5)
                .then(|| days_after(raised, rng.range(0, 10))),
        });
    }
    a.notes = format!("Internal note for {}", a.partner);
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reproducible_and_valid() {
        let a = generate(30, 7);
        assert_eq!(a, generate(30, 7));
        assert_ne!(a, generate(30, 8));
        let problems = crate::validate::validate(&a);
        assert!(problems.iter().all(|d| !d.is_error()), "{problems:#?}");
        assert_eq!(a.revenue.len(), MONTHS as usize);
        let commitments: usize = a.alliances.iter().map(|x| x.commitments.len()).sum();
        assert!((16 * 30..=24 * 30).contains(&commitments));
    }

    #[test]
    fn round_trips_through_the_file_format() {
        let p = generate(5, 42);
        let text = crate::store::to_canonical_ron(&p);
        assert_eq!(crate::store::parse(&text, "gen").unwrap().portfolio, p);
    }
}
