//! The Reviews tab: the current alliance's past reviews, and the protocol's four rituals as
//! wizards — week-1 audit, week-3 health scoring (with the week-4 decision), the 45-minute
//! monthly business review and the quarterly strategic review.
//!
//! A wizard's draft lives in this tab's state until it is finished or discarded, so it can be
//! left (Esc, or another tab) and resumed with `r`. Model edits go through the document; the
//! summary file and the switch to the Charter tab are effects for the main loop.
//!
//! No wizard shows the alliance's internal notes, share mode or not: reviews are run with the
//! partner watching, and inside a wizard `s` is typed, not share mode. Only the list shows
//! them, outside share mode.

pub mod audit;
pub mod changes;
pub mod health;
pub mod mbr;
pub mod qsr;

use std::cell::{RefCell, RefMut};
use std::rc::Rc;

use crossterm::event::{KeyCode, KeyEvent, MouseButton, MouseEvent, MouseEventKind};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Clear, Paragraph, Row, Table, Widget, Wrap};

use super::{Confirm, Cx, Outcome, TabView, ViewCtx};
use crate::app::Effect;
use crate::app::action::Action;
use crate::app::document::Document;
use crate::app::keymap::Keymap;
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
            Kind::Mbr => Self::Mbr(Box::new(mbr::MbrWizard::new(
                alliance,
                cx.doc.as_of,
                cx.clock.now(),
            ))),
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
    /// A stored review's summary, read-only, scrolled down `scroll` lines.
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
    /// The alliance (id) the list's selection was made on: another one starts at the top.
    list_of: Option<String>,
    /// The wizard chosen in the picker, a position in [`Kind::ALL`].
    picker: Scroll,
    /// Drafts in progress, at most one per alliance and kind.
    drafts: Vec<Wizard>,
    /// The review rows and the open summary, kept until the document or alliance changes.
    derived: RefCell<Derived>,
    /// The open review's last frame: (furthest scroll that still fills the pane, page height).
    open_extent: std::cell::Cell<(u16, u16)>,
    /// Changes since each alliance's previous MBR, from git (read through the runner).
    pub changes: changes::Changes,
}

/// What the tab draws from the document, rebuilt when the document's revision or the current
/// alliance changes instead of on every frame.
#[derive(Debug, Default)]
struct Derived {
    /// (document revision, current alliance) these were built from.
    key: Option<(u64, usize)>,
    /// Indices into the current alliance's reviews, latest first.
    rows: Rc<[usize]>,
    /// The open review's Markdown: (review index, text).
    summary: Option<(usize, Rc<str>)>,
}

/// How far text of `lines` rows can scroll in a pane `height` rows tall: the last row stays at
/// the bottom, never above it.
pub(super) fn max_scroll(lines: usize, height: u16) -> u16 {
    u16::try_from(lines.saturating_sub(usize::from(height))).unwrap_or(u16::MAX)
}

/// A text scroll position after a movement action, clamped to `0..=max`; `None` for actions
/// that do not scroll. `page` is the pane's height.
pub(super) fn scroll_text(scroll: u16, action: Action, max: u16, page: u16) -> Option<u16> {
    let step = page.saturating_sub(1).max(1);
    Some(
        match action {
            Action::Up => scroll.saturating_sub(1),
            Action::Down => scroll.saturating_add(1),
            Action::PageUp => scroll.saturating_sub(step),
            Action::PageDown => scroll.saturating_add(step),
            Action::Home => 0,
            Action::End => max,
            _ => return None,
        }
        .min(max),
    )
}

