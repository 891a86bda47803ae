//! The Portfolio tab: every alliance on one sortable, filterable table, a detail pane with the
//! reasons behind each flag, and four views (weekly pulse, monthly trend, quarterly strategic,
//! and the portfolio's [`outcomes`]).
//! Two popups act on the current alliance: its monthly numbers ([`numbers`]) and its escalation
//! items ([`escalations`]); two record editors ([`edit_popup`]) change the portfolio settings and
//! the current alliance's details; another imports revenue for the whole portfolio ([`import`]).

mod details;
mod edit_popup;
mod escalations;
mod import;
mod numbers;
mod outcomes;
mod quick;
mod settings;

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, MouseButton, MouseEvent, MouseEventKind};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell as TableCell, Clear, Paragraph, Row, Table, Widget, Wrap};

use super::{Confirm, Cx, Outcome, TabView, ViewCtx};
use crate::app::action::Action;
use crate::app::document::Document;
use crate::edit::health::{self, Change, Dimension};
use crate::model::{Alliance, HEALTH_THRESHOLD, SAS_EXIT_THRESHOLD, Status};
use crate::score::{AllianceScores, FlagCode};
use crate::ui::keys::KeymapEvents;
use crate::ui::threshold_style;
use crate::ui::widgets::charts::{Threshold, threshold_chart};
use crate::ui::widgets::filter::TextFilter;
use crate::ui::widgets::flags;
use crate::ui::widgets::format::{date, decimal, percent, truncate};
use crate::ui::widgets::scroll::Scroll;
use edit_popup::EditPopup;
use escalations::EscalationsPopup;
use import::{ImportKey, ImportPopup};
use numbers::{NumbersEditor, NumbersKey};
use quick::Quick;

/// The three dashboard views of the protocol.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum View {
    /// Are we on track this week?
    #[default]
    WeeklyPulse,
    /// Are we improving or declining?
    MonthlyTrend,
    /// Is this alliance still worth the investment?
    QuarterlyStrategic,
    /// Is governing the alliances working? Portfolio-wide: never while sharing.
    Outcomes,
}

impl View {
    pub fn title(self) -> &'static str {
        match self {
            Self::WeeklyPulse => "Weekly pulse",
            Self::MonthlyTrend => "Monthly trend",
            Self::QuarterlyStrategic => "Quarterly strategic",
            Self::Outcomes => "Outcomes",
        }
    }

    /// The next view; share mode skips the portfolio-wide outcomes.
    fn next(self, share: bool) -> Self {
        match self {
            Self::WeeklyPulse => Self::MonthlyTrend,
            Self::MonthlyTrend => Self::QuarterlyStrategic,
            Self::QuarterlyStrategic if !share => Self::Outcomes,
            Self::QuarterlyStrategic | Self::Outcomes => Self::WeeklyPulse,
        }
    }

    /// The view drawn: share mode shows the weekly pulse instead of the outcomes.
    fn shown(self, share: bool) -> Self {
        if share && self == Self::Outcomes {
            Self::WeeklyPulse
        } else {
            self
        }
    }
}

/// Table columns; each is also a sort key.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Column {
    /// The file's order.
    #[default]
    File,
    Partner,
    Kind,
    Status,
    Health,
    Arcr,
    Cfr,
    Sas,
    NextReview,
    Flags,
}

impl Column {
    const SORTABLE: [Self; 10] = [
        Self::File,
        Self::Partner,
        Self::Kind,
        Self::Status,
        Self::Health,
        Self::Arcr,
        Self::Cfr,
        Self::Sas,
        Self::NextReview,
        Self::Flags,
    ];

    fn title(self) -> &'static str {
        match self {
            Self::File => "file order",
            Self::Partner => "Partner",
            Self::Kind => "Type",
            Self::Status => "Status",
            Self::Health => "Health",
            Self::Arcr => "ARCR",
            Self::Cfr => "CFR 30d",
            Self::Sas => "SAS",
            Self::NextReview => "Next review",
            Self::Flags => "Flags",
        }
    }
}

/// The status and health quick-edit popup.
#[derive(Clone, Debug, PartialEq, Eq)]
struct QuickEdit {
    field: usize,
    /// The alliance the popup was opened on, by id: `draft` belongs to it.
    alliance_id: String,
    /// While the alliance has no health score as of today: the dimensions given so far in this
    /// popup. Nothing is stored until all four are given, so no value is ever made up.
    draft: [Option<u8>; 4],
}

impl QuickEdit {
    fn new(alliance_id: &str) -> Self {
        Self {
            field: 0,
            alliance_id: alliance_id.to_owned(),
            draft: [None; 4],
        }
    }

    /// How many dimensions the draft holds.
    fn given(&self) -> usize {
        self.draft.iter().flatten().count()
    }
}

/// Days counted as "this week" by the weekly pulse, as-of included.
const WEEK_DAYS: u64 = 7;

const QUICK_FIELDS: [&str; 5] = [
    "Status",
    "Strategic alignment",
    "Execution reliability",
    "Revenue contribution",
    "Relationship health",
];

const CONFIRM_DELETE: u32 = 1;

#[derive(Debug, Default)]
pub struct PortfolioTab {
    pub view: View,
    pub sort: Column,
    pub descending: bool,
    pub filter: TextFilter,
    /// Alliance indices in display order (filtered and sorted).
    rows: Vec<usize>,
    /// The selection within `rows`, and the scroll position.
    scroll: Scroll,
    /// What `rows` was built from.
    built_from: Option<RowsKey>,
    /// How many rows have a partner name of each length (in characters): the longest is the
    /// partner column's width, kept as rows come and go rather than found at every frame.
    partner_lengths: std::collections::BTreeMap<usize, usize>,
    /// The partner name length of each alliance in `rows`, by alliance index.
    partner_len: Vec<usize>,
    quick_edit: Option<QuickEdit>,
    /// Share mode, as of the last sync: the footer leaves out what share mode refuses.
    share: bool,
    /// The monthly numbers form, while open.
    numbers: Option<NumbersEditor>,
    /// The escalations list, while open.
    escalations: Option<EscalationsPopup>,
    /// The settings or details editor, while open.
    editor: Option<EditPopup>,
    /// The revenue import, while open.
    import: Option<ImportPopup>,
    /// The outcomes view's figures.
    outcomes: outcomes::OutcomesView,
    /// The quick filter `f` cycles.
    quick: Quick,
}

