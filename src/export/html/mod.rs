//! HTML pages (SPEC §11): the internal portfolio page and one partner page per alliance.
//!
//! Pages are built with maud: the markup is checked at compile time and every value is escaped
//! unless it is explicitly `PreEscaped`, so a partner called `</title><script>` stays text. On
//! top of that, user text goes through [`Text`], which shows control and bidirectional-override
//! characters as visible escapes (`\u{202e}`), as the terminal does (SPEC §8): a partner name
//! cannot reorder what the page says. Pages are self-contained: inline CSS, inline SVG, no
//! script, no request anywhere. Like every exporter, these are pure functions returning a
//! `String`; writing them is [`crate::publish`]'s job.

mod chart;
mod internal;
mod partner;

pub use internal::{internal_page, is_published};
pub use partner::{partner_may_see, partner_page};

use std::fmt::Write as _;

use maud::{DOCTYPE, Markup, PreEscaped, Render, html};

pub use super::MISSING;

/// The stylesheet of every page: phone first, a wider layout from 48rem, A4 print.
const CSS: &str = include_str!("style.css");

/// User text, neutralised: C0/C1 controls (but newline and tab) and the bidirectional controls
/// U+202A–U+202E, U+2066–U+2069 (and U+200E/U+200F, U+061C) are written as `\u{…}`; then
/// maud escapes `& < > "`.
pub struct Text<'a>(pub &'a str);

impl Render for Text<'_> {
    fn render_to(&self, buffer: &mut String) {
        visible(self.0).as_str().render_to(buffer);
    }
}

/// `s` with every control and bidirectional-formatting character as a visible `\u{…}`.
pub fn visible(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let bidi = matches!(
            c,
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
        );
        if bidi || (c.is_control() && c != '\n' && c != '\t') {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// A fraction as a percentage, or [`MISSING`].
pub fn pct(v: Option<f64>, decimals: usize) -> String {
    super::pct(v, decimals)
}

/// A link the user typed (a KPI dashboard): a link only when it is an `http(s)` address, never
/// fetched by the page, and followed without telling the target where it came from.
fn user_link(url: &str) -> Markup {
    let trimmed = url.trim();
    let lower = trimmed.to_ascii_lowercase();
    let is_web = (lower.starts_with("https://") || lower.starts_with("http://"))
        && !trimmed.chars().any(|c| c.is_whitespace() || c.is_control());
    html! {
        @if is_web {
            a href=(trimmed) rel="noopener noreferrer nofollow" { (Text(trimmed)) }
        } @else {
            (Text(trimmed))
        }
    }
}

/// The page shell: head (title, viewport, inline CSS, no referrer, no indexing) and body.
fn page(title: &str, body: &Markup) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                // A partner page's address is its secret: never sent on as a referrer, never
                // indexed by a search engine.
                meta name="referrer" content="no-referrer";
                meta name="robots" content="noindex, nofollow";
                meta http-equiv="Content-Security-Policy"
                    content="default-src 'none'; style-src 'unsafe-inline'; img-src data:";
                title { (Text(title)) }
                style { (PreEscaped(CSS)) }
            }
            body { (body) }
        }
    }
    .into_string()
}

/// The navigation between the three views (in-page anchors: no request).
fn views_nav(extra: &[(&str, &str)]) -> Markup {
    html! {
        nav.views aria-label="Views" {
            a href="#weekly" { "Weekly pulse" }
            a href="#monthly" { "Monthly trend" }
            a href="#quarterly" { "Quarterly strategic" }
            @for (id, label) in extra {
                a href={ "#" (id) } { (label) }
            }
        }
    }
}

/// A small figure card: a label, a big value, a line of detail.
fn card(label: &str, value: &str, detail: &str) -> Markup {
    html! {
        div.card {
            div.label { (label) }
            div.big { (Text(value)) }
            @if !detail.is_empty() { div.detail { (Text(detail)) } }
        }
    }
}

/// Execution speed in words.
fn speed(days: Option<f64>) -> String {
    days.map_or_else(
        || MISSING.to_owned(),
        |v| {
            if v == 0.0 {
                "on the due date".to_owned()
            } else if v < 0.0 {
                format!("{:.1} days early", -v)
            } else {
                format!("{v:.1} days late")
            }
        },
    )
}

#[cfg(test)]
mod tests;
