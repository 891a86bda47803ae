//! Key-driven scenarios on the whole app, drawn on ratatui's `TestBackend`.

use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::Rect;

use super::{App, Modal};
use crate::app::Effect;
use crate::app::document::{Document, Source};
use crate::app::keymap::Keymap;
use crate::score::FlagCode;
use crate::ui::snapshot;
use crate::ui::tabs::Tab;
use crate::ui::theme::Theme;

mod boundary;
mod numbers;
mod portfolio;
mod themes;

/// The app on the embedded sample, as `--demo` opens it.
pub(crate) fn demo_app() -> App {
    let loaded = crate::store::parse(crate::sample::NORTHWIND, "sample").expect("sample loads");
    let as_of = loaded
        .portfolio
        .as_of
        .expect("the sample pins its as-of date");
    let doc = Document::new(loaded.portfolio, as_of, Source::Demo);
    let mut app = App::new(doc, Theme::default(), Keymap::default());
    app.clock = crate::app::clock::Clock::manual();
    app
}

/// The app on the portfolio file at `path`, as the workspace opens it (lock, recovery check),
/// with no start-up question showing.
pub(crate) fn file_app(path: &std::path::Path) -> App {
    let options = crate::app::options::WorkspaceOptions {
        file: Some(path.to_owned()),
        ..crate::app::options::WorkspaceOptions::default()
    };
    let mut app = super::startup::prepare(&options, None).expect("the file opens");
    app.modal = None;
    app
}

/// The screen as text, one line per row.
pub(crate) fn screen(app: &mut App, width: u16, height: u16) -> String {
    app.size = Rect::new(0, 0, width, height);
    snapshot::text(&snapshot::draw(app, width, height))
}

/// The screen as text with its colours and modifiers.
pub(crate) fn styled_screen(app: &mut App, width: u16, height: u16) -> String {
    app.size = Rect::new(0, 0, width, height);
    snapshot::styled(&snapshot::draw(app, width, height))
}

pub(crate) fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.handle_event(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

pub(crate) fn keys(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

pub(crate) fn ctrl(app: &mut App, c: char) -> Vec<Effect> {
    app.handle_event(&Event::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    )))
}

pub(crate) fn select(app: &mut App, id: &str) {
    let index = app
        .doc
        .portfolio
        .alliance_index(id)
        .expect("alliance exists");
    key(app, KeyCode::Home);
    while app.doc.current != index {
        key(app, KeyCode::Down);
    }
}

#[test]
fn portfolio_views_at_both_sizes() {
    let mut app = demo_app();
    for view in ["weekly_pulse", "monthly_trend", "quarterly_strategic"] {
        for (w, h) in [(80, 24), (120, 40)] {
            let text = screen(&mut app, w, h);
            insta::assert_snapshot!(format!("portfolio_{view}_{w}x{h}"), text);
        }
        keys(&mut app, "v");
    }
}

#[test]
fn selecting_a_flagged_alliance_explains_every_flag() {
    let mut app = demo_app();
    select(&mut app, "harbor");
    let text = screen(&mut app, 120, 40);
    let scores = app.doc.current_scores().unwrap().clone();
    assert!(scores.flags.len() >= 5);
    for flag in &scores.flags {
        assert!(
            text.contains(flag.code.short_label()),
            "missing badge for {:?}",
            flag.code
        );
    }
    insta::assert_snapshot!("portfolio_harbor_detail_120x40", text);
}

#[test]
fn help_lists_every_key_from_the_live_keymap() {
    let mut app = demo_app();
    keys(&mut app, "?");
    assert!(matches!(app.modal, Some(Modal::Help { .. })));
    let text = screen(&mut app, 120, 40);
    insta::assert_snapshot!("help_120x40", text);
    let all = crate::ui::help::lines(&app, app.size)
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>();
    for action in crate::app::action::Action::ALL {
        assert!(
            all.iter().any(|l| l.contains(action.description())),
            "{action:?} not in help"
        );
    }
    key(&mut app, KeyCode::Esc);
    assert!(app.modal.is_none());
}

