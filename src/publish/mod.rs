//! Publishing partner pages to a folder (SPEC §11): tokens, atomic page writes, stale pages.
//!
//! Two steps, so a caller can save the new tokens before any page names them:
//! 1. [`assign_tokens`] gives every published alliance (`Active`, `WindingDown`) a
//!    `share_token` if it has none, and a new one for `--rotate ID`. It edits the portfolio,
//!    which the caller then saves through the store's normal save.
//! 2. [`write_site`] writes `DIR/index.html` (internal) and `DIR/<token>/index.html` for every
//!    published alliance, each atomically, and removes the pages of tokens no longer published.
//!
//! A token folder is recognised as ours by a marker file inside it ([`MARKER`]); nothing else in
//! the folder is ever touched, and a token folder holding files of its own loses only our page.

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use atomic_write_file::AtomicWriteFile;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::export::html::{self, is_published};
use crate::model::Portfolio;
use crate::score::Scores;
use crate::score::outcomes;
use crate::validate::share_token_problem;

/// The marker file inside every token folder this tool created.
pub const MARKER: &str = ".alliance-desk-page";

const MARKER_TEXT: &str = "This folder is a partner page published by alliance-desk. \
    `alliance-desk publish` removes it when the alliance is no longer published or its link is \
    rotated.\n";

/// Why publishing failed. `Display` is a sentence for the user.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("no alliance {id:?} to rotate (known: {known})")]
    UnknownAlliance { id: String, known: String },
    #[error(
        "alliance {id:?} is {status}: only Active and WindingDown alliances have a partner page \
         to rotate"
    )]
    NotPublished { id: String, status: &'static str },
    #[error("cannot create a share token: the system's random source failed: {0}")]
    Random(String),
    #[error("cannot publish to {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("cannot publish to {path}: {why}")]
    Refused { path: PathBuf, why: String },
}

/// What [`assign_tokens`] changed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TokenChanges {
    /// Alliances that got their first token.
    pub created: Vec<String>,
    /// Alliances whose token was replaced (`--rotate`).
    pub rotated: Vec<String>,
}

impl TokenChanges {
    /// Whether the portfolio changed and must be saved.
    pub fn any(&self) -> bool {
        !self.created.is_empty() || !self.rotated.is_empty()
    }
}

/// A new share token: 128 bits from the operating system's random source, URL-safe base64
/// without padding (22 characters).
pub fn new_token() -> Result<String, PublishError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| PublishError::Random(e.to_string()))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// Give every published alliance without a token a new one, and `rotate` (an alliance id) a
/// fresh one. Returns what changed; the caller saves the portfolio when [`TokenChanges::any`].
pub fn assign_tokens(
    portfolio: &mut Portfolio,
    rotate: Option<&str>,
) -> Result<TokenChanges, PublishError> {
    if let Some(id) = rotate {
        match portfolio.alliance(id) {
            None => {
                let known: Vec<&str> = portfolio.alliances.iter().map(|a| a.id.as_str()).collect();
                return Err(PublishError::UnknownAlliance {
                    id: id.to_owned(),
                    known: if known.is_empty() {
                        "none".to_owned()
                    } else {
                        known.join(", ")
                    },
                });
            }
            Some(a) if !is_published(a.status) => {
                return Err(PublishError::NotPublished {
                    id: id.to_owned(),
                    status: a.status.label(),
                });
            }
            Some(_) => {}
        }
    }
    let mut changes = TokenChanges::default();
    let mut taken: BTreeSet<String> = portfolio
        .alliances
        .iter()
        .filter_map(|a| a.share_token.clone())
        .collect();
    for a in &mut portfolio.alliances {
        if !is_published(a.status) {
            continue;
        }
        let rotating = rotate == Some(a.id.as_str());
        if a.share_token.is_some() && !rotating {
            continue;
        }
        // 128 random bits do not collide in practice; the loop makes it certain.
        let token = loop {
            let t = new_token()?;
            if !taken.contains(&t) {
                break t;
            }
        };
        taken.insert(token.clone());
        let had = a.share_token.replace(token).is_some();
        if rotating && had {
            changes.rotated.push(a.id.clone());
        } else {
            changes.created.push(a.id.clone());
        }
    }
    Ok(changes)
}

/// One page written by [`write_site`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page {
    pub path: PathBuf,
    /// The alliance of a partner page; `None` for the internal page.
    pub alliance: Option<String>,
    pub bytes: usize,
}

