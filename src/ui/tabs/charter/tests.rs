//! Charter tab scenarios: typing a charter, ids, reordering, rejected values, key hints.

use std::time::Duration;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::app::document::{Document, Source};
use crate::app::keymap::Keymap;
use crate::model::{Portfolio, Status};
use crate::score::FlagCode;
use crate::ui::shell::App;
use crate::ui::shell::tests::{demo_app, key, keys, screen};
use crate::ui::theme::Theme;

fn ctrl(app: &mut App, c: char) -> Vec<Effect> {
    app.handle_event(&Event::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    )))
}

/// An app on a portfolio with no alliance at all, on a manual clock.
fn empty_app() -> App {
    let as_of = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    let mut p = Portfolio::empty("Northwind Goods");
    p.as_of = Some(as_of);
    let doc = Document::new(p, as_of, Source::Demo);
    let mut app = App::new(doc, Theme::default(), Keymap::default());
    app.clock = Clock::manual();
    app
}

fn current(app: &App) -> &Alliance {
    app.doc.current_alliance().expect("an alliance")
}

/// Name the partner on the first step: Enter edits, Ctrl-u clears, Esc stops editing.
fn name_partner(app: &mut App, name: &str) {
    keys(app, "2");
    key(app, KeyCode::Home);
    key(app, KeyCode::Enter);
    ctrl(app, 'u');
    keys(app, name);
    key(app, KeyCode::Esc);
}

#[test]
fn naming_a_new_alliance_names_its_id_in_the_same_edit() {
    let mut app = empty_app();
    keys(&mut app, "2a");
    assert_eq!(current(&app).id, "new-1");
    assert!(screen(&mut app, 80, 24).contains(" id: new-1 — set from the partner's name"));
    let undo_before = app.doc.undo_label().map(str::to_owned);
    name_partner(&mut app, "Pinecrest Outdoor");
    assert_eq!(current(&app).partner, "Pinecrest Outdoor");
    assert_eq!(current(&app).id, "pinecrest-outdoor");
    assert_eq!(app.doc.undo_label(), Some("charter: partner"));
    let shot = screen(&mut app, 80, 24);
    assert!(
        shot.contains(" id: pinecrest-outdoor — used by export --alliance"),
        "{shot}"
    );
    // The charter's timer went with the id.
    assert!(app.views.charter.timers.contains_key("pinecrest-outdoor"));
    assert!(!app.views.charter.timers.contains_key("new-1"));
    // One undo takes back the name and the id together; redo brings both back.
    keys(&mut app, "u");
    assert_eq!(current(&app).id, "new-1");
    assert_eq!(current(&app).partner, "New partner");
    assert_eq!(app.doc.undo_label().map(str::to_owned), undo_before);
    ctrl(&mut app, 'r');
    assert_eq!(current(&app).id, "pinecrest-outdoor");

    // A second new alliance for the same partner gets a unique id; the first keeps its own.
    keys(&mut app, "1a");
    assert_eq!(current(&app).id, "new-1");
    name_partner(&mut app, "Pinecrest  Outdoor!");
    assert_eq!(current(&app).id, "pinecrest-outdoor-2");
    let ids: Vec<&str> = app
        .doc
        .portfolio
        .alliances
        .iter()
        .map(|a| a.id.as_str())
        .collect();
    assert_eq!(ids, ["pinecrest-outdoor", "pinecrest-outdoor-2"]);
    // Renamed again while the id still follows the name: it follows.
    name_partner(&mut app, "Cedar Ridge");
    assert_eq!(current(&app).id, "cedar-ridge");
}

#[test]
fn an_id_that_was_never_a_placeholder_never_changes() {
    let mut app = demo_app();
    let id = current(&app).id.clone();
    assert!(!charter::is_placeholder_id(&id));
    name_partner(&mut app, "Someone Else Entirely");
    assert_eq!(current(&app).partner, "Someone Else Entirely");
    assert_eq!(current(&app).id, id);
    // A promoted intake's id came from its partner, not a placeholder: it stays too.
    keys(&mut app, "5p");
    let promoted = current(&app).id.clone();
    name_partner(&mut app, "Renamed Partner");
    assert_eq!(current(&app).id, promoted);
}

