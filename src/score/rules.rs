//! The flag rules of SPEC §1.1: which rules hold for one alliance, each with the numbers
//! behind it.
//!
//! Rules read the already computed metrics where they can, so a flag and the figure on screen
//! can never disagree. Each rule is checked once, in [`FlagCode`] order, which is also the
//! output order.

use std::fmt::Write as _;

use chrono::NaiveDate;

use crate::model::{
    Alliance, HEALTH_THRESHOLD, Month, Review, SAS_EXIT_THRESHOLD, Status, add_months,
};

use super::metrics::{days_between, is_signed};
use super::{AllianceScores, AuditState, Flag, FlagCode};

/// ARCR below this, for an alliance at least [`ARCR_MIN_AGE_MONTHS`] old, is low.
pub const ARCR_LOW: f64 = 0.02;
/// Age in months from which `arcr_low` applies.
pub const ARCR_MIN_AGE_MONTHS: u32 = 6;
/// Monthly CFR below this in two consecutive months is red.
pub const CFR_RED: f64 = 0.70;
/// Monthly CFR below this for a full quarter is critical.
pub const CFR_CRITICAL: f64 = 0.50;
/// Days after which the last MBR is overdue.
pub const MBR_MAX_DAYS: i64 = 35;
/// Days after which the last QSR is overdue.
pub const QSR_MAX_DAYS: i64 = 100;
/// Days after the review within which its written summary must go out.
pub const SUMMARY_MAX_DAYS: i64 = 1;

/// A percentage for messages: one decimal, without a trailing `.0` (so 69.96% reads "70%" only
/// when it is 70% to a tenth, and 69.6% never reads as "70% (< 70%)"). Integer arithmetic:
/// float formatting with a precision is the slowest thing in a scoring pass.
pub(crate) fn pct(fraction: f64) -> String {
    let tenths = (fraction * 1000.0).round() as i64;
    let (sign, tenths) = if tenths < 0 {
        ("-", -tenths)
    } else {
        ("", tenths)
    };
    if tenths % 10 == 0 {
        format!("{sign}{}%", tenths / 10)
    } else {
        format!("{sign}{}.{}%", tenths / 10, tenths % 10)
    }
}

/// A SAS for messages: up to two decimals, but a value below 6 never reads as "6 (< 6)".
fn sas_text(value: f64) -> String {
    let mut hundredths = (value * 100.0).round().max(0.0) as u64;
    if value < SAS_EXIT_THRESHOLD && hundredths >= 600 {
        hundredths = 599;
    }
    match hundredths % 100 {
        0 => format!("{}", hundredths / 100),
        r if r % 10 == 0 => format!("{}.{}", hundredths / 100, r / 10),
        r => format!("{}.{r:02}", hundredths / 100),
    }
}

/// Whole calendar months from `started` to `as_of` (the day-clamped rule of `add_months`).
fn age_in_months(started: NaiveDate, as_of: NaiveDate) -> u32 {
    let (s, a) = (Month::of(started), Month::of(as_of));
    let diff = (a.year() - s.year()) * 12 + a.number() as i32 - s.number() as i32;
    let Ok(mut months) = u32::try_from(diff) else {
        return 0;
    };
    while months > 0 && add_months(started, months) > as_of {
        months -= 1;
    }
    months
}

/// The monthly CFR (both parties) of `month`, if any commitment was due in it.
fn monthly_cfr(scores: &AllianceScores, month: Month) -> Option<f64> {
    scores
        .cfr
        .monthly
        .iter()
        .rev()
        .find(|m| m.month == month)
        .and_then(|m| m.all)
}

/// The latest record of `reviews` matching `pick`, not after as-of (ties: later in the file).
fn latest_review(
    reviews: &[Review],
    as_of: NaiveDate,
    pick: fn(&Review) -> bool,
) -> Option<&Review> {
    reviews
        .iter()
        .filter(|r| pick(r) && r.date() <= as_of)
        .fold(None, |best: Option<&Review>, r| {
            if best.is_none_or(|b| r.date() >= b.date()) {
                Some(r)
            } else {
                best
            }
        })
}

/// Indices (into `alliance.escalations`) of the items the `escalation_overdue` rule counts:
/// raised on or before `as_of`, not resolved by then, and open more than the resolution days.
/// Status gating is the flag's: callers that show items read
/// [`AllianceScores::overdue_escalations`], which is empty when the flag is not raised.
pub fn overdue_escalations(alliance: &Alliance, as_of: NaiveDate) -> Vec<usize> {
    let limit = i64::from(alliance.resolution_days());
    alliance
        .escalations
        .iter()
        .enumerate()
        .filter(|(_, e)| e.is_open(as_of) && days_between(e.raised, as_of) > limit)
        .map(|(i, _)| i)
        .collect()
}

