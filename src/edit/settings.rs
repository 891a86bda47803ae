//! Portfolio settings (SPEC §6): the brand, its currency, a pinned as-of date and the folder the
//! partner pages are published to. Each is read from the text a person typed; text that does
//! not read is refused with a message naming the field, and nothing changes.

use chrono::NaiveDate;

use crate::input;
use crate::model::Portfolio;

/// The loader refuses a text field over 64 KiB (SPEC §8), so an edit must not write one.
pub const MAX_TEXT_BYTES: usize = 64 * 1024;

/// One of the settings, for messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setting {
    Brand,
    Currency,
    AsOf,
    PublishTo,
}

impl Setting {
    /// The field's name as the popup shows it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Brand => "Brand",
            Self::Currency => "Currency",
            Self::AsOf => "As-of date",
            Self::PublishTo => "Publish to",
        }
    }
}

/// Why a setting's text was refused: `Display` names the field, then the reason.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}: {message}", field.label())]
pub struct SettingError {
    pub field: Setting,
    pub message: String,
}

impl SettingError {
    fn new(field: Setting, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}

/// The settings as values, read from typed text or from a portfolio.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    pub brand: String,
    pub currency: String,
    /// `None`: evaluate on today's date.
    pub as_of: Option<NaiveDate>,
    /// `None`: no automatic publishing.
    pub publish_to: Option<String>,
}

impl Settings {
    /// The settings a portfolio has now.
    pub fn of(portfolio: &Portfolio) -> Self {
        Self {
            brand: portfolio.brand.clone(),
            currency: portfolio.currency.clone(),
            as_of: portfolio.as_of,
            publish_to: portfolio.publish_to.clone(),
        }
    }

    /// Read every field; the first field that does not read is the error.
    pub fn parse(
        brand: &str,
        currency: &str,
        as_of: &str,
        publish_to: &str,
    ) -> Result<Self, SettingError> {
        Ok(Self {
            brand: parse_brand(brand)?,
            currency: parse_currency(currency)?,
            as_of: parse_as_of(as_of)?,
            publish_to: parse_publish_to(publish_to)?,
        })
    }

    /// The fields that differ from `portfolio`'s, for the undo label ("brand, currency").
    pub fn changes(&self, portfolio: &Portfolio) -> Vec<Setting> {
        let now = Self::of(portfolio);
        let mut out = Vec::new();
        if self.brand != now.brand {
            out.push(Setting::Brand);
        }
        if self.currency != now.currency {
            out.push(Setting::Currency);
        }
        if self.as_of != now.as_of {
            out.push(Setting::AsOf);
        }
        if self.publish_to != now.publish_to {
            out.push(Setting::PublishTo);
        }
        out
    }

    /// Write the settings into `portfolio`.
    pub fn apply_to(&self, portfolio: &mut Portfolio) {
        portfolio.brand.clone_from(&self.brand);
        portfolio.currency.clone_from(&self.currency);
        portfolio.as_of = self.as_of;
        portfolio.publish_to.clone_from(&self.publish_to);
    }
}

/// A brand name: required, trimmed, one line.
pub fn parse_brand(text: &str) -> Result<String, SettingError> {
    let brand = text.trim();
    if brand.is_empty() {
        return Err(SettingError::new(Setting::Brand, "enter the brand's name"));
    }
    one_line(Setting::Brand, brand)?;
    Ok(brand.to_owned())
}

/// A currency code: three letters (ISO 4217 shape), stored upper-case. Blank means `USD`, the
/// file format's default.
pub fn parse_currency(text: &str) -> Result<String, SettingError> {
    let code = text.trim();
    if code.is_empty() {
        return Ok("USD".to_owned());
    }
    if code.len() == 3 && code.chars().all(|c| c.is_ascii_alphabetic()) {
        Ok(code.to_ascii_uppercase())
    } else {
        Err(SettingError::new(
            Setting::Currency,
            format!("{code:?} is not a currency code: write three letters such as USD, EUR, GBP"),
        ))
    }
}

/// A pinned as-of date, `YYYY-MM-DD`; blank means "today" (nothing pinned).
pub fn parse_as_of(text: &str) -> Result<Option<NaiveDate>, SettingError> {
    input::parse_optional_date(text).map_err(|e| SettingError::new(Setting::AsOf, e.to_string()))
}

/// The folder partner pages are published to on save; blank means none.
pub fn parse_publish_to(text: &str) -> Result<Option<String>, SettingError> {
    let folder = text.trim();
    if folder.is_empty() {
        return Ok(None);
    }
    one_line(Setting::PublishTo, folder)?;
    Ok(Some(folder.to_owned()))
}

fn one_line(field: Setting, text: &str) -> Result<(), SettingError> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(SettingError::new(
            field,
            format!("longer than {} KiB", MAX_TEXT_BYTES / 1024),
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(SettingError::new(
            field,
            "one line without control characters",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn settings_read_from_typed_text_and_apply() {
        let mut p = Portfolio::empty("My Brand");
        let s = Settings::parse("  Acme Goods ", "eur", "2026-11-15", " out/pages ").unwrap();
        assert_eq!(
            s.changes(&p),
            [
                Setting::Brand,
                Setting::Currency,
                Setting::AsOf,
                Setting::PublishTo
            ]
        );
        s.apply_to(&mut p);
        assert_eq!(p.brand, "Acme Goods");
        assert_eq!(p.currency, "EUR");
        assert_eq!(p.as_of, Some(d("2026-11-15")));
        assert_eq!(p.publish_to.as_deref(), Some("out/pages"));
        assert!(Settings::of(&p).changes(&p).is_empty());
        // Blank as-of and folder unpin and unset; blank currency is the format's default.
        let s = Settings::parse("Acme Goods", "", "", "").unwrap();
        s.apply_to(&mut p);
        assert_eq!((p.as_of, p.publish_to.as_deref()), (None, None));
        assert_eq!(p.currency, "USD");
    }

    #[test]
    fn bad_settings_name_the_field_and_change_nothing() {
        let p = Portfolio::empty("My Brand");
        let cases = [
            ("  ", "USD", "", "", "Brand: enter the brand's name"),
            (
                "Acme",
                "EURO",
                "",
                "",
                "Currency: \"EURO\" is not a currency code: write three letters such as USD, EUR, GBP",
            ),
            (
                "Acme",
                "USD",
                "2027-02-30",
                "",
                "As-of date: 2027-02-30: no such day in the calendar (February 2027 has 28 days)",
            ),
            (
                "Acme",
                "USD",
                "15/11/2026",
                "",
                "As-of date: \"15/11/2026\" is not a date: write YYYY-MM-DD",
            ),
            (
                "Acme",
                "USD",
                "",
                "a\u{1b}b",
                "Publish to: one line without control characters",
            ),
        ];
        for (brand, currency, as_of, folder, message) in cases {
            let before = p.clone();
            let e = Settings::parse(brand, currency, as_of, folder).unwrap_err();
            assert_eq!(e.to_string(), message);
            assert_eq!(p, before);
        }
        let long = "x".repeat(MAX_TEXT_BYTES + 1);
        assert_eq!(
            parse_brand(&long).unwrap_err().field,
            Setting::Brand,
            "the loader would refuse it"
        );
    }
}
