//! The file boundary (SPEC §8): links, modes and owners, full disks and crashes at every step
//! of a save, aliases of one file, and the loader's limits.

use std::fs;
use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _, symlink};
use std::path::Path;

use super::*;
use crate::model::{Alliance, AllianceKind, Commitment, MAX_COMMITMENT_ID, Month, Party};

fn portfolio(brand: &str) -> Portfolio {
    let mut p = Portfolio::empty(brand);
    p.alliances.push(Alliance::new(
        "glow",
        "Glow & Co",
        AllianceKind::Wholesale,
        chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
    ));
    p
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

fn is_link(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

fn brand_at(path: &Path) -> String {
    load(path).unwrap().portfolio.brand
}

// 1. Links.

#[test]
fn a_symlinked_portfolio_is_written_through_and_stays_a_link() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("p.ron");
    let link = dir.path().join("q.ron");
    save(&real, &portfolio("one")).unwrap();
    fs::set_permissions(&real, fs::Permissions::from_mode(0o600)).unwrap();
    symlink("p.ron", &link).unwrap();
    save(&link, &portfolio("two")).unwrap();
    assert!(is_link(&link), "the link stays a link");
    assert_eq!(brand_at(&real), "two", "the target gets the content");
    assert_eq!(mode(&real), 0o600, "the target's mode is kept");
    assert_eq!(brand_at(&backup_path(&link)), "one");
    assert_eq!(
        backup_path(&link),
        backup_path(&real),
        "one backup per file"
    );
}

#[test]
fn a_lock_file_that_is_a_link_is_refused_and_its_target_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.ron");
    save(&path, &portfolio("one")).unwrap();
    let important = dir.path().join("important.txt");
    fs::write(&important, "keep me").unwrap();
    symlink(&important, dir.path().join("p.ron.lock")).unwrap();
    let err = PortfolioLock::acquire(&path).unwrap_err().to_string();
    assert!(err.contains("symbolic link"), "{err}");
    assert_eq!(fs::read_to_string(&important).unwrap(), "keep me");
}

#[test]
fn a_backup_or_recovery_file_that_is_a_link_is_refused_and_its_target_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.ron");
    save(&path, &portfolio("one")).unwrap();
    let important = dir.path().join("important.txt");
    fs::write(&important, "keep me").unwrap();
    symlink(&important, dir.path().join("p.ron.bak")).unwrap();
    symlink(&important, dir.path().join("p.ron.recovery")).unwrap();
    let err = save(&path, &portfolio("two")).unwrap_err().to_string();
    assert!(err.contains("symbolic link"), "{err}");
    assert_eq!(brand_at(&path), "one", "nothing saved");
    let err = write_recovery(&path, &portfolio("two"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("symbolic link"), "{err}");
    assert_eq!(fs::read_to_string(&important).unwrap(), "keep me");
    assert!(is_link(&dir.path().join("p.ron.bak")));
}

#[test]
fn a_temporary_name_that_is_a_link_is_never_followed() {
    let dir = tempfile::tempdir().unwrap();
    let important = dir.path().join("important.txt");
    fs::write(&important, "keep me").unwrap();
    let temp = dir.path().join(".p.ron.tmp");
    symlink(&important, &temp).unwrap();
    assert!(Ops::real().create_new(&temp, 0o600).is_err());
    assert_eq!(fs::read_to_string(&important).unwrap(), "keep me");
}

#[test]
fn new_on_a_dangling_link_creates_its_target_with_an_ordinary_mode() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("d.ron");
    symlink("missing.ron", &link).unwrap();
    save(&link, &portfolio("new")).unwrap();
    assert!(is_link(&link));
    let target = dir.path().join("missing.ron");
    assert_eq!(brand_at(&target), "new");
    assert_eq!(mode(&target) & 0o111, 0, "never executable, never 0777");
    assert_eq!(mode(&target) & 0o002, 0, "never world-writable");
}

// 2. Mode and owner.

#[test]
fn a_save_keeps_mode_and_owner_and_side_files_get_the_portfolio_bits() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.ron");
    save(&path, &portfolio("one")).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
    let owned_by_other = std::os::unix::fs::chown(&path, Some(54321), Some(54321)).is_ok();
    save(&path, &portfolio("two")).unwrap();
    assert_eq!(mode(&path), 0o640);
    assert_eq!(mode(&backup_path(&path)), 0o640);
    if owned_by_other {
        let meta = fs::metadata(&path).unwrap();
        assert_eq!((meta.uid(), meta.gid()), (54321, 54321), "owner kept");
    }
    fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
    write_recovery(&path, &portfolio("three")).unwrap();
    assert_eq!(mode(&recovery_path(&path)), 0o600);
}

