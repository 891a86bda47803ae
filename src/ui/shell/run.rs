//! The main loop and the only place effects happen: terminal setup, input, drawing, saving.

use std::collections::VecDeque;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::Local;
use crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers,
};
use crossterm::execute;

use self::recovery::RecoveryWriter;
use super::App;
use super::signals;
use super::startup::{config_dir, prepare};
use crate::app::document::Source;
use crate::app::options::WorkspaceOptions;
use crate::app::safety::{self, Decision, LockOutcome, Question};
use crate::app::{Effect, EffectResult, Target};
use crate::store;
use crate::ui::keys::KeymapEvents as _;

/// Run the interactive workspace until the user quits.
pub fn run(options: &WorkspaceOptions) -> ExitCode {
    let config = config_dir();
    // A first run asks its two questions before the workspace takes the terminal.
    let welcome = super::onboarding::before_start(options);
    let mut app = match welcome
        .as_ref()
        .map_err(Clone::clone)
        .and_then(|_| prepare(options, config.as_deref()))
    {
        Ok(app) => app,
        Err(message) => {
            // The report quotes the file: never raw (SPEC §8).
            eprintln!("{}", crate::sanitize::terminal(&message));
            return ExitCode::from(2);
        }
    };
    if let Ok(Some(lines)) = welcome {
        super::onboarding::welcome(&mut app, lines);
    }
    if !io::IsTerminal::is_terminal(&io::stdout()) {
        eprintln!(
            "alliance-desk: the workspace needs a terminal; for scripts use check, score or export"
        );
        return ExitCode::FAILURE;
    }
    match run_terminal(app) {
        Ok(Ended::Quit) => ExitCode::SUCCESS,
        Ok(Ended::Signal(signal)) => ExitCode::from(signals::exit_code(signal)),
        Err(e) => {
            say(&format!("alliance-desk: {e:#}"));
            ExitCode::FAILURE
        }
    }
}

pub(super) fn restore_terminal() {
    let _ = execute!(io::stdout(), DisableMouseCapture, DisableBracketedPaste);
    // Not `ratatui::restore`, which prints its failure with `eprintln!`: a panic when the
    // terminal hung up.
    let _ = ratatui::try_restore();
}

/// Take the terminal (back): raw mode, the alternate screen, mouse and paste reporting.
fn take_terminal() -> io::Result<()> {
    crossterm::terminal::enable_raw_mode()?;
    execute!(
        io::stdout(),
        crossterm::terminal::EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    )
}

/// How the loop ended: the user quit, or a terminating signal arrived.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ended {
    Quit,
    Signal(i32),
}

fn run_terminal(mut app: App) -> anyhow::Result<Ended> {
    // Caught before the terminal changes, so a signal never finds it half set up.
    let mut watch = signals::Watch::install().ok();
    // ratatui's own hook restores the screen; ours also releases the mouse first.
    let mut terminal = ratatui::try_init().context("cannot start the terminal UI")?;
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        hook(info);
    }));
    execute!(io::stdout(), EnableMouseCapture, EnableBracketedPaste).context("terminal setup")?;
    let result = event_loop(&mut terminal, &mut app, watch.as_mut());
    // The terminal failed (it hung up, say): if a terminating signal came with that, the
    // workspace ends as for the signal.
    let result = match result {
        Err(e) => hung_up(watch.as_mut()).map_or(Err(e), |signal| Ok(Ended::Signal(signal))),
        ended => ended,
    };
    // Any end but a quit: the edits go to the recovery file first, then the terminal is given
    // back, then the lock is released (dropping `app`) before the process exits.
    let unclean = !matches!(result, Ok(Ended::Quit));
    if unclean {
        // A write still in flight on the worker could land after ours with older edits.
        settle_recovery(&mut app);
    }
    let lost = unclean.then(|| signals::flush_recovery(&app)).flatten();
    restore_terminal();
    // ratatui shows the cursor when its terminal is dropped and prints to stderr when it
    // cannot, which panics (and so aborts, before the lock is let go) when the terminal is
    // gone. The cursor is shown here instead, and a terminal that cannot show it is let go of.
    if terminal.show_cursor().is_err() {
        std::mem::forget(terminal);
    }
    if let Some(lost) = lost {
        say(&format!("alliance-desk: {lost}"));
    }
    drop(app);
    result
}