#[test]
fn too_small_screen_says_so_and_never_panics() {
    let mut app = demo_app();
    insta::assert_snapshot!("too_small_79x23", screen(&mut app, 79, 23));
    insta::assert_snapshot!("too_small_79x23_styled", styled_screen(&mut app, 79, 23));
    for (w, h) in [(1, 1), (2, 1), (10, 3), (40, 10), (80, 23), (79, 24)] {
        let text = screen(&mut app, w, h);
        if w >= 40 {
            assert!(text.contains("80×24"), "{w}x{h}: {text}");
        }
    }
    for tab in ["1", "2", "3", "4", "5"] {
        keys(&mut app, tab);
        for (w, h) in [(80, 24), (81, 25), (200, 60)] {
            screen(&mut app, w, h);
        }
    }
}

#[test]
fn share_mode_hides_every_other_partner_and_the_notes() {
    let mut app = demo_app();
    select(&mut app, "glow");
    let others: Vec<String> = app
        .doc
        .portfolio
        .alliances
        .iter()
        .filter(|a| a.id != "glow")
        .map(|a| a.partner.clone())
        .chain(app.doc.portfolio.pipeline.iter().map(|i| i.partner.clone()))
        .collect();
    let notes = app.doc.current_alliance().unwrap().notes.clone();
    assert!(
        !notes.is_empty(),
        "the sample's glow has internal notes to hide"
    );
    let note_words: String = notes.chars().take(20).collect();
    keys(&mut app, "s");
    assert!(app.share);
    for tab in ["1", "2", "3", "4", "5"] {
        keys(&mut app, tab);
        for (w, h) in [(80, 24), (120, 40)] {
            for _view in 0..3 {
                let text = screen(&mut app, w, h);
                assert!(text.contains("SHARING: Glow & Co"), "tab {tab}: no banner");
                for other in &others {
                    let short: String = other.chars().take(8).collect();
                    assert!(
                        !text.contains(&short),
                        "tab {tab} {w}x{h} shows {other}:\n{text}"
                    );
                }
                assert!(
                    !text.contains(&note_words),
                    "tab {tab} shows internal notes"
                );
                assert!(
                    !text.contains("alliance share"),
                    "portfolio totals leak others' figures"
                );
                if tab == "1" {
                    keys(&mut app, "v");
                }
            }
        }
    }
    keys(&mut app, "1");
    insta::assert_snapshot!("share_mode_80x24", screen(&mut app, 80, 24));
    // With styles: the one alliance shown is the highlighted row.
    insta::assert_snapshot!("share_mode_80x24_styled", styled_screen(&mut app, 80, 24));
    // Moving the selection or filtering cannot reveal anyone else while sharing.
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::End);
    keys(&mut app, "/");
    assert_eq!(app.views.portfolio.rows().len(), 1);
    keys(&mut app, "s");
    assert!(!app.share);
    assert_eq!(
        app.views.portfolio.rows().len(),
        app.doc.portfolio.alliances.len()
    );
}

#[test]
fn sort_and_filter_change_the_rows() {
    let mut app = demo_app();
    let before = app.views.portfolio.rows().to_vec();
    keys(&mut app, "o"); // partner
    let partners: Vec<String> = app
        .views
        .portfolio
        .rows()
        .iter()
        .map(|&i| app.doc.portfolio.alliances[i].partner.to_lowercase())
        .collect();
    let mut sorted = partners.clone();
    sorted.sort();
    assert_eq!(partners, sorted);
    keys(&mut app, "O");
    assert_eq!(
        app.views.portfolio.rows().first(),
        before
            .iter()
            .max_by_key(|&&i| app.doc.portfolio.alliances[i].partner.to_lowercase())
    );
    keys(&mut app, "/harbor");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.views.portfolio.rows().len(), 1);
    assert!(screen(&mut app, 120, 40).contains("filter: harbor"));
    // Keys typed into the filter never act as commands.
    assert_eq!(app.tab, Tab::Portfolio);
    keys(&mut app, "/");
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.views.portfolio.rows().len(), before.len());
    // A filter can match a flag code.
    keys(&mut app, "/cfr_critical");
    key(&mut app, KeyCode::Enter);
    let rows = app.views.portfolio.rows().to_vec();
    assert!(!rows.is_empty());
    assert!(
        rows.iter()
            .all(|&i| app.doc.scores.alliances[i].has_flag(FlagCode::CfrCritical))
    );
}

