//! The Portfolio tab's *settings* popup (SPEC §6): the brand, its currency, a pinned as-of date
//! and the folder partner pages are published to. Text is read by [`crate::edit::settings`]; a
//! field that does not read keeps its text and message, and nothing reaches the model. Enter
//! applies every change as one undo step.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph, Widget, Wrap};

use crate::app::action::Action;
use crate::app::document::Document;
use crate::edit::settings::{self, Setting, Settings};
use crate::ui::form::{Form, FormEvent};
use crate::ui::tabs::{Outcome, ViewCtx};

const BRAND: &str = "brand";
const CURRENCY: &str = "currency";
const AS_OF: &str = "as_of";
const PUBLISH_TO: &str = "publish_to";

const FIELDS: [(&str, Setting); 4] = [
    (BRAND, Setting::Brand),
    (CURRENCY, Setting::Currency),
    (AS_OF, Setting::AsOf),
    (PUBLISH_TO, Setting::PublishTo),
];

/// A popup's answer to a key (the settings and details popups).
#[derive(Debug)]
pub enum PopupKey {
    /// Stay open; pass this outcome on.
    Stay(Outcome),
    /// Close, with a line for the status bar.
    Close(String),
}

/// The open popup.
#[derive(Debug)]
pub struct SettingsPopup {
    form: Form,
    /// Esc was pressed once with text that does not read: a second Esc discards it, any other
    /// key keeps editing (SPEC §6's "keep editing / discard this change").
    discard_asked: bool,
}

impl SettingsPopup {
    /// The popup filled from the file. Not in share mode: the settings are the whole
    /// portfolio's, not the shared alliance's.
    pub fn open(doc: &Document, share: bool) -> Result<Self, String> {
        if share {
            return Err("Portfolio settings are not shown in share mode (s ends it)".to_owned());
        }
        let now = Settings::of(&doc.portfolio);
        let as_of = now.as_of.map(|d| d.to_string()).unwrap_or_default();
        let form = Form::new("Portfolio settings")
            .text(BRAND, Setting::Brand.label(), &now.brand)
            .required(BRAND)
            .help(BRAND, "The brand's name, shown on every page and export")
            .text(CURRENCY, Setting::Currency.label(), &now.currency)
            .help(CURRENCY, "Three letters: USD, EUR, GBP… · empty: USD")
            .text(AS_OF, Setting::AsOf.label(), &as_of)
            .help(
                AS_OF,
                "YYYY-MM-DD pins the date the scores are computed for · empty: today",
            )
            .text(
                PUBLISH_TO,
                Setting::PublishTo.label(),
                now.publish_to.as_deref().unwrap_or_default(),
            )
            .help(
                PUBLISH_TO,
                "A folder the partner pages are published to on save · empty: none",
            );
        Ok(Self {
            form,
            discard_asked: false,
        })
    }

    /// Read the field `key` and put its message beside it (or clear it).
    fn check(&mut self, key: &'static str) {
        let text = self.form.get_text(key);
        let error = match key {
            BRAND => settings::parse_brand(&text).err(),
            CURRENCY => settings::parse_currency(&text).err(),
            AS_OF => settings::parse_as_of(&text).err(),
            PUBLISH_TO => settings::parse_publish_to(&text).err(),
            _ => None,
        };
        self.form.set_error(key, error.map(|e| e.message));
    }

    /// The first field whose text does not read, with its text.
    fn unreadable(&self) -> Option<(Setting, String)> {
        FIELDS
            .iter()
            .find(|(key, _)| self.form.message(key).is_some())
            .map(|(key, setting)| (*setting, self.form.get_text(key)))
    }

    /// Feed a key to the form; Enter applies, Esc closes (asking first when a field's text
    /// would be lost unread).
    pub fn on_key(&mut self, key: &KeyEvent, doc: &mut Document) -> PopupKey {
        let event = self.form.handle_key(key, doc.as_of);
        let asked = std::mem::take(&mut self.discard_asked);
        match event {
            FormEvent::Cancel => {
                if !asked && let Some((setting, text)) = self.unreadable() {
                    self.discard_asked = true;
                    return PopupKey::Stay(Outcome::Message(format!(
                        "{}: {text:?} is not saved · Esc again discards it, any other key keeps \
                         editing",
                        setting.label()
                    )));
                }
                PopupKey::Close("Settings not changed".to_owned())
            }
            FormEvent::Edited(field) => {
                self.check(field);
                PopupKey::Stay(Outcome::Handled)
            }
            FormEvent::Submit => self.apply(doc),
            FormEvent::Ignored => PopupKey::Stay(Outcome::Ignored),
            FormEvent::Handled | FormEvent::Moved => PopupKey::Stay(Outcome::Handled),
        }
    }

    /// Apply every change as one undo step.
    fn apply(&mut self, doc: &mut Document) -> PopupKey {
        for (key, _) in FIELDS {
            self.check(key);
        }
        let parsed = Settings::parse(
            &self.form.get_text(BRAND),
            &self.form.get_text(CURRENCY),
            &self.form.get_text(AS_OF),
            &self.form.get_text(PUBLISH_TO),
        );
        let wanted = match parsed {
            Ok(s) => s,
            Err(e) => {
                self.form
                    .focus(FIELDS[FIELDS.iter().position(|(_, s)| *s == e.field).unwrap_or(0)].0);
                return PopupKey::Stay(Outcome::Message(format!("{e} · fix it or Esc to discard")));
            }
        };
        let changed = wanted.changes(&doc.portfolio);
        if changed.is_empty() {
            return PopupKey::Close("Settings: nothing changed".to_owned());
        }
        let names: Vec<&str> = changed.iter().map(|s| s.label()).collect();
        let names = names.join(", ").to_lowercase();
        let mut next = doc.portfolio.clone();
        wanted.apply_to(&mut next);
        doc.replace_portfolio(next, format!("settings: {names}"));
        let as_of = match (
            changed.contains(&Setting::AsOf),
            doc.follows_pinned_as_of.is_some(),
        ) {
            (false, _) => String::new(),
            (true, true) => format!(" · scores now as of {}", doc.as_of),
            (true, false) => format!(" · this session still evaluates on --as-of {}", doc.as_of),
        };
        PopupKey::Close(format!("Saved {names} (u undoes){as_of}"))
    }

    /// What the footer offers while the popup is open.
    pub fn hints() -> Vec<(Action, &'static str)> {
        vec![
            (Action::NextTab, "next field"),
            (Action::Open, "apply"),
            (Action::Back, "cancel"),
        ]
    }

    /// Draw the popup centred in `area`; reads the document, changes nothing.
    pub fn render(&self, area: Rect, buf: &mut Buffer, cx: &ViewCtx) {
        let theme = cx.theme;
        let pinned = if cx.doc.follows_pinned_as_of.is_some() {
            format!("Scores are computed as of {}", cx.doc.as_of)
        } else {
            format!(
                "Scores are computed as of {} (--as-of, this session)",
                cx.doc.as_of
            )
        };
        let notes = vec![
            Line::styled(pinned, theme.muted),
            Line::styled(
                "Tab next field · Enter applies all (one undo step) · Esc cancels",
                theme.muted,
            ),
        ];
        let width = 78.min(area.width);
        let note_h = 4;
        let form_h = u16::try_from(self.form.len())
            .unwrap_or(u16::MAX)
            .saturating_add(3);
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
