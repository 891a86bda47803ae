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

/// The tab registry: one line per tab — its variant, its field in [`Views`], its view type
/// and its title — in the order of the tab bar. A new tab is its file under `ui/tabs/` and one
/// line here.
macro_rules! registry {
    ($($variant:ident $field:ident: $view:ty = $title:literal;)*) => {
        /// The tabs, in order.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Tab {
            $($variant,)*
        }

        impl Tab {
            pub const ALL: [Self; { [$($title),*].len() }] = [$(Self::$variant),*];

            pub fn title(self) -> &'static str {
                match self {
                    $(Self::$variant => $title,)*
                }
            }
        }

        /// Every tab's view: its state, keys and drawing.
        #[derive(Default)]
        pub struct Views {
            $(pub $field: $view,)*
        }

        impl Views {
            /// The view of `tab`.
            pub fn get(&self, tab: Tab) -> &dyn TabView {
                match tab {
                    $(Tab::$variant => &self.$field,)*
                }
            }

            /// The view of `tab`, to change.
            pub fn get_mut(&mut self, tab: Tab) -> &mut dyn TabView {
                match tab {
                    $(Tab::$variant => &mut self.$field,)*
                }
            }
        }
    };
}

registry! {
    Portfolio portfolio: portfolio::PortfolioTab = "Portfolio";
    Charter charter: charter::CharterTab = "Charter";
    Commitments commitments: commitments::CommitmentsTab = "Commitments";
    Reviews reviews: reviews::ReviewsTab = "Reviews";
    Pipeline pipeline: pipeline::PipelineTab = "Pipeline";
}

impl Tab {
    pub fn index(self) -> usize {
        Self::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }

    pub fn from_index(i: usize) -> Self {
        Self::ALL[i % Self::ALL.len()]
    }

    /// The tab after this one, wrapping round.
    #[must_use]
    pub fn next(self) -> Self {
        Self::from_index(self.index() + 1)
    }

    /// The tab before this one, wrapping round.
    #[must_use]
    pub fn prev(self) -> Self {
        Self::from_index(self.index() + Self::ALL.len() - 1)
    }
}

/// What a view may bring up to date with after an event.
pub struct SyncCx<'a> {
    pub doc: &'a Document,
    pub share: bool,
    pub clock: &'a Clock,
    /// This view's tab is the one showing.
    pub active: bool,
}

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
    /// Bring cached lists and forms up to date with the document (cheap when nothing changed).
    fn sync_view(&mut self, _cx: &SyncCx) {}

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

    /// The keys that matter here, for the footer and the tab's section of help.
    fn hints(&self) -> Vec<(Action, &'static str)>;

    /// The tab's keys for the footer: its [`TabView::hints`] unless the tab draws its own key
    /// line, so the same keys are never shown twice.
    fn footer_hints(&self) -> Vec<(Action, &'static str)> {
        self.hints()
    }

    /// A timer is on screen, so the shell redraws every second.
    fn ticking(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::document::Source;
    use crate::ui::snapshot;

    #[test]
    fn a_tab_runs_on_a_document_without_the_app_or_a_terminal() {
        let loaded = crate::store::parse(crate::sample::NORTHWIND, "sample").unwrap();
        let as_of = loaded.portfolio.as_of.unwrap();
        let mut doc = Document::new(loaded.portfolio, as_of, Source::Demo);
        let (keymap, clock, theme) = (Keymap::default(), Clock::manual(), Theme::default());
        let mut tab = portfolio::PortfolioTab::default();
        let sync = |tab: &mut portfolio::PortfolioTab, doc: &Document| {
            tab.sync_view(&SyncCx {
                doc,
                share: false,
                clock: &clock,
                active: true,
            });
        };
        sync(&mut tab, &doc);
        let before = doc.current;
        let mut cx = Cx {
            doc: &mut doc,
            share: false,
            clock: &clock,
            keymap: &keymap,
        };
        assert_ne!(tab.on_action(Action::Down, &mut cx), Outcome::Ignored);
        assert_ne!(doc.current, before, "Down selects the next alliance");
        sync(&mut tab, &doc);
        let area = Rect::new(0, 0, 100, 30);
        let mut buf = Buffer::empty(area);
        let view = ViewCtx {
            doc: &doc,
            theme: &theme,
            keymap: &keymap,
            share: false,
            clock: &clock,
        };
        tab.render(area, &mut buf, &view);
        let partner = &doc.portfolio.alliances[doc.current].partner;
        assert!(snapshot::text(&buf).contains(partner.as_str()));
    }
}