/// What the table's rows were built from; a change rebuilds them.
#[derive(Debug, PartialEq)]
struct RowsKey {
    revision: u64,
    shared: Option<usize>,
    sort: Column,
    descending: bool,
    filter: String,
    quick: Quick,
}

impl RowsKey {
    /// The same sort, filter and share mode (the document may differ).
    fn same_view(&self, other: &Self) -> bool {
        self.shared == other.shared
            && self.sort == other.sort
            && self.descending == other.descending
            && self.filter == other.filter
            && self.quick == other.quick
    }
}

impl PortfolioTab {
    /// Rebuild the visible rows if the document, share mode, sort or filter changed.
    pub fn sync(&mut self, doc: &Document, share: bool) {
        self.share = share;
        if self.view.shown(share) == View::Outcomes {
            self.outcomes.sync(doc);
        }
        let key = RowsKey {
            revision: doc.revision,
            // Share mode shows just the current alliance: its rows depend on which one.
            shared: share.then_some(doc.current),
            sort: self.sort,
            descending: self.descending,
            filter: self.filter.text().to_owned(),
            quick: self.quick,
        };
        if self.built_from.as_ref() == Some(&key) {
            self.follow_current(doc);
            return;
        }
        // One alliance edited and nothing else changed: move its row, rather than filter and
        // sort every alliance again. At 10,000 alliances that pass, on memory gone cold since
        // the last key, was most of an edit's time (issue 14).
        let n = doc.portfolio.alliances.len();
        if let (Some(built), Some(index)) = (self.built_from.as_ref(), doc.changed_alone())
            && !share
            && self.partner_len.len() == n
            && index < n
            && built.revision + 1 == key.revision
            && built.same_view(&key)
        {
            self.built_from = Some(key);
            self.move_row(doc, index);
            self.select_current(doc);
            return;
        }
        self.built_from = Some(key);
        self.rows = if share {
            if n == 0 {
                Vec::new()
            } else {
                vec![doc.current.min(n - 1)]
            }
        } else {
            let needle = self.filter.needle();
            (0..n)
                .filter(|&i| {
                    let (a, s) = (&doc.portfolio.alliances[i], &doc.scores.alliances[i]);
                    matches_filter(a, s, &needle) && self.quick.keeps(a, s, doc.as_of)
                })
                .collect()
        };
        if !share {
            sort_rows(&mut self.rows, doc, self.sort);
            if self.descending {
                self.rows.reverse();
            }
        }
        self.partner_len = vec![0; n];
        self.partner_lengths.clear();
        for &i in &self.rows {
            let len = doc.portfolio.alliances[i].partner.chars().count();
            self.partner_len[i] = len;
            *self.partner_lengths.entry(len).or_default() += 1;
        }
        self.select_current(doc);
    }

    /// Select the current alliance's row, or the first row when it is not shown.
    fn select_current(&mut self, doc: &Document) {
        let current = self
            .rows
            .iter()
            .position(|&i| i == doc.current)
            .unwrap_or(0);
        self.scroll.select(current, self.rows.len());
    }

    /// Take alliance `index` out of the rows and put it back where filter and sort now place
    /// it: the rows come out as a full rebuild would make them (the sort is stable, so rows
    /// with equal keys are in index order, reversed when descending).
    fn move_row(&mut self, doc: &Document, index: usize) {
        if let Some(at) = self.rows.iter().position(|&i| i == index) {
            self.rows.remove(at);
            let old = self.partner_len[index];
            if let Some(count) = self.partner_lengths.get_mut(&old) {
                *count -= 1;
                if *count == 0 {
                    self.partner_lengths.remove(&old);
                }
            }
        }
        let (a, s) = (
            &doc.portfolio.alliances[index],
            &doc.scores.alliances[index],
        );
        if !(matches_filter(a, s, &self.filter.needle()) && self.quick.keeps(a, s, doc.as_of)) {
            return;
        }
        let order = |x: usize, y: usize| row_order(doc, self.sort, x, y).then(x.cmp(&y));
        let at = self.rows.partition_point(|&r| {
            let o = order(r, index);
            if self.descending {
                o.is_gt()
            } else {
                o.is_lt()
            }
        });
        self.rows.insert(at, index);
        let len = a.partner.chars().count();
        self.partner_len[index] = len;
        *self.partner_lengths.entry(len).or_default() += 1;
    }

    /// The current alliance may change on another tab (Commitments across all alliances):
    /// highlight it here too when the table shows it.
    fn follow_current(&mut self, doc: &Document) {
        if let Some(pos) = self.rows.iter().position(|&i| i == doc.current) {
            self.scroll.select(pos, self.rows.len());
        }
    }

    /// The alliance indices shown, in order (for tests and the shell).
    pub fn rows(&self) -> &[usize] {
        &self.rows
    }

    fn select(&mut self, position: usize, doc: &mut Document) {
        if let Some(pos) = self.scroll.select(position, self.rows.len()) {
            doc.current = self.rows[pos];
        }
    }

    fn quick_edit_key(&mut self, action: Option<Action>, key: &KeyEvent, cx: &mut Cx) -> Outcome {
        let Some(edit) = self.quick_edit.as_mut() else {
            return Outcome::Ignored;
        };
        let digit = match key.code {
            KeyCode::Char(c @ '1'..='5') => c.to_digit(10).map(|d| d as u8),
            _ => None,
        };
        match (action, key.code) {
            (_, KeyCode::Esc | KeyCode::Enter) => {
                let given = edit.given();
                self.quick_edit = None;
                if given > 0 {
                    Outcome::Message(format!(
                        "No health score recorded: {given} of 4 dimensions given, all four are needed"
                    ))
                } else {
                    Outcome::Handled
                }
            }
            (Some(Action::Up), _) | (_, KeyCode::BackTab) => {
                edit.field = (edit.field + QUICK_FIELDS.len() - 1) % QUICK_FIELDS.len();
                Outcome::Handled
            }
            (Some(Action::Down), _) | (_, KeyCode::Tab) => {
                edit.field = (edit.field + 1) % QUICK_FIELDS.len();
                Outcome::Handled
            }
            (Some(Action::Left), _) | (_, KeyCode::Char('-')) => {
                apply_quick_edit(edit, Change::Step(-1), cx)
            }
            (Some(Action::Right), _) | (_, KeyCode::Char('+' | '=')) => {
                apply_quick_edit(edit, Change::Step(1), cx)
            }
            _ if digit.is_some() && edit.field > 0 => {
                apply_quick_edit(edit, Change::Set(digit.unwrap_or(3)), cx)
            }
            _ => Outcome::Handled,
        }
    }

