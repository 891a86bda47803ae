//! How bytes reach the disk (SPEC §5, §8): the file operations a save is made of, each one a
//! step that tests can make fail (`ENOSPC`, `EACCES`, `EXDEV`) or "crash" after, and the
//! link-aware atomic write built from them.
//!
//! What is written (serialisation) lives elsewhere; this module only knows paths, bytes and
//! permission bits. Rules it keeps:
//! - a portfolio path that is a symbolic link is written *through*: the link stays, its target
//!   gets the content;
//! - the side files (temporary, backup, recovery, lock) are never followed if they are links:
//!   temporary files are created with `O_CREAT | O_EXCL | O_NOFOLLOW`, and an existing link at a
//!   backup or recovery name is refused;
//! - the replacement gets the old file's permission bits, and its owner and group where the
//!   process may set them;
//! - nothing is renamed into place before it is completely written and fsynced.

use std::cell::Cell;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write as _};
use std::os::unix::fs::{MetadataExt as _, OpenOptionsExt as _, PermissionsExt as _};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

/// One kind of step of a save, as counted by a [`FaultPlan`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Create,
    Write,
    Fsync,
    Chown,
    Rename,
    Link,
    Remove,
    SyncDir,
}

/// Which step fails, and how (tests only need this, but it costs nothing in a real save).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Step `n` (0-based, counting every step) fails with this OS error (`libc::ENOSPC` …).
    FailAt { step: usize, errno: i32 },
    /// The process "dies" after step `n`: that step happens, every later one does nothing and
    /// reports an error, so no clean-up runs either.
    CrashAfter { step: usize },
}

/// The file operations of a save. [`Ops::real`] does them; [`Ops::with_fault`] does them until
/// the planned fault. Every step goes through [`Ops::step`], so a test can reach each one.
#[derive(Debug, Default)]
pub struct Ops {
    fault: Option<Fault>,
    done: Cell<usize>,
    crashed: Cell<bool>,
    log: std::cell::RefCell<Vec<Step>>,
}

impl Ops {
    /// Real operations, no faults.
    pub fn real() -> Self {
        Self::default()
    }

    /// Operations that fail or stop as `fault` says.
    pub fn with_fault(fault: Fault) -> Self {
        Self {
            fault: Some(fault),
            ..Self::default()
        }
    }

    /// How many steps were attempted so far.
    pub fn steps(&self) -> usize {
        self.done.get()
    }

    /// The kinds of the steps attempted so far, in order.
    pub fn log(&self) -> Vec<Step> {
        self.log.borrow().clone()
    }

    /// Whether a planned crash has happened.
    pub fn crashed(&self) -> bool {
        self.crashed.get()
    }

