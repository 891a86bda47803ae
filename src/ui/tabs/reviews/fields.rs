//! The wizards' input fields: yes/no, a score on a scale, a choice, a one-line entry and
//! multi-line notes (the textarea widget).
//!
//! A small local set while the shared form engine is being written; each field takes the keys
//! meant for it and the wizard keeps focus, steps and timers.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget};
use ratatui_textarea::TextArea;

use crate::ui::theme::Theme;

/// What a field holds.
#[derive(Clone, Debug)]
pub enum Value {
    YesNo(bool),
    /// A score on `min..=max`; `None` until entered.
    Score {
        min: u8,
        max: u8,
        value: Option<u8>,
    },
    Choice {
        options: &'static [&'static str],
        selected: usize,
    },
    /// One line of text (a date, a number, a name).
    Line(String),
    /// Multi-line notes.
    Notes(Box<TextArea<'static>>),
}

/// A labelled field with one line of guidance.
#[derive(Clone, Debug)]
pub struct Field {
    pub label: String,
    pub hint: String,
    pub value: Value,
}

impl Field {
    pub fn yes_no(label: &str, hint: &str, value: bool) -> Self {
        Self::new(label, hint, Value::YesNo(value))
    }

    pub fn score(label: &str, hint: &str, min: u8, max: u8, value: Option<u8>) -> Self {
        Self::new(label, hint, Value::Score { min, max, value })
    }

    pub fn choice(
        label: &str,
        hint: &str,
        options: &'static [&'static str],
        selected: usize,
    ) -> Self {
        Self::new(label, hint, Value::Choice { options, selected })
    }

    pub fn line(label: &str, hint: &str, value: &str) -> Self {
        Self::new(label, hint, Value::Line(value.to_owned()))
    }

    pub fn notes(label: &str, hint: &str, value: &str) -> Self {
        let lines = if value.is_empty() {
            vec![String::new()]
        } else {
            value.lines().map(str::to_owned).collect()
        };
        let mut area = TextArea::new(lines);
        area.move_cursor(ratatui_textarea::CursorMove::Bottom);
        area.move_cursor(ratatui_textarea::CursorMove::End);
        Self::new(label, hint, Value::Notes(Box::new(area)))
    }

    fn new(label: &str, hint: &str, value: Value) -> Self {
        Self {
            label: label.to_owned(),
            hint: hint.to_owned(),
            value,
        }
    }

    /// Whether Enter belongs to the field (a new line) rather than the wizard.
    pub fn is_multiline(&self) -> bool {
        matches!(self.value, Value::Notes(_))
    }

    pub fn yes(&self) -> bool {
        matches!(self.value, Value::YesNo(true))
    }

    pub fn score_value(&self) -> Option<u8> {
        match self.value {
            Value::Score { value, .. } => value,
            _ => None,
        }
    }

    pub fn selected(&self) -> usize {
        match self.value {
            Value::Choice { selected, .. } => selected,
            _ => 0,
        }
    }

    /// The text of a line or notes field (lines joined with `\n`, trimmed at the end).
    pub fn text(&self) -> String {
        match &self.value {
            Value::Line(s) => s.trim().to_owned(),
            Value::Notes(area) => area.lines().join("\n").trim_end().to_owned(),
            _ => String::new(),
        }
    }

    pub fn set_text(&mut self, text: &str) {
        match &mut self.value {
            Value::Line(s) => text.clone_into(s),
            Value::Notes(_) => *self = Self::notes(&self.label, &self.hint, text),
            _ => {}
        }
    }

    /// Give a key to the field; `true` when it used it.
    pub fn handle_key(&mut self, key: &KeyEvent) -> bool {
        if key.modifiers.contains(KeyModifiers::CONTROL) && !self.is_multiline() {
            return false;
        }
        match &mut self.value {
            Value::YesNo(v) => match key.code {
                KeyCode::Char('y' | 'Y') => *v = true,
                KeyCode::Char('n' | 'N') => *v = false,
                KeyCode::Char(' ') | KeyCode::Left | KeyCode::Right => *v = !*v,
                _ => return false,
            },
            Value::Score { min, max, value } => match key.code {
                KeyCode::Char(c) if c.is_ascii_digit() => {
                    let d = c.to_digit(10).unwrap_or(0) as u8;
                    // "1" then "0" makes 10 on a 1–10 scale; a lone "0" means 10 too.
                    *value = match (*value, d) {
                        (Some(1) | _, 0) if *max >= 10 => Some(10),
                        (_, d) if (*min..=*max).contains(&d) => Some(d),
                        (v, _) => v,
                    };
                }
                KeyCode::Left | KeyCode::Char('-') => {
                    *value = Some(value.map_or(*min, |v| v.saturating_sub(1).max(*min)));
                }
                KeyCode::Right | KeyCode::Char('+' | '=') => {
                    *value = Some(value.map_or(*min, |v| (v + 1).min(*max)));
                }
                KeyCode::Backspace | KeyCode::Delete => *value = None,
                _ => return false,
            },
            Value::Choice { options, selected } => {
                let n = options.len();
                match key.code {
                    KeyCode::Left => *selected = (*selected + n - 1) % n,
                    KeyCode::Right | KeyCode::Char(' ') => *selected = (*selected + 1) % n,
                    KeyCode::Char(c) => {
                        // The first letter picks an option (e for Expand, x for Exit…).
                        let Some(i) = options
                            .iter()
                            .position(|o| o.to_lowercase().starts_with(c.to_ascii_lowercase()))
                        else {
                            return false;
                        };
                        *selected = i;
                    }
                    _ => return false,
                }
            }
            Value::Line(s) => match key.code {
                KeyCode::Char(c) => s.push(c),
                KeyCode::Backspace => {
                    s.pop();
                }
                _ => return false,
            },
            Value::Notes(area) => {
                if matches!(
                    key.code,
                    KeyCode::Tab
                        | KeyCode::BackTab
                        | KeyCode::Esc
                        | KeyCode::PageDown
                        | KeyCode::PageUp
                ) {
                    return false;
                }
                area.input(*key);
            }
        }
        true
    }

    /// Rows the field needs: label and value on one line, notes in a box.
    pub fn height(&self, notes_rows: u16) -> u16 {
        if self.is_multiline() {
            notes_rows + 2
        } else {
            1
        }
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, focused: bool) {
        let label_style = if focused { theme.selected } else { theme.base };
        let marker = if focused { "▶ " } else { "  " };
        match &self.value {
            Value::Notes(text) => {
                let mut text = (**text).clone();
                let title = Line::from(vec![
                    Span::styled(format!("{marker}{}", self.label), label_style),
                    Span::styled(format!(" — {}", self.hint), theme.muted),
                ]);
                text.set_block(Block::bordered().title(title).border_style(if focused {
                    theme.border_focus
                } else {
                    theme.border
                }));
                text.set_style(theme.input);
                text.set_cursor_line_style(theme.input);
                if !focused {
                    text.set_cursor_style(theme.input);
                }
                text.render(area, buf);
            }
            value => {
                let shown = match value {
                    Value::YesNo(v) => {
                        if *v {
                            "[x] yes".to_owned()
                        } else {
                            "[ ] no".to_owned()
                        }
                    }
                    Value::Score { min, max, value } => format!(
                        "{} ({min}–{max})",
                        value.map_or_else(|| "—".to_owned(), |v| v.to_string())
                    ),
                    Value::Choice { options, selected } => options
                        .iter()
                        .enumerate()
                        .map(|(i, o)| {
                            if i == *selected {
                                format!("[{o}]")
                            } else {
                                format!(" {o} ")
                            }
                        })
                        .collect::<String>(),
                    Value::Line(s) => {
                        if focused {
                            format!("{s}▏")
                        } else {
                            s.clone()
                        }
                    }
                    Value::Notes(_) => String::new(),
                };
                let line = Line::from(vec![
                    Span::styled(format!("{marker}{}: ", self.label), label_style),
                    Span::styled(shown, theme.input),
                    Span::styled(format!("  {}", self.hint), theme.muted),
                ]);
                Paragraph::new(line).render(area, buf);
            }
        }
    }
}