    /// Table and detail areas inside the tab.
    /// Table and detail areas: the table takes what its rows need, up to about half.
    fn split(&self, area: Rect) -> (Rect, Rect) {
        let cap = if area.height >= 30 {
            area.height * 9 / 20
        } else {
            area.height / 2
        };
        let want = u16::try_from(self.rows.len())
            .unwrap_or(u16::MAX)
            .saturating_add(3);
        let [table, detail] = Layout::vertical([
            Constraint::Length(want.clamp(6, cap.max(6))),
            Constraint::Fill(1),
        ])
        .areas(area);
        (table, detail)
    }
}

fn matches_filter(a: &Alliance, s: &AllianceScores, needle: &str) -> bool {
    needle.is_empty()
        || a.partner.to_lowercase().contains(needle)
        || a.id.contains(needle)
        || a.kind.label().to_lowercase().contains(needle)
        || a.status.label().to_lowercase().contains(needle)
        || s.flags.iter().any(|f| {
            f.code.code().contains(needle) || f.code.short_label().to_lowercase().contains(needle)
        })
}

/// Sort by a column; missing values sort first so ascending shows the gaps at the top.
fn sort_rows(rows: &mut [usize], doc: &Document, column: Column) {
    match column {
        Column::File => {}
        // One lowercase copy per name, not one per comparison.
        Column::Partner => {
            let a = &doc.portfolio.alliances;
            rows.sort_by_cached_key(|&i| a[i].partner.to_lowercase());
        }
        _ => rows.sort_by(|&x, &y| row_order(doc, column, x, y)),
    }
}

/// How two alliances compare in `column`'s order (ties: equal): what [`sort_rows`] sorts by
/// and [`PortfolioTab::move_row`] places a row by.
fn row_order(doc: &Document, column: Column, x: usize, y: usize) -> std::cmp::Ordering {
    let all = &doc.portfolio.alliances;
    let sc = &doc.scores.alliances;
    let num = |v: Option<f64>| v.unwrap_or(f64::NEG_INFINITY);
    let soonest = |i: usize| {
        sc[i]
            .next_reviews
            .as_ref()
            .and_then(|n| n.soonest(doc.as_of))
            .unwrap_or(NaiveDate::MAX)
    };
    let flags = |i: usize| {
        let crit = sc[i]
            .flags
            .iter()
            .filter(|flag| flag.severity == crate::score::Severity::Critical)
            .count();
        (crit, sc[i].flags.len())
    };
    match column {
        Column::File => std::cmp::Ordering::Equal,
        Column::Partner => all[x]
            .partner
            .to_lowercase()
            .cmp(&all[y].partner.to_lowercase()),
        Column::Kind => all[x].kind.cmp(&all[y].kind),
        Column::Status => all[x].status.cmp(&all[y].status),
        Column::Health => {
            let h = |i: usize| sc[i].health.as_ref().map(|h| h.total);
            h(x).cmp(&h(y))
        }
        Column::Arcr => num(sc[x].arcr.latest).total_cmp(&num(sc[y].arcr.latest)),
        Column::Cfr => num(sc[x].cfr.trailing_30d.all).total_cmp(&num(sc[y].cfr.trailing_30d.all)),
        Column::Sas => num(sc[x].sas.as_ref().map(|v| v.combined))
            .total_cmp(&num(sc[y].sas.as_ref().map(|v| v.combined))),
        Column::NextReview => soonest(x).cmp(&soonest(y)),
        Column::Flags => flags(x).cmp(&flags(y)),
    }
}

/// Apply one quick edit to the current alliance: status, or one health dimension. The rules
/// are the core's ([`crate::edit::health`]); this keeps the popup's draft and says what happened.
fn apply_quick_edit(edit: &mut QuickEdit, change: Change, cx: &mut Cx) -> Outcome {
    let as_of = cx.doc.as_of;
    let field = edit.field;
    let Some(alliance) = cx.doc.current_alliance() else {
        return Outcome::Handled;
    };
    if alliance.id != edit.alliance_id {
        // An undo or redo changed the alliance under the popup: its draft is not this one's.
        edit.alliance_id.clone_from(&alliance.id);
        edit.draft = [None; 4];
    }
    let partner = alliance.partner.clone();
    if field == 0 {
        let Change::Step(step) = change else {
            return Outcome::Handled;
        };
        let next = health::step_status(alliance.status, step);
        cx.doc
            .edit_current(format!("status of {partner} → {}", next.label()), |a| {
                a.status = next;
            });
        return Outcome::Handled;
    }
    let name = QUICK_FIELDS[field].to_lowercase();
    let dimension = Dimension::ALL[(field - 1).min(3)];
    let Some((prior, next)) = health::changed_health(alliance, as_of, dimension, change) else {
        let slot = &mut edit.draft[dimension.index()];
        *slot = Some(change.apply(*slot));
        let Some(score) = health::complete_draft(edit.draft, as_of) else {
            return Outcome::Message(format!(
                "{} of 4 given: set all four to record today's score",
                edit.given()
            ));
        };
        edit.draft = [None; 4];
        cx.doc.edit_current(
            format!("health of {partner}: none → {}/20", score.total()),
            |a| a.health.push(score),
        );
        return Outcome::Message(format!(
            "Recorded health {}/20 for {as_of} (u undoes)",
            score.total()
        ));
    };
    let label = format!(
        "{name} of {partner}: {}/20 → {}/20",
        prior.total(),
        next.total()
    );
    cx.doc
        .edit_current(label, |a| health::record_health(a, next));
    Outcome::Handled
}

impl PortfolioTab {
    /// Whether a popup over the table is open (the table then takes no keys or clicks).
    fn popup_open(&self) -> bool {
        self.quick_edit.is_some()
            || self.numbers.is_some()
            || self.escalations.is_some()
            || self.editor.is_some()
            || self.import.is_some()
    }

    /// How far the background read of the export the import popup named got.
    pub fn revenue_progress(
        &mut self,
        path: &std::path::Path,
        progress: crate::import::revenue::Progress,
    ) {
        if let Some(popup) = self.import.as_mut() {
            popup.progress(path, progress);
        }
    }

    /// The runner read the export the import popup named: show its plan or its problems.
    pub fn revenue_read(
        &mut self,
        path: &std::path::Path,
        plan: Result<crate::import::revenue::Plan, crate::import::revenue::Problems>,
    ) {
        if let Some(popup) = self.import.as_mut() {
            popup.read(path, plan);
        }
    }

