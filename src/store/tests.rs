use std::path::{Path, PathBuf};

use super::*;

fn fixture(kind: &str, name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(kind)
        .join(name)
}

fn load_invalid(name: &str) -> String {
    match load(&fixture("invalid", name)) {
        Ok(l) => panic!("{name} loaded: {:?}", l.warnings),
        Err(e) => e.to_string(),
    }
}

fn assert_has(report: &str, needles: &[&str]) {
    for n in needles {
        assert!(report.contains(n), "missing {n:?} in:\n{report}");
    }
}

#[test]
fn valid_fixtures_load() {
    for name in [
        "spec_example.ron",
        "minimal_alliance.ron",
        "draft_charter.ron",
        "revenue_above_brand_warning.ron",
    ] {
        let loaded = load(&fixture("valid", name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(loaded.portfolio.version, 1);
    }
}

#[test]
fn spec_example_has_comments_and_implicit_some() {
    let loaded = load(&fixture("valid", "spec_example.ron")).unwrap();
    assert!(loaded.has_comments);
    let glow = loaded.portfolio.alliance("glow").unwrap();
    let charter = glow.charter.as_ref().unwrap();
    // `review_date: "2026-02-01"` written bare reads as Some.
    assert_eq!(charter.review_date.unwrap().to_string(), "2026-02-01");
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
}

/// SPEC §6's `figures` example, verbatim but for the `…, ` standing for the other fields.
const SPEC_FIGURES_REVIEW: &str = r#"
  Monthly(date: "2026-10-15", kpis: "…", summary_sent: Some("2026-10-16"),
          figures: Some(Figures(
              arcr: Some((month: "2026-09", value: 0.055)),
              cfr_30d: (us: Some(1.0), partner: Some(0.5), all: Some(0.75)),
              health: Some(16),
              win_conditions: [(metric: "Referral revenue", target: Some(20000.0), unit: "USD/month",
                                by: Some("2026-12-31"), latest: Some((month: "2026-09", value: 18000.0)),
                                status: OnTrack)],   // Wish | Met | Missed | Unmeasured | OnTrack
          ))),
"#;

fn with_review(review: &str) -> String {
    format!(
        "Portfolio(version: 1, brand: \"B\", alliances: [Alliance(id: \"x\", partner: \"X\", \
         kind: Wholesale, status: Active, started: \"2026-01-01\", reviews: [{review}])])"
    )
}

#[test]
fn spec_figures_example_loads_and_round_trips() {
    use crate::model::{MonthFigure, WinState};
    let loaded = parse(&with_review(SPEC_FIGURES_REVIEW), "f.ron").unwrap();
    let review = &loaded.portfolio.alliances[0].reviews[0];
    let f = review.figures().expect("figures are stored");
    assert_eq!(
        f.arcr,
        Some(MonthFigure {
            month: "2026-09".parse().unwrap(),
            value: 0.055
        })
    );
    assert_eq!(f.cfr_30d.partner, Some(0.5));
    assert_eq!(f.health, Some(16));
    assert_eq!(f.win_conditions[0].status, WinState::OnTrack);
    assert!((f.win_conditions[0].latest.unwrap().value - 18000.0).abs() < 1e-9);
    let text = to_canonical_ron(&loaded.portfolio);
    assert!(text.contains("status: OnTrack"), "{text}");
    assert_eq!(parse(&text, "again").unwrap().portfolio, loaded.portfolio);
}

#[test]
fn bad_figures_are_load_errors_with_a_place() {
    let bad_status = SPEC_FIGURES_REVIEW.replace("status: OnTrack", "status: Great");
    let report = parse(&with_review(&bad_status), "f.ron")
        .unwrap_err()
        .to_string();
    assert_has(&report, &["f.ron:9:", "Great"]);
    let bad_month = SPEC_FIGURES_REVIEW.replace(
        "(month: \"2026-09\", value: 0.055)",
        "(month: \"2026-13\", value: 0.055)",
    );
    let report = parse(&with_review(&bad_month), "f.ron")
        .unwrap_err()
        .to_string();
    assert_has(&report, &["f.ron:4:", "2026-13"]);
}

#[test]
fn figures_out_of_range_name_the_review_and_field() {
    let bad = SPEC_FIGURES_REVIEW
        .replace("health: Some(16)", "health: Some(26)")
        .replace("all: Some(0.75)", "all: Some(75.0)");
    let report = parse(&with_review(&bad), "f.ron").unwrap_err().to_string();
    assert_has(
        &report,
        &[
            "reviews[Monthly 2026-10-15] › figures › health",
            "health 26 is outside 4–20",
            "figures › cfr_30d › all",
            "CFR 75 is outside 0–1",
        ],
    );
}

#[test]
fn direction_defaults_to_at_least_and_at_most_round_trips() {
    use crate::model::Direction;
    let text = "Portfolio(version: 1, brand: \"B\", alliances: [Alliance(id: \"x\", partner: \"X\", \
        kind: Fulfillment, status: Active, started: \"2026-01-01\", charter: Charter(win_conditions: [\
        WinCondition(metric: \"Revenue\"), WinCondition(metric: \"Cost per order\", direction: AtMost)]))])";
    let p = parse(text, "d.ron").unwrap().portfolio;
    let wcs = &p.alliances[0].charter.as_ref().unwrap().win_conditions;
    assert_eq!(wcs[0].direction, Direction::AtLeast);
    assert_eq!(wcs[1].direction, Direction::AtMost);
    let canonical = to_canonical_ron(&p);
    assert_eq!(
        canonical.matches("direction:").count(),
        1,
        "the default is not written"
    );
    assert_eq!(parse(&canonical, "again").unwrap().portfolio, p);
    let report = parse(&text.replace("AtMost", "Below"), "d.ron")
        .unwrap_err()
        .to_string();
    assert_has(&report, &["d.ron:1:", "Below"]);
}

#[test]
fn minimal_alliance_gets_defaults() {
    let loaded = load(&fixture("valid", "minimal_alliance.ron")).unwrap();
    assert!(!loaded.has_comments);
    let p = &loaded.portfolio;
    assert_eq!(p.currency, "USD");
    let x = &p.alliances[0];
    assert!(x.charter.is_none() && x.commitments.is_empty() && x.notes.is_empty());
}

#[test]
fn draft_charter_loads_as_a_wish() {
    let loaded = load(&fixture("valid", "draft_charter.ron")).unwrap();
    let charter = loaded.portfolio.alliances[0].charter.clone().unwrap();
    assert!(charter.win_conditions[0].is_wish());
    assert_eq!(charter.cadence.monthly_review_day, None);
    assert_eq!(charter.escalation.resolution_days, 14);
}

#[test]
fn revenue_above_brand_is_only_a_warning() {
    let loaded = load(&fixture("valid", "revenue_above_brand_warning.ron")).unwrap();
    assert_eq!(loaded.warnings.len(), 1);
    assert_has(
        &loaded.warnings[0].to_string(),
        &[
            "alliance \"glow\" › revenue[\"2026-09\"]: warning:",
            "above the brand",
        ],
    );
}

#[test]
fn empty_and_whitespace_files() {
    assert_has(
        &load_invalid("empty.ron"),
        &["empty.ron: the file is empty"],
    );
    assert_has(
        &load_invalid("whitespace_only.ron"),
        &["whitespace_only.ron: the file contains only whitespace"],
    );
}

#[test]
fn binary_files() {
    assert_has(
        &load_invalid("binary_garbage.ron"),
        &[
            "is not UTF-8 text (invalid byte at line 1, column 13)",
            "binary",
        ],
    );
    assert_has(&load_invalid("nul_bytes.ron"), &["binary file", "NUL"]);
}

#[test]
fn directory_missing_and_huge_files() {
    assert_has(
        &load_invalid("directory.ron"),
        &["directory.ron: is a folder, not a portfolio file"],
    );
    assert_has(
        &load_invalid("no_such_file.ron"),
        &["no_such_file.ron: no such file"],
    );

    let dir = tempfile::tempdir().unwrap();
    let huge = dir.path().join("huge.ron");
    // Sparse: takes no disk space, but its length is over the limit.
    fs::File::create(&huge)
        .unwrap()
        .set_len(MAX_FILE_BYTES + 1)
        .unwrap();
    let report = load(&huge).unwrap_err().to_string();
    assert_has(&report, &["is too large (65 MiB)", "at most 64 MiB"]);
}

#[cfg(unix)]
#[test]
fn unreadable_file() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("secret.ron");
    fs::write(&path, "Portfolio(version: 1, brand: \"B\")").unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read(&path).is_ok() {
        eprintln!("skipped: running as root, permissions are not enforced");
        return;
    }
    assert_has(
        &load(&path).unwrap_err().to_string(),
        &["permission denied"],
    );
}

#[test]
fn syntax_error_shows_line_and_caret() {
    let report = load_invalid("syntax_missing_comma.ron");
    let lines: Vec<&str> = report.lines().collect();
    assert!(
        lines[0].ends_with("syntax_missing_comma.ron:3:5: expected a comma `,` between items"),
        "{report}"
    );
    assert_eq!(lines[1], " 3 |     brand: \"Northwind Goods\",");
    assert_eq!(lines[2], "   |     ^");
}

#[test]
fn readable_ron_messages() {
    assert_has(
        &load_invalid("unknown_field.ron"),
        &[
            "unknown_field.ron:5:",
            "unknown field `notse` in Alliance; the fields here are: id, partner",
            "notes",
            "^",
        ],
    );
    assert_has(
        &load_invalid("missing_required_field.ron"),
        &["missing required field `partner` in Alliance"],
    );
    assert_has(
        &load_invalid("unknown_kind.ron"),
        &["unknown value `Affiliate`", "CoMarketing, Distribution"],
    );
    assert_has(
        &load_invalid("unclosed_paren.ron"),
        &["unexpected end of file"],
    );
    assert_has(
        &load_invalid("missing_close_paren.ron"),
        &["missing_close_paren.ron:6:5: expected a field name here (is a `)` missing"],
    );
    assert_has(&load_invalid("wrong_type.ron"), &["wrong_type.ron:4:"]);
}

#[test]
fn future_version_is_refused_up_front() {
    let report = load_invalid("version_2.ron");
    assert_has(
        &report,
        &[
            "version_2.ron:2:14: format version 2 is not supported",
            " 2 |     version: 2,",
        ],
    );
    assert!(!report.contains("teams"), "{report}");
}

#[test]
fn impossible_dates_all_at_once() {
    let report = load_invalid("impossible_dates.ron");
    assert_has(
        &report,
        &[
            "impossible_dates.ron:4:17: error: \"2026-02-30\" is an impossible date (field as_of)",
            ":8:22: error: \"2025-04-31\" is an impossible date (alliance \"glow\", field started)",
            ":10:67: error: \"2026-02-30\" is an impossible date (alliance \"glow\", field due)",
            ":10:87: error: \"2026-1-05\" is not a date",
        ],
    );
    assert_eq!(report.lines().count(), 4, "{report}");
}

#[test]
fn bad_month_keys_all_at_once() {
    let report = load_invalid("bad_month_keys.ron");
    assert_has(
        &report,
        &[
            ":4:16: error: \"2026-13\" is not a month",
            ":4:34: error: \"2026-1\" is not a month",
            "\"2026-00\" is not a month",
            "alliance \"glow\", field revenue",
        ],
    );
    assert_eq!(report.lines().count(), 3, "{report}");
}

#[test]
fn semantic_fixtures_name_the_place() {
    let cases: &[(&str, &[&str])] = &[
        (
            "health_score_out_of_range.ron",
            &[
                "alliance \"glow\" › health[2025-11-20] › strategic_alignment: error: score 6",
                "health[2025-11-20] › execution_reliability: error: score 0",
            ],
        ),
        (
            "sas_out_of_range.ron",
            &[
                "reviews[Quarterly 2026-10-20] › sas_us › strategy: error: answer 11 is outside 1-10",
                "sas_partner › strategy: error: answer 0",
            ],
        ),
        (
            "pipeline_score_out_of_range.ron",
            &["pipeline \"Peak Outfitters\" › score › execution_reliability: error: score 9"],
        ),
        (
            "duplicate_alliance_id.ron",
            &["alliances[2] › id: error: duplicate alliance id \"glow\""],
        ),
        (
            "bad_alliance_id.ron",
            &[
                "alliance \"Glow Co\" › id: error: id \"Glow Co\" may only use",
                "alliances[2] › id: error: the alliance id is empty",
            ],
        ),
        (
            "duplicate_commitment_id.ron",
            &["alliance \"glow\" › commitments[id 3]: error: duplicate commitment id 3"],
        ),
        (
            "negative_revenue.ron",
            &[
                "negative_revenue.ron:4:27: error: revenue[\"2026-09\"] = -405000.0 is negative",
                ":7:35: error: revenue[\"2026-09\"] = -8200.0 is negative: revenue may not be \
                 negative (alliance \"glow\", field revenue)",
            ],
        ),
        (
            "monthly_review_day_out_of_range.ron",
            &["alliance \"glow\" › charter › cadence › monthly_review_day: error: day 31"],
        ),
        (
            "quarter_month_out_of_range.ron",
            &["charter › cadence › quarterly_review_months[4]: error: month 13 is outside 1-12"],
        ),
        (
            "empty_names.ron",
            &[
                "brand: error: the brand name is empty",
                "alliance \"glow\" › partner: error: the partner name is empty",
                "pipeline[1] › partner: error",
            ],
        ),
        (
            "non_finite_number.ron",
            &[
                "error: revenue[\"2026-09\"] = inf is not a finite number",
                "error: NaN is not a finite number; write a number such as 0.0 (alliance \"glow\", field target)",
            ],
        ),
    ];
    for (name, needles) in cases {
        assert_has(&load_invalid(name), needles);
    }
}

#[test]
fn many_errors_are_reported_together() {
    let report = load_invalid("many_errors.ron");
    assert_has(
        &report,
        &[
            "error: revenue[\"2026-09\"] = -1.0 is negative",
            "monthly_review_day: error",
            "quarterly_review_months[1]: error",
            "strategic_alignment: error",
            "commitments[id 1]: error",
            "alliances[2] › id: error: duplicate",
        ],
    );
    assert_eq!(report.lines().count(), 6, "{report}");
}

#[test]
fn errors_carry_warnings_too() {
    let text = "Portfolio(version: 1, brand: \"B\", revenue: {\"2026-01\": 1.0}, alliances: [\
        Alliance(id: \"a\", partner: \"A\", kind: Wholesale, status: Active, started: \"2026-01-01\", \
        revenue: {\"2026-01\": 5.0}, commitments: [Commitment(id: 1, party: Us, action: \"x\", \
        due: \"2026-01-02\"), Commitment(id: 1, party: Us, action: \"y\", due: \"2026-01-03\")])])";
    let Err(LoadError::Invalid(d)) = parse(text, "t.ron") else {
        panic!("expected Invalid");
    };
    assert!(d.iter().any(|d| d.level == Level::Warning));
    assert!(d.iter().any(|d| d.level == Level::Error));
}

#[test]
fn comments_are_noticed_outside_strings_only() {
    let plain = parse("Portfolio(version: 1, brand: \"a // b /* c */\")", "t").unwrap();
    assert!(!plain.has_comments);
    let block = parse("Portfolio(version: 1, /* why */ brand: \"b\")", "t").unwrap();
    assert!(block.has_comments);
}

#[test]
fn content_hash_is_stable_and_sensitive() {
    // Pinned values: the hash must not change between runs, builds or machines.
    assert_eq!(content_hash(b""), 0x723c_cb5c_4b4c_70b5);
    assert_eq!(
        content_hash(b"Portfolio(version: 1, brand: \"B\")"),
        0x4a06_f5f8_618d_dc18
    );
    assert_eq!(content_hash(b""), content_hash(b""));
    // A change in any lane of a 32-byte round, or rounds swapped, changes the hash.
    let text: Vec<u8> = (0..96u8).collect();
    let base = content_hash(&text);
    for at in [0, 8, 16, 24, 40, 95] {
        let mut changed = text.clone();
        changed[at] ^= 1;
        assert_ne!(base, content_hash(&changed), "byte {at}");
    }
    let swapped: Vec<u8> = text[32..64]
        .iter()
        .chain(&text[..32])
        .chain(&text[64..])
        .copied()
        .collect();
    assert_ne!(base, content_hash(&swapped));
    let base = content_hash(b"Portfolio(version: 1, brand: \"B\")");
    assert_ne!(base, content_hash(b"Portfolio(version: 1, brand: \"C\")"));
    assert_ne!(base, content_hash(b"Portfolio(version: 1, brand: \"B\") "));
    assert_ne!(content_hash(b"abcdefgh"), content_hash(b"abcdefgi"));
    assert_ne!(content_hash(b"\0"), content_hash(b""));
    let text = "Portfolio(version: 1, brand: \"B\")";
    assert_eq!(
        parse(text, "t").unwrap().content_hash,
        content_hash(text.as_bytes())
    );
}

#[test]
fn long_lines_are_windowed() {
    let text = format!(
        "Portfolio(version: 1, brand: \"{}\", bogus: 1)",
        "x".repeat(500)
    );
    let report = parse(&text, "t").unwrap_err().to_string();
    let shown = report.lines().nth(1).unwrap();
    assert!(shown.chars().count() < 140, "{shown}");
    assert!(shown.contains('…'));
    assert!(report.contains("unknown field `bogus`"));
}

#[test]
fn canonical_text_is_stable_and_round_trips() {
    let p = load(&fixture("valid", "spec_example.ron"))
        .unwrap()
        .portfolio;
    let text = to_canonical_ron(&p);
    assert!(text.ends_with(")\n"));
    assert!(text.starts_with("Portfolio(\n    version: 1,\n"));
    assert!(text.contains("signed: Some(\"2025-11-03\")"));
    assert!(text.contains("review_date: Some(\"2026-02-01\")"));
    assert!(text.contains("as_of: None"));
    let again = parse(&text, "canonical").unwrap();
    assert_eq!(again.portfolio, p);
    assert!(!again.has_comments);
    assert_eq!(to_canonical_ron(&again.portfolio), text);
}

#[test]
fn save_keeps_backup_and_permissions() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.ron");
    let original = "// hand-written\nPortfolio(version: 1, brand: \"B\")\n";
    fs::write(&path, original).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
    }
    let mut p = parse(original, "p").unwrap().portfolio;
    p.brand = "Renamed".into();
    save(&path, &p).unwrap();
    assert_eq!(fs::read_to_string(backup_path(&path)).unwrap(), original);
    assert_eq!(load(&path).unwrap().portfolio, p);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
    }
    // No temporary files are left beside it.
    let mut names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["p.ron", "p.ron.bak"]);
}

