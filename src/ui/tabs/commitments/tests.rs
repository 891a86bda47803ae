//! The Commitments tab's state, its live CFR and what a person sees, driven through the whole
//! app with key events on ratatui's `TestBackend`.

use chrono::NaiveDate;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::app::document::{Document, Source};
use crate::app::keymap::Keymap;
use crate::model::{AllianceKind, Portfolio, Status};
use crate::ui::shell::App;
use crate::ui::tabs::Tab;
use crate::ui::theme::Theme;

pub(super) fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

pub(super) fn item(
    id: u32,
    party: Party,
    action: &str,
    due: &str,
    done: Option<&str>,
) -> Commitment {
    Commitment {
        id,
        party,
        action: action.to_owned(),
        due: day(due),
        done: done.map(day),
    }
}

/// Two alliances as of 2026-11-15: Glow with five commitments in every state, Peak with two.
pub(super) fn portfolio() -> Portfolio {
    let mut p = Portfolio::empty("Test Goods");
    p.as_of = Some(day("2026-11-15"));
    let mut glow = Alliance::new(
        "glow",
        "Glow & Co",
        AllianceKind::CoMarketing,
        day("2026-01-01"),
    );
    glow.status = Status::Active;
    glow.commitments = vec![
        item(
            1,
            Party::Partner,
            "Email blast to 40k list",
            "2026-11-02",
            Some("2026-11-01"),
        ),
        item(
            2,
            Party::Us,
            "Ship sample kits",
            "2026-11-05",
            Some("2026-11-08"),
        ),
        item(
            3,
            Party::Partner,
            "Share segmentation results",
            "2026-11-10",
            None,
        ),
        item(
            4,
            Party::Us,
            "Holiday bundle pricing\nwith the tiers we agreed",
            "2026-11-18",
            None,
        ),
        item(5, Party::Us, "Restock the bundle", "2026-11-30", None),
    ];
    let mut peak = Alliance::new(
        "peak",
        "Peak Outfitters",
        AllianceKind::Wholesale,
        day("2026-03-01"),
    );
    peak.status = Status::Active;
    peak.commitments = vec![
        item(
            1,
            Party::Us,
            "Send wholesale price list",
            "2026-11-12",
            None,
        ),
        item(
            2,
            Party::Partner,
            "Place first order",
            "2026-11-14",
            Some("2026-11-14"),
        ),
    ];
    p.alliances = vec![glow, peak].into();
    p
}

pub(super) fn app_with(p: Portfolio) -> App {
    let as_of = p.as_of.unwrap();
    let doc = Document::new(p, as_of, Source::Demo);
    let mut app = App::new(doc, Theme::default(), Keymap::default());
    app.tab = Tab::Commitments;
    app.views.commitments.sync(&app.doc, app.share);
    app
}

pub(super) fn press(app: &mut App, code: KeyCode) -> Vec<crate::app::Effect> {
    app.handle_event(&Event::Key(KeyEvent::from(code)))
}

pub(super) fn ctrl(app: &mut App, c: char) -> Vec<crate::app::Effect> {
    app.handle_event(&Event::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    )))
}

