//! The Markdown exports: the portfolio report, the partner-safe one-alliance report and one
//! stored review's summary.
//!
//! The one-alliance report is meant to be sent to the partner: it names no other partner, shows
//! no portfolio totals and never includes the internal `notes`.

use std::fmt::Write as _;

use chrono::NaiveDate;

use super::{ExportError, MISSING, opt, pct};
use crate::model::{Alliance, Commitment, Party, Portfolio, Review, Sas};
use crate::score::{AllianceScores, Scores};

/// Escape text for a Markdown table cell: Markdown and HTML (SPEC §8), pipes, backslashes and
/// line breaks (as `<br>`). Every cell of every table goes through here.
pub fn cell(s: &str) -> String {
    let out = crate::sanitize::markdown_cell(s);
    if out.is_empty() {
        MISSING.to_owned()
    } else {
        out
    }
}

/// Prose in a paragraph, Markdown and HTML escaped line by line: empty text shows `—`.
fn text(s: &str) -> String {
    if s.trim().is_empty() {
        MISSING.to_owned()
    } else {
        crate::sanitize::markdown_block(s.trim())
    }
}

/// A name (brand, partner) or one-line text in a heading or list item: escaped, on one line.
fn name(s: &str) -> String {
    if s.trim().is_empty() {
        MISSING.to_owned()
    } else {
        crate::sanitize::markdown(s)
    }
}

fn num(v: Option<f64>) -> String {
    v.map_or_else(|| MISSING.to_owned(), |v| format!("{v}"))
}

fn table(out: &mut String, headers: &[&str], rows: &[Vec<String>]) {
    let headers: Vec<String> = headers.iter().map(|h| cell(h)).collect();
    let _ = writeln!(out, "| {} |", headers.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(headers.len()));
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out.push('\n');
}

