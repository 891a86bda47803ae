//! The runner's effects and background work, without a terminal.

use super::*;
use crate::sample;
use crate::ui::shell::Modal;

#[test]
fn a_bad_file_stops_before_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.ron");
    std::fs::write(&path, "Portfolio(version: 1, brand: \"x\", bogus: 3)").unwrap();
    let options = WorkspaceOptions {
        file: Some(path),
        ..WorkspaceOptions::default()
    };
    assert!(prepare(&options, None).is_err());
}

#[test]
fn demo_opens_the_sample_without_a_path() {
    let app = prepare(
        &WorkspaceOptions {
            demo: true,
            ..WorkspaceOptions::default()
        },
        None,
    )
    .unwrap();
    assert_eq!(app.doc.source, Source::Demo);
    assert_eq!(app.doc.portfolio.brand, "Northwind Goods");
}

#[test]
fn saving_the_demo_asks_for_a_path_and_save_as_writes_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = prepare(
        &WorkspaceOptions {
            demo: true,
            ..WorkspaceOptions::default()
        },
        None,
    )
    .unwrap();
    app.modal = None;
    save(&mut app, None);
    assert!(matches!(app.modal, Some(Modal::SaveAs { .. })));
    let target = dir.path().join("mine.ron");
    app.modal = None;
    save(&mut app, Some(target.clone()));
    assert!(target.exists());
    assert_eq!(app.doc.source, Source::File(target.clone()));
    assert!(store::load(&target).is_ok());
}

#[test]
fn an_edit_that_would_make_the_file_unreadable_is_not_saved() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("mine.ron");
    let mut app = prepare(
        &WorkspaceOptions {
            demo: true,
            ..WorkspaceOptions::default()
        },
        None,
    )
    .unwrap();
    app.modal = None;
    save(&mut app, Some(target.clone()));
    let saved = std::fs::read_to_string(&target).unwrap();
    app.doc.edit_current("blank partner", |a| a.partner.clear());
    save(&mut app, None);
    let Some(Modal::Notice { lines, .. }) = &app.modal else {
        panic!("expected the problems, got {:?}", app.modal)
    };
    assert!(lines.iter().any(|l| l.contains("partner")), "{lines:?}");
    assert!(app.doc.is_dirty(), "the edit stays, unsaved");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), saved);
}

#[test]
fn a_user_keymap_and_theme_are_read_from_the_config_dir() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("keys.ron"),
        r#"{ "quit": ["ctrl-q"], "nope": ["z"] }"#,
    )
    .unwrap();
    let app = prepare(
        &WorkspaceOptions {
            demo: true,
            theme: Some("light".into()),
            ..WorkspaceOptions::default()
        },
        Some(dir.path()),
    )
    .unwrap();
    assert_eq!(app.theme.name, "light");
    // Warnings are notices: on the status line and in help, never a dialog eating a key.
    assert_eq!(app.modal, None);
    assert!(
        app.status
            .as_deref()
            .is_some_and(|s| s.starts_with("Note: ")),
        "{:?}",
        app.status
    );
    let lines = &app.notices;
    assert!(
        lines.iter().any(|l| l.contains("unknown action \"nope\"")),
        "{lines:?}"
    );
    assert_eq!(
        app.keymap.describe(crate::app::action::Action::Quit),
        "Ctrl-q"
    );
}

fn demo_app() -> App {
    let mut app = prepare(
        &WorkspaceOptions {
            demo: true,
            ..WorkspaceOptions::default()
        },
        None,
    )
    .unwrap();
    app.modal = None;
    app
}

fn open(path: &Path) -> App {
    let app = prepare(
        &WorkspaceOptions {
            file: Some(path.to_owned()),
            ..WorkspaceOptions::default()
        },
        None,
    )
    .unwrap();
    assert!(
        !matches!(app.modal, Some(Modal::Notice { .. })),
        "notices at start are no dialog"
    );
    app
}

fn sample_file(dir: &Path) -> PathBuf {
    let path = dir.join("p.ron");
    let loaded = store::parse(sample::NORTHWIND, "s").unwrap();
    store::save(&path, &loaded.portfolio).unwrap();
    path
}

fn press(app: &mut App, c: char) -> Vec<Effect> {
    app.handle_event(&crossterm::event::Event::Key(
        crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char(c)),
    ))
}

fn run_all(app: &mut App, effects: Vec<Effect>) -> Flow {
    for e in effects {
        if run_effect(app, e) == Flow::Quit {
            return Flow::Quit;
        }
    }
    Flow::Continue
}

