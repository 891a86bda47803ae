//! The Portfolio tab's *alliance details* popup (SPEC §6): partner, type, status, start date,
//! internal notes and the attribution rules of SPEC §9 (comma-separated codes, tags and
//! sources). Text is read by [`crate::edit::alliance`]; a field that does not read keeps its
//! text and message, and nothing reaches the model. Rules that overlap another alliance's are
//! warned about as they are typed. Enter (Ctrl-Enter or F10 in the notes) applies every change
//! as one undo step.
//!
//! In share mode the popup shows only what a partner may see (SPEC §7): no internal notes, no
//! attribution rules and nothing about other alliances; those are kept as they are.

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph, Widget, Wrap};

use super::settings::PopupKey;
use crate::app::action::Action;
use crate::app::document::Document;
use crate::edit::alliance::{self, Detail, Details, DetailsText};
use crate::model::{Alliance, AllianceKind, Attribution, Status};
use crate::ui::form::{Form, FormEvent};
use crate::ui::tabs::{Outcome, ViewCtx};

const PARTNER: &str = "partner";
const KIND: &str = "kind";
const STATUS: &str = "status";
const STARTED: &str = "started";
const NOTES: &str = "notes";
const CODES: &str = "codes";
const TAGS: &str = "tags";
const SOURCES: &str = "sources";

/// Screen rows a multi-line field takes beyond one (the form engine's textarea height).
const NOTES_EXTRA_ROWS: u16 = 3;

/// The open popup.
#[derive(Debug)]
pub struct DetailsPopup {
    form: Form,
    /// The alliance edited, by id: an index could point elsewhere after an undo or redo.
    alliance_id: String,
    partner: String,
    /// Opened in share mode: notes and rules are neither shown nor changed.
    share: bool,
    /// The rules as opened, so a list left alone is kept exactly as the file has it.
    rules: Attribution,
    /// Esc was pressed once with text that does not read: a second Esc discards it.
    discard_asked: bool,
    /// Overlap warnings for the rules as typed now.
    overlaps: Vec<String>,
}

fn rules_of(a: &Attribution, key: &str) -> String {
    alliance::rules_text(match key {
        CODES => &a.codes,
        TAGS => &a.tags,
        _ => &a.sources,
    })
}

impl DetailsPopup {
    /// The popup for the current alliance.
    pub fn open(doc: &Document, share: bool) -> Result<Self, String> {
        let a = doc
            .current_alliance()
            .ok_or_else(|| "No alliance yet: a adds one".to_owned())?;
        let kinds: Vec<&str> = AllianceKind::ALL.iter().map(|k| k.label()).collect();
        let statuses: Vec<&str> = Status::ALL.iter().map(|s| s.label()).collect();
        let kind = AllianceKind::ALL
            .iter()
            .position(|k| *k == a.kind)
            .unwrap_or(0);
        let status = Status::ALL.iter().position(|s| *s == a.status).unwrap_or(0);
        let mut form = Form::new(format!("Alliance details · {}", a.id))
            .text(PARTNER, Detail::Partner.label(), &a.partner)
            .required(PARTNER)
            .help(PARTNER, "The partner's name as every screen and page shows it")
            .choice(KIND, "Type", &kinds, kind)
            .help(KIND, "←/→ or Space change the type")
            .choice(STATUS, "Status", &statuses, status)
            .help(STATUS, "←/→ or Space change the status")
            .text(STARTED, Detail::Started.label(), &a.started.to_string())
            .required(STARTED)
            .help(
                STARTED,
                "YYYY-MM-DD · when the alliance really began (ARCR and audit age rules count from it)",
            );
        if !share {
            form = form
                .multiline(NOTES, Detail::Notes.label(), &a.notes)
                .help(
                    NOTES,
                    "Internal: never shown in share mode or to the partner · Ctrl-Enter applies",
                )
                .heading("Attribution rules (revenue import) · comma-separated")
                .text(
                    CODES,
                    Detail::Codes.label(),
                    &rules_of(&a.attribution, CODES),
                )
                .help(CODES, "Shopify discount codes, e.g. GLOW15, GLOWVIP")
                .text(TAGS, Detail::Tags.label(), &rules_of(&a.attribution, TAGS))
                .help(TAGS, "Shopify order tags")
                .text(
                    SOURCES,
                    Detail::Sources.label(),
                    &rules_of(&a.attribution, SOURCES),
                )
                .help(
                    SOURCES,
                    "Order sources, or the key column of an attribution report",
                );
        }
        let mut popup = Self {
            form,
            alliance_id: a.id.clone(),
            partner: a.partner.clone(),
            share,
            rules: a.attribution.clone(),
            discard_asked: false,
            overlaps: Vec::new(),
        };
        popup.check_overlaps(doc);
        Ok(popup)
    }

