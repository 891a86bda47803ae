//! The Portfolio tab's *escalations* popup: the current alliance's escalation items (Layer 4 of
//! the protocol), with raise, edit, resolve / reopen and delete, each an undoable edit.
//!
//! Whether an item is overdue is the scoring engine's call: the popup marks the items listed in
//! [`crate::score::AllianceScores::overdue_escalations`], the ones behind the
//! `escalation_overdue` flag, and never re-applies the rule itself.

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget};

use crate::app::action::Action;
use crate::app::document::Document;
use crate::model::{Alliance, EscalationItem};
use crate::score::FlagCode;
use crate::ui::form::{Form, FormEvent};
use crate::ui::tabs::{Confirm, Outcome, ViewCtx};
use crate::ui::widgets::flags;
use crate::ui::widgets::format::truncate;
use crate::ui::widgets::scroll::Scroll;

/// The token of the "delete this escalation?" question.
pub const CONFIRM_DELETE: u32 = 2;

/// Rows of items shown at most; more scroll.
const MAX_ROWS: u16 = 12;

/// The raise / edit form and the item it edits (`None`: a new one).
#[derive(Debug)]
struct Editor {
    form: Form,
    item: Option<usize>,
}

/// The open popup.
#[derive(Debug)]
pub struct EscalationsPopup {
    /// The alliance shown, by id: an index could point elsewhere after an undo or redo.
    alliance_id: String,
    /// The selected item and the rows shown, the same as the tables'.
    scroll: Scroll,
    editor: Option<Editor>,
    /// The item a pending "delete?" question is about, with its text to make sure it is still
    /// the same item when the answer comes.
    pending_delete: Option<(usize, String)>,
}

impl EscalationsPopup {
    /// The popup for the current alliance.
    pub fn open(doc: &Document) -> Result<Self, String> {
        let a = doc
            .current_alliance()
            .ok_or_else(|| "No alliance yet: a adds one".to_owned())?;
        // Start on the first item open as of today: that is what the user came for.
        let first_open = a
            .escalations
            .iter()
            .position(|e| e.is_open(doc.as_of))
            .unwrap_or(0);
        let mut scroll = Scroll::default();
        scroll.select(first_open, a.escalations.len());
        Ok(Self {
            alliance_id: a.id.clone(),
            scroll,
            editor: None,
            pending_delete: None,
        })
    }

    /// A text field has focus (the raise / edit form is open).
    pub fn editing(&self) -> bool {
        self.editor.is_some()
    }