fn flags_cell(a: &AllianceScores) -> String {
    if a.flags.is_empty() {
        return MISSING.to_owned();
    }
    a.flags
        .iter()
        .map(|f| format!("{} {}", f.severity.symbol(), f.code.code()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn win_condition_rows(alliance: &Alliance, scores: Option<&AllianceScores>) -> Vec<Vec<String>> {
    let Some(charter) = &alliance.charter else {
        return Vec::new();
    };
    charter
        .win_conditions
        .iter()
        .enumerate()
        .map(|(i, wc)| {
            let score = scores.and_then(|s| s.win_conditions.get(i));
            vec![
                wc.metric.clone(),
                num(wc.target),
                wc.unit.clone(),
                opt(wc.by),
                score.map_or_else(|| MISSING.to_owned(), |s| num(s.latest_actual)),
                score.map_or_else(
                    || if wc.is_wish() { "wish" } else { MISSING }.to_owned(),
                    |s| s.status.label().to_owned(),
                ),
            ]
        })
        .collect()
}

const WIN_HEADERS: [&str; 6] = ["Metric", "Target", "Unit", "By", "Latest", "Status"];

/// The whole portfolio: figures against the band, the alliances, their flags and win conditions.
pub fn portfolio_report(portfolio: &Portfolio, scores: &Scores) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# {} — alliance portfolio report\n", text(&scores.brand));
    let _ = writeln!(s, "As of {}.\n", scores.as_of);
    let p = &scores.portfolio;
    let _ = writeln!(s, "## Portfolio\n");
    let share = match p.alliance_share {
        Some(v) => format!(
            "{} of {} revenue ({})",
            pct(Some(v), 1),
            opt(p.latest_month),
            super::band_word(v)
        ),
        None => format!("{MISSING} (target 15–25%)"),
    };
    let _ = writeln!(s, "- Alliance share: {share}");
    let _ = writeln!(
        s,
        "- Active alliances: {} (target: 2–4 healthy alliances)",
        p.active
    );
    let _ = writeln!(s, "- Goal attainment: {}", pct(p.goal_attainment, 0));
    let _ = writeln!(
        s,
        "- Flags: {} critical, {} warn\n",
        p.flag_counts.critical, p.flag_counts.warn
    );

    let _ = writeln!(s, "## Alliances\n");
    if scores.alliances.is_empty() {
        let _ = writeln!(s, "No alliances yet.\n");
    } else {
        let rows: Vec<Vec<String>> = scores
            .alliances
            .iter()
            .map(|a| {
                let mut row = super::summary_cells(a, scores.as_of).to_vec();
                row.push(flags_cell(a));
                row
            })
            .collect();
        let mut headers = super::SUMMARY_HEADERS.to_vec();
        headers.push("Flags");
        table(&mut s, &headers, &rows);
    }

    let flagged: Vec<_> = scores
        .alliances
        .iter()
        .filter(|a| !a.flags.is_empty())
        .collect();
    if !flagged.is_empty() {
        let _ = writeln!(s, "## Flags\n");
        for a in flagged {
            let _ = writeln!(s, "### {}\n", name(&a.partner));
            for f in &a.flags {
                let _ = writeln!(
                    s,
                    "- {} **{}** `{}`: {}",
                    f.severity.symbol(),
                    f.severity.label(),
                    f.code.code(),
                    name(&f.message)
                );
            }
            s.push('\n');
        }
    }

    let _ = writeln!(s, "## Win conditions\n");
    for alliance in &portfolio.alliances {
        let score = scores.alliances.iter().find(|a| a.id == alliance.id);
        let _ = writeln!(s, "### {}\n", name(&alliance.partner));
        let rows = win_condition_rows(alliance, score);
        if alliance.charter.is_none() {
            let _ = writeln!(s, "No charter yet.\n");
        } else if rows.is_empty() {
            let _ = writeln!(s, "The charter has no win conditions yet.\n");
        } else {
            table(&mut s, &WIN_HEADERS, &rows);
        }
    }
    s
}

fn party_name<'a>(party: Party, portfolio: &'a Portfolio, alliance: &'a Alliance) -> &'a str {
    match party {
        Party::Us => &portfolio.brand,
        Party::Partner => &alliance.partner,
    }
}

fn find(portfolio: &Portfolio, id: &str) -> Result<usize, ExportError> {
    portfolio
        .alliance_index(id)
        .ok_or_else(|| ExportError::UnknownAlliance(id.to_owned()))
}

/// The charter itself (signature, win conditions, cadence, dashboard, escalation path), as
/// shared by the alliance report and the one-page charter document. Partner-safe: no notes.
fn charter_section(
    s: &mut String,
    portfolio: &Portfolio,
    alliance: &Alliance,
    score: Option<&AllianceScores>,
) {
    match &alliance.charter {
        None => {
            let _ = writeln!(s, "No charter yet.\n");
        }
        Some(c) => {
            let _ = writeln!(
                s,
                "- Signed: {}",
                c.signed
                    .map_or_else(|| "not signed".to_owned(), |d| d.to_string())
            );
            let _ = writeln!(s, "- 90-day review: {}\n", opt(c.review_date));
            let _ = writeln!(s, "### Win conditions\n");
            let rows = win_condition_rows(alliance, score);
            if rows.is_empty() {
                let _ = writeln!(s, "None yet.\n");
            } else {
                table(s, &WIN_HEADERS, &rows);
            }
            let _ = writeln!(s, "### Cadence\n");
            let _ = writeln!(
                s,
                "- Weekly async update: {}",
                text(&c.cadence.weekly_channel)
            );
            let _ = writeln!(
                s,
                "- Monthly business review: {}",
                c.cadence
                    .monthly_review_day
                    .map_or_else(|| MISSING.to_owned(), |d| format!("day {d} of each month"))
            );
            let months: Vec<String> = c
                .cadence
                .quarterly_review_months
                .iter()
                .filter_map(|&m| crate::model::Month::new(2000, u32::from(m)))
                .map(|m| m.first_day().format("%B").to_string())
                .collect();
            let _ = writeln!(
                s,
                "- Quarterly strategic review: {}\n",
                if months.is_empty() {
                    MISSING.to_owned()
                } else {
                    months.join(", ")
                }
            );
            let _ = writeln!(s, "### KPI dashboard\n\n{}\n", text(&c.dashboard));
            attribution_section(s, &alliance.attribution);
            let _ = writeln!(s, "### Escalation path\n");
            if c.escalation.contacts.is_empty() {
                let _ = writeln!(s, "No contacts named yet.\n");
            } else {
                let rows: Vec<Vec<String>> = c
                    .escalation
                    .contacts
                    .iter()
                    .map(|k| {
                        vec![
                            k.name.clone(),
                            k.role.clone(),
                            party_name(k.party, portfolio, alliance).to_owned(),
                            k.email.clone(),
                            k.authority.clone(),
                        ]
                    })
                    .collect();
                table(s, &["Name", "Role", "Side", "Email", "Authority"], &rows);
            }
            for t in &c.escalation.triggers {
                let _ = writeln!(s, "- Trigger: {}", name(t));
            }
            let _ = writeln!(
                s,
                "- Resolution within {} days\n",
                c.escalation.resolution_days
            );
        }
    }
}

/// How the alliance's revenue is counted (SPEC §9): its discount codes, order tags and sources.
fn attribution_section(s: &mut String, rules: &crate::model::Attribution) {
    let _ = writeln!(s, "### Revenue attribution\n");
    if rules.is_empty() {
        let _ = writeln!(s, "No attribution rules yet: revenue is entered by hand.\n");
        return;
    }
    for (label, list) in [
        ("Discount codes", &rules.codes),
        ("Order tags", &rules.tags),
        ("Order sources", &rules.sources),
    ] {
        if !list.is_empty() {
            let items: Vec<String> = list.iter().map(|r| text(r)).collect();
            let _ = writeln!(s, "- {label}: {}", items.join(", "));
        }
    }
    s.push('\n');
}

/// The one-page charter document of one alliance (week 2), ready to send to the partner.
pub fn charter_document(
    portfolio: &Portfolio,
    scores: &Scores,
    id: &str,
) -> Result<String, ExportError> {
    let alliance = &portfolio.alliances[find(portfolio, id)?];
    let score = scores.alliances.iter().find(|a| a.id == id);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# Alliance charter: {} × {}\n",
        name(&portfolio.brand),
        name(&alliance.partner)
    );
    let _ = writeln!(
        s,
        "{} · {} · started {} · {}% complete.\n",
        alliance.kind.label(),
        alliance.status.label(),
        alliance.started,
        crate::charter::completeness_percent(alliance)
    );
    charter_section(&mut s, portfolio, alliance, score);
    let open: Vec<String> = crate::charter::checklist(alliance)
        .into_iter()
        .filter(|c| !c.done)
        .map(|c| format!("- [ ] {}: {}", c.section.title(), name(&c.what)))
        .collect();
    if !open.is_empty() {
        let _ = writeln!(s, "## Still open\n\n{}\n", open.join("\n"));
    }
    let _ = writeln!(
        s,
        "## Sign-off\n\n- For {}: ____________________  date: __________\n- For {}: ____________________  date: __________",
        name(&portfolio.brand),
        name(&alliance.partner)
    );
    Ok(s)
}

/// A partner-safe report of one alliance: charter, KPIs, open commitments, flags.
pub fn alliance_report(
    portfolio: &Portfolio,
    scores: &Scores,
    id: &str,
) -> Result<String, ExportError> {
    let alliance = &portfolio.alliances[find(portfolio, id)?];
    let score = scores.alliances.iter().find(|a| a.id == id);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# {} × {} — alliance report\n",
        name(&portfolio.brand),
        name(&alliance.partner)
    );
    let _ = writeln!(
        s,
        "As of {}. {} · {} · started {}.\n",
        scores.as_of,
        alliance.kind.label(),
        alliance.status.label(),
        alliance.started
    );

    let _ = writeln!(s, "## Charter\n");
    charter_section(&mut s, portfolio, alliance, score);

    let _ = writeln!(s, "## KPIs\n");
    // Our health score is ours alone (SPEC §7): the partner-safe report never shows it.
    if let Some(a) = score {
        let t = &a.cfr.trailing_30d;
        let _ = writeln!(
            s,
            "- CFR, trailing 30 days: {} overall ({} {}, {} {})",
            pct(t.all, 0),
            name(&portfolio.brand),
            pct(t.us, 0),
            name(&alliance.partner),
            pct(t.partner, 0)
        );
        let _ = writeln!(
            s,
            "- Execution speed: {}",
            a.execution_speed_days.map_or_else(
                || MISSING.to_owned(),
                |v| format!("{v:+.1} days vs due date")
            )
        );
        let _ = writeln!(
            s,
            "- Strategic alignment (SAS): {}\n",
            a.sas.as_ref().map_or_else(
                || MISSING.to_owned(),
                |x| format!(
                    "{:.1} combined ({} {:.1}, {} {}) on {}",
                    x.combined,
                    name(&portfolio.brand),
                    x.us,
                    name(&alliance.partner),
                    x.partner
                        .map_or_else(|| MISSING.to_owned(), |p| format!("{p:.1}")),
                    x.date
                )
            )
        );
        let _ = writeln!(s, "### ARCR by month\n");
        if a.arcr.series.is_empty() {
            let _ = writeln!(s, "No ARCR yet.\n");
        } else {
            let rows: Vec<Vec<String>> = a
                .arcr
                .series
                .iter()
                .map(|m| vec![m.month.to_string(), pct(Some(m.value), 2)])
                .collect();
            table(&mut s, &["Month", "ARCR"], &rows);
        }
        let _ = writeln!(s, "### CFR by month\n");
        if a.cfr.monthly.is_empty() {
            let _ = writeln!(s, "No commitments due yet.\n");
        } else {
            let rows: Vec<Vec<String>> = a
                .cfr
                .monthly
                .iter()
                .map(|m| {
                    vec![
                        m.month.to_string(),
                        pct(m.us, 0),
                        pct(m.partner, 0),
                        pct(m.all, 0),
                    ]
                })
                .collect();
            let us = portfolio.brand.clone();
            let them = alliance.partner.clone();
            table(&mut s, &["Month", &us, &them, "All"], &rows);
        }
    }

    let _ = writeln!(s, "## Open commitments\n");
    let open: Vec<Vec<String>> = alliance
        .commitments
        .iter()
        .filter(|c| c.done.is_none_or(|d| d > scores.as_of))
        .map(|c| {
            vec![
                c.id.to_string(),
                party_name(c.party, portfolio, alliance).to_owned(),
                c.action.clone(),
                c.due.to_string(),
                if c.due < scores.as_of {
                    "overdue".to_owned()
                } else {
                    "open".to_owned()
                },
            ]
        })
        .collect();
    if open.is_empty() {
        let _ = writeln!(s, "None.\n");
    } else {
        table(&mut s, &["#", "Owner", "Action", "Due", "State"], &open);
    }

    let _ = writeln!(s, "## Flags\n");
    // Only the flags a partner may see: not those built on our health scores or the audit.
    let shown = score.map(|a| crate::score::partner_visible_flags(&a.flags));
    match shown.filter(|f| !f.is_empty()) {
        None => {
            let _ = writeln!(s, "None.");
        }
        Some(flags) => {
            for f in flags {
                let _ = writeln!(
                    s,
                    "- {} **{}** `{}`: {}",
                    f.severity.symbol(),
                    f.severity.label(),
                    f.code.code(),
                    name(&f.message)
                );
            }
        }
    }
    Ok(s)
}