#[test]
fn editing_a_health_score_raises_the_flag_on_the_next_frame() {
    let mut app = demo_app();
    select(&mut app, "brightside");
    let health = app.doc.current_scores().unwrap().health.clone().unwrap();
    assert_eq!(
        health.total, 12,
        "the sample's brightside sits exactly on the threshold"
    );
    assert!(
        !app.doc
            .current_scores()
            .unwrap()
            .has_flag(FlagCode::HealthConversation)
    );
    assert!(!screen(&mut app, 120, 40).contains("health <12"));
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Down); // strategic alignment
    key(&mut app, KeyCode::Left);
    assert!(
        app.doc
            .current_scores()
            .unwrap()
            .has_flag(FlagCode::HealthConversation)
    );
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("Health 11/20: below 12"), "{text}");
    key(&mut app, KeyCode::Esc);
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("health <12"), "{text}");
    assert!(text.contains("●unsaved"));
    // Undo puts the old score back, and the flag goes.
    keys(&mut app, "u");
    assert!(
        !app.doc
            .current_scores()
            .unwrap()
            .has_flag(FlagCode::HealthConversation)
    );
    assert!(
        app.status
            .as_deref()
            .unwrap_or("")
            .starts_with("Undid: strategic alignment")
    );
    ctrl(&mut app, 'r');
    assert!(
        app.doc
            .current_scores()
            .unwrap()
            .has_flag(FlagCode::HealthConversation)
    );
}

#[test]
fn status_edit_changes_which_flags_apply() {
    let mut app = demo_app();
    select(&mut app, "brightside");
    assert!(
        app.doc
            .current_scores()
            .unwrap()
            .has_flag(FlagCode::NoCharter)
    );
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Left); // Active → Proposed: no flags for proposals
    key(&mut app, KeyCode::Esc);
    assert!(app.doc.current_scores().unwrap().flags.is_empty());
}

#[test]
fn quitting_with_unsaved_edits_asks() {
    let mut app = demo_app();
    assert_eq!(keys_effects(&mut app, "q"), vec![Effect::Quit]);
    let mut app = demo_app();
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Esc);
    assert!(keys_effects(&mut app, "q").is_empty());
    assert_eq!(app.modal, Some(Modal::QuitUnsaved));
    assert!(screen(&mut app, 80, 24).contains("not saved"));
    key(&mut app, KeyCode::Esc);
    assert!(app.modal.is_none());
    keys(&mut app, "q");
    assert_eq!(keys_effects(&mut app, "n"), vec![Effect::Quit]);
    keys(&mut app, "q");
    assert_eq!(
        keys_effects(&mut app, "y"),
        vec![Effect::Save, Effect::Quit]
    );
    assert_eq!(ctrl(&mut app, 's'), vec![Effect::Save]);
}

fn keys_effects(app: &mut App, text: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for c in text.chars() {
        effects.extend(key(app, KeyCode::Char(c)));
    }
    effects
}

#[test]
fn tabs_switch_by_number_tab_key_and_mouse() {
    let mut app = demo_app();
    keys(&mut app, "3");
    assert_eq!(app.tab, Tab::Commitments);
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.tab, Tab::Reviews);
    app.handle_event(&Event::Key(KeyEvent::new(
        KeyCode::BackTab,
        KeyModifiers::SHIFT,
    )));
    assert_eq!(app.tab, Tab::Commitments);
    screen(&mut app, 120, 40);
    let click = |column, row| {
        Event::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    app.handle_event(&click(3, 1));
    assert_eq!(app.tab, Tab::Portfolio);
    // Rows start below the tab bar, the table border and its header: the 3rd alliance is row 6.
    app.handle_event(&click(10, 6));
    assert_eq!(app.doc.current, 2);
    app.handle_event(&Event::Mouse(MouseEvent {
        kind: MouseEventKind::ScrollDown,
        column: 10,
        row: 6,
        modifiers: KeyModifiers::NONE,
    }));
    assert_eq!(app.doc.current, 3);
}

