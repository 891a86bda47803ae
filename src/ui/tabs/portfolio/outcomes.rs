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
        Paragraph::new(result_lines(o, right_width, cx))
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
            Span::styled("Median lifespan  ", theme.muted),
            Span::styled(
                format!("governed {} ({})", months(m.governed), m.governed_count),
                governed_style,
            ),
            Span::styled(
                format!(" · not {} ({})", months(m.ungoverned), m.ungoverned_count),
                theme.base,
            ),
        ]),
        Line::styled(
            "Target: governed alliances last 36+ months (typical median 12)",
            theme.muted,
        ),
    ];
    if o.lifespans.is_empty() {
        lines.push(Line::styled("  no alliance has started yet", theme.muted));
    }
    let name_width = width.saturating_sub(28).clamp(8, 24);
    for l in &o.lifespans {
        let end = l
            .ended
            .map_or_else(|| "running".to_owned(), |d| format!("ended {d}"));
        lines.push(Line::from(vec![
            Span::raw(format!(
                "  {:<name_width$} ",
                truncate(&l.partner, name_width)
            )),
            Span::styled(format!("{:>3} mo ", l.months), theme.title),
            Span::styled(
                if l.governed {
                    "✓ charter "
                } else {
                    "✗ no charter "
                },
                if l.governed { theme.ok } else { theme.warn },
            ),
            Span::styled(end, theme.muted),
        ]));
    }
    lines
}

fn result_lines(o: &Outcomes, width: usize, cx: &ViewCtx) -> Vec<Line<'static>> {
    let theme = cx.theme;
    let bar_width = width.saturating_sub(34).clamp(4, 20);
    let mut lines = vec![Line::styled(
        format!(
            "Goal attainment by quarter (target {})",
            percent(Some(ATTAINMENT_TARGET))
        ),
        theme.title,
    )];
    let quarters = &o.goal_attainment_by_quarter;
    let shown: Vec<_> = quarters
        .iter()
        .skip(quarters.len().saturating_sub(4))
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
            "Alliance share by month (band {}–{})",
            percent(Some(SHARE_BAND_LOW)),
            percent(Some(SHARE_BAND_HIGH))
        ),
        theme.title,
    ));
    let share = &o.alliance_share_by_month;
    if share.is_empty() {
        lines.push(Line::styled("  no brand revenue yet", theme.muted));
    }
    for s in share.iter().skip(share.len().saturating_sub(4)) {
        let (symbol, style) = match s.band {
            Band::Within => ("✓", theme.ok),
            Band::Below => ("▼", theme.warn),
            Band::Above => ("▲", theme.warn),
        };
        lines.push(Line::from(vec![
            Span::raw(format!("  {} ", s.month)),
            Span::styled(bar(s.value / 0.5, bar_width), theme.chart),
            Span::styled(
                format!(" {:>5} {symbol} {}", percent(Some(s.value)), s.band.label()),
                style,
            ),
        ]));
    }
    lines.push(Line::styled(
        "Top contributors (last 12 months)",
        theme.title,
    ));
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
