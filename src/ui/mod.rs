//! Rendering: reads [`App`] and draws it. Nothing here edits the model or computes a metric.

pub mod form;
pub mod help;
pub mod keys;
pub mod shell;
#[cfg(test)]
pub(crate) mod snapshot;
pub mod tabs;
pub mod theme;
pub mod widgets;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget, Wrap};

use crate::app::Target;
use crate::app::action::Action;
use crate::app::document::Source;
use crate::ui::shell::{App, Modal};
use crate::ui::tabs::Tab;
use crate::ui::widgets::format::percent;

/// The smallest screen the workspace draws itself on.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// Where each part of the screen goes; shared by the renderer and mouse hit-testing.
#[derive(Clone, Copy, Debug)]
pub struct Areas {
    pub header: Rect,
    pub tabs: Rect,
    pub body: Rect,
    pub footer: Rect,
}

pub fn layout(area: Rect) -> Areas {
    let [header, tabs, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(area);
    Areas {
        header,
        tabs,
        body,
        footer,
    }
}

/// Tab titles as drawn: ` 1 Portfolio │ 2 Charter │ …`.
fn tab_titles() -> Vec<String> {
    Tab::ALL
        .iter()
        .enumerate()
        .map(|(i, t)| format!(" {} {} ", i + 1, t.title()))
        .collect()
}

/// Which tab title is at column `x` of the tab bar.
pub fn tab_at(bar: Rect, x: u16) -> Option<Tab> {
    let mut left = bar.x;
    for (i, title) in tab_titles().iter().enumerate() {
        let width = title.chars().count() as u16;
        if x >= left && x < left + width {
            return Some(Tab::ALL[i]);
        }
        left += width + 1;
    }
    None
}

/// Draw the whole workspace.
pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    let buf = frame.buffer_mut();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        render_too_small(area, buf, app);
        return;
    }
    Block::new().style(app.theme.base).render(area, buf);
    let areas = layout(area);
    render_header(app, areas.header, buf);
    render_tab_bar(app, areas.tabs, buf);
    if app.shared_gone() {
        render_shared_gone(app, areas.body, buf);
    } else {
        let cx = app.view_ctx();
        app.tab_view(app.tab).render(areas.body, buf, &cx);
    }
    render_footer(app, areas.footer, buf);
    if let Some(modal) = &app.modal {
        render_modal(app, modal, area, buf);
    }
    widgets::untrusted::guard(buf);
}

/// Share mode after the shared alliance left the file: that, and nothing else.
fn render_shared_gone(app: &App, area: Rect, buf: &mut Buffer) {
    let text = vec![
        Line::raw(""),
        Line::styled("The shared alliance is gone.", app.theme.warn),
        Line::raw(""),
        Line::raw("It was deleted, or the file on disk no longer has it."),
        Line::raw("Nothing else is shown while sharing: s stops sharing."),
    ];
    Paragraph::new(text)
        .alignment(Alignment::Center)
        .wrap(Wrap { trim: true })
        .block(Block::bordered().border_style(app.theme.border))
        .render(area, buf);
}

fn render_too_small(area: Rect, buf: &mut Buffer, app: &App) {
    let text = vec![
        Line::from("Alliance Desk needs at least 80×24."),
        Line::from(format!(
            "This terminal is {}×{}: please enlarge it.",
            area.width, area.height
        )),
        Line::from("q quits."),
    ];
    let y = area.height.saturating_sub(3) / 2;
    let inner = Rect {
        y: area.y + y,
        height: area.height - y,
        ..area
    };
    Paragraph::new(text)
        .style(app.theme.base)
        .alignment(Alignment::Center)
        .wrap(Wrap { trim: true })
        .render(inner, buf);
}

