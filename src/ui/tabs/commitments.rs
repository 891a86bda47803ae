//! The Commitments tab: every agreed action of the current alliance (or of all of them), quick
//! filters, sorting, editing, and the live CFR at the top (SPEC §4 Commitments).
//!
//! The figures come from `doc.scores` (the screen never computes a metric); a row's state
//! (open, overdue, done, done late) is [`Commitment::state`] as of `doc.as_of`, the same
//! definition the Portfolio's weekly pulse uses.

use chrono::{Days, NaiveDate};
use crossterm::event::{KeyCode, KeyEvent, MouseButton, MouseEvent, MouseEventKind};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell as TableCell, Clear, Paragraph, Row, Table, Widget};

use super::{Confirm, Cx, Outcome, TabView, ViewCtx};
use crate::app::action::Action;
use crate::app::document::Document;
use crate::model::{Alliance, Commitment, CommitmentState, Month, Party};
use crate::score::rules::{CFR_CRITICAL, CFR_RED};
use crate::score::{AllianceScores, FlagCode};
use crate::ui::form::{Form, FormEvent};
use crate::ui::theme::Theme;
use crate::ui::threshold_style;
use crate::ui::widgets::filter::TextFilter;
use crate::ui::widgets::flags;
use crate::ui::widgets::format::{percent, truncate};
use crate::ui::widgets::gauge::{self, Tick};
use crate::ui::widgets::scroll::Scroll;

const CONFIRM_DELETE: u32 = 1;

/// How many calendar months the monthly CFR line shows (ending with the as-of month).
const MONTHS_SHOWN: u32 = 6;

/// The quick filters, cycled in this order with `f`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum QuickFilter {
    #[default]
    All,
    Us,
    Partner,
    Open,
    Overdue,
    /// Not done and due in the seven days starting at the as-of date (the weekly pulse's
    /// "due this week").
    DueThisWeek,
}

impl QuickFilter {
    const ORDER: [Self; 6] = [
        Self::All,
        Self::Us,
        Self::Partner,
        Self::Open,
        Self::Overdue,
        Self::DueThisWeek,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Us => "party: us",
            Self::Partner => "party: partner",
            Self::Open => "open",
            Self::Overdue => "overdue",
            Self::DueThisWeek => "due this week",
        }
    }

    fn next(self) -> Self {
        let i = Self::ORDER.iter().position(|f| *f == self).unwrap_or(0);
        Self::ORDER[(i + 1) % Self::ORDER.len()]
    }

    /// Whether `c` passes this filter as of `as_of`.
    pub fn keeps(self, c: &Commitment, as_of: NaiveDate) -> bool {
        match self {
            Self::All => true,
            Self::Us => c.party == Party::Us,
            Self::Partner => c.party == Party::Partner,
            Self::Open => c.done_by(as_of).is_none(),
            Self::Overdue => c.is_overdue(as_of),
            Self::DueThisWeek => {
                let week_end = as_of.checked_add_days(Days::new(7)).unwrap_or(as_of);
                c.done_by(as_of).is_none() && c.due >= as_of && c.due < week_end
            }
        }
    }
}

/// Sort keys, cycled with `o`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SortKey {
    #[default]
    Due,
    Id,
    Party,
    Action,
    Done,
    State,
    Partner,
}

impl SortKey {
    const ORDER: [Self; 7] = [
        Self::Due,
        Self::Id,
        Self::Party,
        Self::Action,
        Self::Done,
        Self::State,
        Self::Partner,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Self::Due => "Due",
            Self::Id => "#",
            Self::Party => "Party",
            Self::Action => "Action",
            Self::Done => "Done",
            Self::State => "State",
            Self::Partner => "Partner",
        }
    }

    fn next(self, all: bool) -> Self {
        let i = Self::ORDER.iter().position(|k| *k == self).unwrap_or(0);
        let next = Self::ORDER[(i + 1) % Self::ORDER.len()];
        // The partner column only exists when all alliances are shown.
        if next == Self::Partner && !all {
            Self::Due
        } else {
            next
        }
    }
}

/// What the open form will change when submitted: the alliance by id, not by position, so an
/// undo or redo that moves alliances while the form is open cannot redirect the save.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Target {
    New { alliance: String },
    Existing { alliance: String, id: u32 },
}

impl Target {
    fn alliance(&self) -> &str {
        match self {
            Self::New { alliance } | Self::Existing { alliance, .. } => alliance,
        }
    }
}

/// The form's own keys (it reads Tab, Enter and Esc itself, whatever the keymap says).
const EDITOR_KEYS: &str = "Enter/Tab next field · F10 saves · Esc cancels";

/// The add / edit popup: the shared form engine plus what it edits.
#[derive(Debug)]
struct Editor {
    form: Form,
    target: Target,
}

const PARTIES: [&str; 2] = ["Us", "Partner"];