#[test]
fn a_file_the_user_cannot_write_is_read_only_even_in_a_writable_folder() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.ron");
    save(&path, &portfolio("one")).unwrap();
    assert_eq!(read_only_reason(&path), None);
    fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
    if fs::OpenOptions::new().write(true).open(&path).is_ok() {
        eprintln!("skipped: running as root, permissions are not enforced");
        return;
    }
    assert!(read_only_reason(&path).is_some());
    assert!(matches!(
        save(&path, &portfolio("two")),
        Err(SaveError::ReadOnlyFile { .. })
    ));
    assert_eq!(brand_at(&path), "one");
}

// 3. Backups survive a full disk.

#[test]
fn a_full_disk_while_writing_the_backup_leaves_old_backup_and_portfolio() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.ron");
    save(&path, &portfolio("v1")).unwrap();
    save(&path, &portfolio("v2")).unwrap();
    // Step 1 is the backup's write (0: create its temporary file).
    let ops = Ops::with_fault(Fault::FailAt {
        step: 1,
        errno: libc::ENOSPC,
    });
    assert!(save_with(&ops, &path, &portfolio("v3")).is_err());
    assert_eq!(ops.log()[1], Step::Write);
    assert_eq!(brand_at(&backup_path(&path)), "v1");
    assert_eq!(brand_at(&path), "v2");
    assert_eq!(
        names(dir.path()),
        ["p.ron", "p.ron.bak"],
        "no temporary left"
    );
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

// 4. Aliases of one file.

#[test]
fn two_instances_through_different_names_are_told() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("sub");
    fs::create_dir(&sub).unwrap();
    let path = dir.path().join("p.ron");
    save(&path, &portfolio("one")).unwrap();
    symlink("p.ron", dir.path().join("q.ron")).unwrap();
    fs::hard_link(&path, dir.path().join("h.ron")).unwrap();
    let _held = PortfolioLock::acquire(&path).unwrap();
    for alias in [
        dir.path().join("q.ron"),
        sub.join("../p.ron"),
        dir.path().join("h.ron"),
    ] {
        assert!(
            matches!(PortfolioLock::acquire(&alias), Err(LockError::Held { .. })),
            "{} took its own lock",
            alias.display()
        );
    }
}

#[test]
fn a_hard_linked_portfolio_is_noticed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.ron");
    save(&path, &portfolio("one")).unwrap();
    assert_eq!(hard_link_notice(&path), None);
    fs::hard_link(&path, dir.path().join("h.ron")).unwrap();
    let notice = hard_link_notice(&path).unwrap();
    assert!(notice.contains("split"), "{notice}");
}

// 5. A save never writes what the loader refuses.

#[test]
fn a_save_over_the_size_limit_or_a_loader_limit_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.ron");
    save(&path, &portfolio("one")).unwrap();
    let huge = " ".repeat(usize::try_from(MAX_FILE_BYTES).unwrap() + 1);
    let err = save_text(&Ops::real(), &path, &huge)
        .unwrap_err()
        .to_string();
    assert!(err.contains("too large"), "{err}");
    let mut long = portfolio("two");
    long.alliances[0].notes = "x".repeat(scan::MAX_TEXT_BYTES + 1);
    let err = save(&path, &long).unwrap_err().to_string();
    assert!(err.contains("at most 64 KiB"), "{err}");
    assert_eq!(brand_at(&path), "one");
    assert_eq!(names(dir.path()), ["p.ron"]);
}

// 7. Loader limits, each with FILE:LINE:COL.

