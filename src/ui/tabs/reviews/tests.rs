//! The wizards driven by keys through the whole app, from start to stored review, with text
//! snapshots of each step and a manual clock for the MBR's timers.

use std::time::Duration;

use chrono::NaiveDate;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

use super::mbr::countdown;
use super::{Kind, Wizard};
use crate::app::Effect;
use crate::app::clock::Clock;
use crate::app::document::{Document, Source};
use crate::app::keymap::Keymap;
use crate::export::{self, ExportOptions, Format};
use crate::model::{Review, Scope, Status};
use crate::score::FlagCode;
use crate::ui::shell::{App, Modal};
use crate::ui::tabs::Tab;
use crate::ui::theme::Theme;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// The Northwind sample as of its pinned date, on the Reviews tab, `alliance` current.
fn open_app(alliance: &str) -> App {
    let loaded = crate::store::parse(crate::sample::NORTHWIND, "northwind.ron").unwrap();
    let doc = Document::new(loaded.portfolio, d("2026-11-15"), Source::Demo);
    let mut app = App::new(doc, Theme::default(), Keymap::default());
    app.clock = Clock::manual();
    app.doc.current = app.doc.portfolio.alliance_index(alliance).unwrap();
    press(&mut app, KeyCode::Char('4'));
    assert_eq!(app.tab, Tab::Reviews);
    app
}

fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.handle_event(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn keys(app: &mut App, codes: &[KeyCode]) {
    for c in codes {
        press(app, *c);
    }
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        let code = if c == '\n' {
            KeyCode::Enter
        } else {
            KeyCode::Char(c)
        };
        press(app, code);
    }
}

/// Open the picker and start wizard number `n` (0-based).
fn start(app: &mut App, n: usize) {
    press(app, KeyCode::Char('r'));
    for _ in 0..n {
        press(app, KeyCode::Down);
    }
    press(app, KeyCode::Enter);
}

/// The screen as text, one line per row.
fn screen(app: &App, w: u16, h: u16) -> String {
    crate::ui::snapshot::text(&crate::ui::snapshot::draw(app, w, h))
}

fn alliance<'a>(app: &'a App, id: &str) -> &'a crate::model::Alliance {
    app.doc.portfolio.alliance(id).unwrap()
}

#[test]
fn list_shows_reviews_and_opens_one_read_only() {
    let mut app = open_app("glow");
    insta::assert_snapshot!("list_80x24", screen(&app, 80, 24));
    // Latest first: 2026-11-12 monthly, then the two of 2026-10-12.
    press(&mut app, KeyCode::Enter);
    let text = screen(&app, 80, 24);
    assert!(text.contains("(read-only)"), "{text}");
    assert!(text.contains("KPIs vs targets"), "{text}");
    insta::assert_snapshot!("open_review_80x24", text);
    press(&mut app, KeyCode::Esc);
    assert!(screen(&app, 80, 24).contains("Reviews of Glow & Co"));
}

#[test]
fn share_mode_hides_internal_notes() {
    let mut app = open_app("glow");
    assert!(screen(&app, 120, 40).contains("Priya hints"));
    press(&mut app, KeyCode::Char('s'));
    assert!(app.share);
    assert!(!screen(&app, 120, 40).contains("Priya hints"));
    start(&mut app, 2);
    keys(
        &mut app,
        &[KeyCode::PageDown, KeyCode::PageDown, KeyCode::PageDown],
    );
    let text = screen(&app, 120, 40);
    assert!(text.contains("Dana Lee"), "{text}");
    assert!(!text.contains("Priya hints"), "{text}");
}

#[test]
fn no_review_wizard_shows_internal_notes_even_outside_share_mode() {
    let mut app = open_app("glow");
    assert!(!app.share);
    assert!(
        screen(&app, 120, 40).contains("Priya hints"),
        "the list keeps them"
    );
    for n in 0..Kind::ALL.len() {
        start(&mut app, n);
        assert!(app.views.reviews.wizard().is_some());
        // Every step each wizard reaches by PgDn (some store themselves on the last).
        for _ in 0..6 {
            if app.views.reviews.wizard().is_none() {
                break;
            }
            for (w, h) in [(120, 40), (80, 24)] {
                let text = screen(&app, w, h);
                assert!(!text.contains("Priya hints"), "{text}");
                assert!(!text.contains("Internal"), "{text}");
            }
            press(&mut app, KeyCode::PageDown);
        }
        if app.views.reviews.wizard().is_some() {
            press(&mut app, KeyCode::Esc);
            press(&mut app, KeyCode::Char('y'));
        }
        assert!(app.views.reviews.wizard().is_none());
    }
}

