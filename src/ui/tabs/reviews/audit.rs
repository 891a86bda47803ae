//! The week-1 audit: four questions about an alliance, pre-filled from the evidence in the file,
//! with the resulting state (alive / at risk / functionally dead) recomputed as they change.

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::{Flow, Screen, ViewCtx, focus_alliance};
use crate::model::{Alliance, Audit, Measure, Month};
use crate::score::metrics::{self, AUDIT_WINDOW_DAYS};
use crate::score::{AllianceScores, AuditResult, AuditState};
use crate::ui::form::{Form, FormEvent};
use crate::ui::tabs::{Cx, Outcome};
use crate::ui::widgets::format::money;

/// The written-agreement answer, as a choice.
const NO_YES: [&str; 2] = ["No", "Yes"];

/// The audit's draft answers.
#[derive(Debug)]
pub struct AuditWizard {
    pub alliance: String,
    pub form: Form,
    error: Option<String>,
}

fn window_start(as_of: NaiveDate) -> NaiveDate {
    as_of - chrono::Days::new(AUDIT_WINDOW_DAYS.unsigned_abs())
}

impl AuditWizard {
    /// Pre-fill from the file: the recorded audit, the charter, the reviews and the revenue.
    pub fn new(a: &Alliance, scores: &AllianceScores, as_of: NaiveDate) -> Self {
        let record = a.audit.as_ref();
        let goal = record
            .map(|r| r.original_goal.clone())
            .filter(|g| !g.trim().is_empty())
            .or_else(|| {
                let wc = a.charter.as_ref()?.win_conditions.first()?;
                Some(wc.metric.clone())
            })
            .unwrap_or_default();
        let last_review = a
            .reviews
            .iter()
            .map(crate::model::Review::date)
            .filter(|d| *d <= as_of)
            .max()
            .or(record.and_then(|r| r.last_structured_review));
        // The latest month with revenue inside the window is the number to point at.
        let from = window_start(as_of);
        let revenue = a
            .revenue
            .range(Month::of(from)..=Month::of(as_of))
            .rev()
            .find(|(_, v)| **v > 0.0)
            .map(|(m, v)| (*v, m.last_day().min(as_of)));
        let (value, unit, when) = match (revenue, record.and_then(|r| r.recent_result.as_ref())) {
            (Some((v, d)), _) => (Some(v), "revenue".to_owned(), Some(d)),
            (None, Some(m)) => (Some(m.value), m.unit.clone(), Some(m.date)),
            (None, None) => (None, String::new(), None),
        };
        let form = Form::new("The four questions")
            .text("goal", "1. Original goal", &goal)
            .help("goal", "What was this alliance meant to achieve?")
            .choice(
                "agreement",
                "2. Written agreement",
                &NO_YES,
                usize::from(scores.audit.written_agreement),
            )
            .help("agreement", "A signed charter or contract? ←→ to change")
            .date("last_review", "3. Last review", last_review)
            .help(
                "last_review",
                "Last structured review, YYYY-MM-DD; empty if there never was one",
            )
            .number("value", "4. Number (90 days)", "", value)
            .help(
                "value",
                "A revenue or traffic number this alliance produced in the last 90 days",
            )
            .text("unit", "   unit", &unit)
            .help("unit", "USD, visits, units…")
            .date("when", "   dated", when)
            .help("when", "When the number was measured (t = today)");
        Self {
            alliance: a.id.clone(),
            form,
            error: None,
        }
    }

    /// The answers as an [`Audit`] dated `as_of`, or what is wrong with them.
    pub fn draft(&self, as_of: NaiveDate) -> Result<Audit, String> {
        let f = &self.form;
        for key in ["last_review", "value", "when"] {
            if let Some(m) = f.message(key) {
                let label = f.label(key).unwrap_or(key).trim().to_owned();
                return Err(format!("{label}: {m}"));
            }
        }
        let recent_result = match f.get_number("value") {
            None => None,
            Some(value) => Some(Measure {
                value,
                unit: f.get_text("unit").trim().to_owned(),
                date: f.get_date("when").ok_or("the number needs a date")?,
            }),
        };
        Ok(Audit {
            date: as_of,
            original_goal: f.get_text("goal").trim().to_owned(),
            written_agreement: f.get_choice("agreement") == 1,
            last_structured_review: f.get_date("last_review"),
            recent_result,
        })
    }