fn refused(text: &str) -> String {
    match parse(text, "f.ron") {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn duplicate_map_keys_are_refused_with_their_place() {
    let report = refused(
        "Portfolio(version: 1, brand: \"B\",\n revenue: { \"2026-09\": 21000.0, \"2026-09\": 1.0 })",
    );
    assert!(
        report.contains("f.ron:2:33: error: key \"2026-09\" is given twice"),
        "{report}"
    );
}

#[test]
fn non_finite_numbers_are_refused_with_their_place() {
    for (literal, col) in [("1e400", 22), ("inf", 22), ("-inf", 22), ("NaN", 22)] {
        let report = refused(&format!(
            "Portfolio(version: 1,\nrevenue: {{\"2026-09\": {literal}}}, brand: \"B\")"
        ));
        assert!(
            report.contains(&format!("f.ron:2:{col}: error:"))
                && report.contains("not a finite number"),
            "{literal}: {report}"
        );
    }
}

#[test]
fn dates_outside_years_1_to_9999_are_refused_never_a_panic() {
    for date in ["+262142-12-31", "-0001-01-01", "0000-06-01", "10000-01-01"] {
        let report = refused(&format!(
            "Portfolio(version: 1, brand: \"B\",\n as_of: \"{date}\")"
        ));
        assert!(
            report.contains("f.ron:2:9: error:") && report.contains("outside the years 1-9999"),
            "{date}: {report}"
        );
    }
    let report = refused("Portfolio(version: 1, brand: \"B\", revenue: {\"0000-01\": 1.0})");
    assert!(report.contains("f.ron:1:45"), "{report}");
    // Months at chrono's edge never panic.
    let edge = Month::of(chrono::NaiveDate::MAX);
    assert!(edge.last_day() >= edge.first_day());
    assert!(edge.next().first_day() <= chrono::NaiveDate::MAX);
    assert!(Month::new(0, 1).is_none() && Month::new(10000, 1).is_none());
}

#[test]
fn a_text_field_over_64_kib_is_refused_with_its_place() {
    let notes = "y".repeat(scan::MAX_TEXT_BYTES + 1);
    let report = refused(&format!(
        "Portfolio(version: 1, brand: \"B\", alliances: [Alliance(id: \"a\", partner: \"A\", \
         kind: Wholesale, status: Active, started: \"2026-01-01\",\n notes: \"{notes}\")])"
    ));
    assert!(
        report
            .contains("f.ron:2:9: error: this text is 65 KiB; a text field may be at most 64 KiB"),
        "{}",
        &report[..report.len().min(300)]
    );
}

#[test]
fn a_commitment_id_at_the_top_of_its_range_is_refused_and_new_ids_never_wrap() {
    let report = refused(
        "Portfolio(version: 1, brand: \"B\", alliances: [Alliance(id: \"a\", partner: \"A\", \
         kind: Wholesale, status: Active, started: \"2026-01-01\",\n commitments: \
         [Commitment(id: 4294967295, party: Us, action: \"x\", due: \"2026-01-01\")])])",
    );
    assert!(
        report.contains("f.ron:2:31: error: commitment id 4294967295 is at the top of its range"),
        "{report}"
    );
    let mut a = portfolio("B").alliances.remove(0);
    let c = |id| Commitment {
        id,
        party: Party::Us,
        action: "x".into(),
        due: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        done: None,
    };
    a.commitments = vec![c(1), c(MAX_COMMITMENT_ID)];
    assert_eq!(a.next_commitment_id(), 2, "the lowest free id, never 0");
    a.commitments = vec![c(MAX_COMMITMENT_ID - 1)];
    assert_eq!(a.next_commitment_id(), MAX_COMMITMENT_ID);
}

#[test]
fn value_errors_carry_their_place() {
    let report = refused("Portfolio(version: 1, brand: \"B\",\n revenue: {\"2026-09\": -5.0})");
    assert!(
        report.contains("f.ron:2:23: error: revenue[\"2026-09\"] = -5.0 is negative"),
        "{report}"
    );
}

// 8. Crash consistency: every step of a save, every way it can fail.

#[test]
fn every_failure_point_of_a_save_leaves_old_or_new_portfolio_and_backup() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.ron");
    let probe = Ops::real();
    save(&path, &portfolio("v1")).unwrap();
    save_with(&probe, &path, &portfolio("v2")).unwrap();
    let steps = probe.steps();
    assert!(steps >= 8, "{:?}", probe.log());
    let mut faults = Vec::new();
    for step in 0..steps {
        for errno in [libc::ENOSPC, libc::EACCES, libc::EXDEV, libc::EIO] {
            faults.push(Fault::FailAt { step, errno });
        }
        faults.push(Fault::CrashAfter { step });
    }
    for fault in faults {
        // Start each case from the same folder: p.ron = v2, p.ron.bak = v1.
        fs::remove_dir_all(dir.path()).unwrap();
        fs::create_dir(dir.path()).unwrap();
        save(&path, &portfolio("v1")).unwrap();
        save(&path, &portfolio("v2")).unwrap();
        let ops = Ops::with_fault(fault);
        let result = save_with(&ops, &path, &portfolio("v3"));
        let now = brand_at(&path);
        let backup = brand_at(&backup_path(&path));
        assert!(now == "v2" || now == "v3", "{fault:?}: portfolio is {now}");
        assert!(
            backup == "v1" || backup == "v2",
            "{fault:?}: backup is {backup}"
        );
        if now == "v3" {
            assert_eq!(
                backup, "v2",
                "{fault:?}: a new portfolio has its old version kept"
            );
        }
        if result.is_err() && !ops.crashed() {
            assert_eq!(
                now, "v2",
                "{fault:?}: a reported failure leaves the old file"
            );
            assert_eq!(
                names(dir.path()),
                ["p.ron", "p.ron.bak"],
                "{fault:?}: temporary files are cleaned up"
            );
        }
        // A recovery write failing at the same step leaves none or a complete one.
        let ops = Ops::with_fault(fault);
        let _ = write_recovery_with(&ops, &path, &portfolio("r"));
        if recovery_path(&path).exists() {
            assert_eq!(brand_at(&recovery_path(&path)), "r", "{fault:?}");
        }
    }
}

// 9. The excerpt of a report quotes the file: never raw.

#[test]
fn a_syntax_error_excerpt_shows_controls_escaped() {
    let report = refused("Portfolio(version: 1, brand: \"B\u{1b}]0;pwned\u{7}\", oops)");
    assert!(report.contains("\\u{1b}]0;pwned\\u{7}"), "{report}");
    assert!(!report.contains('\u{1b}'), "{report:?}");
}

#[test]
fn a_failed_save_onto_a_folder_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.ron");
    fs::create_dir(&path).unwrap();
    assert!(save(&path, &portfolio("one")).is_err());
    assert_eq!(names(dir.path()), ["p.ron"]);
}

