//! Semantic validation (SPEC §2.1): every problem at once, each naming the alliance and field.
//!
//! Syntax and shape are ron's job (and the store's date pre-scan); this module checks what a
//! well-formed file can still get wrong: scores out of range, duplicate ids, negative money,
//! impossible cadence settings. Places read like a path a person can follow in the file:
//! `alliance "glow" › charter › win_conditions[1] › target`. List positions count from 1, as a
//! person counts; commitments are named by their `id`, dated records by their date.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::model::{
    Alliance, DimensionScores, FORMAT_VERSION, MonthlyValues, Portfolio, Review, Sas, WinCondition,
};

/// Error stops loading; Warning is printed and loading goes on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Warning,
    Error,
}

/// One problem found in a portfolio file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub level: Level,
    /// Where: `alliance "glow" › commitments[id 2] › due`, or `FILE:LINE:COL`.
    pub place: String,
    pub message: String,
}

impl Diagnostic {
    pub fn error(place: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            level: Level::Error,
            place: place.into(),
            message: message.into(),
        }
    }

    pub fn warning(place: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            level: Level::Warning,
            place: place.into(),
            message: message.into(),
        }
    }

    pub fn is_error(&self) -> bool {
        self.level == Level::Error
    }
}

/// The separator between the steps of a place.
const SEP: &str = " › ";

/// Where a problem is, spelled out only when there is one: validation runs on every load, and
/// formatting every place of a large portfolio cost more than the checks themselves.
type Place<'a> = &'a dyn Fn() -> String;

/// Every semantic problem of `portfolio`, errors and warnings, in file order.
pub fn validate(portfolio: &Portfolio) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if portfolio.version != FORMAT_VERSION {
        out.push(Diagnostic::error(
            "version",
            format!(
                "format version {} is not supported: this build reads version {FORMAT_VERSION}",
                portfolio.version
            ),
        ));
    }
    if portfolio.brand.trim().is_empty() {
        out.push(Diagnostic::error("brand", "the brand name is empty"));
    }
    check_revenue(&mut out, &|| "revenue".to_owned(), &portfolio.revenue);
    if portfolio
        .publish_to
        .as_deref()
        .is_some_and(|d| d.trim().is_empty())
    {
        out.push(Diagnostic::error(
            "publish_to",
            "the publish folder is empty: name a folder, or remove the setting",
        ));
    }

    // Share tokens by owner, so a token used twice is found without comparing every pair.
    let mut token_owners: HashMap<&str, Vec<&Alliance>> = HashMap::new();
    for a in &portfolio.alliances {
        if let Some(token) = &a.share_token {
            token_owners.entry(token.as_str()).or_default().push(a);
        }
    }
    let mut seen_ids = HashSet::new();
    for (i, alliance) in portfolio.alliances.iter().enumerate() {
        let here = alliance_place(alliance, i);
        if alliance.id.is_empty() {
            out.push(Diagnostic::error(
                format!("{here}{SEP}id"),
                "the alliance id is empty; use lowercase letters, digits and '-'",
            ));
        } else if !alliance
            .id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            out.push(Diagnostic::error(
                format!("{here}{SEP}id"),
                format!(
                    "id {:?} may only use lowercase letters a-z, digits and '-'",
                    alliance.id
                ),
            ));
        }
        if !alliance.id.is_empty() && !seen_ids.insert(alliance.id.as_str()) {
            out.push(Diagnostic::error(
                format!("alliances[{}]{SEP}id", i + 1),
                format!(
                    "duplicate alliance id {:?}: another alliance already uses it",
                    alliance.id
                ),
            ));
        }
        check_alliance(&mut out, portfolio, &token_owners, alliance, &here);
    }

    // SPEC §9: an order matching two alliances' rules counts for neither; say so before an import.
    for overlap in crate::import::revenue::overlaps(portfolio) {
        out.push(Diagnostic::warning(
            format!(
                "alliance {:?}{SEP}attribution{SEP}{}",
                overlap.alliances[1],
                overlap.kind.field()
            ),
            overlap.message(),
        ));
    }

    for (i, intake) in portfolio.pipeline.iter().enumerate() {
        let here = if intake.partner.trim().is_empty() {
            format!("pipeline[{}]", i + 1)
        } else {
            format!("pipeline {:?}", intake.partner)
        };
        if intake.partner.trim().is_empty() {
            out.push(Diagnostic::error(
                format!("{here}{SEP}partner"),
                "the partner name is empty",
            ));
        }
        for (j, wc) in intake.win_conditions.iter().enumerate() {
            check_win_condition(&mut out, wc, &|| {
                format!("{here}{SEP}win_conditions[{}]", j + 1)
            });
        }
        if let Some(score) = &intake.score {
            check_dimensions(&mut out, *score, &|| format!("{here}{SEP}score"));
        }
    }
    out
}

