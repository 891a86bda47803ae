//! The settings and details popups driven through the whole app with key events, drawn on
//! ratatui's `TestBackend`.

use chrono::NaiveDate;
use crossterm::event::KeyCode;

use crate::ui::shell::App;
use crate::ui::shell::tests::{ctrl, demo_app, key, keys, screen, select};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// Clear the focused line and type `text`.
fn retype(app: &mut App, text: &str) {
    ctrl(app, 'u');
    keys(app, text);
}

fn status(app: &App) -> String {
    app.status.clone().unwrap_or_default()
}

#[test]
fn settings_apply_brand_currency_and_as_of_as_one_undo_step() {
    let mut app = demo_app();
    // As a file opened without --as-of: the evaluation date follows the pinned date.
    app.doc.follows_pinned_as_of = Some(d("2026-12-24"));
    let before = app.doc.portfolio.clone();
    keys(&mut app, ",");
    insta::assert_snapshot!("settings_popup_80x24", screen(&mut app, 80, 24));
    retype(&mut app, "Acme Goods");
    key(&mut app, KeyCode::Tab);
    retype(&mut app, "eur");
    key(&mut app, KeyCode::Tab);
    retype(&mut app, "2026-12-01");
    key(&mut app, KeyCode::Tab);
    retype(&mut app, "site/pages");
    key(&mut app, KeyCode::Enter);
    let p = &app.doc.portfolio;
    assert_eq!(
        (p.brand.as_str(), p.currency.as_str(), p.as_of),
        ("Acme Goods", "EUR", Some(d("2026-12-01")))
    );
    assert_eq!(p.publish_to.as_deref(), Some("site/pages"));
    assert_eq!(
        app.doc.as_of,
        d("2026-12-01"),
        "scores follow the pinned date"
    );
    assert_eq!(
        status(&app),
        "Saved brand, currency, as-of date, publish to (u undoes) · scores now as of 2026-12-01"
    );
    // One undo step takes every field back, the evaluation date with it.
    keys(&mut app, "u");
    assert_eq!(app.doc.portfolio, before);
    assert_eq!(app.doc.as_of, d("2026-11-15"));
    // Unpinned: today's date.
    keys(&mut app, ",");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    retype(&mut app, "");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.doc.portfolio.as_of, None);
    assert_eq!(app.doc.as_of, d("2026-12-24"));
}

#[test]
fn unreadable_settings_keep_their_text_and_ask_before_discarding() {
    let mut app = demo_app();
    let before = app.doc.portfolio.clone();
    keys(&mut app, ",");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    retype(&mut app, "2027-02-30");
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("2027-02-30"), "{shown}");
    assert!(
        shown.contains("2027-02-30: no such"),
        "the message beside it:\n{shown}"
    );
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        status(&app),
        "As-of date: 2027-02-30: no such day in the calendar (February 2027 has 28 days) · fix it \
         or Esc to discard"
    );
    assert_eq!(app.doc.portfolio, before, "nothing reaches the model");
    key(&mut app, KeyCode::Esc);
    assert!(
        status(&app).contains("Esc again discards it"),
        "{}",
        status(&app)
    );
    assert!(
        screen(&mut app, 100, 30).contains("Portfolio settings"),
        "still open"
    );
    // Any other key keeps editing; the question comes again on the next Esc.
    key(&mut app, KeyCode::Left);
    key(&mut app, KeyCode::Esc);
    assert!(status(&app).contains("Esc again discards it"));
    key(&mut app, KeyCode::Esc);
    assert_eq!(status(&app), "Settings not changed");
    assert_eq!(app.doc.portfolio, before);
    assert!(!app.doc.is_dirty());
    // A bad currency names its field too.
    keys(&mut app, ",");
    key(&mut app, KeyCode::Tab);
    retype(&mut app, "dollars");
    key(&mut app, KeyCode::Enter);
    assert!(status(&app).starts_with("Currency: \"dollars\" is not a currency code"));
    assert_eq!(app.doc.portfolio, before);
}

#[test]
fn settings_are_not_offered_in_share_mode() {
    let mut app = demo_app();
    keys(&mut app, "s,");
    assert_eq!(
        status(&app),
        "Portfolio settings are not shown in share mode (s ends it)"
    );
    assert!(!screen(&mut app, 80, 24).contains("Publish to"), "no popup");
}