    fn alliance<'d>(&self, doc: &'d Document) -> Option<(usize, &'d Alliance)> {
        let i = doc.portfolio.alliance_index(&self.alliance_id)?;
        Some((i, &doc.portfolio.alliances[i]))
    }

    /// The selection, clamped to the items there are now (an undo may have removed one).
    fn selection(&self, a: &Alliance) -> Option<usize> {
        (!a.escalations.is_empty()).then(|| self.scroll.selected().min(a.escalations.len() - 1))
    }

    /// A keymap action while the list shows. `None` closes the popup with a message.
    pub fn on_action(&mut self, action: Action, doc: &mut Document) -> Option<Outcome> {
        // The alliance is gone (an undo removed it): close.
        let (index, a) = self.alliance(doc)?;
        let n = a.escalations.len();
        // Clamp first: an undo may have removed items since the last key.
        let selected = self.scroll.select(self.scroll.selected(), n);
        if let Some(position) = self.scroll.target(action) {
            self.scroll.select(position, n);
            return Some(Outcome::Handled);
        }
        Some(match action {
            Action::Back => return None,
            Action::Add => {
                self.editor = Some(Editor::new(a, None, doc.as_of));
                Outcome::Handled
            }
            Action::Open => match selected {
                Some(i) => {
                    self.editor = Some(Editor::new(a, Some(i), doc.as_of));
                    Outcome::Handled
                }
                None => Outcome::Message("No escalation yet: a raises one".to_owned()),
            },
            Action::ToggleDone => match selected {
                Some(i) => toggle_resolved(doc, index, i),
                None => Outcome::Message("No escalation to resolve".to_owned()),
            },
            Action::Delete => match selected.and_then(|i| a.escalations.get(i).map(|e| (i, e))) {
                Some((i, e)) => {
                    self.pending_delete = Some((i, e.issue.clone()));
                    Outcome::Confirm(Confirm {
                        prompt: format!(
                            "Delete the escalation \"{}\" raised {}? u undoes it.",
                            truncate(first_line(&e.issue), 40),
                            e.raised
                        ),
                        token: CONFIRM_DELETE,
                    })
                }
                None => Outcome::Message("No escalation to delete".to_owned()),
            },
            // The shell's keys still work over the list: undo shows the flag come and go.
            Action::Undo
            | Action::Redo
            | Action::Save
            | Action::Help
            | Action::ShareMode
            | Action::NextTheme
            | Action::Quit => Outcome::Ignored,
            // Everything else would act on the table behind the popup.
            _ => Outcome::Handled,
        })
    }

    /// The user answered yes to "delete?".
    pub fn on_confirm(&mut self, doc: &mut Document) -> Outcome {
        let Some((i, issue)) = self.pending_delete.take() else {
            return Outcome::Handled;
        };
        let Some((index, a)) = self.alliance(doc) else {
            return Outcome::Handled;
        };
        if a.escalations.get(i).is_none_or(|e| e.issue != issue) {
            return Outcome::Message("That escalation changed meanwhile: not deleted".to_owned());
        }
        let label = format!("delete escalation \"{}\"", truncate(first_line(&issue), 30));
        doc.edit_alliance(index, label, |a| {
            a.escalations.remove(i);
        });
        Outcome::Message(format!(
            "Deleted the escalation \"{}\"{} (u undoes)",
            truncate(first_line(&issue), 30),
            overdue_now(doc, index)
        ))
    }

    /// A raw key while the form is open.
    pub fn on_key(&mut self, key: &KeyEvent, doc: &mut Document) -> Outcome {
        let Some(editor) = self.editor.as_mut() else {
            return Outcome::Ignored;
        };
        match editor.form.handle_key(key, doc.as_of) {
            FormEvent::Cancel => {
                self.editor = None;
                Outcome::Message("Cancelled".to_owned())
            }
            FormEvent::Edited(field) => {
                editor.form.set_error(field, None);
                Outcome::Handled
            }
            FormEvent::Submit => {
                let item = match editor.read() {
                    Ok(item) => item,
                    Err(why) => return Outcome::Message(why.to_owned()),
                };
                let target = editor.item;
                self.editor = None;
                self.save(doc, target, item)
            }
            FormEvent::Ignored => Outcome::Ignored,
            FormEvent::Handled | FormEvent::Moved => Outcome::Handled,
        }
    }

    fn save(&mut self, doc: &mut Document, target: Option<usize>, item: EscalationItem) -> Outcome {
        let Some((index, a)) = self.alliance(doc) else {
            return Outcome::Handled;
        };
        let short = truncate(first_line(&item.issue), 30);
        match target {
            None => {
                self.scroll.select(usize::MAX, a.escalations.len() + 1);
                doc.edit_alliance(index, format!("raise escalation \"{short}\""), |a| {
                    a.escalations.push(item);
                });
                Outcome::Message(format!(
                    "Raised \"{short}\"{} (u undoes)",
                    overdue_now(doc, index)
                ))
            }
            Some(i) => {
                doc.edit_alliance(index, format!("edit escalation \"{short}\""), |a| {
                    if let Some(e) = a.escalations.get_mut(i) {
                        *e = item;
                    }
                });
                Outcome::Message(format!("Saved \"{short}\"{}", overdue_now(doc, index)))
            }
        }
    }

    /// What the footer offers.
    pub fn hints(&self) -> Vec<(Action, &'static str)> {
        if self.editor.is_some() {
            return vec![(Action::NextTab, "next field"), (Action::Back, "cancel")];
        }
        // Most needed first: a narrow footer leaves out the last ones.
        vec![
            (Action::Add, "raise"),
            (Action::ToggleDone, "resolve/reopen"),
            (Action::Delete, "delete"),
            (Action::Back, "close"),
            (Action::Open, "edit"),
            (Action::Up, "select"),
        ]
    }

    /// Draw the popup centred in `area`; reads the document, changes nothing.
    pub fn render(&self, area: Rect, buf: &mut Buffer, cx: &ViewCtx) {
        let theme = cx.theme;
        let doc = cx.doc;
        let Some((index, a)) = self.alliance(doc) else {
            return;
        };
        let scores = doc.scores.alliances.get(index);
        let overdue = scores.map_or(&[][..], |s| s.overdue_escalations.as_slice());
        let width = if area.width >= 110 { 100 } else { 78 }.min(area.width);
        let inner_w = usize::from(width.saturating_sub(2));

        let limit = a.resolution_days();
        let mut lines = vec![Line::styled(
            if a.charter.is_some() {
                format!("Resolve within {limit} days (the charter's escalation path)")
            } else {
                format!("Resolve within {limit} days (no charter: the default)")
            },
            theme.muted,
        )];
        match scores.and_then(|s| {
            s.flags
                .iter()
                .find(|f| f.code == FlagCode::EscalationOverdue)
        }) {
            Some(flag) => {
                let badge = flags::badge(flag, theme);
                let room = inner_w.saturating_sub(badge.width() + 1);
                lines.push(Line::from(vec![
                    badge,
                    Span::styled(
                        format!(" {}", truncate(&flag.message, room)),
                        theme.flag(flag.severity),
                    ),
                ]));
            }
            None => lines.push(Line::styled("✓ nothing overdue", theme.ok)),
        }
        lines.push(Line::raw(""));
        let issue_w = inner_w.saturating_sub(2 + 11 + 9 + 24);
        lines.push(Line::styled(
            format!(
                "  {:<10} {:>8} {:<issue_w$} State",
                "Raised", "Days", "Issue"
            ),
            theme.title,
        ));
        let selected = self.selection(a);
        let visible = usize::from(MAX_ROWS.min(area.height.saturating_sub(10)).max(1));
        // A stale selection (an undo removed items) is clamped above; keep its row in view.
        let offset = self
            .scroll
            .window(visible, a.escalations.len())
            .min(selected.unwrap_or(0));
        if a.escalations.is_empty() {
            lines.push(Line::styled("  No escalations. a raises one.", theme.muted));
        }
        for (i, e) in a.escalations.iter().enumerate().skip(offset).take(visible) {
            let (state, style) = state(e, overdue.contains(&i), doc.as_of, cx);
            let days = days_open(e, doc.as_of).map_or("—".to_owned(), |d| format!("{d}d"));
            let marker = if Some(i) == selected { "▸ " } else { "  " };
            let text = format!(
                "{marker}{:<10} {days:>8} {:<issue_w$} ",
                e.raised,
                truncate(&one_line(&e.issue), issue_w)
            );
            let row_style = if Some(i) == selected {
                theme.selected
            } else {
                theme.base
            };
            lines.push(Line::from(vec![
                Span::styled(text, row_style),
                Span::styled(state, style),
            ]));
        }
        if a.escalations.len() > offset + visible {
            lines.push(Line::styled(
                format!("  … {} more (↓)", a.escalations.len() - offset - visible),
                theme.muted,
            ));
        }
        lines.push(Line::raw(""));
        let key = |action| cx.keymap.describe(action);
        lines.push(Line::styled(
            format!(
                "{} raise  {} edit  {} resolve/reopen  {} delete  {} close",
                key(Action::Add),
                key(Action::Open),
                key(Action::ToggleDone),
                key(Action::Delete),
                key(Action::Back)
            ),
            theme.key,
        ));
        let height = u16::try_from(lines.len())
            .unwrap_or(u16::MAX)
            .saturating_add(2);
        let rect = crate::ui::centered(area, width, height);
        Clear.render(rect, buf);
        Paragraph::new(lines)
            .style(theme.base)
            .block(
                Block::bordered()
                    .border_style(theme.border_focus)
                    .title(Span::styled(
                        format!(" Escalations · {} ", a.partner),
                        theme.title,
                    )),
            )
            .render(rect, buf);
        if let Some(editor) = &self.editor {
            let h = if editor.item.is_some() { 12 } else { 11 };
            let rect = crate::ui::centered(area, 78, h);
            Clear.render(rect, buf);
            editor.form.render(rect, buf, theme);
        }
    }
}

