//! The Reviews tab: the current alliance's past reviews, and the protocol's four rituals as
//! wizards — week-1 audit, week-3 health scoring (with the week-4 decision), the 45-minute
//! monthly business review and the quarterly strategic review.
//!
//! A wizard's draft lives in this tab's state until it is finished or discarded, so it can be
//! left (Esc, or another tab) and resumed with `r`. Model edits go through the document; the
//! summary file and the switch to the Charter tab are effects for the main loop.

pub mod audit;
pub mod health;
pub mod mbr;
pub mod qsr;

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Clear, Paragraph, Row, Table, Widget, Wrap};

use super::{Confirm, Cx, Outcome, TabView, ViewCtx};
use crate::app::action::Action;
use crate::app::document::Document;
use crate::export::markdown;
use crate::model::Review;
use crate::ui::form::Form;
use crate::ui::theme::Theme;
use crate::ui::widgets::format::{date, truncate};
use crate::ui::widgets::scroll::Scroll;

/// The four rituals, in the order the picker lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Audit,
    Health,
    Mbr,
    Qsr,
}

impl Kind {
    pub const ALL: [Self; 4] = [Self::Audit, Self::Health, Self::Mbr, Self::Qsr];

    pub fn title(self) -> &'static str {
        match self {
            Self::Audit => "Week-1 audit",
            Self::Health => "Week-3 health scoring",
            Self::Mbr => "Monthly business review (45 min)",
            Self::Qsr => "Quarterly strategic review",
        }
    }

    fn blurb(self) -> &'static str {
        match self {
            Self::Audit => "four questions: alive, at risk or functionally dead?",
            Self::Health => "four dimensions 1–5; under 12 of 20 means a hard talk",
            Self::Mbr => "KPIs · blockers · next month · escalations, then the summary",
            Self::Qsr => "strategy questions, SAS from both sides, the scope decision",
        }
    }
}

/// What a wizard did with a key.
#[derive(Debug, PartialEq)]
pub enum Flow {
    Continue,
    /// Still open, with a line for the status bar.
    Message(String),
    /// Done: the review is stored (or the wizard cannot go on); the draft goes away.
    Finished(Outcome),
}

/// One wizard's draft.
#[derive(Debug)]
pub enum Wizard {
    Audit(audit::AuditWizard),
    Health(health::HealthWizard),
    Mbr(Box<mbr::MbrWizard>),
    Qsr(qsr::QsrWizard),
}

impl Wizard {
    pub fn kind(&self) -> Kind {
        match self {
            Self::Audit(_) => Kind::Audit,
            Self::Health(_) => Kind::Health,
            Self::Mbr(_) => Kind::Mbr,
            Self::Qsr(_) => Kind::Qsr,
        }
    }

    /// The id of the alliance the draft is about.
    pub fn alliance(&self) -> &str {
        match self {
            Self::Audit(w) => &w.alliance,
            Self::Health(w) => &w.alliance,
            Self::Mbr(w) => &w.alliance,
            Self::Qsr(w) => &w.alliance,
        }
    }

    fn start(kind: Kind, cx: &Cx) -> Option<Self> {
        let doc = &*cx.doc;
        let alliance = doc.current_alliance()?;
        let scores = doc.current_scores()?;
        Some(match kind {
            Kind::Audit => Self::Audit(audit::AuditWizard::new(alliance, scores, doc.as_of)),
            Kind::Health => Self::Health(health::HealthWizard::new(alliance)),
            Kind::Mbr => Self::Mbr(Box::new(mbr::MbrWizard::new(alliance, cx.clock.now()))),
            Kind::Qsr => Self::Qsr(qsr::QsrWizard::new(alliance)),
        })
    }

