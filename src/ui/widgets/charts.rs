//! A series against threshold lines (ARCR vs 2%, CFR vs 70%/50%, SAS vs 6).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, Chart, Dataset, GraphType, Paragraph, Widget};

use crate::ui::theme::Theme;

/// A labelled threshold line.
pub struct Threshold {
    pub value: f64,
    pub label: &'static str,
    pub style: Style,
}

/// Draw `points` (x = index) against `thresholds`; labels are the first and last x labels.
#[expect(
    clippy::too_many_arguments,
    reason = "a chart is its data plus where to draw it; a struct would only rename them"
)]
pub fn threshold_chart(
    title: &str,
    labels: (&str, &str),
    points: &[f64],
    y_max: f64,
    thresholds: &[Threshold],
    theme: &Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    // The thresholds are named in the title, in their line's style: a legend box inside the
    // plot would be drawn over the data (issue 12 item 4).
    let mut heading = vec![Span::styled(format!(" {title} "), theme.title)];
    for t in thresholds {
        heading.push(Span::styled(format!("┄ {} ", t.label), t.style));
    }
    let block = Block::bordered()
        .border_style(theme.border)
        .title(Line::from(heading));
    if points.is_empty() {
        Paragraph::new(Line::styled("no data yet", theme.muted))
            .block(block)
            .render(area, buf);
        return;
    }
    // Too few rows for a line to mean anything (80×24): say the values and the thresholds.
    if area.height < 7 {
        let values: Vec<String> = points
            .iter()
            .rev()
            .take(6)
            .rev()
            .map(|v| format!("{v:.1}"))
            .collect();
        let lines: Vec<&str> = thresholds.iter().map(|t| t.label).collect();
        Paragraph::new(vec![
            Line::styled(values.join(" → "), theme.chart),
            Line::styled(format!("against {}", lines.join(", ")), theme.muted),
        ])
        .wrap(ratatui::widgets::Wrap { trim: true })
        .block(block)
        .render(area, buf);
        return;
    }
    let data: Vec<(f64, f64)> = points
        .iter()
        .enumerate()
        .map(|(i, v)| (i as f64, *v))
        .collect();
    let x_max = (points.len().max(2) - 1) as f64;
    let lines: Vec<[(f64, f64); 2]> = thresholds
        .iter()
        .map(|t| [(0.0, t.value), (x_max, t.value)])
        .collect();
    let mut datasets = vec![
        Dataset::default()
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(theme.chart)
            .data(&data),
    ];
    for (t, line) in thresholds.iter().zip(&lines) {
        datasets.push(
            Dataset::default()
                .marker(Marker::Dot)
                .graph_type(GraphType::Line)
                .style(t.style)
                .data(line),
        );
    }
    let top = points.iter().copied().fold(y_max, f64::max);
    Chart::new(datasets)
        .block(block)
        .legend_position(None)
        .x_axis(
            Axis::default()
                .style(theme.muted)
                .bounds([0.0, x_max])
                .labels([labels.0.to_owned(), labels.1.to_owned()]),
        )
        .y_axis(
            Axis::default()
                .style(theme.muted)
                .bounds([0.0, top])
                .labels(["0".to_owned(), format!("{top:.0}")]),
        )
        .render(area, buf);
}

#[cfg(test)]
mod legend_tests {
    use super::*;

    #[test]
    fn threshold_names_are_in_the_title_never_over_the_data() {
        let theme = Theme::default();
        let area = Rect::new(0, 0, 40, 12);
        let mut buf = Buffer::empty(area);
        let threshold = Threshold {
            value: 2.0,
            label: "2%",
            style: theme.threshold,
        };
        let points = [3.0, 2.5, 1.0, 4.0, 5.0];
        threshold_chart(
            "ARCR",
            ("Jun", "Oct"),
            &points,
            6.0,
            &[threshold],
            &theme,
            area,
            &mut buf,
        );
        let text = crate::ui::snapshot::text(&buf);
        let rows: Vec<&str> = text.lines().collect();
        assert!(rows[0].contains("ARCR") && rows[0].contains("2%"), "{text}");
        assert!(
            rows[1..].iter().all(|r| !r.contains("2%")),
            "no legend box inside the plot:\n{text}"
        );
    }
}
