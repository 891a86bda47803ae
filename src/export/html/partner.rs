//! The partner page: one alliance, and only what SPEC §7 lets a partner see.
//!
//! The function takes the brand's name, the one alliance and its scores — not the portfolio —
//! so no other alliance, the pipeline or the brand's revenue can reach the page by mistake. It
//! never reads `notes`, `health`, `audit` or the alliance's revenue (which with ARCR would give
//! away the brand's total), and drops the flags built on them.

use chrono::NaiveDate;
use maud::{Markup, html};

use super::chart::{Chart, Point, Threshold, chart};
use super::{MISSING, Text, card, page, pct, speed, user_link, views_nav};
use crate::model::{Alliance, Commitment, Party, Review, Sas};
use crate::score::{AllianceScores, Flag};

/// How many months the monthly charts show.
const MONTHS_SHOWN: usize = 12;

/// The one rule of what a partner may see lives with the scores (SPEC §7).
pub use crate::score::partner_may_see;

/// The partner page of `alliance` (scored as `score`), by `brand`, as of `as_of`.
pub fn partner_page(
    brand: &str,
    alliance: &Alliance,
    score: &AllianceScores,
    as_of: NaiveDate,
) -> String {
    let flags: Vec<&Flag> = crate::score::partner_visible_flags(&score.flags);
    let title = format!("{brand} × {} — alliance dashboard", alliance.partner);
    let body = html! {
        main {
            header.top {
                h1 { (Text(brand)) " × " (Text(&alliance.partner)) }
                p.meta {
                    (alliance.kind.label()) " · " (alliance.status.label())
                    " · started " (alliance.started) " · figures as of " (as_of)
                }
                (views_nav(&[("charter", "Charter")]))
            }
            (weekly(brand, alliance, score, &flags, as_of))
            (monthly(brand, alliance, score, as_of))
            (quarterly(brand, alliance, score, as_of))
            (charter(brand, alliance))
            footer {
                p {
                    "Published with Alliance Desk on " (as_of) ". This page shows this alliance "
                    "only: the figures both partners agreed to track."
                }
            }
        }
    };
    page(&title, &body)
}

fn party<'a>(p: Party, brand: &'a str, alliance: &'a Alliance) -> &'a str {
    match p {
        Party::Us => brand,
        Party::Partner => &alliance.partner,
    }
}

fn weekly(
    brand: &str,
    alliance: &Alliance,
    score: &AllianceScores,
    flags: &[&Flag],
    as_of: NaiveDate,
) -> Markup {
    let t = &score.cfr.trailing_30d;
    let due: Vec<&Commitment> = alliance
        .commitments
        .iter()
        .filter(|c| c.is_due_within(as_of, 7))
        .collect();
    let overdue: Vec<&Commitment> = alliance
        .commitments
        .iter()
        .filter(|c| c.is_overdue(as_of))
        .collect();
    let open_escalations: Vec<_> = alliance
        .escalations
        .iter()
        .filter(|e| e.is_open(as_of))
        .collect();
    html! {
        section.view #weekly {
            h2 { "Weekly pulse" }
            div.cards {
                (card("CFR, last 30 days", &pct(t.all, 0), &format!("{} {} · {} {}",
                    super::visible(brand), pct(t.us, 0), super::visible(&alliance.partner), pct(t.partner, 0))))
                (card("Due this week", &due.len().to_string(), "commitments open"))
                (card("Overdue", &overdue.len().to_string(), "commitments"))
                (card("Open escalations", &open_escalations.len().to_string(), ""))
                (card("Execution speed", &speed(score.execution_speed_days), "median vs due date, 90 days"))
            }
            h3 { "Flags" }
            @if flags.is_empty() {
                p.ok { "✓ No flags." }
            } @else {
                ul.flags { @for f in flags {
                    li class=(f.severity.label()) {
                        span.sev { (f.severity.symbol()) " " (f.severity.label()) } " · "
                        (f.code.short_label()) ": " (Text(&f.message))
                    }
                } }
            }
            h3 { "Due this week" }
            (commitment_table(brand, alliance, &due, as_of))
            h3 { "Overdue" }
            (commitment_table(brand, alliance, &overdue, as_of))
            h3 { "Open escalations" }
            @if open_escalations.is_empty() {
                p.empty { "None." }
            } @else {
                div.scroll { table {
                    thead { tr { th { "Raised" } th { "Issue" } } }
                    tbody { @for e in &open_escalations {
                        tr { td.num { (e.raised) } td.text { (Text(&e.issue)) } }
                    } }
                } }
            }
        }
    }
}