    fn import_key(&mut self, key: ImportKey) -> Outcome {
        match key {
            ImportKey::Stay(outcome) => outcome,
            ImportKey::Close(outcome) => {
                self.import = None;
                outcome
            }
        }
    }

    fn numbers_key(&mut self, key: &KeyEvent, cx: &mut Cx) -> Outcome {
        let Some(editor) = self.numbers.as_mut() else {
            return Outcome::Ignored;
        };
        match editor.on_key(key, cx.doc, cx.share) {
            NumbersKey::Stay(outcome) => outcome,
            NumbersKey::Close(message) => {
                self.numbers = None;
                Outcome::Message(message)
            }
        }
    }
}

impl TabView for PortfolioTab {
    fn sync_view(&mut self, cx: &super::SyncCx) {
        self.sync(cx.doc, cx.share);
    }

    fn captures_input(&self) -> bool {
        self.filter.is_editing()
            || self.quick_edit.is_some()
            || self.numbers.is_some()
            || self.editor.is_some()
            || self.import.is_some()
            || self
                .escalations
                .as_ref()
                .is_some_and(EscalationsPopup::editing)
    }

    fn on_key(&mut self, key: &KeyEvent, cx: &mut Cx) -> Outcome {
        if let Some(editor) = self.editor.as_mut() {
            return editor.on_key(key, cx.doc).unwrap_or_else(|message| {
                self.editor = None;
                Outcome::Message(message)
            });
        }
        if let Some(popup) = self.import.as_mut() {
            let key = popup.on_key(key, cx.doc);
            return self.import_key(key);
        }
        if self.numbers.is_some() {
            return self.numbers_key(key, cx);
        }
        if let Some(popup) = self.escalations.as_mut() {
            return popup.on_key(key, cx.doc);
        }
        if self.quick_edit.is_some() {
            let action = cx.keymap.action(key);
            return self.quick_edit_key(action, key, cx);
        }
        if self.filter.is_editing() {
            let handled = self.filter.on_key(key);
            self.sync(cx.doc, cx.share);
            // A filter that hides the current alliance makes the first match current, so the
            // other tabs act on what this table shows.
            if !self.rows.contains(&cx.doc.current)
                && let Some(&first) = self.rows.first()
            {
                cx.doc.current = first;
            }
            return if handled {
                Outcome::Handled
            } else {
                Outcome::Ignored
            };
        }
        Outcome::Ignored
    }

    fn on_action(&mut self, action: Action, cx: &mut Cx) -> Outcome {
        if let Some(popup) = self.import.as_mut() {
            let key = popup.on_action(action);
            return self.import_key(key);
        }
        if let Some(popup) = self.escalations.as_mut() {
            return popup.on_action(action, cx.doc).unwrap_or_else(|| {
                self.escalations = None;
                Outcome::Handled
            });
        }
        self.follow_current(cx.doc);
        if let Some(pos) = self.scroll.target(action) {
            self.select(pos, cx.doc);
            return Outcome::Handled;
        }
        // An edit here acts on the highlighted row, even when the current alliance was moved
        // on another tab to one this table filters out.
        if matches!(
            action,
            Action::Open | Action::Numbers | Action::Escalations | Action::Details | Action::Delete
        ) && let Some(&i) = self.rows.get(self.scroll.selected())
        {
            cx.doc.current = i;
        }
        match action {
            Action::Back if !self.filter.is_empty() => {
                self.filter.clear();
                self.sync(cx.doc, cx.share);
                return Outcome::Message("Filter cleared".to_owned());
            }
            Action::CycleView => self.view = self.view.shown(cx.share).next(cx.share),
            // The preview names every alliance and the brand's total: not while sharing.
            Action::ImportRevenue if cx.share => {
                return Outcome::Message(
                    "Import is off while sharing: it shows and changes every alliance's revenue"
                        .to_owned(),
                );
            }
            Action::ImportRevenue => self.import = Some(ImportPopup::open(cx.doc)),
            Action::SortNext | Action::SortReverse => {
                if action == Action::SortNext {
                    let i = Column::SORTABLE
                        .iter()
                        .position(|c| *c == self.sort)
                        .unwrap_or(0);
                    self.sort = Column::SORTABLE[(i + 1) % Column::SORTABLE.len()];
                } else {
                    self.descending = !self.descending;
                }
                self.sync(cx.doc, cx.share);
                return super::sorted(self.sort.title(), self.descending);
            }
            Action::Filter if !cx.share => self.filter.start(),
            Action::CycleFilter if !cx.share => {
                self.quick = self.quick.next();
                self.sync(cx.doc, cx.share);
                return Outcome::Message(format!("Showing {}", self.quick.label()));
            }
            Action::Numbers => match NumbersEditor::open(cx.doc, cx.share) {
                Ok(editor) => self.numbers = Some(editor),
                Err(why) => return Outcome::Message(why),
            },
            Action::Escalations => match EscalationsPopup::open(cx.doc) {
                Ok(popup) => self.escalations = Some(popup),
                Err(why) => return Outcome::Message(why),
            },
            Action::Settings | Action::Details => match EditPopup::open(action, cx.doc, cx.share) {
                Some(Ok(editor)) => self.editor = Some(editor),
                Some(Err(why)) => return Outcome::Message(why),
                None => {}
            },
            Action::Open if cx.doc.current_alliance().is_some() => {
                if let Some(a) = cx.doc.current_alliance() {
                    self.quick_edit = Some(QuickEdit::new(&a.id));
                }
            }
            Action::Add if !cx.share => {
                // A new alliance starts from its type's charter template and opens the charter.
                let n = cx.doc.portfolio.alliances.len();
                let alliance = crate::charter::new_alliance(
                    &cx.doc.portfolio,
                    crate::model::AllianceKind::CoMarketing,
                    cx.doc.as_of,
                );
                let id = alliance.id.clone();
                cx.doc
                    .insert_alliance(n, alliance, format!("add alliance {id}"));
                self.sync(cx.doc, cx.share);
                return super::charter::open();
            }
            Action::Delete if !cx.share => {
                let Some(a) = cx.doc.current_alliance() else {
                    return Outcome::Handled;
                };
                return Outcome::Confirm(Confirm {
                    prompt: format!(
                        "Delete the alliance with {} and all its history?",
                        a.partner
                    ),
                    token: CONFIRM_DELETE,
                });
            }
            _ => return Outcome::Ignored,
        }
        Outcome::Handled
    }