/// What [`write_site`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Published {
    pub pages: Vec<Page>,
    /// Token folders removed (alliances no longer published, rotated links).
    pub removed: Vec<PathBuf>,
    /// Things left alone, with why (a token folder holding files we did not write).
    pub warnings: Vec<String>,
}

/// The folder named by the portfolio's `publish_to` setting: a relative name is taken from the
/// portfolio file's folder, so the setting means the same wherever the workspace was started.
pub fn publish_dir(portfolio_path: &Path, publish_to: &str) -> PathBuf {
    let target = Path::new(publish_to.trim());
    if target.is_absolute() {
        return target.to_owned();
    }
    portfolio_path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."))
        .join(target)
}

/// Write the internal page and every published alliance's partner page under `dir` (created if
/// missing), then remove the token folders of pages no longer published. Alliances without a
/// token are skipped: call [`assign_tokens`] (and save) first.
pub fn write_site(
    portfolio: &Portfolio,
    scores: &Scores,
    dir: &Path,
) -> Result<Published, PublishError> {
    let io_at = |path: &Path| {
        let path = path.to_owned();
        move |source: io::Error| PublishError::Io { path, source }
    };
    fs::create_dir_all(dir).map_err(io_at(dir))?;
    let mut out = Published::default();
    let mut live = BTreeSet::new();
    for a in &portfolio.alliances {
        let Some(token) = a.share_token.as_deref().filter(|_| is_published(a.status)) else {
            continue;
        };
        // Scores kept by a workspace are matched by id; one missing is computed here.
        let fresh;
        let s = if let Some(s) = scores.alliances.iter().find(|s| s.id == a.id) {
            s
        } else {
            fresh = crate::score::score_alliance(portfolio, a, scores.as_of);
            &fresh
        };
        if let Some(why) = share_token_problem(token) {
            return Err(PublishError::Refused {
                path: dir.join(token),
                why,
            });
        }
        live.insert(token.to_owned());
        let folder = dir.join(token);
        match fs::symlink_metadata(&folder) {
            Ok(meta) if !meta.is_dir() => {
                return Err(PublishError::Refused {
                    path: folder,
                    why: "it exists and is not a folder (a link or a file); move it away"
                        .to_owned(),
                });
            }
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                fs::create_dir(&folder).map_err(io_at(&folder))?;
            }
            Err(e) => return Err(io_at(&folder)(e)),
        }
        write_atomic(&folder.join(MARKER), MARKER_TEXT.as_bytes())?;
        let text = html::partner_page(&portfolio.brand, a, s, scores.as_of);
        let path = folder.join("index.html");
        write_atomic(&path, text.as_bytes())?;
        out.pages.push(Page {
            path,
            alliance: Some(a.id.clone()),
            bytes: text.len(),
        });
    }
    let text = html::internal_page(
        portfolio,
        scores,
        &outcomes::outcomes(portfolio, scores.as_of),
    );
    let path = dir.join("index.html");
    write_atomic(&path, text.as_bytes())?;
    out.pages.insert(
        0,
        Page {
            path,
            alliance: None,
            bytes: text.len(),
        },
    );
    remove_stale(dir, &live, &mut out)?;
    Ok(out)
}

/// Remove our token folders whose token is not in `live`: only folders named like a token that
/// hold our marker, and in them only our page and marker.
fn remove_stale(
    dir: &Path,
    live: &BTreeSet<String>,
    out: &mut Published,
) -> Result<(), PublishError> {
    let entries = fs::read_dir(dir).map_err(|source| PublishError::Io {
        path: dir.to_owned(),
        source,
    })?;
    for entry in entries.flatten() {
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        if live.contains(&name) || share_token_problem(&name).is_some() {
            continue;
        }
        let folder = entry.path();
        let is_real_dir = fs::symlink_metadata(&folder).is_ok_and(|m| m.is_dir());
        let marker = folder.join(MARKER);
        if !is_real_dir || !fs::symlink_metadata(&marker).is_ok_and(|m| m.is_file()) {
            continue;
        }
        for file in ["index.html", MARKER] {
            let path = folder.join(file);
            match fs::remove_file(&path) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => {
                    return Err(PublishError::Io { path, source: e });
                }
                _ => {}
            }
        }
        if fs::remove_dir(&folder).is_ok() {
            out.removed.push(folder);
        } else {
            out.warnings.push(format!(
                "{}: removed the old page, but kept the folder: it holds files alliance-desk did \
                 not write",
                folder.display()
            ));
        }
    }
    Ok(())
}

