//! Loading (bytes → text → pre-scan → ron → validation, with user-facing diagnostics) and
//! canonical, atomic saving of the portfolio file, plus its recovery file and instance lock
//! (SPEC §2, §2.1, §5).
//!
//! Loading never panics on any input: every failure is a [`LoadError`] whose `Display` is the
//! complete report for the user. Saving writes through a temporary file in the same folder
//! (fsync, rename), after copying the previous version to `FILE.bak`; what it writes is the
//! previous file with only the changed records rewritten canonically (see [`format`]).

pub mod disk;
mod fast;
pub mod format;
mod lock;
mod scan;

use std::fmt::Write as _;
use std::fs;
use std::io::{self as stdio, Read as _};
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::{Path, PathBuf};

pub use disk::{Fault, Ops, Step};

use crate::model::{FORMAT_VERSION, Portfolio};
use crate::validate::{Diagnostic, Level};

pub use lock::{LockError, LockHolder, PortfolioLock, lock_path};
pub use scan::date_or_month_problem;

/// Files larger than this are refused rather than read: a portfolio is a few MiB at most, and
/// reading a multi-GiB file by mistake would stall the terminal.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// A successfully loaded portfolio, with its warnings.
#[derive(Debug)]
pub struct Loaded {
    pub portfolio: Portfolio,
    pub warnings: Vec<Diagnostic>,
    /// The file has `//` or `/* */` comments (a save keeps them).
    pub has_comments: bool,
    /// Content hash of the bytes loaded, to notice changes on disk before a save.
    pub content_hash: u64,
}

/// Why a file could not be loaded. `Display` renders the full, user-facing report.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read: missing, a directory, unreadable, too large, not UTF-8.
    #[error("{path}: {message}")]
    Io { path: PathBuf, message: String },
    /// Not a portfolio at all, or ron rejected it: `FILE:LINE:COL: message`, the offending line
    /// and a caret under the column.
    #[error("{0}")]
    Syntax(String),
    /// Every problem found (errors, and warnings so the user sees all), one per line.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<Diagnostic>),
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let level = match self.level {
            Level::Error => "error",
            Level::Warning => "warning",
        };
        write!(f, "{}: {level}: {}", self.place, self.message)
    }
}

/// A stable 64-bit hash of `bytes` (the same on every run and machine, unlike `DefaultHasher`),
/// used to notice that the file changed on disk since it was loaded. FNV-1a over 8-byte words
/// in four independent lanes, folded together with the length: it runs on every load and
/// before every save, so it takes 32 bytes a round (issue 14).
pub fn content_hash(bytes: &[u8]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0100_0000_01b3;
    let word = |w: &[u8]| {
        let mut b = [0u8; 8];
        b.copy_from_slice(w);
        u64::from_le_bytes(b)
    };
    let mix = |h: u64, w: u64| (h ^ w).wrapping_mul(PRIME).rotate_left(31);
    let mut lanes = [OFFSET, OFFSET ^ 1, OFFSET ^ 2, OFFSET ^ 3];
    let mut rounds = bytes.chunks_exact(32);
    for round in &mut rounds {
        for (lane, w) in lanes.iter_mut().zip(round.chunks_exact(8)) {
            *lane = mix(*lane, word(w));
        }
    }
    let mut h = OFFSET ^ bytes.len() as u64;
    for lane in lanes {
        h = mix(h, lane);
    }
    let mut words = rounds.remainder().chunks_exact(8);
    for w in &mut words {
        h = mix(h, word(w));
    }
    for &b in words.remainder() {
        h = (h ^ u64::from(b)).wrapping_mul(PRIME);
    }
    h
}

/// The content hash of the file as it is on disk now; `None` if it cannot be read (gone,
/// unreadable). Compare with [`Loaded::content_hash`] before saving.
pub fn disk_hash(path: &Path) -> Option<u64> {
    fs::read(path).ok().map(|b| content_hash(&b))
}