/// Type a whole charter with keys only, from a portfolio with no alliance.
fn type_a_charter(app: &mut App) {
    keys(app, "2");
    assert!(screen(app, 80, 24).contains("No alliance yet"));
    keys(app, "a");
    key(app, KeyCode::Enter); // edit the first field
    assert!(app.views.charter.is_editing());
    ctrl(app, 'u');
    keys(app, "Peak Outdoor");
    key(app, KeyCode::Enter);
    key(app, KeyCode::Right); // Co-marketing → Distribution: the template follows
    assert_eq!(current(app).kind, AllianceKind::Distribution);
    key(app, KeyCode::Enter); // last field of the step: editing stops, the step stays
    assert_eq!(app.views.charter.step.0, Section::Partner);
    assert!(
        !app.views.charter.is_editing(),
        "never carried into the next step"
    );
    key(app, KeyCode::Right);
    assert_eq!(app.views.charter.step.0, Section::WinConditions);
    assert!(!app.views.charter.is_editing());
    key(app, KeyCode::Enter);
    // Win condition 1: metric from the template, its direction, give it a number.
    key(app, KeyCode::Tab);
    key(app, KeyCode::Tab);
    keys(app, "40k");
    key(app, KeyCode::Tab);
    ctrl(app, 'u');
    keys(app, "USD/month");
    for _ in 0..3 {
        key(app, KeyCode::Tab); // deadline, owner, then win condition 2's metric
    }
    key(app, KeyCode::Tab);
    key(app, KeyCode::Tab);
    keys(app, "25");
    key(app, KeyCode::PageDown);
    assert_eq!(app.views.charter.step.0, Section::Cadence);
    assert!(!app.views.charter.is_editing(), "a new step opens browsing");
    key(app, KeyCode::Enter);
    keys(app, "#peak-northwind");
    key(app, KeyCode::Enter);
    ctrl(app, 'u');
    keys(app, "12");
    key(app, KeyCode::Enter);
    ctrl(app, 'u');
    keys(app, "Mar, Jun, Sep, Dec");
    key(app, KeyCode::Enter);
    key(app, KeyCode::Right);
    assert_eq!(app.views.charter.step.0, Section::Dashboard);
    key(app, KeyCode::Enter);
    keys(app, "https://sheets.example/peak");
    key(app, KeyCode::Enter);
    key(app, KeyCode::Right);
    assert_eq!(app.views.charter.step.0, Section::Escalation);
    ctrl(app, 'n');
    keys(app, "Dana Lee");
    key(app, KeyCode::Tab);
    keys(app, "Head of Partnerships");
    key(app, KeyCode::Tab);
    key(app, KeyCode::Tab); // side: Us
    keys(app, "dana@northwind.example");
    key(app, KeyCode::Tab);
    keys(app, "Budget up to $10k");
    ctrl(app, 'n');
    keys(app, "Sam Ortiz");
    key(app, KeyCode::Tab);
    keys(app, "Channel lead");
    key(app, KeyCode::Tab);
    key(app, KeyCode::Right); // side: Partner
    key(app, KeyCode::PageDown);
    assert_eq!(app.views.charter.step.0, Section::ReviewDate);
    key(app, KeyCode::Enter); // edit
    key(app, KeyCode::Enter); // accepts today + 90
    key(app, KeyCode::Enter);
    key(app, KeyCode::Right);
    assert_eq!(app.views.charter.step.0, Section::SignOff);
    key(app, KeyCode::Enter);
    keys(app, "t");
    key(app, KeyCode::Enter);
    assert!(
        !app.views.charter.is_editing(),
        "the last Enter ends the walk"
    );
}