/// Temporary file in the same folder, fsync, rename, fsync the folder (atomic-write-file).
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), PublishError> {
    let io = |source: io::Error| PublishError::Io {
        path: path.to_owned(),
        source,
    };
    if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(PublishError::Refused {
            path: path.to_owned(),
            why: "it is a symbolic link; a published page is never written through a link"
                .to_owned(),
        });
    }
    let mut file = AtomicWriteFile::options().open(path).map_err(io)?;
    file.write_all(bytes).map_err(io)?;
    file.commit().map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Alliance, AllianceKind, Status};

    fn portfolio() -> Portfolio {
        let mut p = Portfolio::empty("B");
        for (id, status) in [
            ("a", Status::Active),
            ("w", Status::WindingDown),
            ("p", Status::Proposed),
            ("e", Status::Ended),
        ] {
            let mut a = Alliance::new(
                id,
                id,
                AllianceKind::Wholesale,
                "2026-01-01".parse().unwrap(),
            );
            a.status = status;
            p.alliances.push(a);
        }
        p
    }

    #[test]
    fn publish_dir_is_relative_to_the_portfolio() {
        assert_eq!(
            publish_dir(Path::new("/data/p.ron"), "site"),
            PathBuf::from("/data/site")
        );
        assert_eq!(
            publish_dir(Path::new("p.ron"), " site "),
            PathBuf::from("./site")
        );
        assert_eq!(
            publish_dir(Path::new("/data/p.ron"), "/srv/www"),
            PathBuf::from("/srv/www")
        );
    }

    #[test]
    fn tokens_are_22_url_safe_characters_and_differ() {
        let a = new_token().unwrap();
        let b = new_token().unwrap();
        assert_ne!(a, b);
        assert!(share_token_problem(&a).is_none(), "{a}");
    }

    #[test]
    fn only_published_alliances_get_tokens_and_only_once() {
        let mut p = portfolio();
        let c = assign_tokens(&mut p, None).unwrap();
        assert_eq!(c.created, vec!["a", "w"]);
        assert!(p.alliances[2].share_token.is_none() && p.alliances[3].share_token.is_none());
        let again = assign_tokens(&mut p, None).unwrap();
        assert!(!again.any());
        let old = p.alliances[0].share_token.clone();
        let r = assign_tokens(&mut p, Some("a")).unwrap();
        assert_eq!(r.rotated, vec!["a"]);
        assert_ne!(p.alliances[0].share_token, old);
    }

    #[test]
    fn a_stale_folder_keeps_files_we_did_not_write() {
        let dir = tempfile::tempdir().unwrap();
        let stale = dir.path().join("AAAAAAAAAAAAAAAAAAAAAQ");
        fs::create_dir(&stale).unwrap();
        fs::write(stale.join(MARKER), MARKER_TEXT).unwrap();
        fs::write(stale.join("index.html"), "old page").unwrap();
        fs::write(stale.join("notes.txt"), "the user's").unwrap();
        let p = portfolio();
        let scores = crate::score::score(&p, "2026-11-15".parse().unwrap());
        let done = write_site(&p, &scores, dir.path()).unwrap();
        assert!(!stale.join("index.html").exists() && !stale.join(MARKER).exists());
        assert_eq!(
            fs::read_to_string(stale.join("notes.txt")).unwrap(),
            "the user's"
        );
        assert!(done.removed.is_empty());
        assert!(
            done.warnings[0].contains("kept the folder"),
            "{:?}",
            done.warnings
        );
        // Alliances without a token get no page yet: only the internal page.
        assert_eq!(done.pages.len(), 1);
    }

    #[test]
    #[cfg(unix)]
    fn a_token_folder_that_is_a_link_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        let mut p = portfolio();
        assign_tokens(&mut p, None).unwrap();
        let token = p.alliances[0].share_token.clone().unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), dir.path().join(&token)).unwrap();
        let scores = crate::score::score(&p, "2026-11-15".parse().unwrap());
        let e = write_site(&p, &scores, dir.path()).unwrap_err().to_string();
        assert!(e.contains("is not a folder"), "{e}");
        assert!(fs::read_dir(elsewhere.path()).unwrap().next().is_none());
    }

    #[test]
    fn rotating_an_unknown_or_unpublished_alliance_is_refused() {
        let mut p = portfolio();
        let e = assign_tokens(&mut p, Some("zz")).unwrap_err().to_string();
        assert!(
            e.contains("no alliance \"zz\"") && e.contains("a, w, p, e"),
            "{e}"
        );
        let e = assign_tokens(&mut p, Some("e")).unwrap_err().to_string();
        assert!(e.contains("only Active and WindingDown"), "{e}");
        assert!(p.alliances.iter().all(|a| a.share_token.is_none()));
    }
}
