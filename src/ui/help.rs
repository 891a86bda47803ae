//! The `?` overlay, generated from the live keymap so it never disagrees with the keys.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget};

use crate::app::action::Action;
use crate::score::{FlagCode, Severity};
use crate::ui::shell::App;

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

/// The overlay's box on a screen of `area`.
fn rect(area: Rect) -> Rect {
    super::centered(area, 76, area.height.saturating_sub(2))
}

/// The furthest the help can scroll on a screen of `area`: its last line at the bottom.
/// Lines are cut, not wrapped, so one line is one row.
pub fn max_scroll(app: &App, area: Rect) -> u16 {
    let rows = usize::from(rect(area).height.saturating_sub(2));
    u16::try_from(lines(app).len().saturating_sub(rows)).unwrap_or(u16::MAX)
}

pub fn render(app: &App, scroll: u16, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let rect = rect(area);
    Clear.render(rect, buf);
    // Clamped here too: a larger screen since the last key leaves less to scroll.
    let scroll = scroll.min(max_scroll(app, area));
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