#[test]
fn a_charter_typed_from_nothing_saves_loads_and_scores_clean() {
    let mut app = empty_app();
    type_a_charter(&mut app);
    let a = current(&app);
    assert_eq!(a.partner, "Peak Outdoor");
    assert_eq!(charter::completeness_percent(a), 100, "{:#?}", a.charter);
    let c = a.charter.as_ref().unwrap();
    assert_eq!(c.win_conditions[0].target, Some(40_000.0));
    assert_eq!(c.win_conditions[0].unit, "USD/month");
    assert_eq!(c.cadence.quarterly_review_months, [3, 6, 9, 12]);
    assert_eq!(c.escalation.contacts[1].party, Party::Partner);
    assert_eq!(c.signed, Some(app.doc.as_of));
    assert_eq!(
        c.review_date,
        NaiveDate::from_ymd_opt(2026, 5, 31),
        "today + 90"
    );
    // The charter is what makes an Active alliance governed: activate it and check the
    // flags the charter answers for.
    app.doc
        .edit_current("activate", |a| a.status = Status::Active);

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("portfolio.ron");
    crate::store::save(&path, &app.doc.portfolio).unwrap();
    let loaded = crate::store::load(&path).unwrap();
    let problems = crate::validate::validate(&loaded.portfolio);
    assert!(
        !problems.iter().any(crate::validate::Diagnostic::is_error),
        "{problems:?}"
    );
    let scores = crate::score::score(&loaded.portfolio, app.doc.as_of);
    let s = &scores.alliances[0];
    assert!(!s.has_flag(FlagCode::Wish), "{:?}", s.flags);
    assert!(!s.has_flag(FlagCode::NoCharter), "{:?}", s.flags);
    assert_eq!(s.win_conditions.len(), 2);
}

#[test]
fn every_edit_lands_at_once_and_undoes_one_at_a_time() {
    let mut app = demo_app();
    // Glow & Co has a complete, signed charter; clear a win condition's number.
    keys(&mut app, "2");
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    let before = app.doc.scores.alliances[0].flags.clone();
    assert!(!app.doc.scores.alliances[0].has_flag(FlagCode::Wish));
    ctrl(&mut app, 'u');
    assert!(
        app.doc.scores.alliances[0].has_flag(FlagCode::Wish),
        "a number-less win condition is a wish at once"
    );
    assert!(screen(&mut app, 80, 24).contains("wish: no number yet"));
    key(&mut app, KeyCode::Esc);
    keys(&mut app, "1");
    assert!(screen(&mut app, 120, 40).contains("wish"));
    keys(&mut app, "u");
    assert_eq!(app.doc.scores.alliances[0].flags, before);
    keys(&mut app, "2");
    assert!(
        !screen(&mut app, 80, 24).contains("wish: no number yet"),
        "the form follows undo"
    );
}

#[test]
fn signing_removes_no_charter_and_sets_the_review_date() {
    let mut app = demo_app();
    app.doc.edit_current("unsign", |a| {
        a.status = Status::Active;
        if let Some(c) = a.charter.as_mut() {
            c.signed = None;
            c.review_date = None;
        }
    });
    assert!(app.doc.scores.alliances[0].has_flag(FlagCode::NoCharter));
    keys(&mut app, "2");
    key(&mut app, KeyCode::End);
    key(&mut app, KeyCode::Enter);
    keys(&mut app, "t");
    assert!(!app.doc.scores.alliances[0].has_flag(FlagCode::NoCharter));
    let c = current(&app).charter.clone().unwrap();
    assert_eq!(
        c.review_date,
        Some(charter::default_review_date(c.signed, app.doc.as_of))
    );
}

#[test]
fn the_timer_warns_after_twenty_minutes_and_stops_at_signing() {
    let mut app = empty_app();
    keys(&mut app, "2a");
    assert!(app.ticking());
    app.clock.advance(Duration::from_secs(19 * 60 + 59));
    assert!(screen(&mut app, 80, 24).contains("19:59 / 20:00"));
    app.clock.advance(Duration::from_secs(2));
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("⚠ 20:01"), "{s}");
    key(&mut app, KeyCode::End);
    key(&mut app, KeyCode::Enter);
    keys(&mut app, "t");
    assert!(!app.ticking(), "a signed charter stops the clock");
}