fn sas_row(who: &str, sas: Option<&Sas>) -> Vec<String> {
    match sas {
        Some(x) => vec![
            who.to_owned(),
            x.strategy.to_string(),
            x.enter_again.to_string(),
            x.trust.to_string(),
            format!("{:.1}", x.score()),
        ],
        None => vec![
            who.to_owned(),
            MISSING.to_owned(),
            MISSING.to_owned(),
            MISSING.to_owned(),
            MISSING.to_owned(),
        ],
    }
}

/// The line the MBR wizard adds to a review's `next_month` notes to name the commitments agreed
/// in the meeting (`New commitments: #11, #12`); the summary turns it into a table.
pub const NEW_COMMITMENTS_PREFIX: &str = "New commitments:";

/// Notes lines that start with this (any case) are listed again under "Decisions".
pub const DECISION_PREFIX: &str = "decision:";

/// The commitment ids named on a [`NEW_COMMITMENTS_PREFIX`] line of `notes`.
pub fn new_commitment_ids(notes: &str) -> Vec<u32> {
    notes
        .lines()
        .filter_map(|l| l.trim().strip_prefix(NEW_COMMITMENTS_PREFIX))
        .flat_map(|rest| rest.split(|c: char| c == ',' || c.is_whitespace()))
        .filter_map(|w| w.trim().strip_prefix('#')?.parse().ok())
        .collect()
}

