//! Outcomes: whether governing the alliances is working (the seed's headline results).
//!
//! The protocol promises alliances that last 36+ months instead of a 12-month median, and goal
//! attainment rising from about 30% to over 65%. These figures put that on screen: each
//! alliance's lifespan, the median lifespan with and without a signed charter, goal attainment
//! per quarter, the alliance share per month against its 15–25% band, and the alliances that
//! contribute most. Like the rest of the engine, a pure function of the portfolio and as-of.
//!
//! **When an alliance ended.** The file has no end date, so an `Ended` alliance ends on its
//! latest record on or before as-of: a revenue month (its last day), a commitment's due or done
//! date, a review, a health score, an escalation raised or resolved, the charter's signature;
//! with no record at all it ended the day it started. Every other started alliance runs until
//! as-of. `Proposed` alliances and those starting after as-of have no lifespan yet.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::model::{Alliance, Month, Portfolio, Review, Status};

use super::WinStatus;
use super::metrics::{is_signed, latest_up_to, win_conditions};

/// The lower edge of the alliance share's target band (SPEC §1.1).
pub const SHARE_BAND_LOW: f64 = 0.15;
/// The upper edge of the alliance share's target band.
pub const SHARE_BAND_HIGH: f64 = 0.25;
/// How many contributing alliances [`Outcomes::top_contributors`] lists.
pub const TOP_CONTRIBUTORS: usize = 5;
/// How many quarters of goal attainment are kept (three years).
pub const QUARTERS: usize = 12;
/// How many months of alliance share are kept (two years).
pub const SHARE_MONTHS: usize = 24;

/// The portfolio's outcomes, the `outcomes` member of `score --json`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Outcomes {
    /// One entry per started, non-`Proposed` alliance, in file order.
    pub lifespans: Vec<Lifespan>,
    /// Median lifespans of alliances governed by a signed charter against the others.
    pub median_lifespan_months: MedianLifespans,
    /// Goal attainment as known at the end of each quarter (the last one: as of the as-of date),
    /// oldest first, at most [`QUARTERS`].
    pub goal_attainment_by_quarter: Vec<QuarterAttainment>,
    /// The alliance share of each brand-revenue month up to the as-of month, oldest first, at
    /// most [`SHARE_MONTHS`].
    pub alliance_share_by_month: Vec<ShareMonth>,
    /// The alliances with the most attributed revenue over the 12 months ending with the latest
    /// month, most first, at most [`TOP_CONTRIBUTORS`], none with zero revenue.
    pub top_contributors: Vec<Contributor>,
}

/// How long one alliance has lasted.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Lifespan {
    pub id: String,
    pub partner: String,
    pub status: Status,
    pub started: NaiveDate,
    /// The end date of an `Ended` alliance (its latest record); `null` while it runs.
    pub ended: Option<NaiveDate>,
    /// Whole calendar months from `started` to `ended` (or as-of).
    pub months: u32,
    /// Its charter was signed on or before as-of.
    pub governed: bool,
}

/// Median lifespan in months (`null` when the group is empty) and the group sizes.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MedianLifespans {
    pub governed: Option<f64>,
    pub ungoverned: Option<f64>,
    pub governed_count: usize,
    pub ungoverned_count: usize,
}

/// Goal attainment (met ÷ (met + missed)) as known on `date`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QuarterAttainment {
    /// `"2026-Q3"`.
    pub quarter: String,
    /// The quarter's last day, or the as-of date for the running quarter.
    pub date: NaiveDate,
    pub met: u32,
    pub missed: u32,
    /// `null` when nothing was met or missed yet.
    pub value: Option<f64>,
}

/// Where a share sits against the 15–25% band.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    Below,
    Within,
    Above,
}