impl Editor {
    fn new(
        title: String,
        target: Target,
        party: Party,
        action: &str,
        due: NaiveDate,
        done: Option<NaiveDate>,
    ) -> Self {
        let form = Form::new(title)
            .keys(EDITOR_KEYS)
            .choice(
                "party",
                "Party",
                &PARTIES,
                usize::from(party == Party::Partner),
            )
            .text("action", "Action", action)
            .date("due", "Due", Some(due))
            .date("done", "Done", done)
            .required("action")
            .required("due")
            .help(
                "party",
                "←/→ or Space: us or partner · Enter next field · F10 saves · Esc cancels",
            )
            .help(
                "action",
                "What was agreed, one line · Enter next field · F10 saves · Esc cancels",
            )
            .help(
                "due",
                "YYYY-MM-DD · t: today (as-of) · Enter next field · F10 saves",
            )
            .help(
                "done",
                "The day it was done (back-dating is fine), empty while open · Enter saves",
            );
        let mut editor = Self { form, target };
        if action.is_empty() {
            editor.form.focus("action");
        }
        editor
    }

    /// The commitment the form describes, or the reason it cannot be saved yet.
    fn read(&mut self) -> Result<Entry, &'static str> {
        let party = if self.form.get_choice("party") == 1 {
            Party::Partner
        } else {
            Party::Us
        };
        let action = self.form.get_text("action").trim().to_owned();
        let due = self.form.get_date("due");
        if action.is_empty() {
            self.form
                .set_error("action", Some("say what was agreed".to_owned()));
            self.form.focus("action");
            return Err("The action is empty");
        }
        let Some(due) = due else {
            self.form.focus("due");
            return Err("The due date must be a real date, YYYY-MM-DD");
        };
        if self.form.has_parse_error("done") {
            self.form.focus("done");
            return Err("The done date must be a real date, YYYY-MM-DD, or empty");
        }
        Ok(Entry {
            party,
            action,
            due,
            done: self.form.get_date("done"),
        })
    }
}

/// What the add / edit form holds once it reads whole.
#[derive(Clone, Debug)]
struct Entry {
    party: Party,
    action: String,
    due: NaiveDate,
    done: Option<NaiveDate>,
}

/// One table row: a commitment by its alliance index and its index in that alliance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RowRef {
    pub alliance: usize,
    pub commitment: usize,
}

/// Everything the row list depends on; the list is rebuilt only when this changes.
#[derive(Clone, Debug, PartialEq, Eq)]
struct BuildKey {
    revision: u64,
    as_of: NaiveDate,
    all: bool,
    /// The current alliance, only when the list shows just that alliance.
    current: Option<usize>,
    quick: QuickFilter,
    sort: SortKey,
    descending: bool,
    filter: String,
}

/// The tab's state: scope, filters, sort, the cached row list and the selection.
#[derive(Debug, Default)]
pub struct CommitmentsTab {
    /// All alliances instead of the current one (refused in share mode).
    pub all: bool,
    pub quick: QuickFilter,
    pub sort: SortKey,
    pub descending: bool,
    /// The `/` text filter.
    pub filter: TextFilter,
    /// Rows in display order (filtered and sorted).
    rows: Vec<RowRef>,
    /// Commitments in scope before filtering, for "n of m".
    total: usize,
    /// The selection within `rows`, and the scroll position.
    scroll: Scroll,
    /// The selected commitment by (alliance index, id), so it survives rebuilds.
    selected_key: Option<(usize, u32)>,
    built_from: Option<BuildKey>,
    /// The commitment a pending "delete?" question is about.
    pending_delete: Option<(usize, u32)>,
    /// The add / edit form while it is open.
    editor: Option<Editor>,
    /// Share mode as of the last sync, for the footer's hints.
    share: bool,
}

impl CommitmentsTab {
    /// Whether the list shows every alliance (share mode shows only the current one).
    fn shows_all(&self, share: bool) -> bool {
        self.all && !share
    }

    /// Rebuild the row list if the document, scope, filters or sort changed.
    pub fn sync(&mut self, doc: &Document, share: bool) {
        self.share = share;
        let all = self.shows_all(share);
        let key = BuildKey {
            revision: doc.revision,
            as_of: doc.as_of,
            all,
            current: (!all).then_some(doc.current),
            quick: self.quick,
            sort: self.sort,
            descending: self.descending,
            filter: self.filter.text().to_owned(),
        };
        if self.built_from.as_ref() == Some(&key) {
            return;
        }
        self.built_from = Some(key);
        let alliances = &doc.portfolio.alliances;
        let scope = if all {
            0..alliances.len()
        } else if doc.current < alliances.len() {
            doc.current..doc.current + 1
        } else {
            0..0
        };
        let as_of = doc.as_of;
        let needle = self.filter.needle();
        self.rows.clear();
        self.total = 0;
        for ai in scope {
            let a = &alliances[ai];
            self.total += a.commitments.len();
            for (ci, c) in a.commitments.iter().enumerate() {
                if self.quick.keeps(c, as_of) && matches_text(a, c, as_of, &needle) {
                    self.rows.push(RowRef {
                        alliance: ai,
                        commitment: ci,
                    });
                }
            }
        }
        sort_rows(&mut self.rows, alliances, as_of, self.sort);
        if self.descending {
            self.rows.reverse();
        }
        let kept = self.selected_key.and_then(|(ai, id)| {
            self.rows
                .iter()
                .position(|r| r.alliance == ai && commitment(doc, *r).is_some_and(|c| c.id == id))
        });
        let position = kept.unwrap_or(self.scroll.selected());
        self.scroll.select(position, self.rows.len());
        self.selected_key = self.key_at(doc, self.scroll.selected());
    }

