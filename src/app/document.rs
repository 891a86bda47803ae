//! The open portfolio: the model, its live scores, the undo history and the current alliance.
//!
//! Every model edit goes through [`Document`] so that it is undoable, marks the file unsaved
//! and re-scores only what it touched (the edited alliance plus the portfolio totals; the
//! brand's revenue is every alliance's ARCR denominator, so editing it re-scores them all).

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::model::{Alliance, Intake, MonthlyValues, Portfolio};
use crate::score::{self, Scores};

/// How many edits undo remembers.
pub const HISTORY_LIMIT: usize = 500;

/// Where the document came from and goes to on save.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    File(PathBuf),
    /// The embedded sample: nothing is written unless saved as.
    Demo,
}

/// The one alliance `edit` changes, when it changes nothing else.
fn alone_of(edit: &Edit) -> Option<usize> {
    match edit {
        Edit::Alliance { index, .. } => Some(*index),
        _ => None,
    }
}

/// One reversible model change.
#[derive(Clone, Debug)]
enum Edit {
    /// The alliance before and after, shared with the model (see [`crate::model::Alliances`]):
    /// an edit costs one copy of the alliance it changed, and nothing for the ones it did not.
    Alliance {
        index: usize,
        before: Arc<Alliance>,
        after: Arc<Alliance>,
    },
    Insert {
        index: usize,
        alliance: Arc<Alliance>,
    },
    Remove {
        index: usize,
        alliance: Arc<Alliance>,
    },
    Pipeline {
        before: Vec<Intake>,
        after: Vec<Intake>,
    },
    Portfolio {
        before: Box<Portfolio>,
        after: Box<Portfolio>,
    },
    /// The brand's total revenue per month (portfolio-level).
    BrandRevenue {
        before: MonthlyValues,
        after: MonthlyValues,
    },
    /// Several edits that undo and redo as one step, in order (reverted in reverse).
    Group(Vec<Edit>),
}

impl Edit {
    /// Whether the edit changes the brand's revenue, which every alliance's ARCR divides by.
    fn touches_brand_revenue(&self) -> bool {
        match self {
            Self::BrandRevenue { .. } | Self::Portfolio { .. } => true,
            Self::Group(parts) => parts.iter().any(Self::touches_brand_revenue),
            _ => false,
        }
    }

    /// The one alliance (by id) the edit touched; `None` when it touched the portfolio, the
    /// brand's revenue or the pipeline. Share mode keeps undo to the shared alliance by this.
    fn alliance(&self) -> Option<&str> {
        match self {
            Self::Alliance { after, .. } => Some(&after.id),
            Self::Insert { alliance, .. } | Self::Remove { alliance, .. } => Some(&alliance.id),
            Self::Pipeline { .. } | Self::Portfolio { .. } | Self::BrandRevenue { .. } => None,
            Self::Group(parts) => {
                let first = parts.first()?.alliance()?;
                parts
                    .iter()
                    .all(|p| p.alliance() == Some(first))
                    .then_some(first)
            }
        }
    }
}

#[derive(Clone, Debug)]
struct Entry {
    id: u64,
    label: String,
    /// The alliance the edit touched, if it touched exactly one and nothing portfolio-wide.
    alliance: Option<String>,
    edit: Edit,
}

/// The open portfolio and everything derived from it.
#[derive(Debug)]
pub struct Document {
    pub portfolio: Portfolio,
    pub scores: Scores,
    /// The evaluation date: `--as-of`, else the file's `as_of`, else today.
    pub as_of: NaiveDate,
    /// `Some(today)` when no `--as-of` was given, so the evaluation date follows the file's
    /// pinned date: a settings change, its undo or a reload moves it. `None`: it stays fixed.
    pub follows_pinned_as_of: Option<NaiveDate>,
    pub source: Source,
    /// Index of the current alliance (the one the other tabs act on).
    pub current: usize,
    /// Saving is refused (e.g. the file or its folder is not writable, or another instance
    /// holds it); the reason is shown in the header.
    pub read_only: Option<String>,
    /// Bumped on every change, so views can cache derived lists cheaply.
    pub revision: u64,
    undo: VecDeque<Entry>,
    redo: Vec<Entry>,
    next_id: u64,
    saved_id: u64,
    /// The state below the oldest remembered edit: 0 at load, then the id of the last edit
    /// the history dropped. A save of a state that was dropped can never be reached again, so
    /// the document stays unsaved however far undo goes.
    base_id: u64,
    /// Portfolio totals kept up to date edit by edit.
    totals: score::Totals,
    /// The revision and the one alliance it changed, when the last change was an edit of one
    /// alliance (or its undo or redo) and nothing else: see [`Document::changed_alone`].
    alone: Option<(u64, usize)>,
}

