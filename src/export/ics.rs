//! The iCalendar export (RFC 5545), written by hand for exact control of the octets.
//!
//! One all-day VEVENT per upcoming review of every `Active` or `Proposed` alliance that has a
//! charter: the next 3 MBRs, the next 4 QSRs and the 90-day review when it is on or after the
//! as-of date. Lines end in CRLF and are folded at 75 octets without splitting a character; UIDs
//! are stable (`alliance-kind-date@alliance-desk`) so a re-import updates rather than duplicates.

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use crate::model::{Alliance, Month, Portfolio, Status};

/// How many upcoming monthly reviews to list.
pub const MONTHLY_COUNT: usize = 3;
/// How many upcoming quarterly reviews to list.
pub const QUARTERLY_COUNT: usize = 4;

/// Escape a TEXT value: backslash, semicolon, comma and newlines.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Fold one content line at 75 octets (continuations start with a space), ending in CRLF.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3 + 2);
    let mut used = 0;
    let mut limit = 75;
    for c in line.chars() {
        let n = c.len_utf8();
        if used + n > limit {
            out.push_str("\r\n ");
            used = 1;
            limit = 75;
        }
        out.push(c);
        used += n;
    }
    out.push_str("\r\n");
    out
}

/// The next `count` dates on or after `from` whose day is `day`, in months `months` (all
/// months when empty).
fn upcoming(from: NaiveDate, day: u8, months: &[u8], count: usize) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut m = Month::of(from);
    // Ten years is far more than enough to find `count` dates in any non-empty month list.
    for _ in 0..120 {
        if out.len() == count {
            break;
        }
        let listed = months.is_empty() || months.iter().any(|&x| u32::from(x) == m.number());
        if listed
            && let Some(date) = NaiveDate::from_ymd_opt(m.year(), m.number(), u32::from(day))
            && date >= from
        {
            out.push(date);
        }
        m = m.next();
    }
    out
}

/// One upcoming review of one alliance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Upcoming {
    pub kind: &'static str,
    pub title: &'static str,
    pub date: NaiveDate,
}

/// The reviews of `alliance` to put in the calendar, as of `as_of`.
pub fn upcoming_reviews(alliance: &Alliance, as_of: NaiveDate) -> Vec<Upcoming> {
    let Some(charter) = &alliance.charter else {
        return Vec::new();
    };
    if !matches!(alliance.status, Status::Active | Status::Proposed) {
        return Vec::new();
    }
    let mut out = Vec::new();
    if let Some(day) = charter.cadence.monthly_review_day {
        out.extend(
            upcoming(as_of, day, &[], MONTHLY_COUNT)
                .into_iter()
                .map(|date| Upcoming {
                    kind: "mbr",
                    title: "Monthly business review",
                    date,
                }),
        );
        if !charter.cadence.quarterly_review_months.is_empty() {
            out.extend(
                upcoming(
                    as_of,
                    day,
                    &charter.cadence.quarterly_review_months,
                    QUARTERLY_COUNT,
                )
                .into_iter()
                .map(|date| Upcoming {
                    kind: "qsr",
                    title: "Quarterly strategic review",
                    date,
                }),
            );
        }
    }
    if let Some(date) = charter.review_date.filter(|d| *d >= as_of) {
        out.push(Upcoming {
            kind: "90day",
            title: "90-day review",
            date,
        });
    }
    out
}

fn ymd(d: NaiveDate) -> String {
    format!("{:04}{:02}{:02}", d.year(), d.month(), d.day())
}