    /// The rules as typed; a list whose text was not changed is the file's, as it is.
    fn typed_rules(&self) -> Attribution {
        let list = |key: &'static str, original: &[String]| {
            let text = self.form.get_text(key);
            if self.share || text == alliance::rules_text(original) {
                original.to_vec()
            } else {
                alliance::parse_rules(&text)
            }
        };
        Attribution {
            codes: list(CODES, &self.rules.codes),
            tags: list(TAGS, &self.rules.tags),
            sources: list(SOURCES, &self.rules.sources),
        }
    }

    fn check_overlaps(&mut self, doc: &Document) {
        if self.share {
            return;
        }
        self.overlaps =
            alliance::rule_overlaps(&doc.portfolio, &self.alliance_id, &self.typed_rules())
                .iter()
                .map(crate::import::revenue::Overlap::message)
                .collect();
    }

    /// The details as typed, read by the core (the messages name the alliance and field).
    fn read(&self, a: &Alliance) -> Result<Details, alliance::DetailError> {
        let partner = self.form.get_text(PARTNER);
        let started = self.form.get_text(STARTED);
        let notes = if self.share {
            a.notes.clone()
        } else {
            self.form.get_text(NOTES)
        };
        let kind = AllianceKind::ALL
            .get(self.form.get_choice(KIND))
            .copied()
            .unwrap_or(a.kind);
        let status = Status::ALL
            .get(self.form.get_choice(STATUS))
            .copied()
            .unwrap_or(a.status);
        let mut details = Details::parse(
            a,
            &DetailsText {
                partner: &partner,
                started: &started,
                notes: &notes,
                ..DetailsText::default()
            },
            kind,
            status,
        )?;
        // Rules that contain a control character are refused; checked per list as typed.
        for (key, field) in [
            (CODES, Detail::Codes),
            (TAGS, Detail::Tags),
            (SOURCES, Detail::Sources),
        ] {
            if !self.share
                && alliance::parse_rules(&self.form.get_text(key))
                    .iter()
                    .any(|r| r.chars().any(char::is_control))
            {
                return Err(alliance::DetailError {
                    alliance: a.id.clone(),
                    field,
                    message: "no control characters in a rule".to_owned(),
                });
            }
        }
        details.attribution = self.typed_rules();
        Ok(details)
    }

    /// Put the message of the field `key` beside it (or clear it).
    fn check(&mut self, key: &'static str, doc: &Document) {
        let error = match key {
            PARTNER if self.form.get_text(PARTNER).trim().is_empty() => {
                Some("enter the partner's name".to_owned())
            }
            STARTED => crate::input::parse_date(&self.form.get_text(STARTED))
                .err()
                .map(|e| e.to_string()),
            CODES | TAGS | SOURCES => {
                self.check_overlaps(doc);
                None
            }
            _ => None,
        };
        if matches!(key, PARTNER | STARTED) {
            self.form.set_error(key, error);
        }
    }

    /// Feed a key to the form; Enter applies, Esc closes (asking first when a field's text
    /// would be lost unread).
    pub fn on_key(&mut self, key: &KeyEvent, doc: &mut Document) -> PopupKey {
        let event = self.form.handle_key(key, doc.as_of);
        let asked = std::mem::take(&mut self.discard_asked);
        match event {
            FormEvent::Cancel => {
                let unread = [(PARTNER, Detail::Partner), (STARTED, Detail::Started)]
                    .into_iter()
                    .find(|(k, _)| self.form.message(k).is_some());
                if !asked && let Some((k, field)) = unread {
                    self.discard_asked = true;
                    return PopupKey::Stay(Outcome::Message(format!(
                        "{}: {:?} is not saved · Esc again discards it, any other key keeps \
                         editing",
                        field.label(),
                        self.form.get_text(k)
                    )));
                }
                PopupKey::Close("Details not changed".to_owned())
            }
            FormEvent::Edited(field) => {
                self.check(field, doc);
                PopupKey::Stay(Outcome::Handled)
            }
            FormEvent::Submit => self.apply(doc),
            FormEvent::Ignored => PopupKey::Stay(Outcome::Ignored),
            FormEvent::Handled | FormEvent::Moved => PopupKey::Stay(Outcome::Handled),
        }
    }

    /// Apply every change as one undo step.
    fn apply(&mut self, doc: &mut Document) -> PopupKey {
        let Some(index) = doc.portfolio.alliance_index(&self.alliance_id) else {
            return PopupKey::Close(format!("{} is gone: details not saved", self.partner));
        };
        let a = &doc.portfolio.alliances[index];
        let details = match self.read(a) {
            Ok(d) => d,
            Err(e) => {
                let key = match e.field {
                    Detail::Partner => PARTNER,
                    Detail::Started => STARTED,
                    Detail::Notes => NOTES,
                    Detail::Codes => CODES,
                    Detail::Tags => TAGS,
                    Detail::Sources => SOURCES,
                };
                self.form.focus(key);
                return PopupKey::Stay(Outcome::Message(format!("{e} · fix it or Esc to discard")));
            }
        };
        let changed = details.changes(a);
        if changed.is_empty() {
            return PopupKey::Close("Details: nothing changed".to_owned());
        }
        let what = changed.join(", ");
        let label = format!("details of {}: {what}", details.partner);
        // Each apply is its own undo step: this edit path never merges with the one before.
        doc.edit_alliance_and_brand_revenue(index, label, |_, a| details.apply_to(a));
        let shared = match self.overlaps.len() {
            0 => String::new(),
            1 => " · ▲ 1 rule shared with another alliance".to_owned(),
            n => format!(" · ▲ {n} rules shared with other alliances"),
        };
        PopupKey::Close(format!(
            "Saved {what} of {} (u undoes){shared}",
            details.partner
        ))
    }

    /// What the footer offers while the popup is open.
    pub fn hints() -> Vec<(Action, &'static str)> {
        vec![
            (Action::NextTab, "next field"),
            (Action::Open, "apply"),
            (Action::Back, "cancel"),
        ]
    }

    /// The start date as typed, when it reads (for the note on age rules).
    fn started(&self) -> Option<NaiveDate> {
        crate::input::parse_date(&self.form.get_text(STARTED)).ok()
    }

    /// Draw the popup centred in `area`; reads the document, changes nothing.
    pub fn render(&self, area: Rect, buf: &mut Buffer, cx: &ViewCtx) {
        let theme = cx.theme;
        let mut notes: Vec<Line<'static>> = self
            .overlaps
            .iter()
            .map(|o| Line::styled(format!("▲ {o}"), theme.warn))
            .collect();
        if let Some(started) = self.started()
            && started > cx.doc.as_of
        {
            notes.push(Line::styled(
                format!("Starts after the as-of date {}", cx.doc.as_of),
                theme.muted,
            ));
        }
        notes.push(Line::styled(
            if self.share {
                "Share mode: notes and attribution rules are hidden and kept · Enter applies"
            } else {
                "Tab next field · Enter applies all (Ctrl-Enter in notes) · Esc cancels"
            },
            theme.muted,
        ));
        let width = 78.min(area.width);
        let inner = usize::from(width.saturating_sub(2)).max(1);
        let note_rows: usize = notes.iter().map(|l| l.width().div_ceil(inner).max(1)).sum();
        let note_h = u16::try_from(note_rows)
            .unwrap_or(u16::MAX)
            .saturating_add(2);
        let extra = if self.share { 0 } else { NOTES_EXTRA_ROWS + 1 };
        let form_h = u16::try_from(self.form.len())
            .unwrap_or(u16::MAX)
            .saturating_add(3 + extra);
        let rect = crate::ui::centered(area, width, form_h.saturating_add(note_h));
        Clear.render(rect, buf);
        let [form_area, note_area] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(note_h)]).areas(rect);
        self.form.render(form_area, buf, theme);
        Paragraph::new(notes)
            .wrap(Wrap { trim: false })
            .style(theme.base)
            .block(Block::bordered().border_style(theme.border))
            .render(note_area, buf);
    }
}