/// The first key bound to `action`, for the key lines (`"unbound"` when none is).
pub(super) fn key(keymap: &Keymap, action: Action) -> String {
    keymap
        .keys_for(action)
        .first()
        .map_or_else(|| "unbound".to_owned(), ToString::to_string)
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

/// The alliance's escalation path from its charter: a heading, then one line per contact;
/// nothing without a charter or contacts. Partner-safe: both sides agreed it.
fn escalation_path(alliance: &crate::model::Alliance, theme: &Theme) -> Vec<Line<'static>> {
    let Some(c) = alliance.charter.as_ref() else {
        return Vec::new();
    };
    if c.escalation.contacts.is_empty() {
        return Vec::new();
    }
    let mut lines = vec![Line::styled(
        format!(
            "Escalation path (resolution within {} days):",
            c.escalation.resolution_days
        ),
        theme.muted,
    )];
    lines.extend(c.escalation.contacts.iter().map(|k| {
        let who = [k.role.as_str(), k.party.label()]
            .into_iter()
            .filter(|s| !s.trim().is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        let mut spans = vec![Span::raw(format!("· {}", k.name))];
        if !who.is_empty() {
            spans.push(Span::styled(format!(" ({who})"), theme.muted));
        }
        if !k.authority.trim().is_empty() {
            spans.push(Span::raw(format!(": {}", k.authority)));
        }
        Line::from(spans)
    }));
    lines
}

/// The list's table and the detail pane below it.
fn list_areas(area: Rect) -> [Rect; 2] {
    Layout::vertical([Constraint::Fill(3), Constraint::Fill(2)]).areas(area)
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

    /// The cache, brought up to date with the document.
    fn derived(&self, doc: &Document) -> RefMut<'_, Derived> {
        let mut derived = self.derived.borrow_mut();
        let key = (doc.revision, doc.current);
        if derived.key != Some(key) {
            *derived = Derived {
                key: Some(key),
                rows: review_rows(doc).into(),
                summary: None,
            };
        }
        derived
    }

    /// The current alliance's reviews, latest first (indices into its `reviews`).
    fn rows(&self, doc: &Document) -> Rc<[usize]> {
        Rc::clone(&self.derived(doc).rows)
    }

    /// The Markdown summary of the current alliance's review `index`, built once.
    fn summary(&self, doc: &Document, index: usize) -> Rc<str> {
        let mut derived = self.derived(doc);
        if let Some((i, text)) = &derived.summary
            && *i == index
        {
            return Rc::clone(text);
        }
        let text: Rc<str> = doc
            .current_alliance()
            .and_then(|a| Some((a, a.reviews.get(index)?.date())))
            .map_or_else(String::new, |(a, date)| {
                markdown::alliance_review_summary(&doc.portfolio, a, date)
                    .unwrap_or_else(|e| e.to_string())
            })
            .into();
        derived.summary = Some((index, Rc::clone(&text)));
        text
    }

    /// Whether the list's selection was made on the current alliance.
    fn on_current(&self, doc: &Document) -> bool {
        doc.current_alliance().map(|a| a.id.as_str()) == self.list_of.as_deref()
    }

    /// The selected row for a list of `len`: the selection clamped to the list, or the first
    /// row when the current alliance is not the one it was made on; `None` for no rows.
    fn selected_pos(&self, doc: &Document, len: usize) -> Option<usize> {
        if len == 0 {
            None
        } else if self.on_current(doc) {
            Some(self.scroll.selected().min(len - 1))
        } else {
            Some(0)
        }
    }

    /// Before input: the selection as [`ReviewsTab::selected_pos`] draws it. Another alliance
    /// starts at its latest review, and an open review from before goes back to the list.
    pub fn sync(&mut self, doc: &Document) {
        let len = self.rows(doc).len();
        let pos = self.selected_pos(doc, len).unwrap_or(0);
        if !self.on_current(doc) {
            self.list_of = doc.current_alliance().map(|a| a.id.clone());
            // Another alliance's list starts at its top, scroll position included.
            self.scroll = Scroll::default();
            if matches!(self.mode, Mode::Open { .. }) {
                self.mode = Mode::List;
            }
        }
        self.scroll.select(pos, len);
    }

    fn selected_review(&self, doc: &Document) -> Option<usize> {
        let rows = self.rows(doc);
        rows.get(self.selected_pos(doc, rows.len())?).copied()
    }

    /// The wizard highlighted in the picker.
    fn picked(&self) -> Kind {
        Kind::ALL[self.picker.selected().min(Kind::ALL.len() - 1)]
    }

    fn start_or_resume(&mut self, kind: Kind, cx: &mut Cx) -> Outcome {
        // Our health scoring and the week-1 audit are never shown to a partner (SPEC §7).
        if cx.share && matches!(kind, Kind::Audit | Kind::Health) {
            return Outcome::Message(format!(
                "The {} is ours: not while sharing (s stops sharing)",
                kind.title()
            ));
        }
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
        let date = *date;
        let id = a.id.clone();
        cx.doc.edit_current(label.clone(), |a| {
            if let Some(Review::Monthly { summary_sent, .. }) = a.reviews.get_mut(index) {
                *summary_sent = new;
            }
        });
        // The written summary says whether it was sent: rewrite it where the MBR wrote it,
        // so the file never disagrees with the portfolio.
        match markdown::review_summary(&cx.doc.portfolio, &id, date) {
            Ok(contents) => {
                let path = mbr::summary_path(cx.doc, &id, date);
                Outcome::Effect(Effect::WriteFile {
                    done: format!("{label}; summary rewritten at {}", path.display()),
                    path,
                    contents,
                })
            }
            Err(_) => Outcome::Message(label),
        }
    }

    fn list_action(&mut self, action: Action, cx: &mut Cx) -> Outcome {
        let n = self.rows(cx.doc).len();
        if let Some(pos) = self.scroll.target(action) {
            self.scroll.select(pos, n);
            return Outcome::Handled;
        }
        match action {
            Action::Open => {
                if self.selected_review(cx.doc).is_some() {
                    self.mode = Mode::Open { scroll: 0 };
                } else {
                    return Outcome::Message("No review to open: r starts one".into());
                }
            }
            Action::StartReview | Action::Add => {
                self.picker.select(0, Kind::ALL.len());
                self.mode = Mode::Picker;
            }
            Action::ToggleDone => {
                return match self.selected_review(cx.doc) {
                    Some(i) => Self::toggle_sent(cx, i),
                    None => Outcome::Message("No review selected".into()),
                };
            }
            _ => return Outcome::Ignored,
        }
        Outcome::Handled
    }

    fn open_action(&mut self, scroll: u16, action: Action, cx: &mut Cx) -> Outcome {
        let (max, page) = self.open_extent.get();
        if let Some(scroll) = scroll_text(scroll, action, max, page) {
            self.mode = Mode::Open { scroll };
            return Outcome::Handled;
        }
        match action {
            Action::Back | Action::Open => {
                self.mode = Mode::List;
                Outcome::Handled
            }
            Action::ToggleDone => match self.selected_review(cx.doc) {
                Some(i) => Self::toggle_sent(cx, i),
                None => Outcome::Handled,
            },
            _ => Outcome::Ignored,
        }
    }

    fn picker_action(&mut self, action: Action, cx: &mut Cx) -> Outcome {
        if let Some(pos) = self.picker.target(action) {
            self.picker.select(pos, Kind::ALL.len());
            return Outcome::Handled;
        }
        match action {
            Action::Open | Action::StartReview => {
                return self.start_or_resume(self.picked(), cx);
            }
            Action::Delete => {
                if let Some(i) = self.draft_index(cx.doc, self.picked()) {
                    return Outcome::Confirm(Confirm {
                        prompt: format!(
                            "Discard the {} draft for {}? Its notes are lost.",
                            self.picked().title(),
                            cx.doc.current_alliance().map_or("", |a| a.partner.as_str())
                        ),
                        token: CONFIRM_DISCARD + i as u32,
                    });
                }
            }
            Action::Back => self.mode = Mode::List,
            // The picker numbers its wizards 1–4: here those keys pick one, not a tab.
            Action::Tab1 | Action::Tab2 | Action::Tab3 | Action::Tab4 => {
                let pos = match action {
                    Action::Tab1 => 0,
                    Action::Tab2 => 1,
                    Action::Tab3 => 2,
                    _ => 3,
                };
                self.picker.select(pos, Kind::ALL.len());
                return self.start_or_resume(self.picked(), cx);
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
        let [table_area, detail] = list_areas(area);
        let rows_idx = self.rows(doc);
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
            // The audit and our health score are ours: not shown while sharing (SPEC §7).
            let mut spans = Vec::new();
            if !cx.share {
                spans.extend([
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
                    Span::raw("   "),
                ]);
            }
            lines.push(Line::from(
                spans
                    .into_iter()
                    .chain([
                        Span::styled("SAS: ", theme.muted),
                        Span::raw(
                            s.sas
                                .as_ref()
                                .map_or_else(|| "—".to_owned(), |x| format!("{:.1}", x.combined)),
                        ),
                    ])
                    .collect::<Vec<_>>(),
            ));
            if let Some(next) = &s.next_reviews {
                lines.push(Line::from(vec![
                    Span::styled("Next MBR: ", theme.muted),
                    Span::raw(date(next.monthly)),
                    Span::styled("   next QSR: ", theme.muted),
                    Span::raw(date(next.quarterly)),
                ]));
            }
        }
        // Changes since the previous MBR go here; they give way first when the pane is short.
        let changes_at = lines.len();
        let mut changed = changes::lines(
            &self.changes.listing(doc, &alliance.id),
            theme,
            changes::SHORT_LIST,
        );
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
            lines.extend(crate::ui::widgets::format::labelled_lines(
                "Internal notes: ",
                &alliance.notes,
                theme.muted,
            ));
        }
        let keymap = cx.keymap;
        let keys = Line::styled(
            format!(
                "{} opens a review · {} toggles an MBR summary sent · {} starts a wizard",
                key(keymap, Action::Open),
                key(keymap, Action::ToggleDone),
                key(keymap, Action::StartReview),
            ),
            theme.muted,
        );
        let block = Block::bordered().border_style(theme.border);
        let inner = block.inner(detail);
        // The charter's escalation path is agreed with the partner, so it shows in share mode
        // too: whom to call is what a review most often needs next. Contacts that do not fit
        // are left out from the last, so the keys line stays.
        let mut path = escalation_path(alliance, theme);
        let text = loop {
            let mut all = lines.clone();
            all.splice(changes_at..changes_at, changed.iter().cloned());
            all.extend(path.iter().cloned());
            all.push(keys.clone());
            let text = Paragraph::new(all).wrap(Wrap { trim: true });
            if (path.is_empty() && changed.is_empty())
                || text.line_count(inner.width) <= usize::from(inner.height)
            {
                break text;
            }
            if changed.len() > 2 {
                changed.truncate(changed.len() - 2);
                changed.push(changes::more_line(theme));
                continue;
            } else if !changed.is_empty() {
                changed.clear();
                continue;
            }
            path.pop();
            if path.len() == 1 {
                path.clear();
            }
        };
        text.block(block).render(detail, buf);
    }

    fn render_open(&self, scroll: u16, area: Rect, buf: &mut Buffer, cx: &ViewCtx) {
        let theme = cx.theme;
        let keymap = cx.keymap;
        let review = cx.doc.current_alliance().and_then(|a| {
            let i = self.selected_review(cx.doc)?;
            Some((a.reviews.get(i)?, i))
        });
        let (title, text) = match review {
            Some((r, i)) => (
                format!(" {} — {} (read-only) ", r.label(), r.date()),
                self.summary(cx.doc, i),
            ),
            None => (" Review ".to_owned(), Rc::from("")),
        };
        let block = Block::bordered()
            .title(Span::styled(title, theme.title))
            .title_bottom(Span::styled(
                format!(
                    " {}{} scroll · {} summary sent / not · {} back ",
                    key(keymap, Action::Up),
                    key(keymap, Action::Down),
                    key(keymap, Action::ToggleDone),
                    key(keymap, Action::Back),
                ),
                theme.key,
            ))
            .border_style(theme.border_focus);
        let inner = block.inner(area);
        block.render(area, buf);
        let text = Paragraph::new(&*text).wrap(Wrap { trim: false });
        let max = max_scroll(text.line_count(inner.width), inner.height);
        self.open_extent.set((max, inner.height));
        text.scroll((scroll.min(max), 0)).render(inner, buf);
    }

    fn render_picker(&self, area: Rect, buf: &mut Buffer, cx: &ViewCtx) {
        let theme = cx.theme;
        let rect = crate::ui::centered(area, 76, 12);
        Clear.render(rect, buf);
        let partner = cx.doc.current_alliance().map_or("", |a| a.partner.as_str());
        let picked = self.picked();
        let mut lines = vec![Line::styled(format!("Review {partner}:"), theme.base)];
        for (i, kind) in Kind::ALL.iter().enumerate() {
            let has_draft = cx.doc.current_alliance().is_some_and(|a| {
                self.drafts
                    .iter()
                    .any(|w| w.kind() == *kind && w.alliance() == a.id)
            });
            // A marker as well as the style: the choice never depends on colour.
            let (mark, style) = if *kind == picked {
                ('▶', theme.selected)
            } else {
                (' ', theme.base)
            };
            let mut spans = vec![Span::styled(
                format!("{mark}{}. {} ", i + 1, kind.title()),
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
    fn sync_view(&mut self, cx: &super::SyncCx) {
        self.sync(cx.doc);
        // The MBR's first step lists the changes since the previous MBR.
        for w in &mut self.drafts {
            if let Wizard::Mbr(w) = w {
                w.changes = Some(self.changes.listing(cx.doc, &w.alliance));
            }
        }
    }

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
        self.sync(cx.doc);
        match self.mode {
            Mode::List => self.list_action(action, cx),
            Mode::Picker => self.picker_action(action, cx),
            Mode::Open { scroll } => self.open_action(scroll, action, cx),
            // A wizard takes raw keys; actions only arrive with Ctrl (save, redo).
            Mode::Wizard(_) => Outcome::Ignored,
        }
    }

    /// A click on a row of the list selects it (the wheel scrolls, via the shell's Up/Down).
    fn on_mouse(&mut self, event: &MouseEvent, area: Rect, cx: &mut Cx) -> Outcome {
        if event.kind != MouseEventKind::Down(MouseButton::Left) {
            return Outcome::Ignored;
        }
        match self.mode {
            Mode::List => {
                self.sync(cx.doc);
                let [table, _] = list_areas(area);
                if !table.contains((event.column, event.row).into()) {
                    return Outcome::Ignored;
                }
                let len = self.rows(cx.doc).len();
                if let Some(pos) = self.scroll.row_at(table, event.row, len) {
                    self.scroll.select(pos, len);
                }
                Outcome::Handled
            }
            // Nothing under the picker or a review is clickable.
            Mode::Picker | Mode::Open { .. } => Outcome::Handled,
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
            Mode::Picker => {
                self.render_list(area, buf, cx);
                self.render_picker(area, buf, cx);
            }
            // A review of the alliance the list was on; another alliance shows its list.
            Mode::Open { scroll } if self.on_current(cx.doc) => {
                self.render_open(scroll, area, buf, cx);
            }
            Mode::List | Mode::Open { .. } => self.render_list(area, buf, cx),
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
                (Action::ToggleDone, "sent / not"),
            ],
            Mode::Picker => vec![
                (Action::Open, "start/resume"),
                (Action::Delete, "discard draft"),
                (Action::Back, "close"),
            ],
            Mode::Open { .. } => vec![(Action::ToggleDone, "sent / not"), (Action::Back, "back")],
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
