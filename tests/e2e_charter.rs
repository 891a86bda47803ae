//! End to end: type a whole charter into the real binary in a pseudo-terminal, save, quit, and
//! check the file on disk with the same load, validation and scoring the CLI uses.

mod support;

use alliance_desk::model::{Party, Status};
use alliance_desk::score::FlagCode;
use support::keys::{CTRL_E, CTRL_N, CTRL_S, CTRL_U, ENTER, PGDN, RIGHT, TAB};
use support::{Session, WAIT};

/// A portfolio with no alliance yet.
const EMPTY: &str = r#"Portfolio(
    version: 1,
    brand: "Northwind Goods",
    currency: "USD",
    as_of: Some("2026-03-02"),
    revenue: {},
    alliances: [],
    pipeline: [],
)
"#;

#[test]
fn type_a_whole_charter_save_and_quit() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("portfolio.ron");
    std::fs::write(&path, EMPTY).expect("write portfolio");
    let mut s = Session::start(&[path.to_str().expect("utf-8 path")], dir.path(), 100, 30);
    s.wait_for("Portfolio", WAIT);
    s.press("a"); // a new alliance opens its charter, at step 1, browsing
    s.wait_for("Partner & alliance type", WAIT);
    s.wait_for("BROWSING", WAIT);
    s.press(ENTER);
    s.press(CTRL_U);
    s.press("Peak Outdoor — Café Zürich"); // unicode and a q-free name typed as keys
    s.press(ENTER);
    s.press(RIGHT); // Distribution
    s.press(ENTER); // the step's last field: editing stops here
    s.wait_for("BROWSING", WAIT);
    s.press(RIGHT);
    s.wait_for("Win condition 1", WAIT);
    s.press(ENTER);
    s.press(TAB); // direction
    s.press(TAB);
    s.press("40000");
    s.press(TAB);
    s.press(CTRL_U);
    s.press("USD/month");
    s.press(TAB);
    s.press(TAB);
    s.press(TAB);
    s.press(TAB);
    s.press(TAB);
    s.press("25");
    s.press(PGDN);
    s.wait_for("Weekly update", WAIT);
    s.press(ENTER);
    s.press("#peak-northwind");
    s.press(ENTER);
    s.press(CTRL_U);
    s.press("12");
    s.press(ENTER);
    s.press(ENTER);
    s.press(RIGHT);
    s.wait_for("Dashboard", WAIT);
    s.press(ENTER);
    s.press("https://sheets.example/peak");
    s.press(ENTER);
    s.press(RIGHT);
    s.wait_for("Escalation path", WAIT);
    s.press("a"); // adds a contact and edits its name
    s.press("Dana Lee");
    s.press(TAB);
    s.press("Head of Partnerships");
    s.press(CTRL_N);
    s.press("Sam Ortiz");
    s.press(TAB);
    s.press(TAB);
    s.press(RIGHT); // the partner's side
    s.press(PGDN);
    s.wait_for("90-day review", WAIT);
    s.press(ENTER); // edit
    s.press(ENTER); // accept today + 90
    s.press(ENTER);
    s.press(RIGHT);
    s.wait_for("Signed on", WAIT);
    s.press(ENTER);
    s.press("t");
    s.wait_for("100% complete", WAIT);
    s.press(CTRL_E);
    s.wait_for("Wrote the charter", WAIT);
    s.press(CTRL_S);
    s.wait_for("Saved", WAIT);
    s.press("\x1b"); // stop editing, then q quits
    s.press("q");
    assert_eq!(s.wait_exit(WAIT).map(|e| e.exit_code()), Ok(0));

    let loaded = alliance_desk::store::load(&path).expect("saved file loads");
    let problems = alliance_desk::validate::validate(&loaded.portfolio);
    assert!(
        !problems
            .iter()
            .any(alliance_desk::validate::Diagnostic::is_error),
        "{problems:?}"
    );
    let mut portfolio = loaded.portfolio;
    let a = portfolio.alliances[0].clone();
    assert_eq!(a.partner, "Peak Outdoor — Café Zürich");
    let c = a.charter.as_ref().expect("charter saved");
    assert_eq!(c.win_conditions[0].target, Some(40_000.0));
    assert_eq!(c.win_conditions[1].target, Some(25.0));
    assert_eq!(c.escalation.contacts.len(), 2);
    assert_eq!(c.escalation.contacts[1].party, Party::Partner);
    assert!(c.signed.is_some() && c.review_date.is_some());
    // Governed once active: no wish, no missing charter.
    portfolio.alliances[0].status = Status::Active;
    let as_of = portfolio.as_of.expect("pinned");
    let scores = alliance_desk::score::score(&portfolio, as_of);
    let s0 = &scores.alliances[0];
    assert!(!s0.has_flag(FlagCode::Wish), "{:?}", s0.flags);
    assert!(!s0.has_flag(FlagCode::NoCharter), "{:?}", s0.flags);
    let md = std::fs::read_to_string(dir.path().join(format!("{}-charter.md", a.id)))
        .expect("charter document written next to the portfolio");
    assert!(md.contains("Peak Outdoor — Café Zürich"));
}