/// Parse and validate `text`; `source` names it in messages (a path or the sample's name).
pub fn parse(text: &str, source: &str) -> Result<Loaded, LoadError> {
    let content_hash = content_hash(text.as_bytes());
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let not_a_portfolio = |why: &str| {
        LoadError::Syntax(format!(
            "{source}: {why}; expected a portfolio such as Portfolio(version: 1, brand: \"…\")"
        ))
    };
    if text.is_empty() {
        return Err(not_a_portfolio("the file is empty"));
    }
    if text.trim().is_empty() {
        return Err(not_a_portfolio("the file contains only whitespace"));
    }

    // Most files are what a save writes: the fast path reads them in one pass (it refuses a
    // NUL byte anywhere). Anything else — and every file with a problem to explain — goes the
    // full way.
    if let Some((portfolio, has_comments)) = fast::portfolio(text) {
        return checked(portfolio, has_comments, content_hash);
    }
    if text.contains('\0') {
        return Err(not_a_portfolio(
            "this looks like a binary file (it contains NUL bytes), not RON text",
        ));
    }
    parse_full(text, source, content_hash)
}

/// The full path of [`parse`]: the pre-scan, which finds every bad literal with its place,
/// then ron, whose errors carry a line and column. `text` is checked to be neither empty nor
/// binary, without its byte-order mark.
fn parse_full(text: &str, source: &str, content_hash: u64) -> Result<Loaded, LoadError> {
    // The pre-scan and ron's parse both only read the text: on a large file they run side by
    // side on two cores (issue 14; the scan was 18% of a load). The parse's result is used only
    // when the scan found nothing to refuse, so every message comes out as it did in sequence.
    let (scan, parsed) = if text.len() >= PARALLEL_SCAN_FROM {
        std::thread::scope(|scope| {
            let parse = scope.spawn(|| parse_ron(text));
            let scan = scan::scan(text);
            let parsed = parse
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (scan, Some(parsed))
        })
    } else {
        (scan::scan(text), None)
    };
    if let Some((version, pos)) = &scan.version
        && version.parse::<u32>().ok() != Some(FORMAT_VERSION)
    {
        return Err(LoadError::Syntax(render_at(
            source,
            text,
            pos.line,
            pos.col,
            &format!(
                "format version {version} is not supported: this build reads version \
                 {FORMAT_VERSION} (was the file written by a newer Alliance Desk?)"
            ),
        )));
    }
    if !scan.bad_literals.is_empty() {
        let mut problems: Vec<Diagnostic> = scan
            .bad_literals
            .iter()
            .map(|b| Diagnostic {
                level: Level::Error,
                place: format!("{source}:{}:{}", b.pos.line, b.pos.col),
                message: b.message.clone(),
            })
            .collect();
        // Every problem at once (SPEC §2.1): with stand-in dates where the bad ones were, the
        // rest of the file can still be checked for its semantic errors.
        if let Ok(portfolio) = ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
            .from_str::<Portfolio>(&with_stand_in_dates(text, &scan.bad_literals))
        {
            // The scan already named non-finite numbers and negative revenue with their place.
            problems.extend(
                crate::validate::validate(&portfolio)
                    .into_iter()
                    .filter(Diagnostic::is_error)
                    .filter(|d| {
                        !(d.message.ends_with("is not a number")
                            || d.message.starts_with("revenue ")
                                && d.message.ends_with("is negative"))
                    }),
            );
        }
        return Err(LoadError::Invalid(problems));
    }

    let portfolio: Portfolio = parsed.unwrap_or_else(|| parse_ron(text)).map_err(|e| {
        LoadError::Syntax(render_at(
            source,
            text,
            e.span.start.line,
            e.span.start.col,
            &if at_end(text, e.span.start.line, e.span.start.col) {
                // ron reports what it expected next ("expected identifier"), which at the
                // end of the text means something was left open.
                describe(&ron::Error::Eof)
            } else {
                describe(&e.code)
            },
        ))
    })?;

    checked(portfolio, scan.has_comments, content_hash)
}

/// A parsed portfolio, validated: refused with every problem when any is an error.
fn checked(
    portfolio: Portfolio,
    has_comments: bool,
    content_hash: u64,
) -> Result<Loaded, LoadError> {
    let diagnostics = crate::validate::validate(&portfolio);
    if diagnostics.iter().any(|d| d.level == Level::Error) {
        return Err(LoadError::Invalid(diagnostics));
    }
    Ok(Loaded {
        portfolio,
        warnings: diagnostics,
        has_comments,
        content_hash,
    })
}

/// From how many bytes [`parse`] runs the pre-scan beside ron's parse (below, a thread costs
/// more than it saves).
const PARALLEL_SCAN_FROM: usize = 256 * 1024;