#[test]
fn details_edit_start_notes_and_rules_in_one_step_and_warn_of_overlaps() {
    let mut app = demo_app();
    let summit = app.doc.portfolio.alliance_index("summit").unwrap();
    app.doc.portfolio.alliances[summit].attribution.codes = vec!["SUMMIT10".into()];
    select(&mut app, "glow");
    let before = app.doc.portfolio.clone();
    keys(&mut app, "D");
    insta::assert_snapshot!("details_popup_120x40", screen(&mut app, 120, 40));
    // Partner, Type, Status, Start date.
    for _ in 0..3 {
        key(&mut app, KeyCode::Tab);
    }
    retype(&mut app, "2025-10-15");
    key(&mut app, KeyCode::Tab);
    keys(&mut app, " Renew in March.");
    key(&mut app, KeyCode::Tab);
    retype(&mut app, "GLOW15, summit10");
    let shown = screen(&mut app, 120, 40);
    assert!(
        shown.contains("code \"summit10\" is a rule of glow and summit"),
        "warned as typed:\n{shown}"
    );
    key(&mut app, KeyCode::Enter);
    let glow = app.doc.portfolio.alliance("glow").unwrap();
    assert_eq!(glow.started, d("2025-10-15"));
    assert!(glow.notes.ends_with(" Renew in March."), "{}", glow.notes);
    assert_eq!(glow.attribution.codes, ["GLOW15", "summit10"]);
    assert_eq!(
        status(&app),
        "Saved start date, notes, attribution rules of Glow & Co (u undoes) · ▲ 1 rule shared \
         with another alliance"
    );
    keys(&mut app, "u");
    assert_eq!(app.doc.portfolio, before, "one undo step");
}

#[test]
fn unreadable_details_change_nothing() {
    let mut app = demo_app();
    select(&mut app, "glow");
    let before = app.doc.portfolio.clone();
    keys(&mut app, "D");
    retype(&mut app, "  ");
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        status(&app),
        "glow › Partner: enter the partner's name · fix it or Esc to discard"
    );
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    retype(&mut app, "2026-13-01");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.doc.portfolio, before);
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Esc);
    assert_eq!(status(&app), "Details not changed");
    assert_eq!(app.doc.portfolio, before);
}

#[test]
fn share_mode_details_hide_notes_rules_and_other_alliances() {
    let mut app = demo_app();
    let summit = app.doc.portfolio.alliance_index("summit").unwrap();
    app.doc.portfolio.alliances[summit].attribution.codes = vec!["GLOW15".into()];
    select(&mut app, "glow");
    let glow = app.doc.portfolio.alliance_index("glow").unwrap();
    app.doc.portfolio.alliances[glow].attribution.codes = vec!["GLOW15".into()];
    keys(&mut app, "sD");
    let shown = screen(&mut app, 120, 40);
    assert!(shown.contains("Alliance details"), "{shown}");
    for hidden in [
        "Internal notes",
        "Priya",
        "GLOW15",
        "summit",
        "Summit",
        "Discount codes",
    ] {
        assert!(
            !shown.contains(hidden),
            "{hidden} shown in share mode:\n{shown}"
        );
    }
    let notes = app.doc.portfolio.alliances[glow].notes.clone();
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Enter);
    let a = &app.doc.portfolio.alliances[glow];
    assert_ne!(
        a.kind,
        crate::model::AllianceKind::CoMarketing,
        "type changed"
    );
    assert_eq!(a.notes, notes, "notes kept");
    assert_eq!(a.attribution.codes, ["GLOW15"], "rules kept");
}

#[test]
fn an_empty_portfolio_offers_the_settings_key_in_the_footer() {
    use crate::app::document::{Document, Source};
    use crate::app::keymap::Keymap;
    use crate::ui::theme::Theme;
    let doc = Document::new(
        crate::model::Portfolio::empty("My Brand"),
        d("2026-11-15"),
        Source::Demo,
    );
    let mut app = App::new(doc, Theme::default(), Keymap::default());
    let shown = screen(&mut app, 120, 40);
    let footer = shown.lines().last().unwrap_or_default();
    assert!(footer.contains(", settings"), "{footer}");
    keys(&mut app, ",");
    retype(&mut app, "Acme Goods");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.doc.portfolio.brand, "Acme Goods");
}