fn render_header(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let doc = &app.doc;
    if app.share {
        let text = if app.shared_gone() {
            " SHARING: the shared alliance is gone · s to stop sharing ".to_owned()
        } else {
            let partner = doc.current_alliance().map_or("—", |a| a.partner.as_str());
            format!(
                " SHARING: {} · internal notes hidden · s to stop sharing ",
                crate::sanitize::terminal_line(partner)
            )
        };
        Paragraph::new(text)
            .style(theme.share_banner)
            .render(area, buf);
        return;
    }
    let narrow = area.width < 110;
    let source = match &doc.source {
        Source::File(p) if narrow => p
            .file_name()
            .map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into()),
        Source::File(p) => p.display().to_string(),
        Source::Demo if narrow => "sample".to_owned(),
        Source::Demo => "embedded sample (not saved unless saved as)".to_owned(),
    };
    let dirty = if doc.is_dirty() { " ●unsaved" } else { "" };
    let mut ro = doc
        .read_only
        .as_ref()
        .map_or(String::new(), |why| format!(" [READ-ONLY: {why}]"));
    if app.safety.recovery_failing.is_some() && doc.is_dirty() {
        // SPEC §8: until a recovery write succeeds again, the header says so.
        ro.push_str(" [unsaved edits not protected]");
    }
    let p = &doc.scores.portfolio;
    let share = match p.alliance_share {
        Some(s) => {
            let band = if (0.15..=0.25).contains(&s) {
                "in band"
            } else if s < 0.15 {
                "below band"
            } else {
                "above band"
            };
            if narrow {
                format!("share {} ({band} 15–25%)", percent(Some(s)))
            } else {
                format!("alliance share {} (15–25%, {band})", percent(Some(s)))
            }
        }
        None => "alliance share —".to_owned(),
    };
    // Read-only goes first with the unsaved mark: it must not be cut off by a long path.
    let left = format!(
        " {}{dirty}{ro} · {source}",
        crate::sanitize::terminal_line(&doc.portfolio.brand)
    );
    let published = app
        .published_at
        .as_ref()
        .map_or(String::new(), |at| format!("published {at} · "));
    let mut right = format!("{published}as of {} · {share} ", doc.as_of);
    let width = area.width as usize;
    if !ro.is_empty() && left.chars().count() + right.chars().count() > width {
        // The banner matters more than the share figure, which the Portfolio tab also shows.
        right = format!("as of {} ", doc.as_of);
    }
    let right_len = right.chars().count();
    let left = crate::ui::widgets::format::truncate(&left, width.saturating_sub(right_len + 1));
    let pad = width.saturating_sub(left.chars().count() + right_len);
    let line = Line::from(vec![
        Span::raw(left),
        Span::raw(" ".repeat(pad)),
        Span::raw(right),
    ]);
    Paragraph::new(line).style(theme.header).render(area, buf);
}

fn render_tab_bar(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let mut spans = Vec::new();
    for (i, title) in tab_titles().into_iter().enumerate() {
        let style = if Tab::ALL[i] == app.tab {
            theme.tab_active
        } else {
            theme.tab
        };
        spans.push(Span::styled(title, style));
        spans.push(Span::styled("│", theme.border));
    }
    if let Some(a) = app.doc.current_alliance().filter(|_| !app.shared_gone()) {
        let partner = crate::sanitize::terminal_line(&a.partner);
        let used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
        let room = usize::from(area.width).saturating_sub(used + 2);
        // "current: " only when the name itself fits; a clipped "Gl" helps nobody.
        let label = if room >= partner.chars().count() + 9 {
            format!("  current: {partner}")
        } else {
            format!("  {}", crate::ui::widgets::format::truncate(&partner, room))
        };
        spans.push(Span::styled(label, theme.muted));
    }
    Paragraph::new(Line::from(spans)).render(area, buf);
}