    fn on_key(&mut self, key: &KeyEvent, cx: &mut Cx) -> Flow {
        match self {
            Self::Audit(w) => w.on_key(key, cx),
            Self::Health(w) => w.on_key(key, cx),
            Self::Mbr(w) => w.on_key(key, cx),
            Self::Qsr(w) => w.on_key(key, cx),
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, cx: &ViewCtx) {
        match self {
            Self::Audit(w) => w.render(area, buf, cx),
            Self::Health(w) => w.render(area, buf, cx),
            Self::Mbr(w) => w.render(area, buf, cx),
            Self::Qsr(w) => w.render(area, buf, cx),
        }
    }

    fn ticking(&self) -> bool {
        matches!(self, Self::Mbr(w) if w.ticking())
    }
}

/// What the tab shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Mode {
    #[default]
    List,
    /// Choosing a wizard.
    Picker,
    /// A stored review's summary, read-only.
    Open { scroll: u16 },
    /// The draft at this index in `drafts` has the keys.
    Wizard(usize),
}

const CONFIRM_LEAVE: u32 = 1;
/// Discarding a draft: this plus the draft's index.
const CONFIRM_DISCARD: u32 = 100;

#[derive(Debug, Default)]
pub struct ReviewsTab {
    mode: Mode,
    /// Selected row of the list (latest review first).
    scroll: Scroll,
    picker: usize,
    /// Drafts in progress, at most one per alliance and kind.
    drafts: Vec<Wizard>,
}

/// Indices into the alliance's reviews, latest first (a later entry in the file wins a tie).
fn review_rows(doc: &Document) -> Vec<usize> {
    let Some(a) = doc.current_alliance() else {
        return Vec::new();
    };
    let mut rows: Vec<usize> = (0..a.reviews.len()).collect();
    rows.sort_by_key(|&i| std::cmp::Reverse((a.reviews[i].date(), i)));
    rows
}

/// Index of the alliance `id`, made current so the edit and the screen agree.
pub(super) fn focus_alliance(doc: &mut Document, id: &str) -> Option<usize> {
    let i = doc.portfolio.alliance_index(id)?;
    doc.current = i;
    Some(i)
}

impl ReviewsTab {
    /// The drafts in progress (for tests and the shell).
    pub fn drafts(&self) -> &[Wizard] {
        &self.drafts
    }

    /// The open wizard, if any.
    pub fn wizard(&self) -> Option<&Wizard> {
        match self.mode {
            Mode::Wizard(i) => self.drafts.get(i),
            _ => None,
        }
    }

    fn draft_index(&self, doc: &Document, kind: Kind) -> Option<usize> {
        let id = &doc.current_alliance()?.id;
        self.drafts
            .iter()
            .position(|w| w.kind() == kind && w.alliance() == id)
    }

    fn selected_review(&self, doc: &Document) -> Option<usize> {
        review_rows(doc).get(self.scroll.selected()).copied()
    }

    fn start_or_resume(&mut self, kind: Kind, cx: &mut Cx) -> Outcome {
        if let Some(i) = self.draft_index(cx.doc, kind) {
            self.mode = Mode::Wizard(i);
            return Outcome::Message(format!("Resumed the {} draft", kind.title()));
        }
        if let Some(w) = Wizard::start(kind, cx) {
            self.drafts.push(w);
            self.mode = Mode::Wizard(self.drafts.len() - 1);
            Outcome::Handled
        } else {
            self.mode = Mode::List;
            Outcome::Message("No alliance to review: add one on the Portfolio tab".into())
        }
    }

    /// `x` on a monthly review: mark its summary sent on the as-of date, or clear the mark.
    /// A date already recorded is never moved (a summary sent on time stays on time).
    fn toggle_sent(cx: &mut Cx, index: usize) -> Outcome {
        let as_of = cx.doc.as_of;
        let Some(a) = cx.doc.current_alliance() else {
            return Outcome::Handled;
        };
        let Some(Review::Monthly {
            date, summary_sent, ..
        }) = a.reviews.get(index)
        else {
            return Outcome::Message("Only a monthly review has a written summary".into());
        };
        let (label, new) = match summary_sent {
            Some(sent) => (
                format!("MBR summary of {date}: \"sent {sent}\" cleared (not sent)"),
                None,
            ),
            None => (
                format!("MBR summary of {date} marked sent on {as_of}"),
                Some(as_of),
            ),
        };
        cx.doc.edit_current(label.clone(), |a| {
            if let Some(Review::Monthly { summary_sent, .. }) = a.reviews.get_mut(index) {
                *summary_sent = new;
            }
        });
        Outcome::Message(label)
    }

