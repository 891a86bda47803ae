//! The Portfolio tab's quick health edit, weekly pulse, escalations list and share mode,
//! driven by keys on the whole app.

use chrono::{Days, NaiveDate};
use crossterm::event::KeyCode;

use super::{demo_app, key, keys, screen, select};
use crate::app::action::Action;
use crate::model::{Commitment, EscalationItem, HealthScore, Party};
use crate::ui::shell::App;
use crate::ui::tabs::TabView;

/// Whether the Portfolio footer offers `action`.
fn offers(app: &App, action: Action) -> bool {
    app.views
        .portfolio
        .hints()
        .iter()
        .any(|(a, _)| *a == action)
}

fn status(app: &App) -> String {
    app.status.clone().unwrap_or_default()
}

fn days_after(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_add_days(Days::new(days)).unwrap()
}

fn days_before(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_sub_days(Days::new(days)).unwrap()
}

/// The quick edit's line for a field, as drawn at 120×40.
fn quick_line(app: &mut App, field: &str) -> String {
    screen(app, 120, 40)
        .lines()
        .find(|l| l.contains(field) && l.contains('‹'))
        .unwrap_or("")
        .to_owned()
}

#[test]
fn quick_health_edit_without_a_score_stores_only_all_four_given_values() {
    let mut app = demo_app();
    select(&mut app, "glow");
    app.doc.edit_current("no health yet", |a| a.health.clear());
    let i = app.doc.current;
    let edits = app.doc.revision;

    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Down); // strategic alignment
    keys(&mut app, "4");
    assert!(
        app.doc.portfolio.alliances[i].health.is_empty(),
        "one dimension given: nothing stored, nothing made up"
    );
    assert_eq!(app.doc.revision, edits);
    assert!(quick_line(&mut app, "Strategic alignment").contains(" 4 "));
    for other in [
        "Execution reliability",
        "Revenue contribution",
        "Relationship health",
    ] {
        assert!(quick_line(&mut app, other).contains('—'), "{other}");
    }
    let text = screen(&mut app, 120, 40);
    assert!(
        text.contains("set all four to record today's score (1 of 4)"),
        "{text}"
    );
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Right); // a step on an unset value starts in the middle
    assert!(quick_line(&mut app, "Execution reliability").contains(" 3 "));
    assert!(app.doc.portfolio.alliances[i].health.is_empty());

    // Closing with two of four given stores nothing and says so.
    key(&mut app, KeyCode::Esc);
    assert!(app.doc.portfolio.alliances[i].health.is_empty());
    assert_eq!(app.doc.revision, edits);
    assert!(
        status(&app).contains("No health score recorded"),
        "{}",
        status(&app)
    );

    // A new popup starts empty; all four given make one score dated as-of.
    key(&mut app, KeyCode::Enter);
    assert!(quick_line(&mut app, "Strategic alignment").contains('—'));
    for value in ["4", "3", "2"] {
        key(&mut app, KeyCode::Down);
        keys(&mut app, value);
    }
    assert!(app.doc.portfolio.alliances[i].health.is_empty());
    key(&mut app, KeyCode::Down);
    keys(&mut app, "5");
    assert_eq!(
        app.doc.portfolio.alliances[i].health,
        vec![HealthScore {
            date: app.doc.as_of,
            strategic_alignment: 4,
            execution_reliability: 3,
            revenue_contribution: 2,
            relationship_health: 5,
        }]
    );
    assert!(
        status(&app).contains("Recorded health 14/20"),
        "{}",
        status(&app)
    );
    assert!(screen(&mut app, 120, 40).contains("Health 14/20"));
    // From then on the popup edits today's score, as with any prior score.
    key(&mut app, KeyCode::Left);
    assert_eq!(app.doc.portfolio.alliances[i].health.len(), 1);
    assert_eq!(
        app.doc.portfolio.alliances[i].health[0].relationship_health,
        4
    );
    key(&mut app, KeyCode::Esc);
    // Two undo steps: the change, then the whole score.
    keys(&mut app, "u");
    assert_eq!(
        app.doc.portfolio.alliances[i].health[0].relationship_health,
        5
    );
    keys(&mut app, "u");
    assert!(app.doc.portfolio.alliances[i].health.is_empty());
}