    fn step(&self, kind: Step) -> io::Result<()> {
        if self.crashed.get() {
            return Err(io::Error::other("the process stopped (simulated crash)"));
        }
        let n = self.done.get();
        self.done.set(n + 1);
        self.log.borrow_mut().push(kind);
        match self.fault {
            Some(Fault::FailAt { step, errno }) if step == n => {
                Err(io::Error::from_raw_os_error(errno))
            }
            Some(Fault::CrashAfter { step }) if step == n => {
                // This step happens; the caller's next one finds the process gone.
                self.crashed.set(true);
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// Create a new file at `path` with permission bits `mode` (before the umask), never
    /// following a link and never reusing an existing name.
    pub fn create_new(&self, path: &Path, mode: u32) -> io::Result<File> {
        self.step(Step::Create)?;
        OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(mode)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
            .open(path)
    }

    pub fn write_all(&self, file: &mut File, bytes: &[u8]) -> io::Result<()> {
        self.step(Step::Write)?;
        file.write_all(bytes)
    }

    pub fn fsync(&self, file: &File) -> io::Result<()> {
        self.step(Step::Fsync)?;
        file.sync_all()
    }

    /// Give `file` exactly `mode` (not masked by the umask) and, where the process may, the
    /// owner and group `owner`. Failing to set an owner is not an error: only root may give a
    /// file away, and a file we could not write was refused before.
    pub fn set_mode_and_owner(
        &self,
        file: &File,
        mode: u32,
        owner: Option<(u32, u32)>,
    ) -> io::Result<()> {
        self.step(Step::Chown)?;
        if let Some((uid, gid)) = owner {
            // Before the mode: a change of owner clears setuid/setgid bits.
            let _ = std::os::unix::fs::fchown(file, Some(uid), Some(gid));
        }
        file.set_permissions(fs::Permissions::from_mode(mode & 0o7777))
    }

    pub fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        self.step(Step::Rename)?;
        fs::rename(from, to)
    }

    pub fn hard_link(&self, from: &Path, to: &Path) -> io::Result<()> {
        self.step(Step::Link)?;
        fs::hard_link(from, to)
    }

    pub fn remove(&self, path: &Path) -> io::Result<()> {
        self.step(Step::Remove)?;
        fs::remove_file(path)
    }

    /// fsync the folder so a rename in it survives a power loss.
    pub fn sync_dir(&self, dir: &Path) -> io::Result<()> {
        self.step(Step::SyncDir)?;
        File::open(dir)?.sync_all()
    }
}

/// How [`write_atomic`] treats the file it replaces.
#[derive(Clone, Copy, Debug, Default)]
pub struct WriteOptions {
    /// Permission bits for the new file. `None`: the replaced file's bits, or `0o666` less the
    /// umask for a new file.
    pub mode: Option<u32>,
    /// A link at `path` is written through (the portfolio) rather than refused (a side file).
    pub follow_link: bool,
}

/// Up to this many links are followed before giving up (Linux's own limit).
const MAX_LINK_HOPS: usize = 40;

/// The file a path finally names: symbolic links followed (also a dangling one, to the name it
/// points at) and `.`/`..` resolved. The file itself need not exist; its folder must.
pub fn resolve(path: &Path) -> io::Result<PathBuf> {
    let mut current = absolute(path)?;
    for _ in 0..MAX_LINK_HOPS {
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = fs::read_link(&current)?;
                let base = current.parent().map(Path::to_path_buf).unwrap_or_default();
                current = absolute(&base.join(target))?;
            }
            Ok(_) => return canonical_folder(&current),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return canonical_folder(&current),
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other(format!(
        "{}: too many levels of symbolic links",
        path.display()
    )))
}

/// `path` made absolute, with `.` and `..` folded lexically (links in the folder part are
/// resolved afterwards by [`canonical_folder`]).
fn absolute(path: &Path) -> io::Result<PathBuf> {
    let path = std::path::absolute(path)?;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    Ok(out)
}

/// `path` with its folder canonicalized (links and `..` in the folder part resolved).
fn canonical_folder(path: &Path) -> io::Result<PathBuf> {
    let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
        return Ok(path.to_owned());
    };
    Ok(fs::canonicalize(parent)?.join(name))
}

/// An error saying that a side file is a link and will not be followed.
pub fn link_refused(path: &Path, what: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::PermissionDenied,
        format!(
            "{} ({what}) is a symbolic link; Alliance Desk never writes through a link at this \
             name. Remove it (or move it away) and try again",
            path.display()
        ),
    )
}

/// Refuse if `path` exists and is a symbolic link.
pub fn refuse_link(path: &Path, what: &str) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => Err(link_refused(path, what)),
        _ => Ok(()),
    }
}

static TEMP_COUNTER: AtomicU32 = AtomicU32::new(0);

/// A fresh temporary name beside `target`: `.NAME.tmp-PID-N`.
fn temp_name(target: &Path, attempt: u32) -> PathBuf {
    let name = target
        .file_name()
        .map_or_else(|| "portfolio".into(), |n| n.to_string_lossy().into_owned());
    let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    target.with_file_name(format!(".{name}.tmp-{}-{n}-{attempt}", std::process::id()))
}

