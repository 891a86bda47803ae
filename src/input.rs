//! Reading what a person types into a number or date field (SPEC §6: "typed input is stored as
//! typed, or not at all").
//!
//! Every function here either returns the whole value the text means or a [`InputError`] whose
//! `Display` is the message to show beside the field; none ever returns a partial value (`15k`
//! is 15000 or nothing, never 15; `2027-02-30` is refused, never `2027-02-03`). The forms, the
//! wizards and the CLI share these so a value means the same everywhere.

use chrono::{Datelike, NaiveDate};

/// The formats a number field accepts, for messages.
pub const AMOUNT_FORMATS: &str = "15000, 15,000, 15 000, $15,000, 15k, 1.2M or 4.50";

/// The format a date field accepts, for messages.
pub const DATE_FORMAT: &str = "YYYY-MM-DD";

/// Why typed text is not a number or a date. `Display` is a sentence for the user.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    /// Nothing typed where a value is required.
    #[error("enter a value")]
    Blank,
    /// Not shaped like a number at all (`15x`, `abc`, `1.2.3`).
    #[error("{text:?} is not a number: write {AMOUNT_FORMATS}")]
    NotANumber { text: String },
    /// Digits grouped in a way that is not thousands (`1,2,3`, `15,00`, `1.234,5`).
    #[error("{text:?} is not a number: group thousands by three (15,000) and use . for decimals")]
    BadGrouping { text: String },
    /// A number too large to hold.
    #[error("{text:?} is too large a number")]
    TooLarge { text: String },
    /// Not shaped `YYYY-MM-DD`.
    #[error("{text:?} is not a date: write {DATE_FORMAT}")]
    NotADate { text: String },
    /// Shaped `YYYY-MM-DD`, but the calendar has no such day (`2027-02-30`).
    #[error("{text}: no such day in the calendar ({month_name} {year} has {days} days)")]
    NoSuchDay {
        text: String,
        year: i32,
        month_name: &'static str,
        days: u32,
    },
}

/// Currency symbols accepted before (or after) an amount whatever the portfolio's currency.
const SYMBOLS: [char; 4] = ['$', '€', '£', '¥'];

/// Characters accepted between groups of thousands: comma, space, no-break and thin spaces,
/// underscore and apostrophe (Swiss style).
fn is_group_separator(c: char) -> bool {
    matches!(
        c,
        ',' | ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '_' | '\''
    )
}

/// An amount as typed: `15000`, `15,000`, `15 000`, `$15,000`, `15k`, `1.2M`, `4.50`, a leading
/// `-` for a negative value. Blank text is [`InputError::Blank`].
pub fn parse_amount(text: &str) -> Result<f64, InputError> {
    parse_amount_in(text, "")
}

/// [`parse_amount`] that also accepts the portfolio's currency code (`USD 15,000`, `15000 usd`).
pub fn parse_amount_in(text: &str, currency: &str) -> Result<f64, InputError> {
    let not_a_number = || InputError::NotANumber {
        text: text.trim().to_owned(),
    };
    let mut rest = text.trim();
    if rest.is_empty() {
        return Err(InputError::Blank);
    }
    let mut negative = false;
    if let Some(r) = rest.strip_prefix('-') {
        negative = true;
        rest = r.trim_start();
    } else if let Some(r) = rest.strip_prefix('+') {
        rest = r.trim_start();
    }
    rest = strip_currency(rest, currency, true);
    if !negative && let Some(r) = rest.strip_prefix('-') {
        negative = true;
        rest = r.trim_start();
    }
    rest = strip_currency(rest, currency, false);
    // A scale suffix: k (thousands), m (millions), bn (billions), any case.
    let lower = rest.to_ascii_lowercase();
    let (body, exponent) = if let Some(b) = lower.strip_suffix("bn") {
        (&rest[..b.len()], 9)
    } else if let Some(b) = lower.strip_suffix('k') {
        (&rest[..b.len()], 3)
    } else if let Some(b) = lower.strip_suffix('m') {
        (&rest[..b.len()], 6)
    } else {
        (rest, 0)
    };
    let body = body.trim_end();
    let (int_part, frac_part) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    if let Some(f) = frac_part
        && (f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(if f.chars().any(is_group_separator) || f.contains('.') {
            InputError::BadGrouping {
                text: text.trim().to_owned(),
            }
        } else {
            not_a_number()
        });
    }
    let digits = integer_digits(int_part).map_err(|grouping| {
        if grouping {
            InputError::BadGrouping {
                text: text.trim().to_owned(),
            }
        } else {
            not_a_number()
        }
    })?;
    let frac = frac_part.unwrap_or("");
    if digits.is_empty() && frac.is_empty() {
        return Err(not_a_number());
    }
    // Shift the decimal point in the text rather than multiplying, so `1.2M` is exactly
    // 1200000 (1.2 × 1e6 in floating point is not).
    let shifted = exponent - i64::try_from(frac.len()).map_err(|_| not_a_number())?;
    let literal = format!(
        "{}{digits}{frac}e{shifted}",
        if negative { "-" } else { "" }
    );
    let value: f64 = literal.parse().map_err(|_| not_a_number())?;
    if value.is_finite() {
        // `-0` typed is 0.
        Ok(value + 0.0)
    } else {
        Err(InputError::TooLarge {
            text: text.trim().to_owned(),
        })
    }
}