impl Band {
    /// The band of `share`: 15% and 25% themselves are within.
    pub fn of(share: f64) -> Self {
        if share < SHARE_BAND_LOW {
            Self::Below
        } else if share > SHARE_BAND_HIGH {
            Self::Above
        } else {
            Self::Within
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Below => "below the band",
            Self::Within => "within the band",
            Self::Above => "above the band",
        }
    }
}

/// The alliance share of one month.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ShareMonth {
    pub month: Month,
    pub value: f64,
    pub band: Band,
}

/// One of the alliances that contribute most.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Contributor {
    pub id: String,
    pub partner: String,
    /// Attributed revenue over the 12 months ending with the latest month.
    pub revenue_12m: f64,
    /// Its part of all alliances' attributed revenue over those months.
    pub share_of_alliance_revenue: f64,
}

/// The outcomes of `portfolio` as of `as_of`.
pub fn outcomes(portfolio: &Portfolio, as_of: NaiveDate) -> Outcomes {
    let lifespans: Vec<Lifespan> = portfolio
        .alliances
        .iter()
        .filter_map(|a| lifespan(a, as_of))
        .collect();
    let (mut governed, mut ungoverned) = (Vec::new(), Vec::new());
    for l in &lifespans {
        if l.governed {
            governed.push(l.months);
        } else {
            ungoverned.push(l.months);
        }
    }
    Outcomes {
        median_lifespan_months: MedianLifespans {
            governed_count: governed.len(),
            ungoverned_count: ungoverned.len(),
            governed: median(&mut governed),
            ungoverned: median(&mut ungoverned),
        },
        lifespans,
        goal_attainment_by_quarter: attainment_by_quarter(portfolio, as_of),
        alliance_share_by_month: share_by_month(portfolio, as_of),
        top_contributors: top_contributors(portfolio, as_of),
    }
}

/// The lifespan of one alliance, or `None` when it has not started (Proposed, or after as-of).
pub fn lifespan(a: &Alliance, as_of: NaiveDate) -> Option<Lifespan> {
    if a.status == Status::Proposed || a.started > as_of {
        return None;
    }
    let ended = (a.status == Status::Ended).then(|| end_date(a, as_of));
    let end = ended.unwrap_or(as_of);
    Some(Lifespan {
        id: a.id.clone(),
        partner: a.partner.clone(),
        status: a.status,
        started: a.started,
        ended,
        months: whole_months(a.started, end),
        governed: a.charter.as_ref().is_some_and(|c| is_signed(c, as_of)),
    })
}

/// The latest record of an alliance on or before `as_of`, never before it started.
pub fn end_date(a: &Alliance, as_of: NaiveDate) -> NaiveDate {
    let revenue = a
        .revenue
        .range(..=Month::of(as_of))
        .map(|(m, _)| m.last_day().min(as_of));
    let commitments = a
        .commitments
        .iter()
        .flat_map(|c| std::iter::once(c.due).chain(c.done));
    let reviews = a.reviews.iter().map(|r| match r {
        Review::Monthly { date, .. } | Review::Quarterly { date, .. } => *date,
    });
    let health = a.health.iter().map(|h| h.date);
    let escalations = a
        .escalations
        .iter()
        .flat_map(|e| std::iter::once(e.raised).chain(e.resolved));
    let signed = a.charter.iter().filter_map(|c| c.signed);
    revenue
        .chain(commitments)
        .chain(reviews)
        .chain(health)
        .chain(escalations)
        .chain(signed)
        .filter(|d| *d <= as_of)
        .max()
        .map_or(a.started, |d| d.max(a.started))
}

/// Completed calendar months from `from` to `to`: 2025-01-15 → 2026-01-14 is 11, → 2026-01-15
/// is 12. A start on the 31st completes its month on the last day of a shorter month.
pub fn whole_months(from: NaiveDate, to: NaiveDate) -> u32 {
    if to <= from {
        return 0;
    }
    let mut months = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32;
    let to_is_month_end = Month::of(to).last_day() == to;
    if to.day() < from.day() && !to_is_month_end {
        months -= 1;
    }
    u32::try_from(months).unwrap_or(0)
}