impl Editor {
    fn new(a: &Alliance, item: Option<usize>, as_of: NaiveDate) -> Self {
        let existing = item.and_then(|i| a.escalations.get(i));
        let title = if existing.is_some() {
            format!("Edit escalation · {}", a.partner)
        } else {
            format!("Raise an escalation · {}", a.partner)
        };
        let mut form = Form::new(title)
            .multiline("issue", "Issue", existing.map_or("", |e| e.issue.as_str()))
            .date(
                "raised",
                "Raised",
                Some(existing.map_or(as_of, |e| e.raised)),
            )
            .required("issue")
            .required("raised")
            .help(
                "issue",
                "What is blocked and who must decide · Tab: next field · F10 saves · Esc cancels",
            )
            .help(
                "raised",
                "YYYY-MM-DD · t: today (as-of) · Enter saves · Esc cancels",
            );
        if let Some(e) = existing {
            form = form.date("resolved", "Resolved", e.resolved).help(
                "resolved",
                "YYYY-MM-DD, or empty while open · t: today (as-of) · Enter saves",
            );
        }
        Self { form, item }
    }

    /// The item the form describes, or why it cannot be saved yet.
    fn read(&mut self) -> Result<EscalationItem, &'static str> {
        let issue = self.form.get_text("issue").trim().to_owned();
        if issue.is_empty() {
            self.form
                .set_error("issue", Some("say what is escalated".to_owned()));
            self.form.focus("issue");
            return Err("The issue is empty");
        }
        let Some(raised) = self.form.get_date("raised") else {
            self.form.focus("raised");
            return Err("The raised date must be a real date, YYYY-MM-DD");
        };
        let resolved = if self.item.is_some() {
            if !self.form.get_text("resolved").trim().is_empty()
                && self.form.get_date("resolved").is_none()
            {
                self.form.focus("resolved");
                return Err("The resolved date must be a real date, or empty");
            }
            self.form.get_date("resolved")
        } else {
            None
        };
        if resolved.is_some_and(|r| r < raised) {
            self.form
                .set_error("resolved", Some("before it was raised".to_owned()));
            self.form.focus("resolved");
            return Err("An escalation cannot be resolved before it was raised");
        }
        Ok(EscalationItem {
            raised,
            issue,
            resolved,
        })
    }
}

