//! The portfolio in a real git repository (SPEC §10): `git-setup` registers the merge driver,
//! and `git merge` of two branches merges by meaning — clean for different alliances, for
//! different commitments of one alliance, and for both adding commitment #N (theirs renumbered);
//! a conflict for one partner name changed two ways (exit 1, conflicts file). `check` passes on
//! every result. Also: a save changes only the lines of the record it changed, and changes since
//! a date come from the file's history.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use alliance_desk::model::{Commitment, Party, Portfolio};
use alliance_desk::store;

fn bin() -> PathBuf {
    PathBuf::from(assert_cmd::cargo::cargo_bin!("alliance-desk"))
}

fn git(dir: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .unwrap()
}

fn git_ok(dir: &Path, args: &[&str]) -> String {
    let out = git(dir, args);
    assert!(
        out.status.success(),
        "git {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

const FILE: &str = "portfolio.ron";

/// A repository with the sample (with a comment added) committed on `main` and the driver set up.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git_ok(d, &["init", "-q", "-b", "main"]);
    git_ok(d, &["config", "user.name", "Test"]);
    git_ok(d, &["config", "user.email", "test@example.com"]);
    git_ok(d, &["config", "commit.gpgsign", "false"]);
    let text = format!(
        "// The team's portfolio: edit in Alliance Desk or by hand.\n{}",
        alliance_desk::sample::NORTHWIND
    );
    std::fs::write(d.join(FILE), text).unwrap();
    let setup = Command::new(bin())
        .current_dir(d)
        .args(["git-setup", FILE])
        .output()
        .unwrap();
    assert!(setup.status.success(), "{setup:?}");
    let again = Command::new(bin())
        .current_dir(d)
        .args(["git-setup", FILE])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&again.stdout).starts_with("already set up"),
        "{again:?}"
    );
    let attributes = std::fs::read_to_string(d.join(".gitattributes")).unwrap();
    assert_eq!(attributes, "/portfolio.ron merge=alliance-desk\n");
    git_ok(d, &["add", "-A"]);
    git_ok(d, &["commit", "-q", "-m", "base"]);
    dir
}

fn load(d: &Path) -> Portfolio {
    store::load(&d.join(FILE)).unwrap().portfolio
}

/// Edit the portfolio through the store's save on `branch` (created from main) and commit.
fn edit_on(d: &Path, branch: &str, edit: impl FnOnce(&mut Portfolio)) {
    git_ok(d, &["checkout", "-q", "-B", branch, "main"]);
    let mut p = load(d);
    edit(&mut p);
    store::save(&d.join(FILE), &p).unwrap();
    let _ = std::fs::remove_file(store::backup_path(&d.join(FILE)));
    git_ok(d, &["commit", "-q", "-am", branch]);
}

/// Merge `theirs` into `ours`; the exit status of `git merge`.
fn merge(d: &Path, ours: &str, theirs: &str) -> bool {
    git_ok(d, &["checkout", "-q", ours]);
    git(d, &["merge", "-q", "--no-edit", theirs])
        .status
        .success()
}

fn check(d: &Path) {
    let out = Command::new(bin())
        .arg("check")
        .arg(d.join(FILE))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
}

fn commitment(id: u32, action: &str) -> Commitment {
    Commitment {
        id,
        party: Party::Us,
        action: action.to_owned(),
        due: "2026-12-01".parse().unwrap(),
        done: None,
    }
}

#[test]
fn different_alliances_merge_clean() {
    let dir = repo();
    let d = dir.path();
    edit_on(d, "a", |p| p.alliances[0].notes = "from a".to_owned());
    edit_on(d, "b", |p| p.alliances[1].notes = "from b".to_owned());
    assert!(merge(d, "a", "b"));
    let p = load(d);
    assert_eq!(p.alliances[0].notes, "from a");
    assert_eq!(p.alliances[1].notes, "from b");
    let text = std::fs::read_to_string(d.join(FILE)).unwrap();
    assert!(
        text.starts_with("// The team's portfolio"),
        "the comment is kept"
    );
    check(d);
}

#[test]
fn different_commitments_of_one_alliance_merge_clean() {
    let dir = repo();
    let d = dir.path();
    edit_on(d, "a", |p| {
        p.alliances[0].commitments[5].done = Some("2026-11-14".parse().unwrap());
    });
    edit_on(d, "b", |p| {
        p.alliances[0].commitments[6].done = Some("2026-11-15".parse().unwrap());
    });
    assert!(merge(d, "a", "b"));
    let p = load(d);
    assert!(p.alliances[0].commitments[5].done.is_some());
    assert!(p.alliances[0].commitments[6].done.is_some());
    check(d);
}

