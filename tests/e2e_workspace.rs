//! End to end: the real binary in a pseudo-terminal, read through a VT parser.

mod support;

use alliance_desk::score::FlagCode;
use support::keys::{CTRL_S, DOWN, ENTER, ESC, HOME, LEFT};
use support::{Session, WAIT};

fn sample_copy(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("northwind.ron");
    std::fs::write(&path, alliance_desk::sample::NORTHWIND).expect("write sample copy");
    path
}

#[test]
fn edit_a_health_score_save_and_quit() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = sample_copy(dir.path());
    let mut s = Session::start(&[path.to_str().expect("utf-8 path")], dir.path(), 120, 40);
    s.wait_for("Weekly pulse", WAIT);
    // Brightside Box is the 6th alliance, exactly on the 12/20 threshold.
    for _ in 0..5 {
        s.press(DOWN);
    }
    s.wait_for("current: Brightside Box", WAIT);
    s.press(ENTER);
    s.press(DOWN);
    s.press(LEFT);
    s.wait_for("Health 11/20: below 12", WAIT);
    s.press(ESC);
    let screen = s.wait_for("health <12", WAIT);
    assert!(screen.contains("●unsaved"), "{screen}");
    s.press(CTRL_S);
    s.wait_for("Saved", WAIT);
    s.press("q");
    assert_eq!(s.wait_exit(WAIT).map(|e| e.exit_code()), Ok(0));

    let loaded = alliance_desk::store::load(&path).expect("saved file loads");
    let as_of = loaded.portfolio.as_of.expect("pinned");
    let scores = alliance_desk::score::score(&loaded.portfolio, as_of);
    let brightside = scores
        .alliances
        .iter()
        .find(|a| a.id == "brightside")
        .expect("present");
    assert_eq!(brightside.health.as_ref().map(|h| h.total), Some(11));
    assert!(brightside.has_flag(FlagCode::HealthConversation));
    assert!(
        path.with_extension("ron.bak").exists(),
        "the previous version is kept"
    );
}

#[test]
fn too_small_then_resized_and_quit_asks_when_unsaved() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut s = Session::start(&["--demo"], dir.path(), 60, 20);
    s.wait_for("enlarge", WAIT);
    s.resize(100, 30);
    s.wait_for("Weekly pulse", WAIT);
    s.press("s");
    s.wait_for("SHARING: Glow & Co", WAIT);
    s.press("s");
    s.press(ENTER);
    s.press(DOWN);
    s.press("2"); // a digit inside the popup sets a score, it does not switch tabs
    s.wait_for("Strategic alignment      ‹      2", WAIT);
    s.press(ESC);
    s.press("q");
    s.wait_for("not saved", WAIT);
    s.press("n");
    assert_eq!(s.wait_exit(WAIT).map(|e| e.exit_code()), Ok(0));
    assert_eq!(
        std::fs::read_dir(dir.path()).map_or(0, Iterator::count),
        0,
        "--demo writes nothing"
    );
}

/// Issue 12 item 1: notices at start (comments in the file, a stale lock taken over after a
/// killed run) go to the status line and help; the first key acts on the workspace.
#[test]
fn the_first_key_acts_on_a_file_with_comments_and_after_a_killed_run() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = sample_copy(dir.path());
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, format!("// our alliances\n{text}")).expect("write");
    let arg = path.to_str().expect("utf-8 path");
    let mut s = Session::start(&[arg], dir.path(), 100, 30);
    s.wait_for("Weekly pulse", WAIT);
    s.press("?");
    s.wait_for("Help —", WAIT);
    s.press(ESC);
    s.wait_until(WAIT, |screen| !screen.contains("Help —"))
        .unwrap_or_else(|screen| panic!("Esc closes help:\n{screen}"));
    s.sigkill();
    drop(s);

    let mut s = Session::start(&[arg], dir.path(), 100, 30);
    s.wait_for("Note: Took over a stale lock", WAIT);
    s.press("?");
    s.wait_for("Help —", WAIT);
    // Help opens at the tab's keys; the notices are at its top.
    s.press(HOME);
    s.wait_for("Notices at start", WAIT);
    s.press(ESC);
    s.press("q");
    assert_eq!(s.wait_exit(WAIT).map(|e| e.exit_code()), Ok(0));
}

