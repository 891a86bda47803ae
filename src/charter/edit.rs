//! Charter edits as typed commands: which field ([`CharterField`]), what value
//! ([`FieldValue`]), whether the model can hold it ([`accepted`]) and how it is written
//! ([`write_field`]). The guided form, the command line and any other front end share these.

use chrono::NaiveDate;

use super::{
    default_direction, default_review_date, id_for_alliance, is_placeholder_id, parse_months,
    template,
};
use crate::model::{Alliance, AllianceKind, Charter, Direction, Party, Portfolio};

/// A field of a win condition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WinField {
    Metric,
    /// Whether the target is a floor (≥) or a ceiling (≤).
    Direction,
    Target,
    Unit,
    By,
    Owner,
}

impl WinField {
    /// The fields in form order.
    pub const ALL: [Self; 6] = [
        Self::Metric,
        Self::Direction,
        Self::Target,
        Self::Unit,
        Self::By,
        Self::Owner,
    ];
}

/// A field of an escalation contact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ContactField {
    Name,
    Role,
    Party,
    Email,
    Authority,
}

impl ContactField {
    /// The fields in form order.
    pub const ALL: [Self; 5] = [
        Self::Name,
        Self::Role,
        Self::Party,
        Self::Email,
        Self::Authority,
    ];
}

/// One editable field of an alliance's charter (and its partner and type).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CharterField {
    Partner,
    Kind,
    /// A field of the win condition at this index.
    Win(usize, WinField),
    /// A field of the escalation contact at this index.
    Contact(usize, ContactField),
    Channel,
    MonthlyReviewDay,
    QuarterMonths,
    Dashboard,
    Triggers,
    ResolutionDays,
    ReviewDate,
    Signed,
}

/// What kind of value a field takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueKind {
    Text,
    Number,
    Date,
    Kind,
    Party,
    Direction,
}

impl CharterField {
    /// What kind of value the field takes.
    pub fn value_kind(self) -> ValueKind {
        match self {
            Self::Kind => ValueKind::Kind,
            Self::Win(_, WinField::Direction) => ValueKind::Direction,
            Self::Win(_, WinField::Owner) | Self::Contact(_, ContactField::Party) => {
                ValueKind::Party
            }
            Self::Win(_, WinField::Target) | Self::MonthlyReviewDay | Self::ResolutionDays => {
                ValueKind::Number
            }
            Self::Win(_, WinField::By) | Self::ReviewDate | Self::Signed => ValueKind::Date,
            _ => ValueKind::Text,
        }
    }

    /// The same field of the list entry at `index` (win conditions and contacts only).
    #[must_use]
    pub fn at(self, index: usize) -> Self {
        match self {
            Self::Win(_, f) => Self::Win(index, f),
            Self::Contact(_, f) => Self::Contact(index, f),
            other => other,
        }
    }
}

/// A field's new value. `None` numbers and dates are emptied fields.
#[derive(Clone, Debug, PartialEq)]
pub enum FieldValue {
    Text(String),
    Number(Option<f64>),
    Date(Option<NaiveDate>),
    Kind(AllianceKind),
    Party(Party),
    Direction(Direction),
}

/// A monthly review day the cadence can hold.
pub fn valid_day(n: f64) -> bool {
    n.fract() == 0.0 && (1.0..=28.0).contains(&n)
}

/// A "resolve within" the escalation path can hold, in days.
pub fn valid_resolution_days(n: f64) -> bool {
    n.fract() == 0.0 && (1.0..=365.0).contains(&n)
}

/// Whether a field's value may be written: out-of-range numbers and unreadable months are
/// not, and "resolve within" always holds a number (the model has no "unset" for it).
pub fn accepted(field: CharterField, value: &FieldValue) -> bool {
    match (field, value) {
        (CharterField::MonthlyReviewDay, FieldValue::Number(n)) => n.is_none_or(valid_day),
        (CharterField::ResolutionDays, FieldValue::Number(n)) => {
            n.is_some_and(valid_resolution_days)
        }
        (CharterField::QuarterMonths, FieldValue::Text(t)) => parse_months(t).is_ok(),
        _ => true,
    }
}

