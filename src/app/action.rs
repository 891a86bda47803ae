//! What a key means, independent of which key it is: the keymap turns keys into [`Action`]s.

use serde::{Deserialize, Serialize};

/// A user intent. Names (`snake_case`) are what `keys.ron` binds keys to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Tab1,
    Tab2,
    Tab3,
    Tab4,
    Tab5,
    NextTab,
    PrevTab,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Home,
    End,
    /// Open or edit the selected item.
    Open,
    /// Cancel, close, back.
    Back,
    Add,
    Delete,
    /// Move the selected entry of a list (a win condition, a contact) one place up.
    MoveUp,
    /// Move the selected entry of a list one place down.
    MoveDown,
    ToggleDone,
    Filter,
    /// Cycle a tab's quick filters (party, open, overdue…).
    CycleFilter,
    /// Switch between the current alliance and all alliances.
    ToggleAll,
    SortNext,
    SortReverse,
    ShareMode,
    CycleView,
    StartReview,
    /// Turn a pipeline intake into a proposed alliance.
    Promote,
    /// Write the tab's document (the one-page charter) next to the portfolio.
    WriteDoc,
    /// Enter a month's numbers for the current alliance: brand and alliance revenue, actuals.
    Numbers,
    /// The current alliance's escalation items: raise, resolve, delete.
    Escalations,
    /// Portfolio settings: brand, currency, pinned as-of date, publish folder.
    Settings,
    /// The current alliance's details: partner, type, status, start, notes, attribution rules.
    Details,
    /// Import revenue from a Shopify orders export (Portfolio).
    ImportRevenue,
    /// Publish the partner pages now.
    Publish,
    NextTheme,
    Undo,
    Redo,
    Save,
    /// Save to another file.
    SaveAs,
    Help,
    Quit,
}

impl Action {
    pub const ALL: [Self; 45] = [
        Self::Tab1,
        Self::Tab2,
        Self::Tab3,
        Self::Tab4,
        Self::Tab5,
        Self::NextTab,
        Self::PrevTab,
        Self::Up,
        Self::Down,
        Self::Left,
        Self::Right,
        Self::PageUp,
        Self::PageDown,
        Self::Home,
        Self::End,
        Self::Open,
        Self::Back,
        Self::Add,
        Self::Delete,
        Self::MoveUp,
        Self::MoveDown,
        Self::ToggleDone,
        Self::Filter,
        Self::CycleFilter,
        Self::ToggleAll,
        Self::SortNext,
        Self::SortReverse,
        Self::ShareMode,
        Self::CycleView,
        Self::StartReview,
        Self::Promote,
        Self::WriteDoc,
        Self::Numbers,
        Self::Escalations,
        Self::Settings,
        Self::Details,
        Self::ImportRevenue,
        Self::Publish,
        Self::NextTheme,
        Self::Undo,
        Self::Redo,
        Self::Save,
        Self::SaveAs,
        Self::Help,
        Self::Quit,
    ];

    /// The name used in `keys.ron`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Tab1 => "tab1",
            Self::Tab2 => "tab2",
            Self::Tab3 => "tab3",
            Self::Tab4 => "tab4",
            Self::Tab5 => "tab5",
            Self::NextTab => "next_tab",
            Self::PrevTab => "prev_tab",
            Self::Up => "up",
            Self::Down => "down",
            Self::Left => "left",
            Self::Right => "right",
            Self::PageUp => "page_up",
            Self::PageDown => "page_down",
            Self::Home => "home",
            Self::End => "end",
            Self::Open => "open",
            Self::Back => "back",
            Self::Add => "add",
            Self::Delete => "delete",
            Self::MoveUp => "move_up",
            Self::MoveDown => "move_down",
            Self::ToggleDone => "toggle_done",
            Self::Filter => "filter",
            Self::CycleFilter => "cycle_filter",
            Self::ToggleAll => "toggle_all",
            Self::SortNext => "sort_next",
            Self::SortReverse => "sort_reverse",
            Self::ShareMode => "share_mode",
            Self::CycleView => "cycle_view",
            Self::StartReview => "start_review",
            Self::Promote => "promote",
            Self::WriteDoc => "write_doc",
            Self::Numbers => "numbers",
            Self::Escalations => "escalations",
            Self::Settings => "settings",
            Self::Details => "details",
            Self::ImportRevenue => "import_revenue",
            Self::Publish => "publish",
            Self::NextTheme => "next_theme",
            Self::Undo => "undo",
            Self::Redo => "redo",
            Self::Save => "save",
            Self::SaveAs => "save_as",
            Self::Help => "help",
            Self::Quit => "quit",
        }
    }

    /// What the action does, for help and the footer.
    pub fn description(self) -> &'static str {
        match self {
            Self::Tab1 => "Portfolio tab",
            Self::Tab2 => "Charter tab",
            Self::Tab3 => "Commitments tab",
            Self::Tab4 => "Reviews tab",
            Self::Tab5 => "Pipeline tab",
            Self::NextTab => "next tab",
            Self::PrevTab => "previous tab",
            Self::Up => "move up",
            Self::Down => "move down",
            Self::Left => "previous step / value",
            Self::Right => "next step / value",
            Self::PageUp => "page up",
            Self::PageDown => "page down",
            Self::Home => "first",
            Self::End => "last",
            Self::Open => "open / edit",
            Self::Back => "cancel / back",
            Self::Add => "add",
            Self::Delete => "delete (asks first)",
            Self::MoveUp => "move the entry up (reorder)",
            Self::MoveDown => "move the entry down (reorder)",
            Self::ToggleDone => "mark done / not done",
            Self::Filter => "filter",
            Self::CycleFilter => "cycle quick filter",
            Self::ToggleAll => "this alliance / all",
            Self::SortNext => "sort by next column",
            Self::SortReverse => "reverse sort",
            Self::ShareMode => "share mode on/off",
            Self::CycleView => "cycle views",
            Self::StartReview => "start a review",
            Self::Promote => "promote an intake to an alliance",
            Self::WriteDoc => "write the document (.md)",
            Self::Numbers => "enter a month's revenue and actuals (Portfolio)",
            Self::Escalations => "escalations: raise, resolve, delete (Portfolio)",
            Self::Settings => "portfolio settings: brand, currency, as-of date",
            Self::Details => "alliance details: start date, notes, rules",
            Self::ImportRevenue => "import revenue from an export (Portfolio)",
            Self::Publish => "publish the partner pages now",
            Self::NextTheme => "next theme",
            Self::Undo => "undo",
            Self::Redo => "redo",
            Self::Save => "save",
            Self::SaveAs => "save to another file",
            Self::Help => "help",
            Self::Quit => "quit",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.name() == name)
    }
}
