//! Flag badges: a symbol, words and a colour, so meaning survives a compressed screen-share.

use ratatui::text::Span;

use crate::score::{Flag, Severity};
use crate::ui::theme::Theme;

/// `"■ CFR critical"`.
pub fn badge<'a>(flag: &Flag, theme: &Theme) -> Span<'a> {
    Span::styled(
        format!("{} {}", flag.severity.symbol(), flag.code.short_label()),
        theme.flag(flag.severity),
    )
}

/// A compact summary for a table cell: the worst flag's badge plus a count of the rest.
pub fn summary<'a>(flags: &[Flag], theme: &Theme) -> Vec<Span<'a>> {
    let Some(worst) = flags.iter().max_by_key(|f| f.severity) else {
        return vec![Span::styled("✓ none", theme.ok)];
    };
    let mut spans = vec![badge(worst, theme)];
    if flags.len() > 1 {
        spans.push(Span::styled(format!(" +{}", flags.len() - 1), theme.muted));
    }
    spans
}

/// `"■2 ▲3"`: counts by severity.
pub fn counts<'a>(flags: &[Flag], theme: &Theme) -> Vec<Span<'a>> {
    let crit = flags
        .iter()
        .filter(|f| f.severity == Severity::Critical)
        .count();
    let warn = flags.len() - crit;
    let mut spans = Vec::new();
    if crit > 0 {
        spans.push(Span::styled(
            format!("{}{crit} ", Severity::Critical.symbol()),
            theme.critical,
        ));
    }
    if warn > 0 {
        spans.push(Span::styled(
            format!("{}{warn}", Severity::Warn.symbol()),
            theme.warn,
        ));
    }
    if spans.is_empty() {
        spans.push(Span::styled("✓", theme.ok));
    }
    spans
}
