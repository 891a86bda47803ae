//! The Portfolio popups that enter the scoreboard's inputs: a month's numbers (`n`) and the
//! escalation items (`e`), driven by keys on the whole app.

use crossterm::event::KeyCode;

use super::{ctrl, demo_app, key, keys, screen, select};
use crate::model::Month;
use crate::score::{FlagCode, WinStatus};
use crate::ui::shell::{App, Modal};
use crate::ui::widgets::format::percent;

fn month(s: &str) -> Month {
    s.parse().unwrap()
}

/// Replace the focused field's text (Ctrl-u clears a line field).
fn retype(app: &mut App, text: &str) {
    ctrl(app, 'u');
    keys(app, text);
}

fn header(app: &mut App) -> String {
    screen(app, 120, 40).lines().next().unwrap_or("").to_owned()
}

/// The table row of a partner, as drawn at 120×40.
fn row(app: &mut App, partner: &str) -> String {
    screen(app, 120, 40)
        .lines()
        .find(|l| {
            // After the border, the selection marker column.
            l.strip_prefix('│')
                .is_some_and(|r| r.trim_start_matches(['▶', ' ']).starts_with(partner))
        })
        .unwrap_or("")
        .to_owned()
}

#[test]
fn october_numbers_change_arcr_and_share_on_screen_and_undo_restores() {
    let mut app = demo_app();
    select(&mut app, "loom");
    let i = app.doc.current;
    let arcr_before = app.doc.scores.alliances[i].arcr.latest;
    let share_before = app.doc.scores.portfolio.alliance_share;
    assert!(row(&mut app, "Loom & Thread").contains(&percent(arcr_before)));

    keys(&mut app, "n");
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("Monthly numbers · Loom & Thread"), "{text}");
    // The latest month with brand revenue is the default, its values pre-filled.
    assert!(text.contains("2026-10"), "{text}");
    assert!(text.contains("418000 USD"), "{text}");
    // Focus starts on the brand total; the alliance's revenue is next.
    key(&mut app, KeyCode::Tab);
    retype(&mut app, "41800");
    key(&mut app, KeyCode::Enter);
    assert!(app.modal.is_none());
    assert_eq!(
        app.doc.portfolio.alliances[i]
            .revenue
            .get(&month("2026-10")),
        Some(&41_800.0)
    );

    let arcr = app.doc.scores.alliances[i].arcr.latest;
    let share = app.doc.scores.portfolio.alliance_share;
    assert_eq!(arcr, Some(0.1));
    assert_ne!(share, share_before);
    assert!(row(&mut app, "Loom & Thread").contains("10%"));
    assert!(header(&mut app).contains(&format!("alliance share {}", percent(share))));
    assert_eq!(
        app.doc.undo_label(),
        Some("numbers for 2026-10 (Loom & Thread)")
    );

    keys(&mut app, "u");
    assert_eq!(app.doc.scores.alliances[i].arcr.latest, arcr_before);
    assert_eq!(app.doc.scores.portfolio.alliance_share, share_before);
    assert!(row(&mut app, "Loom & Thread").contains(&percent(arcr_before)));
    assert!(header(&mut app).contains(&format!("alliance share {}", percent(share_before))));
    assert!(!app.doc.is_dirty());
}

#[test]
fn brand_revenue_rescores_every_alliance_and_undoes() {
    let mut app = demo_app();
    select(&mut app, "glow");
    let before: Vec<_> = app
        .doc
        .scores
        .alliances
        .iter()
        .map(|s| s.arcr.latest)
        .collect();
    keys(&mut app, "n");
    // Double the brand's October revenue: every alliance's October ARCR halves.
    retype(&mut app, "836000");
    key(&mut app, KeyCode::Enter);
    for (s, was) in app.doc.scores.alliances.iter().zip(&before) {
        if let (Some(now), Some(was)) = (s.arcr.latest, was) {
            assert!((now - was / 2.0).abs() < 1e-12, "{}: {now} vs {was}", s.id);
        }
    }
    keys(&mut app, "u");
    let after: Vec<_> = app
        .doc
        .scores
        .alliances
        .iter()
        .map(|s| s.arcr.latest)
        .collect();
    assert_eq!(after, before);
    ctrl(&mut app, 'r');
    assert_eq!(
        app.doc.portfolio.revenue.get(&month("2026-10")),
        Some(&836_000.0)
    );
}