fn footer(app: &mut App) -> String {
    app.sync_views();
    let backend = ratatui::backend::TestBackend::new(120, 40);
    let mut terminal = ratatui::Terminal::new(backend).unwrap();
    terminal.draw(|f| crate::ui::render(app, f)).unwrap();
    let buf = terminal.backend().buffer();
    (0..120).map(|x| buf[(x, 39)].symbol()).collect()
}

#[test]
fn the_footer_says_what_undo_would_revert_for_every_kind_of_edit() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = open(&sample_file(dir.path()));
    assert!(!footer(&mut app).contains("undo:"), "nothing to undo yet");
    app.doc.edit_current("notes of Glow", |a| a.notes.push('x'));
    assert!(
        footer(&mut app).contains("u undo: notes of Glow"),
        "{}",
        footer(&mut app)
    );
    let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    app.doc.insert_alliance(
        0,
        crate::model::Alliance::new("zz", "Zed", crate::model::AllianceKind::Wholesale, day),
        "add alliance zz",
    );
    assert!(footer(&mut app).contains("undo: add alliance zz"));
    app.doc.edit_pipeline("add intake Peak", Vec::clear);
    assert!(footer(&mut app).contains("undo: add intake Peak"));
    app.doc.remove_alliance(0, "delete alliance with Zed");
    assert!(footer(&mut app).contains("undo: delete alliance with Zed"));
    app.doc.replace_portfolio(
        crate::model::Portfolio::empty("X"),
        "a very long label that goes on and on well past forty characters",
    );
    let f = footer(&mut app);
    assert!(
        f.contains("u undo: a very long label that goes on… "),
        "{f}"
    );
    // `u` reverts exactly what the footer said, and the footer moves to the previous edit.
    let fx = press(&mut app, 'u');
    run_all(&mut app, fx);
    assert_eq!(
        app.status.as_deref(),
        Some("Undid: a very long label that goes on and on well past forty characters")
    );
    app.status = None;
    assert!(footer(&mut app).contains("undo: delete alliance with Zed"));
}

fn ctrl(app: &mut App, c: char) -> Vec<Effect> {
    app.handle_event(&crossterm::event::Event::Key(
        crossterm::event::KeyEvent::new(
            crossterm::event::KeyCode::Char(c),
            crossterm::event::KeyModifiers::CONTROL,
        ),
    ))
}

#[test]
fn sharing_keeps_undo_and_its_label_to_the_shared_alliance() {
    let mut app = demo_app();
    let (x, y) = (0, 1);
    let other = app.doc.portfolio.alliances[x].partner.clone();
    let shared = app.doc.portfolio.alliances[y].partner.clone();
    app.doc
        .edit_alliance(x, format!("notes of {other}"), |a| a.notes.push('x'));
    let notes_x = app.doc.portfolio.alliances[x].notes.clone();
    app.doc.current = y;
    press(&mut app, 's');
    assert!(app.share);
    app.status = None;
    let f = footer(&mut app);
    assert!(!f.contains("undo:") && !f.contains(&other), "{f}");
    // `u` refuses: it would change a hidden alliance and name it.
    let fx = press(&mut app, 'u');
    run_all(&mut app, fx);
    assert_eq!(
        app.status.as_deref(),
        Some("Undo is off while sharing: the last edit is not this alliance's")
    );
    assert_eq!(app.doc.portfolio.alliances[x].notes, notes_x);
    // The shared alliance's own edit is named and undone as usual, then redone.
    app.doc
        .edit_current(format!("notes of {shared}"), |a| a.notes.push('y'));
    app.status = None;
    assert!(footer(&mut app).contains(&format!("undo: notes of {shared}")));
    let fx = press(&mut app, 'u');
    run_all(&mut app, fx);
    assert_eq!(app.status, Some(format!("Undid: notes of {shared}")));
    app.status = None;
    assert!(
        !footer(&mut app).contains("undo:"),
        "the next one is hidden"
    );
    ctrl(&mut app, 'r');
    assert_eq!(app.status, Some(format!("Redid: notes of {shared}")));
    // Redo refuses another alliance's edit too.
    press(&mut app, 's');
    press(&mut app, 'u');
    press(&mut app, 'u');
    assert_eq!(
        app.doc.redo_label(),
        Some(format!("notes of {other}").as_str())
    );
    press(&mut app, 's');
    ctrl(&mut app, 'r');
    assert_eq!(
        app.status.as_deref(),
        Some("Redo is off while sharing: the last undone edit is not this alliance's")
    );
    assert_eq!(
        app.doc.redo_label(),
        Some(format!("notes of {other}").as_str())
    );
    // Portfolio-wide and pipeline edits are no single alliance's: refused as well.
    app.doc.edit_pipeline("add intake Peak", Vec::clear);
    press(&mut app, 'u');
    assert!(
        app.status
            .as_deref()
            .unwrap_or("")
            .starts_with("Undo is off")
    );
    assert_eq!(app.doc.undo_label(), Some("add intake Peak"));
    // Out of share mode everything undoes again.
    press(&mut app, 's');
    press(&mut app, 'u');
    assert_eq!(app.status.as_deref(), Some("Undid: add intake Peak"));
    // Adding the shared alliance is not undone while sharing: it would put another
    // partner on the shared screen.
    let n = app.doc.portfolio.alliances.len();
    let mut added = app.doc.portfolio.alliances[y].clone();
    added.id = "fresh".to_owned();
    app.doc.insert_alliance(n, added, "add alliance fresh");
    press(&mut app, 's');
    press(&mut app, 'u');
    assert!(
        app.status
            .as_deref()
            .unwrap_or("")
            .starts_with("Undo is off")
    );
    assert_eq!(app.doc.portfolio.alliances.len(), n + 1);
    assert_eq!(
        app.doc.current_alliance().map(|a| a.id.as_str()),
        Some("fresh")
    );
}