/// Draw `fields` top-down in `area`, scrolled so that the focused one shows; notes boxes share
/// the rows left over.
pub fn render_fields(fields: &[Field], focus: usize, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let singles = fields.iter().filter(|f| !f.is_multiline()).count() as u16;
    let boxes = fields.iter().filter(|f| f.is_multiline()).count() as u16;
    let notes_rows = area
        .height
        .saturating_sub(singles)
        .checked_div(boxes)
        .map_or(0, |rows| rows.saturating_sub(2).clamp(1, 8));
    // Skip fields from the top until the focused one fits.
    let mut first = 0;
    loop {
        let used: u16 = fields[first..=focus.min(fields.len().saturating_sub(1))]
            .iter()
            .map(|f| f.height(notes_rows))
            .sum();
        if used <= area.height || first >= focus {
            break;
        }
        first += 1;
    }
    let mut y = area.y;
    for (i, field) in fields.iter().enumerate().skip(first) {
        let h = field.height(notes_rows);
        if y + h > area.bottom() {
            break;
        }
        field.render(Rect::new(area.x, y, area.width, h), buf, theme, i == focus);
        y += h;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: char) -> KeyEvent {
        KeyEvent::from(KeyCode::Char(c))
    }

    #[test]
    fn scores_take_digits_and_ten() {
        let mut f = Field::score("x", "", 1, 10, None);
        f.handle_key(&key('7'));
        assert_eq!(f.score_value(), Some(7));
        f.handle_key(&key('1'));
        f.handle_key(&key('0'));
        assert_eq!(f.score_value(), Some(10));
        let mut g = Field::score("y", "", 1, 5, Some(3));
        assert!(g.handle_key(&key('9')));
        assert_eq!(g.score_value(), Some(3), "out of range is ignored");
        g.handle_key(&KeyEvent::from(KeyCode::Right));
        assert_eq!(g.score_value(), Some(4));
    }

    #[test]
    fn notes_keep_lines() {
        let mut f = Field::notes("n", "", "one");
        f.handle_key(&KeyEvent::from(KeyCode::Enter));
        f.handle_key(&key('t'));
        assert_eq!(f.text(), "one\nt");
        assert!(!f.handle_key(&KeyEvent::from(KeyCode::Tab)));
    }

    #[test]
    fn choices_by_letter() {
        let mut f = Field::choice("s", "", &["Expand", "Maintain", "Contract", "Exit"], 1);
        f.handle_key(&key('c'));
        assert_eq!(f.selected(), 2);
        f.handle_key(&KeyEvent::from(KeyCode::Left));
        assert_eq!(f.selected(), 1);
    }
}
