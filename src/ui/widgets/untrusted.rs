//! The last line of defence for untrusted text on screen (SPEC §8): whatever a view drew, no
//! control character and no bidirectional control leaves the frame for the terminal.
//!
//! Views show user text through [`crate::sanitize::terminal_line`] where they can, which makes
//! a control visible as `\u{…}`. ratatui already drops C0/C1 controls from what it draws, but
//! a zero-width bidirectional override (U+202E) rides along on the cell before it and would
//! reorder the rest of the line — the tab bar, the table — on the terminal. This pass, run on
//! every finished frame, takes any such character out of every cell.

use ratatui::buffer::Buffer;

use crate::sanitize::is_unsafe;

/// Remove every control and bidirectional control from the cells of `buf`.
pub fn guard(buf: &mut Buffer) {
    for cell in &mut buf.content {
        let symbol = cell.symbol();
        if symbol.chars().any(is_unsafe) {
            let clean: String = symbol.chars().filter(|c| !is_unsafe(*c)).collect();
            cell.set_symbol(if clean.is_empty() { " " } else { &clean });
        }
    }
}

#[cfg(test)]
mod tests {
    use ratatui::layout::Rect;

    use super::*;

    #[test]
    fn bidi_overrides_and_escapes_never_stay_in_a_cell() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 10, 1));
        buf[(0, 0)].set_symbol("a\u{202e}");
        buf[(1, 0)].set_symbol("\u{1b}");
        buf[(2, 0)].set_symbol("b");
        guard(&mut buf);
        assert_eq!(buf[(0, 0)].symbol(), "a");
        assert_eq!(buf[(1, 0)].symbol(), " ");
        assert_eq!(buf[(2, 0)].symbol(), "b");
    }
}
