//! The main loop and the only place effects happen: terminal setup, input, drawing, saving.

use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::Local;
use crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;

use super::questions;
use super::{App, Modal};
use crate::app::document::{Document, Source};
use crate::app::keymap::Keymap;
use crate::app::options::WorkspaceOptions;
use crate::app::safety::{self, Decision, LockOutcome, Question, Recovery};
use crate::app::{Effect, EffectResult, Target};
use crate::sample;
use crate::score;
use crate::store;
use crate::ui::theme::Theme;

/// The default portfolio path: `data_dir/alliance-desk/portfolio.ron`.
pub fn default_portfolio_path() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join("alliance-desk").join("portfolio.ron"))
}

/// The config dir holding `keys.ron` and `themes/`.
pub fn config_dir() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("alliance-desk"))
}

/// Everything loaded before the terminal is touched. A file that fails to load stops here, so
/// its message reaches a clean terminal.
pub fn prepare(options: &WorkspaceOptions, config_dir: Option<&Path>) -> Result<App, String> {
    let mut notices = Vec::new();
    let (loaded, source) = if options.demo {
        let loaded =
            store::parse(sample::NORTHWIND, sample::NORTHWIND_NAME).map_err(|e| e.to_string())?;
        (loaded, Source::Demo)
    } else {
        let path = if let Some(p) = &options.file {
            p.clone()
        } else {
            let path =
                default_portfolio_path().ok_or("no data directory on this system; pass a FILE")?;
            if !path.exists() {
                create_default(&path)?;
                notices.push(format!(
                    "Created your portfolio from the sample at {}",
                    path.display()
                ));
            }
            path
        };
        let loaded = store::load(&path).map_err(|e| {
            // A path that does not exist yet is most likely a new portfolio to start.
            if path.exists() {
                e.to_string()
            } else {
                format!(
                    "{e}\nTo start a new portfolio there: alliance-desk new {}",
                    path.display()
                )
            }
        })?;
        (loaded, Source::File(path))
    };
    notices.extend(loaded.warnings.iter().map(ToString::to_string));
    if loaded.has_comments {
        notices.push(
            "This file has comments; saving rewrites it canonically without them (the previous version is kept as FILE.bak)."
                .to_owned(),
        );
    }
    let today = Local::now().date_naive();
    let as_of = score::evaluation_date(&loaded.portfolio, options.as_of, today);
    let (safety, read_only, asked, safety_notices) =
        guard_file(&source, &loaded.portfolio, loaded.content_hash);
    notices.extend(safety_notices);
    let mut doc = Document::new(loaded.portfolio, as_of, source);
    doc.has_comments = loaded.has_comments;
    doc.read_only = read_only;

    let (keymap, key_warnings) = match config_dir.map(|d| d.join("keys.ron")) {
        Some(path) if path.exists() => match std::fs::read_to_string(&path) {
            Ok(text) => Keymap::with_user_file(&text, &path.display().to_string()),
            Err(e) => (
                Keymap::default(),
                vec![format!("{}: {e}; using the default keys", path.display())],
            ),
        },
        _ => (Keymap::default(), Vec::new()),
    };
    notices.extend(key_warnings);
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let (mut theme, theme_warning) =
        Theme::load(options.theme.as_deref().unwrap_or("dark"), config_dir);
    notices.extend(theme_warning);
    if no_color {
        theme = theme.without_colour();
    }
    let mut app = App::new(doc, theme, keymap);
    app.themes = crate::ui::theme::read_available(config_dir);
    app.config_dir = config_dir.map(Path::to_path_buf);
    app.no_color = no_color;
    app.safety = safety;
    // Questions first (the lock, then recovery), then the notices, one modal at a time.
    app.queued.extend(asked.into_iter().map(questions::ask));
    if !notices.is_empty() {
        app.queued.push_back(Modal::Notice {
            title: "Before you start".to_owned(),
            lines: notices,
        });
    }
    app.show_queued();
    Ok(app)
}

