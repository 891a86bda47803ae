//! `import-commitments` end to end: good and bad CSV files, the all-or-nothing rule, the backup
//! an atomic save leaves, and the refusal while a workspace holds the file.

use std::path::{Path, PathBuf};

use alliance_desk::model::Party;
use alliance_desk::store;
use assert_cmd::Command;

const VALID: &str = "tests/fixtures/valid/cli_two_alliances.ron";

fn temp_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let dst = dir.path().join("portfolio.ron");
    std::fs::copy(VALID, &dst).unwrap();
    (dir, dst)
}

fn import(file: &Path, csv: &Path) -> std::process::Output {
    Command::new(assert_cmd::cargo::cargo_bin!("alliance-desk"))
        .args(["import-commitments"])
        .arg(file)
        .args(["--alliance", "glow", "--csv"])
        .arg(csv)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_good_file_is_imported_with_fresh_ids_and_a_backup() {
    let (dir, file) = temp_copy();
    let before = store::load(&file).unwrap().portfolio;
    let glow_before = before.alliance("glow").unwrap();
    let next = glow_before.next_commitment_id();
    let csv = dir.path().join("shared-doc.csv");
    std::fs::write(
        &csv,
        "\u{feff}party,action,due,done\r\nUs,\"Ship kits,\r\nthen confirm\",2026-11-20,\r\n\r\npartner,Post,2026-11-10,2026-11-09\r\n",
    )
    .unwrap();
    let out = import(&file, &csv);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("imported 2 commitments"));
    let after = store::load(&file).unwrap().portfolio;
    let glow = after.alliance("glow").unwrap();
    assert_eq!(glow.commitments.len(), glow_before.commitments.len() + 2);
    let new = &glow.commitments[glow.commitments.len() - 2..];
    assert_eq!(new[0].id, next);
    assert_eq!(new[1].id, next + 1);
    assert_eq!(new[0].action, "Ship kits,\nthen confirm");
    assert_eq!(new[1].party, Party::Partner);
    assert_eq!(
        new[1].done.map(|d| d.to_string()).as_deref(),
        Some("2026-11-09")
    );
    // Everything else is as it was, and the previous version is kept beside the file.
    assert_eq!(after.alliances.len(), before.alliances.len());
    assert!(store::backup_path(&file).exists());
}

#[test]
fn every_bad_row_is_reported_and_nothing_is_imported() {
    let (dir, file) = temp_copy();
    let before = std::fs::read(&file).unwrap();
    let csv = dir.path().join("bad.csv");
    std::fs::write(
        &csv,
        "party,action,due,done\nus,Fine,2026-11-20,\nboth,Who?,2026-11-20,\n\nus,Late,2026-02-30,2026-13-01\n",
    )
    .unwrap();
    let out = import(&file, &csv);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("bad.csv:3: party \"both\""), "{err}");
    // After the blank line 4, the last row is on line 5; both of its dates are named.
    assert!(err.contains("bad.csv:5: due"), "{err}");
    assert!(err.contains("done"), "{err}");
    assert!(err.contains("2 bad rows; nothing imported"), "{err}");
    assert_eq!(std::fs::read(&file).unwrap(), before, "file untouched");
    assert!(!store::backup_path(&file).exists(), "nothing was saved");
}

#[test]
fn a_header_only_file_changes_nothing() {
    let (dir, file) = temp_copy();
    let before = std::fs::read(&file).unwrap();
    let csv = dir.path().join("empty.csv");
    std::fs::write(&csv, "party,action,due,done\n").unwrap();
    let out = import(&file, &csv);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("nothing imported"));
    assert_eq!(std::fs::read(&file).unwrap(), before);
}

#[test]
fn an_open_workspace_blocks_the_import() {
    let (dir, file) = temp_copy();
    let before = std::fs::read(&file).unwrap();
    let csv = dir.path().join("c.csv");
    std::fs::write(&csv, "party,action,due,done\nus,x,2026-11-20,\n").unwrap();
    let lock = store::PortfolioLock::acquire(&file).unwrap();
    let out = import(&file, &csv);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("already open"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(std::fs::read(&file).unwrap(), before);
    drop(lock);
    assert!(import(&file, &csv).status.success());
}