fn commitment_table(
    brand: &str,
    alliance: &Alliance,
    list: &[&Commitment],
    as_of: NaiveDate,
) -> Markup {
    html! {
        @if list.is_empty() {
            p.empty { "None." }
        } @else {
            div.scroll { table {
                thead { tr { th { "Owner" } th { "Action" } th { "Due" } th { "Done" } th { "State" } } }
                tbody { @for c in list {
                    @let state = c.state(as_of);
                    tr {
                        td { (Text(party(c.party, brand, alliance))) }
                        td.text { (Text(&c.action)) }
                        td.num { (c.due) }
                        td.num { (c.done_by(as_of).map_or_else(|| MISSING.to_owned(), |d| d.to_string())) }
                        td { (state.symbol()) " " (state.label()) }
                    }
                } }
            } }
        }
    }
}

fn last<T>(items: &[T], n: usize) -> &[T] {
    &items[items.len().saturating_sub(n)..]
}

fn monthly(brand: &str, alliance: &Alliance, score: &AllianceScores, as_of: NaiveDate) -> Markup {
    let arcr = Chart {
        title: "ARCR by month, against the 2% line",
        value_header: "ARCR",
        points: last(&score.arcr.series, MONTHS_SHOWN)
            .iter()
            .map(|m| Point {
                label: m.month.to_string(),
                value: Some(m.value),
            })
            .collect(),
        thresholds: vec![Threshold {
            value: 0.02,
            label: "2%".into(),
        }],
        band: None,
        min_top: 0.03,
        format: &|v| pct(Some(v), 1),
        below_word: "below 2%",
    };
    let cfr = Chart {
        title: "Combined CFR by month, against 70% and 50%",
        value_header: "CFR",
        points: last(&score.cfr.monthly, MONTHS_SHOWN)
            .iter()
            .map(|m| Point {
                label: m.month.to_string(),
                value: m.all,
            })
            .collect(),
        thresholds: vec![
            Threshold {
                value: 0.7,
                label: "70%".into(),
            },
            Threshold {
                value: 0.5,
                label: "50%".into(),
            },
        ],
        band: None,
        min_top: 1.0,
        format: &|v| pct(Some(v), 0),
        below_word: "below 70%",
    };
    let mbrs: Vec<&Review> = alliance
        .reviews
        .iter()
        .filter(|r| r.is_monthly() && r.date() <= as_of)
        .collect();
    html! {
        section.view #monthly {
            h2 { "Monthly trend" }
            div.twocol {
                div { h3 { "ARCR" } (chart(&arcr)) }
                div { h3 { "Commitment fulfilment (CFR)" } (chart(&cfr)) }
            }
            @if !score.cfr.monthly.is_empty() {
                h3 { "CFR by party" }
                div.scroll { table {
                    thead { tr { th { "Month" } th.num { (Text(brand)) } th.num { (Text(&alliance.partner)) } th.num { "Both" } } }
                    tbody { @for m in last(&score.cfr.monthly, MONTHS_SHOWN) {
                        tr { th scope="row" { (m.month) } td.num { (pct(m.us, 0)) } td.num { (pct(m.partner, 0)) } td.num { (pct(m.all, 0)) } }
                    } }
                } }
            }
            h3 { "Win conditions" }
            (win_conditions(brand, alliance, score))
            h3 { "Commitments" }
            @let all: Vec<&Commitment> = alliance.commitments.iter().collect();
            (commitment_table(brand, alliance, &all, as_of))
            h3 { "Monthly business reviews" }
            @if mbrs.is_empty() { p.empty { "No monthly review yet." } }
            @for r in mbrs.iter().rev() { (review(r)) }
        }
    }
}

