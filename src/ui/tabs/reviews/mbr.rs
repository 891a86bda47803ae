//! The 45-minute monthly business review: four timed steps pre-filled from the data (KPIs vs
//! targets 10 min, blockers and missed commitments 10, next month 10, escalations 15), then the
//! written summary previewed, written next to the portfolio and the review stored.
//!
//! Time comes from the injectable clock: the meeting keeps running while the wizard is left,
//! and the step on screen is the one the time is charged to.

use std::cell::{Cell, RefCell};
use std::path::PathBuf;
use std::rc::Rc;
use std::time::Duration;

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget, Wrap};

use super::{Flow, Screen, ViewCtx, focus_alliance, key, max_scroll, scroll_text};
use crate::app::Effect;
use crate::app::action::Action;
use crate::app::clock::{Clock, format_duration};
use crate::app::document::Document;
use crate::app::keymap::Key;
use crate::export::markdown::{self, NEW_COMMITMENTS_PREFIX};
use crate::model::{Commitment, Party, Review};
use crate::score::AllianceScores;
use crate::ui::form::{Form, FormEvent};
use crate::ui::keys::{KeyFromEvent, KeymapEvents};
use crate::ui::tabs::{Cx, Outcome};
use crate::ui::threshold_style;
use crate::ui::widgets::flags::badge;
use crate::ui::widgets::format::{percent, truncate};

/// The four timed steps: title and time budget.
pub const STEPS: [(&str, Duration); 4] = [
    ("KPIs vs targets", Duration::from_secs(10 * 60)),
    (
        "Blockers and missed commitments",
        Duration::from_secs(10 * 60),
    ),
    ("Next month", Duration::from_secs(10 * 60)),
    ("Escalations", Duration::from_secs(15 * 60)),
];

/// Short step names for the step bar (it must fit 80 columns).
const SHORT: [&str; 4] = ["KPIs", "Blockers", "Next month", "Escalations"];

/// The whole review's budget.
pub const TOTAL: Duration = Duration::from_secs(45 * 60);

/// The preview step after the four timed ones.
pub const PREVIEW: usize = 4;

const PARTIES: [&str; 2] = ["Us", "Partner"];
/// The notes field of each timed step.
const NOTES: [&str; 4] = ["kpis", "blockers", "next_month", "escalations"];
/// The blockers step's fields for a missed commitment.
const MISSED: &str = "missed";
const DONE_ON: &str = "done_on";
const REDATE: &str = "redate";

/// The MBR's draft: notes per step, commitments added, and where the time went.
#[derive(Debug)]
pub struct MbrWizard {
    pub alliance: String,
    /// 0–3: the timed steps; 4: the summary preview.
    pub step: usize,
    /// A form per step; step 3's has the new-commitment entry before its notes.
    pub forms: [Form; 4],
    /// Ids of the commitments added in this review.
    pub added: Vec<u32>,
    /// Ids of the missed commitments the blockers step can mark done or re-date, in the
    /// order of its "Commitment" choice.
    missed: Vec<u32>,
    /// A step move waiting on the "keep editing / discard this change" question.
    pending_go: Option<usize>,
    /// Mark the summary sent on the as-of date when stored.
    pub sent: bool,
    /// Time charged to each step before the current visit.
    spent: [Duration; 4],
    /// Clock time when the current step was entered.
    entered: Duration,
    /// The preview's scroll position.
    scroll: u16,
    /// The preview's last frame: (furthest scroll that still fills the pane, page height).
    extent: Cell<(u16, u16)>,
    /// The preview text and what it was built from: (document revision, as-of date, sent).
    /// The notes cannot change on the preview, and leaving it drops the text.
    preview: RefCell<Option<(PreviewKey, Rc<str>)>>,
    /// Changes since the previous MBR, for the first step (set by the tab from git history).
    pub changes: Option<Rc<super::changes::Listing>>,
}

/// What a preview text was built from: (document revision, as-of date, sent).
type PreviewKey = (u64, NaiveDate, bool);

/// A countdown against a budget: time left, or overtime.
pub fn countdown(elapsed: Duration, budget: Duration) -> String {
    if elapsed <= budget {
        // Round the time left up, so a fresh step shows its whole budget.
        let left = budget.saturating_sub(elapsed);
        let secs = left.as_secs() + u64::from(left.subsec_nanos() > 0);
        format!("{} left", format_duration(Duration::from_secs(secs)))
    } else {
        format!(
            "overtime +{}",
            format_duration(elapsed.saturating_sub(budget))
        )
    }
}