#[test]
fn help_scrolls_no_further_than_its_last_line() {
    let mut app = demo_app();
    app.size = ratatui::layout::Rect::new(0, 0, 80, 24);
    press(&mut app, '?');
    let max = crate::ui::help::max_scroll(&app, app.size);
    assert!(max > 0, "the help is longer than 24 rows");
    let down = crossterm::event::Event::Key(crossterm::event::KeyEvent::from(
        crossterm::event::KeyCode::PageDown,
    ));
    for _ in 0..100 {
        app.handle_event(&down);
    }
    assert_eq!(app.modal, Some(Modal::Help { scroll: max }));
    // One ↑ moves at once, instead of first working off the keys pressed past the end.
    let up = crossterm::event::Event::Key(crossterm::event::KeyEvent::from(
        crossterm::event::KeyCode::Up,
    ));
    app.handle_event(&up);
    assert_eq!(app.modal, Some(Modal::Help { scroll: max - 1 }));
    // A larger screen shows it all.
    app.size = ratatui::layout::Rect::new(0, 0, 120, 200);
    assert_eq!(crate::ui::help::max_scroll(&app, app.size), 0);
}

/// Replace what the path prompt holds with `path`, by keys.
fn type_path(app: &mut App, path: &Path) {
    let Some(Modal::SaveAs { input, .. }) = &app.modal else {
        panic!("expected the path prompt, got {:?}", app.modal)
    };
    for _ in 0..input.len() {
        app.handle_event(&crossterm::event::Event::Key(
            crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Backspace),
        ));
    }
    for c in path.display().to_string().chars() {
        press(app, c);
    }
}

fn enter(app: &mut App) -> Vec<Effect> {
    app.handle_event(&crossterm::event::Event::Key(
        crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Enter),
    ))
}

fn write_file(path: PathBuf, contents: &str) -> Effect {
    Effect::WriteFile {
        done: format!("Wrote the charter to {}", path.display()),
        path,
        contents: contents.to_owned(),
    }
}

fn overwrite_title(app: &App) -> String {
    let Some(Modal::Choice { title, .. }) = &app.modal else {
        panic!("expected the overwrite question, got {:?}", app.modal)
    };
    title.clone()
}

#[test]
fn the_sample_asks_where_to_write_an_exported_file_instead_of_the_working_folder() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = demo_app();
    let fx = write_file(PathBuf::from("glow-charter.md"), "# Charter\n");
    assert_eq!(run_effect(&mut app, fx), Flow::Continue);
    let Some(Modal::SaveAs { input, error, .. }) = &app.modal else {
        panic!("expected the path prompt, got {:?}", app.modal)
    };
    assert_eq!(
        input.text(),
        "glow-charter.md",
        "pre-filled with the suggested name"
    );
    assert!(error.as_deref().unwrap_or("").contains("no folder"));
    assert!(
        !Path::new("glow-charter.md").exists(),
        "nothing written yet"
    );
    assert!(screen_text(&mut app).contains("Write glow-charter.md to:"));
    // Esc writes nothing.
    app.handle_event(&crossterm::event::Event::Key(
        crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Esc),
    ));
    assert_eq!(
        app.status.as_deref(),
        Some("Cancelled: glow-charter.md was not written")
    );
    // A chosen path is written, and the status names it.
    let fx = write_file(PathBuf::from("glow-charter.md"), "# Charter\n");
    run_effect(&mut app, fx);
    let target = dir.path().join("exports").join("glow.md");
    std::fs::create_dir(dir.path().join("exports")).unwrap();
    type_path(&mut app, &target);
    let fx = enter(&mut app);
    run_all(&mut app, fx);
    assert!(app.modal.is_none(), "{:?}", app.modal);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "# Charter\n");
    assert_eq!(
        app.status,
        Some(format!("Wrote the charter to {}", target.display()))
    );
    assert!(!Path::new("glow-charter.md").exists());
    assert!(!app.doc.is_dirty(), "the portfolio itself is untouched");
}

