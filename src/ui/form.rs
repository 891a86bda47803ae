//! The one form engine: a titled list of typed fields with a focus order, inline validation
//! messages and completeness. It serves the charter, the pipeline intake and the review wizards.
//!
//! A form owns only the text being typed; the tab that shows it reads values back with the
//! `get_*` accessors and writes them to the model through `Document`, so the form never edits
//! the model itself. Single-line fields are edited here (cursor counted in characters, the view
//! scrolls sideways); multi-line fields use `ratatui-textarea` with soft wrap.

use chrono::{Days, NaiveDate};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph, Widget};
use ratatui_textarea::{CursorMove, TextArea, WrapMode};

use crate::ui::theme::Theme;
use crate::ui::widgets::line_edit::{LineEdit, LineEvent};

/// Days the `+` key adds to a date field (the protocol's 90-day review).
pub const PLUS_DAYS: u64 = 90;

/// Screen rows a multi-line field takes.
const MULTILINE_ROWS: u16 = 4;

/// What a field holds and how keys edit it.
#[derive(Clone, Debug, PartialEq)]
pub enum FieldKind {
    Text,
    MultiLine,
    Number { unit: String },
    Date,
    Choice(Vec<String>),
    Score { min: u8, max: u8 },
}

/// What names a field: a `&'static str` for small forms, or a typed field (the charter's
/// `CharterField`) so a form's keys are the domain's own and need no parsing.
pub trait FieldKey: Copy + Eq + std::fmt::Debug + 'static {}

impl<T: Copy + Eq + std::fmt::Debug + 'static> FieldKey for T {}

/// What a key did to the form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormEvent<K = &'static str> {
    /// Not a form key: the caller may use it.
    Ignored,
    /// The key was consumed without changing a value (cursor move, rejected character).
    Handled,
    /// The value of the field with this key changed.
    Edited(K),
    Submit,
    Cancel,
    /// Focus moved to another field.
    Moved,
}

/// One field of a form.
#[derive(Debug)]
struct Field<K> {
    key: K,
    label: String,
    kind: FieldKind,
    required: bool,
    help: Option<String>,
    /// A message set by the caller (e.g. "wish: add a number"); shown beside the field.
    error: Option<String>,
    line: LineEdit,
    area: Option<Box<TextArea<'static>>>,
    choice: usize,
    score: Option<u8>,
    /// The text the field held when it took focus: what "discard this change" restores.
    kept: String,
    /// The portfolio's currency code, also accepted in a number (`USD 15,000`).
    currency: String,
}

impl<K: FieldKey> Field<K> {
    fn new(key: K, label: &str, kind: FieldKind) -> Self {
        Self {
            key,
            label: label.to_owned(),
            kind,
            required: false,
            help: None,
            error: None,
            line: LineEdit::default(),
            area: None,
            choice: 0,
            score: None,
            kept: String::new(),
            currency: String::new(),
        }
    }

    fn is_line(&self) -> bool {
        matches!(
            self.kind,
            FieldKind::Text | FieldKind::Number { .. } | FieldKind::Date
        )
    }

    fn text(&self) -> String {
        match &self.area {
            Some(area) => area.lines().join("\n"),
            None => self.line.text.clone(),
        }
    }

    fn is_filled(&self) -> bool {
        match &self.kind {
            FieldKind::Text | FieldKind::MultiLine => !self.text().trim().is_empty(),
            FieldKind::Number { .. } => {
                parse_number(&self.line.text, &self.currency).is_ok_and(|n| n.is_some())
            }
            FieldKind::Date => parse_date(&self.line.text).is_ok_and(|d| d.is_some()),
            FieldKind::Choice(_) => true,
            FieldKind::Score { .. } => self.score.is_some(),
        }
    }

    /// The field's own parse error, if its text does not read as its kind.
    fn parse_error(&self) -> Option<String> {
        match &self.kind {
            FieldKind::Number { .. } => parse_number(&self.line.text, &self.currency).err(),
            FieldKind::Date => parse_date(&self.line.text).err(),
            _ => None,
        }
    }

    /// The message shown beside the field: a parse error first, then the caller's.
    fn message(&self) -> Option<(String, bool)> {
        if let Some(e) = self.parse_error() {
            return Some((e, true));
        }
        if let Some(e) = &self.error {
            return Some((e.clone(), true));
        }
        if self.required && !self.is_filled() {
            return Some(("required".to_owned(), false));
        }
        None
    }
}

/// `Ok(None)` for an empty field, `Ok(Some(n))` for a number, else the message to show. The
/// core's reader ([`crate::input`]): `15k` is 15000 or nothing, never 15 (SPEC §6).
fn parse_number(text: &str, currency: &str) -> Result<Option<f64>, String> {
    crate::input::parse_optional_amount(text, currency).map_err(|e| e.to_string())
}

/// `Ok(None)` for an empty field, `Ok(Some(date))` for a valid date, else the message to
/// show: `2027-02-30` is refused, never read as `2027-02-03`.
fn parse_date(text: &str) -> Result<Option<NaiveDate>, String> {
    crate::input::parse_optional_date(text).map_err(|e| e.to_string())
}

/// A number as people write it: no trailing `.0`.
pub fn format_number(n: f64) -> String {
    format!("{n}")
}

/// Where focus was going when a field with unreadable text was left: done once the user
/// discards the change, forgotten if they keep editing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Leave<K> {
    /// Focus another field (Tab, ↑/↓, Enter).
    Focus(usize),
    /// Hand this event to the caller (Esc's `Cancel`, Enter's `Submit`).
    Event(FormEvent<K>),
    /// The caller's own move (next step, close): it asks [`Form::take_resumed`] and goes on.
    Outside,
}

/// The keys of the "keep editing / discard this change" question.
pub const LEAVE_QUESTION: &str = "Keep editing (k or Enter) · discard this change (d or Esc)";

/// A titled list of fields with a focus order.
#[derive(Debug)]
pub struct Form<K = &'static str> {
    title: String,
    /// The form's own keys, on its bottom border (for popups whose keys the footer cannot
    /// name: the form reads Tab, Enter and Esc itself).
    keys: Option<String>,
    fields: Vec<Field<K>>,
    /// Non-focusable section headings, drawn above the field at the index.
    headings: Vec<(usize, String)>,
    focus: usize,
    /// The question asked on leaving a field whose text does not read as its kind.
    pending: Option<Leave<K>>,
    /// The user discarded a change to let the caller's own move go on.
    resumed: bool,
    /// A field whose text a discard restored while handing the caller another event (Esc's
    /// `Cancel`): a caller that writes each edit at once writes this one back too.
    restored: Option<K>,
    /// Whether a field takes the keys (drawn with a thick border, a title saying so and a
    /// cursor), or the form is only browsed.
    editing: bool,
    /// The portfolio's currency code, accepted in number fields.
    currency: String,
}

impl Form {
    /// A form whose fields are named by strings.
    pub fn new(title: impl Into<String>) -> Self {
        Self::typed(title)
    }
}

