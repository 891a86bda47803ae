//! The Portfolio tab's record editors, one open at a time: portfolio settings ([`settings`]) and
//! the current alliance's details ([`details`]). Kept behind one type so the tab routes to
//! either the same way.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::details::DetailsPopup;
use super::settings::{PopupKey, SettingsPopup};
use crate::app::action::Action;
use crate::app::document::Document;
use crate::ui::tabs::{Outcome, ViewCtx};

/// An open record editor.
#[derive(Debug)]
pub enum EditPopup {
    Settings(SettingsPopup),
    Details(Box<DetailsPopup>),
}

impl EditPopup {
    /// The editor `action` opens (`Settings` or `Details`), or why it cannot open.
    pub fn open(action: Action, doc: &Document, share: bool) -> Option<Result<Self, String>> {
        match action {
            Action::Settings => Some(SettingsPopup::open(doc, share).map(Self::Settings)),
            Action::Details => {
                Some(DetailsPopup::open(doc, share).map(|p| Self::Details(Box::new(p))))
            }
            _ => None,
        }
    }

    /// Feed a key; `Err(message)` closes the editor with a line for the status bar.
    pub fn on_key(&mut self, key: &KeyEvent, doc: &mut Document) -> Result<Outcome, String> {
        let answer = match self {
            Self::Settings(p) => p.on_key(key, doc),
            Self::Details(p) => p.on_key(key, doc),
        };
        match answer {
            PopupKey::Stay(outcome) => Ok(outcome),
            PopupKey::Close(message) => Err(message),
        }
    }

    /// What the footer offers while the editor is open.
    pub fn hints(&self) -> Vec<(Action, &'static str)> {
        match self {
            Self::Settings(_) => SettingsPopup::hints(),
            Self::Details(_) => DetailsPopup::hints(),
        }
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, cx: &ViewCtx) {
        match self {
            Self::Settings(p) => p.render(area, buf, cx),
            Self::Details(p) => p.render(area, buf, cx),
        }
    }
}

#[cfg(test)]
mod tests;