/// `notes` without the [`NEW_COMMITMENTS_PREFIX`] line (the table shows it instead).
fn without_marker(notes: &str) -> String {
    notes
        .lines()
        .filter(|l| !l.trim().starts_with(NEW_COMMITMENTS_PREFIX))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Commitments that slipped by `date`: still open past their due date, or finished late within
/// the month before the review.
pub fn missed_commitments(alliance: &Alliance, date: NaiveDate) -> Vec<&Commitment> {
    let month_ago = date - chrono::Days::new(31);
    alliance
        .commitments
        .iter()
        .filter(|c| {
            let open = c.done.is_none_or(|d| d > date);
            (open && c.due < date)
                || c.done
                    .is_some_and(|d| d <= date && d > c.due && c.due > month_ago)
        })
        .collect()
}

fn commitment_state(c: &Commitment, date: NaiveDate) -> String {
    match c.done.filter(|d| *d <= date) {
        Some(done) => format!("done late, {done}"),
        None => format!("overdue {} days", (date - c.due).num_days()),
    }
}

/// A paragraph of meeting notes; nothing when there are none.
fn notes(s: &mut String, notes: &str) {
    if !notes.trim().is_empty() {
        let _ = writeln!(s, "{}\n", text(notes));
    }
}

/// The written summary of a monthly business review: KPIs against targets (scored as of the
/// review date), missed and new commitments, open escalations, the notes and the decisions.
fn monthly_summary(s: &mut String, portfolio: &Portfolio, alliance: &Alliance, review: &Review) {
    let Review::Monthly {
        date,
        kpis,
        blockers,
        next_month,
        escalations,
        summary_sent,
        ..
    } = review
    else {
        return;
    };
    let date = *date;
    let _ = writeln!(s, "## KPIs vs targets\n");
    figures_table(s, portfolio, alliance, review);
    notes(s, kpis);

    let _ = writeln!(s, "## Blockers and missed commitments\n");
    let missed: Vec<Vec<String>> = missed_commitments(alliance, date)
        .into_iter()
        .map(|c| {
            vec![
                c.id.to_string(),
                party_name(c.party, portfolio, alliance).to_owned(),
                c.action.clone(),
                c.due.to_string(),
                commitment_state(c, date),
            ]
        })
        .collect();
    if missed.is_empty() {
        let _ = writeln!(s, "No missed commitments.\n");
    } else {
        table(s, &["#", "Owner", "Action", "Due", "State"], &missed);
    }
    notes(s, blockers);

    let _ = writeln!(s, "## Next month\n");
    let next_mbr = crate::score::metrics::next_monthly_review_after(alliance, date);
    let horizon = next_mbr.unwrap_or_else(|| crate::model::add_months(date, 1));
    match next_mbr {
        Some(next) => {
            let _ = writeln!(s, "Next MBR: {next}.\n");
        }
        None => {
            let _ = writeln!(
                s,
                "Next MBR: not scheduled (the charter has no review day); open commitments \
                 due before {horizon}:\n"
            );
        }
    }
    let new_ids = new_commitment_ids(next_month);
    let mut due: Vec<&Commitment> = alliance
        .commitments
        .iter()
        .filter(|c| c.done_by(date).is_none() && c.due < horizon)
        .collect();
    due.sort_by_key(|c| (c.due, c.id));
    let rows: Vec<Vec<String>> = due
        .into_iter()
        .map(|c| {
            let note = if new_ids.contains(&c.id) {
                "new".to_owned()
            } else if c.due < date {
                format!("overdue {} days", (date - c.due).num_days())
            } else {
                String::new()
            };
            vec![
                c.id.to_string(),
                party_name(c.party, portfolio, alliance).to_owned(),
                c.action.clone(),
                c.due.to_string(),
                note,
            ]
        })
        .collect();
    if rows.is_empty() {
        let _ = writeln!(s, "No open commitments due before the next MBR.\n");
    } else {
        let _ = writeln!(s, "Open commitments due before the next MBR:\n");
        table(s, &["#", "Owner", "Action", "Due", "Note"], &rows);
    }
    notes(s, &without_marker(next_month));

    let _ = writeln!(s, "## Escalations\n");
    let open: Vec<_> = alliance
        .escalations
        .iter()
        .filter(|e| e.raised <= date && e.resolved.is_none_or(|r| r > date))
        .collect();
    if open.is_empty() {
        let _ = writeln!(s, "No open escalations.\n");
    } else {
        for e in open {
            let _ = writeln!(
                s,
                "- {} (raised {}, open {} days)",
                name(&e.issue),
                e.raised,
                (date - e.raised).num_days()
            );
        }
        s.push('\n');
    }
    notes(s, escalations);

    let _ = writeln!(s, "## Decisions\n");
    let decisions: Vec<&str> = [kpis, blockers, next_month, escalations]
        .into_iter()
        .flat_map(|n| n.lines())
        .map(str::trim)
        .filter(|l| {
            l.get(..DECISION_PREFIX.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(DECISION_PREFIX))
        })
        .map(|l| l[DECISION_PREFIX.len()..].trim())
        .filter(|l| !l.is_empty())
        .collect();
    if decisions.is_empty() {
        let _ = writeln!(s, "None recorded.\n");
    } else {
        for d in decisions {
            let _ = writeln!(s, "- {}", name(d));
        }
        s.push('\n');
    }
    let _ = writeln!(
        s,
        "Summary sent: {}\n",
        summary_sent.map_or_else(|| "not yet".to_owned(), |d| d.to_string())
    );
}

/// The KPI table of a review: the figures stored with it, or — for a review stored without
/// them — the figures recomputed as known on its date, under a line saying so (SPEC §6).
fn figures_table(s: &mut String, portfolio: &Portfolio, alliance: &Alliance, review: &Review) {
    let (figures, recomputed) = crate::score::review_figures(portfolio, alliance, review);
    if recomputed {
        let _ = writeln!(
            s,
            "*Not stored with the review: figures recomputed as of {}.*\n",
            review.date()
        );
    }
    let mut rows: Vec<Vec<String>> = figures
        .win_conditions
        .iter()
        .map(|w| {
            let metric = if w.unit.is_empty() {
                w.metric.clone()
            } else {
                format!("{} ({})", w.metric, w.unit)
            };
            let sign = match w.direction {
                crate::model::Direction::AtLeast => String::new(),
                d @ crate::model::Direction::AtMost => format!("{} ", d.sign()),
            };
            let target = match (w.target, w.by) {
                (Some(t), Some(by)) => format!("{sign}{t} by {by}"),
                (Some(t), None) => format!("{sign}{t}, no deadline"),
                (None, _) => "no number (a wish)".to_owned(),
            };
            vec![
                metric,
                target,
                num(w.latest.map(|l| l.value)),
                w.status.label().to_owned(),
            ]
        })
        .collect();
    let arcr_state = |v: f64| {
        if v < crate::score::rules::ARCR_LOW {
            "below 2%"
        } else {
            "ok"
        }
    };
    let arcr = figures.arcr;
    rows.push(vec![
        format!("ARCR {}", opt(arcr.map(|a| a.month))),
        "≥ 2% of brand revenue".to_owned(),
        pct(arcr.map(|a| a.value), 2),
        arcr.map_or(MISSING, |a| arcr_state(a.value)).to_owned(),
    ]);
    let t = &figures.cfr_30d;
    let cfr_state = |v: f64| {
        if v < crate::score::rules::CFR_CRITICAL {
            "below 50%"
        } else if v < crate::score::rules::CFR_RED {
            "below 70%"
        } else {
            "ok"
        }
    };
    rows.push(vec![
        "CFR, last 30 days".to_owned(),
        "≥ 70% (alarm below 50%)".to_owned(),
        format!(
            "{} (us {}, partner {})",
            pct(t.all, 0),
            pct(t.us, 0),
            pct(t.partner, 0)
        ),
        t.all.map_or(MISSING, cfr_state).to_owned(),
    ]);
    rows.push(vec![
        "Health score".to_owned(),
        format!("≥ {} of 20", crate::model::HEALTH_THRESHOLD),
        opt(figures.health.map(|h| format!("{h}/20"))),
        figures
            .health
            .map_or(MISSING, |h| {
                if u32::from(h) < crate::model::HEALTH_THRESHOLD {
                    "below 12"
                } else {
                    "ok"
                }
            })
            .to_owned(),
    ]);
    table(s, &["KPI", "Target", "Actual", "Status"], &rows);
}

/// The summary of the review(s) of alliance `id` stored on `date`.
pub fn review_summary(
    portfolio: &Portfolio,
    id: &str,
    date: NaiveDate,
) -> Result<String, ExportError> {
    alliance_review_summary(portfolio, &portfolio.alliances[find(portfolio, id)?], date)
}

/// [`review_summary`] for `alliance` as given, which need not be the one stored in `portfolio`
/// (the brand and its revenue come from there): a draft's preview passes a copy of the alliance
/// with the draft review in it instead of a copy of the whole portfolio.
pub fn alliance_review_summary(
    portfolio: &Portfolio,
    alliance: &Alliance,
    date: NaiveDate,
) -> Result<String, ExportError> {
    let id = &alliance.id;
    let reviews: Vec<&Review> = alliance
        .reviews
        .iter()
        .filter(|r| r.date() == date)
        .collect();
    if reviews.is_empty() {
        return Err(ExportError::NoReview {
            alliance: id.to_owned(),
            date,
        });
    }
    let us = name(&portfolio.brand);
    let them = name(&alliance.partner);
    let mut s = String::new();
    for review in reviews {
        let _ = writeln!(s, "# {} — {us} × {them}, {date}\n", review.label());
        match review {
            Review::Monthly { .. } => monthly_summary(&mut s, portfolio, alliance, review),
            Review::Quarterly {
                still_aligned,
                environment,
                scope,
                opportunities,
                sas_us,
                sas_partner,
                ..
            } => {
                let _ = writeln!(s, "## Figures\n");
                figures_table(&mut s, portfolio, alliance, review);
                let _ = writeln!(
                    s,
                    "## Is the alliance still aligned with our 12-month strategy?\n\n{}\n",
                    text(still_aligned)
                );
                let _ = writeln!(
                    s,
                    "## Has the competitive environment changed the value proposition?\n\n{}\n",
                    text(environment)
                );
                let _ = writeln!(
                    s,
                    "## Should the scope expand, stay, contract or end?\n\n{}\n",
                    scope.map_or(MISSING, crate::model::Scope::label)
                );
                let _ = writeln!(
                    s,
                    "## What new opportunities could this partner open?\n\n{}\n",
                    text(opportunities)
                );
                let _ = writeln!(s, "## Strategic alignment score\n");
                table(
                    &mut s,
                    &["Party", "Strategy", "Enter again", "Trust", "SAS"],
                    &[
                        sas_row(&portfolio.brand, Some(sas_us)),
                        sas_row(&alliance.partner, sas_partner.as_ref()),
                    ],
                );
                let u = sas_us.score();
                let p = sas_partner.as_ref().map(Sas::score);
                let combined = p.map_or(u, |p| f64::midpoint(u, p));
                let _ = writeln!(s, "- Combined SAS: {combined:.1}");
                let _ = writeln!(
                    s,
                    "- Gap between the parties: {}",
                    p.map_or_else(|| MISSING.to_owned(), |p| format!("{:.1}", (u - p).abs()))
                );
                let _ = writeln!(
                    s,
                    "- Scope decision: {}\n",
                    scope.map_or(MISSING, crate::model::Scope::label)
                );
            }
        }
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::testdata::{self, d};

    #[test]
    fn cells_escape_pipes_and_newlines() {
        assert_eq!(cell("a|b"), "a\\|b");
        assert_eq!(cell("one\ntwo"), "one<br>two");
        assert_eq!(cell(""), "—");
    }

    #[test]
    fn portfolio_report_has_band_table_flags_and_win_conditions() {
        let (p, scores) = testdata::portfolio_and_scores();
        let md = portfolio_report(&p, &scores);
        assert!(md.contains("# Northwind Goods"));
        assert!(md.contains("As of 2026-11-15"));
        assert!(md.contains("2.2% of 2026-10 revenue (below the 15–25% band)"));
        assert!(md.contains(
            "| Glow & Co | Co-marketing | Active | 13/20 | 1.9% | 75% | 6.0 | 2026-11-15 |"
        ));
        assert!(md.contains("=Quiet \\| Ltd"));
        assert!(md.contains("`sas_exit`: partner SAS 5.0 < 6"));
        assert!(md.contains("| Referral revenue | 50000 | USD/month | 2026-06-30 | 52500 | met |"));
        assert!(md.contains("| Brand \\| awareness |"));
        assert!(!md.contains("INTERNAL"));
    }

    #[test]
    fn alliance_report_is_partner_safe() {
        let (p, scores) = testdata::portfolio_and_scores();
        let md = alliance_report(&p, &scores, "glow").unwrap();
        assert!(md.contains("Glow & Co"));
        assert!(md.contains("Signed: 2025-11-03"));
        assert!(md.contains("Dana Lee"));
        assert!(md.contains("day 15 of each month"));
        assert!(md.contains("January, April, July, October"));
        assert!(md.contains("| 2026-10 | 1.89% |"));
        assert!(md.contains("Ship co-branded \\| bundle"));
        assert!(!md.contains("Email blast"), "done commitments are not open");
        assert!(md.contains("cfr_red"));
        for leak in [
            "Quiet",
            "INTERNAL",
            "Alliance share",
            "Goal attainment",
            "1234",
        ] {
            assert!(!md.contains(leak), "leaks {leak}");
        }
    }

    #[test]
    fn alliance_report_shows_no_health_audit_or_their_flags() {
        let (mut p, _) = testdata::portfolio_and_scores();
        let glow = &mut p.alliances[0];
        glow.health.push(crate::model::HealthScore {
            date: d("2026-10-01"),
            strategic_alignment: 2,
            execution_reliability: 2,
            revenue_contribution: 2,
            relationship_health: 1,
        });
        glow.audit = Some(crate::model::Audit {
            date: glow.started + chrono::Days::new(7),
            original_goal: String::new(),
            written_agreement: false,
            last_structured_review: None,
            recent_result: None,
        });
        let scores = crate::score::score(&p, d("2026-11-01"));
        let codes: Vec<&str> = scores.alliances[0]
            .flags
            .iter()
            .map(|f| f.code.code())
            .collect();
        assert!(codes.contains(&"health_conversation"), "{codes:?}");
        let md = alliance_report(&p, &scores, "glow").unwrap();
        for leak in [
            "Health",
            "7/20",
            "health_conversation",
            "audit_dead",
            "audit_at_risk",
            "audit",
        ] {
            assert!(!md.contains(leak), "leaks {leak}:\n{md}");
        }
        for shown in crate::score::partner_visible_flags(&scores.alliances[0].flags) {
            assert!(md.contains(shown.code.code()), "other flags stay:\n{md}");
        }
    }

    #[test]
    fn hostile_names_never_start_a_heading_a_link_or_a_tag_in_any_markdown_export() {
        let (mut p, _) = testdata::portfolio_and_scores();
        let hostile =
            "Evil\n# Owned <img src=x onerror=alert(1)> [link](javascript:alert(1)) \u{1b}[2J";
        p.brand = hostile.to_owned();
        p.alliances[0].partner = hostile.to_owned();
        p.alliances[0].commitments[0].action = hostile.to_owned();
        let scores =
            crate::score::score(&p, chrono::NaiveDate::from_ymd_opt(2026, 11, 15).unwrap());
        let reports = [
            portfolio_report(&p, &scores),
            alliance_report(&p, &scores, "glow").unwrap(),
            charter_document(&p, &scores, "glow").unwrap(),
        ];
        for md in reports {
            assert!(md.contains("Evil # Owned"), "{md}");
            assert!(!md.lines().any(|l| l.starts_with("# Owned")), "{md}");
            assert!(!md.contains("<img"), "{md}");
            assert!(!md.contains("[link]("), "{md}");
            assert!(!md.contains('\u{1b}'), "{md}");
        }
    }

    #[test]
    fn charter_document_is_one_page_and_partner_safe() {
        let (p, scores) = testdata::portfolio_and_scores();
        let md = charter_document(&p, &scores, "glow").unwrap();
        assert!(md.starts_with("# Alliance charter:"));
        assert!(md.contains("Dana Lee"));
        assert!(md.contains("| Referral revenue | 50000 | USD/month | 2026-06-30 |"));
        assert!(md.contains("## Sign-off"));
        assert!(!md.contains("INTERNAL"));
        assert!(md.lines().count() < 80, "one page");
        let report = alliance_report(&p, &scores, "glow").unwrap();
        assert!(
            report.contains("Dana Lee"),
            "the report reuses the same section"
        );
    }

    #[test]
    fn charter_shows_attribution_rules() {
        let (mut p, scores) = testdata::portfolio_and_scores();
        let i = p.alliance_index("glow").unwrap();
        let md = charter_document(&p, &scores, "glow").unwrap();
        assert!(md.contains("No attribution rules yet"));
        p.alliances[i].attribution.codes = vec!["GLOW15".into(), "GLOWVIP".into()];
        p.alliances[i].attribution.sources = vec!["glow-newsletter".into()];
        let md = charter_document(&p, &scores, "glow").unwrap();
        assert!(md.contains("### Revenue attribution\n\n- Discount codes: GLOW15, GLOWVIP\n- Order sources: glow-newsletter\n"), "{md}");
    }

    #[test]
    fn review_summaries() {
        let (p, _) = testdata::portfolio_and_scores();
        let m = review_summary(&p, "glow", d("2026-10-15")).unwrap();
        assert!(m.contains("Monthly business review"));
        assert!(m.contains("Shelf space"));
        assert!(m.contains("Summary sent: 2026-10-16"));
        let q = review_summary(&p, "glow", d("2026-10-20")).unwrap();
        assert!(q.contains("| Northwind Goods | 7 | 6 | 8 | 7.0 |"));
        assert!(q.contains("| Glow & Co | 5 | 5 | 5 | 5.0 |"));
        assert!(q.contains("Combined SAS: 6.0"));
        assert!(q.contains("Gap between the parties: 2.0"));
        assert!(q.contains("Maintain"));
        assert!(q.contains("## Figures"), "{q}");
        assert_eq!(
            review_summary(&p, "glow", d("2026-10-01")),
            Err(ExportError::NoReview {
                alliance: "glow".to_owned(),
                date: d("2026-10-01")
            })
        );
    }

    #[test]
    fn a_review_without_figures_shows_them_as_known_on_its_date() {
        let (mut p, _) = testdata::portfolio_and_scores();
        // October's numbers came in after the MBR of 2026-10-15: they are not in its figures.
        let m = review_summary(&p, "glow", d("2026-10-15")).unwrap();
        assert!(m.contains("figures recomputed as of 2026-10-15"), "{m}");
        assert!(
            m.contains("| ARCR 2026-09 | ≥ 2% of brand revenue | 0.00% | below 2% |"),
            "{m}"
        );
        assert!(!m.contains("ARCR 2026-10"), "{m}");
        p.alliances[0]
            .revenue
            .insert("2026-09".parse().unwrap(), 8_000.0);
        let again = review_summary(&p, "glow", d("2026-10-15")).unwrap();
        assert!(
            again.contains("| ARCR 2026-09 | ≥ 2% of brand revenue | 2.00% | ok |"),
            "{again}"
        );
    }

    #[test]
    fn a_review_with_figures_shows_the_stored_ones_never_today_s() {
        use crate::model::{Figures, MonthFigure, WinFigure, WinState};
        let (mut p, _) = testdata::portfolio_and_scores();
        let stored = Figures {
            arcr: Some(MonthFigure {
                month: "2026-09".parse().unwrap(),
                value: 0.055,
            }),
            health: Some(16),
            win_conditions: vec![WinFigure {
                metric: "Cost per order".to_owned(),
                target: Some(4.5),
                unit: "USD".to_owned(),
                by: Some(d("2026-12-31")),
                direction: crate::model::Direction::AtMost,
                latest: Some(MonthFigure {
                    month: "2026-09".parse().unwrap(),
                    value: 5.1,
                }),
                status: WinState::OnTrack,
            }],
            ..Figures::default()
        };
        p.alliances[0].reviews[0].set_figures(Some(stored));
        // Numbers typed after the meeting change nothing in the record.
        p.alliances[0]
            .revenue
            .insert("2026-09".parse().unwrap(), 99_000.0);
        let m = review_summary(&p, "glow", d("2026-10-15")).unwrap();
        assert!(!m.contains("recomputed"), "{m}");
        assert!(
            m.contains("| ARCR 2026-09 | ≥ 2% of brand revenue | 5.50% | ok |"),
            "{m}"
        );
        assert!(
            m.contains("| Cost per order (USD) | ≤ 4.5 by 2026-12-31 | 5.1 | on track |"),
            "{m}"
        );
        assert!(
            m.contains("| Health score | ≥ 12 of 20 | 16/20 | ok |"),
            "{m}"
        );
        assert!(
            !m.contains("Referral revenue"),
            "the stored list, not today's charter"
        );
    }

    #[test]
    fn next_month_lists_every_open_commitment_due_before_the_next_mbr() {
        let (mut p, _) = testdata::portfolio_and_scores();
        let glow = &mut p.alliances[0];
        let c = |id: u32, due: &str, done: Option<&str>| Commitment {
            id,
            party: Party::Us,
            action: format!("Task {id}"),
            due: d(due),
            done: done.map(d),
        };
        glow.commitments.extend([
            c(3, "2026-10-01", None),               // overdue, still open
            c(4, "2026-11-14", None),               // due the day before the next MBR
            c(5, "2026-11-15", None),               // due on the next MBR: not before it
            c(6, "2026-10-20", Some("2026-10-10")), // done
            c(7, "2026-10-30", Some("2026-10-20")), // done only after the review: open then
        ]);
        if let Review::Monthly { next_month, .. } = &mut glow.reviews[0] {
            *next_month = "Holiday bundle\nNew commitments: #4".to_owned();
        }
        let m = review_summary(&p, "glow", d("2026-10-15")).unwrap();
        let next = &m[m.find("## Next month").unwrap()..m.find("## Escalations").unwrap()];
        assert!(next.contains("Next MBR: 2026-11-15."), "{next}");
        assert!(
            next.contains("| 3 | Northwind Goods | Task 3 | 2026-10-01 | overdue 14 days |"),
            "{next}"
        );
        assert!(
            next.contains("| 4 | Northwind Goods | Task 4 | 2026-11-14 | new |"),
            "{next}"
        );
        assert!(
            next.contains("| 7 | Northwind Goods | Task 7 | 2026-10-30 | — |"),
            "{next}"
        );
        for absent in ["Task 5", "Task 6", "Ship co-branded", "Email blast"] {
            assert!(!next.contains(absent), "{absent} in {next}");
        }
        // Without a review day there is no next MBR to name: a month ahead, said so.
        p.alliances[0]
            .charter
            .as_mut()
            .unwrap()
            .cadence
            .monthly_review_day = None;
        let m = review_summary(&p, "glow", d("2026-10-15")).unwrap();
        assert!(m.contains("Next MBR: not scheduled"), "{m}");
        assert!(m.contains("due before 2026-11-15"), "{m}");
        assert!(m.contains("Task 4") && !m.contains("Task 5"), "{m}");
    }
}