    /// The rows shown, in order (for tests and benchmarks).
    pub fn rows(&self) -> &[RowRef] {
        &self.rows
    }

    /// The selected row.
    pub fn selected_row(&self) -> Option<RowRef> {
        self.rows.get(self.scroll.selected()).copied()
    }

    fn key_at(&self, doc: &Document, pos: usize) -> Option<(usize, u32)> {
        let r = *self.rows.get(pos)?;
        commitment(doc, r).map(|c| (r.alliance, c.id))
    }

    fn select(&mut self, position: usize, doc: &mut Document) {
        let Some(position) = self.scroll.select(position, self.rows.len()) else {
            return;
        };
        self.selected_key = self.key_at(doc, position);
        // In "all" mode the selected row's alliance becomes current, so the figures follow it.
        if let Some(r) = self.selected_row()
            && self.all
        {
            doc.current = r.alliance;
        }
    }

    fn toggle_done(&mut self, cx: &mut Cx) -> Outcome {
        let Some(r) = self.selected_row() else {
            return Outcome::Message("No commitment selected".to_owned());
        };
        let as_of = cx.doc.as_of;
        let Some(c) = commitment(cx.doc, r) else {
            return Outcome::Handled;
        };
        let (id, was_done) = (c.id, c.done_by(as_of).is_some());
        let label = if was_done {
            format!("mark commitment #{id} not done")
        } else {
            format!("mark commitment #{id} done on {as_of}")
        };
        cx.doc.edit_alliance(r.alliance, label, |a| {
            if let Some(c) = a.commitments.iter_mut().find(|c| c.id == id) {
                c.done = if was_done { None } else { Some(as_of) };
            }
        });
        self.sync(cx.doc, cx.share);
        let cfr = cx
            .doc
            .scores
            .alliances
            .get(r.alliance)
            .map_or("—".to_owned(), |s| percent(s.cfr.trailing_30d.all));
        let what = if was_done {
            "not done".to_owned()
        } else {
            format!("done on {as_of}")
        };
        Outcome::Message(format!("#{id} {what} · CFR 30 days now {cfr} (u undoes)"))
    }

    fn ask_delete(&mut self, doc: &Document) -> Outcome {
        let Some(r) = self.selected_row() else {
            return Outcome::Message("No commitment selected".to_owned());
        };
        let Some(c) = commitment(doc, r) else {
            return Outcome::Handled;
        };
        self.pending_delete = Some((r.alliance, c.id));
        Outcome::Confirm(Confirm {
            prompt: format!(
                "Delete commitment #{} ({}: {})? u undoes it.",
                c.id,
                c.party.label(),
                truncate(&c.action, 40)
            ),
            token: CONFIRM_DELETE,
        })
    }

    fn open_add(&mut self, doc: &Document) -> Outcome {
        let Some(a) = doc.current_alliance() else {
            return Outcome::Message("No alliance yet: add one on the Portfolio tab".to_owned());
        };
        let due = doc
            .as_of
            .checked_add_days(Days::new(7))
            .unwrap_or(doc.as_of);
        self.editor = Some(Editor::new(
            format!("New commitment #{} · {}", a.next_commitment_id(), a.partner),
            Target::New {
                alliance: a.id.clone(),
            },
            Party::Us,
            "",
            due,
            None,
        ));
        Outcome::Handled
    }

    fn open_edit(&mut self, doc: &Document) -> Outcome {
        let Some(r) = self.selected_row() else {
            return Outcome::Message("No commitment selected: a adds one".to_owned());
        };
        let (Some(a), Some(c)) = (doc.portfolio.alliances.get(r.alliance), commitment(doc, r))
        else {
            return Outcome::Handled;
        };
        self.editor = Some(Editor::new(
            format!("Commitment #{} · {}", c.id, a.partner),
            Target::Existing {
                alliance: a.id.clone(),
                id: c.id,
            },
            c.party,
            &c.action,
            c.due,
            c.done,
        ));
        Outcome::Handled
    }

