//! `import-revenue` end to end (SPEC §9): the per-month old → new table, warnings, `--dry-run`,
//! the second import a no-op, every bad-input case with its line and exit 2 with the portfolio
//! untouched, the attribution-report variant, and `check` warning about overlapping rules.
#![expect(
    clippy::float_cmp,
    reason = "amounts are summed in fixed point: the values must be exact"
)]

use std::path::{Path, PathBuf};

use alliance_desk::import::revenue::generate::{ShopifyOptions, sample_rules, shopify_orders};
use alliance_desk::model::{Alliance, AllianceKind, Month, Portfolio, Status};
use alliance_desk::store;
use assert_cmd::Command;
use chrono::NaiveDate;

const HEAD: &str = "Name,Email,Financial Status,Paid at,Currency,Subtotal,Discount Code,Created at,Lineitem name,Cancelled at,Refunded Amount,Tags,Source\n";

fn portfolio() -> Portfolio {
    let mut p = Portfolio::empty("Northwind Goods");
    p.revenue.insert("2026-09".parse().unwrap(), 405_000.0);
    for (i, (id, rules)) in sample_rules().into_iter().enumerate() {
        let mut a = Alliance::new(
            id,
            if i == 0 {
                "Glow & Co"
            } else {
                "Peak Outfitters"
            },
            AllianceKind::CoMarketing,
            NaiveDate::from_ymd_opt(2025, 11, 1).unwrap(),
        );
        a.status = Status::Active;
        a.attribution = rules;
        p.alliances.push(a);
    }
    let mut proposed = Alliance::new(
        "fern",
        "Fern Labs",
        AllianceKind::Wholesale,
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
    );
    proposed.attribution.codes = vec!["FERN".into()];
    p.alliances.push(proposed);
    p
}

fn setup(csv: &str) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("portfolio.ron");
    std::fs::write(&file, store::to_canonical_ron(&portfolio())).unwrap();
    let orders = dir.path().join("orders_export_1.csv");
    std::fs::write(&orders, csv).unwrap();
    (dir, file, orders)
}

fn run(args: &[&str], file: &Path, export: &Path) -> std::process::Output {
    Command::new(assert_cmd::cargo::cargo_bin!("alliance-desk"))
        .current_dir(file.parent().unwrap())
        .arg("import-revenue")
        .arg(file.file_name().unwrap())
        .args(args)
        .arg(export.file_name().unwrap())
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn m(s: &str) -> Month {
    s.parse().unwrap()
}

const ORDERS: &str = "\
#1001,a@x,paid,2026-09-14,USD,100.00,GLOW15,2026-09-14 10:00:00 -0400,Mug,,,,web
#1001,a@x,,,,,,,Candle,,,,
#1002,b@x,partially_refunded,2026-09-20,USD,80.00,,2026-09-20 10:00:00 -0400,Throw,,20.00,\"vip, Peak-Partner\",web
#1003,c@x,paid,2026-10-02,USD,50.00,\"glow15, PEAK10\",2026-10-02 10:00:00 -0400,Socks,,,,web
#1004,d@x,voided,2026-10-03,USD,999.00,GLOW15,2026-10-03 10:00:00 -0400,Socks,,,,web
#1005,e@x,refunded,2026-10-05,USD,30.00,FERN,2026-10-05 10:00:00 -0400,Tea,,45.00,,web
#1006,f@x,paid,2026-10-09,USD,12.50,,2026-10-09 10:00:00 -0400,Tea,,,,glow-newsletter
";

#[test]
fn shopify_import_prints_the_table_saves_and_a_second_run_changes_nothing() {
    let (_dir, file, orders) = setup(&format!("{HEAD}{ORDERS}"));
    let out = run(&["--shopify"], &file, &orders);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}{}", stdout, text(&out.stderr));
    assert!(
        text(&out.stderr).is_empty(),
        "no progress bar off a terminal: {}",
        text(&out.stderr)
    );
    assert!(stdout.starts_with("Shopify orders: 7 rows, 6 orders — 5 counted, 0 cancelled, 1 voided; 3 attributed, 1 ambiguous\n"), "{stdout}");
    for expected in [
        "2026-09\n  brand total",
        "405,000.00 → 160.00",
        "Glow & Co (glow)",
        "— → 100.00",
        "— → 60.00",
        "2026-10\n",
        "— → 62.50",
        "— → 12.50",
        "warning: orders_export_1.csv:5: order #1003 matches glow and peak: counted for none of them",
        "warning: 2026-09 is covered only from 2026-09-14",
        "warning: 2026-10 is covered only up to 2026-10-09",
        "wrote 6 values to portfolio.ron",
    ] {
        assert!(stdout.contains(expected), "{expected:?} in\n{stdout}");
    }
    assert!(
        !stdout.contains("Fern"),
        "a Proposed alliance takes no part"
    );
    let p = store::load(&file).unwrap().portfolio;
    assert_eq!(p.revenue.get(&m("2026-09")), Some(&160.0));
    assert_eq!(p.revenue.get(&m("2026-10")), Some(&62.5));
    let glow = p.alliance("glow").unwrap();
    assert_eq!(glow.revenue.get(&m("2026-10")), Some(&12.5));
    let peak = p.alliance("peak").unwrap();
    assert_eq!(peak.revenue.get(&m("2026-10")), Some(&0.0));
    assert!(p.alliance("fern").unwrap().revenue.is_empty());
    assert!(file.with_file_name("portfolio.ron.bak").exists());

    let saved = std::fs::read(&file).unwrap();
    let again = run(&["--shopify"], &file, &orders);
    assert!(again.status.success());
    assert!(
        text(&again.stdout).contains("nothing changed"),
        "{}",
        text(&again.stdout)
    );
    assert!(text(&again.stdout).contains("(unchanged)"));
    assert_eq!(std::fs::read(&file).unwrap(), saved);
}