#[test]
fn clearing_a_field_removes_the_entry_instead_of_writing_zero() {
    let mut app = demo_app();
    select(&mut app, "glow");
    let i = app.doc.current;
    let oct = month("2026-10");
    keys(&mut app, "n");
    key(&mut app, KeyCode::Tab);
    ctrl(&mut app, 'u');
    key(&mut app, KeyCode::Tab);
    ctrl(&mut app, 'u');
    key(&mut app, KeyCode::Enter);
    let glow = &app.doc.portfolio.alliances[i];
    assert!(!glow.revenue.contains_key(&oct), "no made-up 0 in the file");
    let referral = &glow.charter.as_ref().unwrap().win_conditions[0];
    assert!(!referral.actuals.contains_key(&oct));
    // The brand still has October, so the scoring rule (not the form) makes it 0% for an
    // alliance that has started.
    assert_eq!(app.doc.scores.alliances[i].arcr.latest, Some(0.0));

    // Clearing the brand total takes October out of every ARCR: September is now the latest.
    keys(&mut app, "n");
    ctrl(&mut app, 'u');
    key(&mut app, KeyCode::Enter);
    assert!(!app.doc.portfolio.revenue.contains_key(&oct));
    assert_eq!(
        app.doc.scores.portfolio.latest_month,
        Some(month("2026-09"))
    );
    assert_eq!(
        app.doc.scores.alliances[i].arcr.month,
        Some(month("2026-09"))
    );
}

#[test]
fn a_win_condition_actual_at_its_target_is_met() {
    let mut app = demo_app();
    select(&mut app, "glow");
    let i = app.doc.current;
    let status = |app: &App| app.doc.scores.alliances[i].win_conditions[1].status;
    assert_eq!(status(&app), WinStatus::OnTrack);
    keys(&mut app, "n");
    // Win conditions follow the two revenue fields: "New customers from Glow's list".
    for _ in 0..3 {
        key(&mut app, KeyCode::Tab);
    }
    retype(&mut app, "1499");
    key(&mut app, KeyCode::Enter);
    assert_eq!(status(&app), WinStatus::OnTrack, "just below the target");
    keys(&mut app, "n");
    for _ in 0..3 {
        key(&mut app, KeyCode::Tab);
    }
    retype(&mut app, "1500");
    key(&mut app, KeyCode::Enter);
    assert_eq!(status(&app), WinStatus::Met, "at the target");
    keys(&mut app, "v");
    keys(&mut app, "v");
    let text = screen(&mut app, 120, 40);
    assert!(
        text.contains("New customers from Glow's list: 1500 of 1500"),
        "{text}"
    );
    assert!(text.contains("met"), "{text}");
}

#[test]
fn changing_the_month_refreshes_the_fields() {
    let mut app = demo_app();
    select(&mut app, "glow");
    keys(&mut app, "n");
    key(&mut app, KeyCode::BackTab);
    retype(&mut app, "2026-09");
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("405000 USD"), "brand September:\n{text}");
    assert!(text.contains("18500 USD"), "Glow September:\n{text}");
    assert!(text.contains("940 customers"), "{text}");
    // A half-typed month is marked and keeps the fields as they were.
    ctrl(&mut app, 'u');
    keys(&mut app, "2026-1");
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("a month: YYYY-MM"), "{text}");
    assert!(text.contains("405000 USD"), "{text}");
    key(&mut app, KeyCode::Enter);
    assert!(
        app.status
            .as_deref()
            .unwrap_or("")
            .contains("Fix the marked fields")
    );
    assert!(app.doc.undo_label().is_none());
    // A month with nothing on file shows empty fields, and saving nothing changes nothing.
    keys(&mut app, "2");
    let text = screen(&mut app, 120, 40);
    assert!(!text.contains("405000"), "{text}");
    key(&mut app, KeyCode::Enter);
    assert!(app.doc.undo_label().is_none());
    assert!(
        app.status
            .as_deref()
            .unwrap_or("")
            .contains("nothing changed")
    );
}

