//! The quarterly strategic review: the four strategic questions, the Strategic Alignment Score
//! from both parties (entered separately), the scope decision. Either party below 6 turns the
//! review into an exit discussion, and the wizard says so.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::fields::Field;
use super::{Flow, Screen, ViewCtx, focus_alliance, move_focus};
use crate::model::{Alliance, Review, SAS_EXIT_THRESHOLD, Sas, Scope};
use crate::score::metrics::combined_sas;
use crate::ui::tabs::{Cx, Outcome};

const SCOPES: [&str; 4] = ["Expand", "Maintain", "Contract", "Exit"];
/// Step 2's fields: ours 0–2, theirs 3–5, the scope 6.
const SCOPE: usize = 6;

#[derive(Clone, Debug)]
pub struct QsrWizard {
    pub alliance: String,
    /// 0: the questions; 1: SAS and scope.
    pub step: usize,
    pub questions: Vec<Field>,
    pub sas: Vec<Field>,
    pub focus: [usize; 2],
}

fn sas_of(fields: &[Field]) -> Option<Sas> {
    Some(Sas {
        strategy: fields[0].score_value()?,
        enter_again: fields[1].score_value()?,
        trust: fields[2].score_value()?,
    })
}

impl QsrWizard {
    pub fn new(a: &Alliance) -> Self {
        let sas = |who: &str| {
            [
                Field::score(
                    &format!("{who}: serves our growth strategy?"),
                    "",
                    1,
                    10,
                    None,
                ),
                Field::score(
                    &format!("{who}: would enter it again today?"),
                    "",
                    1,
                    10,
                    None,
                ),
                Field::score(
                    &format!("{who}: trust the other side to prioritise it?"),
                    "",
                    1,
                    10,
                    None,
                ),
            ]
        };
        let mut fields: Vec<Field> = sas("Us").into();
        fields.extend(sas(&a.partner));
        fields.push(Field::choice(
            "3. Scope decision",
            "←→ or first letter",
            &SCOPES,
            1,
        ));
        Self {
            alliance: a.id.clone(),
            step: 0,
            questions: vec![
                Field::notes(
                    "1. Still aligned with our 12-month strategy?",
                    "why / why not",
                    "",
                ),
                Field::notes(
                    "2. Has the competitive environment changed?",
                    "and the value proposition with it?",
                    "",
                ),
                Field::notes(
                    "4. New opportunities through this partner?",
                    "channels, products, introductions",
                    "",
                ),
            ],
            sas: fields,
            focus: [0, 0],
        }
    }

    pub fn ours(&self) -> Option<Sas> {
        sas_of(&self.sas[0..3])
    }

    pub fn theirs(&self) -> Option<Sas> {
        sas_of(&self.sas[3..6])
    }

    fn scope(&self) -> Scope {
        Scope::ALL[self.sas[SCOPE].selected().min(3)]
    }

    pub fn on_key(&mut self, key: &KeyEvent, cx: &mut Cx) -> Flow {
        match (self.step, key.code) {
            (0, KeyCode::PageDown) => {
                self.step = 1;
                return Flow::Continue;
            }
            (1, KeyCode::PageUp) => {
                self.step = 0;
                return Flow::Continue;
            }
            (1, KeyCode::PageDown) => return self.finish(cx),
            _ => {}
        }
        let fields = if self.step == 0 {
            &mut self.questions
        } else {
            &mut self.sas
        };
        let focus = &mut self.focus[self.step];
        if move_focus(key, fields, focus) {
            return Flow::Continue;
        }
        if self.step == 1 && key.code == KeyCode::Enter {
            if *focus + 1 == fields.len() {
                return self.finish(cx);
            }
            *focus += 1;
            return Flow::Continue;
        }
        let digit = matches!(key.code, KeyCode::Char(c) if c.is_ascii_digit() && c != '1');
        // A digit other than 1 completes a score, so "7 8 6" fills three answers; a 1 may
        // still become 10.
        if fields[*focus].handle_key(key) && self.step == 1 && digit && *focus < SCOPE {
            *focus += 1;
        }
        Flow::Continue
    }