#[test]
fn share_mode_shows_the_escalation_path_where_the_notes_were() {
    let mut app = open_app("glow");
    press(&mut app, KeyCode::Char('s'));
    for (w, h) in [(120, 40), (80, 24)] {
        let text = screen(&app, w, h);
        assert!(!text.contains("Priya hints"), "{text}");
        assert!(
            text.contains("Escalation path (resolution within 10 days):"),
            "{text}"
        );
        assert!(
            text.contains("· Dana Lee (Head of Partnerships, Us)"),
            "{text}"
        );
        assert!(
            text.contains("· Priya Raman (Growth Lead, Partner)"),
            "{text}"
        );
        assert!(text.contains("r starts a wizard"), "{text}");
    }
    // Outside share mode at 80×24 the notes come first; contacts that do not fit are left out
    // whole, and the keys line stays.
    press(&mut app, KeyCode::Char('s'));
    let text = screen(&app, 80, 24);
    assert!(text.contains("Priya hints"), "{text}");
    assert!(!text.contains("Escalation path"), "{text}");
    assert!(text.contains("r starts a wizard"), "{text}");
    assert!(screen(&app, 120, 40).contains("· Dana Lee"));
}

#[test]
fn audit_wizard_prefills_from_evidence_and_stores_the_audit() {
    let mut app = open_app("brightside");
    start(&mut app, 0);
    assert!(matches!(app.views.reviews.wizard(), Some(Wizard::Audit(_))));
    let text = screen(&app, 80, 24);
    assert!(text.contains("functionally dead"), "{text}");
    insta::assert_snapshot!("audit_80x24", text);
    // Answer the last two questions: a review last week and a number from October.
    keys(&mut app, &[KeyCode::Tab, KeyCode::Tab]);
    keys(&mut app, &[KeyCode::Backspace; 10]);
    type_text(&mut app, "2026-11-10");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "1200");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "visits");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "2026-10-31");
    let text = screen(&app, 80, 24);
    assert!(text.contains("✓ alive"), "{text}");
    insta::assert_snapshot!("audit_answered_80x24", text);
    press(&mut app, KeyCode::PageDown);
    let audit = alliance(&app, "brightside").audit.clone().unwrap();
    assert_eq!(audit.date, d("2026-11-15"));
    assert_eq!(audit.last_structured_review, Some(d("2026-11-10")));
    assert_eq!(audit.recent_result.unwrap().unit, "visits");
    let i = app.doc.portfolio.alliance_index("brightside").unwrap();
    assert!(!app.doc.scores.alliances[i].has_flag(FlagCode::AuditDead));
    assert!(app.views.reviews.drafts().is_empty());
    assert!(app.status.as_deref().unwrap().contains("alive"));
}

#[test]
fn audit_rejects_a_bad_date_and_keeps_the_draft() {
    let mut app = open_app("brightside");
    start(&mut app, 0);
    keys(&mut app, &[KeyCode::Tab, KeyCode::Tab]);
    keys(&mut app, &[KeyCode::Backspace; 10]);
    type_text(&mut app, "2026-13-01");
    press(&mut app, KeyCode::PageDown);
    assert!(app.status.as_deref().unwrap().contains("YYYY-MM-DD"));
    assert_eq!(app.views.reviews.drafts().len(), 1);
}

#[test]
fn health_above_threshold_is_stored() {
    let mut app = open_app("summit");
    start(&mut app, 1);
    type_text(&mut app, "4344");
    let text = screen(&app, 80, 24);
    assert!(text.contains("15/20"), "{text}");
    insta::assert_snapshot!("health_80x24", text);
    press(&mut app, KeyCode::Enter);
    let h = alliance(&app, "summit").health.last().copied().unwrap();
    assert_eq!((h.date, h.total()), (d("2026-11-15"), 15));
}

#[test]
fn health_below_twelve_asks_and_winds_down() {
    let mut app = open_app("glow");
    start(&mut app, 1);
    type_text(&mut app, "2322");
    press(&mut app, KeyCode::Enter);
    let text = screen(&app, 80, 24);
    assert!(text.contains("9/20"), "{text}");
    assert!(text.contains("Week 4"), "{text}");
    insta::assert_snapshot!("health_week4_80x24", text);
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Enter);
    let a = alliance(&app, "glow");
    assert_eq!(a.status, Status::WindingDown);
    assert_eq!(a.health.last().unwrap().total(), 9);
    // One edit: a single undo restores both.
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(alliance(&app, "glow").status, Status::Active);
    assert_eq!(alliance(&app, "glow").health.len(), 2);
}

#[test]
fn health_recommit_without_a_signed_charter_opens_the_charter() {
    let mut app = open_app("brightside");
    start(&mut app, 1);
    type_text(&mut app, "2222");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.tab, Tab::Charter);
    assert_eq!(
        alliance(&app, "brightside").health.last().unwrap().total(),
        8
    );
    assert_eq!(alliance(&app, "brightside").status, Status::Active);
}

