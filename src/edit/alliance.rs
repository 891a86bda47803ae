//! An alliance's details (SPEC §6): partner, type, status, start date, internal notes and the
//! attribution rules of SPEC §9. Each is read from the text a person typed; text that does not
//! read is refused with a message naming the alliance and the field, and nothing changes.

use chrono::NaiveDate;

use crate::import::revenue::{Overlap, overlaps};
use crate::input;
use crate::model::{Alliance, AllianceKind, Attribution, Portfolio, Status};

use super::settings::MAX_TEXT_BYTES;

/// One of the detail fields, for messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detail {
    Partner,
    Started,
    Notes,
    Codes,
    Tags,
    Sources,
}

impl Detail {
    /// The field's name as the popup shows it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Partner => "Partner",
            Self::Started => "Start date",
            Self::Notes => "Internal notes",
            Self::Codes => "Discount codes",
            Self::Tags => "Order tags",
            Self::Sources => "Order sources",
        }
    }
}

/// Why a detail's text was refused: `Display` names the alliance and the field.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{alliance} › {}: {message}", field.label())]
pub struct DetailError {
    pub alliance: String,
    pub field: Detail,
    pub message: String,
}

/// An alliance's details as values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Details {
    pub partner: String,
    pub kind: AllianceKind,
    pub status: Status,
    pub started: NaiveDate,
    pub notes: String,
    pub attribution: Attribution,
}

/// The details as typed: the popup's text, one string per field.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DetailsText<'a> {
    pub partner: &'a str,
    pub started: &'a str,
    pub notes: &'a str,
    /// Comma-separated lists.
    pub codes: &'a str,
    pub tags: &'a str,
    pub sources: &'a str,
}

impl Details {
    /// The details an alliance has now.
    pub fn of(alliance: &Alliance) -> Self {
        Self {
            partner: alliance.partner.clone(),
            kind: alliance.kind,
            status: alliance.status,
            started: alliance.started,
            notes: alliance.notes.clone(),
            attribution: alliance.attribution.clone(),
        }
    }

    /// Read typed text for `alliance` (its id names it in messages); the first field that does
    /// not read is the error.
    pub fn parse(
        alliance: &Alliance,
        text: &DetailsText<'_>,
        kind: AllianceKind,
        status: Status,
    ) -> Result<Self, DetailError> {
        let fail = |field, message: String| DetailError {
            alliance: alliance.id.clone(),
            field,
            message,
        };
        let partner = text.partner.trim();
        if partner.is_empty() {
            return Err(fail(Detail::Partner, "enter the partner's name".to_owned()));
        }
        for (field, value) in [(Detail::Partner, partner), (Detail::Notes, text.notes)] {
            if value.len() > MAX_TEXT_BYTES {
                return Err(fail(
                    field,
                    format!("longer than {} KiB", MAX_TEXT_BYTES / 1024),
                ));
            }
        }
        let started =
            input::parse_date(text.started).map_err(|e| fail(Detail::Started, e.to_string()))?;
        let rules = |field, list: &str| {
            let rules = parse_rules(list);
            if rules.iter().any(|r| r.chars().any(char::is_control)) {
                return Err(fail(field, "no control characters in a rule".to_owned()));
            }
            Ok(rules)
        };
        Ok(Self {
            partner: partner.to_owned(),
            kind,
            status,
            started,
            notes: text.notes.to_owned(),
            attribution: Attribution {
                codes: rules(Detail::Codes, text.codes)?,
                tags: rules(Detail::Tags, text.tags)?,
                sources: rules(Detail::Sources, text.sources)?,
            },
        })
    }

    /// The fields that differ from `alliance`'s, for the undo label.
    pub fn changes(&self, alliance: &Alliance) -> Vec<&'static str> {
        let now = Self::of(alliance);
        let mut out = Vec::new();
        if self.partner != now.partner {
            out.push("partner");
        }
        if self.kind != now.kind {
            out.push("type");
        }
        if self.status != now.status {
            out.push("status");
        }
        if self.started != now.started {
            out.push("start date");
        }
        if self.notes != now.notes {
            out.push("notes");
        }
        if self.attribution != now.attribution {
            out.push("attribution rules");
        }
        out
    }

    /// Write the details into `alliance`.
    pub fn apply_to(&self, alliance: &mut Alliance) {
        alliance.partner.clone_from(&self.partner);
        alliance.kind = self.kind;
        alliance.status = self.status;
        alliance.started = self.started;
        alliance.notes.clone_from(&self.notes);
        alliance.attribution.clone_from(&self.attribution);
    }
}

/// A comma-separated list of rules: each trimmed, blanks dropped, and a rule that repeats one
/// before it (case-insensitively, as matching does) dropped.
pub fn parse_rules(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for rule in text.split(',').map(str::trim).filter(|r| !r.is_empty()) {
        if !out.iter().any(|r| r.to_lowercase() == rule.to_lowercase()) {
            out.push(rule.to_owned());
        }
    }
    out
}

