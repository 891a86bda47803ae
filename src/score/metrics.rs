//! The metrics of SPEC §1.1 for one alliance: ARCR, CFR, execution speed, SAS, health, audit,
//! win conditions and next reviews.
//!
//! Each function takes the alliance and the as-of date and ignores every record dated after it.
//! They are written as single linear passes over the (small, unsorted) record lists so that
//! scoring stays cheap enough to run after every keystroke; none assumes the file is sorted.

use chrono::{Datelike, NaiveDate, TimeDelta};

use crate::model::{Alliance, Charter, Month, MonthlyValues, Party, Review, Sas, WinCondition};

use super::{
    Arcr, AuditResult, AuditState, Cfr, CfrMonth, CfrSplit, HealthSummary, MonthValue, NextReviews,
    SasSummary, WinConditionScore, WinStatus,
};

/// Length of the audit window, in days before the as-of date (inclusive on both ends).
pub const AUDIT_WINDOW_DAYS: i64 = 90;
/// Length of the trailing CFR window, in days.
pub const CFR_TRAILING_DAYS: i64 = 30;
/// Length of the execution-speed window, in days.
pub const SPEED_WINDOW_DAYS: i64 = 90;

/// `date − days`, saturating at the calendar's start rather than panicking on odd input.
pub(crate) fn days_before(date: NaiveDate, days: i64) -> NaiveDate {
    date.checked_sub_signed(TimeDelta::days(days))
        .unwrap_or(NaiveDate::MIN)
}

/// Whole days from `from` to `to` (negative when `to` is earlier).
pub(crate) fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}

/// The latest month of `values` that is not after `month`.
pub(crate) fn latest_up_to(values: &MonthlyValues, month: Month) -> Option<(Month, f64)> {
    values.range(..=month).next_back().map(|(m, v)| (*m, *v))
}

/// ARCR per month (SPEC "ARCR"), with `latest_month` the portfolio's latest month.
///
/// Brand and alliance revenue are both sorted maps, so one merge walk replaces a lookup per
/// month.
pub fn arcr(
    brand: &MonthlyValues,
    alliance: &Alliance,
    as_of: NaiveDate,
    latest_month: Option<Month>,
) -> Arcr {
    let from = Month::of(alliance.started);
    let to = Month::of(as_of);
    // Upper bound: never more ARCR months than brand months, and a single allocation.
    let mut series = Vec::with_capacity(brand.len());
    if from <= to {
        let mut own = alliance.revenue.range(from..=to).peekable();
        for (&month, &total) in brand.range(from..=to) {
            // Skip alliance entries for months the brand has no figure for.
            while own.next_if(|(m, _)| **m < month).is_some() {}
            let attributed = own.next_if(|(m, _)| **m == month).map_or(0.0, |(_, v)| *v);
            if total > 0.0 {
                series.push(MonthValue {
                    month,
                    value: attributed / total,
                });
            }
        }
    }
    let latest = match (series.last(), latest_month) {
        (Some(last), Some(month)) if last.month == month => Some(last.value),
        _ => None,
    };
    Arcr {
        latest,
        month: latest_month,
        series,
    }
}

/// Running completed/due counts for us, partner and both.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Tally([(u32, u32); 3]);

impl Tally {
    fn add(&mut self, party: Party, completed: bool) {
        let side = match party {
            Party::Us => 0,
            Party::Partner => 1,
        };
        for i in [side, 2] {
            self.0[i].1 += 1;
            if completed {
                self.0[i].0 += 1;
            }
        }
    }

    fn rate(pair: (u32, u32)) -> Option<f64> {
        (pair.1 > 0).then(|| f64::from(pair.0) / f64::from(pair.1))
    }

    fn split(self) -> CfrSplit {
        CfrSplit {
            us: Self::rate(self.0[0]),
            partner: Self::rate(self.0[1]),
            all: Self::rate(self.0[2]),
            counts: self.0,
        }
    }

    fn month(self, month: Month) -> CfrMonth {
        CfrMonth {
            month,
            us: Self::rate(self.0[0]),
            partner: Self::rate(self.0[1]),
            all: Self::rate(self.0[2]),
        }
    }
}

/// Reusable buffers so that scoring many alliances allocates only what the output keeps.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    months: Vec<(Month, Tally)>,
    speeds: Vec<i64>,
}