/// Drive a whole MBR on Glow with fixed notes; returns the effects of the final Enter.
fn run_mbr(app: &mut App, snapshots: bool) -> Vec<Effect> {
    start(app, 2);
    let snap = |app: &App, name: &str| {
        if snapshots {
            insta::assert_snapshot!(format!("mbr_{name}_80x24"), screen(app, 80, 24));
            insta::assert_snapshot!(format!("mbr_{name}_120x40"), screen(app, 120, 40));
        }
    };
    snap(app, "1_kpis");
    type_text(
        app,
        "Referral revenue ahead of target.\nDecision: keep the Black Friday slot",
    );
    app.clock.advance(Duration::from_secs(9 * 60));
    press(app, KeyCode::PageDown);
    snap(app, "2_blockers");
    // Past the missed commitment's fields (which one, done on, new due date) to the notes.
    keys(app, &[KeyCode::Tab, KeyCode::Tab, KeyCode::Tab]);
    type_text(app, "Segmentation results still missing");
    app.clock.advance(Duration::from_secs(8 * 60));
    press(app, KeyCode::PageDown);
    // Step 3: owner (Partner by default), action, due; Enter on the due date adds it.
    press(app, KeyCode::Tab);
    type_text(app, "Send the segmentation results\n2026-11-20\n");
    // Focus is back on the action: the owner is one field up.
    press(app, KeyCode::BackTab);
    press(app, KeyCode::Left);
    press(app, KeyCode::Tab);
    type_text(app, "Holiday creative to Glow\n2026-12-01\n");
    keys(app, &[KeyCode::Tab, KeyCode::Tab]);
    type_text(app, "Black Friday blast, then the gift card push");
    snap(app, "3_next_month");
    app.clock.advance(Duration::from_secs(10 * 60));
    press(app, KeyCode::PageDown);
    type_text(
        app,
        "Nothing to escalate.\nDecision: revisit paid placement at the QSR",
    );
    snap(app, "4_escalations");
    app.clock.advance(Duration::from_secs(12 * 60));
    press(app, KeyCode::PageDown);
    snap(app, "5_preview");
    press(app, KeyCode::Enter)
}

#[test]
fn mbr_runs_from_start_to_stored_review_and_summary_file() {
    let mut app = open_app("glow");
    let before = alliance(&app, "glow").reviews.len();
    let effects = run_mbr(&mut app, true);
    let [Effect::WriteFile { path, contents, .. }] = effects.as_slice() else {
        panic!("expected the summary file, got {effects:?}")
    };
    assert_eq!(path.to_str(), Some("glow-mbr-2026-11-15.md"));
    let a = alliance(&app, "glow");
    assert_eq!(a.reviews.len(), before + 1);
    let Some(Review::Monthly {
        date,
        next_month,
        summary_sent,
        ..
    }) = a.reviews.last()
    else {
        panic!("a monthly review")
    };
    assert_eq!(*date, d("2026-11-15"));
    assert_eq!(*summary_sent, None);
    assert!(
        next_month.ends_with("New commitments: #11, #12"),
        "{next_month}"
    );
    let c = a.commitments.iter().find(|c| c.id == 12).unwrap();
    assert_eq!((c.party, c.due), (crate::model::Party::Us, d("2026-12-01")));
    // The file and `export --format md --alliance glow --review 2026-11-15` are one function.
    let exported = export::export(
        Format::Md,
        &app.doc.portfolio,
        &app.doc.scores,
        &ExportOptions {
            alliance: Some("glow"),
            review: Some(d("2026-11-15")),
            dtstamp: d("2026-11-15").and_hms_opt(0, 0, 0).unwrap(),
        },
    )
    .unwrap();
    assert_eq!(&exported, contents);
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/mbr_glow_2026-11-15.md"
    );
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        std::fs::write(fixture, contents).unwrap();
    }
    assert_eq!(contents, &std::fs::read_to_string(fixture).unwrap());
    assert!(app.status.is_none() || !app.status.as_deref().unwrap().contains("Could not"));
}

#[test]
fn mbr_timers_count_down_run_over_and_total_against_45() {
    let mut app = open_app("glow");
    start(&mut app, 2);
    let header = |app: &App| screen(app, 120, 40).lines().nth(3).unwrap().to_owned();
    assert!(
        header(&app).contains("00:00 / 10:00 · 10:00 left"),
        "{}",
        header(&app)
    );
    assert!(app.ticking());
    app.clock.advance(Duration::from_secs(9 * 60 + 59));
    assert!(header(&app).contains("00:01 left"), "{}", header(&app));
    app.clock.advance(Duration::from_secs(1));
    assert!(header(&app).contains("00:00 left"), "{}", header(&app));
    app.clock.advance(Duration::from_secs(1));
    assert!(header(&app).contains("overtime +00:01"), "{}", header(&app));
    assert!(
        header(&app).contains("review 10:01 / 45:00"),
        "{}",
        header(&app)
    );
    // Leaving keeps the meeting clock running on the current step.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('y'));
    assert!(!app.ticking());
    app.clock.advance(Duration::from_secs(60));
    start(&mut app, 2);
    assert!(
        header(&app).contains("review 11:01 / 45:00"),
        "{}",
        header(&app)
    );
    press(&mut app, KeyCode::PageDown);
    app.clock.advance(Duration::from_secs(35 * 60));
    let h = header(&app);
    assert!(h.contains("overtime +25:00"), "{h}");
    assert!(h.contains("review 46:01 / 45:00 (+01:01)"), "{h}");
    assert_eq!(
        countdown(Duration::from_secs(601), Duration::from_secs(600)),
        "overtime +00:01"
    );
    assert_eq!(
        countdown(Duration::from_millis(300), Duration::from_secs(600)),
        "10:00 left"
    );
}

