//! What changed in an alliance since its previous MBR (SPEC §10: the first question of every
//! MBR), shown by the Reviews tab and the MBR's first step: `field: before → after`, comparing
//! the alliance as the file was committed on or before that MBR's date with the alliance on
//! screen (unsaved edits included).
//!
//! Reading git history is I/O, so it is an [`Effect::History`] asked for once per alliance and
//! date; its result comes back through the shell's `apply` into [`Changes::store`]. The lists
//! themselves are derived from the cached versions, once per document revision.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use chrono::NaiveDate;
use ratatui::text::Line;

use crate::app::Effect;
use crate::app::document::Document;
use crate::history::{Change, alliance_changes};
use crate::model::Alliance;
use crate::ui::theme::Theme;

/// At most this many changes show in the Reviews tab's detail pane; the MBR shows them all.
pub const SHORT_LIST: usize = 5;

/// What can be said about an alliance's changes since its previous MBR.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Listing {
    /// The sample has no file, so no history.
    NoFile,
    /// No MBR stored yet: nothing to compare with.
    NoPreviousMbr,
    /// The git read is under way.
    Loading(NaiveDate),
    /// Why the history is not known (not in git, nothing committed that early…).
    Unknown(String),
    Changes {
        since: NaiveDate,
        changes: Vec<Change>,
    },
}

/// The latest MBR of `a` on or before `as_of`.
pub fn previous_mbr(a: &Alliance, as_of: NaiveDate) -> Option<NaiveDate> {
    a.reviews
        .iter()
        .filter(|r| r.is_monthly() && r.date() <= as_of)
        .map(crate::model::Review::date)
        .max()
}

/// An alliance as committed on or before a date (`None`: it did not exist), or why that is not
/// known.
type Version = Result<Option<Alliance>, String>;

/// The committed versions read so far, per (alliance id, MBR date), and the lists made of them.
#[derive(Debug, Default)]
pub struct Changes {
    /// `None` while the read is under way.
    versions: HashMap<(String, NaiveDate), Option<Version>>,
    /// Lists built for (document revision, alliance id), dropped when a version arrives.
    lists: RefCell<HashMap<(u64, String), Rc<Listing>>>,
}

impl Changes {
    /// The git read alliance `id` still needs, once: nothing for the sample, an alliance with
    /// no MBR yet, or a read already made or under way.
    pub fn wanted(&mut self, doc: &Document, id: &str) -> Option<Effect> {
        let path = doc.path()?;
        let a = doc.portfolio.alliance(id)?;
        let since = previous_mbr(a, doc.as_of)?;
        let key = (a.id.clone(), since);
        if self.versions.contains_key(&key) {
            return None;
        }
        self.versions.insert(key, None);
        Some(Effect::History {
            path: path.clone(),
            alliance: a.id.clone(),
            since,
        })
    }

    /// Take in the result of a git read.
    pub fn store(
        &mut self,
        alliance: String,
        since: NaiveDate,
        before: Result<Option<Box<Alliance>>, String>,
    ) {
        self.versions
            .insert((alliance, since), Some(before.map(|a| a.map(|a| *a))));
        self.lists.borrow_mut().clear();
    }

    /// What to say about alliance `id`'s changes since its previous MBR.
    pub fn listing(&self, doc: &Document, id: &str) -> Rc<Listing> {
        let key = (doc.revision, id.to_owned());
        if let Some(l) = self.lists.borrow().get(&key) {
            return Rc::clone(l);
        }
        let listing = Rc::new(self.build(doc, id));
        let mut lists = self.lists.borrow_mut();
        // Only the current revision's lists are worth keeping.
        lists.retain(|(rev, _), _| *rev == doc.revision);
        lists.insert(key, Rc::clone(&listing));
        listing
    }

    fn build(&self, doc: &Document, id: &str) -> Listing {
        if doc.path().is_none() {
            return Listing::NoFile;
        }
        let Some(a) = doc.portfolio.alliance(id) else {
            return Listing::NoPreviousMbr;
        };
        let Some(since) = previous_mbr(a, doc.as_of) else {
            return Listing::NoPreviousMbr;
        };
        match self.versions.get(&(id.to_owned(), since)) {
            None | Some(None) => Listing::Loading(since),
            Some(Some(Err(why))) => Listing::Unknown(why.clone()),
            Some(Some(Ok(before))) => Listing::Changes {
                since,
                changes: alliance_changes(before.as_ref(), Some(a)),
            },
        }
    }
}

impl super::ReviewsTab {
    /// The git reads the tab still needs: for the current alliance's list and for every MBR
    /// draft's first step.
    pub fn changes_wanted(&mut self, doc: &Document) -> Vec<Effect> {
        let mut ids: Vec<String> = doc
            .current_alliance()
            .map(|a| a.id.clone())
            .into_iter()
            .collect();
        for w in &self.drafts {
            if let super::Wizard::Mbr(w) = w {
                ids.push(w.alliance.clone());
            }
        }
        ids.iter()
            .filter_map(|id| self.changes.wanted(doc, id))
            .collect()
    }
}

/// The listing as lines: a heading and `field: before → after` per change (sanitised), at
/// most `max` of them; one line when there is nothing to list.
pub fn lines(listing: &Listing, theme: &Theme, max: usize) -> Vec<Line<'static>> {
    match listing {
        Listing::NoFile => vec![Line::styled(
            "Changes since the last MBR: not known (the sample is not in git).",
            theme.muted,
        )],
        Listing::NoPreviousMbr => vec![Line::styled(
            "No previous MBR: no changes to list yet.",
            theme.muted,
        )],
        Listing::Loading(since) => vec![Line::styled(
            format!("Reading the changes since the MBR of {since} from git…"),
            theme.muted,
        )],
        Listing::Unknown(why) => {
            let mut why = crate::merge::sanitise(why);
            if let Some(first) = why.get(..1) {
                why = format!("{}{}", first.to_uppercase(), &why[1..]);
            }
            vec![Line::styled(format!("{why}."), theme.muted)]
        }
        Listing::Changes { since, changes } if changes.is_empty() => vec![Line::styled(
            format!("No changes to this alliance since the MBR of {since}."),
            theme.muted,
        )],
        Listing::Changes { since, changes } => {
            let mut out = vec![Line::styled(
                format!("Changed since the MBR of {since} ({}):", changes.len()),
                theme.title,
            )];
            out.extend(changes.iter().take(max).map(|c| Line::raw(format!(" {c}"))));
            if changes.len() > max {
                out.push(more_line(theme));
            }
            out
        }
    }
}

/// The line that stands for the changes left out.
pub fn more_line(theme: &Theme) -> Line<'static> {
    Line::styled(" … more: the MBR's first step lists them all", theme.muted)
}

#[cfg(test)]
mod tests;