/// Every flag that holds for `alliance`, given its computed metrics, in [`FlagCode`] order.
pub fn flags(alliance: &Alliance, scores: &AllianceScores, as_of: NaiveDate) -> Vec<Flag> {
    let active = alliance.status == Status::Active;
    if !active && alliance.status != Status::WindingDown {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut raise = |code: FlagCode, message: String| {
        out.push(Flag {
            code,
            severity: code.severity(),
            message,
        });
    };
    let charter = alliance.charter.as_ref();
    let age_days = days_between(alliance.started, as_of);

    // wish
    if let Some(c) = charter {
        let mut wishes = c.win_conditions.iter().filter(|w| w.is_wish());
        if let Some(first) = wishes.next() {
            let others = wishes.count();
            let missing = match (first.target, first.by) {
                (None, None) => "no target and no deadline",
                (None, Some(_)) => "no target",
                _ => "no deadline",
            };
            let mut msg = format!("win condition \"{}\" has {missing}", first.metric);
            if others > 0 {
                let _ = write!(msg, " (+{others} more)");
            }
            raise(FlagCode::Wish, msg);
        }
    }

    // no_charter
    if active {
        match charter {
            None => raise(FlagCode::NoCharter, "no charter".to_owned()),
            Some(c) if !is_signed(c, as_of) => {
                raise(FlagCode::NoCharter, "charter not signed".to_owned());
            }
            Some(_) => {}
        }
    }

    // health_conversation
    if let Some(h) = &scores.health
        && h.total < HEALTH_THRESHOLD
    {
        raise(
            FlagCode::HealthConversation,
            format!("health {}/20 on {} (< {HEALTH_THRESHOLD})", h.total, h.date),
        );
    }

    // audit_dead / audit_at_risk: an alliance younger than the audit window is too new to audit.
    let since = super::metrics::days_before(as_of, super::metrics::AUDIT_WINDOW_DAYS);
    let auditable = age_days >= super::metrics::AUDIT_WINDOW_DAYS;
    match scores.audit.state {
        _ if !auditable => {}
        AuditState::Dead => raise(
            FlagCode::AuditDead,
            format!("no revenue/traffic number and no structured review since {since} (90 days)"),
        ),
        AuditState::AtRisk => {
            let missing = if scores.audit.structured_review {
                "revenue/traffic number"
            } else {
                "structured review"
            };
            raise(
                FlagCode::AuditAtRisk,
                format!("no {missing} since {since} (90 days)"),
            );
        }
        AuditState::Alive => {}
    }

    // arcr_low
    if let (Some(latest), Some(month)) = (scores.arcr.latest, scores.arcr.month)
        && add_months(alliance.started, ARCR_MIN_AGE_MONTHS) <= as_of
        && latest < ARCR_LOW
    {
        let age = age_in_months(alliance.started, as_of);
        raise(
            FlagCode::ArcrLow,
            format!(
                "ARCR {} in {month} after {age} months (< {})",
                pct(latest),
                pct(ARCR_LOW)
            ),
        );
    }

    // arcr_declining: the four calendar months ending with the latest month, strictly falling.
    if let Some(latest_month) = scores.arcr.month
        && let [.., a, b, c, d] = scores.arcr.series.as_slice()
        && d.month == latest_month
        && c.month == d.month.prev()
        && b.month == c.month.prev()
        && a.month == b.month.prev()
        && a.value > b.value
        && b.value > c.value
        && c.value > d.value
    {
        raise(
            FlagCode::ArcrDeclining,
            format!(
                "ARCR {} → {} → {} → {} in {}..{} (3 declines in a row)",
                pct(a.value),
                pct(b.value),
                pct(c.value),
                pct(d.value),
                a.month,
                d.month
            ),
        );
    }

    // cfr_red / cfr_critical: calendar months before the as-of month.
    let m1 = Month::of(as_of).prev();
    let (m2, m3) = (m1.prev(), m1.prev().prev());
    let (c1, c2, c3) = (
        monthly_cfr(scores, m1),
        monthly_cfr(scores, m2),
        monthly_cfr(scores, m3),
    );
    if let (Some(c1), Some(c2)) = (c1, c2)
        && c1 < CFR_RED
        && c2 < CFR_RED
    {
        raise(
            FlagCode::CfrRed,
            format!(
                "CFR {} and {} in {m2}, {m1} (< {})",
                pct(c2),
                pct(c1),
                pct(CFR_RED)
            ),
        );
    }
    if let (Some(c1), Some(c2), Some(c3)) = (c1, c2, c3)
        && c1 < CFR_CRITICAL
        && c2 < CFR_CRITICAL
        && c3 < CFR_CRITICAL
    {
        raise(
            FlagCode::CfrCritical,
            format!(
                "CFR {}, {} and {} in {m3}, {m2}, {m1} (< {} for a quarter)",
                pct(c3),
                pct(c2),
                pct(c1),
                pct(CFR_CRITICAL)
            ),
        );
    }

    // sas_exit: either party's SAS in the latest QSR.
    if let Some(s) = &scores.sas {
        let us_low = s.us < SAS_EXIT_THRESHOLD;
        let partner_low = s.partner.is_some_and(|p| p < SAS_EXIT_THRESHOLD);
        if us_low || partner_low {
            let partner = s.partner.map_or_else(|| "—".to_owned(), sas_text);
            raise(
                FlagCode::SasExit,
                format!(
                    "SAS us {}, partner {partner} at the QSR of {} (< 6): exit discussion",
                    sas_text(s.us),
                    s.date
                ),
            );
        }
    }

    // alignment_exit: the two latest QSRs' combined SAS.
    if let [.., (d1, s1), (d2, s2)] = scores.sas_history.as_slice()
        && *s1 < SAS_EXIT_THRESHOLD
        && *s2 < SAS_EXIT_THRESHOLD
    {
        raise(
            FlagCode::AlignmentExit,
            format!(
                "combined SAS {} and {} at the QSRs of {d1}, {d2} (< 6)",
                sas_text(*s1),
                sas_text(*s2)
            ),
        );
    }

    let last_mbr = latest_review(&alliance.reviews, as_of, Review::is_monthly);

    // mbr_overdue
    if active {
        match last_mbr {
            Some(r) => {
                let days = days_between(r.date(), as_of);
                if days > MBR_MAX_DAYS {
                    raise(
                        FlagCode::MbrOverdue,
                        format!("last MBR {}, {days} days ago (> {MBR_MAX_DAYS})", r.date()),
                    );
                }
            }
            None if age_days > MBR_MAX_DAYS => raise(
                FlagCode::MbrOverdue,
                format!("no MBR yet, alliance {age_days} days old (> {MBR_MAX_DAYS})"),
            ),
            None => {}
        }
    }

    // qsr_overdue
    if active {
        let last_qsr = scores.sas.as_ref().map(|s| s.date);
        let mut reasons: Vec<String> = Vec::new();
        match last_qsr {
            Some(d) if days_between(d, as_of) > QSR_MAX_DAYS => reasons.push(format!(
                "last QSR {d}, {} days ago (> {QSR_MAX_DAYS})",
                days_between(d, as_of)
            )),
            None if age_days > QSR_MAX_DAYS => reasons.push(format!(
                "no QSR yet, alliance {age_days} days old (> {QSR_MAX_DAYS})"
            )),
            _ => {}
        }
        if let Some(review_date) = charter.and_then(|c| c.review_date)
            && review_date < as_of
            && !alliance
                .reviews
                .iter()
                .any(|r| r.is_quarterly() && review_date <= r.date() && r.date() <= as_of)
        {
            reasons.push(format!(
                "90-day review {review_date} passed with no QSR since"
            ));
        }
        if !reasons.is_empty() {
            raise(FlagCode::QsrOverdue, reasons.join("; "));
        }
    }

    // summary_late
    if let Some(Review::Monthly {
        date, summary_sent, ..
    }) = last_mbr
    {
        match summary_sent.filter(|s| *s <= as_of) {
            Some(sent) if days_between(*date, sent) > SUMMARY_MAX_DAYS => raise(
                FlagCode::SummaryLate,
                format!(
                    "summary of the MBR of {date} sent {sent}, {} days later (> {SUMMARY_MAX_DAYS})",
                    days_between(*date, sent)
                ),
            ),
            None if days_between(*date, as_of) > SUMMARY_MAX_DAYS => raise(
                FlagCode::SummaryLate,
                format!(
                    "summary of the MBR of {date} not sent, {} days later (> {SUMMARY_MAX_DAYS})",
                    days_between(*date, as_of)
                ),
            ),
            _ => {}
        }
    }

    // escalation_overdue
    let limit = alliance.resolution_days();
    let mut overdue = overdue_escalations(alliance, as_of)
        .into_iter()
        .filter_map(|i| alliance.escalations.get(i));
    if let Some(first) = overdue.next() {
        // Name the oldest open one; count the rest.
        let (mut oldest, mut others) = (first, 0usize);
        for e in overdue {
            others += 1;
            if e.raised < oldest.raised {
                oldest = e;
            }
        }
        let mut msg = format!(
            "\"{}\" open since {}, {} days (> {limit})",
            oldest.issue,
            oldest.raised,
            days_between(oldest.raised, as_of)
        );
        if others > 0 {
            let _ = write!(msg, " (+{others} more)");
        }
        raise(FlagCode::EscalationOverdue, msg);
    }

    out
}