fn win_conditions(brand: &str, alliance: &Alliance, score: &AllianceScores) -> Markup {
    let Some(charter) = &alliance.charter else {
        return html! { p.empty { "No charter yet." } };
    };
    html! {
        @if charter.win_conditions.is_empty() {
            p.empty { "No win conditions yet." }
        } @else {
            div.scroll { table {
                thead { tr { th { "Metric" } th.num { "Target" } th { "By" } th { "Owner" } th { "Actuals" } th { "Status" } } }
                tbody { @for (i, w) in charter.win_conditions.iter().enumerate() {
                    @let status = score.win_conditions.get(i).map(|s| s.status);
                    tr {
                        td.text { (Text(&w.metric)) }
                        td.num { (w.target.map_or_else(|| MISSING.to_owned(), |t| format!("{t}"))) " " (Text(&w.unit)) }
                        td.num { (w.by.map_or_else(|| MISSING.to_owned(), |d| d.to_string())) }
                        td { (Text(party(w.owner, brand, alliance))) }
                        td.text {
                            @if w.actuals.is_empty() { (MISSING) }
                            @for (j, (m, v)) in w.actuals.iter().enumerate() {
                                @if j > 0 { ", " }
                                (m) ": " (v)
                            }
                        }
                        td { (status.map_or(MISSING, |s| s.label())) }
                    }
                } }
            } }
        }
    }
}

fn sas_text(s: Option<&Sas>) -> String {
    s.map_or_else(
        || MISSING.to_owned(),
        |s| {
            format!(
                "{:.1} (strategy {}, enter again {}, trust {})",
                s.score(),
                s.strategy,
                s.enter_again,
                s.trust
            )
        },
    )
}

fn review(r: &Review) -> Markup {
    let pair = |label: &'static str, text: &str| {
        html! { @if !text.trim().is_empty() { dt { (label) } dd { (Text(text)) } } }
    };
    match r {
        Review::Monthly {
            date,
            kpis,
            blockers,
            next_month,
            escalations,
            summary_sent,
            ..
        } => html! {
            article.review {
                h3 { "Monthly business review, " (date) }
                dl.pairs {
                    (pair("KPIs", kpis))
                    (pair("Blockers", blockers))
                    (pair("Next month", next_month))
                    (pair("Escalations", escalations))
                    dt { "Summary sent" }
                    dd { (summary_sent.map_or_else(|| "not yet".to_owned(), |d| d.to_string())) }
                }
            }
        },
        Review::Quarterly {
            date,
            still_aligned,
            environment,
            scope,
            opportunities,
            sas_us,
            sas_partner,
            ..
        } => html! {
            article.review {
                h3 { "Quarterly strategic review, " (date) }
                dl.pairs {
                    (pair("Still aligned", still_aligned))
                    (pair("Environment", environment))
                    dt { "Scope" } dd { (scope.map_or(MISSING, |s| s.label())) }
                    (pair("Opportunities", opportunities))
                    dt { "SAS, us" } dd { (sas_text(Some(sas_us))) }
                    dt { "SAS, partner" } dd { (sas_text(sas_partner.as_ref())) }
                    dt { "Combined SAS" }
                    dd { (format!("{:.1}", crate::score::metrics::combined_sas(sas_us, sas_partner.as_ref()))) }
                }
            }
        },
    }
}