#[test]
fn quick_health_edit_with_a_prior_score_starts_from_the_one_the_scores_use() {
    let mut app = demo_app();
    select(&mut app, "glow");
    let as_of = app.doc.as_of;
    let day = days_before(as_of, 10);
    let score = |v| HealthScore {
        date: day,
        strategic_alignment: v,
        execution_reliability: v,
        revenue_contribution: v,
        relationship_health: v,
    };
    // Two scores on one day: the later in the file counts; one after as-of does not yet.
    app.doc.edit_current("scores", |a| {
        a.health = vec![
            score(2),
            score(4),
            HealthScore {
                date: days_after(as_of, 3),
                ..score(1)
            },
        ];
    });
    let i = app.doc.current;
    assert_eq!(
        app.doc.scores.alliances[i].health.as_ref().unwrap().total,
        16
    );
    key(&mut app, KeyCode::Enter);
    assert!(quick_line(&mut app, "Strategic alignment").contains(" 4 "));
    assert!(screen(&mut app, 120, 40).contains("Health 16/20"));
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Left);
    let health = &app.doc.portfolio.alliances[i].health;
    assert_eq!(health.len(), 4, "today's score is added");
    assert_eq!(
        health[3],
        HealthScore {
            date: as_of,
            strategic_alignment: 3,
            ..score(4)
        }
    );
    assert_eq!(
        app.doc.scores.alliances[i].health.as_ref().unwrap().total,
        15
    );
}

#[test]
fn weekly_pulse_lists_this_weeks_work_and_escalations_open_as_of() {
    let mut app = demo_app();
    select(&mut app, "glow");
    let as_of = app.doc.as_of;
    let commitment = |id, action: &str, due, done| Commitment {
        id,
        party: Party::Us,
        action: action.to_owned(),
        due,
        done,
    };
    let escalation = |issue: &str, raised, resolved| EscalationItem {
        raised,
        issue: issue.to_owned(),
        resolved,
    };
    app.doc.edit_current("pulse", |a| {
        a.commitments = vec![
            commitment(1, "Due today", as_of, None),
            commitment(2, "Due in six days", days_after(as_of, 6), None),
            commitment(3, "Due in a week", days_after(as_of, 7), None),
            commitment(4, "Done early", days_after(as_of, 2), Some(as_of)),
            commitment(
                5,
                "Done only later",
                days_after(as_of, 2),
                Some(days_after(as_of, 1)),
            ),
        ];
        a.escalations = vec![
            escalation(
                "Resolved later",
                days_before(as_of, 3),
                Some(days_after(as_of, 2)),
            ),
            escalation("Resolved already", days_before(as_of, 3), Some(as_of)),
            escalation("Raised later", days_after(as_of, 1), None),
        ];
    });
    let text = screen(&mut app, 120, 40);
    for shown in [
        "Due today",
        "Due in six days",
        "Done only later",
        "Resolved later",
    ] {
        assert!(text.contains(shown), "{shown}:\n{text}");
    }
    for hidden in [
        "Due in a week",
        "Done early",
        "Resolved already",
        "Raised later",
    ] {
        assert!(!text.contains(hidden), "{hidden}:\n{text}");
    }
}

