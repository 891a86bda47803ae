//! Drive the real `alliance-desk` binary in a pseudo-terminal and read its screen through a
//! VT parser. Shared by the end-to-end tests and the performance report (`#[path]`-included).

#![allow(dead_code, reason = "each includer uses a different part")]

use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

/// A running workspace in a pseudo-terminal.
pub struct Session {
    pub child: Box<dyn Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn std::io::Write + Send>,
    parser: Arc<Mutex<vt100::Parser>>,
    /// Bumped each time output arrives, to tell "the screen changed".
    pub bytes: Arc<Mutex<u64>>,
    pub started: Instant,
}

impl Session {
    /// Start `binary args…` at `cols`×`rows` with `home` as HOME and the XDG dirs (so no user
    /// config or data is touched).
    pub fn spawn(binary: &Path, args: &[&str], cols: u16, rows: u16, home: &Path) -> Self {
        let pty = native_pty_system();
        let pair = pty
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("openpty");
        let mut cmd = CommandBuilder::new(binary);
        cmd.args(args);
        cmd.cwd(home);
        cmd.env("HOME", home);
        cmd.env("XDG_CONFIG_HOME", home.join("config"));
        cmd.env("XDG_DATA_HOME", home.join("data"));
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("NO_COLOR");
        let started = Instant::now();
        let child = pair.slave.spawn_command(cmd).expect("spawn");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let writer = pair.master.take_writer().expect("writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZeroU16::new(rows).expect("rows"),
            std::num::NonZeroU16::new(cols).expect("cols"),
            0,
        )));
        let bytes = Arc::new(Mutex::new(0));
        {
            let parser = Arc::clone(&parser);
            let bytes = Arc::clone(&bytes);
            std::thread::spawn(move || {
                let mut buf = vec![0u8; 65536];
                while let Ok(n) = reader.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    parser.lock().unwrap().process(&buf[..n]);
                    *bytes.lock().unwrap() += n as u64;
                }
            });
        }
        Self {
            child,
            master: pair.master,
            writer,
            parser,
            bytes,
            started,
        }
    }

    /// The screen's text, rows joined by newlines.
    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Send raw bytes (keys as a terminal encodes them).
    pub fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).expect("write to pty");
        self.writer.flush().expect("flush pty");
    }

    /// Wait until `cond(screen)` holds; the screen on timeout as the error.
    pub fn wait_for(&self, timeout: Duration, cond: impl Fn(&str) -> bool) -> Result<(), String> {
        let end = Instant::now() + timeout;
        loop {
            let screen = self.screen();
            if cond(&screen) {
                return Ok(());
            }
            if Instant::now() > end {
                return Err(screen);
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    /// Wait until the text `needle` is on screen, or panic showing the screen.
    pub fn expect(&self, needle: &str, timeout: Duration) {
        if let Err(screen) = self.wait_for(timeout, |s| s.contains(needle)) {
            panic!("{needle:?} not on screen after {timeout:?}:\n{screen}");
        }
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("pid")
    }

    /// Whether the process is still running.
    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Wait for the process to exit; `None` on timeout.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<portable_pty::ExitStatus> {
        let end = Instant::now() + timeout;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            if Instant::now() > end {
                return None;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// SIGKILL: no chance to clean up, as when a terminal is killed or the machine dies.
    pub fn kill9(&mut self) {
        let status = std::process::Command::new("kill")
            .args(["-9", &self.pid().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success());
        self.wait_exit(Duration::from_secs(5)).expect("killed");
    }

    /// Keep the master open until the child is gone (dropping it hangs up the terminal).
    pub fn master(&self) -> &dyn MasterPty {
        self.master.as_ref()
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if self.alive() {
            let _ = self.child.kill();
        }
    }
}

/// Key encodings as a terminal sends them.
pub mod keys {
    pub const ENTER: &[u8] = b"\r";
    pub const ESC: &[u8] = b"\x1b";
    pub const TAB: &[u8] = b"\t";
    pub const BACKTAB: &[u8] = b"\x1b[Z";
    pub const UP: &[u8] = b"\x1b[A";
    pub const DOWN: &[u8] = b"\x1b[B";
    pub const RIGHT: &[u8] = b"\x1b[C";
    pub const LEFT: &[u8] = b"\x1b[D";
    pub const HOME: &[u8] = b"\x1b[H";
    pub const END: &[u8] = b"\x1b[F";
    pub const PGUP: &[u8] = b"\x1b[5~";
    pub const PGDN: &[u8] = b"\x1b[6~";
    pub const BACKSPACE: &[u8] = b"\x7f";
    pub const DELETE: &[u8] = b"\x1b[3~";
    pub const CTRL_S: &[u8] = b"\x13";
    pub const CTRL_R: &[u8] = b"\x12";
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