/// ron's parse of portfolio text.
fn parse_ron(text: &str) -> Result<Portfolio, ron::error::SpannedError> {
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .from_str(text)
}

/// `text` with every bad date or month literal replaced by a valid one of the same kind.
fn with_stand_in_dates(text: &str, bad: &[scan::BadLiteral]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for b in bad {
        let Some(stand_in) = b.stand_in else {
            continue;
        };
        if b.content.start < at {
            continue;
        }
        out.push_str(text.get(at..b.content.start).unwrap_or_default());
        out.push_str(stand_in);
        at = b.content.end;
    }
    out.push_str(text.get(at..).unwrap_or_default());
    out
}

/// Read, parse and validate the file at `path`.
pub fn load(path: &Path) -> Result<Loaded, LoadError> {
    let io_err = |message: String| LoadError::Io {
        path: path.to_owned(),
        message,
    };
    let meta = fs::metadata(path).map_err(|e| io_err(read_error(&e)))?;
    if meta.is_dir() {
        return Err(io_err("is a folder, not a portfolio file".to_owned()));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(io_err(too_large(meta.len())));
    }
    let file = fs::File::open(path).map_err(|e| io_err(read_error(&e)))?;
    // `take` guards against a file that grows (or a special file that never ends) after the
    // size check.
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_err(read_error(&e)))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(io_err(too_large(bytes.len() as u64)));
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let good = String::from_utf8_lossy(good);
            let line = good.matches('\n').count() + 1;
            let col = good.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            return Err(io_err(format!(
                "is not UTF-8 text (invalid byte at line {line}, column {col}); is it a binary \
                 file? A portfolio is a UTF-8 RON text file"
            )));
        }
    };
    parse(&text, &path.display().to_string())
}

fn read_error(e: &stdio::Error) -> String {
    match e.kind() {
        stdio::ErrorKind::NotFound => "no such file".to_owned(),
        stdio::ErrorKind::PermissionDenied => {
            "permission denied: you may not read this file (check its permissions)".to_owned()
        }
        stdio::ErrorKind::IsADirectory => "is a folder, not a portfolio file".to_owned(),
        _ => format!("cannot read: {e}"),
    }
}

fn too_large(bytes: u64) -> String {
    format!(
        "is too large ({} MiB); a portfolio file may be at most {} MiB",
        bytes.div_ceil(1024 * 1024),
        MAX_FILE_BYTES / (1024 * 1024)
    )
}

/// Whether `line:col` is past the last non-whitespace character of `text`.
fn at_end(text: &str, line: usize, col: usize) -> bool {
    let body = text.trim_end();
    let last_line = body.matches('\n').count() + 1;
    let last_col = body.rsplit('\n').next().map_or(0, |l| l.chars().count());
    (line, col) > (last_line, last_col)
}

/// `FILE:LINE:COL: message`, then the offending line and a caret under the column.
fn render_at(source: &str, text: &str, line: usize, col: usize, message: &str) -> String {
    // Very long lines (a minified file) are cut to a window around the column.
    const WINDOW: usize = 60;
    let mut out = format!("{source}:{line}:{col}: {message}");
    let Some(src) = text.lines().nth(line.saturating_sub(1)) else {
        return out;
    };
    let chars: Vec<char> = src.chars().collect();
    let at = col.saturating_sub(1).min(chars.len());
    let from = at.saturating_sub(WINDOW);
    let to = (at + WINDOW).min(chars.len());
    // The excerpt is the user's file: controls are shown escaped, never sent to the terminal.
    let show = |c: char| {
        if c != '\t' && crate::sanitize::is_unsafe(c) {
            crate::sanitize::terminal_line(&c.to_string()).into_owned()
        } else {
            c.to_string()
        }
    };
    let mut shown: String = chars[from..to].iter().map(|&c| show(c)).collect();
    let mut caret: String = chars[from..at]
        .iter()
        .map(|&c| match c {
            '\t' => "\t".to_owned(),
            c => " ".repeat(show(c).chars().count()),
        })
        .collect();
    if from > 0 {
        shown.insert(0, '…');
        caret.insert(0, ' ');
    }
    if to < chars.len() {
        shown.push('…');
    }
    let number = line.to_string();
    let pad = " ".repeat(number.len());
    let _ = write!(out, "\n {number} | {shown}\n {pad} | {caret}^");
    out
}

