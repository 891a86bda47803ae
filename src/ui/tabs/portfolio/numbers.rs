//! The Portfolio tab's *monthly numbers* popup: for one month, the brand's total revenue, the
//! current alliance's attributed revenue and each charter win condition's actual — the numbers
//! the scoreboard is computed from — entered through the form engine and saved as one undoable
//! edit.
//!
//! An empty field means "no value" and removes the entry; it is never written as 0, because a
//! made-up 0 would become an ARCR of 0% or a win condition measured at nothing.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph, Widget, Wrap};

use crate::app::document::Document;
use crate::model::{Month, MonthlyValues};
use crate::ui::form::{Form, FormEvent, format_number};
use crate::ui::tabs::{Outcome, ViewCtx};
use crate::ui::widgets::format::percent;

/// Field keys of the win condition actuals (the form engine keys fields by `&'static str`);
/// a charter with more win conditions shows the first this many.
const WIN_KEYS: [&str; 16] = [
    "win0", "win1", "win2", "win3", "win4", "win5", "win6", "win7", "win8", "win9", "win10",
    "win11", "win12", "win13", "win14", "win15",
];

const MONTH: &str = "month";
const BRAND: &str = "brand";
const ALLIANCE: &str = "alliance";

/// The open popup: the form plus what it edits.
#[derive(Debug)]
pub struct NumbersEditor {
    form: Form,
    /// The alliance edited, by id: an index could point elsewhere after an undo or redo.
    alliance_id: String,
    partner: String,
    /// The month the fields show: the last month text that read as a month.
    month: Month,
    /// How many win condition fields the form has.
    wins: usize,
    /// The charter has more win conditions than the form shows.
    more_wins: bool,
    /// The brand's total is a field (not in share mode).
    brand_shown: bool,
}

/// The popup's answer to a key.
pub enum NumbersKey {
    /// Stay open; pass this outcome on.
    Stay(Outcome),
    /// Close, with a line for the status bar.
    Close(String),
}

impl NumbersEditor {
    /// The popup for the current alliance, on the latest month with brand revenue (not after
    /// the as-of month), else the month before the as-of month.
    /// In share mode (`share`) the brand's total revenue is not shown (SPEC §7): the form has
    /// no field for it and saving keeps what the file has.
    pub fn open(doc: &Document, share: bool) -> Result<Self, String> {
        let Some(a) = doc.current_alliance() else {
            return Err("No alliance yet: a adds one".to_owned());
        };
        let month = doc
            .scores
            .portfolio
            .latest_month
            .unwrap_or_else(|| Month::of(doc.as_of).prev());
        let currency = doc.portfolio.currency.as_str();
        let mut form = Form::new(format!("Monthly numbers · {}", a.partner))
            // "USD 15,000" reads as in the charter.
            .currency(currency)
            .text(MONTH, "Month", &month.to_string())
            .required(MONTH)
            .help(
                MONTH,
                "YYYY-MM · the fields below show what the file has for that month",
            )
            .heading("Revenue");
        if !share {
            form = form.number(BRAND, "Brand total", currency, None).help(
                BRAND,
                "The brand's total revenue that month, every channel · empty: no value",
            );
        }
        form = form.number(ALLIANCE, "This alliance", currency, None).help(
            ALLIANCE,
            "Revenue attributed to this alliance that month · empty: no value",
        );
        let conditions = a
            .charter
            .as_ref()
            .map_or(&[][..], |c| c.win_conditions.as_slice());
        let wins = conditions.len().min(WIN_KEYS.len());
        if wins > 0 {
            form = form.heading("Win condition actuals");
        }
        for (w, key) in conditions.iter().zip(WIN_KEYS) {
            let target = w.target.map_or_else(
                || "no target".to_owned(),
                |t| format!("target {}", format_number(t)),
            );
            let unit = if w.unit.is_empty() {
                target
            } else {
                format!("{} · {target}", w.unit)
            };
            let by =
                w.by.map_or_else(|| "no deadline".to_owned(), |d| format!("by {d}"));
            form = form.number(key, &w.metric, &unit, None).help(
                key,
                &format!("{}: {unit}, {by} · empty: no value", w.metric),
            );
        }
        let mut editor = Self {
            form,
            alliance_id: a.id.clone(),
            partner: a.partner.clone(),
            month,
            wins,
            more_wins: conditions.len() > wins,
            brand_shown: !share,
        };
        editor.fill(doc);
        // The month is usually right: start on the first number.
        editor
            .form
            .focus(if editor.brand_shown { BRAND } else { ALLIANCE });
        Ok(editor)
    }