impl Document {
    pub fn new(portfolio: Portfolio, as_of: NaiveDate, source: Source) -> Self {
        let (scores, totals) = score::score_and_totals(&portfolio, as_of);
        Self {
            portfolio,
            scores,
            as_of,
            follows_pinned_as_of: None,
            source,
            current: 0,
            read_only: None,
            revision: 0,
            undo: VecDeque::new(),
            redo: Vec::new(),
            next_id: 1,
            saved_id: 0,
            base_id: 0,
            totals,
            alone: None,
        }
    }

    /// A read-only look at this document with another model and scores in the same places
    /// (same alliances at the same indices, same current, revision and as-of) and no history:
    /// what share mode draws from (see `app::share`).
    #[must_use]
    pub fn view_with(&self, portfolio: Portfolio, scores: Scores) -> Self {
        let totals = score::Totals::new(&portfolio, &scores.alliances, self.as_of);
        Self {
            totals,
            portfolio,
            scores,
            as_of: self.as_of,
            source: self.source.clone(),
            current: self.current,
            read_only: self.read_only.clone(),
            follows_pinned_as_of: None,
            revision: self.revision,
            alone: None,
            undo: VecDeque::new(),
            redo: Vec::new(),
            next_id: 1,
            saved_id: 0,
            base_id: 0,
        }
    }

    /// The file path, if the document has one.
    pub fn path(&self) -> Option<&PathBuf> {
        match &self.source {
            Source::File(p) => Some(p),
            Source::Demo => None,
        }
    }

    /// Whether there are edits not yet saved.
    pub fn is_dirty(&self) -> bool {
        self.state_id() != self.saved_id
    }

    /// Record that the current state is what is on disk.
    pub fn mark_saved(&mut self) {
        self.saved_id = self.state_id();
    }

    /// Which state the model is in: the id of the last applied edit, else the base.
    fn state_id(&self) -> u64 {
        self.undo.back().map_or(self.base_id, |e| e.id)
    }

    pub fn current_alliance(&self) -> Option<&Alliance> {
        self.portfolio.alliances.get(self.current)
    }

    pub fn current_scores(&self) -> Option<&score::AllianceScores> {
        self.scores.alliances.get(self.current)
    }

    /// What undo would revert, for the status line.
    pub fn undo_label(&self) -> Option<&str> {
        self.undo.back().map(|e| e.label.as_str())
    }

    pub fn redo_label(&self) -> Option<&str> {
        self.redo.last().map(|e| e.label.as_str())
    }

    /// What undo would revert, if it may be shown: while sharing, only an edit of the shared
    /// (current) alliance, since a label names its partner.
    pub fn undo_label_shown(&self, share: bool) -> Option<&str> {
        self.undo_label()
            .filter(|_| !share || self.undo_is_current_alliance())
    }

    /// Whether the edit undo would revert touched only the current alliance.
    pub fn undo_is_current_alliance(&self) -> bool {
        self.undo.back().is_some_and(|e| self.is_current(e))
    }

    /// Whether the edit redo would apply touched only the current alliance.
    pub fn redo_is_current_alliance(&self) -> bool {
        self.redo.last().is_some_and(|e| self.is_current(e))
    }

    /// An in-place edit of the current alliance. Adding or removing an alliance does not
    /// count even when it is the current one: undoing it changes which alliance is on screen.
    fn is_current(&self, entry: &Entry) -> bool {
        !matches!(entry.edit, Edit::Insert { .. } | Edit::Remove { .. })
            && entry.alliance.is_some()
            && entry.alliance.as_deref() == self.current_alliance().map(|a| a.id.as_str())
    }

    /// Edit one alliance in place. Nothing is recorded if the closure changes nothing.
    pub fn edit_alliance(
        &mut self,
        index: usize,
        label: impl Into<String>,
        f: impl FnOnce(&mut Alliance),
    ) {
        let alliances = &mut self.portfolio.alliances;
        let Some(before) = alliances.shared(index).cloned() else {
            return;
        };
        // The one copy an edit makes: `before` shares the alliance, so changing it copies it.
        let alliance = &mut alliances[index];
        f(alliance);
        if *alliance == *before {
            // Unchanged: share the original again rather than keep an identical copy.
            alliances.set_shared(index, before);
            return;
        }
        let after = Arc::clone(alliances.shared_at(index));
        self.record(
            label.into(),
            Edit::Alliance {
                index,
                before,
                after,
            },
        );
    }