/// Make the file safe to edit: read-only detection, the lock, a recovery file from a crash.
/// Returns the state for the loop, why the document is read-only, questions and notices.
fn guard_file(
    source: &Source,
    portfolio: &crate::model::Portfolio,
    content_hash: u64,
) -> (safety::Safety, Option<String>, Vec<Question>, Vec<String>) {
    let mut state = safety::Safety::default();
    let mut questions = Vec::new();
    let mut notices = Vec::new();
    let Source::File(path) = source else {
        // The demo has no file beside which to keep recovery; it is never written in place.
        return (state, None, questions, notices);
    };
    state.loaded_hash = Some(content_hash);
    state.stamp = safety::Stamp::of(path);
    if let Some(why) = safety::read_only_reason(path) {
        notices.push(format!(
            "Opened read-only: {why}. You can look and try edits; saving offers another file."
        ));
        return (state, Some(why), questions, notices);
    }
    match safety::take_lock(path) {
        LockOutcome::Held { lock, notice } => {
            state.lock = Some(lock);
            notices.extend(notice);
        }
        LockOutcome::Busy { reason, question } => {
            // The recovery file, if any, belongs to the instance that holds the lock.
            questions.push(question);
            return (state, Some(reason), questions, notices);
        }
        LockOutcome::Unavailable { notice } => notices.push(notice),
    }
    state.recovery = true;
    match safety::find_recovery(path, portfolio) {
        Recovery::None => {}
        Recovery::Offer {
            portfolio,
            question,
        } => {
            state.pending_recovery = Some(portfolio);
            questions.push(question);
        }
        Recovery::Notice(n) => notices.push(n),
    }
    (state, None, questions, notices)
}

fn create_default(path: &Path) -> Result<(), String> {
    let dir = path
        .parent()
        .ok_or("the default portfolio path has no folder")?;
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    std::fs::write(path, sample::NORTHWIND)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Run the interactive workspace until the user quits.
pub fn run(options: &WorkspaceOptions) -> ExitCode {
    let config = config_dir();
    let app = match prepare(options, config.as_deref()) {
        Ok(app) => app,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    if !io::IsTerminal::is_terminal(&io::stdout()) {
        eprintln!(
            "alliance-desk: the workspace needs a terminal; for scripts use check, score or export"
        );
        return ExitCode::FAILURE;
    }
    match run_terminal(app) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("alliance-desk: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn restore_terminal() {
    let _ = execute!(io::stdout(), DisableMouseCapture, DisableBracketedPaste);
    ratatui::restore();
}

fn run_terminal(mut app: App) -> anyhow::Result<()> {
    // ratatui's own hook restores the screen; ours also releases the mouse first.
    let mut terminal = ratatui::try_init().context("cannot start the terminal UI")?;
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        hook(info);
    }));
    execute!(io::stdout(), EnableMouseCapture, EnableBracketedPaste).context("terminal setup")?;
    let result = event_loop(&mut terminal, &mut app);
    restore_terminal();
    result
}

fn event_loop(terminal: &mut ratatui::DefaultTerminal, app: &mut App) -> anyhow::Result<()> {
    let size = terminal.size()?;
    app.size = ratatui::layout::Rect::new(0, 0, size.width, size.height);
    let mut redraw = true;
    loop {
        if redraw {
            terminal.draw(|frame| crate::ui::render(app, frame))?;
        }
        // Block on input. Wake once a second while a timer is on screen, when a recovery write
        // is due, and every 2 s while idle with nothing unsaved (to notice changes on disk) —
        // otherwise sleep until a key arrives, so an idle workspace costs no CPU.
        let now = Instant::now();
        let tick = app.ticking().then_some(Duration::from_secs(1));
        let wake = match (tick, app.safety.wake_in(idle_check(app), now)) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let event = match wake {
            Some(timeout) if !event::poll(timeout)? => None,
            _ => Some(event::read()?),
        };
        redraw = event.is_some() || tick.is_some();
        if let Some(event) = event {
            let mut effects = app.handle_event(&event);
            // Drain what is already queued before drawing again, so key repeat never lags.
            while effects.is_empty() && event::poll(Duration::ZERO)? {
                effects = app.handle_event(&event::read()?);
            }
            for effect in effects {
                if run_effect(app, effect) == Flow::Quit {
                    clean_quit(app);
                    return Ok(());
                }
            }
            // Effects (reload, restore) may have replaced the model after the views synced.
            app.sync_views();
        }
        redraw |= background(app, Instant::now());
    }
}