/// A line on stderr, if there still is one: after a hang-up writing there fails, and
/// `eprintln!` would panic.
fn say(line: &str) {
    let _ = writeln!(io::stderr().lock(), "{line}");
}

/// The terminating signal that came with a terminal failure, if one did: the hang-up's SIGHUP
/// may land a moment after the failed read or write it caused.
fn hung_up(watch: Option<&mut signals::Watch>) -> Option<i32> {
    let watch = watch?;
    for _ in 0..5 {
        if let Some(signals::Caught::Terminate(signal)) = watch.take() {
            return Some(signal);
        }
        std::thread::sleep(Duration::from_millis(40));
    }
    None
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    mut watch: Option<&mut signals::Watch>,
) -> anyhow::Result<Ended> {
    // crossterm installs its SIGWINCH handler when its event source is first used: poll once
    // before reading the size, so a resize that lands after the first frame is an event, not
    // lost (issue 12 item 8). Whatever this first poll finds stays queued for the loop.
    event::poll(Duration::ZERO)?;
    let mut pending = VecDeque::new();
    let size = terminal.size()?;
    app.size = ratatui::layout::Rect::new(0, 0, size.width, size.height);
    first_draw(terminal, app)?;
    let mut redraw = false;
    loop {
        if redraw {
            // Read the size at every frame as well: the screen is never drawn for a size the
            // terminal no longer has, whatever the order of the signal and the draw.
            let size = terminal.size()?;
            app.size = ratatui::layout::Rect::new(0, 0, size.width, size.height);
            terminal.draw(|frame| crate::ui::render(app, frame))?;
        }
        // Block on input. Wake once a second while a timer is on screen, when a recovery write
        // is due, every 2 s while idle with nothing unsaved (to notice changes on disk), and
        // every `CHECK_EVERY` to look for a caught signal (a signal cannot wake the poll).
        let now = Instant::now();
        let tick = app.ticking().then_some(Duration::from_secs(1));
        let mut wake = [
            tick,
            app.safety.wake_in(idle_check(app), now),
            recovery_wake(app),
            app.revenue_job.is_some().then_some(import::POLL_EVERY),
        ]
        .into_iter()
        .flatten()
        .min();
        if watch.is_some() {
            wake = Some(wake.map_or(signals::CHECK_EVERY, |w| w.min(signals::CHECK_EVERY)));
        }
        let event = match wake {
            Some(timeout) if !has_event(&pending, timeout)? => None,
            _ => Some(next_event(app, &mut pending)?),
        };
        redraw = event.is_some() || tick.is_some();
        let caught = watch.as_deref_mut().and_then(signals::Watch::take);
        if let Some(signals::Caught::Terminate(signal)) = caught {
            return Ok(Ended::Signal(signal));
        }
        if caught == Some(signals::Caught::Suspend)
            || event.as_ref().is_some_and(signals::is_suspend_key)
        {
            restore_terminal();
            signals::stop_here()?;
            take_terminal()?;
            redraw_all(terminal, app)?;
            redraw = true;
            continue;
        }
        if caught == Some(signals::Caught::Resumed) {
            // Stopped from outside (SIGSTOP) and continued: what the terminal shows now may not
            // be ours. Draw everything again.
            redraw_all(terminal, app)?;
            redraw = true;
        }
        if let Some(event) = event {
            let mut effects = app.handle_event(&event);
            // Drain what is already queued before drawing again, so key repeat never lags.
            while effects.is_empty() && has_event(&pending, Duration::ZERO)? {
                effects = app.handle_event(&next_event(app, &mut pending)?);
            }
            for effect in effects {
                if run_effect(app, effect) == Flow::Quit {
                    clean_quit(app);
                    return Ok(Ended::Quit);
                }
            }
            // Effects (reload, restore) may have replaced the model after the views synced.
            app.sync_views();
        }
        redraw |= background(app, Instant::now());
    }
}

/// Forget what the terminal showed, so the next frame draws every cell (after a stop, the
/// screen was the shell's), at its size now (it may have changed meanwhile). `resize` rather
/// than `clear`: it does not ask the terminal where the cursor is.
fn redraw_all(terminal: &mut ratatui::DefaultTerminal, app: &mut App) -> io::Result<()> {
    let size = terminal.size()?;
    app.size = ratatui::layout::Rect::new(0, 0, size.width, size.height);
    terminal.resize(app.size)
}