    /// Edit the current alliance.
    pub fn edit_current(&mut self, label: impl Into<String>, f: impl FnOnce(&mut Alliance)) {
        self.edit_alliance(self.current, label, f);
    }

    /// Add an alliance at `index` (clamped) and make it current.
    pub fn insert_alliance(&mut self, index: usize, alliance: Alliance, label: impl Into<String>) {
        let index = index.min(self.portfolio.alliances.len());
        let edit = Edit::Insert {
            index,
            alliance: Arc::new(alliance),
        };
        self.record(label.into(), edit);
        self.current = index;
    }

    /// Remove the alliance at `index`.
    pub fn remove_alliance(&mut self, index: usize, label: impl Into<String>) {
        let Some(alliance) = self.portfolio.alliances.shared(index).cloned() else {
            return;
        };
        self.record(label.into(), Edit::Remove { index, alliance });
    }

    /// Edit the pipeline of intakes.
    pub fn edit_pipeline(&mut self, label: impl Into<String>, f: impl FnOnce(&mut Vec<Intake>)) {
        let before = self.portfolio.pipeline.clone();
        f(&mut self.portfolio.pipeline);
        if self.portfolio.pipeline == before {
            return;
        }
        let after = self.portfolio.pipeline.clone();
        self.record(label.into(), Edit::Pipeline { before, after });
    }

    /// Edit the brand's total revenue per month. Nothing is recorded if nothing changes.
    pub fn edit_brand_revenue(
        &mut self,
        label: impl Into<String>,
        f: impl FnOnce(&mut MonthlyValues),
    ) {
        let before = self.portfolio.revenue.clone();
        f(&mut self.portfolio.revenue);
        if self.portfolio.revenue == before {
            return;
        }
        let after = self.portfolio.revenue.clone();
        self.record(label.into(), Edit::BrandRevenue { before, after });
    }

    /// Edit the brand's revenue and one alliance together, as one undo step: a month's numbers
    /// are entered at once, so undo takes them back at once. Only what changed is recorded;
    /// nothing at all if nothing changed. Unlike [`Document::edit_alliance`], repeated edits
    /// with the same label are never merged: each save of a form is its own step.
    pub fn edit_alliance_and_brand_revenue(
        &mut self,
        index: usize,
        label: impl Into<String>,
        f: impl FnOnce(&mut MonthlyValues, &mut Alliance),
    ) {
        let Some(before) = self.portfolio.alliances.shared(index).cloned() else {
            return;
        };
        let revenue_before = self.portfolio.revenue.clone();
        let alliance = &mut self.portfolio.alliances[index];
        f(&mut self.portfolio.revenue, alliance);
        let changed = *alliance != *before;
        let mut parts = Vec::new();
        if self.portfolio.revenue != revenue_before {
            parts.push(Edit::BrandRevenue {
                before: revenue_before,
                after: self.portfolio.revenue.clone(),
            });
        }
        let alliances = &mut self.portfolio.alliances;
        if changed {
            let after = Arc::clone(alliances.shared_at(index));
            parts.push(Edit::Alliance {
                index,
                before,
                after,
            });
        } else {
            alliances.set_shared(index, before);
        }
        if !parts.is_empty() {
            self.record(label.into(), Edit::Group(parts));
        }
    }

    /// Replace the whole portfolio (reload, restore from recovery) as one undoable edit.
    pub fn replace_portfolio(&mut self, portfolio: Portfolio, label: impl Into<String>) {
        if portfolio == self.portfolio {
            return;
        }
        let before = Box::new(self.portfolio.clone());
        self.record(
            label.into(),
            Edit::Portfolio {
                before,
                after: Box::new(portfolio),
            },
        );
    }

    /// Undo the last edit; returns its label.
    pub fn undo(&mut self) -> Option<String> {
        let entry = self.undo.pop_back()?;
        self.revert(&entry.edit);
        let label = entry.label.clone();
        self.bump(alone_of(&entry.edit));
        self.redo.push(entry);
        Some(label)
    }

    /// Redo the last undone edit; returns its label.
    pub fn redo(&mut self) -> Option<String> {
        let entry = self.redo.pop()?;
        self.apply(&entry.edit);
        let label = entry.label.clone();
        self.bump(alone_of(&entry.edit));
        self.undo.push_back(entry);
        Some(label)
    }

