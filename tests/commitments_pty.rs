//! End to end in a pseudo-terminal: the real binary on a temp portfolio, keys typed as a person
//! would, the screen read through a VT parser, and the file checked on disk afterwards.

mod support;

use std::time::Duration;

use alliance_desk::{sample, store};
use support::{Session, keys};

const ROWS: u16 = 40;
const COLS: u16 = 120;
const WAIT: Duration = Duration::from_secs(15);

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

    let mut s = Session::start(&[file.to_str().unwrap()], dir.path(), COLS, ROWS);
    s.wait_for("1 Portfolio", WAIT);
    s.send("3");
    s.wait_for("Commitments · Glow & Co", WAIT);
    // Quick filter "overdue" (all → us → partner → open → overdue), then mark the first done.
    s.send("ffff");
    s.wait_for("filter: overdue", WAIT);
    s.send("x");
    s.wait_for(&format!("#{target} done on {as_of}"), WAIT);
    s.send(keys::CTRL_S);
    s.wait_for("Saved", WAIT);
    s.send("q");
    let status = s.wait_exit(Duration::from_secs(10)).expect("did not quit");
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