    fn list_action(&mut self, action: Action, cx: &mut Cx) -> Outcome {
        let n = review_rows(cx.doc).len();
        match action {
            Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Home
            | Action::End => {
                if let Some(pos) = self.scroll.target(action) {
                    self.scroll.select(pos, n);
                }
            }
            Action::Open if n > 0 => self.mode = Mode::Open { scroll: 0 },
            Action::StartReview | Action::Add => {
                self.picker = 0;
                self.mode = Mode::Picker;
            }
            Action::ToggleDone => {
                return match self.selected_review(cx.doc) {
                    Some(i) => Self::toggle_sent(cx, i),
                    None => Outcome::Handled,
                };
            }
            _ => return Outcome::Ignored,
        }
        Outcome::Handled
    }

    fn picker_action(&mut self, action: Action, cx: &mut Cx) -> Outcome {
        match action {
            Action::Up => self.picker = self.picker.saturating_sub(1),
            Action::Down => self.picker = (self.picker + 1).min(Kind::ALL.len() - 1),
            Action::Open | Action::StartReview => {
                return self.start_or_resume(Kind::ALL[self.picker], cx);
            }
            Action::Delete => {
                if let Some(i) = self.draft_index(cx.doc, Kind::ALL[self.picker]) {
                    return Outcome::Confirm(Confirm {
                        prompt: format!(
                            "Discard the {} draft for {}? Its notes are lost.",
                            Kind::ALL[self.picker].title(),
                            cx.doc.current_alliance().map_or("", |a| a.partner.as_str())
                        ),
                        token: CONFIRM_DISCARD + i as u32,
                    });
                }
            }
            Action::Back => self.mode = Mode::List,
            // The picker numbers its wizards 1–4: here those keys pick one, not a tab.
            Action::Tab1 | Action::Tab2 | Action::Tab3 | Action::Tab4 => {
                self.picker = match action {
                    Action::Tab1 => 0,
                    Action::Tab2 => 1,
                    Action::Tab3 => 2,
                    _ => 3,
                };
                return self.start_or_resume(Kind::ALL[self.picker], cx);
            }
            _ => return Outcome::Ignored,
        }
        Outcome::Handled
    }

