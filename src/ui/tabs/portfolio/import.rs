//! The revenue import popup (`i` on the Portfolio, SPEC §9): a path prompt (the shared line
//! editor) for a Shopify orders export or an attribution report with its three column names,
//! then the same per-month old → new table the command line prints, with its warnings,
//! in a scrollable popup. Applying it is one undo step; cancelling writes nothing. Reading the
//! file is the runner's work (`Effect::ReadRevenue`); its plan comes back through
//! [`ImportPopup::read`].

use std::path::{Path, PathBuf};

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget, Wrap};

use crate::app::Effect;
use crate::app::action::Action;
use crate::app::document::Document;
use crate::import::revenue::{self, Plan, Problems, ReportColumns};
use crate::ui::tabs::{Outcome, ViewCtx};
use crate::ui::widgets::line_edit::{LineEdit, LineEvent};

/// "412,000 rows (118 MB) read so far", or a wait line before the first rows.
fn reading_progress(p: revenue::Progress) -> String {
    if p.rows == 0 {
        return "Opening the file…".to_owned();
    }
    format!(
        "{} rows ({:.1} MB) read so far",
        grouped(p.rows),
        p.bytes as f64 / 1e6
    )
}

/// `1234567` as `1,234,567`.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Where the popup is.
#[derive(Debug)]
pub enum ImportPopup {
    /// Asking for the export's path (and, for a report, its columns).
    Prompt(Box<Prompt>),
    /// The runner is reading `path` in the background; `progress` is how far it got.
    Reading {
        path: PathBuf,
        progress: revenue::Progress,
    },
    /// The plan, previewed; nothing changed yet.
    Preview {
        path: PathBuf,
        plan: Box<Plan>,
        lines: Vec<String>,
        scroll: u16,
    },
    /// The export could not be used: every problem with its line.
    Problems {
        path: PathBuf,
        lines: Vec<String>,
        scroll: u16,
    },
}

/// The prompt's fields: the path, the format, and an attribution report's three columns.
#[derive(Debug)]
pub struct Prompt {
    path: LineEdit,
    /// An attribution report rather than a Shopify orders export.
    report: bool,
    /// Date, revenue and key columns of a report.
    columns: [LineEdit; 3],
    /// 0 the path, 1 the format, 2–4 the columns.
    focus: usize,
    error: Option<String>,
}

const COLUMN_LABELS: [&str; 3] = ["Date column", "Revenue column", "Key column"];

impl Prompt {
    fn new(path: &str) -> Self {
        Self {
            path: LineEdit::new(path),
            report: false,
            columns: [
                LineEdit::new("Date"),
                LineEdit::new("Revenue"),
                LineEdit::new("Source"),
            ],
            focus: 0,
            error: None,
        }
    }

    fn fields(&self) -> usize {
        if self.report { 5 } else { 2 }
    }

    /// The field with focus, when it is a text field.
    fn line(&mut self) -> Option<&mut LineEdit> {
        match self.focus {
            0 => Some(&mut self.path),
            1 => None,
            i => self.columns.get_mut(i - 2),
        }
    }

    /// Enter: what to read, or why not yet.
    fn submit(&self) -> Result<(PathBuf, Option<ReportColumns>), String> {
        let path = self.path.text().trim();
        if path.is_empty() {
            return Err("Name the file to import.".to_owned());
        }
        if !self.report {
            return Ok((PathBuf::from(path), None));
        }
        let [date, revenue, key] = self.columns.each_ref().map(|c| c.text().trim().to_owned());
        if date.is_empty() || revenue.is_empty() || key.is_empty() {
            return Err(
                "An attribution report needs its date, revenue and key columns.".to_owned(),
            );
        }
        Ok((
            PathBuf::from(path),
            Some(ReportColumns { date, revenue, key }),
        ))
    }