fn alliance_place(alliance: &Alliance, index: usize) -> String {
    if alliance.id.is_empty() {
        format!("alliances[{}]", index + 1)
    } else {
        format!("alliance {:?}", alliance.id)
    }
}

/// Characters in a share token: 128 bits as URL-safe base64 without padding.
pub const SHARE_TOKEN_LEN: usize = 22;

/// Why `token` is not a share token (SPEC §11: 128 random bits, URL-safe base64), if it is not.
/// The shape matters beyond taste: the token becomes a folder name under the publish folder, so
/// `..`, `/` or an empty name must never get through.
pub fn share_token_problem(token: &str) -> Option<String> {
    let ok_chars = token
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    // 22 characters carry 132 bits; the last one holds only 2 of them, so it is one of AQgw.
    let ok_last = token.ends_with(['A', 'Q', 'g', 'w']);
    (token.len() != SHARE_TOKEN_LEN || !ok_chars || !ok_last).then(|| {
        format!(
            "{token:?} is not a share token: expected {SHARE_TOKEN_LEN} characters of URL-safe \
             base64 (A-Z a-z 0-9 - _); remove the field and publish again to get a new one"
        )
    })
}

fn check_alliance(
    out: &mut Vec<Diagnostic>,
    portfolio: &Portfolio,
    token_owners: &HashMap<&str, Vec<&Alliance>>,
    a: &Alliance,
    here: &str,
) {
    if let Some(token) = &a.share_token {
        if let Some(problem) = share_token_problem(token) {
            out.push(Diagnostic::error(
                format!("{here}{SEP}share_token"),
                problem,
            ));
        } else if let Some(other) = token_owners
            .get(token.as_str())
            .and_then(|owners| owners.iter().find(|o| o.id != a.id))
        {
            out.push(Diagnostic::error(
                format!("{here}{SEP}share_token"),
                format!(
                    "the same token as alliance {:?}: two partners would share one page; remove \
                     the field and publish again to get a new one",
                    other.id
                ),
            ));
        }
    }
    if a.partner.trim().is_empty() {
        out.push(Diagnostic::error(
            format!("{here}{SEP}partner"),
            "the partner name is empty",
        ));
    }
    if let Some(charter) = &a.charter {
        let ch = format!("{here}{SEP}charter");
        for (j, wc) in charter.win_conditions.iter().enumerate() {
            check_win_condition(out, wc, &|| format!("{ch}{SEP}win_conditions[{}]", j + 1));
        }
        let cadence = format!("{ch}{SEP}cadence");
        if let Some(day) = charter.cadence.monthly_review_day
            && !(1..=28).contains(&day)
        {
            out.push(Diagnostic::error(
                format!("{cadence}{SEP}monthly_review_day"),
                format!("day {day} is outside 1-28 (a day every month has)"),
            ));
        }
        let mut months = BTreeSet::new();
        for (j, &m) in charter.cadence.quarterly_review_months.iter().enumerate() {
            let place = || format!("{cadence}{SEP}quarterly_review_months[{}]", j + 1);
            if !(1..=12).contains(&m) {
                out.push(Diagnostic::error(
                    place(),
                    format!("month {m} is outside 1-12"),
                ));
            } else if !months.insert(m) {
                out.push(Diagnostic::warning(
                    place(),
                    format!("month {m} is listed twice"),
                ));
            }
        }
    }
    if let Some(audit) = &a.audit
        && let Some(m) = &audit.recent_result
    {
        check_number(
            out,
            &|| format!("{here}{SEP}audit{SEP}recent_result{SEP}value"),
            m.value,
        );
    }
    for h in &a.health {
        check_dimensions(out, h.dimensions(), &|| {
            format!("{here}{SEP}health[{}]", h.date)
        });
    }

    let rev = || format!("{here}{SEP}revenue");
    check_revenue(out, &rev, &a.revenue);
    for (month, &value) in &a.revenue {
        if let Some(&brand) = portfolio.revenue.get(month)
            && value.is_finite()
            && brand.is_finite()
            && value > brand
        {
            out.push(Diagnostic::warning(
                format!("{}[\"{month}\"]", rev()),
                format!(
                    "alliance revenue {value} is above the brand's total revenue {brand} that month"
                ),
            ));
        }
    }

    let mut ids = HashSet::new();
    for c in &a.commitments {
        if !ids.insert(c.id) {
            out.push(Diagnostic::error(
                format!("{here}{SEP}commitments[id {}]", c.id),
                format!(
                    "duplicate commitment id {}: ids must be unique within an alliance",
                    c.id
                ),
            ));
        }
    }

    for r in &a.reviews {
        if let Some(f) = r.figures() {
            let kind = if r.is_monthly() {
                "Monthly"
            } else {
                "Quarterly"
            };
            check_figures(out, f, &|| {
                format!("{here}{SEP}reviews[{kind} {}]{SEP}figures", r.date())
            });
        }
        match r {
            Review::Quarterly {
                date,
                sas_us,
                sas_partner,
                ..
            } => {
                let place = |who: &str| format!("{here}{SEP}reviews[Quarterly {date}]{SEP}{who}");
                check_sas(out, *sas_us, &|| place("sas_us"));
                if let Some(p) = sas_partner {
                    check_sas(out, *p, &|| place("sas_partner"));
                }
            }
            Review::Monthly {
                date,
                summary_sent: Some(sent),
                ..
            } if sent < date => out.push(Diagnostic::warning(
                format!("{here}{SEP}reviews[Monthly {date}]{SEP}summary_sent"),
                format!("the summary was sent ({sent}) before the review took place"),
            )),
            Review::Monthly { .. } => {}
        }
    }

    for (j, e) in a.escalations.iter().enumerate() {
        if let Some(resolved) = e.resolved
            && resolved < e.raised
        {
            out.push(Diagnostic::warning(
                format!("{here}{SEP}escalations[{}]{SEP}resolved", j + 1),
                format!("resolved {resolved} is before it was raised ({})", e.raised),
            ));
        }
    }
}