    fn finish(&mut self, cx: &mut Cx) -> Flow {
        let Some(ours) = self.ours() else {
            self.step = 1;
            return Flow::Message("Our three SAS answers are needed to store the review".into());
        };
        let partial = self.sas[3..6].iter().any(|f| f.score_value().is_some());
        let theirs = self.theirs();
        if partial && theirs.is_none() {
            return Flow::Message("Enter all three of the partner's answers, or none".into());
        }
        if focus_alliance(cx.doc, &self.alliance).is_none() {
            return Flow::Finished(Outcome::Message("That alliance no longer exists".into()));
        }
        let date = cx.doc.as_of;
        let review = Review::Quarterly {
            date,
            still_aligned: self.questions[0].text(),
            environment: self.questions[1].text(),
            scope: Some(self.scope()),
            opportunities: self.questions[2].text(),
            sas_us: ours,
            sas_partner: theirs,
        };
        let partner = cx
            .doc
            .current_alliance()
            .map(|a| a.partner.clone())
            .unwrap_or_default();
        let combined = combined_sas(&ours, theirs.as_ref());
        cx.doc
            .edit_current(format!("QSR with {partner} on {date}"), |a| {
                a.reviews.push(review);
            });
        Flow::Finished(Outcome::Message(format!(
            "QSR stored: combined SAS {combined:.1}, scope {}",
            self.scope().label()
        )))
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, cx: &ViewCtx) {
        let theme = cx.theme;
        let Some(alliance) = cx.doc.portfolio.alliance(&self.alliance) else {
            return;
        };
        let title = format!(
            "Quarterly strategic review — {} — {}",
            alliance.partner, cx.doc.as_of
        );
        let scores = cx
            .doc
            .portfolio
            .alliance_index(&self.alliance)
            .and_then(|i| cx.doc.scores.alliances.get(i));
        if self.step == 0 {
            let mut context = Vec::new();
            if let Some(s) = scores {
                let history: Vec<String> = s
                    .sas_history
                    .iter()
                    .map(|(d, v)| format!("{d} {v:.1}"))
                    .collect();
                context.push(Line::styled(
                    format!(
                        "SAS so far: {}",
                        if history.is_empty() {
                            "none".to_owned()
                        } else {
                            history.join(" · ")
                        }
                    ),
                    theme.muted,
                ));
            }
            if !cx.share && !alliance.notes.trim().is_empty() {
                context.push(Line::styled(
                    format!("Internal: {}", alliance.notes),
                    theme.muted,
                ));
            }
            return Screen {
                title,
                header: vec![Line::styled(
                    "Step 1/2 · the strategic questions (3, the scope, is decided after the SAS)",
                    theme.muted,
                )],
                context,
                fields: &self.questions,
                focus: self.focus[0],
                keys: "Tab field · PgDn SAS and scope · Esc leave (draft kept)",
            }
            .render(area, buf, theme);
        }
        let mut context = Vec::new();
        let ours = self.ours().map(|s| s.score());
        let theirs = self.theirs().map(|s| s.score());
        let fmt = |v: Option<f64>| v.map_or_else(|| "—".to_owned(), |v| format!("{v:.1}"));
        let style = |v: Option<f64>| match v {
            Some(v) if v < SAS_EXIT_THRESHOLD => theme.critical,
            Some(_) => theme.ok,
            None => theme.muted,
        };
        let combined = self
            .ours()
            .map(|o| combined_sas(&o, self.theirs().as_ref()));
        let gap = ours.zip(theirs).map(|(a, b)| (a - b).abs());
        context.push(Line::from(vec![
            Span::styled("SAS  us ", theme.title),
            Span::styled(fmt(ours), style(ours)),
            Span::styled(format!("  {} ", alliance.partner), theme.title),
            Span::styled(fmt(theirs), style(theirs)),
            Span::styled("  combined ", theme.title),
            Span::styled(fmt(combined), style(combined)),
            Span::styled("  gap ", theme.title),
            Span::raw(fmt(gap)),
        ]));
        let exit = [ours, theirs]
            .into_iter()
            .flatten()
            .any(|v| v < SAS_EXIT_THRESHOLD);
        if exit {
            context.push(Line::styled(
                "■ A party scored below 6: this review is now an exit discussion.",
                theme.critical,
            ));
        } else {
            context.push(Line::styled(
                "Below 6 for either party makes this an exit discussion.",
                theme.muted,
            ));
        }
        Screen {
            title,
            header: vec![Line::styled(
                "Step 2/2 · each party answers separately, 1–10 (0 or 1,0 = 10)",
                theme.muted,
            )],
            context,
            fields: &self.sas,
            focus: self.focus[1],
            keys: "digits score · Tab/↑↓ field · Enter on scope/PgDn store · PgUp back · Esc leave",
        }
        .render(area, buf, theme);
    }
}