#[test]
fn ctrl_e_and_w_write_the_one_page_charter() {
    let mut app = demo_app();
    keys(&mut app, "2");
    let effects = keys_effects(&mut app, "w");
    let Some(Effect::WriteFile { path, contents, .. }) = effects.first() else {
        panic!("{effects:?}");
    };
    assert_eq!(path.file_name().unwrap(), "glow-charter.md");
    assert!(contents.contains("# Alliance charter"));
    key(&mut app, KeyCode::Enter);
    assert!(matches!(
        ctrl(&mut app, 'e').first(),
        Some(Effect::WriteFile { .. })
    ));
}

fn keys_effects(app: &mut App, text: &str) -> Vec<Effect> {
    text.chars()
        .flat_map(|c| key(app, KeyCode::Char(c)))
        .collect()
}

#[test]
fn removing_a_win_condition_asks_first() {
    let mut app = demo_app();
    keys(&mut app, "2l");
    let n = current(&app).charter.as_ref().unwrap().win_conditions.len();
    keys(&mut app, "d");
    assert!(matches!(
        app.modal,
        Some(crate::ui::shell::Modal::Confirm { .. })
    ));
    keys(&mut app, "y");
    assert_eq!(
        current(&app).charter.as_ref().unwrap().win_conditions.len(),
        n - 1
    );
}

fn metrics(app: &App) -> Vec<String> {
    current(app)
        .charter
        .as_ref()
        .map(|c| c.win_conditions.iter().map(|w| w.metric.clone()).collect())
        .unwrap_or_default()
}

fn focused(app: &App) -> Option<CharterField> {
    app.views.charter.form.as_ref().and_then(Form::focused)
}

fn modified(app: &mut App, code: KeyCode, m: KeyModifiers) {
    app.handle_event(&Event::Key(KeyEvent::new(code, m)));
}

#[test]
fn win_conditions_reorder_one_undoable_move_at_a_time_and_focus_follows() {
    let mut app = demo_app();
    keys(&mut app, "2l");
    let before = metrics(&app);
    assert_eq!(before.len(), 2, "{before:?}");
    // Win condition 2's target: six fields of entry 1, then metric, direction and target of 2.
    keys(&mut app, "jjjjjjjj");
    assert_eq!(focused(&app), Some(CharterField::Win(1, WinField::Target)));
    keys(&mut app, "K");
    assert_eq!(metrics(&app), [before[1].clone(), before[0].clone()]);
    assert_eq!(
        focused(&app),
        Some(CharterField::Win(0, WinField::Target)),
        "focus follows the entry"
    );
    assert_eq!(
        app.doc.undo_label(),
        Some("charter: move win condition 2 up")
    );
    let shot = screen(&mut app, 80, 24);
    let at = |m: &str| shot.find(m).unwrap_or(usize::MAX);
    assert!(at(&before[1]) < at(&before[0]), "{shot}");
    // Already first: nothing moves and nothing is recorded.
    keys(&mut app, "K");
    assert!(
        app.status
            .as_deref()
            .unwrap_or("")
            .contains("already the first")
    );
    assert_eq!(
        app.doc.undo_label(),
        Some("charter: move win condition 2 up")
    );
    keys(&mut app, "u");
    assert_eq!(metrics(&app), before, "one undo reverts one move");

    // While a field is edited, Alt-↓ (or Ctrl-↓) moves the entry; letters still type.
    keys(&mut app, "kk");
    assert_eq!(focused(&app), Some(CharterField::Win(0, WinField::Metric)));
    key(&mut app, KeyCode::Enter);
    assert!(app.views.charter.is_editing());
    modified(&mut app, KeyCode::Down, KeyModifiers::ALT);
    assert_eq!(metrics(&app), [before[1].clone(), before[0].clone()]);
    assert_eq!(focused(&app), Some(CharterField::Win(1, WinField::Metric)));
    assert!(
        app.views.charter.is_editing(),
        "moving does not stop editing"
    );
    keys(&mut app, "J");
    assert_eq!(metrics(&app)[1], format!("{}J", before[0]), "J is typed");
    modified(&mut app, KeyCode::Up, KeyModifiers::CONTROL);
    assert_eq!(metrics(&app)[0], format!("{}J", before[0]));
    assert_eq!(focused(&app), Some(CharterField::Win(0, WinField::Metric)));
}