    fn editor_key(&mut self, key: &KeyEvent, cx: &mut Cx) -> Outcome {
        let Some(editor) = self.editor.as_mut() else {
            return Outcome::Ignored;
        };
        let plain_enter = key.code == KeyCode::Enter && key.modifiers.is_empty();
        match editor.form.handle_key(key, cx.doc.as_of) {
            // Enter stores the field and moves on; on the last field (or F10) it saves.
            FormEvent::Submit if plain_enter && !editor.form.at_last() => {
                editor.form.focus_next();
                Outcome::Handled
            }
            FormEvent::Cancel => {
                self.editor = None;
                Outcome::Message("Cancelled".to_owned())
            }
            FormEvent::Edited(field) => {
                editor.form.set_error(field, None);
                Outcome::Handled
            }
            FormEvent::Submit => {
                let entry = match editor.read() {
                    Ok(values) => values,
                    Err(why) => return Outcome::Message(why.to_owned()),
                };
                // Done after the as-of date has not happened yet: refused, said beside it.
                if let Some(done) = entry.done.filter(|d| *d > cx.doc.as_of) {
                    let why = format!("after the as-of date {}", cx.doc.as_of);
                    editor.form.set_error("done", Some(why));
                    editor.form.focus("done");
                    return Outcome::Message(format!(
                        "Not saved: done on {done} is after the as-of date {}",
                        cx.doc.as_of
                    ));
                }
                let target = editor.target.clone();
                match self.save_editor(&target, entry, cx) {
                    // The form stays open, so nothing typed is lost: Esc discards it.
                    Err(why) => Outcome::Message(why),
                    Ok(out) => {
                        self.editor = None;
                        out
                    }
                }
            }
            // Unused plain keys stay in the form; control chords go on to the shell.
            FormEvent::Ignored => Outcome::Ignored,
            FormEvent::Handled | FormEvent::Moved => Outcome::Handled,
        }
    }

    /// Store the form into the alliance it was opened on, found again by id; `Err` (the form
    /// stays open) when that alliance or commitment is gone, e.g. undone meanwhile.
    fn save_editor(
        &mut self,
        target: &Target,
        entry: Entry,
        cx: &mut Cx,
    ) -> Result<Outcome, String> {
        let Entry {
            party,
            action,
            due,
            done,
        } = entry;
        let as_of = cx.doc.as_of;
        let Some(alliance) = cx.doc.portfolio.alliance_index(target.alliance()) else {
            return Err(format!(
                "Not saved: alliance {} is no longer in the portfolio (undone?) · Ctrl-r redoes, Esc discards",
                target.alliance()
            ));
        };
        let message = match *target {
            Target::New { .. } => {
                let id = cx.doc.portfolio.alliances[alliance].next_commitment_id();
                cx.doc
                    .edit_alliance(alliance, format!("add commitment #{id}"), |a| {
                        a.commitments.push(Commitment {
                            id,
                            party,
                            action,
                            due,
                            done,
                        });
                    });
                self.selected_key = Some((alliance, id));
                format!("Added commitment #{id}, due {due} (u undoes)")
            }
            Target::Existing { id, .. } => {
                if !cx.doc.portfolio.alliances[alliance]
                    .commitments
                    .iter()
                    .any(|c| c.id == id)
                {
                    return Err(format!(
                        "Not saved: commitment #{id} is no longer there (undone?) · Ctrl-r redoes, Esc discards"
                    ));
                }
                cx.doc
                    .edit_alliance(alliance, format!("edit commitment #{id}"), |a| {
                        if let Some(c) = a.commitments.iter_mut().find(|c| c.id == id) {
                            c.party = party;
                            c.action = action;
                            c.due = due;
                        }
                        // Checked against the as-of date above; the core rule decides.
                        let _refused = crate::edit::set_commitment_done(a, id, done, as_of);
                    });
                self.selected_key = Some((alliance, id));
                format!("Saved commitment #{id}")
            }
        };
        // The saved commitment stays selected, unless the filters now hide it.
        let wanted = self.selected_key;
        self.sync(cx.doc, cx.share);
        if wanted.is_some() && self.selected_key != wanted {
            return Ok(Outcome::Message(format!(
                "{message} · hidden by the filter"
            )));
        }
        Ok(Outcome::Message(message))
    }

    /// The figures panel and the table, given how many CFR flag lines the figures need.
    fn split(area: Rect, flag_lines: u16) -> (Rect, Rect) {
        // Three gauges, the monthly line, speed, flags (at least one line) and the border.
        let figures = 3 + 1 + 1 + flag_lines.max(1) + 2;
        let [top, table] =
            Layout::vertical([Constraint::Length(figures), Constraint::Fill(1)]).areas(area);
        (top, table)
    }
}

/// The commitment a row points at, if the row is still valid.
fn commitment(doc: &Document, r: RowRef) -> Option<&Commitment> {
    doc.portfolio
        .alliances
        .get(r.alliance)?
        .commitments
        .get(r.commitment)
}

fn matches_text(a: &Alliance, c: &Commitment, as_of: NaiveDate, needle: &str) -> bool {
    needle.is_empty()
        || c.action.to_lowercase().contains(needle)
        || a.partner.to_lowercase().contains(needle)
        || c.party.label().to_lowercase().contains(needle)
        || c.state(as_of).label().contains(needle)
        || c.id.to_string() == needle
}

