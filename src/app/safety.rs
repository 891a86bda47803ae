//! Never lose an edit, never clobber one (SPEC §5): the instance lock, read-only detection, the
//! crash-recovery file, and noticing that the file changed on disk.
//!
//! [`Safety`] is the state; the functions that touch the disk are called only from the main loop
//! (the terminal shell's run loop). The questions it asks are data ([`Question`]); the shell words
//! them and the answers come back as [`Effect::Decide`](super::Effect::Decide) with a
//! [`Decision`].

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use crate::model::Portfolio;
use crate::store::{self, LockError, PortfolioLock};

use super::Target;

/// How long after an edit the recovery file is written. Edits keep arriving while typing, so
/// the timer is not pushed back by later edits: a write happens at most this long after any edit.
pub const RECOVERY_DELAY: Duration = Duration::from_secs(1);

/// How often an idle, clean workspace looks at the file's size and modification time.
pub const DISK_CHECK_EVERY: Duration = Duration::from_secs(2);

/// An answer to a [`Question`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Replace the document with the recovery file's content (one undoable edit).
    RestoreRecovery,
    /// Delete the recovery file.
    DiscardRecovery,
    /// Show how the recovery file differs from the file, then ask again.
    ShowRecoveryDiff,
    /// Reload the file from disk (asks first when there are unsaved edits).
    Reload,
    /// Reload even though unsaved edits are replaced (undo brings them back).
    ReloadConfirmed,
    /// The file changed on disk: keep what is on screen and stop asking until it changes again.
    IgnoreDiskChange,
    /// Save over a file that changed on disk.
    Overwrite,
    /// Save elsewhere instead.
    SaveAs,
    /// Replace the existing file the pending write is aimed at.
    OverwriteFile,
    /// Pick another path for the pending write (the path prompt again).
    ChooseAnotherPath,
    /// Another instance holds the file: look at it without saving.
    OpenReadOnly,
    /// Leave the program.
    Quit,
    /// Close the question and do nothing.
    Cancel,
}

/// A question about the file that only the user can answer; its wording and the keys of its
/// answers are the shell's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Question {
    /// Another instance holds the lock on `path` (`holder` when its record could be read).
    LockHeld {
        path: PathBuf,
        holder: Option<store::LockHolder>,
    },
    /// A recovery file from `when` holds unsaved edits; `differences` once the user asked.
    Recovery {
        when: String,
        differences: Option<Vec<String>>,
    },
    /// The file changed on disk while nothing was unsaved here.
    ChangedOnDisk { path: PathBuf },
    /// A save stopped because the file changed on disk since it was loaded.
    SaveConflict { path: PathBuf },
    /// A write would replace `path`, which exists and is not the open portfolio.
    Overwrite { path: PathBuf },
    /// Reloading would replace unsaved edits.
    ConfirmReload,
    /// The file has other names (hard links): a save would split it (SPEC §8). `notice` is
    /// the store's explanation. It is opened read-only; the user may save a copy instead.
    HardLinked { path: PathBuf, notice: String },
}

/// Size and modification time: a cheap stand-in for "did the file change", confirmed by hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
}

impl Stamp {
    pub fn of(path: &Path) -> Option<Self> {
        let meta = fs::metadata(path).ok()?;
        Some(Self {
            len: meta.len(),
            modified: meta.modified().ok(),
        })
    }
}

/// What the main loop keeps to protect the open file.
#[derive(Debug, Default)]
pub struct Safety {
    /// Held while this instance owns the file; dropped (released) on quit.
    pub lock: Option<PortfolioLock>,
    /// Recovery writes are on: a file we may write beside (not the demo, not read-only).
    pub recovery: bool,
    /// The last recovery write failed (why): unsaved edits are not protected until a write
    /// succeeds. Retried at the next edit (SPEC §8); the header shows it while set.
    pub recovery_failing: Option<String>,
    /// Content hash of the file as last loaded or saved.
    pub loaded_hash: Option<u64>,
    /// Size/mtime as last seen, so the idle check reads the file only when these move.
    pub stamp: Option<Stamp>,
    /// A disk version the user chose not to reload; not offered again.
    pub ignored_hash: Option<u64>,
    /// The recovery file's portfolio while its offer is open.
    pub pending_recovery: Option<Portfolio>,
    /// A write waiting for "Overwrite X?" to be answered: the path and what goes there.
    pub pending_write: Option<(PathBuf, Target)>,
    /// When the recovery file is due to be written.
    recovery_due: Option<Instant>,
    /// The document revision last seen, to notice edits.
    seen_revision: u64,
    /// When the idle check next looks at the disk.
    next_disk_check: Option<Instant>,
}

