//! The main loop and the only place effects happen: terminal setup, input, drawing, saving.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use chrono::Local;
use crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;

use super::document::{Document, Source};
use super::keymap::Keymap;
use super::{App, Effect, Modal};
use crate::cli::WorkspaceOptions;
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
        let loaded = store::load(&path).map_err(|e| e.to_string())?;
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
    let mut doc = Document::new(loaded.portfolio, as_of, source);
    doc.has_comments = loaded.has_comments;

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
    app.themes = Theme::available(config_dir);
    app.config_dir = config_dir.map(Path::to_path_buf);
    app.no_color = no_color;
    if !notices.is_empty() {
        app.modal = Some(Modal::Notice {
            title: "Before you start".to_owned(),
            lines: notices,
        });
    }
    Ok(app)
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
    loop {
        terminal.draw(|frame| crate::ui::render(app, frame))?;
        // Block on input; wake once a second only while a timer is on screen.
        let event = if app.ticking() {
            if event::poll(Duration::from_secs(1))? {
                Some(event::read()?)
            } else {
                None
            }
        } else {
            Some(event::read()?)
        };
        let Some(event) = event else { continue };
        let mut effects = app.handle_event(&event);
        // Drain what is already queued before drawing again, so key repeat never lags.
        while effects.is_empty() && event::poll(Duration::ZERO)? {
            effects = app.handle_event(&event::read()?);
        }
        for effect in effects {
            if run_effect(app, effect) == Flow::Quit {
                return Ok(());
            }
        }
    }
}

#[derive(PartialEq, Eq)]
enum Flow {
    Continue,
    Quit,
}

/// Carry out one effect. Public to the crate so tests can run effects without a terminal.
fn run_effect(app: &mut App, effect: Effect) -> Flow {
    match effect {
        Effect::Quit => {
            // "Save and quit" must not quit when the save failed.
            if app.doc.is_dirty()
                && matches!(app.modal, Some(Modal::Notice { .. } | Modal::SaveAs { .. }))
            {
                return Flow::Continue;
            }
            return Flow::Quit;
        }
        Effect::Save => save(app, None),
        Effect::SaveAs(path) => save(app, Some(path)),
        Effect::WriteFile {
            path,
            contents,
            done,
        } => {
            app.status = Some(match write_text(&path, &contents) {
                Ok(()) => done,
                Err(e) => format!("Could not write {}: {e}", path.display()),
            });
        }
        Effect::SwitchTab(tab) => app.tab = tab,
    }
    Flow::Continue
}

/// Save to the document's file, or to `target` (save as).
pub fn save(app: &mut App, target: Option<PathBuf>) {
    let path = match (target, app.doc.path()) {
        (Some(p), _) => p,
        (None, Some(p)) => p.clone(),
        (None, None) => {
            app.ask_save_as(Some(
                "The sample is not saved in place: choose a file.".to_owned(),
            ));
            return;
        }
    };
    if let (Some(why), true) = (&app.doc.read_only, Some(&path) == app.doc.path()) {
        let why = why.clone();
        app.ask_save_as(Some(format!(
            "Cannot save here: {why}. Save a copy instead?"
        )));
        return;
    }
    match store::save(&path, &app.doc.portfolio) {
        Ok(()) => {
            app.doc.mark_saved();
            app.doc.source = Source::File(path.clone());
            app.doc.has_comments = false;
            app.status = Some(format!(
                "Saved {} (previous version kept as .bak)",
                path.display()
            ));
        }
        Err(e) => {
            app.ask_save_as(Some(format!("Could not save {}: {e}", path.display())));
        }
    }
}

fn write_text(path: &Path, contents: &str) -> io::Result<()> {
    let mut file = atomic_write_file::AtomicWriteFile::open(path)?;
    file.write_all(contents.as_bytes())?;
    file.commit()
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
            app.keymap.describe(super::super::action::Action::Quit),
            "Ctrl-q"
        );
    }
}
