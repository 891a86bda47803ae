//! Merge conflicts in the workspace (SPEC §10): a portfolio opened with `NAME.conflicts.ron`
//! beside it offers each conflict the merge driver left — alliance › field, ours / theirs /
//! base — and the user picks ours or theirs for each. Applying the picks is one undo step.
//!
//! The driver already wrote ours into the file, so the list is the only record of theirs: it
//! is removed only once the file on disk holds every choice — at once when the choices change
//! nothing (all ours), else after the next save of the resolved portfolio, and then only if
//! that save still holds them (an undo before the save keeps the list). Quitting or crashing
//! before the save therefore never loses a conflict.

use std::path::{Path, PathBuf};

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget, Wrap};

use super::{App, Modal};
use crate::app::Effect;
use crate::app::action::Action;
use crate::merge::{self, Choice, Conflict, ConflictsFile};
use crate::model::Portfolio;
use crate::ui::keys::KeymapEvents;

/// The conflicts of the open portfolio and what the user picked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflicts {
    /// The portfolio the conflicts file sits beside.
    pub portfolio: PathBuf,
    pub list: Vec<Conflict>,
    /// One pick per conflict, `None` until made.
    pub choices: Vec<Option<Choice>>,
    /// The highlighted conflict.
    pub selected: usize,
    /// The picks are applied to the document; the file goes once the disk holds them.
    pub applied: bool,
}

impl Conflicts {
    /// The conflicts of `file`, none picked yet.
    pub fn new(portfolio: &Path, file: ConflictsFile) -> Self {
        Self {
            portfolio: portfolio.to_path_buf(),
            choices: vec![None; file.conflicts.len()],
            list: file.conflicts,
            selected: 0,
            applied: false,
        }
    }

    /// How many conflicts have no pick yet.
    pub fn open(&self) -> usize {
        self.choices.iter().filter(|c| c.is_none()).count()
    }

    /// The conflicts file's name, for messages.
    pub fn file_name(&self) -> String {
        merge::conflicts_path(&self.portfolio)
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
    }

    /// `portfolio` with every pick applied.
    fn resolved(&self, portfolio: &Portfolio) -> Result<Portfolio, merge::MergeError> {
        let mut p = portfolio.clone();
        for (c, choice) in self.list.iter().zip(&self.choices) {
            if let Some(choice) = choice {
                p = merge::resolve(&p, c, *choice)?;
            }
        }
        Ok(p)
    }

    /// Whether `portfolio` holds every picked value (applying them again changes nothing).
    pub fn held_by(&self, portfolio: &Portfolio) -> bool {
        self.list.iter().zip(&self.choices).all(|(c, choice)| {
            choice.is_some_and(|choice| {
                merge::resolve(portfolio, c, choice).is_ok_and(|r| r == *portfolio)
            })
        })
    }
}

/// A conflict's value as shown: sanitised, `(absent)` for a record that is not there.
fn side(value: Option<&str>) -> String {
    value.map_or_else(|| "(absent)".to_owned(), merge::sanitise)
}

impl App {
    /// Offer `file`'s conflicts for the portfolio at `path` (at start, before other notices
    /// close).
    pub fn offer_conflicts(&mut self, path: &Path, file: ConflictsFile) {
        if file.conflicts.is_empty() {
            return;
        }
        self.conflicts = Some(Conflicts::new(path, file));
        self.queued.push_back(Modal::Conflicts);
    }

    /// A key while the conflicts list is open.
    pub(super) fn conflicts_key(&mut self, key: &KeyEvent) -> Vec<Effect> {
        let Some(c) = self.conflicts.as_mut() else {
            return Vec::new();
        };
        let n = c.list.len();
        self.modal = Some(Modal::Conflicts);
        match (key.code, self.keymap.action(key)) {
            (KeyCode::Char('o' | 'O') | KeyCode::Left, _) => {
                c.choices[c.selected] = Some(Choice::Ours);
                c.selected = (c.selected + 1).min(n - 1);
            }
            (KeyCode::Char('t' | 'T') | KeyCode::Right, _) => {
                c.choices[c.selected] = Some(Choice::Theirs);
                c.selected = (c.selected + 1).min(n - 1);
            }
            (KeyCode::Up, _) | (_, Some(Action::Up)) => c.selected = c.selected.saturating_sub(1),
            (KeyCode::Down, _) | (_, Some(Action::Down)) => {
                c.selected = (c.selected + 1).min(n - 1);
            }
            (KeyCode::Enter, _) => return self.apply_conflicts(),
            (KeyCode::Esc, _) => {
                self.modal = None;
                self.status = Some(format!(
                    "Merge conflicts left for later: {} stays until they are settled",
                    c.file_name()
                ));
            }
            _ => {}
        }
        Vec::new()
    }