    fn render_list(&self, area: Rect, buf: &mut Buffer, cx: &ViewCtx) {
        let theme = cx.theme;
        let doc = cx.doc;
        let Some(alliance) = doc.current_alliance() else {
            Paragraph::new("No alliance yet: add one on the Portfolio tab.")
                .style(theme.muted)
                .block(Block::bordered().border_style(theme.border))
                .render(area, buf);
            return;
        };
        let scores = doc.current_scores();
        let [table_area, detail] =
            Layout::vertical([Constraint::Fill(3), Constraint::Fill(2)]).areas(area);
        let rows_idx = review_rows(doc);
        let visible = usize::from(table_area.height.saturating_sub(3));
        let offset = self.scroll.window(visible, rows_idx.len());
        let rows: Vec<Row> = rows_idx
            .iter()
            .enumerate()
            .skip(offset)
            .take(visible)
            .map(|(pos, &i)| {
                let r = &alliance.reviews[i];
                let (kind, sent, sas) = match r {
                    Review::Monthly { summary_sent, .. } => (
                        "Monthly",
                        summary_sent.map_or_else(|| "not sent".to_owned(), |d| format!("sent {d}")),
                        "—".to_owned(),
                    ),
                    Review::Quarterly { date, .. } => (
                        "Quarterly",
                        "—".to_owned(),
                        scores
                            .and_then(|s| s.sas_history.iter().rev().find(|(d, _)| d == date))
                            .map_or_else(|| "—".to_owned(), |(_, v)| format!("{v:.1}")),
                    ),
                };
                let selected = pos == self.scroll.selected();
                let style = if selected { theme.selected } else { theme.base };
                let marker = if selected { "▶ " } else { "  " };
                Row::new(vec![
                    Cell::from(format!("{marker}{}", r.date())),
                    Cell::from(kind),
                    Cell::from(sent),
                    Cell::from(sas),
                ])
                .style(style)
            })
            .collect();
        let title = format!(" Reviews of {} ({}) ", alliance.partner, rows_idx.len());
        let table = Table::new(
            rows,
            [
                Constraint::Length(13),
                Constraint::Length(10),
                Constraint::Length(16),
                Constraint::Length(5),
            ],
        )
        .header(Row::new(["  Date", "Type", "Summary", "SAS"]).style(theme.title))
        .block(
            Block::bordered()
                .title(Span::styled(title.clone(), theme.title))
                .border_style(theme.border_focus),
        );
        if rows_idx.is_empty() {
            Paragraph::new(vec![
                Line::raw("No reviews stored yet."),
                Line::styled("r starts a review wizard.", theme.muted),
            ])
            .block(
                Block::bordered()
                    .title(Span::styled(title, theme.title))
                    .border_style(theme.border_focus),
            )
            .render(table_area, buf);
        } else {
            Widget::render(table, table_area, buf);
        }

        let mut lines = Vec::new();
        if let Some(s) = scores {
            lines.push(Line::from(vec![
                Span::styled("Audit: ", theme.muted),
                Span::raw(format!(
                    "{} ({}/4 yes)",
                    s.audit.state.label(),
                    s.audit.answers_yes
                )),
                Span::styled("   Health: ", theme.muted),
                Span::raw(s.health.as_ref().map_or_else(
                    || "—".to_owned(),
                    |h| format!("{}/20 ({})", h.total, h.date),
                )),
                Span::styled("   SAS: ", theme.muted),
                Span::raw(
                    s.sas
                        .as_ref()
                        .map_or_else(|| "—".to_owned(), |x| format!("{:.1}", x.combined)),
                ),
            ]));
            if let Some(next) = &s.next_reviews {
                lines.push(Line::from(vec![
                    Span::styled("Next MBR: ", theme.muted),
                    Span::raw(date(next.monthly)),
                    Span::styled("   next QSR: ", theme.muted),
                    Span::raw(date(next.quarterly)),
                ]));
            }
        }
        let drafts: Vec<&Wizard> = self
            .drafts
            .iter()
            .filter(|w| w.alliance() == alliance.id)
            .collect();
        if !drafts.is_empty() {
            let names: Vec<&str> = drafts.iter().map(|w| w.kind().title()).collect();
            lines.push(Line::styled(
                format!("Draft in progress: {} (r resumes)", names.join(", ")),
                theme.warn,
            ));
        }
        if !cx.share && !alliance.notes.trim().is_empty() {
            lines.push(Line::from(vec![
                Span::styled("Internal notes: ", theme.muted),
                Span::raw(alliance.notes.clone()),
            ]));
        }
        lines.push(Line::styled(
            "Enter opens a review · x marks an MBR summary sent · r starts a wizard",
            theme.muted,
        ));
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .block(Block::bordered().border_style(theme.border))
            .render(detail, buf);
    }