/// The idle check runs only with a file, nothing unsaved and no question open.
fn idle_check(app: &App) -> bool {
    app.doc.path().is_some() && !app.doc.is_dirty() && app.modal.is_none()
}

/// Work between events: the recovery write, the on-disk check, the next queued question.
/// Returns whether the screen changed.
pub fn background(app: &mut App, now: Instant) -> bool {
    let mut changed = false;
    app.safety.note_revision(app.doc.revision, now);
    if app.safety.take_recovery_due(now)
        && let Some(result) = write_recovery(app)
    {
        app.apply(result);
        changed = true;
    }
    if idle_check(app)
        && app.safety.take_disk_check_due(now)
        && let Some(result) = check_disk(app)
    {
        app.apply(result);
        changed = true;
    }
    changed | app.show_queued()
}

/// Write (or, when the edits were undone back to the saved state, remove) the recovery file.
/// Reports only a failure: a written recovery file is nothing to tell.
fn write_recovery(app: &mut App) -> Option<EffectResult> {
    let path = app.doc.path().cloned()?;
    if !app.safety.recovery {
        return None;
    }
    let result = if app.doc.is_dirty() {
        store::write_recovery(&path, &app.doc.portfolio).map_err(|e| e.to_string())
    } else {
        store::remove_recovery(&path).map_err(|e| e.to_string())
    };
    match result {
        Ok(()) => None,
        Err(error) => {
            // Say it once, then stop trying: the user can still save.
            app.safety.recovery = false;
            Some(EffectResult::RecoveryFailed { error })
        }
    }
}

/// The file's size or mtime moved while nothing is unsaved: if its content really changed,
/// report it (the update step offers to reload).
fn check_disk(app: &mut App) -> Option<EffectResult> {
    let path = app.doc.path().cloned()?;
    let stamp = safety::Stamp::of(&path);
    if stamp == app.safety.stamp {
        return None;
    }
    app.safety.stamp = stamp;
    let hash = store::disk_hash(&path)?;
    if Some(hash) == app.safety.loaded_hash || Some(hash) == app.safety.ignored_hash {
        return None;
    }
    app.safety.ignored_hash = Some(hash);
    Some(EffectResult::ChangedOnDisk { path })
}

/// A clean quit: the recovery file is no longer needed (the user saved, or chose to discard).
fn clean_quit(app: &mut App) {
    if app.safety.recovery
        && let Some(path) = app.doc.path()
    {
        let _ = store::remove_recovery(path);
    }
    app.safety.lock = None;
}

#[derive(Debug, PartialEq, Eq)]
enum Flow {
    Continue,
    Quit,
}

/// Carry out one effect and feed its result back through [`App::apply`].
fn run_effect(app: &mut App, effect: Effect) -> Flow {
    match perform(app, effect) {
        Some(EffectResult::Quit) => Flow::Quit,
        Some(result) => {
            app.apply(result);
            Flow::Continue
        }
        None => Flow::Continue,
    }
}

/// The I/O of one effect; what came of it is returned, never shown here.
fn perform(app: &mut App, effect: Effect) -> Option<EffectResult> {
    match effect {
        Effect::Quit => {
            // "Save and quit" must not quit when the save failed or stopped to ask.
            if app.doc.is_dirty() && app.modal.is_some() {
                return None;
            }
            Some(EffectResult::Quit)
        }
        Effect::Decide(decision) => decide(app, decision),
        Effect::Save => Some(save_checked(app, None, false)),
        Effect::WriteTo { path, target } => Some(write_to(app, path, target, false)),
        Effect::WriteFile {
            path,
            contents,
            done,
        } => {
            let target = Target::Text {
                contents,
                done,
                named: path.clone(),
            };
            if app.doc.source == Source::Demo && path.is_relative() {
                // The sample has no folder of its own: a bare name would land wherever the
                // program was started, unasked. Ask where, starting from that name.
                Some(EffectResult::PathNeeded {
                    input: path.display().to_string(),
                    reason: Some("The sample has no folder: choose where to write it.".to_owned()),
                    target,
                })
            } else {
                Some(write_to(app, path, target, false))
            }
        }
    }
}