impl Safety {
    /// Note the document's revision; an edit schedules a recovery write.
    pub fn note_revision(&mut self, revision: u64, now: Instant) {
        if revision != self.seen_revision {
            self.seen_revision = revision;
            if self.recovery && self.recovery_due.is_none() {
                self.recovery_due = Some(now + RECOVERY_DELAY);
            }
        }
    }

    /// Whether a recovery write is due at `now` (and clears it).
    pub fn take_recovery_due(&mut self, now: Instant) -> bool {
        match self.recovery_due {
            Some(due) if due <= now => {
                self.recovery_due = None;
                true
            }
            _ => false,
        }
    }

    /// Whether the idle disk check is due at `now`; schedules the next one.
    pub fn take_disk_check_due(&mut self, now: Instant) -> bool {
        match self.next_disk_check {
            Some(at) if at > now => false,
            _ => {
                self.next_disk_check = Some(now + DISK_CHECK_EVERY);
                true
            }
        }
    }

    /// How long the loop may sleep before it has work: `None` means "until a key arrives".
    pub fn wake_in(&self, idle_check: bool, now: Instant) -> Option<Duration> {
        let recovery = self.recovery_due.map(|d| d.saturating_duration_since(now));
        let disk = idle_check.then(|| {
            self.next_disk_check
                .map_or(DISK_CHECK_EVERY, |d| d.saturating_duration_since(now))
        });
        match (recovery, disk) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Remember what is on disk now (after a load, save or reload).
    pub fn remember_disk(&mut self, path: &Path) {
        self.loaded_hash = store::disk_hash(path);
        self.stamp = Stamp::of(path);
        self.ignored_hash = None;
    }
}

/// Why a file must be opened read-only, if it must: the file is not writable by you (even when
/// its folder would let it be replaced), or its folder is not writable (SPEC §8).
pub fn read_only_reason(path: &Path) -> Option<String> {
    store::read_only_reason(path)
}

/// A holder record read from a lock file's text (`pid=`, `host=`, `since=` lines).
fn holder_in(text: &str) -> Option<(u32, String, String)> {
    let field = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(key)?.strip_prefix('='))
            .map(str::trim)
    };
    Some((
        field("pid")?.parse().ok()?,
        field("host").unwrap_or("?").to_owned(),
        field("since").unwrap_or("?").to_owned(),
    ))
}

/// Whether process `pid` is running on this machine (Linux: `/proc/PID`); `None` elsewhere.
fn process_alive(pid: u32) -> Option<bool> {
    let proc = Path::new("/proc");
    proc.join("self")
        .exists()
        .then(|| proc.join(pid.to_string()).exists())
}

/// The outcome of trying to become the file's one writer.
#[derive(Debug)]
pub enum LockOutcome {
    /// We hold it; `notice` says whether a stale lock was taken over.
    Held {
        lock: PortfolioLock,
        notice: Option<String>,
    },
    /// Another instance holds it: open read-only (`reason` for the header) after asking.
    Busy { reason: String, question: Question },
    /// No lock could be made (e.g. the lock file cannot be created): say so and go on.
    Unavailable { notice: String },
}

/// Try to take the lock on `path`, reading any previous holder first to report a takeover.
pub fn take_lock(path: &Path) -> LockOutcome {
    let previous = fs::read_to_string(store::lock_path(path))
        .ok()
        .and_then(|t| holder_in(&t));
    match PortfolioLock::acquire(path) {
        Ok(lock) => {
            // The OS released the old holder's lock, yet its record is still there: it died
            // without cleaning up (killed, crashed, power loss).
            let notice = previous.filter(|(pid, ..)| *pid != std::process::id()).map(
                |(pid, host, since)| {
                    let state = match process_alive(pid) {
                        Some(false) => "is no longer running",
                        _ => "no longer holds it",
                    };
                    format!(
                        "Took over a stale lock on this file: process {pid} on {host} (since \
                         {since}) {state}."
                    )
                },
            );
            LockOutcome::Held { lock, notice }
        }
        Err(LockError::Held { holder, .. }) => LockOutcome::Busy {
            reason: holder.as_ref().map_or_else(
                || "open elsewhere".to_owned(),
                |h| format!("open elsewhere, pid {}", h.pid),
            ),
            question: Question::LockHeld {
                path: path.to_path_buf(),
                holder,
            },
        },
        Err(e @ LockError::Io { .. }) => LockOutcome::Unavailable {
            notice: format!("{e}; another instance would not be noticed."),
        },
    }
}

/// Read a recovery file leniently: it holds in-app state, which may not pass validation yet,
/// and must not be lost for that.
pub fn read_recovery(path: &Path) -> Result<Portfolio, String> {
    let text = fs::read_to_string(path).map_err(|e| e.to_string())?;
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .from_str(&text)
        .map_err(|e| e.to_string())
}