    fn render_open(&self, scroll: u16, area: Rect, buf: &mut Buffer, cx: &ViewCtx) {
        let theme = cx.theme;
        let (title, text) = match (cx.doc.current_alliance(), self.selected_review(cx.doc)) {
            (Some(a), Some(i)) => {
                let d = a.reviews[i].date();
                (
                    format!(" {} — {d} (read-only) ", a.reviews[i].label()),
                    markdown::review_summary(&cx.doc.portfolio, &a.id, d)
                        .unwrap_or_else(|e| e.to_string()),
                )
            }
            _ => (" Review ".to_owned(), String::new()),
        };
        Paragraph::new(text)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0))
            .block(
                Block::bordered()
                    .title(Span::styled(title, theme.title))
                    .title_bottom(Span::styled(
                        " ↑↓ scroll · x mark summary sent · Esc back ",
                        theme.key,
                    ))
                    .border_style(theme.border_focus),
            )
            .render(area, buf);
    }

    fn render_picker(&self, area: Rect, buf: &mut Buffer, cx: &ViewCtx) {
        let theme = cx.theme;
        let rect = crate::ui::centered(area, 76, 12);
        Clear.render(rect, buf);
        let partner = cx.doc.current_alliance().map_or("", |a| a.partner.as_str());
        let mut lines = vec![Line::styled(format!("Review {partner}:"), theme.base)];
        for (i, kind) in Kind::ALL.iter().enumerate() {
            let has_draft = cx.doc.current_alliance().is_some_and(|a| {
                self.drafts
                    .iter()
                    .any(|w| w.kind() == *kind && w.alliance() == a.id)
            });
            let style = if i == self.picker {
                theme.selected
            } else {
                theme.base
            };
            let mut spans = vec![Span::styled(
                format!(" {}. {} ", i + 1, kind.title()),
                style,
            )];
            if has_draft {
                spans.push(Span::styled(" (draft: resume)", theme.warn));
            }
            lines.push(Line::from(spans));
            lines.push(Line::styled(format!("      {}", kind.blurb()), theme.muted));
        }
        lines.push(Line::styled(
            "Enter start/resume · d discard a draft · Esc close",
            theme.key,
        ));
        Paragraph::new(lines)
            .style(theme.base)
            .block(
                Block::bordered()
                    .title(Span::styled(" Start a review ", theme.title))
                    .border_style(theme.border_focus),
            )
            .render(rect, buf);
    }
}

impl TabView for ReviewsTab {
    fn captures_input(&self) -> bool {
        matches!(self.mode, Mode::Wizard(_))
    }

    fn on_key(&mut self, key: &KeyEvent, cx: &mut Cx) -> Outcome {
        let Mode::Wizard(i) = self.mode else {
            return Outcome::Ignored;
        };
        let Some(wizard) = self.drafts.get_mut(i) else {
            self.mode = Mode::List;
            return Outcome::Ignored;
        };
        if key.code == KeyCode::Esc {
            return Outcome::Confirm(Confirm {
                prompt: format!(
                    "Leave the {}? The draft is kept: r resumes it.",
                    wizard.kind().title()
                ),
                token: CONFIRM_LEAVE,
            });
        }
        match wizard.on_key(key, cx) {
            Flow::Continue => Outcome::Handled,
            Flow::Message(m) => Outcome::Message(m),
            Flow::Finished(outcome) => {
                self.drafts.remove(i);
                self.mode = Mode::List;
                self.scroll.select(0, 1);
                outcome
            }
        }
    }

    fn on_action(&mut self, action: Action, cx: &mut Cx) -> Outcome {
        match self.mode {
            Mode::List => self.list_action(action, cx),
            Mode::Picker => self.picker_action(action, cx),
            Mode::Open { scroll } => match action {
                Action::Up => {
                    self.mode = Mode::Open {
                        scroll: scroll.saturating_sub(1),
                    };
                    Outcome::Handled
                }
                Action::Down => {
                    self.mode = Mode::Open { scroll: scroll + 1 };
                    Outcome::Handled
                }
                Action::PageDown => {
                    self.mode = Mode::Open {
                        scroll: scroll + 10,
                    };
                    Outcome::Handled
                }
                Action::PageUp => {
                    self.mode = Mode::Open {
                        scroll: scroll.saturating_sub(10),
                    };
                    Outcome::Handled
                }
                Action::Back | Action::Open => {
                    self.mode = Mode::List;
                    Outcome::Handled
                }
                Action::ToggleDone => match self.selected_review(cx.doc) {
                    Some(i) => Self::toggle_sent(cx, i),
                    None => Outcome::Handled,
                },
                _ => Outcome::Ignored,
            },
            // A wizard takes raw keys; actions only arrive with Ctrl (save, redo).
            Mode::Wizard(_) => Outcome::Ignored,
        }
    }