#[test]
fn both_adding_commitment_n_renumbers_theirs() {
    let dir = repo();
    let d = dir.path();
    let n = load(d).alliances[0].next_commitment_id();
    edit_on(d, "a", |p| {
        p.alliances[0].commitments.push(commitment(n, "ours"));
    });
    edit_on(d, "b", |p| {
        p.alliances[0].commitments.push(commitment(n, "theirs"));
    });
    assert!(merge(d, "a", "b"));
    let p = load(d);
    let c = &p.alliances[0].commitments;
    assert_eq!(
        (c[c.len() - 2].id, c[c.len() - 2].action.as_str()),
        (n, "ours")
    );
    assert_eq!(
        (c[c.len() - 1].id, c[c.len() - 1].action.as_str()),
        (n + 1, "theirs")
    );
    check(d);
}

#[test]
fn one_partner_name_changed_two_ways_is_a_conflict() {
    let dir = repo();
    let d = dir.path();
    edit_on(d, "a", |p| p.alliances[0].partner = "Glow Ltd".to_owned());
    edit_on(d, "b", |p| p.alliances[0].partner = "Glow Group".to_owned());
    git_ok(d, &["checkout", "-q", "a"]);
    let out = git(d, &["merge", "--no-edit", "b"]);
    assert!(!out.status.success());
    let said =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains(
            "glow › partner: ours \"Glow Ltd\" | theirs \"Glow Group\" | base \"Glow & Co\""
        ),
        "{said}"
    );
    assert_eq!(load(d).alliances[0].partner, "Glow Ltd", "ours is kept");
    let conflicts = alliance_desk::merge::load_conflicts(&d.join(FILE))
        .unwrap()
        .expect("a conflicts file");
    assert_eq!(conflicts.conflicts.len(), 1);
    let settled = alliance_desk::merge::resolve(
        &load(d),
        &conflicts.conflicts[0],
        alliance_desk::merge::Choice::Theirs,
    )
    .unwrap();
    assert_eq!(settled.alliances[0].partner, "Glow Group");
    check(d);
    alliance_desk::merge::remove_conflicts(&d.join(FILE)).unwrap();
    assert!(!alliance_desk::merge::conflicts_path(&d.join(FILE)).exists());
    alliance_desk::merge::remove_conflicts(&d.join(FILE)).unwrap();
}

#[test]
fn the_driver_exits_1_on_conflict_and_0_when_clean() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let base = store::parse(alliance_desk::sample::NORTHWIND, "s")
        .unwrap()
        .portfolio;
    let mut ours = base.clone();
    ours.brand = "Ours".to_owned();
    let mut theirs = base.clone();
    theirs.brand = "Theirs".to_owned();
    for (name, p) in [("base", &base), ("ours", &ours), ("theirs", &theirs)] {
        std::fs::write(d.join(name), store::to_canonical_ron(p)).unwrap();
    }
    let run = || {
        Command::new(bin())
            .current_dir(d)
            .args(["merge", "base", "ours", "theirs", "--path", "team.ron"])
            .output()
            .unwrap()
    };
    let out = run();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(d.join("team.ron.conflicts.ron").exists());
    std::fs::write(d.join("theirs"), store::to_canonical_ron(&base)).unwrap();
    let out = run();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
}

#[test]
fn marking_one_commitment_done_is_one_line_of_git_diff() {
    let dir = repo();
    let d = dir.path();
    let mut p = load(d);
    p.alliances[0].commitments[5].done = Some("2026-11-15".parse().unwrap());
    store::save(&d.join(FILE), &p).unwrap();
    let stat = git_ok(d, &["diff", "--numstat", "--", FILE]);
    assert_eq!(stat.trim(), format!("1\t1\t{FILE}"));
}

#[test]
fn changes_since_a_date_come_from_the_history() {
    let dir = repo();
    let d = dir.path();
    let path = d.join(FILE);
    let today = chrono::Local::now().date_naive();
    let mut p = load(d);
    p.alliances[0].partner = "Glow Ltd".to_owned();
    store::save(&path, &p).unwrap();
    let changes = alliance_desk::history::changes_since(&path, "glow", today).unwrap();
    let lines: Vec<String> = changes.iter().map(ToString::to_string).collect();
    assert_eq!(lines, ["partner: \"Glow & Co\" → \"Glow Ltd\""]);
    let before = today.pred_opt().unwrap().pred_opt().unwrap();
    assert!(matches!(
        alliance_desk::history::changes_since(&path, "glow", before),
        Err(alliance_desk::history::HistoryError::NoVersionBefore { .. })
    ));
    let outside = tempfile::tempdir().unwrap();
    let lone = outside.path().join(FILE);
    std::fs::write(&lone, alliance_desk::sample::NORTHWIND).unwrap();
    let err = alliance_desk::history::changes_since(&lone, "glow", today).unwrap_err();
    assert_eq!(
        err.to_string(),
        "not in a git repository, so changes since the last review are not known"
    );
}