/// ron's error, reworded for a person editing the file.
fn describe(code: &ron::Error) -> String {
    use ron::Error as E;
    let list = |names: &[&str]| {
        if names.is_empty() {
            "none".to_owned()
        } else {
            names.join(", ")
        }
    };
    let within = |outer: &Option<String>| {
        outer
            .as_ref()
            .map(|o| format!(" in {o}"))
            .unwrap_or_default()
    };
    match code {
        E::NoSuchStructField {
            expected,
            found,
            outer,
        } => format!(
            "unknown field `{found}`{}; the fields here are: {}",
            within(outer),
            list(expected)
        ),
        E::MissingStructField { field, outer } => {
            format!("missing required field `{field}`{}", within(outer))
        }
        E::DuplicateStructField { field, outer } => {
            format!("field `{field}` is given twice{}", within(outer))
        }
        E::NoSuchEnumVariant {
            expected,
            found,
            outer,
        } => format!(
            "unknown value `{found}`{}; expected one of: {}",
            within(outer),
            list(expected)
        ),
        E::ExpectedDifferentStructName { expected, found } => {
            format!("expected `{expected}(…)` here but found `{found}(…)`")
        }
        E::Eof => "unexpected end of file: a `)`, `]` or `}` is probably missing".to_owned(),
        E::InvalidValueForType { expected, found } => {
            format!("expected {expected} but found {found}")
        }
        E::Message(m) => match m.as_str() {
            // chrono's date parse errors, which say nothing about the expected form.
            "input contains invalid characters"
            | "premature end of input"
            | "trailing input"
            | "input is out of range"
            | "invalid date" => {
                format!("not a valid date: write dates as \"YYYY-MM-DD\" ({m})")
            }
            _ => m.clone(),
        },
        E::IntegerOutOfBounds => "number out of range for this field".to_owned(),
        E::TrailingCharacters => {
            "unexpected text after the end of the portfolio (an extra `)`?)".to_owned()
        }
        E::ExpectedIdentifier => {
            "expected a field name here (is a `)` missing before this?)".to_owned()
        }
        E::ExpectedComma => "expected a comma `,` between items".to_owned(),
        E::ExpectedStringEnd => "a string is not closed: a `\"` is missing".to_owned(),
        other => {
            // ron's own wording starts with a capital; lower it to follow `FILE:LINE:COL: `.
            let s = other.to_string();
            let mut c = s.chars();
            c.next()
                .map_or(s.clone(), |f| f.to_lowercase().chain(c).collect())
        }
    }
}

/// The canonical pretty RON text of a portfolio: struct names, fields in model order, maps
/// sorted by key (`BTreeMap`), options as `Some(…)`, 4-space indent, a trailing newline.
pub fn to_canonical_ron(portfolio: &Portfolio) -> String {
    try_to_canonical_ron(portfolio).expect("every model value is serializable to RON")
}

/// [`to_canonical_ron`], reporting ron's error instead of panicking.
pub fn try_to_canonical_ron(portfolio: &Portfolio) -> Result<String, ron::Error> {
    // Each record that can change on its own (an alliance field, a win condition, a
    // commitment, a health score, a review, a monthly value) is on its own line(s): one change
    // is a one-line diff (SPEC §10). The layout lives in `format`.
    Ok(plain_apostrophes(&format::canonical(portfolio)?))
}