    fn on_confirm(&mut self, token: u32, cx: &mut Cx) -> Outcome {
        if token == escalations::CONFIRM_DELETE {
            return self
                .escalations
                .as_mut()
                .map_or(Outcome::Handled, |popup| popup.on_confirm(cx.doc));
        }
        if token == CONFIRM_DELETE {
            let i = cx.doc.current;
            let partner = cx
                .doc
                .current_alliance()
                .map(|a| a.partner.clone())
                .unwrap_or_default();
            cx.doc
                .remove_alliance(i, format!("delete alliance with {partner}"));
            self.sync(cx.doc, cx.share);
            return Outcome::Message(format!("Deleted {partner} (u undoes)"));
        }
        Outcome::Handled
    }

    fn on_mouse(&mut self, event: &MouseEvent, area: Rect, cx: &mut Cx) -> Outcome {
        if self.popup_open() {
            // A click must not change the current alliance under an open popup; the wheel
            // still moves within the popup (the shell turns it into ↑/↓).
            return if matches!(
                event.kind,
                MouseEventKind::ScrollUp | MouseEventKind::ScrollDown
            ) {
                Outcome::Ignored
            } else {
                Outcome::Handled
            };
        }
        let (table, _) = self.split(area);
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

    fn render(&self, area: Rect, buf: &mut Buffer, cx: &ViewCtx) {
        let (table_area, detail_area) = self.split(area);
        self.render_table(table_area, buf, cx);
        self.render_detail(detail_area, buf, cx);
        if let Some(edit) = &self.quick_edit {
            render_quick_edit(edit, area, buf, cx);
        }
        if let Some(popup) = &self.escalations {
            popup.render(area, buf, cx);
        }
        if let Some(editor) = &self.numbers {
            editor.render(area, buf, cx);
        }
        if let Some(editor) = &self.editor {
            editor.render(area, buf, cx);
        }
        if let Some(popup) = &self.import {
            popup.render(area, buf, cx);
        }
    }

    fn hints(&self) -> Vec<(Action, &'static str)> {
        if let Some(popup) = &self.import {
            return popup.hints();
        }
        if self.numbers.is_some() {
            return NumbersEditor::hints();
        }
        if let Some(editor) = &self.editor {
            return editor.hints();
        }
        if let Some(popup) = &self.escalations {
            return popup.hints();
        }
        if self.filter.is_editing() {
            return vec![(Action::Open, "keep filter"), (Action::Back, "clear")];
        }
        if self.quick_edit.is_some() {
            return vec![
                (Action::Up, "field"),
                (Action::Left, "−"),
                (Action::Right, "+"),
                (Action::Back, "close"),
            ];
        }
        let mut hints = vec![
            (Action::Open, "edit"),
            (Action::Numbers, "numbers"),
            (Action::CycleView, "view"),
            (Action::SortNext, "sort"),
        ];
        // Share mode shows one alliance and refuses to filter or add: do not offer it.
        if !self.share {
            // `e` escalations, `D` details, `i` import and `P` publish are in help: the footer
            // has no room for them at 120 columns without dropping share and undo, which a call
            // needs.
            hints.extend([
                (Action::Filter, "filter"),
                (Action::CycleFilter, "show"),
                (Action::Add, "add"),
            ]);
            // An empty portfolio is where the brand and currency get set: offer them there.
            if self.rows.is_empty() {
                hints.push((Action::Settings, "settings"));
            }
        }
        hints
    }
}

/// Sparkline of the last values plus a direction arrow.
fn trend(values: &[f64]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let tail = &values[values.len().saturating_sub(5)..];
    if tail.is_empty() {
        return String::new();
    }
    let max = tail.iter().copied().fold(f64::MIN, f64::max);
    let min = tail.iter().copied().fold(f64::MAX, f64::min);
    let span = (max - min).max(f64::EPSILON);
    let mut s: String = tail
        .iter()
        .map(|v| BARS[(((v - min) / span) * 7.0).round() as usize])
        .collect();
    if let [.., a, b] = tail {
        s.push(if b > a {
            '↑'
        } else if b < a {
            '↓'
        } else {
            '→'
        });
    }
    s
}

impl PortfolioTab {
    fn render_table(&self, area: Rect, buf: &mut Buffer, cx: &ViewCtx) {
        let theme = cx.theme;
        let doc = cx.doc;
        let visible = usize::from(area.height.saturating_sub(3));
        let offset = self.scroll.window(visible, self.rows.len());
        let picked = theme.uniform(theme.selected);

        let wide = area.width >= 110;
        // The narrow layout leaves 15 columns for flags at 80; worded badges need about 22.
        let worded_flags = wide || area.width >= 87;
        // Fixed columns first (marker, status … next review, and their gaps); the partner
        // column takes what is left, up to its longest name, leaving the flags enough room
        // (issue 12 item 5): at 80×24 a name of 18 characters is whole.
        let fixed: u16 = if wide {
            1 + 14 + 12 + 6 + 6 + 5 + 7 + 4 + 11 + 10
        } else {
            1 + 8 + 6 + 5 + 7 + 4 + 11 + 8
        };
        let flags_min: u16 = if worded_flags { 22 } else { 8 };
        let longest = self
            .partner_lengths
            .keys()
            .next_back()
            .copied()
            .unwrap_or(0);
        let room = area.width.saturating_sub(2 + fixed + flags_min);
        let partner_w = u16::try_from(longest)
            .unwrap_or(u16::MAX)
            .clamp(7, room.max(7));
        let mut header = vec![
            "",
            "Partner",
            "Status",
            "Health",
            "ARCR",
            "CFR 30d",
            "SAS",
            "Next review",
            "Flags",
        ];
        let mut widths = vec![
            Constraint::Length(1),
            Constraint::Length(partner_w),
            Constraint::Length(if wide { 12 } else { 8 }),
            Constraint::Length(6),
            Constraint::Length(5),
            Constraint::Length(7),
            Constraint::Length(4),
            Constraint::Length(11),
            Constraint::Fill(1),
        ];
        if wide {
            header.insert(2, "Type");
            widths.insert(2, Constraint::Length(14));
            header.insert(6, "Trend");
            widths.insert(6, Constraint::Length(6));
        }
        let sorted_title = self.sort.title();
        let header_row = Row::new(header.iter().zip(&widths).map(|(h, w)| {
            if *h != sorted_title {
                return TableCell::from(*h);
            }
            // The arrow must fit the column: shorten the title rather than lose the arrow.
            let arrow = if self.descending { '↓' } else { '↑' };
            let room = match w {
                Constraint::Length(n) => usize::from(*n).saturating_sub(1),
                _ => h.chars().count(),
            };
            let name: String = h.chars().take(room).collect();
            TableCell::from(format!("{name}{arrow}"))
        }))
        .style(theme.title);

        // Build rows only for what is on screen: a 10,000-row table costs nothing extra.
        let rows = self
            .rows
            .iter()
            .enumerate()
            .skip(offset)
            .take(visible)
            .map(|(pos, &i)| {
                // The selected row: a marker, and one foreground on one background whatever
                // the cell (issue 12 items 3 and 4).
                let selected = pos == self.scroll.selected();
                let theme = if selected { &picked } else { theme };
                let a = &doc.portfolio.alliances[i];
                let s = &doc.scores.alliances[i];
                let arcr_values: Vec<f64> = s.arcr.series.iter().map(|m| m.value).collect();
                let health = s.health.as_ref().map(|h| f64::from(h.total));
                let sas = s.sas.as_ref().map(|v| v.combined);
                let next = s.next_reviews.as_ref().and_then(|n| n.soonest(doc.as_of));
                let mut cells = vec![
                    TableCell::from(if selected { "▶" } else { " " }),
                    TableCell::from(truncate(
                        &crate::sanitize::terminal_line(&a.partner),
                        usize::from(partner_w),
                    )),
                    TableCell::from(if wide {
                        a.status.label()
                    } else {
                        short_status(a.status)
                    }),
                    TableCell::from(Span::styled(
                        health.map_or("—".to_owned(), |h| format!("{h:.0}/20")),
                        threshold_style(
                            theme,
                            health,
                            f64::from(HEALTH_THRESHOLD),
                            f64::from(HEALTH_THRESHOLD),
                        ),
                    )),
                    TableCell::from(Span::styled(
                        percent(s.arcr.latest),
                        threshold_style(theme, s.arcr.latest, 0.02, 0.02),
                    )),
                    TableCell::from(Span::styled(
                        percent(s.cfr.trailing_30d.all),
                        threshold_style(theme, s.cfr.trailing_30d.all, 0.7, 0.5),
                    )),
                    TableCell::from(Span::styled(
                        decimal(sas),
                        threshold_style(theme, sas, SAS_EXIT_THRESHOLD, SAS_EXIT_THRESHOLD),
                    )),
                    next_review_cell(a.status, s, next, theme),
                    TableCell::from(Line::from(if worded_flags {
                        flags::summary(&s.flags, theme)
                    } else {
                        flags::counts(&s.flags, theme)
                    })),
                ];
                if wide {
                    cells.insert(2, TableCell::from(truncate(a.kind.label(), 14)));
                    cells.insert(
                        6,
                        TableCell::from(Span::styled(trend(&arcr_values), theme.chart)),
                    );
                }
                let row = Row::new(cells);
                if selected {
                    row.style(theme.selected)
                } else {
                    row
                }
            });
        let mut filter = self
            .filter
            .shown()
            .map_or_else(String::new, |f| format!(" · filter: {f}"));
        if self.quick != Quick::All {
            filter.push_str(" · ");
            filter.push_str(self.quick.label());
        }
        // Share mode shows one alliance: the size of the portfolio is not the partner's business.
        let count = if cx.share {
            String::new()
        } else {
            format!(
                "· {} of {} alliances{filter} ",
                self.rows.len(),
                doc.portfolio.alliances.len()
            )
        };
        let title = Line::from(vec![
            Span::styled(
                format!(" {} ", self.view.shown(cx.share).title()),
                theme.title,
            ),
            Span::styled(count, theme.muted),
        ]);
        let block = Block::bordered().border_style(theme.border).title(title);
        if self.rows.is_empty() {
            let msg = if doc.portfolio.alliances.is_empty() {
                "No alliances yet. Press a to add one."
            } else {
                "No alliance matches the filter. / edits it, Esc clears it."
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

    fn render_detail(&self, area: Rect, buf: &mut Buffer, cx: &ViewCtx) {
        let theme = cx.theme;
        let doc = cx.doc;
        let view = self.view.shown(cx.share);
        if view == View::Outcomes {
            self.outcomes.render(area, buf, cx);
            return;
        }
        let Some(&i) = self.rows.get(self.scroll.selected()) else {
            Block::bordered()
                .border_style(theme.border)
                .render(area, buf);
            return;
        };
        let a = &doc.portfolio.alliances[i];
        let s = &doc.scores.alliances[i];
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(area);

        let mut lines = vec![Line::from(vec![
            Span::styled(format!("{} ", a.partner), theme.title),
            Span::styled(
                format!(
                    "· {} · {} · since {} · id {}",
                    a.kind.label(),
                    a.status.label(),
                    a.started,
                    a.id
                ),
                theme.muted,
            ),
        ])];
        if s.flags.is_empty() {
            lines.push(match a.status {
                Status::Active | Status::WindingDown => {
                    Line::styled("✓ No flags: governed and on track.", theme.ok)
                }
                // Flags are raised only for Active and Winding-down alliances (SPEC §1.1).
                Status::Proposed => Line::styled(
                    "Proposed: flags start once the alliance is Active.",
                    theme.muted,
                ),
                Status::Ended => Line::styled("Ended: no flags are raised.", theme.muted),
            });
        }
        for flag in &s.flags {
            lines.push(Line::from(vec![
                flags::badge(flag, theme),
                Span::styled(format!(" {}", flag.message), theme.base),
            ]));
        }
        if !cx.share && !a.notes.is_empty() {
            lines.extend(crate::ui::widgets::format::labelled_lines(
                "Notes: ",
                &a.notes,
                theme.muted,
            ));
        }
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(
                Block::bordered()
                    .border_style(theme.border)
                    .title(Span::styled(" Flags and why ", theme.title)),
            )
            .render(left, buf);

        match view {
            View::WeeklyPulse | View::Outcomes => render_pulse(a, s, doc.as_of, right, buf, cx),
            View::MonthlyTrend => {
                let [top, bottom] =
                    Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)])
                        .areas(right);
                let arcr: Vec<f64> = s.arcr.series.iter().map(|m| m.value * 100.0).collect();
                let first = s
                    .arcr
                    .series
                    .first()
                    .map(|m| m.month.to_string())
                    .unwrap_or_default();
                let last = s
                    .arcr
                    .series
                    .last()
                    .map(|m| m.month.to_string())
                    .unwrap_or_default();
                threshold_chart(
                    &format!("ARCR % by month (now {})", percent(s.arcr.latest)),
                    (&first, &last),
                    &arcr,
                    3.0,
                    &[Threshold {
                        value: 2.0,
                        label: "2%",
                        style: theme.threshold,
                    }],
                    theme,
                    top,
                    buf,
                );
                let months: Vec<_> = s.cfr.monthly.iter().filter(|m| m.all.is_some()).collect();
                let cfr: Vec<f64> = months
                    .iter()
                    .filter_map(|m| m.all)
                    .map(|v| v * 100.0)
                    .collect();
                let first = months
                    .first()
                    .map(|m| m.month.to_string())
                    .unwrap_or_default();
                let last = months
                    .last()
                    .map(|m| m.month.to_string())
                    .unwrap_or_default();
                threshold_chart(
                    "CFR % by month",
                    (&first, &last),
                    &cfr,
                    100.0,
                    &[
                        Threshold {
                            value: 70.0,
                            label: "70%",
                            style: theme.warn,
                        },
                        Threshold {
                            value: 50.0,
                            label: "50%",
                            style: theme.critical,
                        },
                    ],
                    theme,
                    bottom,
                    buf,
                );
            }
            View::QuarterlyStrategic => render_strategic(s, right, buf, cx),
        }
    }
}

/// The next review date, or why there is none to wait for: an ended alliance has none, and a
/// review already overdue says so rather than showing a later date.
fn next_review_cell<'a>(
    status: Status,
    s: &AllianceScores,
    next: Option<NaiveDate>,
    theme: &crate::ui::theme::Theme,
) -> TableCell<'a> {
    if status == Status::Ended {
        return TableCell::from("—");
    }
    if let Some(flag) = s
        .flags
        .iter()
        .find(|f| matches!(f.code, FlagCode::MbrOverdue | FlagCode::QsrOverdue))
    {
        let what = if flag.code == FlagCode::MbrOverdue {
            "MBR"
        } else {
            "QSR"
        };
        return TableCell::from(Span::styled(
            format!("{} {what} due", flag.severity.symbol()),
            theme.flag(flag.severity),
        ));
    }
    TableCell::from(date(next))
}

