//! `alliance-desk publish` through the real binary: pages written, tokens saved, `--rotate`
//! removes the old page, stale pages go, and nothing that is not ours is touched.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn sample_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("northwind.ron");
    fs::copy("sample_portfolio/northwind.ron", &file).unwrap();
    (dir, file)
}

fn publish(file: &Path, out: &Path, extra: &[&str]) -> String {
    let output = Command::cargo_bin("alliance-desk")
        .unwrap()
        .arg("publish")
        .arg(file)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "publish failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn load(file: &Path) -> alliance_desk::model::Portfolio {
    alliance_desk::store::load(file).unwrap().portfolio
}

fn token(file: &Path, id: &str) -> Option<String> {
    load(file).alliance(id).unwrap().share_token.clone()
}

/// The token folders under `out`.
fn folders(out: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(out)
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().into_string().unwrap())
        .collect();
    v.sort();
    v
}

#[test]
fn publish_writes_pages_and_saves_tokens() {
    let (dir, file) = sample_copy();
    let out = dir.path().join("site");
    let report = publish(&file, &out, &[]);
    let p = load(&file);
    let published: Vec<_> = p
        .alliances
        .iter()
        .filter(|a| {
            matches!(
                a.status,
                alliance_desk::model::Status::Active | alliance_desk::model::Status::WindingDown
            )
        })
        .collect();
    assert!(out.join("index.html").is_file());
    for a in &published {
        let token = a.share_token.as_deref().expect("a token was saved");
        assert_eq!(token.len(), 22);
        let page = fs::read_to_string(out.join(token).join("index.html")).unwrap();
        assert!(page.contains("Weekly pulse"), "{}", a.id);
        assert!(
            report.contains(&format!("partner page of {:?}", a.id)),
            "{report}"
        );
    }
    // Proposed and Ended alliances get no page and no token.
    for a in p
        .alliances
        .iter()
        .filter(|a| !published.iter().any(|x| x.id == a.id))
    {
        assert!(a.share_token.is_none(), "{}", a.id);
    }
    assert_eq!(folders(&out).len(), published.len());
    // Publishing again keeps the links.
    let before: Vec<_> = published.iter().map(|a| a.share_token.clone()).collect();
    publish(&file, &out, &[]);
    let after: Vec<_> = published.iter().map(|a| token(&file, &a.id)).collect();
    assert_eq!(before, after);
    // The previous version was kept as a backup by the store's normal save.
    assert!(dir.path().join("northwind.ron.bak").is_file());
}

#[test]
fn rotate_replaces_the_link_and_removes_the_old_page() {
    let (dir, file) = sample_copy();
    let out = dir.path().join("site");
    publish(&file, &out, &[]);
    let old = token(&file, "glow").unwrap();
    let report = publish(&file, &out, &["--rotate", "glow"]);
    let new = token(&file, "glow").unwrap();
    assert_ne!(old, new);
    assert!(!out.join(&old).exists(), "the old page is gone");
    assert!(out.join(&new).join("index.html").is_file());
    assert!(report.contains("rotated the link of \"glow\""), "{report}");
}

#[test]
fn rotate_of_an_unknown_alliance_fails_and_writes_nothing() {
    let (dir, file) = sample_copy();
    let out = dir.path().join("site");
    let before = fs::read(&file).unwrap();
    let output = Command::cargo_bin("alliance-desk")
        .unwrap()
        .arg("publish")
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .args(["--rotate", "nope"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no alliance \"nope\""), "{stderr}");
    assert_eq!(fs::read(&file).unwrap(), before);
    assert!(!out.exists());
}

#[test]
fn pages_of_alliances_no_longer_published_are_removed_and_nothing_else() {
    let (dir, file) = sample_copy();
    let out = dir.path().join("site");
    publish(&file, &out, &[]);
    let glow = token(&file, "glow").unwrap();
    // Things in the folder that are not ours: a file, a folder named like a token without our
    // marker, a folder of the user's.
    fs::write(out.join("CNAME"), "dash.example.com\n").unwrap();
    let lookalike = "BBBBBBBBBBBBBBBBBBBBBQ";
    fs::create_dir(out.join(lookalike)).unwrap();
    fs::write(out.join(lookalike).join("index.html"), "mine").unwrap();
    fs::create_dir(out.join("assets")).unwrap();
    // Glow ends.
    let text = fs::read_to_string(&file).unwrap();
    let mut p = alliance_desk::store::parse(&text, "x").unwrap().portfolio;
    let i = p.alliance_index("glow").unwrap();
    p.alliances[i].status = alliance_desk::model::Status::Ended;
    alliance_desk::store::save(&file, &p).unwrap();
    let report = publish(&file, &out, &[]);
    assert!(
        !out.join(&glow).exists(),
        "the ended alliance's page is gone"
    );
    assert!(report.contains("removed"), "{report}");
    assert_eq!(
        fs::read_to_string(out.join("CNAME")).unwrap(),
        "dash.example.com\n"
    );
    assert_eq!(
        fs::read_to_string(out.join(lookalike).join("index.html")).unwrap(),
        "mine"
    );
    assert!(out.join("assets").is_dir());
    // The token stays in the file: if the alliance comes back, so does its link.
    assert_eq!(token(&file, "glow"), Some(glow));
}

#[test]
fn score_json_has_outcomes() {
    let output = Command::cargo_bin("alliance-desk")
        .unwrap()
        .args(["score", "sample_portfolio/northwind.ron", "--json"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let v: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let o = &v["outcomes"];
    assert!(o["lifespans"].as_array().is_some_and(|l| !l.is_empty()));
    assert!(o["median_lifespan_months"]["governed"].is_number());
    assert!(o["goal_attainment_by_quarter"].is_array());
    assert!(o["alliance_share_by_month"][0]["band"].is_string());
    assert!(o["top_contributors"][0]["partner"].is_string());
}