#[test]
fn an_exported_file_over_an_existing_one_asks_first() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_file(dir.path());
    let mut app = open(&path);
    let target = dir.path().join("glow-charter.md");
    std::fs::write(&target, "mine").unwrap();
    run_effect(&mut app, write_file(target.clone(), "new"));
    assert_eq!(overwrite_title(&app), "Overwrite glow-charter.md?");
    // Cancel keeps the file.
    let fx = press(&mut app, 'c');
    run_all(&mut app, fx);
    assert!(app.modal.is_none());
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "mine");
    assert!(app.safety.pending_write.is_none());
    // Another name: the prompt, pre-filled with the path; a new name is written unasked.
    run_effect(&mut app, write_file(target.clone(), "new"));
    let fx = press(&mut app, 'a');
    run_all(&mut app, fx);
    let Some(Modal::SaveAs { input, .. }) = &app.modal else {
        panic!("expected the path prompt, got {:?}", app.modal)
    };
    assert_eq!(input.text(), target.display().to_string());
    let other = dir.path().join("other.md");
    type_path(&mut app, &other);
    let fx = enter(&mut app);
    run_all(&mut app, fx);
    assert_eq!(std::fs::read_to_string(&other).unwrap(), "new");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "mine");
    // Overwrite replaces it.
    run_effect(&mut app, write_file(target.clone(), "new"));
    let fx = press(&mut app, 'o');
    run_all(&mut app, fx);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
    assert_eq!(
        app.status,
        Some(format!("Wrote the charter to {}", target.display()))
    );
    // A new file in the portfolio's folder is written without a question.
    let fresh = dir.path().join("fresh.md");
    run_effect(&mut app, write_file(fresh.clone(), "x"));
    assert!(app.modal.is_none());
    assert!(fresh.exists());
    // The portfolio itself is never replaced by an exported file.
    let before = std::fs::read_to_string(&path).unwrap();
    run_effect(&mut app, write_file(path.clone(), "oops"));
    assert!(app.modal.is_none());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), before);
    assert!(
        app.status
            .as_deref()
            .unwrap_or("")
            .contains("open portfolio")
    );
}

#[test]
fn save_as_onto_an_existing_other_file_asks_first() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_file(dir.path());
    let mut app = open(&path);
    app.doc.edit_current("notes", |a| a.notes = "mine".into());
    let other = dir.path().join("other.ron");
    std::fs::write(&other, "precious").unwrap();
    // Through the prompt, as Ctrl-s on a read-only file or "save as…" would.
    app.ask_save_as(None);
    type_path(&mut app, &other);
    let fx = enter(&mut app);
    run_all(&mut app, fx);
    assert_eq!(overwrite_title(&app), "Overwrite other.ron?");
    assert_eq!(std::fs::read_to_string(&other).unwrap(), "precious");
    assert!(app.doc.is_dirty());
    let fx = press(&mut app, 'c');
    run_all(&mut app, fx);
    assert_eq!(std::fs::read_to_string(&other).unwrap(), "precious");
    assert_eq!(app.doc.source, Source::File(path.clone()));
    // Overwrite: saved there, which becomes the document's file.
    save(&mut app, Some(other.clone()));
    let fx = press(&mut app, 'o');
    run_all(&mut app, fx);
    assert!(app.modal.is_none(), "{:?}", app.modal);
    assert_eq!(app.doc.source, Source::File(other.clone()));
    assert_eq!(store::load(&other).unwrap().portfolio, app.doc.portfolio);
    assert!(!app.doc.is_dirty());
    // Saving as the open file itself, however spelled, is a plain save.
    app.doc.edit_current("notes", |a| a.notes = "again".into());
    let spelled = dir.path().join(".").join("other.ron");
    save(&mut app, Some(spelled));
    assert!(app.modal.is_none(), "{:?}", app.modal);
    assert!(!app.doc.is_dirty());
}

