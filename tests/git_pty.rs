//! End to end in a pseudo-terminal with a real git repository (SPEC §10): two branches rename
//! one partner differently, `git merge` with the driver (`alliance-desk git-setup`) stops with
//! a conflicts file, the workspace opened on the file offers the conflict, theirs is picked
//! and saved, the conflicts file goes, `check` passes and `git diff` shows the chosen name.

mod support;

use std::path::Path;
use std::process::{Command, Output};

use support::{BIN, Session, WAIT, keys};

const FILE: &str = "portfolio.ron";

fn git(dir: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .expect("run git")
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

fn alliance_desk(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run alliance-desk")
}

/// Rename the first partner on `branch` (from main) the way a teammate would, and commit.
fn rename_on(d: &Path, branch: &str, name: &str) {
    git_ok(d, &["checkout", "-q", "-B", branch, "main"]);
    let path = d.join(FILE);
    let mut p = alliance_desk::store::load(&path).unwrap().portfolio;
    name.clone_into(&mut p.alliances[0].partner);
    alliance_desk::store::save(&path, &p).unwrap();
    let _ = std::fs::remove_file(alliance_desk::store::backup_path(&path));
    git_ok(d, &["commit", "-q", "-am", branch]);
}

#[test]
fn a_conflicting_rename_is_resolved_in_the_workspace_and_saved() {
    let home = support::temp_home();
    let d = home.path();
    git_ok(d, &["init", "-q", "-b", "main"]);
    git_ok(d, &["config", "user.name", "Test"]);
    git_ok(d, &["config", "user.email", "test@example.com"]);
    git_ok(d, &["config", "commit.gpgsign", "false"]);
    std::fs::write(d.join(FILE), alliance_desk::sample::NORTHWIND).unwrap();
    let setup = alliance_desk(d, &["git-setup", FILE]);
    assert!(setup.status.success(), "{setup:?}");
    git_ok(d, &["add", "-A"]);
    git_ok(d, &["commit", "-q", "-m", "base"]);
    rename_on(d, "ours", "Glow Ltd");
    rename_on(d, "theirs", "Glow Group");
    git_ok(d, &["checkout", "-q", "ours"]);
    let merged = git(d, &["merge", "--no-edit", "theirs"]);
    assert!(!merged.status.success(), "the rename conflicts: {merged:?}");
    let conflicts = alliance_desk::merge::conflicts_path(&d.join(FILE));
    assert!(conflicts.exists(), "the driver wrote the conflicts file");

    let mut s = Session::start(&[FILE], d, 120, 40);
    let screen = s
        .wait_until(WAIT, |s| {
            s.contains("Merge conflicts (0 of 1 picked)") || s.contains("Enter: close")
        })
        .unwrap_or_else(|s| panic!("no conflicts list at start:\n{s}"));
    if !screen.contains("Merge conflicts (0") {
        // A start-up notice comes first; the conflicts list follows it.
        s.press(keys::ENTER);
        s.wait_for("Merge conflicts (0 of 1 picked)", WAIT);
    }
    let screen = s.wait_for("glow › partner [pick o / t]", WAIT);
    assert!(screen.contains("theirs \"Glow Group\""), "{screen}");
    assert!(screen.contains("ours   \"Glow Ltd\""), "{screen}");
    s.press("t");
    s.wait_for("glow › partner [theirs]", WAIT);
    s.press(keys::ENTER);
    s.wait_for("Merge conflicts resolved (u undoes)", WAIT);
    assert!(conflicts.exists(), "kept until the picks are saved");
    s.press(keys::CTRL_S);
    s.wait_for("removed portfolio.ron.conflicts.ron", WAIT);
    s.press("q");
    assert!(s.wait_exit(WAIT).is_ok(), "q quits a saved workspace");

    assert!(!conflicts.exists(), "every conflict settled and saved");
    let check = alliance_desk(d, &["check", FILE]);
    assert!(check.status.success(), "{check:?}");
    let diff = git_ok(d, &["diff", "HEAD", "--", FILE]);
    assert!(
        diff.contains("-            partner: \"Glow Ltd\","),
        "{diff}"
    );
    assert!(
        diff.contains("+            partner: \"Glow Group\","),
        "{diff}"
    );
    assert_eq!(
        diff.lines()
            .filter(|l| l.starts_with(['+', '-']) && !l.starts_with("+++") && !l.starts_with("---"))
            .count(),
        2,
        "only the partner's line changed: {diff}"
    );
    git_ok(d, &["add", FILE]);
    git_ok(d, &["commit", "-q", "--no-edit"]);
}
