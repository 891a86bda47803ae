//! Week-3 health scoring: four dimensions 1–5 with a line of guidance each and the total out of
//! 20 live. Below 12 comes the week-4 step: recommit (with a signed charter) or wind down.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::{Flow, Screen, ViewCtx, completes_score, focus_alliance};
use crate::model::{Alliance, DimensionScores, HEALTH_THRESHOLD, HealthScore, Status};
use crate::score::metrics::is_signed;
use crate::ui::form::{Form, FormEvent};
use crate::ui::tabs::{Cx, Outcome, Tab};
use crate::ui::widgets::format::percent;

/// The week-4 choices for a score under the threshold.
pub const DECISIONS: [&str; 2] = ["Recommit with a signed charter", "Wind down together"];

/// The four dimensions: form key, label, one line of guidance.
const DIMENSIONS: [(&str, &str, &str); 4] = [
    (
        "alignment",
        "Strategic alignment",
        "Does it still fit where the brand is going?",
    ),
    (
        "execution",
        "Execution reliability",
        "Do they deliver what they promise, on time?",
    ),
    (
        "revenue",
        "Revenue contribution",
        "Is the return worth the effort it takes?",
    ),
    (
        "relationship",
        "Relationship health",
        "How responsive and engaged is their team?",
    ),
];

#[derive(Debug)]
pub struct HealthWizard {
    pub alliance: String,
    pub form: Form,
    /// 0: scoring; 1: the week-4 decision.
    pub step: usize,
    pub decision: Form,
}

impl HealthWizard {
    pub fn new(a: &Alliance) -> Self {
        let mut form = Form::new("Score 1 (poor) to 5 (excellent)");
        for (key, label, guidance) in DIMENSIONS {
            form = form
                .score(key, label, 1, 5, None)
                .help(key, guidance)
                .required(key);
        }
        Self {
            alliance: a.id.clone(),
            form,
            step: 0,
            decision: Form::new("Week 4")
                .choice("decision", "Decision", &DECISIONS, 0)
                .help("decision", "←→ choose, Enter confirms and stores"),
        }
    }

    /// The four scores, once all are entered.
    pub fn scores(&self) -> Option<DimensionScores> {
        let get = |i: usize| self.form.get_score(DIMENSIONS[i].0);
        Some(DimensionScores {
            strategic_alignment: get(0)?,
            execution_reliability: get(1)?,
            revenue_contribution: get(2)?,
            relationship_health: get(3)?,
        })
    }

    pub fn on_key(&mut self, key: &KeyEvent, cx: &mut Cx) -> Flow {
        let today = cx.doc.as_of;
        if self.step == 1 {
            return match key.code {
                KeyCode::PageUp => {
                    self.step = 0;
                    Flow::Continue
                }
                KeyCode::PageDown => self.finish(cx),
                _ => match self.decision.handle_key(key, today) {
                    FormEvent::Submit => self.finish(cx),
                    _ => Flow::Continue,
                },
            };
        }
        let event = if key.code == KeyCode::PageDown {
            FormEvent::Submit
        } else {
            self.form.handle_key(key, today)
        };
        match event {
            FormEvent::Submit if !self.form.at_last() && key.code != KeyCode::PageDown => {
                self.form.focus_next();
                Flow::Continue
            }
            FormEvent::Submit => match self.scores() {
                None => Flow::Message("Score all four dimensions (1–5) first".into()),
                Some(s) if s.total() < HEALTH_THRESHOLD => {
                    self.step = 1;
                    Flow::Continue
                }
                Some(_) => self.finish(cx),
            },
            // A digit moves on to the next dimension, so four digits score the alliance.
            FormEvent::Edited(_) => {
                if completes_score(key, 5) && !self.form.at_last() {
                    self.form.focus_next();
                }
                // Once all four are scored, no "score all four first" may stay up.
                match self.scores() {
                    Some(s) => {
                        Flow::Message(format!("All four scored: {}/20 · Enter goes on", s.total()))
                    }
                    None => Flow::Continue,
                }
            }
            _ => Flow::Continue,
        }
    }