fn short_status(s: Status) -> &'static str {
    match s {
        Status::Proposed => "Proposed",
        Status::Active => "Active",
        Status::WindingDown => "Winding",
        Status::Ended => "Ended",
    }
}

fn render_pulse(
    a: &Alliance,
    s: &AllianceScores,
    as_of: NaiveDate,
    area: Rect,
    buf: &mut Buffer,
    cx: &ViewCtx,
) {
    let theme = cx.theme;
    let mut lines = vec![Line::from(vec![
        Span::styled("CFR 30 days: ", theme.muted),
        Span::styled(
            format!("us {} ", percent(s.cfr.trailing_30d.us)),
            threshold_style(theme, s.cfr.trailing_30d.us, 0.7, 0.5),
        ),
        Span::styled(
            format!("partner {} ", percent(s.cfr.trailing_30d.partner)),
            threshold_style(theme, s.cfr.trailing_30d.partner, 0.7, 0.5),
        ),
        Span::styled(
            format!("all {}", percent(s.cfr.trailing_30d.all)),
            threshold_style(theme, s.cfr.trailing_30d.all, 0.7, 0.5),
        ),
    ])];
    lines.push(Line::styled("Due this week", theme.title));
    let due: Vec<_> = a
        .commitments
        .iter()
        .filter(|c| c.is_due_within(as_of, WEEK_DAYS))
        .collect();
    if due.is_empty() {
        lines.push(Line::styled("  nothing due", theme.muted));
    }
    for c in due {
        lines.push(Line::raw(format!(
            "  {} {} — {}",
            c.due,
            c.party.label(),
            c.action
        )));
    }
    lines.push(Line::styled("Overdue", theme.title));
    let overdue: Vec<_> = a
        .commitments
        .iter()
        // The one definition of overdue, shared with the Commitments tab.
        .filter(|c| c.is_overdue(as_of))
        .collect();
    if overdue.is_empty() {
        lines.push(Line::styled("  none", theme.muted));
    }
    for c in overdue {
        lines.push(Line::styled(
            format!(
                "  ▲ overdue {} days: {} — {}",
                (as_of - c.due).num_days(),
                c.party.label(),
                c.action
            ),
            theme.warn,
        ));
    }
    lines.push(Line::styled("Open escalations", theme.title));
    let open: Vec<_> = a.escalations.iter().filter(|e| e.is_open(as_of)).collect();
    if open.is_empty() {
        lines.push(Line::styled("  none", theme.muted));
    }
    for e in open {
        lines.push(Line::raw(format!(
            "  raised {} ({} days): {}",
            e.raised,
            (as_of - e.raised).num_days(),
            e.issue
        )));
    }
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .block(
            Block::bordered()
                .border_style(theme.border)
                .title(Span::styled(" This week ", theme.title)),
        )
        .render(area, buf);
}