#[test]
fn mbr_summary_marked_sent_on_the_preview_and_from_the_list() {
    let mut app = open_app("glow");
    start(&mut app, 2);
    keys(&mut app, &[KeyCode::PageDown; 4]);
    press(&mut app, KeyCode::Char('x'));
    assert!(screen(&app, 100, 100).contains("Summary sent: 2026-11-15"));
    press(&mut app, KeyCode::Enter);
    let Some(Review::Monthly { summary_sent, .. }) = alliance(&app, "glow").reviews.last() else {
        panic!()
    };
    assert_eq!(*summary_sent, Some(d("2026-11-15")));

    // Harbor's MBR of 2026-11-04 went unsent: marking it sent records the as-of date, and the
    // flag now says it went out late instead of not at all.
    let mut app = open_app("harbor");
    let i = app.doc.current;
    assert!(
        app.doc.scores.alliances[i]
            .flags
            .iter()
            .any(|f| f.code == FlagCode::SummaryLate && f.message.contains("not sent"))
    );
    press(&mut app, KeyCode::Char('x'));
    let Some(Review::Monthly { summary_sent, .. }) = alliance(&app, "harbor")
        .reviews
        .iter()
        .find(|r| r.date() == d("2026-11-04"))
    else {
        panic!()
    };
    assert_eq!(*summary_sent, Some(d("2026-11-15")));
    let late = app.doc.scores.alliances[i]
        .flags
        .iter()
        .find(|f| f.code == FlagCode::SummaryLate)
        .unwrap();
    assert!(late.message.contains("sent 2026-11-15"), "{}", late.message);
}

#[test]
fn summary_late_clears_when_marked_within_a_day() {
    let loaded = crate::store::parse(crate::sample::NORTHWIND, "northwind.ron").unwrap();
    let mut p = loaded.portfolio;
    // Harbor's MBR of 2026-11-04, seen on 2026-11-06 (two days on, unsent: late), with the
    // review re-dated to 2026-11-05 after a correction: marking it sent on the 6th clears it.
    let harbor = p.alliance_index("harbor").unwrap();
    for r in &mut p.alliances[harbor].reviews {
        if let Review::Monthly { date, .. } = r
            && *date == d("2026-11-04")
        {
            *date = d("2026-11-05");
        }
    }
    let doc = Document::new(p, d("2026-11-07"), Source::Demo);
    let mut app = App::new(doc, Theme::default(), Keymap::default());
    app.doc.current = harbor;
    press(&mut app, KeyCode::Char('4'));
    assert!(app.doc.scores.alliances[harbor].has_flag(FlagCode::SummaryLate));
    // Marking on the 7th is 2 days after: still late, truthfully.
    press(&mut app, KeyCode::Char('x'));
    assert!(app.doc.scores.alliances[harbor].has_flag(FlagCode::SummaryLate));
    press(&mut app, KeyCode::Char('u'));
    app.doc.as_of = d("2026-11-06");
    app.doc.scores = crate::score::score(&app.doc.portfolio, app.doc.as_of);
    press(&mut app, KeyCode::Char('x'));
    assert!(!app.doc.scores.alliances[harbor].has_flag(FlagCode::SummaryLate));
}

#[test]
fn qsr_with_a_low_partner_sas_is_an_exit_discussion() {
    let mut app = open_app("glow");
    start(&mut app, 3);
    type_text(&mut app, "Yes, skincare buyers are our core");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "A rival launched a list swap");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "Wholesale intro to their retailers");
    insta::assert_snapshot!("qsr_1_questions_80x24", screen(&app, 80, 24));
    press(&mut app, KeyCode::PageDown);
    type_text(&mut app, "786");
    let text = screen(&app, 80, 24);
    assert!(text.contains("us 7.0"), "{text}");
    type_text(&mut app, "545");
    let text = screen(&app, 80, 24);
    assert!(text.contains("4.7"), "{text}");
    assert!(text.contains("combined 5.8"), "{text}");
    assert!(text.contains("gap 2.3"), "{text}");
    assert!(
        text.contains("this review is now an exit discussion"),
        "{text}"
    );
    insta::assert_snapshot!("qsr_2_sas_80x24", text);
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Enter);
    let Some(Review::Quarterly {
        scope,
        sas_us,
        sas_partner,
        environment,
        figures,
        ..
    }) = alliance(&app, "glow").reviews.last()
    else {
        panic!("a quarterly review")
    };
    assert!(figures.is_some(), "the QSR stores the figures it showed");
    assert_eq!(*scope, Some(Scope::Exit));
    assert_eq!((sas_us.strategy, sas_us.trust), (7, 6));
    assert_eq!(sas_partner.unwrap().enter_again, 4);
    assert_eq!(environment, "A rival launched a list swap");
    let i = app.doc.current;
    assert!(app.doc.scores.alliances[i].has_flag(FlagCode::SasExit));
}