    fn on_key(&mut self, key: &KeyEvent) -> Outcome {
        self.error = None;
        match key.code {
            KeyCode::Tab => self.focus = (self.focus + 1) % self.fields(),
            KeyCode::BackTab => self.focus = (self.focus + self.fields() - 1) % self.fields(),
            KeyCode::Up => self.focus = self.focus.saturating_sub(1),
            KeyCode::Down => self.focus = (self.focus + 1).min(self.fields() - 1),
            KeyCode::Left | KeyCode::Right | KeyCode::Char(' ') if self.focus == 1 => {
                self.report = !self.report;
            }
            _ => {
                return match self.line().map(|l| l.on_key(key)) {
                    // Control keys the line editor does not use (Ctrl-s) are the shell's.
                    Some(LineEvent::Ignored) => Outcome::Ignored,
                    Some(_) | None => Outcome::Handled,
                };
            }
        }
        Outcome::Handled
    }

    fn lines(&self, cx: &ViewCtx) -> Vec<Line<'static>> {
        let theme = cx.theme;
        let field = |label: &str, line: &LineEdit, focused: bool| {
            Line::from(vec![
                Span::styled(format!("{label:<16}"), theme.muted),
                if focused {
                    Span::styled(line.with_cursor(), theme.input)
                } else {
                    Span::raw(line.text().to_owned())
                },
            ])
        };
        let mut lines = vec![
            field("File", &self.path, self.focus == 0),
            Line::from(vec![
                Span::styled(format!("{:<16}", "Format"), theme.muted),
                Span::styled(
                    format!(
                        "‹ {} ›",
                        if self.report {
                            "attribution report (Triple Whale, Polar, GA4)"
                        } else {
                            "Shopify orders export (Orders → Export → CSV)"
                        }
                    ),
                    if self.focus == 1 {
                        theme.selected
                    } else {
                        theme.base
                    },
                ),
            ]),
        ];
        if self.report {
            for (i, (label, column)) in COLUMN_LABELS.iter().zip(&self.columns).enumerate() {
                lines.push(field(label, column, self.focus == i + 2));
            }
            lines.push(Line::styled(
                "  Each row's key is matched against the alliances' sources; the brand total is \
                 untouched.",
                theme.muted,
            ));
        }
        if let Some(e) = &self.error {
            lines.push(Line::styled(e.clone(), theme.warn));
        }
        lines
    }
}

/// What a key did to the popup.
pub enum ImportKey {
    Stay(Outcome),
    Close(Outcome),
}

impl ImportPopup {
    /// The prompt, starting in the portfolio's folder.
    pub fn open(doc: &Document) -> Self {
        let start = doc
            .path()
            .and_then(|p| p.parent())
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(String::new, |p| {
                format!("{}{}", p.display(), std::path::MAIN_SEPARATOR)
            });
        Self::Prompt(Box::new(Prompt::new(&start)))
    }

    /// Only the prompt takes typed text; the preview answers to its keys.
    pub fn editing(&self) -> bool {
        matches!(self, Self::Prompt { .. })
    }

    /// The runner read `path`: show the plan or the problems.
    /// How far the background read of `path` got.
    pub fn progress(&mut self, path: &Path, now: revenue::Progress) {
        if let Self::Reading {
            path: reading,
            progress,
        } = self
            && reading == path
        {
            *progress = now;
        }
    }

    pub fn read(&mut self, path: &Path, plan: Result<Plan, Problems>) {
        if !matches!(self, Self::Reading { path: reading, .. } if reading == path) {
            return;
        }
        *self = match plan {
            Ok(plan) => {
                let mut lines = vec![summary(&plan), String::new()];
                lines.extend(revenue::preview(&plan).lines().map(str::to_owned));
                Self::Preview {
                    path: path.to_owned(),
                    plan: Box::new(plan),
                    lines,
                    scroll: 0,
                }
            }
            Err(problems) => Self::Problems {
                path: path.to_owned(),
                // Problems name the file and line; their text is the export's, made visible.
                lines: problems.to_string().lines().map(revenue::visible).collect(),
                scroll: 0,
            },
        };
    }

