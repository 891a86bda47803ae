//! The git edges of the merge: `alliance-desk merge BASE OURS THEIRS [--path NAME]` as git's
//! merge driver, and `alliance-desk git-setup [FILE]` that registers it (SPEC §10).

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::{ConflictsFile, conflicts_path, conflicts_text, merge};
use crate::store;
use crate::validate::Diagnostic;

/// The driver's name in git's config and in `.gitattributes`.
pub const DRIVER: &str = "alliance-desk";

/// How a merge ended when it did not end clean.
#[derive(Debug, thiserror::Error)]
pub enum DriverError {
    /// Conflicts were printed and written to the conflicts file; OURS keeps our values (exit 1).
    #[error("{0}")]
    Conflicts(String),
    /// Nothing could be merged; OURS is unchanged (exit 2).
    #[error("{0}")]
    Failed(String),
}

fn write_file(path: &Path, text: &str) -> Result<(), String> {
    let mut file = atomic_write_file::AtomicWriteFile::options()
        .open(path)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.commit())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Merge THEIRS into OURS (both descended from BASE), writing the result to OURS. `name` is the
/// portfolio's path as git knows it (`%P`); the conflicts file goes beside it. On success,
/// returns what to tell the user (renumbered commitments; empty when there is nothing to say).
pub fn run_merge(
    base: &Path,
    ours: &Path,
    theirs: &Path,
    name: Option<&Path>,
) -> Result<String, DriverError> {
    let read = |p: &Path| store::load(p).map_err(|e| e.to_string());
    let (b, o, t) = match (read(base), read(ours), read(theirs)) {
        (Ok(b), Ok(o), Ok(t)) => (b.portfolio, o.portfolio, t.portfolio),
        (b, o, t) => {
            // Not portfolios (or a version that does not load): git's own line merge, so a
            // broken file never blocks the merge and nothing is lost.
            let why = [b.err(), o.err(), t.err()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>();
            return text_merge(base, ours, theirs, &why.join("\n"));
        }
    };
    let ours_text = std::fs::read_to_string(ours)
        .map_err(|e| DriverError::Failed(format!("cannot read {}: {e}", ours.display())))?;
    let merged = merge(&b, &o, &t).map_err(|e| DriverError::Failed(e.to_string()))?;
    let problems: Vec<Diagnostic> = crate::validate::validate(&merged.portfolio)
        .into_iter()
        .filter(Diagnostic::is_error)
        .collect();
    if !problems.is_empty() {
        let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
        return Err(DriverError::Conflicts(format!(
            "the merged portfolio would not load, so {} keeps ours:\n{}",
            ours.display(),
            list.join("\n")
        )));
    }
    let text = store::format::render_preserving(&ours_text, &o, &merged.portfolio);
    write_file(ours, &text).map_err(DriverError::Failed)?;
    let mut report = String::new();
    for (alliance, old, new) in &merged.renumbered {
        let _ = writeln!(
            report,
            "{alliance}: both sides added commitment #{old}; theirs is now #{new}"
        );
    }
    if merged.conflicts.is_empty() {
        return Ok(report);
    }
    let beside = name.unwrap_or(ours);
    let file = ConflictsFile {
        portfolio: beside.display().to_string(),
        conflicts: merged.conflicts.clone(),
    };
    let target = conflicts_path(beside);
    let text = conflicts_text(&file).map_err(|e| DriverError::Failed(e.to_string()))?;
    write_file(&target, &text).map_err(DriverError::Failed)?;
    for c in &merged.conflicts {
        let _ = writeln!(report, "{c}");
    }
    let n = merged.conflicts.len();
    let _ = write!(
        report,
        "{n} {} in {}: ours kept; written to {} (open the portfolio to choose ours or theirs)",
        if n == 1 { "conflict" } else { "conflicts" },
        beside.display(),
        target.display()
    );
    Err(DriverError::Conflicts(report))
}

fn text_merge(base: &Path, ours: &Path, theirs: &Path, why: &str) -> Result<String, DriverError> {
    let status = Command::new("git")
        .arg("merge-file")
        .args(["-L", "ours", "-L", "base", "-L", "theirs"])
        .args([ours, base, theirs])
        .status()
        .map_err(|e| DriverError::Failed(format!("{why}\ncannot run git merge-file: {e}")))?;
    let note = format!("not merged by meaning ({why}); merged line by line instead");
    if status.success() {
        Ok(format!("{note}\n"))
    } else {
        Err(DriverError::Conflicts(format!(
            "{note}: conflict markers are in {}",
            ours.display()
        )))
    }
}

fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim_end().to_owned())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_owned())
    }
}

/// `s` quoted for the shell git runs the driver with.
fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// Register the merge driver for `file` (every `*.ron` when `None`) in the repository holding
/// it: a line in `.gitattributes` at the repository's top, and `merge.alliance-desk.name` and
/// `.driver` in its own config, the driver being `exe`. Returns what was done; running it again
/// changes nothing.
pub fn git_setup(file: Option<&Path>, exe: &Path) -> Result<String, String> {
    let dir: PathBuf = match file.and_then(Path::parent) {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    let root = git(&dir, &["rev-parse", "--show-toplevel"]).map_err(|e| {
        format!(
            "{} is not in a git repository ({e}); run `git init` there first",
            dir.display()
        )
    })?;
    let root = PathBuf::from(root);
    let pattern = match file {
        Some(f) => {
            let name = f
                .file_name()
                .ok_or_else(|| format!("{} is not a file", f.display()))?;
            let folder = dir
                .canonicalize()
                .map_err(|e| format!("{}: {e}", dir.display()))?;
            let root_c = root
                .canonicalize()
                .map_err(|e| format!("{}: {e}", root.display()))?;
            let rel = folder.join(name);
            let rel = rel
                .strip_prefix(&root_c)
                .map_err(|_| format!("{} is outside {}", f.display(), root.display()))?;
            let rel = rel.to_string_lossy().replace('\\', "/");
            if rel.contains(char::is_whitespace) {
                format!("\"/{rel}\"")
            } else {
                format!("/{rel}")
            }
        }
        None => "*.ron".to_owned(),
    };
    let mut done = Vec::new();
    let line = format!("{pattern} merge={DRIVER}");
    let attributes = root.join(".gitattributes");
    let existing = match std::fs::read_to_string(&attributes) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(format!("cannot read {}: {e}", attributes.display())),
    };
    if !existing.lines().any(|l| l.trim() == line) {
        let mut text = existing;
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(&line);
        text.push('\n');
        write_file(&attributes, &text)?;
        done.push(format!("added `{line}` to {}", attributes.display()));
    }
    let exe = exe.to_string_lossy();
    let settings = [
        (
            format!("merge.{DRIVER}.name"),
            "Alliance Desk: merge portfolios by alliance, commitment and field".to_owned(),
        ),
        (
            format!("merge.{DRIVER}.driver"),
            format!("{} merge %O %A %B --path %P", shell_quote(&exe)),
        ),
    ];
    for (key, value) in settings {
        let current = git(&root, &["config", "--local", "--get", &key]).ok();
        if current.as_deref() != Some(value.as_str()) {
            git(&root, &["config", "--local", &key, &value])?;
            done.push(format!("set {key} = {value}"));
        }
    }
    Ok(if done.is_empty() {
        format!("already set up in {}\n", root.display())
    } else {
        format!("{}\n", done.join("\n"))
    })
}
