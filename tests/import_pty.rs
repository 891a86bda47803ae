//! The workspace's revenue import end to end in a pseudo-terminal (SPEC §9, issue 16): `i` on
//! the Portfolio, a generated Shopify orders export typed into the path prompt, the per-month
//! preview, apply, ARCR changing on screen, `u` undoing it all as one step, and the file on disk
//! untouched until a save.

mod support;

use std::time::Duration;

use alliance_desk::import::revenue::{self, generate};
use alliance_desk::score;
use alliance_desk::store;
use alliance_desk::ui::widgets::format::percent;
use chrono::NaiveDate;
use support::{Session, keys};

const ROWS: u16 = 40;
const COLS: u16 = 120;
const WAIT: Duration = Duration::from_secs(15);

/// The Glow & Co row of the Portfolio table.
fn glow_row(screen: &str) -> String {
    screen
        .lines()
        .find(|l| l.contains("Glow & Co") && !l.contains("current:"))
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn import_a_shopify_export_preview_apply_see_arcr_change_and_undo() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("portfolio.ron");
    let mut portfolio = generate::sample_portfolio();
    let as_of = NaiveDate::from_ymd_opt(2026, 10, 31).unwrap();
    portfolio.as_of = Some(as_of);
    store::save(&file, &portfolio).unwrap();
    let before = std::fs::read(&file).unwrap();
    let orders = dir.path().join("orders_export_1.csv");
    generate::shopify_orders(
        &generate::ShopifyOptions {
            orders: 400,
            ..generate::ShopifyOptions::default()
        },
        std::fs::File::create(&orders).unwrap(),
    )
    .unwrap();
    // What the screen must show once imported: the core's own figures.
    let mut imported = portfolio.clone();
    let plan = revenue::plan_shopify_file(&portfolio, &orders, &mut |_| {}).unwrap();
    assert!(revenue::apply(&mut imported, &plan) > 0);
    let scores = score::score(&imported, as_of);
    let arcr = percent(scores.alliances[0].arcr.latest);
    assert_ne!(arcr, "—");

    let mut s = Session::start(&[file.to_str().unwrap()], dir.path(), COLS, ROWS);
    s.wait_for("Glow & Co", WAIT);
    assert!(
        !glow_row(&s.screen()).contains(&arcr),
        "ARCR before the import"
    );
    s.send("i");
    s.wait_for("Import revenue", WAIT);
    s.send(keys::CTRL_U);
    s.send(orders.to_str().unwrap());
    s.send(keys::ENTER);
    // A frame may be read half drawn: wait for the whole preview.
    let expected = [
        "Import revenue from orders_export_1.csv",
        "2026-09",
        "brand total",
        "Glow & Co (glow)",
        "→",
        "Enter/y: apply",
    ];
    s.wait_until(WAIT, |screen| expected.iter().all(|e| screen.contains(e)))
        .unwrap_or_else(|screen| panic!("the preview {expected:?}:\n{screen}"));
    s.send(keys::ENTER);
    s.wait_until(WAIT, |screen| {
        screen.contains("Imported") && glow_row(screen).contains(&arcr)
    })
    .unwrap_or_else(|screen| panic!("ARCR {arcr} on the Glow row:\n{screen}"));
    assert_eq!(
        std::fs::read(&file).unwrap(),
        before,
        "nothing written before a save"
    );
    s.send("u");
    s.wait_until(WAIT, |screen| {
        screen.contains("Undid: import revenue from orders_export_1.csv")
            && !glow_row(screen).contains(&arcr)
    })
    .unwrap_or_else(|screen| panic!("undone, ARCR {arcr} gone:\n{screen}"));
    s.send("q");
    let status = s.wait_exit(Duration::from_secs(10)).expect("did not quit");
    assert!(status.success());
    assert_eq!(std::fs::read(&file).unwrap(), before);
}

#[test]
fn a_bad_export_lists_its_problems_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("portfolio.ron");
    store::save(&file, &generate::sample_portfolio()).unwrap();
    let orders = dir.path().join("ORDERS.csv");
    std::fs::write(&orders, "Name,Subtotal,Created at\n#1,1.00,2026-10-01\n").unwrap();

    let mut s = Session::start(&[file.to_str().unwrap()], dir.path(), COLS, ROWS);
    s.wait_for("1 Portfolio", WAIT);
    s.send("i");
    s.wait_for("Import revenue", WAIT);
    s.send(keys::CTRL_U);
    s.send(orders.to_str().unwrap());
    s.send(keys::ENTER);
    s.wait_for("ORDERS.csv:1: missing columns", WAIT);
    s.wait_for("Cannot import ORDERS.csv", WAIT);
    s.send(keys::ESC);
    s.wait_for("Import cancelled: nothing changed", WAIT);
    s.send("q");
    let status = s.wait_exit(Duration::from_secs(10)).expect("did not quit");
    assert!(status.success(), "quit without asking: nothing is unsaved");
}