    /// A raw key (the prompt), or a key the keymap did not claim.
    pub fn on_key(&mut self, key: &KeyEvent, doc: &mut Document) -> ImportKey {
        match self {
            Self::Prompt(prompt) => match key.code {
                KeyCode::Esc => ImportKey::Close(Outcome::Message(
                    "Import cancelled: nothing changed".to_owned(),
                )),
                KeyCode::Enter => match prompt.submit() {
                    Ok((path, columns)) => {
                        *self = Self::Reading {
                            path: path.clone(),
                            progress: revenue::Progress::default(),
                        };
                        ImportKey::Stay(Outcome::Effect(Effect::ReadRevenue { path, columns }))
                    }
                    Err(why) => {
                        prompt.error = Some(why);
                        ImportKey::Stay(Outcome::Handled)
                    }
                },
                _ => ImportKey::Stay(prompt.on_key(key)),
            },
            // Reading goes on in the background; Esc stops waiting for it, and what it finds
            // is dropped (`read` takes a plan only while this popup waits for it).
            Self::Reading { .. } => match key.code {
                KeyCode::Esc => ImportKey::Close(Outcome::Message(
                    "Import cancelled: nothing changed".to_owned(),
                )),
                _ => ImportKey::Stay(Outcome::Handled),
            },
            Self::Preview { .. } | Self::Problems { .. } => match key.code {
                KeyCode::Esc | KeyCode::Char('q') => ImportKey::Close(Outcome::Message(
                    "Import cancelled: nothing changed".to_owned(),
                )),
                KeyCode::Enter | KeyCode::Char('y') => self.confirm(doc),
                KeyCode::Down | KeyCode::Char('j') => self.scroll_by(1),
                KeyCode::Up | KeyCode::Char('k') => self.scroll_by(-1),
                KeyCode::PageDown => self.scroll_by(10),
                KeyCode::PageUp => self.scroll_by(-10),
                _ => ImportKey::Stay(Outcome::Ignored),
            },
        }
    }

    /// The mouse wheel (the shell turns it into ↑/↓).
    pub fn on_action(&mut self, action: Action) -> ImportKey {
        match action {
            Action::Down => self.scroll_by(1),
            Action::Up => self.scroll_by(-1),
            // Save, quit and the rest stay the shell's while the popup is open.
            _ => ImportKey::Stay(Outcome::Ignored),
        }
    }

    fn scroll_by(&mut self, by: i32) -> ImportKey {
        if let Self::Preview { lines, scroll, .. } | Self::Problems { lines, scroll, .. } = self {
            let max = i32::try_from(lines.len()).unwrap_or(i32::MAX);
            let next = (i32::from(*scroll) + by).clamp(0, max.saturating_sub(1));
            *scroll = u16::try_from(next).unwrap_or(0);
        }
        ImportKey::Stay(Outcome::Handled)
    }

    /// Enter: apply the previewed plan as one undo step, or go back to the path after problems.
    fn confirm(&mut self, doc: &mut Document) -> ImportKey {
        match self {
            Self::Preview { path, plan, .. } => {
                let name = file_name(path);
                let mut portfolio = doc.portfolio.clone();
                let changed = revenue::apply(&mut portfolio, plan);
                if changed == 0 {
                    return ImportKey::Close(Outcome::Message(format!(
                        "Nothing to import: the portfolio already has the figures of {name}"
                    )));
                }
                doc.replace_portfolio(portfolio, format!("import revenue from {name}"));
                ImportKey::Close(Outcome::Message(format!(
                    "Imported {changed} {} from {name} (u undoes; Ctrl-s saves)",
                    if changed == 1 { "value" } else { "values" }
                )))
            }
            Self::Problems { path, .. } => {
                *self = Self::Prompt(Box::new(Prompt::new(&path.display().to_string())));
                ImportKey::Stay(Outcome::Handled)
            }
            _ => ImportKey::Stay(Outcome::Handled),
        }
    }

