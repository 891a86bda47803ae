//! End to end in a pseudo-terminal: the real binary, killed with SIGKILL mid-edit, recovers the
//! edit at the next start; a second instance is told who holds the file; and a soak of 10,000
//! random keys across every tab at 80×24 and 120×40 neither panics nor hangs, and what it saves
//! loads and passes `check`.

#[path = "common/pty.rs"]
mod pty;

use std::path::Path;
use std::time::Duration;

use alliance_desk::store;
use pty::{Session, keys};

const BIN: &str = env!("CARGO_BIN_EXE_alliance-desk");
const WAIT: Duration = Duration::from_secs(10);

fn start(file: &Path, home: &Path, cols: u16, rows: u16) -> Session {
    Session::spawn(Path::new(BIN), &[file.to_str().unwrap()], cols, rows, home)
}

fn pause() {
    // Lets a lone Esc reach the app as Esc, not as the start of an escape sequence.
    std::thread::sleep(Duration::from_millis(60));
}

#[test]
fn an_edit_survives_sigkill_and_is_offered_at_the_next_start() {
    let home = pty::temp_home();
    let portfolio = alliance_desk::generate::generate(5, 7);
    let path = pty::write_portfolio(home.path(), "p.ron", &portfolio);
    let first = &portfolio.alliances[0];
    let mut s = start(&path, home.path(), 120, 40);
    s.expect(&portfolio.brand, WAIT);
    // Portfolio tab: Enter opens the quick edit on the current alliance, → steps its status.
    s.send(keys::ENTER);
    pause();
    s.send(keys::RIGHT);
    s.expect("●unsaved", WAIT);
    s.send(keys::ESC);
    s.expect("undo: status of", WAIT);
    let recovery = store::recovery_path(&path);
    let written = (0..100).any(|_| {
        std::thread::sleep(Duration::from_millis(50));
        recovery.exists()
    });
    assert!(written, "no recovery file within 5 s of the edit");
    s.kill9();
    assert!(recovery.exists(), "SIGKILL leaves the recovery file");
    assert_eq!(
        store::load(&path).unwrap().portfolio,
        portfolio,
        "the file itself is untouched"
    );
    drop(s);

    let mut s = start(&path, home.path(), 120, 40);
    s.expect("Recover unsaved edits?", WAIT);
    // The killed instance's lock record is stale: taken over with a notice after the question.
    s.send(b"v");
    s.expect(&format!("~ {} ({}): status", first.id, first.partner), WAIT);
    s.send(b"r");
    s.expect("Took over a stale lock", WAIT);
    s.send(keys::ENTER);
    s.expect("undo: restore unsaved edits", WAIT);
    s.send(keys::CTRL_S);
    s.expect("Saved", WAIT);
    s.send(b"q");
    assert!(s.wait_exit(WAIT).is_some(), "q quits a saved workspace");
    let saved = store::load(&path).unwrap().portfolio;
    assert_ne!(
        saved.alliances[0].status, first.status,
        "the edit was saved"
    );
    assert!(
        !recovery.exists(),
        "a save and a clean quit remove the recovery file"
    );
}

#[test]
fn a_second_instance_is_told_who_holds_the_file() {
    let home = pty::temp_home();
    let portfolio = alliance_desk::generate::generate(3, 1);
    let path = pty::write_portfolio(home.path(), "p.ron", &portfolio);
    let mut a = start(&path, home.path(), 100, 30);
    a.expect(&portfolio.brand, WAIT);
    let mut b = start(&path, home.path(), 100, 30);
    b.expect("Already open elsewhere", WAIT);
    b.expect(&format!("process {}", a.pid()), WAIT);
    b.send(b"r");
    b.expect("READ-ONLY: open elsewhere, pid", WAIT);
    b.send(b"q");
    assert!(b.wait_exit(WAIT).is_some());
    a.send(b"q");
    assert!(a.wait_exit(WAIT).is_some());
}