#[test]
fn save_new_file_has_no_backup() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.ron");
    save(&path, &Portfolio::empty("B")).unwrap();
    assert!(!backup_path(&path).exists());
    assert!(load(&path).is_ok());
}

#[cfg(unix)]
#[test]
fn save_into_read_only_folder_says_so() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let ro = dir.path().join("ro");
    fs::create_dir(&ro).unwrap();
    let path = ro.join("p.ron");
    fs::write(&path, "Portfolio(version: 1, brand: \"B\")").unwrap();
    fs::set_permissions(&ro, fs::Permissions::from_mode(0o555)).unwrap();
    let writable = fs::write(ro.join("probe"), "").is_ok();
    let result = save(&path, &Portfolio::empty("C"));
    fs::set_permissions(&ro, fs::Permissions::from_mode(0o755)).unwrap();
    if writable {
        eprintln!("skipped: running as root, permissions are not enforced");
        return;
    }
    let err = result.unwrap_err();
    assert!(matches!(err, SaveError::ReadOnlyFolder { .. }), "{err:?}");
    assert!(err.to_string().contains("is read-only or not writable"));
    assert!(fs::read_to_string(&path).unwrap().contains("\"B\""));
}

#[test]
fn save_into_missing_folder_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nope").join("p.ron");
    let err = save(&path, &Portfolio::empty("B")).unwrap_err();
    assert!(err.to_string().starts_with("cannot save "), "{err}");
}

