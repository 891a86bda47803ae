//! The one snapshot helper of the screen tests: a drawn buffer as plain text, or as text with
//! its styles (colours and modifiers as run-length spans per row), so a snapshot also checks
//! the highlighted row and the colours, not only the characters.

use std::fmt::Write as _;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier, Style};

use crate::ui::shell::App;

/// Draw the whole workspace at `width` × `height`.
pub fn draw(app: &App, width: u16, height: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    terminal
        .draw(|frame| crate::ui::render(app, frame))
        .expect("draw");
    terminal.backend().buffer().clone()
}

/// The buffer as text, one line per row, trailing spaces trimmed.
pub fn text(buf: &Buffer) -> String {
    let area = buf.area;
    let mut out = String::new();
    for y in area.top()..area.bottom() {
        let line: String = (area.left()..area.right())
            .map(|x| buf[(x, y)].symbol())
            .collect();
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The buffer as text followed by its styles: for each row with any style, the runs of one
/// style as `row: from..to fg/bg +MODIFIERS` (columns end-exclusive; the default style and
/// blank runs are left out).
pub fn styled(buf: &Buffer) -> String {
    let mut out = text(buf);
    out.push_str("── styles ──\n");
    let area = buf.area;
    for y in area.top()..area.bottom() {
        let mut runs: Vec<(u16, u16, Style)> = Vec::new();
        for x in area.left()..area.right() {
            let cell = &buf[(x, y)];
            let style = Style::default()
                .fg(cell.fg)
                .bg(cell.bg)
                .add_modifier(cell.modifier);
            match runs.last_mut() {
                Some((_, end, s)) if *s == style && *end == x => *end = x + 1,
                _ => runs.push((x, x + 1, style)),
            }
        }
        let shown: Vec<String> = runs
            .into_iter()
            .filter(|(_, _, s)| !is_plain(*s))
            .map(|(from, to, s)| format!("{from}..{to} {}", describe(s)))
            .collect();
        if !shown.is_empty() {
            let _ = writeln!(out, "{y}: {}", shown.join(", "));
        }
    }
    out
}

fn is_plain(style: Style) -> bool {
    matches!(style.fg, None | Some(Color::Reset))
        && matches!(style.bg, None | Some(Color::Reset))
        && style.add_modifier.is_empty()
}

fn describe(style: Style) -> String {
    let colour = |c: Option<Color>| match c {
        None | Some(Color::Reset) => "-".to_owned(),
        Some(c) => format!("{c:?}"),
    };
    let mut s = format!("{}/{}", colour(style.fg), colour(style.bg));
    if !style.add_modifier.is_empty() {
        let _ = write!(s, " +{:?}", style.add_modifier);
    }
    s.replace(&format!("{:?}", Modifier::empty()), "")
}

#[cfg(test)]
mod tests {
    use ratatui::layout::Rect;

    use super::*;

    #[test]
    fn runs_of_one_style_are_merged_and_plain_cells_left_out() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 6, 2));
        buf.set_string(0, 0, "ab", Style::default().fg(Color::Red));
        buf.set_string(2, 0, "cd", Style::default());
        buf.set_string(
            1,
            1,
            "xy",
            Style::default()
                .bg(Color::Blue)
                .add_modifier(Modifier::BOLD),
        );
        let shown = styled(&buf);
        assert!(shown.starts_with("abcd\n xy\n── styles ──\n"), "{shown}");
        assert!(shown.contains("0: 0..2 Red/-\n"), "{shown}");
        assert!(shown.contains("1: 1..3 -/Blue +BOLD\n"), "{shown}");
    }
}
