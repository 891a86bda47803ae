//! Inline SVG bar charts with threshold lines, and their values as a table beside them.
//!
//! A chart is a picture for the eye and a table for everyone else: a screen reader, a printout
//! in black and white, a partner who wants the exact number. Each bar also carries its value as
//! SVG text, so the numbers survive a screenshot. No script, no external file.

use maud::{Markup, html};

use super::MISSING;

/// One bar: its label (a month, a quarter, a date) and its value, `None` when there is none.
pub struct Point {
    pub label: String,
    pub value: Option<f64>,
}

/// A horizontal line the bars are judged against (`2%`, `70%`, `SAS 6`).
pub struct Threshold {
    pub value: f64,
    pub label: String,
}

/// What to draw.
pub struct Chart<'a> {
    /// Short title, also the SVG's accessible name.
    pub title: &'a str,
    /// The column header of the values in the table.
    pub value_header: &'a str,
    pub points: Vec<Point>,
    pub thresholds: Vec<Threshold>,
    /// A shaded band (the alliance share's 15–25%).
    pub band: Option<(f64, f64)>,
    /// The top of the scale at least (the data can raise it).
    pub min_top: f64,
    /// How a value is written on the bar and in the table.
    pub format: &'a dyn Fn(f64) -> String,
    /// Words for a bar under the first threshold (so meaning never relies on colour alone).
    pub below_word: &'a str,
}

const WIDTH: f64 = 480.0;
const HEIGHT: f64 = 200.0;
const LEFT: f64 = 8.0;
const RIGHT: f64 = 72.0;
const TOP: f64 = 18.0;
const BOTTOM: f64 = 24.0;

/// The `<figure>`: the SVG and, in its `<figcaption>`, the same values as a table.
pub fn chart(c: &Chart<'_>) -> Markup {
    if c.points.is_empty() {
        return html! { p.empty { (c.title) ": no values yet." } };
    }
    let top = c
        .points
        .iter()
        .filter_map(|p| p.value)
        .chain(c.thresholds.iter().map(|t| t.value))
        .chain(c.band.map(|b| b.1))
        .fold(c.min_top, f64::max)
        * 1.15;
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let y = |v: f64| TOP + plot_h - (v.max(0.0) / top) * plot_h;
    let slot = plot_w / c.points.len() as f64;
    let bar_w = (slot * 0.7).min(40.0);
    let first = c.thresholds.first().map(|t| t.value);
    // Labels thin out when the bars get narrow, so they never overlap; counted from the last
    // bar, so the latest period is always labelled.
    let label_every = (34.0 / slot).ceil().max(1.0) as usize;
    let n = c.points.len();
    let labelled = |i: usize| (n - 1 - i).is_multiple_of(label_every);
    html! {
        figure.chart {
            svg viewBox={ "0 0 " (WIDTH) " " (HEIGHT) } role="img" aria-label=(c.title) {
                title { (c.title) }
                @if let Some((lo, hi)) = c.band {
                    rect.band x=(LEFT) y=(fmt(y(hi))) width=(plot_w) height=(fmt(y(lo) - y(hi))) {}
                }
                line.axis x1=(LEFT) y1=(fmt(y(0.0))) x2=(LEFT + plot_w) y2=(fmt(y(0.0))) {}
                @for (i, p) in c.points.iter().enumerate() {
                    @let cx = LEFT + slot * (i as f64 + 0.5);
                    @if let Some(v) = p.value {
                        @let low = first.is_some_and(|t| v < t);
                        rect class=(if low { "bar low" } else { "bar" })
                            x=(fmt(cx - bar_w / 2.0)) y=(fmt(y(v))) width=(fmt(bar_w))
                            height=(fmt(y(0.0) - y(v))) {}
                        @if labelled(i) {
                            text.value x=(fmt(cx)) y=(fmt(y(v) - 4.0)) { ((c.format)(v)) }
                        }
                    } @else {
                        text.value x=(fmt(cx)) y=(fmt(y(0.0) - 4.0)) { (MISSING) }
                    }
                    @if labelled(i) {
                        text.label x=(fmt(cx)) y=(fmt(HEIGHT - 8.0)) { (p.label) }
                    }
                }
                @for t in &c.thresholds {
                    line.threshold x1=(LEFT) y1=(fmt(y(t.value))) x2=(LEFT + plot_w)
                        y2=(fmt(y(t.value))) {}
                    text.threshold x=(fmt(LEFT + plot_w + 4.0)) y=(fmt(y(t.value) + 4.0)) {
                        (t.label)
                    }
                }
            }
            figcaption {
                table.values {
                    caption { (c.title) }
                    thead { tr { th scope="col" { "Period" } th scope="col" { (c.value_header) } } }
                    tbody {
                        @for p in &c.points {
                            tr {
                                th scope="row" { (p.label) }
                                td.num {
                                    @match p.value {
                                        Some(v) => {
                                            ((c.format)(v))
                                            @if first.is_some_and(|t| v < t) {
                                                " ▲ " (c.below_word)
                                            }
                                        }
                                        None => (MISSING),
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Coordinates with one decimal: enough for a 480-wide view box, short in the page.
fn fmt(v: f64) -> String {
    format!("{v:.1}")
}