/// The first frame, and the recovery writer started for a file.
fn first_draw(terminal: &mut ratatui::DefaultTerminal, app: &mut App) -> anyhow::Result<()> {
    terminal.draw(|frame| crate::ui::render(app, frame))?;
    if wants_recovery(app) {
        app.recovery_writer = Some(RecoveryWriter::start());
    }
    Ok(())
}

/// Recovery writes are on for a file.
fn wants_recovery(app: &App) -> bool {
    app.safety.recovery && app.doc.path().is_some()
}

/// While a recovery write is in flight the loop wakes often enough to report its outcome
/// promptly; otherwise never for it.
fn recovery_wake(app: &App) -> Option<Duration> {
    app.recovery_writer
        .as_ref()
        .is_some_and(RecoveryWriter::busy)
        .then_some(Duration::from_millis(20))
}

/// Whether an event is waiting: one split off the last read, or one from the terminal within
/// `timeout`.
fn has_event(pending: &VecDeque<Event>, timeout: Duration) -> io::Result<bool> {
    Ok(!pending.is_empty() || event::poll(timeout)?)
}

/// The next event. An Esc followed at once by a character (a slow link, a busy machine, keys
/// typed ahead) reaches us as one Alt-character: when nothing is bound to that Alt-key it is
/// read as what was typed, Esc and then the character, so a dialog still closes.
fn next_event(app: &App, pending: &mut VecDeque<Event>) -> io::Result<Event> {
    if let Some(event) = pending.pop_front() {
        return Ok(event);
    }
    let event = event::read()?;
    match split_alt(&event, app) {
        Some((esc, key)) => {
            pending.push_back(key);
            Ok(esc)
        }
        None => Ok(event),
    }
}

/// An unbound Alt-character as the Esc and the character it was typed as. Not while a text
/// field or the path prompt has focus: there Alt-b and Alt-f move by words.
pub(super) fn split_alt(event: &Event, app: &App) -> Option<(Event, Event)> {
    if matches!(app.modal, Some(super::Modal::SaveAs { .. }))
        || (app.modal.is_none() && app.tab_view(app.tab).captures_input())
    {
        return None;
    }
    let Event::Key(key) = event else {
        return None;
    };
    let KeyCode::Char(c) = key.code else {
        return None;
    };
    if key.modifiers != KeyModifiers::ALT
        || key.kind == KeyEventKind::Release
        || app.keymap.action(key).is_some()
    {
        return None;
    }
    Some((
        Event::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)),
        Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
    ))
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
    changed |= collect_recovery(app, false);
    changed |= collect_revenue(app);
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

/// Report a revenue read's progress, or its plan once it is done. Whether anything changed.
fn collect_revenue(app: &mut App) -> bool {
    let Some(job) = app.revenue_job.as_mut() else {
        return false;
    };
    match job.poll() {
        import::Polled::Running(None) => false,
        import::Polled::Running(Some(news)) => {
            app.apply(news);
            true
        }
        import::Polled::Finished(result) => {
            app.revenue_job = None;
            app.apply(result);
            true
        }
    }
}

/// Report the recovery writes that finished (all of them, waiting, with `wait`), and ask for
/// one that fell due meanwhile. Returns whether anything was reported.
pub fn collect_recovery(app: &mut App, wait: bool) -> bool {
    let mut changed = false;
    loop {
        let Some(writer) = app.recovery_writer.as_mut() else {
            return changed;
        };
        let outcomes = if wait {
            writer.wait()
        } else {
            writer.finished()
        };
        let deferred = writer.take_deferred();
        for outcome in outcomes {
            if let Some(result) = recovery_result(app, outcome) {
                app.apply(result);
                changed = true;
            }
        }
        if !deferred {
            return changed;
        }
        if let Some(result) = write_recovery(app) {
            app.apply(result);
            changed = true;
        }
        if !wait {
            return changed;
        }
    }
}

