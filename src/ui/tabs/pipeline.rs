//! The Pipeline tab: proposed alliances (intakes) scored on the four week-3 dimensions, with
//! *pursue* (total ≥ 12 of 20) or *decline* shown live, and *promote* to a `Proposed` alliance
//! whose charter draft carries the intake's estimated win conditions.
//!
//! The intake form is applied as one undoable edit when it is saved (Enter on the last field,
//! F10, Ctrl-Enter or Ctrl-s); Esc discards it. In share mode the pipeline is hidden: it names
//! other prospective partners.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Row, Table, Widget, Wrap};

use super::{Confirm, Cx, Outcome, TabView, ViewCtx};
use crate::app::action::Action;
use crate::charter::{self, format_win_condition, parse_win_condition};
use crate::model::{AllianceKind, DimensionScores, HEALTH_THRESHOLD, Intake};
use crate::ui::form::{Form, FormEvent};
use crate::ui::theme::Theme;
use crate::ui::widgets::scroll::Scroll;

const CONFIRM_DELETE: u32 = 1;

/// The four dimensions: form key and label.
const DIMENSIONS: [(&str, &str); 4] = [
    ("strategic_alignment", "Strategic alignment"),
    ("execution_reliability", "Execution reliability"),
    ("revenue_contribution", "Revenue contribution"),
    ("relationship_health", "Relationship health"),
];

/// The intake form while it is open.
#[derive(Debug)]
struct Editor {
    /// The intake being edited as it was when the form opened, `None` for a new one. The save
    /// finds it again by value, so an undo or redo that moves intakes meanwhile cannot send the
    /// edit to another one.
    original: Option<Intake>,
    form: Form,
}

#[derive(Debug, Default)]
pub struct PipelineTab {
    scroll: Scroll,
    editor: Option<Editor>,
    /// Share mode, as of the last sync (the shell syncs after every event).
    share: bool,
}

/// "pursue" at or above the threshold, else "decline"; unscored without all four.
pub fn decision(score: Option<&DimensionScores>) -> &'static str {
    match score {
        Some(s) if s.pursue() => "pursue",
        Some(_) => "decline",
        None => "unscored",
    }
}

fn intake_form(intake: Option<&Intake>, today: chrono::NaiveDate) -> Form {
    let kinds: Vec<&str> = AllianceKind::ALL.iter().map(|k| k.label()).collect();
    let kind = intake
        .and_then(|i| AllianceKind::ALL.iter().position(|k| *k == i.kind))
        .unwrap_or(0);
    let wins = intake.map_or_else(String::new, |i| {
        i.win_conditions
            .iter()
            .map(format_win_condition)
            .collect::<Vec<_>>()
            .join("\n")
    });
    let score = intake.and_then(|i| i.score);
    let values = score.map(|s| {
        [
            s.strategic_alignment,
            s.execution_reliability,
            s.revenue_contribution,
            s.relationship_health,
        ]
    });
    let title = if intake.is_some() {
        "Edit intake"
    } else {
        "New intake"
    };
    let mut form = Form::new(title)
        .text(
            "partner",
            "Proposed partner",
            intake.map_or("", |i| &i.partner),
        )
        .choice("kind", "Type", &kinds, kind)
        .date(
            "submitted",
            "Submitted",
            Some(intake.map_or(today, |i| i.submitted)),
        )
        .multiline("wins", "Win conditions", &wins)
        .multiline(
            "resources",
            "Resources",
            intake.map_or("", |i| &i.resources),
        )
        .multiline(
            "rationale",
            "Rationale",
            intake.map_or("", |i| &i.rationale),
        );
    for (n, (key, label)) in DIMENSIONS.iter().enumerate() {
        form = form
            .score(key, label, 1, 5, values.map(|v| v[n]))
            .required(key);
    }
    form.required("partner")
        .required("submitted")
        .help("partner", "Who would we partner with?")
        .help(
            "wins",
            "One a line: Metric: 40 stores by 2026-06-30 (no number or date = a wish)",
        )
        .help("resources", "People, budget and time the alliance needs")
        .help("rationale", "Why this partner serves the growth strategy")
        .help(
            "strategic_alignment",
            &format!("1–5 each; total ≥ {HEALTH_THRESHOLD} of 20 → pursue, else decline"),
        )
}