/// The calendar of upcoming reviews (only `alliance` when given).
pub fn to_ics(
    portfolio: &Portfolio,
    as_of: NaiveDate,
    alliance: Option<&str>,
    dtstamp: NaiveDateTime,
) -> String {
    let mut s = String::new();
    let mut line = |l: String| s.push_str(&fold(&l));
    line("BEGIN:VCALENDAR".to_owned());
    line("VERSION:2.0".to_owned());
    line(format!(
        "PRODID:-//Alliance Desk//alliance-desk {}//EN",
        env!("CARGO_PKG_VERSION")
    ));
    line("CALSCALE:GREGORIAN".to_owned());
    line(format!(
        "X-WR-CALNAME:{}",
        escape(&format!("{} alliance reviews", portfolio.brand))
    ));
    let stamp = dtstamp.format("%Y%m%dT%H%M%SZ").to_string();
    for a in portfolio
        .alliances
        .iter()
        .filter(|a| alliance.is_none_or(|id| a.id == id))
    {
        for r in upcoming_reviews(a, as_of) {
            line("BEGIN:VEVENT".to_owned());
            line(format!("UID:{}-{}-{}@alliance-desk", a.id, r.kind, r.date));
            line(format!("DTSTAMP:{stamp}"));
            line(format!("DTSTART;VALUE=DATE:{}", ymd(r.date)));
            if let Some(next) = r.date.succ_opt() {
                line(format!("DTEND;VALUE=DATE:{}", ymd(next)));
            }
            line(format!(
                "SUMMARY:{}",
                escape(&format!("{}: {} × {}", r.title, portfolio.brand, a.partner))
            ));
            if let Some(c) = &a.charter {
                let mut desc = String::new();
                if !c.cadence.weekly_channel.is_empty() {
                    let _ = writeln!(desc, "Weekly channel: {}", c.cadence.weekly_channel);
                }
                if !c.dashboard.is_empty() {
                    let _ = writeln!(desc, "KPI dashboard: {}", c.dashboard);
                }
                let desc = desc.trim_end();
                if !desc.is_empty() {
                    line(format!("DESCRIPTION:{}", escape(desc)));
                }
            }
            line("TRANSP:TRANSPARENT".to_owned());
            line("END:VEVENT".to_owned());
        }
    }
    line("END:VCALENDAR".to_owned());
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::testdata::{self, d};

    /// Undo folding: a CRLF followed by a space or tab continues the previous line.
    fn unfold(text: &str) -> Vec<String> {
        let mut lines: Vec<String> = Vec::new();
        for raw in text.split("\r\n") {
            if let Some(rest) = raw.strip_prefix(' ').or_else(|| raw.strip_prefix('\t')) {
                lines.last_mut().unwrap().push_str(rest);
            } else if !raw.is_empty() {
                lines.push(raw.to_owned());
            }
        }
        lines
    }

    fn unescape(s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n' | 'N') => out.push('\n'),
                    Some(x) => out.push(x),
                    None => {}
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    fn calendar() -> String {
        let (mut p, scores) = testdata::portfolio_and_scores();
        p.alliances[0].partner =
            "Glow & Co; Ünïcödé ✓, with a very long name that needs folding across lines"
                .to_owned();
        to_ics(
            &p,
            scores.as_of,
            None,
            d("2026-11-15").and_hms_opt(9, 30, 0).unwrap(),
        )
    }

    #[test]
    fn lines_are_crlf_and_at_most_75_octets() {
        let text = calendar();
        assert!(text.ends_with("\r\n"));
        assert!(!text.replace("\r\n", "").contains('\n'));
        for l in text.split("\r\n") {
            assert!(l.len() <= 75, "{l:?} is {} octets", l.len());
        }
        let lines = unfold(&text);
        assert_eq!(lines.first().unwrap(), "BEGIN:VCALENDAR");
        assert_eq!(lines.last().unwrap(), "END:VCALENDAR");
        assert!(lines.iter().any(|l| l == "VERSION:2.0"));
        assert!(lines.iter().any(|l| l.starts_with("PRODID:")));
    }

    #[test]
    fn every_event_has_uid_dtstamp_dtstart_and_reversible_text() {
        let lines = unfold(&calendar());
        let mut events: Vec<Vec<String>> = Vec::new();
        let mut current: Option<Vec<String>> = None;
        for l in lines {
            match l.as_str() {
                "BEGIN:VEVENT" => current = Some(Vec::new()),
                "END:VEVENT" => events.push(current.take().unwrap()),
                _ => {
                    if let Some(c) = current.as_mut() {
                        c.push(l);
                    }
                }
            }
        }
        // glow only (quiet has no charter): 3 MBRs, 4 QSRs, one 90-day review.
        assert_eq!(events.len(), 8);
        let mut uids = std::collections::HashSet::new();
        for e in &events {
            let get = |p: &str| e.iter().find(|l| l.starts_with(p)).cloned();
            let uid = get("UID:").expect("UID");
            assert!(uid.ends_with("@alliance-desk"));
            assert!(uids.insert(uid));
            assert_eq!(get("DTSTAMP:").unwrap(), "DTSTAMP:20261115T093000Z");
            assert!(get("DTSTART;VALUE=DATE:").is_some());
            let summary = get("SUMMARY:").unwrap();
            assert!(
                unescape(&summary["SUMMARY:".len()..])
                    .contains("Northwind Goods × Glow & Co; Ünïcödé ✓, with a very long name")
            );
            let desc = get("DESCRIPTION:").unwrap();
            assert_eq!(
                unescape(&desc["DESCRIPTION:".len()..]),
                "Weekly channel: #glow-northwind\nKPI dashboard: https://example.com/sheet;v=1, tab 2"
            );
        }
        let starts: Vec<&String> = events
            .iter()
            .flatten()
            .filter(|l| l.starts_with("UID:"))
            .collect();
        assert_eq!(starts[0], "UID:glow-mbr-2026-11-15@alliance-desk");
        assert_eq!(starts[2], "UID:glow-mbr-2027-01-15@alliance-desk");
        assert_eq!(starts[3], "UID:glow-qsr-2027-01-15@alliance-desk");
        assert_eq!(starts[6], "UID:glow-qsr-2027-10-15@alliance-desk");
        assert_eq!(starts[7], "UID:glow-90day-2026-12-01@alliance-desk");
    }

    #[test]
    fn fold_never_splits_a_character() {
        let long = format!("SUMMARY:{}", "é".repeat(100));
        let folded = fold(&long);
        for l in folded.split("\r\n") {
            assert!(l.len() <= 75);
            assert!(std::str::from_utf8(l.as_bytes()).is_ok());
        }
        assert_eq!(unfold(&folded), vec![long]);
    }

    #[test]
    fn escape_round_trips() {
        let s = "a\\b;c,d\ne";
        assert_eq!(escape(s), "a\\\\b\\;c\\,d\\ne");
        assert_eq!(unescape(&escape(s)), s);
    }

    #[test]
    fn past_ninety_day_review_and_ended_alliances_are_left_out() {
        let (mut p, _) = testdata::portfolio_and_scores();
        let stamp = d("2026-01-01").and_hms_opt(0, 0, 0).unwrap();
        let ics = to_ics(&p, d("2026-12-02"), None, stamp);
        assert!(!ics.contains("90day"));
        p.alliances[0].status = Status::Ended;
        assert!(!to_ics(&p, d("2026-11-15"), None, stamp).contains("BEGIN:VEVENT"));
        assert!(!to_ics(&p, d("2026-11-15"), Some("quiet"), stamp).contains("BEGIN:VEVENT"));
    }
}
