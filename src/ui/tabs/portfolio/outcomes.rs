//! The Outcomes view of the Portfolio (the fourth `v` view, SPEC §4 and issue 17): whether
//! governing the alliances is working — lifespans and their medians with and without a signed
//! charter, goal attainment per quarter, the alliance share per month against its 15–25% band,
//! and the alliances that contribute most. The figures are the core's
//! ([`crate::score::outcomes`]); this only draws them. Portfolio-wide, so never in share mode.

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget};

use crate::app::document::Document;
use crate::import::revenue::money;
use crate::score::outcomes::{self, Band, Outcomes, SHARE_BAND_HIGH, SHARE_BAND_LOW};
use crate::ui::tabs::ViewCtx;
use crate::ui::widgets::format::{percent, truncate};

/// The seed's promise: governed alliances last 36+ months…
const LIFESPAN_TARGET: f64 = 36.0;
/// …and goal attainment rises above 65%.
const ATTAINMENT_TARGET: f64 = 0.65;

/// The outcomes as of the last sync (computed only while the view is shown, and once per edit).
#[derive(Debug, Default)]
pub struct OutcomesView {
    built_from: Option<(u64, NaiveDate)>,
    outcomes: Option<Outcomes>,
}

impl OutcomesView {
    /// Recompute when the document changed since the last time.
    pub fn sync(&mut self, doc: &Document) {
        let key = (doc.revision, doc.as_of);
        if self.built_from == Some(key) {
            return;
        }
        self.built_from = Some(key);
        self.outcomes = Some(outcomes::outcomes(&doc.portfolio, doc.as_of));
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, cx: &ViewCtx) {
        let theme = cx.theme;
        let Some(o) = &self.outcomes else {
            Block::bordered()
                .border_style(theme.border)
                .render(area, buf);
            return;
        };
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(area);
        let left_width = usize::from(left.width.saturating_sub(2));
        Paragraph::new(lifespan_lines(o, left_width, cx))
            .block(
                Block::bordered()
                    .border_style(theme.border)
                    .title(Span::styled(" Outcomes: lifespans ", theme.title)),
            )
            .render(left, buf);
        let right_width = usize::from(right.width.saturating_sub(2));
        Paragraph::new(result_lines(
            o,
            right_width,
            usize::from(right.height.saturating_sub(2)),
            cx,
        ))
        .block(
            Block::bordered()
                .border_style(theme.border)
                .title(Span::styled(" Goals, share, contributors ", theme.title)),
        )
        .render(right, buf);
    }
}

fn months(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_owned(), |m| format!("{m:.0} mo"))
}

/// A share with one decimal, so 14.9% never reads as the band's 15%.
fn share(value: f64) -> String {
    format!("{:.1}%", value * 100.0)
}

fn lifespan_lines(o: &Outcomes, width: usize, cx: &ViewCtx) -> Vec<Line<'static>> {
    let theme = cx.theme;
    let m = &o.median_lifespan_months;
    let governed_style = match m.governed {
        Some(v) if v >= LIFESPAN_TARGET => theme.ok,
        Some(_) => theme.warn,
        None => theme.muted,
    };
    let mut lines = vec![
        Line::from(vec![
            Span::styled("Median, signed charter ", theme.muted),
            Span::styled(
                format!("{:>6} (n={})", months(m.governed), m.governed_count),
                governed_style,
            ),
        ]),
        Line::from(vec![
            Span::styled("Median, no charter     ", theme.muted),
            Span::raw(format!(
                "{:>6} (n={})",
                months(m.ungoverned),
                m.ungoverned_count
            )),
        ]),
        Line::styled(
            if width >= 50 {
                "Target: 36+ months (typical: 12)"
            } else {
                "Target 36+ mo · ✓ signed ✗ none"
            },
            theme.muted,
        ),
    ];
    if o.lifespans.is_empty() {
        lines.push(Line::styled("  no alliance has started yet", theme.muted));
    }
    let wide = width >= 50;
    // The name takes what the widest tail (` 123 mo ✗ no charter  ended 2026-01-31`) leaves.
    let name_width = width
        .saturating_sub(if wide { 39 } else { 20 })
        .clamp(6, 24);
    for l in &o.lifespans {
        let (governed, end) = if wide {
            (
                if l.governed {
                    "✓ charter"
                } else {
                    "✗ no charter"
                },
                l.ended
                    .map_or_else(|| "running".to_owned(), |d| format!("ended {d}")),
            )
        } else {
            (
                if l.governed { "✓" } else { "✗" },
                l.ended.map_or_else(String::new, |_| "ended".to_owned()),
            )
        };
        lines.push(Line::from(vec![
            Span::raw(format!(
                "  {:<name_width$}",
                truncate(&l.partner, name_width)
            )),
            Span::styled(format!(" {:>3} mo ", l.months), theme.title),
            Span::styled(
                format!("{governed:<12} "),
                if l.governed { theme.ok } else { theme.warn },
            ),
            Span::styled(end, theme.muted),
        ]));
    }
    lines
}

