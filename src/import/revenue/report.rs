//! Attribution reports (Triple Whale, Polar, GA4 exports): a date, a revenue and a key column;
//! the key is matched against the `sources` of the alliances taking part (SPEC §9).

use std::io::Read;

use super::read::{Records, find_columns, parse_amount, parse_report_date};
use super::rules::{Matcher, RuleKind};
use super::{Problems, Progress, Tally, takes_part, visible};
use crate::model::Portfolio;

/// The report's column names, as given on the command line (matched case-insensitively).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportColumns {
    pub date: String,
    pub revenue: String,
    pub key: String,
}

pub(super) fn read(
    portfolio: &Portfolio,
    input: impl Read,
    name: &str,
    columns: &ReportColumns,
    progress: &mut dyn FnMut(Progress),
) -> Result<Tally, Problems> {
    // GA4 starts its exports with `#` title lines.
    let mut rec = Records::new(input, name, true);
    let header = rec.header()?;
    let [c_date, c_revenue, c_key] = find_columns(
        &header,
        [
            columns.date.as_str(),
            columns.revenue.as_str(),
            columns.key.as_str(),
        ],
    )
    .map_err(|missing| {
        let mut p = Problems::default();
        p.push(format!(
            "{name}:{}: no column named {} (the header has: {})",
            rec.line,
            missing
                .iter()
                .map(|m| format!("`{}`", visible(m)))
                .collect::<Vec<_>>()
                .join(", "),
            visible(&header.join(", "))
        ));
        p
    })?;
    let c_currency = header
        .iter()
        .position(|h| h.eq_ignore_ascii_case("currency"));
    let width = header.len();
    let currency = portfolio.currency.trim().to_owned();
    let participants: Vec<usize> = portfolio
        .alliances
        .iter()
        .enumerate()
        .filter(|(_, a)| takes_part(a.status) && !a.attribution.sources.is_empty())
        .map(|(i, _)| i)
        .collect();
    let mut matcher = Matcher::new(portfolio, &participants, &[RuleKind::Source]);
    let mut tally = Tally::new(participants);
    let mut problems = Problems::default();
    let mut hits = Vec::new();
    loop {
        match rec.next() {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                problems.push(e);
                break;
            }
        }
        if rec.rows.is_multiple_of(1 << 14) {
            progress(rec.progress());
        }
        if rec.record.len() != width {
            problems.push(rec.at(&format!(
                "this row has {} fields, the header {width}: not a well-formed CSV row",
                rec.record.len()
            )));
            continue;
        }
        let field = |col: usize| {
            rec.field(col).map_err(|()| {
                rec.at(&format!(
                    "`{}` is not UTF-8 text: export the report again as CSV (UTF-8)",
                    visible(&header[col])
                ))
            })
        };
        let (date, revenue, key) = match (field(c_date), field(c_revenue), field(c_key)) {
            (Ok(d), Ok(r), Ok(k)) => (d, r, k),
            (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
                problems.push(e);
                continue;
            }
        };
        // A totals row (GA4's "Grand total", an empty date) sums the rows above it.
        if date.is_empty()
            || date.eq_ignore_ascii_case("total")
            || date.eq_ignore_ascii_case("grand total")
        {
            continue;
        }
        let mut row_problems = Vec::new();
        let when = parse_report_date(date);
        if when.is_none() {
            row_problems.push(format!(
                "`{}` \"{}\" is not a date (expected e.g. 2026-10-03, 20261003 or 2026-10)",
                visible(&header[c_date]),
                visible(date)
            ));
        }
        let amount = parse_amount(revenue)
            .map_err(|e| {
                row_problems.push(format!("`{}` {}", visible(&header[c_revenue]), e));
            })
            .ok();
        if let Some(c) = c_currency {
            match field(c) {
                Ok(cur) if cur.is_empty() || cur.eq_ignore_ascii_case(&currency) => {}
                Ok(cur) => row_problems.push(format!(
                    "the row is in {}; the portfolio is in {}",
                    visible(cur),
                    visible(&currency)
                )),
                Err(e) => row_problems.push(e),
            }
        }
        if !row_problems.is_empty() {
            problems.push(rec.at(&row_problems.join("; ")));
            continue;
        }
        let (Some((month, day)), Some(amount)) = (when, amount) else {
            continue;
        };
        if !problems.is_empty() {
            continue;
        }
        if let Some(day) = day {
            tally.saw_day(day);
        }
        tally.stats.orders += 1;
        tally.stats.counted += 1;
        hits.clear();
        matcher.collect(RuleKind::Source, key, &mut hits);
        let to = tally.attribute(
            portfolio,
            &hits,
            &format!("{name}:{}", rec.line),
            &format!("key \"{key}\""),
        );
        tally.add(month, amount, to);
    }
    progress(rec.progress());
    tally.stats.rows = rec.rows.saturating_sub(1);
    if problems.is_empty() {
        Ok(tally)
    } else {
        Err(problems)
    }
}