fn screen_text(app: &mut App) -> String {
    let backend = ratatui::backend::TestBackend::new(120, 40);
    let mut terminal = ratatui::Terminal::new(backend).unwrap();
    terminal.draw(|f| crate::ui::render(app, f)).unwrap();
    let buf = terminal.backend().buffer();
    (0..40)
        .map(|y| (0..120).map(|x| buf[(x, y)].symbol()).collect::<String>() + "\n")
        .collect()
}

#[test]
fn storing_an_mbr_in_the_demo_shows_the_path_prompt_at_once_without_a_stale_status() {
    use crossterm::event::{Event, KeyCode, KeyEvent};
    let mut app = demo_app();
    let step = |app: &mut App, code: KeyCode| {
        let fx = app.handle_event(&Event::Key(KeyEvent::from(code)));
        let flow = run_all(app, fx);
        app.sync_views();
        flow
    };
    for code in [
        KeyCode::Char('4'),
        KeyCode::Char('r'),
        KeyCode::Char('j'),
        KeyCode::Char('j'),
        KeyCode::Enter,
    ] {
        step(&mut app, code);
    }
    for _ in 0..4 {
        step(&mut app, KeyCode::PageDown);
    }
    // Esc on the preview, then "no": the wizard stays, and the status says "Cancelled".
    step(&mut app, KeyCode::Esc);
    step(&mut app, KeyCode::Char('n'));
    assert_eq!(app.status.as_deref(), Some("Cancelled"));
    assert!(screen_text(&mut app).contains("Summary preview"));
    // Enter stores the review; the very next frame is the path prompt, and nothing old.
    assert_eq!(step(&mut app, KeyCode::Enter), Flow::Continue);
    let Some(Modal::SaveAs { input, .. }) = &app.modal else {
        panic!("expected the path prompt, got {:?}", app.modal)
    };
    assert_eq!(input.text(), "glow-mbr-2026-11-15.md");
    assert_eq!(app.status, None);
    let text = screen_text(&mut app);
    assert!(text.contains("Write file"), "{text}");
    assert!(text.contains("glow-mbr-2026-11-15.md▏"), "{text}");
    assert!(!text.contains("Cancelled"), "{text}");
    // The next key is meant for the prompt, and is typed there.
    step(&mut app, KeyCode::Char('5'));
    let Some(Modal::SaveAs { input, .. }) = &app.modal else {
        panic!("expected the path prompt, got {:?}", app.modal)
    };
    assert_eq!(input.text(), "glow-mbr-2026-11-15.md5");
}

#[test]
fn after_the_history_drops_the_saved_state_quitting_still_asks() {
    let mut app = demo_app();
    for i in 0..=crate::app::document::HISTORY_LIMIT {
        app.doc
            .edit_current(format!("note {i}"), |a| a.notes = i.to_string());
    }
    while app.doc.undo_label().is_some() {
        press(&mut app, 'u');
    }
    assert!(app.doc.is_dirty());
    assert!(press(&mut app, 'q').is_empty(), "q does not quit");
    assert_eq!(app.modal, Some(Modal::QuitUnsaved));
}

#[test]
fn an_edit_is_written_to_recovery_soon_and_a_save_or_clean_quit_removes_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_file(dir.path());
    let mut app = open(&path);
    let recovery = store::recovery_path(&path);
    let t = Instant::now();
    background(&mut app, t);
    app.doc.edit_current("notes", |a| a.notes = "typed".into());
    background(&mut app, t);
    assert!(!recovery.exists(), "not before the delay");
    background(&mut app, t + safety::RECOVERY_DELAY);
    // The write runs on the recovery worker: wait for it as the loop would.
    collect_recovery(&mut app, true);
    let recovered = safety::read_recovery(&recovery).unwrap();
    assert_eq!(recovered, app.doc.portfolio);
    save(&mut app, None);
    assert!(app.modal.is_none(), "{:?}", app.modal);
    assert!(!recovery.exists(), "a save removes it");
    app.doc.edit_current("notes", |a| a.notes = "again".into());
    let t = t + Duration::from_secs(10);
    background(&mut app, t);
    background(&mut app, t + safety::RECOVERY_DELAY);
    collect_recovery(&mut app, true);
    assert!(recovery.exists());
    clean_quit(&mut app);
    assert!(!recovery.exists(), "a clean quit removes it");
}