pub(super) fn typing(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

/// The screen as text, one line per row, trailing spaces trimmed.
pub(super) fn screen(app: &App, w: u16, h: u16) -> String {
    crate::ui::snapshot::text(&crate::ui::snapshot::draw(app, w, h))
}

fn ids(app: &App) -> Vec<(usize, u32)> {
    app.views
        .commitments
        .rows()
        .iter()
        .map(|r| {
            (
                r.alliance,
                app.doc.portfolio.alliances[r.alliance].commitments[r.commitment].id,
            )
        })
        .collect()
}

#[test]
fn states_follow_the_as_of_date() {
    use CommitmentState::{Done, DoneLate, Open, Overdue};
    let as_of = day("2026-11-15");
    let p = portfolio();
    let states: Vec<_> = p.alliances[0]
        .commitments
        .iter()
        .map(|c| c.state(as_of))
        .collect();
    assert_eq!(states, [Done, DoneLate, Overdue, Open, Open]);
    // Due on the as-of date is not overdue yet; done after the as-of date does not exist yet.
    let today = item(9, Party::Us, "x", "2026-11-15", None);
    assert_eq!(today.state(as_of), Open);
    let future_done = item(9, Party::Us, "x", "2026-11-10", Some("2026-11-20"));
    assert_eq!(future_done.state(as_of), Overdue);
}

#[test]
fn quick_filters_cycle_and_filter() {
    let mut app = app_with(portfolio());
    assert_eq!(ids(&app), [(0, 1), (0, 2), (0, 3), (0, 4), (0, 5)]);
    let mut seen = Vec::new();
    for _ in 0..6 {
        press(&mut app, KeyCode::Char('f'));
        seen.push((app.views.commitments.quick, ids(&app)));
    }
    assert_eq!(seen[0].0, QuickFilter::Us);
    assert_eq!(seen[0].1, [(0, 2), (0, 4), (0, 5)]);
    assert_eq!(seen[1].1, [(0, 1), (0, 3)]);
    assert_eq!(seen[2].0, QuickFilter::Open);
    assert_eq!(seen[2].1, [(0, 3), (0, 4), (0, 5)]);
    assert_eq!(seen[3].0, QuickFilter::Overdue);
    assert_eq!(seen[3].1, [(0, 3)]);
    assert_eq!(seen[4].0, QuickFilter::DueThisWeek);
    assert_eq!(seen[4].1, [(0, 4)]);
    assert_eq!(seen[5].0, QuickFilter::All);
}

#[test]
fn text_filter_captures_keys_and_esc_clears() {
    let mut app = app_with(portfolio());
    press(&mut app, KeyCode::Char('/'));
    typing(&mut app, "bundle q");
    assert_eq!(
        app.views.commitments.filter.text(),
        "bundle q",
        "q is typed, not quit"
    );
    press(&mut app, KeyCode::Backspace);
    press(&mut app, KeyCode::Backspace);
    assert_eq!(ids(&app), [(0, 4), (0, 5)]);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Esc);
    assert!(app.views.commitments.filter.is_empty());
    assert_eq!(ids(&app).len(), 5);
}

#[test]
fn toggle_all_adds_other_alliances_and_share_mode_refuses() {
    let mut app = app_with(portfolio());
    press(&mut app, KeyCode::Char('A'));
    assert!(app.views.commitments.all);
    assert_eq!(ids(&app).len(), 7);
    // Sorted by due across alliances.
    assert_eq!(ids(&app)[3], (1, 1));
    let text = screen(&app, 120, 40);
    assert!(text.contains("Peak Outfitters"), "{text}");
    assert!(text.contains("Commitments · all alliances"));
    // Moving onto Peak's row makes Peak current, so the figures follow the selection.
    for _ in 0..3 {
        press(&mut app, KeyCode::Down);
    }
    assert_eq!(app.doc.current, 1);
    press(&mut app, KeyCode::Char('s'));
    assert!(app.share);
    assert_eq!(
        ids(&app),
        [(1, 1), (1, 2)],
        "share mode shows only the current alliance"
    );
    press(&mut app, KeyCode::Char('A'));
    assert!(app.status.as_deref().unwrap().contains("Share mode"));
    assert!(
        app.views.commitments.all,
        "the toggle is refused, not flipped"
    );
}

#[test]
fn sorting_cycles_and_reverses() {
    let mut app = app_with(portfolio());
    press(&mut app, KeyCode::Char('o'));
    assert_eq!(app.views.commitments.sort, SortKey::Id);
    press(&mut app, KeyCode::Char('O'));
    assert_eq!(ids(&app), [(0, 5), (0, 4), (0, 3), (0, 2), (0, 1)]);
    for _ in 0..4 {
        press(&mut app, KeyCode::Char('o'));
    }
    assert_eq!(app.views.commitments.sort, SortKey::State);
    press(&mut app, KeyCode::Char('O'));
    assert_eq!(ids(&app)[0], (0, 3), "overdue first");
    press(&mut app, KeyCode::Char('o'));
    assert_eq!(
        app.views.commitments.sort,
        SortKey::Due,
        "no partner column for one alliance"
    );
}