    /// Enter: put every pick in the document as one undo step.
    fn apply_conflicts(&mut self) -> Vec<Effect> {
        let Some(c) = self.conflicts.as_mut() else {
            return Vec::new();
        };
        let open = c.open();
        if open > 0 {
            self.status = Some(format!(
                "Pick ours (o) or theirs (t) for every conflict first: {open} left"
            ));
            return Vec::new();
        }
        let resolved = match c.resolved(&self.doc.portfolio) {
            Ok(p) => p,
            Err(e) => {
                self.modal = Some(Modal::Notice {
                    title: "Cannot apply the picks".to_owned(),
                    lines: vec![
                        merge::sanitise(&e.to_string()),
                        format!("{} is kept.", c.file_name()),
                    ],
                });
                // The list comes back once the notice is read.
                self.queued.push_front(Modal::Conflicts);
                return Vec::new();
            }
        };
        let n = c.list.len();
        c.applied = true;
        let (name, path) = (c.file_name(), c.portfolio.clone());
        self.doc.replace_portfolio(
            resolved,
            format!(
                "resolve {n} merge conflict{}",
                if n == 1 { "" } else { "s" }
            ),
        );
        self.modal = None;
        if self.doc.is_dirty() {
            self.status = Some(format!(
                "Merge conflicts resolved (u undoes); Ctrl-s saves, then {name} is removed"
            ));
            Vec::new()
        } else {
            // The picks change nothing: the file on disk (ours, as the driver wrote it)
            // already holds them.
            vec![Effect::RemoveConflicts { path }]
        }
    }

    /// After a save of `path`: remove the conflicts file if the saved portfolio holds every
    /// pick; if an undo took them back, keep it and offer the list again.
    pub(super) fn conflicts_after_save(&mut self, path: &Path) {
        let Some(c) = self.conflicts.as_mut() else {
            return;
        };
        if !c.applied || !crate::app::options::same_file(&c.portfolio, path) {
            return;
        }
        if c.held_by(&self.doc.portfolio) {
            self.follow_ups.push(Effect::RemoveConflicts {
                path: c.portfolio.clone(),
            });
        } else {
            c.applied = false;
            let name = c.file_name();
            if let Some(status) = &mut self.status {
                *status = format!("{status}; {name} kept: the saved file does not hold the picks");
            }
            self.queued.push_back(Modal::Conflicts);
        }
    }

    /// The conflicts file is gone: nothing is left to settle.
    pub(super) fn conflicts_removed(&mut self, path: &Path) {
        self.conflicts = None;
        let name = merge::conflicts_path(path)
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let line = format!("All merge conflicts settled: removed {name}");
        self.status = Some(match self.status.take() {
            Some(s) if s.starts_with("Saved") => format!("{s}; {line}"),
            _ => line,
        });
    }
}

/// Draw the conflicts list over the workspace.
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let Some(c) = &app.conflicts else {
        return;
    };
    let theme = &app.theme;
    let w = area.width.saturating_sub(4).min(100);
    let h = area.height.saturating_sub(2);
    let rect = crate::ui::centered(area, w, h);
    Clear.render(rect, buf);
    let block = Block::bordered()
        .title(Span::styled(
            format!(
                " Merge conflicts ({} of {} picked) ",
                c.list.len() - c.open(),
                c.list.len()
            ),
            theme.title,
        ))
        .border_style(theme.border_focus);
    let inner = block.inner(rect);
    block.render(rect, buf);
    let mut head = vec![
        Line::raw(format!(
            "Both sides changed these differently. The file holds ours; {} keeps the list.",
            c.file_name()
        )),
        Line::raw(""),
    ];
    let keys = Line::styled(
        "o/←: ours   t/→: theirs   ↑↓: move   Enter: apply (one undo step)   Esc: later",
        theme.key,
    );
    // Each conflict takes four rows: show a window that holds the highlighted one.
    let rows = usize::from(inner.height).saturating_sub(head.len() + 2);
    let fit = (rows / 4).max(1);
    let first = c.selected.saturating_sub(fit - 1);
    for (i, (conflict, choice)) in c
        .list
        .iter()
        .zip(&c.choices)
        .enumerate()
        .skip(first)
        .take(fit)
    {
        let selected = i == c.selected;
        let style = if selected { theme.selected } else { theme.base };
        let pick = match choice {
            Some(Choice::Ours) => "[ours]",
            Some(Choice::Theirs) => "[theirs]",
            None => "[pick o / t]",
        };
        head.push(Line::from(vec![
            Span::styled(
                format!(
                    "{}{} › {} ",
                    if selected { "▶ " } else { "  " },
                    merge::sanitise(conflict.alliance.as_deref().unwrap_or("portfolio")),
                    merge::sanitise(&conflict.field)
                ),
                style,
            ),
            Span::styled(
                pick,
                if choice.is_some() {
                    theme.ok
                } else {
                    theme.warn
                },
            ),
        ]));
        let value = |label: &str, v: Option<&str>, on: bool| {
            Line::from(vec![
                Span::styled(format!("    {label:<7}"), theme.muted),
                Span::styled(side(v), if on { theme.title } else { theme.base }),
            ])
        };
        head.push(value(
            "ours",
            conflict.ours.as_deref(),
            *choice == Some(Choice::Ours),
        ));
        head.push(value(
            "theirs",
            conflict.theirs.as_deref(),
            *choice == Some(Choice::Theirs),
        ));
        head.push(value("base", conflict.base.as_deref(), false));
    }
    let body_h = inner.height.saturating_sub(1);
    Paragraph::new(head).wrap(Wrap { trim: false }).render(
        Rect {
            height: body_h,
            ..inner
        },
        buf,
    );
    Paragraph::new(keys).render(
        Rect {
            y: inner.y + body_h,
            height: 1.min(inner.height),
            ..inner
        },
        buf,
    );
}

#[cfg(test)]
mod tests;