/// What to do about a recovery file found at start.
#[derive(Debug)]
pub enum Recovery {
    None,
    /// Newer than the file and different: offer it.
    Offer {
        // Boxed: a whole portfolio dwarfs the other variants.
        portfolio: Box<Portfolio>,
        question: Question,
    },
    /// Set aside (older than the file, or unreadable); tell the user.
    Notice(String),
}

/// Look for `FILE.recovery` beside `path`, compared with the loaded `current` portfolio.
pub fn find_recovery(path: &Path, current: &Portfolio) -> Recovery {
    let recovery = store::recovery_path(path);
    let Ok(meta) = fs::metadata(&recovery) else {
        return Recovery::None;
    };
    let set_aside = |suffix: &str| {
        let mut aside = recovery.as_os_str().to_owned();
        aside.push(suffix);
        let aside = PathBuf::from(aside);
        match fs::rename(&recovery, &aside) {
            Ok(()) => aside.display().to_string(),
            Err(_) => recovery.display().to_string(),
        }
    };
    let portfolio = match read_recovery(&recovery) {
        Ok(p) => p,
        Err(e) => {
            let kept = set_aside(".bad");
            return Recovery::Notice(format!(
                "A recovery file could not be read ({e}); it was kept as {kept}."
            ));
        }
    };
    if portfolio == *current {
        let _ = fs::remove_file(&recovery);
        return Recovery::None;
    }
    let file_time = fs::metadata(path).and_then(|m| m.modified()).ok();
    let recovery_time = meta.modified().ok();
    if let (Some(f), Some(r)) = (file_time, recovery_time)
        && r < f
    {
        let kept = set_aside(".old");
        return Recovery::Notice(format!(
            "A recovery file older than the portfolio was found (the file was saved since); it \
             was kept as {kept}."
        ));
    }
    let when = recovery_time.map_or_else(
        || "an earlier session".to_owned(),
        |t| {
            chrono::DateTime::<chrono::Local>::from(t)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string()
        },
    );
    Recovery::Offer {
        portfolio: Box::new(portfolio),
        question: Question::Recovery {
            when,
            differences: None,
        },
    }
}

/// At most this many difference lines are listed.
const MAX_DIFF_LINES: usize = 10;

/// A short, readable list of what differs between `from` (the file) and `to` (recovered):
/// alliances added, removed, or changed with the names of the changed fields.
pub fn differences(from: &Portfolio, to: &Portfolio) -> Vec<String> {
    let mut out = Vec::new();
    let top = |p: &Portfolio| {
        let mut p = p.clone();
        p.alliances.clear();
        p.pipeline.clear();
        p
    };
    if top(from) != top(to) {
        out.push("  ~ portfolio settings (brand, currency, as-of or brand revenue)".to_owned());
    }
    for a in &to.alliances {
        match from.alliances.iter().find(|b| b.id == a.id) {
            None => out.push(format!("  + alliance {} ({}) added", a.id, a.partner)),
            Some(b) if b != a => {
                let fields = changed_fields(b, a);
                out.push(format!(
                    "  ~ {} ({}): {}",
                    a.id,
                    a.partner,
                    fields.join(", ")
                ));
            }
            Some(_) => {}
        }
    }
    for b in &from.alliances {
        if !to.alliances.iter().any(|a| a.id == b.id) {
            out.push(format!("  - alliance {} ({}) removed", b.id, b.partner));
        }
    }
    if from.pipeline != to.pipeline {
        out.push(format!(
            "  ~ pipeline ({} intakes → {})",
            from.pipeline.len(),
            to.pipeline.len()
        ));
    }
    if out.is_empty() {
        out.push("  (only the order of alliances differs)".to_owned());
    }
    if out.len() > MAX_DIFF_LINES {
        let more = out.len() - (MAX_DIFF_LINES - 1);
        out.truncate(MAX_DIFF_LINES - 1);
        out.push(format!("  … and {more} more"));
    }
    out
}

