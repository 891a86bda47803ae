//! The one single-line editor: form fields, the `/` filters and the path prompt all type
//! through it, so each has a cursor, paste, Home/End and the word keys (Ctrl-w deletes the word
//! before the cursor, Alt-b / Alt-f move a word back / forward, Ctrl-u clears).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key did to the line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineEvent {
    /// The text changed.
    Edited,
    /// The key was the editor's but the text stayed (a cursor move, Backspace at the start).
    Handled,
    /// Not an editing key: the caller may use it.
    Ignored,
}

/// A single-line text buffer with a cursor counted in characters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineEdit {
    pub(crate) text: String,
    /// Cursor position in characters (not bytes), 0..=len.
    pub(crate) cursor: usize,
}

impl LineEdit {
    /// A line holding `text`, the cursor at its end.
    pub fn new(text: &str) -> Self {
        Self {
            text: text.to_owned(),
            cursor: text.chars().count(),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    fn byte_at(&self, char_index: usize) -> usize {
        self.text
            .char_indices()
            .nth(char_index)
            .map_or(self.text.len(), |(b, _)| b)
    }

    /// Length in characters.
    pub fn len(&self) -> usize {
        self.text.chars().count()
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Type `c` at the cursor.
    pub fn insert(&mut self, c: char) {
        let at = self.byte_at(self.cursor);
        self.text.insert(at, c);
        self.cursor += 1;
    }

    /// Paste `text` at the cursor; line breaks become spaces (the line has one line).
    pub fn insert_str(&mut self, text: &str) {
        for c in text.chars().filter(|c| *c != '\r') {
            self.insert(if c == '\n' { ' ' } else { c });
        }
    }

    /// Delete the character before the cursor; whether there was one.
    pub fn backspace(&mut self) -> bool {
        if self.cursor == 0 {
            return false;
        }
        self.cursor -= 1;
        let at = self.byte_at(self.cursor);
        self.text.remove(at);
        true
    }

    /// Delete the character under the cursor; whether there was one.
    pub fn delete(&mut self) -> bool {
        if self.cursor >= self.len() {
            return false;
        }
        let at = self.byte_at(self.cursor);
        self.text.remove(at);
        true
    }

    /// The text with a bar where the cursor is, as a prompt shows it.
    pub fn with_cursor(&self) -> String {
        let at = self.byte_at(self.cursor);
        format!("{}▏{}", &self.text[..at], &self.text[at..])
    }

    /// Replace the text, the cursor at its end.
    pub fn set(&mut self, text: &str) {
        text.clone_into(&mut self.text);
        self.cursor = self.len();
    }

    /// The start of the word before the cursor (spaces before it skipped).
    fn word_back(&self) -> usize {
        let chars: Vec<char> = self.text.chars().collect();
        let mut i = self.cursor;
        while i > 0 && chars[i - 1].is_whitespace() {
            i -= 1;
        }
        while i > 0 && !chars[i - 1].is_whitespace() {
            i -= 1;
        }
        i
    }

    /// The end of the word after the cursor (spaces before it skipped).
    fn word_forward(&self) -> usize {
        let chars: Vec<char> = self.text.chars().collect();
        let mut i = self.cursor;
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        while i < chars.len() && !chars[i].is_whitespace() {
            i += 1;
        }
        i
    }

    /// Delete the word before the cursor; whether anything was deleted.
    pub fn delete_word_back(&mut self) -> bool {
        let from = self.word_back();
        if from == self.cursor {
            return false;
        }
        let (a, b) = (self.byte_at(from), self.byte_at(self.cursor));
        self.text.replace_range(a..b, "");
        self.cursor = from;
        true
    }

    /// Feed one key. Other Ctrl or Alt letters are left to the caller (they may be actions).
    pub fn on_key(&mut self, key: &KeyEvent) -> LineEvent {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        let edited = |changed: bool| {
            if changed {
                LineEvent::Edited
            } else {
                LineEvent::Handled
            }
        };
        match key.code {
            KeyCode::Left => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Right => self.cursor = (self.cursor + 1).min(self.len()),
            KeyCode::Home => self.cursor = 0,
            KeyCode::End => self.cursor = self.len(),
            KeyCode::Backspace => return edited(self.backspace()),
            KeyCode::Delete => return edited(self.delete()),
            KeyCode::Char('u') if ctrl && !alt => {
                let changed = !self.text.is_empty();
                self.set("");
                return edited(changed);
            }
            KeyCode::Char('w') if ctrl && !alt => return edited(self.delete_word_back()),
            KeyCode::Char('b') if alt && !ctrl => self.cursor = self.word_back(),
            KeyCode::Char('f') if alt && !ctrl => self.cursor = self.word_forward(),
            KeyCode::Char(_) if ctrl != alt => return LineEvent::Ignored,
            KeyCode::Char(c) => {
                self.insert(c);
                return LineEvent::Edited;
            }
            _ => return LineEvent::Ignored,
        }
        LineEvent::Handled
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(line: &mut LineEdit, code: KeyCode, modifiers: KeyModifiers) -> LineEvent {
        line.on_key(&KeyEvent::new(code, modifiers))
    }

    #[test]
    fn word_keys_move_and_delete_whole_words() {
        let mut line = LineEdit::new("send the  assets");
        assert_eq!(
            press(&mut line, KeyCode::Char('b'), KeyModifiers::ALT),
            LineEvent::Handled
        );
        assert_eq!(line.cursor(), 10);
        press(&mut line, KeyCode::Char('b'), KeyModifiers::ALT);
        assert_eq!(line.cursor(), 5);
        press(&mut line, KeyCode::Char('f'), KeyModifiers::ALT);
        assert_eq!(line.cursor(), 8);
        assert_eq!(
            press(&mut line, KeyCode::Char('w'), KeyModifiers::CONTROL),
            LineEvent::Edited
        );
        assert_eq!(line.text(), "send   assets");
        assert_eq!(line.cursor(), 5);
        press(&mut line, KeyCode::Home, KeyModifiers::NONE);
        assert_eq!(
            press(&mut line, KeyCode::Char('w'), KeyModifiers::CONTROL),
            LineEvent::Handled
        );
        press(&mut line, KeyCode::End, KeyModifiers::NONE);
        assert_eq!(line.cursor(), line.len());
    }

    #[test]
    fn typing_pasting_and_other_chords() {
        let mut line = LineEdit::default();
        line.insert_str("Hår\r\nx");
        assert_eq!(line.text(), "Hår x");
        press(&mut line, KeyCode::Left, KeyModifiers::NONE);
        press(&mut line, KeyCode::Char('!'), KeyModifiers::NONE);
        assert_eq!(line.text(), "Hår !x");
        assert_eq!(
            press(&mut line, KeyCode::Char('s'), KeyModifiers::CONTROL),
            LineEvent::Ignored,
            "Ctrl-s is the caller's (save)"
        );
        press(&mut line, KeyCode::Char('u'), KeyModifiers::CONTROL);
        assert!(line.is_empty());
    }
}