fn render_strategic(s: &AllianceScores, area: Rect, buf: &mut Buffer, cx: &ViewCtx) {
    let theme = cx.theme;
    let [top, bottom] =
        Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(area);
    let sas: Vec<f64> = s.sas_history.iter().map(|(_, v)| *v).collect();
    let first = s
        .sas_history
        .first()
        .map(|(d, _)| d.to_string())
        .unwrap_or_default();
    let last = s
        .sas_history
        .last()
        .map(|(d, _)| d.to_string())
        .unwrap_or_default();
    threshold_chart(
        "SAS by quarter",
        (&first, &last),
        &sas,
        10.0,
        &[Threshold {
            value: SAS_EXIT_THRESHOLD,
            label: "6",
            style: theme.critical,
        }],
        theme,
        top,
        buf,
    );
    let mut lines = Vec::new();
    if let Some(sas) = &s.sas {
        lines.push(Line::raw(format!(
            "SAS {}: us {:.1} · partner {} · combined {:.1}",
            sas.date,
            sas.us,
            decimal(sas.partner),
            sas.combined
        )));
    }
    // Our health score and the audit are ours: not shown while sharing (SPEC §7).
    lines.extend((!cx.share).then(|| {
        Line::raw(format!(
            "Health {} · audit: {} ({} of 4 yes)",
            s.health.as_ref().map_or("—".to_owned(), |h| format!(
                "{}/20 on {}",
                h.total, h.date
            )),
            s.audit.state.label(),
            s.audit.answers_yes
        ))
    }));
    if let Some(next) = &s.next_reviews {
        lines.push(Line::raw(format!(
            "Next QSR {} · 90-day review {}",
            date(next.quarterly),
            date(next.ninety_day)
        )));
    }
    lines.push(Line::styled("Win conditions", theme.title));
    if s.win_conditions.is_empty() {
        lines.push(Line::styled("  none in a charter yet", theme.muted));
    }
    for w in &s.win_conditions {
        let style = match w.status {
            crate::score::WinStatus::Met | crate::score::WinStatus::OnTrack => theme.ok,
            crate::score::WinStatus::Missed => theme.critical,
            _ => theme.warn,
        };
        lines.push(Line::from(vec![
            Span::styled(format!("  {:<10} ", w.status.label()), style),
            Span::raw(format!(
                "{}: {} of {} {} by {}",
                w.metric,
                w.latest_actual.map_or("—".to_owned(), |v| format!("{v}")),
                w.target.map_or("—".to_owned(), |v| format!("{v}")),
                w.unit,
                date(w.by)
            )),
        ]));
    }
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .block(
            Block::bordered()
                .border_style(theme.border)
                .title(Span::styled(" Strategic ", theme.title)),
        )
        .render(bottom, buf);
}