/// The median (mean of the two middle values for an even count); `None` when empty.
pub fn median(values: &mut [u32]) -> Option<f64> {
    values.sort_unstable();
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(f64::from(values[n / 2])),
        _ => Some(f64::midpoint(
            f64::from(values[n / 2 - 1]),
            f64::from(values[n / 2]),
        )),
    }
}

/// The quarter (1–4) of a month.
fn quarter_of(month: Month) -> u32 {
    (month.number() - 1) / 3 + 1
}

fn attainment_by_quarter(portfolio: &Portfolio, as_of: NaiveDate) -> Vec<QuarterAttainment> {
    // From the quarter of the earliest start, at most QUARTERS quarters back from as-of.
    let Some(first) = portfolio
        .alliances
        .iter()
        .map(|a| a.started)
        .filter(|d| *d <= as_of)
        .min()
    else {
        return Vec::new();
    };
    let mut ends = Vec::new();
    let mut month = Month::of(as_of);
    // The running quarter is known as of as-of; earlier ones at their last day.
    let mut date = as_of;
    loop {
        ends.push((month, date));
        let quarter_start =
            Month::new(month.year(), (quarter_of(month) - 1) * 3 + 1).unwrap_or(month);
        if ends.len() == QUARTERS || quarter_start <= Month::of(first) {
            break;
        }
        month = quarter_start.prev();
        date = month.last_day();
    }
    ends.reverse();
    ends.into_iter()
        .map(|(month, date)| {
            let (mut met, mut missed) = (0u32, 0u32);
            for a in &portfolio.alliances {
                for w in win_conditions(a, date) {
                    match w.status {
                        WinStatus::Met => met += 1,
                        WinStatus::Missed => missed += 1,
                        _ => {}
                    }
                }
            }
            QuarterAttainment {
                quarter: format!("{}-Q{}", month.year(), quarter_of(month)),
                date,
                met,
                missed,
                value: (met + missed > 0).then(|| f64::from(met) / f64::from(met + missed)),
            }
        })
        .collect()
}

fn share_by_month(portfolio: &Portfolio, as_of: NaiveDate) -> Vec<ShareMonth> {
    let mut out: Vec<ShareMonth> = portfolio
        .revenue
        .range(..=Month::of(as_of))
        .rev()
        .filter(|(_, brand)| **brand > 0.0)
        .take(SHARE_MONTHS)
        .map(|(month, brand)| {
            let sum: f64 = portfolio
                .alliances
                .iter()
                .filter_map(|a| a.revenue.get(month))
                .sum();
            let value = sum / brand;
            ShareMonth {
                month: *month,
                value,
                band: Band::of(value),
            }
        })
        .collect();
    out.reverse();
    out
}