/// Write one field's value into the alliance. A value of the wrong kind for the field, or an
/// entry index past the list, changes nothing.
#[expect(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "days are checked whole and in range first"
)]
pub fn write_field(
    alliance: &mut Alliance,
    field: CharterField,
    value: &FieldValue,
    today: NaiveDate,
) {
    let text = || match value {
        FieldValue::Text(t) => t.clone(),
        _ => String::new(),
    };
    let number = match value {
        FieldValue::Number(n) => *n,
        _ => None,
    };
    let date = match value {
        FieldValue::Date(d) => *d,
        _ => None,
    };
    let party = match value {
        FieldValue::Party(p) => *p,
        _ => Party::Us,
    };
    match field {
        CharterField::Partner => {
            alliance.partner = text();
            return;
        }
        CharterField::Kind => {
            let FieldValue::Kind(kind) = value else {
                return;
            };
            // An untouched template follows the type; a charter someone wrote stays.
            if alliance.charter.as_ref() == Some(&template(alliance.kind, alliance.started)) {
                alliance.charter = Some(template(*kind, alliance.started));
            }
            alliance.kind = *kind;
            return;
        }
        _ => {}
    }
    let chart = alliance.charter.get_or_insert_with(Charter::default);
    match field {
        CharterField::Partner | CharterField::Kind => {}
        CharterField::Win(i, f) => {
            let Some(win) = chart.win_conditions.get_mut(i) else {
                return;
            };
            match f {
                WinField::Metric => {
                    let metric = text();
                    // A direction nobody chose follows the metric ("Cost per order" is met at
                    // or below its target); one chosen against the default stays.
                    if win.direction == default_direction(&win.metric) {
                        win.direction = default_direction(&metric);
                    }
                    win.metric = metric;
                }
                WinField::Direction => {
                    if let FieldValue::Direction(d) = value {
                        win.direction = *d;
                    }
                }
                WinField::Target => win.target = number,
                WinField::Unit => win.unit = text(),
                WinField::By => win.by = date,
                WinField::Owner => win.owner = party,
            }
        }
        CharterField::Contact(i, f) => {
            let Some(contact) = chart.escalation.contacts.get_mut(i) else {
                return;
            };
            match f {
                ContactField::Name => contact.name = text(),
                ContactField::Role => contact.role = text(),
                ContactField::Party => contact.party = party,
                ContactField::Email => contact.email = text(),
                ContactField::Authority => contact.authority = text(),
            }
        }
        CharterField::Channel => chart.cadence.weekly_channel = text(),
        CharterField::MonthlyReviewDay => {
            chart.cadence.monthly_review_day = number.filter(|n| valid_day(*n)).map(|n| n as u8);
        }
        CharterField::QuarterMonths => {
            if let Ok(months) = parse_months(&text()) {
                chart.cadence.quarterly_review_months = months;
            }
        }
        CharterField::Dashboard => chart.dashboard = text(),
        CharterField::Triggers => {
            chart.escalation.triggers = text()
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect();
        }
        CharterField::ResolutionDays => {
            if let Some(n) = number.filter(|n| valid_resolution_days(*n)) {
                chart.escalation.resolution_days = n as u32;
            }
        }
        CharterField::ReviewDate => chart.review_date = date,
        CharterField::Signed => {
            chart.signed = date;
            if let Some(day) = date
                && chart.review_date.is_none()
            {
                chart.review_date = Some(default_review_date(Some(day), today));
            }
        }
    }
}

