//! The `/` text filter of a table: typed while editing, kept after Enter, cleared by Esc.

use crossterm::event::{KeyCode, KeyEvent};

#[derive(Clone, Debug, Default)]
pub struct TextFilter {
    text: String,
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
        &self.text
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    pub fn clear(&mut self) {
        self.text.clear();
        self.editing = false;
    }

    /// What rows are matched against (case-insensitive).
    pub fn needle(&self) -> String {
        self.text.to_lowercase()
    }

    /// A key while editing: Enter keeps the filter, Esc clears it, Backspace deletes, any
    /// printable character is typed. Returns whether the key was the filter's.
    pub fn on_key(&mut self, key: &KeyEvent) -> bool {
        match key.code {
            KeyCode::Enter => self.editing = false,
            KeyCode::Esc => self.clear(),
            KeyCode::Backspace => {
                self.text.pop();
            }
            KeyCode::Char(c) => self.text.push(c),
            _ => return false,
        }
        true
    }

    /// The filter as a title shows it, with a cursor while editing; `None` when there is none.
    pub fn shown(&self) -> Option<String> {
        if self.editing {
            Some(format!("{}▏", self.text))
        } else {
            (!self.text.is_empty()).then(|| self.text.clone())
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