#[test]
fn contacts_reorder_too() {
    let mut app = demo_app();
    keys(&mut app, "2");
    key(&mut app, KeyCode::End);
    keys(&mut app, "hh");
    assert_eq!(app.views.charter.step.0, Section::Escalation);
    let names = |app: &App| -> Vec<String> {
        current(app)
            .charter
            .as_ref()
            .unwrap()
            .escalation
            .contacts
            .iter()
            .map(|k| k.name.clone())
            .collect()
    };
    let before = names(&app);
    keys(&mut app, "J");
    assert_eq!(names(&app), [before[1].clone(), before[0].clone()]);
    assert_eq!(
        focused(&app),
        Some(CharterField::Contact(1, ContactField::Name))
    );
    keys(&mut app, "J");
    assert!(
        app.status
            .as_deref()
            .unwrap_or("")
            .contains("already the last")
    );
    keys(&mut app, "u");
    assert_eq!(names(&app), before);
}

#[test]
fn more_win_conditions_than_shown_are_announced_and_kept_through_edits() {
    let mut app = demo_app();
    app.doc.edit_current("ten wins", |a| {
        let c = a.charter.as_mut().unwrap();
        for n in c.win_conditions.len()..10 {
            c.win_conditions.push(WinCondition {
                metric: format!("Metric {}", n + 1),
                target: Some(n as f64),
                ..WinCondition::default()
            });
        }
    });
    let file = current(&app).charter.clone().unwrap().win_conditions;
    assert_eq!(file.len(), 10);
    keys(&mut app, "2l");
    for (w, h) in [(80, 24), (120, 40)] {
        let s = screen(&mut app, w, h);
        if w == 80 {
            insta::assert_snapshot!("charter_2_ten_wins_80x24", s.clone());
        }
        let flat = s.replace('\n', " ");
        assert!(
            flat.contains("Showing 8 of 10 win conditions; the other 2 are kept")
                && flat.contains("edit the file to change them"),
            "{s}"
        );
    }
    // Edit #2's metric.
    keys(&mut app, "jjjjjj");
    key(&mut app, KeyCode::Enter);
    ctrl(&mut app, 'u');
    keys(&mut app, "Edited");
    key(&mut app, KeyCode::Esc);
    // The last shown entry cannot be moved into the hidden ones.
    for _ in 0..36 {
        keys(&mut app, "j");
    }
    assert_eq!(focused(&app), Some(CharterField::Win(7, WinField::Metric)));
    keys(&mut app, "J");
    assert!(
        app.status
            .as_deref()
            .unwrap_or("")
            .contains("already the last")
    );

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("portfolio.ron");
    crate::store::save(&path, &app.doc.portfolio).unwrap();
    let loaded = crate::store::load(&path).unwrap();
    let wins = &loaded.portfolio.alliances[0]
        .charter
        .as_ref()
        .unwrap()
        .win_conditions;
    assert_eq!(wins.len(), 10, "nothing is lost");
    assert_eq!(wins[1].metric, "Edited");
    for i in (0..10).filter(|i| *i != 1) {
        assert_eq!(wins[i], file[i], "win condition {} untouched", i + 1);
    }
}

#[test]
fn more_contacts_than_shown_are_announced_on_their_step_only() {
    let mut a = current(&demo_app()).clone();
    let c = a.charter.as_mut().unwrap();
    c.escalation.contacts = (0..7)
        .map(|n| Contact {
            name: format!("Person {n}"),
            ..Contact::default()
        })
        .collect();
    assert_eq!(
        hidden_note(Section::Escalation, &a).as_deref(),
        Some("Showing 6 of 7 contacts; the other one is kept — edit the file to change them")
    );
    assert_eq!(hidden_note(Section::WinConditions, &a), None);
    assert_eq!(hidden_note(Section::Cadence, &a), None);
}

