//! The `?` overlay, generated from the live keymap so it never disagrees with the keys.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget};

use crate::app::App;
use crate::app::action::Action;
use crate::score::{FlagCode, Severity};

pub fn lines(app: &App) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let mut lines = vec![Line::styled("Keys (from your keymap)", theme.title)];
    for action in Action::ALL {
        lines.push(Line::from(vec![
            Span::styled(format!("  {:<18}", app.keymap.describe(action)), theme.key),
            Span::raw(action.description()),
        ]));
    }
    lines.push(Line::raw(
        "  While a text field has focus it takes every printable key.",
    ));
    lines.push(Line::raw(
        "  Mouse: click tabs and rows; the wheel scrolls.",
    ));
    lines.push(Line::raw(""));
    lines.push(Line::styled("Flags", theme.title));
    for code in FlagCode::ALL {
        let sev = code.severity();
        lines.push(Line::from(vec![
            Span::styled(
                format!("  {} {:<20}", sev.symbol(), code.short_label()),
                theme.flag(sev),
            ),
            Span::raw(format!("{} ({})", code.code(), sev.label())),
        ]));
    }
    lines.push(Line::raw(format!(
        "  {} warn   {} critical   ✓ no flags",
        Severity::Warn.symbol(),
        Severity::Critical.symbol()
    )));
    lines
}

pub fn render(app: &App, scroll: u16, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let rect = super::centered(area, 76, area.height.saturating_sub(2));
    Clear.render(rect, buf);
    Paragraph::new(lines(app))
        .scroll((scroll, 0))
        .style(theme.base)
        .block(
            Block::bordered()
                .border_style(theme.border_focus)
                .title(Span::styled(" Help — ↑↓ scroll, Esc closes ", theme.title)),
        )
        .render(rect, buf);
}