    /// Show what the file has for `self.month` in every number field.
    fn fill(&mut self, doc: &Document) {
        let Some(a) = doc.portfolio.alliance(&self.alliance_id) else {
            return;
        };
        let month = self.month;
        let text = |values: &MonthlyValues| {
            values
                .get(&month)
                .map_or(String::new(), |v| format_number(*v))
        };
        if self.brand_shown {
            self.form.set_text(BRAND, &text(&doc.portfolio.revenue));
        }
        self.form.set_text(ALLIANCE, &text(&a.revenue));
        if let Some(c) = &a.charter {
            for (w, key) in c.win_conditions.iter().zip(WIN_KEYS).take(self.wins) {
                self.form.set_text(key, &text(&w.actuals));
            }
        }
        for key in self.number_keys() {
            self.check(key);
        }
    }

    fn number_keys(&self) -> Vec<&'static str> {
        [BRAND, ALLIANCE]
            .into_iter()
            .filter(|k| self.brand_shown || *k != BRAND)
            .chain(WIN_KEYS.into_iter().take(self.wins))
            .collect()
    }

    /// A number may be empty but not negative (the form engine already refuses non-numbers
    /// and infinities).
    fn check(&mut self, key: &'static str) {
        let negative = self.form.get_number(key).is_some_and(|n| n < 0.0);
        self.form
            .set_error(key, negative.then(|| "must be 0 or more".to_owned()));
    }

    /// Feed a key to the form; Enter saves, Esc closes. In share mode the message after saving
    /// leaves out the portfolio-wide figures.
    pub fn on_key(&mut self, key: &KeyEvent, doc: &mut Document, share: bool) -> NumbersKey {
        match self.form.handle_key(key, doc.as_of) {
            FormEvent::Cancel => NumbersKey::Close("Numbers not saved".to_owned()),
            FormEvent::Edited(MONTH) => {
                match self.form.get_text(MONTH).trim().parse::<Month>() {
                    Ok(month) => {
                        self.form.set_error(MONTH, None);
                        if month != self.month {
                            self.month = month;
                            self.fill(doc);
                        }
                    }
                    Err(_) => self
                        .form
                        .set_error(MONTH, Some("a month: YYYY-MM".to_owned())),
                }
                NumbersKey::Stay(Outcome::Handled)
            }
            FormEvent::Edited(field) => {
                self.check(field);
                NumbersKey::Stay(Outcome::Handled)
            }
            FormEvent::Submit => self.save(doc, share),
            // Control chords (save, redo) go on to the shell.
            FormEvent::Ignored => NumbersKey::Stay(Outcome::Ignored),
            FormEvent::Handled | FormEvent::Moved => NumbersKey::Stay(Outcome::Handled),
        }
    }

    /// Write every field for the month as one undoable edit.
    fn save(&mut self, doc: &mut Document, share: bool) -> NumbersKey {
        if !self.form.is_valid() {
            return NumbersKey::Stay(Outcome::Message(
                "Fix the marked fields first (Esc cancels)".to_owned(),
            ));
        }
        let Some(index) = doc.portfolio.alliance_index(&self.alliance_id) else {
            return NumbersKey::Close(format!("{} is gone: numbers not saved", self.partner));
        };
        let month = self.month;
        // Not shown (share mode): the file's value stays as it is.
        let brand = if self.brand_shown {
            self.form.get_number(BRAND)
        } else {
            doc.portfolio.revenue.get(&month).copied()
        };
        let attributed = self.form.get_number(ALLIANCE);
        let actuals: Vec<Option<f64>> = WIN_KEYS
            .iter()
            .take(self.wins)
            .map(|key| self.form.get_number(key))
            .collect();
        let label = format!("numbers for {month} ({})", self.partner);
        let revision = doc.revision;
        doc.edit_alliance_and_brand_revenue(index, label, |revenue, a| {
            set(revenue, month, brand);
            set(&mut a.revenue, month, attributed);
            if let Some(c) = a.charter.as_mut() {
                for (w, value) in c.win_conditions.iter_mut().zip(actuals) {
                    set(&mut w.actuals, month, value);
                }
            }
        });
        if doc.revision == revision {
            return NumbersKey::Close(format!("Numbers for {month}: nothing changed"));
        }
        let arcr = doc
            .scores
            .alliances
            .get(index)
            .and_then(|s| s.arcr.series.iter().find(|m| m.month == month))
            .map(|m| m.value);
        // The alliance share is the whole portfolio's: not for a partner's eyes.
        // The share is the latest month's: name that month when another one was saved.
        let latest = doc.scores.portfolio.latest_month;
        let portfolio = if share {
            String::new()
        } else if latest == Some(month) || latest.is_none() {
            format!(
                " · alliance share {}",
                percent(doc.scores.portfolio.alliance_share)
            )
        } else {
            format!(
                " · alliance share {} in {}",
                percent(doc.scores.portfolio.alliance_share),
                latest.map(|m| m.to_string()).unwrap_or_default()
            )
        };
        NumbersKey::Close(format!(
            "Saved numbers for {month} · ARCR {}{portfolio} (u undoes)",
            percent(arcr),
        ))
    }

    /// What the footer offers while the popup is open.
    pub fn hints() -> Vec<(crate::app::action::Action, &'static str)> {
        use crate::app::action::Action;
        vec![
            (Action::NextTab, "next field"),
            (Action::Open, "save"),
            (Action::Back, "cancel"),
        ]
    }

    /// The lines under the form: what the file says now, and warnings that do not block.
    fn notes(&self, cx: &ViewCtx) -> Vec<Line<'static>> {
        let theme = cx.theme;
        let doc = cx.doc;
        let month = self.month;
        let mut lines = Vec::new();
        let scores = doc
            .portfolio
            .alliance_index(&self.alliance_id)
            .and_then(|i| doc.scores.alliances.get(i));
        let arcr = scores
            .and_then(|s| s.arcr.series.iter().find(|m| m.month == month))
            .map(|m| m.value);
        let mut now = format!("On file now: ARCR {month} {}", percent(arcr));
        // The alliance share is the whole portfolio's: share mode leaves it out.
        if !cx.share && doc.scores.portfolio.latest_month == Some(month) {
            let share = percent(doc.scores.portfolio.alliance_share);
            now = format!("{now} · alliance share {share}");
        }
        lines.push(Line::styled(now, theme.muted));
        if let (Some(brand), Some(attributed)) =
            (self.form.get_number(BRAND), self.form.get_number(ALLIANCE))
            && attributed > brand
        {
            lines.push(Line::styled(
                format!("▲ this alliance's revenue is above the brand's total for {month}"),
                theme.warn,
            ));
        }
        if !cx.share
            && self.form.get_number(BRAND).is_some()
            && !doc.portfolio.revenue.contains_key(&month)
        {
            // SPEC §1.1: a month with brand revenue and no alliance entry is an ARCR of 0, so a
            // month entered for one partner first turns the others' ARCR to 0 until theirs is in.
            // (Counting other alliances is portfolio data: not while sharing.)
            let missing = doc
                .portfolio
                .alliances
                .iter()
                .filter(|a| a.id != self.alliance_id)
                .filter(|a| Month::of(a.started) <= month && !a.revenue.contains_key(&month))
                .count();
            if missing > 0 {
                lines.push(Line::styled(
                    format!(
                        "▲ {missing} other alliance{} no revenue for {month} yet: until entered, \
                         their ARCR for {month} counts as 0",
                        if missing == 1 { " has" } else { "s have" }
                    ),
                    theme.warn,
                ));
            }
        }
        if month > Month::of(doc.as_of) {
            lines.push(Line::styled(
                format!("▲ {month} is after the as-of month: it counts from then on, not now"),
                theme.warn,
            ));
        }
        if self.wins == 0 {
            lines.push(Line::styled(
                "No win conditions yet: they come from the charter (2)",
                theme.muted,
            ));
        } else if self.more_wins {
            lines.push(Line::styled(
                format!("Only the first {} win conditions are shown", self.wins),
                theme.muted,
            ));
        }
        lines.push(Line::styled(
            "Empty field: no value (removed, never 0) · Enter saves · Esc cancels",
            theme.muted,
        ));
        lines
    }

    /// Draw the popup centred in `area`; reads the document, changes nothing.
    pub fn render(&self, area: Rect, buf: &mut Buffer, cx: &ViewCtx) {
        let notes = self.notes(cx);
        let width = 78.min(area.width);
        // Rows the notes take once wrapped inside their border.
        let inner = usize::from(width.saturating_sub(2)).max(1);
        let note_rows: usize = notes.iter().map(|l| l.width().div_ceil(inner).max(1)).sum();
        let note_h = u16::try_from(note_rows)
            .unwrap_or(u16::MAX)
            .saturating_add(2);
        // Fields, their headings, the border and the help row.
        let headings = 1 + u16::from(self.wins > 0);
        let form_h = u16::try_from(self.form.len())
            .unwrap_or(u16::MAX)
            .saturating_add(headings + 3);
        let rect = crate::ui::centered(area, width, form_h.saturating_add(note_h));
        Clear.render(rect, buf);
        let [form_area, note_area] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(note_h)]).areas(rect);
        self.form.render(form_area, buf, cx.theme);
        Paragraph::new(notes)
            .wrap(Wrap { trim: false })
            .style(cx.theme.base)
            .block(Block::bordered().border_style(cx.theme.border))
            .render(note_area, buf);
    }
}

/// Set or remove one month's value.
fn set(values: &mut MonthlyValues, month: Month, value: Option<f64>) {
    match value {
        Some(v) => {
            values.insert(month, v);
        }
        None => {
            values.remove(&month);
        }
    }
}