/// Write `target` to `path`, a path the user chose. A file there that is not the open
/// portfolio is replaced only once the user said so (`overwrite`): otherwise they are asked.
fn write_to(app: &mut App, path: PathBuf, target: Target, overwrite: bool) -> EffectResult {
    match target {
        Target::Portfolio => save_checked(app, Some(path), overwrite),
        Target::Text {
            contents,
            done,
            named,
        } => {
            if is_open_portfolio(app, &path) {
                return EffectResult::NotWritten { path };
            }
            if !overwrite && path.exists() {
                let target = Target::Text {
                    contents,
                    done,
                    named,
                };
                app.safety.pending_write = Some((path.clone(), target));
                return EffectResult::Ask(Question::Overwrite { path });
            }
            match store::write_atomic(&path, contents.as_bytes()) {
                // `done` names the suggested path; say where it really went.
                Ok(()) => EffectResult::Written {
                    status: done.replace(&named.display().to_string(), &path.display().to_string()),
                },
                Err(store::SaveError::Io { source, .. }) => EffectResult::WriteFailed {
                    path,
                    error: source.to_string(),
                },
                Err(e) => EffectResult::WriteFailed {
                    path,
                    error: e.to_string(),
                },
            }
        }
    }
}

/// Whether `path` is the open portfolio's file, however it is spelled (`./p.ron`, a link).
fn is_open_portfolio(app: &App, path: &Path) -> bool {
    let Some(own) = app.doc.path() else {
        return false;
    };
    own == path
        || matches!(
            (std::fs::canonicalize(own), std::fs::canonicalize(path)),
            (Ok(a), Ok(b)) if a == b
        )
}

/// Save to the document's file, or to `target` (save as). A file changed on disk since it was
/// loaded is not overwritten, nor is another existing file: the user is asked.
pub fn save(app: &mut App, target: Option<PathBuf>) {
    let result = save_checked(app, target, false);
    app.apply(result);
}

/// `overwrite`: the user already agreed to replace what is on disk (the open file changed
/// there, or save as onto an existing file).
fn save_checked(app: &mut App, target: Option<PathBuf>, overwrite: bool) -> EffectResult {
    let path = match (target, app.doc.path()) {
        (Some(p), _) => p,
        (None, Some(p)) => p.clone(),
        (None, None) => {
            return EffectResult::SaveAsNeeded {
                reason: Some("The sample is not saved in place: choose a file.".to_owned()),
            };
        }
    };
    let same_file = is_open_portfolio(app, &path);
    if let (Some(why), true) = (&app.doc.read_only, same_file) {
        return EffectResult::SaveAsNeeded {
            reason: Some(format!("Cannot save here: {why}. Save a copy instead?")),
        };
    }
    if same_file && !overwrite {
        let on_disk = store::disk_hash(&path);
        // A file deleted meanwhile is simply written again: nothing would be overwritten.
        if on_disk.is_some() && on_disk != app.safety.loaded_hash {
            return EffectResult::Ask(Question::SaveConflict { path });
        }
    }
    if !same_file && !overwrite && path.exists() {
        app.safety.pending_write = Some((path.clone(), Target::Portfolio));
        return EffectResult::Ask(Question::Overwrite { path });
    }
    // Save as: become the new file's one writer first, or refuse.
    let new_lock = if same_file {
        None
    } else {
        match safety::take_lock(&path) {
            LockOutcome::Held { lock, .. } => Some(lock),
            LockOutcome::Busy { reason, .. } => {
                return EffectResult::SaveAsNeeded {
                    reason: Some(format!("Cannot save to {}: {reason}", path.display())),
                };
            }
            LockOutcome::Unavailable { .. } => None,
        }
    };
    let kept_backup = path.is_file();
    match store::save(&path, &app.doc.portfolio) {
        Ok(()) => {
            if !same_file {
                if app.safety.recovery
                    && let Some(old) = app.doc.path()
                {
                    let _ = store::remove_recovery(old);
                }
                app.safety.lock = new_lock;
                app.safety.recovery = true;
            }
            let _ = store::remove_recovery(&path);
            app.safety.remember_disk(&path);
            EffectResult::Saved { path, kept_backup }
        }
        // Save as would not help: the edits themselves need fixing. They stay unsaved (and in
        // the recovery file) meanwhile.
        Err(store::SaveError::Invalid { problems, .. }) => EffectResult::SaveRefused {
            problems: problems.iter().map(ToString::to_string).collect(),
        },
        Err(e) => EffectResult::SaveFailed {
            reason: e.to_string(),
        },
    }
}