    pub fn hints(&self) -> Vec<(Action, &'static str)> {
        match self {
            Self::Prompt { .. } | Self::Reading { .. } => {
                vec![(Action::Open, "read"), (Action::Back, "cancel")]
            }
            Self::Preview { .. } => vec![
                (Action::Open, "apply"),
                (Action::Down, "scroll"),
                (Action::Back, "cancel"),
            ],
            Self::Problems { .. } => vec![
                (Action::Open, "edit path"),
                (Action::Down, "scroll"),
                (Action::Back, "close"),
            ],
        }
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, cx: &ViewCtx) {
        let theme = cx.theme;
        let (title, body, keys, scroll): (String, Vec<Line>, &str, u16) = match self {
            Self::Prompt(prompt) => (
                " Import revenue ".to_owned(),
                prompt.lines(cx),
                "Tab: next field  ←→: format  Enter: read and preview  Esc: cancel",
                0,
            ),
            Self::Reading { path, progress } => (
                " Import revenue ".to_owned(),
                vec![
                    Line::raw(format!("Reading {}…", visible_path(path))),
                    Line::raw(reading_progress(*progress)),
                ],
                "Esc: cancel (nothing changes)",
                0,
            ),
            Self::Preview {
                path,
                lines,
                scroll,
                ..
            } => (
                format!(" Import revenue from {} ", file_name(path)),
                lines
                    .iter()
                    .map(|l| {
                        if l.trim_start().starts_with("warning") {
                            Line::styled(l.clone(), theme.warn)
                        } else {
                            Line::raw(l.clone())
                        }
                    })
                    .collect(),
                "Enter/y: apply (one undo step)   ↑↓ PgUp PgDn: scroll   Esc: cancel",
                *scroll,
            ),
            Self::Problems {
                path,
                lines,
                scroll,
            } => (
                format!(" Cannot import {} ", file_name(path)),
                lines
                    .iter()
                    .map(|l| Line::styled(l.clone(), theme.warn))
                    .collect(),
                "Enter: change the path   ↑↓: scroll   Esc: close",
                *scroll,
            ),
        };
        let editing = self.editing() || matches!(self, Self::Reading { .. });
        let width = area.width.saturating_sub(4).min(100);
        let height = if let Self::Prompt(prompt) = self {
            u16::try_from(prompt.lines(cx).len()).unwrap_or(8) + 2
        } else if matches!(self, Self::Reading { .. }) {
            // The file, and how far the reading got.
            4
        } else if editing {
            3
        } else {
            area.height.saturating_sub(2)
        };
        let rect = crate::ui::centered(area, width, height);
        Clear.render(rect, buf);
        let block = Block::bordered()
            .border_style(theme.border_focus)
            .title(Span::styled(title, theme.title))
            .title_bottom(Span::styled(format!(" {keys} "), theme.key));
        let inner = block.inner(rect);
        block.render(rect, buf);
        Paragraph::new(body)
            .style(theme.base)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0))
            .render(inner, buf);
    }
}

/// The first line of the preview: what was read.
fn summary(plan: &Plan) -> String {
    let s = plan.stats;
    if plan.kind == "Shopify orders" {
        format!(
            "{} rows, {} orders: {} counted, {} cancelled, {} voided; {} attributed, {} ambiguous",
            s.rows, s.orders, s.counted, s.cancelled, s.voided, s.attributed, s.ambiguous
        )
    } else {
        format!(
            "{} rows: {} attributed, {} ambiguous",
            s.counted, s.attributed, s.ambiguous
        )
    }
}

fn file_name(path: &Path) -> String {
    revenue::visible(&path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into(),
    ))
}

fn visible_path(path: &Path) -> String {
    revenue::visible(&path.display().to_string())
}