    /// The state the draft would give, with every other piece of evidence in the file.
    fn live(&self, alliance: &Alliance, as_of: NaiveDate) -> Option<AuditResult> {
        let mut a = alliance.clone();
        a.audit = Some(self.draft(as_of).ok()?);
        Some(metrics::audit(&a, as_of))
    }

    pub fn on_key(&mut self, key: &KeyEvent, cx: &mut Cx) -> Flow {
        if key.code == KeyCode::PageDown {
            return self.finish(cx);
        }
        self.error = None;
        match self.form.handle_key(key, cx.doc.as_of) {
            // Enter moves down the questions; on the last one it stores the audit.
            FormEvent::Submit if self.form.at_last() => self.finish(cx),
            FormEvent::Submit => {
                self.form.focus_next();
                Flow::Continue
            }
            _ => Flow::Continue,
        }
    }

    fn finish(&mut self, cx: &mut Cx) -> Flow {
        let as_of = cx.doc.as_of;
        let audit = match self.draft(as_of) {
            Ok(a) => a,
            Err(e) => {
                self.error = Some(e.clone());
                return Flow::Message(e);
            }
        };
        if focus_alliance(cx.doc, &self.alliance).is_none() {
            return Flow::Finished(Outcome::Message("That alliance no longer exists".into()));
        }
        let partner = cx
            .doc
            .current_alliance()
            .map(|a| a.partner.clone())
            .unwrap_or_default();
        cx.doc
            .edit_current(format!("week-1 audit of {partner}"), |a| {
                a.audit = Some(audit);
            });
        let state = cx
            .doc
            .current_scores()
            .map_or("—", |s| s.audit.state.label());
        Flow::Finished(Outcome::Message(format!(
            "Audit of {partner} stored ({as_of}): {state}"
        )))
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, cx: &ViewCtx) {
        let theme = cx.theme;
        let doc = cx.doc;
        let as_of = doc.as_of;
        let Some(alliance) = doc.portfolio.alliance(&self.alliance) else {
            return;
        };
        let from = window_start(as_of);
        let mut context = vec![Line::styled(
            format!("Evidence in the file, {from} to {as_of}:"),
            theme.muted,
        )];
        let charter = match &alliance.charter {
            None => "no charter".to_owned(),
            Some(c) => format!(
                "charter {}, {} win condition(s)",
                c.signed
                    .filter(|s| *s <= as_of)
                    .map_or_else(|| "not signed".to_owned(), |d| format!("signed {d}")),
                c.win_conditions.len()
            ),
        };
        let reviews = alliance
            .reviews
            .iter()
            .filter(|r| r.date() >= from && r.date() <= as_of)
            .count();
        let revenue: Vec<String> = alliance
            .revenue
            .range(Month::of(from)..=Month::of(as_of))
            .map(|(m, v)| format!("{m} {}", money(*v, &doc.portfolio.currency)))
            .collect();
        context.push(Line::raw(format!(
            " {charter} · {reviews} review(s) in the window · revenue: {}",
            if revenue.is_empty() {
                "none".to_owned()
            } else {
                revenue.join(", ")
            }
        )));
        let result = self.live(alliance, as_of);
        let line = match &result {
            Some(r) => {
                let style = match r.state {
                    AuditState::Alive => theme.ok,
                    AuditState::AtRisk => theme.warn,
                    AuditState::Dead => theme.critical,
                };
                let symbol = match r.state {
                    AuditState::Alive => "✓",
                    AuditState::AtRisk => "▲",
                    AuditState::Dead => "■",
                };
                Line::from(vec![
                    Span::styled("Result: ", theme.title),
                    Span::styled(format!("{symbol} {}", r.state.label()), style),
                    Span::raw(format!(
                        " · {}/4 yes (goal {}, agreement {}, review {}, number {})",
                        r.answers_yes,
                        yn(r.goal),
                        yn(r.written_agreement),
                        yn(r.structured_review),
                        yn(r.number)
                    )),
                ])
            }
            None => Line::styled(self.draft(as_of).err().unwrap_or_default(), theme.warn),
        };
        context.push(line);
        if let Some(e) = &self.error {
            context.push(Line::styled(e.clone(), theme.warn));
        }
        Screen {
            title: format!("Week-1 audit — {}", alliance.partner),
            header: vec![Line::styled(
                "Dead = neither a review nor a number in 90 days; at risk = one missing.",
                theme.muted,
            )],
            context,
            form: &self.form,
            form_rows: 6,
            keys: "Tab/↑↓ field · Enter next · PgDn store the audit · Esc leave",
        }
        .render(area, buf, theme);
    }
}

fn yn(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}