#[test]
fn qsr_needs_our_scores_and_all_or_none_of_theirs() {
    let mut app = open_app("glow");
    start(&mut app, 3);
    press(&mut app, KeyCode::PageDown);
    press(&mut app, KeyCode::PageDown);
    assert!(app.status.as_deref().unwrap().contains("Our three SAS"));
    type_text(&mut app, "8889");
    press(&mut app, KeyCode::PageDown);
    assert!(app.status.as_deref().unwrap().contains("all three"));
    keys(&mut app, &[KeyCode::Up, KeyCode::Backspace]);
    press(&mut app, KeyCode::PageDown);
    let Some(Review::Quarterly { sas_partner, .. }) = alliance(&app, "glow").reviews.last() else {
        panic!()
    };
    assert_eq!(*sas_partner, None);
}

#[test]
fn a_wizard_is_left_resumed_and_discarded() {
    let mut app = open_app("glow");
    start(&mut app, 2);
    type_text(&mut app, "half-written notes");
    press(&mut app, KeyCode::Esc);
    assert!(matches!(app.modal, Some(Modal::Confirm { .. })));
    insta::assert_snapshot!("leave_confirm_80x24", screen(&app, 80, 24));
    press(&mut app, KeyCode::Char('y'));
    assert!(app.views.reviews.wizard().is_none());
    assert_eq!(app.views.reviews.drafts().len(), 1);
    // Other tabs work meanwhile; the draft waits.
    press(&mut app, KeyCode::Char('1'));
    press(&mut app, KeyCode::Char('4'));
    press(&mut app, KeyCode::Char('r'));
    assert!(screen(&app, 80, 24).contains("(draft: resume)"));
    keys(&mut app, &[KeyCode::Down, KeyCode::Down, KeyCode::Enter]);
    assert!(screen(&app, 80, 24).contains("half-written notes"));
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('y'));
    press(&mut app, KeyCode::Char('r'));
    keys(
        &mut app,
        &[KeyCode::Down, KeyCode::Down, KeyCode::Char('d')],
    );
    press(&mut app, KeyCode::Char('y'));
    assert!(app.views.reviews.drafts().is_empty());
    assert_eq!(
        app.views
            .reviews
            .drafts()
            .iter()
            .filter(|w| w.kind() == Kind::Mbr)
            .count(),
        0
    );
}

#[test]
fn the_picker_starts_a_wizard_by_its_number_instead_of_switching_tabs() {
    let mut app = open_app("glow");
    press(&mut app, KeyCode::Char('r'));
    press(&mut app, KeyCode::Char('3'));
    assert_eq!(
        app.tab,
        Tab::Reviews,
        "3 picked the MBR, it did not open Commitments"
    );
    assert!(
        crate::ui::tabs::TabView::captures_input(&app.views.reviews),
        "the MBR wizard is running"
    );
}

/// The monthly review of `date` on `id`: its `summary_sent`.
fn summary_sent(app: &App, id: &str, date: &str) -> Option<NaiveDate> {
    alliance(app, id).reviews.iter().find_map(|r| match r {
        Review::Monthly {
            date: rd,
            summary_sent,
            ..
        } if *rd == d(date) => Some(*summary_sent),
        _ => None,
    })?
}

#[test]
fn x_toggles_summary_sent_and_never_moves_a_recorded_date() {
    // Glow's MBR of 2026-11-12 went out on the 13th: the first row, latest first.
    let mut app = open_app("glow");
    assert_eq!(
        summary_sent(&app, "glow", "2026-11-12"),
        Some(d("2026-11-13"))
    );
    let flags = |app: &App| app.doc.scores.alliances[app.doc.current].flags.clone();
    let before = flags(&app);
    // The written summary is rewritten where the MBR wrote it, so it says the same.
    let written = |effects: &[Effect]| match effects {
        [
            Effect::WriteFile {
                path,
                contents,
                done,
            },
        ] => (path.clone(), contents.clone(), done.clone()),
        other => panic!("expected the summary rewritten, got {other:?}"),
    };
    let (path, contents, done) = written(&press(&mut app, KeyCode::Char('x')));
    assert_eq!(
        summary_sent(&app, "glow", "2026-11-12"),
        None,
        "x on a sent summary clears the mark, it does not re-date it to the as-of date"
    );
    assert!(path.ends_with("glow-mbr-2026-11-12.md"), "{path:?}");
    assert!(
        done.contains("cleared") && done.contains("summary rewritten at"),
        "{done}"
    );
    assert!(contents.contains("Summary sent: not yet"), "{contents}");
    let (_, contents, done) = written(&press(&mut app, KeyCode::Char('x')));
    assert_eq!(
        summary_sent(&app, "glow", "2026-11-12"),
        Some(d("2026-11-15"))
    );
    assert!(done.contains("marked sent on 2026-11-15"), "{done}");
    assert!(contents.contains("2026-11-15"), "{contents}");
    // Undo twice: the original date and flags come back.
    press(&mut app, KeyCode::Char('u'));
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(
        summary_sent(&app, "glow", "2026-11-12"),
        Some(d("2026-11-13"))
    );
    assert_eq!(flags(&app), before);
    // The same toggle in the open review.
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('x'));
    assert_eq!(summary_sent(&app, "glow", "2026-11-12"), None);
    assert!(screen(&app, 100, 60).contains("Summary sent: not yet"));
}