#[test]
fn marking_done_updates_the_cfr_and_undo_restores() {
    let mut app = app_with(portfolio());
    let cfr = |app: &App| app.doc.scores.alliances[0].cfr.trailing_30d.clone();
    // Due in the last 30 days: #1 done, #2 done late, #3 open → 2 of 3.
    assert_eq!(cfr(&app).counts[2], (2, 3));
    assert!(screen(&app, 120, 40).contains("67%"));
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Char('x'));
    let c = &app.doc.portfolio.alliances[0].commitments[2];
    assert_eq!(c.done, Some(day("2026-11-15")), "done with the as-of date");
    assert_eq!(cfr(&app).all, Some(1.0));
    assert_eq!(cfr(&app).counts[1], (2, 2));
    let text = screen(&app, 120, 40);
    assert!(text.contains("100%  3 of 3 due"), "{text}");
    assert!(text.contains("✓ done late 5d"), "{text}");
    press(&mut app, KeyCode::Char(' '));
    assert_eq!(app.doc.portfolio.alliances[0].commitments[2].done, None);
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(
        app.doc.portfolio.alliances[0].commitments[2].done,
        Some(day("2026-11-15"))
    );
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(app.doc.portfolio.alliances[0].commitments[2].done, None);
    assert_eq!(cfr(&app).counts[2], (2, 3));
    assert!(!app.doc.is_dirty());
}

#[test]
fn the_selection_follows_its_commitment_when_the_list_changes() {
    let mut app = app_with(portfolio());
    press(&mut app, KeyCode::Char('f'));
    press(&mut app, KeyCode::Char('f'));
    press(&mut app, KeyCode::Char('f'));
    assert_eq!(app.views.commitments.quick, QuickFilter::Open);
    // Marking #3 done under "open" drops it; the selection moves to the next open one.
    press(&mut app, KeyCode::Char('x'));
    assert_eq!(ids(&app), [(0, 4), (0, 5)]);
    assert_eq!(
        app.views.commitments.selected_row().map(|r| r.commitment),
        Some(3)
    );
}

#[test]
fn delete_asks_first_and_undo_restores() {
    let mut app = app_with(portfolio());
    press(&mut app, KeyCode::Char('d'));
    assert!(matches!(
        app.modal,
        Some(crate::ui::shell::Modal::Confirm { .. })
    ));
    assert!(screen(&app, 80, 24).contains("Delete commitment #1"));
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(app.doc.portfolio.alliances[0].commitments.len(), 5);
    press(&mut app, KeyCode::Char('d'));
    press(&mut app, KeyCode::Char('y'));
    assert_eq!(app.doc.portfolio.alliances[0].commitments.len(), 4);
    assert_eq!(ids(&app)[0], (0, 2));
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(app.doc.portfolio.alliances[0].commitments.len(), 5);
    assert_eq!(ids(&app).len(), 5);
}

#[test]
fn missing_figures_are_dashes_never_zero() {
    let mut p = portfolio();
    p.alliances[0].commitments.clear();
    let app = app_with(p);
    let text = screen(&app, 80, 24);
    assert!(text.contains("—  nothing due"), "{text}");
    assert!(!text.contains(" 0%") && !text.contains("100%"), "{text}");
    assert!(text.contains("No commitments yet. Press a to add the first."));
}

#[test]
fn cfr_flags_are_shown_with_their_message() {
    let mut p = portfolio();
    // September and October: 1 of 3 done each → cfr_red and (with August) cfr_critical.
    let mut id = 10;
    for month in ["2026-08", "2026-09", "2026-10"] {
        for (k, done) in [(1, true), (2, false), (3, false)] {
            let due = format!("{month}-0{k}");
            p.alliances[0].commitments.push(item(
                id,
                Party::Partner,
                "Weekly post",
                &due,
                done.then_some(due.as_str()),
            ));
            id += 1;
        }
    }
    let app = app_with(p);
    let text = screen(&app, 120, 40);
    assert!(
        text.contains("▲ CFR red: CFR 33.3% and 33.3% in 2026-09, 2026-10"),
        "{text}"
    );
    assert!(
        text.contains("■ CFR critical: CFR 33.3%, 33.3% and 33.3%"),
        "{text}"
    );
    assert!(text.contains("Oct 33%"), "{text}");
}