/// Carry out the answer to a file-safety question: the I/O it needs, if any. Answers that
/// only change what is on screen go straight back to the update step.
fn decide(app: &mut App, decision: Decision) -> Option<EffectResult> {
    match decision {
        Decision::DiscardRecovery => {
            app.safety.pending_recovery = None;
            if let Some(path) = app.doc.path() {
                let _ = store::remove_recovery(path);
            }
            Some(EffectResult::Decided(decision))
        }
        Decision::ShowRecoveryDiff => {
            let (Some(p), Some(path)) = (&app.safety.pending_recovery, app.doc.path()) else {
                return None;
            };
            let when = std::fs::metadata(store::recovery_path(path))
                .and_then(|m| m.modified())
                .map_or_else(
                    |_| "an earlier session".to_owned(),
                    |t| {
                        chrono::DateTime::<Local>::from(t)
                            .format("%Y-%m-%d %H:%M:%S")
                            .to_string()
                    },
                );
            let differences = Some(safety::differences(&app.doc.portfolio, p));
            Some(EffectResult::Ask(Question::Recovery { when, differences }))
        }
        Decision::Reload if app.doc.is_dirty() => Some(EffectResult::Ask(Question::ConfirmReload)),
        Decision::Reload | Decision::ReloadConfirmed => reload(app),
        Decision::Overwrite => Some(save_checked(app, None, true)),
        Decision::OverwriteFile => {
            let (path, target) = app.safety.pending_write.take()?;
            Some(write_to(app, path, target, true))
        }
        Decision::Quit => Some(EffectResult::Quit),
        Decision::RestoreRecovery
        | Decision::IgnoreDiskChange
        | Decision::SaveAs
        | Decision::ChooseAnotherPath
        | Decision::OpenReadOnly
        | Decision::Cancel => Some(EffectResult::Decided(decision)),
    }
}

/// Read the file on disk again, for the update step to put in place as one undoable edit.
fn reload(app: &mut App) -> Option<EffectResult> {
    let path = app.doc.path().cloned()?;
    Some(match store::load(&path) {
        Ok(loaded) => {
            app.safety.loaded_hash = Some(loaded.content_hash);
            app.safety.stamp = safety::Stamp::of(&path);
            app.safety.ignored_hash = None;
            EffectResult::Reloaded {
                path,
                portfolio: Box::new(loaded.portfolio),
            }
        }
        Err(e) => EffectResult::ReloadFailed {
            message: e.to_string(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let Some(Modal::Notice { lines, .. }) = &app.modal else {
            panic!("expected the warnings notice")
        };
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
        let mut app = prepare(
            &WorkspaceOptions {
                file: Some(path.to_owned()),
                ..WorkspaceOptions::default()
            },
            None,
        )
        .unwrap();
        // The sample has comments: close the notice about them.
        if matches!(app.modal, Some(Modal::Notice { .. })) {
            app.modal = None;
        }
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
        let recovered = safety::read_recovery(&recovery).unwrap();
        assert_eq!(recovered, app.doc.portfolio);
        save(&mut app, None);
        assert!(app.modal.is_none(), "{:?}", app.modal);
        assert!(!recovery.exists(), "a save removes it");
        app.doc.edit_current("notes", |a| a.notes = "again".into());
        let t = t + Duration::from_secs(10);
        background(&mut app, t);
        background(&mut app, t + safety::RECOVERY_DELAY);
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
        let Some(Modal::Notice { lines, .. }) = &app.modal else {
            panic!()
        };
        assert!(lines.iter().any(|l| l.starts_with("Opened read-only")));
        app.modal = None;
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
}
