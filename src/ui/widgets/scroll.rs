//! Selection and scrolling for long tables that only draw the rows that fit.
//!
//! The selection is state; the first visible row and the page size are render-side geometry
//! (like ratatui's `TableState`), remembered in cells so a frame can keep the selection in
//! view and PgUp/PgDn know how far a page is.

use std::cell::Cell;

use ratatui::layout::Rect;

use crate::app::action::Action;

#[derive(Debug, Default)]
pub struct Scroll {
    selected: usize,
    offset: Cell<usize>,
    page: Cell<usize>,
}

impl Scroll {
    /// Position of the selected row.
    pub fn selected(&self) -> usize {
        self.selected
    }

    /// Select `position`, clamped to a list of `len` rows; `None` when the list is empty.
    pub fn select(&mut self, position: usize, len: usize) -> Option<usize> {
        if len == 0 {
            self.selected = 0;
            return None;
        }
        self.selected = position.min(len - 1);
        Some(self.selected)
    }

    /// Where a movement action takes the selection; `None` for actions that do not move.
    pub fn target(&self, action: Action) -> Option<usize> {
        let page = self.page.get().max(1);
        Some(match action {
            Action::Up => self.selected.saturating_sub(1),
            Action::Down => self.selected + 1,
            Action::PageUp => self.selected.saturating_sub(page),
            Action::PageDown => self.selected + page,
            Action::Home => 0,
            Action::End => usize::MAX,
            _ => return None,
        })
    }

    /// For a frame showing `visible` rows of `len`: the first row to draw, moved just enough
    /// to keep the selection on screen.
    pub fn window(&self, visible: usize, len: usize) -> usize {
        self.page.set(visible);
        // The list may have shrunk since the selection was made (undo, reload, a filter).
        let selected = self.selected.min(len.saturating_sub(1));
        // Never leave blank rows at the bottom while earlier rows are hidden.
        let mut offset = self.offset.get().min(len.saturating_sub(visible));
        if selected < offset {
            offset = selected;
        } else if visible > 0 && selected >= offset + visible {
            offset = selected + 1 - visible;
        }
        self.offset.set(offset);
        offset
    }

    /// The row under screen row `y` of a bordered table with a header drawn in `area`.
    pub fn row_at(&self, area: Rect, y: u16, len: usize) -> Option<usize> {
        // Row 0 is the border, row 1 the column header.
        let first = area.y + 2;
        let pos = self.offset.get() + usize::from(y.checked_sub(first)?);
        (y < area.bottom().saturating_sub(1) && pos < len).then_some(pos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_clamp_and_pages_follow_the_last_frame() {
        let mut s = Scroll::default();
        assert_eq!(s.select(5, 0), None);
        assert_eq!(s.window(10, 100), 0);
        assert_eq!(s.target(Action::PageDown), Some(10));
        assert_eq!(s.select(usize::MAX, 100), Some(99));
        assert_eq!(
            s.window(10, 100),
            90,
            "the window follows the selection down"
        );
        s.select(3, 100);
        assert_eq!(s.window(10, 100), 3, "and back up");
        assert_eq!(s.target(Action::Up), Some(2));
        assert_eq!(s.target(Action::Open), None);
    }

    #[test]
    fn a_shrunk_list_shows_its_last_rows_not_blank_space() {
        let mut s = Scroll::default();
        s.select(99, 100);
        assert_eq!(s.window(10, 100), 90);
        // The list shrank to 12 rows without a new selection: show rows 2–11, not 11 alone.
        assert_eq!(s.window(10, 12), 2);
        // A taller screen shows everything from the top.
        assert_eq!(s.window(20, 12), 0);
    }

    #[test]
    fn clicks_map_to_rows_below_the_header() {
        let s = Scroll::default();
        let area = Rect::new(0, 2, 80, 10);
        assert_eq!(s.row_at(area, 3, 5), None, "the header");
        assert_eq!(s.row_at(area, 4, 5), Some(0));
        assert_eq!(s.row_at(area, 8, 5), Some(4));
        assert_eq!(s.row_at(area, 9, 5), None, "past the last row");
        assert_eq!(s.row_at(area, 11, 50), None, "the bottom border");
    }
}
