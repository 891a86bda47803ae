//! Signals (SPEC §8): a terminating signal (SIGTERM, SIGINT, SIGHUP, SIGQUIT) writes any
//! pending recovery, gives the terminal back and releases the lock before the process exits
//! with 128 + the signal; SIGTSTP (and `Ctrl-z`, which raw mode delivers as a key) gives the
//! terminal back and stops; SIGCONT takes it again and redraws everything.
//!
//! The handlers only record the signal (signal-hook's iterator, a self-pipe underneath); the
//! main loop picks it up between events, so everything done about it runs on the loop's own
//! thread with the workspace's state at hand.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use signal_hook::consts::signal::{SIGCONT, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP};
use signal_hook::iterator::Signals;

use super::App;
use crate::store;

/// The longest the loop blocks on input before looking at caught signals: a signal cannot
/// wake the terminal's event poll, so this bounds how late it is acted on.
pub const CHECK_EVERY: Duration = Duration::from_millis(150);

/// The signals that end the workspace.
const TERMINATING: [i32; 4] = [SIGTERM, SIGINT, SIGHUP, SIGQUIT];

/// What a caught signal asks of the loop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Caught {
    /// End now with exit code 128 + the signal.
    Terminate(i32),
    /// Give the terminal back and stop (SIGTSTP).
    Suspend,
    /// We were continued (SIGCONT): take the terminal back and redraw.
    Resumed,
}

/// The signals the workspace handles, caught since the loop last looked, and whether the
/// terminal hung up.
pub struct Watch {
    signals: Signals,
    hung_up: Arc<AtomicBool>,
}

impl Watch {
    /// Start catching the signals; from here on they no longer kill or stop the process.
    pub fn install() -> io::Result<Self> {
        let mut all = TERMINATING.to_vec();
        all.extend([SIGTSTP, SIGCONT]);
        let signals = Signals::new(all)?;
        let hung_up = guard_hangup()?;
        Ok(Self { signals, hung_up })
    }

    /// What the caught signals ask, most urgent first: ending beats stopping beats redrawing.
    /// A terminal that hung up ends the workspace as its SIGHUP would.
    pub fn take(&mut self) -> Option<Caught> {
        let hung_up = self
            .hung_up
            .load(Ordering::Acquire)
            .then_some(Caught::Terminate(SIGHUP));
        self.signals
            .pending()
            .map(classify)
            .chain(hung_up)
            .min_by_key(|c| match c {
                Caught::Terminate(_) => 0,
                Caught::Suspend => 1,
                Caught::Resumed => 2,
            })
    }
}

/// When the terminal hangs up (its window closed, the SSH link dropped), reading it gives
/// end-of-file at once, forever, and crossterm's reader retries such a read in place without
/// returning: the loop would never look at the hang-up, and the process would spin at full
/// speed holding the lock, its edits never written to the recovery file. A guard thread waits
/// for the hang-up on standard input, puts an empty non-blocking pipe in its place — the
/// reader's next read finds nothing and returns — and raises the flag the loop looks at.
fn guard_hangup() -> io::Result<Arc<AtomicBool>> {
    use rustix::event::{PollFd, PollFlags, poll};
    use rustix::pipe::{PipeFlags, pipe_with};
    let (empty, writer) = pipe_with(PipeFlags::CLOEXEC | PipeFlags::NONBLOCK)?;
    let hung_up = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&hung_up);
    std::thread::Builder::new()
        .name("hangup".to_owned())
        .spawn(move || {
            let stdin = io::stdin();
            loop {
                // No events asked: a hang-up (or an error) is always reported.
                let mut fds = [PollFd::new(&stdin, PollFlags::empty())];
                match poll(&mut fds, None) {
                    // Standard input cannot be watched: nothing to guard.
                    Ok(_) if fds[0].revents().contains(PollFlags::NVAL) => return,
                    Ok(_) if fds[0].revents().intersects(PollFlags::HUP | PollFlags::ERR) => break,
                    Ok(_) | Err(rustix::io::Errno::INTR) => {}
                    Err(_) => return,
                }
            }
            // Failing, there is nothing better to do: the loop still ends at its next look.
            let _ = rustix::stdio::dup2_stdin(&empty);
            // With its writer open the pipe never reads as end-of-file.
            std::mem::forget(writer);
            flag.store(true, Ordering::Release);
        })?;
    Ok(hung_up)
}

fn classify(signal: i32) -> Caught {
    match signal {
        SIGTSTP => Caught::Suspend,
        SIGCONT => Caught::Resumed,
        other => Caught::Terminate(other),
    }
}

/// The exit status after a terminating signal: 128 + its number, as a shell reports it.
pub fn exit_code(signal: i32) -> u8 {
    u8::try_from(128 + signal).unwrap_or(u8::MAX)
}

/// `Ctrl-z`: in raw mode the terminal sends it as a key instead of stopping us.
pub fn is_suspend_key(event: &Event) -> bool {
    matches!(
        event,
        Event::Key(KeyEvent {
            code: KeyCode::Char('z' | 'Z'),
            modifiers,
            kind: KeyEventKind::Press | KeyEventKind::Repeat,
            ..
        }) if modifiers.contains(KeyModifiers::CONTROL)
    )
}

/// Before a terminating signal ends the process: write the unsaved edits to the recovery file
/// now, without waiting for the usual delay, so the next start offers them. Returns the
/// failure, to be reported once the terminal is back.
pub fn flush_recovery(app: &App) -> Option<String> {
    if !app.safety.recovery || !app.doc.is_dirty() {
        return None;
    }
    let path = app.doc.path()?;
    store::write_recovery(path, &app.doc.portfolio)
        .err()
        .map(|e| format!("unsaved edits could not be written to the recovery file: {e}"))
}

/// Stop the process as SIGTSTP would have (the caller gave the terminal back first); returns
/// once continued.
pub fn stop_here() -> io::Result<()> {
    signal_hook::low_level::emulate_default_handler(SIGTSTP)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminating_signals_exit_with_128_plus_their_number() {
        assert_eq!(exit_code(SIGTERM), 143);
        assert_eq!(exit_code(SIGINT), 130);
        assert_eq!(exit_code(SIGHUP), 129);
        assert_eq!(exit_code(SIGQUIT), 131);
        for s in TERMINATING {
            assert_eq!(classify(s), Caught::Terminate(s));
        }
        assert_eq!(classify(SIGTSTP), Caught::Suspend);
        assert_eq!(classify(SIGCONT), Caught::Resumed);
    }

    #[test]
    fn ctrl_z_is_the_suspend_key_and_z_alone_is_not() {
        let ctrl_z = Event::Key(KeyEvent::new(KeyCode::Char('z'), KeyModifiers::CONTROL));
        assert!(is_suspend_key(&ctrl_z));
        let z = Event::Key(KeyEvent::new(KeyCode::Char('z'), KeyModifiers::NONE));
        assert!(!is_suspend_key(&z));
    }
}