#[test]
fn a_recovery_file_is_offered_at_start_restored_as_one_undoable_edit_or_discarded() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_file(dir.path());
    let on_disk = store::load(&path).unwrap().portfolio;
    let mut edited = on_disk.clone();
    edited.alliances[0].notes = "typed before the crash".into();
    std::thread::sleep(Duration::from_millis(20));
    store::write_recovery(&path, &edited).unwrap();

    let mut app = open(&path);
    let Some(Modal::Choice { title, .. }) = &app.modal else {
        panic!("expected the recovery offer, got {:?}", app.modal)
    };
    assert_eq!(title, "Recover unsaved edits?");
    // Esc does not dismiss it: the edits must be dealt with.
    app.handle_event(&crossterm::event::Event::Key(
        crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Esc),
    ));
    assert!(app.modal.is_some());
    let fx = press(&mut app, 'v');
    run_all(&mut app, fx);
    let Some(Modal::Choice { lines, .. }) = &app.modal else {
        panic!()
    };
    let first = &edited.alliances[0];
    assert!(
        lines
            .iter()
            .any(|l| l.contains(&format!("~ {} ({}): notes", first.id, first.partner))),
        "{lines:?}"
    );
    let fx = press(&mut app, 'r');
    run_all(&mut app, fx);
    assert_eq!(app.doc.portfolio, edited);
    assert!(app.doc.is_dirty());
    assert_eq!(
        app.doc.undo_label(),
        Some("restore unsaved edits from recovery")
    );
    app.doc.undo();
    assert_eq!(app.doc.portfolio, on_disk);
    clean_quit(&mut app);
    drop(app);

    std::thread::sleep(Duration::from_millis(20));
    store::write_recovery(&path, &edited).unwrap();
    let mut app = open(&path);
    let fx = press(&mut app, 'd');
    run_all(&mut app, fx);
    assert_eq!(app.doc.portfolio, on_disk);
    assert!(!store::recovery_path(&path).exists());
}

#[test]
fn a_save_over_a_file_changed_on_disk_stops_and_asks() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_file(dir.path());
    let mut app = open(&path);
    app.doc.edit_current("notes", |a| a.notes = "mine".into());
    let mut theirs = store::load(&path).unwrap().portfolio;
    theirs.brand = "Changed elsewhere".into();
    store::save(&path, &theirs).unwrap();

    save(&mut app, None);
    let Some(Modal::Choice { title, .. }) = &app.modal else {
        panic!("expected the conflict question, got {:?}", app.modal)
    };
    assert!(title.contains("changed on disk"), "{title}");
    assert_eq!(
        store::load(&path).unwrap().portfolio.brand,
        "Changed elsewhere"
    );

    // Reload asks first, since the edit here would be replaced; undo brings it back.
    let fx = press(&mut app, 'r');
    run_all(&mut app, fx);
    let Some(Modal::Choice { title, .. }) = &app.modal else {
        panic!()
    };
    assert_eq!(title, "Reload from disk?");
    let fx = press(&mut app, 'y');
    run_all(&mut app, fx);
    assert_eq!(app.doc.portfolio.brand, "Changed elsewhere");
    assert!(!app.doc.is_dirty());
    app.doc.undo();
    assert_eq!(app.doc.portfolio.alliances[0].notes, "mine");

    // Now overwrite: the other program's change is replaced on purpose.
    store::save(&path, &theirs).unwrap();
    save(&mut app, None);
    let fx = press(&mut app, 'o');
    run_all(&mut app, fx);
    assert!(app.modal.is_none(), "{:?}", app.modal);
    let disk = store::load(&path).unwrap().portfolio;
    assert_eq!(disk.alliances[0].notes, "mine");
    // A later save of our own file does not ask again.
    app.doc.edit_current("notes", |a| a.notes = "mine 2".into());
    save(&mut app, None);
    assert!(app.modal.is_none(), "{:?}", app.modal);
}

#[test]
fn an_idle_clean_workspace_offers_to_reload_a_file_changed_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_file(dir.path());
    let mut app = open(&path);
    let t = Instant::now();
    background(&mut app, t);
    assert!(app.modal.is_none());
    let mut theirs = store::load(&path).unwrap().portfolio;
    theirs.brand = "Changed elsewhere".into();
    store::save(&path, &theirs).unwrap();
    background(&mut app, t + safety::DISK_CHECK_EVERY);
    let Some(Modal::Choice { title, .. }) = &app.modal else {
        panic!("expected the reload offer, got {:?}", app.modal)
    };
    assert_eq!(title, "Changed on disk");
    let fx = press(&mut app, 'r');
    run_all(&mut app, fx);
    assert_eq!(app.doc.portfolio.brand, "Changed elsewhere");
    assert!(!app.doc.is_dirty());
}