/// The intake the form describes; `None` until partner and date are valid.
fn read_form(form: &Form) -> Option<Intake> {
    let partner = form.get_text("partner").trim().to_owned();
    if partner.is_empty() {
        return None;
    }
    let score = form_scores(form);
    Some(Intake {
        partner,
        kind: AllianceKind::ALL[form.get_choice("kind").min(AllianceKind::ALL.len() - 1)],
        submitted: form.get_date("submitted")?,
        win_conditions: form
            .get_text("wins")
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(parse_win_condition)
            .collect(),
        resources: form.get_text("resources").trim().to_owned(),
        rationale: form.get_text("rationale").trim().to_owned(),
        score,
    })
}

/// The four scores, once all are given.
fn form_scores(form: &Form) -> Option<DimensionScores> {
    let scores: Vec<Option<u8>> = DIMENSIONS.iter().map(|(k, _)| form.get_score(k)).collect();
    match scores.as_slice() {
        [Some(a), Some(b), Some(c), Some(d)] => Some(DimensionScores {
            strategic_alignment: *a,
            execution_reliability: *b,
            revenue_contribution: *c,
            relationship_health: *d,
        }),
        _ => None,
    }
}

/// The live total of the scores entered so far.
fn live_total(form: &Form) -> (u32, usize) {
    let given: Vec<u8> = DIMENSIONS
        .iter()
        .filter_map(|(k, _)| form.get_score(k))
        .collect();
    (given.iter().map(|v| u32::from(*v)).sum(), given.len())
}

impl PipelineTab {
    pub fn selected(&self) -> usize {
        self.scroll.selected()
    }

    pub fn is_editing(&self) -> bool {
        self.editor.is_some()
    }

    /// Apply the open form as one edit; keeps the form open with a message when it is not
    /// complete enough to store.
    fn save(&mut self, cx: &mut Cx) -> Outcome {
        let Some(editor) = self.editor.as_ref() else {
            return Outcome::Handled;
        };
        let Some(intake) = read_form(&editor.form) else {
            return Outcome::Message(
                "An intake needs a partner and a valid submitted date before it is saved".into(),
            );
        };
        let partner = intake.partner.clone();
        // The intake the form was opened on, where it is now.
        let index = match &editor.original {
            None => None,
            Some(original) => {
                let Some(i) = cx.doc.portfolio.pipeline.iter().position(|p| p == original) else {
                    return Outcome::Message(format!(
                        "Not saved: the intake for {} changed or left the pipeline (undo / redo?) · Esc discards",
                        original.partner
                    ));
                };
                Some(i)
            }
        };
        let label = match index {
            Some(_) => format!("edit intake {partner}"),
            None => format!("add intake {partner}"),
        };
        let mut at = 0;
        cx.doc.edit_pipeline(label, |p| match index {
            Some(i) if i < p.len() => {
                p[i] = intake;
                at = i;
            }
            _ => {
                p.push(intake);
                at = p.len().saturating_sub(1);
            }
        });
        self.scroll.select(at, cx.doc.portfolio.pipeline.len());
        self.editor = None;
        Outcome::Message(format!("Saved the intake for {partner}"))
    }

    fn promote(&mut self, cx: &mut Cx) -> Outcome {
        let Some(intake) = cx.doc.portfolio.pipeline.get(self.selected()).cloned() else {
            return Outcome::Message("No intake selected".into());
        };
        let alliance = charter::promote(&intake, &cx.doc.portfolio, cx.doc.as_of);
        let id = alliance.id.clone();
        let n = cx.doc.portfolio.alliances.len();
        // Two undo steps: the new alliance, then the intake leaving the pipeline.
        cx.doc.insert_alliance(
            n,
            alliance,
            format!("promote {} to alliance {id}", intake.partner),
        );
        let i = self.selected();
        cx.doc
            .edit_pipeline(format!("remove promoted intake {}", intake.partner), |p| {
                if i < p.len() {
                    p.remove(i);
                }
            });
        self.clamp(cx.doc.portfolio.pipeline.len());
        super::charter::open()
    }

