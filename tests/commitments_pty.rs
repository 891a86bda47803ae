//! End to end in a pseudo-terminal: the real binary on a temp portfolio, keys typed as a person
//! would, the screen read through a VT parser, and the file checked on disk afterwards.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use alliance_desk::{sample, store};
use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const ROWS: u16 = 40;
const COLS: u16 = 120;

struct Session {
    screen: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    /// Held so the child does not see a hang-up before the test ends.
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Session {
    fn start(file: &Path, home: &Path) -> Self {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_alliance-desk"));
        cmd.arg(file);
        cmd.env("TERM", "xterm-256color");
        // Keep the user's own keymap, themes and data out of the test.
        cmd.env("HOME", home);
        cmd.env("XDG_CONFIG_HOME", home.join("config"));
        cmd.env("XDG_DATA_HOME", home.join("data"));
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZero::new(ROWS).unwrap(),
            std::num::NonZero::new(COLS).unwrap(),
            0,
        )));
        let feed = Arc::clone(&screen);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                feed.lock().unwrap().process(&buf[..n]);
            }
        });
        Self {
            screen,
            writer,
            child,
            _master: pair.master,
        }
    }

    fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    fn wait_for(&self, text: &str) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(15) {
            if self.contents().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(30));
        }
        panic!(
            "waited for {text:?}; the screen shows:\n{}",
            self.contents()
        );
    }

    fn keys(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).unwrap();
        self.writer.flush().unwrap();
    }
}

#[test]
fn mark_a_commitment_done_save_and_quit() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("portfolio.ron");
    let portfolio = store::parse(sample::NORTHWIND, "sample").unwrap().portfolio;
    let as_of = portfolio.as_of.unwrap();
    store::save(&file, &portfolio).unwrap();
    let glow = portfolio.alliance("glow").unwrap();
    let open: Vec<u32> = glow
        .commitments
        .iter()
        .filter(|c| c.done.is_none() && c.due < as_of)
        .map(|c| c.id)
        .collect();
    let target = open[0];

    let mut s = Session::start(&file, dir.path());
    s.wait_for("1 Portfolio");
    s.keys(b"3");
    s.wait_for("Commitments · Glow & Co");
    // Quick filter "overdue" (all → us → partner → open → overdue), then mark the first done.
    s.keys(b"ffff");
    s.wait_for("filter: overdue");
    s.keys(b"x");
    s.wait_for(&format!("#{target} done on {as_of}"));
    s.keys(b"\x13"); // Ctrl-s
    s.wait_for("Saved");
    s.keys(b"q");
    let start = Instant::now();
    let status = loop {
        if let Some(status) = s.child.try_wait().unwrap() {
            break status;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "did not quit");
        std::thread::sleep(Duration::from_millis(30));
    };
    assert!(status.success());

    let saved = store::load(&file).unwrap().portfolio;
    let c = saved
        .alliance("glow")
        .unwrap()
        .commitments
        .iter()
        .find(|c| c.id == target)
        .unwrap();
    assert_eq!(c.done, Some(as_of));
    assert!(store::backup_path(&file).exists());
}