/// The id the alliance at `index` takes when its partner is renamed to `partner`: derived
/// from the name (unique, the slug rule of intake promotion) while the id is still a `new-N`
/// placeholder, or one derived that way before (`derived`: the front end remembers which ids
/// it derived). `None` keeps the id.
pub fn follow_id(
    portfolio: &Portfolio,
    index: usize,
    derived: bool,
    partner: &str,
) -> Option<String> {
    let a = portfolio.alliances.get(index)?;
    let follows = is_placeholder_id(&a.id)
        || (derived && a.id == id_for_alliance(&a.partner, portfolio, index));
    follows.then(|| id_for_alliance(partner, portfolio, index))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Contact;

    fn alliance() -> Alliance {
        let loaded = crate::store::parse(crate::sample::NORTHWIND, "sample").unwrap();
        let mut a = loaded.portfolio.alliances[0].clone();
        let c = a.charter.get_or_insert_with(Charter::default);
        c.escalation.contacts = vec![Contact::default()];
        a
    }

    #[test]
    fn out_of_range_days_and_bad_months_are_not_accepted() {
        let day = CharterField::MonthlyReviewDay;
        assert!(accepted(day, &FieldValue::Number(Some(28.0))));
        assert!(accepted(day, &FieldValue::Number(None)));
        assert!(!accepted(day, &FieldValue::Number(Some(29.0))));
        assert!(!accepted(day, &FieldValue::Number(Some(2.5))));
        let days = CharterField::ResolutionDays;
        assert!(!accepted(days, &FieldValue::Number(None)), "never unset");
        assert!(accepted(days, &FieldValue::Number(Some(365.0))));
        let months = CharterField::QuarterMonths;
        assert!(!accepted(months, &FieldValue::Text("13".into())));
    }

    #[test]
    fn an_untouched_direction_follows_the_metric_a_chosen_one_stays() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 15).unwrap_or_default();
        let mut a = alliance();
        a.charter
            .get_or_insert_with(Charter::default)
            .win_conditions = vec![crate::model::WinCondition::default()];
        let metric = CharterField::Win(0, WinField::Metric);
        let direction = CharterField::Win(0, WinField::Direction);
        assert_eq!(direction.value_kind(), ValueKind::Direction);
        let win = |a: &Alliance| a.charter.as_ref().unwrap().win_conditions[0].direction;
        write_field(
            &mut a,
            metric,
            &FieldValue::Text("Cost per order".into()),
            today,
        );
        assert_eq!(win(&a), Direction::AtMost, "a cost is met at or below");
        write_field(&mut a, metric, &FieldValue::Text("Orders".into()), today);
        assert_eq!(win(&a), Direction::AtLeast, "untouched: follows the metric");
        write_field(
            &mut a,
            direction,
            &FieldValue::Direction(Direction::AtMost),
            today,
        );
        write_field(
            &mut a,
            metric,
            &FieldValue::Text("Orders late".into()),
            today,
        );
        assert_eq!(
            win(&a),
            Direction::AtMost,
            "chosen against the default: stays"
        );
    }

    #[test]
    fn typed_fields_write_their_entry_and_signing_sets_the_review_date() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 15).unwrap_or_default();
        let mut a = alliance();
        let party = CharterField::Contact(0, ContactField::Party);
        assert_eq!(party.value_kind(), ValueKind::Party);
        write_field(&mut a, party, &FieldValue::Party(Party::Partner), today);
        write_field(
            &mut a,
            CharterField::Contact(3, ContactField::Name),
            &FieldValue::Text("nobody".into()),
            today,
        );
        let c = a.charter.clone().unwrap_or_default();
        assert_eq!(c.escalation.contacts[0].party, Party::Partner);
        assert_eq!(
            c.escalation.contacts.len(),
            1,
            "no entry 3: nothing written"
        );
        let mut a = alliance();
        if let Some(c) = a.charter.as_mut() {
            c.review_date = None;
        }
        write_field(
            &mut a,
            CharterField::Signed,
            &FieldValue::Date(Some(today)),
            today,
        );
        let c = a.charter.unwrap_or_default();
        assert_eq!(c.signed, Some(today));
        assert_eq!(c.review_date, Some(default_review_date(Some(today), today)));
    }
}
