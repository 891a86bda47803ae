//! The file boundary in a real pseudo-terminal (SPEC §7, §8; issue 13): signals end or stop
//! the workspace cleanly, and share mode follows the shared alliance by id across a reload.

mod support;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use alliance_desk::app::safety::{self, LockOutcome};
use alliance_desk::model::Portfolio;
use alliance_desk::store;
use support::{Session, WAIT, keys};

fn start(file: &Path, home: &Path) -> Session {
    Session::start(&[file.to_str().unwrap()], home, 120, 40)
}

fn signal(s: &Session, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &s.pid().to_string()])
        .status()
        .expect("run kill");
    assert!(status.success(), "kill -{name}");
}

/// Whether the workspace holds the terminal: alternate screen, mouse reporting, raw mode.
fn held(s: &Session) -> bool {
    let (alternate, mouse) = s.with_screen(|screen| {
        (
            screen.alternate_screen(),
            screen.mouse_protocol_mode() != vt100::MouseProtocolMode::None,
        )
    });
    alternate && mouse && !s.local_flags().contains("ICANON")
}

/// Whether the terminal is as the shell left it: main screen, no mouse reporting, cooked.
fn given_back(s: &Session) -> bool {
    let (alternate, mouse) = s.with_screen(|screen| {
        (
            screen.alternate_screen(),
            screen.mouse_protocol_mode() != vt100::MouseProtocolMode::None,
        )
    });
    let flags = s.local_flags();
    !alternate && !mouse && flags.contains("ICANON") && flags.contains("ECHO")
}