#[test]
fn dry_run_prints_the_same_and_writes_nothing() {
    let (_dir, file, orders) = setup(&format!("{HEAD}{ORDERS}"));
    let before = std::fs::read(&file).unwrap();
    let out = run(&["--dry-run", "--shopify"], &file, &orders);
    assert!(out.status.success());
    let stdout = text(&out.stdout);
    assert!(stdout.contains("405,000.00 → 160.00"), "{stdout}");
    assert!(
        stdout.contains("dry run: 6 values would change; nothing written"),
        "{stdout}"
    );
    assert_eq!(std::fs::read(&file).unwrap(), before);
    assert!(!file.with_file_name("portfolio.ron.bak").exists());
}

fn refused(csv: &[u8], expected: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("portfolio.ron");
    std::fs::write(&file, store::to_canonical_ron(&portfolio())).unwrap();
    let orders = dir.path().join("ORDERS.csv");
    std::fs::write(&orders, csv).unwrap();
    let before = std::fs::read(&file).unwrap();
    let out = run(&["--shopify"], &file, &orders);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    for e in expected {
        assert!(stderr.contains(e), "{e:?} in\n{stderr}");
    }
    assert!(stderr.trim_end().ends_with("nothing imported"), "{stderr}");
    assert_eq!(std::fs::read(&file).unwrap(), before);
    assert!(!file.with_file_name("portfolio.ron.bak").exists());
}

#[test]
fn every_bad_input_exits_2_with_its_lines_and_the_portfolio_untouched() {
    refused(
        b"Name,Subtotal,Created at\n#1,1.00,2026-10-01\n",
        &[
            "ORDERS.csv:1: missing columns `Financial Status`, `Currency`, `Discount Code`, `Cancelled at`, `Refunded Amount`, `Tags`, `Source`",
        ],
    );
    refused(
        format!(
            "{HEAD}#1,a,paid,,EUR,1.00,,2026-10-01,Mug,,,,\n#2,a,paid,,USD,\"1,5\",,2026-10-01,Mug,,,,\n#3,a,paid,,USD,1.00,,\"Oct\n3\",Mug,,,,\n#4,a,paid,,USD,1.00,,2026-10-01,Mug,,zero,,\n"
        )
        .as_bytes(),
        &[
            "ORDERS.csv:2: order #1 is in EUR; the portfolio is in USD",
            "ORDERS.csv:3: `Subtotal` \"1,5\" is not a number",
            "ORDERS.csv:4: `Created at` \"Oct\\u{a}3\" is not a date",
            "ORDERS.csv:6: `Refunded Amount` \"zero\" is not a number",
            "4 problems; nothing imported",
        ],
    );
    refused(b"", &["ORDERS.csv:1: the file is empty"]);
    refused(
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xff\xfe",
        &["ORDERS.csv:1: this is not a CSV text file"],
    );
}

