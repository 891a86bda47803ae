//! The five tabs. Each tab file owns its state, how it answers keys and actions, and how it
//! draws itself: a tab's state and its view change together, so they live side by side, while
//! the model edits go through [`Document`] and effects back to the main loop.

pub mod charter;
pub mod commitments;
pub mod pipeline;
pub mod portfolio;
pub mod reviews;

use crossterm::event::{KeyEvent, MouseEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::app::Effect;
use crate::app::action::Action;
use crate::app::clock::Clock;
use crate::app::document::Document;
use crate::app::keymap::Keymap;
use crate::ui::theme::Theme;

pub use crate::app::tab::Tab;

/// Read-only context for drawing.
pub struct ViewCtx<'a> {
    pub doc: &'a Document,
    pub theme: &'a Theme,
    pub keymap: &'a Keymap,
    /// Share mode: show only the current alliance and no internal notes.
    pub share: bool,
    pub clock: &'a Clock,
}

/// Mutable context for handling input.
pub struct Cx<'a> {
    pub doc: &'a mut Document,
    pub share: bool,
    pub clock: &'a Clock,
    /// The live keys, for popups that read raw keys but honour the user's bindings.
    pub keymap: &'a Keymap,
}

/// A question the shell asks on a tab's behalf; the answer comes back via `on_confirm`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Confirm {
    pub prompt: String,
    /// Tab-private meaning of a "yes".
    pub token: u32,
}

/// What a tab did with an input.
#[derive(Debug, PartialEq)]
pub enum Outcome {
    /// Not for this tab: the shell handles it (global keys).
    Ignored,
    Handled,
    /// Handled, with a line for the status bar.
    Message(String),
    Confirm(Confirm),
    /// Show another tab (e.g. "recommit" opens the charter).
    SwitchTab(Tab),
    Effect(Effect),
}

/// The status line after a table's sort changed.
pub fn sorted(column: &str, descending: bool) -> Outcome {
    let direction = if descending {
        "descending"
    } else {
        "ascending"
    };
    Outcome::Message(format!("Sorted by {column} ({direction})"))
}

/// One tab of the workspace.
pub trait TabView {
    /// True while a text field has focus: every key goes to [`TabView::on_key`] first.
    fn captures_input(&self) -> bool {
        false
    }

    /// A raw key while [`TabView::captures_input`] holds.
    fn on_key(&mut self, _key: &KeyEvent, _cx: &mut Cx) -> Outcome {
        Outcome::Ignored
    }

    /// A keymap action; return `Ignored` to let the shell handle it.
    fn on_action(&mut self, action: Action, cx: &mut Cx) -> Outcome;

    /// The user answered yes to a [`Confirm`].
    fn on_confirm(&mut self, _token: u32, _cx: &mut Cx) -> Outcome {
        Outcome::Handled
    }

    /// A mouse event inside the tab's `area`.
    fn on_mouse(&mut self, _event: &MouseEvent, _area: Rect, _cx: &mut Cx) -> Outcome {
        Outcome::Ignored
    }

    fn render(&self, area: Rect, buf: &mut Buffer, cx: &ViewCtx);

    /// The keys that matter here, for the footer.
    fn hints(&self) -> Vec<(Action, &'static str)>;

    /// A timer is on screen, so the shell redraws every second.
    fn ticking(&self) -> bool {
        false
    }
}