/// Sort stably by a column; ties keep the file's order (alliance, then commitment).
fn sort_rows(
    rows: &mut [RowRef],
    alliances: &crate::model::Alliances,
    as_of: NaiveDate,
    key: SortKey,
) {
    let c = |r: &RowRef| &alliances[r.alliance].commitments[r.commitment];
    match key {
        SortKey::Due => rows.sort_by_key(|r| c(r).due),
        SortKey::Id => rows.sort_by_key(|r| c(r).id),
        SortKey::Party => rows.sort_by_key(|r| (c(r).party, c(r).due)),
        SortKey::Action => rows.sort_by_cached_key(|r| c(r).action.to_lowercase()),
        // Not done sorts last going up: the most recent completions sit just above the gaps.
        SortKey::Done => rows.sort_by_key(|r| c(r).done_by(as_of).unwrap_or(NaiveDate::MAX)),
        SortKey::State => rows.sort_by_key(|r| (state_rank(c(r).state(as_of)), c(r).due)),
        SortKey::Partner => {
            rows.sort_by_cached_key(|r| (alliances[r.alliance].partner.to_lowercase(), c(r).due));
        }
    }
}

/// Overdue first: what needs attention leads an ascending sort by state.
fn state_rank(s: CommitmentState) -> u8 {
    match s {
        CommitmentState::Overdue => 0,
        CommitmentState::Open => 1,
        CommitmentState::DoneLate => 2,
        CommitmentState::Done => 3,
    }
}

/// The CFR flags of an alliance (the only flags this tab explains).
fn cfr_flags(s: Option<&AllianceScores>) -> Vec<&crate::score::Flag> {
    s.map(|s| {
        s.flags
            .iter()
            .filter(|f| matches!(f.code, FlagCode::CfrRed | FlagCode::CfrCritical))
            .collect()
    })
    .unwrap_or_default()
}

impl TabView for CommitmentsTab {
    fn sync_view(&mut self, cx: &super::SyncCx) {
        self.sync(cx.doc, cx.share);
    }

    fn captures_input(&self) -> bool {
        self.filter.is_editing() || self.editor.is_some()
    }

    fn on_key(&mut self, key: &KeyEvent, cx: &mut Cx) -> Outcome {
        if self.editor.is_some() {
            return self.editor_key(key, cx);
        }
        if self.filter.is_editing() {
            let handled = self.filter.on_key(key);
            self.sync(cx.doc, cx.share);
            self.follow_selection(cx);
            return if handled {
                Outcome::Handled
            } else {
                Outcome::Ignored
            };
        }
        Outcome::Ignored
    }

    fn on_action(&mut self, action: Action, cx: &mut Cx) -> Outcome {
        let outcome = self.act(action, cx);
        self.follow_selection(cx);
        outcome
    }

    fn on_confirm(&mut self, token: u32, cx: &mut Cx) -> Outcome {
        let outcome = self.confirmed(token, cx);
        self.follow_selection(cx);
        outcome
    }

    fn on_mouse(&mut self, event: &MouseEvent, area: Rect, cx: &mut Cx) -> Outcome {
        self.mouse(*event, area, cx)
    }

    fn render(&self, area: Rect, buf: &mut Buffer, cx: &ViewCtx) {
        self.draw(area, buf, cx);
    }

    fn hints(&self) -> Vec<(Action, &'static str)> {
        self.key_hints()
    }
}

impl CommitmentsTab {
    /// In "all" mode the selected row's alliance is the current one, so the figures at the top
    /// always describe the highlighted row, whichever way the selection moved.
    fn follow_selection(&self, cx: &mut Cx) {
        if self.shows_all(cx.share)
            && let Some(r) = self.selected_row()
        {
            cx.doc.current = r.alliance;
        }
    }

    fn act(&mut self, action: Action, cx: &mut Cx) -> Outcome {
        self.sync(cx.doc, cx.share);
        if let Some(pos) = self.scroll.target(action) {
            self.select(pos, cx.doc);
            return Outcome::Handled;
        }
        match action {
            Action::ToggleAll => {
                if cx.share {
                    return Outcome::Message(
                        "Share mode shows only the current alliance (s stops sharing)".to_owned(),
                    );
                }
                self.all = !self.all;
                if !self.all && self.sort == SortKey::Partner {
                    self.sort = SortKey::Due;
                }
                self.sync(cx.doc, cx.share);
                return Outcome::Message(if self.all {
                    "Showing every alliance's commitments".to_owned()
                } else {
                    "Showing the current alliance's commitments".to_owned()
                });
            }
            Action::CycleFilter => {
                self.quick = self.quick.next();
                self.sync(cx.doc, cx.share);
                return Outcome::Message(format!(
                    "Filter: {} ({} shown)",
                    self.quick.label(),
                    self.rows.len()
                ));
            }
            Action::Filter => self.filter.start(),
            Action::Back if self.quick != QuickFilter::All || !self.filter.is_empty() => {
                self.quick = QuickFilter::All;
                self.filter.clear();
                self.sync(cx.doc, cx.share);
                return Outcome::Message("Filters cleared".to_owned());
            }
            Action::SortNext | Action::SortReverse => {
                if action == Action::SortNext {
                    self.sort = self.sort.next(self.shows_all(cx.share));
                } else {
                    self.descending = !self.descending;
                }
                self.sync(cx.doc, cx.share);
                return super::sorted(self.sort.title(), self.descending);
            }
            Action::Add => return self.open_add(cx.doc),
            Action::Open => return self.open_edit(cx.doc),
            Action::ToggleDone => return self.toggle_done(cx),
            Action::Delete => return self.ask_delete(cx.doc),
            _ => return Outcome::Ignored,
        }
        Outcome::Handled
    }