#[test]
fn escalations_popup_pages_with_the_shared_scroll_and_starts_on_an_open_item() {
    let mut app = demo_app();
    select(&mut app, "glow");
    let as_of = app.doc.as_of;
    app.doc.edit_current("many escalations", |a| {
        a.escalations = (0..30)
            .map(|n| EscalationItem {
                raised: days_before(as_of, 40),
                issue: format!("Issue number {n:02}"),
                // The first five were resolved by as-of; the sixth only after it: open today.
                resolved: match n {
                    0..5 => Some(days_before(as_of, 1)),
                    5 => Some(days_after(as_of, 1)),
                    _ => None,
                },
            })
            .collect();
    });
    let marked = |app: &mut App| {
        screen(app, 120, 40)
            .lines()
            .find_map(|l| {
                l.find("▸ ")
                    .and_then(|_| l.find("Issue number "))
                    .map(|at| l[at..at + 15].to_owned())
            })
            .unwrap_or_default()
    };
    keys(&mut app, "e");
    assert_eq!(marked(&mut app), "Issue number 05");
    key(&mut app, KeyCode::End);
    assert_eq!(marked(&mut app), "Issue number 29");
    let text = screen(&mut app, 120, 40);
    assert!(!text.contains("more (↓)"), "the last page:\n{text}");
    key(&mut app, KeyCode::PageUp);
    assert_eq!(marked(&mut app), "Issue number 17", "one page is 12 rows");
    key(&mut app, KeyCode::Home);
    assert_eq!(marked(&mut app), "Issue number 00");
    key(&mut app, KeyCode::PageDown);
    key(&mut app, KeyCode::Down);
    assert_eq!(marked(&mut app), "Issue number 13");
    key(&mut app, KeyCode::Up);
    assert_eq!(marked(&mut app), "Issue number 12");
}

#[test]
fn share_mode_hides_portfolio_figures_and_keys_it_refuses() {
    let mut app = demo_app();
    select(&mut app, "harbor");
    keys(&mut app, "s");
    let text = screen(&mut app, 120, 40);
    assert!(!text.contains(" alliances"), "portfolio size:\n{text}");
    let footer = text.lines().last().unwrap_or("").to_owned();
    assert!(
        !footer.contains("filter") && !footer.contains("add"),
        "{footer}"
    );

    keys(&mut app, "n");
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("Monthly numbers · Harbor"), "{text}");
    assert!(!text.contains("alliance share"), "{text}");
    key(&mut app, KeyCode::Tab);
    keys(&mut app, "1");
    key(&mut app, KeyCode::Enter);
    assert!(
        status(&app).starts_with("Saved numbers"),
        "{}",
        status(&app)
    );
    assert!(!status(&app).contains("alliance share"), "{}", status(&app));

    // Out of share mode the same figures are there.
    keys(&mut app, "s");
    let text = screen(&mut app, 120, 40);
    assert!(text.contains(" of 8 alliances"), "{text}");
    assert!(offers(&app, Action::Filter) && offers(&app, Action::Add));
    keys(&mut app, "n");
    key(&mut app, KeyCode::Tab);
    keys(&mut app, "2");
    key(&mut app, KeyCode::Enter);
    assert!(status(&app).contains("alliance share"), "{}", status(&app));
}

#[test]
fn f_cycles_flagged_active_due_this_week_and_all() {
    let mut app = demo_app();
    let all = app.views.portfolio.rows().len();
    let rows = |app: &App| app.views.portfolio.rows().to_vec();
    keys(&mut app, "f");
    assert_eq!(status(&app), "Showing flagged only");
    assert!(!rows(&app).is_empty());
    assert!(
        rows(&app)
            .iter()
            .all(|&i| !app.doc.scores.alliances[i].flags.is_empty())
    );
    assert!(screen(&mut app, 120, 40).contains("flagged only"));
    keys(&mut app, "f");
    assert_eq!(status(&app), "Showing active only");
    assert!(
        rows(&app)
            .iter()
            .all(|&i| { app.doc.portfolio.alliances[i].status == crate::model::Status::Active })
    );
    assert!(rows(&app).len() < all);
    keys(&mut app, "f");
    assert_eq!(status(&app), "Showing due this week");
    assert!(rows(&app).len() < all);
    keys(&mut app, "f");
    assert_eq!(rows(&app).len(), all);
    assert!(offers(&app, Action::CycleFilter));
}
