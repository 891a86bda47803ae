//! The quarterly strategic review: the four strategic questions, the Strategic Alignment Score
//! from both parties (entered separately), the scope decision. Either party below 6 turns the
//! review into an exit discussion, and the wizard says so.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::{Flow, Screen, ViewCtx, completes_score, focus_alliance};
use crate::model::{Alliance, Review, SAS_EXIT_THRESHOLD, Sas, Scope};
use crate::score::metrics::combined_sas;
use crate::ui::form::{Form, FormEvent};
use crate::ui::tabs::{Cx, Outcome};

const SCOPES: [&str; 4] = ["Expand", "Maintain", "Contract", "Exit"];
/// The SAS questions: key suffix and label.
const SAS: [(&str, &str); 3] = [
    ("strategy", "Serves our strategy?"),
    ("again", "Would enter again?"),
    ("trust", "Trust them to prioritise?"),
];
const OURS: [&str; 3] = ["us_strategy", "us_again", "us_trust"];
const THEIRS: [&str; 3] = ["p_strategy", "p_again", "p_trust"];

#[derive(Debug)]
pub struct QsrWizard {
    pub alliance: String,
    /// 0: the questions; 1: SAS and scope.
    pub step: usize,
    pub questions: Form,
    pub sas: Form,
}

impl QsrWizard {
    pub fn new(a: &Alliance) -> Self {
        let mut sas = Form::new("Strategic alignment score, 1–10 (0 = 10)").heading("Us");
        for (key, (_, label)) in OURS.iter().zip(SAS) {
            sas = sas.score(key, label, 1, 10, None);
        }
        sas = sas.heading(&a.partner);
        for (key, (_, label)) in THEIRS.iter().zip(SAS) {
            sas = sas.score(key, label, 1, 10, None);
        }
        let sas = sas
            .required(OURS[0])
            .required(OURS[1])
            .required(OURS[2])
            .choice("scope", "3. Scope", &SCOPES, 1)
            .help(
                "scope",
                "Expand, maintain, contract or exit? ←→; Enter stores the review",
            );
        Self {
            alliance: a.id.clone(),
            step: 0,
            questions: Form::new("The strategic questions")
                .multiline("aligned", "1. Still aligned?", "")
                .help("aligned", "Is it still aligned with our 12-month strategy?")
                .multiline("environment", "2. Environment?", "")
                .help(
                    "environment",
                    "Has the competitive environment changed the value proposition?",
                )
                .multiline("opportunities", "4. Opportunities?", "")
                .help(
                    "opportunities",
                    "What new opportunities could this partner open for us?",
                ),
            sas,
        }
    }

    fn party(&self, keys: [&'static str; 3]) -> Option<Sas> {
        Some(Sas {
            strategy: self.sas.get_score(keys[0])?,
            enter_again: self.sas.get_score(keys[1])?,
            trust: self.sas.get_score(keys[2])?,
        })
    }

    pub fn ours(&self) -> Option<Sas> {
        self.party(OURS)
    }

    pub fn theirs(&self) -> Option<Sas> {
        self.party(THEIRS)
    }

    fn scope(&self) -> Scope {
        Scope::ALL[self.sas.get_choice("scope").min(3)]
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
        let today = cx.doc.as_of;
        if self.step == 0 {
            self.questions.handle_key(key, today);
            return Flow::Continue;
        }
        match self.sas.handle_key(key, today) {
            FormEvent::Submit if self.sas.at_last() => self.finish(cx),
            FormEvent::Submit => {
                self.sas.focus_next();
                Flow::Continue
            }
            FormEvent::Edited(k) if k != "scope" && completes_score(key, 10) => {
                self.sas.focus_next();
                Flow::Continue
            }
            _ => Flow::Continue,
        }
    }

    fn finish(&mut self, cx: &mut Cx) -> Flow {
        let Some(ours) = self.ours() else {
            self.step = 1;
            return Flow::Message("Our three SAS answers are needed to store the review".into());
        };
        let partial = THEIRS.iter().any(|k| self.sas.get_score(k).is_some());
        let theirs = self.theirs();
        if partial && theirs.is_none() {
            return Flow::Message("Enter all three of the partner's answers, or none".into());
        }
        if focus_alliance(cx.doc, &self.alliance).is_none() {
            return Flow::Finished(Outcome::Message("That alliance no longer exists".into()));
        }
        let date = cx.doc.as_of;
        let review = Review::Quarterly {
            figures: None,
            date,
            still_aligned: self.questions.get_text("aligned").trim_end().to_owned(),
            environment: self.questions.get_text("environment").trim_end().to_owned(),
            scope: Some(self.scope()),
            opportunities: self
                .questions
                .get_text("opportunities")
                .trim_end()
                .to_owned(),
            sas_us: ours,
            sas_partner: theirs,
        };
        let partner = cx
            .doc
            .current_alliance()
            .map(|a| a.partner.clone())
            .unwrap_or_default();
        let combined = combined_sas(&ours, theirs.as_ref());
        let mut review = review;
        // A stored review is a record: it keeps the figures it showed (SPEC §6).
        review.set_figures(super::mbr::stored_figures(cx.doc, date));
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
            return Screen {
                title,
                header: vec![Line::styled(
                    "Step 1/2 · the strategic questions (3, the scope, is decided after the SAS)",
                    theme.muted,
                )],
                context,
                form: &self.questions,
                form_rows: 12,
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
                "Step 2/2 · each party answers separately, 1–10 (0 = 10)",
                theme.muted,
            )],
            context,
            form: &self.sas,
            form_rows: 9,
            keys: "digits score · Tab/↑↓ field · Enter on scope/PgDn store · PgUp back · Esc leave",
        }
        .render(area, buf, theme);
    }
}