/// CFR, trailing 30 days and per calendar month (SPEC "CFR"), plus the execution speed.
///
/// A commitment due after the as-of date is not in the trailing window nor in the speed, but it
/// is due in its month when that month is the as-of month.
pub(crate) fn cfr_and_speed(
    alliance: &Alliance,
    as_of: NaiveDate,
    scratch: &mut Scratch,
) -> (Cfr, Option<f64>) {
    let trailing_from = days_before(as_of, CFR_TRAILING_DAYS);
    let speed_from = days_before(as_of, SPEED_WINDOW_DAYS);
    let mut trailing = Tally::default();
    scratch.months.clear();
    scratch.speeds.clear();
    // Monthly CFR counts everything due in a month up to and including the as-of month
    // (SPEC §1.1), so a commitment due later this month is already "due" there; the trailing
    // and speed windows end at as-of.
    let last_month = Month::of(as_of);
    for c in &alliance.commitments {
        if Month::of(c.due) > last_month {
            continue;
        }
        let done = c.done.filter(|d| *d <= as_of);
        let month = Month::of(c.due);
        // Few distinct months per alliance: a sorted insert beats sorting afterwards.
        let months = &mut scratch.months;
        let at = months.partition_point(|(m, _)| *m < month);
        if months.get(at).is_none_or(|(m, _)| *m != month) {
            months.insert(at, (month, Tally::default()));
        }
        months[at].1.add(c.party, done.is_some());
        if c.due > as_of {
            continue;
        }
        if c.due > trailing_from {
            trailing.add(c.party, done.is_some());
        }
        if let Some(done) = done
            && c.due > speed_from
        {
            scratch.speeds.push(days_between(c.due, done));
        }
    }
    let monthly = scratch.months.iter().map(|(m, t)| t.month(*m)).collect();
    let speed = median(&mut scratch.speeds);
    (
        Cfr {
            trailing_30d: trailing.split(),
            monthly,
        },
        speed,
    )
}

/// Median of `values` (mean of the two middle ones for an even count); `None` when empty.
fn median(values: &mut [i64]) -> Option<f64> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let (_, &mut upper, _) = values.select_nth_unstable(n / 2);
    if n % 2 == 1 {
        return Some(upper as f64);
    }
    // After the selection every value left of n/2 is ≤ upper; the lower middle is their max.
    let lower = values[..n / 2].iter().copied().max().unwrap_or(upper);
    Some(f64::midpoint(lower as f64, upper as f64))
}

/// The combined SAS: mean of both parties, ours alone when the partner did not answer.
pub fn combined_sas(us: &Sas, partner: Option<&Sas>) -> f64 {
    partner.map_or(us.score(), |p| f64::midpoint(us.score(), p.score()))
}

/// The latest quarterly review's SAS, and the combined SAS of every quarterly review up to
/// as-of, oldest first (equal dates keep file order, so the later one in the file is "latest").
pub fn sas(alliance: &Alliance, as_of: NaiveDate) -> (Option<SasSummary>, Vec<(NaiveDate, f64)>) {
    let mut latest: Option<SasSummary> = None;
    let mut history: Vec<(NaiveDate, f64)> = Vec::new();
    for review in &alliance.reviews {
        let Review::Quarterly {
            date,
            sas_us,
            sas_partner,
            ..
        } = review
        else {
            continue;
        };
        if *date > as_of {
            continue;
        }
        let combined = combined_sas(sas_us, sas_partner.as_ref());
        let at = history.partition_point(|(d, _)| d <= date);
        history.insert(at, (*date, combined));
        if latest.as_ref().is_none_or(|l| *date >= l.date) {
            latest = Some(SasSummary {
                date: *date,
                us: sas_us.score(),
                partner: sas_partner.as_ref().map(Sas::score),
                combined,
            });
        }
    }
    (latest, history)
}

/// The latest health score not after as-of (ties: later in the file).
pub fn health(alliance: &Alliance, as_of: NaiveDate) -> Option<HealthSummary> {
    alliance.latest_health(as_of).map(|h| HealthSummary {
        date: h.date,
        total: h.total(),
    })
}