/// Names of the top-level fields that differ between two values of the same serde shape.
fn changed_fields<T: serde::Serialize>(a: &T, b: &T) -> Vec<String> {
    match (serde_json::to_value(a), serde_json::to_value(b)) {
        (Ok(serde_json::Value::Object(x)), Ok(serde_json::Value::Object(y))) => x
            .iter()
            .filter(|(k, v)| y.get(*k) != Some(*v))
            .map(|(k, _)| k.clone())
            .collect(),
        _ => vec!["changed".to_owned()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Alliance, AllianceKind, Status};
    use chrono::NaiveDate;

    fn portfolio() -> Portfolio {
        let mut p = Portfolio::empty("T");
        let d = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        p.alliances
            .push(Alliance::new("a", "A", AllianceKind::Wholesale, d));
        p.alliances
            .push(Alliance::new("b", "B", AllianceKind::Fulfillment, d));
        p
    }

    #[test]
    fn differences_name_alliances_and_fields() {
        let from = portfolio();
        let mut to = from.clone();
        to.alliances[0].status = Status::Ended;
        to.alliances[0].notes = "x".into();
        to.alliances.remove(1);
        to.alliances.push(Alliance::new(
            "c",
            "C",
            AllianceKind::CoProduct,
            NaiveDate::from_ymd_opt(2026, 2, 1).unwrap(),
        ));
        let d = differences(&from, &to);
        assert_eq!(
            d,
            [
                "  ~ a (A): notes, status",
                "  + alliance c (C) added",
                "  - alliance b (B) removed"
            ]
        );
    }

    #[test]
    fn a_recovery_file_newer_than_the_portfolio_is_offered_and_an_equal_one_removed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.ron");
        let p = portfolio();
        store::save(&path, &p).unwrap();
        assert!(matches!(find_recovery(&path, &p), Recovery::None));
        store::write_recovery(&path, &p).unwrap();
        assert!(matches!(find_recovery(&path, &p), Recovery::None));
        assert!(
            !store::recovery_path(&path).exists(),
            "same content: removed"
        );
        let mut edited = p.clone();
        edited.alliances[1].notes = "typed before the crash".into();
        store::write_recovery(&path, &edited).unwrap();
        match find_recovery(&path, &p) {
            Recovery::Offer { portfolio, .. } => assert_eq!(*portfolio, edited),
            other => panic!("expected an offer, got {other:?}"),
        }
    }

    #[test]
    fn an_unreadable_recovery_file_is_set_aside_not_lost() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.ron");
        store::save(&path, &portfolio()).unwrap();
        fs::write(store::recovery_path(&path), "Portfolio(garbage").unwrap();
        let Recovery::Notice(n) = find_recovery(&path, &portfolio()) else {
            panic!("expected a notice")
        };
        assert!(n.contains(".recovery.bad"), "{n}");
        assert!(dir.path().join("p.ron.recovery.bad").exists());
    }

    #[test]
    fn a_second_lock_is_told_who_holds_it_and_a_stale_record_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.ron");
        store::save(&path, &portfolio()).unwrap();
        let LockOutcome::Held { lock, notice } = take_lock(&path) else {
            panic!("first lock")
        };
        assert!(notice.is_none());
        match take_lock(&path) {
            LockOutcome::Busy { reason, question } => {
                assert!(reason.contains(&std::process::id().to_string()), "{reason}");
                let Question::LockHeld { holder, .. } = question else {
                    panic!("expected the lock question, got {question:?}")
                };
                assert!(holder.is_some_and(|h| !h.since.is_empty()));
            }
            other => panic!("expected busy, got {other:?}"),
        }
        drop(lock);
        // A holder killed with SIGKILL leaves its record behind; the OS lock is free.
        fs::write(
            store::lock_path(&path),
            "pid=4000000\nhost=elsewhere\nsince=2026-01-01 10:00:00 +0000\n",
        )
        .unwrap();
        let LockOutcome::Held { notice, .. } = take_lock(&path) else {
            panic!("stale lock should be taken over")
        };
        let notice = notice.unwrap();
        assert!(notice.contains("process 4000000 on elsewhere"), "{notice}");
    }

    #[test]
    fn a_read_only_file_is_detected() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.ron");
        store::save(&path, &portfolio()).unwrap();
        assert_eq!(read_only_reason(&path), None);
        let mut perms = fs::metadata(&path).unwrap().permissions();
        perms.set_readonly(true);
        fs::set_permissions(&path, perms).unwrap();
        assert_eq!(
            read_only_reason(&path).as_deref(),
            Some("the file is read-only")
        );
    }

    #[test]
    fn wake_ups_only_when_work_is_pending() {
        let mut s = Safety {
            recovery: true,
            ..Safety::default()
        };
        let t = Instant::now();
        assert_eq!(
            s.wake_in(false, t),
            None,
            "idle with edits saved: sleep on input"
        );
        s.note_revision(1, t);
        assert_eq!(s.wake_in(false, t), Some(RECOVERY_DELAY));
        // Later edits do not push the write back.
        s.note_revision(2, t + Duration::from_millis(500));
        assert_eq!(
            s.wake_in(false, t + Duration::from_millis(500)),
            Some(Duration::from_millis(500))
        );
        assert!(!s.take_recovery_due(t));
        assert!(s.take_recovery_due(t + RECOVERY_DELAY));
        assert_eq!(s.wake_in(false, t), None);
        assert_eq!(s.wake_in(true, t), Some(DISK_CHECK_EVERY));
    }
}