    fn clamp(&mut self, n: usize) {
        self.scroll.select(self.scroll.selected(), n);
    }

    /// Keep the selection inside the pipeline after undo, reload or restore shrank it.
    pub fn sync(&mut self, doc: &crate::app::document::Document, share: bool) {
        self.share = share;
        self.clamp(doc.portfolio.pipeline.len());
    }

    /// The list and the detail pane below it.
    fn split(area: Rect) -> (Rect, Rect) {
        let [list, detail] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(9)]).areas(area);
        (list, detail)
    }

    fn render_list(&self, area: Rect, buf: &mut Buffer, cx: &ViewCtx) {
        let theme = cx.theme;
        let pipeline = &cx.doc.portfolio.pipeline;
        let (list, detail) = Self::split(area);
        let visible = usize::from(list.height.saturating_sub(3));
        let offset = self.scroll.window(visible, pipeline.len());
        let rows: Vec<Row> = pipeline
            .iter()
            .enumerate()
            .skip(offset)
            .take(visible)
            .map(|(i, intake)| {
                let d = decision(intake.score.as_ref());
                // The selected row is one colour pair: a flag colour on the selection's
                // background may be unreadable (issue 12 item 4).
                let style = match d {
                    _ if i == self.selected() => theme.selected,
                    "pursue" => theme.ok,
                    "decline" => theme.warn,
                    _ => theme.muted,
                };
                let mark = match d {
                    "pursue" => "✓ pursue",
                    "decline" => "✗ decline",
                    _ => "· unscored",
                };
                let row = Row::new(vec![
                    Line::raw(intake.partner.clone()),
                    Line::raw(intake.kind.label()),
                    Line::raw(intake.submitted.to_string()),
                    Line::raw(
                        intake
                            .score
                            .map_or_else(|| "—".to_owned(), |s| format!("{}/20", s.total())),
                    ),
                    Line::styled(mark, style),
                ]);
                if i == self.selected() {
                    row.style(theme.selected)
                } else {
                    row
                }
            })
            .collect();
        let n = pipeline.len();
        let title = format!(
            " Pipeline · {n} {} ",
            if n == 1 { "intake" } else { "intakes" }
        );
        let table = Table::new(
            rows,
            [
                Constraint::Fill(2),
                Constraint::Length(20),
                Constraint::Length(11),
                Constraint::Length(7),
                Constraint::Length(11),
            ],
        )
        .header(Row::new(["Partner", "Type", "Submitted", "Total", "Decision"]).style(theme.title))
        .block(
            Block::bordered()
                .title(Span::styled(title.clone(), theme.title))
                .border_style(theme.border),
        );
        if pipeline.is_empty() {
            Paragraph::new(vec![
                Line::raw("No intakes yet."),
                Line::raw("a adds one: the proposed partner, type, estimated win conditions,"),
                Line::raw("resources, rationale and the four dimensions scored 1–5."),
            ])
            .style(theme.muted)
            .block(
                Block::bordered()
                    .title(Span::styled(title, theme.title))
                    .border_style(theme.border),
            )
            .render(list, buf);
        } else {
            Widget::render(table, list, buf);
        }
        render_detail(pipeline.get(self.selected()), detail, buf, theme);
    }
}

fn render_detail(intake: Option<&Intake>, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let mut lines = Vec::new();
    if let Some(i) = intake {
        let wins = if i.win_conditions.is_empty() {
            "—".to_owned()
        } else {
            i.win_conditions
                .iter()
                .map(|w| {
                    let s = format_win_condition(w);
                    if w.is_wish() {
                        format!("{s} (wish)")
                    } else {
                        s
                    }
                })
                .collect::<Vec<_>>()
                .join("; ")
        };
        lines.push(Line::from(vec![
            Span::styled("Win conditions: ", theme.muted),
            Span::raw(wins),
        ]));
        lines.push(Line::from(vec![
            Span::styled("Resources: ", theme.muted),
            Span::raw(i.resources.clone()),
        ]));
        lines.push(Line::from(vec![
            Span::styled("Rationale: ", theme.muted),
            Span::raw(i.rationale.clone()),
        ]));
        if let Some(s) = i.score {
            lines.push(Line::styled(
                format!(
                    "Alignment {} · Execution {} · Revenue {} · Relationship {} = {}/20 → {}",
                    s.strategic_alignment,
                    s.execution_reliability,
                    s.revenue_contribution,
                    s.relationship_health,
                    s.total(),
                    decision(Some(&s))
                ),
                theme.base,
            ));
        }
    }
    Paragraph::new(lines)
        .wrap(Wrap { trim: true })
        .block(Block::bordered().border_style(theme.border))
        .render(area, buf);
}