/// The screen row (0-based) of the first line containing `needle`.
fn row_of(text: &str, needle: &str) -> u16 {
    text.lines().position(|l| l.contains(needle)).unwrap() as u16
}

fn click(app: &mut App, column: u16, row: u16) {
    use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    app.handle_event(&Event::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column,
        row,
        modifiers: KeyModifiers::NONE,
    }));
}

#[test]
fn the_selection_follows_the_current_alliance() {
    // The last of Glow's five reviews is selected, then Brightside (two reviews) is current.
    let mut app = open_app("glow");
    press(&mut app, KeyCode::End);
    assert_eq!(app.views.reviews.scroll.selected(), 4);
    app.doc.current = app.doc.portfolio.alliance_index("brightside").unwrap();
    // As the main loop does after every event (here the current alliance changed elsewhere).
    app.sync_views();
    let text = screen(&app, 80, 24);
    assert!(text.contains("Reviews of Brightside"), "{text}");
    assert_eq!(
        text.matches('▶').count(),
        1,
        "a row is highlighted at once: {text}"
    );
    // Enter opens Brightside's latest review, not an empty pane.
    press(&mut app, KeyCode::Enter);
    let text = screen(&app, 80, 24);
    assert!(text.contains("(read-only)"), "{text}");
    let latest = alliance(&app, "brightside")
        .reviews
        .iter()
        .map(Review::date)
        .max()
        .unwrap();
    assert!(text.contains(&latest.to_string()), "{text}");
    press(&mut app, KeyCode::Esc);

    // An alliance without reviews: Enter and x say so and stay on the list.
    app.doc.current = app.doc.portfolio.alliance_index("cornerstone").unwrap();
    press(&mut app, KeyCode::Enter);
    assert!(app.status.as_deref().unwrap().contains("No review to open"));
    assert!(screen(&app, 80, 24).contains("No reviews stored yet"));
    press(&mut app, KeyCode::Char('x'));
    assert!(
        app.status
            .as_deref()
            .unwrap()
            .contains("No review selected")
    );

    // Back on Glow the list starts at its latest review again.
    app.doc.current = app.doc.portfolio.alliance_index("glow").unwrap();
    press(&mut app, KeyCode::Down);
    assert_eq!(app.views.reviews.scroll.selected(), 1);
}

#[test]
fn review_rows_and_the_open_summary_are_built_once_per_revision() {
    let mut app = open_app("glow");
    let rows = app.views.reviews.rows(&app.doc);
    screen(&app, 80, 24);
    assert!(std::rc::Rc::ptr_eq(
        &rows,
        &app.views.reviews.rows(&app.doc)
    ));
    press(&mut app, KeyCode::Enter);
    screen(&app, 80, 24);
    let i = app.views.reviews.selected_review(&app.doc).unwrap();
    let summary = app.views.reviews.summary(&app.doc, i);
    screen(&app, 80, 24);
    screen(&app, 120, 40);
    assert!(
        std::rc::Rc::ptr_eq(&summary, &app.views.reviews.summary(&app.doc, i)),
        "frames reuse the Markdown"
    );
    // An edit rebuilds both, and the pane shows the change.
    press(&mut app, KeyCode::Char('x'));
    let after = app.views.reviews.summary(&app.doc, i);
    assert!(!std::rc::Rc::ptr_eq(&summary, &after));
    assert!(after.contains("Summary sent: not yet"), "{after}");
    assert!(!std::rc::Rc::ptr_eq(
        &rows,
        &app.views.reviews.rows(&app.doc)
    ));
    // So does another current alliance.
    let rows = app.views.reviews.rows(&app.doc);
    app.doc.current = app.doc.portfolio.alliance_index("brightside").unwrap();
    assert_eq!(app.views.reviews.rows(&app.doc).len(), 2);
    assert!(!std::rc::Rc::ptr_eq(
        &rows,
        &app.views.reviews.rows(&app.doc)
    ));
}