/// A list of rules as the popup shows it.
pub fn rules_text(rules: &[String]) -> String {
    rules.join(", ")
}

/// The rules `attribution` would share with other alliances if alliance `id` had it: an order
/// one of them matches would count for none (SPEC §9). Only overlaps involving `id`.
pub fn rule_overlaps(portfolio: &Portfolio, id: &str, attribution: &Attribution) -> Vec<Overlap> {
    // Only ids and rules matter: a slim copy, not the whole portfolio.
    let mut slim = Portfolio::empty("");
    slim.alliances = portfolio
        .alliances
        .iter()
        .map(|a| {
            let mut copy = Alliance::new(&a.id, "", a.kind, a.started);
            copy.attribution = if a.id == id {
                attribution.clone()
            } else {
                a.attribution.clone()
            };
            copy
        })
        .collect();
    overlaps(&slim)
        .into_iter()
        .filter(|o| o.alliances.iter().any(|a| a == id))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn glow() -> Alliance {
        Alliance::new(
            "glow",
            "Glow & Co",
            AllianceKind::CoMarketing,
            d("2026-01-01"),
        )
    }

    fn text<'a>(started: &'a str, codes: &'a str) -> DetailsText<'a> {
        DetailsText {
            partner: " Glow and Co ",
            started,
            notes: "Renewal talk in March\nDana prefers email",
            codes,
            tags: "glow, ",
            sources: "",
        }
    }

    #[test]
    fn details_read_from_typed_text_and_apply() {
        let mut a = glow();
        let details = Details::parse(
            &a,
            &text("2025-06-01", "GLOW15, glowvip, glow15 ,"),
            AllianceKind::Wholesale,
            Status::Active,
        )
        .unwrap();
        assert_eq!(
            details.changes(&a),
            [
                "partner",
                "type",
                "status",
                "start date",
                "notes",
                "attribution rules"
            ]
        );
        details.apply_to(&mut a);
        assert_eq!(a.partner, "Glow and Co");
        assert_eq!(a.started, d("2025-06-01"));
        assert_eq!(a.status, Status::Active);
        assert_eq!(a.notes, "Renewal talk in March\nDana prefers email");
        assert_eq!(a.attribution.codes, ["GLOW15", "glowvip"], "repeat dropped");
        assert_eq!(a.attribution.tags, ["glow"]);
        assert!(a.attribution.sources.is_empty());
        assert!(Details::of(&a).changes(&a).is_empty());
        assert_eq!(rules_text(&a.attribution.codes), "GLOW15, glowvip");
    }

    #[test]
    fn bad_details_name_the_alliance_and_field_and_change_nothing() {
        let a = glow();
        let before = a.clone();
        let e = Details::parse(
            &a,
            &text("2027-02-30", ""),
            AllianceKind::CoMarketing,
            Status::Proposed,
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "glow › Start date: 2027-02-30: no such day in the calendar (February 2027 has 28 days)"
        );
        let blank = DetailsText {
            partner: "  ",
            ..text("2026-01-01", "")
        };
        let e =
            Details::parse(&a, &blank, AllianceKind::CoMarketing, Status::Proposed).unwrap_err();
        assert_eq!(e.to_string(), "glow › Partner: enter the partner's name");
        let e = Details::parse(
            &a,
            &text("2026-01-01", "A\u{7}B"),
            AllianceKind::CoMarketing,
            Status::Proposed,
        )
        .unwrap_err();
        assert_eq!(e.field, Detail::Codes);
        assert_eq!(a, before);
    }

    #[test]
    fn overlapping_rules_are_found_before_they_are_stored() {
        let mut p = Portfolio::empty("B");
        let mut peak = Alliance::new("peak", "Peak", AllianceKind::Wholesale, d("2026-01-01"));
        peak.attribution.codes = vec!["PEAK10".into()];
        peak.attribution.tags = vec!["Glow".into()];
        let mut other = Alliance::new("other", "Other", AllianceKind::Wholesale, d("2026-01-01"));
        other.attribution.sources = vec!["x".into()];
        p.alliances = vec![glow(), peak, other.clone()].into();
        let wanted = Attribution {
            codes: vec!["GLOW15".into()],
            tags: vec![" glow ".into()],
            sources: Vec::new(),
        };
        let found = rule_overlaps(&p, "glow", &wanted);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message(),
            "tag \"glow\" is a rule of glow and peak: an order it matches counts for none of them"
        );
        assert!(rule_overlaps(&p, "glow", &Attribution::default()).is_empty());
        // Another alliance's overlap not involving this one is not this edit's warning.
        p.alliances[1].attribution.sources = vec!["x".into()];
        assert!(rule_overlaps(&p, "glow", &Attribution::default()).is_empty());
        assert_eq!(p.alliances[2], other);
    }
}