#[test]
fn recovery_file_beside_the_portfolio() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.ron");
    assert_eq!(recovery_path(&path), dir.path().join("p.ron.recovery"));
    let p = Portfolio::empty("Recovered");
    write_recovery(&path, &p).unwrap();
    assert!(!path.exists());
    assert_eq!(load(&recovery_path(&path)).unwrap().portfolio, p);
    remove_recovery(&path).unwrap();
    remove_recovery(&path).unwrap();
    assert!(!recovery_path(&path).exists());
}

#[test]
fn lock_tells_who_holds_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.ron");
    assert_eq!(lock_path(&path), dir.path().join("p.ron.lock"));
    let held = PortfolioLock::acquire(&path).unwrap();
    assert_eq!(held.holder().pid, std::process::id());
    let text = fs::read_to_string(lock_path(&path)).unwrap();
    assert!(
        text.starts_with(&format!("pid={}\nhost=", std::process::id())),
        "{text}"
    );

    match PortfolioLock::acquire(&path) {
        Err(LockError::Held { holder, .. }) => {
            let holder = holder.unwrap();
            assert_eq!(&holder, held.holder());
        }
        other => panic!("expected Held, got {other:?}"),
    }
    let message = PortfolioLock::acquire(&path).unwrap_err().to_string();
    assert!(
        message.contains("already open in another Alliance Desk (process"),
        "{message}"
    );

    drop(held);
    let again = PortfolioLock::acquire(&path).unwrap();
    assert_eq!(again.path(), lock_path(&path));
}

