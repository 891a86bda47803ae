//! Drive the real `alliance-desk` binary in a pseudo-terminal and read its screen through a VT
//! parser. Shared by the end-to-end tests (`mod support;`) and the performance report
//! (`#[path]`-included), so it stays out of the shipped crate.
//!
//! Waits that can time out return the screen as the error (`wait_until`, `wait_exit`);
//! `wait_for` is the asserting shorthand that panics with the screen instead.

#![allow(dead_code, reason = "each includer uses a different part")]

use std::io::{Read as _, Write as _};
use std::num::NonZeroU16;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};

/// The crate's binary, as Cargo builds it for integration tests.
#[cfg(test)]
pub const BIN: &str = env!("CARGO_BIN_EXE_alliance-desk");

/// The binary under test: [`BIN`], or `ALLIANCE_DESK_BIN` when set (to soak a copy of a build
/// while the tree is rebuilt).
#[cfg(test)]
pub fn bin() -> PathBuf {
    std::env::var_os("ALLIANCE_DESK_BIN").map_or_else(|| PathBuf::from(BIN), PathBuf::from)
}

/// How long the tests wait for a screen or an exit.
pub const WAIT: Duration = Duration::from_secs(10);

/// How long the app must stay asleep with no new output for [`Session::settle`] to call it
/// idle.
const QUIET: Duration = Duration::from_millis(60);

/// How often the waits look at the screen or the process.
const POLL: Duration = Duration::from_millis(2);

/// Key encodings as a terminal sends them.
pub mod keys {
    pub const ENTER: &str = "\r";
    /// Esc as terminals with the keyboard protocol send it (`CSI 27 u`): unambiguous however
    /// fast the next key follows. A lone ESC byte followed by another key before the app reads
    /// it is, to any terminal program, Alt and that key; a person never types that fast, but a
    /// test writing into a busy machine's pty does. [`LONE_ESC`] is the legacy byte.
    pub const ESC: &str = "\x1b[27u";
    /// The legacy Esc byte: send it only with a pause after it.
    pub const LONE_ESC: &str = "\x1b";
    pub const TAB: &str = "\t";
    pub const BACKTAB: &str = "\x1b[Z";
    pub const UP: &str = "\x1b[A";
    pub const DOWN: &str = "\x1b[B";
    pub const RIGHT: &str = "\x1b[C";
    pub const LEFT: &str = "\x1b[D";
    pub const HOME: &str = "\x1b[H";
    pub const END: &str = "\x1b[F";
    pub const PGUP: &str = "\x1b[5~";
    pub const PGDN: &str = "\x1b[6~";
    pub const BACKSPACE: &str = "\x7f";
    pub const DELETE: &str = "\x1b[3~";
    pub const CTRL_E: &str = "\x05";
    pub const CTRL_N: &str = "\x0e";
    pub const CTRL_R: &str = "\x12";
    pub const CTRL_S: &str = "\x13";
    pub const CTRL_U: &str = "\x15";
}

fn nz(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).unwrap_or(NonZeroU16::MIN)
}

fn size(cols: u16, rows: u16) -> PtySize {
    PtySize {
        rows,
        cols,
        pixel_width: 0,
        pixel_height: 0,
    }
}

/// A running `alliance-desk` in a pseudo-terminal; killed on drop if still running.
pub struct Session {
    /// Held so the child does not see a hang-up before the session ends; also resizes.
    /// `None` once [`Session::hang_up`] closed it.
    master: Option<Box<dyn MasterPty + Send>>,
    writer: Option<Box<dyn std::io::Write + Send>>,
    /// Tells the output reader to let go of its end of the terminal.
    hanging_up: Arc<std::sync::atomic::AtomicBool>,
    child: Box<dyn Child + Send + Sync>,
    parser: Arc<Mutex<vt100::Parser>>,
    /// Bytes of output read so far: it moves when the screen changes.
    bytes: Arc<AtomicU64>,
    started: Instant,
}

impl Session {
    /// Start the crate's binary with `args`; see [`Session::spawn`].
    #[cfg(test)]
    pub fn start(args: &[&str], home: &Path, cols: u16, rows: u16) -> Self {
        Self::spawn(&bin(), args, home, cols, rows)
    }

    /// [`Session::start`] with extra environment variables (`NO_COLOR=1`…).
    #[cfg(test)]
    pub fn start_with_env(
        args: &[&str],
        env: &[(&str, &str)],
        home: &Path,
        cols: u16,
        rows: u16,
    ) -> Self {
        Self::spawn_with_env(&bin(), args, env, home, cols, rows)
    }