// 10. The recovery file is written as it is made, never held whole.

#[test]
fn a_streamed_recovery_write_is_ron_pretty_text_byte_for_byte_and_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.ron");
    let p = crate::generate::generate(30, 7);
    write_recovery(&path, &p).unwrap();
    let written = fs::read_to_string(recovery_path(&path)).unwrap();
    let whole = ron::ser::to_string_pretty(&p, recovery_config()).unwrap();
    assert_eq!(written, whole, "the same text as one string would be");
    assert!(written.len() > 2 * STREAM_CHECK, "longer than one buffer");
    assert_eq!(load(&recovery_path(&path)).unwrap().portfolio, p);
}

/// More than the stream's buffer, so the test above writes through several flushes.
const STREAM_CHECK: usize = 64 * 1024;

#[test]
fn a_recovery_text_over_the_limit_is_refused_with_its_size_and_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.ron");
    save(&path, &portfolio("one")).unwrap();
    let p = crate::generate::generate(3, 1);
    let size = ron::ser::to_string_pretty(&p, recovery_config())
        .unwrap()
        .len() as u64;
    let err = write_recovery_limited(&Ops::real(), &path, &p, size - 1).unwrap_err();
    let SaveError::WouldNotLoad {
        path: named,
        message,
    } = &err
    else {
        panic!("{err:?}");
    };
    assert_eq!(named, &recovery_path(&path));
    assert_eq!(
        message,
        &format!("the recovery text would be {}", too_large(size)),
        "the whole size, counted to the end"
    );
    assert_eq!(
        names(dir.path()),
        ["p.ron"],
        "no recovery file and no temporary file"
    );
    // At the limit exactly it is written.
    write_recovery_limited(&Ops::real(), &path, &p, size).unwrap();
    assert_eq!(fs::metadata(recovery_path(&path)).unwrap().len(), size);
}

#[test]
fn a_recovery_write_that_fails_on_a_full_disk_reports_it_and_cleans_up() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.ron");
    save(&path, &portfolio("one")).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
    let write_step = {
        let probe = Ops::real();
        write_recovery_with(&probe, &path, &portfolio("two")).unwrap();
        probe.log().iter().position(|s| *s == Step::Write).unwrap()
    };
    assert_eq!(mode(&recovery_path(&path)), 0o640, "the portfolio's bits");
    remove_recovery(&path).unwrap();
    let ops = Ops::with_fault(Fault::FailAt {
        step: write_step,
        errno: libc::ENOSPC,
    });
    let err = write_recovery_with(&ops, &path, &portfolio("two")).unwrap_err();
    assert!(matches!(err, SaveError::Io { .. }), "{err:?}");
    assert!(err.to_string().contains("No space left"), "{err}");
    assert_eq!(names(dir.path()), ["p.ron"]);
}