#[test]
fn every_step_at_both_sizes() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut app = demo_app();
        keys(&mut app, "2");
        for step in Section::ALL {
            let shot = screen(&mut app, w, h);
            insta::assert_snapshot!(format!("charter_{}_{w}x{h}", step.index() + 1), shot);
            key(&mut app, KeyCode::Right);
        }
    }
}

#[test]
fn empty_and_overtime_screens() {
    let mut app = empty_app();
    keys(&mut app, "2");
    insta::assert_snapshot!("charter_no_alliance_80x24", screen(&mut app, 80, 24));
    keys(&mut app, "a");
    keys(&mut app, "l");
    app.clock.advance(Duration::from_secs(25 * 60));
    insta::assert_snapshot!("charter_new_overtime_80x24", screen(&mut app, 80, 24));
}

fn cadence(app: &App) -> crate::model::Cadence {
    current(app).charter.as_ref().unwrap().cadence.clone()
}

/// Clear the focused field and type `text` into it.
fn retype(app: &mut App, text: &str) {
    ctrl(app, 'u');
    keys(app, text);
}

#[test]
fn rejected_cadence_numbers_leave_the_model_as_it_was_and_say_so() {
    let mut app = demo_app();
    keys(&mut app, "2ll");
    assert_eq!(app.views.charter.step.0, Section::Cadence);
    let before = cadence(&app);
    assert!(before.monthly_review_day.is_some());
    keys(&mut app, "j");
    assert_eq!(focused(&app), Some(CharterField::MonthlyReviewDay));
    key(&mut app, KeyCode::Enter);
    retype(&mut app, "2");
    let label = app.doc.undo_label().map(str::to_owned);
    assert_eq!(cadence(&app).monthly_review_day, Some(2));
    keys(&mut app, "9"); // 29
    assert_eq!(
        cadence(&app).monthly_review_day,
        Some(2),
        "out of range: nothing written"
    );
    let shot = screen(&mut app, 120, 40);
    assert!(shot.contains("a day 1–28; keeps 2"), "{shot}");
    retype(&mut app, "1x");
    assert_eq!(
        cadence(&app).monthly_review_day,
        Some(1),
        "1 was a day, 1x is a typo: nothing written"
    );
    assert!(screen(&mut app, 120, 40).contains("not a number"));
    assert_eq!(
        cadence(&app).monthly_review_day,
        Some(1),
        "a typo: nothing written"
    );
    assert_eq!(
        app.doc.undo_label().map(str::to_owned),
        label,
        "typing into the field stays one undo step"
    );
    retype(&mut app, "12");
    assert_eq!(cadence(&app).monthly_review_day, Some(12));
    ctrl(&mut app, 'u');
    assert_eq!(
        cadence(&app).monthly_review_day,
        None,
        "an emptied day is empty in the model too (required)"
    );
    // Quarter months: the same rule.
    retype(&mut app, "15");
    key(&mut app, KeyCode::Tab);
    retype(&mut app, "1,1");
    assert_eq!(cadence(&app).quarterly_review_months, [1]);
    keys(&mut app, "3");
    assert_eq!(cadence(&app).quarterly_review_months, [1], "1,13: kept");
    assert!(screen(&mut app, 120, 40).contains("is not a month"));
}

#[test]
fn emptying_resolve_within_keeps_the_days_and_says_so() {
    let mut app = demo_app();
    keys(&mut app, "2");
    key(&mut app, KeyCode::End);
    keys(&mut app, "hh");
    assert_eq!(app.views.charter.step.0, Section::Escalation);
    keys(&mut app, "k"); // wraps to the last field
    assert_eq!(focused(&app), Some(CharterField::ResolutionDays));
    let held = current(&app)
        .charter
        .as_ref()
        .unwrap()
        .escalation
        .resolution_days;
    key(&mut app, KeyCode::Enter);
    ctrl(&mut app, 'u');
    let now = |app: &App| {
        current(app)
            .charter
            .as_ref()
            .unwrap()
            .escalation
            .resolution_days
    };
    assert_eq!(now(&app), held, "not silently 14");
    let shot = screen(&mut app, 120, 40);
    assert!(
        shot.contains(&format!("empty: keeps {held} days")),
        "{shot}"
    );
    keys(&mut app, "400"); // 4 and 40 are days; 400 is not
    assert_eq!(now(&app), 40);
    assert!(screen(&mut app, 120, 40).contains("1–365 days; keeps 40"));
    retype(&mut app, "21");
    assert_eq!(now(&app), 21);
    assert!(!screen(&mut app, 120, 40).contains("keeps"));
}