#[test]
fn a_click_selects_a_review_row() {
    let mut app = open_app("glow");
    app.handle_event(&Event::Resize(80, 24));
    let text = screen(&app, 80, 24);
    click(&mut app, 6, row_of(&text, "2026-09-14"));
    let text = screen(&app, 80, 24);
    assert!(
        text.lines()
            .any(|l| l.contains('▶') && l.contains("2026-09-14")),
        "{text}"
    );
    press(&mut app, KeyCode::Enter);
    assert!(screen(&app, 80, 24).contains("— 2026-09-14 (read-only)"));
    // Clicks on the header, the details or the open review change nothing.
    press(&mut app, KeyCode::Esc);
    let text = screen(&app, 80, 24);
    click(&mut app, 6, row_of(&text, "Date"));
    click(&mut app, 6, row_of(&text, "Audit:"));
    assert_eq!(screen(&app, 80, 24), text);
}

#[test]
fn the_open_review_scrolls_to_its_end_and_no_further() {
    let mut app = open_app("glow");
    press(&mut app, KeyCode::Enter);
    let top = screen(&app, 80, 24);
    assert!(!top.contains("Summary sent: 2026-11-13"), "{top}");
    for _ in 0..200 {
        press(&mut app, KeyCode::Down);
    }
    let bottom = screen(&app, 80, 24);
    assert!(bottom.contains("Summary sent: 2026-11-13"), "{bottom}");
    // At the end: one line up shows one line more of the top, not blank space going away.
    press(&mut app, KeyCode::Up);
    let up = screen(&app, 80, 24);
    assert_ne!(up, bottom, "Down stopped at the end");
    press(&mut app, KeyCode::End);
    assert_eq!(screen(&app, 80, 24), bottom);
    press(&mut app, KeyCode::Home);
    assert_eq!(screen(&app, 80, 24), top);
    // Paging far past u16::MAX lines neither overflows nor leaves the text.
    for _ in 0..7000 {
        press(&mut app, KeyCode::PageDown);
    }
    assert_eq!(screen(&app, 80, 24), bottom);
}

#[test]
fn the_picker_stays_on_its_four_wizards() {
    let mut app = open_app("glow");
    press(&mut app, KeyCode::Char('r'));
    press(&mut app, KeyCode::Up);
    assert_eq!(app.views.reviews.picked(), Kind::Audit);
    keys(&mut app, &[KeyCode::Down; 9]);
    assert_eq!(app.views.reviews.picked(), Kind::Qsr);
    press(&mut app, KeyCode::Home);
    assert_eq!(app.views.reviews.picked(), Kind::Audit);
    press(&mut app, KeyCode::End);
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        app.views.reviews.wizard().map(Wizard::kind),
        Some(Kind::Qsr)
    );
}

fn mbr(app: &App) -> &super::mbr::MbrWizard {
    match app.views.reviews.wizard() {
        Some(Wizard::Mbr(w)) => w,
        other => panic!("the MBR wizard, not {other:?}"),
    }
}

#[test]
fn the_mbr_preview_is_built_once_until_the_draft_changes() {
    let mut app = open_app("glow");
    start(&mut app, 2);
    type_text(&mut app, "Referral revenue ahead");
    keys(&mut app, &[KeyCode::PageDown; 4]);
    let first = mbr(&app).preview(&app.doc);
    assert!(first.contains("Referral revenue ahead"), "{first}");
    screen(&app, 80, 24);
    screen(&app, 120, 40);
    assert!(
        std::rc::Rc::ptr_eq(&first, &mbr(&app).preview(&app.doc)),
        "frames reuse the text"
    );
    // The sent mark, or new notes after going back, rebuild it.
    press(&mut app, KeyCode::Char('x'));
    let sent = mbr(&app).preview(&app.doc);
    assert!(sent.contains("Summary sent: 2026-11-15"), "{sent}");
    press(&mut app, KeyCode::PageUp);
    type_text(&mut app, "Nothing to escalate");
    press(&mut app, KeyCode::PageDown);
    let again = mbr(&app).preview(&app.doc);
    assert!(!std::rc::Rc::ptr_eq(&sent, &again));
    assert!(again.contains("Nothing to escalate"), "{again}");
    // The portfolio itself is untouched by the preview.
    assert!(
        !alliance(&app, "glow")
            .reviews
            .iter()
            .any(|r| r.date() == d("2026-11-15"))
    );
}

#[test]
fn the_mbr_preview_scrolls_to_its_end_and_no_further() {
    let mut app = open_app("glow");
    start(&mut app, 2);
    keys(&mut app, &[KeyCode::PageDown; 4]);
    let top = screen(&app, 80, 24);
    assert!(!top.contains("Summary sent: not yet"), "{top}");
    keys(&mut app, &[KeyCode::Down; 200]);
    let bottom = screen(&app, 80, 24);
    assert!(bottom.contains("Summary sent: not yet"), "{bottom}");
    press(&mut app, KeyCode::Up);
    assert_ne!(screen(&app, 80, 24), bottom, "Down stopped at the end");
    for _ in 0..70_000 {
        press(&mut app, KeyCode::Down);
    }
    assert_eq!(screen(&app, 80, 24), bottom, "no u16 overflow either");
    press(&mut app, KeyCode::Home);
    assert_eq!(screen(&app, 80, 24), top);
}