    fn finish(&mut self, cx: &mut Cx) -> Flow {
        let Some(s) = self.scores() else {
            return Flow::Message("Score all four dimensions (1–5) first".into());
        };
        if focus_alliance(cx.doc, &self.alliance).is_none() {
            return Flow::Finished(Outcome::Message("That alliance no longer exists".into()));
        }
        let as_of = cx.doc.as_of;
        let Some(alliance) = cx.doc.current_alliance() else {
            return Flow::Finished(Outcome::Handled);
        };
        let partner = alliance.partner.clone();
        let signed = alliance
            .charter
            .as_ref()
            .is_some_and(|c| is_signed(c, as_of));
        let score = HealthScore {
            date: as_of,
            strategic_alignment: s.strategic_alignment,
            execution_reliability: s.execution_reliability,
            revenue_contribution: s.revenue_contribution,
            relationship_health: s.relationship_health,
        };
        let total = s.total();
        if total >= HEALTH_THRESHOLD {
            cx.doc
                .edit_current(format!("health score of {partner}: {total}/20"), |a| {
                    a.health.push(score);
                });
            return Flow::Finished(Outcome::Message(format!(
                "Health of {partner} stored: {total}/20"
            )));
        }
        if self.decision.get_choice("decision") == 1 {
            cx.doc
                .edit_current(format!("health {total}/20: wind down {partner}"), |a| {
                    a.health.push(score);
                    a.status = Status::WindingDown;
                });
            return Flow::Finished(Outcome::Message(format!(
                "Health {total}/20 stored; {partner} is now winding down"
            )));
        }
        cx.doc
            .edit_current(format!("health {total}/20: recommit to {partner}"), |a| {
                a.health.push(score);
            });
        if signed {
            Flow::Finished(Outcome::Message(format!(
                "Health {total}/20 stored; recommitted under the signed charter"
            )))
        } else {
            // Recommitting means a signed charter: open it.
            Flow::Finished(Outcome::SwitchTab(Tab::Charter))
        }
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, cx: &ViewCtx) {
        let theme = cx.theme;
        let Some(alliance) = cx.doc.portfolio.alliance(&self.alliance) else {
            return;
        };
        let scores = cx
            .doc
            .portfolio
            .alliance_index(&self.alliance)
            .and_then(|i| cx.doc.scores.alliances.get(i));
        let mut context = Vec::new();
        if let Some(s) = scores {
            context.push(Line::styled(
                format!(
                    "Evidence: last score {} · CFR 30d {} · ARCR {} · SAS {}",
                    s.health.as_ref().map_or_else(
                        || "—".to_owned(),
                        |h| format!("{}/20 ({})", h.total, h.date)
                    ),
                    percent(s.cfr.trailing_30d.all),
                    percent(s.arcr.latest),
                    s.sas
                        .as_ref()
                        .map_or_else(|| "—".to_owned(), |x| format!("{:.1}", x.combined)),
                ),
                theme.muted,
            ));
        }
        let entered: u32 = DIMENSIONS
            .iter()
            .filter_map(|(key, _, _)| self.form.get_score(key))
            .map(u32::from)
            .sum();
        let total = self.scores().map(|s| s.total());
        let total_line = match total {
            Some(t) if t >= HEALTH_THRESHOLD => Line::from(vec![
                Span::styled("Total: ", theme.title),
                Span::styled(format!("✓ {t}/20 — healthy (12 or more)"), theme.ok),
            ]),
            Some(t) => Line::from(vec![
                Span::styled("Total: ", theme.title),
                Span::styled(
                    format!("▲ {t}/20 — below 12: time for an honest conversation"),
                    theme.warn,
                ),
            ]),
            None => Line::from(vec![
                Span::styled("Total: ", theme.title),
                Span::raw(format!("{entered}/20 so far (score all four)")),
            ]),
        };
        context.push(total_line);
        if self.step == 0 {
            context.push(Line::raw(""));
            for (key, label, guidance) in DIMENSIONS {
                let score = self
                    .form
                    .get_score(key)
                    .map_or_else(|| "—".to_owned(), |v| v.to_string());
                context.push(Line::from(vec![
                    Span::raw(format!(" {label:<22}{score:>2}  ")),
                    Span::styled(guidance, theme.muted),
                ]));
            }
        }
        if self.step == 1 {
            let signed = alliance
                .charter
                .as_ref()
                .is_some_and(|c| is_signed(c, cx.doc.as_of));
            context.push(Line::raw(""));
            context.push(Line::styled("Week 4: the hard conversation", theme.title));
            context.push(Line::raw(
                "Put the numbers in front of the partner, then choose together:",
            ));
            context.push(Line::raw(format!(
                " • recommit — {}",
                if signed {
                    "the charter is signed; the score is stored"
                } else {
                    "the charter is not signed yet: it opens next"
                }
            )));
            context.push(Line::raw(" • wind down — the status becomes Winding down"));
            return Screen {
                title: format!("Week-3 health scoring — {}", alliance.partner),
                header: vec![Line::styled("Step 2/2 · decide", theme.muted)],
                context,
                form: &self.decision,
                form_rows: 1,
                keys: "←→ choose · Enter confirm and store · PgUp back to the scores · Esc leave",
            }
            .render(area, buf, theme);
        }
        Screen {
            title: format!("Week-3 health scoring — {}", alliance.partner),
            header: vec![Line::styled(
                "Step 1/2 · score each dimension 1 (poor) to 5 (excellent)",
                theme.muted,
            )],
            context,
            form: &self.form,
            form_rows: 4,
            keys: "1–5 score · ←→ adjust · Tab/↑↓ field · Enter/PgDn store · Esc leave",
        }
        .render(area, buf, theme);
    }
}