    fn confirmed(&mut self, token: u32, cx: &mut Cx) -> Outcome {
        let Some((ai, id)) = self.pending_delete.take() else {
            return Outcome::Handled;
        };
        if token != CONFIRM_DELETE {
            return Outcome::Handled;
        }
        cx.doc
            .edit_alliance(ai, format!("delete commitment #{id}"), |a| {
                a.commitments.retain(|c| c.id != id);
            });
        self.sync(cx.doc, cx.share);
        Outcome::Message(format!("Deleted commitment #{id} (u undoes)"))
    }

    fn mouse(&mut self, event: MouseEvent, area: Rect, cx: &mut Cx) -> Outcome {
        if self.editor.is_some() {
            // A click must not change the selection under the open form; the wheel goes on to
            // the shell (↑/↓ within the form).
            return if matches!(
                event.kind,
                MouseEventKind::ScrollUp | MouseEventKind::ScrollDown
            ) {
                Outcome::Ignored
            } else {
                Outcome::Handled
            };
        }
        let flag_lines = cfr_flags(cx.doc.current_scores()).len() as u16;
        let (_, table) = Self::split(area, flag_lines);
        if event.kind != MouseEventKind::Down(MouseButton::Left)
            || !table.contains((event.column, event.row).into())
        {
            return Outcome::Ignored;
        }
        if let Some(pos) = self.scroll.row_at(table, event.row, self.rows.len()) {
            self.select(pos, cx.doc);
        }
        Outcome::Handled
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, cx: &ViewCtx) {
        let flags = cfr_flags(cx.doc.current_scores());
        let (figures, table) = Self::split(area, flags.len() as u16);
        render_figures(&flags, figures, buf, cx);
        self.render_table(table, buf, cx);
        if let Some(editor) = &self.editor {
            let rect = crate::ui::centered(area, 78, 11);
            Clear.render(rect, buf);
            editor.form.render(rect, buf, cx.theme);
        }
    }

    fn key_hints(&self) -> Vec<(Action, &'static str)> {
        if self.editor.is_some() {
            // The form reads Tab, Enter and Esc itself: its bottom line names them, since the
            // footer can only name keymap keys (which a user may have moved).
            return Vec::new();
        }
        if self.filter.is_editing() {
            return vec![(Action::Open, "keep filter"), (Action::Back, "clear")];
        }
        let mut hints = vec![
            (Action::Add, "add"),
            (Action::Open, "edit"),
            (Action::ToggleDone, "done"),
            (Action::CycleFilter, "filter"),
        ];
        // Share mode shows only the current alliance: "all" is refused there.
        if !self.share {
            hints.push((Action::ToggleAll, "all"));
        }
        hints.push((Action::SortNext, "sort"));
        hints
    }
}