fn quarterly(brand: &str, alliance: &Alliance, score: &AllianceScores, as_of: NaiveDate) -> Markup {
    let sas = Chart {
        title: "Combined SAS by quarterly review, against 6",
        value_header: "Combined SAS",
        points: score
            .sas_history
            .iter()
            .map(|(d, v)| Point {
                label: d.to_string(),
                value: Some(*v),
            })
            .collect(),
        thresholds: vec![Threshold {
            value: 6.0,
            label: "6".into(),
        }],
        band: None,
        min_top: 10.0 / 1.15,
        format: &|v| format!("{v:.1}"),
        below_word: "below 6: exit discussion",
    };
    let qsrs: Vec<&Review> = alliance
        .reviews
        .iter()
        .filter(|r| r.is_quarterly() && r.date() <= as_of)
        .collect();
    html! {
        section.view #quarterly {
            h2 { "Quarterly strategic view" }
            div.cards {
                @match &score.sas {
                    Some(s) => {
                        (card("Combined SAS", &format!("{:.1}", s.combined), &format!("QSR of {}", s.date)))
                        (card(&format!("SAS, {}", super::visible(brand)), &format!("{:.1}", s.us), ""))
                        (card(&format!("SAS, {}", super::visible(&alliance.partner)),
                            &s.partner.map_or_else(|| MISSING.to_owned(), |p| format!("{p:.1}")), ""))
                    }
                    None => (card("Combined SAS", MISSING, "no quarterly review yet")),
                }
                @if let Some(n) = &score.next_reviews {
                    (card("Next MBR", &n.monthly.map_or_else(|| MISSING.to_owned(), |d| d.to_string()), ""))
                    (card("Next QSR", &n.quarterly.map_or_else(|| MISSING.to_owned(), |d| d.to_string()), ""))
                    (card("90-day review", &n.ninety_day.map_or_else(|| MISSING.to_owned(), |d| d.to_string()), ""))
                }
            }
            (chart(&sas))
            h3 { "Quarterly strategic reviews" }
            @if qsrs.is_empty() { p.empty { "No quarterly review yet." } }
            @for r in qsrs.iter().rev() { (review(r)) }
            h3 { "Escalations" }
            @let escalations: Vec<_> = alliance.escalations.iter().filter(|e| e.raised <= as_of).collect();
            @if escalations.is_empty() {
                p.empty { "None." }
            } @else {
                div.scroll { table {
                    thead { tr { th { "Raised" } th { "Issue" } th { "Resolved" } } }
                    tbody { @for e in &escalations {
                        tr {
                            td.num { (e.raised) }
                            td.text { (Text(&e.issue)) }
                            td.num { (e.resolved.filter(|r| *r <= as_of).map_or_else(|| "open".to_owned(), |d| d.to_string())) }
                        }
                    } }
                } }
            }
        }
    }
}

fn charter(brand: &str, alliance: &Alliance) -> Markup {
    html! {
        section.view #charter {
            h2 { "Charter" }
            @match &alliance.charter {
                None => p.empty { "No charter yet." },
                Some(c) => {
                    dl.pairs {
                        dt { "Signed" }
                        dd { (c.signed.map_or_else(|| "not signed".to_owned(), |d| d.to_string())) }
                        dt { "90-day review" }
                        dd { (c.review_date.map_or_else(|| MISSING.to_owned(), |d| d.to_string())) }
                        dt { "Weekly update" }
                        dd { @if c.cadence.weekly_channel.trim().is_empty() { (MISSING) } @else { (Text(&c.cadence.weekly_channel)) } }
                        dt { "Monthly review" }
                        dd { (c.cadence.monthly_review_day.map_or_else(|| MISSING.to_owned(), |d| format!("day {d} of each month"))) }
                        dt { "Quarterly review" }
                        dd {
                            @if c.cadence.quarterly_review_months.is_empty() { (MISSING) }
                            @else { "months " (c.cadence.quarterly_review_months.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")) }
                        }
                        dt { "KPI dashboard" }
                        dd { @if c.dashboard.trim().is_empty() { (MISSING) } @else { (user_link(&c.dashboard)) } }
                        dt { "Resolution time" }
                        dd { (c.escalation.resolution_days) " days" }
                    }
                    h3 { "Escalation contacts" }
                    @if c.escalation.contacts.is_empty() { p.empty { "None yet." } } @else {
                        div.scroll { table {
                            thead { tr { th { "Name" } th { "Role" } th { "Party" } th { "Email" } th { "Authority" } } }
                            tbody { @for k in &c.escalation.contacts {
                                tr {
                                    td { (Text(&k.name)) } td { (Text(&k.role)) }
                                    td { (Text(party(k.party, brand, alliance))) }
                                    td.text { (Text(&k.email)) } td.text { (Text(&k.authority)) }
                                }
                            } }
                        } }
                    }
                    h3 { "Escalation triggers" }
                    @if c.escalation.triggers.is_empty() { p.empty { "None yet." } } @else {
                        ul { @for t in &c.escalation.triggers { li { (Text(t)) } } }
                    }
                }
            }
        }
    }
}