/// ron escapes every `'` in a string as `\'`, which RON does not need inside `"…"`: write
/// `Glow's`, as a person would. Backslashes always come escaped in pairs, so a `\` followed by
/// `'` can only be that escape.
pub(crate) fn plain_apostrophes(text: &str) -> String {
    // Copy the runs between backslashes whole: a character at a time this was 15% of a
    // recovery write at 10,000 alliances (issue 14).
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        match after.chars().next() {
            Some('\'') => {
                out.push('\'');
                rest = &after[1..];
            }
            Some(next) => {
                out.push('\\');
                out.push(next);
                rest = &after[next.len_utf8()..];
            }
            None => {
                out.push('\\');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Why a save (or a recovery write) failed. `Display` is a sentence for the user.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error(
        "cannot save {path}: the folder {folder} is read-only or not writable by you; \
         save elsewhere (save as) or fix the folder's permissions"
    )]
    ReadOnlyFolder { path: PathBuf, folder: PathBuf },
    /// The file itself may not be written by this user (its folder may be writable, but
    /// replacing it would change its owner): save elsewhere.
    #[error("cannot save {path}: the file is not writable by you; save elsewhere (save as)")]
    ReadOnlyFile { path: PathBuf },
    #[error("cannot save {path}: could not keep the previous version as {backup}: {source}")]
    Backup {
        path: PathBuf,
        backup: PathBuf,
        source: stdio::Error,
    },
    #[error("cannot save {path}: {source}")]
    Io { path: PathBuf, source: stdio::Error },
    #[error("cannot save {path}: the portfolio could not be written as RON: {source}")]
    Serialize { path: PathBuf, source: ron::Error },
    /// Saving would write a file that does not load again; nothing was written.
    #[error(
        "not saved, because the file would not load again — fix these first:\n{}",
        .problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
    )]
    Invalid {
        path: PathBuf,
        problems: Vec<Diagnostic>,
    },
    /// The text to be written would be refused by the loader (too large, a limit of SPEC §8);
    /// nothing was written.
    #[error("not saved, because {path} would not load again: {message}")]
    WouldNotLoad { path: PathBuf, message: String },
}

/// `FILE.bak`: the previous version, kept by every save. Beside the file a link names.
pub fn backup_path(path: &Path) -> PathBuf {
    with_suffix(&real_path(path), ".bak")
}

/// `FILE.recovery`: unsaved edits, written shortly after each edit and offered at next start.
/// Beside the file a link names, so every name of one file shares one recovery file.
pub fn recovery_path(path: &Path) -> PathBuf {
    with_suffix(&real_path(path), ".recovery")
}

/// The file `path` names: links and `..` resolved (see [`disk::resolve`]); `path` itself when
/// that fails (a missing folder), so a caller still gets a usable name for its message.
pub fn real_path(path: &Path) -> PathBuf {
    disk::resolve(path).unwrap_or_else(|_| path.to_owned())
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Save atomically (temporary file in the same folder, fsync, rename), first replacing
/// `FILE.bak` with the previous version the same way. The file's permission bits (and owner
/// and group where allowed) are kept; a link at `path` stays a link and its target gets the
/// content. On any error the file and its backup on disk are each unchanged or complete. The
/// file's comments and untouched records are kept ([`format::text_to_save`]).
pub fn save(path: &Path, portfolio: &Portfolio) -> Result<(), SaveError> {
    save_with(&Ops::real(), path, portfolio)
}

/// [`save`] through `ops` (tests inject faults there).
pub fn save_with(ops: &Ops, path: &Path, portfolio: &Portfolio) -> Result<(), SaveError> {
    // A file that does not load is never written: it would lock its owner out of their data.
    let problems: Vec<Diagnostic> = crate::validate::validate(portfolio)
        .into_iter()
        .filter(Diagnostic::is_error)
        .collect();
    if !problems.is_empty() {
        return Err(SaveError::Invalid {
            path: path.to_owned(),
            problems,
        });
    }
    let text = format::text_to_save(path, portfolio).map_err(|source| SaveError::Serialize {
        path: path.to_owned(),
        source,
    })?;
    save_text(ops, path, &text)
}

/// Write `text` as the portfolio at `path`: checked to load again (size limit and every loader
/// limit), then the backup replaced and the text renamed into place as [`save`] describes. The
/// I/O half of a save, for any way of producing the text.
pub fn save_text(ops: &Ops, path: &Path, text: &str) -> Result<(), SaveError> {
    check_loadable(path, text)?;
    let target = disk::resolve(path).map_err(|e| save_io(path, e))?;
    if let Some(reason) = file_not_writable(&target) {
        return Err(reason);
    }
    if target.is_file() {
        let backup = with_suffix(&target, ".bak");
        let keep = || -> stdio::Result<()> {
            disk::refuse_link(&backup, "the backup")?;
            let old = fs::read(&target)?;
            let opts = disk::WriteOptions {
                mode: disk::mode_of(&target),
                follow_link: false,
            };
            disk::write_atomic(ops, &backup, &old, opts).map(drop)
        };
        if let Err(source) = keep() {
            return Err(
                if source.kind() == stdio::ErrorKind::PermissionDenied
                    && source.raw_os_error().is_some()
                {
                    read_only(path)
                } else {
                    SaveError::Backup {
                        path: path.to_owned(),
                        backup,
                        source,
                    }
                },
            );
        }
    }
    let opts = disk::WriteOptions {
        mode: None,
        follow_link: true,
    };
    disk::write_atomic(ops, &target, text.as_bytes(), opts)
        .map(drop)
        .map_err(|e| save_io(path, e))
}

/// Refuse text the loader would refuse: over [`MAX_FILE_BYTES`], or failing any check of
/// [`parse`]. Nothing has been written when this fails.
fn check_loadable(path: &Path, text: &str) -> Result<(), SaveError> {
    let would_not_load = |message: String| SaveError::WouldNotLoad {
        path: path.to_owned(),
        message,
    };
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err(would_not_load(format!(
            "the saved text would be {}",
            too_large(text.len() as u64)
        )));
    }
    match parse(text, &path.display().to_string()) {
        Ok(_) => Ok(()),
        Err(LoadError::Invalid(problems)) => Err(SaveError::Invalid {
            path: path.to_owned(),
            problems: problems.into_iter().filter(Diagnostic::is_error).collect(),
        }),
        Err(e) => Err(would_not_load(e.to_string())),
    }
}