/// A stored review's figures: a health total is 4–20 and a CFR a fraction 0–1, as the engine
/// writes them; a hand-edited figure outside that range is an error, not a number to show.
fn check_figures(out: &mut Vec<Diagnostic>, f: &crate::model::Figures, place: Place<'_>) {
    if let Some(h) = f.health
        && !(4..=20).contains(&h)
    {
        out.push(Diagnostic::error(
            format!("{}{SEP}health", place()),
            format!("health {h} is outside 4–20 (four dimensions, each 1–5)"),
        ));
    }
    let c = &f.cfr_30d;
    for (name, v) in [("us", c.us), ("partner", c.partner), ("all", c.all)] {
        if let Some(v) = v
            && !(0.0..=1.0).contains(&v)
        {
            out.push(Diagnostic::error(
                format!("{}{SEP}cfr_30d{SEP}{name}", place()),
                format!("CFR {v} is outside 0–1 (a fraction: 0.75 is 75%)"),
            ));
        }
    }
}

fn check_revenue(out: &mut Vec<Diagnostic>, place: Place<'_>, values: &MonthlyValues) {
    for (month, &value) in values {
        let place = || format!("{}[\"{month}\"]", place());
        if !value.is_finite() {
            out.push(Diagnostic::error(
                place(),
                format!("{value} is not a number"),
            ));
        } else if value < 0.0 {
            out.push(Diagnostic::error(
                place(),
                format!("revenue {value} is negative"),
            ));
        }
    }
}

/// A measured value (target, actual, result): must be finite; negative is allowed but odd.
fn check_number(out: &mut Vec<Diagnostic>, place: Place<'_>, value: f64) {
    if !value.is_finite() {
        out.push(Diagnostic::error(
            place(),
            format!("{value} is not a number"),
        ));
    } else if value < 0.0 {
        out.push(Diagnostic::warning(
            place(),
            format!("{value} is negative; is the sign right?"),
        ));
    }
}

fn check_win_condition(out: &mut Vec<Diagnostic>, wc: &WinCondition, place: Place<'_>) {
    if let Some(t) = wc.target {
        check_number(out, &|| format!("{}{SEP}target", place()), t);
    }
    for (month, &v) in &wc.actuals {
        check_number(out, &|| format!("{}{SEP}actuals[\"{month}\"]", place()), v);
    }
}

fn check_dimensions(out: &mut Vec<Diagnostic>, d: DimensionScores, place: Place<'_>) {
    for (name, value) in [
        ("strategic_alignment", d.strategic_alignment),
        ("execution_reliability", d.execution_reliability),
        ("revenue_contribution", d.revenue_contribution),
        ("relationship_health", d.relationship_health),
    ] {
        if !(1..=5).contains(&value) {
            out.push(Diagnostic::error(
                format!("{}{SEP}{name}", place()),
                format!("score {value} is outside 1-5"),
            ));
        }
    }
}

fn check_sas(out: &mut Vec<Diagnostic>, s: Sas, place: Place<'_>) {
    for (name, value) in [
        ("strategy", s.strategy),
        ("enter_again", s.enter_again),
        ("trust", s.trust),
    ] {
        if !(1..=10).contains(&value) {
            out.push(Diagnostic::error(
                format!("{}{SEP}{name}", place()),
                format!("answer {value} is outside 1-10"),
            ));
        }
    }
}

#[cfg(test)]
mod tests;
