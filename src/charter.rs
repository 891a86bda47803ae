//! The week-2 charter as a checklist, per-type templates and the intake → alliance promotion.
//!
//! Pure functions over the model (no IO, no UI): the Charter and Pipeline tabs and the exports
//! share one definition of "complete" and one set of templates; [`edit`] holds the typed field
//! edits every front end makes.

pub mod edit;

use std::fmt::Write as _;

use chrono::{Days, NaiveDate};

use crate::model::{
    Alliance, AllianceKind, Cadence, Charter, Escalation, Intake, Party, Portfolio, Status,
    WinCondition, add_months,
};

/// Days from signing (or today) to the charter's review.
pub const REVIEW_DAYS: u64 = 90;

/// The protocol's time box for writing a charter.
pub const CHARTER_MINUTES: u64 = 20;

/// The charter's sections, in the order the guided form walks them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Section {
    Partner,
    WinConditions,
    Cadence,
    Dashboard,
    Escalation,
    ReviewDate,
    SignOff,
}

impl Section {
    pub const ALL: [Self; 7] = [
        Self::Partner,
        Self::WinConditions,
        Self::Cadence,
        Self::Dashboard,
        Self::Escalation,
        Self::ReviewDate,
        Self::SignOff,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Self::Partner => "Partner & alliance type",
            Self::WinConditions => "Win conditions",
            Self::Cadence => "Communication cadence",
            Self::Dashboard => "KPI dashboard",
            Self::Escalation => "Escalation path",
            Self::ReviewDate => "90-day review date",
            Self::SignOff => "Sign-off",
        }
    }

    /// A short name for the step bar at 80 columns.
    pub fn short(self) -> &'static str {
        match self {
            Self::Partner => "Partner",
            Self::WinConditions => "Wins",
            Self::Cadence => "Cadence",
            Self::Dashboard => "KPIs",
            Self::Escalation => "Escalation",
            Self::ReviewDate => "Review",
            Self::SignOff => "Sign-off",
        }
    }

    pub fn index(self) -> usize {
        Self::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }
}

/// One line of the charter checklist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    pub section: Section,
    pub what: String,
    pub done: bool,
}

/// Everything a complete charter needs, each item ticked or not.
pub fn checklist(alliance: &Alliance) -> Vec<Check> {
    let empty = Charter::default();
    let c = alliance.charter.as_ref().unwrap_or(&empty);
    let check = |section, what: &str, done| Check {
        section,
        what: what.to_owned(),
        done,
    };
    let wishes = c.win_conditions.iter().filter(|w| w.is_wish()).count();
    let mut out = vec![
        check(
            Section::Partner,
            "partner named",
            !alliance.partner.trim().is_empty(),
        ),
        check(
            Section::WinConditions,
            "at least one win condition",
            c.win_conditions.iter().any(|w| !w.metric.trim().is_empty()),
        ),
    ];
    out.push(if wishes == 0 {
        check(
            Section::WinConditions,
            "every win condition has a number and a deadline",
            true,
        )
    } else {
        check(
            Section::WinConditions,
            &format!("{wishes} wish(es): add a number and a deadline"),
            false,
        )
    });
    out.extend([
        check(
            Section::Cadence,
            "weekly update channel",
            !c.cadence.weekly_channel.trim().is_empty(),
        ),
        check(
            Section::Cadence,
            "monthly review day",
            c.cadence.monthly_review_day.is_some(),
        ),
        check(
            Section::Cadence,
            "quarterly review months",
            !c.cadence.quarterly_review_months.is_empty(),
        ),
        check(
            Section::Dashboard,
            "shared KPI dashboard",
            !c.dashboard.trim().is_empty(),
        ),
        check(
            Section::Escalation,
            "a named contact on each side",
            [Party::Us, Party::Partner].iter().all(|p| {
                c.escalation
                    .contacts
                    .iter()
                    .any(|k| k.party == *p && !k.name.trim().is_empty())
            }),
        ),
        check(
            Section::Escalation,
            "escalation triggers",
            c.escalation.triggers.iter().any(|t| !t.trim().is_empty()),
        ),
        check(
            Section::ReviewDate,
            "90-day review date",
            c.review_date.is_some(),
        ),
        check(Section::SignOff, "signed", c.signed.is_some()),
    ]);
    out
}