#[test]
fn overdue_rows_say_so_in_words_and_symbol() {
    let app = app_with(portfolio());
    let text = screen(&app, 80, 24);
    assert!(text.contains("▲ overdue 5d"), "{text}");
}

#[test]
fn clicking_a_row_selects_it() {
    use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let mut app = app_with(portfolio());
    app.size = ratatui::layout::Rect::new(0, 0, 120, 40);
    let text = screen(&app, 120, 40);
    let y = text
        .lines()
        .position(|l| l.contains("Restock the bundle"))
        .unwrap();
    app.handle_event(&Event::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: 30,
        row: y as u16,
        modifiers: KeyModifiers::NONE,
    }));
    assert_eq!(
        app.views.commitments.selected_row().map(|r| r.commitment),
        Some(4)
    );
}

#[test]
fn snapshot_80x24() {
    let app = app_with(portfolio());
    insta::assert_snapshot!(screen(&app, 80, 24));
}

#[test]
fn snapshot_120x40_all_alliances() {
    let mut app = app_with(portfolio());
    press(&mut app, KeyCode::Char('A'));
    app.status = None;
    insta::assert_snapshot!(screen(&app, 120, 40));
}

#[test]
fn ten_thousand_alliances_are_not_rebuilt_on_every_move_in_all_mode() {
    let p = crate::generate::generate(10_000, 1);
    let n: usize = p.alliances.iter().map(|a| a.commitments.len()).sum();
    let mut app = app_with(Portfolio {
        as_of: Some(day("2026-11-15")),
        ..p
    });
    press(&mut app, KeyCode::Char('A'));
    assert_eq!(app.views.commitments.rows().len(), n);
    // Moving does not rebuild the list (the same allocation stays); its speed is measured by
    // `cargo bench --bench commitments`, not here.
    let built = app.views.commitments.rows().as_ptr();
    for _ in 0..5 {
        press(&mut app, KeyCode::Down);
        screen(&app, 120, 40);
    }
    assert_eq!(app.views.commitments.rows().as_ptr(), built);
    assert_eq!(app.views.commitments.rows().len(), n);
}

/// Add one commitment through the form: `a`, party, action, then a due date typed over the
/// suggested one; Enter moves on to the done date, and Enter on that last field saves.
fn add(app: &mut App, partner: bool, action: &str, due: &str) {
    press(app, KeyCode::Char('a'));
    typing(app, action);
    press(app, KeyCode::BackTab);
    if partner {
        press(app, KeyCode::Right);
    }
    press(app, KeyCode::Tab);
    press(app, KeyCode::Tab);
    ctrl(app, 'u');
    typing(app, due);
    press(app, KeyCode::Enter);
    press(app, KeyCode::Enter);
}

#[test]
fn scenario_add_three_complete_two_shows_67_and_saves() {
    let mut p = portfolio();
    p.alliances[0].commitments.clear();
    let mut app = app_with(p);
    add(&mut app, false, "Send the assets", "2026-11-01");
    add(&mut app, true, "Email blast", "2026-11-05");
    add(&mut app, false, "Landing page with the code", "2026-11-10");
    assert!(app.modal.is_none() && app.views.commitments.editor.is_none());
    let glow = &app.doc.portfolio.alliances[0];
    let got: Vec<_> = glow
        .commitments
        .iter()
        .map(|c| (c.id, c.party, c.action.as_str(), c.due.to_string()))
        .collect();
    assert_eq!(
        got,
        [
            (1, Party::Us, "Send the assets", "2026-11-01".to_owned()),
            (2, Party::Partner, "Email blast", "2026-11-05".to_owned()),
            (
                3,
                Party::Us,
                "Landing page with the code",
                "2026-11-10".to_owned()
            ),
        ]
    );
    assert!(screen(&app, 80, 24).contains("0 of 3 due"));
    // Complete the first two (the list is sorted by due date).
    press(&mut app, KeyCode::Home);
    press(&mut app, KeyCode::Char('x'));
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Char(' '));
    let text = screen(&app, 80, 24);
    assert!(text.contains("67%  2 of 3 due"), "{text}");
    assert_eq!(
        app.doc.scores.alliances[0]
            .cfr
            .trailing_30d
            .all
            .map(|v| (v * 100.0).round()),
        Some(67.0)
    );

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("portfolio.ron");
    crate::ui::shell::run::save(&mut app, Some(path.clone()));
    assert!(!app.doc.is_dirty(), "{:?}", app.status);
    let saved = crate::store::load(&path).unwrap().portfolio;
    let done: Vec<_> = saved.alliances[0]
        .commitments
        .iter()
        .map(|c| c.done)
        .collect();
    assert_eq!(
        done,
        [Some(day("2026-11-15")), Some(day("2026-11-15")), None]
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("done: Some(\"2026-11-15\")"), "{text}");
}