impl<K: FieldKey> Form<K> {
    /// A form whose fields are named by `K` (e.g. the charter's `CharterField`).
    pub fn typed(title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            keys: None,
            fields: Vec::new(),
            headings: Vec::new(),
            focus: 0,
            pending: None,
            resumed: false,
            restored: None,
            editing: true,
            currency: String::new(),
        }
    }

    fn push(mut self, mut field: Field<K>) -> Self {
        field.kept = field.text();
        field.currency.clone_from(&self.currency);
        self.fields.push(field);
        self.refresh_cursors();
        self
    }

    /// Accept the portfolio's currency code in number fields (`USD 15,000`); set it before
    /// adding fields.
    #[must_use]
    pub fn currency(mut self, code: &str) -> Self {
        code.clone_into(&mut self.currency);
        for f in &mut self.fields {
            code.clone_into(&mut f.currency);
        }
        self
    }

    /// Whether the form is being edited (a field takes the keys) or only browsed: it is drawn
    /// differently, so the mode is always visible.
    pub fn set_editing(&mut self, editing: bool) {
        self.editing = editing;
        if !editing {
            self.pending = None;
        }
        self.refresh_cursors();
    }

    pub fn is_editing(&self) -> bool {
        self.editing
    }

    /// The "keep editing / discard this change" question is up.
    pub fn is_asking(&self) -> bool {
        self.pending.is_some()
    }

    /// The focused field may be left: its text reads as its kind. Otherwise the question is
    /// asked and `false` returned; once the user discards the change, [`Self::take_resumed`]
    /// says so and the caller goes on with its move.
    pub fn may_leave(&mut self) -> bool {
        if self.focused_parse_error() {
            self.pending = Some(Leave::Outside);
            false
        } else {
            true
        }
    }

    /// The user discarded a change to let the caller's move (asked with [`Self::may_leave`])
    /// go on; reading it clears it.
    pub fn take_resumed(&mut self) -> bool {
        std::mem::take(&mut self.resumed)
    }

    /// Whether `key` was a digit that gave the focused score field its whole value (any digit on
    /// a 1–5 scale; on a 1–10 scale any but `1`, which may begin `10`): a form then moves on
    /// to the next field, as the health check does, so a few digits fill a row of scores.
    pub fn completes_score(&self, key: &KeyEvent) -> bool {
        let Some(FieldKind::Score { max, .. }) = self.fields.get(self.focus).map(|f| &f.kind)
        else {
            return false;
        };
        matches!(key.code, KeyCode::Char(c) if c.is_ascii_digit() && (*max < 10 || c != '1'))
            && !key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    }

    /// The field a discard restored while the form handed on another event; reading it
    /// clears it.
    pub fn take_restored(&mut self) -> Option<K> {
        self.restored.take()
    }

    fn focused_parse_error(&self) -> bool {
        self.fields
            .get(self.focus)
            .is_some_and(|f| f.parse_error().is_some())
    }

    /// Name the form's own keys on its bottom border.
    #[must_use]
    pub fn keys(mut self, text: &str) -> Self {
        self.keys = Some(text.to_owned());
        self
    }

    /// A single-line text field.
    #[must_use]
    pub fn text(self, key: K, label: &str, value: &str) -> Self {
        let mut f = Field::new(key, label, FieldKind::Text);
        f.line = LineEdit::new(value);
        self.push(f)
    }

    /// A multi-line text field (textarea, soft-wrapped at word or glyph boundaries).
    #[must_use]
    pub fn multiline(self, key: K, label: &str, value: &str) -> Self {
        let mut f = Field::new(key, label, FieldKind::MultiLine);
        let mut area = TextArea::new(value.split('\n').map(str::to_owned).collect());
        area.set_wrap_mode(WrapMode::WordOrGlyph);
        area.set_cursor_line_style(Style::default());
        area.move_cursor(CursorMove::Bottom);
        area.move_cursor(CursorMove::End);
        f.area = Some(Box::new(area));
        self.push(f)
    }

    /// A number with a unit shown after it.
    #[must_use]
    pub fn number(self, key: K, label: &str, unit: &str, value: Option<f64>) -> Self {
        let mut f = Field::new(
            key,
            label,
            FieldKind::Number {
                unit: unit.to_owned(),
            },
        );
        f.line = LineEdit::new(&value.map(format_number).unwrap_or_default());
        self.push(f)
    }

    /// A date `YYYY-MM-DD`; `t` sets today and `+` adds 90 days.
    #[must_use]
    pub fn date(self, key: K, label: &str, value: Option<NaiveDate>) -> Self {
        let mut f = Field::new(key, label, FieldKind::Date);
        f.line = LineEdit::new(&value.map(|d| d.to_string()).unwrap_or_default());
        self.push(f)
    }

    /// One of `options`, changed with ←/→ or Space.
    #[must_use]
    pub fn choice(self, key: K, label: &str, options: &[&str], selected: usize) -> Self {
        let options: Vec<String> = options.iter().map(|s| (*s).to_owned()).collect();
        let mut f = Field::new(key, label, FieldKind::Choice(options));
        f.choice = selected;
        self.push(f)
    }

    /// A score `min..=max`, set with a digit or ←/→; Backspace clears it.
    #[must_use]
    pub fn score(self, key: K, label: &str, min: u8, max: u8, value: Option<u8>) -> Self {
        let mut f = Field::new(key, label, FieldKind::Score { min, max });
        f.score = value.filter(|v| (min..=max).contains(v));
        self.push(f)
    }

    /// A non-focusable heading drawn above the next field added.
    #[must_use]
    pub fn heading(mut self, text: &str) -> Self {
        self.headings.push((self.fields.len(), text.to_owned()));
        self
    }

    /// Mark a field as required: it counts towards completeness.
    #[must_use]
    pub fn required(mut self, key: K) -> Self {
        if let Some(f) = self.field_mut(key) {
            f.required = true;
        }
        self
    }

    /// A line of help shown while the field has focus.
    #[must_use]
    pub fn help(mut self, key: K, text: &str) -> Self {
        if let Some(f) = self.field_mut(key) {
            f.help = Some(text.to_owned());
        }
        self
    }

    pub fn title(&self) -> &str {
        &self.title
    }

    fn field(&self, key: K) -> Option<&Field<K>> {
        self.fields.iter().find(|f| f.key == key)
    }

    fn field_mut(&mut self, key: K) -> Option<&mut Field<K>> {
        self.fields.iter_mut().find(|f| f.key == key)
    }

    /// The key of the focused field.
    pub fn focused(&self) -> Option<K> {
        self.fields.get(self.focus).map(|f| f.key)
    }

    /// The focused field's position in the focus order.
    pub fn focus_index(&self) -> usize {
        self.focus
    }

    pub fn len(&self) -> usize {
        self.fields.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// Focus a field by key; unknown keys leave focus where it is.
    pub fn focus(&mut self, key: K) {
        if let Some(i) = self.fields.iter().position(|f| f.key == key) {
            self.set_focus(i);
        }
    }

    /// Focus a field by position (clamped).
    pub fn set_focus(&mut self, index: usize) {
        self.focus = index.min(self.fields.len().saturating_sub(1));
        self.pending = None;
        if let Some(f) = self.fields.get_mut(self.focus) {
            f.kept = f.text();
        }
        self.refresh_cursors();
    }

    /// Only the focused multi-line field shows its cursor.
    fn refresh_cursors(&mut self) {
        let focus = self.focus;
        let editing = self.editing;
        for (i, f) in self.fields.iter_mut().enumerate() {
            if let Some(area) = &mut f.area {
                area.set_cursor_style(if i == focus && editing {
                    Style::default().add_modifier(Modifier::REVERSED)
                } else {
                    Style::default()
                });
            }
        }
    }

    fn move_focus(&mut self, forward: bool) -> FormEvent<K> {
        let n = self.fields.len();
        if n == 0 {
            return FormEvent::Ignored;
        }
        let next = if forward {
            (self.focus + 1) % n
        } else {
            (self.focus + n - 1) % n
        };
        self.leave_to(Leave::Focus(next))
    }

    /// Go where `to` says, unless the focused field holds unreadable text: then ask first.
    fn leave_to(&mut self, to: Leave<K>) -> FormEvent<K> {
        if self.focused_parse_error() {
            self.pending = Some(to);
            return FormEvent::Handled;
        }
        self.go(to)
    }

    fn go(&mut self, to: Leave<K>) -> FormEvent<K> {
        match to {
            Leave::Focus(i) => {
                self.set_focus(i);
                FormEvent::Moved
            }
            Leave::Event(e) => e,
            Leave::Outside => {
                self.resumed = true;
                self.focused().map_or(FormEvent::Handled, FormEvent::Edited)
            }
        }
    }

    /// A key while the question is up: keep editing (`k`, Enter), or discard the change (`d`,
    /// Esc: the field gets back the text it had when it took focus) and go on.
    fn answer(&mut self, to: Leave<K>, key: &KeyEvent) -> FormEvent<K> {
        match key.code {
            // Esc is "get me out" wherever it is pressed: a second Esc leaves, discarding.
            KeyCode::Char('d' | 'D') | KeyCode::Esc => {
                self.pending = None;
                let i = self.focus;
                if let Some(f) = self.fields.get_mut(i) {
                    let kept = f.kept.clone();
                    f.line.set(&kept);
                }
                let restored = self.fields.get(i).map(|f| f.key);
                match self.go(to) {
                    // The restored text is an edit too: the caller writes it back.
                    FormEvent::Moved => restored.map_or(FormEvent::Moved, FormEvent::Edited),
                    FormEvent::Edited(k) => FormEvent::Edited(k),
                    other => {
                        self.restored = restored;
                        other
                    }
                }
            }
            KeyCode::Char('k' | 'K') | KeyCode::Enter => {
                self.pending = None;
                FormEvent::Handled
            }
            // Chords stay the shell's (Ctrl-s saves, Ctrl-c quits): the question stays.
            KeyCode::Char(_)
                if key
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
            {
                FormEvent::Ignored
            }
            _ => FormEvent::Handled,
        }
    }

    /// Feed one key to the focused field. `today` serves the date helpers.
    pub fn handle_key(&mut self, key: &KeyEvent, today: NaiveDate) -> FormEvent<K> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        if let Some(to) = self.pending {
            return self.answer(to, key);
        }
        match key.code {
            KeyCode::Esc => return self.leave_to(Leave::Event(FormEvent::Cancel)),
            KeyCode::Tab => return self.move_focus(true),
            KeyCode::BackTab => return self.move_focus(false),
            KeyCode::F(10) => return self.leave_to(Leave::Event(FormEvent::Submit)),
            KeyCode::Enter if ctrl || alt => return self.leave_to(Leave::Event(FormEvent::Submit)),
            // Ctrl/Alt-↑↓ belong to the shell (moving a list entry), not to focus or cursor.
            KeyCode::Up | KeyCode::Down if ctrl || alt => return FormEvent::Ignored,
            _ => {}
        }
        let Some(field) = self.fields.get_mut(self.focus) else {
            return FormEvent::Ignored;
        };
        let key_name = field.key;
        let edited = |changed: bool| {
            if changed {
                FormEvent::Edited(key_name)
            } else {
                FormEvent::Handled
            }
        };
        // Multi-line: the textarea edits; ↑/↓ leave the field at its first/last line.
        if let Some(area) = field.area.as_deref_mut() {
            let (row, _) = (area.cursor().0, area.cursor().1);
            let last = area.lines().len().saturating_sub(1);
            return match key.code {
                KeyCode::Up if row == 0 => self.move_focus(false),
                KeyCode::Down if row >= last => self.move_focus(true),
                KeyCode::Up => {
                    area.move_cursor(CursorMove::Up);
                    FormEvent::Handled
                }
                KeyCode::Down => {
                    area.move_cursor(CursorMove::Down);
                    FormEvent::Handled
                }
                KeyCode::Left if ctrl => {
                    area.move_cursor(CursorMove::WordBack);
                    FormEvent::Handled
                }
                KeyCode::Right if ctrl => {
                    area.move_cursor(CursorMove::WordForward);
                    FormEvent::Handled
                }
                KeyCode::Left => {
                    area.move_cursor(CursorMove::Back);
                    FormEvent::Handled
                }
                KeyCode::Right => {
                    area.move_cursor(CursorMove::Forward);
                    FormEvent::Handled
                }
                KeyCode::Home => {
                    area.move_cursor(CursorMove::Head);
                    FormEvent::Handled
                }
                KeyCode::End => {
                    area.move_cursor(CursorMove::End);
                    FormEvent::Handled
                }
                // Control chords (save, redo) belong to the shell; a lone Alt chord is usually
                // Esc and a key read together, so it types nothing.
                KeyCode::Char(_) if ctrl != alt => FormEvent::Ignored,
                KeyCode::Char(_) | KeyCode::Backspace | KeyCode::Delete | KeyCode::Enter => {
                    edited(area.input_without_shortcuts(*key))
                }
                _ => FormEvent::Ignored,
            };
        }
        match (&field.kind, key.code) {
            (_, KeyCode::Up) => self.move_focus(false),
            (_, KeyCode::Down) => self.move_focus(true),
            (_, KeyCode::Enter) => self.leave_to(Leave::Event(FormEvent::Submit)),
            (FieldKind::Choice(options), KeyCode::Left | KeyCode::Right | KeyCode::Char(' ')) => {
                let n = options.len().max(1);
                field.choice = if key.code == KeyCode::Left {
                    (field.choice + n - 1) % n
                } else {
                    (field.choice + 1) % n
                };
                FormEvent::Edited(key_name)
            }
            (FieldKind::Score { min, max }, code) => {
                let (min, max) = (*min, *max);
                let before = field.score;
                match code {
                    KeyCode::Left => {
                        field.score =
                            Some(field.score.map_or(min, |v| v.saturating_sub(1).max(min)));
                    }
                    KeyCode::Right => {
                        field.score = Some(field.score.map_or(min, |v| (v + 1).min(max)));
                    }
                    KeyCode::Backspace | KeyCode::Delete => field.score = None,
                    KeyCode::Char(c) if c.is_ascii_digit() => {
                        // `0` means 10 on a 1–10 scale.
                        let d = c.to_digit(10).map_or(0, |d| d as u8);
                        let v = if d == 0 && max >= 10 { 10 } else { d };
                        if (min..=max).contains(&v) {
                            field.score = Some(v);
                        }
                    }
                    KeyCode::Char(_) => {}
                    _ => return FormEvent::Ignored,
                }
                edited(field.score != before)
            }
            (FieldKind::Date, KeyCode::Char('t')) if !ctrl => {
                let before = field.line.text.clone();
                field.line.set(&today.to_string());
                edited(field.line.text != before)
            }
            (FieldKind::Date, KeyCode::Char('+')) => {
                let from = parse_date(&field.line.text).ok().flatten().unwrap_or(today);
                let next = from.checked_add_days(Days::new(PLUS_DAYS)).unwrap_or(from);
                field.line.set(&next.to_string());
                FormEvent::Edited(key_name)
            }
            (FieldKind::Choice(_), _) => {
                if matches!(key.code, KeyCode::Char(_)) && !ctrl {
                    FormEvent::Handled
                } else {
                    FormEvent::Ignored
                }
            }
            (_, _) if field.is_line() => match field.line.on_key(key) {
                LineEvent::Edited => FormEvent::Edited(key_name),
                LineEvent::Handled => FormEvent::Handled,
                LineEvent::Ignored => FormEvent::Ignored,
            },
            _ => FormEvent::Ignored,
        }
    }

    /// The text of a text, multi-line, number or date field ("" for an unknown key).
    pub fn get_text(&self, key: K) -> String {
        self.field(key).map(Field::text).unwrap_or_default()
    }

    /// A number field's value; `None` when empty or unreadable.
    pub fn get_number(&self, key: K) -> Option<f64> {
        self.field(key)
            .and_then(|f| parse_number(&f.line.text, &f.currency).ok())
            .flatten()
    }

    /// The field's text does not read as its kind (a number or date field with a typo); its
    /// value is then unknown, not empty.
    pub fn has_parse_error(&self, key: K) -> bool {
        self.field(key).is_some_and(|f| f.parse_error().is_some())
    }

    /// A date field's value; `None` when empty or invalid.
    pub fn get_date(&self, key: K) -> Option<NaiveDate> {
        self.field(key)
            .and_then(|f| parse_date(&f.line.text).ok())
            .flatten()
    }

    pub fn get_choice(&self, key: K) -> usize {
        self.field(key).map_or(0, |f| f.choice)
    }

    pub fn get_score(&self, key: K) -> Option<u8> {
        self.field(key).and_then(|f| f.score)
    }

    /// Replace a field's value from outside (e.g. after undo), keeping focus.
    pub fn set_text(&mut self, key: K, value: &str) {
        if let Some(f) = self.field_mut(key) {
            if let Some(area) = f.area.as_deref_mut() {
                if area.lines().join("\n") != value {
                    let mut fresh = TextArea::new(value.split('\n').map(str::to_owned).collect());
                    fresh.set_wrap_mode(WrapMode::WordOrGlyph);
                    fresh.set_cursor_line_style(Style::default());
                    fresh.set_cursor_style(area.cursor_style());
                    fresh.move_cursor(CursorMove::Bottom);
                    fresh.move_cursor(CursorMove::End);
                    *area = fresh;
                }
            } else if f.line.text != value {
                f.line.set(value);
            }
            value.clone_into(&mut f.kept);
        }
    }

    /// Select a choice from outside (e.g. after undo).
    pub fn set_choice(&mut self, key: K, selected: usize) {
        if let Some(f) = self.field_mut(key) {
            f.choice = selected;
        }
    }

    /// Set a score from outside; out-of-range values clear it.
    pub fn set_score(&mut self, key: K, value: Option<u8>) {
        if let Some(f) = self.field_mut(key)
            && let FieldKind::Score { min, max } = f.kind
        {
            f.score = value.filter(|v| (min..=max).contains(v));
        }
    }

    /// A field's label, for undo labels and messages.
    pub fn label(&self, key: K) -> Option<&str> {
        self.field(key).map(|f| f.label.as_str())
    }

    /// Whether the focused field is the last in the focus order.
    pub fn at_last(&self) -> bool {
        self.focus + 1 >= self.fields.len()
    }

    /// Move focus to the next field (wrapping), as Tab does.
    pub fn focus_next(&mut self) {
        self.move_focus(true);
    }

    /// Move focus to the previous field (wrapping), as Shift-Tab does.
    pub fn focus_prev(&mut self) {
        self.move_focus(false);
    }

    /// Set or clear the caller's message beside a field (a semantic problem such as a wish).
    pub fn set_error(&mut self, key: K, error: Option<String>) {
        if let Some(f) = self.field_mut(key) {
            f.error = error;
        }
    }

    /// The message beside a field, if any.
    pub fn message(&self, key: K) -> Option<String> {
        self.field(key).and_then(Field::message).map(|(m, _)| m)
    }

    /// Every field reads as its kind, no caller message is set and required fields are filled.
    pub fn is_valid(&self) -> bool {
        self.fields.iter().all(|f| {
            f.parse_error().is_none() && f.error.is_none() && (!f.required || f.is_filled())
        })
    }

    /// (filled required fields, required fields).
    pub fn completeness(&self) -> (usize, usize) {
        let required = self.fields.iter().filter(|f| f.required);
        let total = required.clone().count();
        (required.filter(|f| f.is_filled()).count(), total)
    }

    /// Where each field goes, headings included, counted from the first content row: the
    /// value wraps (up to [`MAX_WRAP_ROWS`]) rather than being cut beside blank space, and a
    /// message too long for its column goes on the rows below the value.
    fn layout(&self, value_w: u16, msg_w: u16) -> Vec<Placed> {
        let mut y = 0u16;
        let mut out = Vec::with_capacity(self.fields.len());
        for (i, f) in self.fields.iter().enumerate() {
            let headings = self.headings.iter().filter(|(at, _)| *at == i).count() as u16;
            y += headings;
            let message = f.message().map(|(m, _)| m);
            let beside = message
                .as_deref()
                .is_none_or(|m| text_width(m) <= usize::from(msg_w));
            // Without a message beside it the value takes the message column too.
            let wide = if message.is_none() {
                value_w + msg_w + 1
            } else {
                value_w
            };
            let focused_line = i == self.focus && self.editing;
            let value_rows = if f.area.is_some() {
                MULTILINE_ROWS
            } else if f.is_line() && !focused_line {
                wrap_chars(
                    &f.line.text,
                    usize::from(wide).saturating_sub(unit_width(f)),
                )
                .len()
                .clamp(1, MAX_WRAP_ROWS) as u16
            } else {
                1
            };
            let below = if beside {
                0
            } else {
                let w = usize::from(value_w + msg_w + 1);
                message
                    .as_deref()
                    .map_or(0, |m| wrap_chars(m, w).len().clamp(1, MAX_WRAP_ROWS) as u16)
            };
            out.push(Placed {
                top: y,
                value_rows,
                below,
                wide,
            });
            y += value_rows + below;
        }
        out
    }

    /// Draw the form: label column, value, message beside it; the focused field highlighted
    /// and always in view. Editing shows a thick border, the cursor and the form's keys;
    /// browsing a plain border and no cursor.
    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let (filled, required) = self.completeness();
        let mut block = if self.editing {
            Block::bordered()
                .border_type(BorderType::Thick)
                .border_style(theme.border_focus)
                .title(Span::styled(format!(" ✎ {} ", self.title), theme.title))
        } else {
            Block::bordered()
                .border_style(theme.border)
                .title(Span::styled(format!(" {} ", self.title), theme.title))
        };
        // A form with nothing required (free notes) has no count worth showing: "0/0" reads
        // as if something were missing.
        if let Some(keys) = &self.keys {
            block = block.title_bottom(Line::styled(format!(" {keys} "), theme.muted));
        }
        if required > 0 {
            block = block.title_bottom(
                Line::styled(
                    format!(" {filled}/{required} required filled "),
                    theme.muted,
                )
                .right_aligned(),
            );
        }
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.height == 0 || inner.width < 20 {
            return;
        }
        // The question, else the focused field's help, takes the last row when there is room.
        let help = if self.pending.is_some() {
            Some((LEAVE_QUESTION, theme.warn))
        } else {
            self.fields
                .get(self.focus)
                .and_then(|f| f.help.as_deref())
                .map(|h| (h, theme.muted))
        };
        let body_height = if help.is_some() && inner.height > 3 {
            inner.height - 1
        } else {
            inner.height
        };
        let label_w = self
            .fields
            .iter()
            .map(|f| f.label.chars().count() as u16 + 2)
            .max()
            .unwrap_or(10)
            .clamp(10, 26)
            .min(inner.width / 3);
        let msg_w = if inner.width >= 100 { 34 } else { 22 }.min(inner.width / 4);
        let value_w = inner.width.saturating_sub(label_w + msg_w + 2);
        let rows = self.layout(value_w, msg_w);
        let offset = rows.get(self.focus).map_or(0, |p| {
            // Keep the focused field, its message and its heading visible.
            let heading = self.headings.iter().any(|(at, _)| *at == self.focus);
            let top = p.top.saturating_sub(u16::from(heading));
            let bottom = p.top + p.value_rows + p.below;
            if bottom > body_height {
                (bottom - body_height).min(top)
            } else {
                0
            }
        });
        let visible = |top: u16, h: u16| top >= offset && top + h <= offset + body_height;
        for (i, f) in self.fields.iter().enumerate() {
            let p = rows[i];
            let (top, h) = (p.top, p.value_rows);
            for (n, (_, text)) in self.headings.iter().filter(|(at, _)| *at == i).enumerate() {
                let hy = top - (self.headings.iter().filter(|(at, _)| *at == i).count() - n) as u16;
                if visible(hy, 1) {
                    let r = Rect::new(inner.x, inner.y + hy - offset, inner.width, 1);
                    Line::styled(text.clone(), theme.title).render(r, buf);
                }
            }
            if !visible(top, h) {
                continue;
            }
            let y = inner.y + top - offset;
            let focused = i == self.focus;
            let marker = if focused { "▸ " } else { "  " };
            let label_style = if focused { theme.selected } else { theme.base };
            let label: String = format!("{marker}{}", f.label)
                .chars()
                .take(label_w as usize)
                .collect();
            Span::styled(
                format!("{label:<width$}", width = label_w as usize),
                label_style,
            )
            .render(Rect::new(inner.x, y, label_w, 1), buf);
            let value_area = Rect::new(inner.x + label_w + 1, y, p.wide, h);
            Self::render_value(f, focused, self.editing, value_area, buf, theme);
            if let Some((msg, strong)) = f.message() {
                let style = if strong { theme.warn } else { theme.muted };
                let msg_area = if p.below == 0 {
                    Rect::new(inner.x + label_w + value_w + 2, y, msg_w, h)
                } else if visible(top, h + p.below) {
                    Rect::new(inner.x + label_w + 1, y + h, value_w + msg_w + 1, p.below)
                } else {
                    continue;
                };
                Paragraph::new(msg)
                    .style(style)
                    .wrap(ratatui::widgets::Wrap { trim: true })
                    .render(msg_area, buf);
            }
        }
        if let Some((help, style)) = help
            && body_height < inner.height
        {
            let r = Rect::new(inner.x, inner.y + inner.height - 1, inner.width, 1);
            Line::styled(format!("  {help}"), style).render(r, buf);
        }
    }

    fn render_value<F>(
        f: &Field<F>,
        focused: bool,
        editing: bool,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
    ) {
        let style = if focused && editing {
            theme.input
        } else {
            theme.base
        };
        buf.set_style(area, style);
        match &f.kind {
            FieldKind::MultiLine => {
                if let Some(ta) = &f.area {
                    ta.render(area, buf);
                    buf.set_style(area, style.remove_modifier(Modifier::REVERSED));
                    if focused && editing {
                        // Redraw the cursor cell the style pass above flattened.
                        let c = ta.screen_cursor();
                        let (sr, sc) = ta.scroll_offset();
                        let x = area.x + (c.col as u16).saturating_sub(sc);
                        let y = area.y + (c.row as u16).saturating_sub(sr);
                        if x < area.right() && y < area.bottom() {
                            buf[(x, y)]
                                .set_style(Style::default().add_modifier(Modifier::REVERSED));
                        }
                    }
                }
            }
            FieldKind::Choice(options) => {
                let current = options.get(f.choice).map_or("", String::as_str);
                let text = if focused {
                    format!("◂ {current} ▸")
                } else {
                    current.to_owned()
                };
                Span::styled(text, style).render(area, buf);
            }
            FieldKind::Score { min, max } => {
                let v = f.score.map_or_else(|| "—".to_owned(), |v| v.to_string());
                let text = if focused {
                    format!("◂ {v} ▸  ({min}–{max})")
                } else {
                    format!("{v}  ({min}–{max})")
                };
                Span::styled(text, style).render(area, buf);
            }
            FieldKind::Text | FieldKind::Number { .. } | FieldKind::Date => {
                let unit = match &f.kind {
                    FieldKind::Number { unit } if !unit.is_empty() => format!(" {unit}"),
                    _ => String::new(),
                };
                let unit_w = Span::raw(unit.as_str()).width() as u16;
                let width = area.width.saturating_sub(unit_w).max(1) as usize;
                let (shown, cursor_x) = if focused && editing {
                    visible_slice(&f.line, width, true)
                } else {
                    // Browsing: the whole value on as many rows as it was given, cut with
                    // "…" only when it needs more.
                    let rows = wrap_chars(&f.line.text, width);
                    let n = usize::from(area.height).max(1);
                    for (r, text) in rows.iter().take(n - 1).enumerate() {
                        Span::styled(text.clone(), style)
                            .render(Rect::new(area.x, area.y + r as u16, area.width, 1), buf);
                    }
                    let rest: String = rows.iter().skip(n - 1).cloned().collect();
                    let last = LineEdit::new(&rest);
                    let (cut, _) = visible_slice(&last, width, false);
                    let y = area.y + (n - 1) as u16;
                    let r = Rect::new(area.x, y, area.width, 1);
                    Span::styled(cut.clone(), style).render(r, buf);
                    let cut_w = Span::raw(cut.as_str()).width() as u16;
                    if !unit.is_empty() {
                        let ux = area.x + cut_w.min(area.width);
                        Span::styled(unit, theme.muted)
                            .render(Rect::new(ux, y, area.right() - ux, 1), buf);
                    }
                    return;
                };
                Span::styled(shown.clone(), style).render(area, buf);
                let shown_w = Span::raw(shown.as_str()).width() as u16;
                if !unit.is_empty() {
                    let ux = area.x + shown_w.min(area.width);
                    Span::styled(unit, theme.muted)
                        .render(Rect::new(ux, area.y, area.right() - ux, 1), buf);
                }
                if let Some(cx) = cursor_x {
                    let x = area.x + cx;
                    if x < area.right() {
                        buf[(x, area.y)]
                            .set_style(Style::default().add_modifier(Modifier::REVERSED));
                    }
                }
            }
        }
    }
}