#[test]
fn themes_cycle_and_every_theme_draws() {
    let mut app = demo_app();
    let mut seen = vec![app.theme.name.clone()];
    for _ in 0..3 {
        keys(&mut app, "t");
        screen(&mut app, 80, 24);
        seen.push(app.theme.name.clone());
    }
    assert_eq!(seen, ["dark", "light", "high-contrast", "dark"]);
}

#[test]
fn adding_and_deleting_alliances_asks_and_undoes() {
    let mut app = demo_app();
    let n = app.doc.portfolio.alliances.len();
    keys(&mut app, "a");
    assert_eq!(app.doc.portfolio.alliances.len(), n + 1);
    keys(&mut app, "1d");
    assert!(matches!(app.modal, Some(Modal::Confirm { .. })));
    keys(&mut app, "n");
    assert_eq!(app.doc.portfolio.alliances.len(), n + 1);
    keys(&mut app, "dy");
    assert_eq!(app.doc.portfolio.alliances.len(), n);
    keys(&mut app, "u");
    assert_eq!(app.doc.portfolio.alliances.len(), n + 1);
}

#[test]
fn the_sample_and_the_page_keys_stay_in_bounds() {
    let mut app = demo_app();
    screen(&mut app, 80, 24); // the page size comes from the last frame drawn
    for code in [
        KeyCode::PageDown,
        KeyCode::PageDown,
        KeyCode::End,
        KeyCode::Down,
    ] {
        key(&mut app, code);
    }
    assert_eq!(app.doc.current, app.doc.portfolio.alliances.len() - 1);
    key(&mut app, KeyCode::PageUp);
    key(&mut app, KeyCode::PageUp);
    assert_eq!(app.doc.current, 0);
}

#[test]
fn a_large_portfolio_scrolls_and_only_draws_what_fits() {
    let portfolio = crate::generate::generate(300, 7);
    let as_of = portfolio.as_of.unwrap();
    let doc = Document::new(portfolio, as_of, Source::Demo);
    let mut app = App::new(doc, Theme::default(), Keymap::default());
    key(&mut app, KeyCode::End);
    let text = screen(&mut app, 120, 40);
    let last = app.doc.portfolio.alliances.last().unwrap().partner.clone();
    assert!(text.contains(&crate::ui::widgets::format::truncate(&last, 20)));
    assert!(text.contains("300 of 300 alliances"));
}

#[test]
fn long_review_and_pipeline_lists_scroll_to_the_selection() {
    let mut app = demo_app();
    let start = chrono::NaiveDate::from_ymd_opt(2024, 1, 10).unwrap();
    app.doc.edit_current("many reviews", |a| {
        a.reviews = (0..30)
            .map(|m| crate::model::Review::Monthly {
                figures: None,
                date: crate::model::add_months(start, m),
                kpis: String::new(),
                blockers: String::new(),
                next_month: String::new(),
                escalations: String::new(),
                summary_sent: None,
            })
            .collect();
    });
    app.doc.edit_pipeline("many intakes", |p| {
        let first = p[0].clone();
        for i in 0..40 {
            p.push(crate::model::Intake {
                partner: format!("Prospect {i:02}"),
                ..first.clone()
            });
        }
    });
    keys(&mut app, "4");
    key(&mut app, KeyCode::End);
    assert!(
        screen(&mut app, 80, 24).contains("2024-01-10"),
        "the oldest review is in view"
    );
    key(&mut app, KeyCode::Home);
    assert!(
        screen(&mut app, 80, 24).contains("2026-06-10"),
        "and the newest again"
    );
    keys(&mut app, "5");
    key(&mut app, KeyCode::End);
    assert!(screen(&mut app, 80, 24).contains("Prospect 39"));
}