#[test]
fn new_ids_continue_after_the_max_and_edit_keeps_done() {
    let mut p = portfolio();
    p.alliances[0].commitments[4].id = 40;
    let mut app = app_with(p);
    add(&mut app, false, "Later", "2026-12-01");
    assert_eq!(app.doc.portfolio.alliances[0].commitments[5].id, 41);
    assert_eq!(
        app.views.commitments.selected_row().map(|r| r.commitment),
        Some(5)
    );
    // Edit #1 (done): change party and due; the done date stays.
    press(&mut app, KeyCode::Home);
    press(&mut app, KeyCode::Enter);
    assert!(screen(&app, 80, 24).contains("Commitment #1 · Glow & Co"));
    press(&mut app, KeyCode::Left);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    ctrl(&mut app, 'u');
    typing(&mut app, "2026-11-03");
    press(&mut app, KeyCode::F(10));
    let c = &app.doc.portfolio.alliances[0].commitments[0];
    assert_eq!(
        (c.party, c.due, c.done),
        (Party::Us, day("2026-11-03"), Some(day("2026-11-01")))
    );
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(
        app.doc.portfolio.alliances[0].commitments[0].party,
        Party::Partner
    );
}

#[test]
fn the_form_refuses_an_empty_action_and_esc_cancels() {
    let mut app = app_with(portfolio());
    press(&mut app, KeyCode::Char('a'));
    press(&mut app, KeyCode::F(10));
    assert!(app.views.commitments.editor.is_some(), "still open");
    assert_eq!(app.status.as_deref(), Some("The action is empty"));
    assert!(screen(&app, 80, 24).contains("say what was agreed"));
    typing(&mut app, "q and u are typed");
    press(&mut app, KeyCode::Esc);
    assert!(app.views.commitments.editor.is_none());
    assert_eq!(app.doc.portfolio.alliances[0].commitments.len(), 5);
    assert!(!app.doc.is_dirty());
}

#[test]
fn snapshot_80x24_add_form() {
    let mut app = app_with(portfolio());
    press(&mut app, KeyCode::Char('a'));
    typing(&mut app, "Send the deck");
    insta::assert_snapshot!(screen(&app, 80, 24));
}

#[test]
fn the_weekly_pulse_agrees_on_overdue_and_due_this_week() {
    let mut p = portfolio();
    // Due before as-of, done only after it: overdue as of today in both places.
    p.alliances[0].commitments.push(item(
        6,
        Party::Us,
        "Sign the addendum",
        "2026-11-12",
        Some("2026-11-20"),
    ));
    // Due this week, done only after as-of: still due this week.
    p.alliances[0].commitments.push(item(
        7,
        Party::Partner,
        "Confirm the slot",
        "2026-11-17",
        Some("2026-11-19"),
    ));
    let mut app = app_with(p);
    let overdue: Vec<String> = app.doc.portfolio.alliances[0]
        .commitments
        .iter()
        .filter(|c| QuickFilter::Overdue.keeps(c, app.doc.as_of))
        .map(|c| c.action.clone())
        .collect();
    assert_eq!(overdue, ["Share segmentation results", "Sign the addendum"]);
    app.tab = Tab::Portfolio;
    let text = screen(&app, 120, 40);
    assert!(
        text.contains("▲ overdue 5 days: Partner — Share segmentation results"),
        "{text}"
    );
    assert!(
        text.contains("▲ overdue 3 days: Us — Sign the addendum"),
        "{text}"
    );
    assert_eq!(text.matches("▲ overdue").count(), 2, "{text}");
    assert!(
        text.contains("2026-11-17 Partner — Confirm the slot"),
        "{text}"
    );
}