/// Issue 12 item 3: with `NO_COLOR=1` nothing is coloured, and the selected row still shows:
/// a marker and reverse video, on the Portfolio and Commitments tables.
#[test]
fn no_color_still_shows_the_selected_row() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut s = Session::start_with_env(&["--demo"], &[("NO_COLOR", "1")], dir.path(), 80, 24);
    s.wait_for("Weekly pulse", WAIT);
    s.press(DOWN);
    let screen = s.wait_for("▶ Summit Supply Co", WAIT);
    assert!(!s.any_colour(), "NO_COLOR draws no colour:\n{screen}");
    let row = screen
        .lines()
        .position(|l| l.contains("▶ Summit"))
        .expect("selected row") as u16;
    assert!(s.inverse_at(row, 3), "the selected row is reverse video");
    assert!(!s.inverse_at(row + 1, 3), "the next row is not");
    s.press("3");
    let screen = s.wait_for("Commitments ·", WAIT);
    let row = screen
        .lines()
        .position(|l| l.starts_with("│▶"))
        .unwrap_or_else(|| panic!("a marked commitment:\n{screen}")) as u16;
    assert!(
        s.inverse_at(row, 5),
        "the selected commitment is reverse video"
    );
    s.press("q");
    assert_eq!(s.wait_exit(WAIT).map(|e| e.exit_code()), Ok(0));
}

/// Issue 12 item 5: at 80×24 a partner name of 18 characters is whole on the Portfolio table.
#[test]
fn partner_names_of_18_characters_are_whole_at_80x24() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut portfolio = alliance_desk::store::parse(
        alliance_desk::sample::NORTHWIND,
        alliance_desk::sample::NORTHWIND_NAME,
    )
    .expect("sample")
    .portfolio;
    portfolio.alliances[1].partner = "Birch Home Goods C".to_owned();
    assert_eq!(portfolio.alliances[1].partner.chars().count(), 18);
    let path = alliance_desk::store::save(&dir.path().join("p.ron"), &portfolio)
        .map(|()| dir.path().join("p.ron"))
        .expect("save");
    let mut s = Session::start(&[path.to_str().expect("utf-8")], dir.path(), 80, 24);
    s.wait_for("Weekly pulse", WAIT);
    s.wait_for("Birch Home Goods C ", WAIT);
    s.press("q");
    assert_eq!(s.wait_exit(WAIT).map(|e| e.exit_code()), Ok(0));
}

/// Issue 12 item 8: the workspace read the size and drew its first frame before crossterm's
/// resize handler existed, so a resize landing then was lost. Resize the moment the first
/// frame appears, many times over, and each time the workspace must follow.
#[test]
fn a_resize_right_after_the_first_frame_is_not_lost() {
    for round in 0..30 {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut s = Session::start(&["--demo"], dir.path(), 60, 20);
        s.wait_until(WAIT, |screen| !screen.trim().is_empty())
            .unwrap_or_else(|screen| panic!("round {round}: no first frame:\n{screen}"));
        s.resize(100, 30);
        s.wait_until(WAIT, |screen| screen.contains("Weekly pulse"))
            .unwrap_or_else(|screen| panic!("round {round}: resize lost:\n{screen}"));
        s.press("q");
        assert_eq!(
            s.wait_exit(WAIT).map(|e| e.exit_code()),
            Ok(0),
            "round {round}"
        );
    }
}

/// A terminal without the keyboard protocol sends Esc as one byte: with a pause after it, it
/// is Esc; typed straight before another key it is read as Esc and then that key.
#[test]
fn a_lone_esc_byte_closes_help_even_when_a_key_follows_at_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut s = Session::start(&["--demo"], dir.path(), 100, 30);
    s.wait_for("Weekly pulse", WAIT);
    s.press("?");
    s.wait_for("Help —", WAIT);
    // ESC and `2` in one write: crossterm reads Alt-2, which nothing binds.
    s.press(&format!("{}2", support::keys::LONE_ESC));
    let screen = s.wait_for("Step 1/7", WAIT); // the Charter tab
    s.press("q");
    assert_eq!(s.wait_exit(WAIT).map(|e| e.exit_code()), Ok(0), "{screen}");
}

#[test]
fn a_broken_file_is_refused_before_the_alternate_screen() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("broken.ron");
    std::fs::write(
        &path,
        "Portfolio(version: 1, brand: \"x\", alliances: [Alliance(id: 3)])",
    )
    .expect("write");
    let mut s = Session::start(&[path.to_str().expect("utf-8")], dir.path(), 100, 30);
    assert_eq!(s.wait_exit(WAIT).map(|e| e.exit_code()), Ok(2));
    // The reader thread may still be draining the pty after the exit.
    let screen = s.wait_for("broken.ron:1:", WAIT);
    assert!(!screen.contains("Weekly pulse"));
}