/// Share of the checklist that is done, 0–100.
pub fn completeness_percent(alliance: &Alliance) -> u32 {
    let list = checklist(alliance);
    let done = list.iter().filter(|c| c.done).count();
    (done * 100 / list.len().max(1)) as u32
}

/// The 90-day review date a charter defaults to: signing + 90 days, else `today` + 90 days.
pub fn default_review_date(signed: Option<NaiveDate>, today: NaiveDate) -> NaiveDate {
    let from = signed.unwrap_or(today);
    from.checked_add_days(Days::new(REVIEW_DAYS))
        .unwrap_or(from)
}

/// Parse quarter months such as `"1,4,7,10"`, `"3 6 9 12"` or `"Jan, Apr, Jul, Oct"` (names
/// or their first three letters, any case); sorted, deduplicated.
pub fn parse_months(text: &str) -> Result<Vec<u8>, String> {
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let mut months = Vec::new();
    for part in text
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|p| !p.is_empty())
    {
        let lower = part.trim_end_matches('.').to_lowercase();
        let by_name = NAMES
            .iter()
            .position(|n| lower.len() >= 3 && n.starts_with(&lower))
            .and_then(|i| u8::try_from(i + 1).ok());
        match by_name.map_or_else(|| part.parse::<u8>().ok(), Some) {
            Some(m) if (1..=12).contains(&m) => months.push(m),
            _ => return Err(format!("{part:?} is not a month (1–12 or Jan–Dec)")),
        }
    }
    months.sort_unstable();
    months.dedup();
    Ok(months)
}