/// Rows a browsed value may wrap onto before it is cut with "…".
const MAX_WRAP_ROWS: usize = 3;

/// Where one field is drawn, in rows from the first content row.
#[derive(Clone, Copy, Debug)]
struct Placed {
    top: u16,
    value_rows: u16,
    /// Rows under the value for a message too long to sit beside it.
    below: u16,
    /// Columns the value may take.
    wide: u16,
}

fn char_width(c: char) -> usize {
    let mut b = [0u8; 4];
    Span::raw(&*c.encode_utf8(&mut b)).width()
}

fn text_width(text: &str) -> usize {
    text.chars().map(char_width).sum()
}

/// Columns a number field's unit takes after the value.
fn unit_width<K>(f: &Field<K>) -> usize {
    match &f.kind {
        FieldKind::Number { unit } if !unit.is_empty() => text_width(unit) + 1,
        _ => 0,
    }
}

/// `text` cut into rows of at most `width` columns, at spaces where it can be.
fn wrap_chars(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut rows = Vec::new();
    let mut row = String::new();
    let mut w = 0;
    for c in text.chars() {
        let cw = char_width(c);
        if w + cw > width {
            // Break after the last space on the row when there is one.
            if let Some(at) = row.rfind(' ').filter(|at| *at > 0) {
                let rest = row.split_off(at + 1);
                rows.push(std::mem::replace(&mut row, rest));
                w = text_width(&row);
            } else {
                rows.push(std::mem::take(&mut row));
                w = 0;
            }
        }
        row.push(c);
        w += cw;
    }
    if !row.is_empty() || rows.is_empty() {
        rows.push(row);
    }
    rows
}