    /// A new revision; `alone` is the one alliance it changed, if that is all it changed.
    fn bump(&mut self, alone: Option<usize>) {
        self.revision += 1;
        self.alone = alone.map(|index| (self.revision, index));
    }

    /// The one alliance the latest revision changed, when that change touched nothing else
    /// (the same alliances at the same indices, other alliances' scores as they were): a view
    /// may then move that one row instead of rebuilding every row (issue 14).
    pub fn changed_alone(&self) -> Option<usize> {
        self.alone
            .filter(|&(revision, _)| revision == self.revision)
            .map(|(_, index)| index)
    }

    fn record(&mut self, label: String, edit: Edit) {
        // Alliance, pipeline, brand revenue and grouped edits were already applied in place by
        // the caller.
        if matches!(
            edit,
            Edit::Insert { .. } | Edit::Remove { .. } | Edit::Portfolio { .. }
        ) {
            self.apply(&edit);
        } else {
            self.rescore_for(&edit);
        }
        let alone = alone_of(&edit);
        if self.coalesce(&label, &edit) {
            self.bump(alone);
            return;
        }
        self.undo.push_back(Entry {
            id: self.next_id,
            alliance: edit.alliance().map(str::to_owned),
            label,
            edit,
        });
        self.next_id += 1;
        if self.undo.len() > HISTORY_LIMIT
            && let Some(dropped) = self.undo.pop_front()
        {
            // The state before `dropped` is gone for good; the one after it is the new base.
            self.base_id = dropped.id;
        }
        self.redo.clear();
        self.bump(alone);
    }

    /// Typing into one field is one undo step, not one per keystroke: an alliance edit with the
    /// same label as the unsaved edit just before it (same alliance, nothing undone since)
    /// extends that edit. If the field ends up as it was, the edit disappears altogether.
    fn coalesce(&mut self, label: &str, edit: &Edit) -> bool {
        let Edit::Alliance { index, after, .. } = edit else {
            return false;
        };
        if !self.redo.is_empty() {
            return false;
        }
        let Some(top) = self.undo.back_mut() else {
            return false;
        };
        if top.label != label || top.id == self.saved_id {
            return false;
        }
        let Edit::Alliance {
            index: top_index,
            before,
            after: top_after,
        } = &mut top.edit
        else {
            return false;
        };
        if top_index != index {
            return false;
        }
        if **before == **after {
            self.undo.pop_back();
        } else {
            top_after.clone_from(after);
            top.alliance = Some(after.id.clone());
        }
        true
    }

    fn apply(&mut self, edit: &Edit) {
        self.write(edit, true);
        self.rescore_for(edit);
    }

    fn revert(&mut self, edit: &Edit) {
        self.write(edit, false);
        self.rescore_for(edit);
    }

    /// Put the model in the state after (`forward`) or before an edit, without re-scoring.
    fn write(&mut self, edit: &Edit, forward: bool) {
        let alliances = &mut self.portfolio.alliances;
        match (edit, forward) {
            (Edit::Alliance { index, after, .. }, true) => {
                alliances.set_shared(*index, Arc::clone(after));
            }
            (Edit::Alliance { index, before, .. }, false) => {
                alliances.set_shared(*index, Arc::clone(before));
            }
            (Edit::Insert { index, alliance }, true)
            | (Edit::Remove { index, alliance }, false) => {
                alliances.insert_shared(*index, Arc::clone(alliance));
            }
            (Edit::Insert { index, .. } | Edit::Remove { index, .. }, _) => {
                alliances.remove(*index);
            }
            (Edit::Pipeline { after, .. }, true) => self.portfolio.pipeline.clone_from(after),
            (Edit::Pipeline { before, .. }, false) => self.portfolio.pipeline.clone_from(before),
            (Edit::Portfolio { after, .. }, true) => {
                self.portfolio = (**after).clone();
                self.follow_pinned_as_of();
            }
            (Edit::Portfolio { before, .. }, false) => {
                self.portfolio = (**before).clone();
                self.follow_pinned_as_of();
            }
            (Edit::BrandRevenue { after, .. }, true) => self.portfolio.revenue.clone_from(after),
            (Edit::BrandRevenue { before, .. }, false) => {
                self.portfolio.revenue.clone_from(before);
            }
            (Edit::Group(parts), true) => parts.iter().for_each(|p| self.write(p, true)),
            (Edit::Group(parts), false) => parts.iter().rev().for_each(|p| self.write(p, false)),
        }
    }

