//! End to end: the real binary in a pseudo-terminal runs a whole monthly business review on a
//! temporary portfolio, saves and quits; the file on disk has the review and the summary exists.

mod support;

use support::keys::{CTRL_S, DOWN, ENTER, PGDN};
use support::{Session, WAIT};

#[test]
fn a_whole_mbr_in_a_terminal_is_stored_and_summarised() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("portfolio.ron");
    // A canonical copy of the sample (no comments, so no notice at start).
    let loaded =
        alliance_desk::store::parse(alliance_desk::sample::NORTHWIND, "northwind.ron").unwrap();
    alliance_desk::store::save(&path, &loaded.portfolio).unwrap();
    let before = loaded.portfolio.alliance("glow").unwrap().reviews.len();

    let mut s = Session::start(&[path.to_str().unwrap()], dir.path(), 120, 40);
    s.wait_for("Glow & Co", WAIT);
    s.press("4");
    s.wait_for("Reviews of Glow & Co", WAIT);
    s.press("r");
    s.wait_for("Start a review", WAIT);
    s.press(DOWN);
    s.press(DOWN);
    s.press(ENTER);
    s.wait_for("Step 1/4 KPIs vs targets", WAIT);
    s.press("Referral revenue ahead");
    s.wait_for("Referral revenue ahead", WAIT);
    s.press(PGDN);
    s.wait_for("Step 2/4", WAIT);
    s.press(PGDN);
    s.wait_for("Step 3/4", WAIT);
    // Add a commitment right there: owner (Partner), action, due.
    s.press("\t");
    s.press("Send the segmentation results");
    s.press(ENTER);
    s.press("2026-11-20");
    s.press(ENTER);
    s.wait_for("Commitment #11 added", WAIT);
    s.press(PGDN);
    s.wait_for("Step 4/4", WAIT);
    s.press(PGDN);
    s.wait_for("Summary preview", WAIT);
    s.press("x");
    s.press(ENTER);
    s.wait_for("MBR stored", WAIT);
    s.press(CTRL_S);
    s.wait_for("Saved", WAIT);
    s.press("q");
    assert_eq!(s.wait_exit(WAIT).map(|e| e.exit_code()), Ok(0));

    let saved = alliance_desk::store::load(&path).unwrap().portfolio;
    let glow = saved.alliance("glow").unwrap();
    assert_eq!(glow.reviews.len(), before + 1);
    assert!(matches!(
        glow.reviews.last(),
        Some(alliance_desk::model::Review::Monthly { summary_sent: Some(d), next_month, .. })
            if d.to_string() == "2026-11-15" && next_month.contains("New commitments: #11")
    ));
    assert!(
        glow.commitments
            .iter()
            .any(|c| c.id == 11 && c.action == "Send the segmentation results")
    );
    let summary = std::fs::read_to_string(dir.path().join("glow-mbr-2026-11-15.md")).unwrap();
    assert!(
        summary.starts_with("# Monthly business review — Northwind Goods × Glow & Co, 2026-11-15")
    );
    assert!(summary.contains("Referral revenue ahead"));
    assert!(summary.contains("| 11 | Glow & Co | Send the segmentation results | 2026-11-20 |"));
}
