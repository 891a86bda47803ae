//! End to end in a pseudo-terminal (SPEC §6, records that keep faith): what is typed is stored
//! as typed or not at all, a stored review keeps its figures, a done date can be back-dated,
//! and a new alliance's charter opens at its first step, browsing.

mod support;

use std::path::Path;
use std::process::Command;

use alliance_desk::model::Portfolio;
use alliance_desk::{sample, store};
use support::keys::{BACKSPACE, CTRL_S, CTRL_U, DOWN, ENTER, ESC, PGDN, PGUP, TAB};
use support::{BIN, Session, WAIT};

const COLS: u16 = 120;
const ROWS: u16 = 40;

/// A canonical copy of the sample (no comments, so nothing to dismiss at start).
fn sample_file(dir: &Path) -> (std::path::PathBuf, Portfolio) {
    let portfolio = store::parse(sample::NORTHWIND, "sample").unwrap().portfolio;
    (
        support::write_portfolio(dir, "portfolio.ron", &portfolio),
        portfolio,
    )
}

fn save_and_quit(s: &mut Session) {
    s.press(CTRL_S);
    s.wait_for("Saved", WAIT);
    s.press("q");
    assert_eq!(s.wait_exit(WAIT).map(|e| e.exit_code()), Ok(0));
}

#[test]
fn typed_numbers_and_dates_are_stored_as_typed_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let (file, before) = sample_file(dir.path());
    let wins = &before
        .alliance("glow")
        .unwrap()
        .charter
        .as_ref()
        .unwrap()
        .win_conditions;
    let deadline_2 = wins[1].by;

    let mut s = Session::start(&[file.to_str().unwrap()], dir.path(), COLS, ROWS);
    s.wait_for("Glow & Co", WAIT);
    s.press("2");
    s.wait_for("BROWSING", WAIT);
    s.press("l");
    s.wait_for("Step 2/7", WAIT);
    // `15k` in win condition 1's target, then leave the step with PgDn: 15000, never 15.
    s.press(ENTER);
    s.wait_for("✎ EDITING", WAIT);
    s.press(TAB);
    s.press(TAB);
    s.press(CTRL_U);
    s.press("15k");
    s.press(PGDN);
    s.wait_for("Step 3/7", WAIT);
    s.press(PGUP);
    s.wait_for("Step 2/7", WAIT);
    s.wait_for("15000", WAIT);
    // `$15,000` in win condition 2's target, left with Tab.
    s.press(ENTER);
    for _ in 0..8 {
        s.press(TAB);
    }
    s.press(CTRL_U);
    s.press("$15,000");
    s.press(TAB);
    // `2027-02-30` in win condition 2's deadline: every way out asks, and the text stays.
    s.press(TAB);
    s.press(CTRL_U);
    s.press("2027-02-30");
    s.wait_for("no such day in the calendar", WAIT);
    for out in [TAB, PGDN, ESC] {
        s.press(out);
        s.wait_for("Keep editing (k or Enter)", WAIT);
        s.press("k");
        s.wait_until(WAIT, |t| !t.contains("Keep editing (k or Enter)"))
            .expect("keep editing closes the question");
        let shot = s.wait_for("2027-02-30", WAIT);
        assert!(shot.contains("Step 2/7"), "still on the step:\n{shot}");
    }
    // Esc, then discard: the deadline it had comes back and editing stops.
    s.press(ESC);
    s.wait_for("Keep editing (k or Enter)", WAIT);
    s.press("d");
    s.wait_for("BROWSING", WAIT);
    save_and_quit(&mut s);

    let saved = store::load(&file).unwrap().portfolio;
    let wins = &saved
        .alliance("glow")
        .unwrap()
        .charter
        .as_ref()
        .unwrap()
        .win_conditions;
    assert_eq!(wins[0].target, Some(15_000.0), "15k");
    assert_eq!(wins[1].target, Some(15_000.0), "$15,000");
    assert_eq!(wins[1].by, deadline_2, "never 2027-02-03");
}

#[test]
fn a_new_alliance_s_charter_opens_at_step_one_not_editing() {
    let dir = tempfile::tempdir().unwrap();
    let (file, _) = sample_file(dir.path());
    let mut s = Session::start(&[file.to_str().unwrap()], dir.path(), COLS, ROWS);
    s.wait_for("Glow & Co", WAIT);
    // Leave Glow's charter on step 5, having edited there.
    s.press("2");
    s.press("llll");
    s.wait_for("Step 5/7", WAIT);
    s.press(ENTER);
    s.wait_for("✎ EDITING", WAIT);
    s.press(ESC);
    s.wait_for("BROWSING", WAIT);
    s.press("1");
    s.wait_for("Weekly pulse", WAIT);
    s.press("a");
    let shot = s.wait_for("id: new-", WAIT);
    assert!(shot.contains("Step 1/7"), "{shot}");
    assert!(
        shot.contains("BROWSING") && !shot.contains("✎ EDITING"),
        "{shot}"
    );
    // Enter edits the partner's name, the field on screen.
    s.press(ENTER);
    s.wait_for("✎ EDITING", WAIT);
    s.press(CTRL_U);
    s.press("Pinecrest");
    s.press(ESC);
    s.wait_for("id: pinecrest", WAIT);
    save_and_quit(&mut s);
    let saved = store::load(&file).unwrap().portfolio;
    assert!(saved.alliances.iter().any(|a| a.partner == "Pinecrest"));
}