    /// Move the evaluation date to the file's pinned date (or today) when it follows it.
    fn follow_pinned_as_of(&mut self) {
        if let Some(today) = self.follows_pinned_as_of {
            self.as_of = self.portfolio.as_of.unwrap_or(today);
        }
    }

    /// Re-score what an edit touched. Inserts and removes shift indices, so the score list
    /// follows the same insert/remove instead of being rebuilt.
    fn rescore_for(&mut self, edit: &Edit) {
        let as_of = self.as_of;
        if edit.touches_brand_revenue() {
            // Every ARCR divides by the brand's revenue: `score` is the cheap full path.
            (self.scores, self.totals) = score::score_and_totals(&self.portfolio, as_of);
            self.clamp_current();
            return;
        }
        if !self.totals.fits(as_of, self.scores.alliances.len()) {
            // The evaluation date was changed from outside: count again from the scores.
            self.totals = score::Totals::new(&self.portfolio, &self.scores.alliances, as_of);
        }
        match edit {
            Edit::Alliance { index, .. } => {
                let alliance = &self.portfolio.alliances[*index];
                let fresh = score::score_alliance(&self.portfolio, alliance, as_of);
                self.totals.set(*index, alliance, &fresh);
                self.scores.alliances[*index] = fresh;
            }
            Edit::Insert { index, .. } | Edit::Remove { index, .. } => {
                if self.portfolio.alliances.len() > self.scores.alliances.len() {
                    let alliance = &self.portfolio.alliances[*index];
                    let fresh = score::score_alliance(&self.portfolio, alliance, as_of);
                    self.totals.insert(*index, alliance, &fresh);
                    self.scores.alliances.insert(*index, fresh);
                } else {
                    self.totals.remove(*index);
                    self.scores.alliances.remove(*index);
                }
            }
            Edit::Pipeline { .. } | Edit::Portfolio { .. } | Edit::BrandRevenue { .. } => {}
            Edit::Group(parts) => {
                for part in parts {
                    self.rescore_for(part);
                }
            }
        }
        self.scores.portfolio = self.totals.scores();
        self.clamp_current();
    }