#[test]
fn a_second_instance_is_told_who_holds_the_file_and_opens_read_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_file(dir.path());
    let first = open(&path);
    let mut second = open(&path);
    assert!(first.doc.read_only.is_none());
    let why = second.doc.read_only.clone().unwrap();
    assert!(
        why.contains(&format!("pid {}", std::process::id())),
        "{why}"
    );
    let Some(Modal::Choice { lines, .. }) = &second.modal else {
        panic!("expected the lock question, got {:?}", second.modal)
    };
    assert!(lines[0].contains("since"), "{lines:?}");
    let fx = press(&mut second, 'r');
    assert_eq!(run_all(&mut second, fx), Flow::Continue);
    second.doc.edit_current("notes", |a| a.notes = "x".into());
    save(&mut second, None);
    let Some(Modal::SaveAs { error, .. }) = &second.modal else {
        panic!("read-only saves offer save-as")
    };
    assert!(error.as_deref().unwrap_or("").contains("open elsewhere"));
    // Saving as another file makes the second instance that file's writer.
    let other = dir.path().join("copy.ron");
    save(&mut second, Some(other.clone()));
    assert!(second.doc.read_only.is_none());
    assert!(store::load(&other).is_ok());
    drop(first);
    let third = open(&path);
    assert!(
        third.doc.read_only.is_none(),
        "the lock is free once the first quits"
    );
}

#[test]
fn a_read_only_file_opens_read_only_and_saving_offers_save_as() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_file(dir.path());
    let mut perms = std::fs::metadata(&path).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&path, perms).unwrap();
    let mut app = prepare(
        &WorkspaceOptions {
            file: Some(path.clone()),
            ..WorkspaceOptions::default()
        },
        None,
    )
    .unwrap();
    assert_eq!(app.doc.read_only.as_deref(), Some("the file is read-only"));
    assert_eq!(app.modal, None);
    assert!(
        app.notices
            .iter()
            .any(|l| l.starts_with("Opened read-only"))
    );
    save(&mut app, None);
    let Some(Modal::SaveAs { error, .. }) = &app.modal else {
        panic!()
    };
    assert!(error.as_deref().unwrap_or("").contains("read-only"));
    assert!(
        !store::lock_path(&path).exists(),
        "a read-only open takes no lock"
    );
}

#[test]
fn a_recovery_write_takes_a_snapshot_and_keys_go_on_while_it_is_in_flight() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_file(dir.path());
    let mut app = open(&path);
    let recovery = store::recovery_path(&path);
    let t = Instant::now();
    background(&mut app, t);
    app.doc.edit_current("notes", |a| a.notes = "first".into());
    let snapshot = app.doc.portfolio.clone();
    background(&mut app, t);
    background(&mut app, t + safety::RECOVERY_DELAY);
    // Handed to the worker: whatever its progress, the loop goes on with the next key.
    assert!(
        app.recovery_writer
            .as_ref()
            .is_some_and(recovery::RecoveryWriter::busy)
    );
    app.doc.edit_current("notes", |a| a.notes = "second".into());
    collect_recovery(&mut app, true);
    assert_eq!(
        safety::read_recovery(&recovery).unwrap(),
        snapshot,
        "the write holds the portfolio as it was when the write was asked for"
    );
    // The later edit goes out with the next write.
    let t = t + Duration::from_secs(5);
    background(&mut app, t);
    background(&mut app, t + safety::RECOVERY_DELAY);
    collect_recovery(&mut app, true);
    assert_eq!(safety::read_recovery(&recovery).unwrap(), app.doc.portfolio);
    // Undone back to the saved state: the worker removes the file.
    while app.doc.undo_label().is_some() {
        app.doc.undo();
    }
    let t = t + Duration::from_secs(5);
    background(&mut app, t);
    background(&mut app, t + safety::RECOVERY_DELAY);
    collect_recovery(&mut app, true);
    assert!(!recovery.exists());
}

#[test]
fn a_failed_recovery_write_warns_and_is_retried_at_the_next_edit() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_file(dir.path());
    let mut app = open(&path);
    let recovery = store::recovery_path(&path);
    // A folder where the recovery file goes: the write fails.
    std::fs::create_dir(&recovery).unwrap();
    let t = Instant::now();
    background(&mut app, t);
    app.doc.edit_current("notes", |a| a.notes = "typed".into());
    background(&mut app, t);
    background(&mut app, t + safety::RECOVERY_DELAY);
    collect_recovery(&mut app, true);
    assert!(app.safety.recovery_failing.is_some(), "the header warns");
    std::fs::remove_dir(&recovery).unwrap();
    app.doc
        .edit_current("notes", |a| a.notes = "typed again".into());
    let t = t + Duration::from_secs(5);
    background(&mut app, t);
    background(&mut app, t + safety::RECOVERY_DELAY);
    collect_recovery(&mut app, true);
    assert!(app.safety.recovery_failing.is_none(), "protected again");
    assert_eq!(safety::read_recovery(&recovery).unwrap(), app.doc.portfolio);
}