fn render_footer(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let view = app.tab_view(app.tab);
    let mut hints: Vec<(Action, String)> = view
        .footer_hints()
        .into_iter()
        .map(|(a, l)| (a, l.to_owned()))
        .collect();
    let mut shell: Vec<(Action, String)> = Vec::new();
    if view.captures_input() {
        // Printable keys are text while a field has focus: only control keys still act.
        shell.push((Action::Save, "save".to_owned()));
    } else {
        shell.push((Action::ShareMode, "share".to_owned()));
        if app.doc.undo_label_shown(app.share).is_none() {
            // With an edit to undo, the key moves to the right with what it would revert.
            shell.push((Action::Undo, "undo".to_owned()));
        }
        shell.extend([
            (Action::Save, "save".to_owned()),
            (Action::Help, "help".to_owned()),
            (Action::Quit, "quit".to_owned()),
        ]);
    }
    // What undo would revert, so `u` is never a surprise: right-aligned, up to a third of the
    // width, so the keys of this tab keep the rest. While sharing, only the shared alliance's
    // edit is named: another's label would name its partner.
    let undo = app
        .doc
        .undo_label_shown(app.share)
        .filter(|_| !view.captures_input())
        .and_then(|label| {
            let key = app.keymap.keys_for(Action::Undo).first()?.to_string();
            let room = (area.width as usize / 3).saturating_sub(key.chars().count() + 8);
            Some((
                format!("  {key}"),
                format!(" undo: {} ", shorten(label, room)),
            ))
        });
    // A status message keeps the whole line when both do not fit.
    let status_len = app.status.as_ref().map_or(0, |s| s.chars().count() + 1);
    let undo = undo.filter(|(key, label)| {
        status_len + key.chars().count() + label.chars().count() <= area.width as usize
    });
    let [area, undo_area] = match &undo {
        Some((key, label)) => Layout::horizontal([
            Constraint::Fill(1),
            Constraint::Length((key.chars().count() + label.chars().count()) as u16),
        ])
        .areas(area),
        None => [area, Rect::default()],
    };
    if let Some((key, label)) = undo {
        Paragraph::new(Line::from(vec![
            Span::styled(key, theme.key),
            Span::styled(label, theme.muted),
        ]))
        .render(undo_area, buf);
    }
    if let Some(status) = &app.status {
        Paragraph::new(Line::styled(format!(" {status}"), theme.title)).render(area, buf);
        return;
    }
    fit_hints(app, &mut hints, &mut shell, area.width as usize);
    let mut spans = vec![Span::raw(" ")];
    for (action, label) in hints.into_iter().chain(shell) {
        let keys = app.keymap.keys_for(action);
        let Some(key) = keys.first() else { continue };
        spans.push(Span::styled(key.to_string(), theme.key));
        spans.push(Span::styled(format!(" {label}  "), theme.muted));
    }
    Paragraph::new(Line::from(spans)).render(area, buf);
}

/// Leave out the footer keys that do not fit `width`, so none is cut in half: first the
/// shell's keys that help lists anyway (share, undo, save), then the tab's from the end (a tab
/// lists its keys most important first). Help and quit always stay.
fn fit_hints(
    app: &App,
    tab: &mut Vec<(Action, String)>,
    shell: &mut Vec<(Action, String)>,
    width: usize,
) {
    let cost = |(action, label): &(Action, String)| {
        app.keymap.keys_for(*action).first().map_or(0, |key| {
            key.to_string().chars().count() + label.chars().count() + 3
        })
    };
    // The leading space, and the last hint's two trailing spaces need not fit.
    let used = |tab: &[(Action, String)], shell: &[(Action, String)]| {
        (1 + tab.iter().chain(shell).map(cost).sum::<usize>()).saturating_sub(2)
    };
    while used(tab, shell) > width {
        if let Some(i) = shell
            .iter()
            .position(|(a, _)| matches!(a, Action::ShareMode | Action::Undo | Action::Save))
        {
            shell.remove(i);
        } else if tab.pop().is_none() {
            break;
        }
    }
}

/// `text` cut to at most `max` characters, with `…` when cut.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
    s.push('…');
    s
}