fn result_lines(o: &Outcomes, width: usize, height: usize, cx: &ViewCtx) -> Vec<Line<'static>> {
    let theme = cx.theme;
    // A short pane keeps two quarters and two months, so the contributors still show.
    let recent = if height < 14 { 2 } else { 4 };
    let bar_width = width.saturating_sub(34).clamp(4, 20);
    let mut lines = vec![Line::styled(
        format!(
            "Goal attainment (target {}+)",
            percent(Some(ATTAINMENT_TARGET))
        ),
        theme.title,
    )];
    let quarters = &o.goal_attainment_by_quarter;
    let shown: Vec<_> = quarters
        .iter()
        .skip(quarters.len().saturating_sub(recent))
        .collect();
    if shown.iter().all(|q| q.value.is_none()) {
        lines.push(Line::styled(
            "  no win condition met or missed yet",
            theme.muted,
        ));
    } else {
        for q in shown {
            let style = match q.value {
                Some(v) if v >= ATTAINMENT_TARGET => theme.ok,
                Some(_) => theme.warn,
                None => theme.muted,
            };
            lines.push(Line::from(vec![
                Span::raw(format!("  {} ", q.quarter)),
                Span::styled(bar(q.value.unwrap_or(0.0), bar_width), theme.chart),
                Span::styled(format!(" {:>4}", percent(q.value)), style),
                Span::styled(
                    format!(" ({} met, {} missed)", q.met, q.missed),
                    theme.muted,
                ),
            ]));
        }
    }
    lines.push(Line::styled(
        format!(
            "Alliance share (band {}–{})",
            percent(Some(SHARE_BAND_LOW)),
            percent(Some(SHARE_BAND_HIGH))
        ),
        theme.title,
    ));
    let months = &o.alliance_share_by_month;
    if months.is_empty() {
        lines.push(Line::styled("  no brand revenue yet", theme.muted));
    }
    for s in months.iter().skip(months.len().saturating_sub(recent)) {
        let (symbol, style) = match s.band {
            Band::Within => ("✓", theme.ok),
            Band::Below => ("▼", theme.warn),
            Band::Above => ("▲", theme.warn),
        };
        lines.push(Line::from(vec![
            Span::raw(format!("  {} ", s.month)),
            Span::styled(
                format!("{:>6} {symbol} {}", share(s.value), s.band.label()),
                style,
            ),
        ]));
    }
    lines.push(Line::styled("Top contributors (12 months)", theme.title));
    if o.top_contributors.is_empty() {
        lines.push(Line::styled("  no attributed revenue yet", theme.muted));
    }
    let name_width = width.saturating_sub(26).clamp(8, 24);
    for (i, c) in o.top_contributors.iter().enumerate() {
        lines.push(Line::from(vec![
            Span::raw(format!(
                "  {}. {:<name_width$} ",
                i + 1,
                truncate(&c.partner, name_width)
            )),
            Span::raw(format!("{:>11}", money(c.revenue_12m))),
            Span::styled(
                format!(" {:>4}", percent(Some(c.share_of_alliance_revenue))),
                theme.muted,
            ),
        ]));
    }
    lines
}

/// A bar of `width` cells filled to `fraction` (0–1), so values read without colour.
fn bar(fraction: f64, width: usize) -> String {
    let filled = (fraction.clamp(0.0, 1.0) * width as f64).round() as usize;
    format!(
        "{}{}",
        "█".repeat(filled),
        "░".repeat(width - filled.min(width))
    )
}

#[cfg(test)]
mod tests {
    use crate::ui::shell::tests::{demo_app, keys, screen};

    #[test]
    fn the_fourth_view_shows_the_outcomes_at_both_sizes() {
        let mut app = demo_app();
        keys(&mut app, "vvv");
        for (w, h) in [(80, 24), (120, 40)] {
            let text = screen(&mut app, w, h);
            assert!(text.contains("Median, signed charter"), "{text}");
            insta::assert_snapshot!(format!("outcomes_{w}x{h}"), text);
        }
        keys(&mut app, "v");
        assert!(screen(&mut app, 120, 40).contains("Weekly pulse"));
    }

    #[test]
    fn share_mode_never_shows_the_outcomes() {
        let mut app = demo_app();
        keys(&mut app, "vvv");
        assert!(screen(&mut app, 120, 40).contains(" Outcomes "));
        keys(&mut app, "s");
        for _ in 0..4 {
            let text = screen(&mut app, 120, 40);
            assert!(!text.contains("Outcomes"), "{text}");
            assert!(!text.contains("Median, signed"), "{text}");
            keys(&mut app, "v");
        }
    }
}