/// Write `bytes` to `path` atomically: a new temporary file beside the file (never following a
/// link, never reusing a name), written, given the old file's mode and owner, fsynced, renamed
/// over the file, and the folder fsynced. On any failure the temporary file is removed and the
/// file at `path` is as it was. With `opts.follow_link`, a link at `path` is written through;
/// otherwise it is refused. Returns the path actually written.
pub fn write_atomic(
    ops: &Ops,
    path: &Path,
    bytes: &[u8],
    opts: WriteOptions,
) -> io::Result<PathBuf> {
    write_atomic_streamed(ops, path, opts, |out| out.write_all(bytes))
}

/// How much [`write_atomic_streamed`] gathers before each write to the file.
const STREAM_BUFFER: usize = 64 * 1024;

/// [`write_atomic`] for content produced piece by piece: `fill` writes it into the temporary
/// file through a buffer, so the whole text never has to be in memory at once (a recovery
/// write at 10,000 alliances is 66 MB; issue 14). The steps, and what each failure leaves,
/// are those of [`write_atomic`]: when `fill` fails, with its own reason (`E`) or an I/O one,
/// the temporary file is removed and nothing is renamed into place.
pub fn write_atomic_streamed<E: From<io::Error>>(
    ops: &Ops,
    path: &Path,
    opts: WriteOptions,
    fill: impl FnOnce(&mut dyn io::Write) -> Result<(), E>,
) -> Result<PathBuf, E> {
    let target = if opts.follow_link {
        resolve(path)?
    } else {
        refuse_link(path, "a file Alliance Desk writes")?;
        path.to_owned()
    };
    let old = match fs::metadata(&target) {
        Ok(m) if m.is_dir() => {
            return Err(io::Error::new(
                io::ErrorKind::IsADirectory,
                format!("{} is a folder", target.display()),
            )
            .into());
        }
        Ok(m) => Some(m),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(e.into()),
    };
    let mode = opts
        .mode
        .or_else(|| old.as_ref().map(|m| m.mode() & 0o7777));
    let owner = old.as_ref().map(|m| (m.uid(), m.gid()));
    let (temp, mut file) = create_temp(ops, &target, mode.unwrap_or(0o666))?;
    let result: Result<(), E> = (|| {
        // One step for the whole content, as a single `write_all` is one.
        ops.step(Step::Write)?;
        let mut out = io::BufWriter::with_capacity(STREAM_BUFFER, &mut file);
        fill(&mut out)?;
        out.flush()?;
        drop(out);
        if let Some(mode) = mode {
            ops.set_mode_and_owner(&file, mode, owner)?;
        }
        ops.fsync(&file)?;
        drop(file);
        ops.rename(&temp, &target)?;
        if let Some(dir) = target.parent() {
            // The content is in place; a folder that cannot be fsynced (some network file
            // systems) does not undo that.
            let _ = ops.sync_dir(dir);
        }
        Ok(())
    })();
    if let Err(e) = result {
        if !ops.crashed() {
            let _ = ops.remove(&temp);
        }
        return Err(e);
    }
    Ok(target)
}

fn create_temp(ops: &Ops, target: &Path, mode: u32) -> io::Result<(PathBuf, File)> {
    let mut attempt = 0;
    loop {
        let temp = temp_name(target, attempt);
        match ops.create_new(&temp, mode) {
            Ok(file) => return Ok((temp, file)),
            // Someone's file (or link) has that name: never touch it, take another.
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 16 => attempt += 1,
            Err(e) => return Err(e),
        }
    }
}

/// The permission bits of the file `path` names (through links), if it exists.
pub fn mode_of(path: &Path) -> Option<u32> {
    fs::metadata(path).ok().map(|m| m.mode() & 0o7777)
}

/// How many names the file has (its hard-link count); 1 for an ordinary file. `None` if it
/// cannot be read.
pub fn link_count(path: &Path) -> Option<u64> {
    fs::metadata(path).ok().map(|m| m.nlink())
}
