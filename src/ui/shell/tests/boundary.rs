//! The workspace side of the file boundary (SPEC §7, §8): share mode follows its alliance by
//! id and shows only what a partner may see; untrusted text never reaches the terminal raw;
//! the store's warnings reach the screen; a huge notes field still draws.

use crossterm::event::KeyCode;

use super::{demo_app, key, keys, screen, select};
use crate::app::EffectResult;
use crate::app::document::Source;
use crate::sanitize::is_unsafe;
use crate::ui::shell::App;
use crate::ui::snapshot;

/// Everyone but `shared`: their partner names, first 8 characters (a table may cut them).
fn others(app: &App, shared: &str) -> Vec<String> {
    app.doc
        .portfolio
        .alliances
        .iter()
        .filter(|a| a.id != shared)
        .map(|a| a.partner.chars().take(8).collect())
        .collect()
}

/// What the runner does with a reload: the result, then the views catch up.
fn reload(app: &mut App, portfolio: crate::model::Portfolio) {
    app.apply(EffectResult::Reloaded {
        path: "p.ron".into(),
        portfolio: Box::new(portfolio),
        conflicts: None,
    });
    app.sync_views();
}

#[test]
fn share_mode_follows_the_shared_alliance_by_id_when_a_reload_moves_it() {
    let mut app = demo_app();
    select(&mut app, "glow");
    keys(&mut app, "s");
    let mut moved = app.doc.portfolio.clone();
    moved.alliances.reverse();
    let glow_was = app.doc.current;
    reload(&mut app, moved);
    assert_ne!(
        app.doc.portfolio.alliance_index("glow"),
        Some(glow_was),
        "the reload moved it"
    );
    assert_eq!(app.doc.current_alliance().unwrap().id, "glow");
    let others = others(&app, "glow");
    for tab in ["1", "2", "3", "4"] {
        keys(&mut app, tab);
        let text = screen(&mut app, 120, 40);
        assert!(text.contains("SHARING: Glow & Co"), "{text}");
        for other in &others {
            assert!(!text.contains(other), "tab {tab} shows {other}:\n{text}");
        }
    }
}

#[test]
fn share_mode_says_the_shared_alliance_is_gone_and_shows_no_other_partner() {
    let mut app = demo_app();
    select(&mut app, "glow");
    keys(&mut app, "s");
    let others = others(&app, "glow");
    let mut without = app.doc.portfolio.clone();
    without.alliances.retain(|a| a.id != "glow");
    reload(&mut app, without);
    assert!(app.shared_gone());
    for tab in ["1", "2", "3", "4", "5"] {
        keys(&mut app, tab);
        for k in [KeyCode::Down, KeyCode::Enter, KeyCode::Esc] {
            key(&mut app, k);
        }
        keys(&mut app, "vnea");
        for (w, h) in [(80, 24), (120, 40)] {
            let text = screen(&mut app, w, h);
            assert!(
                text.contains("SHARING: the shared alliance is gone"),
                "{text}"
            );
            assert!(text.contains("The shared alliance is gone."), "{text}");
            for other in &others {
                assert!(!text.contains(other), "tab {tab} shows {other}:\n{text}");
            }
        }
    }
    assert!(app.modal.is_none(), "no popup opened on another partner");
    assert!(!app.doc.is_dirty(), "no key edited another partner");
    // Ending share mode shows the portfolio again.
    keys(&mut app, "s1");
    assert!(!app.share);
    let text = screen(&mut app, 120, 40);
    assert!(others.iter().any(|o| text.contains(o)), "{text}");
}

#[test]
fn share_mode_shows_no_health_audit_brand_total_or_their_flags() {
    let mut app = demo_app();
    select(&mut app, "glow");
    let health = app.doc.current_scores().unwrap().health.clone().unwrap();
    let figure = format!("{}/20", health.total);
    keys(&mut app, "s");
    for tab in ["1", "2", "3", "4"] {
        keys(&mut app, tab);
        for view in 0..3 {
            let text = screen(&mut app, 120, 40);
            for leak in [
                figure.as_str(),
                "audit",
                "Audit",
                "health <12",
                "Brand total",
            ] {
                assert!(
                    !text.contains(leak),
                    "tab {tab} view {view}: {leak}\n{text}"
                );
            }
            if tab == "1" {
                keys(&mut app, "v");
            }
        }
    }
    keys(&mut app, "1n");
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("Monthly numbers · Glow & Co"), "{text}");
    assert!(!text.contains("Brand total"), "{text}");
    // Saving the popup keeps the brand's total as the file has it.
    let revenue = app.doc.portfolio.revenue.clone();
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.doc.portfolio.revenue, revenue);
    // The audit and health wizards are ours.
    keys(&mut app, "4");
    let before = app.views.reviews.drafts().len();
    keys(&mut app, "r");
    key(&mut app, KeyCode::Enter);
    let text = screen(&mut app, 120, 40);
    assert!(!text.contains("Week-1 audit —"), "{text}");
    assert_eq!(app.views.reviews.drafts().len(), before);
}

