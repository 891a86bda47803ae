//! "A second instance on the same file is told so" (SPEC §5).
//!
//! The lock is an OS advisory lock (`File::try_lock`) on a separate `FILE.lock`, never on the
//! portfolio itself: an atomic save replaces the portfolio's inode, so a lock on it would
//! protect nothing. The lock file's text records who holds it (`pid`, `host`, `since`) so the
//! second instance can say *who*. The OS releases the lock when the holder exits or crashes, so
//! a stale lock file left behind is harmless: its text is only read when the lock is held.
//!
//! One file, many names (SPEC §8): the lock file is named after the file's real path (links and
//! `..` resolved), and the portfolio file itself is also locked while held, which a second
//! instance reaching the same file through a hard link notices. A lock file that is a symbolic
//! link is refused, never written through.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{self, Read as _, Seek as _, SeekFrom, Write as _};
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::{Path, PathBuf};

/// `FILE.lock`, beside the file `path` names: links and `..` resolved, so every name of one
/// file (a symbolic link, `dir/../p.ron`) shares one lock.
pub fn lock_path(path: &Path) -> PathBuf {
    super::with_suffix(&super::real_path(path), ".lock")
}

/// Who holds a lock, as recorded in the lock file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LockHolder {
    pub pid: u32,
    pub host: String,
    /// When the lock was taken, `YYYY-MM-DD HH:MM:SS ±ZZZZ` local time.
    pub since: String,
}

impl std::fmt::Display for LockHolder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "process {} on {}, since {}",
            self.pid, self.host, self.since
        )
    }
}

impl LockHolder {
    fn current() -> Self {
        Self {
            pid: std::process::id(),
            host: hostname(),
            since: chrono::Local::now()
                .format("%Y-%m-%d %H:%M:%S %z")
                .to_string(),
        }
    }

    fn to_text(&self) -> String {
        format!(
            "pid={}\nhost={}\nsince={}\n",
            self.pid, self.host, self.since
        )
    }

    fn from_text(text: &str) -> Option<Self> {
        let field = |key: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(key)?.strip_prefix('='))
                .map(str::trim)
        };
        Some(Self {
            pid: field("pid")?.parse().ok()?,
            host: field("host")?.to_owned(),
            since: field("since")?.to_owned(),
        })
    }
}

/// The machine's name: `/etc/hostname`, else `$HOSTNAME`, else "this machine".
fn hostname() -> String {
    std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok().filter(|s| !s.is_empty()))
        .unwrap_or_else(|| "this machine".to_owned())
}

/// Why the lock was not taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another instance holds it; `holder` is `None` if its lock file could not be read.
    #[error("{} is already open in another Alliance Desk ({})", .path.display(),
            .holder.as_ref().map_or_else(|| "holder unknown".to_owned(), ToString::to_string))]
    Held {
        path: PathBuf,
        holder: Option<LockHolder>,
    },
    #[error("cannot create the lock file {}: {source}", .lock.display())]
    Io { lock: PathBuf, source: io::Error },
}

/// An exclusive hold on a portfolio file, released when dropped (or when the process dies).
#[derive(Debug)]
pub struct PortfolioLock {
    file: File,
    /// The portfolio file itself, locked too: its other names (hard links) share it.
    _portfolio: Option<File>,
    lock: PathBuf,
    holder: LockHolder,
}

impl PortfolioLock {
    /// Take the lock on the portfolio at `path` (through [`lock_path`]) without waiting.
    pub fn acquire(path: &Path) -> Result<Self, LockError> {
        let lock = lock_path(path);
        let io = |source| LockError::Io {
            lock: lock.clone(),
            source,
        };
        // No truncation on open: the text belongs to the current holder until we hold the lock.
        // `O_NOFOLLOW`: a link at the lock's name (a cloned repository, a shared folder) would
        // have us write our record into whatever it points at.
        let mut file = match OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
            .open(&lock)
        {
            Ok(file) => file,
            Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
                return Err(io(super::disk::link_refused(&lock, "the lock file")));
            }
            Err(e) => return Err(io(e)),
        };
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut text = String::new();
                let holder = file
                    .read_to_string(&mut text)
                    .ok()
                    .and_then(|_| LockHolder::from_text(&text));
                return Err(LockError::Held {
                    path: path.to_owned(),
                    holder,
                });
            }
            Err(TryLockError::Error(e)) => return Err(io(e)),
        }
        let Ok(portfolio) = lock_portfolio(path) else {
            return Err(LockError::Held {
                path: path.to_owned(),
                holder: None,
            });
        };
        let holder = LockHolder::current();
        file.set_len(0).map_err(io)?;
        file.seek(SeekFrom::Start(0)).map_err(io)?;
        file.write_all(holder.to_text().as_bytes()).map_err(io)?;
        file.sync_data().map_err(io)?;
        Ok(Self {
            file,
            _portfolio: portfolio,
            lock,
            holder,
        })
    }

    /// This process's record in the lock file.
    pub fn holder(&self) -> &LockHolder {
        &self.holder
    }

    /// The lock file's path.
    pub fn path(&self) -> &Path {
        &self.lock
    }
}

/// Lock the portfolio file itself (read-only open, never through a link at its final name).
/// `Err` when another instance holds it, through another name; `Ok(None)` when the file does
/// not exist yet or cannot be opened (the name lock still holds).
fn lock_portfolio(path: &Path) -> Result<Option<File>, ()> {
    let Ok(file) = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(super::real_path(path))
    else {
        return Ok(None);
    };
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(TryLockError::WouldBlock) => Err(()),
        Err(TryLockError::Error(_)) => Ok(None),
    }
}

impl Drop for PortfolioLock {
    fn drop(&mut self) {
        // Empty the record so nobody reads a stale holder; closing the file releases the lock.
        // The file itself stays: deleting it would race with an instance opening it.
        let _ = self.file.set_len(0);
        let _ = self.file.unlock();
    }
}
