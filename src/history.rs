//! What changed in an alliance since a date, from the portfolio's git history (SPEC §10: the
//! first question of every MBR). Uses the `git` command; nothing here reads git's objects.

use std::fmt;
use std::path::Path;
use std::process::Command;

use chrono::NaiveDate;

use crate::model::{Alliance, Portfolio};
use crate::store::format::{Kind, Node, identity_keys, render_inline, same, tree_of};

/// One changed field of an alliance: `field: before → after`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// Where, e.g. `partner` or `commitments › Commitment 6 › done`.
    pub field: String,
    /// RON text; `None` when the record did not exist.
    pub before: Option<String>,
    pub after: Option<String>,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let side = |v: &Option<String>| {
            v.as_deref()
                .map_or_else(|| "(none)".to_owned(), crate::merge::sanitise)
        };
        write!(
            f,
            "{}: {} → {}",
            crate::merge::sanitise(&self.field),
            side(&self.before),
            side(&self.after)
        )
    }
}

/// Why the history could not be read.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("not in a git repository, so changes since the last review are not known")]
    NotInGit,
    #[error("no version of {file} was committed on or before {date}")]
    NoVersionBefore { file: String, date: NaiveDate },
    #[error("git failed: {0}")]
    Git(String),
    #[error("{0}")]
    Load(String),
}

fn git(dir: &Path, args: &[&str]) -> Result<String, HistoryError> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| HistoryError::Git(format!("cannot run git: {e}")))?;
    if out.status.success() {
        String::from_utf8(out.stdout).map_err(|e| HistoryError::Git(e.to_string()))
    } else {
        Err(HistoryError::Git(
            String::from_utf8_lossy(&out.stderr).trim().to_owned(),
        ))
    }
}

fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// The portfolio at `path` as committed on or before the end of `date`.
pub fn committed_on_or_before(path: &Path, date: NaiveDate) -> Result<Portfolio, HistoryError> {
    let dir = folder_of(path);
    if git(dir, &["rev-parse", "--show-toplevel"]).is_err() {
        return Err(HistoryError::NotInGit);
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let before = format!("--before={date} 23:59:59");
    let rev = git(dir, &["log", "-1", "--format=%H", &before, "--", &name])?;
    let rev = rev.trim();
    if rev.is_empty() {
        return Err(HistoryError::NoVersionBefore { file: name, date });
    }
    let text = git(dir, &["show", &format!("{rev}:./{name}")])?;
    crate::store::parse(&text, &format!("{name} at {}", &rev[..rev.len().min(10)]))
        .map(|l| l.portfolio)
        .map_err(|e| HistoryError::Load(e.to_string()))
}

/// What changed in alliance `alliance_id` of the file at `path` since the version committed on
/// or before `date`, compared with the file as it is now.
pub fn changes_since(
    path: &Path,
    alliance_id: &str,
    date: NaiveDate,
) -> Result<Vec<Change>, HistoryError> {
    let before = committed_on_or_before(path, date)?;
    let now = crate::store::load(path).map_err(|e| HistoryError::Load(e.to_string()))?;
    Ok(alliance_changes(
        before.alliance(alliance_id),
        now.portfolio.alliance(alliance_id),
    ))
}

/// Field-by-field differences between two versions of an alliance (records matched by
/// identity, as the merge does).
pub fn alliance_changes(before: Option<&Alliance>, after: Option<&Alliance>) -> Vec<Change> {
    let tree = |a: Option<&Alliance>| {
        a.and_then(|a| {
            let mut p = Portfolio::empty("");
            p.alliances.push(a.clone());
            tree_of(&p).ok()
        })
        .and_then(|t| {
            t.field("alliances")
                .and_then(|l| l.items().first())
                .map(|i| i.node.clone())
        })
    };
    let mut out = Vec::new();
    diff(
        tree(before).as_ref(),
        tree(after).as_ref(),
        &mut Vec::new(),
        &mut out,
    );
    out
}

fn diff(
    before: Option<&Node>,
    after: Option<&Node>,
    field: &mut Vec<String>,
    out: &mut Vec<Change>,
) {
    match (before, after) {
        (Some(b), Some(a)) if same(b, a) => {}
        (Some(b), Some(a))
            if b.name() == a.name()
                && matches!((&b.kind, &a.kind), (Kind::Group { open: x, .. }, Kind::Group { open: y, .. }) if x == y) =>
        {
            let is_records = |n: &Node| {
                matches!(&n.kind, Kind::Group { open: b'[', .. })
                    && n.items()
                        .iter()
                        .all(|i| matches!(i.node.kind, Kind::Group { .. }))
            };
            let keys = |n: &Node| -> Vec<String> {
                if matches!(&n.kind, Kind::Group { open: b'[', .. }) {
                    identity_keys(n)
                } else {
                    n.items().iter().map(|i| i.key.text()).collect()
                }
            };
            let list = matches!(&a.kind, Kind::Group { open: b'[', .. });
            if (list && !(is_records(a) && is_records(b)))
                || (!list && a.items().len() != b.items().len() && a.name().is_some())
            {
                push(before, after, field, out);
                return;
            }
            let (bk, ak) = (keys(b), keys(a));
            let mut order = bk.clone();
            order.extend(ak.iter().filter(|k| !bk.contains(k)).cloned());
            for k in order {
                let pick = |keys: &[String], n: &Node| {
                    keys.iter()
                        .position(|x| *x == k)
                        .and_then(|i| n.items().get(i))
                        .map(|i| i.node.clone())
                };
                let (bn, an) = (pick(&bk, b), pick(&ak, a));
                if !k.is_empty() {
                    field.push(k.clone());
                }
                diff(bn.as_ref(), an.as_ref(), field, out);
                if !k.is_empty() {
                    field.pop();
                }
            }
        }
        (None, None) => {}
        _ => push(before, after, field, out),
    }
}

fn push(before: Option<&Node>, after: Option<&Node>, field: &[String], out: &mut Vec<Change>) {
    out.push(Change {
        field: if field.is_empty() {
            "(alliance)".to_owned()
        } else {
            field.join(" › ")
        },
        before: before.map(render_inline),
        after: after.map(render_inline),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_name_the_field_and_both_values() {
        let p = crate::store::parse(crate::sample::NORTHWIND, "s")
            .unwrap()
            .portfolio;
        let before = p.alliances[0].clone();
        let mut after = before.clone();
        after.partner = "Glow Ltd".to_owned();
        after.commitments[5].done = Some("2026-11-15".parse().unwrap());
        after.revenue.insert("2026-11".parse().unwrap(), 9.0);
        let lines: Vec<String> = alliance_changes(Some(&before), Some(&after))
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            lines,
            [
                "partner: \"Glow & Co\" → \"Glow Ltd\"",
                "revenue › \"2026-11\": (none) → 9.0",
                "commitments › Commitment 6 › done: None → Some(\"2026-11-15\")",
            ]
        );
        assert!(alliance_changes(Some(&before), Some(&before)).is_empty());
    }
}