#[test]
fn the_mbr_follows_the_live_keymap() {
    let (keymap, warnings) = Keymap::with_user_file(
        r#"{ "toggle_done": ["m"], "page_down": ["f8", "n"], "write_doc": ["W"] }"#,
        "keys.ron",
    );
    assert!(
        warnings.iter().all(|w| !w.contains("ignored")),
        "{warnings:?}"
    );
    let mut app = open_app("glow");
    app.keymap = keymap;
    start(&mut app, 2);
    // "n" is bound to page_down, but a notes field has focus: it is typed.
    type_text(&mut app, "new numbers");
    assert_eq!(mbr(&app).step, 0);
    assert!(screen(&app, 120, 40).contains("new numbers"));
    // The rebound key moves on; the old PgDn no longer does.
    press(&mut app, KeyCode::PageDown);
    assert_eq!(mbr(&app).step, 0);
    keys(&mut app, &[KeyCode::F(8); 4]);
    assert_eq!(mbr(&app).step, super::mbr::PREVIEW);
    let text = screen(&app, 120, 40);
    assert!(text.contains("m sent today [ ]"), "{text}");
    // x is no longer toggle_done; m is.
    press(&mut app, KeyCode::Char('x'));
    assert!(!mbr(&app).sent);
    press(&mut app, KeyCode::Char('m'));
    assert!(mbr(&app).sent);
    assert!(screen(&app, 120, 40).contains("m sent today [x]"));
    // write_doc stores the review and writes the summary, like Enter.
    let effects = press(&mut app, KeyCode::Char('W'));
    assert!(
        matches!(effects.as_slice(), [Effect::WriteFile { .. }]),
        "{effects:?}"
    );
    assert!(app.views.reviews.drafts().is_empty());
}

#[test]
fn a_stored_mbr_keeps_its_figures_when_the_month_s_numbers_change_later() {
    let mut app = open_app("glow");
    run_mbr(&mut app, false);
    let stored = alliance(&app, "glow")
        .reviews
        .last()
        .unwrap()
        .figures()
        .cloned();
    let stored = stored.expect("the MBR stores the figures it showed");
    let latest = stored.win_conditions[0].latest.expect("a latest value");
    assert!((latest.value - 22_500.0).abs() < 1e-9, "{}", latest.value);
    // Numbers entered after the meeting: the review must not follow them.
    app.doc.edit_current("late numbers", |a| {
        let w = &mut a.charter.as_mut().unwrap().win_conditions[0];
        w.actuals.insert(latest.month, 11_000.0);
        w.actuals.insert("2026-11".parse().unwrap(), 9_800.0);
    });
    // Reopen it on the Reviews tab: latest first.
    press(&mut app, KeyCode::Home);
    press(&mut app, KeyCode::Enter);
    let shot = screen(&app, 120, 60);
    assert!(shot.contains("| 22500 |"), "the stored figure:\n{shot}");
    assert!(!shot.contains("11000") && !shot.contains("9800"), "{shot}");
    assert!(!shot.contains("figures recomputed"), "{shot}");
}

#[test]
fn the_blockers_step_marks_a_missed_commitment_done_or_re_dates_it() {
    let mut app = open_app("glow");
    start(&mut app, 2);
    press(&mut app, KeyCode::PageDown);
    let find = |app: &App, id: u32| {
        alliance(app, "glow")
            .commitments
            .iter()
            .find(|c| c.id == id)
            .cloned()
            .unwrap()
    };
    let cfr_before = app.doc.scores.alliances[app.doc.current]
        .cfr
        .trailing_30d
        .all;
    // #6 is overdue. A done date after the as-of date is refused and nothing changes.
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "2026-11-16\n");
    assert_eq!(find(&app, 6).done, None);
    assert!(screen(&app, 120, 40).contains("after the as-of date 2026-11-15"));
    // Back-dated to the day it was really done.
    for _ in 0..10 {
        press(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "2026-10-19\n");
    assert_eq!(find(&app, 6).done, Some(d("2026-10-19")));
    let cfr_after = app.doc.scores.alliances[app.doc.current]
        .cfr
        .trailing_30d
        .all;
    assert_ne!(cfr_before, cfr_after, "CFR follows the done date");
    // Re-date: the next field takes a new due date.
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "2026-12-05\n");
    assert_eq!(find(&app, 6).due, d("2026-12-05"));
    assert_eq!(
        app.doc.undo_label(),
        Some("commitment #6 due 2026-12-05"),
        "one undoable edit each"
    );
}