/// The live figures: CFR gauges per party, monthly CFR, execution speed, CFR flags.
fn render_figures(flags: &[&crate::score::Flag], area: Rect, buf: &mut Buffer, cx: &ViewCtx) {
    let theme = cx.theme;
    let doc = cx.doc;
    let legend = Line::from(vec![
        Span::styled(" ┃", theme.warn),
        Span::styled(" 70%  ", theme.muted),
        Span::styled("┃", theme.critical),
        Span::styled(" 50% ", theme.muted),
    ])
    .right_aligned();
    let (Some(a), Some(s)) = (doc.current_alliance(), doc.current_scores()) else {
        Paragraph::new(Line::styled(
            "No alliance yet: add one on the Portfolio tab (1, then a).",
            theme.muted,
        ))
        .block(Block::bordered().border_style(theme.border))
        .render(area, buf);
        return;
    };
    let block = Block::bordered()
        .border_style(theme.border)
        .title(Line::from(vec![
            Span::styled(format!(" CFR · {} ", a.partner), theme.title),
            Span::styled(format!("· 30 days to {} ", doc.as_of), theme.muted),
        ]))
        .title_top(legend);
    let inner = block.inner(area);
    block.render(area, buf);

    let t = &s.cfr.trailing_30d;
    let width = usize::from(inner.width);
    // label 9 + bar + value 6 + counts ("12 of 14 due" ≈ 14).
    let bar_width = width.saturating_sub(9 + 6 + 14).min(60);
    let ticks = [
        Tick {
            at: CFR_RED,
            style: theme.warn,
        },
        Tick {
            at: CFR_CRITICAL,
            style: theme.critical,
        },
    ];
    let mut lines = Vec::new();
    for (label, value, (done, due)) in [
        ("Us", t.us, t.counts[0]),
        ("Partner", t.partner, t.counts[1]),
        ("Both", t.all, t.counts[2]),
    ] {
        let style = threshold_style(theme, value, CFR_RED, CFR_CRITICAL);
        let mut spans = vec![Span::styled(format!(" {label:<8}"), theme.base)];
        spans.extend(gauge::bar(value, bar_width, style, &ticks, theme));
        spans.push(Span::styled(format!(" {:>5}", percent(value)), style));
        spans.push(Span::styled(
            if due == 0 {
                "  nothing due".to_owned()
            } else {
                format!("  {done} of {due} due")
            },
            theme.muted,
        ));
        lines.push(Line::from(spans));
    }

    let mut monthly = vec![Span::styled(" Monthly ", theme.base)];
    let mut month = Month::of(doc.as_of);
    for _ in 1..MONTHS_SHOWN {
        month = month.prev();
    }
    for _ in 0..MONTHS_SHOWN {
        let value = s
            .cfr
            .monthly
            .iter()
            .find(|m| m.month == month)
            .and_then(|m| m.all);
        monthly.push(Span::styled(
            format!(" {} ", month_name(month)),
            theme.muted,
        ));
        monthly.push(Span::styled(
            format!("{:<5}", percent(value)),
            threshold_style(theme, value, CFR_RED, CFR_CRITICAL),
        ));
        month = month.next();
    }
    lines.push(Line::from(monthly));
    lines.push(Line::from(vec![
        Span::styled(" Speed    ", theme.base),
        Span::styled(
            speed(s.execution_speed_days),
            speed_style(theme, s.execution_speed_days),
        ),
        Span::styled("  median of done − due, last 90 days", theme.muted),
    ]));
    if flags.is_empty() {
        lines.push(Line::styled(" ✓ no CFR flag", theme.ok));
    }
    for flag in flags {
        lines.push(Line::from(vec![
            Span::raw(" "),
            flags::badge(flag, theme),
            Span::styled(format!(": {}", flag.message), theme.flag(flag.severity)),
        ]));
    }
    Paragraph::new(lines).render(inner, buf);
}

/// `"Nov"` (with the year when it is January, so a year boundary reads clearly).
fn month_name(m: Month) -> String {
    const NAMES: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let name = NAMES[(m.number() as usize).saturating_sub(1) % 12];
    if m.number() == 1 {
        format!("{name} {}", m.year())
    } else {
        name.to_owned()
    }
}

/// Execution speed in words: `"1.5 days late"`, `"2 days early"`, `"on time"`, `"—"`.
pub fn speed(days: Option<f64>) -> String {
    let Some(d) = days else {
        return "—".to_owned();
    };
    let n = d.abs();
    let number = if n.fract() == 0.0 {
        format!("{n:.0}")
    } else {
        format!("{n:.1}")
    };
    let unit = if (n - 1.0).abs() < f64::EPSILON {
        "day"
    } else {
        "days"
    };
    if d > 0.0 {
        format!("{number} {unit} late")
    } else if d < 0.0 {
        format!("{number} {unit} early")
    } else {
        "on time".to_owned()
    }
}

fn speed_style(theme: &Theme, days: Option<f64>) -> Style {
    match days {
        None => theme.muted,
        Some(d) if d > 0.0 => theme.warn,
        Some(_) => theme.ok,
    }
}

