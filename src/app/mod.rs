//! The headless application layer: the open [`document::Document`] (undo, re-scoring), the
//! [`action::Action`]s keys map to, the [`Effect`]s the update step asks for and the
//! [`EffectResult`]s the runner reports back, the [`keymap`], the [`clock`] and the file-safety
//! state ([`safety`]). Nothing here knows the terminal: the shell that draws and reads keys
//! lives in the UI layer (`ui/shell`).

pub mod action;
pub mod clock;
pub mod document;
pub mod keymap;
pub mod options;
pub mod safety;
pub mod share;

use std::path::PathBuf;

use chrono::NaiveDate;

use self::safety::{Decision, Question};
use crate::import::revenue::{Plan, Problems, ReportColumns};
use crate::model::{Alliance, Portfolio};

/// Work for the main loop: everything that touches the disk or ends the program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    Save,
    /// Write `target` to a path the user typed in the path prompt: save as (the path becomes
    /// the document's file) or an exported text file. Asks before overwriting another file.
    WriteTo {
        path: PathBuf,
        target: Target,
    },
    Quit,
    /// Write a text file (an exported summary or charter), then say `done`. For the sample,
    /// which has no folder, the user is asked where first; an existing file is not replaced
    /// without asking.
    WriteFile {
        path: PathBuf,
        contents: String,
        done: String,
    },
    /// The answer to a question about the file (recovery, changes on disk, the lock).
    Decide(Decision),
    /// Remove `NAME.conflicts.ron` beside the portfolio at `path`: every merge conflict is
    /// settled and the file on disk holds the choices.
    RemoveConflicts {
        path: PathBuf,
    },
    /// Read alliance `alliance` as the file at `path` was committed on or before `since`
    /// (git), for the changes since its last review.
    History {
        path: PathBuf,
        alliance: String,
        since: NaiveDate,
    },
    /// Read a revenue export and plan its import (SPEC §9); nothing changes until the user
    /// applies the plan. `columns`: an attribution report's date, revenue and key columns;
    /// `None`: a Shopify orders export.
    ReadRevenue {
        path: PathBuf,
        columns: Option<ReportColumns>,
    },
    /// Publish the partner pages (SPEC §11) to the portfolio's `publish_to` folder, asking
    /// for one when it is unset.
    Publish,
}

/// What the path prompt writes once the user names a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// The portfolio (save as).
    Portfolio,
    /// A text file; `done` is the status once written, naming the path `named`.
    Text {
        contents: String,
        done: String,
        named: PathBuf,
    },
    /// The folder to publish the partner pages to; it becomes the portfolio's `publish_to`.
    PublishFolder,
}

/// What carrying out an [`Effect`] came to. The runner does the I/O and returns one of these;
/// the update step alone decides what the user sees of it.
#[derive(Debug)]
pub enum EffectResult {
    /// The portfolio was written to `path`; `kept_backup` when the previous version was kept.
    Saved { path: PathBuf, kept_backup: bool },
    /// Not saved: the edits would not load again (one problem per line).
    SaveRefused { problems: Vec<String> },
    /// Not saved (`reason`): saving elsewhere may help.
    SaveFailed { reason: String },
    /// There is no place to save as it stands (the sample, a read-only or busy file): ask for
    /// a path for the portfolio, saying `reason`.
    SaveAsNeeded { reason: Option<String> },
    /// Ask for a path for `target`, pre-filled with `input`.
    PathNeeded {
        input: String,
        reason: Option<String>,
        target: Target,
    },
    /// A question about the file that only the user can answer.
    Ask(Question),
    /// The file changed on disk while nothing here was unsaved.
    ChangedOnDisk { path: PathBuf },
    /// A text file was written; `status` names where.
    Written { status: String },
    /// A text file could not be written to `path`.
    WriteFailed { path: PathBuf, error: String },
    /// Refused: `path` is the open portfolio, not a place for an exported file.
    NotWritten { path: PathBuf },
    /// The file was read again from disk (boxed: a portfolio is large next to the rest).
    Reloaded {
        path: PathBuf,
        portfolio: Box<Portfolio>,
        /// The merge conflicts beside it (a `git merge` while the workspace was open).
        conflicts: Option<crate::merge::ConflictsFile>,
    },
    /// The file could not be read again.
    ReloadFailed { message: String },
    /// The recovery file could not be written; it is retried at the next edit.
    RecoveryFailed { error: String },
    /// A recovery write succeeded after a failed one: unsaved edits are protected again.
    RecoveryWritten,
    /// An answer to a file-safety question whose I/O (if any) is done.
    Decided(Decision),
    /// The conflicts file beside the portfolio at `path` was removed.
    ConflictsRemoved { path: PathBuf },
    /// The conflicts file beside `path` could not be removed.
    ConflictsRemoveFailed { path: PathBuf, error: String },
    /// Alliance `alliance` as committed on or before `since` (`None`: it did not exist then),
    /// or why that is not known (not in git, nothing committed that early).
    History {
        alliance: String,
        since: NaiveDate,
        before: Result<Option<Box<Alliance>>, String>,
    },
    /// How far the background read of a revenue export got.
    RevenueProgress {
        path: PathBuf,
        progress: crate::import::revenue::Progress,
    },
    /// A revenue export was read: the plan to preview, or every problem with its line.
    RevenueRead {
        path: PathBuf,
        plan: Box<Result<Plan, Problems>>,
    },
    /// Published alliances were given their partner links (to record as one edit before the
    /// save that keeps them).
    LinksAssigned {
        portfolio: Box<Portfolio>,
        created: Vec<String>,
    },
    /// The publish folder the user chose, to keep as the portfolio's `publish_to`.
    PublishFolderChosen { folder: String },
    /// The pages were written to `folder` at `at` (`HH:MM`); `after_save` when a save did it.
    Published {
        folder: PathBuf,
        pages: usize,
        removed: usize,
        warnings: Vec<String>,
        at: String,
        after_save: bool,
    },
    /// Nothing (or not everything) was published: `message` names the page or folder.
    PublishFailed { message: String },
    /// Leave the program.
    Quit,
}