    fn on_confirm(&mut self, token: u32, _cx: &mut Cx) -> Outcome {
        if token == CONFIRM_LEAVE {
            self.mode = Mode::List;
            return Outcome::Message("Draft kept: r resumes it".into());
        }
        let i = token.saturating_sub(CONFIRM_DISCARD) as usize;
        if token >= CONFIRM_DISCARD && i < self.drafts.len() {
            let kind = self.drafts.remove(i).kind();
            self.mode = Mode::List;
            return Outcome::Message(format!("{} draft discarded", kind.title()));
        }
        Outcome::Handled
    }

    fn render(&self, area: Rect, buf: &mut Buffer, cx: &ViewCtx) {
        match self.mode {
            Mode::List => self.render_list(area, buf, cx),
            Mode::Picker => {
                self.render_list(area, buf, cx);
                self.render_picker(area, buf, cx);
            }
            Mode::Open { scroll } => self.render_open(scroll, area, buf, cx),
            Mode::Wizard(i) => match self.drafts.get(i) {
                Some(w) => w.render(area, buf, cx),
                None => self.render_list(area, buf, cx),
            },
        }
    }

    fn hints(&self) -> Vec<(Action, &'static str)> {
        match self.mode {
            Mode::List => vec![
                (Action::StartReview, "review"),
                (Action::Open, "open"),
                (Action::ToggleDone, "mark sent"),
            ],
            Mode::Picker => vec![
                (Action::Open, "start/resume"),
                (Action::Delete, "discard draft"),
                (Action::Back, "close"),
            ],
            Mode::Open { .. } => vec![(Action::ToggleDone, "mark sent"), (Action::Back, "back")],
            Mode::Wizard(_) => vec![(Action::Back, "leave (draft kept)")],
        }
    }

    fn ticking(&self) -> bool {
        self.wizard().is_some_and(Wizard::ticking)
    }
}

/// Everything a wizard screen shows, drawn the same way for all four: the step line, the
/// evidence and live results, then the form engine's fields and the keys.
pub(super) struct Screen<'a> {
    pub title: String,
    /// The step line (and timers).
    pub header: Vec<Line<'static>>,
    /// Pre-filled evidence and live results.
    pub context: Vec<Line<'static>>,
    pub form: &'a Form,
    /// Rows the form's fields need (multi-line fields take 4, headings 1).
    pub form_rows: u16,
    pub keys: &'static str,
}

impl Screen<'_> {
    pub fn render(self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let block = Block::bordered()
            .title(Span::styled(format!(" {} ", self.title), theme.title))
            .border_style(theme.border);
        let inner = block.inner(area);
        block.render(area, buf);
        // Border and the focused field's help line.
        let form_h = self.form_rows + 3;
        let [header, context, form, keys] = Layout::vertical([
            Constraint::Length(self.header.len() as u16),
            Constraint::Min(1),
            Constraint::Length(form_h),
            Constraint::Length(1),
        ])
        .areas(inner);
        Paragraph::new(self.header).render(header, buf);
        Paragraph::new(self.context)
            .wrap(Wrap { trim: false })
            .render(context, buf);
        self.form.render(form, buf, theme);
        Paragraph::new(Line::styled(
            truncate(self.keys, keys.width as usize),
            theme.key,
        ))
        .render(keys, buf);
    }
}

/// Whether a key is a digit that completes a score, so the form moves on by itself ("7 8 6"
/// fills three answers). On a 1–10 scale a 1 may still become 10, so it stays.
pub(super) fn completes_score(key: &KeyEvent, max: u8) -> bool {
    matches!(key.code, KeyCode::Char(c) if c.is_ascii_digit() && (max < 10 || c != '1'))
}

#[cfg(test)]
mod tests;
