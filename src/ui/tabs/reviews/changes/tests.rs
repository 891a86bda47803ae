//! The changes since the last MBR on the whole app, drawn on ratatui's `TestBackend`: read from
//! a real git repository in a temporary folder through the runner, one line without git.

use std::path::{Path, PathBuf};
use std::process::Command;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::app::options::WorkspaceOptions;
use crate::ui::shell::run::run_effects;
use crate::ui::shell::startup::prepare;
use crate::ui::shell::{App, Modal};
use crate::ui::tabs::Tab;

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
        .args(["-c", "commit.gpgsign=false"])
        .args(args)
        // Committed before glow's last MBR (2026-11-12), so that version is the one compared.
        .env("GIT_COMMITTER_DATE", "2026-11-01T12:00:00")
        .env("GIT_AUTHOR_DATE", "2026-11-01T12:00:00")
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {out:?}");
}

/// The sample saved as `p.ron` in `dir`, committed there when `commit`.
fn sample_in(dir: &Path, commit: bool) -> PathBuf {
    let path = dir.join("p.ron");
    let loaded = crate::store::parse(crate::sample::NORTHWIND, "s").unwrap();
    crate::store::save(&path, &loaded.portfolio).unwrap();
    let _ = std::fs::remove_file(crate::store::backup_path(&path));
    if commit {
        git(dir, &["init", "-q"]);
        git(dir, &["add", "p.ron"]);
        git(dir, &["commit", "-q", "-m", "base"]);
    }
    path
}

fn open(path: &Path) -> App {
    let mut app = prepare(
        &WorkspaceOptions {
            file: Some(path.to_owned()),
            ..WorkspaceOptions::default()
        },
        None,
    )
    .unwrap();
    app.clock = crate::app::clock::Clock::manual();
    app.modal = None;
    app.queued.clear();
    app
}

fn key(app: &mut App, code: KeyCode) -> Vec<crate::app::Effect> {
    app.handle_event(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn screen(app: &mut App) -> String {
    crate::ui::shell::tests::screen(app, 120, 40)
}

/// Rename glow's partner and mark commitment 6 done, unsaved, then show the Reviews tab and
/// run the git read it asks for.
fn edit_and_show_reviews(app: &mut App) {
    app.doc.edit_current("rename", |a| {
        a.partner = "Glow Ltd".to_owned();
        a.commitments[5].done = Some("2026-11-14".parse().unwrap());
    });
    let effects = key(app, KeyCode::Char('4'));
    assert_eq!(app.tab, Tab::Reviews);
    assert!(
        matches!(effects.as_slice(), [crate::app::Effect::History { alliance, .. }] if alliance == "glow"),
        "{effects:?}"
    );
    run_effects(app, effects);
    // Read once per alliance and date: another event asks for nothing.
    assert!(key(app, KeyCode::Down).is_empty());
}

#[test]
fn the_reviews_tab_lists_what_changed_since_the_previous_mbr_from_git() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_in(dir.path(), true);
    let mut app = open(&path);
    edit_and_show_reviews(&mut app);
    let text = screen(&mut app);
    for needle in [
        "Changed since the MBR of 2026-11-12 (2):",
        "partner: \"Glow & Co\" → \"Glow Ltd\"",
        "commitments › Commitment 6 › done: None → Some(\"2026-11-14\")",
    ] {
        assert!(text.contains(needle), "{needle:?} not in\n{text}");
    }
    // On a short screen the changes give way before the keys line does.
    let small = crate::ui::shell::tests::screen(&mut app, 80, 24);
    assert!(small.contains("r starts a wizard"), "{small}");
}

#[test]
fn the_mbr_first_step_lists_the_same_changes() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_in(dir.path(), true);
    let mut app = open(&path);
    edit_and_show_reviews(&mut app);
    key(&mut app, KeyCode::Char('r'));
    key(&mut app, KeyCode::Char('3'));
    assert!(app.views.reviews.wizard().is_some(), "the MBR is open");
    let text = screen(&mut app);
    assert!(text.contains("Step 1/4 KPIs vs targets"), "{text}");
    assert!(
        text.contains("partner: \"Glow & Co\" → \"Glow Ltd\""),
        "{text}"
    );
}

#[test]
fn without_git_one_line_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_in(dir.path(), false);
    let mut app = open(&path);
    let effects = key(&mut app, KeyCode::Char('4'));
    run_effects(&mut app, effects);
    let text = screen(&mut app);
    assert!(
        text.contains("Not in a git repository, so changes since the last review are not known."),
        "{text}"
    );
}

#[test]
fn the_sample_has_no_history_and_asks_for_none() {
    let mut app = crate::ui::shell::tests::demo_app();
    assert!(key(&mut app, KeyCode::Char('4')).is_empty());
    assert!(matches!(app.modal, None | Some(Modal::Notice { .. })));
    assert!(
        screen(&mut app).contains("not known (the sample is not in git)"),
        "{}",
        screen(&mut app)
    );
}

#[test]
fn the_previous_mbr_is_the_latest_monthly_review_up_to_the_date() {
    let p = crate::store::parse(crate::sample::NORTHWIND, "s")
        .unwrap()
        .portfolio;
    let glow = p.alliance("glow").unwrap();
    assert_eq!(
        previous_mbr(glow, "2026-11-15".parse().unwrap()),
        Some("2026-11-12".parse().unwrap())
    );
    assert_eq!(
        previous_mbr(glow, "2026-11-11".parse().unwrap()),
        Some("2026-10-12".parse().unwrap())
    );
    assert_eq!(previous_mbr(glow, "2026-01-01".parse().unwrap()), None);
}