/// The part of a line that fits `width` columns with the cursor in view, and the cursor's
/// column in it. Long lines scroll sideways so the cursor stays visible.
fn visible_slice(line: &LineEdit, width: usize, focused: bool) -> (String, Option<u16>) {
    let chars: Vec<char> = line.text.chars().collect();
    let cw = |c: char| {
        let mut b = [0u8; 4];
        Span::raw(&*c.encode_utf8(&mut b)).width()
    };
    if !focused {
        let mut out = String::new();
        let mut w = 0;
        for &c in &chars {
            if w + cw(c) > width {
                if let Some(last) = out.pop() {
                    w -= cw(last);
                }
                if w < width {
                    out.push('…');
                }
                break;
            }
            w += cw(c);
            out.push(c);
        }
        return (out, None);
    }
    // Start far enough right that the cursor (plus one cell for it) fits.
    let cursor = line.cursor.min(chars.len());
    let mut start = 0;
    let mut w: usize = chars[..cursor].iter().map(|c| cw(*c)).sum::<usize>() + 1;
    while w > width && start < cursor {
        w -= cw(chars[start]);
        start += 1;
    }
    let mut out = String::new();
    let mut used = 0;
    let mut cursor_x = 0;
    for (i, &c) in chars.iter().enumerate().skip(start) {
        if i == cursor {
            cursor_x = used;
        }
        if used + cw(c) > width {
            break;
        }
        used += cw(c);
        out.push(c);
    }
    if cursor >= chars.len() {
        cursor_x = used;
    }
    (out, Some(cursor_x as u16))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::from(code)
    }

    fn type_str(form: &mut Form, s: &str) {
        for c in s.chars() {
            let code = if c == '\n' {
                KeyCode::Enter
            } else {
                KeyCode::Char(c)
            };
            form.handle_key(&key(code), day(2026, 1, 1));
        }
    }

    fn sample() -> Form {
        Form::new("Test")
            .text("name", "Name", "")
            .multiline("notes", "Notes", "")
            .number("target", "Target", "USD", None)
            .date("by", "By", None)
            .choice("owner", "Owner", &["Us", "Partner"], 0)
            .score("score", "Score", 1, 5, None)
            .required("name")
            .required("target")
            .required("by")
    }

    fn screen(form: &Form, w: u16, h: u16) -> String {
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        t.draw(|f| form.render(f.area(), f.buffer_mut(), &Theme::default()))
            .unwrap();
        let buf = t.backend().buffer().clone();
        let mut s = String::new();
        for y in 0..h {
            for x in 0..w {
                s.push_str(buf[(x, y)].symbol());
            }
            s.push('\n');
        }
        s
    }

    #[test]
    fn focus_order_wraps_and_arrows_move() {
        let mut f = sample();
        let today = day(2026, 1, 1);
        assert_eq!(f.focused(), Some("name"));
        assert_eq!(f.handle_key(&key(KeyCode::Tab), today), FormEvent::Moved);
        assert_eq!(f.focused(), Some("notes"));
        f.handle_key(&key(KeyCode::BackTab), today);
        f.handle_key(&key(KeyCode::BackTab), today);
        assert_eq!(
            f.focused(),
            Some("score"),
            "Shift-Tab wraps to the last field"
        );
        f.handle_key(&key(KeyCode::Down), today);
        assert_eq!(f.focused(), Some("name"));
        f.handle_key(&key(KeyCode::Down), today);
        assert_eq!(f.focused(), Some("notes"));
        // Inside a multi-line field ↑/↓ move between lines first.
        type_str(&mut f, "one\ntwo");
        f.handle_key(&key(KeyCode::Up), today);
        assert_eq!(f.focused(), Some("notes"));
        f.handle_key(&key(KeyCode::Up), today);
        assert_eq!(f.focused(), Some("name"));
    }

    #[test]
    fn printable_keys_are_typed_and_enter_submits() {
        let mut f = sample();
        let today = day(2026, 1, 1);
        type_str(&mut f, "quit?");
        assert_eq!(f.get_text("name"), "quit?");
        assert_eq!(f.handle_key(&key(KeyCode::Enter), today), FormEvent::Submit);
        assert_eq!(f.handle_key(&key(KeyCode::Esc), today), FormEvent::Cancel);
        let save = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL);
        assert_eq!(
            f.handle_key(&save, today),
            FormEvent::Ignored,
            "Ctrl-s is the shell's"
        );
    }

    #[test]
    fn alt_chords_type_nothing_but_altgr_does() {
        let mut f = sample();
        let today = day(2026, 1, 1);
        let alt = KeyEvent::new(KeyCode::Char('1'), KeyModifiers::ALT);
        assert_eq!(f.handle_key(&alt, today), FormEvent::Ignored);
        let altgr = KeyEvent::new(
            KeyCode::Char('@'),
            KeyModifiers::CONTROL | KeyModifiers::ALT,
        );
        assert_eq!(f.handle_key(&altgr, today), FormEvent::Edited("name"));
        assert_eq!(f.get_text("name"), "@");
    }

    #[test]
    fn ctrl_and_alt_arrows_are_left_to_the_caller() {
        let mut f = sample();
        let today = day(2026, 1, 1);
        for m in [KeyModifiers::CONTROL, KeyModifiers::ALT] {
            for code in [KeyCode::Up, KeyCode::Down] {
                assert_eq!(
                    f.handle_key(&KeyEvent::new(code, m), today),
                    FormEvent::Ignored
                );
            }
        }
        assert_eq!(f.focused(), Some("name"), "focus did not move");
    }

    #[test]
    fn multiline_takes_newlines_and_submits_on_ctrl_enter() {
        let mut f = sample();
        let today = day(2026, 1, 1);
        f.focus("notes");
        type_str(&mut f, "line 1\nline 2");
        assert_eq!(f.get_text("notes"), "line 1\nline 2");
        let ctrl_enter = KeyEvent::new(KeyCode::Enter, KeyModifiers::CONTROL);
        assert_eq!(f.handle_key(&ctrl_enter, today), FormEvent::Submit);
        assert_eq!(f.handle_key(&key(KeyCode::F(10)), today), FormEvent::Submit);
    }

    #[test]
    fn number_and_date_validation() {
        let mut f = sample();
        let today = day(2026, 3, 1);
        f.focus("target");
        type_str(&mut f, "50,000");
        assert_eq!(f.get_number("target"), Some(50_000.0));
        type_str(&mut f, "x");
        assert_eq!(f.get_number("target"), None);
        assert!(f.message("target").unwrap().contains("is not a number"));
        assert!(!f.is_valid());
        f.handle_key(&key(KeyCode::Backspace), today);
        assert!(f.message("target").is_none());

        f.focus("by");
        type_str(&mut f, "2026-02-30");
        assert_eq!(f.get_date("by"), None);
        // Well formed, but February has no 30th: say so, not "use YYYY-MM-DD".
        assert!(
            f.message("by")
                .unwrap()
                .contains("no such day in the calendar"),
            "{:?}",
            f.message("by")
        );
        assert!(f.has_parse_error("by"));
        for _ in 0..10 {
            f.handle_key(&key(KeyCode::Backspace), today);
        }
        type_str(&mut f, "30/02/2026");
        assert!(f.message("by").unwrap().contains("YYYY-MM-DD"));
        for _ in 0..10 {
            f.handle_key(&key(KeyCode::Backspace), today);
        }
        type_str(&mut f, "2026-02-28");
        assert_eq!(f.get_date("by"), Some(day(2026, 2, 28)));
        assert!(f.message("by").is_none());
        f.handle_key(&key(KeyCode::Char('t')), today);
        assert_eq!(f.get_date("by"), Some(today));
        f.handle_key(&key(KeyCode::Char('+')), today);
        assert_eq!(f.get_date("by"), Some(day(2026, 5, 30)));
        assert!(!f.is_valid(), "name is required and empty");
        f.focus("name");
        type_str(&mut f, "Glow");
        assert!(f.is_valid());
        f.set_error("target", Some("wish".into()));
        assert!(!f.is_valid());
    }

    #[test]
    fn amounts_are_read_whole_or_not_at_all() {
        let mut f = sample();
        let today = day(2026, 3, 1);
        f.focus("target");
        type_str(&mut f, "15k");
        assert_eq!(
            f.get_number("target"),
            Some(15_000.0),
            "15k is 15000, never 15"
        );
        for _ in 0..3 {
            f.handle_key(&key(KeyCode::Backspace), today);
        }
        type_str(&mut f, "$15,000");
        assert_eq!(f.get_number("target"), Some(15_000.0));
        for _ in 0..7 {
            f.handle_key(&key(KeyCode::Backspace), today);
        }
        type_str(&mut f, "1.2M");
        assert_eq!(f.get_number("target"), Some(1_200_000.0));
        let usd = Form::new("Money")
            .currency("USD")
            .number("n", "Amount", "", None);
        let mut usd = usd;
        type_str(&mut usd, "USD 4.50");
        assert_eq!(usd.get_number("n"), Some(4.5));
    }

    #[test]
    fn leaving_an_unreadable_field_asks_keep_or_discard() {
        let mut f = sample();
        let today = day(2026, 3, 1);
        f.focus("by");
        type_str(&mut f, "2027-02-30");
        // Tab, Enter, ↓ and Esc all ask first; the text and its message stay.
        for code in [KeyCode::Tab, KeyCode::Enter, KeyCode::Down, KeyCode::Esc] {
            assert_eq!(f.handle_key(&key(code), today), FormEvent::Handled);
            assert!(f.is_asking(), "{code:?} asks");
            assert_eq!(f.focused(), Some("by"));
            assert_eq!(f.get_text("by"), "2027-02-30");
            let s = screen(&f, 100, 16);
            assert!(s.contains("Keep editing (k or Enter)"), "{s}");
            assert!(s.contains("no such day in the calendar"), "{s}");
            // Keep editing: the question goes, the text stays.
            assert_eq!(
                f.handle_key(&key(KeyCode::Char('k')), today),
                FormEvent::Handled
            );
            assert!(!f.is_asking());
        }
        // Discard: the field gets back what it held when it took focus, then focus moves.
        f.handle_key(&key(KeyCode::Tab), today);
        assert_eq!(
            f.handle_key(&key(KeyCode::Char('d')), today),
            FormEvent::Edited("by")
        );
        assert_eq!(f.get_text("by"), "");
        assert_eq!(f.focused(), Some("owner"));
        // Esc answered with d goes on to Cancel.
        f.focus("target");
        type_str(&mut f, "15x");
        f.handle_key(&key(KeyCode::Esc), today);
        assert_eq!(
            f.handle_key(&key(KeyCode::Char('d')), today),
            FormEvent::Cancel
        );
        assert_eq!(f.get_text("target"), "");
        assert_eq!(
            f.take_restored(),
            Some("target"),
            "the caller may write it back"
        );
        // A caller's own move (next step) asks through may_leave and resumes after d.
        type_str(&mut f, "2O");
        assert!(!f.may_leave());
        assert!(f.is_asking());
        f.handle_key(&key(KeyCode::Char('d')), today);
        assert!(f.take_resumed());
        assert!(!f.take_resumed(), "read once");
        assert!(f.may_leave());
    }

    #[test]
    fn editing_and_browsing_look_different() {
        let mut f = sample();
        let editing = screen(&f, 80, 12);
        assert!(
            editing.contains("┏") && editing.contains("✎ Test"),
            "{editing}"
        );
        f.set_editing(false);
        let browsing = screen(&f, 80, 12);
        assert!(
            browsing.contains("┌") && !browsing.contains("✎"),
            "{browsing}"
        );
    }

    #[test]
    fn long_values_and_messages_wrap_instead_of_being_cut() {
        let mut f = Form::new("Wrap")
            .text(
                "a",
                "Action",
                "Co-branded landing page for the spring launch, can pause if needed",
            )
            .date("by", "Deadline", None)
            .text("z", "Other", "");
        f.focus("by");
        type_str(&mut f, "2027-02-30");
        f.focus("z");
        let s = screen(&f, 80, 14);
        assert!(s.contains("can pause if needed"), "the value wraps:\n{s}");
        assert!(
            s.contains("February 2027 has 28 days"),
            "the message wraps:\n{s}"
        );
    }

    #[test]
    fn a_digit_completes_a_score_but_not_a_text() {
        let mut f = sample();
        let digit = key(KeyCode::Char('4'));
        assert!(
            !f.completes_score(&digit),
            "a digit in a text field is typed"
        );
        f.focus("score");
        assert!(f.completes_score(&digit));
        let ten = Form::new("Ten").score("s", "S", 1, 10, None);
        assert!(
            !ten.completes_score(&key(KeyCode::Char('1'))),
            "may begin 10"
        );
        assert!(ten.completes_score(&key(KeyCode::Char('7'))));
    }

    #[test]
    fn choice_and_score_keys() {
        let mut f = sample();
        let today = day(2026, 1, 1);
        f.focus("owner");
        assert_eq!(
            f.handle_key(&key(KeyCode::Right), today),
            FormEvent::Edited("owner")
        );
        assert_eq!(f.get_choice("owner"), 1);
        f.handle_key(&key(KeyCode::Right), today);
        assert_eq!(f.get_choice("owner"), 0, "choices wrap");
        f.focus("score");
        type_str(&mut f, "4");
        assert_eq!(f.get_score("score"), Some(4));
        type_str(&mut f, "9");
        assert_eq!(
            f.get_score("score"),
            Some(4),
            "out of range digits are refused"
        );
        f.handle_key(&key(KeyCode::Right), today);
        f.handle_key(&key(KeyCode::Right), today);
        assert_eq!(f.get_score("score"), Some(5));
        f.handle_key(&key(KeyCode::Backspace), today);
        assert_eq!(f.get_score("score"), None);
    }

    #[test]
    fn unicode_cursor_moves_by_character() {
        let mut f = sample();
        let today = day(2026, 1, 1);
        type_str(&mut f, "Café ☕ 東京");
        f.handle_key(&key(KeyCode::Left), today);
        f.handle_key(&key(KeyCode::Backspace), today);
        assert_eq!(f.get_text("name"), "Café ☕ 京");
        f.handle_key(&key(KeyCode::Home), today);
        f.handle_key(&key(KeyCode::Delete), today);
        assert_eq!(f.get_text("name"), "afé ☕ 京");
        let s = screen(&f, 80, 12);
        // A wide character takes two cells; the screen shows it whole.
        assert!(s.contains("afé ☕") && s.contains("京"), "{s}");
    }

    #[test]
    fn long_text_scrolls_to_keep_the_cursor_visible() {
        let mut f = sample();
        let long: String = (0..300)
            .map(|i| char::from(b'a' + (i % 26) as u8))
            .collect();
        type_str(&mut f, &long);
        type_str(&mut f, "END");
        assert_eq!(f.get_text("name").chars().count(), 303);
        let s = screen(&f, 80, 14);
        assert!(
            s.contains("END"),
            "the end of a long line is shown while typing:\n{s}"
        );
        f.focus("notes");
        type_str(&mut f, &format!("{long} TAIL"));
        let s = screen(&f, 80, 14);
        assert!(
            s.contains("TAIL"),
            "multi-line soft-wraps and follows the cursor:\n{s}"
        );
    }

    #[test]
    fn paste_arrives_as_keys() {
        let mut f = sample();
        f.focus("notes");
        // The shell turns a paste into key events: '\n' becomes Enter.
        type_str(&mut f, "first: ünï\nsecond line\n");
        assert_eq!(f.get_text("notes"), "first: ünï\nsecond line\n");
    }

    #[test]
    fn completeness_counts_required_fields() {
        let mut f = sample();
        assert_eq!(f.completeness(), (0, 3));
        type_str(&mut f, "Glow");
        f.focus("target");
        type_str(&mut f, "12");
        assert_eq!(f.completeness(), (2, 3));
        f.focus("by");
        type_str(&mut f, "bad");
        assert_eq!(f.completeness(), (2, 3), "an invalid date does not count");
    }

    #[test]
    fn the_required_count_shows_only_when_something_is_required() {
        let s = screen(&sample(), 80, 12);
        assert!(s.contains("0/3 required filled"), "{s}");
        let notes = Form::new("Notes").multiline("notes", "Notes", "free text");
        let s = screen(&notes, 80, 12);
        assert!(
            !s.contains("required filled"),
            "no \"0/0 required filled\" on a form without required fields:\n{s}"
        );
    }

    #[test]
    fn focused_field_stays_visible_in_a_small_area() {
        const KEYS: [&str; 30] = [
            "k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9", "k10", "k11", "k12", "k13",
            "k14", "k15", "k16", "k17", "k18", "k19", "k20", "k21", "k22", "k23", "k24", "k25",
            "k26", "k27", "k28", "k29",
        ];
        let mut f = Form::new("Many");
        for k in KEYS {
            f = f.text(k, &format!("Label {k}"), &format!("value of {k}"));
        }
        f.focus("k29");
        let s = screen(&f, 80, 24);
        assert!(s.contains("value of k29"), "{s}");
        assert!(s.contains("▸ Label k29"));
    }
}
