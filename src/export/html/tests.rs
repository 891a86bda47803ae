use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;
use crate::model::{Alliance, Charter, Contact, Escalation, Portfolio, Status};
use crate::score::{self, outcomes};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn sample() -> Portfolio {
    crate::store::parse(crate::sample::NORTHWIND, "sample")
        .unwrap()
        .portfolio
}

/// Every partner page of `p`, with the alliance it belongs to.
fn partner_pages(p: &Portfolio) -> Vec<(&Alliance, String)> {
    let as_of = p.as_of.unwrap_or_else(|| d("2026-11-15"));
    let scores = score::score(p, as_of);
    p.alliances
        .iter()
        .zip(&scores.alliances)
        .filter(|(a, _)| is_published(a.status))
        .map(|(a, s)| (a, partner_page(&p.brand, a, s, as_of)))
        .collect()
}

/// The page with its own partner's name taken out, so a name that contains another one
/// ("Glow 1" in "Glow 12") does not count as the other.
fn without_own_name(page: &str, a: &Alliance) -> String {
    page.replace(&*maud::html! { (Text(&a.partner)) }.into_string(), "")
}

/// The page's `<head>` (the SVG charts have `<title>`s of their own).
fn head(page: &str) -> &str {
    &page[..page.find("</head>").unwrap()]
}

/// A health total written as on the internal page (`17/20`).
fn shows_a_health_total(page: &str) -> bool {
    (4..=20).any(|n| page.contains(&format!("{n}/20")))
}

fn hostile() -> Portfolio {
    let mut p = Portfolio::empty("Brand </title><script>alert('b')</script>");
    let mut a = Alliance::new(
        "x",
        "Evil\u{202E}gpj.exe <script>alert(1)</script> \"quoted\" 'single' </title>",
        crate::model::AllianceKind::Wholesale,
        d("2026-01-01"),
    );
    a.status = Status::Active;
    a.charter = Some(Charter {
        dashboard: "javascript:alert(1)".into(),
        escalation: Escalation {
            contacts: vec![Contact {
                name: "<img src=x onerror=alert(1)>".into(),
                email: "a\"@b\u{1b}[31m".into(),
                ..Contact::default()
            }],
            triggers: vec!["<style>*{display:none}</style>".into()],
            ..Escalation::default()
        },
        ..Charter::default()
    });
    p.alliances.push(a);
    p
}

#[test]
fn hostile_text_stays_text_on_the_partner_page() {
    let p = hostile();
    let pages = partner_pages(&p);
    let page = &pages[0].1;
    assert!(!page.contains("<script"), "a script tag got through");
    assert!(!page.contains("<img"), "an img tag got through");
    assert!(!page.contains("<style>*"), "a style tag got through");
    assert_eq!(
        head(page).matches("</title>").count(),
        1,
        "the title was closed early"
    );
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(page.contains("&quot;quoted&quot;"));
    // Bidirectional and terminal controls are shown, not obeyed.
    assert!(!page.contains('\u{202E}') && !page.contains('\u{1b}'));
    assert!(page.contains("Evil\\u{202e}gpj.exe"));
    assert!(page.contains("\\u{1b}[31m"));
    // A dashboard that is not a web address is text, never a link.
    assert!(!page.contains("href=\"javascript"));
    assert!(page.contains("javascript:alert(1)"));
}

#[test]
fn hostile_text_stays_text_on_the_internal_page() {
    let p = hostile();
    let as_of = d("2026-11-15");
    let scores = score::score(&p, as_of);
    let page = internal_page(&p, &scores, &outcomes::outcomes(&p, as_of));
    assert!(!page.contains("<script"));
    assert_eq!(head(&page).matches("</title>").count(), 1);
    assert!(!page.contains('\u{202E}'));
}

#[test]
fn visible_escapes_controls_but_keeps_newlines_and_tabs() {
    assert_eq!(visible("a\u{202E}b\u{2066}c"), "a\\u{202e}b\\u{2066}c");
    assert_eq!(visible("a\nb\tc\u{7}"), "a\nb\tc\\u{7}");
    assert_eq!(visible("Glow & Co — ü"), "Glow & Co — ü");
}