impl MbrWizard {
    pub fn new(a: &crate::model::Alliance, as_of: NaiveDate, now: Duration) -> Self {
        let notes = |key: &'static str, label: &str, help: &str| {
            Form::new("Notes").multiline(key, label, "").help(key, help)
        };
        let missed: Vec<&Commitment> = markdown::missed_commitments(a, as_of);
        let blockers = if missed.is_empty() {
            notes(
                NOTES[1],
                "Blockers",
                "What stands in the way, and who unblocks it",
            )
        } else {
            let names: Vec<String> = missed
                .iter()
                .map(|c| format!("#{} {}", c.id, truncate(&c.action, 40)))
                .collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            Form::new("Missed commitments, then notes")
                .choice(MISSED, "Commitment", &names, 0)
                .help(MISSED, "←/→ which missed commitment")
                .date(DONE_ON, "Done on", None)
                .help(
                    DONE_ON,
                    "The day it was done (back-dating is fine, t today); Enter marks it done",
                )
                .date(REDATE, "New due date", None)
                .help(REDATE, "YYYY-MM-DD (+ adds 90 days); Enter re-dates it")
                .multiline(NOTES[1], "Blockers", "")
                .help(NOTES[1], "What stands in the way, and who unblocks it")
        };
        Self {
            alliance: a.id.clone(),
            step: 0,
            forms: [
                notes(
                    NOTES[0],
                    "KPI notes",
                    "What the numbers say. Lines starting 'Decision:' are listed as decisions.",
                ),
                blockers,
                Form::new("Add commitments, then notes")
                    .choice("owner", "Owner", &PARTIES, 1)
                    .text("action", "Action", "")
                    .help("action", "What will be done")
                    .date("due", "Due", None)
                    .help("due", "YYYY-MM-DD (t = today); Enter adds the commitment")
                    .multiline(NOTES[2], "Next month", "")
                    .help(NOTES[2], "Planned activities"),
                notes(
                    NOTES[3],
                    "Escalations",
                    "What is escalated, to whom, decided by when",
                ),
            ],
            added: Vec::new(),
            missed: missed.iter().map(|c| c.id).collect(),
            pending_go: None,
            sent: false,
            spent: [Duration::ZERO; 4],
            entered: now,
            scroll: 0,
            extent: Cell::default(),
            preview: RefCell::default(),
            changes: None,
        }
    }

    /// Time spent on step `i` so far.
    pub fn step_elapsed(&self, i: usize, now: Duration) -> Duration {
        let running = if i == self.step && self.step < PREVIEW {
            now.saturating_sub(self.entered)
        } else {
            Duration::ZERO
        };
        self.spent[i] + running
    }

    /// The whole review so far (the preview does not count).
    pub fn total_elapsed(&self, now: Duration) -> Duration {
        (0..STEPS.len()).map(|i| self.step_elapsed(i, now)).sum()
    }

    /// A timer shows while a timed step is on screen.
    pub fn ticking(&self) -> bool {
        self.step < PREVIEW
    }

    fn go_to(&mut self, step: usize, now: Duration) {
        if self.step < PREVIEW {
            self.spent[self.step] += now.saturating_sub(self.entered);
        }
        self.entered = now;
        self.step = step.min(PREVIEW);
        self.scroll = 0;
        self.preview.take();
    }

    /// The notes of step `i`, trimmed at the end.
    fn notes(&self, i: usize) -> String {
        self.forms[i].get_text(NOTES[i]).trim_end().to_owned()
    }

    /// The review as it would be stored on `date`.
    pub fn review(&self, date: NaiveDate) -> Review {
        let mut next_month = self.notes(2);
        if !self.added.is_empty() {
            let ids: Vec<String> = self.added.iter().map(|id| format!("#{id}")).collect();
            if !next_month.is_empty() {
                next_month.push('\n');
            }
            next_month.push_str(NEW_COMMITMENTS_PREFIX);
            next_month.push(' ');
            next_month.push_str(&ids.join(", "));
        }
        Review::Monthly {
            figures: None,
            date,
            kpis: self.notes(0),
            blockers: self.notes(1),
            next_month,
            escalations: self.notes(3),
            summary_sent: self.sent.then_some(date),
        }
    }

    /// The summary exactly as `export --format md --alliance ID --review DATE` will print it
    /// once stored on the as-of date: the same function, given a copy of the alliance with the
    /// draft in it. Built once, then again only when the document or the sent mark changes.
    pub fn preview(&self, doc: &Document) -> Rc<str> {
        let key = (doc.revision, doc.as_of, self.sent);
        let mut cached = self.preview.borrow_mut();
        if let Some((built, text)) = &*cached
            && *built == key
        {
            return Rc::clone(text);
        }
        let text: Rc<str> = doc
            .portfolio
            .alliance(&self.alliance)
            .map_or_else(String::new, |a| {
                let mut a = a.clone();
                // The figures the stored review will keep: the same ones, shown the same way.
                let mut review = self.review(doc.as_of);
                review.set_figures(Some(crate::score::figures_now(
                    &doc.portfolio,
                    &a,
                    doc.as_of,
                )));
                a.reviews.push(review);
                markdown::alliance_review_summary(&doc.portfolio, &a, doc.as_of)
                    .unwrap_or_else(|e| e.to_string())
            })
            .into();
        *cached = Some((key, Rc::clone(&text)));
        text
    }

    /// Where the summary goes: beside the portfolio file (the working folder for the demo).
    pub fn summary_path(&self, doc: &Document) -> PathBuf {
        summary_path(doc, &self.alliance, doc.as_of)
    }

    pub fn on_key(&mut self, key: &KeyEvent, cx: &mut Cx) -> Flow {
        let now = cx.clock.now();
        let action = cx.keymap.action(key);
        if self.step == PREVIEW {
            // No field has focus here: every key means its action.
            return match action {
                Some(Action::PageUp) => {
                    self.go_to(STEPS.len() - 1, now);
                    Flow::Continue
                }
                Some(Action::ToggleDone) => {
                    self.sent = !self.sent;
                    Flow::Continue
                }
                Some(Action::Open | Action::WriteDoc) => self.finish(cx),
                Some(a) => {
                    let (max, page) = self.extent.get();
                    if let Some(scroll) = scroll_text(self.scroll, a, max, page) {
                        self.scroll = scroll;
                    }
                    Flow::Continue
                }
                None => Flow::Continue,
            };
        }
        // A notes field has focus: printable keys are typed, whatever they are bound to.
        let typed = Key::from_event(key).is_some_and(|k| k.is_typed());
        let target = match action.filter(|_| !typed) {
            Some(Action::PageDown) => Some(self.step + 1),
            Some(Action::PageUp) => Some(self.step.saturating_sub(1)),
            _ => None,
        };
        if let Some(to) = target {
            // A date that does not read is never left silently: ask first.
            if self.forms[self.step].may_leave() {
                self.go_to(to, now);
            } else {
                self.pending_go = Some(to);
            }
            return Flow::Continue;
        }
        let step = self.step;
        let event = self.forms[step].handle_key(key, cx.doc.as_of);
        if self.forms[step].take_resumed()
            && let Some(to) = self.pending_go.take()
        {
            self.go_to(to, now);
            return Flow::Continue;
        }
        if event == FormEvent::Submit && step == 1 {
            return match self.forms[1].focused() {
                Some(DONE_ON) => self.fix_missed(true, cx),
                Some(REDATE) => self.fix_missed(false, cx),
                _ => {
                    self.forms[1].focus_next();
                    Flow::Continue
                }
            };
        }
        if event == FormEvent::Submit && step == 2 {
            // Enter on the due date adds the commitment; before it, moves on.
            if self.forms[2].focused() == Some("due") {
                return self.add_commitment(cx);
            }
            self.forms[2].focus_next();
        }
        Flow::Continue
    }

    /// Mark the chosen missed commitment done on the typed day (`done`), or give it the typed
    /// new due date: at once, undoable like any edit. A done date after the as-of date is
    /// refused by the core rule ([`crate::edit::set_commitment_done`]) and said beside it.
    fn fix_missed(&mut self, done: bool, cx: &mut Cx) -> Flow {
        let field = if done { DONE_ON } else { REDATE };
        let form = &mut self.forms[1];
        let Some(&id) = self.missed.get(form.get_choice(MISSED)) else {
            return Flow::Continue;
        };
        let Some(date) = form.get_date(field) else {
            return Flow::Message("Type a date first: YYYY-MM-DD, t today".into());
        };
        if focus_alliance(cx.doc, &self.alliance).is_none() {
            return Flow::Finished(Outcome::Message("That alliance no longer exists".into()));
        }
        let as_of = cx.doc.as_of;
        if done {
            // Ask the core rule on a copy first, so a refusal records no edit.
            let mut probe = cx.doc.current_alliance().cloned();
            if let Some(Err(e)) = probe
                .as_mut()
                .map(|a| crate::edit::set_commitment_done(a, id, Some(date), as_of))
            {
                form.set_error(DONE_ON, Some(format!("after the as-of date {as_of}")));
                return Flow::Message(e.to_string());
            }
            form.set_error(DONE_ON, None);
            cx.doc
                .edit_current(format!("commitment #{id} done {date}"), |a| {
                    let _checked = crate::edit::set_commitment_done(a, id, Some(date), as_of);
                });
            form.set_text(DONE_ON, "");
            Flow::Message(format!("Commitment #{id} marked done on {date}"))
        } else {
            cx.doc
                .edit_current(format!("commitment #{id} due {date}"), |a| {
                    if let Some(c) = a.commitments.iter_mut().find(|c| c.id == id) {
                        c.due = date;
                    }
                });
            form.set_text(REDATE, "");
            Flow::Message(format!("Commitment #{id} re-dated: due {date}"))
        }
    }

    /// Add the commitment typed in step 3 to the alliance at once (undoable like any edit).
    fn add_commitment(&mut self, cx: &mut Cx) -> Flow {
        let f = &self.forms[2];
        let action = f.get_text("action").trim().to_owned();
        if action.is_empty() {
            self.forms[2].focus("action");
            return Flow::Message("Say what will be done first".into());
        }
        let Some(due) = f.get_date("due") else {
            return Flow::Message(format!(
                "{:?} is not a date (YYYY-MM-DD)",
                f.get_text("due")
            ));
        };
        let party = if f.get_choice("owner") == 0 {
            Party::Us
        } else {
            Party::Partner
        };
        if focus_alliance(cx.doc, &self.alliance).is_none() {
            return Flow::Finished(Outcome::Message("That alliance no longer exists".into()));
        }
        let Some(id) = cx
            .doc
            .current_alliance()
            .map(crate::model::Alliance::next_commitment_id)
        else {
            return Flow::Continue;
        };
        let commitment = Commitment {
            id,
            party,
            action: action.clone(),
            due,
            done: None,
        };
        cx.doc
            .edit_current(format!("commitment #{id}: {action}"), |a| {
                a.commitments.push(commitment);
            });
        self.added.push(id);
        self.forms[2].set_text("action", "");
        self.forms[2].set_text("due", "");
        self.forms[2].focus("action");
        Flow::Message(format!(
            "Commitment #{id} added: {} — {action}, due {due}",
            party.label()
        ))
    }

    fn finish(&mut self, cx: &mut Cx) -> Flow {
        if focus_alliance(cx.doc, &self.alliance).is_none() {
            return Flow::Finished(Outcome::Message("That alliance no longer exists".into()));
        }
        let date = cx.doc.as_of;
        let mut review = self.review(date);
        let partner = cx
            .doc
            .current_alliance()
            .map(|a| a.partner.clone())
            .unwrap_or_default();
        // A stored review is a record: it keeps the figures it showed (SPEC §6).
        review.set_figures(stored_figures(cx.doc, date));
        cx.doc
            .edit_current(format!("MBR with {partner} on {date}"), |a| {
                a.reviews.push(review);
            });
        let contents = markdown::review_summary(&cx.doc.portfolio, &self.alliance, date)
            .unwrap_or_else(|e| e.to_string());
        let path = self.summary_path(cx.doc);
        let sent = if self.sent { ", marked sent" } else { "" };
        Flow::Finished(Outcome::Effect(Effect::WriteFile {
            done: format!(
                "MBR stored{sent}; summary written to {} (Ctrl-s saves the portfolio)",
                path.display()
            ),
            path,
            contents,
        }))
    }

    fn header(&self, clock: &Clock, cx: &ViewCtx) -> Vec<Line<'static>> {
        let theme = cx.theme;
        let now = clock.now();
        let total = self.total_elapsed(now);
        let total_style = if total > TOTAL {
            theme.critical
        } else {
            theme.ok
        };
        let mut spans = Vec::new();
        if self.step < PREVIEW {
            let (title, budget) = STEPS[self.step];
            let elapsed = self.step_elapsed(self.step, now);
            let style = if elapsed > budget {
                theme.warn
            } else {
                theme.ok
            };
            spans.push(Span::styled(
                format!("Step {}/4 {title} ", self.step + 1),
                theme.title,
            ));
            spans.push(Span::styled(
                format!(
                    "{} / {} · {} ",
                    format_duration(elapsed),
                    format_duration(budget),
                    countdown(elapsed, budget)
                ),
                style,
            ));
        } else {
            spans.push(Span::styled("Summary preview ", theme.title));
        }
        spans.push(Span::styled(
            format!(
                "· review {} / {}{}",
                format_duration(total),
                format_duration(TOTAL),
                if total > TOTAL {
                    format!(" (+{})", format_duration(total.saturating_sub(TOTAL)))
                } else {
                    String::new()
                }
            ),
            total_style,
        ));
        let bar: Vec<Span> = STEPS
            .iter()
            .enumerate()
            .map(|(i, _)| {
                let style = if i == self.step {
                    theme.tab_active
                } else {
                    theme.muted
                };
                Span::styled(
                    format!(
                        " {} {} {} ",
                        i + 1,
                        SHORT[i],
                        format_duration(self.step_elapsed(i, now))
                    ),
                    style,
                )
            })
            .collect();
        vec![Line::from(spans), Line::from(bar)]
    }

    fn context(&self, cx: &ViewCtx, s: &AllianceScores) -> Vec<Line<'static>> {
        let theme = cx.theme;
        let doc = cx.doc;
        let Some(a) = doc.portfolio.alliance(&self.alliance) else {
            return Vec::new();
        };
        let mut lines = Vec::new();
        match self.step {
            0 => {
                if s.win_conditions.is_empty() {
                    lines.push(Line::styled(
                        "No charter win conditions to review.",
                        theme.muted,
                    ));
                }
                for w in &s.win_conditions {
                    lines.push(Line::from(vec![
                        Span::raw(format!(" {} ", w.metric)),
                        Span::styled(
                            format!(
                                "target {} {} by {} · latest {} · ",
                                w.target.map_or_else(|| "—".to_owned(), |t| t.to_string()),
                                w.unit,
                                w.by.map_or_else(|| "—".to_owned(), |d| d.to_string()),
                                w.latest_actual
                                    .map_or_else(|| "—".to_owned(), |t| t.to_string()),
                            ),
                            theme.muted,
                        ),
                        Span::styled(w.status.label().to_owned(), status_style(w.status, cx)),
                    ]));
                }
                let t = &s.cfr.trailing_30d;
                lines.push(Line::from(vec![
                    Span::raw(format!(
                        " ARCR {} ",
                        s.arcr.month.map_or("—".to_owned(), |m| m.to_string())
                    )),
                    Span::styled(
                        percent(s.arcr.latest),
                        threshold_style(theme, s.arcr.latest, 0.02, 0.02),
                    ),
                    Span::styled(" (≥ 2%)   CFR 30d ", theme.muted),
                    Span::styled(percent(t.all), threshold_style(theme, t.all, 0.7, 0.5)),
                    Span::styled(
                        format!(
                            " us {} partner {} (≥ 70%, alarm < 50%)",
                            percent(t.us),
                            percent(t.partner)
                        ),
                        theme.muted,
                    ),
                ]));
                // Changes since the previous MBR (git history): see `changes.rs`.
                if let Some(listing) = &self.changes {
                    lines.extend(super::changes::lines(listing, theme, usize::MAX));
                }
            }
            1 => {
                let missed = markdown::missed_commitments(a, doc.as_of);
                if missed.is_empty() {
                    lines.push(Line::styled("No overdue or late commitments.", theme.ok));
                }
                for c in missed {
                    let state = match c.done.filter(|d| *d <= doc.as_of) {
                        Some(d) => format!("done late {d}"),
                        None => format!("overdue {}d", (doc.as_of - c.due).num_days()),
                    };
                    lines.push(Line::from(vec![
                        Span::raw(format!(
                            " #{} {} · {} · due {} · ",
                            c.id,
                            c.party.label(),
                            c.action,
                            c.due
                        )),
                        Span::styled(state, theme.warn),
                    ]));
                }
            }
            2 => {
                lines.push(Line::styled("Open commitments:", theme.muted));
                for c in a
                    .commitments
                    .iter()
                    .filter(|c| c.done.is_none_or(|d| d > doc.as_of))
                {
                    let new = if self.added.contains(&c.id) {
                        " (new)"
                    } else {
                        ""
                    };
                    lines.push(Line::raw(format!(
                        " #{} {} · {} · due {}{new}",
                        c.id,
                        c.party.label(),
                        c.action,
                        c.due
                    )));
                }
            }
            _ => {
                let open: Vec<_> = a
                    .escalations
                    .iter()
                    .filter(|e| e.resolved.is_none_or(|r| r > doc.as_of) && e.raised <= doc.as_of)
                    .collect();
                if open.is_empty() {
                    lines.push(Line::styled("No open escalations.", theme.ok));
                }
                for e in open {
                    lines.push(Line::raw(format!(
                        " Open since {} ({} days): {}",
                        e.raised,
                        (doc.as_of - e.raised).num_days(),
                        e.issue
                    )));
                }
                for f in &s.flags {
                    lines.push(Line::from(vec![
                        Span::raw(" "),
                        badge(f, theme),
                        Span::styled(format!(" {}", f.message), theme.muted),
                    ]));
                }
                if let Some(c) = &a.charter {
                    for k in &c.escalation.contacts {
                        lines.push(Line::raw(format!(
                            " {} ({}, {}): {}",
                            k.name,
                            k.role,
                            k.party.label(),
                            k.authority
                        )));
                    }
                    lines.push(Line::styled(
                        format!(" Resolution within {} days", c.escalation.resolution_days),
                        theme.muted,
                    ));
                }
            }
        }
        lines
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, cx: &ViewCtx) {
        let theme = cx.theme;
        let Some(i) = cx.doc.portfolio.alliance_index(&self.alliance) else {
            return;
        };
        let partner = &cx.doc.portfolio.alliances[i].partner;
        let title = format!("Monthly business review — {partner} — {}", cx.doc.as_of);
        let header = self.header(cx.clock, cx);
        if self.step == PREVIEW {
            let k = |action| key(cx.keymap, action);
            let block = Block::bordered()
                .title(Span::styled(format!(" {title} "), theme.title))
                .title_bottom(Span::styled(
                    format!(
                        " {} store+write · {} sent today [{}] · {}{} scroll · {} back · Esc leave ",
                        k(Action::Open),
                        k(Action::ToggleDone),
                        if self.sent { "x" } else { " " },
                        k(Action::Up),
                        k(Action::Down),
                        k(Action::PageUp),
                    ),
                    theme.key,
                ))
                .border_style(theme.border_focus);
            let inner = block.inner(area);
            block.render(area, buf);
            let mut lines = header;
            lines.push(Line::styled(
                truncate(
                    &format!("Will be written to {}", self.summary_path(cx.doc).display()),
                    inner.width as usize,
                ),
                theme.muted,
            ));
            let top = lines.len() as u16;
            Paragraph::new(lines).render(inner, buf);
            let body = Rect {
                y: inner.y + top,
                height: inner.height.saturating_sub(top),
                ..inner
            };
            let preview = self.preview(cx.doc);
            let text = Paragraph::new(&*preview).wrap(Wrap { trim: false });
            let max = max_scroll(text.line_count(body.width), body.height);
            self.extent.set((max, body.height));
            text.scroll((self.scroll.min(max), 0)).render(body, buf);
            return;
        }
        let context = self.context(cx, &cx.doc.scores.alliances[i]);
        Screen {
            title,
            header,
            context,
            form: &self.forms[self.step],
            form_rows: if self.step == 2 { 7 } else { 4 },
            keys: "PgDn next step · PgUp back · Tab field · Esc leave (timer runs)",
        }
        .render(area, buf, theme);
    }
}

/// Where the summary of alliance `id`'s MBR of `date` is written: beside the portfolio file
/// (the working folder for the demo).
pub(super) fn summary_path(doc: &Document, id: &str, date: NaiveDate) -> PathBuf {
    let name = format!("{id}-mbr-{date}.md");
    doc.path()
        .and_then(|p| p.parent())
        .map_or_else(|| PathBuf::from(&name), |dir| dir.join(&name))
}

/// The figures of the current alliance as of `date`, as [`crate::edit::store_review`] stores
/// them with a review.
pub(super) fn stored_figures(doc: &Document, date: NaiveDate) -> Option<crate::model::Figures> {
    doc.current_alliance()
        .map(|a| crate::score::figures_now(&doc.portfolio, a, date))
}

fn status_style(status: crate::score::WinStatus, cx: &ViewCtx) -> ratatui::style::Style {
    use crate::score::WinStatus;
    match status {
        WinStatus::Met | WinStatus::OnTrack => cx.theme.ok,
        WinStatus::Missed => cx.theme.critical,
        WinStatus::Unmeasured | WinStatus::Wish => cx.theme.warn,
    }
}