impl TabView for PipelineTab {
    fn sync_view(&mut self, cx: &super::SyncCx) {
        self.sync(cx.doc, cx.share);
    }

    fn captures_input(&self) -> bool {
        self.editor.is_some()
    }

    fn on_key(&mut self, key: &KeyEvent, cx: &mut Cx) -> Outcome {
        let Some(editor) = self.editor.as_mut() else {
            return Outcome::Ignored;
        };
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        if ctrl && key.code == KeyCode::Char('s') {
            // Save the intake into the model, then let the shell write the file.
            let out = self.save(cx);
            return if self.editor.is_none() {
                Outcome::Ignored
            } else {
                out
            };
        }
        let explicit = key.code == KeyCode::F(10) || (key.code == KeyCode::Enter && (ctrl || alt));
        match editor.form.handle_key(key, cx.doc.as_of) {
            FormEvent::Submit if explicit || editor.form.at_last() => self.save(cx),
            FormEvent::Submit => {
                editor.form.focus_next();
                Outcome::Handled
            }
            FormEvent::Cancel => {
                self.editor = None;
                Outcome::Message("Intake discarded".into())
            }
            // A digit scores a dimension and moves on, as in the health check.
            FormEvent::Edited(_) if editor.form.completes_score(key) && !editor.form.at_last() => {
                editor.form.focus_next();
                Outcome::Handled
            }
            FormEvent::Edited(_) | FormEvent::Moved | FormEvent::Handled => Outcome::Handled,
            FormEvent::Ignored => {
                if matches!(key.code, KeyCode::Char(_)) && !ctrl {
                    Outcome::Handled
                } else {
                    Outcome::Ignored
                }
            }
        }
    }

    fn on_action(&mut self, action: Action, cx: &mut Cx) -> Outcome {
        if cx.share {
            // Other prospective partners must not show on a shared screen.
            return Outcome::Ignored;
        }
        let n = cx.doc.portfolio.pipeline.len();
        self.clamp(n);
        match action {
            Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Home
            | Action::End => {
                if let Some(pos) = self.scroll.target(action) {
                    self.scroll.select(pos, n);
                }
            }
            Action::Add => {
                self.editor = Some(Editor {
                    original: None,
                    form: intake_form(None, cx.doc.as_of),
                });
            }
            Action::Open => {
                let Some(intake) = cx.doc.portfolio.pipeline.get(self.selected()) else {
                    return Outcome::Message("No intake yet: a adds one".into());
                };
                self.editor = Some(Editor {
                    original: Some(intake.clone()),
                    form: intake_form(Some(intake), cx.doc.as_of),
                });
            }
            Action::Delete => {
                let Some(intake) = cx.doc.portfolio.pipeline.get(self.selected()) else {
                    return Outcome::Handled;
                };
                return Outcome::Confirm(Confirm {
                    prompt: format!("Delete the intake for {}?", intake.partner),
                    token: CONFIRM_DELETE,
                });
            }
            Action::Promote => return self.promote(cx),
            _ => return Outcome::Ignored,
        }
        Outcome::Handled
    }

    fn on_confirm(&mut self, token: u32, cx: &mut Cx) -> Outcome {
        if token != CONFIRM_DELETE {
            return Outcome::Handled;
        }
        let i = self.selected();
        let Some(partner) = cx.doc.portfolio.pipeline.get(i).map(|p| p.partner.clone()) else {
            return Outcome::Handled;
        };
        cx.doc
            .edit_pipeline(format!("delete intake {partner}"), |p| {
                p.remove(i);
            });
        self.clamp(cx.doc.portfolio.pipeline.len());
        Outcome::Message(format!("Deleted the intake for {partner}"))
    }