/// [`parse_amount_in`] for a field that may be left empty: blank text is `Ok(None)`.
pub fn parse_optional_amount(text: &str, currency: &str) -> Result<Option<f64>, InputError> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        parse_amount_in(text, currency).map(Some)
    }
}

/// `text` without a leading (`front`) or trailing currency symbol or code, trimmed.
fn strip_currency<'a>(text: &'a str, currency: &str, front: bool) -> &'a str {
    let code = currency.trim();
    let stripped = if front {
        text.strip_prefix(SYMBOLS).or_else(|| {
            (!code.is_empty())
                .then(|| {
                    text.get(..code.len())
                        .filter(|p| p.eq_ignore_ascii_case(code))
                        .map(|_| &text[code.len()..])
                })
                .flatten()
        })
    } else {
        text.strip_suffix(SYMBOLS).or_else(|| {
            (!code.is_empty() && text.len() >= code.len())
                .then(|| {
                    let at = text.len() - code.len();
                    text.get(at..)
                        .filter(|s| s.eq_ignore_ascii_case(code))
                        .map(|_| &text[..at])
                })
                .flatten()
        })
    };
    stripped.map_or(text, str::trim)
}

/// The digits of an integer part written plainly (`15000`) or in groups of three (`15,000`,
/// `15 000`, one kind of separator throughout). `Err(true)` for digits grouped otherwise,
/// `Err(false)` for anything that is not digits.
fn integer_digits(text: &str) -> Result<String, bool> {
    if text.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(text.to_owned());
    }
    let separator = text
        .chars()
        .find(|c| !c.is_ascii_digit())
        .filter(|c| is_group_separator(*c))
        .ok_or(false)?;
    let groups: Vec<&str> = text.split(separator).collect();
    if groups
        .iter()
        .any(|g| !g.bytes().all(|b| b.is_ascii_digit()))
    {
        // A second kind of separator (`1,000 000`) is as wrong as a letter, but says grouping.
        return Err(groups.iter().all(|g| {
            g.chars()
                .all(|c| c.is_ascii_digit() || is_group_separator(c))
        }));
    }
    let well_grouped = groups.first().is_some_and(|g| (1..=3).contains(&g.len()))
        && groups[1..].iter().all(|g| g.len() == 3);
    if well_grouped {
        Ok(groups.concat())
    } else {
        Err(true)
    }
}

/// A date typed strictly as `YYYY-MM-DD` (four-digit year, two-digit month and day).
pub fn parse_date(text: &str) -> Result<NaiveDate, InputError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(InputError::Blank);
    }
    let not_a_date = || InputError::NotADate { text: t.to_owned() };
    let parts: Vec<&str> = t.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return Err(not_a_date());
    };
    let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
    if !(digits(y, 4) && digits(m, 2) && digits(d, 2)) {
        return Err(not_a_date());
    }
    let (Ok(year), Ok(month), Ok(day)) = (y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>())
    else {
        return Err(not_a_date());
    };
    if !(1..=12).contains(&month) || day == 0 {
        return Err(not_a_date());
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| {
        let first = NaiveDate::from_ymd_opt(year, month, 1);
        let days = first
            .and_then(|f| f.checked_add_months(chrono::Months::new(1)))
            .and_then(|n| n.pred_opt())
            .map_or(31, |last| last.day());
        InputError::NoSuchDay {
            text: t.to_owned(),
            year,
            month_name: MONTH_NAMES[month as usize - 1],
            days,
        }
    })
}