#[test]
fn an_unbound_alt_character_is_read_as_esc_then_the_character() {
    let app = prepare(
        &WorkspaceOptions {
            demo: true,
            ..WorkspaceOptions::default()
        },
        None,
    )
    .unwrap();
    let alt_q = Event::Key(KeyEvent::new(KeyCode::Char('q'), KeyModifiers::ALT));
    let (esc, q) = split_alt(&alt_q, &app).expect("split");
    assert_eq!(
        esc,
        Event::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE))
    );
    assert_eq!(
        q,
        Event::Key(KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE))
    );
    // A bound Alt-key (Alt-↑ moves a list entry) and plain keys are left alone.
    let alt_up = Event::Key(KeyEvent::new(KeyCode::Up, KeyModifiers::ALT));
    assert_eq!(split_alt(&alt_up, &app), None);
    let plain = Event::Key(KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE));
    assert_eq!(split_alt(&plain, &app), None);
    // In a text field Alt-b moves back a word: left alone.
    let mut app = app;
    app.handle_event(&Event::Key(KeyEvent::from(KeyCode::Char('/'))));
    assert!(app.tab_view(app.tab).captures_input());
    let alt_b = Event::Key(KeyEvent::new(KeyCode::Char('b'), KeyModifiers::ALT));
    assert_eq!(split_alt(&alt_b, &app), None);
}

#[test]
fn help_opens_at_the_tabs_section_and_end_reaches_its_last_line() {
    let mut app = demo_app();
    app.size = ratatui::layout::Rect::new(0, 0, 80, 24);
    press(&mut app, '4');
    press(&mut app, '?');
    let Some(Modal::Help { scroll }) = app.modal.clone() else {
        panic!("help is open: {:?}", app.modal)
    };
    let lines = crate::ui::help::lines(&app, app.size);
    let top = lines[usize::from(scroll)].to_string();
    assert_ne!(app.tab, crate::ui::tabs::Tab::Portfolio);
    assert!(
        top.starts_with(&format!("{} tab", app.tab.title())),
        "{top}"
    );
    let key = |code| crossterm::event::Event::Key(crossterm::event::KeyEvent::from(code));
    app.handle_event(&key(crossterm::event::KeyCode::End));
    let max = crate::ui::help::max_scroll(&app, app.size);
    assert_eq!(
        app.modal,
        Some(Modal::Help { scroll: max }),
        "End scrolls, not closes"
    );
    app.handle_event(&key(crossterm::event::KeyCode::Home));
    assert_eq!(app.modal, Some(Modal::Help { scroll: 0 }));
}

#[test]
fn help_has_a_glossary_with_thresholds_and_each_flags_rule() {
    let app = demo_app();
    let text: Vec<String> = crate::ui::help::lines(&app, ratatui::layout::Rect::new(0, 0, 80, 24))
        .iter()
        .map(ToString::to_string)
        .collect();
    for term in ["ARCR", "CFR", "SAS", "Health"] {
        assert!(
            text.iter().any(|l| l.trim_start().starts_with(term)),
            "{term} in the glossary"
        );
    }
    assert!(text.iter().any(|l| l.contains("2%")));
    assert!(
        text.iter()
            .any(|l| l.contains("CFR red") && l.contains("70%"))
    );
    assert!(
        text.iter().all(|l| l.chars().count() <= 74),
        "no line is cut at 80 columns"
    );
    assert!(
        !text.iter().any(|l| l.contains("(warn)")),
        "flags in words, not by code"
    );
}

#[test]
fn ctrl_c_quits_and_asks_first_when_unsaved() {
    let ctrl_c = crossterm::event::Event::Key(crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Char('c'),
        crossterm::event::KeyModifiers::CONTROL,
    ));
    let mut app = demo_app();
    assert_eq!(app.handle_event(&ctrl_c), vec![Effect::Quit]);
    app.doc.edit_current("rename", |a| a.partner.push('!'));
    assert_eq!(app.handle_event(&ctrl_c), Vec::new());
    assert_eq!(app.modal, Some(Modal::QuitUnsaved));
}