fn wait(what: &str, cond: impl Fn() -> bool) {
    let end = std::time::Instant::now() + WAIT;
    while !cond() {
        assert!(
            std::time::Instant::now() < end,
            "waited {WAIT:?} for {what}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The process is stopped (Linux `/proc/PID/stat` state `T`).
fn stopped(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| {
            s.rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().next().map(|st| st == "T"))
        })
        .unwrap_or(false)
}

#[test]
fn sigterm_writes_recovery_gives_the_terminal_back_releases_the_lock_and_exits_143() {
    let home = support::temp_home();
    let portfolio = alliance_desk::generate::generate(4, 3);
    let path = support::write_portfolio(home.path(), "p.ron", &portfolio);
    let mut s = start(&path, home.path());
    s.wait_for(&portfolio.brand, WAIT);
    wait("the workspace to take the terminal", || held(&s));
    unsaved_status_edit(&mut s);
    signal(&s, "TERM");
    let status = s.wait_exit(WAIT).expect("SIGTERM ends the workspace");
    assert_eq!(status.exit_code(), 143, "128 + SIGTERM");
    assert_recovered_and_released(&path, &portfolio);
    wait("the terminal to be given back", || given_back(&s));
}

#[test]
fn sighup_without_edits_exits_129_and_leaves_no_recovery() {
    let home = support::temp_home();
    let portfolio = alliance_desk::generate::generate(2, 5);
    let path = support::write_portfolio(home.path(), "p.ron", &portfolio);
    let mut s = start(&path, home.path());
    s.wait_for(&portfolio.brand, WAIT);
    signal(&s, "HUP");
    let status = s.wait_exit(WAIT).expect("SIGHUP ends the workspace");
    assert_eq!(status.exit_code(), 129);
    assert!(!store::recovery_path(&path).exists());
    assert!(matches!(safety::take_lock(&path), LockOutcome::Held { .. }));
}

#[test]
fn a_closed_terminal_ends_the_workspace_with_the_edits_in_the_recovery_file() {
    let home = support::temp_home();
    let portfolio = alliance_desk::generate::generate(2, 5);
    let path = support::write_portfolio(home.path(), "p.ron", &portfolio);
    let mut s = start(&path, home.path());
    s.wait_for(&portfolio.brand, WAIT);
    unsaved_status_edit(&mut s);
    // Reading a hung-up terminal gives end-of-file forever; the workspace must still end
    // (it used to spin at full speed, holding the lock).
    s.hang_up();
    let status = s.wait_exit(WAIT).expect("a hang-up ends the workspace");
    assert_eq!(status.exit_code(), 129, "128 + SIGHUP ({status:?})");
    assert_recovered_and_released(&path, &portfolio);
}

/// An unsaved edit: Enter opens the quick edit, → steps the first alliance's status.
fn unsaved_status_edit(s: &mut Session) {
    s.send(keys::ENTER);
    std::thread::sleep(Duration::from_millis(60));
    s.send(keys::RIGHT);
    s.wait_for("●unsaved", WAIT);
}

/// After the workspace ended: the edit of [`unsaved_status_edit`] is in the recovery file,
/// the portfolio itself is untouched and the lock was released.
fn assert_recovered_and_released(path: &Path, portfolio: &Portfolio) {
    let recovery = store::recovery_path(path);
    assert!(
        recovery.exists(),
        "the unsaved edit reached the recovery file"
    );
    let recovered = store::load(&recovery).expect("the recovery file loads");
    assert_ne!(
        recovered.portfolio.alliances[0].status, portfolio.alliances[0].status,
        "the recovery file holds the edit"
    );
    assert_eq!(
        store::load(path).unwrap().portfolio,
        *portfolio,
        "the portfolio itself is untouched"
    );
    assert!(
        matches!(safety::take_lock(path), LockOutcome::Held { .. }),
        "the lock was released"
    );
}

#[test]
fn sigtstp_gives_the_terminal_back_and_sigcont_takes_it_again_and_redraws() {
    let home = support::temp_home();
    let portfolio = alliance_desk::generate::generate(3, 9);
    let path = support::write_portfolio(home.path(), "p.ron", &portfolio);
    let mut s = start(&path, home.path());
    s.wait_for(&portfolio.brand, WAIT);
    wait("the workspace to take the terminal", || held(&s));
    signal(&s, "TSTP");
    wait("the terminal to be given back", || given_back(&s));
    wait("the process to stop", || stopped(s.pid()));
    assert!(
        !s.screen().contains(&portfolio.brand),
        "the main screen is back"
    );
    signal(&s, "CONT");
    wait("the workspace to take the terminal again", || held(&s));
    s.wait_for(&portfolio.brand, WAIT);
    s.wait_for("1 Portfolio", WAIT);
    // Still working: q quits a workspace with nothing unsaved.
    s.send("q");
    assert_eq!(s.wait_exit(WAIT).expect("q quits").exit_code(), 0);
}

#[test]
fn ctrl_z_stops_like_sigtstp() {
    let home = support::temp_home();
    let portfolio = alliance_desk::generate::generate(2, 11);
    let path = support::write_portfolio(home.path(), "p.ron", &portfolio);
    let mut s = start(&path, home.path());
    s.wait_for(&portfolio.brand, WAIT);
    wait("the workspace to take the terminal", || held(&s));
    s.send("\x1a");
    wait("the terminal to be given back", || given_back(&s));
    wait("the process to stop", || stopped(s.pid()));
    signal(&s, "CONT");
    wait("the workspace to take the terminal again", || held(&s));
    s.wait_for(&portfolio.brand, WAIT);
    s.send("q");
    assert_eq!(s.wait_exit(WAIT).expect("q quits").exit_code(), 0);
}

#[test]
fn share_mode_says_the_shared_alliance_is_gone_after_a_reload_and_names_no_one_else() {
    let home = support::temp_home();
    let portfolio = alliance_desk::generate::generate(4, 21);
    let path = support::write_portfolio(home.path(), "p.ron", &portfolio);
    let shared = &portfolio.alliances[0];
    let mut s = start(&path, home.path());
    s.wait_for(&portfolio.brand, WAIT);
    s.send("s");
    s.wait_for(&format!("SHARING: {}", shared.partner), WAIT);
    // Another program removes the shared alliance from the file.
    let mut edited = portfolio.clone();
    edited.alliances.remove(0);
    store::save(&path, &edited).expect("edit the file on disk");
    s.wait_for("Changed on disk", WAIT);
    s.send("r");
    let screen = s.wait_for("the shared alliance is gone", WAIT);
    for other in &edited.alliances {
        let short: String = other.partner.chars().take(8).collect();
        assert!(
            !screen.contains(&short),
            "shows {}:\n{screen}",
            other.partner
        );
    }
    // Keys cannot reach another partner either.
    for k in ["j", keys::ENTER, "2", "3", "4"] {
        s.press(k);
    }
    let screen = s.wait_for("the shared alliance is gone", WAIT);
    for other in &edited.alliances {
        let short: String = other.partner.chars().take(8).collect();
        assert!(
            !screen.contains(&short),
            "shows {}:\n{screen}",
            other.partner
        );
    }
    s.send("s");
    s.wait_for("Share mode off", WAIT);
    s.send("q");
    assert_eq!(s.wait_exit(WAIT).expect("q quits").exit_code(), 0);
}