/// Months as the form shows them: `"1,4,7,10"`.
pub fn format_months(months: &[u8]) -> String {
    months
        .iter()
        .map(u8::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// The direction a metric's target usually has: costs and delays are met at or below their
/// target (`AtMost`: "cost per order ≤ 4.50"), everything else at or above it.
pub fn default_direction(metric: &str) -> crate::model::Direction {
    const LOWER_IS_BETTER: [&str; 7] = [
        "cost",
        "delay",
        "days late",
        "lead time",
        "churn",
        "return rate",
        "defect",
    ];
    let metric = metric.to_lowercase();
    if LOWER_IS_BETTER.iter().any(|w| metric.contains(w)) {
        crate::model::Direction::AtMost
    } else {
        crate::model::Direction::AtLeast
    }
}

fn wc(metric: &str, unit: &str, by: NaiveDate, owner: Party) -> WinCondition {
    WinCondition {
        direction: default_direction(metric),
        metric: metric.to_owned(),
        target: None,
        unit: unit.to_owned(),
        by: Some(by),
        owner,
        actuals: crate::model::MonthlyValues::new(),
    }
}

/// A charter draft for a kind of alliance: typical win-condition metrics (targets left blank,
/// so each stays a *wish* until the partners agree a number), a cadence and common triggers.
pub fn template(kind: AllianceKind, start: NaiveDate) -> Charter {
    use AllianceKind as K;
    let six = add_months(start, 6);
    let twelve = add_months(start, 12);
    let (wins, day, resolution) = match kind {
        K::CoMarketing => (
            vec![
                wc("Referral revenue", "USD/month", six, Party::Partner),
                wc(
                    "New customers from partner audience",
                    "customers",
                    six,
                    Party::Us,
                ),
            ],
            15,
            14,
        ),
        K::Distribution => (
            vec![
                wc("Sell-through revenue", "USD/month", six, Party::Partner),
                wc("Active points of sale", "stores", twelve, Party::Partner),
            ],
            5,
            7,
        ),
        K::CoProduct => (
            vec![
                wc("Co-product launch", "launch", six, Party::Us),
                wc("Co-product revenue", "USD/month", twelve, Party::Us),
            ],
            10,
            14,
        ),
        K::Wholesale => (
            vec![
                wc("Wholesale orders", "USD/month", six, Party::Partner),
                wc("Reorder rate", "%", twelve, Party::Partner),
            ],
            5,
            10,
        ),
        K::Fulfillment => (
            vec![
                wc("Orders shipped on time", "%", six, Party::Partner),
                wc("Cost per order", "USD", six, Party::Partner),
            ],
            5,
            7,
        ),
        K::CrossPromotion => (
            vec![
                wc("Referral traffic", "visits/month", six, Party::Partner),
                wc("Conversions from referrals", "orders/month", six, Party::Us),
            ],
            15,
            14,
        ),
        K::RetailDistribution => (
            vec![
                wc("Retail sell-through", "units/month", six, Party::Partner),
                wc("Doors carrying the range", "stores", twelve, Party::Partner),
            ],
            5,
            10,
        ),
    };
    Charter {
        win_conditions: wins,
        cadence: Cadence {
            weekly_channel: String::new(),
            monthly_review_day: Some(day),
            quarterly_review_months: vec![1, 4, 7, 10],
        },
        dashboard: String::new(),
        escalation: Escalation {
            contacts: Vec::new(),
            triggers: vec![
                "CFR below 70% in any month".to_owned(),
                "A win condition off track two months running".to_owned(),
            ],
            resolution_days: resolution,
        },
        review_date: None,
        signed: None,
    }
}

/// The first free id of the form `new-N`.
pub fn next_alliance_id(portfolio: &Portfolio) -> String {
    first_placeholder(|id| portfolio.alliance(id).is_some())
}

fn first_placeholder(taken: impl Fn(&str) -> bool) -> String {
    (1..=u32::MAX)
        .map(|k| format!("new-{k}"))
        .find(|id| !taken(id))
        .unwrap_or_default()
}

/// Whether an id is a placeholder `new-N`, as [`new_alliance`] gives before the partner is
/// named: only such an id may follow the partner's name.
pub fn is_placeholder_id(id: &str) -> bool {
    id.strip_prefix("new-")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// An id from a partner name: lowercase `[a-z0-9-]`, unique in the portfolio.
pub fn id_for(partner: &str, portfolio: &Portfolio) -> String {
    unique_id(partner, |id| portfolio.alliance(id).is_some())
}

/// [`id_for`] for the alliance at `index` renaming itself: its own id does not count as taken.
pub fn id_for_alliance(partner: &str, portfolio: &Portfolio, index: usize) -> String {
    unique_id(partner, |id| {
        portfolio
            .alliances
            .iter()
            .enumerate()
            .any(|(i, a)| i != index && a.id == id)
    })
}

/// The slug of `partner`, suffixed `-2`, `-3`… until not `taken`; `new-N` when it has none.
fn unique_id(partner: &str, taken: impl Fn(&str) -> bool) -> String {
    let mut base = String::new();
    for c in partner.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            base.push(c);
        } else if !base.ends_with('-') && !base.is_empty() {
            base.push('-');
        }
    }
    let base = base.trim_end_matches('-').to_owned();
    if base.is_empty() {
        return first_placeholder(taken);
    }
    if !taken(&base) {
        return base;
    }
    (2..=u32::MAX)
        .map(|k| format!("{base}-{k}"))
        .find(|id| !taken(id))
        .unwrap_or(base)
}

/// A new `Proposed` alliance with the kind's charter template.
pub fn new_alliance(portfolio: &Portfolio, kind: AllianceKind, today: NaiveDate) -> Alliance {
    let id = next_alliance_id(portfolio);
    let mut a = Alliance::new(&id, "New partner", kind, today);
    a.charter = Some(template(kind, today));
    a
}

/// Promote an intake: a `Proposed` alliance whose charter draft carries the intake's win
/// conditions (or the kind's template when it estimated none), its rationale and resource
/// requirements as notes, one paragraph each.
pub fn promote(intake: &Intake, portfolio: &Portfolio, today: NaiveDate) -> Alliance {
    let id = id_for(&intake.partner, portfolio);
    let mut a = Alliance::new(&id, &intake.partner, intake.kind, today);
    a.status = Status::Proposed;
    let mut charter = template(intake.kind, today);
    if !intake.win_conditions.is_empty() {
        charter.win_conditions.clone_from(&intake.win_conditions);
    }
    a.charter = Some(charter);
    let mut notes = Vec::new();
    if !intake.rationale.trim().is_empty() {
        notes.push(format!("Strategic rationale: {}", intake.rationale.trim()));
    }
    if !intake.resources.trim().is_empty() {
        notes.push(format!(
            "Resource requirements: {}",
            intake.resources.trim()
        ));
    }
    // A blank line between sections: each is its own paragraph, never run into the next.
    a.notes = notes.join("\n\n");
    a
}

/// One estimated win condition on one line: `Metric: 40 stores by 2026-06-30`.
pub fn format_win_condition(w: &WinCondition) -> String {
    let mut s = w.metric.clone();
    if let Some(t) = w.target {
        let _ = write!(s, ": {t}");
        if !w.unit.is_empty() {
            s.push(' ');
            s.push_str(&w.unit);
        }
    }
    if let Some(by) = w.by {
        let _ = write!(s, " by {by}");
    }
    s
}

/// Read a line as [`format_win_condition`] writes it; what does not parse stays in the metric,
/// so nothing typed is lost (and a line without a number or date is a wish).
pub fn parse_win_condition(line: &str) -> WinCondition {
    let mut w = WinCondition::default();
    let mut rest = line.trim().to_owned();
    // A trailing "by YYYY-MM-DD" (or a bare date) is the deadline.
    if let Some(last) = rest.split_whitespace().last()
        && let Ok(d) = NaiveDate::parse_from_str(last, "%Y-%m-%d")
    {
        w.by = Some(d);
        rest.truncate(rest.len() - last.len());
        let trimmed = rest.trim_end();
        rest = trimmed
            .strip_suffix(" by")
            .or_else(|| trimmed.strip_suffix(" until"))
            .unwrap_or(trimmed)
            .to_owned();
    }
    // "metric: number unit" — the last ':' splits metric from target.
    if let Some((metric, target)) = rest.rsplit_once(':') {
        let mut words = target.split_whitespace();
        let number = words
            .next()
            .map(|n| n.replace([',', '_'], ""))
            .and_then(|n| n.parse::<f64>().ok());
        if let Some(n) = number {
            w.target = Some(n);
            w.unit = words.collect::<Vec<_>>().join(" ");
            metric.trim().clone_into(&mut w.metric);
            w.direction = default_direction(&w.metric);
            return w;
        }
    }
    rest.trim().clone_into(&mut w.metric);
    w.direction = default_direction(&w.metric);
    w
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Contact;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn cost_and_delay_templates_default_to_at_most() {
        use crate::model::Direction;
        let c = template(AllianceKind::Fulfillment, d("2026-01-01"));
        let dir = |m: &str| {
            c.win_conditions
                .iter()
                .find(|w| w.metric == m)
                .map(|w| w.direction)
        };
        assert_eq!(dir("Cost per order"), Some(Direction::AtMost));
        assert_eq!(dir("Orders shipped on time"), Some(Direction::AtLeast));
        assert_eq!(
            default_direction("Delivery delay (days)"),
            Direction::AtMost
        );
        assert_eq!(default_direction("Referral revenue"), Direction::AtLeast);
        assert_eq!(
            parse_win_condition("Cost per order: 4.5 USD by 2026-06-30").direction,
            Direction::AtMost
        );
    }

    #[test]
    fn win_condition_lines_round_trip() {
        let w = parse_win_condition("Stores carrying us: 40 doors by 2026-06-30");
        assert_eq!(w.metric, "Stores carrying us");
        assert_eq!(w.target, Some(40.0));
        assert_eq!(w.unit, "doors");
        assert_eq!(w.by, Some(d("2026-06-30")));
        assert_eq!(parse_win_condition(&format_win_condition(&w)), w);
        let wish = parse_win_condition("More brand awareness");
        assert!(wish.is_wish());
        assert_eq!(wish.metric, "More brand awareness");
        let no_date = parse_win_condition("Revenue: 12,000 USD/month");
        assert_eq!(no_date.target, Some(12_000.0));
        assert!(no_date.is_wish());
    }

    #[test]
    fn every_kind_has_a_template_of_wishes_with_metrics() {
        for kind in AllianceKind::ALL {
            let c = template(kind, d("2026-01-15"));
            assert!(c.win_conditions.len() >= 2, "{kind:?}");
            assert!(
                c.win_conditions
                    .iter()
                    .all(|w| !w.metric.is_empty() && w.is_wish())
            );
            let day = c.cadence.monthly_review_day.unwrap();
            assert!((1..=28).contains(&day));
            assert_eq!(c.cadence.quarterly_review_months, [1, 4, 7, 10]);
        }
    }

    #[test]
    fn checklist_goes_from_empty_to_complete() {
        let mut a = Alliance::new("x", "X", AllianceKind::Wholesale, d("2026-01-01"));
        assert!(completeness_percent(&a) < 20);
        let mut c = template(a.kind, a.started);
        for w in &mut c.win_conditions {
            w.target = Some(10.0);
        }
        c.cadence.weekly_channel = "#x".into();
        c.dashboard = "https://x".into();
        c.escalation.contacts = vec![
            Contact {
                name: "A".into(),
                party: Party::Us,
                ..Contact::default()
            },
            Contact {
                name: "B".into(),
                party: Party::Partner,
                ..Contact::default()
            },
        ];
        c.review_date = Some(d("2026-04-01"));
        c.signed = Some(d("2026-01-02"));
        a.charter = Some(c);
        assert_eq!(completeness_percent(&a), 100);
        a.charter.as_mut().unwrap().win_conditions[0].target = None;
        assert!(
            checklist(&a)
                .iter()
                .any(|c| !c.done && c.what.contains("wish"))
        );
    }

    #[test]
    fn months_parse_and_review_dates_default() {
        assert_eq!(parse_months("10, 1 4;7").unwrap(), [1, 4, 7, 10]);
        assert!(parse_months("1,13").is_err());
        assert_eq!(parse_months("Jan, Apr, Jul, Oct").unwrap(), [1, 4, 7, 10]);
        assert_eq!(parse_months("march june. 9 DEC").unwrap(), [3, 6, 9, 12]);
        assert!(parse_months("Ja").is_err(), "too short to name a month");
        assert_eq!(parse_months("").unwrap(), Vec::<u8>::new());
        assert_eq!(format_months(&[1, 4]), "1,4");
        assert_eq!(
            default_review_date(Some(d("2026-01-01")), d("2026-05-05")),
            d("2026-04-01")
        );
        assert_eq!(default_review_date(None, d("2026-01-01")), d("2026-04-01"));
    }

    #[test]
    fn ids_are_unique_and_promotion_carries_win_conditions() {
        let mut p = Portfolio::empty("B");
        p.alliances.push(Alliance::new(
            "glow-co",
            "Glow",
            AllianceKind::CoMarketing,
            d("2026-01-01"),
        ));
        assert_eq!(id_for("Glow & Co", &p), "glow-co-2");
        assert_eq!(id_for("Café Östra", &p), "caf-stra");
        assert_eq!(id_for("!!!", &p), "new-1");
        // Renaming itself, an alliance does not collide with its own id.
        assert_eq!(id_for_alliance("Glow & Co", &p, 0), "glow-co");
        assert_eq!(id_for_alliance("Glow & Co", &p, 1), "glow-co-2");
        assert!(is_placeholder_id("new-1") && is_placeholder_id("new-12"));
        for id in ["new-", "new-x", "news-1", "glow-co", "new-1a"] {
            assert!(!is_placeholder_id(id), "{id}");
        }
        assert!(is_placeholder_id(
            &new_alliance(&p, AllianceKind::Wholesale, d("2026-01-01")).id
        ));
        let intake = Intake {
            partner: "Peak Outdoor".into(),
            kind: AllianceKind::Distribution,
            submitted: d("2026-02-01"),
            win_conditions: vec![WinCondition {
                metric: "Stores".into(),
                target: Some(40.0),
                ..WinCondition::default()
            }],
            resources: "1 AM".into(),
            rationale: "Reach".into(),
            score: None,
        };
        let a = promote(&intake, &p, d("2026-03-01"));
        assert_eq!(a.id, "peak-outdoor");
        assert_eq!(a.status, Status::Proposed);
        assert_eq!(a.charter.unwrap().win_conditions[0].metric, "Stores");
        assert!(a.notes.contains("Reach"));
    }

    #[test]
    fn promotion_keeps_rationale_and_resources_apart() {
        let intake = Intake {
            partner: "Pinecrest Outdoor".into(),
            kind: AllianceKind::RetailDistribution,
            submitted: d("2026-02-01"),
            win_conditions: Vec::new(),
            resources: " one AM, 5h/week ".into(),
            rationale: "Fills the Mountain West gap\n".into(),
            score: None,
        };
        let a = promote(&intake, &Portfolio::empty("B"), d("2026-03-01"));
        assert_eq!(
            a.notes,
            "Strategic rationale: Fills the Mountain West gap\n\n\
             Resource requirements: one AM, 5h/week"
        );
        assert!(!a.notes.contains("gapResource"));
        // Only one section: no stray separator.
        let only = Intake {
            resources: String::new(),
            ..intake
        };
        let a = promote(&only, &Portfolio::empty("B"), d("2026-03-01"));
        assert_eq!(a.notes, "Strategic rationale: Fills the Mountain West gap");
    }
}