/// A small seeded generator (xorshift), so a failing soak can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Keys a user might press anywhere: every binding, text, editing and navigation keys. Ctrl-c
/// is left out (it is not bound; a terminal would send SIGINT in cooked mode anyway).
const KEYS: &[&[u8]] = &[
    b"1",
    b"2",
    b"3",
    b"4",
    b"5",
    keys::TAB,
    keys::BACKTAB,
    keys::UP,
    keys::DOWN,
    keys::LEFT,
    keys::RIGHT,
    keys::PGUP,
    keys::PGDN,
    keys::HOME,
    keys::END,
    keys::ENTER,
    keys::ESC,
    b"a",
    b"d",
    b"x",
    b" ",
    b"/",
    b"s",
    b"v",
    b"r",
    b"t",
    b"u",
    keys::CTRL_R,
    b"?",
    b"j",
    b"k",
    b"y",
    b"n",
    b"o",
    b"O",
    b"f",
    b"+",
    b"-",
    b"e",
    b"z",
    b"9",
    b"0",
    b".",
    b",",
    b"Q",
    keys::BACKSPACE,
    keys::DELETE,
    keys::CTRL_S,
];

fn soak(cols: u16, rows: u16, seed: u64, presses: usize) {
    let home = pty::temp_home();
    let portfolio = alliance_desk::generate::generate(50, seed);
    let path = pty::write_portfolio(home.path(), "soak.ron", &portfolio);
    let mut s = start(&path, home.path(), cols, rows);
    s.expect(&portfolio.brand, WAIT);
    let mut restarts = 0;
    let mut last = Vec::new();
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    for i in 0..presses {
        // `q` is rare, so sessions run long enough to reach deep states before a quit.
        let roll = rng.next();
        let key = if roll.is_multiple_of(400) {
            b"q"
        } else {
            KEYS[(roll / 400 % KEYS.len() as u64) as usize]
        };
        s.send(key);
        last.push(String::from_utf8_lossy(key).into_owned());
        if std::env::var_os("SOAK_DEBUG").is_some() {
            std::thread::sleep(Duration::from_millis(40));
        }
        if key == keys::ESC {
            pause();
        } else if i % 64 == 0 {
            // Let the app catch up now and then, so keys are read as keys, not pasted runs.
            std::thread::sleep(Duration::from_millis(2));
        }
        if !s.alive() {
            // A clean quit (`q`, or `q` then an answer to the quit prompt) is allowed: reopen
            // and go on. Anything else is a failure.
            let status = s.wait_exit(WAIT).unwrap();
            assert!(
                status.success(),
                "exit after {i} keys: {status:?}\n{}",
                s.screen()
            );
            restarts += 1;
            if std::env::var_os("SOAK_DEBUG").is_some() {
                eprintln!(
                    "quit at key {i}: last keys {:?}",
                    &last[last.len().saturating_sub(4)..]
                );
            }
            drop(s);
            s = start(&path, home.path(), cols, rows);
            s.wait_for(WAIT, |sc| sc.contains("Portfolio"))
                .unwrap_or_else(|sc| panic!("restart after {i} keys:\n{sc}"));
        }
    }
    eprintln!("soak {cols}x{rows}: {presses} keys, {restarts} clean quits and restarts");
    // Leave every field and modal, save (answer a save-as prompt with a path), quit.
    for _ in 0..3 {
        s.send(keys::ESC);
        pause();
    }
    s.send(keys::CTRL_S);
    std::thread::sleep(Duration::from_millis(300));
    let screen = s.screen();
    if screen.contains("Save as") || screen.contains("Save stopped") {
        s.send(keys::ESC);
        pause();
    }
    s.send(b"q");
    std::thread::sleep(Duration::from_millis(300));
    if s.alive() {
        // The quit prompt: save and quit.
        s.send(b"y");
    }
    let status = s
        .wait_exit(WAIT)
        .unwrap_or_else(|| panic!("did not quit:\n{}", s.screen()));
    assert!(status.success(), "{status:?}");
    let loaded = store::load(&path).unwrap_or_else(|e| panic!("the saved file does not load: {e}"));
    assert!(!loaded.portfolio.alliances.is_empty() || portfolio.alliances.is_empty());
    let check = std::process::Command::new(BIN)
        .args(["check", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "check failed: {}",
        String::from_utf8_lossy(&check.stderr)
    );
}

/// How many keys the soak sends per size (`SOAK_KEYS` overrides; 10,000 by default).
fn presses() -> usize {
    std::env::var("SOAK_KEYS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000)
}

#[test]
fn soak_80x24() {
    soak(80, 24, 1, presses());
}

#[test]
fn soak_120x40() {
    soak(120, 40, 2, presses());
}
