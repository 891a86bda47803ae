//! The conflicts list on the whole app, drawn on ratatui's `TestBackend`: a portfolio opened
//! with a conflicts file beside it, ours or theirs picked, one undo step, the file removed
//! only once the disk holds the picks.

use std::path::{Path, PathBuf};

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

use super::super::run::run_effects;
use super::super::startup::prepare;
use super::super::{App, Modal};
use crate::app::Effect;
use crate::app::options::WorkspaceOptions;
use crate::merge::{self, ConflictsFile};
use crate::model::Portfolio;
use crate::store;

/// The sample with the first alliance's partner renamed one way here and another there: the
/// merge keeps ours (`Glow Ltd`) in the file and writes the conflict beside it, as the git
/// driver does.
fn merged_with_a_conflict(dir: &Path) -> PathBuf {
    let base = store::parse(crate::sample::NORTHWIND, "s")
        .unwrap()
        .portfolio;
    let rename = |name: &str| {
        let mut p = base.clone();
        p.alliances[0].partner = name.to_owned();
        p
    };
    let (ours, theirs) = (rename("Glow Ltd"), rename("Glow Co"));
    let merged = merge::merge(&base, &ours, &theirs).unwrap();
    assert_eq!(merged.conflicts.len(), 1);
    let path = dir.join("p.ron");
    store::save(&path, &merged.portfolio).unwrap();
    let file = ConflictsFile {
        portfolio: "p.ron".to_owned(),
        conflicts: merged.conflicts,
    };
    std::fs::write(
        merge::conflicts_path(&path),
        merge::conflicts_text(&file).unwrap(),
    )
    .unwrap();
    path
}

/// The workspace on `path`, past any start-up notice, with the conflicts list open.
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
    while matches!(app.modal, Some(Modal::Notice { .. })) {
        key(&mut app, KeyCode::Enter);
        app.show_queued();
    }
    assert_eq!(app.modal, Some(Modal::Conflicts), "the list opens at start");
    app
}

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.handle_event(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn ctrl(app: &mut App, c: char) -> Vec<Effect> {
    app.handle_event(&Event::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    )))
}

fn screen(app: &mut App) -> String {
    crate::ui::shell::tests::screen(app, 100, 30)
}

fn partner(p: &Portfolio) -> &str {
    &p.alliances[0].partner
}

#[test]
fn the_list_shows_each_conflict_with_ours_theirs_and_base() {
    let dir = tempfile::tempdir().unwrap();
    let path = merged_with_a_conflict(dir.path());
    let mut app = open(&path);
    let text = screen(&mut app);
    for needle in [
        "Merge conflicts (0 of 1 picked)",
        "glow › partner [pick o / t]",
        "ours   \"Glow Ltd\"",
        "theirs \"Glow Co\"",
        "base   \"Glow & Co\"",
        "p.ron.conflicts.ron keeps the list",
        "Enter: apply (one undo step)",
    ] {
        assert!(text.contains(needle), "{needle:?} not in\n{text}");
    }
    // Applying before every conflict has a pick applies nothing.
    assert!(key(&mut app, KeyCode::Enter).is_empty());
    assert_eq!(app.modal, Some(Modal::Conflicts));
    assert!(app.status.as_deref().unwrap_or("").contains("1 left"));
    assert!(!app.doc.is_dirty());
}

#[test]
fn theirs_is_one_undo_step_and_the_file_goes_once_the_save_holds_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = merged_with_a_conflict(dir.path());
    let conflicts = merge::conflicts_path(&path);
    let mut app = open(&path);
    key(&mut app, KeyCode::Char('t'));
    assert!(screen(&mut app).contains("glow › partner [theirs]"));
    assert!(
        key(&mut app, KeyCode::Enter).is_empty(),
        "nothing on disk yet"
    );
    assert_eq!(app.modal, None);
    assert_eq!(partner(&app.doc.portfolio), "Glow Co");
    assert!(app.doc.is_dirty());
    assert!(
        conflicts.exists(),
        "the list stays until the picks are saved"
    );
    assert_eq!(app.doc.undo_label(), Some("resolve 1 merge conflict"));
    assert!(screen(&mut app).contains("Merge conflicts resolved (u undoes)"));

    // One undo step takes the resolution back, and nothing else is left to undo.
    key(&mut app, KeyCode::Char('u'));
    assert_eq!(partner(&app.doc.portfolio), "Glow Ltd");
    assert_eq!(app.doc.undo_label(), None);
    ctrl(&mut app, 'r');
    assert_eq!(partner(&app.doc.portfolio), "Glow Co");

    let effects = ctrl(&mut app, 's');
    assert!(!run_effects(&mut app, effects));
    assert_eq!(partner(&store::load(&path).unwrap().portfolio), "Glow Co");
    assert!(
        !conflicts.exists(),
        "settled and saved: the list is removed"
    );
    assert!(app.conflicts.is_none());
    let status = app.status.clone().unwrap_or_default();
    assert!(
        status.starts_with("Saved") && status.contains("removed p.ron.conflicts.ron"),
        "{status}"
    );
}