#[test]
fn in_all_mode_the_figures_describe_the_highlighted_row() {
    let mut app = app_with(portfolio());
    press(&mut app, KeyCode::Char('A'));
    press(&mut app, KeyCode::Char('/'));
    typing(&mut app, "wholesale");
    assert_eq!(ids(&app), [(1, 1)]);
    assert_eq!(
        app.doc.current, 1,
        "Peak's row is the only one, so Peak is current"
    );
    assert!(screen(&app, 80, 24).contains("CFR · Peak Outfitters"));
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('f'));
    press(&mut app, KeyCode::Char('f'));
    assert_eq!(app.views.commitments.quick, QuickFilter::Partner);
    let r = app.views.commitments.selected_row().unwrap();
    assert_eq!(app.doc.current, r.alliance);
}

/// Peak (the second alliance) is current, and redo would put a new alliance in front of it.
fn app_with_a_redo_that_shifts_peak() -> App {
    let mut app = app_with(portfolio());
    let zeta = Alliance::new(
        "zeta",
        "Zeta Labs",
        AllianceKind::CoMarketing,
        day("2026-01-01"),
    );
    app.doc.insert_alliance(0, zeta, "add alliance zeta");
    app.doc.undo();
    app.doc.current = 1;
    app.sync_views();
    assert_eq!(app.doc.current_alliance().unwrap().id, "peak");
    app
}

fn peak(app: &App) -> &Alliance {
    let i = app.doc.portfolio.alliance_index("peak").unwrap();
    &app.doc.portfolio.alliances[i]
}

#[test]
fn redo_while_the_edit_form_is_open_cannot_redirect_the_save() {
    let mut app = app_with_a_redo_that_shifts_peak();
    let glow = app.doc.portfolio.alliances[0].clone();
    press(&mut app, KeyCode::Enter);
    assert!(app.views.commitments.editor.is_some());
    let id = app
        .views
        .commitments
        .editor
        .as_ref()
        .map(|e| e.target.clone());
    assert!(matches!(id, Some(Target::Existing { ref alliance, .. }) if alliance == "peak"));
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    ctrl(&mut app, 'u');
    typing(&mut app, "2026-12-24");
    ctrl(&mut app, 'r');
    assert_eq!(
        app.doc.portfolio.alliances[0].id, "zeta",
        "redo shifted peak"
    );
    assert!(
        app.views.commitments.editor.is_some(),
        "the form stays open"
    );
    press(&mut app, KeyCode::F(10));
    assert!(app.views.commitments.editor.is_none());
    let edited: Vec<u32> = peak(&app)
        .commitments
        .iter()
        .filter(|c| c.due == day("2026-12-24"))
        .map(|c| c.id)
        .collect();
    assert_eq!(edited.len(), 1, "{:?}", peak(&app).commitments);
    assert_eq!(app.doc.portfolio.alliances[0].commitments, Vec::new());
    let glow_now = &app.doc.portfolio.alliances[app.doc.portfolio.alliance_index("glow").unwrap()];
    assert_eq!(glow_now.commitments, glow.commitments, "glow untouched");
}

#[test]
fn redo_while_the_add_form_is_open_still_adds_to_its_alliance() {
    let mut app = app_with_a_redo_that_shifts_peak();
    let n = peak(&app).commitments.len();
    press(&mut app, KeyCode::Char('a'));
    typing(&mut app, "Call the buyer");
    ctrl(&mut app, 'r');
    press(&mut app, KeyCode::F(10));
    assert_eq!(peak(&app).commitments.len(), n + 1);
    assert_eq!(peak(&app).commitments[n].action, "Call the buyer");
    assert!(
        app.doc.portfolio.alliances[0].commitments.is_empty(),
        "not zeta"
    );
}