    fn on_mouse(&mut self, event: &MouseEvent, area: Rect, cx: &mut Cx) -> Outcome {
        if cx.share || self.editor.is_some() {
            // Nothing to pick while hidden; a click under the form changes nothing, the wheel
            // goes on to the shell.
            return if matches!(
                event.kind,
                MouseEventKind::ScrollUp | MouseEventKind::ScrollDown
            ) {
                Outcome::Ignored
            } else {
                Outcome::Handled
            };
        }
        let (list, _) = Self::split(area);
        if event.kind != MouseEventKind::Down(MouseButton::Left)
            || !list.contains((event.column, event.row).into())
        {
            return Outcome::Ignored;
        }
        let n = cx.doc.portfolio.pipeline.len();
        if let Some(pos) = self.scroll.row_at(list, event.row, n) {
            self.scroll.select(pos, n);
        }
        Outcome::Handled
    }

    fn render(&self, area: Rect, buf: &mut Buffer, cx: &ViewCtx) {
        let theme = cx.theme;
        if cx.share {
            Paragraph::new(vec![Line::styled(
                "The pipeline is hidden in share mode: it names other prospective partners. s stops sharing.",
                theme.muted,
            )])
            .wrap(Wrap { trim: true })
            .block(Block::bordered().border_style(theme.border))
            .render(area, buf);
            return;
        }
        let Some(editor) = &self.editor else {
            self.render_list(area, buf, cx);
            return;
        };
        let [verdict, form, keys] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Fill(1),
            Constraint::Length(1),
        ])
        .areas(area);
        let (total, given) = live_total(&editor.form);
        let line = if let Some(scores) = form_scores(&editor.form) {
            let (word, style) = if scores.pursue() {
                ("✓ pursue", theme.ok)
            } else {
                ("✗ decline", theme.warn)
            };
            Line::from(vec![
                Span::raw(format!(" Total {total}/20 → ")),
                Span::styled(word, style),
                Span::styled(
                    format!("  (pursue at {HEALTH_THRESHOLD} or more)"),
                    theme.muted,
                ),
            ])
        } else {
            Line::styled(
                format!(
                    " Total {total}/20 so far · {given} of 4 dimensions scored (pursue at {HEALTH_THRESHOLD} or more)"
                ),
                theme.muted,
            )
        };
        line.render(verdict, buf);
        editor.form.render(form, buf, theme);
        Line::styled(
            " Tab/↑↓ field · ←/→ or 1–5 score · Enter next · F10/Ctrl-s save · Esc discard",
            theme.muted,
        )
        .render(keys, buf);
    }

    fn hints(&self) -> Vec<(Action, &'static str)> {
        if self.share {
            // Hidden while sharing: none of its keys does anything.
            Vec::new()
        } else if self.editor.is_some() {
            vec![(Action::Back, "discard")]
        } else {
            vec![
                (Action::Add, "add"),
                (Action::Open, "edit"),
                (Action::Delete, "delete"),
                (Action::Promote, "promote"),
            ]
        }
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

    use super::*;
    use crate::model::Status;
    use crate::ui::shell::tests::{demo_app, key, keys, screen};
    use crate::ui::shell::{App, Modal};
    use crate::ui::tabs::Tab;

    #[test]
    fn the_pipeline_list_and_intake_form_at_both_sizes() {
        for (w, h) in [(80, 24), (120, 40)] {
            let mut app = demo_app();
            keys(&mut app, "5");
            insta::assert_snapshot!(format!("pipeline_{w}x{h}"), screen(&mut app, w, h));
            key(&mut app, KeyCode::Enter);
            insta::assert_snapshot!(format!("pipeline_intake_{w}x{h}"), screen(&mut app, w, h));
        }
    }

    #[test]
    fn share_mode_hides_the_pipeline() {
        let mut app = demo_app();
        keys(&mut app, "5s");
        let shot = screen(&mut app, 80, 24);
        assert!(shot.contains("hidden in share mode"), "{shot}");
        for intake in &app.doc.portfolio.pipeline {
            assert!(!shot.contains(&intake.partner), "{shot}");
        }
        keys(&mut app, "a");
        assert!(
            !app.views.pipeline.is_editing(),
            "no intake form while sharing"
        );
    }

    #[test]
    fn share_mode_offers_none_of_the_pipeline_keys() {
        let mut app = demo_app();
        keys(&mut app, "5");
        // The keys, not the status message that stands in their place after a toggle.
        let footer = |app: &mut App| {
            app.status = None;
            screen(app, 80, 24).lines().last().unwrap().to_owned()
        };
        let before = footer(&mut app);
        assert!(before.contains("promote"), "{before}");
        assert!(!app.views.pipeline.hints().is_empty());
        // Share mode is the shell's key: the tab hears of it on the next frame.
        keys(&mut app, "s");
        let shared = footer(&mut app);
        for word in ["add", "edit", "delete", "promote"] {
            assert!(!shared.contains(word), "{word}: {shared}");
        }
        assert!(app.views.pipeline.hints().is_empty());
        keys(&mut app, "s");
        let after = footer(&mut app);
        assert!(after.contains("promote"), "back after sharing: {after}");
    }

    #[test]
    fn a_new_intake_scores_live_and_saves_as_one_edit() {
        let mut app = demo_app();
        let n = app.doc.portfolio.pipeline.len();
        keys(&mut app, "5a");
        keys(&mut app, "Quiet Peak Co"); // q and a are typed, not quit/add
        for _ in 0..6 {
            key(&mut app, KeyCode::Tab);
        }
        // A digit scores a dimension and moves on, as in the health check.
        keys(&mut app, "332");
        assert_eq!(
            app.views.pipeline.editor.as_ref().unwrap().form.focused(),
            Some(DIMENSIONS[3].0)
        );
        keys(&mut app, "2");
        assert!(screen(&mut app, 80, 24).contains("Total 10/20 → ✗ decline"));
        // The last dimension keeps focus: a digit there replaces its score.
        keys(&mut app, "2");
        assert!(screen(&mut app, 80, 24).contains("Total 10/20 → ✗ decline"));
        keys(&mut app, "4");
        assert!(screen(&mut app, 80, 24).contains("Total 12/20 → ✓ pursue"));
        key(&mut app, KeyCode::F(10));
        assert!(!app.views.pipeline.is_editing());
        assert_eq!(app.doc.portfolio.pipeline.len(), n + 1);
        assert_eq!(app.doc.portfolio.pipeline[n].partner, "Quiet Peak Co");
        keys(&mut app, "u");
        assert_eq!(app.doc.portfolio.pipeline.len(), n, "one undo step");
    }

    #[test]
    fn promote_makes_a_proposed_alliance_with_the_intake_win_conditions() {
        let mut app = demo_app();
        keys(&mut app, "5");
        let intake = app.doc.portfolio.pipeline[0].clone();
        let n = app.doc.portfolio.alliances.len();
        keys(&mut app, "p");
        assert_eq!(app.tab, Tab::Charter);
        assert_eq!(app.doc.portfolio.alliances.len(), n + 1);
        let a = app.doc.current_alliance().unwrap();
        assert_eq!(a.partner, intake.partner);
        assert_eq!(a.status, Status::Proposed);
        assert_eq!(
            a.charter.as_ref().unwrap().win_conditions,
            intake.win_conditions
        );
        assert!(!app.doc.portfolio.pipeline.contains(&intake));
        assert!(screen(&mut app, 80, 24).contains(&intake.partner));
    }

    #[test]
    fn delete_asks_first() {
        let mut app = demo_app();
        let n = app.doc.portfolio.pipeline.len();
        keys(&mut app, "5d");
        assert!(matches!(app.modal, Some(Modal::Confirm { .. })));
        keys(&mut app, "n");
        assert_eq!(app.doc.portfolio.pipeline.len(), n);
        keys(&mut app, "dy");
        assert_eq!(app.doc.portfolio.pipeline.len(), n - 1);
    }

    #[test]
    fn ctrl_s_in_the_form_stores_the_intake_then_saves() {
        let mut app = demo_app();
        keys(&mut app, "5a");
        keys(&mut app, "Nova");
        let effects = app.handle_event(&Event::Key(KeyEvent::new(
            KeyCode::Char('s'),
            KeyModifiers::CONTROL,
        )));
        assert_eq!(effects, vec![crate::app::Effect::Save]);
        assert!(
            app.doc
                .portfolio
                .pipeline
                .iter()
                .any(|i| i.partner == "Nova")
        );
    }

    #[test]
    fn decision_threshold_is_twelve() {
        let s = |t: u8| DimensionScores {
            strategic_alignment: t,
            execution_reliability: 3,
            revenue_contribution: 3,
            relationship_health: 3,
        };
        assert_eq!(decision(Some(&s(2))), "decline", "11 of 20");
        assert_eq!(decision(Some(&s(3))), "pursue", "12 of 20");
        assert_eq!(decision(Some(&s(4))), "pursue", "13 of 20");
        assert_eq!(decision(None), "unscored");
    }

    fn click(app: &mut App, column: u16, row: u16) {
        use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
        app.handle_event(&Event::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column,
            row,
            modifiers: KeyModifiers::NONE,
        }));
    }

    #[test]
    fn clicking_a_row_selects_it_but_not_under_the_form() {
        let mut app = demo_app();
        keys(&mut app, "5");
        let n = app.doc.portfolio.pipeline.len();
        assert!(n >= 2, "the demo has intakes");
        let last = app.doc.portfolio.pipeline[n - 1].partner.clone();
        let shot = screen(&mut app, 120, 40);
        let y = shot
            .lines()
            .position(|l| l.contains(&last))
            .expect("the last intake is listed");
        click(&mut app, 10, y as u16);
        assert_eq!(app.views.pipeline.selected(), n - 1);
        // The header row selects nothing.
        let header = shot.lines().position(|l| l.contains("Decision")).unwrap();
        click(&mut app, 10, header as u16);
        assert_eq!(app.views.pipeline.selected(), n - 1);
        keys(&mut app, "g");
        key(&mut app, KeyCode::Enter);
        assert!(app.views.pipeline.is_editing());
        click(&mut app, 10, y as u16);
        key(&mut app, KeyCode::Esc);
        assert_eq!(
            app.views.pipeline.selected(),
            0,
            "a click under the form changes nothing"
        );
    }

    fn ctrl(app: &mut App, c: char) {
        app.handle_event(&Event::Key(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::CONTROL,
        )));
    }

    #[test]
    fn redo_while_the_intake_form_is_open_cannot_redirect_the_save() {
        let mut app = demo_app();
        keys(&mut app, "5");
        let before = app.doc.portfolio.pipeline.clone();
        assert!(before.len() >= 2);
        // Delete the first intake and undo: redo would shift the second into first place.
        keys(&mut app, "dy");
        keys(&mut app, "u");
        assert_eq!(app.doc.portfolio.pipeline, before);
        keys(&mut app, "gj");
        assert_eq!(app.views.pipeline.selected(), 1);
        key(&mut app, KeyCode::Enter);
        key(&mut app, KeyCode::End);
        keys(&mut app, " Ltd");
        ctrl(&mut app, 'r');
        assert_eq!(app.doc.portfolio.pipeline.len(), before.len() - 1, "redone");
        key(&mut app, KeyCode::F(10));
        assert!(!app.views.pipeline.is_editing());
        let now = &app.doc.portfolio.pipeline;
        assert_eq!(now[0].partner, format!("{} Ltd", before[1].partner));
        assert_eq!(now[1..], before[2..], "no other intake touched");
    }

    #[test]
    fn a_save_on_an_intake_that_left_the_pipeline_is_refused() {
        let mut app = demo_app();
        keys(&mut app, "5");
        let n = app.doc.portfolio.pipeline.len();
        keys(&mut app, "dy");
        keys(&mut app, "u");
        key(&mut app, KeyCode::Enter); // the first intake, which redo deletes
        key(&mut app, KeyCode::End);
        keys(&mut app, " Ltd");
        ctrl(&mut app, 'r');
        let pipeline = app.doc.portfolio.pipeline.clone();
        key(&mut app, KeyCode::F(10));
        assert_eq!(app.doc.portfolio.pipeline, pipeline, "nothing written");
        assert_eq!(pipeline.len(), n - 1);
        assert!(app.views.pipeline.is_editing(), "nothing typed is lost");
        let status = app.status.clone().unwrap_or_default();
        assert!(status.contains("Not saved"), "{status}");
    }
}