/// [`parse_date`] for a field that may be left empty: blank text is `Ok(None)`.
pub fn parse_optional_date(text: &str) -> Result<Option<NaiveDate>, InputError> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        parse_date(text).map(Some)
    }
}

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn amounts_people_type() {
        for (text, value) in [
            ("15000", 15_000.0),
            ("15,000", 15_000.0),
            ("15 000", 15_000.0),
            ("$15,000", 15_000.0),
            ("$ 15,000.50", 15_000.5),
            ("15k", 15_000.0),
            ("15K", 15_000.0),
            ("1.2M", 1_200_000.0),
            ("2.5bn", 2_500_000_000.0),
            ("4.50", 4.5),
            (".5", 0.5),
            ("  42  ", 42.0),
            ("1,234,567.89", 1_234_567.89),
            ("-3", -3.0),
            ("-$3", -3.0),
            ("$-3", -3.0),
            ("-0", 0.0),
            ("15000$", 15_000.0),
            ("€1 200", 1_200.0),
            ("0", 0.0),
        ] {
            assert_eq!(parse_amount(text), Ok(value), "{text}");
        }
        assert!(parse_amount("-0").unwrap().is_sign_positive());
    }

    #[test]
    fn the_currency_code_may_lead_or_follow() {
        assert_eq!(parse_amount_in("USD 15,000", "USD"), Ok(15_000.0));
        assert_eq!(parse_amount_in("15000 usd", "USD"), Ok(15_000.0));
        assert_eq!(parse_amount_in("EUR15k", "EUR"), Ok(15_000.0));
        assert!(parse_amount_in("GBP 15", "USD").is_err());
        assert!(
            parse_amount("USD 15").is_err(),
            "no code without a currency"
        );
    }

    #[test]
    fn garbage_is_refused_with_a_message() {
        for text in [
            "15x", "abc", "1.2.3", "k", "$", "--5", "15kk", "1e5", "0x10", "½",
        ] {
            let e = parse_amount(text).unwrap_err();
            assert!(
                matches!(
                    e,
                    InputError::NotANumber { .. } | InputError::BadGrouping { .. }
                ),
                "{text}: {e:?}"
            );
            assert!(e.to_string().contains(text.trim()), "{e}");
        }
        for text in [
            "1,2,3",
            "15,00",
            "1.234,5",
            "1,0000",
            "1,000 000",
            ",000",
            "1234,567",
        ] {
            assert!(
                matches!(parse_amount(text), Err(InputError::BadGrouping { .. })),
                "{text}: {:?}",
                parse_amount(text)
            );
        }
        assert_eq!(
            parse_amount("15x").unwrap_err().to_string(),
            format!("\"15x\" is not a number: write {AMOUNT_FORMATS}")
        );
        assert_eq!(parse_amount("  "), Err(InputError::Blank));
        assert!(matches!(
            parse_amount(&"9".repeat(400)),
            Err(InputError::TooLarge { .. })
        ));
    }

    #[test]
    fn optional_fields_may_stay_empty() {
        assert_eq!(parse_optional_amount(" ", "USD"), Ok(None));
        assert_eq!(parse_optional_amount("15k", "USD"), Ok(Some(15_000.0)));
        assert!(parse_optional_amount("15x", "USD").is_err());
        assert_eq!(parse_optional_date(""), Ok(None));
        assert!(parse_optional_date("2027-02-30").is_err());
    }

    #[test]
    fn dates_are_strict() {
        assert_eq!(
            parse_date(" 2027-02-28 "),
            Ok(NaiveDate::from_ymd_opt(2027, 2, 28).unwrap())
        );
        assert_eq!(
            parse_date("2028-02-29"),
            Ok(NaiveDate::from_ymd_opt(2028, 2, 29).unwrap())
        );
        let e = parse_date("2027-02-30").unwrap_err();
        assert_eq!(
            e.to_string(),
            "2027-02-30: no such day in the calendar (February 2027 has 28 days)"
        );
        assert!(
            parse_date("2026-04-31")
                .unwrap_err()
                .to_string()
                .contains("April 2026 has 30")
        );
        for bad in [
            "2027-2-3",
            "27-02-03",
            "2027/02/03",
            "2027-13-01",
            "2027-00-10",
            "2027-01-00",
            "tomorrow",
            "2027-02-03x",
            "+2027-02-03",
        ] {
            assert!(
                matches!(parse_date(bad), Err(InputError::NotADate { .. })),
                "{bad}: {:?}",
                parse_date(bad)
            );
        }
        assert_eq!(parse_date(""), Err(InputError::Blank));
    }

    proptest! {
        #[test]
        fn every_whole_amount_reads_back_in_each_format(n in 0u64..10_000_000_000) {
            let plain = n.to_string();
            let mut grouped = String::new();
            for (i, c) in plain.chars().enumerate() {
                if i > 0 && (plain.len() - i) % 3 == 0 {
                    grouped.push(',');
                }
                grouped.push(c);
            }
            let expected = n as f64;
            prop_assert_eq!(parse_amount(&plain), Ok(expected));
            prop_assert_eq!(parse_amount(&grouped), Ok(expected));
            prop_assert_eq!(parse_amount(&format!("${grouped}")), Ok(expected));
            prop_assert_eq!(parse_amount(&grouped.replace(',', " ")), Ok(expected));
            prop_assert_eq!(parse_amount(&format!("{n}k")), Ok(expected * 1000.0));
        }

        #[test]
        fn cents_read_exactly(whole in 0u32..1_000_000, cents in 0u32..100) {
            let text = format!("{whole}.{cents:02}");
            prop_assert_eq!(parse_amount(&text), Ok(text.parse::<f64>().unwrap()));
        }

        #[test]
        fn never_a_partial_value(s in "[0-9]{1,6}[a-jln-z%#/]") {
            prop_assert!(parse_amount(&s).is_err(), "{} read as a number", s);
        }

        #[test]
        fn every_calendar_day_reads_back(days in 0i64..200_000) {
            let date = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + chrono::Days::new(days as u64);
            prop_assert_eq!(parse_date(&date.format("%Y-%m-%d").to_string()), Ok(date));
        }

        #[test]
        fn parsing_never_panics(s in "\\PC{0,20}") {
            let _ = parse_amount_in(&s, "USD");
            let _ = parse_date(&s);
        }
    }
}