fn render_quick_edit(edit: &QuickEdit, area: Rect, buf: &mut Buffer, cx: &ViewCtx) {
    let theme = cx.theme;
    let Some(a) = cx.doc.current_alliance() else {
        return;
    };
    let health = a.latest_health(cx.doc.as_of);
    // Without a score, the values given so far in this popup (none for another alliance).
    let draft = if a.id == edit.alliance_id {
        edit.draft
    } else {
        [None; 4]
    };
    let dimensions = health.map_or(draft, |h| {
        [
            Some(h.strategic_alignment),
            Some(h.execution_reliability),
            Some(h.revenue_contribution),
            Some(h.relationship_health),
        ]
    });
    let mut values = vec![a.status.label().to_owned()];
    values.extend(
        dimensions
            .iter()
            .map(|v| v.map_or("—".to_owned(), |v| v.to_string())),
    );
    let mut lines = vec![Line::styled(
        "←/→ or 1–5 change the value at once; ↑/↓ move; Enter/Esc close",
        theme.muted,
    )];
    for (i, (name, value)) in QUICK_FIELDS.iter().zip(values).enumerate() {
        let style: Style = if i == edit.field {
            theme.selected
        } else {
            theme.base
        };
        lines.push(Line::styled(format!(" {name:<24} ‹ {value:^12} › "), style));
    }
    lines.push(Line::raw(""));
    lines.push(match health {
        Some(h) if !h.dimensions().pursue() => Line::styled(
            format!(
                "Health {}/20: below {HEALTH_THRESHOLD}, time for an honest conversation",
                h.total()
            ),
            theme.warn,
        ),
        Some(h) => Line::styled(format!("Health {}/20", h.total()), theme.ok),
        None => Line::styled(
            format!(
                "No score yet: set all four to record today's score ({} of 4)",
                draft.iter().flatten().count()
            ),
            theme.muted,
        ),
    });
    let rect = crate::ui::centered(area, 66, lines.len() as u16 + 2);
    Clear.render(rect, buf);
    Paragraph::new(lines)
        .style(theme.base)
        .block(
            Block::bordered()
                .border_style(theme.border_focus)
                .title(Span::styled(
                    format!(" {} — status and health ", a.partner),
                    theme.title,
                )),
        )
        .render(rect, buf);
}

#[cfg(test)]
mod incremental_rows {
    use proptest::prelude::*;

    use super::*;
    use crate::app::document::Source;
    use crate::model::Status;

    const COLUMNS: [Column; 10] = [
        Column::File,
        Column::Partner,
        Column::Kind,
        Column::Status,
        Column::Health,
        Column::Arcr,
        Column::Cfr,
        Column::Sas,
        Column::NextReview,
        Column::Flags,
    ];
    const QUICK: [Quick; 4] = [
        Quick::All,
        Quick::Flagged,
        Quick::Active,
        Quick::DueThisWeek,
    ];

    fn tab(column: Column, descending: bool, quick: Quick) -> PortfolioTab {
        PortfolioTab {
            sort: column,
            descending,
            quick,
            ..PortfolioTab::default()
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Moving the edited alliance's row gives the rows, the selection and the partner
        /// column's width a full rebuild gives, whatever the sort, direction and filter.
        #[test]
        fn one_row_moved_equals_all_rows_rebuilt(
            column in 0..COLUMNS.len(),
            descending in any::<bool>(),
            quick in 0..QUICK.len(),
            edits in proptest::collection::vec((0..30usize, 0..5u8), 1..12),
        ) {
            let portfolio = crate::generate::generate(30, 4);
            let as_of = portfolio.as_of.unwrap_or_default();
            let mut doc = Document::new(portfolio, as_of, Source::Demo);
            let (column, quick) = (COLUMNS[column], QUICK[quick]);
            let mut moved = tab(column, descending, quick);
            moved.sync(&doc, false);
            for (index, what) in edits {
                match what {
                    0 => {
                        doc.edit_alliance(index, "status", |a| {
                            a.status = match a.status {
                                Status::Active => Status::WindingDown,
                                Status::WindingDown => Status::Ended,
                                Status::Ended => Status::Proposed,
                                Status::Proposed => Status::Active,
                            };
                        });
                        prop_assert_eq!(doc.changed_alone(), Some(index), "one row moves");
                    }
                    1 => doc.edit_alliance(index, "partner", |a| a.partner.push_str(" & Sons")),
                    2 => doc.edit_alliance(index, "partner", |a| {
                        a.partner = a.partner.chars().take(3).collect();
                    }),
                    3 => {
                        doc.undo();
                    }
                    _ => {
                        doc.redo();
                    }
                }
                moved.sync(&doc, false);
                let mut rebuilt = tab(column, descending, quick);
                rebuilt.sync(&doc, false);
                prop_assert_eq!(&moved.rows, &rebuilt.rows);
                prop_assert_eq!(&moved.partner_lengths, &rebuilt.partner_lengths);
                prop_assert_eq!(moved.scroll.selected(), rebuilt.scroll.selected());
            }
        }
    }
}