#[test]
fn a_portfolio_that_would_not_load_again_is_never_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.ron");
    let mut p = Portfolio::empty("Brand");
    save(&path, &p).unwrap();
    let before = std::fs::read_to_string(&path).unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    p.alliances.push(crate::model::Alliance::new(
        "x",
        "",
        crate::model::AllianceKind::Wholesale,
        day,
    ));
    let err = save(&path, &p).unwrap_err();
    assert!(matches!(err, SaveError::Invalid { .. }));
    let message = err.to_string();
    assert!(message.contains("alliance \"x\""), "{message}");
    assert!(message.contains("partner"), "{message}");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        before,
        "the file is untouched"
    );
}

#[test]
fn apostrophes_are_written_plainly_and_every_escape_round_trips() {
    let mut p = Portfolio::empty("Glow's \\' \\\\' \"q\" \n end\\");
    p.currency = "'".to_owned();
    let text = to_canonical_ron(&p);
    assert!(text.contains("brand: \"Glow's"), "{text}");
    assert!(!text.contains("Glow\\'s"));
    assert_eq!(parse(&text, "t").unwrap().portfolio, p);
}

#[test]
fn bad_dates_and_semantic_errors_are_reported_together() {
    let text = "Portfolio(version: 1, brand: \"B\", revenue: {\"2026-13\": 5.0}, alliances: [\
                Alliance(id: \"a\", partner: \"A\", kind: Wholesale, status: Active, \
                started: \"2026-02-30\", health: [HealthScore(date: \"2026-01-01\", \
                strategic_alignment: 9, execution_reliability: 3, revenue_contribution: 3, \
                relationship_health: 3)])])";
    let Err(LoadError::Invalid(problems)) = parse(text, "f.ron") else {
        panic!("expected every problem")
    };
    let all: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(all.len(), 3, "{all:#?}");
    assert!(all[0].contains("\"2026-13\" is not a month"));
    assert!(all[1].contains("\"2026-02-30\" is an impossible date"));
    assert!(all[2].contains("strategic_alignment") && all[2].contains("score 9"));
}

mod apostrophes {
    use proptest::prelude::*;

    /// The definition: a character at a time.
    fn reference(text: &str) -> String {
        let mut out = String::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('\'') => out.push('\''),
                    Some(next) => {
                        out.push(c);
                        out.push(next);
                    }
                    None => out.push(c),
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    proptest! {
        #[test]
        fn plain_apostrophes_copies_runs_as_the_definition_does(text in "[a-z'\\\\é\"\n]{0,40}") {
            prop_assert_eq!(crate::store::plain_apostrophes(&text), reference(&text));
        }
    }
}