#[test]
fn a_stored_mbr_keeps_its_figures_after_the_month_s_numbers_change() {
    let dir = tempfile::tempdir().unwrap();
    let (file, _) = sample_file(dir.path());
    let mut s = Session::start(&[file.to_str().unwrap()], dir.path(), COLS, ROWS);
    s.wait_for("Glow & Co", WAIT);
    s.press("4");
    s.wait_for("Reviews of Glow & Co", WAIT);
    s.press("r");
    s.wait_for("Start a review", WAIT);
    s.press(DOWN);
    s.press(DOWN);
    s.press(ENTER);
    s.wait_for("Step 1/4 KPIs vs targets", WAIT);
    for step in ["Step 2/4", "Step 3/4", "Step 4/4", "Summary preview"] {
        s.press(PGDN);
        s.wait_for(step, WAIT);
    }
    let preview = s.screen();
    assert!(
        !preview.contains("figures recomputed"),
        "the preview shows the figures that will be stored:\n{preview}"
    );
    s.press(ENTER);
    s.wait_for("MBR stored", WAIT);
    save_and_quit(&mut s);

    // Numbers entered after the meeting.
    let mut p = store::load(&file).unwrap().portfolio;
    let i = p.alliance_index("glow").unwrap();
    let stored = p.alliances[i]
        .reviews
        .last()
        .unwrap()
        .figures()
        .cloned()
        .unwrap();
    let latest = stored.win_conditions[0].latest.unwrap();
    let w = &mut p.alliances[i].charter.as_mut().unwrap().win_conditions[0];
    w.actuals.insert(latest.month, 11_000.0);
    store::save(&file, &p).unwrap();

    // Reopen: the review shows what it showed on the day.
    let mut s = Session::start(&[file.to_str().unwrap()], dir.path(), COLS, ROWS);
    s.wait_for("Glow & Co", WAIT);
    s.press("4");
    s.wait_for("Reviews of Glow & Co", WAIT);
    s.press(ENTER);
    let shot = s.wait_for("(read-only)", WAIT);
    let value = format!("{}", latest.value);
    assert!(shot.contains(&format!("| {value} |")), "{shot}");
    assert!(!shot.contains("11000"), "{shot}");
    s.press(ESC);
    s.press("q");
    assert_eq!(s.wait_exit(WAIT).map(|e| e.exit_code()), Ok(0));

    // And so does `export --review`.
    let out = Command::new(BIN)
        .args(["export", file.to_str().unwrap(), "--format", "md"])
        .args(["--alliance", "glow", "--review", "2026-11-15"])
        .output()
        .unwrap();
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{md}");
    assert!(
        md.contains(&format!("| {value} |")) && !md.contains("11000"),
        "{md}"
    );
}

#[test]
fn back_dating_a_done_date_changes_cfr() {
    let dir = tempfile::tempdir().unwrap();
    let (file, p) = sample_file(dir.path());
    let as_of = p.as_of.unwrap();
    let glow = p.alliance("glow").unwrap();
    // The overdue one, due within the last 30 days so CFR counts it.
    let c = glow
        .commitments
        .iter()
        .find(|c| c.done.is_none() && c.due < as_of && (as_of - c.due).num_days() < 30)
        .unwrap();
    let (id, due) = (c.id, c.due);

    let mut s = Session::start(&[file.to_str().unwrap()], dir.path(), COLS, ROWS);
    s.wait_for("Glow & Co", WAIT);
    s.press("3");
    s.wait_for("Commitments · Glow & Co", WAIT);
    s.press("ffff");
    s.wait_for("filter: overdue", WAIT);
    let both = |t: &str| {
        t.lines()
            .find(|l| l.contains("Both"))
            .unwrap_or_default()
            .to_owned()
    };
    let before = both(&s.screen());
    s.press(ENTER);
    s.wait_for(&format!("Commitment #{id}"), WAIT);
    // Party, action, due: Enter moves on; then the done date, after the as-of date first.
    s.press(ENTER);
    s.press(ENTER);
    s.press(ENTER);
    let later = as_of.succ_opt().unwrap();
    s.press(&later.to_string());
    s.press(ENTER);
    s.wait_for("after the as-of date", WAIT);
    for _ in 0..10 {
        s.press(BACKSPACE);
    }
    s.press(&due.to_string());
    s.press(ENTER);
    s.wait_for(&format!("Saved commitment #{id}"), WAIT);
    let after = s
        .wait_until(WAIT, |t| both(t) != before)
        .expect("CFR moves");
    assert_ne!(both(&after), before);
    save_and_quit(&mut s);
    let saved = store::load(&file).unwrap().portfolio;
    let c = saved
        .alliance("glow")
        .unwrap()
        .commitments
        .iter()
        .find(|c| c.id == id)
        .cloned()
        .unwrap();
    assert_eq!(c.done, Some(due), "back-dated to its due date: on time");
}