#[test]
fn ours_changes_nothing_so_the_file_goes_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = merged_with_a_conflict(dir.path());
    let mut app = open(&path);
    key(&mut app, KeyCode::Char('o'));
    let effects = key(&mut app, KeyCode::Enter);
    assert_eq!(
        effects,
        [Effect::RemoveConflicts { path: path.clone() }],
        "the file on disk already holds ours"
    );
    assert!(!app.doc.is_dirty());
    assert_eq!(app.doc.undo_label(), None, "no edit to undo");
    run_effects(&mut app, effects);
    assert!(!merge::conflicts_path(&path).exists());
    assert!(
        app.status
            .as_deref()
            .unwrap_or("")
            .contains("All merge conflicts settled")
    );
}

#[test]
fn a_save_after_undoing_the_picks_keeps_the_list_and_offers_it_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = merged_with_a_conflict(dir.path());
    let mut app = open(&path);
    key(&mut app, KeyCode::Char('t'));
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('u'));
    let effects = ctrl(&mut app, 's');
    run_effects(&mut app, effects);
    assert!(merge::conflicts_path(&path).exists(), "never lost unsaved");
    assert!(
        app.status
            .as_deref()
            .unwrap_or("")
            .contains("does not hold the picks")
    );
    assert!(app.show_queued());
    assert_eq!(app.modal, Some(Modal::Conflicts));
}

#[test]
fn esc_leaves_the_conflicts_for_later_and_the_file_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = merged_with_a_conflict(dir.path());
    let mut app = open(&path);
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.modal, None);
    assert!(merge::conflicts_path(&path).exists());
    assert!(!app.doc.is_dirty());
    assert!(screen(&mut app).contains("stays until they are settled"));
}

#[test]
fn control_characters_in_a_conflict_are_shown_as_escapes() {
    let dir = tempfile::tempdir().unwrap();
    let path = merged_with_a_conflict(dir.path());
    let mut file = merge::load_conflicts(&path).unwrap().unwrap();
    file.conflicts[0].theirs = Some("\"Glow\u{1b}[31m\"".to_owned());
    std::fs::write(
        merge::conflicts_path(&path),
        merge::conflicts_text(&file).unwrap(),
    )
    .unwrap();
    let mut app = open(&path);
    let text = screen(&mut app);
    assert!(text.contains("\"Glow\\u{1b}[31m\""), "{text}");
}

#[test]
fn a_merge_while_the_workspace_is_open_offers_its_conflicts_on_reload() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.ron");
    let sample = store::parse(crate::sample::NORTHWIND, "s")
        .unwrap()
        .portfolio;
    store::save(&path, &sample).unwrap();
    let mut app = prepare(
        &WorkspaceOptions {
            file: Some(path.clone()),
            ..WorkspaceOptions::default()
        },
        None,
    )
    .unwrap();
    app.modal = None;
    app.queued.clear();
    assert!(app.conflicts.is_none());
    // The merge writes ours and the conflicts file meanwhile; the user reloads.
    merged_with_a_conflict(dir.path());
    let reload = Effect::Decide(crate::app::safety::Decision::Reload);
    run_effects(&mut app, vec![reload]);
    assert_eq!(partner(&app.doc.portfolio), "Glow Ltd");
    assert!(app.show_queued());
    assert_eq!(app.modal, Some(Modal::Conflicts));
    assert!(screen(&mut app).contains("glow › partner"));
}

#[test]
fn a_conflict_that_no_longer_fits_the_file_is_not_applied_and_the_list_stays() {
    let dir = tempfile::tempdir().unwrap();
    let path = merged_with_a_conflict(dir.path());
    let mut file = merge::load_conflicts(&path).unwrap().unwrap();
    file.conflicts[0].path = vec![
        merge::Step::Field("alliances".to_owned()),
        merge::Step::Item("Alliance gone".to_owned()),
        merge::Step::Field("partner".to_owned()),
    ];
    std::fs::write(
        merge::conflicts_path(&path),
        merge::conflicts_text(&file).unwrap(),
    )
    .unwrap();
    let mut app = open(&path);
    key(&mut app, KeyCode::Char('t'));
    assert!(key(&mut app, KeyCode::Enter).is_empty());
    assert!(
        matches!(&app.modal, Some(Modal::Notice { title, .. }) if title == "Cannot apply the picks")
    );
    assert!(!app.doc.is_dirty(), "nothing applied");
    key(&mut app, KeyCode::Enter);
    assert!(app.show_queued());
    assert_eq!(app.modal, Some(Modal::Conflicts));
    assert!(merge::conflicts_path(&path).exists());
}