#[test]
fn negative_numbers_are_refused_and_too_much_alliance_revenue_is_a_warning() {
    let mut app = demo_app();
    select(&mut app, "glow");
    keys(&mut app, "n");
    retype(&mut app, "-5");
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("must be 0 or more"), "{text}");
    key(&mut app, KeyCode::Enter);
    assert!(app.doc.undo_label().is_none(), "not saved");
    retype(&mut app, "20000");
    let text = screen(&mut app, 120, 40);
    assert!(
        text.contains("this alliance's revenue is above the brand's total for 2026-10"),
        "{text}"
    );
    // A warning, not an error: it saves.
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        app.doc.portfolio.revenue.get(&month("2026-10")),
        Some(&20_000.0)
    );
}

#[test]
fn an_overdue_escalation_raises_the_flag_and_resolving_clears_it() {
    let mut app = demo_app();
    select(&mut app, "loom");
    let i = app.doc.current;
    // Without a charter the limit is 14 days.
    app.doc.edit_current("no charter", |a| a.charter = None);
    let overdue = |app: &App| app.doc.scores.alliances[i].has_flag(FlagCode::EscalationOverdue);
    assert!(!overdue(&app));

    keys(&mut app, "e");
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("Escalations · Loom & Thread"), "{text}");
    assert!(
        text.contains("Resolve within 14 days (no charter: the default)"),
        "{text}"
    );
    assert!(text.contains("No escalations. a raises one."), "{text}");

    // 14 days before as-of (2026-11-15) is not overdue yet.
    keys(&mut app, "a");
    keys(&mut app, "Throw reorder slipped");
    key(&mut app, KeyCode::Tab);
    retype(&mut app, "2026-11-01");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.doc.portfolio.alliances[i].escalations.len(), 1);
    assert!(!overdue(&app));
    assert!(screen(&mut app, 120, 40).contains("○ open"));

    // 15 days before is: the flag and the marker appear on the next frame.
    keys(&mut app, "a");
    keys(&mut app, "Cushion samples missing");
    key(&mut app, KeyCode::Tab);
    retype(&mut app, "2026-10-31");
    key(&mut app, KeyCode::Enter);
    assert!(overdue(&app));
    assert_eq!(app.doc.scores.alliances[i].overdue_escalations, [1]);
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("■ overdue"), "{text}");
    assert!(text.contains("escalation overdue"), "{text}");

    // x resolves the selected (new) one on the as-of date.
    keys(&mut app, "x");
    assert_eq!(
        app.doc.portfolio.alliances[i].escalations[1].resolved,
        Some(app.doc.as_of)
    );
    assert!(!overdue(&app));
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("✓ resolved 2026-11-15"), "{text}");
    assert!(text.contains("✓ nothing overdue"), "{text}");

    // Undo (with the popup still open) brings the flag back; x again would reopen.
    keys(&mut app, "u");
    assert!(overdue(&app));
    assert!(screen(&mut app, 120, 40).contains("■ overdue"));
    keys(&mut app, "x");
    keys(&mut app, "x");
    assert_eq!(app.doc.portfolio.alliances[i].escalations[1].resolved, None);
    assert!(overdue(&app));
}

