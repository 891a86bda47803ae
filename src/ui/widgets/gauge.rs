//! A one-line percentage gauge with its threshold lines marked (CFR against 70% and 50%).
//!
//! Built from spans rather than ratatui's `LineGauge` because `LineGauge` cannot draw tick marks,
//! and the marks are the point: a reader must see how far a value sits from each line.

use ratatui::style::Style;
use ratatui::text::Span;

use crate::ui::theme::Theme;

/// A tick mark at `at` (a fraction, 0–1) drawn in `style`.
pub struct Tick {
    pub at: f64,
    pub style: Style,
}

/// `width` cells: filled up to `value`, ticks over the bar, dotted and muted when `value` is
/// missing (missing is never drawn as an empty 0% bar).
pub fn bar<'a>(
    value: Option<f64>,
    width: usize,
    fill: Style,
    ticks: &[Tick],
    theme: &Theme,
) -> Vec<Span<'a>> {
    if width == 0 {
        return Vec::new();
    }
    let cell = |i: usize| -> (char, Style) {
        for t in ticks {
            if tick_cell(t.at, width) == i {
                return ('┃', t.style);
            }
        }
        match value {
            None => ('·', theme.muted),
            Some(v) if (i as f64 + 0.5) / width as f64 <= v.clamp(0.0, 1.0) => ('█', fill),
            Some(_) => ('░', theme.muted),
        }
    };
    // Merge runs of the same style into one span.
    let mut spans: Vec<Span<'a>> = Vec::new();
    let mut run = String::new();
    let mut run_style = None;
    for i in 0..width {
        let (c, style) = cell(i);
        if run_style.is_some_and(|s| s != style) {
            spans.push(Span::styled(
                std::mem::take(&mut run),
                run_style.unwrap_or(style),
            ));
        }
        run_style = Some(style);
        run.push(c);
    }
    if let Some(style) = run_style {
        spans.push(Span::styled(run, style));
    }
    spans
}

/// The cell index of a tick at fraction `at` of a `width`-cell bar.
fn tick_cell(at: f64, width: usize) -> usize {
    ((at.clamp(0.0, 1.0) * width as f64).round() as usize).min(width - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(spans: &[Span]) -> String {
        spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn fills_to_the_value_and_marks_the_lines() {
        let theme = Theme::default();
        let ticks = [
            Tick {
                at: 0.5,
                style: theme.critical,
            },
            Tick {
                at: 0.7,
                style: theme.warn,
            },
        ];
        let s = text(&bar(Some(0.6), 10, theme.ok, &ticks, &theme));
        assert_eq!(s, "█████┃░┃░░");
        let full = text(&bar(Some(1.0), 10, theme.ok, &ticks, &theme));
        assert_eq!(full, "█████┃█┃██");
    }

    #[test]
    fn missing_is_dotted_not_empty() {
        let theme = Theme::default();
        let s = text(&bar(None, 6, theme.ok, &[], &theme));
        assert_eq!(s, "······");
        assert!(bar(Some(0.5), 0, theme.ok, &[], &theme).is_empty());
    }
}