/// Write (or, when the edits were undone back to the saved state, remove) the recovery file:
/// on the worker, from the document's changes since the last write; on this thread only if no
/// worker can run. Reports a failure, and the first success after one (the header stops
/// warning).
fn write_recovery(app: &mut App) -> Option<EffectResult> {
    let path = app.doc.path().cloned()?;
    if !app.safety.recovery {
        return None;
    }
    let dirty = app.doc.is_dirty();
    if !app
        .recovery_writer
        .as_ref()
        .is_some_and(RecoveryWriter::is_running)
    {
        // The first write after a save as, or after a lost worker.
        app.recovery_writer = Some(RecoveryWriter::start());
    }
    if let Some(writer) = app.recovery_writer.as_mut() {
        if writer.busy() {
            writer.defer();
            return None;
        }
        // A snapshot shares the alliances: this costs the input thread a list of pointers.
        let snapshot = dirty.then(|| app.doc.portfolio.clone());
        if writer.request(path.clone(), snapshot) {
            return None;
        }
        // The worker is gone: write here, and start another next time.
        app.recovery_writer = None;
    }
    let outcome = if dirty {
        store::write_recovery(&path, &app.doc.portfolio).map_err(|e| e.to_string())
    } else {
        store::remove_recovery(&path).map_err(|e| e.to_string())
    };
    recovery_result(app, outcome)
}

/// What a recovery write's outcome means for the header.
fn recovery_result(app: &App, outcome: Result<(), String>) -> Option<EffectResult> {
    match outcome {
        Ok(()) => app
            .safety
            .recovery_failing
            .is_some()
            .then_some(EffectResult::RecoveryWritten),
        // Never stop trying (SPEC §8): the next edit schedules another write, and until one
        // succeeds the header says the edits are not protected.
        Err(error) => Some(EffectResult::RecoveryFailed { error }),
    }
}

/// Let the recovery writes in flight finish before the recovery file is removed or the
/// portfolio saved, so that a late write cannot bring back a file just removed.
fn settle_recovery(app: &mut App) {
    if let Some(writer) = app.recovery_writer.as_mut() {
        for outcome in writer.wait() {
            if let Some(result) = recovery_result(app, outcome) {
                app.apply(result);
            }
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
    settle_recovery(app);
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
            // What the update step asked for while taking the result in (removing the
            // conflicts file after a save) runs before anything else.
            for next in std::mem::take(&mut app.follow_ups) {
                if run_effect(app, next) == Flow::Quit {
                    return Flow::Quit;
                }
            }
            Flow::Continue
        }
        None => Flow::Continue,
    }
}

/// Carry out `effects` as the loop does (results through [`App::apply`]); whether one quits.
#[cfg(test)]
pub(crate) fn run_effects(app: &mut App, effects: Vec<Effect>) -> bool {
    effects
        .into_iter()
        .any(|effect| run_effect(app, effect) == Flow::Quit)
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
        Effect::RemoveConflicts { path } => Some(match crate::merge::remove_conflicts(&path) {
            Ok(()) => EffectResult::ConflictsRemoved { path },
            Err(e) => EffectResult::ConflictsRemoveFailed {
                path,
                error: e.to_string(),
            },
        }),
        Effect::History {
            path,
            alliance,
            since,
        } => Some(EffectResult::History {
            before: crate::history::committed_on_or_before(&path, since)
                .map(|p| p.alliance(&alliance).cloned().map(Box::new))
                .map_err(|e| e.to_string()),
            alliance,
            since,
        }),
        Effect::Save => Some(publish::with_publish(app, |app| {
            save_checked(app, None, false)
        })),
        Effect::Publish => Some(publish::publish_now(app, None)),
        Effect::ReadRevenue { path, columns } => import::read(app, path, columns),
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
        Target::Portfolio => {
            publish::with_publish(app, |app| save_checked(app, Some(path), overwrite))
        }
        Target::PublishFolder => publish::publish_now(app, Some(path.display().to_string())),
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
    settle_recovery(app);
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
            settle_recovery(app);
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
        Decision::Overwrite => Some(publish::with_publish(app, |app| {
            save_checked(app, None, true)
        })),
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
                // A conflicts file that does not read was reported at start or is not ours to
                // judge here: the reload itself succeeded.
                conflicts: crate::merge::load_conflicts(&path).ok().flatten(),
                path,
                portfolio: Box::new(loaded.portfolio),
            }
        }
        Err(e) => EffectResult::ReloadFailed {
            message: e.to_string(),
        },
    })
}

pub mod import;
mod publish;
pub mod recovery;
#[cfg(test)]
mod tests;