    /// Start `binary args…` in a `cols`×`rows` terminal, in `home` with HOME and the XDG config
    /// and data dirs pointed there, so the user's own files are never touched.
    pub fn spawn(binary: &Path, args: &[&str], home: &Path, cols: u16, rows: u16) -> Self {
        Self::spawn_with_env(binary, args, &[], home, cols, rows)
    }

    /// [`Session::spawn`] with extra environment variables.
    pub fn spawn_with_env(
        binary: &Path,
        args: &[&str],
        env: &[(&str, &str)],
        home: &Path,
        cols: u16,
        rows: u16,
    ) -> Self {
        let pair = native_pty_system()
            .openpty(size(cols, rows))
            .expect("open a pty");
        let mut cmd = CommandBuilder::new(binary);
        cmd.args(args);
        cmd.cwd(home);
        cmd.env("HOME", home);
        cmd.env("XDG_CONFIG_HOME", home.join("config"));
        cmd.env("XDG_DATA_HOME", home.join("data"));
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("NO_COLOR");
        for (key, value) in env {
            cmd.env(key, value);
        }
        let started = Instant::now();
        let child = pair.slave.spawn_command(cmd).expect("spawn alliance-desk");
        drop(pair.slave);
        let parser = Arc::new(Mutex::new(vt100::Parser::new(nz(rows), nz(cols), 0)));
        let bytes = Arc::new(AtomicU64::new(0));
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let (sink, count) = (Arc::clone(&parser), Arc::clone(&bytes));
        let hanging_up = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stop = Arc::clone(&hanging_up);
        std::thread::spawn(move || {
            let mut buf = vec![0u8; 65536];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || stop.load(Ordering::Acquire) {
                    break;
                }
                if let Ok(mut p) = sink.lock() {
                    p.process(&buf[..n]);
                }
                count.fetch_add(n as u64, Ordering::Release);
            }
        });
        let writer = pair.master.take_writer().expect("pty writer");
        Self {
            master: Some(pair.master),
            writer: Some(writer),
            hanging_up,
            child,
            parser,
            bytes,
            started,
        }
    }

    /// When the process was spawned.
    pub fn started(&self) -> Instant {
        self.started
    }

    /// Bytes of output read so far; a change means the screen changed.
    pub fn bytes_read(&self) -> u64 {
        self.bytes.load(Ordering::Acquire)
    }

    /// The screen as text, rows joined by newlines.
    pub fn screen(&self) -> String {
        self.parser
            .lock()
            .map(|p| p.screen().contents())
            .unwrap_or_default()
    }

    /// Whether the cell at `row`, `col` (0-based) is drawn in reverse video.
    pub fn inverse_at(&self, row: u16, col: u16) -> bool {
        self.parser
            .lock()
            .ok()
            .and_then(|p| p.screen().cell(row, col).map(vt100::Cell::inverse))
            .unwrap_or(false)
    }

    /// Whether any cell on screen has a colour (foreground or background) other than the
    /// terminal's default.
    pub fn any_colour(&self) -> bool {
        let Ok(p) = self.parser.lock() else {
            return false;
        };
        let (rows, cols) = p.screen().size();
        (0..rows.get()).any(|r| {
            (0..cols.get()).any(|c| {
                p.screen().cell(r, c).is_some_and(|cell| {
                    cell.fgcolor() != vt100::Color::Default
                        || cell.bgcolor() != vt100::Color::Default
                })
            })
        })
    }

    /// Write `keys` (text, or key encodings from [`keys`]) and return at once.
    pub fn send(&mut self, keys: &str) {
        let writer = self.writer.as_mut().expect("the terminal is still there");
        writer.write_all(keys.as_bytes()).expect("write to pty");
        writer.flush().expect("flush pty");
    }

    /// Send `keys`, then wait until the app has read and drawn them ([`Session::settle`]), as
    /// a person typing would, so separate presses are never read as one escape sequence.
    pub fn press(&mut self, keys: &str) {
        self.send(keys);
        self.settle(WAIT);
    }

    /// Wait until the app has caught up: every thread of it asleep (blocked on input, not
    /// runnable) and no new output, both for [`QUIET`]. A busy or descheduled app is runnable,
    /// so this does not depend on how loaded the machine is, as a fixed sleep would. Returns
    /// whether it caught up within `timeout`.
    pub fn settle(&self, timeout: Duration) -> bool {
        let end = Instant::now() + timeout;
        let mut last = self.bytes_read();
        let mut quiet_since: Option<Instant> = None;
        loop {
            let bytes = self.bytes_read();
            if bytes != last || !self.asleep() {
                last = bytes;
                quiet_since = None;
            } else if quiet_since.is_some_and(|t| t.elapsed() >= QUIET) {
                return true;
            } else if quiet_since.is_none() {
                quiet_since = Some(Instant::now());
            }
            if Instant::now() > end {
                return false;
            }
            std::thread::sleep(POLL);
        }
    }

    /// Whether every thread of the app is asleep (state `S` in `/proc`) or gone. Without `/proc`, or
    /// once the process is gone, only the output is watched.
    fn asleep(&self) -> bool {
        let Some(pid) = self.child.process_id() else {
            return true;
        };
        let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
            return true;
        };
        tasks.flatten().all(|task| {
            std::fs::read_to_string(task.path().join("stat")).map_or(true, |stat| {
                // `pid (comm) S …`: the state follows the last `)` (comm may hold one).
                stat.rsplit_once(')')
                    .and_then(|(_, rest)| rest.trim_start().chars().next())
                    // S: blocked; Z/X: exited, waiting to be reaped.
                    .is_none_or(|state| matches!(state, 'S' | 'Z' | 'X'))
            })
        })
    }

    /// Wait until `cond(screen)` holds: the screen, or on timeout the screen as the error.
    pub fn wait_until(
        &self,
        timeout: Duration,
        cond: impl Fn(&str) -> bool,
    ) -> Result<String, String> {
        let end = Instant::now() + timeout;
        loop {
            let screen = self.screen();
            if cond(&screen) {
                return Ok(screen);
            }
            if Instant::now() > end {
                return Err(screen);
            }
            std::thread::sleep(POLL);
        }
    }

    /// Wait until the screen contains `needle` and return it; panics with the screen on timeout.
    pub fn wait_for(&self, needle: &str, timeout: Duration) -> String {
        self.wait_until(timeout, |s| s.contains(needle))
            .unwrap_or_else(|screen| panic!("waited {timeout:?} for {needle:?}; screen:\n{screen}"))
    }

    /// Resize the terminal (the app gets SIGWINCH) and the parser with it.
    pub fn resize(&self, cols: u16, rows: u16) {
        // Hold the parser while the terminal resizes, so the redraw that follows is never
        // parsed at the old size (a race under load).
        let mut parser = self.parser.lock().expect("parser lock");
        parser.screen_mut().set_size(nz(rows), nz(cols));
        self.master
            .as_ref()
            .expect("the terminal is still there")
            .resize(size(cols, rows))
            .expect("resize pty");
    }

    /// Read the terminal's state as the VT parser sees it (alternate screen, mouse mode…).
    pub fn with_screen<R>(&self, f: impl FnOnce(&vt100::Screen) -> R) -> R {
        let parser = self.parser.lock().expect("parser lock");
        f(parser.screen())
    }

    /// The pty's local mode flags as words (`ICANON | ECHO | ISIG …`): cooked or raw.
    pub fn local_flags(&self) -> String {
        self.master
            .as_ref()
            .and_then(|m| m.get_termios())
            .map(|t| format!("{:?}", t.local_flags))
            .unwrap_or_default()
    }

    /// Close the terminal, as when its window is closed or the SSH link drops: the app sees a
    /// hang-up (SIGHUP, and end-of-file on every read).
    pub fn hang_up(&mut self) {
        self.hanging_up.store(true, Ordering::Release);
        // A resize makes the app draw, which wakes the output reader to let go of its end.
        if let Some(master) = &self.master {
            let _ = master.resize(size(81, 25));
        }
        self.writer = None;
        self.master = None;
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("pid")
    }

    /// Whether the process is still running.
    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Wait for the process to exit: its status, or on timeout the screen as the error.
    pub fn wait_exit(&mut self, timeout: Duration) -> Result<ExitStatus, String> {
        let end = Instant::now() + timeout;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Ok(status);
            }
            if Instant::now() > end {
                return Err(self.screen());
            }
            std::thread::sleep(POLL);
        }
    }

    /// SIGKILL: no chance to clean up, as when a terminal is killed or the machine dies.
    pub fn sigkill(&mut self) {
        let status = std::process::Command::new("kill")
            .args(["-9", &self.pid().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success());
        self.wait_exit(Duration::from_secs(5)).expect("killed");
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if self.alive() {
            let _ = self.child.kill();
        }
    }
}

/// A fresh temporary home for one session.
pub fn temp_home() -> tempfile::TempDir {
    tempfile::tempdir().expect("tempdir")
}

/// Write `portfolio` canonically to `dir/name`.
pub fn write_portfolio(
    dir: &Path,
    name: &str,
    portfolio: &alliance_desk::model::Portfolio,
) -> PathBuf {
    let path = dir.join(name);
    alliance_desk::store::save(&path, portfolio).expect("write portfolio");
    path
}