impl CommitmentsTab {
    fn render_table(&self, area: Rect, buf: &mut Buffer, cx: &ViewCtx) {
        let theme = cx.theme;
        let doc = cx.doc;
        let as_of = doc.as_of;
        let all = self.shows_all(cx.share);
        let visible = usize::from(area.height.saturating_sub(3));
        let offset = self.scroll.window(visible, self.rows.len());
        let picked = theme.uniform(theme.selected);

        let wide = area.width >= 110;
        // Below 100 columns the Done date goes: the State column says "done" or "done late
        // Nd" already, and the action needs the room (issue 12 item 5).
        let show_done = area.width >= 100;
        let state_w: u16 = if wide { 16 } else { 14 };
        // Fixed columns and gaps; the partner (in "all") and the action share the rest, the
        // partner up to its longest name but never more than two fifths.
        let fixed = 1 + 4 + 7 + 10 + state_w + 5 + if show_done { 11 } else { 0 };
        let room = area.width.saturating_sub(2 + fixed + u16::from(all));
        let longest = if all {
            self.rows
                .iter()
                .filter_map(|r| doc.portfolio.alliances.get(r.alliance))
                .map(|a| a.partner.chars().count())
                .max()
                .unwrap_or(0)
        } else {
            0
        };
        let partner_width = u16::try_from(longest)
            .unwrap_or(u16::MAX)
            .min(room * 2 / 5)
            .max(6);
        let mut header = vec!["", "#", "Party", "Action", "Due", "Done", "State"];
        let mut widths = vec![
            Constraint::Length(1),
            Constraint::Length(4),
            Constraint::Length(7),
            Constraint::Fill(1),
            Constraint::Length(10),
            Constraint::Length(10),
            Constraint::Length(state_w),
        ];
        if !show_done {
            header.remove(5);
            widths.remove(5);
        }
        if all {
            header.insert(1, "Partner");
            widths.insert(1, Constraint::Length(partner_width));
        }
        let sorted = self.sort.title();
        let header_row = Row::new(header.iter().map(|h| {
            let mark = match (*h == sorted, self.descending) {
                (true, false) => " ↑",
                (true, true) => " ↓",
                (false, _) => "",
            };
            TableCell::from(format!("{h}{mark}"))
        }))
        .style(theme.title);

        // Build rows only for what is on screen: 200,000 commitments cost no more than 20.
        let rows = self
            .rows
            .iter()
            .enumerate()
            .skip(offset)
            .take(visible)
            .filter_map(|(pos, r)| {
                // The selected row: a marker, and one foreground on one background whatever
                // the cell (issue 12 items 3 and 4).
                let selected = pos == self.scroll.selected();
                let theme = if selected { &picked } else { theme };
                let a = doc.portfolio.alliances.get(r.alliance)?;
                let c = a.commitments.get(r.commitment)?;
                let state = c.state(as_of);
                let (state_text, state_style) = match state {
                    CommitmentState::Overdue => (
                        format!("▲ overdue {}d", (as_of - c.due).num_days()),
                        theme.warn,
                    ),
                    CommitmentState::Open => ("○ open".to_owned(), theme.base),
                    CommitmentState::Done => ("✓ done".to_owned(), theme.ok),
                    CommitmentState::DoneLate => (
                        format!(
                            "✓ done late {}d",
                            c.done.map_or(0, |d| (d - c.due).num_days())
                        ),
                        theme.muted,
                    ),
                };
                let due_style = if state == CommitmentState::Overdue {
                    theme.warn
                } else {
                    theme.base
                };
                // A multi-line action shows its first line with a mark that there is more.
                let mut action = c.action.lines().next().unwrap_or("").to_owned();
                if c.action.lines().nth(1).is_some() {
                    action.push_str(" …");
                }
                let mut cells = vec![
                    TableCell::from(if selected { "▶" } else { " " }),
                    TableCell::from(c.id.to_string()),
                    TableCell::from(c.party.label()),
                    TableCell::from(action),
                    TableCell::from(Span::styled(c.due.to_string(), due_style)),
                    TableCell::from(c.done_by(as_of).map_or("—".to_owned(), |d| d.to_string())),
                    TableCell::from(Span::styled(state_text, state_style)),
                ];
                if !show_done {
                    cells.remove(5);
                }
                if all {
                    cells.insert(
                        1,
                        TableCell::from(truncate(&a.partner, usize::from(partner_width))),
                    );
                }
                let row = Row::new(cells);
                Some(if selected {
                    row.style(theme.selected)
                } else {
                    row
                })
            });

        let scope = if all {
            "all alliances".to_owned()
        } else {
            doc.current_alliance()
                .map_or("no alliance".to_owned(), |a| a.partner.clone())
        };
        let mut notes = Vec::new();
        if self.quick != QuickFilter::All {
            notes.push(format!("filter: {}", self.quick.label()));
        }
        if let Some(f) = self.filter.shown() {
            notes.push(format!("/{f}"));
        }
        let notes = if notes.is_empty() {
            String::new()
        } else {
            format!(" · {}", notes.join(" · "))
        };
        let title = Line::from(vec![
            Span::styled(format!(" Commitments · {scope} "), theme.title),
            Span::styled(
                format!("· {} of {}{notes} ", self.rows.len(), self.total),
                theme.muted,
            ),
        ]);
        let block = Block::bordered().border_style(theme.border).title(title);
        if self.rows.is_empty() {
            let msg = if doc.portfolio.alliances.is_empty() {
                "No alliances yet: add one on the Portfolio tab."
            } else if self.total == 0 {
                "No commitments yet. Press a to add the first."
            } else {
                "No commitment matches: f cycles the quick filter, / edits the text, Esc clears."
            };
            Paragraph::new(Line::styled(msg, theme.muted))
                .block(block)
                .render(area, buf);
            return;
        }
        Widget::render(
            Table::new(rows, widths)
                .header(header_row)
                .column_spacing(1)
                .block(block),
            area,
            buf,
        );
    }
}

#[cfg(test)]
mod tests;