fn top_contributors(portfolio: &Portfolio, as_of: NaiveDate) -> Vec<Contributor> {
    let Some((latest, _)) = latest_up_to(&portfolio.revenue, Month::of(as_of)) else {
        return Vec::new();
    };
    let mut first = latest;
    for _ in 0..11 {
        first = first.prev();
    }
    let mut totals: Vec<(usize, f64)> = portfolio
        .alliances
        .iter()
        .enumerate()
        .map(|(i, a)| (i, a.revenue.range(first..=latest).map(|(_, v)| v).sum()))
        .filter(|(_, v)| *v > 0.0)
        .collect();
    let all: f64 = totals.iter().map(|(_, v)| v).sum();
    // Most first; a tie keeps file order (the sort is stable).
    totals.sort_by(|a, b| b.1.total_cmp(&a.1));
    totals
        .into_iter()
        .take(TOP_CONTRIBUTORS)
        .map(|(i, revenue_12m)| {
            let a = &portfolio.alliances[i];
            Contributor {
                id: a.id.clone(),
                partner: a.partner.clone(),
                revenue_12m,
                share_of_alliance_revenue: revenue_12m / all,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AllianceKind, Charter, Commitment, Party};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn m(s: &str) -> Month {
        s.parse().unwrap()
    }

    fn alliance(id: &str, status: Status, started: &str) -> Alliance {
        let mut a = Alliance::new(id, &id.to_uppercase(), AllianceKind::Wholesale, d(started));
        a.status = status;
        a
    }

    fn signed(a: &mut Alliance, on: &str) {
        a.charter = Some(Charter {
            signed: Some(d(on)),
            ..Charter::default()
        });
    }

    #[test]
    fn whole_months_at_the_boundaries() {
        assert_eq!(whole_months(d("2025-01-15"), d("2026-01-14")), 11);
        assert_eq!(whole_months(d("2025-01-15"), d("2026-01-15")), 12);
        assert_eq!(whole_months(d("2025-01-15"), d("2026-01-16")), 12);
        assert_eq!(whole_months(d("2025-01-31"), d("2025-02-28")), 1);
        assert_eq!(whole_months(d("2025-01-31"), d("2025-02-27")), 0);
        assert_eq!(whole_months(d("2025-01-15"), d("2025-01-15")), 0);
        assert_eq!(whole_months(d("2025-03-01"), d("2025-01-15")), 0);
    }

    #[test]
    fn median_odd_even_and_empty() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [7]), Some(7.0));
        assert_eq!(median(&mut [36, 12, 24]), Some(24.0));
        assert_eq!(median(&mut [12, 36]), Some(24.0));
    }

    #[test]
    fn running_alliances_last_to_as_of_and_ended_ones_to_their_latest_record() {
        let as_of = d("2026-11-15");
        let running = alliance("run", Status::Active, "2025-11-15");
        assert_eq!(lifespan(&running, as_of).unwrap().months, 12);
        assert_eq!(lifespan(&running, d("2026-11-14")).unwrap().months, 11);
        let mut ended = alliance("end", Status::Ended, "2025-01-10");
        ended.revenue.insert(m("2025-06"), 100.0);
        ended.commitments.push(Commitment {
            id: 1,
            party: Party::Us,
            action: "x".into(),
            due: d("2025-08-09"),
            done: Some(d("2025-08-10")),
        });
        // A record after as-of does not exist yet.
        ended.revenue.insert(m("2027-01"), 100.0);
        let l = lifespan(&ended, as_of).unwrap();
        assert_eq!(l.ended, Some(d("2025-08-10")));
        assert_eq!(l.months, 7);
        let empty = alliance("bare", Status::Ended, "2025-01-10");
        assert_eq!(lifespan(&empty, as_of).unwrap().months, 0);
        assert!(lifespan(&alliance("p", Status::Proposed, "2025-01-01"), as_of).is_none());
        assert!(lifespan(&alliance("f", Status::Active, "2026-11-16"), as_of).is_none());
        assert!(lifespan(&alliance("t", Status::Active, "2026-11-15"), as_of).is_some());
    }

    #[test]
    #[expect(
        clippy::many_single_char_names,
        reason = "alliances named by their ids"
    )]
    fn governed_means_signed_on_or_before_as_of() {
        let as_of = d("2026-11-15");
        let mut a = alliance("a", Status::Active, "2024-11-15");
        signed(&mut a, "2026-11-15");
        let mut b = alliance("b", Status::Active, "2025-11-15");
        signed(&mut b, "2026-11-16");
        let c = alliance("c", Status::WindingDown, "2026-05-15");
        let mut p = Portfolio::empty("B");
        p.alliances = vec![a, b, c].into();
        let o = outcomes(&p, as_of);
        assert_eq!(o.median_lifespan_months.governed, Some(24.0));
        assert_eq!(o.median_lifespan_months.governed_count, 1);
        assert_eq!(o.median_lifespan_months.ungoverned, Some(9.0));
        assert_eq!(o.median_lifespan_months.ungoverned_count, 2);
    }

    #[test]
    fn band_edges_are_within() {
        assert_eq!(Band::of(0.149_999), Band::Below);
        assert_eq!(Band::of(0.15), Band::Within);
        assert_eq!(Band::of(0.25), Band::Within);
        assert_eq!(Band::of(0.250_001), Band::Above);
    }

    #[test]
    fn share_by_month_skips_zero_brand_months_and_months_after_as_of() {
        let mut p = Portfolio::empty("B");
        p.revenue.insert(m("2026-09"), 1000.0);
        p.revenue.insert(m("2026-10"), 0.0);
        p.revenue.insert(m("2026-11"), 1000.0);
        p.revenue.insert(m("2026-12"), 1000.0);
        let mut a = alliance("a", Status::Ended, "2025-01-01");
        a.revenue.insert(m("2026-09"), 250.0);
        a.revenue.insert(m("2026-11"), 100.0);
        p.alliances.push(a);
        let s = share_by_month(&p, d("2026-11-15"));
        assert_eq!(s.len(), 2);
        assert_eq!(
            (s[0].month, s[0].value, s[0].band),
            (m("2026-09"), 0.25, Band::Within)
        );
        assert_eq!((s[1].month, s[1].band), (m("2026-11"), Band::Below));
    }

    #[test]
    fn attainment_per_quarter_counts_as_known_at_each_quarter_end() {
        use crate::model::WinCondition;
        let mut a = alliance("a", Status::Active, "2026-01-10");
        let wc = |by: &str, actual: Option<(&str, f64)>| WinCondition {
            metric: "m".into(),
            target: Some(10.0),
            by: Some(d(by)),
            actuals: actual.map(|(mo, v)| (m(mo), v)).into_iter().collect(),
            ..WinCondition::default()
        };
        a.charter = Some(Charter {
            win_conditions: vec![
                wc("2026-03-31", Some(("2026-02", 12.0))),
                wc("2026-06-30", None),
            ],
            ..Charter::default()
        });
        let mut p = Portfolio::empty("B");
        p.alliances.push(a);
        let q = attainment_by_quarter(&p, d("2026-07-01"));
        let got: Vec<_> = q
            .iter()
            .map(|x| (x.quarter.as_str(), x.met, x.missed, x.value))
            .collect();
        assert_eq!(
            got,
            vec![
                ("2026-Q1", 1, 0, Some(1.0)),
                // On 2026-06-30 the second condition's deadline is today: not missed yet.
                ("2026-Q2", 1, 0, Some(1.0)),
                ("2026-Q3", 1, 1, Some(0.5)),
            ]
        );
        assert_eq!(q[2].date, d("2026-07-01"));
    }

    #[test]
    #[expect(
        clippy::many_single_char_names,
        reason = "alliances named by their ids"
    )]
    fn top_contributors_rank_the_last_twelve_months() {
        let mut p = Portfolio::empty("B");
        p.revenue.insert(m("2026-10"), 1000.0);
        let mut a = alliance("a", Status::Active, "2024-01-01");
        a.revenue.insert(m("2025-10"), 900.0); // 13 months back: outside
        a.revenue.insert(m("2025-11"), 10.0); // 12 months back: inside
        let mut b = alliance("b", Status::Ended, "2024-01-01");
        b.revenue.insert(m("2026-10"), 30.0);
        let c = alliance("c", Status::Active, "2024-01-01");
        p.alliances = vec![a, b, c].into();
        let t = top_contributors(&p, d("2026-11-15"));
        let got: Vec<_> = t.iter().map(|c| (c.id.as_str(), c.revenue_12m)).collect();
        assert_eq!(got, vec![("b", 30.0), ("a", 10.0)]);
        assert!((t[0].share_of_alliance_revenue - 0.75).abs() < 1e-9);
    }
}
