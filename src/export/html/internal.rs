//! The internal portfolio page: every alliance, the three views and the outcomes.
//!
//! This page is for the brand's own team (it shows health scores, the brand's revenue share and
//! every partner), so it must not be hosted where partners can open it; the partner pages sit
//! in their own unguessable folders beside it.

use chrono::NaiveDate;
use maud::{Markup, html};

use super::chart::{Chart, Point, Threshold, chart};
use super::{MISSING, Text, card, page, pct, views_nav};
use crate::export::summary_cells;
use crate::model::{Portfolio, Status};
use crate::score::Scores;
use crate::score::outcomes::{Outcomes, SHARE_BAND_HIGH, SHARE_BAND_LOW};

/// Whether an alliance of this status gets a partner page (SPEC §11).
pub fn is_published(status: Status) -> bool {
    matches!(status, Status::Active | Status::WindingDown)
}

/// The internal page of `portfolio`, scored as `scores`, with its `outcomes`.
pub fn internal_page(portfolio: &Portfolio, scores: &Scores, outcomes: &Outcomes) -> String {
    let as_of = scores.as_of;
    let p = &scores.portfolio;
    let title = format!("{} — alliance portfolio (internal)", portfolio.brand);
    let share_detail = p.alliance_share.map_or_else(
        || "no brand revenue yet".to_owned(),
        |s| {
            format!(
                "{}, target 15–25%, {}",
                p.latest_month.map_or_else(String::new, |m| m.to_string()),
                crate::export::band_word(s)
            )
        },
    );
    let body = html! {
        main {
            header.top {
                h1 { (Text(&portfolio.brand)) " — alliance portfolio" }
                p.meta { "Internal: not for partners. Figures as of " (as_of) "." }
                (views_nav(&[("outcomes", "Outcomes")]))
            }
            div.cards {
                (card("Alliance share", &pct(p.alliance_share, 1), &share_detail))
                (card("Active alliances", &p.active.to_string(), "2–4 healthy ones carry the band"))
                (card("Goal attainment", &pct(p.goal_attainment, 0), "met ÷ (met + missed)"))
                (card("Flags", &format!("{} ■ {} ▲", p.flag_counts.critical, p.flag_counts.warn), "critical · warn"))
            }
            (weekly(portfolio, as_of))
            (monthly(portfolio, scores, outcomes))
            (quarterly(scores, outcomes))
            (outcomes_section(outcomes))
            footer { p { "Published with Alliance Desk on " (as_of) "." } }
        }
    };
    page(&title, &body)
}

fn weekly(portfolio: &Portfolio, as_of: NaiveDate) -> Markup {
    html! {
        section.view #weekly {
            h2 { "Weekly pulse" }
            h3 { "Due this week, and overdue" }
            @let due: Vec<_> = portfolio.alliances.iter().flat_map(|a| {
                a.commitments.iter().filter(|c| c.is_due_within(as_of, 7) || c.is_overdue(as_of)).map(move |c| (a, c))
            }).collect();
            @if due.is_empty() { p.empty { "Nothing due or overdue." } } @else {
                div.scroll { table {
                    thead { tr { th { "Alliance" } th { "Owner" } th { "Action" } th { "Due" } th { "State" } } }
                    tbody { @for (a, c) in &due {
                        @let state = c.state(as_of);
                        tr {
                            td { (Text(&a.partner)) }
                            td { (c.party.label()) }
                            td.text { (Text(&c.action)) }
                            td.num { (c.due) }
                            td { (state.symbol()) " " (state.label()) }
                        }
                    } }
                } }
            }
            h3 { "Open escalations" }
            @let open: Vec<_> = portfolio.alliances.iter().flat_map(|a| {
                a.escalations.iter().filter(|e| e.is_open(as_of)).map(move |e| (a, e))
            }).collect();
            @if open.is_empty() { p.empty { "None." } } @else {
                div.scroll { table {
                    thead { tr { th { "Alliance" } th { "Raised" } th { "Issue" } } }
                    tbody { @for (a, e) in &open {
                        tr { td { (Text(&a.partner)) } td.num { (e.raised) } td.text { (Text(&e.issue)) } }
                    } }
                } }
            }
        }
    }
}

fn monthly(portfolio: &Portfolio, scores: &Scores, outcomes: &Outcomes) -> Markup {
    let share = Chart {
        title: "Alliance share by month, against the 15–25% band",
        value_header: "Alliance share",
        points: outcomes
            .alliance_share_by_month
            .iter()
            .rev()
            .take(12)
            .rev()
            .map(|m| Point {
                label: m.month.to_string(),
                value: Some(m.value),
            })
            .collect(),
        thresholds: vec![
            Threshold {
                value: SHARE_BAND_LOW,
                label: "15%".into(),
            },
            Threshold {
                value: SHARE_BAND_HIGH,
                label: "25%".into(),
            },
        ],
        band: Some((SHARE_BAND_LOW, SHARE_BAND_HIGH)),
        min_top: 0.3,
        format: &|v| pct(Some(v), 1),
        below_word: "below the band",
    };
    html! {
        section.view #monthly {
            h2 { "Monthly trend" }
            (chart(&share))
            h3 { "Alliances" }
            div.scroll { table {
                thead { tr {
                    @for h in crate::export::SUMMARY_HEADERS { th { (h) } }
                    th { "Flags" } th { "Partner page" }
                } }
                tbody { @for (a, s) in portfolio.alliances.iter().zip(&scores.alliances) {
                    tr {
                        @for (i, cell) in summary_cells(s, scores.as_of).iter().enumerate() {
                            @if i == 0 { td { (Text(cell)) } } @else { td { (cell) } }
                        }
                        td {
                            @if s.flags.is_empty() { "✓" }
                            @for f in &s.flags { (f.severity.symbol()) " " (f.code.short_label()) br; }
                        }
                        td {
                            @match (&a.share_token, is_published(a.status)) {
                                (Some(token), true) => a href={ (token) "/index.html" } { "open" },
                                _ => (MISSING),
                            }
                        }
                    }
                } }
            } }
        }
    }
}