#[test]
fn a_hostile_partner_name_never_reaches_the_terminal_raw() {
    let mut app = demo_app();
    select(&mut app, "glow");
    let hostile = "Evil\u{202e}oC\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m";
    app.doc
        .edit_current("name", |a| hostile.clone_into(&mut a.partner));
    app.doc
        .edit_current("notes", |a| a.notes = format!("note {hostile}"));
    app.sync_views();
    for tab in ["1", "2", "3", "4"] {
        keys(&mut app, tab);
        for (w, h) in [(80, 24), (120, 40)] {
            app.size = ratatui::layout::Rect::new(0, 0, w, h);
            let buf = snapshot::draw(&app, w, h);
            for cell in &buf.content {
                assert!(
                    !cell.symbol().chars().any(is_unsafe),
                    "tab {tab}: raw {:?}",
                    cell.symbol()
                );
            }
            let text = snapshot::text(&buf);
            let bar = text.lines().nth(1).unwrap_or_default();
            assert!(
                bar.starts_with(
                    " 1 Portfolio │ 2 Charter │ 3 Commitments │ 4 Reviews │ 5 Pipeline │"
                ),
                "tab bar broken: {bar}"
            );
        }
    }
    keys(&mut app, "1");
    let text = screen(&mut app, 120, 40);
    assert!(
        text.contains("Evil\\u{202e}oC"),
        "shown as a visible escape:\n{text}"
    );
}

#[test]
fn the_header_says_when_unsaved_edits_are_not_protected() {
    let mut app = demo_app();
    select(&mut app, "glow");
    app.doc.edit_current("notes", |a| a.notes.push('!'));
    app.apply(EffectResult::RecoveryFailed {
        error: "No space left on device".to_owned(),
    });
    let header = |app: &mut App| {
        screen(app, 120, 40)
            .lines()
            .next()
            .unwrap_or_default()
            .to_owned()
    };
    assert!(header(&mut app).contains("unsaved edits not protected"));
    app.apply(EffectResult::RecoveryWritten);
    assert!(!header(&mut app).contains("not protected"));
}

#[test]
fn a_hard_linked_file_opens_read_only_and_offers_save_as() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.ron");
    std::fs::write(&path, crate::sample::NORTHWIND).unwrap();
    std::fs::hard_link(&path, dir.path().join("h.ron")).unwrap();
    let options = crate::app::options::WorkspaceOptions {
        file: Some(path.clone()),
        ..Default::default()
    };
    let mut app = super::super::startup::prepare(&options, None).unwrap();
    assert_eq!(app.doc.source, Source::File(path.clone()));
    assert!(app.doc.read_only.as_deref().unwrap().contains("hard links"));
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("save as"), "{text}");
    assert!(text.contains("read-only"), "{text}");
    // a: save as, right away.
    let effects = keys_effects(&mut app, 'a');
    for e in effects {
        if let crate::app::Effect::Decide(d) = e {
            app.apply(EffectResult::Decided(d));
        }
    }
    assert!(matches!(
        app.modal,
        Some(super::super::Modal::SaveAs { .. })
    ));
    let header = screen(&mut app, 120, 40);
    assert!(header.contains("READ-ONLY"), "{header}");
}

fn keys_effects(app: &mut App, c: char) -> Vec<crate::app::Effect> {
    key(app, KeyCode::Char(c))
}

#[test]
fn a_60_kib_notes_field_draws_on_every_tab() {
    let mut app = demo_app();
    select(&mut app, "glow");
    let line = "a long internal note that goes on and on ".repeat(2);
    let mut notes = String::from("FIRST LINE\n");
    while notes.len() < 60 * 1024 {
        notes.push_str(&line);
        notes.push('\n');
    }
    app.doc
        .edit_current("notes", |a| a.notes.clone_from(&notes));
    app.sync_views();
    for tab in ["1", "2", "3", "4", "5"] {
        keys(&mut app, tab);
        let text = screen(&mut app, 120, 40);
        assert!(text.contains("1 Portfolio"), "tab {tab}:\n{text}");
    }
    keys(&mut app, "1");
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("FIRST LINE"), "{text}");
}

#[test]
fn a_failed_recovery_write_is_retried_at_the_next_edit_and_the_header_says_so_meanwhile() {
    use std::time::{Duration, Instant};

    use crate::ui::shell::run::{background, collect_recovery};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.ron");
    std::fs::write(&path, crate::sample::NORTHWIND).unwrap();
    let options = crate::app::options::WorkspaceOptions {
        file: Some(path.clone()),
        ..Default::default()
    };
    let mut app = super::super::startup::prepare(&options, None).unwrap();
    app.modal = None;
    app.queued.clear();
    let recovery = crate::store::recovery_path(&path);
    // Something in the way: the recovery write fails.
    std::fs::create_dir(&recovery).unwrap();
    let t = Instant::now();
    let header = |app: &mut App| {
        screen(app, 120, 40)
            .lines()
            .next()
            .unwrap_or_default()
            .to_owned()
    };
    app.doc.edit_current("notes", |a| a.notes.push_str(" one"));
    background(&mut app, t);
    background(&mut app, t + Duration::from_secs(5));
    collect_recovery(&mut app, true);
    assert!(app.safety.recovery_failing.is_some());
    assert!(header(&mut app).contains("unsaved edits not protected"));
    // Space again: the next edit's write goes through and the warning goes.
    std::fs::remove_dir(&recovery).unwrap();
    app.doc
        .edit_current("more notes", |a| a.notes.push_str(" two"));
    background(&mut app, t + Duration::from_secs(6));
    background(&mut app, t + Duration::from_secs(10));
    collect_recovery(&mut app, true);
    assert!(app.safety.recovery_failing.is_none());
    assert!(!header(&mut app).contains("not protected"));
    let saved = crate::store::load(&recovery).unwrap().portfolio;
    assert_eq!(saved, app.doc.portfolio, "the recovery file has both edits");
}