/// A centred rectangle of at most `w`×`h` inside `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

fn render_modal(app: &App, modal: &Modal, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let dialog = |title: &str, lines: Vec<Line<'static>>, w: u16, buf: &mut Buffer| {
        // Long lines wrap: count the rows they take, so the keys on the last line stay visible.
        let inner = usize::from(w.min(area.width).saturating_sub(2)).max(1);
        let rows: usize = lines.iter().map(|l| l.width().div_ceil(inner).max(1)).sum();
        let h = rows as u16 + 2;
        let rect = centered(area, w, h);
        Clear.render(rect, buf);
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .style(theme.base)
            .block(
                Block::bordered()
                    .title(Span::styled(format!(" {title} "), theme.title))
                    .border_style(theme.border_focus),
            )
            .render(rect, buf);
    };
    match modal {
        Modal::Conflicts => shell::conflicts::render(app, area, buf),
        Modal::Help { scroll } => help::render(app, *scroll, area, buf),
        Modal::Confirm { confirm, .. } => dialog(
            "Confirm",
            vec![
                Line::raw(confirm.prompt.clone()),
                Line::raw(""),
                Line::styled("y / Enter: yes    n / Esc: no", theme.key),
            ],
            60,
            buf,
        ),
        Modal::QuitUnsaved => dialog(
            "Unsaved changes",
            vec![
                Line::raw("There are edits that are not saved."),
                Line::raw(""),
                Line::styled(
                    "y: save and quit   n: quit without saving   Esc: stay",
                    theme.key,
                ),
            ],
            64,
            buf,
        ),
        Modal::Notice { title, lines } => {
            let mut text: Vec<Line<'static>> = lines.iter().map(|l| Line::raw(l.clone())).collect();
            text.push(Line::raw(""));
            text.push(Line::styled("Enter: close", theme.key));
            dialog(title, text, 76, buf);
        }
        Modal::Choice {
            title,
            lines,
            options,
            ..
        } => {
            let mut text: Vec<Line<'static>> = lines.iter().map(|l| Line::raw(l.clone())).collect();
            text.push(Line::raw(""));
            let keys = options
                .iter()
                .map(|o| format!("{}: {}", o.key, o.label))
                .collect::<Vec<_>>()
                .join("   ");
            text.push(Line::styled(keys, theme.key));
            dialog(title, text, 78, buf);
        }
        Modal::SaveAs {
            input,
            error,
            target,
        } => {
            let (title, ask, keys) = match &**target {
                Target::Portfolio => (
                    "Save as",
                    "Save the portfolio to:".to_owned(),
                    "Enter: save   Esc: cancel",
                ),
                Target::Text { named, .. } => (
                    "Write file",
                    format!(
                        "Write {} to:",
                        named.file_name().map_or_else(
                            || named.display().to_string(),
                            |n| n.to_string_lossy().into()
                        )
                    ),
                    "Enter: write   Esc: cancel",
                ),
                Target::PublishFolder => (
                    "Publish",
                    "Publish the partner pages to the folder:".to_owned(),
                    "Enter: publish   Esc: cancel",
                ),
            };
            let mut text = Vec::new();
            if let Some(e) = error {
                text.push(Line::styled(e.clone(), theme.warn));
                text.push(Line::raw(""));
            }
            text.push(Line::raw(ask));
            text.push(Line::styled(input.with_cursor(), theme.input));
            text.push(Line::raw(""));
            text.push(Line::styled(keys, theme.key));
            dialog(title, text, 70, buf);
        }
    }
}

/// A style for a value against a "higher is better" threshold pair.
pub fn threshold_style(
    theme: &theme::Theme,
    value: Option<f64>,
    warn_below: f64,
    crit_below: f64,
) -> Style {
    match value {
        None => theme.muted,
        Some(v) if v < crit_below => theme.critical,
        Some(v) if v < warn_below => theme.warn,
        Some(_) => theme.ok,
    }
}
