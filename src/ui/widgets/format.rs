//! How numbers look on screen. A missing value is `—`, never a made-up 0.

use chrono::NaiveDate;

/// `"18.3%"` for 0.183; `"—"` when missing.
pub fn percent(value: Option<f64>) -> String {
    match value {
        Some(v) if (v * 100.0).abs() < 10.0 => format!("{:.1}%", v * 100.0),
        Some(v) => format!("{:.0}%", v * 100.0),
        None => "—".to_owned(),
    }
}

/// One decimal, or `—`.
pub fn decimal(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_owned(), |v| format!("{v:.1}"))
}

/// `"$418k"`-style compact money with the currency code when it is not USD.
pub fn money(value: f64, currency: &str) -> String {
    let (scaled, suffix) = if value.abs() >= 1_000_000.0 {
        (value / 1_000_000.0, "M")
    } else if value.abs() >= 1_000.0 {
        (value / 1_000.0, "k")
    } else {
        (value, "")
    };
    let number = if suffix.is_empty() || scaled.abs() >= 100.0 {
        format!("{scaled:.0}{suffix}")
    } else {
        format!("{scaled:.1}{suffix}")
    };
    if currency == "USD" {
        format!("${number}")
    } else {
        format!("{number} {currency}")
    }
}

pub fn date(value: Option<NaiveDate>) -> String {
    value.map_or_else(|| "—".to_owned(), |d| d.to_string())
}

/// `label` then multi-line `text`, one screen line per line of text (a `Span` would run the
/// lines together).
pub fn labelled_lines(
    label: &str,
    text: &str,
    label_style: ratatui::style::Style,
) -> Vec<ratatui::text::Line<'static>> {
    use ratatui::text::{Line, Span};
    text.lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                Line::from(vec![
                    Span::styled(label.to_owned(), label_style),
                    Span::raw(l.to_owned()),
                ])
            } else {
                Line::raw(l.to_owned())
            }
        })
        .collect()
}

/// Cut `text` to `width` characters with an ellipsis.
pub fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_owned()
    } else if width == 0 {
        String::new()
    } else {
        let mut s: String = text.chars().take(width - 1).collect();
        s.push('…');
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_line_notes_keep_their_lines() {
        let lines = labelled_lines(
            "Notes: ",
            "Rationale: fills a gap\n\nResources: one AM",
            ratatui::style::Style::new(),
        );
        let text: Vec<String> = lines.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            ["Notes: Rationale: fills a gap", "", "Resources: one AM"]
        );
    }

    #[test]
    fn formats() {
        assert_eq!(percent(Some(0.183)), "18%");
        assert_eq!(percent(Some(0.0189)), "1.9%");
        assert_eq!(percent(None), "—");
        assert_eq!(money(418_000.0, "USD"), "$418k");
        assert_eq!(money(8_200.0, "EUR"), "8.2k EUR");
        assert_eq!(truncate("Glow & Co", 5), "Glow…");
        assert_eq!(truncate("Glöw", 4), "Glöw");
    }
}