#[test]
fn a_generated_export_with_bom_crlf_and_many_rows_imports_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("portfolio.ron");
    std::fs::write(&file, store::to_canonical_ron(&portfolio())).unwrap();
    let orders = dir.path().join("orders_export_1.csv");
    let exp = shopify_orders(
        &ShopifyOptions {
            orders: 20_000,
            ..ShopifyOptions::default()
        },
        std::fs::File::create(&orders).unwrap(),
    )
    .unwrap();
    let out = run(&["--shopify"], &file, &orders);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).is_empty(), "{}", text(&out.stderr));
    let p = store::load(&file).unwrap().portfolio;
    for (month, units) in &exp.brand {
        assert_eq!(p.revenue[month], *units as f64 / 10_000.0, "{month}");
    }
    for (i, id) in ["glow", "peak"].into_iter().enumerate() {
        let a = p.alliance(id).unwrap();
        for (month, units) in &exp.partners[i] {
            assert_eq!(a.revenue[month], *units as f64 / 10_000.0, "{id} {month}");
        }
    }
}

#[test]
fn attribution_report_sets_alliance_revenue_by_source() {
    let report = "Date,Channel,Revenue\n2026-10-01,Glow-Newsletter,1200.50\n2026-10-15,google,9000\n2026-10-20,glow-newsletter,300\n";
    let (_dir, file, path) = setup(report);
    let out = Command::new(assert_cmd::cargo::cargo_bin!("alliance-desk"))
        .arg("import-revenue")
        .arg(&file)
        .arg("--attribution")
        .arg(&path)
        .args(["--date", "Date", "--revenue", "Revenue", "--key", "channel"])
        .output()
        .unwrap();
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("— → 1,500.50"), "{stdout}");
    assert!(!stdout.contains("brand total"), "{stdout}");
    let p = store::load(&file).unwrap().portfolio;
    assert_eq!(p.alliance("glow").unwrap().revenue[&m("2026-10")], 1500.5);
    assert!(
        p.alliance("peak").unwrap().revenue.is_empty(),
        "peak has no sources"
    );
    assert!(
        !p.revenue.contains_key(&m("2026-10")),
        "the brand total is untouched"
    );
}

#[test]
fn usage_errors_exit_2() {
    let (_dir, file, orders) = setup(HEAD);
    for args in [
        vec![],
        vec!["--attribution"],
        vec!["--shopify", "x.csv", "--attribution"],
    ] {
        let out = run(&args, &file, &orders);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
    let missing = Command::new(assert_cmd::cargo::cargo_bin!("alliance-desk"))
        .args(["import-revenue"])
        .arg(&file)
        .args(["--shopify", "/nonexistent/orders.csv"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stderr).contains("/nonexistent/orders.csv: cannot read"));
}

#[test]
fn check_warns_about_rules_two_alliances_share() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("portfolio.ron");
    let mut p = portfolio();
    p.alliances[1].attribution.tags.push("GLOW".into());
    std::fs::write(&file, store::to_canonical_ron(&p)).unwrap();
    let out = Command::new(assert_cmd::cargo::cargo_bin!("alliance-desk"))
        .arg("check")
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("alliance \"peak\" › attribution › tags")
            && stderr.contains("tag \"glow\" is a rule of glow and peak"),
        "{stderr}"
    );
}