#[test]
fn deleting_an_escalation_asks_first_and_undoes() {
    let mut app = demo_app();
    select(&mut app, "harbor");
    let i = app.doc.current;
    keys(&mut app, "e");
    // The popup opens on the first open item: the overdue one.
    keys(&mut app, "d");
    let Some(Modal::Confirm { confirm, .. }) = &app.modal else {
        panic!("delete asks first");
    };
    assert!(
        confirm.prompt.contains("Reorders stalled"),
        "{}",
        confirm.prompt
    );
    keys(&mut app, "n");
    assert_eq!(app.doc.portfolio.alliances[i].escalations.len(), 2);
    keys(&mut app, "d");
    keys(&mut app, "y");
    assert_eq!(app.doc.portfolio.alliances[i].escalations.len(), 1);
    assert!(!app.doc.scores.alliances[i].has_flag(FlagCode::EscalationOverdue));
    keys(&mut app, "u");
    assert_eq!(app.doc.portfolio.alliances[i].escalations.len(), 2);
    assert!(app.doc.scores.alliances[i].has_flag(FlagCode::EscalationOverdue));
    // Esc closes the popup; the table takes keys again.
    key(&mut app, KeyCode::Esc);
    keys(&mut app, "j");
    assert_ne!(app.doc.current, i);
}

#[test]
fn popups_work_in_share_mode_for_the_current_alliance_only() {
    let mut app = demo_app();
    select(&mut app, "harbor");
    keys(&mut app, "s");
    keys(&mut app, "e");
    let text = screen(&mut app, 80, 24);
    assert!(
        text.contains("Escalations · Harbor Home Wholesale"),
        "{text}"
    );
    assert!(
        !text.contains("Greg is leaving"),
        "internal notes stay hidden:\n{text}"
    );
    assert!(!text.contains("Glow"), "{text}");
    key(&mut app, KeyCode::Esc);
    keys(&mut app, "n");
    let text = screen(&mut app, 80, 24);
    assert!(
        text.contains("Monthly numbers · Harbor Home Wholesale"),
        "{text}"
    );
    assert!(!text.contains("Greg is leaving"), "{text}");
    assert!(!text.contains("Glow"), "{text}");
}

#[test]
fn numbers_popup_at_both_sizes() {
    let mut app = demo_app();
    select(&mut app, "glow");
    keys(&mut app, "n");
    for (w, h) in [(80, 24), (120, 40)] {
        insta::assert_snapshot!(format!("numbers_popup_{w}x{h}"), screen(&mut app, w, h));
    }
}

#[test]
fn escalations_popup_at_both_sizes() {
    let mut app = demo_app();
    select(&mut app, "harbor");
    keys(&mut app, "e");
    for (w, h) in [(80, 24), (120, 40)] {
        insta::assert_snapshot!(format!("escalations_popup_{w}x{h}"), screen(&mut app, w, h));
    }
}

#[test]
fn the_save_message_names_the_month_saved_and_the_shares_month() {
    let mut app = demo_app();
    select(&mut app, "glow");
    keys(&mut app, "n");
    key(&mut app, KeyCode::BackTab);
    retype(&mut app, "2026-09");
    key(&mut app, KeyCode::Tab);
    retype(&mut app, "405001");
    key(&mut app, KeyCode::F(10));
    let status = app.status.clone().unwrap_or_default();
    assert!(status.starts_with("Saved numbers for 2026-09"), "{status}");
    // The share is the latest month's, and says so.
    assert!(
        status.contains("alliance share") && status.contains("in 2026-10"),
        "{status}"
    );
}

#[test]
fn the_numbers_popup_reads_amounts_with_the_portfolio_currency_as_typed() {
    let mut app = demo_app();
    select(&mut app, "loom");
    let i = app.doc.current;
    keys(&mut app, "n");
    key(&mut app, KeyCode::Tab);
    retype(&mut app, "USD 41,800");
    key(&mut app, KeyCode::Enter);
    assert!(app.modal.is_none());
    assert_eq!(
        app.doc.portfolio.alliances[i]
            .revenue
            .get(&month("2026-10")),
        Some(&41_800.0)
    );
    keys(&mut app, "n");
    key(&mut app, KeyCode::Tab);
    retype(&mut app, "41.8k");
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        app.doc.portfolio.alliances[i]
            .revenue
            .get(&month("2026-10")),
        Some(&41_800.0)
    );
}
