//! The `/` text filter of a table: typed while editing, kept after Enter, cleared by Esc.

use crossterm::event::{KeyCode, KeyEvent};

use super::line_edit::{LineEdit, LineEvent};

#[derive(Clone, Debug, Default)]
pub struct TextFilter {
    line: LineEdit,
    editing: bool,
}

impl TextFilter {
    /// Start typing into the filter.
    pub fn start(&mut self) {
        self.editing = true;
    }

    pub fn is_editing(&self) -> bool {
        self.editing
    }

    pub fn text(&self) -> &str {
        self.line.text()
    }

    pub fn is_empty(&self) -> bool {
        self.line.is_empty()
    }

    pub fn clear(&mut self) {
        self.line.set("");
        self.editing = false;
    }

    /// What rows are matched against (case-insensitive).
    pub fn needle(&self) -> String {
        self.line.text().to_lowercase()
    }

    /// A key while editing: Enter keeps the filter, Esc clears it; the rest is the line
    /// editor's (cursor, Home/End, word keys). Returns whether the key was the filter's.
    pub fn on_key(&mut self, key: &KeyEvent) -> bool {
        match key.code {
            KeyCode::Enter => self.editing = false,
            KeyCode::Esc => self.clear(),
            _ => return self.line.on_key(key) != LineEvent::Ignored,
        }
        true
    }

    /// The filter as a title shows it, with a cursor while editing; `None` when there is none.
    pub fn shown(&self) -> Option<String> {
        if self.editing {
            Some(self.line.with_cursor())
        } else {
            (!self.line.is_empty()).then(|| self.line.text().to_owned())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_keeping_and_clearing() {
        let mut f = TextFilter::default();
        assert_eq!(f.shown(), None);
        f.start();
        for c in "Hår".chars() {
            assert!(f.on_key(&KeyEvent::from(KeyCode::Char(c))));
        }
        assert_eq!(f.shown().as_deref(), Some("Hår▏"));
        assert_eq!(f.needle(), "hår");
        f.on_key(&KeyEvent::from(KeyCode::Backspace));
        f.on_key(&KeyEvent::from(KeyCode::Enter));
        assert_eq!(f.shown().as_deref(), Some("Hå"));
        assert!(!f.is_editing());
        assert!(!f.on_key(&KeyEvent::from(KeyCode::Up)));
        f.start();
        f.on_key(&KeyEvent::from(KeyCode::Esc));
        assert!(f.is_empty() && !f.is_editing());
    }
}
