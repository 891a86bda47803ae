//! First run in a pseudo-terminal (SPEC §5, §6): `alliance-desk` without a FILE and without a
//! default portfolio asks the brand and currency, writes an empty portfolio at the default path
//! and opens it; the next start opens it directly. HOME and the XDG folders point into a temp
//! dir, so the user's own files are never touched.

mod support;

use std::time::Duration;

use alliance_desk::store;
use support::{Session, keys};

const WAIT: Duration = Duration::from_secs(15);

#[test]
fn the_first_run_asks_writes_an_empty_portfolio_and_opens_it_then_opens_it_directly() {
    let home = support::temp_home();
    let path = home
        .path()
        .join("data")
        .join("alliance-desk")
        .join("portfolio.ron");

    let mut s = Session::start(&[], home.path(), 100, 30);
    let screen = s.wait_for("Brand name:", WAIT);
    assert!(screen.contains(&path.display().to_string()), "{screen}");
    assert!(screen.contains("alliance-desk --demo"), "{screen}");
    // A blank name is asked again with the reason.
    s.press(keys::ENTER);
    s.wait_for("Brand: enter the brand's name", WAIT);
    s.press("Acme Goods");
    s.press(keys::ENTER);
    s.wait_for("Currency [USD]:", WAIT);
    s.press("eur");
    s.press(keys::ENTER);
    // The welcome is on the status line, not a dialog: the first key acts.
    s.wait_for("Welcome! a adds an alliance", WAIT);
    s.wait_for(", changes the brand, currency and as-of date", WAIT);
    let screen = s.wait_for("No alliances yet", WAIT);
    assert!(screen.starts_with(" Acme Goods"), "{screen}");
    let written = store::load(&path)
        .expect("written at the default path")
        .portfolio;
    assert_eq!(written.brand, "Acme Goods");
    assert_eq!(written.currency, "EUR");
    assert!(
        written.alliances.is_empty(),
        "an empty portfolio, never the sample"
    );
    // Help lists the whole welcome with the notices at start, at its top.
    s.press("?");
    s.press(keys::HOME);
    s.wait_for("Acme Goods (EUR)", WAIT);
    s.press(keys::ESC);
    s.press("q");
    assert!(s.wait_exit(WAIT).expect("did not quit").success());

    // The second start opens it without asking.
    let mut s = Session::start(&[], home.path(), 100, 30);
    let screen = s.wait_for("No alliances yet", WAIT);
    assert!(screen.starts_with(" Acme Goods"), "{screen}");
    assert!(!screen.contains("Brand name:"), "{screen}");
    s.press("q");
    assert!(s.wait_exit(WAIT).expect("did not quit").success());
}

#[test]
fn the_end_of_input_at_the_first_run_writes_nothing() {
    let home = support::temp_home();
    let mut s = Session::start(&[], home.path(), 100, 30);
    s.wait_for("Brand name:", WAIT);
    // Ctrl-D: the end of input.
    s.press("\x04");
    let status = s.wait_exit(WAIT).expect("did not exit");
    assert!(!status.success());
    assert!(
        !home
            .path()
            .join("data")
            .join("alliance-desk")
            .join("portfolio.ron")
            .exists()
    );
}

#[test]
fn new_points_to_the_settings_key_for_the_brand() {
    let home = support::temp_home();
    let file = home.path().join("p.ron");
    let out = std::process::Command::new(support::BIN)
        .args(["new", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("press , to set the brand and currency"),
        "{text}"
    );
}