fn quarterly(scores: &Scores, outcomes: &Outcomes) -> Markup {
    let attainment = Chart {
        title: "Goal attainment by quarter, against 65%",
        value_header: "Goal attainment",
        points: outcomes
            .goal_attainment_by_quarter
            .iter()
            .map(|q| Point {
                label: q.quarter.clone(),
                value: q.value,
            })
            .collect(),
        thresholds: vec![Threshold {
            value: 0.65,
            label: "65%".into(),
        }],
        band: None,
        min_top: 1.0 / 1.15,
        format: &|v| pct(Some(v), 0),
        below_word: "below 65%",
    };
    html! {
        section.view #quarterly {
            h2 { "Quarterly strategic view" }
            (chart(&attainment))
            h3 { "Strategic alignment" }
            div.scroll { table {
                thead { tr { th { "Partner" } th { "Last QSR" } th.num { "Us" } th.num { "Partner" } th.num { "Combined" } } }
                tbody { @for s in &scores.alliances {
                    tr {
                        td { (Text(&s.partner)) }
                        @match &s.sas {
                            Some(x) => {
                                td.num { (x.date) } td.num { (format!("{:.1}", x.us)) }
                                td.num { (x.partner.map_or_else(|| MISSING.to_owned(), |p| format!("{p:.1}"))) }
                                td.num { (format!("{:.1}", x.combined)) @if x.combined < 6.0 { " ▲ below 6" } }
                            }
                            None => { td { (MISSING) } td.num { (MISSING) } td.num { (MISSING) } td.num { (MISSING) } }
                        }
                    }
                } }
            } }
        }
    }
}

fn outcomes_section(o: &Outcomes) -> Markup {
    let m = &o.median_lifespan_months;
    let months =
        |v: Option<f64>| v.map_or_else(|| MISSING.to_owned(), |v| format!("{v:.0} months"));
    html! {
        section.view #outcomes {
            h2 { "Outcomes" }
            p.muted { "Is governing the alliances working? The protocol's promise: alliances that last 36+ months instead of a 12-month median, and goal attainment above 65% instead of about 30%." }
            div.cards {
                (card("Median lifespan, signed charter", &months(m.governed), &alliances(m.governed_count)))
                (card("Median lifespan, no signed charter", &months(m.ungoverned), &alliances(m.ungoverned_count)))
                (card("Goal attainment, this quarter", &pct(o.goal_attainment_by_quarter.last().and_then(|q| q.value), 0), "target 65%+"))
            }
            h3 { "Lifespans" }
            @if o.lifespans.is_empty() { p.empty { "No alliance has started yet." } } @else {
                div.scroll { table {
                    thead { tr { th { "Partner" } th { "Status" } th { "Started" } th { "Ended" } th.num { "Months" } th { "Signed charter" } } }
                    tbody { @for l in &o.lifespans {
                        tr {
                            td { (Text(&l.partner)) } td { (l.status.label()) } td.num { (l.started) }
                            td.num { (l.ended.map_or_else(|| "running".to_owned(), |d| d.to_string())) }
                            td.num { (l.months) } td { (if l.governed { "✓ yes" } else { "no" }) }
                        }
                    } }
                } }
            }
            h3 { "Goal attainment by quarter" }
            div.scroll { table {
                thead { tr { th { "Quarter" } th { "As of" } th.num { "Met" } th.num { "Missed" } th.num { "Attainment" } } }
                tbody { @for q in &o.goal_attainment_by_quarter {
                    tr { th scope="row" { (q.quarter) } td.num { (q.date) } td.num { (q.met) } td.num { (q.missed) } td.num { (pct(q.value, 0)) } }
                } }
            } }
            h3 { "Alliance share by month" }
            div.scroll { table {
                thead { tr { th { "Month" } th.num { "Share" } th { "Band 15–25%" } } }
                tbody { @for s in &o.alliance_share_by_month {
                    tr { th scope="row" { (s.month) } td.num { (pct(Some(s.value), 1)) } td { (s.band.label()) } }
                } }
            } }
            h3 { "Top contributing alliances (12 months)" }
            @if o.top_contributors.is_empty() { p.empty { "No attributed revenue yet." } } @else {
                div.scroll { table {
                    thead { tr { th { "Partner" } th.num { "Revenue, 12 months" } th.num { "Of alliance revenue" } } }
                    tbody { @for c in &o.top_contributors {
                        tr { td { (Text(&c.partner)) } td.num { (format!("{:.0}", c.revenue_12m)) } td.num { (pct(Some(c.share_of_alliance_revenue), 0)) } }
                    } }
                } }
            }
        }
    }
}

/// "1 alliance", "6 alliances".
fn alliances(n: usize) -> String {
    if n == 1 {
        "1 alliance".to_owned()
    } else {
        format!("{n} alliances")
    }
}
