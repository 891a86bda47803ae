//! Everything loaded before the terminal is touched: the file (or the sample), its safety
//! (lock, recovery), the keymap and theme from the config folder, and the start-up notices.

use std::path::{Path, PathBuf};

use chrono::Local;

use super::App;
use super::questions;
use crate::app::document::{Document, Source};
use crate::app::keymap::Keymap;
use crate::app::options::WorkspaceOptions;
use crate::app::safety::{self, LockOutcome, Question, Recovery};
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
                // The first run asks on a terminal (`onboarding`); without one it cannot.
                return Err(format!(
                    "no portfolio yet at {}: run alliance-desk in a terminal to create it, or \
                     alliance-desk new FILE; alliance-desk --demo opens a worked example",
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
    let today = Local::now().date_naive();
    let as_of = score::evaluation_date(&loaded.portfolio, options.as_of, today);
    let (safety, read_only, asked, safety_notices) =
        guard_file(&source, &loaded.portfolio, loaded.content_hash);
    notices.extend(safety_notices);
    let mut doc = Document::new(loaded.portfolio, as_of, source);
    doc.read_only = read_only;
    if options.as_of.is_none() {
        doc.follows_pinned_as_of = Some(today);
    }

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
    // Only questions open a dialog (the lock, then recovery), one at a time. Notices go to
    // the status line and help, and never take a key (issue 12 item 1).
    app.queued.extend(asked.into_iter().map(questions::ask));
    app.status = notice_summary(&notices);
    app.notices = notices;
    // Merge conflicts the git driver left beside the file, last: settled on the loaded file.
    if let Some(path) = app.doc.path().cloned() {
        match crate::merge::load_conflicts(&path) {
            Ok(Some(file)) => app.offer_conflicts(&path, file),
            Ok(None) => {}
            Err(message) => {
                let line = format!(
                    "Merge conflicts not read: {}",
                    crate::sanitize::terminal_line(&message)
                );
                app.status = Some(line.clone());
                app.notices.push(line);
            }
        }
    }
    app.show_queued();
    Ok(app)
}

/// The status line for the start-up notices: the first one, and how many more help lists.
fn notice_summary(notices: &[String]) -> Option<String> {
    let first = notices.first()?.lines().next().unwrap_or_default();
    Some(match notices.len() {
        1 => format!("Note: {first}"),
        n => format!("Note: {first} (+{} more: ? then Home lists them)", n - 1),
    })
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
    if let Some(notice) = store::hard_link_notice(path) {
        // A save would split the file in two (SPEC §8): read-only unless saved under a new name.
        questions.push(Question::HardLinked {
            path: path.clone(),
            notice,
        });
        let why = "it has other names (hard links); a save would split it".to_owned();
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
            state.pending_recovery = Some(*portfolio);
            questions.push(question);
        }
        Recovery::Notice(n) => notices.push(n),
    }
    (state, None, questions, notices)
}