/// Write `portfolio` to [`recovery_path`]`(path)` atomically (no backup: it is scratch), with
/// the portfolio's permission bits. A link at the recovery name is refused.
pub fn write_recovery(path: &Path, portfolio: &Portfolio) -> Result<(), SaveError> {
    write_recovery_with(&Ops::real(), path, portfolio)
}

/// [`write_recovery`] through `ops` (tests inject faults there).
pub fn write_recovery_with(ops: &Ops, path: &Path, portfolio: &Portfolio) -> Result<(), SaveError> {
    write_recovery_limited(ops, path, portfolio, MAX_FILE_BYTES)
}

/// [`write_recovery_with`], refusing text over `limit` bytes (tests use a small one).
///
/// The text goes straight into the temporary file as it is made: building it as one string
/// first cost as much memory again as the file (66 MB at 10,000 alliances; issue 14). Bytes
/// are counted on the way; past `limit` nothing more is written, the rest is only counted (so
/// the refusal names the real size), and the temporary file is removed.
fn write_recovery_limited(
    ops: &Ops,
    path: &Path,
    portfolio: &Portfolio,
    limit: u64,
) -> Result<(), SaveError> {
    let target = recovery_path(path);
    let opts = disk::WriteOptions {
        // A private portfolio's unsaved edits are as private as it is.
        mode: disk::mode_of(&real_path(path)).or(Some(0o600)),
        follow_link: false,
    };
    let written = disk::write_atomic_streamed(ops, &target, opts, |out| {
        let mut sink = Counted {
            out,
            limit,
            written: 0,
            error: None,
        };
        let result = write_recovery_text(&mut sink, portfolio);
        if let Some(e) = sink.error {
            return Err(RecoveryFault::Io(e));
        }
        result.map_err(RecoveryFault::Ron)?;
        if sink.written > limit {
            return Err(RecoveryFault::TooLarge(sink.written));
        }
        Ok(())
    });
    written.map(drop).map_err(|fault| match fault {
        RecoveryFault::Io(e) => save_io(&target, e),
        RecoveryFault::Ron(source) => SaveError::Serialize {
            path: target.clone(),
            source,
        },
        RecoveryFault::TooLarge(bytes) => SaveError::WouldNotLoad {
            path: target.clone(),
            message: format!("the recovery text would be {}", too_large(bytes)),
        },
    })
}

/// Why a streamed recovery write stopped.
enum RecoveryFault {
    Io(stdio::Error),
    Ron(ron::Error),
    TooLarge(u64),
}

impl From<stdio::Error> for RecoveryFault {
    fn from(e: stdio::Error) -> Self {
        Self::Io(e)
    }
}

/// The recovery text's way into its file: counts the bytes, writes them while they are within
/// `limit`, and keeps the first I/O error (ron's own error would only carry its message).
struct Counted<'a> {
    out: &'a mut dyn stdio::Write,
    limit: u64,
    written: u64,
    error: Option<stdio::Error>,
}

impl std::fmt::Write for Counted<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.written += s.len() as u64;
        if self.written > self.limit {
            // Too large: counted to the end for the message, never written.
            return Ok(());
        }
        self.out.write_all(s.as_bytes()).map_err(|e| {
            self.error = Some(e);
            std::fmt::Error
        })
    }
}