#[test]
fn a_web_dashboard_is_a_link_that_sends_no_referrer() {
    let html = user_link(" https://example.com/sheet?a=1&b=2 ").into_string();
    assert_eq!(
        html,
        "<a href=\"https://example.com/sheet?a=1&amp;b=2\" rel=\"noopener noreferrer nofollow\">\
         https://example.com/sheet?a=1&amp;b=2</a>"
    );
    assert!(!user_link("https://a b").into_string().contains("href"));
}

#[test]
fn sample_partner_pages_hold_only_what_a_partner_may_see() {
    let p = sample();
    let pages = partner_pages(&p);
    assert!(pages.len() >= 2);
    for (a, page) in &pages {
        assert!(page.contains(&*maud::html! { (Text(&a.partner)) }.into_string()));
        let rest = without_own_name(page, a);
        for other in p.alliances.iter().filter(|o| o.id != a.id) {
            let name = maud::html! { (Text(&other.partner)) }.into_string();
            assert!(
                !rest.contains(&name),
                "{}'s page names {}",
                a.id,
                other.partner
            );
        }
        for i in &p.pipeline {
            assert!(
                !page.contains(&i.partner),
                "{}'s page names the pipeline",
                a.id
            );
        }
        if !a.notes.trim().is_empty() {
            assert!(!page.contains(a.notes.trim()), "{}: internal notes", a.id);
        }
        assert!(!shows_a_health_total(page), "{}: a health total", a.id);
        for banned in [
            "Health",
            "health",
            "audit",
            "Alliance share",
            "alliance share",
        ] {
            assert!(!page.contains(banned), "{}'s page shows {banned:?}", a.id);
        }
        for v in p.revenue.values() {
            assert!(
                !page.contains(&format!("{v:.0}")),
                "{}: brand revenue {v}",
                a.id
            );
        }
        for view in ["id=\"weekly\"", "id=\"monthly\"", "id=\"quarterly\""] {
            assert!(page.contains(view), "{}: {view}", a.id);
        }
        assert!(!page.contains("<script"));
        assert!(!page.contains(" src="), "{}: a page loads nothing", a.id);
    }
}

#[test]
fn internal_page_has_the_outcomes_and_links_to_partner_pages() {
    let mut p = sample();
    p.alliances[0].share_token = Some("AAAAAAAAAAAAAAAAAAAAAQ".into());
    let as_of = p.as_of.unwrap_or_else(|| d("2026-11-15"));
    let scores = score::score(&p, as_of);
    let page = internal_page(&p, &scores, &outcomes::outcomes(&p, as_of));
    assert!(page.contains("id=\"outcomes\""));
    assert!(page.contains("Median lifespan, signed charter"));
    assert!(page.contains("href=\"AAAAAAAAAAAAAAAAAAAAAQ/index.html\""));
    for a in &p.alliances {
        assert!(page.contains(&*maud::html! { (Text(&a.partner)) }.into_string()));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// No partner page of a generated portfolio names another alliance's partner or shows any
    /// alliance's internal notes.
    #[test]
    fn no_partner_page_leaks_another_alliance(n in 1usize..12, seed in any::<u64>()) {
        let p = crate::generate::generate(n, seed);
        for (a, page) in partner_pages(&p) {
            let rest = without_own_name(&page, a);
            for other in p.alliances.iter().filter(|o| o.id != a.id) {
                prop_assert!(!rest.contains(&other.partner), "{} names {}", a.id, other.partner);
            }
            for any in &p.alliances {
                prop_assert!(
                    any.notes.is_empty() || !page.contains(&any.notes),
                    "{} shows the notes of {}", a.id, any.id
                );
            }
            prop_assert!(!page.contains("Internal note"));
            prop_assert!(!shows_a_health_total(&page));
        }
    }
}