#[test]
fn a_save_into_an_alliance_that_is_gone_is_refused_and_the_form_stays() {
    let mut app = app_with(portfolio());
    app.doc.remove_alliance(1, "delete peak");
    app.doc.undo();
    app.doc.current = 1;
    app.sync_views();
    press(&mut app, KeyCode::Char('a'));
    typing(&mut app, "Call the buyer");
    ctrl(&mut app, 'r');
    assert!(app.doc.portfolio.alliance_index("peak").is_none());
    let before = app.doc.portfolio.clone();
    press(&mut app, KeyCode::F(10));
    assert_eq!(app.doc.portfolio, before, "nothing written anywhere");
    assert!(
        app.views.commitments.editor.is_some(),
        "nothing typed is lost"
    );
    let status = app.status.clone().unwrap_or_default();
    assert!(status.contains("Not saved: alliance peak"), "{status}");
    press(&mut app, KeyCode::Esc);
    assert!(app.views.commitments.editor.is_none());
}

#[test]
fn a_click_under_the_form_leaves_the_selection() {
    use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let mut app = app_with(portfolio());
    app.size = ratatui::layout::Rect::new(0, 0, 120, 40);
    let text = screen(&app, 120, 40);
    let y = text
        .lines()
        .position(|l| l.contains("Restock the bundle"))
        .unwrap();
    let before = app.views.commitments.selected_row();
    press(&mut app, KeyCode::Enter);
    app.handle_event(&Event::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: 30,
        row: y as u16,
        modifiers: KeyModifiers::NONE,
    }));
    assert_eq!(app.views.commitments.selected_row(), before);
    assert!(app.views.commitments.editor.is_some());
}

#[test]
fn the_form_names_its_own_keys_and_share_mode_does_not_offer_all() {
    let mut app = app_with(portfolio());
    let footer = |app: &App| screen(app, 120, 40).lines().last().unwrap_or("").to_owned();
    assert!(footer(&app).contains("A all"), "{}", footer(&app));
    press(&mut app, KeyCode::Char('s'));
    app.status = None;
    assert!(!footer(&app).contains("A all"), "{}", footer(&app));
    press(&mut app, KeyCode::Char('a'));
    let shot = screen(&app, 120, 40);
    assert!(
        shot.contains("Tab next field · F10 saves · Esc cancels"),
        "{shot}"
    );
    let last = shot.lines().last().unwrap_or("");
    assert!(!last.contains("next field"), "{last}");
}

#[test]
fn a_done_date_is_set_back_dated_and_refused_after_the_as_of_date() {
    let mut app = app_with(portfolio());
    let as_of = app.doc.as_of;
    // An open commitment: edit it and type the day it was really done.
    let open = app.doc.portfolio.alliances[0]
        .commitments
        .iter()
        .position(|c| c.done.is_none())
        .unwrap();
    let id = app.doc.portfolio.alliances[0].commitments[open].id;
    let cfr_before = app.doc.scores.alliances[0].cfr.trailing_30d.all;
    press(&mut app, KeyCode::Home);
    for _ in 0..open {
        press(&mut app, KeyCode::Down);
    }
    let row = app.views.commitments.selected_row().unwrap();
    assert_eq!(row.commitment, open);
    press(&mut app, KeyCode::Enter);
    for _ in 0..3 {
        press(&mut app, KeyCode::Enter); // party, action, due: Enter moves on
    }
    let after = as_of.succ_opt().unwrap().to_string();
    typing(&mut app, &after);
    press(&mut app, KeyCode::Enter);
    assert!(
        app.views.commitments.editor.is_some(),
        "refused: the form stays"
    );
    let shot = screen(&app, 120, 40);
    assert!(shot.contains("after the as-of date"), "{shot}");
    assert_eq!(app.doc.portfolio.alliances[0].commitments[open].done, None);
    ctrl(&mut app, 'u');
    let due = app.doc.portfolio.alliances[0].commitments[open].due;
    let back = due.min(as_of);
    typing(&mut app, &back.to_string());
    press(&mut app, KeyCode::Enter);
    assert!(app.views.commitments.editor.is_none(), "{:?}", app.status);
    let c = app.doc.portfolio.alliances[0]
        .commitments
        .iter()
        .find(|c| c.id == id)
        .unwrap();
    assert_eq!(
        c.done,
        Some(back),
        "back-dated, not stamped with the as-of date"
    );
    let cfr_after = app.doc.scores.alliances[0].cfr.trailing_30d.all;
    assert_ne!(cfr_before, cfr_after, "CFR follows the done date");
}