/// The four audit questions over `[as_of − 90 days, as_of]`, from every piece of evidence.
pub fn audit(alliance: &Alliance, as_of: NaiveDate) -> AuditResult {
    let from = days_before(as_of, AUDIT_WINDOW_DAYS);
    let in_window = |d: NaiveDate| from <= d && d <= as_of;
    // An audit recorded after as-of has not happened yet.
    let record = alliance.audit.as_ref().filter(|a| a.date <= as_of);
    let charter = alliance.charter.as_ref();

    let goal = record.is_some_and(|a| !a.original_goal.trim().is_empty())
        || charter.is_some_and(|c| c.win_conditions.iter().any(WinCondition::has_metric));
    let written_agreement =
        record.is_some_and(|a| a.written_agreement) || charter.is_some_and(|c| is_signed(c, as_of));
    let structured_review = record.is_some_and(|a| a.last_structured_review.is_some_and(in_window))
        || alliance.reviews.iter().any(|r| in_window(r.date()));
    let months = Month::of(from)..=Month::of(as_of);
    let number = record
        .is_some_and(|a| a.recent_result.as_ref().is_some_and(|m| in_window(m.date)))
        || alliance
            .revenue
            .range(months.clone())
            .any(|(_, v)| *v > 0.0)
        || charter.is_some_and(|c| {
            c.win_conditions
                .iter()
                .any(|w| w.actuals.range(months.clone()).next().is_some())
        });

    let answers_yes = u8::from(goal)
        + u8::from(written_agreement)
        + u8::from(structured_review)
        + u8::from(number);
    let state = match (structured_review, number) {
        (false, false) => AuditState::Dead,
        (true, true) => AuditState::Alive,
        _ => AuditState::AtRisk,
    };
    AuditResult {
        answers_yes,
        state,
        goal,
        written_agreement,
        structured_review,
        number,
    }
}

/// Whether the charter carries a signature dated on or before as-of.
pub fn is_signed(charter: &Charter, as_of: NaiveDate) -> bool {
    charter.signed.is_some_and(|s| s <= as_of)
}

/// Every charter win condition with its latest actual and status (SPEC "Win condition status").
pub fn win_conditions(alliance: &Alliance, as_of: NaiveDate) -> Vec<WinConditionScore> {
    let Some(charter) = &alliance.charter else {
        return Vec::new();
    };
    let as_of_month = Month::of(as_of);
    charter
        .win_conditions
        .iter()
        .map(|w| {
            let latest = latest_up_to(&w.actuals, as_of_month);
            let latest_actual = latest.map(|(_, v)| v);
            let status = match (w.target, w.by) {
                (Some(target), Some(by)) => {
                    let last_counted = Month::of(by).min(as_of_month);
                    if w.actuals
                        .range(..=last_counted)
                        .any(|(_, v)| w.direction.reaches(*v, target))
                    {
                        WinStatus::Met
                    } else if by < as_of {
                        WinStatus::Missed
                    } else if latest_actual.is_none() {
                        WinStatus::Unmeasured
                    } else {
                        WinStatus::OnTrack
                    }
                }
                _ => WinStatus::Wish,
            };
            WinConditionScore {
                metric: w.metric.clone(),
                target: w.target,
                unit: w.unit.clone(),
                by: w.by,
                direction: w.direction,
                latest_actual,
                latest_month: latest.map(|(m, _)| m),
                status,
            }
        })
        .collect()
}

/// How far ahead the next-review search looks before giving up (a day-31 review with only
/// short months listed would otherwise never land).
const NEXT_REVIEW_HORIZON_MONTHS: u32 = 60;

/// The last year a file date can have (`"YYYY-MM-DD"`): a next review beyond it is no date.
const LAST_YEAR: i32 = 9999;

/// The first date on or after `from` whose day is `day` and whose month passes `month_ok`;
/// `None` past the year 9999, which the file format cannot write.
fn next_on_day(from: NaiveDate, day: u8, month_ok: impl Fn(u32) -> bool) -> Option<NaiveDate> {
    let mut month = Month::of(from);
    for _ in 0..NEXT_REVIEW_HORIZON_MONTHS {
        if month.year() > LAST_YEAR {
            return None;
        }
        if month_ok(month.number())
            && let Some(date) = month.first_day().with_day(u32::from(day))
            && date >= from
        {
            return Some(date);
        }
        month = month.next();
    }
    None
}

/// The first MBR date strictly after `date` (the meeting after the one held on `date`); `None`
/// without a charter or a review day.
pub fn next_monthly_review_after(alliance: &Alliance, date: NaiveDate) -> Option<NaiveDate> {
    let day = alliance.charter.as_ref()?.cadence.monthly_review_day?;
    next_on_day(date.succ_opt()?, day, |_| true)
}

/// The next MBR, QSR and 90-day review; `None` without a charter.
pub fn next_reviews(alliance: &Alliance, as_of: NaiveDate) -> Option<NextReviews> {
    let charter = alliance.charter.as_ref()?;
    let cadence = &charter.cadence;
    let day = cadence.monthly_review_day;
    let monthly = day.and_then(|d| next_on_day(as_of, d, |_| true));
    let quarterly = match day {
        Some(d) if !cadence.quarterly_review_months.is_empty() => next_on_day(as_of, d, |m| {
            cadence
                .quarterly_review_months
                .iter()
                .any(|q| u32::from(*q) == m)
        }),
        _ => None,
    };
    Some(NextReviews {
        monthly,
        quarterly,
        ninety_day: charter.review_date,
    })
}