#[test]
fn a_win_condition_target_with_a_typo_keeps_its_number() {
    let mut app = demo_app();
    keys(&mut app, "2ljj");
    assert_eq!(focused(&app), Some(CharterField::Win(0, WinField::Target)));
    let target = current(&app).charter.as_ref().unwrap().win_conditions[0].target;
    assert!(target.is_some());
    key(&mut app, KeyCode::Enter);
    keys(&mut app, "x");
    assert_eq!(
        current(&app).charter.as_ref().unwrap().win_conditions[0].target,
        target
    );
    assert!(!app.doc.scores.alliances[0].has_flag(FlagCode::Wish));
}

#[test]
fn field_keys_follow_the_live_keymap_and_ctrl_z_is_not_a_second_undo() {
    let mut app = demo_app();
    let (keymap, warnings) = Keymap::with_user_file(
        r#"{ "page_down": ["f3"], "add": ["f4"], "write_doc": ["f6"] }"#,
        "keys.ron",
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    app.keymap = keymap;
    keys(&mut app, "2l");
    key(&mut app, KeyCode::Enter);
    assert!(app.views.charter.is_editing());
    let shot = screen(&mut app, 120, 40);
    assert!(shot.contains("PgUp/F3 step"), "{shot}");
    assert!(shot.contains("F4 add"), "{shot}");
    assert!(shot.contains("Ctrl-d remove"), "{shot}");
    assert!(shot.contains("F6 write .md"), "{shot}");
    assert!(!shot.contains("PgDn"), "{shot}");
    // F4 adds while a field is edited; PgDn means nothing any more, F3 steps.
    let n = metrics(&app).len();
    key(&mut app, KeyCode::F(4));
    assert_eq!(metrics(&app).len(), n + 1);
    key(&mut app, KeyCode::PageDown);
    assert_eq!(app.views.charter.step.0, Section::WinConditions);
    key(&mut app, KeyCode::F(3));
    assert_eq!(app.views.charter.step.0, Section::Cadence);
    // Ctrl-z is no hidden undo: the edit stays; the shell's Ctrl-r/u do undo and redo.
    let label = app.doc.undo_label().map(str::to_owned);
    ctrl(&mut app, 'z');
    assert_eq!(app.doc.undo_label().map(str::to_owned), label);
    assert_eq!(metrics(&app).len(), n + 1);
    key(&mut app, KeyCode::Esc);
    keys(&mut app, "u");
    assert_eq!(metrics(&app).len(), n);
    ctrl(&mut app, 'r');
    assert_eq!(metrics(&app).len(), n + 1);
}

#[test]
fn a_chord_the_keymap_claims_is_not_taken_by_the_charter() {
    let mut app = demo_app();
    let (keymap, _) = Keymap::with_user_file(r#"{ "save": ["ctrl-n"] }"#, "keys.ron");
    app.keymap = keymap;
    keys(&mut app, "2l");
    key(&mut app, KeyCode::Enter);
    let n = metrics(&app).len();
    let effects = ctrl(&mut app, 'n');
    assert_eq!(metrics(&app).len(), n, "Ctrl-n saves now, it does not add");
    assert_eq!(effects, vec![Effect::Save]);
    assert!(!screen(&mut app, 120, 40).contains("Ctrl-n add"));
}

#[test]
fn a_new_or_promoted_alliance_opens_at_step_one_browsing() {
    let mut app = demo_app();
    // Leave the current alliance's charter on step 5, editing.
    keys(&mut app, "2llll");
    assert_eq!(app.views.charter.step.0, Section::Escalation);
    key(&mut app, KeyCode::Enter);
    assert!(app.views.charter.is_editing());
    key(&mut app, KeyCode::Esc);
    keys(&mut app, "1a");
    assert_eq!(current(&app).id, "new-1");
    assert_eq!(app.views.charter.step.0, Section::Partner);
    assert!(!app.views.charter.is_editing(), "opens browsing");
    let shot = screen(&mut app, 100, 30);
    assert!(
        shot.contains("BROWSING"),
        "the footer says the mode:\n{shot}"
    );
    assert!(shot.contains("1·Partner"), "{shot}");
    // A promoted intake too, whatever step the last charter was on.
    keys(&mut app, "llllll");
    assert_eq!(app.views.charter.step.0, Section::SignOff);
    keys(&mut app, "5p");
    assert_eq!(app.views.charter.step.0, Section::Partner);
    assert!(!app.views.charter.is_editing());
    // Going back to an alliance seen before finds it where it was left.
    let promoted = current(&app).id.clone();
    assert_ne!(promoted, "new-1");
}

#[test]
fn enter_on_a_step_s_last_field_stops_editing_and_the_footer_says_so() {
    let mut app = demo_app();
    keys(&mut app, "2");
    key(&mut app, KeyCode::Enter);
    assert!(screen(&mut app, 100, 30).contains("✎ EDITING"));
    key(&mut app, KeyCode::Enter); // partner → type
    assert!(app.views.charter.is_editing());
    key(&mut app, KeyCode::Enter); // type is the last field
    assert!(!app.views.charter.is_editing());
    assert_eq!(app.views.charter.step.0, Section::Partner);
    assert!(
        app.status
            .as_deref()
            .unwrap_or("")
            .contains("stopped editing"),
        "{:?}",
        app.status
    );
}

#[test]
fn a_cost_metric_defaults_to_at_most_until_the_direction_is_chosen() {
    let mut app = demo_app();
    keys(&mut app, "2l");
    key(&mut app, KeyCode::Enter);
    ctrl(&mut app, 'u');
    keys(&mut app, "Cost per order");
    let w = |app: &App| current(app).charter.as_ref().unwrap().win_conditions[0].direction;
    assert_eq!(w(&app), Direction::AtMost);
    key(&mut app, KeyCode::Tab);
    assert!(screen(&mut app, 120, 40).contains("≤ at most the target"));
    key(&mut app, KeyCode::Right);
    assert_eq!(w(&app), Direction::AtLeast, "chosen by hand");
    key(&mut app, KeyCode::BackTab);
    keys(&mut app, "s");
    assert_eq!(w(&app), Direction::AtLeast, "a chosen direction stays");
}

#[test]
fn a_bad_date_asks_before_the_step_changes_and_never_reaches_the_model() {
    let mut app = demo_app();
    keys(&mut app, "2l");
    key(&mut app, KeyCode::Enter);
    for _ in 0..4 {
        key(&mut app, KeyCode::Tab); // direction, target, unit, deadline
    }
    let by = |app: &App| current(app).charter.as_ref().unwrap().win_conditions[0].by;
    let before = by(&app);
    ctrl(&mut app, 'u');
    keys(&mut app, "2027-02-30");
    assert_eq!(by(&app), None, "emptied, then nothing: never 2027-02-03");
    key(&mut app, KeyCode::PageDown);
    assert_eq!(
        app.views.charter.step.0,
        Section::WinConditions,
        "asked first"
    );
    let shot = screen(&mut app, 120, 40);
    assert!(shot.contains("Keep editing (k or Enter)"), "{shot}");
    assert!(shot.contains("no such day in the calendar"), "{shot}");
    keys(&mut app, "k");
    assert_eq!(app.views.charter.step.0, Section::WinConditions);
    assert_eq!(
        app.views
            .charter
            .form
            .as_ref()
            .unwrap()
            .get_text(CharterField::Win(0, WinField::By)),
        "2027-02-30",
        "kept as typed"
    );
    key(&mut app, KeyCode::PageDown);
    keys(&mut app, "d");
    assert_eq!(
        app.views.charter.step.0,
        Section::Cadence,
        "discarded, then moved on"
    );
    assert_eq!(by(&app), before, "the deadline it had before is back");
}
