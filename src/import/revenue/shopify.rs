//! The Shopify admin orders export (`orders_export*.csv`), read row by row (SPEC §9).
//!
//! An order is the rows sharing `Name`; it is counted at its first row with a non-empty
//! `Created at`, from that row's fields. Rows need not be together: the names of orders already
//! counted are remembered (as 64-bit hashes, to keep a million orders in a few MiB), and a name
//! whose rows all lack `Created at` is reported at the end.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, RandomState};
use std::io::Read;

use super::read::{Records, find_columns, parse_amount, parse_day};
use super::rules::{Matcher, RuleKind};
use super::{Problems, Progress, Tally, takes_part, visible};
use crate::model::{Month, Portfolio};

/// The columns SPEC §9 reads, all required.
const COLUMNS: [&str; 10] = [
    "Name",
    "Financial Status",
    "Currency",
    "Subtotal",
    "Discount Code",
    "Created at",
    "Cancelled at",
    "Refunded Amount",
    "Tags",
    "Source",
];

/// Rows between two progress calls.
const PROGRESS_EVERY: u64 = 1 << 14;

pub(super) fn read(
    portfolio: &Portfolio,
    input: impl Read,
    name: &str,
    progress: &mut dyn FnMut(Progress),
) -> Result<Tally, Problems> {
    let mut rec = Records::new(input, name, false);
    let header = rec.header()?;
    let cols = find_columns(&header, COLUMNS).map_err(|missing| {
        let mut p = Problems::default();
        let hint = if header.len() == 1 && header[0].contains(';') {
            " (its columns are separated by `;`: save it again as CSV with commas)"
        } else {
            ""
        };
        p.push(format!(
            "{name}:{}: missing {} {}{hint}: is this a Shopify orders export? (Orders → \
             Export → CSV for Excel, Numbers or other spreadsheet programs)",
            rec.line,
            if missing.len() == 1 {
                "column"
            } else {
                "columns"
            },
            missing
                .iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        p
    })?;
    let [
        c_name,
        c_status,
        c_currency,
        c_subtotal,
        c_codes,
        c_created,
        c_cancelled,
        c_refunded,
        c_tags,
        c_source,
    ] = cols;
    let width = header.len();
    let currency = portfolio.currency.trim().to_owned();

    let participants: Vec<usize> = portfolio
        .alliances
        .iter()
        .enumerate()
        .filter(|(_, a)| takes_part(a.status) && !a.attribution.is_empty())
        .map(|(i, _)| i)
        .collect();
    let mut matcher = Matcher::new(
        portfolio,
        &participants,
        &[RuleKind::Code, RuleKind::Tag, RuleKind::Source],
    );
    let mut tally = Tally::new(participants);
    let mut problems = Problems::default();

    let hasher = RandomState::new();
    let mut counted: HashSet<u64> = HashSet::new();
    // Orders seen only on rows without `Created at`: name → its first line.
    let mut waiting: HashMap<String, u64> = HashMap::new();
    let mut last_counted = String::new();
    let mut hits: Vec<usize> = Vec::new();
    let mut month_cache: Option<(Month, chrono::NaiveDate)> = None;

    loop {
        match rec.next() {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                problems.push(e);
                break;
            }
        }
        if rec.rows.is_multiple_of(PROGRESS_EVERY) {
            progress(rec.progress());
        }
        if rec.record.len() != width {
            problems.push(rec.at(&format!(
                "this row has {} fields, the header {width}: not a well-formed CSV row \
                 (a stray quote or comma?)",
                rec.record.len()
            )));
            continue;
        }
        let field = |col: usize| {
            rec.field(col).map_err(|()| {
                rec.at(&format!(
                    "`{}` is not UTF-8 text: export the file again as CSV (UTF-8)",
                    header[col]
                ))
            })
        };
        let (order, created) = match (field(c_name), field(c_created)) {
            (Ok(n), Ok(c)) => (n, c),
            (Err(e), _) | (_, Err(e)) => {
                problems.push(e);
                continue;
            }
        };
        if order.is_empty() {
            problems.push(rec.at("`Name` is empty: every row needs its order's name"));
            continue;
        }
        if created.is_empty() {
            if order != last_counted && !counted.contains(&hasher.hash_one(order)) {
                waiting.entry(order.to_owned()).or_insert(rec.line);
            }
            continue;
        }
        if order == last_counted {
            continue;
        }
        if !counted.insert(hasher.hash_one(order)) {
            continue;
        }
        last_counted.clear();
        last_counted.push_str(order);
        if !waiting.is_empty() {
            waiting.remove(order);
        }
        tally.stats.orders += 1;

        let read = (|| {
            let cancelled = field(c_cancelled)?;
            let status = field(c_status)?;
            Ok::<_, String>((cancelled, status))
        })();
        let (cancelled, status) = match read {
            Ok(v) => v,
            Err(e) => {
                problems.push(e);
                continue;
            }
        };
        if !cancelled.is_empty() {
            tally.stats.cancelled += 1;
            continue;
        }
        if status.eq_ignore_ascii_case("voided") {
            tally.stats.voided += 1;
            continue;
        }
        let mut row_problems = Vec::new();
        let day = parse_day(created);
        if day.is_none() {
            row_problems.push(format!(
                "`Created at` \"{}\" is not a date (expected e.g. 2026-10-03 14:22:10 -0400)",
                visible(created)
            ));
        }
        let mut amount = |col: usize, label: &str| match field(col) {
            Ok(text) => parse_amount(text)
                .map_err(|e| row_problems.push(format!("`{label}` {e}")))
                .ok(),
            Err(e) => {
                problems.push(e);
                None
            }
        };
        let subtotal = amount(c_subtotal, "Subtotal");
        let refunded = amount(c_refunded, "Refunded Amount");
        match field(c_currency) {
            Ok(c) if c.eq_ignore_ascii_case(&currency) => {}
            Ok("") => row_problems.push(format!(
                "order {} has no `Currency`; the portfolio is in {}",
                visible(order),
                visible(&currency)
            )),
            Ok(c) => row_problems.push(format!(
                "order {} is in {cur}; the portfolio is in {} (convert the export, or import \
                 it into a portfolio kept in {cur})",
                visible(order),
                visible(&currency),
                cur = visible(c),
            )),
            Err(e) => problems.push(e),
        }
        if !row_problems.is_empty() {
            problems.push(rec.at(&row_problems.join("; ")));
            continue;
        }
        let (Some(day), Some(subtotal), Some(refunded)) = (day, subtotal, refunded) else {
            continue;
        };
        if !problems.is_empty() {
            // Once the import has failed, only problems matter: skip the matching work.
            continue;
        }
        let revenue = subtotal.saturating_sub(refunded).max(0);
        let month = match month_cache {
            Some((m, first)) if day >= first && day <= m.last_day() => m,
            _ => {
                let m = Month::of(day);
                month_cache = Some((m, m.first_day()));
                m
            }
        };
        tally.saw_day(day);
        tally.stats.counted += 1;

        hits.clear();
        if !matcher.is_empty() {
            if let Ok(codes) = field(c_codes) {
                for code in codes.split(',') {
                    matcher.collect(RuleKind::Code, code, &mut hits);
                }
            }
            if let Ok(tags) = field(c_tags) {
                for tag in tags.split(',') {
                    matcher.collect(RuleKind::Tag, tag, &mut hits);
                }
            }
            if let Ok(source) = field(c_source) {
                matcher.collect(RuleKind::Source, source, &mut hits);
            }
        }
        let to = tally.attribute(
            portfolio,
            &hits,
            &format!("{name}:{}", rec.line),
            &format!("order {order}"),
        );
        tally.add(month, revenue, to);
    }
    progress(rec.progress());
    let mut waiting: Vec<(String, u64)> = waiting.into_iter().collect();
    waiting.sort_by_key(|(_, line)| *line);
    for (order, line) in waiting {
        problems.push(format!(
            "{name}:{line}: order {} has no row with `Created at`: its date is unknown",
            visible(&order)
        ));
    }
    tally.stats.rows = rec.rows.saturating_sub(1);
    if problems.is_empty() {
        Ok(tally)
    } else {
        Err(problems)
    }
}