#[test]
fn the_portfolio_highlights_the_alliance_chosen_on_another_tab() {
    let mut app = demo_app();
    keys(&mut app, "3A");
    for _ in 0..80 {
        if app.doc.current != 0 {
            break;
        }
        key(&mut app, KeyCode::Down);
    }
    let chosen = app.doc.current;
    assert_ne!(
        chosen, 0,
        "Commitments across all alliances moved the current alliance"
    );
    keys(&mut app, "1");
    let partner = app.doc.portfolio.alliances[chosen].partner.clone();
    let text = screen(&mut app, 120, 40);
    let detail = text
        .lines()
        .find(|l| l.contains(" · since "))
        .unwrap_or_default();
    assert!(
        detail.contains(&partner),
        "the detail pane follows: {detail}"
    );
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Esc);
    assert_eq!(
        app.doc.current, chosen,
        "the quick edit acted on the highlighted alliance"
    );
}

#[test]
fn the_sort_arrow_fits_narrow_columns_and_esc_clears_a_kept_filter() {
    let mut app = demo_app();
    keys(&mut app, "oooo"); // file order → partner → type → status → health
    assert_eq!(
        app.views.portfolio.sort,
        crate::ui::tabs::portfolio::Column::Health
    );
    let header = screen(&mut app, 120, 40)
        .lines()
        .nth(3)
        .unwrap_or_default()
        .to_owned();
    assert!(header.contains("Healt↑"), "{header}");
    keys(&mut app, "/harbor");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.views.portfolio.rows().len(), 1);
    key(&mut app, KeyCode::Esc);
    assert!(app.views.portfolio.filter.is_empty());
    assert_eq!(
        app.views.portfolio.rows().len(),
        app.doc.portfolio.alliances.len()
    );
}

#[test]
fn capital_s_saves_to_another_file() {
    let mut app = demo_app();
    keys(&mut app, "S");
    assert!(matches!(app.modal, Some(Modal::SaveAs { .. })));
    assert!(screen(&mut app, 80, 24).contains("Save as"));
}

#[test]
fn the_path_prompt_takes_a_paste_and_edits_at_its_cursor() {
    let mut app = demo_app();
    keys(&mut app, "S");
    // Clear the suggestion, paste a path, then fix its first letter at the cursor.
    app.handle_event(&Event::Key(KeyEvent::new(
        KeyCode::Char('u'),
        KeyModifiers::CONTROL,
    )));
    app.handle_event(&Event::Paste("xdir/mine.ron".to_owned()));
    key(&mut app, KeyCode::Home);
    key(&mut app, KeyCode::Delete);
    keys(&mut app, "my");
    let Some(Modal::SaveAs { input, .. }) = &app.modal else {
        panic!("expected the path prompt, got {:?}", app.modal)
    };
    assert_eq!(input.text(), "mydir/mine.ron");
}

#[test]
fn entering_a_new_brand_month_warns_that_other_alliances_count_zero_until_entered() {
    let mut app = demo_app();
    keys(&mut app, "n");
    key(&mut app, KeyCode::Up);
    key(&mut app, KeyCode::Backspace);
    key(&mut app, KeyCode::Backspace);
    keys(&mut app, "11");
    key(&mut app, KeyCode::Tab);
    keys(&mut app, "400000");
    let text = screen(&mut app, 120, 40);
    assert!(
        text.contains("other alliances have no revenue for 2026-11"),
        "{text}"
    );
    keys(&mut app, "s"); // typed into the form, not share mode
    assert!(!app.share);
}

#[test]
fn a_filter_that_hides_the_current_alliance_makes_the_first_match_current() {
    let mut app = demo_app();
    keys(&mut app, "/harbor");
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        app.doc.current_alliance().map(|a| a.id.as_str()),
        Some("harbor")
    );
    assert!(screen(&mut app, 120, 40).contains("1 of 8 alliances · filter: harbor"));
}