/// The recovery file's text: ron's own pretty output, made in one pass. Not the canonical layout,
/// which builds a node tree of the whole portfolio first — about 1 GiB at 10,000 alliances, the
/// peak memory of the workspace (issue 14). The file is scratch, read back only leniently
/// (`app::safety::read_recovery`), never saved as it is.
fn write_recovery_text(out: impl std::fmt::Write, portfolio: &Portfolio) -> Result<(), ron::Error> {
    ron::ser::to_writer_pretty(out, portfolio, recovery_config())
}

/// How the recovery text is laid out: ron's pretty defaults, with struct names.
fn recovery_config() -> ron::ser::PrettyConfig {
    ron::ser::PrettyConfig::new().struct_names(true)
}

/// Remove the recovery file after a save or when the user declines it. Missing is fine.
pub fn remove_recovery(path: &Path) -> stdio::Result<()> {
    match fs::remove_file(recovery_path(path)) {
        Err(e) if e.kind() != stdio::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Why the portfolio at `path` must be opened read-only, if it must (SPEC §8): the file is not
/// writable by this user (even when its folder would let it be replaced), its file system is
/// read-only, or its folder is not writable. The app opens the file read-only with this reason.
pub fn read_only_reason(path: &Path) -> Option<String> {
    let target = real_path(path);
    let meta = fs::metadata(&target).ok()?;
    if meta.is_dir() {
        return None;
    }
    // The bits first: root may write anything, but a file marked read-only stays so.
    if meta.permissions().readonly() {
        return Some("the file is read-only".to_owned());
    }
    if let Err(e) = fs::OpenOptions::new().write(true).open(&target) {
        return Some(match e.raw_os_error() {
            Some(libc::EROFS) => "it is on a read-only file system".to_owned(),
            _ if meta.permissions().readonly() => "the file is read-only".to_owned(),
            _ => "the file is not writable by you".to_owned(),
        });
    }
    let folder = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    // Permission bits do not tell the whole story (owner, ACLs, a read-only mount): try it.
    let probe = folder.join(format!(".alliance-desk-probe-{}", std::process::id()));
    match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(&probe)
    {
        Ok(_) => {
            let _ = fs::remove_file(&probe);
            None
        }
        Err(e) if e.kind() == stdio::ErrorKind::AlreadyExists => None,
        Err(_) => Some("its folder is not writable by you".to_owned()),
    }
}

/// If the portfolio file has other names (hard links, link count > 1), the sentence to show:
/// a save replaces this name only and would split the file in two. The app offers save-as or
/// read-only (SPEC §8).
pub fn hard_link_notice(path: &Path) -> Option<String> {
    let count = disk::link_count(path)?;
    (count > 1).then(|| {
        format!(
            "{} has {} names (hard links): saving would split it into two files. Save under a \
             new name (save as), or open it read-only",
            path.display(),
            count
        )
    })
}

fn file_not_writable(target: &Path) -> Option<SaveError> {
    if !target.is_file() {
        return None;
    }
    match fs::OpenOptions::new().write(true).open(target) {
        Err(e) if e.kind() == stdio::ErrorKind::PermissionDenied => Some(SaveError::ReadOnlyFile {
            path: target.to_owned(),
        }),
        _ => None,
    }
}

fn read_only(path: &Path) -> SaveError {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    SaveError::ReadOnlyFolder {
        path: path.to_owned(),
        folder,
    }
}

fn save_io(path: &Path, source: stdio::Error) -> SaveError {
    // An OS permission error, not our own refusal of a link (which carries its own message).
    if source.kind() == stdio::ErrorKind::PermissionDenied && source.raw_os_error().is_some() {
        read_only(path)
    } else {
        SaveError::Io {
            path: path.to_owned(),
            source,
        }
    }
}

/// Write `bytes` to `path` atomically (a temporary file beside it, fsync, rename): the one
/// atomic writer, also used for exported files. A link at `path` is written through (never
/// replaced by a 0777 file), a new file gets the ordinary mode, an existing one keeps its mode.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), SaveError> {
    let opts = disk::WriteOptions {
        mode: None,
        follow_link: true,
    };
    disk::write_atomic(&Ops::real(), path, bytes, opts)
        .map(drop)
        .map_err(|e| save_io(path, e))
}

#[cfg(test)]
mod boundary_tests;
#[cfg(test)]
mod tests;
