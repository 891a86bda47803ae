//! The real `alliance-desk` binary over fixture files: exit codes, messages and outputs.
//!
//! Fixtures of this suite are `tests/fixtures/{valid,invalid}/cli_*.ron`. The sample portfolio
//! is only checked for what holds for any valid portfolio.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

const VALID: &str = "tests/fixtures/valid/cli_two_alliances.ron";
const SYNTAX: &str = "tests/fixtures/invalid/cli_syntax_error.ron";
const UNKNOWN_FIELD: &str = "tests/fixtures/invalid/cli_unknown_field.ron";
const SAMPLE: &str = "sample_portfolio/northwind.ron";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Run {
    let out = Command::new(assert_cmd::cargo::cargo_bin!("alliance-desk"))
        .args(args)
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn ok(args: &[&str]) -> Run {
    let r = run(args);
    assert_eq!(
        r.code, 0,
        "{args:?}\nstdout: {}\nstderr: {}",
        r.stdout, r.stderr
    );
    r
}

/// A copy of `src` in a fresh temp dir (which must outlive the path).
fn copy_to_temp(src: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let dst = dir.path().join(Path::new(src).file_name().unwrap());
    std::fs::copy(src, &dst).unwrap();
    (dir, dst)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn help_and_version() {
    let r = ok(&["--help"]);
    for word in [
        "check",
        "score",
        "export",
        "import-commitments",
        "new",
        "--theme",
        "--as-of",
        "--demo",
    ] {
        assert!(r.stdout.contains(word), "help lacks {word}");
    }
    let r = ok(&["--version"]);
    assert!(r.stdout.contains(env!("CARGO_PKG_VERSION")));
}

#[test]
fn the_workspace_refuses_a_bad_file_before_touching_the_terminal() {
    let r = run(&["tests/fixtures/invalid/cli_syntax_error.ron"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("cli_syntax_error.ron:"), "{}", r.stderr);
    assert!(
        !r.stdout.contains('\u{1b}'),
        "no escape sequences before the alternate screen"
    );
    assert_eq!(
        run(&["--demo", VALID]).code,
        2,
        "--demo conflicts with FILE"
    );
}

#[test]
fn the_workspace_needs_a_terminal() {
    let r = run(&["--demo"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("needs a terminal"), "{}", r.stderr);
}

#[test]
fn check_ok_counts_alliances_and_intakes() {
    let r = ok(&["check", VALID]);
    assert_eq!(r.stdout, format!("{VALID}: ok — 2 alliances, 1 intake\n"));
}

#[test]
fn check_reports_load_errors_with_exit_2() {
    for file in [SYNTAX, UNKNOWN_FIELD] {
        let r = run(&["check", file]);
        assert_eq!(r.code, 2, "{file}");
        assert!(r.stdout.is_empty());
        assert!(r.stderr.contains(file), "{}", r.stderr);
    }
    let r = run(&["check", "tests/fixtures/no-such-file.ron"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no-such-file.ron"));
}

#[test]
fn score_table_lists_every_alliance_with_missing_values_as_dashes() {
    let r = ok(&["score", VALID]);
    assert!(r.stdout.contains("Northwind Goods — as of 2026-11-15"));
    for col in [
        "Partner",
        "Kind",
        "Status",
        "Health",
        "ARCR",
        "CFR 30d",
        "SAS",
        "Next review",
        "Flags",
    ] {
        assert!(r.stdout.contains(col), "no column {col}");
    }
    assert!(r.stdout.contains("Glow & Co"));
    assert!(r.stdout.contains("Peak Outfitters"));
    assert!(r.stdout.contains("Portfolio: alliance share"));
    assert!(r.stdout.contains("15–25%"));
    // Peak has no health, CFR or SAS: dashes, never a made-up 0. Its ARCR is a real 0: the
    // brand had revenue in its first month and the alliance none (SPEC §1.1).
    let peak = r.stdout.lines().find(|l| l.starts_with("Peak")).unwrap();
    assert!(peak.contains('—'));
    assert!(peak.contains("0.0%"));
    assert!(!peak.contains("0/20"));
}

#[test]
fn global_as_of_applies_to_every_subcommand() {
    let r = ok(&["score", VALID, "--as-of", "2026-12-31"]);
    assert!(r.stdout.contains("as of 2026-12-31"));
    let r = ok(&["--as-of", "2026-12-31", "score", VALID, "--json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["as_of"], "2026-12-31");
    let r = ok(&["export", VALID, "--format", "json", "--as-of", "2027-01-02"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["as_of"], "2027-01-02");
}

#[test]
fn bad_as_of_is_a_usage_error() {
    for bad in ["2026-1-1", "2026-02-30", "yesterday", "15/11/2026"] {
        let r = run(&["score", VALID, "--as-of", bad]);
        assert_eq!(r.code, 2, "{bad}");
        assert!(
            r.stderr.contains("YYYY-MM-DD") || r.stderr.contains("no such day"),
            "{}",
            r.stderr
        );
    }
}

fn check_schema(v: &serde_json::Value) {
    for key in ["as_of", "brand", "currency", "portfolio", "alliances"] {
        assert!(v.get(key).is_some(), "no {key}");
    }
    let p = &v["portfolio"];
    for key in [
        "latest_month",
        "alliance_share",
        "active",
        "goal_attainment",
        "flag_counts",
    ] {
        assert!(p.get(key).is_some(), "no portfolio.{key}");
    }
    assert!(p["flag_counts"]["warn"].is_u64());
    assert!(p["flag_counts"]["critical"].is_u64());
    for a in v["alliances"].as_array().unwrap() {
        for key in [
            "id",
            "partner",
            "kind",
            "status",
            "health",
            "audit",
            "arcr",
            "cfr",
            "execution_speed_days",
            "sas",
            "win_conditions",
            "next_reviews",
            "flags",
        ] {
            assert!(a.get(key).is_some(), "no alliances[].{key}");
        }
        assert!(a["audit"]["answers_yes"].is_u64());
        assert!(["alive", "at_risk", "dead"].contains(&a["audit"]["state"].as_str().unwrap()));
        for key in ["latest", "month", "series"] {
            assert!(a["arcr"].get(key).is_some());
        }
        for key in ["us", "partner", "all"] {
            assert!(a["cfr"]["trailing_30d"].get(key).is_some());
        }
        assert!(a["cfr"]["monthly"].is_array());
        // Screen-only extras are not in the schema.
        assert!(a.get("sas_history").is_none());
        assert!(a["cfr"]["trailing_30d"].get("counts").is_none());
    }
}

#[test]
fn score_json_has_the_schema_and_nulls() {
    let r = ok(&["score", VALID, "--json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    check_schema(&v);
    assert_eq!(v["brand"], "Northwind Goods");
    assert_eq!(v["as_of"], "2026-11-15");
    let peak = &v["alliances"][1];
    assert_eq!(peak["id"], "peak");
    assert_eq!(peak["kind"], "Wholesale");
    assert_eq!(peak["status"], "Proposed");
    // Peak has no health score, no charter, no commitments, no reviews: nulls, not zeros.
    assert!(peak["health"].is_null());
    assert!(peak["sas"].is_null());
    assert!(peak["next_reviews"].is_null());
    assert!(peak["execution_speed_days"].is_null());
    assert!(peak["cfr"]["trailing_30d"]["all"].is_null());
    assert_eq!(peak["win_conditions"], serde_json::json!([]));
    assert_eq!(
        peak["flags"],
        serde_json::json!([]),
        "Proposed alliances get no flags"
    );
}

#[test]
fn sample_scores_and_exports_cleanly() {
    ok(&["check", SAMPLE]);
    let r = ok(&["score", SAMPLE, "--json"]);
    check_schema(&serde_json::from_str(&r.stdout).unwrap());
    ok(&["score", SAMPLE]);
    for format in ["csv", "md", "ics", "json"] {
        ok(&["export", SAMPLE, "--format", format]);
    }
}

#[test]
fn export_json_equals_score_json() {
    let a = ok(&["score", VALID, "--json"]).stdout;
    let b = ok(&["export", VALID, "--format", "json"]).stdout;
    assert_eq!(a, b);
}

#[test]
fn export_csv_has_a_header_and_a_row_per_alliance() {
    let r = ok(&["export", VALID, "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(r.stdout.as_bytes());
    let header = reader.headers().unwrap().clone();
    for col in [
        "id",
        "partner",
        "health_total",
        "arcr_latest",
        "cfr_30d_all",
        "sas_combined",
        "flags",
        "warn_count",
    ] {
        assert!(header.iter().any(|h| h == col), "no column {col}");
    }
    let rows: Vec<_> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(&rows[0][0], "glow");
    let one = ok(&["export", VALID, "--format", "csv", "--alliance", "peak"]).stdout;
    assert_eq!(one.lines().count(), 2);
    assert!(!one.contains("Glow"));
}

#[test]
fn export_md_portfolio_and_partner_safe_reports() {
    let all = ok(&["export", VALID, "--format", "md"]).stdout;
    assert!(all.contains("# Northwind Goods"));
    assert!(all.contains("Glow & Co") && all.contains("Peak Outfitters"));
    assert!(all.contains("15–25%"));
    assert!(!all.contains("INTERNAL"));

    let glow = ok(&["export", VALID, "--format", "md", "--alliance", "glow"]).stdout;
    assert!(glow.contains("Glow & Co"));
    assert!(glow.contains("Referral revenue"));
    assert!(glow.contains("Dana Lee"));
    assert!(
        glow.contains("Ship the holiday bundle"),
        "open commitment listed"
    );
    assert!(
        !glow.contains("Email blast"),
        "done commitment not listed as open"
    );
    for leak in [
        "Peak",
        "INTERNAL",
        "Alliance share",
        "Goal attainment",
        "Harbor",
    ] {
        assert!(!glow.contains(leak), "partner report leaks {leak}");
    }
}

#[test]
fn export_md_review_summary() {
    let m = ok(&[
        "export",
        VALID,
        "--format",
        "md",
        "--alliance",
        "glow",
        "--review",
        "2026-10-15",
    ])
    .stdout;
    assert!(m.contains("Monthly business review"));
    assert!(m.contains("Shelf space"));
    let q = ok(&[
        "export",
        VALID,
        "--format",
        "md",
        "--alliance",
        "glow",
        "--review",
        "2026-10-20",
    ])
    .stdout;
    assert!(q.contains("Quarterly strategic review"));
    assert!(q.contains("Combined SAS: 6.5"));
    assert!(q.contains("Maintain"));
    let r = run(&[
        "export",
        VALID,
        "--format",
        "md",
        "--alliance",
        "glow",
        "--review",
        "2026-10-01",
    ]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("no review"), "{}", r.stderr);
    assert_eq!(
        run(&["export", VALID, "--format", "md", "--review", "2026-10-15"]).code,
        2
    );
    assert_eq!(
        run(&[
            "export",
            VALID,
            "--format",
            "csv",
            "--alliance",
            "glow",
            "--review",
            "2026-10-15"
        ])
        .code,
        2
    );
}

#[test]
fn export_ics_is_a_crlf_calendar() {
    let r = ok(&["export", VALID, "--format", "ics"]);
    let text = &r.stdout;
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n"));
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    assert!(text.contains("VERSION:2.0\r\n"));
    assert!(text.split("\r\n").all(|l| l.len() <= 75));
    // glow (Active, charter): 3 MBRs, 4 QSRs and its 90-day review; peak has no charter.
    assert_eq!(text.matches("BEGIN:VEVENT").count(), 8);
    assert_eq!(text.matches("DTSTAMP:").count(), 8);
    assert!(text.contains("UID:glow-mbr-2026-11-15@alliance-desk"));
    assert!(text.contains("UID:glow-90day-2026-12-01@alliance-desk"));
    let peak = ok(&["export", VALID, "--format", "ics", "--alliance", "peak"]).stdout;
    assert!(!peak.contains("BEGIN:VEVENT"));
}

#[test]
fn export_to_out_writes_the_file_and_nothing_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    for (format, name) in [
        ("csv", "a.csv"),
        ("md", "a.md"),
        ("ics", "a.ics"),
        ("json", "a.json"),
    ] {
        let out = dir.path().join(name);
        let r = ok(&["export", VALID, "--format", format, "--out", s(&out)]);
        assert!(r.stdout.is_empty());
        let written = std::fs::read_to_string(&out).unwrap();
        let direct = ok(&["export", VALID, "--format", format]).stdout;
        if format == "ics" {
            assert_eq!(written.lines().count(), direct.lines().count());
        } else {
            assert_eq!(written, direct);
        }
    }
}

#[test]
fn export_never_overwrites_the_portfolio_itself() {
    let (_dir, file) = copy_to_temp(VALID);
    let before = std::fs::read_to_string(&file).unwrap();
    let r = run(&["export", s(&file), "--format", "csv", "--out", s(&file)]);
    assert_eq!(r.code, 2);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), before);
}

#[test]
fn unknown_alliance_names_the_known_ones() {
    let r = run(&["export", VALID, "--format", "md", "--alliance", "xyz"]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr.trim(),
        format!("no alliance \"xyz\" in {VALID} (known: glow, peak)")
    );
}

#[test]
fn unknown_format_is_a_usage_error() {
    assert_eq!(run(&["export", VALID, "--format", "pdf"]).code, 2);
}

#[test]
fn new_writes_a_valid_portfolio_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.ron");
    ok(&["new", s(&file)]);
    let r = ok(&["check", s(&file)]);
    assert!(r.stdout.contains("ok — 0 alliances, 0 intakes"));
    let before = std::fs::read_to_string(&file).unwrap();
    let r = run(&["new", s(&file)]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("already exists"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), before);
}

#[test]
fn import_commitments_good_csv() {
    let (dir, file) = copy_to_temp(VALID);
    let csv = dir.path().join("c.csv");
    std::fs::write(
        &csv,
        "party,action,due,done\nus,\"Send assets, v2\",2026-11-20,\nPartner,Post on socials,2026-11-10,2026-11-09\n",
    )
    .unwrap();
    let r = ok(&[
        "import-commitments",
        s(&file),
        "--alliance",
        "glow",
        "--csv",
        s(&csv),
    ]);
    assert!(r.stdout.contains("imported 2 commitments"), "{}", r.stdout);
    // glow's highest id is 7: new ids continue after it.
    assert!(
        r.stdout.contains("#8") && r.stdout.contains("#9"),
        "{}",
        r.stdout
    );
    let saved = std::fs::read_to_string(&file).unwrap();
    assert!(saved.contains("Send assets, v2"));
    assert!(saved.contains("Post on socials"));
    ok(&["check", s(&file)]);
}

#[test]
fn import_commitments_twice_skips_what_is_there_and_dry_run_writes_nothing() {
    let (dir, file) = copy_to_temp(VALID);
    let csv = dir.path().join("c.csv");
    std::fs::write(
        &csv,
        "party,action,due\nus,Send assets,2026-11-20\npartner,Post,2026-11-10\n",
    )
    .unwrap();
    let args = |extra: &[&'static str]| {
        let mut v = vec![
            "import-commitments".to_owned(),
            s(&file).to_owned(),
            "--alliance".to_owned(),
            "glow".to_owned(),
            "--csv".to_owned(),
            s(&csv).to_owned(),
        ];
        v.extend(extra.iter().map(|e| (*e).to_owned()));
        v
    };
    let before = std::fs::read_to_string(&file).unwrap();
    let dry = args(&["--dry-run"]);
    let r = ok(&dry.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(
        r.stdout.contains("dry run: nothing written"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("2 added, 0 skipped"), "{}", r.stdout);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), before);
    assert!(!dir.path().join("cli_two_alliances.ron.bak").exists());
    let real = args(&[]);
    let r = ok(&real.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(r.stdout.contains("2 added, 0 skipped"), "{}", r.stdout);
    let once = std::fs::read_to_string(&file).unwrap();
    let r = ok(&real.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(r.stdout.contains("0 added, 2 skipped"), "{}", r.stdout);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        once,
        "nothing new: not rewritten"
    );
}

#[test]
fn import_commitments_bad_csv_reports_every_row_and_imports_nothing() {
    let (dir, file) = copy_to_temp(VALID);
    let before = std::fs::read_to_string(&file).unwrap();
    let csv = dir.path().join("c.csv");
    std::fs::write(
        &csv,
        "party,action,due,done\nus,Fine row,2026-11-20,\nthem,Bad party,2026-11-20,\nus,,2026-11-20,\nus,Bad date,2026-11-31,\n",
    )
    .unwrap();
    let r = run(&[
        "import-commitments",
        s(&file),
        "--alliance",
        "glow",
        "--csv",
        s(&csv),
    ]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("c.csv:3: party \"them\""), "{}", r.stderr);
    assert!(
        r.stderr.contains("c.csv:4: action is empty"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("c.csv:5: due"), "{}", r.stderr);
    assert!(
        r.stderr.contains("3 bad rows; nothing imported"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty());
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        before,
        "file untouched"
    );

    let r = run(&[
        "import-commitments",
        s(&file),
        "--alliance",
        "nope",
        "--csv",
        s(&csv),
    ]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("no alliance \"nope\""));
}

#[test]
fn import_into_an_invalid_file_is_a_load_error() {
    let (dir, file) = copy_to_temp(SYNTAX);
    let before = std::fs::read_to_string(&file).unwrap();
    let csv = dir.path().join("c.csv");
    std::fs::write(&csv, "party,action,due,done\nus,x,2026-11-20,\n").unwrap();
    let r = run(&[
        "import-commitments",
        s(&file),
        "--alliance",
        "glow",
        "--csv",
        s(&csv),
    ]);
    assert_eq!(r.code, 2);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), before);
}