/// Resolve the item on the as-of date, or reopen it if it has a resolved date.
fn toggle_resolved(doc: &mut Document, index: usize, item: usize) -> Outcome {
    let as_of = doc.as_of;
    let Some(e) = doc
        .portfolio
        .alliances
        .get(index)
        .and_then(|a| a.escalations.get(item))
    else {
        return Outcome::Handled;
    };
    let short = truncate(first_line(&e.issue), 30);
    let reopen = e.resolved.is_some();
    let label = if reopen {
        format!("reopen escalation \"{short}\"")
    } else {
        format!("resolve escalation \"{short}\" on {as_of}")
    };
    doc.edit_alliance(index, label, |a| {
        if let Some(e) = a.escalations.get_mut(item) {
            e.resolved = if reopen { None } else { Some(as_of) };
        }
    });
    let what = if reopen {
        "Reopened".to_owned()
    } else {
        format!("Resolved on {as_of}:")
    };
    Outcome::Message(format!(
        "{what} \"{short}\"{} (u undoes)",
        overdue_now(doc, index)
    ))
}

/// " · escalation overdue" or " · nothing overdue", read from the fresh scores.
fn overdue_now(doc: &Document, index: usize) -> &'static str {
    match doc.scores.alliances.get(index) {
        Some(s) if s.has_flag(FlagCode::EscalationOverdue) => " · ■ escalation overdue",
        Some(_) => " · nothing overdue",
        None => "",
    }
}

/// Days the item has been open as of `as_of` (to its resolution if resolved by then);
/// `None` when it is dated after `as_of`.
fn days_open(e: &EscalationItem, as_of: NaiveDate) -> Option<i64> {
    if e.raised > as_of {
        return None;
    }
    let end = e.resolved.filter(|r| *r <= as_of).unwrap_or(as_of);
    Some((end - e.raised).num_days().max(0))
}

/// The state column: resolved, overdue (as the scores say), open, or not yet raised.
fn state(e: &EscalationItem, overdue: bool, as_of: NaiveDate, cx: &ViewCtx) -> (String, Style) {
    let theme = cx.theme;
    match e.resolved {
        _ if overdue => ("■ overdue".to_owned(), theme.critical),
        Some(r) if r <= as_of => (format!("✓ resolved {r}"), theme.ok),
        _ if e.raised > as_of => ("○ dated after as-of".to_owned(), theme.muted),
        Some(r) => (format!("○ open (resolved {r})"), theme.base),
        None => ("○ open".to_owned(), theme.base),
    }
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}

/// The issue on one row: its first line, with a mark when there is more.
fn one_line(text: &str) -> String {
    let mut line = first_line(text).to_owned();
    if text.lines().nth(1).is_some() {
        line.push_str(" …");
    }
    line
}