    fn clamp_current(&mut self) {
        let n = self.portfolio.alliances.len();
        if self.current >= n {
            self.current = n.saturating_sub(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AllianceKind, Status};

    fn doc() -> Document {
        let mut p = Portfolio::empty("Test");
        let d = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        p.alliances
            .push(Alliance::new("a", "A", AllianceKind::Wholesale, d));
        p.alliances
            .push(Alliance::new("b", "B", AllianceKind::Fulfillment, d));
        Document::new(
            p,
            NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
            Source::Demo,
        )
    }

    #[test]
    fn edits_undo_and_redo() {
        let mut d = doc();
        assert!(!d.is_dirty());
        d.edit_alliance(1, "status of B", |a| a.status = Status::Active);
        assert!(d.is_dirty());
        assert_eq!(d.scores.alliances[1].status, Status::Active);
        assert_eq!(d.undo_label(), Some("status of B"));
        assert_eq!(d.undo().as_deref(), Some("status of B"));
        assert_eq!(d.portfolio.alliances[1].status, Status::Proposed);
        assert_eq!(d.scores.alliances[1].status, Status::Proposed);
        assert!(!d.is_dirty(), "undo back to the saved state is clean");
        d.redo();
        assert_eq!(d.portfolio.alliances[1].status, Status::Active);
        assert!(d.is_dirty());
        d.mark_saved();
        assert!(!d.is_dirty());
    }

    #[test]
    fn no_op_edit_is_not_recorded() {
        let mut d = doc();
        d.edit_alliance(0, "nothing", |_| {});
        assert!(!d.is_dirty());
        assert!(d.undo_label().is_none());
    }

    #[test]
    fn insert_and_remove_keep_scores_aligned() {
        let mut d = doc();
        let day = NaiveDate::from_ymd_opt(2026, 2, 1).unwrap();
        d.insert_alliance(
            1,
            Alliance::new("c", "C", AllianceKind::CoProduct, day),
            "add C",
        );
        assert_eq!(d.current, 1);
        let ids: Vec<_> = d.scores.alliances.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["a", "c", "b"]);
        d.remove_alliance(0, "delete A");
        let ids: Vec<_> = d.scores.alliances.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["c", "b"]);
        d.undo();
        d.undo();
        let ids: Vec<_> = d.scores.alliances.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["a", "b"]);
    }

    #[test]
    fn typing_into_one_field_is_one_undo_step() {
        let mut d = doc();
        d.edit_alliance(0, "status", |a| a.status = Status::Active);
        for text in ["G", "Gl", "Glo", "Glow"] {
            d.edit_alliance(0, "charter: metric", |a| a.notes = text.to_owned());
        }
        assert_eq!(d.portfolio.alliances[0].notes, "Glow");
        assert_eq!(d.undo().as_deref(), Some("charter: metric"));
        assert_eq!(d.portfolio.alliances[0].notes, "");
        assert_eq!(d.undo().as_deref(), Some("status"));
        d.redo();
        d.redo();
        assert_eq!(d.portfolio.alliances[0].notes, "Glow");
        // A save splits the run: undo goes back to what was saved, not further.
        d.mark_saved();
        d.edit_alliance(0, "charter: metric", |a| a.notes = "Glow!".to_owned());
        assert!(d.is_dirty());
        d.undo();
        assert_eq!(d.portfolio.alliances[0].notes, "Glow");
        assert!(!d.is_dirty());
        // Typing and erasing back to the start leaves nothing to undo or save.
        d.redo();
        d.mark_saved();
        d.edit_alliance(1, "charter: unit", |a| a.notes = "x".to_owned());
        d.edit_alliance(1, "charter: unit", |a| a.notes = String::new());
        assert!(!d.is_dirty());
    }

    fn month(s: &str) -> crate::model::Month {
        s.parse().unwrap()
    }

    /// Two alliances with May numbers (the latest month as of June 1): A 20 of the brand's
    /// 1,000, B 100.
    fn doc_with_revenue() -> Document {
        let mut d = doc();
        let may = month("2026-05");
        d.portfolio.revenue.insert(may, 1000.0);
        d.portfolio.alliances[0].revenue.insert(may, 20.0);
        d.portfolio.alliances[1].revenue.insert(may, 100.0);
        d.scores = score::score(&d.portfolio, d.as_of);
        d
    }

    #[test]
    fn brand_revenue_edit_rescores_every_alliance_and_undoes() {
        let mut d = doc_with_revenue();
        let may = month("2026-05");
        assert_eq!(d.scores.alliances[0].arcr.latest, Some(0.02));
        assert_eq!(d.scores.alliances[1].arcr.latest, Some(0.1));
        assert_eq!(d.scores.portfolio.alliance_share, Some(0.12));
        d.edit_brand_revenue("brand revenue 2026-05", |r| {
            r.insert(may, 2000.0);
        });
        assert!(d.is_dirty());
        assert_eq!(d.scores.alliances[0].arcr.latest, Some(0.01));
        assert_eq!(d.scores.alliances[1].arcr.latest, Some(0.05));
        assert_eq!(d.scores.portfolio.alliance_share, Some(0.06));
        assert_eq!(d.undo().as_deref(), Some("brand revenue 2026-05"));
        assert_eq!(d.portfolio.revenue.get(&may), Some(&1000.0));
        assert_eq!(d.scores.alliances[1].arcr.latest, Some(0.1));
        assert!(!d.is_dirty());
        d.redo();
        assert_eq!(d.scores.alliances[1].arcr.latest, Some(0.05));
        // Removing the month's brand revenue removes every ARCR of that month (no made-up 0).
        d.edit_brand_revenue("clear", |r| {
            r.remove(&may);
        });
        assert_eq!(d.scores.alliances[0].arcr.latest, None);
        assert_eq!(d.scores.portfolio.alliance_share, None);
        d.edit_brand_revenue("nothing", |_| {});
        assert_eq!(d.undo_label(), Some("clear"));
    }

    #[test]
    fn numbers_for_a_month_are_one_undo_step() {
        let mut d = doc_with_revenue();
        let may = month("2026-05");
        let label = "numbers for 2026-05 (B)";
        d.edit_alliance_and_brand_revenue(1, label, |brand, a| {
            brand.insert(may, 500.0);
            a.revenue.insert(may, 50.0);
        });
        assert_eq!(d.scores.alliances[1].arcr.latest, Some(0.1));
        assert_eq!(d.scores.alliances[0].arcr.latest, Some(0.04));
        assert_eq!(d.scores.portfolio.alliance_share, Some(0.14));
        assert_eq!(d.undo().as_deref(), Some(label));
        assert_eq!(d.portfolio.revenue.get(&may), Some(&1000.0));
        assert_eq!(d.portfolio.alliances[1].revenue.get(&may), Some(&100.0));
        assert_eq!(d.scores.alliances[0].arcr.latest, Some(0.02));
        assert_eq!(d.scores.portfolio.alliance_share, Some(0.12));
        assert!(d.undo_label().is_none(), "both changes went in one step");
        d.redo();
        assert_eq!(d.portfolio.revenue.get(&may), Some(&500.0));
        assert_eq!(d.portfolio.alliances[1].revenue.get(&may), Some(&50.0));
        assert_eq!(d.scores.portfolio.alliance_share, Some(0.14));
        // The same label again is a new step, not merged into the last one.
        d.edit_alliance_and_brand_revenue(1, label, |_, a| {
            a.revenue.remove(&may);
        });
        assert_eq!(
            d.scores.alliances[1].arcr.latest,
            Some(0.0),
            "started: 0, not none"
        );
        d.undo();
        assert_eq!(d.portfolio.alliances[1].revenue.get(&may), Some(&50.0));
        assert_eq!(d.undo_label(), Some(label));
        // Changing nothing records nothing.
        d.edit_alliance_and_brand_revenue(1, "no change", |_, _| {});
        assert_eq!(d.undo_label(), Some(label));
    }

    #[test]
    fn history_is_bounded() {
        let mut d = doc();
        for i in 0..(HISTORY_LIMIT + 20) {
            d.edit_alliance(0, format!("note {i}"), |a| a.notes = i.to_string());
        }
        let mut undone = 0;
        while d.undo().is_some() {
            undone += 1;
        }
        assert_eq!(undone, HISTORY_LIMIT);
    }

    #[test]
    fn a_saved_state_the_history_dropped_stays_unsaved_after_undoing_everything() {
        let mut d = doc();
        for i in 0..=HISTORY_LIMIT {
            d.edit_alliance(0, format!("note {i}"), |a| a.notes = i.to_string());
        }
        while d.undo().is_some() {}
        assert_eq!(
            d.portfolio.alliances[0].notes, "0",
            "the first edit is beyond undo"
        );
        assert!(d.is_dirty(), "the model still differs from the file");
        // Redo and undo cannot reach the saved state either.
        d.redo();
        d.undo();
        assert!(d.is_dirty());
        // Saving again makes the state reachable once more.
        d.mark_saved();
        assert!(!d.is_dirty());
        d.edit_alliance(1, "status", |a| a.status = Status::Active);
        d.undo();
        assert!(!d.is_dirty());
    }

    #[test]
    fn a_save_inside_the_remembered_history_is_still_found_after_older_edits_drop() {
        let mut d = doc();
        d.edit_alliance(0, "first", |a| a.notes = "first".into());
        d.mark_saved();
        for i in 0..HISTORY_LIMIT {
            d.edit_alliance(1, format!("note {i}"), |a| a.notes = i.to_string());
        }
        // "first" (the saved state) was dropped, but the state after it is the new base.
        while d.undo().is_some() {}
        assert_eq!(d.portfolio.alliances[0].notes, "first");
        assert_eq!(d.portfolio.alliances[1].notes, "");
        assert!(!d.is_dirty(), "exactly what was saved");
    }

    #[test]
    fn each_entry_knows_the_alliance_it_touched() {
        let mut d = doc();
        d.current = 1;
        d.edit_alliance(1, "status of B", |a| a.status = Status::Active);
        assert!(d.undo_is_current_alliance());
        assert_eq!(d.undo_label_shown(true), Some("status of B"));
        d.current = 0;
        assert!(!d.undo_is_current_alliance());
        assert_eq!(
            d.undo_label_shown(true),
            None,
            "B's edit is hidden while A is shared"
        );
        assert_eq!(d.undo_label_shown(false), Some("status of B"));
        d.edit_pipeline("pipeline", |p| {
            p.push(Intake {
                partner: "Peak".into(),
                kind: AllianceKind::Wholesale,
                submitted: NaiveDate::from_ymd_opt(2026, 2, 1).unwrap(),
                win_conditions: Vec::new(),
                resources: String::new(),
                rationale: String::new(),
                score: None,
            });
        });
        assert!(
            !d.undo_is_current_alliance(),
            "the pipeline is no alliance's"
        );
        d.undo();
        assert!(!d.redo_is_current_alliance());
        d.redo();
        d.edit_brand_revenue("brand", |r| {
            r.insert(month("2026-05"), 5.0);
        });
        assert!(
            !d.undo_is_current_alliance(),
            "brand revenue is portfolio-wide"
        );
        // A month's numbers with the brand's revenue are portfolio-wide; without, the alliance's.
        d.edit_alliance_and_brand_revenue(0, "numbers", |b, a| {
            b.insert(month("2026-04"), 9.0);
            a.revenue.insert(month("2026-04"), 1.0);
        });
        assert!(!d.undo_is_current_alliance());
        d.edit_alliance_and_brand_revenue(0, "numbers A", |_, a| {
            a.revenue.insert(month("2026-03"), 1.0);
        });
        assert!(d.undo_is_current_alliance());
        d.undo();
        assert!(d.redo_is_current_alliance());
        d.replace_portfolio(Portfolio::empty("X"), "reload");
        assert!(!d.undo_is_current_alliance());
    }

    mod props {
        use proptest::prelude::*;

        use super::*;

        /// One random step: which kind of edit, on which alliance, with which number.
        fn step() -> impl Strategy<Value = (u8, usize, u32)> {
            (0u8..8, 0usize..64, 0u32..5_000)
        }

        fn run(d: &mut Document, (kind, at, n): (u8, usize, u32)) {
            let len = d.portfolio.alliances.len();
            let index = if len == 0 { 0 } else { at % len };
            // The latest month of the generated portfolio as of its as-of date, and one before.
            let month = d
                .scores
                .portfolio
                .latest_month
                .unwrap_or_else(|| "2026-10".parse().unwrap());
            let value = f64::from(n) * 1.37;
            match kind {
                0 => d.edit_alliance(index, format!("revenue {n}"), |a| {
                    a.revenue.insert(month, value);
                }),
                1 => d.edit_alliance(index, "revenue gone", |a| {
                    a.revenue.remove(&month);
                }),
                2 => d.edit_alliance(index, "status", |a| {
                    a.status = if n % 2 == 0 {
                        Status::Active
                    } else {
                        Status::WindingDown
                    };
                }),
                3 => {
                    if let Some(a) = d.portfolio.alliances.get(index).cloned() {
                        let mut copy = a;
                        copy.id = format!("copy-{n}-{len}");
                        d.insert_alliance(at, copy, "add");
                    }
                }
                4 => d.remove_alliance(index, "delete"),
                5 => {
                    d.undo();
                }
                6 => {
                    d.redo();
                }
                _ => d.edit_alliance_and_brand_revenue(index, "numbers", |b, a| {
                    b.insert(month, value * 10.0 + 1.0);
                    a.revenue.insert(month, value);
                }),
            }
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(48))]

            /// Incremental totals equal a full recompute, bit for bit, after any edits.
            #[test]
            fn incremental_totals_equal_a_full_recompute(
                seed in 0u64..1_000,
                steps in prop::collection::vec(step(), 1..40),
            ) {
                let p = crate::generate::generate(12, seed);
                let as_of = p.as_of.unwrap_or_else(|| NaiveDate::from_ymd_opt(2026, 11, 15).unwrap());
                let mut d = Document::new(p, as_of, Source::Demo);
                for s in steps {
                    run(&mut d, s);
                    let full = score::score(&d.portfolio, d.as_of);
                    prop_assert_eq!(&d.scores.portfolio, &full.portfolio);
                    prop_assert_eq!(&d.scores.alliances, &full.alliances);
                }
            }

            /// A snapshot (a clone: it shares the alliances) keeps the portfolio as it was when
            /// taken, whatever edits, undos and redos follow: what the recovery writer serialises.
            /// And undoing everything gives back the portfolio loaded.
            #[test]
            fn a_snapshot_never_sees_a_later_edit(
                seed in 0u64..1_000,
                steps in prop::collection::vec(step(), 1..40),
                cut in 0usize..40,
            ) {
                let p = crate::generate::generate(6, seed);
                let loaded = deep_copy(&p);
                let as_of = p.as_of.unwrap_or_else(|| NaiveDate::from_ymd_opt(2026, 11, 15).unwrap());
                let mut d = Document::new(p, as_of, Source::Demo);
                let first = d.portfolio.clone();
                let mut taken = None;
                for (i, s) in steps.into_iter().enumerate() {
                    run(&mut d, s);
                    if i == cut {
                        taken = Some((d.portfolio.clone(), deep_copy(&d.portfolio)));
                    }
                }
                prop_assert_eq!(&first, &loaded);
                if let Some((snapshot, then)) = taken {
                    prop_assert_eq!(snapshot, then);
                }
                while d.undo().is_some() {}
                prop_assert_eq!(&d.portfolio, &loaded);
            }
        }

        /// A copy sharing nothing with `p`.
        fn deep_copy(p: &Portfolio) -> Portfolio {
            let mut copy = p.clone();
            copy.alliances = p.alliances.iter().cloned().collect();
            copy
        }
    }
}
